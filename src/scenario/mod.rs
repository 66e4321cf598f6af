//! Scenario files: a region (or household microdata), a population size, a seed, the
//! years, baseline assumptions and their uncertainty, reform levers by name with dated
//! parameters, targets and replications. TOML or JSON; `docs/scenario.md` documents
//! every field.
//!
//! ```toml
//! name = "Liupanshui 2022 resident income plan"
//! region = "liupanshui-2021"
//! households = 20000
//! seed = 7
//! last_year = 2024
//!
//! [assumptions]                 # dated baseline assumptions (optional)
//! wage_growth_urban = 0.06
//! cpi_inflation = { "2022-01" = 0.02, "2023-01" = 0.025 }
//!
//! [uncertainty]                 # standard deviation per replication (optional)
//! wage_growth_urban = 0.015
//!
//! [uncertainty.levers.skills_training]   # a reform lever's parameters (optional)
//! employment_probability = 0.1
//! hourly_gain = { relative_sd = 0.25 }
//!
//! [levers.dibao]                # a lever of the registry (`incomesim levers`)
//! urban_threshold_per_month = [{ "2021-01" = 670, "2022-12" = 705 }, { "2021-01" = 627, "2022-12" = 660 }]
//!
//! [[targets]]
//! name = "rural income +12% a year"
//! group = "rural"
//! indicator = "mean_disposable"
//! measure = "growth"
//! from = 2021
//! to = 2024
//! value = 0.12
//! comparison = { kind = "at_least" }
//! ```
//!
//! A variant extends another scenario and overrides a few values:
//!
//! ```toml
//! base = "liupanshui-2022"
//! name = "Liupanshui 2022 plan without the training places"
//! drop_levers = ["skills_training"]
//! ```
//!
//! Reading goes in three steps, each collecting every problem it finds: the text is
//! parsed into a tree that keeps each value's file, line and column ([`tree`]); `base`
//! is resolved and merged ([`compose`]); the tree is validated into a [`Scenario`]
//! (fields, types, ranges, region, microdata, every lever's parameters through the
//! registry, targets). [`ScenarioErrors`] lists the problems as
//! `FILE:LINE:COL: field.path: message`.

mod check;
pub mod compose;
mod json_text;
mod levers;
pub mod problem;
mod reweighting;
mod targets;
mod toml_text;
pub mod tree;
mod validate;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use compose::{BUILTIN_SCENARIOS, builtin_names, builtin_text};
pub use problem::{Problem, ProblemKind, ScenarioErrors};
pub use targets::{GROUPS, TARGET_FIELDS, indicator_names};
pub use validate::{
    DEFAULT_HOUSEHOLDS, DEFAULT_POVERTY_LINES, DEFAULT_SEED, DEFAULT_SHAPLEY_PERMUTATIONS, MAX_HORIZON, TOP_FIELDS,
};

use crate::dynamics::Dynamics;
use crate::engine::projection::Scenario;
use crate::error::Result;
use crate::model::Population;
use crate::policy::Dated;
use tree::{Node, SourceInfo};

/// The embedded default scenario: the Liupanshui 2022 plan on its 2021 population.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/liupanshui-2022.toml");

/// Name of the default scenario among the built-in ones.
pub const DEFAULT_SCENARIO_NAME: &str = "liupanshui-2022";

/// The household microdata a scenario starts from instead of a generated population:
/// two CSV files in the format of `docs/microdata.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MicrodataFiles {
    /// `households.csv`.
    pub households: PathBuf,
    /// `persons.csv`.
    pub persons: PathBuf,
}

impl MicrodataFiles {
    /// Loads the population.
    ///
    /// # Errors
    /// [`crate::error::Error::Io`] or [`crate::error::Error::Microdata`] from the loader.
    pub fn load(&self) -> Result<Population> {
        crate::microdata::load_csv(&self.households, &self.persons, &crate::microdata::LoadOptions::default())
    }
}

/// Reads a scenario file (TOML, or JSON for a `.json` name), resolves its `base` and
/// validates it.
///
/// # Errors
/// Every problem found: an unreadable file, syntax errors (line and column), or every
/// problem of the validator, each with its file, line and field path.
pub fn load(path: &Path) -> Result<Scenario, ScenarioErrors> {
    let doc = compose::read_document(path).map_err(ScenarioErrors::new)?;
    finish(doc)
}

