//! Reading the performance peers' population layout from an `.npz` file.
//!
//! The peers (a numpy and an OpenFisca implementation of four benefit rules, used to
//! measure incomesim's speed side by side; see `docs/peers.md`) store one synthetic
//! population as an uncompressed `.npz`: a zip of plain `.npy` arrays (little-endian,
//! C order), one row per household and one per person, persons stored household by
//! household.
//!
//! | array | dtype | length | maps to |
//! |---|---|---|---|
//! | `hh_size` | `u1` | households | [`Households::size`] (checked against `person_hh`) |
//! | `hh_urban` | `b1` | households | [`Households::residence`] |
//! | `person_hh` | `i4` | persons | household index of each person: must be `0,0,1,2,2,…` in `hh_size` runs |
//! | `age` | `u1` | persons | [`Persons::age`] |
//! | `severely_disabled` | `b1` | persons | [`Persons::disability`] (`severe` / `none`) |
//! | `employed` | `b1` | persons | [`Persons::employment`] and [`Persons::months_in_job`] |
//! | `wage_income` | `f4` | persons | [`Persons::wage`] |
//! | `operating_income` | `f4` | persons | [`Persons::operating`] |
//! | `property_income` | `f4` | persons | [`Persons::property`] |
//! | `retiree_pension` | `f4` | persons | [`Persons::retiree_pension`] |
//! | `poverty_project_income` | `f4` | persons | summed into [`Households::poverty_project_income`] |
//!
//! Other arrays in the file (the generator's `seed`) are ignored. [`peer_households`]
//! documents the fields the layout does not carry. Every problem is an [`NpzError`]
//! naming the file, the array and what is wrong; nothing panics on bad input.

pub mod peers;

use std::fs::File;
use std::io::{BufReader, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::load::{MAX_AGE, MAX_AMOUNT_PER_YEAR, default_able_to_work};
use crate::model::{
    Disability, Education, Employment, HouseholdFlags, Households, Hukou, Occupation, PersonAttributes, PersonFlags,
    Persons, Population, Residence, Sex,
};

/// What can go wrong reading a peers' `.npz` file.
#[derive(Debug, thiserror::Error)]
pub enum NpzError {
    /// The file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a readable zip archive (truncated, or not an `.npz`).
    #[error("{}: not a readable .npz (zip) archive: {message}", path.display())]
    NotZip {
        /// The file.
        path: PathBuf,
        /// What the zip reader said.
        message: String,
    },
    /// A required array is not in the archive.
    #[error("{}: array `{array}` ({array}.npy) is missing", path.display())]
    MissingArray {
        /// The file.
        path: PathBuf,
        /// The array's name.
        array: String,
    },
    /// An array is stored compressed (`numpy.savez_compressed`); only stored entries
    /// (`numpy.savez`) are read.
    #[error("{}: array `{array}` is compressed; write the file with numpy.savez (uncompressed)", path.display())]
    Compressed {
        /// The file.
        path: PathBuf,
        /// The array's name.
        array: String,
    },
    /// An array's `.npy` header is malformed.
    #[error("{}: array `{array}`: bad .npy header: {problem}", path.display())]
    BadHeader {
        /// The file.
        path: PathBuf,
        /// The array's name.
        array: String,
        /// What is wrong.
        problem: String,
    },
    /// An array has a different element type than the layout's.
    #[error("{}: array `{array}` has dtype `{found}`, expected `{expected}`", path.display())]
    WrongDtype {
        /// The file.
        path: PathBuf,
        /// The array's name.
        array: String,
        /// The dtype in the file (numpy `descr`, e.g. `<f8`).
        found: String,
        /// The dtype the layout needs.
        expected: String,
    },
    /// An array is not one-dimensional, or has the wrong length.
    #[error("{}: array `{array}` has shape {found}, expected {expected}", path.display())]
    WrongShape {
        /// The file.
        path: PathBuf,
        /// The array's name.
        array: String,
        /// The shape in the file.
        found: String,
        /// The shape the layout needs.
        expected: String,
    },
    /// An array's data ends before its header says it should.
    #[error("{}: array `{array}` is truncated: {found} of {expected} data bytes", path.display())]
    Truncated {
        /// The file.
        path: PathBuf,
        /// The array's name.
        array: String,
        /// Bytes the header promises.
        expected: u64,
        /// Bytes present.
        found: u64,
    },
    /// A value is not allowed (a negative income, an age above the maximum).
    #[error("{}: array `{array}`, element {index}: {value}: {problem}", path.display())]
    InvalidValue {
        /// The file.
        path: PathBuf,
        /// The array's name.
        array: String,
        /// The element's index.
        index: usize,
        /// The value, as text.
        value: String,
        /// What is allowed.
        problem: String,
    },
}

impl From<NpzError> for crate::Error {
    fn from(e: NpzError) -> Self {
        match e {
            NpzError::Io { path, source } => crate::Error::Io { path, source },
            NpzError::NotZip { ref path, .. }
            | NpzError::Compressed { ref path, .. }
            | NpzError::BadHeader { ref path, .. }
            | NpzError::Truncated { ref path, .. } => {
                crate::Error::Parse { origin: path.display().to_string(), message: e.to_string() }
            }
            NpzError::MissingArray { ref path, ref array }
            | NpzError::WrongDtype { ref path, ref array, .. }
            | NpzError::WrongShape { ref path, ref array, .. }
            | NpzError::InvalidValue { ref path, ref array, .. } => crate::Error::InvalidValue {
                origin: path.display().to_string(),
                field: array.clone(),
                value: String::new(),
                problem: e.to_string(),
            },
        }
    }
}

/// An element type of a `.npy` array this reader converts from little-endian bytes.
trait Element: Copy {
    /// The numpy `descr` strings accepted for it.
    const DESCR: &'static [&'static str];
    /// Bytes per element.
    const SIZE: usize;
    /// The element from its bytes (`SIZE` of them).
    fn from_le(bytes: &[u8]) -> Self;
}

