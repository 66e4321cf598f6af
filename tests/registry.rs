//! The lever registry: every lever builds from its declared defaults for every region,
//! and invalid parameters are rejected with the lever, the field and the value named.

use incomesim::Error;
use incomesim::policy::registry::{BuildContext, DefaultValue, Kind, build, registry};
use incomesim::region::{Profile, builtin_ids};

fn table(text: &str) -> toml::Table {
    toml::from_str(text).expect("valid TOML")
}

/// A table giving every required parameter a harmless value.
fn required_values(name: &str) -> toml::Table {
    let spec = registry().into_iter().find(|s| s.name == name).expect("in registry");
    let mut t = toml::Table::new();
    for p in spec.parameters.iter().filter(|p| p.default == DefaultValue::Required) {
        let v = match p.kind {
            Kind::Flag => toml::Value::Boolean(false),
            Kind::MoneyList => toml::Value::Array(vec![toml::Value::Float(1.0)]),
            Kind::Choice(c) => toml::Value::String(c[0].to_string()),
            Kind::YearMonth => toml::Value::String("2030-01".into()),
            _ => toml::Value::Float(1.0),
        };
        t.insert(p.name.to_string(), v);
    }
    t
}

#[test]
fn every_lever_builds_from_its_defaults_for_every_region() {
    for id in builtin_ids() {
        let profile = Profile::builtin(id).expect("profile");
        let ctx = BuildContext { base_year: profile.base_year, profile: &profile, calibration: None };
        for spec in registry() {
            let lever = build(spec.name, ctx, &required_values(spec.name))
                .unwrap_or_else(|e| panic!("{id}: {} does not build from its defaults: {e}", spec.name));
            assert_eq!(lever.name(), spec.name, "registry name and lever name differ");
        }
    }
}

fn expect_invalid(lever: &str, params: &str, field: &str) {
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let ctx = BuildContext { base_year: profile.base_year, profile: &profile, calibration: None };
    match build(lever, ctx, &table(params)) {
        Err(Error::InvalidLever { lever: l, field: f, value, problem }) => {
            assert_eq!(l, lever);
            assert!(f.starts_with(field), "field {f}, expected {field}");
            assert!(!value.is_empty() && !problem.is_empty());
        }
        Err(other) => panic!("{lever} {params}: wrong error {other}"),
        Ok(_) => panic!("{lever} {params}: accepted"),
    }
}

#[test]
fn invalid_parameters_are_named() {
    expect_invalid("resident_pension", "amount_per_month = -5", "amount_per_month");
    expect_invalid("resident_pension", "amount_per_month = { \"2019-07\" = 120 }", "amount_per_month.2019-07");
    expect_invalid("resident_pension", "amount_per_month = { \"2022-13\" = 120 }", "amount_per_month.2022-13");
    expect_invalid("resident_pension", "amount_per_month = \"lots\"", "amount_per_month");
    expect_invalid("resident_pension", "amount_per_mnth = 120", "amount_per_mnth");
    expect_invalid("social_contributions", "employee_rate = 1.5", "employee_rate");
    expect_invalid("income_tax", "basic_deduction = -1", "basic_deduction");
}

#[test]
fn dated_values_in_and_after_the_base_year_are_accepted() {
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let ctx = BuildContext { base_year: 2021, profile: &profile, calibration: None };
    build("resident_pension", ctx, &table("amount_per_month = { \"2021-01\" = 113, \"2022-07\" = 118 }"))
        .expect("valid dated amount");
}

#[test]
fn unknown_levers_get_a_suggestion() {
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let ctx = BuildContext { base_year: 2021, profile: &profile, calibration: None };
    match build("resident_pensoin", ctx, &toml::Table::new()) {
        Err(Error::UnknownLever { name, suggestion }) => {
            assert_eq!(name, "resident_pensoin");
            assert!(suggestion.contains("resident_pension"), "{suggestion}");
        }
        _ => panic!("expected an unknown-lever error"),
    }
}

