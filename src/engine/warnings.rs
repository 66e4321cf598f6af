//! Warnings: what a scenario or a run does that is allowed but probably not what the
//! analyst meant — a parameter that acts only with a switch that is off, a dated change
//! after the last projected year, an uncertainty with a single replication, a target
//! outside the projected years, places a rationed lever could not fill.
//!
//! A warning never stops a run. The scenario's own ([`Scenario::warnings`]) are known
//! before the run (`incomesim check` prints them); the run adds what only its results
//! show ([`run_warnings`]). [`crate::engine::Outcome::warnings`] holds both, and
//! `summary.json`, the report and the command line list them.

use serde::Serialize;

use super::projection::{ReplicationSeeds, Scenario, VariantResult};
use super::targets::Measure;
use crate::dynamics::Dynamics;
use crate::model::Residence;
use crate::policy::pension::{ResidentPension, central_minimum_rises};
use crate::policy::registry::{self, Kind};
use crate::policy::retiree::RetireePensionAdjustment;
use crate::policy::{Dated, YearMonth};
use crate::report::chart::thousands;
use crate::scenario::{ASSUMPTION_TABLE, AssumptionSeries, assumption_series};

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// A lever parameter that acts only while a flag is on, set with the flag off (or
    /// `participation_wage_per_month` without `work_incentives`).
    InertParameter,
    /// A dated lever parameter or assumption with a change after the last projected
    /// year, which never takes effect in the projection (or an uncertainty from a
    /// month after it, or a population re-weighting of a later year).
    ChangeAfterLastYear,
    /// A baseline assumption set in a projection that ends before the first year it
    /// can act in (`retirement_delay` before 2025), or one that another switches off
    /// (a dibao caseload multiple without the caseload alignment).
    InertAssumption,
    /// A reform lever's schedule that leaves out a national decision the baseline
    /// carries (a retirees' adjustment, a rise of the residents' pension's central
    /// minimum) in a projected year: the reform then pays less than the baseline.
    ReplacesNationalDecision,
    /// An `uncertainty` entry in a scenario of one replication: only replications
    /// after the first draw the assumptions.
    UncertaintyWithoutReplications,
    /// `replication_seeds = "same"` without anything uncertain to draw: every
    /// replication is the first one again.
    IdenticalReplications,
    /// A target on a year the projection does not reach (after a `--years` that
    /// shortens it, or a scenario built in code).
    TargetOutsideProjection,
    /// A target whose value could not be computed from the results (a group with no
    /// households, a growth from or to a non-positive value).
    TargetNotEvaluated,
    /// A rationed lever left places empty: too few were eligible.
    PlacesUnfilled,
    /// A pay schedule that changes over the years in a lever that also indexes its pay
    /// (`indexation` other than `none`: the dated amounts are read as base-year yuan and
    /// multiplied by the year's index), so a schedule written in each year's yuan grows
    /// twice.
    IndexedSchedule,
    /// A dibao lever's priority of need set without the take-up rate of the same
    /// residence: the calibrated rate (the take-up of a household entitled to half its
    /// threshold) belongs to the calibrated priority, so the caseload moves far from
    /// the published one.
    PriorityWithoutTakeUp,
}

impl WarningKind {
    /// Whether the warning is known from the scenario alone, before the run.
    pub fn is_scenario(self) -> bool {
        !matches!(self, WarningKind::TargetNotEvaluated | WarningKind::PlacesUnfilled)
    }
}

