//! The lever registry: every lever's name, parameters, units, defaults and sources.
