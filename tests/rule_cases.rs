//! Table-driven rule cases (in the spirit of OpenFisca's YAML tests): each case in
//! `tests/cases/*.toml` (every file of the folder is run) names the levers and their
//! parameters, builds one household, applies the levers with `LeverSet::apply_year` and
//! checks each lever's amount. Levers are built through the lever registry
//! (`incomesim::policy::registry::build`), so a case's parameters are the scenario
//! parameters `incomesim levers` lists, with the same defaults and checks.
//!
//! # Case format
//! ```toml
//! profile = "national-2022"    # optional: the built-in profile giving profile defaults
//! [defaults.dibao]             # optional: parameters every case of the file starts from
//! take_up_urban = 1.0          # (a case's own values win)
//!
//! [[case]]
//! name = "unique_name"
//! year = 2022                  # optional: base_year (default: year; dated parameters'
//!                              # effective months must be in or after it), price_index,
//!                              # income_index = [u, r], seed
//! # arithmetic in a comment
//! [case.levers.dibao]          # lever name -> registry parameters; levers run in stage
//! rural_threshold_per_month = 500.0  # order, within a stage in a fixed order (below)
//! [case.household]             # HouseholdRecord fields; flags = ["dibao_last_year"]
//! residence = "rural"
//! [[case.persons]]             # PersonRecord fields; flags = ["new_job_this_year"]
//! age = 40
//! [case.expected]              # lever name -> amount paid to the household
//! dibao = 1200.0
//! [case.expected_fiscal_cost]  # optional: lever name -> ledger fiscal cost
//! [case.expected_flags]        # optional: household flag name -> bool
//! ```
//! A dated parameter is a number (constant) or a table `{ "2022-01" = 500, "2022-07" = 550 }`.
//! Any registered lever can be used; no code to add for a new family.

use incomesim::model::{
    Accounts, Disability, Education, Employment, HouseholdFlags, HouseholdRecord, Hukou, PersonFlags, PersonRecord,
    Population, Residence,
};
use incomesim::policy::registry::{BuildContext, build, registry};
use incomesim::policy::{LeverColumns, LeverSet, YearContext};
use incomesim::region::Profile;
use serde::Deserialize;
use toml::{Table, Value};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    /// Built-in profile for defaults taken from a profile (default `national-2022`).
    profile: Option<String>,
    /// Lever name -> parameters every case starts from.
    defaults: Option<Table>,
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    year: u16,
    base_year: Option<u16>,
    price_index: Option<f64>,
    income_index: Option<[f64; 2]>,
    seed: Option<u64>,
    /// Lever names in the order written (toml tables keep insertion order only with
    /// the `preserve_order` feature, so the order is also given here when it matters).
    order: Option<Vec<String>>,
    levers: Table,
    household: Table,
    persons: Vec<Table>,
    expected: Table,
    expected_fiscal_cost: Option<Table>,
    expected_flags: Option<Table>,
}

/// The order levers are added in when a case gives none (it matters within a stage:
/// 特困 before dibao, dibao before the levers that read its flags). Levers not listed
/// follow in registry order.
const CANONICAL_ORDER: [&str; 15] = [
    "social_contributions",
    "income_tax",
    "retiree_pension_adjustment",
    "resident_pension",
    "old_age_allowance",
    "disability_allowances",
    "childcare_subsidy",
    "farm_subsidies",
    "employment_transfers",
    "extreme_poverty_support",
    "dibao",
    "low_income_edge_assistance",
    "temporary_assistance",
    "price_linked_subsidy",
    "resident_pension_contribution_support",
];

fn order_key(name: &str) -> usize {
    CANONICAL_ORDER.iter().position(|c| *c == name).unwrap_or_else(|| {
        CANONICAL_ORDER.len() + registry().iter().position(|s| s.name == name).unwrap_or(usize::MAX / 2)
    })
}

