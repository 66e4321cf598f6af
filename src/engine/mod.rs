//! The projection engine: baseline against reform, year by year, with each lever's
//! contribution (Shapley values), targets and uncertainty.

pub mod bench;
pub mod caseload;
pub mod correlation;
pub mod discovery;
pub mod output;
pub mod projection;
pub mod report;
pub mod sensitivity;
pub mod shapley;
pub mod solve;
pub mod stream;
pub mod sweep;
pub mod targets;
pub mod uncertain_levers;
pub mod warnings;

pub use projection::{
    IntervalRow, Outcome, Projection, ReformLever, ReplicationSeeds, Scenario, Uncertain, VariantResult,
};
