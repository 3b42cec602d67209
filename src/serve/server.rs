//! The HTTP server: binding (with port fallback), the Host and Origin checks, and the routes.
//!
//! | path | answer |
//! |---|---|
//! | `/__steppe/livereload?generation=N` | WebSocket upgrade (Origin checked), see [`super::livereload`] |
//! | `/__steppe/livereload.js` | the live-reload script |
//! | other `/__steppe/…` | 404, so tooling paths never clash with site paths |
//! | `/x/` | `x/index.html` of the current snapshot |
//! | `/x` | the file `x`, else a 308 redirect to `/x/` if `x/index.html` exists |
//! | anything else | the site's `404.html` with status 404 (a built-in page if it has none) |
//!
//! Every request must carry a `Host` header naming the address served (`127.0.0.1:1111`, or
//! `localhost:1111` when bound to loopback): a web page on another domain that rebinds its DNS
//! name to 127.0.0.1 sends its own name and gets 403. A missing or repeated `Host` gets 400.
//! WebSocket upgrades must also come with an `Origin` of the served address, so another site
//! open in the browser cannot listen in. Requests in absolute form (`GET http://evil/ HTTP/1.1`)
//! are served by their path alone, never proxied, and their `Host` header is checked like any
//! other. Malformed requests are answered 400 by hyper or by the path decoding; no input makes
//! the server panic or stop.
//!
//! Connections are served within [`Limits`] (header read timeout, connection caps), see
//! [`super::connections`].

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::{Request, State, WebSocketUpgrade};
use axum::http::header::{
    ALLOW, CACHE_CONTROL, CONTENT_TYPE, HOST, LOCATION, ORIGIN, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::connections::{self, Limits};
use super::livereload;
use super::paths::{self, Refusal};
use super::state::{SiteState, Snapshot};
use crate::diagnostics::Diagnostic;

/// How many ports [`bind`] tries, starting with the one asked for.
pub(crate) const PORT_ATTEMPTS: u16 = 10;

/// The built-in page for a missing file when the site has no `404.html`.
const PLAIN_NOT_FOUND: &str = "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
<title>404 Not Found</title></head>\n<body>\n<h1>404 Not Found</h1>\n\
<p>No file of the site is served at this address.</p>\n</body>\n</html>\n";

/// The `Host` header values (and thus origins) that name the address served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AllowedHosts {
    addr: SocketAddr,
}

impl AllowedHosts {
    /// The hosts that name `addr`: the address itself with its port, `localhost` with the port
    /// when it is a loopback address, and any IP literal with the port when it is the
    /// unspecified address (`0.0.0.0`, `::`), which answers on every interface. Names other
    /// than `localhost` are never allowed: an attacker controls what they resolve to. With
    /// port 80 the port may be left out, as browsers do.
    pub(crate) fn new(addr: SocketAddr) -> AllowedHosts {
        AllowedHosts { addr }
    }

    /// Whether a `Host` header value names the address served.
    pub(crate) fn allows_host(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        let port_ok = match port {
            Some(port) => port == self.addr.port(),
            None => self.addr.port() == 80,
        };
        if !port_ok {
            return false;
        }
        let ip = self.addr.ip();
        let literal = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .map_or_else(
                || name.parse::<Ipv4Addr>().map(IpAddr::V4),
                |n| n.parse::<Ipv6Addr>().map(IpAddr::V6),
            )
            .ok();
        match literal {
            Some(literal) => literal == ip || ip.is_unspecified(),
            None => {
                name.eq_ignore_ascii_case("localhost") && (ip.is_loopback() || ip.is_unspecified())
            }
        }
    }

    /// Whether an `Origin` header value is a page of the address served.
    pub(crate) fn allows_origin(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| self.allows_host(host))
    }
}

/// Splits `name[:port]`, where an IPv6 name is bracketed. `None` if the value is malformed.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        match &host[end + 1..] {
            "" => (&host[..=end], None),
            rest => (&host[..=end], Some(rest.strip_prefix(':')?)),
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    if name.is_empty() || !name.chars().all(valid) {
        return None;
    }
    let port = match port {
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
        None => None,
    };
    Some((name, port))
}

