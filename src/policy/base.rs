//! The base-year rules of a region: the levers every population carries, built from
//! a profile's `[rules]`.

use super::allowances::{DisabilityAllowances, OldAgeAllowance};
use super::childcare::ChildcareSubsidy;
use super::dibao::{Dibao, ExtremePovertySupport, OLD_MEMBER_UNIT_AGE};
use super::indexation::Indexation;
use super::pension::ResidentPension;
use super::registry::BaseCalibration;
use super::retiree::RetireePensionAdjustment;
use super::tax::{IncomeTax, SocialContributions};
use super::{Dated, LeverSet, YearMonth};
use crate::error::Result;
use crate::region::Profile;

/// The contribution base's floor as a share of the base year's average wage of urban
/// employees: provinces bound the base at 60% and 300% of the average wage
/// (国办发〔2019〕13号, 降低社会保险费率综合方案, on the average wage of all urban
/// employees); the model's average is that of its own urban employees
/// ([`BaseCalibration::urban_employee_wage`]).
pub const CONTRIBUTION_BASE_MIN_SHARE: f64 = 0.6;
/// The contribution base's ceiling as a share of the same average wage (the same
/// document).
pub const CONTRIBUTION_BASE_MAX_SHARE: f64 = 3.0;
/// Wages below this share of the same average wage are treated as informal and
/// uncovered: they pay no contributions, and their holders draw no employer pension
/// at the statutory age. Assumed (no published figure): 0.4 keeps national-2022's line
/// at about the 30,000 yuan a year that every base year used before 2026-12-07 (39% of
/// its urban employees' mean wage of 76,000), where 30,000 was 64% of national-2015's
/// mean of 47,000 and left 38% of its urban employees uncovered.
pub const INFORMAL_WAGE_SHARE: f64 = 0.4;
/// The base year's average full-year wage of urban employees where no population has
/// measured it ([`BaseCalibration::NONE`]), yuan per year. Assumed: about
/// national-2022's (76,043 yuan in its calibrated population).
pub const DEFAULT_URBAN_EMPLOYEE_WAGE: f64 = 75_000.0;

/// The base year's amounts of the contribution rules, yuan per year: each a share of
/// the average wage of urban employees ([`CONTRIBUTION_BASE_MIN_SHARE`],
/// [`CONTRIBUTION_BASE_MAX_SHARE`], [`INFORMAL_WAGE_SHARE`]); after the base year they
/// follow [`SocialContributions::indexation`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContributionLines {
    /// Lowest contribution base.
    pub base_min: f64,
    /// Highest contribution base.
    pub base_max: f64,
    /// Wages below this are informal and uncovered.
    pub informal_below: f64,
}

impl ContributionLines {
    /// The lines of a base year whose urban employees' average full-year wage is
    /// `average_wage`.
    pub fn of_average_wage(average_wage: f64) -> Self {
        ContributionLines {
            base_min: CONTRIBUTION_BASE_MIN_SHARE * average_wage,
            base_max: CONTRIBUTION_BASE_MAX_SHARE * average_wage,
            informal_below: INFORMAL_WAGE_SHARE * average_wage,
        }
    }
}

/// A base-year informal-wage line in force in the context's year: times the urban
/// income index, as the base rules' contributions index it
/// ([`SocialContributions::in_year`] with [`Indexation::Incomes`]). The dynamics
/// ([`crate::dynamics::Dynamics::informal_wage_line`]) and the residents' pension read
/// who is covered by it.
pub fn informal_wage_line_in(base_year_line: f64, ctx: &super::YearContext) -> f64 {
    base_year_line * Indexation::Incomes.factor(ctx, crate::model::Residence::Urban)
}

/// The residents' basic pension paying `amount_per_month`, leaving out the employees
/// the calibrated population's informal-wage line covers.
fn resident_pension(amount_per_month: Dated<f64>, calibration: &BaseCalibration) -> Result<ResidentPension> {
    let mut pension = ResidentPension::new(amount_per_month)?;
    pension.informal_wage_below = calibration.contribution_lines().informal_below;
    Ok(pension)
}

