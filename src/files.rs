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
    /// For an image (`.png`, `.jpg`, `.jpeg`, `.gif`, `.webp`, `.svg`), what load read of it:
    /// its size, or why it cannot be used. A field of the asset, so whatever compares assets
    /// (resolve's memo) sees an image replaced by another.
    pub image: Option<Result<Image, String>>,
}

impl Asset {
    /// The file an asset is copied from; `None` for a built-in theme file.
    pub(crate) fn source(&self) -> Option<&std::path::Path> {
        match &self.contents {
            Contents::Copy(file) => Some(file),
            Contents::Bytes(_) | Contents::Resized(_) => None,
        }
    }
}

/// What load reads of an image file: enough to write its `<img>` tag and name its resized
/// copies, without decoding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub format: ImageFormat,
    /// XXH3-64 of the file's bytes (0 for SVG, which is never resized): the resized copies are
    /// named and cached by it.
    pub hash: u64,
}

/// Widest or tallest image steppe reads or makes, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 16_384;

/// The image formats steppe reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ImageFormat {
    Png,
    Jpeg,
    Gif,
    WebP,
    Svg,
}

impl ImageFormat {
    /// The file extension of a file in this format.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Gif => "gif",
            ImageFormat::WebP => "webp",
            ImageFormat::Svg => "svg",
        }
    }
}

/// A resized copy of an image, described as data: render names it, and only write (or serve)
/// decodes, resizes and encodes, through the cache. Its output path is derived from every field
/// but `source`, so two copies with one path are the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Resize {
    /// The image file (absolute, inside the site or the content folder).
    pub source: PathBuf,
    /// The source's [`Image::hash`] and size, as load read them.
    pub source_hash: u64,
    pub source_width: u32,
    pub source_height: u32,
    /// The size of the copy.
    pub width: u32,
    pub height: u32,
    /// Which part of the source is kept: all of it, or a centred crop of this size in source
    /// pixels (`fill`).
    pub crop: Option<(u32, u32)>,
    pub format: ImageFormat,
    /// JPEG and lossy quality, 1–100 (WebP is written losslessly).
    pub quality: u8,
}

/// Bump when the resizing or encoding changes, so copies made before are not reused.
pub const RESIZE_VERSION: u8 = 1;

impl Resize {
    /// `<hash>.<ext>`: a hash of every input of the copy's bytes but the source's path, so a
    /// cached or published file with that name is the same picture.
    pub fn file_name(&self) -> String {
        let mut key = Vec::with_capacity(40);
        key.push(RESIZE_VERSION);
        key.extend(self.source_hash.to_le_bytes());
        for n in [
            self.source_width,
            self.source_height,
            self.width,
            self.height,
        ] {
            key.extend(n.to_le_bytes());
        }
        let (cw, ch) = self.crop.unwrap_or((0, 0));
        key.extend(cw.to_le_bytes());
        key.extend(ch.to_le_bytes());
        key.push(self.format as u8);
        key.push(self.quality);
        format!(
            "{:032x}.{}",
            xxhash_rust::xxh3::xxh3_128(&key),
            self.format.extension()
        )
    }
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
    /// A resized copy of an image, made when written.
    Resized(Arc<Resize>),
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
