//! Front matter: YAML between `---` fences or TOML between `+++` fences, into typed fields.
//!
//! Parsing happens in three steps, each of which collects diagnostics instead of stopping:
//!
//! 1. **Split.** The first line of the file (after an optional UTF-8 BOM) decides the format:
//!    `---` is YAML, `+++` is TOML, anything else means the file has no front matter. The block
//!    ends at the next line holding only the same fence; CRLF line endings are accepted. The
//!    byte offset after the closing fence line is where the Markdown body starts.
//! 2. **Syntax.** The block is parsed by serde_yaml or toml into a generic tree. A syntax error
//!    (tabs, bad indentation, an unclosed quote, a duplicate key) is reported at its absolute
//!    line in the content file: the parsers count lines from the start of the block, so the
//!    fence offset is added. Cryptic parser messages are replaced by plain ones with a hint.
//! 3. **Fields.** Both formats are converted to the same JSON-like tree and each top-level key
//!    is checked on its own, so *every* unknown key and *every* wrongly typed value is reported,
//!    not only the first. The parsers' trees carry no positions, so positions of keys and
//!    values are found by scanning the block's lines for `key:` (YAML) or `key =` / `[key]`
//!    (TOML); a value's error points at the value when it sits on the key's line, else at the
//!    key.
//!
//! Unknown keys are errors with a "did you mean" hint; free-form values belong under `extra`.
//! Nothing here panics on any input: every index is checked and every parser error is mapped.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::Value as Json;

use crate::diagnostics::{Diagnostic, Location, closest};

/// A point in time from front matter. A date without a time is midnight UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub timestamp: jiff::Timestamp,
    /// False for a bare `2024-05-01`: templates then show the date only.
    pub has_time: bool,
}

impl Serialize for Date {
    /// Templates see RFC 3339 text: `2024-05-01T00:00:00Z`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.timestamp)
    }
}

/// A span of years; negative years are BCE (`-550` is 550 BCE). There is no year 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Era {
    /// First year; negative is BCE.
    pub start: i32,
    /// Last year; negative is BCE.
    pub end: i32,
}

/// Everything front matter can say. Kind-specific fields are typed here and checked against the
/// page's kind by resolve.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FrontMatter {
    /// Title; defaults to the file name.
    pub title: Option<String>,
    /// One sentence for listings, feeds and meta tags.
    pub description: Option<String>,
    /// Publication date: `2024-05-01`, or with a time and offset.
    pub date: Option<Date>,
    /// Date of the last significant change.
    pub updated: Option<Date>,
    /// Left out of builds unless `--drafts` is given.
    pub draft: bool,
    /// Replaces the last URL segment.
    pub slug: Option<String>,
    /// Other names of the page: old URLs (`/old/path/`) get redirect pages.
    pub aliases: Vec<String>,
    /// Sort order within a section, lower first. Default: none (sorted by date, then title).
    pub weight: Option<i64>,
    /// Template file overriding the kind's default (`page.html`).
    pub template: Option<String>,
    /// Page kind: `essay`, `case-study`, `checklist`, `note`.
    pub kind: Option<String>,
    /// Terms per taxonomy, `tags` included; only configured taxonomies are accepted.
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// Free-form values for templates.
    pub extra: serde_json::Value,

    // Section (`_index.md`) fields.
    /// Kind given to the pages of this section. Default: inherited, else `note`.
    pub page_kind: Option<String>,
    /// Items per page in this section's listing. Default: `pagination.per_page`.
    pub paginate_by: Option<usize>,
    /// How pages are ordered in this section: `date` (newest first), `weight`, `title`.
    pub sort_by: Option<String>,

    // Case study fields.
    /// Years covered: `{start: -550, end: -330}`; negative years are BCE. Required for case studies.
    pub era: Option<Era>,
    /// Where it happened.
    pub region: Option<String>,
    /// People involved.
    pub people: Vec<String>,
    /// Paths of strength pages the case illustrates (`@/checklists/adaptability.md` or a name).
    pub strengths: Vec<String>,
    /// Books and articles the page draws on.
    pub sources: Vec<String>,

    /// 1-based absolute line of each top-level key, for diagnostics raised by later stages.
    #[serde(skip)]
    pub key_lines: BTreeMap<String, usize>,
}

/// Keys every content file may use, besides the configured taxonomy names.
pub const KNOWN_FIELDS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "slug",
    "aliases",
    "weight",
    "template",
    "kind",
    "extra",
    "page_kind",
    "paginate_by",
    "sort_by",
    "era",
    "region",
    "people",
    "strengths",
    "sources",
];

/// Page kinds `kind` and `page_kind` may name.
pub const PAGE_KINDS: &[&str] = &["essay", "case-study", "checklist", "note"];

/// Orders `sort_by` may name.
pub const SORT_ORDERS: &[&str] = &["date", "weight", "title"];

const TOO_DEEP: &str = "front matter is nested or repeated too deeply";
const TOO_DEEP_HINT: &str = "simplify the values; deeply nested data belongs in a data file";

const DATE_HINT: &str = "write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00";

/// Splits and parses the front matter of `text` (a whole content file at `path`).
/// Returns the front matter and the byte offset where the Markdown body starts.
/// `taxonomies` are the configured taxonomy names (`tags` included), accepted as keys.
///
/// All problems are returned together, sorted by position.
pub fn parse(
    path: &Path,
    text: &str,
    taxonomies: &[&str],
) -> Result<(FrontMatter, usize), Vec<Diagnostic>> {
    let block = match split(path, text) {
        Ok(Some(block)) => block,
        Ok(None) => return Ok((FrontMatter::default(), bom_len(text))),
        Err(errors) => return Err(errors),
    };
    let entries = match block.format {
        Format::Yaml => yaml_entries(path, text, &block),
        Format::Toml => toml_entries(path, text, &block),
    }?;
    let mut checker = Checker {
        path,
        text,
        block: &block,
        errors: Vec::new(),
    };
    let front = checker.fields(entries, taxonomies);
    let mut errors = checker.errors;
    if errors.is_empty() {
        Ok((front, block.body))
    } else {
        crate::diagnostics::sort_and_dedup(&mut errors);
        Err(errors)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Yaml,
    Toml,
}

impl Format {
    fn fence(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
        }
    }

    /// `key: value` or `key = value`, for hints.
    fn assign(self, key: &str, value: &str) -> String {
        match self {
            Format::Yaml => format!("{key}: {value}"),
            Format::Toml => format!("{key} = {value}"),
        }
    }

    /// A list literal of text items, for hints.
    fn list(self, items: &[&str]) -> String {
        match self {
            Format::Yaml => format!("[{}]", items.join(", ")),
            Format::Toml => {
                let quoted: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
                format!("[{}]", quoted.join(", "))
            }
        }
    }

    /// A text value, for hints.
    fn text(self, value: &str) -> String {
        format!("{value:?}")
    }

    /// Where free-form values go, for hints.
    fn extra(self) -> &'static str {
        match self {
            Format::Yaml => "`extra:`",
            Format::Toml => "an `[extra]` table",
        }
    }
}

/// The front matter block of a file.
struct Block<'a> {
    format: Format,
    /// The text between the fence lines.
    inner: &'a str,
    /// Byte offset of `inner` in the file.
    offset: usize,
    /// Byte offset in the file where the Markdown body starts.
    body: usize,
}

/// The fence is always line 1, so the block's own line 1 is line 2 of the file.
const FIRST_INNER_LINE: usize = 2;

fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// Finds the front matter block, if the file has one.
fn split<'a>(path: &Path, text: &'a str) -> Result<Option<Block<'a>>, Vec<Diagnostic>> {
    let start = bom_len(text);
    let (first, inner_start) = next_line(text, start);
    let format = match first.trim_end() {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => return Ok(None),
    };
    let mut pos = inner_start;
    while pos < text.len() {
        let (line, next) = next_line(text, pos);
        if line.trim_end() == format.fence() {
            return Ok(Some(Block {
                format,
                inner: &text[inner_start..pos],
                offset: inner_start,
                body: next,
            }));
        }
        pos = next;
    }
    // The fence is shown without the invisible BOM, at column 1.
    let mut location = Location::from_offset(path, text, start, 3);
    location.column = 1;
    location.line_text = first.into();
    Err(vec![
        Diagnostic::error("front matter is not closed")
            .at(location)
            .with_hint(format!(
                "end it with a line containing only `{}`",
                format.fence()
            )),
    ])
}

/// The line starting at byte `start`, without its line ending, and the offset of the next line.
fn next_line(text: &str, start: usize) -> (&str, usize) {
    let rest = text.get(start..).unwrap_or("");
    match rest.find('\n') {
        Some(i) => (rest[..i].trim_end_matches('\r'), start + i + 1),
        None => (rest, text.len()),
    }
}

/// One top-level key and its value, converted to the format-independent tree.
struct Entry {
    key: String,
    /// `Err` describes why the value could not be converted.
    value: Result<Json, &'static str>,
}

fn yaml_entries(path: &Path, text: &str, block: &Block) -> Result<Vec<Entry>, Vec<Diagnostic>> {
    let value: serde_yaml::Value =
        serde_yaml::from_str(block.inner).map_err(|e| vec![yaml_error(path, text, block, &e)])?;
    let mapping = match value {
        serde_yaml::Value::Null => return Ok(Vec::new()),
        serde_yaml::Value::Mapping(mapping) => mapping,
        _ => {
            return Err(vec![
                Diagnostic::error("front matter is not a list of `key: value` lines")
                    .at(Location::from_line_column(
                        path,
                        text,
                        FIRST_INNER_LINE,
                        1,
                        1,
                    ))
                    .with_hint("write one `key: value` per line, e.g. `title: My page`"),
            ]);
        }
    };
    let mut entries = Vec::new();
    for (key, value) in mapping {
        let Some(key) = yaml_key(&key) else {
            return Err(vec![
                Diagnostic::error("front matter keys must be plain names")
                    .at(Location::from_line_column(
                        path,
                        text,
                        FIRST_INNER_LINE,
                        1,
                        1,
                    ))
                    .with_hint("write one `key: value` per line, e.g. `title: My page`"),
            ]);
        };
        entries.push(Entry {
            key,
            value: yaml_to_json(value),
        });
    }
    Ok(entries)
}

/// A mapping key as text; `None` for keys that are lists, mappings or null.
fn yaml_key(key: &serde_yaml::Value) -> Option<String> {
    match key {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        serde_yaml::Value::Tagged(tagged) => yaml_key(&tagged.value),
        _ => None,
    }
}

fn yaml_to_json(value: serde_yaml::Value) -> Result<Json, &'static str> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Json::Null,
        Y::Bool(b) => Json::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Json::from(i)
            } else if let Some(u) = n.as_u64() {
                Json::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Json::Null, Json::Number)
            }
        }
        Y::String(s) => Json::String(s),
        Y::Sequence(items) => Json::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(mapping) => {
            let mut object = serde_json::Map::new();
            for (key, value) in mapping {
                let key = yaml_key(&key).ok_or("a nested key is not a plain name")?;
                object.insert(key, yaml_to_json(value)?);
            }
            Json::Object(object)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
}

fn toml_entries(path: &Path, text: &str, block: &Block) -> Result<Vec<Entry>, Vec<Diagnostic>> {
    let table: toml::Table =
        toml::from_str(block.inner).map_err(|e| vec![toml_error(path, text, block, &e)])?;
    Ok(table
        .into_iter()
        .map(|(key, value)| Entry {
            key,
            value: Ok(toml_to_json(value)),
        })
        .collect())
}

