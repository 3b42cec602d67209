//! Opening the site's files, which are untrusted input.
//!
//! A cloned theme or a contributed note can hold a symbolic link to a secret
//! (`static/env.txt -> /proc/self/environ`, `notes/leak.md -> ~/.ssh/id_rsa`), a FIFO that
//! blocks a reader forever, or a file that claims to be enormous (`/proc/self/pagemap`). Every
//! file of the site that steppe reads or copies goes through this module, so load (Markdown,
//! templates), write (copied files) and the dev server (copied files read into memory) follow
//! one set of rules:
//!
//! - [`Roots`] says where a symbolic link may lead: into the site folder, or into the content
//!   folder (`content_dir`, which may lie outside the site). The walk in [`crate::load`] asks it
//!   about every link it meets and keeps the link's resolved target as the path to read.
//! - [`open`] therefore never follows a link: it opens with `O_NOFOLLOW` (a link planted after
//!   the walk is refused, not followed) and `O_NONBLOCK` (a FIFO cannot hang the build), then
//!   checks on the open file that it is a regular file, not a file of the kernel (`/proc`,
//!   `/sys`), and no larger than the caller's limit. [`read`] and [`copy`] stop at that limit
//!   while reading, so a file that grows after the check is cut off too.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The largest Markdown file or template steppe reads. Far above any page an author writes
/// (a long book is a few MB), low enough that a stray data dump or disk image named `.md` is
/// refused at once instead of exhausting memory in the parser and the search index.
pub(crate) const MAX_TEXT_FILE: u64 = 16 * 1024 * 1024;

/// The largest file steppe copies into the site (an image, a PDF, a video). Far above what a
/// web host serves as one file; the dev server holds every copied file in memory.
pub(crate) const MAX_COPIED_FILE: u64 = 1024 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// The file system said no (missing, permission denied, …).
    Io(io::Error),
    /// Not a regular file: what it is instead ("a FIFO", "a folder", …).
    NotRegular(&'static str),
    /// Larger than the limit; the size found (the size claimed, or the bytes read so far).
    TooLarge(u64),
}

impl Refusal {
    /// The reason, for a message of the form "cannot read `x`: {reason}".
    pub(crate) fn reason(&self) -> String {
        match self {
            Refusal::Io(e) => e.to_string(),
            Refusal::NotRegular(what) => format!("it is {what}, not a regular file"),
            Refusal::TooLarge(size) => format!("it is too large ({} MB)", megabytes(*size)),
        }
    }

    /// What the author can do about it.
    pub(crate) fn hint(&self) -> &'static str {
        match self {
            Refusal::Io(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                "check the file's permissions (`chmod u+r`)"
            }
            Refusal::Io(e) if e.kind() == io::ErrorKind::NotFound => {
                "the file disappeared while steppe was reading it; build again"
            }
            Refusal::Io(_) => "check that the file is a readable regular file",
            Refusal::NotRegular(_) => {
                "steppe reads and copies only regular files; remove it from the site folder"
            }
            Refusal::TooLarge(_) => "keep files this large out of the site folder",
        }
    }
}

impl From<io::Error> for Refusal {
    fn from(error: io::Error) -> Refusal {
        Refusal::Io(error)
    }
}

/// Whole megabytes, rounded up, for messages.
pub(crate) fn megabytes(bytes: u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}

/// The folders the site's files may come from, canonical: the site folder, and the content
/// folder when it lies elsewhere.
#[derive(Debug, Clone, Default)]
pub(crate) struct Roots {
    folders: Vec<PathBuf>,
}

/// A symbolic link that [`Roots::follow`] would not follow.
#[derive(Debug)]
pub(crate) enum LinkError {
    /// It leads outside the roots; `written` is the link's text, as `ls -l` shows it.
    Outside { written: PathBuf },
    /// It cannot be resolved (it points at nothing, or a folder on the way is unreadable).
    Io(io::Error),
}

