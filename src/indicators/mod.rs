//! Income statistics: weighted means, NBS household quintile groups, medians,
//! inequality, poverty, and the indicators of a projection year.
//!
//! ## The indicators of a year
//!
//! The engine fills one [`HouseholdOutcome`] per household per year
//! ([`fill_outcomes`] / [`outcomes_from`]) and computes
//! [`YearIndicators::compute`] (or [`YearIndicators::compute_with`] for options)
//! from this year's outcomes and, to follow households, last year's. Growth needs last
//! year's indicators and the price index: [`YearIndicators::set_growth`].
//! [`YearIndicators::rows`] gives the long format of `indicators.csv`
//! (`year,group,indicator,value`).
//!
//! ### Definitions
//!
//! * Per-capita income `y` of a household: disposable income over members. Persons
//!   (weight × size) weight every mean, share, FGT measure, Gini and Theil.
//! * The NBS median and quintile groups (五等份) rank *households* by `y`, each
//!   counting its weight; a group's mean is its income over its members.
//! * Poverty: a person is below line `z` when `y < z` (an income within
//!   [`POVERTY_TOLERANCE_YUAN`] of the line counts as at it). FGT(α) is the person
//!   mean of `1[y<z]·((z−y)/z)^α`. Lines: each household's own dibao threshold
//!   (label `dibao`) and the fixed lines of [`PovertyLines`] (default 6,000 and
//!   10,000 yuan per person per year, labels `6000`, `10000`).
//! * Middle income: `y` in `[100,000/3, 500,000/3]` yuan, both bounds included
//!   ([`MIDDLE_INCOME_LOWER_PER_CAPITA`], [`MIDDLE_INCOME_UPPER_PER_CAPITA`]).
//! * Dibao caseload: households paid dibao this year or flagged as recipients.
//! * The `all` group pools urban and rural households with their resident weights,
//!   or, with [`AllWeighting::SurveyUrbanShare`], reweights urban and rural persons to
//!   the survey's urban share for its per-capita, share and distribution figures; its
//!   totals (`households`, `persons`, `disposable_total`, `poor_persons_*`,
//!   `middle_income_persons`, `dibao_*`) always use the resident weights.
//! * Following households: outcomes are matched by id. Households present this year
//!   only are `entered`, last year only `exited`; they do not enter crossings. Each
//!   year's income is compared with that year's line. Matched and entered households
//!   count in this year's residence group, exited ones in last year's.
//!
//! ### Indicator names
//!
//! `<line>` is `dibao`, `6000`, `10000` (or the labels of other [`PovertyLines`]).
//! Money is yuan per year (per person for means); persons and households are
//! grossed up with the weights; shares and rates are fractions (0.1 = 10%).
//!
//! | name | meaning | unit |
//! |---|---|---|
//! | `households` | households | households |
//! | `persons` | persons | persons |
//! | `disposable_total` | total disposable income | yuan |
//! | `mean_disposable` | mean per-capita disposable income | yuan/person |
//! | `mean_wage` | mean per-capita wage income | yuan/person |
//! | `mean_operating` | mean per-capita net operating income | yuan/person |
//! | `mean_property` | mean per-capita net property income | yuan/person |
//! | `mean_net_transfer` | mean per-capita net transfer income | yuan/person |
//! | `wage_share`, `operating_share`, `property_share`, `net_transfer_share` | the part's total over disposable income's total (they add up to 1) | share |
//! | `median_disposable` | NBS median: per-capita income of the middle household | yuan/person |
//! | `quintile_1_mean` … `quintile_5_mean` | NBS quintile group means, lowest first | yuan/person |
//! | `gini` | Gini of per-capita income over persons | 0–1 |
//! | `theil` | Theil T over persons with positive income | ≥ 0 |
//! | `poor_persons_<line>` | persons below the line | persons |
//! | `headcount_<line>` | FGT(0): share of persons below the line | share |
//! | `gap_<line>` | FGT(1): poverty gap index | share |
//! | `severity_<line>` | FGT(2): poverty severity index | share |
//! | `formerly_poor_below_<line>` | persons of formerly poor households (脱贫户) below the line | persons |
//! | `middle_income_persons` | persons in the middle-income group | persons |
//! | `middle_income_share` | share of persons in the middle-income group | share |
//! | `dibao_households` | dibao caseload, households | households |
//! | `dibao_persons` | dibao caseload, persons | persons |
//! | `dibao_spending` | dibao paid | yuan |
//! | `labour_force` | persons aged 16+ working or unemployed (NBS labour force survey) | persons |
//! | `employed_persons` | persons aged 16+ working (employees, migrant workers, farmers, self-employed, public-welfare posts, public sector) | persons |
//! | `unemployed_persons` | persons aged 16+ unemployed and looking for work | persons |
//! | `unemployment_rate` | `unemployed_persons` over `labour_force` (urban: the model's 城镇调查失业率) | share |
//! | `zero_employment_households` | households with a member in the labour force and none working (零就业家庭) | households |
//! | `persons_60_plus`, `persons_65_plus` | persons aged 60 and over, 65 and over | persons |
//! | `retirees` | persons drawing an employer-scheme retiree pension, of any age (MOHRSS's retirees of the urban employees' scheme, 城镇职工基本养老保险离退休人员) | persons |
//! | `share_60_plus`, `share_65_plus` | their shares of all persons (the NBS communiqués' 60+ and 65+ shares; of residents, also where `all` weighs incomes by the survey's urban share) | share |
//! | `urban_rural_ratio` | urban over rural mean per-capita disposable income (group `all` only) | ratio |
//! | `growth_nominal` | nominal growth of `mean_disposable` (after `set_growth`) | share |
//! | `growth_real` | real growth: (1 + nominal) / price index ratio − 1 | share |
//! | `median_growth_nominal` | nominal growth of `median_disposable` | share |
//! | `median_growth_real` | real growth of `median_disposable` | share |
//! | `matched_households` | households present last year and this year | households |
//! | `matched_persons` | their persons this year | persons |
//! | `entered_households` | households present this year only | households |
//! | `entered_persons` | their persons | persons |
//! | `exited_households` | households present last year only | households |
//! | `exited_persons` | their persons last year | persons |
//! | `crossed_up_<line>` | persons below the line last year, at or above it now | persons |
//! | `crossed_down_<line>` | persons at or above the line last year, below it now | persons |
//! | `returned_to_poverty_<line>` | persons of formerly poor households who crossed down (返贫) | persons |
//! | `return_to_poverty_rate_<line>` | those over `formerly_poor_persons` | share |
//! | `formerly_poor_persons` | persons of matched formerly poor households this year | persons |
//! | `formerly_poor_income_growth` | growth of the mean per-capita income of matched formerly poor households | share |
//! | `compared_persons` | persons of reform households present in the baseline too (a reform's projected years: [`gains`]) | persons |
//! | `uncompared_persons` | persons of reform households the baseline does not have | persons |
//! | `persons_<band>`, `share_<band>` | compared persons whose household's per-capita income changes in the band, and their share; `<band>` is `gain_over_5pct`, `gain_up_to_5pct`, `unchanged`, `lose_up_to_5pct`, `lose_over_5pct` ([`ChangeBand`]) | persons, share |
//! | `mean_change_per_capita` | mean change of per-capita income, reform minus baseline, over compared persons | yuan/person |
//! | `compared_persons_quintile_<k>` | compared persons in the baseline's quintile group `k` (1 lowest) of all residents | persons |
//! | `gaining_share_quintile_<k>`, `losing_share_quintile_<k>` | shares of them gaining, losing (either band) | share |
//! | `mean_change_quintile_<k>` | their mean change of per-capita income | yuan/person |
//! | `formerly_poor_compared_persons` | compared persons of formerly poor households (脱贫户) | persons |
//! | `formerly_poor_share_<band>` | their shares by band | share |
//! | `formerly_poor_mean_change_per_capita` | their mean change of per-capita income | yuan/person |
//! | `metr_persons` | persons of households whose earnings rise when every member's wage and operating income rise by 3% (a run with `work_incentives`: [`incentives`]) | persons |
//! | `metr_aggregate` | their marginal effective tax rate: the share of the rise in earnings that does not reach disposable income | share |
//! | `metr_share_<band>` | shares of those persons by band of their household's rate; `<band>` is `below_0`, `0_to_20pct`, `20_to_50pct`, `50_to_80pct`, `80_to_100pct`, `100pct_or_more` ([`MetrBand`]) | share |
//! | `metr_dibao_persons`, `metr_dibao_aggregate`, `metr_dibao_share_<band>` | the same for households on dibao this year | persons, share |
//! | `ptr_persons` | persons of households one of whose members without paid work takes a full-year local job ([`incentives::enter_work`]) | persons |
//! | `ptr_aggregate` | their participation tax rate: the share of the new earnings that does not reach disposable income | share |
//! | `ptr_mean_earnings`, `ptr_mean_gain` | their household's mean rise of earnings and of disposable income | yuan/household |
//! | `ptr_share_<band>` | shares of those persons by band of their household's rate (the bands of `metr_`) | share |
//! | `ptr_dibao_persons`, `ptr_dibao_aggregate`, `ptr_dibao_mean_earnings`, `ptr_dibao_mean_gain`, `ptr_dibao_share_<band>` | the same for households on dibao this year | persons, share, yuan/household |
//! | `ptr_workless_persons`, `ptr_workless_aggregate`, `ptr_workless_mean_earnings`, `ptr_workless_mean_gain`, `ptr_workless_share_<band>` | the same for households in which no member has paid work this year (零就业 in the wide sense) | persons, share, yuan/household |
//! | `metr_persons_quintile_<k>`, `metr_aggregate_quintile_<k>`, `ptr_persons_quintile_<k>`, `ptr_aggregate_quintile_<k>` | both rates by quintile group `k` (1 lowest) of all residents' per-capita disposable income in the year, under the run's own bounds (the ledger's: the pilot's when a run streams) | persons, share |
//!
//! Growth rows appear only after [`YearIndicators::set_growth`] (and not for a group
//! whose previous mean or median is not positive); following rows only with a previous
//! year's outcomes; `formerly_poor_income_growth` only when there are matched formerly
//! poor households; the comparison rows only in a reform's projected years, against the
//! baseline of the same run and replication (by the quintile groups of that baseline,
//! in every replication); the `metr_` and `ptr_` rows only when the
//! run measures work incentives, in the variants with full detail.
//!
//! ### Determinism
//!
//! [`YearIndicators::compute_with`] sums in id order whatever the order of its input,
//! so its result does not depend on the order of the outcomes. Blocks of households
//! accumulate [`IndicatorSums`] and [`TrackingSums`] with `add` and combine them with
//! `merge` in block order; [`YearIndicators::from_block_sums`] computes every
//! indicator from the merged sums, without the households' outcomes. The median,
//! quintile means, Gini and Lorenz curve come from an [`IncomeSketch`] per residence
//! group (fixed bins of per-capita income with exact integer sums, so a sketch is the
//! same however households are split into blocks), within error bounds documented
//! and computed by [`BinnedDistribution`]: the median within one bin (relative width
//! [`RELATIVE_WIDTH`], 0.39%), the Gini below the exact one by at most a bound that is
//! under 10⁻⁴ for realistic populations. Theil is exact from sums. The exact,
//! sort-based statistics remain for tests and small runs
//! ([`YearIndicators::from_merged`], [`weighted_gini`], [`household_median`] …).

