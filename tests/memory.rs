//! Memory held by a materialised population: a structural check of the columns'
//! bytes per household (capacity, from `Population::heap_bytes`), never a timing.

use incomesim::Population;
use incomesim::dynamics::Dynamics;
use incomesim::generate::Generator;
use incomesim::policy::YearContext;
use incomesim::region::Profile;

/// Bytes per household a fully materialised population may hold (persons and
/// households; the year's accounts and lever columns live beside it and are counted
/// apart), as issue 6 asks. Liupanshui has 2.9 persons per household: 2.9 × 27 bytes
/// per person plus 45 bytes per household is about 124.
const MAX_BYTES_PER_HOUSEHOLD: f64 = 128.0;

fn bytes_per_household(pop: &Population) -> f64 {
    pop.heap_bytes() as f64 / pop.household_count() as f64
}

#[test]
fn a_generated_population_holds_at_most_the_documented_bytes_per_household() {
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let generator = Generator::calibrate(&profile, 7).expect("calibrates");
    let mut pop = generator.generate(100_000).expect("generates");
    let persons = pop.person_count() as f64 / pop.household_count() as f64;
    assert!((2.5..3.3).contains(&persons), "{persons} persons per household");
    let generated = bytes_per_household(&pop);
    assert!(generated <= MAX_BYTES_PER_HOUSEHOLD, "{generated:.1} bytes per household");
    // Exact columns: nothing beyond the persons and households themselves.
    // Four money columns, two two-byte log shocks, seven one-byte columns (age, sex,
    // packed attributes, able to work, employment, months in job, flags).
    let per_person = 4 * 4 + 2 * 2 + 7;
    let per_household = 4 + 4 + 4 + 3 + 2 + 7 * 4;
    let exact = persons * per_person as f64 + per_household as f64;
    // In whole bytes: the per-household figures are the same ratio rounded two ways.
    let needed = pop.person_count() * per_person + pop.household_count() * per_household;
    assert!(pop.heap_bytes() >= needed, "{generated:.1} below the {exact:.1} the columns need");
    assert!(generated <= exact + 0.5, "{generated:.1} bytes per household, {exact:.1} needed");

    // A projected year keeps the same layout and the bound: households formed by the
    // dynamics add eight bytes each for their wide ids, and the columns some slack for
    // growth.
    let mut dynamics = Dynamics::from_profile(&profile);
    dynamics.calibrate_fertility(&pop);
    let ctx = YearContext::base(profile.base_year + 1, 7);
    dynamics.advance(&ctx, &mut pop);
    assert!(pop.check_invariants().is_ok());
    let advanced = bytes_per_household(&pop);
    assert!(advanced <= MAX_BYTES_PER_HOUSEHOLD, "{advanced:.1} bytes per household after a year");
    // The figures docs/scale.md reports (`cargo test --release --test memory -- --nocapture`).
    eprintln!(
        "{persons:.2} persons per household; {generated:.1} bytes per household generated ({exact:.1} \
         needed), {advanced:.1} after a projected year"
    );
}
