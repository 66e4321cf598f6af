//! The indicators of one projection year, and their long-format rows.

use serde::Serialize;

use super::gains::Gains;
use super::incentives::WorkIncentives;
use super::outcome::{Followed, HouseholdOutcome};
use super::sketch::BinnedDistribution;
use super::stats::{HouseholdIncome, household_median, household_quintile_means, weighted_gini, weighted_theil};
use super::sums::{GroupSums, IndicatorSums, PovertyLines, TrackingGroupSums, TrackingSums};
use crate::dynamics::FORMED_ID_BASE;
use crate::model::Residence;
use crate::region::Profile;

/// A reporting group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Urban residents.
    Urban,
    /// Rural residents.
    Rural,
    /// All residents.
    All,
}

impl Group {
    /// The three groups, in report order.
    pub const ALL: [Group; 3] = [Group::Urban, Group::Rural, Group::All];

    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Urban => "urban",
            Group::Rural => "rural",
            Group::All => "all",
        }
    }

    /// Index into per-group arrays: urban 0, rural 1, all 2.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// How the `all` group weights urban and rural persons in its per-capita, share and
/// distribution figures (its totals of persons, households and yuan always use the
/// resident weights).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum AllWeighting {
    /// The household weights as they are (resident shares). Default.
    #[default]
    Resident,
    /// Urban persons reweighted to this share of all persons, rural persons to the
    /// rest: the survey's own urban share (profile field `all.survey_urban_share`),
    /// for comparing with published all-residents figures. Falls back to the resident
    /// weights when a residence has no persons.
    SurveyUrbanShare(f64),
}

impl AllWeighting {
    /// The survey urban share of a profile when it gives one, else resident weights.
    pub fn from_profile(profile: &Profile) -> Self {
        profile
            .all
            .as_ref()
            .and_then(|a| a.survey_urban_share.as_ref())
            .map_or(AllWeighting::Resident, |s| AllWeighting::SurveyUrbanShare(s.value))
    }

    /// Scale factors `[urban, rural]` for the household weights given the resident
    /// persons `[urban, rural]`.
    pub fn scales(self, persons: [f64; 2]) -> [f64; 2] {
        match self {
            AllWeighting::Resident => [1.0, 1.0],
            AllWeighting::SurveyUrbanShare(s) => {
                let total = persons[0] + persons[1];
                if persons[0] > 0.0 && persons[1] > 0.0 && (0.0..=1.0).contains(&s) {
                    [s * total / persons[0], (1.0 - s) * total / persons[1]]
                } else {
                    [1.0, 1.0]
                }
            }
        }
    }
}

/// Options of [`YearIndicators::compute_with`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndicatorOptions {
    /// Fixed poverty lines besides the dibao line.
    pub lines: PovertyLines,
    /// Weighting of the `all` group.
    pub all_weighting: AllWeighting,
}

/// Mean per-capita income and its parts, yuan per person per year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct IncomeMeans {
    /// Disposable income.
    pub disposable: f64,
    /// Wage income.
    pub wage: f64,
    /// Net operating income.
    pub operating: f64,
    /// Net property income.
    pub property: f64,
    /// Net transfer income.
    pub net_transfer: f64,
}

/// The parts of disposable income as shares of it (0.45 = 45%): the part's total over
/// disposable income's total, so a group's shares add up to 1. "Wage income at least
/// 45% of rural disposable income" (Wuzhong plan §5) is `wage ≥ 0.45` of the rural group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct IncomeShares {
    /// Wage income over disposable income.
    pub wage: f64,
    /// Net operating income over disposable income.
    pub operating: f64,
    /// Net property income over disposable income.
    pub property: f64,
    /// Net transfer income over disposable income.
    pub net_transfer: f64,
}

/// The labour market of a group (persons and households grossed up), as the NBS labour
/// force survey counts it: persons aged 16 and over
/// ([`LABOUR_FORCE_MIN_AGE`](super::LABOUR_FORCE_MIN_AGE)), working (employees,
/// migrant workers, farmers, the self-employed, public-welfare post holders, the public
/// sector) or unemployed and looking for work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Labour {
    /// Persons in the labour force.
    pub labour_force: f64,
    /// Persons working.
    pub employed: f64,
    /// Persons unemployed.
    pub unemployed: f64,
    /// Unemployed over the labour force (for the urban group, the model's counterpart of
    /// the urban surveyed unemployment rate, 城镇调查失业率); 0 without a labour force.
    pub unemployment_rate: f64,
    /// Households with a member in the labour force and none working (零就业家庭).
    pub zero_employment_households: f64,
}

