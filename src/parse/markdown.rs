//! Markdown to HTML fragments with pulldown-cmark.
//!
//! Internal links cannot be resolved here (their targets' URLs are only known once every document
//! is parsed), so the body is rendered as [`Fragment`]s: finished HTML interleaved with holes that
//! the resolve stage fills with each link's final href.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::Path;

use pulldown_cmark::{Options, Parser};
use serde::Serialize;

use crate::config::MarkdownConfig;
use crate::diagnostics::{Diagnostic, Location};
use crate::parse::highlight::Highlighter;
use crate::parse::shortcodes::{self, Shortcodes};

mod comments;
#[cfg(test)]
mod embed_tests;
mod limits;
#[cfg(test)]
mod markup_tests;
#[cfg(test)]
mod tests;
mod text;
mod transform;

pub(crate) use transform::diagrams::MERMAID_OPEN;

/// A piece of rendered HTML.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Fragment {
    /// Finished HTML.
    Html(String),
    /// The href of `links[i]`, to be filled in by resolve (already attribute-escaped there).
    Href(usize),
    /// The transcluded content of `links[i]` (a `![[note]]` embed of a non-image), to be filled in
    /// by resolve. [`Html::assemble`] asks the same closure as for [`Fragment::Href`], so callers
    /// tell the two apart by `links[i].kind == LinkKind::Embed`.
    Embed(usize),
}

/// Rendered HTML with holes for internal link targets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Html(pub Vec<Fragment>);

impl Html {
    /// Joins the fragments, asking `fill` for each hole: the href of a link for
    /// [`Fragment::Href`], the embedded HTML for [`Fragment::Embed`].
    pub fn assemble<'a>(&self, mut fill: impl FnMut(Hole) -> Cow<'a, str>) -> String {
        let mut out = String::with_capacity(
            self.0
                .iter()
                .map(|f| match f {
                    Fragment::Html(s) => s.len(),
                    Fragment::Href(_) => 32,
                    Fragment::Embed(_) => 256,
                })
                .sum(),
        );
        for fragment in &self.0 {
            match fragment {
                Fragment::Html(s) => out.push_str(s),
                Fragment::Href(i) => out.push_str(&fill(Hole::Href(*i))),
                Fragment::Embed(i) => out.push_str(&fill(Hole::Embed(*i))),
            }
        }
        out
    }
}

/// A hole in [`Html`]: what goes there and for which link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hole {
    /// The attribute-escaped URL of `links[i]`.
    Href(usize),
    /// The HTML of the document `links[i]` embeds.
    Embed(usize),
}

/// How a link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// `[text](dest)`
    Markdown,
    /// `![alt](dest)`
    Image,
    /// `[[Page]]`, `[[Page#Heading|label]]`: `dest` is the target as written.
    WikiLink,
    /// `![[note]]` or `![[image.png|300]]`: transclusion; `dest` is the target as written.
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
    /// Plain text of the paragraph, list item or heading holding the link, whitespace-collapsed
    /// and cut to about 240 characters around the link (`…` marks a cut). Shown with backlinks.
    pub context: String,
    /// For a local image: its hole stands for the `<img>` tag's `src`, `width` and `height`
    /// attributes (and `srcset`, `sizes`), which resolve writes from the file; this is the size
    /// asked for in the Markdown (`![[map.png|300]]`).
    pub image: Option<ImageSize>,
}

/// The size an image embed asks for: `|300` is a width, `|300x200` both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ImageSize {
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// An `http:` or `https:` link or image source found in a document, for `steppe check --external`.
/// Not resolved and not fetched by the build.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExternalLink {
    /// The URL as written.
    pub url: String,
    /// Where the URL is written in the source file.
    pub location: Location,
}

/// A code block in the language of an Obsidian plugin (`dataview`, `query`…), shown as code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PluginBlock {
    /// The language as written on the fence.
    pub language: String,
    /// Where the language is written.
    pub location: Location,
}

/// The one note a build gives about all its plugin blocks (one per block would bury every
/// other message of a vault that uses Dataview), pointing at the first of them.
pub(crate) fn plugin_blocks_note<'a>(
    blocks: impl IntoIterator<Item = &'a PluginBlock>,
) -> Option<Diagnostic> {
    let (count, languages, notes, first) = summarize(blocks)?;
    Some(
        Diagnostic::note(format!(
            "{count} code block{} for Obsidian plugins ({languages}) in {notes} note{} {} shown as code, not run",
            plural(count),
            plural(notes),
            if count == 1 { "is" } else { "are" },
        ))
        .at(first)
        .with_hint(
            "a static site cannot run plugins; to publish what such a block shows in Obsidian, paste its result into the note",
        ),
    )
}

