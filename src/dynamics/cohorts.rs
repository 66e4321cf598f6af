//! Relative sizes of the nation's birth cohorts, derived from the published yearly
//! population series, so that a base year's single-year ages carry the famine
//! cohorts of 1959–1961, the boom of 1962–1965 and the births of 2016–2017 and after.
//!
//! A profile gives its residents' shares in a few age bands (0–15, 16–59, 60+, 65+);
//! within a band the generator spreads them over single years. Spread evenly, the
//! cohorts that turn 60 in 2019–2021 (born 1959–1961, when births fell by a third)
//! are as large as any, and the projected share aged 60+ rises a point a year where
//! the published one rose 0.2. This module finds, from `data/published/demography.csv`
//! (NBS communiqués 2015–2025: resident population and the shares aged 60+ and 65+
//! at the end of each year, births), how many persons entered each of those ages each
//! year:
//!
//! - a small projection of the population aged 60 and over, by single year of age,
//!   with the model's life table at each year's level, from the published 60+ and
//!   65+ shares of 2015 (spread over 60–64 and 65+ as the generator does); each year
//!   the persons turning 65 are what the published 65+ count needs beyond the
//!   survivors already 65 or older, and those turning 60 what the 60+ count needs
//!   beyond the survivors already 60 or older;
//! - a cohort seen turning 60 in year `y` was born in `y − 60`, one seen turning 65
//!   in `y − 65` (its size at 65 is divided by its survival from 60 to 65 so that both
//!   are sizes at 60, and where both exist they are averaged);
//! - 2020 is the census year: the communiqué series of 2019 and the census of 2020
//!   differ by a revision of the population (9.7 million more persons than births less
//!   deaths), so the entries of 2020 are not taken; a cohort left without any
//!   estimate inside the range (born 1955) is interpolated from its neighbours;
//! - births (2015–2025, 2020's the mean of 2019's and 2021's, which the table lacks)
//!   give the youngest cohorts.
//!
//! Sizes are relative. Cohorts born up to 1965 are relative to the mean single-year
//! cohort of the ages 16–59 of 2015 that no estimate covers (ages 16–49, born
//! 1966–1999); cohorts born from 2015 relative to the births of 2015, and cohorts born
//! before 2015 but after 1999, which nothing here covers, are taken as large as
//! those of 2015 (births of 2010–2014 are not in `data/published`). A cohort's size
//! at 60 is carried to its age in a base year by the life table of 2015: divided by
//! its survival from that age to 60 below 60, times its survival from 60 beyond.

use super::life_table::LifeTable;
use super::published;
use super::{LIFE_EXPECTANCY_2015, LIFE_EXPECTANCY_2020};
use crate::model::Sex;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The census year of the published series, whose population and age shares are a
/// revision of the year before's communiqué rather than one more year of it.
pub const CENSUS_YEAR: u16 = 2020;

/// First age of the old-age bands the profiles give (60+).
const OLD_AGE: usize = 60;
/// Second old-age band (65+).
const OLDER_AGE: usize = 65;
/// Youngest age counted among adults (the 16–59 band starts here).
const ADULT_AGE: u16 = 16;
/// Yearly decline of a single year's share beyond 60 where no cohort is known (the
/// generator's assumed survival shape).
pub const UNKNOWN_OLD_DECLINE: f64 = 0.93;

/// Relative sizes of birth cohorts of the nation (see the module documentation).
#[derive(Debug, Clone, PartialEq)]
pub struct CohortSizes {
    /// Cohorts born up to the adult reference's oldest uncovered age: size at 60
    /// relative to the mean uncovered single-year cohort of 16–59 in the first year.
    adults: BTreeMap<u16, f64>,
    /// Cohorts born from the first year of births: births relative to the first year's.
    births: BTreeMap<u16, f64>,
    /// Survival from 60 to each age 60..=110 at the life table of the first year
    /// (both sexes averaged), to carry a cohort's size at 60 to its age in a base year.
    survival_from_60: Vec<f64>,
    /// Survival from each age 0..60 to 60, likewise.
    survival_to_60: Vec<f64>,
}

/// The published life table's level in a year: the hazard scale the dynamics use
/// (the 2020 level times the yearly decline between 2015 and 2020, before 2015 the
/// 2015 level), with the table scaled to 2020.
pub(crate) struct PublishedMortality {
    /// The assumed shape scaled to the published life expectancy of 2020.
    pub table: LifeTable,
    /// The factor on the assumed shape that gives the life expectancy of 2020.
    pub table_scale_2020: f64,
    /// Hazard scale of 2015 relative to 2020.
    pub scale_2015: f64,
    /// Yearly factor on the hazards from 2015 on.
    pub yearly_change: f64,
}

