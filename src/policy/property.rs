//! Property-income levers: land transfer and shareholding, collective dividends, and
//! household property income growth.

use super::rationing::{check_dated_money, check_dated_rate, check_month, lever_sub};
use super::registry::{DefaultValue, Kind, LeverSpec, ParameterSpec, Params};
use super::{Book, Dated, Lever, Stage, YearContext, YearMonth};
use crate::error::Result;
use crate::model::{Employment, HouseholdFlags, IncomePart, Population, Residence};
use crate::random::{Purpose, StreamRng};

/// Land transfer and shareholding reform (土地流转, 三变改革, 保底分红).
///
/// Each year a rural household with land not yet rented out takes part with
/// probability `participation` (a keyed draw) and rents out `transfer_share` of that
/// land from `from_month`. On the land it rents out *this year* it receives, pro rata
/// to the months, rent per mu; a shareholder household (flag `SHAREHOLDER`, or every
/// participant when `as_shares`) receives `max(rent, guaranteed dividend) + profit
/// dividend` per mu instead (Property). It loses the farm operating income of that land:
/// its farmers' operating income per mu of farmed land times the mu moved, pro rata
/// (a negative Operating amount). Rent on land rented out before is taken to be in the
/// base property income already, so the lever pays only for new transfers.
#[derive(Debug, Clone, PartialEq)]
pub struct LandTransfer {
    /// Share of rural households with unrented land that rent some out this year.
    /// Default 0.05 (assumption).
    pub participation: f64,
    /// Share of their unrented land they rent out. Default 0.5 (assumption).
    pub transfer_share: f64,
    /// Rent per mu per year, yuan, dated: 400 (Shuicheng kiwi base, Liupanshui;
    /// lever_parameters.md "land transfer rent"), 1,300 after the shareholding reform.
    pub rent_per_mu: Dated<f64>,
    /// Guaranteed minimum dividend per mu per year for shareholders, yuan. Default 600
    /// (lower end of "about 600–800 yuan/mu", lever_parameters.md).
    pub guaranteed_dividend_per_mu: Dated<f64>,
    /// Profit dividend per mu per year on top, yuan. Default 0 (set locally: Liupanshui
    /// clause 30, "在保底分红基础上，每年将净收益按照一定比例分配给农民").
    pub profit_dividend_per_mu: Dated<f64>,
    /// Every participant pools land as shares (三变). Default false.
    pub as_shares: bool,
    /// Month the transfer takes effect, 1–12. Default 1 (assumption).
    pub from_month: u8,
}

impl LandTransfer {
    /// Land transfer at the given rent with the defaults above.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative amount, a share outside 0–1, steps
    /// out of order or a month outside 1–12.
    pub fn new(rent_per_mu: Dated<f64>) -> Result<Self> {
        LandTransfer {
            participation: 0.05,
            transfer_share: 0.5,
            rent_per_mu,
            guaranteed_dividend_per_mu: Dated::constant(600.0),
            profit_dividend_per_mu: Dated::constant(0.0),
            as_shares: false,
            from_month: 1,
        }
        .validated()
    }

    /// Checks every field.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] naming the first bad field.
    pub fn validated(self) -> Result<Self> {
        let n = "land_transfer";
        super::tax::check_share(n, "participation", self.participation)?;
        super::tax::check_share(n, "transfer_share", self.transfer_share)?;
        check_dated_money(n, "rent_per_mu", &self.rent_per_mu)?;
        check_dated_money(n, "guaranteed_dividend_per_mu", &self.guaranteed_dividend_per_mu)?;
        check_dated_money(n, "profit_dividend_per_mu", &self.profit_dividend_per_mu)?;
        check_month(n, "from_month", self.from_month)?;
        Ok(self)
    }

    /// Income per mu over months `from..=12` of `year` for a household.
    fn income_per_mu(&self, year: u16, shareholder: bool) -> f64 {
        (self.from_month..=12)
            .map(|m| {
                let at = YearMonth { year, month: m };
                let rent = *self.rent_per_mu.at(at);
                let monthly = if shareholder {
                    rent.max(*self.guaranteed_dividend_per_mu.at(at)) + self.profit_dividend_per_mu.at(at)
                } else {
                    rent
                };
                monthly / 12.0
            })
            .sum()
    }
}

