//! The projection: a calibrated population carried year by year under the baseline
//! rules and under the reform, with every coalition of reform levers the Shapley
//! values need, and replications.

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::correlation::{Correlation, JointDraws};
use super::shapley::{self, Coalition, Contributions};
use super::stream::{BlockPlan, Detail, PILOT_HOUSEHOLDS, PhaseTimings, ReplicationRun, StreamStats, VariantSpec};
use super::targets::{Target, TargetResult};
use super::uncertain_levers::UncertainLever;
use crate::dynamics::Dynamics;
use crate::error::{Error, Result};
use crate::generate::{BLOCK, Generator};
use crate::indicators::{AllWeighting, Group, HouseholdOutcome, IndicatorOptions, PovertyLines, YearIndicators};
use crate::model::Population;
use crate::policy::registry::{self, BuildContext};
use crate::policy::{Dated, YearMonth};
use crate::policy::{Ledger, Lever, LeverSet};
use crate::random::{Purpose, StreamRng};
use crate::region::Profile;

/// A reform lever of a scenario: its registry name and its parameters. It is built
/// when the run has calibrated the population (its dibao take-up defaults to the
/// calibrated one).
#[derive(Debug, Clone, PartialEq)]
pub struct ReformLever {
    /// The lever's registry name.
    pub name: String,
    /// Its parameters, as in a scenario file.
    pub params: toml::Table,
}

/// An uncertain baseline assumption: each replication after the first adds a normal
/// draw with this standard deviation to every step of the assumption (from `from` on,
/// when given: the values in force before stay as they are).
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertain {
    /// The assumption's name (see [`crate::scenario::ASSUMPTIONS`]).
    pub assumption: String,
    /// Standard deviation, in the assumption's unit (0.015 = 1.5 points of growth).
    pub sd: f64,
    /// The first month the draw shifts (`None`: every month). Years already published
    /// (the defaults follow the published series to their last year) can so stay fixed
    /// while the years after them vary.
    pub from: Option<YearMonth>,
}

impl Uncertain {
    /// An assumption uncertain in every month, with this standard deviation.
    pub fn new(assumption: impl Into<String>, sd: f64) -> Self {
        Uncertain { assumption: assumption.into(), sd, from: None }
    }

    /// Shifts the assumption in `d` by `z` standard deviations (from [`Uncertain::from`]
    /// on), clamped to its range: one shift for every series it sets (the urban and the
    /// rural one of `operating_growth`). An unknown name changes nothing.
    pub fn apply(&self, d: &mut Dynamics, z: f64) {
        if let Some(a) = crate::scenario::assumption(&self.assumption) {
            a.for_each_field(d, |slot| *slot = self.shifted(slot, self.sd * z, |x| a.range.clamp(x)));
        }
    }

    /// `series` shifted by `shift` from [`Uncertain::from`] on, each value clamped by
    /// `clamp`: steps before it keep their values, and the value in force at it starts
    /// a shifted step there.
    pub fn shifted(&self, series: &Dated<f64>, shift: f64, clamp: impl Fn(f64) -> f64) -> Dated<f64> {
        let Some(from) = self.from else {
            let steps = series.steps().iter().map(|&(m, x)| (m, clamp(x + shift))).collect();
            return Dated::new(steps).unwrap_or_else(|| series.clone());
        };
        let mut steps: Vec<(YearMonth, f64)> = series.steps().iter().filter(|s| s.0 < from).copied().collect();
        steps.push((from, clamp(*series.at(from) + shift)));
        steps.extend(series.steps().iter().filter(|s| s.0 > from).map(|&(m, x)| (m, clamp(x + shift))));
        Dated::new(steps).unwrap_or_else(|| series.clone())
    }
}

/// The seeds of a scenario's replications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReplicationSeeds {
    /// Replication `r` runs seed `seed + r`: its own population and draws, so the
    /// spread over replications holds the sampling noise of a population of the
    /// scenario's size as well as the uncertain values (the default).
    #[default]
    Each,
    /// Every replication runs the scenario's seed: the same population and draws, so
    /// replications differ by their uncertain values alone (`[uncertainty]`,
    /// `[uncertainty.levers]`), whose draws are still keyed by the replication.
    Same,
}

impl ReplicationSeeds {
    /// The words a scenario file writes (`replication_seeds = "same"`).
    pub const WORDS: [&str; 2] = ["each", "same"];

    /// From a word of [`ReplicationSeeds::WORDS`].
    pub fn from_word(word: &str) -> Option<Self> {
        match word {
            "each" => Some(ReplicationSeeds::Each),
            "same" => Some(ReplicationSeeds::Same),
            _ => None,
        }
    }
}

/// Everything a projection needs, validated.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// A name for reports.
    pub name: String,
    /// The region profile of the base population.
    pub profile: Profile,
    /// Households to generate.
    pub households: usize,
    /// Seed of the population and of every draw.
    pub seed: u64,
    /// Last projected year (the first is the year after the profile's base year).
    pub last_year: u16,
    /// Baseline assumptions: the yearly processes.
    pub dynamics: Dynamics,
    /// Reform levers (added to, or replacing, the baseline rules of the same name).
    pub reform: Vec<ReformLever>,
    /// Targets to check.
    pub targets: Vec<Target>,
    /// Replications with different seeds (1 = a single run).
    pub replications: usize,
    /// Whether to compute each lever's contribution by Shapley values.
    pub shapley: bool,
    /// Whether to measure work incentives: the marginal effective tax rate on a rise in
    /// earnings in every year of the baseline and the reform
    /// ([`crate::indicators::incentives`]); their levers run three times a year (the METR and the participation tax rate). Default off.
    pub work_incentives: bool,
    /// The monthly wage of the job a member who enters work takes in the
    /// participation measure of work incentives, yuan per month, dated (e.g. the
    /// minimum wage); `None` (the default): the mean wage the dynamics pay a new local
    /// job of the residence and the member's education that year
    /// ([`crate::dynamics::Dynamics::entry_wages`]).
    pub participation_wage_per_month: Option<crate::policy::Dated<f64>>,
    /// Random orders for sampled Shapley values.
    pub shapley_permutations: usize,
    /// Most levers for exact Shapley values; beyond, they are sampled (default
    /// [`shapley::EXACT_MAX_LEVERS`]).
    pub shapley_exact_max: usize,
    /// Fixed poverty lines besides the dibao line, yuan per person per year.
    pub poverty_lines: Vec<f64>,
    /// Uncertain baseline assumptions, drawn per replication.
    pub uncertainty: Vec<Uncertain>,
    /// Uncertain parameters of the reform's levers, drawn per replication
    /// ([`super::uncertain_levers`]), in field order.
    pub lever_uncertainty: Vec<UncertainLever>,
    /// Correlations of the uncertain values' draws ([`super::correlation`]; none:
    /// independent draws).
    pub correlations: Vec<Correlation>,
    /// The seeds of the replications (default: each its own).
    pub replication_seeds: ReplicationSeeds,
    /// The base population's microdata files, when the scenario reads its households
    /// instead of generating them (then `households` is their number).
    pub microdata: Option<crate::scenario::MicrodataFiles>,
}

impl Scenario {
    /// A fingerprint of the scenario as it runs: every field after its `base` is
    /// resolved, its region profile loaded and any command-line override applied
    /// (FNV-1a 64 of its `Debug` form, [`crate::engine::output::fnv1a64`]). The hash of
    /// a scenario file covers only that file's bytes, not a `base` it names; this one
    /// covers what the run reads. It is stable for one crate version (a new field or
    /// default changes it).
    pub fn fingerprint(&self) -> u64 {
        crate::engine::output::fnv1a64(format!("{self:?}").as_bytes())
    }