#[derive(Clone)]
struct App {
    site: Arc<SiteState>,
    hosts: Arc<AllowedHosts>,
    /// One place per live-reload WebSocket that may be open.
    live_reload: Arc<Semaphore>,
}

/// The routes for a site served at `addr` (the bound address: its port is part of every
/// allowed `Host`), with this process's [`Limits`].
pub fn router(site: Arc<SiteState>, addr: SocketAddr) -> Router {
    routes(site, addr, &Limits::for_this_process())
}

fn routes(site: Arc<SiteState>, addr: SocketAddr, limits: &Limits) -> Router {
    let app = App {
        site,
        hosts: Arc::new(AllowedHosts::new(addr)),
        live_reload: Arc::new(Semaphore::new(limits.live_reload)),
    };
    Router::new()
        .route("/__steppe/livereload", get(livereload_socket))
        .route("/__steppe/livereload.js", get(livereload_script))
        .fallback(site_file)
        .layer(middleware::from_fn_with_state(app.clone(), check_host))
        .with_state(app)
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        text,
    )
        .into_response()
}

async fn check_host(State(app): State<App>, request: Request, next: Next) -> Response {
    let mut hosts = request.headers().get_all(HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(host), None) => host,
        (None, _) => return plain(StatusCode::BAD_REQUEST, "missing Host header\n"),
        (Some(_), Some(_)) => return plain(StatusCode::BAD_REQUEST, "more than one Host header\n"),
    };
    if !host.to_str().is_ok_and(|h| app.hosts.allows_host(h)) {
        return plain(
            StatusCode::FORBIDDEN,
            "the Host header does not name the address steppe serves\n",
        );
    }
    next.run(request).await
}

async fn livereload_socket(
    State(app): State<App>,
    headers: HeaderMap,
    uri: Uri,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let mut origins = headers.get_all(ORIGIN).iter();
    let origin_ok = match (origins.next(), origins.next()) {
        (Some(origin), None) => origin.to_str().is_ok_and(|o| app.hosts.allows_origin(o)),
        _ => false,
    };
    if !origin_ok {
        return plain(
            StatusCode::FORBIDDEN,
            "live reload is only for pages served by this steppe\n",
        );
    }
    match upgrade {
        Ok(upgrade) => {
            // A WebSocket is idle between rebuilds and never timed out, so their number is
            // capped. The script retries with backoff, and a closed tab frees its place.
            let Ok(place) = app.live_reload.clone().try_acquire_owned() else {
                return plain(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "too many live-reload connections are open: close some tabs of this site\n",
                );
            };
            let since = livereload::generation(uri.query());
            upgrade.on_upgrade(move |socket| async move {
                livereload::connection(socket, app.site, since).await;
                drop(place);
            })
        }
        Err(rejection) => rejection.into_response(),
    }
}

async fn livereload_script() -> Response {
    file_response(
        StatusCode::OK,
        "livereload.js",
        Bytes::from_static(livereload::SCRIPT.as_bytes()),
        "",
    )
}

/// How long a request for a file of the search index waits for the index being built (Pagefind
/// takes seconds on a big site) before it gets what there is.
const SEARCH_WAIT: std::time::Duration = std::time::Duration::from_secs(300);

async fn site_file(State(app): State<App>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let snapshot = app.site.snapshot();
    let raw = uri.path();
    if raw.starts_with("/__steppe/") {
        return not_found(&snapshot);
    }
    let path = match paths::decode_path(raw) {
        Ok(path) => path,
        Err(Refusal::Malformed) => return plain(StatusCode::BAD_REQUEST, "malformed path\n"),
        Err(Refusal::NotFound) => return not_found(&snapshot),
    };
    let relative = &path[1..];
    let key = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    };
    // A file of the search index being built comes from the snapshot that has the new index.
    let snapshot = if snapshot.awaits_search(&key) {
        app.site.snapshot_for(&key, SEARCH_WAIT).await
    } else {
        snapshot
    };
    if let Some(bytes) = snapshot.files.get(&key) {
        let tag = paths::script_tag(snapshot.generation, false);
        return file_response(StatusCode::OK, &key, bytes.clone(), &tag);
    }
    if !relative.is_empty()
        && !relative.ends_with('/')
        && snapshot
            .files
            .contains_key(&format!("{relative}/index.html"))
    {
        // `raw` starts with one `/` and holds no `//` (checked while decoding), so the target
        // stays on this site.
        let target = match uri.query() {
            Some(query) => format!("{raw}/?{query}"),
            None => format!("{raw}/"),
        };
        if let Ok(location) = HeaderValue::from_str(&target) {
            return (
                StatusCode::PERMANENT_REDIRECT,
                [
                    (LOCATION, location),
                    (CACHE_CONTROL, HeaderValue::from_static("no-store")),
                ],
            )
                .into_response();
        }
    }
    not_found(&snapshot)
}

