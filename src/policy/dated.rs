//! Dated parameters: values with effective dates at month precision.

use serde::{Deserialize, Serialize};

/// A month of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct YearMonth {
    /// Calendar year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
}

impl YearMonth {
    /// January of `year`.
    pub fn start_of(year: u16) -> Self {
        YearMonth { year, month: 1 }
    }

    /// The month before.
    pub fn previous(self) -> Self {
        if self.month <= 1 {
            YearMonth { year: self.year.saturating_sub(1), month: 12 }
        } else {
            YearMonth { year: self.year, month: self.month - 1 }
        }
    }

    /// Parses `2020-07` or `2020`.
    pub fn parse(text: &str) -> Option<Self> {
        let (y, m) = match text.split_once('-') {
            Some((y, m)) => (y.parse().ok()?, m.parse().ok()?),
            None => (text.parse().ok()?, 1),
        };
        (1..=12).contains(&m).then_some(YearMonth { year: y, month: m })
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

/// A parameter that changes over time: each value holds from its effective month
/// until the next one. Before the first effective month the first value holds (a
/// lever's parameters start at its first step; validation rejects steps out of order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dated<T> {
    steps: Vec<(YearMonth, T)>,
}

impl<T: Clone> Dated<T> {
    /// A value that never changes.
    pub fn constant(value: T) -> Self {
        Dated { steps: vec![(YearMonth { year: 0, month: 1 }, value)] }
    }

    /// Values with effective months. Returns `None` if empty or not in increasing order.
    pub fn new(steps: Vec<(YearMonth, T)>) -> Option<Self> {
        if steps.is_empty() || steps.windows(2).any(|w| w[0].0 >= w[1].0) {
            return None;
        }
        Some(Dated { steps })
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[(YearMonth, T)] {
        &self.steps
    }

    /// The value in force in a month.
    pub fn at(&self, when: YearMonth) -> &T {
        let i = self.steps.partition_point(|(m, _)| *m <= when);
        &self.steps[i.saturating_sub(1)].1
    }

    /// The value in force in each month of `year`, January first.
    pub fn months(&self, year: u16) -> [T; 12] {
        let mut walk = self.walk(YearMonth::start_of(year));
        std::array::from_fn(|m| walk.at(YearMonth { year, month: m as u8 + 1 }).clone())
    }

    /// A cursor over the steps for months visited in increasing order, starting at
    /// `from`: each month costs a step forward instead of a search, with the same
    /// values as [`Dated::at`].
    fn walk(&self, from: YearMonth) -> Walk<'_, T> {
        Walk { steps: &self.steps, next: self.steps.partition_point(|(m, _)| *m <= from) }
    }

    /// Adds a step (replacing one at the same month).
    pub fn set_from(&mut self, when: YearMonth, value: T) {
        let i = self.steps.partition_point(|(m, _)| *m < when);
        if i < self.steps.len() && self.steps[i].0 == when {
            self.steps[i].1 = value;
        } else {
            self.steps.insert(i, (when, value));
        }
    }
}

/// A cursor over a [`Dated`]'s steps for months in increasing order.
struct Walk<'a, T> {
    steps: &'a [(YearMonth, T)],
    /// Index of the first step after the last month asked for.
    next: usize,
}

impl<'a, T> Walk<'a, T> {
    /// The value in force in `when`, which must not come before the previous month
    /// asked for.
    #[inline]
    fn at(&mut self, when: YearMonth) -> &'a T {
        while self.next < self.steps.len() && self.steps[self.next].0 <= when {
            self.next += 1;
        }
        &self.steps[self.next.saturating_sub(1)].1
    }
}

impl Dated<f64> {
    /// Sum of the monthly values over the months of `year` in `months` (1-based,
    /// inclusive range): an annual amount paid pro rata to the months in force and
    /// the months eligible.
    pub fn sum_over(&self, year: u16, first_month: u8, last_month: u8) -> f64 {
        let first = first_month.max(1);
        if let [(_, value)] = self.steps.as_slice() {
            // One value throughout: the same sum, added month by month in order.
            return (first..=last_month.min(12)).map(|_| *value).sum();
        }
        let mut walk = self.walk(YearMonth { year, month: first });
        (first..=last_month.min(12)).map(|m| *walk.at(YearMonth { year, month: m })).sum()
    }

    /// Sum of the monthly values over the whole of `year`.
    pub fn annual(&self, year: u16) -> f64 {
        self.sum_over(year, 1, 12)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pension_rise_in_july_is_paid_pro_rata() {
        // 88 a month until June 2020, 93 from July: 6*88 + 6*93 = 528 + 558 = 1,086.
        let p =
            Dated::new(vec![(YearMonth { year: 2018, month: 1 }, 88.0), (YearMonth { year: 2020, month: 7 }, 93.0)])
                .expect("ordered steps");
        assert_eq!(p.annual(2020), 1086.0);
        assert_eq!(p.annual(2019), 12.0 * 88.0);
        assert_eq!(p.annual(2021), 12.0 * 93.0);
        // Eligible from October only: 3 * 93.
        assert_eq!(p.sum_over(2020, 10, 12), 279.0);
    }

    #[test]
    fn months_and_sums_agree_with_the_value_of_each_month() {
        let ym = |year, month| YearMonth { year, month };
        let d = Dated::new(vec![(ym(2019, 3), 1.1), (ym(2020, 2), 2.3), (ym(2020, 7), 3.7), (ym(2020, 8), 0.1)])
            .expect("ordered steps");
        for year in 2018..=2021 {
            let each: Vec<f64> = (1..=12).map(|m| *d.at(ym(year, m))).collect();
            assert_eq!(d.months(year).to_vec(), each);
            for first in 0..=13u8 {
                for last in 0..=13u8 {
                    let by_month: f64 = (first.max(1)..=last.min(12)).map(|m| *d.at(ym(year, m))).sum();
                    assert_eq!(d.sum_over(year, first, last).to_bits(), by_month.to_bits());
                }
            }
        }
        let c = Dated::constant(0.1);
        assert_eq!(c.sum_over(2020, 3, 12).to_bits(), (3..=12).map(|_| 0.1f64).sum::<f64>().to_bits());
    }

    #[test]
    fn out_of_order_steps_are_rejected() {
        assert!(
            Dated::new(vec![(YearMonth { year: 2020, month: 7 }, 1.0), (YearMonth { year: 2020, month: 1 }, 2.0)])
                .is_none()
        );
        assert!(Dated::<f64>::new(vec![]).is_none());
        assert_eq!(YearMonth::parse("2020-07"), Some(YearMonth { year: 2020, month: 7 }));
        assert_eq!(YearMonth::parse("2020-13"), None);
    }
}
