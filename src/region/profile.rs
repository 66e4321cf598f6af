//! The profile types, their loading (with `extends`) and their validation.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::builtin::{builtin_ids, builtin_source};
use crate::error::{Error, Result};
use crate::model::Residence;
use crate::model::bounds::{MAX_AMOUNT, MAX_NUMBER};
use crate::scenario::problem::shown_number;

/// How a number in a profile is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Taken as published: the source names the publication, table and row.
    Published,
    /// Computed from published figures (the province, the nation, a plan's own implied
    /// figure): the source says from what and how.
    Derived,
    /// Nothing published: an assumption, and the source says why this value.
    Assumed,
}

impl Status {
    /// The name used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Derived => "derived",
            Status::Assumed => "assumed",
        }
    }
}

/// A value with its status and source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Published, derived or assumed.
    pub status: Status,
    /// The publication, table and row; or the derivation; or the reason for the assumption.
    pub source: String,
}

/// A whole region profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Identifier, e.g. `liupanshui-2021`.
    pub id: String,
    /// Human-readable name, e.g. "Liupanshui 六盘水, 2021".
    pub name: String,
    /// The base year the targets describe.
    pub base_year: u16,
    /// What the profile is built from, in a sentence or two.
    pub description: String,
    /// Population-wide targets.
    pub population: PopulationTargets,
    /// Targets for urban residents.
    pub urban: AreaTargets,
    /// Targets for rural residents.
    pub rural: AreaTargets,
    /// Figures for all residents that are checked, not calibrated on.
    #[serde(default)]
    pub all: Option<AllResidentsChecks>,
    /// Base-year rule parameters (thresholds, pension, allowances).
    pub rules: BaseRules,
    /// Shape of the population: employment, land, flags, by residence.
    pub shape: Shape,
}

/// Population-wide targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationTargets {
    /// Resident population (常住人口), persons.
    pub resident_persons: Sourced<f64>,
    /// Share of residents living in towns (urbanisation rate), 0–1.
    pub urban_share: Sourced<f64>,
    /// Age shares of all residents. Bands may overlap (60+ and 65+).
    pub age_bands: Vec<AgeBandTarget>,
    /// Persons supported as extremely poor (特困人员, urban and rural together): the
    /// calibration sets the share of households without an able member that have no
    /// legal supporter so that the base-year rules support this many. Without it the
    /// share is the assumed [`crate::policy::base::NO_SUPPORTER_SHARE`].
    #[serde(default)]
    pub extreme_poverty_supported: Option<Sourced<f64>>,
    /// Persons drawing an employer-scheme retiree pension (the retirees of the urban
    /// employees' basic pension scheme, 城镇职工基本养老保险离退休人员), wherever they
    /// live. Calibration sets the share of the urban old who draw one (the shape's
    /// urban `retiree_share_60_plus` is then only its starting value) so that the
    /// population holds this many, with the retirees under 60 (women past their
    /// statutory age in covered jobs) and the rural ones as they are drawn. A profile
    /// that `extends` another and gives its own `resident_persons` does not inherit it
    /// (it counts one place).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_scheme_retirees: Option<Sourced<f64>>,
    /// How the band shares are spread over single years of age: evenly ([`CohortPattern::Flat`],
    /// also when absent) or by the sizes of the nation's birth cohorts
    /// ([`CohortPattern::National`]).
    #[serde(default)]
    pub cohort_sizes: Option<Sourced<CohortPattern>>,
}

/// How a profile's age-band shares are spread over single years of age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CohortPattern {
    /// Evenly within each band below 60; beyond 60 declining by
    /// [`crate::dynamics::UNKNOWN_OLD_DECLINE`] a year.
    Flat,
    /// Each single year weighted by its birth cohort's size as the nation's published
    /// series show it ([`crate::dynamics::CohortSizes::national`]), where they cover it;
    /// other years as `Flat`.
    National,
}

/// The share of residents in an age band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeBandTarget {
    /// First age in the band.
    pub min_age: u8,
    /// Last age in the band (inclusive); 110 for an open band.
    pub max_age: u8,
    /// Share of all residents, 0–1.
    pub share: Sourced<f64>,
    /// The band's share of rural residents over its share of urban residents, where the
    /// residences' age structures differ (China's seventh census: 23.81% of rural and
    /// 15.82% of urban residents aged 60+). With it the band is calibrated in each
    /// residence ([`AgeBandTarget::residence_shares`]); without it both residences
    /// draw the all-resident share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rural_to_urban: Option<Sourced<f64>>,
}

impl AgeBandTarget {
    /// The band's share of urban and of rural residents, `[urban, rural]`, when the
    /// band gives [`Self::rural_to_urban`]: with `u` the urban share of residents and
    /// `k` the ratio, the urban share is `share / (u + (1 − u)·k)` and the rural share
    /// `k` times it, so that together they make the all-resident share.
    pub fn residence_shares(&self, urban_share: f64) -> Option<[f64; 2]> {
        let k = self.rural_to_urban.as_ref()?.value;
        let urban = self.share.value / (urban_share + (1.0 - urban_share) * k);
        Some([urban, k * urban])
    }

