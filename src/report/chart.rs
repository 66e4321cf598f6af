//! Chart data as plain values: a chart is a title, axes and series of `(x, y)`
//! points, with nothing of the drawing library in it, so that tests can inspect what
//! is drawn and the renderer stays a thin layer.

/// Yuan per 亿 (100 million), the unit of fiscal costs in the charts.
pub const YI: f64 = 1e8;

/// What the x axis shows.
#[derive(Debug, Clone, PartialEq)]
pub enum XAxis {
    /// Calendar years: x values are years, labelled as integers.
    Years,
    /// A continuous scale from zero (population share of a Lorenz curve, fiscal cost).
    Continuous,
    /// A continuous scale over its values only (the values of a sweep).
    Span,
    /// Named categories at x = 0, 1, 2, … (quintile groups, waterfall steps).
    Categories(Vec<String>),
}

/// The colour role of a series; the renderer maps roles to colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Urban residents.
    Urban,
    /// Rural residents.
    Rural,
    /// All residents.
    All,
    /// The base year (Lorenz curve).
    BaseYear,
    /// A plan's target.
    Target,
    /// Reference lines (perfect equality).
    Neutral,
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SeriesStyle {
    /// A projected path: a line with a circle marker at every point. The baseline
    /// is dashed and lighter, the reform solid.
    Path {
        /// Colour role.
        tone: Tone,
        /// Whether this is the baseline (dashed).
        baseline: bool,
    },
    /// A plan's target: diamond markers, joined by a dashed line when the target
    /// implies a path (growth targets).
    Target {
        /// Whether the markers are joined.
        joined: bool,
    },
    /// A reference line without markers (the line of perfect equality).
    Reference,
    /// Bars, one per category; the bars of several series stand side by side.
    Bars {
        /// Colour role.
        tone: Tone,
        /// Whether this is the baseline (lighter).
        baseline: bool,
    },
    /// A waterfall: the first and last points are levels (baseline and reform), the
    /// points between are steps (each lever's contribution) added in turn.
    Waterfall,
    /// Points with a text label each and no line (cost against effect).
    Labelled,
    /// Points without labels or line, one colour per series (replications' results
    /// against a draw).
    Scatter {
        /// Colour role.
        tone: Tone,
    },
}

/// One series of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Name in the legend.
    pub name: String,
    /// How it is drawn.
    pub style: SeriesStyle,
    /// The points `(x, y)`, in x order for paths.
    pub points: Vec<(f64, f64)>,
    /// A label per point (waterfall and labelled points), or empty.
    pub labels: Vec<String>,
    /// A standard error per point drawn as an error bar (sampled Shapley values), or
    /// empty; 0 draws none.
    pub errors: Vec<f64>,
}

impl Series {
    /// A series without labels or error bars.
    pub fn new(name: impl Into<String>, style: SeriesStyle, points: Vec<(f64, f64)>) -> Self {
        Series { name: name.into(), style, points, labels: Vec::new(), errors: Vec::new() }
    }

    /// Whether every point of this series is drawn as a circle marker.
    pub fn has_circle_markers(&self) -> bool {
        matches!(self.style, SeriesStyle::Path { .. } | SeriesStyle::Labelled | SeriesStyle::Scatter { .. })
    }

    /// The points with finite coordinates, the ones drawn.
    pub fn finite_points(&self) -> impl Iterator<Item = (f64, f64)> + Clone + '_ {
        self.points.iter().copied().filter(|p| p.0.is_finite() && p.1.is_finite())
    }

    /// Whether this series is a projected path (one point per year on a year axis).
    pub fn is_path(&self) -> bool {
        matches!(self.style, SeriesStyle::Path { .. })
    }
}

/// A chart ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File stem: the chart is written as `charts/<stem>.svg` and `.png`.
    pub stem: String,
    /// Title, English with the Chinese term beside the key words.
    pub title: String,
    /// X axis label.
    pub x_label: String,
    /// Y axis label.
    pub y_label: String,
    /// What the x axis shows.
    pub x_axis: XAxis,
    /// How x values are printed on a continuous axis (years and categories print
    /// as they are).
    pub x_format: NumberFormat,
    /// How y values are printed on the axis.
    pub y_format: NumberFormat,
    /// The series, drawn in order.
    pub series: Vec<Series>,
    /// A sentence for the report under the chart: what it shows and how to read it.
    pub caption: String,
}

impl Chart {
    /// The number of circle markers the chart draws: one per finite point of every
    /// path and labelled series (the legend draws none; a point that is not a number
    /// is not drawn).
    pub fn circle_markers(&self) -> usize {
        self.series.iter().filter(|s| s.has_circle_markers()).map(|s| s.finite_points().count()).sum()
    }