    /// Whether `other` can share this scenario's baseline in one pass
    /// ([`Projection::run_points_with_generator`]): it differs in its reform levers,
    /// name and targets only, and asks for no Shapley values.
    pub fn shares_baseline_with(&self, other: &Scenario) -> bool {
        !other.shapley && baseline_key(self) == baseline_key(other)
    }

    /// The seed of replication `r`: `seed + r`, or `seed` for every replication with
    /// [`ReplicationSeeds::Same`].
    pub fn replication_seed(&self, r: usize) -> u64 {
        match self.replication_seeds {
            ReplicationSeeds::Each => self.seed.wrapping_add(r as u64),
            ReplicationSeeds::Same => self.seed,
        }
    }

    /// Whether every replication has the first one's population, dynamics and baseline
    /// (`replication_seeds = "same"` with no assumption drawn): they then differ by
    /// their drawn lever parameters alone, and a run carries several in one pass with
    /// one baseline ([`FOLDED_PER_PASS`]).
    pub fn replications_share_baseline(&self) -> bool {
        self.replication_seeds == ReplicationSeeds::Same && self.uncertainty.is_empty()
    }

    /// What the replications after the first draw, as `(field, spread)`: each
    /// uncertain assumption (`assumptions.NAME`, `sd 0.01 from 2026-01`) and lever
    /// parameter (`levers.NAME.PARAMETER`, `relative sd 25%`), in field order.
    pub fn uncertain_fields(&self) -> Vec<(String, String)> {
        let assumptions = self.uncertainty.iter().map(|u| {
            let from = u.from.map(|m| format!(" from {m}")).unwrap_or_default();
            (
                format!("assumptions.{}", u.assumption),
                format!("sd {}{from}", crate::scenario::problem::shown_number(u.sd)),
            )
        });
        let levers = self.lever_draw_order().into_iter().map(|u| (u.path(), u.describe()));
        assumptions.chain(levers).collect()
    }

    /// Leaves nothing uncertain: no uncertain assumption, lever parameter or
    /// correlation (a correlation names uncertain values, so it goes with them).
    pub fn clear_uncertainty(&mut self) {
        self.uncertainty.clear();
        self.lever_uncertainty.clear();
        self.correlations.clear();
    }

    /// The uncertain values in the order of their draws: each uncertain assumption
    /// (`assumptions.NAME`, in the scenario's order), then each uncertain lever
    /// parameter (`levers.LEVER.PARAMETER`) grouped by lever ([`Scenario::lever_draw_order`]).
    /// [`Scenario::correlations`] name values so.
    pub fn uncertain_paths(&self) -> Vec<String> {
        uncertain_paths(&self.uncertainty, &self.lever_uncertainty)
    }

    /// The uncertain lever parameters in the order of their draws: grouped by lever, the
    /// levers in the order of their first entry, each lever's entries in their order
    /// (a scenario file's are already so: by lever, then parameter).
    pub fn lever_draw_order(&self) -> Vec<&UncertainLever> {
        lever_draw_order(&self.lever_uncertainty)
    }

    /// The factor of the correlations over [`Scenario::uncertain_paths`].
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] naming `uncertainty.correlations` (and the entry, by
    /// its index) with the [`CorrelationProblem`](super::correlation::CorrelationProblem).
    pub fn joint_draws(&self) -> Result<JointDraws> {
        JointDraws::new(&self.uncertain_paths(), &self.correlations).map_err(|e| {
            let field = match e.index() {
                Some(i) => format!("uncertainty.correlations[{i}]"),
                None => "uncertainty.correlations".to_string(),
            };
            Error::InvalidRequest(format!("{field}: {e}"))
        })
    }

    /// The independent standard normal draws of the uncertain assumptions in
    /// replication `r` (none in the first: it runs the central values), each keyed by
    /// the replication's seed, the replication and the assumption's index.
    pub fn assumption_draws(&self, r: usize) -> Vec<f64> {
        if r == 0 {
            return vec![0.0; self.uncertainty.len()];
        }
        let seed = self.replication_seed(r);
        (0..self.uncertainty.len())
            .map(|k| StreamRng::with_sub(seed, k as u64, r as u16, Purpose::Replication, 0x0a55).normal())
            .collect()
    }

    /// The dynamics of replication `r`: the scenario's, with each uncertain assumption
    /// shifted by its draw (correlated as [`Scenario::correlations`] say; none in the
    /// first replication) and clamped to the assumption's range.
    ///
    /// # Errors
    /// As [`Scenario::joint_draws`].
    pub fn dynamics_of(&self, r: usize) -> Result<Dynamics> {
        let mut d = self.dynamics.clone();
        if r == 0 || self.uncertainty.is_empty() {
            return Ok(d);
        }
        // The assumptions come first in the draw order: their correlated draws read
        // their own independent ones only.
        let z = self.joint_draws()?.values(&self.assumption_draws(r));
        for (u, z) in self.uncertainty.iter().zip(z) {
            u.apply(&mut d, z);
        }
        Ok(d)
    }

    /// The reform of replication `r`: its levers with their uncertain parameters
    /// drawn, correlated as [`Scenario::correlations`] say
    /// ([`super::uncertain_levers::draw`]); the scenario's own in the first.
    ///
    /// # Errors
    /// As [`Scenario::joint_draws`] and [`super::uncertain_levers::draw`].
    pub fn drawn_reform(&self, r: usize, context: BuildContext<'_>) -> Result<Vec<ReformLever>> {
        if r == 0 || self.lever_uncertainty.is_empty() {
            return Ok(self.reform.clone());
        }
        self.drawn(r, context).map(|d| d.reform)
    }

    /// Replication `r`'s drawn reform ([`Scenario::drawn_reform`]) with the draw of
    /// every uncertain value, in the order of [`Scenario::uncertain_paths`]: standard
    /// normal, correlated as [`Scenario::correlations`] say, 0 in the first replication.
    ///
    /// # Errors
    /// As [`Scenario::drawn_reform`].
    pub fn drawn(&self, r: usize, context: BuildContext<'_>) -> Result<super::uncertain_levers::Drawn> {
        let draws = super::uncertain_levers::Draws {
            uncertain: &self.lever_draw_order(),
            joint: &self.joint_draws()?,
            assumptions: &self.assumption_draws(r),
            seed: self.replication_seed(r),
            replication: r,
        };
        super::uncertain_levers::draw(&self.reform, &draws, context)
    }

    /// A scenario with no reform for a profile: 20,000 households, seed 7, three
    /// projected years, the profile's default dynamics.
    pub fn baseline(profile: Profile) -> Scenario {
        Scenario {
            name: format!("{} baseline", profile.id),
            households: 20_000,
            seed: 7,
            last_year: profile.base_year + 3,
            dynamics: Dynamics::from_profile(&profile),
            reform: Vec::new(),
            targets: Vec::new(),
            replications: 1,
            shapley: true,
            work_incentives: false,
            participation_wage_per_month: None,
            shapley_permutations: 200,
            shapley_exact_max: shapley::EXACT_MAX_LEVERS,
            poverty_lines: vec![6_000.0, 10_000.0],
            uncertainty: Vec::new(),
            lever_uncertainty: Vec::new(),
            correlations: Vec::new(),
            replication_seeds: ReplicationSeeds::Each,
            microdata: None,
            profile,
        }
    }
}

/// One year of one variant.
#[derive(Debug, Clone, Serialize)]
pub struct YearResult {
    /// The indicators.
    pub indicators: YearIndicators,
    /// What each lever paid and cost.
    pub ledger: Ledger,
}

