//! Hand-checked cases for every wage, operating and property lever, and properties
//! over random households.

use incomesim::model::{
    Accounts, Disability, Employment, HouseholdFlags, HouseholdRecord, IncomePart, Occupation, PersonRecord,
    Population, Residence,
};
use incomesim::policy::employment::{LabourTransfer, PublicWelfarePosts, SkillsTraining, StartUpSupport};
use incomesim::policy::farm::{EnterpriseLinkage, FarmProductivity};
use incomesim::policy::property::{CollectiveDividend, LandTransfer, PropertyIncomeGrowth};
use incomesim::policy::rationing::allocate;
use incomesim::policy::wages::{
    MinimumWage, PublicSectorPay, RuralDoctorTeacherAllowances, WageGuideline, WorkForRelief,
};
use incomesim::policy::{Dated, Ledger, Lever, LeverColumns, LeverSet, YearContext, YearMonth, market_accounts};
use proptest::prelude::*;

fn ym(year: u16, month: u8) -> YearMonth {
    YearMonth { year, month }
}

fn person(age: u8, employment: Employment) -> PersonRecord {
    PersonRecord { age, employment, months_in_job: if employment.is_working() { 12 } else { 0 }, ..Default::default() }
}

fn rural() -> HouseholdRecord {
    HouseholdRecord::default()
}

fn urban() -> HouseholdRecord {
    HouseholdRecord { residence: Residence::Urban, ..Default::default() }
}

/// Applies one lever; returns the ledger, the accounts and the lever's column.
fn run(lever: Box<dyn Lever>, pop: &mut Population, year: u16) -> (Ledger, Accounts, Vec<f64>) {
    let set = LeverSet::new().with(lever);
    let mut accounts = Accounts::default();
    let mut columns = LeverColumns::default();
    let ledger = set.apply_year(&YearContext::base(year, 11), pop, &mut accounts, &mut columns);
    (ledger, accounts, columns.paid.remove(0))
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-3, "{a} != {b}");
}

#[test]
fn public_welfare_posts_by_priority_with_a_mid_year_pay_rise() {
    let mut pop = Population::empty(0);
    // 0: household of one, unemployed, zero-employment household: class 0.
    pop.push_household(&rural(), &[person(35, Employment::Unemployed)]);
    // 1: a 30-year-old man not working in a household with a worker, no flag: ineligible.
    pop.push_household(&rural(), &[person(30, Employment::NotInLabourForce), person(40, Employment::LocalEmployee)]);
    // 2: a moderately disabled person beside a worker: class 1 and the quota group.
    let disabled = PersonRecord { disability: Disability::Moderate, ..person(30, Employment::Unemployed) };
    pop.push_household(&rural(), &[disabled, person(40, Employment::LocalEmployee)]);
    // 3: severely disabled, not able to work: ineligible.
    let severe =
        PersonRecord { disability: Disability::Severe, able_to_work: false, ..person(30, Employment::Unemployed) };
    pop.push_household(&rural(), &[severe]);
    // Pay 500 until June 2022, 600 from July: 6*500 + 6*600 = 6,600 for a January hire.
    let pay = Dated::new(vec![(ym(2020, 1), 500.0), (ym(2022, 7), 600.0)]).expect("ordered");
    let lever = PublicWelfarePosts::new(Dated::constant(2.0), pay, 0.10, 1).expect("valid");
    let (ledger, accounts, col) = run(Box::new(lever), &mut pop, 2022);
    assert_eq!(col, vec![6600.0, 0.0, 6600.0, 0.0]);
    close(accounts.wage[0], 6600.0);
    close(ledger.records[0].paid_to_households, 13_200.0);
    assert_eq!(pop.persons.employment[0], Employment::PublicWelfarePost);
    assert_eq!(pop.persons.months_in_job[0], 12);
}

