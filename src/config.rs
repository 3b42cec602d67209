//! `site.toml`: the site's configuration, read once, validated, never mutated.
//!
//! Every table denies unknown keys so a typo is an error with line and column. Every key has a
//! default, documented on its field; an empty `site.toml` is a valid configuration.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Location, closest};

/// The whole `site.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Site title, shown in the header and feeds. Default: "My steppe site".
    pub title: String,
    /// One-sentence description for meta tags and feeds. Default: empty.
    pub description: String,
    /// Absolute URL the site is published at, may include a sub-path. Default: "/".
    pub base_url: String,
    /// Language code for `<html lang>` and feeds. Default: "en".
    pub language: String,
    /// Default author for pages and feeds. Default: none.
    pub author: Option<String>,
    /// Theme folder name under `themes/`. The default theme, "steppe", is built into steppe: a
    /// `themes/steppe/` folder is only needed to change its files (it overrides them one by
    /// one). Default: "steppe".
    pub theme: String,
    /// Output folder, relative to the site root. Default: "public".
    pub output_dir: PathBuf,
    /// Folder holding the Markdown notes, relative to the site root; may lie outside it, e.g.
    /// an Obsidian vault beside the site: `"../My Vault"`. Page URLs are paths below it.
    /// Symbolic links in the site may lead into it, and links in it into the site, but none
    /// elsewhere. Default: "content".
    pub content_dir: PathBuf,
    pub content: ContentConfig,
    /// Taxonomies besides `tags`, which always exists. Default: none.
    pub taxonomies: Vec<TaxonomyConfig>,
    pub pagination: PaginationConfig,
    pub feed: FeedConfig,
    pub markdown: MarkdownConfig,
    pub highlighting: HighlightingConfig,
    pub links: LinksConfig,
    pub search: SearchConfig,
    pub output: OutputConfig,
    pub images: ImagesConfig,
    pub reader: ReaderConfig,
    /// Free-form values for themes and templates (`config.extra`). Default: empty.
    pub extra: toml::Table,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "My steppe site".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "en".into(),
            author: None,
            theme: "steppe".into(),
            output_dir: PathBuf::from("public"),
            content_dir: PathBuf::from("content"),
            content: ContentConfig::default(),
            taxonomies: Vec::new(),
            pagination: PaginationConfig::default(),
            feed: FeedConfig::default(),
            markdown: MarkdownConfig::default(),
            highlighting: HighlightingConfig::default(),
            links: LinksConfig::default(),
            search: SearchConfig::default(),
            output: OutputConfig::default(),
            images: ImagesConfig::default(),
            reader: ReaderConfig::default(),
            extra: toml::Table::new(),
        }
    }
}

/// `[[taxonomies]]`: a taxonomy besides `tags`, with its own term pages and feeds.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    /// Name used in front matter and URLs (`/name/term/`).
    pub name: String,
    /// Items per term page. Default: `pagination.per_page`.
    #[serde(default)]
    pub per_page: Option<usize>,
    /// Write an Atom feed per term. Default: true.
    #[serde(default = "yes")]
    pub feed: bool,
}

/// `[content]`: which files of the content folder are notes, and how strictly they are read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContentConfig {
    /// Glob patterns, relative to the content folder, of files and folders that are not part of
    /// the site: `["Templates/**", "Private/", "**/*.canvas"]`. `*` matches within one folder
    /// name, `**` across folders; a pattern naming a folder leaves out everything in it. Hidden
    /// files and folders (`.obsidian/`, `.trash/`, `.git/`) are never content. Default: none.
    pub exclude: Vec<String>,
    /// Unknown front matter keys are errors instead of page properties. Default: false.
    pub strict_front_matter: bool,
}

/// `[pagination]`: how section and term listings are split into pagers.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PaginationConfig {
    /// Pages listed per section or term page. Default: 10.
    pub per_page: usize,
    /// URL segment of page 2 onwards: `/essays/page/2/`. Default: "page".
    pub path: String,
}

impl Default for PaginationConfig {
    fn default() -> Self {
        PaginationConfig {
            per_page: 10,
            path: "page".into(),
        }
    }
}

/// `[feed]`: the Atom feeds of the site and of each term.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedConfig {
    /// Write Atom feeds for the site and each tag. Default: true.
    pub enabled: bool,
    /// Feed file name. Default: "atom.xml".
    pub filename: String,
    /// Most recent entries per feed. Default: 20.
    pub limit: usize,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            enabled: true,
            filename: "atom.xml".into(),
            limit: 20,
        }
    }
}

