//! Targets as the plans state them, and whether a projection meets them.
//!
//! A plan says "rural income grows about 12% a year" (左右: within a tolerance), "wage
//! income at least 45% of rural income" (以上), "the urban-rural ratio 2.78 in 2022",
//! "78,000 of the formerly poor above 10,000 yuan". Each is a [`Target`] on one
//! indicator of one group: a level in a year, or an average yearly growth between two
//! years, compared as *about*, *at least* or *at most*.

use serde::{Deserialize, Serialize};

use crate::report::chart::NumberFormat;

/// How a value is compared with the target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Comparison {
    /// 左右: within `tolerance` of the target (same unit as the target).
    About {
        /// Largest distance that still counts as met.
        tolerance: f64,
    },
    /// 以上 / 不低于: at least the target.
    AtLeast,
    /// 以内 / 不高于: at most the target.
    AtMost,
}

/// What is measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "measure")]
pub enum Measure {
    /// The indicator's value in a year.
    Level {
        /// Year.
        year: u16,
    },
    /// Change of the indicator from `from` to `to` (value in `to` minus value in
    /// `from`): "78,000 more of the formerly poor above 10,000 yuan" is a change of at
    /// most −78,000 in `formerly_poor_below_10000`.
    Change {
        /// First year.
        from: u16,
        /// Last year.
        to: u16,
    },
    /// Average yearly growth of the indicator from `from` to `to` (geometric mean, as a
    /// fraction: 0.12 = 12% a year).
    Growth {
        /// First year (the base of the growth).
        from: u16,
        /// Last year.
        to: u16,
    },
    /// The indicator's level in every year from `from` to `to` (both included): "urban
    /// surveyed unemployment kept within 5.5%" (控制在5.5%以内) each year of a plan. The
    /// value reached is the year furthest from meeting it: the highest for *at most*,
    /// the lowest for *at least*, the furthest from the target for *about*; so the
    /// target is met when every year meets it.
    EveryYear {
        /// First year.
        from: u16,
        /// Last year.
        to: u16,
    },
}

impl Measure {
    /// The years the measure reads, in order.
    pub fn years(&self) -> Vec<u16> {
        match *self {
            Measure::Level { year } => vec![year],
            Measure::Change { from, to } | Measure::Growth { from, to } => vec![from, to],
            Measure::EveryYear { from, to } => (from..=to).collect(),
        }
    }
}

/// A target of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// A name for reports, e.g. "rural income +12% a year 2022–2024".
    pub name: String,
    /// Group: `urban`, `rural`, `all`, or another group the indicators report.
    pub group: String,
    /// Indicator name (see the indicators module), e.g. `disposable_mean`.
    pub indicator: String,
    /// What is measured.
    #[serde(flatten)]
    pub measure: Measure,
    /// Target value (a fraction for growth and shares).
    pub value: f64,
    /// How it is compared.
    pub comparison: Comparison,
    /// The plan clause it comes from.
    #[serde(default)]
    pub source: String,
}

/// A target checked against one projection (or the mean of replications).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetResult {
    /// The target's name.
    pub name: String,
    /// The value reached (`None` if the indicator or a year is missing).
    pub reached: Option<f64>,
    /// The target value.
    pub target: f64,
    /// Met or missed.
    pub met: bool,
    /// By how much: reached − target (positive is above the target).
    pub margin: Option<f64>,
    /// Share of replications in which the target is met (1 or 0 for a single run).
    pub probability: f64,
}

impl TargetResult {
    /// Its definition among a scenario's `targets`, of which it is the `k`-th result
    /// (`None` when that target has another name).
    pub fn definition<'t>(&self, targets: &'t [Target], k: usize) -> Option<&'t Target> {
        targets.get(k).filter(|t| t.name == self.name)
    }

    /// What is printed of it: the value reached (`n/a` when not measured), the target
    /// and the signed margin, in the target's own format ([`Target::number_format`];
    /// `def` is the scenario's target, `None` when it is not at hand: three decimals).
    pub fn cells(&self, def: Option<&Target>) -> [String; 3] {
        let f = def.map_or(NumberFormat::Decimals(3), Target::number_format);
        let margin = self.margin.map_or("n/a".to_string(), |m| {
            let s = f.format(m);
            if m >= 0.0 && !s.starts_with('+') { format!("+{s}") } else { s }
        });
        [self.reached.map_or("n/a".to_string(), |x| f.format(x)), f.format(self.target), margin]
    }
}

