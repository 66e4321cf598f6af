//! Warnings: what a scenario sets that will not act as written, and what a run's
//! results show it may not intend. Each test has a scenario that does warn and its
//! counterpart that does not.

use incomesim::engine::Projection;
use incomesim::engine::targets::{Comparison, Measure, Target};
use incomesim::engine::warnings::{Warning, WarningKind};
use incomesim::scenario::{builtin_names, load_builtin, parse_str};

fn scenario(text: &str) -> incomesim::engine::Scenario {
    parse_str(text, "warnings.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn kinds(warnings: &[Warning]) -> Vec<(WarningKind, String)> {
    warnings.iter().map(|w| (w.kind, w.field.clone())).collect()
}

const HEAD: &str = "name = \"w\"\nregion = \"liupanshui-2021\"\nhouseholds = 1200\nlast_year = 2023\nshapley = false\n";

#[test]
fn the_builtin_scenarios_have_no_warnings() {
    for name in builtin_names() {
        let s = load_builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(s.warnings(), Vec::new(), "{name}");
    }
}

#[test]
fn a_switched_parameter_with_its_switch_off_is_inert() {
    let off = scenario(&format!("{HEAD}[levers.dibao]\nsanction_cut_share = 0.5\nsanction_offers_per_year = 3\n"));
    assert_eq!(
        kinds(&off.warnings()),
        vec![
            (WarningKind::InertParameter, "levers.dibao.sanction_offers_per_year".to_string()),
            (WarningKind::InertParameter, "levers.dibao.sanction_cut_share".to_string()),
        ]
    );
    assert!(off.warnings()[0].message.contains("sanction = true"), "{}", off.warnings()[0]);
    let on = scenario(&format!("{HEAD}[levers.dibao]\nsanction = true\nsanction_cut_share = 0.5\n"));
    assert!(on.warnings().is_empty(), "{:?}", on.warnings());
    // Switched off explicitly, as a child scenario turning off its base's sanction.
    let explicit = scenario(&format!("{HEAD}[levers.dibao]\nsanction = false\nsanction_cut_share = 0.5\n"));
    assert_eq!(explicit.warnings().len(), 1);
}

#[test]
fn a_start_up_hire_wage_without_jobs_for_others_is_inert() {
    let lever = "[levers.start_up_support]\nstart_ups_per_year = 100\nhire_wage_per_month = 2000\n";
    let none = scenario(&format!("{HEAD}{lever}jobs_per_start_up = 1\n"));
    let field = "levers.start_up_support.hire_wage_per_month".to_string();
    assert_eq!(kinds(&none.warnings()), vec![(WarningKind::InertParameter, field)]);
    assert!(none.warnings()[0].message.contains("jobs_per_start_up = 1"), "{}", none.warnings()[0]);
    // The default (1.5 jobs a start-up) and more create jobs for others.
    for jobs in ["", "jobs_per_start_up = 3\n"] {
        let some = scenario(&format!("{HEAD}{lever}{jobs}"));
        assert!(some.warnings().is_empty(), "{:?}", some.warnings());
    }
}

#[test]
fn a_participation_wage_without_work_incentives_is_inert() {
    let off = scenario(&format!("{HEAD}participation_wage_per_month = 1790\n"));
    assert_eq!(kinds(&off.warnings()), vec![(WarningKind::InertParameter, "participation_wage_per_month".to_string())]);
    assert!(off.warnings()[0].message.contains("work_incentives = true"), "{}", off.warnings()[0]);
    let on = scenario(&format!("{HEAD}work_incentives = true\nparticipation_wage_per_month = 1790\n"));
    assert!(on.warnings().is_empty(), "{:?}", on.warnings());
}

#[test]
fn a_change_after_the_last_year_never_takes_effect() {
    let text = format!(
        "{HEAD}[levers.dibao]\nrural_threshold_per_month = {{ \"2022-01\" = 500, \"2024-07\" = 560, \"2025-01\" = 600 }}\n"
    );
    let mut s = scenario(&text);
    let w = s.warnings();
    assert_eq!(kinds(&w), vec![(WarningKind::ChangeAfterLastYear, "levers.dibao.rural_threshold_per_month".into())]);
    assert!(w[0].message.contains("2024-07, 2025-01"), "{}", w[0]);
    // Run to 2025: both changes are in force.
    s.last_year = 2025;
    assert!(s.warnings().is_empty(), "{:?}", s.warnings());
    // A dated value whose only month is after the projection holds from the start.
    let late = scenario(&format!("{HEAD}[levers.dibao]\nrural_threshold_per_month = {{ \"2030-01\" = 600 }}\n"));
    let w = late.warnings();
    assert_eq!(w.len(), 1);
    assert!(w[0].message.contains("in force throughout"), "{}", w[0]);
    // A month parameter after the projection.
    let month = scenario(&format!("{HEAD}[levers.resident_pension]\nincrement_from = \"2024-03\"\n"));
    assert_eq!(
        kinds(&month.warnings()),
        vec![(WarningKind::ChangeAfterLastYear, "levers.resident_pension.increment_from".into())]
    );
    let month = scenario(&format!("{HEAD}[levers.resident_pension]\nincrement_from = \"2023-12\"\n"));
    assert!(month.warnings().is_empty());
}

#[test]
fn an_assumption_changed_after_the_last_year_is_reported_and_the_profile_defaults_are_not() {
    let late = scenario(&format!(
        "{HEAD}[assumptions]\nwage_growth_rural = {{ \"2022-01\" = 0.07, \"2026-01\" = 0.05 }}\ncpi_inflation = 0.02\n"
    ));
    let w = late.warnings();
    assert_eq!(kinds(&w), vec![(WarningKind::ChangeAfterLastYear, "assumptions.wage_growth_rural".into())]);
    assert!(w[0].message.contains("2026-01"), "{}", w[0]);
    let in_range =
        scenario(&format!("{HEAD}[assumptions]\nwage_growth_rural = {{ \"2022-01\" = 0.07, \"2023-07\" = 0.05 }}\n"));
    assert!(in_range.warnings().is_empty(), "{:?}", in_range.warnings());
}

/// A late step of `operating_growth` (both residences) is reported under that name; one
/// residence's own is reported under its own.
#[test]
fn a_late_step_of_a_part_for_both_residences_is_named_as_written() {
    let both =
        scenario(&format!("{HEAD}[assumptions]\noperating_growth = {{ \"2022-01\" = 0.07, \"2026-01\" = 0.05 }}\n"));
    assert_eq!(
        kinds(&both.warnings()),
        vec![(WarningKind::ChangeAfterLastYear, "assumptions.operating_growth".into())]
    );
    let rural = scenario(&format!(
        "{HEAD}[assumptions]\nproperty_growth_rural = {{ \"2022-01\" = 0.07, \"2026-01\" = 0.05 }}\n"
    ));
    assert_eq!(
        kinds(&rural.warnings()),
        vec![(WarningKind::ChangeAfterLastYear, "assumptions.property_growth_rural".into())]
    );
}

#[test]
fn the_retirement_delay_set_in_a_projection_ending_before_2025_is_reported() {
    let early = scenario(&format!("{HEAD}[assumptions]\nretirement_delay = 0\n"));
    assert_eq!(kinds(&early.warnings()), vec![(WarningKind::InertAssumption, "assumptions.retirement_delay".into())]);
    assert!(early.warnings()[0].message.contains("2025"), "{}", early.warnings()[0]);
    let mut later = early.clone();
    later.last_year = 2025;
    assert!(later.warnings().is_empty(), "{:?}", later.warnings());
}

#[test]
fn a_caseload_multiple_without_the_caseload_alignment_is_reported() {
    let off = scenario(&format!(
        "{HEAD}[assumptions]\ndibao_caseload_alignment = 0\ndibao_caseload_share_multiple_urban = 0.8\n"
    ));
    assert_eq!(
        kinds(&off.warnings()),
        vec![(WarningKind::InertAssumption, "assumptions.dibao_caseload_share_multiple_urban".into())]
    );
    assert!(off.warnings()[0].message.contains("dibao_caseload_alignment is 0"), "{}", off.warnings()[0]);
    let on = scenario(&format!("{HEAD}[assumptions]\ndibao_caseload_share_multiple_urban = 0.8\n"));
    assert!(on.warnings().is_empty(), "{:?}", on.warnings());
}

#[test]
fn a_priority_of_need_without_its_take_up_rate_is_reported() {
    let alone = scenario(&format!("{HEAD}[levers.dibao]\ntake_up_need_priority_urban = 0\n"));
    assert_eq!(
        kinds(&alone.warnings()),
        vec![(WarningKind::PriorityWithoutTakeUp, "levers.dibao.take_up_need_priority_urban".to_string())]
    );
    assert!(alone.warnings()[0].message.contains("take_up_urban"), "{}", alone.warnings()[0]);
    let both = scenario(&format!("{HEAD}[levers.dibao]\ntake_up_need_priority_urban = 0\ntake_up_urban = 0.4\n"));
    assert!(both.warnings().is_empty(), "{:?}", both.warnings());
    // The extreme-poverty support's take-up is not calibrated: its priority alone is fine.
    let extreme = scenario(&format!("{HEAD}[levers.extreme_poverty_support]\ntake_up_need_priority_urban = 0\n"));
    assert!(extreme.warnings().is_empty(), "{:?}", extreme.warnings());
}

#[test]
fn a_schedule_that_leaves_out_a_national_decision_is_reported() {
    let kind = |text: &str| kinds(&scenario(&format!("{HEAD}{text}")).warnings());
    // Liupanshui 2021, projected 2022-2023: the national adjustment of 2022 and 2023 and the central rises of
    // 2022-07 and 2023-01.
    let only_2023 = scenario(&format!("{HEAD}[levers.retiree_pension_adjustment]\nrise = {{ \"2023-01\" = 0.05 }}\n"));
    let w = only_2023.warnings();
    assert_eq!(
        kinds(&w),
        vec![(WarningKind::ReplacesNationalDecision, "levers.retiree_pension_adjustment.rise".into())]
    );
    assert!(w[0].message.contains("2022 (4%)") && !w[0].message.contains("2023 ("), "{}", w[0]);
    let flat = scenario(&format!("{HEAD}[levers.resident_pension]\namount_per_month = 150\n"));
    let w = flat.warnings();
    assert_eq!(
        kinds(&w),
        vec![(WarningKind::ReplacesNationalDecision, "levers.resident_pension.amount_per_month".into())]
    );
    assert!(w[0].message.contains("2022-07 (+5)") && w[0].message.contains("2023-01 (+5)"), "{}", w[0]);
    // Schedules that keep the national steps, and the defaults, say nothing.
    assert!(
        kind("[levers.retiree_pension_adjustment]\nrise = { \"2022-01\" = 0.04, \"2023-01\" = 0.05 }\n").is_empty()
    );
    assert!(
        kind("[levers.resident_pension]\namount_per_month = { \"2021-01\" = 108, \"2022-07\" = 113, \"2023-01\" = 125 }\n")
            .is_empty()
    );
    assert!(
        kind("[levers.resident_pension]\nyearly_increment_per_month = 5\n[levers.retiree_pension_adjustment]\n")
            .is_empty()
    );
    // Projected to 2027, a schedule without the assumed rises after 2025 (15 a month each January) is told
    // which it leaves out; one with them, and the default, say nothing.
    let to_2027 = |text: &str| {
        let mut s = scenario(&format!("{HEAD}{text}"));
        s.last_year = 2027;
        kinds(&s.warnings())
    };
    let decided = "[levers.resident_pension]\namount_per_month = { \"2021-01\" = 108, \"2022-07\" = 113, \"2023-01\" = 118, \"2024-01\" = 138, \"2025-01\" = 158";
    let mut short = scenario(&format!("{HEAD}{decided} }}\n"));
    short.last_year = 2027;
    let w = short.warnings();
    assert_eq!(
        kinds(&w),
        vec![(WarningKind::ReplacesNationalDecision, "levers.resident_pension.amount_per_month".into())]
    );
    assert!(
        w[0].message.contains("2026-01 (+15 assumed)") && w[0].message.contains("2027-01 (+15 assumed)"),
        "{}",
        w[0]
    );
    assert!(!w[0].message.contains("2024-01"), "{}", w[0]);
    assert!(to_2027(&format!("{decided}, \"2026-01\" = 173, \"2027-01\" = 190 }}\n")).is_empty());
    assert!(to_2027("[levers.resident_pension]\nyearly_increment_per_month = 5\n").is_empty());
}

#[test]
fn uncertainty_needs_more_than_one_replication() {
    let one = scenario(&format!("{HEAD}[uncertainty]\nwage_growth_rural = 0.01\n"));
    assert_eq!(kinds(&one.warnings()), vec![(WarningKind::UncertaintyWithoutReplications, "uncertainty".into())]);
    let two = scenario(&format!("replications = 2\n{HEAD}[uncertainty]\nwage_growth_rural = 0.01\n"));
    assert!(two.warnings().is_empty());
}

#[test]
fn uncertainty_from_after_the_last_year_draws_nothing() {
    let late = scenario(&format!(
        "replications = 2\n{HEAD}[uncertainty]\nwage_growth_rural = {{ sd = 0.01, from = \"2024-01\" }}\n"
    ));
    assert_eq!(
        kinds(&late.warnings()),
        vec![(WarningKind::ChangeAfterLastYear, "uncertainty.wage_growth_rural.from".into())]
    );
    assert!(late.warnings()[0].message.contains("2024-01"), "{}", late.warnings()[0]);
    let within = scenario(&format!(
        "replications = 2\n{HEAD}[uncertainty]\nwage_growth_rural = {{ sd = 0.01, from = \"2023-01\" }}\n"
    ));
    assert!(within.warnings().is_empty(), "{:?}", within.warnings());
}

fn growth_target(name: &str, from: u16, to: u16) -> Target {
    Target {
        name: name.into(),
        group: "rural".into(),
        indicator: "mean_disposable".into(),
        measure: Measure::Growth { from, to },
        value: 0.05,
        comparison: Comparison::AtLeast,
        source: String::new(),
    }
}

#[test]
fn targets_outside_the_projection_or_not_evaluated_are_reported_by_the_run() {
    let mut s = scenario(HEAD);
    s.targets = vec![growth_target("in range", 2021, 2023), growth_target("beyond", 2021, 2025)];
    let before = s.warnings();
    assert_eq!(kinds(&before), vec![(WarningKind::TargetOutsideProjection, "targets[1]".into())]);
    // A growth over no years has no value: only the run can tell.
    s.targets.push(growth_target("no years", 2022, 2022));
    let outcome = Projection::new(&s).run().expect("runs");
    assert_eq!(
        kinds(&outcome.warnings),
        vec![
            (WarningKind::TargetOutsideProjection, "targets[1]".into()),
            (WarningKind::TargetNotEvaluated, "targets[2]".into()),
        ]
    );
    assert!(outcome.targets[0].reached.is_some());
    assert!(!outcome.targets[1].met && !outcome.targets[2].met);
    assert!(outcome.warnings.iter().all(|w| w.kind.is_scenario() == (w.kind != WarningKind::TargetNotEvaluated)));
}

#[test]
fn places_left_empty_are_reported_with_their_years() {
    let run = |posts: u64| {
        let s = scenario(&format!("{HEAD}[levers.public_welfare_posts]\nposts_per_year = {posts}\n"));
        Projection::new(&s).run().expect("runs").warnings
    };
    let w = run(50_000_000);
    assert_eq!(kinds(&w), vec![(WarningKind::PlacesUnfilled, "levers.public_welfare_posts".into())]);
    assert!(w[0].message.contains("2022: ") && w[0].message.contains("2023: "), "{}", w[0]);
    assert!(w[0].message.contains("of 50,000,000"), "{}", w[0]);
    assert!(run(100).is_empty());
}

#[test]
fn a_rising_pay_schedule_that_the_lever_also_indexes_warns() {
    let rising = "[levers.labour_transfer]\npersons_per_year = 100\n\
                  local_wage_per_month = { \"2021-01\" = 2500, \"2023-01\" = 2700 }\n";
    let indexed = scenario(&format!("{HEAD}{rising}"));
    assert_eq!(
        kinds(&indexed.warnings()),
        vec![(WarningKind::IndexedSchedule, "levers.labour_transfer.local_wage_per_month".to_string())]
    );
    assert!(indexed.warnings()[0].message.contains("indexation = \"none\""), "{}", indexed.warnings()[0]);
    // In each year's yuan, not indexed: as written, no warning; nor for a constant pay.
    let nominal = scenario(&format!("{HEAD}{rising}indexation = \"none\"\n"));
    assert!(nominal.warnings().is_empty(), "{:?}", nominal.warnings());
    let constant =
        scenario(&format!("{HEAD}[levers.labour_transfer]\npersons_per_year = 100\nlocal_wage_per_month = 3000\n"));
    assert!(constant.warnings().is_empty(), "{:?}", constant.warnings());
    // A post's pay is nominal by default; indexed to prices, a rising schedule warns.
    let posts = "[levers.public_welfare_posts]\nposts_per_year = 10\n\
                 pay_per_month = { \"2021-01\" = 500, \"2023-01\" = 600 }\n";
    assert!(scenario(&format!("{HEAD}{posts}")).warnings().is_empty());
    let by_prices = scenario(&format!("{HEAD}{posts}indexation = \"prices\"\n"));
    assert_eq!(
        kinds(&by_prices.warnings()),
        vec![(WarningKind::IndexedSchedule, "levers.public_welfare_posts.pay_per_month".to_string())]
    );
}
