//! Wage levers: minimum wage, wage guideline, public-sector and teacher pay, village
//! doctor and rural teacher allowances, and work-for-relief.
//!
//! Each pays into Wage through the [`Book`] and raises the person's `wage` column by
//! the same amount, so later rules (tax, contributions) see the new wage. Jobs are taken
//! to run over the *last* `months_in_job` months of the year (a person who found a job
//! in July has 6 months, July–December), which is how dated amounts are summed.

use super::members::with_household_index;
use super::rationing::{
    Candidate, Places, Rationed, apply_rationed, check_dated_money, check_dated_rate, check_non_negative, lever_sub,
};
use super::registry::{DefaultValue, Kind, LeverSpec, ParameterSpec, Params};
use super::{Book, Dated, Lever, LeverRecord, Stage, YearContext};
use crate::error::Result;
use crate::model::bounds::MAX_AMOUNT;
use crate::model::{Employment, IncomePart, Occupation, Population, Residence};
use crate::random::Purpose;

/// First month of a job of `months` months ending in December.
#[inline]
fn first_month(months: u8) -> u8 {
    13u8.saturating_sub(months.clamp(1, 12))
}

/// A dated monthly amount summed over the last `months` months of `year`, for each
/// number of months 0-12 (entry 0 as for one month, as [`first_month`] clamps): computed
/// once a year instead of once a person.
fn months_table(d: &Dated<f64>, year: u16) -> [f64; 13] {
    std::array::from_fn(|months| d.sum_over(year, first_month(months as u8), 12))
}

/// Who pays a wage a lever raises: the employer (a market wage: minimum wage, wage
/// guideline) or a public budget (public-sector pay, allowances, work-for-relief).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Payer {
    Employer,
    Public,
}

fn raise(pop: &mut Population, h: usize, i: usize, amount: f64, payer: Payer, book: &mut Book<'_>) {
    if amount != 0.0 {
        pop.persons.wage[i] += amount as f32;
        match payer {
            Payer::Employer => book.pay_private(h, IncomePart::Wage, amount),
            Payer::Public => book.pay(h, IncomePart::Wage, amount),
        }
    }
}

/// Minimum wage (最低工资标准): a monthly floor by county tier; covered employees paid
/// below the floor over their months in the job are raised to it.
///
/// Covered: local employees (not migrants, whose floor is set elsewhere, nor public
/// sector or post holders), each with probability `coverage` (a persistent keyed draw:
/// informal jobs are not covered). Optional employment effect: a covered worker whose
/// wage is raised by a share `r` loses the job with probability
/// `job_loss_per_raise × r` (default 0: no effect assumed), losing the wage of those
/// months (a negative Wage amount).
#[derive(Debug, Clone, PartialEq)]
pub struct MinimumWage {
    /// Floor per month by tier (tier 0 first), yuan, dated. E.g. Inner Mongolia from
    /// 2021-12: 1,980 / 1,910 / 1,850; Shanxi from 2017-10: 1,700 / 1,600 / 1,500 /
    /// 1,400 (晋政办发〔2017〕120号); lever_parameters.md "Minimum wages".
    pub floor_per_month: Vec<Dated<f64>>,
    /// Share of local employees covered. Default 1.0 (assumption).
    pub coverage: f64,
    /// Probability of job loss per unit relative raise. Default 0 (assumption).
    pub job_loss_per_raise: f64,
}

impl MinimumWage {
    /// A floor by tier with full coverage and no employment effect.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for no tiers, a negative floor or steps out of order.
    pub fn new(floor_per_month: Vec<Dated<f64>>) -> Result<Self> {
        MinimumWage { floor_per_month, coverage: 1.0, job_loss_per_raise: 0.0 }.validated()
    }

    /// Checks every field.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] naming the first bad field.
    pub fn validated(self) -> Result<Self> {
        let n = "minimum_wage";
        if self.floor_per_month.is_empty() {
            return Err(super::rationing::invalid(n, "floor_per_month", "[]", "needs at least one tier"));
        }
        for d in &self.floor_per_month {
            check_dated_money(n, "floor_per_month", d)?;
        }
        super::tax::check_share(n, "coverage", self.coverage)?;
        check_non_negative(n, "job_loss_per_raise", self.job_loss_per_raise)?;
        Ok(self)
    }
}

