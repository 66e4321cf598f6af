//! The resolved document to a [`Scenario`], reporting every problem found.

use std::path::{Path, PathBuf};

use super::check::{Check, join};
use super::problem::{Problem, ProblemKind};
use super::targets::Years;
use super::tree::{Node, Value};
use super::{ASSUMPTIONS, MicrodataFiles, assumption, assumption_range};
use crate::dynamics::Dynamics;
use crate::engine::correlation::{Correlation, JointDraws};
use crate::engine::projection::{ReformLever, ReplicationSeeds, Scenario, Uncertain};
use crate::engine::uncertain_levers::{Spread, UncertainLever, UncertaintyProblem};
use crate::error::Error;
use crate::indicators::PovertyLines;
use crate::policy::YearMonth;
use crate::policy::registry::did_you_mean;
use crate::region::{Profile, builtin_ids};

/// Fields of a scenario's top level.
pub const TOP_FIELDS: [&str; 21] = [
    "name",
    "region",
    "microdata",
    "households",
    "seed",
    "last_year",
    "replications",
    "replication_seeds",
    "shapley",
    "shapley_permutations",
    "work_incentives",
    "participation_wage_per_month",
    "poverty_lines",
    "assumptions",
    "uncertainty",
    "levers",
    "targets",
    "population_reweighting",
    "base",
    "targets_extend",
    "drop_levers",
];

/// Default number of households to generate (an assumption: enough for stable
/// city-level means in a few seconds).
pub const DEFAULT_HOUSEHOLDS: usize = 20_000;
/// Default seed.
pub const DEFAULT_SEED: u64 = 7;
/// Default random orders for sampled Shapley values.
pub const DEFAULT_SHAPLEY_PERMUTATIONS: usize = 200;
/// Default fixed poverty lines, yuan per person per year (see
/// [`PovertyLines::default`] for their sources).
pub const DEFAULT_POVERTY_LINES: [f64; 2] = [6_000.0, 10_000.0];
/// Most households a scenario may generate (an assumption: beyond, memory).
pub const MAX_HOUSEHOLDS: i64 = 100_000_000;
/// Most years a projection may run past its base year (an assumption: the baseline
/// assumptions are not meant for longer horizons).
pub const MAX_HORIZON: u16 = 50;

