//! Resolve: every parsed document in, one linked [`Site`] out.
//!
//! This is where documents meet: URLs are assigned, folders become sections, terms become
//! taxonomies, every internal link is resolved to its target's URL (or reported as broken), and
//! backlinks are collected. Like parse, it is a pure function of its inputs.

mod aliases;
mod anchors;
mod embeds;
pub(crate) mod graph;
mod images;
pub(crate) use images::RESIZED_FOLDER;
mod links;
mod names;
mod paths;
mod related;
mod taxonomies;
mod tree;
pub(crate) use tree::doc_location;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::files::Asset;
use crate::parse::{Doc, TocEntry};

/// Front matter values the model carries to render as they are, named here so that render
/// reaches front matter only through the resolved site.
pub(crate) use crate::parse::front_matter::{Era, PageKind};

pub(crate) use links::{Backlink, Target};

/// Options that change what a build contains.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResolveOptions {
    /// Include pages marked `draft: true`.
    pub drafts: bool,
}

/// A URL of the site in its three spellings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub(crate) struct Url {
    /// Below the base path, no leading slash: `essays/x/` (empty for the home page).
    pub slug_path: String,
    /// Root-relative, with the base path: `/blog/essays/x/`. Used for links inside the site.
    pub path: String,
    /// Absolute: `https://example.com/blog/essays/x/`. Used for canonical links, feeds, sitemap.
    pub permalink: String,
}

impl Url {
    pub(crate) fn new(config: &Config, slug_path: &str) -> Url {
        let base = config.base_path();
        Url {
            slug_path: slug_path.to_string(),
            path: format!("{base}{slug_path}"),
            permalink: config.permalink(slug_path),
        }
    }

    /// The file this URL is written to: `essays/x/index.html`.
    pub(crate) fn output_file(&self) -> String {
        if self.slug_path.is_empty() || self.slug_path.ends_with('/') {
            format!("{}index.html", self.slug_path)
        } else {
            self.slug_path.clone()
        }
    }
}

/// A content page.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub doc: Arc<Doc>,
    /// Path below `content/`: `essays/x.md`.
    pub content_path: String,
    pub title: String,
    pub kind: PageKind,
    /// The years a case study covers, from its front matter; what the timeline places.
    pub era: Option<Era>,
    pub url: Url,
    pub section: usize,
    /// Body HTML with every link resolved; see [`Page::content`].
    pub content: Body,
    pub summary: String,
    pub reading_time: usize,
    pub previous: Option<usize>,
    pub next: Option<usize>,
    /// Terms of each taxonomy: `(taxonomy index, term index)`.
    pub terms: Vec<(usize, usize)>,
    pub backlinks: Vec<Backlink>,
    /// The headings and blocks (`^id`) of this page that other documents link to, sorted and
    /// distinct: what its link preview shows besides its opening.
    pub linked_anchors: Vec<String>,
    /// Strength pages a case study names, as page indices.
    pub strengths: Vec<usize>,
    /// Pages sharing the most links and terms with this one, best first.
    pub related: Vec<usize>,
}

/// A folder of content, with or without an `_index.md`.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub doc: Option<Arc<Doc>>,
    /// Folder below `content/`: `essays` (empty for the root).
    pub dir: String,
    pub title: String,
    pub url: Url,
    pub parent: Option<usize>,
    /// Pages in listing order.
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
    pub page_kind: PageKind,
    pub content: String,
    pub toc: Vec<TocEntry>,
    /// The page that took this folder's URL with `permalink:` (Obsidian Publish's way to give a
    /// folder, or the whole site, its own page: `permalink: /`). Only a folder without an
    /// `_index.md` can be taken; its listing is then not written.
    pub folder_page: Option<usize>,
}

impl Section {
    /// Whether the build writes this folder's listing: not when a note took its URL.
    pub(crate) fn has_listing(&self) -> bool {
        self.folder_page.is_none()
    }
}

