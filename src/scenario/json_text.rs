//! JSON text to the document tree, keeping positions.
//!
//! `serde_json` checks the syntax (its errors carry the line and column); a small
//! walker over the text, which is then known to be valid JSON, records where each key
//! and value starts. Strings and numbers are decoded by `serde_json` itself.

use std::sync::Arc;

use super::problem::{Problem, ProblemKind};
use super::tree::{Entry, LineIndex, Node, SourceInfo, Value};

/// Parses JSON text; the top level must be an object.
///
/// # Errors
/// A syntax error with its line and column.
pub fn parse(text: &str, source: Arc<SourceInfo>) -> Result<Node, Vec<Problem>> {
    let index = LineIndex::new(text, source);
    if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
        let pos = super::tree::Pos { source: index.source().clone(), line: e.line() as u32, column: e.column() as u32 };
        return Err(vec![Problem::at(&pos, "", ProblemKind::Syntax, format!("JSON syntax error: {e}"))]);
    }
    let mut walker = Walker { text, at: 0, index: &index, nulls: Vec::new(), path: Vec::new() };
    let root = walker.value().map_err(|offset| {
        vec![Problem::at(&index.pos(offset), "", ProblemKind::Syntax, "JSON syntax: unexpected text".to_string())]
    })?;
    if walker.nulls.is_empty() {
        return Ok(root);
    }
    Err(walker
        .nulls
        .iter()
        .map(|(pos, field)| {
            let message = "JSON null is not a scenario value: leave the field out to get its default";
            Problem::at(pos, field, ProblemKind::WrongType, message)
        })
        .collect())
}

/// A walker over valid JSON; errors are byte offsets (only reached on text that
/// `serde_json` accepted but this walker does not understand).
struct Walker<'a> {
    text: &'a str,
    at: usize,
    index: &'a LineIndex<'a>,
    /// Where `null`s are, with their field paths (not allowed: TOML has no null).
    nulls: Vec<(super::tree::Pos, String)>,
    /// The field path of the value being read: keys, and `[i]` for array elements.
    path: Vec<String>,
}

impl Walker<'_> {
    fn skip_space(&mut self) {
        let rest = &self.text[self.at..];
        self.at += rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Result<(), usize> {
        self.skip_space();
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.at)
        }
    }

    /// The end of the string starting at `self.at` (after its closing quote).
    fn string_end(&self) -> Result<usize, usize> {
        let bytes = self.text.as_bytes();
        let mut i = self.at + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'"' => return Ok(i + 1),
                _ => i += 1,
            }
        }
        Err(self.at)
    }

    fn string(&mut self) -> Result<String, usize> {
        let start = self.at;
        let end = self.string_end()?;
        self.at = end;
        serde_json::from_str(&self.text[start..end]).map_err(|_| start)
    }

    fn value(&mut self) -> Result<Node, usize> {
        self.skip_space();
        let start = self.at;
        let pos = self.index.pos(start);
        let value = match self.peek().ok_or(start)? {
            b'{' => {
                self.at += 1;
                let mut entries = Vec::new();
                self.skip_space();
                if self.peek() == Some(b'}') {
                    self.at += 1;
                } else {
                    loop {
                        self.skip_space();
                        let key_pos = self.index.pos(self.at);
                        let key = self.string()?;
                        self.expect(b':')?;
                        self.path.push(key.clone());
                        let node = self.value()?;
                        self.path.pop();
                        entries.push(Entry { key, key_pos, node });
                        self.skip_space();
                        match self.peek() {
                            Some(b',') => self.at += 1,
                            Some(b'}') => {
                                self.at += 1;
                                break;
                            }
                            _ => return Err(self.at),
                        }
                    }
                }
                Value::Table(entries)
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                self.skip_space();
                if self.peek() == Some(b']') {
                    self.at += 1;
                } else {
                    loop {
                        self.path.push(format!("[{}]", items.len()));
                        items.push(self.value()?);
                        self.path.pop();
                        self.skip_space();
                        match self.peek() {
                            Some(b',') => self.at += 1,
                            Some(b']') => {
                                self.at += 1;
                                break;
                            }
                            _ => return Err(self.at),
                        }
                    }
                }
                Value::Array(items)
            }
            b'"' => Value::String(self.string()?),
            b't' | b'f' | b'n' => {
                let word: String =
                    self.text[start..].chars().take_while(|c| c.is_ascii_alphabetic()).collect::<String>();
                self.at += word.len();
                match word.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    // JSON null has no TOML counterpart: reported after the walk.
                    _ => {
                        let field = self.path.iter().fold(String::new(), |mut f, part| {
                            if !f.is_empty() && !part.starts_with('[') {
                                f.push('.');
                            }
                            f.push_str(part);
                            f
                        });
                        self.nulls.push((pos.clone(), field));
                        Value::Bool(false)
                    }
                }
            }
            _ => {
                let len = self.text[start..]
                    .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
                    .unwrap_or(self.text.len() - start);
                self.at += len;
                let number: serde_json::Number = serde_json::from_str(&self.text[start..self.at]).map_err(|_| start)?;
                match number.as_i64() {
                    Some(i) => Value::Integer(i),
                    None => Value::Float(number.as_f64().ok_or(start)?),
                }
            }
        };
        Ok(Node { value, pos })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Arc<SourceInfo> {
        Arc::new(SourceInfo { name: "t.json".into(), dir: None, identity: "t".into() })
    }

    #[test]
    fn values_keep_their_lines() {
        let text =
            "{\n  \"name\": \"a \\\"b\\\"\",\n  \"levers\": {\"dibao\": {\"x\": [1, 2.5e3, -3]}},\n  \"f\": false\n}";
        let root = parse(text, source()).expect("valid");
        assert_eq!(root.get("name").and_then(Node::as_str), Some("a \"b\""));
        let x = root.get("levers").and_then(|l| l.get("dibao")).and_then(|d| d.get("x")).expect("x");
        assert_eq!(x.pos.line, 3);
        let Value::Array(items) = &x.value else { panic!("array") };
        assert_eq!(items.iter().map(|n| n.as_f64()).collect::<Vec<_>>(), vec![Some(1.0), Some(2500.0), Some(-3.0)]);
        assert_eq!(root.get("f").map(|n| &n.value), Some(&Value::Bool(false)));
        assert_eq!(root.entry("f").map(|e| (e.key_pos.line, e.key_pos.column)), Some((4, 3)));
    }

    #[test]
    fn null_is_reported_at_its_line() {
        let errors = parse("{\n \"a\": 1,\n \"b\": [{\"c\": null}]\n}", source()).expect_err("null");
        assert_eq!((errors[0].line, errors[0].column), (Some(3), Some(14)));
        assert_eq!(errors[0].field, "b[0].c");
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let errors = parse("{\n \"a\": 1,\n \"b\": }\n", source()).expect_err("invalid");
        assert_eq!(errors[0].line, Some(3));
        assert_eq!(errors[0].kind, ProblemKind::Syntax);
    }
}