/// The years of one variant, base year first.
#[derive(Debug, Clone, Serialize)]
pub struct VariantResult {
    /// Base year, then each projected year.
    pub years: Vec<YearResult>,
    /// Every household's outcome in every year (base year first), when the
    /// projection was asked to keep them ([`Projection::keep_outcomes`]).
    #[serde(skip)]
    pub outcomes: Vec<Vec<HouseholdOutcome>>,
    /// What the baseline fixed each year, which every other variant reuses.
    #[serde(skip)]
    pub paths: BaselinePaths,
}

/// What the baseline run fixes for every variant, by year (base year first), so that
/// a reform cannot move it: the income index of indexed thresholds, and the alignment
/// factors of market incomes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BaselinePaths {
    /// Income index `[urban, rural]`: mean per-capita disposable income over the base
    /// year's.
    pub income: Vec<[f64; 2]>,
    /// Wage index `[urban, rural]`: the growth of pay rates since the base year
    /// ([`crate::policy::YearContext::wage_index`]), by which the employment levers'
    /// market pay moves.
    pub wage: Vec<[f64; 2]>,
    /// Alignment factors `[residence][wage, operating, property]`: each year, after
    /// the dynamics, persons' market incomes are scaled so that the baseline's
    /// per-capita wage, operating and property income of each residence grow at the
    /// assumed rates (`wage_growth_*`, `operating_growth`, `property_growth`): what
    /// composition (ageing, retirement, job churn, migration, urbanisation) takes away
    /// from individual growth is given back, as the published per-capita series count it.
    pub alignment: Vec<[[f64; 3]; 2]>,
    /// What the dynamics took from the pilot at the start of each year, for every variant
    /// and block to move alike ([`crate::dynamics::Dynamics::year_start_of`]; the base
    /// year's is [`crate::dynamics::Dynamics::fixed_year_start`], as calibrated): the
    /// share of rural persons in households working off the farm, over which
    /// urbanisation divides its rate; the replacement rate of new retirees `[urban,
    /// rural]`, so that they start at the mean pension of its retirees; and the
    /// fertility-weighted women per person, so that the year's crude birth rate is met
    /// on the pilot's age structure.
    pub year_start: Vec<crate::dynamics::YearStart>,
    /// The re-weighting of each year's households to the scenario's residents and age
    /// shares ([`crate::dynamics::reweight`]): its λ fitted on the baseline's pilot after the
    /// year's dynamics, which every variant and block applies (`None` in a year the
    /// scenario does not re-weight).
    pub reweighting: Vec<Option<crate::dynamics::reweight::ReweightFactors>>,
    /// The adjustment of the dibao lever's take-up each year
    /// ([`crate::policy::YearContext::dibao_take_up`]): what holds the baseline's
    /// caseload share as the `dibao_caseload_alignment` assumption asks
    /// ([`super::caseload`]); every variant and block uses it.
    pub dibao_take_up: Vec<crate::policy::TakeUpAdjustment>,
    /// The adjustment of the extreme-poverty support's take-up each year
    /// ([`crate::policy::YearContext::extreme_poverty_take_up`]), chosen as the dibao's
    /// is, to hold its base-year caseload share.
    pub extreme_poverty_take_up: Vec<crate::policy::TakeUpAdjustment>,
    /// The variant's take-up rate of newly eligible households `[urban, rural]` each
    /// year: its dibao lever's rate under the year's adjustment (`None` without a
    /// dibao lever). Reported, not reused.
    pub dibao_take_up_rate: Vec<Option<[f64; 2]>>,
    /// The variant's dibao threshold per person per year in its first tier
    /// `[urban, rural]` each year, with every rule in force (indexation, the
    /// `dibao_threshold_multiple_*` assumptions of the baseline, a reform's schedule).
    /// Reported, not reused.
    pub dibao_threshold: Vec<[f64; 2]>,
}

impl BaselinePaths {
    /// The take-up adjustments of a programme's lever, by year.
    pub fn take_up(&self, programme: crate::policy::Programme) -> &Vec<crate::policy::TakeUpAdjustment> {
        match programme {
            crate::policy::Programme::Dibao => &self.dibao_take_up,
            crate::policy::Programme::ExtremePoverty => &self.extreme_poverty_take_up,
        }
    }

    /// [`BaselinePaths::take_up`], to add a year to.
    pub fn take_up_mut(&mut self, programme: crate::policy::Programme) -> &mut Vec<crate::policy::TakeUpAdjustment> {
        match programme {
            crate::policy::Programme::Dibao => &mut self.dibao_take_up,
            crate::policy::Programme::ExtremePoverty => &mut self.extreme_poverty_take_up,
        }
    }
}

impl VariantResult {
    /// The indicators of a year.
    pub fn year(&self, year: u16) -> Option<&YearIndicators> {
        self.years.iter().map(|y| &y.indicators).find(|i| i.year == year)
    }

    /// An indicator by year, group name and indicator name.
    pub fn lookup(&self, year: u16, group: &str, indicator: &str) -> Option<f64> {
        let g = match group {
            "urban" => Group::Urban,
            "rural" => Group::Rural,
            "all" => Group::All,
            _ => return None,
        };
        self.year(year)?.get(g, indicator)
    }

    /// The outcomes the Shapley values share out: average yearly growth of urban and
    /// rural mean per-capita disposable income over the projection, and the
    /// urban-rural ratio in the last year.
    fn shapley_outcomes(&self) -> Vec<f64> {
        let first = self.years.first().map(|y| &y.indicators);
        let last = self.years.last().map(|y| &y.indicators);
        let span = self.years.len().saturating_sub(1).max(1) as f64;
        let growth = |g: Group| match (first, last) {
            (Some(a), Some(b)) if a.group(g).mean.disposable > 0.0 => {
                (b.group(g).mean.disposable / a.group(g).mean.disposable).powf(1.0 / span) - 1.0
            }
            _ => 0.0,
        };
        vec![growth(Group::Urban), growth(Group::Rural), last.map_or(0.0, |l| l.urban_rural_ratio)]
    }
}

/// Names of the outcomes of [`Outcome::contributions`], in order.
pub const SHAPLEY_OUTCOMES: [&str; 3] = ["urban_growth", "rural_growth", "urban_rural_ratio"];

/// The result of a projection.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// Baseline (base-year rules carried forward), first replication.
    pub baseline: VariantResult,
    /// Reform (baseline plus the scenario's levers), first replication.
    pub reform: VariantResult,
    /// Each reform lever's contribution to [`SHAPLEY_OUTCOMES`], if computed.
    pub contributions: Option<Contributions>,
    /// Names of the reform levers, in the order of the contributions.
    pub lever_names: Vec<String>,
    /// Targets checked on the reform (across replications).
    pub targets: Vec<TargetResult>,
    /// Reform results of every replication (the first is `reform`).
    pub replications: Vec<VariantResult>,
    /// What each replication drew: per replication, the draw of each uncertain value in
    /// the order of [`Scenario::uncertain_paths`] (standard normal, correlated as the
    /// scenario says; all 0 in the first). Empty when nothing is uncertain.
    pub draws: Vec<Vec<f64>>,
    /// The value each of [`Outcome::draws`] gave, in the same order: an assumption's
    /// value in force in January of the last year, a lever parameter's drawn number
    /// when it is one number (`None` for a dated value or a list by county tier).
    pub drawn_values: Vec<Vec<Option<f64>>>,
    /// Every assumption the run depends on: profile, base rules, dynamics.
    pub assumptions: Vec<(String, String)>,
    /// What the scenario sets that does not act as written, then what the results show
    /// (places left empty, targets not evaluated): see [`super::warnings`].
    pub warnings: Vec<super::warnings::Warning>,
    /// How the population was carried: blocks, pilot, window, variants.
    pub stream: StreamStats,
    /// Where the run spent its time, phase by phase, all replications (not part of
    /// the results: it differs from run to run).
    #[serde(skip)]
    pub timings: PhaseTimings,
}

