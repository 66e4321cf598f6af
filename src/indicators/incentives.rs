//! Work incentives: the marginal effective tax rate (METR, 边际有效税率) of households with
//! earnings.
//!
//! How much of a small rise in its earnings a household keeps once income tax, social
//! contributions and the means-tested benefits withdrawn as income rises have taken
//! their share. The dibao tops a recipient household's income up to its threshold, so
//! each yuan more it earns is a yuan less of dibao: a METR of 100% (the poverty trap
//! that the plans' employment-cost deductions and grace periods, 就业成本扣减 and 渐退期,
//! are meant to soften).
//!
//! When a run asks for it (the scenario's `work_incentives`), each year of a variant
//! that keeps full detail applies its levers three times to every block: as they run, to
//! a copy of the block, as it was before the levers, whose members' positive wage and
//! operating incomes are raised by [`EARNINGS_RISE`] (so that market levers, taxes,
//! contributions and means tests all see the rise), and to a copy for the participation
//! tax rate (below). A household's METR is
//! `1 − ΔD / ΔE`: ΔE the change of its earnings (wage and operating income after the
//! levers) and ΔD the change of its disposable income. A household whose earnings do
//! not rise (it has none, or a lever takes the rise back) has no METR.
//!
//! Reported by residence and for all residents, persons-weighted: the persons of
//! households with a METR, the aggregate METR (`1 − ΣwΔD / ΣwΔE`, household weights:
//! the share of the whole rise that does not reach households) and the persons by band
//! of METR ([`MetrBand`]); the same for households on dibao this year. Sums are exact
//! over every household and merge block by block in block order.
//!
//! **Participation** (参与税率, the participation tax rate, PTR): the same levers run on a
//! third copy in which one member of each household who has no paid work takes a
//! full-year local wage job ([`enter_work`]): the first member, in member order, who is
//! able to work, aged 16–59, unemployed or outside the labour force and without earnings
//! this year (students and retirees are left as they are). The job pays [`EntryWages`]: by default the mean
//! wage the dynamics give a new local job of the household's residence and the
//! member's education in that year (aligned as the year's wages are), or a monthly wage
//! the scenario gives (`participation_wage_per_month`, e.g. the minimum wage). The job is
//! new this year, so the levers that treat new jobs apart (the dibao's grace period
//! 渐退期 and its new-job earnings, job-seeking subsidies) see it. A household's PTR is
//! `1 − ΔD / ΔE` as above: the share of the new earnings that taxes, contributions and
//! withdrawn benefits take. Reported as the METR is, for households with an entrant,
//! with their mean rise of earnings and of disposable income. The entrant is chosen
//! before the levers: a member to whom a rationed lever gives a place in the run (a
//! public-welfare post) takes the job instead in the copy, so the household's rise of
//! earnings is net of the place's pay.
//!
//! The copy's levers draw the same keyed numbers as the run's; a rationed lever ranks
//! the raised incomes and may fill a place differently, and a take-up weighed by need
//! sees a need smaller by the rise: the METR of those few households includes the
//! change (a household that loses a place or its dibao shows a METR far above 100%).

use crate::model::{Accounts, Education, Employment, HouseholdFlags, PersonFlags, Population, Residence};

/// The rise in earnings whose effect is measured: 3% of every member's positive wage and
/// operating income. Assumption: a small rise, so that the rate is marginal, yet large
/// enough to stay clear of rounding (EUROMOD's marginal effective tax rates raise
/// earnings by 3% for the same reason).
pub const EARNINGS_RISE: f64 = 0.03;

/// How close to a band's edge a rate counts as on it (the dibao withdraws the rise
/// yuan for yuan, which floating point gives as 0.9999999…).
const EDGE: f64 = 1e-6;

/// Bands of METR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetrBand {
    /// Below 0: disposable income rises by more than earnings (a benefit that rises with
    /// earnings, such as a wage subsidy).
    Negative = 0,
    /// 0 to under 20%.
    UpTo20 = 1,
    /// 20% to under 50%.
    UpTo50 = 2,
    /// 50% to under 80%.
    UpTo80 = 3,
    /// 80% to under 100%.
    UpTo100 = 4,
    /// 100% or more: the rise is taken back whole (the dibao's top-up) or more.
    From100 = 5,
}

