//! The yearly processes: determinism over chunks and threads, the life table, births,
//! household size, urbanisation, common random numbers and sane money.

use std::collections::HashMap;
use std::sync::OnceLock;

use incomesim::Population;
use incomesim::dynamics::{Dynamics, nonfarm_share_of, split_id};
use incomesim::generate::Generator;
use incomesim::model::{Employment, HouseholdRecord, PersonRecord, Residence};
use incomesim::policy::{Dated, YearContext};
use incomesim::region::Profile;
use rayon::prelude::*;

const SEED: u64 = 17;

fn profile() -> &'static Profile {
    static P: OnceLock<Profile> = OnceLock::new();
    P.get_or_init(|| Profile::builtin("national-2022").expect("profile"))
}

fn generator() -> &'static Generator {
    static G: OnceLock<Generator> = OnceLock::new();
    G.get_or_init(|| Generator::calibrate(profile(), SEED).expect("calibrates"))
}

fn population(households: usize) -> Population {
    generator().generate_chunk(0, households, households as u64).0
}

fn ctx(year: u16) -> YearContext {
    let mut c = YearContext::base(year, SEED);
    c.base_year = 2022;
    c
}

fn run(d: &Dynamics, pop: &mut Population, years: std::ops::RangeInclusive<u16>) {
    for y in years {
        d.advance(&ctx(y), pop);
        pop.check_invariants().expect("invariants hold");
    }
}

fn defaults(pop: &Population) -> Dynamics {
    let mut d = Dynamics::from_profile(profile());
    d.calibrate_fertility(pop);
    d
}

fn weighted_size(pop: &Population) -> f64 {
    let w: f64 = pop.households.weight.iter().map(|&w| w as f64).sum();
    pop.weighted_persons() / w
}

fn urban_share(pop: &Population) -> f64 {
    let urban: f64 = (0..pop.household_count())
        .filter(|&h| pop.households.residence[h] == Residence::Urban)
        .map(|h| pop.households.weight[h] as f64 * pop.households.size[h] as f64)
        .sum();
    urban / pop.weighted_persons()
}

type Household = (HouseholdRecord, Vec<PersonRecord>);

fn by_id(pop: &Population) -> HashMap<u64, Household> {
    (0..pop.household_count())
        .map(|h| {
            (pop.household_id(h), (pop.households.record(h), pop.members(h).map(|i| pop.persons.record(i)).collect()))
        })
        .collect()
}

#[test]
fn chunks_and_threads_do_not_change_results() {
    let n = 6_000;
    let base = population(n);
    let d = defaults(&base);
    let mut whole = base.clone();
    run(&d, &mut whole, 2023..=2025);
    assert!(whole.household_count() > 0);
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        let mut chunks: Vec<Population> = [(0, 2_500), (2_500, 1_000), (3_500, 2_500)]
            .iter()
            .map(|&(f, c)| generator().generate_chunk(f, c, n as u64).0)
            .collect();
        pool.install(|| {
            chunks.par_iter_mut().for_each(|c| {
                for y in 2023..=2025 {
                    d.advance(&ctx(y), c);
                }
            })
        });
        let mut joined = Population::empty(0);
        for c in chunks {
            joined.append(c);
        }
        joined.check_invariants().expect("invariants hold");
        assert_eq!(joined, whole, "{threads} thread(s), three chunks against the whole population");
    }
}

