//! Sweeps: a scenario run again with one or two of its values set over a grid — a
//! lever parameter (`levers.dibao.rural_threshold_per_month`) or a baseline assumption
//! (`assumptions.wage_growth_rural`) — to see what a plan's targets need: the threshold
//! from which the rural growth target is met, what each step costs.
//!
//! Every point runs the scenario's population and seed, so the points differ only by
//! the values swept (common random numbers): a difference between two points is the
//! effect of the change, not sampling noise. Shapley values are off in a sweep.
//!
//! ```no_run
//! use incomesim::engine::{Projection, sweep};
//! let s = incomesim::engine::Scenario::default_scenario()?;
//! let axes = [sweep::Axis::parse("levers.dibao.rural_threshold_per_month=450:650:50")?];
//! // Calibration reads only the profile and the seed, which no point changes: once.
//! let generator = incomesim::generate::Generator::calibrate(&s.profile, s.seed)?;
//! let points = sweep::run(&s, &axes, |_, s| Projection::new(s).run_with_generator(&generator))?;
//! for p in &points {
//!     println!("{:?}: ratio {:.3}, targets met {}", p.values, p.summary.ratio, p.summary.targets_met());
//! }
//! # Ok::<(), incomesim::Error>(())
//! ```

use rayon::prelude::*;
use serde::Serialize;

use super::projection::{Outcome, Projection, ReformLever, Scenario};
use super::targets::TargetResult;
use super::warnings::Warning;
use crate::error::{Error, Result};
use crate::indicators::incentives::{PARTICIPATION_WAGE_EXPECTED, is_participation_wage};
use crate::indicators::{Gains, Group};
use crate::policy::Dated;
use crate::policy::registry::{self, BuildContext};
use crate::scenario::problem::shown_number;
use crate::scenario::{Assumption, assumption};

/// Most points a sweep runs (every axis's values multiplied).
pub const MAX_SWEEP_POINTS: usize = 1_000;

/// What an axis sets.
#[derive(Debug, Clone)]
pub enum SweepField {
    /// A parameter of a reform lever, set to a value in force throughout (replacing a
    /// dated value; a switch takes 0 for off and 1 for on); the lever is added to the
    /// reform when the scenario does not have it.
    LeverParameter {
        /// The lever's registry name.
        lever: String,
        /// The parameter's name.
        parameter: String,
    },
    /// A baseline assumption, set to a value in force throughout.
    Assumption(&'static Assumption),
    /// The wage of the job a member takes in the participation tax rate
    /// (`participation_wage_per_month`, yuan a month, in force throughout); a point
    /// that sets it measures work incentives.
    ParticipationWage,
    /// The scenario's own value of a field (written `PATH*`) multiplied by the value
    /// swept: every step of a dated schedule and every tier of a list, so that
    /// `levers.dibao.rural_threshold_per_month*=0.8:1.2:0.1` moves the plan's whole
    /// schedule by −20% to +20%. The scenario must set a lever parameter it scales.
    Scaled(Box<SweepField>),
}

impl SweepField {
    /// The registry kind of a lever parameter (`None` for an assumption or a scaled
    /// field).
    pub fn kind(&self) -> Option<registry::Kind> {
        match self {
            SweepField::LeverParameter { lever, parameter } => {
                registry::find(lever).ok().and_then(|spec| spec.parameter(parameter)).map(|p| p.kind)
            }
            SweepField::Assumption(_) | SweepField::ParticipationWage | SweepField::Scaled(_) => None,
        }
    }

