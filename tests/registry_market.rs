//! Registry entries of the market levers (wages, employment, farm, property): invalid
//! parameters are rejected naming the lever, the field and the value, and every
//! builder really reads its parameters (a non-default value changes what a small
//! hand-built household receives).

use incomesim::Error;
use incomesim::model::{
    Disability, Employment, HouseholdFlags, HouseholdRecord, Occupation, PersonRecord, Population, Residence,
};
use incomesim::policy::registry::{BuildContext, build, find};
use incomesim::policy::{Ledger, Lever, LeverColumns, LeverSet, YearContext};
use incomesim::region::Profile;

/// Base year of the build context (the Liupanshui profile's, 2021).
const BASE_YEAR: u16 = 2021;

fn table(text: &str) -> toml::Table {
    toml::from_str(text).expect("valid TOML")
}

fn try_build(lever: &str, params: &str) -> incomesim::Result<Box<dyn Lever>> {
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    assert_eq!(profile.base_year, BASE_YEAR);
    let ctx = BuildContext { base_year: BASE_YEAR, profile: &profile, calibration: None };
    build(lever, ctx, &table(params))
}

/// Asserts that `params` are rejected with an [`Error::InvalidLever`] naming `lever`, a
/// field starting with `field` and a value containing `value`.
fn expect_invalid(lever: &str, params: &str, field: &str, value: &str) {
    match try_build(lever, params) {
        Err(Error::InvalidLever { lever: l, field: f, value: v, problem }) => {
            assert_eq!(l, lever, "{params}");
            assert!(f.starts_with(field), "{lever} {params}: field {f}, expected {field}");
            assert!(v.contains(value), "{lever} {params}: value {v}, expected {value}");
            assert!(!problem.is_empty());
        }
        Err(other) => panic!("{lever} {params}: wrong error {other}"),
        Ok(_) => panic!("{lever} {params}: accepted"),
    }
}

type Household = (HouseholdRecord, Vec<PersonRecord>);

fn person(age: u8, employment: Employment) -> PersonRecord {
    PersonRecord { age, employment, months_in_job: if employment.is_working() { 12 } else { 0 }, ..Default::default() }
}

fn rural(members: Vec<PersonRecord>) -> Household {
    (HouseholdRecord::default(), members)
}

fn urban(members: Vec<PersonRecord>) -> Household {
    (HouseholdRecord { residence: Residence::Urban, ..Default::default() }, members)
}

/// Builds `lever` from `params`, applies it for `year` to the households; returns the
/// ledger and the lever's column (yuan per household).
fn run(lever: &str, params: &str, households: &[Household], year: u16) -> (Ledger, Vec<f64>) {
    let built = try_build(lever, params).unwrap_or_else(|e| panic!("{lever} {params}: {e}"));
    assert_eq!(built.name(), lever);
    let mut pop = Population::empty(0);
    for (h, m) in households {
        pop.push_household(h, m);
    }
    let set = LeverSet::new().with(built);
    let mut accounts = incomesim::model::Accounts::default();
    let mut columns = LeverColumns::default();
    let ledger = set.apply_year(&YearContext::base(year, 11), &mut pop, &mut accounts, &mut columns);
    (ledger, columns.paid.remove(0))
}

fn paid(lever: &str, params: &str, households: &[Household], year: u16) -> Vec<f64> {
    run(lever, params, households, year).1
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-3, "{a} != {b}");
}

#[test]
fn every_market_lever_is_registered_under_its_own_name() {
    for name in [
        "minimum_wage",
        "wage_guideline",
        "public_sector_pay",
        "rural_doctor_teacher_allowances",
        "work_for_relief",
        "public_welfare_posts",
        "labour_transfer",
        "skills_training",
        "start_up_support",
        "farm_productivity",
        "enterprise_linkage",
        "land_transfer",
        "collective_dividend",
        "property_income_growth",
    ] {
        let spec = find(name).expect("registered");
        assert!(!spec.parameters.is_empty(), "{name}");
        for p in spec.parameters {
            assert!(!p.unit.is_empty() && !p.description.is_empty(), "{name}.{}", p.name);
        }
    }
}

// --- Invalid parameters -----------------------------------------------------------

