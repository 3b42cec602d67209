//! Markdown to HTML fragments with pulldown-cmark.
//!
//! Internal links cannot be resolved here (their targets' URLs are only known once every document
//! is parsed), so the body is rendered as [`Fragment`]s: finished HTML interleaved with holes that
//! the resolve stage fills with each link's final href.

use std::borrow::Cow;
use std::path::Path;

use serde::Serialize;

use crate::config::MarkdownConfig;
use crate::diagnostics::{Diagnostic, Location};
use crate::parse::highlight::Highlighter;

/// A piece of rendered HTML.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Fragment {
    /// Finished HTML.
    Html(String),
    /// The href of `links[i]`, to be filled in by resolve (already attribute-escaped there).
    Href(usize),
}

/// Rendered HTML with holes for internal link targets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Html(pub Vec<Fragment>);

impl Html {
    /// Joins the fragments, asking `href` for each hole.
    pub fn assemble<'a>(&self, mut href: impl FnMut(usize) -> Cow<'a, str>) -> String {
        let mut out = String::with_capacity(
            self.0
                .iter()
                .map(|f| match f {
                    Fragment::Html(s) => s.len(),
                    Fragment::Href(_) => 32,
                })
                .sum(),
        );
        for fragment in &self.0 {
            match fragment {
                Fragment::Html(s) => out.push_str(s),
                Fragment::Href(i) => out.push_str(&href(*i)),
            }
        }
        out
    }
}

/// How a link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// `[text](dest)`
    Markdown,
    /// `![alt](dest)`
    Image,
    /// `[[Page]]`, `[[Page|label]]`, `[[Page#Heading]]`
    WikiLink,
    /// `![[Page]]`, `![[image.png|300]]`
    Embed,
}

/// An internal link found in a document: anything that is not an external URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LinkRef {
    pub kind: LinkKind,
    /// The destination as written, percent-decoded: `../x.md#a`, `@/essays/x.md`, `#a`, `img.png`.
    pub dest: String,
    /// Where the destination is written in the source file.
    pub location: Location,
    /// Plain text of the paragraph or list item holding the link, for backlinks.
    pub context: String,
}

/// One entry of a page's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// What the Markdown stage produces for one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Rendered {
    pub html: Html,
    /// HTML before `<!-- more -->`, or the first paragraph.
    pub summary: Html,
    pub toc: Vec<TocEntry>,
    /// Every id an in-page anchor may point at (headings, footnotes, explicit `{#id}`).
    pub anchors: Vec<String>,
    pub links: Vec<LinkRef>,
    pub word_count: usize,
    /// Inline `#tags` found in the text.
    pub tags: Vec<String>,
}

/// Renders the Markdown body of `text` (the whole file) starting at byte `body_start`, so every
/// location is reported with its absolute line in the file.
pub fn render(
    path: &Path,
    text: &str,
    body_start: usize,
    config: &MarkdownConfig,
    highlighter: &Highlighter,
) -> (Rendered, Vec<Diagnostic>) {
    let _ = (path, text, body_start, config, highlighter);
    todo!("helper: markdown rendering")
}