/// A taxonomy such as `tags` and its terms.
#[derive(Debug, Clone)]
pub(crate) struct Taxonomy {
    pub name: String,
    pub url: Url,
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub name: String,
    pub slug: String,
    pub url: Url,
    /// Pages carrying the term, newest first.
    pub pages: Vec<usize>,
}

/// A redirect from an old URL to a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Alias {
    pub from: Url,
    pub to: Url,
}

/// A file copied into the output, with the URL path it gets.
#[derive(Debug, Clone)]
pub(crate) struct CopiedFile {
    pub output: String,
    /// From the content folder (beside its pages), not from a `static/` folder.
    pub content: bool,
    pub asset: Asset,
}

/// The linked site: what render turns into files.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub config: Arc<Config>,
    pub pages: Vec<Page>,
    /// `sections[0]` is the home page.
    pub sections: Vec<Section>,
    pub taxonomies: Vec<Taxonomy>,
    pub aliases: Vec<Alias>,
    pub assets: Vec<CopiedFile>,
    /// The resized copies of images that published pages show, by output path (sorted).
    pub resized: Vec<(String, Arc<crate::files::Resize>)>,
}

/// Everything resolve needs: the parsed documents and the names of files that exist.
pub(crate) struct ResolveInput<'a> {
    pub config: Arc<Config>,
    pub docs: &'a [Arc<Doc>],
    pub content_assets: &'a [Asset],
    pub statics: &'a [Asset],
    pub options: ResolveOptions,
}

/// Links the documents into a site. Never fails: problems come back as diagnostics and the site
/// is as complete as it can be.
pub(crate) fn resolve(input: &ResolveInput<'_>) -> (Site, Vec<Diagnostic>) {
    let (site, diagnostics, _) = resolve_all(input);
    (site, diagnostics)
}

/// [`resolve`], with the link name tables and which pages are embedded elsewhere.
fn resolve_all(input: &ResolveInput<'_>) -> (Site, Vec<Diagnostic>, (names::Names, Vec<bool>)) {
    let mut diagnostics = Vec::new();
    let mut site = tree::build_tree(input, &mut diagnostics);
    taxonomies::collect(&mut site, &mut diagnostics);
    aliases::add_name_redirects(&mut site);
    let links = links::resolve_links(&mut site, input, &mut diagnostics);
    related::collect(&mut site);
    tree::check_kinds(&mut site, &mut diagnostics);
    tree::check_collisions(&site, &mut diagnostics);
    paths::check_lengths(&site, &mut diagnostics);
    (site, diagnostics, links)
}

/// A resolved site kept by the dev server, with what it was resolved from.
///
/// Most saves change one page's text and nothing any other document sees of it: not its front
/// matter, headings, link targets and link sentences, inline tags or whether it has tasks. Such a
/// change is patched into the kept site ([`resolve_memoized`]) instead of resolving everything:
/// the page gets its new document, reading time, body and summary, and every other part of the
/// site is provably what a full resolve would give, because nothing it is computed from changed.
/// Anything else resolves the whole site.
pub(crate) struct ResolveMemo {
    /// The documents the site was resolved from, in input order.
    docs: Vec<Arc<Doc>>,
    content_assets: Vec<Asset>,
    statics: Vec<Asset>,
    options: ResolveOptions,
    site: Site,
    diagnostics: Vec<Diagnostic>,
    names: names::Names,
    /// Which pages another document embeds: their bodies show up in other pages too.
    embedded: Vec<bool>,
    /// The page of each document (`None` for a section's `_index.md` or a draft left out).
    page_of: Vec<Option<usize>>,
}

impl ResolveMemo {
    /// The site of the latest [`resolve_memoized`].
    pub(crate) fn site(&self) -> &Site {
        &self.site
    }
}

/// What changed since the previous [`resolve_memoized`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    /// The site was resolved from scratch: anything may have changed.
    All,
    /// Only these pages' documents changed, and only in what is private to each page: its
    /// `doc`, `content`, `summary` and `reading_time`. Everything else is as it was.
    Pages(Vec<usize>),
}

