//! The indicators of a projection year, each checked against a hand-computed example
//! (arithmetic in the comments), plus properties: block-merged sums equal one-pass
//! sums, and results do not depend on the order of the outcomes.

use std::collections::HashMap;

use incomesim::Profile;
use incomesim::indicators::{
    AllWeighting, BinnedDistribution, Group, HouseholdOutcome, IndicatorOptions, IndicatorSums, PovertyLines,
    RELATIVE_WIDTH, TrackingSums, YearIndicators,
};
use incomesim::model::{HouseholdFlags, IncomeParts, Residence};
use proptest::prelude::*;

const U: Residence = Residence::Urban;
const R: Residence = Residence::Rural;

/// A household whose disposable income is all wage: `per_capita × size`.
fn hh(id: u64, residence: Residence, weight: f32, size: u8, per_capita: f64) -> HouseholdOutcome {
    let parts = IncomeParts { wage: per_capita * size as f64, ..Default::default() };
    HouseholdOutcome::new(id, residence, weight, size, &parts)
}

fn formerly_poor(mut o: HouseholdOutcome) -> HouseholdOutcome {
    o.flags.set(HouseholdFlags::FORMERLY_POOR, true);
    o
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
}

fn lines(v: &[f64]) -> PovertyLines {
    PovertyLines::new(v.to_vec()).unwrap()
}

#[test]
fn old_age_shares_count_members_by_weight() {
    // Urban: weight 2, three persons, one aged 60–64 and one 65+; rural: weight 1, two
    // persons, both 65+. Persons 2·3 + 2 = 8; 60+: 2·2 + 2 = 6; 65+: 2·1 + 2 = 4.
    let mut u = hh(1, U, 2.0, 3, 20_000.0);
    (u.aged_60_plus, u.aged_65_plus) = (2, 1);
    let mut r = hh(2, R, 1.0, 2, 8_000.0);
    (r.aged_60_plus, r.aged_65_plus) = (2, 2);
    let y = YearIndicators::compute(2022, &[u, r], None, &lines(&[6000.0]));
    assert_eq!(y.get(Group::All, "persons_60_plus"), Some(6.0));
    assert_eq!(y.get(Group::All, "persons_65_plus"), Some(4.0));
    assert!(close(y.get(Group::All, "share_60_plus").unwrap(), 6.0 / 8.0));
    assert!(close(y.get(Group::All, "share_65_plus").unwrap(), 0.5));
    assert!(close(y.get(Group::Urban, "share_60_plus").unwrap(), 4.0 / 6.0));
    assert_eq!(y.get(Group::Rural, "share_65_plus"), Some(1.0));
    // Shares of residents, as the communiqués': weighing `all` by a survey urban share
    // of 0.5 (urban × 0.5 × 8/6, rural × 0.5 × 8/2) would make 60+ (4·2/3 + 2·2)/8 =
    // 0.833 and 65+ (2·2/3 + 2·2)/8 = 0.667; they stay 0.75 and 0.5.
    let options = IndicatorOptions { lines: lines(&[6000.0]), all_weighting: AllWeighting::SurveyUrbanShare(0.5) };
    let survey = YearIndicators::compute_with(2022, &[u, r], None, &options);
    assert!(close(survey.get(Group::All, "share_60_plus").unwrap(), 6.0 / 8.0));
    assert!(close(survey.get(Group::All, "share_65_plus").unwrap(), 0.5));
}

#[test]
fn fgt_on_three_persons() {
    // Three one-person rural households, weight 1, incomes 3,000, 4,500 and 9,000;
    // line 6,000: gaps (6000−3000)/6000 = 0.5, (6000−4500)/6000 = 0.25, 0.
    // FGT0 = 2/3; FGT1 = (0.5 + 0.25)/3 = 0.25; FGT2 = (0.25 + 0.0625)/3 = 0.3125/3.
    // Dibao line 4,000 for every household: only 3,000 is below, gap 0.25:
    // FGT0 = 1/3, FGT1 = 0.25/3, FGT2 = 0.0625/3.
    let mut v = vec![hh(1, R, 1.0, 1, 3000.0), hh(2, R, 1.0, 1, 4500.0), hh(3, R, 1.0, 1, 9000.0)];
    for o in &mut v {
        o.dibao_line = 4000.0;
    }
    let y = YearIndicators::compute(2022, &v, None, &lines(&[6000.0]));
    for g in [Group::Rural, Group::All] {
        assert!(close(y.get(g, "headcount_6000").unwrap(), 2.0 / 3.0));
        assert!(close(y.get(g, "gap_6000").unwrap(), 0.25));
        assert!(close(y.get(g, "severity_6000").unwrap(), 0.3125 / 3.0));
        assert_eq!(y.get(g, "poor_persons_6000").unwrap(), 2.0);
        assert!(close(y.get(g, "headcount_dibao").unwrap(), 1.0 / 3.0));
        assert!(close(y.get(g, "gap_dibao").unwrap(), 0.25 / 3.0));
        assert!(close(y.get(g, "severity_dibao").unwrap(), 0.0625 / 3.0));
    }
    // No urban households: every urban figure is 0, not NaN.
    assert_eq!(y.get(Group::Urban, "headcount_6000").unwrap(), 0.0);
    assert!(y.rows().iter().all(|r| r.value.is_finite()));
}

