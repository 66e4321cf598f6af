//! Columns of persons and households.

use std::ops::Range;

use super::attributes::{
    Disability, Education, Employment, HouseholdFlags, Hukou, Occupation, PersonFlags, Residence, Sex,
};

/// Person columns. All vectors have the same length; index = person.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Persons {
    /// Age in completed years at the start of the year (capped at 110).
    pub age: Vec<u8>,
    /// Sex.
    pub sex: Vec<Sex>,
    /// Hukou (registration) type.
    pub hukou: Vec<Hukou>,
    /// Education, a proxy for skill.
    pub education: Vec<Education>,
    /// Able to work (劳动能力): working age and not prevented by disability or illness.
    pub able_to_work: Vec<bool>,
    /// Disability and its grade.
    pub disability: Vec<Disability>,
    /// Main activity this year.
    pub employment: Vec<Employment>,
    /// Months of the year in the current job (12 for a full year; fewer after a
    /// mid-year start; 0 for those without a job).
    pub months_in_job: Vec<u8>,
    /// Occupation group, where a lever needs it.
    pub occupation: Vec<Occupation>,
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
    /// Personal income tax paid, yuan per year (computed by the tax rule).
    pub income_tax: Vec<f32>,
    /// Employee social insurance contributions paid, yuan per year (computed by the
    /// contributions rule).
    pub contributions: Vec<f32>,
}

/// Household columns. All vectors have the same length; index = household.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Households {
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

impl Persons {
    /// Number of persons.
    pub fn len(&self) -> usize {
        self.age.len()
    }

    /// True when there are no persons.
    pub fn is_empty(&self) -> bool {
        self.age.is_empty()
    }

    /// Reserves room for `n` more persons in every column.
    pub fn reserve(&mut self, n: usize) {
        self.age.reserve(n);
        self.sex.reserve(n);
        self.hukou.reserve(n);
        self.education.reserve(n);
        self.able_to_work.reserve(n);
        self.disability.reserve(n);
        self.employment.reserve(n);
        self.months_in_job.reserve(n);
        self.occupation.reserve(n);
        self.flags.reserve(n);
        self.wage.reserve(n);
        self.operating.reserve(n);
        self.property.reserve(n);
        self.retiree_pension.reserve(n);
        self.income_tax.reserve(n);
        self.contributions.reserve(n);
    }

    /// Appends one person.
    pub fn push(&mut self, p: &PersonRecord) {
        self.age.push(p.age);
        self.sex.push(p.sex);
        self.hukou.push(p.hukou);
        self.education.push(p.education);
        self.able_to_work.push(p.able_to_work);
        self.disability.push(p.disability);
        self.employment.push(p.employment);
        self.months_in_job.push(p.months_in_job);
        self.occupation.push(p.occupation);
        self.flags.push(p.flags);
        self.wage.push(p.wage);
        self.operating.push(p.operating);
        self.property.push(p.property);
        self.retiree_pension.push(p.retiree_pension);
        self.income_tax.push(p.income_tax);
        self.contributions.push(p.contributions);
    }

    /// One person as a record (for tests, export and hand checks).
    pub fn record(&self, i: usize) -> PersonRecord {
        PersonRecord {
            age: self.age[i],
            sex: self.sex[i],
            hukou: self.hukou[i],
            education: self.education[i],
            able_to_work: self.able_to_work[i],
            disability: self.disability[i],
            employment: self.employment[i],
            months_in_job: self.months_in_job[i],
            occupation: self.occupation[i],
            flags: self.flags[i],
            wage: self.wage[i],
            operating: self.operating[i],
            property: self.property[i],
            retiree_pension: self.retiree_pension[i],
            income_tax: self.income_tax[i],
            contributions: self.contributions[i],
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
    /// Income tax paid, yuan per year.
    pub income_tax: f32,
    /// Contributions paid, yuan per year.
    pub contributions: f32,
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
        self.first_id + h as u64
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
        let h = self.households.len();
        let first = self.persons.len() as u32;
        let hh = &mut self.households;
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
        p.hukou.extend(persons.hukou);
        p.education.extend(persons.education);
        p.able_to_work.extend(persons.able_to_work);
        p.disability.extend(persons.disability);
        p.employment.extend(persons.employment);
        p.months_in_job.extend(persons.months_in_job);
        p.occupation.extend(persons.occupation);
        p.flags.extend(persons.flags);
        p.wage.extend(persons.wage);
        p.operating.extend(persons.operating);
        p.property.extend(persons.property);
        p.retiree_pension.extend(persons.retiree_pension);
        p.income_tax.extend(persons.income_tax);
        p.contributions.extend(persons.contributions);
        let h = &mut self.households;
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

    /// Weighted number of persons (grossed up), summed in household order.
    pub fn weighted_persons(&self) -> f64 {
        self.households.weight.iter().zip(&self.households.size).map(|(&w, &s)| w as f64 * s as f64).sum()
    }

    /// Bytes held by the columns (capacity, not length), for memory reports.
    pub fn heap_bytes(&self) -> usize {
        let p = &self.persons;
        let h = &self.households;
        p.age.capacity()
            + p.sex.capacity()
            + p.hukou.capacity()
            + p.education.capacity()
            + p.able_to_work.capacity()
            + p.disability.capacity()
            + p.employment.capacity()
            + p.months_in_job.capacity()
            + p.occupation.capacity()
            + p.flags.capacity()
            + 4 * (p.wage.capacity()
                + p.operating.capacity()
                + p.property.capacity()
                + p.retiree_pension.capacity()
                + p.income_tax.capacity()
                + p.contributions.capacity())
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
