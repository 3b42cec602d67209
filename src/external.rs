//! `steppe check --external`: every `http(s)` link of the site fetched once, failures reported at
//! each place that holds the URL.
//!
//! The Markdown stage records external links ([`ExternalLink`]) without touching the network; the
//! build never fetches them. This module is the only code that does, and only when asked:
//!
//! 1. links are grouped by URL, so a URL used on five pages is fetched once and reported five times;
//! 2. URLs matching `[links] external_exclude` are skipped;
//! 3. URLs that succeeded less than `external_cache_hours` ago (per
//!    `.steppe-cache/external-links.json` in the site root) are not fetched again;
//! 4. the rest are checked with [lychee-lib](https://docs.rs/lychee-lib) in a tokio runtime created
//!    here: `external_concurrency` requests in flight overall, `external_host_concurrency` per host
//!    (lychee's per-host pool), `external_timeout` seconds per request, `external_retries` retries
//!    with exponential backoff (1 s, 2 s, …) after timeouts, 5xx, 408 and 429, redirects followed;
//! 5. successes are written to the cache (failures never are), failures become diagnostics.

use std::collections::BTreeMap;
use std::error::Error as _;
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lychee_lib::ratelimit::RateLimitConfig;
use lychee_lib::{Client, ClientBuilder, ErrorKind, Status};
use serde::{Deserialize, Serialize};

use crate::config::{LinkLevel, LinksConfig};
use crate::diagnostics::{Diagnostic, Location, Severity};
pub(crate) use crate::parse::markdown::ExternalLink;

/// The cache file, relative to the site root.
pub(crate) const CACHE_FILE: &str = ".steppe-cache/external-links.json";

/// First wait before a retry; doubled for each further retry.
const RETRY_WAIT: Duration = Duration::from_secs(1);

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExternalStats {
    /// Distinct URLs found (excluded ones included).
    pub urls: usize,
    /// URLs skipped by `external_exclude` (or by lychee's own exclusions).
    pub excluded: usize,
    /// URLs answered from the cache.
    pub cached: usize,
    /// URLs fetched in this run.
    pub fetched: usize,
    /// URLs that failed.
    pub failed: usize,
    /// URLs not fetched because they lead to this computer or a private network.
    pub private: usize,
}

/// How one URL fared.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Ok,
    Excluded,
    Failed { reason: String, hint: String },
}

/// Checks every URL of `links`, reading and updating the cache below `root`. Returns one
/// diagnostic per place holding a failed URL, plus warnings about the cache itself.
pub(crate) fn check(
    root: &Path,
    config: &LinksConfig,
    links: &[ExternalLink],
    allow_private: bool,
) -> (Vec<Diagnostic>, ExternalStats) {
    let mut diagnostics = Vec::new();
    let mut stats = ExternalStats::default();

    let mut places: BTreeMap<&str, Vec<&Location>> = BTreeMap::new();
    for link in links {
        places
            .entry(link.url.as_str())
            .or_default()
            .push(&link.location);
    }
    stats.urls = places.len();

    let excludes: Vec<regex::Regex> = config
        .external_exclude
        .iter()
        .filter_map(|pattern| regex::Regex::new(pattern).ok())
        .collect();
    let now = unix_now();
    let max_age = config.external_cache_hours.saturating_mul(3600);
    let mut cache = if max_age > 0 {
        Cache::load(root, &mut diagnostics)
    } else {
        Cache::default()
    };

    let mut to_fetch = Vec::new();
    for &url in places.keys() {
        if excludes.iter().any(|re| re.is_match(url)) {
            stats.excluded += 1;
        } else if cache.is_fresh(url, now, max_age) {
            stats.cached += 1;
        } else if !allow_private && leads_to_a_private_address(url) {
            // A site's links must not make the checker probe the machine or network it runs
            // on (its admin pages, cloud metadata services).
            stats.private += 1;
        } else {
            to_fetch.push(url.to_string());
        }
    }

    let outcomes = if to_fetch.is_empty() {
        Vec::new()
    } else {
        match fetch_all(config, to_fetch) {
            Ok(outcomes) => outcomes,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                return (diagnostics, stats);
            }
        }
    };

    let severity = match config.broken {
        LinkLevel::Error => Severity::Error,
        LinkLevel::Warn => Severity::Warning,
    };
    let checked_at = unix_now();
    for (url, outcome) in &outcomes {
        match outcome {
            Outcome::Ok => {
                stats.fetched += 1;
                cache.insert(url, checked_at);
            }
            Outcome::Excluded => stats.excluded += 1,
            Outcome::Failed { reason, hint } => {
                stats.fetched += 1;
                stats.failed += 1;
                for location in places.get(url.as_str()).into_iter().flatten() {
                    diagnostics.push(
                        Diagnostic::error(format!("external link failed: {url} {reason}"))
                            .with_severity(severity)
                            .at((*location).clone())
                            .with_hint(hint.as_str()),
                    );
                }
            }
        }
    }

    if max_age > 0 && stats.fetched > stats.failed {
        cache.prune(checked_at, max_age);
        if let Err(diagnostic) = cache.save(root) {
            diagnostics.push(diagnostic);
        }
    }
    (diagnostics, stats)
}