#[test]
fn minimum_wage_rejects_invalid_parameters() {
    // Negative money in the second tier.
    expect_invalid("minimum_wage", "floor_per_month = [1900, -5]", "floor_per_month", "-5");
    // An effective month before the base year 2021.
    expect_invalid("minimum_wage", "floor_per_month = [{ \"2020-10\" = 1800 }]", "floor_per_month.2020-10", "1800");
    // A share above 1.
    expect_invalid("minimum_wage", "floor_per_month = [1900]\ncoverage = 1.2", "coverage", "1.2");
    // Wrong type.
    expect_invalid(
        "minimum_wage",
        "floor_per_month = [1900]\njob_loss_per_raise = \"high\"",
        "job_loss_per_raise",
        "high",
    );
    // Required: the floor has no default.
    expect_invalid("minimum_wage", "coverage = 1.0", "floor_per_month", "[]");
    // Unknown parameter, with a suggestion.
    match try_build("minimum_wage", "floor_per_mnth = [1900]") {
        Err(Error::InvalidLever { lever, field, value, problem }) => {
            assert_eq!((lever.as_str(), field.as_str()), ("minimum_wage", "floor_per_mnth"));
            assert!(value.contains("1900"), "{value}");
            assert!(problem.contains("floor_per_month"), "{problem}");
        }
        _ => panic!("expected an unknown-parameter error"),
    }
}

#[test]
fn wage_guideline_rejects_invalid_parameters() {
    // Its only parameter is a rate: no money or share to make negative or above 1.
    expect_invalid("wage_guideline", "growth = -1", "growth", "-1");
    expect_invalid("wage_guideline", "growth = { \"2019-01\" = 0.05 }", "growth.2019-01", "0.05");
    expect_invalid("wage_guideline", "growth = \"seven percent\"", "growth", "seven percent");
    expect_invalid("wage_guideline", "", "growth", "missing");
    expect_invalid("wage_guideline", "groth = 0.05", "groth", "0.05");
}

#[test]
fn public_sector_pay_rejects_invalid_parameters() {
    expect_invalid("public_sector_pay", "raise = 0.05\ncivil_servant_wage = -1", "civil_servant_wage", "-1");
    expect_invalid("public_sector_pay", "raise = \"five percent\"", "raise", "five percent");
    expect_invalid("public_sector_pay", "raise = { \"2020-07\" = 0.05 }", "raise.2020-07", "0.05");
    expect_invalid("public_sector_pay", "raise = -1.5", "raise", "-1.5");
    expect_invalid("public_sector_pay", "raise = 0.05\ncivil_servants_wage = 70000", "civil_servants_wage", "70000");
    // No share parameter.
}

#[test]
fn rural_doctor_teacher_allowances_reject_invalid_parameters() {
    expect_invalid(
        "rural_doctor_teacher_allowances",
        "village_doctor_per_month = -500",
        "village_doctor_per_month",
        "-500",
    );
    expect_invalid(
        "rural_doctor_teacher_allowances",
        "rural_teacher_per_month = { \"2018-09\" = 200 }",
        "rural_teacher_per_month.2018-09",
        "200",
    );
    expect_invalid("rural_doctor_teacher_allowances", "village_doctor = 500", "village_doctor", "500");
    expect_invalid(
        "rural_doctor_teacher_allowances",
        "rural_teacher_per_month = \"200 yuan\"",
        "rural_teacher_per_month",
        "200 yuan",
    );
    // No share parameter.
}

#[test]
fn work_for_relief_rejects_invalid_parameters() {
    expect_invalid("work_for_relief", "labour_share = 1.5", "labour_share", "1.5");
    expect_invalid("work_for_relief", "investment = -1000000", "investment", "-1000000");
    // The constructor's own check: pay per worker must be positive.
    expect_invalid("work_for_relief", "day_wage = 0", "day_wage", "0");
    expect_invalid("work_for_relief", "investment = { \"2019-01\" = 1000000 }", "investment.2019-01", "1000000");
    expect_invalid("work_for_relief", "days = true", "days", "true");
    expect_invalid("work_for_relief", "labor_share = 0.2", "labor_share", "0.2");
}

#[test]
fn public_welfare_posts_reject_invalid_parameters() {
    expect_invalid("public_welfare_posts", "posts_per_year = -10", "posts_per_year", "-10");
    expect_invalid("public_welfare_posts", "pay_per_month = -500", "pay_per_month", "-500");
    expect_invalid("public_welfare_posts", "disabled_quota = 1.1", "disabled_quota", "1.1");
    expect_invalid("public_welfare_posts", "hire_month = 13", "hire_month", "13");
    expect_invalid("public_welfare_posts", "hire_month = 2.5", "hire_month", "2.5");
    expect_invalid("public_welfare_posts", "pay_per_month = { \"2020-07\" = 600 }", "pay_per_month.2020-07", "600");
    expect_invalid("public_welfare_posts", "posts_per_year = \"many\"", "posts_per_year", "many");
    expect_invalid("public_welfare_posts", "posts = 1500", "posts", "1500");
}