/// Parses a scenario from text; `origin` names it in problems (a name ending in
/// `.json`, or text starting with `{`, is read as JSON). A relative `base`, region or
/// microdata path is resolved against the working directory.
///
/// # Errors
/// As [`load`].
pub fn parse_str(text: &str, origin: &str) -> Result<Scenario, ScenarioErrors> {
    let source = Arc::new(SourceInfo { name: origin.to_string(), dir: None, identity: format!("text:{origin}") });
    let doc = compose::parse_document(text, source).map_err(ScenarioErrors::new)?;
    finish(doc)
}

/// A built-in scenario by name (a file stem of `scenarios/`).
///
/// # Errors
/// A problem naming the built-in scenarios if there is none of that name; otherwise as
/// [`load`].
pub fn load_builtin(name: &str) -> Result<Scenario, ScenarioErrors> {
    let Some(text) = compose::builtin_text(name) else {
        let message = format!(
            "no built-in scenario `{name}`{}; built-in scenarios: {}",
            crate::policy::registry::did_you_mean(name, &builtin_names()),
            builtin_names().join(", ")
        );
        return Err(ScenarioErrors::new(vec![Problem::file(name, ProblemKind::Base, message)]));
    };
    let doc = compose::parse_document(text, compose::builtin_source(name)).map_err(ScenarioErrors::new)?;
    finish(doc)
}

fn finish(doc: Node) -> Result<Scenario, ScenarioErrors> {
    let mut chain = vec![doc.pos.source.identity.clone()];
    let doc = compose::resolve(doc, &mut chain).map_err(ScenarioErrors::new)?;
    validate::scenario(&doc).map_err(ScenarioErrors::new)
}

/// The accepted values of a baseline assumption: a closed range. A scenario's value
/// outside it is a problem; a replication's draw ([`Uncertain`]) outside it is
/// clamped to it.
///
/// [`Uncertain`]: crate::engine::projection::Uncertain
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AssumptionRange {
    /// Smallest value accepted.
    pub min: f64,
    /// Largest value accepted.
    pub max: f64,
    /// The range in words, for problems and documentation.
    pub description: &'static str,
}

impl AssumptionRange {
    /// Whether `x` is in the range (a NaN is not).
    pub fn contains(&self, x: f64) -> bool {
        (self.min..=self.max).contains(&x)
    }

    /// `x` moved into the range.
    pub fn clamp(&self, x: f64) -> f64 {
        x.clamp(self.min, self.max)
    }

    /// The widest standard deviation an `uncertainty` entry may give: the range's width
    /// (a larger spread would only pile the draws up at the range's ends).
    pub fn widest_spread(&self) -> f64 {
        self.max - self.min
    }
}

/// The dated parameter of the dynamics an assumption sets.
pub type AssumptionField = fn(&mut Dynamics) -> &mut Dated<f64>;

/// A baseline assumption a scenario can set: its name, its accepted range and the
/// dated parameters of the dynamics it sets.
#[derive(Debug, Clone, Copy)]
pub struct Assumption {
    /// Name in `[assumptions]` and `[uncertainty]`.
    pub name: &'static str,
    /// Accepted values.
    pub range: AssumptionRange,
    /// The dynamics fields it sets: one, or the urban and rural series of a part at once
    /// (`operating_growth`, `property_growth`: [`Assumption::sets_both`]).
    pub fields: &'static [AssumptionField],
    /// The first year in which the assumption can change a result (0: any year); a
    /// projection ending before it warns that the value set has no effect.
    pub acts_from: u16,
}

/// A yearly growth rate: from −0.9 to [`crate::model::bounds::MAX_RATE`] (bounds on
/// input errors, not published figures).
const GROWTH: AssumptionRange = AssumptionRange {
    min: -0.9,
    max: crate::model::bounds::MAX_RATE,
    description: "a yearly rate from -0.9 to 1 (0.05 = +5%)",
};

/// A share from 0 to 1.
const SHARE: AssumptionRange = AssumptionRange { min: 0.0, max: 1.0, description: "a share from 0 to 1" };

/// A multiple of the base year's dibao caseload share, from 0 to 10 (a bound on input
/// errors: a tenfold caseload is beyond any published change).
const CASELOAD_MULTIPLE: AssumptionRange =
    AssumptionRange { min: 0.0, max: 10.0, description: "a multiple of the base year's caseload share, from 0 to 10" };