    /// The band's share of a residence's residents: [`Self::residence_shares`] where
    /// the band splits by residence, the all-resident share otherwise.
    pub fn share_in(&self, residence: Residence, urban_share: f64) -> f64 {
        self.residence_shares(urban_share).map_or(self.share.value, |s| s[residence.index()])
    }
}

/// Calibration targets for urban or rural residents. Money is yuan per person per year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaTargets {
    /// Mean per-capita disposable income.
    pub disposable: Sourced<f64>,
    /// Mean per-capita wage income.
    pub wage: Sourced<f64>,
    /// Mean per-capita net operating income.
    pub operating: Sourced<f64>,
    /// Mean per-capita net property income.
    pub property: Sourced<f64>,
    /// Mean per-capita net transfer income.
    pub net_transfer: Sourced<f64>,
    /// Per-capita disposable income of the five household quintile groups (NBS 五等份:
    /// equal numbers of households ranked by per-capita income), lowest first.
    #[serde(default)]
    pub quintile_means: Option<Sourced<Vec<f64>>>,
    /// Median per-capita disposable income (checked, not calibrated on).
    #[serde(default)]
    pub median: Option<Sourced<f64>>,
    /// Mean household size, persons (census family households).
    pub household_size: Sourced<f64>,
    /// Dibao recipients, persons.
    #[serde(default)]
    pub dibao_recipients: Option<Sourced<f64>>,
    /// Dibao recipient households (the MCA's 低保户, a single-person unit counting as
    /// one): checked, not calibrated. Recipients over them is the size of a recipient
    /// household, which the population report compares with the simulated one.
    #[serde(default)]
    pub dibao_recipient_households: Option<Sourced<f64>>,
    /// Depth of the dibao benefit: what the dibao paid in the year per recipient
    /// person, over the recipient's annual threshold, 0–1 (MCA spending over recipients
    /// times the average annual standard). Calibration fits the priority of need in
    /// take-up to it ([`crate::policy::dibao::Dibao::take_up_need_priority`]), then the
    /// support of workless households where the priority at its most is not enough;
    /// the error of the administered means test
    /// ([`crate::policy::dibao::Dibao::assessment_error_sigma`]) is fitted only when the
    /// caseload cannot be reached otherwise.
    #[serde(default)]
    pub dibao_paid_share_of_threshold: Option<Sourced<f64>>,
}

/// Figures for all residents, checked against the simulated population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllResidentsChecks {
    /// Mean per-capita disposable income of all residents.
    #[serde(default)]
    pub disposable: Option<Sourced<f64>>,
    /// Median per-capita disposable income of all residents.
    #[serde(default)]
    pub median: Option<Sourced<f64>>,
    /// Urban share of persons the survey's own weights give, when the published
    /// all-residents figures are not the resident-weighted average of the urban and
    /// rural ones. The all-residents checks weight urban and rural persons by it; without
    /// it they use the resident shares.
    #[serde(default)]
    pub survey_urban_share: Option<Sourced<f64>>,
}

/// Base-year rule parameters. Money per month where the name says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseRules {
    /// Urban dibao threshold per person per month, by county tier (one value if the
    /// place has one threshold).
    pub dibao_threshold_urban_per_month: Sourced<Vec<f64>>,
    /// Rural dibao threshold per person per month, by county tier.
    pub dibao_threshold_rural_per_month: Sourced<Vec<f64>>,
    /// Share of urban households in each county tier (same length as the thresholds).
    #[serde(default)]
    pub tier_shares_urban: Option<Sourced<Vec<f64>>>,
    /// Share of rural households in each county tier.
    #[serde(default)]
    pub tier_shares_rural: Option<Sourced<Vec<f64>>>,
    /// Residents' basic pension actually paid (central minimum plus local top-ups),
    /// per person aged 60+ without an employer pension, per month.
    pub basic_pension_per_month: Sourced<f64>,
    /// Old-age allowance (高龄津贴) for residents aged 80+, per month.
    pub old_age_allowance_80_per_month: Sourced<f64>,
    /// Nursing subsidy for the severely disabled (重度残疾人护理补贴), per month.
    pub severe_disability_nursing_per_month: Sourced<f64>,
    /// Living subsidy for disabled people in low-income households (困难残疾人生活补贴), per month.
    pub poor_disability_living_per_month: Sourced<f64>,
    /// Extreme-poverty (特困) support standard as a multiple of the dibao threshold.
    pub extreme_poverty_support_multiple: Sourced<f64>,
    /// Employment costs deducted from recipients' earnings in the dibao means test, per month.
    pub employment_cost_deduction_per_month: Sourced<f64>,
}

