//! What `steppe serve` serves: an immutable [`Snapshot`] of the built site, swapped atomically on
//! every rebuild, and the live-reload messages that describe each swap.
//!
//! # Design
//!
//! Requests load the current `Arc<Snapshot>` with one atomic read ([`arc_swap`]) and never wait
//! for a rebuild; a rebuild builds the next snapshot off to the side and stores it with one
//! atomic write. A request therefore always sees one complete build, never a mix of two.
//!
//! [`SiteState::publish`] reads every copied file ([`Contents::Copy`]) into memory, so serving
//! never touches the file system: there is no path to resolve, hence no symlink or `..` that
//! could lead outside the site's output. It reads them as `steppe build` copies them
//! ([`crate::read`]): regular files only, of at most [`crate::read::MAX_COPIED_FILE`] bytes.
//!
//! A build with errors keeps the previous good files (the browser keeps showing the last page
//! that worked) and only replaces the diagnostics, which the browser shows in an overlay.
//!
//! Publishing compares the new files with the previous ones byte for byte and broadcasts what
//! changed as [`Message`]s, which the live-reload WebSocket forwards to every open tab:
//!
//! - only stylesheets changed: [`Message::Css`], tabs swap the stylesheet without reloading;
//! - anything else changed or was removed (pages, feeds, scripts, images, search index files):
//!   [`Message::Reload`] with their URL paths (`/essays/x/`, `/app.js`); a tab reloads only if it
//!   shows one of them or has loaded one of them (the browser knows which scripts, images and
//!   fonts a page fetched; the server does not), so an edit of one page leaves other tabs alone;
//! - the error state changed: [`Message::Errors`] or [`Message::Ok`].

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use arc_swap::ArcSwap;
use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;
use tokio::sync::broadcast;

use crate::diagnostics::{Diagnostic, Location};
use crate::files::{Contents, Output, url_path};
use crate::read;

/// How many messages a slow WebSocket may fall behind before it is told to reload everything.
const CHANNEL_CAPACITY: usize = 64;

/// How many publishes a snapshot remembers the changed paths of, for [`Snapshot::changed_since`].
const HISTORY: usize = 64;

/// One complete build as served: never mutated once published.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Every file of the site by its output path (`essays/x/index.html`), exactly the bytes
    /// `steppe build` writes.
    pub files: HashMap<String, Bytes>,
    /// The diagnostics of the latest build. When they hold an error, `files` are those of the
    /// last build that had none.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts publishes, starting at 1 for the first one (0: nothing published yet).
    pub generation: u64,
    /// The URL paths changed by each of the latest publishes, by generation, oldest first.
    recent: VecDeque<(u64, Arc<[String]>)>,
    /// The generation whose build `files` are (a failed build keeps the files of an older one).
    pub files_generation: u64,
    /// Whether the search index of `files` is still being built ([`SiteState::publish_pending`]).
    /// Meanwhile `files` hold the previous index's files (listed in `carried`), which requests
    /// must not be given: the server makes them wait for [`SiteState::publish_search`].
    pub search_pending: bool,
    carried: Vec<String>,
}

impl Snapshot {
    /// Whether a request for `path` must wait for the search index being built.
    pub fn awaits_search(&self, path: &str) -> bool {
        self.search_pending && crate::search::in_bundle(path)
    }
}

impl Snapshot {
    /// Whether the latest build failed.
    pub(crate) fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// What a page served from generation `since` has missed: `None` if nothing changed since,
    /// else a [`Message::Reload`] of every URL path changed after it, or of `"*"` if `since` is
    /// older than the snapshot remembers (or newer than it: another server process served it).
    pub(crate) fn changed_since(&self, since: u64) -> Option<Message> {
        if since == self.generation {
            return None;
        }
        let remembered = self
            .recent
            .front()
            .is_some_and(|(first, _)| *first <= since + 1);
        if since > self.generation || !remembered {
            return Some(Message::Reload(vec!["*".to_string()]));
        }
        let paths: BTreeSet<&String> = self
            .recent
            .iter()
            .filter(|(generation, _)| *generation > since)
            .flat_map(|(_, paths)| paths.iter())
            .collect();
        (!paths.is_empty()).then(|| Message::Reload(paths.into_iter().cloned().collect()))
    }

