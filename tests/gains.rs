//! Who gains and who loses: every household of the reform against the same household
//! of the baseline. A reform that changes nothing leaves everyone unchanged; the sums a
//! streamed run reports are those of the households it kept, compared one by one; the
//! persons' changes add up to the change of total disposable income; the bands and
//! quintile groups hold every compared person once.

use incomesim::engine::{Outcome, Projection, ReformLever, Scenario};
use incomesim::generate::BLOCK;
use incomesim::indicators::{BaselineIncomes, ChangeBand, Gains, Group, gain_sums};
use incomesim::region::Profile;

/// Two full blocks and a partial one.
const HOUSEHOLDS: usize = 2 * BLOCK + 700;

fn scenario(reform: &[(&str, &str)]) -> Scenario {
    let mut s = Scenario::baseline(Profile::builtin("wuzhong-2022").expect("profile"));
    s.households = HOUSEHOLDS;
    s.last_year = s.profile.base_year + 2;
    s.shapley = false;
    s.reform = reform
        .iter()
        .map(|(name, params)| ReformLever { name: (*name).into(), params: toml::from_str(params).expect("toml") })
        .collect();
    s
}

fn run(s: &Scenario, configure: impl FnOnce(Projection<'_>) -> Projection<'_>) -> Outcome {
    configure(Projection::new(s)).run().expect("runs")
}

fn gains(o: &Outcome, t: usize) -> &[Gains; 3] {
    o.reform.years[t].indicators.gains.as_ref().expect("a reform's projected year compares")
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn a_reform_that_changes_nothing_leaves_everyone_unchanged() {
    // A lever that pays nobody: a training programme without places.
    let s = scenario(&[("skills_training", "places_per_year = 0")]);
    let o = run(&s, |p| p);
    assert!(o.reform.years[0].indicators.gains.is_none(), "the base year is shared");
    assert!(o.baseline.years.iter().all(|y| y.indicators.gains.is_none()), "the baseline compares with nothing");
    for t in 1..o.reform.years.len() {
        for (g, x) in gains(&o, t).iter().enumerate() {
            assert!(x.compared_persons > 0.0);
            assert_eq!(x.uncompared_persons, 0.0, "group {g}");
            assert_eq!(x.shares[ChangeBand::Unchanged.index()], 1.0, "group {g}");
            assert_eq!(x.mean_change, 0.0, "group {g}: the same incomes bit for bit");
            let persons = o.reform.years[t].indicators.groups[g].persons;
            assert!(
                close(x.compared_persons, persons, 1e-12),
                "every person compared: {} {persons}",
                x.compared_persons
            );
        }
    }
}

#[test]
fn streamed_sums_are_the_kept_households_compared_one_by_one() {
    let s = scenario(&[("old_age_allowance", "amount_per_month = 300"), ("dibao", "grace_months = 3")]);
    // Three blocks through a pilot of one: two stream.
    let o = run(&s, |p| p.pilot_households(BLOCK).keep_outcomes(true));
    assert_eq!(o.stream.pilot_blocks, 1);
    assert_eq!(o.stream.blocks, 3);
    let mut someone_gains = false;
    for t in 1..o.reform.years.len() {
        let direct = gain_sums(&o.reform.outcomes[t], &BaselineIncomes::of(&o.baseline.outcomes[t]), None);
        for (g, x) in gains(&o, t).iter().enumerate() {
            let d = if g < 2 { direct.groups[g] } else { direct.all() };
            for b in 0..5 {
                assert!(close(x.persons[b], d.persons[b], 1e-9), "year {t} group {g} band {b}");
            }
            assert!(close(x.mean_change * x.compared_persons, d.change, 1e-9), "year {t} group {g} change");
            assert!(close(x.uncompared_persons, d.uncompared_persons, 1e-9));
            let poor: f64 = d.formerly_poor_persons.iter().sum();
            assert!(close(x.formerly_poor_compared_persons, poor, 1e-9), "year {t} group {g} formerly poor");
            assert!(close(x.formerly_poor_mean_change * poor, d.formerly_poor_change, 1e-9));
            assert!(poor <= x.compared_persons);
            someone_gains |= x.shares[ChangeBand::GainOver5Pct.index()] > 0.0;
        }
    }
    assert!(someone_gains, "the allowance raises old persons' households' income");
    let last = gains(&o, o.reform.years.len() - 1);
    assert!(last[Group::All.index()].formerly_poor_compared_persons > 0.0, "Wuzhong has formerly poor households");
}

#[test]
fn persons_changes_add_up_to_the_change_of_total_income() {
    // An allowance changes no household's members: every household is compared, and
    // the persons' changes of per-capita income add up to the change of the total.
    let s = scenario(&[("old_age_allowance", "amount_per_month = 300")]);
    let o = run(&s, |p| p);
    let last = o.reform.years.len() - 1;
    for t in 1..=last {
        for group in Group::ALL {
            let g = group.index();
            let x = &gains(&o, t)[g];
            assert_eq!(x.uncompared_persons, 0.0);
            let total = o.reform.years[t].indicators.groups[g].disposable_total
                - o.baseline.years[t].indicators.groups[g].disposable_total;
            assert!(total > 0.0, "year {t} {group:?}: the allowance is paid");
            assert!(close(x.mean_change * x.compared_persons, total, 1e-9), "year {t} {group:?}");
            // Each band and each quintile group's bands hold every compared person once.
            let bands: f64 = x.persons.iter().sum();
            assert!(close(bands, x.compared_persons, 1e-12));
            let shares: f64 = x.shares.iter().sum();
            assert!(close(shares, 1.0, 1e-12));
            for q in 0..5 {
                assert!((0.0..=1.0).contains(&(x.gaining_share_by_quintile[q] + x.losing_share_by_quintile[q])));
            }
        }
    }
    // The rows of indicators.csv carry them, for the reform only.
    let rows = o.reform.years[last].indicators.rows();
    for name in ["share_gain_over_5pct", "share_unchanged", "mean_change_per_capita", "gaining_share_quintile_1"] {
        assert!(rows.iter().any(|r| r.indicator == name && r.group == "all"), "{name}");
    }
    assert!(!o.baseline.years[last].indicators.rows().iter().any(|r| r.indicator == "share_unchanged"));
}

#[test]
fn quintile_groups_hold_every_compared_person_once() {
    let s = scenario(&[("old_age_allowance", "amount_per_month = 300")]);
    for pilot in [HOUSEHOLDS, BLOCK] {
        let o = run(&s, |p| p.pilot_households(pilot));
        for t in 1..o.reform.years.len() {
            for (g, x) in gains(&o, t).iter().enumerate() {
                let persons: f64 = x.compared_persons_by_quintile.iter().sum();
                assert!(close(persons, x.compared_persons, 1e-9), "pilot {pilot} year {t} group {g}");
                let weighted: f64 =
                    (0..5).map(|q| x.compared_persons_by_quintile[q] * x.mean_change_by_quintile[q]).sum();
                assert!(close(weighted, x.mean_change * x.compared_persons, 1e-9), "pilot {pilot} year {t} group {g}");
                for q in 0..5 {
                    let (up, down) = (x.gaining_share_by_quintile[q], x.losing_share_by_quintile[q]);
                    assert!(up >= 0.0 && down >= 0.0 && up + down <= 1.0 + 1e-12);
                }
            }
            // All residents' groups split households into fifths: each holds persons.
            let all = &gains(&o, t)[Group::All.index()];
            assert!(all.compared_persons_by_quintile.iter().all(|&p| p > 0.1 * all.compared_persons));
        }
    }
}

#[test]
fn every_replication_compares_and_the_first_by_quintile_group() {
    let mut s = scenario(&[("old_age_allowance", "amount_per_month = 300")]);
    s.households = 3_000;
    s.replications = 3;
    let o = run(&s, |p| p);
    assert_eq!(o.replications.len(), 3);
    let last = o.reform.years.len() - 1;
    for (k, rep) in o.replications.iter().enumerate() {
        let g = rep.years[last].indicators.gains.as_ref().expect("every replication compares");
        assert_eq!(g[Group::All.index()].has_quintiles, k == 0, "replication {k}");
        assert!(g[Group::All.index()].compared_persons > 0.0);
        let rows = rep.years[last].indicators.rows();
        assert!(rows.iter().any(|r| r.indicator == "share_unchanged"));
        assert_eq!(rows.iter().any(|r| r.indicator == "gaining_share_quintile_1"), k == 0, "replication {k}");
    }
    // The intervals: the bands over every replication, the quintile groups over the first.
    let intervals = o.intervals();
    let find = |name: &str| {
        intervals
            .iter()
            .find(|r| r.year == o.reform.years[last].indicators.year && r.group == "all" && r.indicator == name)
    };
    assert_eq!(find("share_gain_over_5pct").expect("row").replications, 3);
    assert_eq!(find("gaining_share_quintile_1").expect("row").replications, 1);
}
