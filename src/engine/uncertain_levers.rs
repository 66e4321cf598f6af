//! Uncertain lever parameters: the levers' own assumptions, drawn per replication.
//!
//! Most of what a plan's levers do rests on numbers nobody has published: the share of
//! trainees without work who find a job (`skills_training.employment_probability`,
//! 0.3), the share of transferred workers who stay (`labour_transfer.retention`, 0.8),
//! a start-up's income. A target's probability over replications that vary only the
//! baseline assumptions leaves that out. An [`UncertainLever`] names one numeric
//! parameter of one of the scenario's reform levers and how far it may be off; each
//! replication after the first draws one standard normal `z` for it, keyed by the
//! seed, the replication and the parameter's path (so adding an entry does not change
//! the draws of the others), and
//!
//! * [`Spread::Absolute`] adds `sd × z` to every number of the parameter (each step of
//!   a dated value, each county tier),
//! * [`Spread::Relative`] multiplies every number by `1 + sd × z`,
//!
//! each result clamped to what the parameter accepts (a share to 0–1, an amount or a
//! count to at least 0, a rate to at least [`LOWEST_DRAWN_RATE`]). The first
//! replication runs the scenario's values, so its Shapley values and tables are the
//! central ones; the targets' probabilities and `indicators_intervals.csv` take the
//! spread of all replications.
//!
//! In a scenario file:
//!
//! ```toml
//! [uncertainty.levers.skills_training]
//! employment_probability = 0.1                 # sd in the parameter's unit
//! hourly_gain = { relative_sd = 0.25 }         # the value × (1 + 0.25 z)
//! ```

use super::correlation::JointDraws;
use super::projection::ReformLever;
use crate::error::{Error, Result};
use crate::model::bounds::{MAX_AMOUNT, MAX_NUMBER, MAX_RATE};
use crate::policy::rationing::lever_sub;
use crate::policy::registry::{self, DefaultValue, Kind, ParameterSpec};
use crate::random::{Purpose, StreamRng};
use crate::scenario::problem::shown_number;

/// The lowest value a drawn rate takes: rates must stay above −1 (−100%).
pub const LOWEST_DRAWN_RATE: f64 = -0.99;

/// The widest relative standard deviation (1 = 100% of the value).
pub const MAX_RELATIVE_SD: f64 = 1.0;

/// What is wrong with an [`UncertainLever`] ([`UncertainLever::problem`]), each with
/// its sentence (the caller names the field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UncertaintyProblem {
    /// The registry has no lever of that name.
    UnknownLever(String),
    /// The lever has no parameter of that name.
    UnknownParameter(String),
    /// The parameter cannot be uncertain, the spread is out of range, or the lever is
    /// not one of the scenario's.
    Invalid(String),
}

impl std::fmt::Display for UncertaintyProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UncertaintyProblem::UnknownLever(m)
            | UncertaintyProblem::UnknownParameter(m)
            | UncertaintyProblem::Invalid(m) => f.write_str(m),
        }
    }
}

/// How far an uncertain parameter may be off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spread {
    /// A standard deviation in the parameter's unit, added to each of its numbers.
    Absolute(f64),
    /// A standard deviation as a share of the value: each number times `1 + sd × z`.
    Relative(f64),
}

/// A reform lever's parameter drawn anew by each replication after the first.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertainLever {
    /// The lever's registry name (a lever of the scenario's reform).
    pub lever: String,
    /// The parameter's name.
    pub parameter: String,
    /// Its spread.
    pub spread: Spread,
}

impl UncertainLever {
    /// An uncertain parameter.
    pub fn new(lever: impl Into<String>, parameter: impl Into<String>, spread: Spread) -> Self {
        UncertainLever { lever: lever.into(), parameter: parameter.into(), spread }
    }

    /// `uncertainty.levers.LEVER.PARAMETER`, the field a scenario file writes.
    pub fn field(&self) -> String {
        format!("uncertainty.levers.{}.{}", self.lever, self.parameter)
    }

