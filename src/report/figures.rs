//! The charts of a run, as data: income paths with the plan's targets, the ratio
//! path, growth by quintile group, each lever's contribution (waterfalls), cost
//! against effect, and the Lorenz curves.

use super::chart::{Chart, NumberFormat, Series, SeriesStyle, Tone, XAxis, YI};
use crate::engine::targets::{Comparison, Measure};
use crate::engine::{Outcome, Scenario, VariantResult};
use crate::indicators::{Group, YearIndicators};

/// Index of the rural growth outcome in the contributions (see
/// [`crate::engine::projection::SHAPLEY_OUTCOMES`]).
const RURAL_GROWTH: usize = 1;
/// Index of the urban-rural ratio outcome in the contributions.
const RATIO: usize = 2;

/// Every chart of a run, in report order. Charts that need Shapley contributions are
/// left out when the run has none; the Lorenz chart needs at least one year.
pub fn charts(scenario: &Scenario, outcome: &Outcome) -> Vec<Chart> {
    let mut out = vec![income_paths(scenario, outcome), ratio_path(scenario, outcome), quintile_growth(outcome)];
    out.extend(rural_growth_waterfall(outcome));
    out.extend(ratio_waterfall(outcome));
    out.extend(cost_effect(outcome));
    out.extend(lorenz(outcome));
    out.extend(work_incentives(outcome));
    out.extend(target_paths(scenario, outcome));
    out.extend(target_draws(scenario, outcome));
    out
}

/// For each target met in some replications and missed in others, what it reached in
/// each replication against the draw of the uncertain value it follows most
/// ([`crate::engine::discovery::drivers`]), met and missed apart, with the target's
/// value as a line.
fn target_draws(scenario: &Scenario, outcome: &Outcome) -> Vec<Chart> {
    let paths = scenario.uncertain_paths();
    let mut out = Vec::new();
    for d in crate::engine::discovery::drivers(scenario, outcome) {
        let (Some(t), Some(j)) = (scenario.targets.get(d.target), paths.iter().position(|p| *p == d.path)) else {
            continue;
        };
        let (mut met, mut missed) = (Vec::new(), Vec::new());
        for (v, draws) in outcome.replications.iter().zip(&outcome.draws) {
            let (Some(reached), Some(&z)) = (t.measure(&|y: u16, g: &str, i: &str| v.lookup(y, g, i)), draws.get(j))
            else {
                continue;
            };
            if t.is_met(reached) { met.push((z, reached)) } else { missed.push((z, reached)) }
        }
        let all = met.iter().chain(&missed);
        let low = all.clone().map(|p| p.0).fold(f64::INFINITY, f64::min);
        let high = all.map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
        let y_format = match t.measure {
            crate::engine::targets::Measure::Growth { .. } => NumberFormat::Percent(2),
            _ => indicator_format(&t.indicator),
        };
        let k = d.target + 1;
        out.push(Chart {
            stem: format!("target_{k}_draws"),
            title: format!("Target {k} 目标 over the replications, against its most telling draw"),
            x_label: format!("Draw of {} (standard deviations from its central value)", d.path),
            y_label: format!("{} reached", t.name),
            x_axis: XAxis::Span,
            x_format: NumberFormat::Decimals(1),
            y_format,
            series: vec![
                Series::new(format!("target value {}", y_format.format(t.value)), SeriesStyle::Reference, vec![
                    (low, t.value),
                    (high, t.value),
                ]),
                Series::new("met 达到", SeriesStyle::Scatter { tone: Tone::Rural }, met),
                Series::new("missed 未达到", SeriesStyle::Scatter { tone: Tone::Target }, missed),
            ],
            caption: format!(
                "Each replication's value of target {k} ({}) against its draw of {}, the uncertain value whose draws go \
                 most closely with it (Spearman's rank correlation {:+.2} over {} replications; met in {:.0}%). A \
                 draw of 0 is the central value; the first replication runs it. replications.csv has every draw.",
                t.name,
                d.path,
                d.correlation,
                outcome.replications.len(),
                100.0 * d.share_met
            ),
        });
    }
    out
}

