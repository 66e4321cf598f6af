//! The per-household outcome of a projection year: what the indicators read.

use crate::error::{Error, Result};
use crate::model::{Accounts, Employment, HouseholdFlags, IncomeParts, Population, Residence};

/// One household's outcome in one year, in 72 bytes.
///
/// The engine fills one per household per year (see [`fill_outcomes`]) and keeps the
/// previous year's to follow households over time. Money stays `f64` (as in
/// [`Accounts`]) so that the indicators' sums agree with the accounts and the ledger;
/// the weight is the population's own `f32`; size, residence and flags are the
/// population's bytes, and the labour counts bytes too. Transfers received and paid are
/// kept only as their net.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HouseholdOutcome {
    /// Global household id (matches households across years).
    pub id: u64,
    /// Wage income of the household, yuan per year.
    pub wage: f64,
    /// Net operating income of the household, yuan per year.
    pub operating: f64,
    /// Net property income of the household, yuan per year.
    pub property: f64,
    /// Net transfer income of the household (received minus paid), yuan per year.
    pub net_transfer: f64,
    /// Dibao paid to the household this year, yuan per year (already inside
    /// `net_transfer`; kept apart for caseload and spending).
    pub dibao: f64,
    /// The dibao threshold that applies to the household, yuan per person per year.
    pub dibao_line: f64,
    /// Grossing-up weight.
    pub weight: f32,
    /// Number of resident members.
    pub size: u8,
    /// Residence this year.
    pub residence: Residence,
    /// Status flags this year (dibao, formerly poor …).
    pub flags: HouseholdFlags,
    /// Members aged [`LABOUR_FORCE_MIN_AGE`] or more in the labour force (working or
    /// unemployed, [`Employment::in_labour_force`]).
    pub labour_force: u8,
    /// Members aged [`LABOUR_FORCE_MIN_AGE`] or more who are unemployed.
    pub unemployed: u8,
    /// Members aged 60 or more.
    pub aged_60_plus: u8,
    /// Members aged 65 or more.
    pub aged_65_plus: u8,
    /// Members drawing an employer-scheme pension ([`Employment::Retired`]).
    pub retirees: u8,
    /// Persons the dibao counts as recipients when the household is one
    /// ([`HouseholdOutcome::dibao_recipient`]): every member, or only those paid as
    /// one-person units under single-person dibao
    /// ([`recipient_persons`](crate::policy::dibao::recipient_persons)).
    pub dibao_persons: u8,
}

/// The youngest age counted in the labour force, as in the NBS labour force survey
/// behind the urban surveyed unemployment rate (城镇调查失业率: persons aged 16 and over).
pub const LABOUR_FORCE_MIN_AGE: u8 = 16;

impl HouseholdOutcome {
    /// An outcome from household totals (for tests and hand-built cases).
    pub fn new(id: u64, residence: Residence, weight: f32, size: u8, parts: &IncomeParts) -> Self {
        HouseholdOutcome {
            id,
            wage: parts.wage,
            operating: parts.operating,
            property: parts.property,
            net_transfer: parts.net_transfer(),
            dibao: 0.0,
            dibao_line: 0.0,
            weight,
            size,
            residence,
            flags: HouseholdFlags::default(),
            labour_force: 0,
            unemployed: 0,
            aged_60_plus: 0,
            aged_65_plus: 0,
            retirees: 0,
            dibao_persons: size,
        }
    }

    /// Household disposable income: the sum of the four parts, yuan per year.
    #[inline]
    pub fn disposable(&self) -> f64 {
        self.wage + self.operating + self.property + self.net_transfer
    }

    /// Per-capita disposable income, yuan per person per year. A household without
    /// members (possible only transiently) counts as one person here, as in the
    /// calibration report.
    #[inline]
    pub fn per_capita(&self) -> f64 {
        Followed::per_capita(self)
    }

    /// Size as `f64`.
    #[inline]
    pub fn size_f64(&self) -> f64 {
        self.size as f64
    }

    /// Weight as `f64`.
    #[inline]
    pub fn weight_f64(&self) -> f64 {
        self.weight as f64
    }

    /// Grossed-up persons: weight × size.
    #[inline]
    pub fn persons(&self) -> f64 {
        Followed::persons(self)
    }