    /// The parameter's value in `params` (a lever's table in a scenario): the one set,
    /// or its default when that is a number.
    ///
    /// # Errors
    /// The problem, as a sentence (the caller names the field): an unknown lever or
    /// parameter, or a parameter left at a default that is not a number.
    pub fn value_in(&self, params: &toml::Table) -> std::result::Result<toml::Value, String> {
        let spec = registry::find(&self.lever).map_err(|e| e.to_string())?;
        let p = spec.parameter(&self.parameter).ok_or_else(|| "unknown parameter".to_string())?;
        Self::value_of(p, params)
    }

    /// The value of parameter `p` in `params`, set or a numeric default.
    fn value_of(p: &ParameterSpec, params: &toml::Table) -> std::result::Result<toml::Value, String> {
        match (params.get(p.name), p.default) {
            (Some(v), _) => Ok(v.clone()),
            (None, DefaultValue::Number(x)) => Ok(toml::Value::Float(x)),
            (None, d) => Err(format!("not set, and its default ({d}) is not a number")),
        }
    }

    /// `levers.LEVER.PARAMETER`, the value's path in reports and correlations
    /// ([`super::projection::Scenario::uncertain_paths`]).
    pub fn path(&self) -> String {
        format!("levers.{}.{}", self.lever, self.parameter)
    }

    /// The spread as a report writes it: `sd 0.1` or `relative sd 25%`.
    pub fn describe(&self) -> String {
        match self.spread {
            Spread::Absolute(sd) => format!("sd {}", shown_number(sd)),
            Spread::Relative(sd) => format!("relative sd {}%", shown_number(sd * 100.0)),
        }
    }

    /// The standard normal draw of replication `replication` (seed `seed`, the
    /// replication's own), keyed by the parameter's path.
    pub fn draw(&self, seed: u64, replication: usize) -> f64 {
        self.draw_again(seed, replication, 0)
    }

    /// The draw of try `attempt` (0 is [`UncertainLever::draw`]): a lever that refuses
    /// its drawn parameters as a whole is drawn again ([`draw`]).
    pub fn draw_again(&self, seed: u64, replication: usize, attempt: u32) -> f64 {
        let key = lever_sub(&format!("levers.{}.{}", self.lever, self.parameter));
        let key = key ^ u64::from(attempt).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        StreamRng::with_sub(seed, key, replication as u16, Purpose::Replication, 0x1e7e).normal()
    }

    /// Checks the entry against the registry and the scenario's reform: the lever is
    /// one of the reform's, the parameter a number it reads, the spread in range, and
    /// the value to shift known (set by the scenario or a numeric default). `None`
    /// when it is fine.
    pub fn problem(&self, reform: &[ReformLever]) -> Option<UncertaintyProblem> {
        let spec = match registry::find(&self.lever) {
            Ok(spec) => spec,
            Err(e) => return Some(UncertaintyProblem::UnknownLever(format!("{e}; `incomesim levers` lists them"))),
        };
        let Some(p) = spec.parameter(&self.parameter) else {
            let known: Vec<&str> = spec.parameters.iter().map(|p| p.name).collect();
            return Some(UncertaintyProblem::UnknownParameter(format!(
                "unknown parameter `{}` of `{}`{}; parameters: {}",
                self.parameter,
                self.lever,
                registry::did_you_mean(&self.parameter, &known),
                known.join(", ")
            )));
        };
        let invalid = |message: String| Some(UncertaintyProblem::Invalid(message));
        let Some((_, _, widest, _)) = bounds(p.kind) else {
            return invalid(format!(
                "`{}` is a {} parameter; only numbers (amounts, shares, rates, counts) can be uncertain",
                self.parameter,
                kind_word(p.kind)
            ));
        };
        match self.spread {
            Spread::Absolute(sd) if !(sd.is_finite() && (0.0..=widest).contains(&sd)) => {
                return invalid(format!(
                    "{} is out of range: expected a standard deviation in the parameter's unit ({}), from 0 to {}",
                    shown_number(sd),
                    p.unit,
                    shown_number(widest)
                ));
            }
            Spread::Relative(sd) if !(sd.is_finite() && (0.0..=MAX_RELATIVE_SD).contains(&sd)) => {
                return invalid(format!(
                    "relative_sd {} is out of range: expected a share of the value from 0 to {MAX_RELATIVE_SD}",
                    shown_number(sd)
                ));
            }
            _ => {}
        }
        let Some(lever) = reform.iter().find(|r| r.name == self.lever) else {
            return invalid(format!(
                "`{}` is not one of the scenario's levers: only a reform lever's parameters can be uncertain (add \
                 [levers.{}])",
                self.lever, self.lever
            ));
        };
        if !lever.params.contains_key(&self.parameter) && !matches!(p.default, DefaultValue::Number(_)) {
            return invalid(format!(
                "the scenario does not set `{}` and its default ({}) is not a number: set it in [levers.{}] to give \
                 it an uncertainty",
                self.parameter, p.default, self.lever
            ));
        }
        None
    }