/// Validates a resolved document.
///
/// # Errors
/// Every problem found.
pub fn scenario(root: &Node) -> Result<Scenario, Vec<Problem>> {
    let mut check = Check::default();
    if root.entries().is_none() {
        check.push(&root.pos, "", ProblemKind::WrongType, "a scenario must be a table of fields");
        return Err(check.problems);
    }
    check.unknown_fields(root, "", &TOP_FIELDS, "field");
    for key in ["targets_extend", "drop_levers"] {
        if let Some(e) = root.entry(key) {
            let message = format!("`{key}` only applies to a scenario with `base`");
            check.push(&e.key_pos, key, ProblemKind::InvalidValue, message);
        }
    }

    let name = check
        .required(root, "", "name", "a name for reports")
        .and_then(|n| check.string(n, "name", "a name for reports"));
    let profile = check
        .required(root, "", "region", "a built-in region id (`incomesim regions`) or a profile file")
        .and_then(|n| region(n, &mut check));
    let microdata = root.get("microdata").and_then(|n| microdata(n, &mut check));
    let households = households(root, microdata.as_ref(), &mut check);
    let seed = match root.get("seed") {
        Some(n) => check.integer(n, "seed", 0, i64::MAX, "seed").map(|s| s as u64),
        None => Some(DEFAULT_SEED),
    };
    let last_year = check
        .required(root, "", "last_year", "the last projected year")
        .and_then(|n| last_year(n, profile.as_ref(), &mut check));
    let replications = match root.get("replications") {
        Some(n) => check.integer(n, "replications", 1, 10_000, "replications").map(|r| r as usize),
        None => Some(1),
    };
    let replication_seeds = match root.get("replication_seeds") {
        Some(n) => check.word(n, "replication_seeds", &ReplicationSeeds::WORDS).and_then(ReplicationSeeds::from_word),
        None => Some(ReplicationSeeds::Each),
    };
    let shapley = root.get("shapley").map_or(Some(true), |n| check.boolean(n, "shapley"));
    let work_incentives = root.get("work_incentives").map_or(Some(false), |n| check.boolean(n, "work_incentives"));
    let participation_wage_per_month = match root.get("participation_wage_per_month") {
        Some(n) => {
            use crate::indicators::incentives::{PARTICIPATION_WAGE_EXPECTED, is_participation_wage};
            check.dated(n, "participation_wage_per_month", is_participation_wage, PARTICIPATION_WAGE_EXPECTED).map(Some)
        }
        None => Some(None),
    };
    let shapley_permutations = match root.get("shapley_permutations") {
        Some(n) => check.integer(n, "shapley_permutations", 1, 1_000_000, "random orders").map(|p| p as usize),
        None => Some(DEFAULT_SHAPLEY_PERMUTATIONS),
    };
    let poverty_lines = match root.get("poverty_lines") {
        Some(n) => poverty_lines(n, &mut check),
        None => Some(DEFAULT_POVERTY_LINES.to_vec()),
    };
    let mut dynamics = profile.as_ref().map(Dynamics::from_profile);
    if let Some(n) = root.get("assumptions") {
        assumptions(n, dynamics.as_mut(), &mut check);
    }
    if let Some(n) = root.get("population_reweighting") {
        let years = profile.as_ref().map(|p| (p.base_year, p.base_year.saturating_add(MAX_HORIZON)));
        let reweighting = super::reweighting::reweighting(n, years, &mut check);
        if let (Some(d), Some(r)) = (dynamics.as_mut(), reweighting) {
            d.reweighting = r;
        }
    }
    let uncertainty = root.get("uncertainty").map_or(Some(Vec::new()), |n| uncertainty(n, &mut check));
    let reform =
        root.get("levers").map_or(Some(Vec::new()), |n| super::levers::levers(n, profile.as_ref(), &mut check));
    let lever_uncertainty = match root.get("uncertainty").and_then(|n| n.get("levers")) {
        Some(n) => lever_uncertainty(n, reform.as_deref(), &mut check),
        None => Some(Vec::new()),
    };
    let correlations = match root.get("uncertainty").and_then(|n| n.get("correlations")) {
        Some(n) => match (&uncertainty, &lever_uncertainty) {
            (Some(u), Some(l)) => correlations(n, u, l, &mut check),
            // The values to correlate could not be read (already reported).
            _ => None,
        },
        None => Some(Vec::new()),
    };
    let labels = poverty_lines.as_ref().and_then(|l| PovertyLines::new(l.clone()).ok()).map(|l| l.labels());
    let years = profile.as_ref().zip(last_year).map(|(p, last)| Years { base: p.base_year, last });
    let targets = root
        .get("targets")
        .map_or(Some(Vec::new()), |n| super::targets::targets(n, labels.as_deref(), years, &mut check));

    if !check.problems.is_empty() {
        return Err(check.problems);
    }
    let missing = || vec![Problem::at(&root.pos, "", ProblemKind::InvalidValue, "invalid scenario")];
    let (Some(name), Some(profile), Some(households), Some(seed), Some(last_year)) =
        (name, profile, households, seed, last_year)
    else {
        return Err(missing());
    };
    let (Some(replications), Some(shapley), Some(shapley_permutations), Some(poverty_lines)) =
        (replications, shapley, shapley_permutations, poverty_lines)
    else {
        return Err(missing());
    };
    let (Some(dynamics), Some(uncertainty), Some(reform), Some(targets)) = (dynamics, uncertainty, reform, targets)
    else {
        return Err(missing());
    };
    let (Some(work_incentives), Some(participation_wage_per_month), Some(lever_uncertainty), Some(replication_seeds)) =
        (work_incentives, participation_wage_per_month, lever_uncertainty, replication_seeds)
    else {
        return Err(missing());
    };
    let Some(correlations) = correlations else {
        return Err(missing());
    };
    Ok(Scenario {
        name,
        profile,
        households,
        microdata: microdata.map(|(files, _)| files),
        seed,
        last_year,
        dynamics,
        reform,
        targets,
        replications,
        shapley,
        work_incentives,
        participation_wage_per_month,
        shapley_permutations,
        shapley_exact_max: crate::engine::shapley::EXACT_MAX_LEVERS,
        poverty_lines,
        uncertainty,
        lever_uncertainty,
        correlations,
        replication_seeds,
    })
}

