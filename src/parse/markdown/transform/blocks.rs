//! Block structure: paragraphs (and which one is the summary), lists with task items, tables and
//! the other containers, and `<!-- more -->`.
//!
//! Each task item also records whether its own text links to a page (nested lists aside: an
//! item's link is credited to the innermost open item), so resolve can warn about checklist
//! items that explain nothing when the site asks it to (`[links] require_checklist_links`).
//!
//! The summary is the HTML before `<!-- more -->` or, without one, the first paragraph outside
//! any container. Its bounds travel through the rendered HTML as sentinels ([`SUMMARY_START`],
//! [`SUMMARY_END`]) and are cut out once the whole body is rendered. A summary longer than
//! [`MAX_SUMMARY`] becomes its first words as plain text: every listing the page is on (its
//! section, the home page, a term page per term) repeats it, so 200 pages sharing 200 tags in a
//! first paragraph wrote 526 MB of term pages.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::super::Fragment;
use super::super::text::{HOLE_CLOSE, HOLE_OPEN, SUMMARY_END, SUMMARY_START};
use super::callouts::close_callout_title;
use super::media::is_block_embed;
use super::{Transform, split_holes};
use crate::diagnostics::Location;

/// What the paragraph being rendered is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Para {
    /// No paragraph is open (a heading, a tight list item, a table cell…).
    Outside,
    Normal,
    /// The first top-level paragraph: wrapped in summary markers.
    Summary,
    /// Opened or ended by a transcluded note, which is block content: no `<p>` is open.
    Bare,
    /// The `[!type] Title` line of a callout, until its first line break.
    CalloutTitle {
        details: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Summary {
    /// Looking for the first top-level paragraph.
    Pending,
    /// Found (or `<!-- more -->` decides instead).
    Done,
}

pub(super) struct Blocks {
    pub(super) para: Para,
    /// Open lists, items, tables, footnote definitions and quotes: the summary paragraph is
    /// outside all of them.
    pub(super) container_depth: usize,
    summary: Summary,
    /// Index of the `<!-- more -->` event, from the prepass.
    pub(super) more_index: Option<usize>,
    /// Event indexes of the lists holding task items, sorted (from the prepass).
    pub(super) task_lists: Vec<usize>,
    /// Task list items in the body.
    pub(super) tasks: usize,
    /// Open list items, innermost last: `Some` for a task item.
    items: Vec<Option<OpenTask>>,
    /// Task items whose own text holds no internal link, at their boxes.
    pub(super) unlinked_tasks: Vec<Location>,
}

/// A task item being rendered.
struct OpenTask {
    /// Its box `[ ]` to the end of that line, as (body offset, length), set when the marker is
    /// read; a location is only made for an item that turns out to have no link.
    marker: Option<(usize, usize)>,
    linked: bool,
}

impl Default for Blocks {
    fn default() -> Self {
        Blocks {
            para: Para::Outside,
            container_depth: 0,
            summary: Summary::Pending,
            more_index: None,
            task_lists: Vec::new(),
            tasks: 0,
            items: Vec::new(),
            unlinked_tasks: Vec::new(),
        }
    }
}

impl Blocks {
    /// Called once the prepass has pushed one entry to `task_lists` per task item.
    pub(super) fn finish_prepass(&mut self) {
        self.tasks = self.task_lists.len();
        self.task_lists.sort_unstable();
        self.task_lists.dedup();
        if self.more_index.is_some() {
            self.summary = Summary::Done;
        }
    }

    /// An internal link to a page was written here: the innermost open item, if it is a task,
    /// links somewhere.
    pub(super) fn link_in_item(&mut self) {
        if let Some(Some(task)) = self.items.last_mut() {
            task.linked = true;
        }
    }
}

impl<'a> Transform<'a, '_> {
    pub(super) fn start_paragraph(&mut self, next: usize) {
        self.block_boundary();
        self.ctx_push();
        if self.opens_with_block_embed(next) {
            self.blocks.para = Para::Bare;
        } else if self.blocks.container_depth == 0 && self.blocks.summary == Summary::Pending {
            self.blocks.summary = Summary::Done;
            self.blocks.para = Para::Summary;
            self.emit(Event::Start(Tag::Paragraph));
            self.emit_html(SUMMARY_START);
        } else {
            self.blocks.para = Para::Normal;
            self.emit(Event::Start(Tag::Paragraph));
        }
    }

    /// A paragraph opening with `![[note]]`: the transcluded note is block content, so no `<p>`
    /// before it (`links` opens one after it when text follows).
    fn opens_with_block_embed(&self, next: usize) -> bool {
        matches!(
            self.peek(next),
            Some(Event::Start(Tag::Image {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            })) if is_block_embed(dest_url)
        )
    }

    /// Whether only empty text (left by a block id marker) stands between event `from` and the
    /// end of the paragraph.
    pub(super) fn paragraph_ends_at(&self, from: usize) -> bool {
        let mut k = from;
        while matches!(self.peek(k), Some(Event::Text(t)) if t.is_empty()) {
            k += 1;
        }
        matches!(self.peek(k), Some(Event::End(TagEnd::Paragraph)))
    }

    pub(super) fn end_paragraph(&mut self) {
        let end = TagEnd::Paragraph;
        match std::mem::replace(&mut self.blocks.para, Para::Outside) {
            Para::Normal | Para::Outside => self.emit(Event::End(end)),
            Para::Summary => {
                // Markers sit inside the <p> so they do not disturb push_html's
                // newline bookkeeping; `summary` adds the <p> and </p> back.
                self.emit_html(SUMMARY_END);
                self.emit(Event::End(end));
            }
            Para::Bare => self.emit_html("\n"),
            Para::CalloutTitle { details } => {
                self.emit_html(close_callout_title(details));
            }
        }
        self.ctx_pop();
        self.block_boundary();
    }

    pub(super) fn start_list(&mut self, first: Option<u64>, next: usize) {
        self.block_boundary();
        self.blocks.container_depth += 1;
        if self.blocks.task_lists.binary_search(&(next - 1)).is_ok() {
            let html = match first {
                None => "<ul class=\"tasklist\">\n".to_string(),
                Some(1) => "<ol class=\"tasklist\">\n".to_string(),
                Some(n) => format!("<ol class=\"tasklist\" start=\"{n}\">\n"),
            };
            self.emit_html(html);
        } else {
            self.emit(Event::Start(Tag::List(first)));
        }
    }

    pub(super) fn start_item(&mut self, next: usize) {
        self.block_boundary();
        self.blocks.container_depth += 1;
        self.ctx_push();
        let is_task = match self.peek(next) {
            Some(Event::TaskListMarker(_)) => true,
            Some(Event::Start(Tag::Paragraph)) => {
                matches!(self.peek(next + 1), Some(Event::TaskListMarker(_)))
            }
            _ => false,
        };
        self.blocks.items.push(is_task.then_some(OpenTask {
            marker: None,
            linked: false,
        }));
        if is_task {
            self.emit_html("<li class=\"task\">");
        } else {
            self.emit(Event::Start(Tag::Item));
        }
    }

    pub(super) fn end_item(&mut self) {
        if let Some(Some(OpenTask {
            marker: Some(marker),
            linked: false,
        })) = self.blocks.items.pop()
        {
            let location = self.location(marker.0, marker.1);
            self.blocks.unlinked_tasks.push(location);
        }
        self.end_container(TagEnd::Item, true);
    }

    pub(super) fn task_marker(&mut self, checked: bool, range: Range<usize>) {
        // Underlined from the box to the end of its line: the item as the author reads it.
        let rest = self.body.text.get(range.start..).unwrap_or("");
        let line = rest.find('\n').map_or(rest, |end| &rest[..end]);
        if let Some(Some(task)) = self.blocks.items.last_mut() {
            task.marker = Some((range.start, line.trim_end_matches('\r').len()));
        }
        self.emit_html(if checked {
            "<input type=\"checkbox\" disabled checked> "
        } else {
            "<input type=\"checkbox\" disabled> "
        });
    }

    /// Tables, their rows and cells, definition lists: rendered by pulldown-cmark as they are.
    /// A container that `holds_text` (a cell, a term, a definition) is a backlink context.
    pub(super) fn start_container(&mut self, tag: Tag<'a>, holds_text: bool) {
        self.block_boundary();
        self.blocks.container_depth += 1;
        if holds_text {
            self.ctx_push();
        }
        self.emit(Event::Start(tag));
    }

    /// Ends a container opened by [`Transform::start_container`], a list or a list item.
    pub(super) fn end_container(&mut self, end: TagEnd, holds_text: bool) {
        self.block_boundary();
        self.blocks.container_depth = self.blocks.container_depth.saturating_sub(1);
        if holds_text {
            self.ctx_pop();
        }
        self.emit(Event::End(end));
    }

    /// An HTML block's content, event `index`: the `<!-- more -->` comment becomes the end of the
    /// summary; other HTML stays as written.
    pub(super) fn html_block_part(&mut self, html: CowStr<'a>, index: usize) {
        if self.block_placeholder(&html) {
            return;
        }
        if self.blocks.more_index == Some(index) {
            // Keeps the line break the comment had; `split_holes` drops it with the marker.
            self.emit_html(format!("{SUMMARY_END}\n"));
        } else {
            let html = self.raw_html(html);
            self.emit(Event::Html(html));
        }
    }
}

