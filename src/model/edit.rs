//! Edits of a validated scenario that keep every reference resolved: the
//! what-if layouts of the analyses (the same layout without one tier) are
//! made here, so no analysis renumbers ids by hand. Every host reference is
//! reached through [`Scenario::host_refs_mut`], which destructures the
//! scenario without `..`: a new field is a compile error there until it is
//! considered.

use super::{HostId, PassiveId, Scenario, TierRef};

impl Scenario {
    /// Visit every reference to a host.
    pub fn host_refs_mut(&mut self, mut f: impl FnMut(&mut HostId)) {
        let Scenario {
            name: _,
            description: _,
            source: _,
            barman_version: _,
            regions: _,
            metros: _,
            sites: _,
            hosts: _,
            links: _,
            clusters,
            barman_servers,
            passive_nodes,
            cloud_tiers: _,
            costs: _,
            targets: _,
            simulation: _,
            drills,
        } = self;
        for c in clusters {
            f(&mut c.primary);
            for st in &mut c.standbys {
                f(&mut st.host);
            }
        }
        for b in barman_servers {
            f(&mut b.host);
        }
        for p in passive_nodes {
            f(&mut p.host);
        }
        if let Some(d) = drills {
            f(&mut d.host);
        }
    }

    /// Whether anything (PostgreSQL, a tier, the drills) runs on a host.
    pub fn host_in_use(&self, h: HostId) -> bool {
        let mut used = false;
        // A copy keeps the visitor the one list of references.
        self.clone().host_refs_mut(|x| used |= *x == h);
        used
    }

    /// Remove a host nothing runs on and renumber the references after it;
    /// false (and no change) when something still runs on it.
    pub fn remove_host(&mut self, h: HostId) -> bool {
        if self.host_in_use(h) {
            return false;
        }
        self.hosts.remove(h.0);
        self.host_refs_mut(|x| {
            if x.0 > h.0 {
                x.0 -= 1;
            }
        });
        true
    }

    /// The same layout without one tier (a passive node also without its
    /// host, when nothing else runs on it). `None` for a Barman server: other
    /// tiers are fed from it and every layout needs one to back up.
    pub fn without_tier(&self, t: TierRef) -> Option<Scenario> {
        let mut out = self.clone();
        out.name = format!("{} without {}", self.name, self.tier_name(t));
        match t {
            TierRef::Barman(_) => return None,
            TierRef::Passive(PassiveId(i)) => {
                let node = out.passive_nodes.remove(i);
                out.remove_host(node.host);
            }
            TierRef::Cloud(c) => {
                out.cloud_tiers.remove(c.0);
            }
        }
        // Its drill goes with it; drills of the tiers after it follow the
        // renumbering.
        if let Some(d) = &mut out.drills {
            d.tiers.retain(|x| x.tier != t);
            for x in &mut d.tiers {
                x.tier = match (x.tier, t) {
                    (TierRef::Passive(PassiveId(j)), TierRef::Passive(PassiveId(i))) if j > i => {
                        TierRef::Passive(PassiveId(j - 1))
                    }
                    (TierRef::Cloud(j), TierRef::Cloud(i)) if j.0 > i.0 => {
                        TierRef::Cloud(super::CloudId(j.0 - 1))
                    }
                    (other, _) => other,
                };
            }
        }
        Some(out)
    }
}
