//! Temporary and price-linked assistance, low-income edge assistance and one-off employment transfers.
