//! The files that flow through the pipeline: what load reads ([`Source`], [`Asset`],
//! [`Template`], gathered in [`SiteFiles`]) and what render and search hand to write
//! ([`Output`]), with the one mapping from an output path to the URL path it is served at.
//!
//! This is the vocabulary every stage shares, so it is a leaf: it imports nothing of steppe's.
//! Pure stages name these types without importing the I/O modules that produce or consume them.

use std::path::PathBuf;
use std::sync::Arc;

/// A file as read from disk. `path` is relative to the site root (`content/essays/x.md`).
/// The text is shared: a file the dev server did not need to read again keeps the same
/// allocation, so "unchanged" is a pointer comparison ([`Source::same_text`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Source {
    pub path: PathBuf,
    pub text: Arc<str>,
}

impl Source {
    pub(crate) fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Source {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }

    /// Whether `text` is this source's text: the same allocation, or equal bytes.
    pub(crate) fn same_text(&self, text: &Arc<str>) -> bool {
        Arc::ptr_eq(&self.text, text) || *self.text == **text
    }
}

/// A file copied to the output unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Path relative to its base folder (`content/` or `static/`), `/`-separated.
    pub relative: String,
    /// The file to copy (a regular file inside the site or the content folder), or the bytes
    /// of a file of the built-in theme.
    pub contents: Contents,
}

/// A template with the name templates use for it (`page.html`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Template {
    pub name: String,
    pub source: Source,
}

/// Everything the later stages need from disk.
#[derive(Debug, Clone, Default)]
pub struct SiteFiles {
    /// Markdown files of the content folder, paths as shown to the author (`content/a.md`,
    /// `../My Vault/Note.md`), sorted.
    pub content: Vec<Source>,
    /// Other files under `content/`, copied beside the pages.
    pub content_assets: Vec<Asset>,
    /// Theme templates overridden file by file by the site's `templates/`.
    pub templates: Vec<Template>,
    /// Theme `static/` overridden file by file by the site's `static/`.
    pub statics: Vec<Asset>,
    /// Files of `data/` (the theme's, overridden by the site's by name: `data/x.toml` by
    /// `data/x.json`), then the other files templates load by a literal path
    /// (`load_data(path="content/table.csv")`), sorted by `site_path`.
    pub data: Vec<DataFile>,
    /// Hashes of the static files templates ask a cache-busting URL for
    /// (`url(path="style.css", cachebust=true)`), by their path below `static/`.
    pub static_hashes: std::collections::BTreeMap<String, String>,
}

/// A file templates read as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFile {
    /// Its path from the site root, `/`-separated, as `load_data` names it: `data/events.toml`
    /// (a theme's `data/` files too).
    pub site_path: String,
    /// Whether it is under `data/`, and so part of the `data` every template sees.
    pub in_data_folder: bool,
    /// Its text (the source's path is the one shown to the author), or why it could not be
    /// read: said by `load_data` when a template calls it.
    pub text: Result<Source, String>,
}

/// What an output file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// Bytes rendered in memory.
    Bytes(bytes::Bytes),
    /// A file copied as is (a static asset); an absolute path.
    Copy(PathBuf),
}

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Relative to the output folder, `/`-separated: `essays/x/index.html`.
    pub path: String,
    pub contents: Contents,
}

impl Output {
    pub fn bytes(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Output {
        Output {
            path: path.into(),
            contents: Contents::Bytes(bytes.into().into()),
        }
    }

    /// Only tests make one: the loader's assets carry [`Contents::Copy`] themselves.
    #[cfg(test)]
    pub(crate) fn copy(path: impl Into<String>, source: impl Into<PathBuf>) -> Output {
        Output {
            path: path.into(),
            contents: Contents::Copy(source.into()),
        }
    }
}

/// The URL path an output file is served at: `essays/x/index.html` → `/essays/x/`,
/// `index.html` → `/`, `style.css` → `/style.css`.
pub(crate) fn url_path(output_path: &str) -> String {
    if output_path == "index.html" {
        "/".to_string()
    } else if let Some(folder) = output_path.strip_suffix("/index.html") {
        format!("/{folder}/")
    } else {
        format!("/{output_path}")
    }
}

#[cfg(test)]
mod tests {
    use super::url_path;

    #[test]
    fn url_paths_drop_index_html() {
        assert_eq!(url_path("index.html"), "/");
        assert_eq!(url_path("essays/x/index.html"), "/essays/x/");
        assert_eq!(url_path("style.css"), "/style.css");
        assert_eq!(url_path("404.html"), "/404.html");
        assert_eq!(url_path("notindex.html"), "/notindex.html");
    }
}