    /// Whether the household is formerly poor (脱贫户).
    #[inline]
    pub fn formerly_poor(&self) -> bool {
        self.flags.has(HouseholdFlags::FORMERLY_POOR)
    }

    /// Whether no member works although one is in the labour force: every member in it
    /// is unemployed (零就业家庭: no member of working age who is able and willing to
    /// work has a job).
    #[inline]
    pub fn zero_employment(&self) -> bool {
        self.unemployed > 0 && self.unemployed == self.labour_force
    }

    /// Whether the household is in the dibao caseload: it was paid dibao this year or
    /// carries the dibao flag.
    #[inline]
    pub fn dibao_recipient(&self) -> bool {
        self.dibao > 0.0 || self.flags.has(HouseholdFlags::DIBAO)
    }

    /// Grossed-up persons the dibao counts as recipients (weight ×
    /// [`HouseholdOutcome::dibao_persons`]), 0 when the household is not a recipient.
    #[inline]
    pub fn dibao_recipient_persons(&self) -> f64 {
        if self.dibao_recipient() { self.weight_f64() * f64::from(self.dibao_persons) } else { 0.0 }
    }
}

/// Annual dibao thresholds per person by residence and county tier, yuan per person
/// per year, as the dibao rule computes them for the year (for example
/// `Dibao::threshold_for`). A tier beyond the list uses the last tier; a residence
/// without thresholds has a line of 0 (nobody is below it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DibaoLines {
    /// Thresholds by tier, `[urban, rural]`.
    pub per_person_per_year: [Vec<f64>; 2],
}

impl DibaoLines {
    /// Thresholds by tier for urban and rural households.
    pub fn new(urban: Vec<f64>, rural: Vec<f64>) -> Self {
        DibaoLines { per_person_per_year: [urban, rural] }
    }

    /// The threshold of a residence and tier.
    pub fn line(&self, residence: Residence, tier: u8) -> f64 {
        let tiers = &self.per_person_per_year[residence.index()];
        tiers.get(tier as usize).or_else(|| tiers.last()).copied().unwrap_or(0.0)
    }
}

/// Fills `out` with the outcomes of every household of a population, in household
/// order, reusing its buffer. `dibao` is the column of dibao paid per household this
/// year (the dibao lever's column), or `None` when no dibao was paid.
///
/// # Errors
/// [`Error::InvalidRequest`] when the accounts or the dibao column do not have one
/// entry per household.
pub fn fill_outcomes(
    out: &mut Vec<HouseholdOutcome>,
    pop: &Population,
    accounts: &Accounts,
    dibao: Option<&[f64]>,
    lines: &DibaoLines,
) -> Result<()> {
    check_outcome_inputs(pop, accounts, dibao)?;
    crate::model::columns::clear_with_room(out, pop.household_count());
    each_outcome(pop, accounts, dibao, lines, |o| out.push(*o));
    Ok(())
}

/// Whether the accounts and the dibao column have one entry per household.
fn check_outcome_inputs(pop: &Population, accounts: &Accounts, dibao: Option<&[f64]>) -> Result<()> {
    let n = pop.household_count();
    if accounts.len() != n {
        return Err(Error::InvalidRequest(format!(
            "indicators: accounts for {} households, population has {n}",
            accounts.len()
        )));
    }
    if let Some(d) = dibao
        && d.len() != n
    {
        return Err(Error::InvalidRequest(format!(
            "indicators: dibao column for {} households, population has {n}",
            d.len()
        )));
    }
    Ok(())
}

/// Calls `each` with the outcome of every household of a population, in household
/// order, as [`fill_outcomes`] writes them, without keeping them (the engine sums and
/// follows them as they come).
///
/// # Errors
/// As [`fill_outcomes`].
pub(crate) fn for_each_outcome(
    pop: &Population,
    accounts: &Accounts,
    dibao: Option<&[f64]>,
    lines: &DibaoLines,
    each: impl FnMut(&HouseholdOutcome),
) -> Result<()> {
    check_outcome_inputs(pop, accounts, dibao)?;
    each_outcome(pop, accounts, dibao, lines, each);
    Ok(())
}

