//! Retirees with an employer-scheme pension: calibrated to a profile's count where it
//! gives one, drawn consistently with the statutory ages, and reported as the
//! `retirees` indicator.

use incomesim::Population;
use incomesim::dynamics::StatutoryRetirement;
use incomesim::engine::{Projection, Scenario};
use incomesim::generate::Generator;
use incomesim::indicators::Group;
use incomesim::model::{Employment, Residence};
use incomesim::region::Profile;
use incomesim::scenario::parse_str;

const SEED: u64 = 12;
const HOUSEHOLDS: usize = 40_000;

/// Weighted persons drawing an employer-scheme pension.
fn retirees(pop: &Population) -> f64 {
    (0..pop.household_count())
        .map(|h| {
            let n = pop.members(h).filter(|&i| pop.persons.employment[i] == Employment::Retired).count();
            f64::from(pop.households.weight[h]) * n as f64
        })
        .sum()
}

#[test]
fn the_count_of_retirees_is_met_by_the_urban_olds_share_and_without_it_the_share_is_the_profiles() {
    let profile = Profile::builtin("national-2022").expect("profile");
    let target = profile.population.employee_scheme_retirees.as_ref().expect("national-2022 gives the count").value;
    let generator = Generator::calibrate(&profile, SEED).expect("calibrates");
    let pop = generator.generate_chunk(0, HOUSEHOLDS, HOUSEHOLDS as u64).0;
    let got = retirees(&pop);
    eprintln!("retirees {:.1} million against {:.2}", got / 1e6, target / 1e6);
    // Fitted on the calibration sample, drawn afresh here.
    assert!((got / target - 1.0).abs() < 0.03, "{got} against {target}");
    let fitted = generator.params().areas[Residence::Urban.index()].retiree_share_60_plus;
    assert!((fitted - profile.shape.urban.retiree_share_60_plus.value).abs() > 0.01, "the share moved: {fitted}");

    // A city extending the nation (its own residents) does not inherit its count: its
    // share is its own.
    let city = Profile::builtin("wuzhong-2022").expect("profile");
    assert!(city.population.employee_scheme_retirees.is_none());
    let generator = Generator::calibrate(&city, SEED).expect("calibrates");
    let share = generator.params().areas[Residence::Urban.index()].retiree_share_60_plus;
    assert_eq!(share, city.shape.urban.retiree_share_60_plus.value);
}

#[test]
fn no_covered_employee_is_drawn_past_the_statutory_age() {
    let profile = Profile::builtin("national-2022").expect("profile");
    let generator = Generator::calibrate(&profile, SEED).expect("calibrates");
    let pop = generator.generate_chunk(0, HOUSEHOLDS, HOUSEHOLDS as u64).0;
    let line = generator.base_calibration().contribution_lines().informal_below;
    let (mut covered_past, mut informal_past, mut women_retired_under_60) = (0, 0, 0);
    for h in 0..pop.household_count() {
        let residence = pop.households.residence[h];
        for i in pop.members(h) {
            let (e, age, sex) = (pop.persons.employment[i], pop.persons.age[i], pop.persons.sex[i]);
            if e.retires_at_statutory_age(residence) && StatutoryRetirement::CHINA_2024.reached(sex, e, age, 2022) {
                if e.covered_by_employer_pension(residence, pop.persons.full_year_wage(i), line) {
                    covered_past += 1;
                } else {
                    // Only an employee in a town paid below the informal-wage line keeps
                    // the job: it pays no contributions to draw a pension on.
                    assert_eq!(e, Employment::LocalEmployee);
                    assert!(pop.persons.full_year_wage(i) < line, "{}", pop.persons.wage[i]);
                    informal_past += 1;
                }
            }
            women_retired_under_60 += usize::from(e == Employment::Retired && age < 60);
        }
    }
    assert_eq!(covered_past, 0, "covered employees past their statutory age");
    // Women of 50–59 drawn into covered jobs are retirees instead, but for those whose
    // job is informal.
    assert!(women_retired_under_60 > 0);
    assert!(
        informal_past > 0 && informal_past < women_retired_under_60 / 2,
        "{informal_past} {women_retired_under_60}"
    );
}

#[test]
fn the_retirees_indicator_counts_the_persons_paid_an_employer_pension() {
    let text = "name = \"retirees\"\nregion = \"national-2022\"\nhouseholds = 6000\nseed = 3\nlast_year = 2023\nshapley = false\n";
    let scenario: Scenario = parse_str(text, "retirees.toml").expect("scenario");
    let outcome = Projection::new(&scenario).run().expect("runs");
    let generator = Generator::calibrate(&Profile::builtin("national-2022").expect("profile"), 3).expect("calibrates");
    let base = generator.generate(6_000).expect("generates");
    let y = outcome.reform.year(2022).expect("2022");
    let all = y.group(Group::All).old_age.retirees;
    assert!((all / retirees(&base) - 1.0).abs() < 1e-9, "{all} against {}", retirees(&base));
    let parts = y.group(Group::Urban).old_age.retirees + y.group(Group::Rural).old_age.retirees;
    assert!((parts / all - 1.0).abs() < 1e-9);
    // Retirees grow in the projection: the 1963 cohort reaches 60 in 2023.
    assert!(outcome.reform.year(2023).expect("2023").group(Group::All).old_age.retirees > all);
}