/// A multiple of the base year's dibao thresholds from 1 to 20 (a floor: thresholds
/// never fall below the base year's in the baseline; 20 is beyond any published rise:
/// the national rural threshold rose 3.4 times from 2012 to 2022, dibao_national.csv).
const THRESHOLD_MULTIPLE: AssumptionRange =
    AssumptionRange { min: 1.0, max: 20.0, description: "a multiple of the base year's thresholds, from 1 to 20" };

/// A standard deviation of log income from 0 to 1 (a yearly shock of ±100% in logs is
/// far beyond any earnings-dynamics estimate; a bound on input errors).
const SPREAD: AssumptionRange =
    AssumptionRange { min: 0.0, max: 1.0, description: "a standard deviation of log income from 0 to 1" };

/// Every baseline assumption, in documentation order: growth rates stop at
/// [`crate::model::bounds::MAX_RATE`] and −0.9; shares (and the share of the 2024
/// decision's delay of the retirement ages applied, the wage shock's persistence and
/// the standard deviations of income shocks) are 0–1; the mortality multiple
/// stops at 10 and the crude birth rate at 0.1 births per person.
pub const ASSUMPTION_TABLE: [Assumption; 29] = [
    Assumption { name: "wage_growth_urban", range: GROWTH, fields: &[|d| &mut d.wage_growth[0]], acts_from: 0 },
    Assumption { name: "wage_growth_rural", range: GROWTH, fields: &[|d| &mut d.wage_growth[1]], acts_from: 0 },
    Assumption { name: "wage_growth_migrant", range: GROWTH, fields: &[|d| &mut d.wage_growth[2]], acts_from: 0 },
    Assumption {
        name: "operating_growth",
        range: GROWTH,
        fields: &[|d| &mut d.operating_growth[0], |d| &mut d.operating_growth[1]],
        acts_from: 0,
    },
    Assumption {
        name: "operating_growth_urban",
        range: GROWTH,
        fields: &[|d| &mut d.operating_growth[0]],
        acts_from: 0,
    },
    Assumption {
        name: "operating_growth_rural",
        range: GROWTH,
        fields: &[|d| &mut d.operating_growth[1]],
        acts_from: 0,
    },
    Assumption {
        name: "property_growth",
        range: GROWTH,
        fields: &[|d| &mut d.property_growth[0], |d| &mut d.property_growth[1]],
        acts_from: 0,
    },
    Assumption { name: "property_growth_urban", range: GROWTH, fields: &[|d| &mut d.property_growth[0]], acts_from: 0 },
    Assumption { name: "property_growth_rural", range: GROWTH, fields: &[|d| &mut d.property_growth[1]], acts_from: 0 },
    Assumption { name: "cpi_inflation", range: GROWTH, fields: &[|d| &mut d.cpi_inflation], acts_from: 0 },
    Assumption { name: "migration_rate", range: SHARE, fields: &[|d| &mut d.migration_rate], acts_from: 0 },
    Assumption { name: "return_rate", range: SHARE, fields: &[|d| &mut d.return_rate], acts_from: 0 },
    Assumption { name: "leave_home_rate", range: SHARE, fields: &[|d| &mut d.leave_home_rate], acts_from: 0 },
    Assumption {
        name: "job_exit_rate_scale",
        range: AssumptionRange {
            min: 0.0,
            max: 10.0,
            description: "a multiple of the assumed yearly rates of leaving an activity, from 0 to 10",
        },
        fields: &[|d| &mut d.job_exit_rate_scale],
        acts_from: 0,
    },
    Assumption { name: "wage_rho", range: SHARE, fields: &[|d| &mut d.wage_rho], acts_from: 0 },
    Assumption {
        name: "wage_sigma_persistent",
        range: SPREAD,
        fields: &[|d| &mut d.wage_sigma_persistent],
        acts_from: 0,
    },
    Assumption {
        name: "wage_sigma_transitory",
        range: SPREAD,
        fields: &[|d| &mut d.wage_sigma_transitory],
        acts_from: 0,
    },
    Assumption { name: "operating_sigma", range: SPREAD, fields: &[|d| &mut d.operating_sigma], acts_from: 0 },
    Assumption { name: "urban_share", range: SHARE, fields: &[|d| &mut d.urban_share], acts_from: 0 },
    Assumption {
        name: "urbanised_wage_catch_up",
        range: SHARE,
        fields: &[|d| &mut d.urbanised_wage_catch_up],
        acts_from: 0,
    },
    Assumption {
        name: "mortality_scale",
        range: AssumptionRange {
            min: 0.0,
            max: 10.0,
            description: "a multiple of the 2020 death hazards, from 0 to 10",
        },
        fields: &[|d| &mut d.mortality_scale],
        acts_from: 0,
    },
    Assumption {
        name: "crude_birth_rate",
        range: AssumptionRange { min: 0.0, max: 0.1, description: "births per person per year, from 0 to 0.1" },
        fields: &[|d| &mut d.crude_birth_rate],
        acts_from: 0,
    },
    // The first cohorts whose ages rise reach their old ages in 2025.
    Assumption { name: "retirement_delay", range: SHARE, fields: &[|d| &mut d.retirement_delay], acts_from: 2025 },
    Assumption { name: "alignment_per_earner", range: SHARE, fields: &[|d| &mut d.alignment_per_earner], acts_from: 0 },
    Assumption {
        name: "dibao_caseload_alignment",
        range: SHARE,
        fields: &[|d| &mut d.dibao_caseload_alignment],
        acts_from: 0,
    },
    Assumption {
        name: "dibao_caseload_share_multiple_urban",
        range: CASELOAD_MULTIPLE,
        fields: &[|d| &mut d.dibao_caseload_share_multiple[0]],
        acts_from: 0,
    },
    Assumption {
        name: "dibao_caseload_share_multiple_rural",
        range: CASELOAD_MULTIPLE,
        fields: &[|d| &mut d.dibao_caseload_share_multiple[1]],
        acts_from: 0,
    },
    Assumption {
        name: "dibao_threshold_multiple_urban",
        range: THRESHOLD_MULTIPLE,
        fields: &[|d| &mut d.dibao_threshold_multiple[0]],
        acts_from: 0,
    },
    Assumption {
        name: "dibao_threshold_multiple_rural",
        range: THRESHOLD_MULTIPLE,
        fields: &[|d| &mut d.dibao_threshold_multiple[1]],
        acts_from: 0,
    },
];

