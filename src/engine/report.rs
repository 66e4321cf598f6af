//! Text summaries of a projection for the terminal.

use super::projection::{Outcome, Scenario};
use super::sensitivity::{RankBy, SensitivityRow};
use super::solve::{Solution, SolveRequest, Solved};
use super::sweep::{self, Axis, SweepPoint};
use crate::indicators::gains::LARGE_CHANGE;
use crate::indicators::incentives::{EARNINGS_RISE, MetrGroup};
use crate::indicators::{ChangeBand, Gains, Group, MetrBand, WorkIncentives};
use crate::report::chart::thousands;

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
    if outcome.replications.len() > 1 {
        out.push_str(&format!(
            "(the first of {} replications, at the central assumptions; the targets are checked on the mean of all, \
             and indicators_intervals.csv has each indicator's mean and 5-95% range)\n",
            outcome.replications.len()
        ));
        if scenario.replication_seeds == super::projection::ReplicationSeeds::Same {
            out.push_str("(every replication on the scenario's seed, replication_seeds = \"same\": one population, the uncertain values alone differ)\n");
        }
        let uncertain: Vec<String> = scenario.uncertain_fields().iter().map(|(f, s)| format!("{f} {s}")).collect();
        if !uncertain.is_empty() {
            out.push_str(&format!("(drawn anew by each later replication: {})\n", uncertain.join(", ")));
        }
        if !scenario.correlations.is_empty() {
            let pairs: Vec<String> = scenario.correlations.iter().map(|c| c.describe()).collect();
            out.push_str(&format!("(their draws correlated: {})\n", pairs.join(", ")));
        }
        if !outcome.lever_names.is_empty() {
            out.push_str(&effect_line(scenario.last_year, outcome));
        }
    }
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
        for (k, t) in outcome.targets.iter().enumerate() {
            let [reached, target, margin] = t.cells(t.definition(&scenario.targets, k));
            out.push_str(&format!(
                "  {:<8} {:<52} reached {reached:>10}  target {target:>10}  margin {margin:>10}  probability {:.2}\n",
                if t.met { "MET" } else { "MISSED" },
                t.name,
                t.probability
            ));
        }
        let drivers = super::discovery::drivers_text(scenario, outcome);
        if !drivers.is_empty() {
            out.push('\n');
            out.push_str(&drivers);
        }
    }
    if let Some(last) = outcome.reform.years.last() {
        out.push_str(&format!(
            "\nlevers in {}: paid to households, of it what employers, firms and collectives pay (private: wages, \
             business, farm and property income), and fiscal cost (what public budgets pay), million yuan\n",
            last.indicators.year
        ));
        for r in &last.ledger.records {
            if outcome.lever_names.contains(&r.lever) {
                // A rationed lever's places, and how many were filled; the jobs its
                // recipients create for others, and how many of those were filled.
                let mut places = if r.places > 0.0 {
                    format!("  places {:.0}, filled {:.0}", r.places, r.filled_places)
                } else {
                    String::new()
                };
                if r.hires_offered > 0.0 {
                    places.push_str(&format!("; jobs for others {:.0}, filled {:.0}", r.hires_offered, r.hires_filled));
                }
                out.push_str(&format!(
                    "  {:<40} paid {:>10.1}  private {:>10.1}  cost {:>10.1}  recipients {:>10.0} households{places}\n",
                    r.lever,
                    r.paid_to_households / 1e6,
                    r.paid_privately / 1e6,
                    r.fiscal_cost / 1e6,
                    r.recipient_households
                ));
            }
        }
    }
    if let Some(last) = outcome.reform.years.last()
        && let Some(gains) = &last.indicators.gains
    {
        out.push_str(&gains_table(last.indicators.year, gains, Compared::BASELINE));
    }
    if let Some(last) = outcome.reform.years.last()
        && let Some(reform) = &last.indicators.work_incentives
    {
        let year = last.indicators.year;
        let baseline = outcome.baseline.year(year).and_then(|y| y.work_incentives.as_ref());
        out.push_str(&work_incentives_table(year, reform, baseline));
    }
    let thresholds = &outcome.baseline.paths.dibao_threshold;
    if let (Some(first), Some(last)) = (thresholds.first(), thresholds.last())
        && thresholds.len() > 1
    {
        out.push_str(&format!(
            "\nbaseline dibao thresholds (first tier, yuan per person per month), {} to {} (in summary.json's \
             baseline_paths): urban {:.0} to {:.0}, rural {:.0} to {:.0}\n",
            scenario.profile.base_year,
            scenario.profile.base_year as usize + thresholds.len() - 1,
            first[0] / 12.0,
            last[0] / 12.0,
            first[1] / 12.0,
            last[1] / 12.0
        ));
    }
    // The index the employment levers' market pay follows by default.
    let wage = &outcome.baseline.paths.wage;
    let pay_indexed = outcome.lever_names.iter().any(|n| crate::policy::employment::PAY_INDEXED.contains(&n.as_str()));
    if pay_indexed
        && wage.len() > 1
        && let Some(last) = wage.last()
    {
        out.push_str(&format!(
            "\npay rates index (base year 1; the employment levers' market pay follows it with indexation = \
             \"wages\", the default but for public-welfare posts; in summary.json's baseline_paths), {}: urban \
             {:.3}, rural {:.3}\n",
            scenario.profile.base_year as usize + wage.len() - 1,
            last[0],
            last[1]
        ));
    }
    let rates = &outcome.baseline.paths.dibao_take_up_rate;
    if let (Some(Some(first)), Some(Some(last))) = (rates.first(), rates.last())
        && rates.len() > 1
    {
        let years = scenario.profile.base_year + 1..=scenario.last_year;
        let why = if years.into_iter().any(|y| scenario.dynamics.dibao_caseload_alignment(y) > 0.0) {
            "set to hold the caseload share, dibao_caseload_alignment"
        } else {
            "the calibrated rate, dibao_caseload_alignment = 0"
        };
        out.push_str(&format!(
            "\nbaseline dibao take-up of newly eligible households entitled to half their threshold \
             (the calibrated priority of need sets the others'), {} to {} ({why}; in \
             summary.json's baseline_paths): urban {:.2} to {:.2}, rural {:.2} to {:.2}\n",
            scenario.profile.base_year,
            scenario.profile.base_year as usize + rates.len() - 1,
            first[0],
            last[0],
            first[1],
            last[1]
        ));
    }
    if !outcome.warnings.is_empty() {
        out.push_str(&format!("\n{} warning(s):\n", outcome.warnings.len()));
        for w in &outcome.warnings {
            out.push_str(&format!("  {w}\n"));
        }
    }
    out.push_str(&format!(
        "\n{} assumptions behind these figures (each in summary.json; `incomesim assumptions` shows the baseline \
         assumptions by year)\n",
        outcome.assumptions.len()
    ));
    out
}

