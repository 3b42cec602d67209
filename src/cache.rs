//! `.steppe-cache/`: what builds keep between runs in the site root (highlighted code blocks,
//! for `check --external` the links found good). Only the driver (`build`, `external`) calls
//! this module; the stages themselves never touch a file.
//!
//! The folder is untrusted like everything else in a site: it can be committed, cloned or
//! planted. So nothing here follows a symbolic link: the folder itself must be a real folder, a
//! file is read through [`crate::read`] as the site's other files are (only a regular file
//! reached without a link, under a size limit), new files are created
//! exclusively (`O_EXCL`, which never follows a link at the new name) under a fresh name and
//! renamed into place (which replaces a link rather than writing through it). What is read is
//! data, decoded and checked before use (see `parse::highlight`'s memo).

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::diagnostics::Diagnostic;
use crate::parse::highlight::{self, BlockKey, CacheFormatError, Highlighter};
use crate::read::{self, Refusal};

/// The cache folder, below the site root.
pub(crate) const DIR: &str = ".steppe-cache";

/// Highlighted code blocks, below the site root.
pub(crate) const HIGHLIGHT_FILE: &str = ".steppe-cache/highlight.bin";

/// Largest cache file read: far above what a 100,000-page site writes, far below what would
/// hurt to hold in memory.
const MAX_FILE: u64 = 512 * 1024 * 1024;

/// `<root>/.steppe-cache`, created when missing. Refused when it is a symbolic link or not a
/// folder: the cache must not lead reads or writes anywhere else.
pub(crate) fn folder(root: &Path) -> Result<PathBuf, Diagnostic> {
    let dir = root.join(DIR);
    match fs::symlink_metadata(&dir) {
        Ok(meta) if meta.is_dir() => Ok(dir),
        Ok(meta) => {
            let what = if meta.is_symlink() {
                "a symbolic link"
            } else {
                "not a folder"
            };
            Err(Diagnostic::warning(format!(
                "`{DIR}` is {what}, so steppe neither reads nor writes its cache there"
            ))
            .with_hint(format!(
                "remove `{DIR}`; steppe creates the folder itself (and list it in .gitignore)"
            )))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir(&dir)
                .or_else(|e| match e.kind() {
                    io::ErrorKind::AlreadyExists => Ok(()),
                    _ => Err(e),
                })
                .map_err(|e| cannot_write(DIR, &e))?;
            // Created by this process or a concurrent one: check again what is there.
            match fs::symlink_metadata(&dir) {
                Ok(meta) if meta.is_dir() => Ok(dir),
                _ => Err(cannot_write(DIR, &io::Error::other("it was replaced"))),
            }
        }
        Err(e) => Err(cannot_write(DIR, &e)),
    }
}

/// The bytes of `<root>/<name>` (a path below [`DIR`]) when it is a regular file of at most
/// [`MAX_FILE`] bytes reached through no symbolic link; `Ok(None)` when there is none.
pub(crate) fn read(root: &Path, name: &str) -> Result<Option<Vec<u8>>, Diagnostic> {
    if let Ok(meta) = fs::symlink_metadata(root.join(DIR))
        && !meta.is_dir()
    {
        // `folder` says why, once, when the build writes.
        return Ok(None);
    }
    // Opened as the site's other untrusted files are: no link followed, a FIFO not waited on,
    // nothing but a regular file, the limit kept while reading.
    match read::read(&root.join(name), MAX_FILE) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(Refusal::Io(e)) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(Refusal::Io(e)) => Err(not_used(name, &e.to_string())),
        Err(Refusal::NotRegular("a symbolic link")) => Err(not_used(name, "it is a symbolic link")),
        Err(Refusal::NotRegular(_)) => Err(not_used(name, "it is not a regular file")),
        Err(Refusal::TooLarge(_)) => Err(not_used(name, "it is too large")),
    }
}

