//! `permalink`: the URL of a page chosen by its author, as Obsidian Publish and Quartz read it
//! (`permalink: notes/hello` is `/notes/hello/` below the base URL). The value becomes a folder
//! of the output, so it is checked here: a path on this site (no scheme, no `//` host), with no
//! `.` or `..` segment and only characters a URL path holds as they are.

use serde_json::Value as Json;

use crate::slug::slugify;

use super::fields::Checker;

const EXAMPLE: &str = "notes/my-page";

impl Checker<'_> {
    /// The permalink as a path below the base URL: no leading `/`, a trailing `/` unless it names
    /// an `.html` file.
    pub(super) fn permalink(&mut self, value: &Json) -> Option<String> {
        const KEY: &str = "permalink";
        let written = self.text_value(KEY, value)?;
        let path = written.trim();
        let format = self.block.format;
        let example = format.assign_text(KEY, EXAMPLE);
        if has_scheme(path) || path.starts_with("//") {
            self.error_at_value(
                KEY,
                format!("`permalink` must be a path on this site, not a URL: `{path}`"),
                format!("write the path below the site's base URL, e.g. `{example}`"),
            );
            return None;
        }
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        if segments.contains(&"..") {
            self.error_at_value(
                KEY,
                format!("`permalink` may not contain `..`: `{path}`"),
                format!("write the whole path from the site's root, e.g. `{example}`"),
            );
            return None;
        }
        // `permalink: /` makes the page the site's home page (Obsidian Publish's home note).
        if path == "/" {
            return Some(String::new());
        }
        if path.trim_matches('/').is_empty() {
            self.error_at_value(
                KEY,
                "`permalink` is empty".to_string(),
                format!(
                    "remove it to use the URL from the file's folder and name, or give a path \
                     such as `{example}`"
                ),
            );
            return None;
        }
        if segments.iter().any(|s| s.is_empty() || *s == ".") {
            self.error_at_value(
                KEY,
                format!("`permalink` has an empty segment: `{path}`"),
                format!("write one `/` between names, e.g. `{example}`"),
            );
            return None;
        }
        if let Some(bad) = path
            .chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || "-_.~/".contains(c)))
        {
            let suggestion: Vec<String> = segments.iter().map(|s| slugify(s)).collect();
            let suggestion = suggestion.join("/");
            let shown = if bad.is_whitespace() {
                "a space".to_string()
            } else {
                format!("`{bad}`")
            };
            self.error_at_value(
                KEY,
                format!("`permalink` has {shown}, which a URL path cannot hold as it is"),
                format!(
                    "use letters, digits, `-`, `_` and `.`, e.g. `{}`",
                    format.assign_text(KEY, &suggestion)
                ),
            );
            return None;
        }
        let joined = segments.join("/");
        Some(if joined.ends_with(".html") {
            joined
        } else {
            format!("{joined}/")
        })
    }
}

/// `https:`, `mailto:`, `javascript:`: a scheme before any `/`.
fn has_scheme(path: &str) -> bool {
    let head = path.split('/').next().unwrap_or("");
    head.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}
