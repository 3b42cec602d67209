//! `steppe serve`'s HTTP layer against real sockets: traversal, Host and Origin checks, raw and
//! malformed requests, script injection, redirects, content types, live-reload messages over the
//! WebSocket, requests racing rebuilds, and the connection limits.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use futures_util::{SinkExt, StreamExt};
use steppe::diagnostics::{Diagnostic, Location};
use steppe::files::Output;
use steppe::serve::{Limits, Message, SiteState, bind, router};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tower::ServiceExt;

const PAGE: &str = "<!doctype html><html><head><link rel=\"stylesheet\" href=\"/style.css\"></head>\
<body><p>page x</p></body></html>";
/// The script tag of a page served from the first publish.
const SCRIPT: &str = r#"<script src="/__steppe/livereload.js" data-generation="1" defer></script>"#;

fn site() -> Vec<Output> {
    vec![
        Output::bytes("index.html", "<html><body><p>home</p></body></html>"),
        Output::bytes("x/index.html", PAGE),
        Output::bytes(
            "404.html",
            "<html><body><p>custom not found</p></body></html>",
        ),
        Output::bytes("style.css", "body { color: red }"),
        Output::bytes("x", "a file named x"),
    ]
}

/// A server on a free port serving `outputs`.
async fn start(outputs: Vec<Output>) -> (Arc<SiteState>, SocketAddr) {
    let state = Arc::new(SiteState::new());
    state.publish(outputs, Vec::new());
    let bound = bind("127.0.0.1", 0).await.unwrap();
    let addr = bound.local_addr();
    tokio::spawn(bound.serve(state.clone()));
    (state, addr)
}

/// A server on a free port serving [`site`] within `limits`.
async fn start_limited(limits: Limits) -> (Arc<SiteState>, SocketAddr) {
    let state = Arc::new(SiteState::new());
    state.publish(site(), Vec::new());
    let bound = bind("127.0.0.1", 0).await.unwrap().with_limits(limits);
    let addr = bound.local_addr();
    tokio::spawn(bound.serve(state.clone()));
    (state, addr)
}

/// Reads until the server closes `stream`, for at most 20 seconds; what it sent.
async fn until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut bytes = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), async {
        // A reset is a close too.
        let _ = stream.read_to_end(&mut bytes).await;
    });
    read.await.expect("the server closes the connection");
    bytes
}

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Writes `request` as is and reads the reply until the server closes the connection.
async fn raw(addr: SocketAddr, request: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut bytes = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut bytes))
        .await
        .expect("the server answers and closes")
        .unwrap();
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&bytes)));
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    Reply {
        status,
        head,
        body: bytes[split + 4..].to_vec(),
    }
}

