//! Backlink contexts: the plain text of the paragraph, list item, heading or cell around each
//! internal link, shown with the link on the target's page.
//!
//! One shared buffer holds the text of every open block; each open block owns a suffix of it.
//! Closing a block gives its links their contexts and truncates the buffer back, so the
//! enclosing block continues where it left off: linear in the text, however deep the nesting.
//! Nothing is tracked in a document without links.

use super::super::LinkRef;
use super::super::text::context_window;
use super::Transform;

pub(super) struct Context {
    /// Whether the document has links at all (from the prepass).
    pub(super) track: bool,
    buf: String,
    /// Each open block: where its text starts in `buf`, and its first entry in `links`.
    stack: Vec<(usize, usize)>,
    /// (link index, start, end) in `buf`.
    links: Vec<(usize, usize, usize)>,
    /// For each open `<a>`: its entry in `links`, if it is internal.
    open_links: Vec<Option<usize>>,
}

impl Default for Context {
    fn default() -> Self {
        Context {
            track: false,
            buf: String::new(),
            stack: vec![(0, 0)],
            links: Vec::new(),
            open_links: Vec::new(),
        }
    }
}

impl Context {
    fn push(&mut self) {
        if self.track {
            self.stack.push((self.buf.len(), self.links.len()));
        }
    }

    fn append(&mut self, text: &str) {
        if !self.track {
            return;
        }
        for c in text.chars() {
            if c.is_whitespace() {
                if !self.buf.is_empty() && !self.buf.ends_with(' ') {
                    self.buf.push(' ');
                }
            } else {
                self.buf.push(c);
            }
        }
    }

    /// Closes the innermost block: its links get their contexts, its text is dropped from the
    /// shared buffer so the enclosing block continues where it left off.
    fn pop(&mut self, links: &mut [LinkRef]) {
        if !self.track {
            return;
        }
        // The root context (index 0) is only closed by `close_all`.
        if self.stack.len() <= 1 {
            return;
        }
        self.close(links);
    }

    /// Closes every open block, the root included.
    pub(super) fn close_all(&mut self, links: &mut [LinkRef]) {
        while !self.stack.is_empty() {
            self.close(links);
        }
    }

    fn close(&mut self, links: &mut [LinkRef]) {
        let Some((start, first_link)) = self.stack.pop() else {
            return;
        };
        let start = start.min(self.buf.len());
        if self.links.len() > first_link {
            let text = &self.buf[start..];
            for &(index, a, b) in &self.links[first_link..] {
                if let Some(link) = links.get_mut(index) {
                    link.context =
                        context_window(text, a.saturating_sub(start), b.saturating_sub(start));
                }
            }
            self.links.truncate(first_link);
        }
        self.buf.truncate(start);
        if !self.buf.is_empty() && !self.buf.ends_with(' ') {
            self.buf.push(' ');
        }
    }

    /// Link `index` starts here. Returns its context entry, which ends where it starts unless
    /// [`Context::close_anchor`] or [`Context::end_last_link`] moves its end.
    pub(super) fn start_link(&mut self, index: usize) -> usize {
        let at = self.buf.len();
        self.links.push((index, at, at));
        self.links.len() - 1
    }

    /// An `<a>` opens: `entry` is its context entry when it is internal.
    pub(super) fn open_anchor(&mut self, entry: Option<usize>) {
        self.open_links.push(entry);
    }

    /// The innermost `<a>` closes: an internal link's text ends here.
    pub(super) fn close_anchor(&mut self) {
        if let Some(Some(k)) = self.open_links.pop() {
            let end = self.buf.len();
            if let Some(entry) = self.links.get_mut(k) {
                entry.2 = end;
            }
        }
    }

    /// The last link started ends here (an image: its text is its alt text).
    pub(super) fn end_last_link(&mut self) {
        if let Some(entry) = self.links.last_mut() {
            entry.2 = self.buf.len();
        }
    }
}

impl Transform<'_, '_> {
    pub(super) fn ctx_push(&mut self) {
        self.context.push();
    }

    pub(super) fn ctx_append(&mut self, text: &str) {
        self.context.append(text);
    }

    pub(super) fn ctx_pop(&mut self) {
        self.context.pop(&mut self.links.links);
    }
}
