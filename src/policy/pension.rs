//! The urban-rural residents' basic pension (城乡居民基础养老金, lever 14) and the
//! government's support of residents' contributions.

use super::dibao::{check_dated, member_on_dibao};
use super::members::{count_members, with_household_index};
use super::registry::{BaseCalibration, DefaultValue, Kind, LeverSpec, ParameterSpec, Params};
use super::{Book, Dated, Lever, Stage, YearContext, YearMonth};
use crate::error::{Error, Result};
use crate::model::{Disability, Employment, IncomePart, Population};

/// Monthly basic pension for residents aged `min_age`+ who draw no employer pension,
/// paid pro rata to the months each amount was in force, plus an optional fixed
/// yearly increment.
#[derive(Debug, Clone, PartialEq)]
pub struct ResidentPension {
    /// Amount per person per month, dated (the central minimum rose to 93 in July
    /// 2020 and 98 in July 2022: data/pensions.csv).
    pub amount_per_month: Dated<f64>,
    /// Age from which it is paid (60, 国发〔2014〕8号).
    pub min_age: u8,
    /// Rise per month added once a year, yuan (Wuzhong plan §12: +5 yuan a year).
    /// Default 0.
    pub yearly_increment_per_month: f64,
    /// Month of the first increment; one more each year in the same month.
    pub increment_from: YearMonth,
    /// Whether employees covered by the employees' scheme (public-sector staff anywhere,
    /// employees in urban households paid at least the informal-wage line:
    /// [`Employment::covered_by_employer_pension`]) are left out while they work: the
    /// residents' scheme is for those outside it (国发〔2014〕8号), and such an employee
    /// is 60 or older only while waiting for a statutory age that has risen. Default on.
    pub excludes_covered_employees: bool,
    /// The base rules' informal-wage line in the base year, yuan per year, indexed by
    /// the urban income index as contributions index it: an employee in a town paid
    /// less is not covered by the employees' scheme
    /// ([`ResidentPension::excludes_covered_employees`]). The base rules and the
    /// registry set it from the calibrated population; [`ResidentPension::new`] takes
    /// [`BaseCalibration::NONE`]'s.
    pub informal_wage_below: f64,
}

/// The central minimum of the residents' basic pension, yuan per person per month, by
/// the month it took effect (data/published/pensions.csv,
/// `resident_basic_pension_central_minimum`).
pub const CENTRAL_MINIMUM_PER_MONTH: [(YearMonth, f64); 8] = [
    (YearMonth { year: 2009, month: 12 }, 55.0),
    (YearMonth { year: 2014, month: 7 }, 70.0),
    (YearMonth { year: 2018, month: 1 }, 88.0),
    (YearMonth { year: 2020, month: 7 }, 93.0),
    (YearMonth { year: 2022, month: 7 }, 98.0),
    (YearMonth { year: 2023, month: 1 }, 103.0),
    (YearMonth { year: 2024, month: 1 }, 123.0),
    (YearMonth { year: 2025, month: 1 }, 143.0),
];

/// The rises of the central minimum ([`CENTRAL_MINIMUM_PER_MONTH`]) dated in `years`:
/// the month and the rise, yuan a month.
pub fn central_minimum_rises(years: std::ops::RangeInclusive<u16>) -> Vec<(YearMonth, f64)> {
    CENTRAL_MINIMUM_PER_MONTH
        .windows(2)
        .filter(|w| years.contains(&w[1].0.year))
        .map(|w| (w[1].0, w[1].1 - w[0].1))
        .collect()
}

impl ResidentPension {
    /// The amount paid where `base_level` was paid in `base_year`, raised by every rise
    /// of the central minimum dated after the base year ([`CENTRAL_MINIMUM_PER_MONTH`]):
    /// a local level is the central minimum plus a local top-up, and the top-up stays.
    /// The rises within the base year are in the base year's level.
    pub fn central_path(base_level: f64, base_year: u16) -> Dated<f64> {
        let mut level = base_level;
        let mut steps = vec![(YearMonth { year: 0, month: 1 }, base_level)];
        for (when, rise) in central_minimum_rises(base_year + 1..=u16::MAX) {
            level += rise;
            steps.push((when, level));
        }
        Dated::new(steps).unwrap_or_else(|| Dated::constant(base_level))
    }

    /// The last year whose assumed rise [`ResidentPension::projected_path`] writes out (a
    /// projection runs at most 50 years past its base year, so ends earlier).
    pub const ASSUMED_RISES_UNTIL: u16 = 2100;

