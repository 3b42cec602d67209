//! Reading outside the site: a cloned theme or a contributed note is untrusted, so nothing it
//! links to outside the site folder (and `content_dir`) is read or published, and only regular
//! files are read or copied. Each case plants the attack in a site that built before, and
//! checks the message, that the published site is still the old one, and that the secret is
//! in no file of it. Listed in the table of `catalogue.rs` (`u`).

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use insta::assert_snapshot;

use crate::support::{Site, prose};

const OUTSIDE_HINT: &str = " = help: steppe reads only files inside the site folder and content_dir; copy what you need into the site, or remove the link\n\n";

/// A file outside the site standing for a secret (`~/.ssh/id_rsa`), in a folder of its own.
struct Secret {
    dir: tempfile::TempDir,
}

const SECRET_TEXT: &str = "-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjE";

impl Secret {
    fn new() -> Secret {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("id_rsa"), SECRET_TEXT).unwrap();
        std::fs::create_dir(dir.path().join("docs")).unwrap();
        std::fs::write(dir.path().join("docs/notes.txt"), SECRET_TEXT).unwrap();
        Secret { dir }
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }
}

/// A symbolic link at `link` (relative to the site) to `target`.
fn link(site: &Site, link: &str, target: &Path) {
    let path = site.path().join(link);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    symlink(target, path).unwrap();
}

/// Runs `steppe build` with the environment a CI job has; kills it if it hangs.
fn build(site: &Site, args: &[&str]) -> crate::support::Run {
    let mut command = site.command(&[&["build"], args].concat());
    let mut child = command
        .env("DEPLOY_TOKEN", "ghp_ci_secret_token")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the build hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    crate::support::Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Asserts that no published file holds the secret or the CI token.
fn nothing_leaked(site: &Site) {
    for (path, bytes) in site.tree("public") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(SECRET_TEXT),
            "the secret is in public/{path}"
        );
        assert!(
            !text.contains("ghp_ci_secret_token"),
            "the environment is in public/{path}"
        );
    }
}

/// Builds a good site, lets `plant` put the attack in, builds again: the build fails with
/// exactly `expected`, the old site stays, nothing leaked.
fn refused(plant: impl FnOnce(&Site), expected: &str) {
    let site = Site::with_good_page();
    site.build_ok();
    let before = site.tree("public");
    plant(&site);
    let run = build(&site, &[]);
    assert_eq!(run.stderr, expected);
    assert_eq!(run.code, 1);
    assert!(site.tree("public") == before, "public/ changed");
    nothing_leaked(&site);
}

#[test]
fn theme_static_link_to_the_environment() {
    refused(
        |site| {
            link(
                site,
                "themes/steppe/static/env.txt",
                Path::new("/proc/self/environ"),
            );
            link(site, "static/pagemap", Path::new("/proc/self/pagemap"));
        },
        &format!(
            "error: symbolic link `static/pagemap` points outside the site, to `/proc/self/pagemap`\n--> static/pagemap\n{OUTSIDE_HINT}error: symbolic link `themes/steppe/static/env.txt` points outside the site, to `/proc/self/environ`\n--> themes/steppe/static/env.txt\n{OUTSIDE_HINT}error: build failed with 2 errors; nothing was written\n"
        ),
    );
}

#[test]
fn static_folder_link_outside() {
    let secret = Secret::new();
    let docs = secret.path("docs");
    refused(
        |site| link(site, "static/docs", &docs),
        &format!(
            "error: symbolic link `static/docs` points outside the site, to `{}`\n--> static/docs\n{OUTSIDE_HINT}error: build failed with 1 error; nothing was written\n",
            docs.display()
        ),
    );
}

#[test]
fn content_link_to_a_private_key() {
    let secret = Secret::new();
    let key = secret.path("id_rsa");
    refused(
        |site| link(site, "content/notes/leak.md", &key),
        &format!(
            "error: symbolic link `content/notes/leak.md` points outside the site, to `{}`\n--> content/notes/leak.md\n{OUTSIDE_HINT}error: build failed with 1 error; nothing was written\n",
            key.display()
        ),
    );
}

#[test]
fn template_link_outside() {
    let secret = Secret::new();
    let key = secret.path("id_rsa");
    refused(
        |site| link(site, "templates/page.html", &key),
        &format!(
            "error: symbolic link `templates/page.html` points outside the site, to `{}`\n--> templates/page.html\n{OUTSIDE_HINT}error: build failed with 1 error; nothing was written\n",
            key.display()
        ),
    );
}

/// A theme folder that is itself a link out (a theme "installed" by linking it).
#[test]
fn theme_folder_link_outside() {
    let secret = Secret::new();
    std::fs::create_dir_all(secret.path("theme/static")).unwrap();
    std::fs::write(secret.path("theme/static/key.txt"), SECRET_TEXT).unwrap();
    let theme = secret.path("theme");
    refused(
        |site| {
            std::fs::remove_dir_all(site.path().join("themes/steppe")).unwrap();
            link(site, "themes/steppe", &theme);
        },
        &format!(
            "error: symbolic link `themes/steppe` points outside the site, to `{}`\n--> themes/steppe\n{OUTSIDE_HINT}error: build failed with 1 error; nothing was written\n",
            theme.display()
        ),
    );
}

