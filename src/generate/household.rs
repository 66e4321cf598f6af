//! Drawing one household: structure, persons, incomes and flags, all from streams
//! keyed by the household's id.

use super::blueprint::AreaBlueprint;
use super::params::{AreaParams, GeneratorParams, KnotPoint, OPERATING, PRIVATE_TRANSFERS, PROPERTY, WAGE};
use super::rounding::round;
use crate::dynamics::StatutoryRetirement;
use crate::model::{
    Disability, Education, Employment, HouseholdFlags, HouseholdRecord, Hukou, Occupation, PersonRecord, Residence, Sex,
};
use crate::policy::base::ContributionLines;
use crate::random::{Purpose, StreamRng, mix64};

/// Largest household the generator draws.
pub const MAX_SIZE: usize = 10;
/// Standard deviation of the log of the transitory noise on each drawn income part.
/// Assumed: survey incomes vary widely within a rank; 0.25 keeps the ranking close to
/// the latent rank while spreading each part.
/// Ages (from, to exclusive) at which a member of a household with nobody in work
/// makes it workless for [`AreaParams::workless_support_share`].
const WORKING_AGE_FROM: u8 = 16;
const WORKING_AGE_TO: u8 = 60;
const PART_NOISE_SIGMA: f64 = 0.25;
/// Share of the operating component a household without a farmer or self-employed
/// member still receives as sideline income (assumed).
const SIDELINE_SHARE: f64 = 0.3;
/// Relative earnings by education (primary, junior, senior, tertiary): returns to
/// schooling of about 6% a year (lever_parameters: Wang, Cai & Zhang 2010) over the
/// years between levels.
const EDUCATION_EARNINGS: [f64; 4] = [1.0, 1.2, 1.45, 1.95];

