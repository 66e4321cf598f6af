//! Dibao (最低生活保障), the minimum living standard, its means test, the low-income
//! edge group flag (低保边缘) and extreme-poverty support (特困人员救助供养).
//!
//! # The means test, month by month
//! Assessed (counted) household income `A` is disposable income before dibao, minus
//! the allowances and the childcare subsidy (never counted), minus the residents' basic pension when it is
//! disregarded (Baotou district plan §(九)), minus poverty-project income of
//! households that cannot work (Bayannur plan §(十一)), minus the employment-cost
//! deduction of each worker, pro rata to the months worked (Baotou district §(九),
//! Yangquan plan "建立低保与就业联动机制"). The threshold `T_m` of each month (residence
//! and county tier, dated, possibly indexed or raised to the poverty line) is compared
//! with assessed per-capita income per month `A / size / 12`; the benefit is
//!
//! `size × Σ_m max(0, T_m − A / size / 12)`,
//!
//! which equals `size × (T − A/size)` when the household is below the threshold all
//! year, and pays only the months of eligibility when the threshold changes mid-year.
//! So assessed per-capita income plus dibao per head is at least the annual threshold
//! for every recipient household (before a sanction).
//!
//! # Rules a scenario can switch
//! Every rule is a field of [`Dibao`]; its default (from [`Dibao::new`]) is "off"
//! except take-up, so a scenario can ask what one rule is worth by switching it on.

use super::members::{keep, with_household_index};
use super::registry::{DefaultValue, Kind, LeverSpec, ParameterSpec, Params, Switch};
use super::{Book, Dated, Lever, Stage, YearContext, YearMonth};
use crate::error::{Error, Result};
use crate::model::bounds::MAX_THRESHOLD_MULTIPLE;
use crate::model::{
    Accounts, Disability, Employment, HouseholdFlags, IncomePart, IncomeParts, PersonFlags, Persons, Population,
    Residence,
};
use crate::random::{Purpose, StreamRng};

/// The household flags the dibao sets afresh each year (its own, the single-person
/// units' and their count; the low-income edge is set apart).
const UNIT_FLAGS: u16 =
    HouseholdFlags::DIBAO | HouseholdFlags::DIBAO_SINGLE_PERSON | HouseholdFlags::DIBAO_UNIT_PERSONS_MASK;

/// Levers whose payments the means test never counts as income (allowances are
/// excluded from household income in the dibao test by 民政部 practice, an assumption
/// that every local rule follows it; the childcare subsidy by its implementation plan,
/// [`super::childcare`]).
const ALWAYS_DISREGARDED: [&str; 3] = ["old_age_allowance", "disability_allowances", "childcare_subsidy"];

thread_local! {
    /// Per-household assessed income and benefit of the plain path, reused from chunk to
    /// chunk.
    static PLAIN_SCRATCH: std::cell::RefCell<(Vec<f64>, Vec<f64>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    /// Per-person employment-cost deductions of [`MeansTest::assessed_all`], reused from
    /// chunk to chunk.
    static PERSON_DEDUCTIONS: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Sub-stream of [`Purpose::Lever`] for dibao job offers (one per member index).
const SUB_JOB_OFFERS: u64 = 0xd1ba_0000;

pub use super::indexation::Indexation;

/// What the employment-cost deduction is taken from (it is never more than this).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeductionBase {
    /// Wage plus operating income of the worker (Baotou district §(九): the deduction
    /// is of earnings from work). The default.
    #[default]
    Earnings,
    /// Wage income only: own-account operating income is counted in full. The peers'
    /// rule set of the performance benchmark (assumption for the benchmark,
    /// `docs/peers.md`: `min(wage, 12 × 300)` for employed members).
    Wage,
}

/// The sanction after refused job offers (Yangquan plan "建立低保与就业联动机制": 无正当理由
/// 连续3次拒绝 … 减发或停发其本人的低保金).
#[derive(Debug, Clone, PartialEq)]
pub struct JobOfferSanction {
    /// Suitable job offers an able-to-work unemployed member of a recipient household
    /// can receive per year (assumption: 2; the plan gives no number).
    pub offers_per_year: u8,
    /// Probability that each possible offer is made (assumption: 0.5).
    pub offer_probability: f64,
    /// Probability that an offer made is refused without good reason (assumption: 0.2).
    pub refusal_probability: f64,
    /// Refusals that trigger the sanction (3, Yangquan plan).
    pub refusals_to_sanction: u8,
    /// Share of the sanctioned person's own part of the benefit (benefit / size) that is
    /// withheld: 1 stops it (停发), less cuts it (减发). Default 1.
    pub cut_share: f64,
}

impl Default for JobOfferSanction {
    fn default() -> Self {
        JobOfferSanction {
            offers_per_year: 2,
            offer_probability: 0.5,
            refusal_probability: 0.2,
            refusals_to_sanction: 3,
            cut_share: 1.0,
        }
    }
}

/// The dibao lever's name in a lever set and a scenario.
pub const NAME: &str = "dibao";

/// The registry name of the extreme-poverty support ([`ExtremePovertySupport`]).
pub const EXTREME_POVERTY_NAME: &str = "extreme_poverty_support";

/// Whether member `i` is paid as a one-person unit by single-person dibao (单人保,
/// [`Dibao::single_person`]): a severely disabled member (seriously ill members are
/// not identified in the population).
#[inline]
fn single_person_member(persons: &Persons, i: usize) -> bool {
    persons.disability(i) == Disability::Severe
}

/// Persons a caseload counts in household `h` when the household is in it (the MCA
/// counts recipients as persons): every member, or only the members paid as
/// one-person units when the household is on dibao through them
/// ([`HouseholdFlags::DIBAO_SINGLE_PERSON`], the count the lever wrote,
/// [`HouseholdFlags::dibao_unit_persons`]).
#[inline]
pub fn recipient_persons(pop: &Population, h: usize) -> u8 {
    let flags = pop.households.flags[h];
    if flags.has(HouseholdFlags::DIBAO_SINGLE_PERSON) { flags.dibao_unit_persons() } else { pop.households.size[h] }
}

/// Whether member `i` of a household with `flags` is a dibao recipient this year, for
/// the levers that treat recipients apart (contribution support, priorities, the
/// allowances of poor disabled persons): every member of a household on dibao as a
/// whole; of a household on single-person units ([`HouseholdFlags::DIBAO_SINGLE_PERSON`]),
/// a member the units can cover (severely disabled, or aged [`OLD_MEMBER_UNIT_AGE`] or
/// more and not in work). The flags count the members covered but do not name them, so
/// such a member whose own income was too high to be paid counts too (an
/// approximation); the others, working-age members above all, are not recipients.
#[inline]
pub fn member_on_dibao(flags: HouseholdFlags, persons: &Persons, i: usize) -> bool {
    flags.has(HouseholdFlags::DIBAO)
        && (!flags.has(HouseholdFlags::DIBAO_SINGLE_PERSON) || UnitRules::ANY.covers(persons, i))
}

/// Whether member `i` of a household with `flags` is on dibao this year
/// ([`member_on_dibao`]) or its household was last year and is not this year (the
/// levers that serve low-income persons for a year after they leave).
#[inline]
pub fn member_on_dibao_this_or_last_year(flags: HouseholdFlags, persons: &Persons, i: usize) -> bool {
    member_on_dibao(flags, persons, i)
        || (flags.has(HouseholdFlags::DIBAO_LAST_YEAR) && !flags.has(HouseholdFlags::DIBAO))
}

/// The age from which a member not in work can be a dibao unit of their own
/// ([`Dibao::old_member_unit_line`]), and from which the residents' pension is paid.
pub const OLD_MEMBER_UNIT_AGE: u8 = 60;

/// Who a household's dibao covers in a year ([`Dibao::decide`]).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Decision {
    /// One-person units: what they are paid and how many members they cover.
    Units(f64, u8),
    /// The whole household, paid this.
    Whole(f64),
    /// Nobody.
    None,
}

/// Which members of a household a year's dibao may cover as one-person units
/// ([`Dibao::unit_rules`]).
#[derive(Debug, Clone, Copy)]
struct UnitRules {
    /// Severely disabled members (单人保, [`Dibao::single_person`]).
    severe: bool,
    /// Members aged [`OLD_MEMBER_UNIT_AGE`] or more not in work
    /// ([`Dibao::old_member_unit_line`]).
    old: bool,
}

impl UnitRules {
    /// Both rules: every member any unit can cover.
    const ANY: UnitRules = UnitRules { severe: true, old: true };

    /// Whether member `i` is one these rules cover as a one-person unit.
    #[inline]
    fn covers(self, persons: &Persons, i: usize) -> bool {
        (self.severe && single_person_member(persons, i))
            || (self.old && persons.age[i] >= OLD_MEMBER_UNIT_AGE && !persons.employment[i].is_working())
    }
}

/// A newly eligible household's take-up draw from its uniform draw `u`, its
/// entitlement `s` (share of its threshold, clamped to 0–1) and the priority of need
/// `k` ([`Dibao::take_up_need_priority`]): the logistic of `logit(u) − k (s − ½)`, so
/// that the draw is below a rate when `logit(u) < logit(rate) + k (s − ½)`; `u` itself
/// when `k` is 0.
#[inline]
pub fn need_weighted_draw(u: f64, entitlement: f64, k: f64) -> f64 {
    if k == 0.0 {
        return u;
    }
    let odds_against = (1.0 - u) / u * (k * (entitlement.clamp(0.0, 1.0) - 0.5)).exp();
    1.0 / (1.0 + odds_against)
}

/// The largest [`Dibao::take_up_need_priority`].
pub const MAX_TAKE_UP_NEED_PRIORITY: f64 = 50.0;

