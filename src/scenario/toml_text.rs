//! TOML text to the document tree, keeping positions.

use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::problem::{Problem, ProblemKind};
use super::tree::{Entry, LineIndex, Node, SourceInfo, Value};

/// Parses TOML text. Every syntax error the parser finds is reported with its line and
/// column.
///
/// # Errors
/// The syntax errors, or a number the parser accepted but that does not fit.
pub fn parse(text: &str, source: Arc<SourceInfo>) -> Result<Node, Vec<Problem>> {
    let index = LineIndex::new(text, source);
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| {
                let pos = index.pos(e.span().map_or(0, |s| s.start));
                let message = format!("TOML syntax error at line {}, column {}: {}", pos.line, pos.column, e.message());
                Problem::at(&pos, "", ProblemKind::Syntax, message)
            })
            .collect());
    }
    let mut problems = Vec::new();
    let span = doc.span();
    let root = Node { value: table(doc.get_ref(), &index, &mut problems), pos: index.pos(span.start) };
    if problems.is_empty() { Ok(root) } else { Err(problems) }
}

fn table(t: &DeTable<'_>, index: &LineIndex<'_>, problems: &mut Vec<Problem>) -> Value {
    Value::Table(
        t.iter()
            .map(|(k, v)| Entry {
                key: k.get_ref().to_string(),
                key_pos: index.pos(k.span().start),
                node: node(v, index, problems),
            })
            .collect(),
    )
}

fn node(v: &Spanned<DeValue<'_>>, index: &LineIndex<'_>, problems: &mut Vec<Problem>) -> Node {
    let pos = index.pos(v.span().start);
    let value = match v.get_ref() {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(i) => Value::Integer(i),
            Err(_) => {
                problems.push(Problem::at(&pos, "", ProblemKind::Syntax, format!("integer {i} does not fit 64 bits")));
                Value::Integer(0)
            }
        },
        DeValue::Float(f) => match f.as_str().parse::<f64>() {
            Ok(x) => Value::Float(x),
            Err(_) => {
                problems.push(Problem::at(&pos, "", ProblemKind::Syntax, format!("`{f}` is not a number")));
                Value::Float(0.0)
            }
        },
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::Datetime(d.to_string()),
        DeValue::Array(a) => Value::Array(a.iter().map(|x| node(x, index, problems)).collect()),
        DeValue::Table(t) => table(t, index, problems),
    };
    Node { value, pos }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Arc<SourceInfo> {
        Arc::new(SourceInfo { name: "t.toml".into(), dir: None, identity: "t".into() })
    }

    #[test]
    fn values_keep_their_lines() {
        let text = "name = \"x\"\n\n[levers.dibao]\nurban_threshold_per_month = [1, 2.5]\n";
        let root = parse(text, source()).expect("valid");
        let dibao = root.get("levers").and_then(|l| l.get("dibao")).expect("dibao");
        let e = dibao.entry("urban_threshold_per_month").expect("param");
        assert_eq!(e.key_pos.line, 4);
        assert_eq!(e.node.pos.line, 4);
        assert_eq!(e.node.pos.column, 29);
        assert!(matches!(&e.node.value, Value::Array(a) if a.len() == 2));
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let errors = parse("a = 1\nb = \"open\n", source()).expect_err("invalid");
        assert!(errors.iter().all(|p| p.kind == ProblemKind::Syntax));
        assert_eq!(errors[0].line, Some(2), "{errors:?}");
    }
}