/// The spread of one indicator across replications.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalRow {
    /// Year.
    pub year: u16,
    /// Group.
    pub group: &'static str,
    /// Indicator name.
    pub indicator: String,
    /// Mean over replications.
    pub mean: f64,
    /// 5th percentile over replications (the lower end of the 90% interval).
    pub p05: f64,
    /// 95th percentile (the upper end of the 90% interval).
    pub p95: f64,
    /// Replications that have the indicator.
    pub replications: usize,
}

/// The `q` quantile of sorted values, by linear interpolation.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

impl IntervalRow {
    /// The row of one indicator from its values over the replications.
    fn of(year: u16, group: &'static str, indicator: String, mut values: Vec<f64>) -> IntervalRow {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        values.sort_by(f64::total_cmp);
        IntervalRow {
            year,
            group,
            indicator,
            mean,
            p05: quantile(&values, 0.05),
            p95: quantile(&values, 0.95),
            replications: values.len(),
        }
    }
}

impl Outcome {
    /// Mean and 90% interval of one indicator of the reform across replications, as
    /// in [`Outcome::intervals`]; `None` when no replication has it.
    pub fn interval(&self, year: u16, group: &str, indicator: &str) -> Option<IntervalRow> {
        let values: Vec<f64> = self.replications.iter().filter_map(|r| r.lookup(year, group, indicator)).collect();
        let group = Group::ALL.iter().map(|g| g.as_str()).find(|g| *g == group)?;
        (!values.is_empty()).then(|| IntervalRow::of(year, group, indicator.to_string(), values))
    }

    /// Mean and 90% interval of every indicator of the reform across replications
    /// (with one replication the interval is the value itself).
    pub fn intervals(&self) -> Vec<IntervalRow> {
        let mut values: std::collections::BTreeMap<(u16, &'static str, String), Vec<f64>> = Default::default();
        for rep in &self.replications {
            for y in &rep.years {
                for row in y.indicators.rows() {
                    values.entry((row.year, row.group, row.indicator)).or_default().push(row.value);
                }
            }
        }
        values.into_iter().map(|((year, group, indicator), v)| IntervalRow::of(year, group, indicator, v)).collect()
    }

    /// Reform minus baseline for one indicator (first replication).
    pub fn difference(&self, year: u16, group: &str, indicator: &str) -> Option<f64> {
        Some(self.reform.lookup(year, group, indicator)? - self.baseline.lookup(year, group, indicator)?)
    }
}

/// How far a projection has got, for a progress bar: `done` of `total` steps of the
/// current stage (`"pilot"`: variant-years of the pilot; `"stream"`: blocks after the
/// pilot), per replication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Steps done.
    pub done: usize,
    /// Steps of the stage.
    pub total: usize,
    /// The stage: `pilot` or `stream` (within a replication), or `replications`
    /// (replications finished, when replications after the first run side by side).
    pub stage: &'static str,
}

/// A progress callback.
pub type ProgressFn = dyn Fn(Progress) + Send + Sync;

/// Runs a scenario: `Projection::new(&scenario).run()`.
///
/// The population is carried in fixed blocks of [`BLOCK`] households: a pilot of the
/// first [`PILOT_HOUSEHOLDS`] households fixes what needs the whole population, then
/// the other blocks stream through every year on their own, a window at a time, so
/// memory is bounded by the pilot and the window, not by the number of households.
/// See [`super::stream`] for what is exact and what the pilot estimates.
pub struct Projection<'a> {
    scenario: &'a Scenario,
    chunk_households: Option<usize>,
    pilot_households: usize,
    keep_outcomes: bool,
    microdata: Option<(u16, std::path::PathBuf)>,
    progress: Option<Arc<ProgressFn>>,
}

