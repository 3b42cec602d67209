//! Connection limits: how many sockets the server holds open, and for how long.
//!
//! The server shares its process, and so its open-file limit, with the rebuild. Without limits,
//! a thousand idle sockets (or a slowloris client sending one header byte at a time) made
//! accepts fail and the rebuild stop with "Too many open files". So:
//!
//! - **header read timeout**: a connection must deliver a whole request head within
//!   [`Limits::header_read`] of opening, or of its previous response. This is both the
//!   slowloris bound and the keep-alive idle timeout: hyper starts the clock whenever it waits
//!   for the next request, bytes or not. Bodies are never read (only GET and HEAD are
//!   answered).
//! - **write stall timeout**: a response the client stops reading (the socket buffer full, no
//!   byte taken for [`Limits::write_stall`]) drops the connection, so clients that never read
//!   cannot hold the places either.
//! - **connection cap**: at most [`Limits::connections`] HTTP connections are served at once.
//!   The next one is accepted (one socket more) and waits for a free place; the others stay in
//!   the kernel's listen queue, outside the process. While one waits, every connection open for
//!   more than [`SHED_AFTER`] is asked to close as soon as it is idle: silent and keep-alive
//!   connections close at once, one whose response is being written closes after it, one
//!   still sending its head keeps its header timeout. Browsers reopen what they need.
//! - **live reload**: a WebSocket outlives its HTTP connection (the upgrade ends it and frees
//!   its place), is idle by design between rebuilds and so is never timed out; it takes one of
//!   [`Limits::live_reload`] places instead, and past them the upgrade is answered 503.
//!
//! Both caps derive from the process's open-file limit, so the sockets never take more than
//! about a third of it and the rebuild keeps the rest.
//!
//! Connections speak HTTP/1.1 (hyper's `http1` server, which has these timeouts): browsers use
//! HTTP/2 only over TLS, which a local preview server does not have.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::Instant;

/// A connection younger than this is never asked to close to make room: its request may be
/// on the wire, not read yet.
pub(crate) const SHED_AFTER: Duration = Duration::from_secs(1);

/// How often a connection waiting for a place asks the others again to close when idle.
const SHED_EVERY: Duration = Duration::from_millis(100);

/// How long accepting pauses after an error other than a connection failing (such as the
/// open-file limit being reached), so the loop does not spin.
const ACCEPT_PAUSE: Duration = Duration::from_millis(200);

/// The limits on the connections of one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// HTTP connections served at once.
    pub connections: usize,
    /// Live-reload WebSockets open at once.
    pub live_reload: usize,
    /// How long a connection may take to send a whole request head, counted from its opening
    /// or from its previous response.
    pub header_read: Duration,
    /// How long a response may wait for the client to read before the connection is dropped.
    pub write_stall: Duration,
}

impl Limits {
    /// The limits for a process that may open `open_files` files (`None`: no limit).
    /// HTTP takes a quarter (between 8 and 512) and live reload a sixteenth (between 4 and 64).
    pub(crate) fn for_open_files(open_files: Option<u64>) -> Limits {
        let budget = usize::try_from(open_files.unwrap_or(u64::MAX)).unwrap_or(usize::MAX);
        Limits {
            connections: (budget / 4).clamp(8, 512),
            live_reload: (budget / 16).clamp(4, 64),
            header_read: Duration::from_secs(10),
            write_stall: Duration::from_secs(30),
        }
    }

    /// The limits for this process's current (soft) open-file limit.
    pub fn for_this_process() -> Limits {
        #[cfg(unix)]
        let open_files = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
        #[cfg(not(unix))]
        let open_files = None;
        Limits::for_open_files(open_files)
    }
}

