//! Synthesis and calibration of a population from a region profile.
//!
//! [`Generator::calibrate`] fits the generator's parameters on a calibration sample of
//! fixed size: income levels and part factors by moment matching (an IPF-style loop
//! over the four income parts and the five household quintile groups), household size
//! and its income gradient, dibao take-up against the caseload, and a raking weight
//! model; then the take-up once more on a sample four times as large (the caseload is
//! a small group, whose count on the loop's sample moves by several percent from one
//! draw to another). The calibrated generator then draws any number of households, in any
//! chunks: household `id` depends only on the parameters, the seed and `id`.

mod blueprint;
mod calibrate;
mod household;
pub mod params;
mod report;
pub(crate) mod rounding;
pub(crate) mod weights;

pub use blueprint::{RakedBand, age_density, age_density_in};
pub use calibrate::CalibrationOptions;
pub use params::{AreaParams, GeneratorParams};
pub use report::{CalibrationReport, TargetCheck, WeightRange};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::model::{Accounts, HouseholdFlags, Population, Residence};
use crate::policy::{LeverColumns, LeverSet, YearContext};
use crate::region::Profile;
use blueprint::Blueprint;

/// Households per logical block: the unit of parallel work and of ordered sums.
pub const BLOCK: usize = 1 << 14;

/// Most households [`Generator::generate_with`] materialises: about 12 GiB at the
/// 124 bytes per household `tests/memory.rs` measures (twice that while the chunks are
/// joined), the limit of a scenario's `households` too. A projection streams any
/// number of households in bounded memory.
pub const MAX_MATERIALISED_HOUSEHOLDS: usize = 100_000_000;

/// Refuses a materialised population of more than [`MAX_MATERIALISED_HOUSEHOLDS`]
/// households, so the request fails with a message instead of an allocation failure
/// that aborts the process.
///
/// # Errors
/// [`Error::InvalidRequest`] naming `households`.
pub fn check_materialised_households(households: usize) -> Result<()> {
    if households > MAX_MATERIALISED_HOUSEHOLDS {
        return Err(Error::InvalidRequest(format!(
            "households: a materialised population holds at most {MAX_MATERIALISED_HOUSEHOLDS} households (got \
             {households}; about 124 bytes each, twice that while its chunks are joined); a projection \
             (`incomesim run --households N`) streams any number in bounded memory"
        )));
    }
    Ok(())
}

/// A calibrated generator for one profile and seed.
#[derive(Debug)]
pub struct Generator {
    profile: Profile,
    params: GeneratorParams,
    blueprint: Blueprint,
    rules: LeverSet,
    iterations: usize,
}

/// Options of [`Generator::generate_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthesisOptions {
    /// Households generated per parallel task. Results do not depend on it.
    pub chunk_households: usize,
}

impl Default for SynthesisOptions {
    fn default() -> Self {
        SynthesisOptions { chunk_households: BLOCK }
    }
}

impl Generator {
    /// Calibrates a generator for `profile` with default options.
    ///
    /// # Errors
    /// [`Error::Calibration`] if the targets cannot be reached; lever errors if the
    /// profile's rules are invalid.
    pub fn calibrate(profile: &Profile, seed: u64) -> Result<Generator> {
        Self::calibrate_with(profile, seed, &CalibrationOptions::default())
    }

    /// Calibrates a generator with explicit options.
    ///
    /// # Errors
    /// As [`Generator::calibrate`].
    pub fn calibrate_with(profile: &Profile, seed: u64, options: &CalibrationOptions) -> Result<Generator> {
        calibrate::calibrate(profile, seed, options)
    }

    /// The profile it was calibrated on.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The calibrated parameters.
    pub fn params(&self) -> &GeneratorParams {
        &self.params
    }

    /// The base-year rules (with calibrated take-up) that computed base-year transfers.
    pub fn rules(&self) -> &LeverSet {
        &self.rules
    }

    /// The same calibrated generator drawing households with another seed (for
    /// replications: the parameters stay, the draws change).
    pub fn with_seed(&self, seed: u64) -> Generator {
        let mut params = self.params.clone();
        params.seed = seed;
        Generator {
            profile: self.profile.clone(),
            params,
            blueprint: self.blueprint.clone(),
            rules: self.rules.clone(),
            iterations: self.iterations,
        }
    }

    /// What calibration fitted for the base-year rules, for building reform levers
    /// that keep it (see [`crate::policy::registry::BuildContext`]).
    pub fn base_calibration(&self) -> crate::policy::registry::BaseCalibration {
        self.params.base_calibration()
    }