#[test]
fn share_aged_60_plus_matches_the_life_table() {
    let pop = population(40_000);
    let mut d = Dynamics::none();
    d.life_table = Dynamics::from_profile(profile()).life_table;
    d.mortality_scale = Dated::constant(1.0);
    // Expected survivors 60+ (aged 59+ now) and under 60, with Bernoulli variances.
    let (mut old, mut old_var, mut young, mut young_var) = (0.0, 0.0, 0.0, 0.0);
    for i in 0..pop.person_count() {
        let q = d.death_probability(pop.persons.sex[i], pop.persons.age[i], 2023);
        if pop.persons.age[i] >= 59 {
            old += 1.0 - q;
            old_var += q * (1.0 - q);
        } else {
            young += 1.0 - q;
            young_var += q * (1.0 - q);
        }
    }
    let mut after = pop.clone();
    d.advance(&ctx(2023), &mut after);
    after.check_invariants().expect("invariants hold");
    let observed_old = after.persons.age.iter().filter(|&&a| a >= 60).count() as f64;
    let observed_share = observed_old / after.person_count() as f64;
    let expected_share = old / (old + young);
    let se_share = ((young * young * old_var + old * old * young_var) / (old + young).powi(4)).sqrt();
    assert!(
        (observed_old - old).abs() < 3.0 * old_var.sqrt(),
        "60+ count {observed_old} against {old:.1} ± {:.1}",
        old_var.sqrt()
    );
    assert!(
        (observed_share - expected_share).abs() < 3.0 * se_share,
        "60+ share {observed_share:.5} against {expected_share:.5} ± {se_share:.5}"
    );
    // Deaths happened, at a plausible crude rate (7.37 per mille in 2022, lever_parameters.csv).
    let deaths = pop.person_count() - after.person_count();
    let rate = deaths as f64 / pop.person_count() as f64;
    assert!(rate > 0.003 && rate < 0.02, "crude death rate {rate}");
}

#[test]
fn births_match_the_crude_birth_rate() {
    let pop = population(200_000);
    let full = defaults(&pop);
    let mut d = Dynamics::none();
    d.crude_birth_rate = full.crude_birth_rate.clone();
    d.fertile_weight = full.fertile_weight;
    let persons = pop.weighted_persons();
    let mut after = pop.clone();
    d.advance(&ctx(2023), &mut after);
    after.check_invariants().expect("invariants hold");
    let births: f64 = (0..after.household_count())
        .map(|h| {
            after.households.weight[h] as f64 * after.members(h).filter(|&i| after.persons.age[i] == 0).count() as f64
        })
        .sum();
    let rate = births / persons;
    // The published rate of 2023, 6.39 per mille (demography.csv).
    assert!((rate / 0.00639 - 1.0).abs() < 0.06, "crude birth rate {rate}");
}

/// Weighted persons aged 0 over weighted persons: the year's births (less infant
/// deaths) per person.
fn newborn_share(pop: &Population) -> f64 {
    let births: f64 = (0..pop.household_count())
        .map(|h| pop.households.weight[h] as f64 * pop.members(h).filter(|&i| pop.persons.age[i] == 0).count() as f64)
        .sum();
    births / pop.weighted_persons()
}

/// As the population ages, fewer of its women are of childbearing age: the engine
/// measures the fertile weight at the start of every year (`YearStart::fertile_weight`,
/// `fertile_weight_of`), so each year's crude birth rate is met on that year's ages.
/// The base year's weight carried on would fall short of the rate more every year.
#[test]
fn births_meet_each_years_rate_as_the_population_ages() {
    let pop = population(100_000);
    let d = defaults(&pop);
    let (mut measured, mut fixed) = (pop.clone(), pop);
    let last = 2030;
    for y in 2023..=last {
        let start = d.year_start_of(&[&measured], &ctx(y));
        assert_eq!(Some(start.fertile_weight), incomesim::dynamics::fertile_weight_of([&measured]));
        d.advance_with(&ctx(y), &start, &mut measured);
        d.advance(&ctx(y), &mut fixed);
    }
    let target = *d.crude_birth_rate.at(incomesim::policy::YearMonth::start_of(last));
    let (rate, stale) = (newborn_share(&measured), newborn_share(&fixed));
    eprintln!("{last}: crude birth rate {rate:.5} (fixed weight {stale:.5}) against {target:.5}");
    // About 1,500 births at 100,000 households: 6% is more than twice their sampling error.
    assert!((rate / target - 1.0).abs() < 0.06, "{last}: {rate} against {target}");
    assert!(stale < rate, "the base year's weight gives fewer births as the population ages: {stale} {rate}");
}

