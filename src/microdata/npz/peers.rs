//! The performance peers' four benefit rules, run with incomesim's own levers.
//!
//! The peers (`docs/peers.md`) implement, for one year (2024), a resident basic
//! pension, an old-age allowance with a working supplement, a dibao means test with an
//! employment-cost deduction, and a low-income edge flag. Here each is a lever of the
//! registry ([`crate::policy::registry::build`]) with its parameters set to the peers'
//! values ([`PEER_LEVERS`]), applied chunk by chunk in parallel with rayon, and the
//! peers' aggregate outputs ([`PeerAggregates`]) are computed from the levers'
//! columns and the household accounts.
//!
//! Hot path: each chunk's accounts and lever columns live in a per-thread scratch that
//! is reused from chunk to chunk and pass to pass (no allocation per household or per
//! chunk once warm, no lock); households are processed in column order.
//!
//! Sums are taken per block of [`SUM_BLOCK`] households within a chunk, then block
//! after block in household order, so they do not depend on the number of threads,
//! nor on the chunk size when chunks hold a multiple of [`SUM_BLOCK`] households.

use std::cell::RefCell;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{Accounts, HouseholdFlags, IncomeParts, Population, Residence};
use crate::policy::registry::{BuildContext, build};
use crate::policy::{Book, Lever, LeverSet, YearContext, keep, market_accounts};
use crate::region::Profile;

/// The year the peers' rules are for.
pub const PEER_YEAR: u16 = 2024;

/// Households per block of the sums (see the module documentation).
pub const SUM_BLOCK: usize = 4096;

/// The peers' rules as lever parameters (TOML, one table per registry lever), from the
/// peers' parameter files (`docs/peers.md`, monthly amounts in yuan):
///
/// - `resident_pension`: 200 a month from age 60 without a retiree pension (the lever's
///   age 60 and retiree-pension test are the peers').
/// - `old_age_allowance`: 100 a month from 80, plus 50 a month for ages 80–89 with wage
///   income > 0 (the lever's working supplement; its 100+ rate is 0, as the peers').
/// - `dibao`: thresholds 800 urban, 600 rural; take-up 1 and an exact means test (no
///   calibration); the basic pension disregarded (the allowances always are); an
///   employment-cost deduction of 300 a month for employed members, taken from wage
///   income only; edge multiple 1.5.
/// - the low-income edge flag: the dibao lever itself flags households not on dibao
///   whose assessed per-capita income (after rigid expenses, none here) is below
///   `edge_multiple` × the threshold, exactly the peers' edge rule ([`EdgeRule::DibaoFlag`],
///   the default). [`EdgeRule::EdgeLever`] also runs `low_income_edge_assistance` with
///   the same means test and thresholds, paying nothing (cash 0, no rigid-expense
///   share), which sets the same flag again: a fourth pass over the households, for
///   comparison.
pub const PEER_LEVERS: &str = r#"
[resident_pension]
amount_per_month = 200.0
excludes_covered_employees = false

[old_age_allowance]
amount_per_month = 100.0
working_supplement_per_month = 50.0

[dibao]
urban_threshold_per_month = 800.0
rural_threshold_per_month = 600.0
take_up_urban = 1.0
take_up_rural = 1.0
disregard_basic_pension = true
employment_cost_deduction_per_month = 300.0
employment_cost_deduction_base = "wage"
edge_multiple = 1.5

[low_income_edge_assistance]
urban_threshold_per_month = 800.0
rural_threshold_per_month = 600.0
disregard_basic_pension = true
employment_cost_deduction_per_month = 300.0
employment_cost_deduction_base = "wage"
edge_multiple = 1.5
cash_per_person_per_month = 0.0
rigid_expense_share = 0.0
"#;

/// The profile whose values stand behind any parameter [`PEER_LEVERS`] does not set
/// (none of the peers' rules reads one).
pub const PEER_PROFILE: &str = "national-2022";

/// Which lever gives the peers' low-income edge flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EdgeRule {
    /// The dibao lever's own edge flag (`edge_multiple`): three levers in all.
    #[default]
    DibaoFlag,
    /// Also the `low_income_edge_assistance` lever, paying nothing: four levers.
    EdgeLever,
}

/// The peers' aggregate outputs, with the peers' names (`peer_common.aggregates`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PeerAggregates {
    /// Households.
    pub households: u64,
    /// Persons.
    pub persons: u64,
    /// Urban mean per-capita disposable income, person-weighted: Σ household
    /// disposable income / Σ persons, yuan per year.
    pub urban_mean_pc_disposable: f64,
    /// Rural mean per-capita disposable income, yuan per year.
    pub rural_mean_pc_disposable: f64,
    /// Urban / rural.
    pub urban_rural_ratio: f64,
    /// Households paid dibao.
    pub dibao_caseload_households: u64,
    /// Dibao paid, yuan per year.
    pub dibao_spending_total: f64,
    /// Households flagged in the low-income edge group.
    pub low_income_edge_households: u64,
    /// All basic pension paid, yuan per year.
    pub check_basic_pension_total: f64,
    /// All old-age allowance paid, yuan per year.
    pub check_elderly_allowance_total: f64,
}

