//! The book a lever writes its payments into.

use super::rationing::RationingReport;
use crate::model::{Accounts, IncomePart};

/// Records a lever's payments: every amount goes both to the household's accounts and
/// to the lever's own column, so what the lever reports equals what households got.
#[derive(Debug)]
pub struct Book<'a> {
    accounts: &'a mut Accounts,
    paid: &'a mut [f64],
    earlier_names: &'a [&'a str],
    earlier: &'a [Vec<f64>],
    outside: SideColumn<'a>,
    private: SideColumn<'a>,
    rationing: Option<RationingReport>,
    hires: Hires,
    paid_any: bool,
}

/// Jobs a lever's recipients created for others in a year (a start-up's hires beyond
/// its founder), weighted persons ([`super::LeverRecord::hires_offered`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Hires {
    /// Jobs offered.
    pub offered: f64,
    /// Of them, the jobs filled.
    pub filled: f64,
}

/// A column of amounts per household beside the accounts, which a book writes when
/// its owner lends one (costs outside income, payments no public budget makes).
#[derive(Debug, Default)]
struct SideColumn<'a> {
    values: Option<&'a mut [f64]>,
    written: bool,
}

impl SideColumn<'_> {
    /// Adds `amount` to household `h`'s entry; nothing without a column.
    #[inline]
    fn add(&mut self, h: usize, amount: f64) {
        if let Some(values) = self.values.as_deref_mut() {
            values[h] += amount;
            self.written = true;
        }
    }
}

impl<'a> Book<'a> {
    /// A book over a chunk's accounts and the lever's column of amounts (one per
    /// household, zeroed by the caller).
    pub fn new(accounts: &'a mut Accounts, paid: &'a mut [f64]) -> Self {
        Self::with_earlier(accounts, paid, &[], &[])
    }

