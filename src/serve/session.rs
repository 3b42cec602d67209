//! A `steppe serve` session: bind, build into memory, serve, and rebuild on every change until
//! the process is killed.
//!
//! The session owns every piece of mutable state the dev server has, each on one thread:
//! - the HTTP server (the caller's thread, on a tokio runtime) reads the [`SiteState`];
//! - the rebuild thread owns the [`Rebuilder`] (the memoized stages) and the [`SiteWatcher`],
//!   and publishes each rebuild into the `SiteState`;
//! - the search thread builds the Pagefind index of the newest build only, after its pages are
//!   served, and publishes it only if those pages are still the ones served.
//!
//! A panic in a rebuild or in the search index becomes an error diagnostic (terminal and browser
//! overlay); after a rebuild's panic the next save rebuilds from scratch.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Instant;

use crate::build::{self, BuildOptions};
use crate::diagnostics::{self, Diagnostic};
use crate::load;
use crate::report::{self, Style, ms, plural, say};
use crate::search::SearchIndex;

use super::rebuild::{PendingSearch, Rebuilder, Rebuilt};
use super::watch::{self, SiteWatcher};
use super::{SiteState, bind};

/// How `steppe serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeSettings {
    /// The address to listen on.
    pub interface: String,
    /// The first port to try.
    pub port: u16,
    /// Open the site in the desktop's browser once it is served.
    pub open: bool,
    /// Print each rebuild's stage times, the publish time and the search time.
    pub verbose: bool,
    pub style: Style,
}

/// Serves the site `options` describe until the process ends. Returns only when the server
/// cannot start (or stops with an error).
pub fn watch_and_serve(
    mut options: BuildOptions,
    settings: &ServeSettings,
) -> Result<(), Diagnostic> {
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| Diagnostic::error(format!("cannot start the server runtime: {e}")))?;
    let bound = runtime.block_on(bind(&settings.interface, settings.port))?;
    let url = bound.url();
    // Links in the served pages point at this server, whatever site.toml says.
    options.base_url = Some(url.clone());
    let state = Arc::new(SiteState::with_image_cache(&options.root));
    let log = Log {
        style: settings.style,
        verbose: settings.verbose,
    };
    let publisher = Publisher {
        state: Arc::clone(&state),
        search_jobs: spawn_search_thread(Arc::clone(&state), log),
    };

    let mut rebuilder = Rebuilder::new(options.clone());
    let started = Instant::now();
    let rebuilt = rebuilder.rebuild();
    log.rebuild(&rebuilt, started);
    publisher.publish(rebuilt);

    let watcher = start_watcher(&options, &rebuilder)?;
    let rebuilding = Rebuilding {
        options,
        rebuilder,
        watcher,
        publisher,
        log,
    };
    std::thread::spawn(move || rebuilding.run());

    say(log.style, &format!("serving at {url} (Ctrl-C to stop)"));
    if settings.open {
        open_browser(&url);
    }
    runtime.block_on(bound.serve(state))
}

/// Where rebuild and search messages go, and how many.
#[derive(Clone, Copy)]
struct Log {
    style: Style,
    verbose: bool,
}

impl Log {
    /// Prints a rebuild's diagnostics and a one-line summary.
    fn rebuild(&self, rebuilt: &Rebuilt, started: Instant) {
        let took = started.elapsed();
        report::print_diagnostics(&rebuilt.diagnostics, false, self.style);
        if self.verbose {
            say(self.style, &report::timings_line(&rebuilt.timings));
        }
        let errors = rebuilt.diagnostics.iter().filter(|d| d.is_error()).count();
        if errors > 0 {
            let _ = writeln!(
                std::io::stderr(),
                "error: {errors} error{}; still serving the last good build",
                plural(errors)
            );
        } else {
            say(
                self.style,
                &format!(
                    "built {} files in {:.0} ms",
                    rebuilt.outputs.len(),
                    ms(took)
                ),
            );
        }
    }

    /// With `--verbose`, how long a step took.
    fn took(&self, what: &str, started: Instant) {
        if self.verbose {
            say(
                self.style,
                &format!("{what} in {:.1} ms", ms(started.elapsed())),
            );
        }
    }
}

/// Publishes rebuilds into the served state, handing a pending search index to the search
/// thread.
struct Publisher {
    state: Arc<SiteState>,
    search_jobs: Sender<(u64, PendingSearch)>,
}

impl Publisher {
    fn publish(&self, mut rebuilt: Rebuilt) {
        match rebuilt.search.take() {
            Some(search) => {
                let change = self
                    .state
                    .publish_pending(rebuilt.outputs, rebuilt.diagnostics);
                if !change.failed {
                    // The search thread ends only with the process.
                    let _ = self.search_jobs.send((change.generation, search));
                }
            }
            None => {
                self.state.publish(rebuilt.outputs, rebuilt.diagnostics);
            }
        }
    }
}

