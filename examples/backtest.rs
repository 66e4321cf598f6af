//! The historical backtest: the national population of 2015 projected to 2025 with the
//! published inputs of those years, against the published 2016–2025 incomes.
//!
//! Run with `cargo run --release --example backtest [households]` (default 20,000).
//! Prints a markdown table: published and simulated mean per-capita disposable income
//! (urban, rural) and the urban-rural ratio, with the errors; then, for the last year
//! whose urban and rural parts are published, each part beside its published value:
//! where the gap is. Then the distribution: each quintile group's mean in the first and
//! last years with published quintiles, each group's error in every such year, each
//! group's growth beside the published growth (year on year, and from the first projected
//! year to the last), and the
//! dibao caseload and spending in the years
//! the Ministry of Civil Affairs published them, beside the model's. Last, the population:
//! the urban share of residents each year and the mean household size of the census year.

use incomesim::dynamics::published::demography;
use incomesim::engine::{Outcome, Projection, Scenario};
use incomesim::indicators::Group;

/// Published mean per-capita disposable income by year: (urban, rural), from the copy of
/// the NBS series in `data/published/national_income.csv`.
fn published() -> Vec<(u16, f64, f64)> {
    let rows = group_rows::<1>(include_str!("../data/published/national_income.csv"), 2);
    let mut years: Vec<(u16, f64, f64)> = Vec::new();
    for (year, group, [value]) in rows {
        let i = match years.iter().position(|r| r.0 == year) {
            Some(i) => i,
            None => {
                years.push((year, 0.0, 0.0));
                years.len() - 1
            }
        };
        if group == "urban" { years[i].1 = value } else { years[i].2 = value }
    }
    years
}

/// The income parts in `national_income.csv`'s column order.
const PARTS: [&str; 4] = ["wage", "operating", "property", "transfer"];

/// Rows of one of the NBS tables in `data/published/` (`year,group,…`) for the urban and
/// rural groups where the `N` numbers from column `first` on are all given:
/// `(year, group, numbers)`.
fn group_rows<const N: usize>(text: &str, first: usize) -> Vec<(u16, String, [f64; N])> {
    let mut rows = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let Ok(year) = f[0].parse::<u16>() else { continue };
        if f.len() < first + N || !matches!(f[1], "urban" | "rural") {
            continue;
        }
        let values: Vec<f64> = f[first..first + N].iter().filter_map(|x| x.parse().ok()).collect();
        if let Ok(values) = <[f64; N]>::try_from(values) {
            rows.push((year, f[1].to_string(), values));
        }
    }
    rows
}

/// Published per-capita parts by year and group (`urban`, `rural`) where all four are
/// given: `(year, group, [wage, operating, property, net transfer])`.
fn published_parts() -> Vec<(u16, String, [f64; 4])> {
    group_rows(include_str!("../data/published/national_income.csv"), 4)
}

/// The published quintile group means of `group` (`urban`, `rural`) in `year`, if given.
fn fifths(quintiles: &[(u16, String, [f64; 5])], year: u16, group: &str) -> Option<[f64; 5]> {
    quintiles.iter().find(|r| r.0 == year && r.1 == group).map(|r| r.2)
}

/// Published quintile group means by year and group (`urban`, `rural`), from the copy of
/// the NBS series in `data/published/national_quintiles.csv`.
fn published_quintiles() -> Vec<(u16, String, [f64; 5])> {
    group_rows(include_str!("../data/published/national_quintiles.csv"), 2)
}

/// One row of the published dibao statistics: the year of its December, recipients
/// (persons) and spending (yuan) of the urban and the rural dibao, where given.
struct PublishedDibao {
    year: u16,
    recipients: [Option<f64>; 2],
    households: [Option<f64>; 2],
    spending: [Option<f64>; 2],
}

/// The year-end rows of `data/published/dibao_national.csv` (MCA bulletins): recipients
/// in ten thousands, spending in hundred millions of yuan. A January row stands for the
/// end of the year before (the MCA's figures for January 2023 are the last in our copy).
fn published_dibao() -> Vec<PublishedDibao> {
    let text = include_str!("../data/published/dibao_national.csv");
    let mut rows = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let year = match f[0].split_once('-') {
            Some((year, "12")) => year.parse::<u16>().ok(),
            Some((year, "01")) => year.parse::<u16>().ok().map(|y| y - 1),
            _ => None,
        };
        let Some(year) = year else { continue };
        let number = |i: usize, factor: f64| f.get(i).and_then(|x| x.parse::<f64>().ok()).map(|x| x * factor);
        rows.push(PublishedDibao {
            year,
            recipients: [number(1, 1e4), number(4, 1e4)],
            households: [number(2, 1e4), number(5, 1e4)],
            spending: [number(7, 1e8), number(8, 1e8)],
        });
    }
    rows
}