    /// The rise of the central minimum assumed every January after the last decided one,
    /// yuan a month: the mean of the last three rises (2023 +5, 2024 +20, 2025 +20: 15), as
    /// the growth series carry on the mean of their last three rates. An assumption: the
    /// minimum has risen in six of the eight years 2018-2025 ([`CENTRAL_MINIMUM_PER_MONTH`]).
    pub fn assumed_yearly_rise() -> (YearMonth, f64) {
        let rises = central_minimum_rises(0..=u16::MAX);
        let last: Vec<f64> = rises.iter().rev().take(3).map(|r| r.1).collect();
        let mean = if last.is_empty() { 0.0 } else { last.iter().sum::<f64>() / last.len() as f64 };
        let after = rises.last().map_or(YearMonth::start_of(2026), |r| YearMonth::start_of(r.0.year + 1));
        (after, mean)
    }

    /// [`ResidentPension::central_path`] with, after the last decided rise, the assumed
    /// yearly rise ([`ResidentPension::assumed_yearly_rise`]) each January after the base
    /// year, written out to [`ResidentPension::ASSUMED_RISES_UNTIL`]: the baseline's path and
    /// the lever's default.
    pub fn projected_path(base_level: f64, base_year: u16) -> Dated<f64> {
        let central = Self::central_path(base_level, base_year);
        let (from, rise) = Self::assumed_yearly_rise();
        let mut steps = central.steps().to_vec();
        let mut level = steps.last().map_or(base_level, |s| s.1);
        for year in from.year.max(base_year.saturating_add(1))..=Self::ASSUMED_RISES_UNTIL {
            level += rise;
            steps.push((YearMonth::start_of(year), level));
        }
        Dated::new(steps).unwrap_or(central)
    }

    /// A pension with the given monthly amounts, from age 60, no increments.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative amount.
    pub fn new(amount_per_month: Dated<f64>) -> Result<Self> {
        check_dated("resident_pension", "amount_per_month", &amount_per_month)?;
        Ok(ResidentPension {
            amount_per_month,
            min_age: 60,
            yearly_increment_per_month: 0.0,
            increment_from: YearMonth { year: u16::MAX, month: 12 },
            excludes_covered_employees: true,
            informal_wage_below: BaseCalibration::NONE.contribution_lines().informal_below,
        })
    }

    /// Adds a yearly increment of `per_month` yuan from `from` (Wuzhong: 5 a year).
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative increment.
    pub fn with_yearly_increment(mut self, per_month: f64, from: YearMonth) -> Result<Self> {
        super::tax::check_money("resident_pension", "yearly_increment_per_month", per_month)?;
        self.yearly_increment_per_month = per_month;
        self.increment_from = from;
        Ok(self)
    }

    /// The amount per month in force in one month, increments included.
    pub fn monthly(&self, when: YearMonth) -> f64 {
        let base = *self.amount_per_month.at(when);
        let from = self.increment_from;
        if when < from {
            return base;
        }
        let steps = (when.year - from.year) as f64 + if when.month >= from.month { 1.0 } else { 0.0 };
        base + steps * self.yearly_increment_per_month
    }

    /// The year's amount for one eligible person.
    pub fn annual(&self, year: u16) -> f64 {
        (1..=12).map(|month| self.monthly(YearMonth { year, month })).sum()
    }

    /// The year's amount for one person (0 under `min_age` or with a retiree pension;
    /// the lever also leaves out covered employees, by their household's residence).
    #[inline]
    pub fn for_person(&self, year: u16, age: u8, retiree_pension: f32) -> f64 {
        if age >= self.min_age && retiree_pension <= 0.0 { self.annual(year) } else { 0.0 }
    }
}

