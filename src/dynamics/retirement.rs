//! Statutory retirement ages, and their gradual rise decided in 2024.
//!
//! Until 2024 the statutory ages were 60 for men, 55 for women cadres and 50 for women
//! workers (State Council 国发〔1978〕104号). The Standing Committee of the National
//! People's Congress decided on 2024-09-13 (全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定)
//! to raise them from 2025-01-01 by birth cohort: one month for every four months of
//! birth for men (from those born in January 1965, up to 63 for those born from
//! September 1976) and for women whose age was 55 (from January 1970, up to 58 from
//! September 1981), one month for every two months of birth for women whose age was 50
//! (from January 1975, up to 55 from November 1984) — the decision's attached tables.
//!
//! The model counts age in whole years and does not record birth months: a person of
//! age `a` in year `t` was born in `t − a`, in a month taken as uniform over the year.
//! A cohort's retirement age in months then gives the share of it reaching its age in
//! each year of age, and [`RetirementHazards`] the probability that a covered employee
//! not yet retired retires at this age. The decision's flexible retirement (up to three
//! years earlier or later by choice) is not modelled.

use super::MAX_AGE;
use crate::model::{Employment, Sex};

/// Whole years after the original age by which everyone has reached their statutory
/// age (a delay of at most 60 months, from any birth month, ends within five).
const LATEST_YEARS: usize = 6;

/// The three groups with their own statutory retirement age.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetirementGroup {
    /// Men (男职工).
    Men = 0,
    /// Women cadres (女干部: public-sector staff), age 55 before the reform.
    WomenCadres = 1,
    /// Women workers (女工人: other employees), age 50 before the reform.
    WomenWorkers = 2,
}

impl RetirementGroup {
    /// The group of a covered employee of this sex and activity.
    pub fn of(sex: Sex, employment: Employment) -> Self {
        match (sex, employment) {
            (Sex::Male, _) => RetirementGroup::Men,
            (Sex::Female, Employment::PublicSector) => RetirementGroup::WomenCadres,
            (Sex::Female, _) => RetirementGroup::WomenWorkers,
        }
    }
}

/// One group's statutory retirement age and its rise by birth cohort.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetirementRule {
    /// The age before the reform, years.
    pub original_age: u8,
    /// The first birth year whose age rises (its January cohort by one month).
    pub first_cohort: u16,
    /// Months of birth per month of delay (4, or 2 for women workers).
    pub birth_months_per_month: u8,
    /// The largest delay, months (36, or 60 for women workers); a larger one counts as
    /// 60, as everyone reaches their age within five years of the original one.
    pub max_delay_months: u8,
}

impl RetirementRule {
    /// The delay in months of a person born in `birth_year`, month `birth_month`
    /// (1–12), with `delay_share` of the decided delay applied (0 = the 1978 ages, 1 =
    /// the 2024 decision), rounded down to whole months.
    pub fn delay_months(&self, birth_year: i32, birth_month: u8, delay_share: f64) -> u32 {
        let since = (birth_year - i32::from(self.first_cohort)) * 12 + i32::from(birth_month) - 1;
        if since < 0 || delay_share <= 0.0 {
            return 0;
        }
        let full = (since as u32 / u32::from(self.birth_months_per_month) + 1).min(u32::from(self.max_delay_months));
        (full as f64 * delay_share.min(1.0)).floor() as u32
    }

    /// The whole-year age at which a person born in `birth_year`, month `birth_month`,
    /// reaches the statutory age: the age they turn in the calendar year they retire.
    pub fn retirement_year_age(&self, birth_year: i32, birth_month: u8, delay_share: f64) -> u32 {
        let delay = self.delay_months(birth_year, birth_month, delay_share);
        u32::from(self.original_age) + (u32::from(birth_month) - 1 + delay) / 12
    }

    /// How many of the twelve birth months of a cohort retire at each whole-year age
    /// (index = age − `original_age`; a delay of at most 60 months reaches five years
    /// later).
    fn months_by_age(&self, birth_year: i32, delay_share: f64) -> [u8; LATEST_YEARS] {
        let mut counts = [0u8; LATEST_YEARS];
        for month in 1..=12 {
            let late = self.retirement_year_age(birth_year, month, delay_share) - u32::from(self.original_age);
            counts[(late as usize).min(LATEST_YEARS - 1)] += 1;
        }
        counts
    }
}

/// The statutory retirement rules of the three groups.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatutoryRetirement {
    /// Rules by [`RetirementGroup`] (men, women cadres, women workers).
    pub rules: [RetirementRule; 3],
}