    /// The field path as a scenario file writes it.
    pub fn path(&self) -> String {
        match self {
            SweepField::LeverParameter { lever, parameter } => format!("levers.{lever}.{parameter}"),
            SweepField::Assumption(a) => format!("assumptions.{}", a.name),
            SweepField::ParticipationWage => PARTICIPATION_WAGE.to_string(),
            SweepField::Scaled(inner) => format!("{}*", inner.path()),
        }
    }
}

/// The path of [`SweepField::ParticipationWage`].
const PARTICIPATION_WAGE: &str = "participation_wage_per_month";

/// One axis of a sweep: a field and the values it takes, in order.
#[derive(Debug, Clone)]
pub struct Axis {
    /// What it sets.
    pub field: SweepField,
    /// The values, in the order they run.
    pub values: Vec<f64>,
}

impl Axis {
    /// Parses `PATH=START:END:STEP` (from START to END inclusive in steps of STEP) or
    /// `PATH=V1,V2,…`, where PATH is `levers.NAME.PARAMETER`, `assumptions.NAME` or
    /// `participation_wage_per_month`.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] naming the axis: no `=`, an unknown lever, parameter
    /// or assumption, a value that is not a finite number, a step that is not
    /// positive, an end before the start, more than [`MAX_SWEEP_POINTS`] values.
    pub fn parse(spec: &str) -> Result<Axis> {
        let bad = |problem: String| Error::InvalidRequest(format!("sweep axis `{spec}`: {problem}"));
        let (path, values) =
            spec.split_once('=').ok_or_else(|| bad("expected PATH=START:END:STEP or PATH=V1,V2,… (no `=`)".into()))?;
        let field = parse_field(path.trim()).map_err(bad)?;
        let values = parse_values(values.trim()).map_err(bad)?;
        Ok(Axis { field, values })
    }
}

/// The field a path names (`levers.NAME.PARAMETER`, `assumptions.NAME`,
/// `participation_wage_per_month`), or what is wrong with it.
pub(crate) fn parse_field(path: &str) -> std::result::Result<SweepField, String> {
    if let Some(scaled) = path.strip_suffix('*') {
        return parse_field(scaled.trim_end()).and_then(|inner| match inner {
            SweepField::Scaled(_) => Err(format!("`{path}`: one `*` scales a field")),
            inner => Ok(SweepField::Scaled(Box::new(inner))),
        });
    }
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        ["levers", lever, parameter] => {
            let spec = registry::find(lever).map_err(|e| e.to_string())?;
            if spec.parameter(parameter).is_none() {
                let known: Vec<&str> = spec.parameters.iter().map(|p| p.name).collect();
                return Err(format!(
                    "`{lever}` has no parameter `{parameter}`{}; its parameters: {}",
                    registry::did_you_mean(parameter, &known),
                    known.join(", ")
                ));
            }
            Ok(SweepField::LeverParameter { lever: lever.to_string(), parameter: parameter.to_string() })
        }
        ["assumptions", name] => assumption(name).map(SweepField::Assumption).ok_or_else(|| {
            format!(
                "unknown assumption `{name}`{}; known: {}",
                registry::did_you_mean(name, &crate::scenario::ASSUMPTIONS),
                crate::scenario::ASSUMPTIONS.join(", ")
            )
        }),
        [PARTICIPATION_WAGE] => Ok(SweepField::ParticipationWage),
        _ => Err(format!(
            "`{path}` is not a field a sweep can set: levers.NAME.PARAMETER, assumptions.NAME or \
             {PARTICIPATION_WAGE}"
        )),
    }
}

/// A finite number, or what is wrong with the text.
pub(crate) fn parse_number(text: &str) -> std::result::Result<f64, String> {
    let x: f64 = text.trim().parse().map_err(|_| format!("`{}` is not a number", text.trim()))?;
    if x.is_finite() { Ok(x) } else { Err(format!("`{}` is not a finite number", text.trim())) }
}

fn parse_values(text: &str) -> std::result::Result<Vec<f64>, String> {
    let values = if text.contains(':') {
        let parts: Vec<&str> = text.split(':').collect();
        let [start, end, step] = parts.as_slice() else {
            return Err(format!("`{text}`: a range is START:END:STEP"));
        };
        let (start, end, step) = (parse_number(start)?, parse_number(end)?, parse_number(step)?);
        if step <= 0.0 {
            return Err(format!("the step {} must be positive", shown_number(step)));
        }
        if end < start {
            return Err(format!("the end {} is before the start {}", shown_number(end), shown_number(start)));
        }
        // Counted, not accumulated, so that 0.1 steps land on their decimals.
        let count = ((end - start) / step + 1e-9).floor() + 1.0;
        if count > MAX_SWEEP_POINTS as f64 {
            return Err(format!(
                "{} values, more than the {MAX_SWEEP_POINTS} a sweep runs",
                if count.is_finite() { shown_number(count) } else { "countless".to_string() }
            ));
        }
        (0..count as usize).map(|i| round_decimal(start + i as f64 * step)).collect()
    } else {
        text.split(',').map(parse_number).collect::<std::result::Result<Vec<f64>, String>>()?
    };
    if values.is_empty() {
        return Err("no values".into());
    }
    Ok(values)
}