/// [`resolve`] for the dev server: patches the site kept in `memo` when it can (see
/// [`ResolveMemo`]), resolves it from scratch otherwise, and keeps the result in `memo`. Returns
/// the diagnostics (identical to [`resolve`]'s) and what changed.
pub(crate) fn resolve_memoized(
    input: &ResolveInput<'_>,
    memo: &mut Option<ResolveMemo>,
) -> (Vec<Diagnostic>, Change) {
    if let Some(kept) = memo.as_mut()
        && let Some(pages) = patch(kept, input)
    {
        return (kept.diagnostics.clone(), Change::Pages(pages));
    }
    let (site, diagnostics, (names, embedded)) = resolve_all(input);
    let page_by_doc: std::collections::HashMap<*const Doc, usize> = site
        .pages
        .iter()
        .enumerate()
        .map(|(p, page)| (Arc::as_ptr(&page.doc), p))
        .collect();
    let page_of = input
        .docs
        .iter()
        .map(|d| page_by_doc.get(&Arc::as_ptr(d)).copied())
        .collect();
    *memo = Some(ResolveMemo {
        docs: input.docs.to_vec(),
        content_assets: input.content_assets.to_vec(),
        statics: input.statics.to_vec(),
        options: input.options,
        site,
        diagnostics: diagnostics.clone(),
        names,
        embedded,
        page_of,
    });
    (diagnostics, Change::All)
}

/// Patches the changed pages into `kept`, or `None` when the change is not private to pages
/// (`kept` may then be half patched: the caller resolves from scratch and replaces it).
fn patch(kept: &mut ResolveMemo, input: &ResolveInput<'_>) -> Option<Vec<usize>> {
    if kept.docs.len() != input.docs.len()
        || *kept.site.config != *input.config
        || kept.options != input.options
        || kept.content_assets != input.content_assets
        || kept.statics != input.statics
    {
        return None;
    }
    let mut changed = Vec::new();
    for (i, (old, new)) in kept.docs.iter().zip(input.docs).enumerate() {
        if Arc::ptr_eq(old, new) {
            continue;
        }
        let p = kept.page_of[i]?;
        let located_in_old =
            |d: &Diagnostic| d.location.as_ref().is_some_and(|l| l.path == old.path);
        if kept.embedded[p]
            || !private_change(old, new)
            || kept.diagnostics.iter().any(located_in_old)
        {
            return None;
        }
        changed.push((i, p));
    }
    let words_per_minute = input.config.markdown.words_per_minute;
    for &(i, p) in &changed {
        let page = &mut kept.site.pages[p];
        page.doc = Arc::clone(&input.docs[i]);
        page.reading_time = tree::reading_time(page.doc.body.word_count, words_per_minute);
        links::relink_page(&mut kept.site, &kept.names, p)?;
        kept.docs[i] = Arc::clone(&input.docs[i]);
    }
    Some(changed.into_iter().map(|(_, p)| p).collect())
}

/// Whether `old` and `new` differ only in what no other document, and no part of the site but
/// the page itself, is computed from. Everything resolve reads of a document for the rest of the
/// site is compared here: the front matter (as text, which it is parsed from, under the same
/// configuration), headings (ids, and the outline that heading paths `[[Page#A#B]]` walk), block
/// ids, inline tags, whether it has tasks, task items without a link, or a diagram (the site
/// writes the diagram script only when some page has one), and each link's kind, destination and sentence (shown
/// in backlinks). Link positions are not: a page whose links have diagnostics is never patched.
/// What a heading's section or a block holds is read by embeds only, and an embedded page is
/// never patched.
fn private_change(old: &Doc, new: &Doc) -> bool {
    old.path == new.path
        && old.front_ok == new.front_ok
        && old.front_source == new.front_source
        && old.body.anchors == new.body.anchors
        && old.body.toc == new.body.toc
        && old
            .body
            .blocks
            .iter()
            .map(|b| &b.id)
            .eq(new.body.blocks.iter().map(|b| &b.id))
        && old.body.tags == new.body.tags
        && (old.body.tasks == 0) == (new.body.tasks == 0)
        // A page with unlinked items may be warned about (see `tree::check_kinds`), and a page
        // with diagnostics is never patched: so only gaining or losing all of them matters.
        && old.body.unlinked_tasks.is_empty() == new.body.unlinked_tasks.is_empty()
        && old.body.has_mermaid == new.body.has_mermaid
        && old.body.links.len() == new.body.links.len()
        && old
            .body
            .links
            .iter()
            .zip(&new.body.links)
            .all(|(a, b)| a.kind == b.kind && a.dest == b.dest && a.context == b.context)
}

