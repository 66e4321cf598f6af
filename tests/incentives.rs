//! Work incentives: the marginal effective tax rate (METR) on a 3% rise in earnings and
//! the participation tax rate (PTR) of a member entering work. Measuring them changes no
//! other result; the dibao's top-up takes a rise back yuan for yuan; an employment-cost
//! deduction in the means test frees some of them; one member of a household enters work
//! at the wage asked; the sums do not depend on the thread count.

use incomesim::dynamics::Dynamics;
use incomesim::engine::{Outcome, Projection, ReformLever, Scenario};
use incomesim::generate::{BLOCK, Generator};
use incomesim::indicators::incentives::{
    EARNINGS_RISE, EntryWages, MetrGroup, enter_work, may_enter_work, raise_earnings,
};
use incomesim::indicators::{Group, MetrBand, WorkIncentives};
use incomesim::model::{Accounts, Education, Employment, HouseholdFlags, PersonFlags, Residence};
use incomesim::policy::{Dated, LeverColumns, YearContext};
use incomesim::region::Profile;

/// Two full blocks and a partial one.
const HOUSEHOLDS: usize = 2 * BLOCK + 700;

fn scenario(reform: &[(&str, &str)], work_incentives: bool) -> Scenario {
    let mut s = Scenario::baseline(Profile::builtin("liupanshui-2021").expect("profile"));
    s.households = HOUSEHOLDS;
    s.last_year = s.profile.base_year + 2;
    s.shapley = false;
    s.work_incentives = work_incentives;
    s.reform = reform
        .iter()
        .map(|(name, params)| ReformLever { name: (*name).into(), params: toml::from_str(params).expect("toml") })
        .collect();
    s
}

fn run_in(s: &Scenario, threads: usize) -> Outcome {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
    pool.install(|| Projection::new(s).pilot_households(BLOCK).run()).expect("runs")
}

fn incentives(o: &Outcome, t: usize, reform: bool) -> &[WorkIncentives; 3] {
    let v = if reform { &o.reform } else { &o.baseline };
    v.years[t].indicators.work_incentives.as_ref().expect("measured")
}

#[test]
fn measuring_work_incentives_changes_no_other_result() {
    let reform = [("old_age_allowance", "amount_per_month = 300"), ("dibao", "rural_threshold_per_month = 600")];
    let on = run_in(&scenario(&reform, true), 2);
    let off = run_in(&scenario(&reform, false), 2);
    assert_eq!(on.stream.blocks, 3, "two blocks stream");
    // The rise measured is an assumption the run lists; the comparison's bands are another.
    let listed = |o: &Outcome, name: &str| o.assumptions.iter().any(|(n, _)| n == name);
    assert!(listed(&on, "work incentives") && !listed(&off, "work incentives"));
    assert!(listed(&on, "participation tax rate") && !listed(&off, "participation tax rate"));
    assert!(listed(&on, "who gains and who loses") && listed(&off, "who gains and who loses"));
    for (a, b) in [(&on.reform, &off.reform), (&on.baseline, &off.baseline)] {
        for (x, y) in a.years.iter().zip(&b.years) {
            assert!(y.indicators.work_incentives.is_none());
            let rows = |r: Vec<incomesim::indicators::IndicatorRow>| -> Vec<_> {
                r.into_iter()
                    .filter(|r| !r.indicator.starts_with("metr_") && !r.indicator.starts_with("ptr_"))
                    .collect()
            };
            assert_eq!(rows(x.indicators.rows()), rows(y.indicators.rows()), "year {}", x.indicators.year);
            assert_eq!(x.ledger, y.ledger);
            assert!(x.indicators.rows().iter().any(|r| r.indicator == "metr_share_100pct_or_more"));
            assert!(x.indicators.rows().iter().any(|r| r.indicator == "ptr_dibao_aggregate"));
            assert!(x.indicators.rows().iter().any(|r| r.indicator == "ptr_workless_mean_gain"));
        }
    }
    // Every year of both, each group: shares add up and persons are residents'.
    for t in 0..on.reform.years.len() {
        for reform in [true, false] {
            let v = if reform { &on.reform } else { &on.baseline };
            for group in Group::ALL {
                let w = &incentives(&on, t, reform)[group.index()];
                let residents = v.years[t].indicators.groups[group.index()].persons;
                for g in [&w.all, &w.dibao, &w.participation, &w.participation_dibao, &w.participation_workless] {
                    assert!(g.persons > 0.0 && g.persons <= residents);
                    let shares: f64 = g.shares.iter().sum();
                    assert!((shares - 1.0).abs() < 1e-9, "{shares}");
                }
                assert!(w.dibao.persons < w.all.persons);
                assert!(w.participation_dibao.persons < w.participation.persons);
                assert!(w.participation_workless.persons < w.participation.persons);
                // Fewer households have a member without work than have earnings.
                assert!(w.participation.persons < w.all.persons);
                assert!(w.participation.mean_earnings_rise > 0.0);
                // Most earners pay no more than contributions and tax on a rise.
                assert!((0.0..0.5).contains(&w.all.aggregate), "{group:?}: {}", w.all.aggregate);
            }
        }
    }
}

