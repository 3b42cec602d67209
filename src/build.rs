//! The whole pipeline, wired: load → parse → resolve → render → search → write, with per-stage
//! timings.
//!
//! [`build_in_memory`] is the pure middle (no file system access) shared by `build`, `check` and
//! the dev server; [`build`] adds loading and publishing around it, and for
//! `check --external` the network check of external links ([`crate::external`]) at the end.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::cache;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, sort_and_dedup};
use crate::external::{self, ExternalLink, ExternalStats};
use crate::files::{Output, SiteFiles, Source};
use crate::load;
use crate::output;
use crate::parse::{self, Doc, Shortcodes, highlight::Highlighter};
use crate::render::{self, RenderMemo, Templates};
use crate::resolve::{self, ResolveInput, ResolveOptions};
use crate::search;

/// What the command line asked for.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root (the folder holding `site.toml`).
    pub root: PathBuf,
    /// Another configuration file instead of `<root>/site.toml`.
    pub config_file: Option<PathBuf>,
    /// Overrides `output_dir` from site.toml.
    pub output_dir: Option<PathBuf>,
    /// Overrides `base_url` from site.toml.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// False for `steppe check`: run everything, write nothing.
    pub write: bool,
    /// `steppe check --external`: also fetch every external link ([`external::check`]).
    pub external: bool,
    /// `--allow-private`: external links to this computer and private networks are fetched too.
    pub allow_private: bool,
}

/// Wall time of each stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub load: Duration,
    pub parse: Duration,
    pub resolve: Duration,
    pub render: Duration,
    /// Zero when `[search] enabled = false`.
    pub search: Duration,
    pub write: Duration,
    /// Checking external links (`check --external` only).
    pub external: Duration,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default)]
pub struct BuildSummary {
    pub pages: usize,
    pub sections: usize,
    pub files_written: usize,
    pub output_dir: PathBuf,
    pub timings: Timings,
    pub total: Duration,
    /// Set when external links were checked.
    pub external: Option<ExternalStats>,
}

/// Everything a build reports: all diagnostics, and counts when it got far enough.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Option<BuildSummary>,
}

impl BuildReport {
    pub(crate) fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The outputs of a site, computed from files already loaded. Pure: reads and writes nothing.
pub struct InMemoryBuild {
    pub outputs: Vec<Output>,
    pub diagnostics: Vec<Diagnostic>,
    /// The search index still to build, from a memoized build with search on: the dev server
    /// serves the pages first (see [`build_in_memory_memoized`]). Else it is in `outputs`.
    pub search: Option<search::Pending>,
    /// External links of the documents built (drafts only when they are included).
    pub external_links: Vec<ExternalLink>,
    pub pages: usize,
    pub sections: usize,
    pub timings: Timings,
}

/// Where a running build is, for a progress bar drawn by the caller on another thread.
/// Only counters: the stages stay free of I/O.
#[derive(Debug, Default)]
pub struct Progress {
    stage: std::sync::atomic::AtomicUsize,
    done: std::sync::atomic::AtomicUsize,
    total: std::sync::atomic::AtomicUsize,
}

/// Stage names in the order a build goes through them.
pub(crate) const STAGES: [&str; 6] = ["load", "parse", "resolve", "render", "write", "done"];

impl Progress {
    fn enter(&self, stage: usize, total: usize) {
        use std::sync::atomic::Ordering::Relaxed;
        self.total.store(total, Relaxed);
        self.done.store(0, Relaxed);
        self.stage.store(stage, Relaxed);
    }

