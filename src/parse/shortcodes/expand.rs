//! A body's calls put in place: `.md` outputs as Markdown, `.html` outputs as placeholders the
//! Markdown transform fills in (see the module docs of [`super`]), with the [`Splices`] that map
//! offsets in the expanded text back to the body, so diagnostics keep their columns.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::call::{Call, TokenKind, scan};
use super::{BODY_MARK, Kind, MAX_CALLS, MAX_DEPTH, MAX_EXPANDED, Refusal, Shortcodes};
use crate::diagnostics::{Diagnostic, Location};

/// A body with its calls expanded.
#[derive(Debug)]
pub(crate) struct Expansion {
    /// The Markdown to parse.
    pub(crate) text: String,
    pub(crate) splices: Splices,
    /// `.html` outputs, by placeholder number.
    pub(crate) outputs: Vec<String>,
    /// What makes this body's placeholders its own: a hash of the body.
    pub(crate) nonce: String,
    /// The shortcodes called (unknown names too), sorted.
    pub(crate) called: Vec<String>,
}

/// Where text was replaced: in the new text at `at`, `len` bytes stand for `from_len` bytes at
/// `from` of the old text. Sorted by `at`.
#[derive(Debug, Default)]
pub(crate) struct Splices(Vec<Splice>);

#[derive(Debug)]
struct Splice {
    at: usize,
    len: usize,
    from: usize,
    from_len: usize,
}

impl Splices {
    /// The offset and length in the old text of `len` bytes at `offset` of the new one. A range
    /// inside a replacement is the whole call it replaced.
    pub(crate) fn original(&self, offset: usize, len: usize) -> (usize, usize) {
        if self.0.is_empty() {
            return (offset, len);
        }
        let start = self.point(offset, false);
        let end = self.point(offset + len, true).max(start);
        (start, end - start)
    }

    fn point(&self, p: usize, is_end: bool) -> usize {
        let k = self
            .0
            .partition_point(|s| if is_end { s.at < p } else { s.at <= p });
        let Some(s) = k.checked_sub(1).map(|k| &self.0[k]) else {
            return p;
        };
        if p < s.at + s.len || (is_end && p <= s.at + s.len) {
            return if is_end { s.from + s.from_len } else { s.from };
        }
        p - (s.at + s.len) + s.from + s.from_len
    }
}

/// The placeholder of `.html` output `index` in a body with `nonce`.
pub(crate) fn placeholder(index: usize, nonce: &str) -> String {
    format!("\u{E000}c{index}.{nonce}\u{E001}")
}

/// Expands the calls of `body` (comments cut out). `None` when it has none: a body without `{{`
/// or `{%` costs two substring searches. `locate` turns a range of `body` into a location.
pub(crate) fn expand(
    body: &str,
    options: Options,
    shortcodes: &Shortcodes,
    locate: &mut dyn FnMut(usize, usize) -> Location,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Expansion> {
    if !body.contains("{{") && !body.contains("{%") {
        return None;
    }
    let nonce = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(body.as_bytes()));
    let mut state = State {
        shortcodes,
        options,
        outputs: Vec::new(),
        nonce,
        called: HashSet::new(),
        nth: HashMap::new(),
        calls: 0,
        size: body.len(),
        stopped: false,
        locate,
        diagnostics,
    };
    let (text, splices, any) = state.level(body, 0, None);
    if !any {
        return None;
    }
    Some(Expansion {
        text,
        splices,
        outputs: state.outputs,
        nonce: state.nonce,
        called: super::called(state.called),
    })
}

struct State<'s, 'l> {
    shortcodes: &'s Shortcodes,
    options: Options,
    outputs: Vec<String>,
    nonce: String,
    called: HashSet<String>,
    nth: HashMap<String, usize>,
    calls: usize,
    /// Bytes of Markdown and outputs so far.
    size: usize,
    /// A page-wide limit was reached (and reported): the remaining calls expand to nothing.
    stopped: bool,
    locate: &'l mut dyn FnMut(usize, usize) -> Location,
    diagnostics: &'l mut Vec<Diagnostic>,
}

/// The text being written, and the splices made.
struct Writer<'t> {
    text: &'t str,
    out: String,
    splices: Vec<Splice>,
    /// Bytes of `text` copied or replaced so far.
    done: usize,
}

impl Writer<'_> {
    fn replace(&mut self, range: Range<usize>, with: &str) {
        self.out.push_str(&self.text[self.done..range.start]);
        self.splices.push(Splice {
            at: self.out.len(),
            len: with.len(),
            from: range.start,
            from_len: range.len(),
        });
        self.out.push_str(with);
        self.done = range.end;
    }
}

