//! Solving for a value: the value of one lever parameter or baseline assumption at
//! which a target of the scenario starts to be met — "what rural dibao threshold brings
//! the urban-rural ratio to 2.5 in 2024?" — by bisection between two values at which
//! the target is met at one and missed at the other.
//!
//! Every run uses the scenario's population and seed (common random numbers, as a
//! sweep, [`super::sweep`]), so the outcome moves with the value only. Bisection assumes
//! the target is met on one side of a single crossing between the two ends; a target
//! that is met, missed and met again within the range is found at one of its crossings.

use serde::Serialize;

use super::projection::{Outcome, Scenario};
use super::sweep::{self, PointSummary, SweepField, SweepPoint};
use crate::error::{Error, Result};
use crate::policy::registry;
use crate::scenario::problem::shown_number;

/// Most projections a solve runs (both ends included).
pub const MAX_SOLVE_RUNS: usize = 40;

/// What to solve for.
#[derive(Debug, Clone)]
pub struct SolveRequest {
    /// The value searched.
    pub field: SweepField,
    /// One end of the range.
    pub low: f64,
    /// The other end (above `low`).
    pub high: f64,
    /// Index of the target in the scenario's `targets`.
    pub target: usize,
    /// Width of the bracket at which the search stops, in the field's unit. With
    /// whole-number ends and a tolerance of at least 1, or for a parameter in months,
    /// only whole numbers are tried.
    pub tolerance: f64,
    /// When given, the target counts as met at a value when at least this share of the
    /// scenario's replications meet it ([`SolveRequest::with_probability`]): "the
    /// threshold at which the target is met in 90% of replications". `None`: as the
    /// target's own verdict (on the mean of the replications).
    pub probability: Option<f64>,
}

impl SolveRequest {
    /// A request from `PATH=LOW:HIGH` (as [`sweep::Axis::parse`] names fields), a
    /// target by its name or its number from 1, and an optional tolerance (default the
    /// range's width / 256, eight halvings).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] naming what is wrong: the range, the field, a target
    /// the scenario does not have, a tolerance that is not positive.
    pub fn parse(s: &Scenario, range: &str, target: &str, tolerance: Option<f64>) -> Result<SolveRequest> {
        let bad = |problem: String| Error::InvalidRequest(format!("solve `{range}`: {problem}"));
        let (path, values) = range.split_once('=').ok_or_else(|| bad("expected PATH=LOW:HIGH (no `=`)".into()))?;
        let field = sweep::parse_field(path.trim()).map_err(bad)?;
        if field.kind() == Some(registry::Kind::Flag) {
            return Err(bad(format!(
                "`{}` is a switch, with nothing between off and on to search: sweep it (`sweep --vary {}=0,1`)",
                path.trim().rsplit('.').next().unwrap_or_default(),
                path.trim()
            )));
        }
        let ends: Vec<&str> = values.split(':').collect();
        let [low, high] = ends.as_slice() else {
            return Err(bad(format!("`{}`: a range to solve in is LOW:HIGH", values.trim())));
        };
        let (low, high) = (sweep::parse_number(low).map_err(bad)?, sweep::parse_number(high).map_err(bad)?);
        if high <= low {
            return Err(bad(format!(
                "the high end {} must be above the low end {}",
                shown_number(high),
                shown_number(low)
            )));
        }
        let names: Vec<String> = s.targets.iter().map(|t| format!("`{}`", t.name)).collect();
        let index = match target.trim().parse::<usize>() {
            Ok(n) if (1..=s.targets.len()).contains(&n) => n - 1,
            _ => s.targets.iter().position(|t| t.name == target.trim()).ok_or_else(|| {
                Error::InvalidRequest(format!(
                    "--target `{target}`: the scenario has no such target; its targets, by number from 1: {}",
                    if names.is_empty() { "none".to_string() } else { names.join(", ") }
                ))
            })?,
        };
        let tolerance = tolerance.unwrap_or((high - low) / 256.0);
        if !(tolerance.is_finite() && tolerance > 0.0) {
            return Err(Error::InvalidRequest(format!("--tolerance: {tolerance} must be a positive number")));
        }
        Ok(SolveRequest { field, low, high, target: index, tolerance, probability: None })
    }

