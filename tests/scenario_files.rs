//! Scenario files that load: the shipped scenarios, JSON, `base` variants and their
//! merge rules, and a microdata population source.

use std::path::{Path, PathBuf};

use incomesim::engine::{Projection, Scenario};
use incomesim::scenario::{self, BUILTIN_SCENARIOS};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("incomesim-scenario-files-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

#[test]
fn every_shipped_scenario_is_built_in_and_loads() {
    let mut stems: Vec<String> = std::fs::read_dir(root().join("scenarios"))
        .expect("scenarios/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
        .map(|p| p.file_stem().expect("stem").to_string_lossy().to_string())
        .collect();
    stems.sort();
    let mut builtin: Vec<String> = BUILTIN_SCENARIOS.iter().map(|(n, _)| n.to_string()).collect();
    builtin.sort();
    assert_eq!(stems, builtin, "every file of scenarios/ is embedded");
    for (name, _) in BUILTIN_SCENARIOS {
        let from_file = scenario::load(&root().join(format!("scenarios/{name}.toml"))).expect(name);
        let embedded = scenario::load_builtin(name).expect(name);
        assert_eq!(format!("{from_file:?}"), format!("{embedded:?}"), "{name}");
    }
    assert!(scenario::load_builtin("liupanshui-2023").is_err_and(|e| e.to_string().contains("liupanshui-2022")));
}

#[test]
fn the_default_scenario_keeps_its_levers_and_targets() {
    let s = Scenario::default_scenario().expect("embedded");
    let names: Vec<&str> = s.reform.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "dibao",
            "employment_transfers",
            "farm_productivity",
            "labour_transfer",
            "resident_pension_contribution_support",
            "skills_training",
            "start_up_support"
        ]
    );
    assert_eq!(s.targets.len(), 6);
    assert_eq!((s.households, s.seed, s.last_year, s.profile.base_year), (10_000, 7, 2024, 2021));
    assert!(s.microdata.is_none());
}

#[test]
fn the_no_training_variant_is_its_base_without_the_training_lever() {
    let base = scenario::load_builtin("liupanshui-2022").expect("base");
    let variant = scenario::load(&root().join("scenarios/liupanshui-2022-no-training.toml")).expect("variant");
    assert_ne!(variant.name, base.name);
    assert!(variant.reform.iter().all(|r| r.name != "skills_training"));
    assert_eq!(variant.reform.len(), base.reform.len() - 1);
    let kept: Vec<_> = base.reform.iter().filter(|r| r.name != "skills_training").cloned().collect();
    assert_eq!(variant.reform, kept);
    assert_eq!(variant.targets, base.targets);
    assert_eq!((variant.households, variant.seed, variant.last_year), (base.households, base.seed, base.last_year));
}

#[test]
fn the_dibao_variant_raises_the_threshold_and_the_dibao_paid() {
    let mut base = scenario::load_builtin("liupanshui-2022").expect("base");
    let mut variant = scenario::load_builtin("liupanshui-2022-dibao-750").expect("variant");
    let dibao = |s: &Scenario| s.reform.iter().find(|r| r.name == "dibao").expect("dibao").params.clone();
    assert_ne!(dibao(&variant), dibao(&base));
    let others = |s: &Scenario| s.reform.iter().filter(|r| r.name != "dibao").cloned().collect::<Vec<_>>();
    assert_eq!(others(&variant), others(&base));
    for s in [&mut base, &mut variant] {
        s.households = 3_000;
        s.shapley = false;
    }
    let spending = |s: &Scenario| {
        let outcome = Projection::new(s).run().expect("runs");
        outcome.reform.lookup(2024, "all", "dibao_spending").expect("dibao spending")
    };
    let (b, v) = (spending(&base), spending(&variant));
    assert!(v > b, "dibao spending 2024: variant {v} vs base {b}");
}

