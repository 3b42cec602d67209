//! Render: the linked [`Site`] and the compiled templates in, every output file out.
//!
//! Each output (a page, one pager of a section, a feed) is rendered from its own small context,
//! independently and in parallel. Nothing here touches the file system: copied files are listed
//! by path for the write stage.

pub(crate) mod context;
mod feeds;
mod fingerprint;
pub(crate) mod graph_svg;
pub(crate) mod syntax_css;
pub(crate) mod templates;
pub(crate) mod timeline;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::files::{Contents, Output};
use crate::resolve::graph::{LayoutTable, Layouts, Links};
use crate::resolve::{PageKind, Site, Url};
use context::{
    GraphView, Paginator, config_view, page_summary, page_view, section_view, site_view,
};
use fingerprint::{Fingerprint, FingerprintWriter};
pub(crate) use templates::Templates;

/// One unit of rendering work; each becomes exactly one output file.
enum Job {
    Page(usize),
    /// Section index, 1-based pager number, pages on this pager.
    Section(usize, usize, std::ops::Range<usize>),
    TaxonomyList(usize),
    /// The site-wide link graph, at its URL.
    Graph(Url),
    /// Every case study on one axis, at its URL.
    Timeline(Url),
    /// Taxonomy, term, pager number, pages on this pager.
    Term(usize, usize, usize, std::ops::Range<usize>),
    NotFound,
    /// The search page, `/search/`.
    Search,
}

/// Where the built-in search page lives, below the base path.
pub(crate) const SEARCH_SLUG_PATH: &str = "search/";

/// Whether the search page is rendered: search is on, the templates have `search.html`, and no
/// content page, section or alias already owns `/search/` (the author's page wins).
fn renders_search_page(site: &Site, templates: &Templates) -> bool {
    site.config.search.enabled
        && templates.has("search.html")
        && !site
            .pages
            .iter()
            .any(|p| p.url.slug_path == SEARCH_SLUG_PATH)
        && !site
            .sections
            .iter()
            .any(|s| s.url.slug_path == SEARCH_SLUG_PATH)
        && !site
            .aliases
            .iter()
            .any(|a| a.from.output_file() == format!("{SEARCH_SLUG_PATH}index.html"))
}

/// Renders every output of `site`.
pub(crate) fn render(site: &Site, templates: &mut Templates) -> (Vec<Output>, Vec<Diagnostic>) {
    let collected = Collected::default();
    let (diagnostics, _) = render_with(site, templates, None, &|o| collected.push(o));
    (collected.into_sorted(), diagnostics)
}

/// Like [`render`], handing each output to `emit` as soon as it is ready (from any thread,
/// in no particular order) instead of keeping them all: `steppe build` writes them straight to
/// its staging folder, so a big site never sits in memory at once.
pub(crate) fn render_into(
    site: &Site,
    templates: &mut Templates,
    emit: &(dyn Fn(Output) + Sync),
) -> Vec<Diagnostic> {
    render_with(site, templates, None, emit).0
}

/// Outputs gathered from the rendering threads.
#[derive(Default)]
struct Collected(std::sync::Mutex<Vec<Output>>);

impl Collected {
    fn push(&self, output: Output) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(output);
    }

    /// In the order the threads finished in: for a caller that looks outputs up by path.
    fn into_unsorted(self) -> Vec<Output> {
        self.0
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// In path order, whatever order the threads finished in.
    fn into_sorted(self) -> Vec<Output> {
        let mut outputs = self
            .0
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        outputs.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        outputs
    }
}

/// Templated outputs of an earlier render, keyed by output path, with the fingerprint of
/// everything they were rendered from.
#[derive(Debug, Default, Clone)]
pub(crate) struct RenderMemo {
    entries: HashMap<String, (Fingerprint, bytes::Bytes)>,
    /// Graph layouts by their inputs.
    layouts: Arc<LayoutTable>,
    /// The fingerprint of what every output sees (configuration, site lists, templates).
    globals: Option<Fingerprint>,
    /// Feeds by path.
    feeds: HashMap<String, bytes::Bytes>,
    /// The sitemap, with the fingerprint of the paths it lists.
    sitemap: Option<(Fingerprint, bytes::Bytes)>,
    /// The highlighting stylesheet, with its light and dark theme names.
    syntax_css: Option<((String, String), bytes::Bytes)>,
}