/// The old in a group (persons grossed up), as the NBS communiqués count them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct OldAge {
    /// Persons aged 60 and over.
    pub persons_60_plus: f64,
    /// Persons aged 65 and over.
    pub persons_65_plus: f64,
    /// Persons aged 60 and over over all persons, by the resident weights (also where
    /// `all` weighs incomes by the survey's urban share, [`AllWeighting`]); 0 without
    /// persons.
    pub share_60_plus: f64,
    /// Persons aged 65 and over over all persons, likewise; 0 without persons.
    pub share_65_plus: f64,
    /// Persons drawing an employer-scheme retiree pension, of any age (the retirees of
    /// the urban employees' basic pension scheme that MOHRSS counts, 城镇职工基本养老保险
    /// 离退休人员).
    pub retirees: f64,
}

/// Poverty against one line (FGT, person-weighted).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Poverty {
    /// Line label: `dibao` or the line in yuan.
    pub line: String,
    /// Persons below the line (grossed up).
    pub poor_persons: f64,
    /// FGT(0): share of persons below the line.
    pub headcount: f64,
    /// FGT(1): mean normalised gap `(z − y)/z` over all persons (0 for the non-poor).
    pub gap: f64,
    /// FGT(2): mean squared normalised gap.
    pub severity: f64,
    /// Persons of formerly poor households (脱贫户) below the line (grossed up).
    pub formerly_poor_below: f64,
}

/// The indicators of one group in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupIndicators {
    /// Households (grossed up).
    pub households: f64,
    /// Persons (grossed up).
    pub persons: f64,
    /// Total disposable income, yuan per year.
    pub disposable_total: f64,
    /// Mean per-capita income and parts.
    pub mean: IncomeMeans,
    /// The parts as shares of disposable income.
    pub shares: IncomeShares,
    /// NBS median: per-capita income of the middle household.
    pub median_disposable: f64,
    /// NBS quintile group means (五等份), lowest first.
    pub quintile_means: [f64; 5],
    /// Gini of per-capita income over persons.
    pub gini: f64,
    /// Theil T of per-capita income over persons with positive income.
    pub theil: f64,
    /// The Lorenz curve: `[population share, income share]` at population shares
    /// 0, 0.05, …, 1 ([`LORENZ_POINTS`] points), persons ranked by per-capita income.
    pub lorenz: Vec<[f64; 2]>,
    /// Poverty per line, dibao first.
    pub poverty: Vec<Poverty>,
    /// Persons in the middle-income group (grossed up).
    pub middle_income_persons: f64,
    /// Share of persons in the middle-income group.
    pub middle_income_share: f64,
    /// Households in the dibao caseload.
    pub dibao_households: f64,
    /// Persons in the dibao caseload.
    pub dibao_persons: f64,
    /// Dibao paid, yuan per year.
    pub dibao_spending: f64,
    /// Labour force, employment and unemployment.
    pub labour: Labour,
    /// Persons aged 60+ and 65+ and their shares.
    pub old_age: OldAge,
}

/// Growth of a group's income from the previous year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Growth {
    /// Nominal growth of mean per-capita disposable income (0.1 = 10%).
    pub mean_nominal: f64,
    /// Real growth: `(1 + nominal) / price index ratio − 1`.
    pub mean_real: f64,
    /// Nominal growth of the median.
    pub median_nominal: f64,
    /// Real growth of the median.
    pub median_real: f64,
}

/// Households followed from the previous year, for one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tracking {
    /// Households present both years.
    pub matched_households: f64,
    /// Their persons this year.
    pub matched_persons: f64,
    /// Households present this year only.
    pub entered_households: f64,
    /// Their persons.
    pub entered_persons: f64,
    /// Households present last year only.
    pub exited_households: f64,
    /// Their persons last year.
    pub exited_persons: f64,
    /// Per line: persons who rose from below to at or above it.
    pub crossed_up: Vec<f64>,
    /// Per line: persons who fell from at or above to below it.
    pub crossed_down: Vec<f64>,
    /// Per line: persons of formerly poor households who fell below it (返贫).
    pub returned_to_poverty: Vec<f64>,
    /// Per line: returned persons over persons of matched formerly poor households.
    pub return_to_poverty_rate: Vec<f64>,
    /// Persons of matched formerly poor households this year.
    pub formerly_poor_persons: f64,
    /// Growth of the mean per-capita income of matched formerly poor households (each
    /// year with its own weights and sizes); `None` without such households.
    pub formerly_poor_income_growth: Option<f64>,
}

/// The indicators of one projection year for urban, rural and all residents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearIndicators {
    /// The year.
    pub year: u16,
    /// Line labels, dibao first (the order of every per-line vector).
    pub line_labels: Vec<String>,
    /// By group: urban, rural, all ([`Group::index`]).
    pub groups: [GroupIndicators; 3],
    /// Urban mean over rural mean per-capita disposable income (0 without rural income).
    pub urban_rural_ratio: f64,
    /// Households followed from the previous year, by group; `None` without a
    /// previous year.
    pub tracking: Option<[Tracking; 3]>,
    /// Growth from the previous year by group; set by [`YearIndicators::set_growth`].
    pub growth: [Option<Growth>; 3],
    /// Who gains and who loses against the baseline in this year, by group: a
    /// reform's projected years ([`super::gains`]); `None` for the baseline, the base
    /// year and indicators computed from one run's outcomes alone.
    pub gains: Option<[Gains; 3]>,
    /// Who gains and who loses against another reform run beside this one on the same
    /// households and draws (`compare`'s scenario B against A: its households against
    /// A's, the bands and quintile groups as in [`YearIndicators::gains`], A's quintile
    /// bounds); `None` otherwise. Not among [`YearIndicators::rows`]: a comparison of
    /// two runs, not an indicator of one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gains_against_other: Option<[Gains; 3]>,
    /// Work incentives by group: the marginal effective tax rate on a rise in earnings
    /// ([`super::incentives`]), when the run measures them; `None` otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work_incentives: Option<[WorkIncentives; 3]>,
}

