//! The rare-event path: the yearly rate of losing every copy of the data,
//! from the minimal cut sets of the data question (`analysis::spof`). A cut
//! set is hit when its last component fails while the others are still being
//! repaired: for components with rates λᵢ and repair times τᵢ,
//! rate = Π λᵢ · Σᵢ Π_{j≠i} τⱼ (λ for one component, λ₁λ₂(τ₁+τ₂) for two).
//! Summing over cut sets is the usual rare-event approximation (an upper
//! bound, tight when λτ ≪ 1); P(loss within a year) = 1 − e^(−rate).

use crate::analysis::spof::build::{Question, build};
use crate::analysis::spof::cutsets::minimal_cut_sets;
use crate::analysis::spof::structure::Structure;
use crate::analysis::topology::Topology;
use crate::model::{ClusterId, Scenario};

/// Yearly rate at which a cut set of the structure is completed.
pub fn cut_set_rate(s: &Structure, cut: &[usize]) -> f64 {
    let lambda: f64 = cut.iter().map(|&e| s.events[e].rate_per_year).product();
    let windows: f64 = (0..cut.len())
        .map(|i| {
            cut.iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, &e)| s.events[e].repair_years)
                .product::<f64>()
        })
        .sum();
    lambda * windows
}

/// Yearly rate of losing every copy (cut sets up to `max_order`).
pub fn loss_rate(s: &Structure, max_order: usize) -> f64 {
    minimal_cut_sets(s, max_order)
        .iter()
        .map(|c| cut_set_rate(s, c))
        .sum()
}

/// P(every copy within the RPO is lost within a year) for a cluster, by the rare-event path.
pub fn data_loss_probability(s: &Scenario, t: &Topology, c: ClusterId) -> f64 {
    let built = build(s, t, c, Question::Data);
    -(-loss_rate(&built.structure, 3)).exp_m1()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_parallel_components_match_the_markov_closed_form() {
        // Two identical repairable copies, λ per year, repair τ years (μ = 1/τ):
        // exact mean time to losing both = (3λ + μ) / (2λ²), so the loss rate is 2λ² / (3λ + μ).
        let (lambda, tau) = (0.005, 1.0 / 365.25);
        let mut s = Structure::default();
        let a = s.event_with_rate("a", 0.0, lambda, tau);
        let b = s.event_with_rate("b", 0.0, lambda, tau);
        s.path("a", vec![a]);
        s.path("b", vec![b]);
        let approx = loss_rate(&s, 2);
        let exact = 2.0 * lambda * lambda / (3.0 * lambda + 1.0 / tau);
        assert!(approx > 5e-8 && approx < 2e-7, "a P ≈ 1e-7 case: {approx}");
        // The rare-event approximation over-estimates by exactly 3λτ relative: its error bound.
        let rel = (approx - exact) / exact;
        assert!(
            rel >= 0.0 && rel <= 3.0 * lambda * tau * (1.0 + 1e-6),
            "{approx} vs {exact}"
        );
        assert!(rel < 1e-4, "negligible at P ≈ 1e-7");
    }
}
