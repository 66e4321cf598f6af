//! Exporting one row per household (and optionally one per person) to CSV.
//!
//! The household file holds every input the rules read, the income accounts before
//! levers (`market_*`) and after them (`final_*`), per-capita disposable income and one
//! `lever_<name>` column per lever. Its input columns are the loader's, so an export
//! loads back with [`load_csv`](super::load_csv) into the same population. Numbers are
//! written with Rust's shortest round-trip format, so they parse back bit for bit.

use std::fmt::Write as _;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{Accounts, HouseholdFlags, IncomePart, PersonFlags, Population};
use crate::policy::{LeverColumns, LeverSet};

/// Person columns written, in order, before the flags. `contributions` are this year's,
/// from the accounts after levers (0 when the contributions rule did not run); income
/// tax is not kept per person (its household total is the `lever_income_tax` column of
/// the household file).
const PERSON_COLUMNS: [&str; 16] = [
    "year",
    "household_id",
    "age",
    "sex",
    "hukou",
    "education",
    "able_to_work",
    "disability",
    "employment",
    "months_in_job",
    "occupation",
    "wage",
    "operating",
    "property",
    "retiree_pension",
    "contributions",
];

/// Household input columns written, in order, before the flags.
const HOUSEHOLD_COLUMNS: [&str; 6] = ["year", "household_id", "weight", "residence", "tier", "size"];

/// Household money and land columns written after the flags.
const HOUSEHOLD_AMOUNTS: [&str; 7] = [
    "land_mu",
    "grassland_mu",
    "land_rented_out_mu",
    "rigid_expenses",
    "remittances",
    "other_transfers",
    "poverty_project_income",
];

/// A row being built: fields appended to one buffer, reused from row to row.
#[derive(Debug, Default)]
struct Line {
    text: String,
    ends: Vec<usize>,
}

impl Line {
    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    fn push(&mut self, value: impl std::fmt::Display) {
        // Writing to a String cannot fail.
        let _ = write!(self.text, "{value}");
        self.ends.push(self.text.len());
    }

    fn flag(&mut self, on: bool) {
        self.push(u8::from(on));
    }

    fn fields(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(self.ends.iter().copied()).map(|(a, b)| &self.text[a..b])
    }
}

/// Writes household (and optionally person) microdata for one year, chunk by chunk.
///
/// The header is written before the first chunk (or by [`finish`](Exporter::finish)
/// when there is none); chunks must come in household order. Lever columns follow
/// the names given at construction, which must be the [`LeverSet`] order used to fill
/// the [`LeverColumns`].
#[derive(Debug)]
pub struct Exporter<W: Write> {
    households: csv::Writer<W>,
    households_name: PathBuf,
    persons: Option<(csv::Writer<W>, PathBuf)>,
    year: i32,
    lever_names: Vec<String>,
    header_written: bool,
    line: Line,
}

impl<W: Write> Exporter<W> {
    /// An exporter of households to `households`; `name` labels I/O errors.
    pub fn new<S: AsRef<str>>(households: W, name: &Path, year: i32, lever_names: impl IntoIterator<Item = S>) -> Self {
        Exporter {
            households: csv::Writer::from_writer(households),
            households_name: name.to_path_buf(),
            persons: None,
            year,
            lever_names: lever_names.into_iter().map(|s| s.as_ref().to_string()).collect(),
            header_written: false,
            line: Line::default(),
        }
    }

    /// Also exports one row per person to `persons`; `name` labels I/O errors.
    pub fn with_persons(mut self, persons: W, name: &Path) -> Self {
        self.persons = Some((csv::Writer::from_writer(persons), name.to_path_buf()));
        self
    }

    /// The household file's column names, in order.
    pub fn household_header(&self) -> Vec<String> {
        let mut names: Vec<String> = HOUSEHOLD_COLUMNS.iter().map(|s| s.to_string()).collect();
        names.extend(HouseholdFlags::NAMES.iter().map(|(n, _)| n.to_string()));
        names.push("dibao_unit_persons".to_string());
        names.extend(HOUSEHOLD_AMOUNTS.iter().map(|s| s.to_string()));
        for stage in ["market", "final"] {
            names.extend(IncomePart::ALL.iter().map(|p| format!("{stage}_{}", p.as_str())));
            names.push(format!("{stage}_disposable"));
        }
        names.push("per_capita_disposable".to_string());
        names.extend(self.lever_names.iter().map(|n| format!("lever_{n}")));
        names
    }

