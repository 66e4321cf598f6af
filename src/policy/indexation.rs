//! Indexation: the rules by which amounts given in base-year yuan move in later years,
//! with the indices of the year's context ([`YearContext`]).

use super::YearContext;
use crate::model::Residence;

/// How an amount fixed in base-year yuan follows prices, incomes or pay rates after the
/// base year: dibao thresholds (at least the base-year amount times the index), the
/// contribution base's bounds, and the employment levers' pay (times the index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Indexation {
    /// Thresholds follow their dated schedule only.
    #[default]
    None,
    /// At least the base-year threshold times [`YearContext::price_index`]
    /// (社会救助和保障标准与物价上涨挂钩, Wuzhong plan §13, Bayannur plan §(二十)).
    Prices,
    /// At least the base-year threshold times [`YearContext::income_index`] of the
    /// household's residence (低保标准自然增长机制, Bayannur plan §(二十)).
    Incomes,
    /// Times [`YearContext::wage_index`] of the household's residence: the growth of
    /// pay rates. For market pay fixed in base-year yuan (the wages and business
    /// incomes of the employment levers), not for thresholds.
    Wages,
}

impl Indexation {
    /// The words a scenario names the rules by (a lever's `indexation` parameter), in
    /// the order of [`Indexation::from_word`].
    pub const WORDS: &'static [&'static str] = &["none", "prices", "incomes"];

    /// The words of the rules a lever's market pay can follow: [`Indexation::WORDS`]
    /// and `wages`.
    pub const PAY_WORDS: &'static [&'static str] = &["none", "prices", "incomes", "wages"];

    /// The rule a word of [`Indexation::WORDS`] names; [`Indexation::None`] for any other
    /// (the registry has already checked the word).
    pub fn from_word(word: &str) -> Self {
        match word {
            "prices" => Indexation::Prices,
            "incomes" => Indexation::Incomes,
            "wages" => Indexation::Wages,
            _ => Indexation::None,
        }
    }

    /// The factor on a base-year amount in the context's year: the price index, or the
    /// income or wage index of `residence`; `None` for [`Indexation::None`].
    pub fn index(self, ctx: &YearContext, residence: Residence) -> Option<f64> {
        match self {
            Indexation::None => None,
            Indexation::Prices => Some(ctx.price_index),
            Indexation::Incomes => Some(ctx.income_index[residence.index()]),
            Indexation::Wages => Some(ctx.wage_index[residence.index()]),
        }
    }

    /// [`Indexation::index`], 1 for [`Indexation::None`]: the factor on an amount that
    /// is paid as it is when not indexed.
    pub fn factor(self, ctx: &YearContext, residence: Residence) -> f64 {
        self.index(ctx, residence).unwrap_or(1.0)
    }
}