impl Lever for ResidentPension {
    fn name(&self) -> &str {
        "resident_pension"
    }
    fn stage(&self) -> Stage {
        Stage::PensionsAllowances
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let annual = self.annual(ctx.year);
        if annual == 0.0 {
            return;
        }
        let persons = pop.persons.len();
        let (age, retiree) = (&pop.persons.age[..persons], &pop.persons.retiree_pension[..persons]);
        let hh = &pop.households;
        if !age.iter().any(|&age| age >= self.min_age) {
            // Nobody in the chunk is old enough: nothing to pay.
            return;
        }
        // Eligible members counted person by person (no loop per household); a
        // household with nobody eligible is paid 0, which adds +0 to its accounts and
        // changes nothing.
        let min_age = self.min_age;
        let employment = &pop.persons.employment[..persons];
        let excludes_covered = self.excludes_covered_employees;
        let ps = &pop.persons;
        let line = super::base::informal_wage_line_in(self.informal_wage_below, ctx);
        let eligible = |marks: &mut [u8]| {
            // Marked employees, who may be covered: rare (waiting for a statutory age that has
            // risen, or informal workers past 60, who are not covered).
            let mut employees = 0u32;
            for (((mark, &age), &retiree), &e) in marks.iter_mut().zip(age).zip(retiree).zip(employment) {
                *mark = u8::from(age >= min_age) & u8::from(retiree <= 0.0);
                employees +=
                    u32::from(*mark & u8::from(matches!(e, Employment::LocalEmployee | Employment::PublicSector)));
            }
            if excludes_covered && employees > 0 {
                // Whether an employee is covered depends on the household's residence:
                // the few marked employees are looked up over the household index, or,
                // when the persons are not stored household after household, every
                // household's members are.
                let looked_up = with_household_index(&hh.first_person, &hh.size, persons, |index| {
                    for (i, ((mark, &e), &h)) in marks.iter_mut().zip(employment).zip(index).enumerate() {
                        if *mark != 0
                            && matches!(e, Employment::LocalEmployee | Employment::PublicSector)
                            && e.covered_by_employer_pension(hh.residence[h as usize], ps.full_year_wage(i), line)
                        {
                            *mark = 0;
                        }
                    }
                });
                if looked_up.is_some() {
                    return;
                }
                for h in 0..hh.size.len() {
                    let first = hh.first_person[h] as usize;
                    let residence = hh.residence[h];
                    for i in first..(first + usize::from(hh.size[h])).min(persons) {
                        if marks[i] != 0
                            && employment[i].covered_by_employer_pension(residence, ps.full_year_wage(i), line)
                        {
                            marks[i] = 0;
                        }
                    }
                }
            }
        };
        count_members(&hh.first_person, &hh.size, persons, eligible, |h, n| {
            book.pay(h, IncomePart::TransfersReceived, annual * n as f64)
        });
    }
}

/// Government support of residents' pension contributions (lever 14).
///
/// The government pays the contribution of dibao recipients (100 yuan a year) and of
/// severely disabled people (200 yuan a year) (Baotou district plan §(十一): 按照100元
/// 标准为低保对象代缴保费; 按照200元标准为重度残疾人代缴保费), and subsidises 10% of the
/// contribution of residents who choose a higher tier (Liupanshui plan §25).
///
/// **NBS income.** The money goes into the person's individual pension account, not to
/// the household: it is not disposable income this year (NBS counts the pension when
/// it is drawn). So this lever pays nothing into the accounts; it records the cost
/// with [`Book::pay_outside`], which the ledger adds to its fiscal cost. Its
/// `paid_to_households` is therefore 0.
///
/// Who contributes: residents aged 16–59 without an employer scheme (not wage
/// earners in the formal sector, not retired). A person gets the paid contribution if
/// they are a dibao recipient this year ([`member_on_dibao`]: not the working-age
/// members of a household whose old members alone are on dibao; the lever must run
/// after dibao to see it; it is a [`Stage::MeansTested`] lever added after dibao) or
/// they are severely disabled;
/// the higher of the two applies. Others choosing a higher tier (share
/// `higher_tier_share`, assumption) with contribution `higher_tier_contribution`
/// get `higher_tier_subsidy_rate` of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ContributionSupport {
    /// Contribution paid for each dibao recipient, yuan per year (100, Baotou §(十一)).
    pub dibao_contribution: f64,
    /// Contribution paid for each severely disabled person, yuan per year (200,
    /// Baotou §(十一)).
    pub severe_disability_contribution: f64,
    /// Subsidy rate on a higher-tier contribution (0.10, Liupanshui §25).
    pub higher_tier_subsidy_rate: f64,
    /// Contribution of a higher-tier contributor, yuan per year (assumption: 1,000,
    /// a middle tier of the 100–2,000 range of 国发〔2014〕8号).
    pub higher_tier_contribution: f64,
    /// Share of other contributors choosing a higher tier (assumption: 0.1; no
    /// published figure). Applied as an expected value (no draw).
    pub higher_tier_share: f64,
}

