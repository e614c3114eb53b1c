//! Input modelling: random durations with a given mean and shape, and the
//! per-trial random stream (Xoshiro256++ seeded from the run seed and the trial
//! index, so a trial's history never depends on which thread ran it).
//!
//! Exponential and normal variates come from rand_distr's ziggurat samplers
//! (a table lookup and a compare almost every time, no logarithm): sampling
//! is most of the simulation's arithmetic.

use rand_distr::{Distribution as _, Exp1, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};

use crate::model::Distribution;

/// The random stream of one trial.
pub struct Stream(Xoshiro256PlusPlus);

impl Stream {
    /// The stream of trial `index` of a run seeded with `seed`.
    pub fn for_trial(seed: u64, index: u64) -> Self {
        // SplitMix64 finaliser of (seed, index): distinct, well-mixed seeds per trial.
        let mut z = seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Self(Xoshiro256PlusPlus::seed_from_u64(z ^ (z >> 31)))
    }

    /// Uniform in (0, 1].
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        ((self.0.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Exponential with mean 1.
    #[inline]
    fn exp1(&mut self) -> f64 {
        Exp1.sample(&mut self.0)
    }

    /// Standard normal.
    #[inline]
    fn normal(&mut self) -> f64 {
        StandardNormal.sample(&mut self.0)
    }

    /// A duration with mean `mean` and the given shape.
    #[inline]
    pub fn sample(&mut self, d: &Shape, mean: f64) -> f64 {
        match *d {
            Shape::Exponential => mean * self.exp1(),
            // −ln U is Exp(1): X = scale · E^(1/k).
            Shape::Weibull {
                inv_shape,
                mean_to_scale,
            } => mean * mean_to_scale * self.exp1().powf(inv_shape),
            // exp(μ + σZ) with μ = ln(mean) − σ²/2, written without the logarithm.
            Shape::LogNormal { sigma } => {
                mean * (sigma * self.normal() - sigma * sigma / 2.0).exp()
            }
            Shape::Fixed => mean,
        }
    }
}

/// A distribution prepared for sampling (constants computed once).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// Exponential.
    Exponential,
    /// Weibull: X = scale · (−ln U)^(1/k), scale = mean / Γ(1 + 1/k).
    Weibull {
        /// 1/k.
        inv_shape: f64,
        /// 1 / Γ(1 + 1/k).
        mean_to_scale: f64,
    },
    /// Log-normal with σ; μ = ln(mean) − σ²/2 keeps the mean.
    LogNormal {
        /// σ of ln X.
        sigma: f64,
    },
    /// Always the mean.
    Fixed,
}

impl From<Distribution> for Shape {
    fn from(d: Distribution) -> Self {
        match d {
            Distribution::Exponential => Shape::Exponential,
            Distribution::Weibull { shape } => Shape::Weibull {
                inv_shape: 1.0 / shape,
                mean_to_scale: 1.0 / statrs::function::gamma::gamma(1.0 + 1.0 / shape),
            },
            Distribution::LogNormal { sigma } => Shape::LogNormal { sigma },
            Distribution::Fixed => Shape::Fixed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_keeps_its_mean() {
        for d in [
            Distribution::Exponential,
            Distribution::Weibull { shape: 0.7 },
            Distribution::Weibull { shape: 3.0 },
            Distribution::LogNormal { sigma: 1.0 },
            Distribution::Fixed,
        ] {
            let shape = Shape::from(d);
            let mut s = Stream::for_trial(7, 0);
            let n = 400_000;
            let xs: Vec<f64> = (0..n).map(|_| s.sample(&shape, 5.0)).collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let half = 4.0 * (var / n as f64).sqrt(); // 4 standard errors
            assert!(
                (mean - 5.0).abs() <= half.max(1e-12),
                "{d:?}: mean {mean} ± {half}"
            );
        }
    }

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<f64> = (0..5)
            .map({
                let mut s = Stream::for_trial(1, 3);
                move |_| s.uniform()
            })
            .collect();
        let b: Vec<f64> = (0..5)
            .map({
                let mut s = Stream::for_trial(1, 3);
                move |_| s.uniform()
            })
            .collect();
        let c: Vec<f64> = (0..5)
            .map({
                let mut s = Stream::for_trial(1, 4);
                move |_| s.uniform()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