/// Employee contribution rate: pension 8% + medical 2% + unemployment 0.5%
/// (lever_parameters.md, "Employee social insurance"; unemployment is 0.2–0.5% by
/// province, the upper end is taken). Housing fund (住房公积金) contributions are not
/// modelled: NBS does not count them as transfers paid.
pub const EMPLOYEE_CONTRIBUTION_RATE: f64 = 0.105;
/// Share of households with no working-age member that have no legal supporter and so
/// qualify for extreme-poverty support, where the profile has no count of supported
/// persons to fit it to ([`crate::region::PopulationTargets::extreme_poverty_supported`]).
/// Assumed.
pub const NO_SUPPORTER_SHARE: f64 = 0.15;
/// Take-up of extreme-poverty support by the households that qualify. Assumed: the
/// supported are found and registered by village and neighbourhood committees and the
/// township (应养尽养, 国发〔2016〕14号); no published take-up rate.
pub const EXTREME_POVERTY_TAKE_UP: f64 = 1.0;

/// [`base_rule_assumptions`] with the contribution lines' amounts of a calibrated
/// population written into their reasons: a run's report gives the yuan its rules
/// used, and the mean wage they are shares of.
pub fn base_rule_assumptions_with(calibration: &BaseCalibration) -> Vec<(String, String)> {
    let lines = calibration.contribution_lines();
    let mut list = base_rule_assumptions();
    for (name, reason) in &mut list {
        let amount = match name.as_str() {
            "rules.contribution_base_min" => lines.base_min,
            "rules.contribution_base_max" => lines.base_max,
            "rules.informal_wage_below" => lines.informal_below,
            _ => continue,
        };
        *reason = format!(
            "{:.0} yuan/yr in this population's base year (its urban employees' mean full-year wage: {:.0}): {reason}",
            amount, calibration.urban_employee_wage
        );
    }
    list
}

/// The assumptions the base rules make beyond the profile, as `(name, reason)`, for
/// every report that depends on them.
pub fn base_rule_assumptions() -> Vec<(String, String)> {
    vec![
        (
            "rules.contribution_base_min".into(),
            format!(
                "{CONTRIBUTION_BASE_MIN_SHARE} of the base year's mean full-year wage of the population's urban \
                 employees (local employees and public-sector staff in towns; measured by calibration): provinces \
                 set it at 60% of the previous year's average wage (国办发〔2019〕13号), which the model's own \
                 mean stands for; after the base year it follows the urban income index (the base is set from the \
                 previous year's average wage, whose growth that of urban mean disposable income stands for)"
            ),
        ),
        (
            "rules.contribution_base_max".into(),
            format!(
                "{CONTRIBUTION_BASE_MAX_SHARE} times the same mean wage (300%, 国办发〔2019〕13号); follows the urban \
                 income index after the base year"
            ),
        ),
        (
            "rules.informal_wage_below".into(),
            format!(
                "{INFORMAL_WAGE_SHARE} of the same mean wage: wages below this are taken to be informal and \
                 uncovered (no published figure; about 30,000 yuan a year in national-2022), so they pay no \
                 contributions and their holders draw no employer pension at the statutory age; it follows the \
                 urban income index after the base year, so that the covered share of jobs changes with the wage \
                 distribution, not with nominal growth"
            ),
        ),
        (
            "rules.no_supporter_share".into(),
            format!(
                "the share of households without working-age members that have no legal supporter (特困 eligibility) \
                 is fitted to the profile's count of supported persons (population.extreme_poverty_supported, whose \
                 source says whether it is published); {NO_SUPPORTER_SHARE} where a profile has none (no published \
                 share)"
            ),
        ),
        (
            "rules.extreme_poverty_take_up".into(),
            format!(
                "{EXTREME_POVERTY_TAKE_UP}: every household that qualifies for extreme-poverty support gets it (the \
                 supported are found by village committees and the township, 应养尽养 under 国发〔2016〕14号; no \
                 published take-up)"
            ),
        ),
        (
            "rules.old_member_units".into(),
            format!(
                "old members' own dibao units: in a household not eligible as a whole whose assessed income per head \
                 is below a line (a multiple of the threshold fitted to the profile's persons per recipient household, \
                 dibao_recipient_households), each member aged {OLD_MEMBER_UNIT_AGE} or more not in work is assessed \
                 alone on their own income and their share of the household's residents' pension, with the same \
                 take-up and priority of need as households (the MCA counts households of the register, in which old \
                 parents often form their own, and covers members of families above the line alone, 单人保; who is \
                 covered so, and what support from children counts, is not published: the support is taken as 0 and \
                 old members in work are never covered alone)"
            ),
        ),
        (
            "rules.special_additional_deductions".into(),
            "income tax: a household's children's education and infant care deductions are claimed by its highest \
             wage earner (the model records no parents); every wage earner aged 35-59 claims elderly support at the \
             cap of a taxpayer with siblings (1,000 yuan a month, 1,500 from 2023: no data on parents' ages or \
             siblings); housing (mortgage interest or rent) is 0 (no data on who has a mortgage or rents); \
             continuing education and serious illness are not modelled; a wage is taken as paid evenly over the year \
             (the 2011 law taxed each month)"
                .into(),
        ),
        (
            "rules.childcare_subsidy".into(),
            "the childcare subsidy (3,600 yuan a year per child under three from 2025) is paid for a child's expected \
             months under three in each year, birth months taken as uniform over the year (the model counts whole \
             years of age): 6.5 months at age 0, 12 at 1 and 2, 5.5 at 3; every eligible child is assumed claimed"
                .into(),
        ),
        (
            "rules.resident_pension".into(),
            {
                let (from, rise) = ResidentPension::assumed_yearly_rise();
                format!(
                    "the residents' basic pension rises with each published rise of the central minimum \
                     (data/published/pensions.csv) and, from {}, by {rise} yuan a month each January: the mean of the \
                     last three rises carried on (the rises after 2025 not yet decided when the data were gathered; \
                     the minimum rose in six of the eight years 2018-2025); local top-ups stay at their base-year \
                     amount (the national average paid per recipient rose faster, 117 to 205 yuan a month 2016-2022, \
                     with top-ups and personal accounts)",
                    from.year
                )
            },
        ),
        (
            "rules.retiree_pension_adjustment".into(),
            "retirees' pensions rise by the national adjustments up to 2025 (2% that year, data/published/pensions.csv) \
             and by 2% a year after it: the last published rise carried on (the later ones not yet decided when the \
             data were gathered)"
                .into(),
        ),
    ]
}

