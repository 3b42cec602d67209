//! The `steppe` binary: parse arguments, call the library, print diagnostics, set the exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use steppe::build::{self, BuildOptions, BuildReport};
use steppe::cli::{Cli, ColorChoice, Command, MessageFormat};
use steppe::diagnostics::{Diagnostic, Severity};
use steppe::scaffold::{self, InitReport};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
        }
    };
    let style = Style {
        color,
        json: cli.message_format == MessageFormat::Json,
    };
    match run(&cli, style) {
        Ok(code) => code,
        Err(diagnostic) => {
            print_diagnostics(&[diagnostic], style);
            ExitCode::from(1)
        }
    }
}

/// How messages are printed.
#[derive(Clone, Copy)]
struct Style {
    color: bool,
    /// Diagnostics as JSON lines on stdout; the summary moves to stderr.
    json: bool,
}

fn run(cli: &Cli, style: Style) -> Result<ExitCode, Diagnostic> {
    let mut options = BuildOptions {
        root: cli.root.clone(),
        config_file: cli.config.clone(),
        ..BuildOptions::default()
    };
    match &cli.command {
        Command::Build(args) => {
            options.output_dir = args.output_dir.clone();
            options.base_url = args.base_url.clone();
            options.drafts = args.drafts;
            options.write = true;
            let report = build_with_progress(&options, cli.quiet || style.json);
            Ok(finish(
                &report,
                cli.quiet,
                style,
                args.timings || cli.verbose,
                "built",
            ))
        }
        Command::Check { drafts, external } => {
            options.drafts = *drafts;
            options.external = *external;
            let report = build_with_progress(&options, cli.quiet || style.json);
            Ok(finish(&report, cli.quiet, style, cli.verbose, "checked"))
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                *shell,
                &mut Cli::command(),
                "steppe",
                &mut std::io::stdout(),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir, force } => {
            let report = scaffold::init(&init_dir(&cli.root, dir), *force, today())?;
            if !cli.quiet {
                print_init_summary(&report);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::New { kind, title } => {
            let path = scaffold::new_page(&cli.root, cli.config.as_deref(), kind, title, today())?;
            if !cli.quiet {
                println!("created {}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            interface,
            port,
            open,
            drafts,
        } => {
            options.drafts = *drafts;
            serve(options, interface, *port, *open, style, cli.verbose)
        }
    }
}

/// Runs a build, drawing a progress bar on stderr when it is a terminal (never in pipes, CI logs
/// or with `--quiet`). The bar appears only if the build is still running after a moment.
fn build_with_progress(options: &BuildOptions, quiet: bool) -> BuildReport {
    let progress = build::Progress::default();
    if quiet || !std::io::stderr().is_terminal() {
        return build::build(options, &progress);
    }
    let finished = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| draw_progress(&progress, &finished));
        let report = build::build(options, &progress);
        finished.store(true, std::sync::atomic::Ordering::Relaxed);
        report
    })
}

fn draw_progress(progress: &build::Progress, finished: &std::sync::atomic::AtomicBool) {
    use std::sync::atomic::Ordering::Relaxed;
    use std::time::Duration;
    // Quick builds finish before the bar would flicker up; tests set the delay to 0.
    let delay = std::env::var("STEPPE_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    std::thread::sleep(Duration::from_millis(delay));
    if finished.load(Relaxed) {
        return;
    }
    let counted =
        indicatif::ProgressStyle::with_template("{spinner} {msg:8} [{bar:30}] {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> ");
    let uncounted = indicatif::ProgressStyle::with_template("{spinner} {msg}")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
    let bar = indicatif::ProgressBar::new(0);
    let mut shown = ("", usize::MAX);
    while !finished.load(Relaxed) {
        let (stage, done, total) = progress.snapshot();
        if shown != (stage, total) {
            // Stages with a count get a bar; the others a spinner.
            bar.set_style(if total > 0 {
                counted.clone()
            } else {
                uncounted.clone()
            });
            bar.set_message(stage);
            bar.set_length(total as u64);
            shown = (stage, total);
        }
        bar.set_position(done as u64);
        bar.tick();
        std::thread::sleep(Duration::from_millis(20));
    }
    bar.finish_and_clear();
}

/// `steppe serve`: bind, build into memory, serve, and rebuild on every change until killed.
fn serve(
    mut options: BuildOptions,
    interface: &str,
    port: u16,
    open: bool,
    style: Style,
    verbose: bool,
) -> Result<ExitCode, Diagnostic> {
    use std::sync::Arc;
    use steppe::rebuild::{PendingSearch, Rebuilder};
    use steppe::serve::{self, SiteState};

    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| Diagnostic::error(format!("cannot start the server runtime: {e}")))?;
    let bound = runtime.block_on(serve::bind(interface, port))?;
    let url = bound.url();
    // Links in the served pages point at this server, whatever site.toml says.
    options.base_url = Some(url.clone());
    let state = Arc::new(SiteState::new());
    let mut rebuilder = Rebuilder::new(options.clone());
    let started = std::time::Instant::now();
    // The search index is built on a thread of its own, after the pages are served: only the
    // newest build's index is built, and it is published only if its pages are still served.
    let (search_jobs, search_queue) = std::sync::mpsc::channel::<(u64, PendingSearch)>();
    let search_state = Arc::clone(&state);
    std::thread::spawn(move || {
        while let Ok(mut job) = search_queue.recv() {
            while let Ok(newer) = search_queue.try_recv() {
                job = newer;
            }
            let (generation, search) = job;
            let snapshot = search_state.snapshot();
            if !snapshot.search_pending || snapshot.files_generation != generation {
                continue;
            }
            let started = std::time::Instant::now();
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| search.run()));
            let built = run.unwrap_or_else(|panic| steppe::search::SearchIndex {
                outputs: Vec::new(),
                diagnostics: internal_error(&*panic).diagnostics,
            });
            let published =
                search_state.publish_search(generation, built.outputs, built.diagnostics);
            if verbose && published.is_some() {
                say(
                    style,
                    &format!("search index built in {:.1} ms", ms(started.elapsed())),
                );
            }
        }
    });
    let publish =
        move |state: &SiteState, mut rebuilt: steppe::rebuild::Rebuilt| match rebuilt.search.take()
        {
            Some(search) => {
                let change = state.publish_pending(rebuilt.outputs, rebuilt.diagnostics);
                if !change.failed {
                    let _ = search_jobs.send((change.generation, search));
                }
            }
            None => {
                state.publish(rebuilt.outputs, rebuilt.diagnostics);
            }
        };
    let rebuilt = rebuilder.rebuild();
    report_rebuild(&rebuilt, started, style, verbose);
    publish(&state, rebuilt);

    let config_file = options
        .config_file
        .clone()
        .unwrap_or_else(|| options.root.join("site.toml"));
    let output_dir = options.root.join(
        build::load_config(&options).map_or_else(|_| PathBuf::from("public"), |c| c.output_dir),
    );
    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());
    let config_file = config_file.canonicalize().unwrap_or(config_file);
    let mut watcher = steppe::watch::watch(&root, &config_file, &output_dir)?;
    let rebuild_state = Arc::clone(&state);
    std::thread::spawn(move || {
        while let Ok(mut changed) = watcher.changes.recv() {
            // A burst of saves (a git checkout) becomes one rebuild.
            while let Ok(more) = watcher.changes.try_recv() {
                changed.extend(more);
            }
            let _ = watcher.refresh();
            let started = std::time::Instant::now();
            // A bug in a stage must not end rebuilding silently: report it, start afresh.
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                rebuilder.rebuild_changed(&changed)
            }));
            let rebuilt = run.unwrap_or_else(|panic| {
                rebuilder = Rebuilder::new(options.clone());
                internal_error(&*panic)
            });
            report_rebuild(&rebuilt, started, style, verbose);
            let publishing = std::time::Instant::now();
            publish(&rebuild_state, rebuilt);
            if verbose {
                say(
                    style,
                    &format!("published in {:.1} ms", ms(publishing.elapsed())),
                );
            }
        }
    });

    say(style, &format!("serving at {url} (Ctrl-C to stop)"));
    if open {
        open_browser(&url);
    }
    runtime.block_on(bound.serve(state))?;
    Ok(ExitCode::SUCCESS)
}

