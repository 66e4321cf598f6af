//! Rationing is exact and the same whatever the chunks.

use incomesim::model::{Disability, Employment, HouseholdFlags, HouseholdRecord, PersonRecord, Population, Sex};
use incomesim::policy::employment::PublicWelfarePosts;
use incomesim::policy::rationing::{Allocator, Candidate, Rationed, allocate};
use incomesim::policy::{Dated, YearContext};
use incomesim::random::{Purpose, StreamRng};

/// Household `id` of a synthetic population, deterministic in the id.
fn household(id: u64) -> (HouseholdRecord, Vec<PersonRecord>) {
    let mut r = StreamRng::new(99, id, 0, Purpose::Structure);
    let mut flags = HouseholdFlags::default();
    flags.set(HouseholdFlags::FORMERLY_POOR, r.bernoulli(0.2));
    flags.set(HouseholdFlags::DIBAO, r.bernoulli(0.1));
    let hh = HouseholdRecord { weight: 0.5 + 3.0 * r.uniform() as f32, flags, ..Default::default() };
    let n = 1 + (r.uniform() * 4.0) as usize;
    let members = (0..n)
        .map(|_| PersonRecord {
            age: 16 + (r.uniform() * 60.0) as u8,
            sex: if r.bernoulli(0.5) { Sex::Male } else { Sex::Female },
            disability: if r.bernoulli(0.08) { Disability::Moderate } else { Disability::None },
            employment: [Employment::Unemployed, Employment::FarmerHerder, Employment::LocalEmployee]
                [(r.uniform() * 3.0) as usize],
            months_in_job: 12,
            ..Default::default()
        })
        .collect();
    (hh, members)
}

fn chunks(n: u64, k: u64) -> Vec<Population> {
    let mut out = Vec::new();
    let size = n.div_ceil(k);
    let mut start = 0;
    while start < n {
        let end = (start + size).min(n);
        let mut pop = Population::empty(start);
        for id in start..end {
            let (hh, m) = household(id);
            pop.push_household(&hh, &m);
        }
        out.push(pop);
        start = end;
    }
    out
}

/// Public-welfare posts with `places` a year, 500 yuan a month, 10% for disabled people.
fn posts(places: f64) -> PublicWelfarePosts {
    PublicWelfarePosts::new(Dated::constant(places), Dated::constant(500.0), 0.10, 1).expect("valid")
}

fn chosen(lever: &PublicWelfarePosts, ctx: &YearContext, pops: &[Population]) -> (Vec<(u64, u16)>, f64, f64) {
    let refs: Vec<&Population> = pops.iter().collect();
    let a = allocate(lever, ctx, &refs).expect("valid");
    let mut out = Vec::new();
    let mut max_w: f64 = 0.0;
    for pop in pops {
        for c in lever.chosen(ctx, pop, &a) {
            out.push((c.household_id, c.member));
            max_w = max_w.max(c.weight);
        }
    }
    (out, a.report.filled, max_w)
}

#[test]
fn same_assignments_in_1_3_and_7_chunks_and_filled_within_a_household() {
    let ctx = YearContext::base(2023, 7);
    let lever = posts(250.0);
    let whole = chunks(1000, 1);
    let (reference, filled, _) = chosen(&lever, &ctx, &whole);
    assert!(!reference.is_empty());
    // Filled weight within half of the largest household weight (≤ 3.5) of 250.
    assert!((filled - 250.0).abs() <= 3.5 / 2.0 + 1e-9, "filled {filled}");
    // The weights of the chosen add up to the reported fill.
    let pop = &whole[0];
    let sum: f64 = reference.iter().map(|(id, _)| pop.households.weight[*id as usize] as f64).sum();
    assert!((sum - filled).abs() < 1e-3);
    // Disabled people get at least their quota (10% of 250 = 25, within half a household).
    let a = allocate(&lever, &ctx, &[pop]).expect("valid");
    assert!(a.report.quota_filled >= 25.0 - 3.5 / 2.0);
    for k in [3, 7] {
        let (got, f, _) = chosen(&lever, &ctx, &chunks(1000, k));
        assert_eq!(got, reference, "{k} chunks");
        assert_eq!(f, filled);
    }
}