impl Element for u8 {
    const DESCR: &'static [&'static str] = &["|u1", "<u1"];
    const SIZE: usize = 1;
    fn from_le(bytes: &[u8]) -> Self {
        bytes[0]
    }
}

impl Element for bool {
    const DESCR: &'static [&'static str] = &["|b1", "<b1"];
    const SIZE: usize = 1;
    fn from_le(bytes: &[u8]) -> Self {
        bytes[0] != 0
    }
}

impl Element for i32 {
    const DESCR: &'static [&'static str] = &["<i4"];
    const SIZE: usize = 4;
    fn from_le(bytes: &[u8]) -> Self {
        i32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
    }
}

impl Element for f32 {
    const DESCR: &'static [&'static str] = &["<f4"];
    const SIZE: usize = 4;
    fn from_le(bytes: &[u8]) -> Self {
        f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
    }
}

/// The header of one `.npy` array.
#[derive(Debug, Clone, PartialEq)]
struct NpyHeader {
    descr: String,
    fortran_order: bool,
    shape: Vec<usize>,
}

/// Parses the text of a `.npy` header: a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (100000,), }`.
fn parse_header(text: &str) -> Result<NpyHeader, String> {
    let after = |key: &str| -> Result<&str, String> {
        let at = text
            .find(&format!("'{key}'"))
            .or_else(|| text.find(&format!("\"{key}\"")))
            .ok_or_else(|| format!("no `{key}` entry"))?;
        let rest = &text[at + key.len() + 2..];
        let rest = rest.trim_start();
        rest.strip_prefix(':').map(str::trim_start).ok_or_else(|| format!("no `:` after `{key}`"))
    };
    let d = after("descr")?;
    let quote = d.chars().next().filter(|c| *c == '\'' || *c == '"').ok_or_else(|| {
        format!("`descr` is not a simple dtype string (structured dtypes are not supported): {}", first_line(d))
    })?;
    let end = d[1..].find(quote).ok_or("unterminated `descr` string")?;
    let descr = d[1..1 + end].to_string();
    let f = after("fortran_order")?;
    let fortran_order = if f.starts_with("True") {
        true
    } else if f.starts_with("False") {
        false
    } else {
        return Err(format!("`fortran_order` is neither True nor False: {}", first_line(f)));
    };
    let s = after("shape")?;
    let s = s.strip_prefix('(').ok_or("`shape` is not a tuple")?;
    let end = s.find(')').ok_or("unterminated `shape` tuple")?;
    let mut shape = Vec::new();
    for part in s[..end].split(',').map(str::trim).filter(|p| !p.is_empty()) {
        shape.push(part.parse::<usize>().map_err(|_| format!("`shape` has a bad dimension `{part}`"))?);
    }
    Ok(NpyHeader { descr, fortran_order, shape })
}

