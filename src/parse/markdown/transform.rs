//! The event rewrite behind [`super::render`].
//!
//! pulldown-cmark's events are collected once (lookahead is needed for heading ids, callouts and
//! task lists), rewritten into a new event stream in which everything steppe renders differently
//! (links, images, headings, code, math, footnotes, callouts, tags) is replaced by HTML events,
//! and rendered by `push_html` in a single call. Holes and summary bounds travel through that HTML
//! as private-use sentinels and are cut out afterwards. All nesting is tracked with explicit
//! stacks, never recursion, so hostile nesting depth cannot overflow the call stack.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};

use super::text::{
    HOLE_CLOSE, HOLE_OPEN, Lines, SUMMARY_END, SUMMARY_START, context_window, defuse, has_sentinel,
    is_external, is_image_target, next_tag, percent_decode, push_escaped, push_href,
};
use super::{ExternalLink, Fragment, Html, LinkKind, LinkRef, Rendered, TocEntry};
use crate::config::MarkdownConfig;
use crate::diagnostics::Diagnostic;
use crate::parse::highlight::Highlighter;
use crate::slug::slugify;

/// Languages that mean "no highlighting" without a warning.
const PLAIN_LANGUAGES: [&str; 5] = ["text", "txt", "plain", "plaintext", "none"];

/// What the paragraph being rendered is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Para {
    Normal,
    /// The first top-level paragraph: wrapped in summary markers.
    Summary,
    /// Holds only a transcluded note, which is block content: no `<p>` around it.
    Bare,
    /// The `[!type] Title` line of a callout, until its first line break.
    CalloutTitle {
        details: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    Plain,
    Callout { details: bool },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Summary {
    /// Looking for the first top-level paragraph.
    Pending,
    /// Found (or `<!-- more -->` decides instead).
    Done,
}

/// A footnote definition, captured while it is rendered and placed at the end of the body.
struct Footnote<'a> {
    name: String,
    /// Body offset and length of the definition, for diagnostics.
    start: usize,
    len: usize,
    events: Vec<Event<'a>>,
}

/// Builds the nested table of contents from headings in document order, without recursion.
#[derive(Default)]
struct TocBuilder {
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

    fn finish(mut self) -> Vec<TocEntry> {
        while !self.open.is_empty() {
            self.close_one();
        }
        self.roots
    }
}

pub(super) struct Transform<'a, 'c> {
    body: &'a str,
    /// Byte offset of `body` in the whole file.
    base: usize,
    lines: Lines<'a>,
    config: &'c MarkdownConfig,
    highlighter: &'c Highlighter,
    events: Vec<(Event<'a>, Range<usize>)>,

    out: Vec<Event<'a>>,
    /// Footnote definitions being captured (they may nest inside each other in odd input).
    captures: Vec<Footnote<'a>>,
    links: Vec<LinkRef>,
    external_links: Vec<ExternalLink>,
    /// (URL, line) pairs already in `external_links`.
    external_seen: HashSet<(String, usize)>,
    diagnostics: Vec<Diagnostic>,

    // Facts from the prepass.
    task_lists: Vec<usize>,
    /// Task list items in the body.
    tasks: usize,
    more_index: Option<usize>,
    reserved_ids: HashSet<String>,
    /// Lower-cased footnote name → id suffix (`fn-KEY`), for every definition.
    footnote_keys: HashMap<String, String>,
    track_context: bool,

    // Headings.
    used_ids: HashSet<String>,
    explicit_ids: HashSet<String>,
    heading: Option<(String, HeadingLevel)>,
    toc: TocBuilder,
    anchors: Vec<String>,

    // Footnotes.
    footnotes: HashMap<String, Footnote<'a>>,
    /// Lower-cased names in order of first reference, with their reference counts.
    footnote_order: Vec<(String, usize)>,
    footnote_numbers: HashMap<String, usize>,

    // Blocks.
    para: Para,
    quotes: Vec<Quote>,
    container_depth: usize,
    summary: Summary,

    // Inline state.
    link_depth: usize,
    tag_boundary: bool,
    in_word: bool,
    word_count: usize,
    tags: Vec<String>,
    tag_set: HashSet<String>,

    // Backlink contexts: one shared buffer; each open block owns a suffix of it.
    ctx_buf: String,
    ctx_stack: Vec<(usize, usize)>,
    /// (link index, start, end) in `ctx_buf`.
    ctx_links: Vec<(usize, usize, usize)>,
    /// For each open `<a>`: its entry in `ctx_links`, if it is internal.
    open_links: Vec<Option<usize>>,
}

impl<'a, 'c> Transform<'a, 'c> {
    pub(super) fn new(
        path: &'a Path,
        text: &'a str,
        base: usize,
        events: Vec<(Event<'a>, Range<usize>)>,
        config: &'c MarkdownConfig,
        highlighter: &'c Highlighter,
    ) -> Self {
        let capacity = events.len() + 16;
        Transform {
            body: &text[base..],
            base,
            lines: Lines::new(path, text),
            config,
            highlighter,
            events,
            out: Vec::with_capacity(capacity),
            captures: Vec::new(),
            links: Vec::new(),
            external_links: Vec::new(),
            external_seen: HashSet::new(),
            diagnostics: Vec::new(),
            task_lists: Vec::new(),
            tasks: 0,
            more_index: None,
            reserved_ids: HashSet::new(),
            footnote_keys: HashMap::new(),
            track_context: false,
            used_ids: HashSet::new(),
            explicit_ids: HashSet::new(),
            heading: None,
            toc: TocBuilder::default(),
            anchors: Vec::new(),
            footnotes: HashMap::new(),
            footnote_order: Vec::new(),
            footnote_numbers: HashMap::new(),
            para: Para::Normal,
            quotes: Vec::new(),
            container_depth: 0,
            summary: Summary::Pending,
            link_depth: 0,
            tag_boundary: true,
            in_word: false,
            word_count: 0,
            tags: Vec::new(),
            tag_set: HashSet::new(),
            ctx_buf: String::new(),
            ctx_stack: vec![(0, 0)],
            ctx_links: Vec::new(),
            open_links: Vec::new(),
        }
    }

    pub(super) fn run(mut self) -> (Rendered, Vec<Diagnostic>) {
        self.prepass();
        let mut i = 0;
        while i < self.events.len() {
            let (event, range) = self.take(i);
            i = self.event(event, range, i + 1);
        }
        self.finish()
    }

    fn take(&mut self, i: usize) -> (Event<'a>, Range<usize>) {
        let slot = &mut self.events[i];
        (
            std::mem::replace(&mut slot.0, Event::SoftBreak),
            slot.1.clone(),
        )
    }

    fn peek(&self, i: usize) -> Option<&Event<'a>> {
        self.events.get(i).map(|(e, _)| e)
    }

