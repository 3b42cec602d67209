//! Front matter: YAML between `---` fences or TOML between `+++` fences, into typed fields.
//!
//! Parsing happens in three steps, each of which collects diagnostics instead of stopping:
//!
//! 1. **Split** (`split.rs`). The first line of the file (after an optional UTF-8 BOM) decides
//!    the format: `---` is YAML, `+++` is TOML, anything else means the file has no front
//!    matter. The block ends at the next line holding only the same fence; CRLF line endings are
//!    accepted. The byte offset after the closing fence line is where the Markdown body starts.
//! 2. **Syntax** (`yaml.rs`, `toml.rs`). The block is parsed by serde_yaml or toml into a
//!    generic tree. A syntax error (tabs, bad indentation, an unclosed quote, a duplicate key) is
//!    reported at its absolute line in the content file: the parsers count lines from the start
//!    of the block, so the fence offset is added. Cryptic parser messages are replaced by plain
//!    ones with a hint.
//! 3. **Fields** (`fields.rs`, with `date.rs`, `era.rs`, `lists.rs` and `permalink.rs`). Both
//!    formats are converted to the same JSON-like tree and each top-level key is checked on its
//!    own, so *every* wrong key and *every* wrongly typed value is reported, not only the first.
//!    The parsers' trees carry no positions, so positions of keys and values are found again by
//!    scanning the block's lines (`position.rs`); a value's error points at the value when it
//!    sits on the key's line, else at the key.
//!
//! Front matter is read as note-takers write it: a key steppe does not know is a page property
//! offered to templates in `page.extra` (`properties.rs`), unless it is a near miss of a field
//! or `[content] strict_front_matter` is on; Obsidian's shapes of `aliases`, `tags`,
//! `cssclasses`, dates and `publish` are accepted. Nothing here panics on any input: every index
//! is checked and every parser error is mapped.

mod date;
mod depth;
mod era;
mod fields;
mod lists;
mod permalink;
mod position;
mod properties;
mod split;
#[cfg(test)]
mod tests;
mod toml;
mod yaml;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::diagnostics::Diagnostic;

pub(crate) use date::Date;
pub(crate) use era::Era;
pub(crate) use toml::to_json as toml_to_json;
pub(crate) use yaml::document as yaml_document;

/// Everything front matter can say. Kind-specific fields are typed here and checked against the
/// page's kind by resolve.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FrontMatter {
    /// Title; defaults to the file name.
    pub title: Option<String>,
    /// One sentence for listings, feeds and meta tags.
    pub description: Option<String>,
    /// Publication date: `2024-05-01`, a date and time (`2024-05-01 14:30`, with or without an
    /// offset such as `+02:00`), or milliseconds since 1970 as note tools export it.
    pub date: Option<Date>,
    /// Date of the last significant change.
    pub updated: Option<Date>,
    /// Left out of builds unless `--drafts` is given; `publish: false` sets it too.
    pub draft: bool,
    /// `false` keeps the note out of the site exactly like `draft: true` (Obsidian Publish's
    /// property).
    pub publish: Option<bool>,
    /// Replaces the last URL segment.
    pub slug: Option<String>,
    /// The page's whole URL below the base, as Obsidian Publish and Quartz read it:
    /// `notes/hello` is `/notes/hello/`. Replaces the URL from the folder and file name.
    pub permalink: Option<String>,
    /// Other names of the page, one name or a list. An entry starting with `/` is an old URL
    /// that redirects here; any other is a name wikilinks may use, and redirects from its slug
    /// beside the page when no other page has that URL.
    pub aliases: Vec<String>,
    /// Classes for the page's `<article>` element (Obsidian's `cssclasses`), one or a list.
    pub cssclasses: Vec<String>,
    /// Sort order within a section, lower first. Default: none (sorted by date, then title).
    pub weight: Option<i64>,
    /// Template file overriding the kind's default (`page.html`).
    pub template: Option<String>,
    /// What the page is; chooses its template and the fields it needs.
    /// Default: the section's `page_kind`.
    pub kind: Option<PageKind>,
    /// Terms per taxonomy, `tags` included; only configured taxonomies are accepted. `tags`
    /// may be one text (`tags: history, war`); a leading `#` is dropped and `area/history` is a
    /// nested tag.
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// Free-form values for templates (`page.extra`). Every key steppe does not know is added
    /// here too; a value written under `extra` wins over such a key of the same name.
    pub extra: serde_json::Value,

    // Section (`_index.md`) fields.
    /// Kind given to the pages of this section. Default: inherited, else `note`.
    pub page_kind: Option<PageKind>,
    /// Items per page in this section's listing. Default: `pagination.per_page`.
    pub paginate_by: Option<usize>,
    /// How pages are ordered in this section; `date` is newest first. Default: `date`.
    pub sort_by: Option<SortOrder>,

    // Case study fields.
    /// Years covered: `{start: -550, end: -330}`; negative years are BCE. Required for case studies.
    pub era: Option<Era>,
    /// Where it happened.
    pub region: Option<String>,
    /// People involved.
    pub people: Vec<String>,
    /// Paths of strength pages the case illustrates (`@/checklists/adaptability.md` or a name).
    pub strengths: Vec<String>,
    /// Books and articles the page draws on.
    pub sources: Vec<String>,

    /// 1-based absolute line of each top-level key, for diagnostics raised by later stages.
    #[serde(skip)]
    pub key_lines: BTreeMap<String, usize>,
    /// Notes about fields left unset because they hold a note template's placeholder
    /// (`date: {{date}}`); the parse stage hands them on with the body's diagnostics.
    #[serde(skip)]
    pub notes: Vec<Diagnostic>,
}

