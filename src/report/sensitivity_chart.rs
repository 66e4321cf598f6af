//! The chart of a sensitivity analysis ([`crate::engine::sensitivity`]): how far the
//! last year's rural and urban mean income move from the central run when each
//! uncertain value goes to one end and the other (a tornado drawn upright, the
//! largest swing first).

use super::chart::{Chart, NumberFormat, Series, SeriesStyle, Tone, XAxis};
use crate::engine::Scenario;
use crate::engine::sensitivity::SensitivityRow;
use crate::engine::sweep::PointSummary;

/// The most values the chart shows (the largest swings; the table lists them all).
pub const MAX_CHART_VALUES: usize = 6;

/// The chart of the first [`MAX_CHART_VALUES`] rows (in the table's order, the largest
/// swing of rural income first), or none without a row.
pub fn charts(scenario: &Scenario, central: &PointSummary, rows: &[SensitivityRow]) -> Vec<Chart> {
    let left_out = rows.len().saturating_sub(MAX_CHART_VALUES);
    let rows = &rows[..rows.len().min(MAX_CHART_VALUES)];
    let Some(first) = rows.first() else { return Vec::new() };
    let z = first.z;
    let year = scenario.last_year;
    // The lever (or `assumptions`), then the parameter, each wrapped at underscores.
    let names: Vec<String> = rows
        .iter()
        .map(|r| r.field.trim_start_matches("levers.").split('.').map(wrap).collect::<Vec<_>>().join("\n"))
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
             deviations with the others central, on the same population and seed.{}",
            super::chart::thousands(central.rural_mean),
            super::chart::thousands(central.urban_mean),
            if left_out > 0 {
                format!(" The {left_out} values that move it least are left out (sensitivity.csv has them).")
            } else {
                String::new()
            }
        ),
    }]
}

/// Longest line of a category name, in characters.
const LINE: usize = 16;

/// `name` in lines of at most [`LINE`] characters, broken after underscores (a part
/// longer than a line stays whole).
fn wrap(name: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for part in name.split_inclusive('_') {
        match lines.last_mut() {
            Some(line) if line.chars().count() + part.chars().count() <= LINE => line.push_str(part),
            _ => lines.push(part.to_string()),
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn names_wrap_after_underscores() {
        assert_eq!(wrap("employment_probability"), "employment_\nprobability");
        assert_eq!(wrap("skills_training"), "skills_training");
        assert_eq!(wrap("business_income_per_month"), "business_income_\nper_month");
        assert_eq!(wrap("wage_growth_rural"), "wage_growth_\nrural");
    }
}