    fn step(&self) {
        self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// `(stage name, items done, items in this stage)`; the total is 0 when not counted.
    pub fn snapshot(&self) -> (&'static str, usize, usize) {
        use std::sync::atomic::Ordering::Relaxed;
        let stage = STAGES[self.stage.load(Relaxed).min(STAGES.len() - 1)];
        (stage, self.done.load(Relaxed), self.total.load(Relaxed))
    }
}

/// Reads the configuration, applying command-line overrides.
pub(crate) fn load_config(options: &BuildOptions) -> Result<Config, Vec<Diagnostic>> {
    let config = load::load_config(&options.root, options.config_file.as_deref())?;
    if options.output_dir.is_none() && config.output_dir_leaves_the_site() {
        return Err(vec![output_dir_outside(options, &config)]);
    }
    Ok(Config {
        base_url: options.base_url.clone().unwrap_or(config.base_url.clone()),
        output_dir: options
            .output_dir
            .clone()
            .unwrap_or(config.output_dir.clone()),
        ..config
    })
}

/// `output_dir` in site.toml leads out of the site, located at its key.
fn output_dir_outside(options: &BuildOptions, config: &Config) -> Diagnostic {
    let file = options
        .config_file
        .clone()
        .unwrap_or_else(|| options.root.join("site.toml"));
    // The driver reads the file again only to point at the key.
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let shown = load::display_path(&options.root, &file);
    let dir = config.output_dir.display();
    Diagnostic::error(format!(
        "`output_dir` leads out of the site folder: `{dir}`"
    ))
    .at(crate::config::key_location(&shown, &text, "output_dir"))
    .with_hint(format!(
        "a site's own settings only write inside it; to build elsewhere, say so on the command \
         line: `steppe build --output-dir {dir}`"
    ))
}

/// What one build keeps for the next: parsed documents by source, rendered outputs by context.
/// Reusing them is exact, never a guess: a document is reused only for identical text under an
/// identical configuration, an output only for an identical context and template set.
#[derive(Default)]
pub(crate) struct Memo {
    config: Option<Config>,
    /// Sources and their documents, sorted by path.
    docs: Vec<(Source, Arc<Doc>)>,
    /// The shortcodes' fingerprints when `docs` were parsed: a document is reused only while
    /// every shortcode it called has the same (or is still missing).
    shortcodes: crate::parse::shortcodes::Fingerprints,
    resolve: Option<resolve::ResolveMemo>,
    render: RenderMemo,
    /// The data files and static hashes last parsed, with what parsing them found.
    data: Option<KeptData>,
}

/// Data files parsed by an earlier build of the dev server.
struct KeptData {
    files: Vec<crate::files::DataFile>,
    hashes: std::collections::BTreeMap<String, String>,
    data: Arc<render::SiteData>,
    diagnostics: Vec<Diagnostic>,
}

/// The build's data files parsed, or the memo's when they are the same files with the same
/// text.
fn site_data(
    files: &SiteFiles,
    memo: Option<&mut Memo>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Arc<render::SiteData> {
    if let Some(Memo {
        data: Some(kept), ..
    }) = &memo
        && kept.files == files.data
        && kept.hashes == files.static_hashes
    {
        diagnostics.extend(kept.diagnostics.iter().cloned());
        return Arc::clone(&kept.data);
    }
    let (data, found) = render::SiteData::new(&files.data, &files.static_hashes);
    let data = Arc::new(data);
    diagnostics.extend(found.iter().cloned());
    if let Some(memo) = memo {
        memo.data = Some(KeptData {
            files: files.data.clone(),
            hashes: files.static_hashes.clone(),
            data: Arc::clone(&data),
            diagnostics: found,
        });
    }
    data
}

/// The document parsed from `source` before, if its text is unchanged. `docs` is sorted by path;
/// `source` is usually at `position` (the sources of a site are sorted by path too).
fn memoized<'a>(
    docs: &'a [(Source, Arc<Doc>)],
    position: usize,
    source: &Source,
    shortcodes: (&crate::parse::shortcodes::Fingerprints, &Shortcodes),
) -> Option<&'a Arc<Doc>> {
    let at = match docs.get(position) {
        Some((kept, _)) if kept.path == source.path => position,
        _ => docs
            .binary_search_by(|(kept, _)| kept.path.cmp(&source.path))
            .ok()?,
    };
    let (kept, doc) = &docs[at];
    let (before, now) = shortcodes;
    let same_shortcodes = doc
        .body
        .shortcodes
        .iter()
        .all(|name| before.of(name) == now.fingerprint(name));
    (same_shortcodes && source.same_text(&kept.text)).then_some(doc)
}

/// Runs parse, resolve, render and search over loaded files.
pub fn build_in_memory(
    config: Arc<Config>,
    files: &SiteFiles,
    highlighter: &Highlighter,
    options: ResolveOptions,
    progress: &Progress,
) -> InMemoryBuild {
    let run = Run {
        config,
        highlighter,
        options,
        progress,
    };
    run.stages(Cow::Borrowed(files), Mode::Collect)
}

/// [`build_in_memory`], reusing and refreshing `memo`. The outputs are byte-identical to a
/// build without a memo, except that the search index is left to build
/// ([`InMemoryBuild::search`]): Pagefind reads every page, which at thousands of pages takes
/// seconds, and the dev server shows the pages before that.
pub(crate) fn build_in_memory_memoized(
    config: Arc<Config>,
    files: &SiteFiles,
    highlighter: &Highlighter,
    options: ResolveOptions,
    progress: &Progress,
    memo: &mut Memo,
) -> InMemoryBuild {
    let run = Run {
        config,
        highlighter,
        options,
        progress,
    };
    run.stages(Cow::Borrowed(files), Mode::Memoized(memo))
}

/// How the stages of one build run for their caller: what is kept, and where outputs go.
enum Mode<'a> {
    /// A one-off build ([`build_in_memory`], `steppe check`): outputs collected in memory,
    /// nothing fingerprinted or kept.
    Collect,
    /// The dev server's build: documents, the resolved site and the rendered outputs kept in the
    /// memo for the next build; the search index left to build after the pages are served.
    Memoized(&'a mut Memo),
    /// `steppe build`: each output handed on as soon as it is rendered, so the rendered site is
    /// never in memory at once.
    Stream(&'a (dyn Fn(Output) + Sync)),
}

impl Mode<'_> {
    fn memo(&mut self) -> Option<&mut Memo> {
        match self {
            Mode::Memoized(memo) => Some(memo),
            Mode::Collect | Mode::Stream(_) => None,
        }
    }
}

/// What every stage of one build reads.
struct Run<'a> {
    config: Arc<Config>,
    highlighter: &'a Highlighter,
    options: ResolveOptions,
    progress: &'a Progress,
}