/// A well-formed GET of `target` (sent as is) with the right Host.
async fn get(addr: SocketAddr, target: &str) -> Reply {
    raw(
        addr,
        &format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn traversal_never_leaves_the_site() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP SECRET").unwrap();
    // An output folder on disk with a symlink pointing outside: the server never looks at it.
    let public = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        public.path().join("leak.txt"),
    )
    .unwrap();
    let (_, addr) = start(site()).await;
    for target in [
        "/../x",
        "/../../../../etc/passwd",
        "/%2e%2e/x",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/%252e%252e/x",
        "/..%2fx",
        "/..%2F..%2Fetc%2Fpasswd",
        "/..%252fx",
        "/..\\x",
        "/%5c..%5cx",
        "/x/%00",
        "/x%00.html",
        "//etc/passwd",
        "/leak.txt",
        "/__steppe/../x",
    ] {
        let reply = get(addr, target).await;
        assert_eq!(reply.status, 404, "{target}: {}", reply.head);
        assert!(reply.text().contains("custom not found"), "{target}");
        assert!(!reply.text().contains("TOP SECRET"), "{target}");
    }
    // Not percent-encoding at all, or not UTF-8: malformed.
    for target in ["/%zz", "/%", "/%c3%28"] {
        assert_eq!(get(addr, target).await.status, 400, "{target}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn absolute_form_is_served_by_path_and_host_still_checked() {
    let (_, addr) = start(site()).await;
    let reply = raw(
        addr,
        &format!("GET http://evil.com/x/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert!(reply.text().contains("page x"));

    let reply = raw(
        addr,
        "GET http://evil.com/x/ HTTP/1.1\r\nHost: evil.com\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(reply.status, 403);

    let reply = raw(
        addr,
        &format!("GET http://{addr}/../x HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
    .await;
    assert_eq!(reply.status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn host_must_name_the_served_address() {
    let (_, addr) = start(site()).await;
    let port = addr.port();
    for (host, status) in [
        (format!("127.0.0.1:{port}"), 200),
        (format!("localhost:{port}"), 200),
        ("evil.com".to_string(), 403),
        (format!("evil.com:{port}"), 403),
        (format!("127.0.0.1:{}", port.wrapping_add(1)), 403),
        ("127.0.0.1".to_string(), 403),
    ] {
        let reply = raw(
            addr,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
        .await;
        assert_eq!(reply.status, status, "Host: {host}");
    }
    let missing = raw(addr, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n").await;
    assert_eq!(missing.status, 400);
    let old = raw(addr, "GET / HTTP/1.0\r\n\r\n").await;
    assert_eq!(old.status, 400);
    let twice = raw(
        addr,
        &format!("GET / HTTP/1.1\r\nHost: {addr}\r\nHost: evil.com\r\nConnection: close\r\n\r\n"),
    )
    .await;
    assert_eq!(twice.status, 400);
    // The check covers the live-reload routes and unknown paths too.
    for target in ["/__steppe/livereload.js", "/__steppe/livereload", "/nope"] {
        let reply = raw(
            addr,
            &format!("GET {target} HTTP/1.1\r\nHost: evil.com\r\nConnection: close\r\n\r\n"),
        )
        .await;
        assert_eq!(reply.status, 403, "{target}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_requests_get_4xx_and_the_server_keeps_serving() {
    let (_, addr) = start(site()).await;
    for request in [
        "GARBAGE\r\n\r\n".to_string(),
        "GET\r\n\r\n".to_string(),
        "GET /\r\n\r\n".to_string(),
        "GET / HTTP/1.1 extra\r\n\r\n".to_string(),
        "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n".to_string(),
        "GET / HTTP/1.1\r\nNo colon here\r\n\r\n".to_string(),
        format!(
            "GET / HTTP/1.1\r\nHost: {addr}\r\nX: {}\r\n\r\n",
            "a".repeat(1 << 20)
        ),
        "\u{1}\u{2}\u{3}\r\n\r\n".to_string(),
    ] {
        let reply = raw(addr, &request).await;
        assert!(
            (400..500).contains(&reply.status),
            "{:?} got {}",
            &request[..request.len().min(40)],
            reply.status
        );
        assert_eq!(get(addr, "/").await.status, 200);
    }
    let post = raw(
        addr,
        &format!(
            "POST /x/ HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
    )
    .await;
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
}

#[tokio::test(flavor = "multi_thread")]
async fn html_gets_the_script_and_stored_bytes_stay_unchanged() {
    let (state, addr) = start(site()).await;
    let reply = get(addr, "/x/").await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(
        reply.text(),
        PAGE.replace("</body>", &format!("{SCRIPT}</body>"))
    );
    assert_eq!(state.snapshot().files["x/index.html"], PAGE);
    assert_eq!(get(addr, "/x/index.html").await.text(), reply.text());

    let css = get(addr, "/style.css").await;
    assert_eq!(css.text(), "body { color: red }");

    let script = get(addr, "/__steppe/livereload.js").await;
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.text().contains("/__steppe/livereload"));
    assert_eq!(get(addr, "/__steppe/other.js").await.status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_files_get_the_404_page() {
    let (_, addr) = start(site()).await;
    let reply = get(addr, "/no/such/page/").await;
    assert_eq!(reply.status, 404);
    assert!(reply.text().contains("custom not found"));
    assert!(reply.text().contains(
        r#"<script src="/__steppe/livereload.js" data-generation="1" data-not-found defer></script></body>"#
    ));

    let (_, bare) = start(vec![Output::bytes("index.html", "home")]).await;
    let reply = get(bare, "/nope").await;
    assert_eq!(reply.status, 404);
    assert!(reply.text().contains("404 Not Found"));
    assert!(reply.text().contains("/__steppe/livereload.js"));
}

#[tokio::test(flavor = "multi_thread")]
async fn folders_without_slash_redirect() {
    let (_, addr) = start(vec![
        Output::bytes("essays/x/index.html", "<p>x</p>"),
        Output::bytes("essays/index.html", "<p>essays</p>"),
    ])
    .await;
    let reply = get(addr, "/essays/x").await;
    assert_eq!(reply.status, 308);
    assert_eq!(reply.header("location"), Some("/essays/x/"));
    let reply = get(addr, "/essays?page=2").await;
    assert_eq!(reply.status, 308);
    assert_eq!(reply.header("location"), Some("/essays/?page=2"));
    assert_eq!(get(addr, "/essays/nope").await.status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn content_types_by_extension() {
    let files = [
        ("a.html", "text/html; charset=utf-8"),
        ("a.css", "text/css; charset=utf-8"),
        ("a.js", "text/javascript; charset=utf-8"),
        ("a.json", "application/json"),
        ("atom.xml", "application/xml; charset=utf-8"),
        ("a.svg", "image/svg+xml"),
        ("a.png", "image/png"),
        ("a.jpg", "image/jpeg"),
        ("a.webp", "image/webp"),
        ("a.woff2", "font/woff2"),
        ("a.wasm", "application/wasm"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("a.unknown", "application/octet-stream"),
    ];
    let state = Arc::new(SiteState::new());
    state.publish(
        files.iter().map(|(p, _)| Output::bytes(*p, "x")).collect(),
        Vec::new(),
    );
    let addr: SocketAddr = "127.0.0.1:1111".parse().unwrap();
    let app = router(state, addr);
    for (path, content_type) in files {
        let response = app
            .clone()
            .oneshot(
                Request::get(format!("/{path}"))
                    .header("host", "localhost:1111")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["content-type"], content_type, "{path}");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    }
}

fn ws_request(addr: SocketAddr, origin: Option<&str>) -> tungstenite::handshake::client::Request {
    ws_request_from(addr, origin, "")
}

/// The upgrade request of a page that says `query` (`?generation=N`).
fn ws_request_from(
    addr: SocketAddr,
    origin: Option<&str>,
    query: &str,
) -> tungstenite::handshake::client::Request {
    let mut request = format!("ws://{addr}/__steppe/livereload{query}")
        .into_client_request()
        .unwrap();
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("origin", origin.parse().unwrap());
    }
    request
}

fn forbidden(result: Result<impl Sized, tungstenite::Error>) -> bool {
    matches!(result, Err(tungstenite::Error::Http(response)) if response.status() == 403)
}

#[tokio::test(flavor = "multi_thread")]
async fn websocket_upgrades_need_the_served_origin() {
    let (_, addr) = start(site()).await;
    let port = addr.port();
    for origin in [
        Some("http://evil.com".to_string()),
        Some(format!("http://evil.com:{port}")),
        Some(format!("https://127.0.0.1:{port}")),
        Some(format!("http://127.0.0.1:{}", port.wrapping_add(1))),
        Some("null".to_string()),
        None,
    ] {
        let result = tokio_tungstenite::connect_async(ws_request(addr, origin.as_deref())).await;
        assert!(forbidden(result), "{origin:?}");
    }
    for origin in [
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
    ] {
        let (mut socket, _) = tokio_tungstenite::connect_async(ws_request(addr, Some(&origin)))
            .await
            .unwrap();
        assert_eq!(next_text(&mut socket).await, r#"{"type":"ok"}"#);
        socket.close(None).await.unwrap();
    }
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

async fn next_text(socket: &mut Socket) -> String {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(20), socket.next())
            .await
            .expect("a message in time")
            .expect("the socket stays open")
            .unwrap();
        if let tungstenite::Message::Text(text) = message {
            return text.to_string();
        }
    }
}

fn error() -> Diagnostic {
    Diagnostic::error("unknown field `titel`").at(Location::from_line_column(
        std::path::Path::new("content/x.md"),
        "---\ntitel: X\n---\n",
        2,
        1,
        5,
    ))
}

#[tokio::test(flavor = "multi_thread")]
async fn websocket_tells_what_changed() {
    let (state, addr) = start(site()).await;
    let origin = format!("http://{addr}");
    let (mut socket, _) = tokio_tungstenite::connect_async(ws_request(addr, Some(&origin)))
        .await
        .unwrap();
    assert_eq!(next_text(&mut socket).await, r#"{"type":"ok"}"#);

    // A page changed: only its tab reloads.
    let mut changed = site();
    changed[1] = Output::bytes("x/index.html", PAGE.replace("page x", "page x, edited"));
    state.publish(changed.clone(), Vec::new());
    assert_eq!(
        next_text(&mut socket).await,
        r#"{"type":"reload","paths":["/x/"]}"#
    );

    // Only the stylesheet changed: swap it.
    changed[3] = Output::bytes("style.css", "body { color: blue }");
    state.publish(changed.clone(), Vec::new());
    assert_eq!(
        next_text(&mut socket).await,
        r#"{"type":"css","paths":["/style.css"]}"#
    );

    // An author error: the overlay, and the last good page stays served.
    let mut broken = changed.clone();
    broken[1] = Output::bytes("x/index.html", "half-built");
    state.publish(broken, vec![error()]);
    let errors: serde_json::Value = serde_json::from_str(&next_text(&mut socket).await).unwrap();
    assert_eq!(errors["type"], "errors");
    let diagnostic = &errors["diagnostics"][0];
    assert_eq!(diagnostic["path"], "content/x.md");
    assert_eq!(
        (diagnostic["line"].as_u64(), diagnostic["column"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["message"], "unknown field `titel`");
    assert!(get(addr, "/x/").await.text().contains("page x, edited"));

    // A tab that connects now learns the errors at once.
    let (mut late, _) = tokio_tungstenite::connect_async(ws_request(addr, Some(&origin)))
        .await
        .unwrap();
    let state_now: serde_json::Value = serde_json::from_str(&next_text(&mut late).await).unwrap();
    assert_eq!(state_now, errors);

    // Fixed: the overlay goes, and the page that changed since the last good build reloads.
    changed[1] = Output::bytes("x/index.html", PAGE.replace("page x", "page x, fixed"));
    state.publish(changed, Vec::new());
    assert_eq!(next_text(&mut socket).await, r#"{"type":"ok"}"#);
    assert_eq!(
        next_text(&mut socket).await,
        r#"{"type":"reload","paths":["/x/"]}"#
    );
    assert_eq!(next_text(&mut late).await, r#"{"type":"ok"}"#);
    assert!(get(addr, "/x/").await.text().contains("page x, fixed"));
    socket
        .send(tungstenite::Message::Close(None))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_changed_while_loading_reloads_once_connected() {
    let (state, addr) = start(site()).await;
    let origin = format!("http://{addr}");
    // The page is served from generation 1 and says so to its socket.
    let page = get(addr, "/x/").await.text();
    assert!(page.contains(r#"data-generation="1""#), "{page}");
    let connect = |query: &'static str| {
        let request = ws_request_from(addr, Some(&origin), query);
        async move { tokio_tungstenite::connect_async(request).await.unwrap().0 }
    };

    // Before the socket connects, the page and then an unrelated one change.
    let mut changed = site();
    changed[1] = Output::bytes("x/index.html", PAGE.replace("page x", "page x, edited"));
    state.publish(changed.clone(), Vec::new());
    changed[0] = Output::bytes("index.html", "<html><body><p>home 2</p></body></html>");
    state.publish(changed.clone(), Vec::new());

    let mut socket = connect("?generation=1").await;
    assert_eq!(next_text(&mut socket).await, r#"{"type":"ok"}"#);
    assert_eq!(
        next_text(&mut socket).await,
        r#"{"type":"reload","paths":["/","/x/"]}"#
    );
    // A page of the current generation has nothing to catch up: the next message is news.
    let mut current = connect("?generation=3").await;
    assert_eq!(next_text(&mut current).await, r#"{"type":"ok"}"#);
    changed[3] = Output::bytes("style.css", "body { color: blue }");
    state.publish(changed.clone(), Vec::new());
    let css = r#"{"type":"css","paths":["/style.css"]}"#;
    assert_eq!(next_text(&mut current).await, css);
    assert_eq!(next_text(&mut socket).await, css);

    // A generation this server never served (it restarted): reload whatever the tab shows.
    let mut restarted = connect("?generation=99").await;
    assert_eq!(next_text(&mut restarted).await, r#"{"type":"ok"}"#);
    assert_eq!(
        next_text(&mut restarted).await,
        r#"{"type":"reload","paths":["*"]}"#
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_never_fail_while_snapshots_swap() {
    let version = |n: usize| {
        vec![
            Output::bytes(
                "index.html",
                format!("<html><body>version {n}</body></html>"),
            ),
            Output::bytes("style.css", format!("/* {n} */")),
        ]
    };
    let (state, addr) = start(version(0)).await;
    let publisher = tokio::task::spawn_blocking(move || {
        for n in 1..=50 {
            let change = state.publish(version(n), Vec::new());
            assert_eq!(change.messages.len(), 2);
            std::thread::sleep(Duration::from_millis(2));
        }
    });
    let requests: Vec<_> = (0..200)
        .map(|i| {
            tokio::spawn(async move {
                let target = if i % 2 == 0 { "/" } else { "/style.css" };
                let reply = get(addr, target).await;
                assert_eq!(reply.status, 200, "request {i}");
                let text = reply.text();
                assert!(
                    text.contains("version ") || text.starts_with("/* "),
                    "request {i}: {text}"
                );
            })
        })
        .collect();
    for request in requests {
        request.await.unwrap();
    }
    publisher.await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_taken_port_falls_back_to_the_next() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let bound = bind("127.0.0.1", port).await.unwrap();
    let got = bound.local_addr().port();
    assert!(got > port && got < port + 10, "{port} → {got}");
    assert_eq!(bound.url(), format!("http://127.0.0.1:{got}/"));

    let error = bind("not an address", 1111).await.unwrap_err();
    assert!(error.message.contains("not an IP address"));
}

#[test]
fn messages_round_trip_as_json() {
    assert_eq!(
        Message::Css(vec!["/a.css".into()]).to_json(),
        r#"{"type":"css","paths":["/a.css"]}"#
    );
}

/// While the search index of a build is being built, its pages are served at once, and requests
/// for the index wait for it: never the previous build's index, never a missing file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_files_wait_for_the_index_of_the_pages_served() {
    let mut first = site();
    first.push(Output::bytes("pagefind/pagefind.js", "index 1"));
    let (state, addr) = start(first).await;
    assert_eq!(get(addr, "/pagefind/pagefind.js").await.body, b"index 1");

    // A rebuild: the new page is served before its index exists.
    let mut second = site();
    second[1] = Output::bytes("x/index.html", PAGE.replace("page x", "page x2"));
    let change = state.publish_pending(second.clone(), Vec::new());
    assert!(String::from_utf8_lossy(&get(addr, "/x/").await.body).contains("page x2"));
    let waiting = tokio::spawn(async move { get(addr, "/pagefind/pagefind.js").await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        !waiting.is_finished(),
        "the old index was served while the new one was built"
    );

    // The index of an older build is not published over a newer build's pages.
    let newer = state.publish_pending(second, Vec::new());
    let stale = vec![Output::bytes("pagefind/pagefind.js", "index 2")];
    assert!(
        state
            .publish_search(change.generation, stale, Vec::new())
            .is_none()
    );
    // A failed build meanwhile keeps the pages and their pending index.
    state.publish(Vec::new(), vec![error()]);
    assert!(state.snapshot().search_pending);
    assert!(!waiting.is_finished());

    let fresh = vec![Output::bytes("pagefind/pagefind.js", "index 3")];
    let published = state.publish_search(newer.generation, fresh, Vec::new());
    assert!(published.is_some());
    let reply = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("the waiting request was answered")
        .unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, b"index 3");
    assert!(!state.snapshot().search_pending);
}

/// The files of the previous index that the new one does not have are gone once it is
/// published, and the browsers are told which index files changed.
#[test]
fn a_published_index_replaces_the_previous_one() {
    let state = SiteState::new();
    let mut first = site();
    first.push(Output::bytes("pagefind/a.pf", "a"));
    first.push(Output::bytes("pagefind/b.pf", "b"));
    // A file of the site's own whose name merely starts like the bundle's folder.
    first.push(Output::bytes("pagefind-notes.txt", "notes"));
    state.publish(first, Vec::new());
    // The next build no longer has the notes: they go at once, unlike the index's files.
    let change = state.publish_pending(site(), Vec::new());
    assert_eq!(change.changed, ["/pagefind-notes.txt"]);
    assert!(state.snapshot().awaits_search("pagefind/a.pf"));
    assert!(!state.snapshot().awaits_search("x/index.html"));
    let index = vec![
        Output::bytes("pagefind/a.pf", "a"),
        Output::bytes("pagefind/c.pf", "c"),
    ];
    let published = state
        .publish_search(change.generation, index, Vec::new())
        .unwrap();
    assert_eq!(published.changed, ["/pagefind/b.pf", "/pagefind/c.pf"]);
    let snapshot = state.snapshot();
    assert!(!snapshot.files.contains_key("pagefind/b.pf"));
    assert_eq!(&snapshot.files["pagefind/c.pf"][..], b"c");
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_or_silent_connections_are_closed_after_the_header_timeout() {
    let (_, addr) = start_limited(Limits {
        header_read: Duration::from_secs(1),
        ..Limits::for_this_process()
    })
    .await;
    // Slowloris: half a request head, then nothing.
    let mut slow = TcpStream::connect(addr).await.unwrap();
    let half = format!("GET /x/ HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: slo");
    slow.write_all(half.as_bytes()).await.unwrap();
    // Connected and silent.
    let mut silent = TcpStream::connect(addr).await.unwrap();
    // Kept alive after a response, then silent.
    let mut kept = TcpStream::connect(addr).await.unwrap();
    let request = format!("GET /style.css HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    kept.write_all(request.as_bytes()).await.unwrap();

    assert_eq!(until_closed(&mut slow).await, b"");
    assert_eq!(until_closed(&mut silent).await, b"");
    let answered = String::from_utf8(until_closed(&mut kept).await).unwrap();
    assert!(answered.starts_with("HTTP/1.1 200 OK\r\n"), "{answered}");
    assert!(
        answered.ends_with("\r\n\r\nbody { color: red }"),
        "{answered}"
    );
    // The server still serves.
    assert_eq!(get(addr, "/style.css").await.text(), "body { color: red }");
}

#[tokio::test(flavor = "multi_thread")]
async fn idle_connections_past_the_cap_never_starve_a_request() {
    let (_, addr) = start_limited(Limits {
        connections: 8,
        live_reload: 4,
        // Long enough that the timeouts are not what frees the places.
        header_read: Duration::from_secs(600),
        write_stall: Duration::from_secs(600),
    })
    .await;
    let mut idle = Vec::new();
    for _ in 0..40 {
        idle.push(TcpStream::connect(addr).await.unwrap());
    }
    let reply = get(addr, "/x/").await;
    assert_eq!(reply.status, 200);
    assert!(reply.text().contains("<p>page x</p>"), "{}", reply.text());
    // So does a live-reload socket: its upgrade waits for a place like any request.
    let origin = format!("http://{addr}");
    let (mut socket, _) = tokio_tungstenite::connect_async(ws_request(addr, Some(&origin)))
        .await
        .unwrap();
    assert_eq!(next_text(&mut socket).await, r#"{"type":"ok"}"#);
    drop(idle);
}

#[tokio::test(flavor = "multi_thread")]
async fn live_reload_sockets_outlive_the_header_timeout_and_have_their_own_cap() {
    let (state, addr) = start_limited(Limits {
        connections: 8,
        live_reload: 2,
        header_read: Duration::from_secs(1),
        write_stall: Duration::from_secs(1),
    })
    .await;
    let origin = format!("http://{addr}");
    let mut sockets = Vec::new();
    for _ in 0..2 {
        let (mut socket, _) = tokio_tungstenite::connect_async(ws_request(addr, Some(&origin)))
            .await
            .unwrap();
        assert_eq!(next_text(&mut socket).await, r#"{"type":"ok"}"#);
        sockets.push(socket);
    }
    let third = tokio_tungstenite::connect_async(ws_request(addr, Some(&origin))).await;
    assert!(
        matches!(&third, Err(tungstenite::Error::Http(response)) if response.status() == 503),
        "{third:?}"
    );
    // Well past the header timeout, both sockets still hear of a change.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut changed = site();
    changed[3] = Output::bytes("style.css", "body { color: blue }");
    state.publish(changed, Vec::new());
    for socket in &mut sockets {
        assert_eq!(
            next_text(socket).await,
            r#"{"type":"css","paths":["/style.css"]}"#
        );
    }
    // A closed socket frees its place.
    let mut closed = sockets.pop().unwrap();
    closed.close(None).await.unwrap();
    while closed.next().await.is_some() {}
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        match tokio_tungstenite::connect_async(ws_request(addr, Some(&origin))).await {
            Ok(_) => break,
            Err(e) if std::time::Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => panic!("no place freed: {e}"),
        }
    }
}

/// Clients that ask for a big file and never read it cannot hold the places for good.
#[tokio::test(flavor = "multi_thread")]
async fn clients_that_never_read_are_dropped() {
    let state = Arc::new(SiteState::new());
    let mut outputs = site();
    // Far more than the socket buffers of both ends hold.
    outputs.push(Output::bytes("big.bin", vec![b'x'; 64 << 20]));
    state.publish(outputs, Vec::new());
    let bound = bind("127.0.0.1", 0).await.unwrap().with_limits(Limits {
        connections: 2,
        live_reload: 2,
        header_read: Duration::from_secs(600),
        write_stall: Duration::from_secs(1),
    });
    let addr = bound.local_addr();
    tokio::spawn(bound.serve(state));
    let mut stalled = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let request = format!("GET /big.bin HTTP/1.1\r\nHost: {addr}\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        stalled.push(stream);
    }
    // Both places are taken by responses nobody reads, until the stall drops them.
    assert_eq!(get(addr, "/style.css").await.text(), "body { color: red }");
    // One dropped stall frees the place that request took; the other may be dropped a little
    // later (its response began later). Reading it before then would take the whole response
    // and leave a kept-alive connection open, so both are left unread for two more stall limits.
    tokio::time::sleep(Duration::from_secs(2)).await;
    for mut stream in stalled {
        let sent = until_closed(&mut stream).await;
        assert!(sent.len() < 64 << 20, "{} bytes", sent.len());
    }
}