/// The dibao means test and benefit. See the [module documentation](self).
#[derive(Debug, Clone, PartialEq)]
pub struct Dibao {
    /// Threshold per person per month by county tier: `[urban, rural]` (profile
    /// `[rules]`; Liupanshui urban 705 yuan/month by end-2022, Liupanshui plan §46).
    pub threshold_per_month: [Vec<Dated<f64>>; 2],
    /// Share of eligible households that take the benefit up: `[urban, rural]`, times
    /// the year's scale ([`YearContext::dibao_take_up`], which holds the baseline's
    /// caseload share) and at most 1. The draw is persistent per household; last
    /// year's recipients stay in (unless the year's adjustment drops some).
    pub take_up: [f64; 2],
    /// Whether the residents' basic pension (lever `resident_pension`) is left out of
    /// assessed income (Baotou district plan §(九)). Default off.
    pub disregard_basic_pension: bool,
    /// Deduction from each working member's earnings, per month worked, yuan (Baotou
    /// district §(九), Yangquan). Default 0.
    pub employment_cost_deduction_per_month: Dated<f64>,
    /// What the employment-cost deduction is capped by: earnings (wage plus operating
    /// income, the default) or wage income only.
    pub employment_cost_deduction_base: DeductionBase,
    /// Multiple of the threshold below which a non-recipient household (after rigid
    /// expenses) is in the low-income edge group (1.5, Wuzhong plan §13); also the
    /// "low-income household" line of single-person dibao.
    pub edge_multiple: f64,
    /// Whether poverty-project income (`poverty_project_income`) of households with no
    /// member able to work is left out (Bayannur plan §(十一)). Default off.
    pub disregard_project_income_unable: bool,
    /// Single-person dibao (单人保, Baotou district §(九)): in a household not eligible
    /// as a whole but below `edge_multiple` × threshold, each severely disabled member
    /// is assessed as a one-person unit on their own income (a household covered as a
    /// whole is paid at least what those units would be). Seriously ill members are
    /// not identified in the population; only severe disability counts. Default off.
    pub single_person: bool,
    /// Old members' own units, `[urban, rural]`: in a household not eligible as a whole
    /// whose assessed income per head is below this multiple of the threshold, each
    /// member aged 60 or more not in work is assessed as a one-person unit on their own
    /// income and their share of the household's residents' pension (unless the pension
    /// is disregarded); a household covered as a whole is paid at least what those
    /// units would be (so that a higher threshold never pays a household less). 0 (the
    /// default) is off. The MCA counts recipient households
    /// (低保户) of the household register, in which old parents often form a household
    /// of their own, and members of families above the line can be covered alone
    /// (单人保): 1.72 persons per rural recipient household in 2015 and 1.82 in 2020,
    /// against households of about three persons (dibao_national.csv). The base-year
    /// rules calibrate the line to the published persons per recipient household where
    /// a profile gives them ([`crate::region::AreaTargets::dibao_recipient_households`]).
    pub old_member_unit_line: [f64; 2],
    /// Full take-up for those unable to work (应保尽保, Baotou district §(十二): "对完全或
    /// 部分丧失劳动能力且无法通过产业就业获得稳定收入的人口,按规定及时纳入…低保"): an eligible
    /// household with a member aged 16 or over who cannot work and no member in paid work
    /// takes the benefit up whatever its take-up draw. Default off.
    pub full_take_up_unable_to_work: bool,
    /// Grace period (缓退期) in months after a member of last year's recipient
    /// household finds a job: the pre-job benefit continues (3, Yangquan). Default 0.
    pub grace_months: u8,
    /// Taper (渐退, Bayannur §(十一)): after the grace period, the pre-job benefit falls in
    /// `taper_months + 1` equal steps to the means-tested amount. Default 0.
    pub taper_months: u8,
    /// Sanction after refused job offers. Default none.
    pub sanction: Option<JobOfferSanction>,
    /// Indexation of thresholds to prices or incomes. Default none.
    pub indexation: Indexation,
    /// Poverty line per person per year: the rural threshold is raised to at least it
    /// (两线合一, Yangquan plan "完善基本生活保障"). Default none.
    pub rural_poverty_line_per_year: Option<Dated<f64>>,
    /// Error of the administered means test, `[urban, rural]`: the income the means
    /// test sees is the assessed income times `exp(σ z)`, `z` a persistent standard
    /// normal draw per household. 0 (the default) is a perfect means test. Studies find
    /// large inclusion and exclusion errors in dibao targeting (Golan, Sicular &
    /// Umapathi 2017; Kakwani, Li, Wang & Zhu 2017: lever_parameters.md, "dibao
    /// targeting"); the base-year rules calibrate σ where the published caseload cannot
    /// be reached with a perfect test.
    pub assessment_error_sigma: [f64; 2],
    /// Priority of need in take-up, `[urban, rural]`: a newly eligible household
    /// entitled to share `s` of its threshold (what it would be paid over its persons
    /// times the annual threshold) takes up with probability `p`, where
    /// `logit p = logit rate + k (s − ½)`, `rate` the year's take-up rate (the take-up
    /// of a household entitled to half its threshold) and `k` this slope. 0 (the
    /// default): every eligible household alike; larger: those entitled to more take up
    /// more (at 10, the odds of a household entitled to the whole threshold are e^10
    /// times those of one entitled to almost nothing). Take-up rises with the
    /// entitlement in studies of means-tested benefits, and the village or community
    /// review of dibao applications (民主评议) ranks by need; the base-year rules
    /// calibrate `k` to the published depth of the benefit (what it pays per recipient
    /// over the threshold,
    /// [`AreaTargets::dibao_paid_share_of_threshold`](crate::region::AreaTargets::dibao_paid_share_of_threshold)).
    pub take_up_need_priority: [f64; 2],
}

/// What the means test found for one household.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Assessment {
    /// Assessed household income, yuan per year.
    pub assessed: f64,
    /// Counted earnings (after the deduction) of members with a new job this year.
    pub new_job_earnings: f64,
    /// The first month (1–12) of the earliest new job, 13 if none.
    pub new_job_start: u8,
}

impl Assessment {
    /// The assessment of a household whose new jobs do not matter (it was not on dibao
    /// last year): its assessed income, no new-job earnings, no new job.
    #[inline]
    pub fn without_new_job(assessed: f64) -> Self {
        Assessment { assessed, new_job_earnings: 0.0, new_job_start: 13 }
    }
}

/// The means test of one year, prepared for a chunk by [`Dibao::means_test`].
#[derive(Debug, Clone)]
pub struct MeansTest<'a> {
    /// Employment-cost deduction of a worker by months worked (0–12, the last months of
    /// the year), yuan.
    deduction_by_months: [f64; 13],
    /// What the deduction is capped by.
    base: DeductionBase,
    /// Columns of the earlier levers left out of assessed income: the allowances and
    /// the childcare subsidy (always) and the basic pension (when disregarded), in that
    /// order.
    disregarded: [Option<&'a [f64]>; 4],
    /// Whether project income of households with no able member is left out.
    disregard_project_income_unable: bool,
}

/// The person and household columns the means test reads, sliced once for a chunk
/// (every person column to the same length, so one range check covers them all).
#[derive(Debug, Clone, Copy)]
pub struct TestColumns<'p> {
    first_person: &'p [u32],
    size: &'p [u8],
    poverty_project_income: &'p [f32],
    months_in_job: &'p [u8],
    employment: &'p [Employment],
    flags: &'p [PersonFlags],
    wage: &'p [f32],
    operating: &'p [f32],
    able_to_work: &'p [bool],
}

impl<'p> TestColumns<'p> {
    /// The columns of a population.
    pub fn of(pop: &'p Population) -> Self {
        Self::new(
            &pop.persons,
            &pop.households.first_person,
            &pop.households.size,
            &pop.households.poverty_project_income,
        )
    }

    /// The columns of persons and of the households' members and project income (for
    /// a lever that changes other household columns meanwhile).
    pub fn new(
        persons: &'p Persons,
        first_person: &'p [u32],
        size: &'p [u8],
        poverty_project_income: &'p [f32],
    ) -> Self {
        let np = persons.len();
        let n = first_person.len();
        TestColumns {
            first_person,
            size: &size[..n.min(size.len())],
            poverty_project_income,
            months_in_job: &persons.months_in_job[..np],
            employment: &persons.employment[..np],
            flags: &persons.flags[..np],
            wage: &persons.wage[..np],
            operating: &persons.operating[..np],
            able_to_work: &persons.able_to_work[..np],
        }
    }
}

crate::simd_kernel! {
/// Turns each household's summed deductions in `out` into its assessed income:
/// `Accounts::disposable`, less the disregarded amounts (`left_out(h)`), less the
/// deductions, in `assess_in`'s order.
fn assessed_from_accounts(out: &mut [f64], accounts: &Accounts, n: usize, left_out: impl Fn(usize) -> f64) {
    let a = accounts;
    let parts = a.wage[..n].iter().zip(&a.operating[..n]).zip(&a.property[..n]);
    let transfers = a.transfers_received[..n].iter().zip(&a.transfers_paid[..n]);
    for (h, ((out, ((&wage, &operating), &property)), (&received, &paid))) in
        out[..n].iter_mut().zip(parts).zip(transfers).enumerate()
    {
        let parts = IncomeParts { wage, operating, property, transfers_received: received, transfers_paid: paid };
        *out = parts.disposable() - left_out(h) - *out;
    }
}
}

/// The person columns [`person_deductions`] reads, one entry per person.
struct PersonDeductionColumns<'a> {
    months_in_job: &'a [u8],
    employment: &'a [Employment],
    wage: &'a [f32],
    operating: &'a [f32],
}

crate::simd_kernel! {
/// Each person's employment-cost deduction into `out` (one entry per person): the
/// deduction of their months in work, at most their earnings (wage only when
/// `WAGE_ONLY`), +0 for a person without months in work or retired, as
/// [`MeansTest::assess_plain`] adds it. A loop over columns without a branch.
fn person_deductions<const WAGE_ONLY: bool>(
    out: &mut [f64],
    columns: &PersonDeductionColumns<'_>,
    deduction_by_months: &[f64; 13],
) {
    let c = columns;
    let persons = c.months_in_job.iter().zip(c.employment).zip(c.wage.iter().zip(c.operating));
    for (out, ((&months, &employment), (&wage, &operating))) in out.iter_mut().zip(persons) {
        let months = months.min(12);
        let earnings = if WAGE_ONLY { wage.max(0.0) as f64 } else { wage.max(0.0) as f64 + operating.max(0.0) as f64 };
        let d = deduction_by_months[months as usize].min(earnings);
        *out = keep(d, (months != 0) & (employment != Employment::Retired));
    }
}
}

