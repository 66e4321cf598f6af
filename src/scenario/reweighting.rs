//! Checking `[[population_reweighting]]`: a projected year, its age bands and shares,
//! and their source ([`crate::dynamics::reweight`]).

use super::check::{Check, join};
use super::problem::ProblemKind;
use super::tree::{Node, Value};
use crate::dynamics::MAX_AGE;
use crate::dynamics::reweight::{AgeShare, MAX_REWEIGHTING_BANDS, Reweighting};
use crate::model::Residence;

/// Fields of a `[[population_reweighting]]` entry.
pub const REWEIGHTING_FIELDS: [&str; 5] = ["year", "age_shares", "urban_persons", "rural_persons", "source"];

/// Most resident persons of a residence a re-weighting may give (an assumption: above
/// any country's).
pub const MAX_RESIDENT_PERSONS: f64 = 2e9;

/// Fields of one of its `age_shares`.
pub const AGE_SHARE_FIELDS: [&str; 4] = ["min_age", "max_age", "share", "residence"];

/// Reads `population_reweighting`, reporting every problem; `None` if any entry is bad.
/// `years` is the base year and the latest year a projection may reach; an entry may
/// name a year after the scenario's last year (it then does not act).
pub fn reweighting(node: &Node, years: Option<(u16, u16)>, check: &mut Check) -> Option<Vec<Reweighting>> {
    let field = "population_reweighting";
    let Value::Array(items) = &node.value else {
        let message =
            format!("expected an array of tables (`[[population_reweighting]]`), found {}", node.value.kind());
        check.push(&node.pos, field, ProblemKind::WrongType, message);
        return None;
    };
    let before = check.problems.len();
    let out: Vec<Option<Reweighting>> =
        items.iter().enumerate().map(|(i, item)| entry(item, &format!("{field}[{i}]"), years, check)).collect();
    let mut seen: Vec<(u16, usize)> = Vec::new();
    for (i, r) in out.iter().enumerate() {
        let Some(r) = r else { continue };
        if let Some(&(_, j)) = seen.iter().find(|(y, _)| *y == r.year) {
            let pos = items[i].get("year").map_or(&items[i].pos, |n| &n.pos);
            let message = format!("{} is already the year of {field}[{j}]; give each year one entry", r.year);
            check.push(pos, &format!("{field}[{i}].year"), ProblemKind::InvalidValue, message);
        }
        seen.push((r.year, i));
    }
    if check.problems.len() > before {
        return None;
    }
    let mut out: Vec<Reweighting> = out.into_iter().collect::<Option<_>>()?;
    out.sort_by_key(|r| r.year);
    Some(out)
}

fn entry(node: &Node, path: &str, years: Option<(u16, u16)>, check: &mut Check) -> Option<Reweighting> {
    if node.entries().is_none() {
        let message = format!("expected a table (a `[[population_reweighting]]` entry), found {}", node.value.kind());
        check.push(&node.pos, path, ProblemKind::WrongType, message);
        return None;
    }
    check.unknown_fields(node, path, &REWEIGHTING_FIELDS, "field");
    let year = check.required(node, path, "year", "a projected year").and_then(|n| {
        let field = join(path, "year");
        match years {
            Some((base, latest)) => {
                let what = format!("years after the base year {base}");
                check.integer(n, &field, i64::from(base) + 1, i64::from(latest), &what).map(|y| y as u16)
            }
            None => check.integer(n, &field, 0, i64::from(u16::MAX), "years").map(|y| y as u16),
        }
    });
    let source = check
        .required(node, path, "source", "text naming the census or projection the shares come from")
        .and_then(|n| check.string(n, &join(path, "source"), "text naming the census or projection"));
    let persons = ["urban_persons", "rural_persons"].map(|key| {
        node.get(key).map(|n| {
            let expected = "resident persons above 0, at most 2,000,000,000";
            check.number(n, &join(path, key), |x| x > 0.0 && x <= MAX_RESIDENT_PERSONS, expected)
        })
    });
    let shares = match node.get("age_shares") {
        Some(n) => age_shares(n, &join(path, "age_shares"), check),
        None if persons.iter().any(Option::is_some) => Some(Vec::new()),
        None => {
            let message = "missing: give `age_shares` (an array like [{ min_age = 60, max_age = 110, share = \
                           0.187 }]), `urban_persons` or `rural_persons`";
            check.push(&node.pos, &join(path, "age_shares"), ProblemKind::MissingField, message);
            None
        }
    };
    let [urban, rural] = persons;
    let persons = [urban.map_or(Some(None), |p| p.map(Some))?, rural.map_or(Some(None), |p| p.map(Some))?];
    Some(Reweighting { year: year?, age_shares: shares?, persons, source: source? })
}

