//! Every bad scenario of `tests/scenarios/bad/` fails `incomesim check` and
//! `incomesim run` with exit code 2 and a message naming the file, the line and the
//! field; none panics.
//!
//! Each file states what is expected on its first line (for JSON, in `NAME.json.expect`):
//! `# expect: FIELD-OR-TEXT; line: N` and, when the problem is in a base file,
//! `; file: BASE-FILE-NAME`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bad_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/bad")
}

/// The bad scenario files, sorted.
fn bad_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(bad_dir())
        .expect("tests/scenarios/bad exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
        .collect();
    files.sort();
    files
}

/// What a bad file expects: the text the message must contain, the line, and the file
/// the problem is in.
#[derive(Debug)]
struct Expectation {
    needle: String,
    line: u32,
    file: String,
}

fn expectation(path: &Path) -> Expectation {
    let header = if path.extension().is_some_and(|e| e == "json") {
        let mut expect = path.as_os_str().to_owned();
        expect.push(".expect");
        std::fs::read_to_string(PathBuf::from(expect)).expect("a JSON bad file has a .expect file")
    } else {
        std::fs::read_to_string(path).expect("reads")
    };
    let first = header.lines().next().expect("a first line");
    let spec =
        first.strip_prefix("# expect: ").unwrap_or_else(|| panic!("{}: first line is `# expect: ...`", path.display()));
    let mut parts = spec.split("; ");
    let needle = parts.next().expect("needle").to_string();
    let mut line = None;
    let mut file = path.file_name().expect("name").to_string_lossy().to_string();
    for part in parts {
        if let Some(l) = part.strip_prefix("line: ") {
            line = Some(l.parse().expect("a line number"));
        } else if let Some(f) = part.strip_prefix("file: ") {
            file = f.to_string();
        } else {
            panic!("{}: unknown part `{part}`", path.display());
        }
    }
    Expectation { needle, line: line.unwrap_or_else(|| panic!("{}: no line", path.display())), file }
}

fn incomesim(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_incomesim")).args(args).output().expect("runs")
}

#[test]
fn there_are_enough_bad_scenarios() {
    let files = bad_files();
    assert!(files.len() >= 20, "only {} bad scenarios", files.len());
    assert!(files.iter().any(|f| f.extension().is_some_and(|e| e == "json")), "a JSON case");
}

#[test]
fn every_bad_scenario_fails_check_and_run_with_file_line_and_field() {
    let out_dir = std::env::temp_dir().join(format!("incomesim-bad-scenarios-{}", std::process::id()));
    let mut failures = Vec::new();
    for path in bad_files() {
        let expected = expectation(&path);
        let file = path.to_str().expect("utf-8 path");
        let located = format!("{}:{}:", expected.file, expected.line);
        let runs =
            [vec!["check", file], vec!["run", file, "--households", "500", "--out", out_dir.to_str().expect("utf-8")]];
        for args in runs {
            let out = incomesim(&args);
            let err = String::from_utf8_lossy(&out.stderr);
            let name = path.file_name().expect("name").to_string_lossy();
            if out.status.code() != Some(2) {
                failures.push(format!("{name} ({}): exit {:?}, expected 2\n{err}", args[0], out.status.code()));
            }
            if err.contains("panicked") {
                failures.push(format!("{name} ({}): panicked\n{err}", args[0]));
            }
            if !err.contains(&expected.needle) {
                failures.push(format!("{name} ({}): `{}` missing from\n{err}", args[0], expected.needle));
            }
            if !err.contains(&located) {
                failures.push(format!("{name} ({}): `{located}` missing from\n{err}", args[0]));
            }
        }
    }
    assert!(!out_dir.exists(), "a failed run wrote output");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn three_independent_problems_are_all_reported() {
    let path = bad_dir().join("three_problems.toml");
    let errors = incomesim::scenario::load(&path).expect_err("invalid");
    let found: Vec<(String, Option<u32>)> = errors.problems.iter().map(|p| (p.field.clone(), p.line)).collect();
    assert_eq!(
        found,
        vec![
            ("replications".to_string(), Some(5)),
            ("seeed".to_string(), Some(6)),
            ("levers.farm_productivity.grain_growth".to_string(), Some(9)),
        ]
    );
    assert!(errors.problems[1].message.contains("did you mean `seed`"));
    let out = incomesim(&["check", path.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("3 problem(s)"), "{err}");
    for line in ["three_problems.toml:5:", "three_problems.toml:6:", "three_problems.toml:9:"] {
        assert!(err.contains(line), "{line} missing from {err}");
    }
}

#[test]
fn every_problem_of_one_lever_is_reported() {
    let text = "name = \"x\"\nregion = \"liupanshui-2021\"\nlast_year = 2024\n[levers.dibao]\n\
                urban_threshold_per_month = -1\nrural_threshold_per_month = \"a lot\"\ntake_up_urban = 2\nfoo = 1\n";
    let errors = incomesim::scenario::parse_str(text, "levers.toml").expect_err("invalid");
    let mut fields: Vec<&str> = errors.problems.iter().map(|p| p.field.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        vec![
            "levers.dibao.foo",
            "levers.dibao.rural_threshold_per_month",
            "levers.dibao.take_up_urban",
            "levers.dibao.urban_threshold_per_month"
        ],
        "{errors}"
    );
    let lines: Vec<Option<u32>> = errors.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![Some(5), Some(6), Some(7), Some(8)]);
}

#[test]
fn a_base_cycle_through_two_files_is_detected() {
    let dir = std::env::temp_dir().join(format!("incomesim-base-cycle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("a.toml"), "base = \"b.toml\"\nname = \"a\"\n").expect("write");
    std::fs::write(dir.join("b.toml"), "# b\nbase = \"a.toml\"\nname = \"b\"\n").expect("write");
    let errors = incomesim::scenario::load(&dir.join("a.toml")).expect_err("a cycle");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(errors.problems.len(), 1, "{errors}");
    let p = &errors.problems[0];
    assert_eq!((p.field.as_str(), p.line), ("base", Some(2)), "{errors}");
    assert!(p.file.ends_with("b.toml") && p.message.contains("extends itself"), "{errors}");
}
