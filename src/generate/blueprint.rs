//! Constants the generator takes from a profile's shape: what calibration leaves alone.

use crate::dynamics::{CohortSizes, UNKNOWN_OLD_DECLINE};
use crate::model::{Employment, Residence};
use crate::region::{AgeBandTarget, AreaShape, CohortPattern, Profile};

/// Tilt of each activity's share with the household's latent income rank `u`: the
/// share is multiplied by `exp(tilt × (u − 0.5))` and renormalised. Assumed: richer
/// households hold more public-sector and employee jobs, poorer ones more farming,
/// unemployment and inactivity.
const ACTIVITY_TILT: [(Employment, f64); 9] = [
    (Employment::LocalEmployee, 0.8),
    (Employment::MigrantShortTerm, 0.0),
    (Employment::FarmerHerder, -0.8),
    (Employment::SelfEmployed, 0.5),
    (Employment::PublicSector, 2.0),
    (Employment::PublicWelfarePost, -1.5),
    (Employment::Unemployed, -1.5),
    (Employment::Student, 0.0),
    (Employment::NotInLabourForce, -0.8),
];

/// Shape constants of one residence.
#[derive(Debug, Clone)]
pub struct AreaBlueprint {
    /// The profile's shape values.
    pub shape: AreaShape,
    /// Activities of persons aged 16–59 with their shares and tilts; students are
    /// drawn by age first ([`Self::student_by_age`]), so their share here is 0.
    pub activities: Vec<(Employment, f64, f64)>,
    /// Probability of being a student at each age from 16 to 24 (index 0 is 16), from
    /// the profile's student share ([`crate::region::EmploymentShares::student_probability_by_age`]).
    pub student_by_age: [f64; (crate::region::SCHOOL_LEAVING_AGE - 16) as usize],
    /// The distinct non-zero tilts of `activities`, so a household computes
    /// `exp(tilt × (u − 0.5))` once per distinct tilt.
    pub distinct_tilts: Vec<f64>,
    /// For each activity, its tilt's place in `distinct_tilts` (`None` for a zero
    /// tilt, whose factor is exactly 1).
    pub tilt_place: Vec<Option<usize>>,
    /// The activities of persons aged 60+ who work, with their cumulative shares: the
    /// activities the dynamics carry past 60 in this residence (those not covered by
    /// retirement: farming, self-employment, short-term migrant work, and local wage work
    /// in villages), in the proportions of ages 16–59, so the working old are drawn as
    /// the working 59-year-olds become them.
    pub old_age_work: Vec<(Employment, f64)>,
    /// Cumulative shares of county tiers.
    pub tier_cdf: Vec<f64>,
    /// Cumulative education shares of adults.
    pub education_cdf: [f64; 4],
    /// Annual mean retiree pension (profile value × 12).
    pub retiree_pension_mean: f64,
    /// A short-term migrant's share of the household's wages relative to a local
    /// employee of the same education: outgoing over local migrant workers' monthly
    /// income ([`crate::dynamics::published::migrant_premium`]), as the dynamics pay a
    /// new short-term migrant job.
    pub migrant_premium: f64,
}

/// Shape constants of a profile.
#[derive(Debug, Clone)]
pub struct Blueprint {
    /// Urban, rural.
    pub areas: [AreaBlueprint; 2],
    /// Age bands of the profile, for raking.
    pub age_bands: Vec<RakedBand>,
}

/// An age band the weights are raked to: one column of a household's raking vector
/// (its members in the band), or two (in the urban column or the rural one) when the
/// profile gives the band's shares by residence ([`crate::region::AgeBandTarget::rural_to_urban`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RakedBand {
    /// First age in the band.
    pub min_age: u8,
    /// Last age in the band (inclusive).
    pub max_age: u8,
    /// Whether the band is raked in each residence.
    pub by_residence: bool,
}

impl RakedBand {
    /// The raked bands of a profile, in its order.
    pub fn of(profile: &Profile) -> Vec<RakedBand> {
        profile
            .population
            .age_bands
            .iter()
            .map(|b| RakedBand { min_age: b.min_age, max_age: b.max_age, by_residence: b.rural_to_urban.is_some() })
            .collect()
    }

    /// Whether a person of this age is in the band.
    #[inline]
    pub fn contains(&self, age: u8) -> bool {
        (self.min_age..=self.max_age).contains(&age)
    }
}