/// The resolved site: owned by a one-off build, or kept in the dev server's memo together with
/// what render may reuse.
enum Resolved<'m> {
    Owned(resolve::Site),
    Kept {
        site: &'m resolve::Site,
        render: &'m mut RenderMemo,
        change: resolve::Change,
    },
}

impl Resolved<'_> {
    fn site(&self) -> &resolve::Site {
        match self {
            Resolved::Owned(site) => site,
            Resolved::Kept { site, .. } => site,
        }
    }
}

/// Which rendered outputs the search index reads: pages, not redirects, and not the search page.
struct Indexed {
    search_page: String,
    redirects: HashSet<String>,
}

impl Indexed {
    fn of(site: &resolve::Site) -> Indexed {
        Indexed {
            search_page: format!("{}index.html", render::SEARCH_SLUG_PATH),
            redirects: site.aliases.iter().map(|a| a.from.output_file()).collect(),
        }
    }

    fn wants(&self, output: &Output) -> bool {
        search::is_indexable(output, &self.redirects, &self.search_page)
    }
}

/// What a streaming render keeps of the outputs it hands on, for the search index: the pages
/// it indexes and every path (a file of the site's own under `pagefind/` wins). Only with
/// search on; it is all that stays in memory.
#[derive(Default)]
struct Streamed {
    indexable: Mutex<Vec<Output>>,
    paths: Mutex<HashSet<String>>,
}