/// How an indicator's values print: shares, rates and growth as percentages, the
/// ratio, Gini and Theil with three decimals, money and counts with thousands
/// separators (the units of the indicators module's table).
pub(crate) fn indicator_format(indicator: &str) -> NumberFormat {
    if ["share", "headcount", "rate", "growth", "gap", "severity"].iter().any(|k| indicator.contains(k)) {
        NumberFormat::Percent(2)
    } else if indicator.contains("ratio") || indicator == "gini" || indicator == "theil" {
        NumberFormat::Decimals(3)
    } else {
        NumberFormat::Yuan
    }
}

/// Indicators the income and ratio charts draw with their targets.
const DRAWN_WITH_PATHS: [&str; 2] = ["mean_disposable", "urban_rural_ratio"];

/// A chart for each indicator a target is on (beyond income and the ratio, which have
/// their own): the group's path under the reform and the baseline, with the targets on
/// it, so every target of a plan is seen against its path.
fn target_paths(scenario: &Scenario, outcome: &Outcome) -> Vec<Chart> {
    let mut drawn: Vec<(&str, &str)> = Vec::new();
    for t in &scenario.targets {
        let key = (t.group.as_str(), t.indicator.as_str());
        if !DRAWN_WITH_PATHS.contains(&key.1) && !drawn.contains(&key) {
            drawn.push(key);
        }
    }
    drawn.into_iter().map(|(group, indicator)| target_path(scenario, outcome, group, indicator)).collect()
}

/// A group's name in chart titles.
fn group_label(group: &str) -> &'static str {
    match group {
        "urban" => "urban residents 城镇",
        "rural" => "rural residents 农村",
        _ => "all residents 全体居民",
    }
}

/// The path of one group's indicator (see [`target_paths`]).
fn target_path(scenario: &Scenario, outcome: &Outcome, group: &str, indicator: &str) -> Chart {
    let tone = match group {
        "urban" => Tone::Urban,
        "rural" => Tone::Rural,
        _ => Tone::All,
    };
    let of = |v: &VariantResult| -> Vec<(f64, f64)> {
        indicators(v).filter_map(|y| Some((y.year as f64, v.lookup(y.year, group, indicator)?))).collect()
    };
    let mut series = vec![Series::new(
        format!("{group} {indicator}, reform 改革"),
        SeriesStyle::Path { tone, baseline: false },
        of(&outcome.reform),
    )];
    if !outcome.baseline.years.is_empty() {
        series.push(Series::new(
            format!("{group} {indicator}, baseline 基准"),
            SeriesStyle::Path { tone, baseline: true },
            of(&outcome.baseline),
        ));
    }
    let mut targets = target_series(scenario, outcome, indicator);
    let names: Vec<String> = scenario
        .targets
        .iter()
        .filter(|t| t.indicator == indicator && t.group == group)
        .map(|t| format!("target 目标: {}", t.name))
        .collect();
    targets.retain(|s| names.contains(&s.name));
    series.extend(targets);
    let y_format = indicator_format(indicator);
    Chart {
        stem: format!("target_{group}_{indicator}"),
        title: format!("`{indicator}` of {} with its targets, {}", group_label(group), years_span(&outcome.reform)),
        x_label: "Year 年份".into(),
        y_label: if matches!(y_format, NumberFormat::Percent(_)) {
            "Share (%)".into()
        } else {
            indicator.replace('_', " ")
        },
        x_axis: XAxis::Years,
        x_format: NumberFormat::Decimals(0),
        y_format,
        series,
        caption: format!(
            "The indicator `{indicator}` of {group} residents under the reform (solid) and the baseline (dashed), \
             with the plan's targets on it (diamonds; an every-year target as its level over its years)."
        ),
    }
}

fn indicators(v: &VariantResult) -> impl Iterator<Item = &YearIndicators> {
    v.years.iter().map(|y| &y.indicators)
}