/// Longest summary kept as HTML, in bytes: a long paragraph of prose with links (about 300
/// words). Listings show the summary of every page they list.
pub(crate) const MAX_SUMMARY: usize = 2 * 1024;

/// Characters of plain text a summary past [`MAX_SUMMARY`] is cut to, at a word boundary.
const SHORT_SUMMARY_CHARS: usize = 300;

/// The summary of the rendered body `html`: what precedes `<!-- more -->` when the body
/// `has_more`, else the first top-level paragraph; empty when there is neither.
pub(super) fn summary(html: &str, has_more: bool) -> Vec<Fragment> {
    if has_more {
        html.find(SUMMARY_END)
            .map(|end| bounded(html[..end].trim()))
    } else {
        html.find(SUMMARY_START).map(|start| {
            let from = start + SUMMARY_START.len();
            let end = html[from..]
                .find(SUMMARY_END)
                .map_or(html.len(), |e| from + e);
            let mut paragraph = String::with_capacity(end - from + 8);
            paragraph.push_str("<p>");
            paragraph.push_str(&html[from..end]);
            paragraph.push_str("</p>");
            bounded(&paragraph)
        })
    }
    .unwrap_or_default()
}

/// `html` as fragments, or its first words as one plain paragraph when it is too long.
fn bounded(html: &str) -> Vec<Fragment> {
    if html.len() <= MAX_SUMMARY {
        return split_holes(html);
    }
    vec![Fragment::Html(first_words(html))]
}

