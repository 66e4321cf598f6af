//! Per-person quantities gathered per household without a loop over each household's
//! members.
//!
//! A loop whose length is the household's size (1 to 6 and more, in no order) leaves its
//! last iteration about once a household where the processor did not expect it, which
//! costs more than the few additions inside. The levers that sum or count over members
//! therefore work person by person over a whole chunk instead:
//!
//! - [`count_members`]: one byte per person (counted or not), a household's eight bytes
//!   from its first member's read as one word and added up with one multiplication.
//! - [`with_household_index`]: a person → household index lets a per-person amount be added
//!   into its household's entry, members in order. These are the same additions, in the
//!   same order, as the loop over the members, so the sums are the same bit for bit.
//! - [`pay_selected_member_sums`]: over that index, only the persons a lever can pay (a
//!   cheap test of their columns, made for every person into a byte without a branch)
//!   are visited, eight persons' bytes read at once ([`for_each_marked`]), and each
//!   household's total is paid once: for levers that pay a few. A lever that pays many
//!   (contributions, paid by every employee; the residents' pension, paid to every
//!   pensioner) is faster with [`pay_member_sums`] or [`count_members`], which have no
//!   branch per person.
//!
//! The scratch buffers are per thread and reused: no allocation once warm.

use std::cell::RefCell;

use super::Book;
use crate::model::IncomePart;

