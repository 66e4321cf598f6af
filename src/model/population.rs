//! Columns of persons and households.

use std::ops::Range;

use super::attributes::{
    Disability, Education, Employment, HouseholdFlags, Hukou, Occupation, PersonAttributes, PersonFlags, Residence, Sex,
};

/// Person columns. All vectors have the same length; index = person.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Persons {
    /// Age in completed years at the start of the year (capped at 110).
    pub age: Vec<u8>,
    /// Sex.
    pub sex: Vec<Sex>,
    /// Hukou (registration) type, education, disability and occupation group, packed
    /// in one byte each (see [`PersonAttributes`]); read them with [`Persons::hukou`],
    /// [`Persons::education`], [`Persons::disability`] and [`Persons::occupation`].
    pub attributes: Vec<PersonAttributes>,
    /// Able to work (劳动能力): working age and not prevented by disability or illness.
    pub able_to_work: Vec<bool>,
    /// Main activity this year.
    pub employment: Vec<Employment>,
    /// Months of the year in the current job (12 for a full year; fewer after a
    /// mid-year start; 0 for those without a job).
    pub months_in_job: Vec<u8>,
    /// Status flags (trained, started a business, sanctioned, refused offers …).
    pub flags: Vec<PersonFlags>,
    /// Wage income, yuan per year (gross of tax and contributions).
    pub wage: Vec<f32>,
    /// Net operating income, yuan per year (may be negative after a bad year).
    pub operating: Vec<f32>,
    /// Net property income, yuan per year.
    pub property: Vec<f32>,
    /// Employer-scheme retiree pension (enterprise or public institution), yuan per year.
    pub retiree_pension: Vec<f32>,
    /// Persistent component of the log wage shock (the AR(1) state kept by
    /// [`crate::dynamics`]); 0 in the base year and for a new job. Stored as a
    /// [`LogShock`] (two bytes); read it with [`Persons::wage_persistent`].
    pub wage_persistent: Vec<LogShock>,
    /// Log of this year's mean-one transitory wage factor (removed again next year by
    /// [`crate::dynamics`]); 0 in the base year and for a new job. Stored as a
    /// [`LogShock`]; read it with [`Persons::wage_transitory`].
    pub wage_transitory: Vec<LogShock>,
}

/// A log wage shock in two bytes: fixed point in steps of 1/4096 (0.024% of a wage),
/// bounded to −8 … +7.9998 (a factor of about 3,000 either way, far beyond any drawn
/// shock).
/// [`crate::dynamics`] rounds its draws with [`LogShock::round`] before using them,
/// so the state it keeps is exactly the one it used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LogShock(i16);

impl LogShock {
    /// Steps per unit of log.
    pub const STEPS: f64 = 4096.0;

    /// The nearest stored value to `x` (halves away from zero), bounded; a NaN (never
    /// drawn) stores as 0.
    #[inline]
    pub fn new(x: f64) -> Self {
        let steps = x * Self::STEPS;
        // `as` truncates toward zero, saturates and maps NaN to 0; no call to `round`.
        LogShock((steps + 0.5f64.copysign(steps)) as i16)
    }

    /// `x` rounded to a stored value.
    #[inline]
    pub fn round(x: f64) -> f64 {
        Self::new(x).get()
    }

    /// The value.
    #[inline]
    pub fn get(self) -> f64 {
        self.0 as f64 / Self::STEPS
    }
}

/// Household columns. All vectors have the same length; index = household.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Households {
    /// Global id of each household, which keys all its random streams. Generated and
    /// loaded households have `first_id + index`; households formed by
    /// [`crate::dynamics`] have ids with bit 62 set (see [`crate::dynamics::split_id`]).
    /// Stored compactly (see [`HouseholdIds`]); read with [`Population::household_id`].
    pub id: HouseholdIds,
    /// Grossing-up weight: how many real households this one stands for.
    pub weight: Vec<f32>,
    /// Index of the household's first person in [`Persons`].
    pub first_person: Vec<u32>,
    /// Number of resident members (常住成员).
    pub size: Vec<u8>,
    /// Residence: urban or rural.
    pub residence: Vec<Residence>,
    /// County tier for tiered thresholds (0 = first tier; Guizhou has three).
    pub tier: Vec<u8>,
    /// Status flags (dibao, formerly poor, monitored, relocated, collective member …).
    pub flags: Vec<HouseholdFlags>,
    /// Contracted farmland (承包地), mu.
    pub land_mu: Vec<f32>,
    /// Contracted grassland (草场), mu.
    pub grassland_mu: Vec<f32>,
    /// Land rented out (流转), mu.
    pub land_rented_out_mu: Vec<f32>,
    /// Rigid expenses (刚性支出), e.g. medical, yuan per year; deducted in the
    /// low-income edge test.
    pub rigid_expenses: Vec<f32>,
    /// Remittances from members away six months or more, yuan per year (a transfer).
    pub remittances: Vec<f32>,
    /// Other private and public transfers not modelled by a rule (gifts, in-kind
    /// imputed, reimbursements), yuan per year.
    pub other_transfers: Vec<f32>,
    /// Income from poverty-relief projects (资产收益扶贫: dividends of project assets),
    /// yuan per year; counted as net property income.
    pub poverty_project_income: Vec<f32>,
}