    /// The message that tells a newly connected browser the current state.
    pub(crate) fn status(&self) -> Message {
        if self.has_errors() {
            Message::Errors(self.diagnostics.clone())
        } else {
            Message::Ok
        }
    }
}

/// A live-reload message, sent to the browser as JSON (see [`Message::to_json`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// `{"type":"reload","paths":[…]}`: tabs showing or using (as a script, image…) one of these
    /// URL paths reload; `"*"` reloads every tab.
    Reload(Vec<String>),
    /// `{"type":"css","paths":[…]}`: stylesheets at these URL paths changed.
    Css(Vec<String>),
    /// `{"type":"errors","diagnostics":[…]}`: the build failed; each diagnostic is the object of
    /// [`Diagnostic::to_json`].
    Errors(Vec<Diagnostic>),
    /// `{"type":"ok"}`: the build has no errors (any more).
    Ok,
}

impl Message {
    /// The message as the JSON text sent over the WebSocket, `type` first.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        #[serde(tag = "type", rename_all = "lowercase")]
        enum Wire<'a> {
            Reload { paths: &'a [String] },
            Css { paths: &'a [String] },
            Errors { diagnostics: Vec<Value> },
            Ok,
        }
        let wire = match self {
            Message::Reload(paths) => Wire::Reload { paths },
            Message::Css(paths) => Wire::Css { paths },
            Message::Errors(diagnostics) => Wire::Errors {
                diagnostics: diagnostics
                    .iter()
                    .map(|d| serde_json::from_str(&d.to_json()).unwrap_or(Value::Null))
                    .collect(),
            },
            Message::Ok => Wire::Ok,
        };
        serde_json::to_string(&wire).unwrap_or_default()
    }
}

/// What one [`SiteState::publish`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The generation of the snapshot now served.
    pub generation: u64,
    /// Whether the build failed (its files were not published; the previous ones still are).
    pub failed: bool,
    /// URL paths whose bytes changed, were added or were removed, sorted (`/essays/x/`,
    /// `/style.css`). Empty for a failed build.
    pub changed: Vec<String>,
    /// The messages broadcast to the browsers, in the order sent.
    pub messages: Vec<Message>,
}

/// The files a snapshot serves, with the state of their search index.
struct Served {
    files: HashMap<String, Bytes>,
    /// See [`Snapshot::files_generation`].
    generation: u64,
    search_pending: bool,
    carried: Vec<String>,
}

/// The site being served, shared by the server and the rebuild pipeline.
pub struct SiteState {
    current: ArcSwap<Snapshot>,
    /// Serializes publishes, so each compares against the snapshot it replaces.
    publishing: Mutex<()>,
    sender: broadcast::Sender<Message>,
    /// Wakes requests waiting for a search index once a snapshot has one.
    search_ready: tokio::sync::Notify,
    /// The site root whose `.steppe-cache/` keeps resized images, as for `steppe build`.
    image_cache: Option<PathBuf>,
}

impl Default for SiteState {
    fn default() -> Self {
        SiteState::new()
    }
}

impl std::fmt::Debug for SiteState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let snapshot = self.snapshot();
        f.debug_struct("SiteState")
            .field("generation", &snapshot.generation)
            .field("files", &snapshot.files.len())
            .field("diagnostics", &snapshot.diagnostics.len())
            .finish()
    }
}

impl SiteState {
    /// An empty site (generation 0): every request gets a 404 until the first publish.
    pub fn new() -> SiteState {
        let (sender, _) = broadcast::channel(CHANNEL_CAPACITY);
        SiteState {
            current: ArcSwap::from_pointee(Snapshot::default()),
            publishing: Mutex::new(()),
            sender,
            search_ready: tokio::sync::Notify::new(),
            image_cache: None,
        }
    }

    /// A state that keeps the resized images it makes in `root`'s `.steppe-cache/`, and takes
    /// them from there, as `steppe build` does.
    pub fn with_image_cache(root: &Path) -> SiteState {
        SiteState {
            image_cache: Some(root.to_path_buf()),
            ..SiteState::new()
        }
    }

