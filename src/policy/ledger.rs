//! What each lever did: paid to households by group, recipients, fiscal cost.

use serde::Serialize;

use super::keep;
use super::paid::PaidList;
use crate::model::{HouseholdFlags, Population, Residence};

/// One lever's record for one year (grossed up with household weights).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LeverRecord {
    /// Lever name.
    pub lever: String,
    /// Paid to households, yuan, all households (net over income parts; for a lever
    /// that collects income tax or contributions, what households paid it, a positive
    /// amount of transfers paid).
    pub paid_to_households: f64,
    /// Paid to urban households, yuan.
    pub paid_urban: f64,
    /// Paid to rural households, yuan.
    pub paid_rural: f64,
    /// Paid to formerly poor households, yuan.
    pub paid_formerly_poor: f64,
    /// Households with a non-zero amount (weighted).
    pub recipient_households: f64,
    /// Persons in those households (weighted).
    pub recipient_persons: f64,
    /// Of what the lever paid to households, what employers, firms, collectives and
    /// other households paid (wages of market jobs, business and farm income, rents,
    /// dividends, remittances, net of the same incomes given up:
    /// [`super::Book::pay_private`]), yuan.
    pub paid_privately: f64,
    /// Fiscal cost, yuan: what public budgets pay for the lever. That is what it paid
    /// to households less what was paid privately, plus the costs no household receives
    /// (a contribution paid into a pension account, an award to a firm, an interest
    /// subsidy, the non-wage part of a public investment). For a lever that collects
    /// revenue (income tax, contributions), minus what households paid it.
    pub fiscal_cost: f64,
    /// Paid to households in each quintile group of the year (NBS groups: equal
    /// weighted numbers of households ranked by per-capita disposable income after
    /// every lever, all residents), lowest first, yuan.
    pub paid_by_quintile: [f64; 5],
    /// Places a rationed lever had to fill (persons or households, weighted); 0 for a
    /// lever that is not rationed.
    pub places: f64,
    /// Places filled.
    pub filled_places: f64,
    /// Places left empty because too few were eligible.
    pub unfilled_places: f64,
    /// Jobs the lever's recipients create for others (a start-up's hires beyond its
    /// founder), weighted persons; 0 for a lever that creates none.
    pub hires_offered: f64,
    /// Of those jobs, the ones filled by residents without paid work (weighted).
    pub hires_filled: f64,
}

impl LeverRecord {
    /// Adds one household's amount (nothing for an amount of 0).
    ///
    /// Without branches on the data: a household that is not urban, not formerly poor
    /// or paid nothing adds zeros, which leave a sum as it was (a sum started at +0 is
    /// never −0), so the result is bit for bit that of adding only where it applies.
    #[inline]
    pub fn add_household(&mut self, amount: f64, weight: f64, size: f64, urban: bool, formerly_poor: bool) {
        let mut sums = HouseholdSums::of(self);
        sums.add(amount, weight, size, urban, formerly_poor);
        sums.store(self);
    }

    /// Each quintile group's share of what the lever paid by group
    /// ([`LeverRecord::paid_by_quintile`]), lowest first, as fractions; `None` when
    /// nothing was paid. Amounts are net over the income parts, so a share can be
    /// negative (a group whose income the lever lowered on balance).
    pub fn quintile_shares(&self) -> Option<[f64; 5]> {
        let total: f64 = self.paid_by_quintile.iter().sum();
        (total != 0.0).then(|| self.paid_by_quintile.map(|q| q / total))
    }

    /// Adds another record of the same lever (another chunk), in order.
    pub fn merge(&mut self, other: &LeverRecord) {
        self.paid_to_households += other.paid_to_households;
        self.paid_urban += other.paid_urban;
        self.paid_rural += other.paid_rural;
        self.paid_formerly_poor += other.paid_formerly_poor;
        self.paid_privately += other.paid_privately;
        self.recipient_households += other.recipient_households;
        self.recipient_persons += other.recipient_persons;
        self.fiscal_cost += other.fiscal_cost;
        for (a, b) in self.paid_by_quintile.iter_mut().zip(&other.paid_by_quintile) {
            *a += b;
        }
        self.places += other.places;
        self.filled_places += other.filled_places;
        self.unfilled_places += other.unfilled_places;
        self.hires_offered += other.hires_offered;
        self.hires_filled += other.hires_filled;
    }
}

