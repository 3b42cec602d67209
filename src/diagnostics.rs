//! Author-facing diagnostics: what went wrong, where, and how to fix it.
//!
//! Every stage reports problems as [`Diagnostic`] values instead of returning early, so one build
//! reports all of its errors together. A diagnostic is self-contained: it carries the text of the
//! source line it points at, so it can be printed (terminal, JSON, browser overlay) without going
//! back to the file system.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

pub(crate) mod tera_errors;

/// How bad a diagnostic is. Errors fail the build; warnings are printed and the build goes on;
/// notes tell the author something worth knowing about a build that is fine (`--quiet` hides
/// them, and they are not counted as warnings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// A place in a source file. `line` and `column` are 1-based; `column` counts characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    /// Path as the author knows it: relative to the site root where possible.
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    /// Number of characters the caret underlines (at least 1).
    pub len: usize,
    /// The whole source line, without its line ending. Shared: every link on one long line
    /// points at the same text instead of a copy each.
    #[serde(skip)]
    pub line_text: Arc<str>,
}

impl Location {
    /// Location of `byte_len` bytes starting at `offset` in `text` (the whole file).
    /// Offsets past the end or inside a character are clamped, never a panic.
    pub(crate) fn from_offset(path: &Path, text: &str, offset: usize, byte_len: usize) -> Location {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line_text = text[line_start..line_end].trim_end_matches('\r');
        let line = text[..line_start].matches('\n').count() + 1;
        let column = text[line_start..offset].chars().count() + 1;
        let end = floor_char_boundary(text, (offset + byte_len).min(line_start + line_text.len()));
        let len = text[offset..end.max(offset)].chars().count().max(1);
        Location {
            path: path.to_path_buf(),
            line,
            column,
            len,
            line_text: line_text.into(),
        }
    }

    /// Location of a 1-based `line` and `column` in `text`, underlining `len` characters.
    pub fn from_line_column(
        path: &Path,
        text: &str,
        line: usize,
        column: usize,
        len: usize,
    ) -> Location {
        let line_text = text
            .split('\n')
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .trim_end_matches('\r');
        Location {
            path: path.to_path_buf(),
            line: line.max(1),
            column: column.max(1),
            len: len.max(1),
            line_text: line_text.into(),
        }
    }

    /// A location for a whole file, when no finer position exists (an unreadable file, say).
    pub(crate) fn file(path: &Path) -> Location {
        Location {
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            len: 0,
            line_text: "".into(),
        }
    }

    fn has_position(&self) -> bool {
        self.line > 0
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem found in the author's input.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub location: Option<Box<Location>>,
    pub hint: Option<String>,
    /// A second place the problem involves: the shortcode template whose rendering failed for
    /// a call, shown below the call's snippet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Box<Note>>,
}

/// Something said about another place than the diagnostic's own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Note {
    pub message: String,
    pub location: Location,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = &self.location;
        if l.has_position() {
            write!(
                f,
                "{} ({}:{}:{})",
                self.message,
                l.path.display(),
                l.line,
                l.column
            )
        } else {
            write!(f, "{} ({})", self.message, l.path.display())
        }
    }
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            hint: None,
            note: None,
        }
    }

    pub(crate) fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub(crate) fn note(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(Box::new(location));
        self
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn with_note(mut self, note: Note) -> Diagnostic {
        self.note = Some(Box::new(note));
        self
    }

    pub(crate) fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Sort key that orders a build's diagnostics by file, then position.
    pub(crate) fn sort_key(&self) -> (Option<&Path>, usize, usize, &str) {
        match &self.location {
            Some(l) => (
                Some(l.path.as_path()),
                l.line,
                l.column,
                self.message.as_str(),
            ),
            None => (None, 0, 0, self.message.as_str()),
        }
    }

    /// Renders the diagnostic the way rustc does: header, `-->` location, caret snippet, hint.
    /// To render many, use a [`Printer`].
    pub fn render(&self, color: bool) -> String {
        Printer::default().render(self, color)
    }
}