impl MetrBand {
    /// Every band, lowest first.
    pub const ALL: [MetrBand; 6] = [
        MetrBand::Negative,
        MetrBand::UpTo20,
        MetrBand::UpTo50,
        MetrBand::UpTo80,
        MetrBand::UpTo100,
        MetrBand::From100,
    ];

    /// Index in [`MetrBand::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Name in indicator rows.
    pub fn as_str(self) -> &'static str {
        match self {
            MetrBand::Negative => "below_0",
            MetrBand::UpTo20 => "0_to_20pct",
            MetrBand::UpTo50 => "20_to_50pct",
            MetrBand::UpTo80 => "50_to_80pct",
            MetrBand::UpTo100 => "80_to_100pct",
            MetrBand::From100 => "100pct_or_more",
        }
    }

    /// Label in printed tables.
    pub fn label(self) -> &'static str {
        match self {
            MetrBand::Negative => "<0",
            MetrBand::UpTo20 => "0-20%",
            MetrBand::UpTo50 => "20-50%",
            MetrBand::UpTo80 => "50-80%",
            MetrBand::UpTo100 => "80-100%",
            MetrBand::From100 => "≥100%",
        }
    }

    /// The band of a rate (a fraction).
    pub fn of(metr: f64) -> MetrBand {
        if metr < -EDGE {
            MetrBand::Negative
        } else if metr < 0.2 - EDGE {
            MetrBand::UpTo20
        } else if metr < 0.5 - EDGE {
            MetrBand::UpTo50
        } else if metr < 0.8 - EDGE {
            MetrBand::UpTo80
        } else if metr < 1.0 - EDGE {
            MetrBand::UpTo100
        } else {
            MetrBand::From100
        }
    }
}

/// Sums of one group of households with a METR.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MetrGroupSums {
    /// Their households, weighted.
    pub households: f64,
    /// Their persons, weighted.
    pub persons: f64,
    /// Σ weight × ΔE: the rise of their earnings, yuan.
    pub earnings_rise: f64,
    /// Σ weight × ΔD: the rise of their disposable income, yuan.
    pub disposable_rise: f64,
    /// Persons by band ([`MetrBand::ALL`] order).
    pub persons_by_band: [f64; 6],
}

impl MetrGroupSums {
    fn add(&mut self, weight: f64, persons: f64, earnings_rise: f64, disposable_rise: f64) {
        let metr = 1.0 - disposable_rise / earnings_rise;
        self.households += weight;
        self.persons += persons;
        self.earnings_rise += weight * earnings_rise;
        self.disposable_rise += weight * disposable_rise;
        self.persons_by_band[MetrBand::of(metr).index()] += persons;
    }

    fn merge(&mut self, other: &MetrGroupSums) {
        self.households += other.households;
        self.persons += other.persons;
        self.earnings_rise += other.earnings_rise;
        self.disposable_rise += other.disposable_rise;
        for (a, b) in self.persons_by_band.iter_mut().zip(&other.persons_by_band) {
            *a += b;
        }
    }
}

/// The sums of a block (or of merged blocks), by residence `[urban, rural]`: every
/// household with a METR, and those on dibao this year; and by residence and quintile
/// group of all residents once the year's quintile bounds are known
/// ([`MetrSums::add_quintiles`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MetrSums {
    /// Every household with a METR.
    pub groups: [MetrGroupSums; 2],
    /// Those on dibao this year.
    pub dibao: [MetrGroupSums; 2],
    /// Those in which no member had paid work (before the change).
    pub workless: [MetrGroupSums; 2],
    /// Every household with a METR by residence and by quintile group of all residents'
    /// per-capita disposable income this year (lowest first).
    pub by_quintile: [[MetrGroupSums; 5]; 2],
    /// Whether the quintile groups were added.
    pub quintiles: bool,
}