#[test]
fn household_size_falls_over_ten_years_and_money_stays_sane() {
    let mut pop = population(20_000);
    let d = defaults(&pop);
    let before = weighted_size(&pop);
    run(&d, &mut pop, 2023..=2032);
    let after = weighted_size(&pop);
    eprintln!("mean household size {before:.3} -> {after:.3}");
    // The census trend: 3.10 in 2010 to 2.62 in 2020, -0.048 a year.
    assert!(after < before - 0.25, "size {before} -> {after}");
    assert!(after > before - 0.7, "size {before} -> {after}");
    assert!(pop.persons.wage.iter().all(|w| w.is_finite() && *w >= 0.0));
    assert!(pop.persons.operating.iter().all(|w| w.is_finite()));
    assert!(pop.households.size.iter().all(|&s| s >= 1));
    let employees = pop.persons.employment.iter().filter(|e| **e == Employment::LocalEmployee).count();
    assert!(employees > 0);
}

#[test]
fn urbanisation_follows_its_target_path() {
    let mut pop = population(20_000);
    let d = defaults(&pop);
    let start = urban_share(&pop);
    let target_base = *d.urban_share.at(incomesim::policy::YearMonth::start_of(2022));
    for y in 2023..=2027 {
        // As the engine does: the share of rural persons in households working off the
        // farm, measured on the whole population at the start of each year.
        let nonfarm = nonfarm_share_of([&pop]).expect("rural persons");
        assert!(nonfarm > 0.3 && nonfarm < 1.0, "{nonfarm}");
        let year_start = incomesim::dynamics::YearStart { nonfarm_share: nonfarm, ..d.fixed_year_start() };
        d.advance_with(&ctx(y), &year_start, &mut pop);
        let target = start + d.urban_share.at(incomesim::policy::YearMonth::start_of(y)) - target_base;
        let share = urban_share(&pop);
        eprintln!("{y}: urban share {share:.4}, target {target:.4}");
        assert!((share - target).abs() < 0.005, "{y}: urban share {share:.4} against {target:.4}");
    }
}

#[test]
fn one_wage_changes_no_other_household() {
    let a0 = population(3_000);
    let d = defaults(&a0);
    let k = (0..a0.household_count())
        .find(|&h| a0.members(h).any(|i| a0.persons.employment[i] == Employment::LocalEmployee))
        .expect("an employee");
    let i = a0.members(k).find(|&i| a0.persons.employment[i] == Employment::LocalEmployee).expect("employee");
    let mut b0 = a0.clone();
    b0.persons.wage[i] *= 1.5;
    let (mut a, mut b) = (a0.clone(), b0);
    run(&d, &mut a, 2023..=2025);
    run(&d, &mut b, 2023..=2025);
    let kid = a0.household_id(k);
    let mut lineage = vec![kid];
    for y in 2023..=2025u16 {
        for parent in lineage.clone() {
            lineage.extend((0..16).map(|p| split_id(parent, y, p)));
        }
    }
    let (ma, mb) = (by_id(&a), by_id(&b));
    let mut compared = 0;
    for (id, ha) in &ma {
        if lineage.contains(id) {
            continue;
        }
        assert_eq!(Some(ha), mb.get(id), "household {id} differs");
        compared += 1;
    }
    assert_eq!(compared + ma.keys().filter(|id| lineage.contains(id)).count(), ma.len());
    assert_eq!(ma.len(), mb.len());
    // The changed household itself sees the same deaths, births and moves.
    let (sa, sb) = (&ma[&kid].1, &mb[&kid].1);
    assert_eq!(sa.iter().map(|p| p.age).collect::<Vec<_>>(), sb.iter().map(|p| p.age).collect::<Vec<_>>());
}

/// Weighted shares of students, the unemployed and the inactive among persons aged
/// 16–59 of one residence.
fn activity_shares(pop: &Population, residence: Residence) -> [f64; 3] {
    let (mut total, mut shares) = (0.0, [0.0; 3]);
    for h in (0..pop.household_count()).filter(|&h| pop.households.residence[h] == residence) {
        let w = pop.households.weight[h] as f64;
        for i in pop.members(h).filter(|&i| (16..=59).contains(&pop.persons.age[i])) {
            total += w;
            match pop.persons.employment[i] {
                Employment::Student => shares[0] += w,
                Employment::Unemployed => shares[1] += w,
                Employment::NotInLabourForce => shares[2] += w,
                _ => {}
            }
        }
    }
    shares.map(|s| s / total)
}