impl std::fmt::Debug for Projection<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Projection")
            .field("scenario", &self.scenario.name)
            .field("chunk_households", &self.chunk_households)
            .field("pilot_households", &self.pilot_households)
            .field("keep_outcomes", &self.keep_outcomes)
            .field("microdata", &self.microdata)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl<'a> Projection<'a> {
    /// A projection of a scenario with the default window and pilot.
    pub fn new(scenario: &'a Scenario) -> Self {
        Projection {
            scenario,
            chunk_households: None,
            pilot_households: PILOT_HOUSEHOLDS,
            keep_outcomes: false,
            microdata: None,
            progress: None,
        }
    }

    /// Households in one window of the stream (rounded up to whole blocks of [`BLOCK`];
    /// default: two blocks per worker thread): the blocks handed to the workers together
    /// and merged in order before the next window. Each worker generates and carries
    /// one block at a time, so the blocks alive are at most the smaller of the window
    /// and the threads; the window adds only its blocks' small summaries. Results do
    /// not depend on it.
    pub fn chunk_households(mut self, n: usize) -> Self {
        self.chunk_households = Some(n.max(1));
        self
    }

    /// Households of the pilot (rounded up to whole blocks; default
    /// [`PILOT_HOUSEHOLDS`]). A population no larger is run entirely as the pilot.
    pub fn pilot_households(mut self, n: usize) -> Self {
        self.pilot_households = n.max(1);
        self
    }

    /// Keeps every household's outcome in every year of the reported variants (for
    /// checking households one by one; memory grows with households × years × variants).
    pub fn keep_outcomes(mut self, keep: bool) -> Self {
        self.keep_outcomes = keep;
        self
    }

    /// Writes the reform's household (and person) microdata of `year` to
    /// `dir/households.csv` and `dir/persons.csv`: every input the rules read, each
    /// income part before and after the levers, and each lever's amount. Files are
    /// written block by block and committed atomically at the end.
    pub fn microdata(mut self, year: u16, dir: impl Into<std::path::PathBuf>) -> Self {
        self.microdata = Some((year, dir.into()));
        self
    }

    /// Calls `f` as the run progresses: after each year of each variant of the pilot
    /// and after each window of stream blocks (from worker-free points, in order).
    pub fn on_progress(mut self, f: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// The blocks of the run with the current thread pool.
    pub fn plan(&self) -> BlockPlan {
        let window = match self.chunk_households {
            Some(n) => n.div_ceil(BLOCK),
            None => 2 * rayon::current_num_threads(),
        };
        BlockPlan::new(self.scenario.households, self.pilot_households, window)
    }

    /// Runs the baseline, the reform, the Shapley coalitions and the replications.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an empty population or year range; calibration and
    /// lever errors; I/O errors writing microdata.
    pub fn run(&self) -> Result<Outcome> {
        self.check()?;
        let s = self.scenario;
        let generator = Generator::calibrate(&s.profile, s.seed)?;
        self.run_with(&generator)
    }

    /// Runs with a generator already calibrated on the scenario's profile and seed
    /// (for timing the projection apart from the calibration).
    ///
    /// # Errors
    /// As [`Projection::run`]; [`Error::InvalidRequest`] if the generator was
    /// calibrated on another profile.
    pub fn run_with_generator(&self, generator: &Generator) -> Result<Outcome> {
        if generator.profile().id != self.scenario.profile.id {
            return Err(Error::InvalidRequest(format!(
                "the generator was calibrated on `{}`, the scenario is on `{}`",
                generator.profile().id,
                self.scenario.profile.id
            )));
        }
        self.check()?;
        self.run_with(generator)
    }

    /// Checks the request before anything runs.
    fn check(&self) -> Result<()> {
        let s = self.scenario;
        if s.households == 0 {
            return Err(Error::InvalidRequest("households: a projection needs at least one household (got 0)".into()));
        }
        if s.last_year <= s.profile.base_year {
            return Err(Error::InvalidRequest(format!(
                "last_year: the last year ({}) must come after the base year of `{}` ({})",
                s.last_year, s.profile.id, s.profile.base_year
            )));
        }
        // A scenario file is held to the horizon by its validator; a last year set in
        // code or on the command line (`--years 65000` ran on, taking 10 GB) is held here.
        let horizon = crate::scenario::MAX_HORIZON;
        if u32::from(s.last_year) > u32::from(s.profile.base_year) + u32::from(horizon) {
            return Err(Error::InvalidRequest(format!(
                "last_year: {} is more than {horizon} years after the base year of `{}` ({}): at most {}",
                s.last_year,
                s.profile.id,
                s.profile.base_year,
                u32::from(s.profile.base_year) + u32::from(horizon)
            )));
        }
        if s.reform.len() > 63 {
            return Err(Error::InvalidRequest("reform: at most 63 reform levers".into()));
        }
        // What the scenario validator checks of a file, checked again for a scenario
        // built or changed in code.
        if s.replications == 0 {
            return Err(Error::InvalidRequest("replications: at least one replication (got 0)".into()));
        }
        if s.shapley && s.shapley_permutations == 0 {
            return Err(Error::InvalidRequest("shapley_permutations: at least one random order (got 0)".into()));
        }
        if let Some(x) = s.poverty_lines.iter().find(|x| !(x.is_finite() && **x > 0.0)) {
            return Err(Error::InvalidRequest(format!(
                "poverty_lines: each line must be a positive amount of yuan per person per year (got {})",
                crate::scenario::problem::shown_number(*x)
            )));
        }
        for u in &s.uncertainty {
            let Some(range) = crate::scenario::assumption_range(&u.assumption) else {
                return Err(Error::InvalidRequest(format!(
                    "uncertainty: unknown assumption `{}`; known: {}",
                    u.assumption,
                    crate::scenario::ASSUMPTIONS.join(", ")
                )));
            };
            let widest = range.widest_spread();
            if !(0.0..=widest).contains(&u.sd) {
                return Err(Error::InvalidRequest(format!(
                    "uncertainty.{}: a standard deviation from 0 to {widest} (got {})",
                    u.assumption,
                    crate::scenario::problem::shown_number(u.sd)
                )));
            }
        }
        if let Some((u, problem)) = s.lever_uncertainty.iter().find_map(|u| u.problem(&s.reform).map(|p| (u, p))) {
            return Err(Error::InvalidRequest(format!("{}: {problem}", u.field())));
        }
        s.joint_draws()?;
        if let Some((year, _)) = &self.microdata
            && !(s.profile.base_year..=s.last_year).contains(year)
        {
            return Err(Error::InvalidRequest(format!(
                "microdata year {year} is outside the projection {}–{}",
                s.profile.base_year, s.last_year
            )));
        }
        Ok(())
    }

    fn run_with(&self, generator: &Generator) -> Result<Outcome> {
        let s = self.scenario;
        let base_rules = generator.rules().clone();
        let baseline_rules = generator.projection_rules(&s.dynamics.dibao_threshold_multiple)?;
        let context = BuildContext {
            base_year: s.profile.base_year,
            profile: &s.profile,
            calibration: Some(generator.base_calibration()),
        };
        let build_reform = |levers: &[ReformLever]| -> Result<Vec<Arc<dyn Lever>>> {
            levers.iter().map(|r| registry::build(&r.name, context, &r.params).map(Arc::from)).collect()
        };
        let reform = build_reform(&s.reform)?;
        let set_with = |reform: &[Arc<dyn Lever>], coalition: Coalition| {
            let mut set = baseline_rules.clone();
            for (i, lever) in reform.iter().enumerate() {
                if coalition & (1 << i) != 0 {
                    set.insert_shared(lever.clone());
                }
            }
            set
        };
        let all: Coalition = if s.reform.is_empty() { 0 } else { (1u64 << s.reform.len()) - 1 };
        let n = s.reform.len();
        let shapley_wanted = s.shapley && n > 0;
        let contributions_of = |value: &mut dyn FnMut(Coalition) -> Vec<f64>| {
            if n <= s.shapley_exact_max {
                shapley::exact(n, value)
            } else {
                shapley::sampled(n, s.shapley_permutations, s.seed, value)
            }
        };
        // Every coalition the Shapley values will ask for, known before any is run (the
        // sampled orders depend only on the seed): each block carries them all.
        let mut wanted: BTreeSet<Coalition> = [0, all].into();
        if shapley_wanted {
            contributions_of(&mut |c| {
                wanted.insert(c);
                vec![0.0; SHAPLEY_OUTCOMES.len()]
            });
        }
        let options = indicator_options(s);
        let microdata = microdata_blocks(s)?;
        let plan = self.plan();
        let mut exporter = match &self.microdata {
            Some((year, dir)) => {
                std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.clone(), source })?;
                let names = if *year > s.profile.base_year { set_with(&reform, all) } else { base_rules.clone() };
                Some(crate::microdata::FileExporter::create(
                    &dir.join("households.csv"),
                    Some(&dir.join("persons.csv")),
                    *year as i32,
                    crate::microdata::lever_names(&names),
                )?)
            }
            None => None,
        };

        // With every replication on the scenario's seed and no assumption drawn, a later
        // replication's population, dynamics and baseline are the first's, bit for bit:
        // only its drawn levers differ. Its reform then runs as one more variant of an
        // earlier replication's pass (the same results as a pass of its own, whatever
        // variants run beside it), up to FOLDED_PER_PASS a pass, and the baseline runs
        // once a pass instead of once a replication.
        let per_pass = if s.replications_share_baseline() && all != 0 { FOLDED_PER_PASS + 1 } else { 1 };
        // The reform variant of a replication: kept in full and compared with its
        // baseline, by quintile group too.
        let reform_variant = |levers: &[Arc<dyn Lever>], export: Option<u16>| VariantSpec {
            set: set_with(levers, all),
            detail: Detail::Full,
            export,
            compare_with: None,
            compare: all != 0,
        };
        // One replication: its coalitions' results and the reforms of the replications
        // `folded` into its pass, with the stream's figures. The first carries the
        // Shapley coalitions and writes the microdata; the others run the baseline and
        // the reform only.
        let replicate = |r: usize,
                         folded: &[usize],
                         progress: Option<&ProgressFn>,
                         exporter: Option<&mut crate::microdata::FileExporter>| {
            let mut coalitions: Vec<Coalition> = if r == 0 { wanted.iter().copied().collect() } else { vec![0, all] };
            coalitions.dedup();
            // A later replication's levers with their uncertain parameters drawn.
            let drawn = if r > 0 && !s.lever_uncertainty.is_empty() {
                Some(build_reform(&s.drawn_reform(r, context)?)?)
            } else {
                None
            };
            let levers = drawn.as_deref().unwrap_or(&reform);
            let mut variants: Vec<VariantSpec> = coalitions
                .iter()
                .map(|&c| {
                    if c == all && c != 0 {
                        return reform_variant(
                            levers,
                            if r == 0 { self.microdata.as_ref().map(|m| m.0) } else { None },
                        );
                    }
                    VariantSpec {
                        set: set_with(levers, c),
                        // Every replication's baseline keeps its quintile bounds, which its
                        // reform's comparison reads.
                        detail: if c == 0 { Detail::Full } else { Detail::Sums },
                        export: if r == 0 && c == all { self.microdata.as_ref().map(|m| m.0) } else { None },
                        compare_with: None,
                        compare: false,
                    }
                })
                .collect();
            for &q in folded {
                variants.push(reform_variant(&build_reform(&s.drawn_reform(q, context)?)?, None));
            }
            let pass =
                Pass { generator, base_rules: &base_rules, options: &options, plan, microdata: microdata.as_deref() };
            let (mut results, st, phases) = self.run_replication(&pass, r, progress, &variants, exporter)?;
            let later = results.split_off(coalitions.len());
            let by_coalition: std::collections::HashMap<Coalition, VariantResult> =
                coalitions.iter().copied().zip(results).collect();
            Ok::<_, Error>((by_coalition, later, st, phases))
        };

        // Replications in passes: each pass a replication and those folded into it.
        let later: Vec<usize> = (1..s.replications.max(1)).collect();
        let (first_folded, later) = later.split_at((per_pass - 1).min(later.len()));
        let (mut by_coalition, folded_results, mut stats, mut timings) =
            replicate(0, first_folded, self.progress.as_deref(), exporter.as_mut())?;
        let mut replications = Vec::with_capacity(s.replications.max(1));
        replications.push(by_coalition.get(&all).cloned().unwrap_or_else(empty_variant));
        replications.extend(folded_results);
        let contributions = shapley_wanted.then(|| {
            contributions_of(&mut |c| {
                by_coalition.get(&c).map_or_else(|| vec![0.0; SHAPLEY_OUTCOMES.len()], |v| v.shapley_outcomes())
            })
        });
        let baseline = by_coalition.remove(&0);
        drop(by_coalition);
        // The other passes, in order. Each is independent (its own seed, or the same
        // population with its own drawn levers), so when one pass cannot keep every
        // thread busy (fewer blocks than threads: a city) they run side by side, as many
        // at a time as there are threads; results are the same either way.
        let passes: Vec<&[usize]> = later.chunks(per_pass).collect();
        let threads = rayon::current_num_threads();
        let side_by_side = plan.blocks() < threads && !passes.is_empty();
        // A pass's reform results in replication order, with its figures.
        let reforms_of = |pass: &[usize], progress: Option<&ProgressFn>| {
            let (r, folded) =
                pass.split_first().ok_or_else(|| Error::InvalidRequest("internal: an empty pass".into()))?;
            replicate(*r, folded, progress, None).map(|(mut by, folded_results, st, phases)| {
                let mut results = vec![by.remove(&all).unwrap_or_else(empty_variant)];
                results.extend(folded_results);
                (results, st, phases)
            })
        };
        let finished = std::sync::atomic::AtomicUsize::new(1 + first_folded.len());
        for window in passes.chunks(if side_by_side { threads } else { 1 }) {
            let results: Vec<_> = if side_by_side {
                window
                    .par_iter()
                    .map(|pass| {
                        let out = reforms_of(pass, None);
                        let done = finished.fetch_add(pass.len(), std::sync::atomic::Ordering::SeqCst) + pass.len();
                        if let Some(f) = self.progress.as_deref() {
                            f(Progress { done, total: s.replications, stage: "replications" });
                        }
                        out
                    })
                    .collect::<Result<_>>()?
            } else {
                window.iter().map(|pass| reforms_of(pass, self.progress.as_deref())).collect::<Result<_>>()?
            };
            for (reform_results, st, phases) in results {
                stats.add(&st);
                timings.add(&phases);
                replications.extend(reform_results);
            }
        }
        if let Some(e) = exporter {
            e.commit()?;
        }
        let calibration = context.calibration.unwrap_or(crate::policy::registry::BaseCalibration::NONE);
        let mut outcome = outcome_of(
            s,
            &calibration,
            plan,
            baseline.unwrap_or_else(empty_variant),
            replications,
            contributions,
            stats,
            timings,
        );
        set_draws(&mut outcome, s, context)?;
        Ok(outcome)
    }

    /// Runs the baseline of the projection's scenario once and the reform of each of
    /// `points` as a variant of the same pass: every block is generated, carried
    /// through the base year and the step into the first projected year, and through
    /// the baseline, once for all points (see [`super::stream`]: a variant's results do
    /// not depend on the variants run with it). Each point's outcome is bit for bit
    /// what [`Self::run_with_generator`] gives for that point alone, except its
    /// `stream` and `timings`, which are the shared pass's. [`super::sweep`] runs
    /// points that differ in reform levers only this way.
    ///
    /// # Errors
    /// As [`Self::run_with_generator`]; [`Error::InvalidRequest`] when a point differs
    /// from the projection's scenario in anything but its reform levers, name and
    /// targets, or asks for Shapley values.
    pub fn run_points_with_generator(&self, generator: &Generator, points: &[Scenario]) -> Result<Vec<Outcome>> {
        self.run_points_against(generator, points, &[])
    }

    /// Runs `points` as [`Self::run_points_with_generator`] does and also compares the
    /// households of every point after the first with the first point's, in every
    /// projected year of the first replication (`compare`'s B against A): who gains and
    /// who loses in each later point's
    /// [`YearIndicators::gains_against_other`](crate::indicators::YearIndicators::gains_against_other),
    /// by the first point's quintile groups. Every other result is bit for bit
    /// [`Self::run_points_with_generator`]'s.
    ///
    /// # Errors
    /// As [`Self::run_points_with_generator`].
    pub fn run_points_against_first(&self, generator: &Generator, points: &[Scenario]) -> Result<Vec<Outcome>> {
        let against: Vec<Option<usize>> = (0..points.len()).map(|k| (k > 0).then_some(0)).collect();
        self.run_points_against(generator, points, &against)
    }

    /// Runs `points` as [`Self::run_points_with_generator`] does and also compares the
    /// households of point `k` with those of point `against[k]` (an earlier point;
    /// `None`, or beyond the list, for none) in every projected year of the first
    /// replication: who gains and who loses in
    /// [`YearIndicators::gains_against_other`](crate::indicators::YearIndicators::gains_against_other),
    /// by the other point's quintile groups. A sweep compares each point with the one
    /// before it on its last axis. Every other result is bit for bit
    /// [`Self::run_points_with_generator`]'s.
    ///
    /// # Errors
    /// As [`Self::run_points_with_generator`]; [`Error::InvalidRequest`] for a point
    /// compared with itself or a later one.
    pub fn run_points_against(
        &self,
        generator: &Generator,
        points: &[Scenario],
        against: &[Option<usize>],
    ) -> Result<Vec<Outcome>> {
        let s = self.scenario;
        if let Some((k, w)) = against.iter().enumerate().find_map(|(k, w)| w.filter(|&w| w >= k).map(|w| (k, w))) {
            return Err(Error::InvalidRequest(format!("point {k} is compared with point {w}, not an earlier one")));
        }
        if generator.profile().id != s.profile.id {
            return Err(Error::InvalidRequest(format!(
                "the generator was calibrated on `{}`, the scenario is on `{}`",
                generator.profile().id,
                s.profile.id
            )));
        }
        self.check()?;
        let key = baseline_key(s);
        for (k, p) in points.iter().enumerate() {
            if p.shapley || baseline_key(p) != key {
                return Err(Error::InvalidRequest(format!(
                    "point {k}: shares the baseline only when it differs from the scenario in its reform levers, \
                     name and targets only and asks for no Shapley values"
                )));
            }
            Projection::new(p).check()?;
        }
        let baseline_rules = generator.projection_rules(&s.dynamics.dibao_threshold_multiple)?;
        let context = BuildContext {
            base_year: s.profile.base_year,
            profile: &s.profile,
            calibration: Some(generator.base_calibration()),
        };
        // Each point's reform levers in replication `r` (their uncertain parameters
        // drawn after the first).
        let sets_of = |r: usize| {
            points
                .iter()
                .map(|p| {
                    let mut set = baseline_rules.clone();
                    for l in p.drawn_reform(r, context)? {
                        set.insert_shared(Arc::from(registry::build(&l.name, context, &l.params)?));
                    }
                    Ok(set)
                })
                .collect::<Result<Vec<LeverSet>>>()
        };
        let first_sets = sets_of(0)?;
        let base_rules = generator.rules().clone();
        let options = indicator_options(s);
        let microdata = microdata_blocks(s)?;
        let plan = self.plan();
        let mut baseline = None;
        let mut replications: Vec<Vec<VariantResult>> = points.iter().map(|_| Vec::new()).collect();
        let (mut stats, mut timings) = (StreamStats::default(), PhaseTimings::default());
        // Replications on one population with no assumption drawn share the baseline:
        // several run their points in one pass (as `run_with_generator` folds them),
        // up to about FOLDED_PER_PASS + 1 reform variants a pass.
        let per_pass =
            if s.replications_share_baseline() { ((FOLDED_PER_PASS + 1) / points.len().max(1)).max(1) } else { 1 };
        let all_replications: Vec<usize> = (0..s.replications.max(1)).collect();
        for in_pass in all_replications.chunks(per_pass) {
            let mut variants = vec![VariantSpec {
                set: baseline_rules.clone(),
                // Full in every replication: its reform's comparison reads the quintile bounds.
                detail: Detail::Full,
                export: None,
                compare_with: None,
                compare: false,
            }];
            for &r in in_pass {
                let drawn = if r > 0 && points.iter().any(|p| !p.lever_uncertainty.is_empty()) {
                    Some(sets_of(r)?)
                } else {
                    None
                };
                let sets = drawn.as_ref().unwrap_or(&first_sets);
                variants.extend(sets.iter().enumerate().map(|(k, set)| VariantSpec {
                    set: set.clone(),
                    detail: Detail::Full,
                    export: None,
                    // Point `w` is variant `w + 1` (replication 0 is a pass's first).
                    compare_with: against.get(k).copied().flatten().filter(|_| r == 0).map(|w| w + 1),
                    // Every replication's reform against its baseline, as a run of its own.
                    compare: true,
                }));
            }
            let pass =
                Pass { generator, base_rules: &base_rules, options: &options, plan, microdata: microdata.as_deref() };
            let first = in_pass.first().copied().unwrap_or(0);
            let progress = if first == 0 { self.progress.as_deref() } else { None };
            let (results, st, phases) = self.run_replication(&pass, first, progress, &variants, None)?;
            stats.add(&st);
            timings.add(&phases);
            let mut results = results.into_iter();
            let base = results.next().unwrap_or_else(empty_variant);
            if first == 0 {
                baseline = Some(base);
            }
            for _ in in_pass {
                for kept in replications.iter_mut() {
                    kept.push(results.next().unwrap_or_else(empty_variant));
                }
            }
        }
        let baseline = baseline.unwrap_or_else(empty_variant);
        points
            .iter()
            .zip(replications)
            .map(|(p, reps)| {
                let calibration = context.calibration.unwrap_or(crate::policy::registry::BaseCalibration::NONE);
                let mut outcome =
                    outcome_of(p, &calibration, plan, baseline.clone(), reps, None, stats, timings.clone());
                set_draws(&mut outcome, p, context)?;
                Ok(outcome)
            })
            .collect()
    }
}

