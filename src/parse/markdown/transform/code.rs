//! Code blocks, fenced or indented, highlighted at build time.
//!
//! The language is the first word of the fence's info string. A language the highlighter does
//! not know is shown as plain code and reported at the info string.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, TagEnd};

use super::super::text::{defuse, push_escaped};
use super::{Transform, diagrams};
use crate::diagnostics::Diagnostic;

/// Languages that mean "no highlighting" without a warning.
const PLAIN_LANGUAGES: [&str; 5] = ["text", "txt", "plain", "plaintext", "none"];

impl<'a> Transform<'a, '_> {
    /// Renders the code block starting at event `next - 1` and returns the index after its end.
    pub(super) fn code_block(
        &mut self,
        kind: CodeBlockKind<'a>,
        range: Range<usize>,
        next: usize,
    ) -> usize {
        self.block_boundary();
        let mut code: Cow<'a, str> = Cow::Borrowed("");
        let mut j = next;
        while j < self.events.len() {
            let (event, _) = self.take(j);
            j += 1;
            match event {
                Event::Text(t) => match t {
                    CowStr::Borrowed(b) if code.is_empty() => code = Cow::Borrowed(b),
                    other => code.to_mut().push_str(&other),
                },
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        let info: &str = match &kind {
            CodeBlockKind::Fenced(info) => info,
            CodeBlockKind::Indented => "",
        };
        let lang = info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .unwrap_or("");
        if diagrams::is_diagram(lang) {
            self.diagram(&code);
            return j;
        }
        let mut html = String::with_capacity(code.len() * 3 + 64);
        if lang.is_empty() || PLAIN_LANGUAGES.iter().any(|p| lang.eq_ignore_ascii_case(p)) {
            html.push_str("<pre class=\"hl\"><code>");
            push_escaped(&mut html, &code);
        } else {
            html.push_str("<pre class=\"hl\" data-lang=\"");
            push_escaped(&mut html, lang);
            html.push_str("\"><code class=\"language-");
            push_escaped(&mut html, lang);
            html.push_str("\">");
            match self.highlighter.highlight(&code, lang) {
                Some(highlighted) => html.push_str(&defuse(&highlighted)),
                None => {
                    let at = info_offset(self.body.text, range.start, lang);
                    let location = self.location(at, lang.len());
                    self.diagnostics.push(
                        Diagnostic::warning(format!(
                            "unknown language `{lang}` in code block, shown without highlighting"
                        ))
                        .at(location)
                        .with_hint(
                            "use a known name such as `rust`, `python`, `js`, `toml`, or `text` for plain text",
                        ),
                    );
                    push_escaped(&mut html, &code);
                }
            }
        }
        html.push_str("</code></pre>\n");
        self.emit_html(html);
        j
    }
}

/// Body offset of the info string of the fence starting at `start` in `body`.
fn info_offset(body: &str, start: usize, lang: &str) -> usize {
    let Some(source) = body.get(start..) else {
        return start;
    };
    let fence = source.trim_start_matches([' ', '\t']);
    let after_fence = fence.trim_start_matches(['`', '~']);
    let info = after_fence.trim_start_matches([' ', '\t']);
    if info.starts_with(lang) {
        start + (source.len() - info.len())
    } else {
        start
    }
}