fn years_span(v: &VariantResult) -> String {
    match (v.years.first(), v.years.last()) {
        (Some(a), Some(b)) => format!("{}–{}", a.indicators.year, b.indicators.year),
        _ => String::new(),
    }
}

/// A path series: one point per year of the variant.
fn path(v: &VariantResult, name: &str, tone: Tone, baseline: bool, value: impl Fn(&YearIndicators) -> f64) -> Series {
    let points = indicators(v).map(|y| (y.year as f64, value(y))).collect();
    Series::new(name, SeriesStyle::Path { tone, baseline }, points)
}

/// The targets on `indicator` (any group) drawn as series: a level target as a
/// marker at its year (with its tolerance as an error bar when it is "about"), a growth target as the path it implies from the reform's
/// value in its first year, a change target as the level it implies in its last year,
/// an every-year target as its level over its years.
fn target_series(scenario: &Scenario, outcome: &Outcome, indicator: &str) -> Vec<Series> {
    let mut out = Vec::new();
    for t in scenario.targets.iter().filter(|t| t.indicator == indicator) {
        let at = |year: u16| outcome.reform.lookup(year, &t.group, &t.indicator);
        let (points, joined) = match t.measure {
            Measure::Level { year } => (vec![(year as f64, t.value)], false),
            Measure::Growth { from, to } => match at(from) {
                Some(base) if to > from => {
                    ((from..=to).map(|y| (y as f64, base * (1.0 + t.value).powi((y - from) as i32))).collect(), true)
                }
                _ => continue,
            },
            Measure::Change { from, to } => match at(from) {
                Some(base) => (vec![(to as f64, base + t.value)], false),
                None => continue,
            },
            Measure::EveryYear { from, to } => ((from..=to).map(|y| (y as f64, t.value)).collect(), to > from),
        };
        let mut s = Series::new(format!("target 目标: {}", t.name), SeriesStyle::Target { joined }, points);
        // An "about" level target shows its tolerance as an error bar.
        if let (Comparison::About { tolerance }, false) = (t.comparison, joined) {
            s.errors = vec![tolerance; s.points.len()];
        }
        out.push(s);
    }
    out
}

/// Urban and rural mean per-capita disposable income by year, reform and baseline,
/// with the plan's targets on it.
fn income_paths(scenario: &Scenario, outcome: &Outcome) -> Chart {
    let mean = |g: Group| move |y: &YearIndicators| y.group(g).mean.disposable;
    let mut series = vec![
        path(&outcome.reform, "Urban 城镇, reform 改革", Tone::Urban, false, mean(Group::Urban)),
        path(&outcome.reform, "Rural 农村, reform 改革", Tone::Rural, false, mean(Group::Rural)),
    ];
    if !outcome.baseline.years.is_empty() {
        series.push(path(&outcome.baseline, "Urban 城镇, baseline 基准", Tone::Urban, true, mean(Group::Urban)));
        series.push(path(&outcome.baseline, "Rural 农村, baseline 基准", Tone::Rural, true, mean(Group::Rural)));
    }
    series.extend(target_series(scenario, outcome, "mean_disposable"));
    Chart {
        stem: "income_paths".into(),
        title: format!("Per-capita disposable income 人均可支配收入, {}", years_span(&outcome.reform)),
        x_label: "Year 年份".into(),
        y_label: "Yuan per person per year 元".into(),
        x_axis: XAxis::Years,
        x_format: NumberFormat::Decimals(0),
        y_format: NumberFormat::Yuan,
        series,
        caption: "Mean per-capita disposable income of urban and rural residents under the reform (solid) and the \
                  baseline (dashed), nominal yuan. Diamonds are the plan's targets: a level target at its year, a \
                  growth target as the path it implies from the first year's value."
            .into(),
    }
}

