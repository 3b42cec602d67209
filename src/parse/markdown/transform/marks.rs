//! Highlights: Obsidian's `==text==` as `<mark>text</mark>`.
//!
//! pulldown-cmark does not know the syntax, so the prepass pairs the delimiters, in one pass
//! with a stack: a `==` (exactly two `=`) opens when a non-space follows it and closes when a
//! non-space precedes it, and pairs only with a `==` of the same block and the same inline
//! element, as GFM pairs `~~`; so marks always nest with emphasis and links, and an unpaired
//! `==` stays text. Code, code blocks and image descriptions are never marked. A delimiter is
//! known by its byte offset in the body, found from the text event's slice of the body (text
//! pulldown-cmark had to rewrite, such as an entity, holds no delimiter), so a text event the
//! transform cuts in two (a callout's title) still finds its own.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{Transform, sub_cow};

/// The paired delimiters of a body: (body offset, opens), sorted by offset.
#[derive(Default)]
pub(super) struct Marks {
    delimiters: Vec<(usize, bool)>,
}

/// Byte offset of `text` in `body`, when `text` is a slice of it.
pub(super) fn offset_in(body: &str, text: &str) -> Option<usize> {
    let start = (text.as_ptr() as usize).checked_sub(body.as_ptr() as usize)?;
    (start + text.len() <= body.len()).then_some(start)
}

impl Marks {
    /// The delimiters inside `text` (a slice of `body` starting at `at`), as indexes.
    fn within(&self, at: usize, len: usize) -> Range<usize> {
        let from = self.delimiters.partition_point(|&(o, _)| o < at);
        let to = from + self.delimiters[from..].partition_point(|&(o, _)| o < at + len);
        from..to
    }

    /// Appends `text` to `out` without its delimiters (for plain-text titles).
    pub(super) fn push_unmarked(&self, out: &mut String, text: &str, body: &str) {
        let cuts = match offset_in(body, text) {
            Some(at) if !self.delimiters.is_empty() => (at, self.within(at, text.len())),
            _ => (0, 0..0),
        };
        let (at, indexes) = cuts;
        let mut pos = 0;
        for &(offset, _) in &self.delimiters[indexes] {
            out.push_str(&text[pos..offset - at]);
            pos = offset - at + 2;
        }
        out.push_str(&text[pos..]);
    }
}

/// The pairing state while the prepass walks the events.
pub(super) struct Pairing<'b> {
    body: &'b str,
    /// Inline elements open in the current block.
    depth: usize,
    /// Open code blocks, metadata blocks and images: no marks inside.
    skip: usize,
    /// Whether the text before the next one ends in a space (or a block starts there).
    space_before: bool,
    /// Unpaired openers: (inline depth, body offset).
    open: Vec<(usize, usize)>,
    found: Vec<(usize, bool)>,
}

impl<'b> Pairing<'b> {
    /// Pairing for `body`, or `None` when it has no `==` at all (the usual case: no work).
    pub(super) fn new(body: &'b str) -> Option<Pairing<'b>> {
        body.contains("==").then_some(Pairing {
            body,
            depth: 0,
            skip: 0,
            space_before: true,
            open: Vec::new(),
            found: Vec::new(),
        })
    }

    /// Takes in one event; `next` is the event after it.
    pub(super) fn event(&mut self, event: &Event<'_>, next: Option<&Event<'_>>) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Image { .. } | Tag::CodeBlock(_) | Tag::MetadataBlock(_) => self.skip += 1,
                _ if self.skip > 0 => {}
                tag if is_inline(tag) => self.depth += 1,
                _ => self.block(),
            },
            Event::End(end) => match end {
                TagEnd::Image | TagEnd::CodeBlock | TagEnd::MetadataBlock(_) => {
                    self.skip = self.skip.saturating_sub(1);
                    self.space_before = false;
                }
                _ if self.skip > 0 => {}
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link => {
                    self.depth = self.depth.saturating_sub(1);
                    // Openers inside the element just closed can no longer pair.
                    while self.open.last().is_some_and(|&(d, _)| d > self.depth) {
                        self.open.pop();
                    }
                    self.space_before = false;
                }
                _ => self.block(),
            },
            Event::Text(text) if self.skip == 0 => self.text(text, next),
            Event::SoftBreak | Event::HardBreak => self.space_before = true,
            _ => self.space_before = false,
        }
    }

    fn block(&mut self) {
        self.depth = 0;
        self.open.clear();
        self.space_before = true;
    }

    fn text(&mut self, text: &CowStr<'_>, next: Option<&Event<'_>>) {
        let Some(at) = offset_in(self.body, text) else {
            if let Some(last) = text.chars().next_back() {
                self.space_before = last.is_whitespace();
            }
            return;
        };
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(found) = text[i..].find("==") {
            let start = i + found;
            let mut end = start;
            while bytes.get(end) == Some(&b'=') {
                end += 1;
            }
            i = end;
            if end - start != 2 {
                continue;
            }
            let space_before = match text[..start].chars().next_back() {
                Some(c) => c.is_whitespace(),
                None => self.space_before,
            };
            let space_after = match text[end..].chars().next() {
                Some(c) => c.is_whitespace(),
                None => starts_with_space(next),
            };
            let closes = !space_before && self.open.last().is_some_and(|&(d, _)| d == self.depth);
            if closes {
                if let Some((_, opener)) = self.open.pop() {
                    self.found.push((opener, true));
                    self.found.push((at + start, false));
                }
            } else if !space_after {
                self.open.push((self.depth, at + start));
            }
        }
        if let Some(last) = text.chars().next_back() {
            self.space_before = last.is_whitespace();
        }
    }

    pub(super) fn finish(mut self) -> Marks {
        self.found.sort_unstable();
        Marks {
            delimiters: self.found,
        }
    }
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
    )
}

/// Whether what follows a text event begins with a space (a line or block end counts as one).
fn starts_with_space(next: Option<&Event<'_>>) -> bool {
    match next {
        Some(Event::Text(t)) => t.chars().next().is_none_or(char::is_whitespace),
        Some(Event::End(end)) => !matches!(
            end,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
        ),
        Some(Event::Start(tag)) => !is_inline(tag) && !matches!(tag, Tag::Image { .. }),
        Some(Event::SoftBreak | Event::HardBreak) | None => true,
        Some(_) => false,
    }
}

impl<'a> Transform<'a, '_> {
    /// The body offset of `text` when it holds paired delimiters.
    pub(super) fn marked_at(&self, text: &str) -> Option<usize> {
        if self.marks.delimiters.is_empty() {
            return None;
        }
        let at = offset_in(self.body.text, text)?;
        (!self.marks.within(at, text.len()).is_empty()).then_some(at)
    }

    /// Text holding paired delimiters (`at` is its body offset): the pieces between them as
    /// text, the delimiters as `<mark>` and `</mark>`.
    pub(super) fn marked_text(&mut self, text: CowStr<'a>, at: usize) {
        let mut pos = 0;
        for k in self.marks.within(at, text.len()) {
            let (offset, opens) = self.marks.delimiters[k];
            let cut = offset - at;
            if cut > pos {
                self.prose(sub_cow(&text, pos..cut));
            }
            if opens {
                self.emit_html("<mark>");
            } else {
                self.emit_html("</mark>");
                self.inline.tag_boundary = false;
            }
            pos = cut + 2;
        }
        if pos < text.len() {
            self.prose(sub_cow(&text, pos..text.len()));
        }
    }
}
