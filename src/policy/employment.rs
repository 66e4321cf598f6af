//! Employment levers: public-welfare posts, labour transfer, skills training and
//! start-up support. All four are rationed (see [`super::rationing`]).
//!
//! Conventions shared by these levers:
//! - A person hired in month `m` works `13 - m` months this year (`months_in_job`) and
//!   is paid from that month, pro rata; dated pay is summed over those months.
//! - Payments go through the [`Book`]; the person's own columns (`wage`, `operating`,
//!   `employment`, `months_in_job`, flags) are updated to this year's amounts so that
//!   later rules of the year (tax, contributions, the dibao means test) see them.
//! - A farmer who leaves the land loses the operating income of the months away: a
//!   negative amount paid into Operating (assumption: farm income accrues evenly over
//!   the year; no published split).

use super::indexation::Indexation;
use super::rationing::{
    BlockShare, Candidate, Places, Rationed, allocate_in_memory, apply_rationed, check_dated_money, check_month,
    check_non_negative, lever_sub,
};
use super::registry::{DefaultValue, Kind, LeverSpec, ParameterSpec, Params};
use super::{Book, Dated, Lever, LeverRecord, Stage, YearContext};
use crate::error::Result;
use crate::model::{
    Disability, Employment, HouseholdFlags, IncomePart, PersonFlags, Persons, Population, Residence, Sex,
};
use crate::random::{Purpose, StreamRng};

/// Youngest age for the employment levers (legal working age, 16).
pub const MIN_WORKING_AGE: u8 = 16;
/// Oldest age for the employment levers. Assumption: 59, the year before the
/// residents' pension age (60, 国发〔2014〕8号), since the plans target working-age labour.
pub const MAX_WORKING_AGE: u8 = 59;

#[inline]
fn working_age(age: u8) -> bool {
    (MIN_WORKING_AGE..=MAX_WORKING_AGE).contains(&age)
}

#[inline]
fn months_from(month: u8) -> u8 {
    13u8.saturating_sub(month.clamp(1, 12))
}

/// Whether person `i` left a wage job during this year ([`Persons::left_paid_work`]
/// with a wage kept).
fn left_wage_job_this_year(p: &Persons, i: usize) -> bool {
    p.left_paid_work(i) && p.wage[i] > 0.0
}

/// Whether person `i` left own-account work during this year
/// ([`Persons::left_paid_work`] without a wage: its operating income kept).
fn left_own_account_this_year(p: &Persons, i: usize) -> bool {
    p.left_paid_work(i) && p.wage[i] == 0.0
}

fn household_has_worker(pop: &Population, h: usize) -> bool {
    pop.members(h).any(|i| pop.persons.employment[i].is_working())
}

/// Moves person `i` of household `h` off the farm from `month`: pays the lost
/// operating income (negative) and lowers the person's operating column.
fn leave_farm(pop: &mut Population, h: usize, i: usize, month: u8, book: &mut Book<'_>) {
    let p = &mut pop.persons;
    if p.employment[i] == Employment::FarmerHerder && p.operating[i] > 0.0 {
        let lost = p.operating[i] as f64 * months_from(month) as f64 / 12.0;
        book.pay_private(h, IncomePart::Operating, -lost);
        p.operating[i] -= lost as f32;
    }
}

fn start_job(pop: &mut Population, i: usize, employment: Employment, month: u8, flag: u8) {
    let p = &mut pop.persons;
    p.employment[i] = employment;
    p.months_in_job[i] = months_from(month);
    p.flags[i].set(PersonFlags::NEW_JOB_THIS_YEAR, true);
    if flag != 0 {
        p.flags[i].set(flag, true);
    }
}

/// Public-welfare posts (公益性岗位): a number of new posts a year with a monthly pay,
/// allocated by priority to the hard-to-employ.
///
/// Eligible: able to work, aged 16–59, not in paid work (unemployed, out of the labour
/// force, or a farmer/herder; not after leaving a wage job during the year, whose pay
/// would stay in the post's wage), and in at least one priority group. Priority classes,
/// in the order of the plans (Wuzhong clause 6, "确保零就业家庭动态清零"; Bayannur
/// clause on disabled people; Liupanshui clause 35 on 就业困难人员):
/// 0 member of a zero-employment household; 1 disabled; 2 "4050" (women 40+, men 50+);
/// 3 formerly poor or monitored household; 4 dibao household. Disabled people also
/// form the quota group (at least 10% of posts: Bayannur 2017 plan, 巴政发〔2017〕4号,
/// "按不低于10%的比例安置残疾人"; Bayannur adds 3 points: set 0.13).
#[derive(Debug, Clone, PartialEq)]
pub struct PublicWelfarePosts {
    /// New posts filled per year, persons. Wuzhong: 1,500 a year (Wuzhong 2023–2027
    /// plan, clause 6, "全市每年开发购买1500个公益性岗位").
    pub posts_per_year: Dated<f64>,
    /// Pay per month, yuan. Default 500: the rural post example in
    /// lever_parameters.md (a Henan county, 2018).
    pub pay_per_month: Dated<f64>,
    /// Share of posts reserved for disabled people (0.10; Bayannur 0.13).
    pub disabled_quota: f64,
    /// Month in which the year's posts are filled, 1–12. Default 1: an assumption (the
    /// plans do not say when posts start).
    pub hire_month: u8,
    /// How `pay_per_month` moves after the base year: [`Indexation::None`] (the
    /// default: the dated schedule as written, the plans' nominal pay),
    /// [`Indexation::Prices`] (pay indexed to prices, which Liupanshui §5 would explore
    /// with the province) or [`Indexation::Incomes`] (the residence's income index); the
    /// factor multiplies the schedule's amount.
    pub indexation: Indexation,
}

impl PublicWelfarePosts {
    /// Posts with the given number per year and monthly pay, a 10% disabled quota,
    /// filled in January.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for negative posts or pay, steps out of order, a
    /// quota outside 0–1 or a month outside 1–12.
    pub fn new(
        posts_per_year: Dated<f64>,
        pay_per_month: Dated<f64>,
        disabled_quota: f64,
        hire_month: u8,
    ) -> Result<Self> {
        let name = "public_welfare_posts";
        check_dated_money(name, "posts_per_year", &posts_per_year)?;
        check_dated_money(name, "pay_per_month", &pay_per_month)?;
        super::tax::check_share(name, "disabled_quota", disabled_quota)?;
        check_month(name, "hire_month", hire_month)?;
        Ok(PublicWelfarePosts {
            posts_per_year,
            pay_per_month,
            disabled_quota,
            hire_month,
            indexation: Indexation::None,
        })
    }

    /// Wuzhong's plan: 1,500 posts a year at 500 yuan a month, 10% for disabled people.
    ///
    /// # Errors
    /// Never for these values.
    pub fn wuzhong() -> Result<Self> {
        Self::new(Dated::constant(1500.0), Dated::constant(500.0), 0.10, 1)
    }

    fn class(&self, pop: &Population, h: usize, i: usize, zero_employment: bool) -> Option<u8> {
        let p = &pop.persons;
        let flags = pop.households.flags[h];
        if zero_employment {
            Some(0)
        } else if p.disability(i) != Disability::None {
            Some(1)
        } else if (p.sex[i] == Sex::Female && p.age[i] >= 40) || (p.sex[i] == Sex::Male && p.age[i] >= 50) {
            Some(2)
        } else if flags.has(HouseholdFlags::FORMERLY_POOR) || flags.has(HouseholdFlags::MONITORED) {
            Some(3)
        } else if super::dibao::member_on_dibao(flags, p, i) {
            Some(4)
        } else {
            None
        }
    }
}