    fn emit(&mut self, event: Event<'a>) {
        match self.captures.last_mut() {
            Some(footnote) => footnote.events.push(event),
            None => self.out.push(event),
        }
    }

    fn emit_html(&mut self, html: impl Into<CowStr<'a>>) {
        self.emit(Event::Html(html.into()));
    }

    fn location(&mut self, body_offset: usize, len: usize) -> crate::diagnostics::Location {
        self.lines.location(self.base + body_offset, len)
    }

    /// One pass over the events for facts needed before rendering starts: which lists hold task
    /// items, explicit heading ids (auto ids must avoid them), footnote ids, `<!-- more -->`.
    fn prepass(&mut self) {
        let mut lists = Vec::new();
        let mut depth = 0usize;
        let mut footnote_names = Vec::new();
        for (i, (event, _)) in self.events.iter().enumerate() {
            match event {
                Event::Start(tag) => {
                    match tag {
                        Tag::List(_) => lists.push(i),
                        Tag::Heading { id: Some(id), .. } if !id.is_empty() => {
                            self.reserved_ids.insert(id.to_string());
                        }
                        Tag::FootnoteDefinition(name) => footnote_names.push(name.clone()),
                        Tag::HtmlBlock if depth == 0 && self.more_index.is_none() => {
                            let is_more = matches!(
                                self.events.get(i + 1),
                                Some((Event::Html(h), _)) if is_more_comment(h)
                            ) && matches!(
                                self.events.get(i + 2),
                                Some((Event::End(TagEnd::HtmlBlock), _))
                            );
                            if is_more {
                                self.more_index = Some(i + 1);
                            }
                        }
                        Tag::Link { .. } | Tag::Image { .. } => self.track_context = true,
                        _ => {}
                    }
                    depth += 1;
                }
                Event::End(end) => {
                    depth = depth.saturating_sub(1);
                    if let TagEnd::List(_) = end {
                        lists.pop();
                    }
                }
                Event::TaskListMarker(_) => {
                    if let Some(&list) = lists.last() {
                        self.task_lists.push(list);
                    }
                }
                _ => {}
            }
        }
        self.tasks = self.task_lists.len();
        self.task_lists.sort_unstable();
        self.task_lists.dedup();
        if self.more_index.is_some() {
            self.summary = Summary::Done;
        }
        let mut keys = HashSet::new();
        for name in footnote_names {
            let lower = name.to_lowercase();
            if self.footnote_keys.contains_key(&lower) {
                continue;
            }
            let mut base = slugify(&name);
            if base.is_empty() {
                base = "note".into();
            }
            let mut key = base.clone();
            let mut n = 1;
            while keys.contains(&key) {
                n += 1;
                key = format!("{base}-{n}");
            }
            keys.insert(key.clone());
            self.reserved_ids.insert(format!("fn-{key}"));
            self.reserved_ids.insert(format!("fnref-{key}"));
            self.footnote_keys.insert(lower, key);
        }
    }

