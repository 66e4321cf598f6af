//! Calibration: moment matching of incomes and raking of weights on a fixed sample.

use rayon::prelude::*;

use super::blueprint::{Blueprint, age_density_in, head_and_member_cdfs};
use super::params::{AreaParams, DRAWN_PARTS, GeneratorParams, OPERATING, PRIVATE_TRANSFERS, PROPERTY, WAGE};
use super::report::RetireeCounts;
use super::{Generator, apply_base_rules, apply_base_rules_with_dibao, household, weights};
use crate::error::{Error, Result};
use crate::indicators::{HouseholdIncome, household_quintile_groups};
use crate::model::{Accounts, Employment, HouseholdFlags, Population, Residence};
use crate::policy::base::{DEFAULT_URBAN_EMPLOYEE_WAGE, NO_SUPPORTER_SHARE, base_rule_set};
use crate::policy::dibao::{need_weighted_draw, recipient_persons};
use crate::policy::registry::BaseCalibration;
use crate::policy::{LeverSet, YearContext};
use crate::random::Purpose;
use crate::region::Profile;

/// Ids of calibration-sample households start here, apart from any population's ids.
const CALIBRATION_ID_BASE: u64 = 1 << 60;
/// The largest priority of need in dibao take-up calibration fits
/// ([`Dibao::take_up_need_priority`](crate::policy::dibao::Dibao::take_up_need_priority)):
/// at 30, the odds of taking up double with each 2.3% more of the threshold a household
/// is entitled to, close to taking the neediest first.
const MAX_NEED_PRIORITY: f64 = 30.0;
/// Bisections of the priority of need (to 30 / 2^20).
const PRIORITY_BISECTIONS: usize = 20;
/// The smallest take-up rate calibration fits.
const MIN_TAKE_UP: f64 = 1e-9;
/// Where the share without a supporter restarts when it left nobody supported.
const MIN_NO_SUPPORTER_SHARE: f64 = 1e-6;
/// A benefit depth this much below the published one, with the priority of need at its
/// most, lowers the support of workless households.
const DEPTH_TOLERANCE: f64 = 0.05;
/// The first iteration (from 0) that may lower the support of workless households (or
/// raise the means-test error) for a profile with a published benefit depth: before
/// it, the incomes at the bottom are still moving.
const WORKLESS_FROM_ITERATION: usize = 6;
/// How much the support of workless households falls in an iteration where too few
/// households are eligible for the caseload.
const WORKLESS_SUPPORT_STEP: f64 = 0.2;
/// Where the line of old members' own dibao units
/// ([`Dibao::old_member_unit_line`](crate::policy::dibao::Dibao::old_member_unit_line))
/// starts for a profile with published recipient households: households up to three
/// times the threshold per head.
const INITIAL_OLD_MEMBER_UNIT_LINE: f64 = 3.0;
/// The bounds of that line: at 1 no household not eligible as a whole is below it (the
/// units are off); at 20 nearly every household is.
const OLD_MEMBER_UNIT_LINE_BOUNDS: (f64, f64) = (1.0, 20.0);
/// The power of the ratio of simulated to published persons per recipient household
/// by which the line is multiplied each iteration (the persons per household fall
/// more slowly as the line rises: from 2.9 to 1.7 in rural national-2015 as it goes
/// from 2 to 8).
const OLD_MEMBER_UNIT_LINE_GAIN: f64 = 2.0;
/// Rank from which the income level follows a Pareto tail (assumed).
const TAIL_START: f64 = 0.95;
/// Pareto index of the top tail (assumed: survey-corrected estimates for China lie
/// around 2–3; 3 keeps the sample mean stable).
const TAIL_ALPHA: f64 = 3.0;

/// Options of the calibration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalibrationOptions {
    /// Households in the calibration sample.
    pub sample_households: usize,
    /// Most iterations of the moment-matching loop.
    pub max_iterations: usize,
    /// Stop when every matched moment is within this relative error.
    pub tolerance: f64,
    /// Households in the larger sample on which the dibao take-up is fitted to the
    /// published caseload once the loop has ended (0: no such step; the loop's own
    /// fit stands). The caseload is a small group (1–3% of residents), so on the loop's
    /// sample its count moves by several percent from one draw of households to
    /// another; four times the households halve that.
    pub caseload_sample_households: usize,
}

impl Default for CalibrationOptions {
    fn default() -> Self {
        CalibrationOptions {
            sample_households: 64_000,
            max_iterations: 25,
            tolerance: 0.004,
            caseload_sample_households: 256_000,
        }
    }
}

/// The loop stops as settled when its worst error is below this multiple of the
/// tolerance and the best of its last [`STALL_WINDOW`] iterations is not
/// [`STALL_GAIN`] below the best of the iterations before them.
const STALL_TOLERANCE_FACTOR: f64 = 2.5;
/// See [`STALL_TOLERANCE_FACTOR`]: 5% less.
const STALL_GAIN: f64 = 0.05;
/// See [`STALL_TOLERANCE_FACTOR`]: three iterations.
const STALL_WINDOW: usize = 3;

