//! Household microdata: loading survey data from CSV and exporting simulated households.
//!
//! * [`load_csv`] / [`read_csv`] read `households.csv` and `persons.csv` (layout in
//!   `docs/microdata.md`) into a [`Population`](crate::Population), reporting every bad
//!   cell at once in [`Error::Microdata`](crate::Error::Microdata).
//! * [`Assembler`] is the format-independent core of the loader: any front end that
//!   can produce [`HouseholdRecord`](crate::model::HouseholdRecord)s and
//!   [`PersonRecord`](crate::model::PersonRecord)s keyed by household id can use it.
//! * [`Exporter`] writes one row per household (and optionally per person) for a year,
//!   chunk by chunk; [`FileExporter`] does so to paths atomically.
//! * [`npz`] reads the performance peers' `.npz` population layout (`docs/peers.md`)
//!   and runs their four benefit rules with the project's own levers.
mod assemble;
mod export;
mod load;
pub mod npz;
mod problems;

pub use assemble::{Assembler, MAX_MEMBERS};
pub use export::{Exporter, FileExporter, lever_names};
pub use load::{
    EXPORT_ONLY, EXPORT_ONLY_PREFIXES, HOUSEHOLD_OPTIONAL, HOUSEHOLD_REQUIRED, LoadOptions, MAX_AGE,
    MAX_AMOUNT_PER_YEAR, MAX_AREA_MU, MAX_LOG_SHOCK, MAX_WEIGHT, MIN_WEIGHT, PERSON_OPTIONAL, PERSON_REQUIRED,
    default_able_to_work, default_months_in_job, load_csv, read_csv,
};
pub use problems::{DEFAULT_MAX_PROBLEMS, Problems};
