//! `steppe serve`: the site served over HTTP from memory, with live reload.
//!
//! [`watch_and_serve`] is the whole command: the binary parses arguments and calls it. The
//! rebuild pipeline (watching files, rebuilding) publishes each build into a [`SiteState`]; the
//! server answers every request from the snapshot current at that instant and tells open browser
//! tabs what changed.
//!
//! - [`session`]: [`watch_and_serve`], the threads and the state they own: the rebuild thread
//!   (watcher and rebuilder), the search thread, the server; panics in a rebuild reported;
//! - [`rebuild`]: the [`Rebuilder`](rebuild::Rebuilder), full-rebuild semantics over memoized
//!   stages;
//! - [`watch`]: the file watcher, which only says *that* something changed;
//! - [`state`]: [`SiteState`], [`Snapshot`](state::Snapshot), [`SiteState::publish`] and the
//!   live-reload [`Message`]s it broadcasts;
//! - [`server`]: [`bind`] (port fallback), [`Bound::serve`](server::Bound::serve), the
//!   [`router`] with its Host/Origin checks (DNS rebinding) and file lookup;
//! - [`connections`]: [`Limits`] on the sockets held open (header read timeout, caps), so
//!   idle or slow clients never starve requests or the rebuild of file descriptors;
//! - [`paths`]: strict path decoding that refuses traversal, content types, script injection;
//! - [`livereload`]: the WebSocket at `/__steppe/livereload` and the browser script at
//!   `/__steppe/livereload.js`.
//!
//! Everything the server adds lives under `/__steppe/`, so it never clashes with site paths.
//! HTML pages get the live-reload script at serve time; the stored bytes stay exactly those
//! `steppe build` writes.
//!
//! ```no_run
//! # async fn example(outputs: Vec<steppe::files::Output>) -> Result<(), steppe::diagnostics::Diagnostic> {
//! use std::sync::Arc;
//! use steppe::serve::{SiteState, bind};
//!
//! let site = Arc::new(SiteState::new());
//! site.publish(outputs, Vec::new());
//! let bound = bind("127.0.0.1", 1111).await?;
//! println!("serving at {}", bound.url());
//! bound.serve(site).await
//! # }
//! ```

pub(crate) mod connections;
pub(crate) mod livereload;
pub(crate) mod paths;
pub mod rebuild;
pub(crate) mod server;
pub(crate) mod session;
pub(crate) mod state;
pub(crate) mod watch;

pub use connections::Limits;
pub use server::{bind, router};
pub use session::{ServeSettings, watch_and_serve};
pub use state::{Message, SiteState};
