//! Block ids: Obsidian's `^block-id` anchors, which `[[Page#^block-id]]` links to and
//! `![[Page#^block-id]]` embeds.
//!
//! A marker is `^` and an id of Latin letters, digits and dashes, after a space (or right after
//! an embed or link) at the end of a paragraph or of a list item's text, or alone in a paragraph
//! of its own. The block it names:
//!
//! - at the end of a list item's text (or of a paragraph directly in an item): the item;
//! - at the end of a paragraph directly in a quote or callout: the quote or callout;
//! - at the end of any other paragraph: the paragraph;
//! - alone in a paragraph (Obsidian writes it so after tables, quotes, callouts and lists, with
//!   a blank line before): the paragraph, list, table, quote, callout, code block or definition
//!   list just before it in the same container.
//!
//! The marker is never shown. The block's element gets the HTML id `^block-id`: no heading or
//! footnote id starts with `^`, so the two never clash, and links write it `#%5Eblock-id`
//! (`^` may not stand in a URL; browsers match a fragment to an id after percent-decoding).
//! A marker that names nothing, or a second id for one block, or an id used twice in a note is
//! a warning, never silently dropped.
//!
//! The prepass finds every marker, trims it from its text event and notes the events where each
//! named block starts and ends. The walk writes a sentinel before the start and after the end
//! (each ends in a newline, so pulldown-cmark's line bookkeeping is what it would be without
//! them); [`BlockIds::place`] then moves the id into the block's first tag, and copies each
//! block's HTML, holes included, so resolve can embed the block alone.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::super::text::{HOLE_CLOSE, HOLE_OPEN};
use super::super::{Block, Html};
use super::{Transform, split_holes, sub_cow};
use crate::diagnostics::{Diagnostic, Location};

#[derive(Default)]
pub(super) struct BlockIds {
    /// Named blocks, in the order of their markers.
    named: Vec<Named>,
    /// Event index where a named block starts → its index in `named`.
    starts: HashMap<usize, usize>,
    /// Event index where a named block ends → its index in `named`.
    ends: BTreeMap<usize, usize>,
    /// Paragraphs holding only a marker: start event index → end event index. Not rendered.
    skip: HashMap<usize, usize>,
}

struct Named {
    id: String,
    /// For a list item: the list it is shown in when embedded alone (`<ol start="3">`).
    wrap: Option<(String, &'static str)>,
}

/// What kind of block an open container is, as far as block ids care.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Root,
    Paragraph,
    Item,
    Quote,
    List,
    Table,
    Code,
    DefinitionList,
    /// A heading, HTML block, footnote definition, table part…: can hold or follow a marker
    /// but is never named by one.
    Other,
}