/// Whether a fit whose worst errors by iteration are `errors` (the last one now) has
/// settled just above the tolerance (one moment the model's shape cannot bring closer,
/// such as a quintile group 1.6% off), so that more iterations would not change it.
fn settled(errors: &[f64], tolerance: f64) -> bool {
    let Some(&worst) = errors.last() else { return false };
    if errors.len() <= STALL_WINDOW + 1 || worst >= STALL_TOLERANCE_FACTOR * tolerance {
        return false;
    }
    let (before, recent) = errors.split_at(errors.len() - STALL_WINDOW);
    let best = |e: &[f64]| e.iter().fold(f64::INFINITY, |m, &x| m.min(x));
    best(recent) > (1.0 - STALL_GAIN) * best(before)
}

/// Most rounds of the take-up fit on the caseload sample.
const CASELOAD_ROUNDS: usize = 4;
/// The take-up fit stops when both caseloads are within this relative error (a
/// population's own caseload moves by several times as much from one seed to another).
const CASELOAD_TOLERANCE: f64 = 0.005;

/// Assumed shape of each drawn part across the five latent quintile knots (the seed
/// matrix of the IPF loop): transfers weigh more at the bottom, property at the top.
fn part_tilt(part: usize, residence: Residence) -> [f64; 5] {
    match (part, residence) {
        (WAGE, _) => [0.8, 0.95, 1.0, 1.05, 1.05],
        (OPERATING, Residence::Rural) => [1.2, 1.1, 1.0, 0.95, 0.95],
        (OPERATING, Residence::Urban) => [0.9, 1.0, 1.0, 1.0, 1.05],
        (PROPERTY, _) => [0.4, 0.6, 0.8, 1.1, 1.6],
        _ => [1.5, 1.2, 1.0, 0.9, 0.8],
    }
}

/// Log-standard deviation of a lognormal whose top-to-bottom quintile mean ratio is `ratio`.
fn sigma_for_ratio(ratio: f64) -> f64 {
    let group_mean = |sigma: f64, g: usize| {
        let n = 400;
        (0..n)
            .map(|i| {
                let u = (g as f64 + (i as f64 + 0.5) / n as f64) / 5.0;
                (sigma * super::params::inverse_normal_cdf(u)).exp()
            })
            .sum::<f64>()
    };
    let mut best = (f64::INFINITY, 0.7);
    for k in 20..160 {
        let s = k as f64 * 0.01;
        let r = group_mean(s, 4) / group_mean(s, 0);
        let e = (r.ln() - ratio.ln()).abs();
        if e < best.0 {
            best = (e, s);
        }
    }
    best.1
}

fn initial_area(profile: &Profile, residence: Residence, density: &[f64]) -> AreaParams {
    let t = profile.area(residence);
    let d = t.disposable.value;
    let ratio = t.quintile_means.as_ref().map(|q| q.value[4] / q.value[0]).unwrap_or(6.0);
    let sigma = sigma_for_ratio(ratio);
    let shares = [
        t.wage.value / d,
        t.operating.value / d,
        t.property.value / d,
        (0.5 * t.net_transfer.value.max(0.0) / d).max(0.01),
    ];
    let mut part_factors = [[0.0; 5]; DRAWN_PARTS];
    for (p, row) in part_factors.iter_mut().enumerate() {
        let tilt = part_tilt(p, residence);
        for k in 0..5 {
            row[k] = shares[p] * tilt[k];
        }
    }
    let m = t.household_size.value;
    let (head, member) = head_and_member_cdfs(density, m);
    AreaParams {
        residence,
        size_lambda: (m - 1.0).max(0.05),
        size_gradient: 0.4,
        level_mu: d.ln() - 0.5 * sigma * sigma,
        level_sigma: sigma,
        tail_start: TAIL_START,
        tail_alpha: TAIL_ALPHA,
        knot_log_factors: [0.0; 5],
        part_factors,
        pension_factor: 1.0,
        retiree_share_60_plus: profile.shape(residence).retiree_share_60_plus.value,
        head_age_cdf: head,
        member_age_cdf: member,
        workless_support_share: 1.0,
        take_up: 0.5,
        assessment_error_sigma: 0.0,
        take_up_need_priority: 0.0,
        old_member_unit_line: if t.dibao_recipients.is_some() && t.dibao_recipient_households.is_some() {
            INITIAL_OLD_MEMBER_UNIT_LINE
        } else {
            0.0
        },
    }
}

/// What the sample shows for one residence.
#[derive(Debug, Default, Clone)]
struct AreaMeasure {
    persons: f64,
    households_base: f64,
    persons_base: f64,
    wage: f64,
    operating: f64,
    property: f64,
    net_transfer: f64,
    private: f64,
    dibao_persons: f64,
    /// Recipient households (weighted; a household on single-person units counts once).
    dibao_households: f64,
    /// Paid by the dibao (weighted yuan).
    dibao_paid: f64,
    /// Recipients times their annual threshold (weighted yuan): what the dibao would
    /// pay if every recipient had no assessed income.
    dibao_threshold_persons: f64,
    quintiles: [f64; 5],
    quintile_persons: [f64; 5],
}

