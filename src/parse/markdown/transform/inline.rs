//! Running text: the word count, inline `#tags`, code spans and line breaks (highlights are
//! cut out of text first, by `marks`).
//!
//! Words and tags can continue across text events (pulldown-cmark splits text at escapes and
//! entities), so whether the last text ended inside a word or at a tag boundary is kept between
//! events and reset at every block boundary.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use super::super::text::{has_sentinel, next_tag, push_escaped};
use super::blocks::Para;
use super::callouts::close_callout_title;
use super::{Transform, sub_cow};

pub(super) struct Inline {
    /// Whether a `#tag` may start at the beginning of the next text (after whitespace or at
    /// the start of a block).
    pub(super) tag_boundary: bool,
    /// Whether the last text ended inside a word.
    pub(super) in_word: bool,
    pub(super) word_count: usize,
    /// Inline tags, without the `#`, in order of first use.
    pub(super) tags: Vec<String>,
    tag_set: HashSet<String>,
}

impl Default for Inline {
    fn default() -> Self {
        Inline {
            tag_boundary: true,
            in_word: false,
            word_count: 0,
            tags: Vec::new(),
            tag_set: HashSet::new(),
        }
    }
}

impl Inline {
    fn count_words(&mut self, text: &str) {
        for b in text.bytes() {
            if b.is_ascii_whitespace() {
                self.in_word = false;
            } else if !self.in_word {
                self.in_word = true;
                self.word_count += 1;
            }
        }
    }
}

impl<'a> Transform<'a, '_> {
    pub(super) fn text(&mut self, text: CowStr<'a>, range: Range<usize>, next: usize) {
        if let Some(parts) = self.text_with_placeholders(text.clone()) {
            for part in parts {
                match part {
                    Ok(text) => self.text_part(text, range.clone(), next),
                    Err(placeholder) => {
                        self.inline.tag_boundary = false;
                        self.emit(Event::InlineHtml(placeholder.into()));
                    }
                }
            }
            return;
        }
        self.text_part(text, range, next);
    }

    fn text_part(&mut self, text: CowStr<'a>, range: Range<usize>, next: usize) {
        if &*text == "[" {
            self.check_undefined_footnote(range.start, next);
        }
        match self.marked_at(&text) {
            Some(at) => self.marked_text(text, at),
            None => self.prose(text),
        }
    }

    /// Text without highlight delimiters: words, context, inline tags.
    pub(super) fn prose(&mut self, text: CowStr<'a>) {
        self.inline.count_words(&text);
        self.ctx_append(&text);
        let boundary = self.inline.tag_boundary;
        if let Some(last) = text.chars().next_back() {
            self.inline.tag_boundary = last.is_whitespace();
        }
        let tags_allowed = self.links.depth == 0;
        let first_tag = if tags_allowed && text.contains('#') {
            next_tag(&text, 0, boundary)
        } else {
            None
        };
        let Some(mut tag) = first_tag else {
            self.emit_text(text);
            return;
        };
        let mut pos = 0;
        loop {
            let (start, end) = tag;
            if start > pos {
                self.emit_text(sub_cow(&text, pos..start));
            }
            let word = &text[start + 1..end];
            if !self.inline.tag_set.contains(word) {
                self.inline.tag_set.insert(word.to_string());
                self.inline.tags.push(word.to_string());
            }
            // Tag characters are letters, digits, `-`, `_` and `/`: nothing to escape.
            self.emit_html(format!("<span class=\"tag\">#{word}</span>"));
            pos = end;
            match next_tag(&text, pos, boundary) {
                Some(found) => tag = found,
                None => break,
            }
        }
        if pos < text.len() {
            self.emit_text(sub_cow(&text, pos..text.len()));
        }
    }

    fn emit_text(&mut self, text: CowStr<'a>) {
        if has_sentinel(&text) {
            let mut html = String::with_capacity(text.len() + 16);
            push_escaped(&mut html, &text);
            self.emit_html(html);
        } else {
            self.emit(Event::Text(text));
        }
    }

    pub(super) fn code_span(&mut self, code: CowStr<'a>) {
        self.inline.count_words(&code);
        self.ctx_append(&code);
        self.inline.tag_boundary = false;
        if has_sentinel(&code) {
            let mut html = String::from("<code>");
            push_escaped(&mut html, &code);
            html.push_str("</code>");
            self.emit_html(html);
        } else {
            self.emit(Event::Code(code));
        }
    }

    /// A soft or hard line break; the first one of a callout ends its title.
    pub(super) fn line_break(&mut self, event: Event<'a>) {
        self.inline.in_word = false;
        self.inline.tag_boundary = true;
        self.ctx_append(" ");
        if let Para::CalloutTitle { details } = self.blocks.para {
            self.blocks.para = Para::Normal;
            self.emit_html(format!("{}<p>", close_callout_title(details)));
        } else {
            self.emit(event);
        }
    }
}
