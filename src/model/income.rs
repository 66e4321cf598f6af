//! Income accounting: the four parts of disposable income, as NBS counts them.

use serde::{Deserialize, Serialize};

/// Where money lands in the NBS household income accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncomePart {
    /// Wage income (工资性收入).
    Wage,
    /// Net operating income (经营净收入).
    Operating,
    /// Net property income (财产净收入).
    Property,
    /// Transfers received (转移性收入): pensions, benefits, remittances.
    TransfersReceived,
    /// Transfers paid (转移性支出): income tax, social insurance contributions. Net
    /// transfer income is received minus paid.
    TransfersPaid,
}

impl IncomePart {
    /// Every part, in account order.
    pub const ALL: [IncomePart; 5] = [
        IncomePart::Wage,
        IncomePart::Operating,
        IncomePart::Property,
        IncomePart::TransfersReceived,
        IncomePart::TransfersPaid,
    ];

    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            IncomePart::Wage => "wage",
            IncomePart::Operating => "operating",
            IncomePart::Property => "property",
            IncomePart::TransfersReceived => "transfers_received",
            IncomePart::TransfersPaid => "transfers_paid",
        }
    }
}

/// The four parts of disposable income for one household or one group, yuan per year.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct IncomeParts {
    /// Wage income.
    pub wage: f64,
    /// Net operating income.
    pub operating: f64,
    /// Net property income.
    pub property: f64,
    /// Transfers received.
    pub transfers_received: f64,
    /// Transfers paid (tax and contributions), a positive number.
    pub transfers_paid: f64,
}

impl IncomeParts {
    /// Net transfer income: received minus paid.
    #[inline]
    pub fn net_transfer(&self) -> f64 {
        self.transfers_received - self.transfers_paid
    }

    /// Disposable income: the sum of the four parts.
    #[inline]
    pub fn disposable(&self) -> f64 {
        self.wage + self.operating + self.property + self.net_transfer()
    }

    /// Adds another set of parts, each scaled by `factor` (a weight).
    #[inline]
    pub fn add_scaled(&mut self, other: &IncomeParts, factor: f64) {
        self.wage += other.wage * factor;
        self.operating += other.operating * factor;
        self.property += other.property * factor;
        self.transfers_received += other.transfers_received * factor;
        self.transfers_paid += other.transfers_paid * factor;
    }

    /// Every part divided by `d` (per capita).
    #[inline]
    pub fn divided_by(&self, d: f64) -> IncomeParts {
        IncomeParts {
            wage: self.wage / d,
            operating: self.operating / d,
            property: self.property / d,
            transfers_received: self.transfers_received / d,
            transfers_paid: self.transfers_paid / d,
        }
    }

    /// The amount in one part.
    pub fn get(&self, part: IncomePart) -> f64 {
        match part {
            IncomePart::Wage => self.wage,
            IncomePart::Operating => self.operating,
            IncomePart::Property => self.property,
            IncomePart::TransfersReceived => self.transfers_received,
            IncomePart::TransfersPaid => self.transfers_paid,
        }
    }
}

/// One year's household income accounts for a chunk of households, as columns.
///
/// Accounts are rebuilt every year from the persons' market incomes and the
/// household's private transfers, then every rule and lever adds to them through
/// [`Accounts::add`]. They live beside a [`Population`](super::Population), not in it,
/// and are reused from year to year.
///
/// They also hold one per-person column for the year: each person's employees' social
/// insurance contributions, which the contributions rule writes and the income tax
/// (which deducts them) and the resident-pension contribution support (which asks
/// whether someone pays into an employee scheme) read later in the same year.
#[derive(Debug, Clone, Default)]
pub struct Accounts {
    /// Wage income per household.
    pub wage: Vec<f64>,
    /// Net operating income per household.
    pub operating: Vec<f64>,
    /// Net property income per household.
    pub property: Vec<f64>,
    /// Transfers received per household.
    pub transfers_received: Vec<f64>,
    /// Transfers paid per household.
    pub transfers_paid: Vec<f64>,
    /// Employees' social insurance contributions of each person this year, yuan per
    /// year (index = person of the chunk's population); empty until the contributions
    /// rule has run this year. Read with [`Accounts::contribution`].
    pub contributions: Vec<f32>,
}