// Columns are indexed by household in step; an iterator per column would obscure it.
#[allow(clippy::needless_range_loop)]
fn measure(
    profile: &Profile,
    pop: &Population,
    accounts: &Accounts,
    dibao_paid: &[f64],
    base_weights: &[f64],
) -> [AreaMeasure; 2] {
    let mut m = [AreaMeasure::default(), AreaMeasure::default()];
    let mut items: [Vec<HouseholdIncome>; 2] = [Vec::new(), Vec::new()];
    let hh = &pop.households;
    for h in 0..pop.household_count() {
        let a = hh.residence[h].index();
        let w = hh.weight[h] as f64;
        let size = hh.size[h] as f64;
        let parts = accounts.parts(h);
        let pensions: f64 = pop.members(h).map(|i| pop.persons.retiree_pension[i] as f64).sum();
        let x = &mut m[a];
        x.persons += w * size;
        x.households_base += base_weights[h];
        x.persons_base += base_weights[h] * size;
        x.wage += w * parts.wage;
        x.operating += w * parts.operating;
        x.property += w * parts.property;
        x.net_transfer += w * parts.net_transfer();
        x.private += w * (pensions + hh.remittances[h] as f64 + hh.other_transfers[h] as f64);
        if hh.flags[h].has(HouseholdFlags::DIBAO) {
            let covered = f64::from(recipient_persons(pop, h));
            x.dibao_persons += w * covered;
            x.dibao_households += w;
            x.dibao_paid += w * dibao_paid[h];
            x.dibao_threshold_persons +=
                w * covered * 12.0 * profile.dibao_threshold_per_month(hh.residence[h], hh.tier[h]);
        }
        items[a].push(HouseholdIncome { per_capita: parts.disposable() / size.max(1.0), weight: w, size });
    }
    for a in 0..2 {
        let p = m[a].persons.max(1e-12);
        m[a].wage /= p;
        m[a].operating /= p;
        m[a].property /= p;
        m[a].net_transfer /= p;
        m[a].private /= p;
        let (q, qp) = household_quintile_groups(&mut items[a]);
        m[a].quintiles = q;
        m[a].quintile_persons = qp;
    }
    m
}

/// What the dibao paid per recipient over their threshold (0 when nobody is paid).
fn dibao_depth(x: &AreaMeasure) -> f64 {
    if x.dibao_threshold_persons > 0.0 { x.dibao_paid / x.dibao_threshold_persons } else { 0.0 }
}

/// Households per task of the calibration samples.
const TASK: usize = 4096;

/// Draws the calibration sample's first `n` households (ids from
/// [`CALIBRATION_ID_BASE`]), in tasks of [`TASK`] households, in id order.
fn draw_sample(gp: &GeneratorParams, bp: &Blueprint, n: usize) -> Vec<Population> {
    let starts: Vec<usize> = (0..n).step_by(TASK).collect();
    starts
        .par_iter()
        .map(|&s| {
            let count = TASK.min(n - s);
            let first = CALIBRATION_ID_BASE + s as u64;
            let mut pop = Population::empty(first);
            let mut members = Vec::new();
            for id in first..first + count as u64 {
                let r = household::draw_household(gp, &bp.areas, id, &mut members);
                pop.push_household(&r, &members);
            }
            pop
        })
        .collect()
}

/// What the dibao would pay each household of `pop` and how many of its members that
/// would cover ([`recipient_persons`]) under `everyone` (the base-year rules with every
/// eligible household taking dibao up), on a copy of `pop`.
fn with_full_take_up(everyone: &LeverSet, pop: &Population, gp: &GeneratorParams) -> (Vec<f64>, Vec<u8>) {
    let mut full = pop.clone();
    let paid = apply_base_rules_with_dibao(everyone, &mut full, gp.base_year, gp.seed).1;
    (paid, (0..full.household_count()).map(|h| recipient_persons(&full, h)).collect())
}

/// The calibration sample with the base-year rules applied: households, accounts,
/// what the dibao paid each, and, when `everyone` is given (the rules with every
/// eligible household taking dibao up), what it would pay each with full take-up and
/// how many of its members that would cover ([`recipient_persons`]).
struct Sample {
    pop: Population,
    accounts: Accounts,
    dibao_paid: Vec<f64>,
    dibao_full: Vec<f64>,
    dibao_full_persons: Vec<u8>,
}

fn sample(gp: &GeneratorParams, bp: &Blueprint, rules: &LeverSet, everyone: Option<&LeverSet>, n: usize) -> Sample {
    let parts: Vec<Sample> = draw_sample(gp, bp, n)
        .into_par_iter()
        .map(|mut pop| {
            let (dibao_full, dibao_full_persons) =
                everyone.map_or_else(Default::default, |all| with_full_take_up(all, &pop, gp));
            let (accounts, dibao_paid) = apply_base_rules_with_dibao(rules, &mut pop, gp.base_year, gp.seed);
            Sample { pop, accounts, dibao_paid, dibao_full, dibao_full_persons }
        })
        .collect();
    let mut all = Sample {
        pop: Population::empty(CALIBRATION_ID_BASE),
        accounts: Accounts::default(),
        dibao_paid: Vec::with_capacity(n),
        dibao_full: Vec::new(),
        dibao_full_persons: Vec::new(),
    };
    for part in parts {
        all.pop.append(part.pop);
        all.accounts.append(part.accounts);
        all.dibao_paid.extend(part.dibao_paid);
        all.dibao_full.extend(part.dibao_full);
        all.dibao_full_persons.extend(part.dibao_full_persons);
    }
    all
}

/// A household the dibao would pay with full take-up: its persistent take-up draw,
/// its entitlement (share of its threshold), its weighted persons, and what it would
/// be paid and its persons times their annual threshold (weighted yuan).
#[derive(Debug, Clone, Copy)]
struct EligibleHousehold {
    u: f64,
    entitlement: f64,
    persons: f64,
    paid: f64,
    threshold_persons: f64,
}