fn cumulative(shares: &[f64]) -> Vec<f64> {
    let total: f64 = shares.iter().sum();
    let mut acc = 0.0;
    let mut out: Vec<f64> = shares
        .iter()
        .map(|s| {
            acc += s / total;
            acc
        })
        .collect();
    if let Some(last) = out.last_mut() {
        *last = 1.0;
    }
    out
}

impl Blueprint {
    /// The constants of a profile.
    pub fn new(profile: &Profile) -> Self {
        let area = |residence: Residence| {
            let shape = profile.shape(residence).clone();
            let activities = shape
                .employment_16_59
                .value
                .pairs()
                .iter()
                .map(|(e, s)| {
                    let tilt = ACTIVITY_TILT.iter().find(|(a, _)| a == e).map(|(_, t)| *t).unwrap_or(0.0);
                    (*e, if *e == Employment::Student { 0.0 } else { *s }, tilt)
                })
                .collect();
            let activities: Vec<(Employment, f64, f64)> = activities;
            let mut distinct_tilts: Vec<f64> = Vec::new();
            let tilt_place = activities
                .iter()
                .map(|&(_, _, t)| {
                    (t != 0.0).then(|| {
                        distinct_tilts.iter().position(|&d| d == t).unwrap_or_else(|| {
                            distinct_tilts.push(t);
                            distinct_tilts.len() - 1
                        })
                    })
                })
                .collect();
            let ed = cumulative(&shape.education_shares_adults.value);
            let education_cdf = [
                ed.first().copied().unwrap_or(1.0),
                ed.get(1).copied().unwrap_or(1.0),
                ed.get(2).copied().unwrap_or(1.0),
                1.0,
            ];
            // Work the dynamics carry past 60: not covered by retirement, and not a
            // public-welfare post (their lever's).
            let carried: Vec<(Employment, f64)> = shape
                .employment_16_59
                .value
                .pairs()
                .into_iter()
                .filter(|(e, _)| {
                    e.is_working() && *e != Employment::PublicWelfarePost && !e.retires_at_statutory_age(residence)
                })
                .map(|(e, s)| (e, s.max(0.0)))
                .collect();
            let weights: Vec<f64> = carried.iter().map(|c| c.1).collect();
            let old_age_work = if weights.iter().sum::<f64>() > 0.0 {
                carried.iter().map(|c| c.0).zip(cumulative(&weights)).collect()
            } else {
                let fallback =
                    if residence == Residence::Rural { Employment::FarmerHerder } else { Employment::SelfEmployed };
                vec![(fallback, 1.0)]
            };
            AreaBlueprint {
                old_age_work,
                student_by_age: shape.employment_16_59.value.student_probability_by_age(),
                retiree_pension_mean: shape.retiree_pension_per_month.value * 12.0,
                migrant_premium: crate::dynamics::published::migrant_premium(profile.base_year).1,
                activities,
                distinct_tilts,
                tilt_place,
                tier_cdf: cumulative(&profile.tier_shares(residence)),
                education_cdf,
                shape,
            }
        };
        Blueprint { areas: [area(Residence::Urban), area(Residence::Rural)], age_bands: RakedBand::of(profile) }
    }
}

/// Single-year age distribution (0..=100) that matches the profile's age bands.
///
/// Bands may overlap (60+ and 65+): they are turned into a partition of disjoint
/// intervals; within an interval each single year has a weight: 1 below 60 and
/// [`UNKNOWN_OLD_DECLINE`]`^(age − 60)` beyond (survival, so the oldest ages are rare),
/// or, where the profile's `population.cohort_sizes` is `national` and the published
/// series cover the year's birth cohort, that cohort's relative size
/// ([`CohortSizes::weight`]).
pub fn age_density(profile: &Profile) -> Vec<f64> {
    density_of_bands(profile, |b| b.share.value)
}

/// Single-year age distribution (0..=100) of one residence's residents: as
/// [`age_density`], with each band that splits by residence at the residence's share
/// ([`crate::region::AgeBandTarget::share_in`]) and the ages no such band covers scaled
/// so that the density sums to one (a rural population older than the whole has
/// proportionally fewer children and persons of working age).
pub fn age_density_in(profile: &Profile, residence: Residence) -> Vec<f64> {
    let urban_share = profile.population.urban_share.value;
    let mut density = density_of_bands(profile, |b| b.share_in(residence, urban_share));
    let split_bands: Vec<&AgeBandTarget> =
        profile.population.age_bands.iter().filter(|b| b.rural_to_urban.is_some()).collect();
    // Each age: whether a band that splits by residence covers it.
    let split: Vec<bool> = (0..density.len())
        .map(|a| split_bands.iter().any(|b| (usize::from(b.min_age)..=usize::from(b.max_age)).contains(&a)))
        .collect();
    let covered: f64 = density.iter().zip(&split).filter(|(_, s)| **s).map(|(d, _)| d).sum();
    let rest: f64 = density.iter().zip(&split).filter(|(_, s)| !**s).map(|(d, _)| d).sum();
    if !split_bands.is_empty() && rest > 0.0 {
        let scale = (1.0 - covered).max(0.0) / rest;
        for (d, _) in density.iter_mut().zip(&split).filter(|(_, s)| !**s) {
            *d *= scale;
        }
    }
    density
}

