//! Series read from the published tables embedded in the crate (`data/published`),
//! so that the dynamics' defaults cite their file and row and cannot drift from them.

const NATIONAL_INCOME: &str = include_str!("../../data/published/national_income.csv");
const DEMOGRAPHY: &str = include_str!("../../data/published/demography.csv");
const MIGRANT_WORKERS: &str = include_str!("../../data/published/migrant_workers.csv");

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

/// A column of `demography.csv` by year.
pub fn demography(name: &str) -> Vec<(u16, f64)> {
    column(DEMOGRAPHY, name, None)
}

/// A column of `migrant_workers.csv` by year.
pub fn migrant_workers(name: &str) -> Vec<(u16, f64)> {
    column(MIGRANT_WORKERS, name, None)
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
        let g = growth(&income("urban", "wage"));
        assert_eq!(g.len(), 7);
        assert!((g[0].1 - (20665.0 / 19337.0 - 1.0)).abs() < 1e-12);
    }
}
