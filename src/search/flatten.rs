//! Deep nesting flattened before Pagefind reads a page.
//!
//! Pagefind's parser copies an element's text into its parent's when the element ends, so a page
//! costs its text times its nesting depth: 200,000 nested list levels took 21 s. Elements below
//! [`MAX_DEPTH`] lose their tags here (each becomes a space, so words stay apart) and keep their
//! text, which is all the index needs from them; a page within the depth is passed on unchanged.
//! The scan is one pass over tags, not an HTML parser: unbalanced author HTML can only move
//! where flattening starts.

/// Deepest element nesting Pagefind is given; themes and real notes stay far below it.
pub(super) const MAX_DEPTH: usize = 256;

/// Elements that have no end tag, so they never nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Elements whose text may hold `<` that is no tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title"];

/// `html` with the tags of elements nested deeper than [`MAX_DEPTH`] replaced by spaces.
pub(super) fn flatten(html: String) -> String {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    // Start and end of the tags to drop; none for every ordinary page.
    let mut drops: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(found) = memchr(b'<', &bytes[i..]) {
        let start = i + found;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = start + if closing { 2 } else { 1 };
        let name_len = html[name_start..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        if name_len == 0 || !html.as_bytes()[name_start].is_ascii_alphabetic() {
            // `<!doctype>`, `<?…>` or a `<` in text.
            i = start + 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let end = tag_end(&html, name_start + name_len);
        let self_closing = html[..end].ends_with("/>");
        if closing {
            if depth > MAX_DEPTH {
                drops.push((start, end));
            }
            if !VOID.contains(&name.as_str()) {
                depth = depth.saturating_sub(1);
            }
            i = end;
        } else if VOID.contains(&name.as_str()) || self_closing {
            i = end;
        } else {
            depth += 1;
            if depth > MAX_DEPTH {
                drops.push((start, end));
            }
            i = end;
            if RAW_TEXT.contains(&name.as_str()) {
                // Skip to the end tag, which the loop then reads.
                let lower_close = format!("</{name}");
                i = find_ascii_case_insensitive(&html[end..], &lower_close)
                    .map_or(html.len(), |e| end + e);
            }
        }
    }
    if drops.is_empty() {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for (start, end) in drops {
        out.push_str(&html[from..start]);
        out.push(' ');
        from = end;
    }
    out.push_str(&html[from..]);
    out
}

/// The byte after the `>` that ends the tag whose attributes start at `from`; quoted attribute
/// values may hold `>`.
fn tag_end(html: &str, from: usize) -> usize {
    let mut quote = None;
    for (offset, b) in html.as_bytes()[from..].iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(*b),
            (Some(q), _) if q == *b => quote = None,
            (None, b'>') => return from + offset + 1,
            _ => {}
        }
    }
    html.len()
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len() - 1)).find(|&at| h[at..at + n.len()].eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_pass_unchanged() {
        let page = "<!doctype html><html><head><title>a < b</title><script>if (a<b) {}</script>\
                    </head><body><!-- <ul> --><p class=\"x>y\">Hi<br>there<img src=a.png/></p>\
                    </body></html>"
            .to_string();
        assert_eq!(flatten(page.clone()), page);
    }

    #[test]
    fn tags_below_the_depth_become_spaces_and_text_stays() {
        let deep = 300;
        let page = format!(
            "{}word{}",
            "<ul><li>".repeat(deep),
            "</li></ul>".repeat(deep)
        );
        let flat = flatten(page);
        let kept = MAX_DEPTH / 2;
        assert_eq!(flat.matches("<ul>").count(), kept);
        assert_eq!(flat.matches("</ul>").count(), kept);
        assert!(flat.contains(" word "), "{}", &flat[flat.len() / 2 - 20..]);
        assert!(flat.starts_with("<ul><li>"));
        assert!(flat.ends_with("</li></ul>"));
    }
}