/// A path written in a document, relative to that document's folder.
fn relative_to(node: &Node, text: &str) -> PathBuf {
    let path = Path::new(text);
    match &node.pos.source.dir {
        Some(dir) if path.is_relative() => dir.join(path),
        _ => path.to_path_buf(),
    }
}

fn region(node: &Node, check: &mut Check) -> Option<Profile> {
    let text = check.string(node, "region", "a built-in region id (`incomesim regions`) or a profile file")?;
    let ids = builtin_ids();
    let local = relative_to(node, &text);
    let loaded = if !ids.contains(&text.as_str()) && local.is_file() {
        Profile::from_file(&local)
    } else {
        Profile::load(&text)
    };
    match loaded {
        Ok(p) => Some(p),
        Err(Error::UnknownRegion { id, known }) => {
            let message = format!(
                "unknown region `{id}`{}; built-in regions: {known}, or a profile file",
                did_you_mean(&id, &ids)
            );
            check.push(&node.pos, "region", ProblemKind::InvalidValue, message);
            None
        }
        Err(e) => {
            check.push(&node.pos, "region", ProblemKind::InvalidValue, format!("the profile cannot be loaded: {e}"));
            None
        }
    }
}

/// The microdata files and their number of households.
fn microdata(node: &Node, check: &mut Check) -> Option<(MicrodataFiles, usize)> {
    let files = match &node.value {
        Value::String(s) => {
            let path = relative_to(node, s);
            if !path.exists() {
                let message = format!(
                    "microdata not found: {} (expected a folder holding households.csv and persons.csv, or a \
                     households CSV file with persons.csv beside it)",
                    path.display()
                );
                check.push(&node.pos, "microdata", ProblemKind::InvalidValue, message);
                return None;
            }
            if path.is_dir() {
                MicrodataFiles { households: path.join("households.csv"), persons: path.join("persons.csv") }
            } else {
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                MicrodataFiles { households: path, persons: dir.join("persons.csv") }
            }
        }
        Value::Table(_) => {
            check.unknown_fields(node, "microdata", &["households", "persons"], "microdata field");
            let mut file = |key: &str| {
                let field = join("microdata", key);
                let n = check.required(node, "microdata", key, "the path of a CSV file")?;
                check.string(n, &field, "the path of a CSV file").map(|s| relative_to(n, &s))
            };
            let (households, persons) = (file("households"), file("persons"));
            MicrodataFiles { households: households?, persons: persons? }
        }
        other => {
            let message = format!(
                "expected a folder holding households.csv and persons.csv, a households CSV file, or a table \
                 {{ households = \"...\", persons = \"...\" }}; found {}",
                other.kind()
            );
            check.push(&node.pos, "microdata", ProblemKind::WrongType, message);
            return None;
        }
    };
    let mut fine = true;
    for path in [&files.households, &files.persons] {
        if !path.is_file() {
            let message = format!("microdata file not found: {}", path.display());
            check.push(&node.pos, "microdata", ProblemKind::InvalidValue, message);
            fine = false;
        }
    }
    if !fine {
        return None;
    }
    match files.load() {
        Ok(pop) if pop.household_count() > 0 => {
            let n = pop.household_count();
            Some((files, n))
        }
        Ok(_) => {
            check.push(&node.pos, "microdata", ProblemKind::InvalidValue, "the microdata have no households");
            None
        }
        Err(Error::Microdata { problems }) => {
            let shown: Vec<String> = problems.iter().take(5).map(|p| p.to_string()).collect();
            let more = problems.len().saturating_sub(shown.len());
            let tail = if more > 0 { format!("; and {more} more") } else { String::new() };
            let message = format!("{} problem(s) in the microdata: {}{tail}", problems.len(), shown.join("; "));
            check.push(&node.pos, "microdata", ProblemKind::InvalidValue, message);
            None
        }
        Err(e) => {
            check.push(&node.pos, "microdata", ProblemKind::InvalidValue, e.to_string());
            None
        }
    }
}

fn households(root: &Node, microdata: Option<&(MicrodataFiles, usize)>, check: &mut Check) -> Option<usize> {
    let given = root.get("households");
    if let (Some(n), Some(_)) = (given, root.get("microdata")) {
        let message = "not used with `microdata`: the population is the households of the microdata; remove one";
        check.push(&n.pos, "households", ProblemKind::InvalidValue, message);
        return None;
    }
    if let Some((_, count)) = microdata {
        return Some(*count);
    }
    match given {
        Some(n) => check.integer(n, "households", 1, MAX_HOUSEHOLDS, "households").map(|h| h as usize),
        None => Some(DEFAULT_HOUSEHOLDS),
    }
}