/// One indicator value in long format: a row of `indicators.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRow {
    /// Year.
    pub year: u16,
    /// Group: `urban`, `rural` or `all`.
    pub group: &'static str,
    /// Indicator name (see the table in the module docs).
    pub indicator: String,
    /// Value.
    pub value: f64,
}

#[derive(Debug, Clone, Copy)]
struct Ranked {
    id: u64,
    item: HouseholdIncome,
}

fn ratio(a: f64, b: f64) -> f64 {
    if b != 0.0 { a / b } else { 0.0 }
}

/// Points of the Lorenz curve: population shares 0, 0.05, …, 1.
pub const LORENZ_POINTS: usize = 21;

/// The Lorenz curve of per-capita income over persons, sorted by income: at each
/// population share `k / (LORENZ_POINTS − 1)`, the share of income held by the poorer
/// persons (linear within a household).
fn lorenz(items: &[HouseholdIncome]) -> Vec<[f64; 2]> {
    let persons: f64 = items.iter().map(|h| h.weight * h.size).sum();
    let income: f64 = items.iter().map(|h| h.weight * h.size * h.per_capita).sum();
    let steps = (LORENZ_POINTS - 1) as f64;
    if persons <= 0.0 || income == 0.0 {
        return (0..LORENZ_POINTS).map(|k| [k as f64 / steps, k as f64 / steps]).collect();
    }
    let mut out = Vec::with_capacity(LORENZ_POINTS);
    let (mut cum_p, mut cum_y, mut next) = (0.0f64, 0.0f64, 0usize);
    for h in items {
        let p = h.weight * h.size;
        while next < LORENZ_POINTS && (next as f64 / steps) * persons <= cum_p + p {
            let within = ((next as f64 / steps) * persons - cum_p).max(0.0);
            out.push([next as f64 / steps, (cum_y + within * h.per_capita) / income]);
            next += 1;
        }
        cum_p += p;
        cum_y += p * h.per_capita;
    }
    while out.len() < LORENZ_POINTS {
        out.push([out.len() as f64 / steps, 1.0]);
    }
    out
}

/// Median, quintile means, Gini, Theil and the Lorenz curve of a group.
type Distribution = (f64, [f64; 5], f64, f64, Vec<[f64; 2]>);

fn sort_stable_by_income(items: &mut [HouseholdIncome]) {
    items.sort_by(|a, b| a.per_capita.total_cmp(&b.per_capita));
}

/// The exact distribution statistics from households sorted by per-capita income with
/// ties broken by id, so that the input order does not matter.
fn distribution(mut ranked: Vec<Ranked>) -> Distribution {
    if ranked.is_empty() {
        return (0.0, [0.0; 5], 0.0, 0.0, lorenz(&[]));
    }
    ranked.sort_unstable_by(|a, b| a.item.per_capita.total_cmp(&b.item.per_capita).then(a.id.cmp(&b.id)));
    // The stats functions sort stably by income, which keeps the id tie-break.
    let mut items: Vec<HouseholdIncome> = ranked.into_iter().map(|r| r.item).collect();
    let median = household_median(&mut items);
    let quintiles = household_quintile_means(&mut items);
    let gini = weighted_gini(&mut items);
    let theil = weighted_theil(&items);
    sort_stable_by_income(&mut items);
    let curve = lorenz(&items);
    (median, quintiles, gini, theil, curve)
}