impl MeansTest<'_> {
    /// Calls `f` with every household's assessed income, the same as
    /// [`MeansTest::assess_in`]'s, computed without a loop per household
    /// ([`MeansTest::assessed_all`], into a per-thread buffer); with `None` when the
    /// project-income disregard is on (it reads each household's members' ability to
    /// work) or the persons are not stored household after household: `f` then assesses
    /// household by household.
    pub(crate) fn with_assessed_every<'b, R>(
        &self,
        columns: &TestColumns<'_>,
        persons: usize,
        book: &mut Book<'b>,
        f: impl FnOnce(&mut Book<'b>, Option<&[f64]>) -> R,
    ) -> R {
        PLAIN_SCRATCH.with(|scratch| {
            let (out, _) = &mut *scratch.borrow_mut();
            let accounts = book.accounts();
            let all = !self.disregard_project_income_unable
                && match self.base {
                    DeductionBase::Wage => self.assessed_all::<true>(columns, persons, accounts, out),
                    DeductionBase::Earnings => self.assessed_all::<false>(columns, persons, accounts, out),
                };
            let n = columns.first_person.len().min(columns.size.len());
            f(book, if all { Some(&out[..n]) } else { None })
        })
    }

    /// Every household's assessed income as [`MeansTest::assess_plain`] computes it,
    /// into `out`, without a loop per household: the deductions summed person by person
    /// (the same additions in the same order as the member loop, see
    /// [`with_household_index`]), then assessed income household by household, the same
    /// expression. False, `out` unspecified, when the persons are not stored household
    /// after household.
    fn assessed_all<const WAGE_ONLY: bool>(
        &self,
        columns: &TestColumns<'_>,
        persons: usize,
        accounts: &Accounts,
        out: &mut Vec<f64>,
    ) -> bool {
        let c = columns;
        let n = c.first_person.len().min(c.size.len());
        let (months_in_job, employment) = (&c.months_in_job[..persons], &c.employment[..persons]);
        let (wage, operating) = (&c.wage[..persons], &c.operating[..persons]);
        let deduction_by_months = &self.deduction_by_months;
        // Zipped columns rather than `sum_members_into`'s person index: no range check per
        // column and person on this hot path (measurably slower through the closure).
        let summed = with_household_index(&c.first_person[..n], &c.size[..n], persons, |index| {
            out.clear();
            out.resize(n, 0.0);
            let sums = &mut out[..n];
            // Each person's deduction first (a loop over columns without a branch, which
            // the compiler vectorises), then added into the household's entry in person
            // order: the same terms in the same order as the member loop.
            PERSON_DEDUCTIONS.with(|deductions| {
                let mut deductions = deductions.borrow_mut();
                deductions.clear();
                deductions.resize(persons, 0.0);
                let columns = PersonDeductionColumns { months_in_job, employment, wage, operating };
                person_deductions::<WAGE_ONLY>(&mut deductions[..persons], &columns, deduction_by_months);
                for (&h, &d) in index.iter().zip(deductions.iter()) {
                    let h = h as usize;
                    if h < n {
                        sums[h] += d;
                    }
                }
            });
        });
        if summed.is_none() || accounts.len() < n {
            return false;
        }
        // The disregarded columns, summed in their order from +0 (the same sum as the
        // loop over them in `assess_plain`); a loop of fixed shape for each count.
        let mut disregarded = self.disregarded.iter().flatten().map(|col| &col[..n]);
        match (disregarded.next(), disregarded.next(), disregarded.next(), disregarded.next()) {
            (None, ..) => assessed_from_accounts(out, accounts, n, |_| 0.0),
            (Some(a), None, ..) => assessed_from_accounts(out, accounts, n, |h| 0.0 + a[h]),
            (Some(a), Some(b), None, _) => assessed_from_accounts(out, accounts, n, |h| 0.0 + a[h] + b[h]),
            (Some(a), Some(b), Some(c), None) => assessed_from_accounts(out, accounts, n, |h| 0.0 + a[h] + b[h] + c[h]),
            (Some(a), Some(b), Some(c), Some(d)) => {
                assessed_from_accounts(out, accounts, n, |h| 0.0 + a[h] + b[h] + c[h] + d[h])
            }
        }
        true
    }

    /// Assessed income of household `h` of `columns` as [`MeansTest::assess_in`]
    /// computes it, for a household none of whose members has a new job that matters
    /// and without the project-income disregard (the plain path of
    /// [`Dibao`]): the member loop has no data-dependent branch (a member without a
    /// deduction adds +0, which changes nothing).
    #[inline(always)]
    fn assess_plain<const WAGE_ONLY: bool>(&self, columns: &TestColumns<'_>, h: usize, accounts: &Accounts) -> f64 {
        let c = columns;
        let first = c.first_person[h] as usize;
        let m = first..first + c.size[h] as usize;
        let mut deduction = 0.0;
        for (((&months, &employment), &wage), &operating) in
            c.months_in_job[m.clone()].iter().zip(&c.employment[m.clone()]).zip(&c.wage[m.clone()]).zip(&c.operating[m])
        {
            let months = months.min(12);
            // `WAGE_ONLY` is `self.base == DeductionBase::Wage`, fixed for the chunk.
            let earnings =
                if WAGE_ONLY { wage.max(0.0) as f64 } else { wage.max(0.0) as f64 + operating.max(0.0) as f64 };
            let d = self.deduction_by_months[months as usize].min(earnings);
            // d × 1 is d and d × 0 is +0 (d is finite and not negative).
            let counts = (months != 0) & (employment != Employment::Retired);
            deduction += d * f64::from(u8::from(counts));
        }
        let mut disregarded = 0.0;
        for col in self.disregarded.iter().flatten() {
            disregarded += col[h];
        }
        accounts.disposable(h) - disregarded - deduction
    }

    /// The means test of household `h` (see the [module documentation](self)).
    #[inline]
    pub fn assess(&self, pop: &Population, h: usize, accounts: &Accounts) -> Assessment {
        self.assess_in(&TestColumns::of(pop), h, accounts)
    }

    /// The means test of household `h` of `columns`.
    #[inline(always)]
    pub fn assess_in(&self, columns: &TestColumns<'_>, h: usize, accounts: &Accounts) -> Assessment {
        let c = columns;
        let first = c.first_person[h] as usize;
        let m = first..first + c.size[h] as usize;
        let mut deduction = 0.0;
        let mut new_job_earnings = 0.0;
        let mut new_job_start = 13u8;
        for i in m.clone() {
            let months = c.months_in_job[i].min(12);
            if months == 0 {
                continue;
            }
            let (wage, operating) = (c.wage[i], c.operating[i]);
            let mut d = 0.0;
            if c.employment[i] != Employment::Retired {
                // Pro rata: the deduction of the months worked (the last `months`
                // months of the year), never more than the earnings.
                let earnings = match self.base {
                    DeductionBase::Earnings => wage.max(0.0) as f64 + operating.max(0.0) as f64,
                    DeductionBase::Wage => wage.max(0.0) as f64,
                };
                d = self.deduction_by_months[months as usize].min(earnings);
                deduction += d;
            }
            if c.flags[i].has(PersonFlags::NEW_JOB_THIS_YEAR) {
                new_job_earnings += wage as f64 + operating as f64 - d;
                new_job_start = new_job_start.min(13 - months);
            }
        }
        let mut disregarded = 0.0;
        for col in self.disregarded.iter().flatten() {
            disregarded += col[h];
        }
        if self.disregard_project_income_unable && !c.able_to_work[m].iter().any(|&able| able) {
            disregarded += c.poverty_project_income[h] as f64;
        }
        Assessment { assessed: accounts.disposable(h) - disregarded - deduction, new_job_earnings, new_job_start }
    }
}

impl Dibao {
    /// A dibao rule with thresholds per tier (`[urban, rural]`) and take-up rates; every
    /// other rule off.
    ///
    /// # Errors
    /// [`Error::InvalidLever`] for a missing tier, a negative threshold or a take-up
    /// outside 0–1.
    pub fn new(threshold_per_month: [Vec<Dated<f64>>; 2], take_up: [f64; 2]) -> Result<Self> {
        let d = Dibao {
            threshold_per_month,
            take_up,
            disregard_basic_pension: false,
            employment_cost_deduction_per_month: Dated::constant(0.0),
            employment_cost_deduction_base: DeductionBase::Earnings,
            edge_multiple: 1.5,
            disregard_project_income_unable: false,
            single_person: false,
            old_member_unit_line: [0.0, 0.0],
            full_take_up_unable_to_work: false,
            grace_months: 0,
            taper_months: 0,
            sanction: None,
            indexation: Indexation::None,
            rural_poverty_line_per_year: None,
            assessment_error_sigma: [0.0, 0.0],
            take_up_need_priority: [0.0, 0.0],
        };
        d.validate()?;
        Ok(d)
    }

    /// Checks every field (the fields are public; call after changing them).
    ///
    /// # Errors
    /// [`Error::InvalidLever`] naming the first bad field.
    pub fn validate(&self) -> Result<()> {
        for (r, tiers) in self.threshold_per_month.iter().enumerate() {
            let field = format!("{}_threshold_per_month", Residence::BOTH[r]);
            if tiers.is_empty() {
                return Err(invalid(&field, "[]", "needs at least one tier"));
            }
            for d in tiers {
                check_dated("dibao", &field, d)?;
            }
        }
        for (r, t) in self.take_up.iter().enumerate() {
            super::tax::check_share("dibao", &format!("take_up.{}", Residence::BOTH[r]), *t)?;
        }
        check_dated("dibao", "employment_cost_deduction_per_month", &self.employment_cost_deduction_per_month)?;
        for (r, s) in self.assessment_error_sigma.iter().enumerate() {
            if !(0.0..=3.0).contains(s) {
                let field = format!("assessment_error_sigma.{}", Residence::BOTH[r]);
                return Err(invalid(&field, &s.to_string(), "must be between 0 and 3"));
            }
        }
        for (r, k) in self.take_up_need_priority.iter().enumerate() {
            if !(0.0..=MAX_TAKE_UP_NEED_PRIORITY).contains(k) {
                let field = format!("take_up_need_priority_{}", Residence::BOTH[r]);
                return Err(invalid(
                    &field,
                    &k.to_string(),
                    &format!("must be between 0 and {MAX_TAKE_UP_NEED_PRIORITY}"),
                ));
            }
        }
        for (r, m) in self.old_member_unit_line.iter().enumerate() {
            if !(0.0..=MAX_THRESHOLD_MULTIPLE).contains(m) {
                let field = format!("old_member_unit_line_{}", Residence::BOTH[r]);
                let problem = format!("must be between 0 (off) and {MAX_THRESHOLD_MULTIPLE}");
                return Err(invalid(&field, &m.to_string(), &problem));
            }
        }
        if !(1.0..=MAX_THRESHOLD_MULTIPLE).contains(&self.edge_multiple) {
            let problem = format!("must be at least 1 and at most {MAX_THRESHOLD_MULTIPLE}");
            return Err(invalid("edge_multiple", &self.edge_multiple.to_string(), &problem));
        }
        for (f, m) in [("grace_months", self.grace_months), ("taper_months", self.taper_months)] {
            if m > 12 {
                return Err(invalid(f, &m.to_string(), "must be 0–12 months"));
            }
        }
        if let Some(s) = &self.sanction {
            super::tax::check_share("dibao", "sanction.offer_probability", s.offer_probability)?;
            super::tax::check_share("dibao", "sanction.refusal_probability", s.refusal_probability)?;
            super::tax::check_share("dibao", "sanction.cut_share", s.cut_share)?;
            if !(1..=3).contains(&s.refusals_to_sanction) {
                return Err(invalid(
                    "sanction.refusals_to_sanction",
                    &s.refusals_to_sanction.to_string(),
                    "must be 1–3 (the refusal count has two bits)",
                ));
            }
        }
        if let Some(p) = &self.rural_poverty_line_per_year {
            check_dated("dibao", "rural_poverty_line_per_year", p)?;
        }
        Ok(())
    }

    /// The annual threshold per person of a residence and tier from the dated
    /// schedule alone (no indexation, no poverty line).
    #[inline]
    pub fn annual_threshold(&self, year: u16, residence: Residence, tier: u8) -> f64 {
        self.schedule(residence, tier).annual(year)
    }

    fn schedule(&self, residence: Residence, tier: u8) -> &Dated<f64> {
        let tiers = &self.threshold_per_month[residence.index()];
        // `validate` guarantees at least one tier.
        &tiers[(tier as usize).min(tiers.len().saturating_sub(1))]
    }

    /// The threshold per person of each month of the context's year, with every rule
    /// in force: the dated schedule; with indexation, at least the base-year average
    /// monthly threshold times the index; rural, at least the poverty line / 12.
    pub fn monthly_thresholds(&self, ctx: &YearContext, residence: Residence, tier: u8) -> [f64; 12] {
        let schedule = self.schedule(residence, tier);
        let mut t = schedule.months(ctx.year);
        if let Some(index) = self.indexation.index(ctx, residence) {
            let anchor = schedule.annual(ctx.base_year) / 12.0;
            for x in &mut t {
                *x = x.max(anchor * index);
            }
        }
        if let (Residence::Rural, Some(line)) = (residence, &self.rural_poverty_line_per_year) {
            for (m, x) in t.iter_mut().enumerate() {
                *x = x.max(*line.at(YearMonth { year: ctx.year, month: m as u8 + 1 }) / 12.0);
            }
        }
        t
    }

    /// The annual threshold per person with every rule in force.
    pub fn threshold_for(&self, ctx: &YearContext, residence: Residence, tier: u8) -> f64 {
        self.monthly_thresholds(ctx, residence, tier).iter().sum()
    }

    /// Assessed (counted) household income for the means test, yuan per year.
    pub fn assessed_income(&self, year: u16, pop: &Population, h: usize, accounts: &Accounts, book: &Book<'_>) -> f64 {
        self.assess(year, pop, h, accounts, book).assessed
    }

    /// The means test of one household: assessed income and the new-job part of it.
    pub fn assess(&self, year: u16, pop: &Population, h: usize, accounts: &Accounts, book: &Book<'_>) -> Assessment {
        self.means_test(year, book).assess(pop, h, accounts)
    }