/// `[markdown]`: how Markdown is turned into HTML.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Curly quotes, en and em dashes, ellipses. Default: true.
    pub smart_punctuation: bool,
    /// `$inline$` and `$$display$$` math rendered to MathML at build time. Default: true.
    pub math: bool,
    /// Anchor link next to each heading. Default: true.
    pub heading_anchors: bool,
    /// Words per minute for reading time. Default: 220.
    pub words_per_minute: usize,
    /// Add `rel="noopener"` and `target="_blank"` to external links. Default: false.
    pub external_links_new_tab: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            smart_punctuation: true,
            math: true,
            heading_anchors: true,
            words_per_minute: 220,
            external_links_new_tab: false,
        }
    }
}

/// `[highlighting]`: build-time syntax highlighting of code blocks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HighlightingConfig {
    /// Highlight fenced code blocks at build time. Default: true.
    pub enabled: bool,
    /// Syntax theme for the light colour scheme. Default: "Coldark-Cold" (its colours meet WCAG AA contrast).
    pub light_theme: String,
    /// Syntax theme for the dark colour scheme. Default: "Coldark-Dark" (its colours meet WCAG AA contrast).
    pub dark_theme: String,
}

impl Default for HighlightingConfig {
    fn default() -> Self {
        HighlightingConfig {
            enabled: true,
            light_theme: "Coldark-Cold".into(),
            dark_theme: "Coldark-Dark".into(),
        }
    }
}

/// `[links]`: how internal links, anchors and images are checked.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LinksConfig {
    /// Level of a broken link, anchor or image (internal, or external with
    /// `steppe check --external`): "error" or "warn". Default: "error".
    pub broken: LinkLevel,
    /// `check --external`: seconds one request may take before it counts as failed. Default: 10.
    pub external_timeout: u64,
    /// `check --external`: requests in flight at once, over all hosts. Default: 32.
    pub external_concurrency: usize,
    /// `check --external`: requests in flight at once to one host. Default: 4.
    pub external_host_concurrency: usize,
    /// `check --external`: retries after a timeout, a 5xx or a 429, with exponential backoff
    /// starting at one second. Default: 2.
    pub external_retries: u64,
    /// `check --external`: hours a successful result stays in `.steppe-cache/external-links.json`
    /// and is not fetched again; 0 disables the cache. Failures are never cached. Default: 24.
    pub external_cache_hours: u64,
    /// `check --external`: regular expressions; URLs matching any of them are not checked.
    /// Default: none.
    pub external_exclude: Vec<String>,
    /// Every item of a checklist page's task lists must link to a page of the site, the one
    /// that explains it: an item whose own text has no `[text](page.md)` or `[[Page]]` link is
    /// a warning. Links in an item's nested list count for that list's items, not for it.
    /// Default: false.
    pub require_checklist_links: bool,
}

impl Default for LinksConfig {
    fn default() -> Self {
        LinksConfig {
            broken: LinkLevel::Error,
            external_timeout: 10,
            external_concurrency: 32,
            external_host_concurrency: 4,
            external_retries: 2,
            external_cache_hours: 24,
            external_exclude: Vec::new(),
            require_checklist_links: false,
        }
    }
}

/// `[search]`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Build a full-text search index (Pagefind) into `pagefind/` and render the search page
    /// `/search/` from the `search.html` template. Default: true.
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// `[output]`
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputConfig {
    /// Minify the HTML pages, and the CSS and JavaScript files of `static/` and `sass/`
    /// (minify-html: whitespace in `<pre>`, closing tags and the search marks are kept; files
    /// named `*.min.js` or `*.min.css` are left alone). Default: false.
    pub minify: bool,
}

/// `[images]`: how local images in Markdown are written (see the images page of the guide).
/// Every local image gets its `width` and `height`, `loading="lazy"` and `decoding="async"`;
/// a PNG, JPEG or WebP wider than `column_width` also gets a `srcset` of resized copies.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImagesConfig {
    /// Width of the theme's text column in CSS pixels: a wider raster image gets a `srcset` and
    /// `sizes="(max-width: <column_width>px) 100vw, <column_width>px"`. Default: 720.
    pub column_width: u32,
    /// Widths of the resized copies in a `srcset`; those narrower than the image are made.
    /// Default: [480, 720, 1080, 1440].
    pub widths: Vec<u32>,
    /// JPEG quality of resized JPEG photos, 1 to 100 (copies of PNG, GIF and WebP images are
    /// lossless WebP). Default: 80.
    pub quality: u8,
    /// Write `srcset` and resized copies at all. Default: true.
    pub responsive: bool,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            column_width: 720,
            widths: vec![480, 720, 1080, 1440],
            quality: 80,
            responsive: true,
        }
    }
}

