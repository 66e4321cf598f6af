//! The crate's error type.

use std::path::PathBuf;

/// Everything that can go wrong in incomesim, with enough context to act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A TOML or JSON document could not be parsed.
    #[error("{origin}: {message}")]
    Parse {
        /// The file or built-in document (e.g. `profile national-2022`).
        origin: String,
        /// The parser's message, with line and column where known.
        message: String,
    },
    /// A value is present and well-formed but not allowed.
    #[error("{origin}: `{field}` = {value}: {problem}")]
    InvalidValue {
        /// The file or built-in document.
        origin: String,
        /// The field path, e.g. `urban.dibao_threshold_per_month`.
        field: String,
        /// The offending value, as text.
        value: String,
        /// What was expected.
        problem: String,
    },
    /// A region profile id is not built in and no file of that name exists.
    #[error("unknown region `{id}`; built-in regions: {known}")]
    UnknownRegion {
        /// The id asked for.
        id: String,
        /// The ids that exist.
        known: String,
    },
    /// A lever name is not in the registry.
    #[error("unknown lever `{name}`{suggestion}")]
    UnknownLever {
        /// The name asked for.
        name: String,
        /// A "did you mean" hint, or empty.
        suggestion: String,
    },
    /// A lever parameter is invalid.
    #[error("lever `{lever}`: `{field}` = {value}: {problem}")]
    InvalidLever {
        /// The lever.
        lever: String,
        /// The parameter.
        field: String,
        /// The offending value.
        value: String,
        /// What was expected.
        problem: String,
    },
    /// Rows of a microdata file are invalid; every bad row is listed.
    #[error("{} problem(s) in microdata:\n{}", .problems.len(), .problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
    Microdata {
        /// Every problem found.
        problems: Vec<RowProblem>,
    },
    /// Calibration could not reach its targets.
    #[error("calibration of `{profile}` failed: {problem}")]
    Calibration {
        /// The profile.
        profile: String,
        /// What went wrong.
        problem: String,
    },
    /// A request that makes no sense (zero households, an empty year range).
    #[error("{0}")]
    InvalidRequest(String),
}

/// One bad cell of a microdata file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The file.
    pub file: PathBuf,
    /// The row, counting the header as row 1.
    pub row: u64,
    /// The column name.
    pub column: String,
    /// What is wrong.
    pub problem: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: row {}, column `{}`: {}", self.file.display(), self.row, self.column, self.problem)
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