#[test]
fn fgt_counts_persons_not_households() {
    // A two-person household at 3,000 (weight 2: 4 persons) and a one-person household
    // at 9,000 (weight 1): 4 of 5 persons below 6,000, gap 4 × 0.5 / 5 = 0.4.
    let v = vec![hh(1, R, 2.0, 2, 3000.0), hh(2, R, 1.0, 1, 9000.0)];
    let y = YearIndicators::compute(2022, &v, None, &PovertyLines::default());
    assert!(close(y.get(Group::Rural, "headcount_6000").unwrap(), 0.8));
    assert!(close(y.get(Group::Rural, "gap_6000").unwrap(), 0.4));
    // Against 10,000: gaps 0.7 (4 persons) and 0.1 (1 person): FGT1 = (2.8 + 0.1)/5.
    assert!(close(y.get(Group::Rural, "gap_10000").unwrap(), 2.9 / 5.0));
    // Exactly at a line is not below it.
    let at = vec![hh(1, R, 1.0, 1, 6000.0)];
    let y = YearIndicators::compute(2022, &at, None, &PovertyLines::default());
    assert_eq!(y.get(Group::Rural, "headcount_6000").unwrap(), 0.0);
    assert_eq!(y.get(Group::Rural, "headcount_10000").unwrap(), 1.0);
}

#[test]
fn theil_and_gini_of_a_two_point_distribution() {
    // Two households of two persons each at 10,000 and 30,000 per person: persons
    // with 1 and 3 (in 10,000s), μ = 2.
    // Gini = Σ|yi − yj| / (2 n² μ) over persons = (8 pairs × 2) / (2 × 16 × 2) = 0.25.
    // Theil = ½[½ ln ½ + 1.5 ln 1.5] = ½[−0.346574 + 0.608198] = 0.130812.
    let v = vec![hh(1, U, 1.0, 2, 30_000.0), hh(2, U, 1.0, 2, 10_000.0)];
    let y = YearIndicators::compute(2022, &v, None, &PovertyLines::default());
    let g = y.group(Group::Urban);
    assert!(close(g.gini, 0.25));
    assert!(close(g.theil, 0.5 * (0.5 * 0.5f64.ln() + 1.5 * 1.5f64.ln())));
    assert!((g.theil - 0.130812).abs() < 1e-6);
    assert_eq!(g.mean.disposable, 20_000.0);
}

#[test]
fn middle_income_share_boundaries() {
    // Four three-person urban households, weight 1, with household incomes 99,999,
    // 100,000, 500,000 and 500,001 yuan: per capita 33,333, exactly 100,000/3,
    // exactly 500,000/3 and 166,667. The two at the bounds are middle income:
    // 6 of 12 persons.
    let v: Vec<_> = [99_999.0, 100_000.0, 500_000.0, 500_001.0]
        .iter()
        .enumerate()
        .map(|(i, &total)| hh(i as u64, U, 1.0, 3, total / 3.0))
        .collect();
    assert_eq!(v[1].per_capita(), 100_000.0 / 3.0);
    let y = YearIndicators::compute(2022, &v, None, &PovertyLines::default());
    assert_eq!(y.get(Group::Urban, "middle_income_share").unwrap(), 0.5);
    assert_eq!(y.get(Group::Urban, "middle_income_persons").unwrap(), 6.0);
}

#[test]
fn quintiles_with_unequal_household_sizes() {
    // Five households of weight 1, poorer ones larger, given out of order:
    // one household per group, so the group means are the households' incomes.
    // Mean over persons = (100×4 + 200×3 + 300×3 + 400×2 + 500×2)/14 = 3700/14.
    // NBS median: the third household (cumulative weight 3 ≥ 5/2): 300 (the
    // person-weighted median would be 200: cumulative persons 4, 7 ≥ 14/2).
    let v = vec![
        hh(5, R, 1.0, 2, 500.0),
        hh(1, R, 1.0, 4, 100.0),
        hh(3, R, 1.0, 3, 300.0),
        hh(2, R, 1.0, 3, 200.0),
        hh(4, R, 1.0, 2, 400.0),
    ];
    let y = YearIndicators::compute(2022, &v, None, &PovertyLines::default());
    let g = y.group(Group::Rural);
    assert_eq!(g.quintile_means, [100.0, 200.0, 300.0, 400.0, 500.0]);
    assert!(close(g.mean.disposable, 3700.0 / 14.0));
    assert_eq!(g.median_disposable, 300.0);
    assert_eq!(y.get(Group::Rural, "quintile_3_mean"), Some(300.0));

    // A straddling household: A (100 per person, 1 person) and B (300, 3 persons),
    // weight 2.5 each: 5 households, one per group. A fills groups 1 and 2 and half of
    // group 3; group 3 = (0.5 × 1 × 100 + 0.5 × 3 × 300) / (0.5 × 1 + 0.5 × 3)
    // = (50 + 450) / 2 = 250.
    let v = vec![hh(1, R, 2.5, 1, 100.0), hh(2, R, 2.5, 3, 300.0)];
    let y = YearIndicators::compute(2022, &v, None, &PovertyLines::default());
    assert_eq!(y.group(Group::Rural).quintile_means, [100.0, 100.0, 250.0, 300.0, 300.0]);
}

