//! Parse: one source file in, one [`Doc`] out. Pure and independent per file, so the stage runs in
//! parallel and its results can be memoized by the source's content.

pub(crate) mod data;
pub mod front_matter;
pub mod highlight;
pub(crate) mod languages;
pub mod markdown;
pub(crate) mod shortcodes;

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;
use crate::files::Source;
pub(crate) use front_matter::{Date, FrontMatter};
pub(crate) use markdown::{Fragment, Html, LinkKind, LinkRef, Rendered, TocEntry};

/// A parsed content file: its front matter and its rendered Markdown, with links left unresolved.
#[derive(Debug, Clone)]
pub struct Doc {
    pub path: PathBuf,
    pub front: FrontMatter,
    /// The file's text up to the end of its front matter, for diagnostics raised later.
    pub front_source: String,
    pub body: Rendered,
    pub diagnostics: Vec<Diagnostic>,
    /// False when the front matter could not be read; later stages then skip checks on it.
    pub front_ok: bool,
}

use crate::config::Config;
use highlight::Highlighter;
pub(crate) use shortcodes::Shortcodes;

/// Parses one content file. Never fails: a document whose front matter is broken still becomes a
/// `Doc` (so links to it resolve) and carries the errors in `diagnostics`.
pub fn parse_doc(source: &Source, config: &Config, highlighter: &Highlighter) -> Doc {
    parse_doc_with(source, config, highlighter, &Shortcodes::default())
}

/// [`parse_doc`], expanding the body's shortcode calls with `shortcodes`.
pub(crate) fn parse_doc_with(
    source: &Source,
    config: &Config,
    highlighter: &Highlighter,
    shortcodes: &Shortcodes,
) -> Doc {
    let taxonomies = config.taxonomy_names();
    let rules = front_matter::Rules {
        taxonomies: &taxonomies,
        strict: config.content.strict_front_matter,
    };
    match front_matter::parse(&source.path, &source.text, &rules) {
        Ok((mut front, body_start)) => {
            let (body, body_diagnostics) = markdown::render_with(
                &source.path,
                &source.text,
                body_start,
                &config.markdown,
                highlighter,
                shortcodes,
            );
            let mut diagnostics = std::mem::take(&mut front.notes);
            diagnostics.extend(body_diagnostics);
            Doc {
                path: source.path.clone(),
                front,
                front_source: source.text[..body_start].to_string(),
                body,
                diagnostics,
                front_ok: true,
            }
        }
        Err(diagnostics) => Doc {
            path: source.path.clone(),
            front: FrontMatter::default(),
            front_source: String::new(),
            body: Rendered::default(),
            diagnostics,
            front_ok: false,
        },
    }
}