fn not_used(name: &str, why: &str) -> Diagnostic {
    Diagnostic::warning(format!("`{name}` was not used: {why}")).with_hint(format!(
        "remove it; steppe writes a new one (list `{DIR}/` in .gitignore)"
    ))
}

fn cannot_write(name: &str, error: &io::Error) -> Diagnostic {
    Diagnostic::warning(format!("cannot save `{name}`: {error}")).with_hint(
        "the next build does the cached work again; check that the site folder is writable",
    )
}

/// A file being written in the cache folder, which takes the place of `name` only when
/// [`NewFile::commit`]ted, and is removed when dropped otherwise.
pub(crate) struct NewFile {
    file: io::BufWriter<fs::File>,
    temporary: PathBuf,
    path: PathBuf,
    committed: bool,
}

/// Numbers the temporary files of this process.
static TEMPORARIES: AtomicU64 = AtomicU64::new(0);

impl NewFile {
    /// Creates `<name>.tmp-<pid>-<n>` beside `<root>/<name>` (a path below [`DIR`]),
    /// exclusively: an existing file or link at that name is an error, never opened. Temporary
    /// files of builds that were killed are removed first.
    pub(crate) fn create(root: &Path, name: &str) -> Result<NewFile, Diagnostic> {
        let dir = folder(root)?;
        let path = root.join(name);
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        remove_stale_temporaries(&dir, &file_name);
        let temporary = dir.join(format!(
            "{file_name}.tmp-{}-{}",
            std::process::id(),
            TEMPORARIES.fetch_add(1, Ordering::Relaxed)
        ));
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
            .open(&temporary)
            .map_err(|e| cannot_write(name, &e))?;
        Ok(NewFile {
            file: io::BufWriter::new(file),
            temporary,
            path,
            committed: false,
        })
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)
    }

    /// Puts the file in place of `name` (replacing whatever is there, a link included, without
    /// following it).
    pub(crate) fn commit(mut self) -> io::Result<()> {
        self.file.flush()?;
        fs::rename(&self.temporary, &self.path)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for NewFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.temporary);
        }
    }
}

