//! The performance peers' layout and rules: hand-computed households from a tiny
//! committed `.npz` (tests/data/peers/make_fixtures.py), bad files, and the
//! `incomesim-peers` runner.

use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;

use incomesim::microdata::npz::peers::{EdgeRule, PeerRules, SUM_BLOCK};
use incomesim::microdata::npz::{NpzError, PeerArrays, load_npz, peer_households, read_peer_arrays};
use incomesim::model::{Accounts, Employment, HouseholdFlags, Population, Residence};
use incomesim::policy::registry::{BuildContext, build};
use incomesim::policy::{LeverColumns, LeverSet, YearContext};
use incomesim::region::Profile;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/peers").join(name)
}

// Hand-computed in the peers' own test (test_peers.py), per household:
// HH0 urban 65, nothing: basic 2400; dibao 9600; disposable 12000.
// HH1 rural 89 casual wage 1000 (not employed: no deduction): basic 2400, allowance
//     1200 + 600; 40 employed wage 10000: deduction 3600. Assessed 1000 + 6400 = 7400,
//     per capita 3700 < 7200: dibao 7000; disposable 11000 + 2400 + 1800 + 7000.
// HH2 urban 70 with retiree pension 36000: no basic pension, no dibao, not edge.
// HH3 rural 60 employed wage 12000: basic 2400 (disregarded); assessed 8400 ≥ 7200,
//     < 1.5 × 7200: edge; disposable 14400.
// HH4 urban 90 employed wage 500 (deduction 500), basic 2400, allowance 1200 (no
//     supplement at 90); 10 nothing; 45 operating 5000 + property 1000. Assessed 6000,
//     per capita 2000: dibao 3 × 7600 = 22800; disposable 6500 + 3600 + 22800.
// HH5 rural 80 employed wage 200 + project 1500: deduction 200, assessed 1500, dibao
//     5700; basic 2400, allowance 1800; disposable 1700 + 2400 + 1800 + 5700.
// HH6 rural 59 nothing: no basic pension; dibao 7200.
const DIBAO: [f64; 7] = [9600.0, 7000.0, 0.0, 0.0, 22800.0, 5700.0, 7200.0];
const EDGE: [bool; 7] = [false, false, false, true, false, false, false];
const DISPOSABLE: [f64; 7] = [12000.0, 22200.0, 36000.0, 14400.0, 32900.0, 11600.0, 7200.0];
const BASIC_PENSION: [f64; 7] = [2400.0, 2400.0, 0.0, 2400.0, 2400.0, 2400.0, 0.0];
const ALLOWANCE: [f64; 7] = [0.0, 1800.0, 0.0, 0.0, 1200.0, 1800.0, 0.0];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn the_fixture_maps_to_the_project_columns() {
    let pop = load_npz(&fixture("households7.npz")).expect("fixture loads");
    assert_eq!(pop.household_count(), 7);
    assert_eq!(pop.person_count(), 10);
    assert_eq!(pop.households.size, vec![1, 2, 1, 1, 3, 1, 1]);
    assert_eq!(pop.households.residence[0], Residence::Urban);
    assert_eq!(pop.households.residence[1], Residence::Rural);
    assert_eq!(pop.households.poverty_project_income[5], 1500.0);
    assert!(pop.households.weight.iter().all(|&w| w == 1.0));
    // Person 1 (89, casual wage, not employed) has no job months; person 2 is employed.
    assert_eq!(pop.persons.months_in_job[1], 0);
    assert_eq!(pop.persons.employment[1], Employment::NotInLabourForce);
    assert_eq!(pop.persons.months_in_job[2], 12);
    assert_eq!(pop.persons.employment[2], Employment::LocalEmployee);
    // Person 3 draws a retiree pension and has no job.
    assert_eq!(pop.persons.employment[3], Employment::Retired);
    assert_eq!(pop.persons.wage[1], 1000.0);
    assert_eq!(pop.persons.operating[7], 5000.0);
    assert_eq!(pop.persons.property[7], 1000.0);
    assert_eq!(pop.persons.retiree_pension[3], 36000.0);
}