    /// The request with the target counted as met where at least `probability` of the
    /// scenario's replications meet it.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a share outside (0, 1], or a scenario of one
    /// replication (its share is 0 or 1: the plain verdict).
    pub fn with_probability(self, s: &Scenario, probability: f64) -> Result<SolveRequest> {
        if !(probability > 0.0 && probability <= 1.0) {
            return Err(Error::InvalidRequest(format!(
                "--probability: {} must be a share of replications above 0 and at most 1",
                shown_number(probability)
            )));
        }
        if s.replications < 2 {
            return Err(Error::InvalidRequest(
                "--probability: the scenario runs one replication, so a target is met in all or none; set \
                 `replications` (with `[uncertainty]` to draw) to solve for a share of them"
                    .into(),
            ));
        }
        Ok(SolveRequest { probability: Some(probability), ..self })
    }

    /// Whether the target counts as met at a run: its share of replications met is at
    /// least [`SolveRequest::probability`] when given, else its own verdict.
    pub fn met(&self, p: &SweepPoint) -> bool {
        p.summary.targets.get(self.target).is_some_and(|t| match self.probability {
            Some(share) => t.probability >= share,
            None => t.met,
        })
    }

    /// Whether only whole numbers are tried: whole-number ends with a tolerance of at
    /// least 1, or a parameter that takes only whole numbers (months).
    fn whole(&self) -> bool {
        matches!(self.field.kind(), Some(registry::Kind::Months | registry::Kind::Whole))
            || (self.low.fract() == 0.0 && self.high.fract() == 0.0 && self.tolerance >= 1.0)
    }
}

/// Where the target is met in the range.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Solution {
    /// Met on one side of a crossing: at `met` and missed at `missed`, the two runs
    /// closest to the crossing (within the tolerance of each other).
    Crossing {
        /// The run nearest the crossing at which the target is met.
        met: Box<SweepPoint>,
        /// The run nearest the crossing at which it is missed.
        missed: Box<SweepPoint>,
    },
    /// Met at both ends: the whole range meets it (as far as the ends tell).
    MetThroughout,
    /// Missed at both ends: no value in the range meets it (as far as the ends tell).
    MissedThroughout,
}

/// A solve's result: where the target is met, and every run in the order it ran.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solved {
    /// The answer.
    pub solution: Solution,
    /// Every run: the two ends, then each bisection step.
    pub runs: Vec<SweepPoint>,
}

/// Solves: runs both ends, then halves the bracket until it is narrower than the
/// tolerance (or [`MAX_SOLVE_RUNS`] projections have run). `project` runs a scenario
/// (as in [`sweep::run`]).
///
/// # Errors
/// A value at either end the scenario refuses (checked before anything runs, naming
/// the field), or the first error of `project`.
pub fn solve(s: &Scenario, request: &SolveRequest, project: impl Fn(&Scenario) -> Result<Outcome>) -> Result<Solved> {
    let scenario_at = |value: f64| sweep::point_scenario(s, [(&request.field, value)]);
    let (at_low, at_high) = (scenario_at(request.low)?, scenario_at(request.high)?);
    let run = |value: f64, point: &Scenario| -> Result<SweepPoint> {
        Ok(SweepPoint { values: vec![value], summary: PointSummary::of(point, &project(point)?) })
    };
    let met = |p: &SweepPoint| request.met(p);
    let mut low = run(request.low, &at_low)?;
    let mut high = run(request.high, &at_high)?;
    let mut runs = vec![low.clone(), high.clone()];
    let solution = match (met(&low), met(&high)) {
        (true, true) => Solution::MetThroughout,
        (false, false) => Solution::MissedThroughout,
        _ => {
            let whole = request.whole();
            let narrow = |a: f64, b: f64| b - a <= if whole { request.tolerance.max(1.0) } else { request.tolerance };
            while !narrow(low.values[0], high.values[0]) && runs.len() < MAX_SOLVE_RUNS {
                let mid = (low.values[0] + high.values[0]) / 2.0;
                let mid = if whole { mid.floor() } else { mid };
                let p = run(mid, &scenario_at(mid)?)?;
                runs.push(p.clone());
                if met(&p) == met(&low) {
                    low = p;
                } else {
                    high = p;
                }
            }
            let (met_point, missed) = if met(&low) { (low, high) } else { (high, low) };
            Solution::Crossing { met: Box::new(met_point), missed: Box::new(missed) }
        }
    };
    Ok(Solved { solution, runs })
}
