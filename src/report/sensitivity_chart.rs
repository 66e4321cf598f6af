//! The chart of a sensitivity analysis ([`crate::engine::sensitivity`]): how far the
//! last year's rural and urban mean income move from the central run when each
//! uncertain value goes to one end and the other (a tornado drawn upright, the
//! largest swing first).

use super::chart::{Chart, NumberFormat, Series, SeriesStyle, Tone, XAxis};
use crate::engine::Scenario;
use crate::engine::sensitivity::SensitivityRow;
use crate::engine::sweep::PointSummary;

/// The chart, or none without a row.
pub fn charts(scenario: &Scenario, central: &PointSummary, rows: &[SensitivityRow]) -> Vec<Chart> {
    let Some(first) = rows.first() else { return Vec::new() };
    let z = first.z;
    let year = scenario.last_year;
    // Two lines each: the lever (or `assumptions`), then the parameter.
    let names: Vec<String> = rows
        .iter()
        .map(|r| {
            let field = r.field.trim_start_matches("levers.");
            match field.rsplit_once('.') {
                Some((what, name)) => format!("{what}\n{name}"),
                None => field.to_string(),
            }
        })
        .collect();
    let bars = |name: String, tone: Tone, low_end: bool, value: &dyn Fn(&PointSummary) -> f64| {
        let points = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (i as f64, value(if low_end { &r.low } else { &r.high }) - value(central)))
            .collect();
        Series::new(name, SeriesStyle::Bars { tone, baseline: low_end }, points)
    };
    let rural = |p: &PointSummary| p.rural_mean;
    let urban = |p: &PointSummary| p.urban_mean;
    vec![Chart {
        stem: "sensitivity".into(),
        title: format!("Change in mean income 人均可支配收入 in {year} with each uncertain value at -{z} and +{z} sd"),
        x_label: "uncertain value, the largest swing of rural income first".into(),
        y_label: "yuan per person a year, against the central run".into(),
        x_axis: XAxis::Categories(names),
        x_format: NumberFormat::Decimals(0),
        y_format: NumberFormat::Decimals(0),
        series: vec![
            bars(format!("Rural 农村, -{z} sd"), Tone::Rural, true, &rural),
            bars(format!("Rural 农村, +{z} sd"), Tone::Rural, false, &rural),
            bars(format!("Urban 城镇, -{z} sd"), Tone::Urban, true, &urban),
            bars(format!("Urban 城镇, +{z} sd"), Tone::Urban, false, &urban),
        ],
        caption: format!(
            "How far the {year} mean per-capita disposable income of rural and urban residents moves from the central \
             run ({} rural, {} urban) when one uncertain value goes to -{z} (light) and +{z} (dark) standard \
             deviations with the others central, on the same population and seed.",
            super::chart::thousands(central.rural_mean),
            super::chart::thousands(central.urban_mean)
        ),
    }]
}