    /// The means test of `year` prepared once for a chunk: the deduction per number of
    /// months worked and the columns of the earlier levers it disregards. Levers that
    /// test every household of a chunk prepare it once and call
    /// [`MeansTest::assess`] per household.
    pub fn means_test<'a>(&self, year: u16, book: &Book<'a>) -> MeansTest<'a> {
        let deduction_by_months = std::array::from_fn(|months| {
            if months == 0 {
                0.0
            } else {
                self.employment_cost_deduction_per_month.sum_over(year, 13 - months as u8, 12)
            }
        });
        let pension = if self.disregard_basic_pension { book.earlier("resident_pension") } else { None };
        MeansTest {
            deduction_by_months,
            base: self.employment_cost_deduction_base,
            disregarded: [
                book.earlier(ALWAYS_DISREGARDED[0]),
                book.earlier(ALWAYS_DISREGARDED[1]),
                book.earlier(ALWAYS_DISREGARDED[2]),
                pension,
            ],
            disregard_project_income_unable: self.disregard_project_income_unable,
        }
    }

    /// The yearly benefit of a unit of `size` persons with assessed income `assessed`
    /// and monthly thresholds `t`: `size × Σ_m max(0, T_m − assessed / size / 12)`.
    #[inline]
    pub fn benefit(t: &[f64; 12], assessed: f64, size: f64) -> f64 {
        let monthly_income = assessed / size / 12.0;
        size * t.iter().map(|tm| (tm - monthly_income).max(0.0)).sum::<f64>()
    }

    /// The benefit of a last-year recipient household in which a member found work:
    /// the pre-job benefit before the job, through the grace period and down the
    /// taper, never less than the means-tested benefit of the month.
    fn benefit_after_new_job(&self, t: &[f64; 12], a: &Assessment, size: f64) -> f64 {
        let post = (a.assessed / size) / 12.0;
        let pre = ((a.assessed - a.new_job_earnings) / size) / 12.0;
        let keep_until = a.new_job_start as u16 + self.grace_months as u16; // first month after grace
        let steps = self.taper_months as f64 + 1.0;
        let mut total = 0.0;
        for (m0, tm) in t.iter().enumerate() {
            let m = m0 as u16 + 1;
            let post_b = (tm - post).max(0.0);
            let pre_b = (tm - pre).max(0.0);
            let kept = if m < keep_until {
                pre_b
            } else if m < keep_until + self.taper_months as u16 {
                let k = (m - keep_until + 1) as f64;
                pre_b * (1.0 - k / steps)
            } else {
                0.0
            };
            total += post_b.max(kept);
        }
        size * total
    }

    /// Draws this year's job offers for the able-to-work unemployed members of a
    /// recipient household, updates refusal counts and sanction flags, and returns the
    /// number of sanctioned members.
    fn sanctions(&self, ctx: &YearContext, pop: &mut Population, h: usize) -> usize {
        let Some(s) = &self.sanction else { return 0 };
        let id = pop.household_id(h);
        let first = pop.members(h).start;
        let mut sanctioned = 0;
        for i in pop.members(h) {
            let p = &mut pop.persons;
            let mut flags = p.flags[i];
            let liable = p.able_to_work[i] && p.employment[i] == Employment::Unemployed;
            if !liable {
                // Working, or no longer able to: the count and the sanction lapse.
                flags.set(PersonFlags::SANCTIONED, false);
                flags.set_refusals(0);
                p.flags[i] = flags;
                continue;
            }
            let mut rng =
                StreamRng::with_sub(ctx.seed, id, ctx.year, Purpose::Lever, SUB_JOB_OFFERS + (i - first) as u64);
            let mut refusals = flags.refusals();
            for _ in 0..s.offers_per_year {
                let offered = rng.bernoulli(s.offer_probability);
                let refused = rng.bernoulli(s.refusal_probability);
                if offered && refused {
                    refusals = (refusals + 1).min(3);
                }
            }
            flags.set_refusals(refusals);
            if refusals >= s.refusals_to_sanction {
                flags.set(PersonFlags::SANCTIONED, true);
            }
            if flags.has(PersonFlags::SANCTIONED) {
                sanctioned += 1;
            }
            p.flags[i] = flags;
        }
        sanctioned
    }

    /// A person's own counted income as a one-person unit (single-person dibao): own
    /// market income and retiree pension.
    fn own_income(p: &Persons, i: usize) -> f64 {
        (p.wage[i] + p.operating[i] + p.property[i] + p.retiree_pension[i]) as f64
    }
}

fn invalid(field: &str, value: &str, problem: &str) -> Error {
    Error::InvalidLever { lever: "dibao".into(), field: field.into(), value: value.into(), problem: problem.into() }
}

/// Checks every step of a dated amount of money.
pub(crate) fn check_dated(lever: &str, field: &str, d: &Dated<f64>) -> Result<()> {
    for (_, x) in d.steps() {
        super::tax::check_money(lever, field, *x)?;
    }
    Ok(())
}

impl Lever for Dibao {
    fn name(&self) -> &str {
        NAME
    }
    fn dibao_line(&self, ctx: &YearContext, residence: Residence, tier: u8) -> Option<f64> {
        Some(self.threshold_for(ctx, residence, tier))
    }
    fn caseload_take_up(&self) -> Option<[f64; 2]> {
        Some(self.take_up)
    }
    fn caseload_draw(&self, ctx: &YearContext, pop: &Population, h: usize, paid: f64) -> Option<f64> {
        let hh = &pop.households;
        let annual = self.threshold_for(ctx, hh.residence[h], hh.tier[h]);
        Some(self.take_up_draw_of(ctx, pop, h, paid, f64::from(recipient_persons(pop, h)) * annual))
    }
    fn stage(&self) -> Stage {
        Stage::MeansTested
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        if self.sanction.is_some() {
            self.apply_with_sanctions(ctx, pop, book);
            return;
        }
        // Without sanctions no person changes: the person columns are read through
        // slices taken once, and only the household flags are written.
        let thresholds = self.thresholds(ctx);
        let test = self.means_test(ctx.year, book);
        if let Some(plain) = self.plain_year(ctx, &thresholds)
            && plain_chunk(&pop.households.flags, &pop.households.size)
        {
            match test.base {
                DeductionBase::Wage => self.apply_plain::<true>(&plain, &test, pop, book),
                DeductionBase::Earnings => self.apply_plain::<false>(&plain, &test, pop, book),
            }
            return;
        }
        let Population { persons, households: hh, .. } = pop;
        let n = hh.len();
        let columns = TestColumns::new(persons, &hh.first_person[..n], &hh.size[..n], &hh.poverty_project_income[..n]);
        let (residence, tier, ids, rigid) = (&hh.residence[..n], &hh.tier[..n], &hh.id, &hh.rigid_expenses[..n]);
        let sizes = &hh.size[..n];
        let flag_column = &mut hh.flags[..n];
        let resident_pension = self.unit_pension(book);
        // Every household's assessed income first, without a loop per household, as the
        // plain path does (the same values as `assess_in`'s), when the means test allows
        // it. A household on dibao last year is still assessed in full, for its new jobs.
        test.with_assessed_every(&columns, persons.len(), book, |book, assessed| {
            for h in 0..n {
                let size = sizes[h] as f64;
                let mut flags = flag_column[h];
                flags.set(UNIT_FLAGS, false);
                flags.set(HouseholdFlags::LOW_INCOME_EDGE, false);
                if size == 0.0 || flags.has(HouseholdFlags::EXTREME_POVERTY_SUPPORT) {
                    flag_column[h] = flags;
                    continue;
                }
                let year_t = thresholds.get(residence[h], tier[h]);
                let mut a = match assessed {
                    Some(all) if !flags.has(HouseholdFlags::DIBAO_LAST_YEAR) => Assessment::without_new_job(all[h]),
                    _ => test.assess_in(&columns, h, book.accounts()),
                };
                self.assessment_error(ctx, ids.get(h), residence[h], &mut a);
                let last_year = flags.has(HouseholdFlags::DIBAO_LAST_YEAR);
                let benefit = self.household_benefit(year_t, &a, size, last_year);
                let first = columns.first_person[h] as usize;
                let members = first..first + sizes[h] as usize;
                // Whether the household takes up with an entitlement of `share` of its threshold.
                let takes_up = |share: f64| {
                    self.always_takes_up(persons, members.clone())
                        || self.takes_up(ctx, ids.get(h), residence[h], last_year, share)
                };
                let pension = resident_pension.map_or(0.0, |c| c[h]);
                let units = self.units(persons, members.clone(), residence[h], a.assessed / size, year_t, pension);
                match Self::decide(benefit, size, units, year_t.annual, takes_up) {
                    Decision::Units(paid, covered) => {
                        book.pay(h, IncomePart::TransfersReceived, paid);
                        flags.set_dibao_units(covered);
                    }
                    Decision::Whole(paid) => {
                        book.pay(h, IncomePart::TransfersReceived, paid);
                        flags.set(HouseholdFlags::DIBAO, true);
                    }
                    Decision::None => {}
                }
                if !flags.has(HouseholdFlags::DIBAO) {
                    let after_rigid = (a.assessed - rigid[h] as f64) / size;
                    flags.set(HouseholdFlags::LOW_INCOME_EDGE, after_rigid < self.edge_multiple * year_t.annual);
                }
                flag_column[h] = flags;
            }
        });
    }
}

/// One year's thresholds when each is the same in every month of the year, per
/// residence and county tier: the monthly threshold, the annual one (the months' sum)
/// and the edge line (`edge_multiple` × the annual threshold), all per person.
#[derive(Debug, Clone)]
struct PlainYear {
    by_residence: [Vec<[f64; 3]>; 2],
}

impl PlainYear {
    /// The thresholds of a residence and tier (a tier past the last uses the last).
    #[inline(always)]
    fn get(&self, residence: Residence, tier: u8) -> [f64; 3] {
        let tiers = &self.by_residence[residence.index()];
        tiers[(tier as usize).min(tiers.len().saturating_sub(1))]
    }

    /// The thresholds by residence when each residence has one tier (the tier column
    /// then need not be read).
    #[inline]
    fn single_tier(&self) -> Option<[[f64; 3]; 2]> {
        match &self.by_residence {
            [urban, rural] if urban.len() == 1 && rural.len() == 1 => Some([urban[0], rural[0]]),
            _ => None,
        }
    }
}

/// Whether a chunk has only households the plain path handles as the general one does:
/// none was on dibao last year (so no grace period, taper or take-up carried over), none
/// is on extreme-poverty support, none is empty. One pass over two small columns.
fn plain_chunk(flags: &[HouseholdFlags], sizes: &[u8]) -> bool {
    let any_flag = flags.iter().fold(0u16, |a, f| a | f.0);
    let smallest = sizes.iter().copied().fold(u8::MAX, u8::min);
    any_flag & (HouseholdFlags::DIBAO_LAST_YEAR | HouseholdFlags::EXTREME_POVERTY_SUPPORT) == 0 && smallest > 0
}

crate::simd_kernel! {
/// The plain path's dibao of every household into `out`: `Dibao::benefit` with twelve
/// equal months (the same twelve terms, added in the same order; 0 when assessed income
/// reaches the threshold), `monthly(h)` being household `h`'s monthly threshold per
/// person. A loop of arithmetic only, over columns, which the compiler can vectorise.
fn plain_benefits(out: &mut [f64], assessed: &[f64], sizes: &[u8], monthly: impl Fn(usize) -> f64) {
    for (h, ((out, &assessed), &size)) in out.iter_mut().zip(assessed).zip(sizes).enumerate() {
        let size = size as f64;
        let term = (monthly(h) - assessed / size / 12.0).max(0.0);
        let mut months = 0.0;
        for _ in 0..12 {
            months += term;
        }
        let benefit = size * months;
        *out = if benefit > 0.0 { benefit } else { 0.0 };
    }
}
}

/// The columns [`plain_flags`] reads, one entry per household.
struct PlainFlagColumns<'a> {
    benefits: &'a [f64],
    assessed: &'a [f64],
    rigid: &'a [f32],
    sizes: &'a [u8],
}

crate::simd_kernel! {
/// The plain path's flags of every household: on dibao when its benefit is positive, in
/// the low-income edge group when not on dibao and its assessed income after rigid
/// expenses per person is below `edge_line(h)`; the household's other flags kept. A loop
/// over columns without a branch.
fn plain_flags(flags: &mut [HouseholdFlags], columns: &PlainFlagColumns<'_>, edge_line: impl Fn(usize) -> f64) {
    const DIBAO: u16 = HouseholdFlags::DIBAO;
    const EDGE: u16 = HouseholdFlags::LOW_INCOME_EDGE;
    let c = columns;
    let households = c.benefits.iter().zip(c.assessed).zip(c.rigid.iter().zip(c.sizes));
    for (h, (flags, ((&benefit, &assessed), (&rigid, &size)))) in flags.iter_mut().zip(households).enumerate() {
        let on = benefit > 0.0;
        let after_rigid = (assessed - rigid as f64) / size as f64;
        let edge = !on & (after_rigid < edge_line(h));
        *flags = HouseholdFlags((flags.0 & !(UNIT_FLAGS | EDGE)) | (u16::from(on) * DIBAO) | (u16::from(edge) * EDGE));
    }
}
}