#[test]
fn hand_computed_households_with_either_edge_rule() {
    for edge in [EdgeRule::DibaoFlag, EdgeRule::EdgeLever] {
        let rules = PeerRules::new(edge).expect("levers build");
        let mut pop = load_npz(&fixture("households7.npz")).expect("fixture loads");
        // Twice: a second pass (flags set by the first) gives the same.
        for _ in 0..2 {
            let out = rules.households(&mut pop);
            for h in 0..7 {
                assert!(close(out[h].dibao, DIBAO[h]), "{edge:?} household {h}: dibao {}", out[h].dibao);
                assert_eq!(out[h].low_income_edge, EDGE[h], "{edge:?} household {h}: edge");
                assert!(close(out[h].disposable, DISPOSABLE[h]), "household {h}: disposable {}", out[h].disposable);
                assert!(close(out[h].basic_pension, BASIC_PENSION[h]), "household {h}: basic pension");
                assert!(close(out[h].elderly_allowance, ALLOWANCE[h]), "household {h}: allowance");
            }
        }
    }
}

#[test]
fn hand_computed_aggregates() {
    let rules = PeerRules::new(EdgeRule::DibaoFlag).expect("levers build");
    let mut chunks = vec![load_npz(&fixture("households7.npz")).expect("fixture loads")];
    let a = rules.run(&mut chunks);
    let urban = (12000.0 + 36000.0 + 32900.0) / 5.0;
    let rural = (22200.0 + 14400.0 + 11600.0 + 7200.0) / 5.0;
    assert_eq!(a.households, 7);
    assert_eq!(a.persons, 10);
    assert_eq!(a.dibao_caseload_households, 5);
    assert!(close(a.dibao_spending_total, DIBAO.iter().sum()));
    assert_eq!(a.low_income_edge_households, 1);
    assert!(close(a.urban_mean_pc_disposable, urban));
    assert!(close(a.rural_mean_pc_disposable, rural));
    assert!(close(a.urban_rural_ratio, urban / rural));
    assert_eq!(a.check_basic_pension_total, 5.0 * 2400.0);
    assert_eq!(a.check_elderly_allowance_total, 1800.0 + 1200.0 + 1800.0);
}

/// 60,000 households: the fixture's seven repeated with incomes varied, so money has
/// fractions and per-capita dibao amounts do not come out whole.
fn many_households() -> PeerArrays {
    let base = read_peer_arrays(&fixture("households7.npz")).expect("fixture loads");
    let mut a = PeerArrays::default();
    let mut person = 0usize;
    for k in 0..60_000usize {
        let h = k % 7;
        let first: usize = base.hh_size[..h].iter().map(|&s| s as usize).sum();
        let size = base.hh_size[h] as usize;
        a.hh_size.push(base.hh_size[h]);
        a.hh_urban.push(base.hh_urban[h]);
        for i in first..first + size {
            let f = 1.0 + (k % 97) as f32 * 0.013;
            a.person_hh.push(k as i32);
            a.age.push(base.age[i]);
            a.severely_disabled.push(false);
            a.employed.push(base.employed[i]);
            a.wage_income.push(base.wage_income[i] * f);
            a.operating_income.push(base.operating_income[i] * f);
            a.property_income.push(base.property_income[i] * f);
            a.retiree_pension.push(base.retiree_pension[i] * f);
            a.poverty_project_income.push(base.poverty_project_income[i] * f);
            person += 1;
        }
    }
    assert_eq!(a.person_hh.len(), person);
    a
}

fn chunks_of(a: &PeerArrays, size: usize) -> Vec<Population> {
    (0..a.household_count()).step_by(size).map(|s| peer_households(a, s..s + size, 0)).collect()
}