#[test]
fn json_gives_the_same_scenario_as_toml() {
    let text = std::fs::read_to_string(root().join("scenarios/liupanshui-2022.toml")).expect("reads");
    let value: toml::Value = toml::from_str(&text).expect("TOML");
    let json = serde_json::to_string_pretty(&value).expect("JSON");
    let dir = temp_dir("json");
    let path = dir.join("liupanshui.json");
    std::fs::write(&path, &json).expect("write");
    let from_json = scenario::load(&path).expect("JSON loads");
    let from_toml = scenario::load_builtin("liupanshui-2022").expect("TOML loads");
    assert_eq!(format!("{from_json:?}"), format!("{from_toml:?}"));
    // A problem in JSON has its line.
    let bad = json.replacen("\"households\": 10000", "\"households\": 0", 1);
    let line = bad.lines().position(|l| l.contains("\"households\": 0")).expect("line") as u32 + 1;
    std::fs::write(&path, &bad).expect("write");
    let errors = scenario::load(&path).expect_err("0 households");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(errors.problems.len(), 1, "{errors}");
    assert_eq!((errors.problems[0].field.as_str(), errors.problems[0].line), ("households", Some(line)));
}

#[test]
fn a_child_merges_lever_parameters_and_replaces_or_extends_targets() {
    let dir = temp_dir("merge");
    let base = "name = \"base\"\nregion = \"liupanshui-2021\"\nhouseholds = 1000\nlast_year = 2024\n\
                [assumptions]\nwage_growth_urban = 0.05\ncpi_inflation = 0.02\n\
                [levers.dibao]\nurban_threshold_per_month = 700\ntake_up_urban = 0.8\n\
                [levers.skills_training]\nplaces_per_year = 1000\n\
                [[targets]]\nname = \"t1\"\ngroup = \"all\"\nindicator = \"gini\"\nmeasure = \"level\"\nyear = 2024\n\
                value = 0.4\ncomparison = { kind = \"at_most\" }\n";
    std::fs::write(dir.join("base.toml"), base).expect("write");
    let target2 = "[[targets]]\nname = \"t2\"\ngroup = \"rural\"\nindicator = \"mean_disposable\"\n\
                   measure = \"growth\"\nfrom = 2021\nto = 2024\nvalue = 0.1\ncomparison = { kind = \"at_least\" }\n";
    let child = format!(
        "base = \"base.toml\"\nname = \"child\"\nseed = 9\n[assumptions]\ncpi_inflation = 0.03\n\
         [levers.dibao]\nurban_threshold_per_month = 750\n{target2}"
    );
    std::fs::write(dir.join("child.toml"), child).expect("write");
    let target3 = target2.replace("\"t2\"", "\"t3\"");
    std::fs::write(dir.join("extend.toml"), format!("base = \"child.toml\"\ntargets_extend = true\n{target3}"))
        .expect("write");
    // Appending a target of a name already used is refused, at the appended target's name.
    std::fs::write(dir.join("twice.toml"), format!("base = \"child.toml\"\ntargets_extend = true\n{target2}"))
        .expect("write");
    let b = scenario::load(&dir.join("base.toml")).expect("base");
    let c = scenario::load(&dir.join("child.toml")).expect("child");
    let e = scenario::load(&dir.join("extend.toml")).expect("grandchild");
    let twice = scenario::load(&dir.join("twice.toml")).expect_err("a second t2");
    let _ = std::fs::remove_dir_all(&dir);
    let problems = twice.problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field, "targets[1].name");
    assert!(problems[0].file.ends_with("twice.toml") && problems[0].line == Some(4), "{:?}", problems[0]);
    assert!(problems[0].message.contains("targets[0]"), "{}", problems[0].message);

    assert_eq!((c.name.as_str(), c.seed, c.households), ("child", 9, 1000));
    let dibao = c.reform.iter().find(|r| r.name == "dibao").expect("dibao");
    assert_eq!(dibao.params.get("urban_threshold_per_month").and_then(|v| v.as_integer()), Some(750));
    assert_eq!(dibao.params.get("take_up_urban").and_then(|v| v.as_float()), Some(0.8), "kept from the base");
    assert_eq!(c.reform.len(), 2, "skills_training kept");
    // Assumptions merge per key.
    let y = incomesim::policy::YearMonth::start_of(2023);
    assert_eq!(*c.dynamics.cpi_inflation.at(y), 0.03);
    assert_eq!(*c.dynamics.wage_growth[0].at(y), 0.05);
    assert_eq!(*b.dynamics.cpi_inflation.at(y), 0.02);
    // The child's targets replace the base's; targets_extend appends.
    assert_eq!(c.targets.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), vec!["t2"]);
    assert_eq!(e.targets.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), vec!["t2", "t3"]);
    assert_eq!(e.name, "child", "the name is inherited");
}