impl Accounts {
    /// Accounts for `n` households, all zero.
    pub fn zeros(n: usize) -> Self {
        Accounts {
            wage: vec![0.0; n],
            operating: vec![0.0; n],
            property: vec![0.0; n],
            transfers_received: vec![0.0; n],
            transfers_paid: vec![0.0; n],
            contributions: Vec::new(),
        }
    }

    /// Number of households.
    pub fn len(&self) -> usize {
        self.wage.len()
    }

    /// True when there are no households.
    pub fn is_empty(&self) -> bool {
        self.wage.is_empty()
    }

    /// Resizes to `n` households and sets every amount to zero, keeping the buffers;
    /// empties the persons' contributions (the rule writes them again).
    pub fn reset(&mut self, n: usize) {
        self.contributions.clear();
        for column in [
            &mut self.wage,
            &mut self.operating,
            &mut self.property,
            &mut self.transfers_received,
            &mut self.transfers_paid,
        ] {
            // `fill` compiles to a memset; `clear` then `resize` writes element by element.
            column.resize(n, 0.0);
            column.fill(0.0);
        }
    }

    /// Reserves room for exactly `n` more households in every column.
    pub fn reserve_exact(&mut self, n: usize) {
        self.wage.reserve_exact(n);
        self.operating.reserve_exact(n);
        self.property.reserve_exact(n);
        self.transfers_received.reserve_exact(n);
        self.transfers_paid.reserve_exact(n);
    }

    /// Appends the accounts of a later chunk. The persons' contributions are kept
    /// only when both chunks have them (or this one has no households yet); otherwise
    /// they are emptied, as before the contributions rule runs.
    pub fn append(&mut self, other: Accounts) {
        if other.contributions.is_empty() || (!self.is_empty() && self.contributions.is_empty()) {
            self.contributions = Vec::new();
        } else {
            self.contributions.extend(other.contributions);
        }
        self.wage.extend(other.wage);
        self.operating.extend(other.operating);
        self.property.extend(other.property);
        self.transfers_received.extend(other.transfers_received);
        self.transfers_paid.extend(other.transfers_paid);
    }

    /// Sets every person's contributions to zero for a population of `persons`
    /// persons: the contributions rule calls it before [`Accounts::set_contribution`].
    pub fn reset_contributions(&mut self, persons: usize) {
        super::columns::refill(&mut self.contributions, persons, 0.0);
    }

    /// Records the contributions of person `i` this year, yuan per year.
    ///
    /// # Panics
    /// If `i` is beyond the persons given to [`Accounts::reset_contributions`].
    #[inline]
    pub fn set_contribution(&mut self, i: usize, amount: f32) {
        self.contributions[i] = amount;
    }

    /// Employees' social insurance contributions of person `i` this year, yuan per
    /// year: 0 until the contributions rule has run this year.
    #[inline]
    pub fn contribution(&self, i: usize) -> f32 {
        self.contributions.get(i).copied().unwrap_or(0.0)
    }

    /// Adds `amount` to one part of household `h`.
    #[inline]
    pub fn add(&mut self, h: usize, part: IncomePart, amount: f64) {
        self.column_mut(part)[h] += amount;
    }

    /// The column of one income part, one amount per household.
    #[inline]
    pub fn column_mut(&mut self, part: IncomePart) -> &mut [f64] {
        match part {
            IncomePart::Wage => &mut self.wage,
            IncomePart::Operating => &mut self.operating,
            IncomePart::Property => &mut self.property,
            IncomePart::TransfersReceived => &mut self.transfers_received,
            IncomePart::TransfersPaid => &mut self.transfers_paid,
        }
    }

    /// The parts of household `h`.
    #[inline]
    pub fn parts(&self, h: usize) -> IncomeParts {
        IncomeParts {
            wage: self.wage[h],
            operating: self.operating[h],
            property: self.property[h],
            transfers_received: self.transfers_received[h],
            transfers_paid: self.transfers_paid[h],
        }
    }

    /// Disposable income of household `h`: the sum of its parts.
    #[inline]
    pub fn disposable(&self, h: usize) -> f64 {
        self.parts(h).disposable()
    }
}
