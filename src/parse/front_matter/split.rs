//! Finding the front matter block: which fence opens the file, where the block ends, and where
//! the Markdown body starts. Everything after this works on the [`Block`] it returns, whose
//! offset turns the parsers' block-relative positions into positions in the file.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Location};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Yaml,
    Toml,
}

impl Format {
    pub(super) fn fence(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
        }
    }

    /// `key: value` or `key = value`, for hints.
    pub(super) fn assign(self, key: &str, value: &str) -> String {
        match self {
            Format::Yaml => format!("{key}: {value}"),
            Format::Toml => format!("{key} = {value}"),
        }
    }

    /// `key: text` or `key = "text"`: a text value as the format writes it plainly, for hints.
    pub(super) fn assign_text(self, key: &str, text: &str) -> String {
        match self {
            Format::Yaml => format!("{key}: {text}"),
            Format::Toml => format!("{key} = {text:?}"),
        }
    }

    /// A list literal of text items, for hints.
    pub(super) fn list(self, items: &[&str]) -> String {
        match self {
            Format::Yaml => format!("[{}]", items.join(", ")),
            Format::Toml => {
                let quoted: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
                format!("[{}]", quoted.join(", "))
            }
        }
    }

    /// A text value, for hints.
    pub(super) fn text(self, value: &str) -> String {
        format!("{value:?}")
    }

    /// Where free-form values go, for hints.
    pub(super) fn extra(self) -> &'static str {
        match self {
            Format::Yaml => "`extra:`",
            Format::Toml => "an `[extra]` table",
        }
    }
}

/// The front matter block of a file.
pub(super) struct Block<'a> {
    pub(super) format: Format,
    /// The text between the fence lines.
    pub(super) inner: &'a str,
    /// Byte offset of `inner` in the file.
    pub(super) offset: usize,
    /// Byte offset in the file where the Markdown body starts.
    pub(super) body: usize,
}

/// The fence is always line 1, so the block's own line 1 is line 2 of the file.
pub(super) const FIRST_INNER_LINE: usize = 2;

pub(super) fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// Finds the front matter block, if the file has one.
pub(super) fn split<'a>(path: &Path, text: &'a str) -> Result<Option<Block<'a>>, Vec<Diagnostic>> {
    let start = bom_len(text);
    let (first, inner_start) = next_line(text, start);
    let format = match first.trim_end() {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => return Ok(None),
    };
    let mut pos = inner_start;
    while pos < text.len() {
        let (line, next) = next_line(text, pos);
        if line.trim_end() == format.fence() {
            return Ok(Some(Block {
                format,
                inner: &text[inner_start..pos],
                offset: inner_start,
                body: next,
            }));
        }
        pos = next;
    }
    // The fence is shown without the invisible BOM, at column 1.
    let mut location = Location::from_offset(path, text, start, 3);
    location.column = 1;
    location.line_text = first.into();
    Err(vec![
        Diagnostic::error("front matter is not closed")
            .at(location)
            .with_hint(format!(
                "end it with a line containing only `{}`",
                format.fence()
            )),
    ])
}

/// The line starting at byte `start`, without its line ending, and the offset of the next line.
pub(super) fn next_line(text: &str, start: usize) -> (&str, usize) {
    let rest = text.get(start..).unwrap_or("");
    match rest.find('\n') {
        Some(i) => (rest[..i].trim_end_matches('\r'), start + i + 1),
        None => (rest, text.len()),
    }
}