/// Shape of the population by residence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shape {
    /// Urban residents.
    pub urban: AreaShape,
    /// Rural residents.
    pub rural: AreaShape,
}

/// Shares of persons aged 16–59 by main activity. They sum to 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmploymentShares {
    /// Local employees.
    pub local_employee: f64,
    /// Migrant workers away under six months.
    pub migrant_short_term: f64,
    /// Farmers and herders.
    pub farmer_herder: f64,
    /// Non-farm self-employed.
    pub self_employed: f64,
    /// Public-sector employees.
    pub public_sector: f64,
    /// Public-welfare post holders.
    pub public_welfare_post: f64,
    /// Unemployed.
    pub unemployed: f64,
    /// Students.
    pub student: f64,
    /// Not in the labour force.
    pub not_in_labour_force: f64,
}

/// The age by which every student has left school: the schooling rule of the generator
/// and the dynamics (assumption: upper secondary and most university courses end by
/// then; the profiles' activity shares are of ages 16–59 and not by age).
pub const SCHOOL_LEAVING_AGE: u8 = 25;

/// Ages 16–59 over which the profiles' activity shares are given: 44 single years.
const WORKING_AGES: f64 = 44.0;

impl EmploymentShares {
    /// The yearly rate `x` at which students aged 16 to 24 leave school (all have left by
    /// [`SCHOOL_LEAVING_AGE`]): the rate at which every child in school at 15 is still
    /// a student at age `a` with probability `(1 − x)^(a − 15)` and students make up the
    /// `student` share of persons aged 16–59, ages assumed spread evenly over 16–59. The
    /// generator draws students by age with [`Self::student_probability_by_age`] and the
    /// dynamics let them leave at this rate, so the share holds from year to year. 0
    /// (nobody leaves before 25) when the share is at or above the most the rule allows,
    /// 9/44 (about 20%); 1 for a share of 0.
    pub fn school_leaving_rate(&self) -> f64 {
        let target = self.student.max(0.0) * WORKING_AGES;
        let years = i32::from(SCHOOL_LEAVING_AGE) - 16;
        let share_of = |x: f64| (1..=years).map(|k| (1.0 - x).powi(k)).sum::<f64>();
        if target >= share_of(0.0) {
            return 0.0;
        }
        let (mut low, mut high) = (0.0f64, 1.0f64);
        for _ in 0..60 {
            let mid = 0.5 * (low + high);
            if share_of(mid) > target { low = mid } else { high = mid }
        }
        0.5 * (low + high)
    }

    /// The probability that a person is a student at each age from 16 to 24 (index 0
    /// is age 16) under the schooling rule of [`Self::school_leaving_rate`]:
    /// `(1 − x)^(age − 15)`; none is from [`SCHOOL_LEAVING_AGE`] on.
    pub fn student_probability_by_age(&self) -> [f64; (SCHOOL_LEAVING_AGE - 16) as usize] {
        let stay = 1.0 - self.school_leaving_rate();
        std::array::from_fn(|k| stay.powi(k as i32 + 1))
    }

    /// The shares as `(activity, share)` pairs.
    pub fn pairs(&self) -> [(crate::model::Employment, f64); 9] {
        use crate::model::Employment as E;
        [
            (E::LocalEmployee, self.local_employee),
            (E::MigrantShortTerm, self.migrant_short_term),
            (E::FarmerHerder, self.farmer_herder),
            (E::SelfEmployed, self.self_employed),
            (E::PublicSector, self.public_sector),
            (E::PublicWelfarePost, self.public_welfare_post),
            (E::Unemployed, self.unemployed),
            (E::Student, self.student),
            (E::NotInLabourForce, self.not_in_labour_force),
        ]
    }
}