impl Rationed for PublicWelfarePosts {
    fn rationed_name(&self) -> &str {
        "public_welfare_posts"
    }
    fn places(&self, ctx: &YearContext) -> Places {
        Places {
            places: *self.posts_per_year.at(super::YearMonth::start_of(ctx.year)),
            quota_share: self.disabled_quota,
        }
    }
    fn eligible(&self, _ctx: &YearContext, pop: &Population, emit: &mut dyn FnMut(Candidate)) {
        let p = &pop.persons;
        for h in 0..pop.household_count() {
            let zero_employment = !household_has_worker(pop, h);
            for (m, i) in pop.members(h).enumerate() {
                let free = matches!(
                    p.employment[i],
                    Employment::Unemployed | Employment::NotInLabourForce | Employment::FarmerHerder
                );
                if !(p.able_to_work[i] && working_age(p.age[i]) && free) || left_wage_job_this_year(p, i) {
                    continue;
                }
                if let Some(class) = self.class(pop, h, i, zero_employment) {
                    emit(Candidate::unkeyed(pop, h, m, class).in_quota(p.disability(i) != Disability::None))
                }
            }
        }
    }
    fn apply_chosen(&self, ctx: &YearContext, pop: &mut Population, chosen: &[Candidate], book: &mut Book<'_>) {
        let pay = self.pay_per_month.sum_over(ctx.year, self.hire_month, 12);
        for c in chosen {
            let pay = pay * self.indexation.factor(ctx, pop.households.residence[c.household]);
            leave_farm(pop, c.household, c.person, self.hire_month, book);
            start_job(pop, c.person, Employment::PublicWelfarePost, self.hire_month, 0);
            pop.persons.wage[c.person] += pay as f32;
            book.pay(c.household, IncomePart::Wage, pay);
        }
    }
}

impl Lever for PublicWelfarePosts {
    fn name(&self) -> &str {
        "public_welfare_posts"
    }
    fn stage(&self) -> Stage {
        Stage::Employment
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        apply_rationed(self, ctx, pop, book);
    }
    fn as_rationed(&self) -> Option<&dyn Rationed> {
        Some(self)
    }
}

/// Labour transfer and organised migrant work (转移就业, 有组织劳务输出).
///
/// Moves rural working-age people out of farming or no work into a local off-farm job
/// or migrant work. The new monthly wage is `local_wage_per_month × ratio`, with the
/// ratio lognormal around `wage_ratio` (σ = `wage_sigma`), times `migrant_premium` for
/// migrant jobs, times the year's index of the household's residence
/// ([`LabourTransfer::indexation`]: by default the wage index, so that the base-year
/// amount grows with pay rates). A share of the transferred do not stay: they work half of the
/// remaining months (assumption).
///
/// **Residence rule** (NBS; LEVERS.md "Residence"): a member away six months or more
/// is not a household member, and what they send home is a transfer. Here:
/// - a migrant who is away less than six months (`MigrantShortTerm`, months away capped
///   at five) keeps the wage as household wage income;
/// - a migrant away six months or more (drawn with `long_term_share` among migrants
///   hired by July) is marked away: `employment = MigrantShortTerm` is *not* used; the
///   person keeps status `NotInLabourForce` with the `TRANSFERRED` flag and zero
///   months in job, earns nothing in the household accounts, and the household
///   receives `remittance_share` of the wage as remittances (TransfersReceived, also
///   added to the household's `remittances` column). The model has no "away" status
///   and cannot drop a member (that changes `size`), so the person still counts in
///   per-capita income; this understates per-capita income slightly (documented
///   limitation).
///
/// Eligible: rural residence, able to work, 16–59, farmer/herder, unemployed or out of
/// the labour force, not already transferred. A person who left a wage job earlier in
/// the year keeps its pay, as a transitory part of this year's wage: next year's rate
/// is the new job's. Priority: 0 relocated household without
/// a worker (Liupanshui clause 8, "确保有劳动力的搬迁家庭每户至少1人实现就业"); 1 formerly
/// poor or monitored; 2 everyone else.
#[derive(Debug, Clone, PartialEq)]
pub struct LabourTransfer {
    /// Persons moved per year. Bayannur 120,000 person-times a year; Wuzhong 180,000
    /// (LEVERS.md lever 1). Default 0: the scenario sets it.
    pub persons_per_year: Dated<f64>,
    /// Local monthly wage of the new job, yuan. Default 2,500: a farm-enterprise job in
    /// Shuicheng, Liupanshui, 2019 (lever_parameters.md).
    pub local_wage_per_month: Dated<f64>,
    /// Median of the new wage relative to the local wage. Default 1.0 (assumption).
    pub wage_ratio: f64,
    /// Dispersion of the log wage ratio. Default 0.3 (assumption).
    pub wage_sigma: f64,
    /// Share of transferred people going to migrant work away from home. Default 0.5
    /// (assumption).
    pub migrant_share: f64,
    /// Migrant pay relative to local pay: 5,240 / 4,026 ≈ 1.3 (NBS migrant worker
    /// monitoring report 2022, lever_parameters.md).
    pub migrant_premium: f64,
    /// Among migrants hired by July, the share away six months or more. Default 0.5
    /// (assumption).
    pub long_term_share: f64,
    /// Share of a long-term migrant's wage sent home. Default 0.3 (assumption).
    pub remittance_share: f64,
    /// Share still in the job at the end of the year. Default 0.8 (assumption).
    pub retention: f64,
    /// Service subsidy per person placed in a job of six months or more this year,
    /// yuan, paid to the labour broker or agency that placed them: a fiscal cost no
    /// household receives. Wuzhong 2023–2027 plan, clause 5, 200
    /// ("对组织农村转移劳动力到企业稳定就业6个月以上的,按规定给予劳务中介组织、劳务经纪人200元/人服务补贴").
    /// Default 0: the other plans name none.
    pub broker_subsidy_per_person: f64,
    /// How `local_wage_per_month` (base-year yuan) moves after the base year. Default
    /// [`Indexation::Wages`] (assumption: market pay grows with the baseline's pay rates,
    /// [`YearContext::wage_index`]); [`Indexation::None`] pays the dated schedule as
    /// written.
    pub indexation: Indexation,
    /// Month of the move, 1–12. Default 3 (assumption: after the Spring Festival).
    pub start_month: u8,
}

impl LabourTransfer {
    /// Labour transfer with the given number per year and defaults for the rest.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative number or wage, or steps out of order.
    pub fn new(persons_per_year: Dated<f64>, local_wage_per_month: Dated<f64>) -> Result<Self> {
        LabourTransfer {
            persons_per_year,
            local_wage_per_month,
            wage_ratio: 1.0,
            wage_sigma: 0.3,
            migrant_share: 0.5,
            migrant_premium: 1.3,
            long_term_share: 0.5,
            remittance_share: 0.3,
            retention: 0.8,
            broker_subsidy_per_person: 0.0,
            indexation: Indexation::Wages,
            start_month: 3,
        }
        .validated()
    }

