//! The baseline's dibao caseload held to its base-year share of residents (the
//! `dibao_caseload_alignment` assumption), and the extreme-poverty support's likewise
//! ([`Programme`]).
//!
//! An eligible household takes dibao up when its draw (its persistent keyed
//! propensity, the same every year, weighed by its need:
//! [`Dibao::take_up_draw`](crate::policy::dibao::Dibao::take_up_draw)) is below the
//! year's take-up rate; last year's recipients stay in while eligible. The engine measures each residence's caseload
//! share (persons in recipient households over resident persons) on the baseline's
//! pilot (its first [`PROBE_BLOCKS`] blocks) in the base year. In each later year it
//! applies the baseline's levers to a copy of those blocks with every eligible
//! household taking up ([`TakeUpAdjustment::EVERYONE`]), which gives the eligible
//! households and their draws ([`Eligible`]), and so the caseload under any
//! adjustment. The target is
//! `a × held + (1 − a) × free`, where `held` is the base-year share (times the
//! `dibao_caseload_share_multiple_*` assumption) of this year's residents, `free` the
//! caseload at the lever's own rate and `a` the assumption. Last year's recipients
//! count first; newcomers fill the rest up to the target, those with the lowest draws
//! first (the rate is scaled, [`TakeUpAdjustment::scale`]); when the stayers alone
//! exceed it, no newcomer joins and the stayers with the highest draws leave
//! ([`TakeUpAdjustment::stayer_cutoff`]), those entitled to least first, as at a re-verification
//! ([`take_up_adjustment`]). The copy's levers run as the real run's do (keyed draws,
//! the same accounts), so the pilot's caseload is the chosen one; blocks and variants
//! take the baseline's adjustment, as they take its alignment factors.

use crate::model::{Population, Residence};
pub use crate::policy::Programme;
use crate::policy::TakeUpAdjustment;

/// Blocks of the pilot the alignment measures and probes: the first 16 (262,144
/// households), or the whole pilot when it is smaller. Assumption: the caseload share
/// of a quarter of a million households (about 1,000 urban recipient households at a
/// share of 0.8%) is held within about 3% where the whole default pilot of 1,048,576
/// would cost four times as much each year; the same blocks every year, so the share
/// they hold moves with the whole population's.
pub const PROBE_BLOCKS: usize = 16;

/// The blocks the alignment measures and probes: the first [`PROBE_BLOCKS`] of the
/// pilot's.
pub fn probed<T>(blocks: &[T]) -> &[T] {
    &blocks[..blocks.len().min(PROBE_BLOCKS)]
}

/// Weighted persons by residence `[urban, rural]`: in households of a programme's
/// caseload (flagged this year) and in all households.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Caseload {
    /// Persons in recipient households, weighted.
    pub recipients: [f64; 2],
    /// Resident persons, weighted.
    pub persons: [f64; 2],
}

impl Caseload {
    /// The caseload of `programme` in populations whose levers have run this year,
    /// summed in order.
    pub fn of<'a>(programme: Programme, pops: impl IntoIterator<Item = &'a Population>) -> Caseload {
        let flag = programme.flag();
        let mut c = Caseload::default();
        for pop in pops {
            let hh = &pop.households;
            for h in 0..pop.household_count() {
                let r = hh.residence[h].index();
                let w = hh.weight[h] as f64;
                c.persons[r] += w * hh.size[h] as f64;
                if hh.flags[h].has(flag) {
                    c.recipients[r] += w * f64::from(programme.recipient_persons(pop, h));
                }
            }
        }
        c
    }

    /// Recipients over persons by residence (0 without persons).
    pub fn shares(&self) -> [f64; 2] {
        [0, 1].map(|r| if self.persons[r] > 0.0 { self.recipients[r] / self.persons[r] } else { 0.0 })
    }
}

/// The households that take a programme up when every eligible one does (a probe's
/// populations, [`TakeUpAdjustment::EVERYONE`]), by residence `[urban, rural]`: each
/// one's take-up draw and weighted persons, in population and household order, and the
/// weighted resident persons of every household.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Eligible {
    /// Last year's recipients.
    pub stayers: [Vec<(f64, f64)>; 2],
    /// The others.
    pub newcomers: [Vec<(f64, f64)>; 2],
    /// Resident persons, weighted, eligible or not.
    pub persons: [f64; 2],
}