/// One household's results, for hand checks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeerHousehold {
    /// Basic pension paid to its members, yuan per year.
    pub basic_pension: f64,
    /// Old-age allowance paid to its members, yuan per year.
    pub elderly_allowance: f64,
    /// Dibao, yuan per year.
    pub dibao: f64,
    /// In the low-income edge group.
    pub low_income_edge: bool,
    /// Disposable income, yuan per year.
    pub disposable: f64,
}

/// Sums over one block of households.
#[derive(Debug, Clone, Copy, Default)]
struct BlockSums {
    persons: [u64; 2],
    disposable: [f64; 2],
    dibao_households: u64,
    dibao: f64,
    edge_households: u64,
    basic_pension: f64,
    elderly_allowance: f64,
}

/// A chunk's accounts and lever columns, reused from chunk to chunk on one thread.
#[derive(Debug, Default)]
struct Scratch {
    accounts: Accounts,
    paid: Vec<Vec<f64>>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The peers' rule set: the four levers, in stage order, and the year.
#[derive(Debug, Clone)]
pub struct PeerRules {
    levers: Vec<Arc<dyn Lever>>,
    names: Vec<String>,
    ctx: YearContext,
    pension: usize,
    allowance: usize,
    dibao: usize,
}

impl PeerRules {
    /// Builds the levers of [`PEER_LEVERS`] from the registry, for [`PEER_YEAR`]; `edge`
    /// says whether the edge lever runs too.
    ///
    /// # Errors
    /// An error of the registry (none for the built-in parameters).
    pub fn new(edge: EdgeRule) -> Result<Self> {
        let profile = Profile::builtin(PEER_PROFILE)?;
        let context = BuildContext { base_year: PEER_YEAR, profile: &profile, calibration: None };
        let tables: toml::Table = toml::from_str(PEER_LEVERS)
            .map_err(|e| Error::Parse { origin: "PEER_LEVERS".into(), message: e.to_string() })?;
        let mut set = LeverSet::new();
        // In the peers' order (the set keeps stage order; dibao must precede the edge rule).
        let mut names = vec!["resident_pension", "old_age_allowance", "dibao"];
        if edge == EdgeRule::EdgeLever {
            names.push("low_income_edge_assistance");
        }
        for name in names {
            let table = tables.get(name).and_then(|t| t.as_table()).cloned().unwrap_or_default();
            set.insert(build(name, context, &table)?);
        }
        let levers: Vec<Arc<dyn Lever>> = set.shared().cloned().collect();
        let names: Vec<String> = levers.iter().map(|l| l.name().to_string()).collect();
        let index = |name: &str| {
            names.iter().position(|n| n == name).ok_or_else(|| Error::UnknownLever {
                name: name.to_string(),
                suggestion: " (missing from PEER_LEVERS)".into(),
            })
        };
        Ok(PeerRules {
            pension: index("resident_pension")?,
            allowance: index("old_age_allowance")?,
            dibao: index("dibao")?,
            levers,
            names,
            ctx: YearContext::base(PEER_YEAR, 0),
        })
    }

    /// The levers, in the order they are applied.
    pub fn levers(&self) -> impl Iterator<Item = &dyn Lever> {
        self.levers.iter().map(|l| l.as_ref())
    }

    /// Runs the rules over every chunk (in parallel) and returns the aggregates.
    /// Chunks are changed only in their household flags (dibao and edge group), which
    /// every run sets afresh.
    pub fn run(&self, chunks: &mut [Population]) -> PeerAggregates {
        let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
        let blocks: Vec<usize> = chunks.iter().map(|c| c.household_count().div_ceil(SUM_BLOCK)).collect();
        let mut sums = vec![BlockSums::default(); blocks.iter().sum()];
        let mut outs: Vec<&mut [BlockSums]> = Vec::with_capacity(chunks.len());
        let mut rest = sums.as_mut_slice();
        for &b in &blocks {
            let (head, tail) = rest.split_at_mut(b);
            outs.push(head);
            rest = tail;
        }
        chunks.par_iter_mut().zip(outs.into_par_iter()).for_each(|(pop, out)| {
            SCRATCH.with(|s| {
                let mut s = s.borrow_mut();
                self.apply(&names, pop, &mut s);
                self.sum_blocks(pop, &s, out);
            });
        });
        let mut total = BlockSums::default();
        for b in &sums {
            for r in 0..2 {
                total.persons[r] += b.persons[r];
                total.disposable[r] += b.disposable[r];
            }
            total.dibao_households += b.dibao_households;
            total.dibao += b.dibao;
            total.edge_households += b.edge_households;
            total.basic_pension += b.basic_pension;
            total.elderly_allowance += b.elderly_allowance;
        }
        let households = chunks.iter().map(|c| c.household_count() as u64).sum();
        let urban = total.disposable[0] / total.persons[0] as f64;
        let rural = total.disposable[1] / total.persons[1] as f64;
        PeerAggregates {
            households,
            persons: total.persons[0] + total.persons[1],
            urban_mean_pc_disposable: urban,
            rural_mean_pc_disposable: rural,
            urban_rural_ratio: urban / rural,
            dibao_caseload_households: total.dibao_households,
            dibao_spending_total: total.dibao,
            low_income_edge_households: total.edge_households,
            check_basic_pension_total: total.basic_pension,
            check_elderly_allowance_total: total.elderly_allowance,
        }
    }