#[test]
fn labour_transfer_rejects_invalid_parameters() {
    expect_invalid("labour_transfer", "migrant_share = 1.2", "migrant_share", "1.2");
    expect_invalid("labour_transfer", "retention = 1.01", "retention", "1.01");
    expect_invalid("labour_transfer", "local_wage_per_month = -1", "local_wage_per_month", "-1");
    expect_invalid("labour_transfer", "start_month = 0", "start_month", "0");
    expect_invalid("labour_transfer", "wage_sigma = \"wide\"", "wage_sigma", "wide");
    expect_invalid("labour_transfer", "persons_per_year = { \"2020-03\" = 100 }", "persons_per_year.2020-03", "100");
    expect_invalid("labour_transfer", "persons_per_yaer = 100", "persons_per_yaer", "100");
}

#[test]
fn skills_training_rejects_invalid_parameters() {
    expect_invalid("skills_training", "employment_probability = 2", "employment_probability", "2");
    expect_invalid("skills_training", "certificate_subsidy = -100", "certificate_subsidy", "-100");
    expect_invalid("skills_training", "places_per_year = { \"2020-01\" = 100 }", "places_per_year.2020-01", "100");
    expect_invalid("skills_training", "training_month = 13", "training_month", "13");
    expect_invalid("skills_training", "hourly_gain = \"1.88\"", "hourly_gain", "1.88");
    expect_invalid("skills_training", "places = 100", "places", "100");
}

#[test]
fn start_up_support_rejects_invalid_parameters() {
    expect_invalid("start_up_support", "grant = -5000", "grant", "-5000");
    expect_invalid("start_up_support", "interest_subsidy_rate = 1.5", "interest_subsidy_rate", "1.5");
    expect_invalid("start_up_support", "start_month = \"March\"", "start_month", "March");
    expect_invalid(
        "start_up_support",
        "start_ups_per_year = { \"2018-01\" = 2000 }",
        "start_ups_per_year.2018-01",
        "2000",
    );
    expect_invalid("start_up_support", "grants = 5000", "grants", "5000");
}

#[test]
fn farm_productivity_rejects_invalid_parameters() {
    expect_invalid("farm_productivity", "grain_share = 1.5", "grain_share", "1.5");
    // Shares of 0.5 + 0.5 + 0.5 = 1.5 of farm income.
    expect_invalid(
        "farm_productivity",
        "grain_share = 0.5\noilseed_share = 0.5\nspecialty_share = 0.5",
        "grain_share + oilseed_share + specialty_share",
        "1.5",
    );
    expect_invalid("farm_productivity", "grain_growth = -1", "grain_growth", "-1");
    expect_invalid("farm_productivity", "oilseed_growth = { \"2020-01\" = 0.03 }", "oilseed_growth.2020-01", "0.03");
    expect_invalid("farm_productivity", "specialty_growth = [0.1]", "specialty_growth", "0.1");
    expect_invalid("farm_productivity", "shares = [0.5, 0.1, 0.2]", "shares", "0.5");
    // No money parameter.
}

#[test]
fn enterprise_linkage_rejects_invalid_parameters() {
    expect_invalid("enterprise_linkage", "uplift = -0.1", "uplift", "-0.1");
    expect_invalid("enterprise_linkage", "award_per_household = -1000", "award_per_household", "-1000");
    expect_invalid("enterprise_linkage", "award_per_household = \"lots\"", "award_per_household", "lots");
    expect_invalid(
        "enterprise_linkage",
        "households_per_year = { \"2020-01\" = 5 }",
        "households_per_year.2020-01",
        "5",
    );
    expect_invalid("enterprise_linkage", "household_per_year = 5", "household_per_year", "5");
    // No share parameter: the uplift may exceed 1 (doubling farm income), only not be negative.
}

#[test]
fn land_transfer_rejects_invalid_parameters() {
    expect_invalid("land_transfer", "participation = 1.5", "participation", "1.5");
    expect_invalid("land_transfer", "rent_per_mu = -400", "rent_per_mu", "-400");
    expect_invalid("land_transfer", "as_shares = 1", "as_shares", "1");
    expect_invalid("land_transfer", "from_month = 13", "from_month", "13");
    expect_invalid(
        "land_transfer",
        "guaranteed_dividend_per_mu = { \"2020-01\" = 600 }",
        "guaranteed_dividend_per_mu.2020-01",
        "600",
    );
    expect_invalid("land_transfer", "rent = 400", "rent", "400");
}

