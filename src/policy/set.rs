//! A set of levers applied in stage order.

use std::sync::Arc;

use rayon::prelude::*;

use super::paid::PaidList;
use super::rationing::{BlockShare, Candidate, allocate, allocate_in_memory};
use super::{Book, Ledger, Lever, LeverRecord, YearContext};
use crate::model::columns::{refill, resize_for_overwrite};
use crate::model::{Accounts, Population};

/// Levers applied together in [`Stage`](super::Stage) order; within a stage, in the
/// order they were added. Keyed by name: adding a lever with a name already present
/// replaces it.
#[derive(Debug, Default, Clone)]
pub struct LeverSet {
    levers: Vec<Arc<dyn Lever>>,
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
        self.insert_shared(Arc::from(lever));
    }

    /// Adds a lever shared with other sets (variants of a run share their levers).
    pub fn insert_shared(&mut self, lever: Arc<dyn Lever>) {
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

    /// The levers in application order, shared.
    pub fn shared(&self) -> impl Iterator<Item = &Arc<dyn Lever>> {
        self.levers.iter()
    }

    /// The lever of a name.
    pub fn get(&self, name: &str) -> Option<&dyn Lever> {
        self.levers.iter().find(|l| l.name() == name).map(|l| l.as_ref())
    }

    /// The position of the lever of a name in application order (its column in
    /// [`LeverColumns::paid`]).
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.levers.iter().position(|l| l.name() == name)
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
    /// `columns` receives each lever's amount per household. The population is treated
    /// as a whole: a rationed lever fills its places within it.
    pub fn apply_year(
        &self,
        ctx: &YearContext,
        pop: &mut Population,
        accounts: &mut Accounts,
        columns: &mut LeverColumns,
    ) -> Ledger {
        self.apply_whole(ctx, pop, accounts, columns, true)
    }

    /// Applies every lever to all the chunks of a population for one year, chunks in
    /// parallel, levers in order. A rationed lever allocates its places over all the
    /// chunks at once (so the result does not depend on how households are split into
    /// chunks); the ledger is summed chunk after chunk in household order, so its sums
    /// do not depend on the split either.
    pub fn apply_year_chunks(&self, ctx: &YearContext, chunks: &mut [Chunk]) -> Ledger {
        self.apply(ctx, chunks, Rationing::Global, true, self.levers.len())
    }

    /// Applies every lever to one block of a population for one year, as a streamed run
    /// does: a rationed lever fills the block's own quota of its places (see
    /// [`BlockShare`]), so the block needs no other block. The ledger is the block's:
    /// merge the ledgers of all blocks in block order, then call
    /// [`LeverSet::finish_block_ledger`]. Until then `fiscal_cost` holds what was paid
    /// to and on behalf of households only, and `paid_by_quintile` is empty (the quintile
    /// groups need the whole population: see [`paid_by_quintile_with_cuts`](super::paid_by_quintile_with_cuts)).
    pub fn apply_year_block(&self, ctx: &YearContext, chunk: &mut Chunk, share: BlockShare) -> Ledger {
        self.apply(ctx, std::slice::from_mut(chunk), Rationing::Block(share), true, self.levers.len())
    }

    /// Applies the levers up to and including the one at `index` (in stage order, as
    /// [`LeverSet::index_of`] gives) to a block as [`LeverSet::apply_year_block`] does,
    /// without a ledger: what the caseload probe reads of one lever (its column and its
    /// flags), which no later lever changes.
    pub fn apply_year_block_through(&self, ctx: &YearContext, chunk: &mut Chunk, share: BlockShare, index: usize) {
        self.apply(ctx, std::slice::from_mut(chunk), Rationing::Block(share), false, index + 1);
    }

    /// Completes a ledger merged from [`LeverSet::apply_year_block`] over every block:
    /// adds each lever's fiscal cost beyond what households receive, which depends on
    /// the totals (the set must be the one that made the ledger).
    pub fn finish_block_ledger(&self, ctx: &YearContext, ledger: &mut Ledger) {
        for (record, lever) in ledger.records.iter_mut().zip(&self.levers) {
            let extra = lever.extra_fiscal_cost(ctx, record);
            record.fiscal_cost += extra;
        }
    }

    /// Applies every lever as [`LeverSet::apply_year`] does, without keeping a ledger
    /// (generation applies the base rules to each chunk and needs only the accounts).
    pub fn apply_year_without_ledger(&self, ctx: &YearContext, pop: &mut Population, accounts: &mut Accounts) {
        self.apply_whole(ctx, pop, accounts, &mut LeverColumns::default(), false);
    }

    /// Applies every lever as [`LeverSet::apply_year_without_ledger`] does, keeping each
    /// lever's amount per household in `columns` (calibration measures what one lever
    /// paid).
    pub fn apply_year_to_columns(
        &self,
        ctx: &YearContext,
        pop: &mut Population,
        accounts: &mut Accounts,
        columns: &mut LeverColumns,
    ) {
        self.apply_whole(ctx, pop, accounts, columns, false);
    }

    /// A population in one piece as a chunk through [`LeverSet::apply`] (rationing
    /// over the whole of it), its parts given back.
    fn apply_whole(
        &self,
        ctx: &YearContext,
        pop: &mut Population,
        accounts: &mut Accounts,
        columns: &mut LeverColumns,
        with_ledger: bool,
    ) -> Ledger {
        let mut chunk = [Chunk {
            pop: std::mem::take(pop),
            accounts: std::mem::take(accounts),
            columns: std::mem::take(columns),
            ..Default::default()
        }];
        let ledger = self.apply(ctx, &mut chunk, Rationing::Global, with_ledger, self.levers.len());
        let [c] = chunk;
        *pop = c.pop;
        *accounts = c.accounts;
        *columns = c.columns;
        ledger
    }

    /// Applies the first `count` levers (all of them: `self.levers.len()`).
    fn apply(
        &self,
        ctx: &YearContext,
        chunks: &mut [Chunk],
        rationing: Rationing,
        with_ledger: bool,
        count: usize,
    ) -> Ledger {
        let n_levers = self.levers.len();
        chunks.par_iter_mut().for_each(|c| {
            market_accounts(&c.pop, &mut c.accounts);
            c.columns.paid.resize_with(n_levers, Vec::new);
            c.paid_lists.resize_with(n_levers, PaidList::default);
            // Zeroed once here; a lever that writes one has it zeroed again.
            c.outside.zero(c.pop.household_count());
            c.private.zero(c.pop.household_count());
        });
        let names: Vec<&str> = self.levers.iter().map(|l| l.name()).collect();
        let mut ledger = Ledger { records: Vec::with_capacity(n_levers) };
        for (i, lever) in self.levers.iter().enumerate().take(count) {
            // A rationed lever over one chunk (a block, or a population in one piece)
            // allocates in memory and keeps its chosen candidates for the applying pass.
            let mut chosen: Option<Vec<Candidate>> = None;
            let allocation = lever.as_rationed().map(|r| {
                let one = match (rationing, &*chunks) {
                    (Rationing::Block(share), [c]) => Some((share, &c.pop)),
                    (Rationing::Global, [c]) => Some((BlockShare::whole(), &c.pop)),
                    _ => None,
                };
                match one {
                    Some((share, pop)) => allocate_in_memory(r, ctx, pop, share).map(|(a, list)| {
                        chosen = Some(list);
                        a
                    }),
                    None => allocate(r, ctx, &chunks.iter().map(|c| &c.pop).collect::<Vec<_>>()),
                }
            });
            let names = &names[..i];
            chunks.par_iter_mut().for_each(|c| {
                let n = c.pop.household_count();
                let (earlier, rest) = c.columns.paid.split_at_mut(i);
                let paid = &mut rest[0];
                if c.columns_are_zero {
                    // All +0 already: entries kept are +0, new ones are written +0.
                    resize_for_overwrite(paid, n, 0.0);
                } else {
                    refill(paid, n, 0.0);
                }
                c.outside.zero_if_written(n);
                c.private.zero_if_written(n);
                let mut book = Book::with_earlier(&mut c.accounts, paid, names, earlier)
                    .with_outside(&mut c.outside.values)
                    .with_private(&mut c.private.values);
                match (&allocation, lever.as_rationed()) {
                    (Some(Ok(a)), Some(r)) => match &chosen {
                        Some(list) => r.apply_chosen(ctx, &mut c.pop, list, &mut book),
                        None => r.apply_with_cutoff(ctx, &mut c.pop, a, &mut book),
                    },
                    // Invalid places (rejected by the constructor already): nothing.
                    (Some(Err(_)), _) => {}
                    _ => lever.apply(ctx, &mut c.pop, &mut book),
                }
                if let Some(report) = book.rationing() {
                    c.rationing = Some(report);
                }
                c.hires = book.hires();
                let paid_any = book.paid_any();
                c.outside.written = book.outside_any();
                c.private.written = book.private_any();
                if with_ledger {
                    // A column nothing was paid into is all zeros.
                    if paid_any {
                        c.paid_lists[i].fill_from(&c.columns.paid[i]);
                    } else {
                        c.paid_lists[i].clear();
                    }
                }
            });
            if !with_ledger {
                continue;
            }
            let mut record = LeverRecord { lever: lever.name().to_string(), ..Default::default() };
            let mut outside_cost = 0.0;
            for c in chunks.iter_mut() {
                Ledger::record_paid(&mut record, &c.pop, &c.paid_lists[i]);
                // Costs paid on behalf of households outside their income, and what
                // households were paid privately (weighted).
                c.outside.add_weighted(&c.pop.households.weight, &mut outside_cost);
                c.private.add_weighted(&c.pop.households.weight, &mut record.paid_privately);
                record.hires_offered += c.hires.offered;
                record.hires_filled += c.hires.filled;
            }
            let report = match &allocation {
                Some(Ok(a)) => Some(a.report),
                // A lever that rations inside `apply` (one chunk) reports through the book.
                _ => chunks.iter_mut().find_map(|c| c.rationing.take()),
            };
            if let Some(r) = report {
                record.places = r.places;
                record.filled_places = r.filled;
                record.unfilled_places = r.unfilled;
            }
            // What households pay to the state is revenue; what others pay them is no cost.
            let public = if lever.collects_revenue() {
                -record.paid_to_households
            } else {
                record.paid_to_households - record.paid_privately
            };
            record.fiscal_cost = public + outside_cost;
            if let Rationing::Global = rationing {
                let extra = lever.extra_fiscal_cost(ctx, &record);
                record.fiscal_cost += extra;
            }
            ledger.records.push(record);
        }
        for c in chunks.iter_mut() {
            c.columns_are_zero = false;
            if !with_ledger {
                c.paid_lists.clear();
            }
        }
        if with_ledger && rationing == Rationing::Global {
            super::paid_by_quintile(chunks, &mut ledger);
        }
        ledger
    }
}