    /// Runs the rules over one population and returns each household's results
    /// (for hand checks; allocates).
    pub fn households(&self, pop: &mut Population) -> Vec<PeerHousehold> {
        let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
        let mut s = Scratch::default();
        self.apply(&names, pop, &mut s);
        (0..pop.household_count())
            .map(|h| PeerHousehold {
                basic_pension: s.paid[self.pension][h],
                elderly_allowance: s.paid[self.allowance][h],
                dibao: s.paid[self.dibao][h],
                low_income_edge: pop.households.flags[h].has(HouseholdFlags::LOW_INCOME_EDGE),
                disposable: s.accounts.disposable(h),
            })
            .collect()
    }

    /// Market accounts, then every lever in order, through a book over the scratch.
    fn apply(&self, names: &[&str], pop: &mut Population, s: &mut Scratch) {
        let n = pop.household_count();
        market_accounts(pop, &mut s.accounts);
        s.paid.resize_with(self.levers.len(), Vec::new);
        for (i, lever) in self.levers.iter().enumerate() {
            let (earlier, rest) = s.paid.split_at_mut(i);
            let paid = &mut rest[0];
            paid.resize(n, 0.0);
            paid.fill(0.0);
            let mut book = Book::with_earlier(&mut s.accounts, paid, &names[..i], earlier);
            lever.apply(&self.ctx, pop, &mut book);
        }
    }

    /// The sums of each block of a chunk's households.
    fn sum_blocks(&self, pop: &Population, s: &Scratch, out: &mut [BlockSums]) {
        let hh = &pop.households;
        let a = &s.accounts;
        let n = pop.household_count();
        for (b, sums) in out.iter_mut().enumerate() {
            let r = b * SUM_BLOCK..((b + 1) * SUM_BLOCK).min(n);
            let households = hh.residence[r.clone()].iter().zip(&hh.size[r.clone()]).zip(&hh.flags[r.clone()]);
            let paid = s.paid[self.pension][r.clone()]
                .iter()
                .zip(&s.paid[self.allowance][r.clone()])
                .zip(&s.paid[self.dibao][r.clone()]);
            let accounts = a.wage[r.clone()]
                .iter()
                .zip(&a.operating[r.clone()])
                .zip(&a.property[r.clone()])
                .zip(a.transfers_received[r.clone()].iter().zip(&a.transfers_paid[r]));
            // One accumulator per residence in registers, each household adding its
            // amount to its own and ±0 to the other (which changes no sum that starts at
            // +0): the same sums, bit for bit, as adding to the residence's entry, without
            // a chain through memory from one household to the next.
            let mut x = BlockSums::default();
            let (mut urban, mut rural) = (0.0f64, 0.0f64);
            let (mut urban_persons, mut rural_persons) = (0u64, 0u64);
            for (((&residence, &size), &flags), (((&pension, &allowance), &dibao), parts)) in
                households.zip(paid.zip(accounts))
            {
                let (((&wage, &operating), &property), (&received, &paid)) = parts;
                let disposable =
                    IncomeParts { wage, operating, property, transfers_received: received, transfers_paid: paid }
                        .disposable();
                let is_rural = residence == Residence::Rural;
                urban += keep(disposable, !is_rural);
                rural += keep(disposable, is_rural);
                urban_persons += u64::from(size) * u64::from(!is_rural);
                rural_persons += u64::from(size) * u64::from(is_rural);
                x.dibao_households += (dibao > 0.0) as u64;
                x.dibao += dibao;
                x.edge_households += flags.has(HouseholdFlags::LOW_INCOME_EDGE) as u64;
                x.basic_pension += pension;
                x.elderly_allowance += allowance;
            }
            x.disposable = [urban, rural];
            x.persons = [urban_persons, rural_persons];
            *sums = x;
        }
    }
}