/// The household's point of the golden-ratio Weyl sequence over ids (offset by the
/// seed), in the open interval (0, 1): residence and latent income rank both come
/// from it, so any range of ids is stratified on both.
#[inline]
fn weyl_point(seed: u64, id: u64) -> f64 {
    // 64-bit fixed point: exact for any id.
    const PHI_FIXED: u64 = 0x9e37_79b9_7f4a_7c15;
    let offset = mix64(seed ^ 0xa076_1d64_78bd_642f);
    let x = id.wrapping_mul(PHI_FIXED).wrapping_add(offset);
    ((x >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// A household's residence and latent income rank in (0, 1), both from its point of
/// the Weyl sequence: urban when the point lies below the urban share, so any range of
/// ids holds the urban share to within one household; the rank is where the point lies
/// within its residence's interval. Within each residence the ranks of any range of
/// ids are then spread as evenly as the urban share itself, instead of clustering by
/// chance as independent draws do: the groups a small share of households falls into
/// (the bottom of the distribution, a dibao caseload of 1% of residents) are held to
/// within a few households of their expected size, where independent draws miss them
/// by several percent at 200,000 households. Every other draw of the household stays
/// independent.
#[inline]
pub fn residence_and_rank(seed: u64, id: u64, urban_share: f64) -> (Residence, f64) {
    let x = weyl_point(seed, id);
    let (residence, u) = if x < urban_share {
        (Residence::Urban, x / urban_share)
    } else {
        (Residence::Rural, (x - urban_share) / (1.0 - urban_share))
    };
    (residence, u.clamp(f64::EPSILON, 1.0 - f64::EPSILON))
}

#[inline]
fn mean_one_noise(rng: &mut StreamRng, sigma: f64) -> f64 {
    rng.mean_one_lognormal(sigma)
}

#[inline]
fn draw_age(rng: &mut StreamRng, cdf: &[f64]) -> u8 {
    let u = rng.uniform();
    cdf.partition_point(|&c| c < u).min(100) as u8
}

/// Draws household `id` into `members` (cleared first) and returns its own fields.
/// Weight is left at 1; the caller sets it from the weight model.
pub fn draw_household(
    gp: &GeneratorParams,
    areas: &[AreaBlueprint; 2],
    id: u64,
    members: &mut Vec<PersonRecord>,
) -> HouseholdRecord {
    members.clear();
    let seed = gp.seed;
    let base_year = gp.base_year;
    let (residence, u) = residence_and_rank(seed, id, gp.urban_household_share);
    let p: &AreaParams = &gp.areas[residence.index()];
    let bp = &areas[residence.index()];
    let shape = &bp.shape;

    // Structure: size, ages, sex (the latent rank `u` came with the residence).
    let mut rs = StreamRng::new(seed, id, 0, Purpose::Structure);
    let lambda = p.size_lambda * (p.size_gradient * (0.5 - u)).exp();
    let size = 1 + truncated_poisson(&mut rs, lambda, MAX_SIZE - 1);
    for m in 0..size {
        let age = draw_age(&mut rs, if m == 0 { &p.head_age_cdf } else { &p.member_age_cdf });
        let sex = if rs.bernoulli(0.512) { Sex::Male } else { Sex::Female };
        members.push(PersonRecord { age, sex, ..Default::default() });
    }

    // Persons: education, disability, hukou, activity, occupation.
    let mut rp = StreamRng::new(seed, id, 0, Purpose::Persons);
    let shape_hukou = shape.urban_hukou_share.value;
    let household_hukou = if rp.bernoulli(shape_hukou) { Hukou::Urban } else { Hukou::Rural };
    let disability_share = shape.disability_share.value;
    let severe = shape.severe_share_of_disabled.value;
    let mut weights = [0.0f64; 9];
    // exp(t (u − 0.5)) once per distinct tilt (several activities share one; a zero
    // tilt gives exactly 1): the same values as one exp per activity.
    let mut tilt_factors = [1.0f64; 9];
    for (f, &t) in tilt_factors.iter_mut().zip(&bp.distinct_tilts) {
        *f = (t * (u - 0.5)).exp();
    }
    let mut tilt_total = 0.0;
    for ((w, &(_, s, _)), place) in weights.iter_mut().zip(&bp.activities).zip(&bp.tilt_place) {
        *w = s * place.map_or(1.0, |k| tilt_factors[k]);
        tilt_total += *w;
    }
    // Members in a covered job in a town past their statutory age: they retire if the
    // job pays at least the informal-wage line (known once the wages are shared out,
    // below), and keep it otherwise.
    let mut past_statutory_age = 0u64;
    for (m, person) in members.iter_mut().enumerate() {
        person.hukou = household_hukou;
        let age = person.age;
        person.education = draw_education(&mut rp, bp, age);
        let age_factor = if age < 16 {
            0.25
        } else if age < 60 {
            0.75
        } else {
            2.2
        };
        person.disability = if rp.bernoulli(disability_share * age_factor) {
            if rp.bernoulli(severe) { Disability::Severe } else { Disability::Moderate }
        } else {
            Disability::None
        };
        person.able_to_work = (16..=64).contains(&age) && person.disability != Disability::Severe;
        person.employment = if age < 6 {
            Employment::NotInLabourForce
        } else if age < 16 || bp.student_by_age.get(usize::from(age - 16)).is_some_and(|&p| rp.bernoulli(p)) {
            Employment::Student
        } else if age < 60 {
            let mut x = rp.uniform() * tilt_total;
            let mut chosen = Employment::NotInLabourForce;
            for (k, (e, _, _)) in bp.activities.iter().enumerate() {
                if x < weights[k] {
                    chosen = *e;
                    break;
                }
                x -= weights[k];
            }
            // A covered employee who has reached her statutory age (women workers 50,
            // cadres 55) has retired, as the dynamics retire them at it: the urban women
            // of 50–59 drawn into public-sector jobs are retirees, those drawn into
            // other jobs in towns are if the job pays at least the informal-wage line
            // (decided below), the others keep their activity.
            let past = chosen.retires_at_statutory_age(residence)
                && StatutoryRetirement::CHINA_2024.reached(person.sex, chosen, age, base_year);
            if past && chosen == Employment::LocalEmployee && person.disability != Disability::Severe && m < 64 {
                past_statutory_age |= 1 << m;
                chosen
            } else if past {
                Employment::Retired
            } else {
                chosen
            }
        } else {
            let x = rp.uniform();
            let retired = p.retiree_share_60_plus;
            let working = shape.working_share_60_plus.value * if age >= 75 { 0.4 } else { 1.0 };
            if x < retired {
                Employment::Retired
            } else if x < retired + working {
                let y = rp.uniform();
                bp.old_age_work
                    .iter()
                    .find(|(_, c)| y < *c)
                    .or(bp.old_age_work.last())
                    .map_or(Employment::NotInLabourForce, |(e, _)| *e)
            } else {
                Employment::NotInLabourForce
            }
        };
        if person.disability == Disability::Severe && person.employment.is_working() {
            person.employment = Employment::NotInLabourForce;
        }
        person.months_in_job = if person.employment.is_working() { 12 } else { 0 };
        person.occupation = match person.employment {
            Employment::PublicSector if rp.bernoulli(shape.teacher_share_of_public_sector.value) => Occupation::Teacher,
            Employment::PublicSector => Occupation::CivilServant,
            Employment::LocalEmployee
                if residence == Residence::Rural
                    && (25..60).contains(&age)
                    && rp.bernoulli(shape.village_doctors_per_1000.value / 1000.0 / 0.2) =>
            {
                Occupation::VillageDoctor
            }
            _ => Occupation::Other,
        };
    }

    // Incomes: each drawn part in proportion to the level at rank u.
    let mut ri = StreamRng::new(seed, id, 0, Purpose::Incomes);
    let level = p.level(u) * size as f64;
    let at_rank = KnotPoint::new(u);
    let part = |k: usize, rng: &mut StreamRng| {
        level * at_rank.value(&p.part_factors[k]) * mean_one_noise(rng, PART_NOISE_SIGMA)
    };
    let wage_total = part(WAGE, &mut ri);
    let operating_total = part(OPERATING, &mut ri);
    let property_total = part(PROPERTY, &mut ri);
    let private_total = part(PRIVATE_TRANSFERS, &mut ri);

    // A part with no member to earn it moves to a part the household has, so that the
    // household's income tracks its rank: wages without a wage earner go to operating
    // income (or, with no one working, to transfers from relatives); operating income
    // without a farmer or self-employed member stays as sideline income in part and
    // goes to wages or transfers for the rest.
    let earner_weight = |m: &PersonRecord| {
        EDUCATION_EARNINGS[m.education as usize]
            * match m.employment {
                Employment::PublicSector => 1.2,
                Employment::MigrantShortTerm => bp.migrant_premium,
                _ => 1.0,
            }
    };
    let mut wage_weights: f64 = members.iter().filter(|m| m.employment.earns_wage()).map(earner_weight).sum();
    let op_weight = |m: &PersonRecord| match m.employment {
        Employment::SelfEmployed => 2.0,
        Employment::FarmerHerder => 1.0,
        _ => 0.0,
    };
    let op_weights: f64 = members.iter().map(op_weight).sum();
    let (mut wage_total, mut operating_total, mut private_total) = (wage_total, operating_total, private_total);
    let mut sideline = 0.0;
    // With nobody in work, no pension and a member of working age who could work,
    // relatives make up only part of the earnings (elderly parents keep their
    // children's support, which the law requires).
    let workless = wage_weights == 0.0
        && op_weights == 0.0
        && !members.iter().any(|m| m.employment == Employment::Retired)
        && members.iter().any(|m| (WORKING_AGE_FROM..WORKING_AGE_TO).contains(&m.age));
    let support = if workless { p.workless_support_share } else { 1.0 };
    if op_weights == 0.0 {
        sideline = operating_total * SIDELINE_SHARE;
        let rest = operating_total - sideline;
        operating_total = 0.0;
        if wage_weights > 0.0 { wage_total += rest } else { private_total += rest }
    }
    if past_statutory_age != 0 {
        // Each member past the statutory age retires if their share of the wages (as
        // paid, in whole yuan) would be covered, at least the base rules' informal-wage
        // line: their job paid contributions. The wages are then shared among the
        // members still working, whose shares grow: again until none retires.
        let line = ContributionLines::of_average_wage(gp.urban_employee_wage).informal_below;
        let mut retired_one = true;
        while retired_one && wage_weights > 0.0 {
            retired_one = false;
            for (m, member) in members.iter_mut().enumerate() {
                let share = round_yuan(wage_total * earner_weight(member) / wage_weights);
                if past_statutory_age >> m & 1 == 1 && f64::from(share) >= line {
                    member.employment = Employment::Retired;
                    member.months_in_job = 0;
                    past_statutory_age &= !(1 << m);
                    retired_one = true;
                }
            }
            wage_weights = members.iter().filter(|m| m.employment.earns_wage()).map(earner_weight).sum();
        }
    }
    if wage_weights == 0.0 {
        if op_weights > 0.0 {
            operating_total += wage_total
        } else {
            private_total += wage_total
        }
        wage_total = 0.0;
    }
    private_total *= support;
    for m in members.iter_mut() {
        if m.employment.earns_wage() && wage_weights > 0.0 {
            m.wage = round_yuan(wage_total * earner_weight(m) / wage_weights);
        }
        if op_weights > 0.0 {
            m.operating = round_yuan(operating_total * op_weight(m) / op_weights);
        }
        if m.employment == Employment::Retired {
            let pension = bp.retiree_pension_mean * p.pension_factor * (0.6 + 0.8 * u) * mean_one_noise(&mut ri, 0.25);
            m.retiree_pension = round_yuan(pension);
        }
    }
    if let Some(head) = members.first_mut() {
        head.operating += round_yuan(sideline);
        let has_property = match residence {
            Residence::Urban => 0.5 + 0.4 * u,
            Residence::Rural => 0.25 + 0.4 * u,
        };
        if ri.bernoulli(has_property) {
            head.property = round_yuan(property_total / has_property);
        }
    }

    // Flags, land, transfers.
    let mut rf = StreamRng::new(seed, id, 0, Purpose::Flags);
    let mut flags = HouseholdFlags::default();
    let poor_tilt = 2.0 * (1.0 - u);
    let formerly_poor = rf.bernoulli((shape.formerly_poor_share.value * poor_tilt).min(1.0));
    flags.set(HouseholdFlags::FORMERLY_POOR, formerly_poor);
    let monitored_p = (shape.monitored_share.value * 3.0 * (1.0 - u).powi(2)).min(1.0);
    flags.set(HouseholdFlags::MONITORED, rf.bernoulli(monitored_p));
    flags.set(HouseholdFlags::RELOCATED, rf.bernoulli((shape.relocated_share.value * poor_tilt).min(1.0)));
    flags.set(HouseholdFlags::COLLECTIVE_MEMBER, rf.bernoulli(shape.collective_member_share.value));
    let land_mu = shape.land_mu_per_household.value * mean_one_noise(&mut rf, 0.8);
    let grassland_mu = shape.grassland_mu_per_household.value * mean_one_noise(&mut rf, 1.0);
    let land_rented_out_mu = if rf.bernoulli(shape.land_rented_out_share.value) { land_mu } else { 0.0 };
    let rigid_expenses = if rf.bernoulli(shape.rigid_expense_household_share.value) {
        shape.rigid_expense_mean.value * mean_one_noise(&mut rf, 0.8)
    } else {
        0.0
    };
    let remits = rf.bernoulli(shape.remittance_household_share.value);
    // Remittance households get a remittance on top of the other private transfers
    // everyone has; calibration scales both.
    let (remittances, other_transfers) =
        if remits { (1.5 * private_total, 0.5 * private_total) } else { (0.0, 0.5 * private_total) };
    let tier = rf.categorical(&bp.tier_cdf) as u8;

    HouseholdRecord {
        weight: 1.0,
        residence,
        tier,
        flags,
        land_mu: round(land_mu * 10.0) as f32 / 10.0,
        grassland_mu: round(grassland_mu * 10.0) as f32 / 10.0,
        land_rented_out_mu: round(land_rented_out_mu * 10.0) as f32 / 10.0,
        rigid_expenses: round_yuan(rigid_expenses),
        remittances: round_yuan(remittances),
        other_transfers: round_yuan(other_transfers),
        poverty_project_income: 0.0,
    }
}

#[inline]
fn round_yuan(x: f64) -> f32 {
    round(x.max(0.0)) as f32
}

fn draw_education(rng: &mut StreamRng, bp: &AreaBlueprint, age: u8) -> Education {
    const LEVELS: [Education; 4] =
        [Education::PrimaryOrLess, Education::JuniorSecondary, Education::SeniorSecondary, Education::Tertiary];
    if age < 12 {
        return Education::PrimaryOrLess;
    }
    if age < 16 {
        return Education::JuniorSecondary;
    }
    let u = rng.uniform();
    // Younger cohorts are better educated: shift the draw up for the young and down
    // for the old (assumed shape).
    let shift = if age < 35 {
        0.15
    } else if age >= 60 {
        -0.2
    } else {
        0.0
    };
    let x = (u + shift).clamp(0.0, 0.999_999);
    let k = bp.education_cdf.iter().position(|&c| x < c).unwrap_or(3);
    let k = if age < 19 { k.min(2) } else { k };
    LEVELS[k]
}

/// A Poisson draw by inversion, truncated at `max`.
fn truncated_poisson(rng: &mut StreamRng, lambda: f64, max: usize) -> usize {
    let u = rng.uniform();
    let mut p = (-lambda).exp();
    let mut cdf = p;
    let mut k = 0;
    while u > cdf && k < max {
        k += 1;
        p *= lambda / k as f64;
        cdf += p;
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Households of `ids` that are urban (or rural) with a latent rank below `below`.
    fn count(ids: std::ops::Range<u64>, seed: u64, share: f64, urban: bool, below: f64) -> usize {
        ids.filter(|&id| {
            let (residence, rank) = residence_and_rank(seed, id, share);
            (residence == Residence::Urban) == urban && rank < below
        })
        .count()
    }

    #[test]
    fn latent_ranks_are_spread_evenly_within_each_residence() {
        let share = 0.63;
        for (seed, start) in [(7u64, 0u64), (1, 123_456_789), (42, 1 << 60)] {
            let n = 20_000u64;
            for (urban, p) in [(true, share), (false, 1.0 - share)] {
                for below in [0.01, 0.05, 0.2, 0.5, 0.9] {
                    let expected = n as f64 * p * below;
                    let got = count(start..start + n, seed, share, urban, below) as f64;
                    // Independent draws miss by about sqrt(expected): 11 to 85 households
                    // here; the sequence holds every group to within a few.
                    assert!(
                        (got - expected).abs() <= 4.0,
                        "seed {seed} urban {urban} below {below}: {got} against {expected}"
                    );
                }
            }
        }
    }

    #[test]
    fn latent_ranks_stay_inside_the_open_interval() {
        for id in 0..100_000u64 {
            let u = residence_and_rank(3, id, 0.5).1;
            assert!(u > 0.0 && u < 1.0, "id {id}: {u}");
        }
        assert!((0..1000).all(|id| residence_and_rank(3, id, 1.0).1 < 1.0 && residence_and_rank(3, id, 0.0).1 > 0.0));
    }
}