/// Renders diagnostics, in time linear in their number: a line shared by many of them (thousands
/// of broken links on one line) is indexed once, and each snippet shows a window of the line
/// around its caret rather than the whole line.
#[derive(Default)]
pub(crate) struct Printer {
    /// Byte offset of each character of long lines, by the address of the shared line text
    /// (kept alive here, so the address is not reused).
    long_lines: std::collections::HashMap<usize, (Arc<str>, Vec<usize>)>,
}

/// Lines longer than this many bytes are shown as a window around the caret.
const LONG_LINE: usize = 1024;
/// Bytes of context kept on each side of the caret in a long line.
const CONTEXT: usize = 240;

impl Printer {
    pub(crate) fn render(&mut self, diagnostic: &Diagnostic, color: bool) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

        let level = match diagnostic.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let path_text;
        let mut window_column = None;
        let mut group = Group::with_title(level.primary_title(&diagnostic.message));
        if let Some(location) = &diagnostic.location {
            path_text = location.path.display().to_string();
            if location.has_position() {
                let (text, start, end, cut) = self.caret(location);
                if cut {
                    // The renderer counts the column within the window: the line's is put back
                    // below.
                    let shown = text[..start].chars().count() + 1;
                    window_column = Some((
                        format!("{path_text}:{}:{shown}", location.line),
                        format!("{path_text}:{}:{}", location.line, location.column),
                    ));
                }
                group = group.element(
                    Snippet::source(text)
                        .line_start(location.line)
                        .path(path_text.as_str())
                        .fold(false)
                        .annotation(AnnotationKind::Primary.span(start..end)),
                );
            } else {
                group = group.element(annotate_snippets::Origin::path(path_text.as_str()));
            }
        }
        if let Some(hint) = &diagnostic.hint {
            group = group.element(Level::HELP.message(hint));
        }
        let note_path;
        let mut report = vec![group];
        if let Some(note) = &diagnostic.note {
            let location = &note.location;
            note_path = location.path.display().to_string();
            let mut group = Group::with_title(Level::NOTE.secondary_title(&note.message));
            if location.has_position() && location.line_text.len() <= LONG_LINE {
                let text = &*location.line_text;
                let start = byte_index_of_column(text, location.column);
                let end = byte_index_of_column(text, location.column + location.len).max(start);
                group = group.element(
                    Snippet::source(text)
                        .line_start(location.line)
                        .path(note_path.as_str())
                        .fold(false)
                        .annotation(AnnotationKind::Primary.span(start..end)),
                );
            } else {
                group = group.element(annotate_snippets::Origin::path(note_path.as_str()));
            }
            report.push(group);
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let rendered = renderer.render(&report);
        match window_column {
            Some((shown, real)) => rendered.replacen(&shown, &real, 1),
            None => rendered,
        }
    }

    /// The text to show for `location`'s line, the caret's byte range in it, and whether the
    /// text is a window cut from the line.
    fn caret<'a>(&mut self, location: &'a Location) -> (&'a str, usize, usize, bool) {
        let text = &*location.line_text;
        if text.len() <= LONG_LINE {
            let start = byte_index_of_column(text, location.column);
            let end = byte_index_of_column(text, location.column + location.len).max(start);
            return (text, start, end, false);
        }
        let (_, offsets) = self
            .long_lines
            .entry(text.as_ptr() as usize)
            .or_insert_with(|| {
                let offsets = text.char_indices().map(|(i, _)| i).collect();
                (Arc::clone(&location.line_text), offsets)
            });
        let at = |column: usize| {
            offsets
                .get(column.saturating_sub(1))
                .copied()
                .unwrap_or(text.len())
        };
        let start = at(location.column);
        let end = at(location.column + location.len).max(start);
        let from = floor_char_boundary(text, start.saturating_sub(CONTEXT));
        let mut to = (end + CONTEXT).min(text.len());
        while !text.is_char_boundary(to) {
            to += 1;
        }
        (&text[from..to], start - from, end - from, true)
    }
}

/// Byte index of a 1-based character column; columns past the end map to the line's end.
fn byte_index_of_column(text: &str, column: usize) -> usize {
    text.char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i)
}