/// `simulated / published − 1` in whole percent, or a dash when nothing is published.
fn error(simulated: f64, published: Option<f64>) -> String {
    error_to(simulated, published, 0)
}

/// `simulated / published − 1` in percent with `decimals` decimals, or a dash when
/// nothing is published.
fn error_to(simulated: f64, published: Option<f64>, decimals: usize) -> String {
    match published {
        Some(p) if p != 0.0 => format!("{:+.*}%", decimals, 100.0 * (simulated / p - 1.0)),
        _ => "–".into(),
    }
}

/// A number of millions with one decimal, or a dash.
fn millions(x: Option<f64>) -> String {
    x.map_or_else(|| "–".into(), |x| format!("{:.1}", x / 1e6))
}

/// Persons per household with two decimals, or a dash.
fn per_household(persons: Option<f64>, households: Option<f64>) -> String {
    match persons.zip(households) {
        Some((p, h)) if h > 0.0 => format!("{:.2}", p / h),
        _ => "–".into(),
    }
}

/// A number of billions with one decimal, or a dash.
fn billions(x: Option<f64>) -> String {
    x.map_or_else(|| "–".into(), |x| format!("{:.1}", x / 1e9))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let households = std::env::args()
        .nth(1)
        .map(|s| s.parse().map_err(|_| format!("HOUSEHOLDS must be a whole number of households, got `{s}`")))
        .transpose()?
        .unwrap_or(20_000);
    let mut s = Scenario::from_toml_str(include_str!("../scenarios/backtest-national-2015.toml"), "backtest")?;
    s.households = households;
    let outcome = Projection::new(&s).run()?;
    println!("Backtest national-2015 → 2025, {households} households, seed {}\n", s.seed);
    println!(
        "| year | urban published | urban simulated | error | rural published | rural simulated | error | ratio published | ratio simulated |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (year, u, r) in published() {
        let Some(ind) = outcome.reform.year(year) else { continue };
        let (su, sr) = (ind.group(Group::Urban).mean.disposable, ind.group(Group::Rural).mean.disposable);
        println!(
            "| {year} | {u:.0} | {su:.0} | {:+.1}% | {r:.0} | {sr:.0} | {:+.1}% | {:.2} | {:.2} |",
            100.0 * (su / u - 1.0),
            100.0 * (sr / r - 1.0),
            u / r,
            su / sr
        );
    }
    // The parts of the last year that publishes them for both groups.
    let parts = published_parts();
    if let Some(last) = parts.iter().map(|r| r.0).filter(|y| outcome.reform.year(*y).is_some()).max() {
        println!("\nParts of per-capita income in {last}, the last year with published urban and rural parts:\n");
        println!("| group | part | published | simulated | error |");
        println!("|---|---|---:|---:|---:|");
        for (_, group, values) in parts.iter().filter(|r| r.0 == last) {
            let Some(ind) = outcome.reform.year(last) else { continue };
            let g = if group == "urban" { Group::Urban } else { Group::Rural };
            let m = &ind.group(g).mean;
            let simulated = [m.wage, m.operating, m.property, m.net_transfer];
            for ((part, p), s) in PARTS.iter().zip(values).zip(simulated) {
                let name = if *part == "transfer" { "net transfer" } else { part };
                println!("| {group} | {name} | {p:.0} | {s:.0} | {:+.1}% |", 100.0 * (s / p - 1.0));
            }
        }
    }
    print_quintiles(&outcome);
    print_dibao(&outcome);
    let reweighted: Vec<u16> = s.dynamics.reweighting.iter().map(|r| r.year).collect();
    print_population(&outcome, &reweighted);
    Ok(())
}

/// Published mean size of family households by census year (`data/published/local.csv`,
/// rows `China,household_size`).
fn published_household_size() -> Vec<(u16, f64)> {
    include_str!("../data/published/local.csv")
        .lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            if f.first() != Some(&"China") || f.get(1) != Some(&"household_size") {
                return None;
            }
            Some((f.get(3)?.parse().ok()?, f.get(2)?.parse().ok()?))
        })
        .collect()
}

