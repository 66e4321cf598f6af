//! The base year's single years of age follow the nation's birth cohorts, so the
//! projected share aged 60 and over follows the published one: it barely rose in
//! 2019, when the cohort born in the famine year 1959 turned 60.

use incomesim::Population;
use incomesim::dynamics::Dynamics;
use incomesim::generate::Generator;
use incomesim::policy::YearContext;
use incomesim::region::{CohortPattern, Profile};

const SEED: u64 = 23;
const HOUSEHOLDS: usize = 40_000;

/// The share aged 60 and over at the end of 2016–2019 (NBS communiqués,
/// `data/published/demography.csv`, `age_60_plus_pct`).
const PUBLISHED_60_PLUS: [(u16, f64); 4] = [(2016, 0.167), (2017, 0.173), (2018, 0.179), (2019, 0.181)];

fn share_60_plus(pop: &Population) -> f64 {
    let old: f64 = (0..pop.household_count())
        .map(|h| pop.households.weight[h] as f64 * pop.members(h).filter(|&i| pop.persons.age[i] >= 60).count() as f64)
        .sum();
    old / pop.weighted_persons()
}

/// The 60+ share at the end of each year 2016–2019, projecting national-2015 with its
/// ages spread by `pattern`.
fn projected_60_plus(pattern: Option<CohortPattern>) -> Vec<f64> {
    let mut profile = Profile::builtin("national-2015").expect("profile");
    match (pattern, profile.population.cohort_sizes.as_mut()) {
        (Some(p), Some(c)) => c.value = p,
        (None, _) => profile.population.cohort_sizes = None,
        (Some(_), None) => panic!("national-2015 sets its cohort sizes"),
    }
    let generator = Generator::calibrate(&profile, SEED).expect("calibrates");
    let mut pop = generator.generate_chunk(0, HOUSEHOLDS, HOUSEHOLDS as u64).0;
    let mut d = Dynamics::from_profile(&profile);
    d.calibrate_fertility(&pop);
    PUBLISHED_60_PLUS
        .iter()
        .map(|&(year, _)| {
            let mut ctx = YearContext::base(year, SEED);
            ctx.base_year = 2015;
            d.advance(&ctx, &mut pop);
            share_60_plus(&pop)
        })
        .collect()
}

#[test]
fn the_share_aged_60_and_over_follows_the_published_one() {
    let cohorts = projected_60_plus(Some(CohortPattern::National));
    let flat = projected_60_plus(None);
    for ((&(year, published), c), f) in PUBLISHED_60_PLUS.iter().zip(&cohorts).zip(&flat) {
        eprintln!(
            "{year}: 60+ {:.2}% by cohorts, {:.2}% flat, {:.1}% published",
            100.0 * c,
            100.0 * f,
            100.0 * published
        );
        // About 5,000 persons aged 60+ among 110,000: the share's sampling error is
        // about 0.15 points.
        assert!((c - published).abs() < 0.005, "{year}: {c} against {published}");
    }
    // Spread evenly, the small cohorts of 1956–1959 turn 60 as if they were as large
    // as any: by 2019 the share is more than a point too high.
    assert!(flat[3] - PUBLISHED_60_PLUS[3].1 > 0.009, "{}", flat[3]);
    // The famine cohort: the share rose 0.2 points in 2019.
    assert!(cohorts[3] - cohorts[2] < 0.004 && flat[3] - flat[2] > 0.006, "{cohorts:?} {flat:?}");
}

#[test]
fn flat_and_absent_spread_the_same_ages() {
    let mut profile = Profile::builtin("national-2015").expect("profile");
    let national = incomesim::generate::age_density(&profile);
    profile.population.cohort_sizes.as_mut().expect("set").value = CohortPattern::Flat;
    let flat = incomesim::generate::age_density(&profile);
    profile.population.cohort_sizes = None;
    assert_eq!(flat, incomesim::generate::age_density(&profile));
    assert_ne!(flat, national);
    // Both meet the bands: the 16–59 share of 2015 is 66.3%.
    for d in [&flat, &national] {
        let band: f64 = d[16..60].iter().sum();
        assert!((band - 0.663).abs() < 1e-9, "{band}");
    }
    // Born 1961 (54 in 2015) was a famine cohort, born 1963 (52) the boom's largest.
    assert!(national[54] < 0.6 * national[52], "{} {}", national[54], national[52]);
    assert!((flat[54] - flat[52]).abs() < 1e-12);
}
