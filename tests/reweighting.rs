//! Re-weighting a projected year to given age shares (`[[population_reweighting]]`):
//! the year meets its shares, each residence keeps its persons, the years before are
//! untouched, the re-weighting carries into later years, a streamed run gets the same
//! results whatever its threads and window, and bad input is an error that names the
//! field.

use incomesim::engine::{Outcome, Projection, Scenario};
use incomesim::generate::BLOCK;
use incomesim::indicators::Group;
use incomesim::scenario::parse_str;

/// Wuzhong's 2022 population to 2025, with `extra` appended to the scenario text.
fn scenario(households: usize, extra: &str) -> Scenario {
    let text = format!(
        "name = \"reweighting\"\nregion = \"wuzhong-2022\"\nhouseholds = {households}\nseed = 11\nlast_year = \
         2025\nshapley = false\n\n[levers.dibao]\ngrace_months = 3\n{extra}"
    );
    parse_str(&text, "reweighting.toml").expect("scenario")
}

/// 2024's population re-weighted to 60+ 18%, 65+ 13% and 0-14 22% of residents.
const REWEIGHT_2024: &str = r#"
[[population_reweighting]]
year = 2024
source = "a test"
age_shares = [
  { min_age = 0, max_age = 14, share = 0.22 },
  { min_age = 60, max_age = 110, share = 0.18 },
  { min_age = 65, max_age = 110, share = 0.13 },
]
"#;

fn run(s: &Scenario, threads: usize, pilot: usize, window: usize) -> Outcome {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
    pool.install(|| Projection::new(s).pilot_households(pilot).chunk_households(window).run().expect("runs"))
}

fn json<T: serde::Serialize>(x: &T) -> String {
    serde_json::to_string(x).expect("serialises")
}

#[test]
fn the_year_meets_its_shares_each_residence_keeps_its_persons_and_later_years_follow() {
    let households = 12_000;
    let plain = run(&scenario(households, ""), 2, households, 2 * BLOCK);
    let rw = run(&scenario(households, REWEIGHT_2024), 2, households, 2 * BLOCK);
    for outcome in [&rw.baseline, &rw.reform] {
        let y = outcome.year(2024).expect("2024");
        let all = y.group(Group::All);
        assert!((all.old_age.share_60_plus - 0.18).abs() < 1e-6, "60+: {}", all.old_age.share_60_plus);
        assert!((all.old_age.share_65_plus - 0.13).abs() < 1e-6, "65+: {}", all.old_age.share_65_plus);
    }
    let (before, after) = (plain.reform.year(2024).expect("2024"), rw.reform.year(2024).expect("2024"));
    // The shares moved (the test asks for a change) while each residence kept its persons.
    let moved = (before.group(Group::All).old_age.share_60_plus - 0.18).abs();
    assert!(moved > 0.005, "60+ was already {}", before.group(Group::All).old_age.share_60_plus);
    for g in [Group::Urban, Group::Rural] {
        let (a, b) = (before.group(g).persons, after.group(g).persons);
        assert!((a / b - 1.0).abs() < 1e-6, "{g:?}: {a} against {b}");
    }
    // The years before are untouched, bit for bit.
    for year in 2022..2024 {
        assert_eq!(json(plain.reform.year(year).expect("year")), json(rw.reform.year(year).expect("year")), "{year}");
    }
    // The weights stay revised: 2025 keeps most of the change in the share aged 60+.
    let share = |o: &Outcome, y: u16| o.reform.year(y).expect("year").group(Group::All).old_age.share_60_plus;
    let (change_2024, change_2025) = (share(&rw, 2024) - share(&plain, 2024), share(&rw, 2025) - share(&plain, 2025));
    assert!(change_2025 / change_2024 > 0.8, "2024 {change_2024:+.4}, 2025 {change_2025:+.4}");
    // The baseline fixed λ for 2024 and no other year; summary's paths say so.
    let lambda: Vec<bool> = rw.baseline.paths.reweighting.iter().map(Option::is_some).collect();
    assert_eq!(lambda, vec![false, false, true, false]);
    assert!(rw.assumptions.iter().any(|(k, v)| k == "population re-weighting 2024" && v.contains("a test")));
}