/// Household ids in four bytes each: an id below 2^31 (every generated or loaded
/// household of a population under two billion) is stored as it is; a larger one (a
/// household formed by the dynamics, a calibration household) is stored in a side
/// list, in household order, and the four bytes point to it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HouseholdIds {
    /// The id, or [`HouseholdIds::WIDE`] plus the place of the id in `wide`.
    small: Vec<u32>,
    /// Ids of 2^31 and above, in household order.
    wide: Vec<u64>,
}

impl FromIterator<u64> for HouseholdIds {
    fn from_iter<I: IntoIterator<Item = u64>>(iter: I) -> Self {
        let mut ids = HouseholdIds::default();
        for id in iter {
            ids.push(id);
        }
        ids
    }
}

impl HouseholdIds {
    /// Marks a stored value that points into the side list.
    const WIDE: u32 = 1 << 31;

    /// Number of households.
    pub fn len(&self) -> usize {
        self.small.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.small.is_empty()
    }

    /// The id of household `h`.
    #[inline]
    pub fn get(&self, h: usize) -> u64 {
        let v = self.small[h];
        if v < Self::WIDE { v as u64 } else { self.wide[(v - Self::WIDE) as usize] }
    }

    /// Appends an id.
    #[inline]
    pub fn push(&mut self, id: u64) {
        if id < Self::WIDE as u64 {
            self.small.push(id as u32);
        } else {
            self.small.push(Self::WIDE + self.wide.len() as u32);
            self.wide.push(id);
        }
    }

    /// Every id, in household order.
    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        (0..self.len()).map(|h| self.get(h))
    }

    /// Every id, in household order, as a vector.
    pub fn to_vec(&self) -> Vec<u64> {
        self.iter().collect()
    }

    fn reserve(&mut self, n: usize) {
        self.small.reserve(n);
    }

    fn reserve_exact(&mut self, n: usize) {
        self.small.reserve_exact(n);
    }

    fn extend(&mut self, other: HouseholdIds) {
        let shift = self.wide.len() as u32;
        self.small.extend(other.small.iter().map(|&v| if v < Self::WIDE { v } else { v + shift }));
        self.wide.extend(other.wide);
    }

    fn split_off(&mut self, at: usize) -> HouseholdIds {
        let small = self.small.split_off(at);
        // Wide ids are listed in household order: the tail's are the end of the list.
        let first_wide =
            small.iter().find(|&&v| v >= Self::WIDE).map_or(self.wide.len(), |&v| (v - Self::WIDE) as usize);
        let wide = self.wide.split_off(first_wide);
        let shift = first_wide as u32;
        let small = small.into_iter().map(|v| if v < Self::WIDE { v } else { v - shift }).collect();
        HouseholdIds { small, wide }
    }

    fn shrink_to_fit(&mut self) {
        self.small.shrink_to_fit();
        self.wide.shrink_to_fit();
    }

    /// Bytes held (capacity).
    fn heap_bytes(&self) -> usize {
        4 * self.small.capacity() + 8 * self.wide.capacity()
    }
}

/// A contiguous range of households and their persons, as columns.
///
/// A whole population, or one chunk of a streamed one: household `h` of this value
/// has the global id `first_id + h`, which keys all its random streams.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Population {
    /// Global id of household 0 of this value.
    pub first_id: u64,
    /// Person columns.
    pub persons: Persons,
    /// Household columns.
    pub households: Households,
}

/// Full-year equivalent of an amount earned over `months` months: times 12 over them
/// (the amount itself for 0 or 12 months).
#[inline]
pub fn annualised(amount: f32, months: u8) -> f32 {
    if months > 0 && months < 12 { amount * 12.0 / f32::from(months) } else { amount }
}

impl Persons {
    /// Number of persons.
    pub fn len(&self) -> usize {
        self.age.len()
    }

    /// True when there are no persons.
    pub fn is_empty(&self) -> bool {
        self.age.is_empty()
    }