/// One warning: the field it concerns and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// What it is about.
    pub kind: WarningKind,
    /// The field path (`levers.dibao.sanction_cut_share`, `targets[2]`,
    /// `uncertainty`).
    pub field: String,
    /// What happens and why.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl Scenario {
    /// What the scenario sets that will not act as written, in field order: levers
    /// (by name), assumptions, uncertainty, targets. Empty for a scenario that does what it says.
    pub fn warnings(&self) -> Vec<Warning> {
        let mut out = Vec::new();
        for lever in &self.reform {
            lever_warnings(self, &lever.name, &lever.params, &mut out);
        }
        assumption_warnings(self, &mut out);
        if self.participation_wage_per_month.is_some() && !self.work_incentives {
            out.push(Warning {
                kind: WarningKind::InertParameter,
                field: "participation_wage_per_month".into(),
                message: "has no effect with work_incentives = false: it is the wage of the participation tax rate, \
                          which only a run that measures work incentives computes; set work_incentives = true (or \
                          --work-incentives)"
                    .into(),
            });
        }
        if self.replications <= 1 && !(self.uncertainty.is_empty() && self.lever_uncertainty.is_empty()) {
            let names: Vec<String> = self
                .uncertainty
                .iter()
                .map(|u| u.assumption.clone())
                .chain(self.lever_uncertainty.iter().map(|u| format!("levers.{}.{}", u.lever, u.parameter)))
                .collect();
            out.push(Warning {
                kind: WarningKind::UncertaintyWithoutReplications,
                field: "uncertainty".into(),
                message: format!(
                    "{} has no effect with replications = 1: the first replication runs the central assumptions and \
                     only later ones draw from the uncertainty; set replications to 2 or more",
                    names.join(", ")
                ),
            });
        }
        if self.replication_seeds == ReplicationSeeds::Same {
            let nothing_drawn = self.uncertainty.is_empty() && self.lever_uncertainty.is_empty();
            if self.replications <= 1 {
                out.push(Warning {
                    kind: WarningKind::InertParameter,
                    field: "replication_seeds".into(),
                    message: "has no effect with replications = 1: it sets the seeds of the replications after the \
                              first"
                        .into(),
                });
            } else if nothing_drawn {
                out.push(Warning {
                    kind: WarningKind::IdenticalReplications,
                    field: "replication_seeds".into(),
                    message: format!(
                        "\"same\" runs all {} replications on one population with the same draws, and the scenario \
                         has nothing uncertain to draw ([uncertainty], [uncertainty.levers]): they are identical; \
                         give uncertain values, or leave replication_seeds at \"each\" to measure sampling noise",
                        self.replications
                    ),
                });
            }
        }
        for u in &self.uncertainty {
            if let Some(from) = u.from.filter(|m| m.year > self.last_year) {
                out.push(Warning {
                    kind: WarningKind::ChangeAfterLastYear,
                    field: format!("uncertainty.{}.from", u.assumption),
                    message: format!(
                        "{from} is after the last projected year {}: no replication draws a different {}",
                        self.last_year, u.assumption
                    ),
                });
            }
        }
        for rw in self.dynamics.reweighting.iter().filter(|r| r.year > self.last_year) {
            out.push(Warning {
                kind: WarningKind::ChangeAfterLastYear,
                field: format!("population_reweighting (year {})", rw.year),
                message: format!(
                    "{} is after the last projected year {}: the population is never re-weighted to it",
                    rw.year, self.last_year
                ),
            });
        }
        for (i, t) in self.targets.iter().enumerate() {
            let outside: Vec<u16> =
                t.measure.years().into_iter().filter(|y| *y < self.profile.base_year || *y > self.last_year).collect();
            if let Some(year) = outside.first() {
                out.push(Warning {
                    kind: WarningKind::TargetOutsideProjection,
                    field: format!("targets[{i}]"),
                    message: format!(
                        "target `{}` reads {year}, outside the projection ({}–{}): it cannot be met",
                        t.name, self.profile.base_year, self.last_year
                    ),
                });
            }
        }
        out
    }
}

/// Warnings about one reform lever's parameters.
fn lever_warnings(s: &Scenario, name: &str, params: &toml::Table, out: &mut Vec<Warning>) {
    let Ok(spec) = registry::find(name) else { return };
    for (parameter, flag) in registry::inert_parameters(spec, params) {
        out.push(Warning {
            kind: WarningKind::InertParameter,
            field: format!("levers.{name}.{parameter}"),
            message: format!("has no effect: it acts only with `{flag} = true`, and `{flag}` is off"),
        });
    }
    let last = YearMonth { year: s.last_year, month: 12 };
    for p in spec.parameters {
        let Some(value) = params.get(p.name) else { continue };
        let field = format!("levers.{name}.{}", p.name);
        if p.kind == Kind::YearMonth {
            if let Some(month) = value.as_str().and_then(YearMonth::parse).filter(|m| *m > last) {
                let message = format!(
                    "is {month}, after the last projected year {}: it never takes effect in this projection",
                    s.last_year
                );
                out.push(Warning { kind: WarningKind::ChangeAfterLastYear, field, message });
            }
            continue;
        }
        late_steps(dated_values(value), s.last_year, &field, out);
    }
    national_decision_warnings(s, name, params, out);
    hire_wage_warning(s, spec, params, out);
    indexed_schedule_warning(s, spec, params, out);
    for residence in Residence::BOTH {
        let priority = format!("take_up_need_priority_{residence}");
        let take_up = format!("take_up_{residence}");
        // Only the dibao's rate is calibrated (the extreme-poverty support's is 1 by
        // assumption, whatever its priority).
        if name == crate::policy::dibao::NAME
            && spec.parameter(&priority).is_some()
            && params.contains_key(&priority)
            && !params.contains_key(&take_up)
        {
            out.push(Warning {
                kind: WarningKind::PriorityWithoutTakeUp,
                field: format!("levers.{name}.{priority}"),
                message: format!(
                    "is set without `{take_up}`: the calibrated take-up rate (of households entitled to half their \
                     threshold) belongs to the calibrated priority of need, so with another priority the caseload \
                     moves far from the published one; set `{take_up}` too"
                ),
            });
        }
    }
}