/// A block open during the prepass.
struct Open {
    start: usize,
    kind: Kind,
    /// The last block that ended directly inside this one: start, end, kind.
    last_child: Option<(usize, usize, Kind)>,
    /// Lists: the number of the next item (`None` for bullets), whether it holds task items.
    list: Option<(Option<u64>, bool)>,
    /// Items: the list they are shown in when embedded alone.
    wrap: Option<(String, &'static str)>,
}

impl Open {
    fn new(start: usize, kind: Kind) -> Open {
        Open {
            start,
            kind,
            last_child: None,
            list: None,
            wrap: None,
        }
    }
}

fn kind_of(tag: &Tag<'_>) -> Option<Kind> {
    Some(match tag {
        Tag::Paragraph => Kind::Paragraph,
        Tag::Item => Kind::Item,
        Tag::BlockQuote(_) => Kind::Quote,
        Tag::List(_) => Kind::List,
        Tag::Table(_) => Kind::Table,
        Tag::CodeBlock(_) => Kind::Code,
        Tag::DefinitionList => Kind::DefinitionList,
        Tag::Heading { .. }
        | Tag::HtmlBlock
        | Tag::MetadataBlock(_)
        | Tag::FootnoteDefinition(_)
        | Tag::TableHead
        | Tag::TableRow
        | Tag::TableCell
        | Tag::DefinitionListTitle
        | Tag::DefinitionListDefinition => Kind::Other,
        Tag::Emphasis
        | Tag::Strong
        | Tag::Strikethrough
        | Tag::Superscript
        | Tag::Subscript
        | Tag::Link { .. }
        | Tag::Image { .. } => return None,
    })
}

fn is_block_end(end: &TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// The id of a marker ending `text`, and the byte offset where the text before it ends (its
/// trailing whitespace cut). The `^` must follow whitespace or start the text.
fn trailing_marker(text: &str) -> Option<(&str, usize)> {
    let trimmed = text.trim_end();
    let caret = trimmed.rfind('^')?;
    let id = &trimmed[caret + 1..];
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return None;
    }
    let before = &trimmed[..caret];
    if !before.is_empty() && !before.ends_with(char::is_whitespace) {
        return None;
    }
    Some((id, before.trim_end().len()))
}

/// A marker found at the end of an inline run.
struct Marker {
    id: String,
    location: Location,
    /// The run held nothing else: the marker names the block before it.
    alone: bool,
}

impl Transform<'_, '_> {
    /// Finds every block id marker; see the module documentation. Runs after the prepass,
    /// which has found the task lists.
    pub(super) fn find_block_ids(&mut self) {
        // Most documents have no `^` at all.
        if !self.body.text.contains('^') {
            return;
        }
        let mut stack = vec![Open::new(0, Kind::Root)];
        let mut ids = HashSet::new();
        for i in 0..self.events.len() {
            let (kind, list) = match &self.events[i].0 {
                Event::Start(tag) => match (kind_of(tag), tag) {
                    (None, _) => continue,
                    (Some(kind), Tag::List(first)) => (Some(kind), Some(*first)),
                    (Some(kind), _) => (Some(kind), None),
                },
                Event::End(end) if is_block_end(end) => (None, None),
                _ => continue,
            };
            match kind {
                Some(kind) => {
                    // A tight item's text ends where a nested block starts.
                    if stack.last().is_some_and(|o| o.kind == Kind::Item) {
                        let item = stack.len() - 1;
                        self.item_text_end(i, &mut stack, item, &mut ids);
                    }
                    let mut open = Open::new(i, kind);
                    if let Some(first) = list {
                        let tasks = self.blocks.task_lists.binary_search(&i).is_ok();
                        open.list = Some((first, tasks));
                    }
                    if kind == Kind::Item {
                        open.wrap = stack.last_mut().and_then(|list| list_wrap(list));
                    }
                    stack.push(open);
                }
                None => {
                    if stack.len() < 2 {
                        continue;
                    }
                    let top = stack.len() - 1;
                    let mut skipped = false;
                    match stack[top].kind {
                        Kind::Paragraph => skipped = self.paragraph_end(i, &mut stack, &mut ids),
                        Kind::Item => self.item_text_end(i, &mut stack, top, &mut ids),
                        _ => {}
                    }
                    let Some(open) = stack.pop() else { break };
                    if let Some(&n) = self.block_ids.starts.get(&open.start) {
                        self.block_ids.ends.entry(i).or_insert(n);
                    }
                    if !skipped && let Some(parent) = stack.last_mut() {
                        parent.last_child = Some((open.start, i, open.kind));
                    }
                }
            }
        }
    }

    /// A list item's text ends at event `at` (a nested block starts, or the item ends): a marker
    /// there names the item. Loose items hold paragraphs instead, handled in `paragraph_end`.
    fn item_text_end(
        &mut self,
        at: usize,
        stack: &mut [Open],
        item: usize,
        ids: &mut HashSet<String>,
    ) {
        let run_start = stack[item].start + 1;
        let Some(marker) = self.marker_before(at, run_start) else {
            return;
        };
        let (start, wrap) = (stack[item].start, stack[item].wrap.clone());
        self.name_block(marker, start, None, wrap, ids);
    }