impl Eligible {
    /// The eligible households of `programme` in populations whose levers ran with
    /// every eligible household taking up, in order, each with what the programme's
    /// lever paid its households. Each one's draw is `draw(pop, h, paid)` (the lever's
    /// [`Lever::caseload_draw`](crate::policy::Lever::caseload_draw), which weighs the
    /// household's persistent draw by its need).
    pub fn of<'a>(
        programme: Programme,
        pops: impl IntoIterator<Item = (&'a Population, &'a [f64])>,
        draw: impl Fn(&Population, usize, f64) -> f64,
    ) -> Eligible {
        let (flag, last_year_flag) = (programme.flag(), programme.last_year_flag());
        let mut e = Eligible::default();
        for (pop, paid) in pops {
            let hh = &pop.households;
            for (h, &paid) in paid.iter().enumerate().take(pop.household_count()) {
                let (r, w) = (hh.residence[h].index(), hh.weight[h] as f64);
                e.persons[r] += w * hh.size[h] as f64;
                let flags = hh.flags[h];
                if !flags.has(flag) {
                    continue;
                }
                let persons = w * f64::from(programme.recipient_persons(pop, h));
                let joined = if flags.has(last_year_flag) { &mut e.stayers[r] } else { &mut e.newcomers[r] };
                joined.push((draw(pop, h, paid), persons));
            }
        }
        e
    }

    /// Appends another's households after these (the next block's).
    pub fn append(&mut self, mut other: Eligible) {
        for r in 0..2 {
            self.stayers[r].append(&mut other.stayers[r]);
            self.newcomers[r].append(&mut other.newcomers[r]);
            self.persons[r] += other.persons[r];
        }
    }

    /// The caseload of a residence under an adjustment of the lever's rate
    /// `lever_rate`: the stayers whose draw is below the cutoff and the newcomers whose
    /// draw is below the rate (everyone at a rate of 1, as the lever does).
    pub fn caseload_at(&self, r: usize, lever_rate: f64, adjustment: &TakeUpAdjustment) -> f64 {
        let rate = crate::policy::take_up_rate(lever_rate, adjustment.scale[r]);
        if rate >= 1.0 {
            return caseload_at(&self.stayers[r], 1.0) + caseload_at(&self.newcomers[r], 1.0);
        }
        caseload_at(&self.stayers[r], adjustment.stayer_cutoff[r]) + caseload_at(&self.newcomers[r], rate)
    }
}

/// The persons of the eligible households whose draw is below `rate`.
pub fn caseload_at(draws: &[(f64, f64)], rate: f64) -> f64 {
    draws.iter().filter(|d| d.0 < rate).map(|d| d.1).sum()
}

/// The cutoff whose caseload (the persons of the eligible households `draws` whose
/// draw is below it) is nearest `target`: halfway between two consecutive draws, so
/// that rounding in a scale cannot move a household across it; 1 when all should be
/// in. Sorts `draws` by draw (a stable sort: equal draws keep their order).
pub fn rate_for_caseload(draws: &mut [(f64, f64)], target: f64) -> f64 {
    draws.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut best = (target.abs(), 0usize);
    let mut sum = 0.0;
    for (k, d) in draws.iter().enumerate() {
        sum += d.1;
        let miss = (sum - target).abs();
        if miss < best.0 {
            best = (miss, k + 1);
        }
    }
    let k = best.1;
    match (k.checked_sub(1).map(|i| draws[i].0), draws.get(k).map(|d| d.0)) {
        (_, None) => 1.0,
        (None, Some(first)) => 0.5 * first,
        (Some(last_in), Some(first_out)) => 0.5 * (last_in + first_out),
    }
}