    /// Handles the event taken from index `next - 1`; returns the index of the next event to
    /// handle (handlers that consume a whole construct skip past it).
    fn event(&mut self, event: Event<'a>, range: Range<usize>, next: usize) -> usize {
        match event {
            Event::Start(tag) => return self.start(tag, range, next),
            Event::End(end) => self.end(end),
            Event::Text(text) => self.text(text, range, next),
            Event::Code(code) => {
                self.count_words(&code);
                self.ctx_append(&code);
                self.tag_boundary = false;
                if has_sentinel(&code) {
                    let mut html = String::from("<code>");
                    push_escaped(&mut html, &code);
                    html.push_str("</code>");
                    self.emit_html(html);
                } else {
                    self.emit(Event::Code(code));
                }
            }
            Event::InlineMath(math) => self.math(&math, false, range),
            Event::DisplayMath(math) => self.math(&math, true, range),
            Event::Html(html) => {
                if self.more_index == Some(next - 1) {
                    // Keeps the line break the comment had; `split_holes` drops it with the marker.
                    self.emit_html(format!("{SUMMARY_END}\n"));
                } else {
                    self.emit(Event::Html(defuse_cow(html)));
                }
            }
            Event::InlineHtml(html) => {
                self.tag_boundary = false;
                self.emit(Event::InlineHtml(defuse_cow(html)));
            }
            Event::FootnoteReference(name) => self.footnote_reference(&name),
            Event::SoftBreak | Event::HardBreak => {
                self.in_word = false;
                self.tag_boundary = true;
                self.ctx_append(" ");
                if let Para::CalloutTitle { details } = self.para {
                    self.para = Para::Normal;
                    self.emit_html(format!("{}<p>", close_callout_title(details)));
                } else {
                    self.emit(event);
                }
            }
            Event::Rule => {
                self.block_boundary();
                self.emit(event);
            }
            Event::TaskListMarker(checked) => {
                self.emit_html(if checked {
                    "<input type=\"checkbox\" disabled checked> "
                } else {
                    "<input type=\"checkbox\" disabled> "
                });
            }
        }
        next
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>, next: usize) -> usize {
        match tag {
            Tag::Paragraph => self.start_paragraph(next),
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => self.start_heading(level, id, &classes, &attrs, range, next),
            Tag::BlockQuote(_) => return self.start_quote(next),
            Tag::CodeBlock(kind) => return self.code_block(kind, range, next),
            Tag::List(first) => {
                self.block_boundary();
                self.container_depth += 1;
                if self.task_lists.binary_search(&(next - 1)).is_ok() {
                    let html = match first {
                        None => "<ul class=\"tasklist\">\n".to_string(),
                        Some(1) => "<ol class=\"tasklist\">\n".to_string(),
                        Some(n) => format!("<ol class=\"tasklist\" start=\"{n}\">\n"),
                    };
                    self.emit_html(html);
                } else {
                    self.emit(Event::Start(Tag::List(first)));
                }
            }
            Tag::Item => {
                self.block_boundary();
                self.container_depth += 1;
                self.ctx_push();
                let is_task = match self.peek(next) {
                    Some(Event::TaskListMarker(_)) => true,
                    Some(Event::Start(Tag::Paragraph)) => {
                        matches!(self.peek(next + 1), Some(Event::TaskListMarker(_)))
                    }
                    _ => false,
                };
                if is_task {
                    self.emit_html("<li class=\"task\">");
                } else {
                    self.emit(Event::Start(Tag::Item));
                }
            }
            Tag::FootnoteDefinition(name) => {
                self.block_boundary();
                self.container_depth += 1;
                self.captures.push(Footnote {
                    name: name.to_string(),
                    start: range.start,
                    len: range.len(),
                    events: Vec::new(),
                });
            }
            Tag::TableCell | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => {
                self.block_boundary();
                self.container_depth += 1;
                self.ctx_push();
                self.emit(Event::Start(tag));
            }
            Tag::DefinitionList | Tag::Table(_) | Tag::TableHead | Tag::TableRow => {
                self.block_boundary();
                self.container_depth += 1;
                self.emit(Event::Start(tag));
            }
            Tag::HtmlBlock | Tag::MetadataBlock(_) => {
                self.block_boundary();
                self.emit(Event::Start(tag));
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => self.start_link(link_type, &dest_url, &title, range),
            Tag::Image {
                link_type,
                dest_url,
                title,
                ..
            } => return self.image(link_type, &dest_url, &title, range, next),
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript => self.emit(Event::Start(tag)),
        }
        next
    }

    fn end(&mut self, end: TagEnd) {
        match end {
            TagEnd::Paragraph => {
                match std::mem::replace(&mut self.para, Para::Normal) {
                    Para::Normal => self.emit(Event::End(end)),
                    Para::Summary => {
                        // Markers sit inside the <p> so they do not disturb push_html's
                        // newline bookkeeping; `finish` adds the <p> and </p> back.
                        self.emit_html(SUMMARY_END);
                        self.emit(Event::End(end));
                    }
                    Para::Bare => self.emit_html("\n"),
                    Para::CalloutTitle { details } => {
                        self.emit_html(close_callout_title(details));
                    }
                }
                self.ctx_pop();
                self.block_boundary();
            }
            TagEnd::Heading(level) => self.end_heading(level),
            TagEnd::BlockQuote(_) => {
                self.block_boundary();
                self.container_depth = self.container_depth.saturating_sub(1);
                match self.quotes.pop() {
                    Some(Quote::Callout { details: false }) => self.emit_html("</div>\n</div>\n"),
                    Some(Quote::Callout { details: true }) => {
                        self.emit_html("</div>\n</details>\n")
                    }
                    _ => self.emit(Event::End(end)),
                }
            }
            TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => {
                self.block_boundary();
                self.container_depth = self.container_depth.saturating_sub(1);
                self.ctx_pop();
                self.emit(Event::End(end));
            }
            TagEnd::List(_)
            | TagEnd::DefinitionList
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow => {
                self.block_boundary();
                self.container_depth = self.container_depth.saturating_sub(1);
                self.emit(Event::End(end));
            }
            TagEnd::FootnoteDefinition => {
                self.block_boundary();
                self.container_depth = self.container_depth.saturating_sub(1);
                if let Some(footnote) = self.captures.pop() {
                    let lower = footnote.name.to_lowercase();
                    match self.footnotes.entry(lower) {
                        std::collections::hash_map::Entry::Vacant(slot) => {
                            slot.insert(footnote);
                        }
                        std::collections::hash_map::Entry::Occupied(_) => {
                            let location = self.location(footnote.start, footnote.len);
                            self.diagnostics.push(
                                Diagnostic::warning(format!(
                                    "footnote `[^{}]` is defined twice; the first definition is used",
                                    footnote.name
                                ))
                                .at(location),
                            );
                        }
                    }
                }
            }
            TagEnd::Link => {
                self.link_depth = self.link_depth.saturating_sub(1);
                self.tag_boundary = false;
                if let Some(Some(k)) = self.open_links.pop() {
                    let end = self.ctx_buf.len();
                    if let Some(entry) = self.ctx_links.get_mut(k) {
                        entry.2 = end;
                    }
                }
                self.emit(Event::End(end));
            }
            TagEnd::HtmlBlock | TagEnd::MetadataBlock(_) => {
                self.block_boundary();
                self.emit(Event::End(end));
            }
            // Consumed together with their start events.
            TagEnd::CodeBlock | TagEnd::Image => {}
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => {
                self.tag_boundary = false;
                self.emit(Event::End(end));
            }
        }
    }

    /// A block starts or ends: words and tags cannot continue across it.
    fn block_boundary(&mut self) {
        self.in_word = false;
        self.tag_boundary = true;
    }

    // ----- Paragraphs and summary -----

    fn start_paragraph(&mut self, next: usize) {
        self.block_boundary();
        self.ctx_push();
        if self.is_embed_only_paragraph(next) {
            self.para = Para::Bare;
        } else if self.container_depth == 0 && self.summary == Summary::Pending {
            self.summary = Summary::Done;
            self.para = Para::Summary;
            self.emit(Event::Start(Tag::Paragraph));
            self.emit_html(SUMMARY_START);
        } else {
            self.para = Para::Normal;
            self.emit(Event::Start(Tag::Paragraph));
        }
    }

    /// `![[note]]` alone in a paragraph: the transcluded note is block content, so no `<p>`.
    fn is_embed_only_paragraph(&self, next: usize) -> bool {
        let Some(Event::Start(Tag::Image {
            link_type: LinkType::WikiLink { .. },
            dest_url,
            ..
        })) = self.peek(next)
        else {
            return false;
        };
        if is_image_target(dest_url) || is_external(dest_url) {
            return false;
        }
        let mut depth = 0usize;
        let mut j = next + 1;
        while let Some(event) = self.peek(j) {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => {
                    return matches!(self.peek(j + 1), Some(Event::End(TagEnd::Paragraph)));
                }
                Event::End(_) => depth -= 1,
                _ => {}
            }
            j += 1;
        }
        false
    }

