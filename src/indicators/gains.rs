//! Who gains and who loses: each household of a reform against the same household of
//! the baseline in the same year.
//!
//! The baseline and the reform run on the same households with the same random draws
//! (common random numbers), so the difference of a household's per-capita disposable
//! income between them is the reform's effect on it. A household is matched by id;
//! one present in the reform only (formed in a year the baseline's did not form it, as
//! when a lever gives a young member the paid work that lets them leave home) is not
//! compared and counts in `uncompared_persons`.
//!
//! A compared household's persons (the reform's weight × size) fall in one of five
//! [`ChangeBand`]s by the change `Δ` of per-capita income, reform minus baseline, and
//! the baseline's per-capita income `y`: no change when `|Δ|` is under
//! [`NO_CHANGE_BELOW_YUAN`]; else a large gain or loss when `|Δ| > LARGE_CHANGE × y`
//! (any change when `y` is not positive), a small one otherwise. Quintile groups are
//! the baseline's: the groups of equal numbers of households of all residents by
//! per-capita income (the ledger's), whose upper bounds a run takes from its pilot.
//! Formerly poor households (脱贫户, the plans' 脱贫人口) are also counted on their own.
//!
//! Sums are taken block by block in household id order and merged in block order, so
//! they are bit-identical whatever the threads or windows; they are exact over every
//! household (the quintile bounds are the pilot's when a run streams).

use serde::Serialize;

use super::outcome::Followed;
use super::year::OutcomeIndex;

/// A relative change of per-capita income above which a gain or a loss is large:
/// 5% of the baseline's per-capita income (the split the UK Treasury's and
/// PolicyEngine's winners-and-losers charts use). Assumption, no Chinese convention.
pub const LARGE_CHANGE: f64 = 0.05;

/// A change of per-capita income smaller than this, yuan per person per year, is no
/// change: amounts are rounded to the yuan, so a household the reform does not touch
/// has the same income to well within it.
pub const NO_CHANGE_BELOW_YUAN: f64 = 1.0;

/// Where a household's change of per-capita income falls, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeBand {
    /// Gains more than [`LARGE_CHANGE`] of its baseline income.
    GainOver5Pct,
    /// Gains at least [`NO_CHANGE_BELOW_YUAN`] and at most [`LARGE_CHANGE`].
    GainUpTo5Pct,
    /// Changes by less than [`NO_CHANGE_BELOW_YUAN`] per person.
    Unchanged,
    /// Loses at least [`NO_CHANGE_BELOW_YUAN`] and at most [`LARGE_CHANGE`].
    LoseUpTo5Pct,
    /// Loses more than [`LARGE_CHANGE`] of its baseline income.
    LoseOver5Pct,
}

impl ChangeBand {
    /// The five bands, in report order (largest gain first).
    pub const ALL: [ChangeBand; 5] = [
        ChangeBand::GainOver5Pct,
        ChangeBand::GainUpTo5Pct,
        ChangeBand::Unchanged,
        ChangeBand::LoseUpTo5Pct,
        ChangeBand::LoseOver5Pct,
    ];

    /// The band of a change `change` of per-capita income from a baseline per-capita
    /// income of `baseline`, both yuan per person per year.
    pub fn of(change: f64, baseline: f64) -> ChangeBand {
        if change.abs() < NO_CHANGE_BELOW_YUAN {
            return ChangeBand::Unchanged;
        }
        let large = baseline <= 0.0 || change.abs() > LARGE_CHANGE * baseline;
        match (change > 0.0, large) {
            (true, true) => ChangeBand::GainOver5Pct,
            (true, false) => ChangeBand::GainUpTo5Pct,
            (false, false) => ChangeBand::LoseUpTo5Pct,
            (false, true) => ChangeBand::LoseOver5Pct,
        }
    }

    /// Index in [`ChangeBand::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name in indicator names: `gain_over_5pct`, `gain_up_to_5pct`, `unchanged`,
    /// `lose_up_to_5pct`, `lose_over_5pct`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeBand::GainOver5Pct => "gain_over_5pct",
            ChangeBand::GainUpTo5Pct => "gain_up_to_5pct",
            ChangeBand::Unchanged => "unchanged",
            ChangeBand::LoseUpTo5Pct => "lose_up_to_5pct",
            ChangeBand::LoseOver5Pct => "lose_over_5pct",
        }
    }
}

