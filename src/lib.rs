//! # incomesim: household income microsimulation
//!
//! (Crate documentation: see the model page below.)
#![deny(missing_docs)]

pub mod error;
pub mod generate;
pub mod indicators;
pub mod microdata;
pub mod model;
pub mod policy;
pub mod random;
pub mod region;

pub use error::{Error, Result};
pub use model::Population;
pub use region::Profile;