    // ----- Headings -----

    fn start_heading(
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
                if self.explicit_ids.insert(id.to_string()) {
                    self.used_ids.insert(id.to_string());
                    id.to_string()
                } else {
                    let unique = self.unique_id(&id);
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
                self.unique_id(if slug.is_empty() { "section" } else { &slug })
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
            html.push(' ');
            push_escaped(&mut html, name);
            html.push_str("=\"");
            push_escaped(&mut html, value.as_deref().unwrap_or(""));
            html.push('"');
        }
        html.push('>');
        self.emit_html(html);

        self.toc.push(TocEntry {
            level: level as u8,
            id: id.clone(),
            title,
            children: Vec::new(),
        });
        self.anchors.push(id.clone());
        self.heading = Some((id, level));
    }

    /// Plain text of the heading whose content starts at `next`.
    fn heading_text(&self, next: usize) -> String {
        let mut title = String::new();
        for (event, _) in &self.events[next.min(self.events.len())..] {
            match event {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                    title.push_str(t)
                }
                Event::SoftBreak | Event::HardBreak => title.push(' '),
                _ => {}
            }
        }
        let trimmed = title.trim();
        if trimmed.len() == title.len() {
            title
        } else {
            trimmed.to_string()
        }
    }

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

    fn end_heading(&mut self, level: HeadingLevel) {
        let mut html = String::with_capacity(96);
        if let Some((id, _)) = self.heading.take()
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

    // ----- Block quotes and callouts -----

    fn start_quote(&mut self, next: usize) -> usize {
        self.block_boundary();
        self.container_depth += 1;
        if let Some(after) = self.callout(next) {
            return after;
        }
        self.quotes.push(Quote::Plain);
        self.emit(Event::Start(Tag::BlockQuote(None)));
        next
    }

    /// Recognises `[!type]`, `[!type]-` or `[!type]+` (then an optional title) at the start of
    /// the quote's first paragraph. pulldown-cmark splits the marker over several text events
    /// (`[`, `!NOTE`, `]`), so the leading text events are joined before matching. Returns the
    /// index to continue from, or `None` for an ordinary quote.
    fn callout(&mut self, next: usize) -> Option<usize> {
        if !matches!(self.peek(next), Some(Event::Start(Tag::Paragraph))) {
            return None;
        }
        let mut head = String::new();
        let mut j = next + 1;
        while let Some(Event::Text(t)) = self.peek(j) {
            head.push_str(t);
            j += 1;
            if head.len() > 128 {
                break;
            }
        }
        let rest = head.strip_prefix("[!")?;
        let type_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        let kind = &rest[..type_len];
        let after_type = rest[type_len..].strip_prefix(']')?;
        if kind.is_empty() {
            return None;
        }
        let fold = match after_type.chars().next() {
            Some('-') => Some(false),
            Some('+') => Some(true),
            _ => None,
        };
        let marker_len = 2 + type_len + 1 + usize::from(fold.is_some());
        let kind = kind.to_lowercase();

        // Consume the marker's text events; keep what follows it in the last one.
        let mut remaining = marker_len;
        let mut j = next + 1;
        let mut partial = None;
        while remaining > 0 {
            let (text, event_range) = match self.take(j) {
                (Event::Text(t), r) => (t, r),
                (other, r) => {
                    // Cannot happen (the marker was found in these text events); put it back.
                    self.events[j] = (other, r);
                    break;
                }
            };
            j += 1;
            if text.len() <= remaining {
                remaining -= text.len();
            } else {
                let rest = sub_cow(&text, remaining..text.len());
                let start = event_range.start + remaining.min(event_range.len());
                partial = Some((rest, start..event_range.end));
                remaining = 0;
            }
        }
        // The title may start in the next text event (`]` is often an event of its own).
        if partial.is_none()
            && let Some(Event::Text(_)) = self.peek(j)
        {
            if let (Event::Text(text), r) = self.take(j) {
                partial = Some((text, r));
            }
            j += 1;
        }
        let partial = partial.and_then(|(text, r)| {
            let trimmed = text.trim_start();
            if trimmed.is_empty() {
                None
            } else {
                let skip = text.len() - trimmed.len();
                Some((sub_cow(&text, skip..text.len()), r.start + skip..r.end))
            }
        });
        let title_is_empty = partial.is_none()
            && matches!(
                self.peek(j),
                None | Some(Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph))
            );

        let details = fold.is_some();
        self.quotes.push(Quote::Callout { details });
        self.ctx_push();
        self.para = Para::CalloutTitle { details };
        let mut html = String::with_capacity(128);
        if details {
            let _ = write!(
                html,
                "<details class=\"callout callout-{kind}\" data-callout=\"{kind}\"{}>\n<summary class=\"callout-title\">",
                if fold == Some(true) { " open" } else { "" }
            );
        } else {
            let _ = write!(
                html,
                "<div class=\"callout callout-{kind}\" data-callout=\"{kind}\">\n<p class=\"callout-title\">"
            );
        }
        if title_is_empty {
            let mut chars = kind.chars();
            if let Some(first) = chars.next() {
                html.extend(first.to_uppercase());
                html.push_str(chars.as_str());
            }
        }
        self.emit_html(html);
        self.block_boundary();
        if let Some((text, r)) = partial {
            self.text(text, r, j);
        }
        Some(j)
    }

