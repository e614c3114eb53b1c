//! Page layout: flow a [`Document`] onto A4 pages as simple drawing
//! operations (text runs, rectangles, lines, SVG charts). Tables repeat
//! their header after a page break; headings are kept with what follows.

use super::text::Metrics;
use crate::report::charts::Chart;
use crate::report::document::{Block, Document, Table};

/// A4 width in points.
pub const PAGE_W: f32 = 595.0;
/// A4 height in points.
pub const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 50.0;
const BOTTOM: f32 = PAGE_H - 60.0;
const WIDTH: f32 = PAGE_W - 2.0 * MARGIN;

/// An sRGB colour.
pub type Rgb = (u8, u8, u8);
const INK: Rgb = (33, 37, 41);
const MUTED: Rgb = (73, 80, 87);
const ACCENT: Rgb = (0, 114, 178);
const LINE: Rgb = (222, 226, 230);
const SOFT: Rgb = (248, 249, 250);
const OK: Rgb = (27, 122, 74);
const BAD: Rgb = (196, 30, 58);

/// One drawing operation, in points from the page's top-left corner.
#[derive(Debug, Clone)]
pub enum Op {
    /// Text whose baseline starts at (x, y).
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        color: Rgb,
        text: String,
    },
    /// A filled rectangle.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    /// A chart scaled into the box.
    Svg {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        svg: String,
    },
}

/// A laid-out page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// What to draw.
    pub ops: Vec<Op>,
}

/// A bookmark: section title, page index, y.
pub type Mark = (String, usize, f32);

/// Lays out a document.
pub struct Layout<'m> {
    m: &'m Metrics,
    /// Pages so far.
    pub pages: Vec<Page>,
    /// Section bookmarks.
    pub marks: Vec<Mark>,
    y: f32,
}

impl<'m> Layout<'m> {
    /// Lay out `doc`.
    pub fn run(m: &'m Metrics, doc: &Document) -> Self {
        let mut l = Self {
            m,
            pages: vec![Page::default()],
            marks: Vec::new(),
            y: MARGIN,
        };
        l.cover(doc);
        for (i, s) in doc.sections.iter().enumerate() {
            // Keep the heading with the start of its first block.
            let first = match s.blocks.first() {
                Some(Block::Chart(c)) => {
                    c.height as f32 * (WIDTH / c.width as f32).min(0.75) + 20.0
                }
                _ => 60.0,
            };
            l.need(40.0 + first);
            l.y += 14.0;
            l.marks
                .push((format!("{}. {}", i + 1, s.title), l.pages.len() - 1, l.y));
            l.text_block(
                &format!("{}. {}", i + 1, s.title),
                15.0,
                true,
                INK,
                0.0,
                WIDTH,
            );
            l.rect(MARGIN, l.y + 2.0, WIDTH, 0.8, LINE);
            l.y += 12.0;
            for b in &s.blocks {
                l.block(b);
            }
        }
        l.footers(&doc.title);
        l
    }

    fn op(&mut self, op: Op) {
        if let Some(p) = self.pages.last_mut() {
            p.ops.push(op);
        }
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        self.op(Op::Rect { x, y, w, h, color });
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, color: Rgb, text: &str) {
        self.op(Op::Text {
            x,
            y,
            size,
            bold,
            color,
            text: text.to_string(),
        });
    }

    /// Start a new page if less than `h` points are left.
    fn need(&mut self, h: f32) {
        if self.y + h > BOTTOM {
            self.pages.push(Page::default());
            self.y = MARGIN;
        }
    }

    /// Wrapped text at the cursor; returns nothing, moves the cursor.
    fn text_block(
        &mut self,
        text: &str,
        size: f32,
        bold: bool,
        color: Rgb,
        indent: f32,
        width: f32,
    ) {
        let lead = size * 1.35;
        for line in self.m.wrap(text, size, bold, width - indent) {
            self.need(lead);
            self.y += lead;
            self.text(
                MARGIN + indent,
                self.y - size * 0.3,
                size,
                bold,
                color,
                &line,
            );
        }
    }