#[test]
fn collective_dividend_rejects_invalid_parameters() {
    expect_invalid("collective_dividend", "per_member_per_month = -50", "per_member_per_month", "-50");
    expect_invalid("collective_dividend", "", "per_member_per_month", "missing");
    expect_invalid(
        "collective_dividend",
        "per_member_per_month = { \"2020-12\" = 50 }",
        "per_member_per_month.2020-12",
        "50",
    );
    expect_invalid("collective_dividend", "per_member_per_month = \"fifty\"", "per_member_per_month", "fifty");
    expect_invalid("collective_dividend", "per_person_per_month = 50", "per_person_per_month", "50");
    // No share parameter.
}

#[test]
fn property_income_growth_rejects_invalid_parameters() {
    expect_invalid("property_income_growth", "growth = -2", "growth", "-2");
    expect_invalid("property_income_growth", "growth = false", "growth", "false");
    expect_invalid("property_income_growth", "growth = { \"2020-01\" = 0.03 }", "growth.2020-01", "0.03");
    expect_invalid("property_income_growth", "grwoth = 0.03", "grwoth", "0.03");
    // Its only parameter is a rate: no money or share to make negative or above 1.
}

// --- Builders read their parameters -----------------------------------------------

#[test]
fn minimum_wage_builder_reads_floors_by_tier_coverage_and_job_loss() {
    let worker = PersonRecord { wage: 15_000.0, ..person(30, Employment::LocalEmployee) };
    let mut tier1 = urban(vec![worker]);
    tier1.0.tier = 1;
    let hh = [urban(vec![worker]), tier1];
    // Tier 0: owed 12 * 1,500 = 18,000 -> +3,000. Tier 1: 12 * 1,400 = 16,800 -> +1,800.
    assert_eq!(paid("minimum_wage", "floor_per_month = [1500, 1400]", &hh, 2022), vec![3000.0, 1800.0]);
    // One tier for every county: 12 * 1,600 = 19,200 -> +4,200 each.
    assert_eq!(paid("minimum_wage", "floor_per_month = 1600", &hh, 2022), vec![4200.0, 4200.0]);
    // A mid-year step in tier 0: 6 * 1,500 + 6 * 1,700 = 19,200 -> +4,200.
    let dated = "floor_per_month = [{ \"2021-01\" = 1500, \"2022-07\" = 1700 }, 1400]";
    assert_eq!(paid("minimum_wage", dated, &hh, 2022), vec![4200.0, 1800.0]);
    // No coverage: nothing.
    assert_eq!(paid("minimum_wage", "floor_per_month = [1500, 1400]\ncoverage = 0", &hh, 2022), vec![0.0, 0.0]);
    // Job loss: wage 9,000 against 18,000 owed is a relative raise of 1; with
    // probability 1 × 1 the worker loses the job and the 9,000 wage.
    let low = [urban(vec![PersonRecord { wage: 9000.0, ..person(30, Employment::LocalEmployee) }])];
    assert_eq!(paid("minimum_wage", "floor_per_month = 1500", &low, 2022), vec![9000.0]);
    assert_eq!(paid("minimum_wage", "floor_per_month = 1500\njob_loss_per_raise = 1", &low, 2022), vec![-9000.0]);
}

#[test]
fn wage_guideline_builder_reads_growth() {
    let hh = [urban(vec![PersonRecord { wage: 30_000.0, ..person(30, Employment::LocalEmployee) }])];
    close(paid("wage_guideline", "growth = 0.05", &hh, 2022)[0], 1500.0); // 30,000 * 5%
    close(paid("wage_guideline", "growth = 0.07", &hh, 2022)[0], 2100.0); // 30,000 * 7%
    // The rate in force in January: 7% from 2023 does not apply in 2022.
    close(paid("wage_guideline", "growth = { \"2021-01\" = 0.05, \"2023-01\" = 0.07 }", &hh, 2022)[0], 1500.0);
}

