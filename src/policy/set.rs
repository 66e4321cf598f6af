//! A set of levers applied in stage order.

use super::{Book, Ledger, Lever, LeverRecord, YearContext};
use crate::model::{Accounts, Population};

/// Levers applied together in [`Stage`](super::Stage) order; within a stage, in the
/// order they were added. Keyed by name: adding a lever with a name already present
/// replaces it.
#[derive(Debug, Default)]
pub struct LeverSet {
    levers: Vec<Box<dyn Lever>>,
}

/// Per-lever amounts for each household of a chunk, kept for the ledger and for
/// household microdata export.
#[derive(Debug, Default, Clone)]
pub struct LeverColumns {
    /// `paid[lever][household]`, in the set's order.
    pub paid: Vec<Vec<f64>>,
}

impl LeverSet {
    /// An empty set.
    pub fn new() -> Self {
        LeverSet::default()
    }

    /// Adds a lever (replacing one of the same name), keeping stage order.
    pub fn with(mut self, lever: Box<dyn Lever>) -> Self {
        self.insert(lever);
        self
    }

    /// Adds a lever (replacing one of the same name), keeping stage order.
    pub fn insert(&mut self, lever: Box<dyn Lever>) {
        if let Some(i) = self.levers.iter().position(|l| l.name() == lever.name()) {
            self.levers[i] = lever;
        } else {
            let stage = lever.stage();
            let at = self.levers.partition_point(|l| l.stage() <= stage);
            self.levers.insert(at, lever);
        }
    }

    /// Removes a lever by name; returns whether it was there.
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.levers.len();
        self.levers.retain(|l| l.name() != name);
        self.levers.len() != before
    }

    /// The levers in application order.
    pub fn levers(&self) -> impl Iterator<Item = &dyn Lever> {
        self.levers.iter().map(|l| l.as_ref())
    }

    /// The lever of a name.
    pub fn get(&self, name: &str) -> Option<&dyn Lever> {
        self.levers.iter().find(|l| l.name() == name).map(|l| l.as_ref())
    }

    /// Number of levers.
    pub fn len(&self) -> usize {
        self.levers.len()
    }

    /// True when the set is empty.
    pub fn is_empty(&self) -> bool {
        self.levers.is_empty()
    }

    /// Builds the accounts of every household from market incomes and private
    /// transfers, then applies every lever in order. Returns the chunk's ledger;
    /// `columns` receives each lever's amount per household.
    pub fn apply_year(
        &self,
        ctx: &YearContext,
        pop: &mut Population,
        accounts: &mut Accounts,
        columns: &mut LeverColumns,
    ) -> Ledger {
        market_accounts(pop, accounts);
        let n = pop.household_count();
        columns.paid.resize_with(self.levers.len(), Vec::new);
        let mut ledger = Ledger { records: Vec::with_capacity(self.levers.len()) };
        let names: Vec<&str> = self.levers.iter().map(|l| l.name()).collect();
        let mut outside = vec![0.0; n];
        for (i, lever) in self.levers.iter().enumerate() {
            let (earlier, rest) = columns.paid.split_at_mut(i);
            let paid = &mut rest[0];
            paid.clear();
            paid.resize(n, 0.0);
            outside.iter_mut().for_each(|x| *x = 0.0);
            let mut book = Book::with_earlier(accounts, paid, &names[..i], earlier).with_outside(&mut outside);
            lever.apply(ctx, pop, &mut book);
            let rationing = book.rationing();
            let mut record = LeverRecord { lever: lever.name().to_string(), ..Default::default() };
            if let Some(r) = rationing {
                record.places = r.places;
                record.filled_places = r.filled;
                record.unfilled_places = r.unfilled;
            }
            Ledger::record_column(&mut record, pop, paid);
            // Costs paid on behalf of households outside their income (weighted, in
            // household order).
            let outside_cost: f64 = outside.iter().zip(&pop.households.weight).map(|(&x, &w)| x * w as f64).sum();
            record.fiscal_cost = record.paid_to_households
                + outside_cost
                + lever.extra_fiscal_cost(ctx, record.paid_to_households, record.recipient_households);
            ledger.records.push(record);
        }
        ledger
    }
}

/// Sets the accounts to market incomes and private transfers: wages, operating and
/// property income of the members; retiree pensions, remittances and other transfers
/// received. Nothing paid yet.
pub fn market_accounts(pop: &Population, accounts: &mut Accounts) {
    let n = pop.household_count();
    accounts.reset(n);
    let p = &pop.persons;
    let hh = &pop.households;
    for h in 0..n {
        let (mut wage, mut operating, mut property, mut pension) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        for i in pop.members(h) {
            wage += p.wage[i] as f64;
            operating += p.operating[i] as f64;
            property += p.property[i] as f64;
            pension += p.retiree_pension[i] as f64;
        }
        accounts.wage[h] = wage;
        accounts.operating[h] = operating;
        accounts.property[h] = property + hh.poverty_project_income[h] as f64;
        accounts.transfers_received[h] = pension + hh.remittances[h] as f64 + hh.other_transfers[h] as f64;
    }
}
