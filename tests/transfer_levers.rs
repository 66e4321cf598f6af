//! Transfer levers on hand-built households through the real path
//! (`Population::push_household` + `LeverSet::apply_year`), and property tests over
//! random households: the ledger equals the columns, the columns equal the change in
//! accounts, no benefit is negative, and dibao lifts every recipient to the threshold.

use incomesim::model::{
    Accounts, Disability, Education, Employment, HouseholdFlags, HouseholdRecord, PersonFlags, PersonRecord,
    Population, Residence,
};
use incomesim::policy::allowances::{DisabilityAllowances, OldAgeAllowance};
use incomesim::policy::assistance::{EdgeAssistance, EmploymentTransfers, PriceLinkedSubsidy, TemporaryAssistance};
use incomesim::policy::dibao::{Dibao, ExtremePovertySupport, JobOfferSanction};
use incomesim::policy::indexation::Indexation;
use incomesim::policy::pension::{ContributionSupport, ResidentPension};
use incomesim::policy::retiree::RetireePensionAdjustment;
use incomesim::policy::subsidies::FarmSubsidies;
use incomesim::policy::tax::{IncomeTax, SocialContributions};
use incomesim::policy::{Book, Dated, Lever, LeverColumns, LeverSet, YearContext, YearMonth, market_accounts};
use proptest::prelude::*;

const YEAR: u16 = 2022;

fn ym(year: u16, month: u8) -> YearMonth {
    YearMonth { year, month }
}

/// Rural threshold 500/month (6,000/yr), urban 700 (8,400/yr), full take-up.
fn dibao() -> Dibao {
    Dibao::new([vec![Dated::constant(700.0)], vec![Dated::constant(500.0)]], [1.0, 1.0]).expect("valid")
}

/// Dibao with every rule on except the sanction.
fn dibao_all_rules() -> Dibao {
    let mut d = dibao();
    d.disregard_basic_pension = true;
    d.employment_cost_deduction_per_month = Dated::constant(100.0);
    d.disregard_project_income_unable = true;
    d.single_person = true;
    d.grace_months = 3;
    d.taper_months = 2;
    d.indexation = Indexation::Prices;
    d.rural_poverty_line_per_year = Some(Dated::constant(6_500.0));
    d.validate().expect("valid");
    d
}

fn run(set: &LeverSet, pop: &mut Population, ctx: &YearContext) -> (Accounts, LeverColumns, incomesim::policy::Ledger) {
    let mut accounts = Accounts::default();
    let mut columns = LeverColumns::default();
    let ledger = set.apply_year(ctx, pop, &mut accounts, &mut columns);
    (accounts, columns, ledger)
}

fn one(hh: HouseholdRecord, persons: &[PersonRecord]) -> Population {
    let mut pop = Population::empty(7);
    pop.push_household(&hh, persons);
    pop
}

fn amount(set: &LeverSet, pop: &mut Population, ctx: &YearContext, lever: &str) -> f64 {
    let (_, columns, _) = run(set, pop, ctx);
    let i = set.levers().position(|l| l.name() == lever).expect("lever in set");
    columns.paid[i][0]
}

fn rural() -> HouseholdRecord {
    HouseholdRecord { residence: Residence::Rural, ..HouseholdRecord::default() }
}

fn adult(age: u8) -> PersonRecord {
    PersonRecord { age, ..PersonRecord::default() }
}

fn worker(wage: f32, months: u8) -> PersonRecord {
    PersonRecord {
        age: 40,
        employment: Employment::LocalEmployee,
        wage,
        months_in_job: months,
        ..PersonRecord::default()
    }
}

// ------------------------------------------------------------------ dibao

#[test]
fn dibao_hand_cases() {
    let ctx = YearContext::base(YEAR, 1);
    let set = LeverSet::new().with(Box::new(dibao()));
    // Household of one, zero income: 1 × 6,000.
    assert_eq!(amount(&set, &mut one(rural(), &[adult(50)]), &ctx, "dibao"), 6_000.0);
    // Exactly at the threshold: 6,000 per head: nothing.
    assert_eq!(amount(&set, &mut one(rural(), &[worker(6_000.0, 12)]), &ctx, "dibao"), 0.0);
    // Ineligible: 20,000 a head.
    assert_eq!(amount(&set, &mut one(rural(), &[worker(40_000.0, 12), adult(38)]), &ctx, "dibao"), 0.0);
    // Severely disabled member, household below the line: the household gap
    // 3 × 6,000 − 9,000 = 9,000.
    let severe = PersonRecord { disability: Disability::Severe, able_to_work: false, ..adult(20) };
    assert_eq!(amount(&set, &mut one(rural(), &[worker(9_000.0, 12), adult(38), severe]), &ctx, "dibao"), 9_000.0);
}

