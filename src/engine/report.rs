//! Text summaries of a projection for the terminal.

use super::projection::{Outcome, Scenario};
use crate::indicators::Group;

/// The year-by-year table of urban and rural income, growth and their ratio under the
/// baseline and the reform, each lever's contribution, the targets, and what the
/// reform levers cost in the last year.
pub fn summary_table(scenario: &Scenario, outcome: &Outcome) -> String {
    let mut out = format!(
        "{} — {} ({} households, seed {}, {}–{})\n\n",
        scenario.name,
        scenario.profile.name,
        scenario.households,
        scenario.seed,
        scenario.profile.base_year,
        scenario.last_year
    );
    out.push_str("per-capita disposable income, yuan (人均可支配收入); growth is nominal\n");
    out.push_str(&format!(
        "{:<6} {:>10} {:>8} {:>10} {:>8} {:>10}   {:>10} {:>10} {:>10}\n",
        "year", "urban", "growth", "rural", "growth", "ratio", "base urban", "base rural", "base ratio"
    ));
    for (r, b) in outcome.reform.years.iter().zip(&outcome.baseline.years) {
        let (ri, bi) = (&r.indicators, &b.indicators);
        let growth =
            |g: Group| ri.growth[g.index()].map_or("".to_string(), |x| format!("{:+.1}%", 100.0 * x.mean_nominal));
        out.push_str(&format!(
            "{:<6} {:>10.0} {:>8} {:>10.0} {:>8} {:>10.3}   {:>10.0} {:>10.0} {:>10.3}\n",
            ri.year,
            ri.group(Group::Urban).mean.disposable,
            growth(Group::Urban),
            ri.group(Group::Rural).mean.disposable,
            growth(Group::Rural),
            ri.urban_rural_ratio,
            bi.group(Group::Urban).mean.disposable,
            bi.group(Group::Rural).mean.disposable,
            bi.urban_rural_ratio,
        ));
    }
    out.push_str("(城乡收入比 = urban mean / rural mean)\n");
    if let Some(c) = &outcome.contributions {
        out.push_str(&format!("\ncontribution of each lever ({}):\n", c.method.describe()));
        out.push_str(&format!(
            "{:<40} {:>16} {:>16} {:>18}\n",
            "lever", "urban growth pp", "rural growth pp", "ratio (last year)"
        ));
        for (name, (v, se)) in outcome.lever_names.iter().zip(c.value.iter().zip(&c.standard_error)) {
            let cell = |k: usize, scale: f64, digits: usize| {
                if se[k] > 0.0 {
                    format!("{:+.*} ±{:.*}", digits, scale * v[k], digits, scale * se[k])
                } else {
                    format!("{:+.*}", digits, scale * v[k])
                }
            };
            out.push_str(&format!(
                "{:<40} {:>16} {:>16} {:>18}\n",
                name,
                cell(0, 100.0, 2),
                cell(1, 100.0, 2),
                cell(2, 1.0, 4)
            ));
        }
        out.push_str(&format!(
            "{:<40} {:>16.2} {:>16.2} {:>18.4}\n",
            "total (reform − baseline)",
            100.0 * c.total[0],
            100.0 * c.total[1],
            c.total[2]
        ));
    }
    if !outcome.targets.is_empty() {
        out.push_str("\ntargets:\n");
        for t in &outcome.targets {
            let reached = t.reached.map_or("n/a".to_string(), |x| format!("{x:.4}"));
            let margin = t.margin.map_or("".to_string(), |m| format!("{m:+.4}"));
            out.push_str(&format!(
                "  {:<8} {:<52} reached {:>10}  target {:>8.4}  margin {:>9}  probability {:.2}\n",
                if t.met { "MET" } else { "MISSED" },
                t.name,
                reached,
                t.target,
                margin,
                t.probability
            ));
        }
    }
    if let Some(last) = outcome.reform.years.last() {
        out.push_str(&format!(
            "\nlevers in {}: paid to households and fiscal cost, million yuan\n",
            last.indicators.year
        ));
        for r in &last.ledger.records {
            if outcome.lever_names.contains(&r.lever) {
                out.push_str(&format!(
                    "  {:<40} paid {:>10.1}  cost {:>10.1}  recipients {:>10.0} households\n",
                    r.lever,
                    r.paid_to_households / 1e6,
                    r.fiscal_cost / 1e6,
                    r.recipient_households
                ));
            }
        }
    }
    if !outcome.warnings.is_empty() {
        out.push_str(&format!("\n{} warning(s):\n", outcome.warnings.len()));
        for w in &outcome.warnings {
            out.push_str(&format!("  {w}\n"));
        }
    }
    out.push_str(&format!(
        "\n{} assumptions behind these figures (see the JSON output for each)\n",
        outcome.assumptions.len()
    ));
    out
}
