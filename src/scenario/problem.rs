//! Problems found in a scenario, each with its file, line, column and field path, and
//! the error that lists them all.

use super::tree::Pos;

/// What kind of problem a scenario has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProblemKind {
    /// The file could not be read.
    #[error("cannot read")]
    Io,
    /// The TOML or JSON text is malformed.
    #[error("syntax error")]
    Syntax,
    /// A field the format does not have.
    #[error("unknown field")]
    UnknownField,
    /// A required field is absent.
    #[error("missing field")]
    MissingField,
    /// A value of the wrong type.
    #[error("wrong type")]
    WrongType,
    /// A value of the right type that is not allowed (out of range, unknown name,
    /// years out of order, a file that does not exist).
    #[error("invalid value")]
    InvalidValue,
    /// A `base` that cannot be found or that extends itself.
    #[error("bad base")]
    Base,
}

/// One problem of a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file (or built-in scenario) the problem is in.
    pub file: String,
    /// Line, from 1 (`None` when the file could not be read).
    pub line: Option<u32>,
    /// Column, from 1, in characters.
    pub column: Option<u32>,
    /// Field path, e.g. `levers.dibao.urban_threshold_per_month` (empty for a syntax
    /// error or an unreadable file).
    pub field: String,
    /// The kind of problem.
    pub kind: ProblemKind,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Problem {
    /// A problem at a position.
    pub fn at(pos: &Pos, field: impl Into<String>, kind: ProblemKind, message: impl Into<String>) -> Self {
        Problem {
            file: pos.source.name.clone(),
            line: Some(pos.line),
            column: Some(pos.column),
            field: field.into(),
            kind,
            message: message.into(),
        }
    }

    /// A problem with a whole file (it cannot be read).
    pub fn file(file: impl Into<String>, kind: ProblemKind, message: impl Into<String>) -> Self {
        Problem { file: file.into(), line: None, column: None, field: String::new(), kind, message: message.into() }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in a scenario, in file and line order; displayed one per line as
/// `FILE:LINE:COL: field.path: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem(s) in scenario:\n{}", .problems.len(), .problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct ScenarioErrors {
    /// The problems (at least one).
    pub problems: Vec<Problem>,
}

impl ScenarioErrors {
    /// The problems sorted by file, line and column, exact duplicates removed.
    pub fn new(mut problems: Vec<Problem>) -> Self {
        problems.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        problems.dedup();
        ScenarioErrors { problems }
    }
}

impl From<ScenarioErrors> for crate::error::Error {
    fn from(e: ScenarioErrors) -> Self {
        let origin = e.problems.first().map_or_else(|| "scenario".to_string(), |p| p.file.clone());
        crate::error::Error::Parse { origin, message: e.to_string() }
    }
}

/// A number as a problem shows it: as written up to 10¹⁵ in absolute value, in
/// exponent notation beyond (`3.4e38`, not thirty-nine digits).
pub fn shown_number(x: f64) -> String {
    if x.abs() >= 1e15 { format!("{x:e}") } else { x.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_file_line_column_field_message() {
        let p = Problem {
            file: "a.toml".into(),
            line: Some(3),
            column: Some(5),
            field: "levers.dibao".into(),
            kind: ProblemKind::InvalidValue,
            message: "bad".into(),
        };
        assert_eq!(p.to_string(), "a.toml:3:5: levers.dibao: bad");
        let q = Problem::file("b.toml", ProblemKind::Io, "no such file");
        assert_eq!(q.to_string(), "b.toml: no such file");
        let all = ScenarioErrors::new(vec![p.clone(), q.clone(), p]);
        assert_eq!(all.problems.len(), 2);
        assert!(all.to_string().starts_with("2 problem(s) in scenario:\na.toml:3:5"));
        assert_eq!(shown_number(3.4e38), "3.4e38");
        assert_eq!(shown_number(-2e15), "-2e15");
        assert_eq!(shown_number(705.5), "705.5");
    }
}