/// `[reader]`: what a theme offers readers around a page. The default theme reads these; a
/// theme without the matching template (`preview.html`, `explorer.html`) writes none of it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReaderConfig {
    /// Link previews: hovering or focusing a link in a page's text shows the linked page's
    /// title, section and opening (or the heading's section or block the link points to). The
    /// build writes a small fragment under `_preview/` for each page another page links to, from
    /// the theme's `preview.html`. Default: true.
    pub previews: bool,
    /// The explorer: every section and page as a folder tree, written at `/explorer/` from the
    /// theme's `explorer.html`; the default theme also shows it beside each page (in a sidebar
    /// on wide screens, behind a button on narrow ones). Default: true.
    pub explorer: bool,
    /// Order of the explorer's entries in each folder: "title" (folders first, then pages, each
    /// by title, compared as people of the site's `language` sort words: accents and case
    /// after the letter, numbers by value) or "section" (folders first, then the pages in their
    /// section's listing order, `sort_by`). Default: "title".
    pub explorer_order: ExplorerOrder,
    /// How many pages the home page lists under "Recently updated" (newest `updated`, else
    /// `date`, first), when the home page uses the theme's own `index.html`; 0 lists none.
    /// Default: 5.
    pub recently_updated: usize,
    /// A thin bar at the top of a page showing how far the reader has scrolled (CSS only, where
    /// the browser supports scroll-driven animations). Default: false.
    pub reading_progress: bool,
    /// A "Back to top" link at the end of each page. Default: false.
    pub back_to_top: bool,
}

impl Default for ReaderConfig {
    fn default() -> Self {
        ReaderConfig {
            previews: true,
            explorer: true,
            explorer_order: ExplorerOrder::Title,
            recently_updated: 5,
            reading_progress: false,
            back_to_top: false,
        }
    }
}

/// `[reader] explorer_order`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExplorerOrder {
    Title,
    Section,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkLevel {
    Error,
    Warn,
}

fn yes() -> bool {
    true
}

/// One `[content] exclude` pattern. A trailing `/` is dropped: `Private/` names the folder, and
/// a folder that matches is left out with everything in it.
fn exclude_glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    let trimmed = pattern.trim_end_matches('/');
    globset::GlobBuilder::new(if trimmed.is_empty() { pattern } else { trimmed })
        .literal_separator(true)
        .backslash_escape(true)
        .build()
}

/// Every key `site.toml` accepts, by table, for "did you mean" hints.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "author",
    "theme",
    "output_dir",
    "content_dir",
    "content",
    "exclude",
    "taxonomies",
    "pagination",
    "feed",
    "markdown",
    "highlighting",
    "links",
    "search",
    "reader",
    "images",
    "output",
    "extra",
    "name",
    "per_page",
    "path",
    "enabled",
    "filename",
    "limit",
    "smart_punctuation",
    "math",
    "heading_anchors",
    "words_per_minute",
    "external_links_new_tab",
    "light_theme",
    "dark_theme",
    "broken",
    "external_timeout",
    "external_concurrency",
    "external_host_concurrency",
    "external_retries",
    "external_cache_hours",
    "external_exclude",
    "require_checklist_links",
    "previews",
    "explorer",
    "explorer_order",
    "recently_updated",
    "reading_progress",
    "back_to_top",
    "column_width",
    "widths",
    "quality",
    "responsive",
    "minify",
];

