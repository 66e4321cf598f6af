//! Yearly processes that move a population from year t−1 to year t.
//!
//! [`Dynamics::advance`] takes a chunk of households and, household by household and
//! in this order:
//!
//! 1. **Bookkeeping**: `DIBAO` → `DIBAO_LAST_YEAR`, `EXTREME_POVERTY_SUPPORT` →
//!    `EXTREME_POVERTY_LAST_YEAR`; `NEW_JOB_THIS_YEAR` cleared.
//! 2. **Mortality and ageing**: each person dies with the life-table probability of
//!    their age and sex ([`LifeTable`], scaled by `mortality_scale`); survivors age one
//!    year. A dead member leaves the household; an empty household disappears. Widows'
//!    pensions, inheritance and funeral grants are not modelled.
//! 3. **Births**: women aged 20–44 give birth with an age schedule whose level gives
//!    the year's crude birth rate; the baby joins the mother's household.
//! 4. **Retirement**: covered employees reaching the statutory age of their birth
//!    cohort (rising from 2025 by the 2024 decision, [`StatutoryRetirement`]) retire on
//!    a pension of a share of their wage (measured each year on the population at its
//!    start so that new retirees start at the mean pension, [`YearStart`]);
//!    those who passed their age without retiring (hired after it, or urbanised) retire
//!    at men's age, the latest.
//! 5. **Employment transitions**: a yearly Markov chain over activities (ages 16–59)
//!    whose destinations keep the profile's activity shares stationary; school entry at
//!    6, school leaving from 16 at the rate the generator's students by age imply (all
//!    by 25); exits from work after 60. Paid work is left after a drawn number of
//!    months, whose pay is kept for that year, and new work starts the month after;
//!    from outside paid work a new job starts in a drawn month, with a drawn wage.
//!    School leavers and returning migrants take up an activity as job leavers do.
//! 6. **Incomes**: wages grow with a persistent AR(1) and a transitory shock in logs;
//!    operating income grows with a shock (own-account work begun during the year
//!    from its full-year rate, as wages are); property income and remittances grow.
//!    Retiree pensions are *not* raised here: the yearly retiree adjustment is a lever
//!    (`policy::retiree`).
//! 7. **Migration** (residence rule, 常住): a rural working-age member leaving for six
//!    months or more is no longer a member; the household receives remittances.
//!    Returns bring a member back.
//! 8. **Urbanisation**: rural households with a member working off the farm
//!    ([`works_off_farm`]) become urban residents at the rate that moves the urban
//!    share of persons along its target path ([`Dynamics::advance_with`]).
//! 9. **Household formation**: adult children in paid work leave to form a household of
//!    their own, stored immediately after the parent with an id from [`split_id`].
//!
//! Every draw comes from a stream keyed by `(seed, household id, year,
//! Purpose::Dynamics)` and a sub-key naming the process and the member's place in
//! the household at that step, so the result for a household depends on nothing but
//! that household: not on chunks, threads, or other households (common random
//! numbers between a baseline and a reform). Processes are sequential within a chunk;
//! an engine runs chunks in parallel.
//!
//! Prices (CPI) are not applied to any income here; [`Dynamics::price_index`] gives
//! the index the engine puts in [`YearContext::price_index`].

mod cohorts;
mod life_table;
pub mod published;
mod rebuild;
mod retirement;
pub mod reweight;
mod step;

pub use cohorts::{CENSUS_YEAR, CohortSizes, DemographySeries, UNKNOWN_OLD_DECLINE};
pub use life_table::{LifeTable, MALE_BIRTH_SHARE, MAX_AGE};
pub use retirement::{RetirementGroup, RetirementHazards, RetirementRule, StatutoryRetirement};

use crate::model::{Employment, Population, Residence, Sex};
use crate::policy::{Dated, YearContext, YearMonth};
use crate::random::{Purpose, StreamKey, StreamRng, mix_sub, mix64};
use crate::region::Profile;
use rayon::prelude::*;

/// Published life expectancy at birth in 2020, years
/// (`data/published/lever_parameters.csv`, row `life_expectancy,China,2020`).
pub const LIFE_EXPECTANCY_2020: f64 = 77.93;
/// Published life expectancy at birth in 2015, years
/// (`data/published/lever_parameters.csv`, row `life_expectancy,China,2015`).
pub const LIFE_EXPECTANCY_2015: f64 = 76.34;

/// Relative fertility by single year of age 20..=44 (sums to 1): an assumed schedule
/// peaking at 26–30, the shape of Chinese age-specific fertility in recent censuses
/// (the census rates are not in `data/published`).
pub const FERTILITY_SHAPE: [f64; 25] = [
    0.020, 0.028, 0.036, 0.044, 0.052, 0.060, 0.066, 0.068, 0.068, 0.066, 0.062, 0.056, 0.050, 0.044, 0.038, 0.032,
    0.026, 0.021, 0.017, 0.013, 0.010, 0.008, 0.006, 0.004, 0.003,
];

/// Activities the employment chain moves people between. Retirement is absorbing
/// (step 4 moves people in), public-welfare posts belong to their lever, and school is
/// left at [`Dynamics::school_leaving_rate`], never re-entered.
pub const CHAIN_STATES: [Employment; 7] = [
    Employment::LocalEmployee,
    Employment::MigrantShortTerm,
    Employment::FarmerHerder,
    Employment::SelfEmployed,
    Employment::PublicSector,
    Employment::Unemployed,
    Employment::NotInLabourForce,
];

/// Relative earnings by education (primary, junior, senior, tertiary), as the
/// generator uses them (returns to schooling of about 6% a year).
const EDUCATION_EARNINGS: [f64; 4] = [1.0, 1.2, 1.45, 1.95];

// Sub-stream keys: process in the high bits, member place in the low 16 bits.
const SUB_MORTALITY: u64 = 1 << 16;
const SUB_BIRTH: u64 = 2 << 16;
const SUB_JOBS: u64 = 3 << 16;
const SUB_WAGES: u64 = 4 << 16;
const SUB_OPERATING: u64 = 5 << 16;
const SUB_MIGRATION: u64 = 6 << 16;
const SUB_RETURN: u64 = 7 << 16;
const SUB_URBAN: u64 = 8 << 16;
const SUB_LEAVE: u64 = 9 << 16;
const SUB_RETIRE: u64 = 10 << 16;

/// The id of a household formed in `year` by the member at place `member` of
/// household `parent`.
///
/// Bit 62 is set and the 62 bits below are a hash of `(parent, year, member)`: ids lie
/// in `2^62 .. 2^63`, above every generated id (`0..N`) and every calibration id
/// (`2^60 + k`), and depend only on the parent, the year and the member, never on
/// chunking. Two hashed ids collide with probability about `n²/2^63` for `n` new
/// households (below 10⁻⁶ for a billion).
pub fn split_id(parent: u64, year: u16, member: usize) -> u64 {
    let h = mix64(mix64(parent ^ 0x6a09_e667_f3bc_c908) ^ ((year as u64) << 32 | member as u64));
    FORMED_ID_BASE | (h & (FORMED_ID_BASE - 1))
}

/// The assumed yearly probabilities of leaving each activity of [`CHAIN_STATES`] (same
/// order): local employee 10%, short-term migrant 25%, farmer or herder 6%,
/// self-employed 12%, public sector 3%, unemployed 50%, not in the labour force 10% (no
/// published transition rates; stated among the assumptions of every projection and
/// scaled by the `job_exit_rate_scale` assumption).
pub const EXIT_RATES: [f64; 7] = [0.10, 0.25, 0.06, 0.12, 0.03, 0.50, 0.10];

/// The activities of [`CHAIN_STATES`] as the assumption texts name them (same order).
const CHAIN_STATE_NAMES: [&str; 7] = [
    "local employee",
    "short-term migrant",
    "farmer",
    "self-employed",
    "public sector",
    "unemployed",
    "not in the labour force",
];

/// The assumed yearly probability that a non-head member aged 22–35 in paid work leaves
/// home (the default of the `leave_home_rate` assumption; see the "leaving home"
/// assumption text).
pub const LEAVE_HOME_RATE: f64 = 0.10;

/// Assumed persistence of the AR(1) log wage shock (default of the `wage_rho`
/// assumption; see the "wage shocks" assumption text).
pub const WAGE_RHO: f64 = 0.9;
/// Assumed standard deviation of the yearly innovation of the persistent log wage
/// shock (default of the `wage_sigma_persistent` assumption).
pub const WAGE_SIGMA_PERSISTENT: f64 = 0.10;
/// Assumed standard deviation of the transitory log wage shock (default of the
/// `wage_sigma_transitory` assumption).
pub const WAGE_SIGMA_TRANSITORY: f64 = 0.10;
/// Assumed standard deviation of the yearly log shock to operating income (default of
/// the `operating_sigma` assumption; see the "operating and property income" text).
pub const OPERATING_SIGMA: f64 = 0.15;

/// The replacement rate of a residence whose base population gives none to measure
/// (no retirees, or nobody due to retire in the first projected year): assumed, about
/// the 2016 enterprise average pension over the average urban wage (see the
/// "replacement rate" assumption text).
pub const DEFAULT_REPLACEMENT_RATE: f64 = 0.5;

/// The highest measured replacement rate: a new pension is at most the final wage
/// (assumed; where the base population's retirees are paid more on average than those
/// due to retire earn, as in the rural populations of several profiles, new retirees
/// start at their own final wage).
pub const MAX_REPLACEMENT_RATE: f64 = 1.0;

/// The lowest id of a household formed during a projection ([`split_id`]): `2^62`.
pub const FORMED_ID_BASE: u64 = 1 << 62;

