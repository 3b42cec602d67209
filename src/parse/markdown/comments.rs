//! Obsidian comments: `%%…%%`, inline or over many lines, are cut out of the body before
//! pulldown-cmark sees it, so nothing after (HTML, summary, feeds, search index, backlink
//! context, links and the graph) can show them: a comment is private and is never published.
//! An unclosed `%%` hides the rest of the note, as in Obsidian, and is reported.
//!
//! `%%` in a code span or code block is code, as in Obsidian. Telling them apart takes a first
//! parse, done only for a body that has a `%%` at all. A comment is cut from its opening `%%`
//! to the next `%%` outside code, so code inside a comment goes with it.
//!
//! Cutting moves the text after each comment, so the cuts are kept ([`Cuts`]) to map offsets
//! in the cut body back to offsets in the file: diagnostics still point at the right column.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// A body with its comments cut out.
pub(super) struct Uncommented<'a> {
    pub(super) text: Cow<'a, str>,
    pub(super) cuts: Cuts,
    /// Body offset of a `%%` that is never closed.
    pub(super) unclosed: Option<usize>,
}

/// Where comments were cut: for each cut, the offset in the cut text where it was and the bytes
/// removed up to and including it.
#[derive(Debug, Default)]
pub(super) struct Cuts(Vec<(usize, usize)>);

impl Cuts {
    /// The body offset and length of `len` bytes at `offset` of the cut text. A range running
    /// over a cut spans the comment too.
    pub(super) fn original(&self, offset: usize, len: usize) -> (usize, usize) {
        if self.0.is_empty() {
            return (offset, len);
        }
        // A start at a cut is the text after the comment; an end at a cut, the text before it.
        let removed_before = |p: usize, inclusive: bool| {
            let n = self
                .0
                .partition_point(|&(at, _)| if inclusive { at <= p } else { at < p });
            n.checked_sub(1).map_or(0, |k| self.0[k].1)
        };
        let start = offset + removed_before(offset, true);
        if len == 0 {
            return (start, 0);
        }
        let end = offset + len + removed_before(offset + len, false);
        (start, end - start)
    }
}

/// `body` without its comments. Borrowed, with no cuts and no work, when it has no `%%`.
pub(super) fn strip(body: &str, options: Options) -> Uncommented<'_> {
    if !body.contains("%%") {
        return Uncommented {
            text: Cow::Borrowed(body),
            cuts: Cuts::default(),
            unclosed: None,
        };
    }
    let code = code_ranges(body, options);
    let mut code = code.iter().peekable();
    let mut comments: Vec<Range<usize>> = Vec::new();
    let mut open = None;
    let mut i = 0;
    while let Some(found) = body[i..].find("%%") {
        let at = i + found;
        while code.peek().is_some_and(|r| r.end <= at) {
            code.next();
        }
        if let Some(r) = code.peek()
            && r.start <= at
        {
            i = r.end;
            continue;
        }
        match open.take() {
            None => open = Some(at),
            Some(start) => comments.push(start..at + 2),
        }
        i = at + 2;
    }
    if let Some(start) = open {
        comments.push(start..body.len());
    }
    if comments.is_empty() {
        return Uncommented {
            text: Cow::Borrowed(body),
            cuts: Cuts::default(),
            unclosed: None,
        };
    }
    let mut text = String::with_capacity(body.len());
    let mut cuts = Vec::with_capacity(comments.len());
    let (mut last, mut removed) = (0, 0);
    for comment in &comments {
        text.push_str(&body[last..comment.start]);
        removed += comment.len();
        cuts.push((text.len(), removed));
        last = comment.end;
    }
    text.push_str(&body[last..]);
    Uncommented {
        text: Cow::Owned(text),
        cuts: Cuts(cuts),
        unclosed: open,
    }
}

/// Byte ranges of the code spans and code blocks of `body`, in order.
fn code_ranges(body: &str, options: Options) -> Vec<Range<usize>> {
    Parser::new_ext(body, options)
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Code(_) | Event::Start(Tag::CodeBlock(_))))
        .map(|(_, range)| range)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(body: &str) -> String {
        strip(body, Options::empty()).text.into_owned()
    }

    #[test]
    fn comments_are_cut_inline_and_over_lines() {
        assert_eq!(cut("a %%x%% b %%y%%c"), "a  b c");
        assert_eq!(cut("one\n%%\nsecret\n\nmore\n%%\ntwo\n"), "one\n\ntwo\n");
        assert_eq!(cut("no comment"), "no comment");
        assert_eq!(cut("100%% sure"), "100");
    }

    #[test]
    fn code_keeps_its_percent_signs() {
        assert_eq!(cut("`%%` and %%gone%%"), "`%%` and ");
        assert_eq!(
            cut("```\n%% code %%\n```\n%%gone%%\n"),
            "```\n%% code %%\n```\n\n"
        );
        assert_eq!(cut("    %% indented\n\n%%x%%y"), "    %% indented\n\ny");
        // Code inside a comment goes with it, whatever `%%` it holds.
        assert_eq!(cut("a %% `%%` b %% c"), "a  c");
    }

    #[test]
    fn an_unclosed_comment_hides_the_rest() {
        let body = "kept %% hidden\n\nhidden too";
        let stripped = strip(body, Options::empty());
        assert_eq!(stripped.text, "kept ");
        assert_eq!(stripped.unclosed, Some(5));
    }

    #[test]
    fn offsets_map_back_to_the_body() {
        let body = "ab%%x%%cd%%yy%%ef";
        let stripped = strip(body, Options::empty());
        assert_eq!(stripped.text, "abcdef");
        let at = |offset, len| stripped.cuts.original(offset, len);
        assert_eq!(at(0, 2), (0, 2));
        assert_eq!(at(2, 2), (7, 2));
        assert_eq!(at(4, 1), (15, 1));
        // Over a cut, the range spans the comment.
        assert_eq!(at(1, 2), (1, 7));
        assert_eq!(at(6, 0), (17, 0));
    }
}