    /// The person file's column names, in order.
    pub fn person_header() -> Vec<String> {
        let mut names: Vec<String> = PERSON_COLUMNS.iter().map(|s| s.to_string()).collect();
        names.extend(PersonFlags::NAMES.iter().map(|(n, _)| n.to_string()));
        names.push("refusals".to_string());
        names
    }

    fn write_headers(&mut self) -> Result<()> {
        if self.header_written {
            return Ok(());
        }
        self.header_written = true;
        let header = self.household_header();
        self.households.write_record(&header).map_err(|e| csv_error(e, &self.households_name))?;
        if let Some((writer, name)) = &mut self.persons {
            writer.write_record(Self::person_header()).map_err(|e| csv_error(e, name))?;
        }
        Ok(())
    }

    /// Writes one chunk: `market` holds the accounts before levers, `after` after
    /// them, `levers` each lever's amount per household.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the accounts or lever columns do not match the
    /// chunk's households or the lever names; [`Error::Io`] when writing fails.
    pub fn write_chunk(
        &mut self,
        pop: &Population,
        market: &Accounts,
        after: &Accounts,
        levers: &LeverColumns,
    ) -> Result<()> {
        let n = pop.household_count();
        if market.len() != n || after.len() != n {
            return Err(Error::InvalidRequest(format!(
                "export: {n} households but accounts for {} (before levers) and {} (after)",
                market.len(),
                after.len()
            )));
        }
        if levers.paid.len() != self.lever_names.len() || levers.paid.iter().any(|c| c.len() != n) {
            return Err(Error::InvalidRequest(format!(
                "export: lever columns do not match {} lever name(s) and {n} households",
                self.lever_names.len()
            )));
        }
        self.write_headers()?;
        let hh = &pop.households;
        let line = &mut self.line;
        for h in 0..n {
            line.clear();
            let id = pop.household_id(h);
            line.push(self.year);
            line.push(id);
            line.push(hh.weight[h]);
            line.push(hh.residence[h]);
            line.push(hh.tier[h]);
            line.push(hh.size[h]);
            for (_, bit) in HouseholdFlags::NAMES {
                line.flag(hh.flags[h].has(bit));
            }
            line.push(hh.flags[h].dibao_unit_persons());
            for v in [
                hh.land_mu[h],
                hh.grassland_mu[h],
                hh.land_rented_out_mu[h],
                hh.rigid_expenses[h],
                hh.remittances[h],
                hh.other_transfers[h],
                hh.poverty_project_income[h],
            ] {
                line.push(v);
            }
            for accounts in [market, after] {
                let parts = accounts.parts(h);
                for part in IncomePart::ALL {
                    line.push(parts.get(part));
                }
                line.push(parts.disposable());
            }
            let size = hh.size[h];
            line.push(if size == 0 { 0.0 } else { after.disposable(h) / size as f64 });
            for column in &levers.paid {
                line.push(column[h]);
            }
            self.households.write_record(line.fields()).map_err(|e| csv_error(e, &self.households_name))?;

            if let Some((writer, name)) = &mut self.persons {
                let p = &pop.persons;
                for i in pop.members(h) {
                    line.clear();
                    line.push(self.year);
                    line.push(id);
                    line.push(p.age[i]);
                    line.push(p.sex[i]);
                    line.push(p.hukou(i));
                    line.push(p.education(i));
                    line.flag(p.able_to_work[i]);
                    line.push(p.disability(i));
                    line.push(p.employment[i]);
                    line.push(p.months_in_job[i]);
                    line.push(p.occupation(i));
                    for v in [p.wage[i], p.operating[i], p.property[i], p.retiree_pension[i], after.contribution(i)] {
                        line.push(v);
                    }
                    for (_, bit) in PersonFlags::NAMES {
                        line.flag(p.flags[i].has(bit));
                    }
                    line.push(p.flags[i].refusals());
                    writer.write_record(line.fields()).map_err(|e| csv_error(e, name))?;
                }
            }
        }
        Ok(())
    }

    /// Writes the header if no chunk did, flushes and returns the writers
    /// (households, persons).
    ///
    /// # Errors
    /// [`Error::Io`] when writing or flushing fails.
    pub fn finish(mut self) -> Result<(W, Option<W>)> {
        self.write_headers()?;
        let households = into_inner(self.households, &self.households_name)?;
        let persons = match self.persons {
            Some((writer, name)) => Some(into_inner(writer, &name)?),
            None => None,
        };
        Ok((households, persons))
    }
}

