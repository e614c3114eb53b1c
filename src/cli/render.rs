//! Rendering diagnostics for people: miette's graphical report with the file,
//! line:column, a snippet and the hint; colours only on a terminal.

use std::io::IsTerminal;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

/// Render a diagnostic the way drplan prints it on stderr.
pub fn render_diagnostic(d: &dyn Diagnostic) -> String {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    render_with(d, theme)
}

/// Render without colours (stable output for tests and logs).
pub fn render_plain(d: &dyn Diagnostic) -> String {
    render_with(d, GraphicalTheme::unicode_nocolor())
}

fn render_with(d: &dyn Diagnostic, theme: GraphicalTheme) -> String {
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    if handler.render_report(&mut out, d).is_err() {
        out = format!("error: {d}\n");
    }
    out
}
