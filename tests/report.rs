//! Charts and report.html: one point per projected year in every path, one SVG circle
//! per point marker, PNGs with ink on them, glyphs for every label, a self-contained
//! page, atomic writes.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use incomesim::engine::targets::{Comparison, Measure, Target};
use incomesim::engine::{Outcome, Projection, ReformLever, Scenario};
use incomesim::region::Profile;
use incomesim::report::chart::{SeriesStyle, XAxis};
use incomesim::report::{self, RenderedChart, figures, font, html};

/// A small run: 2,000 households of Liupanshui, three projected years, two levers
/// with sampled Shapley values (standard errors for the error bars), three targets (a
/// growth, a level and an "about" level target), a name that needs escaping.
fn run() -> &'static (Scenario, Outcome) {
    static RUN: OnceLock<(Scenario, Outcome)> = OnceLock::new();
    RUN.get_or_init(|| {
        let mut s = Scenario::baseline(Profile::builtin("liupanshui-2021").expect("profile"));
        s.name = "Test <plan> & \"quotes\" 六盘水".into();
        s.households = 2_000;
        s.shapley_exact_max = 1;
        s.shapley_permutations = 16;
        s.work_incentives = true;
        s.reform = [("skills_training", "places_per_year = 36500"), ("farm_productivity", "grain_growth = 0.02")]
            .iter()
            .map(|(name, params)| ReformLever { name: name.to_string(), params: toml::from_str(params).expect("toml") })
            .collect();
        let base = s.profile.base_year;
        let target = |name: &str, group: &str, indicator: &str, measure, value, comparison| Target {
            name: name.into(),
            group: group.into(),
            indicator: indicator.into(),
            measure,
            value,
            comparison,
            source: "test <source>".into(),
        };
        s.targets = vec![
            target(
                "rural +12% a year",
                "rural",
                "mean_disposable",
                Measure::Growth { from: base, to: base + 3 },
                0.12,
                Comparison::AtLeast,
            ),
            target(
                "urban level",
                "urban",
                "mean_disposable",
                Measure::Level { year: base + 2 },
                45_000.0,
                Comparison::AtLeast,
            ),
            target(
                "ratio about 2.8",
                "all",
                "urban_rural_ratio",
                Measure::Level { year: base + 3 },
                2.8,
                Comparison::About { tolerance: 0.05 },
            ),
            target(
                "urban unemployment within 6% every year",
                "urban",
                "unemployment_rate",
                Measure::EveryYear { from: base + 1, to: base + 3 },
                0.06,
                Comparison::AtMost,
            ),
        ];
        let o = Projection::new(&s).run().expect("runs");
        (s, o)
    })
}

fn rendered() -> &'static Vec<RenderedChart> {
    static CHARTS: OnceLock<Vec<RenderedChart>> = OnceLock::new();
    CHARTS.get_or_init(|| {
        let (s, o) = run();
        report::render_charts(s, o).expect("charts render")
    })
}

fn years(o: &Outcome) -> Vec<f64> {
    o.reform.years.iter().map(|y| y.indicators.year as f64).collect()
}