    /// Person `i`'s wage as a full year's ([`annualised`] over `months_in_job`).
    #[inline]
    pub fn full_year_wage(&self, i: usize) -> f64 {
        f64::from(annualised(self.wage[i], self.months_in_job[i]))
    }

    /// Reserves room for `n` more persons in every column.
    pub fn reserve(&mut self, n: usize) {
        self.age.reserve(n);
        self.sex.reserve(n);
        self.attributes.reserve(n);
        self.able_to_work.reserve(n);
        self.employment.reserve(n);
        self.months_in_job.reserve(n);
        self.flags.reserve(n);
        self.wage.reserve(n);
        self.operating.reserve(n);
        self.property.reserve(n);
        self.retiree_pension.reserve(n);
        self.wage_persistent.reserve(n);
        self.wage_transitory.reserve(n);
    }

    /// Reserves room for exactly `n` more persons in every column.
    pub fn reserve_exact(&mut self, n: usize) {
        self.age.reserve_exact(n);
        self.sex.reserve_exact(n);
        self.attributes.reserve_exact(n);
        self.able_to_work.reserve_exact(n);
        self.employment.reserve_exact(n);
        self.months_in_job.reserve_exact(n);
        self.flags.reserve_exact(n);
        self.wage.reserve_exact(n);
        self.operating.reserve_exact(n);
        self.property.reserve_exact(n);
        self.retiree_pension.reserve_exact(n);
        self.wage_persistent.reserve_exact(n);
        self.wage_transitory.reserve_exact(n);
    }

    /// Appends one person.
    pub fn push(&mut self, p: &PersonRecord) {
        self.age.push(p.age);
        self.sex.push(p.sex);
        self.attributes.push(PersonAttributes::new(p.hukou, p.education, p.disability, p.occupation));
        self.able_to_work.push(p.able_to_work);
        self.employment.push(p.employment);
        self.months_in_job.push(p.months_in_job);
        self.flags.push(p.flags);
        self.wage.push(p.wage);
        self.operating.push(p.operating);
        self.property.push(p.property);
        self.retiree_pension.push(p.retiree_pension);
        self.wage_persistent.push(LogShock::new(p.wage_persistent as f64));
        self.wage_transitory.push(LogShock::new(p.wage_transitory as f64));
    }

    /// Hukou type of person `i`.
    #[inline]
    pub fn hukou(&self, i: usize) -> Hukou {
        self.attributes[i].hukou()
    }

    /// Education of person `i`.
    #[inline]
    pub fn education(&self, i: usize) -> Education {
        self.attributes[i].education()
    }

    /// Disability grade of person `i`.
    #[inline]
    pub fn disability(&self, i: usize) -> Disability {
        self.attributes[i].disability()
    }

    /// Occupation group of person `i`.
    #[inline]
    pub fn occupation(&self, i: usize) -> Occupation {
        self.attributes[i].occupation()
    }

    /// Persistent log wage shock of person `i`.
    #[inline]
    pub fn wage_persistent(&self, i: usize) -> f32 {
        self.wage_persistent[i].get() as f32
    }

    /// Log transitory wage factor of person `i`.
    #[inline]
    pub fn wage_transitory(&self, i: usize) -> f32 {
        self.wage_transitory[i].get() as f32
    }

    /// Whether person `i` left paid work during this year: out of paid work with months
    /// in the work left (the dynamics keep the pay of those months for the year, in
    /// its own column; it ends the next year).
    #[inline]
    pub fn left_paid_work(&self, i: usize) -> bool {
        !self.employment[i].is_working() && self.months_in_job[i] > 0
    }

    /// Adds the pay `pay` of a wage job begun this year to person `i`'s wage. A wage
    /// already there is pay kept of a wage job left earlier in the year: its share of
    /// the year's wage is stored as this year's transitory log wage shock, which the
    /// dynamics take out next year, so that next year's full-year rate is the new
    /// job's alone (the kept pay is a transitory part of this year's wage).
    pub fn add_new_job_wage(&mut self, i: usize, pay: f32) {
        let kept = self.wage[i];
        self.wage[i] += pay;
        if kept > 0.0 && pay > 0.0 {
            self.wage_persistent[i] = LogShock::default();
            self.wage_transitory[i] = LogShock::new((self.wage[i] as f64 / pay as f64).ln());
        }
    }

