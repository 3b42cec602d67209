//! Small string helpers for the Markdown stage: escaping that keeps the hole sentinels
//! unforgeable, destination classification, inline tags, backlink contexts and fast locations.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::Location;

/// Opens a hole in the rendered HTML; a hole is `OPEN token CLOSE`. Private-use characters, so
/// they never occur in HTML that steppe writes itself; author text carrying them is escaped.
pub(super) const HOLE_OPEN: char = '\u{E000}';
pub(super) const HOLE_CLOSE: char = '\u{E001}';
/// Marks the start and end of the summary inside the rendered HTML.
pub(super) const SUMMARY_START: &str = "\u{E000}s\u{E001}";
pub(super) const SUMMARY_END: &str = "\u{E000}/s\u{E001}";

/// Whether `s` holds a sentinel. Both encode as `EE 80 8x`, so a byte scan rules most text out.
pub(super) fn has_sentinel(s: &str) -> bool {
    s.as_bytes().contains(&0xEE) && s.contains([HOLE_OPEN, HOLE_CLOSE])
}

/// HTML-escapes `s` for element content or a double-quoted attribute. Sentinels become numeric
/// character references, which browsers decode to the same character but our splitter ignores.
pub(super) fn push_escaped(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (replacement, width) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            0xEE if bytes[i + 1..].starts_with(&[0x80, 0x80]) => ("&#xE000;", 3),
            0xEE if bytes[i + 1..].starts_with(&[0x80, 0x81]) => ("&#xE001;", 3),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[last..i]);
        out.push_str(replacement);
        i += width;
        last = i;
    }
    out.push_str(&s[last..]);
}