impl Dibao {
    /// The year's plain rule when the rules that act on few households are all off (no
    /// sanction, no single-person dibao, no assessment error, no project-income
    /// disregard, full take-up) and every threshold is the same all year; `None`
    /// otherwise. With it, [`Dibao::apply_plain`] gives the general path's results bit
    /// for bit on a chunk that [`plain_chunk`] accepts.
    fn plain_year(&self, ctx: &YearContext, thresholds: &YearThresholds) -> Option<PlainYear> {
        let rules_off = self.sanction.is_none()
            && !self.single_person
            && self.old_member_unit_line == [0.0, 0.0]
            && self.assessment_error_sigma == [0.0, 0.0]
            && !self.disregard_project_income_unable
            && Residence::BOTH.iter().all(|&r| self.take_up_rate(ctx, r) >= 1.0);
        if !rules_off {
            return None;
        }
        let mut by_residence: [Vec<[f64; 3]>; 2] = [Vec::new(), Vec::new()];
        for (out, tiers) in by_residence.iter_mut().zip(&thresholds.by_residence) {
            for t in tiers {
                if t.monthly.iter().any(|&m| m != t.monthly[0]) {
                    return None;
                }
                out.push([t.monthly[0], t.annual, self.edge_multiple * t.annual]);
            }
        }
        Some(PlainYear { by_residence })
    }

    /// [`Lever::apply`] on a chunk of the plain rule ([`Dibao::plain_year`],
    /// [`plain_chunk`]): the same arithmetic in the same order as the general path, with
    /// the member loop and the household's decisions free of data-dependent branches.
    /// Paying 0 adds +0 to an account, which changes nothing.
    fn apply_plain<const WAGE_ONLY: bool>(
        &self,
        plain: &PlainYear,
        test: &MeansTest<'_>,
        pop: &mut Population,
        book: &mut Book<'_>,
    ) {
        let Population { persons, households: hh, .. } = pop;
        let n = hh.len();
        let columns = TestColumns::new(persons, &hh.first_person[..n], &hh.size[..n], &hh.poverty_project_income[..n]);
        let (residence, tier, rigid, sizes) =
            (&hh.residence[..n], &hh.tier[..n], &hh.rigid_expenses[..n], &hh.size[..n]);
        let flag_column = &mut hh.flags[..n];
        PLAIN_SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let (assessed, benefits) = &mut *scratch;
            // Every household's assessed income first (a household's test reads only its
            // own accounts, which no payment below has changed yet).
            if !test.assessed_all::<WAGE_ONLY>(&columns, persons.len(), book.accounts(), assessed) {
                assessed.clear();
                assessed.extend((0..n).map(|h| test.assess_plain::<WAGE_ONLY>(&columns, h, book.accounts())));
            }
            let assessed = &assessed[..n];
            // Every slot is written below.
            benefits.resize(n, 0.0);
            let benefits = &mut benefits[..n];
            let single = plain.single_tier();
            match single {
                Some([urban, rural]) => {
                    let monthly = [urban[0], rural[0]];
                    plain_benefits(benefits, assessed, sizes, |h| monthly[residence[h].index()]);
                }
                None => plain_benefits(benefits, assessed, sizes, |h| plain.get(residence[h], tier[h])[0]),
            }
            book.pay_each(IncomePart::TransfersReceived, benefits);
            let columns = PlainFlagColumns { benefits, assessed, rigid, sizes };
            match single {
                Some([urban, rural]) => {
                    let edge_lines = [urban[2], rural[2]];
                    plain_flags(flag_column, &columns, |h| edge_lines[residence[h].index()]);
                }
                None => plain_flags(flag_column, &columns, |h| plain.get(residence[h], tier[h])[2]),
            }
        });
    }

    /// [`Lever::apply`] with the job-offer sanction, which changes persons' flags
    /// household by household.
    fn apply_with_sanctions(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let thresholds = self.thresholds(ctx);
        let test = self.means_test(ctx.year, book);
        let resident_pension = self.unit_pension(book);
        for h in 0..pop.household_count() {
            let residence = pop.households.residence[h];
            let size = pop.households.size[h] as f64;
            let mut flags = pop.households.flags[h];
            flags.set(UNIT_FLAGS, false);
            flags.set(HouseholdFlags::LOW_INCOME_EDGE, false);
            if size == 0.0 || flags.has(HouseholdFlags::EXTREME_POVERTY_SUPPORT) {
                pop.households.flags[h] = flags;
                continue;
            }
            let year_t = thresholds.get(residence, pop.households.tier[h]);
            let mut a = test.assess(pop, h, book.accounts());
            self.assessment_error(ctx, pop.household_id(h), residence, &mut a);
            let last_year = flags.has(HouseholdFlags::DIBAO_LAST_YEAR);
            let mut benefit = self.household_benefit(year_t, &a, size, last_year);
            let id = pop.household_id(h);
            // Whether the household takes up with an entitlement of `share` of its threshold.
            let takes_up = |share: f64| {
                self.always_takes_up(&pop.persons, pop.members(h))
                    || self.takes_up(ctx, id, residence, last_year, share)
            };
            let pension = resident_pension.map_or(0.0, |c| c[h]);
            let units = self.units(&pop.persons, pop.members(h), residence, a.assessed / size, year_t, pension);
            match Self::decide(benefit, size, units, year_t.annual, takes_up) {
                Decision::Units(paid, covered) => {
                    book.pay(h, IncomePart::TransfersReceived, paid);
                    flags.set_dibao_units(covered);
                }
                Decision::Whole(paid) => {
                    benefit = paid;
                    let sanctioned = self.sanctions(ctx, pop, h);
                    if sanctioned > 0 {
                        let cut = self.sanction.as_ref().map_or(0.0, |s| s.cut_share);
                        benefit -= benefit / size * cut * sanctioned as f64;
                    }
                    if benefit > 0.0 {
                        book.pay(h, IncomePart::TransfersReceived, benefit);
                    }
                    flags.set(HouseholdFlags::DIBAO, true);
                }
                Decision::None => {}
            }
            if !flags.has(HouseholdFlags::DIBAO) {
                let after_rigid = (a.assessed - pop.households.rigid_expenses[h] as f64) / size;
                flags.set(HouseholdFlags::LOW_INCOME_EDGE, after_rigid < self.edge_multiple * year_t.annual);
            }
            pop.households.flags[h] = flags;
        }
    }

    /// Applies the administered means test's error to an assessment (a persistent
    /// keyed draw per household; none when σ is 0).
    #[inline(always)]
    fn assessment_error(&self, ctx: &YearContext, id: u64, residence: Residence, a: &mut Assessment) {
        let sigma = self.assessment_error_sigma[residence.index()];
        if sigma > 0.0 && a.assessed > 0.0 {
            let z = StreamRng::with_sub(ctx.seed, id, 0, Purpose::TakeUp, 1).normal();
            a.assessed *= (sigma * z).exp();
        }
    }

    /// The household's benefit before take-up and sanctions.
    #[inline(always)]
    fn household_benefit(&self, year_t: &YearThreshold, a: &Assessment, size: f64, last_year: bool) -> f64 {
        if last_year && a.new_job_start <= 12 {
            self.benefit_after_new_job(&year_t.monthly, a, size)
        } else if a.assessed / size / 12.0 >= year_t.highest {
            // Above the threshold every month: every month's top-up is 0.
            0.0
        } else {
            Self::benefit(&year_t.monthly, a.assessed, size)
        }
    }

    /// Whether an eligible household takes the benefit up: last year's recipients do
    /// (those whose draw, [`Dibao::take_up_draw`], is below the year's
    /// [`super::TakeUpAdjustment::stayer_cutoff`], all by default); others when their draw is
    /// below the year's rate ([`Dibao::take_up_rate`]). The draw is keyed, so drawing
    /// it only when it matters changes nothing; a rate of 1 always takes up (uniform
    /// draws are below 1).
    /// `entitlement` is the household's share of its threshold
    /// ([`Dibao::take_up_need_priority`]).
    #[inline]
    fn takes_up(&self, ctx: &YearContext, id: u64, residence: Residence, last_year: bool, entitlement: f64) -> bool {
        self.takes_up_under(&ctx.dibao_take_up, ctx, id, residence, last_year, entitlement)
    }

    /// [`Dibao::takes_up`] under the year's `adjustment` of this rule's take-up (the
    /// dibao's, or the extreme-poverty support's for its embedded rule).
    #[inline]
    fn takes_up_under(
        &self,
        adjustment: &super::TakeUpAdjustment,
        ctx: &YearContext,
        id: u64,
        residence: Residence,
        last_year: bool,
        entitlement: f64,
    ) -> bool {
        let take_up = super::take_up_rate(self.take_up[residence.index()], adjustment.scale[residence.index()]);
        if take_up >= 1.0 {
            return true;
        }
        let cutoff = adjustment.stayer_cutoff[residence.index()];
        if last_year && cutoff >= 1.0 {
            return true;
        }
        let draw = self.take_up_draw(ctx.persistent_rng(id, Purpose::TakeUp).uniform(), residence, entitlement);
        draw < if last_year { cutoff } else { take_up }
    }

    /// An eligible household's take-up draw: a newly eligible household takes up when
    /// it is below the year's rate, last year's recipient stays when it is below the
    /// year's stayer cutoff. `u` is its persistent uniform draw and `entitlement` its
    /// share of the threshold ([`need_weighted_draw`] with the residence's
    /// [`Dibao::take_up_need_priority`]): the same need that ranks newcomers in ranks
    /// stayers at a review, so that those entitled to least leave first.
    #[inline]
    pub fn take_up_draw(&self, u: f64, residence: Residence, entitlement: f64) -> f64 {
        need_weighted_draw(u, entitlement, self.take_up_need_priority[residence.index()])
    }

    /// [`Dibao::take_up_draw`] of household `h` of `pop`, paid `paid` against a line
    /// of `unit` yuan this year (its recipients times the annual threshold per person:
    /// its entitlement is `paid` over `unit`).
    fn take_up_draw_of(&self, ctx: &YearContext, pop: &Population, h: usize, paid: f64, unit: f64) -> f64 {
        let u = ctx.persistent_rng(pop.household_id(h), Purpose::TakeUp).uniform();
        self.take_up_draw(u, pop.households.residence[h], paid / unit)
    }

    /// Whether the household's members make it take the benefit up whatever its draw
    /// ([`Dibao::full_take_up_unable_to_work`]): one aged 16 or over who cannot work,
    /// and none in paid work.
    #[inline]
    fn always_takes_up(&self, persons: &Persons, members: std::ops::Range<usize>) -> bool {
        self.full_take_up_unable_to_work
            && members.clone().any(|i| persons.age[i] >= 16 && !persons.able_to_work[i])
            && !members.into_iter().any(|i| persons.employment[i].is_working())
    }

    /// The year's take-up rate of newly eligible households of a residence: the
    /// lever's own times the year's scale ([`super::TakeUpAdjustment::scale`]), capped at 1.
    #[inline]
    pub fn take_up_rate(&self, ctx: &YearContext, residence: Residence) -> f64 {
        super::take_up_rate(self.take_up[residence.index()], ctx.dibao_take_up.scale[residence.index()])
    }

    /// Who a household's dibao covers this year. Not eligible as a whole (its benefit
    /// as a whole, `benefit`, is 0): its one-person units `units` (what they are paid
    /// and how many members they cover), when they pay something and take up on their
    /// own entitlement. Eligible as a whole: the whole household (`size` persons), paid
    /// at least what its units would be ([`Dibao::whole_with_units`]) and judged on
    /// that. `takes_up` says whether the household takes up at an entitlement share of
    /// the annual threshold `annual`.
    #[inline]
    fn decide(
        benefit: f64,
        size: f64,
        units: Option<(f64, u8)>,
        annual: f64,
        takes_up: impl Fn(f64) -> bool,
    ) -> Decision {
        if benefit <= 0.0 {
            // Units paid something cover at least one member.
            return match units {
                Some((paid, covered)) if paid > 0.0 && takes_up(paid / (f64::from(covered) * annual)) => {
                    Decision::Units(paid, covered)
                }
                _ => Decision::None,
            };
        }
        let paid = Self::whole_with_units(benefit, units);
        if takes_up(paid / (size * annual)) { Decision::Whole(paid) } else { Decision::None }
    }

    /// What a household covered as a whole is paid: its benefit, and at least what its
    /// members would be paid as one-person units (`units`), so that being covered as a
    /// whole never pays less than the old or disabled members would get alone.
    #[inline]
    fn whole_with_units(benefit: f64, units: Option<(f64, u8)>) -> f64 {
        units.map_or(benefit, |(paid, _)| benefit.max(paid))
    }

    /// Which members of a household with assessed income `per_head` per person the
    /// year's rules may cover as one-person units (when it is not eligible as a whole,
    /// or as the least it is paid when it is); `None` when none.
    #[inline]
    fn unit_rules(&self, residence: Residence, per_head: f64, year_t: &YearThreshold) -> Option<UnitRules> {
        let old_line = self.old_member_unit_line[residence.index()];
        let rules = UnitRules {
            severe: self.single_person && per_head < self.edge_multiple * year_t.annual,
            old: old_line > 0.0 && per_head < old_line * year_t.annual,
        };
        (rules.severe || rules.old).then_some(rules)
    }

    /// The one-person units of a household whose assessed income is `per_head` per
    /// person ([`Dibao::unit_rules`], [`Dibao::member_units`]); `None` when no rule
    /// applies to it. `pension` is the residents' pension it was paid this year.
    #[inline]
    fn units(
        &self,
        persons: &Persons,
        members: std::ops::Range<usize>,
        residence: Residence,
        per_head: f64,
        year_t: &YearThreshold,
        pension: f64,
    ) -> Option<(f64, u8)> {
        let rules = self.unit_rules(residence, per_head, year_t)?;
        Some(self.member_units(persons, members, &year_t.monthly, rules, pension))
    }

    /// The residents' pension paid to each household this year, which an old member's
    /// own unit counts (shared among the members of pension age without a retiree
    /// pension); `None` when it is disregarded or no such lever ran before.
    fn unit_pension<'a>(&self, book: &Book<'a>) -> Option<&'a [f64]> {
        if self.disregard_basic_pension { None } else { book.earlier("resident_pension") }
    }

    /// The one-person units of `members` (a household's) under `rules`: each covered member is assessed on their own income
    /// ([`Dibao::own_income`]) plus, at pension age without a retiree pension, their
    /// share of the household's residents' pension `pension`. Returns what the units
    /// are paid and how many members are paid something.
    fn member_units(
        &self,
        persons: &Persons,
        members: std::ops::Range<usize>,
        t: &[f64; 12],
        rules: UnitRules,
        pension: f64,
    ) -> (f64, u8) {
        let pensioner = |i: usize| persons.age[i] >= OLD_MEMBER_UNIT_AGE && persons.retiree_pension[i] <= 0.0;
        let pensioners = members.clone().filter(|&i| pensioner(i)).count();
        let share = if pensioners > 0 { pension / pensioners as f64 } else { 0.0 };
        let (mut paid, mut covered) = (0.0, 0u8);
        for i in members.filter(|&i| rules.covers(persons, i)) {
            let income = Self::own_income(persons, i) + if pensioner(i) { share } else { 0.0 };
            let benefit = Self::benefit(t, income, 1.0);
            if benefit > 0.0 {
                paid += benefit;
                covered = covered.saturating_add(1);
            }
        }
        (paid, covered)
    }
}