/// One diagnostic as a JSON line (`--message-format json`).
#[derive(Serialize)]
struct JsonLine<'a> {
    path: Option<&'a Path>,
    line: Option<usize>,
    column: Option<usize>,
    severity: Severity,
    message: &'a str,
    hint: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

impl Diagnostic {
    /// The diagnostic as one line of JSON: path, line, column, severity, message, hint.
    pub(crate) fn to_json(&self) -> String {
        let location = self.location.as_deref();
        let positioned = location.filter(|l| l.line > 0);
        let line = JsonLine {
            path: location.map(|l| l.path.as_path()),
            line: positioned.map(|l| l.line),
            column: positioned.map(|l| l.column),
            severity: self.severity,
            message: &self.message,
            hint: self.hint.as_deref(),
            note: self.note.as_ref().map(ToString::to_string),
        };
        serde_json::to_string(&line).unwrap_or_default()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// The message of a caught panic (`panic!` with a literal or a formatted string), if it has one.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> Option<String> {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
}

/// Sorts diagnostics by file and position and drops exact duplicates.
pub(crate) fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// "Did you mean" support: the candidate closest to `wanted`, if it is close enough to be a typo.
pub(crate) fn closest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&wanted_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (wanted.chars().count().max(c.chars().count()) / 3).max(1))
        // Ties go to the first in byte order, not in iteration order: candidates often come
        // from a hash map, and a hint must not change from one build to the next.
        .min_by_key(|&(d, c)| (d, c))
        .map(|(_, c)| c)
}

/// Edit distance where swapping two neighbouring characters counts as one edit (`titel`/`title`).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_caret_under_the_column() {
        let text = "---\ntitle: Hi\ntitel: Oops\n---\n";
        let loc = Location::from_offset(Path::new("content/a.md"), text, 14, 5);
        assert_eq!((loc.line, loc.column, loc.len), (3, 1, 5));
        let d = Diagnostic::error("unknown field `titel`")
            .at(loc)
            .with_hint("did you mean `title`?");
        assert_eq!(
            d.render(false),
            "error: unknown field `titel`\n --> content/a.md:3:1\n  |\n3 | titel: Oops\n  | ^^^^^\n  |\n  = help: did you mean `title`?"
        );
    }

    #[test]
    fn json_line_has_every_field() {
        let text = "a\nbad: x\n";
        let d = Diagnostic::warning("oops")
            .at(Location::from_offset(Path::new("content/a.md"), text, 2, 3))
            .with_hint("fix it");
        assert_eq!(
            d.to_json(),
            r#"{"path":"content/a.md","line":2,"column":1,"severity":"warning","message":"oops","hint":"fix it"}"#
        );
        assert_eq!(
            Diagnostic::error("no site").to_json(),
            r#"{"path":null,"line":null,"column":null,"severity":"error","message":"no site","hint":null}"#
        );
    }

    #[test]
    fn notes_print_as_notes() {
        let d = Diagnostic::note("`base_url` is not set").with_hint("set it");
        assert_eq!(
            d.render(false),
            "note: `base_url` is not set\n |\n = help: set it"
        );
        assert_eq!(
            d.to_json(),
            r#"{"path":null,"line":null,"column":null,"severity":"note","message":"`base_url` is not set","hint":"set it"}"#
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "é = x";
        let loc = Location::from_offset(Path::new("a"), text, "é = ".len(), 1);
        assert_eq!(loc.column, 5);
    }

    #[test]
    fn offsets_out_of_range_are_clamped() {
        let loc = Location::from_offset(Path::new("a"), "ab", 99, 5);
        assert_eq!((loc.line, loc.column), (1, 3));
    }

    #[test]
    fn closest_finds_typos_only() {
        assert_eq!(closest("titel", ["title", "date"]), Some("title"));
        assert_eq!(closest("zzzzzz", ["title", "date"]), None);
        // A tie is decided by the names, not by the order they come in (a hash map's).
        assert_eq!(closest("page 1", ["page 3", "page 2"]), Some("page 2"));
        assert_eq!(closest("page 1", ["page 2", "page 3"]), Some("page 2"));
    }
}