    /// Shifts the parameter in `params` (the lever's table in the scenario) by the draw
    /// `z`: the scenario's value, or the numeric default when the scenario leaves it.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] naming the field when the entry has a
    /// [`problem`](Self::problem) the caller did not check.
    pub fn shift(&self, params: &mut toml::Table, z: f64) -> Result<()> {
        let bad = |problem: String| Error::InvalidRequest(format!("{}: {problem}", self.field()));
        let spec = registry::find(&self.lever).map_err(|e| bad(e.to_string()))?;
        let p: &ParameterSpec = spec.parameter(&self.parameter).ok_or_else(|| bad("unknown parameter".into()))?;
        let (low, high, _, whole) = bounds(p.kind).ok_or_else(|| bad("not a numeric parameter".into()))?;
        let value = Self::value_of(p, params).map_err(bad)?;
        let spread = self.spread;
        let shifted = map_numbers(&value, &|x| {
            let y = match spread {
                Spread::Absolute(sd) => x + sd * z,
                Spread::Relative(sd) => x * (1.0 + sd * z),
            };
            // A parameter of whole numbers takes the nearest.
            if whole { y.clamp(low, high).round() } else { y.clamp(low, high) }
        })
        .ok_or_else(|| bad("its value is not a number, a dated value or a list of them".into()))?;
        params.insert(self.parameter.clone(), shifted);
        Ok(())
    }
}

/// An uncertainty for every numeric parameter of `reform`'s levers that stands at a
/// default the registry marks as an assumption ([`registry::LeverSpec::assumed_defaults`],
/// the assumptions every run lists), a number other than 0 (a 0 default switches an
/// amount off, and a relative move leaves it there): each with the relative standard
/// deviation `relative_sd`. In lever and parameter order.
///
/// # Errors
/// [`Error::InvalidRequest`] for a `relative_sd` outside 0–[`MAX_RELATIVE_SD`], or a
/// lever the registry does not know.
pub fn assumed_defaults(reform: &[ReformLever], relative_sd: f64) -> Result<Vec<UncertainLever>> {
    if !(relative_sd.is_finite() && relative_sd > 0.0 && relative_sd <= MAX_RELATIVE_SD) {
        return Err(Error::InvalidRequest(format!(
            "the relative standard deviation of assumed defaults: {} must be above 0 and at most {MAX_RELATIVE_SD}",
            shown_number(relative_sd)
        )));
    }
    let mut out = Vec::new();
    for lever in reform {
        let spec = registry::find(&lever.name)?;
        for p in spec.assumed_default_parameters(&lever.params) {
            if bounds(p.kind).is_some() && matches!(p.default, DefaultValue::Number(x) if x != 0.0) {
                out.push(UncertainLever::new(lever.name.clone(), p.name, Spread::Relative(relative_sd)));
            }
        }
    }
    out.sort_by(|a, b| (&a.lever, &a.parameter).cmp(&(&b.lever, &b.parameter)));
    Ok(out)
}