#[test]
fn ties_are_broken_by_id() {
    // Two households at the same per-capita income straddling the group boundary with
    // different sizes: the quintile means must not depend on which comes first.
    let v = vec![hh(7, R, 1.5, 1, 100.0), hh(3, R, 1.5, 5, 100.0), hh(9, R, 2.0, 2, 200.0), hh(1, R, 0.7, 3, 50.0)];
    let mut w = v.clone();
    w.reverse();
    let a = YearIndicators::compute(2022, &v, None, &PovertyLines::default());
    let b = YearIndicators::compute(2022, &w, None, &PovertyLines::default());
    assert_eq!(a, b);
}

#[test]
fn the_all_group_weighting_option() {
    // Urban: one person at 30,000, weight 1. Rural: one person at 10,000, weight 3.
    // Resident weights: all mean = (30,000 + 3 × 10,000)/4 = 15,000; median: rural
    // household (cumulative weight 3 ≥ 4/2) = 10,000; below 20,000: 3/4.
    // Survey urban share 0.6: urban weights × 0.6 × 4/1 = 2.4, rural × 0.4 × 4/3:
    // rural weight 1.6, urban 2.4. Mean = 0.6 × 30,000 + 0.4 × 10,000 = 22,000;
    // median: cumulative 1.6 < 2, so the urban household: 30,000; below 20,000: 0.4.
    // Totals stay resident: 4 persons, 4 households, 60,000 yuan, 3 poor persons.
    let v = vec![hh(1, U, 1.0, 1, 30_000.0), hh(2, R, 3.0, 1, 10_000.0)];
    let l = lines(&[20_000.0]);
    let resident = YearIndicators::compute(2022, &v, None, &l);
    let options = IndicatorOptions { lines: l.clone(), all_weighting: AllWeighting::SurveyUrbanShare(0.6) };
    let survey = YearIndicators::compute_with(2022, &v, None, &options);
    let a = Group::All;
    assert_eq!(resident.get(a, "mean_disposable"), Some(15_000.0));
    assert_eq!(resident.get(a, "median_disposable"), Some(10_000.0));
    assert_eq!(resident.get(a, "headcount_20000"), Some(0.75));
    assert!(close(survey.get(a, "mean_disposable").unwrap(), 22_000.0));
    assert_eq!(survey.get(a, "median_disposable"), Some(30_000.0));
    assert!(close(survey.get(a, "headcount_20000").unwrap(), 0.4));
    for name in ["persons", "households", "disposable_total", "poor_persons_20000"] {
        assert_eq!(survey.get(a, name), resident.get(a, name), "{name}");
    }
    assert_eq!(survey.get(a, "persons"), Some(4.0));
    // Urban and rural figures do not change; the ratio is 30,000 / 10,000 = 3.
    assert_eq!(survey.groups[0], resident.groups[0]);
    assert_eq!(survey.groups[1], resident.groups[1]);
    assert_eq!(survey.get(a, "urban_rural_ratio"), Some(3.0));
    assert_eq!(survey.get(Group::Urban, "urban_rural_ratio"), None);
    // The built-in national profile gives a survey share; without one, resident weights.
    let mut national = Profile::builtin("national-2022").unwrap();
    assert_eq!(AllWeighting::from_profile(&national), AllWeighting::SurveyUrbanShare(0.5746));
    national.all = None;
    assert_eq!(AllWeighting::from_profile(&national), AllWeighting::Resident);
}