fn num(t: &Table, key: &str, default: f64) -> f64 {
    match t.get(key) {
        Some(Value::Float(x)) => *x,
        Some(Value::Integer(x)) => *x as f64,
        None => default,
        Some(v) => panic!("`{key}` must be a number, got {v}"),
    }
}

fn text<'a>(t: &'a Table, key: &str, default: &'a str) -> &'a str {
    t.get(key).and_then(Value::as_str).unwrap_or(default)
}

/// A lever's parameters: the file's defaults for it, overridden by the case's.
fn parameters(defaults: Option<&Table>, case: Option<&Value>) -> Table {
    let mut t = defaults.cloned().unwrap_or_default();
    for (k, v) in case.and_then(Value::as_table).into_iter().flatten() {
        t.insert(k.clone(), v.clone());
    }
    t
}

fn household_flags(names: Option<&Value>) -> HouseholdFlags {
    let mut f = HouseholdFlags::default();
    for n in names.and_then(Value::as_array).into_iter().flatten() {
        let n = n.as_str().expect("flag name");
        let bit = HouseholdFlags::NAMES.iter().find(|(k, _)| *k == n).unwrap_or_else(|| panic!("flag `{n}`")).1;
        f.set(bit, true);
    }
    f
}

fn household(t: &Table) -> HouseholdRecord {
    HouseholdRecord {
        weight: num(t, "weight", 1.0) as f32,
        residence: Residence::parse(text(t, "residence", "rural")).expect("residence"),
        tier: num(t, "tier", 0.0) as u8,
        flags: household_flags(t.get("flags")),
        land_mu: num(t, "land_mu", 0.0) as f32,
        grassland_mu: num(t, "grassland_mu", 0.0) as f32,
        land_rented_out_mu: num(t, "land_rented_out_mu", 0.0) as f32,
        rigid_expenses: num(t, "rigid_expenses", 0.0) as f32,
        remittances: num(t, "remittances", 0.0) as f32,
        other_transfers: num(t, "other_transfers", 0.0) as f32,
        poverty_project_income: num(t, "poverty_project_income", 0.0) as f32,
    }
}

fn person(t: &Table) -> PersonRecord {
    let mut flags = PersonFlags::default();
    for n in t.get("flags").and_then(Value::as_array).into_iter().flatten() {
        let n = n.as_str().expect("flag name");
        let bit = PersonFlags::NAMES.iter().find(|(k, _)| *k == n).unwrap_or_else(|| panic!("flag `{n}`")).1;
        flags.set(bit, true);
    }
    flags.set_refusals(num(t, "refusals", 0.0) as u8);
    let employment = Employment::parse(text(t, "employment", "not_in_labour_force")).expect("employment");
    PersonRecord {
        age: num(t, "age", 30.0) as u8,
        hukou: Hukou::parse(text(t, "hukou", "rural")).expect("hukou"),
        education: Education::parse(text(t, "education", "junior_secondary")).expect("education"),
        able_to_work: t.get("able_to_work").and_then(Value::as_bool).unwrap_or(true),
        disability: Disability::parse(text(t, "disability", "none")).expect("disability"),
        employment,
        months_in_job: num(t, "months_in_job", if employment.is_working() { 12.0 } else { 0.0 }) as u8,
        flags,
        wage: num(t, "wage", 0.0) as f32,
        operating: num(t, "operating", 0.0) as f32,
        property: num(t, "property", 0.0) as f32,
        retiree_pension: num(t, "retiree_pension", 0.0) as f32,
        ..PersonRecord::default()
    }
}