fn first_line(s: &str) -> &str {
    let s = s.lines().next().unwrap_or("");
    &s[..s.len().min(40)]
}

/// An open `.npz` archive.
struct Npz {
    path: PathBuf,
    archive: zip::ZipArchive<BufReader<File>>,
}

impl Npz {
    fn open(path: &Path) -> Result<Self, NpzError> {
        let file = File::open(path).map_err(|source| NpzError::Io { path: path.to_path_buf(), source })?;
        let archive = zip::ZipArchive::new(BufReader::with_capacity(1 << 20, file))
            .map_err(|e| NpzError::NotZip { path: path.to_path_buf(), message: e.to_string() })?;
        Ok(Npz { path: path.to_path_buf(), archive })
    }

    /// Reads one array as a vector of `T`, checking dtype and (when given) length.
    fn array<T: Element>(&mut self, name: &str, expected_len: Option<usize>) -> Result<Vec<T>, NpzError> {
        let path = &self.path;
        let array = || name.to_string();
        let bad = |problem: String| NpzError::BadHeader { path: path.clone(), array: array(), problem };
        let mut entry = match self.archive.by_name(&format!("{name}.npy")) {
            Ok(e) => e,
            Err(zip::result::ZipError::FileNotFound) => {
                return Err(NpzError::MissingArray { path: path.clone(), array: array() });
            }
            Err(zip::result::ZipError::Io(source)) => return Err(NpzError::Io { path: path.clone(), source }),
            Err(e) => return Err(NpzError::NotZip { path: path.clone(), message: format!("array `{name}`: {e}") }),
        };
        if entry.compression() != zip::CompressionMethod::Stored {
            return Err(NpzError::Compressed { path: path.clone(), array: array() });
        }
        let io = |source: std::io::Error| match source.kind() {
            std::io::ErrorKind::UnexpectedEof => bad(format!("the entry ends inside the header ({source})")),
            _ => NpzError::Io { path: path.clone(), source },
        };
        let mut preamble = [0u8; 8];
        entry.read_exact(&mut preamble).map_err(io)?;
        if &preamble[..6] != b"\x93NUMPY" {
            return Err(bad("not a .npy array (no \\x93NUMPY magic)".into()));
        }
        let header_len = match preamble[6] {
            1 => {
                let mut b = [0u8; 2];
                entry.read_exact(&mut b).map_err(io)?;
                u16::from_le_bytes(b) as usize
            }
            2 | 3 => {
                let mut b = [0u8; 4];
                entry.read_exact(&mut b).map_err(io)?;
                u32::from_le_bytes(b) as usize
            }
            v => return Err(bad(format!("unsupported .npy format version {v}"))),
        };
        if header_len > 1 << 20 {
            return Err(bad(format!("header of {header_len} bytes is implausibly long")));
        }
        let mut text = vec![0u8; header_len];
        entry.read_exact(&mut text).map_err(io)?;
        let text = String::from_utf8(text).map_err(|_| bad("header is not text".into()))?;
        let header = parse_header(&text).map_err(bad)?;
        if !T::DESCR.contains(&header.descr.as_str()) {
            return Err(NpzError::WrongDtype {
                path: path.clone(),
                array: array(),
                found: header.descr,
                expected: T::DESCR[0].to_string(),
            });
        }
        let shape_error = |found: String, expected: String| NpzError::WrongShape {
            path: path.clone(),
            array: array(),
            found,
            expected,
        };
        // A one-dimensional array is the same in C and Fortran order.
        let len = match header.shape.as_slice() {
            [n] => *n,
            other => return Err(shape_error(format!("{other:?}"), "one dimension".into())),
        };
        if let Some(n) = expected_len
            && n != len
        {
            return Err(shape_error(format!("[{len}]"), format!("[{n}] (as the other arrays of its kind)")));
        }
        let bytes = len.checked_mul(T::SIZE).ok_or_else(|| bad(format!("length {len} is too large")))?;
        let mut data = Vec::with_capacity(bytes.min(entry.size() as usize));
        let found = entry.by_ref().take(bytes as u64).read_to_end(&mut data).map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::InvalidData => {
                NpzError::NotZip { path: path.clone(), message: format!("array `{name}`: {e}") }
            }
            _ => NpzError::Io { path: path.clone(), source: e },
        })?;
        if found < bytes {
            return Err(NpzError::Truncated {
                path: path.clone(),
                array: array(),
                expected: bytes as u64,
                found: found as u64,
            });
        }
        Ok(data.chunks_exact(T::SIZE).map(T::from_le).collect())
    }
}