/// One household's rise of earnings and of disposable income under one measure, kept
/// until the year's quintile bounds are known ([`MetrSums::add_quintiles`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HouseholdRise {
    /// The household's index in its block.
    pub household: u32,
    /// ΔE, yuan.
    pub earnings_rise: f64,
    /// ΔD, yuan.
    pub disposable_rise: f64,
}

impl MetrSums {
    /// The sums of a population whose levers ran (`actual`, its accounts) and whose
    /// levers ran again on changed earnings (`changed`: the accounts of the copy, its
    /// earnings raised by [`raise_earnings`] or a member put into work by
    /// [`enter_work`]), over the households the change reached (`households`, in order:
    /// the list either returns), with each counted household's rises written into
    /// `rises` (cleared first), in household order, for [`MetrSums::add_quintiles`]. A
    /// household counts when its earnings rise by more than a thousandth of a yuan;
    /// dibao households are those on dibao in `pop`. Only the households the change
    /// reached count: a place of a rationed lever that a member no longer takes may go
    /// to another household, whose rise is not the change measured.
    pub fn of(
        pop: &Population,
        actual: &Accounts,
        changed: &Accounts,
        households: &[u32],
        rises: &mut Vec<HouseholdRise>,
    ) -> MetrSums {
        rises.clear();
        let mut sums = MetrSums::default();
        let hh = &pop.households;
        let n = pop.household_count().min(actual.len()).min(changed.len());
        for h in households.iter().map(|&h| h as usize).filter(|&h| h < n) {
            let earnings_rise = (changed.wage[h] + changed.operating[h]) - (actual.wage[h] + actual.operating[h]);
            if earnings_rise <= 1e-3 || hh.size[h] == 0 {
                continue;
            }
            let disposable_rise = changed.disposable(h) - actual.disposable(h);
            let weight = hh.weight[h] as f64;
            let persons = weight * hh.size[h] as f64;
            let r = hh.residence[h].index();
            sums.groups[r].add(weight, persons, earnings_rise, disposable_rise);
            if hh.flags[h].has(HouseholdFlags::DIBAO) {
                sums.dibao[r].add(weight, persons, earnings_rise, disposable_rise);
            }
            if !pop.members(h).any(|i| pop.persons.employment[i].is_working()) {
                sums.workless[r].add(weight, persons, earnings_rise, disposable_rise);
            }
            rises.push(HouseholdRise { household: h as u32, earnings_rise, disposable_rise });
        }
        sums
    }

    /// Adds the households of `rises` (from [`MetrSums::of`] on the same population) by
    /// quintile group, `group_of(h)` (0 lowest) for household `h`: the ledger's group of
    /// its per-capita disposable income this year.
    pub fn add_quintiles(&mut self, pop: &Population, rises: &[HouseholdRise], group_of: impl Fn(usize) -> usize) {
        let hh = &pop.households;
        for rise in rises {
            let h = rise.household as usize;
            let weight = hh.weight[h] as f64;
            let persons = weight * hh.size[h] as f64;
            self.by_quintile[hh.residence[h].index()][group_of(h)].add(
                weight,
                persons,
                rise.earnings_rise,
                rise.disposable_rise,
            );
        }
        self.quintiles = true;
    }

    /// Adds the next block's sums (in block order).
    pub fn merge(&mut self, other: &MetrSums) {
        for r in 0..2 {
            self.groups[r].merge(&other.groups[r]);
            self.dibao[r].merge(&other.dibao[r]);
            self.workless[r].merge(&other.workless[r]);
            for (a, b) in self.by_quintile[r].iter_mut().zip(&other.by_quintile[r]) {
                a.merge(b);
            }
        }
        self.quintiles |= other.quintiles;
    }
}

/// Raises every member's positive wage and operating income by `rise` (a fraction):
/// the copy of a block whose levers give the METR. Returns the households with a
/// member raised, in order: the METR counts only them ([`MetrSums::of`]), not a
/// household whose earnings rise because a rationed lever's place went to it instead.
pub fn raise_earnings(pop: &mut Population, rise: f64) -> Vec<u32> {
    let factor = (1.0 + rise) as f32;
    let mut raised = Vec::new();
    for h in 0..pop.household_count() {
        let first = pop.households.first_person[h] as usize;
        let members = first..first + pop.households.size[h] as usize;
        let p = &mut pop.persons;
        let mut any = false;
        for x in p.wage[members.clone()].iter_mut().chain(p.operating[members].iter_mut()) {
            if *x > 0.0 {
                *x *= factor;
                any = true;
            }
        }
        if any {
            raised.push(h as u32);
        }
    }
    raised
}

