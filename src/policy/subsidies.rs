//! Farm subsidies: farmland protection, grassland rewards, producer subsidies.