/// How rationed levers allocate their places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rationing {
    /// Over all the chunks at once.
    Global,
    /// Within one block, its quota of the places.
    Block(BlockShare),
}

/// One chunk of a population with its accounts and lever columns for the year.
#[derive(Debug, Default, Clone)]
pub struct Chunk {
    /// The households and persons.
    pub pop: Population,
    /// This year's accounts.
    pub accounts: Accounts,
    /// Each lever's amount per household this year.
    pub columns: LeverColumns,
    /// Each lever's households paid this year: the nonzero entries of `columns`, in
    /// household order, taken when the lever has been applied (with a ledger). The
    /// ledger and the quintile groups are summed from them.
    pub paid_lists: Vec<PaidList>,
    /// Whether every entry of every column of `columns` is +0, so that the next
    /// year's levers need not zero them (set by whoever zeroed them, as the engine
    /// does when it hands a block columns another block used; cleared by the levers).
    pub columns_are_zero: bool,
    /// Scratch: costs paid on behalf of households by the lever applied last.
    pub outside: ScratchColumn,
    /// Scratch: what the lever applied last paid households privately.
    pub private: ScratchColumn,
    /// Scratch: the rationing report a lever recorded through the book this year.
    pub rationing: Option<super::rationing::RationingReport>,
    /// Scratch: the jobs for others the lever applied last created ([`Book::hires`]).
    pub hires: super::Hires,
}