/// Replaces only the sentinels: for raw HTML the author wrote and HTML made by other crates.
pub(super) fn defuse(s: &str) -> Cow<'_, str> {
    if has_sentinel(s) {
        Cow::Owned(
            s.replace(HOLE_OPEN, "&#xE000;")
                .replace(HOLE_CLOSE, "&#xE001;"),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// Writes an external URL into a double-quoted attribute: characters that cannot appear in a URL
/// (spaces, quotes, controls, sentinels) are percent-encoded, `&` is escaped.
pub(super) fn push_href(out: &mut String, url: &str) {
    for c in url.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' | '<' | '>' | ' ' | '\\' | '^' | '`' | '{' | '|' | '}' | HOLE_OPEN | HOLE_CLOSE => {
                percent_encode_char(out, c)
            }
            c if c.is_control() || c.is_whitespace() => percent_encode_char(out, c),
            c => out.push(c),
        }
    }
}

fn percent_encode_char(out: &mut String, c: char) {
    let mut buf = [0u8; 4];
    for b in c.encode_utf8(&mut buf).bytes() {
        out.push('%');
        out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
    }
}

/// `%20` → space. Invalid escapes stay as written; a result that is not UTF-8 keeps the input.
pub(super) fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| crate::escape::hex_digit(*b)),
                bytes.get(i + 2).and_then(|b| crate::escape::hex_digit(*b)),
            )
        {
            out.push(h << 4 | l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(decoded) => Cow::Owned(decoded),
        Err(_) => Cow::Borrowed(s),
    }
}

/// A destination with a URL scheme (`https:`, `mailto:`) or protocol-relative (`//host`) leaves
/// the site; everything else is resolved against the site's documents.
pub(super) fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let mut bytes = dest.bytes();
    if !bytes.next().is_some_and(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    for b in bytes {
        match b {
            b':' => return true,
            b'+' | b'-' | b'.' => {}
            b if b.is_ascii_alphanumeric() => {}
            _ => return false,
        }
    }
    false
}

/// Whether an embed target names an image (by extension, ignoring `#fragment` and `?query`).
pub(super) fn is_image_target(target: &str) -> bool {
    let path = target.split(['#', '?']).next().unwrap_or("");
    let Some((_, ext)) = path.rsplit_once('.') else {
        return false;
    };
    ["png", "jpg", "jpeg", "gif", "svg", "webp", "avif"]
        .iter()
        .any(|known| ext.eq_ignore_ascii_case(known))
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_' || c == '/'
}

/// The next inline `#tag` in `s` at or after byte `from`, as the byte range of `#tag`. A tag
/// follows whitespace (or the start of the text when `boundary_before`), and needs a letter so
/// `#1` and `#2024` stay plain text.
pub(super) fn next_tag(s: &str, from: usize, boundary_before: bool) -> Option<(usize, usize)> {
    let mut search = from;
    while let Some(found) = s.get(search..).and_then(|rest| rest.find('#')) {
        let hash = search + found;
        let preceded = if hash == 0 {
            boundary_before
        } else {
            s[..hash]
                .chars()
                .next_back()
                .is_some_and(char::is_whitespace)
        };
        if preceded {
            let word_start = hash + 1;
            let mut end = s[word_start..]
                .char_indices()
                .find(|&(_, c)| !is_tag_char(c))
                .map_or(s.len(), |(i, _)| word_start + i);
            while end > word_start && s.as_bytes()[end - 1] == b'/' {
                end -= 1;
            }
            if s[word_start..end].chars().any(char::is_alphabetic) {
                return Some((hash, end));
            }
        }
        search = hash + 1;
    }
    None
}

/// Longest backlink context, in characters.
const CONTEXT_CHARS: usize = 240;

/// The text around a link for its backlink: `text` whole if short, else a window of about
/// [`CONTEXT_CHARS`] characters centred on the link at bytes `start..end`, cut at word
/// boundaries, with `…` where text was cut.
pub(super) fn context_window(text: &str, start: usize, end: usize) -> String {
    let start = floor_boundary(text, start.min(text.len()));
    let end = floor_boundary(text, end.clamp(start, text.len()));
    // Bounded: counting the whole text for every link of a long paragraph is quadratic.
    if text.chars().nth(CONTEXT_CHARS).is_none() {
        return text.trim().to_string();
    }
    let link_chars = text[start..end].chars().count();
    let (mut from, mut to);
    if link_chars >= CONTEXT_CHARS {
        from = start;
        to = advance(text, start, CONTEXT_CHARS);
    } else {
        let spare = CONTEXT_CHARS - link_chars;
        from = retreat(text, start, spare / 2);
        let before = text[from..start].chars().count();
        to = advance(text, end, spare - before);
        let after = text[end..to].chars().count();
        // Near the end of the text: give the unused budget back to the left side.
        from = retreat(text, from, spare - before - after);
    }
    if from > 0
        && let Some(space) = text[from..start].find(' ')
    {
        from += space + 1;
    }
    // (A link longer than the whole window ends after `to`: nothing to cut there.)
    if to < text.len()
        && let Some(space) = text.get(end..to).and_then(|after| after.rfind(' '))
    {
        to = end + space;
    }
    let mut out = String::with_capacity(to - from + 8);
    if from > 0 {
        out.push('…');
    }
    out.push_str(text[from..to].trim());
    if to < text.len() {
        out.push('…');
    }
    out
}

fn advance(text: &str, from: usize, chars: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| from + i)
}

fn retreat(text: &str, from: usize, chars: usize) -> usize {
    if chars == 0 {
        return from;
    }
    text[..from]
        .char_indices()
        .rev()
        .nth(chars - 1)
        .map_or(0, |(i, _)| i)
}

pub(super) fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Locations in one file, with line starts computed once (on first use) so a document with many
/// links costs one scan rather than one per link. Same results as [`Location::from_offset`].
pub(super) struct Lines<'a> {
    path: &'a Path,
    text: &'a str,
    starts: Vec<usize>,
    /// The last line asked for: its number, shared text, and the last (byte offset, column)
    /// on it, so many locations on one long line cost one pass over it, not one each.
    current: Option<(usize, Arc<str>, usize, usize)>,
}

impl<'a> Lines<'a> {
    pub(super) fn new(path: &'a Path, text: &'a str) -> Lines<'a> {
        Lines {
            path,
            text,
            starts: Vec::new(),
            current: None,
        }
    }

    /// Location of `byte_len` bytes at absolute byte `offset` of the file.
    pub(super) fn location(&mut self, offset: usize, byte_len: usize) -> Location {
        let text = self.text;
        if self.starts.is_empty() {
            self.starts.push(0);
            self.starts.extend(
                text.bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            );
        }
        let offset = floor_boundary(text, offset);
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let line_start = self.starts[line - 1];
        let line_end = self.starts.get(line).map_or(text.len(), |&next| next - 1);
        let line_text = text[line_start..line_end].trim_end_matches('\r');
        let (shared, column) = match &self.current {
            Some((l, shared, from, column)) if *l == line && *from <= offset => (
                Arc::clone(shared),
                column + text[*from..offset].chars().count(),
            ),
            _ => (
                Arc::from(line_text),
                text[line_start..offset].chars().count() + 1,
            ),
        };
        self.current = Some((line, Arc::clone(&shared), offset, column));
        let end = floor_boundary(
            text,
            offset
                .saturating_add(byte_len)
                .min(line_start + line_text.len()),
        );
        let len = text[offset..end.max(offset)].chars().count().max(1);
        Location {
            path: self.path.to_path_buf(),
            line,
            column,
            len,
            line_text: shared,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing (`markdown`): a link whose text is longer than the whole window
    /// sliced `text[end..to]` with `to < end` and panicked.
    #[test]
    fn context_of_a_link_longer_than_the_window() {
        let link = "word ".repeat(60);
        let text = format!("{}{link}{}", "a ".repeat(200), " b".repeat(200));
        let (start, end) = (400, 400 + link.len());
        let context = context_window(&text, start, end);
        assert!(context.starts_with("…word word"), "{context}");
        assert!(context.ends_with('…'), "{context}");
        assert_eq!(context.chars().count(), CONTEXT_CHARS + 1, "{context}");
    }

    #[test]
    fn escaping_defuses_sentinels() {
        let mut out = String::new();
        push_escaped(&mut out, "a<b>&\"\u{E000}1\u{E001}é");
        assert_eq!(out, "a&lt;b&gt;&amp;&quot;&#xE000;1&#xE001;é");
        assert_eq!(defuse("x\u{E000}y"), "x&#xE000;y");
        assert!(!has_sentinel("plain ëî text"));
    }

    #[test]
    fn external_destinations() {
        for d in [
            "https://x.y",
            "mailto:a@b",
            "tel:123",
            "//cdn.x/y",
            "a+b.c-d:x",
        ] {
            assert!(is_external(d), "{d}");
        }
        for d in [
            "#anchor",
            "other.md#x",
            "../x/y.md",
            "@/essays/x.md",
            "/about/",
            "img.png",
            "folder with space/a.md",
            "1http://x",
            "",
        ] {
            assert!(!is_external(d), "{d}");
        }
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b%2Fc"), "a b/c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%C3%A9"), "%zzé");
        assert_eq!(percent_decode("%FF"), "%FF");
    }

    #[test]
    fn hrefs_are_encoded() {
        let mut out = String::new();
        push_href(&mut out, "https://x.y/?a=1&b=\"2\" \u{E000}");
        assert_eq!(out, "https://x.y/?a=1&amp;b=%222%22%20%EE%80%80");
    }

    #[test]
    fn tags() {
        let s = "#start mid #two/sub/ C#sharp #123 #x-1 (#no) # #";
        let mut found = Vec::new();
        let mut pos = 0;
        while let Some((a, b)) = next_tag(s, pos, true) {
            found.push(&s[a..b]);
            pos = b;
        }
        assert_eq!(found, ["#start", "#two/sub", "#x-1"]);
        assert_eq!(next_tag("#start", 0, false), None);
    }

    #[test]
    fn context_windows() {
        assert_eq!(context_window(" short text ", 1, 5), "short text");
        let long = format!("{} LINK {}", "word ".repeat(100), "tail ".repeat(100));
        let at = long.find("LINK").unwrap();
        let ctx = context_window(&long, at, at + 4);
        assert!(ctx.starts_with('…') && ctx.ends_with('…'), "{ctx}");
        assert!(ctx.contains("LINK"));
        assert!(ctx.chars().count() <= CONTEXT_CHARS + 2, "{}", ctx.len());
        let end = format!("{} LINK", "word ".repeat(100));
        let at = end.find("LINK").unwrap();
        let ctx = context_window(&end, at, at + 4);
        assert!(ctx.starts_with('…') && ctx.ends_with("LINK"), "{ctx}");
        assert!(ctx.chars().count() > 200);
    }

    #[test]
    fn lines_match_from_offset() {
        let text = "ab\r\ncdé\n\nxyz";
        let path = Path::new("p.md");
        let mut lines = Lines::new(path, text);
        for offset in 0..=text.len() + 2 {
            for len in [0, 1, 3, 20] {
                assert_eq!(
                    lines.location(offset, len),
                    Location::from_offset(path, text, offset, len),
                    "{offset} {len}"
                );
            }
        }
    }
}