    /// One person as a record (for tests, export and hand checks).
    pub fn record(&self, i: usize) -> PersonRecord {
        PersonRecord {
            age: self.age[i],
            sex: self.sex[i],
            hukou: self.hukou(i),
            education: self.education(i),
            able_to_work: self.able_to_work[i],
            disability: self.disability(i),
            employment: self.employment[i],
            months_in_job: self.months_in_job[i],
            occupation: self.occupation(i),
            flags: self.flags[i],
            wage: self.wage[i],
            operating: self.operating[i],
            property: self.property[i],
            retiree_pension: self.retiree_pension[i],
            income_tax: 0.0,
            contributions: 0.0,
            wage_persistent: self.wage_persistent(i),
            wage_transitory: self.wage_transitory(i),
        }
    }
}

/// One person as a plain record: how persons are built and read one at a time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PersonRecord {
    /// Age in completed years.
    pub age: u8,
    /// Sex.
    pub sex: Sex,
    /// Hukou type.
    pub hukou: Hukou,
    /// Education.
    pub education: Education,
    /// Able to work.
    pub able_to_work: bool,
    /// Disability grade.
    pub disability: Disability,
    /// Main activity.
    pub employment: Employment,
    /// Months in the current job this year.
    pub months_in_job: u8,
    /// Occupation group.
    pub occupation: Occupation,
    /// Status flags.
    pub flags: PersonFlags,
    /// Wage income, yuan per year.
    pub wage: f32,
    /// Net operating income, yuan per year.
    pub operating: f32,
    /// Net property income, yuan per year.
    pub property: f32,
    /// Retiree pension, yuan per year.
    pub retiree_pension: f32,
    /// Income tax paid, yuan per year, as a microdata file gives it. Not kept in a
    /// [`Population`]: the tax rule recomputes it every year and pays it into the
    /// household's accounts; [`Persons::record`] gives 0.
    pub income_tax: f32,
    /// Employees' social insurance contributions paid, yuan per year, as a microdata
    /// file gives it. Not kept in a [`Population`]: the contributions rule recomputes
    /// them every year into the year's accounts (see
    /// [`Accounts::contribution`](super::Accounts::contribution)); [`Persons::record`]
    /// gives 0.
    pub contributions: f32,
    /// Persistent log wage shock (dynamics state; stored rounded to a [`LogShock`]).
    pub wage_persistent: f32,
    /// Log transitory wage factor (dynamics state; stored rounded to a [`LogShock`]).
    pub wage_transitory: f32,
}

impl Default for PersonRecord {
    fn default() -> Self {
        PersonRecord {
            age: 30,
            sex: Sex::Male,
            hukou: Hukou::Rural,
            education: Education::JuniorSecondary,
            able_to_work: true,
            disability: Disability::None,
            employment: Employment::NotInLabourForce,
            months_in_job: 0,
            occupation: Occupation::Other,
            flags: PersonFlags::default(),
            wage: 0.0,
            operating: 0.0,
            property: 0.0,
            retiree_pension: 0.0,
            income_tax: 0.0,
            contributions: 0.0,
            wage_persistent: 0.0,
            wage_transitory: 0.0,
        }
    }
}

/// One household's own fields as a plain record (persons apart).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HouseholdRecord {
    /// Grossing-up weight.
    pub weight: f32,
    /// Residence.
    pub residence: Residence,
    /// County tier.
    pub tier: u8,
    /// Status flags.
    pub flags: HouseholdFlags,
    /// Contracted farmland, mu.
    pub land_mu: f32,
    /// Contracted grassland, mu.
    pub grassland_mu: f32,
    /// Land rented out, mu.
    pub land_rented_out_mu: f32,
    /// Rigid expenses, yuan per year.
    pub rigid_expenses: f32,
    /// Remittances received, yuan per year.
    pub remittances: f32,
    /// Other transfers received, yuan per year.
    pub other_transfers: f32,
    /// Poverty-relief project income, yuan per year.
    pub poverty_project_income: f32,
}

impl Default for HouseholdRecord {
    fn default() -> Self {
        HouseholdRecord {
            weight: 1.0,
            residence: Residence::Rural,
            tier: 0,
            flags: HouseholdFlags::default(),
            land_mu: 0.0,
            grassland_mu: 0.0,
            land_rented_out_mu: 0.0,
            rigid_expenses: 0.0,
            remittances: 0.0,
            other_transfers: 0.0,
            poverty_project_income: 0.0,
        }
    }
}

impl Households {
    /// Number of households.
    pub fn len(&self) -> usize {
        self.weight.len()
    }

    /// True when there are no households.
    pub fn is_empty(&self) -> bool {
        self.weight.is_empty()
    }