fn group_indicators(sums: &GroupSums, totals: &GroupSums, labels: &[String], dist: Distribution) -> GroupIndicators {
    let p = sums.persons;
    GroupIndicators {
        households: totals.households,
        persons: totals.persons,
        disposable_total: totals.disposable,
        mean: IncomeMeans {
            disposable: ratio(sums.disposable, p),
            wage: ratio(sums.wage, p),
            operating: ratio(sums.operating, p),
            property: ratio(sums.property, p),
            net_transfer: ratio(sums.net_transfer, p),
        },
        shares: IncomeShares {
            wage: ratio(sums.wage, sums.disposable),
            operating: ratio(sums.operating, sums.disposable),
            property: ratio(sums.property, sums.disposable),
            net_transfer: ratio(sums.net_transfer, sums.disposable),
        },
        median_disposable: dist.0,
        quintile_means: dist.1,
        gini: dist.2,
        theil: dist.3,
        lorenz: dist.4,
        poverty: labels
            .iter()
            .zip(&sums.poverty)
            .zip(&totals.poverty)
            .map(|((l, f), t)| Poverty {
                line: l.clone(),
                poor_persons: t.poor_persons,
                headcount: ratio(f.poor_persons, p),
                gap: ratio(f.gap, p),
                severity: ratio(f.severity, p),
                formerly_poor_below: t.formerly_poor_persons,
            })
            .collect(),
        middle_income_persons: totals.middle_income_persons,
        middle_income_share: ratio(sums.middle_income_persons, p),
        dibao_households: totals.dibao_households,
        dibao_persons: totals.dibao_persons,
        dibao_spending: totals.dibao_spending,
        labour: Labour {
            labour_force: totals.labour_force_persons,
            employed: totals.labour_force_persons - totals.unemployed_persons,
            unemployed: totals.unemployed_persons,
            unemployment_rate: ratio(sums.unemployed_persons, sums.labour_force_persons),
            zero_employment_households: totals.zero_employment_households,
        },
        old_age: OldAge {
            persons_60_plus: totals.persons_60_plus,
            persons_65_plus: totals.persons_65_plus,
            // Shares of residents, as the communiqués' are: the resident weights even
            // where `all` weights its incomes to the survey's urban share.
            share_60_plus: ratio(totals.persons_60_plus, totals.persons),
            share_65_plus: ratio(totals.persons_65_plus, totals.persons),
            retirees: totals.retirees,
        },
    }
}

fn tracking_of(s: &TrackingGroupSums) -> Tracking {
    let fp_now = ratio(s.formerly_poor_income, s.formerly_poor_persons);
    let fp_before = ratio(s.formerly_poor_income_before, s.formerly_poor_persons_before);
    Tracking {
        matched_households: s.matched_households,
        matched_persons: s.matched_persons,
        entered_households: s.entered_households,
        entered_persons: s.entered_persons,
        exited_households: s.exited_households,
        exited_persons: s.exited_persons,
        crossed_up: s.crossed_up.clone(),
        crossed_down: s.crossed_down.clone(),
        returned_to_poverty: s.returned_to_poverty.clone(),
        return_to_poverty_rate: s.returned_to_poverty.iter().map(|&r| ratio(r, s.formerly_poor_persons)).collect(),
        formerly_poor_persons: s.formerly_poor_persons,
        formerly_poor_income_growth: (s.formerly_poor_persons > 0.0 && fp_before > 0.0)
            .then(|| fp_now / fp_before - 1.0),
    }
}

/// Indices of `outcomes` in id order.
///
/// An engine's population holds its generated households in id order, with the
/// households formed during the projection (ids at or above [`FORMED_ID_BASE`],
/// hashed) each after the household it left. So outcomes already in id order are
/// taken as they are; otherwise the indices are split at that base, the ids below
/// first, and each part is sorted only when it is not in order already (the formed
/// households are a few in a hundred). Ids are unique, so this is the one id order,
/// whatever the outcomes' order.
pub(crate) fn id_order<T: Followed>(outcomes: &[T]) -> Vec<usize> {
    let mut order = Vec::new();
    id_order_into(outcomes, &mut order);
    order
}

/// An index into a list of outcomes, as an id order holds them: `usize`, or `u32`
/// for the engine's blocks (held in memory, so fewer than 2³² households), which
/// halves the order kept for following households from one year to the next.
pub(crate) trait OutcomeIndex: Copy {
    /// The index `i`.
    fn of(i: usize) -> Self;
    /// As a `usize`.
    fn get(self) -> usize;
}

impl OutcomeIndex for usize {
    #[inline]
    fn of(i: usize) -> Self {
        i
    }
    #[inline]
    fn get(self) -> usize {
        self
    }
}

impl OutcomeIndex for u32 {
    /// Blocks hold fewer than 2³² households (see [`OutcomeIndex`]).
    #[inline]
    fn of(i: usize) -> Self {
        debug_assert!(u32::try_from(i).is_ok(), "a block of more than 2³² households");
        i as u32
    }
    #[inline]
    fn get(self) -> usize {
        self as usize
    }
}

/// [`id_order`] into `order` (cleared first; its memory is reused).
pub(crate) fn id_order_into<T: Followed, I: OutcomeIndex>(outcomes: &[T], order: &mut Vec<I>) {
    order.clear();
    if outcomes.windows(2).all(|w| w[0].id() <= w[1].id()) {
        order.extend((0..outcomes.len()).map(I::of));
        return;
    }
    order.reserve(outcomes.len());
    order.extend(outcomes.iter().enumerate().filter(|(_, o)| o.id() < FORMED_ID_BASE).map(|(i, _)| I::of(i)));
    let generated = order.len();
    order.extend(outcomes.iter().enumerate().filter(|(_, o)| o.id() >= FORMED_ID_BASE).map(|(i, _)| I::of(i)));
    let (low, high) = order.split_at_mut(generated);
    for part in [low, high] {
        if !part.windows(2).all(|w| outcomes[w[0].get()].id() <= outcomes[w[1].get()].id()) {
            part.sort_unstable_by_key(|&i| outcomes[i.get()].id());
        }
    }
}

