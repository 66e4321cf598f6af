//! The projection: a calibrated population carried year by year under the baseline
//! rules and under the reform, with every coalition of reform levers the Shapley
//! values need, and replications.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::shapley::{self, Coalition, Contributions};
use super::targets::{Target, TargetResult};
use crate::dynamics::Dynamics;
use crate::error::{Error, Result};
use crate::generate::{BLOCK, Generator};
use crate::indicators::{
    AllWeighting, DibaoLines, Group, HouseholdOutcome, IndicatorOptions, PovertyLines, YearIndicators,
};
use crate::model::{Population, Residence};
use crate::policy::registry::{self, BuildContext};
use crate::policy::{Chunk, Ledger, Lever, LeverSet, YearContext};
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
/// draw with this standard deviation to every step of the assumption.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertain {
    /// The assumption's name (see [`crate::scenario::ASSUMPTIONS`]).
    pub assumption: String,
    /// Standard deviation, in the assumption's unit (0.015 = 1.5 points of growth).
    pub sd: f64,
}

/// Everything a projection needs, validated.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// A name for reports.
    pub name: String,
    /// The region profile of the base population.
    pub profile: Profile,
    /// Households to generate (with `microdata`, the number of households loaded).
    pub households: usize,
    /// Household microdata to start from instead of a generated population (the
    /// profile still gives the base-year rules and calibration).
    pub microdata: Option<crate::scenario::MicrodataFiles>,
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
    /// Random orders for sampled Shapley values.
    pub shapley_permutations: usize,
    /// Most levers for exact Shapley values; beyond, they are sampled (default
    /// [`shapley::EXACT_MAX_LEVERS`]).
    pub shapley_exact_max: usize,
    /// Fixed poverty lines besides the dibao line, yuan per person per year.
    pub poverty_lines: Vec<f64>,
    /// Uncertain baseline assumptions, drawn per replication.
    pub uncertainty: Vec<Uncertain>,
}

