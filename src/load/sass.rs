//! Sass: the `.scss` and `.sass` files of `sass/` (the theme's, overridden file by file by the
//! site's) compiled to CSS with grass, each to the same path with `.css`, as a static file of
//! the site (so `url(path=…, cachebust=true)` hashes it like any other). Partials (`_x.scss`)
//! are only imported, never written.
//!
//! grass reads imports through [`SassFiles`], a file system holding only the Sass files load
//! read: `@use` and `@import` find the site's Sass files and nothing else, never a file outside
//! `sass/`, whatever path they name.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Diagnostic, Location};
use crate::files::{Asset, Contents, Source};

/// The folder of Sass files in a site and in a theme.
pub(super) const SASS_DIR: &str = "sass";

/// The Sass files of a build: their path below the site as grass sees it (`sass/main.scss`,
/// a theme's too), with their text (its path the one shown to the author).
#[derive(Debug)]
pub(super) struct SassFiles {
    files: BTreeMap<PathBuf, Source>,
}

/// `path` with `.` and `..` applied, never above its start: `sass/a/../b.scss` → `sass/b.scss`.
fn normal(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

impl grass::Fs for SassFiles {
    fn is_dir(&self, path: &Path) -> bool {
        normal(path).is_some_and(|dir| {
            self.files
                .keys()
                .any(|file| file.starts_with(&dir) && *file != dir)
        })
    }

    fn is_file(&self, path: &Path) -> bool {
        normal(path).is_some_and(|file| self.files.contains_key(&file))
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        normal(path)
            .and_then(|file| self.files.get(&file))
            .map(|source| source.text.as_bytes().to_vec())
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        normal(path).ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }
}

impl SassFiles {
    /// `files`: each Sass file's path below `sass/` and its text.
    pub(super) fn new(files: impl IntoIterator<Item = (String, Source)>) -> SassFiles {
        SassFiles {
            files: files
                .into_iter()
                .map(|(relative, source)| (Path::new(SASS_DIR).join(relative), source))
                .collect(),
        }
    }

    /// Every file that is not a partial, compiled: `(path below static/, CSS)`; each error at
    /// its file, line and column.
    pub(super) fn compile(&self, diagnostics: &mut Vec<Diagnostic>) -> Vec<Asset> {
        let options = grass::Options::default().fs(self).quiet(true);
        let mut assets = Vec::new();
        for (path, source) in &self.files {
            let is_sass = path.extension().is_some_and(|e| e == "scss" || e == "sass");
            let partial = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('_'));
            if !is_sass || partial {
                continue;
            }
            match grass::from_path(path, &options) {
                Ok(css) => {
                    let relative = path
                        .strip_prefix(SASS_DIR)
                        .unwrap_or(path)
                        .with_extension("css");
                    let relative: Vec<_> = relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect();
                    assets.push(Asset {
                        relative: relative.join("/"),
                        contents: Contents::Bytes(css.into_bytes().into()),
                        image: None,
                    });
                }
                Err(error) => diagnostics.push(self.error(source, *error)),
            }
        }
        assets
    }

    /// A grass error at the place of the Sass file it names.
    fn error(&self, entry: &Source, error: grass::Error) -> Diagnostic {
        let hint = "check the Sass syntax; `@use` and `@import` find files of sass/ only";
        match error.kind() {
            grass::ErrorKind::ParseError { message, loc, .. } => {
                let named = Path::new(loc.file.name());
                let source = normal(named)
                    .and_then(|file| self.files.get(&file))
                    .unwrap_or(entry);
                let text = &*source.text;
                let line_start: usize = text
                    .split_inclusive('\n')
                    .take(loc.begin.line)
                    .map(str::len)
                    .sum();
                let offset = line_start + loc.begin.column;
                let length = if loc.end.line == loc.begin.line {
                    loc.end.column.saturating_sub(loc.begin.column)
                } else {
                    1
                };
                Diagnostic::error(format!("Sass error: {message}"))
                    .at(Location::from_offset(&source.path, text, offset, length))
                    .with_hint(hint)
            }
            other => Diagnostic::error(format!("Sass error: {other:?}"))
                .at(Location::file(&entry.path))
                .with_hint(hint),
        }
    }
}

/// Reads and compiles the Sass files of the theme at `theme_dir` (when there is one) and of the
/// site, adding the CSS to `statics`. A compiled file on the path of a static file is an error
/// naming both.
pub(super) fn compile_into(
    folders: &super::walk::Folders<'_>,
    theme_dir: Option<&Path>,
    statics: &mut Vec<Asset>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut layered: BTreeMap<String, super::walk::Found> = BTreeMap::new();
    let site_dir = folders.root.join(SASS_DIR);
    for dir in theme_dir
        .map(|t| t.join(SASS_DIR))
        .iter()
        .chain([&site_dir])
    {
        if let Err(d) = folders.check_inside(dir) {
            diagnostics.push(d);
            continue;
        }
        for found in super::walk::walk(folders, dir, None, diagnostics) {
            layered.insert(super::relative_slash(dir, &found.path), found);
        }
    }
    if layered.is_empty() {
        return;
    }
    let mut sources = Vec::new();
    for (relative, found) in layered {
        match super::read_text_as(found.file(), folders.shown(&found.path)) {
            Ok(source) => sources.push((relative, source)),
            Err(d) => diagnostics.push(d),
        }
    }
    let files = SassFiles::new(sources);
    for asset in files.compile(diagnostics) {
        if statics.iter().any(|s| s.relative == asset.relative) {
            let scss = Path::new(&asset.relative).with_extension("scss");
            let shown = Path::new("static").join(&asset.relative);
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` is written twice: from `{}` and as the Sass output of `sass/{}`",
                    asset.relative,
                    shown.display(),
                    scss.display()
                ))
                .at(Location::file(&shown))
                .with_hint("remove one of them, or rename the Sass file"),
            );
            continue;
        }
        statics.push(asset);
    }
    statics.sort_by(|a, b| a.relative.cmp(&b.relative));
}