impl PublishedMortality {
    /// The life table and its path as [`super::Dynamics::from_profile`] sets them.
    pub fn new() -> PublishedMortality {
        let shape = LifeTable::assumed_shape();
        let s2020 = shape.scale_for(LIFE_EXPECTANCY_2020);
        let s2015 = shape.scale_for(LIFE_EXPECTANCY_2015);
        PublishedMortality {
            table: shape.scaled(s2020),
            table_scale_2020: s2020,
            scale_2015: (s2015 / s2020).max(1.0),
            yearly_change: (s2020 / s2015).powf(1.0 / 5.0),
        }
    }

    /// The factor on [`Self::table`]'s hazards in `year`.
    pub fn scale_in(&self, year: u16) -> f64 {
        if year < 2015 { self.scale_2015 } else { self.yearly_change.powi(year as i32 - 2020) }
    }

    /// Probability of dying within `year` at `age`, both sexes averaged.
    fn death_probability(&self, age: usize, year: u16) -> f64 {
        let s = self.scale_in(year);
        let a = age.min(u8::MAX as usize) as u8;
        0.5 * (self.table.death_probability(Sex::Male, a, s) + self.table.death_probability(Sex::Female, a, s))
    }
}

impl CohortSizes {
    /// The sizes derived from the published series embedded in the crate, computed once.
    pub fn national() -> &'static CohortSizes {
        static NATIONAL: OnceLock<CohortSizes> = OnceLock::new();
        NATIONAL.get_or_init(|| {
            let col = |name| published::demography(name).into_iter().collect::<BTreeMap<u16, f64>>();
            CohortSizes::derive(&DemographySeries {
                population: col("population_10k").into_iter().map(|(y, v)| (y, v * 1e4)).collect(),
                share_60_plus: col("age_60_plus_pct").into_iter().map(|(y, v)| (y, v / 100.0)).collect(),
                share_65_plus: col("age_65_plus_pct").into_iter().map(|(y, v)| (y, v / 100.0)).collect(),
                share_16_59: col("age_16_59_pct").into_iter().map(|(y, v)| (y, v / 100.0)).collect(),
                births: col("births_10k").into_iter().map(|(y, v)| (y, v * 1e4)).collect(),
            })
        })
    }

    /// Derives the sizes from yearly series (see the module documentation).
    pub fn derive(series: &DemographySeries) -> CohortSizes {
        let mortality = PublishedMortality::new();
        let first = series
            .population
            .keys()
            .copied()
            .find(|y| series.share_60_plus.contains_key(y) && series.share_65_plus.contains_key(y));
        let Some(first) = first else {
            return CohortSizes::empty(&mortality);
        };
        let max = super::MAX_AGE;
        // The 60+ population of the first year by single age, spread as the generator spreads it.
        let mut stock = vec![0.0; max + 1];
        let total = series.population[&first];
        let (s60, s65) = (series.share_60_plus[&first], series.share_65_plus[&first]);
        for (lo, hi, share) in [(OLD_AGE, OLDER_AGE, s60 - s65), (OLDER_AGE, max + 1, s65)] {
            let w: Vec<f64> = (lo..hi).map(|a| UNKNOWN_OLD_DECLINE.powi((a - OLD_AGE) as i32)).collect();
            let sum: f64 = w.iter().sum();
            for (a, wa) in (lo..hi).zip(w) {
                stock[a] = total * share.max(0.0) * wa / sum;
            }
        }
        let mut at_60: BTreeMap<u16, Vec<f64>> = BTreeMap::new();
        let mut year = first.saturating_add(1);
        while let (Some(&p), Some(&s60), Some(&s65)) =
            (series.population.get(&year), series.share_60_plus.get(&year), series.share_65_plus.get(&year))
        {
            let mut next = vec![0.0; max + 1];
            for a in OLD_AGE..max {
                next[a + 1] = stock[a] * (1.0 - mortality.death_probability(a, year));
            }
            let older_survivors: f64 = next[OLDER_AGE + 1..].iter().sum();
            next[OLDER_AGE] = (p * s65 - older_survivors).max(0.0);
            let old_survivors: f64 = next[OLD_AGE + 1..].iter().sum();
            next[OLD_AGE] = (p * s60 - old_survivors).max(0.0);
            if year != CENSUS_YEAR {
                let survival_60_65: f64 =
                    (OLD_AGE..OLDER_AGE).map(|a| 1.0 - mortality.death_probability(a, year)).product();
                if let Some(c) = year.checked_sub(OLD_AGE as u16) {
                    at_60.entry(c).or_default().push(next[OLD_AGE]);
                }
                if let Some(c) = year.checked_sub(OLDER_AGE as u16) {
                    at_60.entry(c).or_default().push(next[OLDER_AGE] / survival_60_65);
                }
            }
            stock = next;
            let Some(following) = year.checked_add(1) else { break };
            year = following;
        }
        let mut adults: BTreeMap<u16, f64> =
            at_60.into_iter().map(|(c, v)| (c, v.iter().sum::<f64>() / v.len() as f64)).collect();
        // Cohorts left without an estimate inside the range: interpolated.
        if let (Some(&lo), Some(&hi)) = (adults.keys().next(), adults.keys().next_back()) {
            for c in lo..=hi {
                if !adults.contains_key(&c) {
                    let below = adults.range(..c).next_back().map(|(&k, &v)| (k, v));
                    let above = adults.range(c..).next().map(|(&k, &v)| (k, v));
                    if let (Some((k0, v0)), Some((k1, v1))) = (below, above) {
                        let t = (c - k0) as f64 / (k1 - k0) as f64;
                        adults.insert(c, v0 + t * (v1 - v0));
                    }
                }
            }
        }
        // The reference: the mean single-year cohort of 16–59 in the first year among ages no estimate covers.
        let band = series.share_16_59.get(&first).map(|s| s * total);
        let oldest_adult = first.saturating_sub(ADULT_AGE);
        let youngest_in_band = first.saturating_sub(OLD_AGE as u16 - 1);
        let to_60 = survival_to_60(&mortality, first);
        let covered: Vec<f64> = adults
            .range(youngest_in_band..=oldest_adult)
            .map(|(&c, &v)| v / to_60.get(usize::from(first - c)).copied().unwrap_or(1.0))
            .collect();
        let uncovered_ages = (OLD_AGE as u16 - ADULT_AGE) as f64 - covered.len() as f64;
        let reference = band.map(|b| (b - covered.iter().sum::<f64>()) / uncovered_ages.max(1.0));
        let adults = match reference {
            Some(r) if r > 0.0 => adults.into_iter().map(|(c, v)| (c, v / r)).collect(),
            _ => BTreeMap::new(),
        };
        // Births, a missing year as the mean of its neighbours.
        let mut births = series.births.clone();
        if let (Some(&lo), Some(&hi)) = (births.keys().next(), births.keys().next_back()) {
            for y in lo..=hi {
                if let (false, Some(a), Some(b)) =
                    (births.contains_key(&y), births.get(&y.saturating_sub(1)), births.get(&y.saturating_add(1)))
                {
                    births.insert(y, 0.5 * (a + b));
                }
            }
        }
        let births = match births.get(&first) {
            Some(&b0) if b0 > 0.0 => {
                births.into_iter().filter(|(y, _)| *y >= first).map(|(y, b)| (y, b / b0)).collect()
            }
            _ => BTreeMap::new(),
        };
        CohortSizes { adults, births, survival_from_60: survival_from_60(&mortality, first), survival_to_60: to_60 }
    }

    fn empty(mortality: &PublishedMortality) -> CohortSizes {
        CohortSizes {
            adults: BTreeMap::new(),
            births: BTreeMap::new(),
            survival_from_60: survival_from_60(mortality, 2015),
            survival_to_60: survival_to_60(mortality, 2015),
        }
    }

    /// Relative size of the cohort born in `birth_year` among adults (size at 60 over
    /// the reference cohort), if the series cover it.
    pub fn adult_size(&self, birth_year: u16) -> Option<f64> {
        self.adults.get(&birth_year).copied()
    }

    /// Births of `birth_year` relative to the first year's, if the series cover it.
    pub fn birth_size(&self, birth_year: u16) -> Option<f64> {
        self.births.get(&birth_year).copied()
    }

    /// The weight of single age `age` in `base_year` within its age band, where the
    /// series know its cohort: a child's relative births, an adult's relative size at
    /// 60, carried back to the age by the survival to 60 or beyond 60 by the survival
    /// from 60 (on the scale of
    /// [`UNKNOWN_OLD_DECLINE`]`^(age − 60)`, which ages of unknown cohorts keep).
    /// `None` where the cohort is not covered: the age keeps the generator's default
    /// weight (1 below 60).
    pub fn weight(&self, base_year: u16, age: u8) -> Option<f64> {
        let birth_year = base_year.checked_sub(u16::from(age))?;
        let a = usize::from(age);
        let weight = if u16::from(age) < ADULT_AGE {
            self.birth_size(birth_year)?
        } else if a >= OLD_AGE {
            self.adult_size(birth_year)? * self.survival_from_60.get(a - OLD_AGE).copied().unwrap_or(0.0)
        } else {
            self.adult_size(birth_year)? / self.survival_to_60.get(a).copied().unwrap_or(1.0)
        };
        Some(weight).filter(|w| w.is_finite() && *w > 0.0)
    }

    /// Cohorts born up to 1965 that the series cover, `(birth year, relative size)`.
    pub fn adult_cohorts(&self) -> impl Iterator<Item = (u16, f64)> + '_ {
        self.adults.iter().map(|(&c, &v)| (c, v))
    }
}

