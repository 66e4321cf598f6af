//! Mergeable partial sums for the mean-type indicators and for following households.
//!
//! Each accumulator has `add` (one household, in household order) and `merge` (a later
//! block's partial sums, in block order), so a run that splits households into blocks
//! gets the same figures, up to the rounding of a different association of the same
//! additions, whatever the number of threads: blocks are merged in index order, never
//! in the order threads finish.

use super::outcome::{Followed, HouseholdOutcome};
use super::sketch::IncomeSketch;
use crate::error::{Error, Result};

/// Incomes this far (yuan per person per year) or less below a line count as at the
/// line: a household that dibao tops up exactly to its threshold is not counted poor
/// because of the rounding of a sum of parts.
pub const POVERTY_TOLERANCE_YUAN: f64 = 1e-6;

/// Lower bound of the middle-income group, yuan per person per year: 100,000 / 3.
///
/// Source: the NBS working definition (国家统计局, as used in its explanations of the
/// "about 400 million middle-income people" figure, 2018–2019): a typical three-person
/// household with 100,000–500,000 yuan a year; see `LEVERS.md`, "Definitions".
pub const MIDDLE_INCOME_LOWER_PER_CAPITA: f64 = 100_000.0 / 3.0;

/// Upper bound of the middle-income group, yuan per person per year: 500,000 / 3.
/// Source as [`MIDDLE_INCOME_LOWER_PER_CAPITA`].
pub const MIDDLE_INCOME_UPPER_PER_CAPITA: f64 = 500_000.0 / 3.0;

/// Whether a per-capita income is in the middle-income group (both bounds included).
#[inline]
pub fn is_middle_income(per_capita: f64) -> bool {
    (MIDDLE_INCOME_LOWER_PER_CAPITA..=MIDDLE_INCOME_UPPER_PER_CAPITA).contains(&per_capita)
}

/// Whether a per-capita income is below a line (a line of 0 or less has nobody below).
#[inline]
pub fn is_poor(per_capita: f64, line: f64) -> bool {
    line > 0.0 && per_capita < line - POVERTY_TOLERANCE_YUAN
}

/// The poverty lines of a run besides each household's own dibao line: fixed lines
/// in yuan per person per year.
#[derive(Debug, Clone, PartialEq)]
pub struct PovertyLines {
    absolute: Vec<f64>,
}

impl Default for PovertyLines {
    /// 6,000 yuan (Bayannur: the formerly poor at or above 6,000 yuan a year by 2020)
    /// and 10,000 yuan (Liupanshui: 78,000 people brought above 10,000 yuan a year).
    fn default() -> Self {
        PovertyLines { absolute: vec![6_000.0, 10_000.0] }
    }
}

impl PovertyLines {
    /// Fixed lines, yuan per person per year.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a line that is not a positive finite number or a
    /// line given twice.
    pub fn new(absolute: Vec<f64>) -> Result<Self> {
        for (i, &z) in absolute.iter().enumerate() {
            if !(z.is_finite() && z > 0.0) {
                return Err(Error::InvalidRequest(format!("poverty line {z}: must be a positive number of yuan")));
            }
            if absolute[..i].contains(&z) {
                return Err(Error::InvalidRequest(format!("poverty line {z} given twice")));
            }
        }
        Ok(PovertyLines { absolute })
    }

    /// The fixed lines, yuan per person per year.
    pub fn absolute(&self) -> &[f64] {
        &self.absolute
    }

    /// Number of lines including the dibao line (which comes first).
    pub fn count(&self) -> usize {
        1 + self.absolute.len()
    }

    /// The labels used in indicator names: `dibao`, then each fixed line in yuan
    /// (`6000`, `10000`; a fractional line as `2300_5`).
    pub fn labels(&self) -> Vec<String> {
        let mut v = vec!["dibao".to_string()];
        v.extend(
            self.absolute
                .iter()
                .map(|&z| if z.fract() == 0.0 { format!("{z:.0}") } else { format!("{z}").replace('.', "_") }),
        );
        v
    }

    /// Line `k` for a household: its dibao line for `k = 0`, else fixed line `k − 1`.
    #[inline]
    pub fn line(&self, k: usize, outcome: &HouseholdOutcome) -> f64 {
        self.line_with(k, outcome.dibao_line)
    }

    /// Line `k` for a household whose dibao line is `dibao_line`.
    #[inline]
    fn line_with(&self, k: usize, dibao_line: f64) -> f64 {
        if k == 0 { dibao_line } else { self.absolute[k - 1] }
    }
}

