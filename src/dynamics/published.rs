//! Series read from the published tables embedded in the crate (`data/published`),
//! so that the dynamics' defaults cite their file and row and cannot drift from them.

const NATIONAL_INCOME: &str = include_str!("../../data/published/national_income.csv");
const DEMOGRAPHY: &str = include_str!("../../data/published/demography.csv");
const MIGRANT_WORKERS: &str = include_str!("../../data/published/migrant_workers.csv");
const PRICES: &str = include_str!("../../data/published/prices.csv");

/// `(year, value)` pairs of one column of a CSV table, for rows whose `filter`
/// column (if any) has the given value; empty cells and malformed rows are skipped.
fn column(table: &str, name: &str, filter: Option<(&str, &str)>) -> Vec<(u16, f64)> {
    let mut lines = table.lines();
    let Some(header) = lines.next() else { return Vec::new() };
    let names: Vec<&str> = header.split(',').collect();
    let Some(col) = names.iter().position(|n| *n == name) else { return Vec::new() };
    let Some(year_col) = names.iter().position(|n| *n == "year") else { return Vec::new() };
    let filter_col = filter.and_then(|(f, v)| names.iter().position(|n| *n == f).map(|c| (c, v)));
    lines
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            if let Some((c, v)) = filter_col
                && cells.get(c) != Some(&v)
            {
                return None;
            }
            let year = cells.get(year_col)?.trim().parse().ok()?;
            let value = cells.get(col)?.trim().parse().ok()?;
            Some((year, value))
        })
        .collect()
}

/// Year-on-year growth rates (`value_t / value_{t−1} − 1`) of consecutive years.
pub fn growth(levels: &[(u16, f64)]) -> Vec<(u16, f64)> {
    levels
        .windows(2)
        .filter(|w| w[1].0 == w[0].0 + 1 && w[0].1 > 0.0)
        .map(|w| (w[1].0, w[1].1 / w[0].1 - 1.0))
        .collect()
}

/// Per-capita income part of a group (`national`, `urban`, `rural`) by year:
/// `national_income.csv`, column `part`.
pub fn income(group: &str, part: &str) -> Vec<(u16, f64)> {
    column(NATIONAL_INCOME, part, Some(("group", group)))
}

/// Year-on-year growth of a group's per-capita income part, with the years it was
/// derived rather than read.
///
/// Where the group's part is published in consecutive years its growth is read from
/// them. NBS publishes the parts of urban and rural income in its yearbook months after
/// the January release, which gives the national parts and the urban and rural totals;
/// for a year with the national part and the three totals (national, this group) in it
/// and the year before, but not the group's part, the growth is derived as the national
/// growth of the part times the group's growth of disposable income over the nation's:
/// `(1 + g_part,national) × (1 + g_disposable,group) / (1 + g_disposable,national) − 1`.
/// On the years where both are published (2016–2023) the derived growth of wages is
/// within 0.7 point of the published one for urban residents and within 3.2 points for
/// rural ones (2021, the rebound after 2020; 0.9 point on average, and the derived
/// rate is lower in five years of eight): `tests` below.
pub fn part_growth(group: &str, part: &str) -> PartGrowth {
    let own = growth(&income(group, part));
    let national = growth(&income("national", part));
    let total = growth(&income(group, "disposable"));
    let national_total = growth(&income("national", "disposable"));
    let find = |g: &[(u16, f64)], y: u16| g.iter().find(|v| v.0 == y).map(|v| v.1);
    let mut rates = own.clone();
    let mut derived = Vec::new();
    for &(year, n) in &national {
        if find(&own, year).is_some() {
            continue;
        }
        if let (Some(t), Some(nt)) = (find(&total, year), find(&national_total, year)) {
            rates.push((year, derived_growth(n, t, nt)));
            derived.push(year);
        }
    }
    rates.sort_by_key(|v| v.0);
    PartGrowth { rates, derived }
}

/// A group's growth of an income part from the national growth of the part, the
/// group's growth of disposable income and the nation's ([`part_growth`]).
fn derived_growth(national_part: f64, group_total: f64, national_total: f64) -> f64 {
    (1.0 + national_part) * (1.0 + group_total) / (1.0 + national_total) - 1.0
}

/// The growth of an income part by year ([`part_growth`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PartGrowth {
    /// `(year, growth)` in year order.
    pub rates: Vec<(u16, f64)>,
    /// The years whose growth was derived from national figures.
    pub derived: Vec<u16>,
}

/// A column of `demography.csv` by year.
pub fn demography(name: &str) -> Vec<(u16, f64)> {
    column(DEMOGRAPHY, name, None)
}

