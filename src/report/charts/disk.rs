//! Disk projection of one tier: used bytes over time as an area, with the
//! peak, the recommended volume and the configured volume marked.

use plotters::prelude::*;

use super::{ALERT, Chart, GRID, INK, PALETTE, Result, err, finish, register_fonts};
use crate::report::context::DiskCurve;
use crate::report::fonts::FAMILY;

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// Area chart of a tier's used storage (GiB) against days.
pub fn disk_projection(id: &str, curve: &DiskCurve) -> Result<Chart> {
    register_fonts();
    let (w, h) = (720u32, 300u32);
    let mut svg = String::new();
    let e = err(id);
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(&e)?;
        let xmax = curve.points.last().map_or(1.0, |p| p.0).max(1.0);
        let marks = [
            Some(curve.peak as f64),
            Some(curve.recommended as f64),
            curve.configured.map(|c| c as f64),
        ];
        let ymax = curve
            .points
            .iter()
            .map(|p| p.1)
            .chain(marks.iter().flatten().copied())
            .fold(0.0, f64::max)
            / GIB
            * 1.08;
        let ymax = if ymax > 0.0 { ymax } else { 1.0 };
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(36)
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
            .x_desc("days from start")
            .y_desc("GiB used")
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| super::short(*v))
            .draw()
            .map_err(&e)?;
        let blue = PALETTE[0];
        chart
            .draw_series(
                AreaSeries::new(
                    curve.points.iter().map(|&(d, b)| (d, b / GIB)),
                    0.0,
                    blue.mix(0.25),
                )
                .border_style(blue.stroke_width(2)),
            )
            .map_err(&e)?
            .label("used")
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 5), (x + 16, y + 5)], blue.mix(0.4).filled())
            });
        let mut line = |v: f64, color: RGBColor, label: &str| -> Result<()> {
            let style = color.stroke_width(2);
            chart
                .draw_series(DashedLineSeries::new(
                    [(0.0, v / GIB), (xmax, v / GIB)],
                    8,
                    5,
                    style,
                ))
                .map_err(&e)?
                .label(label.to_string())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], style));
            Ok(())
        };
        line(curve.peak as f64, PALETTE[5], "peak")?;
        line(curve.recommended as f64, PALETTE[2], "recommended volume")?;
        if let Some(c) = curve.configured {
            let color = if c < curve.peak { ALERT } else { INK };
            line(c as f64, color, "configured volume")?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(GRID)
            .label_font((FAMILY, 12).into_font().color(&INK))
            .draw()
            .map_err(&e)?;
        root.present().map_err(&e)?;
    }
    let alt = format!(
        "Projected storage of tier {} over {:.0} days: peak {:.1} GiB, recommended volume {:.1} GiB{}.",
        curve.tier,
        curve.points.last().map_or(0.0, |p| p.0),
        curve.peak as f64 / GIB,
        curve.recommended as f64 / GIB,
        curve
            .configured
            .map(|c| format!(", configured volume {:.1} GiB", c as f64 / GIB))
            .unwrap_or_default()
    );
    Ok(finish(
        id,
        &format!("Disk projection: {}", curve.tier),
        &alt,
        svg,
        w,
        h,
    ))
}