/// The base-year rule set of a profile: contributions, income tax, resident pension,
/// old-age and disability allowances, the childcare subsidy (nothing before 2025),
/// extreme-poverty support and dibao with the given
/// take-up rates and means-test errors (`[urban, rural]`, both calibrated).
///
/// Dibao here has only the rules every region carries (thresholds by tier, take-up,
/// the allowance disregard and the employment-cost deduction of the profile); the
/// plan rules of lever 16 (pension disregard, 单人保, grace, taper, sanction,
/// indexation, 两线合一) are switched on by scenarios. Income tax follows the law in
/// force each month ([`IncomeTax`]: the 2011 law's 3,500 yuan a month and monthly
/// brackets to 2018-09, the 2018 law's 60,000 a year and annual brackets from 2018-10,
/// lever_parameters.md "Taxes and contributions"), with the special additional
/// deductions for children's education, infant care and elderly support from 2019 and
/// 2022, raised in 2023; who claims them is assumed ([`base_rule_assumptions`]).
///
/// # Errors
/// An [`crate::Error::InvalidLever`] if a profile value is out of range.
pub fn base_rule_set(profile: &Profile, calibration: &BaseCalibration) -> Result<LeverSet> {
    rule_set(profile, calibration, Indexation::None, &[Dated::constant(1.0), Dated::constant(1.0)])
}

