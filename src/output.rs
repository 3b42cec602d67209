//! Write: the only stage that changes the file system. Outputs are written to a staging folder
//! beside the output folder and published with one atomic exchange.
//!
//! # Design
//!
//! A build must never leave a half-written or mixed site behind, and must never delete anything
//! the author did not let steppe create. So [`publish`] works in three steps:
//!
//! 1. **Guard.** [`check_output_dir`] refuses output folders that would destroy the author's
//!    work: the site root, `content/`, `themes/`, `templates/`, `static/` or anything inside them,
//!    an ancestor of the site root, `$HOME` and `/`. Paths are compared canonicalized, so
//!    symlinks and `..` cannot sneak around the check; a folder that does not exist yet is
//!    resolved through its nearest existing ancestor.
//! 2. **Stage.** Every output is written, in parallel, into a fresh folder next to the output
//!    folder (same parent, hence the same file system, so a rename is atomic):
//!    `<name>.steppe-staging-<pid>-<nanos>-<n>`. It holds a marker file, [`MARKER`]; steppe only
//!    ever deletes a folder that holds this marker. If any write fails (disk full, permission
//!    denied, two outputs colliding) the staging folder is removed and the existing output is
//!    left exactly as it was.
//! 3. **Swap.** A missing output folder (or an empty one) is replaced with one `rename`. An
//!    existing one must hold the marker; it is swapped with the staging folder by
//!    `renameat2(RENAME_EXCHANGE)`, so at every instant the output path names either the complete
//!    old tree or the complete new one; the old tree, now at the staging path, is then deleted.
//!    Where the exchange is unsupported (other systems, some file systems) the old tree is first
//!    renamed aside to `<name>.steppe-old-…`, which leaves a short window without an output
//!    folder but never a mixed one.
//!
//! A build killed between the steps leaves a marked `*.steppe-staging-*` or `*.steppe-old-*`
//! folder behind; [`clean_stale_staging`] (also run at the start of every publish) removes those
//! of dead processes. Files are not fsynced: publishing protects against failed builds, not
//! against power loss.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::files::{Contents, Output};

/// Name of the marker file that every folder steppe creates holds.
pub const MARKER: &str = ".steppe-output";

const MARKER_TEXT: &str =
    "This folder was written by steppe and is replaced on every build. Do not edit it.\n";

const STAGING_INFIX: &str = ".steppe-staging-";
const OLD_INFIX: &str = ".steppe-old-";

/// What a publish wrote (the marker not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PublishStats {
    pub files_written: usize,
    pub bytes_written: u64,
}

/// Refuses an output folder that steppe must never replace. `output_dir` is relative to
/// `site_root` (or absolute); it need not exist.
pub fn check_output_dir(site_root: &Path, output_dir: &Path) -> Result<(), Diagnostic> {
    let shown = output_dir.display();
    let root = fs::canonicalize(site_root).map_err(|e| {
        Diagnostic::error(format!(
            "cannot open the site folder `{}`: {e}",
            site_root.display()
        ))
        .with_hint("run steppe in the site folder, or pass it with --root")
    })?;
    let output = resolve(&site_root.join(output_dir)).map_err(|e| {
        Diagnostic::error(format!("cannot resolve output_dir `{shown}`: {e}"))
            .with_hint("check that the folders above it exist and are readable")
    })?;
    let refuse = |what: String| {
        Err(
            Diagnostic::error(format!("output_dir `{shown}` is {what}")).with_hint(
                "steppe replaces the output folder on every build; set output_dir in site.toml \
                 to a folder of its own, such as \"public\"",
            ),
        )
    };
    if output.parent().is_none() {
        return refuse("the file system root `/`".to_string());
    }
    if output == root {
        return refuse("the site folder itself".to_string());
    }
    if root.starts_with(&output) {
        return refuse(format!(
            "a folder that contains the site (`{}`)",
            output.display()
        ));
    }
    if let Some(home) = std::env::var_os("HOME").and_then(|h| fs::canonicalize(h).ok())
        && output == home
    {
        return refuse("your home folder".to_string());
    }
    for source in ["content", "themes", "templates", "static"] {
        let source_dir = root.join(source);
        if output == source_dir {
            return refuse(format!("the site's `{source}/` folder"));
        }
        if output.starts_with(&source_dir) {
            return refuse(format!("inside the site's `{source}/` folder"));
        }
    }
    Ok(())
}