impl Scenario {
    /// A scenario with no reform for a profile: 20,000 households, seed 7, three
    /// projected years, the profile's default dynamics.
    pub fn baseline(profile: Profile) -> Scenario {
        Scenario {
            name: format!("{} baseline", profile.id),
            households: 20_000,
            microdata: None,
            seed: 7,
            last_year: profile.base_year + 3,
            dynamics: Dynamics::from_profile(&profile),
            reform: Vec::new(),
            targets: Vec::new(),
            replications: 1,
            shapley: true,
            shapley_permutations: 200,
            shapley_exact_max: shapley::EXACT_MAX_LEVERS,
            poverty_lines: vec![6_000.0, 10_000.0],
            uncertainty: Vec::new(),
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
    /// Alignment factors `[residence][wage, operating, property]`: each year, after
    /// the dynamics, persons' market incomes are scaled so that the baseline's
    /// per-capita wage, operating and property income of each residence grow at the
    /// assumed rates (`wage_growth_*`, `operating_growth`, `property_growth`): what
    /// composition (ageing, retirement, job churn, migration, urbanisation) takes away
    /// from individual growth is given back, as the published per-capita series count it.
    pub alignment: Vec<[[f64; 3]; 2]>,
}

/// Weighted per-capita wage, operating and property income by residence, summed in
/// household order.
fn market_per_capita(chunks: &[Chunk]) -> [[f64; 3]; 2] {
    let mut sums = [[0.0f64; 3]; 2];
    let mut persons = [0.0f64; 2];
    for c in chunks {
        let (p, hh) = (&c.pop.persons, &c.pop.households);
        for h in 0..c.pop.household_count() {
            let (r, w) = (hh.residence[h].index(), hh.weight[h] as f64);
            persons[r] += w * hh.size[h] as f64;
            for i in c.pop.members(h) {
                sums[r][0] += w * p.wage[i] as f64;
                sums[r][1] += w * p.operating[i] as f64;
                sums[r][2] += w * p.property[i] as f64;
            }
        }
    }
    let mut out = [[0.0; 3]; 2];
    for r in 0..2 {
        for k in 0..3 {
            out[r][k] = if persons[r] > 0.0 { sums[r][k] / persons[r] } else { 0.0 };
        }
    }
    out
}

/// Scales persons' market incomes by residence and part.
fn align(chunks: &mut [Chunk], factors: &[[f64; 3]; 2]) {
    chunks.par_iter_mut().for_each(|c| {
        let (p, hh) = (&mut c.pop.persons, &c.pop.households);
        for h in 0..hh.size.len() {
            let f = &factors[hh.residence[h].index()];
            let first = hh.first_person[h] as usize;
            for i in first..first + hh.size[h] as usize {
                p.wage[i] = (p.wage[i] as f64 * f[0]).round() as f32;
                p.operating[i] = (p.operating[i] as f64 * f[1]).round() as f32;
                p.property[i] = (p.property[i] as f64 * f[2]).round() as f32;
            }
        }
    });
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
    /// Every assumption the run depends on: profile, base rules, dynamics.
    pub assumptions: Vec<(String, String)>,
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

impl Outcome {
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
        values
            .into_iter()
            .map(|((year, group, indicator), mut v)| {
                let mean = v.iter().sum::<f64>() / v.len() as f64;
                v.sort_by(f64::total_cmp);
                IntervalRow {
                    year,
                    group,
                    indicator,
                    mean,
                    p05: quantile(&v, 0.05),
                    p95: quantile(&v, 0.95),
                    replications: v.len(),
                }
            })
            .collect()
    }

    /// Reform minus baseline for one indicator (first replication).
    pub fn difference(&self, year: u16, group: &str, indicator: &str) -> Option<f64> {
        Some(self.reform.lookup(year, group, indicator)? - self.baseline.lookup(year, group, indicator)?)
    }
}

/// How far a projection has got, as [`Projection::on_progress`] reports it: `done` of
/// `total` steps, a step being one year of one variant (baseline, a coalition of
/// levers, a replication or the microdata export). With sampled Shapley values
/// `total` is an upper bound: the last report has `done == total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Steps done.
    pub done: usize,
    /// Steps in all.
    pub total: usize,
    /// What is running: `calibrating`, `projecting`, `microdata` (the export's run) or `done`.
    pub stage: &'static str,
}

/// The progress callback and its step counter.
#[derive(Clone)]
struct ProgressHook {
    report: Arc<dyn Fn(Progress) + Send + Sync>,
    done: Arc<std::sync::atomic::AtomicUsize>,
}

impl std::fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProgressHook").field("done", &self.done).finish_non_exhaustive()
    }
}

/// Runs a scenario: `Projection::new(&scenario).chunk_households(n).run()`.
#[derive(Debug)]
pub struct Projection<'a> {
    scenario: &'a Scenario,
    chunk_households: usize,
    base_rules: LeverSet,
    keep_outcomes: bool,
    microdata: Option<(u16, std::path::PathBuf)>,
    progress: Option<ProgressHook>,
}

impl<'a> Projection<'a> {
    /// A projection of a scenario with the default chunk size.
    pub fn new(scenario: &'a Scenario) -> Self {
        Projection {
            scenario,
            chunk_households: BLOCK,
            base_rules: LeverSet::new(),
            keep_outcomes: false,
            microdata: None,
            progress: None,
        }
    }

    /// Households per chunk (the unit of parallel work). Results do not depend on it.
    pub fn chunk_households(mut self, n: usize) -> Self {
        self.chunk_households = n.max(1);
        self
    }

    /// Keeps every household's outcome in every year of every variant (for checking
    /// households one by one; memory grows with households × years × variants).
    pub fn keep_outcomes(mut self, keep: bool) -> Self {
        self.keep_outcomes = keep;
        self
    }

