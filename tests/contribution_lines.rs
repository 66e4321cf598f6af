//! The contribution rules' lines are shares of the base year's mean wage of urban
//! employees, measured by calibration: the floor and ceiling of the base (60% and 300%)
//! and the informal line (40%), below which a job pays no contributions. A base year
//! with lower wages has lower lines, so the share of urban employees left uncovered
//! does not depend on the year's price level.

use incomesim::generate::Generator;
use incomesim::model::{Employment, Residence};
use incomesim::policy::base::{CONTRIBUTION_BASE_MAX_SHARE, CONTRIBUTION_BASE_MIN_SHARE, INFORMAL_WAGE_SHARE};
use incomesim::region::Profile;

const SEED: u64 = 5;
const HOUSEHOLDS: usize = 20_000;

/// The weighted share of urban local employees (with a wage) that pay no
/// contributions, after checking each one against the line.
fn uncovered_share(generator: &Generator) -> f64 {
    let lines = generator.base_calibration().contribution_lines();
    let (pop, accounts) = generator.generate_chunk(0, HOUSEHOLDS, HOUSEHOLDS as u64);
    let (mut all, mut uncovered) = (0.0, 0.0);
    for h in 0..pop.household_count() {
        if pop.households.residence[h] != Residence::Urban {
            continue;
        }
        let w = f64::from(pop.households.weight[h]);
        for i in pop.members(h) {
            let wage = f64::from(pop.persons.wage[i]);
            if pop.persons.employment[i] != Employment::LocalEmployee || wage <= 0.0 {
                continue;
            }
            let paid = f64::from(accounts.contribution(i));
            if wage < lines.informal_below {
                assert_eq!(paid, 0.0, "an informal wage of {wage} paid {paid}");
                uncovered += w;
            } else {
                // 10.5% of the wage within the base's bounds.
                let base = wage.clamp(lines.base_min, lines.base_max);
                assert!((paid - 0.105 * base).abs() <= 0.01 * paid, "{wage}: {paid} against {}", 0.105 * base);
            }
            all += w;
        }
    }
    uncovered / all
}

#[test]
fn the_lines_are_shares_of_the_measured_mean_wage_and_leave_alike_shares_uncovered() {
    let mut shares = vec![];
    let mut wages = vec![];
    for id in ["national-2015", "national-2022"] {
        let generator = Generator::calibrate(&Profile::builtin(id).expect("profile"), SEED).expect("calibrates");
        let mean = generator.params().urban_employee_wage;
        let lines = generator.base_calibration().contribution_lines();
        assert_eq!(lines.base_min, CONTRIBUTION_BASE_MIN_SHARE * mean);
        assert_eq!(lines.base_max, CONTRIBUTION_BASE_MAX_SHARE * mean);
        assert_eq!(lines.informal_below, INFORMAL_WAGE_SHARE * mean);
        let share = uncovered_share(&generator);
        eprintln!(
            "{id}: urban employees' mean wage {mean:.0}, informal line {:.0}, uncovered {share:.3}",
            lines.informal_below
        );
        shares.push(share);
        wages.push(mean);
    }
    // Wages rose by half from 2015 to 2022, and so did the lines.
    assert!(wages[1] / wages[0] > 1.4, "{wages:?}");
    // A fixed line of 30,000 yuan left 38% of 2015's urban employees uncovered and 16%
    // of 2022's; lines that follow the mean leave alike shares.
    for s in &shares {
        assert!((0.05..0.3).contains(s), "{shares:?}");
    }
    assert!((shares[0] - shares[1]).abs() < 0.08, "{shares:?}");
}

#[test]
fn a_scenario_may_still_set_the_lines_in_yuan_and_the_levers_list_says_they_are_calibrated() {
    let spec = incomesim::policy::registry::registry()
        .into_iter()
        .find(|s| s.name == "social_contributions")
        .expect("the lever");
    for name in ["base_min", "base_max", "informal_below"] {
        let p = spec.parameter(name).expect("parameter");
        assert!(p.default.to_string().starts_with("calibrated:"), "{name}: {}", p.default);
        assert!(p.description.contains("assumption"), "{name} is listed among the assumed defaults");
    }
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let generator = Generator::calibrate(&profile, SEED).expect("calibrates");
    let context = incomesim::policy::registry::BuildContext {
        base_year: profile.base_year,
        profile: &profile,
        calibration: Some(generator.base_calibration()),
    };
    let table: toml::Table = toml::from_str("informal_below = 12345").expect("toml");
    let set = incomesim::policy::registry::build("social_contributions", context, &table).expect("builds");
    let text = format!("{set:?}");
    assert!(text.contains("informal_below: 12345.0"), "{text}");
    let lines = generator.base_calibration().contribution_lines();
    assert!(text.contains(&format!("base_min: {:?}", lines.base_min)), "{text}");
}
