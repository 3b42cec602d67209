//! The `steppe` binary: parse arguments, call the library, print diagnostics, set the exit code.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use steppe::build::{self, BuildOptions, BuildReport};
use steppe::cli::{Cli, ColorChoice, Command, MessageFormat};
use steppe::diagnostics::{Diagnostic, Severity};
use steppe::report::{Style, ms, plural, print_diagnostics, say, timings_line};
use steppe::scaffold::{self, InitReport};
use steppe::serve::{self, ServeSettings};

/// jemalloc, not the system allocator: a build allocates many small, short-lived values on all
/// threads (Pagefind's word lists, highlighted spans, template values), and glibc's malloc
/// spent about a fifth of a default build's CPU time in its free lists. With jemalloc a 10,000-
/// page default build took about a fifth less CPU time (`benches/`, README).
#[cfg(all(unix, not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read at its start: freed pages go back to the system after a second
/// rather than ten, so a build's peak memory stays what it needs (about 0.8× the default's at
/// 10,000 pages), at no measurable cost in time.
///
/// The one `unsafe` in steppe: jemalloc reads these settings from a symbol of this name, which
/// only the binary defines (the library and its tests use the system allocator).
#[cfg(all(unix, not(target_env = "msvc")))]
#[allow(unsafe_code)]
#[unsafe(export_name = "_rjem_malloc_conf")]
static ALLOCATOR_SETTINGS: &[u8; 37] = b"dirty_decay_ms:1000,muzzy_decay_ms:0\0";

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
            print_diagnostics(&[diagnostic], false, style);
            ExitCode::from(1)
        }
    }
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
        Command::Check {
            drafts,
            external,
            allow_private,
        } => {
            options.drafts = *drafts;
            options.external = *external;
            options.allow_private = *allow_private;
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
        Command::Init {
            dir,
            force,
            copy_theme,
        } => {
            let report = scaffold::init(&init_dir(&cli.root, dir), *force, *copy_theme, today())?;
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
            let settings = ServeSettings {
                interface: interface.clone(),
                port: *port,
                open: *open,
                verbose: cli.verbose,
                style,
            };
            serve::watch_and_serve(options, &settings)?;
            Ok(ExitCode::SUCCESS)
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

fn finish(report: &BuildReport, quiet: bool, style: Style, timings: bool, verb: &str) -> ExitCode {
    print_diagnostics(&report.diagnostics, quiet, style);
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
                Some(stats) => {
                    format!(
                        ", {} external link{} ({} from cache{})",
                        stats.urls,
                        plural(stats.urls),
                        stats.cached,
                        if stats.excluded > 0 {
                            format!(", {} excluded", stats.excluded)
                        } else {
                            String::new()
                        }
                    ) + &if stats.private > 0 {
                        format!(
                            ", {} to private addresses skipped (--allow-private checks them)",
                            stats.private
                        )
                    } else {
                        String::new()
                    }
                }
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
