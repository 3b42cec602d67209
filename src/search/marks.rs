//! Pages Pagefind would read only to drop them.
//!
//! When any page of a site marks its indexable part with `data-pagefind-body`, Pagefind leaves
//! out every page without the mark (listings, tag pages, the graph) but still parses each of
//! them in full first. Handing over only the marked pages gives the same bundle for less work.
//! The test for the mark is a scan for the attribute's name inside a tag, not an HTML parser; it
//! errs only towards keeping a page (the name inside a script's string), which costs Pagefind a
//! parse and changes nothing in the bundle.

use regex::bytes::Regex;

/// The test for the mark.
pub(super) struct Marks(Regex);

impl Marks {
    pub(super) fn new() -> Marks {
        // The attribute's name, in any case, not part of a longer name.
        Marks(
            Regex::new(r"(?i-u)(?:^|[^a-z0-9_:.-])data-pagefind-body(?:[^a-z0-9_:.-]|$)")
                .expect("the pattern is valid"),
        )
    }

    /// Whether an attribute named `data-pagefind-body` (in any case) is inside a tag of `html`.
    pub(super) fn has(&self, html: &[u8]) -> bool {
        let bytes = html;
        self.0.find_iter(bytes).any(|found| {
            // The match starts with the byte before the name unless the name opens the page.
            let name =
                found.start() + usize::from(!bytes[found.start()].eq_ignore_ascii_case(&b'd'));
            inside_tag(&bytes[..name])
        })
    }
}

/// Which pages Pagefind indexes, from whether each is marked: the marked ones when any is,
/// else all.
pub(super) fn indexed(marked: &[bool]) -> Vec<bool> {
    if marked.contains(&true) {
        marked.to_vec()
    } else {
        vec![true; marked.len()]
    }
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

    #[test]
    fn unmarked_pages_go_when_another_page_is_marked() {
        let marks = Marks::new();
        let marked: Vec<bool> = [
            "<html><body><main data-pagefind-body><p>A</p></main></body></html>",
            "<html><body><main><p>List</p></main></body></html>",
            "<html><body><DIV class=x\nData-Pagefind-Body=\"\">B</DIV></body></html>",
        ]
        .iter()
        .map(|html| marks.has(html.as_bytes()))
        .collect();
        assert_eq!(indexed(&marked), [true, false, true]);
    }

    #[test]
    fn every_page_stays_when_none_is_marked() {
        assert_eq!(indexed(&[false, false]), [true, true]);
    }

    #[test]
    fn the_name_in_text_or_in_another_name_is_no_mark() {
        for html in [
            "<p>Mark the body with data-pagefind-body to index it.</p>",
            "<p>data-pagefind-body</p>",
            "<div data-pagefind-body-extra>x</div>",
            "<div my-data-pagefind-body>x</div>",
        ] {
            assert!(!Marks::new().has(html.as_bytes()), "{html}");
        }
        for html in [
            "<main data-pagefind-body>",
            "<main class=\"a\"data-pagefind-body>",
            "<main\tdata-pagefind-body/>",
            "<main data-pagefind-body=\"\">",
        ] {
            assert!(Marks::new().has(html.as_bytes()), "{html}");
        }
    }
}