/// Single-person dibao (单人保) covers only the member it pays: the household is flagged
/// as on single-person dibao, and the caseload counts one recipient, not the household.
#[test]
fn single_person_dibao_counts_only_the_member_it_covers() {
    let ctx = YearContext::base(YEAR, 1);
    let mut d = dibao();
    d.single_person = true;
    let set = LeverSet::new().with(Box::new(d));
    let severe = PersonRecord { disability: Disability::Severe, able_to_work: false, ..adult(20) };
    // 24,000 for three persons: 8,000 a head, above the 6,000 threshold and below the
    // edge (1.5 × 6,000): the severely disabled member alone, with no income of their
    // own, is paid the one-person threshold.
    let mut pop = one(rural(), &[worker(24_000.0, 12), adult(38), severe]);
    let (accounts, columns, _) = run(&set, &mut pop, &ctx);
    assert_eq!(columns.paid[0][0], 6_000.0);
    let flags = pop.households.flags[0];
    assert!(flags.has(HouseholdFlags::DIBAO) && flags.has(HouseholdFlags::DIBAO_SINGLE_PERSON));
    assert_eq!(incomesim::policy::dibao::recipient_persons(&pop, 0), 1);
    let mut outcomes = Vec::new();
    let lines = incomesim::indicators::DibaoLines::new(vec![8_400.0], vec![6_000.0]);
    incomesim::indicators::fill_outcomes(&mut outcomes, &pop, &accounts, Some(&columns.paid[0]), &lines)
        .expect("outcomes");
    assert_eq!(outcomes[0].dibao_persons, 1);
    assert_eq!(outcomes[0].dibao_recipient_persons(), f64::from(pop.households.weight[0]));
    // Eligible as a whole (9,000 for three): the household is the unit, all three count.
    let mut pop = one(rural(), &[worker(9_000.0, 12), adult(38), severe]);
    run(&set, &mut pop, &ctx);
    assert!(!pop.households.flags[0].has(HouseholdFlags::DIBAO_SINGLE_PERSON));
    assert_eq!(incomesim::policy::dibao::recipient_persons(&pop, 0), 3);
}

/// Old members' own units: in a household above the threshold and below the line, a
/// member aged 60 or more not in work is a one-person unit on their own income and
/// their share of the residents' pension (unless the pension is disregarded); a member
/// in work, a household above the line or a line of 0 has none.
#[test]
fn old_members_not_in_work_are_units_of_their_own_below_the_line() {
    let ctx = YearContext::base(YEAR, 1);
    let set_with = |line: f64, disregard: bool| {
        let mut d = dibao();
        d.old_member_unit_line = [line, line];
        d.disregard_basic_pension = disregard;
        d.validate().expect("valid");
        LeverSet::new().with(Box::new(ResidentPension::new(Dated::constant(100.0)).expect("valid"))).with(Box::new(d))
    };
    // 30,000 for three: 10,000 a head, above 6,000 and below 3 × 6,000.
    let household = |old: PersonRecord| one(rural(), &[worker(30_000.0, 12), adult(38), old]);
    let parent = adult(70);
    let dibao_paid = |set: &LeverSet, pop: &mut Population| amount(set, pop, &ctx, "dibao");
    // The parent's pension, 1,200 a year, counts: 6,000 − 1,200.
    let mut pop = household(parent);
    assert_eq!(dibao_paid(&set_with(3.0, false), &mut pop), 4_800.0);
    let flags = pop.households.flags[0];
    assert!(flags.has(HouseholdFlags::DIBAO) && flags.has(HouseholdFlags::DIBAO_SINGLE_PERSON));
    assert_eq!(incomesim::policy::dibao::recipient_persons(&pop, 0), 1);
    // Disregarded, the pension does not count: the whole threshold.
    assert_eq!(dibao_paid(&set_with(3.0, true), &mut household(parent)), 6_000.0);
    // Off, or a line below the household's 10,000 a head: nothing.
    assert_eq!(dibao_paid(&set_with(0.0, false), &mut household(parent)), 0.0);
    assert_eq!(dibao_paid(&set_with(1.5, false), &mut household(parent)), 0.0);
    // A parent who farms is in work: not a unit.
    let farmer = PersonRecord { employment: Employment::FarmerHerder, months_in_job: 12, ..adult(70) };
    assert_eq!(dibao_paid(&set_with(3.0, false), &mut household(farmer)), 0.0);
    // Eligible as a whole (6,000 for three): the household is the unit.
    let mut pop = one(rural(), &[worker(6_000.0, 12), adult(38), parent]);
    assert!(dibao_paid(&set_with(3.0, false), &mut pop) > 0.0);
    assert!(!pop.households.flags[0].has(HouseholdFlags::DIBAO_SINGLE_PERSON));
    assert_eq!(incomesim::policy::dibao::recipient_persons(&pop, 0), 3);
}

/// Levers that serve dibao recipients (the living subsidy of poor disabled persons,
/// the price-linked subsidy, contribution support, priorities) see, in a household on
/// single-person units, only the members such units can cover: its old member, not its
/// working-age disabled member.
#[test]
fn levers_serving_recipients_see_only_the_members_single_person_units_cover() {
    use incomesim::policy::dibao::member_on_dibao;
    let ctx = YearContext::base(YEAR, 1);
    let moderate = PersonRecord { disability: Disability::Moderate, ..adult(38) };
    let members = [worker(30_000.0, 12), moderate, adult(70)];
    let mut units = rural();
    units.flags.set_dibao_units(1);
    let mut whole = rural();
    whole.flags.set(HouseholdFlags::DIBAO, true);
    let (mut on_units, mut on_whole) = (one(units, &members), one(whole, &members));
    let covered = |pop: &Population| {
        (0..3).map(|i| member_on_dibao(pop.households.flags[0], &pop.persons, i)).collect::<Vec<_>>()
    };
    assert_eq!(covered(&on_units), [false, false, true]);
    assert_eq!(covered(&on_whole), [true, true, true]);
    assert_eq!(covered(&one(rural(), &members)), [false, false, false]);
    // The living subsidy (50 a month) of the disabled member: only as a recipient.
    let allowances = LeverSet::new()
        .with(Box::new(DisabilityAllowances::new(Dated::constant(100.0), Dated::constant(50.0)).expect("valid")));
    assert_eq!(amount(&allowances, &mut on_units.clone(), &ctx, "disability_allowances"), 0.0);
    assert_eq!(amount(&allowances, &mut on_whole.clone(), &ctx, "disability_allowances"), 600.0);
    // The price-linked subsidy: 5% of the 500 threshold each month for each person
    // covered, one against three.
    let cpi = PriceLinkedSubsidy::new(dibao(), Dated::constant(0.05), 0.035).expect("valid");
    let prices = LeverSet::new().with(Box::new(cpi));
    assert_eq!(amount(&prices, &mut on_units, &ctx, "price_linked_subsidy"), 300.0);
    assert_eq!(amount(&prices, &mut on_whole, &ctx, "price_linked_subsidy"), 900.0);
}

