//! Draws a [`Chart`] with plotters, as SVG text or as PNG bytes, from the same code.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart::{Chart, Series, SeriesStyle, Tone, XAxis, waterfall_bars};
use super::font::{self, FAMILY};
use crate::error::{Error, Result};

/// Width of every chart, pixels.
pub const WIDTH: u32 = 960;
/// Height of the plot (title, axes and data) above the legend, pixels.
const PLOT_HEIGHT: u32 = 500;
/// Height of one legend row, pixels.
const LEGEND_ROW: u32 = 22;
/// Font sizes (plotters' size; the SVG writes `size / 1.24` as the CSS size).
const TITLE_SIZE: f64 = 24.0;
const TEXT_SIZE: f64 = 17.0;
const SMALL_SIZE: f64 = 16.0;

/// The colour of a tone; the baseline variant is a lighter shade.
fn colour(tone: Tone, baseline: bool) -> RGBColor {
    let c = match tone {
        Tone::Urban => RGBColor(31, 95, 168),
        Tone::Rural => RGBColor(46, 139, 62),
        Tone::All => RGBColor(106, 61, 154),
        Tone::BaseYear => RGBColor(204, 130, 0),
        Tone::Target => RGBColor(214, 39, 40),
        Tone::Neutral => RGBColor(150, 150, 150),
    };
    if baseline { lighten(c) } else { c }
}

fn lighten(c: RGBColor) -> RGBColor {
    let mix = |x: u8| (x as u16 + (255 - x as u16) * 45 / 100) as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

const LEVEL: RGBColor = RGBColor(91, 111, 138);
const UP: RGBColor = RGBColor(42, 157, 143);
const DOWN: RGBColor = RGBColor(231, 111, 81);
const GRID: RGBColor = RGBColor(225, 225, 225);
const INK: RGBColor = RGBColor(40, 40, 40);

fn text(size: f64) -> TextStyle<'static> {
    TextStyle::from((FAMILY, size).into_font()).color(&INK)
}

/// Series shown in the legend (single-series waterfalls and labelled points need none).
fn legend_entries(chart: &Chart) -> Vec<&Series> {
    chart.series.iter().filter(|s| !matches!(s.style, SeriesStyle::Waterfall | SeriesStyle::Labelled)).collect()
}

/// Legend rows: two entries a row when every name is short, else one.
fn legend_layout(chart: &Chart) -> (usize, u32) {
    let entries = legend_entries(chart);
    let columns = if entries.iter().all(|s| s.name.chars().count() <= 56) { 2 } else { 1 };
    (columns, entries.len().div_ceil(columns) as u32)
}

/// The chart's size in pixels: the plot and its legend below.
pub fn size(chart: &Chart) -> (u32, u32) {
    let (_, rows) = legend_layout(chart);
    (WIDTH, PLOT_HEIGHT + if rows > 0 { rows * LEGEND_ROW + 14 } else { 0 })
}

fn failed(chart: &Chart, e: impl std::fmt::Display) -> Error {
    Error::InvalidRequest(format!("drawing chart `{}`: {e}", chart.stem))
}

/// The chart as an SVG document.
///
/// # Errors
/// [`Error::InvalidRequest`] naming the chart if plotters fails.
pub fn svg(chart: &Chart) -> Result<String> {
    font::register()?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size(chart)).into_drawing_area();
        draw(&root, chart).map_err(|e| failed(chart, e))?;
        root.present().map_err(|e| failed(chart, e))?;
    }
    Ok(out)
}

/// The chart as a PNG image (8-bit RGB).
///
/// # Errors
/// [`Error::InvalidRequest`] naming the chart if plotters or the encoder fails.
pub fn png(chart: &Chart) -> Result<Vec<u8>> {
    font::register()?;
    let (w, h) = size(chart);
    let mut pixels = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        draw(&root, chart).map_err(|e| failed(chart, e))?;
        root.present().map_err(|e| failed(chart, e))?;
    }
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| failed(chart, e))?;
        writer.write_image_data(&pixels).map_err(|e| failed(chart, e))?;
        writer.finish().map_err(|e| failed(chart, e))?;
    }
    Ok(bytes)
}