/// [`for_each_outcome`] on inputs already checked.
#[inline]
fn each_outcome(
    pop: &Population,
    accounts: &Accounts,
    dibao: Option<&[f64]>,
    lines: &DibaoLines,
    mut each: impl FnMut(&HouseholdOutcome),
) {
    let hh = &pop.households;
    let persons = &pop.persons;
    for h in 0..pop.household_count() {
        let residence = hh.residence[h];
        let (mut labour_force, mut unemployed, mut aged_60_plus, mut aged_65_plus) = (0u8, 0u8, 0u8, 0u8);
        let mut retirees = 0u8;
        for i in pop.members(h) {
            aged_60_plus += u8::from(persons.age[i] >= 60);
            aged_65_plus += u8::from(persons.age[i] >= 65);
            retirees += u8::from(persons.employment[i] == Employment::Retired);
            if persons.age[i] >= LABOUR_FORCE_MIN_AGE {
                let e = persons.employment[i];
                labour_force += u8::from(e.in_labour_force());
                unemployed += u8::from(e == Employment::Unemployed);
            }
        }
        each(&HouseholdOutcome {
            id: pop.household_id(h),
            wage: accounts.wage[h],
            operating: accounts.operating[h],
            property: accounts.property[h],
            net_transfer: accounts.transfers_received[h] - accounts.transfers_paid[h],
            dibao: dibao.map_or(0.0, |d| d[h]),
            dibao_line: lines.line(residence, hh.tier[h]),
            weight: hh.weight[h],
            size: hh.size[h],
            residence,
            flags: hh.flags[h],
            labour_force,
            unemployed,
            aged_60_plus,
            aged_65_plus,
            retirees,
            dibao_persons: crate::policy::dibao::recipient_persons(pop, h),
        });
    }
}

/// What following a household from one year to the next reads of its outcome (see
/// [`follow_households`](super::follow_households)): a [`HouseholdOutcome`], or the
/// 32 bytes of it the engine keeps from year to year ([`FollowedHousehold`]).
pub trait Followed {
    /// Global household id.
    fn id(&self) -> u64;
    /// Disposable income, yuan per year ([`HouseholdOutcome::disposable`]).
    fn disposable(&self) -> f64;
    /// The household's dibao line, yuan per person per year.
    fn dibao_line(&self) -> f64;
    /// Weight as `f64`.
    fn weight_f64(&self) -> f64;
    /// Size as `f64`.
    fn size_f64(&self) -> f64;
    /// Urban or rural.
    fn residence(&self) -> Residence;
    /// Whether the household is formerly poor.
    fn formerly_poor(&self) -> bool;

    /// Per-capita disposable income, as [`HouseholdOutcome::per_capita`].
    #[inline]
    fn per_capita(&self) -> f64 {
        self.disposable() / self.size_f64().max(1.0)
    }

    /// Grossed-up persons: weight × size.
    #[inline]
    fn persons(&self) -> f64 {
        self.weight_f64() * self.size_f64()
    }
}

impl<T: Followed + ?Sized> Followed for &T {
    #[inline]
    fn id(&self) -> u64 {
        (**self).id()
    }
    #[inline]
    fn disposable(&self) -> f64 {
        (**self).disposable()
    }
    #[inline]
    fn dibao_line(&self) -> f64 {
        (**self).dibao_line()
    }
    #[inline]
    fn weight_f64(&self) -> f64 {
        (**self).weight_f64()
    }
    #[inline]
    fn size_f64(&self) -> f64 {
        (**self).size_f64()
    }
    #[inline]
    fn residence(&self) -> Residence {
        (**self).residence()
    }
    #[inline]
    fn formerly_poor(&self) -> bool {
        (**self).formerly_poor()
    }
}

impl Followed for HouseholdOutcome {
    #[inline]
    fn id(&self) -> u64 {
        self.id
    }
    #[inline]
    fn disposable(&self) -> f64 {
        HouseholdOutcome::disposable(self)
    }
    #[inline]
    fn dibao_line(&self) -> f64 {
        self.dibao_line
    }
    #[inline]
    fn weight_f64(&self) -> f64 {
        HouseholdOutcome::weight_f64(self)
    }
    #[inline]
    fn size_f64(&self) -> f64 {
        HouseholdOutcome::size_f64(self)
    }
    #[inline]
    fn residence(&self) -> Residence {
        self.residence
    }
    #[inline]
    fn formerly_poor(&self) -> bool {
        HouseholdOutcome::formerly_poor(self)
    }
}