/// A baseline household's id and per-capita disposable income, yuan per person per
/// year: what comparing a reform reads of the baseline (16 bytes per household and
/// projected year, kept for the pilot's blocks while the other variants run).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BaselineIncome {
    /// Global household id.
    pub id: u64,
    /// Per-capita disposable income ([`Followed::per_capita`]).
    pub per_capita: f64,
}

/// A block's baseline households of one year, in id order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BaselineIncomes {
    households: Vec<BaselineIncome>,
}

impl BaselineIncomes {
    /// The baseline households `outcomes`, visited in id order (`order`, as the
    /// engine's tracks hold it).
    pub(crate) fn of_ordered<T: Followed, I: OutcomeIndex>(outcomes: &[T], order: &[I]) -> Self {
        let households = order
            .iter()
            .map(|&i| {
                let o = &outcomes[i.get()];
                BaselineIncome { id: o.id(), per_capita: o.per_capita() }
            })
            .collect();
        BaselineIncomes { households }
    }

    /// The baseline households `outcomes`, in any order (ids unique).
    pub fn of<T: Followed>(outcomes: &[T]) -> Self {
        Self::of_ordered(outcomes, &super::year::id_order(outcomes))
    }

    /// The households, in id order.
    pub fn households(&self) -> &[BaselineIncome] {
        &self.households
    }
}

/// The compared persons of one residence: by change band, by the baseline's quintile
/// group and band, and their change of income.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct GainGroupSums {
    /// Persons by [`ChangeBand`] (weight × size, the reform's).
    pub persons: [f64; 5],
    /// Persons by the baseline's quintile group (lowest first) and band.
    pub persons_by_quintile: [[f64; 5]; 5],
    /// Σ persons × change of per-capita income, yuan per year: the change of total
    /// disposable income over compared households, as each household's persons see it.
    pub change: f64,
    /// The same by the baseline's quintile group.
    pub change_by_quintile: [f64; 5],
    /// Persons of the reform's households without a baseline household of their id.
    pub uncompared_persons: f64,
    /// Persons of compared formerly poor households (脱贫户) by band.
    pub formerly_poor_persons: [f64; 5],
    /// Σ persons × change of per-capita income over them, yuan per year.
    pub formerly_poor_change: f64,
}

impl GainGroupSums {
    /// Compared persons.
    pub fn compared_persons(&self) -> f64 {
        self.persons.iter().sum()
    }

    /// Compared persons who gain (either gain band).
    pub fn gaining_persons(&self) -> f64 {
        gaining(&self.persons)
    }

    /// Compared persons who lose (either loss band).
    pub fn losing_persons(&self) -> f64 {
        losing(&self.persons)
    }

    /// Adds another's sums (the next block's).
    pub fn merge(&mut self, other: &GainGroupSums) {
        for k in 0..5 {
            self.persons[k] += other.persons[k];
            self.change_by_quintile[k] += other.change_by_quintile[k];
            for b in 0..5 {
                self.persons_by_quintile[k][b] += other.persons_by_quintile[k][b];
            }
        }
        for b in 0..5 {
            self.formerly_poor_persons[b] += other.formerly_poor_persons[b];
        }
        self.change += other.change;
        self.uncompared_persons += other.uncompared_persons;
        self.formerly_poor_change += other.formerly_poor_change;
    }
}

/// A reform's households against the baseline's, by residence `[urban, rural]` (the
/// reform's residence): sums of one block, or of blocks merged in block order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct GainSums {
    /// By residence (index [`crate::model::Residence::index`]).
    pub groups: [GainGroupSums; 2],
    /// Whether households were put in the baseline's quintile groups (the run had
    /// their bounds).
    pub quintiles: bool,
}

impl GainSums {
    /// Adds another's sums (the next block's).
    pub fn merge(&mut self, other: &GainSums) {
        for r in 0..2 {
            self.groups[r].merge(&other.groups[r]);
        }
        self.quintiles |= other.quintiles;
    }

    /// The sums of the urban and rural groups together.
    pub fn all(&self) -> GainGroupSums {
        let mut all = self.groups[0];
        all.merge(&self.groups[1]);
        all
    }
}

/// Persons in either gain band of persons by band.
fn gaining(by_band: &[f64; 5]) -> f64 {
    by_band[ChangeBand::GainOver5Pct.index()] + by_band[ChangeBand::GainUpTo5Pct.index()]
}

