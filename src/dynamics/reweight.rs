//! Re-weighting a projected population to published age shares.
//!
//! A projection carries its households' weights from the base year: the age structure
//! of later years is what births, deaths and the base year's ages make of it. A census
//! can revise that structure (China's seventh census, of 2020, found more persons aged
//! 60+ and more children than the yearly estimates since 2010 had carried forward), and
//! a city may have a population projection of its own. A scenario's
//! `[[population_reweighting]]` entries ([`Reweighting`]) give, for a year, the shares of
//! residents in some age bands; in that year, after the dynamics, every household's
//! weight is multiplied by
//!
//! ```text
//! exp(λ_urban·persons_urban + λ_rural·persons_rural + Σ_k λ_k·members in band k)
//! ```
//!
//! (raking with the CALMAR exponential distance, as the generator's weights:
//! [`crate::generate`]), with λ fitted on the baseline's pilot so that each band's
//! weighted share of residents is the one given while each residence's weighted persons
//! stay what they were. The factor depends only on the household's members, so every
//! block of a streamed population, in any order, gets it without a global pass, and
//! every variant takes the baseline's λ ([`crate::engine::projection::BaselinePaths`]).
//!
//! The households' incomes are untouched: what moves is how many residents each stands
//! for, so per-capita means, quintiles and caseloads follow the new age structure, and
//! the weights stay revised in the later years, as a census's do.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::generate::weights::{rake, raking_factor};
use crate::model::{Population, Residence};

/// Most bands one re-weighting may give (the raking fits one λ per band, besides the
/// two residences).
pub const MAX_REWEIGHTING_BANDS: usize = 8;

/// The share of residents in an age band that a re-weighting meets.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeShare {
    /// First age in the band.
    pub min_age: u8,
    /// Last age in the band (inclusive; 110 for an open band).
    pub max_age: u8,
    /// The band's share of resident persons, in (0, 1).
    pub share: f64,
}

impl AgeShare {
    /// Whether a person of this age is in the band.
    #[inline]
    pub fn contains(&self, age: u8) -> bool {
        (self.min_age..=self.max_age).contains(&age)
    }
}

/// A year's re-weighting to published age shares (a scenario's
/// `[[population_reweighting]]` entry).
#[derive(Debug, Clone, PartialEq)]
pub struct Reweighting {
    /// The projected year whose population is re-weighted, after its dynamics.
    pub year: u16,
    /// The bands and the shares they meet (bands may nest, as 60+ and 65+).
    pub age_shares: Vec<AgeShare>,
    /// Where the shares come from (a census communiqué, a population projection).
    pub source: String,
}

/// The fitted λ of a [`Reweighting`]: `[urban persons, rural persons, band…]`, in the
/// order of its `age_shares`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReweightFactors {
    /// One coefficient per column of the household's vector.
    pub lambda: Vec<f64>,
}

/// Columns of the household vector besides the bands: urban persons, rural persons.
const RESIDENCE_COLUMNS: usize = 2;

/// Writes household `h`'s vector `[urban persons, rural persons, members in each band]`
/// into `out` (length `2 + bands`).
fn household_vector(pop: &Population, h: usize, bands: &[AgeShare], out: &mut [f64]) {
    out.fill(0.0);
    let size = pop.households.size[h] as f64;
    let column = match pop.households.residence[h] {
        Residence::Urban => 0,
        Residence::Rural => 1,
    };
    out[column] = size;
    for i in pop.members(h) {
        let age = pop.persons.age[i];
        for (k, band) in bands.iter().enumerate() {
            if band.contains(age) {
                out[RESIDENCE_COLUMNS + k] += 1.0;
            }
        }
    }
}

/// The weighted totals of each distinct household vector over `blocks` in order: the
/// raking needs only these (a household's factor is a function of its vector), and
/// there are a few hundred of them where there are millions of households.
fn cells<'a>(blocks: impl IntoIterator<Item = &'a Population>, bands: &[AgeShare]) -> BTreeMap<Vec<u16>, f64> {
    let mut cells: BTreeMap<Vec<u16>, f64> = BTreeMap::new();
    let mut x = vec![0.0; RESIDENCE_COLUMNS + bands.len()];
    for pop in blocks {
        for h in 0..pop.household_count() {
            household_vector(pop, h, bands, &mut x);
            let key: Vec<u16> = x.iter().map(|&v| v as u16).collect();
            *cells.entry(key).or_insert(0.0) += f64::from(pop.households.weight[h]);
        }
    }
    cells
}