/// Whether `url`'s host is, or resolves to, an address of this computer or of a private network:
/// loopback, link-local, private, unique-local, shared (CGNAT) or unspecified. A name that does
/// not resolve is not private (fetching it then fails as usual).
fn leads_to_a_private_address(url: &str) -> bool {
    use std::net::ToSocketAddrs;
    let Ok(parsed) = url::Url::parse(url) else {
        return false;
    };
    match parsed.host() {
        Some(url::Host::Ipv4(ip)) => is_private(ip.into()),
        Some(url::Host::Ipv6(ip)) => is_private(ip.into()),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost"
                || name.ends_with(".localhost")
                || (name.as_str(), parsed.port_or_known_default().unwrap_or(80))
                    .to_socket_addrs()
                    .is_ok_and(|mut addresses| addresses.any(is_private_socket))
        }
        None => false,
    }
}

fn is_private_socket(address: std::net::SocketAddr) -> bool {
    is_private(address.ip())
}

fn is_private(ip: std::net::IpAddr) -> bool {
    match ip.to_canonical() {
        std::net::IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
        }
        std::net::IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// Fetches `urls` in a runtime of its own; outcomes come back in no particular order.
fn fetch_all(
    config: &LinksConfig,
    urls: Vec<String>,
) -> Result<Vec<(String, Outcome)>, Diagnostic> {
    let timeout = Duration::from_secs(config.external_timeout.max(1));
    let client = ClientBuilder::builder()
        .timeout(timeout)
        .max_retries(0u64)
        .rate_limit_config(RateLimitConfig {
            concurrency: config.external_host_concurrency.max(1),
            ..RateLimitConfig::default()
        })
        .build()
        .client()
        .map_err(|e| {
            Diagnostic::error(format!("cannot start the external link checker: {e}"))
                .with_hint("this is a problem with the system's TLS or DNS setup, not the site")
        })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::error(format!("cannot start the external link checker: {e}")))?;
    let limit = Arc::new(tokio::sync::Semaphore::new(
        config.external_concurrency.max(1),
    ));
    let timeout_secs = config.external_timeout.max(1);
    let retries = config.external_retries;
    Ok(runtime.block_on(async move {
        let mut tasks = tokio::task::JoinSet::new();
        for url in urls {
            let client: Client = client.clone();
            let limit = Arc::clone(&limit);
            tasks.spawn(async move {
                // The semaphore is never closed, so acquiring cannot fail.
                let _permit = limit.acquire_owned().await.ok();
                let outcome = check_one(&client, &url, retries, timeout_secs).await;
                (url, outcome)
            });
        }
        let mut outcomes = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(result) => outcomes.push(result),
                Err(error) => std::panic::resume_unwind(error.into_panic()),
            }
        }
        outcomes
    }))
}

