//! Writing back the households whose members changed during a year.
//!
//! Households keep their order; a household formed by a leaver follows its parent.
//! Unchanged households are copied column by column in runs (one slice copy per
//! column per run); changed ones are appended from their records.

use std::ops::Range;

use super::split_id;
use crate::model::{HouseholdFlags, HouseholdRecord, Households, PersonRecord, Persons, Population};

/// A household whose members changed, with its state at the end of the year.
#[derive(Debug)]
struct Changed {
    /// Its index in the population.
    household: usize,
    /// Its own fields.
    record: HouseholdRecord,
    /// Its members, in [`Rebuild::members`].
    members: Range<usize>,
    /// Its leavers, in [`Rebuild::leavers`].
    leavers: Range<usize>,
}

/// The changed households of a chunk, in household order.
#[derive(Debug, Default)]
pub(super) struct Rebuild {
    changed: Vec<Changed>,
    members: Vec<PersonRecord>,
    leavers: Vec<(usize, PersonRecord)>,
}

impl Rebuild {
    /// Records household `household` (added in increasing order) with its members
    /// and leavers at the end of the year.
    pub(super) fn add(
        &mut self,
        household: usize,
        record: HouseholdRecord,
        members: &[PersonRecord],
        leavers: &[(usize, PersonRecord)],
    ) {
        let m = self.members.len();
        self.members.extend_from_slice(members);
        let l = self.leavers.len();
        self.leavers.extend_from_slice(leavers);
        self.changed.push(Changed {
            household,
            record,
            members: m..self.members.len(),
            leavers: l..self.leavers.len(),
        });
    }

    /// True when no household changed.
    pub(super) fn is_empty(&self) -> bool {
        self.changed.is_empty()
    }

    /// Rebuilds `pop` with the changed households in place of their old columns;
    /// leavers form one-person households after their parent, with ids from
    /// [`split_id`] for `year`.
    pub(super) fn apply(&self, pop: &mut Population, year: u16) {
        // Exact sizes, so the columns hold no slack: the changed households' old
        // members and the households left without members go, their records and the
        // leavers' households come.
        let old_members: usize = self.changed.iter().map(|c| pop.households.size[c.household] as usize).sum();
        let emptied = self.changed.iter().filter(|c| c.members.is_empty()).count();
        let mut out = Population::empty(pop.first_id);
        out.persons.reserve_exact(pop.person_count() - old_members + self.members.len() + self.leavers.len());
        out.households.reserve_exact(pop.household_count() - emptied + self.leavers.len());
        let mut next = 0;
        for c in &self.changed {
            copy_households(&mut out, pop, next..c.household);
            let id = pop.household_id(c.household);
            if !c.members.is_empty() {
                out.push_household_with_id(id, &c.record, &self.members[c.members.clone()]);
            }
            for (place, person) in &self.leavers[c.leavers.clone()] {
                let mut flags = HouseholdFlags::default();
                flags.set(HouseholdFlags::COLLECTIVE_MEMBER, c.record.flags.has(HouseholdFlags::COLLECTIVE_MEMBER));
                let new = HouseholdRecord {
                    weight: c.record.weight,
                    residence: c.record.residence,
                    tier: c.record.tier,
                    flags,
                    ..HouseholdRecord::default()
                };
                out.push_household_with_id(split_id(id, year, *place), &new, std::slice::from_ref(person));
            }
            next = c.household + 1;
        }
        copy_households(&mut out, pop, next..pop.household_count());
        *pop = out;
    }
}

/// Appends households `range` of `src`, with their members, to `dst`.
fn copy_households(dst: &mut Population, src: &Population, range: Range<usize>) {
    if range.is_empty() {
        return;
    }
    let first = src.households.first_person[range.start] as usize;
    let end = src.households.first_person[range.end - 1] as usize + src.households.size[range.end - 1] as usize;
    let offset = dst.persons.len() as i64 - first as i64;
    extend_persons(&mut dst.persons, &src.persons, first..end);
    for h in range.clone() {
        dst.households.id.push(src.household_id(h));
    }
    extend_households(&mut dst.households, &src.households, range, offset);
}