/// When the caseload must fall faster than recipients leave, the review keeps those
/// entitled to most: of last year's two one-person recipients, the one without income
/// stays and the one whose earnings leave them a sixth of the threshold goes, whatever
/// their persistent draws (the priority of need weighs them as it weighs newcomers).
#[test]
fn at_a_review_the_recipients_entitled_to_least_leave_first() {
    use incomesim::engine::caseload::{Eligible, Programme, take_up_adjustment};
    use incomesim::policy::TakeUpAdjustment;
    let mut d = dibao();
    d.take_up = [0.5, 0.5];
    d.take_up_need_priority = [30.0, 30.0];
    let set = LeverSet::new().with(Box::new(d.clone()));
    let mut last_year = rural();
    last_year.flags.set(HouseholdFlags::DIBAO | HouseholdFlags::DIBAO_LAST_YEAR, true);
    for seed in 1..=20 {
        let mut pop = Population::empty(7);
        pop.push_household(&last_year, &[adult(50)]);
        pop.push_household(&last_year, &[worker(5_000.0, 12)]);
        // Every eligible household taking up, as the engine's probe does.
        let mut probe_ctx = YearContext::base(YEAR, seed);
        probe_ctx.dibao_take_up = TakeUpAdjustment::EVERYONE;
        let mut probe = pop.clone();
        let (_, columns, _) = run(&set, &mut probe, &probe_ctx);
        let ctx = YearContext::base(YEAR, seed);
        let lever: &dyn Lever = &d;
        let mut eligible = Eligible::of(Programme::Dibao, [(&probe, &columns.paid[0][..])], |pop, h, paid| {
            lever.caseload_draw(&ctx, pop, h, paid).expect("the dibao has a draw")
        });
        assert_eq!(eligible.stayers[1].len(), 2);
        // Held at one person of the two.
        let adjustment = take_up_adjustment(Programme::Dibao, &mut eligible, [0.5; 2], d.take_up, 1.0);
        assert!(adjustment.stayer_cutoff[1] < 1.0);
        let mut ctx = YearContext::base(YEAR, seed);
        ctx.dibao_take_up = adjustment;
        let (_, columns, _) = run(&set, &mut pop, &ctx);
        assert_eq!(columns.paid[0], [6_000.0, 0.0], "seed {seed}");
        assert!(
            pop.households.flags[0].has(HouseholdFlags::DIBAO) && !pop.households.flags[1].has(HouseholdFlags::DIBAO)
        );
    }
}

/// A household whose old member alone is on dibao is an edge household when its
/// income without that dibao is below 1.5 thresholds a head: edge cash for its two
/// members not covered. On dibao as a whole, or above the edge, it gets none.
#[test]
fn a_household_with_a_single_person_unit_can_be_an_edge_household() {
    let ctx = YearContext::base(YEAR, 1);
    let mut d = dibao();
    d.old_member_unit_line = [3.0, 3.0];
    d.validate().expect("valid");
    let edge = EdgeAssistance::new(d.clone(), Dated::constant(100.0), 0.2).expect("valid");
    let set = LeverSet::new().with(Box::new(d)).with(Box::new(edge));
    // 24,000 for three: 8,000 a head, above 6,000 and below 9,000; the parent alone is
    // paid the one-person threshold, and the others get 100 a month each.
    let mut pop = one(rural(), &[worker(24_000.0, 12), adult(38), adult(70)]);
    assert_eq!(amount(&set, &mut pop, &ctx, "dibao"), 6_000.0);
    assert_eq!(amount(&set, &mut pop, &ctx, "low_income_edge_assistance"), 2_400.0);
    let flags = pop.households.flags[0];
    assert!(flags.has(HouseholdFlags::DIBAO_SINGLE_PERSON) && flags.has(HouseholdFlags::LOW_INCOME_EDGE));
    // 30,000: 10,000 a head, above the edge: the unit only.
    let mut pop = one(rural(), &[worker(30_000.0, 12), adult(38), adult(70)]);
    assert_eq!(amount(&set, &mut pop, &ctx, "low_income_edge_assistance"), 0.0);
    // 12,000: on dibao as a whole, not in the edge group.
    let mut pop = one(rural(), &[worker(12_000.0, 12), adult(38), adult(70)]);
    assert_eq!(amount(&set, &mut pop, &ctx, "low_income_edge_assistance"), 0.0);
    assert!(!pop.households.flags[0].has(HouseholdFlags::LOW_INCOME_EDGE));
}

