//! `steppe serve` as an author runs it: the served page follows each save, a broken file is
//! reported in the terminal and keeps the last good page, and the fixed file is served again.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::support::Site;

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
    let server = site.serve();
    let (url, address) = (server.url.as_str(), server.address());
    let page = get(address, "/hello/");
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
    assert!(wait_for(address, "/hello/", "Second version.").contains("Second version."));

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
    let page = get(address, "/hello/");
    assert!(page.contains("Second version."), "{page}");

    site.write(
        "content/hello.md",
        "---\ntitle: Hello\n---\nThird version.\n",
    );
    assert!(wait_for(address, "/hello/", "Third version.").contains("Third version."));

    // A new page appears without a restart.
    site.write("content/new.md", "---\ntitle: New\n---\nBrand new.\n");
    assert!(wait_for(address, "/new/", "Brand new.").contains("Brand new."));
}