/// The eligible households of a residence in a weighted sample (`full`: what the dibao
/// would pay each with full take-up; `full_persons`: the members that would cover).
fn eligible_households(
    profile: &Profile,
    seed: u64,
    pop: &Population,
    full: &[f64],
    full_persons: &[u8],
    r: Residence,
) -> Vec<EligibleHousehold> {
    let ctx = YearContext::base(profile.base_year, seed);
    let hh = &pop.households;
    (0..pop.household_count())
        .filter(|&h| hh.residence[h] == r && full[h] > 0.0)
        .map(|h| {
            let size = f64::from(full_persons[h]);
            let annual = 12.0 * profile.dibao_threshold_per_month(r, hh.tier[h]);
            let w = hh.weight[h] as f64;
            EligibleHousehold {
                u: ctx.persistent_rng(pop.household_id(h), Purpose::TakeUp).uniform(),
                entitlement: full[h] / (size * annual),
                persons: w * size,
                paid: w * full[h],
                threshold_persons: w * size * annual,
            }
        })
        .collect()
}

/// The take-up rate at which the eligible households `eligible` with priority of need
/// `k` make the caseload `persons` (households in order of their need-weighted draws;
/// the rate halfway between the last draw in and the first out, as the caseload
/// alignment's cutoff), with the benefit depth it gives; `None` when the eligible
/// households are no more than the caseload (every one must take up).
fn caseload_cutoff(eligible: &[EligibleHousehold], k: f64, persons: f64) -> Option<(f64, f64)> {
    let pool: f64 = eligible.iter().map(|e| e.persons).sum();
    if eligible.is_empty() || pool <= persons {
        return None;
    }
    let mut order: Vec<(f64, usize)> =
        eligible.iter().enumerate().map(|(i, e)| (need_weighted_draw(e.u, e.entitlement, k), i)).collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut taken, mut paid, mut full) = (0.0, 0.0, 0.0);
    let mut rate = 1.0;
    for (j, &(d, i)) in order.iter().enumerate() {
        let e = &eligible[i];
        if taken + 0.5 * e.persons > persons {
            rate = if j == 0 { 0.5 * d } else { 0.5 * (d + order[j - 1].0) };
            break;
        }
        taken += e.persons;
        paid += e.paid;
        full += e.threshold_persons;
    }
    Some((rate, if full > 0.0 { paid / full } else { 0.0 }))
}

/// The take-up rate and priority of need (within `0..=MAX_NEED_PRIORITY`) that give
/// the eligible households `eligible` the caseload `persons` and, as near as the
/// priority reaches, the benefit depth `depth`: for each priority the rate is
/// [`caseload_cutoff`]'s, and the priority is found by bisection (the depth rises with
/// it). `None` when the eligible households are no more than the caseload.
fn fit_rate_and_priority(eligible: &[EligibleHousehold], persons: f64, depth: f64) -> Option<(f64, f64)> {
    let at = |k: f64| caseload_cutoff(eligible, k, persons);
    let (rate0, depth0) = at(0.0)?;
    if depth0 >= depth {
        return Some((rate0, 0.0));
    }
    let (rate_max, depth_max) = at(MAX_NEED_PRIORITY)?;
    if depth_max <= depth {
        return Some((rate_max, MAX_NEED_PRIORITY));
    }
    let (mut lo, mut hi) = (0.0, MAX_NEED_PRIORITY);
    for _ in 0..PRIORITY_BISECTIONS {
        let mid = 0.5 * (lo + hi);
        if at(mid).is_some_and(|(_, d)| d < depth) { lo = mid } else { hi = mid }
    }
    at(hi).map(|(rate, _)| (rate, hi))
}

/// The weighted mean full-year wage of the urban employees (local employees and
/// public-sector staff in towns, with a wage) of a sample; `None` without any.
fn urban_employee_wage(pop: &Population) -> Option<f64> {
    let (mut weight, mut sum) = (0.0, 0.0);
    for h in 0..pop.household_count() {
        if pop.households.residence[h] != Residence::Urban {
            continue;
        }
        let w = f64::from(pop.households.weight[h]);
        for i in pop.members(h) {
            let e = pop.persons.employment[i];
            if matches!(e, Employment::LocalEmployee | Employment::PublicSector) && pop.persons.wage[i] > 0.0 {
                weight += w;
                sum += w * pop.persons.full_year_wage(i);
            }
        }
    }
    (weight > 0.0).then(|| sum / weight)
}

/// The base-year rules with the take-up and means-test error `gp` has reached.
fn rules_for(profile: &Profile, gp: &GeneratorParams) -> Result<LeverSet> {
    base_rule_set(profile, &gp.base_calibration())
}

/// The base-year rules of [`rules_for`] with every eligible household taking dibao up.
fn rules_with_full_take_up(profile: &Profile, gp: &GeneratorParams) -> Result<LeverSet> {
    let fitted = gp.base_calibration();
    base_rule_set(profile, &BaseCalibration { take_up: [1.0, 1.0], take_up_need_priority: [0.0, 0.0], ..fitted })
}

/// Each residence's base weight in a sample of `n` households: its households in the
/// profile over its expected households in the sample.
fn base_weights_for(households: [f64; 2], urban_household_share: f64, n: usize) -> [f64; 2] {
    let share = [urban_household_share, 1.0 - urban_household_share];
    [0, 1].map(|a| households[a] / (n as f64 * share[a]))
}