impl Run<'_> {
    /// The stages; with [`Mode::Collect`] or [`Mode::Stream`] nothing is fingerprinted or kept.
    /// Given owned `files`, the Markdown sources are freed once parsed.
    fn stages(&self, mut files: Cow<'_, SiteFiles>, mut mode: Mode<'_>) -> InMemoryBuild {
        let mut timings = Timings::default();
        let mut diagnostics = Vec::new();

        let start = Instant::now();
        let (shortcodes, found) = Shortcodes::compile(&files.templates, &self.config);
        diagnostics.extend(found);
        let docs = self.parse(&mut files, &shortcodes, mode.memo());
        drop(shortcodes);
        let external_links = self.parse_findings(&docs, &mut diagnostics);
        timings.parse = start.elapsed();

        let start = Instant::now();
        self.progress.enter(2, 0);
        let input = ResolveInput {
            config: Arc::clone(&self.config),
            docs: &docs,
            content_assets: &files.content_assets,
            statics: &files.statics,
            options: self.options,
        };
        // A memoized build is the dev server's: it builds the search index after showing the
        // pages.
        let defer_search = matches!(mode, Mode::Memoized(_));
        let emit = match mode {
            Mode::Stream(emit) => Some(emit),
            Mode::Collect | Mode::Memoized(_) => None,
        };
        // Data files are parsed before resolve borrows the memo; render reads them.
        let data = site_data(&files, mode.memo(), &mut diagnostics);
        let resolved = resolve_site(&input, mode.memo(), &mut diagnostics);
        timings.resolve = start.elapsed();

        let start = Instant::now();
        self.progress.enter(3, 0);
        let indexed = Indexed::of(resolved.site());
        let (pages, sections) = (resolved.site().pages.len(), resolved.site().sections.len());
        let streamed = Streamed::default();
        let mut outputs = match Templates::compile(&files.templates, &self.config, data) {
            Ok(mut templates) => {
                let (outputs, found) =
                    self.render(resolved, &mut templates, emit, &indexed, &streamed);
                diagnostics.extend(found);
                outputs
            }
            Err(found) => {
                diagnostics.extend(found);
                Vec::new()
            }
        };
        timings.render = start.elapsed();
        // The documents and sources are not needed past render: freed before the search
        // index, the peak of a build's memory (the dev server's memo keeps its own references).
        drop(input);
        drop(docs);
        drop(files);

        let mut search = None;
        if self.config.search.enabled {
            let start = Instant::now();
            let mut pending = pending_search(&outputs, &indexed, streamed);
            if defer_search {
                search = Some(pending);
            } else {
                // The pages go to the index by value: it lets go of each once it is read.
                let pages = std::mem::take(&mut pending.pages);
                let built = pending.keep_free(&search::index(pages));
                diagnostics.extend(built.diagnostics);
                match emit {
                    Some(emit) => built.outputs.into_iter().for_each(emit),
                    None => outputs.extend(built.outputs),
                }
            }
            timings.search = start.elapsed();
        }

        InMemoryBuild {
            outputs,
            diagnostics,
            search,
            external_links,
            pages,
            sections,
            timings,
        }
    }

    /// Every source parsed in parallel, a document reused from `memo` when its text is
    /// unchanged; the memo then holds this build's sources and documents.
    fn parse(
        &self,
        files: &mut Cow<'_, SiteFiles>,
        shortcodes: &Shortcodes,
        mut memo: Option<&mut Memo>,
    ) -> Vec<Arc<Doc>> {
        let (config, highlighter, progress) = (&self.config, self.highlighter, self.progress);
        progress.enter(1, files.content.len());
        if let Some(memo) = memo.as_deref_mut()
            && memo.config.as_ref() != Some(&**config)
        {
            memo.docs.clear();
            memo.config = Some((**config).clone());
        }
        let previous = memo.as_deref().map(|m| (m.docs.as_slice(), &m.shortcodes));
        let docs: Vec<Arc<Doc>> = match files {
            // Each source is freed as soon as it is parsed.
            Cow::Owned(owned) => std::mem::take(&mut owned.content)
                .into_par_iter()
                .map(|source| {
                    let doc = Arc::new(parse::parse_doc_with(
                        &source,
                        config,
                        highlighter,
                        shortcodes,
                    ));
                    progress.step();
                    doc
                })
                .collect(),
            Cow::Borrowed(files) => files
                .content
                .par_iter()
                .enumerate()
                .map(|(i, source)| {
                    let kept = previous
                        .and_then(|(docs, before)| memoized(docs, i, source, (before, shortcodes)));
                    let doc = match kept {
                        Some(doc) => Arc::clone(doc),
                        None => Arc::new(parse::parse_doc_with(
                            source,
                            config,
                            highlighter,
                            shortcodes,
                        )),
                    };
                    progress.step();
                    doc
                })
                .collect(),
        };
        if let Some(memo) = memo {
            memo.shortcodes = shortcodes.fingerprints();
            // Shared, not copied: the texts and documents are reference-counted.
            memo.docs = files
                .content
                .iter()
                .zip(&docs)
                .map(|(source, doc)| (source.clone(), Arc::clone(doc)))
                .collect();
            if !memo.docs.is_sorted_by(|a, b| a.0.path <= b.0.path) {
                memo.docs.sort_by(|a, b| a.0.path.cmp(&b.0.path));
            }
        }
        docs
    }

    /// The parse diagnostics of the documents built (drafts only when included), the one note
    /// each on plugin blocks and unknown languages, and the external links to check.
    fn parse_findings(
        &self,
        docs: &[Arc<Doc>],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<ExternalLink> {
        let mut external_links = Vec::new();
        let mut plugin_blocks = Vec::new();
        let mut unknown_languages = Vec::new();
        for doc in docs {
            if self.options.drafts || !doc.front.draft {
                diagnostics.extend(doc.diagnostics.iter().cloned());
                external_links.extend(doc.body.external_links.iter().cloned());
                plugin_blocks.extend(&doc.body.plugin_blocks);
                unknown_languages.extend(&doc.body.unknown_languages);
            }
        }
        // One note for the whole build, made from every document (memoized or not) each time.
        diagnostics.extend(parse::markdown::plugin_blocks_note(plugin_blocks));
        diagnostics.extend(parse::markdown::unknown_languages_note(unknown_languages));
        external_links
    }

    /// Renders the site: from the memo, into `emit` (keeping what search needs in `streamed`),
    /// or collected.
    fn render(
        &self,
        resolved: Resolved<'_>,
        templates: &mut Templates,
        emit: Option<&(dyn Fn(Output) + Sync)>,
        indexed: &Indexed,
        streamed: &Streamed,
    ) -> (Vec<Output>, Vec<Diagnostic>) {
        match (resolved, emit) {
            (
                Resolved::Kept {
                    site,
                    render,
                    change,
                },
                _,
            ) => {
                let changed = match &change {
                    resolve::Change::All => None,
                    resolve::Change::Pages(pages) => Some(pages.as_slice()),
                };
                let (outputs, found, next) =
                    render::render_memoized(site, templates, render, changed);
                *render = next;
                (outputs, found)
            }
            (Resolved::Owned(site), Some(emit)) => {
                let found = render::render_into(&site, templates, &|output| {
                    if self.config.search.enabled {
                        lock(&streamed.paths).insert(output.path.clone());
                        if indexed.wants(&output) {
                            lock(&streamed.indexable).push(output.clone());
                        }
                    }
                    emit(output);
                });
                (Vec::new(), found)
            }
            (Resolved::Owned(site), None) => render::render(&site, templates),
        }
    }
}