impl StatutoryRetirement {
    /// The ages of 国发〔1978〕104号 (60, 55, 50) and their rise decided on 2024-09-13
    /// (module documentation).
    pub const CHINA_2024: StatutoryRetirement = StatutoryRetirement {
        rules: [
            RetirementRule { original_age: 60, first_cohort: 1965, birth_months_per_month: 4, max_delay_months: 36 },
            RetirementRule { original_age: 55, first_cohort: 1970, birth_months_per_month: 4, max_delay_months: 36 },
            RetirementRule { original_age: 50, first_cohort: 1975, birth_months_per_month: 2, max_delay_months: 60 },
        ],
    };

    /// The rule of a group.
    pub fn rule(&self, group: RetirementGroup) -> &RetirementRule {
        &self.rules[group as usize]
    }

    /// Whether a covered employee of this sex and activity, aged `age` in `year`, has
    /// reached the statutory age of their group (the decided delay in full, for a
    /// person born mid-year: the model does not record birth months).
    pub fn reached(&self, sex: Sex, employment: Employment, age: u8, year: u16) -> bool {
        let rule = self.rule(RetirementGroup::of(sex, employment));
        rule.retirement_year_age(i32::from(year) - i32::from(age), 7, 1.0) <= u32::from(age)
    }

    /// Each group's yearly retirement probabilities by age in `year`, with
    /// `delay_share` of the decided delay.
    pub fn hazards(&self, year: u16, delay_share: f64) -> RetirementHazards {
        let mut by_group = [[0.0; MAX_AGE + 1]; 3];
        let cohort_share = |rule: &RetirementRule, age: usize| -> (f64, f64) {
            // Shares of the cohort of this age retiring at it and at it or later.
            let offset = age as i64 - i64::from(rule.original_age);
            if offset < 0 {
                return (0.0, 1.0);
            }
            if offset as usize >= LATEST_YEARS {
                return (0.0, 0.0);
            }
            let counts = rule.months_by_age(i32::from(year) - age as i32, delay_share);
            let at = counts.get(offset as usize).copied().unwrap_or(0);
            let later: u8 = counts.iter().skip(offset as usize).sum();
            (f64::from(at) / 12.0, f64::from(later) / 12.0)
        };
        let men = self.rule(RetirementGroup::Men);
        for (g, hazards) in by_group.iter_mut().enumerate() {
            let rule = &self.rules[g];
            for (age, h) in hazards.iter_mut().enumerate() {
                let (at, later) = cohort_share(rule, age);
                *h = if later > 0.0 {
                    at / later
                } else {
                    // Past the group's own age without retiring: at men's age of the cohort.
                    let (at, later) = cohort_share(men, age);
                    if later > 0.0 { at / later } else { 1.0 }
                };
            }
        }
        RetirementHazards { by_group }
    }
}

/// The probability that a covered employee who has not retired retires this year, by
/// [`RetirementGroup`] and age (the age reached this year): the share of their birth
/// cohort reaching its statutory age at this age among those not reaching it earlier.
/// A covered employee past their group's age without retiring (a woman drawn or hired
/// in a covered job after it, a rural employee whose household became urban) retires at
/// men's age of the cohort, the latest, so that no covered employee works past it, as
/// the generator draws none.
#[derive(Debug, Clone, PartialEq)]
pub struct RetirementHazards {
    by_group: [[f64; MAX_AGE + 1]; 3],
}

