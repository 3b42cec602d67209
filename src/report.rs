//! What the author reads on the terminal: diagnostics (for people on stderr, or JSON lines on
//! stdout) and one-line summaries. Shared by the binary and `steppe serve`, so a rebuild's
//! messages look exactly like a build's.

use std::io::Write;

use crate::build::Timings;
use crate::diagnostics::{Diagnostic, Printer, Severity};

/// How messages are printed.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Colours in the caret snippets.
    pub color: bool,
    /// Diagnostics as JSON lines on stdout; the summary moves to stderr.
    pub json: bool,
}

/// Prints diagnostics: JSON lines on stdout, or for people on stderr. `quiet` leaves out notes
/// (it prints nothing but errors and warnings).
pub fn print_diagnostics(diagnostics: &[Diagnostic], quiet: bool, style: Style) {
    let shown = diagnostics
        .iter()
        .filter(|d| !(quiet && d.severity == Severity::Note));
    if style.json {
        let mut stdout = std::io::stdout().lock();
        for diagnostic in shown {
            let _ = writeln!(stdout, "{}", diagnostic.to_json());
        }
        return;
    }
    let mut stderr = std::io::stderr().lock();
    let mut printer = Printer::default();
    for diagnostic in shown {
        let _ = writeln!(stderr, "{}\n", printer.render(diagnostic, style.color));
    }
}

/// A line of the human summary: stdout normally, stderr when stdout carries JSON.
/// Write errors are ignored: a closed pipe must not kill a long-running `serve`.
pub fn say(style: Style, line: &str) {
    if style.json {
        let _ = writeln!(std::io::stderr(), "{line}");
    } else {
        let _ = writeln!(std::io::stdout(), "{line}");
    }
}

/// `timings: load 1.0 ms, parse …`, for `--timings` and `--verbose`.
pub fn timings_line(t: &Timings) -> String {
    format!(
        "timings: load {:.1} ms, parse {:.1} ms, resolve {:.1} ms, render {:.1} ms, search {:.1} ms, write {:.1} ms",
        ms(t.load),
        ms(t.parse),
        ms(t.resolve),
        ms(t.render),
        ms(t.search),
        ms(t.write)
    )
}

/// A duration in milliseconds, for summaries.
pub fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The plural ending of a count's noun: `1 page`, `2 pages`.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