fn survival_from_60(mortality: &PublishedMortality, year: u16) -> Vec<f64> {
    let mut out = Vec::with_capacity(super::MAX_AGE + 1 - OLD_AGE);
    let mut alive = 1.0;
    for a in OLD_AGE..=super::MAX_AGE {
        out.push(alive);
        alive *= 1.0 - mortality.death_probability(a, year);
    }
    out
}

/// Survival from each age 0..60 to 60 at the life table of `year`, both sexes averaged.
fn survival_to_60(mortality: &PublishedMortality, year: u16) -> Vec<f64> {
    let mut out = vec![1.0; OLD_AGE];
    let mut alive = 1.0;
    for a in (0..OLD_AGE).rev() {
        alive *= 1.0 - mortality.death_probability(a, year);
        out[a] = alive;
    }
    out
}

/// The yearly national series a derivation reads: year → value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemographySeries {
    /// Resident population at the end of the year, persons.
    pub population: BTreeMap<u16, f64>,
    /// Share aged 60 and over, 0–1.
    pub share_60_plus: BTreeMap<u16, f64>,
    /// Share aged 65 and over, 0–1.
    pub share_65_plus: BTreeMap<u16, f64>,
    /// Share aged 16–59, 0–1.
    pub share_16_59: BTreeMap<u16, f64>,
    /// Births in the year, persons.
    pub births: BTreeMap<u16, f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_famine_and_boom_cohorts_show_in_the_published_series() {
        let c = CohortSizes::national();
        for (b, s) in c.adult_cohorts() {
            eprintln!("born {b}: {s:.3}");
        }
        let size = |y| c.adult_size(y).expect("covered");
        // Born 1951 to 1965 are covered; 1955 interpolated.
        assert!(c.adult_size(1950).is_none() && c.adult_size(1966).is_none());
        // The famine's smallest cohort against the boom's largest: births of 1961 were
        // well under half of 1963's.
        assert!(size(1961) < 0.6 * size(1963), "{} {}", size(1961), size(1963));
        assert!(size(1959) < size(1957) && size(1962) > size(1961));
        // Births: the two-child boom of 2016 and the fall after it.
        let b = |y| c.birth_size(y).expect("covered");
        assert_eq!(b(2015), 1.0);
        assert!(b(2016) > 1.05 && b(2022) < 0.65, "{} {}", b(2016), b(2022));
        // 2020 is interpolated between 2019 and 2021.
        assert!((b(2020) - 0.5 * (b(2019) + b(2021))).abs() < 1e-12);
    }

    #[test]
    fn weights_follow_the_cohort_by_age_and_base_year() {
        let c = CohortSizes::national();
        // Born 1961: 54 in 2015 (carried back by its survival to 60), 61 in 2022 (on by
        // its survival from 60).
        let at_54 = c.weight(2015, 54).expect("covered");
        let at_60 = c.adult_size(1961).expect("covered");
        assert!(at_54 > at_60 && at_54 < 1.05 * at_60, "{at_54} {at_60}");
        let at_61 = c.weight(2022, 61).expect("covered");
        assert!(at_61 < at_60 && at_61 > 0.97 * at_60, "{at_60} {at_61}");
        // Uncovered: born 1990, and born 2005 (a child in 2015).
        assert!(c.weight(2015, 25).is_none() && c.weight(2015, 10).is_none());
        assert_eq!(c.weight(2022, 6), c.birth_size(2016));
    }

    #[test]
    fn early_or_odd_series_give_no_panic_and_no_bad_weight() {
        let one = |y: u16, v: f64| BTreeMap::from([(y, v), (y + 1, v)]);
        let c = CohortSizes::derive(&DemographySeries {
            population: one(3, 1e6),
            share_60_plus: one(3, 0.2),
            share_65_plus: one(3, f64::NAN),
            share_16_59: one(3, 0.6),
            births: BTreeMap::from([(3, 0.0), (5, 10.0)]),
        });
        for age in 0..=110u8 {
            assert!(c.weight(40, age).is_none_or(|w| w.is_finite() && w > 0.0), "{age}");
        }
    }

    #[test]
    fn no_series_no_sizes() {
        let c = CohortSizes::derive(&DemographySeries::default());
        assert!(c.weight(2015, 55).is_none() && c.weight(2015, 0).is_none());
    }

    #[test]
    fn the_mortality_path_is_the_dynamics_path() {
        let m = PublishedMortality::new();
        assert!((m.scale_in(2015) - m.scale_2015).abs() < 1e-12);
        assert!((m.scale_in(2020) - 1.0).abs() < 1e-12);
        assert!(m.scale_in(2025) < 1.0);
    }
}