fn age_shares(node: &Node, path: &str, check: &mut Check) -> Option<Vec<AgeShare>> {
    let Value::Array(items) = &node.value else {
        let message = format!("expected an array of tables, found {}", node.value.kind());
        check.push(&node.pos, path, ProblemKind::WrongType, message);
        return None;
    };
    if items.is_empty() || items.len() > MAX_REWEIGHTING_BANDS {
        let message = format!("{} bands: give from 1 to {MAX_REWEIGHTING_BANDS}", items.len());
        check.push(&node.pos, path, ProblemKind::InvalidValue, message);
        return None;
    }
    let before = check.problems.len();
    let mut out: Vec<(usize, AgeShare)> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let p = format!("{path}[{i}]");
        if item.entries().is_none() {
            let message = format!(
                "expected a table like {{ min_age = 60, max_age = 110, share = 0.187 }}, found {}",
                item.value.kind()
            );
            check.push(&item.pos, &p, ProblemKind::WrongType, message);
            continue;
        }
        check.unknown_fields(item, &p, &AGE_SHARE_FIELDS, "field");
        let max = MAX_AGE as i64;
        let min_age = check
            .required(item, &p, "min_age", "an age")
            .and_then(|n| check.integer(n, &join(&p, "min_age"), 0, max, "years of age"));
        let max_age = check
            .required(item, &p, "max_age", "an age")
            .and_then(|n| check.integer(n, &join(&p, "max_age"), 0, max, "years of age"));
        let share = check.required(item, &p, "share", "a share of residents").and_then(|n| {
            check.number(n, &join(&p, "share"), |x| x > 0.0 && x < 1.0, "a share of residents above 0 and below 1")
        });
        // The residence whose residents the share is of, or all residents.
        let residence = match item.get("residence") {
            Some(n) => check
                .word(n, &join(&p, "residence"), &Residence::BOTH.map(Residence::as_str))
                .map(|w| Residence::BOTH.into_iter().find(|r| r.as_str() == w)),
            None => Some(None),
        };
        let (Some(min_age), Some(max_age), Some(share), Some(residence)) = (min_age, max_age, share, residence) else {
            continue;
        };
        let pos = item.get("max_age").map_or(&item.pos, |n| &n.pos);
        if max_age < min_age {
            let message = format!("{max_age} is below min_age {min_age}");
            check.push(pos, &join(&p, "max_age"), ProblemKind::InvalidValue, message);
            continue;
        }
        if min_age == 0 && max_age == max {
            let message = format!("0-{max} is every age: its share is 1 whatever the weights; give a narrower band");
            check.push(pos, &p, ProblemKind::InvalidValue, message);
            continue;
        }
        let band = AgeShare { min_age: min_age as u8, max_age: max_age as u8, share, residence };
        if let Some((j, _)) = out
            .iter()
            .find(|(_, b)| b.min_age == band.min_age && b.max_age == band.max_age && b.residence == band.residence)
        {
            let message = format!("ages {} are already the band of {path}[{j}]", band.label());
            check.push(pos, &p, ProblemKind::InvalidValue, message);
            continue;
        }
        out.push((i, band));
    }
    (check.problems.len() == before).then(|| out.into_iter().map(|(_, b)| b).collect())
}
