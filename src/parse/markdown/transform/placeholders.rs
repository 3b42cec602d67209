//! Shortcode placeholders (`crate::parse::shortcodes`): written through as raw HTML where
//! they stand, a block one as an HTML block, an inline one out of the text it sits in (so it
//! is neither escaped, counted as words nor shown in a backlink's context), and filled with the
//! shortcodes' output once the body is rendered.
//!
//! A placeholder is `U+E000 c<index>.<nonce> U+E001`. Author text with those sentinels is
//! escaped (`push_escaped`, `defuse`) before it reaches the HTML, and a placeholder only counts
//! with this body's nonce, so text an author writes never becomes one.

use pulldown_cmark::{CowStr, Event};

use super::super::text::{HOLE_CLOSE, HOLE_OPEN, defuse};
use super::{Placeholders, Transform, sub_cow};

/// The byte length of the placeholder starting at `at` of `s`, if it is one of `placeholders`.
fn placeholder_at(s: &str, at: usize, placeholders: &Placeholders) -> Option<(usize, usize)> {
    let rest = s[at..].strip_prefix(HOLE_OPEN)?.strip_prefix('c')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let index: usize = rest[..digits].parse().ok()?;
    let rest = rest[digits..].strip_prefix('.')?;
    let rest = rest.strip_prefix(placeholders.nonce.as_str())?;
    rest.strip_prefix(HOLE_CLOSE)?;
    if index >= placeholders.outputs.len() {
        return None;
    }
    let len =
        HOLE_OPEN.len_utf8() + 1 + digits + 1 + placeholders.nonce.len() + HOLE_CLOSE.len_utf8();
    Some((index, len))
}

impl<'a> Transform<'a, '_> {
    /// Splits `text` at this body's placeholders: text parts go on as text, placeholders as
    /// raw HTML. `None` when the text has none, `text` unchanged.
    pub(super) fn text_with_placeholders(
        &mut self,
        text: CowStr<'a>,
    ) -> Option<Vec<Result<CowStr<'a>, String>>> {
        let placeholders = self.placeholders.as_ref()?;
        if !text.contains(HOLE_OPEN) {
            return None;
        }
        let mut parts = Vec::new();
        let mut last = 0;
        let mut from = 0;
        while let Some(found) = text[from..].find(HOLE_OPEN) {
            let at = from + found;
            match placeholder_at(&text, at, placeholders) {
                Some((_, len)) => {
                    if at > last {
                        parts.push(Ok(sub_cow(&text, last..at)));
                    }
                    parts.push(Err(text[at..at + len].to_string()));
                    last = at + len;
                    from = last;
                }
                None => from = at + HOLE_OPEN.len_utf8(),
            }
        }
        if parts.is_empty() {
            return None;
        }
        if last < text.len() {
            parts.push(Ok(sub_cow(&text, last..text.len())));
        }
        Some(parts)
    }

    /// Raw HTML the author wrote, a call inside it (`<div>{{ figure(…) }}</div>`) kept: this
    /// body's placeholders stay, every other sentinel is escaped as in [`defuse`].
    pub(super) fn raw_html(&self, html: CowStr<'a>) -> CowStr<'a> {
        let Some(placeholders) = self.placeholders.as_ref() else {
            return super::defuse_cow(html);
        };
        if !html.contains([HOLE_OPEN, HOLE_CLOSE]) {
            return html;
        }
        let mut out = String::with_capacity(html.len() + 16);
        let mut last = 0;
        let mut from = 0;
        while let Some(found) = html[from..].find(HOLE_OPEN) {
            let at = from + found;
            if let Some((_, len)) = placeholder_at(&html, at, placeholders) {
                out.push_str(&defuse(&html[last..at]));
                out.push_str(&html[at..at + len]);
                last = at + len;
                from = last;
            } else {
                from = at + HOLE_OPEN.len_utf8();
            }
        }
        out.push_str(&defuse(&html[last..]));
        CowStr::from(out)
    }

    /// `text` without this body's placeholders, for plain text made of a construct's text
    /// (heading ids and titles, image alt text): a shortcode's HTML has no place there.
    pub(super) fn without_placeholders(&self, text: String) -> String {
        let Some(placeholders) = self.placeholders.as_ref() else {
            return text;
        };
        if !text.contains(HOLE_OPEN) {
            return text;
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        let mut from = 0;
        while let Some(found) = text[from..].find(HOLE_OPEN) {
            let at = from + found;
            match placeholder_at(&text, at, placeholders) {
                Some((_, len)) => {
                    out.push_str(&text[last..at]);
                    last = at + len;
                    from = last;
                }
                None => from = at + HOLE_OPEN.len_utf8(),
            }
        }
        out.push_str(&text[last..]);
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Whether the HTML block part `html` is a block placeholder `<!--…-->` of this body; then
    /// it is written as is.
    pub(super) fn block_placeholder(&mut self, html: &CowStr<'a>) -> bool {
        let Some(placeholders) = self.placeholders.as_ref() else {
            return false;
        };
        let Some(inner) = html
            .trim_end()
            .strip_prefix("<!--")
            .and_then(|h| h.strip_suffix("-->"))
        else {
            return false;
        };
        let is_one =
            placeholder_at(inner, 0, placeholders).is_some_and(|(_, len)| len == inner.len());
        if is_one {
            self.emit(Event::Html(CowStr::from(format!("{}\n", html.trim_end()))));
        }
        is_one
    }
}

/// `html` with each placeholder (and the comment around a block one) replaced by its output,
/// sentinels in the output escaped.
pub(super) fn fill(html: &str, placeholders: &Placeholders) -> String {
    if !html.contains(HOLE_OPEN) {
        return html.to_string();
    }
    let mut out = String::with_capacity(
        html.len() + placeholders.outputs.iter().map(String::len).sum::<usize>(),
    );
    let mut last = 0;
    let mut from = 0;
    while let Some(found) = html[from..].find(HOLE_OPEN) {
        let at = from + found;
        let Some((index, len)) = placeholder_at(html, at, placeholders) else {
            from = at + HOLE_OPEN.len_utf8();
            continue;
        };
        let (start, end) = if html[..at].ends_with("<!--") && html[at + len..].starts_with("-->") {
            (at - 4, at + len + 3)
        } else {
            (at, at + len)
        };
        out.push_str(&html[last..start]);
        out.push_str(&defuse(&placeholders.outputs[index]));
        last = end;
        from = end;
    }
    out.push_str(&html[last..]);
    out
}