#[test]
fn summaries_merge_in_any_order() {
    let ctx = YearContext::base(2023, 7);
    let lever = posts(120.0);
    let parts = chunks(500, 7);
    let reference = allocate(&lever, &ctx, &parts.iter().collect::<Vec<_>>()).expect("valid");
    // Run the passes by hand, merging per-chunk summaries in reverse order.
    let mut allocator = Allocator::new("public_welfare_posts", lever.places(&ctx)).expect("valid");
    while let Some(mut merged) = allocator.summary() {
        for pop in parts.iter().rev() {
            let mut part = allocator.summary().expect("pass");
            lever.candidates(&ctx, pop, &mut |c: Candidate| part.offer(&c));
            merged.merge(part);
        }
        assert!(merged.len() < 3 * 65_536);
        allocator.finish_pass(merged);
    }
    assert_eq!(allocator.allocation().expect("done"), reference);
}

#[test]
fn too_few_eligible_fills_all_and_reports_unfilled() {
    let ctx = YearContext::base(2023, 7);
    let lever = posts(1.0e6);
    let pops = chunks(200, 3);
    let refs: Vec<&Population> = pops.iter().collect();
    let a = allocate(&lever, &ctx, &refs).expect("valid");
    assert!(a.report.filled > 0.0);
    assert!((a.report.filled - a.report.eligible).abs() < 1e-6);
    assert!((a.report.unfilled - (1.0e6 - a.report.filled)).abs() < 1e-3);
}

/// A lever set applied to a population in one piece and in chunks gives the same
/// households the same amounts and the same ledger, bit for bit: rationed levers
/// allocate over all chunks at once.
#[test]
fn lever_set_over_chunks_equals_one_piece() {
    use incomesim::generate::Generator;
    use incomesim::policy::employment::{PublicWelfarePosts, SkillsTraining};
    use incomesim::policy::{Chunk, Dated, YearContext};
    use incomesim::region::Profile;

    let profile = Profile::builtin("wuzhong-2022").expect("profile");
    let g = Generator::calibrate(&profile, 4).expect("calibrates");
    let whole = g.generate(6_000).expect("generates");
    let posts = PublicWelfarePosts::new(Dated::constant(1_500.0), Dated::constant(1_800.0), 0.1, 3).expect("valid");
    let training = SkillsTraining::new(Dated::constant(7_000.0)).expect("valid");
    let set = g.rules().clone().with(Box::new(posts)).with(Box::new(training));
    let ctx = YearContext::base(2023, 4);

    let mut one = [Chunk::new(whole.clone())];
    let ledger_one = set.apply_year_chunks(&ctx, &mut one);
    for sizes in [[2_000usize, 2_500, 1_500], [100, 5_000, 900]] {
        let mut chunks = Vec::new();
        let mut start = 0;
        for n in sizes {
            let (c, _) = g.generate_chunk(start as u64, n, 6_000);
            // Same households as the whole population (weights normalised there).
            let mut c = c;
            for h in 0..n {
                c.households.weight[h] = whole.households.weight[start + h];
            }
            chunks.push(Chunk::new(c));
            start += n;
        }
        let ledger = set.apply_year_chunks(&ctx, &mut chunks);
        assert_eq!(ledger, ledger_one, "ledger differs for chunks {sizes:?}");
        let mut offset = 0;
        for c in &chunks {
            for h in 0..c.pop.household_count() {
                let a = one[0].accounts.parts(offset + h);
                assert_eq!(a, c.accounts.parts(h), "household {} differs", offset + h);
            }
            offset += c.pop.household_count();
        }
        let posts_record = ledger.get("public_welfare_posts").expect("posts in ledger");
        assert!(posts_record.filled_places > 0.0 && posts_record.places == 1_500.0);
    }
}

