//! Integration tests of microdata loading and export.

use std::path::{Path, PathBuf};

use incomesim::Error;
use incomesim::microdata::{self, Exporter, FileExporter, LoadOptions};
use incomesim::model::{
    Accounts, Disability, Education, Employment, HouseholdFlags, HouseholdRecord, Hukou, Occupation, PersonFlags,
    PersonRecord, Population, Residence, Sex,
};
use incomesim::policy::{LeverColumns, market_accounts};
use proptest::prelude::*;

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/microdata").join(path)
}

fn load(dir: &str) -> incomesim::Result<Population> {
    microdata::load_csv(
        &data(&format!("{dir}/households.csv")),
        &data(&format!("{dir}/persons.csv")),
        &LoadOptions::default(),
    )
}

fn read(households: &str, persons: &str, options: &LoadOptions) -> incomesim::Result<Population> {
    microdata::read_csv(
        households.as_bytes(),
        Path::new("households.csv"),
        persons.as_bytes(),
        Path::new("persons.csv"),
        options,
    )
}

fn problems(result: incomesim::Result<Population>) -> Vec<(String, u64, String, String)> {
    match result {
        Err(Error::Microdata { problems }) => problems
            .into_iter()
            .map(|p| {
                let file = p.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                (file, p.row, p.column, p.problem)
            })
            .collect(),
        other => panic!("expected microdata problems, got {other:?}"),
    }
}

/// File, row and column of each problem.
fn where_found(got: &[(String, u64, String, String)]) -> Vec<(&str, u64, &str)> {
    got.iter().map(|g| (g.0.as_str(), g.1, g.2.as_str())).collect()
}

#[test]
fn valid_example_loads_with_right_values() {
    let pop = load("valid").unwrap();
    assert_eq!(pop.household_count(), 6);
    assert_eq!(pop.person_count(), 13);
    assert_eq!(pop.households.size, vec![3, 3, 2, 2, 2, 1]);
    // Persons are grouped by household in the households' order, keeping their order.
    let ages: Vec<Vec<u8>> = (0..6).map(|h| pop.members(h).map(|i| pop.persons.age[i]).collect()).collect();
    assert_eq!(ages, vec![vec![42, 40, 12], vec![51, 48, 76], vec![67, 64], vec![63, 60], vec![35, 38], vec![58]]);

    let h1 = pop.households.record(0);
    assert_eq!(h1.weight, 1250.5);
    assert_eq!(h1.residence, Residence::Urban);
    assert_eq!(h1.other_transfers, 1200.0);
    let h2 = pop.households.record(1);
    assert_eq!((h2.tier, h2.land_mu, h2.land_rented_out_mu), (1, 6.5, 2.0));
    assert_eq!((h2.rigid_expenses, h2.remittances), (3000.0, 8000.0));
    let on = |h: &HouseholdRecord, bit| h.flags.has(bit);
    assert!(on(&h2, HouseholdFlags::DIBAO) && on(&h2, HouseholdFlags::FORMERLY_POOR));
    assert!(on(&h2, HouseholdFlags::COLLECTIVE_MEMBER) && !on(&h2, HouseholdFlags::MONITORED));
    let h3 = pop.households.record(2);
    assert_eq!((h3.tier, h3.grassland_mu, h3.poverty_project_income), (2, 120.0, 1500.0));
    assert!(!on(&h3, HouseholdFlags::DIBAO) && on(&h3, HouseholdFlags::MONITORED));
    assert!(on(&h3, HouseholdFlags::FORMERLY_POOR) && on(&h3, HouseholdFlags::COLLECTIVE_MEMBER));
    assert_eq!(pop.households.weight[4], 760.25);
    assert!(pop.households.record(4).flags.has(HouseholdFlags::RELOCATED));
    assert!(pop.households.record(5).flags.has(HouseholdFlags::DIBAO));

    let teacher = pop.persons.record(0);
    assert_eq!(teacher.occupation, Occupation::Teacher);
    assert_eq!(teacher.employment, Employment::PublicSector);
    assert_eq!(teacher.education, Education::Tertiary);
    assert_eq!((teacher.wage, teacher.property), (96000.0, 3500.0));
    let migrant = pop.persons.record(4);
    assert_eq!((migrant.employment, migrant.months_in_job, migrant.wage), (Employment::MigrantShortTerm, 5, 15000.0));
    let grandmother = pop.persons.record(5);
    assert_eq!((grandmother.disability, grandmother.able_to_work), (Disability::Severe, false));
    let retiree = pop.persons.record(8);
    assert_eq!((retiree.retiree_pension, retiree.property), (48000.0, 1200.0));
    let self_employed = pop.persons.record(10);
    assert_eq!(self_employed.operating, -1500.0);
    // Household 6: every optional cell empty, so defaults apply.
    let alone = pop.persons.record(12);
    assert_eq!((alone.age, alone.sex, alone.hukou), (58, Sex::Female, Hukou::Urban));
    assert_eq!((alone.employment, alone.months_in_job), (Employment::Unemployed, 0));
    assert_eq!((alone.disability, alone.occupation, alone.able_to_work), (Disability::None, Occupation::Other, true));
    assert_eq!((alone.wage, alone.operating, alone.property, alone.retiree_pension), (0.0, 0.0, 0.0, 0.0));
}

