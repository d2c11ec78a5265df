//! The statistics behind `redline audit` and `redline pipeline`: Wilson score intervals, the
//! two-proportion z-test (two- and one-sided), Fisher's exact test for tables too small for
//! the z-test, and the population stability index. Functions take counts, so results computed
//! on shards and merged are exactly the results of one run.

/// The standard normal quantile for a two-sided 95% interval.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// A proportion `k / n`; `None` when `n` is zero.
pub fn rate(k: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| k as f64 / n as f64)
}

/// The Wilson score interval for `k` successes in `n` trials at normal quantile `z`.
///
/// Unlike the textbook `p ± z·√(p(1−p)/n)`, it stays inside [0, 1] and keeps a sensible width
/// when `k` is 0 or `n`, which is common for a rare phrase's reply count.
pub fn wilson(k: u64, n: u64, z: f64) -> Option<(f64, f64)> {
    let p = rate(k, n)?;
    let n = n as f64;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// The two-sided p-value of the pooled two-proportion z-test of `k1/n1` against `k2/n2`.
pub fn two_proportion_z(k1: u64, n1: u64, k2: u64, n2: u64) -> Option<f64> {
    let (p1, p2) = (rate(k1, n1)?, rate(k2, n2)?);
    let pooled = (k1 + k2) as f64 / (n1 + n2) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    if se == 0.0 {
        return Some(1.0);
    }
    let z = (p1 - p2).abs() / se;
    Some(libm::erfc(z / std::f64::consts::SQRT_2))
}

/// The two-sided p-value of Fisher's exact test on the table `[[a, b], [c, d]]`: the summed
/// probability of every table with the same margins that is no more likely than this one
/// (the convention of R's `fisher.test` and SciPy's `fisher_exact`).
pub fn fisher_exact(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let row1 = a + b;
    let col1 = a + c;
    let n = a + b + c + d;
    let low = col1.saturating_sub(n - row1);
    let high = row1.min(col1);
    let log_p = |x: u64| ln_choose(row1, x) + ln_choose(n - row1, col1 - x) - ln_choose(n, col1);
    let observed = log_p(a);
    // Tables within a relative 1e-7 of the observed probability count as equally likely.
    let threshold = observed + (1.0 + 1e-7f64).ln();
    let p: f64 = (low..=high)
        .map(log_p)
        .filter(|&lp| lp <= threshold)
        .map(f64::exp)
        .sum();
    p.min(1.0)
}

fn ln_choose(n: u64, k: u64) -> f64 {
    ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k)
}

fn ln_factorial(n: u64) -> f64 {
    libm::lgamma(n as f64 + 1.0)
}

/// Which test a p-value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    /// The pooled two-proportion z-test.
    TwoProportionZ,
    /// Fisher's exact test.
    FisherExact,
}

/// Compares `k1/n1` with `k2/n2`: Fisher's exact test when any expected cell count is below 5
/// (where the z-test's normal approximation is poor), else the two-proportion z-test.
pub fn compare(k1: u64, n1: u64, k2: u64, n2: u64) -> Option<(f64, Test)> {
    if n1 == 0 || n2 == 0 || k1 > n1 || k2 > n2 {
        return None;
    }
    let n = (n1 + n2) as f64;
    let successes = (k1 + k2) as f64;
    let failures = n - successes;
    let smallest = [n1 as f64, n2 as f64]
        .into_iter()
        .flat_map(|row| [row * successes / n, row * failures / n])
        .fold(f64::INFINITY, f64::min);
    if smallest < 5.0 {
        Some((fisher_exact(k1, n1 - k1, k2, n2 - k2), Test::FisherExact))
    } else {
        Some((two_proportion_z(k1, n1, k2, n2)?, Test::TwoProportionZ))
    }
}

/// The one-sided p-value of the pooled two-proportion z-test that `k1/n1` is greater than
/// `k2/n2` (statsmodels' `proportions_ztest(..., alternative="larger")`).
pub fn greater_proportion_z(k1: u64, n1: u64, k2: u64, n2: u64) -> Option<f64> {
    let (p1, p2) = (rate(k1, n1)?, rate(k2, n2)?);
    let pooled = (k1 + k2) as f64 / (n1 + n2) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    if se == 0.0 {
        return Some(if p1 > p2 { 0.0 } else { 1.0 });
    }
    let z = (p1 - p2) / se;
    Some(0.5 * libm::erfc(z / std::f64::consts::SQRT_2))
}