/// Internships rationed to a number a year (Liupanshui §48: 1,000 interns): the same
/// interns and ledger in one piece and in chunks, the filled persons within half a
/// household's weight of the places, each paid six months of the minimum wage, and
/// what the lever reports as paid is what the households received.
#[test]
fn internships_are_rationed_exactly_and_the_same_in_chunks() {
    use incomesim::generate::Generator;
    use incomesim::policy::assistance::EmploymentTransfers;
    use incomesim::policy::{Chunk, LeverSet};
    use incomesim::region::Profile;

    let profile = Profile::builtin("national-2022").expect("profile");
    let g = Generator::calibrate(&profile, 9).expect("calibrates");
    let n = 8_000;
    let whole = g.generate(n).expect("generates");
    // Only the internships pay: the other transfers set to 0.
    let places = 1_000_000.0;
    let interns = EmploymentTransfers {
        job_seeking_per_graduate: Dated::constant(0.0),
        transport_per_migrant: Dated::constant(0.0),
        ..EmploymentTransfers::default()
    }
    .with_interns_per_year(Dated::constant(places))
    .expect("valid");
    let set = LeverSet::new().with(Box::new(interns));
    let ctx = YearContext::base(2023, 9);
    let mut one = [Chunk::new(whole.clone())];
    let ledger_one = set.apply_year_chunks(&ctx, &mut one);
    let record = ledger_one.get("employment_transfers").expect("in the ledger");
    let largest = whole.households.weight.iter().fold(0.0f64, |m, &w| m.max(f64::from(w)));
    assert_eq!(record.places, places);
    assert!((record.filled_places - places).abs() <= largest / 2.0 + 1e-6, "{record:?}");
    // Six months at the default 1,600 yuan minimum wage.
    assert!((record.paid_to_households / record.filled_places - 9_600.0).abs() < 1e-6 * 9_600.0, "{record:?}");
    // What households received: their transfers with the lever less without it.
    let mut without = [Chunk::new(whole.clone())];
    LeverSet::new().apply_year_chunks(&ctx, &mut without);
    let received: f64 = (0..n)
        .map(|h| {
            let change = one[0].accounts.parts(h).net_transfer() - without[0].accounts.parts(h).net_transfer();
            assert!((change / 9_600.0 - (change / 9_600.0).round()).abs() < 1e-9, "household {h}: {change}");
            f64::from(whole.households.weight[h]) * change
        })
        .sum();
    assert!(
        (received - record.paid_to_households).abs() < 1e-6 * record.paid_to_households,
        "{received} against {record:?}"
    );
    for sizes in [[3_000usize, 4_000, 1_000], [500, 7_000, 500]] {
        let mut chunks = Vec::new();
        let mut start = 0;
        for size in sizes {
            let (mut c, _) = g.generate_chunk(start as u64, size, n as u64);
            for h in 0..size {
                c.households.weight[h] = whole.households.weight[start + h];
            }
            chunks.push(Chunk::new(c));
            start += size;
        }
        assert_eq!(set.apply_year_chunks(&ctx, &mut chunks), ledger_one, "chunks {sizes:?}");
    }
    // Graduates first: with places for half of the unemployed graduates aged 16–24, no
    // household whose only candidates are other young unemployed gets an internship.
    let p = &whole.persons;
    let young_unemployed = |i: usize| p.employment[i] == Employment::Unemployed && (16..=24).contains(&p.age[i]);
    let graduate = |i: usize| young_unemployed(i) && p.education(i) == incomesim::model::Education::Tertiary;
    let graduates: f64 = (0..n)
        .map(|h| f64::from(whole.households.weight[h]) * whole.members(h).filter(|&i| graduate(i)).count() as f64)
        .sum();
    let others: f64 = (0..n)
        .map(|h| {
            let count = whole.members(h).filter(|&i| young_unemployed(i) && !graduate(i)).count();
            f64::from(whole.households.weight[h]) * count as f64
        })
        .sum();
    assert!(graduates > 0.0 && others > 0.0, "graduates {graduates}, others {others}");
    let half = EmploymentTransfers {
        job_seeking_per_graduate: Dated::constant(0.0),
        transport_per_migrant: Dated::constant(0.0),
        ..EmploymentTransfers::default()
    }
    .with_interns_per_year(Dated::constant(graduates / 2.0))
    .expect("valid");
    let mut halved = [Chunk::new(whole.clone())];
    LeverSet::new().with(Box::new(half)).apply_year_chunks(&ctx, &mut halved);
    let mut interns_without_graduates = 0;
    for h in 0..n {
        let paid = halved[0].accounts.parts(h).net_transfer() - without[0].accounts.parts(h).net_transfer();
        if paid > 0.0 && !whole.members(h).any(graduate) {
            interns_without_graduates += 1;
        }
    }
    assert_eq!(interns_without_graduates, 0);
    // More places than candidates: all of them, with the rest reported unfilled.
    let everyone = EmploymentTransfers::default().with_interns_per_year(Dated::constant(1e12)).expect("valid");
    let mut all = [Chunk::new(whole.clone())];
    let ledger_all = LeverSet::new().with(Box::new(everyone)).apply_year_chunks(&ctx, &mut all);
    let all_record = ledger_all.get("employment_transfers").expect("in the ledger");
    assert!((all_record.filled_places - (graduates + others)).abs() < 1e-6 * (graduates + others), "{all_record:?}");
    assert!(all_record.unfilled_places > 0.0, "{all_record:?}");
}