impl Projection<'_> {
    /// Runs replication `r` of the projection's scenario (seed `seed + r`, its own
    /// dynamics) over `variants`, in one pass over the population.
    fn run_replication(
        &self,
        pass: &Pass<'_>,
        r: usize,
        progress: Option<&ProgressFn>,
        variants: &[VariantSpec],
        exporter: Option<&mut crate::microdata::FileExporter>,
    ) -> Result<(Vec<VariantResult>, StreamStats, PhaseTimings)> {
        let seed = self.scenario.replication_seed(r);
        let generator = pass.generator.with_seed(seed);
        let run = ReplicationRun {
            scenario: self.scenario,
            generator: &generator,
            base_rules: pass.base_rules,
            dynamics: self.scenario.dynamics_of(r)?,
            seed,
            options: pass.options,
            plan: pass.plan,
            keep_outcomes: self.keep_outcomes,
            progress,
            microdata: pass.microdata,
            keeps_incomes: Vec::new(),
        };
        run.run(variants, exporter)
    }
}

/// The paths of uncertain assumptions and lever parameters in draw order
/// ([`Scenario::uncertain_paths`]); validation reads them before a scenario exists.
pub(crate) fn uncertain_paths(uncertainty: &[Uncertain], levers: &[UncertainLever]) -> Vec<String> {
    let assumptions = uncertainty.iter().map(|u| format!("assumptions.{}", u.assumption));
    assumptions.chain(lever_draw_order(levers).into_iter().map(UncertainLever::path)).collect()
}

