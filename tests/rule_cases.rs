//! Table-driven rule cases (in the spirit of OpenFisca's YAML tests): each case in
//! `tests/cases/*.toml` names the levers and their parameters, builds one household,
//! applies the levers with `LeverSet::apply_year` and checks each lever's amount.
//!
//! # Case format
//! ```toml
//! [[case]]
//! name = "unique_name"
//! year = 2022                  # optional: base_year, price_index, income_index = [u, r], seed
//! # arithmetic in a comment
//! [case.levers.dibao]          # lever name -> parameters; levers run in stage order,
//! rural_threshold = 500.0      # within a stage in the order written here
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
//! To add levers of another family, add an arm to [`build_lever`].

use incomesim::model::{
    Accounts, Disability, Education, Employment, HouseholdFlags, HouseholdRecord, Hukou, PersonFlags, PersonRecord,
    Population, Residence,
};
use incomesim::policy::allowances::{DisabilityAllowances, OldAgeAllowance};
use incomesim::policy::assistance::{EdgeAssistance, EmploymentTransfers, PriceLinkedSubsidy, TemporaryAssistance};
use incomesim::policy::dibao::{Dibao, ExtremePovertySupport, Indexation, JobOfferSanction};
use incomesim::policy::pension::{ContributionSupport, ResidentPension};
use incomesim::policy::retiree::RetireePensionAdjustment;
use incomesim::policy::subsidies::FarmSubsidies;
use incomesim::policy::tax::{IncomeTax, SocialContributions};
use incomesim::policy::{Dated, Lever, LeverColumns, LeverSet, YearContext, YearMonth};
use serde::Deserialize;
use toml::{Table, Value};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
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
/// 特困 before dibao, dibao before the levers that read its flags).
const CANONICAL_ORDER: [&str; 14] = [
    "social_contributions",
    "income_tax",
    "retiree_pension_adjustment",
    "resident_pension",
    "old_age_allowance",
    "disability_allowances",
    "farm_subsidies",
    "employment_transfers",
    "extreme_poverty_support",
    "dibao",
    "low_income_edge_assistance",
    "temporary_assistance",
    "price_linked_subsidy",
    "resident_pension_contribution_support",
];

fn num(t: &Table, key: &str, default: f64) -> f64 {
    match t.get(key) {
        Some(Value::Float(x)) => *x,
        Some(Value::Integer(x)) => *x as f64,
        None => default,
        Some(v) => panic!("`{key}` must be a number, got {v}"),
    }
}

fn boolean(t: &Table, key: &str) -> bool {
    t.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn text<'a>(t: &'a Table, key: &str, default: &'a str) -> &'a str {
    t.get(key).and_then(Value::as_str).unwrap_or(default)
}

fn dated(t: &Table, key: &str, default: f64) -> Dated<f64> {
    match t.get(key) {
        Some(Value::Table(steps)) => Dated::new(
            steps
                .iter()
                .map(|(k, v)| {
                    let m = YearMonth::parse(k).unwrap_or_else(|| panic!("bad month `{k}`"));
                    (m, v.as_float().or_else(|| v.as_integer().map(|x| x as f64)).expect("number"))
                })
                .collect(),
        )
        .expect("ordered steps"),
        _ => Dated::constant(num(t, key, default)),
    }
}

fn dibao_from(p: &Table) -> Dibao {
    let take_up = num(p, "take_up", 1.0);
    let tiers = |key: &str, default: f64| -> Vec<Dated<f64>> {
        match p.get(key) {
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| Dated::constant(v.as_float().or_else(|| v.as_integer().map(|x| x as f64)).expect("number")))
                .collect(),
            _ => vec![dated(p, key, default)],
        }
    };
    let mut d = Dibao::new([tiers("urban_threshold", 700.0), tiers("rural_threshold", 500.0)], [take_up, take_up])
        .expect("valid dibao");
    d.disregard_basic_pension = boolean(p, "disregard_basic_pension");
    d.employment_cost_deduction_per_month = dated(p, "employment_cost_deduction", 0.0);
    d.edge_multiple = num(p, "edge_multiple", 1.5);
    d.disregard_project_income_unable = boolean(p, "disregard_project_income_unable");
    d.single_person = boolean(p, "single_person");
    d.grace_months = num(p, "grace_months", 0.0) as u8;
    d.taper_months = num(p, "taper_months", 0.0) as u8;
    if p.contains_key("sanction_refusal_probability") {
        d.sanction = Some(JobOfferSanction {
            offers_per_year: num(p, "sanction_offers_per_year", 2.0) as u8,
            offer_probability: num(p, "sanction_offer_probability", 1.0),
            refusal_probability: num(p, "sanction_refusal_probability", 1.0),
            refusals_to_sanction: num(p, "sanction_refusals", 3.0) as u8,
            cut_share: num(p, "sanction_cut_share", 1.0),
        });
    }
    d.indexation = match text(p, "indexation", "none") {
        "prices" => Indexation::Prices,
        "incomes" => Indexation::Incomes,
        _ => Indexation::None,
    };
    if p.contains_key("rural_poverty_line") {
        d.rural_poverty_line_per_year = Some(dated(p, "rural_poverty_line", 0.0));
    }
    d.validate().expect("valid dibao");
    d
}