/// The arrays of a peers' population file, as stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeerArrays {
    /// Members per household.
    pub hh_size: Vec<u8>,
    /// Household lives in a town or city.
    pub hh_urban: Vec<bool>,
    /// Household index of each person.
    pub person_hh: Vec<i32>,
    /// Age in completed years.
    pub age: Vec<u8>,
    /// Severely disabled.
    pub severely_disabled: Vec<bool>,
    /// In paid employment: the employment-cost deduction of the means test applies.
    pub employed: Vec<bool>,
    /// Wage income, yuan per year.
    pub wage_income: Vec<f32>,
    /// Net operating income, yuan per year.
    pub operating_income: Vec<f32>,
    /// Net property income, yuan per year.
    pub property_income: Vec<f32>,
    /// Employer-scheme retiree pension, yuan per year.
    pub retiree_pension: Vec<f32>,
    /// Poverty-relief project income, yuan per year (the generator pays it to a
    /// household's first member).
    pub poverty_project_income: Vec<f32>,
}

impl PeerArrays {
    /// Number of households.
    pub fn household_count(&self) -> usize {
        self.hh_size.len()
    }

    /// Number of persons.
    pub fn person_count(&self) -> usize {
        self.age.len()
    }
}

/// Reads every array of the peers' layout from an `.npz` file and checks it: dtypes and
/// lengths, `person_hh` consistent with `hh_size` (persons stored household by
/// household, every household with at least one member), ages at most
/// [`MAX_AGE`], money finite, within ±[`MAX_AMOUNT_PER_YEAR`] and, except operating
/// income, not negative.
///
/// # Errors
/// An [`NpzError`] naming the file, the array and the problem.
pub fn read_peer_arrays(path: &Path) -> Result<PeerArrays, NpzError> {
    let mut z = Npz::open(path)?;
    let hh_size: Vec<u8> = z.array("hh_size", None)?;
    let n = hh_size.len();
    let hh_urban = z.array("hh_urban", Some(n))?;
    let person_hh: Vec<i32> = z.array("person_hh", None)?;
    let p = person_hh.len();
    let a = PeerArrays {
        hh_size,
        hh_urban,
        person_hh,
        age: z.array("age", Some(p))?,
        severely_disabled: z.array("severely_disabled", Some(p))?,
        employed: z.array("employed", Some(p))?,
        wage_income: z.array("wage_income", Some(p))?,
        operating_income: z.array("operating_income", Some(p))?,
        property_income: z.array("property_income", Some(p))?,
        retiree_pension: z.array("retiree_pension", Some(p))?,
        poverty_project_income: z.array("poverty_project_income", Some(p))?,
    };
    check(path, &a)?;
    Ok(a)
}