/// Removes `<file_name>.tmp-<pid>-…` files in `dir` left by builds that were killed (their
/// process is gone); a running build's file is left alone.
fn remove_stale_temporaries(dir: &Path, file_name: &str) {
    let prefix = format!("{file_name}.tmp-");
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        if pid.is_some_and(|pid| !crate::output::process_is_running(pid)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Writes `bytes` as `<root>/<name>` through a [`NewFile`].
pub(crate) fn write(root: &Path, name: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    let mut file = NewFile::create(root, name)?;
    file.write(bytes)
        .and_then(|()| file.commit())
        .map_err(|e| cannot_write(name, &e))
}

/// Gives `highlighter` the blocks saved by an earlier build. A file of another version is
/// ignored; a damaged or refused one is ignored with a warning.
pub(crate) fn load_highlighted(root: &Path, highlighter: &mut Highlighter) -> Option<Diagnostic> {
    let bytes = match read(root, HIGHLIGHT_FILE) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return None,
        Err(diagnostic) => return Some(diagnostic),
    };
    match highlight::decode_blocks(&bytes) {
        Ok(blocks) => {
            highlighter.remember(blocks);
            None
        }
        Err(CacheFormatError::OtherVersion) => None,
        Err(CacheFormatError::Damaged) => Some(not_used(HIGHLIGHT_FILE, "it is damaged")),
    }
}

/// The next highlight cache file, filled while the build runs: blocks highlighted by this build
/// go into it as they are made instead of staying in memory.
pub(crate) struct HighlightStream {
    /// The file and the first error writing it; taken by [`HighlightStream::finish`].
    file: Mutex<Option<(NewFile, Option<io::Error>)>>,
}

impl HighlightStream {
    /// Starts the next file and points `highlighter`'s new blocks at it.
    pub(crate) fn start(
        root: &Path,
        highlighter: &mut Highlighter,
    ) -> Result<Arc<Self>, Diagnostic> {
        let mut file = NewFile::create(root, HIGHLIGHT_FILE)?;
        file.write(highlight::file_header().as_bytes())
            .map_err(|e| cannot_write(HIGHLIGHT_FILE, &e))?;
        let stream = Arc::new(HighlightStream {
            file: Mutex::new(Some((file, None))),
        });
        let sink = Arc::clone(&stream);
        highlighter.send_new_blocks_to(Box::new(move |key, html| sink.append(&key, html)));
        Ok(stream)
    }

    fn append(&self, key: &BlockKey, html: &str) {
        let mut record = Vec::with_capacity(32 + html.len());
        highlight::encode_block(&mut record, key, html);
        let mut guard = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((file, error @ None)) = &mut *guard
            && let Err(e) = file.write(&record)
        {
            *error = Some(e);
        }
    }

    /// Completes the file with the saved blocks this build used and puts it in place, or drops
    /// it when the build used exactly the blocks loaded.
    pub(crate) fn finish(&self, highlighter: &Highlighter) -> Result<(), Diagnostic> {
        let taken = self
            .file
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let (Some((mut file, error)), Some(used)) = (taken, highlighter.used_blocks_if_changed())
        else {
            // Dropping the new file removes it.
            return Ok(());
        };
        if let Some(e) = error {
            return Err(cannot_write(HIGHLIGHT_FILE, &e));
        }
        let mut record = Vec::new();
        for (key, html) in used {
            record.clear();
            highlight::encode_block(&mut record, &key, &html);
            file.write(&record)
                .map_err(|e| cannot_write(HIGHLIGHT_FILE, &e))?;
        }
        file.commit().map_err(|e| cannot_write(HIGHLIGHT_FILE, &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn spans(h: &Highlighter, code: &str, lang: &str) -> Arc<str> {
        use crate::parse::highlight::Highlighted;
        h.highlight(code, lang)
            .and_then(Highlighted::spans)
            .unwrap()
    }

    /// One build: load, stream, highlight `blocks`, finish.
    fn build(root: &Path, blocks: &[(&str, &str)]) -> (Vec<Arc<str>>, Option<Diagnostic>) {
        let mut h = Highlighter::new();
        let loaded = load_highlighted(root, &mut h);
        let stream = HighlightStream::start(root, &mut h).unwrap();
        let html = blocks
            .iter()
            .map(|(code, lang)| spans(&h, code, lang))
            .collect();
        stream.finish(&h).unwrap();
        (html, loaded)
    }

    #[test]
    fn the_cache_keeps_the_blocks_the_last_build_used() {
        let root = tempfile::tempdir().unwrap();
        let (first, _) = build(root.path(), &[("let a = 1;\n", "rust"), ("x = 2\n", "py")]);
        let saved = fs::read(root.path().join(HIGHLIGHT_FILE)).unwrap();
        let blocks = highlight::decode_blocks(&saved).unwrap();
        assert_eq!(blocks.len(), 2);

        // The same blocks again: nothing new, the file is left as it was.
        let (again, loaded) = build(root.path(), &[("let a = 1;\n", "rust"), ("x = 2\n", "py")]);
        assert_eq!((again, loaded), (first.clone(), None));
        assert_eq!(fs::read(root.path().join(HIGHLIGHT_FILE)).unwrap(), saved);

        // One kept, one new: the unused python block is dropped.
        let (_, _) = build(
            root.path(),
            &[("let a = 1;\n", "rust"), ("fn f() {}\n", "rust")],
        );
        let bytes = fs::read(root.path().join(HIGHLIGHT_FILE)).unwrap();
        let mut htmls: Vec<Arc<str>> = highlight::decode_blocks(&bytes)
            .unwrap()
            .into_iter()
            .map(|(_, html)| html)
            .collect();
        htmls.sort();
        let fresh = Highlighter::new();
        let mut expected = vec![
            spans(&fresh, "let a = 1;\n", "rust"),
            spans(&fresh, "fn f() {}\n", "rust"),
        ];
        expected.sort();
        assert_eq!(htmls, expected);
        assert_eq!(names(&root.path().join(DIR)), ["highlight.bin"]);
    }

    #[test]
    fn a_damaged_file_is_not_used_and_is_replaced() {
        let root = tempfile::tempdir().unwrap();
        build(root.path(), &[("let a = 1;\n", "rust")]);
        let path = root.path().join(HIGHLIGHT_FILE);
        let mut bytes = fs::read(&path).unwrap();
        bytes.truncate(bytes.len() - 3);
        fs::write(&path, &bytes).unwrap();
        let (html, loaded) = build(root.path(), &[("let a = 1;\n", "rust")]);
        let message = loaded.unwrap().to_string();
        assert!(message.contains("`.steppe-cache/highlight.bin` was not used: it is damaged"));
        assert_eq!(html[0], spans(&Highlighter::new(), "let a = 1;\n", "rust"));
        assert!(highlight::decode_blocks(&fs::read(&path).unwrap()).is_ok());
    }

    #[test]
    fn temporaries_of_killed_builds_are_removed() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(DIR);
        fs::create_dir(&dir).unwrap();
        // A dead process id: far above any pid_max.
        let dead = dir.join("highlight.bin.tmp-4294967295-0");
        let other = dir.join("notes.tmp-4294967295-0");
        for f in [&dead, &other] {
            fs::write(f, "x").unwrap();
        }
        let file = NewFile::create(root.path(), HIGHLIGHT_FILE).unwrap();
        assert!(!dead.exists());
        assert!(other.exists(), "not this file's temporary");
        assert!(file.temporary.exists(), "this build's own file");
        drop(file);
        assert_eq!(names(&dir), ["notes.tmp-4294967295-0"]);
    }

    #[test]
    fn links_are_never_followed() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let victim = outside.path().join("victim");
        fs::write(&victim, "precious").unwrap();

        // A planted link at the cache file: not read, and replaced (not written through).
        fs::create_dir(root.path().join(DIR)).unwrap();
        std::os::unix::fs::symlink(&victim, root.path().join(HIGHLIGHT_FILE)).unwrap();
        let (_, loaded) = build(root.path(), &[("let a = 1;\n", "rust")]);
        assert!(
            loaded
                .unwrap()
                .to_string()
                .contains("was not used: it is a symbolic link")
        );
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert!(
            !fs::symlink_metadata(root.path().join(HIGHLIGHT_FILE))
                .unwrap()
                .is_symlink()
        );

        // A planted link at every temporary name this process could pick next.
        let dir = root.path().join(DIR);
        let next = TEMPORARIES.load(Ordering::Relaxed);
        for n in next..next + 64 {
            let name = format!("highlight.bin.tmp-{}-{n}", std::process::id());
            std::os::unix::fs::symlink(&victim, dir.join(name)).unwrap();
        }
        let result = NewFile::create(root.path(), HIGHLIGHT_FILE);
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");

        // The folder itself a link: refused, nothing read or written there.
        let root = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join(DIR)).unwrap();
        let message = folder(root.path()).unwrap_err().to_string();
        assert!(
            message.contains("`.steppe-cache` is a symbolic link"),
            "{message}"
        );
        assert_eq!(read(root.path(), HIGHLIGHT_FILE).unwrap(), None);
        assert!(NewFile::create(root.path(), HIGHLIGHT_FILE).is_err());
        assert_eq!(names(outside.path()), ["victim"]);
    }

    #[test]
    fn only_regular_files_are_read() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir(root.path().join(DIR)).unwrap();
        let fifo = root.path().join(HIGHLIGHT_FILE);
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o644),
            0,
        )
        .unwrap();
        let message = read(root.path(), HIGHLIGHT_FILE).unwrap_err().to_string();
        assert!(message.contains("it is not a regular file"), "{message}");
    }
}