#[test]
fn the_cli_lists_the_registry() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_incomesim"))
        .args(["levers", "--format", "json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let listed = listed.as_array().expect("an array");
    assert_eq!(listed.len(), registry().len());
    for (item, spec) in listed.iter().zip(registry()) {
        assert_eq!(item["name"], spec.name);
        assert_eq!(item["source"], spec.source);
        assert_eq!(item["parameters"].as_array().map(|a| a.len()), Some(spec.parameters.len()));
    }
}

/// Builds `lever` for Liupanshui's 2021 population with `calibration` and `params`,
/// applies it to a copy of `pop` in the base year, and returns what it paid and the
/// population after it.
fn run_lever(
    lever: &str,
    pop: &incomesim::model::Population,
    calibration: Option<incomesim::policy::registry::BaseCalibration>,
    params: &str,
) -> (f64, incomesim::model::Population) {
    use incomesim::model::Accounts;
    use incomesim::policy::{LeverColumns, LeverSet, YearContext};
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let ctx = BuildContext { base_year: 2021, profile: &profile, calibration };
    let set = LeverSet::new().with(build(lever, ctx, &table(params)).expect("builds"));
    let (mut p, mut a, mut c) = (pop.clone(), Accounts::default(), LeverColumns::default());
    let paid = set.apply_year(&YearContext::base(2021, 1), &mut p, &mut a, &mut c).records[0].paid_to_households;
    (paid, p)
}

#[test]
fn a_reform_dibao_keeps_the_calibrated_take_up_unless_restated() {
    use incomesim::model::{HouseholdRecord, PersonRecord, Population, Residence};
    use incomesim::policy::YearContext;
    use incomesim::policy::registry::BaseCalibration;

    // One urban person with no income: eligible for the full threshold.
    let mut pop = Population::empty(0);
    pop.push_household(
        &HouseholdRecord { residence: Residence::Urban, ..Default::default() },
        &[PersonRecord::default()],
    );
    let paid = |calibration: Option<BaseCalibration>, params: &str| run_lever("dibao", &pop, calibration, params).0;
    let nobody = Some(BaseCalibration { take_up: [0.0, 0.0], ..BaseCalibration::NONE });
    assert_eq!(paid(nobody, ""), 0.0, "calibrated take-up 0: nobody takes it up");
    assert!(paid(None, "") > 0.0, "without calibration everyone eligible takes it up");
    assert!(paid(nobody, "take_up_urban = 1.0") > 0.0, "a restated take-up wins");
    // The priority of need: the household is entitled to its whole threshold, so with a
    // take-up of 0.2 at half the threshold it takes up when its draw is below the
    // logistic of logit(0.2) + k / 2; a steep calibrated priority takes it in, a
    // restated 0 leaves it to the draw alone.
    let u = YearContext::base(2021, 1).persistent_rng(0, incomesim::random::Purpose::TakeUp).uniform();
    let steep =
        Some(BaseCalibration { take_up: [0.2, 0.2], take_up_need_priority: [40.0, 40.0], ..BaseCalibration::NONE });
    assert!(paid(steep, "") > 0.0, "a steep priority takes a household with no income in");
    assert_eq!(paid(steep, "take_up_need_priority_urban = 0") > 0.0, u < 0.2, "priority 0: the draw {u} alone");
}

/// A reform's dibao covers old members as units of their own below the calibrated
/// line, unless the scenario restates the line.
#[test]
fn a_reform_dibao_keeps_the_calibrated_old_member_unit_line_unless_restated() {
    use incomesim::model::{Employment, HouseholdFlags, HouseholdRecord, PersonRecord, Population, Residence};
    use incomesim::policy::registry::BaseCalibration;

    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    // A worker earning 30,000 and a parent of 70 not in work: 15,000 a head, above the
    // urban threshold (705 a month in the first tier, 8,460 a year) and below three times it.
    let worker = PersonRecord {
        age: 40,
        employment: Employment::LocalEmployee,
        wage: 30_000.0,
        months_in_job: 12,
        ..Default::default()
    };
    let parent = PersonRecord { age: 70, ..Default::default() };
    let mut pop = Population::empty(0);
    pop.push_household(&HouseholdRecord { residence: Residence::Urban, ..Default::default() }, &[worker, parent]);
    let run = |calibration: Option<BaseCalibration>, params: &str| {
        let (paid, p) = run_lever("dibao", &pop, calibration, params);
        (paid, p.households.flags[0])
    };
    let lines = Some(BaseCalibration { old_member_unit_line: [3.0, 3.0], ..BaseCalibration::NONE });
    let (paid, flags) = run(lines, "");
    let annual = 12.0 * profile.dibao_threshold_per_month(Residence::Urban, 0);
    assert!((paid - annual).abs() < 1e-6, "the parent alone, with no income, gets the threshold: {paid} vs {annual}");
    assert!(flags.has(HouseholdFlags::DIBAO_SINGLE_PERSON) && flags.dibao_unit_persons() == 1);
    assert_eq!(run(lines, "old_member_unit_line_urban = 0").0, 0.0, "a restated 0 turns the units off");
    assert_eq!(run(lines, "old_member_unit_line_urban = 1.5").0, 0.0, "15,000 a head is above 1.5 times the threshold");
    assert_eq!(run(None, "").0, 0.0, "without calibration there are no units");
}

/// Every number parameter of every lever refuses 3.4e38 (a finite `f64` and `f32`
/// that overflowed the first projected year before the bounds of
/// `incomesim::model::bounds`), naming the lever and that parameter.
#[test]
fn every_number_parameter_refuses_a_value_beyond_its_bound() {
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let ctx = BuildContext { base_year: profile.base_year, profile: &profile, calibration: None };
    let mut checked = 0;
    let mut accepted = Vec::new();
    for spec in registry() {
        for p in spec.parameters {
            let huge = match p.kind {
                Kind::MoneyList => toml::Value::Array(vec![toml::Value::Float(3.4e38)]),
                Kind::Money
                | Kind::DatedMoney
                | Kind::Rate
                | Kind::DatedRate
                | Kind::DatedCount
                | Kind::Number
                | Kind::Share
                | Kind::DatedShare
                | Kind::Months
                | Kind::Whole => toml::Value::Float(3.4e38),
                Kind::Flag | Kind::Choice(_) | Kind::YearMonth => continue,
            };
            let mut params = required_values(spec.name);
            if p.name.starts_with("sanction_") {
                // The sanction's parameters are read only with it (a base scenario or a
                // case file may set them for the variants that switch it on).
                params.insert("sanction".into(), toml::Value::Boolean(true));
            }
            params.insert(p.name.to_string(), huge);
            match build(spec.name, ctx, &params) {
                Err(Error::InvalidLever { lever, field, value, problem }) => {
                    assert_eq!(lever, spec.name);
                    assert!(field.starts_with(p.name), "{}.{}: the error names {field}", spec.name, p.name);
                    assert!(
                        value.contains("3.4e38") && !problem.is_empty(),
                        "{}.{}: {value}: {problem}",
                        spec.name,
                        p.name
                    );
                }
                Err(other) => panic!("{}.{}: wrong error {other}", spec.name, p.name),
                Ok(_) => accepted.push(format!("{}.{}", spec.name, p.name)),
            }
            checked += 1;
        }
    }
    assert!(accepted.is_empty(), "3.4e38 accepted by {accepted:?}");
    assert!(checked > 100, "only {checked} parameters checked");
}

#[test]
fn rates_at_the_bound_build_and_beyond_it_do_not() {
    expect_invalid("farm_productivity", "grain_growth = 1.01", "grain_growth");
    expect_invalid("farm_productivity", "grain_growth = -1", "grain_growth");
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let ctx = BuildContext { base_year: profile.base_year, profile: &profile, calibration: None };
    assert!(build("farm_productivity", ctx, &table("grain_growth = 1.0")).is_ok());
    assert!(build("farm_productivity", ctx, &table("grain_growth = -0.99")).is_ok());
}

/// A reform's extreme-poverty support takes its own take-up (1 by assumption), not the
/// dibao's calibrated one, and the calibrated share of households without a supporter
/// unless the scenario restates it.
#[test]
fn a_reform_extreme_poverty_support_keeps_the_calibrated_no_supporter_share() {
    use incomesim::model::{HouseholdRecord, PersonRecord, Population, Residence};
    use incomesim::policy::registry::BaseCalibration;

    // One urban person of 75 with no income: no able member, the whole standard.
    let mut pop = Population::empty(0);
    pop.push_household(
        &HouseholdRecord { residence: Residence::Urban, ..Default::default() },
        &[PersonRecord { age: 75, able_to_work: false, ..PersonRecord::default() }],
    );
    let paid = |calibration: Option<BaseCalibration>, params: &str| {
        run_lever("extreme_poverty_support", &pop, calibration, params).0
    };
    let alone = |share: f64| {
        Some(BaseCalibration {
            take_up: [0.0, 0.0],
            extreme_poverty_no_supporter_share: share,
            ..BaseCalibration::NONE
        })
    };
    // The dibao's calibrated take-up of 0 does not apply to the support.
    assert!(paid(alone(1.0), "") > 0.0, "every household without a supporter is supported");
    assert_eq!(paid(alone(0.0), ""), 0.0, "a calibrated share of 0: nobody is without a supporter");
    assert!(paid(alone(0.0), "no_supporter_share = 1.0") > 0.0, "a restated share wins");
    assert_eq!(paid(alone(1.0), "take_up_urban = 0.0"), 0.0, "a restated take-up of 0 wins");
}