fn check(path: &Path, a: &PeerArrays) -> Result<(), NpzError> {
    let invalid = |array: &str, index: usize, value: String, problem: &str| NpzError::InvalidValue {
        path: path.to_path_buf(),
        array: array.to_string(),
        index,
        value,
        problem: problem.to_string(),
    };
    let mut person = 0usize;
    for (h, &size) in a.hh_size.iter().enumerate() {
        if size == 0 {
            return Err(invalid("hh_size", h, "0".into(), "every household needs at least one member"));
        }
        for i in person..person + size as usize {
            match a.person_hh.get(i) {
                Some(&x) if x as i64 == h as i64 => {}
                Some(&x) => {
                    return Err(invalid(
                        "person_hh",
                        i,
                        x.to_string(),
                        &format!(
                            "expected household {h}: persons must be stored household by household, hh_size[{h}] = \
                             {size} of them"
                        ),
                    ));
                }
                None => {
                    return Err(NpzError::WrongShape {
                        path: path.to_path_buf(),
                        array: "person_hh".into(),
                        found: format!("[{}]", a.person_hh.len()),
                        expected: "the sum of hh_size".into(),
                    });
                }
            }
        }
        person += size as usize;
    }
    if person != a.person_hh.len() {
        return Err(NpzError::WrongShape {
            path: path.to_path_buf(),
            array: "person_hh".into(),
            found: format!("[{}]", a.person_hh.len()),
            expected: format!("[{person}] (the sum of hh_size)"),
        });
    }
    if let Some((i, &x)) = a.age.iter().enumerate().find(|(_, x)| **x > MAX_AGE) {
        return Err(invalid("age", i, x.to_string(), &format!("must be at most {MAX_AGE}")));
    }
    let money: [(&str, &[f32], bool); 5] = [
        ("wage_income", &a.wage_income, false),
        ("operating_income", &a.operating_income, true),
        ("property_income", &a.property_income, false),
        ("retiree_pension", &a.retiree_pension, false),
        ("poverty_project_income", &a.poverty_project_income, false),
    ];
    for (name, column, may_be_negative) in money {
        let bad = |x: f32| !x.is_finite() || x.abs() > MAX_AMOUNT_PER_YEAR || (!may_be_negative && x < 0.0);
        if let Some((i, &x)) = column.iter().enumerate().find(|(_, x)| bad(**x)) {
            let problem = if may_be_negative {
                format!("must be a finite amount within ±{MAX_AMOUNT_PER_YEAR:e} (yuan per year)")
            } else {
                format!("must be a finite, non-negative amount up to {MAX_AMOUNT_PER_YEAR:e} (yuan per year)")
            };
            return Err(invalid(name, i, x.to_string(), &problem));
        }
    }
    Ok(())
}

/// The households `range` of checked peer arrays as a [`Population`] whose first
/// household has global id `first_id + range.start`.
///
/// The mapping (also in `docs/peers.md`):
/// - `employed` → [`Employment::LocalEmployee`] with 12 months in the job; persons not
///   employed have 0 months in a job and are [`Employment::Retired`] when they draw a
///   retiree pension, [`Employment::NotInLabourForce`] otherwise. Their casual wages
///   and own-account operating income stay income, but no employment-cost deduction
///   applies to them, as in the peers' means test.
/// - `severely_disabled` → [`Disability::Severe`], else [`Disability::None`];
///   able to work by the loader's default rule (16–59 and not severe).
/// - `hh_urban` → residence; hukou follows residence (the layout has no hukou).
/// - `poverty_project_income` of the members is summed into the household's.
/// - Not in the layout, so set to neutral values: weight 1, county tier 0, no
///   household or person flags, no land, rigid expenses, remittances or other
///   transfers; sex male, junior-secondary education, occupation `other`; tax,
///   contributions and wage shocks 0.
///
/// # Panics
/// Never for arrays from [`read_peer_arrays`] and a range within them; a range past
/// the end is clamped.
pub fn peer_households(a: &PeerArrays, range: Range<usize>, first_id: u64) -> Population {
    let end = range.end.min(a.household_count());
    let start = range.start.min(end);
    // First person of the range: persons are stored household by household.
    let p0: usize = a.hh_size[..start].iter().map(|&s| s as usize).sum();
    build(a, start, end, p0, first_id)
}