impl Default for ContributionSupport {
    fn default() -> Self {
        ContributionSupport {
            dibao_contribution: 100.0,
            severe_disability_contribution: 200.0,
            higher_tier_subsidy_rate: 0.10,
            higher_tier_contribution: 1_000.0,
            higher_tier_share: 0.1,
        }
    }
}

impl ContributionSupport {
    /// The ages of residents who contribute to the residents' pension: 16–59.
    pub const CONTRIBUTING_AGES: std::ops::Range<u8> = 16..60;

    /// Support with the given amounts.
    ///
    /// # Errors
    /// [`Error::InvalidLever`] for negative money or a rate or share outside 0–1.
    pub fn new(
        dibao_contribution: f64,
        severe_disability_contribution: f64,
        higher_tier_subsidy_rate: f64,
        higher_tier_contribution: f64,
        higher_tier_share: f64,
    ) -> Result<Self> {
        let l = "resident_pension_contribution_support";
        super::tax::check_money(l, "dibao_contribution", dibao_contribution)?;
        super::tax::check_money(l, "severe_disability_contribution", severe_disability_contribution)?;
        super::tax::check_money(l, "higher_tier_contribution", higher_tier_contribution)?;
        super::tax::check_share(l, "higher_tier_subsidy_rate", higher_tier_subsidy_rate)?;
        super::tax::check_share(l, "higher_tier_share", higher_tier_share)?;
        Ok(ContributionSupport {
            dibao_contribution,
            severe_disability_contribution,
            higher_tier_subsidy_rate,
            higher_tier_contribution,
            higher_tier_share,
        })
    }

    /// The cost for one person, yuan per year.
    pub fn for_person(&self, age: u8, covered_by_employer: bool, on_dibao: bool, severe: bool) -> f64 {
        if !Self::CONTRIBUTING_AGES.contains(&age) || covered_by_employer {
            return 0.0;
        }
        let paid = match (on_dibao, severe) {
            (_, true) => self.severe_disability_contribution.max(if on_dibao { self.dibao_contribution } else { 0.0 }),
            (true, false) => self.dibao_contribution,
            (false, false) => 0.0,
        };
        if paid > 0.0 {
            paid
        } else {
            self.higher_tier_share * self.higher_tier_subsidy_rate * self.higher_tier_contribution
        }
    }
}

impl Lever for ContributionSupport {
    fn name(&self) -> &str {
        "resident_pension_contribution_support"
    }
    fn stage(&self) -> Stage {
        Stage::MeansTested
    }
    fn apply(&self, _ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let p = &pop.persons;
        for h in 0..pop.household_count() {
            let flags = pop.households.flags[h];
            let mut cost = 0.0;
            for i in pop.members(h) {
                if !Self::CONTRIBUTING_AGES.contains(&p.age[i]) {
                    // Nothing to pay (`for_person` gives 0), and nothing else to read.
                    continue;
                }
                let covered = book.accounts().contribution(i) > 0.0 || p.retiree_pension[i] > 0.0;
                let on_dibao = member_on_dibao(flags, p, i);
                cost += self.for_person(p.age[i], covered, on_dibao, p.disability(i) == Disability::Severe);
            }
            if cost > 0.0 {
                book.pay_outside(h, cost);
            }
        }
    }
}

/// An error for a lever field.
pub(crate) fn invalid(lever: &str, field: &str, value: impl ToString, problem: &str) -> Error {
    Error::InvalidLever { lever: lever.into(), field: field.into(), value: value.to_string(), problem: problem.into() }
}