impl Lever for MinimumWage {
    fn name(&self) -> &str {
        "minimum_wage"
    }
    fn stage(&self) -> Stage {
        Stage::MarketIncome
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let sub = lever_sub("minimum_wage");
        if self.floor_per_month.is_empty() {
            return;
        }
        // What the floor owes for each number of months in the job (1-12), by tier.
        let owed_by_tier: Vec<[f64; 13]> =
            self.floor_per_month.iter().map(|floor| months_table(floor, ctx.year)).collect();
        let last_tier = owed_by_tier.len() - 1;
        let owed_of = |pop: &Population, h: usize, i: usize| -> Option<f64> {
            let months = pop.persons.months_in_job[i].min(12);
            if pop.persons.employment[i] != Employment::LocalEmployee || months == 0 {
                return None;
            }
            let owed = owed_by_tier[(pop.households.tier[h] as usize).min(last_tier)][months as usize];
            (f64::from(pop.persons.wage[i]) < owed).then_some(owed)
        };
        // The employees paid below the floor and what it owes them, found person by person
        // over the household index (few: no loop per household), in household and member
        // order; a raise changes only the raised person, so listing them first changes
        // nothing.
        let hh = &pop.households;
        let mut below: Vec<(usize, usize, f64)> = Vec::new();
        let listed = with_household_index(&hh.first_person, &hh.size, pop.person_count(), |index| {
            for (i, &h) in index.iter().enumerate() {
                if let Some(owed) = owed_of(pop, h as usize, i) {
                    below.push((h as usize, i, owed));
                }
            }
        });
        if listed.is_none() {
            below.clear();
            for h in 0..pop.household_count() {
                below.extend(pop.members(h).filter_map(|i| owed_of(pop, h, i).map(|owed| (h, i, owed))));
            }
        }
        for (h, i, owed) in below {
            let wage = pop.persons.wage[i] as f64;
            let id = pop.household_id(h);
            let m = i - pop.households.first_person[h] as usize;
            // Coverage is a persistent draw; with full coverage every draw passes.
            if self.coverage < 1.0 {
                let mut rng = crate::random::StreamRng::with_sub(ctx.seed, id, 0, Purpose::Lever, sub ^ m as u64);
                if !rng.bernoulli(self.coverage) {
                    continue;
                }
            }
            let mut yearly = crate::random::StreamRng::with_sub(ctx.seed, id, ctx.year, Purpose::Lever, sub ^ m as u64);
            let relative = if wage > 0.0 { (owed - wage) / wage } else { 1.0 };
            if self.job_loss_per_raise > 0.0 && yearly.bernoulli(self.job_loss_per_raise * relative) {
                pop.persons.employment[i] = Employment::Unemployed;
                pop.persons.months_in_job[i] = 0;
                raise(pop, h, i, -wage, Payer::Employer, book);
            } else {
                raise(pop, h, i, owed - wage, Payer::Employer, book);
            }
        }
    }
}

/// Wage guideline (工资指导线): the year's baseline growth of employees' wages.
///
/// As a lever it raises the wage of every local employee and short-term migrant by
/// `growth` (public-sector pay has its own lever). An engine that models wage growth
/// in its dynamics may instead read [`WageGuideline::growth`] and leave this lever
/// out; using both would count the growth twice.
#[derive(Debug, Clone, PartialEq)]
pub struct WageGuideline {
    /// Growth rate of wages in the year, dated (the rate in force in January applies).
    /// No default: guidelines are published yearly by each province.
    pub growth: Dated<f64>,
}

impl WageGuideline {
    /// A guideline with the given growth.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a rate at or below -1 or steps out of order.
    pub fn new(growth: Dated<f64>) -> Result<Self> {
        check_dated_rate("wage_guideline", "growth", &growth)?;
        Ok(WageGuideline { growth })
    }

    /// The growth rate of a year.
    pub fn growth(&self, year: u16) -> f64 {
        *self.growth.at(super::YearMonth::start_of(year))
    }
}

