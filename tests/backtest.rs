//! The historical backtest at a small size: national-2015 projected to 2025 with the
//! published inputs, compared with the published 2016–2025 means. The full-size table
//! is in the README (`cargo run --release --example backtest`).

use incomesim::engine::{Projection, Scenario};
use incomesim::indicators::Group;

#[test]
fn backtest_runs_and_stays_within_its_current_error_band() {
    let mut s = Scenario::from_toml_str(include_str!("../scenarios/backtest-national-2015.toml"), "backtest")
        .expect("scenario");
    s.households = 4_000;
    // The baseline's thresholds are the published ones (dibao_national.csv: urban yuan a
    // month, rural a year, at the end of 2015, 2020 and 2022), as multiples of 2015's.
    for (r, published) in [[451.1, 677.6, 752.0], [3177.6, 5962.3, 6984.0]].into_iter().enumerate() {
        for (year, level) in [(2020, published[1]), (2022, published[2])] {
            let multiple = *s.dynamics.dibao_threshold_multiple[r].at(incomesim::policy::YearMonth::start_of(year));
            assert!((multiple - level / published[0]).abs() < 1e-4, "residence {r} {year}: {multiple}");
        }
    }
    let o = Projection::new(&s).run().expect("runs");
    // And the baseline's dibao held them: the first tier's thresholds of 2020 and 2022
    // (each year's from January), yuan per person per year.
    for (year, [urban, rural]) in [(2020u16, [677.6 * 12.0, 5962.3]), (2022, [752.0 * 12.0, 6984.0])] {
        let held = o.baseline.paths.dibao_threshold[usize::from(year - 2015)];
        assert!((held[0] / urban - 1.0).abs() < 1e-4 && (held[1] / rural - 1.0).abs() < 1e-4, "{year}: {held:?}");
    }
    let published = include_str!("../data/published/national_income.csv");
    let mut checked = 0;
    for line in published.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (Ok(year), Ok(value)) = (f[0].parse::<u16>(), f[2].parse::<f64>()) else { continue };
        let group = match f[1] {
            "urban" => Group::Urban,
            "rural" => Group::Rural,
            _ => continue,
        };
        let simulated = o.reform.year(year).expect("every year 2015-2025 projected").group(group).mean.disposable;
        let error = simulated / value - 1.0;
        println!("{year} {:?}: published {value:.0}, simulated {simulated:.0}, error {:+.1}%", group, 100.0 * error);
        if let Ok(transfer) = f[7].parse::<f64>() {
            let sim = o.reform.year(year).expect("projected").group(group).mean.net_transfer;
            println!(
                "  net transfer: published {transfer:.0}, simulated {sim:.0}, error {:+.1}%",
                100.0 * (sim / transfer - 1.0)
            );
        }
        // The band documents today's accuracy (README): a change that makes the model
        // much worse fails here (4,000 households: the worst error is 3.3%, urban 2018,
        // and 1.6% at the README's 20,000; 3.5% and 1.7% before the contribution lines
        // followed wages, 4.4% and 2.8% before new retirees started at the mean pension,
        // both 2026-12-06). The remaining gap is mostly transfers (see the README; this
        // small population's urban net transfers run 9-14% short in 2017-2020, 6-9
        // points below the README's 20,000 households, so they are printed, not
        // checked).
        assert!(error.abs() < 0.04, "{year} {group:?}: error {:+.1}%", 100.0 * error);
        checked += 1;
    }
    assert_eq!(checked, 22, "urban and rural, 2015-2025");
    // The baseline's dibao caseload share follows the published one (the scenario's
    // multiples of 2015's): the published shares of the end of 2020 and 2022
    // (data/published/dibao_national.csv over demography.csv) against the simulated
    // 2015 share times the multiples, within a tenth at this size.
    let share = |year: u16, group: Group| {
        let g = o.baseline.year(year).expect("projected").group(group);
        g.dibao_persons / g.persons
    };
    for (group, base_multiple, published_2015, later) in [
        (Group::Urban, [0.405_f64, 0.334], 1701.1 / 77116.0_f64, [805.1 / 90199.0, 679.0 / 92071.0]),
        (Group::Rural, [0.874, 0.837], 4903.6 / 60346.0, [3620.8 / 50979.0, 3338.0 / 49104.0]),
    ] {
        for ((year, multiple), published) in [2020, 2022].into_iter().zip(base_multiple).zip(later) {
            assert!((multiple - published / published_2015).abs() < 0.001, "{group:?} {year}: the multiple");
            let held = share(2015, group) * multiple;
            let got = share(year, group);
            println!("{group:?} {year}: caseload share {got:.5}, asked {held:.5}, published {published:.5}");
            assert!((got / held - 1.0).abs() < 0.1, "{group:?} {year}: {got:.5} against {held:.5}");
        }
    }
    // The census re-basing (the scenario's [[population_reweighting]]): 2020 has the
    // census's residents and shares aged 60+ and 65+, 2021 the published ones
    // (demography.csv), exactly, as the pilot is the population; 2022-2025 are projected
    // from there and follow the published shares (within 0.2 point at the README's
    // 20,000 households; 0.5 allowed at this size).
    let demography = include_str!("../data/published/demography.csv");
    let mut projected = 0;
    for line in demography.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (Ok(year), Ok(urban), Ok(rural), Ok(old), Ok(older)) =
            (f[0].parse::<u16>(), f[2].parse::<f64>(), f[3].parse::<f64>(), f[6].parse::<f64>(), f[7].parse::<f64>())
        else {
            continue;
        };
        let y = o.reform.year(year).expect("projected");
        let all = y.group(Group::All).old_age;
        println!(
            "{year}: 60+ {:.2}% (published {old}), 65+ {:.2}% ({older})",
            100.0 * all.share_60_plus,
            100.0 * all.share_65_plus
        );
        match year {
            2020 | 2021 => {
                for (group, published) in [(Group::Urban, urban), (Group::Rural, rural)] {
                    let persons = y.group(group).persons;
                    assert!((persons / (published * 1e4) - 1.0).abs() < 1e-6, "{year} {group:?}: {persons}");
                }
                assert!((all.share_60_plus - old / 100.0).abs() < 1e-6, "{year}: {}", all.share_60_plus);
                assert!((all.share_65_plus - older / 100.0).abs() < 1e-6, "{year}: {}", all.share_65_plus);
            }
            2022..=2025 => {
                assert!((all.share_60_plus - old / 100.0).abs() < 0.005, "{year}: {}", all.share_60_plus);
                assert!((all.share_65_plus - older / 100.0).abs() < 0.005, "{year}: {}", all.share_65_plus);
                projected += 1;
            }
            _ => {}
        }
    }
    assert_eq!(projected, 4, "2022-2025 checked");
}

/// The national outlook projects the 2022 population through the years already
/// published: its checks (the published urban and rural means of 2023 and 2025 within
/// 2.5%, the 2025 ratio within 0.05, MOHRSS's retirees of 2023 within 2.5% and their
/// growth in 2023 within a point of +4.05%) are met at the scenario's own size and
/// seed. The growth check was missed (+5.9%) until session 45, when employees in
/// informal jobs stopped retiring with an employer pension; it is +4.5% since.
#[test]
fn the_national_outlook_meets_its_checks_against_the_published_years() {
    let s = incomesim::scenario::load_builtin("national-2022-outlook").expect("scenario");
    assert_eq!(s.last_year, 2030);
    let o = Projection::new(&s).run().expect("runs");
    assert_eq!(o.targets.len(), 7);
    for t in &o.targets {
        println!("{}: reached {:?}, met {}", t.name, t.reached, t.met);
        assert!(t.met, "{}: reached {:?}", t.name, t.reached);
    }
}