/// The baseline of a projection: the base-year rules carried forward under their own
/// indexation. Dibao and extreme-poverty thresholds rise at least with mean income of
/// the residence (低保标准自然增长机制: thresholds nationally rose faster than prices,
/// 451 to 752 yuan/month urban 2015–2022, data/published/dibao_national.csv), and
/// retiree pensions rise by the yearly adjustments (data/published/pensions.csv, the
/// last one, 2% in 2025, carried on). The residents' basic pension rises with each
/// published rise of the central minimum after the base year, the local top-up kept,
/// and after the last decided rise by the mean of the last three each January (15 yuan
/// a month from 2026: [`ResidentPension::projected_path`]); local rises are for a
/// scenario to state. The childcare subsidy (3,600 yuan a year per child under
/// three from 2025, [`super::childcare`]) is a base rule in every year it is in force.
/// `threshold_multiple` (`[urban, rural]`, the `dibao_threshold_multiple_*`
/// assumptions) raises each tier's dibao threshold to at least the base year's times
/// it after the base year ([`threshold_path`]); a constant 1 leaves the indexation alone.
///
/// # Errors
/// As [`base_rule_set`].
pub fn projection_rule_set(
    profile: &Profile,
    calibration: &BaseCalibration,
    threshold_multiple: &[Dated<f64>; 2],
) -> Result<LeverSet> {
    let mut set = rule_set(profile, calibration, Indexation::Incomes, threshold_multiple)?;
    set.insert(Box::new(RetireePensionAdjustment::national()));
    set.insert(Box::new(resident_pension(
        ResidentPension::projected_path(profile.rules.basic_pension_per_month.value, profile.base_year),
        calibration,
    )?));
    Ok(set)
}

/// A base-year threshold per month, `base`, and after the base year `base` times
/// `multiple`: the multiple in force in January of the next year, then at each of its
/// later steps (so a path whose first step is after the base year leaves the base year
/// alone). A constant 1 gives the constant `base`.
pub fn threshold_path(base: f64, multiple: &Dated<f64>, base_year: u16) -> Dated<f64> {
    let mut path = Dated::constant(base);
    if *multiple == Dated::constant(1.0) {
        return path;
    }
    let next = YearMonth::start_of(base_year + 1);
    path.set_from(next, base * multiple.at(next));
    for (when, m) in multiple.steps().iter().filter(|(when, _)| *when > next) {
        path.set_from(*when, base * m);
    }
    path
}

fn rule_set(
    profile: &Profile,
    calibration: &BaseCalibration,
    indexation: Indexation,
    threshold_multiple: &[Dated<f64>; 2],
) -> Result<LeverSet> {
    let r = &profile.rules;
    let tiers = |v: &Vec<f64>, multiple: &Dated<f64>| {
        v.iter().map(|x| threshold_path(*x, multiple, profile.base_year)).collect::<Vec<_>>()
    };
    let mut dibao = Dibao::new(
        [
            tiers(&r.dibao_threshold_urban_per_month.value, &threshold_multiple[0]),
            tiers(&r.dibao_threshold_rural_per_month.value, &threshold_multiple[1]),
        ],
        calibration.take_up,
    )?;
    dibao.employment_cost_deduction_per_month = Dated::constant(r.employment_cost_deduction_per_month.value);
    dibao.assessment_error_sigma = calibration.assessment_error_sigma;
    dibao.take_up_need_priority = calibration.take_up_need_priority;
    dibao.old_member_unit_line = calibration.old_member_unit_line;
    dibao.indexation = indexation;
    dibao.validate()?;
    let mut extreme = ExtremePovertySupport::new(
        dibao.clone(),
        r.extreme_poverty_support_multiple.value,
        calibration.extreme_poverty_no_supporter_share,
    )?;
    extreme.dibao.take_up = [EXTREME_POVERTY_TAKE_UP; 2];
    let lines = calibration.contribution_lines();
    Ok(LeverSet::new()
        .with(Box::new(SocialContributions::new(
            EMPLOYEE_CONTRIBUTION_RATE,
            lines.base_min,
            lines.base_max,
            lines.informal_below,
        )?))
        .with(Box::new(IncomeTax::default()))
        .with(Box::new(resident_pension(Dated::constant(r.basic_pension_per_month.value), calibration)?))
        .with(Box::new(OldAgeAllowance::new(
            Dated::constant(r.old_age_allowance_80_per_month.value),
            Dated::constant(0.0),
        )?))
        .with(Box::new(ChildcareSubsidy::national()))
        .with(Box::new(DisabilityAllowances::new(
            Dated::constant(r.severe_disability_nursing_per_month.value),
            Dated::constant(r.poor_disability_living_per_month.value),
        )?))
        .with(Box::new(extreme))
        .with(Box::new(dibao)))
}
