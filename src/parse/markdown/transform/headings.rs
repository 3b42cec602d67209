//! Headings: ids, anchors and the table of contents.
//!
//! An explicit `{#id}` is kept as written (a repeated one is renamed and reported); every other
//! heading gets the slug of its text, made unique against earlier headings, explicit ids anywhere
//! in the document and footnote ids (all three are known from the prepass).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, TagEnd};

use super::super::TocEntry;
use super::super::text::push_escaped;
use super::Transform;
use crate::diagnostics::Diagnostic;
use crate::slug::slugify;

#[derive(Default)]
pub(super) struct Headings {
    /// Ids given so far.
    used_ids: HashSet<String>,
    /// Explicit `{#id}`s given so far.
    explicit_ids: HashSet<String>,
    /// Ids automatic ids must avoid: every explicit heading id and footnote id of the document.
    pub(super) reserved_ids: HashSet<String>,
    /// The heading being rendered: its id and level.
    open: Option<(String, HeadingLevel)>,
    pub(super) toc: TocBuilder,
}

impl Headings {
    /// `base`, or `base-1`, `base-2`… whichever is not taken by another heading, an explicit
    /// id elsewhere in the document, or a footnote.
    fn unique_id(&mut self, base: &str) -> String {
        let taken = |s: &Self, id: &str| s.used_ids.contains(id) || s.reserved_ids.contains(id);
        let id = if taken(self, base) {
            let mut n = 1;
            loop {
                let candidate = format!("{base}-{n}");
                if !taken(self, &candidate) {
                    break candidate;
                }
                n += 1;
            }
        } else {
            base.to_string()
        };
        self.used_ids.insert(id.clone());
        id
    }
}

/// Builds the nested table of contents from headings in document order, without recursion.
#[derive(Default)]
pub(super) struct TocBuilder {
    roots: Vec<TocEntry>,
    open: Vec<TocEntry>,
}

impl TocBuilder {
    fn push(&mut self, entry: TocEntry) {
        while self.open.last().is_some_and(|top| top.level >= entry.level) {
            self.close_one();
        }
        self.open.push(entry);
    }

    fn close_one(&mut self) {
        if let Some(done) = self.open.pop() {
            match self.open.last_mut() {
                Some(parent) => parent.children.push(done),
                None => self.roots.push(done),
            }
        }
    }

    pub(super) fn finish(mut self) -> Vec<TocEntry> {
        while !self.open.is_empty() {
            self.close_one();
        }
        self.roots
    }
}

impl<'a> Transform<'a, '_> {
    pub(super) fn start_heading(
        &mut self,
        level: HeadingLevel,
        explicit: Option<CowStr<'a>>,
        classes: &[CowStr<'a>],
        attrs: &[(CowStr<'a>, Option<CowStr<'a>>)],
        range: Range<usize>,
        next: usize,
    ) {
        self.block_boundary();
        self.ctx_push();
        let title = self.heading_text(next);
        let id = match explicit {
            Some(id) if !id.is_empty() => {
                if self.headings.explicit_ids.insert(id.to_string()) {
                    self.headings.used_ids.insert(id.to_string());
                    id.to_string()
                } else {
                    let unique = self.headings.unique_id(&id);
                    let location = self.location(range.start, range.len());
                    self.diagnostics.push(
                        Diagnostic::warning(format!(
                            "heading id `{id}` is already used by an earlier heading; this one gets `{unique}`"
                        ))
                        .at(location)
                        .with_hint("give each `{#id}` a different name"),
                    );
                    unique
                }
            }
            _ => {
                let slug = slugify(&title);
                self.headings
                    .unique_id(if slug.is_empty() { "section" } else { &slug })
            }
        };

        let mut html = String::with_capacity(32 + id.len());
        let _ = write!(html, "<{level} id=\"");
        push_escaped(&mut html, &id);
        html.push('"');
        if !classes.is_empty() {
            html.push_str(" class=\"");
            for (i, class) in classes.iter().enumerate() {
                if i > 0 {
                    html.push(' ');
                }
                push_escaped(&mut html, class);
            }
            html.push('"');
        }
        for (name, value) in attrs {
            if !harmless_attribute(name) {
                let location = self.location(range.start, range.len());
                self.diagnostics.push(
                    Diagnostic::warning(format!(
                        "heading attribute `{name}` is not allowed; it was left out"
                    ))
                    .at(location)
                    .with_hint(
                        "headings take `{#id .class lang=… dir=… data-name=…}`; attributes that \
                         run script or change behaviour (`on…`, `style`, `tabindex`…) belong in a \
                         template",
                    ),
                );
                continue;
            }
            html.push(' ');
            push_escaped(&mut html, name);
            html.push_str("=\"");
            push_escaped(&mut html, value.as_deref().unwrap_or(""));
            html.push('"');
        }
        html.push('>');
        self.emit_html(html);

        self.headings.toc.push(TocEntry {
            level: level as u8,
            id: id.clone(),
            title,
            children: Vec::new(),
        });
        self.anchors.push(id.clone());
        self.headings.open = Some((id, level));
    }

    /// Plain text of the heading whose content starts at `next`.
    fn heading_text(&self, next: usize) -> String {
        let mut title = String::new();
        for (event, _) in &self.events[next.min(self.events.len())..] {
            match event {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) => self.marks.push_unmarked(&mut title, t, self.body.text),
                Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => title.push_str(t),
                Event::SoftBreak | Event::HardBreak => title.push(' '),
                _ => {}
            }
        }
        let title = self.without_placeholders(title);
        let trimmed = title.trim();
        if trimmed.len() == title.len() {
            title
        } else {
            trimmed.to_string()
        }
    }

    pub(super) fn end_heading(&mut self, level: HeadingLevel) {
        let mut html = String::with_capacity(96);
        if let Some((id, _)) = self.headings.open.take()
            && self.config.heading_anchors
        {
            html.push_str("<a class=\"anchor\" href=\"#");
            push_escaped(&mut html, &id);
            html.push_str("\" aria-label=\"Link to this section\">#</a>");
        }
        let _ = writeln!(html, "</{level}>");
        self.emit_html(html);
        self.ctx_pop();
        self.block_boundary();
    }
}

/// Attributes a heading may carry from `{…}` in Markdown: language and direction, and data
/// attributes. Plain Markdown must never produce script, so `on…` handlers (and everything
/// else) are refused.
fn harmless_attribute(name: &str) -> bool {
    match name.strip_prefix("data-") {
        Some(rest) => {
            !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        }
        None => matches!(name, "lang" | "dir"),
    }
}