/// The reform's effect in `year` over the replications, each against its own
/// baseline (`mean_change_per_capita`: the mean change of persons' household income
/// per person), with its 90% range: `urban +383 (+272 to +479), rural …, all …`;
/// `None` when a group lacks it.
pub fn effect_over_replications(year: u16, outcome: &Outcome) -> Option<String> {
    let parts = ["urban", "rural", "all"]
        .iter()
        .map(|g| {
            let r = outcome.interval(year, g, "mean_change_per_capita")?;
            Some(format!("{g} {:+.0} ({:+.0} to {:+.0})", r.mean, r.p05, r.p95))
        })
        .collect::<Option<Vec<String>>>()?;
    Some(parts.join(", "))
}

/// The line of [`effect_over_replications`] for `run`'s output; empty without it.
fn effect_line(year: u16, outcome: &Outcome) -> String {
    effect_over_replications(year, outcome).map_or_else(String::new, |effect| {
        format!(
            "effect of the reform in {year}, each replication against its own baseline (yuan per person a year; \
             mean and 5-95% range): {effect}\n"
        )
    })
}

/// Work incentives in `year`: the marginal effective tax rate on a rise in earnings of
/// the households whose earnings rise, then the participation tax rate of the
/// households with a member who enters work, under the reform and the baseline, by
/// residence and for dibao households of all residents.
pub fn work_incentives_table(
    year: u16,
    reform: &[WorkIncentives; 3],
    baseline: Option<&[WorkIncentives; 3]>,
) -> String {
    let pct = |x: f64| if x.is_finite() { format!("{:.1}%", 100.0 * x) } else { "n/a".to_string() };
    let mut out = format!(
        "\nwork incentives in {year}: marginal effective tax rate (METR) on a {:.0}% rise in every member's earnings, \
         the share that taxes, contributions and withdrawn benefits take; persons of households whose earnings \
         rise, by their household's rate\n",
        100.0 * EARNINGS_RISE
    );
    let bands: Vec<String> = MetrBand::ALL.iter().map(|b| format!("{:>8}", b.label())).collect();
    out.push_str(&format!("{:<22} {:>14} {:>8} {}\n", "group", "persons", "METR", bands.join(" ")));
    // A group's persons by band of rate.
    let band_cells = |g: &MetrGroup| {
        MetrBand::ALL.iter().map(|b| format!("{:>8}", pct(g.shares[b.index()]))).collect::<Vec<_>>().join(" ")
    };
    let row = |label: String, g: &MetrGroup| {
        format!("{label:<22} {:>14.0} {:>8} {}\n", g.persons, pct(g.aggregate), band_cells(g))
    };
    let runs = [("reform", Some(reform)), ("baseline", baseline)];
    // A measure's rows, each under the reform and the baseline: `by_group` of each group
    // of residents, then each of `of_all` (named households among all residents).
    type Pick = fn(&WorkIncentives) -> MetrGroup;
    let rows = |by_group: Pick, of_all: &[(&str, Pick)], row: &dyn Fn(String, &MetrGroup) -> String| {
        let mut text = String::new();
        for group in Group::ALL {
            for (run, w) in runs {
                if let Some(w) = w {
                    text.push_str(&row(format!("{}, {run}", group.as_str()), &by_group(&w[group.index()])));
                }
            }
        }
        for (label, pick) in of_all {
            for (run, w) in runs {
                if let Some(w) = w {
                    text.push_str(&row(format!("{label}, {run}"), &pick(&w[Group::All.index()])));
                }
            }
        }
        text
    };
    out.push_str(&rows(|w| w.all, &[("on dibao", |w| w.dibao)], &row));
    out.push_str(&format!(
        "\nparticipation tax rate (PTR) in {year}: one member of each household without paid work (able to work, \
         16-59) takes a full-year local job; the share of its earnings that taxes, contributions and withdrawn \
         benefits take; mean yuan a year per household; persons by their household's rate\n"
    ));
    out.push_str(&format!(
        "{:<22} {:>14} {:>8} {:>9} {:>9} {}\n",
        "group",
        "persons",
        "PTR",
        "earns",
        "keeps",
        bands.join(" ")
    ));
    let ptr_row = |label: String, g: &MetrGroup| {
        let yuan = |x: f64| if x.is_finite() { format!("{x:.0}") } else { "n/a".to_string() };
        format!(
            "{label:<22} {:>14.0} {:>8} {:>9} {:>9} {}\n",
            g.persons,
            pct(g.aggregate),
            yuan(g.mean_earnings_rise),
            yuan(g.mean_disposable_rise),
            band_cells(g)
        )
    };
    let of_all: [(&str, Pick); 2] =
        [("on dibao", |w| w.participation_dibao), ("no earner", |w| w.participation_workless)];
    out.push_str(&rows(|w| w.participation, &of_all, &ptr_row));
    let all = Group::All.index();
    if reform[all].has_quintiles {
        out.push_str(&format!(
            "\nby quintile group of all residents' per-capita disposable income in {year} (each run's own groups): \
             the rates and the persons they are over\n"
        ));
        out.push_str(&format!(
            "{:<10} {:>14} {:>14} {:>12} {:>12} {:>14} {:>14}\n",
            "quintile", "METR, reform", "METR, base", "persons", "PTR, reform", "PTR, base", "persons"
        ));
        let base = baseline.filter(|b| b[all].has_quintiles).map(|b| &b[all]);
        for q in 0..5 {
            let (m, p) = (&reform[all].by_quintile[q], &reform[all].participation_by_quintile[q]);
            let rate_of = |g: Option<&MetrGroup>| g.map_or("n/a".to_string(), |g| pct(g.aggregate));
            out.push_str(&format!(
                "{:<10} {:>14} {:>14} {:>12.0} {:>12} {:>14} {:>12.0}\n",
                q + 1,
                pct(m.aggregate),
                rate_of(base.map(|b| &b.by_quintile[q])),
                m.persons,
                pct(p.aggregate),
                rate_of(base.map(|b| &b.participation_by_quintile[q])),
                p.persons,
            ));
        }
    }
    out
}

