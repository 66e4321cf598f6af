//! The files a run writes: `indicators.csv`, `targets.csv`, `levers.csv`,
//! `summary.json`, the charts (`charts/*.svg`, `charts/*.png`) and `report.html`, each
//! written atomically (a temporary file in the same folder, then a rename), so an
//! interrupted run never leaves a half-written file. A run killed outright (SIGKILL,
//! power loss) can leave its hidden temporary file behind; the next write of the same
//! file removes it ([`remove_stale_temporaries`]).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::projection::{Outcome, Scenario, VariantResult};
use crate::error::{Error, Result};

/// Writes `contents` to `path` atomically: a temporary file beside it, flushed to
/// disk, then renamed over the target.
///
/// # Errors
/// [`Error::Io`] naming the file; the temporary file is removed on failure.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    use std::io::Write;
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    remove_stale_temporaries(&dir, &name);
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&temp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(io)
}

/// Removes the temporary files of `file_name` in `dir` that a killed process left:
/// hidden files named `.{file_name}.{pid}.tmp` or `.{file_name}.{pid}.{nanos}.tmp` (the
/// names [`write_atomic`] and the microdata exporter use) whose process is no longer
/// running. Returns the files removed. Other files are never touched, nor are those of
/// a running process (two runs writing into one folder keep their own), and where
/// process liveness cannot be told (no `/proc`) nothing is removed. Best effort: a
/// file that cannot be removed stays, and the write goes on.
pub fn remove_stale_temporaries(dir: &Path, file_name: &str) -> Vec<PathBuf> {
    let proc_root = Path::new("/proc/self");
    if file_name.is_empty() || !proc_root.exists() {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let prefix = format!(".{file_name}.");
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| temporary_pid(n, &prefix)) else { continue };
        let running = pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists();
        if !running && entry.file_type().is_ok_and(|t| t.is_file()) && std::fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed
}

/// The process id in a temporary file's name `{prefix}{pid}.tmp` or
/// `{prefix}{pid}.{digits}.tmp`; `None` for any other name.
fn temporary_pid(name: &str, prefix: &str) -> Option<u32> {
    let middle = name.strip_prefix(prefix)?.strip_suffix(".tmp")?;
    let (pid, rest) = match middle.split_once('.') {
        Some((pid, rest)) => (pid, Some(rest)),
        None => (middle, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(pid) || rest.is_some_and(|r| !digits(r)) {
        return None;
    }
    pid.parse().ok()
}

fn csv_bytes<T: Serialize>(rows: &[T]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r).map_err(|e| Error::InvalidRequest(format!("writing CSV: {e}")))?;
    }
    w.into_inner().map_err(|e| Error::InvalidRequest(format!("writing CSV: {e}")))
}

#[derive(Serialize)]
struct IndicatorCsv<'a> {
    year: u16,
    group: &'a str,
    indicator: &'a str,
    value: f64,
}

fn indicator_rows(v: &VariantResult) -> Vec<(u16, &'static str, String, f64)> {
    v.years.iter().flat_map(|y| y.indicators.rows()).map(|r| (r.year, r.group, r.indicator, r.value)).collect()
}

#[derive(Serialize)]
struct LeverCsv<'a> {
    year: u16,
    variant: &'a str,
    lever: &'a str,
    paid_to_households: f64,
    paid_urban: f64,
    paid_rural: f64,
    paid_formerly_poor: f64,
    recipient_households: f64,
    recipient_persons: f64,
    paid_privately: f64,
    fiscal_cost: f64,
    places: f64,
    filled_places: f64,
    unfilled_places: f64,
    hires_offered: f64,
    hires_filled: f64,
    paid_quintile_1: f64,
    paid_quintile_2: f64,
    paid_quintile_3: f64,
    paid_quintile_4: f64,
    paid_quintile_5: f64,
    contribution_urban_growth: Option<f64>,
    contribution_urban_growth_se: Option<f64>,
    contribution_rural_growth: Option<f64>,
    contribution_rural_growth_se: Option<f64>,
    contribution_ratio: Option<f64>,
    contribution_ratio_se: Option<f64>,
}

#[derive(Serialize)]
struct TargetCsv<'a> {
    name: &'a str,
    met: bool,
    reached: Option<f64>,
    target: f64,
    margin: Option<f64>,
    probability: f64,
}