/// Starts the thread that builds search indexes: only the newest build's index is built, and it
/// is published only if that build's pages are still served.
fn spawn_search_thread(state: Arc<SiteState>, log: Log) -> Sender<(u64, PendingSearch)> {
    let (jobs, queue) = mpsc::channel();
    std::thread::spawn(move || build_search_indexes(&state, &queue, log));
    jobs
}

fn build_search_indexes(state: &SiteState, queue: &Receiver<(u64, PendingSearch)>, log: Log) {
    // Threads of its own: on rayon's global pool, a rebuild started while an index is being
    // built would queue behind the index's parallel work (seconds at 10,000 pages) instead of
    // sharing the cores with it. Without the pool (a thread could not start), the global one.
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("steppe-search-{i}"))
        .build()
        .ok();
    while let Ok(mut job) = queue.recv() {
        while let Ok(newer) = queue.try_recv() {
            job = newer;
        }
        let (generation, search) = job;
        let snapshot = state.snapshot();
        if !snapshot.search_pending || snapshot.files_generation != generation {
            continue;
        }
        let started = Instant::now();
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &pool {
            Some(pool) => pool.install(|| search.run()),
            None => search.run(),
        }));
        let (built, pages_read) = run.unwrap_or_else(|panic| {
            let failed = SearchIndex {
                outputs: Vec::new(),
                diagnostics: internal_error(&*panic).diagnostics,
            };
            (failed, 0)
        });
        if state
            .publish_search(generation, built.outputs, built.diagnostics)
            .is_some()
        {
            let read = match pages_read {
                1 => "1 page read".to_string(),
                n => format!("{n} pages read"),
            };
            log.took(&format!("search index built ({read})"), started);
        }
    }
}

/// Watches the site's files: the root, the content folder (wherever it is) and the theme
/// folders, never the output folder.
fn start_watcher(options: &BuildOptions, rebuilder: &Rebuilder) -> Result<SiteWatcher, Diagnostic> {
    let output_dir = options.root.join(
        build::load_config(options).map_or_else(|_| PathBuf::from("public"), |c| c.output_dir),
    );
    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());
    // Spelt as the watcher reports paths, even when the file does not exist yet (a folder of
    // notes without site.toml, until one is created).
    let config_file = match &options.config_file {
        Some(file) => file.canonicalize().unwrap_or_else(|_| file.clone()),
        None => root.join(load::CONFIG_FILE),
    };
    watch::watch(&root, &config_file, &output_dir, rebuilder.content_folder())
}

/// The rebuild thread's state: everything a rebuild changes.
struct Rebuilding {
    options: BuildOptions,
    rebuilder: Rebuilder,
    watcher: SiteWatcher,
    publisher: Publisher,
    log: Log,
}

impl Rebuilding {
    /// Rebuilds on every batch of changes, until the watcher stops.
    fn run(mut self) {
        while let Ok(mut changed) = self.watcher.changes.recv() {
            // A burst of saves (a git checkout) becomes one rebuild.
            while let Ok(more) = self.watcher.changes.try_recv() {
                changed.extend(more);
            }
            let _ = self.watcher.refresh(self.rebuilder.content_folder());
            let started = Instant::now();
            // A bug in a stage must not end rebuilding silently: report it, start afresh.
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.rebuilder.rebuild_changed(&changed)
            }));
            let rebuilt = run.unwrap_or_else(|panic| {
                self.rebuilder = Rebuilder::new(self.options.clone());
                internal_error(&*panic)
            });
            // site.toml may have moved the content folder.
            let _ = self.watcher.refresh(self.rebuilder.content_folder());
            self.log.rebuild(&rebuilt, started);
            let publishing = Instant::now();
            self.publisher.publish(rebuilt);
            self.log.took("published", publishing);
        }
    }
}

/// A rebuild that panicked, as an error the terminal and the browser overlay show.
fn internal_error(panic: &(dyn std::any::Any + Send)) -> Rebuilt {
    let message = diagnostics::panic_message(panic).unwrap_or_else(|| "no message".to_string());
    Rebuilt {
        outputs: Vec::new(),
        diagnostics: vec![
            Diagnostic::error(format!("steppe failed while rebuilding: {message}")).with_hint(
                "this is a bug in steppe, not in your site; please report it. The server keeps \
                 running and the next save rebuilds from scratch",
            ),
        ],
        timings: Default::default(),
        search: None,
    }
}

/// Opens `url` in the desktop's browser; failing that, says so.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("warning: could not open a browser ({opener} failed); open {url} yourself");
    }
}