/// The yearly processes and their parameters. All rates are dated by year (the
/// value in force in January of the year is used).
#[derive(Debug, Clone, PartialEq)]
pub struct Dynamics {
    /// Base year of the population (the year whose prices have index 1).
    pub base_year: u16,
    /// Hazards of death at the level of 2020 (life expectancy 77.93).
    pub life_table: LifeTable,
    /// Multiplier of the 2020 hazards by year (0 turns mortality off).
    pub mortality_scale: Dated<f64>,
    /// Target crude birth rate, births per person per year.
    pub crude_birth_rate: Dated<f64>,
    /// Fertility-weighted women per person: Σ over women of
    /// `FERTILITY_SHAPE[age − 20]` divided by the number of persons. The yearly birth
    /// probability of a woman is `crude_birth_rate / fertile_weight ×
    /// FERTILITY_SHAPE[age − 20]`. See [`Dynamics::calibrate_fertility`].
    pub fertile_weight: f64,
    /// Yearly probability that a non-head member in `leave_home_ages` in paid work
    /// ([`Employment::is_working`]) leaves to form a household; members without
    /// earnings stay.
    pub leave_home_rate: Dated<f64>,
    /// Ages (inclusive) at which adult children leave home.
    pub leave_home_ages: (u8, u8),
    /// Statutory retirement ages by group and birth cohort.
    pub retirement: StatutoryRetirement,
    /// Share of the 2024 decision's delay of the retirement ages applied, by year (1 =
    /// the law, 0 = the 1978 ages).
    pub retirement_delay: Dated<f64>,
    /// How much of the baseline's alignment of wage and operating income is per earner
    /// rather than per person, by year: 0 (the default) aligns per-capita wage income
    /// to the wage growth assumption, 1 the mean wage of persons with a wage (and of
    /// operating income, of persons with some), so that a change in the share of
    /// persons who earn (ageing, the later retirement ages) moves per-capita income.
    pub alignment_per_earner: Dated<f64>,
    /// How much of the drift of the baseline's dibao caseload from its base-year share
    /// of residents is taken out, by year: 1 (the default) holds each residence's
    /// caseload share (persons in recipient households over resident persons) at the
    /// base year's, 0 lets it follow the incomes at the base year's take-up rate, a
    /// value between takes out that part of the difference. The engine meets it by
    /// adjusting the take-up of eligible households on the baseline's pilot
    /// ([`crate::policy::YearContext::dibao_take_up`], at most every eligible
    /// household), and every variant uses the baseline's adjustment.
    pub dibao_caseload_alignment: Dated<f64>,
    /// The caseload share the alignment holds, as a multiple of the base year's, by
    /// residence `[urban, rural]` and year (1, the default, holds the base year's; a
    /// published or planned path of caseloads sets it: the backtest's).
    pub dibao_caseload_share_multiple: [Dated<f64>; 2],
    /// The baseline's dibao thresholds (and so the extreme-poverty standard), each tier,
    /// at least the base year's times this multiple, by residence `[urban, rural]` and
    /// date after the base year, besides their indexation to the residence's mean
    /// income (1, the default, leaves the indexation alone; a published or planned path
    /// of thresholds sets it: the backtest's).
    pub dibao_threshold_multiple: [Dated<f64>; 2],
    /// The base rules' informal-wage line in the base year, yuan per year: an employee
    /// in a town whose full-year wage is below it (indexed as contributions index it,
    /// by the urban income index) pays no contributions and draws no employer pension
    /// at the statutory age ([`Employment::covered_by_employer_pension`]). The engine
    /// sets it from the calibrated population
    /// ([`crate::policy::registry::BaseCalibration::contribution_lines`]); 0 in
    /// [`Dynamics::none`] (every covered employee retires with a pension).
    pub informal_wage_below: f64,
    /// A new retiree's pension as a share of the final full-year wage, by residence
    /// `[urban, rural]`, where the year's own is not measured ([`YearStart`]):
    /// [`DEFAULT_REPLACEMENT_RATE`] until [`Dynamics::calibrate_replacement_on`]
    /// measures the first projected year's on the base population.
    pub replacement_rate: [f64; 2],
    /// Yearly probability of leaving each activity of [`CHAIN_STATES`] (same order).
    pub exit_rates: [f64; 7],
    /// Multiple of [`Self::exit_rates`] by year (1: the assumed rates; 0: nobody aged
    /// 16–59 changes activity but for leaving school; each rate is capped at 1). The
    /// destinations do not change with it, so the activity shares stay stationary.
    pub job_exit_rate_scale: Dated<f64>,
    /// Base-year shares of persons aged 16–59 in each activity of [`CHAIN_STATES`]
    /// among those not in school, by residence (urban, rural); the chain keeps these
    /// shares stationary.
    pub activity_shares: [[f64; 7]; 2],
    /// Yearly probability that a student aged 16–24 leaves school, by residence (all
    /// have left by [`crate::region::SCHOOL_LEAVING_AGE`]); a school leaver takes up an
    /// activity as a person leaving one does. The generator draws students by age with
    /// the same rule ([`crate::region::EmploymentShares::school_leaving_rate`]).
    pub school_leaving_rate: [f64; 2],
    /// Yearly probability that a person aged 60+ still working stops.
    pub old_age_exit_rate: f64,
    /// Mean full-year wage of a new local job in the base year, by residence.
    pub new_job_wage: [f64; 2],
    /// Mean full-year operating income of a new farmer or self-employed worker in the
    /// base year, by residence.
    pub new_business_income: [f64; 2],
    /// Standard deviation of the log wage of a new job.
    pub new_job_sigma: f64,
    /// Nominal wage growth of employees by year: urban, rural, migrant.
    pub wage_growth: [Dated<f64>; 3],
    /// Persistence ρ of the AR(1) log wage shock, by year (the `wage_rho`
    /// assumption; [`WAGE_RHO`] by default).
    pub wage_rho: Dated<f64>,
    /// Standard deviation of the yearly innovation of the persistent log wage shock,
    /// by year (the `wage_sigma_persistent` assumption; [`WAGE_SIGMA_PERSISTENT`]).
    pub wage_sigma_persistent: Dated<f64>,
    /// Standard deviation of the transitory log wage shock, by year (the
    /// `wage_sigma_transitory` assumption; [`WAGE_SIGMA_TRANSITORY`]).
    pub wage_sigma_transitory: Dated<f64>,
    /// Nominal growth of net operating income by year, `[urban, rural]`.
    pub operating_growth: [Dated<f64>; 2],
    /// Standard deviation of the yearly log shock to operating income, by year (the
    /// `operating_sigma` assumption; [`OPERATING_SIGMA`] by default).
    pub operating_sigma: Dated<f64>,
    /// Nominal growth of net property income by year, `[urban, rural]`.
    pub property_growth: [Dated<f64>; 2],
    /// Consumer price inflation by year.
    pub cpi_inflation: Dated<f64>,
    /// Yearly probability that an eligible rural member leaves for six months or more.
    pub migration_rate: Dated<f64>,
    /// Yearly probability that a rural household receiving remittances sees a member
    /// return.
    pub return_rate: Dated<f64>,
    /// Monthly income of outgoing migrant workers, yuan, by year (published years;
    /// later years grow with the migrant wage growth).
    pub migrant_monthly_wage: Vec<(u16, f64)>,
    /// Pay of a new short-term migrant job relative to a new local job of the same
    /// residence: outgoing over local migrant workers' monthly income in the last
    /// published year at or before the base year (for an earlier base year, the first
    /// published year: [`published::migrant_premium`]). A short-term migrant is away less than six months and stays a household
    /// member; the pay is the place's wage level times this premium, not the national
    /// outgoing pay, so that migrants drawn into jobs each year are paid as the
    /// profile's migrants are.
    pub migrant_premium: f64,
    /// Share of a migrant's wage sent home as remittances.
    pub remittance_share: f64,
    /// Target urban share of resident persons by year.
    pub urban_share: Dated<f64>,
    /// Share of the gap between the urban and the rural wage of a new local job in the
    /// year (each grown from the base year's by its residence's wage growth) that the
    /// local employees and public-sector workers of a household closes when it
    /// urbanises, by year: their wage is multiplied by `1 + c × (urban / rural − 1)`
    /// (1, the default: paid at the urban level for a job of their rank; 0: they keep
    /// their rural wage). Short-term migrants keep the migrant wage, and own-account
    /// income, pensions and property income stay as they were.
    pub urbanised_wage_catch_up: Dated<f64>,
    /// Share of rural persons living in a household with a member in non-farm work
    /// ([`works_off_farm`]): urbanisation moves only such households, at its rate over
    /// this share. 1 until [`Dynamics::calibrate_urbanisation_on`] measures it on a
    /// population; the engine measures it each year on the baseline's pilot and passes
    /// it to [`Dynamics::advance_with`].
    pub nonfarm_share: f64,
    /// Years whose population is re-weighted to given age shares after the dynamics
    /// ([`reweight`]; a scenario's `[[population_reweighting]]`), in year order, at
    /// most one per year; none by default.
    pub reweighting: Vec<reweight::Reweighting>,
    assumptions: Vec<(String, String)>,
}

/// Whether a person of this age and activity works off the farm: aged 16–59 and a
/// local employee, a short-term migrant, self-employed or in the public sector (not a
/// farmer or herder, and not on a public-welfare post, the rural jobs of a lever).
/// Rural households with such a member are the ones that urbanise.
#[inline]
pub fn works_off_farm(employment: Employment, age: u8) -> bool {
    (16..60).contains(&age)
        && matches!(
            employment,
            Employment::LocalEmployee
                | Employment::MigrantShortTerm
                | Employment::SelfEmployed
                | Employment::PublicSector
        )
}

/// The share of rural persons (weighted) living in a household with a member who
/// works off the farm ([`works_off_farm`]), over `blocks` in order; `None` without
/// rural persons.
pub fn nonfarm_share_of<'a>(blocks: impl IntoIterator<Item = &'a Population>) -> Option<f64> {
    let (mut rural, mut nonfarm) = (0.0f64, 0.0f64);
    for pop in blocks {
        for h in 0..pop.household_count() {
            if pop.households.residence[h] != Residence::Rural {
                continue;
            }
            let persons = pop.households.weight[h] as f64 * pop.households.size[h] as f64;
            rural += persons;
            if pop.members(h).any(|i| works_off_farm(pop.persons.employment[i], pop.persons.age[i])) {
                nonfarm += persons;
            }
        }
    }
    (rural > 0.0).then(|| nonfarm / rural)
}

/// Fertility-weighted women per person over `blocks` in order ([`Dynamics::fertile_weight`]):
/// Σ over women of the weight times `FERTILITY_SHAPE[age + 1 − 20]` (ages one year on,
/// when births are drawn), over the weighted number of persons; `None` without persons
/// or without women of those ages.
pub fn fertile_weight_of<'a>(blocks: impl IntoIterator<Item = &'a Population>) -> Option<f64> {
    let (mut women, mut persons) = (0.0f64, 0.0f64);
    for pop in blocks {
        for h in 0..pop.household_count() {
            let w = pop.households.weight[h] as f64;
            for i in pop.members(h) {
                persons += w;
                let a = pop.persons.age[i] as usize + 1;
                if pop.persons.sex[i] == Sex::Female && (20..=44).contains(&a) {
                    women += w * FERTILITY_SHAPE[a - 20];
                }
            }
        }
    }
    (persons > 0.0 && women > 0.0).then(|| women / persons)
}

/// Consumer price inflation after the last published year (assumed).
const ASSUMED_INFLATION: f64 = 0.02;

fn yearly(values: &[(u16, f64)], fallback: f64) -> Dated<f64> {
    let mut d = Dated::constant(values.first().map_or(fallback, |v| v.1));
    for &(y, v) in values {
        d.set_from(YearMonth::start_of(y), v);
    }
    d
}

fn at(d: &Dated<f64>, year: u16) -> f64 {
    *d.at(YearMonth::start_of(year))
}

/// Growth series from published levels, extended one year past the last published
/// year with the mean of the last three published rates (held after that).
fn growth_series(levels: &[(u16, f64)]) -> Dated<f64> {
    rate_series(&published::growth(levels))
}

/// Growth series from yearly rates, extended one year past the last with the mean of
/// the last three (held after that).
fn rate_series(g: &[(u16, f64)]) -> Dated<f64> {
    let tail: Vec<f64> = g.iter().rev().take(3).map(|v| v.1).collect();
    let mean = if tail.is_empty() { 0.0 } else { tail.iter().sum::<f64>() / tail.len() as f64 };
    let mut series = g.to_vec();
    if let Some(&(last, _)) = g.last() {
        series.push((last + 1, mean));
    }
    yearly(&series, mean)
}

impl Dynamics {
    /// Everything off: no deaths, births, moves, job changes or growth. Ageing still
    /// happens (everyone is a year older); turn processes on by setting parameters.
    pub fn none() -> Dynamics {
        let zero = Dated::constant(0.0);
        Dynamics {
            base_year: 0,
            life_table: LifeTable::assumed_shape(),
            mortality_scale: zero.clone(),
            crude_birth_rate: zero.clone(),
            fertile_weight: 0.0068,
            leave_home_rate: zero.clone(),
            leave_home_ages: (22, 35),
            retirement: StatutoryRetirement::CHINA_2024,
            retirement_delay: Dated::constant(1.0),
            alignment_per_earner: Dated::constant(0.0),
            dibao_caseload_alignment: Dated::constant(0.0),
            dibao_caseload_share_multiple: [Dated::constant(1.0), Dated::constant(1.0)],
            dibao_threshold_multiple: [Dated::constant(1.0), Dated::constant(1.0)],
            informal_wage_below: 0.0,
            replacement_rate: [0.0; 2],
            exit_rates: [0.0; 7],
            job_exit_rate_scale: Dated::constant(1.0),
            activity_shares: [[1.0 / 7.0; 7]; 2],
            school_leaving_rate: [0.0; 2],
            old_age_exit_rate: 0.0,
            new_job_wage: [0.0; 2],
            new_business_income: [0.0; 2],
            new_job_sigma: 0.0,
            wage_growth: [zero.clone(), zero.clone(), zero.clone()],
            wage_rho: Dated::constant(0.0),
            wage_sigma_persistent: Dated::constant(0.0),
            wage_sigma_transitory: Dated::constant(0.0),
            operating_growth: [zero.clone(), zero.clone()],
            operating_sigma: Dated::constant(0.0),
            property_growth: [zero.clone(), zero.clone()],
            cpi_inflation: zero.clone(),
            migration_rate: zero.clone(),
            return_rate: zero,
            migrant_monthly_wage: Vec::new(),
            migrant_premium: 1.0,
            remittance_share: 0.0,
            urban_share: Dated::constant(0.0),
            urbanised_wage_catch_up: Dated::constant(1.0),
            nonfarm_share: 1.0,
            reweighting: Vec::new(),
            assumptions: Vec::new(),
        }
    }

