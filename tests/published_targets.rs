//! Every value a built-in profile marks `published` must be the figure in `data/published/`.
//!
//! A published value's `source` ends with a reference in square brackets:
//! `[national_income.csv: year=2022, group=urban, column=wage]`. Keys other than `column`,
//! `factor` and `divide` select exactly one row by exact match; `column` names the column
//! (`a..b` for a run of columns, for list values); `factor` multiplies and `divide` divides the
//! file's figure before comparing. A published value without such a reference cites a
//! publication that is not in our files: its source must then name that publication.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use incomesim::region::{Profile, builtin_ids};

/// One `[file: key=value, ...]` reference parsed from a source string.
#[derive(Debug)]
struct Reference {
    file: String,
    filters: Vec<(String, String)>,
    column: String,
    factor: f64,
    divide: f64,
}

fn published_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join("published")
}

/// The bracketed reference at the end of a source, if any.
fn parse_reference(source: &str) -> Option<Result<Reference, String>> {
    let start = source.rfind('[')?;
    let end = source[start..].find(']')? + start;
    let inner = &source[start + 1..end];
    let (file, rest) = inner.split_once(':')?;
    let file = file.trim();
    if !file.ends_with(".csv") {
        return None;
    }
    let mut r =
        Reference { file: file.to_string(), filters: Vec::new(), column: String::new(), factor: 1.0, divide: 1.0 };
    for part in rest.split(',') {
        let Some((k, v)) = part.split_once('=') else {
            return Some(Err(format!("'{part}' is not key=value in {inner}")));
        };
        let (k, v) = (k.trim(), v.trim());
        match k {
            "column" => r.column = v.to_string(),
            "factor" => match v.parse() {
                Ok(x) => r.factor = x,
                Err(_) => return Some(Err(format!("bad factor {v}"))),
            },
            "divide" => match v.parse() {
                Ok(x) => r.divide = x,
                Err(_) => return Some(Err(format!("bad divide {v}"))),
            },
            _ => r.filters.push((k.to_string(), v.to_string())),
        }
    }
    if r.column.is_empty() {
        r.column = "value".into();
    }
    Some(Ok(r))
}

/// A CSV file as header plus rows.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn load_table(cache: &mut BTreeMap<String, Table>, file: &str) -> Result<(), String> {
    if cache.contains_key(file) {
        return Ok(());
    }
    let path = published_dir().join(file);
    let mut rdr = csv::Reader::from_path(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let header = rdr.headers().map_err(|e| e.to_string())?.iter().map(str::to_string).collect();
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| format!("{file}: {e}"))?;
        rows.push(rec.iter().map(str::to_string).collect());
    }
    cache.insert(file.to_string(), Table { header, rows });
    Ok(())
}

/// The figures a reference points at (one, or several for a column range).
fn lookup(cache: &mut BTreeMap<String, Table>, r: &Reference) -> Result<Vec<f64>, String> {
    load_table(cache, &r.file)?;
    let t = &cache[&r.file];
    let col =
        |name: &str| t.header.iter().position(|h| h == name).ok_or_else(|| format!("{}: no column {name}", r.file));
    let cols: Vec<usize> = match r.column.split_once("..") {
        Some((a, b)) => {
            let (a, b) = (col(a)?, col(b)?);
            if a > b {
                return Err(format!("{}: column range {} runs backwards", r.file, r.column));
            }
            (a..=b).collect()
        }
        None => vec![col(&r.column)?],
    };
    let mut filters = Vec::new();
    for (k, v) in &r.filters {
        filters.push((col(k)?, v.as_str()));
    }
    let matching: Vec<&Vec<String>> =
        t.rows.iter().filter(|row| filters.iter().all(|(i, v)| row.get(*i).map(String::as_str) == Some(*v))).collect();
    if matching.len() != 1 {
        return Err(format!("{}: {:?} selects {} rows, not one", r.file, r.filters, matching.len()));
    }
    cols.iter()
        .map(|i| {
            let cell = &matching[0][*i];
            cell.parse::<f64>()
                .map(|x| x * r.factor / r.divide)
                .map_err(|_| format!("{}: '{cell}' in column {} is not a number", r.file, t.header[*i]))
        })
        .collect()
}

