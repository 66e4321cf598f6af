//! Who gains and who loses: every household of the reform against the same household
//! of the baseline. A reform that changes nothing leaves everyone unchanged; the sums a
//! streamed run reports are those of the households it kept, compared one by one; the
//! persons' changes add up to the change of total disposable income; the bands and
//! quintile groups hold every compared person once. Two reforms of one baseline compare
//! their households with each other (`compare`'s B against A) as with the baseline.

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
fn every_replication_compares_by_band_and_by_quintile_group() {
    let mut s = scenario(&[("old_age_allowance", "amount_per_month = 300")]);
    s.households = 3_000;
    s.replications = 3;
    let o = run(&s, |p| p);
    assert_eq!(o.replications.len(), 3);
    let last = o.reform.years.len() - 1;
    for (k, rep) in o.replications.iter().enumerate() {
        let g = rep.years[last].indicators.gains.as_ref().expect("every replication compares");
        assert!(g[Group::All.index()].has_quintiles, "replication {k}: its baseline has the bounds");
        assert!(g[Group::All.index()].compared_persons > 0.0);
        let rows = rep.years[last].indicators.rows();
        assert!(rows.iter().any(|r| r.indicator == "share_unchanged"));
        assert!(rows.iter().any(|r| r.indicator == "gaining_share_quintile_1"), "replication {k}");
    }
    // The intervals: the bands and the quintile groups over every replication.
    let intervals = o.intervals();
    let find = |name: &str| {
        intervals
            .iter()
            .find(|r| r.year == o.reform.years[last].indicators.year && r.group == "all" && r.indicator == name)
    };
    assert_eq!(find("share_gain_over_5pct").expect("row").replications, 3);
    assert_eq!(find("gaining_share_quintile_1").expect("row").replications, 3);
}

/// Two reforms of one baseline run as `compare` runs them: B's households against A's
/// besides each against the baseline, in a pool of `threads` threads.
fn pair(a: &Scenario, b: &Scenario, threads: usize, pilot: usize) -> (Outcome, Outcome) {
    let generator = incomesim::generate::Generator::calibrate(&a.profile, a.seed).expect("calibrates");
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
    let points = [a.clone(), b.clone()];
    let both = pool
        .install(|| {
            Projection::new(a).pilot_households(pilot).keep_outcomes(true).run_points_against_first(&generator, &points)
        })
        .expect("runs");
    let [oa, ob]: [Outcome; 2] = both.try_into().expect("two outcomes");
    (oa, ob)
}

fn against_a(o: &Outcome, t: usize) -> &[Gains; 3] {
    o.reform.years[t].indicators.gains_against_other.as_ref().expect("B's projected years compare with A's")
}

#[test]
fn b_against_a_is_b_s_households_compared_one_by_one_with_a_s() {
    let a = scenario(&[("old_age_allowance", "amount_per_month = 300")]);
    let b = scenario(&[("old_age_allowance", "amount_per_month = 200"), ("skills_training", "places_per_year = 800")]);
    // Three blocks through a pilot of one: two stream.
    let (oa, ob) = pair(&a, &b, 2, BLOCK);
    assert_eq!(ob.stream.blocks, 3);
    assert!(ob.reform.years[0].indicators.gains_against_other.is_none(), "the base year is shared");
    assert!(oa.reform.years.iter().all(|y| y.indicators.gains_against_other.is_none()), "A compares with none");
    let (mut gaining, mut losing) = (0.0, 0.0);
    for t in 1..ob.reform.years.len() {
        let direct = gain_sums(&ob.reform.outcomes[t], &BaselineIncomes::of(&oa.reform.outcomes[t]), None);
        for (g, x) in against_a(&ob, t).iter().enumerate() {
            let d = if g < 2 { direct.groups[g] } else { direct.all() };
            for band in 0..5 {
                assert!(close(x.persons[band], d.persons[band], 1e-9), "year {t} group {g} band {band}");
            }
            assert!(close(x.mean_change * x.compared_persons, d.change, 1e-9), "year {t} group {g} change");
            assert!(close(x.uncompared_persons, d.uncompared_persons, 1e-9));
            let by_quintile: f64 = x.compared_persons_by_quintile.iter().sum();
            assert!(close(by_quintile, x.compared_persons, 1e-9), "year {t} group {g}: A's fifths hold everyone");
        }
        let all = &against_a(&ob, t)[Group::All.index()];
        gaining += all.gaining_share();
        losing += all.losing_share();
    }
    // A smaller allowance loses the old; the training's places gain some.
    assert!(losing > 0.0 && gaining > 0.0, "gaining {gaining}, losing {losing}");
    // Against the baseline the allowance leaves nobody poorer: a different comparison.
    let last = ob.reform.years.len() - 1;
    assert_ne!(ob.reform.years[last].indicators.gains, ob.reform.years[last].indicators.gains_against_other);
}

#[test]
fn a_point_against_itself_changes_nothing_and_the_comparison_changes_no_other_result() {
    let a = scenario(&[("old_age_allowance", "amount_per_month = 300")]);
    let (oa, ob) = pair(&a, &a, 2, BLOCK);
    for t in 1..ob.reform.years.len() {
        for (g, x) in against_a(&ob, t).iter().enumerate() {
            assert_eq!(x.uncompared_persons, 0.0, "group {g}");
            assert_eq!(x.shares[ChangeBand::Unchanged.index()], 1.0, "group {g}");
            assert_eq!(x.mean_change, 0.0, "group {g}");
        }
        assert_eq!(oa.reform.years[t].indicators.rows(), ob.reform.years[t].indicators.rows());
    }
    // The points alone: the same results, bit for bit, without the comparison.
    let generator = incomesim::generate::Generator::calibrate(&a.profile, a.seed).expect("calibrates");
    let alone = Projection::new(&a)
        .pilot_households(BLOCK)
        .run_points_with_generator(&generator, &[a.clone(), a.clone()])
        .expect("runs");
    for (o, p) in [&oa, &ob].into_iter().zip(&alone) {
        for (x, y) in o.reform.years.iter().zip(&p.reform.years) {
            assert!(y.indicators.gains_against_other.is_none());
            assert_eq!(x.indicators.rows(), y.indicators.rows());
            assert_eq!(x.indicators.gains, y.indicators.gains);
        }
    }
}

#[test]
fn b_against_a_is_the_same_whatever_the_threads() {
    // One block: with two threads A and B run their pilots side by side (B after A).
    let mut a = scenario(&[("old_age_allowance", "amount_per_month = 300")]);
    a.households = 2_000;
    let mut b = a.clone();
    b.reform[0].params = toml::from_str("amount_per_month = 400").expect("toml");
    let (_, one) = pair(&a, &b, 1, BLOCK);
    let (_, two) = pair(&a, &b, 2, BLOCK);
    for (x, y) in one.reform.years.iter().zip(&two.reform.years) {
        assert_eq!(x.indicators.gains_against_other, y.indicators.gains_against_other, "year {}", x.indicators.year);
    }
    let last = one.reform.years.len() - 1;
    let all = &against_a(&one, last)[Group::All.index()];
    assert!(all.gaining_share() > 0.0 && all.losing_share() == 0.0, "a larger allowance only gains");
}
