//! Diagram code blocks (```` ```mermaid ````), drawn in the browser.
//!
//! A diagram is not highlighted and not reported as an unknown language: its source is written
//! as plain text in `<pre class="diagram" data-lang="mermaid">`, which is what a reader without
//! JavaScript sees. (Not `class="mermaid"`: mermaid's script would draw such elements by itself
//! on load, from their markup; the theme's `diagrams.js` draws from their text, and again when
//! the colour theme changes.) The theme loads its diagram script only on pages whose body (or an
//! embedded note) has such a block, which is why the document records [`Diagrams::mermaid`].

use super::super::text::push_escaped;
use super::Transform;

/// The opening tag of a diagram block, exactly as written here: render looks for it in embedded
/// notes' HTML.
pub(crate) const MERMAID_OPEN: &str = "<pre class=\"diagram\" data-lang=\"mermaid\">";

/// What the document holds in diagrams.
#[derive(Default)]
pub(super) struct Diagrams {
    /// A ```` ```mermaid ```` block was written.
    pub(super) mermaid: bool,
}

/// Whether a fence language names a diagram rather than code.
pub(super) fn is_diagram(lang: &str) -> bool {
    lang.eq_ignore_ascii_case("mermaid")
}

impl Transform<'_, '_> {
    /// Writes the diagram source `code` as escaped text for the theme's script to draw.
    pub(super) fn diagram(&mut self, code: &str) {
        self.diagrams.mermaid = true;
        let mut html = String::with_capacity(code.len() + 48);
        html.push_str(MERMAID_OPEN);
        html.push_str("<code>");
        push_escaped(&mut html, code);
        html.push_str("</code></pre>\n");
        self.emit_html(html);
    }
}