/// Every `(path, value, status, source)` leaf of a profile.
fn sourced_leaves(p: &Profile) -> Vec<(String, toml::Value, String, String)> {
    fn walk(v: &toml::Value, path: String, out: &mut Vec<(String, toml::Value, String, String)>) {
        match v {
            toml::Value::Table(t) => {
                if let (Some(value), Some(status)) = (t.get("value"), t.get("status").and_then(|s| s.as_str())) {
                    let source = t.get("source").and_then(|s| s.as_str()).unwrap_or("").to_string();
                    out.push((path, value.clone(), status.to_string(), source));
                    return;
                }
                for (k, x) in t {
                    let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                    walk(x, p, out);
                }
            }
            toml::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, format!("{path}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let v = toml::Value::try_from(p).expect("profile serialises");
    walk(&v, String::new(), &mut out);
    out
}

fn numbers(v: &toml::Value) -> Option<Vec<f64>> {
    match v {
        toml::Value::Float(x) => Some(vec![*x]),
        toml::Value::Integer(i) => Some(vec![*i as f64]),
        toml::Value::Array(a) => a.iter().map(|x| numbers(x).and_then(|v| v.first().copied())).collect(),
        _ => None,
    }
}

/// Words that show a source names a publication (for published values outside our files).
const PUBLICATION_WORDS: &[&str] = &[
    "survey",
    "bulletin",
    "communiqué",
    "census",
    "yearbook",
    "release",
    "notice",
    "announcement",
    "plan",
    "statistics",
    "〔",
    "report",
];

const PUBLISHED_FILES: &[&str] = &[
    "national_income.csv",
    "national_quintiles.csv",
    "dibao_national.csv",
    "pensions.csv",
    "demography.csv",
    "migrant_workers.csv",
    "prices.csv",
    "local.csv",
    "lever_parameters.csv",
];

/// A built-in scenario's target whose source cites one figure of our files (a
/// reference that selects one row) has that figure as its value: the outlook's checks
/// against the published means.
#[test]
fn targets_citing_a_published_figure_have_its_value() {
    let mut cache = BTreeMap::new();
    let mut checked = 0;
    for (name, _) in incomesim::scenario::BUILTIN_SCENARIOS {
        let s = incomesim::scenario::load_builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        for t in &s.targets {
            let Some(Ok(r)) = parse_reference(&t.source) else { continue };
            // A reference to several rows (a ratio of two figures) is not one figure.
            let Ok(want) = lookup(&mut cache, &r) else { continue };
            assert_eq!(want, vec![t.value], "{name}: target `{}`", t.name);
            checked += 1;
        }
    }
    assert!(checked >= 4, "the outlook's four published means: {checked} checked");
}

#[test]
fn published_values_match_the_published_files() {
    let mut cache = BTreeMap::new();
    let mut problems = Vec::new();
    let mut checked = 0;
    for id in builtin_ids() {
        let p = Profile::builtin(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        for (path, value, status, source) in sourced_leaves(&p) {
            if status != "published" {
                continue;
            }
            let here = format!("{id}: {path}");
            match parse_reference(&source) {
                Some(Ok(r)) => {
                    let Some(have) = numbers(&value) else {
                        problems.push(format!("{here}: value is not a number or list of numbers"));
                        continue;
                    };
                    match lookup(&mut cache, &r) {
                        Ok(want) => {
                            let same = have.len() == want.len()
                                && have.iter().zip(&want).all(|(a, b)| (a - b).abs() <= 1e-9 * b.abs().max(1.0));
                            if same {
                                checked += 1;
                            } else {
                                problems.push(format!("{here}: profile has {have:?}, {} has {want:?}", r.file));
                            }
                        }
                        Err(e) => problems.push(format!("{here}: {e}")),
                    }
                }
                Some(Err(e)) => problems.push(format!("{here}: bad reference: {e}")),
                None => {
                    if let Some(f) = PUBLISHED_FILES.iter().find(|f| source.contains(*f)) {
                        problems.push(format!("{here}: cites {f} but has no [file: ...] reference"));
                    } else if source.trim().is_empty() {
                        problems.push(format!("{here}: published value with an empty source"));
                    } else if !PUBLICATION_WORDS.iter().any(|w| source.to_lowercase().contains(w)) {
                        problems.push(format!("{here}: published value whose source names no publication: {source}"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    assert!(checked > 40, "only {checked} published values were checked against the files");
}

#[test]
fn references_parse() {
    let r = parse_reference("NBS 2022 [national_income.csv: year=2022, group=urban, column=wage]")
        .expect("a reference")
        .expect("well formed");
    assert_eq!(r.file, "national_income.csv");
    assert_eq!(r.column, "wage");
    assert_eq!(r.filters.len(), 2);
    assert!(parse_reference("no reference here").is_none());
    assert!(parse_reference("a note [not a file]").is_none());
    let mut cache = BTreeMap::new();
    let q = parse_reference("[national_quintiles.csv: year=2015, group=rural, column=q1_low..q5_high]")
        .expect("a reference")
        .expect("well formed");
    assert_eq!(lookup(&mut cache, &q).expect("found"), vec![3086.0, 7221.0, 10311.0, 14537.0, 26014.0]);
    let d =
        parse_reference("[dibao_national.csv: reference_date=2023-01, column=rural_standard_yuan_per_year, divide=12]")
            .expect("a reference")
            .expect("well formed");
    assert_eq!(lookup(&mut cache, &d).expect("found"), vec![582.0]);
}

#[test]
fn every_published_file_is_documented() {
    let readme = std::fs::read_to_string(published_dir().join("README.md")).expect("README");
    for f in PUBLISHED_FILES {
        assert!(readme.contains(f), "data/published/README.md does not describe {f}");
        assert!(published_dir().join(f).exists(), "{f} missing");
    }
}

/// The `(effective, value)` rows of one kind of `pensions.csv`, in file order.
fn pension_rows(kind: &str) -> Vec<(String, f64)> {
    let text = std::fs::read_to_string(published_dir().join("pensions.csv")).expect("pensions.csv");
    text.lines()
        .filter_map(|l| l.strip_prefix(kind).and_then(|rest| rest.strip_prefix(',')))
        .map(|rest| {
            let mut f = rest.split(',');
            let effective = f.next().expect("effective").to_string();
            (effective, f.next().and_then(|v| v.parse().ok()).expect("value"))
        })
        .collect()
}

#[test]
fn the_national_retiree_adjustments_are_the_published_ones() {
    use incomesim::policy::retiree::RetireePensionAdjustment;
    let published: Vec<(u16, f64)> = pension_rows("retiree_pension_adjustment")
        .into_iter()
        .map(|(year, percent)| (year.parse().expect("year"), percent / 100.0))
        .collect();
    let national = RetireePensionAdjustment::national();
    let steps: Vec<(u16, f64)> = national.rise.steps().iter().map(|(m, r)| (m.year, *r)).collect();
    assert_eq!(steps.len(), published.len());
    for ((y, r), (py, pr)) in steps.iter().zip(&published) {
        assert_eq!(y, py);
        assert!((r - pr).abs() < 1e-12, "{y}: {r} against {pr}");
    }
    // After the last published year the last rise is carried on; before it, each year's own.
    let (last_year, last) = *published.last().expect("rows");
    assert_eq!(national.rise_in(last_year + 3), Some((last, 1)));
    assert_eq!(national.rise_in(2024), Some((0.03, 1)));
    let given = RetireePensionAdjustment::new(national.rise.clone()).expect("valid");
    assert_eq!(given.rise_in(last_year + 1), None);
    assert_eq!(given.carried_on().rise_in(last_year + 1), Some((last, 1)));
}

#[test]
fn the_replacement_rate_text_quotes_the_published_pensions_and_adjustments() {
    // The enterprise average pension of 2012 and 2016, and the adjustments between.
    let average: BTreeMap<String, f64> = pension_rows("enterprise_retiree_average_pension").into_iter().collect();
    let growth = average["2016"] / average["2012"] - 1.0;
    let mut rises: Vec<(u16, f64)> = pension_rows("enterprise_retiree_pension_adjustment")
        .into_iter()
        .chain(pension_rows("retiree_pension_adjustment"))
        .map(|(year, percent)| (year.parse().expect("year"), percent / 100.0))
        .filter(|&(year, _)| (2013..=2016).contains(&year))
        .collect();
    rises.sort_by_key(|&(year, _)| year);
    assert_eq!(rises.iter().map(|&(y, _)| y).collect::<Vec<_>>(), [2013, 2014, 2015, 2016]);
    let compounded = rises.iter().map(|&(_, r)| 1.0 + r).product::<f64>() - 1.0;
    let text = incomesim::dynamics::Dynamics::assumptions()
        .into_iter()
        .find(|(name, _)| name == "replacement rate")
        .map(|(_, text)| text)
        .expect("a replacement rate assumption");
    for quoted in [
        format!("{:.0} to {:.0}", average["2012"], average["2016"]).replace("1686", "1,686").replace("2362", "2,362"),
        format!("rose {:.1}%", 100.0 * growth),
        format!("compounded to {:.1}%", 100.0 * compounded),
    ] {
        assert!(text.contains(&quoted), "the text should quote {quoted}: {text}");
    }
    // Those retiring then started close to the average: the average rose within two
    // points of the adjustments over the four years.
    assert!((compounded - growth).abs() < 0.02, "{growth} against {compounded}");
}

#[test]
fn the_central_minimum_of_the_residents_pension_is_the_published_one() {
    use incomesim::policy::YearMonth;
    use incomesim::policy::pension::{CENTRAL_MINIMUM_PER_MONTH, ResidentPension};
    let published: Vec<(YearMonth, f64)> = pension_rows("resident_basic_pension_central_minimum")
        .into_iter()
        .map(|(month, value)| (YearMonth::parse(&month).expect("month"), value))
        .collect();
    assert_eq!(CENTRAL_MINIMUM_PER_MONTH.to_vec(), published);
    // Liupanshui's 108 in 2021 (central 93 + 15): +5 in July 2022, +5 in 2023, +20 in 2024 and 2025.
    let path = ResidentPension::central_path(108.0, 2021);
    let at = |year, month| *path.at(YearMonth { year, month });
    assert_eq!(
        [at(2021, 12), at(2022, 6), at(2022, 7), at(2023, 1), at(2024, 1), at(2025, 1)],
        [108.0, 108.0, 113.0, 118.0, 138.0, 158.0]
    );
    // A base year after the last rise keeps its level.
    assert_eq!(ResidentPension::central_path(200.0, 2025).steps().len(), 1);
    // After the last decided rise (2025), the mean of the last three (5, 20, 20) each January.
    assert_eq!(ResidentPension::assumed_yearly_rise(), (YearMonth::start_of(2026), 15.0));
    let projected = ResidentPension::projected_path(108.0, 2021);
    let at = |year, month| *projected.at(YearMonth { year, month });
    assert_eq!([at(2025, 12), at(2026, 1), at(2027, 6), at(2030, 1)], [158.0, 173.0, 188.0, 233.0]);
    // A later base year holds the rises up to it in its level: only the ones after it.
    let later = ResidentPension::projected_path(300.0, 2030);
    assert_eq!((*later.at(YearMonth::start_of(2030)), *later.at(YearMonth::start_of(2031))), (300.0, 315.0));
}
