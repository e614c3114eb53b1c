//! SVG charts drawn with plotters, measured with the bundled font. Each
//! function takes plain data from the report context and returns a
//! [`Chart`]: an accessible SVG (`role="img"`, `<title>`, `<desc>`).

mod cost;
mod disk;
mod distribution;
pub mod pareto;
mod topology;
mod tornado;

use std::sync::Once;

use plotters::style::{FontStyle, RGBColor};

pub use cost::stacked_costs;
pub use disk::disk_projection;
pub use distribution::histogram_ecdf;
pub use pareto::pareto;
pub use topology::topology;
pub use tornado::tornado;

use super::fonts;

/// A chart ready to inline.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Chart {
    /// Unique id in the document (used for `<title>` ids and tests).
    pub id: String,
    /// Short title.
    pub title: String,
    /// Text alternative: what the chart shows, in words.
    pub alt: String,
    /// The SVG markup.
    pub svg: String,
    /// Width in px.
    pub width: u32,
    /// Height in px.
    pub height: u32,
}

/// Drawing failed (plotters error text).
#[derive(Debug, thiserror::Error)]
#[error("chart `{chart}`: {message}")]
pub struct ChartError {
    /// Chart id.
    pub chart: String,
    /// What went wrong.
    pub message: String,
}

/// Result of drawing a chart.
pub type Result<T> = std::result::Result<T, ChartError>;

/// Palette (colour-blind safe, Okabe-Ito).
pub(crate) const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
];
/// Text and axes.
pub(crate) const INK: RGBColor = RGBColor(33, 37, 41);
/// Grid lines.
pub(crate) const GRID: RGBColor = RGBColor(222, 226, 230);
/// Alarm colour (SPOFs, breached limits).
pub(crate) const ALERT: RGBColor = RGBColor(196, 30, 58);

static FONTS: Once = Once::new();

/// Register the bundled font with plotters (once per process).
pub(crate) fn register_fonts() {
    FONTS.call_once(|| {
        // The bytes are compiled in and known to parse; an error here would
        // only make plotters fall back to its own measuring failure later.
        let _ = plotters::style::register_font(fonts::FAMILY, FontStyle::Normal, fonts::SANS);
        let _ = plotters::style::register_font(fonts::FAMILY, FontStyle::Bold, fonts::SANS_BOLD);
    });
}

/// Map a plotters error into a [`ChartError`].
pub(crate) fn err<E: std::fmt::Display>(chart: &str) -> impl Fn(E) -> ChartError + '_ {
    move |e| ChartError {
        chart: chart.to_string(),
        message: e.to_string(),
    }
}

/// Make a plotters SVG accessible and responsive: `role="img"`,
/// `aria-labelledby`, a `<title>` and a `<desc>`.
pub(crate) fn finish(id: &str, title: &str, alt: &str, svg: String, w: u32, h: u32) -> Chart {
    let open_end = svg.find('>').unwrap_or(0);
    let (head, rest) = svg.split_at(open_end);
    let head = head.replacen(
        "<svg ",
        &format!(
            "<svg id=\"{id}\" class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" "
        ),
        1,
    );
    let rest = rest.strip_prefix('>').unwrap_or(rest);
    let svg = format!(
        "{head}>\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>{rest}",
        escape(title),
        escape(alt)
    );
    Chart {
        id: id.to_string(),
        title: title.to_string(),
        alt: alt.to_string(),
        svg,
        width: w,
        height: h,
    }
}

/// Escape text for XML.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A short human number for axis labels (1.2k, 3.4M).
pub(crate) fn short(v: f64) -> String {
    let a = v.abs();
    let (d, suf) = if a >= 1e9 {
        (1e9, "G")
    } else if a >= 1e6 {
        (1e6, "M")
    } else if a >= 1e3 {
        (1e3, "k")
    } else {
        (1.0, "")
    };
    let x = v / d;
    if (x - x.round()).abs() < 1e-9 {
        format!("{:.0}{suf}", x)
    } else {
        format!("{x:.1}{suf}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_adds_accessible_title_and_role() {
        let c = finish(
            "c1",
            "Disk <use>",
            "A & B",
            "<svg width=\"10\" height=\"10\" xmlns=\"x\"><rect/></svg>".into(),
            10,
            10,
        );
        assert!(
            c.svg
                .starts_with("<svg id=\"c1\" class=\"chart\" role=\"img\"")
        );
        assert!(
            c.svg
                .contains("<title id=\"c1-title\">Disk &lt;use&gt;</title>")
        );
        assert!(
            c.svg
                .contains("<desc id=\"c1-desc\">A &amp; B</desc><rect/>")
        );
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short(0.0), "0");
        assert_eq!(short(1500.0), "1.5k");
        assert_eq!(short(2_000_000.0), "2M");
        assert_eq!(short(-3.26), "-3.3");
    }
}
