//! Reading scenario documents and resolving `base`: a scenario that extends another
//! is the other's tree with the child's values merged in.
//!
//! Merge rules (also in `docs/scenario.md`):
//! - a top-level value of the child replaces the base's;
//! - `assumptions`, `uncertainty` and `levers` merge per key; a lever's table merges
//!   per parameter (a parameter's value, dated table included, is replaced whole);
//! - `targets` of the child replace the base's list, unless the child sets
//!   `targets_extend = true`, which appends them;
//! - `drop_levers = ["name", ...]` removes levers the base has;
//! - setting one of `households` and `microdata` removes the other from the base.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::problem::{Problem, ProblemKind};
use super::tree::{Entry, Node, Pos, SourceInfo, Value};
use crate::policy::registry::did_you_mean;

/// Every file of `scenarios/`, embedded, by file stem.
pub const BUILTIN_SCENARIOS: [(&str, &str); 11] = [
    ("liupanshui-2022", include_str!("../../scenarios/liupanshui-2022.toml")),
    ("liupanshui-2022-no-training", include_str!("../../scenarios/liupanshui-2022-no-training.toml")),
    ("liupanshui-2022-dibao-750", include_str!("../../scenarios/liupanshui-2022-dibao-750.toml")),
    ("liupanshui-2022-uncertain-levers", include_str!("../../scenarios/liupanshui-2022-uncertain-levers.toml")),
    ("bayannur-2017", include_str!("../../scenarios/bayannur-2017.toml")),
    ("baotou-jiuyuan-2021", include_str!("../../scenarios/baotou-jiuyuan-2021.toml")),
    ("yangquan-2018", include_str!("../../scenarios/yangquan-2018.toml")),
    ("wuzhong-2023", include_str!("../../scenarios/wuzhong-2023.toml")),
    ("wuzhong-2023-retirement-1978", include_str!("../../scenarios/wuzhong-2023-retirement-1978.toml")),
    ("backtest-national-2015", include_str!("../../scenarios/backtest-national-2015.toml")),
    ("national-2022-outlook", include_str!("../../scenarios/national-2022-outlook.toml")),
];

/// Names of the built-in scenarios.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTIN_SCENARIOS.iter().map(|(n, _)| *n).collect()
}

/// The text of a built-in scenario.
pub fn builtin_text(name: &str) -> Option<&'static str> {
    BUILTIN_SCENARIOS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The source description of a built-in scenario.
pub fn builtin_source(name: &str) -> Arc<SourceInfo> {
    Arc::new(SourceInfo { name: format!("scenario {name} (built-in)"), dir: None, identity: format!("builtin:{name}") })
}

/// The source description of a file.
pub fn file_source(path: &Path) -> Arc<SourceInfo> {
    let identity = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()).display().to_string();
    Arc::new(SourceInfo {
        name: path.display().to_string(),
        dir: Some(path.parent().map(Path::to_path_buf).unwrap_or_default()),
        identity,
    })
}

/// Whether text should be read as JSON: a `.json` name, or text starting with `{`.
fn is_json(name: &str, text: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".json") || text.trim_start().starts_with('{')
}

/// Parses a document's text into a tree.
///
/// # Errors
/// Syntax errors with line and column.
pub fn parse_document(text: &str, source: Arc<SourceInfo>) -> Result<Node, Vec<Problem>> {
    if is_json(&source.name, text) {
        super::json_text::parse(text, source)
    } else {
        super::toml_text::parse(text, source)
    }
}

/// Reads and parses a file.
///
/// # Errors
/// A problem naming the file if it cannot be read, or its syntax errors.
pub fn read_document(path: &Path) -> Result<Node, Vec<Problem>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![Problem::file(path.display().to_string(), ProblemKind::Io, format!("cannot read: {e}"))])?;
    parse_document(&text, file_source(path))
}

/// Most levels of `base` followed before giving up.
const MAX_DEPTH: usize = 32;

