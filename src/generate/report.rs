//! The calibration report: every target of a profile against a population.

use serde::Serialize;

use crate::indicators::{HouseholdIncome, household_median, household_quintile_means};
use crate::model::{Accounts, Employment, HouseholdFlags, Population, Residence};
use crate::policy::dibao::recipient_persons;
use crate::region::{Profile, Sourced, Status};

/// One target compared with the population.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetCheck {
    /// What it is, e.g. "rural mean wage income".
    pub name: String,
    /// Published, derived or assumed.
    pub status: Status,
    /// The profile's value (shares as fractions 0–1; money in yuan per person per year).
    pub published: f64,
    /// The population's value.
    pub simulated: f64,
    /// `simulated / published − 1`.
    pub relative_error: f64,
    /// Whether calibration fits it (false: checked only).
    pub calibrated: bool,
    /// The source of the profile's value.
    pub source: String,
}

/// Range of the household weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WeightRange {
    /// Smallest weight.
    pub min: f64,
    /// Largest weight.
    pub max: f64,
    /// Mean weight.
    pub mean: f64,
}

/// The calibration report of a population.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationReport {
    /// Profile id.
    pub profile: String,
    /// Households in the population.
    pub households: usize,
    /// Persons in the population.
    pub persons: usize,
    /// Every target.
    pub targets: Vec<TargetCheck>,
    /// Range of the weights.
    pub weights: WeightRange,
    /// Weighted persons (grossed up).
    pub weighted_persons: f64,
    /// Every assumed value the profile and the base rules use, `(field, reason)`.
    pub assumptions: Vec<(String, String)>,
    /// Parameters calibration fitted that a reader should know about, `(name, value)`:
    /// dibao take-up, the error of the administered means test, the priority of need,
    /// the support of workless households and the retirees' pension over the profile's
    /// mean (`retiree_pension_per_month`) by residence, the share of households
    /// without an able member that have no supporter, and the replacement rate a
    /// projection from the population gives new retirees in its first year, by residence
    /// ([`crate::dynamics::Dynamics::calibrate_replacement_on`]).
    pub calibrated: Vec<(String, f64)>,
}

impl CalibrationReport {
    /// The check of a target by name.
    pub fn get(&self, name: &str) -> Option<&TargetCheck> {
        self.targets.iter().find(|t| t.name == name)
    }

    /// The report as an aligned text table.
    pub fn to_table(&self) -> String {
        let mut out = format!(
            "calibration report: {} ({} households, {} persons, {:.0} weighted persons)\n",
            self.profile, self.households, self.persons, self.weighted_persons
        );
        out.push_str(&format!(
            "weights: min {:.1}, mean {:.1}, max {:.1}\n\n",
            self.weights.min, self.weights.mean, self.weights.max
        ));
        out.push_str(&format!(
            "{:<46} {:<10} {:>14} {:>14} {:>9}\n",
            "target", "status", "published", "simulated", "error"
        ));
        for t in &self.targets {
            let fmt = |x: f64| {
                if x.abs() < 2.0 {
                    format!("{x:.4}")
                } else if x.abs() < 20.0 {
                    format!("{x:.3}")
                } else {
                    format!("{x:.0}")
                }
            };
            out.push_str(&format!(
                "{:<46} {:<10} {:>14} {:>14} {:>8.2}%{}\n",
                t.name,
                t.status.as_str(),
                fmt(t.published),
                fmt(t.simulated),
                100.0 * t.relative_error,
                if t.calibrated { "" } else { "  (check)" }
            ));
        }
        if !self.calibrated.is_empty() {
            out.push_str("\ncalibrated parameters\n");
            for (name, value) in &self.calibrated {
                out.push_str(&format!("  {name:<44} {value:.3}\n"));
            }
        }
        if !self.assumptions.is_empty() {
            out.push_str(&format!("\n{} assumed values (see --format json for the reasons)\n", self.assumptions.len()));
        }
        out
    }
}

/// Weighted persons drawing an employer-scheme pension: all of them, and the urban old
/// with the part of them who draw one (what calibration to a count of retirees moves).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct RetireeCounts {
    /// Persons drawing an employer-scheme pension, both residences, any age.
    pub all: f64,
    /// Urban persons aged 60+.
    pub urban_old: f64,
    /// Those of them drawing an employer-scheme pension.
    pub urban_old_retired: f64,
}