impl Target {
    /// How its values print: growth and shares as percentages, a ratio, Gini or Theil
    /// with three decimals, counts and yuan as whole numbers with thousands separators.
    pub fn number_format(&self) -> NumberFormat {
        if matches!(self.measure, Measure::Growth { .. }) {
            NumberFormat::Percent(2)
        } else {
            crate::report::figures::indicator_format(&self.indicator)
        }
    }

    /// The value the target measures, given a lookup of `(year, group, indicator)`.
    pub fn measure<L: Fn(u16, &str, &str) -> Option<f64>>(&self, lookup: &L) -> Option<f64> {
        match self.measure {
            Measure::Level { year } => lookup(year, &self.group, &self.indicator),
            Measure::Change { from, to } => {
                Some(lookup(to, &self.group, &self.indicator)? - lookup(from, &self.group, &self.indicator)?)
            }
            Measure::Growth { from, to } => {
                let a = lookup(from, &self.group, &self.indicator)?;
                let b = lookup(to, &self.group, &self.indicator)?;
                if to <= from || a <= 0.0 || b <= 0.0 {
                    return None;
                }
                Some((b / a).powf(1.0 / (to - from) as f64) - 1.0)
            }
            Measure::EveryYear { from, to } => {
                let values = (from..=to).map(|y| lookup(y, &self.group, &self.indicator));
                let mut worst: Option<f64> = None;
                for v in values {
                    let v = v?;
                    worst = Some(match worst {
                        None => v,
                        Some(w) if self.shortfall(v) > self.shortfall(w) => v,
                        Some(w) => w,
                    });
                }
                worst
            }
        }
    }

    /// How far a value is from meeting the target in the comparison's direction (the
    /// larger, the worse; negative when it meets it with room to spare).
    fn shortfall(&self, reached: f64) -> f64 {
        match self.comparison {
            Comparison::About { .. } => (reached - self.value).abs(),
            Comparison::AtLeast => self.value - reached,
            Comparison::AtMost => reached - self.value,
        }
    }

    /// Whether a value meets the target.
    pub fn is_met(&self, reached: f64) -> bool {
        match self.comparison {
            Comparison::About { tolerance } => (reached - self.value).abs() <= tolerance,
            Comparison::AtLeast => reached >= self.value,
            Comparison::AtMost => reached <= self.value,
        }
    }