#[test]
fn bad_example_lists_every_problem() {
    let got = problems(load("bad"));
    let expected: Vec<(&str, u64, &str, &str)> = vec![
        ("households.csv", 1, "grassland", "did you mean `grassland_mu`?"),
        ("households.csv", 3, "weight", "weight `0` must be > 0"),
        ("households.csv", 4, "residence", "`suburban` is not one of: urban, rural"),
        ("households.csv", 5, "land_mu", "`abc` is not a number"),
        ("households.csv", 6, "rigid_expenses", "`-200` is negative"),
        ("households.csv", 7, "household_id", "duplicated household_id `B01` (first at row 2)"),
        ("households.csv", 8, "weight", "weight `-3` must be > 0"),
        ("households.csv", 8, "dibao", "`yes` is not a yes/no value"),
        ("persons.csv", 1, "ocupation", "did you mean `occupation`?"),
        ("persons.csv", 3, "age", "age 130 is over 110"),
        ("persons.csv", 4, "sex", "`mael` is not one of: male, female"),
        ("persons.csv", 5, "wage", "`-10` is negative"),
        ("persons.csv", 6, "age", "`forty` is not a number"),
        ("persons.csv", 7, "household_id", "household_id `B99` is not in"),
        ("households.csv", 9, "household_id", "household has 256 persons; at most 255"),
        ("households.csv", 10, "household_id", "household has no persons"),
    ];
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!((g.0.as_str(), g.1, g.2.as_str()), (e.0, e.1, e.2), "{g:?}");
        assert!(g.3.contains(e.3), "{:?} should contain {:?}", g.3, e.3);
    }
    // Unknown categories list the accepted values of their type.
    let employment = problems(read(
        "household_id,weight,residence\n1,1,urban\n",
        "household_id,age,sex,hukou,education,employment\n1,30,male,urban,tertiary,pilot\n",
        &LoadOptions::default(),
    ));
    assert_eq!(employment.len(), 1);
    assert!(employment[0].3.contains(&Employment::expected()), "{employment:?}");
}

