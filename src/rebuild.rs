//! Rebuilds for the dev server: full-rebuild semantics, memoized stages.
//!
//! A [`Rebuilder`] runs the same pipeline as `steppe build` on every call, so what it returns is
//! always exactly what a clean build of the same files produces. It is fast because it keeps a
//! [`Memo`]: documents whose text and configuration are unchanged are not parsed again, and
//! outputs whose template context and templates are unchanged are not rendered again. Nothing
//! is inferred from which files changed, so no sequence of edits can leave a stale page.

use std::sync::Arc;

use crate::build::{self, BuildOptions, Memo, Progress, Timings};
use crate::diagnostics::{Diagnostic, sort_and_dedup};
use crate::load;
use crate::output::Output;
use crate::parse::highlight::Highlighter;
use crate::resolve::ResolveOptions;

/// The result of one rebuild: every output file, and every diagnostic.
pub struct Rebuilt {
    pub outputs: Vec<Output>,
    pub diagnostics: Vec<Diagnostic>,
    /// Time of each stage (`write` stays zero: nothing is written).
    pub timings: Timings,
}

impl Rebuilt {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Builds a site again and again, reusing what did not change.
pub struct Rebuilder {
    options: BuildOptions,
    /// Syntax sets load once per process; the flag says which variant was built.
    highlighter: Option<(bool, Highlighter)>,
    memo: Memo,
}

impl Rebuilder {
    pub fn new(options: BuildOptions) -> Rebuilder {
        Rebuilder {
            options,
            highlighter: None,
            memo: Memo::default(),
        }
    }

    /// Reads the site from disk and builds it in memory.
    pub fn rebuild(&mut self) -> Rebuilt {
        let config = match build::load_config(&self.options) {
            Ok(config) => Arc::new(config),
            Err(diagnostics) => {
                return Rebuilt {
                    outputs: Vec::new(),
                    diagnostics,
                    timings: Timings::default(),
                };
            }
        };
        let started = std::time::Instant::now();
        let (files, mut diagnostics) = load::load(&self.options.root, &config);
        let load_time = started.elapsed();
        let enabled = config.highlighting.enabled;
        if self
            .highlighter
            .as_ref()
            .is_none_or(|(on, _)| *on != enabled)
        {
            let highlighter = if enabled {
                Highlighter::new()
            } else {
                Highlighter::plain()
            };
            self.highlighter = Some((enabled, highlighter));
        }
        let highlighter = &self.highlighter.as_ref().expect("set above").1;
        let built = build::build_in_memory_memoized(
            config,
            &files,
            highlighter,
            ResolveOptions {
                drafts: self.options.drafts,
            },
            &Progress::default(),
            &mut self.memo,
        );
        diagnostics.extend(built.diagnostics);
        sort_and_dedup(&mut diagnostics);
        Rebuilt {
            outputs: built.outputs,
            diagnostics,
            timings: Timings {
                load: load_time,
                ..built.timings
            },
        }
    }
}