#[test]
fn base_only_fields_need_a_base() {
    let text = "name = \"x\"\nregion = \"liupanshui-2021\"\nlast_year = 2024\ntargets_extend = true\n";
    let errors = scenario::parse_str(text, "x.toml").expect_err("no base");
    assert_eq!(errors.problems[0].field, "targets_extend");
    assert_eq!(errors.problems[0].line, Some(4));
}

#[test]
fn a_scenario_can_start_from_household_microdata() {
    let data = root().join("tests/data/microdata/valid");
    let dir = temp_dir("microdata");
    // A folder relative to the scenario file (not to the working directory).
    std::fs::create_dir_all(dir.join("survey")).expect("dir");
    for f in ["households.csv", "persons.csv"] {
        std::fs::copy(data.join(f), dir.join("survey").join(f)).expect("copy");
    }
    let text =
        "name = \"survey\"\nregion = \"liupanshui-2021\"\nmicrodata = \"survey\"\nlast_year = 2022\nshapley = false\n";
    std::fs::write(dir.join("survey.toml"), text).expect("write");
    let s = scenario::load(&dir.join("survey.toml")).expect("loads");
    let files = s.microdata.clone().expect("microdata");
    assert_eq!(files.households, dir.join("survey").join("households.csv"));
    assert_eq!(s.households, 6, "the households of the file");
    let weights: f64 = std::fs::read_to_string(data.join("households.csv"))
        .expect("csv")
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).expect("weight").parse::<f64>().expect("number"))
        .sum();
    let outcome = Projection::new(&s).run().expect("runs on the microdata");
    let households = outcome.reform.lookup(2021, "all", "households").expect("households");
    assert!((households - weights).abs() < 1e-3 * weights, "{households} vs {weights}");

    // households together with microdata is a problem; so is a missing folder.
    std::fs::write(dir.join("both.toml"), text.replace("last_year", "households = 100\nlast_year")).expect("write");
    let errors = scenario::load(&dir.join("both.toml")).expect_err("both");
    assert_eq!(errors.problems[0].field, "households");
    std::fs::write(dir.join("missing.toml"), text.replace("\"survey\"\nlast", "\"no/such/folder\"\nlast"))
        .expect("write");
    let errors = scenario::load(&dir.join("missing.toml")).expect_err("missing");
    assert_eq!((errors.problems[0].field.as_str(), errors.problems[0].line), ("microdata", Some(3)));
    // A child that sets microdata replaces the households of its base.
    std::fs::write(dir.join("child.toml"), "base = \"liupanshui-2022\"\nmicrodata = \"survey\"\n").expect("write");
    let child = scenario::load(&dir.join("child.toml")).expect("child");
    assert_eq!((child.households, child.microdata.is_some()), (6, true));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn target_indicator_names_match_what_a_projection_reports() {
    let mut s = scenario::load_builtin("liupanshui-2022").expect("base");
    s.households = 1_500;
    s.shapley = false;
    s.reform.clear();
    let outcome = Projection::new(&s).run().expect("runs");
    let labels: Vec<String> = vec!["dibao".into(), "6000".into(), "10000".into()];
    let known = scenario::indicator_names(&labels);
    let mut reported: Vec<String> =
        outcome.reform.years.iter().flat_map(|y| y.indicators.rows()).map(|r| r.indicator).collect();
    reported.sort();
    reported.dedup();
    for name in &reported {
        assert!(known.contains(name), "{name} is reported but a target cannot name it");
    }
    for name in &known {
        assert!(reported.contains(name), "{name} is accepted in targets but never reported");
    }
}