/// Resolves the documents: from scratch for a one-off build, or reusing the dev server's memo.
fn resolve_site<'m>(
    input: &ResolveInput<'_>,
    memo: Option<&'m mut Memo>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Resolved<'m> {
    match memo {
        Some(Memo {
            resolve: kept,
            render,
            ..
        }) => {
            let (found, change) = resolve::resolve_memoized(input, kept);
            diagnostics.extend(found);
            let Some(kept) = kept.as_ref() else {
                unreachable!("resolve_memoized keeps the site it resolved")
            };
            Resolved::Kept {
                site: kept.site(),
                render,
                change,
            }
        }
        None => {
            let (site, found) = resolve::resolve(input);
            diagnostics.extend(found);
            Resolved::Owned(site)
        }
    }
}

/// The pages to index, in path order (Pagefind's bundle depends on the order pages are added),
/// and every output path, streamed or collected.
fn pending_search(outputs: &[Output], indexed: &Indexed, streamed: Streamed) -> search::Pending {
    let mut pages = streamed
        .indexable
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    pages.extend(outputs.iter().filter(|o| indexed.wants(o)).cloned());
    pages.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    // A file of the site's own under pagefind/ wins, as for every generated file.
    let mut taken = streamed
        .paths
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    taken.extend(outputs.iter().map(|o| o.path.clone()));
    search::Pending { pages, taken }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `steppe build` and `steppe check`: the whole pipeline, publishing only an error-free site.
pub fn build(options: &BuildOptions, progress: &Progress) -> BuildReport {
    let started = Instant::now();
    let mut report = BuildReport::default();
    let config = match load_config(options) {
        Ok(config) => Arc::new(config),
        Err(diagnostics) => {
            report.diagnostics = diagnostics;
            return report;
        }
    };
    let output_dir = absolute(&options.root, &config.output_dir);
    // `output` joins the site root itself: give it the folder relative to the root, or a
    // relative `--root` would be applied twice (`a/a/public`).
    let output_in_root = absolute(Path::new("."), &config.output_dir);
    if options.write
        && let Err(diagnostic) =
            output::check_output_dir(&options.root, &output_in_root).and_then(|()| {
                output::check_output_outside_content(
                    &options.root,
                    &output_in_root,
                    &config.content_dir,
                )
            })
    {
        report.diagnostics.push(diagnostic);
        return report;
    }
    if options.write
        && options.base_url.is_none()
        && options.config_file.is_none()
        && !load::has_config_file(&options.root)
    {
        report.diagnostics.push(unset_base_url());
    }

    let start = Instant::now();
    progress.enter(0, 0);
    let (files, found) = load::load(&options.root, &config);
    report.diagnostics.extend(found);
    let load_time = start.elapsed();

    let mut highlighter = if config.highlighting.enabled {
        Highlighter::new()
    } else {
        Highlighter::plain()
    };
    // The highlight cache is read and written here, around the stages, never by them.
    let mut highlight_stream = None;
    if config.highlighting.enabled {
        report
            .diagnostics
            .extend(cache::load_highlighted(&options.root, &mut highlighter));
        if options.write {
            match cache::HighlightStream::start(&options.root, &mut highlighter) {
                Ok(stream) => highlight_stream = Some(stream),
                Err(diagnostic) => report.diagnostics.push(diagnostic),
            }
        }
    }
    // Outputs go to a staging folder as they are rendered; it becomes the output folder only
    // if the whole build succeeds, and is deleted otherwise.
    let mut staging = None;
    if options.write {
        match output::Staging::begin(&options.root, &output_in_root) {
            Ok(opened) => staging = Some(opened),
            Err(diagnostic) => report.diagnostics.push(diagnostic),
        }
    }
    let emit = |output: Output| {
        if let Some(staging) = &staging {
            staging.write(&output);
        }
    };
    let run = Run {
        config: Arc::clone(&config),
        highlighter: &highlighter,
        options: ResolveOptions {
            drafts: options.drafts,
        },
        progress,
    };
    let mode = if options.write {
        Mode::Stream(&emit)
    } else {
        Mode::Collect
    };
    let built = run.stages(Cow::Owned(files), mode);
    report.diagnostics.extend(built.diagnostics);
    if let Some(stream) = highlight_stream
        && let Err(diagnostic) = stream.finish(&highlighter)
    {
        report.diagnostics.push(diagnostic);
    }
    let mut timings = built.timings;
    timings.load = load_time;
    let mut external_stats = None;
    if options.external {
        let start = Instant::now();
        let (found, stats) = external::check(
            &options.root,
            &config.links,
            &built.external_links,
            options.allow_private,
        );
        report.diagnostics.extend(found);
        external_stats = Some(stats);
        timings.external = start.elapsed();
    }
    sort_and_dedup(&mut report.diagnostics);

    let mut files_written = 0;
    if let Some(staging) = staging
        && !report.has_errors()
    {
        let start = Instant::now();
        progress.enter(4, 0);
        match staging.publish() {
            Ok(stats) => files_written = stats.files_written,
            Err(diagnostic) => report.diagnostics.push(diagnostic),
        }
        timings.write = start.elapsed();
    }
    report.summary = Some(BuildSummary {
        pages: built.pages,
        sections: built.sections,
        files_written,
        output_dir: load::display_path(&options.root, &output_dir),
        timings,
        total: started.elapsed(),
        external: external_stats,
    });
    report
}

/// Said once per build of a site without site.toml: without `base_url`, the URLs that must be
/// absolute cannot be.
fn unset_base_url() -> Diagnostic {
    Diagnostic::note(
        "`base_url` is not set, so feeds, the sitemap and canonical links use URLs relative to \
         the site's root (`/atom.xml`)",
    )
    .with_hint(
        "create a site.toml with `base_url = \"https://example.com/\"` (the address the site \
         is published at), or pass `--base-url URL` to `steppe build`",
    )
}

/// `path` below `root` unless absolute, without `.` segments (`./.` reads badly in messages).
fn absolute(root: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        root.join(path)
    };
    let cleaned: PathBuf = joined
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if cleaned.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        cleaned
    }
}