/// Resolves `base` in `doc` (and in its bases), merging each child into its base.
/// `chain` holds the identities of the documents being resolved, for cycles.
///
/// # Errors
/// Problems of the `base` fields and of the base documents (syntax, unreadable,
/// unknown base, cycles, bad `drop_levers`).
pub fn resolve(doc: Node, chain: &mut Vec<String>) -> Result<Node, Vec<Problem>> {
    let Some(entry) = doc.entry("base").cloned() else {
        return Ok(doc);
    };
    let name = match entry.node.as_str() {
        Some(s) => s.to_string(),
        None => {
            return Err(vec![Problem::at(
                &entry.node.pos,
                "base",
                ProblemKind::WrongType,
                format!("expected the name of a built-in scenario or a file path, found {}", entry.node.value.kind()),
            )]);
        }
    };
    let base_doc = open_base(&name, &entry.node.pos)?;
    let identity = base_doc.pos.source.identity.clone();
    if chain.contains(&identity) || chain.len() >= MAX_DEPTH {
        let mut cycle: Vec<String> = chain.clone();
        cycle.push(identity);
        return Err(vec![Problem::at(
            &entry.node.pos,
            "base",
            ProblemKind::Base,
            format!("`{name}` extends itself: {}", cycle.join(" -> ")),
        )]);
    }
    chain.push(identity);
    let base = resolve(base_doc, chain)?;
    chain.pop();
    merge(base, doc)
}

/// Opens the document a `base` names: a built-in scenario, or a file relative to the
/// extending document.
fn open_base(name: &str, at: &Pos) -> Result<Node, Vec<Problem>> {
    if let Some(text) = builtin_text(name) {
        return parse_document(text, builtin_source(name));
    }
    let path = match &at.source.dir {
        Some(dir) => dir.join(name),
        None => PathBuf::from(name),
    };
    if path.is_file() {
        return read_document(&path);
    }
    Err(vec![Problem::at(
        at,
        "base",
        ProblemKind::Base,
        format!(
            "`{name}` is neither a built-in scenario nor a file (looked for {}){}; built-in scenarios: {}",
            path.display(),
            did_you_mean(name, &builtin_names()),
            builtin_names().join(", ")
        ),
    )])
}

/// Keys of the top level whose tables merge per key.
const MERGED_SECTIONS: [&str; 3] = ["assumptions", "uncertainty", "levers"];

/// Merges `child` into `base` (both resolved documents).
fn merge(base: Node, child: Node) -> Result<Node, Vec<Problem>> {
    let (Value::Table(mut merged), Value::Table(child_entries)) = (base.value, child.value) else {
        return Err(vec![Problem::at(&child.pos, "", ProblemKind::WrongType, "a scenario must be a table")]);
    };
    let mut problems = Vec::new();
    let extend_targets = match child_entries.iter().find(|e| e.key == "targets_extend") {
        Some(Entry { node: Node { value: Value::Bool(b), .. }, .. }) => *b,
        Some(e) => {
            problems.push(Problem::at(
                &e.node.pos,
                "targets_extend",
                ProblemKind::WrongType,
                format!("expected true or false, found {}", e.node.value.kind()),
            ));
            false
        }
        None => false,
    };
    let mut drops = None;
    for entry in child_entries {
        match entry.key.as_str() {
            "base" | "targets_extend" => {}
            "drop_levers" => drops = Some(entry),
            "households" | "microdata" => {
                let other = if entry.key == "households" { "microdata" } else { "households" };
                merged.retain(|e| e.key != other);
                set(&mut merged, entry);
            }
            "targets" if extend_targets => match (find_mut(&mut merged, "targets"), entry.node.value) {
                (Some(Node { value: Value::Array(list), .. }), Value::Array(more)) => list.extend(more),
                (_, value) => set(&mut merged, Entry { node: Node { value, ..entry.node }, ..entry }),
            },
            key if MERGED_SECTIONS.contains(&key) => match find_mut(&mut merged, key) {
                Some(Node { value: Value::Table(section), .. }) if entry.node.entries().is_some() => {
                    let per_parameter = key == "levers";
                    if let Value::Table(items) = entry.node.value {
                        for item in items {
                            // `[uncertainty.levers.NAME]` merges per lever and parameter too.
                            match find_mut(section, &item.key) {
                                Some(Node { value: Value::Table(levers), .. })
                                    if key == "uncertainty"
                                        && item.key == "levers"
                                        && item.node.entries().is_some() =>
                                {
                                    if let Value::Table(new) = item.node.value {
                                        for lever in new {
                                            merge_item(levers, lever, true);
                                        }
                                    }
                                }
                                _ => merge_item(section, item, per_parameter),
                            }
                        }
                    }
                }
                _ => set(&mut merged, entry),
            },
            _ => set(&mut merged, entry),
        }
    }
    if let Some(drops) = drops {
        drop_levers(&mut merged, &drops, &mut problems);
    }
    if problems.is_empty() { Ok(Node { value: Value::Table(merged), pos: child.pos }) } else { Err(problems) }
}

