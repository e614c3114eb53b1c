//! drplan: plan, prove and deploy a Barman-based PostgreSQL disaster-recovery layout.
//!
//! Data flows one way: [`model`] (what the user wrote, validated) → [`analysis`]
//! (pure functions of the model) → [`report`] and [`export`] (renderers).
//! [`cli`] is the thin edge that parses arguments and prints diagnostics.

#![warn(missing_docs)]

pub mod analysis;
pub mod atomic;
pub mod cli;
pub mod export;
pub mod import;
pub mod model;
pub mod report;
