//! Faults outside the author's control: a build killed at any moment, a full disk, an output
//! folder on a read-only file system or without write permission, files deleted while the build
//! runs. After each, the output folder holds exactly the old site or exactly the new one.
//!
//! Tests run as root here and in CI, where permissions do not stop a process, so the faults are
//! made real with the kernel: a size-limited tmpfs and a read-only bind mount in a mount
//! namespace of the test's own (`unshare -m`), and `setpriv` dropping the capabilities that let
//! root ignore file modes. Where those tools are missing a test says so loudly and skips.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Rng, Site};

type Tree = BTreeMap<String, Vec<u8>>;

/// A site of `pages` pages with headings, links and tags, so a build takes a moment.
fn sizeable_site(pages: usize) -> Site {
    let site = Site::new("title = \"Version A\"\n");
    write_pages(&site, pages);
    site
}

fn write_pages(site: &Site, pages: usize) {
    for i in 0..pages {
        let mut text = format!(
            "---\ntitle: Page {i}\ntags: [t{}]\ndate: 2026-01-{:02}\n---\n",
            i % 7,
            1 + i % 28
        );
        for h in 0..4 {
            text.push_str(&format!(
                "## Part {h}\n\nThe caravan crossed the steppe, see [[Page {}]] and \
                 [the next](p{}.md#part-{h}). Words {i} {h} and more words to index.\n\n",
                (i + 1) % pages,
                (i + 2) % pages
            ));
        }
        site.write(&format!("content/p{i}.md"), &text);
    }
}

/// Names in the site folder that are steppe's temporary folders.
fn leftovers(site: &Site) -> Vec<String> {
    std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // `.steppe-cache/` is steppe's cache, kept between builds on purpose.
        .filter(|n| n.contains(".steppe-") && n != ".steppe-cache")
        .collect()
}

fn describe(tree: &Tree, a: &Tree, b: &Tree) -> String {
    fn differs(tree: &Tree, other: &Tree) -> Vec<String> {
        tree.iter()
            .filter(|(k, v)| other.get(*k) != Some(*v))
            .map(|(k, _)| k.clone())
            .chain(other.keys().filter(|k| !tree.contains_key(*k)).cloned())
            .take(5)
            .collect()
    }
    format!(
        "{} files; differs from old in {:?}, from new in {:?}",
        tree.len(),
        differs(tree, a),
        differs(tree, b)
    )
}