/// Uncertain lever parameters grouped by lever ([`Scenario::lever_draw_order`]).
fn lever_draw_order(entries: &[UncertainLever]) -> Vec<&UncertainLever> {
    let mut levers: Vec<&str> = Vec::new();
    for u in entries {
        if !levers.contains(&u.lever.as_str()) {
            levers.push(&u.lever);
        }
    }
    levers.iter().flat_map(|l| entries.iter().filter(move |u| u.lever == *l)).collect()
}

/// Most replications whose reforms run as extra variants of one pass when they share
/// its population and baseline (`replication_seeds = "same"` with no assumption drawn):
/// each keeps its year sums for the whole pass, about a megabyte, so the memory of a
/// run of many replications stays bounded.
pub const FOLDED_PER_PASS: usize = 31;

/// What every replication's pass reads besides its seed and variants.
struct Pass<'a> {
    /// The calibrated generator (any seed: each replication sets its own).
    generator: &'a Generator,
    /// The base-year rules.
    base_rules: &'a LeverSet,
    /// Indicator options.
    options: &'a IndicatorOptions,
    /// Blocks.
    plan: BlockPlan,
    /// The scenario's microdata population in blocks, when it has one.
    microdata: Option<&'a [Population]>,
}

/// Sets what each replication of `s` drew ([`Outcome::draws`]) and the values they
/// gave ([`Outcome::drawn_values`]): none when nothing is uncertain.
fn set_draws(outcome: &mut Outcome, s: &Scenario, context: BuildContext<'_>) -> Result<()> {
    if s.uncertain_paths().is_empty() {
        return Ok(());
    }
    let january = YearMonth::start_of(s.last_year);
    for r in 0..s.replications.max(1) {
        let drawn = s.drawn(r, context)?;
        let mut dynamics = s.dynamics_of(r)?;
        let mut values: Vec<Option<f64>> = Vec::with_capacity(drawn.values.len());
        for u in &s.uncertainty {
            // The first series the assumption sets (the urban one of a pair).
            let mut first = None;
            if let Some(a) = crate::scenario::assumption(&u.assumption) {
                a.for_each_field(&mut dynamics, |slot| {
                    first.get_or_insert(*slot.at(january));
                });
            }
            values.push(first);
        }
        values.extend(s.lever_draw_order().into_iter().map(|u| {
            let lever = drawn.reform.iter().find(|l| l.name == u.lever)?;
            match u.value_in(&lever.params).ok()? {
                toml::Value::Float(x) => Some(x),
                toml::Value::Integer(i) => Some(i as f64),
                _ => None,
            }
        }));
        outcome.draws.push(drawn.values);
        outcome.drawn_values.push(values);
    }
    Ok(())
}