    /// One household's own fields as a record.
    pub fn record(&self, h: usize) -> HouseholdRecord {
        HouseholdRecord {
            weight: self.weight[h],
            residence: self.residence[h],
            tier: self.tier[h],
            flags: self.flags[h],
            land_mu: self.land_mu[h],
            grassland_mu: self.grassland_mu[h],
            land_rented_out_mu: self.land_rented_out_mu[h],
            rigid_expenses: self.rigid_expenses[h],
            remittances: self.remittances[h],
            other_transfers: self.other_transfers[h],
            poverty_project_income: self.poverty_project_income[h],
        }
    }

    /// Reserves room for `n` more households in every column.
    pub fn reserve(&mut self, n: usize) {
        self.id.reserve(n);
        self.weight.reserve(n);
        self.first_person.reserve(n);
        self.size.reserve(n);
        self.residence.reserve(n);
        self.tier.reserve(n);
        self.flags.reserve(n);
        self.land_mu.reserve(n);
        self.grassland_mu.reserve(n);
        self.land_rented_out_mu.reserve(n);
        self.rigid_expenses.reserve(n);
        self.remittances.reserve(n);
        self.other_transfers.reserve(n);
        self.poverty_project_income.reserve(n);
    }

    /// Reserves room for exactly `n` more households in every column.
    pub fn reserve_exact(&mut self, n: usize) {
        self.id.reserve_exact(n);
        self.weight.reserve_exact(n);
        self.first_person.reserve_exact(n);
        self.size.reserve_exact(n);
        self.residence.reserve_exact(n);
        self.tier.reserve_exact(n);
        self.flags.reserve_exact(n);
        self.land_mu.reserve_exact(n);
        self.grassland_mu.reserve_exact(n);
        self.land_rented_out_mu.reserve_exact(n);
        self.rigid_expenses.reserve_exact(n);
        self.remittances.reserve_exact(n);
        self.other_transfers.reserve_exact(n);
        self.poverty_project_income.reserve_exact(n);
    }
}

impl Population {
    /// An empty population whose first household will have global id `first_id`.
    pub fn empty(first_id: u64) -> Self {
        Population { first_id, ..Default::default() }
    }

    /// Number of households.
    pub fn household_count(&self) -> usize {
        self.households.len()
    }

    /// Number of persons.
    pub fn person_count(&self) -> usize {
        self.persons.len()
    }

    /// Global id of household `h`.
    #[inline]
    pub fn household_id(&self, h: usize) -> u64 {
        self.households.id.get(h)
    }

    /// The persons of household `h`, as a range of person indices.
    #[inline]
    pub fn members(&self, h: usize) -> Range<usize> {
        let first = self.households.first_person[h] as usize;
        first..first + self.households.size[h] as usize
    }

    /// Appends a household and its members. Returns the new household's index.
    ///
    /// # Panics
    /// Never for valid input: a household of more than 255 members is rejected by the
    /// callers that build households (generator, microdata loader) before it gets here;
    /// here the size saturates at 255.
    pub fn push_household(&mut self, household: &HouseholdRecord, members: &[PersonRecord]) -> usize {
        let id = self.first_id + self.households.len() as u64;
        self.push_household_with_id(id, household, members)
    }

    /// Appends a household with an explicit global id (a household formed by the
    /// dynamics, or one carried over from a previous year). Returns its index.
    pub fn push_household_with_id(&mut self, id: u64, household: &HouseholdRecord, members: &[PersonRecord]) -> usize {
        let h = self.households.len();
        let first = self.persons.len() as u32;
        let hh = &mut self.households;
        hh.id.push(id);
        hh.weight.push(household.weight);
        hh.first_person.push(first);
        hh.size.push(members.len().min(u8::MAX as usize) as u8);
        hh.residence.push(household.residence);
        hh.tier.push(household.tier);
        hh.flags.push(household.flags);
        hh.land_mu.push(household.land_mu);
        hh.grassland_mu.push(household.grassland_mu);
        hh.land_rented_out_mu.push(household.land_rented_out_mu);
        hh.rigid_expenses.push(household.rigid_expenses);
        hh.remittances.push(household.remittances);
        hh.other_transfers.push(household.other_transfers);
        hh.poverty_project_income.push(household.poverty_project_income);
        for m in members.iter().take(u8::MAX as usize) {
            self.persons.push(m);
        }
        h
    }

