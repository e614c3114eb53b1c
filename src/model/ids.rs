//! Typed indices into the [`Scenario`](super::Scenario)'s vectors: a resolved
//! reference can never dangle, and a `HostId` cannot be mixed up with a `SiteId`.

macro_rules! id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub usize);
        impl $name {
            /// The index into the scenario's vector.
            pub fn index(self) -> usize { self.0 }
        }
    )*};
}

id!(
    /// Index of a region in `Scenario::regions`.
    RegionId,
    /// Index of a metro area in `Scenario::metros`.
    MetroId,
    /// Index of a site in `Scenario::sites`.
    SiteId,
    /// Index of a host in `Scenario::hosts`.
    HostId,
    /// Index of a link in `Scenario::links`.
    LinkId,
    /// Index of a PostgreSQL cluster in `Scenario::clusters`.
    ClusterId,
    /// Index of a local Barman server in `Scenario::barman_servers`.
    BarmanId,
    /// Index of a passive Barman node in `Scenario::passive_nodes`.
    PassiveId,
    /// Index of a cloud tier in `Scenario::cloud_tiers`.
    CloudId,
);

/// A rack (power domain) inside a site: the site and the rack's index in `Site::racks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RackId {
    /// The site that holds the rack.
    pub site: SiteId,
    /// Index in that site's `racks`.
    pub index: usize,
}
