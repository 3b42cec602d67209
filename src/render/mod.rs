//! Render: the linked [`Site`] and the compiled templates in, every output file out.
//!
//! Each output (a page, one pager of a section, a feed) is rendered from its own small context,
//! independently and in parallel. Nothing here touches the file system: copied files are listed
//! by path for the write stage.
//!
//! One render is a few steps ([`render_with`]): which pages are generated besides the author's
//! (search, graph, timeline), the globals every template sees, the templated outputs
//! ([`jobs`], one job each, in parallel), the site-wide files ([`site_wide`]: feeds, sitemap,
//! redirects, `syntax.css`, robots.txt), then the copied files, which win over generated ones.

pub(crate) mod context;
mod data;
mod explorer;
mod feeds;
mod fingerprint;
mod generated;
pub(crate) mod graph_svg;
mod jobs;
pub(crate) mod minify;
pub(crate) mod preview;
mod resize_image;
mod site_wide;
pub(crate) mod syntax_css;
pub(crate) mod templates;
pub(crate) mod timeline;
pub(crate) mod uses;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::files::{Contents, Output, Resize};
use crate::resolve::graph::{LayoutTable, Layouts, Links};
use crate::resolve::{PageKind, Site, Url};
use context::{config_view, site_view};
pub(crate) use data::SiteData;
use fingerprint::{Fingerprint, FingerprintWriter};
use jobs::{Graphs, Job, jobs, render_job};
pub(crate) use templates::Templates;

/// Where the built-in search page lives, below the base path.
pub(crate) const SEARCH_SLUG_PATH: &str = "search/";

/// Whether the search page is rendered: search is on, the templates have `search.html`, and no
/// content page, section or alias already owns `/search/`. An author's page there is an error
/// (`generated.rs`); it keeps the URL so that the error is reported once, not again by write.
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
    /// The fingerprint of every data file and static hash; each output's fingerprint has only
    /// those its template reads.
    data: Option<Fingerprint>,
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
    // A template that calls `resize_image` asks for copies while it renders, so every output
    // is rendered again (`resize_image.rs`): a kept one would ask for none.
    let unused = RenderMemo::default();
    let memo = if templates.calls("resize_image") {
        memo_with(&unused, None, site.pages.len())
    } else {
        memo_with(memo, changed, site.pages.len())
    };
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

    /// Whether every data file and static hash is what it was when the memo was made.
    fn unchanged_data(&self, data: Fingerprint) -> bool {
        self.memo.data == Some(data)
    }

    /// The kept output of `job` when it shows no changed page and the globals are unchanged.
    /// Page views show other pages only by title and URL, which a private change leaves alone;
    /// pagers show the summaries of their own pages. The other jobs show no page's text: the
    /// graph shows titles, URLs and links, the timeline front matter, the taxonomy lists terms
    /// and counts (front matter and inline tags), the explorer titles and URLs, the search and
    /// 404 pages only the globals,
    /// all of which a private change leaves alone; so they are kept without fingerprinting the
    /// site graph's SVG or the timeline again after every edit.
    fn unchanged(
        &self,
        site: &Site,
        job: &Job,
        globals: Fingerprint,
        data: Fingerprint,
    ) -> Option<(Output, Fingerprint)> {
        let dirty = self.dirty.as_ref()?;
        if !self.unchanged_globals(globals) || !self.unchanged_data(data) {
            return None;
        }
        let path = match job {
            Job::Page(p) => (!dirty[*p]).then(|| site.pages[*p].url.output_file())?,
            // A preview shows its page's body and the anchors others link to, which a private
            // change of another page leaves alone.
            Job::Preview(p) => (!dirty[*p]).then(|| preview::preview_file(&site.pages[*p]))?,
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
            Job::TaxonomyList(t) => site.taxonomies[*t].url.output_file(),
            Job::Graph(url) | Job::Timeline(url) | Job::Explorer(url) => url.output_file(),
            Job::NotFound => Url::new(&site.config, "404.html").output_file(),
            Job::Search => Url::new(&site.config, SEARCH_SLUG_PATH).output_file(),
        };
        let (fingerprint, bytes) = self.memo.entries.get(&path)?;
        let contents = Contents::Bytes(bytes.clone());
        Some((Output { path, contents }, *fingerprint))
    }
}

/// The pages render generates besides the site's own, each only when the theme has its
/// template and no page of the author's owns the URL.
struct Generated {
    search_page: bool,
    graph: Option<Url>,
    timeline: Option<Url>,
    explorer: Option<Url>,
    /// Link previews: a fragment for each page another document links to.
    previews: bool,
}

