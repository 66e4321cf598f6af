//! Sensitivity: which uncertain value moves the results most (a tornado).
//!
//! Replications ([`super::uncertain_levers`], `[uncertainty]`) say how wide the results
//! may be; they do not say which number to pin down first. A sensitivity analysis runs
//! the scenario at its central values and then, for each uncertain value in turn, at
//! `−k` and `+k` standard deviations with every other value central (one replication,
//! the scenario's seed, so that two runs differ only by the value moved: common random
//! numbers). The swing of a result between the two ends ranks the values.
//!
//! Points that move a lever parameter share one pass over the population with the
//! central run ([`super::sweep::run_grouped`]): they differ in reform levers only. A
//! point that moves a baseline assumption runs on its own.
//!
//! ```no_run
//! use incomesim::engine::{Projection, sensitivity};
//! let s = incomesim::scenario::load_builtin("liupanshui-2022-uncertain-levers").expect("built in");
//! let generator = incomesim::generate::Generator::calibrate(&s.profile, s.seed)?;
//! let plan = sensitivity::Plan::new(&s, 1.0)?;
//! let results = plan.run(&generator, Projection::new)?;
//! for row in plan.ranked(&results) {
//!     println!("{}: rural {:.0} to {:.0}", row.field, row.low.rural_mean, row.high.rural_mean);
//! }
//! # Ok::<(), incomesim::Error>(())
//! ```

use serde::Serialize;

use super::projection::{Projection, Scenario};
use super::sweep::{self, PointSummary, SweepPoint};
use crate::error::{Error, Result};

/// The most standard deviations a sensitivity moves a value by.
pub const MAX_STANDARD_DEVIATIONS: f64 = 5.0;

/// What one run of a sensitivity analysis moves: nothing (the central run) or one
/// uncertain value.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    /// The value moved (`assumptions.NAME`, `levers.LEVER.PARAMETER`), or `None` for
    /// the central run.
    pub field: Option<String>,
    /// Its spread as `run` prints it (`sd 0.1`, `relative sd 25%`); empty for the
    /// central run.
    pub spread: String,
    /// Standard deviations it is moved by (0 for the central run).
    pub z: f64,
}

/// The runs of a sensitivity analysis: the central run first, then each uncertain
/// value at `−z` and `+z`.
#[derive(Debug, Clone)]
pub struct Plan {
    /// What each run moves.
    pub moved: Vec<Moved>,
    /// Each run's scenario (one replication, no Shapley values, nothing drawn), keyed
    /// as a sweep's points (a value of its own each, so that no point is compared
    /// with another on a sweep's line).
    pub points: Vec<(Vec<f64>, Scenario)>,
    /// Whether a moved value takes the values correlated with it along
    /// ([`Plan::correlated`]).
    pub correlated: bool,
}

/// What a sensitivity ranks the values by: the swing of the last year's rural or
/// urban mean income, or of what a target of the scenario reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RankBy {
    /// The rural mean (the default: the plans' headline).
    #[default]
    Rural,
    /// The urban mean.
    Urban,
    /// What the target of this index (in the scenario's order) reaches.
    Target(usize),
}

impl RankBy {
    /// `rural`, `urban`, or a target of `s` by its number from 1 or its name.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] naming the scenario's targets when none matches.
    pub fn parse(s: &Scenario, text: &str) -> Result<RankBy> {
        match text.trim() {
            "rural" => return Ok(RankBy::Rural),
            "urban" => return Ok(RankBy::Urban),
            _ => {}
        }
        let index = match text.trim().parse::<usize>() {
            Ok(n) if (1..=s.targets.len()).contains(&n) => Some(n - 1),
            _ => s.targets.iter().position(|t| t.name == text.trim()),
        };
        index.map(RankBy::Target).ok_or_else(|| {
            let names: Vec<String> = s.targets.iter().map(|t| format!("`{}`", t.name)).collect();
            Error::InvalidRequest(format!(
                "--rank-by `{text}`: expected rural, urban, or a target by its number from 1 or its name; the \
                 scenario's targets: {}",
                if names.is_empty() { "none".to_string() } else { names.join(", ") }
            ))
        })
    }

    /// What it ranks by, for a table's heading.
    pub fn describe(&self, s: &Scenario) -> String {
        match self {
            RankBy::Rural => "rural income".into(),
            RankBy::Urban => "urban income".into(),
            RankBy::Target(t) => {
                format!("what target {} reaches (`{}`)", t + 1, s.targets.get(*t).map_or("?", |x| x.name.as_str()))
            }
        }
    }
}