/// FGT sums against one line, person-weighted: `Σ p·1[y<z]`, `Σ p·(z−y)/z`, `Σ p·((z−y)/z)²`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FgtSums {
    /// Persons below the line.
    pub poor_persons: f64,
    /// Sum of persons × normalised gap.
    pub gap: f64,
    /// Sum of persons × squared normalised gap.
    pub severity: f64,
    /// Persons of formerly poor households below the line.
    pub formerly_poor_persons: f64,
}

/// Partial sums of one residence group (weighted: every term is multiplied by the
/// household weight, and per-person terms by the size too).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupSums {
    /// Households.
    pub households: f64,
    /// Persons.
    pub persons: f64,
    /// Total disposable income, yuan.
    pub disposable: f64,
    /// Total wage income, yuan.
    pub wage: f64,
    /// Total net operating income, yuan.
    pub operating: f64,
    /// Total net property income, yuan.
    pub property: f64,
    /// Total net transfer income, yuan.
    pub net_transfer: f64,
    /// Households in the dibao caseload.
    pub dibao_households: f64,
    /// Persons in those households.
    pub dibao_persons: f64,
    /// Dibao paid, yuan.
    pub dibao_spending: f64,
    /// Persons in the middle-income group.
    pub middle_income_persons: f64,
    /// Persons aged 16 and over in the labour force (working or unemployed).
    pub labour_force_persons: f64,
    /// Persons aged 16 and over who are unemployed.
    pub unemployed_persons: f64,
    /// Households in which every member in the labour force is unemployed (零就业家庭).
    pub zero_employment_households: f64,
    /// Persons aged 60 and over.
    pub persons_60_plus: f64,
    /// Persons aged 65 and over.
    pub persons_65_plus: f64,
    /// Persons drawing an employer-scheme pension.
    pub retirees: f64,
    /// FGT sums per line (dibao first, then the fixed lines).
    pub poverty: Vec<FgtSums>,
    /// Persons with positive per-capita income (for the Theil index).
    pub positive_persons: f64,
    /// Their income: `Σ p·y` over positive `y`, yuan.
    pub positive_income: f64,
    /// `Σ p·y·ln y` over positive `y` (`y` in yuan): with the two sums above, the Theil
    /// index `T = Σ p·y·ln y / Σ p·y − ln(Σ p·y / Σ p)`.
    pub positive_income_log: f64,
}

impl GroupSums {
    fn with_lines(n: usize) -> Self {
        GroupSums { poverty: vec![FgtSums::default(); n], ..Default::default() }
    }

    fn add(&mut self, o: &HouseholdOutcome, lines: &PovertyLines) {
        let w = o.weight_f64();
        let p = o.persons();
        let y = o.per_capita();
        self.households += w;
        self.persons += p;
        self.disposable += w * o.disposable();
        self.wage += w * o.wage;
        self.operating += w * o.operating;
        self.property += w * o.property;
        self.net_transfer += w * o.net_transfer;
        if o.dibao_recipient() {
            self.dibao_households += w;
            self.dibao_persons += o.dibao_recipient_persons();
        }
        self.dibao_spending += w * o.dibao;
        if is_middle_income(y) {
            self.middle_income_persons += p;
        }
        self.labour_force_persons += w * f64::from(o.labour_force);
        self.unemployed_persons += w * f64::from(o.unemployed);
        self.persons_60_plus += w * f64::from(o.aged_60_plus);
        self.persons_65_plus += w * f64::from(o.aged_65_plus);
        self.retirees += w * f64::from(o.retirees);
        if o.zero_employment() {
            self.zero_employment_households += w;
        }
        if y > 0.0 {
            let py = p * y;
            self.positive_persons += p;
            self.positive_income += py;
            self.positive_income_log += py * y.ln();
        }
        for (k, f) in self.poverty.iter_mut().enumerate() {
            let z = lines.line(k, o);
            if is_poor(y, z) {
                let g = (z - y) / z;
                f.poor_persons += p;
                f.gap += p * g;
                f.severity += p * g * g;
                if o.formerly_poor() {
                    f.formerly_poor_persons += p;
                }
            }
        }
    }

    fn merge(&mut self, other: &GroupSums) {
        self.add_scaled(other, 1.0);
    }

