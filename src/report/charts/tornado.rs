//! Sensitivity tornado: for each input, the TCO at its low and high value
//! as a horizontal bar around the base TCO.

use plotters::prelude::*;

use super::{Chart, GRID, INK, PALETTE, Result, err, finish, register_fonts};
use crate::report::build::money;
use crate::report::context::Tornado;
use crate::report::fonts::FAMILY;

/// Horizontal bars, largest swing on top.
pub fn tornado(id: &str, currency: &str, t: &Tornado) -> Result<Chart> {
    register_fonts();
    let n = t.bars.len().max(1);
    let (w, h) = (720u32, 110 + 34 * n as u32);
    let mut svg = String::new();
    let e = err(id);
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(&e)?;
        let lo = t
            .bars
            .iter()
            .map(|b| b.low.min(b.high))
            .fold(t.base, f64::min);
        let hi = t
            .bars
            .iter()
            .map(|b| b.low.max(b.high))
            .fold(t.base, f64::max);
        let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.01).max(1.0);
        let labels: Vec<String> = t.bars.iter().map(|b| b.input.clone()).collect();
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(200)
            .build_cartesian_2d(lo - pad..hi + pad, (0u32..n as u32 - 1).into_segmented())
            .map_err(&e)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(GRID.mix(0.0))
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FAMILY, 12).into_font().color(&INK))
            .axis_desc_style((FAMILY, 13).into_font().color(&INK))
            .x_desc(format!("total cost of ownership, {currency}/yr"))
            .x_label_formatter(&|v| super::short(*v))
            .y_label_formatter(&|v| match v {
                // Largest swing first means top row: index from the top.
                SegmentValue::CenterOf(i) => n
                    .checked_sub(1 + *i as usize)
                    .and_then(|k| labels.get(k))
                    .cloned()
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(&e)?;
        for (k, b) in t.bars.iter().enumerate() {
            let row = (n - 1 - k) as u32;
            for (v, color) in [(b.low, PALETTE[0]), (b.high, PALETTE[5])] {
                let mut r = Rectangle::new(
                    [
                        (t.base, SegmentValue::Exact(row)),
                        (v, SegmentValue::Exact(row + 1)),
                    ],
                    color.filled(),
                );
                r.set_margin(6, 6, 0, 0);
                chart.draw_series(std::iter::once(r)).map_err(&e)?;
            }
        }
        for (label, color) in [
            ("input at its low value", PALETTE[0]),
            ("input at its high value", PALETTE[5]),
        ] {
            chart
                .draw_series(std::iter::empty::<Rectangle<(f64, SegmentValue<u32>)>>())
                .map_err(&e)?
                .label(label)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled())
                });
        }
        chart
            .draw_series(LineSeries::new(
                [
                    (t.base, SegmentValue::Exact(0)),
                    (t.base, SegmentValue::Exact(n as u32)),
                ],
                INK.stroke_width(1),
            ))
            .map_err(&e)?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(GRID)
            .label_font((FAMILY, 11).into_font().color(&INK))
            .draw()
            .map_err(&e)?;
        root.present().map_err(&e)?;
    }
    let alt = t
        .bars
        .iter()
        .map(|b| format!("{}: {} to {}", b.input, money(b.low), money(b.high)))
        .collect::<Vec<_>>()
        .join("; ");
    Ok(finish(
        id,
        "Sensitivity of total cost of ownership",
        &format!(
            "Tornado chart around a base of {} {currency}/yr (blue: input at its low value, orange: at its high value). {alt}.",
            money(t.base)
        ),
        svg,
        w,
        h,
    ))
}
