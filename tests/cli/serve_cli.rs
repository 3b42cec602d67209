//! `steppe serve` as an author runs it: the served page follows each save, a broken file keeps
//! the last good page, and the fixed file is served again.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::Site;

/// The server process, killed when the test ends however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
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
    let child = Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(["serve", "--port", "0"])
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let mut lines = BufReader::new(server.0.stdout.take().unwrap()).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("serving at ")
                .and_then(|rest| rest.split(' ').next())
                .map(str::to_string)
        })
        .expect("a `serving at` line");
    // Keep reading, as a terminal would, so the server's output never blocks.
    std::thread::spawn(move || lines.for_each(drop));
    let address = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();

    let page = get(&address, "/hello/");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("First version."), "{page}");
    assert!(page.contains("/__steppe/livereload.js"), "{page}");
    assert!(
        page.contains(&format!("href=\"{url}")) || page.contains("href=\"/"),
        "{page}"
    );

    site.write(
        "content/hello.md",
        "---\ntitle: Hello\n---\nSecond version.\n",
    );
    assert!(wait_for(&address, "/hello/", "Second version.").contains("Second version."));

    // A broken save: the last good page stays up.
    site.write("content/hello.md", "---\ntitle: [Hello\n---\nBroken.\n");
    std::thread::sleep(Duration::from_millis(600));
    let page = get(&address, "/hello/");
    assert!(page.contains("Second version."), "{page}");

    site.write(
        "content/hello.md",
        "---\ntitle: Hello\n---\nThird version.\n",
    );
    assert!(wait_for(&address, "/hello/", "Third version.").contains("Third version."));

    // A new page appears without a restart.
    site.write("content/new.md", "---\ntitle: New\n---\nBrand new.\n");
    assert!(wait_for(&address, "/new/", "Brand new.").contains("Brand new."));
}