#[test]
fn public_sector_pay_builder_reads_raise_and_parity() {
    let teacher =
        PersonRecord { wage: 60_000.0, occupation: Occupation::Teacher, ..person(40, Employment::PublicSector) };
    let hh = [urban(vec![teacher])];
    // No rise, parity off by default: nothing.
    assert_eq!(paid("public_sector_pay", "raise = 0", &hh, 2022), vec![0.0]);
    // 5% rise: 5,000 a month * 5% * 12 = 3,000.
    close(paid("public_sector_pay", "raise = 0.05", &hh, 2022)[0], 3000.0);
    // Parity with civil servants at 70,000: +10,000.
    close(paid("public_sector_pay", "raise = 0\ncivil_servant_wage = 70000", &hh, 2022)[0], 10_000.0);
}

#[test]
fn rural_allowances_builder_reads_both_amounts() {
    let doctor = PersonRecord { occupation: Occupation::VillageDoctor, ..person(50, Employment::SelfEmployed) };
    let teacher = PersonRecord { occupation: Occupation::Teacher, ..person(40, Employment::PublicSector) };
    let hh = [rural(vec![doctor]), rural(vec![teacher])];
    let lever = "rural_doctor_teacher_allowances";
    // Defaults: doctor 12 * 500 = 6,000; teacher 0.
    assert_eq!(paid(lever, "", &hh, 2022), vec![6000.0, 0.0]);
    // Doctor 12 * 600 = 7,200; teacher 12 * 300 = 3,600.
    assert_eq!(
        paid(lever, "village_doctor_per_month = 600\nrural_teacher_per_month = 300", &hh, 2022),
        vec![7200.0, 3600.0]
    );
}

#[test]
fn work_for_relief_builder_reads_investment_share_and_pay() {
    let hh: Vec<Household> = (0..3).map(|_| rural(vec![person(40, Employment::FarmerHerder)])).collect();
    // Default investment 0: no places.
    assert_eq!(paid("work_for_relief", "", &hh, 2022), vec![0.0; 3]);
    // 60,000 * 20% = 12,000; 100 * 60 = 6,000 a worker: 2 places.
    let (ledger, col) = run("work_for_relief", "investment = 60000", &hh, 2022);
    close(col.iter().sum(), 12_000.0);
    close(ledger.records[0].fiscal_cost, 60_000.0);
    // 10% labour share: 6,000, one place; the cost is still the whole 60,000.
    let (ledger, col) = run("work_for_relief", "investment = 60000\nlabour_share = 0.1", &hh, 2022);
    close(col.iter().sum(), 6000.0);
    close(ledger.records[0].fiscal_cost, 60_000.0);
    // 30 days at 200: 6,000 a worker, the same two places; 30 days at 100: 4 places,
    // but only three candidates: 3 * 3,000 = 9,000.
    close(paid("work_for_relief", "investment = 60000\nday_wage = 200\ndays = 30", &hh, 2022).iter().sum(), 12_000.0);
    close(paid("work_for_relief", "investment = 60000\ndays = 30", &hh, 2022).iter().sum(), 9000.0);
}

#[test]
fn public_welfare_posts_builder_reads_posts_pay_quota_and_month() {
    let hh = [rural(vec![person(35, Employment::Unemployed)])];
    // Default: 0 posts.
    assert_eq!(paid("public_welfare_posts", "", &hh, 2022), vec![0.0]);
    // One post at 500 from January: 6,000; at 600: 7,200; hired in July: 6 * 500 = 3,000.
    assert_eq!(paid("public_welfare_posts", "posts_per_year = 1", &hh, 2022), vec![6000.0]);
    assert_eq!(paid("public_welfare_posts", "posts_per_year = 1\npay_per_month = 600", &hh, 2022), vec![7200.0]);
    assert_eq!(paid("public_welfare_posts", "posts_per_year = 1\nhire_month = 7", &hh, 2022), vec![3000.0]);
    // Quota: one post, a zero-employment household (class 0) and a disabled person
    // beside a worker (class 1). Without a quota the class-0 person gets the post; with
    // the whole post reserved for disabled people, the disabled person does.
    let disabled = PersonRecord { disability: Disability::Moderate, ..person(30, Employment::Unemployed) };
    let hh =
        [rural(vec![person(35, Employment::Unemployed)]), rural(vec![disabled, person(40, Employment::LocalEmployee)])];
    assert_eq!(paid("public_welfare_posts", "posts_per_year = 1\ndisabled_quota = 0", &hh, 2022), vec![6000.0, 0.0]);
    assert_eq!(paid("public_welfare_posts", "posts_per_year = 1\ndisabled_quota = 1", &hh, 2022), vec![0.0, 6000.0]);
}

