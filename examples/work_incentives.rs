//! The dibao's poverty trap and the employment-cost deduction that softens it: for each
//! deduction from working members' earnings in the means test (就业成本扣减, yuan per
//! month worked), the caseload and cost of the dibao and the marginal effective tax rate
//! (METR) on a 3% rise in every member's earnings, and the participation tax rate (PTR)
//! when one member of a household without paid work takes a full-year job at the
//! model's entry wage, on the calibrated base-year population (a static, "day after"
//! simulation: the base-year rules with the dibao rebuilt at each deduction, then again
//! on the raised earnings and on the member in work).
//!
//! Run with `cargo run --release --example work_incentives [HOUSEHOLDS] [REGION]`
//! (default 20,000 households of `liupanshui-2021`).

use incomesim::dynamics::Dynamics;
use incomesim::generate::Generator;
use incomesim::indicators::incentives::{EARNINGS_RISE, enter_work, raise_earnings};
use incomesim::indicators::{Group, IncentiveSums, MetrBand, MetrSums, WorkIncentives};
use incomesim::model::Accounts;
use incomesim::policy::registry::{self, BuildContext};
use incomesim::policy::{LeverColumns, YearContext};
use incomesim::region::Profile;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let households = args
        .first()
        .map(|s| s.parse().map_err(|_| format!("HOUSEHOLDS must be a whole number of households, got `{s}`")))
        .transpose()?
        .unwrap_or(20_000);
    let profile = Profile::builtin(args.get(1).map_or("liupanshui-2021", String::as_str))?;
    let generator = Generator::calibrate(&profile, 7)?;
    let population = generator.generate(households)?;
    let ctx = YearContext::base(profile.base_year, 7);
    let mut raised_population = population.clone();
    let earners = raise_earnings(&mut raised_population, EARNINGS_RISE);
    // The job of the member who enters work: the dynamics' mean wage of a new local job.
    let entry_wages = Dynamics::from_profile(&profile).entry_wages(profile.base_year, [1.0; 2]);
    let mut entered_population = population.clone();
    let entrants = enter_work(&mut entered_population, &entry_wages);

    println!("{} (base year {}), {households} households", profile.name, profile.base_year);
    println!(
        "marginal effective tax rate (METR) on a {:.0}% rise in every member's earnings, and participation tax \
         rate (PTR) of a member entering work ({} households have one; entry wage of a junior-secondary \
         worker {:.0} yuan/yr urban, {:.0} rural), by the dibao's employment-cost deduction\n",
        100.0 * EARNINGS_RISE,
        entrants.len(),
        entry_wages.per_year[0][1],
        entry_wages.per_year[1][1],
    );
    println!(
        "{:>10} {:>9} {:>9} {:>9} {:>9} {:>11} {:>12} {:>11} {:>10} {:>12}",
        "yuan/month",
        "dibao hh",
        "persons",
        "cost, mln",
        "METR, all",
        "dibao 0-20%",
        "dibao 20-100%",
        "dibao ≥100%",
        "PTR dibao",
        "dibao gain/yr"
    );
    for deduction in [0, 100, 200, 400, 800] {
        let params: toml::Table = toml::from_str(&format!("employment_cost_deduction_per_month = {deduction}"))?;
        let context = BuildContext {
            base_year: profile.base_year,
            profile: &profile,
            calibration: Some(generator.base_calibration()),
        };
        let mut rules = generator.rules().clone();
        rules.insert(registry::build("dibao", context, &params)?);

        let mut actual = population.clone();
        let mut accounts = Accounts::default();
        let ledger = rules.apply_year(&ctx, &mut actual, &mut accounts, &mut LeverColumns::default());
        // The same rules on a changed copy of the population: its accounts.
        let accounts_of = |changed: &incomesim::model::Population| {
            let (mut pop, mut acc) = (changed.clone(), Accounts::default());
            rules.apply_year(&ctx, &mut pop, &mut acc, &mut LeverColumns::default());
            acc
        };
        let sums = IncentiveSums {
            marginal: MetrSums::of(&actual, &accounts, &accounts_of(&raised_population), &earners, &mut Vec::new()),
            participation: MetrSums::of(
                &actual,
                &accounts,
                &accounts_of(&entered_population),
                &entrants,
                &mut Vec::new(),
            ),
        };
        let all = WorkIncentives::by_group(&sums)[Group::All.index()];
        let record = ledger.get("dibao").ok_or("no dibao record")?;
        // Persons of dibao households that lose part of the rise.
        let between: f64 =
            [MetrBand::UpTo50, MetrBand::UpTo80, MetrBand::UpTo100].iter().map(|b| all.dibao.shares[b.index()]).sum();
        let pct = |x: f64| if x.is_finite() { format!("{:.1}%", 100.0 * x) } else { "n/a".to_string() };
        println!(
            "{:>10} {:>9.0} {:>9.0} {:>9.1} {:>9} {:>11} {:>12} {:>11} {:>10} {:>12.0}",
            deduction,
            record.recipient_households,
            record.recipient_persons,
            record.fiscal_cost / 1e6,
            pct(all.all.aggregate),
            pct(all.dibao.shares[MetrBand::UpTo20.index()]),
            pct(between),
            pct(all.dibao.trapped_share()),
            pct(all.participation_dibao.aggregate),
            all.participation_dibao.mean_disposable_rise,
        );
    }
    println!(
        "\nMETR, all: the share of the rise in earnings that income tax, contributions and withdrawn benefits take, \
         over all households whose earnings rise; dibao: persons of dibao households by their household's METR \
         (0-20%: they keep most of it, as earnings the deduction leaves out or single-person units that do not \
         count the earner; ≥100%: they keep nothing); a larger deduction also takes in households with more \
         earnings; PTR dibao: the share of an entrant's earnings that dibao households with a member able to \
         take a job lose to withdrawn benefits, taxes and contributions, and what such a household gains a year"
    );
    Ok(())
}
