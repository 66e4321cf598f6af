//! Checking `[[targets]]`: known groups and indicators, years inside the projection.

use super::check::{Check, join};
use super::problem::ProblemKind;
use super::tree::{Node, Value};
use crate::engine::targets::{Comparison, Measure, Target};
use crate::policy::registry::did_you_mean;

/// Fields of a target.
pub const TARGET_FIELDS: [&str; 10] =
    ["name", "group", "indicator", "measure", "year", "from", "to", "value", "comparison", "source"];

/// Groups a target can name.
pub const GROUPS: [&str; 3] = ["urban", "rural", "all"];

/// Indicator names that do not depend on the poverty lines (see the table of the
/// indicators module); `urban_rural_ratio` exists for the group `all` only.
const FIXED_INDICATORS: [&str; 48] = [
    "households",
    "persons",
    "disposable_total",
    "mean_disposable",
    "mean_wage",
    "mean_operating",
    "mean_property",
    "mean_net_transfer",
    "wage_share",
    "operating_share",
    "property_share",
    "net_transfer_share",
    "median_disposable",
    "quintile_1_mean",
    "quintile_2_mean",
    "quintile_3_mean",
    "quintile_4_mean",
    "quintile_5_mean",
    "gini",
    "theil",
    "middle_income_persons",
    "middle_income_share",
    "dibao_households",
    "dibao_persons",
    "dibao_spending",
    "labour_force",
    "employed_persons",
    "unemployed_persons",
    "unemployment_rate",
    "zero_employment_households",
    "persons_60_plus",
    "persons_65_plus",
    "share_60_plus",
    "share_65_plus",
    "retirees",
    "urban_rural_ratio",
    "growth_nominal",
    "growth_real",
    "median_growth_nominal",
    "median_growth_real",
    "matched_households",
    "matched_persons",
    "entered_households",
    "entered_persons",
    "exited_households",
    "exited_persons",
    "formerly_poor_persons",
    "formerly_poor_income_growth",
];

/// Indicators that exist once per poverty line: `<prefix><line label>`.
const PER_LINE_PREFIXES: [&str; 9] = [
    "poor_persons_",
    "headcount_",
    "gap_",
    "severity_",
    "formerly_poor_below_",
    "crossed_up_",
    "crossed_down_",
    "returned_to_poverty_",
    "return_to_poverty_rate_",
];

/// Every indicator name a projection can report, given the labels of its poverty
/// lines (`dibao`, `6000`, `10000` by default).
pub fn indicator_names(line_labels: &[String]) -> Vec<String> {
    let mut names: Vec<String> = FIXED_INDICATORS.iter().map(|s| s.to_string()).collect();
    for prefix in PER_LINE_PREFIXES {
        for label in line_labels {
            names.push(format!("{prefix}{label}"));
        }
    }
    names.sort_unstable();
    names.dedup();
    names
}

/// The years a target may refer to: from the base year to the last projected year.
#[derive(Debug, Clone, Copy)]
pub struct Years {
    /// The base year of the population.
    pub base: u16,
    /// The last projected year.
    pub last: u16,
}

/// Reads `targets`, reporting every problem; `None` if any target is bad.
pub fn targets(
    node: &Node,
    line_labels: Option<&[String]>,
    years: Option<Years>,
    check: &mut Check,
) -> Option<Vec<Target>> {
    let Value::Array(items) = &node.value else {
        let message = format!("expected an array of tables (`[[targets]]`), found {}", node.value.kind());
        check.push(&node.pos, "targets", ProblemKind::WrongType, message);
        return None;
    };
    let before = check.problems.len();
    let out: Vec<Option<Target>> =
        items.iter().enumerate().map(|(i, t)| target(t, &format!("targets[{i}]"), line_labels, years, check)).collect();
    // A name identifies a target's row in targets.csv, summary.json and the report.
    for (i, item) in items.iter().enumerate() {
        let Some(name) = item.get("name") else { continue };
        let Value::String(text) = &name.value else { continue };
        let earlier = items[..i]
            .iter()
            .position(|other| other.get("name").is_some_and(|n| matches!(&n.value, Value::String(t) if t == text)));
        if let Some(j) = earlier {
            let message =
                format!("the name {text:?} is already the name of targets[{j}]; each target needs its own name");
            check.push(&name.pos, &format!("targets[{i}].name"), ProblemKind::InvalidValue, message);
        }
    }
    if check.problems.len() > before {
        return None;
    }
    out.into_iter().collect()
}

