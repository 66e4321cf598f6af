//! Farm subsidies (lever 21): farmland protection, grassland rewards, producer
//! subsidies.
//!
//! **NBS income.** The household survey counts policy subsidies to production
//! (政策性生产补贴: 耕地地力保护补贴, 草原生态保护补助奖励, producer subsidies) as
//! transfer income received (转移性收入), not as operating income; this lever pays
//! [`IncomePart::TransfersReceived`]. (NBS 住户收支与生活状况调查 indicator notes:
//! 转移净收入 includes 政策性生活补贴 and 政策性生产补贴.)

use super::dibao::check_dated;
use super::registry::{DefaultValue, Kind, LeverSpec, ParameterSpec, Params};
use super::{Book, Dated, Lever, Stage, YearContext};
use crate::error::Result;
use crate::model::{IncomePart, Population};

/// Per-mu and per-household farm subsidies. Amounts are yuan per year, dated: a
/// change mid-year is paid pro rata (`rate_m / 12` per month).
#[derive(Debug, Clone, PartialEq)]
pub struct FarmSubsidies {
    /// Farmland protection subsidy (耕地地力保护补贴) per mu of contracted land per year,
    /// paid to the contract holder even if the land is rented out (财农〔2016〕26号,
    /// lever_parameters.md). The rate is set by each province; default 100 yuan
    /// (assumption: the order of magnitude of published provincial rates).
    pub farmland_per_mu: Dated<f64>,
    /// Grazing-ban subsidy (禁牧补助) per mu of banned grassland per year (7.5, Inner
    /// Mongolia government policy interpretation, lever_parameters.md).
    pub grazing_ban_per_mu: Dated<f64>,
    /// Grass–livestock balance reward (草畜平衡奖励) per mu per year (2.5, same source).
    pub grass_balance_per_mu: Dated<f64>,
    /// Share of a household's grassland under the grazing ban; the rest is under
    /// grass–livestock balance (assumption: 0.5; no published household split).
    pub grazing_ban_share: f64,
    /// Producer subsidy per household with land (生产者补贴, e.g. for maize or
    /// soybean), yuan per year. Default 0 (set by the scenario).
    pub producer_per_household: Dated<f64>,
}

impl Default for FarmSubsidies {
    fn default() -> Self {
        FarmSubsidies {
            farmland_per_mu: Dated::constant(100.0),
            grazing_ban_per_mu: Dated::constant(7.5),
            grass_balance_per_mu: Dated::constant(2.5),
            grazing_ban_share: 0.5,
            producer_per_household: Dated::constant(0.0),
        }
    }
}

impl FarmSubsidies {
    /// Subsidies with the given rates.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for negative money or a share outside 0–1.
    pub fn new(
        farmland_per_mu: Dated<f64>,
        grazing_ban_per_mu: Dated<f64>,
        grass_balance_per_mu: Dated<f64>,
        grazing_ban_share: f64,
        producer_per_household: Dated<f64>,
    ) -> Result<Self> {
        let l = "farm_subsidies";
        check_dated(l, "farmland_per_mu", &farmland_per_mu)?;
        check_dated(l, "grazing_ban_per_mu", &grazing_ban_per_mu)?;
        check_dated(l, "grass_balance_per_mu", &grass_balance_per_mu)?;
        check_dated(l, "producer_per_household", &producer_per_household)?;
        super::tax::check_share(l, "grazing_ban_share", grazing_ban_share)?;
        Ok(FarmSubsidies {
            farmland_per_mu,
            grazing_ban_per_mu,
            grass_balance_per_mu,
            grazing_ban_share,
            producer_per_household,
        })
    }

    /// The year's amount of a yearly rate that may change mid-year.
    fn year_rate(rate: &Dated<f64>, year: u16) -> f64 {
        rate.annual(year) / 12.0
    }

    /// The year's subsidies of a household with `land_mu` contracted farmland and
    /// `grassland_mu` grassland.
    pub fn for_household(&self, year: u16, land_mu: f64, grassland_mu: f64) -> f64 {
        self.rates(year).for_household(land_mu, grassland_mu)
    }