    /// Checks every field.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] naming the first bad field.
    pub fn validated(self) -> Result<Self> {
        let n = "labour_transfer";
        check_dated_money(n, "persons_per_year", &self.persons_per_year)?;
        check_dated_money(n, "local_wage_per_month", &self.local_wage_per_month)?;
        check_non_negative(n, "wage_ratio", self.wage_ratio)?;
        check_non_negative(n, "wage_sigma", self.wage_sigma)?;
        check_non_negative(n, "migrant_premium", self.migrant_premium)?;
        super::tax::check_money(n, "broker_subsidy_per_person", self.broker_subsidy_per_person)?;
        for (f, x) in [
            ("migrant_share", self.migrant_share),
            ("long_term_share", self.long_term_share),
            ("remittance_share", self.remittance_share),
            ("retention", self.retention),
        ] {
            super::tax::check_share(n, f, x)?;
        }
        check_month(n, "start_month", self.start_month)?;
        Ok(self)
    }
}

impl Rationed for LabourTransfer {
    fn rationed_name(&self) -> &str {
        "labour_transfer"
    }
    fn places(&self, ctx: &YearContext) -> Places {
        Places { places: *self.persons_per_year.at(super::YearMonth::start_of(ctx.year)), quota_share: 0.0 }
    }
    fn eligible(&self, _ctx: &YearContext, pop: &Population, emit: &mut dyn FnMut(Candidate)) {
        let p = &pop.persons;
        for h in 0..pop.household_count() {
            if pop.households.residence[h] != Residence::Rural {
                continue;
            }
            let flags = pop.households.flags[h];
            let class = if flags.has(HouseholdFlags::RELOCATED) && !household_has_worker(pop, h) {
                0
            } else if flags.has(HouseholdFlags::FORMERLY_POOR) || flags.has(HouseholdFlags::MONITORED) {
                1
            } else {
                2
            };
            for (m, i) in pop.members(h).enumerate() {
                let free = matches!(
                    p.employment[i],
                    Employment::Unemployed | Employment::NotInLabourForce | Employment::FarmerHerder
                );
                if p.able_to_work[i] && working_age(p.age[i]) && free && !p.flags[i].has(PersonFlags::TRANSFERRED) {
                    emit(Candidate::unkeyed(pop, h, m, class))
                }
            }
        }
    }
    fn apply_chosen(&self, ctx: &YearContext, pop: &mut Population, chosen: &[Candidate], book: &mut Book<'_>) {
        let sub = lever_sub("labour_transfer.job");
        let months = months_from(self.start_month);
        for c in chosen {
            let mut rng =
                StreamRng::with_sub(ctx.seed, c.household_id, ctx.year, Purpose::Lever, sub ^ c.member as u64);
            let index = self.indexation.factor(ctx, pop.households.residence[c.household]);
            let ratio = self.wage_ratio * (self.wage_sigma * rng.normal()).exp() * index;
            let migrant = rng.bernoulli(self.migrant_share);
            let retained = rng.bernoulli(self.retention);
            let long_term = migrant && months >= 6 && rng.bernoulli(self.long_term_share);
            let worked = if retained { months } else { months.div_ceil(2) };
            let premium = if migrant { self.migrant_premium } else { 1.0 };
            leave_farm(pop, c.household, c.person, self.start_month, book);
            if long_term {
                // Away six months or more: not a member; the household gets remittances.
                let last = self.start_month + worked - 1;
                let wage = self.local_wage_per_month.sum_over(ctx.year, self.start_month, last) * ratio * premium;
                let sent = wage * self.remittance_share;
                let p = &mut pop.persons;
                p.employment[c.person] = Employment::NotInLabourForce;
                p.months_in_job[c.person] = 0;
                p.flags[c.person].set(PersonFlags::TRANSFERRED, true);
                pop.households.remittances[c.household] += sent as f32;
                book.pay_private(c.household, IncomePart::TransfersReceived, sent);
                self.pay_broker(c.household, worked, book);
            } else {
                let (employment, worked) = if migrant {
                    (Employment::MigrantShortTerm, worked.min(5))
                } else {
                    (Employment::LocalEmployee, worked)
                };
                let last = self.start_month + worked - 1;
                let wage = self.local_wage_per_month.sum_over(ctx.year, self.start_month, last) * ratio * premium;
                start_job(pop, c.person, employment, self.start_month, PersonFlags::TRANSFERRED);
                pop.persons.months_in_job[c.person] = worked;
                // A wage already there is pay kept of a wage job left earlier in the year.
                pop.persons.add_new_job_wage(c.person, wage as f32);
                book.pay_private(c.household, IncomePart::Wage, wage);
                self.pay_broker(c.household, worked, book);
            }
        }
    }
}

impl LabourTransfer {
    /// The broker's service subsidy for a person placed for `worked` months this year
    /// (six or more), a fiscal cost beside household `h`'s accounts.
    fn pay_broker(&self, h: usize, worked: u8, book: &mut Book<'_>) {
        if worked >= 6 && self.broker_subsidy_per_person > 0.0 {
            book.pay_outside(h, self.broker_subsidy_per_person);
        }
    }
}

impl Lever for LabourTransfer {
    fn name(&self) -> &str {
        "labour_transfer"
    }
    fn stage(&self) -> Stage {
        Stage::Employment
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        apply_rationed(self, ctx, pop, book);
    }
    fn as_rationed(&self) -> Option<&dyn Rationed> {
        Some(self)
    }
}

/// Subsidised skills training (职业技能培训) with a living allowance and a certificate
/// subsidy (证书直补).
///
/// Trainees are trained in `training_month`; from the next month (both amounts times
/// the year's index, [`SkillsTraining::indexation`]), a trainee with a
/// wage earns `hourly_gain × hours_per_month` more per month (+1.88 yuan/hour: Zhao &
/// Geng 2020, 财经研究 46(8), lever_parameters.md), and a trainee without work finds a
/// local job with probability `employment_probability` at `new_job_wage_per_month` (one
/// who left a wage job earlier in the year keeps its pay, as a transitory part of this
/// year's wage: next year's rate is the new job's).
/// The living allowance (per trainee) and the certificate subsidy (per certified
/// trainee, with probability `certificate_rate`) are transfers.
///
/// Eligible: able to work, 16–59, not already trained, and not a student, retiree or
/// public-sector employee. Priority (Bayannur "五类人员"; Wuzhong "困难群体"): 0
/// unemployed; 1 formerly poor, monitored or dibao household; 2 rural; 3 others.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillsTraining {
    /// Trainees per year. Liupanshui 36,500 (2022 plan, clause 59, "3.65万人次");
    /// Bayannur ≥ 15,000; Wuzhong 7,000 (2023–2027 plan, clause 7).
    pub places_per_year: Dated<f64>,
    /// Wage gain per hour, yuan. 1.88 (Zhao & Geng 2020).
    pub hourly_gain: f64,
    /// Hours worked per month: 174 = 21.75 days × 8 hours (the legal monthly working
    /// days, 劳社部发〔2008〕3号). Assumption that trainees work standard hours.
    pub hours_per_month: f64,
    /// Probability that a trainee without work finds a job after training. Default 0.3
    /// (assumption; no published figure).
    pub employment_probability: f64,
    /// Monthly wage of such a job, yuan. Default 2,500 (Shuicheng farm-enterprise job,
    /// lever_parameters.md).
    pub new_job_wage_per_month: Dated<f64>,
    /// Living allowance per trainee, yuan (培训生活费补助, Liupanshui clause 23; amount
    /// set locally). Default 0.
    pub living_allowance: f64,
    /// Certificate subsidy per certified trainee, yuan (证书直补). Default 0.
    pub certificate_subsidy: f64,
    /// Share of trainees who obtain a certificate. Default 0.5 (assumption).
    pub certificate_rate: f64,
    /// Training subsidy per trainee paid to the training provider (职业技能培训补贴),
    /// yuan: a fiscal cost no household receives. Default 0 (assumption: the plans and
    /// our sources give no standard; it is set locally).
    pub subsidy_per_trainee: f64,
    /// How the market pay (`hourly_gain`, `new_job_wage_per_month`, base-year yuan)
    /// moves after the base year. Default [`Indexation::Wages`] (assumption, as
    /// [`LabourTransfer::indexation`]).
    pub indexation: Indexation,
    /// Month in which training ends, 1–12. Default 3 (assumption).
    pub training_month: u8,
}