#[test]
fn killed_builds_leave_the_old_or_the_new_site() {
    let (mut rng, seed) = Rng::from_env("killed_builds_leave_the_old_or_the_new_site");
    let site = sizeable_site(120);
    site.build_ok();
    let a = site.tree("public");
    site.write("site.toml", "title = \"Version B\"\n");
    let started = Instant::now();
    site.build_ok();
    let full = started.elapsed();
    let b = site.tree("public");
    assert_ne!(a, b);

    let (mut old, mut new, mut rounds) = (0, 0, 0);
    let mut public_is_a = false;
    let deadline = Instant::now() + Duration::from_secs(20);
    while rounds < 40 && Instant::now() < deadline {
        rounds += 1;
        // Ask for the version that is not published, and kill the build somewhere in its run:
        // half of the kills land in its last fifth, where the publish happens.
        let (title, current, other) = if public_is_a {
            ("Version B", &a, &b)
        } else {
            ("Version A", &b, &a)
        };
        site.write("site.toml", &format!("title = \"{title}\"\n"));
        let per_mille = if rng.below(2) == 0 {
            rng.below(1000)
        } else {
            800 + rng.below(300)
        };
        let delay = full.mul_f64(per_mille as f64 / 1000.0);
        let mut child = site
            .command(&["build", "--quiet"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL; a no-op when the build already finished
        child.wait().unwrap();
        let now = site.tree("public");
        if now == *other {
            new += 1;
            public_is_a = !public_is_a;
        } else if now == *current {
            old += 1;
        } else {
            panic!(
                "seed {seed}, round {rounds}, killed after {delay:?}: public/ is neither the \
                 old nor the new site: {}",
                describe(&now, &a, &b)
            );
        }
        // What a killed build leaves is marked as steppe's (or still empty), so the next build
        // may remove it.
        for name in leftovers(&site) {
            assert!(
                site.exists(&format!("{name}/.steppe-output")) || site.files(&name).is_empty(),
                "seed {seed}: unmarked leftover {name}: {:?}",
                site.files(&name)
            );
        }
    }
    eprintln!(
        "seed {seed}: {rounds} builds killed (a full build takes {full:?}): {old} left the old \
         site, {new} the new one"
    );
    // The next build removes what killed builds left behind.
    site.build_ok();
    assert_eq!(leftovers(&site), Vec::<String>::new(), "seed {seed}");
}

/// Whether `unshare -m` works here (root, or a kernel allowing user namespaces).
fn mount_namespaces_work() -> bool {
    let works = Command::new("unshare")
        .args(["-m", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        eprintln!(
            "\n\n!!! SKIPPED: `unshare -m` is not available or not permitted here, so this \
             fault cannot be provoked. Run the tests as root (as CI does) to cover it. !!!\n\n"
        );
    }
    works
}

/// Runs `script` with `sh` in a mount namespace of its own, in the site folder, with `$STEPPE`
/// naming the binary. Mounts made by the script vanish with it.
fn in_mount_namespace(site: &Site, script: &str) {
    let status = Command::new("unshare")
        .args(["-m", "sh", "-c", script])
        .current_dir(site.path())
        .env("STEPPE", env!("CARGO_BIN_EXE_steppe"))
        .env("NO_COLOR", "1")
        .status()
        .unwrap();
    assert!(status.success(), "the namespace script failed: {status}");
}

/// Lists every file below `out/` with a hash of its bytes, into `<name>.txt`.
const LIST: &str = "(cd out && find . -type f -exec sha256sum {} + | sort)";

#[test]
fn a_full_disk_is_a_clear_error_and_keeps_the_old_site() {
    if !mount_namespaces_work() {
        return;
    }
    let site = Site::with_good_page();
    // More than the whole tmpfs can take, written into static/ only for the second build.
    std::fs::write(site.path().join("big.payload"), vec![b'x'; 3 << 20]).unwrap();
    in_mount_namespace(
        &site,
        &format!(
            "set -e
            mkdir out
            mount -t tmpfs -o size=2m tmpfs out
            \"$STEPPE\" build --quiet --output-dir out/public
            {LIST} > before.txt
            mkdir -p static && mv big.payload static/big.bin
            set +e
            \"$STEPPE\" build --output-dir out/public 2> stderr.txt
            echo $? > code.txt
            {LIST} > after.txt
            ls -A out > entries.txt"
        ),
    );
    assert_eq!(site.read("code.txt"), "1\n");
    let before = site.read("before.txt");
    assert!(before.contains("./public/good/index.html"), "{before}");
    assert_eq!(site.read("after.txt"), before, "the old site changed");
    assert_eq!(
        site.read("entries.txt"),
        "public\n",
        "a staging folder is left"
    );
    // Parallel writes race for the last free bytes: whichever fails first is reported.
    let stderr = site.read("stderr.txt");
    let (head, rest) = stderr.split_once(": No space left").unwrap_or(("", ""));
    assert!(
        head.starts_with("error: cannot write `out/public/"),
        "{stderr}"
    );
    assert_eq!(
        rest,
        " on device (os error 28)\n |\n = help: the disk is full; free some space and build again; the previous site is unchanged\n\nerror: build failed with 1 error; nothing was written\n"
    );
}

#[test]
fn a_read_only_output_file_system_is_a_clear_error_and_keeps_the_old_site() {
    if !mount_namespaces_work() {
        return;
    }
    let site = Site::with_good_page();
    site.build_ok();
    let run = site.run(&["build", "--quiet", "--output-dir", "out/public"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let old = site.tree("out");
    site.write("content/good.md", "---\ntitle: Good\n---\nChanged.\n");
    in_mount_namespace(
        &site,
        "set -e
        mount --bind out out
        mount -o remount,bind,ro out
        set +e
        \"$STEPPE\" build --output-dir out/public 2> stderr.txt
        echo $? > code.txt",
    );
    assert_eq!(site.read("code.txt"), "1\n");
    assert_eq!(
        site.read("stderr.txt"),
        "error: cannot create a staging folder beside `out/public`: Read-only file system (os error 30)\n |\n = help: steppe writes the new site next to `out/public` first; check that you may write to `out`\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert_eq!(site.tree("out"), old, "the old site changed");
}

/// `setpriv` arguments that take away root's power to ignore file modes, if that works here.
pub(crate) fn without_root_override() -> Option<[&'static str; 3]> {
    let wrapper = [
        "setpriv",
        "--bounding-set",
        "-dac_override,-dac_read_search",
    ];
    let works = Command::new(wrapper[0])
        .args(&wrapper[1..])
        .arg("true")
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        eprintln!(
            "\n\n!!! SKIPPED: `setpriv --bounding-set` is not available here, so file \
             permissions cannot be enforced for a root process. !!!\n\n"
        );
    }
    works.then_some(wrapper)
}

#[cfg(unix)]
#[test]
fn an_unwritable_output_parent_is_a_clear_error_and_keeps_the_old_site() {
    use std::os::unix::fs::PermissionsExt;
    let Some(wrapper) = without_root_override() else {
        return;
    };
    let site = Site::with_good_page();
    let run = site.run(&["build", "--quiet", "--output-dir", "out/public"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let old = site.tree("out");
    site.write("content/good.md", "---\ntitle: Good\n---\nChanged.\n");
    let out = site.path().join("out");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).unwrap();
    let run = site.run_wrapped(&wrapper, &["build", "--output-dir", "out/public"]);
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        run.stderr,
        "error: cannot create a staging folder beside `out/public`: Permission denied (os error 13)\n |\n = help: steppe writes the new site next to `out/public` first; check that you may write to `out`\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert_eq!(run.code, 1);
    assert_eq!(site.tree("out"), old, "the old site changed");
}

/// Content and static files deleted while builds run: every build either succeeds or fails
/// with a clear message naming a file, never panics, and public/ is always a whole site.
#[test]
fn files_deleted_during_builds_are_clear_errors() {
    let (mut rng, seed) = Rng::from_env("files_deleted_during_builds_are_clear_errors");
    let site = sizeable_site(60);
    let restore = |site: &Site| {
        write_pages(site, 60);
        for i in 0..60 {
            site.write(&format!("static/s{i}.txt"), "static");
            site.write(&format!("content/p{i}-asset.txt"), "asset");
        }
    };
    restore(&site);
    site.build_ok();
    let deadline = Instant::now() + Duration::from_secs(8);
    let mut rounds = 0;
    let mut failures = 0;
    while Instant::now() < deadline && rounds < 6 {
        rounds += 1;
        let mut victims: Vec<String> = site
            .files("content")
            .into_iter()
            .map(|f| format!("content/{f}"))
            .chain(
                site.files("static")
                    .into_iter()
                    .map(|f| format!("static/{f}")),
            )
            .filter(|_| rng.below(4) == 0)
            .collect();
        let child = site
            .command(&["build"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        while let Some(victim) = victims.pop() {
            let _ = std::fs::remove_file(site.path().join(&victim));
            std::thread::sleep(Duration::from_micros(rng.below(3000) as u64));
        }
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let code = output.status.code();
        assert!(
            code == Some(0) || code == Some(1),
            "seed {seed}: exit {code:?}\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "seed {seed}:\n{stderr}");
        if code == Some(1) {
            failures += 1;
            // Every error names a file and says what happened to it.
            for line in stderr.lines().filter(|l| l.starts_with("error: ")) {
                assert!(
                    [
                        "error: cannot read `content/",
                        "error: cannot read `static/",
                        "error: cannot copy `",
                        "error: broken link",
                        "error: broken wikilink",
                        "error: broken anchor",
                        "error: build failed with ",
                    ]
                    .iter()
                    .any(|p| line.starts_with(p)),
                    "seed {seed}: unexpected error {line}\n{stderr}"
                );
            }
        }
        assert!(site.exists("public/.steppe-output"), "seed {seed}");
        assert!(site.exists("public/index.html"), "seed {seed}");
        assert_eq!(leftovers(&site), Vec::<String>::new(), "seed {seed}");
        restore(&site);
    }
    eprintln!("seed {seed}: {rounds} builds with deletions, {failures} failed cleanly");
}