/// The part of a [`HouseholdOutcome`] that following households reads, in 32 bytes:
/// what the engine keeps of last year's outcomes. Its per-capita income and persons
/// are those of the outcome it was taken from, bit for bit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FollowedHousehold {
    /// Global household id.
    pub id: u64,
    /// Disposable income, yuan per year.
    pub disposable: f64,
    /// The dibao line, yuan per person per year.
    pub dibao_line: f64,
    /// Weight.
    pub weight: f32,
    /// Members.
    pub size: u8,
    /// Urban or rural.
    pub residence: Residence,
    /// Formerly poor.
    pub formerly_poor: bool,
}

impl FollowedHousehold {
    /// What following reads of an outcome.
    #[inline]
    pub fn of(o: &HouseholdOutcome) -> Self {
        FollowedHousehold {
            id: o.id,
            disposable: o.disposable(),
            dibao_line: o.dibao_line,
            weight: o.weight,
            size: o.size,
            residence: o.residence,
            formerly_poor: o.formerly_poor(),
        }
    }
}

impl Followed for FollowedHousehold {
    #[inline]
    fn id(&self) -> u64 {
        self.id
    }
    #[inline]
    fn disposable(&self) -> f64 {
        self.disposable
    }
    #[inline]
    fn dibao_line(&self) -> f64 {
        self.dibao_line
    }
    #[inline]
    fn weight_f64(&self) -> f64 {
        self.weight as f64
    }
    #[inline]
    fn size_f64(&self) -> f64 {
        self.size as f64
    }
    #[inline]
    fn residence(&self) -> Residence {
        self.residence
    }
    #[inline]
    fn formerly_poor(&self) -> bool {
        self.formerly_poor
    }
}

/// The outcomes of every household of a population, in household order; see
/// [`fill_outcomes`].
///
/// # Errors
/// As [`fill_outcomes`].
pub fn outcomes_from(
    pop: &Population,
    accounts: &Accounts,
    dibao: Option<&[f64]>,
    lines: &DibaoLines,
) -> Result<Vec<HouseholdOutcome>> {
    let mut out = Vec::new();
    fill_outcomes(&mut out, pop, accounts, dibao, lines)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HouseholdRecord, PersonRecord};

    #[test]
    fn an_outcome_is_small() {
        assert!(std::mem::size_of::<HouseholdOutcome>() <= 72);
    }

    #[test]
    fn outcomes_read_the_accounts_and_the_tiers() {
        let mut pop = Population::empty(100);
        let rec = HouseholdRecord { weight: 2.0, residence: Residence::Rural, tier: 1, ..Default::default() };
        pop.push_household(&rec, &[PersonRecord::default(), PersonRecord::default()]);
        let rec = HouseholdRecord { weight: 3.0, residence: Residence::Urban, tier: 5, ..Default::default() };
        pop.push_household(&rec, &[PersonRecord::default()]);
        let mut acc = Accounts::zeros(2);
        acc.wage[0] = 1000.0;
        acc.transfers_received[0] = 500.0;
        acc.transfers_paid[0] = 100.0;
        acc.operating[1] = 700.0;
        let lines = DibaoLines::new(vec![9000.0], vec![6000.0, 5000.0]);
        let out = outcomes_from(&pop, &acc, Some(&[300.0, 0.0]), &lines).unwrap();
        assert_eq!(out[0].id, 100);
        assert_eq!(out[1].id, 101);
        // 1000 + 500 − 100 = 1400 for two persons.
        assert_eq!(out[0].disposable(), 1400.0);
        assert_eq!(out[0].per_capita(), 700.0);
        assert_eq!(out[0].dibao_line, 5000.0);
        assert_eq!(out[0].dibao, 300.0);
        assert!(out[0].dibao_recipient());
        // Tier 5 beyond the urban list: the last tier.
        assert_eq!(out[1].dibao_line, 9000.0);
        assert!(!out[1].dibao_recipient());
        assert!(outcomes_from(&pop, &acc, Some(&[1.0]), &lines).is_err());
        assert!(outcomes_from(&pop, &Accounts::zeros(1), None, &lines).is_err());
    }
}
