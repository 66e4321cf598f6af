//! One household's year: the processes of [`Dynamics::advance`] in their order.
//!
//! Steps 1–6 (bookkeeping, mortality and ageing, births, retirement, jobs, incomes)
//! run in place on the population's columns: a death only marks the member, a birth
//! is only counted. Most households end the year with the members they started it
//! with; for them the composition steps (return, migration, leaving home) are only
//! drawn, urbanisation is set in place, and nothing is copied. A household with a
//! death, a birth or a composition event is read into records once and finishes the
//! year on them (steps 7–9), to be written back by [`super::rebuild`].
//!
//! Every draw uses the stream and the member place (the member's index among the
//! living members at that step) of the record-by-record definition in the module
//! documentation of [`crate::dynamics`], so the split changes no result.

use super::rebuild::Rebuild;
use super::{
    CHAIN_STATES, Dynamics, EDUCATION_EARNINGS, FERTILITY_SHAPE, MALE_BIRTH_SHARE, MAX_AGE, SUB_BIRTH, SUB_JOBS,
    SUB_LEAVE, SUB_MIGRATION, SUB_MORTALITY, SUB_OPERATING, SUB_RETIRE, SUB_RETURN, SUB_URBAN, SUB_WAGES, Streams,
    Year, works_off_farm,
};
use crate::generate::rounding::{floor, round};
use crate::model::{
    Disability, Education, Employment, HouseholdFlags, HouseholdRecord, Hukou, LogShock, PersonFlags, PersonRecord,
    Persons, Population, Residence, Sex, annualised,
};
use crate::region::SCHOOL_LEAVING_AGE;

/// Scratch space reused across the households of a chunk.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    /// Whether each member (by place at the start of the year) died.
    dead: Vec<bool>,
    /// The members of a household finishing its year on records.
    members: Vec<PersonRecord>,
    /// Members leaving to form a household: (place when leaving, person).
    leavers: Vec<(usize, PersonRecord)>,
}

/// The living members of a household, in order: person indices.
fn living(first: usize, dead: &[bool]) -> impl Iterator<Item = usize> + '_ {
    dead.iter().enumerate().filter(|(_, d)| !**d).map(move |(k, _)| first + k)
}

/// Ends person `i`'s wage: no wage or wage shocks (months are left alone).
fn end_wage(ps: &mut Persons, i: usize) {
    ps.wage[i] = 0.0;
    ps.wage_persistent[i] = LogShock::default();
    ps.wage_transitory[i] = LogShock::default();
}

/// Ends person `i`'s job: no wage, months or wage shocks.
fn clear_job(ps: &mut Persons, i: usize) {
    end_wage(ps, i);
    ps.months_in_job[i] = 0;
}

/// The months (0–11) a person leaving paid work this year worked in it before leaving,
/// drawn uniformly: a month's pay is earned by the end of that month.
fn months_before_leaving(rng: &mut crate::random::StreamRng) -> u8 {
    floor(rng.uniform() * 12.0).min(11.0) as u8
}

/// Person `i` of a household of residence `r` leaves their paid work after `worked`
/// months (0–11) of the year: they keep the pay of those months at the work's
/// full-year rate, grown by the year's growth of its kind (no shock), in the work's
/// column (a wage earner's sideline operating income stays), with no wage shocks and
/// `worked` months ([`Persons::left_paid_work`]). The caller sets the activity that
/// follows (and its pay, added to the kept pay).
fn leave_work(y: &Year, r: usize, ps: &mut Persons, i: usize, worked: u8) {
    let employment = ps.employment[i];
    let share = worked as f64 / 12.0;
    let months = ps.months_in_job[i];
    let mut wage = 0.0;
    if employment.earns_wage() {
        let g = if employment == Employment::MigrantShortTerm { y.wage_growth[2] } else { y.wage_growth[r] };
        wage = round(annualised(ps.wage[i], months) as f64 * (1.0 + g) * share).max(0.0) as f32;
    }
    if employment.earns_operating() {
        let g = y.operating_growth[r];
        ps.operating[i] = round(annualised(ps.operating[i], months) as f64 * (1.0 + g) * share) as f32;
    }
    clear_job(ps, i);
    ps.wage[i] = wage;
    ps.months_in_job[i] = worked;
}