#[test]
fn shares_of_one_residence_are_met_among_its_residents_and_the_other_is_left_alone() {
    let households = 12_000;
    let extra = r#"
[[population_reweighting]]
year = 2024
source = "a test"
age_shares = [
  { min_age = 60, max_age = 110, share = 0.24, residence = "rural" },
  { min_age = 0, max_age = 14, share = 0.12, residence = "urban" },
]
"#;
    let plain = run(&scenario(households, ""), 2, households, 2 * BLOCK);
    let rw = run(&scenario(households, extra), 2, households, 2 * BLOCK);
    let (before, after) = (plain.reform.year(2024).expect("2024"), rw.reform.year(2024).expect("2024"));
    let rural = after.group(Group::Rural);
    assert!((rural.old_age.share_60_plus - 0.24).abs() < 1e-6, "rural 60+: {}", rural.old_age.share_60_plus);
    assert!(
        (before.group(Group::Rural).old_age.share_60_plus - 0.24).abs() > 0.005,
        "rural 60+ was already {}",
        before.group(Group::Rural).old_age.share_60_plus
    );
    // The urban old's share moved only as far as the urban band of children moved it.
    let urban_old = |y: &incomesim::indicators::YearIndicators| y.group(Group::Urban).old_age.share_60_plus;
    assert!((urban_old(after) - urban_old(before)).abs() < 0.02, "{} against {}", urban_old(after), urban_old(before));
    for g in [Group::Urban, Group::Rural] {
        let (a, b) = (before.group(g).persons, after.group(g).persons);
        assert!((a / b - 1.0).abs() < 1e-6, "{g:?}: {a} against {b}");
    }
}

#[test]
fn residents_are_grossed_up_to_the_persons_given_for_the_whole_population() {
    let households = 3 * BLOCK + 700;
    let plain = run(&scenario(households, ""), 2, households, 2 * BLOCK);
    let urban = plain.reform.year(2023).expect("2023").group(Group::Urban).persons;
    let rural = plain.reform.year(2023).expect("2023").group(Group::Rural).persons;
    // Urban residents 5% more than projected, rural kept.
    let extra = format!(
        "[[population_reweighting]]\nyear = 2023\nsource = \"a bulletin\"\nurban_persons = {:.0}\n",
        1.05 * urban
    );
    let s = scenario(households, &extra);
    for (pilot, tolerance) in [(households, 1e-6), (BLOCK, 0.01)] {
        // The whole population as pilot meets the persons exactly; a pilot of one block
        // of four stands for the rest by its households.
        let rw = run(&s, 2, pilot, 2 * BLOCK);
        let y = rw.reform.year(2023).expect("2023");
        let (u, r) = (y.group(Group::Urban).persons, y.group(Group::Rural).persons);
        assert!((u / (1.05 * urban) - 1.0).abs() < tolerance, "pilot {pilot}: urban {u} against {}", 1.05 * urban);
        if pilot == households {
            assert!((r / rural - 1.0).abs() < 1e-6, "rural {r} against {rural}");
        }
        assert!(rw.assumptions.iter().any(|(_, v)| v.contains("urban residents grossed up to")));
    }
}

#[test]
fn a_streamed_run_is_identical_whatever_threads_and_window_and_close_to_the_shares() {
    let households = 3 * BLOCK + 700;
    let s = scenario(households, REWEIGHT_2024);
    let one = run(&s, 1, BLOCK, 1);
    let two = run(&s, 2, BLOCK, 3 * BLOCK);
    assert_eq!(one.stream.pilot_blocks, 1);
    assert_eq!(json(&one.reform), json(&two.reform));
    assert_eq!(json(&one.baseline), json(&two.baseline));
    // The pilot's λ on every block: the whole population near the shares.
    let all = one.reform.year(2024).expect("2024").group(Group::All).old_age;
    assert!((all.share_60_plus - 0.18).abs() < 0.005, "60+: {}", all.share_60_plus);
    assert!((all.share_65_plus - 0.13).abs() < 0.005, "65+: {}", all.share_65_plus);
}

#[test]
fn shares_that_cannot_be_met_stop_the_run_with_the_field_named() {
    let s = scenario(
        2_000,
        r#"
[[population_reweighting]]
year = 2023
source = "inconsistent"
age_shares = [{ min_age = 60, max_age = 110, share = 0.10 }, { min_age = 65, max_age = 110, share = 0.20 }]
"#,
    );
    let e = Projection::new(&s).run().expect_err("65+ above 60+").to_string();
    assert!(e.contains("population_reweighting") && e.contains("2023") && e.contains("65-110: 0.2000"), "{e}");
}

