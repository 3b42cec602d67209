//! Embeds: `![[Page]]`, `![[Page#Heading]]`, `![[Page#^block-id]]`, `![[#Heading]]` on the
//! same page, and `![[file.csv]]` for a file that is neither image, video, audio nor PDF (those
//! are written by the Markdown stage itself).
//!
//! What an embed transcludes is a *part* of a document: the whole body, one heading's section
//! (up to the next heading of the same or a higher level) or one named block. A part is cut from
//! the document's parsed fragments, holes included, so the embeds it holds are known: assembling
//! a part assembles the embeds inside it, and only those. An embed cycle is an embed whose part
//! is being assembled already, further out: `![[#Steps]]` written under `## Notes` is fine,
//! written under `## Steps` it would hold itself. So cycles are found per section and block, not
//! per page: two pages may embed sections of each other that do not embed back.
//!
//! Documents without embeds keep their hrefs and are assembled when rendered; the rest are
//! assembled here depth-first with an explicit record of the parts being assembled, and each
//! part, once assembled, is kept for every other embed of it. Ids inside an embed are prefixed
//! (`embed-3-`) to stay unique on the embedding page.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::parse::markdown::Hole;
use crate::parse::{Fragment, Html};

use super::Body;
use super::links::{Index, LinkedDoc, Target};

/// The most HTML all embeds of a build may bring in, in bytes. Embeds nest and repeat, so a few
/// lines (a section embedding the next one twice, forty times over) could otherwise ask for
/// terabytes; past this, an embed is an error and brings in nothing.
const EMBED_BUDGET: usize = 64 << 20;

/// How deep embeds may nest. Assembly recurses once per level, so a chain of thousands of
/// sections each embedding the next would otherwise overflow the stack.
const MAX_EMBED_DEPTH: usize = 16;

/// The part of a document an embed transcludes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Part {
    Whole,
    /// The section of the heading with this id.
    Heading(String),
    /// The block with this id (without the `^`).
    Block(String),
}

/// What an embed link brings into the page.
#[derive(Debug, Clone)]
pub(super) enum Embed {
    /// A document, or a section or block of one.
    Note { target: Target, part: Part },
    /// A file other than an image, video, audio or PDF: a link to the copied file.
    File { name: String },
}

/// Fills every document's holes; see the module documentation. Returns each document's body
/// and summary, in the order of `linked`.
pub(super) fn assemble_all(
    index: &Index<'_>,
    linked: &[LinkedDoc],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Body, String)> {
    let position: HashMap<Target, usize> = linked
        .iter()
        .enumerate()
        .map(|(i, l)| (l.from, i))
        .collect();
    // Without embeds, a body keeps its hrefs and is assembled when rendered.
    let mut done: Vec<Option<(Body, String)>> = linked
        .par_iter()
        .map(|l| {
            l.embeds.iter().all(Option::is_none).then(|| {
                let summary = super::fill_links(&index.doc(l.from).body.summary, &l.hrefs);
                (Body::Holes(l.hrefs.clone()), summary)
            })
        })
        .collect();
    let mut assembler = Assembler {
        index,
        linked,
        position: &position,
        stack: Vec::new(),
        parts: HashMap::new(),
        headings: HashMap::new(),
        budget: EMBED_BUDGET,
        diagnostics,
    };
    for i in 0..linked.len() {
        if done[i].is_none() {
            assembler.assemble(i, &mut done);
        }
    }
    done.into_iter().map(Option::unwrap_or_default).collect()
}

struct Assembler<'a, 'b> {
    index: &'a Index<'a>,
    linked: &'a [LinkedDoc],
    position: &'a HashMap<Target, usize>,
    /// Parts being assembled, outermost first: (document position, part).
    stack: Vec<(usize, Part)>,
    /// Sections and blocks assembled so far.
    parts: HashMap<(usize, Part), String>,
    /// Where the headings of each document with an embedded section start.
    headings: HashMap<usize, HashMap<String, HeadingStart>>,
    /// What embeds may still bring in, in bytes ([`EMBED_BUDGET`]).
    budget: usize,
    diagnostics: &'b mut Vec<Diagnostic>,
}