/// Adds [`assumed_defaults`] of `s`'s reform to its uncertain lever parameters, except
/// those it already gives a spread; returns how many it added.
///
/// # Errors
/// As [`assumed_defaults`].
pub fn add_assumed_defaults(s: &mut super::projection::Scenario, relative_sd: f64) -> Result<usize> {
    let before = s.lever_uncertainty.len();
    for u in assumed_defaults(&s.reform, relative_sd)? {
        if !s.lever_uncertainty.iter().any(|x| x.lever == u.lever && x.parameter == u.parameter) {
            s.lever_uncertainty.push(u);
        }
    }
    s.lever_uncertainty.sort_by(|a, b| (&a.lever, &a.parameter).cmp(&(&b.lever, &b.parameter)));
    Ok(s.lever_uncertainty.len() - before)
}

/// Most tries at drawing a lever's uncertain parameters that it accepts as a whole.
pub const MAX_DRAWS: u32 = 100;

/// What a replication draws for its uncertain lever parameters
/// ([`super::projection::Scenario::drawn_reform`] fills it from a scenario).
#[derive(Debug, Clone, Copy)]
pub struct Draws<'a> {
    /// The uncertain lever parameters in draw order, grouped by lever
    /// ([`super::projection::Scenario::lever_draw_order`]).
    pub uncertain: &'a [&'a UncertainLever],
    /// The correlations' factor over the scenario's uncertain values: its assumptions
    /// first, then `uncertain`.
    pub joint: &'a JointDraws,
    /// The independent draws of the scenario's uncertain assumptions in this
    /// replication ([`super::projection::Scenario::assumption_draws`]).
    pub assumptions: &'a [f64],
    /// The replication's seed.
    pub seed: u64,
    /// The replication.
    pub replication: usize,
}

/// A replication's drawn reform with the draws behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    /// The reform's levers with their uncertain parameters drawn.
    pub reform: Vec<ReformLever>,
    /// The draw of each uncertain value in draw order (standard normal, correlated
    /// as the scenario says): the assumptions', then the lever parameters' (each the
    /// one its lever accepted); all 0 in the first replication.
    pub values: Vec<f64>,
}

/// The reform of a replication (`draws`) with the draws behind it ([`Drawn`]): the
/// scenario's levers, each uncertain parameter shifted by its draw. The first replication (0) runs them as written. The
/// levers draw in the order of `draws.uncertain`; a lever whose drawn parameters it
/// refuses together (shares of farm income that add up to more than 1, each within
/// its own range) draws its own again, given the values drawn before it, up to
/// [`MAX_DRAWS`] times: its parameters then follow the distribution truncated to what
/// the lever accepts. With correlations ([`super::correlation`]) a parameter's draw
/// is `Σ L_ij z_j` over the independent draws of the values up to it.
///
/// # Errors
/// [`Error::InvalidRequest`] naming the field: an entry for a lever the reform does
/// not have, correlations' factor of the wrong size, or no accepted draw in
/// [`MAX_DRAWS`] tries (with the lever's last refusal).
pub fn draw(reform: &[ReformLever], draws: &Draws<'_>, context: registry::BuildContext<'_>) -> Result<Drawn> {
    let mut out = reform.to_vec();
    let (seed, replication) = (draws.seed, draws.replication);
    let first = draws.assumptions.len();
    if replication == 0 {
        return Ok(Drawn { reform: out, values: vec![0.0; first + draws.uncertain.len()] });
    }
    if draws.joint.len() != first + draws.uncertain.len() {
        return Err(Error::InvalidRequest(format!(
            "uncertainty.correlations: their factor covers {} values, the scenario draws {}",
            draws.joint.len(),
            first + draws.uncertain.len()
        )));
    }
    // The independent draws of every value, in draw order, and the correlated ones.
    let mut z: Vec<f64> = draws.assumptions.to_vec();
    z.resize(first + draws.uncertain.len(), 0.0);
    let mut values = draws.joint.values(draws.assumptions);
    values.resize(first + draws.uncertain.len(), 0.0);
    let mut start = 0;
    while start < draws.uncertain.len() {
        let name = &draws.uncertain[start].lever;
        let end = start + draws.uncertain[start..].iter().take_while(|u| &u.lever == name).count();
        let Some(lever) = out.iter_mut().find(|l| &l.name == name) else {
            let u = draws.uncertain[start];
            return Err(Error::InvalidRequest(format!(
                "{}: `{}` is not one of the scenario's levers",
                u.field(),
                name
            )));
        };
        let mut refusal = None;
        for attempt in 0..MAX_DRAWS {
            for (i, u) in draws.uncertain.iter().enumerate().take(end).skip(start) {
                z[first + i] = u.draw_again(seed, replication, attempt);
            }
            let mut params = lever.params.clone();
            for (i, u) in draws.uncertain.iter().enumerate().take(end).skip(start) {
                values[first + i] = draws.joint.value(first + i, &z);
                u.shift(&mut params, values[first + i])?;
            }
            match registry::build(&lever.name, context, &params) {
                Ok(_) => {
                    lever.params = params;
                    refusal = None;
                    break;
                }
                Err(e) => refusal = Some(e),
            }
        }
        if let Some(e) = refusal {
            return Err(Error::InvalidRequest(format!(
                "uncertainty.levers.{}: no draw of its uncertain parameters in {MAX_DRAWS} tries is one the lever \
                 accepts (replication {replication}; the last: {e}); narrow their spreads",
                lever.name
            )));
        }
        start = end;
    }
    Ok(Drawn { reform: out, values })
}