/// Like [`render`], reusing from `memo` every output whose context and templates are unchanged,
/// and returning the memo for the next call. The outputs are byte-identical to [`render`]'s, in
/// no particular order.
///
/// `changed` is [`crate::resolve::Change::Pages`]: the site is the one `memo` was rendered
/// from, except for what is private to those pages. Outputs that show none of them (which is
/// known from the job alone: a page, a pager of a listing) are then taken from the memo without
/// even fingerprinting their context; with `None` every context is fingerprinted.
pub(crate) fn render_memoized(
    site: &Site,
    templates: &mut Templates,
    memo: &RenderMemo,
    changed: Option<&[usize]>,
) -> (Vec<Output>, Vec<Diagnostic>, RenderMemo) {
    let collected = Collected::default();
    let memo = memo_with(memo, changed, site.pages.len());
    let (diagnostics, memo) = render_with(site, templates, Some(memo), &|o| collected.push(o));
    (
        collected.into_unsorted(),
        diagnostics,
        memo.unwrap_or_default(),
    )
}

/// A memo and which pages changed since it was made (`None`: anything may have).
struct MemoWith<'a> {
    memo: &'a RenderMemo,
    dirty: Option<Vec<bool>>,
}

fn memo_with<'a>(memo: &'a RenderMemo, changed: Option<&[usize]>, pages: usize) -> MemoWith<'a> {
    let dirty = changed.map(|changed| {
        let mut dirty = vec![false; pages];
        for &p in changed {
            dirty[p] = true;
        }
        dirty
    });
    MemoWith { memo, dirty }
}

impl MemoWith<'_> {
    /// Whether what every output sees is what it was when the memo was made.
    fn unchanged_globals(&self, globals: Fingerprint) -> bool {
        self.memo.globals == Some(globals)
    }

    /// The kept output of `job` when it shows no changed page and the globals are unchanged.
    /// Page views show other pages only by title and URL, which a private change leaves alone;
    /// pagers show the summaries of their own pages; any other job is fingerprinted.
    fn unchanged(
        &self,
        site: &Site,
        job: &Job,
        globals: Fingerprint,
    ) -> Option<(Output, Fingerprint)> {
        let dirty = self.dirty.as_ref()?;
        if !self.unchanged_globals(globals) {
            return None;
        }
        let path = match job {
            Job::Page(p) => (!dirty[*p]).then(|| site.pages[*p].url.output_file())?,
            Job::Section(s, n, range) => {
                let section = &site.sections[*s];
                let clean = section.pages[range.clone()].iter().all(|&p| !dirty[p]);
                clean.then(|| pager_file(site, &section.url, *n))?
            }
            Job::Term(t, i, n, range) => {
                let term = &site.taxonomies[*t].terms[*i];
                let clean = term.pages[range.clone()].iter().all(|&p| !dirty[p]);
                clean.then(|| pager_file(site, &term.url, *n))?
            }
            _ => return None,
        };
        let (fingerprint, bytes) = self.memo.entries.get(&path)?;
        let contents = Contents::Bytes(bytes.clone());
        Some((Output { path, contents }, *fingerprint))
    }
}