#[test]
fn every_chart_is_made_and_every_path_has_one_point_per_projected_year() {
    let (s, o) = run();
    let charts = figures::charts(s, o);
    let stems: Vec<&str> = charts.iter().map(|c| c.stem.as_str()).collect();
    assert_eq!(
        stems,
        [
            "income_paths",
            "ratio_path",
            "quintile_growth",
            "contributions_rural_growth",
            "contributions_ratio",
            "cost_effect",
            "lorenz",
            "work_incentives",
            "target_urban_unemployment_rate"
        ]
    );
    let years = years(o);
    assert_eq!(years.len(), 4, "base year and three projected years");
    let mut paths = 0;
    for c in charts.iter().filter(|c| c.x_axis == XAxis::Years) {
        for series in c.series.iter().filter(|x| x.is_path()) {
            let xs: Vec<f64> = series.points.iter().map(|p| p.0).collect();
            assert_eq!(xs, years, "{}: {}", c.stem, series.name);
            assert!(series.points.iter().all(|p| p.1.is_finite() && p.1 > 0.0), "{}: {}", c.stem, series.name);
            paths += 1;
        }
    }
    assert_eq!(paths, 8, "urban and rural income, the ratio and urban unemployment, reform and baseline");
    // A target on another indicator gets its own chart: the group's path with the
    // target's level over its years.
    let unemployment = charts.iter().find(|c| c.stem == "target_urban_unemployment_rate").expect("chart");
    let level: Vec<_> = unemployment.series.iter().filter(|x| matches!(x.style, SeriesStyle::Target { .. })).collect();
    assert_eq!(level.len(), 1);
    assert_eq!(level[0].points, years[1..].iter().map(|&y| (y, 0.06)).collect::<Vec<_>>());

    // Targets: the growth target as its implied path from the first year, the level
    // targets as one marker each at their year, the "about" one with its tolerance.
    let income = &charts[0];
    let targets: Vec<_> = income.series.iter().filter(|x| matches!(x.style, SeriesStyle::Target { .. })).collect();
    assert_eq!(targets.len(), 2);
    assert_eq!(targets[0].points.len(), 4);
    let rural0 = o.reform.years[0].indicators.group(incomesim::indicators::Group::Rural).mean.disposable;
    assert!((targets[0].points[3].1 - rural0 * 1.12f64.powi(3)).abs() < 1e-6);
    assert_eq!(targets[1].points, vec![(years[2], 45_000.0)]);
    let ratio_target = charts[1].series.iter().find(|x| matches!(x.style, SeriesStyle::Target { .. })).expect("target");
    assert_eq!(ratio_target.points, vec![(years[3], 2.8)]);
    assert_eq!(ratio_target.errors, vec![0.05]);

    // Quintiles: five groups in every series; waterfalls: baseline, each lever, reform,
    // adding up; cost against effect: one point per lever; Lorenz: 21 points a curve.
    for series in &charts[2].series {
        assert_eq!(series.points.len(), 5, "{}", series.name);
    }
    for w in &charts[3..5] {
        let p = &w.series[0].points;
        assert_eq!(p.len(), o.lever_names.len() + 2, "{}", w.stem);
        let steps: f64 = p[1..p.len() - 1].iter().map(|q| q.1).sum();
        assert!((p[0].1 + steps - p[p.len() - 1].1).abs() < 1e-9, "{}: the steps add up", w.stem);
    }
    let c = o.contributions.as_ref().expect("contributions");
    for (w, k) in [(&charts[3], 1), (&charts[4], 2)] {
        let se: Vec<f64> = c.standard_error.iter().map(|e| e[k]).collect();
        assert_eq!(w.series[0].errors[1..=se.len()], se[..], "{}: error bars are the standard errors", w.stem);
    }
    assert_eq!(charts[5].series[0].points.len(), o.lever_names.len());
    assert_eq!(charts[5].series[0].labels, o.lever_names);
    let lorenz = &charts[6];
    assert_eq!(lorenz.series.iter().filter(|x| x.is_path()).count(), 3, "base year, reform and baseline last year");
    for series in lorenz.series.iter().filter(|x| x.is_path()) {
        assert_eq!(series.points.len(), 21, "{}", series.name);
        assert_eq!(series.points[20], (1.0, 1.0));
    }
    // Work incentives: both rates by quintile group, reform and baseline, each a rate
    // of the run's own groups.
    let incentives = &charts[7];
    assert_eq!(incentives.series.len(), 4);
    let all = o.reform.years.last().and_then(|y| y.indicators.work_incentives.as_ref()).expect("measured")[2];
    assert_eq!(
        incentives.series[0].points,
        (0..5).map(|k| (k as f64, all.by_quintile[k].aggregate)).collect::<Vec<_>>()
    );
    assert_eq!(
        incentives.series[2].points,
        (0..5).map(|k| (k as f64, all.participation_by_quintile[k].aggregate)).collect::<Vec<_>>()
    );
}