impl State<'_, '_> {
    /// Expands `text` at nesting `depth` of `.md` outputs; `origin` is the top-level call
    /// whose output this is, where its problems are reported. Returns the text, its splices, and
    /// whether it had any call at all.
    fn level(
        &mut self,
        text: &str,
        depth: usize,
        origin: Option<&Range<usize>>,
    ) -> (String, Splices, bool) {
        // Code only takes calls away: a body whose text has none (`{{date}}` in a note) is
        // not parsed for its code.
        let (tokens, errors) = scan(text, &[]);
        if tokens.is_empty() && errors.is_empty() {
            return (text.to_string(), Splices::default(), false);
        }
        let code = code_ranges(text, self.options);
        let (tokens, errors) = scan(text, &code);
        for error in &errors {
            let at = origin.unwrap_or(&error.at).clone();
            let location = (self.locate)(at.start, at.len());
            self.diagnostics.push(
                Diagnostic::error(error.message.clone())
                    .at(location)
                    .with_hint(error.hint),
            );
        }
        if tokens.is_empty() {
            return (text.to_string(), Splices::default(), !errors.is_empty());
        }
        let Some(partners) = self.partners(&tokens, origin) else {
            return (text.to_string(), Splices::default(), true);
        };
        let mut w = Writer {
            text,
            out: String::with_capacity(text.len() + 64),
            splices: Vec::new(),
            done: 0,
        };
        // Token index of an `{% end %}` → what replaces it.
        let mut closes: HashMap<usize, String> = HashMap::new();
        let mut i = 0;
        while i < tokens.len() {
            let token = &tokens[i];
            let at = |r: &Range<usize>| origin.unwrap_or(r).clone();
            match &token.kind {
                TokenKind::Literal(literal) => w.replace(token.range.clone(), literal),
                TokenKind::End => {
                    let with = match closes.remove(&i) {
                        Some(with) => with,
                        None => {
                            if partners[i].is_none() {
                                self.error_at(
                                    at(&token.range),
                                    "`{% end %}` closes no shortcode".into(),
                                    "remove it, or open a body before it with `{% name(…) %}`",
                                );
                            }
                            String::new()
                        }
                    };
                    w.replace(token.range.clone(), &with);
                }
                TokenKind::Inline(call) => {
                    let with = match self.call(call, None, depth, origin) {
                        Some(Output::Markdown(markdown)) => markdown,
                        Some(Output::Html(html)) => {
                            self.placeholder(html, alone(text, &token.range))
                        }
                        None => String::new(),
                    };
                    w.replace(token.range.clone(), &with);
                }
                TokenKind::Open(call) => {
                    let Some(end) = partners[i] else {
                        self.error_at(
                            at(&call.name_range),
                            format!("shortcode `{}` is never closed", call.name),
                            "end its body with `{% end %}`",
                        );
                        w.replace(token.range.clone(), "");
                        i += 1;
                        continue;
                    };
                    let whole = token.range.start..tokens[end].range.end;
                    // A `.html` template renders around a mark, cut out afterwards: the body
                    // stays in the page as its own Markdown.
                    let body = match self.shortcodes.kind(&call.name) {
                        Some(Kind::Html) => BODY_MARK,
                        _ => &text[token.range.end..tokens[end].range.start],
                    };
                    match self.call(call, Some(body), depth, origin) {
                        Some(Output::Markdown(markdown)) => {
                            w.replace(whole, &markdown);
                            i = end + 1;
                            continue;
                        }
                        Some(Output::Html(html)) => {
                            let block =
                                alone(text, &token.range) && alone(text, &tokens[end].range);
                            match html.matches(BODY_MARK).count() {
                                0 => {
                                    let with = self.placeholder(html, block);
                                    w.replace(whole, &with);
                                    i = end + 1;
                                    continue;
                                }
                                1 => {
                                    let (before, after) =
                                        html.split_once(BODY_MARK).unwrap_or_default();
                                    let (before, after) = (before.to_string(), after.to_string());
                                    let open = self.placeholder(before, block);
                                    let close = self.placeholder(after, block);
                                    w.replace(token.range.clone(), &open);
                                    closes.insert(end, close);
                                }
                                n => {
                                    self.error_at(
                                        at(&call.name_range),
                                        format!(
                                            "the template of `{}` shows `body` {n} times",
                                            call.name
                                        ),
                                        "a body is the page's own Markdown: show `{{ body }}` once",
                                    );
                                    w.replace(whole, "");
                                    i = end + 1;
                                    continue;
                                }
                            }
                        }
                        None => {
                            w.replace(whole, "");
                            i = end + 1;
                            continue;
                        }
                    }
                }
            }
            i += 1;
        }
        w.out.push_str(&text[w.done..]);
        (w.out, Splices(w.splices), true)
    }