/// The central run and one uncertain value at both ends.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityRow {
    /// The value moved.
    pub field: String,
    /// Its spread.
    pub spread: String,
    /// Standard deviations moved (the ends are `−z` and `+z`).
    pub z: f64,
    /// The results at `−z`.
    pub low: PointSummary,
    /// The results at `+z`.
    pub high: PointSummary,
}

impl SensitivityRow {
    /// How far the last year's rural mean income moves from one end to the other,
    /// yuan (the ranking's measure: the plans' headline is rural income).
    pub fn rural_swing(&self) -> f64 {
        (self.high.rural_mean - self.low.rural_mean).abs()
    }

    /// How far the urban mean income moves, yuan.
    pub fn urban_swing(&self) -> f64 {
        (self.high.urban_mean - self.low.urban_mean).abs()
    }

    /// What target `t` reaches at the low and the high end (`None` where it is not
    /// evaluated).
    pub fn target_ends(&self, t: usize) -> [Option<f64>; 2] {
        [&self.low, &self.high].map(|p| p.targets.get(t).and_then(|r| r.reached))
    }

    /// The swing the rows are ranked by (0 for a target not evaluated at an end).
    pub fn swing(&self, by: RankBy) -> f64 {
        match by {
            RankBy::Rural => self.rural_swing(),
            RankBy::Urban => self.urban_swing(),
            RankBy::Target(t) => match self.target_ends(t) {
                [Some(low), Some(high)] if (high - low).is_finite() => (high - low).abs(),
                _ => 0.0,
            },
        }
    }
}

impl Plan {
    /// The runs of a sensitivity analysis of `s` at `z` standard deviations: the central
    /// run first, then each uncertain value of `s` (assumptions, then lever parameters, in
    /// field order) at `−z` and `+z`. Each is checked before any runs.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when `s` has no uncertain value, or `z` is not above 0
    /// and at most [`MAX_STANDARD_DEVIATIONS`]; a moved lever parameter's error
    /// ([`super::uncertain_levers::UncertainLever::shift`], or the registry's when its
    /// builder refuses the moved value).
    pub fn new(s: &Scenario, z: f64) -> Result<Plan> {
        Self::build(s, z, false)
    }

    /// As [`Plan::new`], but a moved value takes the values correlated with it along
    /// (`[[uncertainty.correlations]]`), each to its mean given the moved one: `ρ × z`
    /// standard deviations, with `ρ` their correlation (implied ones too: with a ~ b at
    /// 0.8 and b ~ c at 0.5 given, c moves with a by what the factor implies). A value's
    /// swing is then its effect with what moves with it; with no correlations the plan
    /// is [`Plan::new`]'s.
    ///
    /// # Errors
    /// As [`Plan::new`], and the scenario's correlations' error
    /// ([`Scenario::joint_draws`]).
    pub fn correlated(s: &Scenario, z: f64) -> Result<Plan> {
        Self::build(s, z, true)
    }

    fn build(s: &Scenario, z: f64, correlated: bool) -> Result<Plan> {
        if !(z > 0.0 && z <= MAX_STANDARD_DEVIATIONS) {
            return Err(Error::InvalidRequest(format!(
                "sensitivity: {} standard deviations: expected a number above 0 and at most {MAX_STANDARD_DEVIATIONS}",
                crate::scenario::problem::shown_number(z)
            )));
        }
        let fields = s.uncertain_fields();
        if fields.is_empty() {
            return Err(Error::InvalidRequest(
                "sensitivity: the scenario has no uncertain value; give some in [uncertainty] (assumptions) or \
             [uncertainty.levers.NAME] (lever parameters), or move the levers' assumed defaults \
             (--assumed-defaults 0.25)"
                    .into(),
            ));
        }
        let joint = s.joint_draws()?;
        let mut centre = s.clone();
        centre.replications = 1;
        centre.shapley = false;
        centre.clear_uncertainty();
        let context = crate::policy::registry::BuildContext::new(&s.profile);
        let mut plan = Plan {
            moved: vec![Moved { field: None, spread: String::new(), z: 0.0 }],
            points: vec![(vec![0.0, 0.0], centre.clone())],
            correlated,
        };
        // In the order `uncertain_fields` names them: the assumptions, then the lever
        // parameters grouped by lever.
        let levers = s.lever_draw_order();
        let first_lever = s.uncertainty.len();
        for (i, (field, spread)) in fields.iter().enumerate() {
            for sign in [-1.0, 1.0] {
                let shift = |j: usize| match (i == j, correlated) {
                    (true, _) => sign * z,
                    (false, true) => joint.correlation(i, j) * sign * z,
                    (false, false) => 0.0,
                };
                let mut point = centre.clone();
                for (k, u) in s.uncertainty.iter().enumerate() {
                    if shift(k) != 0.0 {
                        u.apply(&mut point.dynamics, shift(k));
                    }
                }
                let mut touched: Vec<String> = Vec::new();
                for (m, u) in levers.iter().enumerate() {
                    let x = shift(first_lever + m);
                    if x == 0.0 {
                        continue;
                    }
                    let lever = point.reform.iter_mut().find(|r| r.name == u.lever).ok_or_else(|| {
                        Error::InvalidRequest(format!(
                            "{}: `{}` is not one of the scenario's levers",
                            u.field(),
                            u.lever
                        ))
                    })?;
                    u.shift(&mut lever.params, x)?;
                    if !touched.contains(&u.lever) {
                        touched.push(u.lever.clone());
                    }
                }
                for lever in point.reform.iter().filter(|l| touched.contains(&l.name)) {
                    crate::policy::registry::build(&lever.name, context, &lever.params).map_err(|e| {
                        Error::InvalidRequest(format!(
                            "sensitivity: {field} at {:+} standard deviations is a value the lever refuses ({e}); \
                             move it less (--standard-deviations) or narrow its spread",
                            sign * z
                        ))
                    })?;
                }
                let k = plan.points.len() as f64;
                plan.moved.push(Moved { field: Some(field.clone()), spread: spread.clone(), z: sign * z });
                plan.points.push((vec![k, sign * z], point));
            }
        }
        Ok(plan)
    }

