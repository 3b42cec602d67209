//! Link previews: what a reader sees on hovering or focusing a link to another page, cut from
//! that page's rendered body.
//!
//! A page another document links to gets one small fragment (`_preview/<its output file>`,
//! rendered with the theme's `preview.html`): its title, section, opening, and the part each
//! linked `#heading` or `#^block` names. Only linked anchors are written, so a fragment stays
//! small however long the page is. Everything is cut from the page's final body HTML, which
//! the Markdown stage has already made safe, and only between whole elements: a cut never
//! splits a tag, an attribute or a comment, so the fragment is well-formed HTML that the page
//! itself shows. Ids are renamed `data-id`: a fragment repeats headings (the opening and a
//! heading's part may overlap), and a page showing it must not get a second element of an id.

use serde::Serialize;

use crate::resolve::{Page, Site};

use super::context::Link;

/// Where fragments go, below the base path; render claims the whole folder.
pub(crate) const PREVIEW_DIR: &str = "_preview/";

/// Bytes of HTML a part shows, about three short paragraphs: whole elements are taken while
/// they fit.
const PART_BUDGET: usize = 1_500;

/// The longest first element a part shows whole (a long table or code block); past it the
/// page's summary (at most 2 KB) stands in for the opening, and a heading shows its title.
const MAX_FIRST_ELEMENT: usize = 6_000;

/// `preview` in `preview.html`.
#[derive(Serialize)]
pub(crate) struct PreviewView<'a> {
    /// Title of the page.
    pub title: &'a str,
    /// Root-relative URL of the page.
    pub path: &'a str,
    /// `essay`, `case-study`, `checklist` or `note`.
    pub kind: &'static str,
    /// The section holding the page: `{title, path}`.
    pub section: Link<'a>,
    /// The opening of the body: its first elements, about three paragraphs, as HTML.
    pub opening: String,
    /// The heading sections and blocks other pages link to: `[{id, html}]`, `id` as in the
    /// link's `#fragment` (a block's with its `^`).
    pub parts: Vec<PartView>,
}

#[derive(Serialize)]
pub(crate) struct PartView {
    /// The link's `#fragment`: a heading's id, or `^` and a block's id.
    pub id: String,
    /// The heading and the first elements of its section, or the block, as HTML.
    pub html: String,
}

/// The output file of `page`'s fragment: `_preview/essays/x/index.html`.
pub(crate) fn preview_file(page: &Page) -> String {
    format!("{PREVIEW_DIR}{}", page.url.output_file())
}

pub(crate) fn preview_view<'a>(site: &'a Site, page: &'a Page) -> PreviewView<'a> {
    let content = page.content();
    let section = &site.sections[page.section];
    let opening = leading_elements(&content, 0, content.len())
        .map_or_else(|| page.summary.clone(), str::to_string);
    let parts = page
        .linked_anchors
        .iter()
        .filter_map(|id| {
            let html = match id.strip_prefix('^') {
                // A list item stands in a list of its own.
                Some(_) => match block(&content, id)? {
                    item if item.starts_with("<li") => format!("<ul>{item}</ul>"),
                    other => other.to_string(),
                },
                None => heading_section(&content, id)?.to_string(),
            };
            Some(PartView {
                id: id.clone(),
                html: without_ids(&html),
            })
        })
        .collect();
    PreviewView {
        title: &page.title,
        path: &page.url.path,
        kind: page.kind.as_str(),
        section: Link {
            title: &section.title,
            path: &section.url.path,
        },
        opening: without_ids(&opening),
        parts,
    }
}

/// The whole elements from `from` that fit in [`PART_BUDGET`] before `end` (at least the
/// first, up to [`MAX_FIRST_ELEMENT`]), without a heading at the end (its section is not
/// shown); `None` when nothing is left, or `html` is not balanced there.
fn leading_elements(html: &str, from: usize, end: usize) -> Option<&str> {
    let skip_space = |at: usize| at + html[at..end].len() - html[at..end].trim_start().len();
    let start = skip_space(from);
    let mut starts = Vec::new();
    let mut at = start;
    while at < end {
        let Some(next) = node_end(&html[..end], at) else {
            break;
        };
        let limit = if at == start {
            MAX_FIRST_ELEMENT
        } else {
            PART_BUDGET
        };
        if next - start > limit {
            break;
        }
        starts.push(at);
        at = skip_space(next);
    }
    let mut last_end = at;
    while let Some(&last) = starts.last() {
        if !is_heading(&html[last..]) {
            break;
        }
        starts.pop();
        last_end = last;
    }
    (!starts.is_empty()).then(|| html[start..last_end].trim_end())
}

/// Whether `html` starts with a heading's tag.
fn is_heading(html: &str) -> bool {
    let bytes = html.as_bytes();
    html.starts_with("<h") && bytes.get(2).is_some_and(|b| (b'1'..=b'6').contains(b))
}

/// The section of the heading with `id`: the heading and the elements after it that fit, up
/// to the next heading of its level or higher.
fn heading_section<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let attribute = format!(" id=\"{}\"", crate::escape::markup(id));
    let mut search = 0;
    let (at, level) = loop {
        let found = search + html[search..].find(&attribute)?;
        search = found + attribute.len();
        let bytes = html.as_bytes();
        if found >= 3 && &html[found - 3..found - 1] == "<h" && bytes[found - 1].is_ascii_digit() {
            break (found - 3, bytes[found - 1]);
        }
    };
    let end = next_heading(html, at + 3, level).unwrap_or(html.len());
    leading_elements(html, at, end).or_else(|| {
        // A heading whose first element is too long: the heading alone.
        node_end(html, at).map(|heading| &html[at..heading])
    })
}