/// The two runs a table of who gains and who loses compares ([`gains_table`]), as
/// its text names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compared<'a> {
    /// The run whose households are compared: "the reform", "B".
    pub subject: &'a str,
    /// The run they are compared with: "the baseline", "A".
    pub reference: &'a str,
    /// Its possessive: "the baseline's", "A's".
    pub reference_possessive: &'a str,
}

impl Compared<'_> {
    /// A reform against its baseline (`run`'s table).
    pub const BASELINE: Compared<'static> =
        Compared { subject: "the reform", reference: "the baseline", reference_possessive: "the baseline's" };
}

/// Who gains and who loses in `year`: the shares of persons by change of per-capita
/// income (`compared.subject` against `compared.reference`, households present in
/// both), by residence, then by the reference's quintile group of all residents.
pub fn gains_table(year: u16, gains: &[Gains; 3], compared: Compared<'_>) -> String {
    let Compared { subject, reference, reference_possessive } = compared;
    let pct = |x: f64| format!("{:.1}%", 100.0 * x);
    let large = format!("{:.0}%", 100.0 * LARGE_CHANGE);
    let mut out = format!(
        "\nwho gains and who loses in {year}: persons by change of their household's per-capita income, {subject} \
         against {reference}\n"
    );
    out.push_str(&format!(
        "{:<8} {:>10} {:>10} {:>10} {:>10} {:>10} {:>14}\n",
        "group",
        format!("gain >{large}"),
        format!("gain ≤{large}"),
        "no change",
        format!("lose ≤{large}"),
        format!("lose >{large}"),
        "mean yuan/yr"
    ));
    // A row: the label, the shares by band in report order, the mean change.
    let row = |label: &str, shares: &[f64; 5], mean: f64| {
        let cells: Vec<String> = ChangeBand::ALL.iter().map(|b| format!("{:>10}", pct(shares[b.index()]))).collect();
        format!("{label:<8} {} {mean:>+14.0}", cells.join(" "))
    };
    for group in Group::ALL {
        let g = &gains[group.index()];
        out.push_str(&row(group.as_str(), &g.shares, g.mean_change));
        out.push('\n');
    }
    let all = &gains[Group::All.index()];
    if all.formerly_poor_compared_persons > 0.0 {
        out.push_str(&row("f. poor", &all.formerly_poor_shares, all.formerly_poor_mean_change));
        out.push_str("   (formerly poor 脱贫户, all residents)\n");
    }
    if all.compared_persons_by_quintile.iter().any(|&p| p > 0.0) {
        out.push_str(&format!(
            "by {reference_possessive} quintile group of all residents (lowest first): gaining / losing, mean yuan/yr\n"
        ));
        let cells: Vec<String> = (0..5)
            .map(|q| {
                format!(
                    "Q{} {} / {} {:+.0}",
                    q + 1,
                    pct(all.gaining_share_by_quintile[q]),
                    pct(all.losing_share_by_quintile[q]),
                    all.mean_change_by_quintile[q]
                )
            })
            .collect();
        out.push_str(&format!("  {}\n", cells.join("   ")));
    }
    if all.uncompared_persons > 0.0 {
        out.push_str(&format!(
            "({:.0} persons live in households {reference} does not have, formed in {subject} only: not \
             compared)\n",
            all.uncompared_persons
        ));
    }
    out
}