/// The year's adjustment of the lever's take-up `lever_rate` by residence that brings
/// the probe's caseload nearest `alignment × held + (1 − alignment) × free`, where
/// `held` is `held_shares` of this year's persons (the base year's shares times the
/// `dibao_caseload_share_multiple_*` assumptions) and `free` the caseload at the
/// lever's rate. All of last year's recipients stay in while the target is at least
/// theirs (newcomers fill the rest, at most all of them); below it, no newcomer takes
/// up and the stayers with the highest draws (those entitled to least) leave. A residence whose lever rate is 0
/// (nobody takes up) is left alone, and so is a dibao rate of at least 1 (everybody
/// takes up: a scenario's full take-up); the extreme-poverty support's rate of 1 is its
/// rule ([`crate::policy::base::EXTREME_POVERTY_TAKE_UP`]) and is adjusted.
pub fn take_up_adjustment(
    programme: Programme,
    eligible: &mut Eligible,
    held_shares: [f64; 2],
    lever_rate: [f64; 2],
    alignment: f64,
) -> TakeUpAdjustment {
    let mut adjustment = TakeUpAdjustment::NONE;
    for r in Residence::BOTH.map(|r| r.index()) {
        let own = lever_rate[r];
        if own <= 0.0 || (own >= 1.0 && programme == Programme::Dibao) || alignment <= 0.0 {
            continue;
        }
        let free = eligible.caseload_at(r, own, &TakeUpAdjustment::NONE);
        let target = alignment * held_shares[r] * eligible.persons[r] + (1.0 - alignment) * free;
        let stayers = caseload_at(&eligible.stayers[r], 1.0);
        if target >= stayers {
            adjustment.scale[r] = rate_for_caseload(&mut eligible.newcomers[r], target - stayers) / own;
        } else {
            // A rate of 0: no draw is below it, in this variant or another.
            adjustment.scale[r] = 0.0;
            adjustment.stayer_cutoff[r] = rate_for_caseload(&mut eligible.stayers[r], target);
        }
    }
    adjustment
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::take_up_rate;

    #[test]
    fn the_rate_found_gives_the_caseload_nearest_the_target() {
        let mut draws = vec![(0.9, 2.0), (0.1, 1.0), (0.5, 3.0), (0.3, 1.0)];
        // Sorted: 0.1 (1), 0.3 (1), 0.5 (3), 0.9 (2): caseloads 0, 1, 2, 5, 7.
        for (target, caseload) in [(0.0, 0.0), (0.4, 0.0), (1.2, 1.0), (3.4, 2.0), (3.6, 5.0), (6.5, 7.0), (99.0, 7.0)]
        {
            let rate = rate_for_caseload(&mut draws, target);
            assert_eq!(caseload_at(&draws, rate), caseload, "target {target}: rate {rate}");
        }
        assert_eq!(rate_for_caseload(&mut draws, 99.0), 1.0);
        assert_eq!(rate_for_caseload(&mut [], 5.0), 1.0);
    }

    /// 100 persons; 40 newly eligible of one person each, their draws spread over
    /// (0, 1); the lever's rate 0.5 takes about 20.
    fn eligible(stayers: usize) -> Eligible {
        let spread = |n: usize, shift: f64| -> Vec<(f64, f64)> {
            (0..n).map(|k| ((k as f64 + shift) / n as f64, 1.0)).collect()
        };
        Eligible {
            stayers: [spread(stayers, 0.3), spread(stayers, 0.3)],
            newcomers: [spread(40, 0.5), spread(40, 0.5)],
            persons: [100.0; 2],
        }
    }

    #[test]
    fn the_adjustment_holds_the_share_and_an_alignment_of_zero_leaves_the_rate() {
        let rate = [0.5; 2];
        let mut e = eligible(0);
        let free = e.caseload_at(1, 0.5, &TakeUpAdjustment::NONE);
        assert_eq!(free, 20.0);
        // Base share 10%: held at 10 persons of 100; half way between 10 and 20.
        let held = take_up_adjustment(Programme::Dibao, &mut e, [0.10; 2], rate, 1.0);
        assert_eq!(e.caseload_at(0, 0.5, &held), 10.0);
        let half = take_up_adjustment(Programme::Dibao, &mut e, [0.10; 2], rate, 0.5);
        assert_eq!(e.caseload_at(1, 0.5, &half), 15.0);
        assert_eq!(take_up_adjustment(Programme::Dibao, &mut e, [0.10; 2], rate, 0.0), TakeUpAdjustment::NONE);
        // A rate of 0 stays 0 and a rate of 1 stays 1, whatever the target.
        let ends = take_up_adjustment(Programme::Dibao, &mut e, [0.10; 2], [0.0, 1.0], 1.0);
        assert_eq!(ends, TakeUpAdjustment::NONE);
        // More than the eligible: all of them.
        let all = take_up_adjustment(Programme::Dibao, &mut e, [0.9; 2], rate, 1.0);
        assert_eq!(e.caseload_at(0, 0.5, &all), 40.0);
    }

    #[test]
    fn a_rate_of_one_is_left_for_the_dibao_and_adjusted_for_the_extreme_poverty_support() {
        let mut e = eligible(0);
        let full = [1.0; 2];
        assert_eq!(take_up_adjustment(Programme::Dibao, &mut e, [0.10; 2], full, 1.0), TakeUpAdjustment::NONE);
        let held = take_up_adjustment(Programme::ExtremePoverty, &mut e, [0.10; 2], full, 1.0);
        assert_eq!(e.caseload_at(0, 1.0, &held), 10.0);
        assert_eq!(e.caseload_at(1, 1.0, &TakeUpAdjustment::NONE), 40.0);
    }

    #[test]
    fn stayers_count_first_and_leave_only_when_the_target_is_below_them() {
        let rate = [0.5; 2];
        // 6 stayers: all stay and 4 newcomers join a target of 10.
        let mut e = eligible(6);
        let a = take_up_adjustment(Programme::Dibao, &mut e, [0.10; 2], rate, 1.0);
        assert_eq!(a.stayer_cutoff, [1.0; 2]);
        assert_eq!(e.caseload_at(0, 0.5, &a), 10.0);
        assert_eq!(caseload_at(&e.newcomers[0], take_up_rate(0.5, a.scale[0])), 4.0);
        // 12 stayers against a target of 10: no newcomer, 10 stayers stay.
        let mut e = eligible(12);
        let a = take_up_adjustment(Programme::Dibao, &mut e, [0.10; 2], rate, 1.0);
        assert!(a.stayer_cutoff[0] < 1.0);
        assert_eq!(caseload_at(&e.newcomers[0], take_up_rate(0.5, a.scale[0])), 0.0);
        assert_eq!(e.caseload_at(0, 0.5, &a), 10.0);
        // The same without newcomers: still no one new and 10 stayers, and no rate of 1
        // (which would keep every stayer and take every newcomer of another variant).
        e.newcomers = [Vec::new(), Vec::new()];
        let a = take_up_adjustment(Programme::Dibao, &mut e, [0.10; 2], rate, 1.0);
        assert_eq!(take_up_rate(0.5, a.scale[0]), 0.0);
        assert_eq!(e.caseload_at(0, 0.5, &a), 10.0);
    }
}