impl SkillsTraining {
    /// Training with the given places and defaults for the rest.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative number, steps out of order.
    pub fn new(places_per_year: Dated<f64>) -> Result<Self> {
        SkillsTraining {
            places_per_year,
            hourly_gain: 1.88,
            hours_per_month: 174.0,
            employment_probability: 0.3,
            new_job_wage_per_month: Dated::constant(2500.0),
            living_allowance: 0.0,
            certificate_subsidy: 0.0,
            certificate_rate: 0.5,
            subsidy_per_trainee: 0.0,
            indexation: Indexation::Wages,
            training_month: 3,
        }
        .validated()
    }

    /// Checks every field.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] naming the first bad field.
    pub fn validated(self) -> Result<Self> {
        let n = "skills_training";
        check_dated_money(n, "places_per_year", &self.places_per_year)?;
        check_dated_money(n, "new_job_wage_per_month", &self.new_job_wage_per_month)?;
        super::tax::check_money(n, "hourly_gain", self.hourly_gain)?;
        check_non_negative(n, "hours_per_month", self.hours_per_month)?;
        super::tax::check_share(n, "employment_probability", self.employment_probability)?;
        super::tax::check_money(n, "living_allowance", self.living_allowance)?;
        super::tax::check_money(n, "certificate_subsidy", self.certificate_subsidy)?;
        super::tax::check_share(n, "certificate_rate", self.certificate_rate)?;
        super::tax::check_money(n, "subsidy_per_trainee", self.subsidy_per_trainee)?;
        check_month(n, "training_month", self.training_month)?;
        Ok(self)
    }
}

impl Rationed for SkillsTraining {
    fn rationed_name(&self) -> &str {
        "skills_training"
    }
    fn places(&self, ctx: &YearContext) -> Places {
        Places { places: *self.places_per_year.at(super::YearMonth::start_of(ctx.year)), quota_share: 0.0 }
    }
    fn eligible(&self, _ctx: &YearContext, pop: &Population, emit: &mut dyn FnMut(Candidate)) {
        let p = &pop.persons;
        let poor = HouseholdFlags::FORMERLY_POOR | HouseholdFlags::MONITORED;
        for h in 0..pop.household_count() {
            let flags = pop.households.flags[h];
            for (m, i) in pop.members(h).enumerate() {
                let excluded =
                    matches!(p.employment[i], Employment::Student | Employment::Retired | Employment::PublicSector);
                if !p.able_to_work[i] || !working_age(p.age[i]) || excluded || p.flags[i].has(PersonFlags::TRAINED) {
                    continue;
                }
                let class = if p.employment[i] == Employment::Unemployed {
                    0
                } else if flags.0 & poor != 0 || super::dibao::member_on_dibao(flags, p, i) {
                    1
                } else if pop.households.residence[h] == Residence::Rural {
                    2
                } else {
                    3
                };
                emit(Candidate::unkeyed(pop, h, m, class))
            }
        }
    }
    fn apply_chosen(&self, ctx: &YearContext, pop: &mut Population, chosen: &[Candidate], book: &mut Book<'_>) {
        let sub = lever_sub("skills_training.effect");
        let after = self.training_month.saturating_add(1);
        let months_after = 12u8.saturating_sub(self.training_month);
        for c in chosen {
            let mut rng =
                StreamRng::with_sub(ctx.seed, c.household_id, ctx.year, Purpose::Lever, sub ^ c.member as u64);
            let i = c.person;
            pop.persons.flags[i].set(PersonFlags::TRAINED, true);
            let mut transfer = self.living_allowance;
            if rng.bernoulli(self.certificate_rate) {
                pop.persons.flags[i].set(PersonFlags::CERTIFIED, true);
                transfer += self.certificate_subsidy;
            }
            if transfer > 0.0 {
                book.pay(c.household, IncomePart::TransfersReceived, transfer);
            }
            if self.subsidy_per_trainee > 0.0 {
                book.pay_outside(c.household, self.subsidy_per_trainee);
            }
            let employment = pop.persons.employment[i];
            let finds_job = rng.bernoulli(self.employment_probability);
            let index = self.indexation.factor(ctx, pop.households.residence[c.household]);
            if employment.earns_wage() {
                let months = pop.persons.months_in_job[i].min(months_after) as f64;
                let gain = self.hourly_gain * self.hours_per_month * months * index;
                pop.persons.wage[i] += gain as f32;
                book.pay_private(c.household, IncomePart::Wage, gain);
            } else if !employment.is_working() && months_after > 0 && finds_job {
                let wage = (self.new_job_wage_per_month.sum_over(ctx.year, after, 12)
                    + self.hourly_gain * self.hours_per_month * months_after as f64)
                    * index;
                start_job(pop, i, Employment::LocalEmployee, after, 0);
                // A wage already there is pay kept of a wage job left earlier in the year.
                pop.persons.add_new_job_wage(i, wage as f32);
                book.pay_private(c.household, IncomePart::Wage, wage);
            }
        }
    }
}

impl Lever for SkillsTraining {
    fn name(&self) -> &str {
        "skills_training"
    }
    fn stage(&self) -> Stage {
        Stage::Employment
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        apply_rationed(self, ctx, pop, book);
    }
    fn as_rationed(&self) -> Option<&dyn Rationed> {
        Some(self)
    }
}