    /// Writes the reform's household (and person) microdata of `year` to
    /// `dir/households.csv` and `dir/persons.csv`: every input the rules read, each
    /// income part before and after the levers, and each lever's amount. Files are
    /// written atomically.
    pub fn microdata(mut self, year: u16, dir: impl Into<std::path::PathBuf>) -> Self {
        self.microdata = Some((year, dir.into()));
        self
    }

    /// Calls `f` as the projection goes: once before calibration, after each year of
    /// each variant, and once at the end. Results do not depend on it.
    pub fn on_progress(mut self, f: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(ProgressHook { report: Arc::new(f), done: Arc::default() });
        self
    }

    /// Steps of the whole run: years × variants (every coalition the Shapley values
    /// need, at most, the other replications and the two runs of a microdata export).
    fn progress_total(&self) -> usize {
        let s = self.scenario;
        let years = (s.last_year.saturating_sub(s.profile.base_year) as usize) + 1;
        let n = s.reform.len().min(63);
        let every = 1usize << n.min(20);
        let coalitions = match (n, s.shapley) {
            (0, _) => 1,
            (_, false) => 2,
            _ if n <= s.shapley_exact_max => every,
            _ => every.min(s.shapley_permutations.saturating_mul(n).saturating_add(2)),
        };
        let exports = if self.microdata.is_some() { 2 } else { 0 };
        (coalitions + s.replications.max(1) - 1 + exports) * years
    }

    /// Reports `step` more steps done at `stage` (`calibrating` starts the count anew,
    /// `done` ends it).
    fn tick(&self, step: usize, stage: &'static str) {
        use std::sync::atomic::Ordering;
        if let Some(p) = &self.progress {
            if stage == "calibrating" {
                p.done.store(0, Ordering::Relaxed);
            }
            let total = self.progress_total();
            let done = p.done.fetch_add(step, Ordering::Relaxed) + step;
            let done = if stage == "done" { total } else { done.min(total) };
            (p.report)(Progress { done, total, stage });
        }
    }

    /// Runs the baseline, the reform, the Shapley coalitions and the replications.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an empty population or year range; calibration and
    /// lever errors.
    pub fn run(&self) -> Result<Outcome> {
        let s = self.scenario;
        if s.households == 0 {
            return Err(Error::InvalidRequest("a projection needs at least one household".into()));
        }
        if s.last_year <= s.profile.base_year {
            return Err(Error::InvalidRequest(format!(
                "the last year ({}) must come after the base year of `{}` ({})",
                s.last_year, s.profile.id, s.profile.base_year
            )));
        }
        if s.reform.len() > 63 {
            return Err(Error::InvalidRequest("at most 63 reform levers".into()));
        }
        self.tick(0, "calibrating");
        let generator = Generator::calibrate(&s.profile, s.seed)?;
        if let Some((year, _)) = &self.microdata
            && !(s.profile.base_year..=s.last_year).contains(year)
        {
            return Err(Error::InvalidRequest(format!(
                "microdata year {year} is outside the projection {}–{}",
                s.profile.base_year, s.last_year
            )));
        }
        let this = Projection {
            base_rules: generator.rules().clone(),
            microdata: self.microdata.clone(),
            scenario: self.scenario,
            chunk_households: self.chunk_households,
            keep_outcomes: self.keep_outcomes,
            progress: self.progress.clone(),
        };
        let outcome = this.run_with(&generator)?;
        self.tick(0, "done");
        Ok(outcome)
    }

