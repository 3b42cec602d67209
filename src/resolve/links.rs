//! Internal links: every link a document holds is resolved to its target's final URL, checked
//! (target exists, anchor exists), and recorded as a backlink on the target.

use std::collections::HashSet;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::LinkLevel;
use crate::diagnostics::{Diagnostic, Severity, closest};
use crate::parse::{Doc, Fragment, LinkKind, LinkRef};

use super::anchors::{block_fragment, check_anchor, wiki_anchor};
use super::embeds::{self, Embed, Part};
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
pub(super) struct Index<'a> {
    pub(super) site: &'a Site,
    names: &'a Names,
}

impl std::ops::Deref for Index<'_> {
    type Target = Names;

    fn deref(&self) -> &Names {
        self.names
    }
}

impl Index<'_> {
    pub(super) fn doc(&self, target: Target) -> &Doc {
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

    pub(super) fn content_path_of(&self, target: Target) -> String {
        self.doc(target).path.display().to_string()
    }
}

/// One document's links, resolved.
pub(super) struct LinkedDoc {
    pub(super) from: Target,
    /// What fills each link's hole, by link index: its attribute-escaped href, or for a local
    /// image (`LinkRef::image`) the `<img>` tag's `src`, `width`, `height` (and `srcset`,
    /// `sizes`) attributes.
    pub(super) hrefs: Vec<String>,
    /// The resized copies of images its `srcset`s name.
    pub(super) resized: Vec<crate::files::Resize>,
    /// For links written as embed holes (`![[Page]]`, `![[Page#^block]]`, `![[file.csv]]`):
    /// what they bring in, by link index.
    pub(super) embeds: Vec<Option<Embed>>,
    /// Documents it links to, with the linking sentence and the link's `#fragment`, if any.
    outgoing: Vec<(Target, String, Option<String>)>,
    diagnostics: Vec<Diagnostic>,
}

/// The outcome of one link.
pub(super) struct Resolved {
    pub(super) href: String,
    target: Option<Target>,
    /// The part of `target` a fragment names (the whole document without one).
    part: Part,
    /// For a link to a copied file: the file's name as written.
    file: Option<String>,
    /// For a link to a copied file or other written path: its output path below the base.
    pub(super) output: Option<String>,
}

impl Resolved {
    fn to(href: String, target: Option<Target>) -> Resolved {
        Resolved {
            href,
            target,
            part: Part::Whole,
            file: None,
            output: None,
        }
    }