#[test]
fn post_hired_in_july_is_paid_six_months_and_a_farmer_loses_operating_income() {
    let mut pop = Population::empty(0);
    let mut flags = HouseholdFlags::default();
    flags.set(HouseholdFlags::FORMERLY_POOR, true);
    // A 4050 farmer (man of 52) with 12,000 operating income: class 2.
    let farmer = PersonRecord { operating: 12_000.0, ..person(52, Employment::FarmerHerder) };
    pop.push_household(&HouseholdRecord { flags, ..rural() }, &[farmer]);
    let lever = PublicWelfarePosts::new(Dated::constant(1.0), Dated::constant(500.0), 0.0, 7).expect("valid");
    let (_, accounts, col) = run(Box::new(lever), &mut pop, 2023);
    // Wage 6 * 500 = 3,000; operating lost 12,000 * 6/12 = 6,000; net -3,000.
    close(accounts.wage[0], 3000.0);
    close(accounts.operating[0], 6000.0);
    close(col[0], -3000.0);
    assert_eq!(pop.persons.months_in_job[0], 6);
}

#[test]
fn labour_transfer_local_job_and_long_term_migrant_remittances() {
    let mut pop = Population::empty(0);
    pop.push_household(&rural(), &[PersonRecord { operating: 12_000.0, ..person(30, Employment::FarmerHerder) }]);
    pop.push_household(&urban(), &[person(30, Employment::Unemployed)]);
    let mut lever = LabourTransfer::new(Dated::constant(5.0), Dated::constant(2500.0)).expect("valid");
    lever.wage_sigma = 0.0;
    lever.migrant_share = 0.0;
    lever.retention = 1.0;
    // From March: wage 10 * 2,500 = 25,000; operating lost 12,000 * 10/12 = 10,000.
    let (_, accounts, col) = run(Box::new(lever.clone()), &mut pop, 2023);
    close(accounts.wage[0], 25_000.0);
    close(accounts.operating[0], 2000.0);
    assert_eq!(col[1], 0.0, "urban household is not eligible");
    assert_eq!(pop.persons.employment[0], Employment::LocalEmployee);

    // Long-term migrant from January: wage 12 * 2,500 * 1.3 = 39,000; 30% sent home = 11,700.
    let mut pop = Population::empty(0);
    pop.push_household(&rural(), &[person(30, Employment::Unemployed)]);
    lever.migrant_share = 1.0;
    lever.long_term_share = 1.0;
    lever.start_month = 1;
    let (_, accounts, _) = run(Box::new(lever.validated().expect("valid")), &mut pop, 2023);
    close(accounts.transfers_received[0], 11_700.0);
    close(accounts.wage[0], 0.0);
}

#[test]
fn skills_training_raises_wages_and_pays_allowances() {
    let mut pop = Population::empty(0);
    pop.push_household(&rural(), &[person(30, Employment::LocalEmployee)]);
    pop.push_household(&rural(), &[person(65, Employment::LocalEmployee)]);
    let mut lever = SkillsTraining::new(Dated::constant(10.0)).expect("valid");
    lever.living_allowance = 300.0;
    lever.certificate_rate = 0.0;
    // Trained in March: 1.88 * 174 = 327.12 a month, * 9 months = 2,944.08 more wage; allowance 300.
    let (_, accounts, col) = run(Box::new(lever), &mut pop, 2023);
    close(accounts.wage[0], 2944.08);
    close(accounts.transfers_received[0], 300.0);
    assert_eq!(col[1], 0.0, "aged 65: not eligible");
}

#[test]
fn start_up_support_grant_business_income_and_interest_cost() {
    let mut pop = Population::empty(0);
    pop.push_household(&rural(), &[person(30, Employment::Unemployed)]);
    pop.push_household(&rural(), &[person(30, Employment::Student)]);
    let mut lever = StartUpSupport::new(Dated::constant(1.0)).expect("valid");
    lever.farm_share = 0.0;
    // Grant 5,000; business income 12 * 3,000 = 36,000; interest 0.5 * 200,000 * 0.0365 = 3,650.
    let (ledger, accounts, col) = run(Box::new(lever), &mut pop, 2023);
    close(accounts.operating[0], 36_000.0);
    close(accounts.transfers_received[0], 5000.0);
    assert_eq!(col[1], 0.0);
    close(ledger.records[0].fiscal_cost, 41_000.0 + 3650.0);
}

