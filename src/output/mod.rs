//! Write: the only stage that changes the file system. Outputs are written to a staging folder
//! beside the output folder and published with one atomic exchange.
//!
//! # Design
//!
//! A build must never leave a half-written or mixed site behind, and must never delete anything
//! the author did not let steppe create. So publishing ([`Staging`]) works in three steps:
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
//!
//! The code follows the steps: [`guard`] checks the output folder, [`staging`] writes the new
//! site beside it, [`swap`] puts it in place and cleans up after killed builds.

mod guard;
mod staging;
mod swap;
#[cfg(test)]
mod tests;

use std::io;
use std::path::Path;

use crate::diagnostics::Diagnostic;

pub(crate) use guard::{check_output_dir, check_output_outside_content};
pub(crate) use staging::Staging;
pub(crate) use swap::process_is_running;

/// Name of the marker file that every folder steppe creates holds.
pub(crate) const MARKER: &str = ".steppe-output";

const MARKER_TEXT: &str =
    "This folder was written by steppe and is replaced on every build. Do not edit it.\n";

const STAGING_INFIX: &str = ".steppe-staging-";
const OLD_INFIX: &str = ".steppe-old-";

/// What a publish wrote (the marker not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PublishStats {
    pub files_written: usize,
    pub bytes_written: u64,
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