fn last_year(node: &Node, profile: Option<&Profile>, check: &mut Check) -> Option<u16> {
    let Some(p) = profile else {
        return check.integer(node, "last_year", 1901, 2200, "a year").map(|y| y as u16);
    };
    let (first, last) = (i64::from(p.base_year) + 1, i64::from(p.base_year + MAX_HORIZON));
    let Some(y) = node.as_f64().filter(|y| y.fract() == 0.0).map(|y| y as i64) else {
        return check.integer(node, "last_year", first, last, "a year").map(|y| y as u16);
    };
    if y <= i64::from(p.base_year) {
        let message = format!(
            "years out of order: the last year {y} must come after the base year {} of `{}`",
            p.base_year, p.id
        );
        check.push(&node.pos, "last_year", ProblemKind::InvalidValue, message);
        return None;
    }
    check.integer(node, "last_year", first, last, "a year").map(|y| y as u16)
}

fn poverty_lines(node: &Node, check: &mut Check) -> Option<Vec<f64>> {
    let expected = "an array of poverty lines in yuan per person per year, each > 0";
    let Value::Array(items) = &node.value else {
        let message = format!("expected {expected}, found {}", node.value.kind());
        check.push(&node.pos, "poverty_lines", ProblemKind::WrongType, message);
        return None;
    };
    let mut lines = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let field = format!("poverty_lines[{i}]");
        let z = check.number(item, &field, |x| x > 0.0, "yuan per person per year, > 0")?;
        if lines.contains(&z) {
            check.push(&item.pos, &field, ProblemKind::InvalidValue, format!("poverty line {z} given twice"));
            return None;
        }
        lines.push(z);
    }
    Some(lines)
}

fn unknown_assumption(check: &mut Check, e: &super::tree::Entry, field: &str) -> bool {
    if ASSUMPTIONS.contains(&e.key.as_str()) {
        return false;
    }
    let message = format!(
        "unknown assumption `{}`{}; known: {}",
        e.key,
        did_you_mean(&e.key, &ASSUMPTIONS),
        ASSUMPTIONS.join(", ")
    );
    check.push(&e.key_pos, field, ProblemKind::UnknownField, message);
    true
}

fn assumptions(node: &Node, mut dynamics: Option<&mut Dynamics>, check: &mut Check) {
    let Some(entries) = node.entries() else {
        let message = format!("expected a table of assumptions, found {}", node.value.kind());
        check.push(&node.pos, "assumptions", ProblemKind::WrongType, message);
        return;
    };
    // An assumption that sets the urban and the rural series at once (`operating_growth`)
    // comes first, so that `operating_growth_urban` or `_rural` given beside it wins for
    // its own residence, whatever the order in the file.
    let mut ordered: Vec<_> = entries.iter().collect();
    ordered.sort_by_key(|e| !assumption(&e.key).is_some_and(|a| a.sets_both()));
    for e in ordered {
        let field = join("assumptions", &e.key);
        if unknown_assumption(check, e, &field) {
            continue;
        }
        let Some(a) = assumption(&e.key) else { continue };
        let range = a.range;
        let value = check.dated(&e.node, &field, |x| range.contains(x), range.description);
        if let (Some(value), Some(d)) = (value, dynamics.as_deref_mut()) {
            a.set(d, &value);
        }
    }
}

/// Fields of an uncertainty given as a table.
const UNCERTAIN_FIELDS: [&str; 2] = ["sd", "from"];

/// Fields of a lever parameter's uncertainty given as a table.
const UNCERTAIN_LEVER_FIELDS: [&str; 2] = ["sd", "relative_sd"];

