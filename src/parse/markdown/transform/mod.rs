//! The event rewrite behind [`super::render`].
//!
//! pulldown-cmark's events are collected once (lookahead is needed for heading ids, callouts and
//! task lists), rewritten into a new event stream in which everything steppe renders differently
//! (links, images, headings, code, math, footnotes, callouts, tags) is replaced by HTML events,
//! and rendered by `push_html` in a single call. Holes and summary bounds travel through that HTML
//! as private-use sentinels and are cut out afterwards. All nesting is tracked with explicit
//! stacks, never recursion, so hostile nesting depth cannot overflow the call stack.
//!
//! [`Transform`] is only the dispatcher: it owns the events and the output, walks the events once
//! (after one `prepass` for the facts needed ahead) and hands each construct to the part that
//! renders it. Each part keeps its state in a sub-struct of its own file:
//!
//! - `blocks`: paragraphs, the summary, lists with task items, tables and other containers;
//! - `inline`: running text: words, inline `#tags`, code spans, line breaks;
//! - `marks`: `==highlights==`;
//! - `headings`: heading ids, anchors and the table of contents;
//! - `footnotes`: references numbered in order of use, definitions moved to the end;
//! - `links`: links, images and embeds as holes for resolve, external URLs for checking;
//! - `context`: the text around each link, shown with backlinks;
//! - `callouts`: `> [!type]` block quotes;
//! - `code`: code blocks, highlighted;
//! - `diagrams`: ```` ```mermaid ```` blocks, kept as source for the theme's script;
//! - `math`: LaTeX to MathML;
//! - `block_ids`: `^block-id` markers, anchors on the blocks they name;
//! - `media`: `![[clip.mp4]]`, `![[talk.mp3]]`, `![[doc.pdf]]` as players and viewers.

mod block_ids;
mod blocks;
mod callouts;
mod code;
mod context;
pub(crate) mod diagrams;
mod footnotes;
mod headings;
mod inline;
mod links;
mod marks;
mod math;
mod media;
mod placeholders;
mod prepass;

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::comments::Cuts;
use super::text::{HOLE_CLOSE, HOLE_OPEN, Lines, defuse, has_sentinel};
use super::{Fragment, Html, PluginBlock, Rendered};
use crate::config::MarkdownConfig;
use crate::diagnostics::{Diagnostic, Location};
use crate::parse::highlight::Highlighter;
use crate::parse::shortcodes::Splices;

/// The `.html` shortcode outputs of a body and how their placeholders are recognised.
pub(in super::super) struct Placeholders {
    pub(in super::super) nonce: String,
    pub(in super::super) outputs: Vec<String>,
    /// The shortcodes called, for [`Rendered::shortcodes`].
    pub(in super::super) called: Vec<String>,
}

/// The Markdown body (comments cut out) and how its byte offsets become locations in the file.
pub(super) struct Body<'a> {
    text: &'a str,
    /// Byte offset of the body in the whole file.
    base: usize,
    /// Where comments were cut out of `text`.
    cuts: Cuts,
    /// Where shortcode calls were replaced by their output, after the cuts.
    splices: Splices,
    lines: Lines<'a>,
}

impl<'a> Body<'a> {
    /// The body `text` of the file `path` holding `file`, where it starts at byte `base`, with
    /// comments cut out at `cuts`.
    pub(super) fn new(
        path: &'a Path,
        file: &'a str,
        base: usize,
        text: &'a str,
        cuts: Cuts,
    ) -> Self {
        Body {
            text,
            base,
            cuts,
            splices: Splices::default(),
            lines: Lines::new(path, file),
        }
    }

    /// From now on, offsets are in the text with shortcodes expanded at `splices`.
    pub(in super::super) fn expanded(&mut self, splices: Splices) {
        self.splices = splices;
    }

    /// The text pulldown-cmark parses (the body, or the body with shortcodes expanded).
    pub(in super::super) fn set_text(&mut self, text: &'a str) {
        self.text = text;
    }

    /// Location of `len` bytes at offset `offset` of `text`.
    pub(in super::super) fn location(&mut self, offset: usize, len: usize) -> Location {
        let (offset, len) = self.splices.original(offset, len);
        let (offset, len) = self.cuts.original(offset, len);
        self.lines.location(self.base + offset, len)
    }

    /// Where `written` appears in the source of the construct at `range` (searched from the
    /// right when `from_right`), else the whole construct.
    fn location_of(&mut self, range: Range<usize>, written: &str, from_right: bool) -> Location {
        let found = self.text.get(range.clone()).and_then(|source| {
            if written.is_empty() {
                None
            } else if from_right {
                source.rfind(written)
            } else {
                source.find(written)
            }
        });
        match found {
            Some(at) => self.location(range.start + at, written.len()),
            None => self.location(range.start, range.len()),
        }
    }
}