fn toml_to_json(value: toml::Value) -> Json {
    use toml::Value as T;
    match value {
        T::String(s) => Json::String(s),
        T::Integer(i) => Json::from(i),
        T::Float(f) => serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number),
        T::Boolean(b) => Json::Bool(b),
        T::Datetime(d) => Json::String(d.to_string()),
        T::Array(items) => Json::Array(items.into_iter().map(toml_to_json).collect()),
        T::Table(table) => Json::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

/// A serde_yaml error as a located diagnostic, with a plain message for the cryptic ones.
fn yaml_error(path: &Path, text: &str, block: &Block, error: &serde_yaml::Error) -> Diagnostic {
    let raw = error.to_string();
    let (line, column) = error.location().map_or((FIRST_INNER_LINE, 1), |l| {
        file_position(text, block, l.line(), l.column())
    });
    let (problem, context, context_mark) = split_yaml_message(&raw);
    let at = |line: usize, column: usize| Location::from_line_column(path, text, line, column, 1);
    let file_line = |line: usize| {
        text.split('\n')
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .trim_end_matches('\r')
    };

    // A tab in the indentation of the reported line or the one before it: libyaml's message for
    // this ("found character that cannot start any token") does not say "tab".
    for candidate in [line, line.saturating_sub(1)] {
        if candidate < FIRST_INNER_LINE {
            continue;
        }
        let content = file_line(candidate);
        let indent = &content[..content.len() - content.trim_start().len()];
        if let Some(i) = indent.find('\t') {
            return Diagnostic::error("tab character used for indentation")
                .at(at(candidate, indent[..i].chars().count() + 1))
                .with_hint("YAML does not allow tabs for indentation; indent with spaces");
        }
    }
    if let Some(key) = problem
        .strip_prefix("duplicate entry with key \"")
        .and_then(|rest| rest.strip_suffix('"'))
    {
        let location = key_span(block, key, 1).map_or_else(
            || at(line, column),
            |(start, len)| Location::from_offset(path, text, start, len),
        );
        return Diagnostic::error(format!("`{key}` is set twice in front matter"))
            .at(location)
            .with_hint("remove one of the two lines");
    }
    if context == Some("while scanning a quoted scalar") {
        let (line, column) =
            context_mark.map_or((line, column), |(l, c)| file_position(text, block, l, c));
        return Diagnostic::error("quoted value is not closed")
            .at(at(line, column))
            .with_hint("add the closing quote at the end of the value");
    }
    if problem == "mapping values are not allowed in this context"
        && file_line(line).starts_with(' ')
    {
        // `key: value` followed by an indented `other: value`: YAML reads the second line as
        // the continuation of the first value and then trips over its colon.
        let indent = file_line(line).len() - file_line(line).trim_start().len();
        return Diagnostic::error("this line is indented more than the key above it")
            .at(Location::from_line_column(path, text, line, 1, indent))
            .with_hint(
                "keys of one mapping start in the same column; remove the extra spaces, or nest \
                 the line under a key that has no value of its own",
            );
    }
    let (message, hint) = match problem {
        "mapping values are not allowed in this context" => (
            "unexpected `:` in a value".to_string(),
            "a value that contains `: ` must be in quotes, e.g. `title: \"Rome: the fall\"`"
                .to_string(),
        ),
        "did not find expected key" | "did not find expected '-' indicator" => (
            "this line is not indented like the lines around it".to_string(),
            "keys of one mapping start in the same column; indent nested values with spaces"
                .to_string(),
        ),
        "block sequence entries are not allowed in this context" => (
            "a list item `- ` is not allowed here".to_string(),
            "put list items on their own lines below the key, indented, or write `key: [a, b]`"
                .to_string(),
        ),
        "found character that cannot start any token" => (
            "this character cannot start a YAML value".to_string(),
            "put the value in quotes".to_string(),
        ),
        "unknown anchor" | "found undefined alias" => (
            "`*name` refers to an anchor that is not defined".to_string(),
            "define the anchor first with `&name`, or quote a value that starts with `*`"
                .to_string(),
        ),
        "recursion limit exceeded" | "repetition limit exceeded" => {
            (TOO_DEEP.to_string(), TOO_DEEP_HINT.to_string())
        }
        _ => (
            match context {
                Some(context) => format!("invalid YAML: {problem}, {context}"),
                None => format!("invalid YAML: {problem}"),
            },
            "check the YAML syntax: one `key: value` per line, indent with spaces, and quote \
             values that contain `: ` or start with a special character"
                .to_string(),
        ),
    };
    Diagnostic::error(message)
        .at(at(line, column))
        .with_hint(hint)
}

/// Splits serde_yaml's `problem at line L column C, context at line L column C` into the
/// problem, the context and the context's 1-based (line, column).
/// The file's line and column (lines end at `\n`) of a 1-based YAML `line` and `column` in the
/// block. YAML also ends a line at a lone `\r`, so counting the block's `\n`s is not enough.
fn file_position(text: &str, block: &Block, line: usize, column: usize) -> (usize, usize) {
    let inner = block.inner.as_bytes();
    let mut offset = 0;
    let mut breaks = 1;
    while breaks < line && offset < inner.len() {
        match inner[offset] {
            b'\r' if inner.get(offset + 1) == Some(&b'\n') => offset += 1,
            b'\r' | b'\n' => breaks += 1,
            _ => {}
        }
        offset += 1;
    }
    // `column` counts characters from 1; stop at the line's end.
    let rest = &block.inner[offset..];
    let within = rest
        .char_indices()
        .take_while(|&(_, c)| c != '\r' && c != '\n')
        .nth(column.saturating_sub(1))
        .map_or_else(|| rest.find(['\r', '\n']).unwrap_or(rest.len()), |(i, _)| i);
    let location = Location::from_offset(Path::new(""), text, block.offset + offset + within, 0);
    (location.line, location.column)
}

fn split_yaml_message(raw: &str) -> (&str, Option<&str>, Option<(usize, usize)>) {
    let problem_end = raw
        .find(" at line ")
        .or_else(|| raw.find(" at position "))
        .unwrap_or(raw.len());
    let problem = &raw[..problem_end];
    let rest = &raw[problem_end..];
    let Some(comma) = rest.find(", ") else {
        return (problem, None, None);
    };
    let context_text = &rest[comma + 2..];
    let (context, mark) = match context_text.find(" at line ") {
        Some(i) => (
            &context_text[..i],
            Some(&context_text[i + " at line ".len()..]),
        ),
        None => (context_text, None),
    };
    let mark = mark.and_then(|m| {
        let (line, column) = m.split_once(" column ")?;
        Some((line.trim().parse().ok()?, column.trim().parse().ok()?))
    });
    (problem, Some(context), mark)
}

/// A toml error as a located diagnostic.
fn toml_error(path: &Path, text: &str, block: &Block, error: &toml::de::Error) -> Diagnostic {
    let message = error.message().trim();
    let first = message.lines().next().unwrap_or("").trim();
    let location = match error.span() {
        Some(span) => Location::from_offset(path, text, block.offset + span.start, span.len()),
        None => Location::from_line_column(path, text, FIRST_INNER_LINE, 1, 1),
    };
    let (message, hint) = if first.starts_with("duplicate key") {
        let key = error
            .span()
            .and_then(|span| block.inner.get(span))
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\'']);
        (
            if key.is_empty() {
                "a key is set twice in front matter".to_string()
            } else {
                format!("`{key}` is set twice in front matter")
            },
            "remove one of the two lines".to_string(),
        )
    } else if first.contains("max recursion depth") {
        (TOO_DEEP.to_string(), TOO_DEEP_HINT.to_string())
    } else {
        (
            format!("invalid TOML: {first}"),
            "check the TOML syntax: text values need quotes, lists are written \
             `[\"a\", \"b\"]`, each key appears once"
                .to_string(),
        )
    };
    Diagnostic::error(message).at(location).with_hint(hint)
}

/// Absolute byte span of the `nth` (0-based) line defining top-level `key` in the block.
///
/// YAML: an unindented `key:` (quotes allowed). TOML: `key =` or `key.x =` before the first
/// table header, or a header `[key]`, `[key.x]`, `[[key]]`.
fn key_span(block: &Block, key: &str, nth: usize) -> Option<(usize, usize)> {
    let candidates = [key.to_string(), format!("\"{key}\""), format!("'{key}'")];
    let mut in_table = false;
    let mut found = 0;
    let mut offset = 0;
    for line in block.inner.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let hit = match block.format {
            Format::Yaml => candidates.iter().find_map(|c| {
                let rest = content.strip_prefix(c.as_str())?;
                let rest = rest.trim_start_matches([' ', '\t']).strip_prefix(':')?;
                (rest.is_empty() || rest.starts_with([' ', '\t'])).then_some((0, c.len()))
            }),
            Format::Toml => {
                let trimmed = content.trim_start();
                let indent = content.len() - trimmed.len();
                if let Some(header) = trimmed.strip_prefix('[') {
                    in_table = true;
                    let inner = header.strip_prefix('[').unwrap_or(header);
                    let inner_trimmed = inner.trim_start();
                    let key_start = indent + (trimmed.len() - inner_trimmed.len());
                    candidates.iter().find_map(|c| {
                        let rest = inner_trimmed.strip_prefix(c.as_str())?.trim_start();
                        (rest.starts_with(']') || rest.starts_with('.'))
                            .then_some((key_start, c.len()))
                    })
                } else if in_table {
                    None
                } else {
                    candidates.iter().find_map(|c| {
                        let rest = trimmed.strip_prefix(c.as_str())?.trim_start();
                        (rest.starts_with('=') || rest.starts_with('.'))
                            .then_some((indent, c.len()))
                    })
                }
            }
        };
        if let Some((column, len)) = hit {
            if found == nth {
                return Some((block.offset + line_start + column, len));
            }
            found += 1;
        }
    }
    None
}