    /// The baseline rules of a projection from this population: the base-year rules
    /// with their calibrated take-up, carried forward under their own indexation, the
    /// dibao thresholds at least the base year's times `threshold_multiple` (the
    /// `dibao_threshold_multiple_*` assumptions, [`crate::dynamics::Dynamics`]; see
    /// [`crate::policy::base::projection_rule_set`]).
    ///
    /// # Errors
    /// Only for an invalid profile (rejected when it was loaded).
    pub fn projection_rules(&self, threshold_multiple: &[crate::policy::Dated<f64>; 2]) -> Result<LeverSet> {
        let c = self.base_calibration();
        crate::policy::base::projection_rule_set(&self.profile, &c, threshold_multiple)
    }

    /// Iterations the calibration took.
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// Generates households `first_id .. first_id + count` of a population of
    /// `total_households`, applies the base-year rules and sets the weights (before the
    /// final normalisation of [`Generator::generate`]). Returns the chunk and its
    /// base-year accounts.
    pub fn generate_chunk(&self, first_id: u64, count: usize, total_households: u64) -> (Population, Accounts) {
        let mut pop = self.draw_chunk(first_id, count);
        let accounts = apply_base_rules(&self.rules, &mut pop, self.params.base_year, self.params.seed);
        self.set_weights(&mut pop, total_households);
        (pop, accounts)
    }

    /// The chunk of [`Generator::generate_chunk`] as a projection's base year starts
    /// from: households drawn, last year's dibao and extreme-poverty status set (one
    /// pass of the base-year rules) and weights set, without
    /// the base year's own accounts, which the projection computes itself. The
    /// base-year rules give the same results on it as on `generate_chunk`'s (they
    /// recompute every flag they write before reading it; tested).
    pub fn generate_chunk_before_base_year(&self, first_id: u64, count: usize, total_households: u64) -> Population {
        let mut pop = self.draw_chunk(first_id, count);
        set_last_year_status(&self.rules, &mut pop, self.params.base_year, self.params.seed);
        self.set_weights(&mut pop, total_households);
        pop
    }

    /// Households `first_id .. first_id + count`, drawn (weights 1, no rule applied).
    fn draw_chunk(&self, first_id: u64, count: usize) -> Population {
        let mut pop = Population::empty(first_id);
        pop.households.reserve(count);
        pop.persons.reserve(count * 3);
        let mut members = Vec::with_capacity(household::MAX_SIZE);
        for id in first_id..first_id + count as u64 {
            let record = household::draw_household(&self.params, &self.blueprint.areas, id, &mut members);
            pop.push_household(&record, &members);
        }
        pop
    }

    fn set_weights(&self, pop: &mut Population, total_households: u64) {
        let n = total_households.max(1) as f64;
        let share = [self.params.urban_household_share, 1.0 - self.params.urban_household_share];
        let mut x = Vec::new();
        for h in 0..pop.household_count() {
            weights::household_vector(pop, h, &self.blueprint.age_bands, &mut x);
            let a = pop.households.residence[h].index();
            let base = self.params.base_weight_total[a] / (n * share[a].max(1e-12));
            pop.households.weight[h] = (base * weights::raking_factor(&x, &self.params.raking_lambda)) as f32;
        }
    }

    /// Generates a whole population of `households` households in memory.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for zero households.
    pub fn generate(&self, households: usize) -> Result<Population> {
        self.generate_with(households, &SynthesisOptions::default())
    }

    /// Generates a whole population with explicit options. Weights are normalised so
    /// that weighted persons equal the profile's urban and rural resident population
    /// exactly (sums taken in household order, so the result does not depend on the
    /// chunk size or the number of threads).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for zero households or a zero chunk size.
    pub fn generate_with(&self, households: usize, options: &SynthesisOptions) -> Result<Population> {
        Ok(self.generate_with_accounts(households, options)?.0)
    }