/// Reads `[uncertainty.levers.NAME]`: per lever of the reform (`reform`, when it could
/// be read), its uncertain parameters, each a standard deviation in the parameter's
/// unit or `{ relative_sd = … }`. In field order (lever, then parameter).
fn lever_uncertainty(node: &Node, reform: Option<&[ReformLever]>, check: &mut Check) -> Option<Vec<UncertainLever>> {
    let before = check.problems.len();
    let Some(levers) = node.entries() else {
        let message = format!(
            "expected a table of levers (`[uncertainty.levers.NAME]`) of parameters and standard deviations, found {}",
            node.value.kind()
        );
        check.push(&node.pos, "uncertainty.levers", ProblemKind::WrongType, message);
        return None;
    };
    let mut out = Vec::new();
    for lever in levers {
        let lever_field = join("uncertainty.levers", &lever.key);
        let Some(parameters) = lever.node.entries() else {
            let message = format!(
                "expected a table of parameters and standard deviations (`[{lever_field}]`), found {}",
                lever.node.value.kind()
            );
            check.push(&lever.node.pos, &lever_field, ProblemKind::WrongType, message);
            continue;
        };
        if let Err(e) = crate::policy::registry::find(&lever.key) {
            let message = format!("{e}; `incomesim levers` lists them");
            check.push(&lever.key_pos, &lever_field, ProblemKind::UnknownField, message);
            continue;
        }
        for p in parameters {
            let field = join(&lever_field, &p.key);
            // `0.1`, `{ sd = 0.1 }` or `{ relative_sd = 0.25 }`.
            let (node, path, relative) = if p.node.entries().is_none() {
                (&p.node, field.clone(), false)
            } else {
                check.unknown_fields(&p.node, &field, &UNCERTAIN_LEVER_FIELDS, "field of a lever's uncertainty");
                match (p.node.get("sd"), p.node.get("relative_sd")) {
                    (Some(n), None) => (n, join(&field, "sd"), false),
                    (None, Some(n)) => (n, join(&field, "relative_sd"), true),
                    _ => {
                        let message =
                            "expected one of `sd` (in the parameter's unit) and `relative_sd` (a share of the value)";
                        check.push(&p.node.pos, &field, ProblemKind::InvalidValue, message);
                        continue;
                    }
                }
            };
            let expected = if relative {
                "a standard deviation as a share of the value, at least 0"
            } else {
                "a standard deviation in the parameter's unit, at least 0"
            };
            let Some(sd) = check.number(node, &path, |x| x >= 0.0, expected) else { continue };
            let spread = if relative { Spread::Relative(sd) } else { Spread::Absolute(sd) };
            let u = UncertainLever::new(lever.key.clone(), p.key.clone(), spread);
            // Without the reform (bad levers, already reported) the entry cannot be
            // checked against it.
            match reform.and_then(|r| u.problem(r)) {
                None => out.push(u),
                Some(problem @ UncertaintyProblem::UnknownParameter(_)) => {
                    check.push(&p.key_pos, &field, ProblemKind::UnknownField, problem.to_string());
                }
                Some(problem @ UncertaintyProblem::UnknownLever(_)) => {
                    check.push(&lever.key_pos, &lever_field, ProblemKind::UnknownField, problem.to_string());
                }
                Some(problem @ UncertaintyProblem::Invalid(_)) => {
                    check.push(&p.node.pos, &field, ProblemKind::InvalidValue, problem.to_string());
                }
            }
        }
    }
    out.sort_by(|a, b| (&a.lever, &a.parameter).cmp(&(&b.lever, &b.parameter)));
    (check.problems.len() == before).then_some(out)
}

/// Fields of a correlation.
const CORRELATION_FIELDS: [&str; 2] = ["between", "coefficient"];

