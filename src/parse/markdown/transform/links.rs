//! Links, images and embeds.
//!
//! An internal destination (anything without a URL scheme) cannot be resolved here, so it is
//! recorded as a [`LinkRef`] and written as a hole for resolve to fill. `http(s)` destinations are
//! written as they are and recorded for `steppe check --external`, once per URL and line.
//! `![[target]]` is an image when the target names one, a player or viewer for video, audio and
//! PDF files (`media`), else a transclusion hole.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

use super::super::text::SUMMARY_END;
use super::super::text::{
    HOLE_CLOSE, HOLE_OPEN, is_external, is_image_target, percent_decode, push_escaped, push_href,
};
use super::super::{ExternalLink, ImageSize, LinkKind, LinkRef};
use super::Transform;
use super::blocks::Para;
use super::media::{is_block_embed, media_kind};
use crate::diagnostics::Diagnostic;

#[derive(Default)]
pub(super) struct Links {
    pub(super) links: Vec<LinkRef>,
    pub(super) external_links: Vec<ExternalLink>,
    /// (URL, line) pairs already in `external_links`.
    external_seen: HashSet<(String, usize)>,
    /// Open links: inline tags are not recognised in link text.
    pub(super) depth: usize,
}

impl<'a> Transform<'a, '_> {
    /// Records an internal link and writes its hole into `html`; returns the link's context
    /// entry.
    pub(super) fn hole(
        &mut self,
        html: &mut String,
        kind: LinkKind,
        dest: String,
        written: &str,
        range: Range<usize>,
        embed: bool,
    ) -> usize {
        let index = self.links.links.len();
        if matches!(kind, LinkKind::Markdown | LinkKind::WikiLink) {
            self.blocks.link_in_item();
        }
        let location = self
            .body
            .location_of(range, written, kind == LinkKind::Markdown);
        self.links.links.push(LinkRef {
            kind,
            dest,
            location,
            context: String::new(),
            image: None,
        });
        let entry = self.context.start_link(index);
        html.push(HOLE_OPEN);
        if embed {
            html.push('e');
        }
        let _ = write!(html, "{index}");
        html.push(HOLE_CLOSE);
        entry
    }

    /// Records a local image and writes its hole, which resolve fills with the image's `src`,
    /// `width` and `height` (and `srcset`, `sizes`): only it knows the file. `width` and
    /// `height` are the size asked for (`![[map.png|300]]`).
    #[allow(clippy::too_many_arguments)]
    fn image_hole(
        &mut self,
        html: &mut String,
        kind: LinkKind,
        dest: &str,
        written: &str,
        range: Range<usize>,
        width: Option<u32>,
        height: Option<u32>,
    ) {
        self.hole(html, kind, dest.to_string(), written, range, false);
        if let Some(link) = self.links.links.last_mut() {
            link.image = Some(ImageSize { width, height });
        }
    }

    /// Reports `dest` when it is a URL that runs script (`javascript:`, `vbscript:`, or a `data:`
    /// URL other than an image's source): plain Markdown must never produce script, so such a
    /// destination is left out of the page.
    fn refuse_script_url(
        &mut self,
        dest: &str,
        range: Range<usize>,
        from_right: bool,
        image: bool,
    ) -> bool {
        let Some(scheme) = script_scheme(dest, image) else {
            return false;
        };
        let location = self.body.location_of(range, dest, from_right);
        self.diagnostics.push(
            Diagnostic::warning(format!(
                "a `{scheme}:` URL would run script; it was left out"
            ))
            .at(location)
            .with_hint(
                "link to a page or an http(s) address; script belongs in the theme's \
                     templates, where the site's author puts it on purpose",
            ),
        );
        true
    }

    /// Records an `http(s)` destination for external link checking, once per URL and line.
    fn external(&mut self, dest: &str, range: Range<usize>, from_right: bool) {
        if !is_http(dest) {
            return;
        }
        let location = self.body.location_of(range, dest, from_right);
        if self
            .links
            .external_seen
            .insert((dest.to_string(), location.line))
        {
            self.links.external_links.push(ExternalLink {
                url: dest.to_string(),
                location,
            });
        }
    }

    pub(super) fn start_link(
        &mut self,
        link_type: LinkType,
        dest: &str,
        title: &str,
        range: Range<usize>,
        next: usize,
    ) {
        self.links.depth += 1;
        let dest = wikilink_dest(link_type, dest);
        if let LinkType::WikiLink { has_pothole: false } = link_type {
            self.wikilink_text(dest, next);
        }
        let mut html = String::with_capacity(48 + dest.len());
        html.push_str("<a href=\"");
        let mut internal = None;
        let from_right = !matches!(link_type, LinkType::WikiLink { .. });
        let refused = link_type != LinkType::Email
            && self.refuse_script_url(dest, range.clone(), from_right, false);
        match link_type {
            // The href stays empty.
            _ if refused => {}
            LinkType::Email => {
                html.push_str("mailto:");
                push_href(&mut html, dest);
            }
            _ if dest.is_empty() || is_external(dest) => {
                self.external(dest, range, from_right);
                push_href(&mut html, dest);
            }
            LinkType::WikiLink { .. } => {
                internal = Some(self.hole(
                    &mut html,
                    LinkKind::WikiLink,
                    dest.to_string(),
                    dest,
                    range,
                    false,
                ));
            }
            _ => {
                let decoded = percent_decode(dest).into_owned();
                internal =
                    Some(self.hole(&mut html, LinkKind::Markdown, decoded, dest, range, false));
            }
        }
        html.push('"');
        if !title.is_empty() {
            html.push_str(" title=\"");
            push_escaped(&mut html, title);
            html.push('"');
        }
        if internal.is_none() && self.config.external_links_new_tab {
            html.push_str(" rel=\"noopener\" target=\"_blank\"");
        }
        html.push('>');
        self.context.open_anchor(internal);
        self.emit_html(html);
    }

    /// A transcluded note is block content: the paragraph it stands in is closed before it and
    /// opened again after it when more of the paragraph follows (from event `after`).
    fn emit_block_embed(&mut self, html: String, after: usize) {
        match self.blocks.para {
            Para::Normal => self.emit(Event::End(TagEnd::Paragraph)),
            Para::Summary => {
                self.emit_html(SUMMARY_END);
                self.emit(Event::End(TagEnd::Paragraph));
            }
            // Outside a paragraph (a tight list item, a cell) block content may stand as it is.
            Para::Outside | Para::Bare | Para::CalloutTitle { .. } => {}
        }
        if matches!(self.blocks.para, Para::Outside | Para::CalloutTitle { .. }) {
            self.emit_html(html);
            return;
        }
        self.emit_html(html);
        if self.paragraph_ends_at(after) {
            self.blocks.para = Para::Bare;
        } else {
            self.emit(Event::Start(Tag::Paragraph));
            self.blocks.para = Para::Normal;
            if let Some((Event::Text(text), _)) = self.events.get_mut(after) {
                let space = text.len() - text.trim_start().len();
                *text = super::sub_cow(text, space..text.len());
            }
        }
    }

    /// `[[Page#Heading#Sub]]` reads "Page > Heading > Sub", as in Obsidian, and a block link
    /// `[[Page#^block-id]]` reads "Page": the text of a wikilink without a label is its target,
    /// and `#` and `^block-id` are syntax, not words.
    fn wikilink_text(&mut self, dest: &str, next: usize) {
        if !dest.contains('#') || !matches!(self.peek(next), Some(Event::Text(t)) if &**t == dest) {
            return;
        }
        self.events[next].0 = Event::Text(target_words(dest).into());
    }

    pub(super) fn end_link(&mut self) {
        self.links.depth = self.links.depth.saturating_sub(1);
        self.inline.tag_boundary = false;
        self.context.close_anchor();
        self.emit(Event::End(TagEnd::Link));
    }

    /// Renders `![alt](src)` or `![[target]]` and skips past its end; alt text is collected as
    /// plain text.
    pub(super) fn image(
        &mut self,
        link_type: LinkType,
        dest: &str,
        title: &str,
        range: Range<usize>,
        next: usize,
    ) -> usize {
        let dest = wikilink_dest(link_type, dest);
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
        let alt = self.without_placeholders(alt);
        self.inline.tag_boundary = false;
        let links_before = self.links.links.len();
        let mut html = String::with_capacity(64 + dest.len() + alt.len());
        let wiki = matches!(link_type, LinkType::WikiLink { .. });
        if self.refuse_script_url(dest, range.clone(), !wiki, true) {
            html.push_str("<img src=\"\"");
            end_img(&mut html, &alt, "", None, None);
            self.emit_html(html);
            return j;
        }
        if let LinkType::WikiLink { has_pothole } = link_type {
            let label = if has_pothole { alt.trim() } else { "" };
            if is_image_target(dest) || is_external(dest) {
                let (width, height) = parse_size(label).unwrap_or((None, None));
                let alt_text = if label.is_empty() || width.is_some() {
                    dest
                } else {
                    label
                };
                if is_external(dest) {
                    self.external(dest, range, false);
                    html.push_str("<img src=\"");
                    push_href(&mut html, dest);
                    html.push('"');
                    end_img(&mut html, alt_text, "", width, height);
                } else {
                    html.push_str("<img");
                    self.image_hole(&mut html, LinkKind::Embed, dest, dest, range, width, height);
                    end_img(&mut html, alt_text, "", None, None);
                }
                self.ctx_append(alt_text);
            } else if let Some(media) = media_kind(dest) {
                self.media_embed(&mut html, media, dest, label, range);
            } else {
                self.hole(
                    &mut html,
                    LinkKind::Embed,
                    dest.to_string(),
                    dest,
                    range,
                    true,
                );
                self.ctx_append(&target_words(dest));
                if is_block_embed(dest) {
                    self.context.end_last_link();
                    self.emit_block_embed(html, j);
                    return j;
                }
            }
        } else {
            if dest.is_empty() || is_external(dest) {
                self.external(dest, range, true);
                html.push_str("<img src=\"");
                push_href(&mut html, dest);
                html.push('"');
            } else {
                let decoded = percent_decode(dest).into_owned();
                html.push_str("<img");
                self.image_hole(
                    &mut html,
                    LinkKind::Image,
                    &decoded,
                    dest,
                    range,
                    None,
                    None,
                );
            }
            end_img(&mut html, &alt, title, None, None);
            self.ctx_append(&alt);
        }
        // An image has no inner text in the context: its entry ends where the alt text ends.
        if self.links.links.len() > links_before {
            self.context.end_last_link();
        }
        self.emit_html(html);
        j
    }
}

