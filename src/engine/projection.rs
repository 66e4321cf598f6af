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
use crate::generate::{Generator, BLOCK};
use crate::indicators::{
    AllWeighting, DibaoLines, Group, HouseholdOutcome, IndicatorOptions, PovertyLines, YearIndicators,
};
use crate::model::{Population, Residence};
use crate::policy::{Chunk, Ledger, Lever, LeverSet, YearContext};
use crate::region::Profile;

/// A reform lever of a scenario: its registry name and the built lever.
#[derive(Debug, Clone)]
pub struct ReformLever {
    /// Name (the lever's registry name).
    pub name: String,
    /// The lever, shared by every variant that switches it on.
    pub lever: Arc<dyn Lever>,
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
    /// Random orders for sampled Shapley values (more than 8 levers).
    pub shapley_permutations: usize,
    /// Fixed poverty lines besides the dibao line, yuan per person per year.
    pub poverty_lines: Vec<f64>,
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

/// Runs a scenario: `Projection::new(&scenario).chunk_households(n).run()`.
#[derive(Debug)]
pub struct Projection<'a> {
    scenario: &'a Scenario,
    chunk_households: usize,
}

impl<'a> Projection<'a> {
    /// A projection of a scenario with the default chunk size.
    pub fn new(scenario: &'a Scenario) -> Self {
        Projection { scenario, chunk_households: BLOCK }
    }

    /// Households per chunk (the unit of parallel work). Results do not depend on it.
    pub fn chunk_households(mut self, n: usize) -> Self {
        self.chunk_households = n.max(1);
        self
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
        let generator = Generator::calibrate(&s.profile, s.seed)?;
        let baseline_rules = generator.rules().clone();
        let set_for = |coalition: Coalition| {
            let mut set = baseline_rules.clone();
            for (i, r) in s.reform.iter().enumerate() {
                if coalition & (1 << i) != 0 {
                    set.insert_shared(r.lever.clone());
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
            let base = self.base_chunks(&generator, seed);
            if r == 0 {
                let mut cache: std::collections::HashMap<Coalition, VariantResult> = Default::default();
                let mut run = |c: Coalition| -> VariantResult {
                    cache.entry(c).or_insert_with(|| self.run_variant(&base, &set_for(c), seed)).clone()
                };
                if s.shapley && !s.reform.is_empty() {
                    contributions = Some(shapley::contributions(s.reform.len(), s.shapley_permutations, seed, |c| {
                        run(c).shapley_outcomes()
                    }));
                }
                baseline = Some(run(0));
                replications.push(run(all));
            } else {
                replications.push(self.run_variant(&base, &set_for(all), seed));
            }
        }
        let lookups: Vec<_> =
            replications.iter().map(|v| move |y: u16, g: &str, i: &str| v.lookup(y, g, i)).collect();
        let targets = s.targets.iter().map(|t| t.check(&lookups)).collect();
        let mut assumptions = s.profile.assumptions();
        assumptions.extend(crate::policy::base::base_rule_assumptions());
        assumptions.extend(s.dynamics.assumptions());
        Ok(Outcome {
            baseline: baseline.unwrap_or(VariantResult { years: Vec::new() }),
            reform: replications[0].clone(),
            contributions,
            lever_names: s.reform.iter().map(|r| r.name.clone()).collect(),
            targets,
            replications,
            assumptions,
        })
    }

    /// The base-year population in chunks, generated with `seed`.
    fn base_chunks(&self, generator: &Generator, seed: u64) -> Vec<Chunk> {
        let n = self.scenario.households;
        let g = generator.with_seed(seed);
        let pop = match g.generate(n) {
            Ok(p) => p,
            Err(_) => Population::default(),
        };
        split(pop, self.chunk_households)
    }

    /// One variant: the base year under `set`, then each projected year.
    fn run_variant(&self, base: &[Chunk], set: &LeverSet, seed: u64) -> VariantResult {
        let s = self.scenario;
        let base_year = s.profile.base_year;
        let options = IndicatorOptions {
            lines: PovertyLines::new(s.poverty_lines.clone()).unwrap_or_default(),
            all_weighting: AllWeighting::from_profile(&s.profile),
        };
        let dibao_index = set.levers().position(|l| l.name() == "dibao");
        let mut chunks: Vec<Chunk> = base.to_vec();
        let mut years = Vec::new();
        let mut previous: Option<(Vec<HouseholdOutcome>, YearIndicators)> = None;
        let mut income_index = [1.0, 1.0];
        for year in base_year..=s.last_year {
            let ctx = YearContext {
                year,
                base_year,
                seed,
                price_index: s.dynamics.price_index(year),
                income_index,
            };
            if year > base_year {
                chunks.par_iter_mut().for_each(|c| s.dynamics.advance(&ctx, &mut c.pop));
            }
            let ledger = set.apply_year_chunks(&ctx, &mut chunks);
            let lines = dibao_lines(set, &ctx, &s.profile);
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
                let ratio = s.dynamics.price_index(year) / s.dynamics.price_index(year - 1).max(1e-12);
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
            previous = Some((outcomes, indicators));
        }
        VariantResult { years }
    }
}

/// Splits a population into chunks of `size` households, in order.
fn split(pop: Population, size: usize) -> Vec<Chunk> {
    let n = pop.household_count();
    let mut rest = pop;
    let mut chunks = Vec::with_capacity(n.div_ceil(size.max(1)));
    while rest.household_count() > size {
        let tail = rest.split_off(size);
        chunks.push(Chunk::new(rest));
        rest = tail;
    }
    chunks.push(Chunk::new(rest));
    chunks
}

/// The dibao line of every residence and tier this year, from the set's dibao lever
/// (the profile's base thresholds when the set has none).
fn dibao_lines(set: &LeverSet, ctx: &YearContext, profile: &Profile) -> DibaoLines {
    let line = |r: Residence| -> Vec<f64> {
        let tiers = profile.dibao_thresholds_per_month(r);
        (0..tiers.len())
            .map(|t| {
                set.get("dibao")
                    .and_then(|d| d.dibao_line(ctx, r, t as u8))
                    .unwrap_or(tiers[t] * 12.0)
            })
            .collect()
    };
    DibaoLines::new(line(Residence::Urban), line(Residence::Rural))
}