#[test]
fn minimum_wage_floor_changing_mid_year_and_exactly_at_floor() {
    // Shanxi tier 1: 1,450 from 2014-04, 1,700 from 2017-10.
    let floor = Dated::new(vec![(ym(2014, 4), 1450.0), (ym(2017, 10), 1700.0)]).expect("ordered");
    let lever = MinimumWage::new(vec![floor]).expect("valid");
    let mut pop = Population::empty(0);
    // Full year: owed 9 * 1,450 + 3 * 1,700 = 18,150; paid 17,000 -> +1,150.
    pop.push_household(&urban(), &[PersonRecord { wage: 17_000.0, ..person(30, Employment::LocalEmployee) }]);
    // Exactly at the floor: nothing.
    pop.push_household(&urban(), &[PersonRecord { wage: 18_150.0, ..person(30, Employment::LocalEmployee) }]);
    // Found a job in October (3 months): owed 3 * 1,700 = 5,100; paid 4,000 -> +1,100.
    let late = PersonRecord { wage: 4000.0, months_in_job: 3, ..person(30, Employment::LocalEmployee) };
    pop.push_household(&urban(), &[late]);
    // Public sector is not covered.
    pop.push_household(&urban(), &[PersonRecord { wage: 1000.0, ..person(30, Employment::PublicSector) }]);
    let (_, _, col) = run(Box::new(lever), &mut pop, 2017);
    assert_eq!(col, vec![1150.0, 0.0, 1100.0, 0.0]);
}

#[test]
fn wage_guideline_public_pay_and_rural_allowances() {
    let mut pop = Population::empty(0);
    pop.push_household(&urban(), &[PersonRecord { wage: 30_000.0, ..person(30, Employment::LocalEmployee) }]);
    pop.push_household(&urban(), &[person(70, Employment::Retired)]);
    let (_, _, col) = run(Box::new(WageGuideline::new(Dated::constant(0.07)).expect("valid")), &mut pop, 2023);
    close(col[0], 2100.0); // 30,000 * 7%
    assert_eq!(col[1], 0.0);

    let raise = Dated::new(vec![(ym(2020, 1), 0.0), (ym(2022, 7), 0.05)]).expect("ordered");
    let mut pop = Population::empty(0);
    let teacher =
        PersonRecord { wage: 60_000.0, occupation: Occupation::Teacher, ..person(40, Employment::PublicSector) };
    let official = PersonRecord { wage: 60_000.0, ..person(40, Employment::PublicSector) };
    pop.push_household(&urban(), &[teacher]);
    pop.push_household(&urban(), &[official]);
    let lever = PublicSectorPay::new(raise, Some(70_000.0)).expect("valid");
    let (_, _, col) = run(Box::new(lever), &mut pop, 2022);
    // Official: 5,000 a month * 5% * 6 months = 1,500. Teacher: raised to parity 70,000: +10,000.
    assert_eq!(col, vec![10_000.0, 1500.0]);

    let mut pop = Population::empty(0);
    let doctor = PersonRecord { occupation: Occupation::VillageDoctor, ..person(50, Employment::SelfEmployed) };
    pop.push_household(&rural(), &[doctor]);
    pop.push_household(&urban(), &[doctor]);
    let lever = RuralDoctorTeacherAllowances::new(Dated::constant(500.0), Dated::constant(0.0)).expect("valid");
    let (_, _, col) = run(Box::new(lever), &mut pop, 2022);
    assert_eq!(col, vec![6000.0, 0.0]); // 12 * 500; urban doctor gets nothing
}

