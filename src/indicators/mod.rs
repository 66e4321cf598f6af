//! Income statistics: weighted means, NBS household quintile groups, medians,
//! inequality.

mod stats;

pub use stats::{
    HouseholdIncome, household_median, household_quintile_groups, household_quintile_means, person_weighted_median,
    weighted_gini,
};
