//! Code blocks, fenced or indented, highlighted at build time.
//!
//! The language is the first word of the fence's info string; [`languages::fence`] says what it
//! means. A language the highlighter does not know is shown as plain code and reported at the
//! info string. A block of an Obsidian plugin's language is shown as code too, and recorded in
//! [`super::super::Rendered::plugin_blocks`] instead: the build tells the author once about all
//! of them, not once per block.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, TagEnd};

use super::super::PluginBlock;
use super::super::text::{defuse, push_escaped};
use super::{Transform, diagrams};
use crate::diagnostics::{Diagnostic, Location};
use crate::parse::highlight::{Highlighted, Highlighter};
use crate::parse::languages::{self, Fence, SESSION_GRAMMAR};

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
        let fence = languages::fence(lang);
        if fence == Fence::Plain {
            html.push_str("<pre class=\"hl\"><code>");
            push_escaped(&mut html, &code);
        } else {
            html.push_str("<pre class=\"hl\" data-lang=\"");
            push_escaped(&mut html, lang);
            html.push_str("\"><code class=\"language-");
            push_escaped(&mut html, lang);
            html.push_str("\">");
            match fence {
                Fence::Code(grammar) => match self.highlighter.highlight(&code, grammar) {
                    Some(Highlighted::Spans(highlighted)) => html.push_str(&defuse(&highlighted)),
                    Some(Highlighted::TooCostly) => {
                        self.too_costly(range.start, lang);
                        push_escaped(&mut html, &code);
                    }
                    None => {
                        let location = self.info_location(range.start, lang);
                        // A misspelt name is worth a warning; a language no grammar knows
                        // (`mathjax`, a tool's own) is said once per build with all the others.
                        match self.highlighter.closest_language(lang) {
                            Some(name) => self.diagnostics.push(
                                Diagnostic::warning(format!(
                                    "unknown language `{lang}` in code block, shown without highlighting"
                                ))
                                .at(location)
                                .with_hint(format!("did you mean `{name}`?")),
                            ),
                            None => self.unknown_languages.push(PluginBlock {
                                language: lang.to_string(),
                                location,
                            }),
                        }
                        push_escaped(&mut html, &code);
                    }
                },
                Fence::Session => {
                    if !push_session(&mut html, &code, self.highlighter) {
                        self.too_costly(range.start, lang);
                    }
                }
                Fence::Plugin => {
                    let location = self.info_location(range.start, lang);
                    self.plugin_blocks.push(PluginBlock {
                        language: lang.to_string(),
                        location,
                    });
                    push_escaped(&mut html, &code);
                }
                Fence::Plain => {}
            }
        }
        html.push_str("</code></pre>\n");
        self.emit_html(html);
        j
    }
}

impl Transform<'_, '_> {
    /// Tells the author that the block whose fence starts at body offset `start` is shown plain
    /// because its grammar would cost too much on it.
    fn too_costly(&mut self, start: usize, lang: &str) {
        let location = self.info_location(start, lang);
        self.diagnostics.push(
            Diagnostic::warning(format!(
                "code block shown without highlighting: the `{lang}` grammar is too slow on this code"
            ))
            .at(location)
            .with_hint(
                "break up long lines (a long run of spaces is the usual cause), or mark the block `text`",
            ),
        );
    }

    /// Where the language `lang` is written on the fence starting at body offset `start`.
    fn info_location(&mut self, start: usize, lang: &str) -> Location {
        let at = info_offset(self.body.text, start, lang);
        self.location(at, lang.len())
    }
}

/// A shell session: each command after its prompt is highlighted as shell, a command ending in
/// `\` goes on on the next line, and every other line is output, shown as it is. The prompt is
/// marked (`<span class="prompt">`) so a theme can keep it out of copied text. False when a
/// command was too costly to highlight (it is then shown plain).
fn push_session(html: &mut String, code: &str, highlighter: &Highlighter) -> bool {
    let mut within_budget = true;
    let mut continued = false;
    for line in code.split_inclusive('\n') {
        let command = if continued {
            Some(("", line))
        } else {
            split_prompt(line)
        };
        let Some((prompt, command)) = command else {
            push_escaped(html, line);
            continue;
        };
        if !prompt.is_empty() {
            html.push_str("<span class=\"prompt\">");
            push_escaped(html, prompt);
            html.push_str("</span>");
        }
        match highlighter.highlight(command, SESSION_GRAMMAR) {
            Some(Highlighted::Spans(highlighted)) => html.push_str(&defuse(&highlighted)),
            Some(Highlighted::TooCostly) => {
                within_budget = false;
                push_escaped(html, command);
            }
            None => push_escaped(html, command),
        }
        continued = command.trim_end().ends_with('\\');
    }
    within_budget
}

/// Splits a session line into its prompt (with the space after it) and its command, if it
/// starts with one: `$`, `#`, `%` or `❯` alone or ending a `user@host:~` word, optionally after
/// a `(venv)` word.
fn split_prompt(line: &str) -> Option<(&str, &str)> {
    let mut start = 0;
    let mut rest = line;
    if rest.starts_with('(')
        && let Some(space) = rest.find(' ')
        && rest[..space].ends_with(')')
    {
        start = space + 1;
        rest = &rest[space + 1..];
    }
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let word = &rest[..end];
    let prompt_char = word.ends_with(['$', '#', '%', '\u{276F}']);
    let alone = word.chars().count() == 1;
    if !prompt_char || !(alone || word.contains(['@', ':', '~'])) {
        return None;
    }
    // The prompt takes the one space after it; a bare prompt line is a prompt with no command.
    let command_start = start + end + usize::from(rest[end..].starts_with([' ', '\t']));
    if command_start == start + end && !rest[end..].trim().is_empty() {
        return None;
    }
    Some(line.split_at(command_start))
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