/// Checks each top-level entry and fills [`FrontMatter`], collecting every error.
struct Checker<'a> {
    path: &'a Path,
    text: &'a str,
    block: &'a Block<'a>,
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn fields(&mut self, entries: Vec<Entry>, taxonomies: &[&str]) -> FrontMatter {
        let mut front = FrontMatter::default();
        for Entry { key, value } in entries {
            front
                .key_lines
                .insert(key.clone(), self.key_location(&key).line);
            let value = match value {
                Ok(value) => value,
                Err(problem) => {
                    let message = format!("`{key}` cannot be read: {problem}");
                    self.error_at_key(&key, message, "write keys as plain names".to_string());
                    continue;
                }
            };
            match key.as_str() {
                "title" => front.title = self.text_value(&key, &value),
                "description" => front.description = self.text_value(&key, &value),
                "date" => front.date = self.date(&key, &value),
                "updated" => front.updated = self.date(&key, &value),
                "draft" => front.draft = self.boolean(&key, &value).unwrap_or(false),
                "slug" => front.slug = self.slug(&value),
                "aliases" => front.aliases = self.list(&key, &value),
                "weight" => front.weight = self.integer(&key, &value),
                "template" => front.template = self.text_value(&key, &value),
                "kind" => front.kind = self.choice(&key, &value, PAGE_KINDS, "page kind"),
                "page_kind" => {
                    front.page_kind = self.choice(&key, &value, PAGE_KINDS, "page kind");
                }
                "extra" => front.extra = self.extra(&value),
                "paginate_by" => front.paginate_by = self.paginate_by(&value),
                "sort_by" => front.sort_by = self.choice(&key, &value, SORT_ORDERS, "sort order"),
                "era" => front.era = self.era(&value),
                "region" => front.region = self.text_value(&key, &value),
                "people" => front.people = self.list(&key, &value),
                "strengths" => front.strengths = self.list(&key, &value),
                "sources" => front.sources = self.list(&key, &value),
                name if taxonomies.contains(&name) => {
                    let terms = self.list(&key, &value);
                    if !terms.is_empty() {
                        front.taxonomies.insert(key, terms);
                    }
                }
                _ => self.unknown_key(&key, taxonomies),
            }
        }
        front
    }

    fn key_location(&self, key: &str) -> Location {
        match key_span(self.block, key, 0) {
            Some((start, len)) => Location::from_offset(self.path, self.text, start, len),
            None => Location::from_line_column(self.path, self.text, FIRST_INNER_LINE, 1, 1),
        }
    }

    /// The value on the key's line, or the key when the value starts on a later line.
    fn value_location(&self, key: &str) -> Location {
        if let Some((start, len)) = key_span(self.block, key, 0) {
            let after_key = start + len;
            let (rest, _) = next_line(self.text, after_key);
            if let Some(separator) = rest.find([':', '=']) {
                let after = &rest[separator + 1..];
                let value = after.split(" #").next().unwrap_or("").trim();
                if !value.is_empty() && !value.starts_with('#') {
                    let lead = after.len() - after.trim_start().len();
                    let value_start = after_key + separator + 1 + lead;
                    return Location::from_offset(self.path, self.text, value_start, value.len());
                }
            }
        }
        self.key_location(key)
    }

    fn error_at_key(&mut self, key: &str, message: String, hint: String) {
        let location = self.key_location(key);
        self.errors
            .push(Diagnostic::error(message).at(location).with_hint(hint));
    }

    fn error_at_value(&mut self, key: &str, message: String, hint: String) {
        let location = self.value_location(key);
        self.errors
            .push(Diagnostic::error(message).at(location).with_hint(hint));
    }

    fn describe(&self, value: &Json) -> String {
        match value {
            Json::Null => "empty".to_string(),
            Json::Bool(b) => format!("`{b}`"),
            Json::Number(n) => format!("the number `{n}`"),
            Json::String(s) => format!("the text `{s}`"),
            Json::Array(_) => "a list".to_string(),
            Json::Object(_) => match self.block.format {
                Format::Yaml => "a mapping".to_string(),
                Format::Toml => "a table".to_string(),
            },
        }
    }

    /// Text; numbers are accepted as their digits (`title: 1984`).
    fn text_value(&mut self, key: &str, value: &Json) -> Option<String> {
        match value {
            Json::Null => None,
            Json::String(s) => Some(s.clone()),
            Json::Number(n) => Some(n.to_string()),
            other => {
                let message = format!("`{key}` must be text, not {}", self.describe(other));
                let hint = format!(
                    "write the text in quotes, e.g. `{}`",
                    self.block
                        .format
                        .assign(key, &self.block.format.text("Some text"))
                );
                self.error_at_value(key, message, hint);
                None
            }
        }
    }

    /// A list of text items.
    fn list(&mut self, key: &str, value: &Json) -> Vec<String> {
        let format = self.block.format;
        match value {
            Json::Null => Vec::new(),
            Json::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Json::String(s) if s.trim().is_empty() => {
                            let message = format!("`{key}` has an empty item (item {})", i + 1);
                            self.error_at_value(key, message, "remove the empty item".to_string());
                        }
                        Json::String(s) => out.push(s.clone()),
                        Json::Number(n) => out.push(n.to_string()),
                        other => {
                            let message = format!(
                                "`{key}` must be a list of text items, but item {} is {}",
                                i + 1,
                                self.describe(other)
                            );
                            let hint = format!(
                                "write each item as text, e.g. `{}`",
                                format.assign(key, &format.list(&["a", "b"]))
                            );
                            self.error_at_value(key, message, hint);
                        }
                    }
                }
                out
            }
            Json::String(s) => {
                let items: Vec<&str> = s
                    .split(',')
                    .map(str::trim)
                    .filter(|i| !i.is_empty())
                    .collect();
                let items = if items.is_empty() {
                    vec!["a", "b"]
                } else {
                    items
                };
                let message = format!("`{key}` must be a list, not {}", self.describe(value));
                let hint = format!("write `{}`", format.assign(key, &format.list(&items)));
                self.error_at_value(key, message, hint);
                Vec::new()
            }
            other => {
                let message = format!("`{key}` must be a list, not {}", self.describe(other));
                let hint = format!("write `{}`", format.assign(key, &format.list(&["a", "b"])));
                self.error_at_value(key, message, hint);
                Vec::new()
            }
        }
    }

    fn boolean(&mut self, key: &str, value: &Json) -> Option<bool> {
        match value {
            Json::Null => None,
            Json::Bool(b) => Some(*b),
            other => {
                let message = format!(
                    "`{key}` must be `true` or `false`, not {}",
                    self.describe(other)
                );
                let format = self.block.format;
                let hint = format!(
                    "write `{}` or `{}`, without quotes",
                    format.assign(key, "true"),
                    format.assign(key, "false")
                );
                self.error_at_value(key, message, hint);
                None
            }
        }
    }

    fn integer(&mut self, key: &str, value: &Json) -> Option<i64> {
        match value {
            Json::Null => None,
            Json::Number(n) if n.as_i64().is_some() => n.as_i64(),
            other => {
                let message = format!(
                    "`{key}` must be a whole number, not {}",
                    self.describe(other)
                );
                let hint = format!(
                    "write a number without quotes, e.g. `{}`",
                    self.block.format.assign(key, "10")
                );
                self.error_at_value(key, message, hint);
                None
            }
        }
    }

    fn paginate_by(&mut self, value: &Json) -> Option<usize> {
        let n = self.integer("paginate_by", value)?;
        match usize::try_from(n) {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                let hint = format!(
                    "give the number of pages per listing page, e.g. `{}`",
                    self.block.format.assign("paginate_by", "10")
                );
                self.error_at_value(
                    "paginate_by",
                    format!("`paginate_by` must be at least 1, not {n}"),
                    hint,
                );
                None
            }
        }
    }

    fn slug(&mut self, value: &Json) -> Option<String> {
        let slug = self.text_value("slug", value)?;
        if slug.trim().is_empty() {
            self.error_at_key(
                "slug",
                "`slug` is empty".to_string(),
                "remove `slug` to use the file name, or give a URL segment such as `my-page`"
                    .to_string(),
            );
            return None;
        }
        Some(slug)
    }

    /// One of a fixed set of words, with "did you mean" for typos.
    fn choice(&mut self, key: &str, value: &Json, allowed: &[&str], what: &str) -> Option<String> {
        let word = self.text_value(key, value)?;
        if allowed.contains(&word.as_str()) {
            return Some(word);
        }
        let hint = match closest(&word, allowed.iter().copied()) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => format!("use one of: {}", allowed.join(", ")),
        };
        self.error_at_value(key, format!("unknown {what} `{word}`"), hint);
        None
    }

    fn date(&mut self, key: &str, value: &Json) -> Option<Date> {
        let shown = match value {
            Json::Null => return None,
            Json::String(s) => match parse_date(s) {
                Some(date) => return Some(date),
                None => format!("`{s}`"),
            },
            Json::Number(n) => format!("`{n}`"),
            Json::Bool(b) => format!("`{b}`"),
            other => self.describe(other),
        };
        self.error_at_value(
            key,
            format!("`{key}` is not a date: {shown}"),
            DATE_HINT.to_string(),
        );
        None
    }

    fn extra(&mut self, value: &Json) -> Json {
        match value {
            Json::Null | Json::Object(_) => value.clone(),
            other => {
                let message = format!(
                    "`extra` must hold named values, not {}",
                    self.describe(other)
                );
                let hint = match self.block.format {
                    Format::Yaml => {
                        "write the values on indented lines below `extra:`, \
                                     e.g. `extra: {source: Herodotus}`"
                    }
                    Format::Toml => "write the values in an `[extra]` table",
                };
                self.error_at_value("extra", message, hint.to_string());
                Json::Null
            }
        }
    }

    fn era(&mut self, value: &Json) -> Option<Era> {
        let example = match self.block.format {
            Format::Yaml => "era: {start: -550, end: -330}",
            Format::Toml => "era = { start = -550, end = -330 }",
        };
        let hint = format!("write `{example}`; negative years are BCE");
        let map = match value {
            Json::Null => return None,
            Json::Object(map) => map,
            other => {
                let message = format!(
                    "`era` must have a `start` and an `end` year, not {}",
                    self.describe(other)
                );
                self.error_at_key("era", message, hint);
                return None;
            }
        };
        for name in map.keys() {
            if name != "start" && name != "end" {
                let hint = match closest(name, ["start", "end"]) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "`era` has only `start` and `end`".to_string(),
                };
                self.error_at_key("era", format!("unknown field `{name}` in `era`"), hint);
            }
        }
        let start = self.era_year(map, "start", &hint);
        let end = self.era_year(map, "end", &hint);
        let (start, end) = (start?, end?);
        if start > end {
            self.error_at_key(
                "era",
                format!("`era` ends before it starts: {start} is after {end}"),
                format!(
                    "`start` is the earlier year; BCE years are negative, e.g. `{example}` \
                     is 550 BCE to 330 BCE"
                ),
            );
            return None;
        }
        Some(Era { start, end })
    }

    fn era_year(
        &mut self,
        map: &serde_json::Map<String, Json>,
        name: &str,
        hint: &str,
    ) -> Option<i32> {
        let Some(value) = map.get(name) else {
            self.error_at_key(
                "era",
                format!("`era` has no `{name}` year"),
                hint.to_string(),
            );
            return None;
        };
        let Some(year) = value.as_i64() else {
            let message = format!(
                "`era.{name}` must be a whole number (a year), not {}",
                self.describe(value)
            );
            self.error_at_key("era", message, hint.to_string());
            return None;
        };
        match i32::try_from(year) {
            Ok(0) => {
                self.error_at_key(
                    "era",
                    format!("`era.{name}` is 0, but there is no year 0"),
                    "1 BCE is `-1` and 1 CE is `1`".to_string(),
                );
                None
            }
            Ok(year) => Some(year),
            Err(_) => {
                self.error_at_key(
                    "era",
                    format!("`era.{name}` is out of range: {year}"),
                    hint.to_string(),
                );
                None
            }
        }
    }

    fn unknown_key(&mut self, key: &str, taxonomies: &[&str]) {
        let valid: Vec<&str> = KNOWN_FIELDS
            .iter()
            .copied()
            .chain(taxonomies.iter().copied())
            .collect();
        let format = self.block.format;
        let suggestion = closest(key, valid.iter().copied()).or_else(|| {
            let key = key.to_lowercase();
            valid
                .iter()
                .copied()
                .find(|v| key.chars().count() >= 3 && v.starts_with(&key))
        });
        let hint = match suggestion {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None if key == "taxonomies" => format!(
                "write each taxonomy as its own key, e.g. `{}`",
                format.assign("tags", &format.list(&["a", "b"]))
            ),
            None => format!(
                "valid fields are {}; free-form values go under {}",
                valid.join(", "),
                format.extra()
            ),
        };
        self.error_at_key(key, format!("unknown field `{key}` in front matter"), hint);
    }
}