    /// The snapshot to serve `path` from: the current one, or for a file of the search index
    /// while it is being built, the first snapshot that has it (at most `limit` later).
    pub(crate) async fn snapshot_for(
        &self,
        path: &str,
        limit: std::time::Duration,
    ) -> Arc<Snapshot> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            // Registered before looking, so a publish in between is not missed.
            let ready = self.search_ready.notified();
            let snapshot = self.snapshot();
            if !snapshot.awaits_search(path) {
                return snapshot;
            }
            if tokio::time::timeout_at(deadline, ready).await.is_err() {
                return self.snapshot();
            }
        }
    }

    /// The snapshot served now. Never blocks.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    /// Receives every message broadcast from now on.
    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Message> {
        self.sender.subscribe()
    }

    /// Publishes a build: its outputs and every diagnostic it reported.
    ///
    /// Copied files are read into memory here; a file that cannot be read turns into an error
    /// diagnostic. If the diagnostics hold an error, the previous files stay served and only
    /// the diagnostics change. The returned [`Change`] lists what changed and the messages that
    /// were broadcast.
    pub fn publish(&self, outputs: Vec<Output>, diagnostics: Vec<Diagnostic>) -> Change {
        self.publish_with(outputs, diagnostics, false)
    }

    /// Publishes a build whose search index is still being built: like [`SiteState::publish`],
    /// but the files of the previous index stay until [`SiteState::publish_search`] replaces
    /// them, and requests for them wait until then ([`SiteState::snapshot_for`]). Publish the
    /// index with the returned generation.
    pub fn publish_pending(&self, outputs: Vec<Output>, diagnostics: Vec<Diagnostic>) -> Change {
        self.publish_with(outputs, diagnostics, true)
    }

    /// Adds the search index built for the files of generation `files_generation`. Ignored
    /// (`None`) if those are no longer the files served: a newer build's index is on its way.
    pub fn publish_search(
        &self,
        files_generation: u64,
        outputs: Vec<Output>,
        found: Vec<Diagnostic>,
    ) -> Option<Change> {
        let _guard = self
            .publishing
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let previous = self.snapshot();
        if !previous.search_pending || previous.files_generation != files_generation {
            return None;
        }
        // The served files get their index unless building it failed (then the search
        // overlay shows why); errors of a later failed build stay shown either way.
        let failed = found.iter().any(Diagnostic::is_error);
        let mut diagnostics = previous.diagnostics.clone();
        diagnostics.extend(found);
        crate::diagnostics::sort_and_dedup(&mut diagnostics);
        let mut files = previous.files.clone();
        if !failed {
            for path in &previous.carried {
                files.remove(path);
            }
            for output in outputs {
                if let Contents::Bytes(bytes) = output.contents {
                    files.insert(output.path, bytes);
                }
            }
        }
        let generation = previous.generation + 1;
        let changed = ChangedFiles::between(&previous.files, &files);
        let served = Served {
            files,
            generation: files_generation,
            search_pending: false,
            carried: Vec::new(),
        };
        Some(self.store(&previous, served, diagnostics, generation, changed))
    }

    /// The bytes of each resized image among `outputs`: the previous snapshot's when it served
    /// that path (a copy's path names all its inputs), else made on all cores.
    fn resize(
        &self,
        outputs: &[Output],
        previous: &Snapshot,
    ) -> HashMap<String, Result<Bytes, String>> {
        use rayon::prelude::*;
        outputs
            .par_iter()
            .filter_map(|output| match &output.contents {
                Contents::Resized(resize) => Some((
                    output.path.clone(),
                    match previous.files.get(&output.path) {
                        Some(bytes) => Ok(bytes.clone()),
                        None => crate::images::produce(resize, self.image_cache.as_deref())
                            .map(Bytes::from),
                    },
                )),
                _ => None,
            })
            .collect()
    }

    fn publish_with(
        &self,
        outputs: Vec<Output>,
        mut diagnostics: Vec<Diagnostic>,
        search_pending: bool,
    ) -> Change {
        let _guard = self
            .publishing
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let previous = self.snapshot();
        let generation = previous.generation + 1;

        let mut files = HashMap::with_capacity(outputs.len());
        if !diagnostics.iter().any(Diagnostic::is_error) {
            let mut resized = self.resize(&outputs, &previous);
            for output in outputs {
                let bytes = match output.contents {
                    Contents::Bytes(bytes) => bytes,
                    Contents::Resized(resize) => match resized.remove(&output.path) {
                        Some(Ok(bytes)) => bytes,
                        Some(Err(why)) => {
                            diagnostics.push(
                                Diagnostic::error(format!(
                                    "cannot resize `{}`: {why}",
                                    resize.source.display()
                                ))
                                .at(Location::file(&resize.source))
                                .with_hint("open the image in an image editor and save it again"),
                            );
                            continue;
                        }
                        None => continue,
                    },
                    Contents::Copy(source) => match read::read(&source, read::MAX_COPIED_FILE) {
                        Ok(bytes) => Bytes::from(bytes),
                        Err(refusal) => {
                            diagnostics.push(
                                Diagnostic::error(format!(
                                    "cannot read `{}` to serve it as `{}`: {}",
                                    source.display(),
                                    output.path,
                                    refusal.reason()
                                ))
                                .at(Location::file(&source))
                                .with_hint(refusal.hint()),
                            );
                            continue;
                        }
                    },
                };
                files.insert(output.path, bytes);
            }
        }
        let failed = diagnostics.iter().any(Diagnostic::is_error);
        if failed {
            // The last good files stay, with the state of their search index.
            let served = Served {
                files: previous.files.clone(),
                generation: previous.files_generation,
                search_pending: previous.search_pending,
                carried: previous.carried.clone(),
            };
            let unchanged = ChangedFiles::default();
            return self.store(&previous, served, diagnostics, generation, unchanged);
        }
        // Until the new index is published, the old one's files stay (unserved).
        let mut carried = Vec::new();
        if search_pending {
            for (path, bytes) in &previous.files {
                if crate::search::in_bundle(path) && !files.contains_key(path) {
                    files.insert(path.clone(), bytes.clone());
                    carried.push(path.clone());
                }
            }
        }
        let changed = ChangedFiles::between(&previous.files, &files);
        let served = Served {
            files,
            generation,
            search_pending,
            carried,
        };
        self.store(&previous, served, diagnostics, generation, changed)
    }

    /// Stores the next snapshot and broadcasts what changed.
    fn store(
        &self,
        previous: &Snapshot,
        served: Served,
        diagnostics: Vec<Diagnostic>,
        generation: u64,
        changed: ChangedFiles,
    ) -> Change {
        let search_pending = served.search_pending;
        let failed = diagnostics.iter().any(Diagnostic::is_error);
        let changed_paths = changed.url_paths();
        let mut recent = previous.recent.clone();
        recent.push_back((generation, changed_paths.clone().into()));
        if recent.len() > HISTORY {
            recent.pop_front();
        }
        let next = Snapshot {
            files: served.files,
            diagnostics,
            generation,
            recent,
            files_generation: served.generation,
            search_pending,
            carried: served.carried,
        };
        let mut messages = Vec::new();
        let status = next.status();
        if failed {
            if !previous.has_errors() || previous.diagnostics != next.diagnostics {
                messages.push(status);
            }
        } else {
            if previous.has_errors() {
                messages.push(Message::Ok);
            }
            messages.extend(changed.messages());
        }
        self.current.store(Arc::new(next));
        if !search_pending {
            self.search_ready.notify_waiters();
        }
        for message in &messages {
            // An error only means that no browser is connected.
            let _ = self.sender.send(message.clone());
        }
        Change {
            generation,
            failed,
            changed: changed_paths,
            messages,
        }
    }
}