/// Appends persons `r` of `src` to `dst`, column by column (every column named, so
/// a new column cannot be missed).
fn extend_persons(dst: &mut Persons, src: &Persons, r: Range<usize>) {
    let Persons {
        age,
        sex,
        attributes,
        able_to_work,
        employment,
        months_in_job,
        flags,
        wage,
        operating,
        property,
        retiree_pension,
        wage_persistent,
        wage_transitory,
    } = src;
    dst.age.extend_from_slice(&age[r.clone()]);
    dst.sex.extend_from_slice(&sex[r.clone()]);
    dst.attributes.extend_from_slice(&attributes[r.clone()]);
    dst.able_to_work.extend_from_slice(&able_to_work[r.clone()]);
    dst.employment.extend_from_slice(&employment[r.clone()]);
    dst.months_in_job.extend_from_slice(&months_in_job[r.clone()]);
    dst.flags.extend_from_slice(&flags[r.clone()]);
    dst.wage.extend_from_slice(&wage[r.clone()]);
    dst.operating.extend_from_slice(&operating[r.clone()]);
    dst.property.extend_from_slice(&property[r.clone()]);
    dst.retiree_pension.extend_from_slice(&retiree_pension[r.clone()]);
    dst.wage_persistent.extend_from_slice(&wage_persistent[r.clone()]);
    dst.wage_transitory.extend_from_slice(&wage_transitory[r]);
}

/// Appends households `r` of `src` to `dst` except their ids, moving their first
/// persons by `offset`.
fn extend_households(dst: &mut Households, src: &Households, r: Range<usize>, offset: i64) {
    let Households {
        id: _,
        weight,
        first_person,
        size,
        residence,
        tier,
        flags,
        land_mu,
        grassland_mu,
        land_rented_out_mu,
        rigid_expenses,
        remittances,
        other_transfers,
        poverty_project_income,
    } = src;
    dst.weight.extend_from_slice(&weight[r.clone()]);
    dst.first_person.extend(first_person[r.clone()].iter().map(|&f| (f as i64 + offset) as u32));
    dst.size.extend_from_slice(&size[r.clone()]);
    dst.residence.extend_from_slice(&residence[r.clone()]);
    dst.tier.extend_from_slice(&tier[r.clone()]);
    dst.flags.extend_from_slice(&flags[r.clone()]);
    dst.land_mu.extend_from_slice(&land_mu[r.clone()]);
    dst.grassland_mu.extend_from_slice(&grassland_mu[r.clone()]);
    dst.land_rented_out_mu.extend_from_slice(&land_rented_out_mu[r.clone()]);
    dst.rigid_expenses.extend_from_slice(&rigid_expenses[r.clone()]);
    dst.remittances.extend_from_slice(&remittances[r.clone()]);
    dst.other_transfers.extend_from_slice(&other_transfers[r.clone()]);
    dst.poverty_project_income.extend_from_slice(&poverty_project_income[r]);
}

#[cfg(test)]
mod tests {
    use crate::dynamics::Dynamics;
    use crate::generate::Generator;
    use crate::model::Population;
    use crate::policy::YearContext;
    use crate::region::Profile;

    #[test]
    fn a_chunk_moves_on_as_its_households_would_alone() {
        let profile = Profile::builtin("liupanshui-2021").expect("profile");
        let generator = Generator::calibrate(&profile, 11).expect("calibrates");
        let n = 3_000;
        let (base, _) = generator.generate_chunk(0, n, n as u64);
        let mut d = Dynamics::from_profile(&profile);
        d.calibrate_fertility(&base);
        let years = [profile.base_year + 1, profile.base_year + 2];
        let ctx = |year: u16| YearContext { year, ..YearContext::base(profile.base_year, 11) };

        let mut whole = base.clone();
        for &y in &years {
            d.advance(&ctx(y), &mut whole);
        }
        whole.check_invariants().expect("invariants hold");
        // Both paths were taken: some households changed members, most did not.
        let kept = (0..whole.household_count())
            .filter(|&h| {
                let id = whole.household_id(h);
                id < n as u64 && whole.households.size[h] == base.households.size[id as usize]
            })
            .count();
        assert!(kept > n / 2 && kept < n - 30, "{kept} of {n} households kept their size");
        assert_ne!(whole.household_count(), base.household_count());

        let mut joined = Population::empty(0);
        for h in 0..base.household_count() {
            let members: Vec<_> = base.members(h).map(|i| base.persons.record(i)).collect();
            let mut one = Population::empty(base.household_id(h));
            one.push_household_with_id(base.household_id(h), &base.households.record(h), &members);
            for &y in &years {
                d.advance(&ctx(y), &mut one);
            }
            joined.append(one);
        }
        assert_eq!(joined, whole);
    }
}