    /// The paragraph on top of `stack` ends at event `at`. Returns whether it held only a
    /// marker (it is then skipped by the walk and is nobody's previous block).
    fn paragraph_end(&mut self, at: usize, stack: &mut [Open], ids: &mut HashSet<String>) -> bool {
        let top = stack.len() - 1;
        let start = stack[top].start;
        let Some(marker) = self.marker_before(at, start + 1) else {
            return false;
        };
        if marker.alone {
            self.block_ids.skip.insert(start, at);
            match stack[top - 1].last_child {
                Some((
                    s,
                    e,
                    Kind::Paragraph
                    | Kind::List
                    | Kind::Table
                    | Kind::Quote
                    | Kind::Code
                    | Kind::DefinitionList,
                )) =>                 {
                    self.name_block(marker, s, Some(e), None, ids);
                }
                Some(_) => self.warn_marker(
                    format!("block id `^{}` follows a block that cannot have one", marker.id),
                    "put it after a paragraph, list, table, quote, callout or code block; link to a heading with `[[Page#Heading]]`",
                    marker.location,
                ),
                None => self.warn_marker(
                    format!("block id `^{}` follows no block", marker.id),
                    "put it at the end of a paragraph or list item, or on its own line after a table, quote, callout or list, with a blank line before it",
                    marker.location,
                ),
            }
            return true;
        }
        let parent = &stack[top - 1];
        match parent.kind {
            Kind::Item | Kind::Quote => {
                let (s, wrap) = (parent.start, parent.wrap.clone());
                self.name_block(marker, s, None, wrap, ids);
            }
            _ => self.name_block(marker, start, Some(at), None, ids),
        }
        false
    }

    /// The marker ending the inline run `run_start..at`, trimmed from its text event.
    fn marker_before(&mut self, at: usize, run_start: usize) -> Option<Marker> {
        let last = at.checked_sub(1).filter(|&l| l >= run_start)?;
        let (Event::Text(text), range) = &self.events[last] else {
            return None;
        };
        let (id, cut) = trailing_marker(text)?;
        // `^` opening the text must start the run or a line of it, or follow an embed or a
        // link (`![[image.png]]^figure`, as Obsidian accepts it).
        if text.starts_with('^')
            && last > run_start
            && !matches!(
                self.events[last - 1].0,
                Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Image | TagEnd::Link)
            )
        {
            return None;
        }
        let written = format!("^{id}");
        let location = self.body.location_of(range.clone(), &written, true);
        let marker = Marker {
            id: id.to_string(),
            location,
            alone: cut == 0 && last == run_start,
        };
        let trimmed = sub_cow(text, 0..cut);
        self.events[last].0 = Event::Text(trimmed);
        Some(marker)
    }