/// The sums of a [`LeverRecord`] that households add to, carried apart from the record
/// (in registers over a column of households).
#[derive(Debug, Clone, Copy)]
struct HouseholdSums {
    all: f64,
    urban: f64,
    rural: f64,
    formerly_poor: f64,
    households: f64,
    persons: f64,
}

impl HouseholdSums {
    /// The record's sums as they stand.
    fn of(r: &LeverRecord) -> Self {
        HouseholdSums {
            all: r.paid_to_households,
            urban: r.paid_urban,
            rural: r.paid_rural,
            formerly_poor: r.paid_formerly_poor,
            households: r.recipient_households,
            persons: r.recipient_persons,
        }
    }

    /// Writes the sums back into the record.
    fn store(self, r: &mut LeverRecord) {
        r.paid_to_households = self.all;
        r.paid_urban = self.urban;
        r.paid_rural = self.rural;
        r.paid_formerly_poor = self.formerly_poor;
        r.recipient_households = self.households;
        r.recipient_persons = self.persons;
    }

    /// Adds one household (see [`LeverRecord::add_household`]).
    #[inline(always)]
    fn add(&mut self, amount: f64, weight: f64, size: f64, urban: bool, formerly_poor: bool) {
        let w = amount * weight;
        let paid = amount != 0.0;
        self.all += w;
        self.urban += keep(w, urban);
        self.rural += keep(w, !urban);
        self.formerly_poor += keep(w, formerly_poor);
        self.households += keep(weight, paid);
        self.persons += keep(weight * size, paid);
    }
}

/// Households checked together for payments before their sums are added: a run in
/// which every amount is 0 adds nothing (most levers pay few households).
pub(crate) const UNPAID_RUN: usize = 16;

/// The runs of [`UNPAID_RUN`] households of a column of amounts in which some
/// household was paid, in order: the runs a sum over households needs to visit when
/// an amount of ±0 would add nothing to it.
pub(crate) fn paid_runs(paid: &[f64]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    (0..paid.len())
        .step_by(UNPAID_RUN)
        .map(|start| start..(start + UNPAID_RUN).min(paid.len()))
        .filter(|run| paid[run.clone()].iter().any(|&x| x != 0.0))
}

/// Adds households `(index, amount)`, in the order given, to a record's sums (kept in
/// registers, stored back once); households past the population's are left out.
#[inline]
fn record_households(record: &mut LeverRecord, pop: &Population, households: impl Iterator<Item = (usize, f64)>) {
    let hh = &pop.households;
    let n = hh.len();
    let (weight, size, residence, flags) = (&hh.weight[..n], &hh.size[..n], &hh.residence[..n], &hh.flags[..n]);
    let mut sums = HouseholdSums::of(record);
    for (h, amount) in households.take_while(|&(h, _)| h < n) {
        let urban = residence[h] == Residence::Urban;
        let formerly_poor = flags[h].has(HouseholdFlags::FORMERLY_POOR);
        sums.add(amount, weight[h] as f64, size[h] as f64, urban, formerly_poor);
    }
    sums.store(record);
}

/// The records of every lever of a set for one year, in the set's order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Ledger {
    /// One record per lever.
    pub records: Vec<LeverRecord>,
}

impl Ledger {
    /// Accumulates one lever's column of amounts for a chunk: the same additions, in
    /// household order, as [`LeverRecord::add_household`] for each household, with the
    /// sums kept in registers (not stored back into the record at every household).
    ///
    /// A run of 16 households paid nothing (`UNPAID_RUN`) is skipped whole: each of them
    /// would add ±0 to sums that started at +0, which changes none of them.
    pub fn record_column(record: &mut LeverRecord, pop: &Population, paid: &[f64]) {
        let paid = &paid[..paid.len().min(pop.households.len())];
        record_households(record, pop, paid_runs(paid).flat_map(|run| run.map(|h| (h, paid[h]))));
    }