/// Generator inputs for urban or rural residents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaShape {
    /// Main activity of persons aged 16–59.
    pub employment_16_59: Sourced<EmploymentShares>,
    /// Share of persons aged 60+ still farming or working.
    pub working_share_60_plus: Sourced<f64>,
    /// Share of persons aged 60+ drawing an employer-scheme retiree pension.
    pub retiree_share_60_plus: Sourced<f64>,
    /// Mean employer-scheme retiree pension, per month (a starting value; calibration
    /// scales it with the other transfers).
    pub retiree_pension_per_month: Sourced<f64>,
    /// Share of persons with a certified disability.
    pub disability_share: Sourced<f64>,
    /// Share of the disabled whose disability is severe (grades 1–2).
    pub severe_share_of_disabled: Sourced<f64>,
    /// Education of adults 25+: primary or less, junior, senior, tertiary (sum to 1).
    pub education_shares_adults: Sourced<Vec<f64>>,
    /// Share of residents with an urban hukou.
    pub urban_hukou_share: Sourced<f64>,
    /// Share of households formerly registered poor (脱贫户).
    pub formerly_poor_share: Sourced<f64>,
    /// Share of households under poverty-return monitoring (监测户).
    pub monitored_share: Sourced<f64>,
    /// Share of households relocated from inhospitable areas (易地搬迁).
    pub relocated_share: Sourced<f64>,
    /// Share of households that are members of a village collective.
    pub collective_member_share: Sourced<f64>,
    /// Mean contracted farmland per household holding land, mu.
    pub land_mu_per_household: Sourced<f64>,
    /// Mean contracted grassland per household, mu.
    pub grassland_mu_per_household: Sourced<f64>,
    /// Share of contracted land rented out (流转).
    pub land_rented_out_share: Sourced<f64>,
    /// Share of households with members away six months or more who send remittances.
    pub remittance_household_share: Sourced<f64>,
    /// Share of households with rigid (medical) expenses.
    pub rigid_expense_household_share: Sourced<f64>,
    /// Mean rigid expense of those households, yuan per year.
    pub rigid_expense_mean: Sourced<f64>,
    /// Share of public-sector employees who are teachers.
    pub teacher_share_of_public_sector: Sourced<f64>,
    /// Village doctors per 1,000 residents.
    pub village_doctors_per_1000: Sourced<f64>,
}

impl Profile {
    /// A built-in profile by id.
    ///
    /// # Errors
    /// [`Error::UnknownRegion`] for an id that is not built in; a parse or validation
    /// error if the built-in file is broken (a bug the tests catch).
    pub fn builtin(id: &str) -> Result<Profile> {
        let text = builtin_source(id)
            .ok_or_else(|| Error::UnknownRegion { id: id.to_string(), known: builtin_ids().join(", ") })?;
        Self::from_toml_str(text, &format!("profile {id}"), None)
    }

    /// A profile by built-in id, or else from a TOML file at that path.
    ///
    /// # Errors
    /// As [`Profile::builtin`] and [`Profile::from_file`].
    pub fn load(id_or_path: &str) -> Result<Profile> {
        if builtin_source(id_or_path).is_some() {
            return Self::builtin(id_or_path);
        }
        let path = Path::new(id_or_path);
        if path.extension().is_some_and(|e| e == "toml") || path.exists() {
            return Self::from_file(path);
        }
        Err(Error::UnknownRegion { id: id_or_path.to_string(), known: builtin_ids().join(", ") })
    }

