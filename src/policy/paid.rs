//! What one lever paid in one chunk, as a list of the households it paid.
//!
//! A lever's column has an amount for every household, most of them 0 (a lever pays
//! few households). The ledger's sums and the quintile groups add amounts household
//! by household, in order; an amount of ±0 adds nothing to a sum that started at +0,
//! so visiting only the households paid, in the same order, gives the same sums bit
//! for bit. [`PaidList`] is that list, taken from the column once a lever has been
//! applied; the engine then hands the column itself on to the next block (zeroed
//! again through the list), so a block keeps 12 bytes per household paid instead of
//! 8 bytes per household for every lever.

use super::ledger::{UNPAID_RUN, paid_runs};

/// The households of a chunk a lever paid this year (an amount other than ±0), in
/// household order, with the amounts: the nonzero entries of its column.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PaidList {
    households: Vec<u32>,
    amounts: Vec<f64>,
}

impl PaidList {
    /// Replaces the list with the nonzero entries of `column`, in order (its memory is
    /// kept from year to year). Households are numbered in 32 bits: a chunk, held in
    /// memory, has fewer than 2³² of them.
    pub fn fill_from(&mut self, column: &[f64]) {
        self.clear();
        // Within a run, every entry is written to a small buffer and only the nonzero
        // ones advance it: no branch on the amount, which mispredicts on dense columns.
        let mut households = [0u32; UNPAID_RUN];
        let mut amounts = [0.0f64; UNPAID_RUN];
        for run in paid_runs(column) {
            let mut k = 0;
            for (h, &amount) in run.clone().zip(&column[run]) {
                households[k % UNPAID_RUN] = h as u32;
                amounts[k % UNPAID_RUN] = amount;
                k += usize::from(amount != 0.0);
            }
            self.households.extend_from_slice(&households[..k]);
            self.amounts.extend_from_slice(&amounts[..k]);
        }
    }

    /// Empties the list (nothing paid).
    pub fn clear(&mut self) {
        self.households.clear();
        self.amounts.clear();
    }

    /// Households paid.
    pub fn len(&self) -> usize {
        self.households.len()
    }

    /// Whether no household was paid.
    pub fn is_empty(&self) -> bool {
        self.households.is_empty()
    }

    /// The households paid and their amounts, in household order.
    #[inline]
    pub fn iter(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.households.iter().zip(&self.amounts).map(|(&h, &a)| (h as usize, a))
    }

    /// The amount paid to household `h` (0 when it was not paid).
    pub fn amount(&self, h: usize) -> f64 {
        let Ok(h) = u32::try_from(h) else { return 0.0 };
        self.households.binary_search(&h).map_or(0.0, |k| self.amounts[k])
    }

    /// Sets the entries of `column` this list holds back to +0; when the list was
    /// taken from the column, the column is then all +0 again.
    pub fn zero_in(&self, column: &mut [f64]) {
        for &h in &self.households {
            if let Some(x) = column.get_mut(h as usize) {
                *x = 0.0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn column() -> impl Strategy<Value = Vec<f64>> {
        // Mostly zeros (of either sign), as a lever's column is, and any amount.
        let entry = prop_oneof![
            6 => Just(0.0),
            1 => Just(-0.0),
            3 => proptest::num::f64::ANY,
        ];
        proptest::collection::vec(entry, 0..200)
    }

    proptest! {
        #[test]
        fn the_list_is_the_nonzero_entries_in_order(col in column()) {
            let mut list = PaidList::default();
            list.fill_from(&[1.0; 40]);
            list.fill_from(&col);
            let expected: Vec<(usize, u64)> =
                col.iter().enumerate().filter(|(_, x)| **x != 0.0).map(|(h, x)| (h, x.to_bits())).collect();
            let got: Vec<(usize, u64)> = list.iter().map(|(h, x)| (h, x.to_bits())).collect();
            prop_assert_eq!(&got, &expected);
            prop_assert_eq!(list.len(), expected.len());
            for (h, x) in col.iter().enumerate() {
                let want = if *x == 0.0 { 0.0 } else { *x };
                prop_assert_eq!(list.amount(h).to_bits(), want.to_bits());
            }
            prop_assert_eq!(list.amount(col.len() + 3), 0.0);
        }

        #[test]
        fn zeroing_through_the_list_gives_back_a_zero_column(col in column()) {
            let mut list = PaidList::default();
            // A column of amounts added to +0 (as a book pays) holds no -0.
            let mut paid: Vec<f64> = col.iter().map(|&x| 0.0 + x).collect();
            list.fill_from(&paid);
            list.zero_in(&mut paid);
            prop_assert!(paid.iter().all(|x| x.to_bits() == 0));
        }

        #[test]
        fn sums_over_the_list_are_the_sums_over_the_column(col in column(), weights in proptest::collection::vec(0.0f64..1e6, 200)) {
            // Finite amounts, as a lever pays, added to sums that start at +0.
            let col: Vec<f64> = col.iter().map(|&x| if x.is_finite() { 0.0 + x } else { 0.0 }).collect();
            let mut list = PaidList::default();
            list.fill_from(&col);
            let dense = col.iter().zip(&weights).fold(0.0, |s, (x, w)| s + x * w);
            let sparse = list.iter().fold(0.0, |s, (h, x)| s + x * weights[h]);
            prop_assert_eq!(dense.to_bits(), sparse.to_bits());
        }
    }

    #[test]
    fn an_empty_or_zero_column_pays_nobody() {
        let mut list = PaidList::default();
        list.fill_from(&[0.0; 100]);
        assert!(list.is_empty());
        list.fill_from(&[]);
        assert!(list.is_empty());
        list.fill_from(&[0.0, 0.0, 5.5]);
        assert_eq!(list.iter().collect::<Vec<_>>(), vec![(2, 5.5)]);
        list.clear();
        assert_eq!(list.len(), 0);
    }
}
