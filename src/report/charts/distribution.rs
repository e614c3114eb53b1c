//! Histogram of a sampled quantity (share of incidents per bin) with its
//! empirical CDF on the same 0–100 % axis.

use plotters::prelude::*;

use super::{Chart, GRID, INK, PALETTE, Result, err, finish, register_fonts};
use crate::report::context::DistributionSummary;
use crate::report::fonts::FAMILY;

/// Histogram + ECDF of `d` (values in `unit`, e.g. "hours").
pub fn histogram_ecdf(id: &str, title: &str, unit: &str, d: &DistributionSummary) -> Result<Chart> {
    register_fonts();
    let (w, h) = (720u32, 300u32);
    let mut svg = String::new();
    let e = err(id);
    let total: u64 = d.counts.iter().sum();
    let share = |c: u64| {
        if total == 0 {
            0.0
        } else {
            100.0 * c as f64 / total as f64
        }
    };
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(&e)?;
        let xmin = d.edges.first().copied().unwrap_or(0.0);
        let xmax = d.edges.last().copied().unwrap_or(1.0).max(xmin + 1e-9);
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(xmin..xmax, 0f64..100.0)
            .map_err(&e)?;
        chart
            .configure_mesh()
            .light_line_style(GRID.mix(0.0))
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FAMILY, 12).into_font().color(&INK))
            .axis_desc_style((FAMILY, 13).into_font().color(&INK))
            .x_desc(unit.to_string())
            .y_desc("% of incidents")
            .draw()
            .map_err(&e)?;
        let blue = PALETTE[0];
        chart
            .draw_series(d.counts.iter().enumerate().filter_map(|(i, &c)| {
                let (a, b) = (*d.edges.get(i)?, *d.edges.get(i + 1)?);
                Some(Rectangle::new(
                    [(a, 0.0), (b, share(c))],
                    blue.mix(0.55).filled(),
                ))
            }))
            .map_err(&e)?
            .label("share per bin")
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 5), (x + 12, y + 5)], blue.mix(0.55).filled())
            });
        let mut acc = 0u64;
        let mut ecdf = vec![(xmin, 0.0)];
        for (i, &c) in d.counts.iter().enumerate() {
            acc += c;
            if let Some(&b) = d.edges.get(i + 1) {
                ecdf.push((b, share(acc)));
            }
        }
        let orange = PALETTE[5];
        chart
            .draw_series(LineSeries::new(ecdf, orange.stroke_width(2)))
            .map_err(&e)?
            .label("cumulative share (ECDF)")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], orange.stroke_width(2)));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::MiddleRight)
            .background_style(WHITE.mix(0.9))
            .border_style(GRID)
            .label_font((FAMILY, 12).into_font().color(&INK))
            .draw()
            .map_err(&e)?;
        root.present().map_err(&e)?;
    }
    let alt = format!(
        "Distribution over {} incidents: median {:.2}, p95 {:.2}, p99 {:.2}, max {:.2} {unit}.",
        d.count, d.p50, d.p95, d.p99, d.max
    );
    Ok(finish(id, title, &alt, svg, w, h))
}