/// Equal contents; an output reused from the render memo shares its buffer, which is checked
/// first so that unchanged pages are not compared byte by byte.
fn same(a: &Bytes, b: &Bytes) -> bool {
    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
}

/// The output paths that differ between two builds.
#[derive(Debug, Default)]
struct ChangedFiles {
    /// Added or modified.
    written: BTreeSet<String>,
    removed: BTreeSet<String>,
    /// Written pages that differ only in the content hashes of their cache-busted links
    /// (`style.css?h=…`): the files those name changed, and are reloaded or swapped on their
    /// own account, so a stylesheet edit swaps the sheet instead of reloading every page.
    rehashed: BTreeSet<String>,
}

impl ChangedFiles {
    fn between(old: &HashMap<String, Bytes>, new: &HashMap<String, Bytes>) -> ChangedFiles {
        let mut written = BTreeSet::new();
        let mut rehashed = BTreeSet::new();
        for (path, bytes) in new {
            match old.get(path) {
                Some(old) if same(old, bytes) => continue,
                Some(old) if path.ends_with(".html") && differ_only_in_hashes(old, bytes) => {
                    rehashed.insert(path.clone());
                }
                _ => {}
            }
            written.insert(path.clone());
        }
        let removed = old
            .keys()
            .filter(|path| !new.contains_key(*path))
            .cloned()
            .collect();
        ChangedFiles {
            written,
            removed,
            rehashed,
        }
    }

