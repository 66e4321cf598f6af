//! The parameters of the generator: what calibration fits and generation uses.

use serde::Serialize;

use crate::model::Residence;

/// Income parts the generator draws in proportion to a household's income level.
pub const DRAWN_PARTS: usize = 4;
/// Index of wage income in [`AreaParams::part_factors`].
pub const WAGE: usize = 0;
/// Index of operating income.
pub const OPERATING: usize = 1;
/// Index of property income.
pub const PROPERTY: usize = 2;
/// Index of private transfers (remittances and other transfers).
pub const PRIVATE_TRANSFERS: usize = 3;

/// Knots of the income-level adjustment: midpoints of the five quintile groups of the
/// latent household rank.
pub const KNOTS: [f64; 5] = [0.1, 0.3, 0.5, 0.7, 0.9];

/// Generator parameters for one residence (urban or rural).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaParams {
    /// Residence these parameters describe.
    pub residence: Residence,
    /// Household size is 1 + a truncated Poisson with mean `size_lambda × exp(size_gradient × (0.5 − u))`,
    /// `u` the household's latent income rank.
    pub size_lambda: f64,
    /// How much larger poorer households are (0 = no gradient).
    pub size_gradient: f64,
    /// Log-mean of the lognormal body of the per-capita income level, yuan.
    pub level_mu: f64,
    /// Log-standard deviation of the lognormal body.
    pub level_sigma: f64,
    /// Rank above which the level follows a Pareto tail.
    pub tail_start: f64,
    /// Pareto index of the tail.
    pub tail_alpha: f64,
    /// Log-factor of the level at each knot (piecewise linear in between); calibrated
    /// so the quintile group means match.
    pub knot_log_factors: [f64; 5],
    /// Per-capita amount of each drawn part as a multiple of the level, at each knot
    /// (`[part][knot]`); calibrated so the part means match.
    pub part_factors: [[f64; 5]; DRAWN_PARTS],
    /// Multiplier of the profile's mean retiree pension (calibrated with transfers).
    pub pension_factor: f64,
    /// Share of persons aged 60+ drawing an employer-scheme pension: the profile's
    /// `retiree_share_60_plus`, or, for urban residents where the profile gives the
    /// count of such retirees ([`crate::region::PopulationTargets::employee_scheme_retirees`]),
    /// calibrated to it.
    pub retiree_share_60_plus: f64,
    /// Age distribution of heads (18+), by single year 0..=100.
    pub head_age_cdf: Vec<f64>,
    /// Age distribution of other members, by single year 0..=100.
    pub member_age_cdf: Vec<f64>,
    /// Support from relatives of a household with nobody in work (no wage earner, no
    /// self-employed or farming member), no pension and a member aged 16–59 (households
    /// of the elderly alone keep their children's support), as a share of the earnings of
    /// its income rank (which go to its private transfers): 1 keeps such a household
    /// at its rank's income, less leaves it poorer. Calibrated to the depth of the
    /// dibao benefit where the profile gives it
    /// ([`AreaTargets::dibao_paid_share_of_threshold`](crate::region::AreaTargets::dibao_paid_share_of_threshold)):
    /// dibao recipients are mostly such households, and what the dibao pays them
    /// shows how far below the threshold their own incomes are. 1 otherwise.
    pub workless_support_share: f64,
    /// Dibao take-up rate (calibrated to the caseload).
    pub take_up: f64,
    /// Error of the administered dibao means test (see
    /// [`Dibao::assessment_error_sigma`](crate::policy::dibao::Dibao::assessment_error_sigma)):
    /// 0 unless the caseload cannot be reached with full take-up.
    pub assessment_error_sigma: f64,
    /// Priority of need in dibao take-up (see
    /// [`Dibao::take_up_need_priority`](crate::policy::dibao::Dibao::take_up_need_priority)):
    /// calibrated to the benefit's published depth, 0 without it.
    pub take_up_need_priority: f64,
    /// Line below which old members not in work are dibao units of their own, a
    /// multiple of the threshold (see
    /// [`Dibao::old_member_unit_line`](crate::policy::dibao::Dibao::old_member_unit_line)):
    /// calibrated to the published persons per recipient household, 0 without them.
    pub old_member_unit_line: f64,
}

impl GeneratorParams {
    /// The base-year rule parameters fitted so far (take-up, means-test error, priority
    /// of need by residence; the urban employees' mean wage).
    pub fn base_calibration(&self) -> crate::policy::registry::BaseCalibration {
        let [u, r] = &self.areas;
        crate::policy::registry::BaseCalibration {
            take_up: [u.take_up, r.take_up],
            assessment_error_sigma: [u.assessment_error_sigma, r.assessment_error_sigma],
            take_up_need_priority: [u.take_up_need_priority, r.take_up_need_priority],
            old_member_unit_line: [u.old_member_unit_line, r.old_member_unit_line],
            extreme_poverty_no_supporter_share: self.extreme_poverty_no_supporter_share,
            urban_employee_wage: self.urban_employee_wage,
        }
    }
}