/// A lever's parameters as its builder reads them (the values given, else the defaults),
/// on the scenario's profile without calibration.
fn lever_params<'a>(
    s: &'a Scenario,
    spec: &'static registry::LeverSpec,
    params: &'a toml::Table,
) -> registry::Params<'a> {
    registry::Params::new(spec, registry::BuildContext::new(&s.profile), params)
}

/// A start-up hire wage set while start-ups create no job beyond the founder's
/// (`jobs_per_start_up` of 1 or less, as given or by default): nobody is hired.
fn hire_wage_warning(s: &Scenario, spec: &'static registry::LeverSpec, params: &toml::Table, out: &mut Vec<Warning>) {
    if spec.name != "start_up_support" || !params.contains_key("hire_wage_per_month") {
        return;
    }
    // The value given or the default, as the lever reads it (a bad value is the builder's error).
    let Ok(jobs) = lever_params(s, spec, params).number("jobs_per_start_up") else { return };
    if jobs <= 1.0 {
        out.push(Warning {
            kind: WarningKind::InertParameter,
            field: format!("levers.{}.hire_wage_per_month", spec.name),
            message: format!(
                "has no effect: with `jobs_per_start_up = {jobs}` start-ups create no job beyond the founder's"
            ),
        });
    }
}

/// A dated pay schedule that changes over time, given to a lever that multiplies its
/// pay by an index ([`crate::policy::employment::PAY_INDEXED`]) whose `indexation` (as
/// given or by default) is not `none`.
fn indexed_schedule_warning(
    s: &Scenario,
    spec: &'static registry::LeverSpec,
    params: &toml::Table,
    out: &mut Vec<Warning>,
) {
    if !crate::policy::employment::PAY_INDEXED.contains(&spec.name) {
        return;
    }
    let read = lever_params(s, spec, params);
    let Ok(indexation) = read.choice("indexation") else { return };
    if indexation == "none" {
        return;
    }
    for p in spec.parameters.iter().filter(|p| p.kind == Kind::DatedMoney && params.contains_key(p.name)) {
        let Ok(schedule) = read.dated(p.name) else { continue };
        if schedule.steps().windows(2).any(|w| w[0].1 != w[1].1) {
            out.push(Warning {
                kind: WarningKind::IndexedSchedule,
                field: format!("levers.{}.{}", spec.name, p.name),
                message: format!(
                    "changes over the years and is also multiplied by the `{indexation}` index (`indexation`): its \
                     amounts are read as base-year yuan; if they are each year's yuan, set `indexation = \"none\"`"
                ),
            });
        }
    }
}