    /// The documented defaults for a profile: published series where
    /// `data/published` has them, stated assumptions elsewhere (listed by
    /// [`Dynamics::assumptions`]).
    pub fn from_profile(profile: &Profile) -> Dynamics {
        let mut d = Dynamics::none();
        let mut assume = |what: &str, why: &str| d.assumptions.push((what.to_string(), why.to_string()));
        let base = profile.base_year;

        // Mortality.
        let mortality = cohorts::PublishedMortality::new();
        let (s2020, yearly_change) = (mortality.table_scale_2020, mortality.yearly_change);
        let s2015 = s2020 * mortality.scale_2015;
        let mut scale = Dated::constant(mortality.scale_2015);
        for y in 2015..=2100u16 {
            scale.set_from(YearMonth::start_of(y), mortality.scale_in(y));
        }
        assume(
            "mortality by age and sex",
            &format!(
                "the 2000-census age-specific death rates are not in data/published, so the shape by age is an \
                 assumed Gompertz-Makeham hazard (LifeTable::assumed_shape) scaled proportionally to the published \
                 life expectancy 77.93 in 2020 [lever_parameters.csv: item=life_expectancy, year=2020]: scale \
                 {s2020:.4}; 76.34 in 2015 [lever_parameters.csv: item=life_expectancy, year=2015] needs scale \
                 {s2015:.4}, a decline of {:.2}% a year, continued after 2020",
                100.0 * (1.0 - yearly_change)
            ),
        );
        let life_table = mortality.table;

        // Births.
        let mut cbr: Vec<(u16, f64)> =
            published::demography("birth_rate_per_mille").into_iter().map(|(y, v)| (y, v / 1000.0)).collect();
        if let (Some(a), Some(b)) =
            (cbr.iter().find(|v| v.0 == 2019).map(|v| v.1), cbr.iter().find(|v| v.0 == 2021).map(|v| v.1))
        {
            cbr.push((2020, 0.5 * (a + b)));
            cbr.sort_by_key(|v| v.0);
        }
        let last_birth_rate = cbr.last().copied().unwrap_or((base, 0.0));
        assume(
            "crude birth rate",
            &format!(
                "published per year {}-{} [demography.csv: column=birth_rate_per_mille]; 2020 is missing and is the \
                 mean of 2019 and 2021; after {} the {} rate ({:.2} per mille) holds",
                cbr.first().map_or(base, |v| v.0),
                last_birth_rate.0,
                last_birth_rate.0,
                last_birth_rate.0,
                1000.0 * last_birth_rate.1
            ),
        );
        assume(
            "fertility schedule",
            "women aged 20-44 with an assumed age shape peaking at 26-30 (FERTILITY_SHAPE); its level each year \
             gives the crude birth rate on the population's own age structure at the start of the year (measured on \
             the baseline's pilot, fertile_weight_of; in summary.json's baseline_paths); \
             without calibration, 0.0068 fertility-weighted women per person (about 17% of persons are women \
             20-44) is assumed; at most one birth per woman a year; boys are 51.2% of births",
        );

        // Household formation.
        assume(
            "leaving home",
            &format!(
                "non-head members aged 22-35 in paid work (a wage, a farm or a business) leave to form a \
                 one-person household at {:.0}% a year (the `leave_home_rate` assumption), chosen so that mean \
                 household size falls about as between the censuses (3.10 in 2010, 2.62 in 2020: [local.csv: \
                 place=China, figure=household_size]; the national backtest from 2015 gives 2.62 in 2020); \
                 members without earnings stay, since a young adult without income who moves out lives on the \
                 family's support (letting them leave formed one-person households without income, which put the \
                 urban bottom fifth of the backtest 10% below its published mean in 2022, and its household size \
                 at 2.57 in 2020); the new household keeps the parent's weight, residence, tier and collective \
                 membership, and has no land, transfers or other flags",
                100.0 * LEAVE_HOME_RATE
            ),
        );

        // Retirement.
        assume(
            "retirement",
            "employees (local employees in urban households, public-sector staff anywhere) retire at the statutory \
             age: men 60, women workers 50, women cadres (public sector) 55 (State Council 国发〔1978〕104号), \
             rising from 2025 by birth cohort as the NPC Standing Committee decided on 2024-09-13 (men born from \
             1965 one month per four months of birth, to 63; women of 55 from 1970, to 58; women of 50 from \
             1975 one month per two, to 55; the decision's tables), with birth months taken as uniform over the \
             year (the model counts whole years), unless the `retirement_delay` assumption is set below 1; \
             flexible early or late retirement (弹性退休) is not modelled; rural local employees, migrant \
             workers and public-welfare post holders are not covered and keep working, and so do employees in \
             towns whose full-year wage is below the informal-wage line in force (rules.informal_wage_below, \
             indexed as contributions index it): their job pays no contributions, so they lack the 15 years a \
             monthly pension needs (社会保险法 art. 16; the model keeps no contribution history and reads it off \
             the job held when the age is reached; the generator retires the base year's urban women past their \
             age in such jobs by the same rule); covered employees who \
             passed their age without retiring (urban women drawn in a covered job after 50 or 55 in the base \
             year or hired after it, rural employees whose household became urban) retire at men's age, the \
             latest, so that no covered employee works past it, as the generator draws none; the generator \
             draws the base year's activities with the 1978 ages; covered employees in their delay past 60 \
             are not among the older workers who leave work each year; with the baseline's per-capita wage \
             income aligned to the assumed growth (the default), the delay moves income from pensions to the \
             wages of those working longer within the same per-capita wage income; with the alignment per \
             earner (`alignment_per_earner` = 1) their wages add to it",
        );
        assume(
            "replacement rate",
            "a new retiree's pension is the replacement rate of the residence times the final full-year wage; each \
             year's rate is measured on the population at the start of the year (the pilot's, for every block and \
             variant) so that the covered employees due to retire in it (weighted by their probability of \
             retiring) start at the mean pension of its retirees, but at most at their final wage \
             (Dynamics::replacement_rates_of; where a residence has no retirees or nobody due to retire in a \
             year, the first projected year's rate, or 50% when that year has none either, assumed: the \
             enterprise average pension of 2,362 yuan a month in 2016 is about half the average urban wage \
             then): the published enterprise average pension rose 40.1% from 2012 to 2016 (1,686 to \
             2,362 yuan a month) while the adjustments compounded to 41.8% (10% in 2013, 2014 and 2015, 6.5% in \
             2016) [pensions.csv: \
             kind=enterprise_retiree_average_pension|enterprise_retiree_pension_adjustment|retiree_pension_adjustment], \
             so those retiring then started close to the average (with a flat 50% of the final wage, 0.7 of the \
             mean pension in national-2015, urban per-capita net transfers fell 9-13% behind the published ones \
             from 2017)",
        );

        // Employment chain.
        let shares = |shape: &crate::region::AreaShape| {
            let pairs = shape.employment_16_59.value.pairs();
            let mut out = [0.0; 7];
            for (k, state) in CHAIN_STATES.iter().enumerate() {
                out[k] = pairs.iter().find(|(e, _)| e == state).map_or(0.0, |p| p.1);
            }
            let total: f64 = out.iter().sum();
            if total > 0.0 {
                out.iter_mut().for_each(|s| *s /= total);
            }
            out
        };
        let activity_shares = [shares(&profile.shape.urban), shares(&profile.shape.rural)];
        let school_leaving_rate = [&profile.shape.urban, &profile.shape.rural]
            .map(|shape| shape.employment_16_59.value.school_leaving_rate());
        assume(
            "employment transitions",
            &format!(
                "a yearly Markov chain for ages 16-59 with assumed exit rates ({}; all scaled by the \
                 `job_exit_rate_scale` assumption, 1 by default) and destinations in proportion to the base-year \
                 share times the exit rate, which keeps the profile's activity shares (shape.*.employment_16_59) \
                 stationary; transitions do not depend on education (no published rates), wages of new jobs do; \
                 people 60+ who work stop at 10% a year, the unemployed stop looking for work at 60; public-welfare \
                 posts are left to their lever; paid work is left after a uniformly drawn number of months (0-11, \
                 its pay of those months at its full-year rate grown by the year's growth is kept that year, none \
                 the next) and new work starts the month after; from school, unemployment or outside the labour \
                 force a new job starts in a uniformly drawn month; after a wage job the new wage job's rate \
                 alone is next year's (own-account work after own-account work: the year's income is next \
                 year's rate); own-account income \
                 of the months before a wage job stays as a sideline, as for a lever's hire (no published timing \
                 of job changes within the year)",
                CHAIN_STATE_NAMES
                    .iter()
                    .zip(EXIT_RATES)
                    .map(|(name, rate)| format!("{name} {:.0}%", 100.0 * rate))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        assume(
            "schooling",
            "children start school at 6 and are students until 16; from 16 students leave school at a yearly \
             rate set so that students make up the profile's student share of ages 16-59 (ages taken as spread \
             evenly over 16-59), and all have left by 25; school leavers take up an activity as people leaving \
             one do; the base population is drawn with the same rule (no published enrolment by age in \
             data/published)",
        );
        let age_share = profile
            .population
            .age_bands
            .iter()
            .find(|b| b.min_age == 16 && b.max_age == 59)
            .map_or(0.62, |b| b.share.value);
        let area = [&profile.urban, &profile.rural];
        let mut new_job_wage = [0.0; 2];
        let mut new_business_income = [0.0; 2];
        for r in 0..2 {
            let s = &activity_shares[r];
            let earners = age_share * (s[0] + s[1] + s[4]);
            let own_account = age_share * (s[2] + s[3]);
            new_job_wage[r] = if earners > 0.0 { 0.85 * area[r].wage.value / earners } else { 0.0 };
            new_business_income[r] = if own_account > 0.0 { 0.85 * area[r].operating.value / own_account } else { 0.0 };
        }
        assume(
            "wage of a new job",
            "the residence's per-capita wage income [profile urban/rural.wage] divided by the share of persons \
             earning a wage (16-59 share times the wage-earning activity shares), times 0.85 for an entrant, times \
             relative earnings by education (1, 1.2, 1.45, 1.95) over their mean 1.3, with a log-normal spread \
             of 0.4; a public-sector job pays 1.2 times; new own-account work earns the per-worker operating \
             income the same way; the level grows with the residence's wage growth; starts are spread uniformly \
             over the months",
        );

        // Incomes.
        let urban_wage_growth = published::part_growth("urban", "wage");
        let rural_wage_growth = published::part_growth("rural", "wage");
        let urban_wage = rate_series(&urban_wage_growth.rates);
        let rural_wage = rate_series(&rural_wage_growth.rates);
        let migrant_levels = published::migrant_workers("avg_monthly_income_yuan");
        let migrant_wage = growth_series(&migrant_levels);
        let operating_growth = ["urban", "rural"].map(|g| published::part_growth(g, "operating"));
        let property_growth = ["urban", "rural"].map(|g| published::part_growth(g, "property"));
        let operating = operating_growth.each_ref().map(|g| rate_series(&g.rates));
        let property = property_growth.each_ref().map(|g| rate_series(&g.rates));
        let span = |g: &[(u16, f64)]| match (g.first(), g.last()) {
            (Some(a), Some(b)) => format!("{}-{}", a.0, b.0),
            _ => "none".to_string(),
        };
        let derived = |g: &published::PartGrowth| match (g.derived.first(), g.derived.last()) {
            (Some(a), Some(b)) if a == b => format!("{a}"),
            (Some(a), Some(b)) => format!("{a}-{b}"),
            _ => String::new(),
        };
        let derived_years = derived(&urban_wage_growth);
        assume(
            "wage growth",
            &format!(
                "urban and rural employees' wages grow with per-capita wage income of urban and rural residents \
                 [national_income.csv: group=urban|rural, column=wage] year on year {}{}, migrant wages with the \
                 average monthly income of migrant workers [migrant_workers.csv: column=avg_monthly_income_yuan] \
                 {}; after the last published year the mean of the last three rates holds; per-capita wage income \
                 also moves with employment, so this is an approximation of the wage rate",
                span(&urban_wage_growth.rates),
                if derived_years.is_empty() {
                    String::new()
                } else {
                    format!(
                        " ({derived_years} derived: the urban and rural parts are not yet in our copy, so the \
                         national growth of wage income times the group's growth of disposable income over the \
                         nation's [national_income.csv: column=wage|disposable]; within 0.7 point of the published \
                         rate for urban wages and 3.2 points for rural ones, 0.9 on average, in 2016-2023)"
                    )
                },
                span(&published::growth(&migrant_levels)),
            ),
        );
        assume(
            "wage shocks",
            &format!(
                "log wage = level + persistent AR(1) shock (rho {WAGE_RHO}, innovation s.d. {WAGE_SIGMA_PERSISTENT:.2}: \
                 the `wage_rho` and `wage_sigma_persistent` assumptions) + transitory shock (s.d. \
                 {WAGE_SIGMA_TRANSITORY:.2}, `wage_sigma_transitory`), mean-one in levels; no published panel \
                 estimates for China in data/published, values typical of earnings-dynamics studies; \
                 public-welfare post pay is set by its lever and not shocked"
            ),
        );
        let parts_derived = derived(&operating_growth[0]);
        assume(
            "operating and property income",
            &format!(
                "urban and rural net operating and net property income grow with the per-capita part of urban and \
                 rural residents [national_income.csv: group=urban|rural, column=operating|property] year on year \
                 {}{}, then the mean of the last three rates (the national part would add the shift of people \
                 from rural to urban areas: in 2016-2023 national property income grew 1.0-1.3 points a year \
                 faster than urban property income and up to 4.5 points slower than rural); operating income gets a mean-one log \
                 shock of s.d. {OPERATING_SIGMA:.2} (assumed, the `operating_sigma` assumption); own-account work begun during a year (farming, self-employment) grows \
                 from its full-year rate the next year, as a wage of part of a year does; retiree pensions are not raised here (the retiree adjustment is a \
                 lever); other private transfers (gifts, support from relatives) grow with the wage growth of the \
                 household's residence (assumed: no published series of private transfers), and so do a household's \
                 rigid (medical, schooling) expenses, which the low-income edge test and temporary assistance \
                 deduct (assumed: such costs rise with incomes; fixed in yuan they would shrink beside the incomes \
                 and thresholds they are set against)",
                span(&operating_growth[0].rates),
                if parts_derived.is_empty() {
                    String::new()
                } else {
                    format!(
                        " ({parts_derived} derived as for wages: the national growth of the part times the \
                         group's growth of disposable income over the nation's; in 2016-2023 within 0.5 point of \
                         the published rate for urban property income, 2.4 for rural, 4.2 and 4.4 for urban and \
                         rural operating income, about as close as the national rate, 3.8 and 4.4)"
                    )
                }
            ),
        );
        let cpi = published::consumer_price_inflation();
        let last_cpi_year = cpi.last().map_or(base, |v| v.0);
        let mut cpi_inflation = yearly(&cpi, ASSUMED_INFLATION);
        cpi_inflation.set_from(YearMonth::start_of(last_cpi_year.saturating_add(1)), ASSUMED_INFLATION);
        assume(
            "prices",
            &format!(
                "consumer prices change by the published yearly CPI {}-{last_cpi_year} [prices.csv: \
                 column=cpi_change_pct]; after {last_cpi_year} they rise 2% a year (assumed: close to the 2015-2022 \
                 average of 1.9%; the 2023-2025 rates were 0.2, 0.2 and 0)",
                cpi.first().map_or(base, |v| v.0)
            ),
        );

        // Migration.
        let outgoing = published::migrant_workers("outgoing_monthly_income_yuan");
        let (premium_year, migrant_premium) = published::migrant_premium(base);
        assume(
            "migration",
            "rural members aged 16-50 able to work (not students, retired or in public jobs) in households of two \
             or more leave for six months or more at 2% a year and stop being members; a household receiving \
             remittances sees a member return at 7% a year (a returner aged 25-50, 65% men, junior secondary, \
             taking up an activity as a job leaver does, so that returns keep the activity shares); the two rates roughly balance, as the published number of outgoing migrants \
             changes little (171.72 million in 2021, 178.71 in 2024, +1.3% a year [migrant_workers.csv: \
             column=outgoing_10k]); each migrant \
             sends home 30% of the outgoing migrant wage [migrant_workers.csv: column=outgoing_monthly_income_yuan]; \
             remittances grow with migrant wages",
        );
        assume(
            "short-term migrant pay",
            &format!(
                "a new short-term migrant job (away less than six months, a household member) pays the residence's \
                 new-job wage level times {migrant_premium:.3}, outgoing over local migrant workers' monthly income \
                 in {premium_year} [migrant_workers.csv: column=outgoing_monthly_income_yuan|local_monthly_income_yuan], \
                 and grows with migrant workers' average monthly income [migrant_workers.csv: \
                 column=avg_monthly_income_yuan]; the published outgoing pay itself (5,240 yuan a month in 2022) is \
                 for migrants away most of the year, who are not residents here, and paid to every new short-term \
                 migrant it outran the places' wages: in Liupanshui's baseline the short-term migrants' mean wage \
                 doubled from 2021 to 2024 before the alignment, which then cut every rural wage by 7-11% a year"
            ),
        );

        // Urbanisation.
        let path: Vec<(u16, f64)> =
            published::demography("urbanization_pct").into_iter().map(|(y, v)| (y, v / 100.0)).collect();
        let nat_at = |y: u16| -> f64 {
            let last = path.last().copied().unwrap_or((y, 0.0));
            let step = if path.len() >= 2 { last.1 - path[path.len() - 2].1 } else { 0.0 };
            match path.iter().find(|v| v.0 == y) {
                Some(v) => v.1,
                None if y > last.0 => last.1 + step * (y - last.0) as f64,
                None => path.first().map_or(0.0, |v| v.1),
            }
        };
        let own = profile.population.urban_share.value;
        let mut urban = Dated::constant(own);
        for y in base..=base.saturating_add(60) {
            let target = (own + nat_at(y) - nat_at(base)).clamp(0.0, 0.98);
            urban.set_from(YearMonth::start_of(y), target);
        }
        let wage_ratio = if new_job_wage[1] > 0.0 { new_job_wage[0] / new_job_wage[1] } else { 1.0 };
        let last_step = match path.as_slice() {
            [.., a, b] => format!("{:.2} point, {}-{}", 100.0 * (b.1 - a.1), a.0, b.0),
            _ => "none".to_string(),
        };
        assume(
            "urbanisation",
            &format!(
                "the urban share of persons moves from the profile's base-year share by the national change \
                 [demography.csv: column=urbanization_pct] for the years published, then by the last published \
                 yearly change ({last_step}), capped at 98%; whole rural households with a member aged 16-59 \
                 working off the farm (a local employee, short-term migrant, self-employed or in the public \
                 sector) switch to urban residence with probability (target_t - target_t-1) / (1 - target_t-1) \
                 over the share of rural persons living in such households at the start of the year (measured on \
                 the baseline's pilot); their local employees and public-sector workers are then paid at the \
                 urban level for the same rank as far as `urbanised_wage_catch_up` says (1 by default: the wage \
                 times the urban over the rural wage of a new job in the year: {wage_ratio:.2} in the base year, \
                 then as urban and rural wages grow), and everything else \
                 (own-account income, migrants' wages, pensions, property) stays; households without off-farm \
                 work stay rural (assumed: people become urban residents by moving to towns for off-farm work or \
                 as their villages become towns, and no published figure says which households nor what they \
                 earn after; in the 2015-2022 backtest of 2026-12-05 the choice of households moved the urban \
                 bottom fifth of 2022 from 17% to 13% below its published mean and the rural one from 17% to \
                 12% above; with the caseload alignment of the same day the urban one was 17% below, and the \
                 urban pay 10% below: the urbanised households' per-capita income went from 22,556 yuan, 44% of \
                 the longer-standing urban residents', to 30,055, 58%, in 2022)"
            ),
        );
        assume(
            "dibao caseload",
            "each year the baseline's dibao take-up rate of newly eligible households (last year's recipients \
             stay in while eligible; when the share must fall faster than they leave, those entitled to least \
             leave first) is set, on the baseline's pilot, so that each residence's caseload share \
             (persons in recipient households over residents) stays at the base year's (the calibrated one) \
             times `dibao_caseload_share_multiple_*` (1 by default), as far as `dibao_caseload_alignment` \
             asks (1 by default; 0 keeps the base year's rate and lets the caseload follow incomes); every \
             variant takes the baseline's rates, so a reform's changes to thresholds, incomes or take-up move \
             its caseload (assumed: caseloads are set by administration as much as by incomes: the national \
             urban caseload share fell from 2.21% to 0.74% of urban residents from 2015 to 2022 while the \
             thresholds rose faster than incomes [dibao_national.csv, demography.csv]; without the alignment \
             the model's lower tail moves too many below the line: the Liupanshui baseline's urban caseload \
             went from 12,701 to 30,687 persons from 2021 to 2024, 2.4 times, in the run of 2026-12-05)",
        );
        assume(
            "dibao thresholds",
            "the baseline's dibao thresholds (each tier, and the extreme-poverty standard, a multiple of them) are \
             at least the base year's times the residence's income index (mean per-capita disposable income over \
             the base year's: 低保标准自然增长机制, Bayannur plan §(二十); the national thresholds rose faster than \
             incomes, urban 451.1 to 752.0 yuan a month from the end of 2015 to the end of 2022 \
             [dibao_national.csv]) and at least the base year's times `dibao_threshold_multiple_*` after the base \
             year (1 by default: the indexation alone; a published or planned path sets it); a reform's dibao \
             states its own thresholds",
        );
        assume(
            "extreme-poverty caseload",
            "the baseline's extreme-poverty support (特困) is held the same way, by the same \
             `dibao_caseload_alignment`: each year the take-up of newly qualifying households (1 in the base \
             year, an assumption) is set so that the persons supported stay at the base year's share of residents \
             (no multiple; the calibrated count, population.extreme_poverty_supported); last year's recipients \
             stay in while they qualify (assumed: the supported are registered by administration, and the \
             national count was about flat, 4.78 million in March 2019 [lever_parameters.csv]; without the \
             alignment the model's households age into having no able member and the standard, 1.3 times a \
             threshold that rises with incomes, outgrows their incomes: in the 2015-2025 backtest of 2026-12-05 \
             the supported went from 4.9 to 16.8 million persons by 2022, and in the Liupanshui baseline from \
             9,143 to 15,100 from 2021 to 2024)",
        );

        Dynamics {
            base_year: base,
            life_table,
            mortality_scale: scale,
            crude_birth_rate: yearly(&cbr, 0.0),
            fertile_weight: 0.0068,
            leave_home_rate: Dated::constant(LEAVE_HOME_RATE),
            leave_home_ages: (22, 35),
            retirement: StatutoryRetirement::CHINA_2024,
            retirement_delay: Dated::constant(1.0),
            alignment_per_earner: Dated::constant(0.0),
            dibao_caseload_alignment: Dated::constant(1.0),
            dibao_caseload_share_multiple: [Dated::constant(1.0), Dated::constant(1.0)],
            dibao_threshold_multiple: [Dated::constant(1.0), Dated::constant(1.0)],
            informal_wage_below: crate::policy::registry::BaseCalibration::NONE.contribution_lines().informal_below,
            replacement_rate: [DEFAULT_REPLACEMENT_RATE; 2],
            exit_rates: EXIT_RATES,
            job_exit_rate_scale: Dated::constant(1.0),
            activity_shares,
            school_leaving_rate,
            old_age_exit_rate: 0.10,
            new_job_wage,
            new_business_income,
            new_job_sigma: 0.4,
            wage_growth: [urban_wage, rural_wage, migrant_wage],
            wage_rho: Dated::constant(WAGE_RHO),
            wage_sigma_persistent: Dated::constant(WAGE_SIGMA_PERSISTENT),
            wage_sigma_transitory: Dated::constant(WAGE_SIGMA_TRANSITORY),
            operating_growth: operating,
            operating_sigma: Dated::constant(OPERATING_SIGMA),
            property_growth: property,
            cpi_inflation,
            migration_rate: Dated::constant(0.02),
            return_rate: Dated::constant(0.07),
            migrant_monthly_wage: outgoing,
            migrant_premium,
            remittance_share: 0.3,
            urban_share: urban,
            urbanised_wage_catch_up: Dated::constant(1.0),
            nonfarm_share: 1.0,
            reweighting: Vec::new(),
            assumptions: d.assumptions,
        }
    }

    /// Every assumption behind the defaults, as `(what, why)` pairs, for reports.
    pub fn assumptions() -> Vec<(String, String)> {
        match Profile::builtin("national-2022") {
            Ok(p) => Dynamics::from_profile(&p).assumptions,
            Err(_) => Vec::new(),
        }
    }

    /// The assumptions of these parameters (empty for [`Dynamics::none`]).
    pub fn stated_assumptions(&self) -> &[(String, String)] {
        &self.assumptions
    }

    /// Sets [`Dynamics::fertile_weight`] from a population's age structure, so that
    /// the crude birth rate is met on it: Σ over women of the weight times
    /// `FERTILITY_SHAPE[age + 1 − 20]` (ages one year on, when births are drawn),
    /// over the weighted number of persons. Call it once on the whole base
    /// population (or a fixed sample), never per chunk.
    pub fn calibrate_fertility(&mut self, pop: &Population) {
        self.calibrate_fertility_on(std::slice::from_ref(pop));
    }

    /// The [`YearStart`] of [`Dynamics::advance`]: [`Dynamics::nonfarm_share`],
    /// [`Dynamics::replacement_rate`] and [`Dynamics::fertile_weight`] as they stand,
    /// whatever the population.
    pub fn fixed_year_start(&self) -> YearStart {
        YearStart {
            nonfarm_share: self.nonfarm_share,
            replacement_rate: self.replacement_rate,
            fertile_weight: self.fertile_weight,
        }
    }

    /// What the year of `ctx` takes from the whole population at its start, measured
    /// on it (blocks in order): [`nonfarm_share_of`] it, [`Dynamics::replacement_rates_of`]
    /// it (with the informal-wage line of `ctx`) and [`fertile_weight_of`] it, each
    /// falling back to [`Dynamics::fixed_year_start`]'s where it cannot be measured.
    pub fn year_start_of(&self, blocks: &[&Population], ctx: &YearContext) -> YearStart {
        let fixed = self.fixed_year_start();
        let line = self.informal_wage_line(ctx);
        let measured = self.replacement_rates_of(blocks.par_iter().copied(), ctx.year, line);
        YearStart {
            nonfarm_share: nonfarm_share_of(blocks.iter().copied()).unwrap_or(fixed.nonfarm_share),
            replacement_rate: std::array::from_fn(|r| measured[r].unwrap_or(fixed.replacement_rate[r])),
            fertile_weight: fertile_weight_of(blocks.iter().copied()).unwrap_or(fixed.fertile_weight),
        }
    }

    /// Sets [`Dynamics::replacement_rate`] of each residence from the base population,
    /// cut into blocks (in block order): the weighted mean pension of its retirees over
    /// the weighted mean full-year wage of the covered employees due to retire in the
    /// first projected year (paid at least [`Dynamics::informal_wage_below`]:
    /// [`Employment::covered_by_employer_pension`]), each weighted by their probability
    /// of retiring then, so that they start at the mean pension, at most
    /// [`MAX_REPLACEMENT_RATE`]. A residence without retirees or without anyone due to
    /// retire keeps its rate. Call it once on the whole base population (or a fixed
    /// sample), never per chunk, after setting [`Dynamics::informal_wage_below`].
    pub fn calibrate_replacement_on(&mut self, blocks: &[Population]) {
        let line = self.informal_wage_below;
        let measured = self.replacement_rates_of(blocks, self.base_year.saturating_add(1), line);
        for (rate, m) in self.replacement_rate.iter_mut().zip(measured) {
            if let Some(m) = m {
                *rate = m;
            }
        }
    }

    /// The replacement rate of each residence `[urban, rural]` that starts the covered
    /// employees due to retire in `year` (paid at least `informal_wage_line`, the line
    /// in force in `year`: [`Employment::covered_by_employer_pension`]) at the mean
    /// pension of the retirees, both as the blocks stand at the start of `year` (in
    /// block order), at most
    /// [`MAX_REPLACEMENT_RATE`]; `None` for a residence without retirees or without
    /// anyone due to retire.
    pub fn replacement_rates_of<'a, B>(&self, blocks: B, year: u16, informal_wage_line: f64) -> [Option<f64>; 2]
    where
        B: IntoParallelIterator<Item = &'a Population>,
        B::Iter: IndexedParallelIterator,
    {
        let hazards = self.retirement.hazards(year, at(&self.retirement_delay, year));
        // Each block's sums in parallel, added in block order: the same result whatever
        // the threads.
        let sums: Vec<RetirementSums> =
            blocks.into_par_iter().map(|pop| retirement_sums(pop, &hazards, informal_wage_line)).collect();
        let total = sums.iter().fold(RetirementSums::default(), |mut total, block| {
            total.add(block);
            total
        });
        std::array::from_fn(|r| {
            let ([np, sp], [nw, sw]) = (total.pensions[r], total.wages[r]);
            (np > 0.0 && nw > 0.0 && sw > 0.0).then(|| ((sp / np) / (sw / nw)).min(MAX_REPLACEMENT_RATE))
        })
    }

    /// Measures [`Dynamics::nonfarm_share`] on a population cut into blocks (in block
    /// order), for [`Dynamics::advance`]; unchanged without rural persons.
    pub fn calibrate_urbanisation_on(&mut self, blocks: &[Population]) {
        if let Some(share) = nonfarm_share_of(blocks.iter()) {
            self.nonfarm_share = share;
        }
    }

    /// [`Dynamics::calibrate_fertility`] on a population cut into blocks, in block
    /// order: the same sums, bit for bit, as on the blocks appended into one, without
    /// the copy.
    pub fn calibrate_fertility_on(&mut self, blocks: &[Population]) {
        if let Some(weight) = fertile_weight_of(blocks) {
            self.fertile_weight = weight;
        }
    }

    /// Assumed growth in `year` of per-capita wage, operating and property income by
    /// residence `[urban, rural][wage, operating, property]`: the targets the engine
    /// aligns the baseline to.
    pub fn part_growth(&self, year: u16) -> [[f64; 3]; 2] {
        std::array::from_fn(|r| {
            [at(&self.wage_growth[r], year), at(&self.operating_growth[r], year), at(&self.property_growth[r], year)]
        })
    }

    /// Consumer price index of `year` relative to the base year (1 in the base year).
    pub fn price_index(&self, year: u16) -> f64 {
        let mut index = 1.0;
        for y in self.base_year.saturating_add(1)..=year {
            index *= 1.0 + at(&self.cpi_inflation, y);
        }
        if year < self.base_year {
            for y in year + 1..=self.base_year {
                index /= 1.0 + at(&self.cpi_inflation, y);
            }
        }
        index
    }

    /// Cumulative growth factor of a dated growth series from the base year to `year`.
    fn growth_index(&self, series: &Dated<f64>, year: u16) -> f64 {
        (self.base_year.saturating_add(1)..=year).map(|y| 1.0 + at(series, y)).product()
    }

    /// Monthly income of an outgoing migrant worker in `year`: the last published
    /// figure at or before `year`, grown with migrant wage growth since.
    pub fn migrant_monthly(&self, year: u16) -> f64 {
        let Some(&(y0, v0)) =
            self.migrant_monthly_wage.iter().rev().find(|v| v.0 <= year).or(self.migrant_monthly_wage.first())
        else {
            return 0.0;
        };
        let mut v = v0;
        for y in y0.saturating_add(1)..=year {
            v *= 1.0 + at(&self.wage_growth[2], y);
        }
        v
    }

    /// The mean full-year wage of a new local job in `year` by residence and education,
    /// as [`Dynamics`] pays one (the entry wage of the residence grown to `year`, times
    /// relative earnings by education; its spread has mean one), times the year's
    /// alignment factor of wages by residence (`wage_alignment`, 1 in the base year): the
    /// job a member who enters work takes in the participation measure
    /// ([`crate::indicators::incentives::enter_work`]).
    pub fn entry_wages(&self, year: u16, wage_alignment: [f64; 2]) -> crate::indicators::EntryWages {
        let per_year = [0, 1].map(|r| {
            let level = self.new_job_wage[r] * self.growth_index(&self.wage_growth[r], year) * wage_alignment[r];
            EDUCATION_EARNINGS.map(|e| level * e / 1.3)
        });
        crate::indicators::EntryWages { per_year }
    }

    /// The growth factor of pay rates since the base year in `year`, by residence
    /// ([`crate::policy::YearContext::wage_index`]): urban, the assumed growth of urban
    /// wages (the growth of urban per-capita wage income, by which employees' wages
    /// rise); rural, the growth of migrant workers' average monthly income, the
    /// published pay of rural labour in off-farm work, local as well as away (NBS
    /// migrant worker monitoring survey). Neither counts the year's alignment of
    /// per-capita incomes, which corrects the population's composition, not pay.
    pub fn wage_index(&self, year: u16) -> [f64; 2] {
        [self.growth_index(&self.wage_growth[0], year), self.growth_index(&self.wage_growth[2], year)]
    }

    /// The probability that a person of `sex` aged `age` at the start of `year` dies
    /// within it.
    pub fn death_probability(&self, sex: Sex, age: u8, year: u16) -> f64 {
        self.life_table.death_probability(sex, age, at(&self.mortality_scale, year))
    }

    fn year_values(&self, ctx: &YearContext, start: &YearStart) -> Year {
        let year = ctx.year;
        let nonfarm_share = start.nonfarm_share;
        let mut dest = [[0.0; 7]; 2];
        for (cdf, shares) in dest.iter_mut().zip(&self.activity_shares) {
            let mut acc = 0.0;
            for (k, c) in cdf.iter_mut().enumerate() {
                acc += shares[k] * self.exit_rates[k];
                *c = acc;
            }
            if acc > 0.0 {
                cdf.iter_mut().for_each(|c| *c /= acc);
            }
        }
        let prev = year.saturating_sub(1);
        let (s0, s1) = (at(&self.urban_share, prev), at(&self.urban_share, year));
        let mortality_scale = at(&self.mortality_scale, year);
        let wage_level = [
            self.new_job_wage[0] * self.growth_index(&self.wage_growth[0], year),
            self.new_job_wage[1] * self.growth_index(&self.wage_growth[1], year),
        ];
        let death_probability = [Sex::Male, Sex::Female]
            .map(|sex| std::array::from_fn(|age| self.life_table.death_probability(sex, age as u8, mortality_scale)));
        Year {
            replacement_rate: start.replacement_rate,
            mortality_scale,
            death_probability,
            birth_factor: if start.fertile_weight > 0.0 {
                at(&self.crude_birth_rate, year) / start.fertile_weight
            } else {
                0.0
            },
            leave_home: at(&self.leave_home_rate, year),
            exit_rates: {
                let scale = at(&self.job_exit_rate_scale, year);
                self.exit_rates.map(|rate| (rate * scale).min(1.0))
            },
            dest,
            wage_growth: [
                at(&self.wage_growth[0], year),
                at(&self.wage_growth[1], year),
                at(&self.wage_growth[2], year),
            ],
            wage_rho: at(&self.wage_rho, year),
            wage_sigma_persistent: at(&self.wage_sigma_persistent, year),
            wage_sigma_transitory: at(&self.wage_sigma_transitory, year),
            operating_sigma: at(&self.operating_sigma, year),
            wage_level,
            business_level: [
                self.new_business_income[0] * self.growth_index(&self.operating_growth[0], year),
                self.new_business_income[1] * self.growth_index(&self.operating_growth[1], year),
            ],
            migrant_annual: 12.0 * self.migrant_monthly(year),
            short_term_migrant_level: {
                let growth = self.growth_index(&self.wage_growth[2], year);
                [0, 1].map(|r| self.new_job_wage[r] * self.migrant_premium * growth)
            },
            operating_growth: [at(&self.operating_growth[0], year), at(&self.operating_growth[1], year)],
            property_growth: [at(&self.property_growth[0], year), at(&self.property_growth[1], year)],
            migration: at(&self.migration_rate, year),
            returns: at(&self.return_rate, year),
            urbanised_wage_factor: {
                // The year's entry wages: urban and rural wages grow at their own rates.
                let [urban, rural] = wage_level;
                let catch_up = at(&self.urbanised_wage_catch_up, year);
                if rural > 0.0 && urban > 0.0 { 1.0 + catch_up * (urban / rural - 1.0) } else { 1.0 }
            },
            urbanise: {
                let rate = if s1 > s0 && s0 < 1.0 { (s1 - s0) / (1.0 - s0) } else { 0.0 };
                // Without a household in non-farm work every rural household may go.
                if nonfarm_share > 0.0 { (rate / nonfarm_share).min(1.0) } else { rate }
            },
            urbanise_any: nonfarm_share <= 0.0,
            retirement: self.retirement.hazards(year, at(&self.retirement_delay, year)),
            informal_wage_line: self.informal_wage_line(ctx),
        }
    }

    /// The informal-wage line in force in the context's year, yuan per year:
    /// [`Dynamics::informal_wage_below`] times the urban income index, as the base
    /// rules' contributions index it
    /// ([`crate::policy::tax::SocialContributions::in_year`]).
    pub fn informal_wage_line(&self, ctx: &YearContext) -> f64 {
        crate::policy::base::informal_wage_line_in(self.informal_wage_below, ctx)
    }

    /// How much of the alignment of wage and operating income is per earner in `year`
    /// (0 per person, 1 per earner: the field of the same name).
    pub fn alignment_per_earner(&self, year: u16) -> f64 {
        at(&self.alignment_per_earner, year)
    }

    /// How much of the drift of the baseline's dibao caseload share is taken out in
    /// `year` (the field of the same name).
    pub fn dibao_caseload_alignment(&self, year: u16) -> f64 {
        at(&self.dibao_caseload_alignment, year)
    }

    /// The caseload share the alignment holds in `year` as a multiple of the base
    /// year's, `[urban, rural]` (the field of the same name).
    pub fn dibao_caseload_share_multiple(&self, year: u16) -> [f64; 2] {
        [0, 1].map(|r| at(&self.dibao_caseload_share_multiple[r], year))
    }

    /// The re-weighting of `year`'s population, if the scenario gives one
    /// ([`Dynamics::reweighting`]).
    pub fn reweighting_in(&self, year: u16) -> Option<&reweight::Reweighting> {
        self.reweighting.iter().find(|r| r.year == year)
    }

    /// Whether any year aligns per earner (`alignment_per_earner` other than 0 throughout).
    pub fn aligns_per_earner(&self) -> bool {
        self.alignment_per_earner != Dated::constant(0.0)
    }

    /// The probability that a covered employee of this sex, activity and age (reached
    /// in `year`) who has not retired retires in `year` ([`RetirementHazards`]).
    pub fn retirement_probability(&self, sex: Sex, employment: Employment, age: u8, year: u16) -> f64 {
        self.retirement.hazards(year, at(&self.retirement_delay, year)).get(sex, employment, age)
    }

    /// Moves the households of `pop` from year `ctx.year − 1` to `ctx.year`, in
    /// place: households keep their order, empty ones are dropped, households formed
    /// this year follow their parent. The result for each household depends only on
    /// the household, the parameters and `(ctx.seed, ctx.year)`.
    ///
    /// Households whose members stay the same are moved on in their columns; the
    /// columns are rebuilt (in one pass) only when some household's members changed.
    ///
    /// Urbanisation divides its rate by [`Dynamics::nonfarm_share`], new retirees get
    /// [`Dynamics::replacement_rate`] and births divide the crude birth rate by
    /// [`Dynamics::fertile_weight`] ([`Dynamics::fixed_year_start`]);
    /// [`Dynamics::advance_with`] takes them as measured on the whole population at the
    /// start of the year instead.
    pub fn advance(&self, ctx: &YearContext, pop: &mut Population) {
        self.advance_with(ctx, &self.fixed_year_start(), pop);
    }

    /// [`Dynamics::advance`] with what the year takes from the whole population at its
    /// start ([`Dynamics::year_start_of`] the whole population, not of the chunk: a
    /// chunk's results must not depend on its neighbours): the share of rural persons
    /// in households working off the farm, so that urbanisation moves its target share
    /// of rural persons, the replacement rates that start new retirees at the mean
    /// pension, and the fertile weight that meets the year's crude birth rate.
    pub fn advance_with(&self, ctx: &YearContext, start: &YearStart, pop: &mut Population) {
        let y = self.year_values(ctx, start);
        let mut scratch = step::Scratch::default();
        let mut rebuild = rebuild::Rebuild::default();
        for h in 0..pop.household_count() {
            let streams = Streams::new(ctx.seed, pop.household_id(h), ctx.year);
            self.step_household(&y, &streams, pop, h, &mut scratch, &mut rebuild);
        }
        if !rebuild.is_empty() {
            rebuild.apply(pop, ctx.year);
        }
    }
}

/// Member places whose mixed sub-stream numbers are tabulated (larger households,
/// which are rare, mix theirs on the fly).
const TABULATED_PLACES: usize = 32;

/// `mix_sub(process | place)` for every process `SUB_*` (by `process >> 16`) and
/// place below [`TABULATED_PLACES`], computed at compile time.
static SUB_MIX: [[u64; TABULATED_PLACES]; 11] = sub_mix_table();

const fn sub_mix_table() -> [[u64; TABULATED_PLACES]; 11] {
    let mut table = [[0u64; TABULATED_PLACES]; 11];
    let mut p = 0;
    while p < table.len() {
        let mut place = 0;
        while place < TABULATED_PLACES {
            table[p][place] = mix_sub((p as u64) << 16 | place as u64);
            place += 1;
        }
        p += 1;
    }
    table
}

/// The key of one household's dynamics streams this year, hashed once per household.
struct Streams {
    key: StreamKey,
}

impl Streams {
    fn new(seed: u64, id: u64, year: u16) -> Self {
        Streams { key: StreamKey::new(seed, id, year, Purpose::Dynamics) }
    }

    /// The stream of a process (`SUB_*`) for the member at `place`.
    #[inline]
    fn rng(&self, process: u64, place: usize) -> StreamRng {
        let p = (process >> 16) as usize;
        if process & 0xffff == 0 && p < SUB_MIX.len() && place < TABULATED_PLACES {
            self.key.sub_stream_mixed(SUB_MIX[p][place])
        } else {
            self.key.sub_stream(process | (place as u64 & 0xffff))
        }
    }
}

/// One block's weighted sums for [`Dynamics::replacement_rates_of`], by residence
/// `[urban, rural]`, each `[weight, weighted sum]`: of the retirees' pensions, and of
/// the final full-year wages of the covered employees due to retire (weighted also by
/// their probability of retiring).
#[derive(Debug, Clone, Copy, Default)]
struct RetirementSums {
    pensions: [[f64; 2]; 2],
    wages: [[f64; 2]; 2],
}

impl RetirementSums {
    /// Adds another block's sums to these.
    fn add(&mut self, other: &RetirementSums) {
        let pairs = self.pensions.iter_mut().chain(&mut self.wages).zip(other.pensions.iter().chain(&other.wages));
        for (mine, theirs) in pairs {
            mine[0] += theirs[0];
            mine[1] += theirs[1];
        }
    }
}

/// [`RetirementSums`] of one block at the start of the year whose hazards are given.
fn retirement_sums(pop: &Population, hazards: &RetirementHazards, informal_wage_line: f64) -> RetirementSums {
    let mut sums = RetirementSums::default();
    let ps = &pop.persons;
    for h in 0..pop.household_count() {
        let w = pop.households.weight[h] as f64;
        let residence = pop.households.residence[h];
        let r = residence.index();
        for i in pop.members(h) {
            let e = ps.employment[i];
            if e == Employment::Retired && ps.retiree_pension[i] > 0.0 {
                sums.pensions[r][0] += w;
                sums.pensions[r][1] += w * ps.retiree_pension[i] as f64;
            } else if e.retires_at_statutory_age(residence) && ps.wage[i] > 0.0 {
                let full_year = ps.full_year_wage(i);
                if !e.covered_by_employer_pension(residence, full_year, informal_wage_line) {
                    continue;
                }
                let age = ps.age[i].saturating_add(1).min(MAX_AGE as u8);
                let p = hazards.get(ps.sex[i], e, age).min(1.0);
                if p > 0.0 {
                    sums.wages[r][0] += w * p;
                    sums.wages[r][1] += w * p * full_year;
                }
            }
        }
    }
    sums
}

/// What the dynamics of a year take from the whole population at its start, so that
/// every chunk of it moves alike ([`Dynamics::advance_with`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearStart {
    /// Share of rural persons living in a household with a member working off the farm
    /// ([`nonfarm_share_of`]): urbanisation divides its rate by it.
    pub nonfarm_share: f64,
    /// A new retiree's pension as a share of the final full-year wage, by residence
    /// `[urban, rural]` ([`Dynamics::replacement_rates_of`]): new retirees start at the
    /// mean pension of the retirees at the start of the year.
    pub replacement_rate: [f64; 2],
    /// Fertility-weighted women per person at the start of the year
    /// ([`fertile_weight_of`]): the birth probabilities divide the year's crude birth
    /// rate by it, so that the rate is met on the year's own age structure.
    pub fertile_weight: f64,
}

/// The parameters of one year, evaluated once per chunk.
struct Year {
    /// [`YearStart::replacement_rate`] of this year, by residence.
    replacement_rate: [f64; 2],
    mortality_scale: f64,
    /// [`LifeTable::death_probability`] of this year by sex and age.
    death_probability: [[f64; MAX_AGE + 1]; 2],
    birth_factor: f64,
    leave_home: f64,
    /// [`Dynamics::exit_rates`] times this year's [`Dynamics::job_exit_rate_scale`],
    /// each at most 1.
    exit_rates: [f64; 7],
    /// Destination CDFs over [`CHAIN_STATES`] by residence.
    dest: [[f64; 7]; 2],
    wage_growth: [f64; 3],
    wage_rho: f64,
    wage_sigma_persistent: f64,
    wage_sigma_transitory: f64,
    operating_sigma: f64,
    wage_level: [f64; 2],
    business_level: [f64; 2],
    migrant_annual: f64,
    /// The full-year pay of a new short-term migrant job by residence, before the
    /// education factor and spread ([`Dynamics::migrant_premium`]).
    short_term_migrant_level: [f64; 2],
    operating_growth: [f64; 2],
    property_growth: [f64; 2],
    migration: f64,
    returns: f64,
    /// Probability that a rural household with a member working off the farm becomes
    /// urban (every rural household when `urbanise_any`).
    urbanise: f64,
    /// No rural person lives in a household working off the farm: every rural
    /// household urbanises at `urbanise`.
    urbanise_any: bool,
    /// What an urbanising household's local employees and public-sector workers'
    /// wages are multiplied by ([`Dynamics::urbanised_wage_catch_up`]).
    urbanised_wage_factor: f64,
    /// Retirement probabilities of covered employees by group and age.
    retirement: RetirementHazards,
    /// The informal-wage line in force ([`Dynamics::informal_wage_line`]):
    /// an employee in a town paid less draws no pension at the statutory age
    /// ([`Employment::covered_by_employer_pension`]).
    informal_wage_line: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HouseholdFlags, HouseholdRecord, PersonFlags, PersonRecord, Residence};

