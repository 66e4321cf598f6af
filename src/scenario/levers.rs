//! Checking `[levers.NAME]`: every lever is built by the registry against the region
//! profile (without calibration), and every parameter problem is reported at its line.

use super::check::{Check, join};
use super::problem::ProblemKind;
use super::tree::{Node, Value};
use crate::engine::projection::ReformLever;
use crate::error::Error;
use crate::policy::registry::{self, BuildContext};
use crate::region::Profile;

/// Reads `levers`, in name order; `None` if any lever is bad. Parameters are checked
/// only when the profile is known.
pub fn levers(node: &Node, profile: Option<&Profile>, check: &mut Check) -> Option<Vec<ReformLever>> {
    let Value::Table(entries) = &node.value else {
        let message = format!("expected a table of levers (`[levers.NAME]`), found {}", node.value.kind());
        check.push(&node.pos, "levers", ProblemKind::WrongType, message);
        return None;
    };
    let before = check.problems.len();
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let path = join("levers", &e.key);
        if let Err(err) = registry::find(&e.key) {
            let message = format!("{err}; `incomesim levers` lists them");
            check.push(&e.key_pos, &path, ProblemKind::UnknownField, message);
            continue;
        }
        if e.node.entries().is_none() {
            let message = format!("expected a table of parameters (`[{path}]`), found {}", e.node.value.kind());
            check.push(&e.node.pos, &path, ProblemKind::WrongType, message);
            continue;
        }
        let Some(toml::Value::Table(params)) = e.node.to_toml() else {
            check.push(&e.node.pos, &path, ProblemKind::InvalidValue, "a date TOML does not accept");
            continue;
        };
        if let Some(profile) = profile {
            parameters(&e.key, &e.node, &params, profile, check);
        }
        out.push(ReformLever { name: e.key.clone(), params });
    }
    if check.problems.len() > before {
        return None;
    }
    // The levers' order is their name order, as in earlier versions of the format.
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Some(out)
}

/// Builds the lever again and again, each time without the parameter the registry
/// found wrong, so that every bad parameter is reported, not only the first.
fn parameters(name: &str, node: &Node, params: &toml::Table, profile: &Profile, check: &mut Check) {
    let mut table = params.clone();
    for _ in 0..=params.len() {
        match registry::build(name, BuildContext::new(profile), &table) {
            Ok(_) => return,
            Err(Error::InvalidLever { field, value, problem, .. }) => {
                let parts: Vec<&str> = field.split('.').collect();
                let path = join(&join("levers", name), &field);
                let unknown = problem.starts_with("unknown parameter");
                let pos = match node.entry(parts[0]) {
                    Some(e) if unknown => &e.key_pos,
                    Some(_) => node.locate(&parts),
                    None => &node.pos,
                };
                let message = if unknown {
                    let known: Vec<&str> =
                        registry::find(name).map(|s| s.parameters.iter().map(|p| p.name).collect()).unwrap_or_default();
                    format!("{problem}; parameters of `{name}`: {}", known.join(", "))
                } else {
                    format!("{problem} (found {value})")
                };
                let kind = if unknown {
                    ProblemKind::UnknownField
                } else if table.contains_key(parts[0]) {
                    ProblemKind::InvalidValue
                } else {
                    ProblemKind::MissingField
                };
                check.push(pos, &path, kind, message);
                if table.remove(parts[0]).is_none() {
                    return;
                }
            }
            Err(other) => {
                check.push(&node.pos, &join("levers", name), ProblemKind::InvalidValue, other.to_string());
                return;
            }
        }
    }
}