/// Renders every output into `emit`; with a `memo`, fingerprints each output's context to reuse
/// the unchanged ones and returns the next memo. Without one nothing is fingerprinted.
fn render_with(
    site: &Site,
    templates: &mut Templates,
    memo: Option<MemoWith<'_>>,
    emit: &(dyn Fn(Output) + Sync),
) -> (Vec<Diagnostic>, Option<RenderMemo>) {
    let mut diagnostics = Vec::new();
    let config = &site.config;
    let mut globals = FingerprintWriter::default();
    let search_page = renders_search_page(site, templates);
    let graph_url = graph_url(site, templates);
    let timeline_url = timeline_url(site, templates);
    {
        let global = templates.tera.global_context();
        let steppe = SteppeView {
            version: env!("CARGO_PKG_VERSION"),
        };
        let (config_view, mut site_view) = (config_view(config), site_view(site));
        if search_page {
            site_view.search_path = Some(Url::new(config, SEARCH_SLUG_PATH).path);
        }
        site_view.graph_path = graph_url.as_ref().map(|u| u.path.as_str());
        site_view.timeline_path = timeline_url.as_ref().map(|u| u.path.as_str());
        globals.add("config", &config_view);
        globals.add("site", &site_view);
        globals.add("steppe", &steppe);
        global.insert("config", &config_view);
        global.insert("site", &site_view);
        global.insert("steppe", &steppe);
    }
    globals.add("templates", &templates.fingerprint_source());
    let globals = globals.finish();
    let templates = &*templates;

    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    for (s, section) in site.sections.iter().enumerate() {
        let per_page = section
            .doc
            .as_ref()
            .and_then(|d| d.front.paginate_by)
            .unwrap_or(config.pagination.per_page)
            .max(1);
        for (n, range) in pager_ranges(section.pages.len(), per_page) {
            jobs.push(Job::Section(s, n, range));
        }
    }
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        if taxonomy.terms.is_empty() {
            continue;
        }
        jobs.push(Job::TaxonomyList(t));
        let per_page = config.taxonomy_per_page(&taxonomy.name);
        for (i, term) in taxonomy.terms.iter().enumerate() {
            for (n, range) in pager_ranges(term.pages.len(), per_page) {
                jobs.push(Job::Term(t, i, n, range));
            }
        }
    }
    if templates.has("404.html") {
        jobs.push(Job::NotFound);
    }
    if search_page {
        jobs.push(Job::Search);
    }
    if let Some(url) = graph_url {
        jobs.push(Job::Graph(url));
    }
    if let Some(url) = timeline_url {
        jobs.push(Job::Timeline(url));
    }

    // Who links to whom, once: every page's local graph is read from it.
    let links = Links::new(site);
    let mut next_memo = memo.as_ref().map(|_| RenderMemo {
        globals: Some(globals),
        ..RenderMemo::default()
    });
    let layouts = Layouts::new(memo.as_ref().map(|m| Arc::clone(&m.memo.layouts)));
    let graphs = Graphs {
        links: &links,
        layouts: &layouts,
    };
    // Copied files: a file of the site's own overrides a generated one of the same name (and
    // among copied files, the later one wins).
    let mut copied: HashMap<&str, &Contents> = HashMap::with_capacity(site.assets.len());
    for file in &site.assets {
        copied.insert(&file.output, &file.asset.contents);
    }
    let deliver = |output: Output| {
        if !copied.contains_key(output.path.as_str()) {
            emit(output);
        }
    };
    type Rendered = Result<(String, Option<(Fingerprint, bytes::Bytes)>), Diagnostic>;
    let rendered: Vec<Rendered> = jobs
        .par_iter()
        .map(|job| {
            let kept = memo.as_ref().and_then(|m| m.unchanged(site, job, globals));
            let (output, fingerprint) = match kept {
                Some((output, fingerprint)) => (output, Some(fingerprint)),
                None => render_job(
                    site,
                    templates,
                    &graphs,
                    job,
                    globals,
                    memo.as_ref().map(|m| m.memo),
                )?,
            };
            let kept = match (fingerprint, &output.contents) {
                (Some(fingerprint), Contents::Bytes(bytes)) => Some((fingerprint, bytes.clone())),
                _ => None,
            };
            let path = output.path.clone();
            deliver(output);
            Ok((path, kept))
        })
        .collect();
    if let Some(next) = &mut next_memo {
        next.layouts = Arc::new(layouts.into_table());
    }
    let mut paths = Vec::with_capacity(rendered.len());
    for result in rendered {
        match result {
            Ok((path, kept)) => {
                if let (Some(next), Some(kept)) = (&mut next_memo, kept) {
                    next.entries.insert(path.clone(), kept);
                }
                paths.push(path);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }

    // Feeds, in parallel; with a memo, a feed showing no changed page is taken from it.
    let root = Url::new(config, "");
    let mut extra: Vec<Output> = feeds::feeds(site, &root)
        .par_iter()
        .map(|spec| {
            let path = spec.path(site);
            let kept = memo
                .as_ref()
                .filter(|m| m.unchanged_globals(globals))
                .and_then(|m| Some((m.dirty.as_ref()?, m.memo.feeds.get(&path)?)))
                .filter(|(dirty, _)| spec.entries.iter().all(|&p| !dirty[p]));
            match kept {
                Some((_, bytes)) => Output {
                    path,
                    contents: Contents::Bytes(bytes.clone()),
                },
                None => feeds::feed(site, spec),
            }
        })
        .collect();
    if let Some(next) = &mut next_memo {
        for feed in &extra {
            if let Contents::Bytes(bytes) = &feed.contents {
                next.feeds.insert(feed.path.clone(), bytes.clone());
            }
        }
    }
    paths.extend(extra.iter().map(|o| o.path.clone()));
    // The sitemap lists the paths and the dates of pages: with the same paths, a private change
    // of pages leaves it as it was.
    let search_file = format!("{SEARCH_SLUG_PATH}index.html");
    let paths_fingerprint = {
        let mut writer = FingerprintWriter::default();
        for path in &paths {
            writer.bytes(path.as_bytes());
        }
        writer.finish()
    };
    let kept_sitemap = memo
        .as_ref()
        .filter(|m| m.dirty.is_some() && m.unchanged_globals(globals))
        .and_then(|m| m.memo.sitemap.as_ref())
        .filter(|(fingerprint, _)| *fingerprint == paths_fingerprint);
    let sitemap = match kept_sitemap {
        Some((_, bytes)) => Output {
            path: "sitemap.xml".into(),
            contents: Contents::Bytes(bytes.clone()),
        },
        None => feeds::sitemap(site, &paths, search_page.then_some(search_file.as_str())),
    };
    if let (Some(next), Contents::Bytes(bytes)) = (&mut next_memo, &sitemap.contents) {
        next.sitemap = Some((paths_fingerprint, bytes.clone()));
    }
    extra.push(sitemap);
    for alias in &site.aliases {
        extra.push(Output {
            path: alias.from.output_file(),
            contents: Contents::Bytes(feeds::redirect_page(&alias.to).into_bytes().into()),
        });
    }
    // Written even with highlighting off: themes link it, and it styles plain code blocks too.
    // A function of the two theme names only.
    let themes = (
        config.highlighting.light_theme.clone(),
        config.highlighting.dark_theme.clone(),
    );
    let kept_css = memo
        .as_ref()
        .and_then(|m| m.memo.syntax_css.as_ref())
        .filter(|(names, _)| *names == themes)
        .map(|(_, css)| Ok(css.clone()));
    {
        match kept_css.unwrap_or_else(|| {
            syntax_css::theme_css(&themes.0, &themes.1).map(|css| bytes::Bytes::from(css.into_bytes()))
        }) {
            Ok(css) => {
                if let Some(next) = &mut next_memo {
                    next.syntax_css = Some((themes, css.clone()));
                }
                extra.push(Output {
                    path: "syntax.css".into(),
                    contents: Contents::Bytes(css),
                })
            }
            Err(message) => diagnostics.push(
                Diagnostic::error(format!("highlighting theme: {message}"))
                    .with_hint("set [highlighting] light_theme and dark_theme in site.toml to theme names listed above"),
            ),
        }
    }
    if !copied.contains_key("robots.txt") {
        extra.push(Output {
            path: "robots.txt".into(),
            contents: Contents::Bytes(
                format!(
                    "User-agent: *\nAllow: /\nSitemap: {}\n",
                    config.permalink("sitemap.xml")
                )
                .into_bytes()
                .into(),
            ),
        });
    }
    for output in extra {
        deliver(output);
    }
    for (path, contents) in copied {
        emit(Output {
            path: path.to_string(),
            contents: contents.clone(),
        });
    }
    (diagnostics, next_memo)
}

/// The link graph of the site, and the layouts of its drawings.
struct Graphs<'a> {
    links: &'a Links,
    layouts: &'a Layouts,
}

