//! The ledger's breakdown of what each lever paid, by quintile group.

use incomesim::generate::Generator;
use incomesim::model::Accounts;
use incomesim::policy::{LeverColumns, YearContext};
use incomesim::region::Profile;

#[test]
fn paid_by_quintile_adds_up_and_dibao_goes_to_the_bottom() {
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let g = Generator::calibrate(&profile, 2).expect("calibrates");
    let mut pop = g.generate(20_000).expect("generates");
    let ledger = g.rules().apply_year(
        &YearContext::base(2021, 2),
        &mut pop,
        &mut Accounts::default(),
        &mut LeverColumns::default(),
    );
    for r in &ledger.records {
        let sum: f64 = r.paid_by_quintile.iter().sum();
        assert!(
            (sum - r.paid_to_households).abs() <= 1e-6 * r.paid_to_households.abs().max(1.0),
            "{}: {sum} against {}",
            r.lever,
            r.paid_to_households
        );
    }
    let dibao = ledger.get("dibao").expect("dibao");
    assert!(dibao.paid_by_quintile[0] > 0.5 * dibao.paid_to_households, "{:?}", dibao.paid_by_quintile);
    let tax = ledger.get("income_tax").expect("tax");
    assert!(tax.paid_by_quintile[4] > tax.paid_by_quintile[0]);
}

#[test]
fn income_tax_and_contributions_are_revenue_and_transfers_a_cost() {
    let profile = Profile::builtin("liupanshui-2021").expect("profile");
    let g = Generator::calibrate(&profile, 2).expect("calibrates");
    let mut pop = g.generate(5_000).expect("generates");
    let ledger = g.rules().apply_year(
        &YearContext::base(2021, 2),
        &mut pop,
        &mut Accounts::default(),
        &mut LeverColumns::default(),
    );
    for lever in ["income_tax", "social_contributions"] {
        let r = ledger.get(lever).expect("a base rule");
        // What households pay the state is reported as paid, and is revenue.
        assert!(r.paid_to_households > 0.0, "{lever}");
        assert_eq!(r.fiscal_cost, -r.paid_to_households, "{lever}");
        assert_eq!(r.paid_privately, 0.0, "{lever}");
    }
    let dibao = ledger.get("dibao").expect("a base rule");
    assert!(dibao.paid_to_households > 0.0);
    assert_eq!(dibao.fiscal_cost, dibao.paid_to_households);
}
