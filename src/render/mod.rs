//! Render: the linked [`Site`] and the compiled templates in, every output file out.
//!
//! Each output (a page, one pager of a section, a feed) is rendered from its own small context,
//! independently and in parallel. Nothing here touches the file system: copied files are listed
//! by path for the write stage.

pub mod context;
mod feeds;
pub mod graph_svg;
pub mod templates;
pub mod timeline;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::output::{Contents, Output};
use crate::parse::highlight;
use crate::resolve::graph::Links;
use crate::resolve::{Site, Url};
use context::{
    GraphView, Paginator, config_view, page_summary, page_view, section_view, site_view,
};
pub use templates::Templates;

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
pub const SEARCH_SLUG_PATH: &str = "search/";

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
pub fn render(site: &Site, templates: &mut Templates) -> (Vec<Output>, Vec<Diagnostic>) {
    let (outputs, diagnostics, _) = render_memoized(site, templates, &RenderMemo::default());
    (outputs, diagnostics)
}

/// Templated outputs of an earlier render, keyed by output path, with the fingerprint of
/// everything they were rendered from.
#[derive(Debug, Default, Clone)]
pub struct RenderMemo {
    entries: HashMap<String, (Fingerprint, Vec<u8>)>,
}

/// Like [`render`], reusing from `memo` every output whose context and templates are unchanged,
/// and returning the memo for the next call. The result is byte-identical to [`render`]'s.
pub fn render_memoized(
    site: &Site,
    templates: &mut Templates,
    memo: &RenderMemo,
) -> (Vec<Output>, Vec<Diagnostic>, RenderMemo) {
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
    let rendered: Vec<Result<(Output, Fingerprint), Diagnostic>> = jobs
        .par_iter()
        .map(|job| render_job(site, templates, &links, job, globals, memo))
        .collect();
    let mut outputs = Vec::with_capacity(rendered.len() + site.assets.len() + 8);
    let mut next_memo = RenderMemo::default();
    for result in rendered {
        match result {
            Ok((output, fingerprint)) => {
                if let Contents::Bytes(bytes) = &output.contents {
                    next_memo
                        .entries
                        .insert(output.path.clone(), (fingerprint, bytes.clone()));
                }
                outputs.push(output);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }

    outputs.extend(feeds::feeds(site));
    let search_file = format!("{SEARCH_SLUG_PATH}index.html");
    outputs.push(feeds::sitemap(
        site,
        &outputs,
        search_page.then_some(search_file.as_str()),
    ));
    for alias in &site.aliases {
        outputs.push(Output {
            path: alias.from.output_file(),
            contents: Contents::Bytes(feeds::redirect_page(&alias.to).into_bytes()),
        });
    }
    // Written even with highlighting off: themes link it, and it styles plain code blocks too.
    {
        match highlight::theme_css(&config.highlighting.light_theme, &config.highlighting.dark_theme) {
            Ok(css) => outputs.push(Output {
                path: "syntax.css".into(),
                contents: Contents::Bytes(css.into_bytes()),
            }),
            Err(message) => diagnostics.push(
                Diagnostic::error(format!("highlighting theme: {message}"))
                    .with_hint("set [highlighting] light_theme and dark_theme in site.toml to theme names listed above"),
            ),
        }
    }
    if !site.assets.iter().any(|a| a.output == "robots.txt") {
        outputs.push(Output {
            path: "robots.txt".into(),
            contents: Contents::Bytes(
                format!(
                    "User-agent: *\nAllow: /\nSitemap: {}\n",
                    config.permalink("sitemap.xml")
                )
                .into_bytes(),
            ),
        });
    }

    // Copied files: a file of the site's own overrides a generated one of the same name.
    let mut by_path: HashMap<String, usize> = outputs
        .iter()
        .enumerate()
        .map(|(i, o)| (o.path.clone(), i))
        .collect();
    for file in &site.assets {
        let output = Output {
            path: file.output.clone(),
            contents: Contents::Copy(file.asset.absolute.clone()),
        };
        match by_path.get(&file.output) {
            Some(&i) => outputs[i] = output,
            None => {
                by_path.insert(file.output.clone(), outputs.len());
                outputs.push(output);
            }
        }
    }
    (outputs, diagnostics, next_memo)
}

/// 128 bits identifying everything an output was rendered from.
type Fingerprint = [u64; 2];

/// Hashes values as they would be serialized into a template context, without allocating.
#[derive(Default)]
struct FingerprintWriter {
    a: std::collections::hash_map::DefaultHasher,
    b: std::collections::hash_map::DefaultHasher,
}

impl std::io::Write for FingerprintWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        use std::hash::Hasher;
        self.a.write(bytes);
        self.b.write(bytes);
        self.b.write_u8(0x5a);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl FingerprintWriter {
    fn add<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        use std::io::Write;
        let _ = self.write_all(key.as_bytes());
        let _ = serde_json::to_writer(&mut *self, value);
        let _ = self.write_all(b"\x1f");
    }

    fn finish(self) -> Fingerprint {
        use std::hash::Hasher;
        [self.a.finish(), self.b.finish()]
    }
}

/// A template context that also fingerprints what goes into it.
struct JobContext {
    context: tera::Context,
    fingerprint: FingerprintWriter,
}

impl JobContext {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.fingerprint.add(key, value);
        self.context.insert(key, value);
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
        .any(|p| p.kind == crate::resolve::Kind::CaseStudy && p.doc.front.era.is_some());
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
    links: &Links,
    job: &Job,
    globals: Fingerprint,
    memo: &RenderMemo,
) -> Result<(Output, Fingerprint), Diagnostic> {
    let mut context = JobContext {
        context: tera::Context::new(),
        fingerprint: FingerprintWriter::default(),
    };
    context.fingerprint.add("globals", &globals);
    let (template, url, what): (String, Url, String) = match job {
        Job::Page(p) => {
            let page = &site.pages[*p];
            let mut view = page_view(site, page);
            if links.degree(*p) > 0 {
                let graph = links.local_graph(*p);
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
                || format!("section content/{}/", section.dir),
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
            let graph = links.site_graph();
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
    context.fingerprint.add("template", &template);
    let fingerprint = context.fingerprint.finish();
    let path = url.output_file();
    if let Some((previous, bytes)) = memo.entries.get(&path)
        && *previous == fingerprint
    {
        let contents = Contents::Bytes(bytes.clone());
        return Ok((Output { path, contents }, fingerprint));
    }
    match templates.tera.render(&template, &context.context) {
        Ok(html) => Ok((
            Output {
                path,
                contents: Contents::Bytes(html.into_bytes()),
            },
            fingerprint,
        )),
        Err(error) => Err(templates.error(&error, &format!("{what} (URL {})", url.path))),
    }
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
