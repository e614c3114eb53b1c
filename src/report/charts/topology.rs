//! The layout as a diagram: one column per site (grouped by metro and
//! region), a box per host coloured by role, buckets in their own column,
//! data flows as labelled connectors, SPOFs outlined in red. Hand-written SVG:
//! the layout is a grid, no graph layout engine is needed.

use std::collections::HashMap;
use std::fmt::Write;

use super::{Chart, escape, finish};
use crate::report::context::TopologyView;
use crate::report::fonts::FAMILY;

const COL_W: f64 = 240.0;
const GAP: f64 = 70.0;
const PAD: f64 = 14.0;
/// Room on the left for the arcs of flows inside the first column.
const LEFT: f64 = 150.0;
const LINE: f64 = 15.0;
const TOP: f64 = 42.0;
/// Depth of the detour below the boxes for flows that skip a column.
const DETOUR: f64 = 30.0;

fn role_colour(role: &str) -> (&'static str, &'static str) {
    match role {
        "primary" => ("#0072b2", "#e3f0fa"),
        "standby" => ("#56b4e9", "#eef7fd"),
        "barman" => ("#009e73", "#e2f5ef"),
        "barman-passive" => ("#7fbf9f", "#eef8f3"),
        "recovery" => ("#cc79a7", "#f9ecf4"),
        _ => ("#6c757d", "#f1f3f5"),
    }
}

