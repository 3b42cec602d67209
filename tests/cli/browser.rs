//! Browser tests: a fixture site is built, served over HTTP by a tiny static server in this
//! process (or by `steppe serve` itself), and driven in real headless Chromium by the Node
//! scripts in `tests/browser/` (playwright-core). They need `node`, `node_modules/` (`npm ci`) and Chromium
//! (`apt-get install chromium`); `bash scripts/test` installs them. A missing tool is a failure,
//! never a skip.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::Duration;

use insta::assert_snapshot;

use crate::support::{REPO, Site, elements, percent_decode};

const SETUP: &str = "run `bash scripts/test` (it installs them), or install the tools by hand: `npm ci` in the repository \
                     and `apt-get install chromium`";

/// Content type by file name; Pagefind's index files are fetched with `fetch()` as bytes.
fn content_type(path: &Path) -> &'static str {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    match name.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "txt" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Serves `root` at `http://127.0.0.1:<port><prefix>` (prefix like `/docs/`) until the test
/// process ends. Directories serve their `index.html`; anything else missing is the site's 404.
fn serve(root: PathBuf, prefix: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            thread::spawn(move || {
                let _ = respond(stream, &root, prefix);
            });
        }
    });
    format!("http://127.0.0.1:{port}{prefix}")
}

fn respond(mut stream: TcpStream, root: &Path, prefix: &str) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let file = path
        .strip_prefix(prefix)
        .and_then(|rest| safe_path(root, &percent_decode(rest)))
        .map(|p| if p.is_dir() { p.join("index.html") } else { p })
        .filter(|p| p.is_file());
    let (status, file) = match file {
        Some(file) => ("200 OK", file),
        None => ("404 Not Found", root.join("404.html")),
    };
    let body = fs::read(&file).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        content_type(&file),
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// `rest` below `root`, or None if it would leave it.
fn safe_path(root: &Path, rest: &str) -> Option<PathBuf> {
    let relative = Path::new(rest);
    relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| root.join(relative))
}

/// Fails with setup instructions unless node, the npm packages and Chromium are there.
fn require_tools() {
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "browser tests need Node.js (`node` on PATH): {SETUP}"
    );
    assert!(
        Path::new(REPO)
            .join("node_modules/playwright-core/package.json")
            .is_file(),
        "browser tests need node_modules/playwright-core: {SETUP}"
    );
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).is_file(),
        "browser tests need Chromium at {chromium} (or set CHROMIUM): {SETUP}"
    );
}

/// Runs `node tests/browser/<script> <base-url> <args>…` and asserts it passed.
fn run_script(script: &str, base_url: &str, args: &[&str]) {
    let output = Command::new("node")
        .arg(Path::new(REPO).join("tests/browser").join(script))
        .arg(base_url)
        .args(args)
        .current_dir(REPO)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        output.status
    );
    // Shown with `cargo test -- --nocapture`: Lighthouse's scores, pages checked.
    print!("{stdout}");
}

#[test]
fn server_maps_paths_safely() {
    let root = Path::new("/srv/site");
    assert_eq!(
        safe_path(root, "essays/x/"),
        Some(PathBuf::from("/srv/site/essays/x/"))
    );
    assert_eq!(safe_path(root, "../etc/passwd"), None);
    assert_eq!(safe_path(root, "/etc/passwd"), None);
    assert_eq!(percent_decode("caf%C3%A9%2"), "café%2");
    assert_eq!(
        content_type(Path::new("pagefind/index/en_1.pf_index")),
        "application/octet-stream"
    );
    assert_eq!(
        content_type(Path::new("pagefind/pagefind.js")),
        "text/javascript; charset=utf-8"
    );
}

#[test]
fn search_box_finds_pages_by_body_words() {
    require_tools();
    let site = Site::fixture("search");
    site.build_ok();
    // The fixture's base_url has the sub-path /docs/: serve it there, as it would be deployed.
    let base = serve(site.path().join("public"), "/docs/");
    run_script("search.mjs", &base, &[]);
}

/// The flagship site built for a local address and served there, from `dir/public`.
fn serve_flagship(dir: &Path) -> String {
    // Bound first: the build needs the address for its canonical and Open Graph URLs.
    let base = serve(dir.join("public"), "/");
    crate::kinds::build_flagship(dir, "steppe", Some(&base));
    base
}

#[test]
fn reader_ticks_checklists_toggles_dark_mode_and_follows_backlinks() {
    require_tools();
    let dir = tempfile::tempdir().unwrap();
    let base = serve_flagship(dir.path());
    run_script("reader.mjs", &base, &[]);
}

#[test]
fn previews_explorer_and_keyboard_search_work_by_mouse_keyboard_and_touch() {
    require_tools();
    let dir = tempfile::tempdir().unwrap();
    let base = serve_flagship(dir.path());
    run_script("previews.mjs", &base, &[]);
}

#[test]
fn every_flagship_page_is_clean_for_axe_and_the_console_at_320px() {
    require_tools();
    let dir = tempfile::tempdir().unwrap();
    let base = serve_flagship(dir.path());
    let public = dir.path().join("public");
    run_script("pages.mjs", &base, &[public.to_str().unwrap()]);
}

