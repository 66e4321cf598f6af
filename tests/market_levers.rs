//! Hand-checked cases for every wage, operating and property lever, and properties
//! over random households.

use incomesim::model::{
    Accounts, Disability, Employment, HouseholdFlags, HouseholdRecord, IncomePart, Occupation, PersonFlags,
    PersonRecord, Population, Residence, Sex,
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

/// Applies one lever in the base year `year`; returns the ledger, the accounts and the
/// lever's column.
fn run(lever: Box<dyn Lever>, pop: &mut Population, year: u16) -> (Ledger, Accounts, Vec<f64>) {
    run_in(&YearContext::base(year, 11), lever, pop)
}

/// Applies one lever in the year of `ctx`.
fn run_in(ctx: &YearContext, lever: Box<dyn Lever>, pop: &mut Population) -> (Ledger, Accounts, Vec<f64>) {
    let set = LeverSet::new().with(lever);
    let mut accounts = Accounts::default();
    let mut columns = LeverColumns::default();
    let ledger = set.apply_year(ctx, pop, &mut accounts, &mut columns);
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

/// A person who left a wage job during the year (out of work, with the months worked
/// and their pay kept by the dynamics) keeps that pay when a lever hires them: their
/// wage of the year is both, and next year's rate is the new job's alone. Posts, whose
/// pay stays as the lever sets it, take on only people out of work all year, and
/// start-up support no one who left own-account work that year.
#[test]
fn a_person_who_left_work_this_year_keeps_its_pay_and_next_year_earns_the_new_jobs_rate() {
    let left = PersonRecord { months_in_job: 5, wage: 15_000.0, ..person(35, Employment::Unemployed) };
    let idle = person(35, Employment::Unemployed);
    let two = |a: PersonRecord, b: PersonRecord| {
        let mut pop = Population::empty(0);
        pop.push_household(&rural(), &[a]);
        pop.push_household(&rural(), &[b]);
        pop
    };
    // Posts: only the one out of work all year.
    let posts = PublicWelfarePosts::new(Dated::constant(10.0), Dated::constant(500.0), 0.0, 1).expect("valid");
    let mut pop = two(left, idle);
    let (_, accounts, col) = run(Box::new(posts), &mut pop, 2023);
    assert_eq!(col, vec![0.0, 6000.0]);
    close(accounts.wage[0], 15_000.0);
    // Training finds both a job from its month after training: the kept pay stays.
    let mut training = SkillsTraining::new(Dated::constant(10.0)).expect("valid");
    training.employment_probability = 1.0;
    let mut pop = two(left, idle);
    let (_, accounts, col) = run(Box::new(training), &mut pop, 2023);
    assert_eq!(pop.persons.employment[..], [Employment::LocalEmployee, Employment::LocalEmployee]);
    assert_eq!(col[0], col[1], "the same job and allowance");
    close(accounts.wage[0], 15_000.0 + accounts.wage[1]);
    let (new_pay, months) = (pop.persons.wage[1] as f64, pop.persons.months_in_job[0]);
    assert!(months > 0 && months < 12, "{months}");
    // Next year, without growth or shocks: the new job's full-year rate for both.
    incomesim::dynamics::Dynamics::none().advance(&YearContext::base(2024, 11), &mut pop);
    let rate = new_pay * 12.0 / months as f64;
    for i in 0..2 {
        let w = pop.persons.wage[i] as f64;
        assert!((w / rate - 1.0).abs() < 1e-3, "person {i}: {w} against the new job's {rate}");
    }
    // Labour transfer takes on both; the kept pay stays this year.
    let mut transfer = LabourTransfer::new(Dated::constant(10.0), Dated::constant(2500.0)).expect("valid");
    transfer.wage_sigma = 0.0;
    transfer.migrant_share = 0.0;
    transfer.retention = 1.0;
    let mut pop = two(left, idle);
    let (_, accounts, col) = run(Box::new(transfer), &mut pop, 2023);
    close(col[0], col[1]);
    close(accounts.wage[0], 15_000.0 + col[1]);
    // Start-up support: not one who left own-account work this year (operating kept).
    let farmer_left = PersonRecord { months_in_job: 5, operating: 8_000.0, ..person(35, Employment::Unemployed) };
    let mut pop = two(farmer_left, idle);
    let (_, accounts, col) = run(Box::new(StartUpSupport::new(Dated::constant(10.0)).expect("valid")), &mut pop, 2023);
    assert_eq!(col[0], 0.0);
    assert!(col[1] > 0.0);
    close(accounts.operating[0], 8_000.0);
}

/// Pay kept of a wage job left earlier in the year stays a transitory part of the
/// year's wage whatever the person did since: a long-term transfer that set them out of
/// the labour force with no months (then trained into a job), or farming begun after
/// the job (then a labour transfer). Next year each earns the new job's rate.
#[test]
fn pay_kept_of_earlier_work_stays_transitory_whatever_came_between() {
    let away = PersonRecord { months_in_job: 0, wage: 15_000.0, ..person(35, Employment::NotInLabourForce) };
    let farming = PersonRecord { months_in_job: 4, wage: 15_000.0, ..person(35, Employment::FarmerHerder) };
    let idle = person(35, Employment::Unemployed);
    let next_year_rates = |lever: Box<dyn incomesim::policy::Lever>, kept: PersonRecord| {
        let mut pop = Population::empty(0);
        pop.push_household(&rural(), &[kept]);
        pop.push_household(&rural(), &[idle]);
        let _ = run(lever, &mut pop, 2023);
        assert_eq!(pop.persons.employment[0], pop.persons.employment[1], "both hired");
        assert_eq!(pop.persons.months_in_job[0], pop.persons.months_in_job[1], "the same months");
        let (w0, w1) = (pop.persons.wage[0] as f64, pop.persons.wage[1] as f64);
        assert!((w0 - 15_000.0 - w1).abs() < 0.01, "this year: {w0} against 15,000 + {w1}");
        incomesim::dynamics::Dynamics::none().advance(&YearContext::base(2024, 11), &mut pop);
        (pop.persons.wage[0] as f64, pop.persons.wage[1] as f64)
    };
    let mut training = SkillsTraining::new(Dated::constant(10.0)).expect("valid");
    training.employment_probability = 1.0;
    let (kept, new) = next_year_rates(Box::new(training), away);
    assert!((kept / new - 1.0).abs() < 1e-3, "after a transfer away: {kept} against the new job's {new}");
    let mut transfer = LabourTransfer::new(Dated::constant(10.0), Dated::constant(2500.0)).expect("valid");
    transfer.wage_sigma = 0.0;
    transfer.migrant_share = 0.0;
    transfer.retention = 1.0;
    let (kept, new) = next_year_rates(Box::new(transfer), farming);
    assert!((kept / new - 1.0).abs() < 1e-3, "after farming: {kept} against the new job's {new}");
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
    assert_eq!(col[1], 0.0, "a student is neither a founder nor hired");
    close(ledger.records[0].paid_to_households, 41_000.0);
    // The business income is the market's: the fiscal cost is the grant and the interest.
    close(ledger.records[0].fiscal_cost, 5000.0 + 3650.0);
}

#[test]
fn start_ups_hire_residents_without_work_in_their_residence_by_priority() {
    let mut pop = Population::empty(0);
    // 0: the only person old enough to found a business (18-59): the founder.
    pop.push_household(&rural(), &[person(30, Employment::Unemployed)]);
    // 1-3: aged 16-17, too young to found, old enough to be hired: unemployed (priority
    // 0), out of the labour force (1), a farmer with 10,000 of farm income (2).
    pop.push_household(&rural(), &[person(17, Employment::Unemployed)]);
    pop.push_household(&rural(), &[person(16, Employment::NotInLabourForce)]);
    let farmer = PersonRecord { operating: 10_000.0, ..person(17, Employment::FarmerHerder) };
    pop.push_household(&rural(), &[farmer]);
    // 4: an urban unemployed person: another residence, not hired by a rural start-up.
    pop.push_household(&urban(), &[person(17, Employment::Unemployed)]);
    // 5: away as a long-term migrant (transferred, out of the labour force): not hired.
    pop.push_household(
        &rural(),
        &[with_person_flag(person(17, Employment::NotInLabourForce), PersonFlags::TRANSFERRED)],
    );
    let mut lever = StartUpSupport::new(Dated::constant(1.0)).expect("valid");
    lever.farm_share = 0.0;
    lever.start_month = 7;
    // Three jobs: the founder's and two more, from July at 2,500 a month: 6 * 2,500 = 15,000.
    lever.jobs_per_start_up = 3.0;
    let (ledger, accounts, col) = run(Box::new(lever.clone()), &mut pop, 2023);
    // Founder: 6 * 3,000 + 5,000.
    assert_eq!(col, vec![23_000.0, 15_000.0, 15_000.0, 0.0, 0.0, 0.0]);
    close(accounts.wage[1], 15_000.0);
    assert_eq!(pop.persons.employment[1], Employment::LocalEmployee);
    assert_eq!(pop.persons.months_in_job[2], 6);
    assert!(pop.persons.flags[2].has(PersonFlags::NEW_JOB_THIS_YEAR));
    assert_eq!(pop.persons.employment[3], Employment::FarmerHerder);
    let record = &ledger.records[0];
    close(record.paid_to_households, 53_000.0);
    // Business income and the hires' wages: 18,000 + 2 * 15,000.
    close(record.paid_privately, 48_000.0);
    close(record.recipient_households, 3.0);
    // The wages are the businesses': the fiscal cost is the grant and the interest.
    close(record.fiscal_cost, 5000.0 + 3650.0);
    // Two jobs for others, both filled.
    assert_eq!([record.hires_offered, record.hires_filled], [2.0, 2.0]);
    assert_eq!([record.places, record.filled_places], [1.0, 1.0], "the start-ups themselves");
    // Six jobs: five for others, and only three rural residents without paid work to
    // take them (the urban one and the migrant away are not offered them).
    lever.jobs_per_start_up = 6.0;
    // The founder, then those who can be hired: unemployed, out of the labour force, farmer.
    let founder_and_hires = || {
        let mut pop = Population::empty(0);
        pop.push_household(&rural(), &[person(30, Employment::Unemployed)]);
        pop.push_household(&rural(), &[person(17, Employment::Unemployed)]);
        pop.push_household(&rural(), &[person(16, Employment::NotInLabourForce)]);
        pop.push_household(&rural(), &[farmer]);
        pop
    };
    let mut pop = founder_and_hires();
    pop.push_household(&urban(), &[person(17, Employment::Unemployed)]);
    let (ledger, _, col) = run(Box::new(lever.clone()), &mut pop, 2023);
    assert_eq!([ledger.records[0].hires_offered, ledger.records[0].hires_filled], [5.0, 3.0]);
    assert_eq!(col[4], 0.0);
    // Four jobs: the farmer is hired too and gives up the farm income of July to December.
    lever.jobs_per_start_up = 4.0;
    let mut pop = founder_and_hires();
    let (ledger, _, col) = run(Box::new(lever.clone()), &mut pop, 2023);
    assert_eq!(col, vec![23_000.0, 15_000.0, 15_000.0, 15_000.0 - 5000.0]);
    close(ledger.records[0].fiscal_cost, 5000.0 + 3650.0);
    assert_eq!([ledger.records[0].hires_offered, ledger.records[0].hires_filled], [3.0, 3.0]);
    // One job per start-up (the founder's alone): nobody is hired.
    lever.jobs_per_start_up = 1.0;
    let mut pop = Population::empty(0);
    pop.push_household(&rural(), &[person(30, Employment::Unemployed)]);
    pop.push_household(&rural(), &[person(17, Employment::Unemployed)]);
    let (ledger, _, col) = run(Box::new(lever), &mut pop, 2023);
    assert_eq!(col, vec![23_000.0, 0.0]);
    assert_eq!([ledger.records[0].hires_offered, ledger.records[0].hires_filled], [0.0, 0.0]);
}

#[test]
fn market_income_a_lever_brings_is_paid_but_not_a_fiscal_cost() {
    // Labour transfer: wages and remittances are the employers' and migrants', and the
    // lost farm income the households'; Wuzhong's broker subsidy (200 a person placed
    // six months or more) is the fiscal cost, beside the households' accounts.
    let mut pop = Population::empty(0);
    for _ in 0..4 {
        pop.push_household(&rural(), &[PersonRecord { operating: 6000.0, ..person(30, Employment::FarmerHerder) }]);
    }
    let mut lever = LabourTransfer::new(Dated::constant(4.0), Dated::constant(2500.0)).expect("valid");
    lever.retention = 1.0;
    lever.migrant_share = 0.0;
    lever.broker_subsidy_per_person = 200.0;
    let farmers = || {
        let mut pop = Population::empty(0);
        for _ in 0..4 {
            let farmer = PersonRecord { operating: 6000.0, ..person(30, Employment::FarmerHerder) };
            pop.push_household(&rural(), &[farmer]);
        }
        pop
    };
    let (ledger, _, col) = run(Box::new(lever.clone()), &mut pop, 2022);
    let record = &ledger.records[0];
    assert!(col.iter().all(|&x| x > 0.0));
    close(record.paid_to_households, col.iter().sum());
    // Local jobs from March, ten months: four persons placed six months or more.
    close(record.fiscal_cost, 4.0 * 200.0);
    // Short-term migrants (away five months at most) are not placed six months.
    lever.migrant_share = 1.0;
    lever.long_term_share = 0.0;
    let (ledger, _, col) = run(Box::new(lever.clone()), &mut farmers(), 2022);
    assert!(col.iter().all(|&x| x > 0.0));
    assert_eq!(ledger.records[0].fiscal_cost, 0.0);
    // Long-term migrants (away ten months, remittances sent home) are.
    lever.long_term_share = 1.0;
    let (ledger, _, _) = run(Box::new(lever.clone()), &mut farmers(), 2022);
    close(ledger.records[0].fiscal_cost, 4.0 * 200.0);
    lever.broker_subsidy_per_person = 0.0;
    let (ledger, _, _) = run(Box::new(lever), &mut farmers(), 2022);
    assert_eq!(ledger.records[0].fiscal_cost, 0.0);
    // Skills training: the wage gain is the employer's; the subsidy per trainee paid to
    // the provider and the certificate subsidy are public.
    let mut pop = Population::empty(0);
    pop.push_household(&rural(), &[PersonRecord { wage: 30_000.0, ..person(30, Employment::LocalEmployee) }]);
    let mut lever = SkillsTraining::new(Dated::constant(1.0)).expect("valid");
    lever.certificate_rate = 1.0;
    lever.certificate_subsidy = 500.0;
    lever.subsidy_per_trainee = 1200.0;
    let (ledger, _, col) = run(Box::new(lever), &mut pop, 2022);
    // 1.88 * 174 * 9 = 2,944.08 of wage, 500 of certificate subsidy.
    close(col[0], 2944.08 + 500.0);
    close(ledger.records[0].fiscal_cost, 500.0 + 1200.0);
    // Public-welfare posts: the post's pay is public; the farm income a farmer gives up
    // is not a saving of the budget.
    let mut pop = Population::empty(0);
    let poor = with_household_flag(rural(), HouseholdFlags::FORMERLY_POOR);
    pop.push_household(&poor, &[PersonRecord { operating: 1200.0, ..person(45, Employment::FarmerHerder) }]);
    let lever = PublicWelfarePosts::new(Dated::constant(1.0), Dated::constant(500.0), 0.0, 1).expect("valid");
    let (ledger, _, col) = run(Box::new(lever), &mut pop, 2022);
    close(col[0], 6000.0 - 1200.0);
    close(ledger.records[0].paid_privately, -1200.0);
    close(ledger.records[0].fiscal_cost, 6000.0);
    // Minimum wage and wage guideline: employers pay; property levers: renters and
    // collectives pay.
    let mut pop = Population::empty(0);
    pop.push_household(&urban(), &[PersonRecord { wage: 30_000.0, ..person(30, Employment::LocalEmployee) }]);
    let (ledger, _, col) = run(Box::new(WageGuideline::new(Dated::constant(0.07)).expect("valid")), &mut pop, 2023);
    close(col[0], 2100.0);
    assert_eq!(ledger.records[0].fiscal_cost, 0.0);
    let mut flags = HouseholdFlags::default();
    flags.set(HouseholdFlags::COLLECTIVE_MEMBER, true);
    let mut pop = Population::empty(0);
    pop.push_household(&HouseholdRecord { flags, ..rural() }, &[person(40, Employment::FarmerHerder)]);
    let lever = CollectiveDividend::new(Dated::constant(10.0)).expect("valid");
    let (ledger, _, col) = run(Box::new(lever), &mut pop, 2022);
    assert!(col[0] > 0.0);
    assert_eq!(ledger.records[0].fiscal_cost, 0.0);
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
    // 10% of 10,000 = 1,000 (the enterprise's); award 1,000 a household (public).
    assert_eq!(col, vec![1000.0, 0.0]);
    close(ledger.records[0].paid_to_households, 1000.0);
    close(ledger.records[0].fiscal_cost, 1000.0);
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
                // Out of work, a third have left paid work this year after some months
                // and kept its pay (the dynamics' `leave_work`).
                wage: if employment.earns_wage() || (!employment.is_working() && months % 3 == 1) { wage } else { 0.0 },
                operating: if employment.earns_operating() { op } else { 0.0 },
                property: prop,
                occupation: Occupation::ALL[occ as usize],
                months_in_job: if employment.is_working() {
                    months.max(1)
                } else if months % 3 == 1 {
                    months.min(11)
                } else {
                    0
                },
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
            // No market lever raises revenue; one paying only what employers, firms,
            // renters, collectives and migrants pay (these have no subsidy, award or
            // broker's fee set) costs public budgets nothing, whatever it paid.
            let tolerance = 1e-9 * (1.0 + record.paid_to_households.abs());
            prop_assert!(record.fiscal_cost >= -tolerance, "{}: {}", record.lever, record.fiscal_cost);
            let private = [
                "minimum_wage", "wage_guideline", "farm_productivity", "land_transfer", "collective_dividend",
                "property_income_growth", "labour_transfer", "skills_training",
            ];
            if private.contains(&record.lever.as_str()) {
                prop_assert!(record.fiscal_cost.abs() <= tolerance, "{}: {}", record.lever, record.fiscal_cost);
                prop_assert!((record.paid_privately - record.paid_to_households).abs() <= tolerance, "{}", record.lever);
            }
            if ["public_sector_pay", "rural_doctor_teacher_allowances", "work_for_relief"].contains(&record.lever.as_str()) {
                prop_assert_eq!(record.paid_privately, 0.0, "{}", record.lever);
            }
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

// --- Edge cases, lever by lever -----------------------------------------------------
//
// Each test below covers, for one lever: an ineligible household that gets nothing,
// income exactly at the threshold (where the lever has one), a household of one, a
// zero-income household, a severely disabled member, a person finding a job mid-year
// and a parameter changing mid-year. An edge case that does not apply says why.

/// A severely disabled person who cannot work.
fn severe() -> PersonRecord {
    PersonRecord { disability: Disability::Severe, able_to_work: false, ..person(45, Employment::NotInLabourForce) }
}

fn with_household_flag(record: HouseholdRecord, flag: u16) -> HouseholdRecord {
    let mut flags = record.flags;
    flags.set(flag, true);
    HouseholdRecord { flags, ..record }
}

fn with_person_flag(record: PersonRecord, flag: u8) -> PersonRecord {
    PersonRecord { flags: PersonFlags(record.flags.0 | flag), ..record }
}

#[test]
fn minimum_wage_edge_cases() {
    // Floor 1,500 a month until June 2022, 1,600 from July (a parameter changing
    // mid-year): a full year owes 6 * 1,500 + 6 * 1,600 = 18,600.
    let floor = Dated::new(vec![(ym(2021, 1), 1500.0), (ym(2022, 7), 1600.0)]).expect("ordered");
    let lever = MinimumWage::new(vec![floor]).expect("valid");
    let worker = |wage: f32| PersonRecord { wage, ..person(30, Employment::LocalEmployee) };
    let mut pop = Population::empty(0);
    // 0: household of one paid 15,000: +3,600.
    pop.push_household(&urban(), &[worker(15_000.0)]);
    // 1: paid exactly the floor, 18,600: nothing.
    pop.push_household(&urban(), &[worker(18_600.0)]);
    // 2: ineligible: a short-term migrant (floor set elsewhere) and a farmer, both paid little.
    let migrant = PersonRecord { wage: 5000.0, ..person(30, Employment::MigrantShortTerm) };
    let farmer = PersonRecord { operating: 1000.0, ..person(50, Employment::FarmerHerder) };
    pop.push_household(&rural(), &[migrant, farmer]);
    // 3: zero-income household (one unemployed person): no job, nothing.
    pop.push_household(&urban(), &[person(30, Employment::Unemployed)]);
    // 4: a local employee with no recorded wage is raised to the whole floor: 18,600.
    pop.push_household(&urban(), &[worker(0.0)]);
    // 5: a severely disabled member who does not work gets nothing; the employee beside
    // them is raised as anyone: +3,600 (disability is not a rule of this lever).
    pop.push_household(&urban(), &[severe(), worker(15_000.0)]);
    // 6: found a job in September (4 months, Sep–Dec): owed 4 * 1,600 = 6,400; paid 6,000: +400.
    pop.push_household(&urban(), &[PersonRecord { months_in_job: 4, ..worker(6000.0) }]);
    // 7: found a job in March (10 months): owed 4 * 1,500 + 6 * 1,600 = 15,600; paid 15,000: +600.
    pop.push_household(&urban(), &[PersonRecord { months_in_job: 10, ..worker(15_000.0) }]);
    let (_, _, col) = run(Box::new(lever), &mut pop, 2022);
    assert_eq!(col, vec![3600.0, 0.0, 0.0, 0.0, 18_600.0, 3600.0, 400.0, 600.0]);
    assert_eq!(pop.persons.wage[0], 18_600.0, "the wage column is raised too");
}

#[test]
fn wage_guideline_edge_cases() {
    // 5% in force from January 2022, 8% from July 2022: the rate in force in January
    // applies to the year, so 2022 grows by 5% and 2023 by 8%.
    let growth = Dated::new(vec![(ym(2022, 1), 0.05), (ym(2022, 7), 0.08)]).expect("ordered");
    let lever = WageGuideline::new(growth).expect("valid");
    let employee = |wage: f32| PersonRecord { wage, ..person(30, Employment::LocalEmployee) };
    let build = || {
        let mut pop = Population::empty(0);
        // 0: household of one: 30,000 * 5% = 1,500.
        pop.push_household(&urban(), &[employee(30_000.0)]);
        // 1: ineligible: public sector (own lever), a retiree and a farmer: nothing.
        let official = PersonRecord { wage: 30_000.0, ..person(40, Employment::PublicSector) };
        let farmer = PersonRecord { operating: 9000.0, ..person(50, Employment::FarmerHerder) };
        pop.push_household(&urban(), &[official, person(70, Employment::Retired), farmer]);
        // 2: zero-income household: nothing to grow.
        pop.push_household(&urban(), &[person(30, Employment::Unemployed)]);
        // 3: a severely disabled member beside a short-term migrant paid 10,000: 500.
        pop.push_household(
            &rural(),
            &[severe(), PersonRecord { wage: 10_000.0, ..person(30, Employment::MigrantShortTerm) }],
        );
        // 4: found a job in July (6 months) paid 15,000: the year's wage grows, 750.
        pop.push_household(&urban(), &[PersonRecord { months_in_job: 6, ..employee(15_000.0) }]);
        pop
    };
    // No income threshold: the guideline raises every covered wage, whatever its level.
    let (_, _, col) = run(Box::new(lever.clone()), &mut build(), 2022);
    for (got, want) in col.iter().zip([1500.0, 0.0, 0.0, 500.0, 750.0]) {
        close(*got, want);
    }
    // 2023: 30,000 * 8% = 2,400.
    let (_, _, col) = run(Box::new(lever), &mut build(), 2023);
    close(col[0], 2400.0);
}

#[test]
fn public_sector_pay_edge_cases() {
    // A 4% rise from July 2022 (a parameter changing mid-year); civil servants' average 72,000.
    let raise = Dated::new(vec![(ym(2021, 1), 0.0), (ym(2022, 7), 0.04)]).expect("ordered");
    let lever = PublicSectorPay::new(raise, Some(72_000.0)).expect("valid");
    let official = |wage: f32| PersonRecord { wage, ..person(40, Employment::PublicSector) };
    let teacher = |wage: f32| PersonRecord { occupation: Occupation::Teacher, ..official(wage) };
    let mut pop = Population::empty(0);
    // 0: household of one, official paid 60,000: 5,000 a month * 4% * 6 = 1,200.
    pop.push_household(&urban(), &[official(60_000.0)]);
    // 1: teacher exactly at parity (72,000): only the rise, 6,000 * 4% * 6 = 1,440.
    pop.push_household(&urban(), &[teacher(72_000.0)]);
    // 2: ineligible: a teacher in a private school (local employee) below parity: nothing.
    let private =
        PersonRecord { wage: 30_000.0, occupation: Occupation::Teacher, ..person(40, Employment::LocalEmployee) };
    pop.push_household(&urban(), &[private]);
    // 3: zero-income household: nothing.
    pop.push_household(&urban(), &[person(40, Employment::Unemployed)]);
    // 4: a severely disabled member beside an official paid 60,000: 1,200 (no disability rule).
    pop.push_household(&urban(), &[severe(), official(60_000.0)]);
    // 5: teacher hired in October (3 months) paid 15,000: rise 5,000 * 4% * 3 = 600;
    // parity 72,000 * 3/12 = 18,000 > 15,600, so raised to parity: +3,000.
    pop.push_household(&urban(), &[PersonRecord { months_in_job: 3, ..teacher(15_000.0) }]);
    // 6: official hired in October paid 15,000: 5,000 * 4% * 3 = 600.
    pop.push_household(&urban(), &[PersonRecord { months_in_job: 3, ..official(15_000.0) }]);
    let (_, _, col) = run(Box::new(lever), &mut pop, 2022);
    for (got, want) in col.iter().zip([1200.0, 1440.0, 0.0, 0.0, 1200.0, 3000.0, 600.0]) {
        close(*got, want);
    }
}

#[test]
fn rural_doctor_teacher_allowances_edge_cases() {
    // Village doctor 500 a month, 600 from July 2022 (a parameter changing mid-year);
    // rural teacher 200 a month.
    let doctor_rate = Dated::new(vec![(ym(2021, 1), 500.0), (ym(2022, 7), 600.0)]).expect("ordered");
    let lever = RuralDoctorTeacherAllowances::new(doctor_rate, Dated::constant(200.0)).expect("valid");
    let doctor = PersonRecord { occupation: Occupation::VillageDoctor, ..person(50, Employment::SelfEmployed) };
    let teacher = PersonRecord { occupation: Occupation::Teacher, ..person(40, Employment::PublicSector) };
    let mut pop = Population::empty(0);
    // 0: household of one, a doctor with no other income (zero income): 6 * 500 + 6 * 600 = 6,600.
    pop.push_household(&rural(), &[doctor]);
    // 1: ineligible: an urban doctor.
    pop.push_household(&urban(), &[doctor]);
    // 2: ineligible: a rural doctor not working, and another occupation; a zero-income household.
    let idle_doctor = PersonRecord { occupation: Occupation::VillageDoctor, ..person(50, Employment::Unemployed) };
    pop.push_household(&rural(), &[idle_doctor, person(30, Employment::Unemployed)]);
    // 3: a severely disabled member beside a rural teacher: 12 * 200 = 2,400.
    pop.push_household(&rural(), &[severe(), teacher]);
    // 4: a doctor who started in October (3 months): 3 * 600 = 1,800.
    pop.push_household(&rural(), &[PersonRecord { months_in_job: 3, ..doctor }]);
    // No income threshold: the allowances are paid per month in the job, whatever the income.
    let (_, _, col) = run(Box::new(lever), &mut pop, 2022);
    assert_eq!(col, vec![6600.0, 0.0, 0.0, 2400.0, 1800.0]);
}

#[test]
fn work_for_relief_edge_cases() {
    // Investment 60,000 from January 2022, 120,000 from July 2022: the amount in force
    // in January applies to the year (2022: 12,000 wage bill = 2 places of 6,000;
    // 2023: 24,000 = 4 places).
    let investment = Dated::new(vec![(ym(2022, 1), 60_000.0), (ym(2022, 7), 120_000.0)]).expect("ordered");
    let lever = WorkForRelief::new(investment).expect("valid");
    let mut pop = Population::empty(0);
    // 0: household of one, aged 59 (the last eligible age), unemployed, zero income: 6,000.
    pop.push_household(&rural(), &[person(59, Employment::Unemployed)]);
    // 1: a severely disabled member (cannot work: not a candidate) beside a farmer: the farmer, 6,000.
    pop.push_household(&rural(), &[severe(), person(40, Employment::FarmerHerder)]);
    // 2: ineligible: urban.
    pop.push_household(&urban(), &[person(40, Employment::Unemployed)]);
    // 3: ineligible: aged 60, one year past the age limit.
    pop.push_household(&rural(), &[person(60, Employment::Unemployed)]);
    // 4: ineligible: found a local job in July (6 months): in work, not a candidate.
    // (The seasonal work itself does not change anyone's employment status.)
    pop.push_household(&rural(), &[PersonRecord { months_in_job: 6, ..person(30, Employment::LocalEmployee) }]);
    // No income threshold: places go by status and priority, not income.
    let (ledger, _, col) = run(Box::new(lever.clone()), &mut pop, 2022);
    assert_eq!(col, vec![6000.0, 6000.0, 0.0, 0.0, 0.0]);
    assert_eq!(pop.persons.employment[0], Employment::Unemployed);
    close(ledger.records[0].fiscal_cost, 60_000.0);
    // 2023: four places for four farmers: 24,000.
    let mut pop = Population::empty(0);
    for _ in 0..4 {
        pop.push_household(&rural(), &[person(40, Employment::FarmerHerder)]);
    }
    let (_, _, col) = run(Box::new(lever), &mut pop, 2023);
    assert_eq!(col, vec![6000.0; 4]);
}

#[test]
fn public_welfare_posts_edge_cases() {
    // More posts (10) than candidates, so every eligible person gets one; 500 a month from January.
    // A pay change mid-year and a July hire are in the first two tests of this file.
    let lever = PublicWelfarePosts::new(Dated::constant(10.0), Dated::constant(500.0), 0.1, 1).expect("valid");
    let mut pop = Population::empty(0);
    // 0: household of one, aged 59 (the last eligible age), unemployed, zero income
    // (a zero-employment household): 6,000.
    pop.push_household(&rural(), &[person(59, Employment::Unemployed)]);
    // 1: ineligible: aged 60.
    pop.push_household(&rural(), &[person(60, Employment::Unemployed)]);
    // 2: a woman of exactly 40 out of the labour force beside a worker ("4050" group): 6,000.
    let woman = |age| PersonRecord { sex: Sex::Female, ..person(age, Employment::NotInLabourForce) };
    pop.push_household(&rural(), &[woman(40), person(45, Employment::LocalEmployee)]);
    // 3: a woman of 39 beside a worker, in no priority group: ineligible.
    pop.push_household(&rural(), &[woman(39), person(45, Employment::LocalEmployee)]);
    // 4: a severely disabled member who cannot work: ineligible, nothing.
    pop.push_household(&rural(), &[severe()]);
    // 5: found a local job in July (6 months): in work, not a candidate; the
    // unemployed man of 30 beside them is in no priority group: nothing.
    let found = PersonRecord { months_in_job: 6, ..person(30, Employment::LocalEmployee) };
    pop.push_household(&rural(), &[found, person(30, Employment::Unemployed)]);
    // No income threshold: eligibility is by status, age and priority group.
    let (_, _, col) = run(Box::new(lever), &mut pop, 2022);
    assert_eq!(col, vec![6000.0, 0.0, 6000.0, 0.0, 0.0, 0.0]);
}

#[test]
fn labour_transfer_edge_cases() {
    // Local wage 2,500, 3,000 from July 2022 (a parameter changing mid-year); no
    // dispersion, local jobs only, everyone retained; moved in March.
    let wage = Dated::new(vec![(ym(2021, 1), 2500.0), (ym(2022, 7), 3000.0)]).expect("ordered");
    let mut lever = LabourTransfer::new(Dated::constant(10.0), wage).expect("valid");
    lever.wage_sigma = 0.0;
    lever.migrant_share = 0.0;
    lever.retention = 1.0;
    let mut pop = Population::empty(0);
    // 0: household of one, aged 59 (last eligible age), unemployed, zero income:
    // March–December, 4 * 2,500 + 6 * 3,000 = 28,000.
    pop.push_household(&rural(), &[person(59, Employment::Unemployed)]);
    // 1: ineligible: aged 60 and aged 15.
    pop.push_household(&rural(), &[person(60, Employment::Unemployed), person(15, Employment::NotInLabourForce)]);
    // 2: ineligible: urban.
    pop.push_household(&urban(), &[person(30, Employment::Unemployed)]);
    // 3: ineligible: already transferred.
    pop.push_household(&rural(), &[with_person_flag(person(30, Employment::Unemployed), PersonFlags::TRANSFERRED)]);
    // 4: a severely disabled member (cannot work) beside a farmer earning 12,000: the
    // farmer moves: 28,000 - 12,000 * 10/12 = 18,000.
    let farmer = PersonRecord { operating: 12_000.0, ..person(40, Employment::FarmerHerder) };
    pop.push_household(&rural(), &[severe(), farmer]);
    // 5: ineligible: found a local job in July (6 months).
    pop.push_household(&rural(), &[PersonRecord { months_in_job: 6, ..person(30, Employment::LocalEmployee) }]);
    // No income threshold: eligibility is by residence, age and status.
    let (_, _, col) = run(Box::new(lever.clone()), &mut pop, 2022);
    for (got, want) in col.iter().zip([28_000.0, 0.0, 0.0, 0.0, 18_000.0, 0.0]) {
        close(*got, want);
    }
    // Moved in July (finding a job mid-year): 6 * 3,000 = 18,000 over 6 months.
    lever.start_month = 7;
    let mut pop = Population::empty(0);
    pop.push_household(&rural(), &[person(30, Employment::Unemployed)]);
    let (_, _, col) = run(Box::new(lever), &mut pop, 2022);
    close(col[0], 18_000.0);
    assert_eq!(pop.persons.months_in_job[0], 6);
}

#[test]
fn skills_training_edge_cases() {
    // New jobs pay 2,000 a month, 2,600 from July 2022 (a parameter changing mid-year);
    // trained in March; every trainee without work finds a job; no certificates.
    // The wage gain is 1.88 * 174 = 327.12 a month.
    let new_wage = Dated::new(vec![(ym(2021, 1), 2000.0), (ym(2022, 7), 2600.0)]).expect("ordered");
    let mut lever = SkillsTraining::new(Dated::constant(10.0)).expect("valid");
    lever.employment_probability = 1.0;
    lever.certificate_rate = 0.0;
    lever.new_job_wage_per_month = new_wage;
    let mut pop = Population::empty(0);
    // 0: household of one, aged 59, unemployed, zero income: a job from April,
    // 3 * 2,000 + 6 * 2,600 = 21,600, plus 9 * 327.12 = 2,944.08: 24,544.08.
    pop.push_household(&rural(), &[person(59, Employment::Unemployed)]);
    // 1: ineligible: aged 60.
    pop.push_household(&rural(), &[PersonRecord { wage: 30_000.0, ..person(60, Employment::LocalEmployee) }]);
    // 2: ineligible: a student, a public-sector employee and someone already trained.
    let trained = with_person_flag(person(30, Employment::LocalEmployee), PersonFlags::TRAINED);
    pop.push_household(&urban(), &[person(20, Employment::Student), person(40, Employment::PublicSector), trained]);
    // 3: a severely disabled member (cannot work: not trained) beside an employee: 2,944.08.
    pop.push_household(&rural(), &[severe(), PersonRecord { wage: 30_000.0, ..person(30, Employment::LocalEmployee) }]);
    // 4: found a job in October (3 months): the gain for 3 months, 981.36.
    let late = PersonRecord { wage: 6000.0, months_in_job: 3, ..person(30, Employment::LocalEmployee) };
    pop.push_household(&rural(), &[late]);
    // No income threshold: places go by status and priority.
    let (_, _, col) = run(Box::new(lever), &mut pop, 2022);
    for (got, want) in col.iter().zip([24_544.08, 0.0, 0.0, 2944.08, 981.36]) {
        close(*got, want);
    }
    assert_eq!(pop.persons.employment[0], Employment::LocalEmployee);
    assert_eq!(pop.persons.months_in_job[0], 9);
}

#[test]
fn start_up_support_edge_cases() {
    let mut lever = StartUpSupport::new(Dated::constant(10.0)).expect("valid");
    lever.farm_share = 0.0;
    // The founders alone (hiring: start_ups_hire_residents_without_work_in_their_residence_by_priority).
    lever.jobs_per_start_up = 1.0;
    let mut pop = Population::empty(0);
    // 0: household of one, aged 18 (the youngest eligible), unemployed, zero income:
    // 12 * 3,000 = 36,000 business income + 5,000 grant = 41,000.
    pop.push_household(&rural(), &[person(18, Employment::Unemployed)]);
    // 1: ineligible: aged 17.
    pop.push_household(&rural(), &[person(17, Employment::Unemployed)]);
    // 2: ineligible: aged 60, and someone who already started a business.
    let started = with_person_flag(person(30, Employment::Unemployed), PersonFlags::STARTED_BUSINESS);
    pop.push_household(&rural(), &[person(60, Employment::Unemployed), started]);
    // 3: a severely disabled member (cannot work) beside an unemployed person: 41,000.
    pop.push_household(&rural(), &[severe(), person(30, Employment::Unemployed)]);
    // 4: found a local job in July, paid 15,000 for 6 months; starting a business in
    // January they give up the year's wage: 36,000 + 5,000 - 15,000 = 26,000.
    let found = PersonRecord { wage: 15_000.0, months_in_job: 6, ..person(30, Employment::LocalEmployee) };
    pop.push_household(&rural(), &[found]);
    // 5: ineligible: public sector.
    pop.push_household(&urban(), &[PersonRecord { wage: 50_000.0, ..person(30, Employment::PublicSector) }]);
    // No income threshold.
    let (_, _, col) = run(Box::new(lever.clone()), &mut pop, 2022);
    assert_eq!(col, vec![41_000.0, 0.0, 0.0, 41_000.0, 26_000.0, 0.0]);
    // A count changing mid-year: 0 start-ups until June 2022, 10 from July. The count in
    // force in January applies to the year: nobody in 2022, one in 2023.
    lever.start_ups_per_year = Dated::new(vec![(ym(2021, 1), 0.0), (ym(2022, 7), 10.0)]).expect("ordered");
    let fresh = || {
        let mut pop = Population::empty(0);
        pop.push_household(&rural(), &[person(30, Employment::Unemployed)]);
        pop
    };
    assert_eq!(run(Box::new(lever.clone()), &mut fresh(), 2022).2, vec![0.0]);
    assert_eq!(run(Box::new(lever), &mut fresh(), 2023).2, vec![41_000.0]);
}

/// Applies one lever in a year whose new local jobs pay `wage_index` times the base
/// year's (urban, rural) and whose prices are 1.1 times the base year's.
fn run_indexed(lever: Box<dyn Lever>, pop: &mut Population, wage_index: [f64; 2]) -> (Ledger, Vec<f64>) {
    let ctx = YearContext { year: 2023, wage_index, price_index: 1.1, ..YearContext::base(2022, 11) };
    let (ledger, _, column) = run_in(&ctx, lever, pop);
    (ledger, column)
}

#[test]
fn market_pay_moves_with_the_wage_index_and_the_plans_amounts_do_not_unless_indexed() {
    use incomesim::policy::indexation::Indexation;
    let index = [1.2, 1.5];
    // One unemployed person in a rural and in an urban household of one.
    let build = || {
        let mut pop = Population::empty(0);
        pop.push_household(&rural(), &[person(30, Employment::Unemployed)]);
        pop.push_household(&urban(), &[person(30, Employment::Unemployed)]);
        pop
    };
    // Start-ups: the business income follows the residence's index (rural 12 * 3,000 *
    // 1.5, urban 12 * 3,000 * 1.2); the grant of 5,000 is the plan's and stays.
    let mut start_ups = StartUpSupport::new(Dated::constant(2.0)).expect("valid");
    start_ups.farm_share = 0.0;
    start_ups.jobs_per_start_up = 1.0;
    assert_eq!(start_ups.indexation, Indexation::Wages, "the default");
    let (ledger, col) = run_indexed(Box::new(start_ups.clone()), &mut build(), index);
    close(col[0], 54_000.0 + 5000.0);
    close(col[1], 43_200.0 + 5000.0);
    close(ledger.records[0].fiscal_cost, 2.0 * (5000.0 + 3650.0));
    start_ups.indexation = Indexation::None;
    assert_eq!(run_indexed(Box::new(start_ups.clone()), &mut build(), index).1, vec![41_000.0, 41_000.0]);
    start_ups.indexation = Indexation::Prices;
    let col = run_indexed(Box::new(start_ups.clone()), &mut build(), index).1;
    close(col[0], 36_000.0 * 1.1 + 5000.0);
    // A start-up's hire, from January, is paid 12 * 2,500 times the index of its residence.
    start_ups.indexation = Indexation::Wages;
    start_ups.start_ups_per_year = Dated::constant(1.0);
    start_ups.jobs_per_start_up = 2.0;
    let mut pop = Population::empty(0);
    pop.push_household(&rural(), &[person(30, Employment::Unemployed)]);
    pop.push_household(&rural(), &[person(17, Employment::Unemployed)]);
    let col = run_indexed(Box::new(start_ups), &mut pop, index).1;
    close(col[1], 30_000.0 * 1.5);
    // Labour transfer (rural): local jobs from March at 2,500 a month, all retained.
    let mut transfer = LabourTransfer::new(Dated::constant(1.0), Dated::constant(2500.0)).expect("valid");
    transfer.wage_sigma = 0.0;
    transfer.migrant_share = 0.0;
    transfer.retention = 1.0;
    let col = run_indexed(Box::new(transfer.clone()), &mut build(), index).1;
    close(col[0], 25_000.0 * 1.5);
    transfer.indexation = Indexation::None;
    close(run_indexed(Box::new(transfer), &mut build(), index).1[0], 25_000.0);
    // Training: a job from April at 2,500 a month plus the gain of 1.88 * 174 an hour-month,
    // both market pay, times the urban index for the urban trainee; no certificates.
    let mut training = SkillsTraining::new(Dated::constant(2.0)).expect("valid");
    training.employment_probability = 1.0;
    training.certificate_rate = 0.0;
    let col = run_indexed(Box::new(training.clone()), &mut build(), index).1;
    let unindexed = 9.0 * 2500.0 + 9.0 * 1.88 * 174.0;
    close(col[0], unindexed * 1.5);
    close(col[1], unindexed * 1.2);
    training.indexation = Indexation::None;
    let col = run_indexed(Box::new(training), &mut build(), index).1;
    close(col[1], unindexed);
    // A public-welfare post pays the plan's nominal amount unless the scenario indexes
    // it (Liupanshui §5: to prices): 12 * 500, times 1.1 with prices.
    let posts = PublicWelfarePosts::new(Dated::constant(2.0), Dated::constant(500.0), 0.0, 1).expect("valid");
    assert_eq!(posts.indexation, Indexation::None, "the default");
    assert_eq!(run_indexed(Box::new(posts.clone()), &mut build(), index).1, vec![6000.0, 6000.0]);
    let by_prices = PublicWelfarePosts { indexation: Indexation::Prices, ..posts };
    let col = run_indexed(Box::new(by_prices), &mut build(), index).1;
    close(col[0], 6600.0);
    close(col[1], 6600.0);
}

#[test]
fn farm_productivity_edge_cases() {
    // Grain growth 2%, 10% from July 2022: the rate in force in January applies, so 2022
    // grows by 0.5 * 2% + 0.1 * 3% = 1.3% and 2023 by 0.5 * 10% + 0.1 * 3% = 5.3%.
    let grain = Dated::new(vec![(ym(2021, 1), 0.02), (ym(2022, 7), 0.10)]).expect("ordered");
    let lever =
        FarmProductivity::new(grain, Dated::constant(0.03), Dated::constant(0.0), [0.5, 0.1, 0.2]).expect("valid");
    let farmer = |op: f32| PersonRecord { operating: op, ..person(45, Employment::FarmerHerder) };
    let build = || {
        let mut pop = Population::empty(0);
        // 0: household of one, farm income 10,000: 130.
        pop.push_household(&rural(), &[farmer(10_000.0)]);
        // 1: ineligible: a self-employed shopkeeper's operating income, a farmer with no income.
        let shop = PersonRecord { operating: 10_000.0, ..person(45, Employment::SelfEmployed) };
        pop.push_household(&rural(), &[shop, farmer(0.0)]);
        // 2: zero-income household.
        pop.push_household(&rural(), &[person(45, Employment::Unemployed)]);
        // 3: a severely disabled member beside a farmer with 10,000: 130.
        pop.push_household(&rural(), &[severe(), farmer(10_000.0)]);
        // 4: started farming in July (6 months) with 5,000: the year's income grows, 65.
        pop.push_household(&rural(), &[PersonRecord { months_in_job: 6, ..farmer(5000.0) }]);
        pop
    };
    // No income threshold: growth applies to any positive farm income.
    let (_, _, col) = run(Box::new(lever.clone()), &mut build(), 2022);
    for (got, want) in col.iter().zip([130.0, 0.0, 0.0, 130.0, 65.0]) {
        close(*got, want);
    }
    let (_, _, col) = run(Box::new(lever), &mut build(), 2023);
    close(col[0], 530.0);
}

#[test]
fn enterprise_linkage_edge_cases() {
    let lever = EnterpriseLinkage::new(Dated::constant(10.0)).expect("valid");
    let farmer = |op: f32| PersonRecord { operating: op, ..person(45, Employment::FarmerHerder) };
    let mut pop = Population::empty(0);
    // 0: household of one farmer with 10,000: 10% = 1,000.
    pop.push_household(&rural(), &[farmer(10_000.0)]);
    // 1: ineligible: urban farmer; already linked; a rural shopkeeper (no farm income).
    pop.push_household(&urban(), &[farmer(10_000.0)]);
    pop.push_household(&with_household_flag(rural(), HouseholdFlags::LINKED_TO_ENTERPRISE), &[farmer(10_000.0)]);
    pop.push_household(&rural(), &[PersonRecord { operating: 10_000.0, ..person(45, Employment::SelfEmployed) }]);
    // 4: zero-income household.
    pop.push_household(&rural(), &[person(45, Employment::Unemployed)]);
    // 5: a severely disabled member beside a farmer with 10,000, and a shopkeeper whose
    // income is not farm income: 1,000.
    let shop = PersonRecord { operating: 8000.0, ..person(40, Employment::SelfEmployed) };
    pop.push_household(&rural(), &[severe(), farmer(10_000.0), shop]);
    // 6: started farming in July (6 months) with 5,000: 500 (the uplift is on the year's farm income).
    pop.push_household(&rural(), &[PersonRecord { months_in_job: 6, ..farmer(5000.0) }]);
    // No income threshold: any positive farm income.
    let (ledger, _, col) = run(Box::new(lever.clone()), &mut pop, 2022);
    assert_eq!(col, vec![1000.0, 0.0, 0.0, 0.0, 0.0, 1000.0, 500.0]);
    // Awards: 3 households linked * 1,000; the uplift is the enterprises'.
    close(ledger.records[0].paid_to_households, 2500.0);
    close(ledger.records[0].fiscal_cost, 3000.0);
    assert!(pop.households.flags[0].has(HouseholdFlags::LINKED_TO_ENTERPRISE));
    // A count changing mid-year: 0 until June 2022, 10 from July. The count in force in
    // January applies: nobody linked in 2022.
    let mut lever = lever;
    lever.households_per_year = Dated::new(vec![(ym(2021, 1), 0.0), (ym(2022, 7), 10.0)]).expect("ordered");
    let mut pop = Population::empty(0);
    pop.push_household(&rural(), &[farmer(10_000.0)]);
    assert_eq!(run(Box::new(lever.clone()), &mut pop, 2022).2, vec![0.0]);
    assert_eq!(run(Box::new(lever), &mut pop, 2023).2, vec![1000.0]);
}

#[test]
fn land_transfer_edge_cases() {
    // Rent 400 a mu a year, 600 from July 2022 (a parameter changing mid-year): half the
    // unrented land moves in January; rent on 5 mu = 5 * (6 * 400 + 6 * 600) / 12 = 2,500.
    let rent = Dated::new(vec![(ym(2021, 1), 400.0), (ym(2022, 7), 600.0)]).expect("ordered");
    let mut lever = LandTransfer::new(rent).expect("valid");
    lever.participation = 1.0;
    let land = |mu: f32| HouseholdRecord { land_mu: mu, ..rural() };
    let farmer = PersonRecord { operating: 8000.0, ..person(45, Employment::FarmerHerder) };
    let mut pop = Population::empty(0);
    // 0: household of one farmer, 10 mu, 8,000: 2,500 rent - 8,000 * 5/10 lost = -1,500.
    pop.push_household(&land(10.0), &[farmer]);
    // 1: zero-income household with 10 mu nobody farms: the rent, 2,500, nothing lost.
    pop.push_household(&land(10.0), &[person(70, Employment::NotInLabourForce)]);
    // 2: ineligible: urban with land.
    pop.push_household(&HouseholdRecord { land_mu: 10.0, ..urban() }, &[farmer]);
    // 3: at the threshold: all 10 mu already rented out, none left to farm: nothing.
    pop.push_household(&HouseholdRecord { land_rented_out_mu: 10.0, ..land(10.0) }, &[farmer]);
    // 4: a severely disabled member beside the farmer: -1,500 (no disability rule).
    pop.push_household(&land(10.0), &[severe(), farmer]);
    // A person finding a job mid-year does not apply: the lever moves land, not people;
    // a mid-year move of land is `from_month` (land_transfer_builder_reads_its_parameters
    // in tests/registry_market.rs).
    let (_, accounts, col) = run(Box::new(lever), &mut pop, 2022);
    for (got, want) in col.iter().zip([-1500.0, 2500.0, 0.0, 0.0, -1500.0]) {
        close(*got, want);
    }
    close(accounts.property[0], 2500.0);
    close(pop.households.land_rented_out_mu[0] as f64, 5.0);
}

#[test]
fn collective_dividend_edge_cases() {
    // 50 a member a month, 100 from July 2022 (a parameter changing mid-year):
    // 6 * 50 + 6 * 100 = 900 a member in 2022.
    let amount = Dated::new(vec![(ym(2021, 1), 50.0), (ym(2022, 7), 100.0)]).expect("ordered");
    let lever = CollectiveDividend::new(amount).expect("valid");
    let member = || with_household_flag(rural(), HouseholdFlags::COLLECTIVE_MEMBER);
    let mut pop = Population::empty(0);
    // 0: household of one: 900.
    pop.push_household(&member(), &[person(40, Employment::FarmerHerder)]);
    // 1: ineligible: not in the collective.
    pop.push_household(&rural(), &[person(40, Employment::FarmerHerder)]);
    // 2: zero-income household of two members: 1,800.
    pop.push_household(&member(), &[person(40, Employment::Unemployed), person(12, Employment::Student)]);
    // 3: a severely disabled member counts as a member like anyone: 2 * 900 = 1,800.
    pop.push_household(&member(), &[severe(), person(40, Employment::FarmerHerder)]);
    // No income threshold, and a job found mid-year does not apply: the dividend is per
    // member, whatever their work or income.
    let (_, _, col) = run(Box::new(lever), &mut pop, 2022);
    assert_eq!(col, vec![900.0, 0.0, 1800.0, 1800.0]);
}

#[test]
fn property_income_growth_edge_cases() {
    // 5% from January 2022, 10% from July 2022: the rate in force in January applies.
    let growth = Dated::new(vec![(ym(2022, 1), 0.05), (ym(2022, 7), 0.10)]).expect("ordered");
    let lever = PropertyIncomeGrowth::new(growth).expect("valid");
    let owner = |property: f32| PersonRecord { property, ..person(40, Employment::Retired) };
    let build = || {
        let mut pop = Population::empty(0);
        // 0: household of one with 1,000: 50.
        pop.push_household(&urban(), &[owner(1000.0)]);
        // 1: no property income (nothing to grow) and a zero-income household: nothing.
        pop.push_household(&urban(), &[person(40, Employment::Unemployed)]);
        // 2: a severely disabled member with 2,000 beside a member with none: 100.
        pop.push_household(
            &urban(),
            &[PersonRecord { property: 2000.0, ..severe() }, person(40, Employment::LocalEmployee)],
        );
        pop
    };
    // No income threshold, and a job found mid-year does not apply: property income
    // grows whatever the owner's work.
    let (_, _, col) = run(Box::new(lever.clone()), &mut build(), 2022);
    for (got, want) in col.iter().zip([50.0, 0.0, 100.0]) {
        close(*got, want);
    }
    let (_, _, col) = run(Box::new(lever), &mut build(), 2023);
    close(col[0], 100.0);
}