/// The density of [`age_density`] with each band's share given by `share`.
fn density_of_bands(profile: &Profile, share_of: impl Fn(&AgeBandTarget) -> f64) -> Vec<f64> {
    let cohorts = match profile.population.cohort_sizes.as_ref().map(|c| c.value) {
        Some(CohortPattern::National) => Some(CohortSizes::national()),
        Some(CohortPattern::Flat) | None => None,
    };
    let mut cuts: Vec<u16> = vec![0, 101];
    for b in &profile.population.age_bands {
        cuts.push(b.min_age as u16);
        cuts.push((b.max_age as u16 + 1).min(101));
    }
    cuts.sort_unstable();
    cuts.dedup();
    // Share of each elementary interval: solve from the bands by peeling. An interval's
    // share is the band share minus the shares of nested bands inside it.
    let intervals: Vec<(u16, u16)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    let mut share = vec![f64::NAN; intervals.len()];
    // Bands sorted by length, shortest first: each band's remaining interval(s) get
    // what the band's share leaves after the intervals already set.
    let mut bands: Vec<_> = profile.population.age_bands.iter().collect();
    bands.sort_by_key(|b| b.max_age as i32 - b.min_age as i32);
    for b in bands {
        let lo = b.min_age as u16;
        let hi = (b.max_age as u16 + 1).min(101);
        let inside: Vec<usize> =
            (0..intervals.len()).filter(|&i| intervals[i].0 >= lo && intervals[i].1 <= hi).collect();
        let known: f64 = inside.iter().filter(|&&i| !share[i].is_nan()).map(|&i| share[i]).sum();
        let unknown: Vec<usize> = inside.iter().copied().filter(|&i| share[i].is_nan()).collect();
        let len: f64 = unknown.iter().map(|&i| (intervals[i].1 - intervals[i].0) as f64).sum();
        for &i in &unknown {
            share[i] = ((share_of(b) - known).max(0.0)) * (intervals[i].1 - intervals[i].0) as f64 / len.max(1.0);
        }
    }
    // Intervals no band covers share what is left, by length.
    let known: f64 = share.iter().filter(|s| !s.is_nan()).sum();
    let free_len: f64 =
        intervals.iter().zip(&share).filter(|(_, s)| s.is_nan()).map(|((a, b), _)| (*b - *a) as f64).sum();
    for (i, s) in share.iter_mut().enumerate() {
        if s.is_nan() {
            *s = (1.0 - known).max(0.0) * (intervals[i].1 - intervals[i].0) as f64 / free_len.max(1.0);
        }
    }
    let mut density = vec![0.0; 101];
    for (&(lo, hi), &s) in intervals.iter().zip(&share) {
        let weights: Vec<f64> = (lo..hi)
            .map(|a| {
                let known = cohorts.and_then(|c| c.weight(profile.base_year, a as u8));
                known.unwrap_or(if a >= 60 { UNKNOWN_OLD_DECLINE.powi(a as i32 - 60) } else { 1.0 })
            })
            .collect();
        let total: f64 = weights.iter().sum();
        for (a, w) in (lo..hi).zip(weights) {
            density[a as usize] = s * w / total.max(1e-12);
        }
    }
    density
}

/// Splits an age density into heads (18+) and other members so that, with one head per
/// household and `mean_size` persons per household, all persons follow `density`.
pub fn head_and_member_cdfs(density: &[f64], mean_size: f64) -> (Vec<f64>, Vec<f64>) {
    let head_share = 1.0 / mean_size;
    let adult_total: f64 = density.iter().skip(18).sum();
    let head: Vec<f64> = density.iter().enumerate().map(|(a, d)| if a >= 18 { d / adult_total } else { 0.0 }).collect();
    let member: Vec<f64> = density
        .iter()
        .zip(&head)
        .map(|(d, h)| ((d - head_share * h) / (1.0 - head_share).max(1e-9)).max(0.0))
        .collect();
    (cumulative(&head), cumulative(&member))
}
