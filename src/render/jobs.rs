//! Jobs: one unit of rendering work per templated output (a page, a pager of a section or a
//! term, a taxonomy list, a generated page), each rendered from its own small context.
//!
//! With a memo, a job's context is first serialized into a fingerprint only; the Tera context is
//! built, and the template rendered, only when the memo holds no output of that fingerprint.

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::files::{Contents, Output};
use crate::resolve::graph::{Layouts, Links};
use crate::resolve::{Site, Url};

use super::context::{
    GraphView, Paginator, page_summary, page_view, recently_updated, section_view,
};
use super::fingerprint::{Fingerprint, FingerprintWriter};
use super::{
    Generated, RenderMemo, SEARCH_SLUG_PATH, Templates, authored_url, explorer, graph_svg,
    pager_ranges, pager_url, preview, section_per_page, timeline,
};

/// One unit of rendering work; each becomes exactly one output file.
pub(super) enum Job {
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
    /// The link preview of a page another document links to.
    Preview(usize),
    /// Every section and page as a folder tree, at its URL.
    Explorer(Url),
}

/// Every templated output of the site, one job each: pages, section and term pagers, taxonomy
/// lists, then the generated pages.
pub(super) fn jobs(site: &Site, templates: &Templates, generated: Generated) -> Vec<Job> {
    let config = &site.config;
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    for (s, section) in site.sections.iter().enumerate() {
        if !section.has_listing() {
            continue;
        }
        let per_page = section_per_page(site, section);
        for (n, range) in pager_ranges(section.pages.len(), per_page) {
            jobs.push(Job::Section(s, n, range));
        }
    }
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        if taxonomy.terms.is_empty() {
            continue;
        }
        // An author's page at `/tags/` wins over the generated list of tags, as at `/search/`.
        if !authored_url(site, &taxonomy.url) {
            jobs.push(Job::TaxonomyList(t));
        }
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
    if generated.search_page {
        jobs.push(Job::Search);
    }
    if let Some(url) = generated.graph {
        jobs.push(Job::Graph(url));
    }
    if let Some(url) = generated.timeline {
        jobs.push(Job::Timeline(url));
    }
    if let Some(url) = generated.explorer {
        jobs.push(Job::Explorer(url));
    }
    if generated.previews {
        let linked = site.pages.iter().enumerate();
        jobs.extend(
            linked
                .filter(|(_, page)| !page.backlinks.is_empty())
                .map(|(p, _)| Job::Preview(p)),
        );
    }
    jobs
}

/// The link graph of the site, and the layouts of its drawings.
pub(super) struct Graphs<'a> {
    pub(super) links: &'a Links,
    pub(super) layouts: &'a Layouts,
    /// Whether linked pages have previews: a page then lists the pages it links to.
    pub(super) previews: bool,
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

pub(super) fn render_job(
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
            fingerprint.add("reads", &templates.reads(&template));
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
        Ok(html) => {
            let path = url.output_file();
            let bytes = if site.config.output.minify && path.ends_with(".html") {
                super::minify::html(&html)
            } else {
                html.into_bytes()
            };
            let contents = Contents::Bytes(bytes.into());
            Ok((Output { path, contents }, fingerprint))
        }
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
            if graphs.previews {
                view.previews = graphs
                    .links
                    .outgoing(*p)
                    .iter()
                    .map(|&t| site.pages[t].url.path.as_str())
                    .collect();
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
            let per_page = section_per_page(site, section);
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
            // The home page's first pager lists the pages updated last.
            let count = site.config.reader.recently_updated;
            if *s == 0 && *n == 1 && count > 0 {
                context.insert("recently_updated", &recently_updated(site, count));
            }
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
        Job::Explorer(url) => {
            context.insert("explorer", &explorer::explorer(site));
            ("explorer.html".into(), url.clone(), "the explorer".into())
        }
        Job::Preview(p) => {
            let page = &site.pages[*p];
            context.insert("preview", &preview::preview_view(site, page));
            let file = preview::preview_file(page);
            (
                "preview.html".into(),
                Url::new(&site.config, &file),
                format!("the preview of {}", page.doc.path.display()),
            )
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
