//! Property tests over generated populations: money adds up, no benefit is negative,
//! weights are positive, weighted persons equal the resident population.

use incomesim::generate::Generator;
use incomesim::model::Accounts;
use incomesim::policy::{LeverColumns, YearContext};
use incomesim::region::{Profile, builtin_ids};
use proptest::prelude::*;
use std::sync::OnceLock;

fn generators() -> &'static Vec<Generator> {
    static G: OnceLock<Vec<Generator>> = OnceLock::new();
    G.get_or_init(|| {
        builtin_ids()
            .iter()
            .map(|id| Generator::calibrate(&Profile::builtin(id).expect("profile"), 3).expect("calibrates"))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn money_adds_up_and_weights_are_right(which in 0usize..7, first in 0u64..1_000_000_000, n in 1usize..400) {
        let gens = generators();
        let g = &gens[which % gens.len()];
        let (mut pop, _) = g.generate_chunk(first, n, 1_000_000);
        let ctx = YearContext::base(g.profile().base_year, g.params().seed);
        let mut accounts = Accounts::default();
        let mut columns = LeverColumns::default();
        let ledger = g.rules().apply_year(&ctx, &mut pop, &mut accounts, &mut columns);
        for h in 0..pop.household_count() {
            prop_assert!(pop.households.weight[h] > 0.0);
            let p = accounts.parts(h);
            let sum = p.wage + p.operating + p.property + p.transfers_received - p.transfers_paid;
            prop_assert!((p.disposable() - sum).abs() < 1e-9);
            // Market parts rebuilt from persons plus what levers paid equal the accounts.
            let market: f64 = pop.members(h).map(|i| pop.persons.wage[i] as f64 + pop.persons.operating[i] as f64
                + pop.persons.property[i] as f64 + pop.persons.retiree_pension[i] as f64).sum::<f64>()
                + pop.households.remittances[h] as f64 + pop.households.other_transfers[h] as f64
                + pop.households.poverty_project_income[h] as f64;
            let levers: f64 = columns.paid.iter().map(|c| c[h]).sum();
            let paid_by_household = 2.0 * p.transfers_paid;
            prop_assert!((market + levers - paid_by_household - p.disposable()).abs() < 1e-6 * (1.0 + p.disposable().abs()),
                "household {h}: market {market} levers {levers} paid {} disposable {}", p.transfers_paid, p.disposable());
        }
        // No benefit is negative; each lever's record equals its column, weighted.
        for (record, column) in ledger.records.iter().zip(&columns.paid) {
            let weighted: f64 = column.iter().enumerate().map(|(h, x)| x * pop.households.weight[h] as f64).sum();
            prop_assert!((record.paid_to_households - weighted).abs() <= 1e-6 * weighted.abs().max(1.0));
            prop_assert!(column.iter().all(|x| *x >= 0.0), "{} paid a negative amount", record.lever);
        }
    }
}

#[test]
fn weighted_persons_equal_the_resident_population() {
    for g in generators() {
        let pop = g.generate(5_000).expect("generates");
        let target = g.profile().population.resident_persons.value;
        let got = pop.weighted_persons();
        assert!((got / target - 1.0).abs() < 1e-6, "{}: {got} against {target}", g.profile().id);
        assert!(pop.households.weight.iter().all(|w| *w > 0.0));
    }
}