/// The sums of both measures of a block (or of merged blocks).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct IncentiveSums {
    /// On a rise in earnings ([`raise_earnings`]): the METR.
    pub marginal: MetrSums,
    /// On a member entering work ([`enter_work`]): the participation tax rate.
    pub participation: MetrSums,
}

impl IncentiveSums {
    /// Adds the next block's sums (in block order).
    pub fn merge(&mut self, other: &IncentiveSums) {
        self.marginal.merge(&other.marginal);
        self.participation.merge(&other.participation);
    }
}

/// The full-year wage of the job a member who enters work takes ([`enter_work`]),
/// yuan per year, by residence ([`Residence::index`]) and education
/// ([`Education`] as index).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EntryWages {
    /// Yuan per year.
    pub per_year: [[f64; 4]; 2],
}

impl EntryWages {
    /// One wage for everyone: a monthly wage times twelve (`participation_wage_per_month`).
    pub fn flat_per_month(per_month: f64) -> EntryWages {
        EntryWages { per_year: [[12.0 * per_month; 4]; 2] }
    }

    /// The wage of a member of a household of `residence` with `education`.
    pub fn of(&self, residence: Residence, education: Education) -> f64 {
        self.per_year[residence.index()][education as usize]
    }
}

/// What a participation wage (`participation_wage_per_month`) must be, as messages say it.
pub const PARTICIPATION_WAGE_EXPECTED: &str = "a positive wage in yuan per month, up to 1e12";

/// Whether `per_month` is a participation wage a run accepts: positive and at most
/// [`crate::model::bounds::MAX_AMOUNT`] ([`PARTICIPATION_WAGE_EXPECTED`]).
pub fn is_participation_wage(per_month: f64) -> bool {
    per_month > 0.0 && per_month <= crate::model::bounds::MAX_AMOUNT
}

/// Whether member `i` may enter work in the participation measure: able to work,
/// aged 16–59, unemployed or outside the labour force, with no earnings this year (no
/// wage of months worked before losing a job, no operating income).
pub fn may_enter_work(pop: &Population, i: usize) -> bool {
    let p = &pop.persons;
    p.able_to_work[i]
        && (16..=59).contains(&p.age[i])
        && matches!(p.employment[i], Employment::Unemployed | Employment::NotInLabourForce)
        && p.wage[i] <= 0.0
        && p.operating[i] <= 0.0
}

/// Puts one member of each household into work: the first member ([`may_enter_work`])
/// takes a local wage job for the whole year at `wages` (new this year), in the copy of a
/// block whose levers give the participation tax rate. Returns the households with an
/// entrant, in order.
pub fn enter_work(pop: &mut Population, wages: &EntryWages) -> Vec<u32> {
    let mut entrants = Vec::new();
    for h in 0..pop.household_count() {
        let Some(i) = pop.members(h).find(|&i| may_enter_work(pop, i)) else { continue };
        let wage = wages.of(pop.households.residence[h], pop.persons.education(i));
        if wage.is_nan() || wage <= 0.0 {
            continue;
        }
        let p = &mut pop.persons;
        p.employment[i] = Employment::LocalEmployee;
        p.months_in_job[i] = 12;
        p.wage[i] = crate::generate::rounding::round(wage) as f32;
        p.flags[i].set(PersonFlags::NEW_JOB_THIS_YEAR, true);
        entrants.push(h as u32);
    }
    entrants
}