pub mod gains;
pub mod incentives;
mod outcome;
mod sketch;
mod stats;
mod sums;
mod year;

pub use gains::{BaselineIncomes, ChangeBand, GainSums, Gains, gain_sums};
pub use incentives::{EntryWages, IncentiveSums, MetrBand, MetrGroup, MetrSums, WorkIncentives};
pub(crate) use outcome::for_each_outcome;
pub use outcome::{
    DibaoLines, Followed, FollowedHousehold, HouseholdOutcome, LABOUR_FORCE_MIN_AGE, fill_outcomes, outcomes_from,
};
pub use sketch::{
    BinnedDistribution, IncomeBin, IncomeSketch, MANTISSA_BITS, OCTAVES, PAGE_BINS, QuintileMeans, RELATIVE_WIDTH,
};
pub use stats::{
    HouseholdIncome, household_median, household_quintile_groups, household_quintile_means, person_weighted_median,
    weighted_gini, weighted_theil,
};
pub(crate) use stats::{QuintileSplitter, quintile_ends};
pub use sums::{
    FgtSums, GroupSums, IndicatorSums, MIDDLE_INCOME_LOWER_PER_CAPITA, MIDDLE_INCOME_UPPER_PER_CAPITA,
    POVERTY_TOLERANCE_YUAN, PovertyLines, TrackingGroupSums, TrackingSums, is_middle_income, is_poor,
};
pub use year::{
    AllWeighting, Group, GroupIndicators, Growth, IncomeMeans, IncomeShares, IndicatorOptions, IndicatorRow,
    LORENZ_POINTS, Labour, OldAge, Poverty, Tracking, YearIndicators, follow_households,
};
pub(crate) use year::{id_order_into, tracking_sums};
