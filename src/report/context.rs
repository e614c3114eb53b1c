//! The report context: plain data a report presents, in display units, with
//! one optional section per analysis. A section that is `None` was not
//! computed and the report says so; nothing here is ever invented.
//!
//! [`super::build`] fills what the model alone knows; the analysis results
//! (SPOF, Monte Carlo, disk, cost-benefit) are filled by whoever ran them.
//! Not here: formatting (see [`super::document`]) or any computation.

mod cost;

pub use cost::{BillLine, CostBenefit, TierValueRow, Tornado, TornadoBar};

/// Everything one scenario's report shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportContext {
    /// Scenario name (also the output file stem).
    pub name: String,
    /// Free text from the scenario.
    pub description: Option<String>,
    /// File name the scenario was loaded from (no directory: reports must not
    /// depend on where they were generated).
    pub source: String,
    /// Barman version the layout targets, e.g. "3.19".
    pub barman_version: String,
    /// ISO currency code of every amount.
    pub currency: String,
    /// The recommendation, when an analysis produced one.
    pub recommendation: Option<String>,
    /// Recovery targets, with the achieved value once simulated.
    pub targets: Vec<TargetRow>,
    /// The layout: sites, hosts and flows.
    pub topology: TopologyView,
    /// Backup tiers as configured.
    pub tiers: Vec<TierRow>,
    /// Single points of failure, cut sets and importance.
    pub spof: Option<SpofSection>,
    /// Monte Carlo results.
    pub montecarlo: Option<MonteCarloSection>,
    /// Disk projection per tier.
    pub disk: Option<Vec<DiskCurve>>,
    /// Bandwidth load per flow and path, and restore transfer times.
    pub bandwidth: Option<BandwidthSection>,
    /// Cost lines known from the model (hosts, links, storage, drills).
    pub costs: Vec<BillLine>,
    /// Cost-benefit results.
    pub cost_benefit: Option<CostBenefit>,
    /// Sensitivity of the total cost of ownership to each input.
    pub tornado: Option<Tornado>,
    /// Failure rates the analyses assume, with their sources.
    pub assumptions: Vec<FailureAssumption>,
    /// Monte Carlo settings from the scenario.
    pub simulation: SimulationSettings,
}

/// One recovery target.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetRow {
    /// Which target (the key the simulation's checks are joined on).
    pub kind: crate::model::TargetKind,
    /// What is measured ("RPO", "RTO", "Availability", "P(data loss)/yr").
    pub metric: String,
    /// The target, as the scenario states it ("≤ 5 min").
    pub target: String,
    /// What the simulation achieved; `None` until it ran.
    pub achieved: Option<Achieved>,
}

/// An achieved value against a target.
#[derive(Debug, Clone, PartialEq)]
pub struct Achieved {
    /// The estimate, formatted ("99.982 %").
    pub value: String,
    /// Its confidence interval, formatted ("99.979 – 99.985 %, 95 %").
    pub interval: Option<String>,
    /// Whether the target is met (with 95 % confidence).
    pub met: bool,
    /// "met", "at risk" (the interval straddles the target) or "breached".
    pub status: &'static str,
}

/// Sites with their hosts, cloud buckets and data flows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TopologyView {
    /// Sites in scenario order.
    pub sites: Vec<SiteBox>,
    /// Object-storage buckets.
    pub buckets: Vec<BucketBox>,
    /// Data flows between hosts or buckets, by name.
    pub flows: Vec<Flow>,
    /// Names of components that are single points of failure (highlighted).
    pub spofs: Vec<String>,
}

/// A site and where it lies.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteBox {
    /// Site name.
    pub name: String,
    /// Metro area.
    pub metro: String,
    /// Region.
    pub region: String,
    /// Hosts in the site.
    pub hosts: Vec<HostBox>,
}

/// A host in the topology.
#[derive(Debug, Clone, PartialEq)]
pub struct HostBox {
    /// Host name.
    pub name: String,
    /// Role ("primary", "standby", "barman", "barman-passive", "recovery").
    pub role: String,
    /// Rack (power domain), if given.
    pub rack: Option<String>,
    /// What runs on it ("PostgreSQL main 15.8", "Barman barman-par1").
    pub services: Vec<String>,
}

/// An object-storage bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketBox {
    /// Tier name.
    pub name: String,
    /// Provider URL of the bucket ("s3://bucket/prefix").
    pub url: String,
    /// Region it lives in.
    pub region: String,
}