#[test]
fn each_svg_draws_one_circle_per_point_marker() {
    for r in rendered() {
        let circles = r.svg.matches("<circle").count();
        assert_eq!(circles, r.chart.circle_markers(), "{}", r.chart.stem);
        let diamonds: usize = r
            .chart
            .series
            .iter()
            .filter(|s| matches!(s.style, SeriesStyle::Target { .. }))
            .map(|s| s.points.len() + 1) // one in the legend
            .sum();
        assert_eq!(r.svg.matches("<polygon").count(), diamonds, "{}", r.chart.stem);
        assert!(r.svg.starts_with("<svg"), "{}", r.chart.stem);
        assert!(r.svg.contains(font::CSS_NAME), "{}: the font family list", r.chart.stem);
    }
    let income = &rendered()[0];
    assert!(income.chart.circle_markers() >= 16, "four paths of four years");
    assert!(income.svg.contains("人均可支配收入") && income.svg.contains("城镇") && income.svg.contains("农村"));
    assert!(rendered()[1].svg.contains("城乡收入比"));
    assert!(rendered()[6].svg.contains("基尼系数"));
}

/// Share of pixels that differ from the background (the top-left pixel).
fn ink_share(png_bytes: &[u8]) -> f64 {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let bytes = &buf[..info.buffer_size()];
    let px = info.color_type.samples();
    assert!(px >= 3, "colour image");
    let background = &bytes[..px];
    let pixels = bytes.chunks_exact(px);
    let total = pixels.len();
    let ink = pixels.filter(|p| p != &background).count();
    ink as f64 / total as f64
}

#[test]
fn each_png_has_ink_on_a_white_background() {
    for r in rendered() {
        assert!(r.png.starts_with(b"\x89PNG\r\n\x1a\n"), "{}", r.chart.stem);
        let share = ink_share(&r.png);
        assert!(share >= 0.02, "{}: {:.2}% of pixels differ from the background", r.chart.stem, 100.0 * share);
        assert!(share < 0.6, "{}: {:.2}% — not a blank or black image", r.chart.stem, 100.0 * share);
    }
}

#[test]
fn the_embedded_font_has_a_glyph_for_every_chart_label() {
    for r in rendered() {
        for t in r.chart.texts() {
            assert_eq!(font::missing_glyphs(t), Vec::<char>::new(), "{}: `{t}`", r.chart.stem);
        }
    }
}

#[test]
fn charts_are_identical_whatever_the_thread_count() {
    let (s, o) = run();
    let with = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        pool.install(|| report::render_charts(s, o).expect("charts"))
    };
    let (a, b) = (with(1), with(2));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.svg, y.svg, "{}", x.chart.stem);
        assert_eq!(x.png, y.png, "{}", x.chart.stem);
    }
}

