//! Re-weighting a projected population to published residents and age shares.
//!
//! A projection carries its households' weights from the base year: the number and
//! age structure of residents in later years are what births, deaths, urbanisation and
//! the base year's ages make of them. A census can revise them (China's seventh census,
//! of 2020, found 0.8% more residents than the yearly estimates since 2010 had carried
//! forward, more of them aged 60+ and more children), and a city may have a population
//! bulletin or projection of its own. A scenario's `[[population_reweighting]]` entries
//! ([`Reweighting`]) give, for a year, the urban or rural resident persons and the
//! shares of residents in some age bands; in that year, after the dynamics, every
//! household's weight is multiplied by
//!
//! ```text
//! exp(λ_r·persons + μ_r + Σ_k λ_k·members in band k)     (r the household's residence)
//! ```
//!
//! (raking with the CALMAR exponential distance, as the generator's weights:
//! [`crate::generate`]), with λ and μ fitted on the baseline's pilot so that each
//! residence has the persons given (or keeps its weighted persons) in as many
//! households as keep its mean household size, and each band's weighted share of
//! residents is the one given. (Holding the mean size makes a grossing up alone the
//! same factor for every household of the residence.) The factor depends only on the household's members,
//! so every block of a streamed population, in any order, gets it without a global
//! pass, and every variant takes the baseline's λ
//! ([`crate::engine::projection::BaselinePaths`]). Persons given are the whole
//! population's: the pilot stands for it by its share of the base year's households.
//!
//! The households' incomes are untouched: what moves is how many residents each stands
//! for, so totals, per-capita means, quintiles and caseloads follow the new weights,
//! and the weights stay revised in the later years, as a census's do.

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
    /// The band's share of resident persons, in (0, 1): of the residence's residents
    /// where `residence` is given, of all residents otherwise.
    pub share: f64,
    /// The residence whose residents the share is of (a census gives the old's share
    /// of urban and of rural residents); `None` for all residents.
    pub residence: Option<Residence>,
}

impl AgeShare {
    /// Whether a person of this age is in the band.
    #[inline]
    pub fn contains(&self, age: u8) -> bool {
        (self.min_age..=self.max_age).contains(&age)
    }

    /// Whether the band counts a person of this age living in `residence`.
    #[inline]
    pub fn counts(&self, age: u8, residence: Residence) -> bool {
        self.contains(age) && self.residence.is_none_or(|r| r == residence)
    }

    /// Of per-residence values `[urban, rural]` (persons), those the band's share is of:
    /// its residence's, or both together.
    #[inline]
    fn of_residents(&self, values: [f64; 2]) -> f64 {
        self.residence.map_or(values[0] + values[1], |r| values[r.index()])
    }

    /// The band as a reader names it: `60-110`, `rural 60-110`.
    pub fn label(&self) -> String {
        match self.residence {
            Some(r) => format!("{r} {}-{}", self.min_age, self.max_age),
            None => format!("{}-{}", self.min_age, self.max_age),
        }
    }
}

/// A year's re-weighting to published age shares and resident persons (a scenario's
/// `[[population_reweighting]]` entry).
#[derive(Debug, Clone, PartialEq)]
pub struct Reweighting {
    /// The projected year whose population is re-weighted, after its dynamics.
    pub year: u16,
    /// The bands and the shares they meet (bands may nest, as 60+ and 65+); may be
    /// empty when `persons` gives a total.
    pub age_shares: Vec<AgeShare>,
    /// The resident persons `[urban, rural]` the year is grossed up to, where given;
    /// a residence without one keeps its weighted persons.
    pub persons: [Option<f64>; 2],
    /// Where the shares come from (a census communiqué, a population projection).
    pub source: String,
}

/// The fitted coefficients of a [`Reweighting`]: `[urban persons, rural persons, urban
/// households, rural households, band…]`, the bands in the order of its `age_shares`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReweightFactors {
    /// One coefficient per column of the household's vector.
    pub lambda: Vec<f64>,
}

/// Columns of the household vector besides the bands: urban persons, rural persons,
/// urban households, rural households.
const RESIDENCE_COLUMNS: usize = 4;