impl Lever for WageGuideline {
    fn name(&self) -> &str {
        "wage_guideline"
    }
    fn stage(&self) -> Stage {
        Stage::MarketIncome
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let g = self.growth(ctx.year);
        for h in 0..pop.household_count() {
            for i in pop.members(h) {
                if matches!(pop.persons.employment[i], Employment::LocalEmployee | Employment::MigrantShortTerm) {
                    let amount = pop.persons.wage[i] as f64 * g;
                    raise(pop, h, i, amount, Payer::Employer, book);
                }
            }
        }
    }
}

/// Public-sector and teacher pay (机关事业单位工资, 教师工资不低于公务员).
///
/// Public-sector employees get a pay rise `raise` (a share, from the month it takes
/// effect: the year's wage is split evenly over the months in the job). Teachers paid
/// below `civil_servant_wage` (the local civil servants' average annual wage, prorated
/// to months in the job) are then raised to it: the parity rule of the Teachers Law
/// (教师法 art. 25) that all plans restate. The reference wage is a parameter, not a
/// mean over the chunk, so the result does not depend on the chunking.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicSectorPay {
    /// Pay rise, share, dated by month of effect. No published default.
    pub raise: Dated<f64>,
    /// Average civil servant wage, yuan a year; `None` switches parity off.
    pub civil_servant_wage: Option<f64>,
}

impl PublicSectorPay {
    /// A pay rise with optional teacher parity.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a rate at or below -1, steps out of order or a
    /// negative reference wage.
    pub fn new(raise: Dated<f64>, civil_servant_wage: Option<f64>) -> Result<Self> {
        check_dated_rate("public_sector_pay", "raise", &raise)?;
        if let Some(w) = civil_servant_wage {
            super::tax::check_money("public_sector_pay", "civil_servant_wage", w)?;
        }
        Ok(PublicSectorPay { raise, civil_servant_wage })
    }
}

impl Lever for PublicSectorPay {
    fn name(&self) -> &str {
        "public_sector_pay"
    }
    fn stage(&self) -> Stage {
        Stage::MarketIncome
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let rise_by_months = months_table(&self.raise, ctx.year);
        for h in 0..pop.household_count() {
            for i in pop.members(h) {
                let months = pop.persons.months_in_job[i].min(12);
                if pop.persons.employment[i] != Employment::PublicSector || months == 0 {
                    continue;
                }
                let wage = pop.persons.wage[i] as f64;
                let monthly = wage / months as f64;
                let rise = monthly * rise_by_months[months as usize];
                let mut amount = rise;
                if let (Some(cs), Occupation::Teacher) = (self.civil_servant_wage, pop.persons.occupation(i)) {
                    let parity = cs * months as f64 / 12.0;
                    if wage + amount < parity {
                        amount = parity - wage;
                    }
                }
                raise(pop, h, i, amount, Payer::Public, book);
            }
        }
    }
}

/// Village doctor subsidy (村医补助) and rural teachers' living allowance (乡村教师生活补助),
/// per month in the job, to persons of that occupation living in rural households.
/// Counted as wage income (paid as part of their pay for public services).
#[derive(Debug, Clone, PartialEq)]
pub struct RuralDoctorTeacherAllowances {
    /// Village doctor subsidy per month, yuan: at least 500 (Liupanshui 2022 plan,
    /// clause 6, "财政定额补助每人每月不低于500元").
    pub village_doctor_per_month: Dated<f64>,
    /// Rural teacher living allowance per month, yuan. No published amount in the
    /// seeds (set locally); default 0.
    pub rural_teacher_per_month: Dated<f64>,
}

impl RuralDoctorTeacherAllowances {
    /// Allowances with the given monthly amounts.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative amount or steps out of order.
    pub fn new(village_doctor_per_month: Dated<f64>, rural_teacher_per_month: Dated<f64>) -> Result<Self> {
        let n = "rural_doctor_teacher_allowances";
        check_dated_money(n, "village_doctor_per_month", &village_doctor_per_month)?;
        check_dated_money(n, "rural_teacher_per_month", &rural_teacher_per_month)?;
        Ok(RuralDoctorTeacherAllowances { village_doctor_per_month, rural_teacher_per_month })
    }
}