/// Canonical form of `path`, which need not exist: its nearest existing ancestor canonicalized,
/// with the rest appended (`..` and `.` in the rest resolved by name).
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut rest = Vec::new();
    let mut existing = absolute.as_path();
    let base = loop {
        match fs::canonicalize(existing) {
            Ok(base) => break base,
            Err(error) => match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                // `..` or `.` as the last component of a missing path: handled by name below.
                (Some(parent), None) => {
                    rest.push(
                        existing
                            .components()
                            .next_back()
                            .map_or_else(|| ".".into(), |c| c.as_os_str().to_os_string()),
                    );
                    existing = parent;
                }
                (None, _) => return Err(error),
            },
        }
    };
    let mut resolved = base;
    for name in rest.iter().rev() {
        match Path::new(name).components().next() {
            Some(Component::ParentDir) => {
                resolved.pop();
            }
            Some(Component::CurDir) | None => {}
            Some(_) => resolved.push(name),
        }
    }
    Ok(resolved)
}

/// Writes `outputs` into a staging folder and atomically replaces `output_dir` with it.
/// `output_dir` is relative to `site_root` (or absolute). On any error the previous output is
/// left untouched and no staging folder remains.
pub fn publish(
    site_root: &Path,
    output_dir: &Path,
    outputs: &[Output],
) -> Result<PublishStats, Diagnostic> {
    let staging = Staging::begin(site_root, output_dir)?;
    outputs.par_iter().for_each(|output| staging.write(output));
    staging.publish()
}

/// A new site being written: a staging folder beside the output folder, filled output by output
/// from any number of threads while the build renders, then put in place by
/// [`Staging::publish`]. Dropped without publishing (a failed build), it deletes its folder and
/// the previous output stays as it was.
pub struct Staging {
    dir: PathBuf,
    /// The output folder, resolved.
    output: PathBuf,
    /// The output folder as the author wrote it, for messages.
    shown: PathBuf,
    name: String,
    /// Shortens the paths of copied files in messages.
    site_root: PathBuf,
    seen: Mutex<HashSet<PathBuf>>,
    files: AtomicU64,
    bytes: AtomicU64,
    /// The first failure; later writes are skipped.
    error: Mutex<Option<Diagnostic>>,
    published: bool,
}