/// Whether a person of this activity, months and wage at the start of the year left
/// paid work during last year ([`end_work_left_last_year`]).
#[inline(always)]
fn left_work_last_year(employment: Employment, months: u8, wage: f32) -> bool {
    if employment.is_working() { wage != 0.0 && !employment.earns_wage() } else { months > 0 || wage != 0.0 }
}

/// The start of the year for person `i`: the pay kept last year of work they left
/// ([`leave_work`]) ends. A person out of paid work has no wage (one with months in a
/// job left during last year and no wage left own-account work: its operating
/// income ends too); a person in own-account work with a wage left a wage job for it.
#[cold]
fn end_work_left_last_year(ps: &mut Persons, i: usize) {
    let employment = ps.employment[i];
    if !employment.is_working() {
        if ps.months_in_job[i] > 0 && ps.wage[i] == 0.0 {
            ps.operating[i] = 0.0;
        }
        clear_job(ps, i);
    } else if !employment.earns_wage() && ps.wage[i] != 0.0 {
        end_wage(ps, i);
    }
}

impl Dynamics {
    /// Moves household `h` of `pop` one year on. Its columns are updated in place; if
    /// its members change, the household is handed to `rebuild` instead (its columns
    /// are then left as they are, to be replaced).
    pub(super) fn step_household(
        &self,
        y: &Year,
        streams: &Streams,
        pop: &mut Population,
        h: usize,
        scratch: &mut Scratch,
        rebuild: &mut Rebuild,
    ) {
        let range = pop.members(h);
        let first = range.start;
        let n = range.len();
        let hs = &mut pop.households;
        let ps = &mut pop.persons;

        // 1. Bookkeeping.
        let f = hs.flags[h];
        hs.flags[h].set(HouseholdFlags::DIBAO_LAST_YEAR, f.has(HouseholdFlags::DIBAO));
        hs.flags[h].set(HouseholdFlags::EXTREME_POVERTY_LAST_YEAR, f.has(HouseholdFlags::EXTREME_POVERTY_SUPPORT));
        for flags in &mut ps.flags[range.clone()] {
            flags.set(PersonFlags::NEW_JOB_THIS_YEAR, false);
        }
        let (employment, months, wage) =
            (&ps.employment[range.clone()], &ps.months_in_job[range.clone()], &ps.wage[range.clone()]);
        if employment.iter().zip(months).zip(wage).any(|((&e, &m), &w)| left_work_last_year(e, m, w)) {
            for i in range.clone() {
                end_work_left_last_year(ps, i);
            }
        }

        // 2. Mortality (deaths are marked) and ageing.
        let dead = &mut scratch.dead;
        dead.clear();
        dead.resize(n, false);
        let mut deaths = 0usize;
        if y.mortality_scale > 0.0 {
            for (place, i) in range.clone().enumerate() {
                let q = y.death_probability[ps.sex[i] as usize][(ps.age[i] as usize).min(MAX_AGE)];
                if streams.rng(SUB_MORTALITY, place).bernoulli(q) {
                    dead[place] = true;
                    deaths += 1;
                }
            }
        }
        for age in &mut ps.age[range.clone()] {
            *age = age.saturating_add(1).min(MAX_AGE as u8);
        }

        // 3. Births (counted; the babies join after step 6, which leaves them as born).
        let mut babies = 0usize;
        let mut baby_hukou = Hukou::Rural;
        if y.birth_factor > 0.0 {
            for (place, i) in living(first, dead).enumerate() {
                let age = ps.age[i];
                if ps.sex[i] == Sex::Female && (20..=44).contains(&age) {
                    let prob = (y.birth_factor * FERTILITY_SHAPE[age as usize - 20]).min(1.0);
                    if streams.rng(SUB_BIRTH, place).bernoulli(prob) {
                        babies += 1;
                        baby_hukou = ps.hukou(i);
                    }
                }
            }
        }

        // 4. Retirement.
        let residence = hs.residence[h];
        for (place, i) in living(first, dead).enumerate() {
            let e = ps.employment[i];
            if !e.retires_at_statutory_age(residence) {
                continue;
            }
            let p = y.retirement.get(ps.sex[i], e, ps.age[i]);
            if p <= 0.0 {
                continue;
            }
            // An employee whose job pays below the informal-wage line has no
            // contributions to draw a pension on, and keeps working.
            let full_year = ps.full_year_wage(i);
            if !e.covered_by_employer_pension(residence, full_year, y.informal_wage_line) {
                continue;
            }
            if p >= 1.0 || streams.rng(SUB_RETIRE, place).bernoulli(p) {
                ps.retiree_pension[i] += (y.replacement_rate[residence.index()] * full_year) as f32;
                ps.employment[i] = Employment::Retired;
                clear_job(ps, i);
            }
        }

        // 5. Employment transitions.
        let r = residence.index();
        for (place, i) in living(first, dead).enumerate() {
            let age = ps.age[i];
            if age == 16 {
                ps.able_to_work[i] = ps.disability(i) != Disability::Severe;
            } else if age == 65 {
                ps.able_to_work[i] = false;
            }
            let employment = ps.employment[i];
            if age == 6 && employment == Employment::NotInLabourForce {
                ps.employment[i] = Employment::Student;
                continue;
            }
            if age >= 60 {
                if employment.retires_at_statutory_age(residence)
                    && employment.covered_by_employer_pension(residence, ps.full_year_wage(i), y.informal_wage_line)
                {
                    // Covered employees past 60 are waiting for their statutory age
                    // (step 4), not leaving work without a pension.
                    continue;
                }
                if employment == Employment::Unemployed {
                    ps.employment[i] = Employment::NotInLabourForce;
                } else if employment.is_working() && employment != Employment::PublicWelfarePost {
                    let mut rng = streams.rng(SUB_JOBS, place);
                    if rng.bernoulli(self.old_age_exit_rate) {
                        leave_work(y, r, ps, i, months_before_leaving(&mut rng));
                        ps.employment[i] = Employment::NotInLabourForce;
                    }
                }
                continue;
            }
            if age < 16 {
                continue;
            }
            if ps.disability(i) == Disability::Severe {
                // Outside the chain, but school ends for everyone.
                if employment == Employment::Student && age >= SCHOOL_LEAVING_AGE {
                    ps.employment[i] = Employment::NotInLabourForce;
                }
                continue;
            }
            let exit_rate = if employment == Employment::Student {
                if age >= SCHOOL_LEAVING_AGE { 1.0 } else { self.school_leaving_rate[r] }
            } else {
                match CHAIN_STATES.iter().position(|&e| e == employment) {
                    Some(k) => y.exit_rates[k],
                    None => continue,
                }
            };
            let mut rng = streams.rng(SUB_JOBS, place);
            if !(exit_rate >= 1.0 || rng.bernoulli(exit_rate)) {
                continue;
            }
            // Paid work is left after a drawn number of months, and new work starts
            // the month after; from outside paid work a new job starts in a drawn month.
            let start =
                if employment.is_working() { Start::After(months_before_leaving(&mut rng)) } else { Start::Drawn };
            let next = self.take_up_activity(y, r, ps.education(i), start, &mut rng);
            if next.employment == employment {
                continue;
            }
            // Out of paid work (from the Drawn start) a person has no wage (step 1).
            if let Start::After(worked) = start {
                leave_work(y, r, ps, i, worked);
            }
            ps.employment[i] = next.employment;
            if next.employment.is_working() {
                ps.flags[i].set(PersonFlags::NEW_JOB_THIS_YEAR, true);
                ps.months_in_job[i] = next.months_in_job;
                if next.employment.earns_operating() {
                    // Own-account work after own-account work: one year's income, its
                    // rate next year; after a wage job the wage is ended next year.
                    if employment.earns_operating() {
                        ps.operating[i] += next.operating;
                        ps.months_in_job[i] = 12;
                    } else {
                        ps.operating[i] = next.operating;
                    }
                } else {
                    // A wage job after a wage job: next year's rate is the new job's
                    // (`add_new_job_wage`); after own-account work its income of the
                    // months before stays, as a sideline (as a lever's hire leaves it:
                    // `leave_farm`).
                    ps.add_new_job_wage(i, next.wage);
                }
            }
        }

        // 6. Incomes.
        let rho = y.wage_rho;
        let (sp, st) = (y.wage_sigma_persistent, y.wage_sigma_transitory);
        for (place, i) in living(first, dead).enumerate() {
            // New work's pay and the pay kept of work left were set in step 5.
            let new_job = ps.flags[i].has(PersonFlags::NEW_JOB_THIS_YEAR);
            if new_job || ps.left_paid_work(i) {
                if ps.property[i] > 0.0 {
                    ps.property[i] = round(ps.property[i] as f64 * (1.0 + y.property_growth[r])).max(0.0) as f32;
                }
                continue;
            }
            let employment = ps.employment[i];
            if employment.earns_wage() && employment != Employment::PublicWelfarePost && ps.wage[i] > 0.0 {
                let mut rng = streams.rng(SUB_WAGES, place);
                let g = if employment == Employment::MigrantShortTerm { y.wage_growth[2] } else { y.wage_growth[r] };
                let (old_persistent, old_transitory) = (ps.wage_persistent[i].get(), ps.wage_transitory[i].get());
                // Rounded as the population stores them, so next year removes exactly
                // what this year used.
                let persistent = LogShock::new(rho * old_persistent + sp * rng.normal());
                let transitory = LogShock::new(st * rng.normal() - 0.5 * st * st);
                let log_change =
                    (persistent.get() - old_persistent) - 0.5 * sp * sp + transitory.get() - old_transitory;
                let wage = annualised(ps.wage[i], ps.months_in_job[i]) as f64 * (1.0 + g) * log_change.exp();
                ps.wage[i] = round(wage).max(0.0) as f32;
                ps.months_in_job[i] = 12;
                ps.wage_persistent[i] = persistent;
                ps.wage_transitory[i] = transitory;
            }
            if ps.operating[i] != 0.0 {
                let shock = streams.rng(SUB_OPERATING, place).mean_one_lognormal(y.operating_sigma);
                // Own-account work is the activity (not a wage earner's sideline): its
                // months are the work's, and a part year grows from its full-year rate.
                let own_account = employment.earns_operating();
                let full_year =
                    if own_account { annualised(ps.operating[i], ps.months_in_job[i]) } else { ps.operating[i] };
                ps.operating[i] = round(full_year as f64 * (1.0 + y.operating_growth[r]) * shock) as f32;
                if own_account {
                    ps.months_in_job[i] = 12;
                }
            }
            if ps.property[i] > 0.0 {
                ps.property[i] = round(ps.property[i] as f64 * (1.0 + y.property_growth[r])).max(0.0) as f32;
            }
        }
        hs.remittances[h] = round(hs.remittances[h] as f64 * (1.0 + y.wage_growth[2])).max(0.0) as f32;
        // Other private transfers (gifts, support from relatives) grow with the wages of
        // the residence that pays them (assumption, stated in `assumptions`).
        hs.other_transfers[h] = round(hs.other_transfers[h] as f64 * (1.0 + y.wage_growth[r])).max(0.0) as f32;
        // Rigid (medical, schooling) expenses likewise rise with the residence's wages
        // (assumption, stated in `assumptions`): a fixed amount would shrink beside the
        // incomes and thresholds it is set against.
        if hs.rigid_expenses[h] > 0.0 {
            hs.rigid_expenses[h] = round(hs.rigid_expenses[h] as f64 * (1.0 + y.wage_growth[r])).max(0.0) as f32;
        }

        // Steps 7-9 in place when the members stay the same.
        if deaths == 0 && babies == 0 && !self.composition_changes(y, streams, pop, h) {
            if pop.households.residence[h] == Residence::Rural
                && y.urbanise > 0.0
                && (y.urbanise_any
                    || pop.members(h).any(|i| works_off_farm(pop.persons.employment[i], pop.persons.age[i])))
                && streams.rng(SUB_URBAN, 0).bernoulli(y.urbanise)
            {
                pop.households.residence[h] = Residence::Urban;
                for i in pop.members(h) {
                    if takes_urban_pay(pop.persons.employment[i]) {
                        pop.persons.wage[i] = round(pop.persons.wage[i] as f64 * y.urbanised_wage_factor) as f32;
                    }
                }
            }
            return;
        }

        // Otherwise the household finishes the year on records.
        let m = &mut scratch.members;
        m.clear();
        m.extend(living(first, &scratch.dead).map(|i| pop.persons.record(i)));
        for b in 0..babies {
            if m.len() >= u8::MAX as usize {
                break;
            }
            let mut rng = streams.rng(SUB_BIRTH | 0x8000, b);
            let sex = if rng.bernoulli(MALE_BIRTH_SHARE) { Sex::Male } else { Sex::Female };
            m.push(PersonRecord {
                age: 0,
                sex,
                hukou: baby_hukou,
                education: Education::PrimaryOrLess,
                able_to_work: false,
                employment: Employment::NotInLabourForce,
                ..PersonRecord::default()
            });
        }
        let mut hh = pop.households.record(h);
        scratch.leavers.clear();
        self.finish_on_records(y, streams, &mut hh, m, &mut scratch.leavers);
        rebuild.add(h, hh, m, &scratch.leavers);
    }