fn not_found(snapshot: &Snapshot) -> Response {
    let page = snapshot
        .files
        .get("404.html")
        .cloned()
        .unwrap_or_else(|| Bytes::from_static(PLAIN_NOT_FOUND.as_bytes()));
    file_response(
        StatusCode::NOT_FOUND,
        "404.html",
        page,
        &paths::script_tag(snapshot.generation, true),
    )
}

/// A file's response; HTML gets `script_tag` injected (the stored bytes stay untouched).
fn file_response(status: StatusCode, key: &str, bytes: Bytes, script_tag: &str) -> Response {
    let content_type = paths::content_type(key);
    let body = if content_type.starts_with("text/html") && !script_tag.is_empty() {
        Body::from(paths::inject(&bytes, script_tag))
    } else {
        Body::from(bytes)
    };
    (
        status,
        [
            (CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        body,
    )
        .into_response()
}

/// A listening socket, bound but not serving yet.
#[derive(Debug)]
pub struct Bound {
    listener: TcpListener,
    addr: SocketAddr,
    limits: Limits,
}

/// Binds `interface:port`. If the port is in use, says so on stderr and tries the next, up to
/// [`PORT_ATTEMPTS`] ports. Binding to an address other than loopback prints a warning: the
/// site is then visible to the network. `interface` is an IP address or `localhost`; port 0
/// lets the system choose (tests).
pub async fn bind(interface: &str, port: u16) -> Result<Bound, Diagnostic> {
    let ip = parse_interface(interface)?;
    let first = port;
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_ATTEMPTS - 1)
    };
    let mut port = first;
    let listener = loop {
        match TcpListener::bind((ip, port)).await {
            Ok(listener) => break listener,
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && port < last => {
                eprintln!("port {port} is in use, trying {}", port + 1);
                port += 1;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                let ports = if first == last {
                    format!("port {first} is")
                } else {
                    format!("ports {first} to {last} are all")
                };
                return Err(Diagnostic::error(format!("{ports} in use on {ip}"))
                    .with_hint("stop the other server, or choose a free port with --port"));
            }
            Err(e) => {
                return Err(Diagnostic::error(format!(
                    "cannot listen on {}: {e}",
                    SocketAddr::new(ip, port)
                ))
                .with_hint("check --interface: it must be an address of this computer"));
            }
        }
    };
    let addr = listener.local_addr().map_err(|e| {
        Diagnostic::error(format!(
            "cannot read the address of the server's socket: {e}"
        ))
    })?;
    if !is_loopback(ip) {
        eprintln!(
            "{}",
            Diagnostic::warning(format!(
                "serving on {ip}: the site, drafts included, is visible to other computers on \
                 the network"
            ))
            .with_hint("leave out --interface to serve on 127.0.0.1, this computer only")
            .render(false)
        );
    }
    Ok(Bound {
        listener,
        addr,
        limits: Limits::for_this_process(),
    })
}

/// Whether `ip` is this computer only; `::ffff:127.0.0.1` (IPv4 written as IPv6) is too.
fn is_loopback(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}

fn parse_interface(interface: &str) -> Result<IpAddr, Diagnostic> {
    if interface.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    interface
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| {
            Diagnostic::error(format!("--interface `{interface}` is not an IP address")).with_hint(
                "use 127.0.0.1 (this computer only) or 0.0.0.0 (every network interface)",
            )
        })
}