/// A rebuild that panicked, as an error the terminal and the browser overlay show.
fn internal_error(panic: &(dyn std::any::Any + Send)) -> steppe::rebuild::Rebuilt {
    let message =
        steppe::diagnostics::panic_message(panic).unwrap_or_else(|| "no message".to_string());
    steppe::rebuild::Rebuilt {
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

/// Prints a rebuild's diagnostics and a one-line summary.
fn report_rebuild(
    rebuilt: &steppe::rebuild::Rebuilt,
    started: std::time::Instant,
    style: Style,
    verbose: bool,
) {
    let took = started.elapsed();
    print_diagnostics(&rebuilt.diagnostics, style);
    if verbose {
        say(style, &timings_line(&rebuilt.timings));
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
            style,
            &format!(
                "built {} files in {:.0} ms",
                rebuilt.outputs.len(),
                ms(took)
            ),
        );
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

/// Today's date in the local time zone, for new pages.
fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

/// The folder `init` writes to: `DIR`, below `--root` when both are given and `DIR` is relative.
fn init_dir(root: &Path, dir: &Path) -> PathBuf {
    if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        root.join(dir)
    }
}

fn print_init_summary(report: &InitReport) {
    let count = report.files.len();
    let dir = report.dir.display().to_string();
    let place = if dir == "." {
        "the current folder".to_string()
    } else {
        dir.clone()
    };
    println!(
        "created site \"{}\" in {place}: {count} file{}",
        report.title,
        plural(count)
    );
    println!();
    println!("next steps:");
    if dir == "." {
        println!("  steppe build");
    } else {
        println!("  cd {} && steppe build", shell_quote(&dir));
    }
    println!("  steppe new essay \"Your first essay\"");
}

/// `text` as one shell word: unchanged when plain, else in single quotes.
fn shell_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+:@%=,".contains(c))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

fn print_diagnostics<'d>(diagnostics: impl IntoIterator<Item = &'d Diagnostic>, style: Style) {
    if style.json {
        let mut stdout = std::io::stdout().lock();
        for diagnostic in diagnostics {
            let _ = writeln!(stdout, "{}", diagnostic.to_json());
        }
        return;
    }
    let mut stderr = std::io::stderr().lock();
    for diagnostic in diagnostics {
        let _ = writeln!(stderr, "{}\n", diagnostic.render(style.color));
    }
}

/// A line of the human summary: stdout normally, stderr when stdout carries JSON.
/// Write errors are ignored: a closed pipe must not kill a long-running `serve`.
fn say(style: Style, line: &str) {
    if style.json {
        let _ = writeln!(std::io::stderr(), "{line}");
    } else {
        let _ = writeln!(std::io::stdout(), "{line}");
    }
}

fn finish(report: &BuildReport, quiet: bool, style: Style, timings: bool, verb: &str) -> ExitCode {
    // `--quiet` prints nothing but errors and warnings; JSON output is for tools and keeps notes.
    let shown = |d: &&Diagnostic| !quiet || style.json || d.severity != Severity::Note;
    print_diagnostics(report.diagnostics.iter().filter(shown), style);
    let count = |severity| {
        report
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    if errors > 0 {
        eprintln!(
            "error: build failed with {errors} error{}{}; nothing was written",
            plural(errors),
            if warnings > 0 {
                format!(" and {warnings} warning{}", plural(warnings))
            } else {
                String::new()
            }
        );
        return ExitCode::from(1);
    }
    if let Some(summary) = &report.summary {
        if timings {
            say(style, &timings_line(&summary.timings));
        }
        if !quiet {
            let external = match &summary.external {
                Some(stats) => format!(
                    ", {} external link{} ({} from cache{})",
                    stats.urls,
                    plural(stats.urls),
                    stats.cached,
                    if stats.excluded > 0 {
                        format!(", {} excluded", stats.excluded)
                    } else {
                        String::new()
                    }
                ),
                None => String::new(),
            };
            let written = if verb == "built" {
                format!(
                    ", {} files written to {}",
                    summary.files_written,
                    summary.output_dir.display()
                )
            } else {
                String::new()
            };
            say(
                style,
                &format!(
                    "{verb} {} page{}, {} section{}{external}{written} in {:.0} ms{}",
                    summary.pages,
                    plural(summary.pages),
                    summary.sections,
                    plural(summary.sections),
                    ms(summary.total),
                    if warnings > 0 {
                        format!(" ({warnings} warning{})", plural(warnings))
                    } else {
                        String::new()
                    }
                ),
            );
        }
    }
    ExitCode::SUCCESS
}

/// `timings: load 1.0 ms, parse …`, for `--timings` and `--verbose`.
fn timings_line(t: &build::Timings) -> String {
    format!(
        "timings: load {:.1} ms, parse {:.1} ms, resolve {:.1} ms, render {:.1} ms, search {:.1} ms, write {:.1} ms",
        ms(t.load),
        ms(t.parse),
        ms(t.resolve),
        ms(t.render),
        ms(t.search),
        ms(t.write)
    )
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