    /// Whether a household whose members neither died nor gave birth this year sees
    /// a return, a departure or a member leaving home (the draws of steps 7 and 9,
    /// without acting on them).
    fn composition_changes(&self, y: &Year, streams: &Streams, pop: &Population, h: usize) -> bool {
        let range = pop.members(h);
        let n = range.len();
        let (hs, ps) = (&pop.households, &pop.persons);
        if hs.residence[h] == Residence::Rural {
            if hs.remittances[h] > 0.0
                && y.returns > 0.0
                && n > 0
                && n < u8::MAX as usize
                && streams.rng(SUB_RETURN, 0).bernoulli(y.returns)
            {
                return true;
            }
            if y.migration > 0.0 && n >= 2 {
                for (place, i) in range.clone().enumerate() {
                    if may_migrate(ps.age[i], ps.able_to_work[i], ps.employment[i])
                        && streams.rng(SUB_MIGRATION, place).bernoulli(y.migration)
                    {
                        return true;
                    }
                }
            }
        }
        if y.leave_home > 0.0 && n >= 2 {
            for (place, i) in range.enumerate().skip(1) {
                if self.may_leave_home(ps.age[i], ps.employment[i])
                    && streams.rng(SUB_LEAVE, place).bernoulli(y.leave_home)
                {
                    return true;
                }
            }
        }
        false
    }