/// What a page is; chooses its template and which front matter fields it must have. Templates
/// see its kebab-case name (`case-study`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageKind {
    Essay,
    CaseStudy,
    Checklist,
    Note,
}

impl PageKind {
    /// Every kind, in the order documentation lists them.
    pub(crate) const ALL: [PageKind; 4] = [
        PageKind::Essay,
        PageKind::CaseStudy,
        PageKind::Checklist,
        PageKind::Note,
    ];

    /// The name authors write and templates see.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            PageKind::Essay => "essay",
            PageKind::CaseStudy => "case-study",
            PageKind::Checklist => "checklist",
            PageKind::Note => "note",
        }
    }
}

/// How a section orders its pages (`sort_by`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SortOrder {
    /// Newest first; undated pages last, by weight, then title.
    #[default]
    Date,
    /// Lowest `weight` first; pages without one last, then by title.
    Weight,
    /// By title, case-insensitively.
    Title,
}

impl SortOrder {
    /// Every order, in the order documentation lists them.
    pub(crate) const ALL: [SortOrder; 3] = [SortOrder::Date, SortOrder::Weight, SortOrder::Title];

    /// The name authors write.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SortOrder::Date => "date",
            SortOrder::Weight => "weight",
            SortOrder::Title => "title",
        }
    }
}

/// Keys every content file may use, besides the configured taxonomy names.
pub(crate) const KNOWN_FIELDS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "publish",
    "slug",
    "permalink",
    "aliases",
    "cssclasses",
    "weight",
    "template",
    "kind",
    "extra",
    "page_kind",
    "paginate_by",
    "sort_by",
    "era",
    "region",
    "people",
    "strengths",
    "sources",
];

/// What a site accepts in front matter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rules<'a> {
    /// The configured taxonomy names (`tags` included), accepted as keys holding terms.
    pub taxonomies: &'a [&'a str],
    /// Unknown keys are errors instead of page properties (`[content] strict_front_matter`).
    pub strict: bool,
}

/// Splits and parses the front matter of `text` (a whole content file at `path`).
/// Returns the front matter and the byte offset where the Markdown body starts.
///
/// All problems are returned together, sorted by position.
pub fn parse(
    path: &Path,
    text: &str,
    rules: &Rules<'_>,
) -> Result<(FrontMatter, usize), Vec<Diagnostic>> {
    let block = match split::split(path, text) {
        Ok(Some(block)) => block,
        Ok(None) => return Ok((FrontMatter::default(), split::bom_len(text))),
        Err(errors) => return Err(errors),
    };
    let entries = match block.format {
        split::Format::Yaml => yaml::entries(path, text, &block),
        split::Format::Toml => toml::entries(path, text, &block),
    }?;
    let mut checker = fields::Checker::new(path, text, &block);
    let front = checker.fields(entries, rules);
    let mut errors = checker.errors;
    if errors.is_empty() {
        Ok((front, block.body))
    } else {
        crate::diagnostics::sort_and_dedup(&mut errors);
        Err(errors)
    }
}

/// One top-level key and its value, converted to the format-independent tree.
struct Entry {
    key: String,
    /// `Err` describes why the value could not be converted.
    value: Result<serde_json::Value, &'static str>,
}

const TOO_DEEP: &str = "front matter is nested or repeated too deeply";
const TOO_DEEP_HINT: &str = "simplify the values; deeply nested data belongs in a data file";