    fn household(members: &[PersonRecord]) -> Population {
        let mut pop = Population::empty(0);
        pop.push_household(&HouseholdRecord::default(), members);
        pop
    }

    /// A population of one urban household of these members.
    fn urban_household(members: &[PersonRecord]) -> Population {
        let mut pop = Population::empty(0);
        pop.push_household(&HouseholdRecord { residence: Residence::Urban, ..Default::default() }, members);
        pop
    }

    #[test]
    fn retain_and_insert_keep_ids_order_and_offsets() {
        let p = |age| PersonRecord { age, ..Default::default() };
        let mut pop = Population::empty(10);
        pop.push_household(&HouseholdRecord::default(), &[p(1), p(2)]);
        pop.push_household(&HouseholdRecord::default(), &[p(3)]);
        pop.push_household(&HouseholdRecord::default(), &[p(4), p(5)]);
        pop.insert_household_after(0, split_id(10, 2023, 1), &HouseholdRecord::default(), &[p(9)]);
        assert_eq!(pop.households.id.to_vec(), vec![10, split_id(10, 2023, 1), 11, 12]);
        assert_eq!(pop.persons.age, vec![1, 2, 9, 3, 4, 5]);
        assert!(pop.check_invariants().is_ok());
        pop.retain_persons(&[true, false, true, false, true, true]);
        assert_eq!(pop.households.id.to_vec(), vec![10, split_id(10, 2023, 1), 12]);
        assert_eq!(pop.persons.age, vec![1, 9, 4, 5]);
        assert_eq!(pop.households.first_person, vec![0, 1, 2]);
        assert!(pop.check_invariants().is_ok());
        pop.households.size[0] = 2;
        assert!(pop.check_invariants().is_err());
    }