/// The urban share of residents each year and the mean household size of the census
/// years in the projection, published and simulated; `reweighted`: the years the
/// scenario re-weights to the published figures.
fn print_population(outcome: &Outcome, reweighted: &[u16]) {
    let sizes = published_household_size();
    let (old, older) = (demography("age_60_plus_pct"), demography("age_65_plus_pct"));
    println!(
        "\nPopulation: urban share of residents and shares aged 60 and over and 65 and over (NBS communiqués; 2020 \
         the census) and mean household size (census: family households):\n"
    );
    println!(
        "| year | urban share published | simulated | 60+ published | simulated | 65+ published | simulated | \
         household size published | simulated |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (year, share) in demography("urbanization_pct") {
        let Some(ind) = outcome.reform.year(year) else { continue };
        let all = ind.group(Group::All);
        let simulated = 100.0 * ind.group(Group::Urban).persons / all.persons;
        let published = |series: &[(u16, f64)]| series.iter().find(|s| s.0 == year).map(|s| s.1);
        let cell = |p: Option<f64>, s: f64| match p {
            Some(p) => format!("{p:.1}% | {:.1}%", 100.0 * s),
            None => format!("– | {:.1}%", 100.0 * s),
        };
        let size = match sizes.iter().find(|s| s.0 == year) {
            Some(&(_, published)) => format!("{published:.2} | {:.2}", all.persons / all.households),
            None => "– | –".to_string(),
        };
        println!(
            "| {year} | {share:.2}% | {simulated:.2}% | {} | {} | {size} |",
            cell(published(&old), all.old_age.share_60_plus),
            cell(published(&older), all.old_age.share_65_plus)
        );
    }
    // The years the scenario re-weights meet the published figures by construction.
    if !reweighted.is_empty() {
        let years: Vec<String> = reweighted.iter().map(u16::to_string).collect();
        println!(
            "\nRe-weighted to the published residents and age shares (the scenario's [[population_reweighting]]): \
             {}; the other years are projected.",
            years.join(", ")
        );
    }
}

/// The quintile group means of the first and the last year with published quintiles.
fn print_quintiles(outcome: &Outcome) {
    let quintiles = published_quintiles();
    let mut years: Vec<u16> = quintiles.iter().map(|r| r.0).filter(|y| outcome.reform.year(*y).is_some()).collect();
    years.sort_unstable();
    years.dedup();
    let (Some(&first), Some(&last)) = (years.first(), years.last()) else { return };
    println!("\nQuintile group means (per-capita disposable income of each fifth of persons), {first} and {last}:\n");
    println!(
        "| group | quintile | {first} published | {first} simulated | {last} published | {last} simulated | error {last} |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|");
    for group in ["urban", "rural"] {
        let g = if group == "urban" { Group::Urban } else { Group::Rural };
        let find = |y: u16| fifths(&quintiles, y, group);
        let (Some(p0), Some(p1)) = (find(first), find(last)) else { continue };
        let (Some(s0), Some(s1)) = (outcome.reform.year(first), outcome.reform.year(last)) else { continue };
        let (s0, s1) = (s0.group(g).quintile_means, s1.group(g).quintile_means);
        for k in 0..5 {
            println!(
                "| {group} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {} |",
                k + 1,
                p0[k],
                s0[k],
                p1[k],
                s1[k],
                error(s1[k], Some(p1[k]))
            );
        }
    }
    print_quintile_errors(outcome, &quintiles, &years);
    print_quintile_growth(outcome, &quintiles, &years);
}