/// One residence and tier's thresholds for a year, per person.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearThreshold {
    /// Threshold of each month, January first ([`Dibao::monthly_thresholds`]).
    pub monthly: [f64; 12],
    /// Their sum: the annual threshold ([`Dibao::threshold_for`]).
    pub annual: f64,
    /// The highest monthly threshold.
    pub highest: f64,
}

/// The thresholds of every residence and county tier for one year, computed once per
/// chunk by [`Dibao::thresholds`] instead of once per household.
#[derive(Debug, Clone, PartialEq)]
pub struct YearThresholds {
    by_residence: [Vec<YearThreshold>; 2],
}

impl YearThresholds {
    /// The thresholds of a residence and tier (a tier past the last uses the last, as
    /// [`Dibao::monthly_thresholds`] does).
    #[inline]
    pub fn get(&self, residence: Residence, tier: u8) -> &YearThreshold {
        let tiers = &self.by_residence[residence.index()];
        // `Dibao::validate` guarantees at least one tier.
        &tiers[(tier as usize).min(tiers.len().saturating_sub(1))]
    }
}

impl Dibao {
    /// The thresholds of every residence and tier in the context's year.
    pub fn thresholds(&self, ctx: &YearContext) -> YearThresholds {
        let by_residence = Residence::BOTH.map(|r| {
            (0..self.threshold_per_month[r.index()].len())
                .map(|tier| {
                    let monthly = self.monthly_thresholds(ctx, r, tier as u8);
                    YearThreshold {
                        monthly,
                        annual: monthly.iter().sum(),
                        highest: monthly.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    }
                })
                .collect()
        });
        YearThresholds { by_residence }
    }
}

/// Extreme-poverty support (特困人员救助供养, lever 18).
///
/// Eligibility (国务院令第649号 《社会救助暂行办法》 ch. 3; Bayannur plan §(二十)): the
/// elderly, the disabled and children under 16 who cannot work, have no income
/// source, and have no one legally bound to support them or whose supporters cannot.
/// Here: every member is under 16, 60 or older, or severely disabled; a persistent
/// keyed draw with probability `no_supporter_share` says the household has no legal
/// supporter (no published share: calibrated to the profile's count of supported
/// persons, [`crate::region::PopulationTargets::extreme_poverty_supported`]); take-up
/// works as the dibao's (a persistent draw, a rate and a priority of need, the
/// entitlement measured against the support standard), with its own rate: every
/// qualifying household by default ([`super::base::EXTREME_POVERTY_TAKE_UP`]).
/// Standard: `standard_multiple` × the dibao threshold of the household's residence
/// and tier (at least 1.3, Guizhou 2017 rule under 国发〔2016〕14号,
/// lever_parameters.md). The household gets the gap between the standard and its
/// assessed income (the dibao means test). Runs before dibao; its recipients do not
/// also get dibao.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtremePovertySupport {
    /// The dibao rule whose thresholds and means test it uses, and whose take-up
    /// fields are this support's.
    pub dibao: Dibao,
    /// Support standard as a multiple of the dibao threshold (1.3, see above).
    pub standard_multiple: f64,
    /// Share of households without an able member that have no legal supporter (most
    /// elderly have children elsewhere; the base rules' is calibrated).
    pub no_supporter_share: f64,
}

impl ExtremePovertySupport {
    /// Support on the thresholds of `dibao`.
    ///
    /// # Errors
    /// [`Error::InvalidLever`] for a multiple below 1 or a share outside 0–1.
    pub fn new(dibao: Dibao, standard_multiple: f64, no_supporter_share: f64) -> Result<Self> {
        dibao.validate()?;
        if !(1.0..=MAX_THRESHOLD_MULTIPLE).contains(&standard_multiple) {
            return Err(Error::InvalidLever {
                lever: "extreme_poverty_support".into(),
                field: "standard_multiple".into(),
                value: standard_multiple.to_string(),
                problem: format!(
                    "must be at least 1 (the standard is not below the dibao threshold) and at most \
                     {MAX_THRESHOLD_MULTIPLE}"
                ),
            });
        }
        super::tax::check_share("extreme_poverty_support", "no_supporter_share", no_supporter_share)?;
        Ok(ExtremePovertySupport { dibao, standard_multiple, no_supporter_share })
    }

    /// The support standard of a residence and county tier this year, per person per
    /// month: the dibao thresholds times [`ExtremePovertySupport::standard_multiple`].
    fn standard(&self, ctx: &YearContext, residence: Residence, tier: u8) -> [f64; 12] {
        let mut t = self.dibao.monthly_thresholds(ctx, residence, tier);
        for x in &mut t {
            *x *= self.standard_multiple;
        }
        t
    }

    /// Whether a household has no member who could support it: every member under 16,
    /// aged 60+, or severely disabled.
    pub fn no_able_member(pop: &Population, h: usize) -> bool {
        pop.members(h).all(|i| {
            let a = pop.persons.age[i];
            !(16..60).contains(&a) || pop.persons.disability(i) == Disability::Severe
        })
    }
}

impl Lever for ExtremePovertySupport {
    fn name(&self) -> &str {
        EXTREME_POVERTY_NAME
    }
    fn stage(&self) -> Stage {
        Stage::MeansTested
    }
    fn caseload_take_up(&self) -> Option<[f64; 2]> {
        Some(self.dibao.take_up)
    }
    fn caseload_draw(&self, ctx: &YearContext, pop: &Population, h: usize, paid: f64) -> Option<f64> {
        let hh = &pop.households;
        let annual: f64 = self.standard(ctx, hh.residence[h], hh.tier[h]).iter().sum();
        Some(self.dibao.take_up_draw_of(ctx, pop, h, paid, hh.size[h] as f64 * annual))
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        for h in 0..pop.household_count() {
            let mut flags = pop.households.flags[h];
            flags.set(HouseholdFlags::EXTREME_POVERTY_SUPPORT, false);
            let size = pop.households.size[h] as f64;
            if size > 0.0 && Self::no_able_member(pop, h) {
                let residence = pop.households.residence[h];
                let id = pop.household_id(h);
                // The take-up draw comes first in the stream, then the supporter's.
                let mut rng = ctx.persistent_rng(id, Purpose::TakeUp);
                rng.uniform();
                let alone = rng.uniform() < self.no_supporter_share;
                if alone {
                    let t = self.standard(ctx, residence, pop.households.tier[h]);
                    let assessed = self.dibao.assessed_income(ctx.year, pop, h, book.accounts(), book);
                    let amount = Dibao::benefit(&t, assessed, size);
                    // Take-up as the dibao's, under the support's own adjustment.
                    let last_year = flags.has(HouseholdFlags::EXTREME_POVERTY_LAST_YEAR);
                    let entitlement = amount / (size * t.iter().sum::<f64>());
                    if amount > 0.0
                        && self.dibao.takes_up_under(
                            &ctx.extreme_poverty_take_up,
                            ctx,
                            id,
                            residence,
                            last_year,
                            entitlement,
                        )
                    {
                        book.pay(h, IncomePart::TransfersReceived, amount);
                        flags.set(HouseholdFlags::EXTREME_POVERTY_SUPPORT, true);
                    }
                }
            }
            pop.households.flags[h] = flags;
        }
    }
}

/// Urban thresholds by county tier (shared by every lever built on a dibao rule).
pub(crate) const P_URBAN_THRESHOLD: ParameterSpec = ParameterSpec {
    name: "urban_threshold_per_month",
    kind: Kind::DatedMoney,
    unit: "yuan/person/month, by county tier",
    default: DefaultValue::Profile("rules.dibao_threshold_urban_per_month"),
    description: "Urban dibao threshold, one dated value per county tier (an array) or one for all; default the \
                  profile's published thresholds (Liupanshui urban 705 by end-2022, Liupanshui plan §46)",
};