/// `x` rounded to 10 significant decimals of its magnitude: `0.1 * 3` as `0.3`.
fn round_decimal(x: f64) -> f64 {
    if x == 0.0 {
        return 0.0;
    }
    let scale = 10f64.powi(9 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

/// Every combination of the axes' values, the first axis changing slowest.
///
/// # Errors
/// [`Error::InvalidRequest`] for no axis, or more than [`MAX_SWEEP_POINTS`] points.
pub fn grid(axes: &[Axis]) -> Result<Vec<Vec<f64>>> {
    if axes.is_empty() {
        return Err(Error::InvalidRequest("sweep: no axis to sweep".into()));
    }
    let points = axes.iter().try_fold(1usize, |n, a| n.checked_mul(a.values.len())).unwrap_or(usize::MAX);
    if points > MAX_SWEEP_POINTS {
        return Err(Error::InvalidRequest(format!(
            "sweep: {points} points, more than the {MAX_SWEEP_POINTS} a sweep runs; use fewer values"
        )));
    }
    let mut out = vec![Vec::new()];
    for axis in axes {
        out = out.into_iter().flat_map(|p| axis.values.iter().map(move |v| [p.clone(), vec![*v]].concat())).collect();
    }
    Ok(out)
}

/// Sets one field of a scenario to `value`, checked as a scenario file's value is.
///
/// # Errors
/// [`Error::InvalidRequest`] naming the field for a value outside an assumption's
/// range; [`Error::InvalidLever`] (from the registry) for a lever value it refuses.
pub fn set(s: &mut Scenario, field: &SweepField, value: f64) -> Result<()> {
    match field {
        SweepField::Scaled(inner) => scale(s, inner, value)?,
        SweepField::Assumption(a) => {
            if !a.range.contains(value) {
                return Err(Error::InvalidRequest(format!(
                    "assumptions.{}: {} is out of range: expected {}",
                    a.name,
                    shown_number(value),
                    a.range.description
                )));
            }
            a.set(&mut s.dynamics, &Dated::constant(value));
        }
        SweepField::ParticipationWage => {
            if !is_participation_wage(value) {
                return Err(Error::InvalidRequest(format!(
                    "{PARTICIPATION_WAGE}: {} is out of range: expected {PARTICIPATION_WAGE_EXPECTED}",
                    shown_number(value)
                )));
            }
            s.participation_wage_per_month = Some(Dated::constant(value));
            s.work_incentives = true;
        }
        SweepField::LeverParameter { lever, parameter } => {
            // A switch takes 0 (off) and 1 (on); a whole number is written as an
            // integer: counts and months take only those.
            let toml_value = if field.kind() == Some(registry::Kind::Flag) {
                if value != 0.0 && value != 1.0 {
                    return Err(Error::InvalidRequest(format!(
                        "levers.{lever}.{parameter}: {} is not a switch value: 0 (off) or 1 (on)",
                        shown_number(value)
                    )));
                }
                toml::Value::Boolean(value == 1.0)
            } else if value.fract() == 0.0 && value.abs() < 9.0e15 {
                toml::Value::Integer(value as i64)
            } else {
                toml::Value::Float(value)
            };
            let at = s.reform.iter().position(|r| &r.name == lever).unwrap_or_else(|| {
                // In name order, as the scenario reader leaves the reform's levers.
                let at = s.reform.partition_point(|r| r.name < *lever);
                s.reform.insert(at, ReformLever { name: lever.clone(), params: toml::Table::new() });
                at
            });
            s.reform[at].params.insert(parameter.clone(), toml_value);
            registry::build(lever, BuildContext::new(&s.profile), &s.reform[at].params)?;
        }
    }
    Ok(())
}

/// Multiplies the scenario's own value of `field` by `factor` (see
/// [`SweepField::Scaled`]).
fn scale(s: &mut Scenario, field: &SweepField, factor: f64) -> Result<()> {
    let bad = |problem: String| Error::InvalidRequest(format!("{}*: {problem}", field.path()));
    if !(factor.is_finite() && factor >= 0.0) {
        return Err(bad(format!("the factor {} must be a number of at least 0", shown_number(factor))));
    }
    match field {
        SweepField::Assumption(a) => {
            // Each series it sets (the urban and the rural one of `operating_growth`)
            // scaled on its own.
            for field in a.fields {
                let slot = field(&mut s.dynamics);
                let mut steps = Vec::with_capacity(slot.steps().len());
                for (month, x) in slot.steps() {
                    let scaled = x * factor;
                    if !a.range.contains(scaled) {
                        return Err(bad(format!(
                            "{} × {} = {} is out of range: expected {}",
                            shown_number(*x),
                            shown_number(factor),
                            shown_number(scaled),
                            a.range.description
                        )));
                    }
                    steps.push((*month, scaled));
                }
                *slot = Dated::new(steps).ok_or_else(|| bad("the assumption has no value to scale".into()))?;
            }
        }
        SweepField::ParticipationWage => {
            let Some(wage) = &s.participation_wage_per_month else {
                return Err(bad(
                    "the scenario does not set it, so there is no value of its own to scale; sweep values instead"
                        .into(),
                ));
            };
            let mut steps = Vec::with_capacity(wage.steps().len());
            for (month, x) in wage.steps() {
                let scaled = x * factor;
                if !is_participation_wage(scaled) {
                    return Err(bad(format!(
                        "{} × {} = {} is out of range: expected {PARTICIPATION_WAGE_EXPECTED}",
                        shown_number(*x),
                        shown_number(factor),
                        shown_number(scaled)
                    )));
                }
                steps.push((*month, scaled));
            }
            s.participation_wage_per_month = Dated::new(steps);
            s.work_incentives = true;
        }
        SweepField::LeverParameter { lever, parameter } => {
            let reform = s.reform.iter_mut().find(|r| &r.name == lever);
            let Some(r) = reform.filter(|r| r.params.contains_key(parameter)) else {
                return Err(bad(
                    "the scenario does not set it, so there is no value of its own to scale; sweep values instead"
                        .into(),
                ));
            };
            if !r.params.get_mut(parameter).is_some_and(|v| scale_numbers(v, factor)) {
                return Err(bad("its value is not a number, a dated value or a list of them".into()));
            }
            registry::build(lever, BuildContext::new(&s.profile), &r.params)?;
        }
        SweepField::Scaled(_) => return Err(bad("one `*` scales a field".into())),
    }
    Ok(())
}

/// Multiplies every number in a parameter's value (a number, a table of effective
/// months to numbers, a list of either) by `factor`; false if it holds anything else.
fn scale_numbers(value: &mut toml::Value, factor: f64) -> bool {
    match super::uncertain_levers::map_numbers(value, &|x| x * factor) {
        Some(scaled) => {
            *value = scaled;
            true
        }
        None => false,
    }
}

/// What a sweep reports of one point's reform, in the last projected year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointSummary {
    /// The last projected year.
    pub year: u16,
    /// Urban mean per-capita disposable income, yuan.
    pub urban_mean: f64,
    /// Rural mean per-capita disposable income, yuan.
    pub rural_mean: f64,
    /// Urban-rural ratio.
    pub ratio: f64,
    /// Average yearly growth of the urban mean from the base year (0.05 = 5%).
    pub urban_growth: f64,
    /// Average yearly growth of the rural mean from the base year.
    pub rural_growth: f64,
    /// Gini of per-capita disposable income, all residents.
    pub gini: f64,
    /// Dibao households (weighted).
    pub dibao_households: f64,
    /// Fiscal cost of the scenario's levers in the year, yuan.
    pub programme_cost: f64,
    /// Share of all residents whose household's per-capita income the reform raises
    /// in the year, against the baseline ([`crate::indicators::gains`]; `NaN` without
    /// a comparison).
    pub gaining_share: f64,
    /// Share whose income it lowers.
    pub losing_share: f64,
    /// Share of all residents whose household's per-capita income in the year is lower,
    /// by a yuan or more, than at the point before on the sweep's last axis (the same
    /// households and draws; a cliff where a higher value leaves some poorer); `None` for
    /// a line's first point and for points that do not share a baseline with it (run
    /// on their own: [`run_points`]).
    pub worse_off_than_previous: Option<f64>,
    /// The marginal effective tax rate on a rise in earnings of all residents' households
    /// with earnings, in the year ([`crate::indicators::incentives`]); `None` unless
    /// the scenario measures work incentives.
    pub metr: Option<f64>,
    /// The share of persons of dibao households whose rate is 100% or more (they keep
    /// nothing of a rise); `None` unless measured.
    pub dibao_trapped_share: Option<f64>,
    /// The participation tax rate of dibao households with a member who enters work
    /// (the share of the new earnings they do not keep); `None` unless measured.
    pub dibao_participation_tax_rate: Option<f64>,
    /// Each target of the scenario, checked.
    pub targets: Vec<TargetResult>,
    /// What only this point's results show (places left empty, a target not
    /// evaluated): the run's warnings that the scenario's own do not already give.
    pub warnings: Vec<Warning>,
}

impl PointSummary {
    /// Reads the summary off an outcome.
    pub fn of(s: &Scenario, outcome: &Outcome) -> PointSummary {
        let r = &outcome.reform;
        let (base, last) = (s.profile.base_year, s.last_year);
        let get = |year: u16, group: &str, indicator: &str| r.lookup(year, group, indicator).unwrap_or(f64::NAN);
        let growth = |group: &str| {
            let years = f64::from(last.saturating_sub(base).max(1));
            (get(last, group, "mean_disposable") / get(base, group, "mean_disposable")).powf(1.0 / years) - 1.0
        };
        let year = r.year(last);
        let all_gains = year.and_then(|y| y.gains.as_ref()).map(|g| &g[Group::All.index()]);
        let incentives = year.and_then(|y| y.work_incentives.as_ref()).map(|w| w[Group::All.index()]);
        let programme_cost = r
            .years
            .iter()
            .find(|y| y.indicators.year == last)
            .map_or(0.0, |y| y.ledger.fiscal_cost_of(&outcome.lever_names));
        PointSummary {
            year: last,
            urban_mean: get(last, "urban", "mean_disposable"),
            rural_mean: get(last, "rural", "mean_disposable"),
            ratio: get(last, "all", "urban_rural_ratio"),
            urban_growth: growth("urban"),
            rural_growth: growth("rural"),
            gini: get(last, "all", "gini"),
            dibao_households: get(last, "all", "dibao_households"),
            programme_cost,
            gaining_share: all_gains.map_or(f64::NAN, Gains::gaining_share),
            losing_share: all_gains.map_or(f64::NAN, Gains::losing_share),
            worse_off_than_previous: year
                .and_then(|y| y.gains_against_other.as_ref())
                .map(|g| g[Group::All.index()].losing_share()),
            metr: incentives.map(|w| w.all.aggregate),
            dibao_trapped_share: incentives.map(|w| w.dibao.trapped_share()),
            dibao_participation_tax_rate: incentives.map(|w| w.participation_dibao.aggregate),
            targets: outcome.targets.clone(),
            warnings: outcome.warnings.iter().filter(|w| !w.kind.is_scenario()).cloned().collect(),
        }
    }

    /// Targets met.
    pub fn targets_met(&self) -> usize {
        self.targets.iter().filter(|t| t.met).count()
    }
}

/// One point of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepPoint {
    /// The value of each axis, in axis order.
    pub values: Vec<f64>,
    /// What the reform reached.
    pub summary: PointSummary,
}

