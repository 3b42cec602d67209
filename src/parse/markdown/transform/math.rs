//! Math: `$…$` and `$$…$$` (with `[markdown] math`) rendered to MathML at build time by
//! pulldown-latex, so pages need no script. A formula that does not parse is shown as its
//! source and reported.

use std::ops::Range;

use super::super::text::{defuse, has_sentinel, push_escaped};
use super::Transform;
use crate::diagnostics::Diagnostic;

impl Transform<'_, '_> {
    pub(super) fn math(&mut self, source: &str, display: bool, range: Range<usize>) {
        self.inline.tag_boundary = false;
        self.ctx_append(source);
        // pulldown-latex 0.8 can panic on some malformed input (e.g. `\char` before a non-ASCII
        // character); one bad formula must not take the build down, so it is contained here.
        let rendered = std::panic::catch_unwind(|| latex_to_mathml(source, display))
            .unwrap_or_else(|_| Err("the LaTeX parser failed on this formula".to_string()));
        let (mut html, error) = match rendered {
            Ok(html) => (html, None),
            Err(error) => (String::new(), Some(error)),
        };
        match error {
            None => {
                if has_sentinel(&html) {
                    html = defuse(&html).into_owned();
                }
            }
            Some(error) => {
                html.clear();
                html.push_str("<code class=\"math-error\">");
                push_escaped(&mut html, source);
                html.push_str("</code>");
                let location = self.location(range.start, range.len());
                self.diagnostics.push(
                    Diagnostic::error(format!("cannot render math: {error}"))
                        .at(location)
                        .with_hint("check the LaTeX: braces must balance and commands must be known to pulldown-latex"),
                );
            }
        }
        self.emit_html(html);
    }
}

/// MathML for one formula, or pulldown-latex's first error message.
fn latex_to_mathml(source: &str, display: bool) -> Result<String, String> {
    let storage = pulldown_latex::Storage::new();
    let events: Vec<_> = pulldown_latex::Parser::new(source, &storage).collect();
    if let Some(error) = events.iter().find_map(|e| e.as_ref().err()) {
        let message = error.to_string();
        let first = message.lines().next().unwrap_or("").trim();
        return Err(first
            .strip_prefix("parsing error: ")
            .unwrap_or(first)
            .to_string());
    }
    let config = pulldown_latex::RenderConfig {
        display_mode: if display {
            pulldown_latex::config::DisplayMode::Block
        } else {
            pulldown_latex::config::DisplayMode::Inline
        },
        ..Default::default()
    };
    let mut html = String::with_capacity(source.len() * 8 + 64);
    pulldown_latex::push_mathml(&mut html, events.into_iter(), config)
        .map_err(|e| e.to_string())?;
    Ok(html)
}