impl Generated {
    fn of(site: &Site, templates: &Templates) -> Generated {
        Generated {
            search_page: renders_search_page(site, templates),
            graph: graph_url(site, templates),
            timeline: timeline_url(site, templates),
            explorer: explorer_url(site, templates),
            previews: writes_previews(site, templates),
        }
    }
}

/// Whether pages get link previews: `[reader] previews` and the theme has `preview.html`.
fn writes_previews(site: &Site, templates: &Templates) -> bool {
    site.config.reader.previews && templates.has("preview.html")
}

/// Where the explorer goes: `/explorer/`, when `[reader] explorer` is on, the site has pages,
/// the theme has an `explorer.html`, and the URL is free.
fn explorer_url(site: &Site, templates: &Templates) -> Option<Url> {
    if !site.config.reader.explorer || site.pages.is_empty() || !templates.has("explorer.html") {
        return None;
    }
    free_url(site, "explorer/")
}

/// Renders every output into `emit`; with a `memo`, fingerprints each output's context to reuse
/// the unchanged ones and returns the next memo. Without one nothing is fingerprinted.
fn render_with(
    site: &Site,
    templates: &mut Templates,
    memo: Option<MemoWith<'_>>,
    emit: &(dyn Fn(Output) + Sync),
) -> (Vec<Diagnostic>, Option<RenderMemo>) {
    // Author outputs on generated paths, reported once here (located), not by the write stage.
    let clashes = generated::check(site, templates);
    let generated = Generated::of(site, templates);
    let images = Arc::new(resize_image::Images::of(site));
    {
        let images = Arc::clone(&images);
        templates
            .tera
            .register_function("resize_image", move |kwargs, state: &tera::State| {
                images.call(kwargs, state)
            });
    }
    let globals = set_globals(site, templates, &generated);
    let templates = &*templates;
    let search_page = generated.search_page;
    let previews = generated.previews;
    let jobs = jobs(site, templates, generated);
    let mut pass = Pass {
        site,
        next: memo.as_ref().map(|_| RenderMemo {
            globals: Some(globals),
            data: Some(templates.data.fingerprint()),
            ..RenderMemo::default()
        }),
        memo,
        globals,
        diagnostics: clashes,
    };
    // Copied files: a file of the site's own replaces a generated one of the same name (an error
    // but for `robots.txt`, `generated.rs`; among copied files, the later one wins).
    let mut copied: HashMap<&str, &Contents> = HashMap::with_capacity(site.assets.len());
    for file in &site.assets {
        copied.insert(&file.output, &file.asset.contents);
    }
    let deliver = |output: Output| {
        if !copied.contains_key(output.path.as_str()) {
            emit(output);
        }
    };
    let paths = pass.templated(templates, &jobs, previews, &deliver);
    for output in pass.site_wide(paths, search_page, &copied) {
        deliver(output);
    }
    // Resized images (for `srcset`s and `resize_image` calls) are described here and made by
    // whoever writes them: in parallel, since `steppe build` resizes each as it is handed on.
    let mut resized: Vec<(String, Arc<Resize>)> = images.requested();
    resized.extend(site.resized.iter().cloned());
    resized.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    resized.dedup_by(|a, b| a.0 == b.0);
    resized.into_par_iter().for_each(|(path, resize)| {
        deliver(Output {
            path,
            contents: Contents::Resized(resize),
        });
    });
    for (path, contents) in copied {
        emit(Output {
            path: path.to_string(),
            contents: contents.clone(),
        });
    }
    (pass.diagnostics, pass.next)
}

/// Puts what every template sees (`config`, `site`, `steppe`) into the templates' global
/// context, and returns the fingerprint of it and of the templates themselves.
fn set_globals(site: &Site, templates: &mut Templates, generated: &Generated) -> Fingerprint {
    let config = &site.config;
    let mut globals = FingerprintWriter::default();
    {
        let global = templates.tera.global_context();
        let steppe = SteppeView {
            version: env!("CARGO_PKG_VERSION"),
        };
        let (config_view, mut site_view) = (config_view(config), site_view(site));
        if generated.search_page {
            site_view.search_path = Some(Url::new(config, SEARCH_SLUG_PATH).path);
        }
        site_view.graph_path = generated.graph.as_ref().map(|u| u.path.as_str());
        site_view.timeline_path = generated.timeline.as_ref().map(|u| u.path.as_str());
        site_view.explorer_path = generated.explorer.as_ref().map(|u| u.path.as_str());
        globals.add("config", &config_view);
        globals.add("site", &site_view);
        globals.add("steppe", &steppe);
        global.insert("config", &config_view);
        global.insert("site", &site_view);
        global.insert("steppe", &steppe);
        // Not in the globals' fingerprint: each output's has the data its template reads.
        global.insert("data", templates.data.tree());
    }
    globals.add("templates", &templates.fingerprint_source());
    globals.finish()
}