#[test]
fn dibao_recipient_finding_job_mid_year_keeps_benefit_through_grace() {
    // Job from October (3 months), 3,000 earned; pc 3,000 → means-tested 500 − 250 =
    // 250 a month; pre-job 500 a month. Months 1–9 pre (job starts month 10, grace 3
    // runs to the end of the year): 12 × 500 = 6,000 for a household of one.
    let ctx = YearContext::base(YEAR, 1);
    let mut d = dibao();
    d.grace_months = 3;
    let set = LeverSet::new().with(Box::new(d));
    let hh = HouseholdRecord { flags: HouseholdFlags(HouseholdFlags::DIBAO_LAST_YEAR), ..rural() };
    let mut p = worker(3_000.0, 3);
    p.flags.set(PersonFlags::NEW_JOB_THIS_YEAR, true);
    assert_eq!(amount(&set, &mut one(hh, &[p]), &ctx, "dibao"), 6_000.0);
    // Without grace: months 1–9 pre (9 × 500 = 4,500), months 10–12 means-tested
    // (3 × 250 = 750): 5,250.
    let set = LeverSet::new().with(Box::new(dibao()));
    assert_eq!(amount(&set, &mut one(hh, &[p]), &ctx, "dibao"), 5_250.0);
}

#[test]
fn dibao_threshold_changing_mid_year_pays_months_in_force() {
    // 500 until June, 560 from July; zero income, one person: 6 × 500 + 6 × 560 = 6,360.
    let ctx = YearContext::base(YEAR, 1);
    let schedule = Dated::new(vec![(ym(2020, 1), 500.0), (ym(YEAR, 7), 560.0)]).expect("ordered");
    let d = Dibao::new([vec![Dated::constant(700.0)], vec![schedule]], [1.0, 1.0]).expect("valid");
    let set = LeverSet::new().with(Box::new(d));
    assert_eq!(amount(&set, &mut one(rural(), &[adult(50)]), &ctx, "dibao"), 6_360.0);
}

#[test]
fn dibao_sanction_sets_flag_and_count() {
    let ctx = YearContext::base(YEAR, 1);
    let mut d = dibao();
    d.sanction =
        Some(JobOfferSanction { offer_probability: 1.0, refusal_probability: 1.0, ..JobOfferSanction::default() });
    let set = LeverSet::new().with(Box::new(d));
    let mut pop = one(rural(), &[PersonRecord { employment: Employment::Unemployed, ..adult(30) }, adult(60)]);
    // Year 1: 2 offers refused → count 2, no sanction: 2 × 6,000 = 12,000.
    assert_eq!(amount(&set, &mut pop, &ctx, "dibao"), 12_000.0);
    assert_eq!(pop.persons.flags[0].refusals(), 2);
    assert!(!pop.persons.flags[0].has(PersonFlags::SANCTIONED));
    // Year 2: third refusal → sanctioned, own half stopped: 6,000.
    let ctx2 = YearContext { year: YEAR + 1, ..ctx };
    assert_eq!(amount(&set, &mut pop, &ctx2, "dibao"), 6_000.0);
    assert!(pop.persons.flags[0].has(PersonFlags::SANCTIONED));
}

#[test]
fn constructors_validate() {
    assert!(Dibao::new([vec![Dated::constant(-1.0)], vec![Dated::constant(500.0)]], [1.0, 1.0]).is_err());
    assert!(Dibao::new([vec![], vec![Dated::constant(500.0)]], [1.0, 1.0]).is_err());
    assert!(Dibao::new([vec![Dated::constant(700.0)], vec![Dated::constant(500.0)]], [1.2, 1.0]).is_err());
    let mut d = dibao();
    d.grace_months = 13;
    assert!(d.validate().is_err());
    let mut d = dibao();
    d.sanction = Some(JobOfferSanction { cut_share: 1.5, ..JobOfferSanction::default() });
    assert!(d.validate().is_err());
    assert!(ExtremePovertySupport::new(dibao(), 0.9, 0.1).is_err());
    assert!(ResidentPension::new(Dated::constant(-5.0)).is_err());
    assert!(
        ResidentPension::new(Dated::constant(98.0)).expect("valid").with_yearly_increment(-5.0, ym(2023, 1)).is_err()
    );
    assert!(ContributionSupport::new(100.0, 200.0, 1.1, 1000.0, 0.1).is_err());
    assert!(RetireePensionAdjustment::new(Dated::constant(-0.01)).is_err());
    assert!(OldAgeAllowance::new(Dated::constant(-1.0), Dated::constant(0.0)).is_err());
    assert!(DisabilityAllowances::new(Dated::constant(1.0), Dated::constant(-1.0)).is_err());
    assert!(
        FarmSubsidies::new(Dated::constant(1.0), Dated::constant(7.5), Dated::constant(2.5), 2.0, Dated::constant(0.0))
            .is_err()
    );
    assert!(EdgeAssistance::new(dibao(), Dated::constant(-1.0), 0.2).is_err());
    assert!(TemporaryAssistance::new(dibao(), 1.5, 0.0, 3.0).is_err());
    assert!(PriceLinkedSubsidy::new(dibao(), Dated::constant(0.05), 1.5).is_err());
    assert!(
        EmploymentTransfers::new(
            Dated::constant(1000.0),
            Dated::constant(500.0),
            0.0,
            13,
            0.0,
            Dated::constant(1600.0)
        )
        .is_err()
    );
    // Steps out of order never make a Dated value.
    assert!(Dated::new(vec![(ym(2022, 7), 1.0), (ym(2022, 1), 2.0)]).is_none());
}

// ------------------------------------------- the other levers' edge households