/// Persons in either loss band of persons by band.
fn losing(by_band: &[f64; 5]) -> f64 {
    by_band[ChangeBand::LoseUpTo5Pct.index()] + by_band[ChangeBand::LoseOver5Pct.index()]
}

/// Compares the reform's households `reform`, visited in id order (`order`), with
/// the baseline's `baseline` of the same block and year; `cuts` are the upper bounds
/// of the baseline's four lower quintile groups (no quintile sums without them).
pub(crate) fn gain_sums_ordered<N: Followed, I: OutcomeIndex>(
    reform: &[N],
    order: &[I],
    baseline: &BaselineIncomes,
    cuts: Option<&[f64; 4]>,
) -> GainSums {
    let mut sums = GainSums { quintiles: cuts.is_some(), ..GainSums::default() };
    let base = &baseline.households;
    let mut j = 0;
    for &i in order {
        let o = &reform[i.get()];
        let id = o.id();
        while j < base.len() && base[j].id < id {
            j += 1;
        }
        let g = &mut sums.groups[o.residence().index()];
        let persons = o.persons();
        if j < base.len() && base[j].id == id {
            let before = base[j].per_capita;
            let change = o.per_capita() - before;
            let band = ChangeBand::of(change, before).index();
            g.persons[band] += persons;
            g.change += persons * change;
            if o.formerly_poor() {
                g.formerly_poor_persons[band] += persons;
                g.formerly_poor_change += persons * change;
            }
            if let Some(cuts) = cuts {
                // The ledger's rule: a household at a bound is in the group above it.
                let q = crate::policy::quintile_of(before, cuts);
                g.persons_by_quintile[q][band] += persons;
                g.change_by_quintile[q] += persons * change;
            }
            j += 1;
        } else {
            g.uncompared_persons += persons;
        }
    }
    sums
}

/// Compares a reform's households with the baseline's of the same year (either in any
/// order; ids unique within each): [`GainSums`] with the baseline's quintile bounds
/// `cuts` (see the [module documentation](self)).
pub fn gain_sums<N: Followed>(reform: &[N], baseline: &BaselineIncomes, cuts: Option<&[f64; 4]>) -> GainSums {
    gain_sums_ordered(reform, &super::year::id_order(reform), baseline, cuts)
}

/// Who gains and who loses in one group and year: shares of compared persons by band
/// and by the baseline's quintile group, and the mean change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gains {
    /// Persons compared (in households present in both runs).
    pub compared_persons: f64,
    /// Persons in reform households absent from the baseline.
    pub uncompared_persons: f64,
    /// Persons by [`ChangeBand`], in [`ChangeBand::ALL`]'s order.
    pub persons: [f64; 5],
    /// Their shares of compared persons.
    pub shares: [f64; 5],
    /// Mean change of per-capita disposable income over compared persons, yuan per
    /// person per year.
    pub mean_change: f64,
    /// By the baseline's quintile group (lowest first): its compared persons (all
    /// zero when the run had no quintile bounds).
    pub compared_persons_by_quintile: [f64; 5],
    /// By the baseline's quintile group (lowest first): the share of its compared
    /// persons who gain (either gain band).
    pub gaining_share_by_quintile: [f64; 5],
    /// By quintile group: the share who lose (either loss band).
    pub losing_share_by_quintile: [f64; 5],
    /// By quintile group: the mean change, yuan per person per year.
    pub mean_change_by_quintile: [f64; 5],
    /// Whether the quintile figures were computed (else they are zeros and not among
    /// the rows: a replication after the first runs its baseline without the bounds).
    pub has_quintiles: bool,
    /// Compared persons of formerly poor households (脱贫户, the plans' 脱贫人口).
    pub formerly_poor_compared_persons: f64,
    /// Their shares by band, in [`ChangeBand::ALL`]'s order.
    pub formerly_poor_shares: [f64; 5],
    /// Their mean change of per-capita income, yuan per person per year.
    pub formerly_poor_mean_change: f64,
}

