//! The PDF renderer (krilla): the document laid out on A4 pages
//! (`layout.rs`), real text in the embedded DejaVu Sans (searchable, copyable),
//! charts converted from SVG to PDF vector graphics, one bookmark per section.

mod layout;
mod text;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::num::NormalizedF32;
use krilla::paint::Fill;
use krilla::text::{Font, TextDirection};
use krilla_svg::{SurfaceExt, SvgSettings};

use super::document::Document;
use super::{Renderer, ReportError, fonts};
use layout::{Layout, Op, PAGE_H, PAGE_W};

/// Renders a [`Document`] as PDF.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pdf;

impl Renderer for Pdf {
    fn extension(&self) -> &'static str {
        "pdf"
    }

    fn render(&self, doc: &Document) -> Result<Vec<u8>, ReportError> {
        let err = |m: &str| ReportError::Pdf(m.to_string());
        let metrics = text::Metrics::new().ok_or_else(|| err("bundled font does not parse"))?;
        let layout = Layout::run(&metrics, doc);
        let regular =
            Font::new(fonts::SANS.into(), 0).ok_or_else(|| err("bundled font rejected"))?;
        let bold =
            Font::new(fonts::SANS_BOLD.into(), 0).ok_or_else(|| err("bundled font rejected"))?;
        let mut opts = usvg::Options::default();
        opts.fontdb_mut().load_font_data(fonts::SANS.to_vec());
        opts.fontdb_mut().load_font_data(fonts::SANS_BOLD.to_vec());
        opts.font_family = fonts::FAMILY.to_string();

        let mut pdf = krilla::Document::new();
        pdf.set_metadata(
            krilla::metadata::Metadata::new()
                .title(doc.title.clone())
                .creator("drplan".to_string())
                .language("en".to_string()),
        );
        let size = Size::from_wh(PAGE_W, PAGE_H).ok_or_else(|| err("page size"))?;
        for page in &layout.pages {
            let mut p = pdf.start_page_with(krilla::page::PageSettings::new(size));
            let mut s = p.surface();
            for op in &page.ops {
                match op {
                    Op::Text {
                        x,
                        y,
                        size,
                        bold: b,
                        color,
                        text,
                    } => {
                        s.set_fill(Some(fill(*color)));
                        let font = if *b { bold.clone() } else { regular.clone() };
                        s.draw_text(
                            Point::from_xy(*x, *y),
                            font,
                            *size,
                            text,
                            false,
                            TextDirection::Auto,
                        );
                    }
                    Op::Rect { x, y, w, h, color } => {
                        let mut pb = PathBuilder::new();
                        if let Some(r) = krilla::geom::Rect::from_xywh(*x, *y, *w, *h) {
                            pb.push_rect(r);
                        }
                        if let Some(path) = pb.finish() {
                            s.set_fill(Some(fill(*color)));
                            s.draw_path(&path);
                        }
                    }
                    Op::Svg { x, y, w, h, svg } => {
                        let tree = usvg::Tree::from_str(svg, &opts)
                            .map_err(|e| ReportError::Pdf(format!("chart SVG: {e}")))?;
                        let sz = Size::from_wh(*w, *h).ok_or_else(|| err("chart size"))?;
                        s.push_transform(&Transform::from_translate(*x, *y));
                        s.draw_svg(&tree, sz, SvgSettings::default());
                        s.pop();
                    }
                }
            }
            s.finish();
            p.finish();
        }
        let mut outline = krilla::outline::Outline::new();
        for (title, page, y) in &layout.marks {
            let dest =
                krilla::destination::XyzDestination::new(*page, Point::from_xy(0.0, *y - 20.0));
            outline.push_child(krilla::outline::OutlineNode::new(title.clone(), dest));
        }
        pdf.set_outline(outline);
        pdf.finish().map_err(|e| ReportError::Pdf(format!("{e:?}")))
    }
}

fn fill(c: layout::Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}