/// Households every lever is tried on: (description, household, persons).
fn edge_households() -> Vec<(&'static str, HouseholdRecord, Vec<PersonRecord>)> {
    let mut job = worker(6_000.0, 6);
    job.flags.set(PersonFlags::NEW_JOB_THIS_YEAR, true);
    vec![
        ("one zero-income adult", rural(), vec![adult(40)]),
        ("at the threshold", rural(), vec![worker(6_000.0, 12)]),
        (
            "severely disabled",
            rural(),
            vec![PersonRecord { disability: Disability::Severe, able_to_work: false, ..adult(40) }],
        ),
        (
            "new job mid-year",
            HouseholdRecord { flags: HouseholdFlags(HouseholdFlags::DIBAO_LAST_YEAR), ..rural() },
            vec![job],
        ),
        (
            "rich urban",
            HouseholdRecord { residence: Residence::Urban, ..HouseholdRecord::default() },
            vec![worker(200_000.0, 12)],
        ),
    ]
}

#[test]
fn categorical_levers_on_edge_households() {
    let ctx = YearContext::base(YEAR, 1);
    // Expected per household, in the order of edge_households(), worked by hand:
    // pension (age 40 everywhere: nothing), old-age (under 80: nothing), disability
    // (nursing 100 × 12 only for the severe member, living 80 × 12 for a poor one:
    // "severely disabled" household is not flagged poor before dibao: 1,200), farm
    // subsidies (no land: nothing), employment transfers (no graduates or poor
    // migrants: nothing).
    let cases: Vec<(Box<dyn Lever>, [f64; 5])> = vec![
        (Box::new(ResidentPension::new(Dated::constant(98.0)).expect("valid")), [0.0; 5]),
        (Box::new(OldAgeAllowance::new(Dated::constant(100.0), Dated::constant(50.0)).expect("valid")), [0.0; 5]),
        (
            Box::new(DisabilityAllowances::new(Dated::constant(100.0), Dated::constant(80.0)).expect("valid")),
            [0.0, 0.0, 1_200.0, 0.0, 0.0],
        ),
        (Box::new(FarmSubsidies::default()), [0.0; 5]),
        (Box::new(EmploymentTransfers::default()), [0.0; 5]),
    ];
    for (lever, want) in cases {
        let name = lever.name().to_string();
        let set = LeverSet::new().with(lever);
        for ((what, hh, persons), w) in edge_households().into_iter().zip(want) {
            assert_eq!(amount(&set, &mut one(hh, &persons), &ctx, &name), w, "{name}: {what}");
        }
    }
}

#[test]
fn means_tested_levers_on_edge_households() {
    let ctx = YearContext::base(YEAR, 1);
    // 特困: only the severely disabled adult alone qualifies: 1.3 × 6,000 = 7,800.
    // Edge assistance (after dibao): "at the threshold" pc 6,000 < 9,000: 1,200; the
    // new-job household (pc 6,000 but a last-year recipient whose pre-job benefit
    // continues Jan–Jun) is on dibao: nothing; the zero-income and severe ones are on
    // dibao: nothing.
    // Temporary assistance (shock certain): 3 × 500 = 1,500 for every household with
    // pc < 9,000: all but the rich one.
    let extreme = ExtremePovertySupport::new(dibao(), 1.3, 1.0).expect("valid");
    let edge = EdgeAssistance::new(dibao(), Dated::constant(100.0), 0.2).expect("valid");
    let temporary = TemporaryAssistance::new(dibao(), 1.0, 0.0, 3.0).expect("valid");
    let table: [(&str, LeverSet, [f64; 5]); 3] = [
        ("extreme_poverty_support", LeverSet::new().with(Box::new(extreme)), [0.0, 0.0, 7_800.0, 0.0, 0.0]),
        (
            "low_income_edge_assistance",
            LeverSet::new().with(Box::new(dibao())).with(Box::new(edge)),
            [0.0, 1_200.0, 0.0, 0.0, 0.0],
        ),
        ("temporary_assistance", LeverSet::new().with(Box::new(temporary)), [1_500.0, 1_500.0, 1_500.0, 1_500.0, 0.0]),
    ];
    for (name, set, want) in table {
        for ((what, hh, persons), w) in edge_households().into_iter().zip(want) {
            assert_eq!(amount(&set, &mut one(hh, &persons), &ctx, name), w, "{name}: {what}");
        }
    }
}

#[test]
fn pension_and_allowance_parameters_changing_mid_year() {
    let ctx = YearContext::base(YEAR, 1);
    // Old-age allowance 100 → 150 from October: 9 × 100 + 3 × 150 = 1,350.
    let a = Dated::new(vec![(ym(2017, 1), 100.0), (ym(YEAR, 10), 150.0)]).expect("ordered");
    let set = LeverSet::new().with(Box::new(OldAgeAllowance::new(a, Dated::constant(0.0)).expect("valid")));
    assert_eq!(amount(&set, &mut one(rural(), &[adult(82)]), &ctx, "old_age_allowance"), 1_350.0);
    // Price-linked subsidy on a dibao household: CPI 5% from April: 500 × 0.05 × 9 = 225.
    let cpi = Dated::new(vec![(ym(YEAR, 1), 0.0), (ym(YEAR, 4), 0.05)]).expect("ordered");
    let set = LeverSet::new()
        .with(Box::new(dibao()))
        .with(Box::new(PriceLinkedSubsidy::new(dibao(), cpi, 0.035).expect("valid")));
    let got = amount(&set, &mut one(rural(), &[adult(50)]), &ctx, "price_linked_subsidy");
    assert!((got - 225.0).abs() < 1e-9, "{got}");
}