/// Households `start..end` whose first person is `p0`.
fn build(a: &PeerArrays, start: usize, end: usize, p0: usize, first_id: u64) -> Population {
    let sizes = &a.hh_size[start..end];
    let np: usize = sizes.iter().map(|&s| s as usize).sum();
    let p1 = (p0 + np).min(a.person_count());
    let ps = p0..p1;
    let n = sizes.len();
    let residence: Vec<Residence> =
        a.hh_urban[start..end].iter().map(|&u| if u { Residence::Urban } else { Residence::Rural }).collect();
    let mut first_person = Vec::with_capacity(n);
    let mut poverty_project_income = Vec::with_capacity(n);
    let mut hukou = Vec::with_capacity(np);
    let mut first = 0u32;
    for (&size, &r) in sizes.iter().zip(&residence) {
        first_person.push(first);
        let members = p0 + first as usize..p0 + first as usize + size as usize;
        poverty_project_income.push(a.poverty_project_income[members].iter().sum::<f32>());
        let h = if r == Residence::Urban { Hukou::Urban } else { Hukou::Rural };
        hukou.extend(std::iter::repeat_n(h, size as usize));
        first += size as u32;
    }
    let disability: Vec<Disability> = a.severely_disabled[ps.clone()]
        .iter()
        .map(|&s| if s { Disability::Severe } else { Disability::None })
        .collect();
    let age = a.age[ps.clone()].to_vec();
    let able_to_work = age.iter().zip(&disability).map(|(&age, &d)| default_able_to_work(age, d)).collect();
    let employment = a.employed[ps.clone()]
        .iter()
        .zip(&a.retiree_pension[ps.clone()])
        .map(|(&e, &r)| {
            if e {
                Employment::LocalEmployee
            } else if r > 0.0 {
                Employment::Retired
            } else {
                Employment::NotInLabourForce
            }
        })
        .collect();
    let persons = Persons {
        age,
        sex: vec![Sex::Male; np],
        attributes: hukou
            .iter()
            .zip(&disability)
            .map(|(&h, &d)| PersonAttributes::new(h, Education::JuniorSecondary, d, Occupation::Other))
            .collect(),
        able_to_work,
        employment,
        months_in_job: a.employed[ps.clone()].iter().map(|&e| if e { 12 } else { 0 }).collect(),
        flags: vec![PersonFlags::default(); np],
        wage: a.wage_income[ps.clone()].to_vec(),
        operating: a.operating_income[ps.clone()].to_vec(),
        property: a.property_income[ps.clone()].to_vec(),
        retiree_pension: a.retiree_pension[ps].to_vec(),
        wage_persistent: vec![crate::model::LogShock::default(); np],
        wage_transitory: vec![crate::model::LogShock::default(); np],
    };
    let households = Households {
        id: (0..n as u64).map(|h| first_id + start as u64 + h).collect(),
        weight: vec![1.0; n],
        first_person,
        size: sizes.to_vec(),
        residence,
        tier: vec![0; n],
        flags: vec![HouseholdFlags::default(); n],
        land_mu: vec![0.0; n],
        grassland_mu: vec![0.0; n],
        land_rented_out_mu: vec![0.0; n],
        rigid_expenses: vec![0.0; n],
        remittances: vec![0.0; n],
        other_transfers: vec![0.0; n],
        poverty_project_income,
    };
    Population { first_id: first_id + start as u64, persons, households }
}

/// Reads a peers' `.npz` file into one [`Population`] (first household id 0).
///
/// # Errors
/// As [`read_peer_arrays`].
pub fn load_npz(path: &Path) -> Result<Population, NpzError> {
    let a = read_peer_arrays(path)?;
    Ok(peer_households(&a, 0..a.household_count(), 0))
}

/// Reads a peers' `.npz` file into chunks of `chunk_households` households each (the
/// last may be smaller; at least one household per chunk), chunk `k` holding
/// households `k × chunk_households ..` with those global ids. Chunks are built in
/// parallel.
///
/// # Errors
/// As [`read_peer_arrays`].
pub fn load_npz_chunks(path: &Path, chunk_households: usize) -> Result<Vec<Population>, NpzError> {
    use rayon::prelude::*;
    let a = read_peer_arrays(path)?;
    let c = chunk_households.max(1);
    let n = a.household_count();
    let mut starts = Vec::with_capacity(n / c + 1);
    let mut p0 = 0usize;
    for (k, sizes) in a.hh_size.chunks(c).enumerate() {
        starts.push((k * c, p0));
        p0 += sizes.iter().map(|&s| s as usize).sum::<usize>();
    }
    Ok(starts.into_par_iter().map(|(s, p0)| build(&a, s, (s + c).min(n), p0, 0)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_numpy_headers() {
        let h = parse_header("{'descr': '<f4', 'fortran_order': False, 'shape': (100000,), }          \n")
            .expect("valid header");
        assert_eq!(h, NpyHeader { descr: "<f4".into(), fortran_order: false, shape: vec![100000] });
        let h = parse_header("{'descr': '|b1', 'fortran_order': True, 'shape': (), }").expect("scalar");
        assert_eq!(h.shape, Vec::<usize>::new());
        assert!(h.fortran_order);
        let h = parse_header("{'descr': '<i8', 'fortran_order': False, 'shape': (3, 4), }").expect("2-D");
        assert_eq!(h.shape, vec![3, 4]);
        assert!(parse_header("{'fortran_order': False, 'shape': (3,), }").is_err());
        assert!(parse_header("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }").is_err());
        assert!(parse_header("{'descr': '<f4', 'fortran_order': False, 'shape': (x,), }").is_err());
    }
}