/// Fits λ on `blocks` (the baseline's pilot, in block order) so that after
/// [`apply`] each band of `reweighting` holds its share of the weighted residents and
/// each residence keeps its weighted persons.
///
/// # Errors
/// [`Error::InvalidValue`] naming `population_reweighting` when the population has no
/// weighted persons, or when the shares cannot be met by re-weighting its households
/// (a band without members, or shares no mix of its households gives).
pub fn fit<'a>(blocks: impl IntoIterator<Item = &'a Population>, reweighting: &Reweighting) -> Result<ReweightFactors> {
    let bands = &reweighting.age_shares;
    let cells = cells(blocks, bands);
    let xs: Vec<Vec<f64>> = cells.keys().map(|k| k.iter().map(|&v| f64::from(v)).collect()).collect();
    let base: Vec<f64> = cells.values().copied().collect();
    let dim = RESIDENCE_COLUMNS + bands.len();
    let mut totals = vec![0.0; dim];
    for (x, &w) in xs.iter().zip(&base) {
        for (t, &v) in totals.iter_mut().zip(x) {
            *t += w * v;
        }
    }
    let persons = totals[0] + totals[1];
    let invalid = |problem: String| Error::InvalidValue {
        origin: "scenario".to_string(),
        field: "population_reweighting".to_string(),
        value: reweighting.year.to_string(),
        problem,
    };
    if persons.is_nan() || persons <= 0.0 {
        return Err(invalid("the population has no weighted persons to re-weight".to_string()));
    }
    let mut targets: Vec<Option<f64>> = vec![Some(totals[0]), Some(totals[1])];
    targets.extend(bands.iter().map(|b| Some(b.share * persons)));
    // Residences without persons keep λ = 0.
    for (t, total) in targets.iter_mut().zip(&totals).take(RESIDENCE_COLUMNS) {
        if *total <= 0.0 {
            *t = None;
        }
    }
    let lambda = rake(&xs, &base, &targets, 100);
    // The raking stops at its iteration limit where the shares cannot be met: check.
    let mut met = vec![0.0; dim];
    for (x, &w) in xs.iter().zip(&base) {
        let f = w * raking_factor(x, &lambda);
        for (m, &v) in met.iter_mut().zip(x) {
            *m += f * v;
        }
    }
    let missed = bands.iter().enumerate().any(|(k, band)| {
        let got = met[RESIDENCE_COLUMNS + k] / persons;
        !got.is_finite() || (got - band.share).abs() > 1e-6
    });
    if missed {
        let list = |share: &dyn Fn(usize, &AgeShare) -> f64| {
            bands
                .iter()
                .enumerate()
                .map(|(k, b)| format!("{}-{}: {:.4}", b.min_age, b.max_age, share(k, b)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(invalid(format!(
            "the shares of residents [{}] cannot all be met by re-weighting the households (before: [{}]): check \
             that they are consistent with each other (a band inside another cannot hold more) and that each \
             band has members",
            list(&|_, b| b.share),
            list(&|k, _| totals[RESIDENCE_COLUMNS + k] / persons)
        )));
    }
    Ok(ReweightFactors { lambda })
}

/// Multiplies every household's weight in `pop` by its factor under `factors`.
pub fn apply(pop: &mut Population, reweighting: &Reweighting, factors: &ReweightFactors) {
    let bands = &reweighting.age_shares;
    let mut x = vec![0.0; RESIDENCE_COLUMNS + bands.len()];
    for h in 0..pop.household_count() {
        household_vector(pop, h, bands, &mut x);
        let f = raking_factor(&x, &factors.lambda);
        let w = &mut pop.households.weight[h];
        *w = (f64::from(*w) * f) as f32;
    }
}

/// The weighted share of residents of `pop`'s blocks in a band, and the weighted
/// persons by residence `[urban, rural]`.
pub fn band_share<'a>(blocks: impl IntoIterator<Item = &'a Population>, band: &AgeShare) -> (f64, [f64; 2]) {
    let (mut inside, mut persons) = (0.0, [0.0; 2]);
    for pop in blocks {
        for h in 0..pop.household_count() {
            let w = f64::from(pop.households.weight[h]);
            persons[pop.households.residence[h].index()] += w * pop.households.size[h] as f64;
            inside += w * pop.members(h).filter(|&i| band.contains(pop.persons.age[i])).count() as f64;
        }
    }
    let all = persons[0] + persons[1];
    (if all > 0.0 { inside / all } else { 0.0 }, persons)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HouseholdRecord, PersonRecord};

    fn household(residence: Residence, ages: &[u8], weight: f32) -> (HouseholdRecord, Vec<PersonRecord>) {
        let record = HouseholdRecord { residence, weight, ..Default::default() };
        let persons = ages.iter().map(|&age| PersonRecord { age, ..Default::default() }).collect();
        (record, persons)
    }

    fn population() -> Population {
        let mut pop = Population::default();
        for (r, ages, w) in [
            (Residence::Urban, vec![35u8, 33, 5], 2.0f32),
            (Residence::Urban, vec![70], 1.0),
            (Residence::Urban, vec![40, 66, 62], 1.5),
            (Residence::Rural, vec![50, 48, 12, 9], 1.0),
            (Residence::Rural, vec![75, 72], 2.0),
            (Residence::Rural, vec![30, 61], 1.0),
        ] {
            let (h, p) = household(r, &ages, w);
            pop.push_household(&h, &p);
        }
        pop
    }

    fn census() -> Reweighting {
        Reweighting {
            year: 2020,
            age_shares: vec![
                AgeShare { min_age: 0, max_age: 15, share: 0.20 },
                AgeShare { min_age: 60, max_age: 110, share: 0.38 },
                AgeShare { min_age: 65, max_age: 110, share: 0.27 },
            ],
            source: "test".to_string(),
        }
    }

    #[test]
    fn the_shares_are_met_and_each_residence_keeps_its_persons() {
        let mut pop = population();
        let rw = census();
        let (_, before) = band_share([&pop], &rw.age_shares[0]);
        let f = fit([&pop], &rw).expect("fits");
        apply(&mut pop, &rw, &f);
        for band in &rw.age_shares {
            let (share, persons) = band_share([&pop], band);
            assert!((share - band.share).abs() < 1e-6, "{band:?}: {share}");
            for r in 0..2 {
                assert!((persons[r] - before[r]).abs() < 1e-4 * before[r], "{persons:?} against {before:?}");
            }
        }
    }

    #[test]
    fn shares_already_met_leave_the_weights_alone() {
        let pop = population();
        let mut rw = census();
        for band in &mut rw.age_shares {
            band.share = band_share([&pop], band).0;
        }
        let f = fit([&pop], &rw).expect("fits");
        assert!(f.lambda.iter().all(|l| l.abs() < 1e-9), "{:?}", f.lambda);
    }

    #[test]
    fn shares_no_mix_of_households_gives_are_an_error_naming_the_field() {
        let pop = population();
        let mut rw = census();
        // More aged 65+ than aged 60+.
        rw.age_shares[2].share = 0.5;
        let e = fit([&pop], &rw).expect_err("cannot be met").to_string();
        assert!(e.contains("population_reweighting") && e.contains("65-110: 0.5000"), "{e}");
        // A band nobody is in.
        let rw = Reweighting {
            year: 2020,
            age_shares: vec![AgeShare { min_age: 100, max_age: 110, share: 0.1 }],
            source: String::new(),
        };
        assert!(fit([&pop], &rw).is_err());
    }

    #[test]
    fn blocks_give_the_factors_of_the_whole() {
        let pop = population();
        let rw = census();
        let whole = fit([&pop], &rw).expect("fits");
        let mut a = pop.clone();
        let b = a.split_off(3);
        let parts = fit([&a, &b], &rw).expect("fits");
        assert_eq!(whole, parts);
    }
}