    /// Whether a non-head member of this age and activity may leave home (step 9): of
    /// an age in [`Dynamics::leave_home_ages`] and in paid work. The draw's fast path
    /// and the records path both ask this.
    #[inline]
    fn may_leave_home(&self, age: u8, employment: Employment) -> bool {
        let (lo, hi) = self.leave_home_ages;
        (lo..=hi).contains(&age) && employment.is_working()
    }

    /// The activity a person taking one up this year (leaving another, leaving school,
    /// returning from migrant work) draws from the chain's destinations of residence
    /// `r`, with a new job's months and pay when it is work: it starts in a uniformly
    /// drawn month, pays the year's entry wage of the residence times relative earnings
    /// by education and a log-normal spread (1.2 times in the public sector; the migrant
    /// wage for a short-term migrant job), or the entry operating income for own-account
    /// work, for the months worked.
    fn take_up_activity(
        &self,
        y: &Year,
        r: usize,
        education: Education,
        start: Start,
        rng: &mut crate::random::StreamRng,
    ) -> NewActivity {
        let employment = CHAIN_STATES[rng.categorical(&y.dest[r])];
        if !employment.is_working() {
            return NewActivity { employment, months_in_job: 0, wage: 0.0, operating: 0.0 };
        }
        let months = match start {
            Start::Drawn => 12 - floor(rng.uniform() * 12.0).min(11.0) as u8,
            Start::After(worked) => 12 - worked.min(11),
        };
        let edu = EDUCATION_EARNINGS[education as usize] / 1.3;
        let spread = (self.new_job_sigma * rng.normal() - 0.5 * self.new_job_sigma.powi(2)).exp();
        let share = months as f64 / 12.0;
        let (mut wage, mut operating) = (0.0, 0.0);
        match employment {
            Employment::FarmerHerder | Employment::SelfEmployed => {
                operating = round(y.business_level[r] * spread * share) as f32;
            }
            Employment::MigrantShortTerm => {
                wage = round(y.short_term_migrant_level[r] * edu * spread * share).max(0.0) as f32;
            }
            _ => {
                let sector = if employment == Employment::PublicSector { 1.2 } else { 1.0 };
                wage = round(y.wage_level[r] * sector * edu * spread * share).max(0.0) as f32;
            }
        }
        NewActivity { employment, months_in_job: months, wage, operating }
    }