/// Where a job's context goes: into a fingerprint only, or into the Tera context.
enum JobContext {
    Fingerprint(Box<FingerprintWriter>),
    Render(tera::Context),
}

impl JobContext {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        match self {
            JobContext::Fingerprint(fingerprint) => fingerprint.add(key, value),
            JobContext::Render(context) => context.insert(key, value),
        }
    }
}

#[derive(Serialize)]
struct SteppeView {
    version: &'static str,
}

/// Where the site-wide link graph goes: `/graph/`, when the site has pages, the theme has a
/// `graph.html`, and the URL is free.
fn graph_url(site: &Site, templates: &Templates) -> Option<Url> {
    if site.pages.is_empty() || !templates.has("graph.html") {
        return None;
    }
    free_url(site, "graph/")
}

/// Where the timeline goes: `/timeline/`, when the site has a case study, the theme has a
/// `timeline.html`, and the URL is free.
fn timeline_url(site: &Site, templates: &Templates) -> Option<Url> {
    let has_case_study = site
        .pages
        .iter()
        .any(|p| p.kind == PageKind::CaseStudy && p.era.is_some());
    if !has_case_study || !templates.has("timeline.html") {
        return None;
    }
    free_url(site, "timeline/")
}

/// The URL `slug_path` unless a page, section, taxonomy or alias of the site already has it (the
/// author's own page wins over a generated one).
fn free_url(site: &Site, slug_path: &str) -> Option<Url> {
    let url = Url::new(&site.config, slug_path);
    let file = url.output_file();
    let taken = site
        .sections
        .iter()
        .map(|s| &s.url)
        .chain(site.pages.iter().map(|p| &p.url))
        .chain(site.taxonomies.iter().map(|t| &t.url))
        .chain(site.aliases.iter().map(|a| &a.from))
        .any(|u| u.output_file() == file);
    (!taken).then_some(url)
}