    /// As [`Generator::generate_with`], also returning the base-year accounts the
    /// generation computed (for a report without applying the rules again).
    ///
    /// # Errors
    /// As [`Generator::generate_with`].
    pub fn generate_with_accounts(
        &self,
        households: usize,
        options: &SynthesisOptions,
    ) -> Result<(Population, Accounts)> {
        if households == 0 {
            return Err(Error::InvalidRequest("households: a population needs at least one household (got 0)".into()));
        }
        if options.chunk_households == 0 {
            return Err(Error::InvalidRequest("chunk_households: a chunk needs at least one household (got 0)".into()));
        }
        check_materialised_households(households)?;
        let chunk = options.chunk_households;
        let starts: Vec<usize> = (0..households).step_by(chunk).collect();
        let chunks: Vec<(Population, Accounts)> = starts
            .par_iter()
            .map(|&s| self.generate_chunk(s as u64, chunk.min(households - s), households as u64))
            .collect();
        let mut pop = Population::empty(0);
        let mut accounts = Accounts::default();
        // Exactly the room needed, so a materialised population holds no slack.
        pop.households.reserve_exact(households);
        pop.persons.reserve_exact(chunks.iter().map(|(c, _)| c.person_count()).sum());
        accounts.reserve_exact(households);
        for (c, a) in chunks {
            pop.append(c);
            accounts.append(a);
        }
        normalise_weights(&mut pop, &self.profile);
        Ok((pop, accounts))
    }

    /// The calibration report of a population generated by this generator (or any
    /// population of this profile): every target, its status, published and simulated
    /// values, relative error, and the weight range.
    pub fn report(&self, pop: &Population) -> CalibrationReport {
        let mut copy = pop.clone();
        let (accounts, dibao) =
            apply_base_rules_with_dibao(&self.rules, &mut copy, self.params.base_year, self.params.seed);
        self.report_with(&copy, &accounts, &dibao)
    }

    /// The calibration report of a population with its base-year accounts, as
    /// [`Generator::generate_with_accounts`] returns them. What the dibao paid each
    /// household is computed again, on a copy of the population.
    pub fn report_with_accounts(&self, pop: &Population, accounts: &Accounts) -> CalibrationReport {
        let dibao = base_year_dibao_paid(
            &self.rules,
            &mut pop.clone(),
            self.params.base_year,
            self.params.seed,
            &mut Accounts::default(),
        );
        self.report_with(pop, accounts, &dibao)
    }

    fn report_with(&self, pop: &Population, accounts: &Accounts, dibao_paid: &[f64]) -> CalibrationReport {
        let mut r = report::calibration_report(&self.profile, pop, accounts, dibao_paid);
        for a in &self.params.areas {
            let area = a.residence.as_str();
            r.calibrated.push((format!("{area} dibao take-up"), a.take_up));
            r.calibrated.push((format!("{area} dibao means-test error (sigma)"), a.assessment_error_sigma));
            r.calibrated.push((format!("{area} dibao take-up priority of need"), a.take_up_need_priority));
            r.calibrated.push((format!("{area} dibao old members' own units line"), a.old_member_unit_line));
            r.calibrated.push((format!("{area} support of workless households"), a.workless_support_share));
            r.calibrated.push((format!("{area} retiree pension over the profile's mean"), a.pension_factor));
            r.calibrated.push((format!("{area} share of the old with an employer pension"), a.retiree_share_60_plus));
        }
        r.calibrated.push((
            "extreme-poverty support: no-supporter share".into(),
            self.params.extreme_poverty_no_supporter_share,
        ));
        let lines = self.base_calibration().contribution_lines();
        r.calibrated.push(("urban employees' mean full-year wage".into(), self.params.urban_employee_wage));
        r.calibrated.push(("informal-wage line (base year, yuan)".into(), lines.informal_below));
        // What a projection from this population measures on it before its first year.
        let mut dynamics = crate::dynamics::Dynamics::from_profile(&self.profile);
        dynamics.informal_wage_below = self.base_calibration().contribution_lines().informal_below;
        dynamics.calibrate_replacement_on(std::slice::from_ref(pop));
        for (residence, rate) in [Residence::Urban, Residence::Rural].iter().zip(dynamics.replacement_rate) {
            r.calibrated.push((format!("{} replacement rate of new retirees", residence.as_str()), rate));
        }
        r
    }
}

/// Applies the base-year rules twice: the first pass decides who is on dibao, which
/// stands in for last year's status (the disability living subsidy and grace periods
/// read it); the second computes the base year.
pub(crate) fn apply_base_rules(rules: &LeverSet, pop: &mut Population, year: u16, seed: u64) -> Accounts {
    let mut accounts = set_last_year_status(rules, pop, year, seed);
    rules.apply_year_without_ledger(&YearContext::base(year, seed), pop, &mut accounts);
    accounts
}