    // ----- Text -----

    fn text(&mut self, text: CowStr<'a>, range: Range<usize>, next: usize) {
        if &*text == "[" {
            self.check_undefined_footnote(range.start, next);
        }
        self.count_words(&text);
        self.ctx_append(&text);
        let boundary = self.tag_boundary;
        if let Some(last) = text.chars().next_back() {
            self.tag_boundary = last.is_whitespace();
        }
        let tags_allowed = self.link_depth == 0;
        let first_tag = if tags_allowed && text.contains('#') {
            next_tag(&text, 0, boundary)
        } else {
            None
        };
        let Some(mut tag) = first_tag else {
            self.emit_text(text);
            return;
        };
        let mut pos = 0;
        loop {
            let (start, end) = tag;
            if start > pos {
                self.emit_text(sub_cow(&text, pos..start));
            }
            let word = &text[start + 1..end];
            if !self.tag_set.contains(word) {
                self.tag_set.insert(word.to_string());
                self.tags.push(word.to_string());
            }
            // Tag characters are letters, digits, `-`, `_` and `/`: nothing to escape.
            self.emit_html(format!("<span class=\"tag\">#{word}</span>"));
            pos = end;
            match next_tag(&text, pos, boundary) {
                Some(found) => tag = found,
                None => break,
            }
        }
        if pos < text.len() {
            self.emit_text(sub_cow(&text, pos..text.len()));
        }
    }

    fn emit_text(&mut self, text: CowStr<'a>) {
        if has_sentinel(&text) {
            let mut html = String::with_capacity(text.len() + 16);
            push_escaped(&mut html, &text);
            self.emit_html(html);
        } else {
            self.emit(Event::Text(text));
        }
    }

    /// pulldown-cmark leaves `[^name]` without a definition as literal text, split as `[`,
    /// `^name`, `]`; report it, since the author surely meant a footnote.
    fn check_undefined_footnote(&mut self, start: usize, next: usize) {
        let mut label = String::new();
        let mut end = None;
        for j in next..next + 8 {
            let Some((Event::Text(t), r)) = self.events.get(j) else {
                return;
            };
            if j == next && !t.starts_with('^') {
                return;
            }
            match t.find(']') {
                Some(close) => {
                    label.push_str(&t[..close]);
                    end = Some(r.start + close + 1);
                    break;
                }
                None => label.push_str(t),
            }
        }
        let Some(end) = end else { return };
        let name = &label[1..];
        if name.is_empty() || name.contains(char::is_whitespace) {
            return;
        }
        let location = self.location(start, end.saturating_sub(start));
        self.diagnostics.push(
            Diagnostic::error(format!("footnote `[^{name}]` is never defined"))
                .at(location)
                .with_hint(format!(
                    "add a definition on its own line, e.g. `[^{name}]: The note's text.`"
                )),
        );
    }

    fn count_words(&mut self, text: &str) {
        for b in text.bytes() {
            if b.is_ascii_whitespace() {
                self.in_word = false;
            } else if !self.in_word {
                self.in_word = true;
                self.word_count += 1;
            }
        }
    }

    // ----- Backlink contexts -----

    fn ctx_push(&mut self) {
        if self.track_context {
            self.ctx_stack
                .push((self.ctx_buf.len(), self.ctx_links.len()));
        }
    }

    fn ctx_append(&mut self, text: &str) {
        if !self.track_context {
            return;
        }
        for c in text.chars() {
            if c.is_whitespace() {
                if !self.ctx_buf.is_empty() && !self.ctx_buf.ends_with(' ') {
                    self.ctx_buf.push(' ');
                }
            } else {
                self.ctx_buf.push(c);
            }
        }
    }

    /// Closes the innermost block: its links get their contexts, its text is dropped from the
    /// shared buffer so the enclosing block continues where it left off.
    fn ctx_pop(&mut self) {
        if !self.track_context {
            return;
        }
        // The root context (index 0) is only closed by `finish`.
        if self.ctx_stack.len() <= 1 {
            return;
        }
        self.close_context();
    }

    fn close_context(&mut self) {
        let Some((start, first_link)) = self.ctx_stack.pop() else {
            return;
        };
        let start = start.min(self.ctx_buf.len());
        if self.ctx_links.len() > first_link {
            let text = &self.ctx_buf[start..];
            for &(index, a, b) in &self.ctx_links[first_link..] {
                if let Some(link) = self.links.get_mut(index) {
                    link.context =
                        context_window(text, a.saturating_sub(start), b.saturating_sub(start));
                }
            }
            self.ctx_links.truncate(first_link);
        }
        self.ctx_buf.truncate(start);
        if !self.ctx_buf.is_empty() && !self.ctx_buf.ends_with(' ') {
            self.ctx_buf.push(' ');
        }
    }

    // ----- Links and images -----

    /// Records an internal link and writes its hole into `html`.
    fn hole(
        &mut self,
        html: &mut String,
        kind: LinkKind,
        dest: String,
        written: &str,
        range: Range<usize>,
        embed: bool,
    ) -> usize {
        let index = self.links.len();
        let location = self.dest_location(range, written, kind == LinkKind::Markdown);
        self.links.push(LinkRef {
            kind,
            dest,
            location,
            context: String::new(),
        });
        let at = self.ctx_buf.len();
        self.ctx_links.push((index, at, at));
        html.push(HOLE_OPEN);
        if embed {
            html.push('e');
        }
        let _ = write!(html, "{index}");
        html.push(HOLE_CLOSE);
        index
    }