/// Accepts connections on `listener` and serves each with `app`, within `limits`, forever.
pub(crate) async fn accept(listener: TcpListener, app: Router, limits: Limits) {
    let places = Arc::new(Semaphore::new(limits.connections));
    // Each send asks every connection open for more than SHED_AFTER to close when idle.
    let (shed, _) = watch::channel(());
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) if is_connection_error(&e) => continue,
            Err(_) => {
                tokio::time::sleep(ACCEPT_PAUSE).await;
                continue;
            }
        };
        let place = loop {
            if let Ok(place) = places.clone().try_acquire_owned() {
                break place;
            }
            shed.send_replace(());
            if let Ok(Ok(place)) =
                tokio::time::timeout(SHED_EVERY, places.clone().acquire_owned()).await
            {
                break place;
            }
        };
        let shed = shed.subscribe();
        tokio::spawn(connection(stream, app.clone(), limits, shed, place));
    }
}

/// An error of one connection (the peer gave up before it was accepted), not of the listener.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Serves one connection until it closes; its place is freed then (or at a WebSocket upgrade,
/// which ends the HTTP connection and hands the socket over).
async fn connection(
    stream: TcpStream,
    app: Router,
    limits: Limits,
    mut shed: watch::Receiver<()>,
    _place: OwnedSemaphorePermit,
) {
    let opened = Instant::now();
    let stream = Watched::new(stream);
    let stall = Arc::clone(&stream.blocked_since);
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    let conn = builder
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app))
        .with_upgrades();
    tokio::pin!(conn);
    let mut listening = true;
    // Checked a few times per `write_stall`, so a stalled write is dropped within 1.25 times
    // the limit.
    let mut watchdog =
        tokio::time::interval((limits.write_stall / 4).max(Duration::from_millis(10)));
    loop {
        tokio::select! {
            // Errors here are the peer's (a malformed request, a timeout, a reset): hyper has
            // answered what it could, and there is no one to tell.
            _ = conn.as_mut() => break,
            _ = watchdog.tick() => {
                if Watched::stalled_for(&stall, opened) >= limits.write_stall {
                    // Dropping the connection closes the socket.
                    break;
                }
            }
            changed = shed.changed(), if listening => {
                if changed.is_err() {
                    listening = false;
                } else if opened.elapsed() >= SHED_AFTER {
                    conn.as_mut().graceful_shutdown();
                    listening = false;
                }
            }
        }
    }
}

/// A client's socket that remembers since when a write has been waiting for the client to
/// read (milliseconds after the connection opened, plus one; 0 when no write waits).
struct Watched {
    stream: TcpStream,
    opened: Instant,
    blocked_since: Arc<AtomicU64>,
}

impl Watched {
    fn new(stream: TcpStream) -> Watched {
        Watched {
            stream,
            opened: Instant::now(),
            blocked_since: Arc::new(AtomicU64::new(0)),
        }
    }

    /// How long the write waiting now has waited (zero when none waits), for a connection
    /// opened at `opened`.
    fn stalled_for(blocked_since: &AtomicU64, opened: Instant) -> Duration {
        match blocked_since.load(Ordering::Relaxed) {
            0 => Duration::ZERO,
            since => opened
                .elapsed()
                .saturating_sub(Duration::from_millis(since - 1)),
        }
    }

    /// Records whether a write is waiting, keeping the moment the wait began.
    fn note<T>(&self, poll: Poll<T>) -> Poll<T> {
        if poll.is_pending() {
            let now = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX - 1);
            let _ = self.blocked_since.compare_exchange(
                0,
                now + 1,
                Ordering::Relaxed,
                Ordering::Relaxed,
            );
        } else {
            self.blocked_since.store(0, Ordering::Relaxed);
        }
        poll
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.note(poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.note(poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.stream).poll_flush(cx);
        self.note(poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_follow_the_open_file_limit() {
        let macos_default = Limits::for_open_files(Some(256));
        assert_eq!(
            (macos_default.connections, macos_default.live_reload),
            (64, 16)
        );
        let linux_default = Limits::for_open_files(Some(1024));
        assert_eq!(
            (linux_default.connections, linux_default.live_reload),
            (256, 64)
        );
        let unlimited = Limits::for_open_files(None);
        assert_eq!((unlimited.connections, unlimited.live_reload), (512, 64));
        let tiny = Limits::for_open_files(Some(20));
        assert_eq!((tiny.connections, tiny.live_reload), (8, 4));
    }
}