/// Rural thresholds by county tier.
pub(crate) const P_RURAL_THRESHOLD: ParameterSpec = ParameterSpec {
    name: "rural_threshold_per_month",
    kind: Kind::DatedMoney,
    unit: "yuan/person/month, by county tier",
    default: DefaultValue::Profile("rules.dibao_threshold_rural_per_month"),
    description: "Rural dibao threshold, one dated value per county tier (an array) or one for all; default the \
                  profile's published thresholds",
};

/// Take-up of urban households.
pub(crate) const P_TAKE_UP_URBAN: ParameterSpec = ParameterSpec {
    name: "take_up_urban",
    kind: Kind::Share,
    unit: "share of eligible households",
    default: DefaultValue::Profile("calibration: urban take-up fitted to the published caseload"),
    description: "Share of eligible urban households that take the benefit up (persistent draw; last year's \
                  recipients stay in). Default: the rate calibrated to the published caseload for the population \
                  the lever runs on (1 when there is no calibrated population)",
};

/// Take-up of extreme-poverty support by qualifying urban households.
pub(crate) const P_EXTREME_TAKE_UP_URBAN: ParameterSpec = ParameterSpec {
    name: "take_up_urban",
    kind: Kind::Share,
    unit: "share of qualifying households",
    default: DefaultValue::Number(super::base::EXTREME_POVERTY_TAKE_UP),
    description: "Share of qualifying urban households that get the support (persistent draw; last year's recipients \
                  stay in). Default 1, an assumption: the supported are found by village committees and the township \
                  (应养尽养, 国发〔2016〕14号), no published take-up",
};

/// Take-up of extreme-poverty support by qualifying rural households.
pub(crate) const P_EXTREME_TAKE_UP_RURAL: ParameterSpec = ParameterSpec {
    name: "take_up_rural",
    kind: Kind::Share,
    unit: "share of qualifying households",
    default: DefaultValue::Number(super::base::EXTREME_POVERTY_TAKE_UP),
    description: "Share of qualifying rural households that get the support. Default 1, as for urban households",
};

/// Priority of need in urban take-up.
pub(crate) const P_TAKE_UP_PRIORITY_URBAN: ParameterSpec = ParameterSpec {
    name: "take_up_need_priority_urban",
    kind: Kind::Number,
    unit: "slope of the log-odds of take-up in the entitlement (0-50)",
    default: DefaultValue::Profile(
        "calibration: urban priority of need fitted to the published spending per recipient",
    ),
    description: "Priority of need in urban take-up: the log-odds of taking up rise by this times the household's \
                  entitlement as a share of its threshold (take_up_urban is then the take-up of a household entitled \
                  to half its threshold); 0 makes every eligible household alike. The calibrated take-up rate belongs \
                  to the calibrated priority: set take_up_urban with it. Default: the value calibrated to the \
                  published dibao spending per recipient (0 when there is no calibrated population)",
};
pub(crate) const P_TAKE_UP_PRIORITY_RURAL: ParameterSpec = ParameterSpec {
    name: "take_up_need_priority_rural",
    kind: Kind::Number,
    unit: "slope of the log-odds of take-up in the entitlement (0-50)",
    default: DefaultValue::Profile(
        "calibration: rural priority of need fitted to the published spending per recipient",
    ),
    description: "Priority of need in rural take-up (see take_up_need_priority_urban). Default: the calibrated value \
                  (0 when there is no calibrated population)",
};
/// Line of old members' own units, urban.
pub(crate) const P_OLD_MEMBER_UNIT_LINE_URBAN: ParameterSpec = ParameterSpec {
    name: "old_member_unit_line_urban",
    kind: Kind::Number,
    unit: "multiple of the threshold (0 off, at most 100)",
    default: DefaultValue::Profile("calibration: urban line fitted to the published persons per recipient household"),
    description: "Old members' own units (分户, 单人保): in an urban household not eligible as a whole whose assessed \
                  income per head is below this multiple of the threshold, each member aged 60 or more not in work is \
                  assessed as a one-person unit on their own income and share of the residents' pension. 0 is off. \
                  Default: the line calibrated to the MCA's persons per recipient household (0 when there is no \
                  calibrated population)",
};
/// Line of old members' own units, rural.
pub(crate) const P_OLD_MEMBER_UNIT_LINE_RURAL: ParameterSpec = ParameterSpec {
    name: "old_member_unit_line_rural",
    kind: Kind::Number,
    unit: "multiple of the threshold (0 off, at most 100)",
    default: DefaultValue::Profile("calibration: rural line fitted to the published persons per recipient household"),
    description: "Old members' own units in rural households (see old_member_unit_line_urban). Default: the \
                  calibrated line (0 when there is no calibrated population)",
};
pub(crate) const P_TAKE_UP_RURAL: ParameterSpec = ParameterSpec {
    name: "take_up_rural",
    kind: Kind::Share,
    unit: "share of eligible households",
    default: DefaultValue::Profile("calibration: rural take-up fitted to the published caseload"),
    description: "Share of eligible rural households that take the benefit up. Default: the rate calibrated to the \
                  published caseload (1 when there is no calibrated population)",
};

/// Whether the residents' basic pension is left out of assessed income.
pub(crate) const P_DISREGARD_PENSION: ParameterSpec = ParameterSpec {
    name: "disregard_basic_pension",
    kind: Kind::Flag,
    unit: "true/false",
    default: DefaultValue::Number(0.0),
    description: "Leave the residents' basic pension out of assessed income (Baotou district plan §(九)); \
                  default off, as in the base rules",
};

/// The employment-cost deduction.
pub(crate) const P_EMPLOYMENT_COST: ParameterSpec = ParameterSpec {
    name: "employment_cost_deduction_per_month",
    kind: Kind::DatedMoney,
    unit: "yuan/worker/month worked",
    default: DefaultValue::Profile("rules.employment_cost_deduction_per_month"),
    description: "Deducted from each working member's earnings per month worked, never more than the earnings \
                  (Baotou district §(九), Yangquan 低保与就业联动); default the profile's value, which the base \
                  rules use (0 where no local rule)",
};

/// What the employment-cost deduction is capped by.
pub(crate) const P_DEDUCTION_BASE: ParameterSpec = ParameterSpec {
    name: "employment_cost_deduction_base",
    kind: Kind::Choice(&["earnings", "wage"]),
    unit: "word",
    default: DefaultValue::Word("earnings"),
    description: "What the employment-cost deduction is taken from and capped by: earnings (wage plus operating \
                  income, Baotou district §(九)) or wage (wage income only; the peer rule set of the performance \
                  benchmark, docs/peers.md: assumption for the benchmark); default earnings",
};

/// Whether poverty-project income of households unable to work is left out.
pub(crate) const P_DISREGARD_PROJECT: ParameterSpec = ParameterSpec {
    name: "disregard_project_income_unable",
    kind: Kind::Flag,
    unit: "true/false",
    default: DefaultValue::Number(0.0),
    description: "Leave poverty-project income out for households with no member able to work (Bayannur plan \
                  §(十一)); default off, as in the base rules",
};

/// The edge multiple.
pub(crate) const P_EDGE_MULTIPLE: ParameterSpec = ParameterSpec {
    name: "edge_multiple",
    kind: Kind::Number,
    unit: "multiple of the threshold (at least 1)",
    default: DefaultValue::Number(1.5),
    description: "Per-capita income after rigid expenses below this multiple of the threshold puts a household \
                  in the low-income edge group (1.5, Wuzhong plan §13)",
};

/// Indexation of thresholds.
pub(crate) const P_INDEXATION: ParameterSpec = ParameterSpec {
    name: "indexation",
    kind: Kind::Choice(Indexation::WORDS),
    unit: "word",
    default: DefaultValue::Word("none"),
    description: "Thresholds at least the base-year threshold times the price index (prices: Wuzhong plan §13, \
                  Bayannur §(二十) 与物价上涨挂钩) or the residence's income index (incomes: Bayannur §(二十) \
                  自然增长机制); default none, the dated schedule only",
};

/// The rural poverty line (两线合一).
pub(crate) const P_POVERTY_LINE: ParameterSpec = ParameterSpec {
    name: "rural_poverty_line_per_year",
    kind: Kind::DatedMoney,
    unit: "yuan/person/year",
    default: DefaultValue::Number(0.0),
    description: "The rural threshold is raised to at least this line / 12 (两线合一, Yangquan plan \
                  完善基本生活保障); default 0, no line (the base rules have none)",
};

/// Registry entries of this module's levers.
pub const SPECS: &[LeverSpec] = &[
    LeverSpec {
        name: "dibao",
        summary: "Minimum living standard: tops assessed per-capita income up to the threshold, month by month; \
                  flags the low-income edge group",
        part: "transfers received",
        source: "国务院令第649号 ch. 2; thresholds from the profile (MCA statistics); plan rules: Baotou district \
                 §(九), Bayannur §(十一) §(二十), Yangquan 低保与就业联动 and 两线合一, Wuzhong §13 (lever 16)",
        parameters: &[
            P_URBAN_THRESHOLD,
            P_RURAL_THRESHOLD,
            P_TAKE_UP_URBAN,
            P_TAKE_UP_RURAL,
            P_TAKE_UP_PRIORITY_URBAN,
            P_TAKE_UP_PRIORITY_RURAL,
            P_OLD_MEMBER_UNIT_LINE_URBAN,
            P_OLD_MEMBER_UNIT_LINE_RURAL,
            P_DISREGARD_PENSION,
            P_EMPLOYMENT_COST,
            P_DEDUCTION_BASE,
            P_DISREGARD_PROJECT,
            P_EDGE_MULTIPLE,
            ParameterSpec {
                name: "single_person",
                kind: Kind::Flag,
                unit: "true/false",
                default: DefaultValue::Number(0.0),
                description: "单人保: in a household not eligible as a whole but below edge_multiple × threshold, \
                              each severely disabled member is assessed alone (Baotou district §(九)); default off",
            },
            ParameterSpec {
                name: "full_take_up_unable_to_work",
                kind: Kind::Flag,
                unit: "true/false",
                default: DefaultValue::Number(0.0),
                description: "应保尽保 for those unable to work: an eligible household with a member aged 16+ who \
                              cannot work and no member in paid work takes the benefit up whatever its take-up \
                              draw (Baotou district §(十二)); default off",
            },
            ParameterSpec {
                name: "grace_months",
                kind: Kind::Months,
                unit: "months (0–12)",
                default: DefaultValue::Number(0.0),
                description: "缓退期: months the pre-job benefit continues after a member of last year's \
                              recipient household finds a job (Yangquan: 3); default 0",
            },
            ParameterSpec {
                name: "taper_months",
                kind: Kind::Months,
                unit: "months (0–12)",
                default: DefaultValue::Number(0.0),
                description: "渐退: after the grace period the pre-job benefit falls in taper_months + 1 equal steps \
                              (Bayannur §(十一)); default 0",
            },
            ParameterSpec {
                name: "sanction",
                kind: Kind::Flag,
                unit: "true/false",
                default: DefaultValue::Number(0.0),
                description: "Sanction after refused job offers (Yangquan: 无正当理由连续3次拒绝 … 减发或停发); \
                              default off",
            },
            ParameterSpec {
                name: "sanction_offers_per_year",
                kind: Kind::Whole,
                unit: "offers/person/year (whole)",
                default: DefaultValue::Number(2.0),
                description: "Suitable job offers an able unemployed member of a recipient household can receive a \
                              year; assumption: 2, the plan gives no number",
            },
            ParameterSpec {
                name: "sanction_offer_probability",
                kind: Kind::Share,
                unit: "probability",
                default: DefaultValue::Number(0.5),
                description: "Probability each possible offer is made; assumption: 0.5, no published figure",
            },
            ParameterSpec {
                name: "sanction_refusal_probability",
                kind: Kind::Share,
                unit: "probability",
                default: DefaultValue::Number(0.2),
                description: "Probability an offer made is refused without good reason; assumption: 0.2, no \
                              published figure",
            },
            ParameterSpec {
                name: "sanction_refusals_to_sanction",
                kind: Kind::Whole,
                unit: "refusals (1–3)",
                default: DefaultValue::Number(3.0),
                description: "Refusals that trigger the sanction (3, Yangquan plan)",
            },
            ParameterSpec {
                name: "sanction_cut_share",
                kind: Kind::Share,
                unit: "share of the person's part of the benefit",
                default: DefaultValue::Number(1.0),
                description: "Share of the sanctioned person's part (benefit / size) withheld: 1 stops it (停发), \
                              less cuts it (减发); default 1 (assumption: the plan names both)",
            },
            P_INDEXATION,
            P_POVERTY_LINE,
        ],
        build: build_dibao,
        switches: &[Switch {
            flag: "sanction",
            parameters: &[
                "sanction_offers_per_year",
                "sanction_offer_probability",
                "sanction_refusal_probability",
                "sanction_refusals_to_sanction",
                "sanction_cut_share",
            ],
        }],
    },
    LeverSpec {
        name: "extreme_poverty_support",
        summary: "特困人员救助供养: households with no able member and no legal supporter get the gap to a multiple \
                  of the dibao threshold; they do not also get dibao",
        part: "transfers received",
        source: "国务院令第649号 ch. 3; 国发〔2016〕14号 and the Guizhou 2017 rule (1.3 × dibao); Bayannur plan §(二十) \
                 (lever 18)",
        parameters: &[
            P_URBAN_THRESHOLD,
            P_RURAL_THRESHOLD,
            P_EXTREME_TAKE_UP_URBAN,
            P_EXTREME_TAKE_UP_RURAL,
            P_TAKE_UP_PRIORITY_URBAN,
            P_TAKE_UP_PRIORITY_RURAL,
            P_DISREGARD_PENSION,
            P_EMPLOYMENT_COST,
            P_DEDUCTION_BASE,
            P_DISREGARD_PROJECT,
            P_INDEXATION,
            P_POVERTY_LINE,
            ParameterSpec {
                name: "standard_multiple",
                kind: Kind::Number,
                unit: "multiple of the dibao threshold (at least 1)",
                default: DefaultValue::Profile("rules.extreme_poverty_support_multiple"),
                description: "Support standard as a multiple of the dibao threshold; default the profile's (at least \
                              1.3, Guizhou 2017 rule under 国发〔2016〕14号)",
            },
            ParameterSpec {
                name: "no_supporter_share",
                kind: Kind::Share,
                unit: "share of households without an able member",
                default: DefaultValue::Profile(
                    "calibration: the share fitted to the profile's count of supported persons \
                     (population.extreme_poverty_supported)",
                ),
                description: "Share with no legal supporter (persistent draw). Default: the base rules' share, \
                              fitted to the profile's count of supported persons (0.15, an assumption, where the \
                              profile has no count or the population is not calibrated)",
            },
        ],
        build: build_extreme,
        switches: &[],
    },
];