impl Gains {
    /// The shares and means of a group's sums; `has_quintiles` says whether its
    /// quintile sums were taken.
    pub fn of(s: &GainGroupSums, has_quintiles: bool) -> Gains {
        let share = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        let compared = s.compared_persons();
        let formerly_poor: f64 = s.formerly_poor_persons.iter().sum();
        let by_q = |f: &dyn Fn(&[f64; 5]) -> f64| -> [f64; 5] {
            std::array::from_fn(|q| share(f(&s.persons_by_quintile[q]), s.persons_by_quintile[q].iter().sum()))
        };
        Gains {
            compared_persons: compared,
            uncompared_persons: s.uncompared_persons,
            persons: s.persons,
            shares: s.persons.map(|p| share(p, compared)),
            mean_change: share(s.change, compared),
            compared_persons_by_quintile: s.persons_by_quintile.map(|p| p.iter().sum()),
            gaining_share_by_quintile: by_q(&gaining),
            losing_share_by_quintile: by_q(&losing),
            mean_change_by_quintile: std::array::from_fn(|q| {
                share(s.change_by_quintile[q], s.persons_by_quintile[q].iter().sum())
            }),
            has_quintiles,
            formerly_poor_compared_persons: formerly_poor,
            formerly_poor_shares: s.formerly_poor_persons.map(|p| share(p, formerly_poor)),
            formerly_poor_mean_change: share(s.formerly_poor_change, formerly_poor),
        }
    }

    /// Share of compared persons who gain (either gain band).
    pub fn gaining_share(&self) -> f64 {
        gaining(&self.shares)
    }

    /// Share of compared persons who lose (either loss band).
    pub fn losing_share(&self) -> f64 {
        losing(&self.shares)
    }

    /// Urban, rural and all ([`super::Group`] order) from a year's merged sums.
    pub fn by_group(sums: &GainSums) -> [Gains; 3] {
        let q = sums.quintiles;
        [Gains::of(&sums.groups[0], q), Gains::of(&sums.groups[1], q), Gains::of(&sums.all(), q)]
    }