    #[test]
    fn split_ids_are_above_generated_and_calibration_ids() {
        for parent in [0u64, 1, 1 << 60, (1 << 62) + 5] {
            for year in [2023u16, 2024] {
                let id = split_id(parent, year, 1);
                assert!((1 << 62..1 << 63).contains(&id));
                assert_ne!(id, split_id(parent, year, 2));
                assert_ne!(id, split_id(parent, year + 1, 1));
            }
        }
    }

    #[test]
    fn none_only_ages_and_keeps_money() {
        let worker = PersonRecord {
            age: 40,
            employment: Employment::LocalEmployee,
            wage: 50_000.0,
            months_in_job: 12,
            ..Default::default()
        };
        let mut pop = household(&[worker, PersonRecord { age: 10, ..Default::default() }]);
        let before = pop.clone();
        Dynamics::none().advance(&YearContext::base(2023, 1), &mut pop);
        assert_eq!(pop.person_count(), 2);
        assert_eq!(pop.persons.age, vec![41, 11]);
        assert_eq!(pop.persons.wage, before.persons.wage);
        assert!(pop.check_invariants().is_ok());
    }

    #[test]
    fn wages_grow_exactly_without_shocks_and_part_years_are_annualised() {
        let mut d = Dynamics::none();
        d.wage_growth[0] = Dated::constant(0.05);
        let a = PersonRecord {
            age: 30,
            employment: Employment::LocalEmployee,
            wage: 40_000.0,
            months_in_job: 12,
            ..Default::default()
        };
        let b = PersonRecord { wage: 20_000.0, months_in_job: 6, ..a };
        let mut pop = urban_household(&[a, b]);
        d.advance(&YearContext::base(2023, 1), &mut pop);
        assert_eq!(pop.persons.wage, vec![42_000.0, 42_000.0]);
        assert_eq!(pop.persons.months_in_job, vec![12, 12]);
    }

