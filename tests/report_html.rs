//! HTML reports of the bundled scenarios and their comparison: complete,
//! self-contained, accessible, deterministic, and honest about what was not
//! computed.

mod common;

use drplan::report::{Format, document, html, render_all};

fn html_of(c: &drplan::report::context::ReportContext) -> String {
    html::render(&document::scenario(c).expect("charts draw")).expect("template renders")
}

#[test]
fn one_report_per_scenario_and_a_comparison() {
    let out = render_all(&common::bundled(), &[Format::Html]).expect("renders");
    let names: Vec<&str> = out.iter().map(|o| o.file_name.as_str()).collect();
    assert_eq!(
        names,
        ["geo.html", "metro.html", "same-dc.html", "comparison.html"]
    );
    let single = render_all(&common::bundled()[..1], &[Format::Html]).expect("renders");
    assert_eq!(single.len(), 1, "no comparison for a single scenario");
}

#[test]
fn reports_are_self_contained() {
    for o in render_all(&common::bundled(), &[Format::Html]).expect("renders") {
        let text = String::from_utf8(o.bytes).expect("utf-8");
        for forbidden in [
            "<script", "<link", "<img", "<iframe", "src=", "@import", "url(http",
        ] {
            assert!(
                !text.contains(forbidden),
                "{} contains {forbidden}",
                o.file_name
            );
        }
        // The only URL is the SVG namespace, which is never fetched.
        let urls = text.matches("http").count();
        let ns = text.matches("http://www.w3.org/2000/svg").count();
        assert_eq!(urls, ns, "{} refers to the network", o.file_name);
        assert!(text.contains("@media print"), "print CSS");
    }
}

#[test]
fn same_input_gives_byte_identical_reports() {
    let a = render_all(&common::bundled(), &[Format::Html]).expect("renders");
    let b = render_all(&common::bundled(), &[Format::Html]).expect("renders");
    assert_eq!(a, b);
}

#[test]
fn analyses_not_run_are_marked_not_computed() {
    for c in common::bundled() {
        let h = html_of(&c);
        for section in ["spof", "montecarlo", "bandwidth"] {
            let start = h
                .find(&format!("<section id=\"{section}\""))
                .expect("section present");
            let end = h[start..].find("</section>").expect("closed") + start;
            assert!(
                h[start..end].contains("notice not-computed"),
                "{}: {section}",
                c.name
            );
        }
        assert!(
            !h.contains("met</td>") && !h.contains("breached</td>"),
            "{}: no verdict without results",
            c.name
        );
    }
}

#[test]
fn sources_of_failure_rates_are_quoted() {
    let metro = common::bundled()
        .into_iter()
        .find(|c| c.name == "metro")
        .expect("metro");
    let h = html_of(&metro);
    // Quoted from the scenario's comments.
    assert!(h.contains("Backblaze Drive Stats"));
    // No bill before the cost analysis ran: no made-up figure.
    assert!(h.contains("<dt>Cost per year</dt><dd>not computed (drplan cost)</dd>"));
}

#[test]
fn every_chart_is_accessible() {
    let c = common::full(common::bundled().remove(1));
    let h = html_of(&c);
    let svgs = h.matches("<svg ").count();
    // topology, RTO, RPO, one disk curve, cost, tornado.
    assert_eq!(svgs, 6);
    assert_eq!(h.matches("role=\"img\"").count(), svgs);
    assert_eq!(h.matches("<title id=").count(), svgs);
    assert_eq!(h.matches("<desc id=").count(), svgs);
    assert_eq!(h.matches("<figcaption>").count(), svgs);
    assert!(h.matches("<th scope=\"col\"").count() > 20);
    assert!(h.contains("<th scope=\"row\">"));
}

#[test]
fn filled_sections_show_results_and_verdicts() {
    let c = common::full(common::bundled().remove(1));
    let h = html_of(&c);
    assert!(!h.contains("notice not-computed"));
    assert!(h.contains("fixture recommendation"));
    assert!(h.contains("class=\" met\"") || h.contains("met\">met"));
    assert!(h.contains("breached"));
    // A SPOF is outlined in red in the topology.
    assert!(h.contains("— SPOF"));
    // The configured volume (1500 GiB) is below the peak (1700 GiB): flagged.
    assert!(h.contains("num breached\">1500.0 GiB"));
}

