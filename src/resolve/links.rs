//! Internal links: every link a document holds is resolved to its target's final URL, checked
//! (target exists, anchor exists), and recorded as a backlink on the target.

use std::borrow::Cow;
use std::collections::HashSet;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::LinkLevel;
use crate::diagnostics::{Diagnostic, Severity, closest};
use crate::parse::markdown::Hole;
use crate::parse::{Doc, LinkKind, LinkRef};

use super::names::Names;
use super::tree::{content_path, page_stem};
use super::{Body, ResolveInput, Site};

/// A document of the site: a page or a section's `_index.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub(crate) enum Target {
    Page(usize),
    Section(usize),
}

/// A link to a page from another document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Backlink {
    pub from: Target,
    /// The sentence or list item that holds the link, as plain text.
    pub context: String,
}

/// The site with its name tables: what resolving a link looks at.
struct Index<'a> {
    site: &'a Site,
    names: &'a Names,
}

impl std::ops::Deref for Index<'_> {
    type Target = Names;

    fn deref(&self) -> &Names {
        self.names
    }
}

impl Index<'_> {
    fn doc(&self, target: Target) -> &Doc {
        match target {
            Target::Page(i) => &self.site.pages[i].doc,
            Target::Section(i) => self.site.sections[i]
                .doc
                .as_deref()
                .expect("only sections with an _index.md are link targets"),
        }
    }

    fn url_path(&self, target: Target) -> &str {
        match target {
            Target::Page(i) => &self.site.pages[i].url.path,
            Target::Section(i) => &self.site.sections[i].url.path,
        }
    }

    fn content_path_of(&self, target: Target) -> String {
        self.doc(target).path.display().to_string()
    }
}

/// One document's links, resolved.
struct LinkedDoc {
    from: Target,
    /// Attribute-escaped href of each link, by link index.
    hrefs: Vec<String>,
    /// For `![[Page]]` / `![[Page#Heading]]` links: what they transclude, by link index.
    embeds: Vec<Option<Embed>>,
    /// Documents it links to, with the linking sentence.
    outgoing: Vec<(Target, String)>,
    diagnostics: Vec<Diagnostic>,
}

/// What an embed link transcludes.
#[derive(Clone)]
struct Embed {
    target: Target,
    /// Heading id whose section is embedded; the whole body when `None`.
    heading: Option<String>,
}

/// The outcome of one link.
struct Resolved {
    href: String,
    target: Option<Target>,
}

/// Resolves the links of every page and section, fills their `content`, and collects backlinks.
/// Returns the name tables, and which pages another document embeds (their bodies are part of
/// another's).
pub(super) fn resolve_links(
    site: &mut Site,
    input: &ResolveInput<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Names, Vec<bool>) {
    let level = match input.config.links.broken {
        LinkLevel::Error => Severity::Error,
        LinkLevel::Warn => Severity::Warning,
    };
    let mut documents: Vec<Target> = (0..site.pages.len()).map(Target::Page).collect();
    documents.extend(
        (0..site.sections.len())
            .filter(|&i| site.sections[i].doc.is_some())
            .map(Target::Section),
    );
    let names = Names::new(site, input);
    let (assembled, linked, strengths) = {
        let index = Index {
            site,
            names: &names,
        };
        let strengths: Vec<Vec<usize>> = site
            .pages
            .iter()
            .map(|page| resolve_strengths(&index, page, diagnostics))
            .collect();
        let linked: Vec<LinkedDoc> = documents
            .par_iter()
            .map(|&from| link_document(&index, from, level))
            .collect();
        let assembled = assemble_all(&index, &linked, diagnostics);
        (assembled, linked, strengths)
    };
    for (page, found) in site.pages.iter_mut().zip(strengths) {
        page.strengths = found;
    }
    let mut embedded = vec![false; site.pages.len()];
    for embed in linked.iter().flat_map(|l| l.embeds.iter().flatten()) {
        if let Target::Page(p) = embed.target {
            embedded[p] = true;
        }
    }
    for (linked, (content, summary)) in linked.into_iter().zip(assembled) {
        diagnostics.extend(linked.diagnostics);
        let from = linked.from;
        match from {
            Target::Page(i) => {
                site.pages[i].content = content;
                site.pages[i].summary = summary;
            }
            Target::Section(i) => {
                let html = match site.sections[i].doc.as_deref() {
                    Some(doc) => content.html(doc).into_owned(),
                    None => String::new(),
                };
                site.sections[i].content = html;
                site.sections[i].toc = site.sections[i]
                    .doc
                    .as_ref()
                    .map(|d| d.body.toc.clone())
                    .unwrap_or_default();
            }
        }
        let mut seen = HashSet::new();
        for (target, context) in linked.outgoing {
            if let Target::Page(t) = target
                && seen.insert(t)
            {
                site.pages[t].backlinks.push(Backlink { from, context });
            }
        }
    }
    (names, embedded)
}