    #[test]
    fn private_transfers_and_rigid_expenses_grow_with_the_residences_wages() {
        let mut d = Dynamics::none();
        d.wage_growth = [Dated::constant(0.05), Dated::constant(0.10), Dated::constant(0.0)];
        let adult = PersonRecord { age: 40, ..Default::default() };
        let mut pop = Population::empty(0);
        for residence in [Residence::Urban, Residence::Rural] {
            let hh =
                HouseholdRecord { residence, other_transfers: 2_000.0, rigid_expenses: 3_000.0, ..Default::default() };
            pop.push_household(&hh, &[adult]);
        }
        d.advance(&YearContext::base(2023, 1), &mut pop);
        assert_eq!(pop.households.other_transfers, vec![2_100.0, 2_200.0]);
        assert_eq!(pop.households.rigid_expenses, vec![3_150.0, 3_300.0]);
    }

    #[test]
    fn the_job_exit_rate_scale_multiplies_every_exit_rate_up_to_one() {
        let mut d = Dynamics::none();
        d.exit_rates = EXIT_RATES;
        // Everyone who leaves an activity goes to "not in the labour force".
        d.activity_shares = every_leaver_to(Employment::NotInLabourForce);
        let workers = [employee(30, Sex::Male, 40_000.0); 6];
        let mut leavers = |scale: f64| {
            d.job_exit_rate_scale = Dated::constant(scale);
            let mut pop = urban_household(&workers);
            d.advance(&YearContext::base(2023, 1), &mut pop);
            pop.persons.employment.iter().filter(|&&e| e == Employment::NotInLabourForce).count()
        };
        assert_eq!(leavers(0.0), 0);
        assert_eq!(leavers(10.0), 6, "a rate of 10% times 10 is every employee");
    }

    #[test]
    fn own_account_income_of_part_years_is_annualised_and_sideline_income_is_not() {
        let mut d = Dynamics::none();
        d.operating_growth[0] = Dated::constant(0.05);
        let farmer = PersonRecord {
            age: 40,
            employment: Employment::FarmerHerder,
            operating: 10_000.0,
            months_in_job: 4,
            ..Default::default()
        };
        let self_employed =
            PersonRecord { employment: Employment::SelfEmployed, operating: 20_000.0, months_in_job: 12, ..farmer };
        // An employee hired in September with a sideline business: the months are the job's.
        let employee = PersonRecord {
            employment: Employment::LocalEmployee,
            wage: 10_000.0,
            operating: 2_000.0,
            months_in_job: 4,
            ..farmer
        };
        let mut pop = urban_household(&[farmer, self_employed, employee]);
        d.advance(&YearContext::base(2023, 1), &mut pop);
        assert_eq!(pop.persons.operating, vec![31_500.0, 21_000.0, 2_100.0]);
        assert_eq!(pop.persons.wage, vec![0.0, 0.0, 30_000.0]);
        assert_eq!(pop.persons.months_in_job, vec![12, 12, 12]);
    }

