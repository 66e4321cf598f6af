//! Region profiles: a place's calibration targets and base-year rules, each with its
//! status and source.
//!
//! Profiles are TOML files. The built-in ones live in `data/profiles/` and are
//! embedded in the binary; users can load their own with [`Profile::from_file`]. A
//! profile may `extends` another (a city profile usually extends a national one for
//! the shape of its population) and override single values; its own `[all]` table of
//! all-residents checks replaces the parent's whole.

mod builtin;
mod profile;

pub use builtin::{builtin_ids, builtin_source};
pub use profile::{
    AgeBandTarget, AreaShape, AreaTargets, BaseRules, CohortPattern, EmploymentShares, PopulationTargets, Profile,
    SCHOOL_LEAVING_AGE, Sourced, Status,
};