    fn all(&self) -> impl Iterator<Item = &String> {
        self.written.iter().chain(&self.removed)
    }

    fn url_paths(&self) -> Vec<String> {
        let paths: BTreeSet<String> = self.all().map(|p| url_path(p)).collect();
        paths.into_iter().collect()
    }

    fn messages(&self) -> Vec<Message> {
        let mut messages = Vec::new();
        let css: Vec<String> = self
            .written
            .iter()
            .filter(|p| is_stylesheet(p))
            .map(|p| url_path(p))
            .collect();
        if !css.is_empty() {
            messages.push(Message::Css(css));
        }
        let reload: BTreeSet<String> = self
            .all()
            .filter(|p| !is_stylesheet(p) || self.removed.contains(*p))
            .filter(|p| !self.rehashed.contains(*p))
            .map(|p| url_path(p))
            .collect();
        if !reload.is_empty() {
            messages.push(Message::Reload(reload.into_iter().collect()));
        }
        messages
    }
}

/// Whether two pages are the same but for the values of `?h=` followed by 16 hexadecimal
/// digits, the content hash `url(…, cachebust=true)` writes.
fn differ_only_in_hashes(old: &[u8], new: &[u8]) -> bool {
    const MARK: &[u8] = b"?h=";
    const DIGITS: usize = 16;
    let hash_at = |bytes: &[u8], i: usize| {
        bytes[i..].starts_with(MARK)
            && bytes
                .get(i + MARK.len()..i + MARK.len() + DIGITS)
                .is_some_and(|d| d.iter().all(u8::is_ascii_hexdigit))
    };
    let (mut i, mut j) = (0, 0);
    let mut any = false;
    while i < old.len() && j < new.len() {
        if hash_at(old, i) && hash_at(new, j) {
            any |= old[i..i + MARK.len() + DIGITS] != new[j..j + MARK.len() + DIGITS];
            i += MARK.len() + DIGITS;
            j += MARK.len() + DIGITS;
        } else if old[i] == new[j] {
            i += 1;
            j += 1;
        } else {
            return false;
        }
    }
    any && i == old.len() && j == new.len()
}