    /// Records an `http(s)` destination for external link checking, once per URL and line.
    fn external(&mut self, dest: &str, range: Range<usize>, from_right: bool) {
        if !is_http(dest) {
            return;
        }
        let location = self.dest_location(range, dest, from_right);
        if self.external_seen.insert((dest.to_string(), location.line)) {
            self.external_links.push(ExternalLink {
                url: dest.to_string(),
                location,
            });
        }
    }

    /// Where `written` (the destination) appears in the link's source, else the whole link.
    fn dest_location(
        &mut self,
        range: Range<usize>,
        written: &str,
        from_right: bool,
    ) -> crate::diagnostics::Location {
        let found = self.body.get(range.clone()).and_then(|source| {
            if written.is_empty() {
                None
            } else if from_right {
                source.rfind(written)
            } else {
                source.find(written)
            }
        });
        match found {
            Some(at) => self.location(range.start + at, written.len()),
            None => self.location(range.start, range.len()),
        }
    }

    fn start_link(&mut self, link_type: LinkType, dest: &str, title: &str, range: Range<usize>) {
        self.link_depth += 1;
        let mut html = String::with_capacity(48 + dest.len());
        html.push_str("<a href=\"");
        let mut external = true;
        match link_type {
            LinkType::Email => {
                html.push_str("mailto:");
                push_href(&mut html, dest);
            }
            _ if dest.is_empty() || is_external(dest) => {
                self.external(dest, range, !matches!(link_type, LinkType::WikiLink { .. }));
                push_href(&mut html, dest);
            }
            LinkType::WikiLink { .. } => {
                external = false;
                self.hole(
                    &mut html,
                    LinkKind::WikiLink,
                    dest.to_string(),
                    dest,
                    range,
                    false,
                );
            }
            _ => {
                external = false;
                let decoded = percent_decode(dest).into_owned();
                self.hole(&mut html, LinkKind::Markdown, decoded, dest, range, false);
            }
        }
        html.push('"');
        if !title.is_empty() {
            html.push_str(" title=\"");
            push_escaped(&mut html, title);
            html.push('"');
        }
        if external && self.config.external_links_new_tab {
            html.push_str(" rel=\"noopener\" target=\"_blank\"");
        }
        html.push('>');
        self.open_links.push(if external {
            None
        } else {
            Some(self.ctx_links.len() - 1)
        });
        self.emit_html(html);
    }

    /// Renders `![alt](src)` or `![[target]]` and skips past its end; alt text is collected as
    /// plain text.
    fn image(
        &mut self,
        link_type: LinkType,
        dest: &str,
        title: &str,
        range: Range<usize>,
        next: usize,
    ) -> usize {
        let mut alt = String::new();
        let mut depth = 0usize;
        let mut j = next;
        while let Some(event) = self.peek(j) {
            j += 1;
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => break,
                Event::End(_) => depth -= 1,
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                    alt.push_str(t)
                }
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        self.tag_boundary = false;
        let links_before = self.links.len();
        let mut html = String::with_capacity(64 + dest.len() + alt.len());
        if let LinkType::WikiLink { has_pothole } = link_type {
            let label = if has_pothole { alt.trim() } else { "" };
            if is_image_target(dest) || is_external(dest) {
                let (width, height) = parse_size(label).unwrap_or((None, None));
                let alt_text = if label.is_empty() || width.is_some() {
                    dest
                } else {
                    label
                };
                html.push_str("<img src=\"");
                if is_external(dest) {
                    self.external(dest, range, false);
                    push_href(&mut html, dest);
                } else {
                    self.hole(
                        &mut html,
                        LinkKind::Embed,
                        dest.to_string(),
                        dest,
                        range,
                        false,
                    );
                }
                html.push_str("\" alt=\"");
                push_escaped(&mut html, alt_text);
                html.push('"');
                if let Some(w) = width {
                    let _ = write!(html, " width=\"{w}\"");
                }
                if let Some(h) = height {
                    let _ = write!(html, " height=\"{h}\"");
                }
                html.push_str(" loading=\"lazy\">");
                self.ctx_append(alt_text);
            } else {
                self.hole(
                    &mut html,
                    LinkKind::Embed,
                    dest.to_string(),
                    dest,
                    range,
                    true,
                );
                self.ctx_append(dest);
            }
        } else {
            html.push_str("<img src=\"");
            if dest.is_empty() || is_external(dest) {
                self.external(dest, range, true);
                push_href(&mut html, dest);
            } else {
                let decoded = percent_decode(dest).into_owned();
                self.hole(&mut html, LinkKind::Image, decoded, dest, range, false);
            }
            html.push_str("\" alt=\"");
            push_escaped(&mut html, &alt);
            html.push('"');
            if !title.is_empty() {
                html.push_str(" title=\"");
                push_escaped(&mut html, title);
                html.push('"');
            }
            html.push_str(" loading=\"lazy\">");
            self.ctx_append(&alt);
        }
        // An image has no inner text in the context: its entry ends where the alt text ends.
        if self.links.len() > links_before
            && let Some(entry) = self.ctx_links.last_mut()
        {
            entry.2 = self.ctx_buf.len();
        }
        self.emit_html(html);
        j
    }

    // ----- Footnotes -----

