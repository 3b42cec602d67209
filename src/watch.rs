//! Watching the site's files for `steppe serve`.
//!
//! The watcher only says *that* something relevant changed; the rebuild that follows reads the
//! whole site again (memoized), so no event pattern (atomic rename saves, folder moves, a git
//! checkout touching hundreds of files) can leave a stale page. Access events, which notify 8
//! reports when a file is merely read, are ignored, or building would trigger itself forever.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::diagnostics::Diagnostic;

/// Folders below the site root whose contents are watched.
const WATCHED: &[&str] = &["content", "templates", "themes", "static"];

/// A running watcher; dropping it stops watching.
pub struct SiteWatcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    watched: Vec<PathBuf>,
    /// Receives the changed paths of each debounced batch.
    pub changes: mpsc::Receiver<Vec<PathBuf>>,
}

/// Starts watching the site at `root`. `config_file` is the configuration in use; `output_dir`
/// is never reported (steppe's own writes must not trigger builds).
pub fn watch(
    root: &Path,
    config_file: &Path,
    output_dir: &Path,
) -> Result<SiteWatcher, Diagnostic> {
    let (sender, changes) = mpsc::channel();
    let root_owned = root.to_path_buf();
    let config_file = config_file.to_path_buf();
    let output_dir = output_dir.to_path_buf();
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else {
            // Watcher errors (a queue overflow, say) mean events were lost: rebuild anyway.
            let _ = sender.send(vec![root_owned.clone()]);
            return;
        };
        let paths: Vec<PathBuf> = events
            .into_iter()
            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths.clone())
            .filter(|p| relevant(&root_owned, &config_file, &output_dir, p))
            .collect();
        if !paths.is_empty() {
            let _ = sender.send(paths);
        }
    };
    // Editors' saves (write, rename, chmod) arrive within a millisecond or two: 10 ms of quiet
    // is plenty to see them as one change, and short enough not to be felt.
    let debouncer = new_debouncer(
        Duration::from_millis(10),
        Some(Duration::from_millis(3)),
        handler,
    )
    .map_err(|e| watch_error(root, &e))?;
    let mut watcher = SiteWatcher {
        debouncer,
        root: root.to_path_buf(),
        watched: Vec::new(),
        changes,
    };
    // The root itself, not recursively: catches site.toml saves (often a rename) and the
    // creation of templates/ or static/ after serve started.
    watcher
        .debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| watch_error(root, &e))?;
    watcher.refresh()?;
    Ok(watcher)
}

impl SiteWatcher {
    /// Watches any of the site's folders that appeared since the last call.
    pub fn refresh(&mut self) -> Result<(), Diagnostic> {
        for name in WATCHED {
            let dir = self.root.join(name);
            if dir.is_dir() && !self.watched.contains(&dir) {
                self.debouncer
                    .watch(&dir, RecursiveMode::Recursive)
                    .map_err(|e| watch_error(&dir, &e))?;
                self.watched.push(dir);
            }
        }
        self.watched.retain(|d| d.is_dir());
        Ok(())
    }
}

/// Whether a change at `path` can change the site.
fn relevant(root: &Path, config_file: &Path, output_dir: &Path, path: &Path) -> bool {
    if path.starts_with(output_dir) {
        return false;
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    // Editors' scratch files: vim swap files and its `4913` probe, backups, emacs locks.
    if name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
        || name.starts_with(".#")
    {
        return false;
    }
    path == config_file
        || path == root
        || WATCHED.iter().any(|dir| path.starts_with(root.join(dir)))
}

fn watch_error(path: &Path, error: &notify::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot watch `{}`: {error}", path.display()))
        .with_hint("on Linux, raise the inotify limit: `sysctl fs.inotify.max_user_watches=524288`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_output_and_editor_scratch_files() {
        let root = Path::new("/site");
        let config = Path::new("/site/site.toml");
        let out = Path::new("/site/public");
        assert!(relevant(root, config, out, Path::new("/site/content/a.md")));
        assert!(relevant(root, config, out, Path::new("/site/site.toml")));
        assert!(relevant(
            root,
            config,
            out,
            Path::new("/site/themes/x/templates/page.html")
        ));
        assert!(!relevant(
            root,
            config,
            out,
            Path::new("/site/public/index.html")
        ));
        assert!(!relevant(
            root,
            config,
            out,
            Path::new("/site/content/.a.md.swp")
        ));
        assert!(!relevant(
            root,
            config,
            out,
            Path::new("/site/content/4913")
        ));
        assert!(!relevant(
            root,
            config,
            out,
            Path::new("/site/content/a.md~")
        ));
        assert!(!relevant(
            root,
            config,
            out,
            Path::new("/site/target/debug/x")
        ));
    }

    #[test]
    fn reports_a_saved_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        let watcher = watch(&root, &root.join("site.toml"), &root.join("public")).unwrap();
        // An atomic save: write a temporary file, rename it over the page.
        std::fs::write(root.join("content/.tmp-page"), "# A").unwrap();
        std::fs::rename(root.join("content/.tmp-page"), root.join("content/page.md")).unwrap();
        let changed = watcher
            .changes
            .recv_timeout(Duration::from_secs(5))
            .unwrap();
        assert!(
            changed.iter().any(|p| p.ends_with("content/page.md")),
            "{changed:?}"
        );
    }
}