/// Parses the accepted date forms; a date without a time, or a time without an offset, is UTC.
fn parse_date(text: &str) -> Option<Date> {
    use jiff::tz::TimeZone;
    let text = text.trim();
    if text.len() == 10 {
        let date: jiff::civil::Date = text.parse().ok()?;
        let timestamp = date.to_zoned(TimeZone::UTC).ok()?.timestamp();
        return Some(Date {
            timestamp,
            has_time: false,
        });
    }
    let timestamp = match text.parse::<jiff::Timestamp>() {
        Ok(timestamp) => timestamp,
        Err(_) => {
            let datetime: jiff::civil::DateTime = text.parse().ok()?;
            datetime.to_zoned(TimeZone::UTC).ok()?.timestamp()
        }
    };
    Some(Date {
        timestamp,
        has_time: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAXONOMIES: &[&str] = &["tags", "places"];

    fn ok(text: &str) -> (FrontMatter, usize) {
        match parse(Path::new("content/a.md"), text, TAXONOMIES) {
            Ok(parsed) => parsed,
            Err(errors) => panic!("unexpected errors:\n{}", render(&errors)),
        }
    }

    fn errors(text: &str) -> String {
        match parse(Path::new("content/a.md"), text, TAXONOMIES) {
            Ok(parsed) => panic!("expected errors, got {parsed:?}"),
            Err(errors) => render(&errors),
        }
    }

    fn render(errors: &[Diagnostic]) -> String {
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    fn date(text: &str) -> Date {
        parse_date(text).unwrap_or_else(|| panic!("not a date: {text}"))
    }

    /// Found by fuzzing (`front_matter`): YAML ends lines at a lone `\r` too, so its line
    /// numbers ran past the end of a file with carriage returns and no line feeds.
    #[test]
    fn yaml_errors_after_lone_carriage_returns_point_into_the_file() {
        let text = format!(
            "---\nt{}itle: 'Fish & \"Chips\"Stb>'\n---\n",
            "\r".repeat(124)
        );
        let found = parse(Path::new("content/a.md"), &text, TAXONOMIES).unwrap_err();
        let location = found[0].location.as_deref().unwrap();
        assert_eq!((location.line, location.column), (2, 130), "{found:?}");
        assert_eq!(
            errors("---\ntitle: A\rdescription: B\r  draft: x: y\n---\n"),
            "error: unexpected `:` in a value\n --> content/a.md:2:32\n  |\n2 | title: A␍description: B␍  draft: x: y\n  |                                ^\n  |\n  = help: a value that contains `: ` must be in quotes, e.g. `title: \"Rome: the fall\"`"
        );
    }

    #[test]
    fn yaml_fills_every_field() {
        let text = "---\n\
            title: The fall of Lydia\n\
            description: Croesus misreads an oracle\n\
            date: 2024-05-01\n\
            updated: 2024-05-02T10:20:00+02:00\n\
            draft: true\n\
            slug: lydia\n\
            aliases: [/old/lydia/]\n\
            weight: -3\n\
            template: case.html\n\
            kind: case-study\n\
            tags: [history, oracles]\n\
            places: []\n\
            region: Anatolia\n\
            era: {start: -560, end: -546}\n\
            people: [Croesus, Cyrus]\n\
            strengths: [\"@/checklists/humility.md\"]\n\
            sources:\n  - Herodotus 1.53\n\
            extra:\n  map: {lat: 38.5, lon: 28.0}\n  quotes: [a, b]\n  nested: {deep: {er: true}}\n\
            ---\n\
            Body\n";
        let (front, body) = ok(text);
        assert_eq!(&text[body..], "Body\n");
        assert_eq!(front.title.as_deref(), Some("The fall of Lydia"));
        assert_eq!(
            front.description.as_deref(),
            Some("Croesus misreads an oracle")
        );
        assert_eq!(front.date, Some(date("2024-05-01")));
        assert!(!front.date.unwrap().has_time);
        assert_eq!(
            front.updated.unwrap().timestamp.to_string(),
            "2024-05-02T08:20:00Z"
        );
        assert!(front.draft);
        assert_eq!(front.slug.as_deref(), Some("lydia"));
        assert_eq!(front.aliases, ["/old/lydia/"]);
        assert_eq!(front.weight, Some(-3));
        assert_eq!(front.template.as_deref(), Some("case.html"));
        assert_eq!(front.kind.as_deref(), Some("case-study"));
        assert_eq!(front.taxonomies.len(), 1, "empty taxonomies are left out");
        assert_eq!(front.taxonomies["tags"], ["history", "oracles"]);
        assert_eq!(front.region.as_deref(), Some("Anatolia"));
        assert_eq!(
            front.era,
            Some(Era {
                start: -560,
                end: -546
            })
        );
        assert_eq!(front.people, ["Croesus", "Cyrus"]);
        assert_eq!(front.strengths, ["@/checklists/humility.md"]);
        assert_eq!(front.sources, ["Herodotus 1.53"]);
        assert_eq!(
            front.extra,
            serde_json::json!({
                "map": {"lat": 38.5, "lon": 28.0},
                "quotes": ["a", "b"],
                "nested": {"deep": {"er": true}},
            })
        );
        assert_eq!(front.key_lines["title"], 2);
        assert_eq!(front.key_lines["era"], 15);
        assert_eq!(front.key_lines["extra"], 20);
        assert_eq!(front.key_lines.len(), 18);
    }

    #[test]
    fn section_fields() {
        let (front, _) = ok("---\npage_kind: essay\npaginate_by: 5\nsort_by: weight\n---\n");
        assert_eq!(front.page_kind.as_deref(), Some("essay"));
        assert_eq!(front.paginate_by, Some(5));
        assert_eq!(front.sort_by.as_deref(), Some("weight"));
    }

    #[test]
    fn toml_fills_fields() {
        let text = "+++\n\
            title = \"Checklist\"\n\
            date = 2024-05-01T10:20:00Z\n\
            updated = \"2024-05-03\"\n\
            tags = [\"a\", \"b\"]\n\
            era = { start = -550, end = -330 }\n\
            [extra]\n\
            source = \"x\"\n\
            list = [1, 2]\n\
            +++\n\
            # Heading\n";
        let (front, body) = ok(text);
        assert_eq!(&text[body..], "# Heading\n");
        assert_eq!(front.title.as_deref(), Some("Checklist"));
        assert_eq!(front.date, Some(date("2024-05-01T10:20:00Z")));
        assert_eq!(front.updated, Some(date("2024-05-03")));
        assert_eq!(front.taxonomies["tags"], ["a", "b"]);
        assert_eq!(
            front.era,
            Some(Era {
                start: -550,
                end: -330
            })
        );
        assert_eq!(
            front.extra,
            serde_json::json!({"source": "x", "list": [1, 2]})
        );
        assert_eq!(front.key_lines["date"], 3);
        assert_eq!(front.key_lines["extra"], 7);
    }

    #[test]
    fn toml_local_date_is_a_date() {
        let (front, _) = ok("+++\ndate = 2024-05-01\n+++\n");
        assert_eq!(front.date, Some(date("2024-05-01")));
        assert!(!front.date.unwrap().has_time);
    }

    #[test]
    fn no_front_matter_is_defaults() {
        assert_eq!(ok("# Title\n\nText"), (FrontMatter::default(), 0));
        assert_eq!(ok("--- not a fence\n"), (FrontMatter::default(), 0));
    }

    #[test]
    fn empty_file_and_empty_block() {
        assert_eq!(ok(""), (FrontMatter::default(), 0));
        assert_eq!(ok("---\n---\n"), (FrontMatter::default(), 8));
        assert_eq!(ok("---\n---"), (FrontMatter::default(), 7));
        assert_eq!(ok("---\n# only a comment\n---\n").1, 25);
        assert_eq!(ok("+++\n+++\nx").1, 8);
    }

    #[test]
    fn bom_is_skipped() {
        assert_eq!(ok("\u{feff}# Title").1, 3);
        let text = "\u{feff}---\ntitle: Hi\n---\nBody";
        let (front, body) = ok(text);
        assert_eq!(front.title.as_deref(), Some("Hi"));
        assert_eq!(&text[body..], "Body");
    }

    #[test]
    fn crlf_line_endings() {
        let text = "---\r\ntitle: Hi\r\ntags: [a]\r\n---\r\nBody\r\n";
        let (front, body) = ok(text);
        assert_eq!(front.title.as_deref(), Some("Hi"));
        assert_eq!(front.taxonomies["tags"], ["a"]);
        assert_eq!(&text[body..], "Body\r\n");
        let text = "+++\r\ntitle = \"Hi\"\r\n+++\r\nBody";
        assert_eq!(&text[ok(text).1..], "Body");
        assert_eq!(
            errors("---\r\ntitel: Hi\r\n---\r\n"),
            "error: unknown field `titel` in front matter\n --> content/a.md:2:1\n  |\n2 | titel: Hi\n  | ^^^^^\n  |\n  = help: did you mean `title`?"
        );
    }

    #[test]
    fn body_offset_follows_closing_fence() {
        let text = "---\ntitle: a\n---   \n\n---\nnot front matter\n";
        let (_, body) = ok(text);
        assert_eq!(&text[body..], "\n---\nnot front matter\n");
        let text = "---\ntitle: é\n---";
        assert_eq!(ok(text).1, text.len());
    }

    #[test]
    fn accepted_date_forms() {
        let utc = "2024-05-01T10:20:00Z";
        for form in [
            "2024-05-01T10:20:00",
            "2024-05-01T10:20:00Z",
            "2024-05-01 10:20:00",
            "2024-05-01T12:20:00+02:00",
        ] {
            let d = date(form);
            assert_eq!(d.timestamp.to_string(), utc, "{form}");
            assert!(d.has_time, "{form}");
        }
        let (front, _) = ok("---\ndate: 2024-05-01 10:20:00\n---\n");
        assert_eq!(front.date.unwrap().timestamp.to_string(), utc);
        assert_eq!(
            serde_json::to_string(&date("2024-05-01")).unwrap(),
            "\"2024-05-01T00:00:00Z\""
        );
        for bad in [
            "May 1st",
            "2024-13-01",
            "2024-05",
            "10:20:00",
            "",
            "2024-05-01T25:00",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_are_accepted_as_text() {
        let (front, _) = ok("---\ntitle: 1984\ntags: [2024, history]\n---\n");
        assert_eq!(front.title.as_deref(), Some("1984"));
        assert_eq!(front.taxonomies["tags"], ["2024", "history"]);
    }

    #[test]
    fn empty_values_are_absent() {
        let (front, _) = ok("---\ntitle:\ntags:\ndraft:\nextra:\n---\n");
        assert_eq!(front.title, None);
        assert!(front.taxonomies.is_empty());
        assert!(!front.draft);
        assert_eq!(front.extra, Json::Null);
    }

    #[test]
    fn unclosed_fence() {
        assert_eq!(
            errors("---\ntitle: Hi\n\nBody\n"),
            "error: front matter is not closed\n --> content/a.md:1:1\n  |\n1 | ---\n  | ^^^\n  |\n  = help: end it with a line containing only `---`"
        );
        assert_eq!(
            errors("\u{feff}+++"),
            "error: front matter is not closed\n --> content/a.md:1:1\n  |\n1 | +++\n  | ^^^\n  |\n  = help: end it with a line containing only `+++`"
        );
    }

    #[test]
    fn unknown_key_with_suggestion() {
        assert_eq!(
            errors("---\ntitle: Hi\n\ntitel: Oops\n---\n"),
            "error: unknown field `titel` in front matter\n --> content/a.md:4:1\n  |\n4 | titel: Oops\n  | ^^^^^\n  |\n  = help: did you mean `title`?"
        );
    }

    #[test]
    fn every_unknown_key_is_reported() {
        assert_eq!(
            errors("---\ntitel: Hi\ndescr: x\ntgas: [a]\nfoo: 1\n---\n"),
            "error: unknown field `titel` in front matter\n --> content/a.md:2:1\n  |\n2 | titel: Hi\n  | ^^^^^\n  |\n  = help: did you mean `title`?\n\n\
             error: unknown field `descr` in front matter\n --> content/a.md:3:1\n  |\n3 | descr: x\n  | ^^^^^\n  |\n  = help: did you mean `description`?\n\n\
             error: unknown field `tgas` in front matter\n --> content/a.md:4:1\n  |\n4 | tgas: [a]\n  | ^^^^\n  |\n  = help: did you mean `tags`?\n\n\
             error: unknown field `foo` in front matter\n --> content/a.md:5:1\n  |\n5 | foo: 1\n  | ^^^\n  |\n  = help: valid fields are title, description, date, updated, draft, slug, aliases, weight, template, kind, extra, page_kind, paginate_by, sort_by, era, region, people, strengths, sources, tags, places; free-form values go under `extra:`"
        );
    }

    #[test]
    fn unknown_taxonomy_key() {
        assert_eq!(
            errors("---\ntaxonomies: {tags: [a]}\n---\n"),
            "error: unknown field `taxonomies` in front matter\n --> content/a.md:2:1\n  |\n2 | taxonomies: {tags: [a]}\n  | ^^^^^^^^^^\n  |\n  = help: write each taxonomy as its own key, e.g. `tags: [a, b]`"
        );
    }

    #[test]
    fn unknown_key_in_toml() {
        assert_eq!(
            errors("+++\ntitle = \"x\"\n[extr]\nfoo = 1\n+++\n"),
            "error: unknown field `extr` in front matter\n --> content/a.md:3:2\n  |\n3 | [extr]\n  |  ^^^^\n  |\n  = help: did you mean `extra`?"
        );
    }

    #[test]
    fn wrong_types_are_all_reported() {
        assert_eq!(
            errors("---\ntags: history\ndraft: \"maybe\"\nweight: \"x\"\ntitle: [a]\n---\n"),
            "error: `tags` must be a list, not the text `history`\n --> content/a.md:2:7\n  |\n2 | tags: history\n  |       ^^^^^^^\n  |\n  = help: write `tags: [history]`\n\n\
             error: `draft` must be `true` or `false`, not the text `maybe`\n --> content/a.md:3:8\n  |\n3 | draft: \"maybe\"\n  |        ^^^^^^^\n  |\n  = help: write `draft: true` or `draft: false`, without quotes\n\n\
             error: `weight` must be a whole number, not the text `x`\n --> content/a.md:4:9\n  |\n4 | weight: \"x\"\n  |         ^^^\n  |\n  = help: write a number without quotes, e.g. `weight: 10`\n\n\
             error: `title` must be text, not a list\n --> content/a.md:5:8\n  |\n5 | title: [a]\n  |        ^^^\n  |\n  = help: write the text in quotes, e.g. `title: \"Some text\"`"
        );
    }

    #[test]
    fn wrong_types_in_toml() {
        assert_eq!(
            errors("+++\ntags = \"a, b\"\naliases = [1.5, {x = 1}]\n+++\n"),
            "error: `tags` must be a list, not the text `a, b`\n --> content/a.md:2:8\n  |\n2 | tags = \"a, b\"\n  |        ^^^^^^\n  |\n  = help: write `tags = [\"a\", \"b\"]`\n\n\
             error: `aliases` must be a list of text items, but item 2 is a table\n --> content/a.md:3:11\n  |\n3 | aliases = [1.5, {x = 1}]\n  |           ^^^^^^^^^^^^^^\n  |\n  = help: write each item as text, e.g. `aliases = [\"a\", \"b\"]`"
        );
    }

    #[test]
    fn list_on_later_lines_is_located_at_key() {
        assert_eq!(
            errors("---\npeople:\n  - {name: x}\n---\n"),
            "error: `people` must be a list of text items, but item 1 is a mapping\n --> content/a.md:2:1\n  |\n2 | people:\n  | ^^^^^^\n  |\n  = help: write each item as text, e.g. `people: [a, b]`"
        );
    }

    #[test]
    fn bad_date() {
        assert_eq!(
            errors("---\ntitle: x\ndate: May 1st # old\n---\n"),
            "error: `date` is not a date: `May 1st`\n --> content/a.md:3:7\n  |\n3 | date: May 1st # old\n  |       ^^^^^^^\n  |\n  = help: write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00"
        );
        assert_eq!(
            errors("+++\nupdated = 10:20:00\n+++\n"),
            "error: `updated` is not a date: `10:20:00`\n --> content/a.md:2:11\n  |\n2 | updated = 10:20:00\n  |           ^^^^^^^^\n  |\n  = help: write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00"
        );
    }

    #[test]
    fn tab_indentation() {
        assert_eq!(
            errors("---\ntitle: x\nextra:\n  a: 1\n\tb: 2\n---\n"),
            "error: tab character used for indentation\n --> content/a.md:5:1\n  |\n5 |     b: 2\n  | ^^^^\n  |\n  = help: YAML does not allow tabs for indentation; indent with spaces"
        );
    }

    #[test]
    fn unclosed_quote_points_at_opening_quote() {
        assert_eq!(
            errors("---\ntitle: \"Hello\ndraft: true\n---\nbody\n"),
            "error: quoted value is not closed\n --> content/a.md:2:8\n  |\n2 | title: \"Hello\n  |        ^\n  |\n  = help: add the closing quote at the end of the value"
        );
    }

    #[test]
    fn duplicate_key() {
        assert_eq!(
            errors("---\ntitle: a\ndraft: true\ntitle: b\n---\n"),
            "error: `title` is set twice in front matter\n --> content/a.md:4:1\n  |\n4 | title: b\n  | ^^^^^\n  |\n  = help: remove one of the two lines"
        );
        assert_eq!(
            errors("+++\ntitle = \"a\"\ntitle = \"b\"\n+++\n"),
            "error: `title` is set twice in front matter\n --> content/a.md:3:1\n  |\n3 | title = \"b\"\n  | ^^^^^\n  |\n  = help: remove one of the two lines"
        );
    }

    #[test]
    fn colon_in_value_and_bad_indentation() {
        assert_eq!(
            errors("---\ntitle: Rome: the fall\n---\n"),
            "error: unexpected `:` in a value\n --> content/a.md:2:12\n  |\n2 | title: Rome: the fall\n  |            ^\n  |\n  = help: a value that contains `: ` must be in quotes, e.g. `title: \"Rome: the fall\"`"
        );
        assert_eq!(
            errors("---\ntitle: x\n  draft: true\n---\n"),
            "error: this line is indented more than the key above it\n --> content/a.md:3:1\n  |\n3 |   draft: true\n  | ^^\n  |\n  = help: keys of one mapping start in the same column; remove the extra spaces, or nest the line under a key that has no value of its own"
        );
        assert_eq!(
            errors("---\nextra:\n  a: 1\n b: 2\n---\n"),
            "error: this line is not indented like the lines around it\n --> content/a.md:4:2\n  |\n4 |  b: 2\n  |  ^\n  |\n  = help: keys of one mapping start in the same column; indent nested values with spaces"
        );
    }

    #[test]
    fn toml_syntax_error_is_located() {
        assert_eq!(
            errors("+++\ntitle = x\n+++\n"),
            "error: invalid TOML: string values must be quoted, expected literal string\n --> content/a.md:2:9\n  |\n2 | title = x\n  |         ^\n  |\n  = help: check the TOML syntax: text values need quotes, lists are written `[\"a\", \"b\"]`, each key appears once"
        );
    }

    #[test]
    fn not_a_mapping() {
        assert_eq!(
            errors("---\n- a\n---\n"),
            "error: front matter is not a list of `key: value` lines\n --> content/a.md:2:1\n  |\n2 | - a\n  | ^\n  |\n  = help: write one `key: value` per line, e.g. `title: My page`"
        );
    }

    #[test]
    fn era_bce() {
        let (front, _) = ok("---\nera:\n  start: -550\n  end: -1\n---\n");
        assert_eq!(
            front.era,
            Some(Era {
                start: -550,
                end: -1
            })
        );
    }

    #[test]
    fn era_start_after_end() {
        assert_eq!(
            errors("---\nera: {start: 500, end: -330}\n---\n"),
            "error: `era` ends before it starts: 500 is after -330\n --> content/a.md:2:1\n  |\n2 | era: {start: 500, end: -330}\n  | ^^^\n  |\n  = help: `start` is the earlier year; BCE years are negative, e.g. `era: {start: -550, end: -330}` is 550 BCE to 330 BCE"
        );
    }

    #[test]
    fn era_year_zero_floats_and_missing() {
        assert_eq!(
            errors("---\nera: {start: 0, end: 1.5}\n---\n"),
            "error: `era.end` must be a whole number (a year), not the number `1.5`\n --> content/a.md:2:1\n  |\n2 | era: {start: 0, end: 1.5}\n  | ^^^\n  |\n  = help: write `era: {start: -550, end: -330}`; negative years are BCE\n\n\
             error: `era.start` is 0, but there is no year 0\n --> content/a.md:2:1\n  |\n2 | era: {start: 0, end: 1.5}\n  | ^^^\n  |\n  = help: 1 BCE is `-1` and 1 CE is `1`"
        );
        assert_eq!(
            errors("---\nera: {begin: 5}\n---\n"),
            "error: `era` has no `end` year\n --> content/a.md:2:1\n  |\n2 | era: {begin: 5}\n  | ^^^\n  |\n  = help: write `era: {start: -550, end: -330}`; negative years are BCE\n\n\
             error: `era` has no `start` year\n --> content/a.md:2:1\n  |\n2 | era: {begin: 5}\n  | ^^^\n  |\n  = help: write `era: {start: -550, end: -330}`; negative years are BCE\n\n\
             error: unknown field `begin` in `era`\n --> content/a.md:2:1\n  |\n2 | era: {begin: 5}\n  | ^^^\n  |\n  = help: `era` has only `start` and `end`"
        );
    }

    #[test]
    fn bad_kind_and_sort_order() {
        assert_eq!(
            errors("---\nkind: esay\nsort_by: newest\n---\n"),
            "error: unknown page kind `esay`\n --> content/a.md:2:7\n  |\n2 | kind: esay\n  |       ^^^^\n  |\n  = help: did you mean `essay`?\n\n\
             error: unknown sort order `newest`\n --> content/a.md:3:10\n  |\n3 | sort_by: newest\n  |          ^^^^^^\n  |\n  = help: use one of: date, weight, title"
        );
    }

    #[test]
    fn empty_slug_and_zero_pagination() {
        assert_eq!(
            errors("---\nslug: \"\"\npaginate_by: 0\n---\n"),
            "error: `slug` is empty\n --> content/a.md:2:1\n  |\n2 | slug: \"\"\n  | ^^^^\n  |\n  = help: remove `slug` to use the file name, or give a URL segment such as `my-page`\n\n\
             error: `paginate_by` must be at least 1, not 0\n --> content/a.md:3:14\n  |\n3 | paginate_by: 0\n  |              ^\n  |\n  = help: give the number of pages per listing page, e.g. `paginate_by: 10`"
        );
    }

    #[test]
    fn extra_must_be_a_mapping() {
        assert_eq!(
            errors("---\nextra: [1]\n---\n"),
            "error: `extra` must hold named values, not a list\n --> content/a.md:2:8\n  |\n2 | extra: [1]\n  |        ^^^\n  |\n  = help: write the values on indented lines below `extra:`, e.g. `extra: {source: Herodotus}`"
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        let inputs = [
            "---\n: x\n---\n",
            "---\n? [a, b]\n: c\n---\n",
            "---\n*x\n---\n",
            "---\na: &a [*a]\n---\n",
            "---\n!!binary x\n---\n",
            "---\nextra: {? [a]: 1}\n---\n",
            "---\nweight: 99999999999999999999999\n---\n",
            "---\nera: {start: 9999999999, end: 1}\n---\n",
            "---\ndate: 99999-01-01\n---\n",
            "---\ntitle: .nan\nextra: {a: .inf}\n---\n",
            "+++\nextra = { a = nan }\n+++\n",
            "+++\n[[tags]]\n+++\n",
            "+++\ntitle = \"\u{1F600}\n+++\n",
            "---\n\u{feff}\u{1F600}: é\n---\n",
            "---\r",
            "\u{feff}",
            "---\n---\n---\n",
            "---\n...\n---\n",
            "---\n%YAML 1.2\n---\n",
        ];
        for input in inputs {
            let _ = parse(Path::new("a.md"), input, TAXONOMIES);
        }
        // Every truncation of, and insertion of a troublesome character into, valid input.
        let samples = [
            "\u{feff}---\r\ntitle: \"é: x\"\r\ntags: [a, b]\r\nera: {start: -5, end: 5}\r\n---\r\nBody",
            "+++\ntitle = 'x'\ndate = 2024-05-01T10:20:00Z\n[extra]\na.b = [1, {c = 2}]\n+++\n",
        ];
        for sample in samples {
            for (i, _) in sample.char_indices() {
                let _ = parse(Path::new("a.md"), &sample[..i], TAXONOMIES);
                for c in [
                    '\t', '"', '\'', ':', '=', '\n', '\r', '[', '{', '#', '\u{feff}', 'é',
                ] {
                    let mut mutated = sample.to_string();
                    mutated.insert(i, c);
                    let _ = parse(Path::new("a.md"), &mutated, TAXONOMIES);
                }
            }
        }
        let deep = format!(
            "---\nextra: {}{}\n---\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        assert!(parse(Path::new("a.md"), &deep, TAXONOMIES).is_err());
        let deep = format!(
            "+++\nextra = {}{}\n+++\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let _ = parse(Path::new("a.md"), &deep, TAXONOMIES);
    }
}