/// Ends an `<img>` tag whose `src` (or hole for it) was just written: the alt text, the title
/// and size when there are any, lazy loading and decoding off the main thread.
fn end_img(html: &mut String, alt: &str, title: &str, width: Option<u32>, height: Option<u32>) {
    html.push_str(" alt=\"");
    push_escaped(html, alt);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        push_escaped(html, title);
        html.push('"');
    }
    if let Some(w) = width {
        let _ = write!(html, " width=\"{w}\"");
    }
    if let Some(h) = height {
        let _ = write!(html, " height=\"{h}\"");
    }
    html.push_str(" loading=\"lazy\" decoding=\"async\">");
}

/// The scheme of `dest` when a browser would run it as script: `javascript:` and `vbscript:`, and
/// `data:` (except an image's `data:image/…` source). Read the way browsers read a URL: leading
/// spaces and control characters are dropped, tabs and line breaks anywhere are ignored, and
/// case does not matter.
fn script_scheme(dest: &str, image: bool) -> Option<&'static str> {
    let normal: String = dest
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(16)
        .flat_map(char::to_lowercase)
        .collect();
    if normal.starts_with("javascript:") {
        Some("javascript")
    } else if normal.starts_with("vbscript:") {
        Some("vbscript")
    } else if normal.starts_with("data:") && !(image && normal.starts_with("data:image/")) {
        Some("data")
    } else {
        None
    }
}