impl Staging {
    /// Checks `output_dir` ([`check_output_dir`]) and creates the staging folder with its marker.
    pub fn begin(site_root: &Path, output_dir: &Path) -> Result<Staging, Diagnostic> {
        check_output_dir(site_root, output_dir)?;
        let shown = output_dir.to_path_buf();
        let output =
            resolve(&site_root.join(output_dir)).map_err(|e| io_error(&shown, "resolve", &e))?;
        let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
            return Err(Diagnostic::error(format!(
                "output_dir `{}` has no folder name",
                shown.display()
            ))
            .with_hint("set output_dir to a folder such as \"public\""));
        };
        let name = name.to_string_lossy().into_owned();
        let shown_parent = match shown.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.display().to_string(),
            _ => "the site folder".to_string(),
        };
        fs::create_dir_all(parent).map_err(|e| io_error(Path::new(&shown_parent), "create", &e))?;
        clean_stale_staging(&output);
        let dir = parent.join(unique_name(&name, STAGING_INFIX));
        fs::create_dir(&dir).map_err(|e| {
            // The staging folder's name is random; the author knows the output folder.
            Diagnostic::error(format!(
                "cannot create a staging folder beside `{}`: {e}",
                shown.display()
            ))
            .with_hint(format!(
                "steppe writes the new site next to `{}` first; check that you may write to `{shown_parent}`",
                shown.display(),
            ))
        })?;
        let staging = Staging {
            dir,
            output: output.clone(),
            shown,
            name,
            site_root: site_root.to_path_buf(),
            seen: Mutex::default(),
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            error: Mutex::new(None),
            published: false,
        };
        fs::write(staging.dir.join(MARKER), MARKER_TEXT)
            .map_err(|e| io_error(&staging.shown.join(MARKER), "write", &e))?;
        Ok(staging)
    }

    /// Writes one output into the staging folder. A bad or repeated path, or a failed write, is
    /// kept as the error [`Staging::publish`] returns.
    pub fn write(&self, output: &Output) {
        if self.failed() {
            return;
        }
        if let Err(error) = self.try_write(output) {
            self.error
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_or_insert(error);
        }
    }

    fn failed(&self) -> bool {
        self.error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    fn try_write(&self, output: &Output) -> Result<(), Diagnostic> {
        let relative = validate_path(output)?;
        if !self
            .seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(relative.clone())
        {
            return Err(
                Diagnostic::error(format!("two outputs are written to `{}`", output.path))
                    .with_hint(
                        "two pages, aliases or static files have the same URL; rename one of them",
                    ),
            );
        }
        let shown = &self.shown;
        let bytes = write_one(&self.dir.join(&relative), &output.contents).map_err(|e| {
            match (&output.contents, &e) {
                (Contents::Copy(source), error) if !source.exists() => Diagnostic::error(format!(
                    "cannot copy `{}` to `{}`: {error}",
                    source
                        .strip_prefix(&self.site_root)
                        .unwrap_or(source)
                        .display(),
                    shown.join(&relative).display()
                ))
                .with_hint("the file was moved or deleted during the build; build again"),
                _ => io_error(&shown.join(&relative), "write", &e),
            }
        })?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        Ok(())
    }

    /// Puts the staged site in place of the output folder, unless a write failed.
    pub fn publish(mut self) -> Result<PublishStats, Diagnostic> {
        if let Some(error) = self
            .error
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            return Err(error);
        }
        swap(&self.dir, &self.output, &self.shown, &self.name, exchange)?;
        self.published = true;
        Ok(PublishStats {
            files_written: *self.files.get_mut() as usize,
            bytes_written: *self.bytes.get_mut(),
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            remove_marked(&self.dir);
        }
    }
}

/// Checks an output's path and returns it as a relative native path.
fn validate_path(output: &Output) -> Result<PathBuf, Diagnostic> {
    let path = Path::new(&output.path);
    let bad = output.path.is_empty()
        || output.path.contains('\0')
        || path
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        || !path.components().any(|c| matches!(c, Component::Normal(_)));
    if bad {
        return Err(Diagnostic::error(format!(
            "output path `{}` is not a relative path inside the output folder",
            output.path
        ))
        .with_hint("this is a bug in steppe or a template: output paths must not be absolute or contain `..`"));
    }
    let normalized: PathBuf = path
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .collect();
    if normalized == Path::new(MARKER) {
        return Err(Diagnostic::error(format!(
            "output path `{}` is reserved for steppe's marker file",
            output.path
        ))
        .with_hint("rename the file that produces it"));
    }
    Ok(normalized)
}

fn write_one(target: &Path, contents: &Contents) -> io::Result<u64> {
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)?;
    }
    match contents {
        Contents::Bytes(bytes) => {
            fs::write(target, bytes)?;
            Ok(bytes.len() as u64)
        }
        // A copy, not a hard link: editing a file in the output must never change a source.
        Contents::Copy(source) => fs::copy(source, target),
    }
}

