//! Command-line definitions (clap). Parsing only; `main.rs` acts on them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// steppe: a static knowledge-site generator.
#[derive(Debug, Parser)]
// Every argument here is global; the heading keeps them apart from a subcommand's own.
#[command(name = "steppe", version, about, long_about = None, propagate_version = true)]
#[command(next_help_heading = "Global options")]
pub struct Cli {
    /// Site root: the folder holding site.toml, content/ and themes/.
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Configuration file to read instead of <root>/site.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print nothing but errors and warnings (serve still prints its address and each rebuild).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// When to colour messages (`auto`: on a terminal, unless NO_COLOR is set).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// How diagnostics are printed: `human` (a caret under the problem, on stderr) or `json`
    /// (one JSON object a line on stdout, for editors and CI).
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// Print the time of each stage of a build (serve: of each rebuild, publish and search index).
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
    Completions {
        /// The shell to write the script for.
        shell: clap_complete::Shell,
    },
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
        /// With --external, also fetch links to this computer and to private networks
        /// (loopback, link-local, private and unique-local addresses), which are skipped
        /// otherwise.
        #[arg(long, requires = "external")]
        allow_private: bool,
    },
    /// Create a new site with example pages and the default theme.
    Init {
        /// Folder to create the site in (below --root when relative); created if missing.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write into a folder that is not empty, overwriting files with the same names.
        #[arg(long)]
        force: bool,
    },
    /// Create a draft page of a kind in the site at --root (content/<section>/<title>.md).
    New {
        /// The page's kind: essay, case-study, checklist or note.
        kind: String,
        /// Title of the new page; its file name is made from it.
        title: String,
    },
    /// Build the site in memory, serve it over HTTP, and rebuild and reload the browser on every
    /// change.
    Serve {
        /// Address to listen on; anything but a loopback address makes the site visible to the
        /// network.
        #[arg(long, default_value = "127.0.0.1")]
        interface: String,
        /// Port to listen on; when it is in use, the next nine are tried.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the desktop's browser once it is served.
        #[arg(long)]
        open: bool,
        /// Include pages marked `draft: true`.
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