/// Resolves the links of page `p` again, after its document changed in a way that changes no
/// other document (see [`super::ResolveMemo`]): fills its `content` and `summary`. `None`, with
/// the page left as it was, when its links now embed something or are broken, which the whole
/// resolve handles.
pub(super) fn relink_page(site: &mut Site, names: &Names, p: usize) -> Option<()> {
    // The level only matters for diagnostics, and a page with any is refused below.
    let linked = link_document(&Index { site, names }, Target::Page(p), Severity::Error);
    if !linked.diagnostics.is_empty() || linked.embeds.iter().any(Option::is_some) {
        return None;
    }
    let page = &mut site.pages[p];
    page.summary = super::fill_links(&page.doc.body.summary, &linked.hrefs);
    page.content = Body::Holes(linked.hrefs);
    Some(())
}

fn link_document(index: &Index<'_>, from: Target, level: Severity) -> LinkedDoc {
    let doc = index.doc(from);
    let mut linked = LinkedDoc {
        from,
        hrefs: Vec::with_capacity(doc.body.links.len()),
        embeds: vec![None; doc.body.links.len()],
        outgoing: Vec::new(),
        diagnostics: Vec::new(),
    };
    for (i, link) in doc.body.links.iter().enumerate() {
        match resolve_one(index, from, doc, link) {
            Ok(resolved) => {
                if let Some(target) = resolved.target {
                    if link.kind == LinkKind::Embed {
                        let heading = resolved.href.split_once('#').map(|(_, id)| id.to_string());
                        linked.embeds[i] = Some(Embed { target, heading });
                    }
                    if target != from {
                        linked.outgoing.push((target, link.context.clone()));
                    }
                }
                linked.hrefs.push(crate::escape::markup(&resolved.href));
            }
            Err(diagnostic) => {
                linked.diagnostics.push(diagnostic.with_severity(level));
                linked.hrefs.push(crate::escape::markup(&link.dest));
            }
        }
    }
    linked
}

/// Fills every document's holes. Documents without embeds are assembled in parallel; the few
/// with embeds are assembled depth-first afterwards, so a transcluded page already holds its own
/// embeds, and a cycle is reported instead of followed.
fn assemble_all(
    index: &Index<'_>,
    linked: &[LinkedDoc],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Body, String)> {
    let position: std::collections::HashMap<Target, usize> = linked
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
    position: &'a std::collections::HashMap<Target, usize>,
    /// Documents being assembled, outermost first, to detect embed cycles.
    stack: Vec<usize>,
    diagnostics: &'b mut Vec<Diagnostic>,
}