/// Stylesheets are swapped in place; every other change is a reload.
fn is_stylesheet(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, extension)| extension.eq_ignore_ascii_case("css"))
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use std::path::Path;

    fn site(files: &[(&str, &str)]) -> Vec<Output> {
        files.iter().map(|(p, b)| Output::bytes(*p, *b)).collect()
    }

    fn error() -> Diagnostic {
        Diagnostic::error("unknown field `titel`").at(Location::from_line_column(
            Path::new("content/a.md"),
            "---\ntitel: x\n",
            2,
            1,
            5,
        ))
    }

    #[test]
    fn a_page_change_reloads_that_page() {
        let state = SiteState::new();
        let mut rx = state.subscribe();
        state.publish(
            site(&[("index.html", "a"), ("x/index.html", "x"), ("s.css", "c")]),
            vec![],
        );
        assert!(matches!(rx.try_recv(), Ok(Message::Css(_))));
        assert!(matches!(rx.try_recv(), Ok(Message::Reload(_))));
        let change = state.publish(
            site(&[("index.html", "a"), ("x/index.html", "x2"), ("s.css", "c")]),
            vec![],
        );
        assert_eq!(change.generation, 2);
        assert_eq!(change.changed, ["/x/"]);
        assert_eq!(change.messages, [Message::Reload(vec!["/x/".into()])]);
        assert_eq!(rx.try_recv().unwrap(), Message::Reload(vec!["/x/".into()]));
        assert!(rx.try_recv().is_err());
        assert_eq!(
            change.messages[0].to_json(),
            r#"{"type":"reload","paths":["/x/"]}"#
        );
    }

    #[test]
    fn a_stylesheet_edit_swaps_it_though_its_hash_changed_in_every_page() {
        let state = SiteState::new();
        let page = |hash: &str, text: &str| {
            format!(
                "<link href=\"/s.css?h={hash}\"><script src=\"/t.js?h=0123456789abcdef\"></script>{text}"
            )
        };
        let (a, b) = ("aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb");
        state.publish(
            site(&[
                ("index.html", page(a, "x").as_str()),
                ("s.css", "c"),
                ("t.js", "t"),
            ]),
            vec![],
        );
        let change = state.publish(
            site(&[
                ("index.html", page(b, "x").as_str()),
                ("s.css", "c2"),
                ("t.js", "t"),
            ]),
            vec![],
        );
        assert_eq!(change.messages, [Message::Css(vec!["/s.css".into()])]);
        // A page whose text changed too is reloaded.
        let change = state.publish(
            site(&[
                ("index.html", page(a, "y").as_str()),
                ("s.css", "c"),
                ("t.js", "t"),
            ]),
            vec![],
        );
        assert_eq!(
            change.messages,
            [
                Message::Css(vec!["/s.css".into()]),
                Message::Reload(vec!["/".into()])
            ]
        );
    }

    #[test]
    fn a_css_only_change_swaps_stylesheets() {
        let state = SiteState::new();
        state.publish(site(&[("index.html", "a"), ("s.css", "c")]), vec![]);
        let change = state.publish(site(&[("index.html", "a"), ("s.css", "c2")]), vec![]);
        assert_eq!(change.messages, [Message::Css(vec!["/s.css".into()])]);
    }

    #[test]
    fn removed_pages_and_changed_assets_reload_the_tabs_using_them() {
        let state = SiteState::new();
        state.publish(
            site(&[("index.html", "a"), ("x/index.html", "x"), ("app.js", "1")]),
            vec![],
        );
        let change = state.publish(site(&[("index.html", "a"), ("app.js", "2")]), vec![]);
        assert_eq!(
            change.messages,
            [Message::Reload(vec!["/app.js".into(), "/x/".into()])]
        );
        let unchanged = state.publish(site(&[("index.html", "a"), ("app.js", "2")]), vec![]);
        assert!(unchanged.messages.is_empty() && unchanged.changed.is_empty());
    }

    #[test]
    fn errors_keep_the_previous_files_and_ok_clears_them() {
        let state = SiteState::new();
        state.publish(site(&[("index.html", "good")]), vec![]);
        let mut rx = state.subscribe();

        let failed = state.publish(site(&[("index.html", "broken")]), vec![error()]);
        assert!(failed.failed);
        assert_eq!(failed.messages, [Message::Errors(vec![error()])]);
        assert_eq!(state.snapshot().files["index.html"], "good");
        assert_eq!(state.snapshot().status(), Message::Errors(vec![error()]));
        let json: Value = serde_json::from_str(&failed.messages[0].to_json()).unwrap();
        assert_eq!(json["type"], "errors");
        assert_eq!(json["diagnostics"][0]["path"], "content/a.md");
        assert_eq!(json["diagnostics"][0]["line"], 2);
        assert_eq!(json["diagnostics"][0]["column"], 1);
        assert_eq!(json["diagnostics"][0]["message"], "unknown field `titel`");

        // The same errors again: nothing new to tell.
        let again = state.publish(vec![], vec![error()]);
        assert!(again.messages.is_empty());

        let fixed = state.publish(site(&[("index.html", "fixed")]), vec![]);
        assert_eq!(
            fixed.messages,
            [Message::Ok, Message::Reload(vec!["/".into()])]
        );
        assert_eq!(Message::Ok.to_json(), r#"{"type":"ok"}"#);
        let received: Vec<Message> = std::iter::from_fn(|| rx.try_recv().ok()).collect();
        assert_eq!(
            received,
            [
                Message::Errors(vec![error()]),
                Message::Ok,
                Message::Reload(vec!["/".into()])
            ]
        );
    }

    #[test]
    fn snapshots_know_what_changed_since_recent_generations() {
        let state = SiteState::new();
        state.publish(site(&[("index.html", "a"), ("x/index.html", "x")]), vec![]);
        state.publish(site(&[("index.html", "a"), ("x/index.html", "x2")]), vec![]);
        state.publish(
            site(&[("index.html", "a2"), ("x/index.html", "x2")]),
            vec![],
        );
        state.publish(vec![], vec![error()]);
        let snapshot = state.snapshot();
        let reload = |paths: &[&str]| {
            Some(Message::Reload(
                paths.iter().map(|p| p.to_string()).collect(),
            ))
        };
        assert_eq!(snapshot.changed_since(4), None);
        assert_eq!(snapshot.changed_since(3), None);
        assert_eq!(snapshot.changed_since(2), reload(&["/"]));
        assert_eq!(snapshot.changed_since(1), reload(&["/", "/x/"]));
        assert_eq!(snapshot.changed_since(5), reload(&["*"]));

        for n in 0..HISTORY {
            state.publish(site(&[("index.html", &n.to_string())]), vec![]);
        }
        let snapshot = state.snapshot();
        let last = snapshot.generation;
        assert_eq!(snapshot.changed_since(last - 1), reload(&["/"]));
        // The oldest remembered publish is the one that removed /x/.
        assert_eq!(
            snapshot.changed_since(last - HISTORY as u64),
            reload(&["/", "/x/"])
        );
        assert_eq!(
            snapshot.changed_since(last - HISTORY as u64 - 1),
            reload(&["*"])
        );
    }

    #[test]
    fn copied_files_are_read_at_publish_time() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("photo.png");
        fs::write(&source, b"png bytes").unwrap();
        let state = SiteState::new();
        state.publish(vec![Output::copy("photo.png", &source)], vec![]);
        fs::remove_file(&source).unwrap();
        assert_eq!(state.snapshot().files["photo.png"], "png bytes");

        let missing = state.publish(vec![Output::copy("photo.png", &source)], vec![]);
        assert!(missing.failed);
        assert_eq!(state.snapshot().files["photo.png"], "png bytes");
    }

    /// The dev server reads copied files by the rules `steppe build` copies them by: a FIFO
    /// does not hang the publish, and a kernel file that claims gigabytes is not read at all.
    #[cfg(target_os = "linux")]
    #[test]
    fn copied_files_that_are_not_regular_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.txt");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let state = SiteState::new();
        let change = state.publish(
            vec![
                Output::copy("pipe.txt", &fifo),
                Output::copy("pagemap", "/proc/self/pagemap"),
            ],
            vec![],
        );
        assert!(change.failed);
        let messages: Vec<String> = state
            .snapshot()
            .diagnostics
            .iter()
            .map(|d| format!("{} / {}", d.message, d.hint.as_deref().unwrap_or("")))
            .collect();
        let hint = "steppe reads and copies only regular files; remove it from the site folder";
        assert_eq!(
            messages,
            [
                format!(
                    "cannot read `{}` to serve it as `pipe.txt`: it is a FIFO (named pipe), not a regular file / {hint}",
                    fifo.display()
                ),
                format!(
                    "cannot read `/proc/self/pagemap` to serve it as `pagemap`: it is a file of the kernel (/proc, /sys), not a regular file / {hint}"
                ),
            ]
        );
    }

    #[test]
    fn warnings_alone_do_not_fail_the_build() {
        let state = SiteState::new();
        let change = state.publish(
            site(&[("index.html", "a")]),
            vec![Diagnostic::warning("broken link")],
        );
        assert!(!change.failed);
        assert_eq!(state.snapshot().status(), Message::Ok);
    }
}