    /// Reads a profile from a TOML file. `extends` names a built-in profile or a file
    /// relative to this one.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read; [`Error::Parse`] or
    /// [`Error::InvalidValue`] if it is malformed or a value is out of range.
    pub fn from_file(path: &Path) -> Result<Profile> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        Self::from_toml_str(&text, &path.display().to_string(), path.parent())
    }

    /// Parses a profile from TOML text. `origin` names it in errors; `dir` resolves
    /// an `extends` that is a relative file path.
    ///
    /// # Errors
    /// As [`Profile::from_file`].
    pub fn from_toml_str(text: &str, origin: &str, dir: Option<&Path>) -> Result<Profile> {
        let table = resolve_extends(text, origin, dir, 0)?;
        let profile: Profile = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| Error::Parse { origin: origin.to_string(), message: e.to_string() })?;
        profile.validate(origin)?;
        Ok(profile)
    }

    /// The targets of one residence.
    pub fn area(&self, residence: Residence) -> &AreaTargets {
        match residence {
            Residence::Urban => &self.urban,
            Residence::Rural => &self.rural,
        }
    }

    /// The shape of one residence.
    pub fn shape(&self, residence: Residence) -> &AreaShape {
        match residence {
            Residence::Urban => &self.shape.urban,
            Residence::Rural => &self.shape.rural,
        }
    }

    /// The base-year dibao threshold per person per month of a residence and county
    /// tier (a tier past the last uses the last, as the dibao lever does; 0 without
    /// tiers).
    pub fn dibao_threshold_per_month(&self, residence: Residence, tier: u8) -> f64 {
        let tiers = self.dibao_thresholds_per_month(residence);
        tiers.get((tier as usize).min(tiers.len().saturating_sub(1))).copied().unwrap_or(0.0)
    }

    /// Dibao thresholds per month by tier for one residence.
    pub fn dibao_thresholds_per_month(&self, residence: Residence) -> &[f64] {
        match residence {
            Residence::Urban => &self.rules.dibao_threshold_urban_per_month.value,
            Residence::Rural => &self.rules.dibao_threshold_rural_per_month.value,
        }
    }

    /// Shares of households by county tier for one residence (one tier if not given).
    pub fn tier_shares(&self, residence: Residence) -> Vec<f64> {
        let given = match residence {
            Residence::Urban => &self.rules.tier_shares_urban,
            Residence::Rural => &self.rules.tier_shares_rural,
        };
        match given {
            Some(s) => s.value.clone(),
            None => {
                let n = self.dibao_thresholds_per_month(residence).len().max(1);
                vec![1.0 / n as f64; n]
            }
        }
    }

    /// Resident persons in one residence.
    pub fn resident_persons(&self, residence: Residence) -> f64 {
        let total = self.population.resident_persons.value;
        match residence {
            Residence::Urban => total * self.population.urban_share.value,
            Residence::Rural => total * (1.0 - self.population.urban_share.value),
        }
    }

    /// Every value marked `assumed`, as `(field path, source text)`, for reports.
    pub fn assumptions(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let value = match toml::Value::try_from(self) {
            Ok(v) => v,
            Err(_) => return out,
        };
        collect_assumptions(&value, String::new(), &mut out);
        out
    }

    fn validate(&self, origin: &str) -> Result<()> {
        let mut v = Validator { origin, problems: Vec::new() };
        // Years are `u16`; a base year near its end would overflow the projection's years.
        if !(1950..=2200).contains(&self.base_year) {
            v.problem("base_year", self.base_year, "must be a year from 1950 to 2200");
        }
        v.positive("population.resident_persons", self.population.resident_persons.value);
        v.share("population.urban_share", self.population.urban_share.value);
        let residents = self.population.resident_persons.value;
        for (field, count) in [
            ("population.extreme_poverty_supported", &self.population.extreme_poverty_supported),
            ("population.employee_scheme_retirees", &self.population.employee_scheme_retirees),
        ] {
            if let Some(c) = count {
                v.persons_among_residents(field, c.value, residents);
            }
        }
        for (i, band) in self.population.age_bands.iter().enumerate() {
            let f = format!("population.age_bands[{i}]");
            v.share(&format!("{f}.share"), band.share.value);
            if band.min_age > band.max_age {
                v.problem(&format!("{f}.max_age"), band.max_age, "must be at least min_age");
            }
            if let Some(k) = &band.rural_to_urban {
                v.positive(&format!("{f}.rural_to_urban"), k.value);
                if let Some(shares) = band.residence_shares(self.population.urban_share.value)
                    && k.value > 0.0
                    && shares.iter().any(|s| !(0.0..1.0).contains(s))
                {
                    v.problem(
                        &format!("{f}.rural_to_urban"),
                        k.value,
                        &format!(
                            "gives the band {:.1}% of urban and {:.1}% of rural residents; each must be below 100%",
                            100.0 * shares[0],
                            100.0 * shares[1]
                        ),
                    );
                }
            }
        }
        for (name, a) in [("urban", &self.urban), ("rural", &self.rural)] {
            v.positive(&format!("{name}.disposable"), a.disposable.value);
            v.non_negative(&format!("{name}.wage"), a.wage.value);
            v.non_negative(&format!("{name}.property"), a.property.value);
            v.amount(&format!("{name}.operating"), a.operating.value);
            v.amount(&format!("{name}.net_transfer"), a.net_transfer.value);
            let sum = a.wage.value + a.operating.value + a.property.value + a.net_transfer.value;
            if (sum - a.disposable.value).abs() > 0.005 * a.disposable.value {
                v.problem(
                    &format!("{name}.disposable"),
                    a.disposable.value,
                    &format!("the four parts add up to {sum:.0}, more than 0.5% away"),
                );
            }
            if let Some(q) = &a.quintile_means {
                let f = format!("{name}.quintile_means");
                if q.value.len() != 5 {
                    v.problem(&f, q.value.len(), "must have five values, lowest group first");
                } else if q.value.windows(2).any(|w| w[0] >= w[1]) || q.value[0] <= 0.0 {
                    v.problem(&f, format!("{:?}", q.value), "must be positive and increasing");
                }
            }
            if let Some(m) = &a.median {
                v.positive(&format!("{name}.median"), m.value);
            }
            if !(1.0..=8.0).contains(&a.household_size.value) {
                v.problem(&format!("{name}.household_size"), a.household_size.value, "must be between 1 and 8 persons");
            }
            if let Some(d) = &a.dibao_recipients {
                v.non_negative(&format!("{name}.dibao_recipients"), d.value);
            }
            if let Some(d) = &a.dibao_recipient_households {
                let f = format!("{name}.dibao_recipient_households");
                match &a.dibao_recipients {
                    None => v.problem(&f, d.value, "needs dibao_recipients for the same residence (their persons)"),
                    Some(p) if !(d.value > 0.0 && d.value <= p.value) => v.problem(
                        &f,
                        d.value,
                        "must be above 0 and at most dibao_recipients (every recipient household has a recipient)",
                    ),
                    Some(_) => {}
                }
            }
            if let Some(d) = &a.dibao_paid_share_of_threshold {
                let f = format!("{name}.dibao_paid_share_of_threshold");
                if !(d.value > 0.0 && d.value <= 1.0) {
                    v.problem(
                        &f,
                        d.value,
                        "must be above 0 and at most 1 (the benefit per recipient over the threshold)",
                    );
                } else if a.dibao_recipients.is_none() {
                    v.problem(
                        &f,
                        d.value,
                        "needs dibao_recipients for the same residence (the caseload it is paid to)",
                    );
                }
            }
        }
        if let Some(s) = self.all.as_ref().and_then(|a| a.survey_urban_share.as_ref()) {
            v.share("all.survey_urban_share", s.value);
        }
        let r = &self.rules;
        for (f, t, s) in [
            ("rules.dibao_threshold_urban_per_month", &r.dibao_threshold_urban_per_month, &r.tier_shares_urban),
            ("rules.dibao_threshold_rural_per_month", &r.dibao_threshold_rural_per_month, &r.tier_shares_rural),
        ] {
            if t.value.is_empty() {
                v.problem(f, "[]", "needs at least one threshold");
            }
            for x in &t.value {
                v.non_negative(f, *x);
            }
            if let Some(s) = s {
                if s.value.len() != t.value.len() {
                    v.problem(f, s.value.len(), "tier shares must have one share per threshold");
                }
                for x in &s.value {
                    v.share(f, *x);
                }
                let sum: f64 = s.value.iter().sum();
                if !sums_to_one(sum) {
                    v.problem(f, sum, "tier shares must sum to 1");
                }
            }
        }
        for (f, x) in [
            ("rules.basic_pension_per_month", r.basic_pension_per_month.value),
            ("rules.old_age_allowance_80_per_month", r.old_age_allowance_80_per_month.value),
            ("rules.severe_disability_nursing_per_month", r.severe_disability_nursing_per_month.value),
            ("rules.poor_disability_living_per_month", r.poor_disability_living_per_month.value),
            ("rules.extreme_poverty_support_multiple", r.extreme_poverty_support_multiple.value),
            ("rules.employment_cost_deduction_per_month", r.employment_cost_deduction_per_month.value),
        ] {
            v.non_negative(f, x);
        }
        for (name, s) in [("shape.urban", &self.shape.urban), ("shape.rural", &self.shape.rural)] {
            let e = &s.employment_16_59.value;
            let shares = e.pairs();
            for (act, x) in shares {
                v.share(&format!("{name}.employment_16_59.{}", act.as_str()), x);
            }
            let sum: f64 = shares.iter().map(|(_, x)| x).sum();
            if !sums_to_one(sum) {
                v.problem(&format!("{name}.employment_16_59"), sum, "shares must sum to 1");
            }
            let ed = &s.education_shares_adults.value;
            if ed.len() != 4 || !sums_to_one(ed.iter().sum::<f64>()) || ed.iter().any(|x| !(0.0..=1.0).contains(x)) {
                v.problem(&format!("{name}.education_shares_adults"), format!("{ed:?}"), "four shares summing to 1");
            }
            for (f, x) in [
                ("working_share_60_plus", s.working_share_60_plus.value),
                ("retiree_share_60_plus", s.retiree_share_60_plus.value),
                ("disability_share", s.disability_share.value),
                ("severe_share_of_disabled", s.severe_share_of_disabled.value),
                ("urban_hukou_share", s.urban_hukou_share.value),
                ("formerly_poor_share", s.formerly_poor_share.value),
                ("monitored_share", s.monitored_share.value),
                ("relocated_share", s.relocated_share.value),
                ("collective_member_share", s.collective_member_share.value),
                ("land_rented_out_share", s.land_rented_out_share.value),
                ("remittance_household_share", s.remittance_household_share.value),
                ("rigid_expense_household_share", s.rigid_expense_household_share.value),
                ("teacher_share_of_public_sector", s.teacher_share_of_public_sector.value),
            ] {
                v.share(&format!("{name}.{f}"), x);
            }
            if s.working_share_60_plus.value + s.retiree_share_60_plus.value > 1.0 {
                v.problem(
                    &format!("{name}.retiree_share_60_plus"),
                    s.retiree_share_60_plus.value,
                    "working and retired shares of the 60+ add up to more than 1",
                );
            }
            for (f, x) in [
                ("retiree_pension_per_month", s.retiree_pension_per_month.value),
                ("land_mu_per_household", s.land_mu_per_household.value),
                ("grassland_mu_per_household", s.grassland_mu_per_household.value),
                ("rigid_expense_mean", s.rigid_expense_mean.value),
                ("village_doctors_per_1000", s.village_doctors_per_1000.value),
            ] {
                v.non_negative(&format!("{name}.{f}"), x);
            }
        }
        v.finish()
    }
}