impl Assembler<'_, '_> {
    fn assemble(&mut self, i: usize, done: &mut [Option<(Body, String)>]) {
        self.stack.push(i);
        let l = &self.linked[i];
        let doc = self.index.doc(l.from);
        let mut embedded: Vec<String> = vec![String::new(); l.embeds.len()];
        for (link, embed) in l.embeds.iter().enumerate() {
            let Some(embed) = embed else { continue };
            let Some(&j) = self.position.get(&embed.target) else {
                continue;
            };
            if let Some(at) = self.stack.iter().position(|&s| s == j) {
                let chain: Vec<String> = self.stack[at..]
                    .iter()
                    .chain(std::iter::once(&j))
                    .map(|&k| self.index.content_path_of(self.linked[k].from))
                    .collect();
                self.diagnostics.push(
                    Diagnostic::error(format!("embed cycle: {}", chain.join(" embeds ")))
                        .at(doc.body.links[link].location.clone())
                        .with_hint("an embedded page may not embed, directly or indirectly, the page that embeds it"),
                );
                continue;
            }
            if done[j].is_none() {
                self.assemble(j, done);
            }
            let whole = done[j].as_ref().map_or(Cow::Borrowed(""), |(content, _)| {
                content.html(self.index.doc(self.linked[j].from))
            });
            let body = match &embed.heading {
                Some(id) => heading_section(&whole, id),
                None => &whole,
            };
            let target = embed.target;
            let title = match target {
                Target::Page(p) => self.index.site.pages[p].title.as_str(),
                Target::Section(s) => self.index.site.sections[s].title.as_str(),
            };
            embedded[link] = format!(
                "<div class=\"embed\">\n<p class=\"embed-title\"><a href=\"{}\">{}</a></p>\n{}</div>\n",
                l.hrefs[link],
                crate::escape::markup(title),
                prefix_ids(body, &format!("embed-{link}-"))
            );
        }
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
}

/// The part of `html` from the heading with `id` up to the next heading of the same or a higher
/// level. Headings are written by the Markdown stage as `<hN id="...">`.
fn heading_section<'h>(html: &'h str, id: &str) -> &'h str {
    let needle = format!(" id=\"{id}\"");
    let Some(at) = html.find(&needle) else {
        return html;
    };
    let Some(start) = html[..at].rfind("<h") else {
        return html;
    };
    let level = html.as_bytes().get(start + 2).copied().unwrap_or(b'6');
    let mut search = at;
    while let Some(offset) = html[search..].find("<h") {
        let pos = search + offset;
        match html.as_bytes().get(pos + 2) {
            Some(&l) if (b'1'..=level).contains(&l) && html[pos + 3..].starts_with(' ') => {
                return &html[start..pos];
            }
            _ => search = pos + 2,
        }
    }
    &html[start..]
}

/// Makes ids inside embedded HTML unique on the embedding page, keeping in-snippet anchors
/// (heading anchors, footnotes) pointing at their own copies.
fn prefix_ids(html: &str, prefix: &str) -> String {
    html.replace(" id=\"", &format!(" id=\"{prefix}"))
        .replace(" href=\"#", &format!(" href=\"#{prefix}"))
}

/// The strength pages a case study names, by path (`@/checklists/x.md`) or by name.
fn resolve_strengths(
    index: &Index<'_>,
    page: &super::Page,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let mut found = Vec::new();
    for name in &page.doc.front.strengths {
        let target = match name.strip_prefix("@/") {
            Some(path) => index.by_path.get(path).copied(),
            None => match index
                .by_name
                .get(&name.trim().trim_end_matches(".md").to_lowercase())
            {
                Some(targets) if targets.len() == 1 => Some(targets[0]),
                _ => None,
            },
        };
        match target {
            Some(Target::Page(p)) => found.push(p),
            _ => {
                let names = index.by_name.keys().map(String::as_str);
                let hint = match closest(name, names) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "name a page by its file name or title, or by its path: `@/checklists/adaptability.md`".to_string(),
                };
                diagnostics.push(
                    Diagnostic::error(format!("strength `{name}` is not a page of this site"))
                        .at(super::tree::doc_item_location(&page.doc, "strengths", name))
                        .with_hint(hint),
                );
            }
        }
    }
    found
}