/// The urban-rural income ratio by year, reform and baseline, with its targets.
fn ratio_path(scenario: &Scenario, outcome: &Outcome) -> Chart {
    let ratio = |y: &YearIndicators| y.urban_rural_ratio;
    let mut series = vec![path(&outcome.reform, "Ratio 城乡收入比, reform 改革", Tone::All, false, ratio)];
    if !outcome.baseline.years.is_empty() {
        series.push(path(&outcome.baseline, "Ratio 城乡收入比, baseline 基准", Tone::All, true, ratio));
    }
    series.extend(target_series(scenario, outcome, "urban_rural_ratio"));
    Chart {
        stem: "ratio_path".into(),
        title: format!("Urban-rural income ratio 城乡收入比, {}", years_span(&outcome.reform)),
        x_label: "Year 年份".into(),
        y_label: "Urban mean / rural mean".into(),
        x_axis: XAxis::Years,
        x_format: NumberFormat::Decimals(0),
        y_format: NumberFormat::Decimals(3),
        series,
        caption: "Urban mean per-capita disposable income over the rural mean, reform (solid) and baseline (dashed); \
                  diamonds are the plan's targets for the ratio."
            .into(),
    }
}

/// Average yearly growth of a quintile group's mean from the first to the last year.
fn quintile_growth_of(v: &VariantResult, g: Group) -> Vec<(f64, f64)> {
    let (Some(first), Some(last)) = (v.years.first(), v.years.last()) else {
        return Vec::new();
    };
    let span = (v.years.len() - 1).max(1) as f64;
    let (a, b) = (&first.indicators.group(g).quintile_means, &last.indicators.group(g).quintile_means);
    (0..5)
        .map(|k| {
            let growth = if a[k] > 0.0 && b[k] > 0.0 { (b[k] / a[k]).powf(1.0 / span) - 1.0 } else { 0.0 };
            (k as f64, growth)
        })
        .collect()
}

/// Names of the NBS quintile groups (五等份收入分组), lowest first.
pub const QUINTILE_NAMES: [&str; 5] =
    ["Low 低收入组", "Lower-middle 中间偏下", "Middle 中间收入组", "Upper-middle 中间偏上", "High 高收入组"];

/// Growth of each quintile group's mean income, urban and rural, reform and baseline.
fn quintile_growth(outcome: &Outcome) -> Chart {
    let mut series = Vec::new();
    for (g, tone, name) in [(Group::Urban, Tone::Urban, "Urban 城镇"), (Group::Rural, Tone::Rural, "Rural 农村")] {
        series.push(Series::new(
            format!("{name}, reform 改革"),
            SeriesStyle::Bars { tone, baseline: false },
            quintile_growth_of(&outcome.reform, g),
        ));
        if !outcome.baseline.years.is_empty() {
            series.push(Series::new(
                format!("{name}, baseline 基准"),
                SeriesStyle::Bars { tone, baseline: true },
                quintile_growth_of(&outcome.baseline, g),
            ));
        }
    }
    Chart {
        stem: "quintile_growth".into(),
        title: format!("Income growth by quintile group 五等份收入分组, {} average", years_span(&outcome.reform)),
        x_label: "Quintile group of per-capita disposable income".into(),
        y_label: "Average yearly growth 年均增长".into(),
        x_axis: XAxis::Categories(QUINTILE_NAMES.iter().map(|s| s.to_string()).collect()),
        x_format: NumberFormat::Decimals(0),
        y_format: NumberFormat::Percent(1),
        series,
        caption: "Average yearly nominal growth of the mean per-capita disposable income of each quintile group \
                  (households ranked anew each year, as the NBS groups are), urban and rural, reform and baseline."
            .into(),
    }
}

/// Average yearly growth of a group's mean from the first to the last year, as the
/// Shapley outcomes measure it.
fn mean_growth(v: &VariantResult, g: Group) -> Option<f64> {
    let a = v.years.first()?.indicators.group(g).mean.disposable;
    let b = v.years.last()?.indicators.group(g).mean.disposable;
    let span = (v.years.len() - 1).max(1) as f64;
    (a > 0.0).then(|| (b / a).powf(1.0 / span) - 1.0)
}

