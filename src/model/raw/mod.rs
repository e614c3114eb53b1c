//! What the user wrote: serde structures that mirror the YAML one to one,
//! with `deny_unknown_fields` everywhere and source spans on every value that
//! validation may need to point at. Units stay strings here; [`super::validate`]
//! parses them so that every bad value in a file is reported, not just the first.

mod cluster;
mod infra;
mod spanned;
mod tiers;
mod top;

pub use cluster::{RawCluster, RawCorruption, RawHa, RawStandby};
pub use infra::{
    RawDisks, RawFailureMode, RawHost, RawLink, RawMetro, RawRack, RawRegion, RawSite,
};
pub use spanned::{Loose, Sp, Text};
pub use tiers::{RawBarman, RawCloud, RawPassive};
pub use top::{
    RawCosts, RawDefaults, RawDrills, RawKindDefaults, RawScenario, RawSimulation, RawTargets,
};