/// Where the next `<hN` of level `level` or higher starts, from byte `from`.
fn next_heading(html: &str, from: usize, level: u8) -> Option<usize> {
    let mut search = from;
    while let Some(offset) = html[search..].find("<h") {
        let at = search + offset;
        match html.as_bytes().get(at + 2) {
            Some(&l) if (b'1'..=level).contains(&l) && html[at + 3..].starts_with([' ', '>']) => {
                return Some(at);
            }
            _ => search = at + 2,
        }
    }
    None
}

/// The element carrying the block id `id` (`^name`), whole, if it is not too long.
fn block<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let attribute = format!(" id=\"{}\"", crate::escape::markup(id));
    let found = html.find(&attribute)?;
    let start = html[..found].rfind('<')?;
    let end = node_end(html, start)?;
    (end - start <= MAX_FIRST_ELEMENT).then(|| &html[start..end])
}

/// `html` with every ` id="` attribute renamed ` data-id="`.
fn without_ids(html: &str) -> String {
    html.replace(" id=\"", " data-id=\"")
}

/// Elements without an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Elements whose text is not markup: their end tag ends them, whatever they hold.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// The end of the node starting at byte `start` (an element with all it holds, a comment, or
/// a run of text), or `None` when `html` ends first (unbalanced author HTML: nothing is cut).
fn node_end(html: &str, start: usize) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut at = start;
    if bytes.get(at) != Some(&b'<') {
        // Text: up to the next tag.
        return Some(html[at..].find('<').map_or(html.len(), |i| at + i));
    }
    loop {
        let lt = at + html[at..].find('<')?;
        let rest = &html[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            at = lt + 4 + comment.find("-->")? + 3;
        } else if let Some(name) = rest.strip_prefix("</") {
            at = lt + rest.find('>')? + 1;
            if tag_name(name).is_some() {
                depth = depth.checked_sub(1)?;
            }
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            at = lt + rest.find('>')? + 1;
        } else if let Some(name) = tag_name(&rest[1..]) {
            let close = tag_close(rest)?;
            at = lt + close + 1;
            let name = name.to_ascii_lowercase();
            let self_closing = rest[..close].ends_with('/');
            if RAW_TEXT.contains(&name.as_str()) {
                let end = format!("</{name}");
                let from = at;
                at = from + html[from..].to_ascii_lowercase().find(&end)?;
                at += html[at..].find('>')? + 1;
            } else if !VOID.contains(&name.as_str()) && !self_closing {
                depth += 1;
            }
        } else {
            // A `<` that starts no tag is text.
            at = lt + 1;
            continue;
        }
        if depth == 0 {
            return Some(at);
        }
    }
}

/// The tag name at the start of `s` (after `<` or `</`), if a letter starts it.
fn tag_name(s: &str) -> Option<&str> {
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let end = s
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .unwrap_or(s.len());
    Some(&s[..end])
}

/// The offset of the `>` closing the start tag at the start of `tag`, past quoted values.
fn tag_close(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in tag.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_cut_whole_and_within_the_budget() {
        let long = "x".repeat(PART_BUDGET);
        let html = format!("<p>One <em>a</em></p>\n<p title=\"a>b\">Two</p>\n<p>{long}</p>\n");
        assert_eq!(
            leading_elements(&html, 0, html.len()),
            Some("<p>One <em>a</em></p>\n<p title=\"a>b\">Two</p>")
        );
    }

    #[test]
    fn a_cut_does_not_end_on_a_heading() {
        let html = "<p>a</p>\n<h2 id=\"x\">X</h2>\n<p>b</p>";
        assert_eq!(leading_elements(html, 0, 30), Some("<p>a</p>"));
        assert_eq!(leading_elements("<h2>only</h2>", 0, 13), None);
    }

    #[test]
    fn unbalanced_or_huge_openings_are_not_cut() {
        let html = "<div><p>never closed</p>";
        assert_eq!(leading_elements(html, 0, html.len()), None);
        let huge = format!("<pre>{}</pre>", "y".repeat(MAX_FIRST_ELEMENT));
        assert_eq!(leading_elements(&huge, 0, huge.len()), None);
    }

    #[test]
    fn comments_void_and_raw_text_elements_do_not_confuse_the_cut() {
        let html = "<p>a<br><img src=\"x\" alt=\"\"/><!-- </p> --></p><style>p>a{}</style><p>b</p>";
        assert_eq!(node_end(html, 0), Some(html.find("<style").unwrap()));
        let style = html.find("<style").unwrap();
        assert_eq!(node_end(html, style), Some(html.find("<p>b").unwrap()));
    }

    #[test]
    fn a_heading_shows_its_section_only() {
        let html = "<p>intro</p>\n<h2 id=\"a\">A</h2>\n<p>in a</p>\n<h3 id=\"b\">B</h3>\n<p>in b</p>\n<h2 id=\"c\">C</h2>\n<p>in c</p>\n";
        assert_eq!(
            heading_section(html, "a"),
            Some("<h2 id=\"a\">A</h2>\n<p>in a</p>\n<h3 id=\"b\">B</h3>\n<p>in b</p>")
        );
        assert_eq!(
            heading_section(html, "b"),
            Some("<h3 id=\"b\">B</h3>\n<p>in b</p>")
        );
        assert_eq!(heading_section(html, "missing"), None);
    }

    #[test]
    fn a_block_is_its_element() {
        let html = "<ul>\n<li id=\"^step\">Do <strong>this</strong></li>\n<li>then</li>\n</ul>\n";
        assert_eq!(
            block(html, "^step"),
            Some("<li id=\"^step\">Do <strong>this</strong></li>")
        );
        assert_eq!(
            without_ids(block(html, "^step").unwrap()),
            "<li data-id=\"^step\">Do <strong>this</strong></li>"
        );
    }
}
