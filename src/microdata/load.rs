//! Loading persons and households from CSV files.
//!
//! The column layout is documented in `docs/microdata.md` and on [`read_csv`]. This
//! module parses cells; grouping persons into households is the format-independent
//! [`Assembler`].

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use csv::{ByteRecord, ReaderBuilder, Trim};

use super::assemble::Assembler;
use super::problems::{DEFAULT_MAX_PROBLEMS, Problems};
use crate::error::{Error, Result};
use crate::model::{
    Disability, Education, Employment, HouseholdFlags, HouseholdRecord, Hukou, Occupation, PersonFlags, PersonRecord,
    Population, Residence, Sex, bounds,
};

/// Oldest age accepted, in completed years.
pub const MAX_AGE: u8 = 110;

/// Largest money amount a microdata cell may hold, in yuan per year, in absolute value
/// (operating income may be negative): [`crate::model::bounds::MAX_AMOUNT`].
pub const MAX_AMOUNT_PER_YEAR: f32 = bounds::MAX_AMOUNT as f32;

/// Largest household weight accepted: [`crate::model::bounds::MAX_WEIGHT`].
pub const MAX_WEIGHT: f32 = bounds::MAX_WEIGHT as f32;

/// Smallest household weight accepted: [`crate::model::bounds::MIN_WEIGHT`].
pub const MIN_WEIGHT: f32 = bounds::MIN_WEIGHT as f32;

/// Largest land or grassland area accepted, in mu: [`crate::model::bounds::MAX_AREA_MU`].
pub const MAX_AREA_MU: f32 = bounds::MAX_AREA_MU as f32;

/// Largest log wage shock accepted in absolute value (`wage_persistent`,
/// `wage_transitory`): [`crate::model::bounds::MAX_LOG_SHOCK`].
pub const MAX_LOG_SHOCK: f32 = bounds::MAX_LOG_SHOCK as f32;

/// Columns of `households.csv` that must be present.
pub const HOUSEHOLD_REQUIRED: [&str; 3] = ["household_id", "weight", "residence"];

/// Optional columns of `households.csv` other than the flags ([`HouseholdFlags::NAMES`]).
pub const HOUSEHOLD_OPTIONAL: [&str; 10] = [
    "tier",
    "size",
    "dibao_unit_persons",
    "land_mu",
    "grassland_mu",
    "land_rented_out_mu",
    "rigid_expenses",
    "remittances",
    "other_transfers",
    "poverty_project_income",
];

/// Columns of `persons.csv` that must be present.
pub const PERSON_REQUIRED: [&str; 6] = ["household_id", "age", "sex", "hukou", "education", "employment"];

/// Optional columns of `persons.csv` other than the flags ([`PersonFlags::NAMES`]).
pub const PERSON_OPTIONAL: [&str; 13] = [
    "able_to_work",
    "disability",
    "months_in_job",
    "occupation",
    "wage",
    "operating",
    "property",
    "retiree_pension",
    "income_tax",
    "contributions",
    "refusals",
    "wage_persistent",
    "wage_transitory",
];

/// Columns written by the export that the loader recognises and ignores, so an
/// exported file loads back without [`LoadOptions::ignore_unknown_columns`].
pub const EXPORT_ONLY: [&str; 2] = ["year", "per_capita_disposable"];

/// Prefixes of exported columns the loader ignores (income accounts before and after
/// levers, one column per lever).
pub const EXPORT_ONLY_PREFIXES: [&str; 3] = ["market_", "final_", "lever_"];

/// How to load microdata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// Ignore columns the loader does not know. When false (the default), each is a
    /// problem at row 1, with a "did you mean" hint when a known column is close.
    pub ignore_unknown_columns: bool,
    /// How many problems to list before only counting the rest (default 1,000).
    pub max_problems: usize,
    /// Global id of the first household of the loaded population (default 0).
    pub first_id: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { ignore_unknown_columns: false, max_problems: DEFAULT_MAX_PROBLEMS, first_id: 0 }
    }
}

/// Loads households and persons from two CSV files.
///
/// # Errors
/// [`Error::Io`] naming the path when a file cannot be opened or read;
/// [`Error::Microdata`] listing every bad cell, row and column otherwise (see
/// [`read_csv`]).
pub fn load_csv(households: &Path, persons: &Path, options: &LoadOptions) -> Result<Population> {
    let open = |path: &Path| File::open(path).map_err(|source| Error::Io { path: path.to_path_buf(), source });
    let h = open(households)?;
    let p = open(persons)?;
    read_csv(h, households, p, persons, options)
}