#[test]
fn the_dibao_takes_a_rise_back_yuan_for_yuan() {
    // The base rules on a base-year population, as a static simulation.
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let generator = Generator::calibrate(&profile, 7).expect("calibrates");
    let population = generator.generate(20_000).expect("generates");
    let ctx = YearContext::base(profile.base_year, 7);
    let rules = generator.rules();
    let (mut actual, mut raised) = (population.clone(), population);
    let earners = raise_earnings(&mut raised, EARNINGS_RISE);
    assert!(!earners.is_empty() && earners.windows(2).all(|w| w[0] < w[1]));
    let (mut a, mut b) = (Accounts::default(), Accounts::default());
    rules.apply_year(&ctx, &mut actual, &mut a, &mut LeverColumns::default());
    rules.apply_year(&ctx, &mut raised, &mut b, &mut LeverColumns::default());
    let (mut whole, mut trapped, mut others, mut others_low) = (0, 0, 0, 0);
    for h in 0..actual.household_count() {
        let rise = (b.wage[h] + b.operating[h]) - (a.wage[h] + a.operating[h]);
        if rise <= 1e-3 {
            continue;
        }
        let metr = 1.0 - (b.disposable(h) - a.disposable(h)) / rise;
        let flags = actual.households.flags[h];
        if flags.has(HouseholdFlags::DIBAO) && !flags.has(HouseholdFlags::DIBAO_SINGLE_PERSON) {
            whole += 1;
            trapped += usize::from(MetrBand::of(metr) == MetrBand::From100);
        } else if !flags.has(HouseholdFlags::DIBAO) && !flags.has(HouseholdFlags::EXTREME_POVERTY_SUPPORT) {
            others += 1;
            others_low += usize::from(metr < 0.5);
        }
    }
    // On dibao as a whole: the top-up falls by the rise (unless its members' own units
    // pay more, which the rise does not touch).
    assert!(whole > 100 && trapped as f64 > 0.95 * whole as f64, "{trapped} of {whole}");
    // Off it, contributions and tax take a share.
    assert!(others_low as f64 > 0.95 * others as f64, "{others_low} of {others}");
}

#[test]
fn an_employment_cost_deduction_frees_some_dibao_households_from_the_trap() {
    let s = scenario(&[("dibao", "employment_cost_deduction_per_month = 400")], true);
    let o = run_in(&s, 2);
    let last = o.reform.years.len() - 1;
    let dibao = |reform: bool| -> MetrGroup { incentives(&o, last, reform)[Group::All.index()].dibao };
    let (with, without) = (dibao(true), dibao(false));
    // Earnings the deduction leaves out are no longer taken back; a fixed deduction does
    // not change the rate above it, and takes in households with more earnings (whose
    // rise weighs more in the aggregate rate).
    assert!(with.trapped_share() < 0.75 * without.trapped_share(), "with the deduction {with:?}, without {without:?}");
    assert!(with.persons > without.persons);
}