/// Checks one URL, retrying transient failures ([`is_transient`]) with exponential backoff.
///
/// lychee-lib 0.24 retries timeouts itself but not 5xx answers (a rejected status code is never
/// classified as retryable), so the client is built with no retries and they all happen here.
async fn check_one(client: &Client, url: &str, retries: u64, timeout_secs: u64) -> Outcome {
    let mut wait = RETRY_WAIT;
    let mut attempt = 0;
    loop {
        let response = match client.check(url).await {
            Ok(response) => response,
            Err(error) => {
                return Outcome::Failed {
                    reason: format!("is not a valid URL: {error}"),
                    hint: "fix the URL; it must be an absolute http:// or https:// address".into(),
                };
            }
        };
        if attempt >= retries || !is_transient(response.status()) {
            return outcome(response.status(), timeout_secs);
        }
        attempt += 1;
        tokio::time::sleep(wait).await;
        wait = wait.saturating_mul(2);
    }
}

/// Failures worth another try: timeouts, 5xx, 408 and 429 answers, and connections dropped
/// mid-request. A refused connection, an unknown host or a 404 will not change in a second.
fn is_transient(status: &Status) -> bool {
    match status {
        Status::Timeout(_) => true,
        Status::Error(kind) => match status.code() {
            Some(code) => code.is_server_error() || matches!(code.as_u16(), 408 | 429),
            None => has_io_error(kind, |kind| {
                matches!(
                    kind,
                    io::ErrorKind::ConnectionReset
                        | io::ErrorKind::ConnectionAborted
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::UnexpectedEof
                )
            }),
        },
        _ => false,
    }
}

/// Turns lychee's status into a reason (read after the URL) and a hint.
fn outcome(status: &Status, timeout_secs: u64) -> Outcome {
    let failed = |reason: String, hint: &str| Outcome::Failed {
        reason,
        hint: hint.to_string(),
    };
    match status {
        Status::Ok(_) | Status::Cached(lychee_lib::CacheStatus::Ok(_)) => Outcome::Ok,
        Status::Excluded | Status::Unsupported(_) => Outcome::Excluded,
        Status::Timeout(_) => failed(
            format!("timed out after {timeout_secs} s"),
            "the server did not answer in time; raise `external_timeout` under [links] in \
             site.toml, or skip the URL with `external_exclude`",
        ),
        _ => {
            if let Some(code) = status.code() {
                let hint = match code.as_u16() {
                    404 | 410 => "the page is gone: link to where it moved, or remove the link",
                    401 | 403 | 429 => {
                        "the server refuses automated checks; if the link works in a browser, \
                         skip it with `external_exclude` under [links] in site.toml"
                    }
                    _ => {
                        "fix or remove the link; if it works in a browser, skip it with \
                         `external_exclude` under [links] in site.toml"
                    }
                };
                return failed(format!("returned {code}"), hint);
            }
            match status {
                Status::Error(kind)
                    if has_io_error(kind, |k| k == io::ErrorKind::ConnectionRefused) =>
                {
                    failed(
                        "refused the connection".into(),
                        "nothing answers at that host and port; check the address",
                    )
                }
                Status::Error(kind) => failed(
                    format!("failed: {}", first_line(&kind.details())),
                    "check the URL in a browser; skip it with `external_exclude` under [links] \
                     in site.toml if it cannot be checked automatically",
                ),
                other => failed(
                    format!("failed: {}", first_line(&other.details())),
                    "check the URL in a browser; skip it with `external_exclude` under [links] \
                     in site.toml if it cannot be checked automatically",
                ),
            }
        }
    }
}

