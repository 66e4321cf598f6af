//! Scenario files: a region, a population size, a seed, the years, baseline
//! assumptions and their uncertainty, reform levers by name with dated parameters,
//! targets and replications.
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

use std::path::Path;

use serde::Deserialize;

use crate::dynamics::Dynamics;
use crate::engine::projection::{ReformLever, Scenario, Uncertain};
use crate::engine::targets::Target;
use crate::error::{Error, Result};
use crate::policy::{Dated, YearMonth};
use crate::region::Profile;

/// The embedded default scenario: the Liupanshui 2022 plan on its 2021 population.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/liupanshui-2022.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: String,
    region: String,
    #[serde(default = "default_households")]
    households: usize,
    #[serde(default = "default_seed")]
    seed: u64,
    last_year: u16,
    #[serde(default = "default_replications")]
    replications: usize,
    #[serde(default = "default_true")]
    shapley: bool,
    #[serde(default = "default_permutations")]
    shapley_permutations: usize,
    #[serde(default = "default_lines")]
    poverty_lines: Vec<f64>,
    #[serde(default)]
    assumptions: toml::Table,
    #[serde(default)]
    uncertainty: toml::Table,
    #[serde(default)]
    levers: toml::Table,
    #[serde(default)]
    targets: Vec<Target>,
}

fn default_households() -> usize {
    20_000
}
fn default_seed() -> u64 {
    7
}
fn default_replications() -> usize {
    1
}
fn default_true() -> bool {
    true
}
fn default_permutations() -> usize {
    200
}
fn default_lines() -> Vec<f64> {
    vec![6_000.0, 10_000.0]
}

/// The baseline assumptions a scenario can set, with the dynamics field each sets.
pub const ASSUMPTIONS: [&str; 11] = [
    "wage_growth_urban",
    "wage_growth_rural",
    "wage_growth_migrant",
    "operating_growth",
    "property_growth",
    "cpi_inflation",
    "migration_rate",
    "return_rate",
    "urban_share",
    "mortality_scale",
    "crude_birth_rate",
];

/// The dated parameter of the dynamics an assumption name sets.
pub fn assumption_mut<'a>(d: &'a mut Dynamics, name: &str) -> Option<&'a mut Dated<f64>> {
    Some(match name {
        "wage_growth_urban" => &mut d.wage_growth[0],
        "wage_growth_rural" => &mut d.wage_growth[1],
        "wage_growth_migrant" => &mut d.wage_growth[2],
        "operating_growth" => &mut d.operating_growth,
        "property_growth" => &mut d.property_growth,
        "cpi_inflation" => &mut d.cpi_inflation,
        "migration_rate" => &mut d.migration_rate,
        "return_rate" => &mut d.return_rate,
        "urban_share" => &mut d.urban_share,
        "mortality_scale" => &mut d.mortality_scale,
        "crude_birth_rate" => &mut d.crude_birth_rate,
        _ => return None,
    })
}

fn invalid(origin: &str, field: &str, value: impl std::fmt::Display, problem: impl Into<String>) -> Error {
    Error::InvalidValue {
        origin: origin.into(),
        field: field.into(),
        value: value.to_string(),
        problem: problem.into(),
    }
}

fn dated(origin: &str, field: &str, v: &toml::Value) -> Result<Dated<f64>> {
    let number = |x: &toml::Value| match x {
        toml::Value::Integer(i) => Ok(*i as f64),
        toml::Value::Float(f) if f.is_finite() => Ok(*f),
        other => Err(invalid(origin, field, other, "expected a number")),
    };
    match v {
        toml::Value::Table(t) => {
            let mut steps = Vec::new();
            for (k, x) in t {
                let m = YearMonth::parse(k)
                    .ok_or_else(|| invalid(origin, &format!("{field}.{k}"), k, "expected a month like 2022-01"))?;
                steps.push((m, number(x)?));
            }
            steps.sort_by_key(|s| s.0);
            Dated::new(steps).ok_or_else(|| invalid(origin, field, v, "needs at least one month"))
        }
        other => Ok(Dated::constant(number(other)?)),
    }
}

