//! Load: the only stage that reads the site's files.
//!
//! It walks the content folder (`content_dir`, `content/` by default, possibly outside the site
//! folder), the theme and the site's own `templates/` and `static/`, and returns their text
//! (Markdown, templates) or paths (assets copied as they are). The theme comes in layers: the
//! default theme built into steppe ([`crate::default_theme`], when `theme = "steppe"`), then
//! `themes/<name>/`, then the site's own folders, each overriding the one below file by file.
//! Hidden files and folders, and those `[content] exclude` names, are not part of the site.
//!
//! Everything read is untrusted: a symbolic link is followed only when it stays inside the site
//! or the content folder, and only regular files are read (see [`crate::read`]). Problems with
//! single files (unreadable, not UTF-8, a symlink loop, a link leading out) become diagnostics;
//! the rest of the site still loads.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use crate::config::Config;
use crate::default_theme;
use crate::diagnostics::{Diagnostic, Location};
use crate::files::{Asset, Contents, SiteFiles, Source, Template};
use crate::read::{self, Refusal};

pub(crate) use crate::read::MAX_TEXT_FILE;

mod data;
mod obsidian;
mod sass;
mod walk;

use walk::{Folders, Found, is_hidden, walk};

/// `themes/<name>/theme.toml`. Parsed only to check the file: steppe uses none of its values,
/// hence the fields named `_…` (serde still reads each under its key).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeInfo {
    #[serde(rename = "name")]
    _name: String,
    #[serde(default, rename = "description")]
    _description: String,
    #[serde(default, rename = "author")]
    _author: String,
    #[serde(default, rename = "license")]
    _license: String,
}

/// The configuration file of a site, below its root.
pub(crate) const CONFIG_FILE: &str = "site.toml";

/// Reads `site.toml` (or `config_file`) and validates it. A folder without `site.toml` but with
/// a `content/` folder is a site too: it builds with the defaults, titled after its folder.
pub(crate) fn load_config(
    root: &Path,
    config_file: Option<&Path>,
) -> Result<Config, Vec<Diagnostic>> {
    let (path, file) = match config_file {
        // Named on the command line: the user's own choice, wherever it is.
        Some(path) => {
            if is_missing(path) {
                return Err(vec![
                    Diagnostic::error(format!(
                        "no site configuration: `{}` does not exist",
                        display_path(root, path).display()
                    ))
                    .with_hint("check the path given to --config"),
                ]);
            }
            let file = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            (path.to_path_buf(), file)
        }
        None => {
            let path = root.join(CONFIG_FILE);
            if is_missing(&path) {
                if root.join(DEFAULT_CONTENT).is_dir() {
                    return Ok(Config {
                        title: crate::scaffold::title_from_dir(root),
                        ..Config::default()
                    });
                }
                return Err(vec![not_a_site(root)]);
            }
            let folders = Folders::new(root, &Config::default());
            let file = folders.file_to_read(&path).map_err(|d| vec![d])?;
            (path, file)
        }
    };
    let source = read_text_as(&file, display_path(root, &path)).map_err(|d| vec![d])?;
    Config::parse(&source.path, &source.text)
}

/// Whether the site at `root` has a `site.toml` (or a symbolic link of that name).
pub(crate) fn has_config_file(root: &Path) -> bool {
    !is_missing(&root.join(CONFIG_FILE))
}

/// The content folder a site without `site.toml` must have.
const DEFAULT_CONTENT: &str = "content";

/// Whether nothing, not even a broken symbolic link, is at `path`.
fn is_missing(path: &Path) -> bool {
    fs::symlink_metadata(path).is_err_and(|e| e.kind() == io::ErrorKind::NotFound)
}

