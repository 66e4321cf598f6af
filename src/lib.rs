//! # incomesim: household income microsimulation
//!
//! incomesim builds a synthetic population of urban and rural households calibrated to
//! official statistics, and applies policy rules to it: the tool for an analyst who must
//! know whether a plan's levers can raise rural income 12% a year and bring the
//! urban-rural ratio down to 2.78.
//!
//! ## The model in a page
//!
//! * **Population** ([`model`]): persons and households as columns, a household owning a
//!   contiguous range of persons. Money is yuan per year (`f32` stored, `f64` summed).
//!   A person takes 27 bytes (hukou, education, disability and occupation packed in one
//!   [`model::PersonAttributes`] byte; income tax and contributions are recomputed each
//!   year into the accounts, not stored), a household 45: about 124 bytes per household
//!   for Liupanshui ([`Population::heap_bytes`]).
//! * **Income accounting** ([`model::Accounts`], [`model::IncomeParts`]): disposable
//!   income is the NBS sum of wage, net operating, net property and net transfer income
//!   (transfers received minus income tax and contributions paid).
//! * **Region profiles** ([`region`]): a place's calibration targets and base-year rules,
//!   each value with its status (published, derived, assumed) and source.
//! * **Rules and levers** ([`policy`]): a [`policy::Lever`] reads person and household
//!   fields and the accounts so far and pays through a [`policy::Book`], which records each
//!   yuan in the household's accounts and in the lever's column, so money adds up by
//!   construction. Each yuan also says who pays it: a public budget (a transfer, a
//!   post's pay) or an employer, firm, collective or other household (a market wage,
//!   business income, a rent, a remittance: [`policy::Book::pay_private`]), so a lever's
//!   fiscal cost is what the budget pays, plus costs no household receives (an interest
//!   subsidy, a contribution paid into a pension account). Market pay a lever brings (a
//!   wage or business income the plans and sources give for one year) is base-year yuan
//!   that grows with pay rates ([`policy::YearContext::wage_index`], [`policy::indexation`]);
//!   the plans' own amounts (grants, allowances, loans) stay nominal. A [`policy::LeverSet`] applies levers in stage order: market incomes,
//!   employment, taxes and contributions, pensions and allowances, means-tested benefits.
//! * **Generation** ([`generate`]): [`generate::Generator::calibrate`] fits income levels,
//!   part factors, household size, dibao take-up (its rate against the published caseload,
//!   its priority of need and the support of workless households against the published
//!   spending per recipient), the share of households without a supporter against the
//!   count of persons on extreme-poverty support, and a raking weight model on a fixed
//!   sample; the generator then draws any number of households in any chunks. The
//!   dibao covers old members not in work as units of their own below a line fitted to
//!   the published persons per recipient household (the MCA counts households of the
//!   register, about 1.7 persons each). Activities
//!   follow the profile's shares, students by age and the working old in the activities
//!   the dynamics carry past 60, so the first projected year does not jump.
//! * **Microdata** ([`microdata`]): real survey data in from CSV, simulated households out.
//! * **Projection** ([`engine`]): a [`engine::Scenario`] (region, households, seed, years,
//!   baseline assumptions, reform levers, targets) is carried year by year under the
//!   baseline (base-year rules carried forward, with the national decisions already
//!   published: retirees' pension adjustments, rises of the residents' basic pension's
//!   central minimum, the childcare subsidy from 2025 — [`policy::base`]) and the
//!   reform, in streamed blocks, into
//!   an [`engine::Outcome`]: indicators by group and year (income and its parts and their
//!   shares, distribution, poverty, the dibao caseload, the labour market from age 16:
//!   [`indicators`]; who gains and who loses: each reform household against the same
//!   baseline household, or against the same household under another reform of the same
//!   baseline, [`indicators::gains`]; and, when asked, work incentives: the marginal
//!   effective tax rate on a rise in earnings and the participation tax rate of a member
//!   taking a job, from the levers run again on raised earnings and on the member in
//!   work, by residence, for dibao households and by quintile group,
//!   [`indicators::incentives`]), each lever's ledger and Shapley contribution, the targets met or
//!   missed (a level, a change, a growth, or a level every year), the assumptions behind
//!   the figures, and warnings about what the scenario sets that does not act as written
//!   ([`engine::warnings`]). Each year the population moves on by the [`dynamics`]:
//!   ageing, births, deaths, retirement (at the statutory ages, rising by birth cohort
//!   from 2025 as decided in 2024, with an employer pension for covered employees: a
//!   job paid below the informal-wage line, a share of the base year's mean wage of
//!   urban employees, pays no contributions and gives none), an employment chain that keeps the profile's
//!   activity shares (a new short-term migrant job pays the place's wage level times
//!   the published premium of outgoing over local migrant pay), schooling, wage and
//!   income growth, migration, urbanisation (of
//!   rural households working off the farm, whose local wage earners are then paid at
//!   the urban level, the assumption `urbanised_wage_catch_up`); in a year a scenario
//!   re-weights (`[[population_reweighting]]`: a census, a population bulletin),
//!   household weights are raked to its residents and age shares
//!   ([`dynamics::reweight`]); the baseline's per-capita wage, operating and property income of each residence is then
//!   aligned to the assumed growth (per person, or per earner with the assumption
//!   `alignment_per_earner`), by factors every variant applies too, so that a reform's own
//!   effects stay; and the baseline's dibao take-up is set so that each residence's
//!   caseload share stays at the base year's (the `dibao_caseload_alignment` assumption,
//!   [`engine::caseload`]; when it must fall, the recipients entitled to least leave
//!   first), and the extreme-poverty support's likewise, rates every variant takes too;
//!   its thresholds rise at least with incomes, or along a published or planned path
//!   (`dibao_threshold_multiple_*`). The default assumptions follow the published national series to their
//!   last year (incomes, prices, births and urbanisation to 2025).
//!   [`engine::sweep`] runs a scenario over a grid of lever values or assumptions (points
//!   that differ in levers only share one pass over the population), and
//!   [`engine::solve`] finds by bisection the value at which a target starts to be met,
//!   both on the same population and seed. Replications (seeds `seed`, `seed + 1`, …,
//!   or all on `seed` with `replication_seeds = "same"`)
//!   give each target the share of them that meet it and each indicator a 5–95% range;
//!   after the first, each draws the uncertain baseline assumptions (`[uncertainty]`)
//!   and the levers' own uncertain parameters ([`engine::uncertain_levers`]: what a
//!   training place or a start-up does for a household, numbers the plans rely on and
//!   nobody has published) anew, independently or correlated as the scenario says
//!   ([`engine::correlation`]: the urban and the rural wage growth move together);
//!   [`engine::sensitivity`] moves each of them alone to rank them by their effect.
//!
//! ## Determinism
//!
//! Every random draw comes from a stream keyed by `(seed, household id, year, purpose)`
//! ([`random::StreamRng`]), and sums that are reported run in household order. The same
//! profile, size and seed give bit-identical populations with any number of threads and
//! any chunk size. A few hot column loops (the market accounts, member counts, the dibao's
//! plain path) are compiled for AVX-512 and AVX2 as well as the x86-64 baseline and chosen
//! when first called (`multiversion`); no floating-point operation is reordered or fused in
//! any of them, so every processor gets the same bits.
//!
//! ```no_run
//! use incomesim::{Population, Profile};
//! let profile = Profile::builtin("liupanshui-2021")?;
//! let population = Population::synthesize(&profile, 100_000, 7)?;
//! println!("{} persons", population.person_count());
//! # Ok::<(), incomesim::Error>(())
//! ```
#![deny(missing_docs)]