/// The table of a sensitivity analysis ([`super::sensitivity`]): the central run's
/// last-year income, ratio and targets met, then a row per uncertain value, largest
/// swing of rural income first, with the results at both ends; then each target a
/// move changes. `correlated`: the plan moved the values correlated with each
/// ([`super::sensitivity::Plan::correlated`]).
pub fn sensitivity_table(
    s: &Scenario,
    central: &sweep::PointSummary,
    rows: &[SensitivityRow],
    by: RankBy,
    correlated: bool,
) -> String {
    let z = rows.first().map_or(1.0, |r| r.z);
    let others = if correlated && !s.correlations.is_empty() {
        "the values correlated with it moved along to their means given it (correlation × the move) and the others at \
         their central values"
    } else {
        "the others at their central values"
    };
    let mut out = format!(
        "sensitivity of {} to each uncertain value, moved by -{z} and +{z} standard deviations with {others} (one \
         replication, the same population and seed); the largest swing of {} first\n",
        s.last_year,
        by.describe(s)
    );
    if !s.correlations.is_empty() && !correlated {
        // One at a time: a correlated value does not follow the one moved.
        out.push_str(&format!(
            "(the scenario's {} correlation(s) are not applied here: each value moves alone, `--correlated` moves \
             the values correlated with it along; `run`'s replications draw them together)\n",
            s.correlations.len()
        ));
    }
    let targets = central.targets.len();
    out.push_str(&format!(
        "central: urban {}, rural {}, ratio {:.3}, targets met {} of {targets}\n\n",
        thousands(central.urban_mean),
        thousands(central.rural_mean),
        central.ratio,
        central.targets_met()
    ));
    let width = rows.iter().map(|r| r.field.len()).max().unwrap_or(5).max(5);
    let target = match by {
        RankBy::Target(t) => Some(t),
        RankBy::Rural | RankBy::Urban => None,
    };
    let reached = |x: Option<f64>| {
        x.map_or_else(|| "n/a".to_string(), |x| if x.abs() >= 100.0 { thousands(x) } else { format!("{x:.4}") })
    };
    out.push_str(&format!(
        "{:<width$}  {:<18} {:>17} {:>7} {:>17} {:>7} {:>15} {:>9}{}\n",
        "value",
        "spread",
        "rural (- / +)",
        "swing",
        "urban (- / +)",
        "swing",
        "ratio (- / +)",
        "targets",
        target.map_or_else(String::new, |t| format!(" {:>19}", format!("target {} (- / +)", t + 1)))
    ));
    for r in rows {
        out.push_str(&format!(
            "{:<width$}  {:<18} {:>17} {:>7} {:>17} {:>7} {:>15} {:>9}{}\n",
            r.field,
            r.spread,
            format!("{} / {}", thousands(r.low.rural_mean), thousands(r.high.rural_mean)),
            thousands(r.rural_swing()),
            format!("{} / {}", thousands(r.low.urban_mean), thousands(r.high.urban_mean)),
            thousands(r.urban_swing()),
            format!("{:.3} / {:.3}", r.low.ratio, r.high.ratio),
            format!("{} / {}", r.low.targets_met(), r.high.targets_met()),
            target.map_or_else(String::new, |t| {
                let [low, high] = r.target_ends(t);
                format!(" {:>19}", format!("{} / {}", reached(low), reached(high)))
            })
        ));
    }
    let mut flips = Vec::new();
    for (t, target) in central.targets.iter().enumerate() {
        let changed: Vec<String> = rows
            .iter()
            .flat_map(|r| [(&r.low, -r.z, &r.field), (&r.high, r.z, &r.field)])
            .filter(|(p, _, _)| p.targets.get(t).is_some_and(|x| x.met != target.met))
            .map(|(_, z, field)| format!("{field} {z:+}"))
            .collect();
        if !changed.is_empty() {
            let (now, then) = if target.met { ("met", "missed") } else { ("missed", "met") };
            flips.push(format!("  {}: {now} centrally, {then} at {}\n", target.name, changed.join(", ")));
        }
    }
    if flips.is_empty() {
        out.push_str("no move changes whether a target is met\n");
    } else {
        out.push_str("targets a move changes:\n");
        out.extend(flips);
    }
    out
}