    /// Every piece of text the chart draws, for checking the embedded font covers it.
    pub fn texts(&self) -> Vec<&str> {
        let mut t = vec![self.title.as_str(), self.x_label.as_str(), self.y_label.as_str()];
        if let XAxis::Categories(c) = &self.x_axis {
            t.extend(c.iter().map(String::as_str));
        }
        for s in &self.series {
            t.push(&s.name);
            t.extend(s.labels.iter().map(String::as_str));
        }
        t
    }

    /// The y range the chart needs: every point with its error bar, and the running
    /// totals of waterfalls; `None` without points.
    pub fn y_extent(&self) -> Option<(f64, f64)> {
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        let mut see = |y: f64| {
            if y.is_finite() {
                lo = lo.min(y);
                hi = hi.max(y);
            }
        };
        for s in &self.series {
            match s.style {
                SeriesStyle::Waterfall => {
                    for (k, bar) in waterfall_bars(s).iter().enumerate() {
                        let e = s.errors.get(k).copied().unwrap_or(0.0);
                        see(bar.0 - e);
                        see(bar.1 + e);
                        see(bar.0);
                        see(bar.1);
                    }
                }
                _ => {
                    for (k, p) in s.points.iter().enumerate() {
                        let e = s.errors.get(k).copied().unwrap_or(0.0);
                        see(p.1 - e);
                        see(p.1 + e);
                    }
                }
            }
        }
        (lo <= hi).then_some((lo, hi))
    }

    /// The x range of the points; `None` without points.
    pub fn x_extent(&self) -> Option<(f64, f64)> {
        let xs = self.series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).filter(|x| x.is_finite());
        let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(x), hi.max(x)));
        (lo <= hi).then_some((lo, hi))
    }
}

/// The `(from, to)` of each bar of a waterfall series. The first and last points are
/// levels, returned as `(y, y)` (the renderer draws them up from the bottom of the
/// axis); each step between runs from the running total to the total plus the step.
pub fn waterfall_bars(series: &Series) -> Vec<(f64, f64)> {
    let n = series.points.len();
    let mut bars = Vec::with_capacity(n);
    let mut running = 0.0;
    for (k, &(_, y)) in series.points.iter().enumerate() {
        if k == 0 || k + 1 == n {
            bars.push((y, y));
            running = y;
        } else {
            bars.push((running, running + y));
            running += y;
        }
    }
    bars
}

/// How numbers are printed on an axis or in a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberFormat {
    /// Whole numbers with thousands separators (yuan).
    Yuan,
    /// A plain number with this many decimals (ratios, Gini, shares).
    Decimals(usize),
    /// A fraction shown as a percentage with this many decimals.
    Percent(usize),
    /// A difference of fractions shown in percentage points, signed: `+0.12 pp`.
    Points(usize),
}

impl NumberFormat {
    /// The same format with one more decimal (for standard errors, often smaller than
    /// the values they go with).
    pub fn finer(self) -> NumberFormat {
        match self {
            NumberFormat::Yuan => NumberFormat::Yuan,
            NumberFormat::Decimals(d) => NumberFormat::Decimals(d + 1),
            NumberFormat::Percent(d) => NumberFormat::Percent(d + 1),
            NumberFormat::Points(d) => NumberFormat::Points(d + 1),
        }
    }

    /// The number as text.
    pub fn format(self, x: f64) -> String {
        match self {
            NumberFormat::Yuan => thousands(x),
            NumberFormat::Decimals(d) => format!("{x:.d$}"),
            NumberFormat::Percent(d) => format!("{:.d$}%", 100.0 * x),
            NumberFormat::Points(d) => format!("{:+.d$} pp", 100.0 * x),
        }
    }
}

/// A whole number with comma thousands separators: `-12,345`.
pub fn thousands(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let r = x.round();
    let digits = format!("{:.0}", r.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if r < 0.0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(999.4), "999");
        assert_eq!(thousands(1234.0), "1,234");
        assert_eq!(thousands(-1234567.0), "-1,234,567");
        assert_eq!(thousands(f64::NAN), "n/a");
    }

    #[test]
    fn waterfall_steps_run_from_the_running_total() {
        let s = Series::new("ratio", SeriesStyle::Waterfall, vec![(0.0, 2.9), (1.0, -0.05), (2.0, 0.01), (3.0, 2.86)]);
        let bars = waterfall_bars(&s);
        assert_eq!(bars[0], (2.9, 2.9));
        assert!((bars[1].0 - 2.9).abs() < 1e-12 && (bars[1].1 - 2.85).abs() < 1e-12);
        assert!((bars[2].0 - 2.85).abs() < 1e-12 && (bars[2].1 - 2.86).abs() < 1e-12);
        assert_eq!(bars[3], (2.86, 2.86));
    }
}