#[test]
fn means_of_parts_totals_and_dibao_caseload() {
    // Urban household: 2 persons, weight 10: wage 60,000, operating 4,000, property
    // 2,000, received 10,000 (incl. dibao 1,200), paid 6,000 → disposable 70,000.
    // Second urban household: 1 person, weight 10, wage 20,000, flagged dibao but paid
    // nothing this year (still in the caseload).
    // Persons 30; mean wage = 10 × 80,000 / 30; net transfer = 10 × 4,000 / 30;
    // disposable total = 10 × 90,000 = 900,000; mean = 30,000.
    // Caseload 20 households, 30 persons; spending 10 × 1,200 = 12,000.
    let parts = IncomeParts {
        wage: 60_000.0,
        operating: 4_000.0,
        property: 2_000.0,
        transfers_received: 10_000.0,
        transfers_paid: 6_000.0,
    };
    let mut a = HouseholdOutcome::new(1, U, 10.0, 2, &parts);
    a.dibao = 1_200.0;
    let mut b = hh(2, U, 10.0, 1, 20_000.0);
    b.flags.set(HouseholdFlags::DIBAO, true);
    let y = YearIndicators::compute(2022, &[a, b], None, &PovertyLines::default());
    let g = Group::Urban;
    assert!(close(y.get(g, "mean_wage").unwrap(), 800_000.0 / 30.0));
    assert!(close(y.get(g, "mean_operating").unwrap(), 40_000.0 / 30.0));
    assert!(close(y.get(g, "mean_property").unwrap(), 20_000.0 / 30.0));
    assert!(close(y.get(g, "mean_net_transfer").unwrap(), 40_000.0 / 30.0));
    assert_eq!(y.get(g, "mean_disposable"), Some(30_000.0));
    assert_eq!(y.get(g, "disposable_total"), Some(900_000.0));
    assert_eq!(y.get(g, "persons"), Some(30.0));
    assert_eq!(y.get(g, "households"), Some(20.0));
    assert_eq!(y.get(g, "dibao_households"), Some(20.0));
    assert_eq!(y.get(g, "dibao_persons"), Some(30.0));
    assert_eq!(y.get(g, "dibao_spending"), Some(12_000.0));
    assert_eq!(y.get(Group::All, "dibao_spending"), Some(12_000.0));
    assert_eq!(y.get(Group::Rural, "dibao_spending"), Some(0.0));
    // No rural income: the ratio is reported as 0, not infinity.
    assert_eq!(y.urban_rural_ratio, 0.0);
}

#[test]
fn income_shares_add_up_and_follow_the_totals() {
    // Rural household a: weight 2, 2 persons, wage 6,000, operating 3,000, property 0,
    // received 1,000 → disposable 10,000. Household b: weight 1, 1 person, wage 0,
    // operating 5,000, property 1,000, received 4,000, paid 0 → 10,000.
    // Totals: disposable 2 × 10,000 + 10,000 = 30,000; wage 12,000 (0.4), operating
    // 6,000 + 5,000 = 11,000, property 1,000, transfers 2,000 + 4,000 = 6,000.
    let a = HouseholdOutcome::new(
        1,
        R,
        2.0,
        2,
        &IncomeParts { wage: 6_000.0, operating: 3_000.0, transfers_received: 1_000.0, ..Default::default() },
    );
    let b = HouseholdOutcome::new(
        2,
        R,
        1.0,
        1,
        &IncomeParts { operating: 5_000.0, property: 1_000.0, transfers_received: 4_000.0, ..Default::default() },
    );
    let y = YearIndicators::compute(2022, &[a, b], None, &PovertyLines::default());
    let g = Group::Rural;
    assert!(close(y.get(g, "wage_share").unwrap(), 0.4));
    assert!(close(y.get(g, "operating_share").unwrap(), 11.0 / 30.0));
    assert!(close(y.get(g, "property_share").unwrap(), 1.0 / 30.0));
    assert!(close(y.get(g, "net_transfer_share").unwrap(), 0.2));
    let s = y.group(g).shares;
    assert!(close(s.wage + s.operating + s.property + s.net_transfer, 1.0));
    // A group without income has shares of 0, not NaN.
    assert_eq!(y.get(Group::Urban, "wage_share"), Some(0.0));
}

#[test]
fn labour_force_unemployment_and_zero_employment_households() {
    // Urban a: weight 10, labour force 2, of whom 1 unemployed. Urban b: weight 5,
    // labour force 1, unemployed 1 (zero-employment). Urban c: weight 5, nobody in the
    // labour force (retirees: not zero-employment). Rural d: weight 20, labour force 3,
    // none unemployed.
    // Urban labour force 10 × 2 + 5 × 1 = 25, unemployed 10 + 5 = 15, rate 0.6,
    // employed 10; zero-employment households 5. All: labour force 25 + 60 = 85,
    // unemployed 15, rate 15/85.
    let with = |mut o: HouseholdOutcome, labour_force: u8, unemployed: u8| {
        o.labour_force = labour_force;
        o.unemployed = unemployed;
        o
    };
    let outcomes = [
        with(hh(1, U, 10.0, 3, 20_000.0), 2, 1),
        with(hh(2, U, 5.0, 1, 5_000.0), 1, 1),
        with(hh(3, U, 5.0, 2, 30_000.0), 0, 0),
        with(hh(4, R, 20.0, 4, 9_000.0), 3, 0),
    ];
    assert!(outcomes[1].zero_employment() && !outcomes[0].zero_employment() && !outcomes[2].zero_employment());
    let y = YearIndicators::compute(2022, &outcomes, None, &PovertyLines::default());
    let u = Group::Urban;
    assert_eq!(y.get(u, "labour_force"), Some(25.0));
    assert_eq!(y.get(u, "unemployed_persons"), Some(15.0));
    assert_eq!(y.get(u, "employed_persons"), Some(10.0));
    assert!(close(y.get(u, "unemployment_rate").unwrap(), 0.6));
    assert_eq!(y.get(u, "zero_employment_households"), Some(5.0));
    assert_eq!(y.get(Group::Rural, "unemployment_rate"), Some(0.0));
    assert_eq!(y.get(Group::All, "labour_force"), Some(85.0));
    assert!(close(y.get(Group::All, "unemployment_rate").unwrap(), 15.0 / 85.0));
}

