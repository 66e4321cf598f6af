//! The document tree a scenario is read into: TOML and JSON give the same tree, and
//! every value and key keeps the file, line and column it came from, so that problems
//! found after parsing (and after merging a `base`) still point at the right place.

use std::path::PathBuf;
use std::sync::Arc;

/// A document a scenario value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// How problems name it: the file path, or e.g. `scenario liupanshui-2022 (built-in)`.
    pub name: String,
    /// The folder relative paths in it are resolved against (`None` for built-in or
    /// in-memory text: the working directory).
    pub dir: Option<PathBuf>,
    /// A key that identifies the document for cycle detection (canonical path or
    /// `builtin:NAME`).
    pub identity: String,
}

/// Where a value or key is: document, line and column (both from 1; the column
/// counts characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pos {
    /// The document.
    pub source: Arc<SourceInfo>,
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1, in characters.
    pub column: u32,
}

/// Turns byte offsets of a text into lines and columns.
#[derive(Debug, Clone)]
pub struct LineIndex<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
    source: Arc<SourceInfo>,
}

impl<'t> LineIndex<'t> {
    /// The index of `text`, which came from `source`.
    pub fn new(text: &'t str, source: Arc<SourceInfo>) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, line_starts, source }
    }

    /// The position of byte `offset` (clamped to the text).
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        Pos { source: self.source.clone(), line: line as u32, column: column as u32 }
    }

    /// The document.
    pub fn source(&self) -> &Arc<SourceInfo> {
        &self.source
    }
}

/// A value with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it starts.
    pub pos: Pos,
}

/// A value of a scenario document.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A whole number.
    Integer(i64),
    /// A number with a fraction or exponent.
    Float(f64),
    /// True or false.
    Bool(bool),
    /// Text.
    String(String),
    /// A TOML date or time, as written.
    Datetime(String),
    /// A list.
    Array(Vec<Node>),
    /// Keys and values, in document order.
    Table(Vec<Entry>),
}

/// One key of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// Where the key is written.
    pub key_pos: Pos,
    /// Its value.
    pub node: Node,
}

impl Value {
    /// What kind of value this is, for messages ("a string", "a table").
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Integer(_) => "a whole number",
            Value::Float(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::String(_) => "a string",
            Value::Datetime(_) => "a date",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
        }
    }

    /// The value written briefly, for messages.
    pub fn brief(&self) -> String {
        match self {
            Value::Integer(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::String(s) => format!("{s:?}"),
            Value::Datetime(d) => d.clone(),
            Value::Array(a) => format!("an array of {}", a.len()),
            Value::Table(_) => "a table".to_string(),
        }
    }
}

impl Node {
    /// The entries, if a table.
    pub fn entries(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }

    /// The entry of `key`, if a table that has it.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries()?.iter().find(|e| e.key == key)
    }

    /// The value of `key`, if a table that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.node)
    }

    /// A number (whole or not), if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Integer(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The text, if a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The same value as a `toml::Value` (what the lever registry reads). `None` only
    /// for a date the TOML library does not accept.
    pub fn to_toml(&self) -> Option<toml::Value> {
        Some(match &self.value {
            Value::Integer(i) => toml::Value::Integer(*i),
            Value::Float(f) => toml::Value::Float(*f),
            Value::Bool(b) => toml::Value::Boolean(*b),
            Value::String(s) => toml::Value::String(s.clone()),
            Value::Datetime(d) => toml::Value::Datetime(d.parse().ok()?),
            Value::Array(a) => toml::Value::Array(a.iter().map(Node::to_toml).collect::<Option<_>>()?),
            Value::Table(t) => toml::Value::Table(
                t.iter().map(|e| Some((e.key.clone(), e.node.to_toml()?))).collect::<Option<toml::Table>>()?,
            ),
        })
    }

    /// The position of the value at `path` below this node (keys of tables; an array
    /// is searched for the first element holding the next key), or of the deepest
    /// part of the path that exists.
    pub fn locate(&self, path: &[&str]) -> &Pos {
        let Some((first, rest)) = path.split_first() else {
            return &self.pos;
        };
        match &self.value {
            Value::Table(t) => match t.iter().find(|e| e.key == *first) {
                Some(e) if rest.is_empty() => &e.node.pos,
                Some(e) => e.node.locate(rest),
                None => &self.pos,
            },
            Value::Array(a) => a.iter().find(|n| n.get(first).is_some()).map_or(&self.pos, |n| n.locate(path)),
            _ => &self.pos,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Arc<SourceInfo> {
        Arc::new(SourceInfo { name: "t".into(), dir: None, identity: "t".into() })
    }

    #[test]
    fn lines_and_columns_count_from_one_in_characters() {
        let text = "a = 1\nb = \"六盘水\" x\n";
        let index = LineIndex::new(text, source());
        let p = index.pos(0);
        assert_eq!((p.line, p.column), (1, 1));
        let p = index.pos(6);
        assert_eq!((p.line, p.column), (2, 1));
        let x = text.find('x').expect("x");
        let p = index.pos(x);
        assert_eq!((p.line, p.column), (2, 11));
        let p = index.pos(text.len() + 10);
        assert_eq!(p.line, 3);
    }
}