    /// Steps 7–9 on the records of a household whose members change: return and
    /// migration, urbanisation, leaving home (leavers are collected with their place).
    fn finish_on_records(
        &self,
        y: &Year,
        streams: &Streams,
        hh: &mut HouseholdRecord,
        m: &mut Vec<PersonRecord>,
        leavers: &mut Vec<(usize, PersonRecord)>,
    ) {
        // 7. Migration (rural households only).
        if hh.residence == Residence::Rural {
            let per_migrant = self.remittance_share * y.migrant_annual;
            if hh.remittances > 0.0 && y.returns > 0.0 && !m.is_empty() {
                let mut rng = streams.rng(SUB_RETURN, 0);
                if rng.bernoulli(y.returns) && m.len() < u8::MAX as usize {
                    let age = 25 + (rng.uniform() * 26.0).floor().min(25.0) as u8;
                    let sex = if rng.bernoulli(0.65) { Sex::Male } else { Sex::Female };
                    let education = Education::JuniorSecondary;
                    let activity =
                        self.take_up_activity(y, Residence::Rural.index(), education, Start::Drawn, &mut rng);
                    let mut flags = PersonFlags::default();
                    flags.set(PersonFlags::NEW_JOB_THIS_YEAR, activity.employment.is_working());
                    m.push(PersonRecord {
                        age,
                        sex,
                        hukou: Hukou::Rural,
                        education,
                        able_to_work: true,
                        employment: activity.employment,
                        months_in_job: activity.months_in_job,
                        flags,
                        wage: activity.wage,
                        operating: activity.operating,
                        ..PersonRecord::default()
                    });
                    hh.remittances = round((hh.remittances as f64 - per_migrant).max(0.0)) as f32;
                }
            }
            if y.migration > 0.0 {
                let mut place = 0usize;
                let mut left = 0usize;
                let n = m.len();
                m.retain(|p| {
                    let eligible = n - left >= 2 && may_migrate(p.age, p.able_to_work, p.employment);
                    let goes = eligible && streams.rng(SUB_MIGRATION, place).bernoulli(y.migration);
                    place += 1;
                    if goes {
                        left += 1;
                    }
                    !goes
                });
                hh.remittances += round(left as f64 * per_migrant) as f32;
            }
        }

        // 8. Urbanisation.
        if hh.residence == Residence::Rural
            && y.urbanise > 0.0
            && (y.urbanise_any || m.iter().any(|p| works_off_farm(p.employment, p.age)))
            && streams.rng(SUB_URBAN, 0).bernoulli(y.urbanise)
        {
            hh.residence = Residence::Urban;
            for p in m.iter_mut().filter(|p| takes_urban_pay(p.employment)) {
                p.wage = round(p.wage as f64 * y.urbanised_wage_factor) as f32;
            }
        }

        // 9. Household formation.
        if y.leave_home > 0.0 && m.len() >= 2 {
            let mut place = 0usize;
            m.retain(|p| {
                let here = place;
                place += 1;
                let goes = here > 0
                    && self.may_leave_home(p.age, p.employment)
                    && streams.rng(SUB_LEAVE, here).bernoulli(y.leave_home);
                if goes {
                    leavers.push((here, *p));
                }
                !goes
            });
        }
    }
}

