//! Mangled scenarios never panic: the built-in scenarios, as TOML and as JSON, with
//! numbers swapped for hostile ones (negative, zero, huge, NaN, infinite, out of the
//! integer range), spans deleted, stray syntax inserted, lines duplicated, or the text
//! cut short. Reading each one gives a scenario or a list of problems that each name a
//! position or a file; a scenario that reads is run on a small population and gives
//! results or an error, never a panic.

use incomesim::engine::projection::{Projection, YearResult};
use incomesim::scenario::{self, BUILTIN_SCENARIOS};
use proptest::prelude::*;

/// Numbers a mutation puts in place of a number of the text.
const HOSTILE_NUMBERS: &[&str] = &[
    "-1",
    "0",
    "-0.0",
    "1e309",
    "-1e309",
    "1e-320",
    "nan",
    "inf",
    "-inf",
    "99999999999999999999",
    "-9223372036854775809",
    "65536",
    "4294967296",
    "0.5",
    "1.0e6",
    "3",
    "3.4e38",
    "1e30",
    "1e15",
];

/// Fragments a mutation inserts.
const STRAY: &[&str] = &[
    "]",
    "[",
    "\"",
    "=",
    "{",
    "}",
    ",",
    ":",
    "\n[levers.unknown_lever]\nx = 1\n",
    "\n[[targets]]\n",
    "中",
    "\u{0}",
    "\\",
    "'",
    "\n",
    "#",
    "[[",
    "]]",
    "null",
    "true",
    "\"2022-13\"",
    "{ \"2022-01\" = -5 }",
];

/// One change to a text.
#[derive(Debug, Clone)]
enum Mutation {
    /// The `which`-th number of the text (modulo their count) becomes a hostile one.
    Number { which: usize, hostile: usize },
    /// Characters `[at, at + len)` (as fractions of the text, modulo its length) go.
    Delete { at: usize, len: usize },
    /// A stray fragment goes in at a character position.
    Insert { at: usize, stray: usize },
    /// A line appears twice.
    DuplicateLine { which: usize },
    /// The text ends at a character position.
    Truncate { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), 0..HOSTILE_NUMBERS.len()).prop_map(|(which, hostile)| Mutation::Number { which, hostile }),
        2 => (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        2 => (any::<usize>(), 0..STRAY.len()).prop_map(|(at, stray)| Mutation::Insert { at, stray }),
        1 => any::<usize>().prop_map(|which| Mutation::DuplicateLine { which }),
        1 => any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

/// Byte ranges of the numbers of a text: runs of digits with their sign, point and
/// exponent.
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts =
            bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric() && bytes[i - 1] != b'_');
        if !starts {
            i += 1;
            continue;
        }
        let start = if i > 0 && bytes[i - 1] == b'-' { i - 1 } else { i };
        let mut end = i;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || matches!(bytes[end], b'.' | b'e' | b'E' | b'_')) {
            end += 1;
        }
        spans.push((start, end));
        i = end;
    }
    spans
}

/// The byte offset of character `k` (modulo the character count plus one).
fn char_offset(text: &str, k: usize) -> usize {
    let count = text.chars().count() + 1;
    text.char_indices().map(|(o, _)| o).chain(std::iter::once(text.len())).nth(k % count).unwrap_or(text.len())
}

fn apply(text: &str, m: &Mutation) -> String {
    match *m {
        Mutation::Number { which, hostile } => {
            let spans = numbers(text);
            if spans.is_empty() {
                return text.to_string();
            }
            let (a, b) = spans[which % spans.len()];
            format!("{}{}{}", &text[..a], HOSTILE_NUMBERS[hostile], &text[b..])
        }
        Mutation::Delete { at, len } => {
            let a = char_offset(text, at);
            let b = text[a..].char_indices().nth(len).map_or(text.len(), |(o, _)| a + o);
            format!("{}{}", &text[..a], &text[b..])
        }
        Mutation::Insert { at, stray } => {
            let a = char_offset(text, at);
            format!("{}{}{}", &text[..a], STRAY[stray], &text[a..])
        }
        Mutation::DuplicateLine { which } => {
            let lines: Vec<&str> = text.lines().collect();
            let k = which % lines.len().max(1);
            let mut out = Vec::with_capacity(lines.len() + 1);
            for (i, line) in lines.iter().enumerate() {
                out.push(*line);
                if i == k {
                    out.push(*line);
                }
            }
            out.join("\n")
        }
        Mutation::Truncate { at } => text[..char_offset(text, at)].to_string(),
    }
}

/// The built-in scenarios that stand alone (no `base`), as TOML text.
fn standalone_toml() -> Vec<(&'static str, &'static str)> {
    BUILTIN_SCENARIOS
        .iter()
        .copied()
        .filter(|(_, text)| !text.lines().any(|l| l.trim_start().starts_with("base")))
        .collect()
}

/// A TOML scenario as JSON text (the same document).
fn as_json(toml_text: &str) -> String {
    let table: toml::Table = toml::from_str(toml_text).expect("a built-in scenario is valid TOML");
    serde_json::to_string_pretty(&table).expect("a TOML table converts to JSON")
}

/// Built-in scenario number `which` (modulo their count) as TOML or JSON text, with the
/// origin that names it.
fn builtin_text(which: usize, json: bool) -> (String, String) {
    let builtins = standalone_toml();
    let (name, toml_text) = builtins[which % builtins.len()];
    if json { (as_json(toml_text), format!("{name}.json")) } else { (toml_text.to_string(), format!("{name}.toml")) }
}