#[test]
fn activity_shares_of_working_ages_hold_from_year_to_year() {
    // The generator and the chain share the schooling rule (students only below 25,
    // leaving at one rate) and school leavers and returning migrants take up activities
    // as job leavers do, so the profile's shares of ages 16–59 are where the chain
    // stays: no jump in the first projected year.
    let mut pop = population(30_000);
    let d = defaults(&pop);
    let base = [Residence::Urban, Residence::Rural].map(|r| activity_shares(&pop, r));
    for (r, shape) in [&profile().shape.urban, &profile().shape.rural].iter().enumerate() {
        let s = &shape.employment_16_59.value;
        for (k, (name, want)) in [("student", s.student), ("unemployed", s.unemployed)].into_iter().enumerate() {
            // The raked weights move the shares a little (urban unemployed 0.0457 against
            // 0.04 before the support of workless households was calibrated, 0.0461 after;
            // 0.0486 since urban women of 50–59 are retired only where drawn into covered
            // jobs past their statutory age, not at random whatever their activity).
            assert!((base[r][k] - want).abs() < 0.01, "residence {r} {name}: base {:.4} against {want}", base[r][k]);
        }
    }
    for y in 2023..=2027 {
        d.advance(&ctx(y), &mut pop);
        for (r, residence) in [Residence::Urban, Residence::Rural].into_iter().enumerate() {
            let now = activity_shares(&pop, residence);
            eprintln!("{y} {residence:?}: students, unemployed, inactive {now:.4?} (base {:.4?})", base[r]);
            // The first year moves them little (it moved students by 2.6 and rural unemployment
            // by 1.4 points when the two rules differed); later years drift with the
            // age structure (smaller cohorts reaching 16).
            let bound = if y == 2023 { 0.008 } else { 0.012 };
            for k in 0..3 {
                let (n, b) = (now[k], base[r][k]);
                assert!((n - b).abs() < bound, "{y} {residence:?} share {k}: {n:.4} from {b:.4}");
            }
        }
        for i in 0..pop.person_count() {
            let (age, e) = (pop.persons.age[i], pop.persons.employment[i]);
            assert!(!(age >= 25 && e == Employment::Student), "a student aged {age}");
            assert!(!(age >= 60 && e == Employment::Unemployed), "an unemployed person aged {age}");
        }
    }
}

/// Weighted share of each activity among persons aged 60+ of one residence.
fn old_age_shares(pop: &Population, residence: Residence) -> HashMap<Employment, f64> {
    let (mut total, mut shares) = (0.0, HashMap::new());
    for h in (0..pop.household_count()).filter(|&h| pop.households.residence[h] == residence) {
        let w = pop.households.weight[h] as f64;
        for i in pop.members(h).filter(|&i| pop.persons.age[i] >= 60) {
            total += w;
            *shares.entry(pop.persons.employment[i]).or_insert(0.0) += w;
        }
    }
    shares.values_mut().for_each(|s| *s /= total);
    shares
}