fn run_file(text_: &str, origin: &str, names: &mut std::collections::HashSet<String>) -> usize {
    let file: File = toml::from_str(text_).unwrap_or_else(|e| panic!("{origin}: {e}"));
    let profile_id = file.profile.as_deref().unwrap_or("national-2022");
    let profile = Profile::builtin(profile_id).unwrap_or_else(|e| panic!("{origin}: profile {profile_id}: {e}"));
    let defaults = file.defaults.unwrap_or_default();
    for name in defaults.keys() {
        assert!(registry().iter().any(|s| s.name == name), "{origin}: defaults for unknown lever `{name}`");
    }
    let mut failures = Vec::new();
    for case in &file.case {
        assert!(names.insert(case.name.clone()), "{origin}: duplicate case name {}", case.name);
        let mut set = LeverSet::new();
        let order: Vec<String> = case.order.clone().unwrap_or_else(|| {
            let mut keys: Vec<String> = case.levers.keys().cloned().collect();
            keys.sort_by_key(|k| order_key(k));
            keys
        });
        let context =
            BuildContext { base_year: case.base_year.unwrap_or(case.year), profile: &profile, calibration: None };
        for name in &order {
            let params = parameters(defaults.get(name).and_then(Value::as_table), case.levers.get(name));
            match build(name, context, &params) {
                Ok(lever) => set.insert(lever),
                Err(e) => panic!("{origin}: case {}: lever {name}: {e}", case.name),
            }
        }
        let mut pop = Population::empty(case.seed.unwrap_or(1));
        let persons: Vec<PersonRecord> = case.persons.iter().map(person).collect();
        pop.push_household(&household(&case.household), &persons);
        let mut ctx = YearContext::base(case.year, 20_220_101);
        ctx.base_year = case.base_year.unwrap_or(case.year);
        ctx.price_index = case.price_index.unwrap_or(1.0);
        ctx.income_index = case.income_index.unwrap_or([1.0, 1.0]);
        let mut accounts = Accounts::default();
        let mut columns = LeverColumns::default();
        let ledger = set.apply_year(&ctx, &mut pop, &mut accounts, &mut columns);
        let names_in_order: Vec<String> = set.levers().map(|l| l.name().to_string()).collect();
        for (lever, want) in &case.expected {
            let want = want.as_float().or_else(|| want.as_integer().map(|x| x as f64)).expect("number");
            let got = names_in_order
                .iter()
                .position(|n| n == lever)
                .map(|i| columns.paid[i][0])
                .unwrap_or_else(|| panic!("{}: lever {lever} not in the case", case.name));
            if (got - want).abs() > 0.01 {
                failures.push(format!("{}: {lever} paid {got:.4}, expected {want}", case.name));
            }
        }
        for (lever, want) in case.expected_fiscal_cost.iter().flatten() {
            let want = want.as_float().or_else(|| want.as_integer().map(|x| x as f64)).expect("number");
            let got = ledger.get(lever).map(|r| r.fiscal_cost).unwrap_or(f64::NAN);
            if got.is_nan() || (got - want).abs() > 0.01 {
                failures.push(format!("{}: {lever} fiscal cost {got:.4}, expected {want}", case.name));
            }
        }
        for (flag, want) in case.expected_flags.iter().flatten() {
            let bit =
                HouseholdFlags::NAMES.iter().find(|(k, _)| k == flag).unwrap_or_else(|| panic!("flag `{flag}`")).1;
            let got = pop.households.flags[0].has(bit);
            if Some(got) != want.as_bool() {
                failures.push(format!("{}: flag {flag} is {got}, expected {want}", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "{origin}: {} failing case(s):\n{}", failures.len(), failures.join("\n"));
    file.case.len()
}

#[test]
fn rule_cases() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut names = std::collections::HashSet::new();
    let mut counts = Vec::new();
    for path in &files {
        let text_ = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let origin = format!("tests/cases/{}", path.file_name().and_then(|n| n.to_str()).unwrap_or("?"));
        counts.push((origin.clone(), run_file(&text_, &origin, &mut names)));
    }
    let transfers = counts.iter().find(|(o, _)| o.ends_with("transfer_rules.toml")).map_or(0, |(_, n)| *n);
    assert!(transfers >= 40, "only {transfers} transfer cases: {counts:?}");
}