/// A wikilink's or embed's target as words: `Page#Heading#Sub` is "Page > Heading > Sub", a
/// block `Page#^block-id` is "Page" (`[[#^block-id]]`: "block-id").
fn target_words(dest: &str) -> String {
    let Some((page, fragment)) = dest.split_once('#') else {
        return dest.to_string();
    };
    let mut parts: Vec<&str> = Vec::new();
    if !page.trim().is_empty() {
        parts.push(page.trim());
    }
    match fragment.strip_prefix('^') {
        Some(block) if parts.is_empty() => parts.push(block),
        Some(_) => {}
        None => parts.extend(fragment.split('#').map(str::trim).filter(|s| !s.is_empty())),
    }
    parts.join(" > ")
}

/// A wikilink's target without the `\` of a label pipe escaped for a table cell
/// (`| [[Page\|label]] |`, as Obsidian writes it): the table parser unescapes the pipe and
/// leaves the backslash on the target.
fn wikilink_dest(link_type: LinkType, dest: &str) -> &str {
    match link_type {
        LinkType::WikiLink { has_pothole: true } => dest.strip_suffix('\\').unwrap_or(dest),
        _ => dest,
    }
}

/// Whether `dest` is an absolute `http:` or `https:` URL with a host.
fn is_http(dest: &str) -> bool {
    let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
    (lower.starts_with("http://") && dest.len() > 7)
        || (lower.starts_with("https://") && dest.len() > 8)
}

/// `300` → width, `300x200` → width and height; anything else is not a size.
pub(super) fn parse_size(label: &str) -> Option<(Option<u32>, Option<u32>)> {
    if label.is_empty() {
        return None;
    }
    match label.split_once('x') {
        Some((w, h)) => Some((Some(w.trim().parse().ok()?), Some(h.trim().parse().ok()?))),
        None => Some((Some(label.parse().ok()?), None)),
    }
}