    fn run_with(&self, generator: &Generator) -> Result<Outcome> {
        let s = self.scenario;
        let baseline_rules = generator.projection_rules()?;
        let context = BuildContext {
            base_year: s.profile.base_year,
            profile: &s.profile,
            calibration: Some(generator.base_calibration()),
        };
        let reform: Vec<Arc<dyn Lever>> = s
            .reform
            .iter()
            .map(|r| registry::build(&r.name, context, &r.params).map(Arc::from))
            .collect::<Result<_>>()?;
        let set_for = |coalition: Coalition| {
            let mut set = baseline_rules.clone();
            for (i, lever) in reform.iter().enumerate() {
                if coalition & (1 << i) != 0 {
                    set.insert_shared(lever.clone());
                }
            }
            set
        };
        let all: Coalition = if s.reform.is_empty() { 0 } else { (1u64 << s.reform.len()) - 1 };

        let mut replications = Vec::with_capacity(s.replications.max(1));
        let mut baseline = None;
        let mut contributions = None;
        for r in 0..s.replications.max(1) {
            let seed = s.seed.wrapping_add(r as u64);
            let base = self.base_chunks(generator, seed)?;
            let mut dynamics = self.dynamics_for(r, seed);
            // Fertility is calibrated on the whole base population.
            let whole = join(&base);
            dynamics.calibrate_fertility(&whole);
            let dynamics = &dynamics;
            // The baseline first: its income path indexes every variant's thresholds.
            let base_result = self.run_variant(&base, &set_for(0), seed, dynamics, None);
            let path = base_result.paths.clone();
            if r == 0 {
                let mut cache: std::collections::HashMap<Coalition, VariantResult> = Default::default();
                cache.insert(0, base_result);
                let mut run = |c: Coalition| -> VariantResult {
                    cache
                        .entry(c)
                        .or_insert_with(|| self.run_variant(&base, &set_for(c), seed, dynamics, Some(&path)))
                        .clone()
                };
                if s.shapley && !s.reform.is_empty() {
                    let n = s.reform.len();
                    let value = |c| run(c).shapley_outcomes();
                    contributions = Some(if n <= s.shapley_exact_max {
                        shapley::exact(n, value)
                    } else {
                        shapley::sampled(n, s.shapley_permutations, seed, value)
                    });
                }
                baseline = Some(run(0));
                replications.push(run(all));
            } else {
                replications.push(self.run_variant(&base, &set_for(all), seed, dynamics, Some(&path)));
            }
        }
        if let Some(export) = &self.microdata {
            let seed = s.seed;
            let base = self.base_chunks(generator, seed)?;
            let mut dynamics = self.dynamics_for(0, seed);
            dynamics.calibrate_fertility(&join(&base));
            let path = self.run_variant(&base, &set_for(0), seed, &dynamics, None).paths;
            self.run_variant_exporting(&base, &set_for(all), seed, &dynamics, Some(&path), Some(export))?;
        }
        let lookups: Vec<_> = replications.iter().map(|v| move |y: u16, g: &str, i: &str| v.lookup(y, g, i)).collect();
        let targets = s.targets.iter().map(|t| t.check(&lookups)).collect();
        let mut assumptions = s.profile.assumptions();
        assumptions.extend(crate::policy::base::base_rule_assumptions());
        assumptions.extend(s.dynamics.stated_assumptions().iter().cloned());
        assumptions.push((
            "alignment".into(),
            "each year the baseline's per-capita wage, operating and property income of each residence are aligned \
             to the assumed growth (wage_growth_*, operating_growth, property_growth), as the published per-capita \
             series grow; every variant is scaled by the baseline's factors"
                .into(),
        ));
        Ok(Outcome {
            baseline: baseline.unwrap_or(VariantResult {
                years: Vec::new(),
                outcomes: Vec::new(),
                paths: BaselinePaths::default(),
            }),
            reform: replications[0].clone(),
            contributions,
            lever_names: s.reform.iter().map(|r| r.name.clone()).collect(),
            targets,
            replications,
            assumptions,
        })
    }

    /// The base-year population in chunks: the scenario's microdata, or generated with
    /// `seed`.
    fn base_chunks(&self, generator: &Generator, seed: u64) -> Result<Vec<Chunk>> {
        let pop = match &self.scenario.microdata {
            Some(files) => files.load()?,
            None => generator.with_seed(seed).generate(self.scenario.households)?,
        };
        Ok(split(pop, self.chunk_households))
    }

