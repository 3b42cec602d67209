//! The whole pipeline, wired: load → parse → resolve → render → write, with per-stage timings.
//!
//! [`build_in_memory`] is the pure middle (no file system access) shared by `build`, `check` and
//! the dev server; [`build`] adds loading and publishing around it, and for
//! `check --external` the network check of external links ([`crate::external`]) at the end.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, sort_and_dedup};
use crate::external::{self, ExternalLink, ExternalStats};
use crate::load::{self, SiteFiles};
use crate::output::{self, Output};
use crate::parse::{self, Doc, highlight::Highlighter};
use crate::render::{self, Templates};
use crate::resolve::{self, ResolveInput, ResolveOptions};

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
}

/// Wall time of each stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub load: Duration,
    pub parse: Duration,
    pub resolve: Duration,
    pub render: Duration,
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
    /// External links of the documents built (drafts only when they are included).
    pub external_links: Vec<ExternalLink>,
    pub pages: usize,
    pub sections: usize,
    pub timings: Timings,
}

/// Reads the configuration, applying command-line overrides.
pub fn load_config(options: &BuildOptions) -> Result<Config, Vec<Diagnostic>> {
    let config = load::load_config(&options.root, options.config_file.as_deref())?;
    Ok(Config {
        base_url: options.base_url.clone().unwrap_or(config.base_url.clone()),
        output_dir: options
            .output_dir
            .clone()
            .unwrap_or(config.output_dir.clone()),
        ..config
    })
}

/// Runs parse, resolve and render over loaded files.
pub fn build_in_memory(
    config: Arc<Config>,
    files: &SiteFiles,
    highlighter: &Highlighter,
    options: ResolveOptions,
) -> InMemoryBuild {
    let mut timings = Timings::default();
    let mut diagnostics = Vec::new();
    let mut external_links = Vec::new();

    let start = Instant::now();
    let docs: Vec<Arc<Doc>> = files
        .content
        .par_iter()
        .map(|source| Arc::new(parse::parse_doc(source, &config, highlighter)))
        .collect();
    for doc in &docs {
        if options.drafts || !doc.front.draft {
            diagnostics.extend(doc.diagnostics.iter().cloned());
            external_links.extend(doc.body.external_links.iter().cloned());
        }
    }
    timings.parse = start.elapsed();

    let start = Instant::now();
    let (site, found) = resolve::resolve(&ResolveInput {
        config: Arc::clone(&config),
        docs: &docs,
        content_assets: &files.content_assets,
        statics: &files.statics,
        options,
    });
    diagnostics.extend(found);
    timings.resolve = start.elapsed();

    let start = Instant::now();
    let outputs = match Templates::compile(&files.templates, &config) {
        Ok(mut templates) => {
            let (outputs, found) = render::render(&site, &mut templates);
            diagnostics.extend(found);
            outputs
        }
        Err(found) => {
            diagnostics.extend(found);
            Vec::new()
        }
    };
    timings.render = start.elapsed();

    InMemoryBuild {
        outputs,
        diagnostics,
        external_links,
        pages: site.pages.len(),
        sections: site.sections.len(),
        timings,
    }
}

/// `steppe build` and `steppe check`: the whole pipeline, publishing only an error-free site.
pub fn build(options: &BuildOptions) -> BuildReport {
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
    if options.write
        && let Err(diagnostic) = output::check_output_dir(&options.root, &output_dir)
    {
        report.diagnostics.push(diagnostic);
        return report;
    }

    let start = Instant::now();
    let (files, found) = load::load(&options.root, &config);
    report.diagnostics.extend(found);
    let load_time = start.elapsed();

    let highlighter = if config.highlighting.enabled {
        Highlighter::new()
    } else {
        Highlighter::plain()
    };
    let built = build_in_memory(
        Arc::clone(&config),
        &files,
        &highlighter,
        ResolveOptions {
            drafts: options.drafts,
        },
    );
    report.diagnostics.extend(built.diagnostics);
    let mut timings = built.timings;
    timings.load = load_time;
    let mut external_stats = None;
    if options.external {
        let start = Instant::now();
        let (found, stats) = external::check(&options.root, &config.links, &built.external_links);
        report.diagnostics.extend(found);
        external_stats = Some(stats);
        timings.external = start.elapsed();
    }
    sort_and_dedup(&mut report.diagnostics);

    let mut files_written = 0;
    if options.write && !report.has_errors() {
        let start = Instant::now();
        output::clean_stale_staging(&output_dir);
        match output::publish(&options.root, &output_dir, &built.outputs) {
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