    /// Activity shares that send every leaver of the chain to `employment`.
    fn every_leaver_to(employment: Employment) -> [[f64; 7]; 2] {
        let k = CHAIN_STATES.iter().position(|&e| e == employment).expect("a chain state");
        let mut shares = [0.0; 7];
        shares[k] = 1.0;
        [shares; 2]
    }

    #[test]
    fn a_job_left_for_another_pays_its_months_and_the_new_work_starts_the_month_after() {
        let mut d = Dynamics::none();
        d.base_year = 2022;
        d.exit_rates = [1.0; 7];
        d.activity_shares = every_leaver_to(Employment::SelfEmployed);
        d.wage_growth[0] = Dated::constant(0.05);
        d.operating_growth[0] = Dated::constant(0.10);
        d.new_business_income = [12_000.0, 0.0];
        // An employee of 36,000 a year with a sideline of 1,200, in 300 households.
        let worker = PersonRecord { operating: 1_200.0, ..employee(30, Sex::Male, 36_000.0) };
        let mut pop = Population::empty(0);
        for _ in 0..300 {
            pop.push_household(&HouseholdRecord { residence: Residence::Urban, ..Default::default() }, &[worker]);
        }
        d.advance(&YearContext::base(2023, 1), &mut pop);
        let mut worked_seen = [false; 12];
        for i in 0..300 {
            assert_eq!(pop.persons.employment[i], Employment::SelfEmployed);
            let months = pop.persons.months_in_job[i];
            assert!((1..=12).contains(&months), "{months}");
            let worked = 12 - months as usize;
            worked_seen[worked] = true;
            // The job's months at its grown rate (36,000 × 1.05 / 12 = 3,150 a month), then
            // self-employment at 13,200 a year (12,000 × 1.10) from the month after.
            assert_eq!(pop.persons.wage[i], 3_150.0 * worked as f32, "person {i}");
            assert_eq!(pop.persons.operating[i], 1_100.0 * months as f32, "person {i}");
            assert!(pop.persons.flags[i].has(PersonFlags::NEW_JOB_THIS_YEAR));
        }
        assert!(worked_seen.iter().all(|&s| s), "every month of leaving is drawn: {worked_seen:?}");
        // Next year the wage has ended and the business runs all year at its rate.
        d.advance(&YearContext::base(2024, 1), &mut pop);
        assert!(pop.persons.wage.iter().all(|&w| w == 0.0));
        assert!(pop.persons.operating.iter().all(|&o| o == 14_520.0), "13,200 × 1.10");
        assert!(pop.persons.months_in_job.iter().all(|&m| m == 12));
        assert!(pop.check_invariants().is_ok());
    }

    #[test]
    fn after_a_wage_job_another_pays_both_this_year_and_its_own_rate_next_year() {
        let mut d = Dynamics::none();
        d.exit_rates = [1.0; 7];
        d.activity_shares = every_leaver_to(Employment::PublicSector);
        d.new_job_wage = [26_000.0, 0.0];
        let mut pop = Population::empty(0);
        for _ in 0..200 {
            let urban = HouseholdRecord { residence: Residence::Urban, ..Default::default() };
            pop.push_household(&urban, &[employee(30, Sex::Male, 36_000.0)]);
        }
        d.advance(&YearContext::base(2023, 1), &mut pop);
        // A public-sector job of a junior-secondary graduate: 26,000 × 1.2 × 1.2 / 1.3 a year.
        let rate = 26_000.0 * 1.2 * EDUCATION_EARNINGS[1] / 1.3;
        for i in 0..200 {
            assert_eq!(pop.persons.employment[i], Employment::PublicSector);
            let months = pop.persons.months_in_job[i];
            let kept = 3_000.0 * (12 - months) as f64;
            let new = (rate * months as f64 / 12.0).round();
            assert!((pop.persons.wage[i] as f64 - kept - new).abs() < 1.0, "person {i}: {}", pop.persons.wage[i]);
        }
        // Public-sector staff leave for the public sector: no change, and the rate is the new job's.
        d.advance(&YearContext::base(2024, 1), &mut pop);
        for i in 0..200 {
            let w = pop.persons.wage[i] as f64;
            assert!((w / rate - 1.0).abs() < 2e-3, "person {i}: {w} against {rate}");
            assert_eq!(pop.persons.months_in_job[i], 12);
        }
    }

    #[test]
    fn work_left_for_no_work_pays_its_months_that_year_only_and_a_sideline_stays() {
        let mut d = Dynamics::none();
        d.exit_rates = [1.0; 7];
        d.activity_shares = every_leaver_to(Employment::NotInLabourForce);
        d.old_age_exit_rate = 1.0;
        let farmer = farmer(40, 24_000.0);
        let worker = PersonRecord { operating: 1_000.0, ..employee(30, Sex::Female, 36_000.0) };
        // Past 60 and not covered (rural): leaves work at the old-age rate.
        let old_worker = employee(64, Sex::Male, 12_000.0);
        let mut pop = Population::empty(0);
        for _ in 0..100 {
            pop.push_household(&HouseholdRecord::default(), &[farmer, worker, old_worker]);
        }
        d.advance(&YearContext::base(2023, 1), &mut pop);
        let mut kept = 0.0;
        for h in 0..100 {
            let m = pop.members(h).start;
            let p = &pop.persons;
            assert!(p.employment[m..m + 3].iter().all(|&e| e == Employment::NotInLabourForce));
            let worked = [p.months_in_job[m], p.months_in_job[m + 1], p.months_in_job[m + 2]];
            assert!(worked.iter().all(|&w| w < 12));
            assert_eq!(p.operating[m], 2_000.0 * worked[0] as f32);
            assert_eq!(p.wage[m], 0.0);
            assert_eq!(p.wage[m + 1], 3_000.0 * worked[1] as f32);
            assert_eq!(p.operating[m + 1], 1_000.0, "the sideline stays");
            assert_eq!(p.wage[m + 2], 1_000.0 * worked[2] as f32);
            kept += p.wage[m + 1] as f64;
        }
        // Leaving is uniform over the year: on average 5.5 months of 3,000 are kept.
        assert!((kept / 100.0 - 16_500.0).abs() < 2_500.0, "{}", kept / 100.0);
        d.advance(&YearContext::base(2024, 1), &mut pop);
        let p = &pop.persons;
        assert!(p.wage.iter().all(|&w| w == 0.0));
        assert!(p.months_in_job.iter().all(|&m| m == 0));
        for h in 0..100 {
            let m = pop.members(h).start;
            assert_eq!([p.operating[m], p.operating[m + 1], p.operating[m + 2]], [0.0, 1_000.0, 0.0]);
        }
    }

    #[test]
    fn urbanisation_moves_households_working_off_the_farm_at_its_rate_over_their_share() {
        let mut d = Dynamics::none();
        // Target urban share 0 until 2022, 0.2 from 2023: a fifth of rural persons a year.
        d.urban_share = Dated::constant(0.0);
        d.urban_share.set_from(YearMonth::start_of(2023), 0.2);
        let farmer = farmer(40, 10_000.0);
        let worker = employee(40, Sex::Male, 30_000.0);
        let urban = |pop: &Population, employment: Employment| {
            (0..pop.household_count())
                .filter(|&h| pop.households.residence[h] == Residence::Urban)
                .filter(|&h| pop.persons.employment[pop.members(h).start] == employment)
                .count()
        };
        let mut pop = Population::empty(0);
        for _ in 0..2000 {
            pop.push_household(&HouseholdRecord::default(), &[farmer]);
            pop.push_household(&HouseholdRecord::default(), &[worker]);
        }
        let share = nonfarm_share_of([&pop]).expect("rural persons");
        assert_eq!(share, 0.5);
        d.advance_with(
            &YearContext::base(2023, 1),
            &YearStart { nonfarm_share: share, ..d.fixed_year_start() },
            &mut pop,
        );
        assert_eq!(urban(&pop, Employment::FarmerHerder), 0, "farm-only households stay rural");
        // 0.2 / 0.5 = 40% of the 2,000 working households (binomial s.d. about 22).
        let moved = urban(&pop, Employment::LocalEmployee);
        assert!((moved as f64 - 800.0).abs() < 100.0, "{moved}");
        // Without off-farm work anywhere, every rural household may go, at the rate.
        let mut farms = Population::empty(0);
        for _ in 0..2000 {
            farms.push_household(&HouseholdRecord::default(), &[farmer]);
        }
        let share = nonfarm_share_of([&farms]).expect("rural persons");
        assert_eq!(share, 0.0);
        d.advance_with(
            &YearContext::base(2023, 1),
            &YearStart { nonfarm_share: share, ..d.fixed_year_start() },
            &mut farms,
        );
        let moved = urban(&farms, Employment::FarmerHerder);
        assert!((moved as f64 - 400.0).abs() < 80.0, "{moved}");
        // `advance` uses the share calibrated on a population (1 before).
        assert_eq!(d.nonfarm_share, 1.0);
        d.calibrate_urbanisation_on(std::slice::from_ref(&pop));
        assert!(d.nonfarm_share > 0.0 && d.nonfarm_share < 0.5, "{}", d.nonfarm_share);
    }

    /// A household that urbanises is paid at the urban level for the same rank as far as
    /// `urbanised_wage_catch_up` says: its local employee's wage times 1 + c × (urban /
    /// rural new-job wage of the year − 1); a farmer's income stays.
    #[test]
    fn urbanising_households_close_the_wage_gap_by_the_catch_up() {
        let run = |catch_up: f64, rural_wage_growth: f64| {
            let mut d = Dynamics::none();
            d.urban_share = Dated::constant(0.0);
            d.urban_share.set_from(YearMonth::start_of(2023), 0.5);
            d.new_job_wage = [40_000.0, 20_000.0];
            d.base_year = 2022;
            d.wage_growth[1] = Dated::constant(rural_wage_growth);
            d.urbanised_wage_catch_up = Dated::constant(catch_up);
            let mut pop = Population::empty(0);
            for _ in 0..400 {
                pop.push_household(
                    &HouseholdRecord::default(),
                    &[employee(40, Sex::Male, 30_000.0), farmer(40, 9_000.0)],
                );
            }
            d.advance_with(
                &YearContext::base(2023, 1),
                &YearStart { nonfarm_share: 1.0, ..d.fixed_year_start() },
                &mut pop,
            );
            let mut by_residence = [Vec::new(), Vec::new()];
            for h in 0..pop.household_count() {
                let first = pop.members(h).start;
                let r = pop.households.residence[h].index();
                by_residence[r].push((pop.persons.wage[first], pop.persons.operating[first + 1]));
            }
            by_residence
        };
        for (catch_up, urban_wage) in [(1.0, 60_000.0), (0.5, 45_000.0), (0.0, 30_000.0)] {
            let [urban, rural] = run(catch_up, 0.0);
            assert!(urban.len() > 100 && rural.len() > 100, "{} urban, {} rural", urban.len(), rural.len());
            assert!(urban.iter().all(|&(w, o)| w == urban_wage && o == 9_000.0), "{catch_up}: {:?}", urban[0]);
            assert!(rural.iter().all(|&(w, o)| w == 30_000.0 && o == 9_000.0), "{catch_up}: {:?}", rural[0]);
        }
        // The gap is the year's: rural entry wages 25% up on the base year's (20,000 to
        // 25,000) against urban ones unchanged make the factor 40,000 / 25,000 = 1.6,
        // applied to the wage grown 25% (37,500), not the base year's 2.
        let [urban, rural] = run(1.0, 0.25);
        assert!(urban.iter().all(|&(w, _)| w == 60_000.0), "{:?}", urban[0]);
        assert!(rural.iter().all(|&(w, _)| w == 37_500.0), "{:?}", rural[0]);
    }

    /// Only members in paid work leave home: a young adult without earnings (here
    /// unemployed or outside the labour force) stays with the household, so that no
    /// one-person household without income is formed. Checked both where the
    /// household's members change anyway (an earner leaves) and where they would not.
    #[test]
    fn only_members_in_paid_work_leave_home() {
        let mut d = Dynamics::none();
        d.leave_home_rate = Dated::constant(1.0);
        let head = employee(50, Sex::Male, 40_000.0);
        let earner = employee(25, Sex::Female, 30_000.0);
        let farmer = farmer(24, 8_000.0);
        let unemployed = PersonRecord { age: 26, employment: Employment::Unemployed, ..Default::default() };
        let at_home = PersonRecord { age: 30, employment: Employment::NotInLabourForce, ..Default::default() };
        let mut pop = Population::empty(0);
        for _ in 0..50 {
            pop.push_household(&HouseholdRecord::default(), &[head, earner, unemployed, farmer, at_home]);
            pop.push_household(&HouseholdRecord::default(), &[head, unemployed, at_home]);
        }
        d.advance(&YearContext::base(2023, 1), &mut pop);
        assert!(pop.check_invariants().is_ok());
        // Each of the first 50 households gives two one-person households of earners; the
        // other 50 keep their three members.
        assert_eq!(pop.household_count(), 200);
        let (mut formed, mut kept) = (0, 0);
        for h in 0..pop.household_count() {
            let members: Vec<Employment> = pop.members(h).map(|i| pop.persons.employment[i]).collect();
            match members.as_slice() {
                [one] => {
                    assert!(one.is_working(), "a household formed by {one:?}");
                    formed += 1;
                }
                [Employment::LocalEmployee, Employment::Unemployed, Employment::NotInLabourForce] => kept += 1,
                other => panic!("household {h}: {other:?}"),
            }
        }
        assert_eq!((formed, kept), (100, 100));
    }