#[test]
fn outcomes_count_the_labour_force_from_sixteen() {
    use incomesim::indicators::{DibaoLines, LABOUR_FORCE_MIN_AGE, fill_outcomes};
    use incomesim::model::{Accounts, Employment, HouseholdRecord, PersonRecord};
    // One household: a 15-year-old "unemployed" (below the survey's ages), an
    // unemployed 30-year-old, a farmer of 62, a student of 18, a retiree of 65.
    let mut pop = incomesim::Population::default();
    let person = |age: u8, employment: Employment| PersonRecord { age, employment, ..Default::default() };
    pop.push_household(
        &HouseholdRecord { weight: 1.0, ..Default::default() },
        &[
            person(LABOUR_FORCE_MIN_AGE - 1, Employment::Unemployed),
            person(30, Employment::Unemployed),
            person(62, Employment::FarmerHerder),
            person(18, Employment::Student),
            person(65, Employment::Retired),
        ],
    );
    let accounts = Accounts::zeros(1);
    let mut out = Vec::new();
    fill_outcomes(&mut out, &pop, &accounts, None, &DibaoLines::default()).unwrap();
    assert_eq!((out[0].labour_force, out[0].unemployed), (2, 1));
    assert!(!out[0].zero_employment());
}

/// Last year and this year of six households (line 6,000; no dibao line):
/// h1 rural, 2 persons: 5,000 → 6,500 (crosses up);
/// h2 rural, 3 persons: 7,000 → 5,500 (crosses down, not formerly poor);
/// h3 rural, 1 person, formerly poor: 5,000 → 5,000 (stays below);
/// h4 rural, 4 persons, weight 2, formerly poor: 6,000 → 5,900 (returns to poverty);
/// h5 urban, 2 persons: this year only (entered);
/// h6 rural, 1 person, weight 3: last year only (exited).
fn two_years() -> (Vec<HouseholdOutcome>, Vec<HouseholdOutcome>) {
    let before = vec![
        hh(1, R, 1.0, 2, 5_000.0),
        hh(2, R, 1.0, 3, 7_000.0),
        formerly_poor(hh(3, R, 1.0, 1, 5_000.0)),
        formerly_poor(hh(4, R, 2.0, 4, 6_000.0)),
        hh(6, R, 3.0, 1, 8_000.0),
    ];
    let now = vec![
        hh(1, R, 1.0, 2, 6_500.0),
        hh(2, R, 1.0, 3, 5_500.0),
        formerly_poor(hh(3, R, 1.0, 1, 5_000.0)),
        formerly_poor(hh(4, R, 2.0, 4, 5_900.0)),
        hh(5, U, 1.0, 2, 9_000.0),
    ];
    (now, before)
}

#[test]
fn crossings_in_both_directions_and_return_to_poverty() {
    let (now, before) = two_years();
    let y = YearIndicators::compute(2023, &now, Some(&before), &lines(&[6_000.0]));
    for g in [Group::Rural, Group::All] {
        let v = |n: &str| y.get(g, n).unwrap();
        // Up: h1, 2 persons. Down: h2 (3) + h4 (2 × 4 = 8) = 11.
        assert_eq!(v("crossed_up_6000"), 2.0);
        assert_eq!(v("crossed_down_6000"), 11.0);
        // Returned: h4 only (h2 was not formerly poor; h3 was already below): 8.
        assert_eq!(v("returned_to_poverty_6000"), 8.0);
        // Formerly poor matched persons: h3 (1) + h4 (8) = 9; rate 8/9.
        assert_eq!(v("formerly_poor_persons"), 9.0);
        assert!(close(v("return_to_poverty_rate_6000"), 8.0 / 9.0));
        // Formerly poor mean income: before (5,000 + 8 × 6,000)/9 = 53,000/9,
        // now (5,000 + 8 × 5,900)/9 = 52,200/9: growth 52,200/53,000 − 1.
        assert!(close(v("formerly_poor_income_growth"), 52_200.0 / 53_000.0 - 1.0));
        // No dibao line: nothing crosses it.
        assert_eq!(v("crossed_up_dibao"), 0.0);
        assert_eq!(v("crossed_down_dibao"), 0.0);
        // Matched: h1–h4, households 1 + 1 + 1 + 2 = 5, persons 2 + 3 + 1 + 8 = 14.
        assert_eq!(v("matched_households"), 5.0);
        assert_eq!(v("matched_persons"), 14.0);
        // Exited: h6, weight 3, 3 persons.
        assert_eq!(v("exited_households"), 3.0);
        assert_eq!(v("exited_persons"), 3.0);
    }
    // Entered: h5 is urban (2 persons), counted apart from the crossings.
    assert_eq!(y.get(Group::Urban, "entered_persons"), Some(2.0));
    assert_eq!(y.get(Group::Rural, "entered_persons"), Some(0.0));
    assert_eq!(y.get(Group::All, "entered_households"), Some(1.0));
    assert_eq!(y.get(Group::Urban, "crossed_up_6000"), Some(0.0));
    assert_eq!(y.get(Group::Urban, "formerly_poor_income_growth"), None);
    // The same result whatever the order of either year's outcomes.
    let mut now_r = now.clone();
    now_r.reverse();
    let mut before_r = before.clone();
    before_r.rotate_left(2);
    assert_eq!(YearIndicators::compute(2023, &now_r, Some(&before_r), &lines(&[6_000.0])), y);
}

