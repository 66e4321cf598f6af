//! Charts and the readable report of a run.
//!
//! [`figures::charts`] turns an [`Outcome`] into plain chart data ([`chart::Chart`]:
//! series of `(x, y)` points), [`render`] draws each as SVG and PNG with plotters
//! (text in the embedded CJK subset font, [`font`]), and [`html::report`] puts the
//! tables and the charts into one self-contained `report.html`. [`write_report`]
//! writes `charts/*.svg`, `charts/*.png` and `report.html`, each atomically.
//! The text tables for the terminal are in [`crate::engine::report`].

pub mod chart;
pub mod figures;
pub mod font;
pub mod html;
pub mod render;
pub mod sensitivity_chart;
pub mod sweep_charts;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::engine::output::write_atomic;
use crate::engine::{Outcome, Scenario};
use crate::error::{Error, Result};
use chart::Chart;

/// A chart with its drawings.
#[derive(Debug, Clone)]
pub struct RenderedChart {
    /// The data drawn.
    pub chart: Chart,
    /// The SVG document.
    pub svg: String,
    /// The PNG image.
    pub png: Vec<u8>,
}

/// Draws every chart of a run as SVG and PNG (charts in parallel, each the same
/// whatever the thread count).
///
/// # Errors
/// [`Error::InvalidRequest`] naming a chart that could not be drawn.
pub fn render_charts(scenario: &Scenario, outcome: &Outcome) -> Result<Vec<RenderedChart>> {
    render_all(figures::charts(scenario, outcome))
}

/// Draws charts as SVG and PNG, in parallel.
fn render_all(charts: Vec<Chart>) -> Result<Vec<RenderedChart>> {
    font::register()?;
    charts
        .into_par_iter()
        .map(|chart| Ok(RenderedChart { svg: render::svg(&chart)?, png: render::png(&chart)?, chart }))
        .collect()
}

/// Writes `dir/charts/<chart>.svg` and `.png` for every chart and `dir/report.html`,
/// each atomically; returns their paths. `provenance` is shown in the report's run
/// table.
///
/// # Errors
/// [`Error::Io`] naming the file that could not be written; [`Error::InvalidRequest`]
/// naming a chart that could not be drawn.
pub fn write_report(
    dir: &Path,
    scenario: &Scenario,
    outcome: &Outcome,
    provenance: &serde_json::Value,
) -> Result<Vec<PathBuf>> {
    let charts = render_charts(scenario, outcome)?;
    let mut written = write_charts(dir, &charts)?;
    let page = html::report(scenario, outcome, provenance, &charts, &utc_now());
    let path = dir.join("report.html");
    write_atomic(&path, page.as_bytes())?;
    written.push(path);
    Ok(written)
}

/// Writes `dir/charts/<chart>.svg` and `.png` of each chart, atomically; returns
/// their paths.
///
/// # Errors
/// [`Error::Io`] naming the folder or file that could not be written.
fn write_charts(dir: &Path, charts: &[RenderedChart]) -> Result<Vec<PathBuf>> {
    let chart_dir = dir.join("charts");
    std::fs::create_dir_all(&chart_dir).map_err(|source| Error::Io { path: chart_dir.clone(), source })?;
    let mut written = Vec::new();
    for c in charts {
        for (ext, bytes) in [("svg", c.svg.as_bytes()), ("png", c.png.as_slice())] {
            let path = chart_dir.join(format!("{}.{ext}", c.chart.stem));
            write_atomic(&path, bytes)?;
            written.push(path);
        }
    }
    Ok(written)
}

/// Draws the charts of a one-axis sweep ([`sweep_charts::charts`]) and writes them as
/// `dir/charts/sweep_*.svg` and `.png`; returns their paths (none for two axes).
///
/// # Errors
/// As [`write_report`].
pub fn write_sweep_charts(
    dir: &Path,
    scenario: &Scenario,
    axes: &[crate::engine::sweep::Axis],
    points: &[crate::engine::sweep::SweepPoint],
) -> Result<Vec<PathBuf>> {
    write_any(dir, sweep_charts::charts(scenario, axes, points))
}

/// Draws the chart of a sensitivity analysis ([`sensitivity_chart::charts`]) and
/// writes it as `dir/charts/sensitivity.svg` and `.png`; returns the paths.
///
/// # Errors
/// As [`write_report`].
pub fn write_sensitivity_chart(
    dir: &Path,
    scenario: &Scenario,
    central: &crate::engine::sweep::PointSummary,
    rows: &[crate::engine::sensitivity::SensitivityRow],
) -> Result<Vec<PathBuf>> {
    write_any(dir, sensitivity_chart::charts(scenario, central, rows))
}

/// Draws `charts` and writes them (nothing, not even the folder, for none).
fn write_any(dir: &Path, charts: Vec<Chart>) -> Result<Vec<PathBuf>> {
    if charts.is_empty() {
        return Ok(Vec::new());
    }
    write_charts(dir, &render_all(charts)?)
}

/// The report's run date as `YYYY-MM-DD HH:MM UTC`: the current time, or the time in
/// the `SOURCE_DATE_EPOCH` environment variable (seconds since 1970, the
/// reproducible-builds convention) when it is set to a number, so that two runs of
/// one scenario and seed can write byte-identical reports.
pub fn utc_now() -> String {
    let fixed = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse::<u64>().ok());
    let secs = fixed.unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
    });
    utc_date(secs)
}

/// Seconds since 1970-01-01 UTC as `YYYY-MM-DD HH:MM UTC` (proleptic Gregorian).
pub fn utc_date(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let (hour, minute) = ((secs % 86_400) / 3_600, (secs % 3_600) / 60);
    // Civil date from days since the epoch (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02} UTC")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_epoch_seconds() {
        assert_eq!(utc_date(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_date(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc_date(1_700_000_000), "2023-11-14 22:13 UTC");
    }
}