/// Compiles a function for AVX-512 and AVX2 as well as the x86-64 baseline, the version
/// chosen when it is first called (`multiversion`): for hot column loops. One list of
/// targets for every such loop. No floating-point operation is reordered or fused in
/// any version, so each gives the same bits.
///
/// With the crate feature `static-kernels` the version is chosen when compiling instead,
/// from the target features the build enables: the baseline by default, AVX2 with
/// `RUSTFLAGS="-C target-feature=+avx2,+fma"`. `scripts/check_kernels.sh` builds both
/// and checks that they give the same outputs as the version this processor runs.
macro_rules! simd_kernel {
    ($item:item) => {
        #[cfg_attr(
            not(feature = "static-kernels"),
            multiversion::multiversion(targets(
                "x86_64+avx512f+avx512bw+avx512cd+avx512dq+avx512vl",
                "x86_64+avx2+fma"
            ))
        )]
        #[cfg_attr(
            feature = "static-kernels",
            multiversion::multiversion(
                targets("x86_64+avx512f+avx512bw+avx512cd+avx512dq+avx512vl", "x86_64+avx2+fma"),
                dispatcher = "static"
            )
        )]
        $item
    };
}
pub(crate) use simd_kernel;

pub mod dynamics;
pub mod engine;
pub mod error;
pub mod generate;
pub mod indicators;
pub mod microdata;
pub mod model;
pub mod policy;
pub mod random;
pub mod region;
pub mod report;
pub mod scenario;

pub use error::{Error, Result};
pub use model::Population;
pub use region::Profile;
