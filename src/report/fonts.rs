//! The bundled font (DejaVu Sans, see `assets/fonts/LICENSE-DejaVu.txt`):
//! charts measure text with it and the PDF embeds it, so no system font
//! configuration is ever read.

/// DejaVu Sans regular.
pub static SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans bold.
pub static SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
/// The family name charts ask for (matches the font's own name, so an SVG
/// reader with the font installed, and the PDF's font database, find it).
pub const FAMILY: &str = "DejaVu Sans";