/// Start-up support (创业补贴, 创业担保贷款): a number of start-ups a year, each with a
/// one-off grant, a business income and a guaranteed loan whose interest subsidy is a
/// fiscal cost no household receives.
///
/// A person chosen starts a business in `start_month`: leaves the farm or job, becomes
/// self-employed, earns `business_income_per_month` from then on (operating income;
/// it and the hires' wage are base-year amounts times the year's index,
/// [`StartUpSupport::indexation`]) and receives the grant (a transfer): `farm_grant` with probability `farm_share`
/// (farm start-ups), otherwise `grant`.
///
/// **Jobs for others.** Each start-up creates `jobs_per_start_up` jobs including its
/// founder's ([`StartUpSupport::jobs_created`]). The others are local wage jobs from
/// `start_month` at `hire_wage_per_month`, paid by the business (not a fiscal cost),
/// filled in the start-ups' own block and residence: the block's start-ups of each
/// residence, weighted, times `jobs_per_start_up − 1`, are places rationed among
/// residents of that residence able to work, 16–59, without paid work this year and
/// not away as migrants. Priority: 0 unemployed; 1 out of the labour force; 2
/// farmers and herders, who leave the land for the job (creating jobs is the plans'
/// "创业带动就业": Wuzhong clause 6, Liupanshui clause 41). A block with too few such
/// residents leaves the rest unfilled.
///
/// Eligible: able to work, 18–59, unemployed, out of the labour force (not after
/// leaving own-account work during the year, whose income would count as the
/// business's), farmer, local employee or short-term migrant, not already supported. Priority (Liupanshui clause
/// 41): 0 unemployed, disabled or formerly poor/monitored; 1 returning migrants; 2 others.
#[derive(Debug, Clone, PartialEq)]
pub struct StartUpSupport {
    /// Start-ups per year. Wuzhong: 2,000 a year creating 3,000 jobs (LEVERS.md lever 10).
    pub start_ups_per_year: Dated<f64>,
    /// One-off grant, yuan: 5,000 (Liupanshui 2022 plan, clause 40, "给予5000元一次性创业补贴").
    pub grant: f64,
    /// One-off grant for farm start-ups, yuan: 10,000 (same clause, "给予1万元一次性创业补贴").
    pub farm_grant: f64,
    /// Share of start-ups in farming. Default 0.3 (assumption).
    pub farm_share: f64,
    /// Net business income per month, yuan. Default 3,000 (assumption: a little above
    /// the local wage of 2,500 in lever_parameters.md).
    pub business_income_per_month: f64,
    /// Jobs created per start-up, including the founder: 1.5 (Wuzhong 3,000 / 2,000).
    pub jobs_per_start_up: f64,
    /// Monthly wage of a job a start-up creates for someone else, yuan. Default 2,500
    /// (a farm-enterprise job in Shuicheng, Liupanshui, 2019: lever_parameters.md).
    pub hire_wage_per_month: Dated<f64>,
    /// Guaranteed loan per start-up, yuan: 200,000 (Wuzhong clause 6, individuals up to
    /// 200,000; 300,000 for graduates).
    pub loan: f64,
    /// Share of start-ups that take the loan. Default 0.5 (assumption).
    pub loan_take_up: f64,
    /// Interest subsidised per yuan of loan per year. Default 0.0365 (assumption: the
    /// one-year loan prime rate of 2022, fully subsidised).
    pub interest_subsidy_rate: f64,
    /// How the market amounts (`business_income_per_month`, `hire_wage_per_month`,
    /// base-year yuan) move after the base year. Default [`Indexation::Wages`]
    /// (assumption, as [`LabourTransfer::indexation`]); the grants and the loan are
    /// the plans' nominal amounts and do not move.
    pub indexation: Indexation,
    /// Month the business starts, 1–12. Default 1 (assumption).
    pub start_month: u8,
}

impl StartUpSupport {
    /// Start-up support with the given number per year and the defaults above.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative amount or share outside 0–1.
    pub fn new(start_ups_per_year: Dated<f64>) -> Result<Self> {
        StartUpSupport {
            start_ups_per_year,
            grant: 5000.0,
            farm_grant: 10000.0,
            farm_share: 0.3,
            business_income_per_month: 3000.0,
            jobs_per_start_up: 1.5,
            hire_wage_per_month: Dated::constant(2500.0),
            loan: 200_000.0,
            loan_take_up: 0.5,
            interest_subsidy_rate: 0.0365,
            indexation: Indexation::Wages,
            start_month: 1,
        }
        .validated()
    }

    /// Checks every field.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] naming the first bad field.
    pub fn validated(self) -> Result<Self> {
        let n = "start_up_support";
        check_dated_money(n, "start_ups_per_year", &self.start_ups_per_year)?;
        for (f, x) in [
            ("grant", self.grant),
            ("farm_grant", self.farm_grant),
            ("business_income_per_month", self.business_income_per_month),
            ("loan", self.loan),
        ] {
            super::tax::check_money(n, f, x)?;
        }
        check_non_negative(n, "jobs_per_start_up", self.jobs_per_start_up)?;
        check_dated_money(n, "hire_wage_per_month", &self.hire_wage_per_month)?;
        for (f, x) in [
            ("farm_share", self.farm_share),
            ("loan_take_up", self.loan_take_up),
            ("interest_subsidy_rate", self.interest_subsidy_rate),
        ] {
            super::tax::check_share(n, f, x)?;
        }
        check_month(n, "start_month", self.start_month)?;
        Ok(self)
    }

    /// Jobs created by `start_ups` (weighted) start-ups.
    pub fn jobs_created(&self, start_ups: f64) -> f64 {
        start_ups * self.jobs_per_start_up
    }
}

impl Rationed for StartUpSupport {
    fn rationed_name(&self) -> &str {
        "start_up_support"
    }
    fn places(&self, ctx: &YearContext) -> Places {
        Places { places: *self.start_ups_per_year.at(super::YearMonth::start_of(ctx.year)), quota_share: 0.0 }
    }
    fn eligible(&self, _ctx: &YearContext, pop: &Population, emit: &mut dyn FnMut(Candidate)) {
        let p = &pop.persons;
        for h in 0..pop.household_count() {
            let poor = pop.households.flags[h].0 & (HouseholdFlags::FORMERLY_POOR | HouseholdFlags::MONITORED) != 0;
            for (m, i) in pop.members(h).enumerate() {
                let ok = matches!(
                    p.employment[i],
                    Employment::Unemployed
                        | Employment::NotInLabourForce
                        | Employment::FarmerHerder
                        | Employment::LocalEmployee
                        | Employment::MigrantShortTerm
                );
                if !ok
                    || !p.able_to_work[i]
                    || !(18..=MAX_WORKING_AGE).contains(&p.age[i])
                    || left_own_account_this_year(p, i)
                {
                    continue;
                }
                if p.flags[i].has(PersonFlags::STARTED_BUSINESS) {
                    continue;
                }
                let class = if p.employment[i] == Employment::Unemployed || p.disability(i) != Disability::None || poor
                {
                    0
                } else if p.employment[i] == Employment::MigrantShortTerm {
                    1
                } else {
                    2
                };
                emit(Candidate::unkeyed(pop, h, m, class))
            }
        }
    }
    fn apply_chosen(&self, ctx: &YearContext, pop: &mut Population, chosen: &[Candidate], book: &mut Book<'_>) {
        let sub = lever_sub("start_up_support.kind");
        let months = months_from(self.start_month);
        for c in chosen {
            let i = c.person;
            let mut rng =
                StreamRng::with_sub(ctx.seed, c.household_id, ctx.year, Purpose::Lever, sub ^ c.member as u64);
            let grant = if rng.bernoulli(self.farm_share) { self.farm_grant } else { self.grant };
            leave_farm(pop, c.household, i, self.start_month, book);
            // A wage earner gives up the wage of the months in business.
            if pop.persons.employment[i].earns_wage() && pop.persons.wage[i] > 0.0 {
                let lost = pop.persons.wage[i] as f64 * months as f64 / 12.0;
                pop.persons.wage[i] -= lost as f32;
                book.pay_private(c.household, IncomePart::Wage, -lost);
            }
            let index = self.indexation.factor(ctx, pop.households.residence[c.household]);
            let income = self.business_income_per_month * months as f64 * index;
            start_job(pop, i, Employment::SelfEmployed, self.start_month, PersonFlags::STARTED_BUSINESS);
            pop.persons.operating[i] += income as f32;
            book.pay_private(c.household, IncomePart::Operating, income);
            if grant > 0.0 {
                book.pay(c.household, IncomePart::TransfersReceived, grant);
            }
        }
        self.hire(ctx, pop, chosen, book);
    }
}