    /// Runs the plan (the lever points with the central run in one pass, each
    /// assumption point on its own; see [`sweep::run_grouped`]); `projection` makes a
    /// run's projection (the caller's pilot and window). One summary per run, in the
    /// plan's order.
    ///
    /// # Errors
    /// The first run's error.
    pub fn run<'s>(
        &'s self,
        generator: &crate::generate::Generator,
        projection: impl Fn(&'s Scenario) -> Projection<'s> + Sync,
    ) -> Result<Vec<PointSummary>> {
        let results: Vec<SweepPoint> = sweep::run_grouped(&self.points, generator, projection, |_| {})?;
        Ok(results.into_iter().map(|r| r.summary).collect())
    }

    /// The results of [`Plan::run`] as CSV (`sensitivity.csv`): `field` (`central`
    /// for the central run), `spread`, `standard_deviations` (the move, −z, 0 or +z),
    /// then a sweep's columns ([`sweep::summary_csv`]).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] if the CSV cannot be written.
    pub fn csv(&self, results: &[PointSummary]) -> Result<Vec<u8>> {
        let leading = ["field", "spread", "standard_deviations"].map(String::from);
        let rows: Vec<(Vec<String>, &PointSummary)> = self
            .moved
            .iter()
            .zip(results)
            .map(|(m, r)| {
                let field = m.field.clone().unwrap_or_else(|| "central".into());
                (vec![field, m.spread.clone(), m.z.to_string()], r)
            })
            .collect();
        sweep::summary_csv("sensitivity.csv", &leading, &rows)
    }

    /// One row per uncertain value (its two ends) from the results of [`Plan::run`],
    /// the largest swing of the last year's rural mean income first (ties: the urban
    /// swing, then the field).
    pub fn ranked(&self, results: &[PointSummary]) -> Vec<SensitivityRow> {
        self.ranked_by(results, RankBy::Rural)
    }

    /// As [`Plan::ranked`], the largest swing of `by` first (ties: the rural swing,
    /// the urban swing, then the field).
    pub fn ranked_by(&self, results: &[PointSummary], by: RankBy) -> Vec<SensitivityRow> {
        let mut rows = Vec::new();
        let runs: Vec<(&Moved, &PointSummary)> = self.moved.iter().zip(results).skip(1).collect();
        for pair in runs.chunks(2) {
            let [low, high] = pair else { continue };
            let Some(field) = low.0.field.clone() else { continue };
            rows.push(SensitivityRow {
                field,
                spread: low.0.spread.clone(),
                z: high.0.z,
                low: low.1.clone(),
                high: high.1.clone(),
            });
        }
        rows.sort_by(|a, b| {
            b.swing(by)
                .total_cmp(&a.swing(by))
                .then(b.rural_swing().total_cmp(&a.rural_swing()))
                .then(b.urban_swing().total_cmp(&a.urban_swing()))
                .then(a.field.cmp(&b.field))
        });
        rows
    }
}
