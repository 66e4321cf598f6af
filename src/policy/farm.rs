//! Operating-income levers: farm productivity and specialty industries, and
//! enterprise linkage.

use super::rationing::{Candidate, Places, Rationed, apply_rationed, check_dated_money, check_dated_rate};
use super::registry::{DefaultValue, Kind, LeverSpec, ParameterSpec, Params};
use super::{Book, Dated, Lever, LeverRecord, Stage, YearContext, YearMonth};
use crate::error::Result;
use crate::model::{Employment, HouseholdFlags, IncomePart, Population, Residence};

/// Farm productivity and specialty industries (粮油单产提升, 特色产业): growth of net farm
/// income per unit this year, as a blend of product groups.
///
/// Every farmer/herder with positive operating income gets
/// `operating × Σ share_k × growth_k` more (Operating); the person's column is raised
/// too, so the gain persists into later years. The model has no product breakdown per
/// farm, so the shares are the region's (parameters).
#[derive(Debug, Clone, PartialEq)]
pub struct FarmProductivity {
    /// Growth of grain income per unit: 0.02 (Liupanshui 2022 plan, clause 10, grain
    /// yield +2%, as restated in LEVERS.md lever 8).
    pub grain_growth: Dated<f64>,
    /// Growth of oilseed income per unit: 0.03 (same clause, oilseed +3%).
    pub oilseed_growth: Dated<f64>,
    /// Growth of specialty-industry income (Wuzhong "六特" industries). Default 0
    /// (the Wuzhong plan states a share target, not a growth rate).
    pub specialty_growth: Dated<f64>,
    /// Shares of farm income from `[grain, oilseed, specialty]`; the rest does not
    /// grow. Default `[0.5, 0.1, 0.2]` (assumption; no published split).
    pub shares: [f64; 3],
}

impl FarmProductivity {
    /// Liupanshui's rates with the default shares.
    ///
    /// # Errors
    /// Never for these values.
    pub fn liupanshui() -> Result<Self> {
        Self::new(Dated::constant(0.02), Dated::constant(0.03), Dated::constant(0.0), [0.5, 0.1, 0.2])
    }

    /// Farm productivity growth with the given rates and shares.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a rate at or below -1, steps out of order,
    /// a share outside 0–1 or shares summing above 1.
    pub fn new(
        grain_growth: Dated<f64>,
        oilseed_growth: Dated<f64>,
        specialty_growth: Dated<f64>,
        shares: [f64; 3],
    ) -> Result<Self> {
        let n = "farm_productivity";
        check_dated_rate(n, "grain_growth", &grain_growth)?;
        check_dated_rate(n, "oilseed_growth", &oilseed_growth)?;
        check_dated_rate(n, "specialty_growth", &specialty_growth)?;
        for s in shares {
            super::tax::check_share(n, "shares", s)?;
        }
        super::tax::check_share(n, "shares (sum)", shares.iter().sum())?;
        Ok(FarmProductivity { grain_growth, oilseed_growth, specialty_growth, shares })
    }

    /// The blended growth of farm income in a year (rates in force in January).
    pub fn growth(&self, year: u16) -> f64 {
        let at = YearMonth::start_of(year);
        self.shares[0] * self.grain_growth.at(at)
            + self.shares[1] * self.oilseed_growth.at(at)
            + self.shares[2] * self.specialty_growth.at(at)
    }
}

impl Lever for FarmProductivity {
    fn name(&self) -> &str {
        "farm_productivity"
    }
    fn stage(&self) -> Stage {
        Stage::MarketIncome
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let g = self.growth(ctx.year);
        for h in 0..pop.household_count() {
            for i in pop.members(h) {
                let op = pop.persons.operating[i] as f64;
                if pop.persons.employment[i] == Employment::FarmerHerder && op > 0.0 {
                    let gain = op * g;
                    pop.persons.operating[i] += gain as f32;
                    book.pay_private(h, IncomePart::Operating, gain);
                }
            }
        }
    }
}