/// Sets a sample's weights (the base weight of its residence times the raking factor
/// of `lambda`) and returns the base weights and each household's raking vector.
fn weigh(pop: &mut Population, bp: &Blueprint, base: [f64; 2], lambda: &[f64]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut base_weights = Vec::with_capacity(pop.household_count());
    let mut xs = Vec::with_capacity(pop.household_count());
    for h in 0..pop.household_count() {
        let b = base[pop.households.residence[h].index()];
        let mut x = Vec::new();
        weights::household_vector(pop, h, &bp.age_bands, &mut x);
        pop.households.weight[h] = (b * weights::raking_factor(&x, lambda)) as f32;
        base_weights.push(b);
        xs.push(x);
    }
    (base_weights, xs)
}

/// Weighted persons in households on dibao, urban and rural.
fn dibao_persons(pop: &Population) -> [f64; 2] {
    let hh = &pop.households;
    let mut persons = [0.0; 2];
    for h in 0..pop.household_count() {
        if hh.flags[h].has(HouseholdFlags::DIBAO) {
            persons[hh.residence[h].index()] += hh.weight[h] as f64 * f64::from(recipient_persons(pop, h));
        }
    }
    persons
}

/// Weighted persons in households getting extreme-poverty support.
fn extreme_poverty_persons(pop: &Population) -> f64 {
    let hh = &pop.households;
    (0..pop.household_count())
        .filter(|&h| hh.flags[h].has(HouseholdFlags::EXTREME_POVERTY_SUPPORT))
        .map(|h| hh.weight[h] as f64 * hh.size[h] as f64)
        .sum()
}

/// Least share of the urban old with an employer-scheme pension that calibration to a
/// count of retirees sets (a count below what retirees under 60 and rural ones make
/// already leaves it here).
const MIN_RETIREE_SHARE: f64 = 0.05;

/// The share of households without an able member that have no supporter, scaled by
/// the count of supported persons over what `share` gave (the support's persistent
/// draw does not depend on the household, so the count is about proportional to the
/// share), at most 1; doubled when nobody was supported.
fn next_no_supporter_share(share: f64, achieved: f64, target: f64) -> f64 {
    if achieved > 0.0 {
        (share * target / achieved).clamp(0.0, 1.0)
    } else if target > 0.0 {
        (share * 2.0).clamp(MIN_NO_SUPPORTER_SHARE, 1.0)
    } else {
        share
    }
}

/// Fits each residence's dibao take-up to its published caseload on a sample of
/// `options.caseload_sample_households` households drawn with the fitted parameters:
/// the take-up is scaled by published / simulated recipients until both are within
/// [`CASELOAD_TOLERANCE`] (at most [`CASELOAD_ROUNDS`] rounds). Households are drawn
/// once; every round applies the base rules afresh to a copy, in tasks, and sums in
/// task order (the same result on any number of threads).
fn fit_take_up(
    profile: &Profile,
    gp: &mut GeneratorParams,
    bp: &Blueprint,
    households: [f64; 2],
    options: &CalibrationOptions,
) -> Result<()> {
    let targets = Residence::BOTH.map(|r| profile.area(r).dibao_recipients.as_ref().map(|d| d.value));
    let extreme_target = profile.population.extreme_poverty_supported.as_ref().map(|e| e.value);
    let n = options.caseload_sample_households;
    if n == 0 || (targets.iter().all(Option::is_none) && extreme_target.is_none()) {
        return Ok(());
    }
    let base = base_weights_for(households, gp.urban_household_share, n);
    let mut chunks = draw_sample(gp, bp, n);
    for pop in &mut chunks {
        weigh(pop, bp, base, &gp.raking_lambda);
    }
    // Weighted persons to the profile's residents, as a generated population's are.
    let sample: Vec<&Population> = chunks.iter().collect();
    let normalisation = super::WeightNormalisation::from_sample(profile, &sample, n);
    for pop in &mut chunks {
        normalisation.apply(pop);
    }
    // The caseload each residence's rate aims at: the published one, then corrected
    // by what the rules gave (extreme-poverty support, which also draws on take-up,
    // moves a little with the rate).
    let mut aims = targets;
    // The eligible households with everyone taking up (which take-up does not change)
    // give the rate for an aim.
    let everyone = rules_with_full_take_up(profile, gp)?;
    let full: Vec<(Vec<f64>, Vec<u8>)> = chunks.par_iter().map(|pop| with_full_take_up(&everyone, pop, gp)).collect();
    let eligible = Residence::BOTH.map(|r| {
        let mut e = Vec::new();
        for (pop, (paid, persons)) in chunks.iter().zip(&full) {
            e.extend(eligible_households(profile, gp.seed, pop, paid, persons, r));
        }
        e
    });
    drop(full);
    for _ in 0..CASELOAD_ROUNDS {
        for a in 0..2 {
            let Some(aim) = aims[a] else { continue };
            let p = &mut gp.areas[a];
            p.take_up = caseload_cutoff(&eligible[a], p.take_up_need_priority, aim)
                .map_or(1.0, |(rate, _)| rate.clamp(MIN_TAKE_UP, 1.0));
        }
        let rules = rules_for(profile, gp)?;
        let per_task: Vec<([f64; 2], f64)> = chunks
            .par_iter()
            .map(|pop| {
                let mut pop = pop.clone();
                apply_base_rules(&rules, &mut pop, gp.base_year, gp.seed);
                (dibao_persons(&pop), extreme_poverty_persons(&pop))
            })
            .collect();
        let mut simulated = [0.0; 2];
        let mut supported = 0.0;
        for (t, e) in &per_task {
            simulated[0] += t[0];
            simulated[1] += t[1];
            supported += e;
        }
        let mut within = true;
        if let Some(target) = extreme_target {
            if std::env::var_os("INCOMESIM_DEBUG_CALIBRATION").is_some() {
                eprintln!(
                    "extreme-poverty fit: supported {supported:.0} target {target:.0} share {:.4}",
                    gp.extreme_poverty_no_supporter_share
                );
            }
            let share = gp.extreme_poverty_no_supporter_share;
            if rel(supported, target.max(1.0)).abs() > CASELOAD_TOLERANCE && !(share >= 1.0 && supported < target) {
                within = false;
                gp.extreme_poverty_no_supporter_share = next_no_supporter_share(share, supported, target);
            }
        }
        for a in 0..2 {
            let (Some(target), Some(aim)) = (targets[a], aims[a]) else { continue };
            let e = rel(simulated[a], target);
            if std::env::var_os("INCOMESIM_DEBUG_CALIBRATION").is_some() {
                eprintln!(
                    "caseload fit area {a}: simulated {:.0} target {target:.0} take-up {:e}",
                    simulated[a], gp.areas[a].take_up
                );
            }
            if e.abs() > CASELOAD_TOLERANCE && !(gp.areas[a].take_up >= 1.0 && e < 0.0) && simulated[a] > 0.0 {
                within = false;
                aims[a] = Some(aim * target / simulated[a]);
            }
        }
        if within {
            break;
        }
    }
    Ok(())
}