    /// The dynamics of replication `r`: the scenario's, with each uncertain assumption
    /// shifted by a keyed normal draw (none in the first replication).
    fn dynamics_for(&self, r: usize, seed: u64) -> Dynamics {
        let mut d = self.scenario.dynamics.clone();
        if r == 0 {
            return d;
        }
        for (k, u) in self.scenario.uncertainty.iter().enumerate() {
            let z = StreamRng::with_sub(seed, k as u64, r as u16, Purpose::Replication, 0x0a55).normal();
            if let Some(slot) = crate::scenario::assumption_mut(&mut d, &u.assumption) {
                let shifted: Vec<_> = slot.steps().iter().map(|(m, x)| (*m, x + u.sd * z)).collect();
                if let Some(new) = crate::policy::Dated::new(shifted) {
                    *slot = new;
                }
            }
        }
        d
    }

    /// One variant: the base year under the base rules (the same for every variant:
    /// levers act from the first projected year), then each projected year under `set`.
    fn run_variant(
        &self,
        base: &[Chunk],
        set: &LeverSet,
        seed: u64,
        dynamics: &Dynamics,
        paths: Option<&BaselinePaths>,
    ) -> VariantResult {
        self.run_variant_exporting(base, set, seed, dynamics, paths, None).unwrap_or_else(|_| VariantResult {
            years: Vec::new(),
            outcomes: Vec::new(),
            paths: BaselinePaths::default(),
        })
    }

    /// A variant, writing its microdata of `export.0` to `export.1` on the way.
    fn run_variant_exporting(
        &self,
        base: &[Chunk],
        set: &LeverSet,
        seed: u64,
        dynamics: &Dynamics,
        paths: Option<&BaselinePaths>,
        export: Option<&(u16, std::path::PathBuf)>,
    ) -> Result<VariantResult> {
        let s = self.scenario;
        let base_year = s.profile.base_year;
        let options = IndicatorOptions {
            lines: PovertyLines::new(s.poverty_lines.clone()).unwrap_or_default(),
            all_weighting: AllWeighting::from_profile(&s.profile),
        };
        let mut chunks: Vec<Chunk> = base.to_vec();
        let mut years = Vec::new();
        let mut kept = Vec::new();
        let mut previous: Option<(Vec<HouseholdOutcome>, YearIndicators)> = None;
        let mut income_index = [1.0, 1.0];
        let mut used = BaselinePaths::default();
        let mut market_before = market_per_capita(&chunks);
        for year in base_year..=s.last_year {
            let t = (year - base_year) as usize;
            if let Some(p) = paths {
                income_index = p.income.get(t).copied().unwrap_or(income_index);
            }
            used.income.push(income_index);
            let ctx = YearContext { year, base_year, seed, price_index: dynamics.price_index(year), income_index };
            let active = if year > base_year {
                chunks.par_iter_mut().for_each(|c| dynamics.advance(&ctx, &mut c.pop));
                let factors = match paths.and_then(|p| p.alignment.get(t)) {
                    Some(f) => *f,
                    None => {
                        // The baseline's own: the assumed growth of each per-capita part
                        // over what the dynamics delivered.
                        let now = market_per_capita(&chunks);
                        let growth = dynamics.part_growth(year);
                        let mut f = [[1.0; 3]; 2];
                        for r in 0..2 {
                            for k in 0..3 {
                                if now[r][k] > 0.0 && market_before[r][k] > 0.0 {
                                    f[r][k] = market_before[r][k] * (1.0 + growth[r][k]) / now[r][k];
                                }
                            }
                        }
                        f
                    }
                };
                align(&mut chunks, &factors);
                used.alignment.push(factors);
                market_before = market_per_capita(&chunks);
                set
            } else {
                used.alignment.push([[1.0; 3]; 2]);
                &self.base_rules
            };
            let dibao_index = active.levers().position(|l| l.name() == "dibao");
            let exporting = export.filter(|(y, _)| *y == year);
            let market: Vec<crate::model::Accounts> = match exporting {
                Some(_) => chunks
                    .iter()
                    .map(|c| {
                        let mut a = crate::model::Accounts::default();
                        crate::policy::market_accounts(&c.pop, &mut a);
                        a
                    })
                    .collect(),
                None => Vec::new(),
            };
            let ledger = active.apply_year_chunks(&ctx, &mut chunks);
            if let Some((_, dir)) = exporting {
                write_microdata(dir, year, active, &chunks, &market)?;
            }
            let lines = dibao_lines(active, &ctx, &s.profile);
            let mut outcomes = Vec::new();
            let mut buffer = Vec::new();
            for c in &chunks {
                let dibao = dibao_index.map(|i| c.columns.paid[i].as_slice());
                if crate::indicators::fill_outcomes(&mut buffer, &c.pop, &c.accounts, dibao, &lines).is_ok() {
                    outcomes.extend_from_slice(&buffer);
                }
            }
            let mut indicators =
                YearIndicators::compute_with(year, &outcomes, previous.as_ref().map(|p| p.0.as_slice()), &options);
            if let Some((_, prev)) = &previous {
                let ratio = dynamics.price_index(year) / dynamics.price_index(year - 1).max(1e-12);
                indicators.set_growth(prev, ratio);
            }
            if let Some(first) = years.first().map(|y: &YearResult| &y.indicators) {
                for (k, g) in [Group::Urban, Group::Rural].into_iter().enumerate() {
                    let m0 = first.group(g).mean.disposable;
                    if m0 > 0.0 {
                        income_index[k] = indicators.group(g).mean.disposable / m0;
                    }
                }
            }
            years.push(YearResult { indicators: indicators.clone(), ledger });
            if self.keep_outcomes {
                kept.push(outcomes.clone());
            }
            previous = Some((outcomes, indicators));
            self.tick(1, if export.is_some() { "microdata" } else { "projecting" });
        }
        Ok(VariantResult { years, outcomes: kept, paths: used })
    }
}