impl Config {
    /// Parses and validates `text`, the contents of the file at `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let config: Config = toml::from_str(text).map_err(|e| vec![toml_error(path, text, &e)])?;
        let mut errors = Vec::new();
        config.validate(path, text, &mut errors);
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    fn validate(&self, path: &Path, text: &str, errors: &mut Vec<Diagnostic>) {
        let at_key = |key: &str| key_location(path, text, key);
        if !(self.base_url == "/"
            || self.base_url.starts_with("http://")
            || self.base_url.starts_with("https://")
            || self.base_url.starts_with('/'))
        {
            errors.push(
                Diagnostic::error(format!("`base_url` is not a URL: `{}`", self.base_url))
                    .at(at_key("base_url"))
                    .with_hint("use an absolute URL such as \"https://example.com/\" or a path such as \"/blog/\""),
            );
        }
        if self.pagination.per_page == 0 {
            errors.push(
                Diagnostic::error("`pagination.per_page` must be at least 1")
                    .at(at_key("per_page"))
                    .with_hint("set it to the number of pages a section lists per page, e.g. 10"),
            );
        }
        // Both become one name in output paths (`essays/page/2/`, `tags/x/atom.xml`): a `/`,
        // `..` or a long name would be a path `check` accepts and `build` cannot write.
        for (key, value, example) in [
            ("path", &self.pagination.path, "page"),
            ("filename", &self.feed.filename, "atom.xml"),
        ] {
            let usable = !value.is_empty()
                && value.len() <= 100
                && !value.starts_with('.')
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
            if !usable {
                let table = if key == "path" { "pagination" } else { "feed" };
                errors.push(
                    Diagnostic::error(format!(
                        "`{table}.{key}` is not a file name a URL can hold as it is: `{value}`"
                    ))
                    .at(at_key(key))
                    .with_hint(format!(
                        "use up to 100 letters, digits, `-`, `_` and `.` (not `.` first), e.g. \"{example}\""
                    )),
                );
            }
        }
        let mut seen = vec!["tags"];
        for taxonomy in &self.taxonomies {
            if crate::slug::slugify(&taxonomy.name) != taxonomy.name {
                errors.push(
                    Diagnostic::error(format!(
                        "taxonomy name `{}` is not usable in a URL",
                        taxonomy.name
                    ))
                    .at(value_location(path, text, &taxonomy.name))
                    .with_hint(format!(
                        "use lowercase letters, digits and dashes, e.g. `{}`",
                        crate::slug::slugify(&taxonomy.name)
                    )),
                );
            } else if seen.contains(&taxonomy.name.as_str()) {
                errors.push(
                    Diagnostic::error(format!("taxonomy `{}` is declared twice", taxonomy.name))
                        .at(value_location(path, text, &taxonomy.name))
                        .with_hint(if taxonomy.name == "tags" {
                            "`tags` always exists; remove this entry".to_string()
                        } else {
                            "remove one of the two entries".to_string()
                        }),
                );
            }
            seen.push(&taxonomy.name);
        }
        for (key, value) in [
            ("external_timeout", self.links.external_timeout as usize),
            ("external_concurrency", self.links.external_concurrency),
            (
                "external_host_concurrency",
                self.links.external_host_concurrency,
            ),
        ] {
            if value == 0 {
                errors.push(
                    Diagnostic::error(format!("`links.{key}` must be at least 1"))
                        .at(at_key(key))
                        .with_hint("remove the key to use the default"),
                );
            }
        }
        if !(1..=100).contains(&self.images.quality) {
            errors.push(
                Diagnostic::error(format!(
                    "`images.quality` must be between 1 and 100, not {}",
                    self.images.quality
                ))
                .at(at_key("quality"))
                .with_hint("80 keeps photographs sharp at a quarter of their size"),
            );
        }
        if self.images.column_width == 0
            || self
                .images
                .widths
                .iter()
                .any(|w| !(16..=crate::files::MAX_IMAGE_SIDE).contains(w))
        {
            let key = if self.images.column_width == 0 {
                "column_width"
            } else {
                "widths"
            };
            errors.push(
                Diagnostic::error(format!(
                    "`images.{key}` must be widths from 16 to {} pixels",
                    crate::files::MAX_IMAGE_SIDE
                ))
                .at(at_key(key))
                .with_hint("remove the key to use the default"),
            );
        }
        for pattern in &self.links.external_exclude {
            if let Err(error) = regex::Regex::new(pattern) {
                let detail = error.to_string();
                let last = detail.lines().last().unwrap_or("").trim();
                errors.push(
                    Diagnostic::error(format!(
                        "`links.external_exclude` holds an invalid regular expression: {}",
                        last.strip_prefix("error: ").unwrap_or(last)
                    ))
                    .at(value_location(path, text, pattern))
                    .with_hint("write a regular expression such as \"^https://example\\.com/\""),
                );
            }
        }
        if self.content_dir.as_os_str().is_empty() {
            errors.push(
                Diagnostic::error("`content_dir` is empty")
                    .at(at_key("content_dir"))
                    .with_hint("name the folder holding your notes, such as \"content\" or \"../My Vault\""),
            );
        }
        for pattern in &self.content.exclude {
            if let Err(error) = exclude_glob(pattern) {
                errors.push(
                    Diagnostic::error(format!(
                        "`content.exclude` holds an invalid pattern: {}",
                        error.kind()
                    ))
                    .at(value_location(path, text, pattern))
                    .with_hint(
                        "write a glob relative to the content folder, such as \"Templates/**\" or \"**/*.canvas\"",
                    ),
                );
            }
        }
        if self.output_dir.as_os_str().is_empty() {
            errors.push(
                Diagnostic::error("`output_dir` is empty")
                    .at(at_key("output_dir"))
                    .with_hint("use a folder name such as \"public\""),
            );
        }
    }