/// What reads and runs gives numbers: no infinity or NaN in a group that has
/// households, in any of `years`.
fn indicators_are_finite<'a>(years: impl Iterator<Item = &'a YearResult>, label: &str) -> Result<(), TestCaseError> {
    for y in years {
        let y = &y.indicators;
        for g in y.groups.iter().filter(|g| g.households > 0.0) {
            let m = &g.mean;
            let values = [m.disposable, m.wage, m.operating, m.property, m.net_transfer, g.gini, g.dibao_spending];
            prop_assert!(values.iter().all(|v| v.is_finite()), "{} {}: {:?}", label, y.year, values);
        }
    }
    Ok(())
}

/// Reads a mangled scenario; checks the problems name where they are; runs a scenario
/// that reads on a small population.
fn read_and_maybe_run(text: &str, origin: &str, run: bool) -> Result<(), TestCaseError> {
    match scenario::parse_str(text, origin) {
        Err(errors) => {
            prop_assert!(!errors.problems.is_empty(), "an error without problems");
            for p in &errors.problems {
                let shown = p.to_string();
                prop_assert!(
                    shown.starts_with(origin) || shown.contains(".toml") || shown.contains(".json"),
                    "{shown}"
                );
                prop_assert!(!p.message.trim().is_empty(), "a problem without a message: {shown}");
            }
        }
        Ok(mut s) if run => {
            // Small and short, so a mangled horizon or size does not make the test slow.
            if s.microdata.is_none() {
                s.households = 300;
            }
            s.last_year = s.last_year.min(s.profile.base_year + 2);
            s.replications = s.replications.min(2);
            s.shapley = false;
            if s.households <= 5_000
                && s.last_year > s.profile.base_year
                && let Ok(outcome) = Projection::new(&s).run()
            {
                indicators_are_finite(outcome.reform.years.iter().chain(&outcome.baseline.years), origin)?;
                for y in &outcome.reform.years {
                    for r in &y.ledger.records {
                        prop_assert!(
                            r.paid_to_households.is_finite() && r.fiscal_cost.is_finite(),
                            "{} {}: {} paid {} cost {}",
                            origin,
                            y.indicators.year,
                            r.lever,
                            r.paid_to_households,
                            r.fiscal_cost
                        );
                    }
                }
            }
        }
        Ok(_) => {}
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mangled_toml_and_json_scenarios_read_without_panicking(
        which in any::<usize>(),
        first in mutation(),
        second in proptest::option::of(mutation()),
        json in any::<bool>(),
    ) {
        let (text, origin) = builtin_text(which, json);
        let mut text = apply(&text, &first);
        if let Some(m) = &second {
            text = apply(&text, m);
        }
        read_and_maybe_run(&text, &origin, false)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn scenarios_with_a_hostile_number_that_read_also_run_without_panicking(
        which in any::<usize>(),
        number in any::<usize>(),
        hostile in 0..HOSTILE_NUMBERS.len(),
        json in any::<bool>(),
    ) {
        let (text, origin) = builtin_text(which, json);
        let text = apply(&text, &Mutation::Number { which: number, hostile });
        read_and_maybe_run(&text, &origin, true)?;
    }
}

#[test]
fn the_number_finder_finds_the_numbers_of_a_scenario() {
    let spans = numbers("households = 20000\nx = -1.5e3\nkey_2 = [1, 2]\n\"2022-01\" = 3");
    let found: Vec<&str> =
        spans.iter().map(|&(a, b)| &"households = 20000\nx = -1.5e3\nkey_2 = [1, 2]\n\"2022-01\" = 3"[a..b]).collect();
    assert_eq!(found, ["20000", "-1.5e3", "1", "2", "2022", "-01", "3"]);
}

#[test]
fn every_builtin_scenario_converts_to_json_that_reads_as_the_same_scenario() {
    for (name, text) in standalone_toml() {
        let from_toml = scenario::parse_str(text, &format!("{name}.toml")).expect("built-in TOML reads");
        let from_json = scenario::parse_str(&as_json(text), &format!("{name}.json")).expect("its JSON reads");
        assert_eq!(from_toml.fingerprint(), from_json.fingerprint(), "{name}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// A region profile (the built-in ones, which carry the published targets the
    /// population is calibrated to) with a hostile number: it is refused with an
    /// error naming the field, or it calibrates and projects a small population with
    /// finite results, or calibration reports it cannot reach a target; never a panic.
    #[test]
    fn profiles_with_a_hostile_number_are_refused_or_project_finite_results(
        which in any::<usize>(),
        number in any::<usize>(),
        hostile in 0..HOSTILE_NUMBERS.len(),
    ) {
        let ids = incomesim::region::builtin_ids();
        let id = ids[which % ids.len()];
        let text = incomesim::region::builtin_source(id).expect("built in");
        let text = apply(text, &Mutation::Number { which: number, hostile });
        let Ok(profile) = incomesim::region::Profile::from_toml_str(&text, &format!("{id}.toml"), None) else {
            return Ok(());
        };
        let mut s = incomesim::engine::projection::Scenario::baseline(profile);
        s.households = 300;
        s.last_year = s.profile.base_year + 2;
        if let Ok(outcome) = Projection::new(&s).run() {
            indicators_are_finite(outcome.reform.years.iter(), id)?;
        }
    }
}
