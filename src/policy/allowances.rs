//! Categorical allowances: old-age allowance and disability allowances.

use super::dibao::member_on_dibao_this_or_last_year;
use super::members::{count_members, pay_selected_member_sums};
use super::registry::{DefaultValue, Kind, LeverSpec, ParameterSpec, Params};
use super::{Book, Dated, Lever, Stage, YearContext};
use crate::error::Result;
use crate::model::{Disability, HouseholdFlags, IncomePart, Population};

/// Old-age allowance (高龄津贴) for residents aged 80+, with an optional supplement for
/// 80–89-year-olds who still earn a wage (Bayannur plan).
#[derive(Debug, Clone, PartialEq)]
pub struct OldAgeAllowance {
    /// Amount per person aged 80+ per month.
    pub amount_per_month: Dated<f64>,
    /// Supplement per month for ages 80–89 with wage income (50 yuan, Bayannur plan
    /// §(二十): 80 周岁至89 周岁有工资收入的老年人每人每月增加 50 元).
    pub working_supplement_per_month: Dated<f64>,
    /// Amount per month from age 100, replacing the 80+ amount when higher (Inner
    /// Mongolia 2017: 600 yuan, lever_parameters.md "old-age allowance"). Default 0
    /// (the 80+ amount applies at 100+ too).
    pub centenarian_per_month: Dated<f64>,
}

impl OldAgeAllowance {
    /// An allowance with the given amounts.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative amount.
    pub fn new(amount_per_month: Dated<f64>, working_supplement_per_month: Dated<f64>) -> Result<Self> {
        for (f, d) in
            [("amount_per_month", &amount_per_month), ("working_supplement_per_month", &working_supplement_per_month)]
        {
            for (_, x) in d.steps() {
                super::tax::check_money("old_age_allowance", f, *x)?;
            }
        }
        Ok(OldAgeAllowance {
            amount_per_month,
            working_supplement_per_month,
            centenarian_per_month: Dated::constant(0.0),
        })
    }

    /// Adds the 100+ rate.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative amount.
    pub fn with_centenarian(mut self, per_month: Dated<f64>) -> Result<Self> {
        super::dibao::check_dated("old_age_allowance", "centenarian_per_month", &per_month)?;
        self.centenarian_per_month = per_month;
        Ok(self)
    }

    /// The year's allowance of one person.
    pub fn for_person(&self, year: u16, age: u8, wage: f32) -> f64 {
        self.annual_amounts(year).for_person(age, wage)
    }

    /// The year's amounts, computed once for a whole chunk.
    fn annual_amounts(&self, year: u16) -> AnnualOldAge {
        AnnualOldAge {
            base: self.amount_per_month.annual(year),
            working_supplement: self.working_supplement_per_month.annual(year),
            centenarian: self.centenarian_per_month.annual(year),
        }
    }
}

/// The old-age allowance's annual amounts of one year.
#[derive(Debug, Clone, Copy)]
struct AnnualOldAge {
    base: f64,
    working_supplement: f64,
    centenarian: f64,
}

impl AnnualOldAge {
    #[inline]
    fn for_person(&self, age: u8, wage: f32) -> f64 {
        if age < 80 {
            return 0.0;
        }
        if age >= 100 {
            return self.base.max(self.centenarian);
        }
        if age <= 89 && wage > 0.0 { self.base + self.working_supplement } else { self.base }
    }
}