    /// Whether `output_dir` leads out of the site root (absolute, or climbing with `..`): a
    /// site.toml, which may come from anyone, cannot choose where outside the site a build
    /// writes; only the command line can.
    pub(crate) fn output_dir_leaves_the_site(&self) -> bool {
        let mut depth = 0usize;
        for component in self.output_dir.components() {
            match component {
                std::path::Component::Normal(_) => depth += 1,
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir if depth > 0 => depth -= 1,
                _ => return true,
            }
        }
        false
    }

    /// `content_dir` as the author wrote it, without `.` segments: how content paths start in
    /// messages (`content/essays/x.md`, `../My Vault/Note.md`). Empty for `"."`.
    pub(crate) fn content_folder(&self) -> PathBuf {
        self.content_dir
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect()
    }

    /// The `[content] exclude` patterns as one matcher of paths relative to the content folder
    /// (`/`-separated), plus the Markdown files in `folders` (taken literally).
    /// `*` stays within a folder; `**` crosses folders. Invalid patterns were refused when the
    /// configuration was read, and are left out here.
    pub(crate) fn content_excludes(&self, folders: &[&str]) -> globset::GlobSet {
        let mut set = globset::GlobSetBuilder::new();
        let literal = folders
            .iter()
            .map(|f| format!("{}/**/*.md", globset::escape(f)));
        for glob in self
            .content
            .exclude
            .iter()
            .cloned()
            .chain(literal)
            .filter_map(|p| exclude_glob(&p).ok())
        {
            set.add(glob);
        }
        set.build().unwrap_or_else(|_| globset::GlobSet::empty())
    }

    /// Names of all taxonomies, `tags` first.
    pub(crate) fn taxonomy_names(&self) -> Vec<&str> {
        std::iter::once("tags")
            .chain(
                self.taxonomies
                    .iter()
                    .map(|t| t.name.as_str())
                    .filter(|n| *n != "tags"),
            )
            .collect()
    }

    /// Items per page for a taxonomy's term pages.
    pub(crate) fn taxonomy_per_page(&self, name: &str) -> usize {
        self.taxonomies
            .iter()
            .find(|t| t.name == name)
            .and_then(|t| t.per_page)
            .unwrap_or(self.pagination.per_page)
            .max(1)
    }

    /// Whether a taxonomy's terms get their own feeds.
    pub(crate) fn taxonomy_feed(&self, name: &str) -> bool {
        self.feed.enabled
            && self
                .taxonomies
                .iter()
                .find(|t| t.name == name)
                .is_none_or(|t| t.feed)
    }

    /// The path part of `base_url`, always starting and ending with `/` (`/blog/`).
    pub(crate) fn base_path(&self) -> String {
        let rest = self
            .base_url
            .strip_prefix("https://")
            .or_else(|| self.base_url.strip_prefix("http://"))
            .map(|r| r.find('/').map_or("/", |i| &r[i..]))
            .unwrap_or(&self.base_url);
        let trimmed = rest.trim_matches('/');
        if trimmed.is_empty() {
            "/".into()
        } else {
            format!("/{trimmed}/")
        }
    }

    /// `base_url` with exactly one trailing slash.
    pub(crate) fn base_url_slash(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }

    /// Absolute URL of a site path such as `/essays/x/`.
    pub(crate) fn permalink(&self, site_path: &str) -> String {
        format!(
            "{}{}",
            self.base_url_slash(),
            site_path.trim_start_matches('/')
        )
    }
}

