//! Command-line definitions (clap). Parsing only; `main.rs` acts on them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// steppe: a static knowledge-site generator.
#[derive(Debug, Parser)]
#[command(name = "steppe", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Site root: the folder holding site.toml (or, without one, content/).
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Configuration file to use instead of <root>/site.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print nothing but errors and warnings.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// When to colour output (NO_COLOR is honoured with `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// How diagnostics are printed: for people, or as JSON lines for editors and CI.
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// List each stage of the build with its time.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a shell completion script (e.g. `steppe completions bash > ~/.local/share/bash-completion/completions/steppe`).
    Completions { shell: clap_complete::Shell },
    /// Build the site into the output folder (public/ by default).
    Build(BuildArgs),
    /// Run the whole build without writing anything and report every problem.
    Check {
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Also fetch every external (http/https) link and report the ones that fail. Successes
        /// are cached in .steppe-cache/ (see `[links]` in site.toml).
        #[arg(long)]
        external: bool,
    },
    /// Create a new site with example pages (the default theme is built in).
    Init {
        /// Folder to create the site in (below --root when relative); created if missing.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write into a folder that is not empty, overwriting files with the same names.
        #[arg(long)]
        force: bool,
        /// Also write the default theme into themes/steppe/, to change it.
        #[arg(long)]
        copy_theme: bool,
    },
    /// Create a draft content file of a kind in the site at --root.
    New {
        /// essay, case-study, checklist or note.
        kind: String,
        /// Title of the new page.
        title: String,
    },
    /// Build, serve and live-reload the site (not available yet).
    Serve {
        #[arg(long, default_value = "127.0.0.1")]
        interface: String,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[arg(long)]
        open: bool,
        #[arg(long)]
        drafts: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Output folder, overriding `output_dir` in site.toml.
    #[arg(long, short, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Base URL, overriding `base_url` in site.toml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Print the time each stage took.
    #[arg(long)]
    pub timings: bool,
}
