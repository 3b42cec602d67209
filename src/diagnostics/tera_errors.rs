//! Tera's errors at the places they name, for both kinds of templates steppe compiles: the
//! theme's page templates (render) and shortcode templates (parse).
//!
//! Tera reports a syntax or rendering error as a report with a file name and a span, somewhere
//! in an error's chain; unknown filters, tests, functions and components come as a report
//! already rendered to text (`error: …` / `--> name:line:col` / carets) inside a message. Each
//! caller words its own diagnostic and hint from these pieces.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diagnostics::Location;
use crate::files::Template;

/// Each template's file and text by its name in Tera.
pub(crate) type Sources = HashMap<String, (PathBuf, String)>;

/// The [`Sources`] of `templates`.
pub(crate) fn sources<'a>(templates: impl IntoIterator<Item = &'a Template>) -> Sources {
    templates
        .into_iter()
        .map(|t| {
            (
                t.name.clone(),
                (t.source.path.clone(), t.source.text.to_string()),
            )
        })
        .collect()
}

/// What an error's chain holds.
pub(crate) enum Chain<'e> {
    /// A located report (`syntax`: a syntax error rather than a rendering one).
    Report {
        report: &'e tera::ReportError,
        syntax: bool,
    },
    /// No report: the messages of the chain, outermost first.
    Messages(Vec<String>),
}

/// The first located report in `error`'s chain, else its messages.
pub(crate) fn chain(error: &tera::Error) -> Chain<'_> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    let mut messages = Vec::new();
    while let Some(e) = current {
        if let Some(tera_error) = e.downcast_ref::<tera::Error>() {
            match tera_error.kind() {
                tera::ErrorKind::SyntaxError(report) => {
                    return Chain::Report {
                        report,
                        syntax: true,
                    };
                }
                tera::ErrorKind::RenderingError(report) => {
                    return Chain::Report {
                        report,
                        syntax: false,
                    };
                }
                kind => messages.push(kind.to_string()),
            }
        } else {
            messages.push(e.to_string());
        }
        current = e.source();
    }
    Chain::Messages(messages)
}

/// Where `report` points, when its file is one of `sources`.
pub(crate) fn report_location(sources: &Sources, report: &tera::ReportError) -> Option<Location> {
    let span = report.span();
    sources.get(report.filename()).map(|(path, text)| {
        let len = if span.end_line == span.start_line {
            span.end_col.saturating_sub(span.start_col).max(1)
        } else {
            1
        };
        Location::from_line_column(path, text, span.start_line, span.start_col + 1, len)
    })
}

/// A report Tera rendered as text inside `text`: its message and place.
pub(crate) fn prerendered<'t>(sources: &Sources, text: &'t str) -> Option<(&'t str, Location)> {
    let mut lines = text.lines().map(str::trim);
    let message = lines.find_map(|l| l.strip_prefix("error: "))?;
    let place = lines.next()?.strip_prefix("--> ")?;
    let mut parts = place.rsplitn(3, ':');
    let column: usize = parts.next()?.parse().ok()?;
    let line: usize = parts.next()?.parse().ok()?;
    let (path, source) = sources.get(parts.next()?)?;
    let len = lines
        .find(|l| l.contains('^'))
        .map_or(1, |l| l.matches('^').count());
    Some((
        message,
        Location::from_line_column(path, source, line, column, len),
    ))
}
