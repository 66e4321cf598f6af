//! The charts of a one-axis sweep ([`crate::engine::sweep`]): the urban-rural ratio,
//! urban and rural growth and the levers' cost against the value swept, with the
//! plan's targets on them where a target reads the same quantity.

use super::chart::{Chart, NumberFormat, Series, SeriesStyle, Tone, XAxis, YI};
use crate::engine::Scenario;
use crate::engine::sweep::{Axis, SweepPoint};
use crate::engine::targets::Measure;

/// The charts of a sweep of one axis (none for two axes: a grid is read in its table
/// and `sweep.csv`).
pub fn charts(scenario: &Scenario, axes: &[Axis], points: &[SweepPoint]) -> Vec<Chart> {
    let [axis] = axes else { return Vec::new() };
    if points.is_empty() {
        return Vec::new();
    }
    let field = axis.field.path();
    let year = scenario.last_year;
    let base = scenario.profile.base_year;
    let xs: Vec<f64> = points.iter().map(|p| p.values[0]).collect();
    let series = |name: &str, tone: Tone, y: &dyn Fn(&SweepPoint) -> f64| {
        let points = xs.iter().zip(points).map(|(x, p)| (*x, y(p))).collect();
        Series::new(name, SeriesStyle::Path { tone, baseline: false }, points)
    };
    // A target on the quantity charted, drawn as a level across the sweep.
    let level = |t: &crate::engine::targets::Target| {
        let ends = [(xs[0], t.value), (xs[xs.len() - 1], t.value)];
        Series::new(format!("target 目标: {}", t.name), SeriesStyle::Target { joined: true }, ends.to_vec())
    };
    let x_label = format!("{field} (value in force throughout)");
    let x_format = NumberFormat::Decimals(decimals(&xs));

    let mut ratio = vec![series("Urban-rural ratio 城乡收入比", Tone::All, &|p| p.summary.ratio)];
    ratio.extend(
        scenario
            .targets
            .iter()
            .filter(|t| t.indicator == "urban_rural_ratio" && t.measure == Measure::Level { year })
            .map(level),
    );
    let mut growth = vec![
        series("Urban 城镇", Tone::Urban, &|p| p.summary.urban_growth),
        series("Rural 农村", Tone::Rural, &|p| p.summary.rural_growth),
    ];
    growth.extend(
        scenario
            .targets
            .iter()
            .filter(|t| {
                t.indicator == "mean_disposable"
                    && (t.group == "urban" || t.group == "rural")
                    && t.measure == Measure::Growth { from: base, to: year }
            })
            .map(level),
    );
    let cost = vec![series("Levers of the scenario", Tone::All, &|p| p.summary.programme_cost / YI)];
    vec![
        Chart {
            stem: "sweep_ratio".into(),
            title: format!("Urban-rural ratio 城乡收入比 in {year} by the value swept"),
            x_label: x_label.clone(),
            y_label: "Urban mean / rural mean".into(),
            x_axis: XAxis::Span,
            x_format,
            y_format: NumberFormat::Decimals(3),
            series: ratio,
            caption: format!(
                "The urban-rural ratio of per-capita disposable income in {year} at each value of {field}, every point \
                 on the same population and seed; a plan's ratio target for {year} is the dashed level."
            ),
        },
        Chart {
            stem: "sweep_growth".into(),
            title: format!("Average yearly income growth, {base}–{year}, by the value swept"),
            x_label: x_label.clone(),
            y_label: "Growth of mean per-capita disposable income a year".into(),
            x_axis: XAxis::Span,
            x_format,
            y_format: NumberFormat::Percent(1),
            series: growth,
            caption: format!(
                "Average yearly nominal growth of urban and rural mean per-capita disposable income 人均可支配收入 from \
                 {base} to {year} at each value of {field}; a growth target over the same years is the dashed level."
            ),
        },
        Chart {
            stem: "sweep_cost".into(),
            title: format!("Fiscal cost 财政成本 of the levers in {year} by the value swept"),
            x_label,
            y_label: "100 million yuan 亿元".into(),
            x_axis: XAxis::Span,
            x_format,
            y_format: NumberFormat::Decimals(decimals(&cost[0].points.iter().map(|p| p.1).collect::<Vec<_>>())),
            series: cost,
            caption: format!(
                "What the scenario's levers cost in {year} (paid to households plus any cost no household receives) \
                 at each value of {field}."
            ),
        },
    ]
}

/// Decimals that tell apart the axis labels (about five to ten) across the range of `values` (0 for
/// whole numbers spread over at least ten).
fn decimals(values: &[f64]) -> usize {
    let (lo, hi) = values
        .iter()
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(*x), hi.max(*x)));
    let width = hi - lo;
    if width.is_nan() || width <= 0.0 {
        return 2;
    }
    (-(width / 5.0).log10()).ceil().clamp(0.0, 6.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_follow_the_spread() {
        assert_eq!(decimals(&[400.0, 900.0]), 0);
        assert_eq!(decimals(&[0.04, 0.12]), 2);
        assert_eq!(decimals(&[8.822, 8.839]), 3);
        assert_eq!(decimals(&[5.0]), 2);
        assert_eq!(decimals(&[]), 2);
    }
}
