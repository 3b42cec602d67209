//! Live reload: the WebSocket at `/__steppe/livereload` and the script at
//! `/__steppe/livereload.js` that every served HTML page loads.
//!
//! On connect the server sends the current state (`errors` or `ok`). A page says which build it
//! came from (`?generation=N`, from the `data-generation` of its script tag); if the site changed
//! since, the server then sends one `reload` with every URL path changed in between (`"*"` when
//! that build is too old to know), so a save made while the page was loading is not lost. Then
//! it forwards every [`Message`] that [`SiteState::publish`](super::SiteState::publish)
//! broadcasts. A browser that falls so far behind that messages were dropped is told to reload
//! (`"*"`), which is always correct. The script (`static/livereload.js`) reloads the tab only
//! when its page changed or it had fetched a changed file (a script, an image, a font, a search
//! index file: the browser knows, the server does not), keeping the scroll position; it swaps
//! stylesheets in place on CSS-only changes, shows the diagnostics overlay on `errors` and
//! removes it on `ok`, and reconnects with backoff when the server restarts.

use std::sync::Arc;

use axum::extract::ws::{self, WebSocket};
use tokio::sync::broadcast::error::RecvError;

use super::state::{Message, SiteState};

/// The browser script, embedded in the binary.
pub(crate) const SCRIPT: &str = include_str!("static/livereload.js");

/// The generation a page was served from, out of the socket's query (`generation=N`).
pub(crate) fn generation(query: Option<&str>) -> Option<u64> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("generation="))?
        .parse()
        .ok()
}

/// Drives one WebSocket until the browser goes away. `since` is the generation of the snapshot
/// the page was served from, if it said.
pub(crate) async fn connection(mut socket: WebSocket, site: Arc<SiteState>, since: Option<u64>) {
    // Subscribe before reading the state, so no publish falls between the two.
    let mut updates = site.subscribe();
    let snapshot = site.snapshot();
    let catch_up = since.and_then(|since| snapshot.changed_since(since));
    for message in std::iter::once(snapshot.status()).chain(catch_up) {
        if send(&mut socket, &message).await.is_err() {
            return;
        }
    }
    drop(snapshot);
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

#[cfg(test)]
mod tests {
    use super::generation;

    #[test]
    fn the_generation_comes_from_the_query() {
        assert_eq!(generation(Some("generation=12")), Some(12));
        assert_eq!(generation(Some("x=1&generation=3")), Some(3));
        assert_eq!(generation(Some("generation=-1")), None);
        assert_eq!(generation(Some("generation=")), None);
        assert_eq!(generation(Some("other=1")), None);
        assert_eq!(generation(None), None);
    }
}