impl Lever for RuralDoctorTeacherAllowances {
    fn name(&self) -> &str {
        "rural_doctor_teacher_allowances"
    }
    fn stage(&self) -> Stage {
        Stage::MarketIncome
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let doctor = months_table(&self.village_doctor_per_month, ctx.year);
        let teacher = months_table(&self.rural_teacher_per_month, ctx.year);
        for h in 0..pop.household_count() {
            if pop.households.residence[h] != Residence::Rural {
                continue;
            }
            for i in pop.members(h) {
                let months = pop.persons.months_in_job[i].min(12);
                if months == 0 || !pop.persons.employment[i].is_working() {
                    continue;
                }
                let by_months = match pop.persons.occupation(i) {
                    Occupation::VillageDoctor => &doctor,
                    Occupation::Teacher => &teacher,
                    _ => continue,
                };
                let amount = by_months[months as usize];
                raise(pop, h, i, amount, Payer::Public, book);
            }
        }
    }
}

/// Work-for-relief (以工代赈): public investment of which a labour share is paid as
/// wages to local rural labour.
///
/// The wage bill `investment × labour_share` buys `wage bill / (day_wage × days)`
/// worker places, filled by rationing among rural residents able to work and aged
/// 16–59 who are farmers, unemployed or out of the labour force (priority: 0 formerly
/// poor, monitored or dibao households; 1 others). Each worker earns
/// `day_wage × days` as wage income (seasonal work: employment status unchanged).
/// The fiscal cost is the whole investment: what workers are paid, plus the non-wage
/// part `paid × (1 − share) / share` (proportional to what was paid, so it adds up
/// correctly over chunks; it equals the investment when every place is filled).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkForRelief {
    /// Investment per year, yuan (the amount in force in January).
    pub investment: Dated<f64>,
    /// Share of investment paid as wages: at least 0.20 (Liupanshui 2022 plan, clause 3,
    /// "劳务报酬占项目投资的比例提高到20%以上").
    pub labour_share: f64,
    /// Day wage, yuan: 100 (farm-base day wage, Panzhou 2018, lever_parameters.md).
    pub day_wage: f64,
    /// Days worked per worker. Default 60 (assumption: one season).
    pub days: f64,
}

impl WorkForRelief {
    /// Work-for-relief with the given investment and the defaults above.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative amount, a share outside 0–1, zero
    /// pay per worker or steps out of order.
    pub fn new(investment: Dated<f64>) -> Result<Self> {
        WorkForRelief { investment, labour_share: 0.2, day_wage: 100.0, days: 60.0 }.validated()
    }

    /// Checks every field.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] naming the first bad field.
    pub fn validated(self) -> Result<Self> {
        let n = "work_for_relief";
        check_dated_money(n, "investment", &self.investment)?;
        super::tax::check_share(n, "labour_share", self.labour_share)?;
        if !(self.day_wage > 0.0 && self.day_wage <= MAX_AMOUNT) {
            let problem = format!("must be positive and at most {MAX_AMOUNT:e} yuan");
            return Err(super::rationing::invalid(n, "day_wage", self.day_wage, &problem));
        }
        if !(self.days > 0.0 && self.days <= 366.0) {
            return Err(super::rationing::invalid(n, "days", self.days, "must be positive and at most 366"));
        }
        Ok(self)
    }

    fn pay_per_worker(&self) -> f64 {
        self.day_wage * self.days
    }
}

impl Rationed for WorkForRelief {
    fn rationed_name(&self) -> &str {
        "work_for_relief"
    }
    fn places(&self, ctx: &YearContext) -> Places {
        let bill = *self.investment.at(super::YearMonth::start_of(ctx.year)) * self.labour_share;
        Places { places: bill / self.pay_per_worker(), quota_share: 0.0 }
    }
    fn eligible(&self, _ctx: &YearContext, pop: &Population, emit: &mut dyn FnMut(Candidate)) {
        use crate::model::HouseholdFlags as F;
        let p = &pop.persons;
        for h in 0..pop.household_count() {
            if pop.households.residence[h] != Residence::Rural {
                continue;
            }
            let class = u8::from(pop.households.flags[h].0 & (F::FORMERLY_POOR | F::MONITORED | F::DIBAO) == 0);
            for (m, i) in pop.members(h).enumerate() {
                let free = matches!(
                    p.employment[i],
                    Employment::FarmerHerder | Employment::Unemployed | Employment::NotInLabourForce
                );
                if free && p.able_to_work[i] && (16..=59).contains(&p.age[i]) {
                    emit(Candidate::unkeyed(pop, h, m, class))
                }
            }
        }
    }
    fn apply_chosen(&self, _ctx: &YearContext, pop: &mut Population, chosen: &[Candidate], book: &mut Book<'_>) {
        let pay = self.pay_per_worker();
        for c in chosen {
            raise(pop, c.household, c.person, pay, Payer::Public, book);
        }
    }
}