fn not_a_site(root: &Path) -> Diagnostic {
    let cleaned: PathBuf = root
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    let folder = if cleaned.as_os_str().is_empty() {
        "the current folder".to_string()
    } else {
        format!("`{}`", cleaned.display())
    };
    Diagnostic::error(format!(
        "not a steppe site: {folder} has no site.toml and no content/ folder"
    ))
    .with_hint(
        "put your Markdown notes in a content/ folder, run `steppe init` to create a site, or \
         pass `--root DIR` to point at one",
    )
}

/// Which paths of the content folder are not notes: `[content] exclude`, and the template
/// folders a vault's settings name.
fn content_excludes(config: &Config, templates: &[obsidian::TemplateFolder]) -> globset::GlobSet {
    let folders: Vec<&str> = templates.iter().map(|t| t.folder.as_str()).collect();
    config.content_excludes(&folders)
}

/// Loads every file of the site at `root`.
pub(crate) fn load(root: &Path, config: &Config) -> (SiteFiles, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut files = SiteFiles::default();
    let folders = Folders::new(root, config);

    if config.content_dir != Config::default().content_dir && !folders.content.is_dir() {
        diagnostics.push(
            Diagnostic::error(format!(
                "content_dir `{}` is not a folder",
                config.content_dir.display()
            ))
            .at(site_toml_value(
                root,
                "content_dir",
                &config.content_dir.to_string_lossy(),
            ))
            .with_hint("name the folder holding your notes, relative to the site folder"),
        );
    }
    let templates = obsidian::template_folders(&folders.content);
    diagnostics.extend(
        templates
            .iter()
            .map(|t| obsidian::left_out_note(t, &config.content_folder())),
    );
    let excludes = content_excludes(config, &templates);
    let (markdown, assets): (Vec<Found>, Vec<Found>) = walk(
        &folders,
        &folders.content,
        Some(&excludes),
        &mut diagnostics,
    )
    .into_iter()
    .partition(|f| f.path.extension().is_some_and(|e| e == "md"));
    let (sources, errors): (Vec<_>, Vec<_>) = markdown
        .par_iter()
        .map(|found| read_text_as(found.file(), folders.shown(&found.path)))
        .partition(Result::is_ok);
    files.content = sources.into_iter().filter_map(Result::ok).collect();
    diagnostics.extend(errors.into_iter().filter_map(Result::err));
    files.content_assets = assets
        .into_iter()
        .map(|found| found.into_asset(&folders.content))
        .collect();

    // The theme in layers, each overriding the one below file by file: the built-in default
    // theme, its folder under themes/, the site's own templates/ and static/.
    let mut templates: BTreeMap<String, Layer> = BTreeMap::new();
    let mut statics: BTreeMap<String, Layer> = BTreeMap::new();
    if config.theme == default_theme::NAME {
        templates.extend(default_theme::templates().map(|(n, b)| (n.into(), Layer::BuiltIn(b))));
        statics.extend(default_theme::statics().map(|(n, b)| (n.into(), Layer::BuiltIn(b))));
    }
    let theme_dir = root.join("themes").join(&config.theme);
    let mut theme_inside = false;
    if theme_dir.is_dir() {
        match folders.check_inside(&theme_dir) {
            Ok(()) => {
                theme_inside = true;
                collect_into(
                    &folders,
                    &theme_dir.join("templates"),
                    &mut templates,
                    &mut diagnostics,
                );
                collect_into(
                    &folders,
                    &theme_dir.join("static"),
                    &mut statics,
                    &mut diagnostics,
                );
                if let Some(d) = check_theme_toml(&folders, &theme_dir) {
                    diagnostics.push(d);
                }
            }
            Err(d) => diagnostics.push(d),
        }
    } else if config.theme != default_theme::NAME {
        diagnostics.push(missing_theme(root, config));
    }
    collect_into(
        &folders,
        &root.join("templates"),
        &mut templates,
        &mut diagnostics,
    );
    collect_into(
        &folders,
        &root.join("static"),
        &mut statics,
        &mut diagnostics,
    );

    for (name, layer) in templates {
        let source = match layer {
            Layer::Site(found) => read_text_as(found.file(), folders.shown(&found.path)),
            Layer::BuiltIn(bytes) => Ok(Source::new(
                Path::new(default_theme::SHOWN)
                    .join("templates")
                    .join(&name),
                String::from_utf8_lossy(bytes),
            )),
        };
        match source {
            Ok(source) => files.templates.push(Template { name, source }),
            Err(d) => diagnostics.push(d),
        }
    }
    files.statics = statics
        .into_iter()
        .map(|(relative, layer)| Asset {
            relative,
            contents: match layer {
                Layer::Site(found) => Contents::Copy(found.into_file()),
                Layer::BuiltIn(bytes) => Contents::Bytes(bytes::Bytes::from_static(bytes)),
            },
            image: None,
        })
        .collect();
    sass::compile_into(
        &folders,
        theme_inside.then_some(theme_dir.as_path()),
        &mut files.statics,
        &mut diagnostics,
    );
    if config.output.minify {
        minify_statics(&mut files.statics);
    }
    files.data = data::data_files(
        &folders,
        theme_inside.then_some(theme_dir.as_path()),
        &files.templates,
        &mut diagnostics,
    );
    files.static_hashes = data::static_hashes(&files.statics, &files.templates, &mut diagnostics);
    measure_images(&mut files.content_assets);
    measure_images(&mut files.statics);
    (files, diagnostics)
}