#[test]
fn aggregates_do_not_depend_on_chunks_or_threads() {
    let a = many_households();
    let rules = PeerRules::new(EdgeRule::DibaoFlag).expect("levers build");
    let whole = rules.run(&mut chunks_of(&a, a.household_count()));
    assert!(whole.dibao_spending_total.fract() != 0.0, "the test needs fractional amounts");
    for size in [SUM_BLOCK, 3 * SUM_BLOCK, 16_384] {
        assert_eq!(rules.run(&mut chunks_of(&a, size)), whole, "chunks of {size}");
    }
    for threads in [1, 2, 3] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        let got = pool.install(|| rules.run(&mut chunks_of(&a, SUM_BLOCK)));
        assert_eq!(got, whole, "{threads} threads");
    }
    // The edge lever flags the same households.
    let with_lever = PeerRules::new(EdgeRule::EdgeLever).expect("levers build");
    assert_eq!(with_lever.run(&mut chunks_of(&a, SUM_BLOCK)), whole);
}

/// The levers' fast paths (members summed and counted person by person, dibao's plain
/// path for constant thresholds) against their general paths, bit for bit: a person
/// stored after the last household makes the persons non-contiguous (market accounts
/// and the dibao means test loop over each household's members), and a last-year
/// recipient in the chunk sends dibao down its general path (nobody has a new job, so
/// being a last-year recipient changes nothing for that household).
#[test]
fn fast_paths_give_the_general_paths_results_bit_for_bit() {
    let a = many_households();
    let rules = PeerRules::new(EdgeRule::DibaoFlag).expect("levers build");
    let fast_pop = chunks_of(&a, a.household_count()).remove(0);
    let mut gap = fast_pop.clone();
    let stray = gap.persons.record(0);
    gap.persons.push(&stray);
    let mut last_year = fast_pop.clone();
    last_year.households.flags[5].set(HouseholdFlags::DIBAO_LAST_YEAR, true);
    let mut fast_pop = fast_pop;
    let fast = rules.households(&mut fast_pop);
    assert!(fast.iter().any(|h| h.dibao > 0.0 && h.dibao.fract() != 0.0), "the test needs fractional dibao");
    for (name, mut pop) in [("persons with a gap", gap), ("a last-year recipient", last_year)] {
        let general = rules.households(&mut pop);
        assert_eq!(general.len(), fast.len());
        for (h, (f, g)) in fast.iter().zip(&general).enumerate() {
            let bits = |x: &incomesim::microdata::npz::peers::PeerHousehold| {
                [x.basic_pension, x.elderly_allowance, x.dibao, x.disposable].map(f64::to_bits)
            };
            assert_eq!(bits(f), bits(g), "{name}: household {h}");
            assert_eq!(f.low_income_edge, g.low_income_edge, "{name}: household {h}");
            let mask = !HouseholdFlags::DIBAO_LAST_YEAR;
            assert_eq!(fast_pop.households.flags[h].0 & mask, pop.households.flags[h].0 & mask, "{name}: {h}");
        }
    }
}

#[test]
fn the_deduction_base_parameter_changes_only_what_it_should() {
    // Household 5's employed member earns 200 in wages; give him 1,000 of farm income.
    let mut a = read_peer_arrays(&fixture("households7.npz")).expect("fixture loads");
    a.operating_income[8] = 1000.0;
    let mut pop = peer_households(&a, 0..7, 0);
    // Peers' rule (wage base): deduction min(200, 3600) = 200; assessed 200 - 200 + 1000
    // + 1500 = 2500; dibao 7200 - 2500 = 4700.
    let peers = PeerRules::new(EdgeRule::DibaoFlag).expect("levers build").households(&mut pop.clone());
    assert!(close(peers[5].dibao, 4700.0), "{}", peers[5].dibao);
    // The default (earnings base): deduction min(3600, 1200) = 1200; assessed 1500;
    // dibao 5700.
    let profile = Profile::builtin("national-2022").expect("profile");
    let ctx = BuildContext { base_year: 2024, profile: &profile, calibration: None };
    let table: toml::Table = toml::from_str(
        "urban_threshold_per_month = 800.0\nrural_threshold_per_month = 600.0\ntake_up_urban = 1.0\n\
         take_up_rural = 1.0\nemployment_cost_deduction_per_month = 300.0\n",
    )
    .expect("toml");
    let set = LeverSet::new().with(build("dibao", ctx, &table).expect("dibao builds"));
    let mut accounts = Accounts::default();
    let mut columns = LeverColumns::default();
    set.apply_year(&YearContext::base(2024, 0), &mut pop, &mut accounts, &mut columns);
    assert!(close(columns.paid[0][5], 5700.0), "{}", columns.paid[0][5]);
    // A word that is not a base is refused, naming the parameter.
    let mut bad = table.clone();
    bad.insert("employment_cost_deduction_base".into(), toml::Value::String("salary".into()));
    let e = build("dibao", ctx, &bad).expect_err("unknown base");
    assert!(e.to_string().contains("employment_cost_deduction_base"), "{e}");
}