    fn to_file(href: String, output: &str) -> Resolved {
        Resolved {
            output: Some(output.to_string()),
            ..Resolved::to(href, None)
        }
    }
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
        let assembled = embeds::assemble_all(&index, &linked, diagnostics);
        (assembled, linked, strengths)
    };
    for (page, found) in site.pages.iter_mut().zip(strengths) {
        page.strengths = found;
    }
    let mut embedded = vec![false; site.pages.len()];
    for embed in linked.iter().flat_map(|l| l.embeds.iter().flatten()) {
        if let Embed::Note {
            target: Target::Page(p),
            ..
        } = embed
        {
            embedded[*p] = true;
        }
    }
    let mut resized = Vec::new();
    for (linked, (content, summary)) in linked.into_iter().zip(assembled) {
        diagnostics.extend(linked.diagnostics);
        resized.extend(linked.resized);
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
        for (target, context, anchor) in linked.outgoing {
            let Target::Page(t) = target else {
                continue;
            };
            if let Some(anchor) = anchor {
                site.pages[t].linked_anchors.push(anchor);
            }
            if seen.insert(t) {
                site.pages[t].backlinks.push(Backlink { from, context });
            }
        }
    }
    site.resized = super::images::published(resized);
    for page in &mut site.pages {
        page.linked_anchors.sort_unstable();
        page.linked_anchors.dedup();
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
        resized: Vec::new(),
        embeds: vec![None; doc.body.links.len()],
        outgoing: Vec::new(),
        diagnostics: Vec::new(),
    };
    let mut transcluded = vec![false; doc.body.links.len()];
    if doc.body.links.iter().any(|l| l.kind == LinkKind::Embed) {
        for fragment in &doc.body.html.0 {
            if let Fragment::Embed(k) = *fragment
                && let Some(slot) = transcluded.get_mut(k)
            {
                *slot = true;
            }
        }
    }
    for (i, link) in doc.body.links.iter().enumerate() {
        match resolve_one(index, from, doc, link) {
            Ok(resolved) => {
                if transcluded[i] {
                    linked.embeds[i] = match (resolved.target, resolved.file.clone()) {
                        (Some(target), _) => Some(Embed::Note {
                            target,
                            part: resolved.part.clone(),
                        }),
                        (None, Some(name)) => Some(Embed::File { name }),
                        (None, None) => None,
                    };
                }
                if let Some(target) = resolved.target
                    && target != from
                {
                    let anchor = resolved.href.split_once('#').map(|(_, fragment)| {
                        // A block's fragment is written `%5Eid` (`^` may not stand in a URL).
                        match fragment.strip_prefix("%5E") {
                            Some(block) => format!("^{block}"),
                            None => fragment.to_string(),
                        }
                    });
                    linked.outgoing.push((target, link.context.clone(), anchor));
                }
                let fill = match link.image {
                    Some(size) => {
                        let image =
                            super::images::image_tag(index.site, index.names, &resolved, size);
                        if let Some(diagnostic) = image.diagnostic {
                            linked
                                .diagnostics
                                .push(diagnostic.at(link.location.clone()).with_severity(level));
                        }
                        linked.resized.extend(image.resized);
                        image.attributes
                    }
                    None => crate::escape::markup(&resolved.href),
                };
                linked.hrefs.push(fill);
            }
            Err(diagnostic) => {
                linked.diagnostics.push(diagnostic.with_severity(level));
                linked.hrefs.push(match link.image {
                    Some(size) => super::images::unresolved_tag(&link.dest, size),
                    None => crate::escape::markup(&link.dest),
                });
            }
        }
    }
    linked
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
        return Ok(Resolved::to(with_fragment("", Some(fragment)), None));
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
                return Ok(Resolved::to_file(
                    with_fragment(&format!("{base}{}", encode_path(&candidate)), fragment),
                    &candidate,
                ));
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

    let page = index.by_path.get(joined.as_str()).copied().or_else(|| {
        index
            .assets
            .get(joined.as_str())
            .map_or_else(|| html_page(index, &joined), |_| None)
    });
    if let Some(target) = page {
        if let Some(fragment) = fragment {
            check_anchor(index, target, fragment, link)?;
        }
        return Ok(Resolved::to(
            with_fragment(index.url_path(target), fragment),
            Some(target),
        ));
    }
    if let Some(output) = index.assets.get(joined.as_str()) {
        let href = format!("{}{}", index.site.config.base_path(), encode_path(output));
        return Ok(Resolved::to_file(with_fragment(&href, fragment), output));
    }
    // Obsidian writes a bare file name (`![](map.png)`, `[x](Note.md)`) for a file it finds by
    // name anywhere in the vault.
    if !path.contains('/') {
        let lower = path.to_lowercase();
        let note = match lower
            .strip_suffix(".md")
            .map(|stem| index.by_name.get(stem))
        {
            Some(Some(targets)) if targets.len() == 1 => Some(targets[0]),
            _ => None,
        };
        if let Some(target) = note {
            if let Some(fragment) = fragment {
                check_anchor(index, target, fragment, link)?;
            }
            return Ok(Resolved::to(
                with_fragment(index.url_path(target), fragment),
                Some(target),
            ));
        }
        if let Some(output) = find_asset(index, &lower, false) {
            let href = format!("{}{}", index.site.config.base_path(), encode_path(output));
            return Ok(Resolved::to_file(with_fragment(&href, fragment), output));
        }
    }
    if let Some(left_out) = left_out(index, &joined, link) {
        return Err(left_out);
    }
    let candidates = index
        .by_path
        .keys()
        .map(String::as_str)
        .chain(index.assets.keys().map(String::as_str));
    // For mdBook's `x.html`, the chapter it stands for is `x.md`.
    let wanted = match joined.strip_suffix(".html") {
        Some(stem) => format!("{stem}.md"),
        None => joined.clone(),
    };
    let hint = match closest(&wanted, candidates) {
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
        let anchor = wiki_anchor(index, from, fragment.unwrap_or_default(), link)?;
        return Ok(Resolved {
            href: format!("#{}", anchor.href),
            target: Some(from),
            part: anchor.part,
            file: None,
            output: None,
        });
    }
    let key = name.trim().trim_end_matches(".md").to_lowercase();
    if let Some(output) = find_asset(index, &key, link.kind == LinkKind::Embed) {
        let href = format!("{}{}", index.site.config.base_path(), encode_path(output));
        let file = name.trim().rsplit('/').next().unwrap_or(name).to_string();
        return Ok(Resolved {
            // An embed's fragment (`#page=2`) is the Markdown stage's to write.
            href: match link.kind {
                LinkKind::Embed => href,
                _ => with_fragment(&href, fragment),
            },
            target: None,
            part: Part::Whole,
            file: Some(file),
            output: Some(output.to_string()),
        });
    }
    let found = index
        .by_name
        .get(&key)
        .map(Vec::as_slice)
        .unwrap_or_default();
    // Of several notes with one name, the one beside the linking note is meant, as in Obsidian.
    let beside: Vec<Target>;
    let found = if found.len() > 1 {
        let folder = |t: Target| {
            let path = index.content_path_of(t);
            path.rsplit_once('/').map(|(dir, _)| dir.to_string())
        };
        let here = folder(from);
        beside = found
            .iter()
            .copied()
            .filter(|&t| folder(t) == here)
            .collect();
        if beside.len() == 1 {
            &beside[..]
        } else {
            found
        }
    } else {
        found
    };
    match found {
        [target] => {
            let (href, part) = match fragment {
                Some(f) => {
                    let anchor = wiki_anchor(index, *target, f, link)?;
                    (
                        format!("{}#{}", index.url_path(*target), anchor.href),
                        anchor.part,
                    )
                }
                None => (index.url_path(*target).to_string(), Part::Whole),
            };
            Ok(Resolved {
                href,
                target: Some(*target),
                part,
                file: None,
                output: None,
            })
        }
        [] if file_extension(&key).is_some() => Err(missing_attachment(index, link, name)),
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

/// `path#fragment`; a block's `^` is written `%5E`, as `^` may not stand in a URL.
fn with_fragment(path: &str, fragment: Option<&str>) -> String {
    match fragment {
        Some(f) if !f.is_empty() => match f.strip_prefix('^') {
            Some(block) => format!("{path}#{}", block_fragment(block)),
            None => format!("{path}#{f}"),
        },
        _ => path.to_string(),
    }
}

/// A page that mdBook would write at `joined` (`guide/other.html` for `guide/other.md`,
/// `guide/index.html` for `guide/README.md`): mdBook authors link to those names.
fn html_page(index: &Index<'_>, joined: &str) -> Option<Target> {
    let stem = joined.strip_suffix(".html")?;
    let mut candidates = vec![format!("{stem}.md")];
    if let Some(dir) = stem.strip_suffix("index")
        && (dir.is_empty() || dir.ends_with('/'))
    {
        candidates.push(format!("{dir}README.md"));
        candidates.push(format!("{dir}_index.md"));
    }
    candidates
        .iter()
        .find_map(|c| index.by_path.get(c.as_str()).copied())
}

/// The extension of a file name that is not a note's (`csv` in `prices.csv`): letters and
/// digits, at most five, at least one letter, not `md`. `Mr. Smith` and `v1.2` have none.
fn file_extension(name: &str) -> Option<&str> {
    let file = name.rsplit('/').next().unwrap_or(name);
    let (_, extension) = file.rsplit_once('.')?;
    (extension.len() <= 5
        && extension.bytes().all(|b| b.is_ascii_alphanumeric())
        && extension.bytes().any(|b| b.is_ascii_alphabetic())
        && !extension.eq_ignore_ascii_case("md"))
    .then_some(extension)
}

/// The copied file a wikilink or embed names (lowercased `key`), found as Obsidian finds it: by
/// its file name anywhere in the content folder, or by the end of its path (`Attachments/x.png`).
/// A wikilink names a file only with an extension; an embed may name one without.
fn find_asset<'n>(index: &'n Index<'_>, key: &str, embed: bool) -> Option<&'n str> {
    if !embed && file_extension(key).is_none() {
        return None;
    }
    let name = key.rsplit('/').next().unwrap_or(key);
    let candidates = index.assets_by_name.get(name)?;
    if name.len() == key.len() {
        return candidates.first().map(|(_, output)| output.as_str());
    }
    candidates
        .iter()
        .find(|(relative, _)| {
            relative == key
                || relative
                    .strip_suffix(key)
                    .is_some_and(|folder| folder.ends_with('/'))
        })
        .map(|(_, output)| output.as_str())
}

/// A wikilink or embed naming a file that is not in the content folder.
fn missing_attachment(index: &Index<'_>, link: &LinkRef, name: &str) -> Diagnostic {
    let file = name.trim().rsplit('/').next().unwrap_or(name);
    let (open, close) = if link.kind == LinkKind::Embed {
        ("![[", "]]")
    } else {
        ("[[", "]]")
    };
    let hint = match closest(
        &file.to_lowercase(),
        index.assets_by_name.values().flatten().map(|(relative, _)| {
            relative.rsplit('/').next().unwrap_or(relative)
        }),
    ) {
        Some(s) => format!("did you mean `{open}{s}{close}`?"),
        None => "put the file anywhere in the content folder, e.g. in `Attachments/`; it is found by its name".to_string(),
    };
    Diagnostic::error(format!("missing attachment: no file is called `{file}`"))
        .at(link.location.clone())
        .with_hint(hint)
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