/// Whether shares add up to 1 (within 10⁻⁶); false for a NaN sum, which a test
/// `(sum - 1).abs() > 1e-6` let through.
fn sums_to_one(sum: f64) -> bool {
    (sum - 1.0).abs() <= 1e-6
}

struct Validator<'a> {
    origin: &'a str,
    problems: Vec<Error>,
}

impl Validator<'_> {
    fn problem(&mut self, field: &str, value: impl std::fmt::Display, problem: &str) {
        self.problems.push(Error::InvalidValue {
            origin: self.origin.to_string(),
            field: field.to_string(),
            value: value.to_string(),
            problem: problem.to_string(),
        });
    }
    fn share(&mut self, field: &str, x: f64) {
        if !(0.0..=1.0).contains(&x) {
            self.problem(field, x, "must be a share between 0 and 1");
        }
    }
    fn positive(&mut self, field: &str, x: f64) {
        if !(x > 0.0 && x <= MAX_NUMBER) {
            self.problem(field, shown_number(x), &format!("must be positive and at most {MAX_NUMBER:e}"));
        }
    }
    /// A count of persons among the residents: not negative and at most `residents`.
    fn persons_among_residents(&mut self, field: &str, x: f64, residents: f64) {
        self.non_negative(field, x);
        if x > residents {
            self.problem(field, shown_number(x), "must not exceed population.resident_persons");
        }
    }
    fn non_negative(&mut self, field: &str, x: f64) {
        if !(0.0..=MAX_NUMBER).contains(&x) {
            self.problem(field, shown_number(x), &format!("must not be negative nor over {MAX_NUMBER:e}"));
        }
    }
    /// An amount that may be negative (net operating income, net transfers).
    fn amount(&mut self, field: &str, x: f64) {
        if !(-MAX_AMOUNT..=MAX_AMOUNT).contains(&x) {
            self.problem(field, shown_number(x), &format!("must be a finite amount within ±{MAX_AMOUNT:e}"));
        }
    }
    fn finish(mut self) -> Result<()> {
        match self.problems.len() {
            0 => Ok(()),
            1 => Err(self.problems.remove(0)),
            _ => Err(Error::InvalidValue {
                origin: self.origin.to_string(),
                field: "(several)".into(),
                value: String::new(),
                problem: self.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "),
            }),
        }
    }
}