/// The scenario of every point, checked before any runs: each lever value is built
/// through the registry and each assumption checked against its range, so a bad value
/// fails at once, naming its field.
///
/// # Errors
/// As [`grid`] and [`set`].
pub fn scenarios(s: &Scenario, axes: &[Axis]) -> Result<Vec<(Vec<f64>, Scenario)>> {
    grid(axes)?
        .into_iter()
        .map(|values| {
            let fields = axes.iter().map(|a| &a.field).zip(values.iter().copied());
            point_scenario(s, fields).map(|point| (values, point))
        })
        .collect()
}

/// `s` with each field set to its value and Shapley values off: the scenario of one
/// point of a sweep or one run of a solve.
///
/// # Errors
/// As [`set`].
pub fn point_scenario<'f>(s: &Scenario, fields: impl IntoIterator<Item = (&'f SweepField, f64)>) -> Result<Scenario> {
    let mut point = s.clone();
    point.shapley = false;
    for (field, value) in fields {
        set(&mut point, field, value)?;
    }
    Ok(point)
}

/// The warnings the points' scenarios have and `s` has not (a swept parameter that
/// acts only with a switch that is off), each once, in point order.
pub fn added_warnings<'a>(s: &Scenario, points: impl IntoIterator<Item = &'a Scenario>) -> Vec<Warning> {
    let mut seen = s.warnings();
    let mut out = Vec::new();
    for point in points {
        for w in point.warnings() {
            if !seen.contains(&w) {
                seen.push(w.clone());
                out.push(w);
            }
        }
    }
    out
}