#[test]
fn bad_entries_are_reported_with_their_field() {
    let base = "name = \"x\"\nregion = \"wuzhong-2022\"\nlast_year = 2024\n";
    for (entry, field, words) in [
        (
            "[[population_reweighting]]\nyear = 2022\nsource = \"s\"\nage_shares = [{ min_age = 60, max_age = 110, share = 0.2 }]",
            "population_reweighting[0].year",
            "after the base year 2022",
        ),
        (
            "[[population_reweighting]]\nyear = 2023\nsource = \"s\"\nage_shares = [{ min_age = 60, max_age = 110, share = 1.2 }]",
            "population_reweighting[0].age_shares[0].share",
            "above 0 and below 1",
        ),
        (
            "[[population_reweighting]]\nyear = 2023\nsource = \"s\"\nage_shares = [{ min_age = 60, max_age = 50, share = 0.2 }]",
            "population_reweighting[0].age_shares[0].max_age",
            "below min_age",
        ),
        (
            "[[population_reweighting]]\nyear = 2023\nsource = \"s\"\nage_shares = []",
            "population_reweighting[0].age_shares",
            "0 bands",
        ),
        (
            "[[population_reweighting]]\nyear = 2023\nage_shares = [{ min_age = 60, max_age = 110, share = 0.2 }]",
            "population_reweighting[0].source",
            "",
        ),
        (
            "[[population_reweighting]]\nyear = 2023\nsource = \"s\"\nage_shares = [{ min_age = 60, max_age = 110, share = 0.2 }, { min_age = 60, max_age = 110, share = 0.3 }]",
            "population_reweighting[0].age_shares[1]",
            "already the band",
        ),
        (
            "[[population_reweighting]]\nyear = 2023\nsource = \"s\"\nage_shares = [{ min_age = 0, max_age = 110, share = 0.2 }]",
            "population_reweighting[0].age_shares[0]",
            "every age",
        ),
        (
            "[[population_reweighting]]\nyear = 2023\nsource = \"s\"\nage_shares = [{ min_age = 60, max_age = 110, share = 0.2 }]\n\n[[population_reweighting]]\nyear = 2023\nsource = \"t\"\nage_shares = [{ min_age = 65, max_age = 110, share = 0.1 }]",
            "population_reweighting[1].year",
            "already the year",
        ),
        (
            "[[population_reweighting]]\nyear = 2023\nsource = \"s\"\nurban_persons = -5",
            "population_reweighting[0].urban_persons",
            "above 0",
        ),
        (
            "[[population_reweighting]]\nyear = 2023\nsource = \"s\"",
            "population_reweighting[0].age_shares",
            "urban_persons",
        ),
        (
            "[[population_reweighting]]\nyear = 2023\nsource = \"s\"\nage_shares = [{ min_age = 60, max_age = 110, share = 0.2, residence = \"town\" }]",
            "population_reweighting[0].age_shares[0].residence",
            "urban",
        ),
        (
            "[[population_reweighting]]\nyear = 2023\nsource = \"s\"\nage_shares = [{ min_age = 60, max_age = 110, share = 0.2, residence = \"rural\" }, { min_age = 60, max_age = 110, share = 0.3, residence = \"rural\" }]",
            "population_reweighting[0].age_shares[1]",
            "rural 60-110 are already the band",
        ),
        (
            "[[population_reweighting]]\nyear = 2023\nsource = \"s\"\nshares = []\nage_shares = [{ min_age = 60, max_age = 110, share = 0.2 }]",
            "population_reweighting[0].shares",
            "unknown",
        ),
    ] {
        let text = format!("{base}{entry}\n");
        let errors = parse_str(&text, "bad.toml").expect_err(entry).to_string();
        assert!(errors.contains(field) && errors.contains(words), "{entry}\n→ {errors}");
    }
}

#[test]
fn a_re_weighting_after_the_last_year_is_a_warning() {
    let s = scenario(
        1_000,
        "[[population_reweighting]]\nyear = 2030\nsource = \"s\"\nage_shares = [{ min_age = 60, max_age = 110, share = 0.2 }]\n",
    );
    let warnings = s.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.field == "population_reweighting (year 2030)" && w.message.contains("never re-weighted")),
        "{warnings:?}"
    );
    // Within the projection: no warning.
    assert!(scenario(1_000, REWEIGHT_2024).warnings().iter().all(|w| !w.field.starts_with("population_reweighting")));
}