    /// Appends every household of `other` (a later chunk) to this population.
    pub fn append(&mut self, other: Population) {
        let offset = self.persons.len() as u32;
        let Population { persons, households, .. } = other;
        let p = &mut self.persons;
        p.age.extend(persons.age);
        p.sex.extend(persons.sex);
        p.attributes.extend(persons.attributes);
        p.able_to_work.extend(persons.able_to_work);
        p.employment.extend(persons.employment);
        p.months_in_job.extend(persons.months_in_job);
        p.flags.extend(persons.flags);
        p.wage.extend(persons.wage);
        p.operating.extend(persons.operating);
        p.property.extend(persons.property);
        p.retiree_pension.extend(persons.retiree_pension);
        p.wage_persistent.extend(persons.wage_persistent);
        p.wage_transitory.extend(persons.wage_transitory);
        let h = &mut self.households;
        h.id.extend(households.id);
        h.weight.extend(households.weight);
        h.first_person.extend(households.first_person.iter().map(|f| f + offset));
        h.size.extend(households.size);
        h.residence.extend(households.residence);
        h.tier.extend(households.tier);
        h.flags.extend(households.flags);
        h.land_mu.extend(households.land_mu);
        h.grassland_mu.extend(households.grassland_mu);
        h.land_rented_out_mu.extend(households.land_rented_out_mu);
        h.rigid_expenses.extend(households.rigid_expenses);
        h.remittances.extend(households.remittances);
        h.other_transfers.extend(households.other_transfers);
        h.poverty_project_income.extend(households.poverty_project_income);
    }

