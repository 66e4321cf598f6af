//! A run killed at any moment (SIGKILL: no clean-up code runs) never leaves a partial
//! output file: every file under its final name is complete, byte for byte the file a
//! finished run writes, and what is left over is only a hidden temporary file, which
//! the next run into the folder removes.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A scenario that runs quickly but writes large microdata files.
const SCENARIO: &str = r#"
name = "kill test"
region = "liupanshui-2021"
households = 20000
seed = 11
last_year = 2022
shapley = false
[levers.dibao]
disregard_basic_pension = true
"#;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("incomesim-kill-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Starts `incomesim run` writing its files to `dir/out` and its microdata to `dir/micro`.
fn start(scenario: &Path, dir: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_incomesim"))
        .arg("run")
        .arg(scenario)
        .arg("--out")
        .arg(dir.join("out"))
        .arg("--microdata")
        .arg(dir.join("micro"))
        // A fixed run date: the report of every run is then byte for byte the reference's,
        // even when the runs fall in different minutes.
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts")
}

/// Every file name in the output folders of a run, with its folder.
fn entries(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    for sub in ["out", "micro"] {
        files_under(&dir.join(sub), sub, &mut found);
    }
    found.sort();
    found
}

/// The files under `dir` (subfolders such as `out/charts` included), named from `prefix`.
fn files_under(dir: &Path, prefix: &str, found: &mut Vec<(String, PathBuf)>) {
    let Ok(list) = std::fs::read_dir(dir) else { return };
    for e in list.flatten() {
        let name = format!("{prefix}/{}", e.file_name().to_string_lossy());
        if e.path().is_dir() {
            files_under(&e.path(), &name, found);
        } else {
            found.push((name, e.path()));
        }
    }
}

fn is_temporary(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.starts_with('.') && file.ends_with(".tmp")
}

#[test]
fn a_killed_run_leaves_only_complete_files() {
    let root = scratch("root");
    let scenario = root.join("scenario.toml");
    std::fs::write(&scenario, SCENARIO).expect("scenario");

    // A finished run: the complete files.
    let reference_dir = scratch("reference");
    let status = start(&scenario, &reference_dir).wait().expect("waits");
    assert!(status.success());
    let reference = entries(&reference_dir);
    let names: Vec<&str> = reference.iter().map(|(n, _)| n.as_str()).collect();
    for expected in ["micro/households.csv", "micro/persons.csv", "out/indicators.csv", "out/summary.json"] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    assert!(!names.iter().any(|n| is_temporary(n)), "a finished run leaves no temporary file: {names:?}");

    // Kill runs at moments of the writing, from the first temporary file to the last
    // output file: each moment is a state of the folders, polled every millisecond.
    type Moment = fn(&[String]) -> bool;
    let finals = |names: &[String], sub: &str| names.iter().filter(|n| n.starts_with(sub) && !is_temporary(n)).count();
    let moments: [(&str, Moment); 9] = [
        ("the first temporary file", |n| !n.is_empty()),
        ("the first microdata file in place", |n| n.iter().any(|x| x.starts_with("micro/") && !is_temporary(x))),
        ("both microdata files in place", |n| {
            n.iter().filter(|x| x.starts_with("micro/") && !is_temporary(x)).count() == 2
        }),
        ("the first output file begun", |n| n.iter().any(|x| x.starts_with("out/"))),
        ("one output file in place", |n| n.iter().filter(|x| x.starts_with("out/") && !is_temporary(x)).count() >= 1),
        ("two output files in place", |n| n.iter().filter(|x| x.starts_with("out/") && !is_temporary(x)).count() >= 2),
        ("three output files in place", |n| {
            n.iter().filter(|x| x.starts_with("out/") && !is_temporary(x)).count() >= 3
        }),
        ("four output files in place", |n| n.iter().filter(|x| x.starts_with("out/") && !is_temporary(x)).count() >= 4),
        ("a temporary output file", |n| n.iter().any(|x| x.starts_with("out/") && is_temporary(x))),
    ];
    let mut killed_mid_write = 0;
    let mut partial_runs = 0;
    let mut rerun_cleaned = false;
    for (attempt, (moment, reached)) in moments.iter().enumerate() {
        let dir = scratch(&format!("attempt-{attempt}"));
        let mut child = start(&scenario, &dir);
        while child.try_wait().expect("polls").is_none() {
            let names: Vec<String> = entries(&dir).into_iter().map(|(n, _)| n).collect();
            if reached(&names) {
                child.kill().expect("SIGKILL");
                if names.iter().any(|n| is_temporary(n)) {
                    killed_mid_write += 1;
                }
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let status = child.wait().expect("reaped");
        partial_runs += usize::from(!status.success());
        let left: Vec<String> = entries(&dir).into_iter().map(|(n, _)| n).collect();
        println!(
            "killed at {moment}: {status}, left {left:?} ({} of {} final files)",
            finals(&left, "out/") + finals(&left, "micro/"),
            reference.len()
        );

        for (name, path) in entries(&dir) {
            if is_temporary(&name) {
                continue;
            }
            let (_, complete) = reference
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap_or_else(|| panic!("killed at {moment}: unexpected file {name}"));
            let got = std::fs::read(&path).expect("reads");
            let want = std::fs::read(complete).expect("reads");
            assert!(
                got == want,
                "killed at {moment}: {name} is not the complete file ({} of {} bytes)",
                got.len(),
                want.len()
            );
        }
        // The first folder a kill left a temporary file in is run into again: the new
        // run removes the dead run's temporary files and writes the complete set.
        if left.iter().any(|n| is_temporary(n)) && !rerun_cleaned {
            assert!(start(&scenario, &dir).wait().expect("waits").success());
            let after = entries(&dir);
            let names: Vec<&str> = after.iter().map(|(n, _)| n.as_str()).collect();
            assert!(!names.iter().any(|n| is_temporary(n)), "a rerun leaves no temporary file: {names:?}");
            assert_eq!(after.len(), reference.len(), "a rerun writes every file: {names:?}");
            for (name, path) in &after {
                let (_, complete) = reference.iter().find(|(n, _)| n == name).expect("a reference file");
                assert!(std::fs::read(path).expect("reads") == std::fs::read(complete).expect("reads"), "{name}");
            }
            rerun_cleaned = true;
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(rerun_cleaned, "no kill left a temporary file to clean up");
    assert!(partial_runs > 0, "no run was killed before it finished");
    assert!(killed_mid_write > 0, "no run was killed while a file was being written");
    let _ = std::fs::remove_dir_all(&root);
    let _ = std::fs::remove_dir_all(&reference_dir);
}
