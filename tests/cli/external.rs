//! `steppe check --external` against a local HTTP server that counts the requests it gets: failures
//! reported at every place, retries, redirects, exclusions, the cache, and `build` staying offline.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use crate::support::Site;

/// A tiny HTTP/1.1 server on 127.0.0.1, one thread per connection, closing after each answer.
struct Server {
    port: u16,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(Mutex::new(HashMap::new()));
        let counter = Arc::clone(&hits);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let counter = Arc::clone(&counter);
                thread::spawn(move || answer(stream, &counter));
            }
        });
        Server { port, hits }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    fn total(&self) -> usize {
        self.hits.lock().unwrap().values().sum()
    }
}

fn answer(stream: TcpStream, hits: &Mutex<HashMap<String, usize>>) {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header == "\r\n" || header == "\n" => break,
            Ok(_) => {}
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .to_string();
    let count = {
        let mut hits = hits.lock().unwrap();
        let count = hits.entry(path.clone()).or_insert(0);
        *count += 1;
        *count
    };
    let (status, extra) = match path.as_str() {
        "/ok" => ("200 OK", ""),
        "/redirect" => ("301 Moved Permanently", "Location: /ok\r\n"),
        "/flaky" if count == 1 => ("500 Internal Server Error", ""),
        "/flaky" => ("200 OK", ""),
        "/slow" => {
            thread::sleep(Duration::from_secs(3));
            ("200 OK", "")
        }
        _ => ("404 Not Found", ""),
    };
    let body = "hello";
    let response = format!(
        "HTTP/1.1 {status}\r\n{extra}Content-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = reader.into_inner();
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}

/// The message an author sees for `url` on line `line` (1-9) of `path`, whose text is `text`.
fn diagnostic(path: &str, line: usize, text: &str, url: &str, reason: &str, hint: &str) -> String {
    let column = text.find(url).expect("url on the line") + 1;
    format!(
        "error: external link failed: {url} {reason}\n --> {path}:{line}:{column}\n  |\n{line} | {text}\n  | {}{}\n  |\n  = help: {hint}\n\n",
        " ".repeat(column - 1),
        "^".repeat(url.len()),
    )
}

const SITE_TOML: &str = "title = \"T\"\n\n[links]\nexternal_timeout = 1\nexternal_retries = 1\nexternal_exclude = [\"/excluded$\"]\n";
const GONE: &str = "the page is gone: link to where it moved, or remove the link";
const SLOW: &str = "the server did not answer in time; raise `external_timeout` under [links] in site.toml, or skip the URL with `external_exclude`";
const REFUSED: &str = "nothing answers at that host and port; check the address";

#[test]
fn external_links_are_checked_only_when_asked_and_cached() {
    let server = Server::start();
    // A port nothing listens on: bound, then released.
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let refused = format!("http://127.0.0.1:{closed}/");
    let (ok, missing, slow, flaky, redirect, excluded) = (
        server.url("/ok"),
        server.url("/missing"),
        server.url("/slow"),
        server.url("/flaky"),
        server.url("/redirect"),
        server.url("/excluded"),
    );
    let a4 = format!("See [ok]({ok}) and [gone]({missing}).");
    let a6 = format!("A [slow one]({slow}), a [flaky one]({flaky})");
    let a7 = format!("and a [moved one]({redirect}), [skipped]({excluded}).");
    let b4 = format!("Also gone: <{missing}>, and [ok]({ok}) again.");
    let b6 = format!("![down]({refused})");
    let site = Site::new(SITE_TOML);
    site.write(
        "content/a.md",
        &format!("---\ntitle: A\n---\n{a4}\n\n{a6}\n{a7}\n"),
    );
    site.write(
        "content/b.md",
        &format!("---\ntitle: B\n---\n{b4}\n\n{b6}\n"),
    );

    // `build` and a plain `check` leave external links alone.
    site.build_ok();
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(server.total(), 0);

    let expected = [
        diagnostic(
            "content/a.md",
            4,
            &a4,
            &missing,
            "returned 404 Not Found",
            GONE,
        ),
        diagnostic("content/a.md", 6, &a6, &slow, "timed out after 1 s", SLOW),
        diagnostic(
            "content/b.md",
            4,
            &b4,
            &missing,
            "returned 404 Not Found",
            GONE,
        ),
        diagnostic(
            "content/b.md",
            6,
            &b6,
            &refused,
            "refused the connection",
            REFUSED,
        ),
    ]
    .concat()
        + "error: build failed with 4 errors; nothing was written\n";

    let run = site.run(&["check", "--external", "--allow-private"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, expected);
    // Fetched once though used twice; the timeout and the 500 were retried once.
    assert_eq!(server.hits("/missing"), 1);
    assert_eq!(server.hits("/slow"), 2);
    assert_eq!(server.hits("/flaky"), 2);
    assert_eq!(server.hits("/redirect"), 1);
    assert_eq!(server.hits("/excluded"), 0);
    let ok_hits = server.hits("/ok");
    assert!(ok_hits >= 1);
    let cache = site.read(".steppe-cache/external-links.json");
    for url in [&ok, &flaky, &redirect] {
        assert!(cache.contains(&format!("\"{url}\"")), "{cache}");
    }
    for url in [&missing, &slow, &refused] {
        assert!(!cache.contains(&format!("\"{url}\"")), "{cache}");
    }

    // Again: successes come from the cache, failures are fetched again.
    let run = site.run(&["check", "--external", "--allow-private"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, expected);
    assert_eq!(server.hits("/ok"), ok_hits);
    assert_eq!(server.hits("/flaky"), 2);
    assert_eq!(server.hits("/redirect"), 1);
    assert_eq!(server.hits("/missing"), 2);

    // Once the broken links are fixed, a re-run is answered from the cache alone.
    site.write(
        "content/a.md",
        &format!("---\ntitle: A\n---\n[ok]({ok}) [flaky]({flaky}) [moved]({redirect})\n"),
    );
    site.write("content/b.md", &format!("---\ntitle: B\n---\n<{ok}>\n"));
    let before = server.total();
    let run = site.run(&["check", "--external", "--allow-private"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert!(
        run.stdout
            .starts_with("checked 2 pages, 1 section, 3 external links (3 from cache) in "),
        "{}",
        run.stdout
    );
    assert_eq!(server.total(), before);

    site.build_ok();
    assert_eq!(server.total(), before);
}

#[test]
fn external_failures_follow_the_broken_link_level() {
    let server = Server::start();
    let missing = server.url("/missing");
    let site = Site::new("title = \"T\"\n[links]\nbroken = \"warn\"\nexternal_cache_hours = 0\n");
    site.write(
        "content/a.md",
        &format!("---\ntitle: A\n---\n[gone]({missing})\n"),
    );
    for _ in 0..2 {
        let run = site.run(&["check", "--external", "--allow-private"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr.starts_with(&format!(
                "warning: external link failed: {missing} returned 404 Not Found\n --> content/a.md:4:8\n"
            )),
            "{}",
            run.stderr
        );
    }
    assert_eq!(server.hits("/missing"), 2);
    assert!(!site.exists(".steppe-cache"));
}

#[test]
fn invalid_exclude_pattern_is_a_config_error() {
    let site = Site::new("title = \"T\"\n[links]\nexternal_exclude = [\"(unclosed\"]\n");
    let run = site.run(&["check", "--external", "--allow-private"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "error: `links.external_exclude` holds an invalid regular expression: unclosed group\n --> site.toml:3:21\n"
        ),
        "{}",
        run.stderr
    );
}

/// A site's links must not make the checker probe the machine it runs on: links to loopback and
/// private addresses are skipped, and the summary says so, unless `--allow-private` is given.
#[test]
fn links_to_private_addresses_are_skipped_unless_allowed() {
    let server = Server::start();
    let own = server.url("/admin");
    let named = format!("http://localhost:{}/admin", server.port);
    let site = Site::new(
        "title = \"T\"\n[links]\nexternal_cache_hours = 0\nexternal_timeout = 2\nexternal_retries = 0\n",
    );
    site.write(
        "content/a.md",
        &format!(
            "---\ntitle: A\n---\n[admin]({own}) [also]({named}) \
             [metadata](http://169.254.169.254/latest/meta-data/)\n"
        ),
    );
    let run = site.run(&["check", "--external"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(
        run.stdout.starts_with(
            "checked 1 page, 1 section, 3 external links (0 from cache), 3 to private addresses \
             skipped (--allow-private checks them) in "
        ),
        "{}",
        run.stdout
    );
    assert_eq!(server.total(), 0);

    let run = site.run(&["check", "--external", "--allow-private"]);
    assert_eq!(run.code, 1, "the metadata address does not answer here");
    assert_eq!(server.hits("/admin"), 2);
}