    /// A book that can also read the amounts of the levers applied before this one
    /// (a means test that disregards the basic pension reads the pension's column).
    pub fn with_earlier(
        accounts: &'a mut Accounts,
        paid: &'a mut [f64],
        earlier_names: &'a [&'a str],
        earlier: &'a [Vec<f64>],
    ) -> Self {
        debug_assert_eq!(accounts.len(), paid.len());
        Book {
            accounts,
            paid,
            earlier_names,
            earlier,
            outside: SideColumn::default(),
            private: SideColumn::default(),
            rationing: None,
            hires: Hires::default(),
            paid_any: false,
        }
    }

    /// The amounts per household paid this year by an earlier lever of the set, if
    /// that lever is in the set and ran before this one.
    pub fn earlier(&self, lever: &str) -> Option<&'a [f64]> {
        self.earlier_names.iter().position(|n| *n == lever).and_then(|i| self.earlier.get(i)).map(|v| v.as_slice())
    }

    /// The accounts as they stand (everything paid before this lever, and what this
    /// lever has paid so far).
    #[inline]
    pub fn accounts(&self) -> &Accounts {
        self.accounts
    }

    /// Pays `amount` into one income part of household `h`. A transfer paid by the
    /// household (tax, contributions) is a positive amount in
    /// [`IncomePart::TransfersPaid`]; a lever that lowers an income (a farmer who
    /// leaves the land) pays a negative amount into that part.
    #[inline]
    pub fn pay(&mut self, h: usize, part: IncomePart, amount: f64) {
        self.accounts.add(h, part, amount);
        self.paid[h] += amount;
        self.paid_any = true;
    }

    /// Pays `amount` into one income part of household `h`, as [`Book::pay`] does, when
    /// no public budget pays it: a wage an employer pays, a business's or a farm's
    /// income, a rent, a cooperative's or a village collective's dividend, a migrant's
    /// remittance (and, negative, a wage or farm income given up). The household gets it
    /// and the lever reports it as paid, but it is not part of the lever's fiscal cost
    /// (also recorded in the book's private column, see [`Book::with_private`]).
    #[inline]
    pub fn pay_private(&mut self, h: usize, part: IncomePart, amount: f64) {
        self.pay(h, part, amount);
        self.private.add(h, amount);
    }

    /// Pays household `h` the amount `amounts[h]` into one income part, for every
    /// household of the chunk at once: the same additions, household by household in
    /// order, as [`Book::pay`] for each (an amount of +0 changes nothing), in two loops
    /// over columns without a call or a branch per household. `amounts` holds one
    /// amount per household (a shorter slice pays the households it covers). Counts as
    /// having paid ([`Book::paid_any`]) when some amount is not zero: a column of zeros
    /// paid changes nothing.
    pub fn pay_each(&mut self, part: IncomePart, amounts: &[f64]) {
        let n = amounts.len().min(self.paid.len());
        let (amounts, paid) = (&amounts[..n], &mut self.paid[..n]);
        let mut any = false;
        for (paid, &amount) in paid.iter_mut().zip(amounts) {
            *paid += amount;
            any |= amount != 0.0;
        }
        let account = &mut self.accounts.column_mut(part)[..n];
        for (account, &amount) in account.iter_mut().zip(amounts) {
            *account += amount;
        }
        self.paid_any |= any;
    }

    /// Whether the lever has paid anything through this book (if not, its column is
    /// still as the caller zeroed it).
    #[inline]
    pub fn paid_any(&self) -> bool {
        self.paid_any
    }

    /// Whether the lever has paid anything privately through this book (if not, the
    /// private column is still as the caller zeroed it).
    #[inline]
    pub fn private_any(&self) -> bool {
        self.private.written
    }

    /// Whether the lever has recorded any cost outside the accounts (if not, the
    /// outside column is still as the caller zeroed it).
    #[inline]
    pub fn outside_any(&self) -> bool {
        self.outside.written
    }

    /// Sets every person's contributions this year to zero, for a population of
    /// `persons` persons (see [`Accounts::reset_contributions`]).
    pub fn reset_contributions(&mut self, persons: usize) {
        self.accounts.reset_contributions(persons);
    }

    /// Records the employees' contributions of person `i` this year, which later rules
    /// read through [`Accounts::contribution`]. They are not a payment: pay the
    /// household's total with [`Book::pay`].
    #[inline]
    pub fn set_contribution(&mut self, i: usize, amount: f32) {
        self.accounts.set_contribution(i, amount);
    }

    /// Records how a rationed lever filled its places this year (for the ledger).
    pub fn report_rationing(&mut self, report: RationingReport) {
        self.rationing = Some(report);
    }

    /// The rationing report recorded by the lever, if it is rationed.
    pub fn rationing(&self) -> Option<RationingReport> {
        self.rationing
    }

    /// Records jobs the lever's recipients created for others this year (weighted):
    /// `offered`, and `filled` of them. Adds to what was recorded before.
    pub fn report_hires(&mut self, offered: f64, filled: f64) {
        self.hires.offered += offered;
        self.hires.filled += filled;
    }

    /// The jobs for others recorded so far.
    pub fn hires(&self) -> Hires {
        self.hires
    }

    /// What this lever has paid household `h` so far this year (net over parts).
    #[inline]
    pub fn paid(&self, h: usize) -> f64 {
        self.paid[h]
    }

    /// Adds a column (one per household, zeroed by the caller) for costs a lever
    /// incurs on behalf of a household that no income account receives, such as a
    /// pension contribution the government pays into a person's pension account.
    pub fn with_outside(mut self, outside: &'a mut [f64]) -> Self {
        debug_assert_eq!(outside.len(), self.paid.len());
        self.outside.values = Some(outside);
        self
    }

    /// Adds a column (one per household, zeroed by the caller) for what the lever pays
    /// household `h` that no public budget pays ([`Book::pay_private`]): part of what
    /// it paid, not of its fiscal cost.
    pub fn with_private(mut self, private: &'a mut [f64]) -> Self {
        debug_assert_eq!(private.len(), self.paid.len());
        self.private.values = Some(private);
        self
    }

    /// Records a fiscal cost on behalf of household `h` that is not household income
    /// (NBS does not count it): it goes into the lever's fiscal cost, not into the
    /// accounts or the lever's column. Ignored by a book without an outside column.
    #[inline]
    pub fn pay_outside(&mut self, h: usize, amount: f64) {
        self.outside.add(h, amount);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paying_a_column_at_once_is_paying_each_household() {
        let amounts = [0.0, 12.5, 0.1, 0.0, 1e9 / 3.0];
        let mut start = Accounts::zeros(5);
        start.transfers_received = vec![1.0, 0.2, 3.3, 0.0, 7.7];
        let (mut one_by_one, mut at_once) = (start.clone(), start);
        let (mut paid_one, mut paid_all) = (vec![0.0; 5], vec![0.0; 5]);
        {
            let mut book = Book::new(&mut one_by_one, &mut paid_one);
            for (h, &a) in amounts.iter().enumerate() {
                book.pay(h, IncomePart::TransfersReceived, a);
            }
        }
        let mut book = Book::new(&mut at_once, &mut paid_all);
        assert!(!book.paid_any());
        book.pay_each(IncomePart::TransfersReceived, &amounts);
        assert!(book.paid_any());
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&paid_all), bits(&paid_one));
        assert_eq!(bits(&at_once.transfers_received), bits(&one_by_one.transfers_received));
        assert_eq!(bits(&at_once.wage), bits(&one_by_one.wage));
        // Zeros pay nothing.
        let mut accounts = Accounts::zeros(3);
        let mut paid = vec![0.0; 3];
        let mut book = Book::new(&mut accounts, &mut paid);
        book.pay_each(IncomePart::TransfersPaid, &[0.0, 0.0, 0.0]);
        assert!(!book.paid_any());
    }
}