#[test]
fn labour_transfer_builder_reads_its_parameters() {
    let hh = [rural(vec![person(30, Employment::Unemployed)])];
    let fixed = "persons_per_year = 1\nwage_sigma = 0\nmigrant_share = 0\nretention = 1";
    // Default: nobody moved.
    assert_eq!(paid("labour_transfer", "", &hh, 2022), vec![0.0]);
    // From March: 10 * 2,500 = 25,000.
    close(paid("labour_transfer", fixed, &hh, 2022)[0], 25_000.0);
    // Local wage 3,000: 30,000; from January: 12 * 2,500 = 30,000; ratio 1.2: 30,000.
    close(paid("labour_transfer", &format!("{fixed}\nlocal_wage_per_month = 3000"), &hh, 2022)[0], 30_000.0);
    close(paid("labour_transfer", &format!("{fixed}\nstart_month = 1"), &hh, 2022)[0], 30_000.0);
    close(paid("labour_transfer", &format!("{fixed}\nwage_ratio = 1.2"), &hh, 2022)[0], 30_000.0);
    // Nobody retained: half of the 10 months, 5 * 2,500 = 12,500.
    let half = "persons_per_year = 1\nwage_sigma = 0\nmigrant_share = 0\nretention = 0";
    close(paid("labour_transfer", half, &hh, 2022)[0], 12_500.0);
    // All migrants, short-term (long_term_share 0): at most 5 months * 2,500 * premium 1.3 = 16,250;
    // premium 2: 25,000.
    let migrant = "persons_per_year = 1\nwage_sigma = 0\nmigrant_share = 1\nretention = 1\nlong_term_share = 0";
    close(paid("labour_transfer", migrant, &hh, 2022)[0], 16_250.0);
    close(paid("labour_transfer", &format!("{migrant}\nmigrant_premium = 2"), &hh, 2022)[0], 25_000.0);
    // All long-term migrants from January: 12 * 2,500 * 1.3 = 39,000; 50% sent home = 19,500.
    let away = "persons_per_year = 1\nwage_sigma = 0\nmigrant_share = 1\nretention = 1\nlong_term_share = 1\n\
                start_month = 1\nremittance_share = 0.5";
    close(paid("labour_transfer", away, &hh, 2022)[0], 19_500.0);
    // The wages and remittances are not a fiscal cost; the broker's subsidy for a person
    // placed six months or more is, beside the household's income.
    assert_eq!(run("labour_transfer", fixed, &hh, 2022).0.records[0].fiscal_cost, 0.0);
    let broker = format!("{fixed}\nbroker_subsidy_per_person = 200");
    let (ledger, col) = run("labour_transfer", &broker, &hh, 2022);
    close(col[0], 25_000.0);
    close(ledger.records[0].fiscal_cost, 200.0);
    // Placed from August: five months, no subsidy.
    assert_eq!(run("labour_transfer", &format!("{broker}\nstart_month = 8"), &hh, 2022).0.records[0].fiscal_cost, 0.0);
}

#[test]
fn skills_training_builder_reads_its_parameters() {
    let hh = [rural(vec![PersonRecord { wage: 30_000.0, ..person(30, Employment::LocalEmployee) }])];
    assert_eq!(paid("skills_training", "", &hh, 2022), vec![0.0]);
    let one = "places_per_year = 1\ncertificate_rate = 0";
    // Trained in March: 1.88 * 174 * 9 = 2,944.08.
    close(paid("skills_training", one, &hh, 2022)[0], 2944.08);
    // 2 yuan an hour: 2 * 174 * 9 = 3,132; 150 hours: 1.88 * 150 * 9 = 2,538;
    // trained in June: 1.88 * 174 * 6 = 1,962.72.
    close(paid("skills_training", &format!("{one}\nhourly_gain = 2"), &hh, 2022)[0], 3132.0);
    close(paid("skills_training", &format!("{one}\nhours_per_month = 150"), &hh, 2022)[0], 2538.0);
    close(paid("skills_training", &format!("{one}\ntraining_month = 6"), &hh, 2022)[0], 1962.72);
    // Living allowance 300 and a certificate subsidy of 500 to every trainee: +800.
    let paid_all = "places_per_year = 1\ncertificate_rate = 1\nliving_allowance = 300\ncertificate_subsidy = 500";
    close(paid("skills_training", paid_all, &hh, 2022)[0], 2944.08 + 800.0);
    // The wage gain is the employer's; the allowance and subsidies are the budget's,
    // the training subsidy paid to the provider beside the household's income.
    close(run("skills_training", paid_all, &hh, 2022).0.records[0].fiscal_cost, 800.0);
    let provider = format!("{paid_all}\nsubsidy_per_trainee = 1500");
    let (ledger, col) = run("skills_training", &provider, &hh, 2022);
    close(col[0], 2944.08 + 800.0);
    close(ledger.records[0].fiscal_cost, 800.0 + 1500.0);
    // A trainee without work finds a job with certainty: 9 * 2,000 + 2,944.08 = 20,944.08.
    let idle = [rural(vec![person(30, Employment::Unemployed)])];
    let find = "places_per_year = 1\ncertificate_rate = 0\nemployment_probability = 1\nnew_job_wage_per_month = 2000";
    close(paid("skills_training", find, &idle, 2022)[0], 20_944.08);
    close(paid("skills_training", "places_per_year = 1\nemployment_probability = 0", &idle, 2022)[0], 0.0);
}