#[test]
fn work_for_relief_pays_the_labour_share_and_costs_the_whole_investment() {
    let mut pop = Population::empty(0);
    for _ in 0..3 {
        pop.push_household(&rural(), &[person(40, Employment::FarmerHerder)]);
    }
    pop.push_household(&urban(), &[person(40, Employment::Unemployed)]);
    // 60,000 * 20% = 12,000 wage bill; 100 * 60 = 6,000 a worker: 2 places.
    let lever = WorkForRelief::new(Dated::constant(60_000.0)).expect("valid");
    let (ledger, _, col) = run(Box::new(lever), &mut pop, 2022);
    close(col.iter().sum::<f64>(), 12_000.0);
    assert_eq!(col[3], 0.0);
    close(ledger.records[0].fiscal_cost, 60_000.0);
}

#[test]
fn farm_levers() {
    let mut pop = Population::empty(0);
    pop.push_household(&rural(), &[PersonRecord { operating: 10_000.0, ..person(45, Employment::FarmerHerder) }]);
    pop.push_household(&rural(), &[person(45, Employment::Unemployed)]); // zero income
    // 0.5 * 2% + 0.1 * 3% = 1.3% of 10,000 = 130.
    let (_, _, col) = run(Box::new(FarmProductivity::liupanshui().expect("valid")), &mut pop, 2022);
    close(col[0], 130.0);
    assert_eq!(col[1], 0.0);

    let mut pop = Population::empty(0);
    pop.push_household(&rural(), &[PersonRecord { operating: 10_000.0, ..person(45, Employment::FarmerHerder) }]);
    pop.push_household(&rural(), &[person(45, Employment::Unemployed)]);
    let lever = EnterpriseLinkage::new(Dated::constant(5.0)).expect("valid");
    let (ledger, _, col) = run(Box::new(lever), &mut pop, 2022);
    // 10% of 10,000 = 1,000; award 1,000 a household.
    assert_eq!(col, vec![1000.0, 0.0]);
    close(ledger.records[0].fiscal_cost, 2000.0);
}

#[test]
fn property_levers() {
    let mut pop = Population::empty(0);
    let farmer = PersonRecord { operating: 8000.0, ..person(45, Employment::FarmerHerder) };
    pop.push_household(&HouseholdRecord { land_mu: 10.0, ..rural() }, &[farmer]);
    let mut flags = HouseholdFlags::default();
    flags.set(HouseholdFlags::SHAREHOLDER, true);
    pop.push_household(&HouseholdRecord { land_mu: 10.0, flags, ..rural() }, &[farmer]);
    pop.push_household(&rural(), &[farmer]); // no land: nothing
    let mut lever = LandTransfer::new(Dated::constant(400.0)).expect("valid");
    lever.participation = 1.0;
    // 5 mu * 400 = 2,000 rent; operating lost 8,000 * 5/10 = 4,000. Shareholder: 5 * max(400, 600) = 3,000.
    let (_, accounts, col) = run(Box::new(lever), &mut pop, 2022);
    close(accounts.property[0], 2000.0);
    close(accounts.operating[0], 4000.0);
    close(col[1], 3000.0 - 4000.0);
    assert_eq!(col[2], 0.0);

    let mut pop = Population::empty(0);
    let mut flags = HouseholdFlags::default();
    flags.set(HouseholdFlags::COLLECTIVE_MEMBER, true);
    pop.push_household(&HouseholdRecord { flags, ..rural() }, &[person(40, Employment::FarmerHerder); 3]);
    pop.push_household(&rural(), &[person(40, Employment::FarmerHerder)]);
    let (_, _, col) = run(Box::new(CollectiveDividend::new(Dated::constant(50.0)).expect("valid")), &mut pop, 2022);
    assert_eq!(col, vec![1800.0, 0.0]); // 3 members * 50 * 12

    let mut pop = Population::empty(0);
    pop.push_household(&urban(), &[PersonRecord { property: 1000.0, ..person(40, Employment::Retired) }]);
    let (_, _, col) = run(Box::new(PropertyIncomeGrowth::new(Dated::constant(0.05)).expect("valid")), &mut pop, 2022);
    close(col[0], 50.0);
}

