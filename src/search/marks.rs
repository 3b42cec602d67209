//! Pages Pagefind would read only to drop them.
//!
//! When any page of a site marks its indexable part with `data-pagefind-body`, Pagefind leaves
//! out every page without the mark (listings, tag pages, the graph) but still parses each of
//! them in full first. Handing over only the marked pages gives the same bundle for less work.
//! The test for the mark is a scan for the attribute's name outside text, not an HTML parser, in
//! linear time (a page repeating the name in its text costs one pass); it errs only towards
//! keeping a page (the name in a quoted value or after a `<` in a script), which costs
//! Pagefind a parse and changes nothing in the bundle.

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

    /// Whether an attribute named `data-pagefind-body` (in any case) may be inside a tag of
    /// `html`: the name counts unless it is surely text, after a tag's closing `>` (one outside
    /// quoted values). Doubt (a `<` in a script, an unclosed quote) keeps the page. One pass:
    /// the bytes between matches are read once, however often the name appears in the text.
    pub(super) fn has(&self, html: &[u8]) -> bool {
        /// Where the scan is: in text, in a tag, or in a tag's value quoted with this byte.
        #[derive(PartialEq)]
        enum At {
            Text,
            Tag,
            Quoted(u8),
        }
        let mut at = At::Text;
        let mut scanned = 0;
        for found in self.0.find_iter(html) {
            // The match starts with the byte before the name unless the name opens the page.
            let name =
                found.start() + usize::from(!html[found.start()].eq_ignore_ascii_case(&b'd'));
            for &byte in &html[scanned..name] {
                at = match (at, byte) {
                    (At::Text, b'<') => At::Tag,
                    (At::Tag, b'>') => At::Text,
                    (At::Tag, b'"' | b'\'') => At::Quoted(byte),
                    (At::Quoted(quote), _) if byte == quote => At::Tag,
                    (at, _) => at,
                };
            }
            scanned = name;
            if at != At::Text {
                return true;
            }
        }
        false
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

    /// A page that repeats the name in its text (any number of times) is unmarked until a tag
    /// carries it, wherever that tag is and whatever its quoted values hold.
    #[test]
    fn the_name_repeated_in_text_is_no_mark_until_a_tag_has_it() {
        let text = "data-pagefind-body ".repeat(5_000);
        let page = format!("<html><body><p>{text}</p></body></html>");
        assert!(!Marks::new().has(page.as_bytes()));
        let page =
            format!("<html><body><p>{text}</p><div data-pagefind-body>x</div></body></html>");
        assert!(Marks::new().has(page.as_bytes()));
        let page = format!(
            "<html><body><p>{text}</p><img alt=\"a > b\" data-pagefind-body></body></html>"
        );
        assert!(
            Marks::new().has(page.as_bytes()),
            "a quoted `>` does not end the tag"
        );
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