/// Consumer price inflation by year, as a rate (`prices.csv`, `cpi_change_pct` / 100).
pub fn consumer_price_inflation() -> Vec<(u16, f64)> {
    column(PRICES, "cpi_change_pct", None).into_iter().map(|(y, v)| (y, v / 100.0)).collect()
}

/// A column of `migrant_workers.csv` by year.
pub fn migrant_workers(name: &str) -> Vec<(u16, f64)> {
    column(MIGRANT_WORKERS, name, None)
}

/// Outgoing over local migrant workers' monthly income (`migrant_workers.csv`) in the
/// last year at or before `base_year` that publishes both, else the first that does,
/// with that year: the pay of a short-term migrant job over a local one
/// ([`super::Dynamics::migrant_premium`]). `(base_year, 1.0)` if no year has both.
pub fn migrant_premium(base_year: u16) -> (u16, f64) {
    let local = migrant_workers("local_monthly_income_yuan");
    let pairs: Vec<(u16, f64)> = migrant_workers("outgoing_monthly_income_yuan")
        .into_iter()
        .filter_map(|(y, o)| local.iter().find(|l| l.0 == y && l.1 > 0.0).map(|l| (y, o / l.1)))
        .collect();
    pairs.iter().rev().find(|p| p.0 <= base_year).or(pairs.first()).copied().unwrap_or((base_year, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_published_rows() {
        assert!(income("urban", "wage").contains(&(2022, 29578.0)));
        assert!(income("rural", "operating").contains(&(2015, 4504.0)));
        assert!(demography("urbanization_pct").contains(&(2021, 64.72)));
        // 2020 has no birth rate in the table: skipped, not zero.
        assert!(!demography("birth_rate_per_mille").iter().any(|(y, _)| *y == 2020));
        assert!(migrant_workers("outgoing_monthly_income_yuan").contains(&(2022, 5240.0)));
        let cpi = consumer_price_inflation();
        assert_eq!(cpi.first().map(|v| v.0), Some(2015));
        assert!(cpi.iter().any(|&(y, v)| y == 2024 && (v - 0.002).abs() < 1e-15));
        let g = growth(&income("urban", "wage"));
        // 2016-2023: the 2024 and 2025 rows have no parts (empty cells, skipped).
        assert_eq!(g.len(), 8);
        assert!(income("urban", "wage").iter().all(|v| v.0 <= 2023));
        assert!(income("urban", "disposable").contains(&(2025, 56502.0)));
        assert!((g[0].1 - (20665.0 / 19337.0 - 1.0)).abs() < 1e-12);
    }

    /// The derivation of a group's part growth from national figures, tried on every
    /// year where the group's part is published: the error bound the wage-growth
    /// assumption states.
    #[test]
    fn derived_part_growth_is_close_to_the_published_one() {
        let find = |g: &[(u16, f64)], y: u16| g.iter().find(|v| v.0 == y).map(|v| v.1);
        let national_total = growth(&income("national", "disposable"));
        // The bounds the wage, operating and property assumptions state.
        for (part, group, bound, mean_bound) in [
            ("wage", "urban", 0.007, 0.004),
            ("wage", "rural", 0.032, 0.010),
            ("property", "urban", 0.005, 0.003),
            ("property", "rural", 0.024, 0.010),
            ("operating", "urban", 0.042, 0.021),
            ("operating", "rural", 0.044, 0.015),
        ] {
            let national = growth(&income("national", part));
            let (mut worst, mut sum, mut years): (f64, f64, u32) = (0.0, 0.0, 0);
            let own = growth(&income(group, part));
            let total = growth(&income(group, "disposable"));
            for &(year, published) in &own {
                let (Some(n), Some(t), Some(nt)) =
                    (find(&national, year), find(&total, year), find(&national_total, year))
                else {
                    continue;
                };
                let derived = derived_growth(n, t, nt);
                worst = worst.max((derived - published).abs());
                sum += (derived - published).abs();
                years += 1;
            }
            assert!(years >= 8, "{group} {part}: 2016-2023, {years} years");
            assert!(worst < bound, "{group} {part}: worst error {worst}");
            let mean = sum / f64::from(years);
            assert!(mean < mean_bound, "{group} {part}: mean error {mean}");
        }
        // The years without urban and rural parts are derived, the others read.
        let urban = part_growth("urban", "wage");
        assert!(urban.derived.contains(&2024) && urban.derived.contains(&2025), "{:?}", urban.derived);
        for year in &urban.derived {
            assert!(find(&growth(&income("urban", "wage")), *year).is_none());
        }
        assert_eq!(urban.rates.windows(2).filter(|w| w[1].0 != w[0].0 + 1).count(), 0, "consecutive years");
    }
}