impl StartUpSupport {
    /// Fills the jobs the chunk's new start-ups (`chosen`) create for others, by
    /// residence (see [`StartUpSupport`]).
    fn hire(&self, ctx: &YearContext, pop: &mut Population, chosen: &[Candidate], book: &mut Book<'_>) {
        let per_start_up = self.jobs_per_start_up - 1.0;
        if per_start_up <= 0.0 {
            return;
        }
        let mut places = [0.0; 2];
        for c in chosen {
            places[pop.households.residence[c.household].index()] += c.weight * per_start_up;
        }
        for residence in Residence::BOTH {
            let mut hires = StartUpHires { lever: self, residence, places: places[residence.index()], last_class: 0 };
            if hires.places <= 0.0 {
                continue;
            }
            // The unemployed alone first: when they fill the places, the cut lies among
            // them and the other classes are never read, so offering them changes nothing.
            // Places are finite and non-negative, so the allocation cannot fail.
            let Ok((mut allocation, mut list)) = allocate_in_memory(&hires, ctx, pop, BlockShare::whole()) else {
                continue;
            };
            if allocation.report.unfilled > 0.0 {
                hires.last_class = StartUpHires::LAST_CLASS;
                let Ok((wider, all)) = allocate_in_memory(&hires, ctx, pop, BlockShare::whole()) else { continue };
                (allocation, list) = (wider, all);
            }
            book.report_hires(hires.places, allocation.report.filled);
            hires.apply_chosen(ctx, pop, &list, book);
        }
    }
}

/// The jobs one chunk's start-ups of one residence create for others: rationed places.
struct StartUpHires<'a> {
    lever: &'a StartUpSupport,
    residence: Residence,
    /// Weighted persons to hire.
    places: f64,
    /// The last priority class offered (see [`StartUpHires::LAST_CLASS`]).
    last_class: u8,
}

impl StartUpHires<'_> {
    /// The last priority class: 0 unemployed, 1 out of the labour force, 2 farmers.
    const LAST_CLASS: u8 = 2;
}

impl Rationed for StartUpHires<'_> {
    fn rationed_name(&self) -> &str {
        "start_up_support.hires"
    }
    fn places(&self, _ctx: &YearContext) -> Places {
        Places { places: self.places, quota_share: 0.0 }
    }
    fn eligible(&self, _ctx: &YearContext, pop: &Population, emit: &mut dyn FnMut(Candidate)) {
        let p = &pop.persons;
        for h in 0..pop.household_count() {
            if pop.households.residence[h] != self.residence {
                continue;
            }
            for (m, i) in pop.members(h).enumerate() {
                let class = match p.employment[i] {
                    Employment::Unemployed => 0,
                    Employment::NotInLabourForce => 1,
                    Employment::FarmerHerder => 2,
                    _ => continue,
                };
                if class > self.last_class {
                    continue;
                }
                // This year's founders are self-employed now; a long-term migrant is away.
                let away = p.flags[i].has(PersonFlags::TRANSFERRED);
                if p.able_to_work[i] && working_age(p.age[i]) && !p.left_paid_work(i) && !away {
                    emit(Candidate::unkeyed(pop, h, m, class))
                }
            }
        }
    }
    fn apply_chosen(&self, ctx: &YearContext, pop: &mut Population, chosen: &[Candidate], book: &mut Book<'_>) {
        let month = self.lever.start_month;
        let pay = self.lever.hire_wage_per_month.sum_over(ctx.year, month, 12)
            * self.lever.indexation.factor(ctx, self.residence);
        for c in chosen {
            leave_farm(pop, c.household, c.person, month, book);
            start_job(pop, c.person, Employment::LocalEmployee, month, 0);
            pop.persons.add_new_job_wage(c.person, pay as f32);
            book.pay_private(c.household, IncomePart::Wage, pay);
        }
    }
}

impl Lever for StartUpSupport {
    fn name(&self) -> &str {
        "start_up_support"
    }
    fn stage(&self) -> Stage {
        Stage::Employment
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        apply_rationed(self, ctx, pop, book);
    }
    fn as_rationed(&self) -> Option<&dyn Rationed> {
        Some(self)
    }
    /// The interest subsidy on guaranteed loans: start-ups (places filled) × take-up ×
    /// loan × rate.
    fn extra_fiscal_cost(&self, _ctx: &YearContext, record: &LeverRecord) -> f64 {
        record.filled_places * self.loan_take_up * self.loan * self.interest_subsidy_rate
    }
}

/// The levers whose `indexation` multiplies their pay (a dated pay schedule is then
/// read as base-year yuan).
pub const PAY_INDEXED: [&str; 4] = ["labour_transfer", "skills_training", "start_up_support", "public_welfare_posts"];

/// How a lever's market pay, in base-year yuan, moves after the base year.
const P_PAY_INDEXATION: ParameterSpec = ParameterSpec {
    name: "indexation",
    kind: Kind::Choice(Indexation::PAY_WORDS),
    unit: "word",
    default: DefaultValue::Word("wages"),
    description: "How the lever's market pay (the wages and business income above, read as base-year yuan) moves \
                  after the base year: wages with the growth of pay rates (urban: the assumed growth of urban \
                  wages; rural: of migrant workers' average monthly income, NBS migrant worker monitoring \
                  survey, data/published/migrant_workers.csv), incomes with the residence's income index, \
                  prices with the price index, none pays the amounts as written (a schedule dated in each year's \
                  yuan). Default wages (assumption: the plans' and sources' pay figures are of one year and \
                  market pay grows)",
};