pub(super) struct Transform<'a, 'c> {
    body: Body<'a>,
    config: &'c MarkdownConfig,
    highlighter: &'c Highlighter,
    events: Vec<(Event<'a>, Range<usize>)>,
    out: Vec<Event<'a>>,
    diagnostics: Vec<Diagnostic>,
    /// Every id an in-page anchor may point at, in document order (headings, footnotes).
    anchors: Vec<String>,
    plugin_blocks: Vec<PluginBlock>,
    unknown_languages: Vec<PluginBlock>,

    blocks: blocks::Blocks,
    inline: inline::Inline,
    headings: headings::Headings,
    footnotes: footnotes::Footnotes<'a>,
    links: links::Links,
    marks: marks::Marks,
    context: context::Context,
    quotes: Vec<callouts::Quote>,
    block_ids: block_ids::BlockIds,
    diagrams: diagrams::Diagrams,
    placeholders: Option<Placeholders>,
}

impl<'a, 'c> Transform<'a, 'c> {
    /// A transform of `events`, parsed from `body`.
    pub(super) fn new(
        body: Body<'a>,
        events: Vec<(Event<'a>, Range<usize>)>,
        config: &'c MarkdownConfig,
        highlighter: &'c Highlighter,
        placeholders: Option<Placeholders>,
    ) -> Self {
        let capacity = events.len() + 16;
        Transform {
            body,
            config,
            highlighter,
            events,
            out: Vec::with_capacity(capacity),
            diagnostics: Vec::new(),
            anchors: Vec::new(),
            plugin_blocks: Vec::new(),
            unknown_languages: Vec::new(),
            blocks: blocks::Blocks::default(),
            inline: inline::Inline::default(),
            headings: headings::Headings::default(),
            footnotes: footnotes::Footnotes::default(),
            links: links::Links::default(),
            marks: marks::Marks::default(),
            context: context::Context::default(),
            quotes: Vec::new(),
            block_ids: block_ids::BlockIds::default(),
            diagrams: diagrams::Diagrams::default(),
            placeholders,
        }
    }

    pub(super) fn run(mut self) -> (Rendered, Vec<Diagnostic>) {
        self.prepass();
        self.find_block_ids();
        let mut i = 0;
        while i < self.events.len() {
            if let Some(after) = self.skip_marker(i) {
                i = after;
                continue;
            }
            self.open_named_block(i);
            let (event, range) = self.take(i);
            let next = self.event(event, range, i + 1);
            self.close_named_blocks(i, next);
            i = next;
        }
        self.finish()
    }

    fn take(&mut self, i: usize) -> (Event<'a>, Range<usize>) {
        let slot = &mut self.events[i];
        (
            std::mem::replace(&mut slot.0, Event::SoftBreak),
            slot.1.clone(),
        )
    }

    fn peek(&self, i: usize) -> Option<&Event<'a>> {
        self.events.get(i).map(|(e, _)| e)
    }

    /// Appends to the output, or to the footnote definition being captured.
    fn emit(&mut self, event: Event<'a>) {
        match self.footnotes.capturing() {
            Some(events) => events.push(event),
            None => self.out.push(event),
        }
    }

    fn emit_html(&mut self, html: impl Into<CowStr<'a>>) {
        self.emit(Event::Html(html.into()));
    }

    fn location(&mut self, body_offset: usize, len: usize) -> Location {
        self.body.location(body_offset, len)
    }