type Drawn<DB> = std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &Chart) -> Drawn<DB> {
    root.fill(&WHITE)?;
    let (plot, legend) = root.split_vertically(PLOT_HEIGHT);
    if chart.series.iter().any(|s| s.style == SeriesStyle::Waterfall) {
        draw_waterfall(&plot, chart)?;
    } else {
        draw_xy(&plot, chart)?;
    }
    draw_legend(&legend, chart)
}

/// Pads a range by `share` of its width on each side (a point becomes a unit range).
fn padded(lo: f64, hi: f64, share: f64) -> (f64, f64) {
    let w = hi - lo;
    if w <= f64::EPSILON * hi.abs().max(1.0) {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.05 };
        return (lo - d, hi + d);
    }
    (lo - share * w, hi + share * w)
}

fn with_zero((lo, hi): (f64, f64)) -> (f64, f64) {
    (lo.min(0.0), hi.max(0.0))
}

fn draw_xy<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, chart: &Chart) -> Drawn<DB> {
    let has = |f: fn(&SeriesStyle) -> bool| chart.series.iter().any(|s| f(&s.style));
    let bars = has(|s| matches!(s, SeriesStyle::Bars { .. }));
    let labelled = has(|s| matches!(s, SeriesStyle::Labelled));
    // A reference line on a continuous axis from zero: the Lorenz curve's equality line.
    let lorenz = has(|s| matches!(s, SeriesStyle::Reference)) && chart.x_axis == XAxis::Continuous;
    let (x0, x1) = match &chart.x_axis {
        XAxis::Categories(c) => (-0.5, c.len() as f64 - 0.5),
        XAxis::Years => {
            let (a, b) = chart.x_extent().unwrap_or((0.0, 1.0));
            (a - 0.3, b + 0.3)
        }
        XAxis::Continuous if lorenz => (0.0, 1.0),
        XAxis::Span => {
            let (a, b) = chart.x_extent().unwrap_or((0.0, 1.0));
            padded(a, b, 0.04)
        }
        XAxis::Continuous => {
            let (a, b) = with_zero(chart.x_extent().unwrap_or((0.0, 1.0)));
            let (pa, pb) = padded(a, b, 0.1);
            (if a >= 0.0 { 0.0 } else { pa }, pb)
        }
    };
    let y_extent = chart.y_extent().unwrap_or((0.0, 1.0));
    let (y0, y1) = if lorenz {
        (0.0, 1.0)
    } else if bars || labelled {
        let (a, b) = padded(y_extent.0, y_extent.1, 0.1);
        (if y_extent.0 >= 0.0 { 0.0 } else { a }, if y_extent.1 <= 0.0 { 0.0 } else { b })
    } else {
        padded(y_extent.0, y_extent.1, 0.08)
    };
    let mut c = ChartBuilder::on(area)
        .caption(&chart.title, text(TITLE_SIZE))
        .margin(14)
        .margin_right(30)
        .x_label_area_size(match &chart.x_axis {
            // A category name may take several lines (`\n`): room for each.
            XAxis::Categories(names) => {
                let lines = names.iter().map(|n| n.lines().count()).max().unwrap_or(1).max(1) as u32;
                62 + (lines - 1) * (TEXT_SIZE as u32 + 3)
            }
            _ => 48,
        })
        .y_label_area_size(86)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let years = chart.x_extent().map_or(1, |(a, b)| (b - a).round() as usize + 1);
    let x_format = |x: &f64| match &chart.x_axis {
        XAxis::Years if (x - x.round()).abs() < 1e-6 => format!("{}", x.round()),
        XAxis::Years | XAxis::Categories(_) => String::new(),
        XAxis::Continuous | XAxis::Span => chart.x_format.format(*x),
    };
    let y_format = |y: &f64| chart.y_format.format(*y);
    let mut mesh = c.configure_mesh();
    mesh.x_desc(chart.x_label.as_str())
        .y_desc(chart.y_label.as_str())
        .axis_desc_style(text(TEXT_SIZE))
        .label_style(text(SMALL_SIZE))
        .bold_line_style(GRID)
        .light_line_style(WHITE)
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .y_labels(8);
    match &chart.x_axis {
        XAxis::Years => mesh.x_labels(years.min(12)),
        XAxis::Categories(_) => mesh.disable_x_mesh().x_labels(0),
        XAxis::Continuous | XAxis::Span => mesh.x_labels(10),
    };
    mesh.draw()?;
    if (bars || labelled) && y0 < 0.0 && y1 > 0.0 {
        c.draw_series(LineSeries::new([(x0, 0.0), (x1, 0.0)], INK.stroke_width(1)))?;
    }
    if let XAxis::Categories(names) = &chart.x_axis {
        for (k, name) in names.iter().enumerate() {
            let (px, py) = c.backend_coord(&(k as f64, y0));
            for (line, part) in name.lines().enumerate() {
                let y = py + 8 + line as i32 * (TEXT_SIZE as i32 + 3);
                area.draw_text(part, &text(TEXT_SIZE).pos(Pos::new(HPos::Center, VPos::Top)), (px, y))?;
            }
        }
    }
    let bar_series: Vec<&Series> =
        chart.series.iter().filter(|s| matches!(s.style, SeriesStyle::Bars { .. })).collect();
    let bar_width = 0.8 / bar_series.len().max(1) as f64;
    for s in &chart.series {
        match s.style {
            SeriesStyle::Path { tone, baseline } => {
                let col = colour(tone, baseline);
                let line = col.stroke_width(if baseline { 2 } else { 3 });
                if baseline {
                    c.draw_series(DashedLineSeries::new(s.finite_points(), 9, 6, line))?;
                } else {
                    c.draw_series(LineSeries::new(s.finite_points(), line))?;
                }
                c.draw_series(s.finite_points().map(|p| Circle::new(p, 4, col.filled())))?;
            }
            SeriesStyle::Target { joined } => {
                let col = colour(Tone::Target, false);
                if joined {
                    c.draw_series(DashedLineSeries::new(s.points.iter().copied(), 4, 4, col.stroke_width(1)))?;
                }
                for (k, &(x, y)) in s.points.iter().enumerate() {
                    let e = s.errors.get(k).copied().unwrap_or(0.0);
                    if e > 0.0 {
                        c.draw_series(LineSeries::new([(x, y - e), (x, y + e)], col.stroke_width(2)))?;
                        for end in [y - e, y + e] {
                            c.draw_series(std::iter::once(
                                EmptyElement::at((x, end))
                                    + PathElement::new(vec![(-5, 0), (5, 0)], col.stroke_width(2)),
                            ))?;
                        }
                    }
                }
                c.draw_series(s.points.iter().map(|p| {
                    EmptyElement::at(*p) + Polygon::new(vec![(0, -7), (7, 0), (0, 7), (-7, 0)], col.filled())
                }))?;
            }
            SeriesStyle::Reference => {
                c.draw_series(LineSeries::new(s.points.iter().copied(), colour(Tone::Neutral, false).stroke_width(1)))?;
            }
            SeriesStyle::Bars { tone, baseline } => {
                let j = bar_series.iter().position(|b| std::ptr::eq(*b, s)).unwrap_or(0) as f64;
                let col = colour(tone, baseline);
                c.draw_series(s.points.iter().map(|&(x, y)| {
                    let left = x - 0.4 + j * bar_width;
                    Rectangle::new([(left + 0.01, 0.0_f64.max(y0)), (left + bar_width - 0.01, y)], col.filled())
                }))?;
            }
            SeriesStyle::Labelled => {
                for (k, &(x, y)) in s.points.iter().enumerate() {
                    let e = s.errors.get(k).copied().unwrap_or(0.0);
                    if e > 0.0 && x.is_finite() && y.is_finite() {
                        c.draw_series(LineSeries::new([(x, y - e), (x, y + e)], INK.stroke_width(1)))?;
                    }
                }
                let col = colour(Tone::Rural, false);
                c.draw_series(s.finite_points().map(|p| Circle::new(p, 5, col.filled())))?;
                // Labels right of their points, moved down past labels already placed.
                let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
                for (k, p) in s.points.iter().enumerate().filter(|(_, p)| p.0.is_finite() && p.1.is_finite()) {
                    let (px, py) = c.backend_coord(p);
                    let label = s.labels.get(k).map_or("", String::as_str);
                    let (w, h) = area.estimate_text_size(label, &text(SMALL_SIZE))?;
                    let (w, h) = (w as i32, h as i32 + 2);
                    // Left of the point when the label would run past the plot.
                    let right = c.plotting_area().get_pixel_range().0.end;
                    let left = px + 9 + w > right;
                    let (x, mut y) = (if left { px - 9 - w } else { px + 9 }, py);
                    while placed
                        .iter()
                        .any(|&(ax, ay, aw, ah)| x < ax + aw && ax < x + w && (y - ay).abs() < (h + ah) / 2)
                    {
                        y += h;
                    }
                    placed.push((x, y, w, h));
                    // Anchored at the side next to the point, so that a browser's wider or
                    // narrower font never runs the label into it.
                    let (anchor, at) = if left { (HPos::Right, px - 9) } else { (HPos::Left, x) };
                    area.draw_text(label, &text(SMALL_SIZE).pos(Pos::new(anchor, VPos::Center)), (at, y))?;
                }
            }
            SeriesStyle::Scatter { tone } => {
                let col = colour(tone, false);
                c.draw_series(s.finite_points().map(|p| Circle::new(p, 5, col.filled())))?;
            }
            SeriesStyle::Waterfall => {}
        }
    }
    Ok(())
}

