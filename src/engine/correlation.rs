//! Correlated draws of a scenario's uncertain values.
//!
//! Each replication after the first draws one standard normal `z` per uncertain value
//! (an `[uncertainty]` assumption, an `[uncertainty.levers]` parameter), each keyed on
//! its own. Drawn independently, the urban and the rural wage growth of an outlook
//! move apart as often as together, which overstates how far the urban-rural ratio can
//! move: the published rates move together (the yearly growth of urban and rural wage
//! income per person, 2016–2023, correlates at 0.85 in NBS's series). A [`Correlation`]
//! gives the correlation of two values' draws; [`JointDraws`] holds the lower
//! triangular factor `L` of the correlation matrix (`L Lᵀ = C`, Cholesky), and a
//! replication's draws are `x = L z`: each value's draw is still standard normal, and
//! two correlated values' draws have the given correlation.
//!
//! The values are ordered as [`Scenario::uncertain_paths`] lists them: the uncertain
//! assumptions, then the uncertain lever parameters grouped by lever. `L` being lower
//! triangular, a value's draw reads the independent draws of the values before it
//! only, so the assumptions' draws never depend on the levers', and a lever that
//! refuses its drawn parameters draws its own again given the values before it
//! ([`super::uncertain_levers::draw`]). Without correlations `L` is the identity
//! and every draw is the independent one, bit for bit.
//!
//! In a scenario file:
//!
//! ```toml
//! [[uncertainty.correlations]]
//! between = ["assumptions.wage_growth_urban", "assumptions.wage_growth_rural"]
//! coefficient = 0.85
//! ```
//!
//! [`Scenario::uncertain_paths`]: super::projection::Scenario::uncertain_paths

use crate::scenario::problem::shown_number;

/// Two values' draws below this on the factor's diagonal are taken as exactly
/// dependent (a coefficient of ±1, or a value fixed by others): rounding leaves them
/// slightly off 0.
const SINGULAR: f64 = 1e-10;

/// The correlation of two uncertain values' draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// The two values, as [`super::projection::Scenario::uncertain_paths`] names them
    /// (`assumptions.wage_growth_urban`, `levers.skills_training.hourly_gain`).
    pub between: [String; 2],
    /// The correlation coefficient, from −1 to 1.
    pub coefficient: f64,
}

impl Correlation {
    /// The correlation `coefficient` of the draws of `a` and `b`.
    pub fn new(a: impl Into<String>, b: impl Into<String>, coefficient: f64) -> Self {
        Correlation { between: [a.into(), b.into()], coefficient }
    }

    /// Whether both values are baseline assumptions (`assumptions.…`): such a
    /// correlation moves the baseline, one with a lever parameter only the reform.
    pub fn between_assumptions(&self) -> bool {
        self.between.iter().all(|p| p.starts_with("assumptions."))
    }

    /// As a report writes it: `assumptions.a ~ assumptions.b 0.85`.
    pub fn describe(&self) -> String {
        format!("{} ~ {} {}", self.between[0], self.between[1], shown_number(self.coefficient))
    }
}

/// What is wrong with a scenario's correlations, each with its sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorrelationProblem {
    /// A correlation names a value that is not uncertain in the scenario.
    UnknownValue {
        /// The correlation's index in the scenario's list.
        index: usize,
        /// The sentence.
        message: String,
    },
    /// A coefficient out of −1–1, a value with itself, or a pair given twice.
    Invalid {
        /// The correlation's index in the scenario's list.
        index: usize,
        /// The sentence.
        message: String,
    },
    /// The coefficients cannot hold together: no joint distribution has them all.
    Inconsistent(String),
}

impl CorrelationProblem {
    /// The index of the correlation at fault, when one is.
    pub fn index(&self) -> Option<usize> {
        match self {
            CorrelationProblem::UnknownValue { index, .. } | CorrelationProblem::Invalid { index, .. } => Some(*index),
            CorrelationProblem::Inconsistent(_) => None,
        }
    }
}