/// Reads `[[uncertainty.correlations]]`: each `between` two uncertain values
/// (`assumptions.NAME`, `levers.LEVER.PARAMETER`) with a `coefficient` from −1 to 1;
/// then checks that they hold together ([`JointDraws::new`]).
fn correlations(
    node: &Node,
    uncertainty: &[Uncertain],
    lever_uncertainty: &[UncertainLever],
    check: &mut Check,
) -> Option<Vec<Correlation>> {
    let field = "uncertainty.correlations";
    let Value::Array(items) = &node.value else {
        let message = format!(
            "expected an array of tables (`[[uncertainty.correlations]]` with `between` and `coefficient`), found {}",
            node.value.kind()
        );
        check.push(&node.pos, field, ProblemKind::WrongType, message);
        return None;
    };
    let before = check.problems.len();
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("{field}[{i}]");
        if item.entries().is_none() {
            let message = format!("expected a table with `between` and `coefficient`, found {}", item.value.kind());
            check.push(&item.pos, &path, ProblemKind::WrongType, message);
            continue;
        }
        check.unknown_fields(item, &path, &CORRELATION_FIELDS, "field of a correlation");
        let expected_pair =
            "two uncertain values, like [\"assumptions.wage_growth_urban\", \"assumptions.wage_growth_rural\"]";
        let between = check.required(item, &path, "between", expected_pair).and_then(|n| {
            let between_path = join(&path, "between");
            match &n.value {
                Value::Array(pair) if pair.len() == 2 => {
                    let a = check.string(&pair[0], &format!("{between_path}[0]"), "the path of an uncertain value");
                    let b = check.string(&pair[1], &format!("{between_path}[1]"), "the path of an uncertain value");
                    a.zip(b)
                }
                other => {
                    let message = format!("expected {expected_pair}, found {}", other.brief());
                    check.push(&n.pos, &between_path, ProblemKind::InvalidValue, message);
                    None
                }
            }
        });
        let expected = "a correlation coefficient from -1 to 1";
        let coefficient = check
            .required(item, &path, "coefficient", expected)
            .and_then(|n| check.number(n, &join(&path, "coefficient"), |x| (-1.0..=1.0).contains(&x), expected));
        if let (Some((a, b)), Some(coefficient)) = (between, coefficient) {
            out.push(Correlation::new(a, b, coefficient));
        }
    }
    if check.problems.len() != before {
        return None;
    }
    let paths = crate::engine::projection::uncertain_paths(uncertainty, lever_uncertainty);
    if let Err(e) = JointDraws::new(&paths, &out) {
        let (pos, at) = match e.index() {
            Some(i) => (&items[i].pos, format!("{field}[{i}]")),
            None => (&node.pos, field.to_string()),
        };
        check.push(pos, &at, ProblemKind::InvalidValue, e.to_string());
        return None;
    }
    Some(out)
}

fn uncertainty(node: &Node, check: &mut Check) -> Option<Vec<Uncertain>> {
    let Some(entries) = node.entries() else {
        let message = format!("expected a table of standard deviations by assumption, found {}", node.value.kind());
        check.push(&node.pos, "uncertainty", ProblemKind::WrongType, message);
        return None;
    };
    let mut out = Vec::with_capacity(entries.len());
    let before = check.problems.len();
    for e in entries {
        let field = join("uncertainty", &e.key);
        // `[uncertainty.levers.NAME]`: the levers' parameters, read by `lever_uncertainty`;
        // `[[uncertainty.correlations]]`, read by `correlations`.
        if e.key == "levers" || e.key == "correlations" {
            continue;
        }
        if unknown_assumption(check, e, &field) {
            continue;
        }
        let Some(range) = assumption_range(&e.key) else { continue };
        let widest = range.widest_spread();
        let expected = format!("a standard deviation in the assumption's unit, from 0 to {widest}");
        let sd_in_range = |x: f64| (0.0..=widest).contains(&x);
        if e.node.entries().is_none() {
            if let Some(sd) = check.number(&e.node, &field, sd_in_range, &expected) {
                out.push(Uncertain::new(e.key.clone(), sd));
            }
            continue;
        }
        // `{ sd = 0.015, from = "2026-01" }`: uncertain from a month on.
        check.unknown_fields(&e.node, &field, &UNCERTAIN_FIELDS, "uncertainty field");
        let sd = check
            .required(&e.node, &field, "sd", &expected)
            .and_then(|n| check.number(n, &join(&field, "sd"), sd_in_range, &expected));
        let from_field = join(&field, "from");
        let from = match e.node.get("from") {
            None => Some(None),
            Some(n) => {
                let month = check.string(n, &from_field, "an effective month like \"2026-01\"");
                match month.as_deref().map(|m| (m, YearMonth::parse(m))) {
                    Some((_, Some(m))) => Some(Some(m)),
                    Some((m, None)) => {
                        let message = format!("`{m}` is not an effective month: expected one like 2026-01");
                        check.push(&n.pos, &from_field, ProblemKind::InvalidValue, message);
                        None
                    }
                    None => None,
                }
            }
        };
        if let (Some(sd), Some(from)) = (sd, from) {
            out.push(Uncertain { assumption: e.key.clone(), sd, from });
        }
    }
    // Name order: each assumption's index keys its random draws.
    out.sort_by(|a, b| a.assumption.cmp(&b.assumption));
    (check.problems.len() == before).then_some(out)
}
