//! Building a [`Population`] from households and persons keyed by household id,
//! independent of the file format they were read from.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::PathBuf;

use super::problems::Problems;
use crate::error::Result;
use crate::model::{HouseholdRecord, PersonRecord, Population};

/// The largest household a population can hold (its size is one byte).
pub const MAX_MEMBERS: usize = u8::MAX as usize;

/// Collects households, then persons in any order, and groups the persons by
/// household in the households' order.
///
/// This is the format-independent core of the microdata loader: the CSV front end
/// ([`read_csv`](super::read_csv)) parses cells and feeds records here; another front
/// end (e.g. arrays from an `.npz` file) can do the same. Problems go to a shared
/// [`Problems`] collector; rows are numbered as their front end numbers them.
#[derive(Debug)]
pub struct Assembler {
    households_file: PathBuf,
    persons_file: PathBuf,
    ids: HashMap<String, u32>,
    households: Vec<HouseholdRecord>,
    household_rows: Vec<u64>,
    declared_size: Vec<Option<u32>>,
    persons: Vec<PersonRecord>,
    person_household: Vec<u32>,
    counts: Vec<u32>,
}

impl Assembler {
    /// An empty assembler; the file names label problems.
    pub fn new(households_file: PathBuf, persons_file: PathBuf) -> Self {
        Assembler {
            households_file,
            persons_file,
            ids: HashMap::new(),
            households: Vec::new(),
            household_rows: Vec::new(),
            declared_size: Vec::new(),
            persons: Vec::new(),
            person_household: Vec::new(),
            counts: Vec::new(),
        }
    }

    /// Number of households added so far.
    pub fn household_count(&self) -> usize {
        self.households.len()
    }

    /// Adds a household read at `row`. `declared_size`, when the source gives one, is
    /// checked against the number of persons at the end. A duplicated id is a problem
    /// (the first household of that id keeps it).
    pub fn add_household(
        &mut self,
        id: &str,
        row: u64,
        record: HouseholdRecord,
        declared_size: Option<u32>,
        problems: &mut Problems,
    ) {
        let index = self.households.len() as u32;
        match self.ids.entry(id.to_string()) {
            Entry::Occupied(first) => {
                let first_row = self.household_rows[*first.get() as usize];
                problems.push(
                    &self.households_file,
                    row,
                    "household_id",
                    format!("duplicated household_id `{id}` (first at row {first_row})"),
                );
            }
            Entry::Vacant(slot) => {
                slot.insert(index);
                self.households.push(record);
                self.household_rows.push(row);
                self.declared_size.push(declared_size);
                self.counts.push(0);
            }
        }
    }

    /// Whether a household id is known.
    pub fn knows(&self, id: &str) -> bool {
        self.ids.contains_key(id)
    }

    /// Adds a person read at `row` of the persons file. A household id that was not
    /// added is a problem.
    pub fn add_person(&mut self, household_id: &str, row: u64, record: PersonRecord, problems: &mut Problems) {
        match self.ids.get(household_id) {
            Some(&h) => {
                self.persons.push(record);
                self.person_household.push(h);
                self.counts[h as usize] = self.counts[h as usize].saturating_add(1);
            }
            None => problems.push(
                &self.persons_file,
                row,
                "household_id",
                format!("household_id `{household_id}` is not in {}", self.households_file.display()),
            ),
        }
    }

    /// Checks household sizes (no persons, more than [`MAX_MEMBERS`], a declared size
    /// that differs, fewer persons than its single-person dibao units cover) and, when `problems` is empty, builds the population with the
    /// persons of each household in the order they were added.
    pub fn finish(self, first_id: u64, mut problems: Problems) -> Result<Population> {
        for (h, &count) in self.counts.iter().enumerate() {
            let row = self.household_rows[h];
            if count == 0 {
                problems.push(
                    &self.households_file,
                    row,
                    "household_id",
                    format!("household has no persons in {}", self.persons_file.display()),
                );
            } else if count as usize > MAX_MEMBERS {
                problems.push(
                    &self.households_file,
                    row,
                    "household_id",
                    format!("household has {count} persons; at most {MAX_MEMBERS} are allowed"),
                );
            }
            let units = self.households[h].flags.dibao_unit_persons();
            if u32::from(units) > count && count > 0 {
                problems.push(
                    &self.households_file,
                    row,
                    "dibao_unit_persons",
                    format!("is {units} but {} lists {count} person(s)", self.persons_file.display()),
                );
            }
            if let Some(declared) = self.declared_size[h]
                && declared != count
            {
                problems.push(
                    &self.households_file,
                    row,
                    "size",
                    format!("size is {declared} but {} lists {count} person(s)", self.persons_file.display()),
                );
            }
        }
        if let Some(error) = problems.into_error() {
            return Err(error);
        }
        // Stable counting sort of persons by household.
        let mut start = Vec::with_capacity(self.counts.len() + 1);
        let mut total = 0usize;
        for &c in &self.counts {
            start.push(total);
            total += c as usize;
        }
        let mut order = vec![0u32; self.persons.len()];
        let mut next = start.clone();
        for (i, &h) in self.person_household.iter().enumerate() {
            let slot = &mut next[h as usize];
            order[*slot] = i as u32;
            *slot += 1;
        }
        let mut pop = Population::empty(first_id);
        pop.households.reserve(self.households.len());
        pop.persons.reserve(self.persons.len());
        let mut members = Vec::new();
        for (h, household) in self.households.iter().enumerate() {
            members.clear();
            let from = start[h];
            let to = from + self.counts[h] as usize;
            members.extend(order[from..to].iter().map(|&i| self.persons[i as usize]));
            pop.push_household(household, &members);
        }
        Ok(pop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(age: u8) -> PersonRecord {
        PersonRecord { age, ..PersonRecord::default() }
    }

    #[test]
    fn groups_persons_in_household_order() {
        let mut problems = Problems::new(10);
        let mut a = Assembler::new("h".into(), "p".into());
        a.add_household("x", 2, HouseholdRecord::default(), None, &mut problems);
        a.add_household("y", 3, HouseholdRecord { tier: 1, ..HouseholdRecord::default() }, Some(2), &mut problems);
        for (id, age) in [("y", 1), ("x", 2), ("y", 3), ("x", 4), ("x", 5)] {
            a.add_person(id, 0, person(age), &mut problems);
        }
        let pop = a.finish(7, problems).unwrap();
        assert_eq!(pop.first_id, 7);
        assert_eq!(pop.households.size, vec![3, 2]);
        assert_eq!(pop.households.tier, vec![0, 1]);
        assert_eq!(pop.persons.age, vec![2, 4, 5, 1, 3]);
    }

    #[test]
    fn reports_duplicates_unknown_ids_and_empty_households() {
        let mut problems = Problems::new(10);
        let mut a = Assembler::new("h".into(), "p".into());
        a.add_household("x", 2, HouseholdRecord::default(), None, &mut problems);
        a.add_household("x", 3, HouseholdRecord::default(), None, &mut problems);
        a.add_household("z", 4, HouseholdRecord::default(), None, &mut problems);
        a.add_person("x", 2, person(1), &mut problems);
        a.add_person("q", 3, person(1), &mut problems);
        let Err(crate::Error::Microdata { problems }) = a.finish(0, problems) else { panic!("expected problems") };
        let rows: Vec<(u64, &str)> = problems.iter().map(|p| (p.row, p.file.to_str().unwrap_or(""))).collect();
        assert_eq!(rows, vec![(3, "h"), (3, "p"), (4, "h")]);
    }
}