    /// Checks the target in each replication (`lookups`, one per replication): the
    /// reached value is the mean over replications, `met` refers to that mean, and the
    /// probability is the share of replications that meet it.
    pub fn check<L: Fn(u16, &str, &str) -> Option<f64>>(&self, lookups: &[L]) -> TargetResult {
        let values: Vec<f64> = lookups.iter().filter_map(|l| self.measure(l)).collect();
        let reached = if values.is_empty() { None } else { Some(values.iter().sum::<f64>() / values.len() as f64) };
        let met_count = values.iter().filter(|v| self.is_met(**v)).count();
        TargetResult {
            name: self.name.clone(),
            reached,
            target: self.value,
            met: reached.is_some_and(|r| self.is_met(r)),
            margin: reached.map(|r| r - self.value),
            probability: if lookups.is_empty() { 0.0 } else { met_count as f64 / lookups.len() as f64 },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(year: u16, group: &str, indicator: &str) -> Option<f64> {
        match (year, group, indicator) {
            (2021, "rural", "disposable_mean") => Some(10_000.0),
            (2024, "rural", "disposable_mean") => Some(14_049.28), // 10,000 × 1.12^3
            (2022, "all", "urban_rural_ratio") => Some(2.80),
            _ => None,
        }
    }

    #[test]
    fn growth_about_twelve_percent() {
        let t = Target {
            name: "rural +12%/yr".into(),
            group: "rural".into(),
            indicator: "disposable_mean".into(),
            measure: Measure::Growth { from: 2021, to: 2024 },
            value: 0.12,
            comparison: Comparison::About { tolerance: 0.005 },
            source: "Liupanshui plan".into(),
        };
        let r = t.check(&[lookup]);
        assert!((r.reached.expect("measured") - 0.12).abs() < 1e-9);
        assert!(r.met);
        assert_eq!(r.probability, 1.0);
    }

    #[test]
    fn a_target_prints_in_its_own_unit() {
        let growth = Target {
            name: "rural +12%/yr".into(),
            group: "rural".into(),
            indicator: "disposable_mean".into(),
            measure: Measure::Growth { from: 2021, to: 2024 },
            value: 0.12,
            comparison: Comparison::AtLeast,
            source: String::new(),
        };
        let r = TargetResult { reached: Some(0.125), margin: Some(0.005), ..growth.check(&[lookup]) };
        assert_eq!(r.cells(Some(&growth)), ["12.50%", "12.00%", "+0.50%"]);
        let count = Target {
            indicator: "persons_below_10000".into(),
            measure: Measure::Change { from: 2021, to: 2024 },
            value: -78_000.0,
            ..growth.clone()
        };
        let r = TargetResult { reached: Some(-94_299.687), margin: Some(-16_299.687), target: -78_000.0, ..r };
        assert_eq!(r.cells(Some(&count)), ["-94,300", "-78,000", "-16,300"]);
        let ratio = Target { indicator: "urban_rural_ratio".into(), measure: Measure::Level { year: 2022 }, ..growth };
        let r = TargetResult { reached: None, margin: None, target: 2.78, ..r };
        assert_eq!(r.cells(Some(&ratio)), ["n/a", "2.780", "n/a"]);
    }

    #[test]
    fn every_year_reaches_the_worst_year() {
        // Urban unemployment 5.2%, 5.6%, 5.4% in 2023-2025.
        let rates = |year: u16, _: &str, _: &str| match year {
            2023 => Some(0.052),
            2024 => Some(0.056),
            2025 => Some(0.054),
            _ => None,
        };
        let target = |comparison, value| Target {
            name: "unemployment".into(),
            group: "urban".into(),
            indicator: "unemployment_rate".into(),
            measure: Measure::EveryYear { from: 2023, to: 2025 },
            value,
            comparison,
            source: String::new(),
        };
        // At most 5.5% every year: 2024 misses it, and is the value reached.
        let r = target(Comparison::AtMost, 0.055).check(&[rates]);
        assert_eq!(r.reached, Some(0.056));
        assert!(!r.met);
        assert!(target(Comparison::AtMost, 0.056).check(&[rates]).met);
        // At least 5.3% every year: 2023 is the worst.
        assert_eq!(target(Comparison::AtLeast, 0.053).check(&[rates]).reached, Some(0.052));
        // About 5.5% ± 0.3 points: 2023 is furthest.
        let r = target(Comparison::About { tolerance: 0.0031 }, 0.055).check(&[rates]);
        assert_eq!(r.reached, Some(0.052));
        assert!(r.met);
        // A year without the indicator: not measured.
        let mut t = target(Comparison::AtMost, 0.06);
        t.measure = Measure::EveryYear { from: 2023, to: 2026 };
        assert_eq!(t.check(&[rates]).reached, None);
        assert_eq!(Measure::EveryYear { from: 2023, to: 2025 }.years(), [2023, 2024, 2025]);
    }

    #[test]
    fn change_between_years() {
        let t = Target {
            name: "rural +4,049 2021-2024".into(),
            group: "rural".into(),
            indicator: "disposable_mean".into(),
            measure: Measure::Change { from: 2021, to: 2024 },
            value: 4_000.0,
            comparison: Comparison::AtLeast,
            source: String::new(),
        };
        let r = t.check(&[lookup]);
        assert!((r.reached.expect("measured") - 4_049.28).abs() < 1e-6);
        assert!(r.met);
    }

    #[test]
    fn ratio_at_most_is_missed_by_the_margin() {
        let t = Target {
            name: "ratio 2.78 in 2022".into(),
            group: "all".into(),
            indicator: "urban_rural_ratio".into(),
            measure: Measure::Level { year: 2022 },
            value: 2.78,
            comparison: Comparison::AtMost,
            source: String::new(),
        };
        let r = t.check(&[lookup]);
        assert!(!r.met);
        assert!((r.margin.expect("margin") - 0.02).abs() < 1e-9);
        let missing = Target { measure: Measure::Level { year: 2030 }, ..t };
        assert_eq!(missing.check(&[lookup]).reached, None);
    }
}