/// `content/` itself a link out: only a `content_dir` named in site.toml may lie elsewhere.
#[test]
fn content_folder_link_outside() {
    let secret = Secret::new();
    std::fs::write(secret.path("docs/page.md"), SECRET_TEXT).unwrap();
    let docs = secret.path("docs");
    refused(
        |site| {
            std::fs::remove_dir_all(site.path().join("content")).unwrap();
            link(site, "content", &docs);
        },
        &format!(
            "error: symbolic link `content/` points outside the site, to `{}`\n--> content/\n{OUTSIDE_HINT}error: build failed with 1 error; nothing was written\n",
            docs.display()
        ),
    );
}

#[test]
fn site_toml_link_outside() {
    let secret = Secret::new();
    let key = secret.path("id_rsa");
    refused(
        |site| {
            std::fs::remove_file(site.path().join("site.toml")).unwrap();
            link(site, "site.toml", &key);
        },
        &format!(
            "error: symbolic link `site.toml` points outside the site, to `{}`\n--> site.toml\n{OUTSIDE_HINT}error: build failed with 1 error; nothing was written\n",
            key.display()
        ),
    );
}

/// Links that stay inside the site are followed, whether relative or absolute, to files or
/// folders.
#[test]
fn links_inside_the_site_are_followed() {
    let site = Site::with_good_page();
    site.write(
        "shared/Über uns.md",
        "---\ntitle: Über uns\n---\nShared text.\n",
    );
    site.write("shared/folder/草原.md", "---\ntitle: 草原\n---\nSteppe.\n");
    site.write("assets/logo.svg", "<svg/>");
    link(
        &site,
        "content/about.md",
        Path::new("../shared/Über uns.md"),
    );
    link(&site, "content/more", &site.path().join("shared/folder"));
    link(&site, "static/logo.svg", Path::new("../assets/logo.svg"));
    let run = build(&site, &[]);
    assert_eq!((run.code, &*run.stderr), (0, ""));
    assert_snapshot!(prose(&site.read("public/about/index.html")), @"<p>Shared text.</p>");
    assert_snapshot!(prose(&site.read("public/more/cao-yuan/index.html")), @"<p>Steppe.</p>");
    assert_eq!(site.read("public/logo.svg"), "<svg/>");
}

/// A FIFO and a socket in the site are left out with a warning; the build does not wait for
/// a writer on the FIFO.
#[test]
fn fifos_and_sockets_are_left_out_without_hanging() {
    let site = Site::with_good_page();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(site.path().join("static/feed.xml"))
        .status()
        .unwrap();
    assert!(made.success());
    let _socket =
        std::os::unix::net::UnixListener::bind(site.path().join("content/agent.md")).unwrap();
    let run = build(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: `content/agent.md` is a socket, not a regular file; it is left out\n--> content/agent.md\n = help: steppe reads and copies only regular files; remove it from the site folder\n\nwarning: `static/feed.xml` is a FIFO (named pipe), not a regular file; it is left out\n--> static/feed.xml\n = help: steppe reads and copies only regular files; remove it from the site folder\n\n"
    );
    assert!(!site.exists("public/feed.xml") && !site.exists("public/agent/index.html"));
}

/// With notes kept elsewhere, links may go between the site and the vault, but not beyond.
#[test]
fn content_dir_links_stay_in_the_site_and_the_vault() {
    let secret = Secret::new();
    let site = Site::empty();
    site.write("site/site.toml", "content_dir = \"../My Vault\"\n");
    site.write("My Vault/Note.md", "---\ntitle: Note\n---\nA note.\n");
    site.write("site/static/logo.svg", "<svg/>");
    site.write(
        "site/shared/Beside.md",
        "---\ntitle: Beside\n---\nFrom the site.\n",
    );
    // Into the site from the vault, and into the vault from the site: both fine.
    link(
        &site,
        "My Vault/Beside.md",
        &site.path().join("site/shared/Beside.md"),
    );
    link(
        &site,
        "site/static/note.md",
        &site.path().join("My Vault/Note.md"),
    );
    let run = site.run(&["--root", "site", "build"]);
    assert_eq!((run.code, &*run.stderr), (0, ""));
    assert_snapshot!(prose(&site.read("site/public/beside/index.html")), @"<p>From the site.</p>");
    assert_eq!(
        site.read("site/public/note.md"),
        "---\ntitle: Note\n---\nA note.\n"
    );

    let key = secret.path("id_rsa");
    link(&site, "My Vault/Clippings/key.md", &key);
    let run = site.run(&["--root", "site", "build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "error: symbolic link `../My Vault/Clippings/key.md` points outside the site, to `{}`\n--> ../My Vault/Clippings/key.md\n{OUTSIDE_HINT}error: build failed with 1 error; nothing was written\n",
            key.display()
        )
    );
}