impl Lever for LandTransfer {
    fn name(&self) -> &str {
        "land_transfer"
    }
    fn stage(&self) -> Stage {
        Stage::MarketIncome
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let sub = lever_sub("land_transfer");
        let months = 13 - self.from_month.clamp(1, 12);
        for h in 0..pop.household_count() {
            let hh = &pop.households;
            let farmed = (hh.land_mu[h] - hh.land_rented_out_mu[h]).max(0.0) as f64;
            if hh.residence[h] != Residence::Rural || farmed <= 0.0 {
                continue;
            }
            let mut rng = StreamRng::with_sub(ctx.seed, pop.household_id(h), ctx.year, Purpose::Lever, sub);
            if !rng.bernoulli(self.participation) {
                continue;
            }
            let moved = farmed * self.transfer_share;
            if self.as_shares {
                pop.households.flags[h].set(HouseholdFlags::SHAREHOLDER, true);
            }
            let shareholder = pop.households.flags[h].has(HouseholdFlags::SHAREHOLDER);
            let income = moved * self.income_per_mu(ctx.year, shareholder);
            pop.households.land_rented_out_mu[h] += moved as f32;
            // Operating income lost: the farmers' income per farmed mu, over the months.
            let share_lost = moved / farmed * months as f64 / 12.0;
            let mut lost = 0.0;
            for i in pop.members(h) {
                let op = pop.persons.operating[i];
                if pop.persons.employment[i] == Employment::FarmerHerder && op > 0.0 {
                    let l = op as f64 * share_lost;
                    pop.persons.operating[i] -= l as f32;
                    lost += l;
                }
            }
            if let Some(first) = pop.members(h).next() {
                pop.persons.property[first] += income as f32;
            }
            book.pay_private(h, IncomePart::Property, income);
            if lost > 0.0 {
                book.pay_private(h, IncomePart::Operating, -lost);
            }
        }
    }
}

/// Collective economy dividends (村集体经济分红): an amount per member per year to every
/// member of a household in the village collective (flag `COLLECTIVE_MEMBER`), paid as
/// property income. Dated per month and summed over the year, so a rise mid-year is
/// paid pro rata.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectiveDividend {
    /// Dividend per member per month, yuan. No published default (village-specific);
    /// the scenario sets it.
    pub per_member_per_month: Dated<f64>,
}

impl CollectiveDividend {
    /// A dividend with the given monthly amount per member.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative amount or steps out of order.
    pub fn new(per_member_per_month: Dated<f64>) -> Result<Self> {
        check_dated_money("collective_dividend", "per_member_per_month", &per_member_per_month)?;
        Ok(CollectiveDividend { per_member_per_month })
    }
}

impl Lever for CollectiveDividend {
    fn name(&self) -> &str {
        "collective_dividend"
    }
    fn stage(&self) -> Stage {
        Stage::MarketIncome
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let annual = self.per_member_per_month.annual(ctx.year);
        for h in 0..pop.household_count() {
            if pop.households.flags[h].has(HouseholdFlags::COLLECTIVE_MEMBER) && annual > 0.0 {
                book.pay_private(h, IncomePart::Property, annual * pop.households.size[h] as f64);
            }
        }
    }
}

/// Household financial and rental income growth (理财, 住房租赁): every person's
/// property income grows by `growth` this year (the person's column is raised, so
/// growth compounds). Project dividends (`poverty_project_income`) are not included.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyIncomeGrowth {
    /// Growth rate, dated (the rate in force in January). No published default.
    pub growth: Dated<f64>,
}

impl PropertyIncomeGrowth {
    /// Growth at the given rate.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a rate at or below -1 or steps out of order.
    pub fn new(growth: Dated<f64>) -> Result<Self> {
        check_dated_rate("property_income_growth", "growth", &growth)?;
        Ok(PropertyIncomeGrowth { growth })
    }
}

impl Lever for PropertyIncomeGrowth {
    fn name(&self) -> &str {
        "property_income_growth"
    }
    fn stage(&self) -> Stage {
        Stage::MarketIncome
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let g = *self.growth.at(YearMonth::start_of(ctx.year));
        for h in 0..pop.household_count() {
            let mut total = 0.0;
            for i in pop.members(h) {
                let gain = pop.persons.property[i] as f64 * g;
                pop.persons.property[i] += gain as f32;
                total += gain;
            }
            if total != 0.0 {
                book.pay_private(h, IncomePart::Property, total);
            }
        }
    }
}