/// A per-household column a lever's book writes beside the accounts (reused from
/// lever to lever): costs outside household income, or what was paid privately.
#[derive(Debug, Default, Clone)]
pub struct ScratchColumn {
    /// One amount per household.
    pub values: Vec<f64>,
    /// Whether the last lever applied wrote into it (it is then zeroed again before
    /// the next lever).
    pub written: bool,
}

impl ScratchColumn {
    /// `n` zeros, not written.
    fn zero(&mut self, n: usize) {
        refill(&mut self.values, n, 0.0);
        self.written = false;
    }

    /// `n` zeros again if the last lever wrote into it.
    fn zero_if_written(&mut self, n: usize) {
        if self.written {
            refill(&mut self.values, n, 0.0);
        }
    }

    /// Adds what the last lever wrote, weighted by `weights`, to `sum`, household by
    /// household in order (nothing if it wrote nothing).
    fn add_weighted(&self, weights: &[f32], sum: &mut f64) {
        if self.written {
            for (&x, &w) in self.values.iter().zip(weights) {
                *sum += x * w as f64;
            }
        }
    }
}

impl Chunk {
    /// A chunk of a population, with empty accounts.
    pub fn new(pop: Population) -> Self {
        Chunk { pop, ..Default::default() }
    }
}

crate::simd_kernel! {
/// Sets the accounts to market incomes and private transfers: wages, operating and
/// property income of the members; retiree pensions, remittances and other transfers
/// received. Nothing paid yet.
pub fn market_accounts(pop: &Population, accounts: &mut Accounts) {
    let n = pop.household_count();
    // Every household's wage, operating, property and transfers received are written
    // below, so only transfers paid needs zeros (one write per amount, not two).
    for column in
        [&mut accounts.wage, &mut accounts.operating, &mut accounts.property, &mut accounts.transfers_received]
    {
        resize_for_overwrite(column, n, 0.0);
    }
    refill(&mut accounts.transfers_paid, n, 0.0);
    let p = &pop.persons;
    let np = p.len();
    let (wages, operatings, properties, pensions) =
        (&p.wage[..np], &p.operating[..np], &p.property[..np], &p.retiree_pension[..np]);
    let hh = &pop.households;
    let (first, size) = (&hh.first_person[..n], &hh.size[..n]);
    let (project, remittances, other) =
        (&hh.poverty_project_income[..n], &hh.remittances[..n], &hh.other_transfers[..n]);
    let (wage_out, operating_out) = (&mut accounts.wage[..n], &mut accounts.operating[..n]);
    let (property_out, received_out) = (&mut accounts.property[..n], &mut accounts.transfers_received[..n]);
    // Person by person into the households' sums (members in order from +0, as the
    // loop below adds them), without a loop per household, when persons are stored
    // household after household.
    let by_person = super::members::with_household_index(first, size, np, |index| {
        // Local slices of a known length: one range check per person.
        let n = wage_out.len();
        let (wage_out, operating_out) = (&mut wage_out[..n], &mut operating_out[..n]);
        let (property_out, received_out) = (&mut property_out[..n], &mut received_out[..n]);
        for column in [&mut *wage_out, &mut *operating_out, &mut *property_out, &mut *received_out] {
            column.fill(0.0);
        }
        let persons = index.iter().zip(wages).zip(operatings).zip(properties.iter().zip(pensions));
        for (((&h, &wage), &operating), (&property, &pension)) in persons {
            let h = h as usize;
            if h < n {
                wage_out[h] += wage as f64;
                operating_out[h] += operating as f64;
                property_out[h] += property as f64;
                received_out[h] += pension as f64;
            }
        }
        let households = property_out.iter_mut().zip(received_out.iter_mut()).zip(project);
        for (((property, received), &project), (&remittances, &other)) in households.zip(remittances.iter().zip(other))
        {
            *property += project as f64;
            *received = *received + remittances as f64 + other as f64;
        }
    });
    if by_person.is_some() {
        return;
    }
    for h in 0..n {
        let (mut wage, mut operating, mut property, mut pension) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        let start = first[h] as usize;
        for i in start..start + size[h] as usize {
            wage += wages[i] as f64;
            operating += operatings[i] as f64;
            property += properties[i] as f64;
            pension += pensions[i] as f64;
        }
        wage_out[h] = wage;
        operating_out[h] = operating;
        property_out[h] = property + project[h] as f64;
        received_out[h] = pension + remittances[h] as f64 + other[h] as f64;
    }
}
}