#[test]
fn crossings_compare_each_year_with_its_own_dibao_line() {
    // One person at 4,000 both years; the dibao line rises from 3,800 to 4,200: the
    // person falls below it without losing income.
    let mut before = hh(1, R, 1.0, 1, 4_000.0);
    before.dibao_line = 3_800.0;
    let mut now = before;
    now.dibao_line = 4_200.0;
    let y = YearIndicators::compute(2023, &[now], Some(&[before]), &PovertyLines::default());
    assert_eq!(y.get(Group::Rural, "crossed_down_dibao"), Some(1.0));
    assert_eq!(y.get(Group::Rural, "crossed_down_6000"), Some(0.0));
}

#[test]
fn nominal_and_real_growth() {
    // Urban 10,000 → 11,000 with prices up 2%: nominal 0.1, real 1.1/1.02 − 1.
    // Rural 5,000 → 5,500: ratio 2 both years.
    let before = vec![hh(1, U, 1.0, 1, 10_000.0), hh(2, R, 1.0, 1, 5_000.0)];
    let now = vec![hh(1, U, 1.0, 1, 11_000.0), hh(2, R, 1.0, 1, 5_500.0)];
    let l = PovertyLines::default();
    let y0 = YearIndicators::compute(2022, &before, None, &l);
    let mut y1 = YearIndicators::compute(2023, &now, Some(&before), &l);
    assert_eq!(y1.get(Group::Urban, "growth_nominal"), None);
    y1.set_growth(&y0, 1.02);
    assert!(close(y1.get(Group::Urban, "growth_nominal").unwrap(), 0.1));
    assert!(close(y1.get(Group::Urban, "growth_real").unwrap(), 1.1 / 1.02 - 1.0));
    assert!(close(y1.get(Group::Rural, "median_growth_nominal").unwrap(), 0.1));
    // All: (11,000 + 5,500)/2 over (10,000 + 5,000)/2 − 1 = 0.1.
    assert!(close(y1.get(Group::All, "growth_nominal").unwrap(), 0.1));
    assert_eq!(y1.urban_rural_ratio, 2.0);
}

#[test]
fn rows_have_stable_unique_names() {
    let (now, before) = two_years();
    let l = PovertyLines::default();
    let y0 = YearIndicators::compute(2022, &before, None, &l);
    let mut y = YearIndicators::compute(2023, &now, Some(&before), &l);
    y.set_growth(&y0, 1.0);
    let rows = y.rows();
    for g in ["urban", "rural", "all"] {
        let names: Vec<&str> = rows.iter().filter(|r| r.group == g).map(|r| r.indicator.as_str()).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{g}");
        for n in [
            "persons",
            "households",
            "disposable_total",
            "mean_disposable",
            "mean_wage",
            "mean_operating",
            "mean_property",
            "mean_net_transfer",
            "median_disposable",
            "quintile_1_mean",
            "quintile_5_mean",
            "gini",
            "theil",
            "headcount_dibao",
            "gap_6000",
            "severity_10000",
            "poor_persons_10000",
            "middle_income_share",
            "dibao_households",
            "dibao_persons",
            "dibao_spending",
            "crossed_up_10000",
            "crossed_down_dibao",
            "returned_to_poverty_6000",
            "return_to_poverty_rate_6000",
            "entered_persons",
            "exited_households",
        ] {
            assert!(names.contains(&n), "{g}: {n} missing");
        }
    }
    assert!(rows.iter().all(|r| r.year == 2023));
    // Growth rows where last year had income: not for the urban group, which had no
    // households last year.
    for (g, present) in [(Group::Urban, false), (Group::Rural, true), (Group::All, true)] {
        assert_eq!(y.get(g, "growth_nominal").is_some(), present);
        assert_eq!(y.get(g, "growth_real").is_some(), present);
    }
    assert_eq!(rows.iter().filter(|r| r.indicator == "urban_rural_ratio").count(), 1);
    // The first rows, in order.
    let first: Vec<_> = rows.iter().take(4).map(|r| (r.group, r.indicator.as_str())).collect();
    assert_eq!(
        first,
        [("urban", "households"), ("urban", "persons"), ("urban", "disposable_total"), ("urban", "mean_disposable")]
    );
}