/// What values a parameter of this kind takes: the lowest, the highest, the widest
/// absolute standard deviation, and whether only whole numbers; `None` for a kind
/// that is not a number to move (a switch, a month, a word, a duration in months).
fn bounds(kind: Kind) -> Option<(f64, f64, f64, bool)> {
    match kind {
        Kind::Money | Kind::DatedMoney | Kind::MoneyList => Some((0.0, MAX_AMOUNT, MAX_AMOUNT, false)),
        Kind::Share | Kind::DatedShare => Some((0.0, 1.0, 1.0, false)),
        Kind::Rate | Kind::DatedRate => Some((LOWEST_DRAWN_RATE, MAX_RATE, MAX_RATE - LOWEST_DRAWN_RATE, false)),
        Kind::DatedCount | Kind::Number => Some((0.0, MAX_NUMBER, MAX_NUMBER, false)),
        Kind::Whole => Some((0.0, 255.0, 255.0, true)),
        Kind::Months | Kind::Flag | Kind::Choice(_) | Kind::YearMonth => None,
    }
}

/// What a non-numeric kind is called in a message.
fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Months => "months",
        Kind::Flag => "switch",
        Kind::Choice(_) => "word",
        Kind::YearMonth => "month",
        _ => "number",
    }
}

/// `value` with `f` applied to every number in it (a number, a table of effective
/// months to numbers, a list of either); `None` if it holds anything else. Whole
/// numbers come back as floats.
pub(crate) fn map_numbers(value: &toml::Value, f: &dyn Fn(f64) -> f64) -> Option<toml::Value> {
    match value {
        toml::Value::Integer(i) => Some(toml::Value::Float(f(*i as f64))),
        toml::Value::Float(x) => Some(toml::Value::Float(f(*x))),
        toml::Value::Table(t) => {
            let mut out = toml::Table::new();
            for (k, v) in t {
                out.insert(k.clone(), map_numbers(v, f)?);
            }
            Some(toml::Value::Table(out))
        }
        toml::Value::Array(items) => {
            items.iter().map(|v| map_numbers(v, f)).collect::<Option<_>>().map(toml::Value::Array)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(profile: &crate::region::Profile) -> registry::BuildContext<'_> {
        registry::BuildContext::new(profile)
    }

    /// [`draw`]'s reform with independent draws and no uncertain assumptions.
    fn drawn(
        reform: &[ReformLever],
        uncertain: &[UncertainLever],
        seed: u64,
        replication: usize,
        context: registry::BuildContext<'_>,
    ) -> Result<Vec<ReformLever>> {
        let uncertain: Vec<&UncertainLever> = uncertain.iter().collect();
        let joint = JointDraws::independent(uncertain.len());
        let draws = Draws { uncertain: &uncertain, joint: &joint, assumptions: &[], seed, replication };
        draw(reform, &draws, context).map(|d| d.reform)
    }

    #[test]
    fn a_draw_the_lever_refuses_as_a_whole_is_drawn_again() {
        let profile = crate::region::Profile::builtin("liupanshui-2021").unwrap();
        // Farm income shares near their sum of 1: many draws add up to more.
        let mut params = toml::Table::new();
        for (k, v) in [("grain_share", 0.6), ("oilseed_share", 0.2), ("specialty_share", 0.15)] {
            params.insert(k.into(), toml::Value::Float(v));
        }
        let reform = vec![ReformLever { name: "farm_productivity".into(), params }];
        let shares: Vec<UncertainLever> = ["grain_share", "oilseed_share", "specialty_share"]
            .iter()
            .map(|p| UncertainLever::new("farm_productivity", *p, Spread::Relative(0.2)))
            .collect();
        let mut redrawn = 0;
        for r in 1..40 {
            let drawn = drawn(&reform, &shares, 7 + r as u64, r, context(&profile)).unwrap();
            let sum: f64 = ["grain_share", "oilseed_share", "specialty_share"]
                .iter()
                .map(|p| drawn[0].params[*p].as_float().unwrap())
                .sum();
            assert!(sum <= 1.0 + 1e-12, "replication {r}: {sum}");
            let first: f64 = shares
                .iter()
                .map(|u| {
                    let base = reform[0].params[&u.parameter].as_float().unwrap();
                    (base * (1.0 + 0.2 * u.draw(7 + r as u64, r))).clamp(0.0, 1.0)
                })
                .sum();
            if first > 1.0 {
                redrawn += 1;
            }
        }
        assert!(redrawn > 0, "some first draws add up to more than 1");
        // Parameters no draw can bring within what the lever accepts fail, naming it.
        let mut over = reform.clone();
        for k in ["grain_share", "oilseed_share", "specialty_share"] {
            over[0].params.insert(k.into(), toml::Value::Float(0.5));
        }
        let still: Vec<UncertainLever> = ["grain_share", "oilseed_share", "specialty_share"]
            .iter()
            .map(|p| UncertainLever::new("farm_productivity", *p, Spread::Relative(0.0)))
            .collect();
        let err = drawn(&over, &still, 7, 1, context(&profile)).unwrap_err().to_string();
        assert!(err.contains("uncertainty.levers.farm_productivity") && err.contains("100 tries"), "{err}");
        let err = drawn(&[], &still, 7, 1, context(&profile)).unwrap_err().to_string();
        assert!(err.contains("not one of the scenario's levers"), "{err}");
    }

    fn training(params: toml::Table) -> Vec<ReformLever> {
        vec![ReformLever { name: "skills_training".into(), params }]
    }

    #[test]
    fn an_absolute_spread_moves_the_default_and_clamps_a_share() {
        let u = UncertainLever::new("skills_training", "employment_probability", Spread::Absolute(0.1));
        let mut params = toml::Table::new();
        u.shift(&mut params, 1.5).unwrap();
        assert!((params["employment_probability"].as_float().unwrap() - 0.45).abs() < 1e-12);
        u.shift(&mut params, 9.0).unwrap();
        assert_eq!(params["employment_probability"].as_float(), Some(1.0));
        u.shift(&mut params, -30.0).unwrap();
        assert_eq!(params["employment_probability"].as_float(), Some(0.0));
    }

    #[test]
    fn a_whole_number_parameter_takes_the_nearest_whole_number() {
        let u = UncertainLever::new("dibao", "sanction_offers_per_year", Spread::Relative(0.25));
        let mut params = toml::Table::new();
        u.shift(&mut params, 1.0).unwrap();
        assert_eq!(params["sanction_offers_per_year"].as_float(), Some(3.0), "2 × 1.25 = 2.5, rounded");
        u.shift(&mut params, -0.3).unwrap();
        assert_eq!(params["sanction_offers_per_year"].as_float(), Some(3.0), "3 × 0.925 = 2.775");
        let profile = crate::region::Profile::builtin("yangquan-2017").unwrap();
        assert!(registry::build("dibao", registry::BuildContext::new(&profile), &params).is_ok());
    }

    #[test]
    fn a_relative_spread_scales_every_step_and_tier() {
        let u = UncertainLever::new("dibao", "urban_threshold_per_month", Spread::Relative(0.1));
        let value: toml::Value = toml::from_str::<toml::Table>(
            r#"v = [{ "2021-01" = 670, "2022-12" = 705 }, { "2021-01" = 627, "2022-12" = 660 }]"#,
        )
        .unwrap()["v"]
            .clone();
        let mut params = toml::Table::new();
        params.insert("urban_threshold_per_month".into(), value);
        u.shift(&mut params, -1.0).unwrap();
        let tiers = params["urban_threshold_per_month"].as_array().unwrap();
        assert!((tiers[0]["2022-12"].as_float().unwrap() - 634.5).abs() < 1e-9);
        assert!((tiers[1]["2021-01"].as_float().unwrap() - 564.3).abs() < 1e-9);
    }

    #[test]
    fn the_first_replication_runs_the_scenario_and_later_ones_draw_by_path() {
        let a = UncertainLever::new("skills_training", "employment_probability", Spread::Absolute(0.1));
        let b = UncertainLever::new("skills_training", "hourly_gain", Spread::Relative(0.2));
        let reform = training(toml::Table::new());
        let profile = crate::region::Profile::builtin("wuzhong-2022").unwrap();
        assert_eq!(drawn(&reform, &[a.clone(), b.clone()], 7, 0, context(&profile)).unwrap(), reform);
        let both = drawn(&reform, &[a.clone(), b.clone()], 8, 1, context(&profile)).unwrap();
        let alone = drawn(&reform, std::slice::from_ref(&a), 8, 1, context(&profile)).unwrap();
        // A second entry leaves the first one's draw as it was.
        assert_eq!(both[0].params["employment_probability"], alone[0].params["employment_probability"]);
        assert_ne!(both[0].params["employment_probability"].as_float(), Some(0.3));
        assert_ne!(a.draw(8, 1), a.draw(9, 2));
    }

    #[test]
    fn assumed_defaults_are_the_numeric_nonzero_ones_the_scenario_leaves() {
        let mut params = toml::Table::new();
        params.insert("hours_per_month".into(), toml::Value::Float(170.0));
        let found = assumed_defaults(&training(params), 0.25).unwrap();
        let names: Vec<&str> = found.iter().map(|u| u.parameter.as_str()).collect();
        assert!(names.contains(&"employment_probability") && names.contains(&"certificate_rate"), "{names:?}");
        assert!(!names.contains(&"hours_per_month"), "set by the scenario");
        assert!(!names.contains(&"training_month"), "months are not moved");
        assert!(!names.contains(&"living_allowance"), "a 0 default stays off");
        assert!(!names.contains(&"places_per_year"), "not an assumption");
        assert!(
            found
                .iter()
                .all(|u| u.spread == Spread::Relative(0.25) && u.problem(&training(toml::Table::new())).is_none())
        );
        for bad in [0.0, -0.1, 1.5, f64::NAN] {
            assert!(assumed_defaults(&training(toml::Table::new()), bad).is_err());
        }
    }

    #[test]
    fn problems_name_what_is_wrong() {
        let reform = training(toml::Table::new());
        let problem = |u: UncertainLever| u.problem(&reform).map(|p| p.to_string()).unwrap_or_default();
        assert!(problem(UncertainLever::new("nope", "x", Spread::Absolute(0.1))).contains("unknown lever"));
        assert!(
            problem(UncertainLever::new("skills_training", "employment_probabilty", Spread::Absolute(0.1)))
                .contains("did you mean `employment_probability`")
        );
        assert!(
            problem(UncertainLever::new("skills_training", "training_month", Spread::Absolute(1.0)))
                .contains("only numbers")
        );
        assert!(
            problem(UncertainLever::new("skills_training", "employment_probability", Spread::Absolute(2.0)))
                .contains("from 0 to 1")
        );
        assert!(
            problem(UncertainLever::new("skills_training", "hourly_gain", Spread::Relative(-0.1)))
                .contains("relative_sd")
        );
        assert!(problem(UncertainLever::new("dibao", "take_up_urban", Spread::Absolute(0.1))).contains("not one of"));
        assert_eq!(UncertainLever::new("skills_training", "hourly_gain", Spread::Relative(0.2)).problem(&reform), None);
    }
}