/// Pager numbers (1-based) and the item ranges they show; an empty list still gets one pager.
fn pager_ranges(items: usize, per_page: usize) -> Vec<(usize, std::ops::Range<usize>)> {
    let count = items.div_ceil(per_page).max(1);
    (0..count)
        .map(|i| (i + 1, i * per_page..((i + 1) * per_page).min(items)))
        .collect()
}

/// URL of pager `n` of a listing at `base`: the listing itself, then `base/page/n/`.
fn pager_url(site: &Site, base: &Url, n: usize) -> Url {
    if n == 1 {
        base.clone()
    } else {
        Url::new(
            &site.config,
            &format!("{}{}/{n}/", base.slug_path, site.config.pagination.path),
        )
    }
}

/// The output file of pager `n` of a listing at `base`: [`pager_url`]'s, without the URL.
fn pager_file(site: &Site, base: &Url, n: usize) -> String {
    if n == 1 {
        base.output_file()
    } else {
        format!(
            "{}{}/{n}/index.html",
            base.slug_path, site.config.pagination.path
        )
    }
}

fn paginator<'a>(
    site: &'a Site,
    base: &Url,
    items: &[usize],
    n: usize,
    range: std::ops::Range<usize>,
    per_page: usize,
) -> Paginator<'a> {
    let count = items.len().div_ceil(per_page).max(1);
    Paginator {
        pages: items[range]
            .iter()
            .map(|&p| page_summary(site, &site.pages[p]))
            .collect(),
        current_index: n,
        number_pagers: count,
        first: base.path.clone(),
        last: pager_url(site, base, count).path,
        previous: (n > 1).then(|| pager_url(site, base, n - 1).path),
        next: (n < count).then(|| pager_url(site, base, n + 1).path),
    }
}

