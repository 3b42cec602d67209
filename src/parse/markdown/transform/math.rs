//! Math: `$…$` and `$$…$$` (with `[markdown] math`) rendered to MathML at build time by
//! pulldown-latex, so pages need no script. A formula that does not parse is shown as its
//! source and reported.
//!
//! pulldown-latex copies some of the formula's text into its output as is (the argument of
//! `\operatorname`, `\mathop`, `\text`), so `$\operatorname{<img onerror=…>}$` would put markup
//! in the page. Its MathML is therefore passed through [`only_mathml`]: every tag that is not a
//! MathML element with harmless attributes is escaped into text.

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
                if let std::borrow::Cow::Owned(safe) = only_mathml(&html) {
                    html = safe;
                }
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

/// MathML elements pulldown-latex writes, and the rest of presentation MathML. Not `maction`,
/// `mglyph` or `annotation-xml`, which can hold or load other content.
const ELEMENTS: &[&str] = &[
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "msqrt",
    "mroot",
    "mfrac",
    "msub",
    "msup",
    "msubsup",
    "munder",
    "mover",
    "munderover",
    "mmultiscripts",
    "mprescripts",
    "none",
    "mtable",
    "mtr",
    "mtd",
    "mlabeledtr",
    "mstyle",
    "merror",
    "mpadded",
    "mphantom",
    "menclose",
];

/// Attributes those elements may carry: presentation only, nothing that loads or runs.
const ATTRIBUTES: &[&str] = &[
    "accent",
    "accentunder",
    "class",
    "columnalign",
    "columnlines",
    "columnspacing",
    "depth",
    "display",
    "displaystyle",
    "encoding",
    "fence",
    "form",
    "frame",
    "height",
    "largeop",
    "linethickness",
    "lspace",
    "mathvariant",
    "maxsize",
    "minsize",
    "movablelimits",
    "notation",
    "rowalign",
    "rowlines",
    "rowspacing",
    "rspace",
    "scriptlevel",
    "separator",
    "stretchy",
    "style",
    "symmetric",
    "width",
    "xmlns",
];

/// `html` with every `<` that does not open or close an allowed MathML element (with allowed,
/// double-quoted attributes whose values hold no markup) written as `&lt;`.
pub(super) fn only_mathml(html: &str) -> std::borrow::Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        match allowed_tag_len(&html[start..]) {
            Some(len) => at = start + len,
            None => {
                out.push_str(&html[copied..start]);
                out.push_str("&lt;");
                copied = start + 1;
                at = start + 1;
            }
        }
    }
    if copied == 0 {
        return html.into();
    }
    out.push_str(&html[copied..]);
    out.into()
}

/// The length of the allowed tag `text` starts with, if it starts with one.
fn allowed_tag_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_len = text[i..]
        .bytes()
        .take_while(|b| b.is_ascii_lowercase() || *b == b'-')
        .count();
    if !ELEMENTS.contains(&&text[i..i + name_len]) {
        return None;
    }
    i += name_len;
    loop {
        match bytes.get(i)? {
            b'>' => return Some(i + 1),
            b'/' if !closing && bytes.get(i + 1) == Some(&b'>') => return Some(i + 2),
            b' ' if !closing => {
                i += 1;
                if matches!(bytes.get(i), Some(b'/' | b'>')) {
                    continue;
                }
                let name_len = text[i..]
                    .bytes()
                    .take_while(|b| b.is_ascii_lowercase() || *b == b'-')
                    .count();
                if !ATTRIBUTES.contains(&&text[i..i + name_len]) {
                    return None;
                }
                i += name_len;
                if text[i..].starts_with("=\"") {
                    i += 2;
                    let value_len = text[i..].find('"')?;
                    let value = &text[i..i + value_len];
                    if value.contains(['<', '>']) || value.contains("url(") {
                        return None;
                    }
                    i += value_len + 1;
                }
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{latex_to_mathml, only_mathml};

    #[test]
    fn markup_in_a_formula_stays_text() {
        for source in [
            r"\operatorname{<img src=x onerror=alert(1)>}",
            r"\mathop{<img src=x onerror=alert(1)>}",
            r"\text{<script>alert(1)</script>}",
            r"\operatorname{</mi><img src=x onerror=alert(1)><mi>}",
            r"\mathop{<mi onclick=alert(1)>x</mi>}",
        ] {
            let Ok(html) = latex_to_mathml(source, false) else {
                continue;
            };
            let safe = only_mathml(&html);
            assert!(!safe.contains("<img"), "{source}: {safe}");
            assert!(!safe.contains("<script"), "{source}: {safe}");
            assert!(!safe.contains("<mi onclick"), "{source}: {safe}");
        }
    }

    #[test]
    fn ordinary_formulas_are_left_alone() {
        for source in [
            r"E = mc^2",
            r"\frac{a}{b} + \sqrt[3]{x_1^2}",
            r"\sum_{i=0}^{n} i = \frac{n(n+1)}{2}",
            r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}",
            r"\begin{cases} x & x > 0 \\ -x & \text{otherwise} \end{cases}",
            r"\color{red} x \quad \mathbb{R} \to \mathcal{L} \hat{a} \overline{ab}",
            r"\begin{align} a &= b \\ c &= d \end{align}",
            r"\left( \int_0^\infty e^{-x} dx \right) \leq 2",
            r"\operatorname{argmax}_x f(x) \; \text{if } x \neq 0",
        ] {
            let html = latex_to_mathml(source, true).unwrap();
            assert_eq!(only_mathml(&html), html, "{source}");
        }
        // pulldown-latex writes a less-than sign as is; it becomes a character reference.
        let html = latex_to_mathml("a < b", false).unwrap();
        assert_eq!(
            only_mathml(&html),
            html.replace("<mo><</mo>", "<mo>&lt;</mo>")
        );
    }
}