impl Lever for WorkForRelief {
    fn name(&self) -> &str {
        "work_for_relief"
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
    fn extra_fiscal_cost(&self, _ctx: &YearContext, record: &LeverRecord) -> f64 {
        let paid = record.paid_to_households;
        if self.labour_share > 0.0 { paid * (1.0 - self.labour_share) / self.labour_share } else { 0.0 }
    }
}

/// Registry entries of this module's levers.
pub const SPECS: &[LeverSpec] = &[
    LeverSpec {
        name: "minimum_wage",
        summary: "Raises covered local employees paid below the monthly floor of their county tier to the floor",
        part: "wage (private: employers pay)",
        source: "最低工资规定 (劳动和社会保障部令第21号); provincial floors, e.g. 晋政办发〔2017〕120号 \
                 (lever_parameters: Minimum wages)",
        parameters: &[
            ParameterSpec {
                name: "floor_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/person/month, by county tier",
                default: DefaultValue::Required,
                description: "Floor per month by tier (tier 0 first), each a number or a table of effective months. \
                              No default: set by each province, e.g. Inner Mongolia from 2021-12: \
                              [1980, 1910, 1850]; Shanxi from 2017-10: [1700, 1600, 1500, 1400] \
                              (晋政办发〔2017〕120号); Guizhou 2015: [1600, 1500, 1400]; Ningxia 2015: \
                              [1480, 1390, 1320] (data/published/lever_parameters.csv)",
            },
            ParameterSpec {
                name: "coverage",
                kind: Kind::Share,
                unit: "share of local employees",
                default: DefaultValue::Number(1.0),
                description: "Share of local employees covered (a persistent draw: informal jobs are not covered); \
                              assumption: 1, no published coverage rate",
            },
            ParameterSpec {
                name: "job_loss_per_raise",
                kind: Kind::Number,
                unit: "probability per unit relative raise",
                default: DefaultValue::Number(0.0),
                description: "Probability that a covered worker loses the job per unit relative raise; \
                              assumption: 0, no employment effect assumed",
            },
        ],
        build: build_minimum_wage,
        switches: &[],
    },
    LeverSpec {
        name: "wage_guideline",
        summary: "Raises the wages of local employees and short-term migrants by the year's guideline growth",
        part: "wage (private: employers pay)",
        source: "工资指导线, published yearly by each province (no figure in the seeds)",
        parameters: &[ParameterSpec {
            name: "growth",
            kind: Kind::DatedRate,
            unit: "rate/year",
            default: DefaultValue::Required,
            description: "Growth rate of wages in the year, dated (the rate in force in January applies). \
                          No default: guidelines are published yearly by each province",
        }],
        build: build_wage_guideline,
        switches: &[],
    },
    LeverSpec {
        name: "public_sector_pay",
        summary: "Pay rise for public-sector employees, and teachers raised to the civil servants' average wage",
        part: "wage (public)",
        source: "机关事业单位工资调整; 教师法 art. 25 (teachers' pay not below civil servants'), restated in all plans",
        parameters: &[
            ParameterSpec {
                name: "raise",
                kind: Kind::DatedRate,
                unit: "share of pay, from the month of effect",
                default: DefaultValue::Required,
                description: "Pay rise, dated by month of effect. No published default: the scenario sets it \
                              (0 to enforce teacher parity alone)",
            },
            ParameterSpec {
                name: "civil_servant_wage",
                kind: Kind::Money,
                unit: "yuan/person/year",
                default: DefaultValue::Number(0.0),
                description: "Local civil servants' average annual wage, the reference for teacher parity; \
                              0 switches parity off. No figure in the seeds: the scenario sets it",
            },
        ],
        build: build_public_sector_pay,
        switches: &[],
    },
    LeverSpec {
        name: "rural_doctor_teacher_allowances",
        summary: "Village doctor subsidy and rural teachers' living allowance per month in the job, rural residents",
        part: "wage (public)",
        source: "Liupanshui 2022 plan clause 6 (村医补助); 乡村教师生活补助 (set locally)",
        parameters: &[
            ParameterSpec {
                name: "village_doctor_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/person/month",
                default: DefaultValue::Number(500.0),
                description: "Village doctor subsidy per month: at least 500 (Liupanshui 2022 plan, clause 6, \
                              \"财政定额补助每人每月不低于500元\")",
            },
            ParameterSpec {
                name: "rural_teacher_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/person/month",
                default: DefaultValue::Number(0.0),
                description: "Rural teacher living allowance per month. No published amount in the seeds \
                              (set locally); assumption: 0",
            },
        ],
        build: build_rural_allowances,
        switches: &[],
    },
    LeverSpec {
        name: "work_for_relief",
        summary: "Public investment whose labour share pays seasonal wages to rural labour; places rationed \
                  by priority",
        part: "wage (public; the rest of the investment a fiscal cost only)",
        source: "以工代赈; Liupanshui 2022 plan clause 3 (labour share at least 20%); day wage Panzhou 2018 \
                 (lever_parameters.md)",
        parameters: &[
            ParameterSpec {
                name: "investment",
                kind: Kind::DatedMoney,
                unit: "yuan/year",
                default: DefaultValue::Number(0.0),
                description: "Investment per year (the amount in force in January). Assumption: 0, no programme \
                              until the scenario sets the year's investment",
            },
            ParameterSpec {
                name: "labour_share",
                kind: Kind::Share,
                unit: "share of investment",
                default: DefaultValue::Number(0.2),
                description: "Share of investment paid as wages: at least 0.20 (Liupanshui 2022 plan, clause 3, \
                              \"劳务报酬占项目投资的比例提高到20%以上\")",
            },
            ParameterSpec {
                name: "day_wage",
                kind: Kind::Money,
                unit: "yuan/day",
                default: DefaultValue::Number(100.0),
                description: "Day wage, positive: 100 (farm-base day wage, Panzhou 2018, lever_parameters.md)",
            },
            ParameterSpec {
                name: "days",
                kind: Kind::Number,
                unit: "days/worker/year",
                default: DefaultValue::Number(60.0),
                description: "Days worked per worker, positive; assumption: 60, one season",
            },
        ],
        build: build_work_for_relief,
        switches: &[],
    },
];

fn build_minimum_wage(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    let floor_per_month = p.dated_list_or("floor_per_month", &[]).map_err(|e| match e {
        crate::Error::InvalidLever { ref value, .. } if value == "[]" => {
            p.invalid("floor_per_month", "[]", "required: the monthly floor by county tier, e.g. [1980, 1910, 1850]")
        }
        other => other,
    })?;
    Ok(Box::new(
        MinimumWage {
            floor_per_month,
            coverage: p.number("coverage")?,
            job_loss_per_raise: p.number("job_loss_per_raise")?,
        }
        .validated()?,
    ))
}

fn build_wage_guideline(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(WageGuideline::new(p.dated("growth")?)?))
}

fn build_public_sector_pay(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    let civil_servant_wage = p.number("civil_servant_wage")?;
    Ok(Box::new(PublicSectorPay::new(p.dated("raise")?, (civil_servant_wage > 0.0).then_some(civil_servant_wage))?))
}

fn build_rural_allowances(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(RuralDoctorTeacherAllowances::new(
        p.dated("village_doctor_per_month")?,
        p.dated("rural_teacher_per_month")?,
    )?))
}

fn build_work_for_relief(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(
        WorkForRelief {
            investment: p.dated("investment")?,
            labour_share: p.number("labour_share")?,
            day_wage: p.number("day_wage")?,
            days: p.number("days")?,
        }
        .validated()?,
    ))
}
