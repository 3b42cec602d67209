//! The whole pipeline, wired: load → parse → resolve → render → search → write, with per-stage
//! timings.
//!
//! [`build_in_memory`] is the pure middle (no file system access) shared by `build`, `check` and
//! the dev server; [`build`] adds loading and publishing around it, and for
//! `check --external` the network check of external links ([`crate::external`]) at the end.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::cache;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, sort_and_dedup};
use crate::external::{self, ExternalLink, ExternalStats};
use crate::files::{Output, SiteFiles, Source};
use crate::load;
use crate::output;
use crate::parse::{self, Doc, highlight::Highlighter};
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
    pub fn has_errors(&self) -> bool {
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
pub const STAGES: [&str; 6] = ["load", "parse", "resolve", "render", "write", "done"];

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
pub fn load_config(options: &BuildOptions) -> Result<Config, Vec<Diagnostic>> {
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
pub struct Memo {
    config: Option<Config>,
    /// Sources and their documents, sorted by path.
    docs: Vec<(Source, Arc<Doc>)>,
    resolve: Option<resolve::ResolveMemo>,
    render: RenderMemo,
}

/// The document parsed from `source` before, if its text is unchanged. `docs` is sorted by path;
/// `source` is usually at `position` (the sources of a site are sorted by path too).
fn memoized<'a>(
    docs: &'a [(Source, Arc<Doc>)],
    position: usize,
    source: &Source,
) -> Option<&'a Arc<Doc>> {
    let at = match docs.get(position) {
        Some((kept, _)) if kept.path == source.path => position,
        _ => docs
            .binary_search_by(|(kept, _)| kept.path.cmp(&source.path))
            .ok()?,
    };
    let (kept, doc) = &docs[at];
    source.same_text(&kept.text).then_some(doc)
}

/// Runs parse, resolve, render and search over loaded files.
pub fn build_in_memory(
    config: Arc<Config>,
    files: &SiteFiles,
    highlighter: &Highlighter,
    options: ResolveOptions,
    progress: &Progress,
) -> InMemoryBuild {
    run_in_memory(
        config,
        Cow::Borrowed(files),
        highlighter,
        options,
        progress,
        None,
        None,
    )
}

/// [`build_in_memory`], reusing and refreshing `memo`. The outputs are byte-identical to a
/// build without a memo, except that the search index is left to build
/// ([`InMemoryBuild::search`]): Pagefind reads every page, which at thousands of pages takes
/// seconds, and the dev server shows the pages before that.
pub fn build_in_memory_memoized(
    config: Arc<Config>,
    files: &SiteFiles,
    highlighter: &Highlighter,
    options: ResolveOptions,
    progress: &Progress,
    memo: &mut Memo,
) -> InMemoryBuild {
    run_in_memory(
        config,
        Cow::Borrowed(files),
        highlighter,
        options,
        progress,
        Some(memo),
        None,
    )
}