fn render_job(
    site: &Site,
    templates: &Templates,
    graphs: &Graphs,
    job: &Job,
    globals: Fingerprint,
    memo: Option<&RenderMemo>,
) -> Result<(Output, Option<Fingerprint>), Diagnostic> {
    // With a memo, a first pass only hashes the context, as it would be serialized; the Tera
    // context is built only for an output the memo cannot give.
    let fingerprint = match memo {
        Some(memo) => {
            let mut pass = JobContext::Fingerprint(Box::default());
            pass.insert("globals", &globals);
            let (template, url, _) = prepare(site, templates, graphs, job, &mut pass)?;
            let JobContext::Fingerprint(mut fingerprint) = pass else {
                unreachable!("the pass was built as a fingerprint")
            };
            fingerprint.add("template", &template);
            let fingerprint = fingerprint.finish();
            let path = url.output_file();
            if let Some((previous, bytes)) = memo.entries.get(&path)
                && *previous == fingerprint
            {
                let contents = Contents::Bytes(bytes.clone());
                return Ok((Output { path, contents }, Some(fingerprint)));
            }
            Some(fingerprint)
        }
        None => None,
    };
    let mut context = JobContext::Render(tera::Context::new());
    let (template, url, what) = prepare(site, templates, graphs, job, &mut context)?;
    let JobContext::Render(context) = context else {
        unreachable!("the pass was built as a render")
    };
    match templates.tera.render(&template, &context) {
        Ok(html) => Ok((
            Output {
                path: url.output_file(),
                contents: Contents::Bytes(html.into_bytes().into()),
            },
            fingerprint,
        )),
        Err(error) => Err(templates.error(&error, &format!("{what} (URL {})", url.path))),
    }
}