/// [`apply_base_rules`], also returning what the dibao lever paid each household in
/// the base year (zeros when the rules have no dibao).
pub(crate) fn apply_base_rules_with_dibao(
    rules: &LeverSet,
    pop: &mut Population,
    year: u16,
    seed: u64,
) -> (Accounts, Vec<f64>) {
    let mut accounts = set_last_year_status(rules, pop, year, seed);
    let dibao = base_year_dibao_paid(rules, pop, year, seed, &mut accounts);
    (accounts, dibao)
}

/// The base year's second pass of the rules on a population whose last-year status is
/// set: the accounts, and the dibao lever's column.
fn base_year_dibao_paid(
    rules: &LeverSet,
    pop: &mut Population,
    year: u16,
    seed: u64,
    accounts: &mut Accounts,
) -> Vec<f64> {
    let mut columns = LeverColumns::default();
    rules.apply_year_to_columns(&YearContext::base(year, seed), pop, accounts, &mut columns);
    match rules.index_of(crate::policy::dibao::NAME) {
        Some(i) => std::mem::take(&mut columns.paid[i]),
        None => vec![0.0; pop.household_count()],
    }
}

/// The first pass of [`apply_base_rules`]: the base-year rules applied once, and who
/// they put on dibao and extreme-poverty support marked as last year's status. Returns
/// the pass's accounts (their memory reused by the second pass).
fn set_last_year_status(rules: &LeverSet, pop: &mut Population, year: u16, seed: u64) -> Accounts {
    let ctx = YearContext::base(year, seed);
    let mut accounts = Accounts::default();
    rules.apply_year_without_ledger(&ctx, pop, &mut accounts);
    for f in pop.households.flags.iter_mut() {
        let on = f.has(HouseholdFlags::DIBAO);
        f.set(HouseholdFlags::DIBAO_LAST_YEAR, on);
        let ep = f.has(HouseholdFlags::EXTREME_POVERTY_SUPPORT);
        f.set(HouseholdFlags::EXTREME_POVERTY_LAST_YEAR, ep);
    }
    accounts
}

/// Scales weights so weighted urban and rural persons equal the profile's resident
/// population, summing in household order.
fn normalise_weights(pop: &mut Population, profile: &Profile) {
    let households = pop.household_count();
    WeightNormalisation::from_sample(profile, &[&*pop], households).apply(pop);
}

/// The factors that scale generated weights (as [`Generator::generate_chunk`] sets
/// them) so that weighted urban and rural persons equal the profile's resident
/// population: one factor per residence.
///
/// [`Generator::generate`] takes them from the whole population, so the totals are
/// exact. A streamed run, which never holds the whole population, takes them from
/// its first households (the pilot sample): weighted persons then match the profile
/// up to the sampling error of the sample's mean weighted size (households are drawn
/// independently, so the first households are a random sample).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightNormalisation {
    /// Factors `[urban, rural]`.
    pub factor: [f64; 2],
}

impl WeightNormalisation {
    /// The factors from the first households of a population of `total_households`,
    /// generated with that total (`sample`: the pieces in household order). Persons
    /// are summed in household order; with the whole population as sample the totals
    /// match the profile exactly.
    pub fn from_sample(profile: &Profile, sample: &[&Population], total_households: usize) -> Self {
        let mut persons = [0.0f64; 2];
        let mut households = 0usize;
        for pop in sample {
            for h in 0..pop.household_count() {
                persons[pop.households.residence[h].index()] +=
                    pop.households.weight[h] as f64 * pop.households.size[h] as f64;
            }
            households += pop.household_count();
        }
        // 1.0 exactly when the sample is the whole population.
        let scale = if households > 0 { total_households as f64 / households as f64 } else { 1.0 };
        let factor = [Residence::Urban, Residence::Rural].map(|r| {
            let p = persons[r.index()] * scale;
            if p > 0.0 { profile.resident_persons(r) / p } else { 1.0 }
        });
        WeightNormalisation { factor }
    }

    /// Scales the weights of a generated piece of the population.
    pub fn apply(&self, pop: &mut Population) {
        for h in 0..pop.household_count() {
            let a = pop.households.residence[h].index();
            pop.households.weight[h] = (pop.households.weight[h] as f64 * self.factor[a]) as f32;
        }
    }
}

impl Population {
    /// Synthesises a calibrated population of `households` households for a profile:
    /// calibrates on a fixed-size sample, then generates in parallel chunks.
    ///
    /// # Errors
    /// As [`Generator::calibrate`] and [`Generator::generate`].
    pub fn synthesize(profile: &Profile, households: usize, seed: u64) -> Result<Population> {
        Generator::calibrate(profile, seed)?.generate(households)
    }
}
