//! Where a key or value is written. serde_yaml and toml give back trees without positions, so
//! a key's line is found again by scanning the block's lines: an unindented `key:` in YAML, a
//! `key =` before the first table or a `[key]` header in TOML. A value's position is the text
//! after the key's separator on the same line, when there is any.
//!
//! Only top-level keys are located: an error inside a nested value points at its key.

use crate::diagnostics::Location;

use super::fields::Checker;
use super::split::{Block, FIRST_INNER_LINE, Format, next_line};

/// Absolute byte span of the `nth` (0-based) line defining top-level `key` in the block.
///
/// YAML: an unindented `key:` (quotes allowed). TOML: `key =` or `key.x =` before the first
/// table header, or a header `[key]`, `[key.x]`, `[[key]]`.
pub(super) fn key_span(block: &Block, key: &str, nth: usize) -> Option<(usize, usize)> {
    let candidates = [key.to_string(), format!("\"{key}\""), format!("'{key}'")];
    let mut in_table = false;
    let mut found = 0;
    let mut offset = 0;
    for line in block.inner.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let hit = match block.format {
            Format::Yaml => candidates.iter().find_map(|c| {
                let rest = content.strip_prefix(c.as_str())?;
                let rest = rest.trim_start_matches([' ', '\t']).strip_prefix(':')?;
                (rest.is_empty() || rest.starts_with([' ', '\t'])).then_some((0, c.len()))
            }),
            Format::Toml => {
                let trimmed = content.trim_start();
                let indent = content.len() - trimmed.len();
                if let Some(header) = trimmed.strip_prefix('[') {
                    in_table = true;
                    let inner = header.strip_prefix('[').unwrap_or(header);
                    let inner_trimmed = inner.trim_start();
                    let key_start = indent + (trimmed.len() - inner_trimmed.len());
                    candidates.iter().find_map(|c| {
                        let rest = inner_trimmed.strip_prefix(c.as_str())?.trim_start();
                        (rest.starts_with(']') || rest.starts_with('.'))
                            .then_some((key_start, c.len()))
                    })
                } else if in_table {
                    None
                } else {
                    candidates.iter().find_map(|c| {
                        let rest = trimmed.strip_prefix(c.as_str())?.trim_start();
                        (rest.starts_with('=') || rest.starts_with('.'))
                            .then_some((indent, c.len()))
                    })
                }
            }
        };
        if let Some((column, len)) = hit {
            if found == nth {
                return Some((block.offset + line_start + column, len));
            }
            found += 1;
        }
    }
    None
}

impl Checker<'_> {
    /// The key as written, or the block's first line when it cannot be found.
    pub(super) fn key_location(&self, key: &str) -> Location {
        match key_span(self.block, key, 0) {
            Some((start, len)) => Location::from_offset(self.path, self.text, start, len),
            None => Location::from_line_column(self.path, self.text, FIRST_INNER_LINE, 1, 1),
        }
    }

    /// The value on the key's line, or the key when the value starts on a later line.
    pub(super) fn value_location(&self, key: &str) -> Location {
        match self.value_span(key) {
            Some((start, len)) => Location::from_offset(self.path, self.text, start, len),
            None => self.key_location(key),
        }
    }

    /// The value as written on the key's line (`{{date}}` of `created: {{date}}`), if it is there.
    pub(super) fn value_text(&self, key: &str) -> Option<&str> {
        self.value_span(key)
            .map(|(start, len)| &self.text[start..start + len])
    }

    /// Byte offset and length of the value on the key's line, without a trailing comment.
    fn value_span(&self, key: &str) -> Option<(usize, usize)> {
        let (start, len) = key_span(self.block, key, 0)?;
        let after_key = start + len;
        let (rest, _) = next_line(self.text, after_key);
        let separator = rest.find([':', '='])?;
        let after = &rest[separator + 1..];
        let value = after.split(" #").next().unwrap_or("").trim();
        if value.is_empty() || value.starts_with('#') {
            return None;
        }
        let lead = after.len() - after.trim_start().len();
        Some((after_key + separator + 1 + lead, value.len()))
    }
}