/// Runs a sweep: every point's scenario (see [`scenarios`]) through `project`, which is
/// given the point's index and scenario and runs it (`Projection::new(s).run()`, or
/// with the caller's pilot and window). When one point cannot keep every thread busy
/// (a population of fewer blocks of [`crate::generate::BLOCK`] households than
/// threads: a city) the points run side by side, as many at a time as there are
/// threads; the results are the same either way, in point order.
///
/// # Errors
/// As [`scenarios`], or the error of the first point that fails.
pub fn run(
    s: &Scenario,
    axes: &[Axis],
    project: impl Fn(usize, &Scenario) -> Result<Outcome> + Sync,
) -> Result<Vec<SweepPoint>> {
    run_points(s, &scenarios(s, axes)?, project)
}

/// Runs points already built by [`scenarios`] (checked, and looked at for
/// [`added_warnings`], before any runs), as [`run`] does.
///
/// # Errors
/// The error of the first point that fails.
pub fn run_points(
    s: &Scenario,
    points: &[(Vec<f64>, Scenario)],
    project: impl Fn(usize, &Scenario) -> Result<Outcome> + Sync,
) -> Result<Vec<SweepPoint>> {
    let one = |(i, (values, point)): (usize, &(Vec<f64>, Scenario))| {
        project(i, point)
            .map(|outcome| SweepPoint { values: values.clone(), summary: PointSummary::of(point, &outcome) })
    };
    if side_by_side(s) {
        points.par_iter().enumerate().map(one).collect()
    } else {
        points.iter().enumerate().map(one).collect()
    }
}