/// Turns a term list into a map from taxonomy name to terms, for templates and tests.
pub(crate) fn page_terms<'a>(site: &'a Site, page: &Page) -> BTreeMap<&'a str, Vec<&'a Term>> {
    let mut map: BTreeMap<&str, Vec<&Term>> = BTreeMap::new();
    for taxonomy in &site.taxonomies {
        map.entry(taxonomy.name.as_str()).or_default();
    }
    for &(t, term) in &page.terms {
        let taxonomy = &site.taxonomies[t];
        map.entry(taxonomy.name.as_str())
            .or_default()
            .push(&taxonomy.terms[term]);
    }
    map
}

/// A site resolved from in-memory content files, `(path below content/, text)`, with the default
/// configuration; panics on error diagnostics.
#[cfg(test)]
pub(crate) fn test_site(files: &[(&str, &str)]) -> Site {
    let (site, diagnostics) = test_resolve(files);
    assert!(
        diagnostics.iter().all(|d| !d.is_error()),
        "{diagnostics:#?}"
    );
    site
}

/// [`test_site`] with its diagnostics, errors included.
#[cfg(test)]
pub(crate) fn test_resolve(files: &[(&str, &str)]) -> (Site, Vec<Diagnostic>) {
    let config = Arc::new(Config::default());
    let highlighter = crate::parse::highlight::Highlighter::new();
    let docs: Vec<Arc<Doc>> = files
        .iter()
        .map(|(path, text)| {
            let source =
                crate::files::Source::new(std::path::PathBuf::from("content").join(path), *text);
            Arc::new(crate::parse::parse_doc(&source, &config, &highlighter))
        })
        .collect();
    resolve(&ResolveInput {
        config: config.clone(),
        docs: &docs,
        content_assets: &[],
        statics: &[],
        options: ResolveOptions::default(),
    })
}

/// A page's body with its links resolved. Most bodies embed nothing: they keep only the hrefs
/// that fill their parsed fragments and are assembled when rendered, so a big site never holds
/// every body twice (fragments and HTML). A body with embeds is assembled by resolve.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Assembled(String),
    /// The href of each link, by link index, for the document's `body.html` holes.
    Holes(Vec<String>),
}

impl Default for Body {
    fn default() -> Body {
        Body::Assembled(String::new())
    }
}

impl Body {
    /// The HTML of `doc`'s body, whose fragments this fills.
    pub(crate) fn html<'a>(&'a self, doc: &Doc) -> std::borrow::Cow<'a, str> {
        use std::borrow::Cow;
        match self {
            Body::Assembled(html) => Cow::Borrowed(html),
            Body::Holes(hrefs) => Cow::Owned(fill_links(&doc.body.html, hrefs)),
        }
    }
}

/// `html` with its link holes filled from `hrefs` (by link index) and its embed holes empty:
/// how a body without resolved embeds, and every summary, is assembled.
pub(crate) fn fill_links(html: &crate::parse::Html, hrefs: &[String]) -> String {
    use crate::parse::markdown::Hole;
    use std::borrow::Cow;
    html.assemble(|hole| match hole {
        Hole::Href(k) => Cow::Borrowed(hrefs[k].as_str()),
        Hole::Embed(_) => Cow::Borrowed(""),
    })
}

impl Page {
    /// The body as HTML, every link resolved.
    pub(crate) fn content(&self) -> std::borrow::Cow<'_, str> {
        self.content.html(&self.doc)
    }
}