fn error_of(name: &str) -> NpzError {
    match load_npz(&fixture(name)) {
        Ok(_) => panic!("{name} loaded"),
        Err(e) => e,
    }
}

#[test]
fn bad_files_give_clear_errors() {
    let e = error_of("missing_age.npz");
    assert!(matches!(&e, NpzError::MissingArray { array, .. } if array == "age"), "{e}");
    assert!(e.to_string().contains("`age`"), "{e}");

    let e = error_of("wage_float64.npz");
    assert!(matches!(&e, NpzError::WrongDtype { array, found, .. } if array == "wage_income" && found == "<f8"), "{e}");
    assert!(e.to_string().contains("<f4"), "{e}");

    let e = error_of("person_hh_unsorted.npz");
    assert!(matches!(&e, NpzError::InvalidValue { array, index: 0, .. } if array == "person_hh"), "{e}");

    let e = error_of("negative_wage.npz");
    assert!(matches!(&e, NpzError::InvalidValue { array, index: 2, .. } if array == "wage_income"), "{e}");

    let e = error_of("compressed.npz");
    assert!(matches!(&e, NpzError::Compressed { .. }), "{e}");

    let e = error_of("short_data.npz");
    assert!(matches!(&e, NpzError::Truncated { array, expected: 100, found: 7, .. } if array == "hh_size"), "{e}");

    let e = error_of("no_such_file.npz");
    assert!(matches!(&e, NpzError::Io { .. }), "{e}");
    assert!(e.to_string().contains("no_such_file.npz"), "{e}");
}