    /// The year's rates, evaluated once for every household.
    fn rates(&self, year: u16) -> YearRates {
        YearRates {
            farmland: Self::year_rate(&self.farmland_per_mu, year),
            grazing_ban: Self::year_rate(&self.grazing_ban_per_mu, year),
            grass_balance: Self::year_rate(&self.grass_balance_per_mu, year),
            grazing_ban_share: self.grazing_ban_share,
            producer: Self::year_rate(&self.producer_per_household, year),
        }
    }
}

/// The rates of [`FarmSubsidies`] in one year.
struct YearRates {
    farmland: f64,
    grazing_ban: f64,
    grass_balance: f64,
    grazing_ban_share: f64,
    producer: f64,
}

impl YearRates {
    #[inline]
    fn for_household(&self, land_mu: f64, grassland_mu: f64) -> f64 {
        let land = land_mu.max(0.0);
        let grass = grassland_mu.max(0.0);
        let mut total = land * self.farmland
            + grass * self.grazing_ban_share * self.grazing_ban
            + grass * (1.0 - self.grazing_ban_share) * self.grass_balance;
        if land + grass > 0.0 {
            total += self.producer;
        }
        total
    }
}

impl Lever for FarmSubsidies {
    fn name(&self) -> &str {
        "farm_subsidies"
    }
    fn stage(&self) -> Stage {
        Stage::PensionsAllowances
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let hh = &pop.households;
        let rates = self.rates(ctx.year);
        for h in 0..pop.household_count() {
            let amount = rates.for_household(hh.land_mu[h] as f64, hh.grassland_mu[h] as f64);
            if amount > 0.0 {
                book.pay(h, IncomePart::TransfersReceived, amount);
            }
        }
    }
}

/// Registry entries of this module's levers.
pub const SPECS: &[LeverSpec] = &[LeverSpec {
    name: "farm_subsidies",
    summary: "Farmland protection subsidy per mu of contracted land, grassland rewards per mu, producer subsidy \
              per household with land (NBS: transfers received)",
    part: "transfers received",
    source: "财农〔2016〕26号 (耕地地力保护补贴); Inner Mongolia grassland policy interpretation \
             (lever_parameters.md) (lever 21)",
    parameters: &[
        ParameterSpec {
            name: "farmland_per_mu",
            kind: Kind::DatedMoney,
            unit: "yuan/mu/year",
            default: DefaultValue::Number(100.0),
            description: "Farmland protection subsidy per mu of contracted land, paid to the contract holder \
                          even if rented out; set by each province; assumption: 100, the order of magnitude of \
                          published provincial rates",
        },
        ParameterSpec {
            name: "grazing_ban_per_mu",
            kind: Kind::DatedMoney,
            unit: "yuan/mu/year",
            default: DefaultValue::Number(7.5),
            description: "禁牧补助 per mu of banned grassland (7.5, Inner Mongolia government policy \
                          interpretation, lever_parameters.md)",
        },
        ParameterSpec {
            name: "grass_balance_per_mu",
            kind: Kind::DatedMoney,
            unit: "yuan/mu/year",
            default: DefaultValue::Number(2.5),
            description: "草畜平衡奖励 per mu (2.5, same source)",
        },
        ParameterSpec {
            name: "grazing_ban_share",
            kind: Kind::Share,
            unit: "share of a household's grassland",
            default: DefaultValue::Number(0.5),
            description: "Share of grassland under the grazing ban, the rest under grass–livestock balance; \
                          assumption: 0.5, no published household split",
        },
        ParameterSpec {
            name: "producer_per_household",
            kind: Kind::DatedMoney,
            unit: "yuan/household/year",
            default: DefaultValue::Number(0.0),
            description: "生产者补贴 (e.g. maize, soybean) per household with land; default 0, set by the scenario",
        },
    ],
    build: build_farm_subsidies,
    switches: &[],
}];

fn build_farm_subsidies(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(FarmSubsidies::new(
        p.dated("farmland_per_mu")?,
        p.dated("grazing_ban_per_mu")?,
        p.dated("grass_balance_per_mu")?,
        p.number("grazing_ban_share")?,
        p.dated("producer_per_household")?,
    )?))
}