#[test]
fn start_up_support_builder_reads_its_parameters() {
    let hh = [rural(vec![person(30, Employment::Unemployed)])];
    assert_eq!(paid("start_up_support", "", &hh, 2022), vec![0.0]);
    let one = "start_ups_per_year = 1\nfarm_share = 0";
    // Income 12 * 3,000 = 36,000 + grant 5,000; interest 0.5 * 200,000 * 0.0365 = 3,650.
    // The business income is not a fiscal cost.
    let (ledger, col) = run("start_up_support", one, &hh, 2022);
    close(col[0], 41_000.0);
    close(ledger.records[0].fiscal_cost, 5000.0 + 3650.0);
    close(paid("start_up_support", &format!("{one}\ngrant = 8000"), &hh, 2022)[0], 44_000.0);
    close(paid("start_up_support", &format!("{one}\nbusiness_income_per_month = 2000"), &hh, 2022)[0], 29_000.0);
    // Started in July: 6 * 3,000 + 5,000 = 23,000.
    close(paid("start_up_support", &format!("{one}\nstart_month = 7"), &hh, 2022)[0], 23_000.0);
    // Every start-up in farming: the farm grant, 12,000 instead of 5,000.
    let farm = "start_ups_per_year = 1\nfarm_share = 1\nfarm_grant = 12000";
    close(paid("start_up_support", farm, &hh, 2022)[0], 48_000.0);
    // Interest: everyone takes a 100,000 loan at 5%: 5,000.
    let loan = format!("{one}\nloan = 100000\nloan_take_up = 1\ninterest_subsidy_rate = 0.05");
    close(run("start_up_support", &loan, &hh, 2022).0.records[0].fiscal_cost, 5000.0 + 5000.0);
    // Three jobs a start-up: two hires, from the residents without work aged 16-59 of
    // the founder's residence; 17-year-olds are too young to found but can be hired, at
    // 2,500 a month by default or the wage given.
    let with_hires = [rural(vec![person(30, Employment::Unemployed)]), rural(vec![person(17, Employment::Unemployed)])];
    let three = format!("{one}\njobs_per_start_up = 3");
    assert_eq!(paid("start_up_support", &three, &with_hires, 2022), vec![41_000.0, 30_000.0]);
    let wage = format!("{three}\nhire_wage_per_month = 2000");
    assert_eq!(paid("start_up_support", &wage, &with_hires, 2022), vec![41_000.0, 24_000.0]);
    // One job a start-up: the founder's alone.
    let alone = format!("{one}\njobs_per_start_up = 1");
    assert_eq!(paid("start_up_support", &alone, &with_hires, 2022), vec![41_000.0, 0.0]);
}

#[test]
fn farm_productivity_builder_reads_rates_and_shares() {
    let hh = [rural(vec![PersonRecord { operating: 10_000.0, ..person(45, Employment::FarmerHerder) }])];
    // Defaults: 0.5 * 2% + 0.1 * 3% = 1.3% of 10,000 = 130.
    close(paid("farm_productivity", "", &hh, 2022)[0], 130.0);
    // Grain 4%: 0.5 * 4% + 0.1 * 3% = 2.3% -> 230.
    close(paid("farm_productivity", "grain_growth = 0.04", &hh, 2022)[0], 230.0);
    // Oilseed 5%: 1% + 0.5% = 1.5% -> 150. Specialty 10%: 1.3% + 0.2 * 10% = 3.3% -> 330.
    close(paid("farm_productivity", "oilseed_growth = 0.05", &hh, 2022)[0], 150.0);
    close(paid("farm_productivity", "specialty_growth = 0.1", &hh, 2022)[0], 330.0);
    // All grain: 2% -> 200.
    let all_grain = "grain_share = 1\noilseed_share = 0\nspecialty_share = 0";
    close(paid("farm_productivity", all_grain, &hh, 2022)[0], 200.0);
    // All specialty at 10%: 1,000.
    let all_special = "grain_share = 0\noilseed_share = 0\nspecialty_share = 1\nspecialty_growth = 0.1";
    close(paid("farm_productivity", all_special, &hh, 2022)[0], 1000.0);
}