impl RetirementHazards {
    /// The probability for a covered employee of this sex, activity and age.
    #[inline]
    pub fn get(&self, sex: Sex, employment: Employment, age: u8) -> f64 {
        self.by_group[RetirementGroup::of(sex, employment) as usize][usize::from(age).min(MAX_AGE)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAW: StatutoryRetirement = StatutoryRetirement::CHINA_2024;

    /// Retirement age in months of a person born in that month.
    fn age_months(group: RetirementGroup, year: i32, month: u8) -> u32 {
        let rule = LAW.rule(group);
        u32::from(rule.original_age) * 12 + rule.delay_months(year, month, 1.0)
    }

    #[test]
    fn delays_match_the_decisions_tables() {
        use RetirementGroup::*;
        // Annex 1: men born 1964-12 retire at 60, 1965-01 at 60y1m, 1965-05 at 60y2m,
        // 1976-09 and later at 63.
        assert_eq!(age_months(Men, 1964, 12), 720);
        assert_eq!(age_months(Men, 1965, 1), 721);
        assert_eq!(age_months(Men, 1965, 4), 721);
        assert_eq!(age_months(Men, 1965, 5), 722);
        assert_eq!(age_months(Men, 1976, 8), 755);
        assert_eq!(age_months(Men, 1976, 9), 756);
        assert_eq!(age_months(Men, 1990, 1), 756);
        // Annex 2: women of 55, born 1970-01 at 55y1m, from 1981-09 at 58.
        assert_eq!(age_months(WomenCadres, 1969, 12), 660);
        assert_eq!(age_months(WomenCadres, 1970, 1), 661);
        assert_eq!(age_months(WomenCadres, 1981, 9), 696);
        // Annex 3: women of 50, born 1975-01 at 50y1m, 1975-03 at 50y2m, from 1984-11 at 55.
        assert_eq!(age_months(WomenWorkers, 1974, 12), 600);
        assert_eq!(age_months(WomenWorkers, 1975, 1), 601);
        assert_eq!(age_months(WomenWorkers, 1975, 3), 602);
        assert_eq!(age_months(WomenWorkers, 1984, 10), 659);
        assert_eq!(age_months(WomenWorkers, 1984, 11), 660);
    }

    #[test]
    fn before_the_reform_and_without_it_everyone_retires_at_the_old_ages() {
        for (year, share) in [(2024, 1.0), (2030, 0.0)] {
            let h = LAW.hazards(year, share);
            for (sex, employment, age) in [
                (Sex::Male, Employment::LocalEmployee, 60),
                (Sex::Female, Employment::PublicSector, 55),
                (Sex::Female, Employment::LocalEmployee, 50),
            ] {
                assert_eq!(h.get(sex, employment, age - 1), 0.0);
                assert_eq!(h.get(sex, employment, age), 1.0);
            }
            // Women past their age without retiring work on to men's age.
            assert_eq!(h.get(Sex::Female, Employment::LocalEmployee, 55), 0.0);
            assert_eq!(h.get(Sex::Female, Employment::PublicSector, 59), 0.0);
            assert_eq!(h.get(Sex::Female, Employment::LocalEmployee, 60), 1.0);
            assert_eq!(h.get(Sex::Female, Employment::LocalEmployee, 75), 1.0);
        }
    }

    #[test]
    fn a_cohorts_hazards_retire_each_member_once_at_its_age() {
        // Men born 1965 (delays of 1-3 months): those born October-December reach 60y
        // and their delay in the next year, at 61.
        let at_60 = LAW.hazards(2025, 1.0).get(Sex::Male, Employment::LocalEmployee, 60);
        let at_61 = LAW.hazards(2026, 1.0).get(Sex::Male, Employment::LocalEmployee, 61);
        assert_eq!((at_60, at_61), (9.0 / 12.0, 1.0));
        // Every cohort: the hazards over the ages compose to everyone retiring once.
        for group in [RetirementGroup::Men, RetirementGroup::WomenCadres, RetirementGroup::WomenWorkers] {
            let rule = LAW.rule(group);
            for birth_year in 1960..1995 {
                let mut still_working = 1.0;
                let mut share_at = vec![];
                for age in rule.original_age..=70 {
                    let year = (birth_year + i32::from(age)) as u16;
                    let sex = if group == RetirementGroup::Men { Sex::Male } else { Sex::Female };
                    let employment = if group == RetirementGroup::WomenCadres {
                        Employment::PublicSector
                    } else {
                        Employment::LocalEmployee
                    };
                    let h = LAW.hazards(year, 1.0).get(sex, employment, age);
                    share_at.push(still_working * h);
                    still_working *= 1.0 - h;
                }
                assert!(still_working.abs() < 1e-12, "{group:?} {birth_year}");
                let counts = rule.months_by_age(birth_year, 1.0);
                for (k, s) in share_at.iter().take(6).enumerate() {
                    assert!((s - f64::from(counts[k]) / 12.0).abs() < 1e-12, "{group:?} {birth_year} +{k}");
                }
            }
        }
    }

    #[test]
    fn half_the_delay_halves_it() {
        let rule = LAW.rule(RetirementGroup::Men);
        assert_eq!(rule.delay_months(1980, 1, 0.5), 18);
        assert_eq!(rule.delay_months(1980, 1, 0.0), 0);
        assert_eq!(rule.retirement_year_age(1980, 12, 1.0), 63);
        assert_eq!(rule.retirement_year_age(1980, 12, 0.5), 62);
    }
}