/// The table of a sweep: a row per point (the axes' values, the last year's urban and
/// rural income, ratio, growth, Gini, dibao caseload, the levers' cost, targets met),
/// the points' own warnings, and for each target the points at which it is met.
pub fn sweep_table(s: &Scenario, axes: &[Axis], results: &[SweepPoint]) -> String {
    let mut text = format!(
        "{} — sweep of {} ({} households, seed {}, {}–{}; last year shown)\n\n",
        s.name,
        axes.iter().map(|a| a.field.path()).collect::<Vec<_>>().join(" × "),
        s.households,
        s.seed,
        s.profile.base_year,
        s.last_year
    );
    let widths: Vec<usize> = axes.iter().map(|a| short_name(&a.field.path()).len().max(10)).collect();
    for (a, w) in axes.iter().zip(&widths) {
        text.push_str(&format!("{:>w$} ", short_name(&a.field.path())));
    }
    // Work incentives' columns when the points measure them.
    let incentives = results.iter().any(|p| p.summary.metr.is_some());
    text.push_str(&format!(
        "{:>10} {:>10} {:>7} {:>8} {:>8} {:>7} {:>10} {:>12} {:>8} {:>8} {:>8} {:>8}",
        "urban",
        "rural",
        "ratio",
        "urban/yr",
        "rural/yr",
        "Gini",
        "dibao hh",
        "cost, mln",
        "gaining",
        "losing",
        "poorer",
        "targets"
    ));
    if incentives {
        text.push_str(&format!(" {:>7} {:>11} {:>10}", "METR", "dibao ≥100%", "PTR dibao"));
    }
    text.push('\n');
    for p in results {
        for (v, w) in p.values.iter().zip(&widths) {
            text.push_str(&format!("{v:>w$} "));
        }
        let m = &p.summary;
        let poorer = m.worse_off_than_previous.map_or_else(|| "—".to_string(), |x| format!("{:.2}%", 100.0 * x));
        text.push_str(&format!(
            "{:>10} {:>10} {:>7.3} {:>7.2}% {:>7.2}% {:>7.4} {:>10} {:>12.1} {:>7.1}% {:>7.2}% {:>8} {:>8}",
            thousands(m.urban_mean),
            thousands(m.rural_mean),
            m.ratio,
            100.0 * m.urban_growth,
            100.0 * m.rural_growth,
            m.gini,
            thousands(m.dibao_households),
            m.programme_cost / 1e6,
            100.0 * m.gaining_share,
            100.0 * m.losing_share,
            poorer,
            format!("{}/{}", m.targets_met(), m.targets.len())
        ));
        if incentives {
            let pct = |x: Option<f64>| {
                x.filter(|x| x.is_finite()).map_or_else(|| "—".to_string(), |x| format!("{:.1}%", 100.0 * x))
            };
            text.push_str(&format!(
                " {:>7} {:>11} {:>10}",
                pct(m.metr),
                pct(m.dibao_trapped_share),
                pct(m.dibao_participation_tax_rate)
            ));
        }
        text.push('\n');
    }
    let warned: Vec<&sweep::SweepPoint> = results.iter().filter(|p| !p.summary.warnings.is_empty()).collect();
    if !warned.is_empty() {
        text.push_str(&format!("\nwarnings at {} of {} points:\n", warned.len(), results.len()));
        for p in warned {
            for w in &p.summary.warnings {
                text.push_str(&format!("  {}: {w}\n", point_values(&p.values)));
            }
        }
    }
    let ranges = sweep::met_ranges(results);
    if !s.targets.is_empty() {
        text.push_str("\ntargets met at:\n");
        for (t, r) in s.targets.iter().zip(&ranges) {
            let points: usize = r.iter().map(|(a, b)| b - a + 1).sum();
            let at = if r.is_empty() {
                "no point of the sweep".to_string()
            } else {
                format!("{points} of {} points: ", results.len())
                    + &r.iter()
                        .map(|&(a, b)| {
                            let show = |i: usize| point_values(&results[i].values);
                            if a == b { show(a) } else { format!("{} to {}", show(a), show(b)) }
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
            };
            text.push_str(&format!("  {:<56} {at}\n", t.name));
        }
        let all: Vec<usize> =
            (0..results.len()).filter(|&i| results[i].summary.targets_met() == s.targets.len()).collect();
        text.push_str(&match all.first() {
            Some(&i) => format!(
                "every target is met at {} of {} points, first at {}\n",
                all.len(),
                results.len(),
                point_values(&results[i].values)
            ),
            None => "no point of the sweep meets every target\n".to_string(),
        });
    }
    text
}

/// The table of a solve: every run (value, what the target reached, met or not,
/// income, ratio, cost) and the answer.
pub fn solve_table(s: &Scenario, request: &SolveRequest, solved: &Solved) -> String {
    let Some(t) = s.targets.get(request.target) else {
        return format!("{}: no target {} to solve for\n", s.name, request.target + 1);
    };
    let field = request.field.path();
    let mut text = format!(
        "{} — solving {field} in {}..{} for target {} `{}` ({} households, seed {}, {}–{})\n\n",
        s.name,
        request.low,
        request.high,
        request.target + 1,
        t.name,
        s.households,
        s.seed,
        s.profile.base_year,
        s.last_year
    );
    let w = short_name(&field).len().max(10);
    text.push_str(&format!(
        "{:>4} {:>w$} {:>12} {:>6} {:>10} {:>10} {:>7} {:>12}\n",
        "run",
        short_name(&field),
        "reached",
        "met",
        "urban",
        "rural",
        "ratio",
        "cost, mln"
    ));
    let reached = |p: &SweepPoint| {
        let r = p.summary.targets.get(request.target);
        r.and_then(|r| r.reached).map_or_else(|| "n/a".to_string(), |x| format!("{x:.5}"))
    };
    let met = |p: &SweepPoint| request.met(p);
    // With a probability, "met" is the share of replications meeting it.
    let shown_met = |p: &SweepPoint| match request.probability {
        Some(_) => {
            let share = p.summary.targets.get(request.target).map_or(0.0, |r| r.probability);
            format!("{:.0}%{}", share * 100.0, if met(p) { "+" } else { "" })
        }
        None => (if met(p) { "yes" } else { "no" }).to_string(),
    };
    for (i, p) in solved.runs.iter().enumerate() {
        text.push_str(&format!(
            "{:>4} {:>w$} {:>12} {:>6} {:>10} {:>10} {:>7.3} {:>12.1}\n",
            i + 1,
            point_values(&p.values),
            reached(p),
            shown_met(p),
            thousands(p.summary.urban_mean),
            thousands(p.summary.rural_mean),
            p.summary.ratio,
            p.summary.programme_cost / 1e6
        ));
    }
    text.push('\n');
    if let Some(share) = request.probability {
        text.push_str(&format!(
            "(met: in at least {:.0}% of the {} replications, marked +; `reached` is the mean of all)\n",
            share * 100.0,
            s.replications
        ));
    }
    text.push_str(&match &solved.solution {
        Solution::Crossing { met, missed } => format!(
            "`{}` (target {:.5}) is met at {field} = {} (reached {}) and missed at {} (reached {}): the crossing lies \
             between them. At {}: urban {}, rural {}, ratio {:.3}, levers' cost {:.1} million yuan in {}.\n",
            t.name,
            t.value,
            point_values(&met.values),
            reached(met),
            point_values(&missed.values),
            reached(missed),
            point_values(&met.values),
            thousands(met.summary.urban_mean),
            thousands(met.summary.rural_mean),
            met.summary.ratio,
            met.summary.programme_cost / 1e6,
            s.last_year
        ),
        Solution::MetThroughout => format!(
            "`{}` is met at both ends ({} and {}): widen the range downwards to find where it stops being met.\n",
            t.name, request.low, request.high
        ),
        Solution::MissedThroughout => format!(
            "`{}` is missed at both ends ({} and {}): no value of {field} in this range meets it.\n",
            t.name, request.low, request.high
        ),
    });
    text
}

/// A point's values as `600` or `600, 0.05`.
fn point_values(values: &[f64]) -> String {
    values.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// The last part of a field path, for a column heading.
fn short_name(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}