/// A waterfall drawn across: one row per step, top to bottom, the levels (baseline
/// and reform) drawn up from the axis and each lever's step from the running total.
fn draw_waterfall<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, chart: &Chart) -> Drawn<DB> {
    let Some(s) = chart.series.iter().find(|s| s.style == SeriesStyle::Waterfall) else {
        return Ok(());
    };
    let names: Vec<&str> = match &chart.x_axis {
        XAxis::Categories(c) => c.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    };
    let n = s.points.len();
    let bars = waterfall_bars(s);
    let (lo, hi) = chart.y_extent().unwrap_or((0.0, 1.0));
    // A range even when every bar has the same value (no lever changed anything).
    let span = (hi - lo).max(lo.abs().max(hi.abs()) * 1e-3).max(1e-9);
    let (x0, x1) = (lo - 0.6 * span, hi + 0.45 * span);
    let widest = names
        .iter()
        .map(|t| area.estimate_text_size(t, &text(TEXT_SIZE)).map(|(w, _)| w))
        .collect::<std::result::Result<Vec<_>, _>>()?
        .into_iter()
        .max()
        .unwrap_or(60);
    let row = |k: usize| (n - 1 - k) as f64;
    let mut c = ChartBuilder::on(area)
        .caption(&chart.title, text(TITLE_SIZE))
        .margin(14)
        .margin_right(30)
        .x_label_area_size(48)
        .y_label_area_size(widest + 24)
        .build_cartesian_2d(x0..x1, -0.6..(n as f64 - 0.4))?;
    let x_format = |x: &f64| chart.y_format.format(*x);
    c.configure_mesh()
        .x_desc(chart.y_label.as_str())
        .axis_desc_style(text(TEXT_SIZE))
        .label_style(text(SMALL_SIZE))
        .bold_line_style(GRID)
        .light_line_style(WHITE)
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(8)
        .x_label_formatter(&x_format)
        .draw()?;
    for (k, name) in names.iter().enumerate() {
        let (px, py) = c.backend_coord(&(x0, row(k)));
        area.draw_text(name, &text(TEXT_SIZE).pos(Pos::new(HPos::Right, VPos::Center)), (px - 10, py))?;
    }
    for (k, &(from, to)) in bars.iter().enumerate() {
        let level = k == 0 || k + 1 == n;
        let (a, b, col) = if level {
            (x0, to, LEVEL)
        } else if to >= from {
            (from, to, UP)
        } else {
            (to, from, DOWN)
        };
        let y = row(k);
        c.draw_series(std::iter::once(Rectangle::new([(a, y - 0.32), (b, y + 0.32)], col.filled())))?;
        let e = s.errors.get(k).copied().unwrap_or(0.0);
        if e > 0.0 {
            c.draw_series(LineSeries::new([(to - e, y), (to + e, y)], INK.stroke_width(2)))?;
        }
        if k + 1 < n {
            c.draw_series(DashedLineSeries::new([(to, y - 0.32), (to, row(k + 1) + 0.32)], 3, 3, INK.stroke_width(1)))?;
        }
        let label = s.labels.get(k).map_or("", String::as_str);
        let (px, py) = c.backend_coord(&(b.max(to + e), y));
        area.draw_text(label, &text(SMALL_SIZE).pos(Pos::new(HPos::Left, VPos::Center)), (px + 6, py))?;
    }
    Ok(())
}

