//! `report.html`: one self-contained page for a person to read — the run, the year
//! tables, targets, levers, the charts inline as SVG and every assumption. Inline CSS,
//! the chart font embedded as base64, no scripts and no external resources.

use base64::Engine as _;

use super::RenderedChart;
use super::chart::{NumberFormat, thousands};
use super::figures::extra_fiscal_cost;
use super::font;
use crate::engine::{Outcome, Scenario, VariantResult};
use crate::indicators::Group;

/// The id of the element that closes the report; a browser that shows it has read the
/// whole page (CI looks for it in the headless browser's DOM).
pub const END_MARKER: &str = "incomesim-report-end";

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body { font-family: FONTS; color: #222; margin: 0 auto; max-width: 1040px; padding: 24px; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { border-bottom: 2px solid #1f5fa8; padding-bottom: 4px; margin-top: 2em; }
h3 { margin-bottom: 0.3em; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.92em; }
th, td { border: 1px solid #d0d4da; padding: 4px 8px; vertical-align: top; }
th { background: #eef2f7; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr:nth-child(even) td { background: #fafbfc; }
.met { color: #1b7a2f; font-weight: bold; }
.missed { color: #b3261e; font-weight: bold; }
figure { margin: 1.5em 0; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; border: 1px solid #e3e6ea; }
figcaption { font-size: 0.9em; color: #555; }
.note { color: #555; font-size: 0.9em; }
code { font-size: 0.95em; }
";

fn cell(text: &str) -> String {
    format!("<td>{}</td>", escape(text))
}

fn num(text: &str) -> String {
    format!("<td class=\"n\">{}</td>", escape(text))
}

fn header(cells: &[&str]) -> String {
    let mut out = String::from("<tr>");
    for c in cells {
        out.push_str(&format!("<th>{}</th>", escape(c)));
    }
    out.push_str("</tr>\n");
    out
}

/// Provenance as `key: value` rows, nested objects flattened with dots.
fn flatten(prefix: &str, value: &serde_json::Value, rows: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(&key, v, rows);
            }
        }
        serde_json::Value::String(s) => rows.push((prefix.to_string(), s.clone())),
        serde_json::Value::Null => {}
        other => rows.push((prefix.to_string(), other.to_string())),
    }
}

fn run_table(scenario: &Scenario, outcome: &Outcome, provenance: &serde_json::Value, run_date: &str) -> String {
    let p = &scenario.profile;
    let mut rows = vec![
        ("Scenario".to_string(), scenario.name.clone()),
        ("Region".to_string(), format!("{} — {}", p.id, p.name)),
        ("Years".to_string(), format!("{} (base year) to {}", p.base_year, scenario.last_year)),
        ("Households simulated".to_string(), thousands(scenario.households as f64)),
        ("Seed".to_string(), scenario.seed.to_string()),
        ("Replications".to_string(), scenario.replications.max(1).to_string()),
        ("Drawn anew by each later replication".to_string(), {
            let fields: Vec<String> = scenario.uncertain_fields().iter().map(|(f, s)| format!("{f} {s}")).collect();
            if fields.is_empty() { "nothing".into() } else { fields.join(", ") }
        }),
        ("Correlated draws".to_string(), {
            let pairs: Vec<String> = scenario.correlations.iter().map(|c| c.describe()).collect();
            if pairs.is_empty() { "none (independent)".into() } else { pairs.join(", ") }
        }),
        (
            "Reform levers".to_string(),
            if outcome.lever_names.is_empty() { "none".into() } else { outcome.lever_names.join(", ") },
        ),
        (
            "Contributions".to_string(),
            outcome.contributions.as_ref().map_or("not computed".into(), |c| c.method.describe()),
        ),
        ("Run date".to_string(), run_date.to_string()),
    ];
    if outcome.replications.len() > 1
        && !outcome.lever_names.is_empty()
        && let Some(effect) = crate::engine::report::effect_over_replications(scenario.last_year, outcome)
    {
        rows.push((
            format!(
                "Effect of the reform in {}, yuan per person a year (mean and 5–95% range over replications)",
                scenario.last_year
            ),
            effect,
        ));
    }
    let mut prov = Vec::new();
    flatten("", provenance, &mut prov);
    rows.extend(prov.into_iter().map(|(k, v)| (format!("provenance: {k}"), v)));
    let mut out = String::from("<table id=\"run\">\n");
    for (k, v) in rows {
        out.push_str(&format!("<tr><th>{}</th>{}</tr>\n", escape(&k), cell(&v)));
    }
    out.push_str("</table>\n");
    out
}

fn year_table(id: &str, v: &VariantResult) -> String {
    let labels = v.years.first().map(|y| y.indicators.line_labels.clone()).unwrap_or_default();
    let poverty_heads: Vec<String> = labels
        .iter()
        .map(|l| if l == "dibao" { "Below the dibao line 低保线以下".to_string() } else { format!("Below {l} yuan") })
        .collect();
    let mut heads = vec![
        "Year 年份",
        "Urban 城镇, yuan",
        "Urban growth",
        "Rural 农村, yuan",
        "Rural growth",
        "All residents 全体居民, yuan",
        "Ratio 城乡收入比",
        "Gini 基尼系数 (all)",
    ];
    heads.extend(poverty_heads.iter().map(String::as_str));
    let mut out = format!("<table id=\"{}\">\n{}", escape(id), header(&heads));
    for y in v.years.iter().map(|y| &y.indicators) {
        let growth = |g: Group| {
            y.growth[g.index()]
                .map_or(String::new(), |gr| NumberFormat::Points(1).format(gr.mean_nominal).replace(" pp", "%"))
        };
        out.push_str("<tr>");
        out.push_str(&cell(&y.year.to_string()));
        out.push_str(&num(&thousands(y.group(Group::Urban).mean.disposable)));
        out.push_str(&num(&growth(Group::Urban)));
        out.push_str(&num(&thousands(y.group(Group::Rural).mean.disposable)));
        out.push_str(&num(&growth(Group::Rural)));
        out.push_str(&num(&thousands(y.group(Group::All).mean.disposable)));
        out.push_str(&num(&format!("{:.3}", y.urban_rural_ratio)));
        out.push_str(&num(&format!("{:.3}", y.group(Group::All).gini)));
        for p in &y.group(Group::All).poverty {
            out.push_str(&num(&NumberFormat::Percent(1).format(p.headcount)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

/// A variant's income shares and labour market by year: urban and rural wage,
/// operating and transfer shares, unemployment rates and zero-employment households.
fn sources_and_work_table(id: &str, v: &VariantResult) -> String {
    let heads = [
        "Year 年份",
        "Urban wage share",
        "Urban operating",
        "Urban transfers",
        "Rural wage share",
        "Rural operating",
        "Rural transfers",
        "Urban unemployment",
        "Rural unemployment",
        "Zero-employment households (all)",
    ];
    let mut out = format!("<table id=\"{}\">\n{}", escape(id), header(&heads));
    let percent = |x: f64| num(&NumberFormat::Percent(1).format(x));
    for y in v.years.iter().map(|y| &y.indicators) {
        let (u, r) = (y.group(Group::Urban), y.group(Group::Rural));
        out.push_str("<tr>");
        out.push_str(&cell(&y.year.to_string()));
        for g in [u, r] {
            out.push_str(&percent(g.shares.wage));
            out.push_str(&percent(g.shares.operating));
            out.push_str(&percent(g.shares.net_transfer));
        }
        out.push_str(&percent(u.labour.unemployment_rate));
        out.push_str(&percent(r.labour.unemployment_rate));
        out.push_str(&num(&thousands(y.group(Group::All).labour.zero_employment_households)));
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

fn targets_table(scenario: &Scenario, outcome: &Outcome) -> String {
    if outcome.targets.is_empty() {
        return "<p class=\"note\">The scenario sets no targets.</p>\n".into();
    }
    let many = outcome.replications.len() > 1;
    let mut heads = vec!["Target 目标", "Result", "Reached", "Target value", "Margin"];
    if many {
        heads.push("Share of replications met");
    }
    heads.push("Source");
    let mut out = format!("<table id=\"targets\">\n{}", header(&heads));
    for (k, r) in outcome.targets.iter().enumerate() {
        let def = r.definition(&scenario.targets, k);
        let [reached, target, margin] = r.cells(def);
        out.push_str("<tr>");
        out.push_str(&cell(&r.name));
        out.push_str(if r.met {
            "<td class=\"met\">met 达到</td>"
        } else {
            "<td class=\"missed\">missed 未达到</td>"
        });
        out.push_str(&num(&reached));
        out.push_str(&num(&target));
        out.push_str(&num(&margin));
        if many {
            out.push_str(&num(&NumberFormat::Percent(0).format(r.probability)));
        }
        out.push_str(&cell(def.map_or("", |d| d.source.as_str())));
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    // For a target met in some replications only, the draw its result follows most.
    let drivers = crate::engine::discovery::drivers(scenario, outcome);
    if !drivers.is_empty() {
        out.push_str(&format!(
            "<p class=\"note\">What a target's misses follow: the uncertain value whose draws go most closely with \
             what it reached (Spearman's rank correlation over {} replications; <code>replications.csv</code> has every \
             draw).</p>\n<ul>\n",
            outcome.replications.len()
        ));
        for d in &drivers {
            let name = scenario.targets.get(d.target).map_or("", |t| t.name.as_str());
            out.push_str(&format!(
                "<li>{}, met in {:.0}%: <code>{}</code> ({:+.2})</li>\n",
                escape(name),
                100.0 * d.share_met,
                escape(&d.path),
                d.correlation
            ));
        }
        out.push_str("</ul>\n");
    }
    out
}

fn levers_table(outcome: &Outcome) -> String {
    if outcome.lever_names.is_empty() {
        return "<p class=\"note\">The scenario has no reform levers: the reform is the baseline.</p>\n".into();
    }
    let last = outcome.reform.years.last();
    let last_year = last.map_or(String::new(), |y| y.indicators.year.to_string());
    let paid_last = format!("Paid to households {last_year}, 亿元");
    let private_last = format!("Of it paid privately {last_year}, 亿元");
    let cost_last = format!("Fiscal cost {last_year}, 亿元");
    let recipients = format!("Recipient households {last_year}");
    let mut out = format!(
        "<table id=\"levers\">\n{}",
        header(&[
            "Lever 政策措施",
            "Extra fiscal cost over the baseline, projected years, 亿元",
            &paid_last,
            &private_last,
            &cost_last,
            &recipients,
            "Urban growth, pp a year",
            "Rural growth, pp a year",
            "Ratio 城乡收入比, last year",
        ])
    );
    let c = outcome.contributions.as_ref();
    let contribution = |k: usize, o: usize| -> String {
        let Some(c) = c else { return "—".into() };
        let (scale, digits) = if o == 2 { (1.0, 4) } else { (100.0, 2) };
        let (v, se) = (c.value[k][o] * scale, c.standard_error[k][o] * scale);
        if se > 0.0 { format!("{v:+.digits$} ± {se:.digits$}") } else { format!("{v:+.digits$}") }
    };
    for (k, name) in outcome.lever_names.iter().enumerate() {
        let record = last.and_then(|y| y.ledger.get(name));
        out.push_str("<tr>");
        out.push_str(&cell(name));
        out.push_str(&num(&format!("{:.2}", extra_fiscal_cost(outcome, name) / 1e8)));
        out.push_str(&num(&record.map_or("—".into(), |r| format!("{:.2}", r.paid_to_households / 1e8))));
        out.push_str(&num(&record.map_or("—".into(), |r| format!("{:.2}", r.paid_privately / 1e8))));
        out.push_str(&num(&record.map_or("—".into(), |r| format!("{:.2}", r.fiscal_cost / 1e8))));
        out.push_str(&num(&record.map_or("—".into(), |r| thousands(r.recipient_households))));
        for o in 0..3 {
            out.push_str(&num(&contribution(k, o)));
        }
        out.push_str("</tr>\n");
    }
    if let Some(c) = c {
        out.push_str("<tr><th>Total (reform − baseline)</th><td></td><td></td><td></td>");
        out.push_str(&num(&format!("{:+.2}", 100.0 * c.total[0])));
        out.push_str(&num(&format!("{:+.2}", 100.0 * c.total[1])));
        out.push_str(&num(&format!("{:+.4}", c.total[2])));
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

/// Who received each reform lever's payments in the last year: the share of what it
/// paid to households (or, for a lever that takes income, took from them) that went to
/// each quintile group; levers that moved nothing are left out.
fn incidence_table(outcome: &Outcome) -> String {
    let Some(last) = outcome.reform.years.last() else { return String::new() };
    let year = last.indicators.year;
    let mut out = format!(
        "<table id=\"incidence\">\n{}",
        header(&[
            "Lever 政策措施",
            &format!("Paid to households {year}, 亿元"),
            "Lowest 20% 低收入组",
            "Lower middle 中等偏下",
            "Middle 中等收入组",
            "Upper middle 中等偏上",
            "Highest 20% 高收入组",
        ])
    );
    let mut rows = 0;
    for name in &outcome.lever_names {
        let Some(r) = last.ledger.get(name).filter(|r| r.paid_to_households != 0.0) else { continue };
        let Some(shares) = r.quintile_shares() else { continue };
        rows += 1;
        out.push_str("<tr>");
        out.push_str(&cell(name));
        out.push_str(&num(&format!("{:.2}", r.paid_to_households / 1e8)));
        for share in shares {
            out.push_str(&num(&format!("{:.1}%", 100.0 * share)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    if rows == 0 { String::new() } else { out }
}

/// Who gains and who loses in the last year: by residence, the shares of persons by
/// the change of their household's per-capita income (reform against baseline), and by
/// the baseline's quintile group of all residents the shares gaining and losing.
fn gains_table(outcome: &Outcome) -> String {
    use crate::indicators::{ChangeBand, Group};
    let Some(last) = outcome.reform.years.last() else { return String::new() };
    let Some(gains) = &last.indicators.gains else { return String::new() };
    let pct = |x: f64| num(&format!("{:.1}%", 100.0 * x));
    let mut out = format!(
        "<table id=\"gains\">\n{}",
        header(&[
            &format!("{} 人群", last.indicators.year),
            "Gain over 5% 增收超5%",
            "Gain up to 5%",
            "No change 不变",
            "Lose up to 5%",
            "Lose over 5% 减收超5%",
            "Mean change, yuan per person",
        ])
    );
    // A row: the label, the shares by band in report order, the mean change.
    let row = |label: &str, shares: &[f64; 5], mean: f64| {
        let bands: String = ChangeBand::ALL.iter().map(|b| pct(shares[b.index()])).collect();
        format!("<tr>{}{bands}{}</tr>\n", cell(label), num(&format!("{mean:+.0}")))
    };
    for (group, label) in [(Group::Urban, "Urban 城镇"), (Group::Rural, "Rural 农村"), (Group::All, "All 全体")] {
        let g = &gains[group.index()];
        out.push_str(&row(label, &g.shares, g.mean_change));
    }
    let all = &gains[Group::All.index()];
    if all.formerly_poor_compared_persons > 0.0 {
        out.push_str(&row("Formerly poor 脱贫户 (all)", &all.formerly_poor_shares, all.formerly_poor_mean_change));
    }
    out.push_str("</table>\n");
    if all.compared_persons_by_quintile.iter().any(|&p| p > 0.0) {
        out.push_str(&format!(
            "<table id=\"gains-by-quintile\">\n{}",
            header(&["Baseline quintile group 五等份", "Gaining 增收", "Losing 减收", "Mean change, yuan per person"])
        ));
        let names = [
            "Lowest 20% 低收入组",
            "Lower middle 中等偏下",
            "Middle 中等收入组",
            "Upper middle 中等偏上",
            "Highest 20% 高收入组",
        ];
        for (q, name) in names.iter().enumerate() {
            out.push_str("<tr>");
            out.push_str(&cell(name));
            out.push_str(&pct(all.gaining_share_by_quintile[q]));
            out.push_str(&pct(all.losing_share_by_quintile[q]));
            out.push_str(&num(&format!("{:+.0}", all.mean_change_by_quintile[q])));
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
    }
    out
}

/// Work incentives in the last year: the METR and the participation tax rate by
/// residence and of dibao households, under the reform and the baseline; empty when
/// the run did not measure them.
fn work_incentives_table(outcome: &Outcome) -> String {
    use crate::indicators::{Group, MetrBand, MetrGroup, WorkIncentives};
    let Some(last) = outcome.reform.years.last() else { return String::new() };
    let Some(reform) = &last.indicators.work_incentives else { return String::new() };
    let year = last.indicators.year;
    let baseline = outcome.baseline.year(year).and_then(|y| y.work_incentives.as_ref());
    let pct = |x: f64| num(&if x.is_finite() { format!("{:.1}%", 100.0 * x) } else { "n/a".to_string() });
    let yuan = |x: f64| num(&if x.is_finite() { thousands(x) } else { "n/a".to_string() });
    let groups = [(Group::Urban, "Urban 城镇"), (Group::Rural, "Rural 农村"), (Group::All, "All 全体")];
    // One table: its id, its rate's name, whether it shows the means, the rate of each
    // group of residents, and named households among all residents.
    type Pick = fn(&WorkIncentives) -> MetrGroup;
    type Named<'a> = &'a [(&'a str, Pick)];
    let tables: [(&str, &str, bool, Pick, Named); 2] = [
        ("work-incentives", "METR", false, |w| w.all, &[("On dibao 低保户 (all)", |w| w.dibao)]),
        (
            "participation",
            "PTR 参与税率",
            true,
            |w| w.participation,
            &[
                ("On dibao 低保户 (all)", |w| w.participation_dibao),
                ("No one working 无人就业 (all)", |w| w.participation_workless),
            ],
        ),
    ];
    let mut out = String::new();
    for (id, rate, means, by_group, of_all) in tables {
        let mut heads = vec![format!("{year} 人群"), "Persons".to_string(), rate.to_string()];
        if means {
            heads.extend(["Earns, yuan/yr".to_string(), "Keeps, yuan/yr".to_string()]);
        }
        heads.extend(MetrBand::ALL.iter().map(|b| b.label().to_string()));
        let heads: Vec<&str> = heads.iter().map(String::as_str).collect();
        out.push_str(&format!("<table id=\"{id}\">\n{}", header(&heads)));
        for (run, w) in [("reform", Some(reform)), ("baseline", baseline)] {
            let Some(w) = w else { continue };
            let rows = groups.iter().map(|&(g, label)| (label, by_group(&w[g.index()])));
            let named = of_all.iter().map(|&(label, pick)| (label, pick(&w[Group::All.index()])));
            for (label, g) in rows.chain(named) {
                out.push_str("<tr>");
                out.push_str(&cell(&format!("{label}, {run}")));
                out.push_str(&num(&thousands(g.persons)));
                out.push_str(&pct(g.aggregate));
                if means {
                    out.push_str(&yuan(g.mean_earnings_rise));
                    out.push_str(&yuan(g.mean_disposable_rise));
                }
                for b in MetrBand::ALL {
                    out.push_str(&pct(g.shares[b.index()]));
                }
                out.push_str("</tr>\n");
            }
        }
        out.push_str("</table>\n");
    }
    let all = Group::All.index();
    if reform[all].has_quintiles {
        let base = baseline.filter(|b| b[all].has_quintiles).map(|b| &b[all]);
        let heads = [
            "Quintile 五等份",
            "METR, reform",
            "METR, baseline",
            "Persons (METR)",
            "PTR, reform",
            "PTR, baseline",
            "Persons (PTR)",
        ];
        out.push_str(&format!("<table id=\"work-incentives-quintiles\">\n{}", header(&heads)));
        for q in 0..5 {
            let (m, p) = (&reform[all].by_quintile[q], &reform[all].participation_by_quintile[q]);
            out.push_str("<tr>");
            out.push_str(&cell(&format!("{}", q + 1)));
            out.push_str(&pct(m.aggregate));
            out.push_str(&pct(base.map_or(f64::NAN, |b| b.by_quintile[q].aggregate)));
            out.push_str(&num(&thousands(m.persons)));
            out.push_str(&pct(p.aggregate));
            out.push_str(&pct(base.map_or(f64::NAN, |b| b.participation_by_quintile[q].aggregate)));
            out.push_str(&num(&thousands(p.persons)));
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
    }
    out
}

fn assumptions_table(outcome: &Outcome) -> String {
    if outcome.assumptions.is_empty() {
        return "<p class=\"note\">No assumptions recorded.</p>\n".into();
    }
    let mut out = format!("<table id=\"assumptions\">\n{}", header(&["Assumption", "Value and reason"]));
    for (name, reason) in &outcome.assumptions {
        out.push_str(&format!("<tr>{}{}</tr>\n", cell(name), cell(reason)));
    }
    out.push_str("</table>\n");
    out
}

/// The run's warnings (none: nothing).
fn warnings_section(outcome: &Outcome) -> String {
    if outcome.warnings.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<h2 id=\"warnings\">Warnings</h2>\n<p class=\"note\">What the scenario sets that does not act as written, \
         and what the results show that it may not intend.</p>\n<table id=\"warnings-table\">\n",
    );
    out.push_str(&header(&["Field", "Warning"]));
    for w in &outcome.warnings {
        out.push_str(&format!("<tr>{}{}</tr>\n", cell(&w.field), cell(&w.message)));
    }
    out.push_str("</table>\n");
    out
}

/// The report page. `run_date` is printed as given (e.g. `2026-11-22 02:31 UTC`).
pub fn report(
    scenario: &Scenario,
    outcome: &Outcome,
    provenance: &serde_json::Value,
    charts: &[RenderedChart],
    run_date: &str,
) -> String {
    let font_data = base64::engine::general_purpose::STANDARD.encode(font::FONT);
    let title = format!("{} — incomesim report", scenario.name);
    let mut h = String::with_capacity(font_data.len() + charts.iter().map(|c| c.svg.len()).sum::<usize>() + 65_536);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str(&format!("<title>{}</title>\n<style>\n", escape(&title)));
    h.push_str(&format!(
        "@font-face {{ font-family: {}; src: url(data:font/otf;base64,{font_data}) format(\"opentype\"); }}\n",
        font::CSS_NAME
    ));
    h.push_str(&STYLE.replace("FONTS", font::FAMILY));
    h.push_str("</style>\n</head>\n<body>\n<main id=\"incomesim-report\">\n");
    h.push_str(&format!("<h1>{}</h1>\n", escape(&scenario.name)));
    h.push_str(&format!(
        "<p>{} — {}. Per-capita disposable income 人均可支配收入 in yuan per person per year, nominal; \
         the reform is the baseline plus the scenario's levers.</p>\n",
        escape(&scenario.profile.name),
        // The sentence's own full stop follows: a description's final one goes.
        escape(scenario.profile.description.trim_end().trim_end_matches('.'))
    ));
    h.push_str("<h2 id=\"run-section\">Run</h2>\n");
    h.push_str(&run_table(scenario, outcome, provenance, run_date));
    h.push_str(&warnings_section(outcome));
    h.push_str("<h2>Year by year: reform 改革</h2>\n");
    h.push_str(&year_table("years-reform", &outcome.reform));
    if !outcome.baseline.years.is_empty() {
        h.push_str("<h2>Year by year: baseline 基准</h2>\n");
        h.push_str(&year_table("years-baseline", &outcome.baseline));
    }
    h.push_str(
        "<p class=\"note\">Growth is nominal, on the previous year. The ratio is the urban mean over the rural mean. \
         Gini and poverty shares are over persons of all residents.</p>\n",
    );
    h.push_str("<h2>Sources of income and work: reform 收入来源与就业</h2>\n");
    h.push_str(&sources_and_work_table("sources-reform", &outcome.reform));
    h.push_str(
        "<p class=\"note\">Each part's share of disposable income (the part's total over disposable income's \
         total). Unemployment is unemployed over the labour force aged 16 and over (for urban residents, the model's \
         城镇调查失业率); zero-employment households have a member in the labour force and none working \
         (零就业家庭).</p>\n",
    );
    h.push_str("<h2>Targets 目标</h2>\n");
    h.push_str(&targets_table(scenario, outcome));
    h.push_str("<h2>Levers 政策措施</h2>\n");
    h.push_str(&levers_table(outcome));
    h.push_str(
        "<p class=\"note\">Contributions are Shapley values: each lever's share of the reform's difference from the \
         baseline in the average yearly growth of urban and rural income (percentage points) and in the last year's \
         ratio; ± is one standard error where they are sampled. Paid is the change in households' income the lever \
         makes; of it, paid privately is what employers, firms, collectives and migrants pay (wages, business and \
         farm income, rents, dividends, remittances); fiscal cost is what public budgets pay for it: paid less paid \
         privately, plus what no household receives (contributions paid into pension accounts, awards to firms, \
         interest subsidies, service subsidies to brokers and training providers). 1 亿元 = 100 million \
         yuan.</p>\n",
    );
    let incidence = incidence_table(outcome);
    if !incidence.is_empty() {
        h.push_str("<h2>Who receives each lever's payments 受益分布</h2>\n");
        h.push_str(&incidence);
        h.push_str(
            "<p class=\"note\">Share of what each lever paid to households in the last year that went to each \
             quintile group (五等份: all residents ranked by per-capita disposable income after every lever, five \
             groups of equal numbers of households). Amounts are net over the income parts: for a lever that takes \
             income (social contributions, income tax) they are what households paid, and a negative share is a \
             group whose income the lever lowered on balance (start-up support: a wage given up for a first \
             year in business).</p>\n",
        );
    }
    let gains = gains_table(outcome);
    if !gains.is_empty() {
        h.push_str("<h2>Who gains and who loses 得益与受损</h2>\n");
        h.push_str(&gains);
        h.push_str(
            "<p class=\"note\">Each household of the reform against the same household of the baseline in the last \
             year (the same households and random draws, so the difference is the reform's): its persons by the change \
             of its per-capita disposable income. No change is under 1 yuan per person a year; a large gain or loss \
             is over 5% of the baseline's per-capita income. Quintile groups are the baseline's (all residents, five \
             groups of equal numbers of households). Households formed in the reform only are not compared \
             (indicators.csv: uncompared_persons). Losses come from what a lever takes (a wage given up for a \
             business, farm income for migrant work), benefits lost as income rises, and the years after a change \
             that differ from the baseline's.</p>\n",
        );
    }
    let incentives = work_incentives_table(outcome);
    if !incentives.is_empty() {
        h.push_str("<h2>Work incentives 工作激励</h2>\n");
        h.push_str(&incentives);
        h.push_str(&format!(
            "<p class=\"note\">The marginal effective tax rate (METR, 边际有效税率) in the last year: the levers run \
             again on the same households with every member's wage and operating income {:.0}% higher, and the rate \
             is the share of the rise in earnings that does not reach disposable income (taken by income tax, social \
             contributions and benefits withdrawn as income rises). The aggregate rate is over all the rise; the \
             shares are of persons by their household's rate. A household on dibao as a whole loses its rise to the \
             top-up (100%); one on single-person units keeps it; a wage the rise takes over the informal line starts \
             paying contributions (a rate far above 100%). Only households whose earnings rise count \
             (indicators.csv: metr_ rows). The participation tax rate (PTR, second table) is the same share when \
             one member of each household without paid work (the first able to work, aged 16-59, unemployed or \
             outside the labour force) takes a full-year local job, new this year, at the wage the assumptions \
             give; earns and keeps are the household's mean rise of earnings and of disposable income \
             (indicators.csv: ptr_ rows). The third table gives both rates by quintile group of all residents' \
             per-capita disposable income (each run's own groups).</p>\n",
            100.0 * crate::indicators::incentives::EARNINGS_RISE
        ));
    }
    h.push_str("<h2>Charts</h2>\n");
    for c in charts {
        let stem = escape(&c.chart.stem);
        h.push_str(&format!("<figure id=\"chart-{stem}\">\n"));
        h.push_str(&c.svg);
        h.push_str(&format!(
            "\n<figcaption>{} Files: <code>charts/{stem}.svg</code>, <code>charts/{stem}.png</code>.</figcaption>\n</figure>\n",
            escape(&c.chart.caption)
        ));
    }
    h.push_str("<h2>Assumptions</h2>\n<p class=\"note\">Every assumption the run depends on: region profile, base-year rules, dynamics, and the reform levers' defaults the scenario leaves standing.</p>\n");
    h.push_str(&assumptions_table(outcome));
    h.push_str(&format!(
        "</main>\n<footer id=\"{END_MARKER}\" class=\"note\">incomesim {} — end of report.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    ));
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(escape("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
        assert_eq!(escape("城乡收入比 2.78"), "城乡收入比 2.78");
    }
}