    /// The indicator rows of a group (see the module documentation of
    /// [`crate::indicators`] for the names).
    pub fn named(&self) -> Vec<(String, f64)> {
        let mut v = vec![
            ("compared_persons".to_string(), self.compared_persons),
            ("uncompared_persons".to_string(), self.uncompared_persons),
        ];
        for band in ChangeBand::ALL {
            v.push((format!("persons_{}", band.as_str()), self.persons[band.index()]));
        }
        for band in ChangeBand::ALL {
            v.push((format!("share_{}", band.as_str()), self.shares[band.index()]));
        }
        v.push(("mean_change_per_capita".to_string(), self.mean_change));
        for q in (0..5).filter(|_| self.has_quintiles) {
            v.push((format!("compared_persons_quintile_{}", q + 1), self.compared_persons_by_quintile[q]));
            v.push((format!("gaining_share_quintile_{}", q + 1), self.gaining_share_by_quintile[q]));
            v.push((format!("losing_share_quintile_{}", q + 1), self.losing_share_by_quintile[q]));
            v.push((format!("mean_change_quintile_{}", q + 1), self.mean_change_by_quintile[q]));
        }
        v.push(("formerly_poor_compared_persons".to_string(), self.formerly_poor_compared_persons));
        for band in ChangeBand::ALL {
            v.push((format!("formerly_poor_share_{}", band.as_str()), self.formerly_poor_shares[band.index()]));
        }
        v.push(("formerly_poor_mean_change_per_capita".to_string(), self.formerly_poor_mean_change));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::FollowedHousehold;
    use crate::model::Residence;

    fn hh(id: u64, disposable: f64, size: u8, weight: f32, residence: Residence) -> FollowedHousehold {
        // Household 2 is formerly poor.
        FollowedHousehold { id, disposable, dibao_line: 0.0, weight, size, residence, formerly_poor: id == 2 }
    }

    #[test]
    fn bands_split_at_one_yuan_and_five_percent() {
        assert_eq!(ChangeBand::of(0.99, 10_000.0), ChangeBand::Unchanged);
        assert_eq!(ChangeBand::of(-0.99, 10_000.0), ChangeBand::Unchanged);
        assert_eq!(ChangeBand::of(1.0, 10_000.0), ChangeBand::GainUpTo5Pct);
        assert_eq!(ChangeBand::of(500.0, 10_000.0), ChangeBand::GainUpTo5Pct);
        assert_eq!(ChangeBand::of(500.5, 10_000.0), ChangeBand::GainOver5Pct);
        assert_eq!(ChangeBand::of(-500.0, 10_000.0), ChangeBand::LoseUpTo5Pct);
        assert_eq!(ChangeBand::of(-501.0, 10_000.0), ChangeBand::LoseOver5Pct);
        // Without a positive baseline income any change is large.
        assert_eq!(ChangeBand::of(2.0, 0.0), ChangeBand::GainOver5Pct);
        assert_eq!(ChangeBand::of(-2.0, -100.0), ChangeBand::LoseOver5Pct);
    }

    #[test]
    fn households_are_matched_by_id_in_any_order() {
        let r = Residence::Rural;
        let u = Residence::Urban;
        let baseline = [hh(3, 30_000.0, 3, 2.0, r), hh(1, 10_000.0, 1, 1.0, u), hh(2, 8_000.0, 2, 1.0, r)];
        // Household 1 gains 100 (1%), 2 loses 1,000 per person (25%), 3 is unchanged,
        // 9 is the reform's only.
        let reform = [
            hh(9, 5_000.0, 1, 4.0, r),
            hh(2, 6_000.0, 2, 1.0, r),
            hh(3, 30_000.5, 3, 2.0, r),
            hh(1, 10_100.0, 1, 1.0, u),
        ];
        let cuts = [5_000.0, 9_000.0, 9_500.0, 20_000.0];
        let s = gain_sums(&reform, &BaselineIncomes::of(&baseline), Some(&cuts));
        let urban = &s.groups[0];
        assert_eq!(urban.persons, [0.0, 1.0, 0.0, 0.0, 0.0]);
        assert_eq!(urban.change, 100.0);
        // 10,000 is above three bounds: the fourth group.
        assert_eq!(urban.persons_by_quintile[3][1], 1.0);
        let rural = &s.groups[1];
        assert_eq!(rural.persons, [0.0, 0.0, 6.0, 0.0, 2.0]);
        assert!((rural.change - (2.0 * -1_000.0 + 6.0 * (0.5 / 3.0))).abs() < 1e-9);
        assert_eq!(rural.uncompared_persons, 4.0);
        assert_eq!(rural.formerly_poor_persons, [0.0, 0.0, 0.0, 0.0, 2.0]);
        assert_eq!(rural.formerly_poor_change, -2_000.0);
        assert_eq!(rural.persons_by_quintile[0][4], 2.0);
        assert_eq!(rural.persons_by_quintile[3][2], 6.0);
        let g = Gains::by_group(&s);
        assert_eq!(g[2].compared_persons, 9.0);
        assert_eq!(g[2].shares[ChangeBand::Unchanged.index()], 6.0 / 9.0);
        assert_eq!(g[1].losing_share_by_quintile[0], 1.0);
        assert_eq!(g[1].gaining_share_by_quintile[0], 0.0);
        assert_eq!(g[0].gaining_share_by_quintile[3], 1.0);
        assert_eq!(g[2].formerly_poor_compared_persons, 2.0);
        assert_eq!(g[2].formerly_poor_shares[ChangeBand::LoseOver5Pct.index()], 1.0);
        assert_eq!(g[2].formerly_poor_mean_change, -1_000.0);
        // A household exactly at a bound is in the group above it, as in the ledger's
        // groups: 10,000 per person with the third bound at 10,000 is the fourth group.
        let at_bound = [5_000.0, 9_000.0, 10_000.0, 20_000.0];
        let s = gain_sums(&reform, &BaselineIncomes::of(&baseline), Some(&at_bound));
        assert_eq!(s.groups[0].persons_by_quintile[3][1], 1.0);
        assert_eq!(crate::policy::quintile_of(10_000.0, &at_bound), 3);
        // Without bounds no quintile sums.
        let s = gain_sums(&reform, &BaselineIncomes::of(&baseline), None);
        assert_eq!(s.all().persons_by_quintile, [[0.0; 5]; 5]);
        assert_eq!(s.all().persons.iter().sum::<f64>(), 9.0);
    }

    #[test]
    fn merging_blocks_adds_their_sums() {
        let r = Residence::Rural;
        let a = gain_sums(
            &[hh(1, 2_000.0, 1, 1.0, r)],
            &BaselineIncomes::of(&[hh(1, 1_000.0, 1, 1.0, r)]),
            Some(&[1.0, 2.0, 3.0, 4.0]),
        );
        let b = gain_sums(
            &[hh(5, 900.0, 2, 3.0, r)],
            &BaselineIncomes::of(&[hh(5, 1_000.0, 2, 3.0, r)]),
            Some(&[1.0, 2.0, 3.0, 4.0]),
        );
        let mut m = a;
        m.merge(&b);
        assert_eq!(m.groups[1].persons, [1.0, 0.0, 0.0, 0.0, 6.0]);
        assert_eq!(m.groups[1].change, 1_000.0 + 6.0 * -50.0);
    }
}