/// A data flow between two topology boxes.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// Source host or bucket name.
    pub from: String,
    /// Target host or bucket name.
    pub to: String,
    /// What flows ("sync replication", "WAL + backups", "passive sync", "upload").
    pub label: String,
}

/// A backup tier as configured.
#[derive(Debug, Clone, PartialEq)]
pub struct TierRow {
    /// Tier name.
    pub name: String,
    /// "local Barman", "passive node" or "cloud".
    pub kind: String,
    /// Host or bucket it lives on.
    pub location: String,
    /// Retention policy in Barman syntax.
    pub retention: String,
    /// Backup schedule.
    pub schedule: String,
    /// Compression.
    pub compression: String,
    /// Configured volume, formatted, if any.
    pub volume: Option<String>,
    /// Storage class (key into the storage prices).
    pub storage_class: String,
}

/// SPOF analysis results.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpofSection {
    /// One row per cluster and question: how likely it fails.
    pub questions: Vec<QuestionRow>,
    /// Warnings: HA placement hints, articulation sites and bridge links.
    pub notices: Vec<String>,
    /// Single points of failure.
    pub spofs: Vec<SpofRow>,
    /// Minimal cut sets up to the analysed order.
    pub cut_sets: Vec<CutSetRow>,
    /// Components ranked by importance, most important first.
    pub importance: Vec<ImportanceRow>,
    /// Highest cut-set order analysed.
    pub max_order: u32,
}

/// The answer to one question for one cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionRow {
    /// Cluster name.
    pub cluster: String,
    /// "service", "data" or "logical corruption".
    pub question: String,
    /// Ways the system can work.
    pub paths: Vec<String>,
    /// Probability that none is left.
    pub probability: f64,
    /// What the probability means.
    pub measure: String,
}

/// One single point of failure.
#[derive(Debug, Clone, PartialEq)]
pub struct SpofRow {
    /// Component name.
    pub component: String,
    /// Cluster it threatens.
    pub cluster: String,
    /// "service", "data" or "logical corruption".
    pub question: String,
    /// Human explanation.
    pub explanation: String,
}

/// One minimal cut set.
#[derive(Debug, Clone, PartialEq)]
pub struct CutSetRow {
    /// "service", "data" or "corruption".
    pub question: String,
    /// Components that fail together.
    pub components: Vec<String>,
    /// Probability per year, if computed.
    pub probability: Option<f64>,
}

/// Importance measures of one component.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportanceRow {
    /// "service", "data" or "logical corruption".
    pub question: String,
    /// Component name.
    pub component: String,
    /// Birnbaum importance.
    pub birnbaum: f64,
    /// Fussell-Vesely importance.
    pub fussell_vesely: f64,
    /// Risk achievement worth.
    pub raw: f64,
}

/// Monte Carlo results.
#[derive(Debug, Clone, PartialEq)]
pub struct MonteCarloSection {
    /// Trials run.
    pub trials: u64,
    /// Simulated years per trial.
    pub horizon_years: f64,
    /// Seed used.
    pub seed: u64,
    /// Per cluster, in scenario order.
    pub clusters: Vec<ClusterMonteCarlo>,
}

impl MonteCarloSection {
    /// The cluster that does worst by `key` (largest), for one-line summaries
    /// of a layout with several clusters.
    pub fn worst(&self, key: impl Fn(&ClusterMonteCarlo) -> f64) -> Option<&ClusterMonteCarlo> {
        self.clusters
            .iter()
            .max_by(|a, b| key(a).total_cmp(&key(b)))
    }
}

/// What the simulation found for one cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterMonteCarlo {
    /// Cluster name.
    pub name: String,
    /// Availability (fraction of time up).
    pub availability: Figure,
    /// Downtime hours per year.
    pub downtime_hours_per_year: Figure,
    /// Probability of any data loss per year.
    pub p_data_loss_per_year: Figure,
    /// Which estimator produced `p_data_loss_per_year` ("naive MC", "importance sampling" …).
    pub data_loss_estimator: String,
    /// RTO distribution per incident, hours.
    pub rto_hours: DistributionSummary,
    /// Data lost per incident, hours of committed transactions.
    pub rpo_hours: DistributionSummary,
    /// Breakdown by failure class.
    pub by_class: Vec<FailureClassRow>,
}