// ---------------------------------------------------------------- properties

/// Urban, weight, size, wage, transfer, dibao line, dibao, formerly poor, last year's
/// wage as a multiple of this year's.
type Spec = (bool, f32, u8, f64, f64, f64, f64, bool, f64);

fn arb_outcome() -> impl Strategy<Value = Spec> {
    (
        any::<bool>(),
        0.1f32..200.0,
        1u8..9,
        -5_000.0f64..400_000.0,
        -20_000.0f64..60_000.0,
        0.0f64..9_000.0,
        0.0f64..3_000.0,
        any::<bool>(),
        0.5f64..1.6,
    )
}

fn build(spec: &[Spec]) -> (Vec<HouseholdOutcome>, Vec<HouseholdOutcome>) {
    let mut now = Vec::new();
    let mut before = Vec::new();
    for (i, &(urban, w, size, wage, transfer, line, dibao, fp, change)) in spec.iter().enumerate() {
        let parts = IncomeParts {
            wage,
            operating: transfer * 0.1,
            transfers_received: transfer.max(0.0),
            ..Default::default()
        };
        let mut o = HouseholdOutcome::new(i as u64 * 3, if urban { U } else { R }, w, size, &parts);
        o.dibao_line = line;
        o.dibao = dibao;
        o.flags.set(HouseholdFlags::FORMERLY_POOR, fp);
        // Every fourth household is new this year; the others were there last year
        // with a scaled wage and a lower dibao line; some ids exist only last year.
        if i % 4 != 0 {
            let mut b = o;
            b.wage *= change;
            b.dibao_line = line * 0.95;
            before.push(b);
        }
        if i % 7 == 3 {
            let mut gone = o;
            gone.id += 1;
            before.push(gone);
        }
        now.push(o);
    }
    (now, before)
}

fn rel_close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Block-merged sums give what one pass gives: the sums up to rounding, the
    /// sketches bit-identically (so the distribution statistics up to the rounding of
    /// the resident weights of `all`).
    #[test]
    fn block_merged_sums_equal_one_pass(
        spec in prop::collection::vec(arb_outcome(), 1..80),
        cuts in prop::collection::vec(0usize..80, 0..5),
        survey in prop::option::of(0.2f64..0.8),
    ) {
        let (now, before) = build(&spec);
        let lines = PovertyLines::default();
        let weighting = survey.map_or(AllWeighting::Resident, AllWeighting::SurveyUrbanShare);
        let options = IndicatorOptions { lines: lines.clone(), all_weighting: weighting };
        let one_pass = YearIndicators::compute_with(2023, &now, Some(&before), &options);

        // Blocks of households in order; each block accumulates its own sums.
        let mut bounds: Vec<usize> = cuts.iter().map(|&c| c.min(now.len())).collect();
        bounds.push(0);
        bounds.push(now.len());
        bounds.sort();
        let by_id: HashMap<u64, &HouseholdOutcome> = before.iter().map(|b| (b.id, b)).collect();
        let mut sums = IndicatorSums::new(&lines);
        let mut tracking = TrackingSums::new(&lines);
        for w in bounds.windows(2) {
            let mut block = IndicatorSums::new(&lines);
            let mut block_t = TrackingSums::new(&lines);
            for o in &now[w[0]..w[1]] {
                block.add(o);
                match by_id.get(&o.id) {
                    Some(b) => block_t.add_matched(o, b),
                    None => block_t.add_entered(o),
                }
            }
            sums.merge(&block);
            tracking.merge(&block_t);
        }
        let current: std::collections::HashSet<u64> = now.iter().map(|o| o.id).collect();
        let mut last = TrackingSums::new(&lines);
        for b in before.iter().filter(|b| !current.contains(&b.id)) {
            last.add_exited(b);
        }
        tracking.merge(&last);
        let merged = YearIndicators::from_block_sums(2023, &sums, Some(&tracking), weighting);

        let a = one_pass.rows();
        let b = merged.rows();
        prop_assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(&x.indicator, &y.indicator);
            prop_assert!(rel_close(x.value, y.value), "{} {}: {} vs {}", x.group, x.indicator, x.value, y.value);
        }
    }

    #[test]
    fn results_do_not_depend_on_the_order_of_outcomes(
        spec in prop::collection::vec(arb_outcome(), 1..80),
        seed in any::<u64>(),
        ties in any::<bool>(),
    ) {
        let (mut now, mut before) = build(&spec);
        if ties {
            // Many equal incomes with different sizes and weights.
            for o in now.iter_mut() {
                let pc = (o.per_capita() / 50_000.0).round() * 50_000.0;
                o.wage = pc * o.size as f64;
                o.operating = 0.0;
                o.property = 0.0;
                o.net_transfer = 0.0;
            }
        }
        let options = IndicatorOptions { lines: PovertyLines::default(), all_weighting: AllWeighting::SurveyUrbanShare(0.55) };
        let reference = YearIndicators::compute_with(2023, &now, Some(&before), &options);
        // A deterministic shuffle of both years.
        let mut state = seed | 1;
        let mut shuffle = |v: &mut Vec<HouseholdOutcome>| {
            for i in (1..v.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                v.swap(i, (state % (i as u64 + 1)) as usize);
            }
        };
        shuffle(&mut now);
        shuffle(&mut before);
        let shuffled = YearIndicators::compute_with(2023, &now, Some(&before), &options);
        prop_assert_eq!(reference, shuffled);
    }
}