/// Enterprise linkage (龙头企业+合作社+农户, 利益联结): a number of rural farming households
/// linked to a leading enterprise or cooperative each year, whose farm operating income
/// rises by `uplift` (a share). Awards to firms are a fiscal cost no household receives:
/// `award_per_household` per newly linked household.
///
/// Eligible: rural households not yet linked with at least one farmer/herder with
/// positive operating income; one candidate per household (weight = households).
/// Priority: 0 formerly poor or monitored; 1 others (Liupanshui clause 15 asks linkage
/// to reach the formerly poor first). Already-linked households keep the flag; their
/// uplift is assumed to be in their operating income already.
#[derive(Debug, Clone, PartialEq)]
pub struct EnterpriseLinkage {
    /// Households newly linked per year. No default in the plans (Bayannur targets a
    /// 70% linkage rate by 2020).
    pub households_per_year: Dated<f64>,
    /// Uplift of the household's farm operating income, share. Default 0.10
    /// (assumption; no published figure).
    pub uplift: f64,
    /// Award per linked household, yuan: 1,000 (Liupanshui 2022 plan, clause 15:
    /// 500,000 yuan per firm linking 500 households, 200,000 per firm linking 200).
    pub award_per_household: f64,
}

impl EnterpriseLinkage {
    /// Linkage with the given households per year and the defaults above.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a negative number or steps out of order.
    pub fn new(households_per_year: Dated<f64>) -> Result<Self> {
        EnterpriseLinkage { households_per_year, uplift: 0.10, award_per_household: 1000.0 }.validated()
    }

    /// Checks every field.
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] naming the first bad field.
    pub fn validated(self) -> Result<Self> {
        let n = "enterprise_linkage";
        check_dated_money(n, "households_per_year", &self.households_per_year)?;
        super::rationing::check_non_negative(n, "uplift", self.uplift)?;
        super::tax::check_money(n, "award_per_household", self.award_per_household)?;
        Ok(self)
    }

    fn farm_income(pop: &Population, h: usize) -> f64 {
        pop.members(h)
            .filter(|&i| pop.persons.employment[i] == Employment::FarmerHerder)
            .map(|i| pop.persons.operating[i].max(0.0) as f64)
            .sum()
    }
}

impl Rationed for EnterpriseLinkage {
    fn rationed_name(&self) -> &str {
        "enterprise_linkage"
    }
    fn places(&self, ctx: &YearContext) -> Places {
        Places { places: *self.households_per_year.at(YearMonth::start_of(ctx.year)), quota_share: 0.0 }
    }
    fn eligible(&self, _ctx: &YearContext, pop: &Population, emit: &mut dyn FnMut(Candidate)) {
        for h in 0..pop.household_count() {
            let flags = pop.households.flags[h];
            if pop.households.residence[h] != Residence::Rural
                || flags.has(HouseholdFlags::LINKED_TO_ENTERPRISE)
                || Self::farm_income(pop, h) <= 0.0
            {
                continue;
            }
            let class = u8::from(!(flags.has(HouseholdFlags::FORMERLY_POOR) || flags.has(HouseholdFlags::MONITORED)));
            emit(Candidate::unkeyed(pop, h, 0, class))
        }
    }
    fn apply_chosen(&self, _ctx: &YearContext, pop: &mut Population, chosen: &[Candidate], book: &mut Book<'_>) {
        for c in chosen {
            let h = c.household;
            pop.households.flags[h].set(HouseholdFlags::LINKED_TO_ENTERPRISE, true);
            let mut total = 0.0;
            for i in pop.members(h) {
                let op = pop.persons.operating[i];
                if pop.persons.employment[i] == Employment::FarmerHerder && op > 0.0 {
                    let gain = op as f64 * self.uplift;
                    pop.persons.operating[i] += gain as f32;
                    total += gain;
                }
            }
            book.pay_private(h, IncomePart::Operating, total);
        }
    }
}

impl Lever for EnterpriseLinkage {
    fn name(&self) -> &str {
        "enterprise_linkage"
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
        record.recipient_households * self.award_per_household
    }
}

