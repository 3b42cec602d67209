//! Tests of the guard, staging and swap, on real temporary folders.

use super::guard::*;
use super::staging::*;
use super::swap::*;
use super::*;

use std::fs;
use std::path::Path;

use rayon::prelude::*;

use crate::files::Output;
use crate::read;

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

/// Writes `outputs` into a staging folder and atomically replaces `output_dir` with it, as a
/// build does (the build streams its outputs into the [`Staging`] as they are rendered).
fn publish(
    site_root: &Path,
    output_dir: &Path,
    outputs: &[Output],
) -> Result<PublishStats, Diagnostic> {
    let staging = Staging::begin(site_root, output_dir)?;
    outputs.par_iter().for_each(|output| staging.write(output));
    staging.publish()
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
    assert!(refusal(root, "..").starts_with("output_dir `..` is a folder that contains the site"));
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

/// Copying follows the rules of reading: no FIFO (which would hang the build), no kernel
/// file (`/proc/self/pagemap` claims hundreds of GB and would fill the disk), no symbolic
/// link planted at the path after the walk.
#[cfg(target_os = "linux")]
#[test]
fn copies_of_anything_but_regular_files_are_refused() {
    let site = site();
    let fifo = site.path().join("static/pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let secret = tempfile::tempdir().unwrap();
    fs::write(secret.path().join("key"), "secret").unwrap();
    let planted = site.path().join("static/key.txt");
    std::os::unix::fs::symlink(secret.path().join("key"), &planted).unwrap();
    let hint = "steppe reads and copies only regular files; remove it from the site folder";
    for (source, reason) in [
        (
            fifo.as_path(),
            "it is a FIFO (named pipe), not a regular file",
        ),
        (
            Path::new("/proc/self/pagemap"),
            "it is a file of the kernel (/proc, /sys), not a regular file",
        ),
        (
            planted.as_path(),
            "it is a symbolic link, not a regular file",
        ),
    ] {
        let error = publish(
            site.path(),
            Path::new("public"),
            &[Output::copy("x", source)],
        )
        .unwrap_err();
        let shown = source.strip_prefix(site.path()).unwrap_or(source);
        assert_eq!(
            error.to_string(),
            format!(
                "error: cannot copy `{}` to `public/x`: {reason}\n |\n = help: {hint}",
                shown.display()
            )
        );
        assert!(!site.path().join("public").exists());
        assert!(leftovers(site.path()).is_empty());
    }
}

#[test]
fn copies_over_the_size_limit_are_refused_unread() {
    let site = site();
    let big = site.path().join("static/disk.img");
    fs::File::create(&big)
        .unwrap()
        .set_len(read::MAX_COPIED_FILE + 1)
        .unwrap();
    let error = publish(
        site.path(),
        Path::new("public"),
        &[Output::copy("disk.img", &big)],
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "error: cannot copy `static/disk.img` to `public/disk.img`: it is too large (1025 MB)\n |\n = help: steppe copies files of up to 1024 MB; keep larger ones out of the site folder"
    );
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