/// Warnings about a reform lever whose given schedule replaces the national decisions
/// the baseline carries ([`crate::policy::base::projection_rule_set`]) and leaves some
/// out in a projected year (after the base year, when the reform's levers act).
fn national_decision_warnings(s: &Scenario, name: &str, params: &toml::Table, out: &mut Vec<Warning>) {
    let projected = s.profile.base_year + 1..=s.last_year;
    let (field, missing): (&str, Vec<String>) = match name {
        "retiree_pension_adjustment" => {
            let Some(value) = params.get("rise") else { return };
            let given: Vec<u16> = dated_values(value).into_iter().flatten().map(|m| m.year).collect();
            let national = RetireePensionAdjustment::national();
            let missing = national
                .rise
                .steps()
                .iter()
                .filter(|(m, _)| projected.contains(&m.year) && !given.contains(&m.year))
                .map(|(m, r)| format!("{} ({}%)", m.year, r * 100.0))
                .collect();
            ("rise", missing)
        }
        "resident_pension" => {
            let Some(value) = params.get("amount_per_month") else { return };
            // The given amounts by month (a single amount: one step in force throughout).
            let given = match value.as_table() {
                Some(table) => {
                    let mut steps: Vec<(YearMonth, f64)> = table
                        .iter()
                        .filter_map(|(k, v)| {
                            Some((YearMonth::parse(k)?, v.as_float().or(v.as_integer().map(|i| i as f64))?))
                        })
                        .collect();
                    steps.sort_by_key(|s| s.0);
                    Dated::new(steps)
                }
                None => value.as_float().or(value.as_integer().map(|i| i as f64)).map(Dated::constant),
            };
            let Some(given) = given else { return };
            // The decided rises, then the assumed yearly one the baseline carries after them.
            let (after, assumed) = ResidentPension::assumed_yearly_rise();
            let first = *projected.start();
            let assumed_rises =
                (after.year.max(first)..=s.last_year).map(|y| (YearMonth::start_of(y), assumed, " assumed"));
            let missing = central_minimum_rises(projected)
                .into_iter()
                .map(|(m, d)| (m, d, ""))
                .chain(assumed_rises)
                .filter(|(when, rise, _)| given.at(*when) - given.at(when.previous()) < rise - 1e-9)
                .map(|(m, d, how)| format!("{m} (+{d}{how})"))
                .collect();
            ("amount_per_month", missing)
        }
        _ => return,
    };
    push_missing(out, name, field, missing);
}

fn push_missing(out: &mut Vec<Warning>, lever: &str, field: &str, missing: Vec<String>) {
    if missing.is_empty() {
        return;
    }
    out.push(Warning {
        kind: WarningKind::ReplacesNationalDecision,
        field: format!("levers.{lever}.{field}"),
        message: format!(
            "replaces the national schedule the baseline carries, and leaves out {}: the reform pays less than the \
             baseline there, which shows as the lever's effect; add them to the schedule to measure the plan's own \
             change",
            missing.join(", ")
        ),
    });
}

/// Warnings about dated values (each given by its effective months) with steps after
/// `last_year`: a later step is never in force; a first step after it holds from the
/// start (a dated value takes its first value before its first month).
fn late_steps(values: Vec<Vec<YearMonth>>, last_year: u16, field: &str, out: &mut Vec<Warning>) {
    let last = YearMonth { year: last_year, month: 12 };
    let mut never: Vec<YearMonth> = Vec::new();
    let mut first_late = None;
    for mut months in values {
        months.sort_unstable();
        if let Some(first) = months.first().filter(|m| **m > last) {
            first_late = first_late.or(Some(*first));
        }
        never.extend(months.iter().skip(1).filter(|m| **m > last));
    }
    never.sort_unstable();
    never.dedup();
    if !never.is_empty() {
        let months: Vec<String> = never.iter().map(ToString::to_string).collect();
        let message = format!(
            "the change{} from {} {} after the last projected year {last_year}: never in force in this projection",
            if never.len() > 1 { "s" } else { "" },
            months.join(", "),
            if never.len() > 1 { "are" } else { "is" },
        );
        out.push(Warning { kind: WarningKind::ChangeAfterLastYear, field: field.to_string(), message });
    }
    if let Some(first) = first_late {
        let message = format!(
            "its first value is dated {first}, after the last projected year {last_year}: a dated value holds its \
             first value before its first month, so that value is in force throughout the projection"
        );
        out.push(Warning { kind: WarningKind::ChangeAfterLastYear, field: field.to_string(), message });
    }
}