#[test]
fn the_examples_of_the_documentation_load() {
    let doc = std::fs::read_to_string(root().join("docs/scenario.md")).expect("docs/scenario.md");
    let mut loaded = 0;
    for (fence, origin) in [("```toml\n", "docs example.toml"), ("```json\n", "docs example.json")] {
        for block in doc.split(fence).skip(1) {
            let text = block.split("```").next().expect("a closed block");
            let s = scenario::parse_str(text, origin).unwrap_or_else(|e| panic!("{e}\nin:\n{text}"));
            assert!(!s.name.is_empty());
            loaded += 1;
        }
    }
    assert_eq!(
        loaded, 8,
        "the annotated example, two variants, the re-weighting, the uncertain lever parameters, two correlations \
         and the JSON example"
    );
}

#[test]
fn the_fingerprint_covers_the_base_a_child_names_and_nothing_else() {
    let dir = temp_dir("fingerprint");
    let base = |threshold: u32| {
        format!(
            "name = \"base\"\nregion = \"liupanshui-2021\"\nhouseholds = 1000\nlast_year = 2024\n\
             [levers.dibao]\nurban_threshold_per_month = {threshold}\n"
        )
    };
    let child = "base = \"base.toml\"\nname = \"child\"\nseed = 9\n";
    std::fs::write(dir.join("child.toml"), child).expect("write");
    std::fs::write(dir.join("base.toml"), base(700)).expect("write");
    let first = scenario::load(&dir.join("child.toml")).expect("child");
    let again = scenario::load(&dir.join("child.toml")).expect("child");
    assert_eq!(first.fingerprint(), again.fingerprint(), "the same files, the same fingerprint");
    // The child's bytes do not change; its base does: the run does, and so does the fingerprint.
    std::fs::write(dir.join("base.toml"), base(750)).expect("write");
    let changed = scenario::load(&dir.join("child.toml")).expect("child");
    assert_eq!(std::fs::read_to_string(dir.join("child.toml")).expect("read"), child);
    assert_ne!(first.fingerprint(), changed.fingerprint());
    // An override applied after loading (as `--households` does) changes it too.
    let mut bigger = first.clone();
    bigger.households += 1;
    assert_ne!(first.fingerprint(), bigger.fingerprint());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `operating_growth` sets the urban and the rural series; `operating_growth_rural` beside
/// it wins for rural households whichever comes first in the file; the defaults are the
/// published urban and rural parts, not the national one.
#[test]
fn a_part_growth_for_both_residences_and_one_for_each() {
    let y = incomesim::policy::YearMonth::start_of(2023);
    let load = |assumptions: &str| {
        let text = format!(
            "name = \"t\"\nregion = \"national-2022\"\nhouseholds = 100\nlast_year = 2024\n[assumptions]\n{assumptions}"
        );
        Scenario::from_toml_str(&text, "t.toml").expect("loads")
    };
    for text in [
        "operating_growth = 0.05\noperating_growth_rural = 0.08\n",
        "operating_growth_rural = 0.08\noperating_growth = 0.05\n",
    ] {
        let s = load(text);
        let [urban, rural] = &s.dynamics.operating_growth;
        assert_eq!((*urban.at(y), *rural.at(y)), (0.05, 0.08), "{text}");
    }
    let s = load("property_growth = 0.04\n");
    assert!(s.dynamics.property_growth.iter().all(|g| *g.at(y) == 0.04));
    // Defaults: the published parts' growth in 2023 (data/published/national_income.csv:
    // urban property income 5,238 to 5,392, rural 509 to 540; the national part grew
    // 3,227 to 3,362).
    let d = load("");
    for (r, want) in [(0, 5_392.0 / 5_238.0 - 1.0), (1, 540.0 / 509.0 - 1.0)] {
        assert!(
            (d.dynamics.property_growth[r].at(y) - want).abs() < 1e-12,
            "{r}: {}",
            d.dynamics.property_growth[r].at(y)
        );
    }
    // A residence's own assumption is out of range like any other.
    let bad = Scenario::from_toml_str(
        "name = \"t\"\nregion = \"national-2022\"\n[assumptions]\nproperty_growth_urban = 3\n",
        "t.toml",
    )
    .expect_err("out of range");
    assert!(bad.to_string().contains("assumptions.property_growth_urban"), "{bad}");
}