/// Writes the run's files into `dir` (created if needed): the CSV files, `summary.json`,
/// the charts and `report.html` ([`crate::report::write_report`]); returns their paths.
/// `provenance` goes into `summary.json` and the report as is (crate version, scenario
/// file and hash…).
///
/// # Errors
/// [`Error::Io`] naming the file that could not be written; [`Error::InvalidRequest`]
/// naming a chart that could not be drawn.
pub fn write_outputs(
    dir: &Path,
    scenario: &Scenario,
    outcome: &Outcome,
    provenance: serde_json::Value,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    let mut written = Vec::new();
    let mut put = |name: &str, bytes: Vec<u8>| -> Result<()> {
        let path = dir.join(name);
        write_atomic(&path, &bytes)?;
        written.push(path);
        Ok(())
    };

    for (name, variant) in [("indicators.csv", &outcome.reform), ("indicators_baseline.csv", &outcome.baseline)] {
        let rows = indicator_rows(variant);
        let rows: Vec<IndicatorCsv> = rows
            .iter()
            .map(|(year, group, indicator, value)| IndicatorCsv { year: *year, group, indicator, value: *value })
            .collect();
        put(name, csv_bytes(&rows)?)?;
    }
    if outcome.replications.len() > 1 {
        put("indicators_intervals.csv", csv_bytes(&outcome.intervals())?)?;
        put("replications.csv", super::discovery::replications_csv(scenario, outcome)?)?;
    }

    let targets: Vec<TargetCsv> = outcome
        .targets
        .iter()
        .map(|t| TargetCsv {
            name: &t.name,
            met: t.met,
            reached: t.reached,
            target: t.target,
            margin: t.margin,
            probability: t.probability,
        })
        .collect();
    put("targets.csv", csv_bytes(&targets)?)?;

    let mut levers = Vec::new();
    for (variant, result) in [("reform", &outcome.reform), ("baseline", &outcome.baseline)] {
        for y in &result.years {
            for r in &y.ledger.records {
                let k = outcome.lever_names.iter().position(|n| *n == r.lever).filter(|_| variant == "reform");
                let c = |o: usize| k.zip(outcome.contributions.as_ref()).map(|(k, c)| c.value[k][o]);
                let se = |o: usize| k.zip(outcome.contributions.as_ref()).map(|(k, c)| c.standard_error[k][o]);
                levers.push(LeverCsv {
                    year: y.indicators.year,
                    variant,
                    lever: &r.lever,
                    paid_to_households: r.paid_to_households,
                    paid_urban: r.paid_urban,
                    paid_rural: r.paid_rural,
                    paid_formerly_poor: r.paid_formerly_poor,
                    recipient_households: r.recipient_households,
                    recipient_persons: r.recipient_persons,
                    paid_privately: r.paid_privately,
                    fiscal_cost: r.fiscal_cost,
                    places: r.places,
                    filled_places: r.filled_places,
                    unfilled_places: r.unfilled_places,
                    hires_offered: r.hires_offered,
                    hires_filled: r.hires_filled,
                    paid_quintile_1: r.paid_by_quintile[0],
                    paid_quintile_2: r.paid_by_quintile[1],
                    paid_quintile_3: r.paid_by_quintile[2],
                    paid_quintile_4: r.paid_by_quintile[3],
                    paid_quintile_5: r.paid_by_quintile[4],
                    contribution_urban_growth: c(0),
                    contribution_urban_growth_se: se(0),
                    contribution_rural_growth: c(1),
                    contribution_rural_growth_se: se(1),
                    contribution_ratio: c(2),
                    contribution_ratio_se: se(2),
                });
            }
        }
    }
    put("levers.csv", csv_bytes(&levers)?)?;

    let summary = serde_json::json!({
        "provenance": &provenance,
        "scenario": {
            "name": scenario.name,
            "region": scenario.profile.id,
            "households": scenario.households,
            "seed": scenario.seed,
            "base_year": scenario.profile.base_year,
            "last_year": scenario.last_year,
            "replications": scenario.replications,
            "uncertain": scenario.uncertain_fields().iter().map(|(f, s)| serde_json::json!({"field": f, "spread": s})).collect::<Vec<_>>(),
            "correlations": scenario.correlations.iter().map(|c| serde_json::json!({"between": c.between, "coefficient": c.coefficient})).collect::<Vec<_>>(),
            "levers": outcome.lever_names,
        },
        "shapley_method": outcome.contributions.as_ref().map(|c| c.method.describe()),
        "targets": outcome.targets,
        "warnings": outcome.warnings,
        "assumptions": outcome.assumptions.iter().map(|(k, v)| serde_json::json!({"name": k, "reason": v})).collect::<Vec<_>>(),
        "baseline_paths": baseline_paths(scenario.profile.base_year, &outcome.baseline.paths),
    });
    let text = serde_json::to_vec_pretty(&summary).map_err(|e| Error::InvalidRequest(format!("summary.json: {e}")))?;
    put("summary.json", text)?;
    written.extend(crate::report::write_report(dir, scenario, outcome, &provenance)?);
    Ok(written)
}

