//! A run killed at any moment (SIGKILL: no clean-up code runs) never leaves a partial
//! output file: every file under its final name is complete, byte for byte the file a
//! finished run writes, and what is left over is only a hidden temporary file.

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
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts")
}

/// Every file name in the output folders of a run, with its folder.
fn entries(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    for sub in ["out", "micro"] {
        if let Ok(list) = std::fs::read_dir(dir.join(sub)) {
            for e in list.flatten() {
                found.push((format!("{sub}/{}", e.file_name().to_string_lossy()), e.path()));
            }
        }
    }
    found.sort();
    found
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

    // Kill runs once they have started writing, a little later each time.
    let mut killed_mid_write = 0;
    let mut partial_runs = 0;
    for attempt in 0..8u64 {
        let dir = scratch(&format!("attempt-{attempt}"));
        let mut child = start(&scenario, &dir);
        let mut writing = false;
        loop {
            if child.try_wait().expect("polls").is_some() {
                break;
            }
            let now = entries(&dir);
            if !now.is_empty() {
                if !writing {
                    writing = true;
                    std::thread::sleep(Duration::from_millis(attempt * attempt * 8));
                    continue;
                }
                if now.iter().any(|(n, _)| is_temporary(n)) {
                    killed_mid_write += 1;
                }
                child.kill().expect("SIGKILL");
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let status = child.wait().expect("reaped");
        if !status.success() {
            partial_runs += 1;
        }

        for (name, path) in entries(&dir) {
            if is_temporary(&name) {
                continue;
            }
            let (_, complete) = reference
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap_or_else(|| panic!("attempt {attempt}: unexpected file {name}"));
            let got = std::fs::read(&path).expect("reads");
            let want = std::fs::read(complete).expect("reads");
            assert!(
                got == want,
                "attempt {attempt}: {name} is not the complete file ({} of {} bytes)",
                got.len(),
                want.len()
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(partial_runs > 0, "no run was killed before it finished");
    assert!(killed_mid_write > 0, "no run was killed while a file was being written");
    let _ = std::fs::remove_dir_all(&root);
    let _ = std::fs::remove_dir_all(&reference_dir);
}