/// The lever names of a set, in its order: the names an [`Exporter`] needs.
pub fn lever_names(set: &LeverSet) -> Vec<String> {
    set.levers().map(|l| l.name().to_string()).collect()
}

fn into_inner<W: Write>(writer: csv::Writer<W>, name: &Path) -> Result<W> {
    writer.into_inner().map_err(|e| Error::Io { path: name.to_path_buf(), source: e.into_error() })
}

fn csv_error(e: csv::Error, name: &Path) -> Error {
    let source = match e.into_kind() {
        csv::ErrorKind::Io(source) => source,
        other => std::io::Error::other(format!("{other:?}")),
    };
    Error::Io { path: name.to_path_buf(), source }
}

/// A file written under a temporary name in its final directory, renamed on commit.
#[derive(Debug)]
struct Target {
    temp: PathBuf,
    path: PathBuf,
}

impl Target {
    fn create(path: &Path) -> Result<(Target, BufWriter<File>)> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        crate::engine::output::remove_stale_temporaries(&dir, &file_name);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let temp = dir.join(format!(".{file_name}.{}.{nanos}.tmp", std::process::id()));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(|source| Error::Io { path: temp.clone(), source })?;
        Ok((Target { temp, path: path.to_path_buf() }, BufWriter::new(file)))
    }

    fn commit(&self, writer: BufWriter<File>) -> Result<()> {
        let io = |source| Error::Io { path: self.temp.clone(), source };
        let file = writer.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&self.temp, &self.path).map_err(|source| Error::Io { path: self.path.clone(), source })
    }
}

/// An [`Exporter`] to files, written atomically: rows go to temporary files in the
/// same directories, renamed to the final paths by [`commit`](FileExporter::commit).
/// Dropped without a commit, or after an error, it removes the temporary files and
/// leaves any existing file at the final path untouched.
#[derive(Debug)]
pub struct FileExporter {
    exporter: Option<Exporter<BufWriter<File>>>,
    households: Target,
    persons: Option<Target>,
}

impl FileExporter {
    /// Starts an export of households to `households` and, when given, persons to
    /// `persons`.
    ///
    /// # Errors
    /// [`Error::Io`] when a temporary file cannot be created.
    pub fn create<S: AsRef<str>>(
        households: &Path,
        persons: Option<&Path>,
        year: i32,
        lever_names: impl IntoIterator<Item = S>,
    ) -> Result<Self> {
        let (h_target, h_writer) = Target::create(households)?;
        let mut exporter = Exporter::new(h_writer, households, year, lever_names);
        let mut this = FileExporter { exporter: None, households: h_target, persons: None };
        if let Some(path) = persons {
            let (p_target, p_writer) = Target::create(path)?;
            exporter = exporter.with_persons(p_writer, path);
            this.persons = Some(p_target);
        }
        this.exporter = Some(exporter);
        Ok(this)
    }

    /// Writes one chunk (see [`Exporter::write_chunk`]).
    ///
    /// # Errors
    /// As [`Exporter::write_chunk`]; after an error, drop the exporter.
    pub fn write_chunk(
        &mut self,
        pop: &Population,
        market: &Accounts,
        after: &Accounts,
        levers: &LeverColumns,
    ) -> Result<()> {
        match &mut self.exporter {
            Some(e) => e.write_chunk(pop, market, after, levers),
            None => Err(Error::InvalidRequest("export already finished".into())),
        }
    }

    /// Flushes, syncs and renames the files into place (persons first, then
    /// households).
    ///
    /// # Errors
    /// [`Error::Io`] when flushing or renaming fails; the temporary files are removed.
    pub fn commit(mut self) -> Result<()> {
        let Some(exporter) = self.exporter.take() else {
            return Err(Error::InvalidRequest("export already finished".into()));
        };
        let (households, persons) = exporter.finish()?;
        if let (Some(target), Some(writer)) = (&self.persons, persons) {
            target.commit(writer)?;
        }
        self.households.commit(households)?;
        Ok(())
    }
}

impl Drop for FileExporter {
    fn drop(&mut self) {
        // Close the files before removing them; after a commit they no longer exist
        // under their temporary names and removal fails harmlessly.
        self.exporter = None;
        let _ = std::fs::remove_file(&self.households.temp);
        if let Some(p) = &self.persons {
            let _ = std::fs::remove_file(&p.temp);
        }
    }
}
