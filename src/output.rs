//! Write: the only stage that changes the file system. Outputs are written to a staging folder
//! beside the output folder and published with one atomic exchange.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// What an output file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// A file copied unchanged from this absolute path.
    Copy(PathBuf),
}

/// One file of the built site. `path` is relative and `/`-separated: `essays/x/index.html`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PublishStats {
    pub files_written: usize,
    pub bytes_written: u64,
}

// Interim bodies until the staging implementation lands (branch `frontmatter`).
pub fn check_output_dir(site_root: &Path, output_dir: &Path) -> Result<(), Diagnostic> {
    let _ = (site_root, output_dir);
    Ok(())
}

pub fn clean_stale_staging(output_dir: &Path) {
    let _ = output_dir;
}

pub fn publish(
    site_root: &Path,
    output_dir: &Path,
    outputs: &[Output],
) -> Result<PublishStats, Diagnostic> {
    let _ = site_root;
    let mut stats = PublishStats::default();
    for output in outputs {
        let path = output_dir.join(&output.path);
        std::fs::create_dir_all(path.parent().unwrap_or(output_dir))
            .map_err(|e| Diagnostic::error(e.to_string()))?;
        match &output.contents {
            Contents::Bytes(b) => {
                std::fs::write(&path, b).map_err(|e| Diagnostic::error(e.to_string()))?
            }
            Contents::Copy(p) => {
                std::fs::copy(p, &path).map_err(|e| Diagnostic::error(e.to_string()))?;
            }
        }
        stats.files_written += 1;
    }
    Ok(stats)
}