/// Draw the topology diagram.
pub fn topology(id: &str, t: &TopologyView) -> Chart {
    let is_spof = |n: &str| t.spofs.iter().any(|s| s == n);
    let mut body = String::new();
    // Anchor points (left, right, y) of every box, by name, for the flows.
    let mut anchor: HashMap<&str, (f64, f64, f64, usize)> = HashMap::new();
    let mut max_h: f64 = 0.0;
    let columns = t.sites.len() + usize::from(!t.buckets.is_empty());
    for (col, site) in t.sites.iter().enumerate() {
        let x = LEFT + col as f64 * (COL_W + GAP);
        let mut y = TOP + 46.0;
        let mut hosts_svg = String::new();
        for h in &site.hosts {
            let lines = 2 + h.services.len();
            let bh = 12.0 + LINE * lines as f64;
            let (stroke, fill) = role_colour(&h.role);
            let (stroke, width) = if is_spof(&h.name) {
                ("#c41e3a", 3.0)
            } else {
                (stroke, 1.5)
            };
            let _ = write!(
                hosts_svg,
                "<g class=\"host\"><rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{width}\"/>",
                x + 12.0,
                COL_W - 24.0
            );
            let tx = x + 22.0;
            let _ = write!(
                hosts_svg,
                "<text x=\"{tx:.1}\" y=\"{:.1}\" font-weight=\"bold\" font-size=\"13\">{}{}</text>",
                y + 18.0,
                escape(&h.name),
                if is_spof(&h.name) { " — SPOF" } else { "" }
            );
            let rack = h
                .rack
                .as_deref()
                .map(|r| format!(", rack {r}"))
                .unwrap_or_default();
            let _ = write!(
                hosts_svg,
                "<text x=\"{tx:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#495057\">{}{}</text>",
                y + 18.0 + LINE,
                escape(&h.role),
                escape(&rack)
            );
            for (i, s) in h.services.iter().enumerate() {
                let _ = write!(
                    hosts_svg,
                    "<text x=\"{tx:.1}\" y=\"{:.1}\" font-size=\"11\">{}</text>",
                    y + 18.0 + LINE * (2 + i) as f64,
                    escape(s)
                );
            }
            hosts_svg.push_str("</g>");
            anchor.insert(&h.name, (x + 12.0, x + COL_W - 12.0, y + bh / 2.0, col));
            y += bh + 12.0;
        }
        let sh = y - TOP;
        max_h = max_h.max(y);
        let (stroke, width) = if is_spof(&site.name) {
            ("#c41e3a", 3.0)
        } else {
            ("#adb5bd", 1.5)
        };
        // A metro area or region that is a SPOF shows on each of its sites.
        let area_spof = is_spof(&site.metro) || is_spof(&site.region);
        let (area_colour, area_note) = if area_spof {
            ("#c41e3a", " — SPOF")
        } else {
            ("#495057", "")
        };
        let _ = write!(
            body,
            "<g class=\"site\"><rect x=\"{x:.1}\" y=\"{TOP}\" width=\"{COL_W}\" height=\"{sh:.1}\" rx=\"10\" fill=\"#f8f9fa\" stroke=\"{stroke}\" stroke-width=\"{width}\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" font-weight=\"bold\" font-size=\"14\">{}{}</text>\
<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"{area_colour}\">{} · {}{area_note}</text>{hosts_svg}</g>",
            x + 12.0,
            TOP + 20.0,
            escape(&site.name),
            if is_spof(&site.name) { " — SPOF" } else { "" },
            x + 12.0,
            TOP + 36.0,
            escape(&site.metro),
            escape(&site.region),
        );
    }
    if !t.buckets.is_empty() {
        let col = t.sites.len();
        let x = LEFT + col as f64 * (COL_W + GAP);
        let mut y = TOP + 46.0;
        let mut inner = String::new();
        for b in &t.buckets {
            let bh = 12.0 + LINE * 3.0;
            let _ = write!(
                inner,
                "<g class=\"bucket\"><rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" rx=\"6\" fill=\"#fdf3e1\" stroke=\"#e69f00\" stroke-width=\"1.5\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" font-weight=\"bold\" font-size=\"13\">{}</text>\
<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{}</text>\
<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#495057\">region {}</text></g>",
                x + 12.0,
                COL_W - 24.0,
                x + 22.0,
                y + 18.0,
                escape(&b.name),
                x + 22.0,
                y + 18.0 + LINE,
                escape(&b.url),
                x + 22.0,
                y + 18.0 + 2.0 * LINE,
                escape(&b.region)
            );
            anchor.insert(&b.name, (x + 12.0, x + COL_W - 12.0, y + bh / 2.0, col));
            y += bh + 12.0;
        }
        max_h = max_h.max(y);
        let _ = write!(
            body,
            "<g class=\"cloud\"><rect x=\"{x:.1}\" y=\"{TOP}\" width=\"{COL_W}\" height=\"{:.1}\" rx=\"10\" fill=\"#fffaf0\" stroke=\"#e69f00\" stroke-dasharray=\"6 4\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" font-weight=\"bold\" font-size=\"14\">object storage</text>{inner}</g>",
            y - TOP,
            x + 12.0,
            TOP + 20.0
        );
    }
    // Flows: between columns a curve from the right edge to the left edge;
    // inside a column an arc on the left side.
    let mut flows = String::new();
    let mut below = false;
    for (k, f) in t.flows.iter().enumerate() {
        let (Some(a), Some(b)) = (anchor.get(f.from.as_str()), anchor.get(f.to.as_str())) else {
            continue;
        };
        let (path, lx, ly) = if a.3 == b.3 {
            let bend = a.0 - 40.0 - 8.0 * (k % 3) as f64;
            (
                format!(
                    "M{:.1},{:.1} C{bend:.1},{:.1} {bend:.1},{:.1} {:.1},{:.1}",
                    a.0, a.2, a.2, b.2, b.0, b.2
                ),
                bend - 4.0,
                (a.2 + b.2) / 2.0 + 3.0,
            )
        } else if a.3.abs_diff(b.3) == 1 {
            let (sx, tx) = if a.3 < b.3 { (a.1, b.0) } else { (a.0, b.1) };
            let mx = (sx + tx) / 2.0;
            (
                format!(
                    "M{sx:.1},{:.1} C{mx:.1},{:.1} {mx:.1},{:.1} {tx:.1},{:.1}",
                    a.2, a.2, b.2, b.2
                ),
                mx,
                (a.2 + b.2) / 2.0 - 6.0,
            )
        } else {
            // Skipping a column: dip below every box instead of crossing them.
            let (sx, tx) = if a.3 < b.3 { (a.1, b.0) } else { (a.0, b.1) };
            let low = max_h + 2.0 * DETOUR;
            below = true;
            let (c1, c2) = (sx + (tx - sx) * 0.2, tx - (tx - sx) * 0.2);
            (
                format!(
                    "M{sx:.1},{:.1} C{c1:.1},{low:.1} {c2:.1},{low:.1} {tx:.1},{:.1}",
                    a.2, b.2
                ),
                (sx + tx) / 2.0,
                0.125 * a.2 + 0.75 * low + 0.125 * b.2 - 4.0,
            )
        };
        let anchor = if a.3 == b.3 { "end" } else { "middle" };
        let _ = write!(
            flows,
            "<g class=\"flow\"><path d=\"{path}\" fill=\"none\" stroke=\"#343a40\" stroke-width=\"1.4\" marker-end=\"url(#{id}-arrow)\"/>\
<text x=\"{lx:.1}\" y=\"{ly:.1}\" font-size=\"10\" text-anchor=\"{anchor}\" fill=\"#343a40\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text></g>",
            escape(&f.label)
        );
    }
    let w = (LEFT + PAD + columns.max(1) as f64 * (COL_W + GAP) - GAP).ceil() as u32;
    let h = (max_h + PAD + if below { DETOUR } else { 0.0 }).ceil() as u32;
    let legend = "<text x=\"14\" y=\"16\" font-size=\"11\" fill=\"#495057\">blue: PostgreSQL · green: Barman · pink: recovery</text>\
<text x=\"14\" y=\"30\" font-size=\"11\" fill=\"#495057\">red outline: single point of failure · arrows: data flows</text>";
    let svg = format!(
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"{FAMILY}, sans-serif\" fill=\"#212529\">\
<defs><marker id=\"{id}-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#343a40\"/></marker></defs>\
<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>{legend}{body}{flows}</svg>"
    );
    let alt = describe(t);
    finish(id, "Topology", &alt, svg, w, h)
}

fn describe(t: &TopologyView) -> String {
    let mut parts: Vec<String> = t
        .sites
        .iter()
        .map(|s| {
            let hosts: Vec<String> = s
                .hosts
                .iter()
                .map(|h| format!("{} ({})", h.name, h.role))
                .collect();
            format!(
                "site {} in {}, {}: {}",
                s.name,
                s.metro,
                s.region,
                hosts.join(", ")
            )
        })
        .collect();
    for b in &t.buckets {
        parts.push(format!(
            "bucket {} ({}) in region {}",
            b.name, b.url, b.region
        ));
    }
    let flows: Vec<String> = t
        .flows
        .iter()
        .map(|f| format!("{} → {}: {}", f.from, f.to, f.label))
        .collect();
    let spofs = if t.spofs.is_empty() {
        String::new()
    } else {
        format!(" Single points of failure: {}.", t.spofs.join(", "))
    };
    format!("{}. Flows: {}.{spofs}", parts.join("; "), flows.join("; "))
}