#[test]
fn retiree_adjustment_raises_column_and_pays_only_the_delta() {
    let ctx = YearContext::base(YEAR, 1);
    let rise = Dated::new(vec![(ym(YEAR, 1), 0.05)]).expect("ordered");
    let set = LeverSet::new().with(Box::new(RetireePensionAdjustment::new(rise).expect("valid")));
    let mut pop = one(
        HouseholdRecord { residence: Residence::Urban, ..HouseholdRecord::default() },
        &[PersonRecord { age: 70, employment: Employment::Retired, retiree_pension: 40_000.0, ..adult(70) }],
    );
    let (accounts, columns, _) = run(&set, &mut pop, &ctx);
    // 40,000 in market accounts + 2,000 rise = 42,000 counted once.
    assert_eq!(columns.paid[0][0], 2_000.0);
    assert_eq!(accounts.transfers_received[0], 42_000.0);
    assert_eq!(pop.persons.retiree_pension[0], 42_000.0);
}

// ------------------------------------------------------------ property tests

/// Every lever, in stage order; `sanction` adds the job-offer sanction to dibao.
fn full_set(sanction: bool) -> LeverSet {
    let mut d = dibao_all_rules();
    if sanction {
        d.sanction = Some(JobOfferSanction::default());
    }
    let cpi = Dated::new(vec![(ym(YEAR, 1), 0.02), (ym(YEAR, 6), 0.04)]).expect("ordered");
    let pension = ResidentPension::new(Dated::new(vec![(ym(2020, 1), 93.0), (ym(YEAR, 7), 98.0)]).expect("ordered"))
        .expect("valid")
        .with_yearly_increment(5.0, ym(YEAR, 1))
        .expect("valid");
    let mut disability = DisabilityAllowances::new(Dated::constant(100.0), Dated::constant(80.0)).expect("valid");
    disability.indexed_to_prices = true;
    LeverSet::new()
        .with(Box::new(SocialContributions::new(0.105, 40_000.0, 300_000.0, 30_000.0).expect("valid")))
        .with(Box::new(IncomeTax::default()))
        .with(Box::new(
            RetireePensionAdjustment::new(Dated::new(vec![(ym(YEAR, 1), 0.04)]).expect("ordered")).expect("valid"),
        ))
        .with(Box::new(pension))
        .with(Box::new(
            OldAgeAllowance::new(Dated::constant(100.0), Dated::constant(50.0))
                .expect("valid")
                .with_centenarian(Dated::constant(600.0))
                .expect("valid"),
        ))
        .with(Box::new(disability))
        .with(Box::new(FarmSubsidies::default()))
        .with(Box::new(EmploymentTransfers { intern_probability: 0.3, ..EmploymentTransfers::default() }))
        .with(Box::new(ExtremePovertySupport::new(d.clone(), 1.3, 0.5).expect("valid")))
        .with(Box::new(d.clone()))
        .with(Box::new(EdgeAssistance::new(d.clone(), Dated::constant(100.0), 0.2).expect("valid")))
        .with(Box::new(TemporaryAssistance::new(d.clone(), 0.1, 0.3, 3.0).expect("valid")))
        .with(Box::new(PriceLinkedSubsidy::new(d, cpi, 0.035).expect("valid")))
        .with(Box::new(ContributionSupport { higher_tier_share: 0.2, ..ContributionSupport::default() }))
}

const EMPLOYMENTS: [Employment; 10] = [
    Employment::LocalEmployee,
    Employment::MigrantShortTerm,
    Employment::FarmerHerder,
    Employment::SelfEmployed,
    Employment::PublicWelfarePost,
    Employment::PublicSector,
    Employment::Unemployed,
    Employment::Retired,
    Employment::Student,
    Employment::NotInLabourForce,
];

fn person_strategy() -> impl Strategy<Value = PersonRecord> {
    (
        (0u8..106, 0usize..10, 0usize..3, any::<bool>(), 0u8..=12, 0u8..=3, any::<bool>()),
        (prop_oneof![Just(0.0f32), 0.0f32..80_000.0], -2_000.0f32..20_000.0, 0.0f32..5_000.0),
        (prop_oneof![4 => Just(0.0f32), 1 => 10_000.0f32..60_000.0], 0usize..4),
    )
        .prop_map(|((age, e, d, able, months, refusals, new_job), (wage, operating, property), (pension, edu))| {
            let employment = EMPLOYMENTS[e];
            let mut flags = PersonFlags::default();
            flags.set_refusals(refusals);
            flags.set(PersonFlags::NEW_JOB_THIS_YEAR, new_job);
            PersonRecord {
                age,
                able_to_work: able,
                disability: [Disability::None, Disability::Moderate, Disability::Severe][d],
                employment,
                months_in_job: if employment.is_working() { months.max(1) } else { 0 },
                flags,
                education: Education::ALL[edu],
                wage: if employment.earns_wage() { wage } else { 0.0 },
                operating: if employment.earns_operating() { operating } else { 0.0 },
                property,
                retiree_pension: pension,
                ..PersonRecord::default()
            }
        })
}