    /// Adds `other` with every term multiplied by `k` (a reweighting).
    pub(crate) fn add_scaled(&mut self, other: &GroupSums, k: f64) {
        self.households += k * other.households;
        self.persons += k * other.persons;
        self.disposable += k * other.disposable;
        self.wage += k * other.wage;
        self.operating += k * other.operating;
        self.property += k * other.property;
        self.net_transfer += k * other.net_transfer;
        self.dibao_households += k * other.dibao_households;
        self.dibao_persons += k * other.dibao_persons;
        self.dibao_spending += k * other.dibao_spending;
        self.middle_income_persons += k * other.middle_income_persons;
        self.labour_force_persons += k * other.labour_force_persons;
        self.unemployed_persons += k * other.unemployed_persons;
        self.zero_employment_households += k * other.zero_employment_households;
        self.persons_60_plus += k * other.persons_60_plus;
        self.persons_65_plus += k * other.persons_65_plus;
        self.retirees += k * other.retirees;
        self.positive_persons += k * other.positive_persons;
        self.positive_income += k * other.positive_income;
        self.positive_income_log += k * other.positive_income_log;
        if self.poverty.len() < other.poverty.len() {
            self.poverty.resize(other.poverty.len(), FgtSums::default());
        }
        for (a, b) in self.poverty.iter_mut().zip(&other.poverty) {
            a.poor_persons += k * b.poor_persons;
            a.gap += k * b.gap;
            a.severity += k * b.severity;
            a.formerly_poor_persons += k * b.formerly_poor_persons;
        }
    }

    /// Theil T index of per-capita income over persons with positive income, exact
    /// from the sums: `T = Σ p·y·ln y / Σ p·y − ln μ`, `μ = Σ p·y / Σ p`; 0 without such
    /// persons.
    pub fn theil(&self) -> f64 {
        if self.positive_persons <= 0.0 || self.positive_income <= 0.0 {
            return 0.0;
        }
        let mu = self.positive_income / self.positive_persons;
        // The two terms are each near ln μ; their difference is not negative.
        (self.positive_income_log / self.positive_income - mu.ln()).max(0.0)
    }
}

/// Mergeable sums of every indicator of a year for urban and rural households: the
/// mean-type indicators (means, parts, totals, FGT, middle income, dibao, Theil) as
/// sums, and the distribution (median, quintiles, Gini, Lorenz) as an
/// [`IncomeSketch`] of each residence group.
///
/// A block of households needs nothing else: `add` each household, `merge` the
/// blocks in block order, and [`super::YearIndicators::from_block_sums`].
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorSums {
    lines: PovertyLines,
    /// Sums by residence, `[urban, rural]`.
    pub groups: [GroupSums; 2],
    /// Sketches of per-capita income by residence, `[urban, rural]`.
    pub sketches: [IncomeSketch; 2],
}

impl IndicatorSums {
    /// Empty sums for a set of lines.
    pub fn new(lines: &PovertyLines) -> Self {
        let n = lines.count();
        IndicatorSums {
            lines: lines.clone(),
            groups: [GroupSums::with_lines(n), GroupSums::with_lines(n)],
            sketches: [IncomeSketch::new(), IncomeSketch::new()],
        }
    }

    /// The lines the sums are taken against.
    pub fn lines(&self) -> &PovertyLines {
        &self.lines
    }

    /// Adds one household (call in household order).
    pub fn add(&mut self, o: &HouseholdOutcome) {
        let r = o.residence.index();
        self.groups[r].add(o, &self.lines);
        self.sketches[r].add(o.per_capita(), o.weight_f64(), o.persons());
    }

    /// Adds the sums of a later block (merge blocks in block order).
    pub fn merge(&mut self, other: &IndicatorSums) {
        for (a, b) in self.groups.iter_mut().zip(&other.groups) {
            a.merge(b);
        }
        for (a, b) in self.sketches.iter_mut().zip(&other.sketches) {
            a.merge(b);
        }
    }
}

/// Sums that follow households of one residence group from last year to this one
/// (weighted; persons are this year's weight × size for matched and entering
/// households and last year's for leaving ones).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrackingGroupSums {
    /// Households present both years.
    pub matched_households: f64,
    /// Their persons.
    pub matched_persons: f64,
    /// Households present this year only.
    pub entered_households: f64,
    /// Their persons.
    pub entered_persons: f64,
    /// Households present last year only (grouped by last year's residence).
    pub exited_households: f64,
    /// Their persons (last year).
    pub exited_persons: f64,
    /// Per line: persons below it last year and at or above it this year.
    pub crossed_up: Vec<f64>,
    /// Per line: persons at or above it last year and below it this year.
    pub crossed_down: Vec<f64>,
    /// Per line: persons of formerly poor households who crossed down (返贫).
    pub returned_to_poverty: Vec<f64>,
    /// Persons of matched formerly poor households (this year).
    pub formerly_poor_persons: f64,
    /// Their disposable income this year, yuan.
    pub formerly_poor_income: f64,
    /// Persons of the same households last year.
    pub formerly_poor_persons_before: f64,
    /// Their disposable income last year, yuan.
    pub formerly_poor_income_before: f64,
}

impl TrackingGroupSums {
    fn with_lines(n: usize) -> Self {
        TrackingGroupSums {
            crossed_up: vec![0.0; n],
            crossed_down: vec![0.0; n],
            returned_to_poverty: vec![0.0; n],
            ..Default::default()
        }
    }

