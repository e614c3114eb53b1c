//! Pure functions of the validated model: topology, SPOF analysis, disk
//! projection, Monte Carlo simulation and cost-benefit, run together by
//! [`run`]. Nothing here formats text or touches files.

pub mod cost;
pub mod disk;
pub mod drift;
pub mod montecarlo;
pub mod pipeline;
pub mod retention;
pub mod spof;
pub mod topology;

pub use pipeline::{Analyses, Options, run};