/// The names of [`ASSUMPTION_TABLE`], in its order.
pub const ASSUMPTIONS: [&str; ASSUMPTION_TABLE.len()] = {
    let mut names = [""; ASSUMPTION_TABLE.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = ASSUMPTION_TABLE[i].name;
        i += 1;
    }
    names
};

/// The assumption of [`ASSUMPTION_TABLE`] of that name.
pub fn assumption(name: &str) -> Option<&'static Assumption> {
    ASSUMPTION_TABLE.iter().find(|a| a.name == name)
}

/// The accepted range of an assumption of [`ASSUMPTIONS`] (`None` for another name).
pub fn assumption_range(name: &str) -> Option<AssumptionRange> {
    assumption(name).map(|a| a.range)
}

impl Assumption {
    /// Whether it sets the urban and rural series of a part at once (each also has a
    /// name of its own, `…_urban` and `…_rural`).
    pub fn sets_both(&self) -> bool {
        self.fields.len() > 1
    }

    /// The assumptions of one residence's series each that it stands for when it sets
    /// both (`operating_growth`: `operating_growth_urban`, `operating_growth_rural`);
    /// none otherwise.
    pub fn per_residence(&self) -> Vec<&'static Assumption> {
        if !self.sets_both() {
            return Vec::new();
        }
        ["urban", "rural"].iter().filter_map(|r| assumption(&format!("{}_{r}", self.name))).collect()
    }

    /// Calls `f` with each dynamics field it sets, in order.
    pub fn for_each_field(&self, d: &mut Dynamics, mut f: impl FnMut(&mut Dated<f64>)) {
        for field in self.fields {
            f(field(d));
        }
    }

    /// Sets every field it sets to `value`.
    pub fn set(&self, d: &mut Dynamics, value: &Dated<f64>) {
        self.for_each_field(d, |slot| *slot = value.clone());
    }
}

/// One assumption's values by year, as a projection reads them (the value in force in
/// January of each year), and whether a scenario set it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AssumptionPath {
    /// The assumption's name ([`ASSUMPTIONS`]).
    pub name: &'static str,
    /// Its accepted values, in words.
    pub range: &'static str,
    /// Whether it is a yearly rate (a growth rate or inflation; shown as a percentage).
    pub rate: bool,
    /// Whether the scenario sets it to something other than its profile's default.
    pub set_by_scenario: bool,
    /// The value of each year asked.
    pub values: Vec<YearValue>,
}