/// Whether an I/O error of a kind `wanted` accepts is somewhere in the error's causes.
fn has_io_error(kind: &ErrorKind, wanted: impl Fn(io::ErrorKind) -> bool) -> bool {
    let mut cause = kind.source();
    while let Some(error) = cause {
        if let Some(io_error) = error.downcast_ref::<io::Error>()
            && wanted(io_error.kind())
        {
            return true;
        }
        cause = error.source();
    }
    false
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim()
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Successful results by URL: `{"version": 1, "ok": {"https://…": 1767225600}}` (Unix seconds
/// of the check). A missing, unreadable or foreign file is an empty cache.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    version: u32,
    ok: BTreeMap<String, u64>,
}

impl Cache {
    const VERSION: u32 = 1;

    /// The cache saved by an earlier check; a damaged or refused file (see [`crate::cache`]) is
    /// an empty cache, with a warning for a refused one.
    fn load(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Cache {
        let bytes = match crate::cache::read(root, CACHE_FILE) {
            Ok(bytes) => bytes,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                None
            }
        };
        bytes
            .and_then(|bytes| serde_json::from_slice::<Cache>(&bytes).ok())
            .filter(|cache| cache.version == Cache::VERSION)
            .unwrap_or_default()
    }

    fn is_fresh(&self, url: &str, now: u64, max_age: u64) -> bool {
        self.ok
            .get(url)
            .is_some_and(|&at| at <= now && now - at < max_age)
    }

    fn insert(&mut self, url: &str, at: u64) {
        self.ok.insert(url.to_string(), at);
    }

    /// Drops entries too old to be used again.
    fn prune(&mut self, now: u64, max_age: u64) {
        self.ok.retain(|_, &mut at| at <= now && now - at < max_age);
    }

    /// Writes the cache through a new file and a rename, so a reader never sees half.
    fn save(&mut self, root: &Path) -> Result<(), Diagnostic> {
        self.version = Cache::VERSION;
        let text = serde_json::to_string_pretty(self).unwrap_or_default() + "\n";
        crate::cache::write(root, CACHE_FILE, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_entries_expire() {
        let mut cache = Cache::default();
        cache.insert("https://a.example/", 1000);
        assert!(cache.is_fresh("https://a.example/", 1000, 3600));
        assert!(cache.is_fresh("https://a.example/", 4599, 3600));
        assert!(!cache.is_fresh("https://a.example/", 4600, 3600));
        assert!(!cache.is_fresh("https://b.example/", 1000, 3600));
        cache.prune(4600, 3600);
        assert!(cache.ok.is_empty());
    }

    #[test]
    fn cache_round_trips_and_ignores_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let mut found = Vec::new();
        assert!(Cache::load(dir.path(), &mut found).ok.is_empty());
        let mut cache = Cache::default();
        cache.insert("https://a.example/", 42);
        cache.save(dir.path()).unwrap();
        let loaded = Cache::load(dir.path(), &mut found);
        assert_eq!(loaded.ok.get("https://a.example/"), Some(&42));
        std::fs::write(dir.path().join(CACHE_FILE), "not json").unwrap();
        assert!(Cache::load(dir.path(), &mut found).ok.is_empty());
        assert!(found.is_empty());
    }

    #[test]
    fn private_addresses_in_every_spelling() {
        for url in [
            "http://127.0.0.1:8080/",
            "http://localhost/admin",
            "http://LOCALHOST./",
            "http://app.localhost/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.1/",
            "http://192.168.1.1/",
            "http://172.16.0.1/",
            "http://100.64.0.1/",
            "http://0.0.0.0/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
        ] {
            assert!(leads_to_a_private_address(url), "{url}");
        }
        for url in [
            "https://203.0.113.9/",
            "http://[2001:db8::1]/",
            "https://8.8.8.8/",
            "not a url",
        ] {
            assert!(!leads_to_a_private_address(url), "{url}");
        }
    }

    #[test]
    fn statuses_become_reasons() {
        let not_found = Status::Error(ErrorKind::RejectedStatusCode(http::StatusCode::NOT_FOUND));
        assert!(matches!(
            outcome(&not_found, 10),
            Outcome::Failed { reason, .. } if reason == "returned 404 Not Found"
        ));
        assert!(matches!(
            outcome(&Status::Timeout(None), 7),
            Outcome::Failed { reason, .. } if reason == "timed out after 7 s"
        ));
        assert_eq!(outcome(&Status::Ok(http::StatusCode::OK), 10), Outcome::Ok);
        assert_eq!(outcome(&Status::Excluded, 10), Outcome::Excluded);
    }

    #[test]
    fn only_transient_failures_are_retried() {
        let code = |c: u16| {
            Status::Error(ErrorKind::RejectedStatusCode(
                http::StatusCode::from_u16(c).unwrap(),
            ))
        };
        assert!(is_transient(&Status::Timeout(None)));
        assert!(is_transient(&code(500)));
        assert!(is_transient(&code(503)));
        assert!(is_transient(&code(429)));
        assert!(!is_transient(&code(404)));
        assert!(!is_transient(&code(403)));
        assert!(!is_transient(&Status::Ok(http::StatusCode::OK)));
    }
}
