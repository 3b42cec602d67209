//! `steppe serve` as an author runs it: the served page follows each save, a broken file is
//! reported in the terminal and keeps the last good page, and the fixed file is served again.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use insta::assert_snapshot;

use crate::support::{Site, prose};

/// The whole response to `GET path`, head and body.
fn request(address: &str, path: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(address).unwrap();
    // A server that never answers fails the test instead of hanging it.
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    response
}

fn get(address: &str, path: &str) -> String {
    String::from_utf8_lossy(&request(address, path)).into_owned()
}

/// Polls `path` until its response contains `text` (rebuilds are asynchronous to the save).
fn wait_for(address: &str, path: &str, text: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let response = get(address, path);
        if response.contains(text) || Instant::now() > deadline {
            return response;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_follows_saves_and_survives_errors() {
    let site = Site::new("title = \"T\"\n");
    site.write(
        "content/hello.md",
        "---\ntitle: Hello\n---\nFirst version.\n",
    );
    let server = site.serve();
    let (url, address) = (server.url.as_str(), server.address());
    let page = get(address, "/hello/");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert_snapshot!(prose(&page), @"<p>First version.</p>");
    // The live-reload tag carries the build's generation, which the test does not know.
    assert!(page.contains("/__steppe/livereload.js"), "{page}");
    assert!(
        page.contains(&format!("href=\"{url}")) || page.contains("href=\"/"),
        "{page}"
    );

    site.write(
        "content/hello.md",
        "---\ntitle: Hello\n---\nSecond version.\n",
    );
    assert_snapshot!(prose(&wait_for(address, "/hello/", "Second version.")), @"<p>Second version.</p>");

    // A broken save: the terminal says where and what, and the last good page stays up.
    site.write("content/hello.md", "---\ntitle: [Hello\n---\nBroken.\n");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !server
        .stderr()
        .contains("still serving the last good build")
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    let terminal = server.stderr();
    assert!(
        terminal.contains("error: invalid YAML") && terminal.contains("--> content/hello.md:3:1"),
        "{terminal}"
    );
    assert_snapshot!(prose(&get(address, "/hello/")), @"<p>Second version.</p>");

    site.write(
        "content/hello.md",
        "---\ntitle: Hello\n---\nThird version.\n",
    );
    assert_snapshot!(prose(&wait_for(address, "/hello/", "Third version.")), @"<p>Third version.</p>");

    // A new page appears without a restart.
    site.write("content/new.md", "---\ntitle: New\n---\nBrand new.\n");
    assert_snapshot!(prose(&wait_for(address, "/new/", "Brand new.")), @"<p>Brand new.</p>");
}

#[test]
fn idle_sockets_past_the_cap_starve_neither_requests_nor_the_rebuild() {
    let site = Site::new("title = \"T\"\n");
    site.write(
        "content/hello.md",
        "---\ntitle: Hello\n---\nFirst version.\n",
    );
    // With 256 open files, serve holds at most 64 connections and 16 live-reload sockets.
    // Unlimited, the idle sockets took every file and the rebuild failed to open its files.
    let server = site.serve_with_open_files(256);
    let address = server.address();
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(address).unwrap())
        .collect();
    let page = get(address, "/hello/");
    assert!(page.starts_with("HTTP/1.1 200 OK\r\n"), "{page}");
    assert_snapshot!(prose(&page), @"<p>First version.</p>");

    site.write(
        "content/hello.md",
        "---\ntitle: Hello\n---\nSecond version.\n",
    );
    let page = wait_for(address, "/hello/", "Second version.");
    assert_snapshot!(prose(&page), @"<p>Second version.</p>");
    let terminal = server.stderr();
    assert!(!terminal.contains("error"), "{terminal}");
    drop(idle);
}

/// The served bytes of `path`, without the live-reload tag serve adds to HTML pages; `None`
/// for a status other than 200.
fn served(address: &str, path: &str) -> Option<Vec<u8>> {
    let mut response = request(address, path);
    let split = response.windows(4).position(|w| w == b"\r\n\r\n")?;
    if !response.starts_with(b"HTTP/1.1 200") {
        return None;
    }
    let mut body = response.split_off(split + 4);
    let tag = b"<script src=\"/__steppe/livereload.js\"";
    if let Some(start) = body.windows(tag.len()).position(|w| w == tag) {
        let end = start
            + body[start..]
                .windows(9)
                .position(|w| w == b"</script>")
                .unwrap()
            + 9;
        body.drain(start..end);
    }
    Some(body)
}

/// What serve must show: `steppe build` of the same files, with serve's base URL.
fn built(site: &Site, url: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let run = site.run(&[
        "build",
        "--base-url",
        url,
        "--output-dir",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    walkdir::WalkDir::new(out.path())
        .into_iter()
        .flatten()
        // The marker saying the folder is steppe's is not part of the site.
        .filter(|e| e.file_type().is_file() && e.file_name() != ".steppe-output")
        .map(|e| {
            let relative = e.path().strip_prefix(out.path()).unwrap();
            (
                relative.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Waits until every file a clean build writes is served with the same bytes, and every path
/// in `gone` is not served; panics with the first difference after 20 s.
fn converges(site: &Site, address: &str, url: &str, gone: &[&str], after: &str) {
    let expected = built(site, url);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let difference = expected
            .iter()
            .find(|(path, bytes)| served(address, &format!("/{path}")).as_ref() != Some(*bytes))
            .map(|(path, _)| format!("/{path} differs from the build"))
            .or_else(|| {
                gone.iter()
                    .find(|path| served(address, path).is_some())
                    .map(|path| format!("{path} is still served"))
            });
        match difference {
            None => return,
            Some(difference) if Instant::now() > deadline => {
                panic!("after {after}: {difference}")
            }
            Some(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// Every way editors and tools change files, each followed by a check that serve shows exactly
/// what a clean build of the same files writes: the watcher's events lead to a complete rebuild
/// whichever pattern they come in.
#[test]
fn serve_equals_a_build_after_every_way_of_saving() {
    let site = Site::new("title = \"T\"\n");
    let page = |title: &str, body: &str| format!("---\ntitle: {title}\ntags: [x]\n---\n{body}\n");
    site.write("content/essays/a.md", &page("A", "Alpha. See [[B]]."));
    site.write("content/essays/b.md", &page("B", "Beta."));
    site.write("content/notes/c.md", &page("C", "Gamma, about [[A]]."));
    let server = site.serve();
    let (url, address) = (server.url.clone(), server.address().to_string());
    let root = site.path();
    let check = |gone: &[&str], after: &str| converges(&site, &address, &url, gone, after);
    check(&[], "the start");

    site.write("content/essays/b.md", &page("B", "Beta, rewritten."));
    check(&[], "a plain save of a page's text");

    std::fs::write(
        root.join("content/essays/.a.md.tmp"),
        page("A", "Alpha 2. See [[B]]."),
    )
    .unwrap();
    std::fs::rename(
        root.join("content/essays/.a.md.tmp"),
        root.join("content/essays/a.md"),
    )
    .unwrap();
    check(&[], "an atomic rename save");

    site.write("content/essays/d.md", &page("D", "Delta links [[C]]."));
    check(&[], "a new page");

    std::fs::rename(
        root.join("content/essays/d.md"),
        root.join("content/notes/d2.md"),
    )
    .unwrap();
    check(&["/essays/d/"], "a page moved to another folder");

    std::fs::remove_file(root.join("content/notes/d2.md")).unwrap();
    check(&["/notes/d2/"], "a deleted page");

    std::fs::create_dir_all(root.join("content/archive")).unwrap();
    std::fs::rename(
        root.join("content/notes"),
        root.join("content/archive/notes"),
    )
    .unwrap();
    check(&["/notes/c/"], "a folder moved");

    std::fs::create_dir_all(root.join("content/fresh/deep")).unwrap();
    site.write("content/fresh/deep/e.md", &page("E", "Epsilon."));
    check(&[], "a new folder with a page");

    // A checkout: many files written at once, some new, some changed.
    for i in 0..30 {
        site.write(
            &format!("content/bulk/p{i}.md"),
            &page(&format!("P{i}"), "Bulk."),
        );
    }
    site.write("content/essays/b.md", &page("B", "Beta, checked out."));
    check(&[], "thirty files at once");

    std::fs::remove_dir_all(root.join("content/bulk")).unwrap();
    check(&["/bulk/p0/"], "a folder deleted");

    site.write("content/essays/.hidden.md", &page("H", "Hidden."));
    site.write("content/essays/figure.txt", "an asset");
    check(&["/essays/hidden/"], "a hidden file and an asset");

    site.write("site.toml", "title = \"Renamed site\"\n");
    check(&[], "a site.toml edit");

    copy_theme(root, "ledger");
    site.write(
        "site.toml",
        "title = \"Renamed site\"\ntheme = \"ledger\"\n",
    );
    check(&[], "a theme switch");
}

fn copy_theme(root: &std::path::Path, name: &str) {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("themes")
        .join(name);
    for entry in walkdir::WalkDir::new(&from).into_iter().flatten() {
        let target = root
            .join("themes")
            .join(name)
            .join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A folder of notes with no site.toml and no theme is served as `steppe build` writes it,
/// and follows its notes when site.toml appears and moves them to a vault elsewhere.
#[test]
fn serve_follows_notes_without_setup_and_in_a_vault_elsewhere() {
    let site = Site::empty();
    site.write(
        "content/Café ☕/Ögedei Khan.md",
        "# Ögedei\n\nSee [[遊牧]].\n",
    );
    site.write("content/草原/遊牧.md", "# Nomads\n\nFirst.\n");
    let server = site.serve();
    let (url, address) = (server.url.clone(), server.address().to_string());
    let check = |gone: &[&str], after: &str| converges(&site, &address, &url, gone, after);
    check(&[], "the start, without site.toml or theme");

    site.write("content/草原/遊牧.md", "# Nomads\n\nSecond.\n");
    check(&[], "a note saved");

    // The vault lives outside the site folder; site.toml appears and names it.
    let vault = tempfile::tempdir().unwrap();
    let note = vault.path().join("Ideas ✨/Caravan trade.md");
    std::fs::create_dir_all(note.parent().unwrap()).unwrap();
    std::fs::write(&note, "# Caravans\n\nOne.\n").unwrap();
    std::fs::create_dir_all(vault.path().join("Private")).unwrap();
    std::fs::write(vault.path().join("Private/diary.md"), "# Diary\n").unwrap();
    site.write(
        "site.toml",
        &format!(
            "title = \"Vault\"\ncontent_dir = {:?}\n\n[content]\nexclude = [\"Private/\"]\n",
            vault.path().display().to_string()
        ),
    );
    check(
        &["/cao-yuan/you-mu/", "/private/diary/"],
        "site.toml naming a vault",
    );

    std::fs::write(&note, "# Caravans\n\nTwo, from the vault.\n").unwrap();
    check(&[], "a note saved in the vault");

    std::fs::write(vault.path().join("Private/plans.md"), "# Plans\n").unwrap();
    std::fs::write(vault.path().join("Ideas ✨/New 🌱.md"), "# New\n").unwrap();
    check(
        &["/private/plans/"],
        "a new note and an excluded one in the vault",
    );
}