/// A value of one year.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct YearValue {
    /// The year.
    pub year: u16,
    /// The value in force in its January.
    pub value: f64,
}

/// One assumption of [`ASSUMPTION_TABLE`] as a scenario's dynamics hold it.
#[derive(Debug, Clone)]
pub struct AssumptionSeries {
    /// The assumption.
    pub assumption: &'static Assumption,
    /// Its dated values in the scenario's dynamics.
    pub series: Dated<f64>,
    /// Whether they differ from the profile's defaults.
    pub set_by_scenario: bool,
}

/// Every assumption of [`ASSUMPTION_TABLE`] in `dynamics`, each marked when it differs
/// from `defaults` (the profile's own dynamics).
pub fn assumption_series(dynamics: &Dynamics, defaults: &Dynamics) -> Vec<AssumptionSeries> {
    let (mut d, mut base) = (dynamics.clone(), defaults.clone());
    ASSUMPTION_TABLE
        .iter()
        .filter(|a| !a.sets_both())
        .filter_map(|a| {
            let field = a.fields.first()?;
            let series = field(&mut d).clone();
            let set_by_scenario = series != *field(&mut base);
            Some(AssumptionSeries { assumption: a, series, set_by_scenario })
        })
        .collect()
}

/// Every assumption of [`ASSUMPTION_TABLE`] in `dynamics` for `years`, each marked
/// when it differs from `defaults` (the profile's own dynamics).
pub fn assumption_paths(
    dynamics: &Dynamics,
    defaults: &Dynamics,
    years: std::ops::RangeInclusive<u16>,
) -> Vec<AssumptionPath> {
    assumption_series(dynamics, defaults)
        .into_iter()
        .map(|AssumptionSeries { assumption: a, series, set_by_scenario }| {
            let values = years
                .clone()
                .map(|year| YearValue { year, value: *series.at(crate::policy::YearMonth::start_of(year)) })
                .collect();
            let rate = a.range.description == GROWTH.description;
            AssumptionPath { name: a.name, range: a.range.description, rate, set_by_scenario, values }
        })
        .collect()
}

impl Scenario {
    /// Reads a scenario from a TOML or JSON file (see [`load`], which keeps every
    /// problem apart).
    ///
    /// # Errors
    /// [`crate::error::Error::Parse`] listing every problem.
    pub fn from_file(path: &Path) -> Result<Scenario> {
        Ok(load(path)?)
    }

    /// Parses a scenario from TOML (or JSON) text; `origin` names it in errors.
    ///
    /// # Errors
    /// As [`Scenario::from_file`].
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Scenario> {
        Ok(parse_str(text, origin)?)
    }

    /// The embedded default scenario.
    ///
    /// # Errors
    /// Only if the embedded file is broken (a test guards it).
    pub fn default_scenario() -> Result<Scenario> {
        Ok(load_builtin(DEFAULT_SCENARIO_NAME)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_assumption_sets_its_own_field_and_accepts_its_range() {
        let profile = crate::region::Profile::builtin("liupanshui-2021").expect("profile");
        let start = Dynamics::from_profile(&profile);
        for (i, a) in ASSUMPTION_TABLE.iter().enumerate() {
            assert_eq!(ASSUMPTIONS[i], a.name);
            assert!(a.range.contains(a.range.min) && a.range.contains(a.range.max) && a.range.min < a.range.max);
            let mut d = start.clone();
            assumption(a.name).expect("known").set(&mut d, &Dated::constant(0.0123));
            // Exactly this assumption's fields changed: every other one reads as before
            // (`operating_growth` sets the urban and the rural series, which are also
            // `operating_growth_urban` and `operating_growth_rural`).
            for b in &ASSUMPTION_TABLE {
                let (mut x, mut y) = (start.clone(), d.clone());
                let changed = b.fields.iter().any(|f| f(&mut x) != f(&mut y));
                let stands_for = |x: &Assumption, y: &Assumption| x.per_residence().iter().any(|o| o.name == y.name);
                let shares = stands_for(a, b) || stands_for(b, a);
                assert_eq!(changed, a.name == b.name || shares, "{} set, {} read", a.name, b.name);
            }
        }
        assert!(assumption("wage_growth").is_none());
    }
}