/// Registry entries of this module's levers.
pub const SPECS: &[LeverSpec] = &[
    LeverSpec {
        name: "farm_productivity",
        summary: "Growth of farmers' net farm income per unit, a blend of grain, oilseed and specialty growth",
        part: "operating (private)",
        source: "粮油单产提升: Liupanshui 2022 plan clause 10 (grain +2%, oilseed +3%; LEVERS.md lever 8); \
                 特色产业: Wuzhong \"六特\" industries",
        parameters: &[
            ParameterSpec {
                name: "grain_growth",
                kind: Kind::DatedRate,
                unit: "rate/year",
                default: DefaultValue::Number(0.02),
                description: "Growth of grain income per unit: 0.02 (Liupanshui 2022 plan, clause 10, grain \
                              yield +2%, as restated in LEVERS.md lever 8)",
            },
            ParameterSpec {
                name: "oilseed_growth",
                kind: Kind::DatedRate,
                unit: "rate/year",
                default: DefaultValue::Number(0.03),
                description: "Growth of oilseed income per unit: 0.03 (same clause, oilseed +3%)",
            },
            ParameterSpec {
                name: "specialty_growth",
                kind: Kind::DatedRate,
                unit: "rate/year",
                default: DefaultValue::Number(0.0),
                description: "Growth of specialty-industry income (Wuzhong \"六特\" industries); assumption: 0, the \
                              Wuzhong plan states a share target, not a growth rate",
            },
            ParameterSpec {
                name: "grain_share",
                kind: Kind::Share,
                unit: "share of farm income",
                default: DefaultValue::Number(0.5),
                description: "Share of farm income from grain (the lever's `shares[0]`); the three shares sum to at \
                              most 1 and the rest does not grow; assumption: 0.5, no published split",
            },
            ParameterSpec {
                name: "oilseed_share",
                kind: Kind::Share,
                unit: "share of farm income",
                default: DefaultValue::Number(0.1),
                description: "Share of farm income from oilseeds (`shares[1]`); assumption: 0.1, no published split",
            },
            ParameterSpec {
                name: "specialty_share",
                kind: Kind::Share,
                unit: "share of farm income",
                default: DefaultValue::Number(0.2),
                description: "Share of farm income from specialty industries (`shares[2]`); assumption: 0.2, no \
                              published split",
            },
        ],
        build: build_farm_productivity,
        switches: &[],
    },
    LeverSpec {
        name: "enterprise_linkage",
        summary: "Rural farming households newly linked to a leading enterprise or cooperative; farm income uplift",
        part: "operating (private: the enterprise pays the uplift); awards to firms a fiscal cost only",
        source: "龙头企业+合作社+农户 利益联结: Liupanshui 2022 plan clause 15; Bayannur (70% linkage by 2020)",
        parameters: &[
            ParameterSpec {
                name: "households_per_year",
                kind: Kind::DatedCount,
                unit: "households/year",
                default: DefaultValue::Number(0.0),
                description: "Households newly linked per year. Default 0: no figure in the plans (Bayannur targets \
                              a 70% linkage rate by 2020); the scenario sets it",
            },
            ParameterSpec {
                name: "uplift",
                kind: Kind::Number,
                unit: "share of farm operating income",
                default: DefaultValue::Number(0.10),
                description: "Uplift of the household's farm operating income; assumption: 0.10, no published figure",
            },
            ParameterSpec {
                name: "award_per_household",
                kind: Kind::Money,
                unit: "yuan/linked household",
                default: DefaultValue::Number(1000.0),
                description: "Award to firms per linked household: 1,000 (Liupanshui 2022 plan, clause 15: 500,000 \
                              yuan per firm linking 500 households, 200,000 per firm linking 200)",
            },
        ],
        build: build_enterprise_linkage,
        switches: &[],
    },
];

fn build_farm_productivity(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    let shares = [p.number("grain_share")?, p.number("oilseed_share")?, p.number("specialty_share")?];
    let sum: f64 = shares.iter().sum();
    if sum > 1.0 + 1e-12 {
        return Err(p.invalid(
            "grain_share + oilseed_share + specialty_share",
            sum,
            "the shares of farm income must sum to at most 1",
        ));
    }
    Ok(Box::new(FarmProductivity::new(
        p.dated("grain_growth")?,
        p.dated("oilseed_growth")?,
        p.dated("specialty_growth")?,
        shares,
    )?))
}

fn build_enterprise_linkage(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    Ok(Box::new(
        EnterpriseLinkage {
            households_per_year: p.dated("households_per_year")?,
            uplift: p.number("uplift")?,
            award_per_household: p.number("award_per_household")?,
        }
        .validated()?,
    ))
}