impl Lever for OldAgeAllowance {
    fn name(&self) -> &str {
        "old_age_allowance"
    }
    fn stage(&self) -> Stage {
        Stage::PensionsAllowances
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let amounts = self.annual_amounts(ctx.year);
        let (ages, wages) = (pop.persons.age.as_slice(), pop.persons.wage.as_slice());
        if !ages.iter().any(|&age| age >= 80) {
            // Nobody in the chunk is 80 or older: nothing to pay.
            return;
        }
        let hh = &pop.households;
        let persons = ages.len().min(wages.len());
        let (ages, wages) = (&ages[..persons], &wages[..persons]);
        // Only the members of 80 and over are visited, over the household index; the
        // others are owed +0 (see `AnnualOldAge::for_person`).
        let members = (hh.first_person.as_slice(), hh.size.as_slice(), persons);
        let old = |i: usize| ages[i] >= 80;
        let allowance = |_: &mut Book<'_>, i: usize, _: usize| amounts.for_person(ages[i], wages[i]);
        if pay_selected_member_sums(book, IncomePart::TransfersReceived, members, old, allowance) {
            return;
        }
        // Persons not stored household after household: members of 80 and over counted
        // person by person (no loop per household), and only the households with one
        // loop over their members.
        count_members(
            &hh.first_person,
            &hh.size,
            persons,
            |marks| {
                for (mark, &age) in marks.iter_mut().zip(ages) {
                    *mark = u8::from(age >= 80);
                }
            },
            |h, old| {
                if old == 0 {
                    return;
                }
                let first = hh.first_person[h] as usize;
                let m = first..first + hh.size[h] as usize;
                let mut total = 0.0;
                for (&age, &wage) in ages[m.clone()].iter().zip(&wages[m]) {
                    // Under 80 nothing is due; adding 0 would not change the total.
                    if age >= 80 {
                        total += amounts.for_person(age, wage);
                    }
                }
                if total > 0.0 {
                    book.pay(h, IncomePart::TransfersReceived, total);
                }
            },
        );
    }
}

/// Disability allowances (国发〔2015〕52号): a nursing subsidy for every severely disabled
/// person and a living subsidy for disabled dibao recipients and disabled members of
/// edge households (this year's dibao flags are set later in the year, so the living
/// subsidy uses the flags as they stand: last year's dibao, edge group or this year's
/// flag if already set; of a household on single-person dibao units, only the members
/// such units cover, [`super::dibao::member_on_dibao`]).
///
/// Indexed to living costs (Bayannur plan §(二十): 适时调整, 逐步提高; Wuzhong plan §13:
/// 两项补贴标准动态调整机制) when `indexed_to_prices` is on: each month's amount is at
/// least the base-year average monthly amount times [`YearContext::price_index`].
#[derive(Debug, Clone, PartialEq)]
pub struct DisabilityAllowances {
    /// Nursing subsidy (重度残疾人护理补贴) per severely disabled person per month.
    pub severe_nursing_per_month: Dated<f64>,
    /// Living subsidy (困难残疾人生活补贴) per disabled person in a low-income household per month.
    pub poor_living_per_month: Dated<f64>,
    /// Whether amounts follow the price index (see above). Default off.
    pub indexed_to_prices: bool,
}

impl DisabilityAllowances {
    /// Allowances with the given amounts.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative amount.
    pub fn new(severe_nursing_per_month: Dated<f64>, poor_living_per_month: Dated<f64>) -> Result<Self> {
        for (f, d) in
            [("severe_nursing_per_month", &severe_nursing_per_month), ("poor_living_per_month", &poor_living_per_month)]
        {
            for (_, x) in d.steps() {
                super::tax::check_money("disability_allowances", f, *x)?;
            }
        }
        Ok(DisabilityAllowances { severe_nursing_per_month, poor_living_per_month, indexed_to_prices: false })
    }

    /// The annual amount of a dated monthly amount in the context's year, indexed when
    /// the rule is on.
    pub fn annual(&self, ctx: &YearContext, per_month: &Dated<f64>) -> f64 {
        if !self.indexed_to_prices {
            return per_month.annual(ctx.year);
        }
        let floor = per_month.annual(ctx.base_year) / 12.0 * ctx.price_index;
        per_month.months(ctx.year).iter().map(|x| x.max(floor)).sum()
    }
}

impl Lever for DisabilityAllowances {
    fn name(&self) -> &str {
        "disability_allowances"
    }
    fn stage(&self) -> Stage {
        Stage::PensionsAllowances
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let nursing = self.annual(ctx, &self.severe_nursing_per_month);
        let living = self.annual(ctx, &self.poor_living_per_month);
        let (p, hh) = (&pop.persons, &pop.households);
        let flags = hh.flags.as_slice();
        let members = (hh.first_person.as_slice(), hh.size.as_slice(), p.len());
        // Person by person (a member who gets nothing adds +0 to the household's total).
        let low_income = |h: usize, i: usize| {
            flags[h].has(HouseholdFlags::LOW_INCOME_EDGE) || member_on_dibao_this_or_last_year(flags[h], p, i)
        };
        // Persons with a disability only (a few): the others are owed +0.
        let disabled = |i: usize| p.disability(i) != Disability::None;
        let allowances = |_: &mut Book<'_>, i: usize, h: usize| match p.disability(i) {
            Disability::Severe => nursing + if low_income(h, i) { living } else { 0.0 },
            Disability::Moderate if low_income(h, i) => living,
            _ => 0.0,
        };
        let paid = pay_selected_member_sums(book, IncomePart::TransfersReceived, members, disabled, allowances);
        if paid {
            return;
        }
        for h in 0..pop.household_count() {
            let mut total = 0.0;
            for i in pop.members(h) {
                let poor = low_income(h, i);
                match p.disability(i) {
                    Disability::Severe => total += nursing + if poor { living } else { 0.0 },
                    Disability::Moderate if poor => total += living,
                    _ => {}
                }
            }
            if total > 0.0 {
                book.pay(h, IncomePart::TransfersReceived, total);
            }
        }
    }
}