/// What the baseline fixed each year for every variant (`summary.json`'s
/// `baseline_paths`): the income index of indexed thresholds, the wage index of the
/// employment levers' market pay, the alignment factors of
/// market incomes `[urban, rural][wage, operating, property]`, the λ of the year's
/// re-weighting (`[urban persons, rural persons, urban households, rural households,
/// band…]`, or null), the share of rural
/// persons in households working off the farm, the replacement rate of new retirees
/// (`[urban, rural]`), the fertility-weighted women per person, the dibao take-up
/// adjustment with
/// the take-up rate of newly eligible households it gave and the threshold of the
/// first tier per person per year (`[urban, rural]`), and the extreme-poverty
/// support's take-up adjustment.
fn baseline_paths(base_year: u16, p: &super::projection::BaselinePaths) -> Vec<serde_json::Value> {
    (0..p.income.len())
        .map(|t| {
            let adjustment = p.dibao_take_up.get(t);
            let extreme = p.extreme_poverty_take_up.get(t);
            let start = p.year_start.get(t);
            serde_json::json!({
                "year": base_year as usize + t,
                "income_index": p.income.get(t),
                "wage_index": p.wage.get(t),
                "alignment": p.alignment.get(t),
                "reweighting_lambda": p.reweighting.get(t).and_then(Option::as_ref).map(|f| &f.lambda),
                "nonfarm_share": start.map(|s| s.nonfarm_share),
                "replacement_rate": start.map(|s| s.replacement_rate),
                "fertile_weight": start.map(|s| s.fertile_weight),
                "dibao_take_up_scale": adjustment.map(|a| a.scale),
                "dibao_stayer_cutoff": adjustment.map(|a| a.stayer_cutoff),
                "dibao_take_up_rate": p.dibao_take_up_rate.get(t).copied().flatten(),
                "dibao_threshold_per_year": p.dibao_threshold.get(t),
                "extreme_poverty_take_up_scale": extreme.map(|a| a.scale),
                "extreme_poverty_stayer_cutoff": extreme.map(|a| a.stayer_cutoff),
            })
        })
        .collect()
}

/// FNV-1a, 64 bits, of `bytes`: the hashes of `summary.json`'s provenance (a scenario
/// file's bytes, [`Scenario::fingerprint`]). Not cryptographic: it tells versions of an
/// input apart, it does not authenticate them.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_recognised_and_nothing_else() {
        let p = ".levers.csv.";
        assert_eq!(temporary_pid(".levers.csv.123.tmp", p), Some(123));
        assert_eq!(temporary_pid(".levers.csv.123.456789.tmp", p), Some(123));
        for other in [
            "levers.csv",
            ".levers.csv.tmp",
            ".levers.csv..tmp",
            ".levers.csv.12a.tmp",
            ".levers.csv.123.4x.tmp",
            ".levers.csv.123.456.789.tmp",
            ".levers.csv.123.tmp.bak",
            ".targets.csv.123.tmp",
        ] {
            assert_eq!(temporary_pid(other, p), None, "{other}");
        }
    }

    #[test]
    fn a_dead_process_temporary_is_removed_and_others_are_kept() {
        if !Path::new("/proc/self").exists() {
            return;
        }
        let dir = std::env::temp_dir().join(format!("incomesim-stale-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("creates");
        // Above any pid_max Linux allows (2^22), so never a running process.
        let dead = dir.join(".levers.csv.999999999.tmp");
        let dead_export = dir.join(".levers.csv.999999998.12345.tmp");
        let mine = dir.join(format!(".levers.csv.{}.tmp", std::process::id()));
        let other_file = dir.join(".targets.csv.999999999.tmp");
        let user_file = dir.join(".levers.csv.notes");
        for f in [&dead, &dead_export, &mine, &other_file, &user_file] {
            std::fs::write(f, b"x").expect("writes");
        }
        let mut removed = remove_stale_temporaries(&dir, "levers.csv");
        removed.sort();
        assert_eq!(removed, vec![dead_export.clone(), dead.clone()]);
        assert!(!dead.exists() && !dead_export.exists());
        assert!(mine.exists() && other_file.exists() && user_file.exists());

        write_atomic(&dir.join("targets.csv"), b"name\n").expect("writes");
        assert!(!other_file.exists(), "writing a file removes its own stale temporaries");
        assert_eq!(std::fs::read(dir.join("targets.csv")).expect("reads"), b"name\n");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