/// Registry entries of this module's levers.
pub const SPECS: &[LeverSpec] = &[
    LeverSpec {
        name: "public_welfare_posts",
        summary: "New public-welfare posts a year with a monthly pay, rationed by priority to the hard-to-employ",
        part: "wage (public: the post's pay); operating income lost by farmers who take a post (private)",
        source: "公益性岗位: Wuzhong 2023–2027 plan clause 6 (1,500 posts a year, zero-employment households); \
                 Bayannur 巴政发〔2017〕4号 (10% for disabled people); Liupanshui 2022 plan clause 35",
        parameters: &[
            ParameterSpec {
                name: "posts_per_year",
                kind: Kind::DatedCount,
                unit: "posts/year",
                default: DefaultValue::Number(0.0),
                description: "New posts filled per year. Default 0: the scenario sets it (Wuzhong: 1,500 a year, \
                              2023–2027 plan, clause 6, \"全市每年开发购买1500个公益性岗位\")",
            },
            ParameterSpec {
                name: "pay_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/person/month",
                default: DefaultValue::Number(500.0),
                description: "Pay per month: 500, the rural post example in lever_parameters.md (a Henan county, \
                              2018)",
            },
            ParameterSpec {
                name: "disabled_quota",
                kind: Kind::Share,
                unit: "share of posts",
                default: DefaultValue::Number(0.10),
                description: "Share of posts reserved for disabled people: 0.10 (Bayannur 2017 plan, \
                              巴政发〔2017〕4号, \
                              \"按不低于10%的比例安置残疾人\"; Bayannur adds 3 points: 0.13)",
            },
            ParameterSpec {
                name: "hire_month",
                kind: Kind::Months,
                unit: "month of the year, 1-12",
                default: DefaultValue::Number(1.0),
                description: "Month in which the year's posts are filled; assumption: 1, the plans do not say \
                              when posts start",
            },
            ParameterSpec {
                name: "indexation",
                kind: Kind::Choice(Indexation::WORDS),
                unit: "word",
                default: DefaultValue::Word("none"),
                description: "How pay_per_month moves after the base year: none (the default) pays the dated \
                              schedule as written, the plans' nominal pay; prices times the price index (Liupanshui \
                              2022 plan, clause 5, would explore pay indexed to prices with the province); incomes \
                              times the residence's income index",
            },
        ],
        build: build_public_welfare_posts,
        switches: &[],
    },
    LeverSpec {
        name: "labour_transfer",
        summary: "Moves rural working-age people off the farm or out of no work into local jobs or migrant work",
        part: "wage, operating (farm income lost), transfers received (remittances of long-term migrants), all \
               private; the broker's subsidy a fiscal cost only",
        source: "转移就业, 有组织劳务输出: Bayannur 120,000 and Wuzhong 180,000 person-times a year \
                 (LEVERS.md lever 1); \
                 Liupanshui 2022 plan clause 8",
        parameters: &[
            ParameterSpec {
                name: "persons_per_year",
                kind: Kind::DatedCount,
                unit: "persons/year",
                default: DefaultValue::Number(0.0),
                description: "Persons moved per year. Default 0: the scenario sets it (Bayannur 120,000 \
                              person-times a year; Wuzhong 180,000, LEVERS.md lever 1)",
            },
            ParameterSpec {
                name: "local_wage_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/person/month",
                default: DefaultValue::Number(2500.0),
                description: "Local monthly wage of the new job: 2,500, a farm-enterprise job in Shuicheng, \
                              Liupanshui, 2019 (lever_parameters.md)",
            },
            ParameterSpec {
                name: "wage_ratio",
                kind: Kind::Number,
                unit: "multiple of the local wage",
                default: DefaultValue::Number(1.0),
                description: "Median of the new wage relative to the local wage; assumption: 1, no published figure",
            },
            ParameterSpec {
                name: "wage_sigma",
                kind: Kind::Number,
                unit: "standard deviation of the log wage ratio",
                default: DefaultValue::Number(0.3),
                description: "Dispersion of the log wage ratio; assumption: 0.3, no published figure",
            },
            ParameterSpec {
                name: "migrant_share",
                kind: Kind::Share,
                unit: "share of persons moved",
                default: DefaultValue::Number(0.5),
                description: "Share of transferred people going to migrant work away from home; assumption: 0.5",
            },
            ParameterSpec {
                name: "migrant_premium",
                kind: Kind::Number,
                unit: "multiple of the local wage",
                default: DefaultValue::Number(1.3),
                description: "Migrant pay relative to local pay: 5,240 / 4,026 ≈ 1.3 (NBS migrant worker \
                              monitoring report 2022, lever_parameters.md)",
            },
            ParameterSpec {
                name: "long_term_share",
                kind: Kind::Share,
                unit: "share of migrants hired by July",
                default: DefaultValue::Number(0.5),
                description: "Among migrants hired by July, the share away six months or more (no longer household \
                              members: they send remittances); assumption: 0.5",
            },
            ParameterSpec {
                name: "remittance_share",
                kind: Kind::Share,
                unit: "share of the wage",
                default: DefaultValue::Number(0.3),
                description: "Share of a long-term migrant's wage sent home; assumption: 0.3, no published figure",
            },
            ParameterSpec {
                name: "retention",
                kind: Kind::Share,
                unit: "share of persons moved",
                default: DefaultValue::Number(0.8),
                description: "Share still in the job at the end of the year (the others work half the remaining \
                              months); assumption: 0.8",
            },
            ParameterSpec {
                name: "broker_subsidy_per_person",
                kind: Kind::Money,
                unit: "yuan/person placed six months or more",
                default: DefaultValue::Number(0.0),
                description: "Service subsidy to the labour broker or agency per person placed in a job of six \
                              months or more this year, a fiscal cost no household receives (Wuzhong 2023–2027 plan, \
                              clause 5: 200, \"给予劳务中介组织、劳务经纪人200元/人服务补贴\"). Default 0: the other \
                              plans name none",
            },
            P_PAY_INDEXATION,
            ParameterSpec {
                name: "start_month",
                kind: Kind::Months,
                unit: "month of the year, 1-12",
                default: DefaultValue::Number(3.0),
                description: "Month of the move; assumption: 3, after the Spring Festival",
            },
        ],
        build: build_labour_transfer,
        switches: &[],
    },
    LeverSpec {
        name: "skills_training",
        summary: "Subsidised skills training: higher wages for trainees in work, jobs for some without, allowances",
        part: "wage (private: employers pay the gain), transfers received (public: living allowance, certificate \
               subsidy); the provider's subsidy a fiscal cost only",
        source: "职业技能培训: Liupanshui 2022 plan clauses 23 and 59; Bayannur; Wuzhong 2023–2027 plan clause 7; \
                 wage gain Zhao & Geng 2020, 财经研究 46(8) (lever_parameters.md)",
        parameters: &[
            ParameterSpec {
                name: "places_per_year",
                kind: Kind::DatedCount,
                unit: "trainees/year",
                default: DefaultValue::Number(0.0),
                description: "Trainees per year. Default 0: the scenario sets it (Liupanshui 36,500, 2022 plan, \
                              clause 59, \"3.65万人次\"; Bayannur ≥ 15,000; Wuzhong 7,000, 2023–2027 plan, clause 7)",
            },
            ParameterSpec {
                name: "hourly_gain",
                kind: Kind::Money,
                unit: "yuan/hour",
                default: DefaultValue::Number(1.88),
                description: "Wage gain per hour after training: 1.88 (Zhao & Geng 2020, 财经研究 46(8), \
                              lever_parameters.md)",
            },
            ParameterSpec {
                name: "hours_per_month",
                kind: Kind::Number,
                unit: "hours/month",
                default: DefaultValue::Number(174.0),
                description: "Hours worked per month: 174 = 21.75 days × 8 hours (legal monthly working days, \
                              劳社部发〔2008〕3号); assumption that trainees work standard hours",
            },
            ParameterSpec {
                name: "employment_probability",
                kind: Kind::Share,
                unit: "probability",
                default: DefaultValue::Number(0.3),
                description: "Probability that a trainee without work finds a job after training; assumption: 0.3, \
                              no published figure",
            },
            ParameterSpec {
                name: "new_job_wage_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/person/month",
                default: DefaultValue::Number(2500.0),
                description: "Monthly wage of such a job: 2,500 (Shuicheng farm-enterprise job, lever_parameters.md)",
            },
            ParameterSpec {
                name: "living_allowance",
                kind: Kind::Money,
                unit: "yuan/trainee",
                default: DefaultValue::Number(0.0),
                description: "Living allowance per trainee (培训生活费补助, Liupanshui clause 23; amount set \
                              locally); assumption: 0",
            },
            ParameterSpec {
                name: "certificate_subsidy",
                kind: Kind::Money,
                unit: "yuan/certified trainee",
                default: DefaultValue::Number(0.0),
                description: "Certificate subsidy per certified trainee (证书直补; amount set locally); assumption: 0",
            },
            ParameterSpec {
                name: "certificate_rate",
                kind: Kind::Share,
                unit: "share of trainees",
                default: DefaultValue::Number(0.5),
                description: "Share of trainees who obtain a certificate; assumption: 0.5, no published figure",
            },
            ParameterSpec {
                name: "subsidy_per_trainee",
                kind: Kind::Money,
                unit: "yuan/trainee",
                default: DefaultValue::Number(0.0),
                description: "Training subsidy per trainee paid to the training provider (职业技能培训补贴), a fiscal \
                              cost no household receives; assumption: 0, no standard in the plans or our sources (set \
                              locally)",
            },
            P_PAY_INDEXATION,
            ParameterSpec {
                name: "training_month",
                kind: Kind::Months,
                unit: "month of the year, 1-12",
                default: DefaultValue::Number(3.0),
                description: "Month in which training ends (effects from the next month); assumption: 3",
            },
        ],
        build: build_skills_training,
        switches: &[],
    },
    LeverSpec {
        name: "start_up_support",
        summary: "Start-ups a year with a one-off grant, business income and a guaranteed loan with interest subsidy",
        part: "operating and wage (private: the business's income, the jobs it creates for others; wage or farm \
               income given up), transfers received (public: the grant); the interest subsidy a fiscal cost only",
        source: "创业补贴, 创业担保贷款: Liupanshui 2022 plan clauses 40–41; Wuzhong plan clause 6 and \
                 LEVERS.md lever 10",
        parameters: &[
            ParameterSpec {
                name: "start_ups_per_year",
                kind: Kind::DatedCount,
                unit: "start-ups/year",
                default: DefaultValue::Number(0.0),
                description: "Start-ups per year. Default 0: the scenario sets it (Wuzhong: 2,000 a year creating \
                              3,000 jobs, LEVERS.md lever 10)",
            },
            ParameterSpec {
                name: "grant",
                kind: Kind::Money,
                unit: "yuan/start-up",
                default: DefaultValue::Number(5000.0),
                description: "One-off grant: 5,000 (Liupanshui 2022 plan, clause 40, \"给予5000元一次性创业补贴\")",
            },
            ParameterSpec {
                name: "farm_grant",
                kind: Kind::Money,
                unit: "yuan/start-up",
                default: DefaultValue::Number(10000.0),
                description: "One-off grant for farm start-ups: 10,000 (same clause, \"给予1万元一次性创业补贴\")",
            },
            ParameterSpec {
                name: "farm_share",
                kind: Kind::Share,
                unit: "share of start-ups",
                default: DefaultValue::Number(0.3),
                description: "Share of start-ups in farming; assumption: 0.3, no published figure",
            },
            ParameterSpec {
                name: "business_income_per_month",
                kind: Kind::Money,
                unit: "yuan/start-up/month",
                default: DefaultValue::Number(3000.0),
                description: "Net business income per month; assumption: 3,000, a little above the local wage of \
                              2,500 in lever_parameters.md",
            },
            ParameterSpec {
                name: "jobs_per_start_up",
                kind: Kind::Number,
                unit: "jobs/start-up",
                default: DefaultValue::Number(1.5),
                description: "Jobs created per start-up, including the founder: 1.5 (Wuzhong 3,000 / 2,000); \
                              the jobs beyond the founder's are filled in the start-ups' residence by residents \
                              without paid work (unemployed first, then out of the labour force, then farmers)",
            },
            ParameterSpec {
                name: "hire_wage_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/person/month",
                default: DefaultValue::Number(2500.0),
                description: "Monthly wage of a job a start-up creates for someone else, paid by the business (not a \
                              fiscal cost): 2,500 (Shuicheng farm-enterprise job, lever_parameters.md)",
            },
            ParameterSpec {
                name: "loan",
                kind: Kind::Money,
                unit: "yuan/start-up",
                default: DefaultValue::Number(200_000.0),
                description: "Guaranteed loan per start-up: 200,000 (Wuzhong clause 6, individuals up to 200,000; \
                              300,000 for graduates)",
            },
            ParameterSpec {
                name: "loan_take_up",
                kind: Kind::Share,
                unit: "share of start-ups",
                default: DefaultValue::Number(0.5),
                description: "Share of start-ups that take the loan; assumption: 0.5, no published figure",
            },
            ParameterSpec {
                name: "interest_subsidy_rate",
                kind: Kind::Share,
                unit: "yuan per yuan of loan per year",
                default: DefaultValue::Number(0.0365),
                description: "Interest subsidised per yuan of loan per year (a fiscal cost); assumption: 0.0365, the \
                              one-year loan prime rate of 2022, fully subsidised",
            },
            P_PAY_INDEXATION,
            ParameterSpec {
                name: "start_month",
                kind: Kind::Months,
                unit: "month of the year, 1-12",
                default: DefaultValue::Number(1.0),
                description: "Month the business starts; assumption: 1",
            },
        ],
        build: build_start_up_support,
        switches: &[],
    },
];