impl std::fmt::Display for CorrelationProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CorrelationProblem::UnknownValue { message, .. }
            | CorrelationProblem::Invalid { message, .. }
            | CorrelationProblem::Inconsistent(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for CorrelationProblem {}

/// The factor of a correlation matrix over a scenario's uncertain values: a
/// replication's draws are `L z` ([module docs](self)).
#[derive(Debug, Clone, PartialEq)]
pub struct JointDraws {
    /// Number of values.
    n: usize,
    /// `L`, row by row (`n × n`, zero above the diagonal); empty when the draws are
    /// independent.
    lower: Vec<f64>,
}

impl JointDraws {
    /// Independent draws of `n` values.
    pub fn independent(n: usize) -> Self {
        JointDraws { n, lower: Vec::new() }
    }

    /// The factor for the values `paths` (in draw order) with `correlations`.
    ///
    /// # Errors
    /// A [`CorrelationProblem`]: a value not in `paths` (with "did you mean"), a
    /// coefficient outside −1–1 or not a number, a value correlated with itself, a pair
    /// given twice, or coefficients no joint distribution has (the matrix is not
    /// positive semi-definite), naming the value where that shows.
    pub fn new(paths: &[String], correlations: &[Correlation]) -> Result<Self, CorrelationProblem> {
        let n = paths.len();
        if correlations.is_empty() {
            return Ok(JointDraws::independent(n));
        }
        let mut c = vec![0.0; n * n];
        for i in 0..n {
            c[i * n + i] = 1.0;
        }
        let mut seen: Vec<(usize, usize)> = Vec::new();
        for (index, k) in correlations.iter().enumerate() {
            let position = |p: &String| {
                paths
                    .iter()
                    .position(|q| q == p)
                    .ok_or_else(|| CorrelationProblem::UnknownValue { index, message: unknown_value(p, paths) })
            };
            let (a, b) = (position(&k.between[0])?, position(&k.between[1])?);
            let invalid = |message: String| CorrelationProblem::Invalid { index, message };
            if !(k.coefficient.is_finite() && (-1.0..=1.0).contains(&k.coefficient)) {
                return Err(invalid(format!(
                    "coefficient {} is out of range: expected a correlation from -1 to 1",
                    shown_number(k.coefficient)
                )));
            }
            if a == b {
                return Err(invalid(format!("`{}` is correlated with itself: name two different values", paths[a])));
            }
            let pair = (a.min(b), a.max(b));
            if seen.contains(&pair) {
                return Err(invalid(format!(
                    "`{}` and `{}` are correlated twice: give each pair once",
                    paths[pair.0], paths[pair.1]
                )));
            }
            seen.push(pair);
            c[a * n + b] = k.coefficient;
            c[b * n + a] = k.coefficient;
        }
        let lower = cholesky(&c, n).map_err(|j| {
            let partners: Vec<String> = correlations
                .iter()
                .filter(|k| k.between.contains(&paths[j]))
                .map(|k| format!("`{}`", k.describe()))
                .collect();
            CorrelationProblem::Inconsistent(format!(
                "the correlations cannot hold together (no joint distribution has them all: the matrix is not \
                 positive semi-definite); it shows at `{}` ({}): weaken one of them",
                paths[j],
                partners.join(", ")
            ))
        })?;
        Ok(JointDraws { n, lower })
    }

    /// Whether every draw is the independent one.
    pub fn is_independent(&self) -> bool {
        self.lower.is_empty()
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The correlation of the draws of values `i` and `j` (`Σ_k L_ik L_jk`: the one
    /// given, or the one the given ones imply; 1 for a value with itself, 0 for
    /// independent draws).
    pub fn correlation(&self, i: usize, j: usize) -> f64 {
        if i == j {
            return 1.0;
        }
        if self.lower.is_empty() || i >= self.n || j >= self.n {
            return 0.0;
        }
        let n = self.n;
        (0..=i.min(j)).map(|k| self.lower[i * n + k] * self.lower[j * n + k]).sum()
    }

    /// The draw of value `i` from the independent draws `z` of the values up to it
    /// (`z.len() > i`; later ones are not read): `Σ_{j ≤ i} L_ij z_j`, or `z_i` itself
    /// when the draws are independent.
    pub fn value(&self, i: usize, z: &[f64]) -> f64 {
        if self.lower.is_empty() {
            return z[i];
        }
        let row = &self.lower[i * self.n..i * self.n + i + 1];
        row.iter().zip(z).map(|(l, z)| l * z).sum()
    }

    /// The draws of the first `z.len()` values from their independent draws.
    pub fn values(&self, z: &[f64]) -> Vec<f64> {
        (0..z.len().min(self.n)).map(|i| self.value(i, z)).collect()
    }
}

/// The sentence for a value `path` that is not among the uncertain `paths`.
fn unknown_value(path: &str, paths: &[String]) -> String {
    let listed = if paths.is_empty() { "none".to_string() } else { paths.join(", ") };
    // A name without its section: `wage_growth_urban` for `assumptions.wage_growth_urban`.
    let prefixed = ["assumptions.", "levers."].iter().map(|s| format!("{s}{path}")).find(|p| paths.contains(p));
    let hint = match prefixed {
        Some(p) => format!(" (did you mean `{p}`?)"),
        None => {
            let names: Vec<&str> = paths.iter().map(String::as_str).collect();
            crate::policy::registry::did_you_mean(path, &names)
        }
    };
    format!(
        "`{path}` is not one of the scenario's uncertain values{hint}: a correlation joins two values given a spread \
         in [uncertainty] or [uncertainty.levers]; uncertain: {listed}"
    )
}

/// The lower triangular factor of the symmetric `n × n` matrix `c` (row by row) with
/// `L Lᵀ = c`, allowing a semi-definite `c` (a zero pivot leaves its column 0 below
/// the diagonal, which needs those entries already matched); `Err(j)` at the column
/// `j` where `c` shows not to be positive semi-definite.
fn cholesky(c: &[f64], n: usize) -> Result<Vec<f64>, usize> {
    let mut l = vec![0.0; n * n];
    for j in 0..n {
        let d = c[j * n + j] - (0..j).map(|k| l[j * n + k] * l[j * n + k]).sum::<f64>();
        if d < -SINGULAR {
            return Err(j);
        }
        let pivot = d.max(0.0).sqrt();
        l[j * n + j] = pivot;
        for i in j + 1..n {
            let rest = c[i * n + j] - (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum::<f64>();
            if pivot > SINGULAR.sqrt() {
                l[i * n + j] = rest / pivot;
            } else if rest.abs() > SINGULAR.sqrt() {
                return Err(j);
            }
        }
    }
    Ok(l)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn without_correlations_each_draw_is_the_independent_one() {
        let j = JointDraws::new(&paths(&["assumptions.a", "assumptions.b"]), &[]).unwrap();
        assert!(j.is_independent());
        assert_eq!(j.values(&[0.3, -1.7]), vec![0.3, -1.7]);
    }

    #[test]
    fn the_factor_gives_back_the_correlation_matrix() {
        let p = paths(&["assumptions.a", "assumptions.b", "levers.x.y"]);
        let k = [
            Correlation::new("assumptions.a", "assumptions.b", 0.85),
            Correlation::new("levers.x.y", "assumptions.a", -0.3),
        ];
        let j = JointDraws::new(&p, &k).unwrap();
        let want = [[1.0, 0.85, -0.3], [0.85, 1.0, 0.0], [-0.3, 0.0, 1.0]];
        for (r, row) in want.iter().enumerate() {
            for (c, x) in row.iter().enumerate() {
                let got: f64 = (0..3).map(|k| j.lower[r * 3 + k] * j.lower[c * 3 + k]).sum();
                assert!((got - x).abs() < 1e-12, "({r},{c}): {got} against {x}");
            }
        }
        // The first value's draw reads its own independent draw only.
        assert_eq!(j.value(0, &[0.7]), 0.7);
    }

    #[test]
    fn a_coefficient_of_one_makes_the_draws_equal_and_minus_one_opposite() {
        let p = paths(&["assumptions.a", "assumptions.b", "assumptions.c"]);
        // b = a and c = −a leave b and c opposite: a correlation they must be given.
        let k = [
            Correlation::new("assumptions.a", "assumptions.b", 1.0),
            Correlation::new("assumptions.a", "assumptions.c", -1.0),
            Correlation::new("assumptions.b", "assumptions.c", -1.0),
        ];
        let j = JointDraws::new(&p, &k).unwrap();
        let x = j.values(&[1.3, 0.4, -2.0]);
        assert!((x[1] - x[0]).abs() < 1e-12 && (x[2] + x[0]).abs() < 1e-12, "{x:?}");
        let partial = [
            Correlation::new("assumptions.a", "assumptions.b", 1.0),
            Correlation::new("assumptions.a", "assumptions.c", -1.0),
        ];
        assert!(matches!(JointDraws::new(&p, &partial), Err(CorrelationProblem::Inconsistent(_))));
    }

    #[test]
    fn coefficients_that_cannot_hold_together_are_refused() {
        let p = paths(&["assumptions.a", "assumptions.b", "assumptions.c"]);
        let k = [
            Correlation::new("assumptions.a", "assumptions.b", 0.9),
            Correlation::new("assumptions.b", "assumptions.c", 0.9),
            Correlation::new("assumptions.a", "assumptions.c", -0.9),
        ];
        let e = JointDraws::new(&p, &k).unwrap_err();
        assert!(matches!(e, CorrelationProblem::Inconsistent(_)), "{e}");
        assert!(e.to_string().contains("`assumptions.c`"), "{e}");
    }

    #[test]
    fn bad_entries_name_the_correlation_and_the_problem() {
        let p = paths(&["assumptions.wage_growth_urban", "assumptions.wage_growth_rural"]);
        let bad = |k: Correlation| JointDraws::new(&p, &[k]).unwrap_err();
        let e = bad(Correlation::new("wage_growth_urban", "assumptions.wage_growth_rural", 0.5));
        assert_eq!(e.index(), Some(0));
        assert!(e.to_string().contains("did you mean `assumptions.wage_growth_urban`"), "{e}");
        let e = bad(Correlation::new("assumptions.wage_growth_urban", "assumptions.wage_growth_rural", 1.5));
        assert!(e.to_string().contains("out of range"), "{e}");
        let e = bad(Correlation::new("assumptions.wage_growth_urban", "assumptions.wage_growth_urban", 0.5));
        assert!(e.to_string().contains("itself"), "{e}");
        let twice = [
            Correlation::new("assumptions.wage_growth_urban", "assumptions.wage_growth_rural", 0.5),
            Correlation::new("assumptions.wage_growth_rural", "assumptions.wage_growth_urban", 0.5),
        ];
        let e = JointDraws::new(&p, &twice).unwrap_err();
        assert_eq!(e.index(), Some(1));
        assert!(e.to_string().contains("twice"), "{e}");
    }
}