/// The points of a sweep grouped by the baseline they share (indices in order of
/// first appearance, each group in point order): points that differ in lever
/// parameters only share one; each value of an assumption axis has its own.
pub fn baseline_groups(points: &[(Vec<f64>, Scenario)]) -> Vec<Vec<usize>> {
    let mut group_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, (_, p)) in points.iter().enumerate() {
        let g = *group_of.entry(super::projection::baseline_key(p)).or_insert(groups.len());
        if g == groups.len() {
            groups.push(Vec::new());
        }
        groups[g].push(i);
    }
    groups
}

/// Runs points built by [`scenarios`] with the points that share a baseline
/// ([`baseline_groups`]) in one pass over the population
/// ([`Projection::run_points_with_generator`]): each block is generated, carried
/// through the base year, the step into the first projected year and the baseline
/// once per group, and every point's reform goes on from there. `projection` makes
/// the projection of a group's first point (the run's settings: pilot, window). When
/// no two points share a baseline (a sweep of an assumption alone), the points run as
/// [`run_points`] runs them (side by side for a small population). The results are bit
/// for bit those of [`run_points`]; the work per point sharing a baseline is its
/// reform's projected years after the first instead of a whole run.
///
/// # Errors
/// The first error of a group's pass, or of a point's run.
pub fn run_grouped<'s>(
    points: &'s [(Vec<f64>, Scenario)],
    generator: &crate::generate::Generator,
    projection: impl Fn(&'s Scenario) -> Projection<'s> + Sync,
    progress: impl Fn(usize) + Sync,
) -> Result<Vec<SweepPoint>> {
    let groups = baseline_groups(points);
    let Some(first) = points.first() else { return Ok(Vec::new()) };
    if groups.iter().all(|g| g.len() == 1) {
        // `points[i]` is the point run_points hands over, with the lifetime `projection` takes.
        return run_points(&first.1, points, |i, _| {
            let outcome = projection(&points[i].1).run_with_generator(generator);
            progress(1);
            outcome
        });
    }
    let mut results: Vec<Option<SweepPoint>> = vec![None; points.len()];
    for group in groups {
        let scenarios: Vec<Scenario> = group.iter().map(|&i| points[i].1.clone()).collect();
        let against = previous_on_last_axis(points, &group);
        let outcomes = projection(&points[group[0]].1).run_points_against(generator, &scenarios, &against)?;
        for (&i, outcome) in group.iter().zip(&outcomes) {
            let (values, point) = &points[i];
            results[i] = Some(SweepPoint { values: values.clone(), summary: PointSummary::of(point, outcome) });
        }
        progress(group.len());
    }
    results
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.ok_or_else(|| Error::InvalidRequest(format!("sweep: point {i} was not run"))))
        .collect()
}