fn build_public_welfare_posts(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    let posts = PublicWelfarePosts::new(
        p.dated("posts_per_year")?,
        p.dated("pay_per_month")?,
        p.number("disabled_quota")?,
        p.months("hire_month")?,
    )?;
    Ok(Box::new(PublicWelfarePosts { indexation: p.indexation("indexation")?, ..posts }))
}

fn build_labour_transfer(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(
        LabourTransfer {
            persons_per_year: p.dated("persons_per_year")?,
            local_wage_per_month: p.dated("local_wage_per_month")?,
            wage_ratio: p.number("wage_ratio")?,
            wage_sigma: p.number("wage_sigma")?,
            migrant_share: p.number("migrant_share")?,
            migrant_premium: p.number("migrant_premium")?,
            long_term_share: p.number("long_term_share")?,
            remittance_share: p.number("remittance_share")?,
            retention: p.number("retention")?,
            broker_subsidy_per_person: p.number("broker_subsidy_per_person")?,
            indexation: p.indexation(P_PAY_INDEXATION.name)?,
            start_month: p.months("start_month")?,
        }
        .validated()?,
    ))
}

fn build_skills_training(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(
        SkillsTraining {
            places_per_year: p.dated("places_per_year")?,
            hourly_gain: p.number("hourly_gain")?,
            hours_per_month: p.number("hours_per_month")?,
            employment_probability: p.number("employment_probability")?,
            new_job_wage_per_month: p.dated("new_job_wage_per_month")?,
            living_allowance: p.number("living_allowance")?,
            certificate_subsidy: p.number("certificate_subsidy")?,
            certificate_rate: p.number("certificate_rate")?,
            subsidy_per_trainee: p.number("subsidy_per_trainee")?,
            indexation: p.indexation(P_PAY_INDEXATION.name)?,
            training_month: p.months("training_month")?,
        }
        .validated()?,
    ))
}

fn build_start_up_support(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(
        StartUpSupport {
            start_ups_per_year: p.dated("start_ups_per_year")?,
            grant: p.number("grant")?,
            farm_grant: p.number("farm_grant")?,
            farm_share: p.number("farm_share")?,
            business_income_per_month: p.number("business_income_per_month")?,
            jobs_per_start_up: p.number("jobs_per_start_up")?,
            hire_wage_per_month: p.dated("hire_wage_per_month")?,
            loan: p.number("loan")?,
            loan_take_up: p.number("loan_take_up")?,
            interest_subsidy_rate: p.number("interest_subsidy_rate")?,
            indexation: p.indexation(P_PAY_INDEXATION.name)?,
            start_month: p.months("start_month")?,
        }
        .validated()?,
    ))
}
