//! Every example in `examples/` runs and prints something.

use std::path::PathBuf;
use std::process::Command;

fn examples_dir() -> PathBuf {
    // The test binary lives in target/<profile>/deps; examples in target/<profile>/examples.
    let exe = std::env::current_exe().expect("test binary path");
    exe.parent().and_then(|p| p.parent()).expect("target profile dir").join("examples")
}

fn run(name: &str, args: &[&str]) -> String {
    let path = examples_dir().join(name);
    if !path.exists() {
        // `cargo test` builds the examples; a filtered run (`--test examples`) does not.
        let status = Command::new(env!("CARGO"))
            .args(["build", "--examples"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the examples failed");
    }
    let out = Command::new(&path).args(args).output().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(out.status.success(), "{name} failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.lines().count() > 3, "{name} printed too little:\n{text}");
    text
}

#[test]
fn every_example_runs() {
    let listed: Vec<String> = std::fs::read_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples"))
        .expect("examples dir")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.path().file_stem().map(|s| s.to_string_lossy().to_string()))
        .collect();
    for name in &listed {
        let args: &[&str] = match name.as_str() {
            "calibrate_region" => &["liupanshui-2021", "20000"],
            _ => &[],
        };
        let text = run(name, args);
        println!("{name}:\n{text}");
    }
    assert!(listed.len() >= 2);
}
