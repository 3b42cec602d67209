//! Load: the only stage that reads the site's files.
//!
//! It walks `content/`, the theme and the site's own `templates/` and `static/`, and returns their
//! text (Markdown, templates) or paths (assets copied as they are). Problems with single files
//! (unreadable, not UTF-8, a symlink loop) become diagnostics; the rest of the site still loads.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location};
use crate::files::{Asset, SiteFiles, Source, Template};

/// `themes/<name>/theme.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeInfo {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub license: String,
}

/// Reads `site.toml` (or `config_file`) and validates it.
pub fn load_config(root: &Path, config_file: Option<&Path>) -> Result<Config, Vec<Diagnostic>> {
    let path = config_file.map_or_else(|| root.join("site.toml"), Path::to_path_buf);
    match read_text(root, &path) {
        Ok(source) => Config::parse(&source.path, &source.text),
        Err(_) if !path.exists() && fs::symlink_metadata(&path).is_err() => Err(vec![
            Diagnostic::error(format!(
                "no site configuration: `{}` does not exist",
                display_path(root, &path).display()
            ))
            .with_hint("run `steppe init` to create a site, or pass `--root DIR` to point at one"),
        ]),
        Err(d) => Err(vec![d]),
    }
}

/// Loads every file of the site at `root`.
pub fn load(root: &Path, config: &Config) -> (SiteFiles, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut files = SiteFiles::default();

    let (markdown, assets) = walk(root, &root.join("content"), &mut diagnostics);
    let (sources, errors): (Vec<_>, Vec<_>) = markdown
        .par_iter()
        .map(|path| read_text(root, path))
        .partition(Result::is_ok);
    files.content = sources.into_iter().filter_map(Result::ok).collect();
    diagnostics.extend(errors.into_iter().filter_map(Result::err));
    files.content_assets = assets
        .into_iter()
        .map(|p| asset(&root.join("content"), p))
        .collect();

    let theme_dir = root.join("themes").join(&config.theme);
    let mut template_paths: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut static_paths: BTreeMap<String, PathBuf> = BTreeMap::new();
    if theme_dir.is_dir() {
        collect_into(
            root,
            &theme_dir.join("templates"),
            &mut template_paths,
            &mut diagnostics,
        );
        collect_into(
            root,
            &theme_dir.join("static"),
            &mut static_paths,
            &mut diagnostics,
        );
        if let Some(d) = check_theme_toml(root, &theme_dir) {
            diagnostics.push(d);
        }
    } else if config.theme != Config::default().theme || !root.join("templates/page.html").is_file()
    {
        // A site with its own templates needs no theme, unless it names one.
        diagnostics.push(missing_theme(root, config));
    }
    collect_into(
        root,
        &root.join("templates"),
        &mut template_paths,
        &mut diagnostics,
    );
    collect_into(
        root,
        &root.join("static"),
        &mut static_paths,
        &mut diagnostics,
    );

    for (name, path) in template_paths {
        match read_text(root, &path) {
            Ok(source) => files.templates.push(Template { name, source }),
            Err(d) => diagnostics.push(d),
        }
    }
    files.statics = static_paths
        .into_iter()
        .map(|(relative, absolute)| Asset { relative, absolute })
        .collect();
    (files, diagnostics)
}

/// The `files` of a complete, error-free [`load`] of the site at `root`, after the
/// files at `changed` changed: only those are read again, and every other source keeps its text
/// (the same allocation, so later stages see at once that it is unchanged). `None` when the
/// change is not one this can follow exactly (anything but Markdown files under `content/`
/// written, created or deleted: a folder, an asset, a template, a symlink, an unreadable file);
/// the caller then loads everything. `root` is canonical, as are the watcher's `changed` paths.
pub fn reload(root: &Path, mut files: SiteFiles, changed: &[PathBuf]) -> Option<SiteFiles> {
    let content = root.join("content");
    for path in changed {
        let relative = path.strip_prefix(&content).ok()?;
        if relative.as_os_str().is_empty() {
            return None;
        }
        // The walk skips hidden files and folders (editors' temporary files): so does this.
        if relative.components().any(|c| is_hidden(c.as_os_str())) {
            continue;
        }
        if relative.extension().is_none_or(|e| e != "md") {
            return None;
        }
        let shown = Path::new("content").join(relative);
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

/// Markdown files and other files under `dir`, sorted, following symlinks (loops are errors).
fn walk(
    root: &Path,
    dir: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut markdown = Vec::new();
    let mut other = Vec::new();
    if !dir.is_dir() {
        return (markdown, other);
    }
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_hidden(e.file_name()));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let path = entry.into_path();
                if path.extension().is_some_and(|e| e == "md") {
                    markdown.push(path);
                } else {
                    other.push(path);
                }
            }
            Ok(_) => {}
            Err(e) => diagnostics.push(walk_error(root, &e)),
        }
    }
    (markdown, other)
}

/// Adds the files under `dir` to `into`, keyed by their `/`-separated path below `dir`, so a
/// later call (the site's own folder) overrides an earlier one (the theme's) file by file.
fn collect_into(
    root: &Path,
    dir: &Path,
    into: &mut BTreeMap<String, PathBuf>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let (markdown, other) = walk(root, dir, diagnostics);
    for path in markdown.into_iter().chain(other) {
        let relative = relative_slash(dir, &path);
        into.insert(relative, path);
    }
}

fn asset(base: &Path, absolute: PathBuf) -> Asset {
    Asset {
        relative: relative_slash(base, &absolute),
        absolute,
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

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n.len() > 1)
}

/// The path to show an author: relative to the site root when inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

