//! Collecting row problems, with a cap on how many are listed.

use std::path::{Path, PathBuf};

use crate::error::{Error, RowProblem};

/// How many problems a load lists by default before it only counts the rest.
pub const DEFAULT_MAX_PROBLEMS: usize = 1_000;

/// Every problem found while loading, in the order found, capped at a maximum; the
/// rest are counted and summarised by one last entry.
#[derive(Debug, Clone)]
pub struct Problems {
    listed: Vec<RowProblem>,
    max: usize,
    more: u64,
    first_unlisted: Option<(PathBuf, u64)>,
}

impl Problems {
    /// An empty collector that lists at most `max` problems (at least one).
    pub fn new(max: usize) -> Self {
        Problems { listed: Vec::new(), max: max.max(1), more: 0, first_unlisted: None }
    }

    /// Records one problem.
    pub fn push(&mut self, file: &Path, row: u64, column: &str, problem: impl Into<String>) {
        if self.listed.len() < self.max {
            self.listed.push(RowProblem {
                file: file.to_path_buf(),
                row,
                column: column.to_string(),
                problem: problem.into(),
            });
        } else {
            if self.first_unlisted.is_none() {
                self.first_unlisted = Some((file.to_path_buf(), row));
            }
            self.more += 1;
        }
    }

    /// Total number of problems found, listed or not.
    pub fn count(&self) -> u64 {
        self.listed.len() as u64 + self.more
    }

    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }

    /// The problems as an error, or `None` when there are none. When more were found
    /// than listed, a last entry (at the file and row of the first unlisted problem,
    /// column empty) says how many more.
    pub fn into_error(self) -> Option<Error> {
        if self.is_empty() {
            return None;
        }
        let mut problems = self.listed;
        if let Some((file, row)) = self.first_unlisted {
            problems.push(RowProblem {
                file,
                row,
                column: String::new(),
                problem: format!("{} more problem(s) not listed", self.more),
            });
        }
        Some(Error::Microdata { problems })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_the_list_and_counts_the_rest() {
        let mut p = Problems::new(2);
        assert!(p.is_empty());
        for row in 2..7 {
            p.push(Path::new("f"), row, "c", "bad");
        }
        assert_eq!(p.count(), 5);
        let Some(Error::Microdata { problems }) = p.into_error() else { panic!("expected an error") };
        assert_eq!(problems.len(), 3);
        assert_eq!(problems[2].row, 4);
        assert_eq!(problems[2].problem, "3 more problem(s) not listed");
        assert!(Problems::new(5).into_error().is_none());
    }
}