/// One render of a site: the memo it reuses from, the memo it makes for the next render, and
/// the problems found.
struct Pass<'a> {
    site: &'a Site,
    memo: Option<MemoWith<'a>>,
    /// Fingerprint of what every output sees.
    globals: Fingerprint,
    next: Option<RenderMemo>,
    diagnostics: Vec<Diagnostic>,
}

impl Pass<'_> {
    /// Renders the jobs in parallel (a job whose output the memo still holds is taken from it),
    /// hands each output to `deliver`, and returns their paths.
    fn templated(
        &mut self,
        templates: &Templates,
        jobs: &[Job],
        previews: bool,
        deliver: &(dyn Fn(Output) + Sync),
    ) -> Vec<String> {
        let (site, memo, globals) = (self.site, self.memo.as_ref(), self.globals);
        // Who links to whom, once: every page's local graph is read from it.
        let links = Links::new(site);
        let layouts = Layouts::new(memo.map(|m| Arc::clone(&m.memo.layouts)));
        let graphs = Graphs {
            links: &links,
            layouts: &layouts,
            previews,
        };
        type Rendered = Result<(String, Option<(Fingerprint, bytes::Bytes)>), Diagnostic>;
        let rendered: Vec<Rendered> = jobs
            .par_iter()
            .map(|job| {
                let data = templates.data.fingerprint();
                let kept = memo.and_then(|m| m.unchanged(site, job, globals, data));
                let (output, fingerprint) = match kept {
                    Some((output, fingerprint)) => (output, Some(fingerprint)),
                    None => {
                        render_job(site, templates, &graphs, job, globals, memo.map(|m| m.memo))?
                    }
                };
                let kept = match (fingerprint, &output.contents) {
                    (Some(fingerprint), Contents::Bytes(bytes)) => {
                        Some((fingerprint, bytes.clone()))
                    }
                    _ => None,
                };
                let path = output.path.clone();
                deliver(output);
                Ok((path, kept))
            })
            .collect();
        if let Some(next) = &mut self.next {
            let mut table = layouts.into_table();
            // After private changes only, the links are the ones the previous render laid out:
            // its layouts still hold for the jobs kept without rendering, for the next render.
            // Every layout this render used is then one of them, so the table is shared as is.
            next.layouts = match memo.filter(|m| m.dirty.is_some()) {
                Some(memo) if table.keys().all(|key| memo.memo.layouts.contains_key(key)) => {
                    Arc::clone(&memo.memo.layouts)
                }
                Some(memo) => {
                    for (key, positions) in memo.memo.layouts.iter() {
                        table
                            .entry(key.clone())
                            .or_insert_with(|| Arc::clone(positions));
                    }
                    Arc::new(table)
                }
                None => Arc::new(table),
            };
        }
        let mut paths = Vec::with_capacity(rendered.len());
        for result in rendered {
            match result {
                Ok((path, kept)) => {
                    if let (Some(next), Some(kept)) = (&mut self.next, kept) {
                        next.entries.insert(path.clone(), kept);
                    }
                    paths.push(path);
                }
                Err(diagnostic) => self.diagnostics.push(diagnostic),
            }
        }
        paths
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

/// The URL `slug_path` unless a page, section, taxonomy or alias of the site already has it: that
/// is an error (`generated.rs`), and the author's page keeps the URL so it is reported once.
fn free_url(site: &Site, slug_path: &str) -> Option<Url> {
    let url = Url::new(&site.config, slug_path);
    let file = url.output_file();
    let taken =
        authored_url(site, &url) || site.taxonomies.iter().any(|t| t.url.output_file() == file);
    (!taken).then_some(url)
}

/// Whether a page, a section's listing or an alias of the author's has the URL `url`.
pub(super) fn authored_url(site: &Site, url: &Url) -> bool {
    let file = url.output_file();
    site.sections
        .iter()
        .filter(|s| s.has_listing())
        .map(|s| &s.url)
        .chain(site.pages.iter().map(|p| &p.url))
        .chain(site.aliases.iter().map(|a| &a.from))
        .any(|u| u.output_file() == file)
}

/// How many pages a section's listing shows per pager: its `paginate_by`, else the site's.
fn section_per_page(site: &Site, section: &crate::resolve::Section) -> usize {
    section
        .doc
        .as_ref()
        .and_then(|d| d.front.paginate_by)
        .unwrap_or(site.config.pagination.per_page)
        .max(1)
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
