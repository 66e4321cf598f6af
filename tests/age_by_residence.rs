//! Rural residents are older than urban ones (China's seventh census: 23.81% of rural
//! and 15.82% of urban residents aged 60+). A profile band with `rural_to_urban` is
//! calibrated in each residence; without it both residences draw one age structure.

use incomesim::Population;
use incomesim::generate::{Generator, age_density, age_density_in};
use incomesim::model::Residence;
use incomesim::region::Profile;

const SEED: u64 = 5;
const HOUSEHOLDS: usize = 60_000;

/// The weighted share of each residence's residents aged `min_age` and over.
fn old_shares(pop: &Population, min_age: u8) -> [f64; 2] {
    let (mut old, mut all) = ([0.0; 2], [0.0; 2]);
    for h in 0..pop.household_count() {
        let a = pop.households.residence[h].index();
        let w = f64::from(pop.households.weight[h]);
        all[a] += w * pop.households.size[h] as f64;
        old[a] += w * pop.members(h).filter(|&i| pop.persons.age[i] >= min_age).count() as f64;
    }
    [old[0] / all[0], old[1] / all[1]]
}

fn generated(profile: &Profile) -> Population {
    let generator = Generator::calibrate(profile, SEED).expect("calibrates");
    generator.generate_chunk(0, HOUSEHOLDS, HOUSEHOLDS as u64).0
}

#[test]
fn each_residence_gets_its_share_of_the_old_and_together_they_make_the_whole() {
    let profile = Profile::builtin("national-2022").expect("profile");
    let urban_share = profile.population.urban_share.value;
    let pop = generated(&profile);
    for min_age in [60u8, 65] {
        let band = profile
            .population
            .age_bands
            .iter()
            .find(|b| b.min_age == min_age && b.max_age == 110)
            .expect("the profile has the band");
        let ratio = band.rural_to_urban.as_ref().expect("the band splits by residence").value;
        let wanted = band.residence_shares(urban_share).expect("split");
        // The split keeps the all-resident share and the ratio.
        assert!((urban_share * wanted[0] + (1.0 - urban_share) * wanted[1] - band.share.value).abs() < 1e-12);
        assert!((wanted[1] / wanted[0] - ratio).abs() < 1e-12);
        let got = old_shares(&pop, min_age);
        eprintln!(
            "{min_age}+: urban {:.2}% (wanted {:.2}%), rural {:.2}% (wanted {:.2}%)",
            100.0 * got[0],
            100.0 * wanted[0],
            100.0 * got[1],
            100.0 * wanted[1]
        );
        // Raked on the calibration sample, drawn afresh here: a few percent of sampling
        // error on about 10,000 old persons per residence.
        for r in 0..2 {
            assert!((got[r] / wanted[r] - 1.0).abs() < 0.04, "{min_age}+ residence {r}: {got:?} against {wanted:?}");
        }
        assert!(got[1] / got[0] > 0.9 * ratio, "{min_age}+: rural over urban {:.3}", got[1] / got[0]);
    }
}

#[test]
fn without_the_ratio_both_residences_share_one_age_structure() {
    let mut profile = Profile::builtin("national-2022").expect("profile");
    for band in &mut profile.population.age_bands {
        band.rural_to_urban = None;
    }
    assert_eq!(age_density_in(&profile, Residence::Urban), age_density(&profile));
    assert_eq!(age_density_in(&profile, Residence::Rural), age_density(&profile));
    let got = old_shares(&generated(&profile), 60);
    assert!((got[1] / got[0] - 1.0).abs() < 0.1, "rural over urban {:.3} without a split", got[1] / got[0]);
}

#[test]
fn a_residence_density_sums_to_one_and_is_older_in_villages() {
    let profile = Profile::builtin("national-2022").expect("profile");
    let [urban, rural] = Residence::BOTH.map(|r| age_density_in(&profile, r));
    for d in [&urban, &rural] {
        assert!((d.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(d.iter().all(|&x| x >= 0.0));
    }
    let old = |d: &[f64]| d[60..].iter().sum::<f64>();
    let band = profile.population.age_bands.iter().find(|b| b.min_age == 60).expect("60+");
    let wanted = band.residence_shares(profile.population.urban_share.value).expect("split");
    assert!((old(&urban) - wanted[0]).abs() < 1e-9, "{} against {}", old(&urban), wanted[0]);
    assert!((old(&rural) - wanted[1]).abs() < 1e-9, "{} against {}", old(&rural), wanted[1]);
    // Fewer children and persons of working age where the old are more.
    assert!(rural[..60].iter().sum::<f64>() < urban[..60].iter().sum::<f64>());
}

#[test]
fn a_ratio_that_is_not_positive_or_fills_a_residence_is_refused_with_its_field() {
    let reload = |profile: &Profile| {
        let text = toml::to_string(profile).expect("serialises");
        Profile::from_toml_str(&text, "edited.toml", None).map(|_| ()).map_err(|e| e.to_string())
    };
    let mut profile = Profile::builtin("national-2022").expect("profile");
    assert_eq!(reload(&profile), Ok(()), "the profile as built in reloads");
    let sixty = profile.population.age_bands.iter().position(|b| b.min_age == 60).expect("60+");
    profile.population.age_bands[sixty].rural_to_urban.as_mut().expect("split").value = -1.5;
    let message = reload(&profile).expect_err("a negative ratio");
    assert!(message.contains(&format!("population.age_bands[{sixty}].rural_to_urban")), "{message}");
    // 62% of residents aged 16-59, five times as many among rural residents: more than
    // all of them (rural residents are 35% of all).
    let mut profile = Profile::builtin("national-2022").expect("profile");
    let working = profile.population.age_bands.iter().position(|b| b.min_age == 16).expect("16-59");
    let ratio = profile.population.age_bands[sixty].rural_to_urban.clone().map(|mut r| {
        r.value = 5.0;
        r
    });
    profile.population.age_bands[working].rural_to_urban = ratio;
    let message = reload(&profile).expect_err("a share above 1");
    assert!(message.contains(&format!("population.age_bands[{working}].rural_to_urban")), "{message}");
    assert!(message.contains("below 100%"), "{message}");
}