/// Builds a lever from its name and parameters. Add arms here for new levers.
fn build_lever(name: &str, p: &Table) -> Box<dyn Lever> {
    match name {
        "dibao" => Box::new(dibao_from(p)),
        "extreme_poverty_support" => Box::new(
            ExtremePovertySupport::new(
                dibao_from(p),
                num(p, "standard_multiple", 1.3),
                num(p, "no_supporter_share", 1.0),
            )
            .expect("valid"),
        ),
        "low_income_edge_assistance" => Box::new(
            EdgeAssistance::new(
                dibao_from(p),
                dated(p, "cash_per_person_per_month", 100.0),
                num(p, "rigid_expense_share", 0.2),
            )
            .expect("valid"),
        ),
        "temporary_assistance" => Box::new(
            TemporaryAssistance::new(
                dibao_from(p),
                num(p, "illness_probability", 1.0),
                num(p, "job_loss_probability", 0.0),
                num(p, "months_of_threshold", 3.0),
            )
            .expect("valid"),
        ),
        "price_linked_subsidy" => Box::new(
            PriceLinkedSubsidy::new(dibao_from(p), dated(p, "cpi_year_on_year", 0.0), num(p, "trigger", 0.035))
                .expect("valid"),
        ),
        "resident_pension" => {
            let mut r = ResidentPension::new(dated(p, "amount_per_month", 98.0)).expect("valid");
            if let Some(from) = p.get("increment_from").and_then(Value::as_str) {
                r = r
                    .with_yearly_increment(
                        num(p, "yearly_increment_per_month", 0.0),
                        YearMonth::parse(from).expect("month"),
                    )
                    .expect("valid");
            }
            Box::new(r)
        }
        "resident_pension_contribution_support" => Box::new(
            ContributionSupport::new(
                num(p, "dibao_contribution", 100.0),
                num(p, "severe_disability_contribution", 200.0),
                num(p, "higher_tier_subsidy_rate", 0.1),
                num(p, "higher_tier_contribution", 1000.0),
                num(p, "higher_tier_share", 0.0),
            )
            .expect("valid"),
        ),
        "retiree_pension_adjustment" => Box::new(RetireePensionAdjustment::new(dated(p, "rise", 0.0)).expect("valid")),
        "old_age_allowance" => Box::new(
            OldAgeAllowance::new(dated(p, "amount_per_month", 100.0), dated(p, "working_supplement_per_month", 50.0))
                .expect("valid")
                .with_centenarian(dated(p, "centenarian_per_month", 600.0))
                .expect("valid"),
        ),
        "disability_allowances" => {
            let mut d = DisabilityAllowances::new(
                dated(p, "severe_nursing_per_month", 100.0),
                dated(p, "poor_living_per_month", 80.0),
            )
            .expect("valid");
            d.indexed_to_prices = boolean(p, "indexed_to_prices");
            Box::new(d)
        }
        "farm_subsidies" => Box::new(
            FarmSubsidies::new(
                dated(p, "farmland_per_mu", 100.0),
                dated(p, "grazing_ban_per_mu", 7.5),
                dated(p, "grass_balance_per_mu", 2.5),
                num(p, "grazing_ban_share", 0.5),
                dated(p, "producer_per_household", 0.0),
            )
            .expect("valid"),
        ),
        "employment_transfers" => Box::new(
            EmploymentTransfers::new(
                dated(p, "job_seeking_per_graduate", 1000.0),
                dated(p, "transport_per_migrant", 500.0),
                num(p, "intern_probability", 0.0),
                num(p, "intern_months", 6.0) as u8,
                num(p, "intern_allowance_per_month", 0.0),
                dated(p, "minimum_wage_per_month", 1600.0),
            )
            .expect("valid"),
        ),
        "social_contributions" => Box::new(
            SocialContributions::new(
                num(p, "employee_rate", 0.105),
                num(p, "base_min", 40_000.0),
                num(p, "base_max", 300_000.0),
                num(p, "informal_below", 30_000.0),
            )
            .expect("valid"),
        ),
        "income_tax" => Box::new(IncomeTax::default()),
        other => panic!("no builder for lever `{other}`: add an arm to build_lever"),
    }
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

fn run_file(text_: &str, origin: &str) -> usize {
    let file: File = toml::from_str(text_).unwrap_or_else(|e| panic!("{origin}: {e}"));
    let mut names = std::collections::HashSet::new();
    let mut failures = Vec::new();
    for case in &file.case {
        assert!(names.insert(case.name.clone()), "duplicate case name {}", case.name);
        let mut set = LeverSet::new();
        let order: Vec<String> = case.order.clone().unwrap_or_else(|| {
            let mut keys: Vec<String> = case.levers.keys().cloned().collect();
            keys.sort_by_key(|k| CANONICAL_ORDER.iter().position(|c| c == k).unwrap_or(usize::MAX));
            keys
        });
        for name in &order {
            let params = case.levers.get(name).and_then(Value::as_table).cloned().unwrap_or_default();
            set.insert(build_lever(name, &params));
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
fn transfer_rule_cases() {
    let n = run_file(include_str!("cases/transfer_rules.toml"), "tests/cases/transfer_rules.toml");
    assert!(n >= 40, "only {n} cases");
}