/// Block embeds, section embeds, video, audio and PDF players, on a vault of notes.
#[test]
fn every_page_with_embeds_is_clean_for_axe_and_the_console_at_320px() {
    require_tools();
    let site = Site::fixture("embeds");
    site.build_ok();
    let public = site.path().join("public");
    let base = serve(public.clone(), "/");
    run_script("pages.mjs", &base, &[public.to_str().unwrap(), "15"]);
}

#[test]
fn lighthouse_scores_at_least_95_on_representative_pages() {
    require_tools();
    let dir = tempfile::tempdir().unwrap();
    let base = serve_flagship(dir.path());
    run_script(
        "lighthouse.mjs",
        &base,
        &[
            "",
            "essays/micro-beats-solo/",
            "case-studies/mongol-horse-archers/",
            "checklists/adaptability/",
        ],
    );
}

#[test]
fn serve_reloads_tabs_as_the_author_edits() {
    require_tools();
    let site = Site::fixture("serve");
    let server = site.serve();
    run_script(
        "serve.mjs",
        &server.url,
        &[site.path().to_str().expect("a UTF-8 temporary path")],
    );
    // The broken front matter the script saved was also reported in the terminal.
    let stderr = server.stderr();
    assert!(
        stderr.contains("content/essays/long.md:3:7"),
        "the terminal did not show the error's place:\n{stderr}"
    );
}

#[test]
fn mermaid_diagrams_draw_show_their_errors_and_load_only_where_needed() {
    require_tools();
    let site = Site::fixture("diagrams");
    let run = site.build_ok();
    // Diagrams, even the broken one, are the browser's business: no unknown-language warning.
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    // Without JavaScript, the reader gets the source as text.
    let page = site.read("public/notes/caravan-routes/index.html");
    assert_snapshot!(elements(&page, "<pre class=\"diagram\"").join("\n"), @r#"
    <pre class="diagram" data-lang="mermaid"><code>flowchart LR
        A[Kashgar] --&gt; B[Samarkand]
        B --&gt; C{Bukhara or Merv?}
        C --&gt;|north| D[Bukhara]
        C --&gt;|south| E[Merv &amp; Nishapur]
    </code></pre>
    <pre class="diagram" data-lang="mermaid"><code>flowchart LR
        A[Karakorum] --&gt; --&gt; B(
    </code></pre>
    <pre class="diagram" data-lang="mermaid"><code>sequenceDiagram
        Khan-&gt;&gt;Scout: Ride to the river
        Scout--&gt;&gt;Khan: The ford is open
    </code></pre>
    "#);
    let base = serve(site.path().join("public"), "/");
    run_script("mermaid.mjs", &base, &[]);
}

/// The default theme's shortcodes as a reader meets them: the video facades request nothing
/// from YouTube or Vimeo before a click (or Enter), then play in place; axe-clean in light and
/// dark.
#[test]
fn shortcodes_are_accessible_and_videos_load_nothing_before_a_click() {
    require_tools();
    let site = Site::fixture("shortcodes");
    site.build_ok();
    let base = serve(site.path().join("public"), "/");
    run_script("shortcodes.mjs", &base, &[]);
}

/// Every fixture site, the hostile one included (Markdown written to run script: heading
/// attributes, MathML, `javascript:` links), built for a local address and opened page by page:
/// no script runs that the theme did not bring, no dialog opens, no handler or script URL is in
/// the DOM (`scripts.mjs`).
#[test]
fn no_script_the_author_did_not_write_runs_on_any_fixture_page() {
    require_tools();
    let themes = Path::new(REPO).join("themes");
    let steppe = themes.join("steppe");
    let ledger = themes.join("ledger");
    let mut fixtures: Vec<String> = fs::read_dir(Path::new(REPO).join("tests/fixtures"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    fixtures.sort();
    assert!(fixtures.contains(&"hostile".to_string()), "{fixtures:?}");
    for name in &fixtures {
        let site = Site::fixture(name);
        let public = site.path().join("public");
        // Bound first: the build writes the served address into its URLs.
        let base = serve(public.clone(), "/");
        let run = site.run(&["build", "--base-url", &base]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        run_script(
            "scripts.mjs",
            &base,
            &[
                public.to_str().unwrap(),
                steppe.to_str().unwrap(),
                ledger.to_str().unwrap(),
            ],
        );
    }
}

/// The check above can fail: raw HTML with a handler, which the author may write, is script the
/// theme did not bring, and `scripts.mjs` reports it (and the dialog it opens).
#[test]
fn the_script_check_sees_a_handler_that_runs() {
    require_tools();
    let site = Site::fixture("hostile");
    site.write(
        "content/raw.md",
        "---\ntitle: Raw\n---\n<img src=\"missing.png\" alt=\"\" onerror=\"alert('raw')\">\n",
    );
    let public = site.path().join("public");
    let base = serve(public.clone(), "/");
    assert_eq!(site.run(&["build", "--base-url", &base]).code, 0);
    let steppe = Path::new(REPO).join("themes/steppe");
    let output = Command::new("node")
        .arg(Path::new(REPO).join("tests/browser/scripts.mjs"))
        .args([&base, public.to_str().unwrap(), steppe.to_str().unwrap()])
        .current_dir(REPO)
        .output()
        .expect("run node");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("raw/: script \"alert('raw')\" at ")
            && stderr.contains("raw/: a dialog opened: alert(\"raw\")")
            && stderr.contains("raw/: script in the page: <img onerror=\"alert('raw')\">"),
        "{stderr}"
    );
}
