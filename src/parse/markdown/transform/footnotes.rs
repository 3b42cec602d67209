//! Footnotes: references numbered in order of first use, definitions captured where they are
//! written and placed, in that order, in one section at the end of the body.
//!
//! pulldown-cmark's footnote ids are bare names that can clash with heading ids, so every
//! footnote gets a key (the slug of its name, made unique) and the ids `fn-KEY` and `fnref-KEY`,
//! reserved before any heading id is chosen.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, TagEnd};

use super::Transform;
use crate::diagnostics::Diagnostic;
use crate::slug::slugify;

/// A footnote definition, captured while it is rendered and placed at the end of the body.
struct Footnote<'a> {
    name: String,
    /// Body offset and length of the definition, for diagnostics.
    start: usize,
    len: usize,
    events: Vec<Event<'a>>,
}

#[derive(Default)]
pub(super) struct Footnotes<'a> {
    /// Definitions being captured (they may nest inside each other in odd input).
    captures: Vec<Footnote<'a>>,
    /// Captured definitions by lower-cased name.
    definitions: HashMap<String, Footnote<'a>>,
    /// Lower-cased names in order of first reference, with their reference counts.
    order: Vec<(String, usize)>,
    numbers: HashMap<String, usize>,
    /// Lower-cased footnote name → id suffix (`fn-KEY`), for every definition.
    keys: HashMap<String, String>,
}

impl<'a> Footnotes<'a> {
    /// Gives each defined footnote its key, reserving its ids in `reserved_ids`.
    pub(super) fn assign_keys(
        &mut self,
        names: Vec<CowStr<'_>>,
        reserved_ids: &mut HashSet<String>,
    ) {
        let mut keys = HashSet::new();
        for name in names {
            let lower = name.to_lowercase();
            if self.keys.contains_key(&lower) {
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
            reserved_ids.insert(format!("fn-{key}"));
            reserved_ids.insert(format!("fnref-{key}"));
            self.keys.insert(lower, key);
        }
    }

    /// The events of the definition being captured, if any: output goes there.
    pub(super) fn capturing(&mut self) -> Option<&mut Vec<Event<'a>>> {
        self.captures
            .last_mut()
            .map(|footnote| &mut footnote.events)
    }

    /// The events of an unclosed capture, innermost first.
    pub(super) fn pop_capture(&mut self) -> Option<Vec<Event<'a>>> {
        self.captures.pop().map(|footnote| footnote.events)
    }
}

impl<'a> Transform<'a, '_> {
    pub(super) fn start_footnote_definition(&mut self, name: &str, range: Range<usize>) {
        self.block_boundary();
        self.blocks.container_depth += 1;
        self.footnotes.captures.push(Footnote {
            name: name.to_string(),
            start: range.start,
            len: range.len(),
            events: Vec::new(),
        });
    }

    pub(super) fn end_footnote_definition(&mut self) {
        self.block_boundary();
        self.blocks.container_depth = self.blocks.container_depth.saturating_sub(1);
        if let Some(footnote) = self.footnotes.captures.pop() {
            let lower = footnote.name.to_lowercase();
            match self.footnotes.definitions.entry(lower) {
                Entry::Vacant(slot) => {
                    slot.insert(footnote);
                }
                Entry::Occupied(_) => {
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

    pub(super) fn footnote_reference(&mut self, name: &str) {
        self.inline.tag_boundary = false;
        let lower = name.to_lowercase();
        let key = self.footnotes.keys.get(&lower).cloned().unwrap_or_else(|| {
            let slug = slugify(name);
            if slug.is_empty() { "note".into() } else { slug }
        });
        let number = match self.footnotes.numbers.get(&lower) {
            Some(&n) => n,
            None => {
                let n = self.footnotes.order.len() + 1;
                self.footnotes.numbers.insert(lower.clone(), n);
                self.footnotes.order.push((lower, 0));
                n
            }
        };
        let uses = &mut self.footnotes.order[number - 1].1;
        *uses += 1;
        let uses = *uses;
        // The first reference's id is added with the footnote itself, in `append_footnotes`.
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

    /// pulldown-cmark leaves `[^name]` without a definition as literal text, split as `[`,
    /// `^name`, `]`; report it, since the author surely meant a footnote.
    pub(super) fn check_undefined_footnote(&mut self, start: usize, next: usize) {
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

    /// Appends the footnotes section (referenced definitions in order of first reference) to the
    /// output, and reports definitions never referenced.
    pub(super) fn append_footnotes(&mut self) {
        let mut unused: Vec<Footnote<'a>> = Vec::new();
        let order = std::mem::take(&mut self.footnotes.order);
        let mut definitions = std::mem::take(&mut self.footnotes.definitions);
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
                    .footnotes
                    .keys
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
    }
}
