//! Stacked bars of yearly cost by category, one bar per scenario.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Chart, GRID, INK, PALETTE, Result, err, finish, register_fonts};
use crate::report::fonts::FAMILY;

/// One bar: a label and an amount per category (same order as `categories`).
pub type Bar = (String, Vec<f64>);

/// Stacked vertical bars; `categories` name the stack layers.
pub fn stacked_costs(
    id: &str,
    currency: &str,
    categories: &[String],
    bars: &[Bar],
) -> Result<Chart> {
    register_fonts();
    let (w, h) = (720u32, 320u32);
    let mut svg = String::new();
    let e = err(id);
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(&e)?;
        // Headroom above the tallest bar for its label and the legend.
        let ymax = bars
            .iter()
            .map(|(_, v)| v.iter().sum::<f64>())
            .fold(0.0, f64::max)
            * 1.5;
        let ymax = if ymax > 0.0 { ymax } else { 1.0 };
        let n = bars.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(12)
            .y_label_area_size(64)
            .build_cartesian_2d(0f64..n, 0f64..ymax)
            .map_err(&e)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .light_line_style(GRID.mix(0.0))
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FAMILY, 12).into_font().color(&INK))
            .axis_desc_style((FAMILY, 13).into_font().color(&INK))
            .y_desc(format!("{currency} per year"))
            .y_label_formatter(&|v| super::short(*v))
            .draw()
            .map_err(&e)?;
        // Bars take 40 % of their slot, whatever their number.
        let (left, right) = (0.3, 0.7);
        for (ci, cat) in categories.iter().enumerate() {
            let color = PALETTE[ci % PALETTE.len()];
            let rects = bars.iter().enumerate().map(|(bi, (_, v))| {
                let base: f64 = v[..ci.min(v.len())].iter().sum();
                let top = base + v.get(ci).copied().unwrap_or(0.0);
                let x = bi as f64;
                Rectangle::new([(x + left, base), (x + right, top)], color.filled())
            });
            chart
                .draw_series(rects)
                .map_err(&e)?
                .label(cat.clone())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled())
                });
        }
        // Name and total above each bar.
        let label_style = (FAMILY, 13)
            .into_font()
            .color(&INK)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        chart
            .draw_series(bars.iter().enumerate().map(|(bi, (name, v))| {
                let total: f64 = v.iter().sum();
                Text::new(
                    format!("{name}: {}", crate::report::build::money(total)),
                    (bi as f64 + 0.5, total + ymax * 0.01),
                    label_style.clone(),
                )
            }))
            .map_err(&e)?;
        // The legend goes above the shorter of the two outer bars.
        let total = |b: Option<&Bar>| b.map_or(0.0, |(_, v)| v.iter().sum::<f64>());
        let corner = if bars.len() > 1 && total(bars.first()) < total(bars.last()) {
            SeriesLabelPosition::UpperLeft
        } else {
            SeriesLabelPosition::UpperRight
        };
        chart
            .configure_series_labels()
            .position(corner)
            .background_style(WHITE.mix(0.9))
            .border_style(GRID)
            .label_font((FAMILY, 12).into_font().color(&INK))
            .draw()
            .map_err(&e)?;
        root.present().map_err(&e)?;
    }
    let alt = bars
        .iter()
        .map(|(l, v)| {
            let parts: Vec<String> = categories
                .iter()
                .zip(v)
                .filter(|(_, x)| **x > 0.0)
                .map(|(c, x)| format!("{c} {}", crate::report::build::money(*x)))
                .collect();
            format!(
                "{l}: {} {currency} per year ({})",
                crate::report::build::money(v.iter().sum()),
                parts.join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Ok(finish(
        id,
        "Yearly cost by category",
        &format!("Stacked bars. {alt}."),
        svg,
        w,
        h,
    ))
}