impl Assembler<'_, '_> {
    /// Assembles the whole body and summary of document `i` into `done[i]`.
    fn assemble(&mut self, i: usize, done: &mut [Option<(Body, String)>]) {
        let linked = self.linked;
        let l = &linked[i];
        let doc = self.index.doc(l.from);
        self.stack.push((i, Part::Whole));
        let embedded: Vec<String> = (0..l.embeds.len())
            .map(|k| self.embed_html(i, k, done))
            .collect();
        let fill = |hole: Hole| match hole {
            Hole::Href(k) => Cow::Borrowed(l.hrefs[k].as_str()),
            Hole::Embed(k) => Cow::Borrowed(embedded[k].as_str()),
        };
        done[i] = Some((
            Body::Assembled(doc.body.html.assemble(fill)),
            doc.body.summary.assemble(fill),
        ));
        self.stack.pop();
    }

    /// The section or block `part` of document `j`, its embeds assembled.
    fn assemble_part(
        &mut self,
        j: usize,
        part: &Part,
        done: &mut [Option<(Body, String)>],
    ) -> String {
        let key = (j, part.clone());
        if let Some(html) = self.parts.get(&key) {
            return html.clone();
        }
        let linked = self.linked;
        let l = &linked[j];
        let doc = self.index.doc(l.from);
        let region: Cow<'_, Html> = match part {
            Part::Whole => Cow::Borrowed(&doc.body.html),
            Part::Heading(id) => {
                let headings = self
                    .headings
                    .entry(j)
                    .or_insert_with(|| heading_starts(&doc.body.html));
                Cow::Owned(heading_section(&doc.body.html, headings, id))
            }
            Part::Block(id) => doc
                .body
                .blocks
                .iter()
                .find(|b| b.id == *id)
                .map_or_else(|| Cow::Owned(Html::default()), |b| Cow::Borrowed(&b.html)),
        };
        self.stack.push(key.clone());
        let mut embedded: HashMap<usize, String> = HashMap::new();
        for fragment in &region.0 {
            if let Fragment::Embed(k) = *fragment
                && !embedded.contains_key(&k)
            {
                let html = self.embed_html(j, k, done);
                embedded.insert(k, html);
            }
        }
        self.stack.pop();
        let html = region.assemble(|hole| match hole {
            Hole::Href(k) => Cow::Borrowed(l.hrefs[k].as_str()),
            Hole::Embed(k) => Cow::Borrowed(embedded.get(&k).map_or("", String::as_str)),
        });
        self.parts.insert(key, html.clone());
        html
    }

    /// The HTML that embed link `k` of document `i` brings in: empty for a link that is not an
    /// embed (or is broken, or closes a cycle, both reported).
    fn embed_html(&mut self, i: usize, k: usize, done: &mut [Option<(Body, String)>]) -> String {
        let linked = self.linked;
        let l = &linked[i];
        let (target, part) = match &l.embeds[k] {
            None => return String::new(),
            Some(Embed::File { name }) => {
                return format!(
                    "<a class=\"embed-file\" href=\"{}\">{}</a>",
                    l.hrefs[k],
                    crate::escape::markup(name)
                );
            }
            Some(Embed::Note { target, part }) => (*target, part),
        };
        let Some(&j) = self.position.get(&target) else {
            return String::new();
        };
        if let Some(at) = self.stack.iter().position(|(s, p)| *s == j && p == part) {
            let chain: Vec<String> = self.stack[at..]
                .iter()
                .chain(std::iter::once(&(j, part.clone())))
                .map(|(s, p)| self.part_name(*s, p))
                .collect();
            let doc = self.index.doc(l.from);
            self.diagnostics.push(
                Diagnostic::error(format!("embed cycle: {}", chain.join(" embeds ")))
                    .at(doc.body.links[k].location.clone())
                    .with_hint(
                        "an embed may not bring in, directly or through other embeds, the page, section or block that holds it",
                    ),
            );
            return String::new();
        }
        if self.stack.len() >= MAX_EMBED_DEPTH {
            let doc = self.index.doc(l.from);
            self.diagnostics.push(
                Diagnostic::error(format!(
                    "embeds nested more than {MAX_EMBED_DEPTH} deep; this one is left out"
                ))
                .at(doc.body.links[k].location.clone())
                .with_hint("embed the deeper note directly instead of through a chain of embeds"),
            );
            return String::new();
        }
        let body: Cow<'_, str> = match part {
            Part::Whole => {
                if done[j].is_none() {
                    self.assemble(j, done);
                }
                match &done[j] {
                    Some((content, _)) => {
                        Cow::Owned(content.html(self.index.doc(linked[j].from)).into_owned())
                    }
                    None => Cow::Borrowed(""),
                }
            }
            _ => Cow::Owned(self.assemble_part(j, part, done)),
        };
        if body.len() > self.budget {
            let doc = self.index.doc(l.from);
            self.diagnostics.push(
                Diagnostic::error(format!(
                    "embeds bring in more than {} MiB of HTML; this one is left out",
                    EMBED_BUDGET >> 20
                ))
                .at(doc.body.links[k].location.clone())
                .with_hint("embeds that embed the same sections again and again grow twice as large at each level: embed fewer times"),
            );
            return String::new();
        }
        self.budget -= body.len();
        let title = match target {
            Target::Page(p) => self.index.site.pages[p].title.as_str(),
            Target::Section(s) => self.index.site.sections[s].title.as_str(),
        };
        format!(
            "<div class=\"embed\">\n<p class=\"embed-title\"><a href=\"{}\">{}</a></p>\n{}</div>\n",
            l.hrefs[k],
            crate::escape::markup(title),
            prefix_ids(&body, &format!("embed-{k}-"))
        )
    }

    /// `content/a.md`, `content/a.md#steps` or `content/a.md#^block-id`, for messages.
    fn part_name(&self, position: usize, part: &Part) -> String {
        let path = self.index.content_path_of(self.linked[position].from);
        match part {
            Part::Whole => path,
            Part::Heading(id) => format!("{path}#{id}"),
            Part::Block(id) => format!("{path}#^{id}"),
        }
    }
}