/// The one note a build gives about its code blocks in languages no grammar knows (a note
/// tool's `mathjax`, a plugin's own), pointing at the first of them. A misspelt name is a
/// warning of its own instead.
pub(crate) fn unknown_languages_note<'a>(
    blocks: impl IntoIterator<Item = &'a PluginBlock>,
) -> Option<Diagnostic> {
    let (count, languages, notes, first) = summarize(blocks)?;
    Some(
        Diagnostic::note(format!(
            "{count} code block{} in {notes} note{} {} shown without highlighting: no grammar for {languages}",
            plural(count),
            plural(notes),
            if count == 1 { "is" } else { "are" },
        ))
        .at(first)
        .with_hint(
            "for colours, name a language steppe knows, such as `rust`, `python`, `js` or `toml`; `text` says the block is plain",
        ),
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// How many blocks, their languages (lower-cased, sorted, quoted), in how many documents, and
/// the first block's location.
fn summarize<'a>(
    blocks: impl IntoIterator<Item = &'a PluginBlock>,
) -> Option<(usize, String, usize, Location)> {
    let mut count = 0;
    let mut languages = BTreeSet::new();
    let mut files = BTreeSet::new();
    let mut first: Option<&Location> = None;
    for block in blocks {
        count += 1;
        languages.insert(block.language.to_lowercase());
        files.insert(block.location.path.as_path());
        let key = |l: &Location| (l.path.clone(), l.line, l.column);
        if first.is_none_or(|f| key(&block.location) < key(f)) {
            first = Some(&block.location);
        }
    }
    let languages: Vec<String> = languages.iter().map(|l| format!("`{l}`")).collect();
    Some((count, languages.join(", "), files.len(), first?.clone()))
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
    /// `http(s)` links and images, in document order, one per URL and line.
    pub external_links: Vec<ExternalLink>,
    pub word_count: usize,
    /// Task list items (`- [ ]`, `- [x]`) in the body.
    pub tasks: usize,
    /// Task items whose own text (their nested lists aside) holds no internal link,
    /// `[text](page.md)` or `[[Page]]`, each at its box; images, embeds and external links do
    /// not count. Resolve warns about them on checklists when
    /// `[links] require_checklist_links` is set.
    pub unlinked_tasks: Vec<Location>,
    /// Inline `#tags`, without the `#`, deduplicated, in order of first use.
    pub tags: Vec<String>,
    /// Code blocks of Obsidian plugins, for the build's one note about them
    /// ([`plugin_blocks_note`]).
    pub plugin_blocks: Vec<PluginBlock>,
    /// Code blocks in languages no grammar knows, for the build's one note about them
    /// ([`unknown_languages_note`]).
    pub unknown_languages: Vec<PluginBlock>,
    /// Blocks named by a `^block-id` marker, in the order of their markers.
    pub blocks: Vec<Block>,
    /// The body has a ```` ```mermaid ```` diagram (the theme then loads its diagram script).
    pub has_mermaid: bool,
    /// The shortcodes the body calls (unknown names too), sorted: the parse memo reuses the
    /// document only while each has the same template.
    pub shortcodes: Vec<String>,
}

/// A block named by a `^block-id` marker: a paragraph, list item, list, quote, callout, table
/// or code block, whose element has the HTML id `^block-id`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Block {
    /// The id as written, without the `^`.
    pub id: String,
    /// The block's own HTML, holes included, for `![[Page#^block-id]]` (a list item inside
    /// its list, so it stands alone).
    pub html: Html,
}

/// Renders the Markdown body of `text` (the whole file) starting at byte `body_start`, so every
/// location is reported with its absolute line in the file.
#[cfg(test)]
pub(crate) fn render(
    path: &Path,
    text: &str,
    body_start: usize,
    config: &MarkdownConfig,
    highlighter: &Highlighter,
) -> (Rendered, Vec<Diagnostic>) {
    render_with(
        path,
        text,
        body_start,
        config,
        highlighter,
        &Shortcodes::default(),
    )
}

/// [`render`], expanding the body's shortcode calls with `shortcodes`.
pub(crate) fn render_with(
    path: &Path,
    text: &str,
    body_start: usize,
    config: &MarkdownConfig,
    highlighter: &Highlighter,
    shortcodes: &Shortcodes,
) -> (Rendered, Vec<Diagnostic>) {
    let base = text::floor_boundary(text, body_start);
    // Checked before parsing: past the limit, parsing alone would take gigabytes.
    if let Some(error) = limits::table_cells(path, text, base) {
        return (Rendered::default(), vec![error]);
    }
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_WIKILINKS;
    // GFM blockquote kinds stay off: callouts (GitHub's five and Obsidian's any-word kinds, with
    // titles and folding) are recognised by the transform instead.
    if config.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    if config.math {
        options |= Options::ENABLE_MATH;
    }
    let body = comments::strip(&text[base..], options);
    let mut cut_body = transform::Body::new(path, text, base, &body.text, body.cuts);
    let mut diagnostics = Vec::new();
    let expansion = shortcodes::expand(
        &body.text,
        options,
        shortcodes,
        &mut |offset, len| cut_body.location(offset, len),
        &mut diagnostics,
    );
    let (parsed, placeholders) = match expansion {
        Some(expansion) => {
            cut_body.expanded(expansion.splices);
            let placeholders = transform::Placeholders {
                nonce: expansion.nonce,
                outputs: expansion.outputs,
                called: expansion.called,
            };
            (Cow::Owned(expansion.text), Some(placeholders))
        }
        None => (Cow::Borrowed(&*body.text), None),
    };
    cut_body.set_text(&parsed);
    let mut events = Vec::new();
    for (event, range) in Parser::new_ext(&parsed, options).into_offset_iter() {
        // Inline elements are parsed as they are read, so stopping here bounds their memory.
        if events.len() == limits::MAX_ELEMENTS {
            let at = cut_body.location(range.start, 1);
            diagnostics.push(limits::too_many_elements(at));
            let rendered = Rendered {
                shortcodes: placeholders.map(|p| p.called).unwrap_or_default(),
                ..Rendered::default()
            };
            return (rendered, diagnostics);
        }
        events.push((event, range));
    }
    let (rendered, found) =
        transform::Transform::new(cut_body, events, config, highlighter, placeholders).run();
    diagnostics.extend(found);
    if let Some(at) = body.unclosed {
        diagnostics.push(
            Diagnostic::warning("comment `%%` is never closed, so the rest of the note is hidden")
                .at(Location::from_offset(path, text, base + at, 2))
                .with_hint("close the comment with another `%%`"),
        );
    }
    (rendered, diagnostics)
}