/// Each fifth's growth, published and simulated: year on year in every year with
/// published quintiles (`years`, ascending) and the year before, then from the second such
/// year (the first projected one here) to the last, the first year's step left out. An
/// error of the table above
/// builds up in the years where the two differ.
fn print_quintile_growth(outcome: &Outcome, quintiles: &[(u16, String, [f64; 5])], years: &[u16]) {
    // Growth in percent, published then simulated, of each fifth from `from` to `to`.
    let growth = |from: u16, to: u16, group: &str, g: Group| -> Option<[(f64, f64); 5]> {
        let find = |y: u16| fifths(quintiles, y, group);
        let (p0, p1) = (find(from)?, find(to)?);
        let (s0, s1) =
            (outcome.reform.year(from)?.group(g).quintile_means, outcome.reform.year(to)?.group(g).quintile_means);
        Some(std::array::from_fn(|k| (100.0 * (p1[k] / p0[k] - 1.0), 100.0 * (s1[k] / s0[k] - 1.0))))
    };
    let row = |label: String, from: u16, to: u16| {
        let mut cells = Vec::with_capacity(10);
        for (group, g) in [("urban", Group::Urban), ("rural", Group::Rural)] {
            match growth(from, to, group, g) {
                Some(fifths) => cells.extend(fifths.iter().map(|(p, s)| format!("{p:+.1} / {s:+.1}"))),
                None => cells.extend(std::iter::repeat_n("–".to_string(), 5)),
            }
        }
        println!("| {label} | {} |", cells.join(" | "));
    };
    println!("\nGrowth of each fifth's mean, % (published / simulated):\n");
    println!(
        "| years | urban 1 | urban 2 | urban 3 | urban 4 | urban 5 | rural 1 | rural 2 | rural 3 | rural 4 | rural 5 |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for pair in years.windows(2) {
        if pair[1] == pair[0] + 1 {
            row(format!("{}–{}", pair[0], pair[1]), pair[0], pair[1]);
        }
    }
    if let (Some(&first), Some(&last)) = (years.get(1), years.last())
        && last > first
    {
        row(format!("{first}–{last}"), first, last);
    }
}

/// Each quintile group's error against its published mean in every year with published
/// quintiles (`years`, ascending): where the distribution starts to drift, and which
/// fifths it moves.
fn print_quintile_errors(outcome: &Outcome, quintiles: &[(u16, String, [f64; 5])], years: &[u16]) {
    println!("\nError of each fifth's mean against the published one, by year:\n");
    println!(
        "| year | urban 1 | urban 2 | urban 3 | urban 4 | urban 5 | rural 1 | rural 2 | rural 3 | rural 4 | rural 5 |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &year in years {
        let Some(simulated) = outcome.reform.year(year) else { continue };
        let mut cells = Vec::with_capacity(10);
        for (group, g) in [("urban", Group::Urban), ("rural", Group::Rural)] {
            let published = fifths(quintiles, year, group);
            let means = simulated.group(g).quintile_means;
            cells.extend((0..5).map(|k| error_to(means[k], published.map(|p| p[k]), 1)));
        }
        println!("| {year} | {} |", cells.join(" | "));
    }
}

/// Dibao recipients and spending in the years the MCA published them. The model's
/// groups are by residence; the MCA's urban and rural dibao by the recipient's hukou
/// place, so households that moved keep counting where they live here. The baseline's
/// caseload share is aligned to the published one at the published thresholds (the
/// scenario's `dibao_caseload_share_multiple_*` and `dibao_threshold_multiple_*`), so
/// its recipients are an input and its spending the test; the history (the reform: the
/// published pension paths) takes the baseline's take-up, and its recipients differ from
/// the baseline's by what the pensions did to incomes.
fn print_dibao(outcome: &Outcome) {
    println!(
        "\nDibao recipients (millions of persons, at the end of the year; 2022: January 2023), persons per recipient household \
         and spending (billions of yuan in the year); the baseline's caseload share is aligned to the published one at the published \
         thresholds, the history (the published pensions) takes its take-up:\n"
    );
    println!(
        "| year | group | recipients published | baseline (aligned) | history | error | persons per household published | history | spending published | history | error |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in published_dibao() {
        let (Some(ind), Some(base)) = (outcome.reform.year(row.year), outcome.baseline.year(row.year)) else {
            continue;
        };
        for (a, (group, g)) in [("urban", Group::Urban), ("rural", Group::Rural)].into_iter().enumerate() {
            let s = ind.group(g);
            println!(
                "| {} | {group} | {} | {:.1} | {:.1} | {} | {} | {} | {} | {:.1} | {} |",
                row.year,
                millions(row.recipients[a]),
                base.group(g).dibao_persons / 1e6,
                s.dibao_persons / 1e6,
                error(s.dibao_persons, row.recipients[a]),
                per_household(row.recipients[a], row.households[a]),
                per_household(Some(s.dibao_persons), Some(s.dibao_households)),
                billions(row.spending[a]),
                s.dibao_spending / 1e9,
                error(s.dibao_spending, row.spending[a])
            );
        }
    }
}