#[test]
fn missing_file_names_the_path() {
    let missing = data("valid/no-such-file.csv");
    match microdata::load_csv(&missing, &data("valid/persons.csv"), &LoadOptions::default()) {
        Err(e @ Error::Io { .. }) => {
            let Error::Io { path, .. } = &e else { unreachable!() };
            assert_eq!(path, &missing);
            assert!(e.to_string().contains("no-such-file.csv"));
        }
        other => panic!("expected an I/O error, got {other:?}"),
    }
    let missing = data("valid/nobody.csv");
    match microdata::load_csv(&data("valid/households.csv"), &missing, &LoadOptions::default()) {
        Err(Error::Io { path, .. }) => assert_eq!(path, missing),
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

#[test]
fn missing_columns_and_cells_are_reported() {
    let got = problems(read(
        "household_id,residence\n1,urban\n2,\n",
        "household_id,age,sex,hukou,education\n1,30,,urban,tertiary\n",
        &LoadOptions::default(),
    ));
    let cells = where_found(&got);
    assert_eq!(
        cells,
        vec![
            ("households.csv", 1, "weight"),
            ("households.csv", 3, "residence"),
            ("persons.csv", 1, "employment"),
            ("persons.csv", 2, "sex"),
            ("households.csv", 3, "household_id"),
        ],
        "{got:#?}"
    );
    assert!(got[0].3.contains("required column is missing"));
    assert!(got[1].3.contains("missing value"));
}

#[test]
fn unknown_columns_can_be_ignored_and_columns_come_in_any_order() {
    let households = "Residence,province,weight,household_id\nrural,Guizhou,2,a\n";
    let persons =
        "sex,interviewer,employment,education,hukou,age,household_id\nfemale,7,student,primary_or_less,rural,9,a\n";
    let strict = problems(read(households, persons, &LoadOptions::default()));
    assert_eq!(strict.len(), 2, "{strict:?}");
    let options = LoadOptions { ignore_unknown_columns: true, ..LoadOptions::default() };
    let pop = read(households, persons, &options).unwrap();
    assert_eq!(pop.households.weight, vec![2.0]);
    assert_eq!(pop.households.residence, vec![Residence::Rural]);
    assert_eq!((pop.persons.age[0], pop.persons.able_to_work[0]), (9, false));
}

#[test]
fn amounts_areas_weights_and_shocks_beyond_their_bounds_are_problems() {
    // At the bounds: loads.
    let households = "household_id,weight,residence,land_mu,remittances\n1,1e9,rural,1e8,1e12\n";
    let persons = "household_id,age,sex,hukou,education,employment,operating,wage_persistent\n\
                   1,40,male,rural,tertiary,farmer_herder,-1e12,-8\n";
    let pop = read(households, persons, &LoadOptions::default()).expect("values at the bounds load");
    assert_eq!(pop.households.remittances[0], microdata::MAX_AMOUNT_PER_YEAR);
    assert_eq!(pop.persons.operating[0], -microdata::MAX_AMOUNT_PER_YEAR);
    // Beyond them (3.4e38 is still a finite f32 and overflowed in the first projected year).
    let households = "household_id,weight,residence,land_mu,remittances\n1,1.1e9,rural,1.1e8,3.4e38\n";
    let persons = "household_id,age,sex,hukou,education,employment,operating,wage,wage_transitory\n\
                   1,40,male,rural,tertiary,farmer_herder,-1.1e12,2e12,9\n";
    let got = problems(read(households, persons, &LoadOptions::default()));
    let cells = where_found(&got);
    assert_eq!(
        cells,
        vec![
            ("households.csv", 2, "weight"),
            ("households.csv", 2, "land_mu"),
            ("households.csv", 2, "remittances"),
            ("persons.csv", 2, "wage"),
            ("persons.csv", 2, "operating"),
            ("persons.csv", 2, "wage_transitory"),
        ],
        "{got:#?}"
    );
    assert!(got[0].3.contains("over 1e9 households"), "{}", got[0].3);
    assert!(got[1].3.contains("over 1e8 mu"), "{}", got[1].3);
    assert!(got[2].3.contains("beyond ±1e12 yuan per year"), "{}", got[2].3);
    assert!(got[5].3.contains("log wage shock"), "{}", got[5].3);
    // A subnormal weight (the fuzz test's find: the next year's rural mean was NaN).
    let persons = "household_id,age,sex,hukou,education,employment\n1,40,male,rural,tertiary,farmer_herder\n";
    let got = problems(read("household_id,weight,residence\n1,1e-45,rural\n", persons, &LoadOptions::default()));
    assert_eq!(where_found(&got), vec![("households.csv", 2, "weight")], "{got:#?}");
    assert!(got[0].3.contains("under 1e-9 households"), "{}", got[0].3);
}

#[test]
fn problem_list_is_capped_with_a_count_of_the_rest() {
    let mut persons = String::from("household_id,age,sex,hukou,education,employment\n");
    for _ in 0..10 {
        persons.push_str("1,999,male,urban,tertiary,student\n");
    }
    let options = LoadOptions { max_problems: 3, ..LoadOptions::default() };
    let got = problems(read("household_id,weight,residence\n1,1,urban\n", &persons, &options));
    assert_eq!(got.len(), 4);
    assert_eq!(got[3].1, 5);
    assert!(got[3].3.contains("7 more problem(s)"), "{got:?}");
}

#[test]
fn garbage_never_panics() {
    let inputs: [&[u8]; 6] =
        [b"", b"\xff\xfe,\x00\n\"", b"household_id\n\"unterminated", b",,,,\n,,,\n", b"a,a,a\n1,2,3\n", b"\n\n\n"];
    for h in inputs {
        for p in inputs {
            let result = microdata::read_csv(h, Path::new("h"), p, Path::new("p"), &LoadOptions::default());
            assert!(matches!(result, Err(Error::Microdata { .. })), "{result:?}");
        }
    }
}

/// A population and accounts before and after two made-up levers.
fn accounts_for(pop: &Population) -> (Accounts, Accounts, LeverColumns) {
    let mut market = Accounts::default();
    market_accounts(pop, &mut market);
    let mut after = market.clone();
    let n = pop.household_count();
    let mut levers = LeverColumns { paid: vec![vec![0.0; n], vec![0.0; n]] };
    for h in 0..n {
        let benefit = 100.0 * pop.households.size[h] as f64;
        let tax = 0.1 * market.wage[h];
        after.transfers_received[h] += benefit;
        after.transfers_paid[h] += tax;
        levers.paid[0][h] = benefit;
        levers.paid[1][h] = tax;
    }
    (market, after, levers)
}

fn export_to_strings(pop: &Population, chunks: usize) -> (String, String) {
    let (market, after, levers) = accounts_for(pop);
    let mut exporter = Exporter::new(Vec::new(), Path::new("h.csv"), 2024, ["dibao", "income_tax"])
        .with_persons(Vec::new(), Path::new("p.csv"));
    if chunks <= 1 {
        exporter.write_chunk(pop, &market, &after, &levers).unwrap();
    } else {
        // The same population split into two chunks, written in order.
        let cut = pop.household_count() / 2;
        for range in [0..cut, cut..pop.household_count()] {
            let (chunk, m, a, l) = slice(pop, &market, &after, &levers, range);
            exporter.write_chunk(&chunk, &m, &a, &l).unwrap();
        }
    }
    let (h, p) = exporter.finish().unwrap();
    (String::from_utf8(h).unwrap(), String::from_utf8(p.unwrap()).unwrap())
}

fn slice(
    pop: &Population,
    market: &Accounts,
    after: &Accounts,
    levers: &LeverColumns,
    range: std::ops::Range<usize>,
) -> (Population, Accounts, Accounts, LeverColumns) {
    let mut chunk = Population::empty(pop.household_id(range.start));
    let mut m = Accounts::default();
    let mut a = Accounts::default();
    let mut l = LeverColumns { paid: vec![Vec::new(); levers.paid.len()] };
    for h in range {
        let members: Vec<PersonRecord> = pop.members(h).map(|i| pop.persons.record(i)).collect();
        chunk.push_household(&pop.households.record(h), &members);
        for (to, from) in [(&mut m, market), (&mut a, after)] {
            to.wage.push(from.wage[h]);
            to.operating.push(from.operating[h]);
            to.property.push(from.property[h]);
            to.transfers_received.push(from.transfers_received[h]);
            to.transfers_paid.push(from.transfers_paid[h]);
        }
        for (to, from) in l.paid.iter_mut().zip(&levers.paid) {
            to.push(from[h]);
        }
    }
    (chunk, m, a, l)
}

fn load_back(households: &str, persons: &str, first_id: u64) -> Population {
    let options = LoadOptions { first_id, ..LoadOptions::default() };
    read(households, persons, &options).unwrap()
}

#[test]
fn export_round_trips_through_the_loader() {
    let pop = load("valid").unwrap();
    let (households, persons) = export_to_strings(&pop, 1);
    assert_eq!(load_back(&households, &persons, 0), pop);
    let (households2, persons2) = export_to_strings(&pop, 2);
    assert_eq!((households2, persons2), (households.clone(), persons));

    // The header holds the loader's required columns, accounts, and one column per lever.
    let header: Vec<&str> = households.lines().next().unwrap().split(',').collect();
    for required in microdata::HOUSEHOLD_REQUIRED {
        assert!(header.contains(&required), "{required}");
    }
    for column in ["size", "market_wage", "final_transfers_received", "per_capita_disposable", "lever_dibao"] {
        assert!(header.contains(&column), "{column}");
    }
    assert_eq!(header.last(), Some(&"lever_income_tax"));
    // Household 1 (three persons, wages 96,000 and 54,000, property 3,500, transfers 1,200).
    let mut reader = csv::Reader::from_reader(households.as_bytes());
    let heads = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| row[heads.iter().position(|h| h == name).unwrap()].parse::<f64>().unwrap();
    assert_eq!(cell("market_wage"), 150_000.0);
    assert_eq!(cell("market_disposable"), 154_700.0);
    assert_eq!(cell("lever_dibao"), 300.0);
    assert_eq!(cell("lever_income_tax"), 15_000.0);
    assert_eq!(cell("final_disposable"), 154_700.0 + 300.0 - 15_000.0);
    assert_eq!(cell("per_capita_disposable"), 140_000.0 / 3.0);
}

#[test]
fn file_export_is_atomic() {
    let dir = std::env::temp_dir().join(format!("incomesim-microdata-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let pop = load("valid").unwrap();
    let (market, after, levers) = accounts_for(&pop);
    let (h_path, p_path) = (dir.join("households.csv"), dir.join("persons.csv"));

    // An error mid-way leaves nothing behind.
    let mut exporter = FileExporter::create(&h_path, Some(&p_path), 2024, ["dibao", "income_tax"]).unwrap();
    exporter.write_chunk(&pop, &market, &after, &levers).unwrap();
    let wrong = LeverColumns { paid: vec![vec![0.0; 2]] };
    assert!(matches!(exporter.write_chunk(&pop, &market, &after, &wrong), Err(Error::InvalidRequest(_))));
    drop(exporter);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);

    // A commit puts both files in place and nothing else.
    let mut exporter = FileExporter::create(&h_path, Some(&p_path), 2024, ["dibao", "income_tax"]).unwrap();
    exporter.write_chunk(&pop, &market, &after, &levers).unwrap();
    exporter.commit().unwrap();
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, vec!["households.csv", "persons.csv"]);
    assert_eq!(microdata::load_csv(&h_path, &p_path, &LoadOptions::default()).unwrap(), pop);

    // A directory that does not exist is an I/O error naming a path in it.
    let missing = dir.join("no/such/dir/households.csv");
    match FileExporter::create(&missing, None, 2024, Vec::<String>::new()) {
        Err(Error::Io { path, .. }) => assert!(path.starts_with(dir.join("no/such/dir"))),
        other => panic!("expected an I/O error, got {other:?}"),
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Any non-negative `f32` up to `max` (larger ones scaled down by powers of two,
/// which keeps every bit of their mantissa), or a whole amount.
fn up_to(max: f32) -> impl Strategy<Value = f32> {
    prop_oneof![
        (0u32..2_000_000).prop_map(move |v| (v as f32).min(max)),
        (prop::num::f32::POSITIVE | prop::num::f32::NORMAL | prop::num::f32::SUBNORMAL | prop::num::f32::ZERO)
            .prop_map(move |mut v| {
                while v > max {
                    v *= 2f32.powi(-40);
                }
                v
            }),
    ]
}

fn money() -> impl Strategy<Value = f32> {
    up_to(microdata::MAX_AMOUNT_PER_YEAR)
}

fn area() -> impl Strategy<Value = f32> {
    up_to(microdata::MAX_AREA_MU)
}

fn person() -> impl Strategy<Value = PersonRecord> {
    (
        (0u8..=110, prop::sample::select(Sex::ALL), prop::sample::select(Hukou::ALL)),
        (prop::sample::select(Education::ALL), any::<bool>(), prop::sample::select(Disability::ALL)),
        (prop::sample::select(Employment::ALL), 0u8..=12, prop::sample::select(Occupation::ALL), any::<u8>()),
        (money(), money().prop_map(|v| -v), money(), money(), money(), money()),
        any::<bool>(),
    )
        .prop_map(
            |((age, sex, hukou), (education, able, disability), (employment, months, occupation, flags), m, neg)| {
                PersonRecord {
                    age,
                    sex,
                    hukou,
                    education,
                    able_to_work: able,
                    disability,
                    employment,
                    months_in_job: months,
                    occupation,
                    flags: PersonFlags(flags),
                    wage: m.0,
                    operating: if neg { m.1 } else { m.2 },
                    property: m.2,
                    retiree_pension: m.3,
                    income_tax: m.4,
                    contributions: m.5,
                    wage_persistent: 0.0,
                    wage_transitory: 0.0,
                }
            },
        )
}

fn household() -> impl Strategy<Value = (HouseholdRecord, Vec<PersonRecord>)> {
    (
        (
            up_to(microdata::MAX_WEIGHT).prop_filter("weight at least the bound", |w| *w >= microdata::MIN_WEIGHT),
            prop::sample::select(Residence::BOTH.to_vec()),
            0u8..=3,
        ),
        (any::<u16>(), prop::option::of(1u8..=7)),
        (area(), area(), area(), money(), money(), money(), money()),
        prop::collection::vec(person(), 1..6),
    )
        .prop_map(|((weight, residence, tier), (flags, units), m, persons)| {
            let mut flags = HouseholdFlags(flags & 0x07ff);
            if let Some(n) = units {
                flags.set_dibao_units(n.min(persons.len() as u8));
            }
            (
                HouseholdRecord {
                    weight,
                    residence,
                    tier,
                    flags,
                    land_mu: m.0,
                    grassland_mu: m.1,
                    land_rented_out_mu: m.2,
                    rigid_expenses: m.3,
                    remittances: m.4,
                    other_transfers: m.5,
                    poverty_project_income: m.6,
                },
                persons,
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_populations_round_trip_exactly(
        households in prop::collection::vec(household(), 1..12),
        first_id in 0u64..1_000_000,
    ) {
        let mut pop = Population::empty(first_id);
        for (h, members) in &households {
            pop.push_household(h, members);
        }
        let (h_csv, p_csv) = export_to_strings(&pop, 2);
        let back = load_back(&h_csv, &p_csv, first_id);
        prop_assert_eq!(&back, &pop);
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        prop_assert_eq!(bits(&back.persons.operating), bits(&pop.persons.operating));
        prop_assert_eq!(bits(&back.households.weight), bits(&pop.households.weight));
    }

    #[test]
    fn arbitrary_bytes_never_panic(h in prop::collection::vec(any::<u8>(), 0..200), p in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = microdata::read_csv(&h[..], Path::new("h"), &p[..], Path::new("p"), &LoadOptions::default());
    }
}

/// The CSV examples in `docs/microdata.md` load (households block first, persons second).
#[test]
fn documented_example_loads() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/microdata.md")).unwrap();
    let blocks: Vec<&str> =
        doc.split("```csv\n").skip(1).map(|rest| rest.split("```").next().unwrap_or_default()).collect();
    assert_eq!(blocks.len(), 2);
    let pop = read(blocks[0], blocks[1], &LoadOptions::default()).unwrap();
    assert_eq!(pop.households.size, vec![2, 2]);
    let second = pop.persons.record(1);
    assert_eq!((second.age, second.wage, second.able_to_work, second.months_in_job), (40, 54000.0, true, 12));
}

#[test]
fn declared_size_is_checked() {
    let got = problems(read(
        "household_id,weight,residence,size\n1,1,urban,2\n",
        "household_id,age,sex,hukou,education,employment\n1,30,male,urban,tertiary,student\n",
        &LoadOptions::default(),
    ));
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].1, got[0].2.as_str()), (2, "size"));
    assert!(got[0].3.contains("size is 2 but persons.csv lists 1"), "{got:?}");
}

#[test]
fn dibao_single_person_units_are_counted_and_checked() {
    let persons = "household_id,age,sex,hukou,education,employment\n\
                   1,70,male,rural,primary_or_less,retired\n1,68,female,rural,primary_or_less,retired\n1,40,male,rural,primary_or_less,farmer_herder\n";
    let households = |cells: &str| {
        format!("household_id,weight,residence,dibao,dibao_single_person,dibao_unit_persons\n1,1,rural,{cells}\n")
    };
    let pop = read(&households("1,1,2"), persons, &LoadOptions::default()).unwrap();
    assert_eq!(pop.households.flags[0].dibao_unit_persons(), 2);
    assert_eq!(incomesim::policy::dibao::recipient_persons(&pop, 0), 2);
    // Exported and loaded back with its count.
    let (h_csv, p_csv) = export_to_strings(&pop, 1);
    assert!(h_csv.lines().next().unwrap().split(',').any(|c| c == "dibao_unit_persons"));
    assert_eq!(load_back(&h_csv, &p_csv, 0), pop);
    for (cells, column, says) in [
        ("1,1,0", "dibao_unit_persons", "at least 1 member"),
        ("1,0,2", "dibao_unit_persons", "`dibao_single_person` is not set"),
        ("1,1,", "dibao_unit_persons", "is missing"),
        ("0,1,1", "dibao_single_person", "`dibao` is not"),
        ("1,1,8", "dibao_unit_persons", "over 7"),
        ("1,1,4", "dibao_unit_persons", "lists 3 person(s)"),
    ] {
        let got = problems(read(&households(cells), persons, &LoadOptions::default()));
        assert_eq!(got.len(), 1, "{cells}: {got:?}");
        assert_eq!((got[0].1, got[0].2.as_str()), (2, column), "{cells}");
        assert!(got[0].3.contains(says), "{cells}: {got:?}");
    }
}

/// Cell values a mutation writes: empty, signs, non-finite, beyond `f32` and the
/// integer types, not numbers, quoting and separators.
const HOSTILE_CELLS: &[&str] = &[
    "",
    "-1",
    "0",
    "-0",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e39",
    "-1e39",
    "1e-45",
    "3.4e38",
    "99999999999999999999",
    "255",
    "256",
    "65536",
    "abc",
    "中",
    " 3 ",
    "0x10",
    "1,0",
    "\"",
    "\"\"",
    "1.5",
    "true",
    "2",
    "H001",
    "urban",
];

/// One change to the valid example's CSV text: a cell replaced, a row dropped or
/// duplicated.
#[derive(Debug, Clone)]
enum CsvChange {
    Cell { persons: bool, row: usize, column: usize, value: usize },
    DropRow { persons: bool, row: usize },
    DuplicateRow { persons: bool, row: usize },
}

fn csv_change() -> impl Strategy<Value = CsvChange> {
    prop_oneof![
        6 => (any::<bool>(), any::<usize>(), any::<usize>(), 0..HOSTILE_CELLS.len())
            .prop_map(|(persons, row, column, value)| CsvChange::Cell { persons, row, column, value }),
        1 => (any::<bool>(), any::<usize>()).prop_map(|(persons, row)| CsvChange::DropRow { persons, row }),
        1 => (any::<bool>(), any::<usize>()).prop_map(|(persons, row)| CsvChange::DuplicateRow { persons, row }),
    ]
}

fn change_csv(households: &mut String, persons: &mut String, change: &CsvChange) {
    let (is_persons, row) = match *change {
        CsvChange::Cell { persons, row, .. }
        | CsvChange::DropRow { persons, row }
        | CsvChange::DuplicateRow { persons, row } => (persons, row),
    };
    let text = if is_persons { persons } else { households };
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Row 0 is the header: a header cell changed is a column renamed.
    let r = row % lines.len();
    match *change {
        CsvChange::Cell { column, value, .. } => {
            let mut cells: Vec<String> = lines[r].split(',').map(str::to_string).collect();
            let c = column % cells.len();
            cells[c] = HOSTILE_CELLS[value].to_string();
            lines[r] = cells.join(",");
        }
        CsvChange::DropRow { .. } => {
            lines.remove(r);
        }
        CsvChange::DuplicateRow { .. } => {
            let copy = lines[r].clone();
            lines.insert(r, copy);
        }
    }
    *text = lines.join("\n") + "\n";
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// The valid example with hostile cells or rows: it loads, and then projects the
    /// default scenario's three years with money that adds up, or it fails with
    /// problems that each name a file, a row and a column; never a panic.
    #[test]
    fn hostile_cells_load_and_project_or_fail_with_located_problems(
        changes in prop::collection::vec(csv_change(), 1..3),
    ) {
        let mut households = std::fs::read_to_string(data("valid/households.csv")).expect("example");
        let mut persons = std::fs::read_to_string(data("valid/persons.csv")).expect("example");
        for change in &changes {
            change_csv(&mut households, &mut persons, change);
        }
        match read(&households, &persons, &LoadOptions::default()) {
            Err(Error::Microdata { problems }) => {
                prop_assert!(!problems.is_empty());
                for p in &problems {
                    prop_assert!(!p.problem.trim().is_empty(), "{:?}", p);
                    prop_assert!(p.file.ends_with("households.csv") || p.file.ends_with("persons.csv"), "{:?}", p);
                }
            }
            Err(other) => prop_assert!(false, "not a microdata error: {}", other),
            Ok(pop) => {
                for (i, &w) in pop.persons.wage.iter().enumerate() {
                    prop_assert!(w.is_finite() && w >= 0.0, "person {} wage {}", i, w);
                }
                let dir = std::env::temp_dir().join(format!("incomesim-md-fuzz-{}", std::process::id()));
                std::fs::create_dir_all(&dir).expect("temp dir");
                std::fs::write(dir.join("households.csv"), &households).expect("write");
                std::fs::write(dir.join("persons.csv"), &persons).expect("write");
                let mut s = incomesim::scenario::load_builtin("liupanshui-2022").expect("default");
                s.microdata = Some(incomesim::scenario::MicrodataFiles {
                    households: dir.join("households.csv"),
                    persons: dir.join("persons.csv"),
                });
                s.households = pop.household_count();
                s.shapley = false;
                s.replications = 1;
                if let Ok(outcome) = incomesim::engine::projection::Projection::new(&s).run() {
                    for y in outcome.reform.years.iter().chain(&outcome.baseline.years) {
                        let y = &y.indicators;
                        prop_assert!(!y.urban_rural_ratio.is_infinite(), "{} ratio {}", y.year, y.urban_rural_ratio);
                        for (g, name) in y.groups.iter().zip(incomesim::scenario::GROUPS) {
                            let m = &g.mean;
                            // A group with no households has NaN means; any other value is finite.
                            let values = [m.disposable, m.wage, m.operating, m.property, m.net_transfer, g.gini, g.theil, g.dibao_spending, g.disposable_total];
                            prop_assert!(
                                g.households == 0.0 || values.iter().chain(&g.quintile_means).all(|v| v.is_finite()),
                                "{} {}: not finite: {:?} {:?}", y.year, name, values, g.quintile_means
                            );
                            if g.households == 0.0 {
                                continue;
                            }
                            let parts = m.wage + m.operating + m.property + m.net_transfer;
                            prop_assert!(
                                (m.disposable - parts).abs() <= 1e-6 * m.disposable.abs().max(1.0),
                                "{} {}: disposable {} parts {}", y.year, name, m.disposable, parts
                            );
                        }
                    }
                }
                std::fs::remove_dir_all(&dir).ok();
            }
        }
    }
}
