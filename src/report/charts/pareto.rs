//! Pareto scatter: yearly cost against expected yearly loss, one point per
//! scenario, the Pareto-optimal ones highlighted and joined.

use plotters::prelude::*;

use super::{Chart, GRID, INK, PALETTE, Result, err, finish, register_fonts};
use crate::report::build::money;
use crate::report::fonts::FAMILY;

/// A scenario's position.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Scenario name.
    pub name: String,
    /// Cost per year.
    pub cost: f64,
    /// Expected loss per year.
    pub loss: f64,
    /// Whether no other scenario is cheaper and safer.
    pub optimal: bool,
}

/// Scatter of cost (x) against expected loss (y).
pub fn pareto(id: &str, currency: &str, points: &[Point]) -> Result<Chart> {
    register_fonts();
    let (w, h) = (720u32, 360u32);
    let mut svg = String::new();
    let e = err(id);
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(&e)?;
        let xmax = points.iter().map(|p| p.cost).fold(0.0, f64::max).max(1.0) * 1.15;
        let ymax = points.iter().map(|p| p.loss).fold(0.0, f64::max).max(1.0) * 1.15;
        let mut chart = ChartBuilder::on(&root)
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(0f64..xmax, 0f64..ymax)
            .map_err(&e)?;
        chart
            .configure_mesh()
            .light_line_style(GRID.mix(0.0))
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FAMILY, 12).into_font().color(&INK))
            .axis_desc_style((FAMILY, 13).into_font().color(&INK))
            .x_desc(format!("cost of the layout, {currency}/yr"))
            .y_desc(format!("expected loss, {currency}/yr"))
            .x_label_formatter(&|v| super::short(*v))
            .y_label_formatter(&|v| super::short(*v))
            .draw()
            .map_err(&e)?;
        let mut front: Vec<(f64, f64)> = points
            .iter()
            .filter(|p| p.optimal)
            .map(|p| (p.cost, p.loss))
            .collect();
        front.sort_by(|a, b| a.0.total_cmp(&b.0));
        chart
            .draw_series(LineSeries::new(front, PALETTE[2].stroke_width(2)))
            .map_err(&e)?;
        for p in points {
            let color = if p.optimal { PALETTE[2] } else { PALETTE[0] };
            let label = format!("{}{}", p.name, if p.optimal { " (optimal)" } else { "" });
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((p.cost, p.loss))
                        + Circle::new((0, 0), 6, color.filled())
                        + Text::new(label, (9, -16), (FAMILY, 13).into_font().color(&INK)),
                ))
                .map_err(&e)?;
        }
        root.present().map_err(&e)?;
    }
    let alt = points
        .iter()
        .map(|p| {
            format!(
                "{}: cost {}, expected loss {}{}",
                p.name,
                money(p.cost),
                money(p.loss),
                if p.optimal { ", Pareto-optimal" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Ok(finish(
        id,
        "Cost against expected loss",
        &format!("Scatter, {currency} per year. {alt}."),
        svg,
        w,
        h,
    ))
}