/// Turns a toml parse or schema error into a located diagnostic with a hint.
fn toml_error(path: &Path, text: &str, error: &toml::de::Error) -> Diagnostic {
    let message = error.message().trim().to_string();
    let location = match error.span() {
        Some(span) => Location::from_offset(path, text, span.start, span.len()),
        None => Location::file(path),
    };
    let (message, hint) = if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest
            .split("expected one of ")
            .nth(1)
            .or_else(|| rest.split("expected ").nth(1))
            .map(|s| {
                s.split(", ")
                    .map(|k| k.trim_matches(|c| c == '`' || c == ' '))
                    .collect()
            })
            .unwrap_or_default();
        let suggestion = closest(key, expected.iter().copied())
            .or_else(|| closest(key, KNOWN_KEYS.iter().copied()));
        let hint = match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "known keys here: {}; free-form values belong under [extra]",
                expected.join(", ")
            ),
        };
        (format!("unknown key `{key}` in site.toml"), hint)
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        // `invalid type: string "ten", expected usize`
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another type"));
        let expected = match expected {
            "usize" | "u64" | "u32" | "i64" => "a whole number without quotes",
            "a boolean" => "`true` or `false` without quotes",
            "a string" => "text in quotes",
            other => other,
        };
        (
            format!("wrong type in site.toml: expected {expected}, found {found}"),
            "see the site.toml reference (docs/content/reference/site-toml.md) for each key's type"
                .to_string(),
        )
    } else {
        let hint =
            "check the TOML syntax: strings need quotes, tables are written [name]".to_string();
        (message, hint)
    };
    Diagnostic::error(message).at(location).with_hint(hint)
}

/// Location of the first `key =` line, or the file when the key is absent.
/// Location of `key = …` in `text`, the site.toml at `path`; the whole file when not found.
pub(crate) fn key_location(path: &Path, text: &str, key: &str) -> Location {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let start = offset + (line.len() - trimmed.len());
            return Location::from_offset(path, text, start, key.len());
        }
        offset += line.len();
    }
    Location::file(path)
}

/// Location of the first quoted occurrence of `value`.
fn value_location(path: &Path, text: &str, value: &str) -> Location {
    let quoted = format!("\"{value}\"");
    match text.find(&quoted) {
        Some(i) => Location::from_offset(path, text, i, quoted.len()),
        None => Location::file(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(Path::new("site.toml"), text)
    }

    #[test]
    fn empty_file_is_all_defaults() {
        assert_eq!(parse("").unwrap(), Config::default());
    }

    #[test]
    fn unknown_key_is_located_with_suggestion() {
        let errors = parse("title = \"x\"\ntitel = \"y\"\n").unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "error: unknown key `titel` in site.toml\n --> site.toml:2:1\n  |\n2 | titel = \"y\"\n  | ^^^^^\n  |\n  = help: did you mean `title`?"
        );
    }

    #[test]
    fn unknown_key_in_nested_table() {
        let errors = parse("[markdown]\nsmart_punctation = false\n").unwrap_err();
        let text = errors[0].to_string();
        assert!(text.contains("site.toml:2:1"), "{text}");
        assert!(text.contains("did you mean `smart_punctuation`?"), "{text}");
    }

    #[test]
    fn base_path_of_sub_path_url() {
        let config = parse("base_url = \"https://example.com/blog\"").unwrap();
        assert_eq!(config.base_path(), "/blog/");
        assert_eq!(
            config.permalink("/essays/x/"),
            "https://example.com/blog/essays/x/"
        );
        assert_eq!(parse("").unwrap().base_path(), "/");
    }

    #[test]
    fn search_table() {
        assert!(parse("").unwrap().search.enabled);
        assert!(!parse("[search]\nenabled = false\n").unwrap().search.enabled);
        let errors = parse("[search]\nenable = false\n").unwrap_err();
        let text = errors[0].to_string();
        assert!(text.contains("site.toml:2:1"), "{text}");
        assert!(text.contains("did you mean `enabled`?"), "{text}");
    }

    #[test]
    fn wrong_type_is_located() {
        let errors = parse("[pagination]\nper_page = \"ten\"\n").unwrap_err();
        let text = errors[0].to_string();
        assert!(text.contains("site.toml:2:12"), "{text}");
    }
}
