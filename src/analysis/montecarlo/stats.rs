//! Output analysis: estimates with 95 % confidence intervals. Means use the
//! normal approximation (mean ± 1.96 s/√n); proportions use the Wilson score
//! interval (sound for rare events and zero counts); quantiles come with a
//! distribution-free interval from the binomial ranks of the order statistics,
//! which are selected rather than sorted for (O(n), not O(n log n)).

/// z for a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// An estimate and its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Estimate {
    /// Point estimate.
    pub value: f64,
    /// Lower bound of the 95 % interval.
    pub low: f64,
    /// Upper bound of the 95 % interval.
    pub high: f64,
}

impl Estimate {
    /// Half the width of the interval.
    pub fn half_width(&self) -> f64 {
        (self.high - self.low) / 2.0
    }
    /// Map every bound through a monotone increasing function.
    pub fn map(self, f: impl Fn(f64) -> f64) -> Self {
        Self {
            value: f(self.value),
            low: f(self.low),
            high: f(self.high),
        }
    }
}

/// Running sum and sum of squares for a mean.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MeanAcc {
    /// Number of samples.
    pub n: u64,
    sum: f64,
    sum_sq: f64,
}

impl MeanAcc {
    /// Add one sample.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
        self.sum_sq += x * x;
    }
    /// Merge another accumulator (in a fixed order for reproducible sums).
    pub fn merge(&mut self, o: &MeanAcc) {
        self.n += o.n;
        self.sum += o.sum;
        self.sum_sq += o.sum_sq;
    }
    /// Mean with its 95 % interval.
    pub fn estimate(&self) -> Estimate {
        if self.n == 0 {
            return Estimate {
                value: 0.0,
                low: 0.0,
                high: 0.0,
            };
        }
        let n = self.n as f64;
        let mean = self.sum / n;
        let var = if self.n > 1 {
            ((self.sum_sq - n * mean * mean) / (n - 1.0)).max(0.0)
        } else {
            0.0
        };
        let half = Z95 * (var / n).sqrt();
        Estimate {
            value: mean,
            low: mean - half,
            high: mean + half,
        }
    }
}

/// Wilson score interval for `k` successes in `n` trials.
pub fn wilson(k: u64, n: u64) -> Estimate {
    if n == 0 {
        return Estimate {
            value: 0.0,
            low: 0.0,
            high: 1.0,
        };
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At k = 0 (k = n) the bound is exactly 0 (1); rounding must not move it
    // (a low of 1e-20 would read as evidence, a high below 1 as a bound).
    Estimate {
        value: p,
        low: if k == 0.0 {
            0.0
        } else {
            (centre - half).max(0.0)
        },
        high: if k == n {
            1.0
        } else {
            (centre + half).min(1.0)
        },
    }
}

/// The ranks (0-based, clamped to the samples) of the q-quantile of `n`
/// samples and of its distribution-free 95 % interval: (value, low, high).
pub fn quantile_ranks(n: usize, q: f64) -> Option<[usize; 3]> {
    if n == 0 {
        return None;
    }
    let at = |r: f64| (r.max(0.0) as usize).min(n - 1);
    let nf = n as f64;
    let centre = (q * nf).ceil() - 1.0;
    let half = Z95 * (nf * q * (1.0 - q)).sqrt();
    Some([
        at(centre),
        at((centre - half).floor()),
        at((centre + half).ceil()),
    ])
}

/// The q-quantile of sorted samples with its distribution-free 95 % interval.
pub fn quantile(sorted: &[f64], q: f64) -> Option<Estimate> {
    quantile_ranks(sorted.len(), q).map(|[v, l, h]| Estimate {
        value: sorted[v],
        low: sorted[l],
        high: sorted[h],
    })
}

/// Put the samples at `ranks` where a full sort would (in the `total_cmp`
/// order) and return them, in O(n) per distinct rank rather than O(n log n)
/// for the sort. `ranks` must be ascending.
pub fn order_statistics(xs: &mut [f64], ranks: &[usize]) -> Vec<f64> {
    let mut from = 0;
    ranks
        .iter()
        .map(|&r| {
            if r >= from {
                xs[from..].select_nth_unstable_by(r - from, f64::total_cmp);
                from = r + 1;
            }
            xs[r]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_handles_zero_and_matches_known_values() {
        let e = wilson(0, 100);
        assert_eq!(e.value, 0.0);
        assert!(
            e.high > 0.03 && e.high < 0.04,
            "≈ 3.7 % for 0/100: {}",
            e.high
        );
        assert_eq!(e.low, 0.0);
        let e = wilson(100, 100);
        assert_eq!((e.value, e.high), (1.0, 1.0));
        assert!(
            e.low > 0.96 && e.low < 0.97,
            "≈ 96.3 % for 100/100: {}",
            e.low
        );
        let e = wilson(50, 100);
        assert!((e.low - 0.4038).abs() < 1e-3 && (e.high - 0.5962).abs() < 1e-3);
    }

    #[test]
    fn quantiles_of_a_uniform_grid() {
        let xs: Vec<f64> = (1..=1000).map(f64::from).collect();
        let p95 = quantile(&xs, 0.95).unwrap();
        assert_eq!(p95.value, 950.0);
        assert!(p95.low < 950.0 && p95.high > 950.0);
        assert_eq!(quantile(&xs, 1.0).unwrap().value, 1000.0);
    }

    #[test]
    fn order_statistics_match_a_sort() {
        // A scrambled sequence with ties and both zeros.
        let mut xs: Vec<f64> = (0..5000u64)
            .map(|i| ((i * 7919) % 1013) as f64 - 500.0)
            .chain([0.0, -0.0, f64::INFINITY])
            .collect();
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        let ranks = [0, 1, 17, 17, 2500, 4999, 5001, 5002];
        let got = order_statistics(&mut xs, &ranks);
        let want: Vec<f64> = ranks.iter().map(|&r| sorted[r]).collect();
        assert_eq!(
            got.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            want.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
    }
}