/// Follows households from last year's outcomes (`previous`) to this year's by id:
/// matched, entered and exited households (ids are unique within a year; either list
/// may be in any order).
pub fn follow_households(
    outcomes: &[HouseholdOutcome],
    previous: &[HouseholdOutcome],
    lines: &PovertyLines,
) -> TrackingSums {
    tracking_sums(outcomes, &id_order(outcomes), previous, &id_order(previous), lines)
}

/// Follows households from `previous` to `outcomes`, both visited in id order
/// (`order` and `prev_order`: the indices of `outcomes` and of `previous` in id order,
/// as [`id_order`] gives them).
pub(crate) fn tracking_sums<N: Followed, B: Followed, I: OutcomeIndex, J: OutcomeIndex>(
    outcomes: &[N],
    order: &[I],
    previous: &[B],
    prev_order: &[J],
    lines: &PovertyLines,
) -> TrackingSums {
    let mut sums = TrackingSums::new(lines);
    // Merge-join of the two id-ordered sequences.
    let (mut i, mut j) = (0, 0);
    while i < order.len() || j < prev_order.len() {
        let now = order.get(i).map(|&k| &outcomes[k.get()]);
        let before = prev_order.get(j).map(|&k| &previous[k.get()]);
        match (now, before) {
            (Some(n), Some(b)) if n.id() == b.id() => {
                sums.add_matched(n, b);
                i += 1;
                j += 1;
            }
            (Some(n), Some(b)) if n.id() < b.id() => {
                sums.add_entered(n);
                i += 1;
            }
            (Some(n), None) => {
                sums.add_entered(n);
                i += 1;
            }
            (_, Some(b)) => {
                sums.add_exited(b);
                j += 1;
            }
            (None, None) => break,
        }
    }
    sums
}

impl YearIndicators {
    /// The indicators of a year with the default options (resident weights for `all`)
    /// and the given lines. `previous` is last year's outcomes, for following
    /// households; growth needs last year's indicators, see [`Self::set_growth`].
    pub fn compute(
        year: u16,
        outcomes: &[HouseholdOutcome],
        previous: Option<&[HouseholdOutcome]>,
        lines: &PovertyLines,
    ) -> YearIndicators {
        let options = IndicatorOptions { lines: lines.clone(), all_weighting: AllWeighting::Resident };
        Self::compute_with(year, outcomes, previous, &options)
    }

    /// The indicators of a year with explicit options.
    ///
    /// Sums run over households in id order (household order), so the result does not
    /// depend on the order of `outcomes`; the distribution statistics come from the
    /// income sketches, which do not depend on any order (see
    /// [`Self::from_block_sums`] for their error bounds). Ids must be unique within a
    /// year (as global household ids are); a household is matched with last year's
    /// outcome of the same id.
    pub fn compute_with(
        year: u16,
        outcomes: &[HouseholdOutcome],
        previous: Option<&[HouseholdOutcome]>,
        options: &IndicatorOptions,
    ) -> YearIndicators {
        let order = id_order(outcomes);
        let mut sums = IndicatorSums::new(&options.lines);
        for &i in &order {
            sums.add(&outcomes[i]);
        }
        let mut result = Self::from_block_sums(year, &sums, None, options.all_weighting);
        if let Some(prev) = previous {
            let t = tracking_sums(outcomes, &order, prev, &id_order(prev), &options.lines);
            result.set_tracking(&t);
        }
        result
    }

    /// The indicators from block-merged sums alone: `sums` and `tracking` are the
    /// partial sums of every block (see [`IndicatorSums`], [`TrackingSums`]) merged in
    /// block order. No household outcome is needed.
    ///
    /// Means, totals, poverty, middle income, dibao and Theil are exact from the sums.
    /// The median, quintile means, Gini and Lorenz curve come from the income sketches
    /// ([`BinnedDistribution`]), within the bounds documented there: the median within
    /// the range of one bin (relative width ≤ [`RELATIVE_WIDTH`](super::RELATIVE_WIDTH), 0.39%), the Gini at
    /// or below the exact one by at most `Σ_b p_b² (hi_b − lo_b) / (4μ)`, well under
    /// 10⁻⁴ for realistic populations; the sketches are exact for bins of one income.
    pub fn from_block_sums(
        year: u16,
        sums: &IndicatorSums,
        tracking: Option<&TrackingSums>,
        weighting: AllWeighting,
    ) -> YearIndicators {
        let [su, sr] = &sums.sketches;
        let scales = weighting.scales([sums.groups[0].persons, sums.groups[1].persons]);
        let dists = [
            BinnedDistribution::of(su),
            BinnedDistribution::of(sr),
            BinnedDistribution::pooled(&[(su, scales[0]), (sr, scales[1])]),
        ];
        let mut result = Self::assemble(year, sums, weighting, |g, group_sums| {
            let d = &dists[g];
            (d.median(), d.quintile_means().means, d.gini(), group_sums.theil(), d.lorenz(LORENZ_POINTS))
        });
        if let Some(t) = tracking {
            result.set_tracking(t);
        }
        result
    }