fn household_strategy() -> impl Strategy<Value = (HouseholdRecord, Vec<PersonRecord>)> {
    (
        (0.5f32..3.0, any::<bool>(), 0u8..3, 0u16..(1 << 11)),
        (0.0f32..30.0, prop_oneof![Just(0.0f32), 0.0f32..500.0], 0.0f32..8_000.0, 0.0f32..5_000.0, 0.0f32..3_000.0),
        prop::collection::vec(person_strategy(), 1..6),
    )
        .prop_map(|((weight, urban, tier, flags), (land, grass, rigid, remit, project), persons)| {
            // Flags from last year and history only; this year's are set by levers.
            let keep = HouseholdFlags::DIBAO_LAST_YEAR
                | HouseholdFlags::FORMERLY_POOR
                | HouseholdFlags::MONITORED
                | HouseholdFlags::EXTREME_POVERTY_LAST_YEAR;
            let hh = HouseholdRecord {
                weight,
                residence: if urban { Residence::Urban } else { Residence::Rural },
                tier,
                flags: HouseholdFlags(flags & keep),
                land_mu: land,
                grassland_mu: grass,
                land_rented_out_mu: land / 2.0,
                rigid_expenses: rigid,
                remittances: remit,
                poverty_project_income: project,
                ..HouseholdRecord::default()
            };
            (hh, persons)
        })
}

fn build(households: &[(HouseholdRecord, Vec<PersonRecord>)], first_id: u64) -> Population {
    let mut pop = Population::empty(first_id);
    for (hh, persons) in households {
        pop.push_household(hh, persons);
    }
    pop
}