    /// Checks the structural invariants every population must keep, and returns the
    /// first one broken: every column of the same length; household `h`'s members
    /// start where household `h - 1`'s end and the last ends at the person count;
    /// every size at least 1; household ids distinct; weights finite and positive;
    /// money finite and wages, property income and pensions not negative.
    ///
    /// # Errors
    /// A description of the first broken invariant.
    pub fn check_invariants(&self) -> std::result::Result<(), String> {
        let p = &self.persons;
        let n = p.len();
        let person_lens = [
            p.sex.len(),
            p.attributes.len(),
            p.able_to_work.len(),
            p.employment.len(),
            p.months_in_job.len(),
            p.flags.len(),
            p.wage.len(),
            p.operating.len(),
            p.property.len(),
            p.retiree_pension.len(),
            p.wage_persistent.len(),
            p.wage_transitory.len(),
        ];
        if person_lens.iter().any(|&l| l != n) {
            return Err(format!("person columns of unequal length: {n} ages, others {person_lens:?}"));
        }
        let h = &self.households;
        let m = h.len();
        let household_lens = [
            h.id.len(),
            h.first_person.len(),
            h.size.len(),
            h.residence.len(),
            h.tier.len(),
            h.flags.len(),
            h.land_mu.len(),
            h.grassland_mu.len(),
            h.land_rented_out_mu.len(),
            h.rigid_expenses.len(),
            h.remittances.len(),
            h.other_transfers.len(),
            h.poverty_project_income.len(),
        ];
        if household_lens.iter().any(|&l| l != m) {
            return Err(format!("household columns of unequal length: {m} weights, others {household_lens:?}"));
        }
        let mut next = 0usize;
        for k in 0..m {
            if h.first_person[k] as usize != next {
                return Err(format!("household {k}: first person {} where {next} was expected", h.first_person[k]));
            }
            if h.size[k] == 0 {
                return Err(format!("household {k} (id {}) has no members", h.id.get(k)));
            }
            if !(h.weight[k].is_finite() && h.weight[k] > 0.0) {
                return Err(format!("household {k}: weight {}", h.weight[k]));
            }
            for (name, v) in [
                ("remittances", h.remittances[k]),
                ("other_transfers", h.other_transfers[k]),
                ("rigid_expenses", h.rigid_expenses[k]),
                ("land_mu", h.land_mu[k]),
            ] {
                if !v.is_finite() || v < 0.0 {
                    return Err(format!("household {k}: {name} = {v}"));
                }
            }
            next += h.size[k] as usize;
        }
        if next != n {
            return Err(format!("households hold {next} persons but there are {n}"));
        }
        let mut ids = h.id.to_vec();
        ids.sort_unstable();
        if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
            return Err(format!("household id {} appears twice", w[0]));
        }
        for i in 0..n {
            for (name, v, may_be_negative) in [
                ("wage", p.wage[i], false),
                ("operating", p.operating[i], true),
                ("property", p.property[i], false),
                ("retiree_pension", p.retiree_pension[i], false),
            ] {
                if !v.is_finite() || (!may_be_negative && v < 0.0) {
                    return Err(format!("person {i}: {name} = {v}"));
                }
            }
            if p.months_in_job[i] > 12 {
                return Err(format!("person {i}: {} months in job", p.months_in_job[i]));
            }
        }
        Ok(())
    }

    /// Keeps the persons with `keep[i]` true, in order, and drops households left
    /// without members; the other households keep their ids and order.
    ///
    /// # Panics
    /// If `keep` is not one entry per person.
    pub fn retain_persons(&mut self, keep: &[bool]) {
        assert_eq!(keep.len(), self.person_count(), "one keep flag per person");
        let mut out = Population::empty(self.first_id);
        out.persons.reserve(self.person_count());
        out.households.reserve(self.household_count());
        let mut members = Vec::new();
        for h in 0..self.household_count() {
            members.clear();
            members.extend(self.members(h).filter(|&i| keep[i]).map(|i| self.persons.record(i)));
            if !members.is_empty() {
                out.push_household_with_id(self.household_id(h), &self.households.record(h), &members);
            }
        }
        *self = out;
    }

    /// Inserts a household immediately after household `after`, with an explicit id;
    /// later households move down one place (their ids do not change). Returns the new
    /// household's index.
    ///
    /// # Panics
    /// If `after` is not a household of this population.
    pub fn insert_household_after(
        &mut self,
        after: usize,
        id: u64,
        household: &HouseholdRecord,
        members: &[PersonRecord],
    ) -> usize {
        assert!(after < self.household_count(), "household {after} does not exist");
        let mut tail = self.split_off(after + 1);
        self.push_household_with_id(id, household, members);
        let first_id = self.first_id;
        self.append(std::mem::take(&mut tail));
        self.first_id = first_id;
        after + 1
    }

    /// Splits the population at household `at`: households `at..` move to the
    /// returned population (ids kept), this one keeps `..at`.
    ///
    /// # Panics
    /// If `at` is beyond the household count.
    pub fn split_off(&mut self, at: usize) -> Population {
        let m = self.household_count();
        assert!(at <= m, "split at {at} beyond {m} households");
        let keep_persons = if at < m { self.households.first_person[at] as usize } else { self.person_count() };
        // Column by column: each tail column is moved out in one copy.
        let p = &mut self.persons;
        let persons = Persons {
            age: p.age.split_off(keep_persons),
            sex: p.sex.split_off(keep_persons),
            attributes: p.attributes.split_off(keep_persons),
            able_to_work: p.able_to_work.split_off(keep_persons),
            employment: p.employment.split_off(keep_persons),
            months_in_job: p.months_in_job.split_off(keep_persons),
            flags: p.flags.split_off(keep_persons),
            wage: p.wage.split_off(keep_persons),
            operating: p.operating.split_off(keep_persons),
            property: p.property.split_off(keep_persons),
            retiree_pension: p.retiree_pension.split_off(keep_persons),
            wage_persistent: p.wage_persistent.split_off(keep_persons),
            wage_transitory: p.wage_transitory.split_off(keep_persons),
        };
        let h = &mut self.households;
        let offset = keep_persons as u32;
        let households = Households {
            id: h.id.split_off(at),
            weight: h.weight.split_off(at),
            first_person: h.first_person.split_off(at).into_iter().map(|f| f - offset).collect(),
            size: h.size.split_off(at),
            residence: h.residence.split_off(at),
            tier: h.tier.split_off(at),
            flags: h.flags.split_off(at),
            land_mu: h.land_mu.split_off(at),
            grassland_mu: h.grassland_mu.split_off(at),
            land_rented_out_mu: h.land_rented_out_mu.split_off(at),
            rigid_expenses: h.rigid_expenses.split_off(at),
            remittances: h.remittances.split_off(at),
            other_transfers: h.other_transfers.split_off(at),
            poverty_project_income: h.poverty_project_income.split_off(at),
        };
        Population { first_id: self.first_id + at as u64, persons, households }
    }

    /// Releases the capacity every column holds beyond its length.
    pub fn shrink_to_fit(&mut self) {
        let p = &mut self.persons;
        p.age.shrink_to_fit();
        p.sex.shrink_to_fit();
        p.attributes.shrink_to_fit();
        p.able_to_work.shrink_to_fit();
        p.employment.shrink_to_fit();
        p.months_in_job.shrink_to_fit();
        p.flags.shrink_to_fit();
        p.wage.shrink_to_fit();
        p.operating.shrink_to_fit();
        p.property.shrink_to_fit();
        p.retiree_pension.shrink_to_fit();
        p.wage_persistent.shrink_to_fit();
        p.wage_transitory.shrink_to_fit();
        let h = &mut self.households;
        h.id.shrink_to_fit();
        h.weight.shrink_to_fit();
        h.first_person.shrink_to_fit();
        h.size.shrink_to_fit();
        h.residence.shrink_to_fit();
        h.tier.shrink_to_fit();
        h.flags.shrink_to_fit();
        h.land_mu.shrink_to_fit();
        h.grassland_mu.shrink_to_fit();
        h.land_rented_out_mu.shrink_to_fit();
        h.rigid_expenses.shrink_to_fit();
        h.remittances.shrink_to_fit();
        h.other_transfers.shrink_to_fit();
        h.poverty_project_income.shrink_to_fit();
    }

    /// Weighted number of persons (grossed up), summed in household order.
    pub fn weighted_persons(&self) -> f64 {
        self.households.weight.iter().zip(&self.households.size).map(|(&w, &s)| w as f64 * s as f64).sum()
    }

    /// Bytes held by the columns (capacity, not length), for memory reports. A person
    /// takes 27 bytes (four money columns of four bytes, two [`LogShock`]s of two, seven
    /// one-byte columns: age, sex, [`PersonAttributes`], able to work, employment,
    /// months in job, flags); a household 45 (id, weight and first person, four bytes
    /// each; size, residence and tier, one; flags, two; seven amounts of four) plus
    /// eight for an id kept in the side list of [`HouseholdIds`]. A generated
    /// Liupanshui population (2.9 persons per household) holds about 124 bytes per
    /// household. The year's [`Accounts`](super::Accounts) (40 bytes per household,
    /// plus four per person for the contributions the tax rule deducts) and lever
    /// columns (eight bytes per household per lever) live beside it.
    pub fn heap_bytes(&self) -> usize {
        let p = &self.persons;
        let h = &self.households;
        p.age.capacity()
            + p.sex.capacity()
            + p.attributes.capacity()
            + p.able_to_work.capacity()
            + p.employment.capacity()
            + p.months_in_job.capacity()
            + p.flags.capacity()
            + 4 * (p.wage.capacity() + p.operating.capacity() + p.property.capacity() + p.retiree_pension.capacity())
            + 2 * (p.wage_persistent.capacity() + p.wage_transitory.capacity())
            + h.id.heap_bytes()
            + 4 * (h.weight.capacity() + h.first_person.capacity())
            + h.size.capacity()
            + h.residence.capacity()
            + h.tier.capacity()
            + 2 * h.flags.capacity()
            + 4 * (h.land_mu.capacity()
                + h.grassland_mu.capacity()
                + h.land_rented_out_mu.capacity()
                + h.rigid_expenses.capacity()
                + h.remittances.capacity()
                + h.other_transfers.capacity()
                + h.poverty_project_income.capacity())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_shocks_round_to_the_nearest_step_and_keep_rounded_values() {
        assert_eq!(LogShock::new(0.0).get(), 0.0);
        assert_eq!(LogShock::new(1.0 / 4096.0).get(), 1.0 / 4096.0);
        assert_eq!(LogShock::new(0.4 / 4096.0).get(), 0.0);
        assert_eq!(LogShock::new(0.6 / 4096.0).get(), 1.0 / 4096.0);
        assert_eq!(LogShock::new(-0.6 / 4096.0).get(), -1.0 / 4096.0);
        assert_eq!(LogShock::new(100.0).get(), i16::MAX as f64 / 4096.0);
        assert_eq!(LogShock::new(-100.0).get(), -8.0);
        assert_eq!(LogShock::new(f64::NAN).get(), 0.0);
        for k in 0..2000 {
            let x = (k as f64 - 1000.0) * 0.00731;
            let r = LogShock::round(x);
            assert!((r - x).abs() <= 0.5 / 4096.0 + 1e-15);
            assert_eq!(LogShock::round(r), r);
            assert_eq!(LogShock::round(r as f32 as f64), r);
        }
    }

    #[test]
    fn ids_keep_their_values_through_push_append_and_split() {
        let wide = |k: u64| (1u64 << 62) + k * 7;
        let mut ids = HouseholdIds::default();
        let all: Vec<u64> = (0..40).map(|k| if k % 3 == 0 { wide(k) } else { k }).collect();
        all[..25].iter().for_each(|&id| ids.push(id));
        let mut more = HouseholdIds::default();
        all[25..].iter().for_each(|&id| more.push(id));
        ids.extend(more);
        assert_eq!(ids.to_vec(), all);
        for at in [0, 1, 3, 4, 20, 39, 40] {
            let mut head = ids.clone();
            let tail = head.split_off(at);
            assert_eq!(head.to_vec(), all[..at]);
            assert_eq!(tail.to_vec(), all[at..]);
            head.extend(tail);
            assert_eq!(head.to_vec(), all);
        }
    }
}