/// The population stability index of `actual` against `expected`, two histograms over the
/// same bins: `Σ (a − e) · ln(a / e)` over the bins' shares, each share at least `1e-4` so an
/// empty bin does not make it infinite. Under 0.1 is stable, 0.1–0.25 a moderate shift, above
/// 0.25 a major one.
pub fn psi(expected: &[u64], actual: &[u64]) -> Option<f64> {
    const FLOOR: f64 = 1e-4;
    let (e_total, a_total): (u64, u64) = (expected.iter().sum(), actual.iter().sum());
    if e_total == 0 || a_total == 0 || expected.len() != actual.len() {
        return None;
    }
    Some(
        expected
            .iter()
            .zip(actual)
            .map(|(&e, &a)| {
                let e = (e as f64 / e_total as f64).max(FLOOR);
                let a = (a as f64 / a_total as f64).max(FLOOR);
                (a - e) * (a / e).ln()
            })
            .sum(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compares with a reference. Reference values were computed once with SciPy 1.17.1 and
    /// statsmodels 0.15.0:
    /// `statsmodels.stats.proportion.proportion_confint(k, n, alpha=0.05, method="wilson")`,
    /// `statsmodels.stats.proportion.proportions_ztest([k1, k2], [n1, n2])` and
    /// `scipy.stats.fisher_exact([[a, b], [c, d]]).pvalue`.
    fn close(actual: f64, expected: f64) {
        let tolerance = 1e-9 + expected.abs() * 1e-6;
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} is not {expected}"
        );
    }

    #[test]
    fn wilson_matches_statsmodels() {
        let cases = [
            (41, 500, 0.06101908946846894, 0.10935485915738875),
            (0, 12, 0.0, 0.24249400665524096),
            (12, 12, 0.7575059933447589, 0.9999999999999999),
            (27, 500, 0.03737435018105752, 0.0774265615106471),
            (3, 40, 0.025836025774588184, 0.1986423352431055),
            (820, 10000, 0.07678169869582978, 0.08753932394205587),
        ];
        for (k, n, lo, hi) in cases {
            let (l, h) = wilson(k, n, Z_95).unwrap();
            close(l, lo);
            close(h, hi);
        }
        assert_eq!(wilson(0, 0, Z_95), None);
    }

    #[test]
    fn two_proportion_z_matches_statsmodels() {
        let cases = [
            (41, 500, 27, 500, 0.07864646800754133),
            (820, 10000, 540, 10000, 3.700654693339325e-15),
            (30, 400, 45, 410, 0.08797728192850604),
        ];
        for (k1, n1, k2, n2, p) in cases {
            close(two_proportion_z(k1, n1, k2, n2).unwrap(), p);
        }
    }

    #[test]
    fn fisher_exact_matches_scipy() {
        let cases = [
            ((3, 37, 10, 30), 0.0660894916168098),
            ((0, 12, 9, 120), 1.0),
            ((1, 9, 11, 3), 0.0027594561852200836),
            ((5, 0, 1, 4), 0.047619047619047616),
        ];
        for ((a, b, c, d), p) in cases {
            close(fisher_exact(a, b, c, d), p);
        }
    }

    /// One-sided references: `proportions_ztest([k1, k2], [n1, n2], alternative="larger")`
    /// (statsmodels 0.15.0). PSI references: NumPy 2 with the same formula and floor,
    /// `sum((a - e) * log(a / e))` over shares clipped at 1e-4.
    #[test]
    fn one_sided_test_and_psi_match_references() {
        let cases = [
            (120, 400, 100, 400, 0.0566406603933507),
            (90, 400, 100, 400, 0.7969603569386732),
            (300, 1000, 240, 1000, 0.0012555966000989526),
        ];
        for (k1, n1, k2, n2, p) in cases {
            close(greater_proportion_z(k1, n1, k2, n2).unwrap(), p);
        }
        close(
            psi(&[10, 20, 30, 40], &[40, 30, 20, 10]).unwrap(),
            0.9128696382935673,
        );
        close(
            psi(&[100, 200, 300, 0], &[90, 210, 310, 5]).unwrap(),
            0.038189737194434185,
        );
        assert_eq!(psi(&[0, 0], &[1, 2]), None);
    }

    #[test]
    fn small_tables_use_fisher_and_large_ones_the_z_test() {
        assert_eq!(compare(2, 40, 4, 40).unwrap().1, Test::FisherExact);
        assert_eq!(compare(41, 500, 27, 500).unwrap().1, Test::TwoProportionZ);
        assert_eq!(compare(1, 0, 1, 10), None);
    }
}