#[test]
fn enterprise_linkage_builder_reads_its_parameters() {
    let hh = [rural(vec![PersonRecord { operating: 10_000.0, ..person(45, Employment::FarmerHerder) }])];
    assert_eq!(paid("enterprise_linkage", "", &hh, 2022), vec![0.0]);
    // 10% of 10,000 = 1,000 (the enterprise's); award 1,000 (the budget's).
    let (ledger, col) = run("enterprise_linkage", "households_per_year = 1", &hh, 2022);
    close(col[0], 1000.0);
    close(ledger.records[0].fiscal_cost, 1000.0);
    // Uplift 25%: 2,500; award 500: cost 500.
    let (ledger, col) =
        run("enterprise_linkage", "households_per_year = 1\nuplift = 0.25\naward_per_household = 500", &hh, 2022);
    close(col[0], 2500.0);
    close(ledger.records[0].fiscal_cost, 500.0);
}

#[test]
fn land_transfer_builder_reads_its_parameters() {
    let farmer = PersonRecord { operating: 8000.0, ..person(45, Employment::FarmerHerder) };
    let hh = [(HouseholdRecord { land_mu: 10.0, ..Default::default() }, vec![farmer])];
    let all = "participation = 1";
    // 5 mu * 400 = 2,000 rent; operating lost 8,000 * 5/10 = 4,000: -2,000.
    close(paid("land_transfer", all, &hh, 2022)[0], -2000.0);
    // Nobody takes part.
    close(paid("land_transfer", "participation = 0", &hh, 2022)[0], 0.0);
    // Rent 600: 3,000 - 4,000 = -1,000.
    close(paid("land_transfer", &format!("{all}\nrent_per_mu = 600"), &hh, 2022)[0], -1000.0);
    // All the land: 10 * 400 - 8,000 = -4,000.
    close(paid("land_transfer", &format!("{all}\ntransfer_share = 1"), &hh, 2022)[0], -4000.0);
    // As shares: 5 * (max(400, 800) + 100) = 4,500 - 4,000 = 500.
    let shares = format!("{all}\nas_shares = true\nguaranteed_dividend_per_mu = 800\nprofit_dividend_per_mu = 100");
    close(paid("land_transfer", &shares, &hh, 2022)[0], 500.0);
    // From July: rent 5 * 400 * 6/12 = 1,000; lost 8,000 * 5/10 * 6/12 = 2,000: -1,000.
    close(paid("land_transfer", &format!("{all}\nfrom_month = 7"), &hh, 2022)[0], -1000.0);
}

#[test]
fn collective_dividend_builder_reads_the_amount() {
    let mut flags = HouseholdFlags::default();
    flags.set(HouseholdFlags::COLLECTIVE_MEMBER, true);
    let hh = [(HouseholdRecord { flags, ..Default::default() }, vec![person(40, Employment::FarmerHerder); 3])];
    // 3 members * 12 * 50 = 1,800; at 100: 3,600; 100 from July: 3 * (6 * 50 + 6 * 100) = 2,700.
    assert_eq!(paid("collective_dividend", "per_member_per_month = 50", &hh, 2022), vec![1800.0]);
    assert_eq!(paid("collective_dividend", "per_member_per_month = 100", &hh, 2022), vec![3600.0]);
    let dated = "per_member_per_month = { \"2021-01\" = 50, \"2022-07\" = 100 }";
    assert_eq!(paid("collective_dividend", dated, &hh, 2022), vec![2700.0]);
}

#[test]
fn property_income_growth_builder_reads_the_rate() {
    let hh = [urban(vec![PersonRecord { property: 1000.0, ..person(40, Employment::Retired) }])];
    close(paid("property_income_growth", "growth = 0.05", &hh, 2022)[0], 50.0);
    close(paid("property_income_growth", "growth = 0.10", &hh, 2022)[0], 100.0);
    close(paid("property_income_growth", "growth = -0.5", &hh, 2022)[0], -500.0);
}