fn resolve_one(
    index: &Index<'_>,
    from: Target,
    doc: &Doc,
    link: &LinkRef,
) -> Result<Resolved, Diagnostic> {
    let (path, fragment) = match link.dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link.dest.as_str(), None),
    };
    let broken = |message: String, hint: String| {
        Diagnostic::error(message)
            .at(link.location.clone())
            .with_hint(hint)
    };

    if matches!(link.kind, LinkKind::WikiLink | LinkKind::Embed) {
        return resolve_wiki(index, from, link, path, fragment);
    }

    // Same-document anchor.
    if path.is_empty() {
        let fragment = fragment.unwrap_or_default();
        check_anchor(index, from, fragment, link)?;
        return Ok(Resolved {
            href: format!("#{fragment}"),
            target: None,
        });
    }

    // Site-absolute URL path, kept if the build writes it.
    if let Some(url_path) = path.strip_prefix('/') {
        let base = &index.site.config.base_path();
        let below_base = url_path
            .strip_prefix(base.trim_start_matches('/'))
            .unwrap_or(url_path);
        for candidate in [below_base.to_string(), format!("{below_base}/")] {
            if index.site_paths.contains(&candidate) || candidate.is_empty() || candidate == "/" {
                let candidate = if candidate == "/" {
                    String::new()
                } else {
                    candidate
                };
                return Ok(Resolved {
                    href: with_fragment(&format!("{base}{}", encode_path(&candidate)), fragment),
                    target: None,
                });
            }
        }
        let suggestion = closest(below_base, index.site_paths.iter().map(String::as_str));
        return Err(broken(
            format!("broken link: no page or file at `{path}`"),
            suggestion.map_or_else(
                || "link to a content file instead, e.g. `@/essays/page.md`".to_string(),
                |s| format!("did you mean `/{s}`?"),
            ),
        ));
    }

    // A content path: `@/essays/x.md` from content/, anything else relative to this file.
    let content_folder = index.site.config.content_folder();
    let content = content_folder.display();
    let here = content_path(&content_folder, &doc.path);
    let joined = match path.strip_prefix("@/") {
        Some(rest) => Some(rest.to_string()),
        None => join_relative(here.rsplit_once('/').map_or("", |(dir, _)| dir), path),
    };
    let Some(joined) = joined else {
        return Err(broken(
            format!("broken link: `{path}` points above {content}/"),
            "a relative link may not leave the content folder".to_string(),
        ));
    };

    if let Some(&target) = index.by_path.get(joined.as_str()) {
        if let Some(fragment) = fragment {
            check_anchor(index, target, fragment, link)?;
        }
        return Ok(Resolved {
            href: with_fragment(index.url_path(target), fragment),
            target: Some(target),
        });
    }
    if let Some(output) = index.assets.get(joined.as_str()) {
        let href = format!("{}{}", index.site.config.base_path(), encode_path(output));
        return Ok(Resolved {
            href: with_fragment(&href, fragment),
            target: None,
        });
    }
    if let Some(left_out) = left_out(index, &joined, link) {
        return Err(left_out);
    }
    let candidates = index
        .by_path
        .keys()
        .map(String::as_str)
        .chain(index.assets.keys().map(String::as_str));
    let hint = match closest(&joined, candidates) {
        Some(s) => format!("did you mean `@/{s}`?"),
        None if link.kind == LinkKind::Image => {
            "put the image beside the page in content/ or in static/".to_string()
        }
        None => "link to an existing file below content/, e.g. `@/essays/page.md`".to_string(),
    };
    let what = if link.kind == LinkKind::Image {
        "missing image"
    } else {
        "broken link"
    };
    Err(broken(
        format!("{what}: `{content}/{joined}` does not exist"),
        hint,
    ))
}

fn resolve_wiki(
    index: &Index<'_>,
    from: Target,
    link: &LinkRef,
    name: &str,
    fragment: Option<&str>,
) -> Result<Resolved, Diagnostic> {
    if name.is_empty() {
        let fragment = heading_anchor(index, from, fragment.unwrap_or_default(), link)?;
        return Ok(Resolved {
            href: format!("#{fragment}"),
            target: None,
        });
    }
    let key = name.trim().trim_end_matches(".md").to_lowercase();
    if link.kind == LinkKind::Embed
        && let Some(outputs) = index
            .assets_by_name
            .get(key.rsplit('/').next().unwrap_or(&key))
    {
        let output = &outputs[0];
        return Ok(Resolved {
            href: format!("{}{}", index.site.config.base_path(), encode_path(output)),
            target: None,
        });
    }
    let found = index
        .by_name
        .get(&key)
        .map(Vec::as_slice)
        .unwrap_or_default();
    match found {
        [target] => {
            let href = match fragment {
                Some(f) => {
                    let id = heading_anchor(index, *target, f, link)?;
                    format!("{}#{id}", index.url_path(*target))
                }
                None => index.url_path(*target).to_string(),
            };
            Ok(Resolved {
                href,
                target: Some(*target),
            })
        }
        [] => {
            if let Some(left_out) = index
                .draft_names
                .get(&key)
                .and_then(|path| left_out(index, path, link))
            {
                return Err(left_out);
            }
            let names = index.by_name.keys().map(String::as_str);
            let hint = match closest(&key, names) {
                Some(s) => {
                    // Suggest the name as the author spells it, not the lowercased key.
                    let shown = match index.by_name[s].first() {
                        Some(&Target::Page(p)) => {
                            page_stem(&index.site.pages[p].content_path).to_string()
                        }
                        _ => s.to_string(),
                    };
                    let shown = if shown.to_lowercase() == s {
                        shown
                    } else {
                        s.to_string()
                    };
                    format!("did you mean `[[{shown}]]`?")
                }
                None => "wikilinks name a page by its file name, title or one of its aliases"
                    .to_string(),
            };
            Err(
                Diagnostic::error(format!("broken wikilink: no page is called `{name}`"))
                    .at(link.location.clone())
                    .with_hint(hint),
            )
        }
        several => {
            let mut paths: Vec<String> =
                several.iter().map(|t| index.content_path_of(*t)).collect();
            paths.sort();
            let qualified: Vec<String> = paths
                .iter()
                .map(|p| {
                    let p = std::path::Path::new(p)
                        .strip_prefix(index.site.config.content_folder())
                        .map_or_else(|_| p.clone(), |p| p.display().to_string());
                    format!("[[{}]]", p.trim_end_matches(".md"))
                })
                .collect();
            Err(Diagnostic::error(format!(
                "ambiguous wikilink: `{name}` could be {}",
                paths.join(" or ")
            ))
            .at(link.location.clone())
            .with_hint(format!(
                "qualify it with its folder: {}",
                qualified.join(" or ")
            )))
        }
    }
}

