//! Rebuilds for the dev server: full-rebuild semantics, memoized stages.
//!
//! A [`Rebuilder`] runs the same pipeline as `steppe build` on every call, so what it returns is
//! always exactly what a clean build of the same files produces. It is fast because it keeps a
//! [`Memo`]: documents whose text and configuration are unchanged are not parsed again, and
//! outputs whose template context and templates are unchanged are not rendered again.
//!
//! [`Rebuilder::rebuild_changed`] is given the paths the watcher reported. When they are all
//! Markdown files in the content folder (`content_dir`, wherever it is), only those are read
//! again ([`load::reload`]); any other
//! change (a folder, an asset, a template, site.toml, a watcher error) reads the whole site.
//! The paths only say which files to read: what changed in them, and what that changes in the
//! site, is still found by comparing, so a save that changes nothing rebuilds nothing.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::build::{self, BuildOptions, Memo, Progress, Timings};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, sort_and_dedup};
use crate::files::{Output, SiteFiles};
use crate::load;
use crate::parse::highlight::Highlighter;
use crate::resolve::ResolveOptions;
use crate::search::{self, ReadPages, SearchIndex};

/// The result of one rebuild: every output file, and every diagnostic.
pub struct Rebuilt {
    /// In no particular order. Without the search index while `search` is pending.
    pub outputs: Vec<Output>,
    pub diagnostics: Vec<Diagnostic>,
    /// Time of each stage (`write` stays zero: nothing is written).
    pub timings: Timings,
    /// The search index, when it has to be built again (the indexed pages changed): the dev
    /// server publishes the pages first and this after. An unchanged index is in `outputs`.
    pub search: Option<PendingSearch>,
}

impl Rebuilt {
    /// The whole build, its search index included, as `steppe build` makes it.
    pub fn complete(mut self) -> Rebuilt {
        if let Some(search) = self.search.take() {
            let (built, _) = search.run();
            self.outputs.extend(built.outputs);
            self.diagnostics.extend(built.diagnostics);
            sort_and_dedup(&mut self.diagnostics);
        }
        self
    }
}

/// The pages of the last search index and the index built from them (before leaving out the
/// site's own files), and what Pagefind read of each page, shared with the [`PendingSearch`]
/// that builds the next one: after an edit, only the pages that changed are read again.
type SearchMemo = Arc<Mutex<LastSearch>>;

struct LastSearch {
    built: Option<(search::Pending, SearchIndex)>,
    read: ReadPages,
}

impl Default for LastSearch {
    fn default() -> LastSearch {
        LastSearch {
            built: None,
            read: ReadPages::kept(),
        }
    }
}

/// A search index to build, away from the rebuild.
pub struct PendingSearch {
    pending: search::Pending,
    memo: SearchMemo,
}

impl PendingSearch {
    /// Runs Pagefind over the pages; the bundle's files the site does not have already, and its
    /// diagnostics, and how many pages were read (those not read since they changed). Remembers
    /// the index, so the next rebuild reuses it if no page changed.
    pub(crate) fn run(self) -> (SearchIndex, usize) {
        // Taken out for the run, so the rebuilds that lock the memo meanwhile are not held up;
        // an index built alongside this one (an edit while it runs) reads every page itself.
        let mut read = std::mem::replace(
            &mut self
                .memo
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .read,
            ReadPages::kept(),
        );
        let built = search::index_with(self.pending.pages.iter().cloned(), &mut read);
        let free = self.pending.keep_free(&built);
        let pages_read = read.last_read();
        let mut memo = self.memo.lock().unwrap_or_else(PoisonError::into_inner);
        memo.built = Some((self.pending, built));
        memo.read = read;
        (free, pages_read)
    }
}

/// Builds a site again and again, reusing what did not change.
pub struct Rebuilder {
    options: BuildOptions,
    /// Syntax sets load once per process; the flag says which variant was built.
    highlighter: Option<(bool, Highlighter)>,
    memo: Memo,
    /// The files of the last load, with the configuration they were loaded under, when that
    /// load had no problems: the next rebuild reads only the files that changed since.
    loaded: Option<(Config, SiteFiles)>,
    search: SearchMemo,
    /// The content folder of the last configuration read, canonical.
    content: Option<PathBuf>,
}

impl Rebuilder {
    pub fn new(options: BuildOptions) -> Rebuilder {
        Rebuilder {
            options,
            highlighter: None,
            memo: Memo::default(),
            loaded: None,
            search: SearchMemo::default(),
            content: None,
        }
    }

    /// The content folder of the last rebuild's configuration, canonical: where the watcher
    /// must look for notes, which may be outside the site folder. `None` if it does not exist.
    pub(crate) fn content_folder(&self) -> Option<&Path> {
        self.content.as_deref()
    }

    /// Reads the whole site from disk and builds it in memory.
    pub fn rebuild(&mut self) -> Rebuilt {
        self.loaded = None;
        self.rebuild_changed(&[])
    }

    /// Builds the site in memory after the files at `changed` (canonical paths, as the watcher
    /// reports them) changed, reading only those when it can (see the module documentation).
    pub fn rebuild_changed(&mut self, changed: &[PathBuf]) -> Rebuilt {
        let config = match build::load_config(&self.options) {
            Ok(config) => Arc::new(config),
            Err(diagnostics) => {
                return Rebuilt {
                    outputs: Vec::new(),
                    diagnostics,
                    timings: Timings::default(),
                    search: None,
                };
            }
        };
        let started = std::time::Instant::now();
        // The content folder as the watcher spells paths: canonical.
        self.content = self
            .options
            .root
            .join(&config.content_dir)
            .canonicalize()
            .ok();
        let reloaded = match (self.loaded.take(), &self.content) {
            (Some((loaded_under, files)), Some(content))
                if loaded_under == *config && !changed.is_empty() =>
            {
                load::reload(content, &config, files, changed)
            }
            _ => None,
        };
        let (files, mut diagnostics) = match reloaded {
            Some(files) => (files, Vec::new()),
            None => load::load(&self.options.root, &config),
        };
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
            Arc::clone(&config),
            &files,
            highlighter,
            ResolveOptions {
                drafts: self.options.drafts,
            },
            &Progress::default(),
            &mut self.memo,
        );
        if diagnostics.is_empty() {
            self.loaded = Some(((*config).clone(), files));
        }
        diagnostics.extend(built.diagnostics);
        let mut outputs = built.outputs;
        // The search index of the same pages is the one built last time.
        let search = built.search.and_then(|pending| {
            let memo = self.search.lock().unwrap_or_else(PoisonError::into_inner);
            match &memo.built {
                Some((indexed, index)) if indexed.same_pages(&pending) => {
                    let kept = pending.keep_free(index);
                    outputs.extend(kept.outputs);
                    diagnostics.extend(kept.diagnostics);
                    None
                }
                _ => Some(PendingSearch {
                    pending,
                    memo: Arc::clone(&self.search),
                }),
            }
        });
        sort_and_dedup(&mut diagnostics);
        Rebuilt {
            outputs,
            search,
            diagnostics,
            timings: Timings {
                load: load_time,
                ..built.timings
            },
        }
    }
}