/// Puts the complete `staging` tree at `output`. `exchange` is [`exchange`] except in tests of
/// the fallback.
fn swap(
    staging: &Path,
    output: &Path,
    shown: &Path,
    name: &str,
    exchange: fn(&Path, &Path) -> io::Result<()>,
) -> Result<(), Diagnostic> {
    let metadata = match fs::symlink_metadata(output) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return fs::rename(staging, output).map_err(|e| io_error(shown, "create", &e));
        }
        Err(e) => return Err(io_error(shown, "read", &e)),
        Ok(metadata) => metadata,
    };
    if !metadata.is_dir() {
        return Err(Diagnostic::error(format!(
            "output_dir `{}` exists but is not a folder",
            shown.display()
        ))
        .with_hint("move the file away or choose another output_dir"));
    }
    if !output.join(MARKER).is_file() {
        let empty = fs::read_dir(output)
            .map_err(|e| io_error(shown, "read", &e))?
            .next()
            .is_none();
        if !empty {
            return Err(Diagnostic::error(format!(
                "{}/ was not created by steppe; refusing to replace it",
                shown.display().to_string().trim_end_matches('/')
            ))
            .with_hint("move its files away or choose another output_dir"));
        }
        // rename(2) atomically replaces an empty folder.
        return fs::rename(staging, output).map_err(|e| io_error(shown, "replace", &e));
    }
    match exchange(staging, output) {
        Ok(()) => {
            // The old tree now sits at the staging path.
            remove_marked(staging);
            Ok(())
        }
        Err(e) if exchange_unsupported(&e) => {
            let parent = output.parent().unwrap_or(Path::new("."));
            let old = parent.join(unique_name(name, OLD_INFIX));
            fs::rename(output, &old).map_err(|e| io_error(shown, "move aside", &e))?;
            if let Err(e) = fs::rename(staging, output) {
                // Put the old tree back; if even that fails it stays marked at `old`.
                let _ = fs::rename(&old, output);
                return Err(io_error(shown, "replace", &e));
            }
            remove_marked(&old);
            Ok(())
        }
        Err(e) => Err(io_error(shown, "replace", &e)),
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Whether `exchange` failed because the system or file system cannot exchange, rather than
/// because of the folders themselves.
fn exchange_unsupported(error: &io::Error) -> bool {
    const EINVAL: i32 = 22;
    const ENOSYS: i32 = 38;
    const EOPNOTSUPP: i32 = 95;
    error.kind() == io::ErrorKind::Unsupported
        || matches!(error.raw_os_error(), Some(EINVAL | ENOSYS | EOPNOTSUPP))
}

/// `<name><infix><pid>-<nanos>-<counter>`: unique per process and call.
fn unique_name(name: &str, infix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{name}{infix}{}-{nanos}-{n}", std::process::id())
}

/// Deletes `dir` if, and only if, it holds the marker file. Failures are ignored: a leftover is
/// marked and removed by the next [`clean_stale_staging`].
fn remove_marked(dir: &Path) {
    if dir.join(MARKER).is_file() {
        // The marker goes last, so a build killed halfway through leaves a folder that is still
        // marked, and the next build finishes the job.
        for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
            if entry.file_name() == MARKER {
                continue;
            }
            let _ = match entry.file_type() {
                Ok(t) if t.is_dir() => fs::remove_dir_all(entry.path()),
                _ => fs::remove_file(entry.path()),
            };
        }
        let _ = fs::remove_file(dir.join(MARKER));
        let _ = fs::remove_dir(dir);
    } else {
        // A staging folder whose marker could not be written is still empty, or nearly: remove
        // what is certainly ours and nothing else.
        let _ = fs::remove_dir(dir);
    }
}

/// Removes `<name>.steppe-staging-*` and `<name>.steppe-old-*` folders next to `output_dir` left
/// by killed builds. Only folders holding the marker (or empty ones, left by a build killed
/// before it wrote the marker) are removed, and never one that belongs to a process that is
/// still running.
pub fn clean_stale_staging(output_dir: &Path) {
    let (Some(parent), Some(name)) = (output_dir.parent(), output_dir.file_name()) else {
        return;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let name = name.to_string_lossy();
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let Some(rest) = file_name.strip_prefix(name.as_ref()) else {
            continue;
        };
        let Some(id) = rest
            .strip_prefix(STAGING_INFIX)
            .or_else(|| rest.strip_prefix(OLD_INFIX))
        else {
            continue;
        };
        let pid = id.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(process_is_running) {
            continue;
        }
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            // Marked, or empty (killed before the marker was written): `remove_marked` removes
            // nothing else.
            remove_marked(&path);
        }
    }
}