fn sum_parts(a: &Accounts, h: usize) -> f64 {
    a.wage[h] + a.operating[h] + a.property[h] + a.transfers_received[h] + a.transfers_paid[h]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Income tax person by person over the household index (persons stored household
    /// after household) and by the loop over each household's members (a stray person
    /// after the last household) give the same tax bit for bit, with and without the
    /// special deductions (2023, 2017), and never a negative one.
    #[test]
    fn income_tax_fast_path_matches_the_member_loop(
        households in prop::collection::vec(household_strategy(), 1..12),
        scale in 1.0f32..5.0,
    ) {
        let mut households = households;
        for (_, persons) in &mut households {
            for p in persons.iter_mut() {
                p.wage *= scale;
            }
        }
        let set = LeverSet::new()
            .with(Box::new(SocialContributions::new(0.105, 40_000.0, 300_000.0, 30_000.0).expect("valid")))
            .with(Box::new(IncomeTax::default()));
        for year in [2017, 2018, 2023] {
            let ctx = YearContext::base(year, 5);
            let mut contiguous = build(&households, 0);
            let mut strayed = build(&households, 0);
            let stray = strayed.persons.record(0);
            strayed.persons.push(&stray);
            let (a, _, _) = run(&set, &mut contiguous, &ctx);
            let (b, _, _) = run(&set, &mut strayed, &ctx);
            for h in 0..households.len() {
                prop_assert_eq!(a.transfers_paid[h].to_bits(), b.transfers_paid[h].to_bits(), "{} household {}", year, h);
                prop_assert!(a.transfers_paid[h] >= 0.0, "{} household {}: {}", year, h, a.transfers_paid[h]);
            }
        }
    }

    /// Contributions indexed to incomes are homogeneous: doubling every wage and the
    /// urban income index doubles every household's contributions bit for bit (the
    /// floor, ceiling and informal line double with the index), whatever the
    /// residence; without indexation doubled wages cross the fixed lines instead.
    #[test]
    fn indexed_contributions_double_with_wages_and_the_income_index(
        households in prop::collection::vec(household_strategy(), 1..12),
        rural_index in 0.5f64..3.0,
    ) {
        let lever = SocialContributions::new(0.105, 40_000.0, 300_000.0, 30_000.0).expect("valid");
        let set = LeverSet::new().with(Box::new(lever.clone()));
        let base = YearContext::base(YEAR, 5);
        let mut doubled_households = households.clone();
        for (_, persons) in &mut doubled_households {
            for p in persons.iter_mut() {
                p.wage *= 2.0;
            }
        }
        let (a, _, _) = run(&set, &mut build(&households, 0), &base);
        // The rural index is not the one that moves the lines.
        let ctx = YearContext { income_index: [2.0, rural_index], ..base };
        let (b, _, _) = run(&set, &mut build(&doubled_households, 0), &ctx);
        for h in 0..households.len() {
            prop_assert_eq!((2.0 * a.transfers_paid[h]).to_bits(), b.transfers_paid[h].to_bits(), "household {}", h);
        }
        let fixed = SocialContributions { indexation: Indexation::None, ..lever };
        let set = LeverSet::new().with(Box::new(fixed));
        let (c, _, _) = run(&set, &mut build(&doubled_households, 0), &ctx);
        let (d, _, _) = run(&set, &mut build(&doubled_households, 0), &base);
        for h in 0..households.len() {
            prop_assert_eq!(c.transfers_paid[h].to_bits(), d.transfers_paid[h].to_bits(), "household {}", h);
        }
    }

    #[test]
    fn ledger_columns_and_accounts_agree(
        households in prop::collection::vec(household_strategy(), 1..10),
        seed in any::<u64>(),
        sanction in any::<bool>(),
        price_index in 1.0f64..1.3,
    ) {
        let set = full_set(sanction);
        let mut ctx = YearContext::base(YEAR, seed);
        ctx.base_year = 2020;
        ctx.price_index = price_index;
        let original = build(&households, seed % 1000);
        let mut market = Accounts::default();
        market_accounts(&original, &mut market);
        let mut pop = original.clone();
        let (accounts, columns, ledger) = run(&set, &mut pop, &ctx);
        prop_assert_eq!(ledger.records.len(), set.len());
        for (i, record) in ledger.records.iter().enumerate() {
            let weighted: f64 = columns.paid[i].iter().zip(&pop.households.weight).map(|(x, &w)| x * w as f64).sum();
            prop_assert!((record.paid_to_households - weighted).abs() <= 1e-6 * (1.0 + weighted.abs()),
                "{}: ledger {} vs column {}", record.lever, record.paid_to_households, weighted);
            // Transfers cost what they pay, or more (costs no household receives);
            // what households pay the state is revenue, a negative cost.
            if ["income_tax", "social_contributions"].contains(&record.lever.as_str()) {
                prop_assert_eq!(record.fiscal_cost, -record.paid_to_households, "{}", record.lever);
            } else {
                prop_assert!(record.fiscal_cost >= record.paid_to_households - 1e-9, "{}", record.lever);
            }
            prop_assert_eq!(record.paid_privately, 0.0, "{}", record.lever);
            for (h, &x) in columns.paid[i].iter().enumerate() {
                prop_assert!(x >= 0.0, "{} paid {} to household {}", record.lever, x, h);
            }
        }
        for h in 0..pop.household_count() {
            let total: f64 = columns.paid.iter().map(|c| c[h]).sum();
            let change = sum_parts(&accounts, h) - sum_parts(&market, h);
            prop_assert!((total - change).abs() <= 1e-6 * (1.0 + change.abs()), "household {}: {} vs {}", h, total, change);
        }
    }

    #[test]
    fn person_by_person_paths_give_the_member_loops_results_bit_for_bit(
        households in prop::collection::vec(household_strategy(), 1..10),
        seed in any::<u64>(),
        sanction in any::<bool>(),
    ) {
        // Levers that sum over members go person by person over a household index when
        // persons are stored household after household; a person stored after the last
        // household (in no household) sends them down their loops over each household's
        // members. Both must give the same amounts, bit for bit.
        let set = full_set(sanction);
        let ctx = YearContext::base(YEAR, seed);
        let mut fast_pop = build(&households, seed % 1000);
        let mut loop_pop = fast_pop.clone();
        let stray = loop_pop.persons.record(0);
        loop_pop.persons.push(&stray);
        let (fast, fast_columns, _) = run(&set, &mut fast_pop, &ctx);
        let (looped, loop_columns, _) = run(&set, &mut loop_pop, &ctx);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for (name, a, b) in [
            ("wage", &fast.wage, &looped.wage),
            ("operating", &fast.operating, &looped.operating),
            ("property", &fast.property, &looped.property),
            ("transfers received", &fast.transfers_received, &looped.transfers_received),
            ("transfers paid", &fast.transfers_paid, &looped.transfers_paid),
        ] {
            prop_assert_eq!(bits(a), bits(b), "{}", name);
        }
        let persons = fast_pop.person_count();
        let contributions = |a: &Accounts| (0..persons).map(|i| a.contribution(i).to_bits()).collect::<Vec<_>>();
        prop_assert_eq!(contributions(&fast), contributions(&looped));
        for (lever, (a, b)) in set.levers().zip(fast_columns.paid.iter().zip(&loop_columns.paid)) {
            prop_assert_eq!(bits(a), bits(b), "{}", lever.name());
        }
    }

    #[test]
    fn dibao_lifts_recipients_to_the_threshold(
        households in prop::collection::vec(household_strategy(), 1..10),
        seed in any::<u64>(),
        price_index in 1.0f64..1.3,
    ) {
        // Full take-up, no sanction (full_set(false)): every recipient's assessed
        // per-capita income plus dibao per head reaches the annual threshold.
        let set = full_set(false);
        let mut ctx = YearContext::base(YEAR, seed);
        ctx.base_year = 2020;
        ctx.price_index = price_index;
        let original = build(&households, seed % 1000);
        let mut pop = original.clone();
        let (_, columns, _) = run(&set, &mut pop, &ctx);
        let dibao_at = set.levers().position(|l| l.name() == "dibao").expect("dibao");

        // Accounts and columns just before dibao: the same set without dibao and the
        // levers after it (keyed draws make the earlier levers pay the same).
        let mut pre_set = full_set(false);
        for name in ["price_linked_subsidy", "temporary_assistance", "low_income_edge_assistance",
                     "resident_pension_contribution_support", "dibao"] {
            pre_set.remove(name);
        }
        let mut pre_pop = original.clone();
        let (mut pre_accounts, pre_columns, _) = run(&pre_set, &mut pre_pop, &ctx);
        let names: Vec<&str> = pre_set.levers().map(|l| l.name()).collect();
        let d = dibao_all_rules();
        let mut scratch = vec![0.0; pre_pop.household_count()];
        let book = Book::with_earlier(&mut pre_accounts, &mut scratch, &names, &pre_columns.paid);
        for h in 0..pre_pop.household_count() {
            let paid = columns.paid[dibao_at][h];
            if paid <= 0.0 {
                continue;
            }
            let size = pre_pop.households.size[h] as f64;
            let assessed = d.assess(ctx.year, &pre_pop, h, book.accounts(), &book).assessed;
            let t = d.threshold_for(&ctx, pre_pop.households.residence[h], pre_pop.households.tier[h]);
            prop_assert!(assessed / size + paid / size >= t - 1e-6,
                "household {}: assessed pc {} + dibao pc {} < threshold {}", h, assessed / size, paid / size, t);
        }
    }
}