#[test]
fn the_rates_are_the_same_whatever_the_threads() {
    let s = scenario(&[("dibao", "employment_cost_deduction_per_month = 200")], true);
    let (one, two) = (run_in(&s, 1), run_in(&s, 2));
    for (x, y) in one.reform.years.iter().zip(&two.reform.years) {
        assert_eq!(x.indicators.work_incentives, y.indicators.work_incentives);
    }
}

#[test]
fn one_member_of_a_household_without_earnings_enters_work_at_the_wage_of_the_residence_and_education() {
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let generator = Generator::calibrate(&profile, 7).expect("calibrates");
    let before = generator.generate(5_000).expect("generates");
    let wages = Dynamics::from_profile(&profile).entry_wages(profile.base_year, [1.0; 2]);
    // The dynamics' entry wage rises with education and is higher in towns.
    for r in 0..2 {
        assert!(wages.per_year[r].windows(2).all(|w| w[0] < w[1]), "{:?}", wages.per_year[r]);
    }
    assert!(wages.per_year[0][0] > wages.per_year[1][0]);
    let mut after = before.clone();
    let entrants = enter_work(&mut after, &wages);
    let (mut counted, mut households_with_one) = (0, Vec::new());
    for h in 0..before.household_count() {
        let first = before.members(h).find(|&i| may_enter_work(&before, i));
        if first.is_some() {
            households_with_one.push(h as u32);
        }
        for i in before.members(h) {
            let (b, a) = (&before.persons, &after.persons);
            if Some(i) == first {
                counted += 1;
                assert_eq!(a.employment[i], Employment::LocalEmployee);
                assert_eq!(a.months_in_job[i], 12);
                assert!(a.flags[i].has(PersonFlags::NEW_JOB_THIS_YEAR));
                let expected = wages.of(before.households.residence[h], b.education(i)).round();
                assert_eq!(a.wage[i] as f64, expected);
                assert!(b.wage[i] <= 0.0 && b.operating[i] <= 0.0);
                assert!(matches!(b.employment[i], Employment::Unemployed | Employment::NotInLabourForce));
            } else {
                // Everyone else is left as they were.
                assert_eq!(
                    (a.employment[i], a.wage[i], a.months_in_job[i]),
                    (b.employment[i], b.wage[i], b.months_in_job[i])
                );
            }
        }
    }
    assert_eq!(entrants.len(), counted);
    assert_eq!(entrants, households_with_one);
    // Many households have someone who could take a job, not all.
    let n = entrants.len();
    assert!(n > before.household_count() / 20 && n < before.household_count(), "{n}");
    // A wage of nothing puts nobody into work.
    let mut unchanged = before.clone();
    assert!(enter_work(&mut unchanged, &EntryWages::flat_per_month(0.0)).is_empty());
    assert_eq!(unchanged.persons.employment, before.persons.employment);
    let flat = EntryWages::flat_per_month(2_000.0);
    assert!(Residence::BOTH.iter().all(|&r| flat.of(r, Education::SeniorSecondary) == 24_000.0));
}

#[test]
fn a_given_wage_is_earned_whole_and_the_dibao_takes_a_small_one_back() {
    let run_at = |per_month: f64| {
        let mut s = scenario(&[], true);
        s.participation_wage_per_month = Some(Dated::constant(per_month));
        run_in(&s, 2)
    };
    let (small, large) = (run_at(50.0), run_at(3_000.0));
    for t in 0..small.baseline.years.len() {
        for (o, per_month) in [(&small, 50.0), (&large, 3_000.0)] {
            for group in Group::ALL {
                // The base rules change no wage: each entrant's household earns the wage
                // of twelve months, no more, no less.
                let p = incentives(o, t, false)[group.index()].participation;
                assert!((p.mean_earnings_rise - 12.0 * per_month).abs() < 1e-6, "{t} {group:?}: {p:?}");
            }
        }
        let dibao = |o: &Outcome| incentives(o, t, false)[Group::All.index()].participation_dibao;
        let (s, l) = (dibao(&small), dibao(&large));
        // 600 yuan a year leaves a household on dibao, whose top-up falls by as much for
        // those whose unit counts the new earner; 36,000 takes it off dibao, which
        // costs it the top-up, a part of the wage.
        assert!(s.trapped_share() > 0.4, "small: {s:?}");
        assert!(l.aggregate < 0.6 && l.aggregate > 0.05, "large: {l:?}");
        assert!(s.aggregate > l.aggregate + 0.15, "small {s:?}, large {l:?}");
        assert!(s.trapped_share() > 5.0 * l.trapped_share(), "small {s:?}, large {l:?}");
        // Whoever enters work is chosen before the levers, whatever the wage.
        assert_eq!(s.persons, l.persons);
    }
}