    /// A farmer or herder working all year.
    fn farmer(age: u8, operating: f32) -> PersonRecord {
        PersonRecord { age, employment: Employment::FarmerHerder, operating, months_in_job: 12, ..Default::default() }
    }

    /// A retiree aged 70 with this pension.
    fn retiree(retiree_pension: f32) -> PersonRecord {
        PersonRecord { age: 70, employment: Employment::Retired, retiree_pension, ..Default::default() }
    }

    /// A local employee working all year.
    fn employee(age: u8, sex: Sex, wage: f32) -> PersonRecord {
        PersonRecord { age, sex, employment: Employment::LocalEmployee, wage, months_in_job: 12, ..Default::default() }
    }

    #[test]
    fn retirement_at_the_statutory_age_with_a_pension() {
        let mut d = Dynamics::none();
        d.replacement_rate = [0.5; 2];
        let man = employee(59, Sex::Male, 60_000.0);
        let woman = PersonRecord { age: 49, sex: Sex::Female, ..man };
        let cadre = PersonRecord { age: 49, sex: Sex::Female, employment: Employment::PublicSector, ..man };
        let mut pop = urban_household(&[man, woman, cadre]);
        d.advance(&YearContext::base(2023, 1), &mut pop);
        assert_eq!(pop.persons.employment[0], Employment::Retired);
        assert_eq!(pop.persons.retiree_pension[0], 30_000.0);
        assert_eq!(pop.persons.wage[0], 0.0);
        assert_eq!(pop.persons.employment[1], Employment::Retired);
        assert_eq!(pop.persons.employment[2], Employment::PublicSector);
    }

    #[test]
    fn an_informal_job_draws_no_pension_at_the_statutory_age() {
        let mut d = Dynamics::none();
        d.replacement_rate = [0.5; 2];
        d.informal_wage_below = 30_000.0;
        let line = 30_000.0;
        // Men of 59, turning 60: paid just below and at the line (a part year at it
        // counts as its full year), and a public-sector worker paid below it.
        let below = employee(59, Sex::Male, line - 1.0);
        let part_year = PersonRecord { wage: line / 2.0, months_in_job: 6, ..below };
        let public = PersonRecord { employment: Employment::PublicSector, ..below };
        let mut pop = urban_household(&[below, part_year, public]);
        let base = YearContext::base(2023, 1);
        d.advance(&base, &mut pop);
        assert_eq!(pop.persons.employment[..3], [Employment::LocalEmployee, Employment::Retired, Employment::Retired]);
        assert_eq!(pop.persons.retiree_pension[0], 0.0);
        // Not waiting for a statutory age: an informal worker past 60 leaves work as
        // the uncovered do (every year here), without a pension.
        d.old_age_exit_rate = 1.0;
        d.advance(&YearContext::base(2024, 1), &mut pop);
        assert_eq!(pop.persons.employment[0], Employment::NotInLabourForce);
        assert_eq!(pop.persons.retiree_pension[0], 0.0);
        // The line follows the urban income index: the same pay, with incomes doubled
        // since the base year, is informal.
        let doubled = YearContext { income_index: [2.0, 2.0], ..base };
        for (ctx, retires) in [(&base, true), (&doubled, false)] {
            let mut pop = urban_household(&[employee(59, Sex::Male, line * 1.5)]);
            d.advance(ctx, &mut pop);
            assert_eq!(pop.persons.employment[0] == Employment::Retired, retires);
            assert_eq!(pop.persons.retiree_pension[0] > 0.0, retires);
        }
    }

    #[test]
    fn new_retirees_start_at_the_mean_pension_of_the_base_population() {
        let mut d = Dynamics::none();
        d.base_year = 2022;
        // 60 in 2023: retires; 41 then: not due, so its wage does not count.
        let due = employee(59, Sex::Male, 60_000.0);
        let young = employee(40, Sex::Male, 200_000.0);
        let urban = HouseholdRecord { residence: Residence::Urban, weight: 1.0, ..Default::default() };
        let mut pop = Population::empty(0);
        pop.push_household(&urban, &[retiree(24_000.0), retiree(36_000.0), due, young]);
        pop.push_household(&HouseholdRecord { weight: 3.0, ..urban }, &[retiree(40_000.0)]);
        d.calibrate_replacement_on(std::slice::from_ref(&pop));
        // Mean pension (24,000 + 36,000 + 3 × 40,000) / 5 = 36,000 over the wage of 60,000.
        assert!((d.replacement_rate[0] - 0.6).abs() < 1e-12, "{:?}", d.replacement_rate);
        // No rural retiree or worker: the rural rate stays.
        assert_eq!(d.replacement_rate[1], 0.0);
        // Retirees paid more than the final wage of those due: new ones get that wage.
        let mut richer = pop.clone();
        let rural = HouseholdRecord { residence: Residence::Rural, ..urban };
        let cadre = PersonRecord { employment: Employment::PublicSector, ..due };
        richer.push_household(&rural, &[retiree(50_000.0), PersonRecord { wage: 40_000.0, ..cadre }]);
        let mut capped = Dynamics::none();
        capped.base_year = 2022;
        capped.calibrate_replacement_on(std::slice::from_ref(&richer));
        assert_eq!(capped.replacement_rate, [d.replacement_rate[0], MAX_REPLACEMENT_RATE]);
        d.advance(&YearContext::base(2023, 1), &mut pop);
        assert_eq!(pop.persons.employment[2], Employment::Retired);
        assert_eq!(pop.persons.retiree_pension[2], 36_000.0);
        assert_eq!(pop.persons.employment[3], Employment::LocalEmployee);
    }

    #[test]
    fn each_year_new_retirees_start_at_the_mean_pension_at_its_start() {
        let mut d = Dynamics::none();
        d.base_year = 2022;
        d.replacement_rate = [0.5; 2];
        // 60 in 2024: retires in the second year.
        let later = employee(58, Sex::Male, 50_000.0);
        let urban = HouseholdRecord { residence: Residence::Urban, weight: 1.0, ..Default::default() };
        let mut pop = Population::empty(0);
        pop.push_household(&urban, &[retiree(30_000.0), later]);
        let ctx = |year| YearContext::base(year, 1);
        let start = d.year_start_of(&[&pop], &ctx(2023));
        // Nobody due in 2023: the urban rate falls back to the fixed one.
        assert_eq!(start.replacement_rate, [0.5, 0.5]);
        d.advance_with(&ctx(2023), &start, &mut pop);
        // The pensions rise (as the retiree adjustment raises them) before 2024.
        pop.persons.retiree_pension[0] = 33_000.0;
        let start = d.year_start_of(&[&pop], &ctx(2024));
        assert!((start.replacement_rate[0] - 33_000.0 / 50_000.0).abs() < 1e-12, "{start:?}");
        d.advance_with(&ctx(2024), &start, &mut pop);
        assert_eq!(pop.persons.employment[1], Employment::Retired);
        assert_eq!(pop.persons.retiree_pension[1], 33_000.0);
        // `advance` keeps the fixed rate whatever the population.
        let mut fixed = Population::empty(0);
        fixed.push_household(&urban, &[retiree(33_000.0), PersonRecord { age: 59, ..later }]);
        d.advance(&ctx(2024), &mut fixed);
        assert_eq!(fixed.persons.retiree_pension[1], 25_000.0);
    }

    #[test]
    fn covered_employees_past_their_age_retire_at_the_latest_age_and_rural_ones_keep_working() {
        let mut d = Dynamics::none();
        d.replacement_rate = [0.5; 2];
        let worker = employee(58, Sex::Female, 40_000.0);
        let cadre = PersonRecord { age: 59, employment: Employment::PublicSector, ..worker };
        let urban = HouseholdRecord { residence: Residence::Urban, ..Default::default() };
        let rural = HouseholdRecord { residence: Residence::Rural, ..Default::default() };
        let mut pop = Population::empty(0);
        pop.push_household(&urban, &[worker, cadre]);
        pop.push_household(&rural, &[PersonRecord { age: 59, ..worker }]);
        d.advance(&YearContext::base(2023, 1), &mut pop);
        // 59 and 60: the worker (past 50) works on; the cadre (past 55) retires at 60.
        assert_eq!(pop.persons.employment[..2], [Employment::LocalEmployee, Employment::Retired]);
        assert_eq!(pop.persons.retiree_pension[1], 20_000.0);
        assert_eq!(pop.persons.employment[2], Employment::LocalEmployee);
        d.advance(&YearContext::base(2024, 1), &mut pop);
        assert_eq!(pop.persons.employment[0], Employment::Retired);
        assert_eq!(pop.persons.employment[2], Employment::LocalEmployee);
        assert_eq!(d.retirement_probability(Sex::Female, Employment::LocalEmployee, 55, 2024), 0.0);
        assert_eq!(d.retirement_probability(Sex::Female, Employment::PublicSector, 55, 2024), 1.0);
        assert_eq!(d.retirement_probability(Sex::Female, Employment::LocalEmployee, 61, 2024), 1.0);
    }

    #[test]
    fn from_2025_the_retirement_ages_rise_by_cohort_unless_the_delay_is_off() {
        let man = employee(59, Sex::Male, 60_000.0);
        let urban = HouseholdRecord { residence: Residence::Urban, ..Default::default() };
        let retired_at_60 = |delay: f64| {
            let mut d = Dynamics::none();
            d.retirement_delay = Dated::constant(delay);
            let mut pop = Population::empty(0);
            for _ in 0..4000 {
                pop.push_household(&urban, &[man]);
            }
            d.advance(&YearContext::base(2026, 7), &mut pop);
            let retired = pop.persons.employment.iter().filter(|&&e| e == Employment::Retired).count();
            d.advance(&YearContext::base(2027, 7), &mut pop);
            let all = pop.persons.employment.iter().all(|&e| e == Employment::Retired);
            (retired as f64 / 4000.0, all)
        };
        // Men born 1966 retire 4-6 months after turning 60: those born January-July
        // (4 or 5 months) in 2026, at 60; those born August-December at 61.
        let (share, all_by_61) = retired_at_60(1.0);
        assert!((share - 7.0 / 12.0).abs() < 0.03, "{share}");
        assert!(all_by_61);
        assert_eq!(retired_at_60(0.0), (1.0, true));
    }

    #[test]
    fn bookkeeping_moves_flags_to_last_year() {
        let mut flags = HouseholdFlags::default();
        flags.set(HouseholdFlags::DIBAO, true);
        let mut pflags = PersonFlags::default();
        pflags.set(PersonFlags::NEW_JOB_THIS_YEAR, true);
        let mut pop = Population::empty(0);
        pop.push_household(
            &HouseholdRecord { flags, ..Default::default() },
            &[PersonRecord { flags: pflags, ..Default::default() }],
        );
        Dynamics::none().advance(&YearContext::base(2023, 1), &mut pop);
        assert!(pop.households.flags[0].has(HouseholdFlags::DIBAO_LAST_YEAR));
        assert!(!pop.households.flags[0].has(HouseholdFlags::EXTREME_POVERTY_LAST_YEAR));
        assert!(!pop.persons.flags[0].has(PersonFlags::NEW_JOB_THIS_YEAR));
    }

    #[test]
    fn chain_destinations_keep_base_shares_stationary() {
        let p = Profile::builtin("national-2022").expect("profile");
        let d = Dynamics::from_profile(&p);
        for r in 0..2 {
            let pi = d.activity_shares[r];
            let lam = d.exit_rates;
            let norm: f64 = (0..7).map(|k| pi[k] * lam[k]).sum();
            for j in 0..7 {
                let inflow: f64 = (0..7)
                    .map(|i| pi[i] * ((if i == j { 1.0 - lam[i] } else { 0.0 }) + lam[i] * pi[j] * lam[j] / norm))
                    .sum();
                assert!((inflow - pi[j]).abs() < 1e-12);
            }
        }
        assert!(!d.stated_assumptions().is_empty());
        // Published CPI 2023-2025 (0.2%, 0.2%, 0), then 2% a year (assumed).
        assert!((d.price_index(2024) - 1.002 * 1.002).abs() < 1e-12);
        assert!((d.price_index(2027) - 1.002 * 1.002 * 1.02 * 1.02).abs() < 1e-12);
        assert!(d.migrant_monthly(2022) == 5240.0);
    }
}