/// `[output] minify`: the CSS and JavaScript files of `static/` (and compiled from `sass/`)
/// minified into memory, before their hashes are taken.
fn minify_statics(statics: &mut [Asset]) {
    statics.par_iter_mut().for_each(|asset| {
        let lower = asset.relative.to_ascii_lowercase();
        if !(lower.ends_with(".css") || lower.ends_with(".js")) {
            return;
        }
        let bytes = match &asset.contents {
            Contents::Bytes(bytes) => bytes.to_vec(),
            Contents::Copy(file) => match read::read(file, MAX_TEXT_FILE) {
                Ok(bytes) => bytes,
                // Copied as it is; a file that cannot be read is reported when copied.
                Err(_) => return,
            },
            Contents::Resized(_) => return,
        };
        if let Some(minified) = crate::render::minify::asset(&asset.relative, &bytes) {
            asset.contents = Contents::Bytes(minified.into());
        }
    });
}

/// Reads the size (and hash) of every image among `assets`, in parallel: resolve writes each
/// `<img>`'s `width`, `height` and `srcset` from them.
fn measure_images(assets: &mut [Asset]) {
    assets.par_iter_mut().for_each(|asset| {
        asset.image = match &asset.contents {
            Contents::Copy(file) => crate::images::read_image(file, &asset.relative),
            Contents::Bytes(bytes) => crate::images::image_in(bytes, &asset.relative),
            Contents::Resized(_) => None,
        };
    });
}