/// Block quotas add up to the places exactly, and allocating block by block fills
/// each quota within half of a household's weight.
#[test]
fn block_quotas_add_up_and_each_block_fills_its_own() {
    use incomesim::policy::rationing::{BlockShare, allocate_block, fixed_weight};

    for (total, block) in [(1_000u64, 128u64), (997, 100), (5, 2), (16_384 * 3 + 7, 16_384)] {
        for places in [0.0, 1.0, 250.0, 1_234.567] {
            let amount = fixed_weight(places);
            let mut sum = 0;
            let mut first = 0;
            while first < total {
                let share = BlockShare {
                    first_household: first,
                    households: block.min(total - first),
                    total_households: total,
                };
                sum += share.part(amount);
                first += block;
            }
            assert_eq!(sum, amount, "{places} places over {total} households in blocks of {block}");
        }
    }

    let ctx = YearContext::base(2023, 7);
    let lever = posts(250.0);
    let pops = chunks(1000, 4);
    let (mut places, mut filled, mut first) = (0.0, 0.0, 0u64);
    for pop in &pops {
        let n = pop.household_count() as u64;
        let share = BlockShare { first_household: first, households: n, total_households: 1000 };
        let a = allocate_block(&lever, &ctx, pop, share).expect("valid");
        // Within half of the largest household weight (3.5) of the block's quota.
        assert!((a.report.filled - a.report.places).abs() <= 3.5 / 2.0 + 1e-9, "{:?}", a.report);
        places += a.report.places;
        filled += a.report.filled;
        first += n;
    }
    assert!((places - 250.0).abs() < 1e-9, "places {places}");
    assert!((filled - 250.0).abs() <= 4.0 * 3.5 / 2.0, "filled {filled}");
}

/// The summary passes over several chunks run in parallel: the allocation is the same
/// on any number of threads, and every chosen candidate carries its tie-break key
/// (computed only where the allocation reads it, and for the chosen).
#[test]
fn allocation_over_chunks_is_the_same_on_any_threads_and_the_chosen_carry_their_keys() {
    use incomesim::policy::rationing::{lever_sub, tie_break_key};
    let ctx = YearContext::base(2023, 7);
    let lever = posts(250.0);
    let parts = chunks(3_000, 7);
    let refs: Vec<&Population> = parts.iter().collect();
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        pool.install(|| allocate(&lever, &ctx, &refs).expect("valid"))
    };
    let one = on(1);
    assert!(matches!(one.main, incomesim::policy::rationing::Cutoff::Before { .. }), "the places cut a class");
    for threads in [2, 3, 5] {
        assert_eq!(on(threads), one, "{threads} threads");
    }
    let sub = lever_sub("public_welfare_posts");
    let mut chosen = 0;
    for pop in &parts {
        for c in lever.chosen(&ctx, pop, &one) {
            assert_eq!(c.key, tie_break_key(&ctx, c.household_id, sub, c.member));
            chosen += 1;
        }
    }
    assert!(chosen > 0);
}