/// Everything needed to generate households of a profile: calibrated, immutable,
/// `Sync`; any household is a function of these parameters, the seed and its id.
#[derive(Debug, Clone, Serialize)]
pub struct GeneratorParams {
    /// Profile id.
    pub profile: String,
    /// Base year.
    pub base_year: u16,
    /// Seed of the population.
    pub seed: u64,
    /// Share of households that are urban.
    pub urban_household_share: f64,
    /// Urban and rural parameters.
    pub areas: [AreaParams; 2],
    /// Share of households without an able member that have no legal supporter
    /// (extreme-poverty support), fitted to the profile's count of supported persons.
    pub extreme_poverty_no_supporter_share: f64,
    /// Mean full-year wage of the urban employees (local employees and public-sector
    /// staff in towns) of the calibration sample, yuan per year: the base rules'
    /// contribution lines are shares of it
    /// ([`crate::policy::base::ContributionLines`]), and the generator retires an
    /// employee in a town past the statutory age only if paid at least its informal
    /// line.
    pub urban_employee_wage: f64,
    /// Raking coefficients of the weight model (weight = base × exp(x·λ)).
    pub raking_lambda: Vec<f64>,
    /// Real households each generated household stands for before raking, per
    /// generated household of a population of one household (divide by N).
    pub base_weight_total: [f64; 2],
}

/// Piecewise-linear interpolation over the knots, constant beyond the ends.
#[inline]
pub fn interpolate(knots: &[f64; 5], u: f64) -> f64 {
    KnotPoint::new(u).value(knots)
}

/// Where a rank `u` falls among the [`KNOTS`], found once for interpolating several
/// knot rows at the same rank (gives exactly [`interpolate`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KnotPoint {
    /// At or beyond an end knot: that knot's value.
    End(usize),
    /// Between knots `i` and `i + 1`, at fraction `t`.
    Between(usize, f64),
}

impl KnotPoint {
    /// The place of rank `u`.
    #[inline]
    pub fn new(u: f64) -> Self {
        if u <= KNOTS[0] {
            return KnotPoint::End(0);
        }
        if u >= KNOTS[4] {
            return KnotPoint::End(4);
        }
        let i = (super::rounding::floor((u - KNOTS[0]) / 0.2) as usize).min(3);
        KnotPoint::Between(i, (u - KNOTS[i]) / 0.2)
    }

    /// The interpolated value of a row of knot values.
    #[inline]
    pub fn value(self, knots: &[f64; 5]) -> f64 {
        match self {
            KnotPoint::End(k) => knots[k],
            KnotPoint::Between(i, t) => knots[i] * (1.0 - t) + knots[i + 1] * t,
        }
    }
}

/// Inverse of the standard normal CDF (Acklam's rational approximation, relative
/// error below 1.2e-9).
pub fn inverse_normal_cdf(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] =
        [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let plow = 0.02425;
    if p < plow {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - plow {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

impl AreaParams {
    /// The per-capita income level at latent rank `u`: a lognormal body with a Pareto
    /// tail, times the calibrated knot factor.
    #[inline]
    pub fn level(&self, u: f64) -> f64 {
        let base = if u <= self.tail_start {
            (self.level_mu + self.level_sigma * inverse_normal_cdf(u)).exp()
        } else {
            let start = (self.level_mu + self.level_sigma * inverse_normal_cdf(self.tail_start)).exp();
            start * ((1.0 - self.tail_start) / (1.0 - u)).powf(1.0 / self.tail_alpha)
        };
        base * interpolate(&self.knot_log_factors, u).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_normal_is_accurate() {
        assert!(inverse_normal_cdf(0.5).abs() < 1e-9);
        assert!((inverse_normal_cdf(0.975) - 1.959_963_985).abs() < 1e-6);
        assert!((inverse_normal_cdf(0.01) + 2.326_347_874).abs() < 1e-6);
    }

    #[test]
    fn interpolation_is_piecewise_linear() {
        let k = [0.0, 1.0, 2.0, 3.0, 4.0];
        assert_eq!(interpolate(&k, 0.05), 0.0);
        assert!((interpolate(&k, 0.2) - 0.5).abs() < 1e-12);
        assert!((interpolate(&k, 0.8) - 3.5).abs() < 1e-12);
        assert_eq!(interpolate(&k, 0.95), 4.0);
    }
}
