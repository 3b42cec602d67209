//! Front matter as authors write it: every accepted form, and the exact message for every
//! mistake. `syntax` covers fences and the parsers' errors, `fields` the typed fields, `notes`
//! front matter as note-taking tools write it (free-form properties, Obsidian's shapes).

mod fields;
mod notes;
mod syntax;

use std::path::Path;

use super::*;
use crate::diagnostics::Diagnostic;

/// A site with a second taxonomy, reading unknown keys as page properties (the default).
const RULES: Rules<'static> = Rules {
    taxonomies: &["tags", "places"],
    strict: false,
};

/// The same site with `[content] strict_front_matter = true`.
const STRICT: Rules<'static> = Rules {
    strict: true,
    ..RULES
};

fn ok(text: &str) -> (FrontMatter, usize) {
    match parse(Path::new("content/a.md"), text, &RULES) {
        Ok(parsed) => parsed,
        Err(errors) => panic!("unexpected errors:\n{}", render(&errors)),
    }
}

fn errors(text: &str) -> String {
    errors_with(text, &RULES)
}

fn strict_errors(text: &str) -> String {
    errors_with(text, &STRICT)
}

fn errors_with(text: &str, rules: &Rules) -> String {
    match parse(Path::new("content/a.md"), text, rules) {
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
