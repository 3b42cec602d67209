//! Walking the site's folders: which files are part of the site, and which file to open for
//! each. Symbolic links are followed only where [`Roots`] allows, and the link's target is kept
//! as the file to open, so reading never follows a link ([`crate::read::open`]).

use std::fs;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location};
use crate::files::Contents;
use crate::read::{self, LinkError, Refusal, Roots};

use super::{Asset, display_path, read_error, relative_slash};

/// Where a site's files are, and how their paths are shown to the author.
pub(super) struct Folders<'a> {
    pub(super) root: &'a Path,
    /// The content folder: `content_dir` joined to the root.
    pub(super) content: PathBuf,
    /// `content_dir` as the author wrote it: content paths are shown below it.
    content_shown: PathBuf,
    /// Where symbolic links may lead.
    pub(super) roots: Roots,
}

impl Folders<'_> {
    pub(super) fn new<'a>(root: &'a Path, config: &Config) -> Folders<'a> {
        let content = root.join(&config.content_dir);
        // A content folder named in site.toml may be anywhere; `content/` by default is part
        // of the site, and a link that takes it elsewhere leads out like any other.
        let named = config.content_dir != Config::default().content_dir;
        Folders {
            roots: Roots::new(root, if named { &content } else { root }),
            root,
            content,
            content_shown: config.content_folder(),
        }
    }

    /// The path to show an author for `path`, which is below the root or the content folder:
    /// `content/essays/x.md`, `../My Vault/Note.md`, `themes/steppe/templates/page.html`.
    pub(super) fn shown(&self, path: &Path) -> PathBuf {
        match path.strip_prefix(&self.content) {
            Ok(relative) => self.content_shown.join(relative),
            Err(_) => display_path(self.root, path),
        }
    }

    /// The file to open for `path`: itself, or the target of the symbolic link it is, when
    /// that target is inside the site or the content folder.
    pub(super) fn file_to_read(&self, path: &Path) -> Result<PathBuf, Diagnostic> {
        match fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_symlink() => self
                .roots
                .follow(path)
                .map_err(|e| self.link_error(path, e)),
            _ => Ok(path.to_path_buf()),
        }
    }

    /// Whether the folder `dir`, below the root, is inside the site after following links;
    /// else the diagnostic naming the link that leads out.
    pub(super) fn check_inside(&self, dir: &Path) -> Result<(), Diagnostic> {
        let Ok(canonical) = fs::canonicalize(dir) else {
            return Ok(()); // missing: nothing will be read from it
        };
        if self.roots.contains(&canonical) {
            return Ok(());
        }
        // Name the link on the way: the folder itself or one above it.
        let relative = dir.strip_prefix(self.root).unwrap_or(dir);
        let mut link = self.root.to_path_buf();
        for component in relative.components() {
            link.push(component);
            if fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(self.link_error(&link, self.roots.follow(&link).err_or_outside()));
            }
        }
        Err(self.link_error(dir, LinkError::Outside { written: canonical }))
    }

    pub(super) fn link_error(&self, link: &Path, error: LinkError) -> Diagnostic {
        let shown = self.shown(link);
        match error {
            LinkError::Outside { written } => Diagnostic::error(format!(
                "symbolic link `{}` points outside the site, to `{}`",
                shown.display(),
                written.display()
            ))
            .at(Location::file(&shown))
            .with_hint(
                "steppe reads only files inside the site folder and content_dir; copy what you \
                 need into the site, or remove the link",
            ),
            LinkError::Io(e) => read_error(&shown, &Refusal::Io(e)),
        }
    }
}

/// A [`Roots::follow`] result as the error it is known to be.
trait OutsideLink {
    fn err_or_outside(self) -> LinkError;
}

impl OutsideLink for Result<PathBuf, LinkError> {
    fn err_or_outside(self) -> LinkError {
        match self {
            Ok(written) => LinkError::Outside { written },
            Err(e) => e,
        }
    }
}

/// A file found by a walk: its path in the site (or the content folder), and, when that path
/// is a symbolic link, the link's target, which is the file to open.
pub(super) struct Found {
    pub(super) path: PathBuf,
    target: Option<PathBuf>,
}

impl Found {
    pub(super) fn file(&self) -> &Path {
        self.target.as_deref().unwrap_or(&self.path)
    }

    pub(super) fn into_file(self) -> PathBuf {
        self.target.unwrap_or(self.path)
    }

    pub(super) fn into_asset(self, base: &Path) -> Asset {
        Asset {
            relative: relative_slash(base, &self.path),
            contents: Contents::Copy(self.into_file()),
            image: None,
        }
    }
}

/// The files under `dir`, sorted. Hidden files and folders, and those `excludes` matches (paths
/// relative to `dir`), are skipped. Symbolic links are followed where they stay inside the site
/// or the content folder (loops are errors) and refused elsewhere; files that are not regular
/// files (FIFOs, sockets, devices) are left out with a warning.
pub(super) fn walk(
    folders: &Folders<'_>,
    dir: &Path,
    excludes: Option<&globset::GlobSet>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Found> {
    let mut found = Vec::new();
    if !dir.is_dir() {
        return found;
    }
    // Inside the site, or the content folder that site.toml names, wherever that is.
    if let Err(d) = folders.check_inside(dir) {
        diagnostics.push(d);
        return found;
    }
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(is_hidden(e.file_name())
                    || excludes.is_some_and(|x| {
                        x.is_match(e.path().strip_prefix(dir).unwrap_or(e.path()))
                    }))
        });
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                diagnostics.push(walk_error(folders, &e));
                continue;
            }
        };
        let mut target = None;
        if entry.path_is_symlink() && entry.depth() > 0 {
            match folders.roots.follow(entry.path()) {
                Ok(resolved) => target = Some(resolved),
                Err(e) => {
                    diagnostics.push(folders.link_error(entry.path(), e));
                    if entry.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    continue;
                }
            }
        }
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        if !file_type.is_file() {
            let shown = folders.shown(entry.path());
            diagnostics.push(
                Diagnostic::warning(format!(
                    "`{}` is {}, not a regular file; it is left out",
                    shown.display(),
                    read::describe(file_type)
                ))
                .at(Location::file(&shown))
                .with_hint(
                    "steppe reads and copies only regular files; remove it from the site folder",
                ),
            );
            continue;
        }
        found.push(Found {
            path: entry.into_path(),
            target,
        });
    }
    found
}

pub(super) fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n.len() > 1)
}

fn walk_error(folders: &Folders<'_>, error: &walkdir::Error) -> Diagnostic {
    let path = error.path().map(|p| folders.shown(p)).unwrap_or_default();
    if let Some(ancestor) = error.loop_ancestor() {
        return Diagnostic::error(format!(
            "symbolic link loop: `{}` points back to `{}`",
            path.display(),
            folders.shown(ancestor).display()
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