/// What a waterfall shows: one Shapley outcome from the baseline's value to the
/// reform's, and how its levels and steps print.
struct WaterfallSpec {
    /// Index of the outcome in the contributions.
    outcome: usize,
    /// The baseline's value.
    baseline: f64,
    /// The reform's value.
    reform: f64,
    /// How levels print.
    level: NumberFormat,
    /// How steps print.
    step: NumberFormat,
}

/// A waterfall from the baseline's value through each lever's contribution to the
/// reform's value: the category axis and the series.
fn waterfall(outcome: &Outcome, spec: &WaterfallSpec) -> Option<(XAxis, Series)> {
    let c = outcome.contributions.as_ref()?;
    if outcome.lever_names.is_empty() {
        return None;
    }
    let (o, level, step) = (spec.outcome, spec.level, spec.step);
    let mut categories = vec!["Baseline 基准".to_string()];
    let mut points = vec![(0.0, spec.baseline)];
    let mut labels = vec![level.format(spec.baseline)];
    let mut errors = vec![0.0];
    for (k, name) in outcome.lever_names.iter().enumerate() {
        let (v, se) = (c.value[k][o], c.standard_error[k][o]);
        categories.push(name.clone());
        points.push(((k + 1) as f64, v));
        let shown = signed(step.format(v), v);
        let se_shown = step.finer().format(se);
        labels.push(if se > 0.0 { format!("{shown} ± {}", se_shown.trim_start_matches('+')) } else { shown });
        errors.push(if se.is_finite() { se } else { 0.0 });
    }
    categories.push("Reform 改革".to_string());
    points.push(((outcome.lever_names.len() + 1) as f64, spec.reform));
    labels.push(level.format(spec.reform));
    errors.push(0.0);
    let series = Series {
        name: "Contribution 贡献 (Shapley value)".into(),
        style: SeriesStyle::Waterfall,
        points,
        labels,
        errors,
    };
    Some((XAxis::Categories(categories), series))
}

/// A number's text with a `+` in front when it is positive and has no sign yet.
fn signed(text: String, value: f64) -> String {
    if value >= 0.0 && !text.starts_with('+') { format!("+{text}") } else { text }
}

/// Each lever's contribution to the average yearly growth of rural income.
fn rural_growth_waterfall(outcome: &Outcome) -> Option<Chart> {
    let c = outcome.contributions.as_ref()?;
    let spec = WaterfallSpec {
        outcome: RURAL_GROWTH,
        baseline: mean_growth(&outcome.baseline, Group::Rural)?,
        reform: mean_growth(&outcome.reform, Group::Rural)?,
        level: NumberFormat::Percent(2),
        step: NumberFormat::Points(2),
    };
    let (x_axis, series) = waterfall(outcome, &spec)?;
    Some(Chart {
        stem: "contributions_rural_growth".into(),
        title: format!(
            "Rural income growth 农村居民收入增长: contribution of each lever, {}",
            years_span(&outcome.reform)
        ),
        x_label: "Lever 政策措施".into(),
        y_label: "Average yearly growth 年均增长".into(),
        x_axis,
        x_format: NumberFormat::Decimals(0),
        y_format: spec.level,
        series: vec![series],
        caption: format!(
            "From the baseline's average yearly growth of rural mean per-capita disposable income to the reform's, \
             each lever's share of the difference ({}); error bars are ± one standard error where sampled.",
            c.method.describe()
        ),
    })
}