/// Whether a process with this id runs now (this process included). Without `/proc` every
/// other process counts as gone.
pub(crate) fn process_is_running(pid: u32) -> bool {
    pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
}

/// An I/O failure as a diagnostic naming the path, the OS error and what to do.
fn io_error(path: &Path, action: &str, error: &io::Error) -> Diagnostic {
    use io::ErrorKind as K;
    let hint = match error.kind() {
        K::StorageFull | K::QuotaExceeded => {
            "the disk is full; free some space and build again; the previous site is unchanged"
        }
        K::PermissionDenied | K::ReadOnlyFilesystem => {
            "check that you may write to the output folder and the folder around it; the \
             previous site is unchanged"
        }
        K::NotADirectory | K::IsADirectory | K::AlreadyExists | K::DirectoryNotEmpty => {
            "a file and a folder of the output have the same path: two URLs collide \
             (`x` and `x/...`); rename one of them"
        }
        _ => "check that the output folder is writable; the previous site is unchanged",
    };
    Diagnostic::error(format!("cannot {action} `{}`: {error}", path.display())).with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site folder with the usual source folders.
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["content/essays", "themes/steppe", "templates", "static"] {
            fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        fs::write(dir.path().join("site.toml"), "").unwrap();
        dir
    }

    fn read(path: &Path) -> String {
        fs::read_to_string(path).unwrap()
    }

    /// Sorted relative paths of all files under `dir`.
    fn files(dir: &Path) -> Vec<String> {
        let mut out: Vec<String> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        out.sort();
        out
    }

    /// Names in `dir` that look like steppe's temporary folders.
    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(STAGING_INFIX) || n.contains(OLD_INFIX))
            .collect()
    }

    #[test]
    fn first_publish_creates_output_with_marker() {
        let site = site();
        let asset = site.path().join("static/logo.svg");
        fs::write(&asset, "<svg/>").unwrap();
        let outputs = [
            Output::bytes("index.html", "home"),
            Output::bytes("essays/x/index.html", "essay"),
            Output::copy("logo.svg", &asset),
        ];
        let stats = publish(site.path(), Path::new("public"), &outputs).unwrap();
        assert_eq!(
            stats,
            PublishStats {
                files_written: 3,
                bytes_written: 4 + 5 + 6
            }
        );
        let public = site.path().join("public");
        assert_eq!(
            files(&public),
            [MARKER, "essays/x/index.html", "index.html", "logo.svg"]
        );
        assert_eq!(read(&public.join("essays/x/index.html")), "essay");
        assert_eq!(read(&public.join("logo.svg")), "<svg/>");
        assert!(leftovers(site.path()).is_empty());
    }

    #[test]
    fn second_publish_replaces_the_whole_tree() {
        let site = site();
        let out = Path::new("public");
        publish(
            site.path(),
            out,
            &[
                Output::bytes("index.html", "v1"),
                Output::bytes("old/index.html", "gone soon"),
            ],
        )
        .unwrap();
        publish(
            site.path(),
            out,
            &[
                Output::bytes("index.html", "v2"),
                Output::bytes("new/index.html", "new"),
            ],
        )
        .unwrap();
        let public = site.path().join("public");
        assert_eq!(files(&public), [MARKER, "index.html", "new/index.html"]);
        assert_eq!(read(&public.join("index.html")), "v2");
        assert!(leftovers(site.path()).is_empty());
    }

    #[test]
    fn fallback_without_exchange_replaces_the_tree() {
        fn unsupported(_: &Path, _: &Path) -> io::Result<()> {
            Err(io::Error::from_raw_os_error(22))
        }
        let site = site();
        let public = site.path().join("public");
        publish(
            site.path(),
            Path::new("public"),
            &[Output::bytes("old.html", "1")],
        )
        .unwrap();
        let mut staging = Staging::begin(site.path(), Path::new("public")).unwrap();
        staging.write(&Output::bytes("new.html", "2"));
        swap(
            &staging.dir,
            &public,
            Path::new("public"),
            "public",
            unsupported,
        )
        .unwrap();
        staging.published = true;
        assert_eq!(files(&public), [MARKER, "new.html"]);
        assert!(leftovers(site.path()).is_empty());
    }

    #[test]
    fn nested_and_absolute_output_dirs() {
        let site = site();
        publish(
            site.path(),
            Path::new("build/site/public"),
            &[Output::bytes("a.txt", "a")],
        )
        .unwrap();
        assert_eq!(read(&site.path().join("build/site/public/a.txt")), "a");
        let elsewhere = tempfile::tempdir().unwrap();
        let absolute = elsewhere.path().join("out");
        publish(site.path(), &absolute, &[Output::bytes("b.txt", "b")]).unwrap();
        assert_eq!(read(&absolute.join("b.txt")), "b");
    }

    #[test]
    fn foreign_output_dir_is_refused_and_untouched() {
        let site = site();
        let public = site.path().join("public");
        fs::create_dir(&public).unwrap();
        fs::write(public.join("precious.txt"), "mine").unwrap();
        let error = publish(
            site.path(),
            Path::new("public"),
            &[Output::bytes("index.html", "x")],
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: public/ was not created by steppe; refusing to replace it\n |\n = help: move its files away or choose another output_dir"
        );
        assert_eq!(files(&public), ["precious.txt"]);
        assert!(leftovers(site.path()).is_empty());
    }

    #[test]
    fn output_dir_that_is_a_file_is_refused() {
        let site = site();
        fs::write(site.path().join("public"), "a file").unwrap();
        let error = publish(site.path(), Path::new("public"), &[]).unwrap_err();
        assert!(error.message.contains("is not a folder"), "{error}");
        assert_eq!(read(&site.path().join("public")), "a file");
        assert!(leftovers(site.path()).is_empty());
    }

    #[test]
    fn empty_existing_dir_is_accepted() {
        let site = site();
        fs::create_dir(site.path().join("public")).unwrap();
        publish(
            site.path(),
            Path::new("public"),
            &[Output::bytes("index.html", "x")],
        )
        .unwrap();
        assert_eq!(files(&site.path().join("public")), [MARKER, "index.html"]);
    }

    #[test]
    fn unsafe_output_paths_are_rejected() {
        let site = site();
        for bad in [
            "../escape.html",
            "/etc/passwd",
            "a/../../b",
            "",
            ".",
            "./",
            MARKER,
        ] {
            let error =
                publish(site.path(), Path::new("public"), &[Output::bytes(bad, "x")]).unwrap_err();
            assert!(error.is_error(), "{bad}");
        }
        let error = publish(
            site.path(),
            Path::new("public"),
            &[Output::bytes("../escape.html", "x")],
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: output path `../escape.html` is not a relative path inside the output folder\n |\n = help: this is a bug in steppe or a template: output paths must not be absolute or contain `..`"
        );
        let error = publish(
            site.path(),
            Path::new("public"),
            &[Output::bytes("a.html", "x"), Output::bytes("./a.html", "y")],
        )
        .unwrap_err();
        assert_eq!(error.message, "two outputs are written to `./a.html`");
        assert!(!site.path().join("public").exists());
        assert!(!site.path().parent().unwrap().join("escape.html").exists());
        assert!(leftovers(site.path()).is_empty());
    }

    fn refusal(site: &Path, output_dir: &str) -> String {
        check_output_dir(site, Path::new(output_dir))
            .unwrap_err()
            .message
    }

    #[test]
    fn dangerous_output_dirs_are_refused() {
        let site = site();
        let root = site.path();
        assert_eq!(
            refusal(root, "."),
            "output_dir `.` is the site folder itself"
        );
        assert_eq!(
            refusal(root, "public/.."),
            "output_dir `public/..` is the site folder itself"
        );
        assert_eq!(
            refusal(root, "content"),
            "output_dir `content` is the site's `content/` folder"
        );
        assert_eq!(
            refusal(root, "content/essays/public"),
            "output_dir `content/essays/public` is inside the site's `content/` folder"
        );
        assert_eq!(
            refusal(root, "themes"),
            "output_dir `themes` is the site's `themes/` folder"
        );
        assert_eq!(
            refusal(root, "themes/steppe/out"),
            "output_dir `themes/steppe/out` is inside the site's `themes/` folder"
        );
        assert_eq!(
            refusal(root, "templates"),
            "output_dir `templates` is the site's `templates/` folder"
        );
        assert_eq!(
            refusal(root, "static"),
            "output_dir `static` is the site's `static/` folder"
        );
        assert!(
            refusal(root, "..").starts_with("output_dir `..` is a folder that contains the site")
        );
        assert_eq!(
            refusal(root, "/"),
            "output_dir `/` is the file system root `/`"
        );
        assert_eq!(
            refusal(root, "/../.."),
            "output_dir `/../..` is the file system root `/`"
        );
        if let Some(home) = std::env::var_os("HOME").filter(|h| Path::new(h).is_dir())
            && !fs::canonicalize(root)
                .unwrap()
                .starts_with(fs::canonicalize(&home).unwrap())
        {
            let home = home.to_string_lossy().into_owned();
            assert_eq!(
                refusal(root, &home),
                format!("output_dir `{home}` is your home folder")
            );
        }
        let error = check_output_dir(root, Path::new("content")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: output_dir `content` is the site's `content/` folder\n |\n = help: steppe replaces the output folder on every build; set output_dir in site.toml to a folder of its own, such as \"public\""
        );
        // The refusal holds for publish too, and nothing is written.
        assert!(publish(root, Path::new("content"), &[Output::bytes("x", "x")]).is_err());
        assert!(!root.join("content/x").exists());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_do_not_get_around_the_check() {
        let site = site();
        std::os::unix::fs::symlink(site.path().join("content"), site.path().join("link")).unwrap();
        assert_eq!(
            refusal(site.path(), "link"),
            "output_dir `link` is the site's `content/` folder"
        );
    }

    #[test]
    fn safe_output_dirs_pass() {
        let site = site();
        for ok in ["public", "build/public", "public/", "./public"] {
            check_output_dir(site.path(), Path::new(ok)).unwrap();
        }
        let outside = tempfile::tempdir().unwrap();
        check_output_dir(site.path(), &outside.path().join("site")).unwrap();
    }

    #[test]
    fn failed_write_leaves_old_output_intact() {
        let site = site();
        let out = Path::new("public");
        publish(site.path(), out, &[Output::bytes("index.html", "v1")]).unwrap();
        // `a` as a file and as a folder: one of the two writes must fail.
        let error = publish(
            site.path(),
            out,
            &[
                Output::bytes("index.html", "v2"),
                Output::bytes("a", "file"),
                Output::bytes("a/b.html", "inside"),
            ],
        )
        .unwrap_err();
        assert!(
            error.message.starts_with("cannot write `public/a"),
            "{error}"
        );
        let public = site.path().join("public");
        assert_eq!(files(&public), [MARKER, "index.html"]);
        assert_eq!(read(&public.join("index.html")), "v1");
        assert!(leftovers(site.path()).is_empty());
    }

    #[test]
    fn missing_copy_source_is_an_error() {
        let site = site();
        let missing = site.path().join("static/missing.png");
        let error = publish(
            site.path(),
            Path::new("public"),
            &[Output::copy("missing.png", &missing)],
        )
        .unwrap_err();
        assert!(error.message.starts_with("cannot copy `"), "{error}");
        assert!(!site.path().join("public").exists());
        assert!(leftovers(site.path()).is_empty());
    }

    /// Whether permissions are enforced for this process (they are not for root).
    #[cfg(unix)]
    fn permissions_enforced(dir: &Path) -> bool {
        use std::os::unix::fs::PermissionsExt;
        let probe = dir.join("probe");
        fs::create_dir(&probe).unwrap();
        fs::set_permissions(&probe, fs::Permissions::from_mode(0o555)).unwrap();
        let enforced = fs::write(probe.join("x"), "x").is_err();
        fs::set_permissions(&probe, fs::Permissions::from_mode(0o755)).unwrap();
        fs::remove_dir_all(&probe).unwrap();
        enforced
    }

    #[cfg(unix)]
    #[test]
    fn read_only_parent_is_an_error_and_keeps_old_output() {
        use std::os::unix::fs::PermissionsExt;
        let site = site();
        if !permissions_enforced(site.path()) {
            eprintln!("skipped: permissions are not enforced for this user (root?)");
            return;
        }
        let parent = site.path().join("build");
        fs::create_dir(&parent).unwrap();
        let out = Path::new("build/public");
        publish(site.path(), out, &[Output::bytes("index.html", "v1")]).unwrap();
        fs::set_permissions(&parent, fs::Permissions::from_mode(0o555)).unwrap();
        let result = publish(site.path(), out, &[Output::bytes("index.html", "v2")]);
        fs::set_permissions(&parent, fs::Permissions::from_mode(0o755)).unwrap();
        let error = result.unwrap_err();
        assert!(
            error
                .message
                .starts_with("cannot create a staging folder beside `build/public`: "),
            "{error}"
        );
        assert!(error.message.contains("ermission denied"), "{error}");
        assert_eq!(read(&parent.join("public/index.html")), "v1");
        assert!(leftovers(&parent).is_empty());
    }

    #[test]
    fn stale_staging_cleanup_removes_only_marked_folders() {
        let site = site();
        let parent = site.path();
        let output = parent.join("public");
        // A dead process id: far above any pid_max.
        let dead = "4294967295";
        let marked_staging = parent.join(format!("public{STAGING_INFIX}{dead}-1-0"));
        let marked_old = parent.join(format!("public{OLD_INFIX}{dead}-1-0"));
        let unmarked = parent.join(format!("public{STAGING_INFIX}{dead}-2-0"));
        let empty_unmarked = parent.join(format!("public{STAGING_INFIX}{dead}-3-0"));
        fs::create_dir(&empty_unmarked).unwrap();
        let other_site = parent.join(format!("blog{STAGING_INFIX}{dead}-1-0"));
        let ours_running = parent.join(format!("public{STAGING_INFIX}{}-1-0", std::process::id()));
        for dir in [
            &marked_staging,
            &marked_old,
            &unmarked,
            &other_site,
            &ours_running,
        ] {
            fs::create_dir(dir).unwrap();
            fs::write(dir.join("index.html"), "x").unwrap();
        }
        for dir in [&marked_staging, &marked_old, &other_site, &ours_running] {
            fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
        }
        clean_stale_staging(&output);
        assert!(!marked_staging.exists());
        assert!(!marked_old.exists());
        assert!(unmarked.join("index.html").exists(), "no marker: kept");
        assert!(!empty_unmarked.exists(), "empty, of a dead build: removed");
        assert!(other_site.exists(), "another output's staging: kept");
        assert!(ours_running.exists(), "a running build's staging: kept");
        assert!(parent.join("content").exists());
    }

    #[test]
    fn resolve_handles_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(dir.path()).unwrap();
        assert_eq!(
            resolve(&dir.path().join("a/b/../c")).unwrap(),
            base.join("a/c")
        );
        assert_eq!(resolve(&dir.path().join("a/..")).unwrap(), base);
        assert_eq!(resolve(&dir.path().join("./x/.")).unwrap(), base.join("x"));
    }
}
