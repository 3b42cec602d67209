//! Parse: one source file in, one [`Doc`] out. Pure and independent per file, so the stage runs in
//! parallel and its results can be memoized by the source's content.

pub mod front_matter;
pub mod highlight;
pub mod markdown;

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;
pub use front_matter::{Date, FrontMatter};
pub use markdown::{Fragment, Html, LinkKind, LinkRef, Rendered, TocEntry};

/// A file as read from disk. `path` is relative to the site root (`content/essays/x.md`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
}

/// A parsed content file: its front matter and its rendered Markdown, with links left unresolved.
#[derive(Debug, Clone)]
pub struct Doc {
    pub path: PathBuf,
    pub front: FrontMatter,
    pub body: Rendered,
    pub diagnostics: Vec<Diagnostic>,
}