/// The legend under the plot: a line, marker or swatch and the series' name.
fn draw_legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, chart: &Chart) -> Drawn<DB> {
    let (columns, _) = legend_layout(chart);
    let column_width = (WIDTH as i32 - 120) / columns as i32;
    for (k, s) in legend_entries(chart).into_iter().enumerate() {
        let x = 100 + (k % columns) as i32 * column_width;
        let y = 6 + (k / columns) as i32 * LEGEND_ROW as i32 + LEGEND_ROW as i32 / 2;
        match s.style {
            SeriesStyle::Path { tone, baseline } => {
                let col = colour(tone, baseline);
                let style = col.stroke_width(if baseline { 2 } else { 3 });
                if baseline {
                    for d in [0, 12, 24] {
                        area.draw(&PathElement::new(vec![(x + d, y), (x + d + 7, y)], style))?;
                    }
                } else {
                    area.draw(&PathElement::new(vec![(x, y), (x + 30, y)], style))?;
                }
            }
            SeriesStyle::Target { joined } => {
                let col = colour(Tone::Target, false);
                if joined {
                    area.draw(&PathElement::new(vec![(x, y), (x + 30, y)], col.stroke_width(1)))?;
                }
                area.draw(&Polygon::new(
                    vec![(x + 15, y - 6), (x + 21, y), (x + 15, y + 6), (x + 9, y)],
                    col.filled(),
                ))?;
            }
            SeriesStyle::Reference => {
                area.draw(&PathElement::new(vec![(x, y), (x + 30, y)], colour(Tone::Neutral, false).stroke_width(1)))?;
            }
            SeriesStyle::Bars { tone, baseline } => {
                area.draw(&Rectangle::new([(x + 5, y - 7), (x + 25, y + 7)], colour(tone, baseline).filled()))?;
            }
            SeriesStyle::Scatter { tone } => {
                area.draw(&Circle::new((x + 15, y), 5, colour(tone, false).filled()))?;
            }
            SeriesStyle::Waterfall | SeriesStyle::Labelled => {}
        }
        area.draw_text(&s.name, &text(TEXT_SIZE).pos(Pos::new(HPos::Left, VPos::Center)), (x + 40, y))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::chart::NumberFormat;

    fn chart(x_axis: XAxis, series: Vec<Series>) -> Chart {
        Chart {
            stem: "edge".into(),
            title: "Edge 城乡收入比".into(),
            x_label: "x".into(),
            y_label: "y".into(),
            x_axis,
            x_format: NumberFormat::Decimals(1),
            y_format: NumberFormat::Decimals(2),
            series,
            caption: String::new(),
        }
    }

    #[test]
    fn a_point_that_is_not_a_number_is_left_out_not_drawn_at_the_corner() {
        let path = Series::new(
            "ratio",
            SeriesStyle::Path { tone: Tone::All, baseline: false },
            vec![(2021.0, 2.9), (2022.0, f64::NAN), (2023.0, 2.8)],
        );
        let c = chart(XAxis::Years, vec![path]);
        assert_eq!(c.circle_markers(), 2);
        let svg = svg(&c).expect("draws");
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(!svg.contains("NaN"));
        assert!(png(&c).expect("draws").len() > 1_000);
    }

    #[test]
    fn a_flat_waterfall_and_an_empty_chart_still_draw() {
        let mut flat = Series::new("none", SeriesStyle::Waterfall, vec![(0.0, 0.0), (1.0, 0.0), (2.0, 0.0)]);
        flat.labels = vec!["0".into(); 3];
        let names = XAxis::Categories(vec!["Baseline 基准".into(), "lever".into(), "Reform 改革".into()]);
        for c in [chart(names, vec![flat]), chart(XAxis::Continuous, Vec::new())] {
            assert!(svg(&c).is_ok_and(|s| s.starts_with("<svg")));
            assert!(png(&c).is_ok());
        }
    }
}