const MAX_EXTENDS_DEPTH: usize = 8;

/// Optional fields (`section`, `field`) that count persons of one place, which a profile
/// that `extends` another and gives its own residents does not inherit (calibration
/// fits them, so an inherited count would make a city hold the nation's).
const PLACE_COUNTS: &[(&str, &str)] =
    &[("population", "employee_scheme_retirees"), ("population", "extreme_poverty_supported")];

fn resolve_extends(text: &str, origin: &str, dir: Option<&Path>, depth: usize) -> Result<toml::Table> {
    let mut table: toml::Table = toml::from_str(text)
        .map_err(|e: toml::de::Error| Error::Parse { origin: origin.to_string(), message: e.to_string() })?;
    let Some(parent) = table.remove("extends") else {
        return Ok(table);
    };
    let parent = parent.as_str().ok_or_else(|| Error::InvalidValue {
        origin: origin.to_string(),
        field: "extends".into(),
        value: parent.to_string(),
        problem: "must be a profile id or a file path".into(),
    })?;
    if depth >= MAX_EXTENDS_DEPTH {
        return Err(Error::InvalidValue {
            origin: origin.to_string(),
            field: "extends".into(),
            value: parent.to_string(),
            problem: format!("more than {MAX_EXTENDS_DEPTH} levels of extends (a cycle?)"),
        });
    }
    let mut base = if let Some(src) = builtin_source(parent) {
        resolve_extends(src, &format!("profile {parent}"), None, depth + 1)?
    } else {
        let path = dir.map(|d| d.join(parent)).unwrap_or_else(|| Path::new(parent).to_path_buf());
        let text = std::fs::read_to_string(&path).map_err(|_| Error::InvalidValue {
            origin: origin.to_string(),
            field: "extends".into(),
            value: parent.to_string(),
            problem: format!("no built-in profile or file of that name; built-in: {}", builtin_ids().join(", ")),
        })?;
        resolve_extends(&text, &path.display().to_string(), path.parent(), depth + 1)?
    };
    // The all-residents checks belong to one place: a profile that gives its own
    // `[all]` replaces its parent's whole (a city must not inherit the nation's survey
    // weighting).
    if table.contains_key("all") {
        base.remove("all");
    }
    // Counts of one place go with the residents they count: a profile of another place
    // (its own `population.resident_persons`) does not inherit its parent's, while a
    // variant of the same place (other incomes, say) does.
    let own_residents =
        table.get("population").and_then(toml::Value::as_table).is_some_and(|p| p.contains_key("resident_persons"));
    if own_residents {
        for (section, field) in PLACE_COUNTS {
            if let Some(toml::Value::Table(t)) = base.get_mut(*section) {
                t.remove(*field);
            }
        }
    }
    merge(&mut base, table);
    Ok(base)
}