/// Projects the knot factors so the income level stays increasing in the latent rank
/// (at least 5% up from one knot to the next): a level that fell with the rank would
/// make the latent groups and the realised quintile groups drift apart.
fn keep_level_increasing(p: &mut AreaParams) {
    for k in 1..5 {
        let u0 = super::params::KNOTS[k - 1];
        let u1 = super::params::KNOTS[k];
        let base_step = p.level_sigma * (super::params::inverse_normal_cdf(u1) - super::params::inverse_normal_cdf(u0));
        let min = p.knot_log_factors[k - 1] - base_step + 0.05;
        if p.knot_log_factors[k] < min {
            p.knot_log_factors[k] = min;
        }
    }
}

fn rel(a: f64, b: f64) -> f64 {
    if b.abs() < 1e-9 { a - b } else { a / b - 1.0 }
}

pub(super) fn calibrate(profile: &Profile, seed: u64, options: &CalibrationOptions) -> Result<Generator> {
    if options.sample_households < 1000 {
        return Err(Error::InvalidRequest("the calibration sample needs at least 1,000 households".into()));
    }
    let blueprint = Blueprint::new(profile);
    let sizes = [profile.urban.household_size.value, profile.rural.household_size.value];
    let persons = [profile.resident_persons(Residence::Urban), profile.resident_persons(Residence::Rural)];
    let households = [persons[0] / sizes[0], persons[1] / sizes[1]];
    let urban_household_share = households[0] / (households[0] + households[1]);
    let mut gp = GeneratorParams {
        profile: profile.id.clone(),
        base_year: profile.base_year,
        seed,
        urban_household_share,
        areas: Residence::BOTH.map(|r| initial_area(profile, r, &age_density_in(profile, r))),
        extreme_poverty_no_supporter_share: NO_SUPPORTER_SHARE,
        urban_employee_wage: DEFAULT_URBAN_EMPLOYEE_WAGE,
        raking_lambda: Vec::new(),
        base_weight_total: households,
    };
    let extreme_target = profile.population.extreme_poverty_supported.as_ref().map(|e| e.value);
    let retirees_target = profile.population.employee_scheme_retirees.as_ref().map(|r| r.value);
    let n = options.sample_households;
    let total_persons = profile.population.resident_persons.value;
    let base = base_weights_for(households, urban_household_share, n);
    // The raking targets of the weight model.
    let mut targets: Vec<Option<f64>> =
        vec![Some(households[0]), Some(households[1]), Some(persons[0]), Some(persons[1])];
    for band in &profile.population.age_bands {
        match band.residence_shares(profile.population.urban_share.value) {
            Some(shares) => targets.extend([0, 1].map(|a| Some(shares[a] * persons[a]))),
            None => targets.push(Some(band.share.value * total_persons)),
        }
    }
    // Dibao recipients are matched by take-up, not by weights.
    targets.push(None);
    targets.push(None);
    let mut iterations = 0;
    // The worst error of each iteration.
    let mut errors: Vec<f64> = Vec::with_capacity(options.max_iterations);
    let depth_targets = Residence::BOTH.iter().any(|&r| profile.area(r).dibao_paid_share_of_threshold.is_some());
    for iter in 0..options.max_iterations {
        iterations = iter + 1;
        let rules = rules_for(profile, &gp)?;
        let everyone = if depth_targets { Some(rules_with_full_take_up(profile, &gp)?) } else { None };
        let Sample { mut pop, accounts, dibao_paid, dibao_full, dibao_full_persons } =
            sample(&gp, &blueprint, &rules, everyone.as_ref(), n);
        // Base weights, then the raking factor of the current weight model.
        let (base_weights, xs) = weigh(&mut pop, &blueprint, base, &gp.raking_lambda);
        let m = measure(profile, &pop, &accounts, &dibao_paid, &base_weights);

        // Errors and updates, area by area.
        let mut worst: f64 = 0.0;
        // The contribution lines follow the urban employees' mean wage.
        if let Some(wage) = urban_employee_wage(&pop) {
            worst = worst.max(rel(wage, gp.urban_employee_wage).abs() * 0.1);
            gp.urban_employee_wage = wage;
        }
        for r in Residence::BOTH {
            let a = r.index();
            let t = profile.area(r);
            let p = &mut gp.areas[a];
            let x = &m[a];
            // Household size from base weights (raking then fine-tunes).
            let size_now = x.persons_base / x.households_base.max(1e-12);
            worst = worst.max(rel(size_now, sizes[a]).abs());
            p.size_lambda *= ((sizes[a] - 1.0) / (size_now - 1.0).max(0.01)).clamp(0.8, 1.25);
            // Parts.
            for (k, achieved, target) in [
                (WAGE, x.wage, t.wage.value),
                (OPERATING, x.operating, t.operating.value),
                (PROPERTY, x.property, t.property.value),
            ] {
                worst = worst.max((achieved - target).abs() / t.disposable.value);
                let ratio = if achieved > 0.0 { (target / achieved).clamp(0.5, 2.0) } else { 1.5 };
                for f in p.part_factors[k].iter_mut() {
                    *f *= ratio;
                }
            }
            worst = worst.max((x.net_transfer - t.net_transfer.value).abs() / t.disposable.value);
            let rules_net = x.net_transfer - x.private;
            let desired = t.net_transfer.value - rules_net;
            let ratio = if x.private > 0.0 { (desired / x.private).clamp(0.3, 2.0) } else { 1.5 };
            for f in p.part_factors[PRIVATE_TRANSFERS].iter_mut() {
                *f *= ratio;
            }
            p.pension_factor *= ratio;
            // Quintile groups and the size gradient.
            if let Some(q) = &t.quintile_means {
                let mut qerr: f64 = 0.0;
                for k in 0..5 {
                    qerr = qerr.max(rel(x.quintiles[k], q.value[k]).abs());
                    if x.quintiles[k] > 0.0 {
                        p.knot_log_factors[k] += (1.2 * (q.value[k] / x.quintiles[k]).ln()).clamp(-0.25, 0.25);
                    }
                }
                // The overall level is the part factors' job: keep the knots centred.
                let centre = p.knot_log_factors.iter().sum::<f64>() / 5.0;
                for f in p.knot_log_factors.iter_mut() {
                    *f -= centre;
                }
                worst = worst.max(qerr * 0.25);
                // The top group's distance from the fourth is the Pareto tail's job.
                let top = (x.quintiles[4] / x.quintiles[3]) / (q.value[4] / q.value[3]);
                if top.is_finite() && top > 0.0 {
                    p.tail_alpha = (p.tail_alpha * top.powi(2)).clamp(1.5, 12.0);
                }
                // The spread of the middle groups is the lognormal body's job.
                let spread = (q.value[3] / q.value[1]).ln() / (x.quintiles[3] / x.quintiles[1]).ln();
                if spread.is_finite() && spread > 0.0 {
                    p.level_sigma = (p.level_sigma * spread.clamp(0.95, 1.05)).clamp(0.15, 2.0);
                }
                keep_level_increasing(p);
                let implied: f64 = (0..5).map(|k| x.quintile_persons[k] * q.value[k]).sum::<f64>()
                    / x.quintile_persons.iter().sum::<f64>().max(1e-12);
                let e = rel(implied, t.disposable.value);
                worst = worst.max(e.abs());
                p.size_gradient = (p.size_gradient + 2.0 * e).clamp(-1.0, 3.0);
            }
            // Take-up against the caseload (and the priority of need against the
            // benefit's depth).
            if let Some(d) = &t.dibao_recipients {
                if x.dibao_persons > 0.0 {
                    let e = rel(x.dibao_persons, d.value);
                    worst = worst.max(e.abs() * 0.1);
                    // The depth counts until its parameters are at their bounds (then it
                    // is as near as the model's shape brings it).
                    let saturated = p.take_up_need_priority >= MAX_NEED_PRIORITY && p.workless_support_share <= 0.0;
                    if let Some(depth) = t.dibao_paid_share_of_threshold.as_ref().filter(|_| !saturated) {
                        worst = worst.max((dibao_depth(x) - depth.value).abs() * 0.25);
                    }
                    // Too few eligible even with (nearly) everyone taking the benefit up,
                    // or a benefit far shallower than published with the priority of
                    // need at its most: with a published depth, the workless households
                    // must be poorer than their rank's earnings (less support from
                    // relatives), so that the priority of need has poor enough
                    // households to choose from; then the administered means test must
                    // be making inclusion errors.
                    let too_shallow = t.dibao_paid_share_of_threshold.as_ref().is_some_and(|depth| {
                        p.take_up_need_priority >= MAX_NEED_PRIORITY && dibao_depth(x) < depth.value - DEPTH_TOLERANCE
                    });
                    let too_few = p.take_up >= 0.98 && e < -0.05;
                    if t.dibao_paid_share_of_threshold.is_none() {
                        if too_few {
                            p.assessment_error_sigma = (p.assessment_error_sigma + 0.1).min(2.0);
                        }
                    } else if iter >= WORKLESS_FROM_ITERATION && (p.take_up >= 0.98 || too_shallow) {
                        if p.workless_support_share > 0.0 {
                            p.workless_support_share = (p.workless_support_share - WORKLESS_SUPPORT_STEP).max(0.0);
                        } else if too_few {
                            p.assessment_error_sigma = (p.assessment_error_sigma + 0.1).min(2.0);
                        }
                    }
                    // Old members' own units against the published persons per recipient
                    // household.
                    if let Some(units) = &t.dibao_recipient_households
                        && x.dibao_households > 0.0
                    {
                        let ratio = (x.dibao_persons / x.dibao_households) / (d.value / units.value);
                        let (lo, hi) = OLD_MEMBER_UNIT_LINE_BOUNDS;
                        // At a bound the line is as near as the population's old members
                        // not in work bring it.
                        let at_bound = (p.old_member_unit_line >= hi && ratio > 1.0)
                            || (p.old_member_unit_line <= lo && ratio < 1.0);
                        if !at_bound {
                            worst = worst.max((ratio - 1.0).abs() * 0.1);
                        }
                        p.old_member_unit_line =
                            (p.old_member_unit_line * ratio.powf(OLD_MEMBER_UNIT_LINE_GAIN)).clamp(lo, hi);
                    }
                    let fitted = t.dibao_paid_share_of_threshold.as_ref().map(|depth| {
                        let eligible = eligible_households(profile, gp.seed, &pop, &dibao_full, &dibao_full_persons, r);
                        fit_rate_and_priority(&eligible, d.value, depth.value)
                    });
                    match fitted {
                        Some(Some((rate, k))) => {
                            p.take_up = rate.clamp(MIN_TAKE_UP, 1.0);
                            p.take_up_need_priority = k;
                        }
                        Some(None) => {
                            p.take_up = 1.0;
                            p.take_up_need_priority = 0.0;
                        }
                        None => p.take_up = (p.take_up * (d.value / x.dibao_persons).sqrt()).clamp(MIN_TAKE_UP, 1.0),
                    }
                } else {
                    p.take_up = (p.take_up * 2.0).min(1.0);
                }
            }
        }
        // The urban old's retiree share against the count of retirees: the count less
        // what the share does not set (retirees under 60, rural ones) is what the urban
        // old hold.
        if let Some(target) = retirees_target {
            let RetireeCounts { all, urban_old, urban_old_retired } = RetireeCounts::of(&pop);
            worst = worst.max(rel(all, target).abs() * 0.1);
            let p = &mut gp.areas[Residence::Urban.index()];
            if urban_old > 0.0 {
                let wanted = (urban_old_retired + target - all) / urban_old;
                let working = profile.shape(Residence::Urban).working_share_60_plus.value;
                p.retiree_share_60_plus = wanted.clamp(MIN_RETIREE_SHARE, (1.0 - working).max(MIN_RETIREE_SHARE));
            }
        }
        // The share without a supporter against the count of supported persons.
        if let Some(target) = extreme_target {
            let achieved = extreme_poverty_persons(&pop);
            // With every household without an able member counted as without a
            // supporter, the count is as near as the population brings it.
            if !(gp.extreme_poverty_no_supporter_share >= 1.0 && achieved < target) {
                worst = worst.max(rel(achieved, target.max(1.0)).abs() * 0.1);
            }
            gp.extreme_poverty_no_supporter_share =
                next_no_supporter_share(gp.extreme_poverty_no_supporter_share, achieved, target);
        }
        if std::env::var_os("INCOMESIM_DEBUG_CALIBRATION").is_some() {
            eprintln!(
                "iter {iter}: extreme-poverty supported {:.0}, no-supporter share {:.4}",
                extreme_poverty_persons(&pop),
                gp.extreme_poverty_no_supporter_share
            );
            for (a, (x, p)) in m.iter().zip(&gp.areas).enumerate() {
                eprintln!(
                    "iter {iter} area {a}: worst {worst:.4} size {:.3} wage {:.0} op {:.0} prop {:.0} net {:.0} private {:.0} q {:?} dibao {:.0} per unit {:.3} depth {:.3} | lambda {:.3} grad {:.3} knots {:?} take_up {:.3} sigma {:.3} need {:.2} workless {:.3} units line {:.2} pension {:.3}",
                    x.persons_base / x.households_base,
                    x.wage,
                    x.operating,
                    x.property,
                    x.net_transfer,
                    x.private,
                    x.quintiles.map(|v| v.round()),
                    x.dibao_persons,
                    x.dibao_persons / x.dibao_households.max(1e-12),
                    dibao_depth(x),
                    p.size_lambda,
                    p.size_gradient,
                    p.knot_log_factors.map(|v| (v * 1000.0).round() / 1000.0),
                    p.take_up,
                    p.assessment_error_sigma,
                    p.take_up_need_priority,
                    p.workless_support_share,
                    p.old_member_unit_line,
                    p.pension_factor
                );
            }
        }

        // Raking of the weight model on this sample.
        if iter >= 2 {
            gp.raking_lambda = weights::rake(&xs, &base_weights, &targets, 30);
        }
        errors.push(worst);
        if iter >= 4 && (worst < options.tolerance || settled(&errors, options.tolerance)) {
            break;
        }
    }
    if !errors.last().is_some_and(|e| e.is_finite()) {
        return Err(Error::Calibration { profile: profile.id.clone(), problem: "no finite fit".into() });
    }
    fit_take_up(profile, &mut gp, &blueprint, households, options)?;
    let rules = rules_for(profile, &gp)?;
    Ok(Generator { profile: profile.clone(), params: gp, blueprint, rules, iterations })
}