/// Loads households and persons from any two readers of CSV text; the names label
/// problems and I/O errors.
///
/// The first row of each file is a header; columns may come in any order. Row numbers
/// in problems are line numbers (the header is row 1). Persons may come in any order;
/// each household's persons keep their relative order, and households keep the order
/// of the households file. Everything wrong is collected before returning: cells that
/// are not numbers, negative money, ages over [`MAX_AGE`], unknown categories (with the
/// accepted values), missing required columns or values, unknown columns, persons of
/// an unknown household, households without persons or with more than 255, duplicated
/// household ids, weights ≤ 0.
///
/// # Errors
/// [`Error::Io`] when a reader fails; [`Error::Microdata`] with every problem found.
pub fn read_csv(
    households: impl Read,
    households_name: &Path,
    persons: impl Read,
    persons_name: &Path,
    options: &LoadOptions,
) -> Result<Population> {
    let mut problems = Problems::new(options.max_problems);
    let mut assembler = Assembler::new(households_name.to_path_buf(), persons_name.to_path_buf());

    let household_known: Vec<&'static str> = HOUSEHOLD_REQUIRED
        .iter()
        .chain(HOUSEHOLD_OPTIONAL.iter())
        .copied()
        .chain(HouseholdFlags::NAMES.iter().map(|(n, _)| *n))
        .collect();
    let households_ok =
        read_file(households, households_name, &household_known, &HOUSEHOLD_REQUIRED, options, &mut problems, |row| {
            let household = parse_household(row);
            if let Some(id) = row.text("household_id") {
                let (record, size) = household;
                assembler.add_household(id, row.line, record, size, row.problems);
            }
        })?;

    let person_known: Vec<&'static str> = PERSON_REQUIRED
        .iter()
        .chain(PERSON_OPTIONAL.iter())
        .copied()
        .chain(PersonFlags::NAMES.iter().map(|(n, _)| *n))
        .collect();
    let persons_ok =
        read_file(persons, persons_name, &person_known, &PERSON_REQUIRED, options, &mut problems, |row| {
            let person = parse_person(row);
            if households_ok && let Some(id) = row.text("household_id") {
                assembler.add_person(id, row.line, person, row.problems);
            }
        })?;

    if households_ok && persons_ok {
        assembler.finish(options.first_id, problems)
    } else {
        Err(problems.into_error().unwrap_or_else(|| Error::InvalidRequest("microdata could not be read".into())))
    }
}

/// Column positions of a file, by known name.
struct Header {
    index: HashMap<&'static str, usize>,
    width: usize,
}

/// One data row being parsed: its cells, where it is, and where problems go.
struct Row<'a> {
    record: &'a ByteRecord,
    header: &'a Header,
    file: &'a Path,
    line: u64,
    problems: &'a mut Problems,
}

/// Reads one CSV file: header, then every row through `each`. Returns whether the
/// file has a `household_id` column (without it, persons cannot be grouped).
fn read_file(
    reader: impl Read,
    file: &Path,
    known: &[&'static str],
    required: &[&'static str],
    options: &LoadOptions,
    problems: &mut Problems,
    mut each: impl FnMut(&mut Row<'_>),
) -> Result<bool> {
    let mut csv = ReaderBuilder::new().has_headers(false).flexible(true).trim(Trim::All).from_reader(reader);
    let mut record = ByteRecord::new();
    let io_error = |e: csv::Error, problems: &mut Problems, line: u64| -> Result<()> {
        match e.into_kind() {
            csv::ErrorKind::Io(source) => Err(Error::Io { path: file.to_path_buf(), source }),
            other => {
                problems.push(file, line, "", format!("unreadable CSV: {other:?}"));
                Ok(())
            }
        }
    };
    match csv.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => {
            problems.push(file, 1, "", "the file is empty; expected a header row");
            return Ok(false);
        }
        Err(e) => {
            io_error(e, problems, 1)?;
            return Ok(false);
        }
    }
    let header = read_header(&record, file, known, required, options, problems);
    let has_id = header.index.contains_key("household_id");
    let mut count = 1u64;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                io_error(e, problems, count + 1)?;
                break;
            }
        }
        count += 1;
        let line = record.position().map_or(count, |p| p.line());
        if record.len() != header.width {
            problems.push(
                file,
                line,
                "",
                format!("row has {} field(s) but the header has {}", record.len(), header.width),
            );
        }
        let mut row = Row { record: &record, header: &header, file, line, problems };
        each(&mut row);
    }
    Ok(has_id)
}