#[test]
fn constructors_reject_bad_parameters() {
    assert!(PublicWelfarePosts::new(Dated::constant(-1.0), Dated::constant(500.0), 0.1, 1).is_err());
    assert!(PublicWelfarePosts::new(Dated::constant(1.0), Dated::constant(500.0), 1.1, 1).is_err());
    assert!(PublicWelfarePosts::new(Dated::constant(1.0), Dated::constant(500.0), 0.1, 13).is_err());
    assert!(MinimumWage::new(vec![]).is_err());
    assert!(WorkForRelief::new(Dated::constant(-5.0)).is_err());
    assert!(LandTransfer::new(Dated::constant(-400.0)).is_err());
    assert!(
        FarmProductivity::new(Dated::constant(0.02), Dated::constant(0.03), Dated::constant(0.0), [0.7, 0.5, 0.0])
            .is_err()
    );
    assert!(WageGuideline::new(Dated::constant(-1.5)).is_err());
    // Out-of-order steps from a deserialised Dated.
    let bad: Dated<f64> =
        serde_json::from_str(r#"{"steps":[[{"year":2022,"month":7},1.0],[{"year":2020,"month":1},2.0]]}"#)
            .expect("json");
    assert!(CollectiveDividend::new(bad).is_err());
}

fn all_levers() -> Vec<Box<dyn Lever>> {
    let mut transfer = LabourTransfer::new(Dated::constant(4.0), Dated::constant(2500.0)).expect("valid");
    transfer.migrant_share = 0.6;
    let mut land = LandTransfer::new(Dated::constant(400.0)).expect("valid");
    land.participation = 0.5;
    vec![
        Box::new(MinimumWage::new(vec![Dated::constant(1700.0)]).expect("valid")),
        Box::new(WageGuideline::new(Dated::constant(0.05)).expect("valid")),
        Box::new(PublicSectorPay::new(Dated::constant(0.03), Some(60_000.0)).expect("valid")),
        Box::new(RuralDoctorTeacherAllowances::new(Dated::constant(500.0), Dated::constant(300.0)).expect("valid")),
        Box::new(FarmProductivity::liupanshui().expect("valid")),
        Box::new(land),
        Box::new(CollectiveDividend::new(Dated::constant(20.0)).expect("valid")),
        Box::new(PropertyIncomeGrowth::new(Dated::constant(0.03)).expect("valid")),
        Box::new(PublicWelfarePosts::new(Dated::constant(3.0), Dated::constant(500.0), 0.1, 4).expect("valid")),
        Box::new(transfer),
        Box::new(SkillsTraining::new(Dated::constant(3.0)).expect("valid")),
        Box::new(StartUpSupport::new(Dated::constant(2.0)).expect("valid")),
        Box::new(WorkForRelief::new(Dated::constant(30_000.0)).expect("valid")),
        Box::new(EnterpriseLinkage::new(Dated::constant(2.0)).expect("valid")),
    ]
}

fn arb_person() -> impl Strategy<Value = PersonRecord> {
    (0u8..90, 0usize..10, 0u8..3, 0.0f32..60_000.0, 0.0f32..20_000.0, 0.0f32..3000.0, 0u8..4, 0u8..13).prop_map(
        |(age, e, d, wage, op, prop, occ, months)| {
            let employment = incomesim::model::Employment::ALL[e];
            PersonRecord {
                age,
                employment,
                disability: incomesim::model::Disability::ALL[d as usize],
                able_to_work: d < 2,
                wage: if employment.earns_wage() { wage } else { 0.0 },
                operating: if employment.earns_operating() { op } else { 0.0 },
                property: prop,
                occupation: Occupation::ALL[occ as usize],
                months_in_job: if employment.is_working() { months.max(1) } else { 0 },
                ..Default::default()
            }
        },
    )
}

fn arb_household() -> impl Strategy<Value = (HouseholdRecord, Vec<PersonRecord>)> {
    (0.2f32..4.0, any::<bool>(), 0u16..1024, 0.0f32..20.0, prop::collection::vec(arb_person(), 1..5)).prop_map(
        |(weight, is_urban, flags, land, members)| {
            let residence = if is_urban { Residence::Urban } else { Residence::Rural };
            (
                HouseholdRecord {
                    weight,
                    residence,
                    flags: HouseholdFlags(flags),
                    land_mu: land,
                    ..Default::default()
                },
                members,
            )
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn ledger_columns_and_accounts_agree(households in prop::collection::vec(arb_household(), 1..30)) {
        let mut pop = Population::empty(0);
        for (hh, m) in &households {
            pop.push_household(hh, m);
        }
        let original = pop.clone();
        let mut before = Accounts::default();
        market_accounts(&original, &mut before);
        let mut set = LeverSet::new();
        for l in all_levers() {
            set.insert(l);
        }
        let ctx = YearContext::base(2023, 5);
        // Places of the rationed levers, checked against a fresh allocation on the
        // original population (the set changes the population as it goes).
        let posts = PublicWelfarePosts::new(Dated::constant(3.0), Dated::constant(500.0), 0.1, 4).expect("valid");
        let a = allocate(&posts, &ctx, &[&original]).expect("valid");
        let max_w = pop.households.weight.iter().fold(0.0f64, |m, &w| m.max(w as f64));
        prop_assert!(a.report.filled <= 3.0 + max_w / 2.0 + 1e-9);
        let mut accounts = Accounts::default();
        let mut columns = LeverColumns::default();
        let ledger = set.apply_year(&ctx, &mut pop, &mut accounts, &mut columns);
        let n = pop.household_count();
        for (record, col) in ledger.records.iter().zip(&columns.paid) {
            let weighted: f64 = (0..n).map(|h| col[h] * pop.households.weight[h] as f64).sum();
            prop_assert!((record.paid_to_households - weighted).abs() < 1e-6 * (1.0 + weighted.abs()), "{}", record.lever);
        }
        for h in 0..n {
            let change: f64 = IncomePart::ALL.iter().map(|&p| {
                let s = if p == IncomePart::TransfersPaid { -1.0 } else { 1.0 };
                s * (accounts.parts(h).get(p) - before.parts(h).get(p))
            }).sum();
            let paid: f64 = columns.paid.iter().map(|c| c[h]).sum();
            prop_assert!((change - paid).abs() < 1e-6 * (1.0 + paid.abs()));
        }
        // Posts: persons newly in a post, weighted, never exceed the places by more than half a household.
        let mut newly = 0.0;
        for h in 0..n {
            for i in pop.members(h) {
                if pop.persons.employment[i] == Employment::PublicWelfarePost
                    && original.persons.employment[i] != Employment::PublicWelfarePost {
                    newly += pop.households.weight[h] as f64;
                }
            }
        }
        prop_assert!(newly <= 3.0 + max_w / 2.0 + 1e-6);
    }
}

#[test]
fn the_ledger_reports_places_filled_and_unfilled() {
    // Five posts, weight 1 each household; only two people can take one (the third
    // household's member is 70, too old): 2 filled, 3 unfilled.
    let mut pop = Population::empty(0);
    pop.push_household(&rural(), &[person(30, Employment::Unemployed)]);
    pop.push_household(&rural(), &[person(45, Employment::Unemployed)]);
    pop.push_household(&rural(), &[person(70, Employment::NotInLabourForce)]);
    let lever = PublicWelfarePosts::new(Dated::constant(5.0), Dated::constant(500.0), 0.0, 1).expect("valid");
    let (ledger, _, col) = run(Box::new(lever), &mut pop, 2023);
    let r = &ledger.records[0];
    close(r.places, 5.0);
    close(r.filled_places, 2.0);
    close(r.unfilled_places, 3.0);
    // The third household is ineligible and gets nothing.
    close(col[2], 0.0);
    // A lever that is not rationed reports no places.
    let (ledger, _, _) = run(Box::new(MinimumWage::new(vec![Dated::constant(1900.0)]).expect("valid")), &mut pop, 2023);
    close(ledger.records[0].places, 0.0);
}