#[test]
fn the_quintile_groups_add_up_to_the_whole_whether_the_run_streams_or_not() {
    let s = scenario(&[("dibao", "rural_threshold_per_month = 600")], true);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
    let whole = pool.install(|| Projection::new(&s).pilot_households(4 * BLOCK).run()).expect("runs");
    let streamed = run_in(&s, 2);
    assert_eq!((whole.stream.blocks, streamed.stream.blocks), (3, 3));
    for o in [&whole, &streamed] {
        for t in 0..o.reform.years.len() {
            for reform in [true, false] {
                for group in Group::ALL {
                    let w = &incentives(o, t, reform)[group.index()];
                    assert!(w.has_quintiles);
                    for (total, by) in [(&w.all, &w.by_quintile), (&w.participation, &w.participation_by_quintile)] {
                        let persons: f64 = by.iter().map(|g| g.persons).sum();
                        assert!((persons - total.persons).abs() <= 1e-9 * total.persons, "{persons} against {total:?}");
                    }
                }
                // Households with a member who could take a job are poorer: more of them
                // in the lowest fifth than in the highest.
                let all = &incentives(o, t, reform)[Group::All.index()];
                let p = &all.participation_by_quintile;
                assert!(p[0].persons > 2.0 * p[4].persons, "{p:?}");
                let rows = o.reform.years[t].indicators.rows();
                assert!(rows.iter().any(|r| r.indicator == "ptr_aggregate_quintile_5"));
            }
        }
    }
}

#[test]
fn the_participation_rate_counts_only_the_households_of_the_entrants() {
    // Base-year rules and public-welfare posts for the unemployed: a post an entrant no
    // longer takes goes to someone else, in another household.
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let generator = Generator::calibrate(&profile, 7).expect("calibrates");
    let population = generator.generate(6_000).expect("generates");
    let ctx = YearContext::base(profile.base_year, 7);
    let mut rules = generator.rules().clone();
    let params: toml::Table = toml::from_str("posts_per_year = 4000\npay_per_month = 1500").expect("toml");
    let context = incomesim::policy::registry::BuildContext::new(&profile);
    rules.insert(incomesim::policy::registry::build("public_welfare_posts", context, &params).expect("lever"));
    let wages = Dynamics::from_profile(&profile).entry_wages(profile.base_year, [1.0; 2]);
    let (mut actual, mut entered) = (population.clone(), population);
    let entrants = enter_work(&mut entered, &wages);
    let (mut a, mut b) = (Accounts::default(), Accounts::default());
    rules.apply_year(&ctx, &mut actual, &mut a, &mut LeverColumns::default());
    rules.apply_year(&ctx, &mut entered, &mut b, &mut LeverColumns::default());
    let (mut all_rises, mut entrant_rises) = (Vec::new(), Vec::new());
    let everyone: Vec<u32> = (0..actual.household_count() as u32).collect();
    let every = incomesim::indicators::MetrSums::of(&actual, &a, &b, &everyone, &mut all_rises);
    let only = incomesim::indicators::MetrSums::of(&actual, &a, &b, &entrants, &mut entrant_rises);
    assert!(entrant_rises.iter().all(|r| entrants.binary_search(&r.household).is_ok()));
    // Without the list, households that took the posts the entrants left would count.
    let others = all_rises.iter().filter(|r| entrants.binary_search(&r.household).is_err()).count();
    assert!(others > 0, "no post changed hands");
    assert!(only.groups[0].persons + only.groups[1].persons < every.groups[0].persons + every.groups[1].persons);
}