/// One file of the theme: from the site folder, or built into steppe.
enum Layer {
    Site(Found),
    BuiltIn(&'static [u8]),
}

/// The `files` of a complete, error-free [`load`] of the site under `config`, after the files
/// at `changed` changed: only those are read again, and every other source keeps its text (the
/// same allocation, so later stages see at once that it is unchanged). `None` when the change
/// is not one this can follow exactly (anything but Markdown files in the content folder
/// written, created or deleted: a folder, an asset, a template, a symlink, an unreadable file);
/// the caller then loads everything. `content` is the content folder, canonical, as are the
/// watcher's `changed` paths.
pub(crate) fn reload(
    content: &Path,
    config: &Config,
    mut files: SiteFiles,
    changed: &[PathBuf],
) -> Option<SiteFiles> {
    let shown_base = config.content_folder();
    let excludes = content_excludes(config, &obsidian::template_folders(content));
    for path in changed {
        let relative = path.strip_prefix(content).ok()?;
        // A vault's settings may name another template folder: which files are notes changed.
        if relative.as_os_str().is_empty()
            || obsidian::TEMPLATE_SETTINGS
                .iter()
                .any(|(settings, _)| relative == Path::new(settings))
        {
            return None;
        }
        // The walk skips hidden files and folders (editors' temporary files) and excluded
        // ones: so does this.
        if relative.components().any(|c| is_hidden(c.as_os_str()))
            || relative.ancestors().any(|a| excludes.is_match(a))
        {
            continue;
        }
        if relative.extension().is_none_or(|e| e != "md") {
            return None;
        }
        let shown = shown_base.join(relative);
        let position = files.content.binary_search_by(|s| s.path.cmp(&shown));
        match fs::symlink_metadata(path) {
            Ok(meta) if meta.is_file() => {
                let source = read_text_as(path, shown).ok()?;
                match position {
                    Ok(i) => files.content[i] = source,
                    Err(i) => files.content.insert(i, source),
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // A folder named `x.md` that held pages is gone with its pages: load it all.
                if files
                    .content
                    .iter()
                    .any(|s| s.path.starts_with(&shown) && s.path != shown)
                {
                    return None;
                }
                if let Ok(i) = position {
                    files.content.remove(i);
                }
            }
            _ => return None,
        }
    }
    Some(files)
}

/// Adds the files under `dir` to `into`, keyed by their `/`-separated path below `dir`, so a
/// later call (the site's own folder) overrides an earlier one (the theme's) file by file.
fn collect_into(
    folders: &Folders<'_>,
    dir: &Path,
    into: &mut BTreeMap<String, Layer>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for found in walk(folders, dir, None, diagnostics) {
        let relative = relative_slash(dir, &found.path);
        into.insert(relative, Layer::Site(found));
    }
}

fn relative_slash(base: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The path to show an author: relative to the site root when inside it.
pub(crate) fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

/// Reads the text file at `path` (a regular file; see [`read::open`]) of at most
/// [`MAX_TEXT_FILE`] bytes, naming it `shown` in the source and in messages.
fn read_text_as(path: &Path, shown: PathBuf) -> Result<Source, Diagnostic> {
    read_text_within(
        path,
        shown,
        MAX_TEXT_FILE,
        "split it into several pages; data that is only copied belongs in a file that does \
         not end in .md (or in static/)",
    )
}

/// [`read_text_as`] with another size limit, and what to do about a file past it.
fn read_text_within(
    path: &Path,
    shown: PathBuf,
    limit: u64,
    too_large_hint: &str,
) -> Result<Source, Diagnostic> {
    let bytes = match read::read(path, limit) {
        Ok(bytes) => bytes,
        Err(Refusal::TooLarge(size)) => {
            return Err(Diagnostic::error(format!(
                "`{}` is too large: {} MB; steppe reads {} of up to {} MB",
                shown.display(),
                read::megabytes(size),
                if limit == MAX_TEXT_FILE {
                    "text files"
                } else {
                    "data files"
                },
                limit / (1024 * 1024)
            ))
            .at(Location::file(&shown))
            .with_hint(too_large_hint));
        }
        Err(refusal) => return Err(read_error(&shown, &refusal)),
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source::new(shown, text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let line_text = String::from_utf8_lossy(&bytes)
                .split('\n')
                .nth(line - 1)
                .unwrap_or("")
                .into();
            Err(Diagnostic::error(format!(
                "`{}` is not valid UTF-8 (byte {valid} is 0x{:02X})",
                shown.display(),
                bytes[valid]
            ))
            .at(Location {
                path: shown.clone(),
                line,
                column,
                len: 1,
                line_text,
            })
            .with_hint("save the file as UTF-8 in your editor"))
        }
    }
}

fn read_error(shown: &Path, refusal: &Refusal) -> Diagnostic {
    Diagnostic::error(format!(
        "cannot read `{}`: {}",
        shown.display(),
        refusal.reason()
    ))
    .at(Location::file(shown))
    .with_hint(refusal.hint())
}

/// Where `key = "value"` is in the site's `site.toml`, for errors about a value that only
/// loading finds wrong (a theme or content folder that is not there).
fn site_toml_value(root: &Path, key: &str, value: &str) -> Location {
    let path = Path::new(CONFIG_FILE);
    let text = read::read(&root.join(CONFIG_FILE), MAX_TEXT_FILE)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default();
    text.lines()
        .enumerate()
        .find(|(_, l)| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or_else(
            || Location::file(path),
            |(i, l)| {
                let column = l.find('"').map_or(1, |c| c + 1);
                let len = value.chars().count() + 2;
                Location::from_line_column(path, &text, i + 1, column, len)
            },
        )
}

fn missing_theme(root: &Path, config: &Config) -> Diagnostic {
    let mut available: Vec<String> = fs::read_dir(root.join("themes"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .chain([default_theme::NAME.to_string()])
        .collect();
    available.sort();
    available.dedup();
    let location = site_toml_value(root, "theme", &config.theme);
    let hint =
        match crate::diagnostics::closest(&config.theme, available.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "available themes: {} (`{}` is built in)",
                available.join(", "),
                default_theme::NAME
            ),
        };
    Diagnostic::error(format!(
        "theme `{}` not found: there is no folder themes/{}/",
        config.theme, config.theme
    ))
    .at(location)
    .with_hint(hint)
}

fn check_theme_toml(folders: &Folders<'_>, theme_dir: &Path) -> Option<Diagnostic> {
    let path = theme_dir.join("theme.toml");
    if is_missing(&path) {
        return None;
    }
    let file = match folders.file_to_read(&path) {
        Ok(file) => file,
        Err(d) => return Some(d),
    };
    let source = match read_text_as(&file, folders.shown(&path)) {
        Ok(source) => source,
        Err(d) => return Some(d),
    };
    let (shown, text) = (&source.path, &*source.text);
    match toml::from_str::<ThemeInfo>(text) {
        Ok(_) => None,
        Err(e) => {
            let location = e.span().map_or_else(
                || Location::file(shown),
                |s| Location::from_offset(shown, text, s.start, s.len()),
            );
            Some(
                Diagnostic::error(format!("invalid theme.toml: {}", e.message().trim()))
                    .at(location)
                    .with_hint("theme.toml knows `name`, `description`, `author` and `license`"),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(root: &Path, path: &Path) -> Result<Source, Diagnostic> {
        read_text_as(path, display_path(root, path))
    }

    fn write(root: &Path, files: &[(&str, &str)]) {
        for (path, text) in files {
            let p = root.join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
    }

    #[test]
    fn a_file_deleted_after_the_walk_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let error = read_text(dir.path(), &dir.path().join("content/gone.md")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: cannot read `content/gone.md`: No such file or directory (os error 2)\n--> content/gone.md\n = help: the file disappeared while steppe was reading it; build again"
        );
    }
    #[test]
    fn text_files_over_the_limit_are_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.md");
        let file = fs::File::create(&path).unwrap();
        file.set_len(MAX_TEXT_FILE + 1).unwrap();
        let error = read_text(dir.path(), &path).unwrap_err();
        assert_eq!(
            error.message,
            "`big.md` is too large: 17 MB; steppe reads text files of up to 16 MB"
        );
        file.set_len(MAX_TEXT_FILE).unwrap();
        assert_eq!(
            read_text(dir.path(), &path).unwrap().text.len() as u64,
            MAX_TEXT_FILE
        );
    }

    #[test]
    fn site_files_override_theme_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            &[
                ("site.toml", ""),
                ("themes/steppe/templates/page.html", "theme page"),
                ("themes/steppe/templates/base.html", "theme base"),
                ("templates/page.html", "site page"),
                ("themes/steppe/static/style.css", "theme css"),
                ("content/a.md", "# A"),
                ("content/b/pic.png", "png"),
                ("content/.hidden/x.md", "hidden"),
            ],
        );
        let (files, diagnostics) = load(root, &Config::default());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let template = |name: &str| {
            let t = files.templates.iter().find(|t| t.name == name).unwrap();
            (
                t.source.path.display().to_string(),
                t.source.text.to_string(),
            )
        };
        assert_eq!(template("base.html").1, "theme base");
        assert_eq!(
            template("page.html"),
            ("templates/page.html".into(), "site page".into())
        );
        // The rest of the theme is the built-in one.
        assert_eq!(
            template("section.html").0,
            "<built-in steppe theme>/templates/section.html"
        );
        assert_eq!(files.templates.len(), default_theme::templates().count());
        assert_eq!(files.content.len(), 1);
        assert_eq!(files.content[0].path, Path::new("content/a.md"));
        assert_eq!(files.content_assets[0].relative, "b/pic.png");
        let statics: Vec<(&str, bool)> = files
            .statics
            .iter()
            .map(|a| (a.relative.as_str(), matches!(a.contents, Contents::Copy(_))))
            .collect();
        assert_eq!(
            statics,
            [
                ("diagrams.js", false),
                ("favicon.svg", false),
                ("reader.js", false),
                ("search.js", false),
                ("style.css", true),
                ("theme.js", false),
                ("vendor/README.md", false),
                ("vendor/mermaid.LICENSE", false),
                ("vendor/mermaid.min.js", false)
            ]
        );
    }

    #[test]
    fn another_theme_gets_no_built_in_files() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &[("themes/plain/templates/page.html", "plain")]);
        let config = Config {
            theme: "plain".into(),
            ..Config::default()
        };
        let (files, diagnostics) = load(dir.path(), &config);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(files.templates.len(), 1);
        assert!(files.statics.is_empty());
    }

    /// Notes kept beside the site, named as people name them: shown and keyed by their path
    /// below `content_dir`, with hidden and excluded files left out.
    #[test]
    fn a_content_dir_outside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        write(
            dir.path(),
            &[
                ("site/site.toml", ""),
                ("My Vault/Café ☕/Ögedei Khan.md", "# Ö"),
                ("My Vault/草原/遊牧.md", "# 遊"),
                ("My Vault/Attachments/map 1.png", "png"),
                ("My Vault/.obsidian/app.json", "{}"),
                ("My Vault/.trash/old.md", "old"),
                ("My Vault/Templates/Daily.md", "{{date}}"),
                ("My Vault/Private/diary.md", "secret"),
                ("My Vault/drafts/x.canvas", "{}"),
            ],
        );
        let config = Config {
            content_dir: "../My Vault".into(),
            content: crate::config::ContentConfig {
                exclude: vec![
                    "Templates/**".into(),
                    "Private/".into(),
                    "**/*.canvas".into(),
                ],
                ..Default::default()
            },
            ..Config::default()
        };
        let (files, diagnostics) = load(&root, &config);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let content: Vec<String> = files
            .content
            .iter()
            .map(|s| s.path.display().to_string())
            .collect();
        assert_eq!(
            content,
            [
                "../My Vault/Café ☕/Ögedei Khan.md",
                "../My Vault/草原/遊牧.md"
            ]
        );
        let assets: Vec<&str> = files
            .content_assets
            .iter()
            .map(|a| a.relative.as_str())
            .collect();
        assert_eq!(assets, ["Attachments/map 1.png"]);

        // A rebuild after a save reads the note again, and still ignores excluded files.
        let vault = fs::canonicalize(dir.path().join("My Vault")).unwrap();
        fs::write(vault.join("草原/遊牧.md"), "# 遊牧").unwrap();
        let changed = [vault.join("草原/遊牧.md"), vault.join("Private/diary.md")];
        let reloaded = reload(&vault, &config, files, &changed).unwrap();
        assert_eq!(&*reloaded.content[1].text, "# 遊牧");
        assert_eq!(reloaded.content.len(), 2);
    }
}