    /// Accumulates one lever's households paid in a chunk: the sums
    /// [`Ledger::record_column`] gives for the column the list was taken from, bit for
    /// bit (the households it leaves out would each add ±0). Households past the
    /// population's are left out.
    pub fn record_paid(record: &mut LeverRecord, pop: &Population, paid: &PaidList) {
        record_households(record, pop, paid.iter());
    }

    /// Adds the ledger of another chunk, lever by lever.
    pub fn merge(&mut self, other: &Ledger) {
        if self.records.is_empty() {
            self.records = other.records.clone();
            return;
        }
        for (a, b) in self.records.iter_mut().zip(&other.records) {
            a.merge(b);
        }
    }

    /// Sets every record's quintile groups ([`LeverRecord::paid_by_quintile`]) back to
    /// zero, as if they had never been added.
    pub fn clear_quintile_groups(&mut self) {
        for r in &mut self.records {
            r.paid_by_quintile = [0.0; 5];
        }
    }

    /// The record of a lever by name.
    pub fn get(&self, lever: &str) -> Option<&LeverRecord> {
        self.records.iter().find(|r| r.lever == lever)
    }

    /// The summed fiscal cost of the named levers, yuan: 0 (not the −0 of an empty
    /// sum) when none of them is here.
    pub fn fiscal_cost_of(&self, levers: &[String]) -> f64 {
        self.records.iter().filter(|r| levers.contains(&r.lever)).map(|r| r.fiscal_cost).sum::<f64>() + 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HouseholdRecord, PersonRecord};

    #[test]
    fn a_column_is_recorded_as_household_after_household() {
        let mut pop = Population::empty(0);
        let amounts = [0.0, 1200.5, -37.25, 1e9 / 7.0, 0.0, 3.0, -0.0, 88.125];
        for h in 0..amounts.len() {
            let mut household = HouseholdRecord {
                weight: [1.0, 2.5, 0.3, 17.0][h % 4],
                residence: if h % 3 == 0 { Residence::Urban } else { Residence::Rural },
                ..HouseholdRecord::default()
            };
            household.flags.set(HouseholdFlags::FORMERLY_POOR, h % 2 == 1);
            pop.push_household(&household, &vec![PersonRecord::default(); 1 + h % 4]);
        }
        // Two chunks' worth into one record, as the set adds them.
        let start = LeverRecord { lever: "x".into(), paid_rural: 5.5, ..LeverRecord::default() };
        let (mut by_column, mut by_household) = (start.clone(), start);
        let mut by_list = by_column.clone();
        let mut list = PaidList::default();
        list.fill_from(&amounts);
        for _ in 0..2 {
            Ledger::record_column(&mut by_column, &pop, &amounts);
            Ledger::record_paid(&mut by_list, &pop, &list);
            let hh = &pop.households;
            for (h, &amount) in amounts.iter().enumerate() {
                by_household.add_household(
                    amount,
                    hh.weight[h] as f64,
                    hh.size[h] as f64,
                    hh.residence[h] == Residence::Urban,
                    hh.flags[h].has(HouseholdFlags::FORMERLY_POOR),
                );
            }
        }
        let bits = |r: &LeverRecord| {
            [
                r.paid_to_households,
                r.paid_urban,
                r.paid_rural,
                r.paid_formerly_poor,
                r.recipient_households,
                r.recipient_persons,
            ]
            .map(f64::to_bits)
        };
        assert_eq!(bits(&by_column), bits(&by_household));
        assert_eq!(bits(&by_list), bits(&by_household));
        assert!(by_column.paid_urban != 0.0 && by_column.paid_formerly_poor != 0.0);
        let weights = [2.5, f64::from(0.3f32), 17.0, 2.5, 17.0];
        assert_eq!(by_column.recipient_households, weights.iter().chain(&weights).fold(0.0, |s, w| s + w));
    }
}