thread_local! {
    /// One byte per person (and [`WINDOW`] more), reused by [`count_members`].
    static COUNTED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// One total per household, reused by [`pay_member_sums`].
    static TOTALS: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
    /// The household of each person, reused by [`with_household_index`], and what it was
    /// built from.
    static HOUSEHOLD_OF: RefCell<HouseholdIndex> = const { RefCell::new(HouseholdIndex::new()) };
    /// One byte per person, reused by [`for_each_marked`] (its own: a caller's `visit`
    /// may count members with [`count_members`]).
    static MARKED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

crate::simd_kernel! {
/// Calls `each(h, count)` for every household `h` in order, `count` being the number of
/// its members (persons `first[h] .. first[h] + size[h]`) marked by `mark`, which is
/// given one byte per person `0 .. persons`, all 0, to set to 1 for the persons counted
/// (a loop over zipped columns there, which the compiler can vectorise).
///
/// A household of up to 8 members reads the 8 bytes from its first member's at once,
/// keeps its own `size` bytes and adds them up with one multiplication: no loop whose
/// length is the household's size (see the module documentation). Larger households
/// loop over their bytes. Households need not be stored one after the other.
///
/// # Panics
/// Never for a population whose households' members lie within `0 .. persons` (the
/// population's own invariant); a member range past `persons` would index out of range.
pub(crate) fn count_members(
    first: &[u32],
    size: &[u8],
    persons: usize,
    mark: impl FnOnce(&mut [u8]),
    mut each: impl FnMut(usize, u32),
) {
    COUNTED.with(|bytes| {
        let mut bytes = bytes.borrow_mut();
        // Eight bytes of zeros after the last person: a window may start at any person.
        bytes.clear();
        bytes.resize(persons + WINDOW, 0);
        mark(&mut bytes[..persons]);
        for byte in &mut bytes[..persons] {
            // Any mark other than 0 counts once.
            *byte = u8::from(*byte != 0);
        }
        let bytes = &bytes[..];
        for (h, (&first, &size)) in first.iter().zip(size).enumerate() {
            let start = first as usize;
            let count = match bytes.get(start..start + WINDOW) {
                Some(window) if usize::from(size) <= WINDOW => {
                    let mut word = [0u8; WINDOW];
                    word.copy_from_slice(window);
                    byte_sum(u64::from_le_bytes(word) & low_bytes(size))
                }
                _ => bytes[start..start + usize::from(size)].iter().map(|&b| u32::from(b)).sum(),
            };
            each(h, count);
        }
    });
}
}

/// Persons read at once by [`count_members`].
const WINDOW: usize = 8;

/// A mask of the low `size` bytes of a word (`size` ≤ 8), without a branch: two shifts
/// of 4 × `size` bits, since one shift of 64 bits is not defined.
#[inline(always)]
fn low_bytes(size: u8) -> u64 {
    let half = 4 * u32::from(size);
    !((u64::MAX << half) << half)
}

/// The sum of a word's eight bytes when each is 0 or 1 (at most 8: no carry from one byte
/// into the next): the top byte of the word times 0x0101…01.
#[inline(always)]
fn byte_sum(word: u64) -> u32 {
    (word.wrapping_mul(0x0101_0101_0101_0101) >> 56) as u32
}

/// Pays every household the sum of `amount(book, i, h)` over its members `i`, members
/// in order from +0, into one income part, going person by person over the household
/// index (no loop per household); `amount` is called once for every person, in order,
/// with its household `h`. The same sums and payments as a loop over each household's
/// members paying its total (a total of +0 paid changes nothing). False, calling and
/// paying nothing, when the persons are not stored household after household (see
/// [`with_household_index`]): the caller then loops over members itself. `amount` must
/// return finite amounts.
#[inline]
pub(crate) fn pay_member_sums<'a>(
    book: &mut Book<'a>,
    part: IncomePart,
    (first, size, persons): (&[u32], &[u8], usize),
    mut amount: impl FnMut(&mut Book<'a>, usize, usize) -> f64,
) -> bool {
    TOTALS.with(|totals| {
        let mut totals = totals.borrow_mut();
        let summed = sum_members_into(first, size, persons, &mut totals, |i, h| amount(book, i, h));
        if summed {
            book.pay_each(part, &totals);
        }
        summed
    })
}

/// Pays every household the sum of `amount(book, i, h)` over its members `i` that
/// `selected(i)` picks, members in order from +0, into one income part, when the sum is
/// not zero; `amount` is called once for each selected person, in order, with its
/// household `h`, going person by person over the household index (no loop per
/// household). `selected` is a cheap test of person columns, made for every person into
/// a byte without a branch, the marked then visited ([`for_each_marked`]); every person it leaves out
/// must be owed ±0, so that the sums and payments are those of a loop over each
/// household's members paying its total (the others would add ±0, and a total of ±0
/// paid changes nothing), without a call or an addition for the persons left out: the
/// levers that pay a few (taxpayers, the disabled, retirees) cost little for the rest.
/// False, calling and paying nothing, when the persons are not stored household after
/// household (see [`with_household_index`]): the caller then loops over members itself.
/// `amount` must return finite amounts.
#[inline]
pub(crate) fn pay_selected_member_sums<'a>(
    book: &mut Book<'a>,
    part: IncomePart,
    members: (&[u32], &[u8], usize),
    selected: impl Fn(usize) -> bool,
    amount: impl FnMut(&mut Book<'a>, usize, usize) -> f64,
) -> bool {
    // The test made for every person into a byte (no branch), the marked then visited.
    let mark = |marks: &mut [u8]| {
        for (i, mark) in marks.iter_mut().enumerate() {
            *mark = u8::from(selected(i));
        }
    };
    pay_marked_member_sums(book, part, members, mark, amount)
}

/// Calls `visit(i, h)` for every person `i` that `mark` marks, in order, with its
/// household `h`, going over the household index (no loop per household). `mark` is
/// given one byte per person `0 .. persons`, all 0, to set to anything else for the
/// persons visited (a loop over zipped columns there, which the compiler can
/// vectorise); the marks are then read eight at a time, so that eight persons none of
/// whom is marked cost one test: for levers that pay a few (the very old, the
/// pensioners). `mark` may use [`with_household_index`] but not this function; `visit`
/// may use neither. False, calling nothing, when the persons are not stored household
/// after household (see [`with_household_index`]).
#[inline]
pub(crate) fn for_each_marked(
    first: &[u32],
    size: &[u8],
    persons: usize,
    mark: impl FnOnce(&mut [u8]),
    mut visit: impl FnMut(usize, usize),
) -> bool {
    let n = first.len().min(size.len());
    MARKED
        .with(|marks| {
            let mut marks = marks.borrow_mut();
            marks.clear();
            marks.resize(persons, 0);
            // Before the index is borrowed: `mark` may use it itself.
            mark(&mut marks[..persons]);
            with_household_index(&first[..n], &size[..n], persons, |index| {
                let index = &index[..persons];
                let (words, rest) = marks[..persons].as_chunks::<WINDOW>();
                for (w, word) in words.iter().enumerate() {
                    let mut bits = u64::from_le_bytes(*word);
                    while bits != 0 {
                        let byte = bits.trailing_zeros() / 8;
                        let i = w * WINDOW + byte as usize;
                        visit(i, index[i] as usize);
                        bits &= !(0xff << (8 * byte));
                    }
                }
                let start = words.len() * WINDOW;
                for (k, &m) in rest.iter().enumerate() {
                    if m != 0 {
                        visit(start + k, index[start + k] as usize);
                    }
                }
            })
        })
        .is_some()
}

/// Pays every household the sum of `amount(book, i, h)` over its members `i` that
/// `mark` marks (as [`for_each_marked`] marks and visits them), members in order from
/// +0, into one income part, when the sum is not zero. Every person left unmarked must
/// be owed ±0: the sums and payments are then those of a loop over each household's
/// members paying its total, as [`pay_selected_member_sums`]'s, with the unmarked
/// passed over eight at a time. False, calling and paying nothing, when the persons are
/// not stored household after household. `amount` must return finite amounts.
#[inline]
pub(crate) fn pay_marked_member_sums<'a>(
    book: &mut Book<'a>,
    part: IncomePart,
    (first, size, persons): (&[u32], &[u8], usize),
    mark: impl FnOnce(&mut [u8]),
    mut amount: impl FnMut(&mut Book<'a>, usize, usize) -> f64,
) -> bool {
    let mut household = None;
    let mut total = 0.0;
    let visited = for_each_marked(first, size, persons, mark, |i, h| {
        if household != Some(h) {
            if let Some(done) = household
                && total != 0.0
            {
                book.pay(done, part, total);
            }
            (household, total) = (Some(h), 0.0);
        }
        total += amount(book, i, h);
    });
    if let Some(done) = household
        && total != 0.0
    {
        book.pay(done, part, total);
    }
    visited
}

/// Sums `amount(i, h)` over every household's members `i` into `out` (one total per
/// household, members in order from +0), going person by person over the household
/// index; `amount` is called once for every person, in order, with its household `h`.
/// The same additions in the same order as a loop over each household's members. False,
/// calling nothing and `out` unspecified, when the persons are not stored household after
/// household (see [`with_household_index`]).
#[inline]
pub(crate) fn sum_members_into(
    first: &[u32],
    size: &[u8],
    persons: usize,
    out: &mut Vec<f64>,
    mut amount: impl FnMut(usize, usize) -> f64,
) -> bool {
    let n = first.len().min(size.len());
    with_household_index(&first[..n], &size[..n], persons, |index| {
        out.clear();
        out.resize(n, 0.0);
        let sums = &mut out[..n];
        for (i, &h) in index.iter().enumerate() {
            let h = h as usize;
            if h < n {
                sums[h] += amount(i, h);
            }
        }
    })
    .is_some()
}

/// Whether household `h`'s members are persons `first[h] .. first[h] + size[h]`
/// stored one household after the other from person 0 to person `persons - 1`, with no
/// gap: the layout [`for_each_member`] needs.
fn contiguous(first: &[u32], size: &[u8], persons: usize) -> bool {
    let n = first.len().min(size.len());
    let (Some(&start), Some(&last_first), Some(&last_size)) = (first.first(), first[..n].last(), size[..n].last())
    else {
        return persons == 0;
    };
    // Each household starts where the one before it ends: a check over whole columns
    // (no exit in the loop), which the compiler vectorises.
    let (first, size) = (&first[..n], &size[..n]);
    let linked = first[1..]
        .iter()
        .zip(&first[..n - 1])
        .zip(&size[..n - 1])
        .fold(true, |ok, ((&next, &first), &size)| ok & (u64::from(next) == u64::from(first) + u64::from(size)));
    start == 0 && linked && last_first as usize + last_size as usize == persons
}

/// Calls `f` with the household of every person (`index[i]` is person `i`'s household)
/// and returns its result, when the persons are stored household after household from
/// person 0 without gaps ([`contiguous`]); `None`, calling nothing, otherwise (the caller
/// then loops over members itself). Going over the persons in order with this index
/// visits households in order and each one's members in order, without a loop per
/// household: a sum taken that way makes the same additions in the same order as a loop
/// over each household's members.
#[inline]
pub(crate) fn with_household_index<R>(
    first: &[u32],
    size: &[u8],
    persons: usize,
    f: impl FnOnce(&[u32]) -> R,
) -> Option<R> {
    if !contiguous(first, size, persons) {
        return None;
    }
    Some(HOUSEHOLD_OF.with(|index| {
        let mut index = index.borrow_mut();
        f(index.of(first, persons))
    }))
}

/// A person → household index and the first persons it was built from: the index
/// depends only on them (and the number of persons), so the levers of one chunk's year,
/// which share one layout, build it once and reuse it.
#[derive(Debug)]
struct HouseholdIndex {
    /// `first_person` of the households the index was built for.
    first: Vec<u32>,
    /// The household of each person (as many entries as persons it was built for).
    index: Vec<u32>,
}

impl HouseholdIndex {
    const fn new() -> Self {
        HouseholdIndex { first: Vec::new(), index: Vec::new() }
    }

    /// The index of households whose members start at `first` (stored contiguously, see
    /// [`contiguous`]), `persons` persons in all: the one built last when `first` and
    /// `persons` are the same (compared in full), else built afresh.
    fn of(&mut self, first: &[u32], persons: usize) -> &[u32] {
        if self.index.len() != persons || self.first.as_slice() != first {
            self.first.clear();
            self.first.extend_from_slice(first);
            // Marks: one at the first person of every household but the first (several
            // at one person when empty households precede it); their running sum over
            // persons is the person's household.
            let index = &mut self.index;
            index.clear();
            index.resize(persons + 1, 0);
            for &first in first.iter().skip(1) {
                index[first as usize] += 1;
            }
            index.truncate(persons);
            let mut running = 0u32;
            for slot in index.iter_mut() {
                running += *slot;
                *slot = running;
            }
        }
        &self.index[..persons]
    }
}

/// `x` when `on`, ±0 otherwise (`x` × 1 or `x` × 0), for a finite `x`, without a
/// branch: adding ±0 to a sum that started at +0 changes nothing. (A select or a bit mask
/// is turned back into a branch by the compiler; the product is not.)
#[inline(always)]
pub(crate) fn keep(x: f64, on: bool) -> f64 {
    x * f64::from(u8::from(on))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Accounts;

    #[test]
    fn counts_and_visits_match_a_loop_over_members() {
        // Sizes 2, 0, 3, 1, 0 (empty households in the middle and at the end).
        let size = [2u8, 0, 3, 1, 0];
        let first = [0u32, 2, 2, 5, 6];
        let flag = [true, false, true, true, false, true];
        let mut counts = Vec::new();
        let mark = |marks: &mut [u8]| {
            for (m, &f) in marks.iter_mut().zip(&flag) {
                *m = u8::from(f);
            }
        };
        count_members(&first, &size, 6, mark, |h, c| counts.push((h, c)));
        assert_eq!(counts, vec![(0, 1), (1, 0), (2, 2), (3, 1), (4, 0)]);
        let index = with_household_index(&first, &size, 6, |index| index.to_vec());
        assert_eq!(index, Some(vec![0, 0, 2, 2, 2, 3]));
    }

    #[test]
    fn counts_of_large_households_and_of_windows_past_the_last_person_match_a_loop() {
        // Sizes 9 and 12 (past the 8-byte window), 8 (exactly), 1 at the very end, and
        // households out of storage order; marks other than 1 count once.
        let size = [9u8, 8, 12, 1, 3];
        let first = [0u32, 9, 17, 29, 26];
        let persons = 30;
        let marks: Vec<u8> = (0..persons).map(|i| [0u8, 1, 7, 0, 255][i % 5]).collect();
        let mut counts = Vec::new();
        count_members(&first, &size, persons, |m| m.copy_from_slice(&marks), |_, c| counts.push(c));
        let expected: Vec<u32> = first
            .iter()
            .zip(&size)
            .map(|(&f, &s)| marks[f as usize..f as usize + s as usize].iter().filter(|&&m| m != 0).count() as u32)
            .collect();
        assert_eq!(counts, expected);
        assert_eq!(counts, vec![5, 5, 7, 1, 2]);
    }

    #[test]
    fn the_reused_index_follows_every_change_of_layout() {
        let index = |first: &[u32], size: &[u8], persons| with_household_index(first, size, persons, <[u32]>::to_vec);
        assert_eq!(index(&[0, 2, 3], &[2, 1, 2], 5), Some(vec![0, 0, 1, 2, 2]));
        // The same layout again: the same index.
        assert_eq!(index(&[0, 2, 3], &[2, 1, 2], 5), Some(vec![0, 0, 1, 2, 2]));
        // As many households and persons, other members: built afresh.
        assert_eq!(index(&[0, 1, 3], &[1, 2, 2], 5), Some(vec![0, 1, 1, 2, 2]));
        // One person more in the last household.
        assert_eq!(index(&[0, 1, 3], &[1, 2, 3], 6), Some(vec![0, 1, 1, 2, 2, 2]));
        // Fewer households.
        assert_eq!(index(&[0, 1], &[1, 5], 6), Some(vec![0, 1, 1, 1, 1, 1]));
        assert_eq!(index(&[0, 2, 3], &[2, 1, 2], 5), Some(vec![0, 0, 1, 2, 2]));
    }

    #[test]
    fn a_gap_between_households_is_refused() {
        let mut calls = 0;
        assert!(with_household_index(&[0, 3], &[2, 1], 4, |_| calls += 1).is_none());
        assert!(with_household_index(&[1], &[1], 2, |_| calls += 1).is_none());
        assert!(with_household_index(&[0], &[1], 2, |_| calls += 1).is_none());
        assert_eq!(calls, 0);
    }

    /// The household layout of these households' members, stored one household after
    /// the other: each household's first person, its size, and the number of persons.
    fn layout_of<T>(households: &[Vec<T>]) -> (Vec<u32>, Vec<u8>, usize) {
        let size: Vec<u8> = households.iter().map(|m| m.len() as u8).collect();
        let mut first = Vec::with_capacity(size.len());
        let mut next = 0u32;
        for &s in &size {
            first.push(next);
            next += u32::from(s);
        }
        (first, size, next as usize)
    }

    /// The layout check as a plain loop over households, for comparison.
    fn contiguous_by_loop(first: &[u32], size: &[u8], persons: usize) -> bool {
        let mut next = 0usize;
        let mut ok = true;
        for (&first, &size) in first.iter().zip(size) {
            ok &= first as usize == next;
            next = first as usize + size as usize;
        }
        ok && next == persons
    }

    proptest::proptest! {
        #[test]
        fn the_layout_check_agrees_with_a_loop_over_households(
            sizes in proptest::collection::vec(0u8..5, 0..40),
            nudge in proptest::option::of((0usize..40, 0u32..3)),
            extra in 0usize..2,
            drop_size in proptest::bool::ANY,
        ) {
            let mut first = Vec::with_capacity(sizes.len());
            let mut next = 0u32;
            for &s in &sizes {
                first.push(next);
                next += u32::from(s);
            }
            // Now and then a household moved (a gap or an overlap), a person more than
            // the households hold, or one size missing.
            if let Some((h, by)) = nudge && h < first.len() {
                first[h] += by;
            }
            let persons = next as usize + extra;
            let size = if drop_size && !sizes.is_empty() { &sizes[..sizes.len() - 1] } else { &sizes[..] };
            proptest::prop_assert_eq!(contiguous(&first, size, persons), contiguous_by_loop(&first, size, persons));
        }
    }

    proptest::proptest! {
        /// Paying the selected members' sums gives every household's account and lever
        /// column, bit for bit, what a loop over each household's members paying its
        /// total gives (the persons left out owed +0).
        #[test]
        fn selected_member_sums_pay_what_a_loop_over_members_pays(
            people in proptest::collection::vec(
                proptest::collection::vec((proptest::bool::ANY, -1e4f64..1e6), 0..6), 0..30),
        ) {
            let (first, size, persons) = layout_of(&people);
            let members: Vec<(bool, f64)> = people.iter().flatten().copied().collect();
            let n = size.len();
            // Persons left out are owed +0; the selected ones their amount (0 now and then).
            let owed = |i: usize| if members[i].0 { members[i].1 * f64::from(u8::from(!i.is_multiple_of(7))) } else { 0.0 };
            let (mut accounts, mut paid) = (Accounts::zeros(n), vec![0.0; n]);
            let mut book = Book::new(&mut accounts, &mut paid);
            let summed = pay_selected_member_sums(
                &mut book, IncomePart::Wage, (&first, &size, persons), |i| members[i].0, |_, i, _| owed(i));
            proptest::prop_assert!(summed);
            let (mut by_loop, mut paid_by_loop) = (Accounts::zeros(n), vec![0.0; n]);
            let mut book = Book::new(&mut by_loop, &mut paid_by_loop);
            for h in 0..n {
                let start = first[h] as usize;
                let total = (start..start + usize::from(size[h])).fold(0.0, |t, i| t + owed(i));
                book.pay(h, IncomePart::Wage, total);
            }
            let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            proptest::prop_assert_eq!(bits(&paid), bits(&paid_by_loop));
            proptest::prop_assert_eq!(bits(&accounts.wage), bits(&by_loop.wage));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Persons marked with any byte but 0 are visited, each once, in order, with
        /// their households, whichever of the eight persons of a word they are and in
        /// the persons past the last whole word.
        #[test]
        fn marked_persons_are_visited_in_order_with_their_households(
            people in proptest::collection::vec(
                proptest::collection::vec(proptest::prop_oneof![3 => proptest::strategy::Just(0u8), 1 => 1u8..=255], 0..7),
                0..40),
        ) {
            let (first, size, persons) = layout_of(&people);
            let bytes: Vec<u8> = people.iter().flatten().copied().collect();
            let mut visited = Vec::new();
            let done = for_each_marked(&first, &size, persons, |marks| marks.copy_from_slice(&bytes), |i, h| visited.push((i, h)));
            proptest::prop_assert!(done);
            let mut by_loop = Vec::new();
            for h in 0..size.len() {
                let start = first[h] as usize;
                let members = start..start + usize::from(size[h]);
                by_loop.extend(members.filter(|&i| bytes[i] != 0).map(|i| (i, h)));
            }
            proptest::prop_assert_eq!(visited, by_loop);
        }
    }

    #[test]
    fn marked_persons_are_not_visited_when_households_are_not_stored_in_order() {
        let mut visits = 0;
        let done = for_each_marked(&[0, 3], &[2, 1], 4, |marks| marks.fill(1), |_, _| visits += 1);
        assert!(!done);
        assert_eq!(visits, 0);
    }

    #[test]
    fn keep_gives_the_value_or_zero() {
        assert_eq!(keep(-3.5, true), -3.5);
        assert_eq!(keep(3.5, false).to_bits(), 0.0f64.to_bits());
        assert_eq!(keep(-3.5, false), 0.0);
        assert_eq!(1.25 + keep(-3.5, false), 1.25);
    }
}
