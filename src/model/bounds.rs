//! Bounds on input values: what a scenario, a lever built in Rust or a microdata file
//! may give before the value is refused as an input error.
//!
//! None is a published figure; each is far beyond any real value and keeps every
//! amount finite through the longest projection ([`crate::scenario::MAX_HORIZON`]
//! years at the highest growth rate). Money is stored as `f32`, whose largest finite
//! value (3.4 × 10³⁸) a wage growth of 3.4 × 10³⁸ or a remittance of 3.4 × 10³⁸ yuan
//! reached in the first projected year before these bounds: the run then reported
//! NaN means instead of an error.

/// Largest amount of money accepted, in yuan (per year, or per month for a
/// `_per_month` parameter), in absolute value: a trillion, orders of magnitude above
/// any household's income or any benefit.
pub const MAX_AMOUNT: f64 = 1.0e12;

/// Largest yearly growth rate or adjustment accepted: 1 (+100%). Fifty years at this
/// rate multiply an amount by about 10¹⁵, which keeps [`MAX_AMOUNT`] finite in `f32`.
pub const MAX_RATE: f64 = 1.0;

/// Largest count or non-negative number a lever parameter accepts (places, persons,
/// households, multiples, mu, hours): a trillion.
pub const MAX_NUMBER: f64 = 1.0e12;

/// Largest multiple of the dibao threshold a rule may set (the low-income edge, the
/// extreme-poverty standard): 100.
pub const MAX_THRESHOLD_MULTIPLE: f64 = 100.0;

/// Largest household weight accepted: a billion households (China has about 494
/// million).
pub const MAX_WEIGHT: f64 = 1.0e9;

/// Smallest household weight accepted: a billionth of a household, so weights scaled to
/// sum to 1 over a sample of up to a billion households pass. A subnormal `f32` weight
/// (below 1.2 × 10⁻³⁸) was accepted and made the next year's rural mean NaN.
pub const MIN_WEIGHT: f64 = 1.0e-9;

/// Largest land or grassland area accepted, in mu: a hundred million mu (about 6.7
/// million hectares, far more than any household holds).
pub const MAX_AREA_MU: f64 = 1.0e8;

/// Largest log wage shock accepted in absolute value: the range the population stores
/// ([`super::LogShock`], −8 to +8, a factor of about 3,000 either way).
pub const MAX_LOG_SHOCK: f64 = 8.0;