/// Writes household `h`'s vector `[urban persons, rural persons, urban household, rural
/// household, members in each band]` into `out` (length `4 + bands`).
fn household_vector(pop: &Population, h: usize, bands: &[AgeShare], out: &mut [f64]) {
    out.fill(0.0);
    let size = pop.households.size[h] as f64;
    let column = match pop.households.residence[h] {
        Residence::Urban => 0,
        Residence::Rural => 1,
    };
    out[column] = size;
    out[2 + column] = 1.0;
    let residence = pop.households.residence[h];
    for i in pop.members(h) {
        let age = pop.persons.age[i];
        for (k, band) in bands.iter().enumerate() {
            if band.counts(age, residence) {
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
    let mut key: Vec<u16> = vec![0; x.len()];
    for pop in blocks {
        for h in 0..pop.household_count() {
            household_vector(pop, h, bands, &mut x);
            for (k, &v) in key.iter_mut().zip(&x) {
                *k = v as u16;
            }
            let weight = f64::from(pop.households.weight[h]);
            // A key is allocated once per cell, not once per household.
            match cells.get_mut(key.as_slice()) {
                Some(total) => *total += weight,
                None => {
                    cells.insert(key.clone(), weight);
                }
            }
        }
    }
    cells
}

/// Fits λ on `blocks` (the baseline's pilot, in block order) so that after
/// [`apply`] each band of `reweighting` holds its share of the weighted residents and
/// each residence has the persons it gives, or keeps its weighted persons.
/// `population_per_pilot` is the whole population's weighted persons over the
/// pilot's (its households over the pilot's in the base year; 1 when the pilot is the
/// population): the persons given are the whole population's.
///
/// # Errors
/// [`Error::InvalidValue`] naming `population_reweighting` when the population has no
/// weighted persons, or when the shares cannot be met by re-weighting its households
/// (a band without members, or shares no mix of its households gives).
pub fn fit<'a>(
    blocks: impl IntoIterator<Item = &'a Population>,
    reweighting: &Reweighting,
    population_per_pilot: f64,
) -> Result<ReweightFactors> {
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
    let invalid = |problem: String| Error::InvalidValue {
        origin: "scenario".to_string(),
        field: "population_reweighting".to_string(),
        value: reweighting.year.to_string(),
        problem,
    };
    if totals[0] + totals[1] <= 0.0 || population_per_pilot.is_nan() || population_per_pilot <= 0.0 {
        return Err(invalid("the population has no weighted persons to re-weight".to_string()));
    }
    // Persons, then households at the residence's mean size; residences without persons
    // keep λ = μ = 0 (and cannot be grossed up).
    let mut targets: Vec<Option<f64>> = vec![None; RESIDENCE_COLUMNS];
    for r in 0..2 {
        let total = totals[r];
        let given = reweighting.persons[r].map(|p| p / population_per_pilot);
        if total <= 0.0 && given.is_some() {
            let residence = ["urban", "rural"][r];
            return Err(invalid(format!(
                "{residence}_persons: the population has no {residence} residents to re-weight"
            )));
        }
        if total > 0.0 {
            let persons = given.unwrap_or(total);
            targets[r] = Some(persons);
            targets[2 + r] = Some(totals[2 + r] * persons / total);
        }
    }
    let residents = [targets[0].unwrap_or(0.0), targets[1].unwrap_or(0.0)];
    if let Some(band) = bands.iter().find(|b| b.residence.is_some_and(|r| targets[r.index()].is_none())) {
        return Err(invalid(format!("age band {}: the population has no residents there", band.label())));
    }
    let band_targets: Vec<Option<f64>> = bands.iter().map(|b| Some(b.share * b.of_residents(residents))).collect();
    targets.extend(band_targets);
    let lambda = rake(&xs, &base, &targets, 100);
    // The raking stops at its iteration limit where the shares cannot be met: check.
    let mut met = vec![0.0; dim];
    for (x, &w) in xs.iter().zip(&base) {
        let f = w * raking_factor(x, &lambda);
        for (m, &v) in met.iter_mut().zip(x) {
            *m += f * v;
        }
    }
    // Every residence's persons and households, given or held.
    let missed_persons = targets.iter().zip(&met).take(RESIDENCE_COLUMNS).any(|(t, &m)| match t {
        Some(t) => !m.is_finite() || (m / t - 1.0).abs() > 1e-6,
        None => false,
    });
    let persons_given = reweighting.persons.iter().any(Option::is_some);
    let missed_shares = bands.iter().enumerate().any(|(k, band)| {
        let got = met[RESIDENCE_COLUMNS + k] / band.of_residents(residents);
        !got.is_finite() || (got - band.share).abs() > 1e-6
    });
    if missed_persons && persons_given && !missed_shares {
        return Err(invalid(format!(
            "the resident persons asked (urban {}, rural {}) cannot be reached by re-weighting the households",
            reweighting.persons[0].map_or("kept".to_string(), |p| format!("{p:.0}")),
            reweighting.persons[1].map_or("kept".to_string(), |p| format!("{p:.0}"))
        )));
    }
    if missed_shares || missed_persons {
        let list = |share: &dyn Fn(usize, &AgeShare) -> f64| {
            bands
                .iter()
                .enumerate()
                .map(|(k, b)| format!("{}: {:.4}", b.label(), share(k, b)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(invalid(format!(
            "the shares of residents [{}] cannot all be met by re-weighting the households (before: [{}]): check \
             that they are consistent with each other (a band inside another cannot hold more) and that each \
             band has members",
            list(&|_, b| b.share),
            list(&|k, b| totals[RESIDENCE_COLUMNS + k] / b.of_residents([totals[0], totals[1]]))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HouseholdRecord, PersonRecord};

    /// The weighted share of residents of `pop`'s blocks in a band, and the weighted
    /// persons by residence `[urban, rural]`.
    fn band_share<'a>(blocks: impl IntoIterator<Item = &'a Population>, band: &AgeShare) -> (f64, [f64; 2]) {
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
            (Residence::Urban, vec![28], 1.0),
            (Residence::Urban, vec![45, 44, 15, 12], 1.0),
            (Residence::Urban, vec![80, 78], 1.0),
            (Residence::Rural, vec![67], 1.0),
            (Residence::Rural, vec![38, 36, 8, 3, 62], 1.0),
            (Residence::Rural, vec![22, 24], 1.0),
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
                AgeShare { min_age: 0, max_age: 15, share: 0.20, residence: None },
                AgeShare { min_age: 60, max_age: 110, share: 0.38, residence: None },
                AgeShare { min_age: 65, max_age: 110, share: 0.27, residence: None },
            ],
            source: "test".to_string(),
            persons: [None, None],
        }
    }

    #[test]
    fn the_shares_are_met_and_each_residence_keeps_its_persons() {
        let mut pop = population();
        let rw = census();
        let households = |pop: &Population| {
            let mut n = [0.0; 2];
            for h in 0..pop.household_count() {
                n[pop.households.residence[h].index()] += f64::from(pop.households.weight[h]);
            }
            n
        };
        let (_, before) = band_share([&pop], &rw.age_shares[0]);
        let households_before = households(&pop);
        let f = fit([&pop], &rw, 1.0).expect("fits");
        apply(&mut pop, &rw, &f);
        for band in &rw.age_shares {
            let (share, persons) = band_share([&pop], band);
            assert!((share - band.share).abs() < 1e-6, "{band:?}: {share}");
            for r in 0..2 {
                assert!((persons[r] - before[r]).abs() < 1e-4 * before[r], "{persons:?} against {before:?}");
            }
        }
        // The weights moved, and each residence kept its households (so its mean size).
        assert!(f.lambda.iter().any(|l| l.abs() > 1e-3), "{:?}", f.lambda);
        let after = households(&pop);
        for r in 0..2 {
            assert!((after[r] / households_before[r] - 1.0).abs() < 1e-5, "{after:?} against {households_before:?}");
        }
    }

    #[test]
    fn a_band_of_one_residence_is_met_among_its_residents() {
        let mut pop = population();
        let rw = Reweighting {
            year: 2020,
            age_shares: vec![
                AgeShare { min_age: 60, max_age: 110, share: 0.25, residence: Some(Residence::Urban) },
                AgeShare { min_age: 60, max_age: 110, share: 0.45, residence: Some(Residence::Rural) },
            ],
            source: "test".to_string(),
            persons: [None, None],
        };
        let residents = |pop: &Population, r: Residence| {
            let (mut old, mut all) = (0.0, 0.0);
            for h in (0..pop.household_count()).filter(|&h| pop.households.residence[h] == r) {
                let w = f64::from(pop.households.weight[h]);
                all += w * pop.households.size[h] as f64;
                old += w * pop.members(h).filter(|&i| pop.persons.age[i] >= 60).count() as f64;
            }
            (old / all, all)
        };
        let before = Residence::BOTH.map(|r| residents(&pop, r));
        let f = fit([&pop], &rw, 1.0).expect("fits");
        apply(&mut pop, &rw, &f);
        for (r, wanted) in [(Residence::Urban, 0.25), (Residence::Rural, 0.45)] {
            let (share, persons) = residents(&pop, r);
            assert!((share - wanted).abs() < 1e-6, "{r}: {share} (before {})", before[r.index()].0);
            assert!((persons / before[r.index()].1 - 1.0).abs() < 1e-5, "{r} keeps its persons");
        }
        // A residence without residents cannot hold a share.
        let mut urban_only = Population::default();
        let (h, p) = household(Residence::Urban, &[70, 30], 1.0);
        urban_only.push_household(&h, &p);
        let e = fit([&urban_only], &rw, 1.0).expect_err("no rural residents").to_string();
        assert!(e.contains("rural 60-110"), "{e}");
    }

    #[test]
    fn shares_already_met_leave_the_weights_alone() {
        let pop = population();
        let mut rw = census();
        for band in &mut rw.age_shares {
            band.share = band_share([&pop], band).0;
        }
        let f = fit([&pop], &rw, 1.0).expect("fits");
        assert!(f.lambda.iter().all(|l| l.abs() < 1e-9), "{:?}", f.lambda);
    }

    #[test]
    fn shares_no_mix_of_households_gives_are_an_error_naming_the_field() {
        let pop = population();
        let mut rw = census();
        // More aged 65+ than aged 60+.
        rw.age_shares[2].share = 0.5;
        let e = fit([&pop], &rw, 1.0).expect_err("cannot be met").to_string();
        assert!(e.contains("population_reweighting") && e.contains("65-110: 0.5000"), "{e}");
        // A band nobody is in.
        let rw = Reweighting {
            year: 2020,
            age_shares: vec![AgeShare { min_age: 100, max_age: 110, share: 0.1, residence: None }],
            source: String::new(),
            persons: [None, None],
        };
        assert!(fit([&pop], &rw, 1.0).is_err());
    }

    #[test]
    fn persons_given_are_met_for_the_whole_population_through_the_pilot() {
        let mut pop = population();
        let mut rw = census();
        // The pilot stands for a population 1,000 times its persons: urban 20,000 (18.5
        // in the pilot before), rural 17,000 (18 in the pilot) → 20 and 17.
        rw.persons = [Some(20_000.0), Some(17_000.0)];
        let f = fit([&pop], &rw, 1_000.0).expect("fits");
        apply(&mut pop, &rw, &f);
        let (share, persons) = band_share([&pop], &rw.age_shares[1]);
        assert!((persons[0] - 20.0).abs() < 1e-4 && (persons[1] - 17.0).abs() < 1e-4, "{persons:?}");
        assert!((share - 0.38).abs() < 1e-6, "{share}");
        // Only rural given: urban keeps its persons.
        let mut pop = population();
        rw.persons = [None, Some(20_000.0)];
        let f = fit([&pop], &rw, 1_000.0).expect("fits");
        apply(&mut pop, &rw, &f);
        let (_, persons) = band_share([&pop], &rw.age_shares[1]);
        assert!((persons[0] - 18.5).abs() < 1e-4 && (persons[1] - 20.0).abs() < 1e-4, "{persons:?}");
        // Persons alone, no bands: every age scales with its residence.
        let mut pop = population();
        let rw = Reweighting { year: 2020, age_shares: Vec::new(), source: String::new(), persons: [Some(37.0), None] };
        let f = fit([&pop], &rw, 1.0).expect("fits");
        let before = pop.households.weight.clone();
        apply(&mut pop, &rw, &f);
        // The same factor, 37 / 18.5, for every urban household: the mean size is kept.
        for (h, (&after, &before)) in pop.households.weight.iter().zip(&before).enumerate() {
            let factor = f64::from(after) / f64::from(before);
            let expected = if pop.households.residence[h] == Residence::Urban { 2.0 } else { 1.0 };
            assert!((factor - expected).abs() < 1e-6, "household {h}: {factor}");
        }
        let (_, persons) = band_share([&pop], &AgeShare { min_age: 0, max_age: 110, share: 0.5, residence: None });
        assert!((persons[0] - 37.0).abs() < 1e-4 && (persons[1] - 18.0).abs() < 1e-4, "{persons:?}");
    }

    #[test]
    fn blocks_give_the_factors_of_the_whole() {
        let pop = population();
        let rw = census();
        let whole = fit([&pop], &rw, 1.0).expect("fits");
        let mut a = pop.clone();
        let b = a.split_off(3);
        let parts = fit([&a, &b], &rw, 1.0).expect("fits");
        assert_eq!(whole, parts);
    }
}