    /// For each `{% name() %}` and `{% end %}` token, its partner; `None` (reported) when
    /// bodies nest deeper than [`MAX_DEPTH`].
    fn partners(
        &mut self,
        tokens: &[super::call::Token],
        origin: Option<&Range<usize>>,
    ) -> Option<Vec<Option<usize>>> {
        let mut partners = vec![None; tokens.len()];
        let mut open: Vec<usize> = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            match &token.kind {
                TokenKind::Open(call) => {
                    if open.len() == MAX_DEPTH {
                        self.error_at(
                            origin.unwrap_or(&call.name_range).clone(),
                            format!("shortcode bodies nest more than {MAX_DEPTH} deep here"),
                            "close some of the bodies before opening more",
                        );
                        return None;
                    }
                    open.push(i);
                }
                TokenKind::End => {
                    if let Some(o) = open.pop() {
                        partners[o] = Some(i);
                        partners[i] = Some(o);
                    }
                }
                TokenKind::Inline(_) | TokenKind::Literal(_) => {}
            }
        }
        Some(partners)
    }

    /// Renders one call, checking the page's limits; `None` when it renders nothing (reported).
    fn call(
        &mut self,
        call: &Call,
        body: Option<&str>,
        depth: usize,
        origin: Option<&Range<usize>>,
    ) -> Option<Output> {
        self.called.insert(call.name.clone());
        if self.stopped {
            return None;
        }
        let at = origin.unwrap_or(&call.name_range).clone();
        self.calls += 1;
        if self.calls > MAX_CALLS {
            self.stop(
                at,
                format!("this page calls shortcodes more than {MAX_CALLS} times"),
            );
            return None;
        }
        let nth = self.nth.entry(call.name.clone()).or_insert(0);
        *nth += 1;
        let nth = *nth;
        match self.shortcodes.render(call, body, nth) {
            Ok((kind, output)) => {
                self.size += output.len();
                if self.size > MAX_EXPANDED {
                    self.stop(
                        at,
                        format!(
                            "shortcodes make this page larger than {} MiB",
                            MAX_EXPANDED >> 20
                        ),
                    );
                    return None;
                }
                match kind {
                    Kind::Html => Some(Output::Html(output)),
                    Kind::Markdown if depth + 1 >= MAX_DEPTH => {
                        self.stopped = true;
                        self.error_at(
                            at,
                            format!(
                                "shortcodes call shortcodes more than {MAX_DEPTH} deep from here"
                            ),
                            "a `.md` shortcode whose output calls itself never ends: break the cycle",
                        );
                        None
                    }
                    Kind::Markdown => {
                        let origin = origin.unwrap_or(&call.name_range).clone();
                        let (markdown, _, _) = self.level(&output, depth + 1, Some(&origin));
                        Some(Output::Markdown(markdown))
                    }
                }
            }
            Err(Refusal::Silent) => None,
            Err(Refusal::AtName(message, hint, note)) => {
                let location = (self.locate)(at.start, at.len());
                let mut diagnostic = Diagnostic::error(message).at(location).with_hint(hint);
                if let Some(note) = note {
                    diagnostic = diagnostic.with_note(*note);
                }
                self.diagnostics.push(diagnostic);
                None
            }
            Err(Refusal::AtArg(range, message, hint)) => {
                let at = origin.unwrap_or(&range).clone();
                let location = (self.locate)(at.start, at.len());
                self.diagnostics
                    .push(Diagnostic::error(message).at(location).with_hint(hint));
                None
            }
        }
    }

    fn stop(&mut self, at: Range<usize>, message: String) {
        self.stopped = true;
        self.error_at(
            at,
            message,
            "the rest of its shortcodes are left out: call fewer, or make them smaller",
        );
    }

    fn error_at(&mut self, at: Range<usize>, message: String, hint: &str) {
        let location = (self.locate)(at.start, at.len());
        self.diagnostics
            .push(Diagnostic::error(message).at(location).with_hint(hint));
    }

    /// Keeps `html` aside and returns the Markdown standing for it: an HTML comment when the
    /// call has its lines to itself (a block of its own), else a sentinel in the text.
    fn placeholder(&mut self, html: String, block: bool) -> String {
        let index = self.outputs.len();
        self.outputs.push(html);
        let mark = placeholder(index, &self.nonce);
        if block {
            format!("<!--{mark}-->")
        } else {
            mark
        }
    }
}

enum Output {
    Html(String),
    Markdown(String),
}

/// Whether `range` of `text` has its lines to itself: only spaces (and block quote markers)
/// before it on its first line, only spaces after it on its last.
fn alone(text: &str, range: &Range<usize>) -> bool {
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..range.start]
        .chars()
        .all(|c| c == ' ' || c == '\t' || c == '>');
    let line_end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |i| range.end + i);
    before && text[range.end..line_end].trim().is_empty()
}

/// Byte ranges of the code spans and code blocks of `text`, in order: calls there are code.
fn code_ranges(text: &str, options: Options) -> Vec<Range<usize>> {
    Parser::new_ext(text, options)
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Code(_) | Event::Start(Tag::CodeBlock(_))))
        .map(|(_, range)| range)
        .collect()
}
