//! Pure functions of the validated model: topology, and (as they land) SPOF
//! analysis, disk projection, Monte Carlo simulation and cost-benefit.
//! Nothing here formats text or touches files.

pub mod cost;
pub mod disk;
pub mod drift;
pub mod montecarlo;
pub mod retention;
pub mod spof;
pub mod topology;