// ------------------------------------------------ agreement with the generator's report

#[test]
fn a_generated_population_agrees_with_the_calibration_report() {
    use incomesim::generate::Generator;
    use incomesim::indicators::{DibaoLines, outcomes_from};

    let profile = Profile::builtin("liupanshui-2021").unwrap();
    let generator = Generator::calibrate(&profile, 7).unwrap();
    let (pop, accounts) = generator.generate_with_accounts(4_000, &Default::default()).unwrap();
    let report = generator.report_with_accounts(&pop, &accounts);
    let annual = |r: Residence| profile.dibao_thresholds_per_month(r).iter().map(|m| 12.0 * m).collect();
    let lines = DibaoLines::new(annual(U), annual(R));
    let outcomes = outcomes_from(&pop, &accounts, None, &lines).unwrap();
    let options =
        IndicatorOptions { lines: PovertyLines::default(), all_weighting: AllWeighting::from_profile(&profile) };
    let y = YearIndicators::compute_with(2021, &outcomes, None, &options);
    // The sketch bounds: the calibration report ranks every household exactly.
    let mut sums = IndicatorSums::new(&options.lines);
    outcomes.iter().for_each(|o| sums.add(o));
    let scales = options.all_weighting.scales([sums.groups[0].persons, sums.groups[1].persons]);
    let dist = |g: Group| match g {
        Group::All => BinnedDistribution::pooled(&[(&sums.sketches[0], scales[0]), (&sums.sketches[1], scales[1])]),
        g => BinnedDistribution::of(&sums.sketches[g.index()]),
    };
    let same = |name: &str, value: f64| {
        let t = report.get(name).unwrap_or_else(|| panic!("{name} not in the report"));
        assert!(rel_close(t.simulated, value), "{name}: report {} against {value}", t.simulated);
    };
    let within = |name: &str, value: f64, bound: f64| {
        let t = report.get(name).unwrap_or_else(|| panic!("{name} not in the report"));
        let slack = 1e-9 * value.abs().max(1.0);
        assert!(
            (t.simulated - value).abs() <= bound + slack,
            "{name}: report {} against {value} ± {bound}",
            t.simulated
        );
    };
    for (g, r) in [(Group::Urban, "urban"), (Group::Rural, "rural")] {
        let v = |n: &str| y.get(g, n).unwrap();
        same(&format!("{r} mean disposable income"), v("mean_disposable"));
        same(&format!("{r} mean wage income"), v("mean_wage"));
        same(&format!("{r} mean operating income"), v("mean_operating"));
        same(&format!("{r} mean property income"), v("mean_property"));
        same(&format!("{r} mean net transfer income"), v("mean_net_transfer"));
        let d = dist(g);
        if report.get(&format!("{r} median disposable income")).is_some() {
            let m = v("median_disposable");
            assert!(d.median_bound() <= RELATIVE_WIDTH * m.abs());
            within(&format!("{r} median disposable income"), m, d.median_bound());
        }
        let q = d.quintile_means();
        for k in 1..=5 {
            if let Some(t) = report.targets.iter().find(|t| t.name.starts_with(&format!("{r} quintile {k} "))) {
                within(&t.name, v(&format!("quintile_{k}_mean")), q.bounds[k - 1]);
            }
        }
        if report.get(&format!("{r} dibao recipients")).is_some() {
            same(&format!("{r} dibao recipients"), v("dibao_persons"));
        }
    }
    within(
        "all median disposable income",
        y.get(Group::All, "median_disposable").unwrap(),
        dist(Group::All).median_bound(),
    );
    same("all mean disposable income", y.get(Group::All, "mean_disposable").unwrap());
    same("resident persons", y.get(Group::All, "persons").unwrap());
    assert!(y.urban_rural_ratio > 1.0);
    assert!(y.rows().iter().all(|r| r.value.is_finite()));
}