/// Registry entries of this module's levers.
pub const SPECS: &[LeverSpec] = &[
    LeverSpec {
        name: "old_age_allowance",
        summary: "高龄津贴 for residents aged 80+, with a supplement for working 80–89-year-olds and a 100+ rate",
        part: "transfers received",
        source: "Amount from the profile (provincial standards, data/published/lever_parameters.csv); Bayannur plan \
                 §(二十) (working supplement); Inner Mongolia 2017 (100+) (lever 19)",
        parameters: &[
            ParameterSpec {
                name: "amount_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/person/month",
                default: DefaultValue::Profile("rules.old_age_allowance_80_per_month"),
                description: "Allowance per person aged 80+; default the profile's, as in the base rules",
            },
            ParameterSpec {
                name: "working_supplement_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/person/month",
                default: DefaultValue::Number(0.0),
                description: "Supplement for ages 80–89 with wage income (Bayannur plan §(二十): 50); default 0, as \
                              in the base rules (a plan rule the scenario switches on)",
            },
            ParameterSpec {
                name: "centenarian_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/person/month",
                default: DefaultValue::Number(0.0),
                description: "Amount from age 100 when higher than the 80+ amount (Inner Mongolia 2017: 600, \
                              lever_parameters.md); default 0, the 80+ amount applies",
            },
        ],
        build: build_old_age,
        switches: &[],
    },
    LeverSpec {
        name: "disability_allowances",
        summary: "Nursing subsidy for every severely disabled person and living subsidy for disabled people in \
                  dibao or edge households",
        part: "transfers received",
        source: "国发〔2015〕52号 (两项补贴); amounts from the profile; Bayannur plan §(二十), Wuzhong plan §13 \
                 (dynamic adjustment) (lever 20)",
        parameters: &[
            ParameterSpec {
                name: "severe_nursing_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/person/month",
                default: DefaultValue::Profile("rules.severe_disability_nursing_per_month"),
                description: "重度残疾人护理补贴 per severely disabled person; default the profile's, as in the base \
                              rules",
            },
            ParameterSpec {
                name: "poor_living_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/person/month",
                default: DefaultValue::Profile("rules.poor_disability_living_per_month"),
                description: "困难残疾人生活补贴 per disabled person in a dibao or edge household; default the \
                              profile's, as in the base rules",
            },
            ParameterSpec {
                name: "indexed_to_prices",
                kind: Kind::Flag,
                unit: "true/false",
                default: DefaultValue::Number(0.0),
                description: "Each month at least the base-year amount times the price index (Bayannur §(二十) \
                              适时调整; Wuzhong §13 动态调整机制); default off",
            },
        ],
        build: build_disability,
        switches: &[],
    },
];

fn build_old_age(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    let r = &p.context().profile.rules;
    let amount = p.dated_or("amount_per_month", r.old_age_allowance_80_per_month.value)?;
    Ok(Box::new(
        OldAgeAllowance::new(amount, p.dated("working_supplement_per_month")?)?
            .with_centenarian(p.dated("centenarian_per_month")?)?,
    ))
}

fn build_disability(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    let r = &p.context().profile.rules;
    let mut d = DisabilityAllowances::new(
        p.dated_or("severe_nursing_per_month", r.severe_disability_nursing_per_month.value)?,
        p.dated_or("poor_living_per_month", r.poor_disability_living_per_month.value)?,
    )?;
    d.indexed_to_prices = p.flag("indexed_to_prices")?;
    Ok(Box::new(d))
}