#[test]
fn html_structure() {
    for c in common::bundled() {
        insta::assert_snapshot!(
            format!("structure-{}", c.name),
            common::structure(&html_of(&c))
        );
    }
    let out = render_all(&common::bundled(), &[Format::Html]).expect("renders");
    let cmp = out
        .iter()
        .find(|o| o.file_name == "comparison.html")
        .expect("comparison");
    insta::assert_snapshot!(
        "structure-comparison",
        common::structure(&String::from_utf8_lossy(&cmp.bytes))
    );
    let metro = common::bundled_with_analyses().remove(1);
    insta::assert_snapshot!(
        "structure-metro-analysed",
        common::structure(&html_of(&metro))
    );
    let full = common::full(common::bundled().remove(1));
    insta::assert_snapshot!("structure-full", common::structure(&html_of(&full)));
}

#[test]
fn spof_results_fill_their_section_and_outline_the_topology() {
    let path = std::path::Path::new("scenarios/same-dc.yaml");
    let s = drplan::model::load_file(path).expect("loads");
    let mut c = drplan::report::build::from_scenario(&s, None);
    let t = drplan::analysis::topology::Topology::build(&s);
    let r = drplan::analysis::spof::analyse(&s, &t, 3);
    drplan::report::results::add_spof(&mut c, &r, &t);
    let h = html_of(&c);
    let start = h.find("<section id=\"spof\"").expect("section");
    let end = h[start..].find("</section>").expect("closed") + start;
    let spof = &h[start..end];
    assert!(!spof.contains("not-computed"));
    // Same-DC: the one site holds every copy, so it is a SPOF for the data.
    assert!(
        spof.contains("<th scope=\"row\">site `dc-par1`</th>\n<td class=\"\">main</td>\n<td class=\"\">data</td>"),
        "{spof}"
    );
    assert!(h.contains("dc-par1 — SPOF"), "site outlined in the diagram");
}

#[test]
fn cost_results_fill_the_cost_section_and_the_tornado() {
    use drplan::analysis::cost::{sensitivity::sensitivity, tiers::tier_benefits};
    use drplan::analysis::montecarlo::{SimOptions, simulate};
    let path = std::path::Path::new("scenarios/metro.yaml");
    let s = drplan::model::load_file(path).expect("loads");
    let mut c = drplan::report::build::from_scenario(&s, None);
    let disk = drplan::analysis::disk::project(&s, drplan::analysis::disk::DiskOptions::default());
    let mut o = SimOptions::from_scenario(&s);
    o.trials = 1000;
    let sim = simulate(&s, &o);
    let cand = drplan::analysis::cost::candidate(&s, &disk, &sim).expect("a cluster");
    let tiers = tier_benefits(&s, &cand, &o);
    let sens = sensitivity(std::slice::from_ref(&s), 500);
    drplan::report::results::add_cost(&mut c, &cand, o.trials, &tiers, o.trials, Some(&sens));
    let h = html_of(&c);
    let start = h.find("<section id=\"cost\"").expect("section");
    let end = h[start..].find("</section>").expect("closed") + start;
    let cost = &h[start..end];
    assert!(!cost.contains("not-computed"), "{cost}");
    // One bill: the scenario's prices (metro.yaml: pg-1 costs 900/month →
    // 10 800 a year; the link 1 500/month → 18 000), storage at its peak, and
    // the same total in the table, the summary and the cost-benefit facts.
    assert!(
        cost.contains("<td class=\"num\">10\u{202f}800</td>"),
        "{cost}"
    );
    assert!(
        cost.contains("<td class=\"num\">18\u{202f}000</td>"),
        "{cost}"
    );
    let total = drplan::report::build::money(cand.cost.total);
    assert!(
        cost.contains(&format!("<th scope=\"row\">total</th>\n<td class=\"\"></td>\n<td class=\"\"></td>\n<td class=\"num\">{total}</td>")),
        "{cost}"
    );
    assert!(h.contains(&format!("<dt>Cost per year</dt><dd>{total} EUR</dd>")));
    assert!(cost.contains(&format!("{total} EUR/yr")), "{cost}");
    // The figures are the analysis's, formatted.
    let money = drplan::report::build::money;
    assert!(cost.contains(&money(cand.tco.value)), "TCO shown");
    // The stacked bar is the analysis's bill (storage at its peak) plus the
    // expected loss: its total is the TCO.
    assert!(
        cost.contains(&format!(
            "metro: {} EUR per year (hosts",
            money(cand.tco.value)
        )),
        "{cost}"
    );
    assert!(
        cost.contains(&money(cand.loss.total_loss)),
        "loss of every copy shown"
    );
    assert!(
        cost.contains("<th scope=\"row\">barman-par2</th>"),
        "tier row"
    );
    assert!(cost.contains(tiers[0].verdict.as_str()));
    assert!(cost.contains("chart-tornado-figure"));
    assert!(cost.contains("500 trials per simulation"));
    let tor = c.tornado.as_ref().expect("tornado");
    assert_eq!(tor.bars.len(), 4);
    assert!(
        tor.bars
            .windows(2)
            .all(|w| (w[0].high - w[0].low).abs() >= (w[1].high - w[1].low).abs()),
        "largest swing first"
    );
    insta::assert_snapshot!("structure-metro-cost", common::structure(&h));
}

