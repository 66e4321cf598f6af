//! Retiree pension adjustment for enterprise and public-institution retirees
//! (企业和机关事业单位退休人员基本养老金调整, lever 15).

use super::members::pay_selected_member_sums;
use super::pension::invalid;
use super::registry::{DefaultValue, Kind, LeverSpec, ParameterSpec, Params};
use super::{Book, Dated, Lever, Stage, YearContext, YearMonth};
use crate::error::{Error, Result};
use crate::model::{IncomePart, Population};

/// A yearly percentage rise of employer-scheme pensions (`persons.retiree_pension`).
///
/// **No double counting.** The market accounts (built by
/// [`market_accounts`](super::market_accounts) before any lever) already count each
/// retiree's pension as it stands at the start of the year. This lever raises the
/// column by the rise and pays exactly the *delta* through the book as transfers
/// received, so the household's accounts end the year with the new pension, counted
/// once, and the lever's cost is the rise alone. The rise is paid from the effective
/// month (national adjustments are backdated to 1 January, so the default month is
/// 1): the amount added this year is `old × rate × (13 − month) / 12`, and the column
/// rises by the full-year `old × rate` so that next year starts from the new level.
/// Apply it once per year (it changes a person column).
#[derive(Debug, Clone, PartialEq)]
pub struct RetireePensionAdjustment {
    /// Rise per year as a share, keyed by the month it takes effect: the national
    /// adjustments 2016 6.5%, 2017 5.5%, 2018–2020 5%, 2021 4.5%, 2022 4%, 2023 3.8%,
    /// 2024 3%, 2025 2% (data/published/pensions.csv). A step dated in the year of the
    /// run applies that year.
    pub rise: Dated<f64>,
    /// Whether the last step's rise applies again every later year, from the same month
    /// (the years not yet decided: pensions have risen every year since 2005).
    pub carry_on: bool,
}

/// The national adjustments, by year (data/published/pensions.csv).
const NATIONAL_ADJUSTMENTS: [(u16, f64); 10] = [
    (2016, 0.065),
    (2017, 0.055),
    (2018, 0.05),
    (2019, 0.05),
    (2020, 0.05),
    (2021, 0.045),
    (2022, 0.04),
    (2023, 0.038),
    (2024, 0.03),
    (2025, 0.02),
];

impl RetireePensionAdjustment {
    /// The national adjustments 2016–2025 (data/published/pensions.csv), each from
    /// January, the last (2%) carried on.
    pub fn national() -> Self {
        RetireePensionAdjustment {
            rise: Dated::new(NATIONAL_ADJUSTMENTS.iter().map(|&(y, r)| (YearMonth::start_of(y), r)).collect())
                .unwrap_or_else(|| Dated::constant(0.0)),
            carry_on: true,
        }
    }

    /// An adjustment with the given dated rises (shares, 0–1), each applying in its
    /// year only (see [`RetireePensionAdjustment::carried_on`]).
    ///
    /// # Errors
    /// [`crate::Error::InvalidLever`] for a rise below 0 or above 1.
    pub fn new(rise: Dated<f64>) -> Result<Self> {
        for (when, r) in rise.steps() {
            if !(0.0..=1.0).contains(r) {
                return Err(invalid(
                    "retiree_pension_adjustment",
                    "rise",
                    format!("{r} at {when}"),
                    "must be a share 0–1",
                ));
            }
        }
        Ok(RetireePensionAdjustment { rise, carry_on: false })
    }

    /// The same rises, the last one applying again every later year.
    pub fn carried_on(self) -> Self {
        RetireePensionAdjustment { carry_on: true, ..self }
    }

    /// The rise taking effect in `year` and its month: a step dated in it, or, carried
    /// on, the last step's when it is dated in an earlier year.
    pub fn rise_in(&self, year: u16) -> Option<(f64, u8)> {
        let steps = self.rise.steps();
        if let Some((m, r)) = steps.iter().find(|(m, _)| m.year == year) {
            return Some((*r, m.month));
        }
        match steps.last() {
            Some((m, r)) if self.carry_on && m.year > 0 && m.year < year => Some((*r, m.month)),
            _ => None,
        }
    }
}