/// Fills `context` with what `job`'s template sees; returns the template's name, the output's
/// URL and a description of the output for messages.
fn prepare(
    site: &Site,
    templates: &Templates,
    graphs: &Graphs,
    job: &Job,
    context: &mut JobContext,
) -> Result<(String, Url, String), Diagnostic> {
    let (template, url, what): (String, Url, String) = match job {
        Job::Page(p) => {
            let page = &site.pages[*p];
            let mut view = page_view(site, page);
            if graphs.links.degree(*p) > 0 {
                let graph = graphs.links.local_graph_in(*p, graphs.layouts);
                view.graph = Some(graph_svg::svg(
                    site,
                    &graph,
                    Some(*p),
                    graph_svg::LOCAL_SIZE,
                ));
            }
            context.insert("page", &view);
            let template = match &page.doc.front.template {
                Some(name) => {
                    if !templates.has(name) {
                        return Err(Diagnostic::error(format!("template `{name}` not found"))
                            .at(crate::resolve::doc_location(&page.doc, "template"))
                            .with_hint("name a file of the theme's templates/ or of your own templates/ folder"));
                    }
                    name.clone()
                }
                None => {
                    let by_kind = format!("{}.html", page.kind.as_str());
                    if templates.has(&by_kind) {
                        by_kind
                    } else {
                        "page.html".to_string()
                    }
                }
            };
            (
                template,
                page.url.clone(),
                page.doc.path.display().to_string(),
            )
        }
        Job::Section(s, n, range) => {
            let section = &site.sections[*s];
            let per_page = section
                .doc
                .as_ref()
                .and_then(|d| d.front.paginate_by)
                .unwrap_or(site.config.pagination.per_page)
                .max(1);
            context.insert("section", &section_view(site, *s));
            context.insert(
                "paginator",
                &paginator(
                    site,
                    &section.url,
                    &section.pages,
                    *n,
                    range.clone(),
                    per_page,
                ),
            );
            let default = if *s == 0 {
                "index.html"
            } else {
                "section.html"
            };
            let template = section
                .doc
                .as_ref()
                .and_then(|d| d.front.template.clone())
                .unwrap_or_else(|| default.to_string());
            let what = section.doc.as_ref().map_or_else(
                || {
                    let folder = site.config.content_folder();
                    format!("section {}/{}/", folder.display(), section.dir)
                },
                |d| d.path.display().to_string(),
            );
            (template, pager_url(site, &section.url, *n), what)
        }
        Job::TaxonomyList(t) => {
            let taxonomy = &site.taxonomies[*t];
            context.insert("taxonomy", &TaxonomyView::new(taxonomy));
            let terms: Vec<TermListView> = taxonomy
                .terms
                .iter()
                .map(|term| TermListView {
                    name: &term.name,
                    slug: &term.slug,
                    path: &term.url.path,
                    permalink: &term.url.permalink,
                    pages_count: term.pages.len(),
                    feed_path: None,
                })
                .collect();
            context.insert("terms", &terms);
            (
                "taxonomy_list.html".into(),
                taxonomy.url.clone(),
                format!("the {} list", taxonomy.name),
            )
        }
        Job::Term(t, i, n, range) => {
            let taxonomy = &site.taxonomies[*t];
            let term = &taxonomy.terms[*i];
            context.insert("taxonomy", &TaxonomyView::new(taxonomy));
            context.insert(
                "term",
                &TermListView {
                    name: &term.name,
                    slug: &term.slug,
                    path: &term.url.path,
                    permalink: &term.url.permalink,
                    pages_count: term.pages.len(),
                    feed_path: site
                        .config
                        .taxonomy_feed(&taxonomy.name)
                        .then(|| format!("{}{}", term.url.path, site.config.feed.filename)),
                },
            );
            let per_page = site.config.taxonomy_per_page(&taxonomy.name);
            context.insert(
                "paginator",
                &paginator(site, &term.url, &term.pages, *n, range.clone(), per_page),
            );
            (
                "taxonomy_term.html".into(),
                pager_url(site, &term.url, *n),
                format!("the {} term `{}`", taxonomy.name, term.name),
            )
        }
        Job::Graph(url) => {
            // The one site-wide layout of the build; it runs in parallel with the page jobs.
            let graph = graphs.links.site_graph_in(graphs.layouts);
            let size = graph_svg::site_size(graph.nodes.len());
            context.insert(
                "graph",
                &GraphView {
                    svg: graph_svg::svg(site, &graph, None, size),
                    nodes_count: graph.nodes.len(),
                    edges_count: graph.edges.len(),
                },
            );
            ("graph.html".into(), url.clone(), "the link graph".into())
        }
        Job::Timeline(url) => {
            context.insert("timeline", &timeline::timeline(site));
            ("timeline.html".into(), url.clone(), "the timeline".into())
        }
        Job::NotFound => (
            "404.html".into(),
            Url::new(&site.config, "404.html"),
            "404.html".into(),
        ),
        Job::Search => (
            "search.html".into(),
            Url::new(&site.config, SEARCH_SLUG_PATH),
            "the search page".into(),
        ),
    };
    context.insert("current_path", &url.path);
    context.insert("current_url", &url.permalink);
    Ok((template, url, what))
}

#[derive(Serialize)]
struct TaxonomyView<'a> {
    name: &'a str,
    path: &'a str,
    permalink: &'a str,
}

impl<'a> TaxonomyView<'a> {
    fn new(taxonomy: &'a crate::resolve::Taxonomy) -> TaxonomyView<'a> {
        TaxonomyView {
            name: &taxonomy.name,
            path: &taxonomy.url.path,
            permalink: &taxonomy.url.permalink,
        }
    }
}

#[derive(Serialize)]
struct TermListView<'a> {
    name: &'a str,
    slug: &'a str,
    path: &'a str,
    permalink: &'a str,
    pages_count: usize,
    feed_path: Option<String>,
}