/// The METR of one group of households.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct MetrGroup {
    /// Persons of households with a rate, weighted.
    pub persons: f64,
    /// Aggregate rate: `1 − ΣwΔD / ΣwΔE` (NaN without households).
    pub aggregate: f64,
    /// Mean rise of their household's earnings, yuan per household and year (NaN
    /// without households).
    pub mean_earnings_rise: f64,
    /// Mean rise of their household's disposable income, yuan per household and year
    /// (NaN without households).
    pub mean_disposable_rise: f64,
    /// Shares of their persons by band ([`MetrBand::ALL`] order; 0 without persons).
    pub shares: [f64; 6],
}

impl MetrGroup {
    fn of(s: &MetrGroupSums) -> MetrGroup {
        let share = |x: f64| if s.persons > 0.0 { x / s.persons } else { 0.0 };
        MetrGroup {
            persons: s.persons,
            aggregate: if s.earnings_rise > 0.0 { 1.0 - s.disposable_rise / s.earnings_rise } else { f64::NAN },
            mean_earnings_rise: if s.households > 0.0 { s.earnings_rise / s.households } else { f64::NAN },
            mean_disposable_rise: if s.households > 0.0 { s.disposable_rise / s.households } else { f64::NAN },
            shares: s.persons_by_band.map(share),
        }
    }

    /// Share of persons whose household keeps nothing of the rise (or loses): METR of
    /// 100% or more.
    pub fn trapped_share(&self) -> f64 {
        self.shares[MetrBand::From100.index()]
    }
}

/// Work incentives of one group of residents (urban, rural or all) in a year.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct WorkIncentives {
    /// METR: every household with earnings that rise.
    pub all: MetrGroup,
    /// METR: those on dibao this year.
    pub dibao: MetrGroup,
    /// Participation tax rate: every household with a member who enters work.
    pub participation: MetrGroup,
    /// Participation tax rate: those on dibao this year (before the member enters work).
    pub participation_dibao: MetrGroup,
    /// Participation tax rate: households in which no member had paid work (零就业 in
    /// the wide sense: nobody working, whether looking for work or not).
    pub participation_workless: MetrGroup,
    /// METR by quintile group of all residents' per-capita disposable income this year
    /// (lowest first; no persons when the run had no quintile groups).
    pub by_quintile: [MetrGroup; 5],
    /// Participation tax rate by quintile group, as `by_quintile`.
    pub participation_by_quintile: [MetrGroup; 5],
    /// Whether the quintile groups were computed (else they are left out of the rows).
    pub has_quintiles: bool,
}

impl WorkIncentives {
    /// Urban, rural and all residents ([`crate::indicators::Group::index`] order) from
    /// merged sums.
    pub fn by_group(sums: &IncentiveSums) -> [WorkIncentives; 3] {
        let both = |g: &[MetrGroupSums; 2]| {
            let mut s = g[0];
            s.merge(&g[1]);
            s
        };
        let (m, p) = (&sums.marginal, &sums.participation);
        let quintiles = |s: &MetrSums, r: Option<usize>| -> [MetrGroup; 5] {
            std::array::from_fn(|q| match r {
                Some(r) => MetrGroup::of(&s.by_quintile[r][q]),
                None => MetrGroup::of(&both(&[s.by_quintile[0][q], s.by_quintile[1][q]])),
            })
        };
        let has_quintiles = m.quintiles && p.quintiles;
        let group = |r: usize| WorkIncentives {
            all: MetrGroup::of(&m.groups[r]),
            dibao: MetrGroup::of(&m.dibao[r]),
            participation: MetrGroup::of(&p.groups[r]),
            participation_dibao: MetrGroup::of(&p.dibao[r]),
            participation_workless: MetrGroup::of(&p.workless[r]),
            by_quintile: quintiles(m, Some(r)),
            participation_by_quintile: quintiles(p, Some(r)),
            has_quintiles,
        };
        [
            group(Residence::Urban.index()),
            group(Residence::Rural.index()),
            WorkIncentives {
                all: MetrGroup::of(&both(&m.groups)),
                dibao: MetrGroup::of(&both(&m.dibao)),
                participation: MetrGroup::of(&both(&p.groups)),
                participation_dibao: MetrGroup::of(&both(&p.dibao)),
                participation_workless: MetrGroup::of(&both(&p.workless)),
                by_quintile: quintiles(m, None),
                participation_by_quintile: quintiles(p, None),
                has_quintiles,
            },
        ]
    }