impl Lever for RetireePensionAdjustment {
    fn name(&self) -> &str {
        "retiree_pension_adjustment"
    }
    fn stage(&self) -> Stage {
        Stage::PensionsAllowances
    }
    fn apply(&self, ctx: &YearContext, pop: &mut Population, book: &mut Book<'_>) {
        let Some((rate, month)) = self.rise_in(ctx.year) else { return };
        let months_paid = (13 - month.clamp(1, 12)) as f64 / 12.0;
        let persons = pop.person_count();
        let hh = &pop.households;
        let members = (hh.first_person.as_slice(), hh.size.as_slice(), persons);
        let pension = &pop.persons.retiree_pension[..persons];
        // Over the persons with a pension only (no loop per household): the others add
        // nothing to their household's delta, and a rise is at least 0, so no delta is
        // negative.
        let retired = |i: usize| pension[i] > 0.0;
        let paid = pay_selected_member_sums(book, IncomePart::TransfersReceived, members, retired, |_, i, _| {
            pension[i] as f64 * rate * months_paid
        });
        if paid {
            let factor = 1.0 + rate as f32;
            for pension in &mut pop.persons.retiree_pension[..persons] {
                if *pension > 0.0 {
                    *pension *= factor;
                }
            }
            return;
        }
        for h in 0..pop.household_count() {
            let mut delta = 0.0;
            for i in pop.members(h) {
                let old = pop.persons.retiree_pension[i];
                if old > 0.0 {
                    let new = old * (1.0 + rate as f32);
                    pop.persons.retiree_pension[i] = new;
                    delta += old as f64 * rate * months_paid;
                }
            }
            if delta > 0.0 {
                book.pay(h, IncomePart::TransfersReceived, delta);
            }
        }
    }
}

/// Registry entries of this module's levers.
pub const SPECS: &[LeverSpec] = &[LeverSpec {
    name: "retiree_pension_adjustment",
    summary: "Yearly percentage rise of employer-scheme pensions, paid from its effective month (the delta only)",
    part: "transfers received",
    source: "National adjustments of enterprise and public-institution retirees' pensions, data/published/pensions.csv \
             (lever 15)",
    parameters: &[
        ParameterSpec {
            name: "rise",
            kind: Kind::DatedShare,
            unit: "share of the pension, by effective month",
            default: DefaultValue::Law("national adjustments in and after the base year"),
            description: "Rise by the month it takes effect, e.g. { \"2023-01\" = 0.04 }; a step dated in the year of \
                      the run applies that year (and the last one in every later year with `carry_on`). Default: \
                      the national adjustments 2016 6.5%, 2017 5.5%, 2018–2020 5%, 2021 4.5%, 2022 4%, 2023 3.8%, \
                      2024 3%, 2025 2%, each from January (data/published/pensions.csv), those in or after the \
                      base year (the base data reflect the earlier ones)",
        },
        ParameterSpec {
            name: "carry_on",
            kind: Kind::Flag,
            unit: "true/false",
            default: DefaultValue::Number(1.0),
            description: "The last step's rise applies again every later year, from its month (an assumption for the \
                      years not yet decided: retirees' pensions have risen every year since 2005, \
                      data/published/pensions.csv); false: only the years given rise. Default on",
        },
    ],
    build: build_retiree,
    switches: &[],
}];

fn build_retiree(p: &Params<'_>) -> Result<Box<dyn Lever>> {
    let base_year = p.context().base_year;
    let rise = match p.dated("rise") {
        Ok(rise) => {
            // A value in force throughout has no effective month in any year, so it
            // would never apply: ask for the month instead of ignoring it.
            if let [(m, x)] = rise.steps()
                && m.year == 0
                && *x != 0.0
            {
                return Err(p.invalid(
                    "rise",
                    x,
                    "give the rise by effective month, e.g. { \"2023-01\" = 0.04 }: only a step dated in the year \
                     of the run applies",
                ));
            }
            rise
        }
        // Not given: the declared default is not a number (see the registry entry).
        Err(Error::InvalidLever { value, .. }) if value == "(missing)" => {
            // Those in or after the base year; for a base year after the last, the last,
            // to be carried on.
            let national = RetireePensionAdjustment::national();
            let from = national.rise.steps().last().map_or(base_year, |(m, _)| base_year.min(m.year));
            let steps: Vec<(YearMonth, f64)> =
                national.rise.steps().iter().filter(|(m, _)| m.year >= from).copied().collect();
            Dated::new(steps).unwrap_or_else(|| Dated::constant(0.0))
        }
        Err(e) => return Err(e),
    };
    let lever = RetireePensionAdjustment::new(rise)?;
    Ok(Box::new(if p.flag("carry_on")? { lever.carried_on() } else { lever }))
}