/// For each point of a group sharing a baseline (indices into `points`), the point of
/// the group it is compared with (an index into `group`): the one before it with the
/// same values on every axis but the last, so that a sweep's line compares each value
/// with the one before.
fn previous_on_last_axis(points: &[(Vec<f64>, Scenario)], group: &[usize]) -> Vec<Option<usize>> {
    let line = |i: usize| {
        let v = &points[i].0;
        &v[..v.len().saturating_sub(1)]
    };
    group.iter().enumerate().map(|(k, &i)| (0..k).rev().find(|&j| line(group[j]) == line(i))).collect()
}

/// Whether the points of a sweep of `s` run side by side: its population has fewer
/// blocks than the pool has threads.
pub fn side_by_side(s: &Scenario) -> bool {
    s.households.div_ceil(crate::generate::BLOCK) < rayon::current_num_threads()
}

/// The sweep as CSV: a column per axis (its path), the summary's figures (the shares
/// of residents the point's reform makes better and worse off against the baseline,
/// and the number of the point's warnings), then
/// `reached`, `met` and the share of replications that meet it of each target
/// (`target_N_reached`, `target_N_met`, `target_N_share_met`, N from 1 in the
/// scenario's order).
///
/// # Errors
/// [`Error::InvalidRequest`] if the CSV cannot be written.
pub fn csv(axes: &[Axis], points: &[SweepPoint]) -> Result<Vec<u8>> {
    let leading: Vec<String> = axes.iter().map(|a| a.field.path()).collect();
    let rows: Vec<(Vec<String>, &PointSummary)> =
        points.iter().map(|p| (p.values.iter().map(ToString::to_string).collect(), &p.summary)).collect();
    summary_csv("sweep.csv", &leading, &rows)
}