/// Deep-merges `over` into `base`: tables merge key by key, anything else replaces.
pub(crate) fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) if !is_sourced_leaf(&o) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// A `{ value, status, source }` table replaces as a whole (its parts belong together).
fn is_sourced_leaf(t: &toml::Table) -> bool {
    t.contains_key("value") && t.contains_key("status")
}

fn collect_assumptions(v: &toml::Value, path: String, out: &mut Vec<(String, String)>) {
    match v {
        toml::Value::Table(t) => {
            if t.get("status").and_then(|s| s.as_str()) == Some("assumed") {
                let src = t.get("source").and_then(|s| s.as_str()).unwrap_or("").to_string();
                out.push((path, src));
                return;
            }
            for (k, x) in t {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                collect_assumptions(x, p, out);
            }
        }
        toml::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                collect_assumptions(x, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_students(student: f64) -> EmploymentShares {
        EmploymentShares {
            local_employee: 0.5,
            migrant_short_term: 0.1,
            farmer_herder: 0.1,
            self_employed: 0.1,
            public_sector: 0.05,
            public_welfare_post: 0.0,
            unemployed: 0.05,
            student,
            not_in_labour_force: 0.1 - student,
        }
    }

    #[test]
    fn the_schooling_rule_gives_the_student_share() {
        for student in [0.01, 0.03, 0.05, 0.08, 0.15] {
            let shares = with_students(student);
            let by_age = shares.student_probability_by_age();
            let share: f64 = by_age.iter().sum::<f64>() / 44.0;
            assert!((share - student).abs() < 1e-9, "{student}: {share}");
            assert!(by_age.windows(2).all(|w| w[1] < w[0]), "fewer students at each age: {by_age:?}");
        }
        assert_eq!(with_students(0.0).school_leaving_rate(), 1.0);
        assert_eq!(with_students(0.0).student_probability_by_age(), [0.0; 9]);
        // More than every child staying in school until 25 can give.
        assert_eq!(with_students(0.25).school_leaving_rate(), 0.0);
    }

    #[test]
    fn every_builtin_profile_loads_and_validates() {
        for id in builtin_ids() {
            let p = Profile::builtin(id).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(p.id, id);
        }
    }

    #[test]
    fn extends_overrides_single_values() {
        let text = r#"
extends = "national-2022"
id = "test-city"
name = "Test city"
[urban]
disposable = { value = 49100, status = "assumed", source = "test" }
"#;
        let p = Profile::from_toml_str(text, "test", None).expect("valid");
        assert_eq!(p.id, "test-city");
        assert_eq!(p.urban.disposable.value, 49100.0);
        assert_eq!(p.rural.disposable.value, 20133.0);
        assert!(p.assumptions().iter().any(|(f, _)| f == "urban.disposable"));
    }

    #[test]
    fn counts_of_a_place_go_with_its_residents() {
        // A variant of the nation keeps the nation's counts.
        let variant = r#"
extends = "national-2022"
id = "variant"
[urban]
disposable = { value = 49100, status = "assumed", source = "test" }
"#;
        let p = Profile::from_toml_str(variant, "variant.toml", None).expect("valid");
        assert!(p.population.employee_scheme_retirees.is_some());
        assert!(p.population.extreme_poverty_supported.is_some());
        // Another place, with its own residents, counts its own or none.
        let city = r#"
extends = "national-2022"
id = "city"
[population]
resident_persons = { value = 3000000, status = "assumed", source = "test" }
"#;
        let p = Profile::from_toml_str(city, "city.toml", None).expect("valid");
        assert!(p.population.employee_scheme_retirees.is_none());
        assert!(p.population.extreme_poverty_supported.is_none());
        let own =
            format!("{city}extreme_poverty_supported = {{ value = 9000, status = \"assumed\", source = \"test\" }}\n");
        let p = Profile::from_toml_str(&own, "city.toml", None).expect("valid");
        assert_eq!(p.population.extreme_poverty_supported.map(|c| c.value), Some(9000.0));
    }

    #[test]
    fn a_city_does_not_inherit_the_national_survey_weighting() {
        let p = Profile::builtin("liupanshui-2021").expect("profile");
        let all = p.all.as_ref().expect("all-residents checks");
        assert!(all.survey_urban_share.is_none());
        let n = Profile::builtin("national-2022").expect("profile");
        assert!(n.all.as_ref().and_then(|a| a.survey_urban_share.as_ref()).is_some());
    }

    #[test]
    fn bad_values_are_named() {
        let text = r#"
extends = "national-2022"
[population]
urban_share = { value = 1.5, status = "assumed", source = "test" }
"#;
        let e = Profile::from_toml_str(text, "bad.toml", None).expect_err("invalid");
        let msg = e.to_string();
        assert!(msg.contains("population.urban_share"), "{msg}");
        assert!(Profile::builtin("nowhere-1999").is_err());
    }
}