/// Merges one entry of a section: a lever's table merges per parameter.
fn merge_item(section: &mut Vec<Entry>, item: Entry, per_parameter: bool) {
    match find_mut(section, &item.key) {
        Some(Node { value: Value::Table(params), .. }) if per_parameter && item.node.entries().is_some() => {
            if let Value::Table(new) = item.node.value {
                for p in new {
                    set(params, p);
                }
            }
        }
        _ => set(section, item),
    }
}

fn find_mut<'a>(entries: &'a mut [Entry], key: &str) -> Option<&'a mut Node> {
    entries.iter_mut().find(|e| e.key == key).map(|e| &mut e.node)
}

/// Sets `entry` in `entries`, replacing the entry of the same key.
fn set(entries: &mut Vec<Entry>, entry: Entry) {
    match entries.iter_mut().find(|e| e.key == entry.key) {
        Some(old) => *old = entry,
        None => entries.push(entry),
    }
}

/// Removes the levers `drop_levers` names; each must be a lever of the base.
fn drop_levers(merged: &mut [Entry], drops: &Entry, problems: &mut Vec<Problem>) {
    let Value::Array(names) = &drops.node.value else {
        problems.push(Problem::at(
            &drops.node.pos,
            "drop_levers",
            ProblemKind::WrongType,
            format!("expected an array of lever names, found {}", drops.node.value.kind()),
        ));
        return;
    };
    let Some(Node { value: Value::Table(levers), .. }) = find_mut(merged, "levers") else {
        problems.push(Problem::at(&drops.node.pos, "drop_levers", ProblemKind::InvalidValue, "the base has no levers"));
        return;
    };
    let mut dropped = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let field = format!("drop_levers[{i}]");
        let Some(name) = n.as_str() else {
            problems.push(Problem::at(
                &n.pos,
                field,
                ProblemKind::WrongType,
                format!("expected a lever name, found {}", n.value.kind()),
            ));
            continue;
        };
        let known: Vec<&str> = levers.iter().map(|e| e.key.as_str()).collect();
        if known.contains(&name) {
            levers.retain(|e| e.key != name);
            dropped.push(name.to_string());
        } else {
            let message = format!(
                "`{name}` is not a lever of the base{}; its levers: {}",
                did_you_mean(name, &known),
                known.join(", ")
            );
            problems.push(Problem::at(&n.pos, field, ProblemKind::InvalidValue, message));
        }
    }
    // A dropped lever's uncertain parameters go with it, and so do their correlations.
    if let Some(Node { value: Value::Table(uncertainty), .. }) = find_mut(merged, "uncertainty") {
        if let Some(Node { value: Value::Table(levers), .. }) = find_mut(uncertainty, "levers") {
            levers.retain(|e| !dropped.contains(&e.key));
        }
        if let Some(Node { value: Value::Array(correlations), .. }) = find_mut(uncertainty, "correlations") {
            correlations.retain(|c| !names_dropped_lever(c, &dropped));
        }
    }
}

/// Whether a `[[uncertainty.correlations]]` entry names a parameter of one of the
/// `dropped` levers in its `between`.
fn names_dropped_lever(correlation: &Node, dropped: &[String]) -> bool {
    let Some(Node { value: Value::Array(pair), .. }) = correlation.get("between") else { return false };
    pair.iter().filter_map(Node::as_str).any(|p| {
        p.strip_prefix("levers.")
            .and_then(|rest| rest.split('.').next())
            .is_some_and(|l| dropped.iter().any(|d| d == l))
    })
}