/// A point estimate with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    /// Point estimate.
    pub value: f64,
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
    /// Confidence level (0.95).
    pub level: f64,
}

/// Quantiles and a histogram of a sampled quantity.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DistributionSummary {
    /// Number of samples (incidents).
    pub count: u64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Maximum.
    pub max: f64,
    /// Bin edges (`counts.len() + 1` of them, increasing).
    pub edges: Vec<f64>,
    /// Samples per bin.
    pub counts: Vec<u64>,
}

/// Results for one failure class.
#[derive(Debug, Clone, PartialEq)]
pub struct FailureClassRow {
    /// Failure class ("host outage", "site destruction", "logical corruption" …).
    pub class: String,
    /// Incidents per year.
    pub incidents_per_year: f64,
    /// Mean downtime per incident, hours.
    pub mean_downtime_hours: f64,
    /// Mean data lost per incident, hours.
    pub mean_data_loss_hours: f64,
}

/// Projected storage of one tier.
#[derive(Debug, Clone, PartialEq)]
pub struct DiskCurve {
    /// Tier name.
    pub tier: String,
    /// (day since start, used bytes), increasing days.
    pub points: Vec<(f64, f64)>,
    /// Peak used bytes.
    pub peak: u64,
    /// Steady-state used bytes.
    pub steady: u64,
    /// Recommended volume (peak + headroom).
    pub recommended: u64,
    /// Volume configured in the scenario, if any.
    pub configured: Option<u64>,
    /// Day the configured volume fills, if it does within the horizon.
    pub fills_on_day: Option<f64>,
    /// Storage cost per month at the recommended size.
    pub cost_per_month: f64,
}

/// Load of one flow over one path.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkLoadRow {
    /// What flows.
    pub flow: String,
    /// Over what ("LAN", a link, "internet").
    pub path: String,
    /// Mean load, bytes/s.
    pub load: f64,
    /// Capacity of the path, bytes/s (`None` on the LAN).
    pub capacity: Option<f64>,
    /// Mean load / capacity.
    pub utilisation: Option<f64>,
    /// Hours to move one full backup over the path.
    pub full_backup_hours: f64,
    /// Hours between two backups on this flow.
    pub interval_hours: f64,
    /// Whether the path carries its load with margin.
    pub ok: bool,
}

/// Time to bring a full backup back for a restore.
#[derive(Debug, Clone, PartialEq)]
pub struct RestoreRow {
    /// Tier restored from.
    pub from: String,
    /// Host restored onto.
    pub to: String,
    /// Bytes moved.
    pub bytes: u64,
    /// Hours of transfer.
    pub hours: f64,
}

/// Bandwidth results.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BandwidthSection {
    /// One row per flow and path.
    pub rows: Vec<LinkLoadRow>,
    /// Restore transfer times.
    pub restores: Vec<RestoreRow>,
}

/// A failure rate the analyses assume.
#[derive(Debug, Clone, PartialEq)]
pub struct FailureAssumption {
    /// Component class ("disk", "host", "site" …).
    pub class: String,
    /// Components it applies to.
    pub components: Vec<String>,
    /// "outage", "destruction" or "corruption".
    pub mode: String,
    /// Events per year.
    pub rate_per_year: f64,
    /// Mean repair / restore / detection time, formatted.
    pub repair: String,
    /// Lifetime and repair distributions, formatted.
    pub distribution: String,
    /// Where the number comes from (the scenario's comment), if stated.
    pub source: Option<String>,
}

/// Monte Carlo settings of the scenario.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SimulationSettings {
    /// Trials requested.
    pub trials: u64,
    /// Seed.
    pub seed: u64,
    /// Horizon, formatted.
    pub horizon: String,
}

/// Several scenarios side by side.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ComparisonContext {
    /// The scenarios, in the order given.
    pub reports: Vec<ReportContext>,
    /// Pareto-optimal scenario names (cost vs expected loss), once computed.
    pub pareto_optimal: Option<Vec<String>>,
    /// Recommended scenario and why, once computed.
    pub recommendation: Option<String>,
}

impl ReportContext {
    /// The layout's yearly cost: the cost analysis's bill (0 until it ran).
    pub fn cost_per_year(&self) -> f64 {
        self.costs.iter().map(|c| c.per_year).sum()
    }
}