    fn cover(&mut self, doc: &Document) {
        self.text_block(
            "DRPLAN · POSTGRESQL DISASTER-RECOVERY PLAN",
            8.0,
            true,
            ACCENT,
            0.0,
            WIDTH,
        );
        self.y += 4.0;
        self.text_block(&doc.title, 20.0, true, INK, 0.0, WIDTH);
        self.text_block(&doc.subtitle, 10.0, false, MUTED, 0.0, WIDTH);
        self.y += 8.0;
        self.text_block("CONTENTS", 8.0, true, MUTED, 0.0, WIDTH);
        for (i, s) in doc.sections.iter().enumerate() {
            self.text_block(
                &format!("{}. {}", i + 1, s.title),
                10.0,
                false,
                ACCENT,
                8.0,
                WIDTH,
            );
        }
        self.y += 8.0;
        self.rect(MARGIN, self.y, WIDTH, 2.0, ACCENT);
        self.y += 6.0;
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Heading(t) => {
                self.need(60.0);
                self.y += 6.0;
                self.text_block(t, 11.5, true, INK, 0.0, WIDTH);
            }
            Block::Paragraph(t) => {
                self.text_block(t, 9.5, false, INK, 0.0, WIDTH);
                self.y += 6.0;
            }
            Block::Notice(n) => {
                let (bar, color) = match n.kind {
                    "ok" => (OK, INK),
                    "warning" => (BAD, INK),
                    _ => ((173, 181, 189), MUTED),
                };
                let lines = self.m.wrap(&n.text, 9.0, n.kind == "ok", WIDTH - 20.0);
                let h = lines.len() as f32 * 12.5 + 10.0;
                self.need(h + 8.0);
                self.rect(MARGIN, self.y, WIDTH, h, SOFT);
                self.rect(MARGIN, self.y, 3.0, h, bar);
                let mut y = self.y + 5.0;
                for l in &lines {
                    y += 12.5;
                    self.text(MARGIN + 12.0, y - 3.0, 9.0, n.kind == "ok", color, l);
                }
                self.y += h + 8.0;
            }
            Block::Facts(facts) => self.facts(facts),
            Block::Table(t) => self.table(t),
            Block::Chart(c) => self.chart(c),
            Block::Links(links) => {
                for (label, file) in links {
                    self.text_block(
                        &format!("• {label}: {file}"),
                        9.5,
                        false,
                        ACCENT,
                        8.0,
                        WIDTH,
                    );
                }
                self.y += 6.0;
            }
        }
    }

    fn facts(&mut self, facts: &[(String, String)]) {
        let per_row = 3;
        let gap = 8.0;
        let w = (WIDTH - gap * (per_row as f32 - 1.0)) / per_row as f32;
        for row in facts.chunks(per_row) {
            let wrapped: Vec<(Vec<String>, Vec<String>)> = row
                .iter()
                .map(|(k, v)| {
                    (
                        self.m.wrap(k, 7.5, false, w - 12.0),
                        self.m.wrap(v, 10.0, true, w - 12.0),
                    )
                })
                .collect();
            let h = wrapped
                .iter()
                .map(|(k, v)| k.len() as f32 * 10.0 + v.len() as f32 * 13.0 + 10.0)
                .fold(0.0, f32::max);
            self.need(h + gap);
            for (i, (k, v)) in wrapped.iter().enumerate() {
                let x = MARGIN + i as f32 * (w + gap);
                self.rect(x, self.y, w, h, SOFT);
                let mut y = self.y + 4.0;
                for l in k {
                    y += 10.0;
                    self.text(x + 6.0, y - 2.0, 7.5, false, MUTED, l);
                }
                for l in v {
                    y += 13.0;
                    self.text(x + 6.0, y - 2.5, 10.0, true, INK, l);
                }
            }
            self.y += h + gap;
        }
    }

    /// Column widths: natural widths when they fit, otherwise shrink the
    /// widest columns first (water filling).
    fn widths(&self, t: &Table, size: f32) -> Vec<f32> {
        let n = t.headers.len().max(1);
        let pad = 8.0;
        let natural: Vec<f32> = (0..n)
            .map(|c| {
                let head = t
                    .headers
                    .get(c)
                    .map_or(0.0, |h| self.m.width(h, size, true));
                t.rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|cell| self.m.width(&cell.text, size, c == 0))
                    .fold(head, f32::max)
                    + pad
            })
            .collect();
        let total: f32 = natural.iter().sum();
        if total <= WIDTH {
            return natural.iter().map(|w| w * WIDTH / total).collect();
        }
        let mut widths = vec![0.0; n];
        let mut open: Vec<usize> = (0..n).collect();
        let mut left = WIDTH;
        loop {
            let cap = left / open.len() as f32;
            let (fit, wide): (Vec<usize>, Vec<usize>) =
                open.iter().partition(|&&c| natural[c] <= cap);
            if fit.is_empty() {
                for c in wide {
                    widths[c] = cap;
                }
                return widths;
            }
            for c in fit {
                widths[c] = natural[c];
                left -= natural[c];
            }
            open = wide;
            if open.is_empty() {
                return widths;
            }
        }
    }

    fn table(&mut self, t: &Table) {
        let size = 7.5;
        let lead = 10.0;
        let widths = self.widths(t, size);
        let wrap_row =
            |l: &Self, cells: &[String], bold_first: bool, all_bold: bool| -> Vec<Vec<String>> {
                cells
                    .iter()
                    .zip(&widths)
                    .enumerate()
                    .map(|(i, (c, w))| {
                        l.m.wrap(c, size, all_bold || (bold_first && i == 0), w - 8.0)
                    })
                    .collect()
            };
        let header = wrap_row(self, &t.headers, false, true);
        let header_h = header.iter().map(Vec::len).max().unwrap_or(1) as f32 * lead + 6.0;
        self.need(header_h + 40.0);
        self.y += 4.0;
        self.text_block(&t.caption, 9.0, true, INK, 0.0, WIDTH);
        self.y += 3.0;
        self.draw_row(&header, &widths, header_h, true, &[], &t.numeric);
        for row in &t.rows {
            let texts: Vec<String> = row.iter().map(|c| c.text.clone()).collect();
            let status: Vec<&str> = row.iter().map(|c| c.status).collect();
            let lines = wrap_row(self, &texts, true, false);
            let h = lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * lead + 6.0;
            if self.y + h > BOTTOM {
                self.need(BOTTOM);
                self.draw_row(&header, &widths, header_h, true, &[], &t.numeric);
            }
            self.draw_row(&lines, &widths, h, false, &status, &t.numeric);
        }
        self.y += 10.0;
    }

    fn draw_row(
        &mut self,
        cells: &[Vec<String>],
        widths: &[f32],
        h: f32,
        head: bool,
        status: &[&str],
        numeric: &[bool],
    ) {
        if head {
            self.rect(MARGIN, self.y, WIDTH, h, SOFT);
        }
        let mut x = MARGIN;
        for (i, (lines, w)) in cells.iter().zip(widths).enumerate() {
            let (color, bold) = match status.get(i).copied() {
                Some("met") => (OK, true),
                Some("breached") => (BAD, true),
                _ => (INK, head || i == 0),
            };
            let right = numeric.get(i).copied().unwrap_or(false);
            let mut y = self.y + 3.0;
            for l in lines {
                y += 10.0;
                let tx = if right {
                    x + w - 4.0 - self.m.width(l, 7.5, bold)
                } else {
                    x + 4.0
                };
                self.text(tx, y - 2.5, 7.5, bold, color, l);
            }
            x += w;
        }
        self.y += h;
        self.rect(
            MARGIN,
            self.y - 0.5,
            WIDTH,
            if head { 1.0 } else { 0.5 },
            if head { (173, 181, 189) } else { LINE },
        );
    }

    fn chart(&mut self, c: &Chart) {
        let scale = (WIDTH / c.width as f32).min(0.75);
        let (w, h) = (c.width as f32 * scale, c.height as f32 * scale);
        let caption = self.m.wrap(&c.alt, 7.5, false, WIDTH);
        self.need(h + 20.0 + caption.len() as f32 * 10.0);
        self.y += 4.0;
        let x = MARGIN + (WIDTH - w) / 2.0;
        self.op(Op::Svg {
            x,
            y: self.y,
            w,
            h,
            svg: c.svg.clone(),
        });
        self.y += h + 4.0;
        self.text_block(&c.title, 8.5, true, INK, 0.0, WIDTH);
        for l in caption {
            self.y += 10.0;
            self.text(MARGIN, self.y - 2.0, 7.5, false, MUTED, &l);
        }
        self.y += 10.0;
    }

    fn footers(&mut self, title: &str) {
        let n = self.pages.len();
        for (i, p) in self.pages.iter_mut().enumerate() {
            let label = format!("{title} · page {} of {n}", i + 1);
            p.ops.push(Op::Rect {
                x: MARGIN,
                y: PAGE_H - 42.0,
                w: WIDTH,
                h: 0.5,
                color: LINE,
            });
            let w = self.m.width(&label, 7.5, false);
            p.ops.push(Op::Text {
                x: PAGE_W - MARGIN - w,
                y: PAGE_H - 30.0,
                size: 7.5,
                bold: false,
                color: MUTED,
                text: label,
            });
        }
    }
}