/// The stages; with no `memo` (a one-off build) nothing is fingerprinted or kept. Given owned
/// `files`, the Markdown sources are freed once parsed.
fn run_in_memory(
    config: Arc<Config>,
    mut files: Cow<'_, SiteFiles>,
    highlighter: &Highlighter,
    options: ResolveOptions,
    progress: &Progress,
    mut memo: Option<&mut Memo>,
    emit: Option<&(dyn Fn(Output) + Sync)>,
) -> InMemoryBuild {
    let mut timings = Timings::default();
    let mut diagnostics = Vec::new();
    let mut external_links = Vec::new();

    let start = Instant::now();
    progress.enter(1, files.content.len());
    if let Some(memo) = memo.as_deref_mut()
        && memo.config.as_ref() != Some(&*config)
    {
        memo.docs.clear();
        memo.config = Some((*config).clone());
    }
    let previous = memo.as_deref().map(|m| m.docs.as_slice());
    // A memoized build is the dev server's: it builds the search index after showing the pages.
    let defer_search = memo.is_some();
    let docs: Vec<Arc<Doc>> = match &mut files {
        // Each source is freed as soon as it is parsed.
        Cow::Owned(owned) => std::mem::take(&mut owned.content)
            .into_par_iter()
            .map(|source| {
                let doc = Arc::new(parse::parse_doc(&source, &config, highlighter));
                progress.step();
                doc
            })
            .collect(),
        Cow::Borrowed(files) => files
            .content
            .par_iter()
            .enumerate()
            .map(|(i, source)| {
                let doc = match previous.and_then(|docs| memoized(docs, i, source)) {
                    Some(doc) => Arc::clone(doc),
                    None => Arc::new(parse::parse_doc(source, &config, highlighter)),
                };
                progress.step();
                doc
            })
            .collect(),
    };
    if let Some(memo) = memo.as_deref_mut() {
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
    let mut plugin_blocks = Vec::new();
    let mut unknown_languages = Vec::new();
    for doc in &docs {
        if options.drafts || !doc.front.draft {
            diagnostics.extend(doc.diagnostics.iter().cloned());
            external_links.extend(doc.body.external_links.iter().cloned());
            plugin_blocks.extend(&doc.body.plugin_blocks);
            unknown_languages.extend(&doc.body.unknown_languages);
        }
    }
    // One note for the whole build, made from every document (memoized or not) each time.
    diagnostics.extend(parse::markdown::plugin_blocks_note(plugin_blocks));
    diagnostics.extend(parse::markdown::unknown_languages_note(unknown_languages));
    timings.parse = start.elapsed();

    let start = Instant::now();
    progress.enter(2, 0);
    let input = ResolveInput {
        config: Arc::clone(&config),
        docs: &docs,
        content_assets: &files.content_assets,
        statics: &files.statics,
        options,
    };
    // A one-off build owns its site; the dev server's is kept in the memo between builds.
    let (owned_site, render_memo, change) = match memo {
        Some(memo) => {
            let (found, change) = resolve::resolve_memoized(&input, &mut memo.resolve);
            diagnostics.extend(found);
            (
                None,
                Some((&mut memo.render, memo.resolve.as_ref())),
                change,
            )
        }
        None => {
            let (site, found) = resolve::resolve(&input);
            diagnostics.extend(found);
            (Some(site), None, resolve::Change::All)
        }
    };
    let site = match (&owned_site, &render_memo) {
        (Some(site), _) => site,
        (None, Some((_, Some(kept)))) => kept.site(),
        _ => unreachable!("resolve_memoized keeps the site it resolved"),
    };
    timings.resolve = start.elapsed();

    let start = Instant::now();
    progress.enter(3, 0);
    let search_page = format!("{}index.html", render::SEARCH_SLUG_PATH);
    let redirects: HashSet<String> = site.aliases.iter().map(|a| a.from.output_file()).collect();
    // Streaming, the outputs search needs and every path are all that stays in memory.
    let indexable = std::sync::Mutex::new(Vec::new());
    let streamed_paths = std::sync::Mutex::new(HashSet::new());
    let mut outputs = match Templates::compile(&files.templates, &config) {
        Ok(mut templates) => {
            let (outputs, found) = match (render_memo, emit) {
                (Some((memo, _)), _) => {
                    let changed = match &change {
                        resolve::Change::All => None,
                        resolve::Change::Pages(pages) => Some(pages.as_slice()),
                    };
                    let (outputs, found, next) =
                        render::render_memoized(site, &mut templates, memo, changed);
                    *memo = next;
                    (outputs, found)
                }
                (None, Some(emit)) => {
                    let found = render::render_into(site, &mut templates, &|output| {
                        if config.search.enabled {
                            streamed_paths
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .insert(output.path.clone());
                            if search::is_indexable(&output, &redirects, &search_page) {
                                indexable
                                    .lock()
                                    .unwrap_or_else(PoisonError::into_inner)
                                    .push(output.clone());
                            }
                        }
                        emit(output);
                    });
                    (Vec::new(), found)
                }
                (None, None) => render::render(site, &mut templates),
            };
            diagnostics.extend(found);
            outputs
        }
        Err(found) => {
            diagnostics.extend(found);
            Vec::new()
        }
    };
    timings.render = start.elapsed();

    let mut pending_search = None;
    if config.search.enabled {
        let start = Instant::now();
        let mut indexable = indexable
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        indexable.extend(
            outputs
                .iter()
                .filter(|o| search::is_indexable(o, &redirects, &search_page))
                .cloned(),
        );
        // Pagefind's bundle depends on the order pages are added: keep it the path order.
        indexable.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        // A file of the site's own under pagefind/ is an error (render/generated.rs); it is kept
        // over the bundle's, as for every generated file, so the error is reported once.
        let mut taken = streamed_paths
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        taken.extend(outputs.iter().map(|o| o.path.clone()));
        let pending = search::Pending {
            pages: indexable,
            taken,
        };
        if defer_search {
            pending_search = Some(pending);
        } else {
            let built = pending.keep_free(&search::index(pending.pages.iter()));
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
        search: pending_search,
        external_links,
        pages: site.pages.len(),
        sections: site.sections.len(),
        timings,
    }
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
    let built = run_in_memory(
        Arc::clone(&config),
        Cow::Owned(files),
        &highlighter,
        ResolveOptions {
            drafts: options.drafts,
        },
        progress,
        None,
        options.write.then_some(&emit),
    );
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
