//! Highlighted code handed to Pagefind without its highlighting.
//!
//! A highlighted code block is mostly `<span class="…">` tags: on a generated site with code in
//! most pages they were four in ten of a page's elements, and Pagefind's parser does real work
//! for each element (a node, its attributes looked up one by one, an end-tag handler). The
//! index only needs the text. Inside such a block a span with no attribute but `class` is
//! inline, carries no anchor, weight, filter or meta, and only passes its text to its parent,
//! so the block reads the same to Pagefind without those tags: the same words at the same
//! positions, the same excerpt. `the_batch_gives_the_published_bundle` (in `search.rs`) holds
//! that against Pagefind as published, reading the unstripped page.
//!
//! Only a `<pre>` whose content is text, `<code>` and such spans, balanced, is touched; any
//! other tag inside (an author's own HTML, an id, a `data-pagefind-*` attribute) leaves the
//! block as it is.

use memchr::memmem;

/// Elements whose content is raw text, where `<pre>` is not a tag (lol_html's list).
const RAW_TEXT: &[&[u8]] = &[
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"noscript",
    b"plaintext",
];

/// `html` with the class-only spans of its plain highlighted `<pre>` blocks taken out.
pub(super) fn unwrap_spans(html: String) -> String {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    // Up to where `html` has been copied to `out`.
    let mut copied = 0;
    let mut at = 0;
    // A walk over tags, so that `<pre` in a comment or in raw text is left alone.
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            match memmem::find(&rest[4..], b"-->") {
                Some(end) => at = start + 4 + end + 3,
                None => break,
            }
            continue;
        }
        let name_length = rest[1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = &rest[1..1 + name_length];
        if name_length == 0 {
            at = start + 1;
            continue;
        }
        let Some(inner) = tag_end(bytes, start + 1 + name_length) else {
            break;
        };
        at = inner;
        if let Some(raw) = RAW_TEXT.iter().find(|raw| raw.eq_ignore_ascii_case(name)) {
            // Past the element's end tag, or the rest of the page when there is none.
            let close = [b"</".as_slice(), raw].concat();
            match find_ignoring_case(&bytes[inner..], &close) {
                Some(end) => at = inner + end,
                None => break,
            }
            continue;
        }
        if name != b"pre" {
            continue;
        }
        let Some(length) = memmem::find(&bytes[inner..], b"</pre>") else {
            break;
        };
        let content = &html[inner..inner + length];
        at = inner + length + "</pre>".len();
        if let Some(plain) = without_spans(content) {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(&html[copied..inner]);
            out.push_str(&plain);
            copied = inner + length;
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&html[copied..]);
            out
        }
        None => html,
    }
}

/// Where `needle` (lowercase ASCII) first occurs in `haystack`, ignoring ASCII case.
fn find_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = [needle[0], needle[0].to_ascii_uppercase()];
    let mut at = 0;
    while let Some(found) = memchr::memchr2(first[0], first[1], &haystack[at..]) {
        let start = at + found;
        if haystack.len() - start >= needle.len()
            && haystack[start..start + needle.len()].eq_ignore_ascii_case(needle)
        {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// A block's content without its spans, if every tag in it is `<code …>`, `</code>`,
/// `<span>`, `<span class="…">` or `</span>`, balanced, and there is a span at all.
fn without_spans(content: &str) -> Option<String> {
    let bytes = content.as_bytes();
    let mut plain = String::with_capacity(content.len());
    let (mut spans, mut codes, mut any) = (0usize, 0usize, false);
    let mut from = 0;
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found;
        let rest = &bytes[start..];
        if rest.starts_with(b"</span>") {
            spans = spans.checked_sub(1)?;
            plain.push_str(&content[from..start]);
            at = start + "</span>".len();
            from = at;
        } else if rest.starts_with(b"<span") {
            let end = class_only_tag_end(bytes, start + "<span".len())?;
            spans += 1;
            any = true;
            plain.push_str(&content[from..start]);
            at = end;
            from = at;
        } else if rest.starts_with(b"</code>") {
            codes = codes.checked_sub(1)?;
            at = start + "</code>".len();
        } else if rest.starts_with(b"<code")
            && matches!(rest.get(5), Some(b) if *b == b'>' || b.is_ascii_whitespace())
        {
            codes += 1;
            at = tag_end(bytes, start + "<code".len())?;
        } else {
            return None;
        }
    }
    plain.push_str(&content[from..]);
    (any && spans == 0 && codes == 0).then_some(plain)
}

/// The byte after a span's `>`, if the tag from `from` (just after `<span`) is `>` or
/// ` class="…">` with no `<` in the value.
fn class_only_tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = &bytes[from..];
    if rest.first() == Some(&b'>') {
        return Some(from + 1);
    }
    let value = rest.strip_prefix(b" class=\"")?;
    let close = memchr::memchr2(b'"', b'<', value)?;
    (value[close] == b'"' && value.get(close + 1) == Some(&b'>'))
        .then_some(from + " class=\"".len() + close + 2)
}

/// The byte after the `>` ending the tag whose attributes start at `from`, reading quoted
/// values whole; `None` if it never ends.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (offset, &b) in bytes[from..].iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Some(from + offset + 1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighted_blocks_lose_their_spans_and_keep_their_text() {
        let page = "<p>Before <span class=\"x\">kept</span></p>\
                    <pre class=\"hl\" data-lang=\"rust\"><code class=\"language-rust\">\
                    <span class=\"hl-source\"><span class=\"hl-keyword\">fn</span> main() \
                    {}</span>\n<span>x &lt; y</span></code></pre><p>After</p>"
            .to_string();
        assert_eq!(
            unwrap_spans(page),
            "<p>Before <span class=\"x\">kept</span></p>\
             <pre class=\"hl\" data-lang=\"rust\"><code class=\"language-rust\">\
             fn main() {}\nx &lt; y</code></pre><p>After</p>"
        );
    }

    #[test]
    fn blocks_with_any_other_tag_or_attribute_stay_as_they_are() {
        for block in [
            "<pre><code><span id=\"a\">x</span></code></pre>",
            "<pre><span class=\"a\" data-pagefind-weight=\"9\">x</span></pre>",
            "<pre><span class=\"a\">x<b>y</b></span></pre>",
            "<pre><span class=\"a\">unclosed</pre>",
            "<pre><span class=\"a\">x</span></span></pre>",
            "<pre><span class=\"a<b\">x</span></pre>",
            "<pre>no spans at all</pre>",
            "<pre><span class=\"a\">never closed",
            "<prelude><span class=\"a\">x</span></prelude>",
            "<!-- <pre><span class=\"a\">x</span></pre> -->",
            "<textarea><pre><span class=\"a\">x</span></pre></textarea>",
            "<TITLE><pre><span class=\"a\">x</span></pre></Title>",
            "<script>'<pre><span class=\"a\">x</span></pre>'</script>",
        ] {
            let page = format!("<p>a</p>{block}<p>b</p>");
            assert_eq!(unwrap_spans(page.clone()), page);
        }
    }

    #[test]
    fn a_quoted_angle_bracket_does_not_end_the_pre_tag() {
        let page = "<pre title=\"a>b\"><span class=\"k\">x</span></pre>".to_string();
        assert_eq!(unwrap_spans(page), "<pre title=\"a>b\">x</pre>");
    }
}
