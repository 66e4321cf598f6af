//! Registry entries of the transfer levers: invalid parameters are rejected naming the
//! lever, the field and the value; and a non-default parameter changes what the built
//! lever pays to a small hand-built household, so the builder really reads it.

use incomesim::Error;
use incomesim::model::{
    Accounts, Disability, Education, Employment, HouseholdFlags, HouseholdRecord, Hukou, PersonFlags, PersonRecord,
    Population, Residence,
};
use incomesim::policy::registry::{BuildContext, build};
use incomesim::policy::{LeverColumns, LeverSet, YearContext};
use incomesim::region::Profile;

/// The transfer levers this file covers.
const LEVERS: [&str; 11] = [
    "retiree_pension_adjustment",
    "old_age_allowance",
    "disability_allowances",
    "farm_subsidies",
    "dibao",
    "extreme_poverty_support",
    "low_income_edge_assistance",
    "temporary_assistance",
    "price_linked_subsidy",
    "employment_transfers",
    "resident_pension_contribution_support",
];

fn profile() -> Profile {
    Profile::builtin("liupanshui-2021").expect("profile")
}

fn table(text: &str) -> toml::Table {
    toml::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Asserts that building `lever` from `params` (base year 2021) fails with an
/// `InvalidLever` naming the lever, a field starting with `field`, and a value
/// containing `value`.
fn expect_invalid(lever: &str, params: &str, field: &str, value: &str) {
    let p = profile();
    let ctx = BuildContext { base_year: 2021, profile: &p, calibration: None };
    match build(lever, ctx, &table(params)) {
        Err(Error::InvalidLever { lever: l, field: f, value: v, problem }) => {
            assert_eq!(l, lever, "{params}: wrong lever named ({f} = {v}: {problem})");
            assert!(f.starts_with(field), "{lever} {params}: field {f}, expected {field}");
            assert!(v.contains(value), "{lever} {params}: value {v:?}, expected it to contain {value:?}");
            assert!(!problem.is_empty());
        }
        Err(other) => panic!("{lever} {params}: wrong error {other}"),
        Ok(_) => panic!("{lever} {params}: accepted"),
    }
}

#[test]
fn every_transfer_lever_is_registered_under_its_own_name() {
    let p = profile();
    let ctx = BuildContext { base_year: 2021, profile: &p, calibration: None };
    for name in LEVERS {
        let mut t = toml::Table::new();
        if matches!(name, "dibao" | "extreme_poverty_support") {
            t = table("take_up_urban = 0.5\ntake_up_rural = 0.5");
        }
        if name == "price_linked_subsidy" {
            t = table("cpi_year_on_year = 0.02");
        }
        let lever = build(name, ctx, &t).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(lever.name(), name);
    }
}

#[test]
fn dibao_rejects_invalid_parameters() {
    let l = "dibao";
    let tu = "take_up_urban = 1.0\ntake_up_rural = 1.0\n";
    expect_invalid(l, &format!("{tu}urban_threshold_per_month = -5"), "urban_threshold_per_month", "-5");
    expect_invalid(l, &format!("{tu}rural_threshold_per_month = [500, -1]"), "rural_threshold_per_month", "-1");
    expect_invalid(l, "take_up_urban = 1.5\ntake_up_rural = 1.0", "take_up_urban", "1.5");
    // Take-up defaults to the calibrated rate (tests/registry.rs); a bad one is named.
    expect_invalid(l, "take_up_urban = 1.0\ntake_up_rural = 1.5", "take_up_rural", "1.5");
    expect_invalid(
        l,
        &format!("{tu}rural_threshold_per_month = {{ \"2020-01\" = 500 }}"),
        "rural_threshold_per_month.2020-01",
        "500",
    );
    expect_invalid(l, &format!("{tu}indexation = 3"), "indexation", "3");
    expect_invalid(l, &format!("{tu}indexation = \"wages\""), "indexation", "wages");
    expect_invalid(l, &format!("{tu}sanction = \"yes\""), "sanction", "yes");
    expect_invalid(l, &format!("{tu}grace_month = 3"), "grace_month", "3");
    expect_invalid(l, &format!("{tu}grace_months = 2.5"), "grace_months", "2.5");
    expect_invalid(l, &format!("{tu}grace_months = 13"), "grace_months", "13");
    expect_invalid(l, &format!("{tu}edge_multiple = 0.5"), "edge_multiple", "0.5");
    expect_invalid(l, &format!("{tu}employment_cost_deduction_per_month = -100"), "employment_cost", "-100");
    expect_invalid(l, &format!("{tu}rural_poverty_line_per_year = {{ \"2019-01\" = 4000 }}"), "rural_poverty", "4000");
    expect_invalid(l, &format!("{tu}sanction = true\nsanction_cut_share = 1.5"), "sanction_cut_share", "1.5");
    expect_invalid(
        l,
        &format!("{tu}sanction = true\nsanction_refusals_to_sanction = 4"),
        "sanction.refusals_to_sanction",
        "4",
    );
    expect_invalid(l, &format!("{tu}sanction = true\nsanction_offers_per_year = 1.5"), "sanction_offers", "1.5");
}

#[test]
fn the_unknown_parameter_error_suggests_the_name() {
    let p = profile();
    let ctx = BuildContext { base_year: 2021, profile: &p, calibration: None };
    match build("dibao", ctx, &table("take_up_urban = 1.0\ntake_up_rural = 1.0\ngrace_month = 3")) {
        Err(Error::InvalidLever { problem, .. }) => assert!(problem.contains("grace_months"), "{problem}"),
        other => panic!("expected an invalid-lever error, got {other:?}"),
    }
}

#[test]
fn levers_built_on_dibao_reject_invalid_parameters_under_their_own_name() {
    let tu = "take_up_urban = 1.0\ntake_up_rural = 1.0\n";
    let l = "extreme_poverty_support";
    expect_invalid(l, &format!("{tu}standard_multiple = 0.9"), "standard_multiple", "0.9");
    expect_invalid(l, &format!("{tu}standard_multiple = {{ \"2022-01\" = 1.5 }}"), "standard_multiple", "1.5");
    expect_invalid(l, &format!("{tu}no_supporter_share = 2"), "no_supporter_share", "2");
    expect_invalid(l, &format!("{tu}urban_threshold_per_month = -1"), "urban_threshold_per_month", "-1");
    expect_invalid(
        l,
        &format!("{tu}employment_cost_deduction_per_month = {{ \"2019-01\" = 10 }}"),
        "employment_cost_deduction_per_month.2019-01",
        "10",
    );
    expect_invalid(l, &format!("{tu}edge_multiple = 2"), "edge_multiple", "2");
    expect_invalid(l, &format!("{tu}indexation = true"), "indexation", "true");

    let l = "low_income_edge_assistance";
    expect_invalid(l, "cash_per_person_per_month = -100", "cash_per_person_per_month", "-100");
    expect_invalid(l, "rigid_expense_share = 1.2", "rigid_expense_share", "1.2");
    expect_invalid(l, "edge_multiple = 0.5", "edge_multiple", "0.5");
    expect_invalid(l, "take_up_urban = 1", "take_up_urban", "1");
    expect_invalid(l, "cash_per_person_per_month = { \"2020-12\" = 120 }", "cash_per_person_per_month.2020-12", "120");
    expect_invalid(l, "disregard_basic_pension = 1", "disregard_basic_pension", "1");

    let l = "temporary_assistance";
    expect_invalid(l, "illness_probability = 1.1", "illness_probability", "1.1");
    expect_invalid(l, "months_of_threshold = -3", "months_of_threshold", "-3");
    expect_invalid(l, "job_loss_probability = \"often\"", "job_loss_probability", "often");
    expect_invalid(
        l,
        "rural_poverty_line_per_year = { \"2020-07\" = 7000 }",
        "rural_poverty_line_per_year.2020-07",
        "7000",
    );
    expect_invalid(l, "ilness_probability = 0.1", "ilness_probability", "0.1");

    let l = "price_linked_subsidy";
    expect_invalid(l, "cpi_year_on_year = 0.05\ntrigger = 1.5", "trigger", "1.5");
    expect_invalid(l, "cpi_year_on_year = -1.5", "cpi_year_on_year", "-1.5");
    expect_invalid(l, "cpi_year_on_year = { \"2020-01\" = 0.05 }", "cpi_year_on_year.2020-01", "0.05");
    expect_invalid(l, "trigger = 0.03", "cpi_year_on_year", "(missing)");
    expect_invalid(l, "cpi_year_on_year = \"high\"", "cpi_year_on_year", "high");
    expect_invalid(l, "cpi_year_on_year = 0.05\nrural_threshold_per_month = -500", "rural_threshold", "-500");
    expect_invalid(l, "cpi_year_on_year = 0.05\ncpi = 0.05", "cpi", "0.05");
}

#[test]
fn other_transfer_levers_reject_invalid_parameters() {
    let l = "employment_transfers";
    expect_invalid(l, "job_seeking_per_graduate = -1", "job_seeking_per_graduate", "-1");
    expect_invalid(l, "intern_probability = 2", "intern_probability", "2");
    expect_invalid(l, "interns_per_year = -5", "interns_per_year", "-5");
    expect_invalid(l, "interns_per_year = 1000\nintern_probability = 0.5", "interns_per_year", "1000");
    expect_invalid(l, "intern_months = 13", "intern_months", "13");
    expect_invalid(l, "intern_months = 2.5", "intern_months", "2.5");
    expect_invalid(l, "minimum_wage_per_month = { \"2020-01\" = 1600 }", "minimum_wage_per_month.2020-01", "1600");
    expect_invalid(l, "transport_per_migrant = \"500\"", "transport_per_migrant", "500");
    expect_invalid(l, "intern_allowance = 100", "intern_allowance", "100");

    let l = "resident_pension_contribution_support";
    expect_invalid(l, "dibao_contribution = -100", "dibao_contribution", "-100");
    expect_invalid(l, "higher_tier_share = 1.5", "higher_tier_share", "1.5");
    expect_invalid(l, "higher_tier_subsidy_rate = \"ten\"", "higher_tier_subsidy_rate", "ten");
    expect_invalid(l, "dibao_contrib = 100", "dibao_contrib", "100");

    let l = "retiree_pension_adjustment";
    expect_invalid(l, "rise = 1.5", "rise", "1.5");
    expect_invalid(l, "rise = { \"2020-01\" = 0.05 }", "rise.2020-01", "0.05");
    expect_invalid(l, "rise = 0.04", "rise", "0.04");
    expect_invalid(l, "rise = \"lots\"", "rise", "lots");
    expect_invalid(l, "raise = { \"2023-01\" = 0.04 }", "raise", "0.04");

    let l = "old_age_allowance";
    expect_invalid(l, "amount_per_month = -10", "amount_per_month", "-10");
    expect_invalid(l, "centenarian_per_month = { \"2019-01\" = 600 }", "centenarian_per_month.2019-01", "600");
    expect_invalid(l, "amount_per_month = true", "amount_per_month", "true");
    expect_invalid(l, "working_supplement = 50", "working_supplement", "50");

    let l = "disability_allowances";
    expect_invalid(l, "severe_nursing_per_month = -1", "severe_nursing_per_month", "-1");
    expect_invalid(l, "indexed_to_prices = 1", "indexed_to_prices", "1");
    expect_invalid(l, "poor_living_per_month = { \"2020-07\" = 90 }", "poor_living_per_month.2020-07", "90");
    expect_invalid(l, "nursing_per_month = 100", "nursing_per_month", "100");

    let l = "farm_subsidies";
    expect_invalid(l, "farmland_per_mu = -100", "farmland_per_mu", "-100");
    expect_invalid(l, "grazing_ban_share = 1.5", "grazing_ban_share", "1.5");
    expect_invalid(l, "producer_per_household = { \"2019-01\" = 200 }", "producer_per_household.2019-01", "200");
    expect_invalid(l, "grazing_ban_per_mu = [7.5]", "grazing_ban_per_mu", "7.5");
    expect_invalid(l, "grazing_ban = 7.5", "grazing_ban", "7.5");
}

// ------------------------------------------------------------ the builders read them

fn person(age: u8) -> PersonRecord {
    PersonRecord {
        age,
        hukou: Hukou::Rural,
        education: Education::JuniorSecondary,
        able_to_work: true,
        disability: Disability::None,
        employment: Employment::NotInLabourForce,
        months_in_job: 0,
        ..PersonRecord::default()
    }
}

fn worker(age: u8, wage: f32) -> PersonRecord {
    PersonRecord { employment: Employment::LocalEmployee, months_in_job: 12, wage, ..person(age) }
}

fn household(residence: Residence) -> HouseholdRecord {
    HouseholdRecord {
        weight: 1.0,
        residence,
        tier: 0,
        flags: HouseholdFlags::default(),
        land_mu: 0.0,
        grassland_mu: 0.0,
        land_rented_out_mu: 0.0,
        rigid_expenses: 0.0,
        remittances: 0.0,
        other_transfers: 0.0,
        poverty_project_income: 0.0,
    }
}

/// What each lever of `levers` (name, parameters, in run order within a stage) pays
/// the one household in 2022 (base year 2021), and each lever's fiscal cost.
fn run(levers: &[(&str, &str)], hh: HouseholdRecord, persons: &[PersonRecord]) -> Vec<(f64, f64)> {
    let p = profile();
    let ctx = BuildContext { base_year: 2021, profile: &p, calibration: None };
    let mut set = LeverSet::new();
    for (name, params) in levers {
        set.insert(build(name, ctx, &table(params)).unwrap_or_else(|e| panic!("{name} {params}: {e}")));
    }
    let mut pop = Population::empty(7);
    pop.push_household(&hh, persons);
    let mut year = YearContext::base(2022, 11);
    year.base_year = 2021;
    year.price_index = 1.2;
    year.income_index = [1.3, 1.3];
    let mut accounts = Accounts::default();
    let mut columns = LeverColumns::default();
    let ledger = set.apply_year(&year, &mut pop, &mut accounts, &mut columns);
    let names: Vec<String> = set.levers().map(|l| l.name().to_string()).collect();
    levers
        .iter()
        .map(|(name, _)| {
            let i = names.iter().position(|n| n == name).expect("lever in the set");
            (columns.paid[i][0], ledger.get(name).map_or(0.0, |r| r.fiscal_cost))
        })
        .collect()
}

/// What a single lever pays.
fn paid(name: &str, params: &str, hh: HouseholdRecord, persons: &[PersonRecord]) -> f64 {
    run(&[(name, params)], hh, persons)[0].0
}

/// Asserts that `changed` makes the lever pay something else than `base` does.
fn changes(name: &str, base: &str, changed: &str, hh: HouseholdRecord, persons: &[PersonRecord]) {
    let a = paid(name, base, hh, persons);
    let b = paid(name, changed, hh, persons);
    assert!((a - b).abs() > 0.01, "{name}: `{changed}` pays {b}, the same as `{base}` ({a})");
}

const TU: &str = "take_up_urban = 1.0\ntake_up_rural = 1.0\nemployment_cost_deduction_per_month = 0\n";

#[test]
fn dibao_reads_every_rule() {
    let rural = household(Residence::Rural);
    let one = [person(50)];
    let base = format!("{TU}rural_threshold_per_month = 500");
    // By hand: 500 × 12 = 6,000 for one person with no income.
    assert!((paid("dibao", &base, rural, &one) - 6_000.0).abs() < 0.01);
    changes("dibao", &base, &format!("{TU}rural_threshold_per_month = 600"), rural, &one);
    changes(
        "dibao",
        &format!("{TU}urban_threshold_per_month = 700"),
        &format!("{TU}urban_threshold_per_month = 800"),
        household(Residence::Urban),
        &one,
    );
    changes("dibao", &base, "take_up_urban = 1.0\ntake_up_rural = 0.0\nrural_threshold_per_month = 500", rural, &one);
    changes("dibao", &base, &format!("{base}\nindexation = \"prices\""), rural, &one);
    changes("dibao", &base, &format!("{base}\nindexation = \"incomes\""), rural, &one);
    changes("dibao", &base, &format!("{base}\nrural_poverty_line_per_year = 7200"), rural, &one);
    let working = [worker(40, 9_000.0), person(38)];
    changes(
        "dibao",
        &base,
        &format!("{base}\nemployment_cost_deduction_per_month = 100")
            .replace("employment_cost_deduction_per_month = 0\n", ""),
        rural,
        &working,
    );
    let mut project = rural;
    project.poverty_project_income = 2_400.0;
    let unable = [PersonRecord { able_to_work: false, ..person(70) }];
    changes("dibao", &base, &format!("{base}\ndisregard_project_income_unable = true"), project, &unable);
    let disabled = [
        worker(50, 24_000.0),
        person(48),
        PersonRecord { disability: Disability::Severe, able_to_work: false, ..person(22) },
    ];
    changes("dibao", &base, &format!("{base}\nsingle_person = true"), rural, &disabled);
    // Edge group: 7,500 per head is over the threshold but under 1.5 × 6,000; not
    // under 1.2 × 6,000.
    let edge = |params: &str| {
        let p = profile();
        let ctx = BuildContext { base_year: 2021, profile: &p, calibration: None };
        let set = LeverSet::new().with(build("dibao", ctx, &table(params)).expect("builds"));
        let mut pop = Population::empty(7);
        pop.push_household(&rural, &[worker(40, 15_000.0), person(38)]);
        let mut columns = LeverColumns::default();
        set.apply_year(&YearContext::base(2022, 11), &mut pop, &mut Accounts::default(), &mut columns);
        pop.households.flags[0].has(HouseholdFlags::LOW_INCOME_EDGE)
    };
    assert!(edge(&base));
    assert!(!edge(&format!("{base}\nedge_multiple = 1.2")));
    // Grace and taper after a new job of a last year's recipient.
    let mut last_year = rural;
    last_year.flags.set(HouseholdFlags::DIBAO_LAST_YEAR, true);
    let mut new_job = worker(40, 12_000.0);
    new_job.months_in_job = 6;
    new_job.flags.set(PersonFlags::NEW_JOB_THIS_YEAR, true);
    let job = [new_job, person(38)];
    changes("dibao", &base, &format!("{base}\ngrace_months = 3"), last_year, &job);
    changes("dibao", &base, &format!("{base}\ntaper_months = 2"), last_year, &job);
    // Sanction: two refusals before, every offer made and refused.
    let mut refuser = PersonRecord { employment: Employment::Unemployed, ..person(35) };
    refuser.flags.set_refusals(2);
    let pair = [refuser, person(33)];
    let on = format!("{base}\nsanction = true\nsanction_offer_probability = 1.0\nsanction_refusal_probability = 1.0");
    changes("dibao", &base, &on, rural, &pair);
    changes("dibao", &on, &format!("{on}\nsanction_cut_share = 0.5"), rural, &pair);
    changes(
        "dibao",
        &on,
        &format!("{on}\nsanction_refusals_to_sanction = 3\nsanction_offers_per_year = 0"),
        rural,
        &pair,
    );
    changes(
        "dibao",
        &on,
        &on.replace("sanction_offer_probability = 1.0", "sanction_offer_probability = 0.0"),
        rural,
        &pair,
    );
    changes(
        "dibao",
        &on,
        &on.replace("sanction_refusal_probability = 1.0", "sanction_refusal_probability = 0.0"),
        rural,
        &pair,
    );
    // The basic pension disregard needs the pension lever before dibao.
    let with_pension =
        |d: &str| run(&[("resident_pension", "amount_per_month = 100"), ("dibao", d)], rural, &unable)[1].0;
    assert!((with_pension(&base) - 4_800.0).abs() < 0.01);
    assert!((with_pension(&format!("{base}\ndisregard_basic_pension = true")) - 6_000.0).abs() < 0.01);
}

#[test]
fn extreme_poverty_support_reads_its_parameters() {
    let rural = household(Residence::Rural);
    let alone = [PersonRecord { able_to_work: false, ..person(75) }];
    let base = format!("{TU}rural_threshold_per_month = 500\nno_supporter_share = 1.0\nstandard_multiple = 1.3");
    // By hand: 1.3 × 6,000 = 7,800.
    assert!((paid("extreme_poverty_support", &base, rural, &alone) - 7_800.0).abs() < 0.01);
    changes(
        "extreme_poverty_support",
        &base,
        &base.replace("standard_multiple = 1.3", "standard_multiple = 1.5"),
        rural,
        &alone,
    );
    changes(
        "extreme_poverty_support",
        &base,
        &base.replace("no_supporter_share = 1.0", "no_supporter_share = 0.0"),
        rural,
        &alone,
    );
    changes(
        "extreme_poverty_support",
        &base,
        &base.replace("take_up_rural = 1.0", "take_up_rural = 0.0"),
        rural,
        &alone,
    );
    changes(
        "extreme_poverty_support",
        &base,
        &base.replace("rural_threshold_per_month = 500", "rural_threshold_per_month = 550"),
        rural,
        &alone,
    );
    changes("extreme_poverty_support", &base, &format!("{base}\nindexation = \"prices\""), rural, &alone);
    changes("extreme_poverty_support", &base, &format!("{base}\nrural_poverty_line_per_year = 9000"), rural, &alone);
    let mut project = rural;
    project.poverty_project_income = 1_000.0;
    changes(
        "extreme_poverty_support",
        &base,
        &format!("{base}\ndisregard_project_income_unable = true"),
        project,
        &alone,
    );
}

#[test]
fn edge_temporary_and_price_linked_read_their_parameters() {
    let rural = household(Residence::Rural);
    let edge_pair = [worker(40, 15_000.0), person(38)];
    let thr = "rural_threshold_per_month = 500\nemployment_cost_deduction_per_month = 0";
    // Edge: pc 7,500 in [6,000, 9,000): 100 × 12 × 2 = 2,400.
    assert!((paid("low_income_edge_assistance", thr, rural, &edge_pair) - 2_400.0).abs() < 0.01);
    changes("low_income_edge_assistance", thr, &format!("{thr}\ncash_per_person_per_month = 150"), rural, &edge_pair);
    changes("low_income_edge_assistance", thr, &format!("{thr}\nedge_multiple = 1.2"), rural, &edge_pair);
    // pc 10,000: above 1.5 × 6,000, below 1.5 × 8,400.
    let richer = [worker(40, 20_000.0), person(38)];
    changes("low_income_edge_assistance", thr, &thr.replace("= 500", "= 700"), rural, &richer);
    let mut rigid = rural;
    rigid.rigid_expenses = 4_000.0;
    changes("low_income_edge_assistance", thr, &format!("{thr}\nrigid_expense_share = 0.5"), rigid, &edge_pair);
    changes(
        "low_income_edge_assistance",
        thr,
        &format!("{thr}\nemployment_cost_deduction_per_month = 500")
            .replace("employment_cost_deduction_per_month = 0\n", ""),
        rural,
        &[worker(40, 9_000.0)],
    );

    // Temporary: a certain shock; 3 × 500 × 2 = 3,000.
    let tmp = format!("{thr}\nillness_probability = 1.0");
    let poor_pair = [person(50), person(48)];
    assert!((paid("temporary_assistance", &tmp, rural, &poor_pair) - 3_000.0).abs() < 0.01);
    changes("temporary_assistance", &tmp, &format!("{tmp}\nmonths_of_threshold = 2"), rural, &poor_pair);
    changes(
        "temporary_assistance",
        &tmp,
        &tmp.replace("illness_probability = 1.0", "illness_probability = 0.0"),
        rural,
        &poor_pair,
    );
    let jobless = [PersonRecord { employment: Employment::Unemployed, ..person(40) }];
    let no_ill = tmp.replace("illness_probability = 1.0", "illness_probability = 0.0");
    changes("temporary_assistance", &no_ill, &format!("{no_ill}\njob_loss_probability = 1.0"), rural, &jobless);
    changes("temporary_assistance", &tmp, &format!("{tmp}\nedge_multiple = 1.0"), rural, &[worker(40, 7_000.0)]);

    // Price-linked: on dibao, CPI 4% all year ≥ 3.5%: 500 × 0.04 × 12 = 240.
    let dibao = format!("{TU}rural_threshold_per_month = 500");
    let pl = "rural_threshold_per_month = 500\ncpi_year_on_year = 0.04";
    let one = [person(50)];
    let price = |params: &str| run(&[("dibao", &dibao), ("price_linked_subsidy", params)], rural, &one)[1].0;
    assert!((price(pl) - 240.0).abs() < 0.01);
    assert_eq!(price(&format!("{pl}\ntrigger = 0.05")), 0.0);
    assert!((price(&pl.replace("= 0.04", "= { \"2022-01\" = 0.02, \"2022-07\" = 0.04 }")) - 120.0).abs() < 0.01);
    assert!((price(&pl.replace("= 500", "= 600")) - 288.0).abs() < 0.01);
}

#[test]
fn pensions_allowances_and_subsidies_read_their_parameters() {
    let urban = household(Residence::Urban);
    let retiree = [PersonRecord { employment: Employment::Retired, retiree_pension: 36_000.0, ..person(66) }];
    // 36,000 × 4% = 1,440 by default (the 2022 national adjustment).
    let a = paid("retiree_pension_adjustment", "", urban, &retiree);
    assert!((a - 1_440.0).abs() < 0.01, "{a}");
    let b = paid("retiree_pension_adjustment", "rise = { \"2022-07\" = 0.04 }", urban, &retiree);
    assert!((b - 720.0).abs() < 0.01, "{b}");
    // A rise given for 2021 is carried on into 2022 unless `carry_on` is off.
    let carried = paid("retiree_pension_adjustment", "rise = { \"2021-01\" = 0.05 }", urban, &retiree);
    assert!((carried - 1_800.0).abs() < 0.01, "{carried}");
    let once = paid("retiree_pension_adjustment", "rise = { \"2021-01\" = 0.05 }\ncarry_on = false", urban, &retiree);
    assert_eq!(once, 0.0);

    let rural = household(Residence::Rural);
    let working_85 = [worker(85, 1_000.0)];
    let old = "amount_per_month = 100";
    assert!((paid("old_age_allowance", old, rural, &working_85) - 1_200.0).abs() < 0.01);
    changes("old_age_allowance", old, "amount_per_month = 120", rural, &working_85);
    changes("old_age_allowance", old, &format!("{old}\nworking_supplement_per_month = 50"), rural, &working_85);
    changes("old_age_allowance", old, &format!("{old}\ncentenarian_per_month = 600"), rural, &[person(101)]);

    let severe = [PersonRecord { disability: Disability::Severe, able_to_work: false, ..person(40) }];
    let dis = "severe_nursing_per_month = 100\npoor_living_per_month = 80";
    assert!((paid("disability_allowances", dis, rural, &severe) - 1_200.0).abs() < 0.01);
    changes("disability_allowances", dis, "severe_nursing_per_month = 120\npoor_living_per_month = 80", rural, &severe);
    let mut poor = rural;
    poor.flags.set(HouseholdFlags::DIBAO_LAST_YEAR, true);
    changes("disability_allowances", dis, "severe_nursing_per_month = 100\npoor_living_per_month = 90", poor, &severe);
    changes("disability_allowances", dis, &format!("{dis}\nindexed_to_prices = true"), rural, &severe);

    let mut farm = rural;
    farm.land_mu = 10.0;
    farm.grassland_mu = 100.0;
    let one = [person(50)];
    // 10 × 100 + 50 × 7.5 + 50 × 2.5 = 1,500.
    assert!((paid("farm_subsidies", "", farm, &one) - 1_500.0).abs() < 0.01);
    for changed in [
        "farmland_per_mu = 120",
        "grazing_ban_per_mu = 10",
        "grass_balance_per_mu = 3",
        "grazing_ban_share = 0.8",
        "producer_per_household = 200",
    ] {
        changes("farm_subsidies", "", changed, farm, &one);
    }
}

#[test]
fn employment_transfers_and_contribution_support_read_their_parameters() {
    let mut poor = household(Residence::Rural);
    poor.flags.set(HouseholdFlags::FORMERLY_POOR, true);
    let graduate = [PersonRecord { education: Education::Tertiary, employment: Employment::Unemployed, ..person(22) }];
    assert!((paid("employment_transfers", "", poor, &graduate) - 1_000.0).abs() < 0.01);
    changes("employment_transfers", "", "job_seeking_per_graduate = 1500", poor, &graduate);
    let mut migrant = worker(30, 20_000.0);
    migrant.employment = Employment::MigrantShortTerm;
    migrant.months_in_job = 5;
    migrant.flags.set(PersonFlags::NEW_JOB_THIS_YEAR, true);
    changes("employment_transfers", "", "transport_per_migrant = 800", poor, &[migrant]);
    let urban = household(Residence::Urban);
    let intern = "intern_probability = 1.0";
    // 6 months at the 1,600 minimum wage: 9,600.
    assert!((paid("employment_transfers", intern, urban, &graduate) - 9_600.0).abs() < 0.01);
    changes("employment_transfers", "", intern, urban, &graduate);
    changes("employment_transfers", intern, &format!("{intern}\nintern_months = 3"), urban, &graduate);
    changes("employment_transfers", intern, &format!("{intern}\nintern_allowance_per_month = 2000"), urban, &graduate);
    changes("employment_transfers", intern, &format!("{intern}\nminimum_wage_per_month = 1700"), urban, &graduate);

    // Contribution support pays outside household income: compare fiscal costs.
    let rural = household(Residence::Rural);
    let cost = |levers: &[(&str, &str)], persons: &[PersonRecord]| run(levers, rural, persons).last().expect("one").1;
    let l = "resident_pension_contribution_support";
    let adult = [person(40)];
    // 0.1 × 0.1 × 1,000 = 10 by default.
    assert!((cost(&[(l, "")], &adult) - 10.0).abs() < 0.01);
    assert!((cost(&[(l, "higher_tier_share = 1.0")], &adult) - 100.0).abs() < 0.01);
    assert!((cost(&[(l, "higher_tier_subsidy_rate = 0.2")], &adult) - 20.0).abs() < 0.01);
    assert!((cost(&[(l, "higher_tier_contribution = 2000")], &adult) - 20.0).abs() < 0.01);
    let severe = [PersonRecord { disability: Disability::Severe, able_to_work: false, ..person(30) }];
    assert!((cost(&[(l, "severe_disability_contribution = 300")], &severe) - 300.0).abs() < 0.01);
    let dibao = format!("{TU}rural_threshold_per_month = 500");
    assert!((cost(&[("dibao", &dibao), (l, "dibao_contribution = 150")], &adult) - 150.0).abs() < 0.01);
}
