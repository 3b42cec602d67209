//! Front matter as authors write it: every accepted form, and the exact message for every
//! mistake. `syntax` covers fences and the parsers' errors, `fields` the typed fields.

mod fields;
mod syntax;

use std::path::Path;

use super::*;
use crate::diagnostics::Diagnostic;

const TAXONOMIES: &[&str] = &["tags", "places"];

fn ok(text: &str) -> (FrontMatter, usize) {
    match parse(Path::new("content/a.md"), text, TAXONOMIES) {
        Ok(parsed) => parsed,
        Err(errors) => panic!("unexpected errors:\n{}", render(&errors)),
    }
}

fn errors(text: &str) -> String {
    match parse(Path::new("content/a.md"), text, TAXONOMIES) {
        Ok(parsed) => panic!("expected errors, got {parsed:?}"),
        Err(errors) => render(&errors),
    }
}

fn render(errors: &[Diagnostic]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn date(text: &str) -> Date {
    super::date::parse_date(text).unwrap_or_else(|| panic!("not a date: {text}"))
}