/// The largest Markdown file or template steppe reads. Far above any page an author writes
/// (a long book is a few MB), low enough that a stray data dump or disk image named `.md` is
/// refused at once instead of exhausting memory in the parser and the search index.
pub const MAX_TEXT_FILE: u64 = 16 * 1024 * 1024;

/// Reads a text file of at most [`MAX_TEXT_FILE`] bytes, checking the size as it reads (a file
/// that grows after `stat` is still cut off at the limit).
fn read_limited(path: &Path) -> io::Result<Result<Vec<u8>, u64>> {
    use std::io::Read;
    let file = fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > MAX_TEXT_FILE {
        return Ok(Err(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(MAX_TEXT_FILE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_TEXT_FILE {
        return Ok(Err(bytes.len() as u64));
    }
    Ok(Ok(bytes))
}

fn read_text(root: &Path, path: &Path) -> Result<Source, Diagnostic> {
    read_text_as(path, display_path(root, path))
}

/// Reads the text file at `path`, naming it `shown` in the source and in messages.
fn read_text_as(path: &Path, shown: PathBuf) -> Result<Source, Diagnostic> {
    let bytes = match read_limited(path).map_err(|e| read_error(&shown, &e))? {
        Ok(bytes) => bytes,
        Err(size) => {
            return Err(Diagnostic::error(format!(
                "`{}` is too large: {} MB; steppe reads text files of up to {} MB",
                shown.display(),
                size.div_ceil(1024 * 1024),
                MAX_TEXT_FILE / (1024 * 1024)
            ))
            .at(Location::file(&shown))
            .with_hint(
                "split it into several pages; data that is only copied belongs in a file that \
                 does not end in .md (or in static/)",
            ));
        }
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

fn read_error(shown: &Path, error: &io::Error) -> Diagnostic {
    let hint = match error.kind() {
        io::ErrorKind::PermissionDenied => "check the file's permissions (`chmod u+r`)",
        io::ErrorKind::NotFound => "the file disappeared while steppe was reading it; build again",
        _ => "check that the file is a readable regular file",
    };
    Diagnostic::error(format!("cannot read `{}`: {error}", shown.display()))
        .at(Location::file(shown))
        .with_hint(hint)
}

fn walk_error(root: &Path, error: &walkdir::Error) -> Diagnostic {
    let path = error
        .path()
        .map(|p| display_path(root, p))
        .unwrap_or_default();
    if let Some(ancestor) = error.loop_ancestor() {
        return Diagnostic::error(format!(
            "symbolic link loop: `{}` points back to `{}`",
            path.display(),
            display_path(root, ancestor).display()
        ))
        .at(Location::file(&path))
        .with_hint("remove the link or make it point outside its own parent folders");
    }
    let message = error
        .io_error()
        .map_or_else(|| error.to_string(), ToString::to_string);
    Diagnostic::error(format!("cannot read `{}`: {message}", path.display()))
        .at(Location::file(&path))
        .with_hint("check the folder's permissions and that every symbolic link points to an existing file")
}

fn missing_theme(root: &Path, config: &Config) -> Diagnostic {
    let mut available: Vec<String> = fs::read_dir(root.join("themes"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    available.sort();
    let text = fs::read_to_string(root.join("site.toml")).unwrap_or_default();
    let location = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with("theme") && l.contains('='))
        .map_or_else(
            || Location::file(Path::new("site.toml")),
            |(i, l)| {
                let column = l.find('"').map_or(1, |c| c + 1);
                let len = config.theme.chars().count() + 2;
                Location::from_line_column(Path::new("site.toml"), &text, i + 1, column, len)
            },
        );
    let hint =
        match crate::diagnostics::closest(&config.theme, available.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None if available.is_empty() => {
                "there is no themes/ folder; create themes/<name>/templates/ or run `steppe init`"
                    .into()
            }
            None => format!("available themes: {}", available.join(", ")),
        };
    Diagnostic::error(format!(
        "theme `{}` not found: there is no folder themes/{}/",
        config.theme, config.theme
    ))
    .at(location)
    .with_hint(hint)
}

fn check_theme_toml(root: &Path, theme_dir: &Path) -> Option<Diagnostic> {
    let path = theme_dir.join("theme.toml");
    let text = fs::read_to_string(&path).ok()?;
    let shown = display_path(root, &path);
    match toml::from_str::<ThemeInfo>(&text) {
        Ok(_) => None,
        Err(e) => {
            let location = e.span().map_or_else(
                || Location::file(&shown),
                |s| Location::from_offset(&shown, &text, s.start, s.len()),
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
        for (path, text) in [
            ("site.toml", ""),
            ("themes/steppe/templates/page.html", "theme page"),
            ("themes/steppe/templates/base.html", "theme base"),
            ("templates/page.html", "site page"),
            ("themes/steppe/static/style.css", "theme css"),
            ("content/a.md", "# A"),
            ("content/b/pic.png", "png"),
            ("content/.hidden/x.md", "hidden"),
        ] {
            let p = root.join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        let (files, diagnostics) = load(root, &Config::default());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let templates: Vec<_> = files
            .templates
            .iter()
            .map(|t| (t.name.as_str(), &*t.source.text))
            .collect();
        assert_eq!(
            templates,
            [("base.html", "theme base"), ("page.html", "site page")]
        );
        assert_eq!(files.content.len(), 1);
        assert_eq!(files.content[0].path, Path::new("content/a.md"));
        assert_eq!(files.content_assets[0].relative, "b/pic.png");
        assert_eq!(files.statics[0].relative, "style.css");
    }
}
