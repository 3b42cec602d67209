//! Pages Pagefind would read only to drop them.
//!
//! When any page of a site marks its indexable part with `data-pagefind-body`, Pagefind leaves
//! out every page without the mark (listings, tag pages, the graph) but still parses each of
//! them in full first. Handing over only the marked pages gives the same bundle for less work.
//! The test for the mark is a scan for the attribute's name inside a tag, not an HTML parser; it
//! errs only towards keeping a page (the name inside a script's string), which costs Pagefind a
//! parse and changes nothing in the bundle.

use rayon::prelude::*;
use regex::bytes::Regex;

/// The attribute's name, in any case, not part of a longer name.
fn mark() -> Regex {
    Regex::new(r"(?i-u)(?:^|[^a-z0-9_:.-])data-pagefind-body(?:[^a-z0-9_:.-]|$)")
        .expect("the pattern is valid")
}

/// `pages` (URL, HTML), less those without the mark when at least one page has it.
pub(super) fn without_unmarked(pages: Vec<(String, String)>) -> Vec<(String, String)> {
    let mark = mark();
    let marked: Vec<bool> = pages
        .par_iter()
        .map(|(_, html)| has_mark(&mark, html))
        .collect();
    if !marked.contains(&true) {
        return pages;
    }
    pages
        .into_iter()
        .zip(marked)
        .filter_map(|(page, marked)| marked.then_some(page))
        .collect()
}

/// Whether an attribute named `data-pagefind-body` (in any case) appears inside a tag of `html`.
fn has_mark(mark: &Regex, html: &str) -> bool {
    let bytes = html.as_bytes();
    mark.find_iter(bytes).any(|found| {
        // The match starts with the byte before the name unless the name opens the page.
        let name = found.start() + usize::from(!bytes[found.start()].eq_ignore_ascii_case(&b'd'));
        inside_tag(&bytes[..name])
    })
}

/// Whether the text before a position ends inside a tag: its last `<` comes after its last `>`.
fn inside_tag(before: &[u8]) -> bool {
    let open = before.iter().rposition(|&b| b == b'<');
    let close = before.iter().rposition(|&b| b == b'>');
    match (open, close) {
        (Some(open), Some(close)) => open > close,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str, html: &str) -> (String, String) {
        (url.to_string(), html.to_string())
    }

    fn urls(pages: &[(String, String)]) -> Vec<&str> {
        pages.iter().map(|(url, _)| url.as_str()).collect()
    }

    #[test]
    fn unmarked_pages_go_when_another_page_is_marked() {
        let pages = vec![
            page(
                "/a/",
                "<html><body><main data-pagefind-body><p>A</p></main></body></html>",
            ),
            page(
                "/list/",
                "<html><body><main><p>List</p></main></body></html>",
            ),
            page(
                "/b/",
                "<html><body><DIV class=x\nData-Pagefind-Body=\"\">B</DIV></body></html>",
            ),
        ];
        assert_eq!(urls(&without_unmarked(pages)), ["/a/", "/b/"]);
    }

    #[test]
    fn every_page_stays_when_none_is_marked() {
        let pages = vec![
            page("/a/", "<html><body><p>A</p></body></html>"),
            page("/b/", "<html><body><p>B</p></body></html>"),
        ];
        assert_eq!(urls(&without_unmarked(pages)), ["/a/", "/b/"]);
    }

    #[test]
    fn the_name_in_text_or_in_another_name_is_no_mark() {
        for html in [
            "<p>Mark the body with data-pagefind-body to index it.</p>",
            "<p>data-pagefind-body</p>",
            "<div data-pagefind-body-extra>x</div>",
            "<div my-data-pagefind-body>x</div>",
        ] {
            assert!(!has_mark(&mark(), html), "{html}");
        }
        for html in [
            "<main data-pagefind-body>",
            "<main class=\"a\"data-pagefind-body>",
            "<main\tdata-pagefind-body/>",
            "<main data-pagefind-body=\"\">",
        ] {
            assert!(has_mark(&mark(), html), "{html}");
        }
    }
}