/// Where a heading starts in a document's fragments: fragment index, byte offset of its `<h`,
/// and its level as the digit's byte.
type HeadingStart = (usize, usize, u8);

/// Every heading of `html` by its id as written in the attribute, found in one pass, so a page
/// embedding many of its sections does not scan itself once per embed. Headings are written by
/// the Markdown stage as `<hN id="...">`, each tag inside one fragment.
fn heading_starts(html: &Html) -> HashMap<String, HeadingStart> {
    let mut starts = HashMap::new();
    for (index, fragment) in html.0.iter().enumerate() {
        let Fragment::Html(s) = fragment else {
            continue;
        };
        let mut search = 0;
        while let Some(offset) = s[search..].find("<h") {
            let at = search + offset;
            search = at + 2;
            let level = s.as_bytes().get(at + 2).copied().unwrap_or(0);
            if !(b'1'..=b'6').contains(&level) {
                continue;
            }
            let Some(rest) = s[at + 3..].strip_prefix(" id=\"") else {
                continue;
            };
            if let Some(end) = rest.find('"') {
                starts
                    .entry(rest[..end].to_string())
                    .or_insert((index, at, level));
            }
        }
    }
    starts
}

/// The section of the heading with `id` in `html`: from the heading up to the next heading of
/// the same or a higher level, holes included; the whole body when there is no such heading.
fn heading_section(html: &Html, starts: &HashMap<String, HeadingStart>, id: &str) -> Html {
    // The Markdown stage escapes ids as element text: `&`, `<`, `>` and `"`.
    let written = id
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let Some(&(first, at, level)) = starts.get(&written) else {
        return html.clone();
    };
    let mut out = Vec::new();
    for (index, fragment) in html.0.iter().enumerate().skip(first) {
        match fragment {
            Fragment::Html(s) => {
                let from = if index == first { at } else { 0 };
                // The heading's own tag is not the end of its section.
                let search = if index == first { at + 2 } else { 0 };
                if let Some(end) = next_heading(s, search, level) {
                    if end > from {
                        out.push(Fragment::Html(s[from..end].to_string()));
                    }
                    break;
                }
                out.push(Fragment::Html(s[from..].to_string()));
            }
            hole => out.push(hole.clone()),
        }
    }
    Html(out)
}

/// Where in `s`, from byte `from`, the next heading of level `level` or higher starts.
fn next_heading(s: &str, from: usize, level: u8) -> Option<usize> {
    let mut search = from;
    while let Some(offset) = s[search..].find("<h") {
        let pos = search + offset;
        match s.as_bytes().get(pos + 2) {
            Some(&l) if (b'1'..=level).contains(&l) && s[pos + 3..].starts_with(' ') => {
                return Some(pos);
            }
            _ => search = pos + 2,
        }
    }
    None
}

/// Makes ids inside embedded HTML unique on the embedding page, keeping in-snippet anchors
/// (heading anchors, footnotes, blocks) pointing at their own copies.
fn prefix_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}"))
}