impl Roots {
    /// The roots of the site at `root` whose notes are in `content_dir` (absolute, or relative
    /// to the current folder like `root`). A folder that does not exist is left out.
    pub(crate) fn new(root: &Path, content_dir: &Path) -> Roots {
        let mut folders = Vec::new();
        for folder in [root, content_dir] {
            if let Ok(canonical) = fs::canonicalize(folder)
                && !folders.iter().any(|f: &PathBuf| canonical.starts_with(f))
            {
                folders.retain(|f: &PathBuf| !f.starts_with(&canonical));
                folders.push(canonical);
            }
        }
        Roots { folders }
    }

    /// Whether the canonical path `path` lies inside one of the roots.
    pub(crate) fn contains(&self, path: &Path) -> bool {
        self.folders.iter().any(|f| path.starts_with(f))
    }

    /// Where the symbolic link (or path through links) `link` leads: its canonical target, when
    /// that is inside the roots.
    pub(crate) fn follow(&self, link: &Path) -> Result<PathBuf, LinkError> {
        let target = fs::canonicalize(link).map_err(LinkError::Io)?;
        if self.contains(&target) {
            Ok(target)
        } else {
            let written = fs::read_link(link).unwrap_or_else(|_| target.clone());
            Err(LinkError::Outside { written })
        }
    }
}

/// File systems whose files are the kernel's state, not data: a "regular" file there can be
/// endless (`/proc/self/pagemap`) or secret (`/proc/self/environ`).
#[cfg(target_os = "linux")]
const KERNEL_FILE_SYSTEMS: &[u32] = &[
    0x9fa0,      // proc
    0x6265_6572, // sysfs
    0x6462_6720, // debugfs
    0x7472_6163, // tracefs
    0x7363_6673, // securityfs
    0x0027_e0eb, // cgroup
    0x6367_7270, // cgroup2
    0x6265_6570, // configfs
    0xde5e_81e4, // efivarfs
    0xcafe_4a11, // bpf
];

/// Opens the regular file at `path` for reading and returns it with its size. Refuses a
/// symbolic link at `path` itself (callers pass the target [`Roots::follow`] resolved), anything
/// but a regular file, a file of the kernel's pseudo file systems and a file over `limit` bytes.
/// Never blocks: a FIFO is opened without waiting for a writer, then refused.
pub(crate) fn open(path: &Path, limit: u64) -> Result<(File, u64), Refusal> {
    let file = open_no_follow(path)?;
    let metadata = file.metadata()?;
    let file_type = metadata.file_type();
    if !file_type.is_file() {
        return Err(Refusal::NotRegular(describe(file_type)));
    }
    #[cfg(target_os = "linux")]
    if let Ok(fs) = rustix::fs::fstatfs(&file)
        && KERNEL_FILE_SYSTEMS.contains(&(fs.f_type as u32))
    {
        return Err(Refusal::NotRegular("a file of the kernel (/proc, /sys)"));
    }
    let size = metadata.len();
    if size > limit {
        return Err(Refusal::TooLarge(size));
    }
    Ok((file, size))
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> Result<File, Refusal> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    match rustix::fs::open(path, flags | OFlags::NOCTTY, Mode::empty()) {
        Ok(fd) => Ok(File::from(fd)),
        Err(rustix::io::Errno::LOOP) => Err(Refusal::NotRegular("a symbolic link")),
        Err(errno) => Err(Refusal::Io(errno.into())),
    }
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> Result<File, Refusal> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(Refusal::NotRegular("a symbolic link"));
    }
    Ok(File::open(path)?)
}