#[test]
fn truncated_and_foreign_files_are_errors_not_panics() {
    let dir = std::env::temp_dir().join(format!("incomesim-peers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bytes = std::fs::read(fixture("households7.npz")).expect("fixture");
    for cut in [0, 10, bytes.len() / 2, bytes.len() - 30, bytes.len() - 1] {
        let path = dir.join(format!("cut_{cut}.npz"));
        std::fs::write(&path, &bytes[..cut]).expect("write");
        let e = load_npz(&path).expect_err("a truncated file must not load");
        assert!(e.to_string().contains(&format!("cut_{cut}.npz")), "{e}");
    }
    let path = dir.join("text.npz");
    std::fs::write(&path, "household_id,weight\n1,1\n").expect("write");
    assert!(matches!(load_npz(&path), Err(NpzError::NotZip { .. })));
    // The crate's error type takes it, naming the file.
    let e: incomesim::Error = load_npz(&path).expect_err("not a zip").into();
    assert!(e.to_string().contains("text.npz"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_runner_prints_the_protocol_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_incomesim-peers"))
        .args(["--input", fixture("households7.npz").to_str().expect("utf-8 path"), "--repeat", "3"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let line = stdout.lines().find_map(|l| l.strip_prefix("RESULT ")).expect("a RESULT line");
    let r: serde_json::Value = serde_json::from_str(line).expect("json");
    let a = &r["aggregates"];
    assert_eq!(a["dibao_caseload_households"], 5);
    assert_eq!(a["low_income_edge_households"], 1);
    assert_eq!(a["households"], 7);
    assert_eq!(a["persons"], 10);
    assert_eq!(a["check_basic_pension_total"], 12000.0);
    for key in ["load_s", "rules_s", "engine_total_s", "rules_s_warm", "engine_total_s_warm"] {
        assert!(r["timings"][key].as_f64().is_some_and(|x| x >= 0.0), "timings.{key}");
    }

    let out = Command::new(env!("CARGO_BIN_EXE_incomesim-peers"))
        .args(["--input", fixture("wage_float64.npz").to_str().expect("utf-8 path")])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("wage_income") && !stderr.contains("panicked"), "{stderr}");
}

/// Writes `bytes` to a fresh file and loads it as peers' microdata, both ways (the
/// whole population and in chunks of 3 households).
fn load_bytes(bytes: &[u8], tag: &str) -> (Result<Population, NpzError>, Result<Vec<Population>, NpzError>) {
    let dir = std::env::temp_dir().join(format!("incomesim-peers-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{tag}.npz"));
    std::fs::write(&path, bytes).expect("write");
    let whole = load_npz(&path);
    let chunks = incomesim::microdata::npz::load_npz_chunks(&path, 3);
    std::fs::remove_file(&path).ok();
    (whole, chunks)
}

/// Shapes a mutation writes into an array's header: empty, off by one, huge, beyond
/// 64 bits, two-dimensional, negative, not a number.
const HOSTILE_SHAPES: &[&str] = &[
    "()",
    "(0,)",
    "(6,)",
    "(8,)",
    "(4294967296,)",
    "(18446744073709551615,)",
    "(99999999999999999999999,)",
    "(7, 2)",
    "(-7,)",
    "(x,)",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any bytes of the fixture overwritten, or the file cut, or an array's declared
    /// shape replaced: the loaders return a population or an error, never panic (nor
    /// abort on a huge allocation), and a file that loads gives the same households
    /// whole and in chunks.
    #[test]
    fn mangled_npz_files_load_or_fail_without_panicking(
        writes in prop::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        cut in proptest::option::of(any::<usize>()),
        shape in proptest::option::of((any::<usize>(), 0..HOSTILE_SHAPES.len())),
    ) {
        let mut bytes = std::fs::read(fixture("households7.npz")).expect("fixture");
        if let Some((which, hostile)) = shape {
            let needle = b"'shape': ";
            let places: Vec<usize> =
                bytes.windows(needle.len()).enumerate().filter(|(_, w)| *w == needle).map(|(i, _)| i + needle.len()).collect();
            let at = places[which % places.len()];
            let end = at + bytes[at..].iter().position(|&b| b == b')').expect("a shape ends") + 1;
            let replacement = HOSTILE_SHAPES[hostile].as_bytes();
            // Keep the header's length (the format pads it), so only the shape is wrong.
            let width = end - at;
            let mut patch = replacement.to_vec();
            patch.resize(width.max(patch.len()), b' ');
            bytes.splice(at..end, patch);
        }
        for (at, byte) in &writes {
            let n = bytes.len();
            bytes[at % n] = *byte;
        }
        if let Some(c) = cut {
            bytes.truncate(c % (bytes.len() + 1));
        }
        let (whole, chunks) = load_bytes(&bytes, "mangled");
        match (whole, chunks) {
            (Ok(pop), Ok(parts)) => {
                prop_assert_eq!(pop.household_count(), parts.iter().map(Population::household_count).sum::<usize>());
                prop_assert_eq!(pop.person_count(), parts.iter().map(Population::person_count).sum::<usize>());
            }
            (Err(a), Err(b)) => {
                prop_assert!(a.to_string().contains("mangled.npz"), "{}", a);
                prop_assert_eq!(a.to_string(), b.to_string());
            }
            (a, b) => prop_assert!(false, "whole {:?} but chunks {:?}", a.map(|p| p.household_count()), b.map(|c| c.len())),
        }
    }
}

/// The members of the fixture archive: name and bytes.
fn fixture_members() -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let file = std::fs::File::open(fixture("households7.npz")).expect("fixture");
    let mut archive = zip::ZipArchive::new(file).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("an entry");
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("readable");
            (entry.name().expect("a name").to_string(), bytes)
        })
        .collect()
}

/// A stored (uncompressed) archive of `members`, as numpy's `savez` writes one.
fn archive(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in members {
        writer.start_file(name.as_str(), options).expect("start");
        writer.write_all(bytes).expect("write");
    }
    writer.finish().expect("finish").into_inner()
}

/// An `.npy` (version 1) with the header dictionary `header` and then `data`.
fn npy(header: &str, data: &[u8]) -> Vec<u8> {
    let mut text = header.as_bytes().to_vec();
    let unpadded = 10 + text.len() + 1;
    text.resize(text.len() + (64 - unpadded % 64) % 64, b' ');
    text.push(b'\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&u16::try_from(text.len()).expect("a short header").to_le_bytes());
    out.extend_from_slice(&text);
    out.extend_from_slice(data);
    out
}

/// The header dictionary and data of an `.npy` member, if it is well formed (a
/// member an earlier change broke is not).
fn split_npy(bytes: &[u8]) -> Option<(String, Vec<u8>)> {
    let len = u16::from_le_bytes([*bytes.get(8)?, *bytes.get(9)?]) as usize;
    let header = String::from_utf8(bytes.get(10..10 + len)?.to_vec()).ok()?;
    let (header, data) = (header.trim_end().to_string(), bytes[10 + len..].to_vec());
    ["'descr': ", "'shape': ", "'fortran_order': "].iter().all(|f| header.contains(f)).then_some((header, data))
}

/// Element types a mutation puts in a header.
const HOSTILE_DESCRS: &[&str] = &["'<f8'", "'>i4'", "'|O'", "'<U3'", "'<i8'", "'|u1'", "'<f2'", "'x'", "3"];

/// One change to one member of a well-formed archive.
#[derive(Debug, Clone)]
enum MemberChange {
    Shape(usize),
    Descr(usize),
    FortranOrder,
    /// Data cut to this many bytes (modulo its length).
    CutData(usize),
    /// Data with extra bytes.
    ExtraData(u8),
    /// A header that is not a dictionary.
    HeaderText(usize),
    /// The member left out.
    Drop,
    /// The member's magic bytes or version changed.
    Magic(u8),
}

fn member_change() -> impl Strategy<Value = MemberChange> {
    prop_oneof![
        (0..HOSTILE_SHAPES.len()).prop_map(MemberChange::Shape),
        (0..HOSTILE_DESCRS.len()).prop_map(MemberChange::Descr),
        Just(MemberChange::FortranOrder),
        any::<usize>().prop_map(MemberChange::CutData),
        (1u8..16).prop_map(MemberChange::ExtraData),
        (0usize..4).prop_map(MemberChange::HeaderText),
        Just(MemberChange::Drop),
        (0u8..3).prop_map(MemberChange::Magic),
    ]
}

fn change_member(members: &mut Vec<(String, Vec<u8>)>, which: usize, change: &MemberChange) {
    if members.is_empty() {
        return;
    }
    let k = which % members.len();
    let Some((header, data)) = split_npy(&members[k].1) else { return };
    let replaced = |from: &str, to: &str| -> String {
        let at = header.find(from).expect("a field of the header") + from.len();
        let end = at + header[at..].find([',', '}']).expect("a field ends");
        let end =
            if header[at..].starts_with('(') { at + header[at..].find(')').expect("a tuple ends") + 1 } else { end };
        format!("{}{}{}", &header[..at], to, &header[end..])
    };
    let bytes = match change {
        MemberChange::Shape(s) => npy(&replaced("'shape': ", HOSTILE_SHAPES[*s]), &data),
        MemberChange::Descr(d) => npy(&replaced("'descr': ", HOSTILE_DESCRS[*d]), &data),
        MemberChange::FortranOrder => npy(&replaced("'fortran_order': ", "True"), &data),
        MemberChange::CutData(c) => npy(&header, &data[..c % (data.len() + 1)]),
        MemberChange::ExtraData(n) => npy(&header, &[data.clone(), vec![0; *n as usize]].concat()),
        MemberChange::HeaderText(t) => npy(["", "[]", "{'descr': '<f4'}", "{{{{"][*t], &data),
        MemberChange::Drop => {
            members.remove(k);
            return;
        }
        MemberChange::Magic(m) => {
            let mut b = members[k].1.clone();
            match m {
                0 => b[0] = b'x',
                1 => b[6] = 9,
                _ => b.truncate(7),
            }
            b
        }
    };
    members[k].1 = bytes;
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// A well-formed archive whose arrays are wrong (shape, element type, order, data
    /// length, header, a missing array): the loaders return an error naming the file,
    /// or a population (the same whole and in chunks), never panic.
    #[test]
    fn npz_archives_with_wrong_arrays_load_or_fail_without_panicking(
        changes in prop::collection::vec((any::<usize>(), member_change()), 1..3),
    ) {
        let mut members = fixture_members();
        for (which, change) in &changes {
            change_member(&mut members, *which, change);
        }
        let (whole, chunks) = load_bytes(&archive(&members), "rebuilt");
        match (whole, chunks) {
            (Ok(pop), Ok(parts)) => {
                prop_assert_eq!(pop.household_count(), parts.iter().map(Population::household_count).sum::<usize>());
            }
            (Err(a), Err(b)) => {
                prop_assert!(a.to_string().contains("rebuilt.npz"), "{}", a);
                prop_assert_eq!(a.to_string(), b.to_string());
            }
            (a, b) => prop_assert!(false, "whole {:?} but chunks {:?}", a.map(|p| p.household_count()), b.map(|c| c.len())),
        }
    }
}

#[test]
fn the_rebuilt_fixture_loads_as_the_fixture() {
    let members = fixture_members();
    let rebuilt: Vec<(String, Vec<u8>)> = members
        .iter()
        .map(|(name, bytes)| {
            let (header, data) = split_npy(bytes).expect("a well-formed member");
            (name.clone(), npy(&header, &data))
        })
        .collect();
    let (whole, _) = load_bytes(&archive(&rebuilt), "rebuilt-same");
    let original = load_npz(&fixture("households7.npz")).expect("fixture");
    let pop = whole.expect("the rebuilt archive loads");
    assert_eq!(pop.household_count(), original.household_count());
    assert_eq!(pop.persons.wage, original.persons.wage);
}

#[test]
fn amounts_beyond_the_bound_are_refused_naming_the_array_and_index() {
    for (array, index, value) in
        [("wage_income", 3usize, 3.0e38f32), ("operating_income", 1, -2.0e12), ("property_income", 0, 1.5e12)]
    {
        let mut members = fixture_members();
        let member = members.iter_mut().find(|(name, _)| name == &format!("{array}.npy")).expect("the array");
        let (header, mut data) = split_npy(&member.1).expect("well formed");
        data[index * 4..index * 4 + 4].copy_from_slice(&value.to_le_bytes());
        member.1 = npy(&header, &data);
        let (whole, _) = load_bytes(&archive(&members), "too-much");
        let e = whole.expect_err("an amount beyond the bound must not load");
        assert!(matches!(&e, NpzError::InvalidValue { array: a, index: i, .. } if a == array && *i == index), "{e}");
        assert!(e.to_string().contains("1e12"), "{e}");
    }
    // At the bound: loads.
    let mut members = fixture_members();
    let member = members.iter_mut().find(|(name, _)| name == "wage_income.npy").expect("the array");
    let (header, mut data) = split_npy(&member.1).expect("well formed");
    data[..4].copy_from_slice(&incomesim::microdata::MAX_AMOUNT_PER_YEAR.to_le_bytes());
    member.1 = npy(&header, &data);
    let (whole, _) = load_bytes(&archive(&members), "at-the-bound");
    assert_eq!(whole.expect("loads").persons.wage[0], incomesim::microdata::MAX_AMOUNT_PER_YEAR);
}
