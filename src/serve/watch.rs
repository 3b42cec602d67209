//! Watching the site's files for `steppe serve`.
//!
//! The watcher only says *that* something relevant changed; the rebuild that follows reads the
//! whole site again (memoized), so no event pattern (atomic rename saves, folder moves, a git
//! checkout touching hundreds of files) can leave a stale page. Access events, which notify 8
//! reports when a file is merely read, are ignored, or building would trigger itself forever.
//!
//! The content folder may lie outside the site folder (`content_dir = "../My Vault"`) and may
//! change when site.toml does, so [`SiteWatcher::refresh`] is told where it is after each build.

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock, mpsc};
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::diagnostics::Diagnostic;

/// Folders below the site root whose contents are watched, besides the content folder.
const WATCHED: &[&str] = &["templates", "themes", "static", "data", "sass"];

/// A running watcher; dropping it stops watching.
pub(crate) struct SiteWatcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    watched: Vec<PathBuf>,
    /// The content folder, canonical, shared with the event handler.
    content: Arc<RwLock<Option<PathBuf>>>,
    /// Receives the changed paths of each debounced batch.
    pub changes: mpsc::Receiver<Vec<PathBuf>>,
}

/// Starts watching the site at `root` (canonical) and its content folder `content` (canonical,
/// wherever it is). `config_file` is the configuration in use; `output_dir` is never reported
/// (steppe's own writes must not trigger builds).
pub(crate) fn watch(
    root: &Path,
    config_file: &Path,
    output_dir: &Path,
    content: Option<&Path>,
) -> Result<SiteWatcher, Diagnostic> {
    let (sender, changes) = mpsc::channel();
    let root_owned = root.to_path_buf();
    let config_file = config_file.to_path_buf();
    let output_dir = output_dir.to_path_buf();
    let shared_content = Arc::new(RwLock::new(None));
    let handler_content = Arc::clone(&shared_content);
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else {
            // Watcher errors (a queue overflow, say) mean events were lost: rebuild anyway.
            let _ = sender.send(vec![root_owned.clone()]);
            return;
        };
        let content = handler_content
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let folders = Folders {
            root: &root_owned,
            config_file: &config_file,
            output_dir: &output_dir,
            content: content.as_deref(),
        };
        let paths: Vec<PathBuf> = events
            .into_iter()
            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths.clone())
            .filter(|p| folders.relevant(p))
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
        content: shared_content,
        changes,
    };
    // The root itself, not recursively: catches site.toml saves (often a rename) and the
    // creation of templates/ or static/ after serve started.
    watcher
        .debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| watch_error(root, &e))?;
    watcher.refresh(content)?;
    Ok(watcher)
}

impl SiteWatcher {
    /// Watches any of the site's folders that appeared since the last call, and the content
    /// folder `content` (canonical) if it is a new one; stops watching folders that are gone
    /// or no longer the site's.
    pub(crate) fn refresh(&mut self, content: Option<&Path>) -> Result<(), Diagnostic> {
        *self.content.write().unwrap_or_else(PoisonError::into_inner) =
            content.map(Path::to_path_buf);
        let wanted: Vec<PathBuf> = WATCHED
            .iter()
            .map(|name| self.root.join(name))
            .chain(content.map(Path::to_path_buf))
            .filter(|dir| dir.is_dir())
            .collect();
        for dir in &self.watched {
            if !wanted.contains(dir) {
                // Gone already, or an old content folder: either way no longer the site's.
                let _ = self.debouncer.unwatch(dir);
            }
        }
        self.watched.retain(|dir| wanted.contains(dir));
        for dir in wanted {
            if !self.watched.contains(&dir) {
                self.debouncer
                    .watch(&dir, RecursiveMode::Recursive)
                    .map_err(|e| watch_error(&dir, &e))?;
                self.watched.push(dir);
            }
        }
        Ok(())
    }
}

/// The paths that decide whether a change matters.
struct Folders<'a> {
    root: &'a Path,
    config_file: &'a Path,
    output_dir: &'a Path,
    /// The content folder, wherever it is.
    content: Option<&'a Path>,
}

impl Folders<'_> {
    /// Whether a change at `path` can change the site.
    fn relevant(&self, path: &Path) -> bool {
        if path.starts_with(self.output_dir) || is_scratch(path) {
            return false;
        }
        path == self.config_file
            || path == self.root
            || self
                .content
                .is_some_and(|content| path.starts_with(content))
            || WATCHED
                .iter()
                .any(|dir| path.starts_with(self.root.join(dir)))
    }
}

/// Editors' scratch files: vim swap files and its `4913` probe, backups, emacs locks.
fn is_scratch(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
        || name.starts_with(".#")
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
        let folders = Folders {
            root: Path::new("/site"),
            config_file: Path::new("/site/site.toml"),
            output_dir: Path::new("/site/public"),
            content: Some(Path::new("/notes")),
        };
        for (path, relevant) in [
            ("/notes/a.md", true),
            ("/notes/Ideas ✨/Café.md", true),
            ("/site/site.toml", true),
            ("/site/themes/x/templates/page.html", true),
            ("/site/public/index.html", false),
            ("/notes/.a.md.swp", false),
            ("/notes/4913", false),
            ("/notes/a.md~", false),
            ("/site/target/debug/x", false),
            // content/ is not the content folder of this site.
            ("/site/content/a.md", false),
        ] {
            assert_eq!(folders.relevant(Path::new(path)), relevant, "{path}");
        }
    }

    #[test]
    fn reports_a_saved_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        let watcher = watch(
            &root,
            &root.join("site.toml"),
            &root.join("public"),
            Some(&root.join("content")),
        )
        .unwrap();
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

    /// Notes kept beside the site are watched where they are, and a save there is reported.
    #[test]
    fn reports_a_note_saved_in_a_content_dir_outside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        let root = base.join("site");
        let vault = base.join("My Vault");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(vault.join("Ideas ✨")).unwrap();
        let mut watcher = watch(
            &root,
            &root.join("site.toml"),
            &root.join("public"),
            Some(&root.join("content")),
        )
        .unwrap();
        // site.toml now names the vault: the next refresh moves the watch there.
        watcher.refresh(Some(&vault)).unwrap();
        std::fs::write(root.join("content/old.md"), "# Old").unwrap();
        std::fs::write(vault.join("Ideas ✨/Café.md"), "# Café").unwrap();
        let changed = watcher
            .changes
            .recv_timeout(Duration::from_secs(5))
            .unwrap();
        let note = vault.join("Ideas ✨/Café.md");
        assert!(changed.contains(&note), "{changed:?}");
        assert!(changed.iter().all(|p| p == &note), "{changed:?}");
    }
}