impl RetireeCounts {
    /// The counts of a weighted population.
    pub fn of(pop: &Population) -> Self {
        let mut c = RetireeCounts::default();
        for h in 0..pop.household_count() {
            let w = f64::from(pop.households.weight[h]);
            let urban = pop.households.residence[h] == Residence::Urban;
            for i in pop.members(h) {
                let retired = pop.persons.employment[i] == Employment::Retired;
                if retired {
                    c.all += w;
                }
                if urban && pop.persons.age[i] >= 60 {
                    c.urban_old += w;
                    if retired {
                        c.urban_old_retired += w;
                    }
                }
            }
        }
        c
    }
}

fn check<T: Copy + Into<f64>>(name: String, s: &Sourced<T>, simulated: f64, calibrated: bool) -> TargetCheck {
    let published: f64 = s.value.into();
    TargetCheck {
        name,
        status: s.status,
        published,
        simulated,
        relative_error: if published != 0.0 { simulated / published - 1.0 } else { simulated },
        calibrated,
        source: s.source.clone(),
    }
}

/// Compares a population (with its base-year accounts) with every target of a profile.
///
/// `dibao_paid` is what the dibao paid each household in the base year (for the
/// benefit's depth).
// Columns are indexed by household in step; an iterator per column would obscure it.
#[allow(clippy::needless_range_loop)]
pub fn calibration_report(
    profile: &Profile,
    pop: &Population,
    accounts: &Accounts,
    dibao_paid: &[f64],
) -> CalibrationReport {
    let hh = &pop.households;
    let mut persons = [0.0f64; 2];
    let mut households = [0.0f64; 2];
    let mut parts = [[0.0f64; 5]; 2];
    let mut dibao = [0.0f64; 2];
    let mut dibao_households = [0.0f64; 2];
    let mut extreme_poverty = 0.0f64;
    // Paid by the dibao, and its recipients times their annual threshold (weighted).
    let mut dibao_paid_sum = [0.0f64; 2];
    let mut dibao_full = [0.0f64; 2];
    let mut items: [Vec<HouseholdIncome>; 2] = [Vec::new(), Vec::new()];
    let bands = &profile.population.age_bands;
    // Weighted persons in each band, urban and rural.
    let mut band_persons = vec![[0.0f64; 2]; bands.len()];
    let (mut wmin, mut wmax, mut wsum) = (f64::INFINITY, 0.0f64, 0.0f64);
    for h in 0..pop.household_count() {
        let a = hh.residence[h].index();
        let w = hh.weight[h] as f64;
        let size = hh.size[h] as f64;
        wmin = wmin.min(w);
        wmax = wmax.max(w);
        wsum += w;
        persons[a] += w * size;
        households[a] += w;
        let p = accounts.parts(h);
        parts[a][0] += w * p.disposable();
        parts[a][1] += w * p.wage;
        parts[a][2] += w * p.operating;
        parts[a][3] += w * p.property;
        parts[a][4] += w * p.net_transfer();
        if hh.flags[h].has(HouseholdFlags::DIBAO) {
            let covered = f64::from(recipient_persons(pop, h));
            dibao[a] += w * covered;
            dibao_households[a] += w;
            dibao_paid_sum[a] += w * dibao_paid[h];
            dibao_full[a] += w * covered * 12.0 * profile.dibao_threshold_per_month(hh.residence[h], hh.tier[h]);
        }
        if hh.flags[h].has(HouseholdFlags::EXTREME_POVERTY_SUPPORT) {
            extreme_poverty += w * size;
        }
        items[a].push(HouseholdIncome { per_capita: p.disposable() / size.max(1.0), weight: w, size });
        for i in pop.members(h) {
            let age = pop.persons.age[i];
            for (b, band) in bands.iter().enumerate() {
                if (band.min_age..=band.max_age).contains(&age) {
                    band_persons[b][a] += w;
                }
            }
        }
    }
    let total_persons = persons[0] + persons[1];
    let mut targets = Vec::new();
    targets.push(check("resident persons".into(), &profile.population.resident_persons, total_persons, true));
    targets.push(check(
        "urban share of residents".into(),
        &profile.population.urban_share,
        persons[0] / total_persons.max(1e-12),
        true,
    ));
    for (b, band) in bands.iter().enumerate() {
        let label = if band.max_age >= 100 {
            format!("share aged {}+", band.min_age)
        } else {
            format!("share aged {}-{}", band.min_age, band.max_age)
        };
        let [urban, rural] = band_persons[b];
        targets.push(check(label.clone(), &band.share, (urban + rural) / total_persons.max(1e-12), true));
        if let (Some(shares), Some(ratio)) =
            (band.residence_shares(profile.population.urban_share.value), &band.rural_to_urban)
        {
            for r in Residence::BOTH {
                let a = r.index();
                let target = Sourced {
                    value: shares[a],
                    status: ratio.status,
                    source: format!(
                        "the all-resident share {:.2}% split by the rural-to-urban ratio {:.3} at the urban share \
                         of residents: {}",
                        100.0 * band.share.value,
                        ratio.value,
                        ratio.source
                    ),
                };
                targets.push(check(
                    format!("{label} ({r})"),
                    &target,
                    band_persons[b][a] / persons[a].max(1e-12),
                    true,
                ));
            }
        }
    }
    if let Some(e) = &profile.population.extreme_poverty_supported {
        targets.push(check("extreme-poverty supported persons".into(), e, extreme_poverty, true));
    }
    if let Some(r) = &profile.population.employee_scheme_retirees {
        targets.push(check("retirees with an employer-scheme pension".into(), r, RetireeCounts::of(pop).all, true));
    }
    let mut all_items = Vec::new();
    let mut all_mean = 0.0;
    for r in Residence::BOTH {
        let a = r.index();
        let t = profile.area(r);
        let p = persons[a].max(1e-12);
        targets.push(check(format!("{r} mean disposable income"), &t.disposable, parts[a][0] / p, true));
        targets.push(check(format!("{r} mean wage income"), &t.wage, parts[a][1] / p, true));
        targets.push(check(format!("{r} mean operating income"), &t.operating, parts[a][2] / p, true));
        targets.push(check(format!("{r} mean property income"), &t.property, parts[a][3] / p, true));
        targets.push(check(format!("{r} mean net transfer income"), &t.net_transfer, parts[a][4] / p, true));
        // All residents, each residence weighted by the survey's urban share when
        // the profile gives one (the published all-residents figures use it).
        let resident_share = persons[a] / total_persons.max(1e-12);
        let survey_share = profile
            .all
            .as_ref()
            .and_then(|x| x.survey_urban_share.as_ref())
            .map(|s| if r == Residence::Urban { s.value } else { 1.0 - s.value })
            .unwrap_or(resident_share);
        let scale = survey_share / resident_share.max(1e-12);
        all_items.extend(items[a].iter().map(|h| HouseholdIncome { weight: h.weight * scale, ..*h }));
        all_mean += survey_share * parts[a][0] / p;
        if let Some(m) = &t.median {
            let sim = household_median(&mut items[a]);
            targets.push(check(format!("{r} median disposable income"), m, sim, false));
        }
        if let Some(q) = &t.quintile_means {
            let sim = household_quintile_means(&mut items[a]);
            const NAMES: [&str; 5] = ["low", "lower-middle", "middle", "upper-middle", "high"];
            for k in 0..5 {
                let s = Sourced { value: q.value[k], status: q.status, source: q.source.clone() };
                targets.push(check(format!("{r} quintile {} ({}) mean", k + 1, NAMES[k]), &s, sim[k], true));
            }
        }
        targets.push(check(
            format!("{r} household size"),
            &t.household_size,
            persons[a] / households[a].max(1e-12),
            true,
        ));
        if let Some(d) = &t.dibao_recipients {
            targets.push(check(format!("{r} dibao recipients"), d, dibao[a], true));
            if let Some(units) = &t.dibao_recipient_households {
                targets.push(check(format!("{r} dibao recipient households"), units, dibao_households[a], false));
                let per_household = Sourced {
                    value: d.value / units.value,
                    status: Status::Derived,
                    source: format!("dibao_recipients over dibao_recipient_households ({})", units.source),
                };
                let simulated = if dibao_households[a] > 0.0 { dibao[a] / dibao_households[a] } else { 0.0 };
                targets.push(check(
                    format!("{r} dibao persons per recipient household"),
                    &per_household,
                    simulated,
                    false,
                ));
            }
        }
        if let Some(d) = &t.dibao_paid_share_of_threshold {
            let depth = if dibao_full[a] > 0.0 { dibao_paid_sum[a] / dibao_full[a] } else { 0.0 };
            targets.push(check(format!("{r} dibao paid over threshold"), d, depth, true));
        }
    }
    if let Some(all) = &profile.all {
        if let Some(d) = &all.disposable {
            targets.push(check("all mean disposable income".into(), d, all_mean, false));
        }
        if let Some(m) = &all.median {
            targets.push(check("all median disposable income".into(), m, household_median(&mut all_items), false));
        }
    }
    let mut assumptions = profile.assumptions();
    assumptions.extend(crate::policy::base::base_rule_assumptions());
    CalibrationReport {
        profile: profile.id.clone(),
        households: pop.household_count(),
        persons: pop.person_count(),
        targets,
        weights: WeightRange {
            min: if wmin.is_finite() { wmin } else { 0.0 },
            max: wmax,
            mean: wsum / pop.household_count().max(1) as f64,
        },
        weighted_persons: total_persons,
        assumptions,
        calibrated: Vec::new(),
    }
}