#[test]
fn user_templates_replace_the_built_in_ones() {
    let c = common::full(common::bundled().remove(1));
    let doc = document::scenario(&c).expect("charts draw");
    let render = |o: html::Overrides| {
        let r = html::Html { overrides: o };
        String::from_utf8(drplan::report::Renderer::render(&r, &doc).expect("renders")).unwrap()
    };

    // A style sheet alone: the built-in page with the user's CSS inlined.
    let css = render(html::Overrides {
        page: None,
        css: Some(".house-style { color: rebeccapurple }".into()),
    });
    assert!(css.contains(".house-style { color: rebeccapurple }"));
    assert!(
        !css.contains(
            html::DEFAULT_CSS
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap()
        )
    );

    // The documented example page renders every section, table and chart.
    let dir = std::path::Path::new("docs/templates/minimal");
    let page = render(html::Overrides::from_dir(dir).expect("example templates read"));
    assert!(page.contains("<h1 class=\"house-style\">"));
    assert!(
        page.contains(html::DEFAULT_CSS.trim()),
        "built-in CSS when report.css is absent"
    );
    for s in &doc.sections {
        assert!(
            page.contains(&format!("<section id=\"{}\">", s.id)),
            "{}",
            s.id
        );
    }
    let charts = doc
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter(|b| matches!(b, drplan::report::document::Block::Chart(_)))
        .count();
    assert!(charts > 0);
    assert_eq!(page.matches("<figure>").count(), charts);
    assert_eq!(
        page.matches("<svg").count(),
        html_of(&c).matches("<svg").count()
    );

    // A mistake in a user template is an error naming the line, not a panic.
    let err = drplan::report::Renderer::render(
        &html::Html {
            overrides: html::Overrides {
                page: Some("<h1>{{ doc.title }}</h1>\n{{ doc.no_such_field }}".into()),
                css: None,
            },
        },
        &doc,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn every_cluster_has_its_own_simulation_results() {
    use drplan::analysis::montecarlo::{SimOptions, simulate};
    let path = std::path::Path::new("tests/fixtures/valid/two-clusters.yaml");
    let s = drplan::model::load_file(path).expect("loads");
    let mut c = drplan::report::build::from_scenario(&s, None);
    let mut o = SimOptions::from_scenario(&s);
    o.trials = 2000;
    let sim = simulate(&s, &o);
    assert_eq!(sim.clusters.len(), 2);
    drplan::report::results::add_montecarlo(&mut c, &sim);
    let h = html_of(&c);
    for cluster in ["main", "billing"] {
        assert!(
            h.contains(&format!("By failure class, cluster `{cluster}`")),
            "{cluster} has its breakdown"
        );
    }
    // Two RTO and two RPO charts, each with its own id.
    for id in ["chart-rto", "chart-rpo", "chart-rto-1", "chart-rpo-1"] {
        assert_eq!(h.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
    }
    // billing (no standby, its Barman server in the same site) fares worse:
    // the targets table shows the cluster that does worst.
    let billing = &sim.clusters[1];
    let worst = format!("{:.2} h", billing.rto_hours.p95.expect("incidents").value);
    let start = h.find("Recovery targets").expect("targets table");
    assert!(h[start..].contains(&worst), "{worst} in the targets table");
}
