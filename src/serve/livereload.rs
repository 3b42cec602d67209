//! Live reload: the WebSocket at `/__steppe/livereload` and the script at
//! `/__steppe/livereload.js` that every served HTML page loads.
//!
//! On connect the server sends the current state (`errors` or `ok`), then forwards every
//! [`Message`] that [`SiteState::publish`](super::SiteState::publish) broadcasts. A browser that
//! falls so far behind that messages were dropped is told to reload (`"*"`), which is always
//! correct. The script (`static/livereload.js`) reloads the tab only when its page changed
//! (keeping the scroll position), swaps stylesheets in place on CSS-only changes, shows the
//! diagnostics overlay on `errors` and removes it on `ok`, and reconnects with backoff when the
//! server restarts.

use std::sync::Arc;

use axum::extract::ws::{self, WebSocket};
use tokio::sync::broadcast::error::RecvError;

use super::state::{Message, SiteState};

/// The browser script, embedded in the binary.
pub const SCRIPT: &str = include_str!("static/livereload.js");

/// Drives one WebSocket until the browser goes away.
pub async fn connection(mut socket: WebSocket, site: Arc<SiteState>) {
    // Subscribe before reading the state, so no publish falls between the two.
    let mut updates = site.subscribe();
    let status = site.snapshot().status();
    if send(&mut socket, &status).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            update = updates.recv() => {
                let message = match update {
                    Ok(message) => message,
                    Err(RecvError::Lagged(_)) => Message::Reload(vec!["*".to_string()]),
                    Err(RecvError::Closed) => break,
                };
                if send(&mut socket, &message).await.is_err() {
                    break;
                }
            }
            incoming = socket.recv() => match incoming {
                // The browser sends nothing but pings and the close handshake.
                Some(Ok(ws::Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
        }
    }
}

async fn send(socket: &mut WebSocket, message: &Message) -> Result<(), axum::Error> {
    socket
        .send(ws::Message::Text(message.to_json().into()))
        .await
}