#[test]
fn the_report_page_is_self_contained_and_escaped() {
    let (s, o) = run();
    let provenance = serde_json::json!({"scenario_file": "a<b>.toml", "nested": {"seed": 7}});
    let page = html::report(s, o, &provenance, rendered(), "2026-01-02 03:04 UTC");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains(&format!("id=\"{}\"", html::END_MARKER)));
    // Every chart inline, every table present.
    assert_eq!(page.matches("<svg").count(), rendered().len());
    for id in
        ["run", "years-reform", "years-baseline", "sources-reform", "targets", "levers", "incidence", "assumptions"]
    {
        assert!(page.contains(&format!("<table id=\"{id}\">")), "table {id}");
    }
    // The income sources and work: one row per year.
    let sources =
        page.split("<table id=\"sources-reform\">").nth(1).and_then(|t| t.split("</table>").next()).unwrap_or("");
    let years = sources.lines().filter(|l| l.starts_with("<tr><td>")).count();
    assert_eq!(years, o.reform.years.len());
    // Each row of the incidence table splits 100% over the five groups.
    let incidence =
        page.split("<table id=\"incidence\">").nth(1).and_then(|t| t.split("</table>").next()).unwrap_or("");
    let mut rows = 0;
    for row in incidence.lines().filter(|l| l.starts_with("<tr><td>")) {
        let shares: Vec<f64> = row
            .split("<td class=\"n\">")
            .filter_map(|c| c.split('%').next().filter(|_| c.contains('%')))
            .map(|x| x.parse().expect("share"))
            .collect();
        assert_eq!(shares.len(), 5, "{row}");
        assert!((shares.iter().sum::<f64>() - 100.0).abs() < 0.3, "{row}");
        rows += 1;
    }
    assert!(rows > 0, "some lever paid something");
    // Work incentives: urban, rural, all and dibao households under the reform and the
    // baseline, each row's persons over six bands of rate.
    let incentives =
        page.split("<table id=\"work-incentives\">").nth(1).and_then(|t| t.split("</table>").next()).unwrap_or("");
    let rows: Vec<&str> = incentives.lines().filter(|l| l.starts_with("<tr><td>")).collect();
    assert_eq!(rows.len(), 8, "{incentives}");
    for row in rows {
        let shares: Vec<f64> = row
            .split("<td class=\"n\">")
            .skip(3)
            .filter_map(|c| c.split('%').next())
            .map(|x| x.parse().expect("share"))
            .collect();
        assert_eq!(shares.len(), 6, "{row}");
        assert!((shares.iter().sum::<f64>() - 100.0).abs() < 0.5, "{row}");
    }
    // The participation tax rate: the same rows and households in which no one works,
    // with two means in yuan before the bands.
    let participation =
        page.split("<table id=\"participation\">").nth(1).and_then(|t| t.split("</table>").next()).unwrap_or("");
    let rows: Vec<&str> = participation.lines().filter(|l| l.starts_with("<tr><td>")).collect();
    assert_eq!(rows.len(), 10, "{participation}");
    for row in rows {
        let shares: Vec<f64> = row
            .split("<td class=\"n\">")
            .skip(5)
            .filter_map(|c| c.split('%').next())
            .map(|x| x.parse().expect("share"))
            .collect();
        assert_eq!(shares.len(), 6, "{row}");
        assert!((shares.iter().sum::<f64>() - 100.0).abs() < 0.5, "{row}");
    }
    // And both by quintile group: five rows.
    let quintiles = page
        .split("<table id=\"work-incentives-quintiles\">")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .unwrap_or("");
    assert_eq!(quintiles.lines().filter(|l| l.starts_with("<tr><td>")).count(), 5, "{quintiles}");
    // Nothing to fetch, nothing to run.
    for banned in ["<script", "<link", "<img", "<iframe", "src=\"http", "url(http", "@import"] {
        assert!(!page.contains(banned), "{banned}");
    }
    assert!(page.contains("@font-face") && page.contains("data:font/otf;base64,"));
    // Text is escaped.
    assert!(page.contains("Test &lt;plan&gt; &amp; &quot;quotes&quot; 六盘水"));
    assert!(!page.contains("<plan>"));
    assert!(page.contains("a&lt;b&gt;.toml") && page.contains("test &lt;source&gt;"));
    assert!(page.contains("provenance: nested.seed"));
    assert!(page.contains("2026-01-02 03:04 UTC"));
    // Targets with their result, levers with their contributions, every assumption.
    assert_eq!(page.matches("class=\"met\"").count() + page.matches("class=\"missed\"").count(), o.targets.len());
    for name in &o.lever_names {
        assert!(page.contains(&format!("<td>{name}</td>")), "{name}");
    }
    assert!(!o.assumptions.is_empty());
    for (name, _) in &o.assumptions {
        assert!(page.contains(&html::escape(name)), "{name}");
    }
}

fn leftovers(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().ends_with(".tmp")))
        .collect()
}

#[test]
fn write_outputs_writes_charts_and_the_report_atomically() {
    let (s, o) = run();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-test-out");
    let _ = std::fs::remove_dir_all(&dir);
    let files =
        incomesim::engine::output::write_outputs(&dir, s, o, serde_json::json!({"test": true})).expect("written");
    let charts = figures::charts(s, o);
    for c in &charts {
        for ext in ["svg", "png"] {
            let path = dir.join("charts").join(format!("{}.{ext}", c.stem));
            assert!(files.contains(&path), "{}", path.display());
            assert!(std::fs::metadata(&path).expect("exists").len() > 1_000, "{}", path.display());
        }
    }
    let page = dir.join("report.html");
    assert!(files.contains(&page));
    let text = std::fs::read_to_string(&page).expect("report");
    assert!(text.trim_end().ends_with("</html>"));
    assert!(leftovers(&dir).is_empty() && leftovers(&dir.join("charts")).is_empty(), "no temporary files left");
}

#[test]
fn an_unwritable_folder_is_a_clear_error() {
    let (s, o) = run();
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-test-not-a-dir");
    std::fs::write(&file, b"a file").expect("write");
    let err = report::write_report(&file, s, o, &serde_json::json!({})).expect_err("not a folder");
    let message = err.to_string();
    assert!(message.contains("report-test-not-a-dir"), "{message}");
}