impl Scenario {
    /// Reads a scenario from a TOML file.
    ///
    /// # Errors
    /// [`Error::Io`] if it cannot be read; [`Error::Parse`] with line and column for a
    /// syntax error; [`Error::InvalidValue`] naming the field for a bad value; an
    /// unknown region or lever.
    pub fn from_file(path: &Path) -> Result<Scenario> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        Self::from_toml_str(&text, &path.display().to_string())
    }

    /// Parses a scenario from TOML text; `origin` names it in errors.
    ///
    /// # Errors
    /// As [`Scenario::from_file`].
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Scenario> {
        let raw: RawScenario = toml::from_str(text)
            .map_err(|e: toml::de::Error| Error::Parse { origin: origin.to_string(), message: e.to_string() })?;
        let profile = Profile::load(&raw.region)?;
        if raw.households == 0 {
            return Err(invalid(origin, "households", 0, "a population needs at least one household"));
        }
        if raw.last_year <= profile.base_year {
            return Err(invalid(
                origin,
                "last_year",
                raw.last_year,
                format!("must come after the base year {} of `{}`", profile.base_year, profile.id),
            ));
        }
        if raw.replications == 0 {
            return Err(invalid(origin, "replications", 0, "at least one"));
        }
        let mut dynamics = Dynamics::from_profile(&profile);
        for (k, v) in &raw.assumptions {
            let field = format!("assumptions.{k}");
            let value = dated(origin, &field, v)?;
            let slot = assumption_mut(&mut dynamics, k).ok_or_else(|| {
                invalid(
                    origin,
                    &field,
                    v,
                    format!("unknown assumption{}", crate::policy::registry::did_you_mean(k, &ASSUMPTIONS)),
                )
            })?;
            *slot = value;
        }
        let mut uncertainty = Vec::new();
        for (k, v) in &raw.uncertainty {
            let field = format!("uncertainty.{k}");
            if !ASSUMPTIONS.contains(&k.as_str()) {
                return Err(invalid(
                    origin,
                    &field,
                    v,
                    format!("unknown assumption{}", crate::policy::registry::did_you_mean(k, &ASSUMPTIONS)),
                ));
            }
            let sd = v.as_float().or_else(|| v.as_integer().map(|i| i as f64)).unwrap_or(-1.0);
            if !(sd >= 0.0 && sd.is_finite()) {
                return Err(invalid(origin, &field, v, "a standard deviation: a number, not negative"));
            }
            uncertainty.push(Uncertain { assumption: k.clone(), sd });
        }
        let mut reform = Vec::new();
        for (name, params) in &raw.levers {
            crate::policy::registry::find(name)?;
            let params = params
                .as_table()
                .cloned()
                .ok_or_else(|| invalid(origin, &format!("levers.{name}"), params, "expected a table of parameters"))?;
            // Check the parameters now, against the profile (the calibrated take-up
            // is filled in when the run builds the lever).
            crate::policy::registry::build(name, crate::policy::registry::BuildContext::new(&profile), &params)?;
            reform.push(ReformLever { name: name.clone(), params });
        }
        Ok(Scenario {
            name: raw.name,
            profile,
            households: raw.households,
            seed: raw.seed,
            last_year: raw.last_year,
            dynamics,
            reform,
            targets: raw.targets,
            replications: raw.replications,
            shapley: raw.shapley,
            shapley_permutations: raw.shapley_permutations,
            shapley_exact_max: crate::engine::shapley::EXACT_MAX_LEVERS,
            poverty_lines: raw.poverty_lines,
            uncertainty,
        })
    }

    /// The embedded default scenario.
    ///
    /// # Errors
    /// Only if the embedded file is broken (a test guards it).
    pub fn default_scenario() -> Result<Scenario> {
        Self::from_toml_str(DEFAULT_SCENARIO, "scenario liupanshui-2022 (embedded)")
    }
}