/// "a FIFO", "a folder", … for a file type that is not a regular file.
pub(crate) fn describe(file_type: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// The bytes of the regular file at `path` (see [`open`]), at most `limit` of them.
pub(crate) fn read(path: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
    let (file, size) = open(path, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(Refusal::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Copies the regular file at `path` (see [`open`]), at most `limit` bytes, into `target`;
/// returns the bytes copied. A refused source leaves `target` untouched.
pub(crate) fn copy(path: &Path, target: &Path, limit: u64) -> Result<u64, CopyError> {
    let (file, _) = open(path, limit).map_err(CopyError::Source)?;
    let mut out = File::create(target).map_err(CopyError::Target)?;
    // std copies file to file inside the kernel (copy_file_range), `take` included.
    let copied = io::copy(&mut file.take(limit + 1), &mut out).map_err(|e| {
        // Whether reading or writing failed is not told apart by io::copy: a full disk or a
        // read-only target is by far the likelier.
        CopyError::Target(e)
    })?;
    if copied > limit {
        return Err(CopyError::Source(Refusal::TooLarge(copied)));
    }
    Ok(copied)
}

/// Why [`copy`] failed: the file to copy was refused, or the copy could not be written.
#[derive(Debug)]
pub(crate) enum CopyError {
    Source(Refusal),
    Target(io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(result: Result<impl std::fmt::Debug, Refusal>) -> String {
        result.unwrap_err().reason()
    }

    #[test]
    fn regular_files_are_read_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "twelve bytes").unwrap();
        assert_eq!(read(&path, 12).unwrap(), b"twelve bytes");
        assert_eq!(refusal(read(&path, 11)), "it is too large (1 MB)");
        assert!(matches!(read(&path, 11), Err(Refusal::TooLarge(12))));
    }

    #[cfg(unix)]
    #[test]
    fn links_fifos_and_kernel_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Without O_NONBLOCK this open would wait for a writer forever.
        assert_eq!(
            refusal(read(&fifo, MAX_TEXT_FILE)),
            "it is a FIFO (named pipe), not a regular file"
        );
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(dir.path().join("pipe"), &link).unwrap();
        assert_eq!(
            refusal(read(&link, MAX_TEXT_FILE)),
            "it is a symbolic link, not a regular file"
        );
        assert_eq!(
            refusal(read(dir.path(), MAX_TEXT_FILE)),
            "it is a folder, not a regular file"
        );
        assert_eq!(
            refusal(read(Path::new("/dev/zero"), MAX_TEXT_FILE)),
            "it is a device, not a regular file"
        );
        for kernel in ["/proc/self/environ", "/proc/self/pagemap"] {
            if Path::new(kernel).exists() {
                assert_eq!(
                    refusal(read(Path::new(kernel), MAX_COPIED_FILE)),
                    "it is a file of the kernel (/proc, /sys), not a regular file",
                    "{kernel}"
                );
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_only_into_the_roots() {
        let site = tempfile::tempdir().unwrap();
        let vault = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let root = site.path();
        fs::create_dir(root.join("content")).unwrap();
        fs::write(root.join("inside.md"), "in").unwrap();
        fs::write(vault.path().join("note.md"), "note").unwrap();
        fs::write(elsewhere.path().join("secret"), "key").unwrap();
        let link = |name: &str, to: &Path| {
            let path = root.join(name);
            std::os::unix::fs::symlink(to, &path).unwrap();
            path
        };
        let roots = Roots::new(root, vault.path());
        let inside = link("a", Path::new("inside.md"));
        assert_eq!(
            roots.follow(&inside).unwrap(),
            fs::canonicalize(root.join("inside.md")).unwrap()
        );
        let into_vault = link("b", &vault.path().join("note.md"));
        assert!(roots.follow(&into_vault).is_ok());
        let secret = elsewhere.path().join("secret");
        let out = link("c", &secret);
        match roots.follow(&out) {
            Err(LinkError::Outside { written }) => assert_eq!(written, secret),
            other => panic!("{other:?}"),
        }
        // Without the vault among the roots, a link into it leads outside.
        let site_only = Roots::new(root, &root.join("content"));
        assert!(matches!(
            site_only.follow(&into_vault),
            Err(LinkError::Outside { .. })
        ));
        let dangling = link("d", Path::new("nothing"));
        assert!(matches!(roots.follow(&dangling), Err(LinkError::Io(_))));
    }

    #[test]
    fn copies_stop_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("big.bin");
        let target = dir.path().join("copy.bin");
        fs::write(&source, vec![7u8; 100]).unwrap();
        assert_eq!(copy(&source, &target, 100).unwrap(), 100);
        assert_eq!(fs::read(&target).unwrap(), vec![7u8; 100]);
        fs::remove_file(&target).unwrap();
        assert!(matches!(
            copy(&source, &target, 99),
            Err(CopyError::Source(Refusal::TooLarge(100)))
        ));
        assert!(!target.exists(), "a refused source creates no file");
    }
}
