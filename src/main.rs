//! The `steppe` binary: parse arguments, call the library, print diagnostics, set the exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use steppe::build::{self, BuildOptions, BuildReport};
use steppe::cli::{Cli, ColorChoice, Command};
use steppe::diagnostics::Diagnostic;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
        }
    };
    match run(&cli, color) {
        Ok(code) => code,
        Err(diagnostic) => {
            print_diagnostics(&[diagnostic], color);
            ExitCode::from(1)
        }
    }
}

fn run(cli: &Cli, color: bool) -> Result<ExitCode, Diagnostic> {
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
            let report = build::build(&options);
            Ok(finish(&report, cli.quiet, color, args.timings, "built"))
        }
        Command::Check { drafts, external } => {
            options.drafts = *drafts;
            options.external = *external;
            let report = build::build(&options);
            Ok(finish(&report, cli.quiet, color, false, "checked"))
        }
        Command::Init { .. } | Command::New { .. } => Err(Diagnostic::error(
            "`steppe init` and `steppe new` are not available in this version yet",
        )
        .with_hint("copy the example site in this repository to start a new site")),
        Command::Serve { .. } => Err(Diagnostic::error("`steppe serve` is not available in this version yet")
            .with_hint("run `steppe build` and open public/index.html, or serve public/ with any static file server")),
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], color: bool) {
    let mut stderr = std::io::stderr().lock();
    for diagnostic in diagnostics {
        let _ = writeln!(stderr, "{}\n", diagnostic.render(color));
    }
}

fn finish(report: &BuildReport, quiet: bool, color: bool, timings: bool, verb: &str) -> ExitCode {
    print_diagnostics(&report.diagnostics, color);
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = report.diagnostics.len() - errors;
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
            let t = &summary.timings;
            println!(
                "timings: load {:.1} ms, parse {:.1} ms, resolve {:.1} ms, render {:.1} ms, write {:.1} ms",
                ms(t.load),
                ms(t.parse),
                ms(t.resolve),
                ms(t.render),
                ms(t.write)
            );
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
            println!(
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
            );
        }
    }
    ExitCode::SUCCESS
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
