//! A life table by single year of age and sex, scaled to a published life expectancy.
//!
//! The 2000-census age-specific death rates are not in `data/published`, so the *shape*
//! of mortality by age is an assumption: a Heligman–Pollard-like hazard with a
//! declining childhood term, a constant background term and a Gompertz senescent
//! term, men above women (parameters in [`LifeTable::assumed_shape`]). Its *level* is
//! published: every hazard is multiplied by one proportional factor found by
//! bisection so that the period life expectancy at birth (both sexes, weighted by the
//! sex ratio at birth) equals 77.93 years in 2020
//! (`data/published/lever_parameters.csv`, row `life_expectancy,China,2020`). The
//! same is done for 76.34 in 2015 (row `life_expectancy,China,2015`); the ratio of
//! the two factors gives the yearly pace of mortality decline.

use crate::model::Sex;

/// Highest age kept; everyone alive at this age dies within the year.
pub const MAX_AGE: usize = 110;

/// Share of boys among births, as the generator draws sex (0.512, a sex ratio at
/// birth of about 105).
pub const MALE_BIRTH_SHARE: f64 = 0.512;

/// Hazards of death by sex (male, female) and single year of age 0..=110, per year.
#[derive(Debug, Clone, PartialEq)]
pub struct LifeTable {
    /// Hazard rates `[sex][age]` (male 0, female 1), already at the calibrated level.
    pub hazard: [[f64; MAX_AGE + 1]; 2],
}

impl LifeTable {
    /// The assumed shape before scaling (see the module docs): for age `x`,
    /// `m(x) = 0.025·e^(−1.2x) + c + a·e^(b·x)` with `c` = 0.0005 (men), 0.0003
    /// (women), `a` = 4.5e-5 (men), 2.5e-5 (women), `b` = 0.092 (men), 0.095 (women).
    pub fn assumed_shape() -> LifeTable {
        let mut hazard = [[0.0; MAX_AGE + 1]; 2];
        for (s, (c, a, b)) in [(0.0005, 4.5e-5, 0.092), (0.0003, 2.5e-5, 0.095)].into_iter().enumerate() {
            for (x, m) in hazard[s].iter_mut().enumerate() {
                let x = x as f64;
                *m = 0.025 * (-1.2 * x).exp() + c + a * (b * x).exp();
            }
        }
        LifeTable { hazard }
    }

    /// This table with every hazard multiplied by `scale`.
    pub fn scaled(&self, scale: f64) -> LifeTable {
        let mut t = self.clone();
        t.hazard.iter_mut().flatten().for_each(|m| *m *= scale);
        t
    }

    /// Probability of dying within the year for a person of `sex` aged `age` at the
    /// start of the year, with the hazard multiplied by `scale`.
    #[inline]
    pub fn death_probability(&self, sex: Sex, age: u8, scale: f64) -> f64 {
        let a = (age as usize).min(MAX_AGE);
        if a == MAX_AGE {
            return if scale > 0.0 { 1.0 } else { 0.0 };
        }
        1.0 - (-scale * self.hazard[sex as usize][a]).exp()
    }

    /// Period life expectancy at birth of one sex with hazards times `scale`
    /// (person-years lived, deaths at mid-year).
    pub fn life_expectancy_of(&self, sex: Sex, scale: f64) -> f64 {
        let mut alive = 1.0;
        let mut years = 0.0;
        for age in 0..=MAX_AGE {
            let q = self.death_probability(sex, age as u8, scale);
            years += alive * (1.0 - 0.5 * q);
            alive *= 1.0 - q;
        }
        years
    }

    /// Life expectancy at birth of both sexes, weighted by the sex ratio at birth.
    pub fn life_expectancy(&self, scale: f64) -> f64 {
        MALE_BIRTH_SHARE * self.life_expectancy_of(Sex::Male, scale)
            + (1.0 - MALE_BIRTH_SHARE) * self.life_expectancy_of(Sex::Female, scale)
    }

    /// The proportional scale of the hazards that gives life expectancy `target`
    /// (bisection on the log scale; life expectancy falls as the scale rises).
    pub fn scale_for(&self, target: f64) -> f64 {
        let (mut lo, mut hi) = (1e-3f64, 1e2f64);
        for _ in 0..200 {
            let mid = (lo * hi).sqrt();
            if self.life_expectancy(mid) > target {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        (lo * hi).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_table_reaches_the_published_life_expectancy() {
        let shape = LifeTable::assumed_shape();
        let s = shape.scale_for(77.93);
        assert!((shape.life_expectancy(s) - 77.93).abs() < 1e-6);
        let t = shape.scaled(s);
        assert!((t.life_expectancy(1.0) - 77.93).abs() < 1e-6);
        // Women outlive men.
        assert!(t.life_expectancy_of(Sex::Female, 1.0) > t.life_expectancy_of(Sex::Male, 1.0) + 3.0);
        // Mortality rises with age after childhood.
        assert!(t.death_probability(Sex::Male, 80, 1.0) > t.death_probability(Sex::Male, 40, 1.0) * 10.0);
        // 2015 needs higher mortality than 2020.
        assert!(shape.scale_for(76.34) > s);
    }
}