    /// Handles the event taken from index `next - 1`; returns the index of the next event to
    /// handle (handlers that consume a whole construct skip past it).
    fn event(&mut self, event: Event<'a>, range: Range<usize>, next: usize) -> usize {
        match event {
            Event::Start(tag) => return self.start(tag, range, next),
            Event::End(end) => self.end(end),
            Event::Text(text) => self.text(text, range, next),
            Event::Code(code) => self.code_span(code),
            Event::InlineMath(math) => self.math(&math, false, range),
            Event::DisplayMath(math) => self.math(&math, true, range),
            Event::Html(html) => self.html_block_part(html, next - 1),
            Event::InlineHtml(html) => {
                self.inline.tag_boundary = false;
                let html = self.raw_html(html);
                self.emit(Event::InlineHtml(html));
            }
            Event::FootnoteReference(name) => self.footnote_reference(&name),
            Event::SoftBreak | Event::HardBreak => self.line_break(event),
            Event::Rule => {
                self.block_boundary();
                self.emit(event);
            }
            Event::TaskListMarker(checked) => self.task_marker(checked, range),
        }
        next
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>, next: usize) -> usize {
        match tag {
            Tag::Paragraph => self.start_paragraph(next),
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => self.start_heading(level, id, &classes, &attrs, range, next),
            Tag::BlockQuote(_) => return self.start_quote(next),
            Tag::CodeBlock(kind) => return self.code_block(kind, range, next),
            Tag::List(first) => self.start_list(first, next),
            Tag::Item => self.start_item(next),
            Tag::FootnoteDefinition(name) => self.start_footnote_definition(&name, range),
            Tag::TableCell | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => {
                self.start_container(tag, true);
            }
            Tag::DefinitionList | Tag::Table(_) | Tag::TableHead | Tag::TableRow => {
                self.start_container(tag, false);
            }
            Tag::HtmlBlock | Tag::MetadataBlock(_) => {
                self.block_boundary();
                self.emit(Event::Start(tag));
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => self.start_link(link_type, &dest_url, &title, range, next),
            Tag::Image {
                link_type,
                dest_url,
                title,
                ..
            } => return self.image(link_type, &dest_url, &title, range, next),
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript => self.emit(Event::Start(tag)),
        }
        next
    }

    fn end(&mut self, end: TagEnd) {
        match end {
            TagEnd::Paragraph => self.end_paragraph(),
            TagEnd::Heading(level) => self.end_heading(level),
            TagEnd::BlockQuote(_) => self.end_quote(end),
            TagEnd::Item => self.end_item(),
            TagEnd::TableCell | TagEnd::DefinitionListTitle | TagEnd::DefinitionListDefinition => {
                self.end_container(end, true)
            }
            TagEnd::List(_)
            | TagEnd::DefinitionList
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow => self.end_container(end, false),
            TagEnd::FootnoteDefinition => self.end_footnote_definition(),
            TagEnd::Link => self.end_link(),
            TagEnd::HtmlBlock | TagEnd::MetadataBlock(_) => {
                self.block_boundary();
                self.emit(Event::End(end));
            }
            // Consumed together with their start events.
            TagEnd::CodeBlock | TagEnd::Image => {}
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => {
                self.inline.tag_boundary = false;
                self.emit(Event::End(end));
            }
        }
    }

    /// A block starts or ends: words and tags cannot continue across it.
    fn block_boundary(&mut self) {
        self.inline.in_word = false;
        self.inline.tag_boundary = true;
    }

    fn finish(mut self) -> (Rendered, Vec<Diagnostic>) {
        // Unclosed captures cannot happen with balanced events; keep their content anyway.
        while let Some(events) = self.footnotes.pop_capture() {
            self.out.extend(events);
        }
        self.context.close_all(&mut self.links.links);
        self.append_footnotes();

        let mut html = String::with_capacity(self.body.text.len() + self.body.text.len() / 2 + 64);
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        let mut called = Vec::new();
        if let Some(placeholders) = self.placeholders {
            html = placeholders::fill(&html, &placeholders);
            called = placeholders.called;
        }
        let (html, blocks) = self.block_ids.place(html);
        let summary = blocks::summary(&html, self.blocks.more_index.is_some());
        let body = split_holes(&html);

        let links = self.links;
        let rendered = Rendered {
            html: Html(body),
            summary: Html(summary),
            toc: self.headings.toc.finish(),
            anchors: self.anchors,
            links: links.links,
            external_links: links.external_links,
            word_count: self.inline.word_count,
            tasks: self.blocks.tasks,
            unlinked_tasks: self.blocks.unlinked_tasks,
            tags: self.inline.tags,
            plugin_blocks: self.plugin_blocks,
            unknown_languages: self.unknown_languages,
            blocks,
            has_mermaid: self.diagrams.mermaid,
            shortcodes: called,
        };
        (rendered, self.diagnostics)
    }
}

/// Cuts rendered HTML at its holes; summary markers are dropped.
fn split_holes(html: &str) -> Vec<Fragment> {
    // Fragments live as long as the build: each is sized to its text, not to the whole page.
    let mut fragments = Vec::new();
    let mut current = String::new();
    let mut rest = html;
    while let Some(open) = rest.find(HOLE_OPEN) {
        current.push_str(&rest[..open]);
        let after = &rest[open + HOLE_OPEN.len_utf8()..];
        let Some(close) = after.find(HOLE_CLOSE) else {
            // Not produced by us (author sentinels are escaped); keep it as text.
            current.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let token = &after[..close];
        rest = &after[close + HOLE_CLOSE.len_utf8()..];
        if token == "/s" {
            rest = rest.strip_prefix('\n').unwrap_or(rest);
        }
        let hole = match token.strip_prefix('e') {
            Some(index) => index.parse().ok().map(Fragment::Embed),
            None => token.parse().ok().map(Fragment::Href),
        };
        if let Some(hole) = hole {
            if !current.is_empty() {
                current.shrink_to_fit();
                fragments.push(Fragment::Html(std::mem::take(&mut current)));
            }
            fragments.push(hole);
        }
    }
    current.push_str(rest);
    if !current.is_empty() {
        current.shrink_to_fit();
        fragments.push(Fragment::Html(current));
    }
    fragments.shrink_to_fit();
    fragments
}

/// A sub-slice of a pulldown-cmark string, borrowed when the original is.
fn sub_cow<'a>(s: &CowStr<'a>, range: Range<usize>) -> CowStr<'a> {
    match s {
        CowStr::Borrowed(b) => CowStr::Borrowed(&b[range]),
        other => CowStr::from(other[range].to_string()),
    }
}

fn defuse_cow(s: CowStr<'_>) -> CowStr<'_> {
    if has_sentinel(&s) {
        CowStr::from(defuse(&s).into_owned())
    } else {
        s
    }
}
