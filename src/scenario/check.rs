//! Reading typed values out of the document tree while collecting every problem.

use super::problem::{Problem, ProblemKind};
use super::tree::{Node, Pos, Value};
use crate::policy::registry::did_you_mean;
use crate::policy::{Dated, YearMonth};

/// `path.key`, or `key` at the top level.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

/// Collects problems while values are read.
#[derive(Debug, Default)]
pub struct Check {
    /// The problems so far.
    pub problems: Vec<Problem>,
}

impl Check {
    /// Records a problem.
    pub fn push(&mut self, pos: &Pos, field: &str, kind: ProblemKind, message: impl Into<String>) {
        self.problems.push(Problem::at(pos, field, kind, message));
    }

    fn wrong_type(&mut self, node: &Node, field: &str, expected: &str) {
        let message = format!("expected {expected}, found {} `{}`", node.value.kind(), node.value.brief());
        self.push(&node.pos, field, ProblemKind::WrongType, message);
    }

    /// Reports every key of a table not in `known`, with a "did you mean".
    pub fn unknown_fields(&mut self, node: &Node, path: &str, known: &[&str], what: &str) {
        for e in node.entries().unwrap_or_default() {
            if !known.contains(&e.key.as_str()) {
                let message =
                    format!("unknown {what} `{}`{}; known: {}", e.key, did_you_mean(&e.key, known), known.join(", "));
                self.push(&e.key_pos, &join(path, &e.key), ProblemKind::UnknownField, message);
            }
        }
    }

    /// A required value: reports it missing (at `parent`) when absent.
    pub fn required<'n>(&mut self, parent: &'n Node, path: &str, key: &str, expected: &str) -> Option<&'n Node> {
        let node = parent.get(key);
        if node.is_none() {
            self.push(
                &parent.pos,
                &join(path, key),
                ProblemKind::MissingField,
                format!("missing field `{key}`: expected {expected}"),
            );
        }
        node
    }

    /// A string.
    pub fn string(&mut self, node: &Node, field: &str, expected: &str) -> Option<String> {
        match &node.value {
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            Value::String(_) => {
                self.push(
                    &node.pos,
                    field,
                    ProblemKind::InvalidValue,
                    format!("expected {expected}, found an empty string"),
                );
                None
            }
            _ => {
                self.wrong_type(node, field, expected);
                None
            }
        }
    }

    /// One of a few words.
    pub fn word<'w>(&mut self, node: &Node, field: &str, words: &[&'w str]) -> Option<&'w str> {
        let expected = format!("one of {}", words.join(", "));
        let s = self.string(node, field, &expected)?;
        let found = words.iter().find(|w| **w == s).copied();
        if found.is_none() {
            let message = format!("`{s}` is not {expected}{}", did_you_mean(&s, words));
            self.push(&node.pos, field, ProblemKind::InvalidValue, message);
        }
        found
    }

    /// A boolean.
    pub fn boolean(&mut self, node: &Node, field: &str) -> Option<bool> {
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong_type(node, field, "true or false");
                None
            }
        }
    }

    /// A whole number in `min..=max`; `what` says what it counts ("households").
    pub fn integer(&mut self, node: &Node, field: &str, min: i64, max: i64, what: &str) -> Option<i64> {
        let expected = format!("a whole number of {what} from {min} to {max}");
        let i = match node.value {
            Value::Integer(i) => i,
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9e15 => f as i64,
            _ => {
                self.wrong_type(node, field, &expected);
                return None;
            }
        };
        if (min..=max).contains(&i) {
            Some(i)
        } else {
            self.push(&node.pos, field, ProblemKind::InvalidValue, format!("{i} is out of range: expected {expected}"));
            None
        }
    }

    /// A finite number accepted by `ok`; `expected` describes the range.
    pub fn number(&mut self, node: &Node, field: &str, ok: impl Fn(f64) -> bool, expected: &str) -> Option<f64> {
        let Some(x) = node.as_f64() else {
            self.wrong_type(node, field, expected);
            return None;
        };
        if x.is_finite() && ok(x) {
            Some(x)
        } else {
            self.push(
                &node.pos,
                field,
                ProblemKind::InvalidValue,
                format!("{} is out of range: expected {expected}", super::problem::shown_number(x)),
            );
            None
        }
    }

    /// A dated number: a number in force throughout, or a table of effective months
    /// (`{ "2022-01" = 0.02 }`), each value accepted by `ok`.
    pub fn dated(&mut self, node: &Node, field: &str, ok: impl Fn(f64) -> bool, expected: &str) -> Option<Dated<f64>> {
        let Value::Table(entries) = &node.value else {
            if node.as_f64().is_none() {
                let what = format!("{expected}, or a table of effective months like {{ \"2022-01\" = 0.05 }}");
                self.wrong_type(node, field, &what);
                return None;
            }
            return self.number(node, field, ok, expected).map(Dated::constant);
        };
        let mut steps = Vec::with_capacity(entries.len());
        let mut good = true;
        for e in entries {
            let at = join(field, &e.key);
            let month = YearMonth::parse(&e.key);
            if month.is_none() {
                let message = format!("`{}` is not an effective month: expected one like 2022-01", e.key);
                self.push(&e.key_pos, &at, ProblemKind::InvalidValue, message);
            }
            let value = self.number(&e.node, &at, &ok, expected);
            match (month, value) {
                (Some(m), Some(x)) => steps.push((m, x)),
                _ => good = false,
            }
        }
        if entries.is_empty() {
            self.push(&node.pos, field, ProblemKind::InvalidValue, "needs at least one effective month");
            return None;
        }
        steps.sort_by_key(|s| s.0);
        if good { Dated::new(steps) } else { None }
    }
}