/// The text of `html` (tags, holes and the markers in it left out, whitespace collapsed) cut to
/// about [`SHORT_SUMMARY_CHARS`] characters at a word boundary, as `<p>…</p>`. The text is
/// already escaped; a cut never splits an entity.
fn first_words(html: &str) -> String {
    let mut text = String::with_capacity(SHORT_SUMMARY_CHARS * 2);
    let mut chars = 0;
    let (mut in_tag, mut in_hole, mut space) = (false, false, false);
    let mut cut = false;
    for c in html.chars() {
        match c {
            '<' if !in_hole => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                space = true;
            }
            HOLE_OPEN => in_hole = true,
            HOLE_CLOSE => in_hole = false,
            _ if in_tag || in_hole => {}
            c if c.is_whitespace() => space = true,
            c => {
                if space && !text.is_empty() {
                    if chars >= SHORT_SUMMARY_CHARS {
                        cut = true;
                        break;
                    }
                    text.push(' ');
                    chars += 1;
                }
                space = false;
                text.push(c);
                chars += 1;
            }
        }
    }
    if chars > SHORT_SUMMARY_CHARS + 40 {
        // One long word: cut inside it, before any entity it holds.
        let mut end = text
            .char_indices()
            .nth(SHORT_SUMMARY_CHARS)
            .map_or(text.len(), |(i, _)| i);
        if let Some(amp) = text[..end].rfind('&')
            && !text[amp..end].contains(';')
        {
            end = amp;
        }
        text.truncate(end);
        cut = true;
    }
    format!("<p>{text}{}</p>", if cut { "…" } else { "" })
}

pub(super) fn is_more_comment(html: &str) -> bool {
    let inner = html.trim();
    inner
        .strip_prefix("<!--")
        .and_then(|s| s.strip_suffix("-->"))
        .is_some_and(|s| s.trim() == "more")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(fragments: &[Fragment]) -> String {
        match fragments {
            [Fragment::Html(html)] => html.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_long_summary_becomes_its_first_words() {
        let tags = "<span class=\"tag\">#tag</span> ".repeat(400);
        let html = format!("{SUMMARY_START}Tom &amp; Jerry \u{E000}0\u{E001}{tags}{SUMMARY_END}");
        let short = text(&summary(&html, false));
        assert_eq!(
            short,
            format!("<p>Tom &amp; Jerry{}…</p>", " #tag".repeat(57))
        );
        // Short ones stay HTML.
        let html = format!("{SUMMARY_START}A <em>b</em>.{SUMMARY_END}");
        assert_eq!(text(&summary(&html, false)), "<p>A <em>b</em>.</p>");
    }

    #[test]
    fn one_long_word_is_cut_before_an_entity() {
        let word = format!("{}&amp;{}", "a".repeat(298), "b".repeat(9000));
        let html = format!("{SUMMARY_START}{word}{SUMMARY_END}");
        assert_eq!(
            text(&summary(&html, false)),
            format!("<p>{}…</p>", "a".repeat(298))
        );
    }
}