fn target(
    node: &Node,
    path: &str,
    labels: Option<&[String]>,
    years: Option<Years>,
    check: &mut Check,
) -> Option<Target> {
    if node.entries().is_none() {
        let message = format!("expected a table (a `[[targets]]` entry), found {}", node.value.kind());
        check.push(&node.pos, path, ProblemKind::WrongType, message);
        return None;
    }
    check.unknown_fields(node, path, &TARGET_FIELDS, "target field");
    let name = check
        .required(node, path, "name", "a name for reports")
        .and_then(|n| check.string(n, &join(path, "name"), "a name for reports"));
    let group = check
        .required(node, path, "group", "urban, rural or all")
        .and_then(|n| check.word(n, &join(path, "group"), &GROUPS));
    let indicator = check
        .required(node, path, "indicator", "an indicator name, e.g. mean_disposable")
        .and_then(|n| indicator(n, &join(path, "indicator"), group, labels, check));
    let measure = check
        .required(node, path, "measure", "level, change, growth or every_year")
        .and_then(|n| check.word(n, &join(path, "measure"), &["level", "change", "growth", "every_year"]));
    let measure = measure.and_then(|m| measured_years(node, path, m, years, check));
    let value = check
        .required(node, path, "value", "a number")
        .and_then(|n| check.number(n, &join(path, "value"), |_| true, "a number"));
    let comparison = check
        .required(node, path, "comparison", "a table like { kind = \"at_least\" }")
        .and_then(|n| comparison(n, &join(path, "comparison"), check));
    let source = match node.get("source") {
        Some(n) => check.string(n, &join(path, "source"), "text naming the plan clause")?,
        None => String::new(),
    };
    Some(Target {
        name: name?,
        group: group?.to_string(),
        indicator: indicator?,
        measure: measure?,
        value: value?,
        comparison: comparison?,
        source,
    })
}

fn indicator(
    node: &Node,
    field: &str,
    group: Option<&str>,
    labels: Option<&[String]>,
    check: &mut Check,
) -> Option<String> {
    let name = check.string(node, field, "an indicator name")?;
    let labels = labels?;
    let known = indicator_names(labels);
    if !known.contains(&name) {
        let refs: Vec<&str> = known.iter().map(String::as_str).collect();
        let message = format!(
            "unknown indicator `{name}`{} (indicator names: see the indicators module; lines: {})",
            did_you_mean(&name, &refs),
            labels.join(", ")
        );
        check.push(&node.pos, field, ProblemKind::InvalidValue, message);
        return None;
    }
    if name == "urban_rural_ratio" && group.is_some_and(|g| g != "all") {
        check.push(&node.pos, field, ProblemKind::InvalidValue, "`urban_rural_ratio` is an indicator of group `all`");
        return None;
    }
    Some(name)
}

fn year(node: &Node, path: &str, key: &str, years: Option<Years>, check: &mut Check) -> Option<u16> {
    let field = join(path, key);
    let n = check.required(node, path, key, "a year")?;
    let (min, max) = years.map_or((1900, 2200), |y| (i64::from(y.base), i64::from(y.last)));
    let y = check.integer(n, &field, min, max, "the projection's years (base year to last_year)")?;
    Some(y as u16)
}

fn measured_years(node: &Node, path: &str, measure: &str, years: Option<Years>, check: &mut Check) -> Option<Measure> {
    let (wanted, unwanted): (&[&str], &[&str]) =
        if measure == "level" { (&["year"], &["from", "to"]) } else { (&["from", "to"], &["year"]) };
    for key in unwanted {
        if let Some(e) = node.entry(key) {
            let message = format!("`{measure}` targets take {}, not `{key}`", wanted.join(" and "));
            check.push(&e.key_pos, &join(path, key), ProblemKind::InvalidValue, message);
        }
    }
    if measure == "level" {
        return Some(Measure::Level { year: year(node, path, "year", years, check)? });
    }
    let from = year(node, path, "from", years, check);
    let to = year(node, path, "to", years, check);
    let (from, to) = (from?, to?);
    // Every year of a range may be a range of one year; a change or growth needs two.
    if to < from || (to == from && measure != "every_year") {
        let pos = node.get("to").map_or(&node.pos, |n| &n.pos);
        let message = format!("years out of order: `to` ({to}) must come after `from` ({from})");
        check.push(pos, &join(path, "to"), ProblemKind::InvalidValue, message);
        return None;
    }
    Some(match measure {
        "change" => Measure::Change { from, to },
        "growth" => Measure::Growth { from, to },
        _ => Measure::EveryYear { from, to },
    })
}

fn comparison(node: &Node, field: &str, check: &mut Check) -> Option<Comparison> {
    if node.entries().is_none() {
        let message = format!(
            "expected a table like {{ kind = \"at_least\" }} or {{ kind = \"about\", tolerance = 0.005 }}, found {}",
            node.value.kind()
        );
        check.push(&node.pos, field, ProblemKind::WrongType, message);
        return None;
    }
    check.unknown_fields(node, field, &["kind", "tolerance"], "comparison field");
    let kind = check
        .required(node, field, "kind", "about, at_least or at_most")
        .and_then(|n| check.word(n, &join(field, "kind"), &["about", "at_least", "at_most"]))?;
    let tolerance = node.get("tolerance");
    match (kind, tolerance) {
        ("about", _) => {
            let t = check.required(node, field, "tolerance", "the largest distance that counts as met (≥ 0)")?;
            let t = check.number(t, &join(field, "tolerance"), |x| x >= 0.0, "a number ≥ 0 in the target's unit")?;
            Some(Comparison::About { tolerance: t })
        }
        (_, Some(t)) => {
            let message = format!("`tolerance` is for kind = \"about\" only, not `{kind}`");
            check.push(&t.pos, &join(field, "tolerance"), ProblemKind::InvalidValue, message);
            None
        }
        ("at_least", None) => Some(Comparison::AtLeast),
        _ => Some(Comparison::AtMost),
    }
}