/// Each lever's contribution to the urban-rural ratio in the last year.
fn ratio_waterfall(outcome: &Outcome) -> Option<Chart> {
    let c = outcome.contributions.as_ref()?;
    let last = outcome.reform.years.last()?.indicators.year;
    let spec = WaterfallSpec {
        outcome: RATIO,
        baseline: outcome.baseline.years.last()?.indicators.urban_rural_ratio,
        reform: outcome.reform.years.last()?.indicators.urban_rural_ratio,
        level: NumberFormat::Decimals(3),
        step: NumberFormat::Decimals(4),
    };
    let (x_axis, series) = waterfall(outcome, &spec)?;
    Some(Chart {
        stem: "contributions_ratio".into(),
        title: format!("Urban-rural income ratio 城乡收入比 in {last}: contribution of each lever"),
        x_label: "Lever 政策措施".into(),
        y_label: "Urban mean / rural mean".into(),
        x_axis,
        x_format: NumberFormat::Decimals(0),
        y_format: spec.level,
        series: vec![series],
        caption: format!(
            "From the baseline's urban-rural ratio in {last} to the reform's, each lever's share of the difference \
             ({}); a negative step narrows the gap. Error bars are ± one standard error where sampled.",
            c.method.describe()
        ),
    })
}

/// A lever's extra fiscal cost over the projected years: its ledger line under the
/// reform minus the same line under the baseline (zero when the baseline has none).
pub fn extra_fiscal_cost(outcome: &Outcome, lever: &str) -> f64 {
    let cost = |v: &VariantResult| -> f64 {
        v.years.iter().skip(1).filter_map(|y| y.ledger.get(lever)).map(|r| r.fiscal_cost).sum()
    };
    cost(&outcome.reform) - cost(&outcome.baseline)
}

/// Each lever's extra fiscal cost against its contribution to rural income growth.
fn cost_effect(outcome: &Outcome) -> Option<Chart> {
    let c = outcome.contributions.as_ref()?;
    if outcome.lever_names.is_empty() {
        return None;
    }
    let span = outcome.reform.years.get(1..).map(|y| match (y.first(), y.last()) {
        (Some(a), Some(b)) => format!("{}–{}", a.indicators.year, b.indicators.year),
        _ => String::new(),
    })?;
    let mut s = Series::new("Lever 政策措施", SeriesStyle::Labelled, Vec::new());
    for (k, name) in outcome.lever_names.iter().enumerate() {
        s.points.push((extra_fiscal_cost(outcome, name) / YI, c.value[k][RURAL_GROWTH]));
        s.labels.push(name.clone());
        s.errors.push(if c.standard_error[k][RURAL_GROWTH].is_finite() {
            c.standard_error[k][RURAL_GROWTH]
        } else {
            0.0
        });
    }
    Some(Chart {
        stem: "cost_effect".into(),
        title: format!("Cost 财政成本 against effect on rural income growth, {span}"),
        x_label: format!("Extra fiscal cost over the baseline, {span} total, 100 million yuan 亿元"),
        y_label: "Contribution to rural growth, pp a year".into(),
        x_axis: XAxis::Continuous,
        x_format: NumberFormat::Decimals(1),
        y_format: NumberFormat::Points(2),
        series: vec![s],
        caption: format!(
            "Each lever's extra fiscal cost (its own ledger line under the reform minus the baseline's, summed over \
             {span}; interactions with other levers' spending are not moved to it) against its Shapley contribution \
             to the average yearly growth of rural income. Fiscal cost is what public budgets pay: the wages, business \
             and farm income, rents and dividends a lever brings that employers, firms and collectives pay are not \
             part of it."
        ),
    })
}

