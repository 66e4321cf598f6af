//! The population model: persons and households stored as columns.
//!
//! A [`Population`] is a contiguous range of households (a whole population or one
//! chunk of a streamed one). Persons are stored household by household; household
//! `h` owns persons `first_person[h] .. first_person[h] + size[h]`. Money is yuan per
//! year, stored as `f32`; sums are taken in `f64`.

mod attributes;
pub mod bounds;
pub(crate) mod columns;
mod income;
mod population;

pub use attributes::{
    Disability, Education, Employment, HouseholdFlags, Hukou, Occupation, PersonAttributes, PersonFlags, Residence, Sex,
};
pub use income::{Accounts, IncomePart, IncomeParts};
pub use population::{
    HouseholdIds, HouseholdRecord, Households, LogShock, PersonRecord, Persons, Population, annualised,
};