    /// Adds `other` with every term multiplied by `k`.
    pub(crate) fn add_scaled(&mut self, other: &TrackingGroupSums, k: f64) {
        self.matched_households += k * other.matched_households;
        self.matched_persons += k * other.matched_persons;
        self.entered_households += k * other.entered_households;
        self.entered_persons += k * other.entered_persons;
        self.exited_households += k * other.exited_households;
        self.exited_persons += k * other.exited_persons;
        for (a, b) in [
            (&mut self.crossed_up, &other.crossed_up),
            (&mut self.crossed_down, &other.crossed_down),
            (&mut self.returned_to_poverty, &other.returned_to_poverty),
        ] {
            if a.len() < b.len() {
                a.resize(b.len(), 0.0);
            }
            for (x, y) in a.iter_mut().zip(b) {
                *x += k * y;
            }
        }
        self.formerly_poor_persons += k * other.formerly_poor_persons;
        self.formerly_poor_income += k * other.formerly_poor_income;
        self.formerly_poor_persons_before += k * other.formerly_poor_persons_before;
        self.formerly_poor_income_before += k * other.formerly_poor_income_before;
    }
}

/// Mergeable sums that follow households over time, by residence `[urban, rural]`.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackingSums {
    lines: PovertyLines,
    /// Sums by residence, `[urban, rural]`.
    pub groups: [TrackingGroupSums; 2],
}

impl TrackingSums {
    /// Empty sums for a set of lines.
    pub fn new(lines: &PovertyLines) -> Self {
        let n = lines.count();
        TrackingSums {
            lines: lines.clone(),
            groups: [TrackingGroupSums::with_lines(n), TrackingGroupSums::with_lines(n)],
        }
    }

    /// Adds a household present both years (grouped by this year's residence). Each
    /// year's income is compared with that year's line.
    pub fn add_matched(&mut self, now: &impl Followed, before: &impl Followed) {
        let g = &mut self.groups[now.residence().index()];
        let p = now.persons();
        g.matched_households += now.weight_f64();
        g.matched_persons += p;
        let (y, y0) = (now.per_capita(), before.per_capita());
        for k in 0..self.lines.count() {
            let poor_now = is_poor(y, self.lines.line_with(k, now.dibao_line()));
            let poor_before = is_poor(y0, self.lines.line_with(k, before.dibao_line()));
            if poor_before && !poor_now {
                g.crossed_up[k] += p;
            }
            if !poor_before && poor_now {
                g.crossed_down[k] += p;
                if now.formerly_poor() {
                    g.returned_to_poverty[k] += p;
                }
            }
        }
        if now.formerly_poor() {
            g.formerly_poor_persons += p;
            g.formerly_poor_income += now.weight_f64() * now.disposable();
            g.formerly_poor_persons_before += before.persons();
            g.formerly_poor_income_before += before.weight_f64() * before.disposable();
        }
    }

    /// Adds a household present this year only.
    pub fn add_entered(&mut self, now: &impl Followed) {
        let g = &mut self.groups[now.residence().index()];
        g.entered_households += now.weight_f64();
        g.entered_persons += now.persons();
    }

    /// Adds a household present last year only (grouped by last year's residence).
    pub fn add_exited(&mut self, before: &impl Followed) {
        let g = &mut self.groups[before.residence().index()];
        g.exited_households += before.weight_f64();
        g.exited_persons += before.persons();
    }

    /// Adds the sums of a later block (merge blocks in block order).
    pub fn merge(&mut self, other: &TrackingSums) {
        for (a, b) in self.groups.iter_mut().zip(&other.groups) {
            a.add_scaled(b, 1.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_stable() {
        assert_eq!(PovertyLines::default().labels(), vec!["dibao", "6000", "10000"]);
        assert_eq!(PovertyLines::new(vec![2300.5]).unwrap().labels(), vec!["dibao", "2300_5"]);
        assert!(PovertyLines::new(vec![0.0]).is_err());
        assert!(PovertyLines::new(vec![f64::NAN]).is_err());
        assert!(PovertyLines::new(vec![10.0, 10.0]).is_err());
    }

    #[test]
    fn middle_income_bounds_are_included() {
        assert!(is_middle_income(100_000.0 / 3.0));
        assert!(is_middle_income(500_000.0 / 3.0));
        assert!(!is_middle_income(100_000.0 / 3.0 - 0.01));
        assert!(!is_middle_income(500_000.0 / 3.0 + 0.01));
    }

    #[test]
    fn at_the_line_is_not_poor() {
        assert!(!is_poor(6000.0, 6000.0));
        assert!(!is_poor(6000.0 - 1e-9, 6000.0));
        assert!(is_poor(5999.99, 6000.0));
        assert!(!is_poor(-5.0, 0.0));
    }
}
