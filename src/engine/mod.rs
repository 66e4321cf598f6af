//! The projection engine: baseline against reform, year by year, with each lever's
//! contribution (Shapley values), targets and uncertainty.

pub mod shapley;
pub mod targets;