/// What the projection reports once its variants have run: the targets checked over
/// the replications, the assumptions the run depends on (the contribution lines in the
/// yuan of the calibrated population) and the warnings.
#[allow(clippy::too_many_arguments)]
fn outcome_of(
    s: &Scenario,
    calibration: &crate::policy::registry::BaseCalibration,
    plan: BlockPlan,
    baseline: VariantResult,
    replications: Vec<VariantResult>,
    contributions: Option<Contributions>,
    stats: StreamStats,
    timings: PhaseTimings,
) -> Outcome {
    let lookups: Vec<_> = replications.iter().map(|v| move |y: u16, g: &str, i: &str| v.lookup(y, g, i)).collect();
    let targets: Vec<_> = s.targets.iter().map(|t| t.check(&lookups)).collect();
    let mut assumptions = s.profile.assumptions();
    assumptions.extend(crate::policy::base::base_rule_assumptions_with(calibration));
    // The reform levers' defaults that are assumptions, where the scenario leaves them.
    for lever in &s.reform {
        if let Ok(spec) = crate::policy::registry::find(&lever.name) {
            assumptions.extend(spec.assumed_defaults(&lever.params));
        }
    }
    assumptions.extend(s.dynamics.stated_assumptions().iter().cloned());
    let per_earner = if !s.dynamics.aligns_per_earner() {
        "per person (alignment_per_earner = 0)"
    } else {
        "per earner for wage and operating income as far as alignment_per_earner sets (1: wholly; 0: per person), \
         per person for property income"
    };
    assumptions.push((
        "alignment".into(),
        format!(
            "each year the baseline's per-capita wage, operating and property income of each residence are aligned \
             to the assumed growth (wage_growth_*, operating_growth, property_growth), as the published per-capita \
             series grow, {per_earner}; every variant is scaled by the baseline's factors"
        ),
    ));
    for rw in &s.dynamics.reweighting {
        let shares: Vec<String> =
            rw.age_shares.iter().map(|b| format!("{}-{} {:.2}%", b.min_age, b.max_age, 100.0 * b.share)).collect();
        let acts = if rw.year <= s.last_year { "" } else { " (after the last projected year: it does not act)" };
        let persons: Vec<String> = ["urban", "rural"]
            .iter()
            .zip(rw.persons)
            .map(|(r, p)| match p {
                Some(p) => format!("{r} residents grossed up to {p:.0}"),
                None => format!("{r} residents keep their weighted persons"),
            })
            .collect();
        let shares = if shares.is_empty() {
            String::new()
        } else {
            format!(", and the shares of residents aged {}", shares.join(", "))
        };
        assumptions.push((
            format!("population re-weighting {}", rw.year),
            format!(
                "after the dynamics of {}, household weights are raked on the baseline's pilot so that {}{shares} \
                 are met{acts} [{}]",
                rw.year,
                persons.join(", "),
                rw.source
            ),
        ));
    }
    assumptions.push((
        "who gains and who loses".into(),
        format!(
            "each household of the reform against the same household of the baseline: no change under 1 yuan per \
             person a year, a large gain or loss over {:.0}% of the baseline's per-capita income (the split of the \
             UK Treasury's and PolicyEngine's distributional charts; indicators::gains::LARGE_CHANGE)",
            100.0 * crate::indicators::gains::LARGE_CHANGE
        ),
    ));
    if s.work_incentives {
        assumptions.push((
            "work incentives".into(),
            format!(
                "the marginal effective tax rate is measured on a {:.0}% rise in every member's positive wage and \
                 operating income, the levers run again on it (a small rise, as EUROMOD's marginal rates; \
                 indicators::incentives::EARNINGS_RISE)",
                100.0 * crate::indicators::incentives::EARNINGS_RISE
            ),
        ));
        let wage = match &s.participation_wage_per_month {
            Some(w) => {
                let steps: Vec<String> = w
                    .steps()
                    .iter()
                    .map(|(m, v)| if m.year == 0 { format!("{v}") } else { format!("{v} from {m}") })
                    .collect();
                format!("the scenario's participation_wage_per_month ({} yuan a month)", steps.join(", "))
            }
            None => "the mean wage the dynamics pay a new local job of the household's residence and the member's \
                     education that year, aligned as the year's wages (an assumption of the dynamics: the wage of a \
                     new job)"
                .to_string(),
        };
        assumptions.push((
            "participation tax rate".into(),
            format!(
                "one member of each household without paid work (the first able to work, aged 16-59, unemployed or \
                 outside the labour force, without earnings this year) takes a full-year local wage job, new this \
                 year, paying {wage}; the levers run again on it (one entrant per household)"
            ),
        ));
    }
    if plan.streams() {
        assumptions.push((
            "streaming".into(),
            format!(
                "{} households in {} blocks: the first {} blocks (the pilot) fix the weight normalisation, \
                 fertility, the baseline's income index and alignment, and the ledger's quintile boundaries; \
                 means, totals, poverty, Theil and caseloads are exact sums over every household; median, \
                 quintile means, Gini and Lorenz come from a binned income sketch of every household (each bin \
                 within 0.39% of income); rationed levers fill their places block by block",
                s.households,
                plan.blocks(),
                plan.pilot_blocks
            ),
        ));
    }
    let mut warnings = s.warnings();
    warnings.extend(super::warnings::run_warnings(s, &replications[0], &targets));
    Outcome {
        baseline,
        reform: replications[0].clone(),
        contributions,
        lever_names: s.reform.iter().map(|r| r.name.clone()).collect(),
        targets,
        replications,
        draws: Vec::new(),
        drawn_values: Vec::new(),
        assumptions,
        warnings,
        stream: stats,
        timings,
    }
}

/// What a scenario's baseline depends on, as text: the scenario's `Debug` form with its
/// reform levers, name and targets left out and Shapley values off. Scenarios with the
/// same key share a baseline ([`Projection::run_points_with_generator`]).
pub(crate) fn baseline_key(s: &Scenario) -> String {
    let mut same = s.clone();
    same.name.clear();
    same.reform.clear();
    same.lever_uncertainty.clear();
    // Correlations with a lever parameter move the reform's draws only.
    same.correlations.retain(super::correlation::Correlation::between_assumptions);
    same.targets.clear();
    same.shapley = false;
    format!("{same:?}")
}

/// The indicators' options of a scenario: its poverty lines and the weighting of `all`.
fn indicator_options(s: &Scenario) -> IndicatorOptions {
    IndicatorOptions {
        lines: PovertyLines::new(s.poverty_lines.clone()).unwrap_or_default(),
        all_weighting: AllWeighting::from_profile(&s.profile),
    }
}

/// A scenario's microdata population read once and cut into blocks, or `None` for a
/// synthetic one (generated block by block).
fn microdata_blocks(s: &Scenario) -> Result<Option<Vec<Population>>> {
    let Some(files) = &s.microdata else { return Ok(None) };
    let pop = files.load()?;
    if pop.household_count() != s.households {
        return Err(Error::InvalidRequest(format!(
            "the microdata have {} households but the scenario says {}",
            pop.household_count(),
            s.households
        )));
    }
    Ok(Some(super::stream::into_blocks(pop)))
}

fn empty_variant() -> VariantResult {
    VariantResult { years: Vec::new(), outcomes: Vec::new(), paths: BaselinePaths::default() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::YearMonth;
    use crate::region::Profile;

    /// An uncertainty on a part set for both residences (`property_growth`) shifts the
    /// urban and the rural series by the same draw, and nothing else.
    #[test]
    fn one_draw_shifts_both_series_of_a_part_set_for_both_residences() {
        let mut s = Scenario::baseline(Profile::builtin("liupanshui-2021").expect("profile"));
        s.uncertainty = vec![Uncertain::new("property_growth", 0.05)];
        s.replications = 3;
        let (d0, d1) = (s.dynamics_of(0).unwrap(), s.dynamics_of(1).unwrap());
        let y = YearMonth::start_of(2023);
        let shift = |r: usize| d1.property_growth[r].at(y) - d0.property_growth[r].at(y);
        assert!(shift(0).abs() > 1e-9, "replication 1 is shifted");
        assert!((shift(0) - shift(1)).abs() < 1e-12, "{} and {}", shift(0), shift(1));
        assert_eq!(d0.operating_growth, d1.operating_growth);
        assert_eq!(d0.wage_growth, d1.wage_growth);
    }
}