fn read_header(
    record: &ByteRecord,
    file: &Path,
    known: &[&'static str],
    required: &[&'static str],
    options: &LoadOptions,
    problems: &mut Problems,
) -> Header {
    let mut index = HashMap::new();
    for (i, raw) in record.iter().enumerate() {
        let Ok(text) = std::str::from_utf8(raw) else {
            problems.push(file, 1, &format!("#{}", i + 1), "column name is not valid UTF-8");
            continue;
        };
        let original = text.trim_start_matches('\u{feff}').trim();
        let name = original.to_ascii_lowercase();
        if let Some(&k) = known.iter().find(|k| **k == name) {
            if let Some(first) = index.insert(k, i) {
                problems.push(file, 1, k, format!("column appears twice (columns {} and {})", first + 1, i + 1));
                index.insert(k, first);
            }
        } else if EXPORT_ONLY.contains(&name.as_str()) || EXPORT_ONLY_PREFIXES.iter().any(|p| name.starts_with(p)) {
            // Written by the export; derived, so ignored.
        } else if !options.ignore_unknown_columns {
            let hint = suggestion(&name, known).map(|k| format!("; did you mean `{k}`?")).unwrap_or_default();
            problems.push(
                file,
                1,
                original,
                format!("unknown column{hint} (set ignore_unknown_columns to skip unknown columns)"),
            );
        }
    }
    for &r in required {
        if !index.contains_key(r) {
            problems.push(file, 1, r, "required column is missing");
        }
    }
    Header { index, width: record.len() }
}

/// The known name closest to `name`, if close enough to be a likely typo.
fn suggestion(name: &str, known: &[&'static str]) -> Option<&'static str> {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

impl<'a> Row<'a> {
    fn problem(&mut self, column: &str, problem: impl Into<String>) {
        self.problems.push(self.file, self.line, column, problem);
    }

    /// The trimmed cell of a column; `None` when the column is absent, the cell is
    /// missing or empty, or it is not UTF-8 (a problem).
    fn text(&mut self, column: &str) -> Option<&'a str> {
        let i = *self.header.index.get(column)?;
        let raw = self.record.get(i)?;
        match std::str::from_utf8(raw) {
            Ok("") => None,
            Ok(text) => Some(text),
            Err(_) => {
                self.problem(column, "not valid UTF-8");
                None
            }
        }
    }

    /// The cell of a required column; a problem when empty.
    fn required(&mut self, column: &str) -> Option<&'a str> {
        let text = self.text(column);
        if text.is_none() && self.header.index.contains_key(column) {
            self.problem(column, "missing value (the column is required)");
        }
        text
    }

    fn number(&mut self, column: &str, text: &str) -> Option<f32> {
        match text.parse::<f32>() {
            Ok(v) if v.is_finite() => Some(v),
            Ok(_) => {
                self.problem(column, format!("`{text}` is not a finite number"));
                None
            }
            Err(_) => {
                self.problem(column, format!("`{text}` is not a number"));
                None
            }
        }
    }

    /// Money in yuan per year; negative only when `allow_negative`.
    fn money(&mut self, column: &str, allow_negative: bool, required: bool) -> f32 {
        let text = if required { self.required(column) } else { self.text(column) };
        let Some(text) = text else { return 0.0 };
        match self.number(column, text) {
            Some(v) if v < 0.0 && !allow_negative => {
                self.problem(column, format!("`{text}` is negative; must be ≥ 0 yuan per year"));
                0.0
            }
            Some(v) if v.abs() > MAX_AMOUNT_PER_YEAR => {
                self.problem(column, format!("`{text}` is beyond ±{MAX_AMOUNT_PER_YEAR:e} yuan per year"));
                0.0
            }
            Some(v) => v,
            None => 0.0,
        }
    }

    /// A log wage shock: optional, 0 when absent, within ±[`MAX_LOG_SHOCK`].
    fn log_shock(&mut self, column: &str) -> f32 {
        let Some(text) = self.text(column) else { return 0.0 };
        match self.number(column, text) {
            Some(v) if v.abs() > MAX_LOG_SHOCK => {
                self.problem(column, format!("`{text}` is beyond ±{MAX_LOG_SHOCK} (a log wage shock)"));
                0.0
            }
            Some(v) => v,
            None => 0.0,
        }
    }

    /// A non-negative quantity (land in mu).
    fn quantity(&mut self, column: &str, unit: &str) -> f32 {
        let Some(text) = self.text(column) else { return 0.0 };
        match self.number(column, text) {
            Some(v) if v < 0.0 => {
                self.problem(column, format!("`{text}` is negative; must be ≥ 0 {unit}"));
                0.0
            }
            Some(v) if v > MAX_AREA_MU => {
                self.problem(column, format!("`{text}` is over {MAX_AREA_MU:e} {unit}"));
                0.0
            }
            Some(v) => v,
            None => 0.0,
        }
    }

    /// A whole number in `0..=max`; `None` when absent (or bad, a problem).
    fn integer(&mut self, column: &str, max: u32, required: bool, what: &str) -> Option<u32> {
        let text = if required { self.required(column) } else { self.text(column) }?;
        let Ok(v) = text.parse::<f64>() else {
            self.problem(column, format!("`{text}` is not a number"));
            return None;
        };
        if !v.is_finite() || v.fract() != 0.0 {
            self.problem(column, format!("`{text}` is not a whole number"));
            None
        } else if v < 0.0 {
            self.problem(column, format!("`{text}` is negative"));
            None
        } else if v > max as f64 {
            self.problem(column, format!("{what} {text} is over {max}"));
            None
        } else {
            Some(v as u32)
        }
    }

    /// `0`/`1`/`true`/`false` (any case); `None` when absent (or bad, a problem).
    fn boolean(&mut self, column: &str) -> Option<bool> {
        let text = self.text(column)?;
        match text.to_ascii_lowercase().as_str() {
            "1" | "true" => Some(true),
            "0" | "false" => Some(false),
            _ => {
                self.problem(column, format!("`{text}` is not a yes/no value; accepted: 0, 1, true, false"));
                None
            }
        }
    }

    /// A category by its file name (any case); `None` when absent (or bad, a problem).
    fn category<T>(
        &mut self,
        column: &str,
        required: bool,
        parse: fn(&str) -> Option<T>,
        expected: fn() -> String,
    ) -> Option<T> {
        let text = if required { self.required(column) } else { self.text(column) }?;
        let value = parse(&text.to_ascii_lowercase());
        if value.is_none() {
            self.problem(column, format!("`{text}` is not one of: {}", expected()));
        }
        value
    }
}

/// Parses a household row (the id is read by the caller).
fn parse_household(row: &mut Row<'_>) -> (HouseholdRecord, Option<u32>) {
    let mut h = HouseholdRecord::default();
    row.required("household_id");
    if let Some(text) = row.required("weight")
        && let Some(w) = row.number("weight", text)
    {
        if w > MAX_WEIGHT {
            row.problem("weight", format!("weight `{text}` is over {MAX_WEIGHT:e} households"));
        } else if w >= MIN_WEIGHT {
            h.weight = w;
        } else if w > 0.0 {
            row.problem("weight", format!("weight `{text}` is under {MIN_WEIGHT:e} households"));
        } else {
            row.problem("weight", format!("weight `{text}` must be > 0"));
        }
    }
    if let Some(r) = row.category("residence", true, Residence::parse, Residence::expected) {
        h.residence = r;
    }
    h.tier = row.integer("tier", u8::MAX as u32, false, "tier").unwrap_or(0) as u8;
    let size = row.integer("size", u32::MAX, false, "size");
    h.land_mu = row.quantity("land_mu", "mu");
    h.grassland_mu = row.quantity("grassland_mu", "mu");
    h.land_rented_out_mu = row.quantity("land_rented_out_mu", "mu");
    h.rigid_expenses = row.money("rigid_expenses", false, false);
    h.remittances = row.money("remittances", false, false);
    h.other_transfers = row.money("other_transfers", false, false);
    h.poverty_project_income = row.money("poverty_project_income", false, false);
    for (name, bit) in HouseholdFlags::NAMES {
        h.flags.set(bit, row.boolean(name).unwrap_or(false));
    }
    parse_dibao_units(row, &mut h.flags);
    (h, size)
}

/// The count of members covered as single-person dibao units
/// (`dibao_unit_persons`, 0–7): at least 1 when `dibao_single_person` is set (with
/// `dibao`), 0 otherwise.
fn parse_dibao_units(row: &mut Row<'_>, flags: &mut HouseholdFlags) {
    const COLUMN: &str = "dibao_unit_persons";
    let units = flags.has(HouseholdFlags::DIBAO_SINGLE_PERSON);
    if units && !flags.has(HouseholdFlags::DIBAO) {
        row.problem("dibao_single_person", "is set but `dibao` is not: single-person units are on dibao");
    }
    if row.text(COLUMN).is_none() {
        if units {
            row.problem(COLUMN, "is missing but `dibao_single_person` is set: the members covered (1-7) are needed");
        }
        return;
    }
    match (row.integer(COLUMN, 7, false, "persons covered as single-person units"), units) {
        (Some(n), true) if n >= 1 => flags.set_dibao_unit_persons(n as u8),
        (Some(0), false) | (None, _) => {}
        (Some(n), true) => {
            row.problem(COLUMN, format!("is {n} but `dibao_single_person` is set: at least 1 member is covered"))
        }
        (Some(n), false) => row.problem(COLUMN, format!("is {n} but `dibao_single_person` is not set")),
    }
}

/// Parses a person row (the household id is read by the caller).
fn parse_person(row: &mut Row<'_>) -> PersonRecord {
    let mut p = PersonRecord::default();
    row.required("household_id");
    if let Some(age) = row.integer("age", MAX_AGE as u32, true, "age") {
        p.age = age as u8;
    }
    if let Some(v) = row.category("sex", true, Sex::parse, Sex::expected) {
        p.sex = v;
    }
    if let Some(v) = row.category("hukou", true, Hukou::parse, Hukou::expected) {
        p.hukou = v;
    }
    if let Some(v) = row.category("education", true, Education::parse, Education::expected) {
        p.education = v;
    }
    if let Some(v) = row.category("employment", true, Employment::parse, Employment::expected) {
        p.employment = v;
    }
    p.disability =
        row.category("disability", false, Disability::parse, Disability::expected).unwrap_or(Disability::None);
    p.occupation =
        row.category("occupation", false, Occupation::parse, Occupation::expected).unwrap_or(Occupation::Other);
    p.able_to_work = row.boolean("able_to_work").unwrap_or_else(|| default_able_to_work(p.age, p.disability));
    p.months_in_job = row
        .integer("months_in_job", 12, false, "months_in_job")
        .map_or_else(|| default_months_in_job(p.employment), |m| m as u8);
    p.wage = row.money("wage", false, false);
    p.operating = row.money("operating", true, false);
    p.property = row.money("property", false, false);
    p.retiree_pension = row.money("retiree_pension", false, false);
    p.income_tax = row.money("income_tax", false, false);
    p.contributions = row.money("contributions", false, false);
    // Dynamics state (log wage shocks): optional, 0 when absent; may be negative.
    p.wage_persistent = row.log_shock("wage_persistent");
    p.wage_transitory = row.log_shock("wage_transitory");
    for (name, bit) in PersonFlags::NAMES {
        p.flags.set(bit, row.boolean(name).unwrap_or(false));
    }
    if let Some(n) = row.integer("refusals", 3, false, "refusals") {
        p.flags.set_refusals(n as u8);
    }
    p
}

/// Default of `able_to_work` when the column or cell is absent: aged 16–59 and not
/// severely disabled.
pub fn default_able_to_work(age: u8, disability: Disability) -> bool {
    (16..=59).contains(&age) && disability != Disability::Severe
}

/// Default of `months_in_job` when the column or cell is absent: 12 for someone
/// working (wage or operating income), 0 otherwise.
pub fn default_months_in_job(employment: Employment) -> u8 {
    if employment.is_working() { 12 } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("wieght", "weight"), 2);
        assert_eq!(edit_distance("land_m", "land_mu"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn suggests_close_columns_only() {
        let known = ["weight", "residence", "land_mu"];
        assert_eq!(suggestion("wieght", &known), Some("weight"));
        assert_eq!(suggestion("residense", &known), Some("residence"));
        assert_eq!(suggestion("province", &known), None);
    }
}