/// Summaries as CSV (`file` names it in errors): the `leading` columns and each row's
/// values for them, then the columns of [`csv()`] after its axes.
///
/// # Errors
/// [`Error::InvalidRequest`] if the CSV cannot be written.
pub fn summary_csv(file: &str, leading: &[String], rows: &[(Vec<String>, &PointSummary)]) -> Result<Vec<u8>> {
    let err = |e: csv::Error| Error::InvalidRequest(format!("writing {file}: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    let targets = rows.first().map_or(0, |r| r.1.targets.len());
    let mut header: Vec<String> = leading.to_vec();
    for h in [
        "year",
        "urban_mean_disposable",
        "rural_mean_disposable",
        "urban_rural_ratio",
        "urban_growth",
        "rural_growth",
        "gini",
        "dibao_households",
        "programme_cost",
        "gaining_share",
        "losing_share",
        "worse_off_than_previous_share",
        "metr_aggregate",
        "metr_dibao_share_100pct_or_more",
        "ptr_dibao_aggregate",
        "targets_met",
        "targets",
        "warnings",
    ] {
        header.push(h.to_string());
    }
    for t in 1..=targets {
        header.push(format!("target_{t}_reached"));
        header.push(format!("target_{t}_met"));
        header.push(format!("target_{t}_share_met"));
    }
    w.write_record(&header).map_err(err)?;
    for (values, s) in rows {
        let mut row: Vec<String> = values.clone();
        row.push(s.year.to_string());
        for x in [s.urban_mean, s.rural_mean, s.ratio, s.urban_growth, s.rural_growth, s.gini] {
            row.push(x.to_string());
        }
        row.push(s.dibao_households.to_string());
        row.push(s.programme_cost.to_string());
        row.push(s.gaining_share.to_string());
        row.push(s.losing_share.to_string());
        for x in [s.worse_off_than_previous, s.metr, s.dibao_trapped_share, s.dibao_participation_tax_rate] {
            row.push(x.map_or_else(String::new, |x| x.to_string()));
        }
        row.push(s.targets_met().to_string());
        row.push(s.targets.len().to_string());
        row.push(s.warnings.len().to_string());
        for t in &s.targets {
            row.push(t.reached.map_or_else(String::new, |x| x.to_string()));
            row.push(t.met.to_string());
            row.push(t.probability.to_string());
        }
        w.write_record(&row).map_err(err)?;
    }
    w.into_inner().map_err(|e| Error::InvalidRequest(format!("writing {file}: {e}")))
}

/// For each target, the points at which it is met, as ranges of consecutive points of
/// the sweep's order (`(first, last)` indices, inclusive).
pub fn met_ranges(points: &[SweepPoint]) -> Vec<Vec<(usize, usize)>> {
    let targets = points.first().map_or(0, |p| p.summary.targets.len());
    (0..targets)
        .map(|t| {
            let mut ranges: Vec<(usize, usize)> = Vec::new();
            for (i, p) in points.iter().enumerate() {
                if !p.summary.targets.get(t).is_some_and(|r| r.met) {
                    continue;
                }
                match ranges.last_mut() {
                    Some(last) if last.1 + 1 == i => last.1 = i,
                    _ => ranges.push((i, i)),
                }
            }
            ranges
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_parse_ranges_and_lists_and_name_their_problems() {
        let a = Axis::parse("levers.dibao.rural_threshold_per_month=400:600:50").expect("parses");
        assert_eq!(a.values, vec![400.0, 450.0, 500.0, 550.0, 600.0]);
        assert_eq!(a.field.path(), "levers.dibao.rural_threshold_per_month");
        let b = Axis::parse("assumptions.wage_growth_rural=0.05:0.08:0.01").expect("parses");
        assert_eq!(b.values, vec![0.05, 0.06, 0.07, 0.08]);
        let c = Axis::parse("levers.public_welfare_posts.posts_per_year = 0, 1500,3000").expect("parses");
        assert_eq!(c.values, vec![0.0, 1500.0, 3000.0]);
        for (spec, needle) in [
            ("levers.dibao.rural_threshold_per_month", "no `=`"),
            ("levers.dibaoo.x=1", "dibao"),
            ("levers.dibao.rural_treshold_per_month=1", "did you mean `rural_threshold_per_month`"),
            ("assumptions.wage_grwth_rural=1", "did you mean `wage_growth_rural`"),
            ("seed=1", "not a field a sweep can set"),
            ("assumptions.cpi_inflation=1:2:0", "step 0 must be positive"),
            ("assumptions.cpi_inflation=2:1:0.5", "before the start"),
            ("assumptions.cpi_inflation=0:1:0.0001", "more than the 1000"),
            ("assumptions.cpi_inflation=0:1e300:1e-300", "countless values"),
            ("assumptions.cpi_inflation=0.1,x", "`x` is not a number"),
            ("assumptions.cpi_inflation=nan", "not a finite number"),
            ("assumptions.cpi_inflation=1:2", "START:END:STEP"),
        ] {
            let e = Axis::parse(spec).expect_err(spec).to_string();
            assert!(e.contains(needle) && e.contains(spec.split('=').next().unwrap_or(spec)), "{spec}: {e}");
        }
    }

    #[test]
    fn the_grid_runs_every_combination_first_axis_slowest() {
        let a = Axis::parse("assumptions.cpi_inflation=0.01,0.02").expect("parses");
        let b = Axis::parse("assumptions.wage_growth_rural=0.05,0.06,0.07").expect("parses");
        let g = grid(&[a.clone(), b.clone()]).expect("grid");
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], vec![0.01, 0.05]);
        assert_eq!(g[2], vec![0.01, 0.07]);
        assert_eq!(g[3], vec![0.02, 0.05]);
        assert!(grid(&[]).is_err());
        let many = Axis::parse("assumptions.cpi_inflation=0:0.5:0.001").expect("501 values");
        assert!(grid(&[many.clone(), many]).expect_err("too many").to_string().contains("251001 points"));
    }

    #[test]
    fn met_ranges_join_consecutive_points() {
        let point = |met: bool| SweepPoint {
            values: vec![0.0],
            summary: PointSummary {
                year: 2024,
                urban_mean: 0.0,
                rural_mean: 0.0,
                ratio: 0.0,
                urban_growth: 0.0,
                rural_growth: 0.0,
                gini: 0.0,
                dibao_households: 0.0,
                programme_cost: 0.0,
                gaining_share: 0.0,
                losing_share: 0.0,
                worse_off_than_previous: None,
                metr: None,
                dibao_trapped_share: None,
                dibao_participation_tax_rate: None,
                warnings: Vec::new(),
                targets: vec![TargetResult {
                    name: "t".into(),
                    reached: Some(1.0),
                    target: 1.0,
                    met,
                    margin: Some(0.0),
                    probability: f64::from(u8::from(met)),
                }],
            },
        };
        let points: Vec<SweepPoint> = [false, true, true, false, true].into_iter().map(point).collect();
        assert_eq!(met_ranges(&points), vec![vec![(1, 2), (4, 4)]]);
    }
}
