//! The swap: the staged tree put at the output path in one exchange (or, where that is
//! unsupported, the old tree renamed aside first), and the folders of killed builds removed.

use std::fs;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::diagnostics::Diagnostic;

use super::{MARKER, OLD_INFIX, STAGING_INFIX, io_error};

/// Puts the complete `staging` tree at `output`. `exchange` is [`exchange`] except in tests of
/// the fallback.
pub(super) fn swap(
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
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(super) fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Whether `exchange` failed because the system or file system cannot exchange, rather than
/// because of the folders themselves.
pub(super) fn exchange_unsupported(error: &io::Error) -> bool {
    const EINVAL: i32 = 22;
    const ENOSYS: i32 = 38;
    const EOPNOTSUPP: i32 = 95;
    error.kind() == io::ErrorKind::Unsupported
        || matches!(error.raw_os_error(), Some(EINVAL | ENOSYS | EOPNOTSUPP))
}

/// `<name><infix><pid>-<nanos>-<counter>`: unique per process and call.
pub(super) fn unique_name(name: &str, infix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{name}{infix}{}-{nanos}-{n}", std::process::id())
}

/// Deletes `dir` if, and only if, it holds the marker file. Failures are ignored: a leftover is
/// marked and removed by the next [`clean_stale_staging`].
pub(super) fn remove_marked(dir: &Path) {
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
pub(crate) fn clean_stale_staging(output_dir: &Path) {
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