/// Registry entries of this module's levers.
pub const SPECS: &[LeverSpec] = &[
    LeverSpec {
        name: "land_transfer",
        summary: "Rural households rent out or pool land as shares: rent or dividends per mu, farm income lost",
        part: "property (rent, dividends), operating (farm income lost), all private",
        source: "土地流转, 三变改革, 保底分红: Liupanshui 2022 plan clause 30; rents and dividends in \
                 lever_parameters.md",
        parameters: &[
            ParameterSpec {
                name: "participation",
                kind: Kind::Share,
                unit: "share of rural households with unrented land, per year",
                default: DefaultValue::Number(0.05),
                description: "Share of rural households with unrented land that rent some out this year; \
                              assumption: 0.05, no published figure",
            },
            ParameterSpec {
                name: "transfer_share",
                kind: Kind::Share,
                unit: "share of unrented land",
                default: DefaultValue::Number(0.5),
                description: "Share of their unrented land they rent out; assumption: 0.5, no published figure",
            },
            ParameterSpec {
                name: "rent_per_mu",
                kind: Kind::DatedMoney,
                unit: "yuan/mu/year",
                default: DefaultValue::Number(400.0),
                description: "Rent per mu per year: 400 (Shuicheng kiwi base, Liupanshui; lever_parameters.md \
                              \"land transfer rent\"), 1,300 after the shareholding reform",
            },
            ParameterSpec {
                name: "guaranteed_dividend_per_mu",
                kind: Kind::DatedMoney,
                unit: "yuan/mu/year",
                default: DefaultValue::Number(600.0),
                description: "Guaranteed minimum dividend per mu per year for shareholders: 600, the lower end of \
                              \"about 600–800 yuan/mu\" (lever_parameters.md)",
            },
            ParameterSpec {
                name: "profit_dividend_per_mu",
                kind: Kind::DatedMoney,
                unit: "yuan/mu/year",
                default: DefaultValue::Number(0.0),
                description: "Profit dividend per mu per year on top of the guaranteed dividend; assumption: 0, set \
                              locally (Liupanshui clause 30, \"在保底分红基础上，每年将净收益按照一定比例分配给农民\")",
            },
            ParameterSpec {
                name: "as_shares",
                kind: Kind::Flag,
                unit: "true/false",
                default: DefaultValue::Number(0.0),
                description: "Every participant pools land as shares (三变) and is paid as a shareholder; \
                              assumption: false, plain rental unless the scenario says so",
            },
            ParameterSpec {
                name: "from_month",
                kind: Kind::Months,
                unit: "month of the year, 1-12",
                default: DefaultValue::Number(1.0),
                description: "Month the transfer takes effect; assumption: 1",
            },
        ],
        build: build_land_transfer,
        switches: &[],
    },
    LeverSpec {
        name: "collective_dividend",
        summary: "Village collective economy dividend per member to households in the collective",
        part: "property (private: the village collective pays)",
        source: "村集体经济分红 (village-specific; no figure in the seeds)",
        parameters: &[ParameterSpec {
            name: "per_member_per_month",
            kind: Kind::DatedMoney,
            unit: "yuan/member/month",
            default: DefaultValue::Required,
            description: "Dividend per member per month, dated and summed over the year. No published default \
                          (village-specific): the scenario sets it",
        }],
        build: build_collective_dividend,
        switches: &[],
    },
    LeverSpec {
        name: "property_income_growth",
        summary: "Growth of every person's financial and rental property income (project dividends excluded)",
        part: "property (private)",
        source: "理财, 住房租赁 (household property income; no plan figure)",
        parameters: &[ParameterSpec {
            name: "growth",
            kind: Kind::DatedRate,
            unit: "rate/year",
            default: DefaultValue::Required,
            description: "Growth rate of property income, dated (the rate in force in January). No published \
                          default: the scenario sets it",
        }],
        build: build_property_income_growth,
        switches: &[],
    },
];

fn build_land_transfer(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(
        LandTransfer {
            participation: p.number("participation")?,
            transfer_share: p.number("transfer_share")?,
            rent_per_mu: p.dated("rent_per_mu")?,
            guaranteed_dividend_per_mu: p.dated("guaranteed_dividend_per_mu")?,
            profit_dividend_per_mu: p.dated("profit_dividend_per_mu")?,
            as_shares: p.flag("as_shares")?,
            from_month: p.months("from_month")?,
        }
        .validated()?,
    ))
}

fn build_collective_dividend(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(CollectiveDividend::new(p.dated("per_member_per_month")?)?))
}

fn build_property_income_growth(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(PropertyIncomeGrowth::new(p.dated("growth")?)?))
}
