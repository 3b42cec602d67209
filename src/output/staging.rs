//! Staging: the new site written, from any thread, into a marked folder beside the output
//! folder; a failed build deletes it.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::diagnostics::Diagnostic;
use crate::files::{Contents, Output};
use crate::read;

use super::guard::{check_output_dir, resolve};
use super::swap::{clean_stale_staging, exchange, remove_marked, swap, unique_name};
use super::{MARKER, MARKER_TEXT, PublishStats, STAGING_INFIX, io_error};

/// A new site being written: a staging folder beside the output folder, filled output by output
/// from any number of threads while the build renders, then put in place by
/// [`Staging::publish`]. Dropped without publishing (a failed build), it deletes its folder and
/// the previous output stays as it was.
pub(crate) struct Staging {
    pub(super) dir: PathBuf,
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
    pub(super) published: bool,
}

impl Staging {
    /// Checks `output_dir` ([`check_output_dir`]) and creates the staging folder with its marker.
    pub(crate) fn begin(site_root: &Path, output_dir: &Path) -> Result<Staging, Diagnostic> {
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
    pub(crate) fn write(&self, output: &Output) {
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
        let bytes = write_one(&self.dir.join(&relative), &output.contents, &self.site_root)
            .map_err(|e| match e {
                WriteError::Source(refusal) => {
                    let source = match &output.contents {
                        Contents::Copy(source) => {
                            source.strip_prefix(&self.site_root).unwrap_or(source)
                        }
                        Contents::Bytes(_) | Contents::Resized(_) => Path::new(""),
                    };
                    copy_error(source, &shown.join(&relative), &refusal)
                }
                WriteError::Image(why) => {
                    let source = match &output.contents {
                        Contents::Resized(resize) => resize.source.as_path(),
                        _ => Path::new(""),
                    };
                    let source = source.strip_prefix(&self.site_root).unwrap_or(source);
                    // Not naming the copy: which of an image's copies fails first is up to the
                    // threads, and only the first error of a build's writes is kept.
                    Diagnostic::error(format!("cannot resize `{}`: {why}", source.display()))
                        .at(crate::diagnostics::Location::file(source))
                        .with_hint("open the image in an image editor and save it again")
                }
                WriteError::Target(e) => io_error(&shown.join(&relative), "write", &e),
            })?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        Ok(())
    }

    /// Puts the staged site in place of the output folder, unless a write failed.
    pub(crate) fn publish(mut self) -> Result<PublishStats, Diagnostic> {
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

/// Why one output could not be written: the file to copy was refused (see [`read::open`]), an
/// image could not be resized, or writing failed.
enum WriteError {
    Source(read::Refusal),
    Image(String),
    Target(io::Error),
}

fn write_one(target: &Path, contents: &Contents, site_root: &Path) -> Result<u64, WriteError> {
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(WriteError::Target)?;
    }
    match contents {
        Contents::Bytes(bytes) => {
            fs::write(target, bytes).map_err(WriteError::Target)?;
            Ok(bytes.len() as u64)
        }
        // Resized on whichever thread writes it (render's, in parallel), through the cache.
        Contents::Resized(resize) => {
            let bytes =
                crate::images::produce(resize, Some(site_root)).map_err(WriteError::Image)?;
            fs::write(target, &bytes).map_err(WriteError::Target)?;
            Ok(bytes.len() as u64)
        }
        // A copy, not a hard link: editing a file in the output must never change a source.
        // Only a regular file of at most MAX_COPIED_FILE bytes is copied.
        Contents::Copy(source) => {
            read::copy(source, target, read::MAX_COPIED_FILE).map_err(|e| match e {
                read::CopyError::Source(refusal) => WriteError::Source(refusal),
                read::CopyError::Target(e) => WriteError::Target(e),
            })
        }
    }
}

/// A file that could not be copied, named as the author knows it.
fn copy_error(source: &Path, target: &Path, refusal: &read::Refusal) -> Diagnostic {
    let message = format!(
        "cannot copy `{}` to `{}`: {}",
        source.display(),
        target.display(),
        refusal.reason()
    );
    let hint = match refusal {
        read::Refusal::Io(e) if e.kind() == io::ErrorKind::NotFound => {
            "the file was moved or deleted during the build; build again".to_string()
        }
        read::Refusal::TooLarge(_) => format!(
            "steppe copies files of up to {} MB; keep larger ones out of the site folder",
            read::megabytes(read::MAX_COPIED_FILE)
        ),
        other => other.hint().to_string(),
    };
    Diagnostic::error(message).with_hint(hint)
}