/// Replaces the lever name of an error raised by an embedded [`Dibao`]'s checks (which
/// name `dibao`) by the name of the lever being built.
pub(crate) fn as_lever<T>(p: &Params<'_>, r: Result<T>) -> Result<T> {
    r.map_err(|e| match e {
        Error::InvalidLever { field, value, problem, .. } => {
            Error::InvalidLever { lever: p.lever().to_string(), field, value, problem }
        }
        other => other,
    })
}

/// A whole number read from a [`Kind::Whole`] parameter, at most `max`.
pub(crate) fn whole(p: &Params<'_>, name: &'static str, max: u8) -> Result<u8> {
    let x = p.number(name)?;
    if x.fract() != 0.0 || x > max as f64 {
        return Err(p.invalid(name, x, format!("must be a whole number 0–{max}")));
    }
    Ok(x as u8)
}

/// A plain (not dated) number whose default is a value from the profile (`fallback`).
/// `Params` has no such method; this reads it as a dated value and accepts only a
/// value in force throughout.
///
/// # Errors
/// As [`Params::dated_or`], and for a table of effective months.
pub(crate) fn number_or(p: &Params<'_>, name: &'static str, fallback: f64) -> Result<f64> {
    let d = p.dated_or(name, fallback)?;
    match d.steps() {
        [(m, x)] if m.year == 0 => Ok(*x),
        steps => {
            let shown: Vec<String> = steps.iter().map(|(m, x)| format!("{m} = {x}")).collect();
            Err(p.invalid(name, shown.join(", "), "expected a number, not a table of effective months"))
        }
    }
}

/// The dibao rule of the lever being built: the thresholds of the profile (or the
/// scenario's), and every other rule the lever's registry entry declares; a rule the
/// entry does not declare keeps the default of [`Dibao::new`] (take-up, not read by
/// the levers that do not declare it, is then 1).
///
/// # Errors
/// [`Error::InvalidLever`] naming the lever being built.
pub(crate) fn dibao_rule(p: &Params<'_>) -> Result<Dibao> {
    let spec = super::registry::find(p.lever())?;
    let has = |name: &str| spec.parameter(name).is_some();
    let rules = &p.context().profile.rules;
    let urban = p.dated_list_or(P_URBAN_THRESHOLD.name, &rules.dibao_threshold_urban_per_month.value)?;
    let rural = p.dated_list_or(P_RURAL_THRESHOLD.name, &rules.dibao_threshold_rural_per_month.value)?;
    let calibration = p.context().calibration;
    let take_up = if has(P_TAKE_UP_URBAN.name) {
        let fitted = calibration.map_or([1.0, 1.0], |c| c.take_up);
        [number_or(p, P_TAKE_UP_URBAN.name, fitted[0])?, number_or(p, P_TAKE_UP_RURAL.name, fitted[1])?]
    } else {
        [1.0, 1.0]
    };
    let mut d = as_lever(p, Dibao::new([urban, rural], take_up))?;
    if has(P_TAKE_UP_URBAN.name) {
        // The population's means test keeps its calibrated error, and its take-up
        // its calibrated priority of need.
        if let Some(c) = calibration {
            d.assessment_error_sigma = c.assessment_error_sigma;
            d.take_up_need_priority = c.take_up_need_priority;
        }
        let fitted = d.take_up_need_priority;
        d.take_up_need_priority = [
            number_or(p, P_TAKE_UP_PRIORITY_URBAN.name, fitted[0])?,
            number_or(p, P_TAKE_UP_PRIORITY_RURAL.name, fitted[1])?,
        ];
        // The extreme-poverty support's own test has no units (nor the parameters).
        if has(P_OLD_MEMBER_UNIT_LINE_URBAN.name) {
            let fitted = calibration.map_or([0.0, 0.0], |c| c.old_member_unit_line);
            d.old_member_unit_line = [
                number_or(p, P_OLD_MEMBER_UNIT_LINE_URBAN.name, fitted[0])?,
                number_or(p, P_OLD_MEMBER_UNIT_LINE_RURAL.name, fitted[1])?,
            ];
        }
        as_lever(p, d.validate())?;
    }
    if has(P_DISREGARD_PENSION.name) {
        d.disregard_basic_pension = p.flag(P_DISREGARD_PENSION.name)?;
    }
    if has(P_EMPLOYMENT_COST.name) {
        d.employment_cost_deduction_per_month =
            p.dated_or(P_EMPLOYMENT_COST.name, rules.employment_cost_deduction_per_month.value)?;
    }
    if has(P_DEDUCTION_BASE.name) {
        d.employment_cost_deduction_base = match p.choice(P_DEDUCTION_BASE.name)? {
            "wage" => DeductionBase::Wage,
            _ => DeductionBase::Earnings,
        };
    }
    if has(P_DISREGARD_PROJECT.name) {
        d.disregard_project_income_unable = p.flag(P_DISREGARD_PROJECT.name)?;
    }
    if has(P_EDGE_MULTIPLE.name) {
        d.edge_multiple = p.number(P_EDGE_MULTIPLE.name)?;
    }
    if has("single_person") {
        d.single_person = p.flag("single_person")?;
    }
    if has("full_take_up_unable_to_work") {
        d.full_take_up_unable_to_work = p.flag("full_take_up_unable_to_work")?;
    }
    if has("grace_months") {
        d.grace_months = p.months("grace_months")?;
        d.taper_months = p.months("taper_months")?;
    }
    if has("sanction") && p.flag("sanction")? {
        d.sanction = Some(JobOfferSanction {
            offers_per_year: whole(p, "sanction_offers_per_year", u8::MAX)?,
            offer_probability: p.number("sanction_offer_probability")?,
            refusal_probability: p.number("sanction_refusal_probability")?,
            refusals_to_sanction: whole(p, "sanction_refusals_to_sanction", u8::MAX)?,
            cut_share: p.number("sanction_cut_share")?,
        });
    }
    if has(P_INDEXATION.name) {
        d.indexation = p.indexation(P_INDEXATION.name)?;
    }
    if has(P_POVERTY_LINE.name) {
        let line = p.dated(P_POVERTY_LINE.name)?;
        // A line of 0 throughout raises nothing: the rule is off.
        if line.steps().iter().any(|(_, x)| *x > 0.0) {
            d.rural_poverty_line_per_year = Some(line);
        }
    }
    as_lever(p, d.validate())?;
    Ok(d)
}

fn build_dibao(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(dibao_rule(p)?))
}

fn build_extreme(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    let mut dibao = dibao_rule(p)?;
    // Its own take-up, not the dibao's calibrated one.
    dibao.take_up = [
        number_or(p, P_EXTREME_TAKE_UP_URBAN.name, super::base::EXTREME_POVERTY_TAKE_UP)?,
        number_or(p, P_EXTREME_TAKE_UP_RURAL.name, super::base::EXTREME_POVERTY_TAKE_UP)?,
    ];
    as_lever(p, dibao.validate())?;
    let multiple = number_or(p, "standard_multiple", p.context().profile.rules.extreme_poverty_support_multiple.value)?;
    let fitted =
        p.context().calibration.map_or(super::base::NO_SUPPORTER_SHARE, |c| c.extreme_poverty_no_supporter_share);
    Ok(Box::new(ExtremePovertySupport::new(dibao, multiple, number_or(p, "no_supporter_share", fitted)?)?))
}

#[cfg(test)]
mod tests {
    use super::need_weighted_draw;

    #[test]
    fn without_priority_the_draw_is_the_uniform_draw_itself() {
        for u in [0.0, 1e-12, 0.3, 0.5, 0.999_999] {
            for s in [0.0, 0.4, 1.0] {
                assert_eq!(need_weighted_draw(u, s, 0.0).to_bits(), u.to_bits());
            }
        }
    }

    #[test]
    fn take_up_follows_the_logistic_in_the_entitlement() {
        // Over a fine grid of uniform draws, the share below the rate is the logistic of
        // logit(rate) + k (s − ½); more entitlement, more take-up.
        let (rate, k) = (0.3f64, 6.0);
        let n = 200_000;
        let mut last = 0.0;
        for s in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let taken = (0..n).filter(|&i| need_weighted_draw((i as f64 + 0.5) / n as f64, s, k) < rate).count();
            let share = taken as f64 / n as f64;
            let logit = (rate / (1.0 - rate)).ln() + k * (s - 0.5);
            let want = 1.0 / (1.0 + (-logit).exp());
            assert!((share - want).abs() < 1e-3, "s {s}: {share} against {want}");
            assert!(share > last, "s {s}: take-up must rise with the entitlement");
            last = share;
        }
        // A household entitled to half its threshold takes up at the rate.
        let half = (0..n).filter(|&i| need_weighted_draw((i as f64 + 0.5) / n as f64, 0.5, k) < rate).count();
        assert!((half as f64 / n as f64 - rate).abs() < 1e-4);
    }
}