    /// The indicators from block-merged sums (see [`IndicatorSums`]) with the exact,
    /// sort-based median, quintiles, Gini, Theil and Lorenz curve from every
    /// household's outcome (any order; ties broken by id), for tests and small runs.
    /// [`Self::from_block_sums`] needs no outcomes.
    pub fn from_merged(
        year: u16,
        sums: &IndicatorSums,
        tracking: Option<&TrackingSums>,
        outcomes: &[HouseholdOutcome],
        weighting: AllWeighting,
    ) -> YearIndicators {
        let order = id_order(outcomes);
        let scales = weighting.scales([sums.groups[0].persons, sums.groups[1].persons]);
        let mut ranked: [Vec<Ranked>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        for &i in &order {
            let o = &outcomes[i];
            let a = o.residence.index();
            let item = HouseholdIncome { per_capita: o.per_capita(), weight: o.weight_f64(), size: o.size_f64() };
            ranked[a].push(Ranked { id: o.id, item });
            ranked[2].push(Ranked { id: o.id, item: HouseholdIncome { weight: item.weight * scales[a], ..item } });
        }
        let mut exact = ranked.map(|r| Some(distribution(r)));
        let mut result = Self::assemble(year, sums, weighting, |g, _| {
            exact[g].take().unwrap_or_else(|| (0.0, [0.0; 5], 0.0, 0.0, lorenz(&[])))
        });
        if let Some(t) = tracking {
            result.set_tracking(t);
        }
        result
    }

    /// The indicators of the three groups from the sums, with the distribution of
    /// group `g` (urban 0, rural 1, all 2) from `dist(g, sums of g)`.
    fn assemble(
        year: u16,
        sums: &IndicatorSums,
        weighting: AllWeighting,
        mut dist: impl FnMut(usize, &GroupSums) -> Distribution,
    ) -> YearIndicators {
        let labels = sums.lines().labels();
        let [urban, rural] = &sums.groups;
        let scales = weighting.scales([urban.persons, rural.persons]);
        let mut all_totals = GroupSums::default();
        all_totals.add_scaled(urban, 1.0);
        all_totals.add_scaled(rural, 1.0);
        let mut all = GroupSums::default();
        all.add_scaled(urban, scales[0]);
        all.add_scaled(rural, scales[1]);
        let groups = [
            group_indicators(urban, urban, &labels, dist(0, urban)),
            group_indicators(rural, rural, &labels, dist(1, rural)),
            group_indicators(&all, &all_totals, &labels, dist(2, &all)),
        ];
        let urban_rural_ratio = ratio(groups[0].mean.disposable, groups[1].mean.disposable);
        YearIndicators {
            year,
            line_labels: labels,
            groups,
            urban_rural_ratio,
            tracking: None,
            growth: [None; 3],
            gains: None,
            gains_against_other: None,
            work_incentives: None,
        }
    }

    fn set_tracking(&mut self, t: &TrackingSums) {
        let [u, r] = &t.groups;
        let mut all = TrackingGroupSums::default();
        all.add_scaled(u, 1.0);
        all.add_scaled(r, 1.0);
        self.tracking = Some([tracking_of(u), tracking_of(r), tracking_of(&all)]);
    }

    /// Sets the growth of every group from the previous year's indicators and the
    /// price index ratio (CPI this year over CPI last year; 1.02 for 2% inflation).
    /// A group whose previous mean (or median) is not positive gets no growth.
    pub fn set_growth(&mut self, previous: &YearIndicators, price_index_ratio: f64) {
        for g in 0..3 {
            let (now, before) = (&self.groups[g], &previous.groups[g]);
            let m0 = before.mean.disposable;
            let d0 = before.median_disposable;
            self.growth[g] = (m0 > 0.0 && d0 > 0.0 && price_index_ratio > 0.0).then(|| {
                let mean_nominal = now.mean.disposable / m0 - 1.0;
                let median_nominal = now.median_disposable / d0 - 1.0;
                Growth {
                    mean_nominal,
                    mean_real: (1.0 + mean_nominal) / price_index_ratio - 1.0,
                    median_nominal,
                    median_real: (1.0 + median_nominal) / price_index_ratio - 1.0,
                }
            });
        }
    }

    /// One group's indicators.
    pub fn group(&self, group: Group) -> &GroupIndicators {
        &self.groups[group.index()]
    }

    /// The value of an indicator by group and name, as in [`Self::rows`].
    pub fn get(&self, group: Group, indicator: &str) -> Option<f64> {
        self.named(group).into_iter().find(|(n, _)| n == indicator).map(|(_, v)| v)
    }

    fn named(&self, group: Group) -> Vec<(String, f64)> {
        let g = &self.groups[group.index()];
        let mut v: Vec<(String, f64)> = vec![
            ("households".into(), g.households),
            ("persons".into(), g.persons),
            ("disposable_total".into(), g.disposable_total),
            ("mean_disposable".into(), g.mean.disposable),
            ("mean_wage".into(), g.mean.wage),
            ("mean_operating".into(), g.mean.operating),
            ("mean_property".into(), g.mean.property),
            ("mean_net_transfer".into(), g.mean.net_transfer),
            ("wage_share".into(), g.shares.wage),
            ("operating_share".into(), g.shares.operating),
            ("property_share".into(), g.shares.property),
            ("net_transfer_share".into(), g.shares.net_transfer),
            ("median_disposable".into(), g.median_disposable),
        ];
        for (k, q) in g.quintile_means.iter().enumerate() {
            v.push((format!("quintile_{}_mean", k + 1), *q));
        }
        v.push(("gini".into(), g.gini));
        v.push(("theil".into(), g.theil));
        for p in &g.poverty {
            v.push((format!("poor_persons_{}", p.line), p.poor_persons));
            v.push((format!("headcount_{}", p.line), p.headcount));
            v.push((format!("gap_{}", p.line), p.gap));
            v.push((format!("severity_{}", p.line), p.severity));
            v.push((format!("formerly_poor_below_{}", p.line), p.formerly_poor_below));
        }
        v.push(("middle_income_persons".into(), g.middle_income_persons));
        v.push(("middle_income_share".into(), g.middle_income_share));
        v.push(("dibao_households".into(), g.dibao_households));
        v.push(("dibao_persons".into(), g.dibao_persons));
        v.push(("dibao_spending".into(), g.dibao_spending));
        v.push(("labour_force".into(), g.labour.labour_force));
        v.push(("employed_persons".into(), g.labour.employed));
        v.push(("unemployed_persons".into(), g.labour.unemployed));
        v.push(("unemployment_rate".into(), g.labour.unemployment_rate));
        v.push(("zero_employment_households".into(), g.labour.zero_employment_households));
        v.push(("persons_60_plus".into(), g.old_age.persons_60_plus));
        v.push(("persons_65_plus".into(), g.old_age.persons_65_plus));
        v.push(("share_60_plus".into(), g.old_age.share_60_plus));
        v.push(("share_65_plus".into(), g.old_age.share_65_plus));
        v.push(("retirees".into(), g.old_age.retirees));
        if group == Group::All {
            v.push(("urban_rural_ratio".into(), self.urban_rural_ratio));
        }
        if let Some(gr) = &self.growth[group.index()] {
            v.push(("growth_nominal".into(), gr.mean_nominal));
            v.push(("growth_real".into(), gr.mean_real));
            v.push(("median_growth_nominal".into(), gr.median_nominal));
            v.push(("median_growth_real".into(), gr.median_real));
        }
        if let Some(t) = &self.tracking {
            let t = &t[group.index()];
            v.push(("matched_households".into(), t.matched_households));
            v.push(("matched_persons".into(), t.matched_persons));
            v.push(("entered_households".into(), t.entered_households));
            v.push(("entered_persons".into(), t.entered_persons));
            v.push(("exited_households".into(), t.exited_households));
            v.push(("exited_persons".into(), t.exited_persons));
            for (k, l) in self.line_labels.iter().enumerate() {
                v.push((format!("crossed_up_{l}"), t.crossed_up[k]));
                v.push((format!("crossed_down_{l}"), t.crossed_down[k]));
                v.push((format!("returned_to_poverty_{l}"), t.returned_to_poverty[k]));
                v.push((format!("return_to_poverty_rate_{l}"), t.return_to_poverty_rate[k]));
            }
            v.push(("formerly_poor_persons".into(), t.formerly_poor_persons));
            if let Some(gr) = t.formerly_poor_income_growth {
                v.push(("formerly_poor_income_growth".into(), gr));
            }
        }
        if let Some(gains) = &self.gains {
            v.extend(gains[group.index()].named());
        }
        if let Some(w) = &self.work_incentives {
            v.extend(w[group.index()].named());
        }
        v
    }

    /// Every indicator in long format, groups in the order urban, rural, all, and
    /// indicators in a fixed order within a group (see the module docs for names).
    pub fn rows(&self) -> Vec<IndicatorRow> {
        Group::ALL
            .iter()
            .flat_map(|&g| {
                self.named(g).into_iter().map(move |(indicator, value)| IndicatorRow {
                    year: self.year,
                    group: g.as_str(),
                    indicator,
                    value,
                })
            })
            .collect()
    }
}

impl From<Residence> for Group {
    fn from(r: Residence) -> Self {
        match r {
            Residence::Urban => Group::Urban,
            Residence::Rural => Group::Rural,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::indicators::FollowedHousehold;
    use crate::model::IncomeParts;

    fn outcome(id: u64) -> HouseholdOutcome {
        HouseholdOutcome::new(id, Residence::Urban, 1.0, 1, &IncomeParts::default())
    }

    /// Ids as a projection leaves them: generated ids in order (some gone), each
    /// followed by the hashed ids of the households formed from it.
    fn projected_ids() -> impl Strategy<Value = Vec<u64>> {
        proptest::collection::vec((any::<bool>(), 0usize..3, any::<u64>()), 0..200).prop_map(|rows| {
            let mut ids = Vec::new();
            for (k, (kept, formed, hash)) in rows.into_iter().enumerate() {
                if kept {
                    ids.push(k as u64);
                }
                for f in 0..formed {
                    ids.push(FORMED_ID_BASE | (hash.rotate_left(f as u32 * 7) & (FORMED_ID_BASE - 1)));
                }
            }
            ids.sort_unstable();
            ids.dedup();
            ids
        })
    }

    proptest! {
        /// The id order is the sorted order of the ids, whatever order the outcomes
        /// come in: as a projection leaves them, shuffled, or reversed.
        #[test]
        fn id_order_is_the_sorted_order(ids in projected_ids(), shuffle in any::<u64>()) {
            // The projection's order: each formed household after a generated one.
            let (low, high): (Vec<u64>, Vec<u64>) = ids.iter().partition(|&&id| id < FORMED_ID_BASE);
            let mut projected = Vec::new();
            let mut formed = high.iter();
            for id in &low {
                projected.push(*id);
                if id % 3 == 0 {
                    projected.extend(formed.next());
                }
            }
            projected.extend(formed);
            let mut shuffled = ids.clone();
            let mut state = shuffle | 1;
            for i in (1..shuffled.len()).rev() {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                shuffled.swap(i, (state >> 33) as usize % (i + 1));
            }
            let reversed: Vec<u64> = ids.iter().rev().copied().collect();
            for case in [&ids, &projected, &shuffled, &reversed] {
                let outcomes: Vec<HouseholdOutcome> = case.iter().map(|&id| outcome(id)).collect();
                let visited: Vec<u64> = id_order(&outcomes).iter().map(|&i| outcomes[i].id).collect();
                prop_assert_eq!(&visited, &ids);
                // The engine's order of 32-bit indices, into a list that held another.
                let mut order: Vec<u32> = vec![7; 3];
                id_order_into(&outcomes, &mut order);
                let visited: Vec<u64> = order.iter().map(|&i| outcomes[i as usize].id).collect();
                prop_assert_eq!(&visited, &ids);
            }
        }

        /// Following households through the 32 bytes the engine keeps of each outcome
        /// gives the sums of following the whole outcomes, bit for bit.
        #[test]
        fn following_the_kept_part_is_following_the_outcomes(
            rows in proptest::collection::vec(
                (0u64..60, any::<bool>(), 0u8..6, 0.0f32..3.0, -2e4f64..9e4, -3e3f64..6e3, 0.0f64..8e3, any::<bool>()),
                0..80,
            ),
            cut in 0usize..80,
        ) {
            let lines = PovertyLines::new(vec![2_300.0, 6_000.0]).expect("lines");
            let mut outcomes: Vec<HouseholdOutcome> = rows
                .iter()
                .map(|&(id, urban, size, weight, wage, transfer, line, poor)| {
                    let residence = if urban { Residence::Urban } else { Residence::Rural };
                    let parts = IncomeParts { wage, operating: wage / 7.0, property: 3.0, transfers_received: transfer.max(0.0), transfers_paid: (-transfer).max(0.0) };
                    let mut o = HouseholdOutcome::new(id, residence, weight, size, &parts);
                    o.dibao_line = line;
                    o.flags.set(crate::model::HouseholdFlags::FORMERLY_POOR, poor);
                    o
                })
                .collect();
            outcomes.sort_by_key(|o| o.id);
            outcomes.dedup_by_key(|o| o.id);
            let (before, now) = outcomes.split_at(cut.min(outcomes.len()) / 2);
            let now: Vec<HouseholdOutcome> = now.iter().chain(before.iter().take(before.len() / 2)).copied().collect();
            let kept = |v: &[HouseholdOutcome]| v.iter().map(FollowedHousehold::of).collect::<Vec<_>>();
            let (now_kept, before_kept) = (kept(&now), kept(before));
            let whole = tracking_sums(&now, &id_order(&now), before, &id_order(before), &lines);
            let part = tracking_sums(&now_kept, &id_order(&now_kept), &before_kept, &id_order(&before_kept), &lines);
            prop_assert_eq!(format!("{:?}", part.groups), format!("{:?}", whole.groups));
            for (o, k) in now.iter().zip(&now_kept) {
                prop_assert_eq!(Followed::per_capita(k).to_bits(), o.per_capita().to_bits());
                prop_assert_eq!(Followed::persons(k).to_bits(), o.persons().to_bits());
            }
        }
    }
}