/// Writes one year's microdata of every chunk, in order, atomically.
fn write_microdata(
    dir: &std::path::Path,
    year: u16,
    set: &LeverSet,
    chunks: &[Chunk],
    market: &[crate::model::Accounts],
) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    let mut out = crate::microdata::FileExporter::create(
        &dir.join("households.csv"),
        Some(&dir.join("persons.csv")),
        year as i32,
        crate::microdata::lever_names(set),
    )?;
    for (c, m) in chunks.iter().zip(market) {
        out.write_chunk(&c.pop, m, &c.accounts, &c.columns)?;
    }
    out.commit()?;
    Ok(())
}

/// The chunks' populations joined in order (a copy).
fn join(chunks: &[Chunk]) -> Population {
    let mut pop = Population::default();
    for c in chunks {
        pop.append(c.pop.clone());
    }
    pop
}

/// Splits a population into chunks of `size` households, in order. Chunks are cut
/// from the end, so every household is copied once.
fn split(pop: Population, size: usize) -> Vec<Chunk> {
    let n = pop.household_count();
    let size = size.max(1);
    let mut rest = pop;
    let mut chunks = Vec::with_capacity(n.div_ceil(size));
    for start in (size..n).step_by(size).rev() {
        chunks.push(Chunk::new(rest.split_off(start)));
    }
    rest.shrink_to_fit();
    chunks.push(Chunk::new(rest));
    chunks.reverse();
    chunks
}

/// The dibao line of every residence and tier this year, from the set's dibao lever
/// (the profile's base thresholds when the set has none).
fn dibao_lines(set: &LeverSet, ctx: &YearContext, profile: &Profile) -> DibaoLines {
    let line = |r: Residence| -> Vec<f64> {
        let tiers = profile.dibao_thresholds_per_month(r);
        (0..tiers.len())
            .map(|t| set.get("dibao").and_then(|d| d.dibao_line(ctx, r, t as u8)).unwrap_or(tiers[t] * 12.0))
            .collect()
    };
    DibaoLines::new(line(Residence::Urban), line(Residence::Rural))
}
