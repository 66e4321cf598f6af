//! A sweep over the rural dibao threshold: what each threshold costs against the
//! poverty it leaves, on the calibrated base-year population (a static, "day after"
//! simulation: the base-year rules with the dibao lever rebuilt at each threshold).
//!
//! Run with `cargo run --release --example dibao_sweep [HOUSEHOLDS] [REGION]` (default
//! 20,000 households of `liupanshui-2021`, whose 2021 rural threshold is 407.6
//! yuan/month); the rural threshold goes from 400 to 1,000 yuan/month in steps of 50.

use incomesim::generate::Generator;
use incomesim::indicators::{
    AllWeighting, BaselineIncomes, DibaoLines, Group, IndicatorOptions, PovertyLines, YearIndicators, fill_outcomes,
    gain_sums,
};
use incomesim::model::{Accounts, Residence};
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
    let options = IndicatorOptions {
        lines: PovertyLines::new(vec![6_000.0, 10_000.0])?,
        all_weighting: AllWeighting::from_profile(&profile),
    };

    println!("{} (base year {}), {households} households", profile.name, profile.base_year);
    println!("rural dibao threshold swept; urban thresholds stay at the profile's\n");
    println!(
        "{:>10} {:>11} {:>11} {:>10} {:>11} {:>10} {:>11} {:>10} {:>10} {:>10}",
        "yuan/month",
        "households",
        "persons",
        "cost, mln",
        "poor <6000",
        "gap <6000",
        "poor <10k",
        "gap <10k",
        "rural Gini",
        "poorer"
    );
    // Each household's income at the previous threshold, to count those a higher
    // threshold leaves poorer.
    let mut previous: Option<BaselineIncomes> = None;
    for threshold in (400..=1000).step_by(50) {
        let params: toml::Table = toml::from_str(&format!("rural_threshold_per_month = {threshold}"))?;
        let context = BuildContext {
            base_year: profile.base_year,
            profile: &profile,
            calibration: Some(generator.base_calibration()),
        };
        let mut rules = generator.rules().clone();
        rules.insert(registry::build("dibao", context, &params)?);
        let dibao = rules.levers().position(|l| l.name() == "dibao").ok_or("no dibao lever")?;

        let mut pop = population.clone();
        let (mut accounts, mut columns) = (Accounts::default(), LeverColumns::default());
        let ledger = rules.apply_year(&ctx, &mut pop, &mut accounts, &mut columns);
        let line = |r: Residence| -> Vec<f64> {
            let tiers = profile.dibao_thresholds_per_month(r).len();
            (0..tiers as u8).map(|t| rules.get("dibao").and_then(|d| d.dibao_line(&ctx, r, t)).unwrap_or(0.0)).collect()
        };
        let lines = DibaoLines::new(line(Residence::Urban), line(Residence::Rural));
        let mut outcomes = Vec::new();
        fill_outcomes(&mut outcomes, &pop, &accounts, Some(&columns.paid[dibao]), &lines)?;
        let year = YearIndicators::compute_with(profile.base_year, &outcomes, None, &options);
        let all = year.group(Group::All);
        let record = ledger.get("dibao").ok_or("no dibao record")?;
        // Poverty per line, the dibao line first, then 6,000 and 10,000 yuan a year.
        let (p6, p10) = match &all.poverty[..] {
            [_, p6, p10] => (p6, p10),
            _ => return Err("expected the dibao, 6,000 and 10,000 lines".into()),
        };
        // Persons whose household's per-capita income is lower than at the previous step.
        let poorer = previous.as_ref().map_or(0.0, |before| gain_sums(&outcomes, before, None).all().losing_persons());
        previous = Some(BaselineIncomes::of(&outcomes));
        println!(
            "{:>10} {:>11.0} {:>11.0} {:>10.1} {:>10.2}% {:>10.4} {:>10.2}% {:>10.4} {:>10.4} {:>10.0}",
            threshold,
            record.recipient_households,
            record.recipient_persons,
            record.fiscal_cost / 1e6,
            100.0 * p6.headcount,
            p6.gap,
            100.0 * p10.headcount,
            p10.gap,
            year.group(Group::Rural).gini,
            poorer
        );
    }
    println!("\npoor <6000, <10k: share of persons below 6,000 and 10,000 yuan a year after every transfer;");
    println!("gap: FGT(1), the mean shortfall as a share of the line; cost: million yuan a year");
    println!(
        "poorer: persons whose household's per-capita income is at least a yuan lower than at the threshold \
         before (the take-up of single-person units against the whole household's; README, Limits)"
    );
    Ok(())
}