/// Warnings about the baseline assumptions the scenario changes from its profile's
/// (`[assumptions]`): one that acts only after the last projected year, steps after
/// the last projected year.
fn assumption_warnings(s: &Scenario, out: &mut Vec<Warning>) {
    let defaults = Dynamics::from_profile(&s.profile);
    let mut set: Vec<_> = assumption_series(&s.dynamics, &defaults).into_iter().filter(|a| a.set_by_scenario).collect();
    // The urban and rural series of a part set alike are named as one scenario sets them
    // both (`operating_growth`).
    for both in ASSUMPTION_TABLE.iter().filter(|a| a.sets_both()) {
        let residences = both.per_residence();
        let own = |x: &AssumptionSeries| residences.iter().any(|r| r.name == x.assumption.name);
        let series: Vec<&Dated<f64>> = set.iter().filter(|x| own(x)).map(|x| &x.series).collect();
        if let Some(&first) = series.first()
            && series.len() == residences.len()
            && series.iter().all(|x| *x == first)
        {
            let series = first.clone();
            set.retain(|x| !own(x));
            set.push(AssumptionSeries { assumption: both, series, set_by_scenario: true });
        }
    }
    for set in set {
        let (a, in_scenario) = (set.assumption, set.series);
        if s.last_year < a.acts_from {
            out.push(Warning {
                kind: WarningKind::InertAssumption,
                field: format!("assumptions.{}", a.name),
                message: format!(
                    "has no effect: it acts from {}, after the last projected year {}",
                    a.acts_from, s.last_year
                ),
            });
        }
        if a.name.starts_with("dibao_caseload_share_multiple")
            && (s.profile.base_year + 1..=s.last_year).all(|y| s.dynamics.dibao_caseload_alignment(y) <= 0.0)
        {
            out.push(Warning {
                kind: WarningKind::InertAssumption,
                field: format!("assumptions.{}", a.name),
                message: "has no effect: dibao_caseload_alignment is 0 in every projected year, so the caseload \
                          follows the incomes and no share is held"
                    .into(),
            });
        }
        // A value in force throughout has month 0 (`Dated::constant`): no step to date.
        let months: Vec<YearMonth> = in_scenario.steps().iter().map(|(m, _)| *m).filter(|m| m.year > 0).collect();
        late_steps(vec![months], s.last_year, &format!("assumptions.{}", a.name), out);
    }
}

/// The effective months of each dated value as a scenario writes it: a table of months
/// to values is one, a list of such tables (by residence or tier) several; a plain
/// value has none.
fn dated_values(value: &toml::Value) -> Vec<Vec<YearMonth>> {
    match value {
        toml::Value::Table(t) => vec![t.keys().filter_map(|k| YearMonth::parse(k)).collect()],
        toml::Value::Array(items) => items.iter().flat_map(dated_values).collect(),
        _ => Vec::new(),
    }
}

/// What only the results show: rationed levers that left places empty (the reform of
/// the first replication, every year) and targets that could not be evaluated for a
/// reason other than their years.
pub fn run_warnings(s: &Scenario, reform: &VariantResult, targets: &[super::targets::TargetResult]) -> Vec<Warning> {
    let mut out = Vec::new();
    for lever in &s.reform {
        let short: Vec<String> = reform
            .years
            .iter()
            .filter_map(|y| {
                let r = y.ledger.records.iter().find(|r| r.lever == lever.name)?;
                // A place is a person or household of the represented population: a
                // shortfall under one is the rounding of weights, not a shortage.
                (r.unfilled_places >= 1.0).then(|| {
                    format!("{}: {} of {}", y.indicators.year, thousands(r.unfilled_places), thousands(r.places))
                })
            })
            .collect();
        if !short.is_empty() {
            out.push(Warning {
                kind: WarningKind::PlacesUnfilled,
                field: format!("levers.{}", lever.name),
                message: format!(
                    "places left empty because too few were eligible ({}); the lever's reach is its eligible \
                     population, not its places",
                    short.join(", ")
                ),
            });
        }
    }
    for (i, (t, r)) in s.targets.iter().zip(targets).enumerate() {
        let in_projection = t.measure.years().iter().all(|y| (s.profile.base_year..=s.last_year).contains(y));
        if r.reached.is_none() && in_projection {
            out.push(Warning {
                kind: WarningKind::TargetNotEvaluated,
                field: format!("targets[{i}]"),
                message: format!(
                    "target `{}` could not be evaluated: group `{}` has no value of `{}` in a year it reads{}",
                    t.name,
                    t.group,
                    t.indicator,
                    if matches!(t.measure, Measure::Growth { .. }) { ", or a value is not positive" } else { "" }
                ),
            });
        }
    }
    out
}