    fn footnote_reference(&mut self, name: &str) {
        self.tag_boundary = false;
        let lower = name.to_lowercase();
        let key = self.footnote_keys.get(&lower).cloned().unwrap_or_else(|| {
            let slug = slugify(name);
            if slug.is_empty() { "note".into() } else { slug }
        });
        let number = match self.footnote_numbers.get(&lower) {
            Some(&n) => n,
            None => {
                let n = self.footnote_order.len() + 1;
                self.footnote_numbers.insert(lower.clone(), n);
                self.footnote_order.push((lower, 0));
                n
            }
        };
        let uses = &mut self.footnote_order[number - 1].1;
        *uses += 1;
        let uses = *uses;
        // The first reference's id is added with the footnote itself, in `finish`.
        let id = if uses == 1 {
            format!("fnref-{key}")
        } else {
            let id = format!("fnref-{key}-{uses}");
            self.anchors.push(id.clone());
            id
        };
        let html = format!(
            "<sup class=\"footnote-ref\" id=\"{id}\"><a href=\"#fn-{key}\">{number}</a></sup>"
        );
        self.emit_html(html);
    }

    // ----- Code and math -----

    fn code_block(&mut self, kind: CodeBlockKind<'a>, range: Range<usize>, next: usize) -> usize {
        self.block_boundary();
        let mut code: Cow<'a, str> = Cow::Borrowed("");
        let mut j = next;
        while j < self.events.len() {
            let (event, _) = self.take(j);
            j += 1;
            match event {
                Event::Text(t) => match t {
                    CowStr::Borrowed(b) if code.is_empty() => code = Cow::Borrowed(b),
                    other => code.to_mut().push_str(&other),
                },
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        let info: &str = match &kind {
            CodeBlockKind::Fenced(info) => info,
            CodeBlockKind::Indented => "",
        };
        let lang = info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .unwrap_or("");
        let mut html = String::with_capacity(code.len() * 3 + 64);
        if lang.is_empty() || PLAIN_LANGUAGES.iter().any(|p| lang.eq_ignore_ascii_case(p)) {
            html.push_str("<pre class=\"hl\"><code>");
            push_escaped(&mut html, &code);
        } else {
            html.push_str("<pre class=\"hl\" data-lang=\"");
            push_escaped(&mut html, lang);
            html.push_str("\"><code class=\"language-");
            push_escaped(&mut html, lang);
            html.push_str("\">");
            match self.highlighter.highlight(&code, lang) {
                Some(highlighted) => html.push_str(&defuse(&highlighted)),
                None => {
                    let at = self.info_offset(range.start, lang);
                    let location = self.location(at, lang.len());
                    self.diagnostics.push(
                        Diagnostic::warning(format!(
                            "unknown language `{lang}` in code block, shown without highlighting"
                        ))
                        .at(location)
                        .with_hint(
                            "use a known name such as `rust`, `python`, `js`, `toml`, or `text` for plain text",
                        ),
                    );
                    push_escaped(&mut html, &code);
                }
            }
        }
        html.push_str("</code></pre>\n");
        self.emit_html(html);
        j
    }

    /// Body offset of the info string of the fence starting at `start`.
    fn info_offset(&self, start: usize, lang: &str) -> usize {
        let Some(source) = self.body.get(start..) else {
            return start;
        };
        let fence = source.trim_start_matches([' ', '\t']);
        let after_fence = fence.trim_start_matches(['`', '~']);
        let info = after_fence.trim_start_matches([' ', '\t']);
        if info.starts_with(lang) {
            start + (source.len() - info.len())
        } else {
            start
        }
    }

    fn math(&mut self, source: &str, display: bool, range: Range<usize>) {
        self.tag_boundary = false;
        self.ctx_append(source);
        // pulldown-latex 0.8 can panic on some malformed input (e.g. `\char` before a non-ASCII
        // character); one bad formula must not take the build down, so it is contained here.
        let rendered = std::panic::catch_unwind(|| latex_to_mathml(source, display))
            .unwrap_or_else(|_| Err("the LaTeX parser failed on this formula".to_string()));
        let (mut html, error) = match rendered {
            Ok(html) => (html, None),
            Err(error) => (String::new(), Some(error)),
        };
        match error {
            None => {
                if has_sentinel(&html) {
                    html = defuse(&html).into_owned();
                }
            }
            Some(error) => {
                html.clear();
                html.push_str("<code class=\"math-error\">");
                push_escaped(&mut html, source);
                html.push_str("</code>");
                let location = self.location(range.start, range.len());
                self.diagnostics.push(
                    Diagnostic::error(format!("cannot render math: {error}"))
                        .at(location)
                        .with_hint("check the LaTeX: braces must balance and commands must be known to pulldown-latex"),
                );
            }
        }
        self.emit_html(html);
    }

    // ----- Finishing -----

    fn finish(mut self) -> (Rendered, Vec<Diagnostic>) {
        // Unclosed captures cannot happen with balanced events; keep their content anyway.
        while let Some(footnote) = self.captures.pop() {
            self.out.extend(footnote.events);
        }
        while !self.ctx_stack.is_empty() {
            self.close_context();
        }

        let mut unused: Vec<Footnote<'a>> = Vec::new();
        let order = std::mem::take(&mut self.footnote_order);
        let mut definitions = std::mem::take(&mut self.footnotes);
        if !order.is_empty() {
            self.out.push(Event::Html(
                "<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n".into(),
            ));
            for (number, (lower, _)) in order.iter().enumerate() {
                let number = number + 1;
                let Some(footnote) = definitions.remove(lower) else {
                    continue;
                };
                let key = self
                    .footnote_keys
                    .get(lower)
                    .cloned()
                    .unwrap_or_else(|| lower.clone());
                self.out
                    .push(Event::Html(format!("<li id=\"fn-{key}\">").into()));
                let backref = format!(
                    "<a href=\"#fnref-{key}\" class=\"footnote-backref\" aria-label=\"Back to reference {number}\">↩</a>"
                );
                let mut events = footnote.events;
                if matches!(events.last(), Some(Event::End(TagEnd::Paragraph))) {
                    let end = events.pop();
                    events.push(Event::Html(format!(" {backref}").into()));
                    events.extend(end);
                } else {
                    events.push(Event::Html(backref.into()));
                }
                self.out.extend(events);
                self.out.push(Event::Html("</li>\n".into()));
                self.anchors.push(format!("fn-{key}"));
                self.anchors.push(format!("fnref-{key}"));
            }
            self.out.push(Event::Html("</ol>\n</section>\n".into()));
        }
        unused.extend(definitions.into_values());
        unused.sort_by_key(|f| f.start);
        for footnote in unused {
            let location = self.location(footnote.start, footnote.len);
            self.diagnostics.push(
                Diagnostic::warning(format!(
                    "footnote `[^{}]` is defined but never referenced",
                    footnote.name
                ))
                .at(location)
                .with_hint(format!(
                    "reference it with `[^{}]` in the text, or remove the definition",
                    footnote.name
                )),
            );
        }

        let mut html = String::with_capacity(self.body.len() + self.body.len() / 2 + 64);
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());

        let summary = match self.more_index {
            Some(_) => html
                .find(SUMMARY_END)
                .map(|end| split_holes(html[..end].trim())),
            None => html.find(SUMMARY_START).map(|start| {
                let from = start + SUMMARY_START.len();
                let end = html[from..]
                    .find(SUMMARY_END)
                    .map_or(html.len(), |e| from + e);
                let mut paragraph = String::with_capacity(end - from + 8);
                paragraph.push_str("<p>");
                paragraph.push_str(&html[from..end]);
                paragraph.push_str("</p>");
                split_holes(&paragraph)
            }),
        }
        .unwrap_or_default();
        let body = split_holes(&html);

        let rendered = Rendered {
            html: Html(body),
            summary: Html(summary),
            toc: self.toc.finish(),
            anchors: self.anchors,
            links: self.links,
            external_links: self.external_links,
            word_count: self.word_count,
            tasks: self.tasks,
            tags: self.tags,
        };
        (rendered, self.diagnostics)
    }
}

/// Whether `dest` is an absolute `http:` or `https:` URL with a host.
fn is_http(dest: &str) -> bool {
    let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
    (lower.starts_with("http://") && dest.len() > 7)
        || (lower.starts_with("https://") && dest.len() > 8)
}

/// MathML for one formula, or pulldown-latex's first error message.
fn latex_to_mathml(source: &str, display: bool) -> Result<String, String> {
    let storage = pulldown_latex::Storage::new();
    let events: Vec<_> = pulldown_latex::Parser::new(source, &storage).collect();
    if let Some(error) = events.iter().find_map(|e| e.as_ref().err()) {
        let message = error.to_string();
        let first = message.lines().next().unwrap_or("").trim();
        return Err(first
            .strip_prefix("parsing error: ")
            .unwrap_or(first)
            .to_string());
    }
    let config = pulldown_latex::RenderConfig {
        display_mode: if display {
            pulldown_latex::config::DisplayMode::Block
        } else {
            pulldown_latex::config::DisplayMode::Inline
        },
        ..Default::default()
    };
    let mut html = String::with_capacity(source.len() * 8 + 64);
    pulldown_latex::push_mathml(&mut html, events.into_iter(), config)
        .map_err(|e| e.to_string())?;
    Ok(html)
}

/// Cuts rendered HTML at its holes; summary markers are dropped.
fn split_holes(html: &str) -> Vec<Fragment> {
    // Fragments live as long as the build: each is sized to its text, not to the whole page.
    let mut fragments = Vec::new();
    let mut current = String::new();
    let mut rest = html;
    while let Some(open) = rest.find(HOLE_OPEN) {
        current.push_str(&rest[..open]);
        let after = &rest[open + HOLE_OPEN.len_utf8()..];
        let Some(close) = after.find(HOLE_CLOSE) else {
            // Not produced by us (author sentinels are escaped); keep it as text.
            current.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let token = &after[..close];
        rest = &after[close + HOLE_CLOSE.len_utf8()..];
        if token == "/s" {
            rest = rest.strip_prefix('\n').unwrap_or(rest);
        }
        let hole = match token.strip_prefix('e') {
            Some(index) => index.parse().ok().map(Fragment::Embed),
            None => token.parse().ok().map(Fragment::Href),
        };
        if let Some(hole) = hole {
            if !current.is_empty() {
                current.shrink_to_fit();
                fragments.push(Fragment::Html(std::mem::take(&mut current)));
            }
            fragments.push(hole);
        }
    }
    current.push_str(rest);
    if !current.is_empty() {
        current.shrink_to_fit();
        fragments.push(Fragment::Html(current));
    }
    fragments.shrink_to_fit();
    fragments
}

fn close_callout_title(details: bool) -> &'static str {
    if details {
        "</summary>\n<div class=\"callout-body\">\n"
    } else {
        "</p>\n<div class=\"callout-body\">\n"
    }
}

fn is_more_comment(html: &str) -> bool {
    let inner = html.trim();
    inner
        .strip_prefix("<!--")
        .and_then(|s| s.strip_suffix("-->"))
        .is_some_and(|s| s.trim() == "more")
}

/// `300` → width, `300x200` → width and height; anything else is not a size.
fn parse_size(label: &str) -> Option<(Option<u32>, Option<u32>)> {
    if label.is_empty() {
        return None;
    }
    match label.split_once('x') {
        Some((w, h)) => Some((Some(w.trim().parse().ok()?), Some(h.trim().parse().ok()?))),
        None => Some((Some(label.parse().ok()?), None)),
    }
}

/// A sub-slice of a pulldown-cmark string, borrowed when the original is.
fn sub_cow<'a>(s: &CowStr<'a>, range: Range<usize>) -> CowStr<'a> {
    match s {
        CowStr::Borrowed(b) => CowStr::Borrowed(&b[range]),
        other => CowStr::from(other[range].to_string()),
    }
}

fn defuse_cow(s: CowStr<'_>) -> CowStr<'_> {
    if has_sentinel(&s) {
        CowStr::from(defuse(&s).into_owned())
    } else {
        s
    }
}