    /// Its indicator rows: `metr_persons`, `metr_aggregate`, `metr_share_<band>`, the
    /// same for dibao households with `metr_dibao_`, and for the participation tax rate
    /// with `ptr_`, `ptr_dibao_` and `ptr_workless_` (households in which no member had
    /// paid work), which add `ptr_mean_earnings` and
    /// `ptr_mean_gain` (yuan per household); then by quintile group `k` (1 lowest) of
    /// all residents, `metr_persons_quintile_<k>`, `metr_aggregate_quintile_<k>`,
    /// `ptr_persons_quintile_<k>`, `ptr_aggregate_quintile_<k>`; a rate or mean without
    /// households is left out.
    pub fn named(&self) -> Vec<(String, f64)> {
        let mut v = Vec::new();
        let groups = [
            ("metr_", &self.all, false),
            ("metr_dibao_", &self.dibao, false),
            ("ptr_", &self.participation, true),
            ("ptr_dibao_", &self.participation_dibao, true),
            ("ptr_workless_", &self.participation_workless, true),
        ];
        for (prefix, g, means) in groups {
            v.push((format!("{prefix}persons"), g.persons));
            if g.aggregate.is_finite() {
                v.push((format!("{prefix}aggregate"), g.aggregate));
            }
            if means && g.mean_earnings_rise.is_finite() {
                v.push((format!("{prefix}mean_earnings"), g.mean_earnings_rise));
                v.push((format!("{prefix}mean_gain"), g.mean_disposable_rise));
            }
            for band in MetrBand::ALL {
                v.push((format!("{prefix}share_{}", band.as_str()), g.shares[band.index()]));
            }
        }
        let by_quintile = [("metr_", &self.by_quintile), ("ptr_", &self.participation_by_quintile)];
        for (prefix, groups) in by_quintile.into_iter().filter(|_| self.has_quintiles) {
            for (q, g) in groups.iter().enumerate() {
                v.push((format!("{prefix}persons_quintile_{}", q + 1), g.persons));
                if g.aggregate.is_finite() {
                    v.push((format!("{prefix}aggregate_quintile_{}", q + 1), g.aggregate));
                }
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_split_at_their_edges_and_a_yuan_for_yuan_withdrawal_is_one_hundred_percent() {
        assert_eq!(MetrBand::of(-0.01), MetrBand::Negative);
        assert_eq!(MetrBand::of(0.0), MetrBand::UpTo20);
        assert_eq!(MetrBand::of(1.0 - 1e-9), MetrBand::From100);
        assert_eq!(MetrBand::of(0.199), MetrBand::UpTo20);
        assert_eq!(MetrBand::of(0.2), MetrBand::UpTo50);
        assert_eq!(MetrBand::of(0.79), MetrBand::UpTo80);
        assert_eq!(MetrBand::of(0.95), MetrBand::UpTo100);
        assert_eq!(MetrBand::of(3.0), MetrBand::From100);
        for (k, b) in MetrBand::ALL.iter().enumerate() {
            assert_eq!(b.index(), k);
        }
    }

    #[test]
    fn the_aggregate_is_the_share_of_the_whole_rise_households_do_not_keep() {
        let mut s = MetrGroupSums::default();
        // A household of 3 (weight 2) keeps 90 of 100; one of 1 (weight 1) keeps 0 of 50.
        s.add(2.0, 6.0, 100.0, 90.0);
        s.add(1.0, 1.0, 50.0, 0.0);
        let g = MetrGroup::of(&s);
        assert_eq!(g.persons, 7.0);
        assert!((g.aggregate - (1.0 - 180.0 / 250.0)).abs() < 1e-12);
        assert!((g.shares[MetrBand::UpTo20.index()] - 6.0 / 7.0).abs() < 1e-12);
        assert!((g.trapped_share() - 1.0 / 7.0).abs() < 1e-12);
        assert!(MetrGroup::of(&MetrGroupSums::default()).aggregate.is_nan());
    }
}