/// Whether a rural member of this age, ability and activity may leave for migrant work
/// (step 7): aged 16–50, able to work, and not a student, retired or in a public job.
/// The draw's fast path and the records path both ask this.
#[inline]
fn may_migrate(age: u8, able_to_work: bool, employment: Employment) -> bool {
    (16..=50).contains(&age)
        && able_to_work
        && !matches!(
            employment,
            Employment::Student | Employment::Retired | Employment::PublicSector | Employment::PublicWelfarePost
        )
}

/// Whether a member of a household that urbanises is paid at the urban level from
/// then on ([`Dynamics::urbanised_wage_catch_up`]): a local employee or a public-sector
/// worker (a short-term migrant keeps the migrant wage; a public-welfare post its pay).
fn takes_urban_pay(employment: Employment) -> bool {
    matches!(employment, Employment::LocalEmployee | Employment::PublicSector)
}

/// When new work starts ([`Dynamics::take_up_activity`]).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Start {
    /// In a uniformly drawn month (from school, unemployment, outside the labour
    /// force, or back from migrant work).
    Drawn,
    /// The month after the given number of months (0–11) in work left this year.
    After(u8),
}

/// What a person taking up an activity starts with ([`Dynamics::take_up_activity`]).
struct NewActivity {
    employment: Employment,
    /// Months of the year in the new job (0 when not working).
    months_in_job: u8,
    /// Wage of the months worked, yuan.
    wage: f32,
    /// Operating income of the months worked, yuan.
    operating: f32,
}
