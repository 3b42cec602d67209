//! Block quotes and callouts.
//!
//! A quote whose first paragraph starts with `[!type]` (GitHub's five kinds and Obsidian's
//! any-word kinds) is a callout: a titled box, foldable as `<details>` when the marker ends in
//! `-` (closed) or `+` (open). The title is the rest of the marker's line, or the type.

use std::fmt::Write as _;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::blocks::Para;
use super::{Transform, sub_cow};

/// An open block quote.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Quote {
    Plain,
    Callout { details: bool },
}

impl Transform<'_, '_> {
    pub(super) fn start_quote(&mut self, next: usize) -> usize {
        self.block_boundary();
        self.blocks.container_depth += 1;
        if let Some(after) = self.callout(next) {
            return after;
        }
        self.quotes.push(Quote::Plain);
        self.emit(Event::Start(Tag::BlockQuote(None)));
        next
    }

    pub(super) fn end_quote(&mut self, end: TagEnd) {
        self.block_boundary();
        self.blocks.container_depth = self.blocks.container_depth.saturating_sub(1);
        match self.quotes.pop() {
            Some(Quote::Callout { details: false }) => self.emit_html("</div>\n</div>\n"),
            Some(Quote::Callout { details: true }) => self.emit_html("</div>\n</details>\n"),
            _ => self.emit(Event::End(end)),
        }
    }

    /// Recognises `[!type]`, `[!type]-` or `[!type]+` (then an optional title) at the start of
    /// the quote's first paragraph. pulldown-cmark splits the marker over several text events
    /// (`[`, `!NOTE`, `]`), so the leading text events are joined before matching. Returns the
    /// index to continue from, or `None` for an ordinary quote.
    fn callout(&mut self, next: usize) -> Option<usize> {
        if !matches!(self.peek(next), Some(Event::Start(Tag::Paragraph))) {
            return None;
        }
        let mut head = String::new();
        let mut j = next + 1;
        while let Some(Event::Text(t)) = self.peek(j) {
            head.push_str(t);
            j += 1;
            if head.len() > 128 {
                break;
            }
        }
        let rest = head.strip_prefix("[!")?;
        let type_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        let kind = &rest[..type_len];
        let after_type = rest[type_len..].strip_prefix(']')?;
        if kind.is_empty() {
            return None;
        }
        let fold = match after_type.chars().next() {
            Some('-') => Some(false),
            Some('+') => Some(true),
            _ => None,
        };
        let marker_len = 2 + type_len + 1 + usize::from(fold.is_some());
        let kind = kind.to_lowercase();

        // Consume the marker's text events; keep what follows it in the last one.
        let mut remaining = marker_len;
        let mut j = next + 1;
        let mut partial = None;
        while remaining > 0 {
            let (text, event_range) = match self.take(j) {
                (Event::Text(t), r) => (t, r),
                (other, r) => {
                    // Cannot happen (the marker was found in these text events); put it back.
                    self.events[j] = (other, r);
                    break;
                }
            };
            j += 1;
            if text.len() <= remaining {
                remaining -= text.len();
            } else {
                let rest = sub_cow(&text, remaining..text.len());
                let start = event_range.start + remaining.min(event_range.len());
                partial = Some((rest, start..event_range.end));
                remaining = 0;
            }
        }
        // The title may start in the next text event (`]` is often an event of its own).
        if partial.is_none()
            && let Some(Event::Text(_)) = self.peek(j)
        {
            if let (Event::Text(text), r) = self.take(j) {
                partial = Some((text, r));
            }
            j += 1;
        }
        let partial = partial.and_then(|(text, r)| {
            let trimmed = text.trim_start();
            if trimmed.is_empty() {
                None
            } else {
                let skip = text.len() - trimmed.len();
                Some((sub_cow(&text, skip..text.len()), r.start + skip..r.end))
            }
        });
        let title_is_empty = partial.is_none()
            && matches!(
                self.peek(j),
                None | Some(Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph))
            );

        let details = fold.is_some();
        self.quotes.push(Quote::Callout { details });
        self.ctx_push();
        self.blocks.para = Para::CalloutTitle { details };
        let mut html = String::with_capacity(128);
        if details {
            let _ = write!(
                html,
                "<details class=\"callout callout-{kind}\" data-callout=\"{kind}\"{}>\n<summary class=\"callout-title\">",
                if fold == Some(true) { " open" } else { "" }
            );
        } else {
            let _ = write!(
                html,
                "<div class=\"callout callout-{kind}\" data-callout=\"{kind}\">\n<p class=\"callout-title\">"
            );
        }
        if title_is_empty {
            let mut chars = kind.chars();
            if let Some(first) = chars.next() {
                html.extend(first.to_uppercase());
                html.push_str(chars.as_str());
            }
        }
        self.emit_html(html);
        self.block_boundary();
        if let Some((text, r)) = partial {
            self.text(text, r, j);
        }
        Some(j)
    }
}

/// Closes a callout's title line and opens its body.
pub(super) fn close_callout_title(details: bool) -> &'static str {
    if details {
        "</summary>\n<div class=\"callout-body\">\n"
    } else {
        "</p>\n<div class=\"callout-body\">\n"
    }
}