impl Bound {
    /// The address actually bound (the port may differ from the one asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves within `limits` instead of those derived from the open-file limit.
    pub fn with_limits(self, limits: Limits) -> Bound {
        Bound { limits, ..self }
    }

    /// The URL to open in a browser: `http://127.0.0.1:1111/`. For the unspecified address
    /// (every interface) it names the loopback address of the same family.
    pub fn url(&self) -> String {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}/", SocketAddr::new(ip, self.addr.port()))
    }

    /// Serves `site` until the process ends.
    pub async fn serve(self, site: Arc<SiteState>) -> Result<(), Diagnostic> {
        self.serve_until(site, std::future::pending()).await
    }

    /// Serves `site` until `stop` completes; the listening socket is then closed at once
    /// (connections still open end with the runtime).
    pub(crate) async fn serve_until(
        self,
        site: Arc<SiteState>,
        stop: impl Future<Output = ()> + Send,
    ) -> Result<(), Diagnostic> {
        let app = routes(site, self.addr, &self.limits);
        tokio::select! {
            () = connections::accept(self.listener, app, self.limits) => Ok(()),
            () = stop => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_addresses_in_every_spelling() {
        for loopback in ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"] {
            assert!(
                is_loopback(parse_interface(loopback).unwrap()),
                "{loopback}"
            );
        }
        for other in ["0.0.0.0", "::", "192.0.2.1", "::ffff:192.0.2.1"] {
            assert!(!is_loopback(parse_interface(other).unwrap()), "{other}");
        }
    }

    #[test]
    fn loopback_allows_its_address_and_localhost() {
        let hosts = AllowedHosts::new("127.0.0.1:1111".parse().unwrap());
        assert!(hosts.allows_host("127.0.0.1:1111"));
        assert!(hosts.allows_host("localhost:1111"));
        assert!(hosts.allows_host("LocalHost:1111"));
        assert!(!hosts.allows_host("127.0.0.1:1112"));
        assert!(!hosts.allows_host("127.0.0.1"));
        assert!(!hosts.allows_host("evil.com:1111"));
        assert!(!hosts.allows_host("localhost.evil.com:1111"));
        assert!(!hosts.allows_host("127.0.0.2:1111"));
        assert!(!hosts.allows_host("127.0.0.1:1111 "));
        assert!(!hosts.allows_host("127.0.0.1:+1111"));
        assert!(!hosts.allows_host(""));
        assert!(hosts.allows_origin("http://localhost:1111"));
        assert!(hosts.allows_origin("http://127.0.0.1:1111"));
        assert!(!hosts.allows_origin("http://127.0.0.1:1111/"));
        assert!(!hosts.allows_origin("https://127.0.0.1:1111"));
        assert!(!hosts.allows_origin("null"));
        assert!(!hosts.allows_origin("http://evil.com:1111"));
    }

    #[test]
    fn other_addresses_allow_only_themselves() {
        let lan = AllowedHosts::new("192.168.1.5:80".parse().unwrap());
        assert!(lan.allows_host("192.168.1.5"));
        assert!(lan.allows_host("192.168.1.5:80"));
        assert!(!lan.allows_host("localhost:80"));
        let v6 = AllowedHosts::new("[::1]:1111".parse().unwrap());
        assert!(v6.allows_host("[::1]:1111"));
        assert!(v6.allows_host("localhost:1111"));
        assert!(!v6.allows_host("[::2]:1111"));
        let all = AllowedHosts::new("0.0.0.0:1111".parse().unwrap());
        assert!(all.allows_host("10.0.0.7:1111"));
        assert!(all.allows_host("localhost:1111"));
        assert!(!all.allows_host("evil.com:1111"));
    }

    #[test]
    fn interfaces_are_ip_addresses() {
        assert_eq!(
            parse_interface("localhost").unwrap(),
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        );
        assert_eq!(
            parse_interface("::1").unwrap(),
            IpAddr::V6(Ipv6Addr::LOCALHOST)
        );
        assert!(parse_interface("my-laptop").is_err());
    }
}
