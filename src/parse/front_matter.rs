//! Front matter: YAML between `---` fences or TOML between `+++` fences, into typed fields.
//!
//! Errors point at the absolute line in the content file (the fence offset is added to the
//! YAML/TOML parser's own positions). Unknown keys are errors with a "did you mean" hint.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::diagnostics::Diagnostic;

/// A point in time from front matter. A date without a time is midnight UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub timestamp: jiff::Timestamp,
    /// False for a bare `2024-05-01`: templates then show the date only.
    pub has_time: bool,
}

impl Serialize for Date {
    /// Templates see RFC 3339 text: `2024-05-01T00:00:00Z`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.timestamp)
    }
}

/// A span of years; negative years are BCE (`-550` is 550 BCE). There is no year 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Era {
    pub start: i32,
    pub end: i32,
}

/// Everything front matter can say. Kind-specific fields are typed here and checked against the
/// page's kind by resolve.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    /// Replaces the last URL segment.
    pub slug: Option<String>,
    /// Other names of the page: old URLs (`/old/path/`) get redirect pages.
    pub aliases: Vec<String>,
    /// Sort order within a section, lower first. Default: none (sorted by date, then title).
    pub weight: Option<i64>,
    /// Template file overriding the kind's default (`page.html`).
    pub template: Option<String>,
    /// Page kind: `essay`, `case-study`, `checklist`, `note`.
    pub kind: Option<String>,
    /// Terms per taxonomy, `tags` included; only configured taxonomies are accepted.
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// Free-form values for templates.
    pub extra: serde_json::Value,

    // Section (`_index.md`) fields.
    /// Kind given to the pages of this section. Default: inherited, else `note`.
    pub page_kind: Option<String>,
    /// Items per page in this section's listing. Default: `pagination.per_page`.
    pub paginate_by: Option<usize>,
    /// How pages are ordered in this section: `date` (newest first), `weight`, `title`.
    pub sort_by: Option<String>,

    // Case study fields.
    pub era: Option<Era>,
    pub region: Option<String>,
    pub people: Vec<String>,
    /// Paths of strength pages the case illustrates (`@/checklists/adaptability.md` or a name).
    pub strengths: Vec<String>,
    pub sources: Vec<String>,

    /// 1-based absolute line of each top-level key, for diagnostics raised by later stages.
    #[serde(skip)]
    pub key_lines: BTreeMap<String, usize>,
}

/// Splits and parses the front matter of `text` (a whole content file at `path`).
/// Returns the front matter and the byte offset where the Markdown body starts.
/// `taxonomies` are the configured taxonomy names (`tags` included), accepted as keys.
pub fn parse(
    path: &Path,
    text: &str,
    taxonomies: &[&str],
) -> Result<(FrontMatter, usize), Vec<Diagnostic>> {
    let _ = (path, text, taxonomies);
    todo!("helper: front matter")
}