/// The error for a link to a draft or an unpublished note (`content_path` below content/), left
/// out of this build.
fn left_out(index: &Index<'_>, content_path: &str, link: &LinkRef) -> Option<Diagnostic> {
    let unpublished = *index.drafts.get(content_path)?;
    let content = index.site.config.content_folder();
    let content = content.display();
    let (message, hint) = if unpublished {
        (
            format!(
                "link to an unpublished note: `{content}/{content_path}` has `publish: false` and \
                 is left out of this build"
            ),
            "build with `--drafts` to include it, or remove `publish: false` from it",
        )
    } else {
        (
            format!(
                "link to a draft: `{content}/{content_path}` is a draft and is left out of this build"
            ),
            "build with `--drafts` to include it, or remove `draft: true` from it",
        )
    };
    Some(
        Diagnostic::error(message)
            .at(link.location.clone())
            .with_hint(hint),
    )
}

/// Heading anchors in wikilinks may be written as the heading text (`[[Page#Tactics of war]]`)
/// or as its id; returns the id.
fn heading_anchor(
    index: &Index<'_>,
    target: Target,
    fragment: &str,
    link: &LinkRef,
) -> Result<String, Diagnostic> {
    let doc = index.doc(target);
    if doc.body.anchors.iter().any(|a| a == fragment) {
        return Ok(fragment.to_string());
    }
    let slug = crate::slug::slugify(fragment);
    if doc.body.anchors.contains(&slug) {
        return Ok(slug);
    }
    check_anchor(index, target, fragment, link).map(|()| fragment.to_string())
}

fn check_anchor(
    index: &Index<'_>,
    target: Target,
    fragment: &str,
    link: &LinkRef,
) -> Result<(), Diagnostic> {
    let doc = index.doc(target);
    if fragment.is_empty() || doc.body.anchors.iter().any(|a| a == fragment) {
        return Ok(());
    }
    let hint = match closest(fragment, doc.body.anchors.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if doc.body.anchors.is_empty() => format!("`{}` has no headings", doc.path.display()),
        None => format!(
            "headings there: {}",
            doc.body
                .anchors
                .iter()
                .filter(|a| !a.starts_with("fn"))
                .map(|a| format!("#{a}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Err(Diagnostic::error(format!(
        "broken anchor: `{}` has no heading `#{fragment}`",
        doc.path.display()
    ))
    .at(link.location.clone())
    .with_hint(hint))
}

/// Joins a relative link to the folder of the linking file; `None` if it climbs above content/.
fn join_relative(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut joined = parts.join("/");
    if relative.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

fn with_fragment(path: &str, fragment: Option<&str>) -> String {
    match fragment {
        Some(f) if !f.is_empty() => format!("{path}#{f}"),
        _ => path.to_string(),
    }
}

/// Percent-encodes what may not stand in a URL path (spaces, quotes, non-ASCII).
pub(crate) fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_paths() {
        assert_eq!(
            join_relative("essays", "../case-studies/a.md").as_deref(),
            Some("case-studies/a.md")
        );
        assert_eq!(
            join_relative("essays", "./b.md").as_deref(),
            Some("essays/b.md")
        );
        assert_eq!(join_relative("", "../x.md"), None);
    }

    #[test]
    fn encodes_spaces_and_unicode() {
        assert_eq!(encode_path("my folder/é.png"), "my%20folder/%C3%A9.png");
    }
}