/// The Lorenz curve of all residents: the base year, and the last year under the
/// reform and the baseline.
fn lorenz(outcome: &Outcome) -> Option<Chart> {
    let first = outcome.reform.years.first()?.indicators.clone();
    let last = outcome.reform.years.last()?.indicators.clone();
    let curve =
        |y: &YearIndicators| -> Vec<(f64, f64)> { y.group(Group::All).lorenz.iter().map(|p| (p[0], p[1])).collect() };
    let gini = |y: &YearIndicators| y.group(Group::All).gini;
    let mut series = vec![
        Series::new("Perfect equality", SeriesStyle::Reference, vec![(0.0, 0.0), (1.0, 1.0)]),
        Series::new(
            format!("{} base year (Gini 基尼系数 {:.3})", first.year, gini(&first)),
            SeriesStyle::Path { tone: Tone::BaseYear, baseline: false },
            curve(&first),
        ),
        Series::new(
            format!("{} reform 改革 (Gini 基尼系数 {:.3})", last.year, gini(&last)),
            SeriesStyle::Path { tone: Tone::All, baseline: false },
            curve(&last),
        ),
    ];
    if let Some(b) = outcome.baseline.years.last() {
        series.push(Series::new(
            format!("{} baseline 基准 (Gini 基尼系数 {:.3})", b.indicators.year, gini(&b.indicators)),
            SeriesStyle::Path { tone: Tone::All, baseline: true },
            curve(&b.indicators),
        ));
    }
    Some(Chart {
        stem: "lorenz".into(),
        title: format!("Lorenz curve 洛伦兹曲线, all residents 全体居民, {} and {}", first.year, last.year),
        x_label: "Cumulative share of persons 人口累计占比".into(),
        y_label: "Cumulative share of income 收入累计占比".into(),
        x_axis: XAxis::Continuous,
        x_format: NumberFormat::Percent(0),
        y_format: NumberFormat::Percent(0),
        series,
        caption: "Persons ranked by per-capita disposable income: the share of all income received by the poorest \
                  share of persons, in the base year and in the last year under the reform and the baseline. The \
                  further below the diagonal, the more unequal; the Gini coefficient is twice the area between."
            .into(),
    })
}

/// Work incentives in the last year by quintile group of all residents (a run that
/// measures them): the marginal effective tax rate on a rise in earnings and the
/// participation tax rate of a member entering work, reform and baseline.
fn work_incentives(outcome: &Outcome) -> Option<Chart> {
    let last = outcome.reform.years.last()?;
    let year = last.indicators.year;
    let reform = last.indicators.work_incentives.as_ref()?[Group::All.index()];
    if !reform.has_quintiles {
        return None;
    }
    let baseline = outcome
        .baseline
        .year(year)
        .and_then(|y| y.work_incentives.as_ref())
        .map(|w| w[Group::All.index()])
        .filter(|w| w.has_quintiles);
    let rates = |groups: &[crate::indicators::MetrGroup; 5]| -> Vec<(f64, f64)> {
        groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.aggregate.is_finite())
            .map(|(k, g)| (k as f64, g.aggregate))
            .collect()
    };
    let mut series = Vec::new();
    for (name, tone, pick) in [
        ("METR", Tone::All, (|w: &crate::indicators::WorkIncentives| w.by_quintile) as fn(&_) -> _),
        ("PTR", Tone::BaseYear, |w: &crate::indicators::WorkIncentives| w.participation_by_quintile),
    ] {
        series.push(Series::new(
            format!("{name}, reform 改革"),
            SeriesStyle::Bars { tone, baseline: false },
            rates(&pick(&reform)),
        ));
        if let Some(b) = &baseline {
            series.push(Series::new(
                format!("{name}, baseline 基准"),
                SeriesStyle::Bars { tone, baseline: true },
                rates(&pick(b)),
            ));
        }
    }
    Some(Chart {
        stem: "work_incentives".into(),
        title: format!("Work incentives by quintile group, all residents 全体居民, {year}"),
        x_label: "Quintile group of per-capita disposable income".into(),
        y_label: "Share of the earnings not kept".into(),
        x_axis: XAxis::Categories(QUINTILE_NAMES.iter().map(|s| s.to_string()).collect()),
        x_format: NumberFormat::Decimals(0),
        y_format: NumberFormat::Percent(0),
        series,
        caption:
            "The marginal effective tax rate (METR) on a 3% rise in every member's earnings and the participation \
                  tax rate (PTR) when one member without paid work takes a full-year job: the share of the rise in \
                  earnings that taxes, contributions and withdrawn benefits take, over the households of each quintile \
                  group of all residents (each run's own groups), reform and baseline."
                .into(),
    })
}