/// Registry entries of the pension levers.
pub const SPECS: &[LeverSpec] = &[
    LeverSpec {
        name: "resident_pension",
        summary: "Urban-rural residents' basic pension for residents aged 60+ without an employer pension",
        part: "transfers received",
        source: "国发〔2014〕8号; central minimum steps in data/published/pensions.csv; Wuzhong plan §12 (+5 yuan a year)",
        parameters: &[
            ParameterSpec {
                name: "amount_per_month",
                kind: Kind::DatedMoney,
                unit: "yuan/person/month",
                default: DefaultValue::Profile(
                    "rules.basic_pension_per_month, raised with the central minimum, then 15 a year from 2026",
                ),
                description: "Basic pension actually paid (central minimum plus local top-ups), dated. Default: the \
                              profile's base-year level, raised by every rise of the central minimum after the \
                              base year (88 from 2018-01, 93 from 2020-07, 98 from 2022-07, 103 from 2023-01, \
                              123 from 2024-01, 143 from 2025-01: data/published/pensions.csv) and after the last \
                              decided rise by the mean of the last three (15 yuan each January from 2026, an \
                              assumption: rises not yet decided), as the baseline",
            },
            ParameterSpec {
                name: "yearly_increment_per_month",
                kind: Kind::Money,
                unit: "yuan/person/month per year",
                default: DefaultValue::Number(0.0),
                description: "Rise added once a year (Wuzhong plan §12: 5)",
            },
            ParameterSpec {
                name: "excludes_covered_employees",
                kind: Kind::Flag,
                unit: "true/false",
                default: DefaultValue::Number(1.0),
                description: "Employees in the employees' pension scheme (public-sector staff; employees in urban \
                              households) draw no residents' pension while they work past 60, waiting for a \
                              statutory age that has risen (国发〔2014〕8号: the residents' scheme is for those \
                              outside the employees' scheme); default on",
            },
            ParameterSpec {
                name: "increment_from",
                kind: Kind::YearMonth,
                unit: "month",
                default: DefaultValue::Profile("January after the base year"),
                description: "Month of the first increment; one more each year in the same month",
            },
        ],
        build: build_resident_pension,
        switches: &[],
    },
    LeverSpec {
        name: "resident_pension_contribution_support",
        summary: "Government pays residents' pension contributions of dibao recipients and the severely disabled and \
              subsidises higher-tier contributions (into pension accounts: a fiscal cost, not household income)",
        part: "outside household income (fiscal cost only)",
        source: "Baotou district plan §(十一) (按照100元/200元标准代缴保费); Liupanshui plan §25 (higher tiers); \
             国发〔2014〕8号 (lever 14)",
        parameters: &[
            ParameterSpec {
                name: "dibao_contribution",
                kind: Kind::Money,
                unit: "yuan/person/year",
                default: DefaultValue::Number(100.0),
                description: "Contribution paid for each dibao recipient aged 16–59 (100, Baotou §(十一))",
            },
            ParameterSpec {
                name: "severe_disability_contribution",
                kind: Kind::Money,
                unit: "yuan/person/year",
                default: DefaultValue::Number(200.0),
                description: "Contribution paid for each severely disabled person aged 16–59 (200, Baotou §(十一))",
            },
            ParameterSpec {
                name: "higher_tier_subsidy_rate",
                kind: Kind::Share,
                unit: "share of the contribution",
                default: DefaultValue::Number(0.10),
                description: "Subsidy rate on a higher-tier contribution (10%, Liupanshui §25)",
            },
            ParameterSpec {
                name: "higher_tier_contribution",
                kind: Kind::Money,
                unit: "yuan/person/year",
                default: DefaultValue::Number(1_000.0),
                description: "Contribution of a higher-tier contributor; assumption: 1,000, a middle tier of the \
                          100–2,000 range of 国发〔2014〕8号",
            },
            ParameterSpec {
                name: "higher_tier_share",
                kind: Kind::Share,
                unit: "share of other contributors",
                default: DefaultValue::Number(0.1),
                description: "Share of other contributors choosing a higher tier (expected value, no draw); \
                          assumption: 0.1, no published figure",
            },
        ],
        build: build_contribution_support,
        switches: &[],
    },
];

fn build_contribution_support(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(ContributionSupport::new(
        p.number("dibao_contribution")?,
        p.number("severe_disability_contribution")?,
        p.number("higher_tier_subsidy_rate")?,
        p.number("higher_tier_contribution")?,
        p.number("higher_tier_share")?,
    )?))
}

fn build_resident_pension(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    let c = p.context();
    let base_level = c.profile.rules.basic_pension_per_month.value;
    let amount = p.dated_or_path("amount_per_month", ResidentPension::projected_path(base_level, c.base_year))?;
    let from = p.year_month_or("increment_from", YearMonth { year: c.base_year + 1, month: 1 })?;
    let mut pension =
        ResidentPension::new(amount)?.with_yearly_increment(p.number("yearly_increment_per_month")?, from)?;
    pension.excludes_covered_employees = p.flag("excludes_covered_employees")?;
    pension.informal_wage_below = c.calibration.unwrap_or(BaseCalibration::NONE).contribution_lines().informal_below;
    Ok(Box::new(pension))
}