#[test]
fn the_working_old_keep_their_mix() {
    // The generator draws the working 60+ in the activities the dynamics carry past 60,
    // in the proportions of ages 16–59: rural local wage workers among them (they were
    // all drawn as farmers before, and the rural 60+ local employees then grew from 0 to
    // 5% in three years as 59-year-olds carried their jobs past 60).
    let mut pop = population(30_000);
    let d = defaults(&pop);
    let base = old_age_shares(&pop, Residence::Rural);
    assert!(base.get(&Employment::LocalEmployee).copied().unwrap_or(0.0) > 0.05, "{base:?}");
    for y in 2023..=2026 {
        d.advance(&ctx(y), &mut pop);
        let now = old_age_shares(&pop, Residence::Rural);
        for e in [
            Employment::LocalEmployee,
            Employment::MigrantShortTerm,
            Employment::FarmerHerder,
            Employment::SelfEmployed,
        ] {
            let (b, n) = (base.get(&e).copied().unwrap_or(0.0), now.get(&e).copied().unwrap_or(0.0));
            eprintln!("{y} rural 60+ {e:?}: {n:.4} (base {b:.4})");
            // Since rural residents are older than urban ones (the census ratio of the
            // profile's 60+ and 65+ bands), the cohorts reaching 60 are smaller against
            // the rural old, and their local wage workers drift 2.0 points in four years
            // (0.1350 to 0.1150 by 2026).
            assert!((n - b).abs() < 0.025, "{y} rural 60+ {e:?}: {n:.4} from {b:.4}");
        }
    }
}

#[test]
fn pay_rates_grow_with_urban_wages_in_towns_and_migrant_pay_in_the_countryside() {
    let mut d = Dynamics::from_profile(profile());
    assert_eq!(d.wage_index(2022), [1.0, 1.0], "the base year");
    d.wage_growth[0] = Dated::constant(0.05);
    d.wage_growth[1] = Dated::constant(0.50);
    d.wage_growth[2] = Dated::constant(0.03);
    let [urban, rural] = d.wage_index(2024);
    assert!((urban - 1.05 * 1.05).abs() < 1e-12, "{urban}");
    // Rural pay rates follow migrant workers' pay, not rural per-capita wage income.
    assert!((rural - 1.03 * 1.03).abs() < 1e-12, "{rural}");
    // The published series: migrant pay grew more slowly than rural per-capita wage
    // income in 2023 and 2024.
    let published = Dynamics::from_profile(profile());
    let [urban, rural] = published.wage_index(2024);
    let rural_per_capita: f64 =
        (2023..=2024).map(|y| 1.0 + published.wage_growth[1].at(incomesim::policy::YearMonth::start_of(y))).product();
    assert!(urban > 1.05 && rural > 1.03 && rural < rural_per_capita, "{urban} {rural} {rural_per_capita}");
}

#[test]
fn a_new_short_term_migrant_job_pays_the_places_level_times_the_published_premium() {
    // Outgoing over local migrant workers' monthly pay, 2022 (migrant_workers.csv).
    let d = Dynamics::from_profile(profile());
    assert!((d.migrant_premium - 5240.0 / 4026.0).abs() < 1e-12, "{}", d.migrant_premium);
    let earlier = Dynamics::from_profile(&Profile::builtin("national-2015").expect("profile"));
    assert!((earlier.migrant_premium - 3805.0 / 3173.0).abs() < 1e-12, "the first published year, 2017");
    // New jobs of one year in rural households, per full year worked: short-term migrant
    // jobs pay the premium over local jobs (transitions do not depend on education, so
    // both draw the same education mix), not the national outgoing pay (2.4 times the
    // rural new-job wage in national-2022).
    let mut pop = population(120_000);
    let d = defaults(&pop);
    d.advance(&ctx(2023), &mut pop);
    let mut sums = HashMap::new();
    for h in 0..pop.household_count() {
        if pop.households.residence[h] != Residence::Rural {
            continue;
        }
        for i in pop.members(h) {
            let p = &pop.persons;
            let new = p.flags[i].has(incomesim::model::PersonFlags::NEW_JOB_THIS_YEAR) && p.months_in_job[i] == 12;
            if new && matches!(p.employment[i], Employment::MigrantShortTerm | Employment::LocalEmployee) {
                let e: &mut (f64, f64) = sums.entry(p.employment[i]).or_default();
                e.0 += p.wage[i] as f64;
                e.1 += 1.0;
            }
        }
    }
    let mean = |e: Employment| sums.get(&e).filter(|s| s.1 >= 100.0).map(|s| s.0 / s.1).expect("new jobs of the kind");
    let ratio = mean(Employment::MigrantShortTerm) / mean(Employment::LocalEmployee);
    assert!((ratio / d.migrant_premium - 1.0).abs() < 0.1, "{ratio}");
}