    /// Names the block starting at event `start` (and ending at `end`, when it has ended).
    fn name_block(
        &mut self,
        marker: Marker,
        start: usize,
        end: Option<usize>,
        wrap: Option<(String, &'static str)>,
        ids: &mut HashSet<String>,
    ) {
        if ids.contains(&marker.id) {
            return self.warn_marker(
                format!(
                    "block id `^{}` is already used in this note; this one is ignored",
                    marker.id
                ),
                "give each block an id of its own",
                marker.location,
            );
        }
        if let Some(&n) = self.block_ids.starts.get(&start) {
            let other = self.block_ids.named[n].id.clone();
            return self.warn_marker(
                format!(
                    "this block already has the id `^{other}`; `^{}` is ignored",
                    marker.id
                ),
                "a block has one id: remove one of them",
                marker.location,
            );
        }
        ids.insert(marker.id.clone());
        let n = self.block_ids.named.len();
        self.block_ids.named.push(Named {
            id: marker.id,
            wrap,
        });
        self.block_ids.starts.insert(start, n);
        if let Some(end) = end {
            self.block_ids.ends.insert(end, n);
        }
    }

    fn warn_marker(&mut self, message: String, hint: &str, location: Location) {
        self.diagnostics
            .push(Diagnostic::warning(message).at(location).with_hint(hint));
    }

    /// Where the walk goes on from event `i`: past a marker-only paragraph starting there.
    pub(super) fn skip_marker(&self, i: usize) -> Option<usize> {
        if self.block_ids.skip.is_empty() {
            return None;
        }
        self.block_ids.skip.get(&i).map(|end| end + 1)
    }

    /// Before event `i` is rendered: the sentinel opening a named block starting there.
    pub(super) fn open_named_block(&mut self, i: usize) {
        if let Some(&n) = self.block_ids.starts.get(&i) {
            self.emit_html(format!("{HOLE_OPEN}b{n}{HOLE_CLOSE}\n"));
        }
    }

    /// After events `from..to` are rendered: the sentinels closing named blocks ending there.
    pub(super) fn close_named_blocks(&mut self, from: usize, to: usize) {
        if self.block_ids.ends.is_empty() {
            return;
        }
        let ends: Vec<usize> = self
            .block_ids
            .ends
            .range(from..to)
            .map(|(_, &n)| n)
            .collect();
        for n in ends {
            self.emit_html(format!("{HOLE_OPEN}/b{n}{HOLE_CLOSE}\n"));
        }
    }
}

/// The list an item of `list` is shown in alone; advances the list's item number.
fn list_wrap(list: &mut Open) -> Option<(String, &'static str)> {
    let (number, tasks) = list.list.as_mut()?;
    let class = if *tasks { " class=\"tasklist\"" } else { "" };
    Some(match number {
        None => (format!("<ul{class}>\n"), "</ul>\n"),
        Some(n) => {
            let open = if *n == 1 {
                format!("<ol{class}>\n")
            } else {
                format!("<ol{class} start=\"{n}\">\n")
            };
            *n += 1;
            (open, "</ol>\n")
        }
    })
}

impl BlockIds {
    /// Takes the sentinels out of the rendered body `html`, gives each named block's first tag
    /// its id, and returns the body with every named block's own HTML. A block whose HTML does
    /// not open with a tag (a paragraph holding only an embed) is wrapped in a `<div>` with
    /// the id.
    pub(super) fn place(&self, html: String) -> (String, Vec<Block>) {
        if self.named.is_empty() {
            return (html, Vec::new());
        }
        let mut out = String::with_capacity(html.len() + 24 * self.named.len());
        // Per named block: where its HTML starts and ends in `out`, whether it was wrapped.
        let mut spans: Vec<(Option<usize>, Option<usize>, bool)> =
            vec![(None, None, false); self.named.len()];
        let mut rest = html.as_str();
        while let Some(at) = rest.find(HOLE_OPEN) {
            let after = &rest[at + HOLE_OPEN.len_utf8()..];
            let sentinel = after.find(HOLE_CLOSE).and_then(|close| {
                let token = &after[..close];
                let tail = after[close + HOLE_CLOSE.len_utf8()..].strip_prefix('\n')?;
                let (closing, number) = match token.strip_prefix("/b") {
                    Some(n) => (true, n),
                    None => (false, token.strip_prefix('b')?),
                };
                let n: usize = number.parse().ok().filter(|&n| n < self.named.len())?;
                Some((closing, n, tail))
            });
            let Some((closing, n, tail)) = sentinel else {
                // A hole or the summary: kept for `split_holes`.
                let keep = at + HOLE_OPEN.len_utf8();
                out.push_str(&rest[..keep]);
                rest = &rest[keep..];
                continue;
            };
            out.push_str(&rest[..at]);
            rest = tail;
            if closing {
                if spans[n].2 {
                    out.push_str("</div>\n");
                }
                spans[n].1 = Some(out.len());
                continue;
            }
            spans[n].0 = Some(out.len());
            let id = &self.named[n].id;
            let space = rest.len() - rest.trim_start().len();
            let opens_tag = rest[space..]
                .strip_prefix('<')
                .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_alphabetic()));
            if opens_tag {
                let name_end = rest[space + 1..]
                    .find(|c: char| !c.is_ascii_alphanumeric())
                    .map_or(rest.len(), |e| space + 1 + e);
                out.push_str(&rest[..name_end]);
                let _ = write!(out, " id=\"^{id}\"");
                rest = &rest[name_end..];
            } else {
                let _ = write!(out, "<div id=\"^{id}\">");
                spans[n].2 = true;
            }
        }
        out.push_str(rest);
        let blocks = self
            .named
            .iter()
            .zip(spans)
            .filter_map(|(named, span)| {
                let (Some(start), Some(end), _) = span else {
                    return None;
                };
                let inner = out.get(start..end)?;
                let html = match &named.wrap {
                    Some((open, close)) => split_holes(&format!("{open}{inner}{close}")),
                    None => split_holes(inner),
                };
                Some(Block {
                    id: named.id.clone(),
                    html: Html(html),
                })
            })
            .collect();
        (out, blocks)
    }
}

#[cfg(test)]
mod tests {
    use super::trailing_marker;

    #[test]
    fn markers_end_the_text_after_a_space() {
        assert_eq!(
            trailing_marker("Ship it. ^core-idea"),
            Some(("core-idea", 8))
        );
        assert_eq!(trailing_marker("^plan-table\n"), Some(("plan-table", 0)));
        assert_eq!(trailing_marker("x ^a1 "), Some(("a1", 1)));
        for not_one in ["x^2", "x ^", "x ^a_b", "x ^é", "x ^a b", "plain"] {
            assert_eq!(trailing_marker(not_one), None, "{not_one}");
        }
    }
}
