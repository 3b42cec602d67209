//! YAML front matter: serde_yaml's tree converted to the format-independent one, and serde_yaml's
//! errors (libyaml's wording, block-relative positions) turned into plain, located diagnostics.
//! serde_yaml is archived upstream but sound; keeping all of it in this one file keeps a change
//! of YAML parser to this file.

use std::path::Path;

use serde_json::Value as Json;

use crate::diagnostics::{Diagnostic, Location};

use super::split::{Block, FIRST_INNER_LINE};
use super::{Entry, TOO_DEEP, TOO_DEEP_HINT, depth, position::key_span};

/// The top-level entries of a YAML block; a syntax error, a block that is not a mapping or a key
/// that is not a plain name is the one error returned.
pub(super) fn entries(
    path: &Path,
    text: &str,
    block: &Block,
) -> Result<Vec<Entry>, Vec<Diagnostic>> {
    if let Some(at) = depth::too_deep(block.inner) {
        return Err(vec![
            Diagnostic::error(TOO_DEEP)
                .at(Location::from_offset(path, text, block.offset + at, 1))
                .with_hint(TOO_DEEP_HINT),
        ]);
    }
    let value: serde_yaml::Value =
        serde_yaml::from_str(block.inner).map_err(|e| vec![error(path, text, block, &e)])?;
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
        let Some(key) = key_text(&key) else {
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
            value: to_json(value),
        });
    }
    Ok(entries)
}

/// A mapping key as text; `None` for keys that are lists, mappings or null.
fn key_text(key: &serde_yaml::Value) -> Option<String> {
    match key {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        serde_yaml::Value::Tagged(tagged) => key_text(&tagged.value),
        _ => None,
    }
}

fn to_json(value: serde_yaml::Value) -> Result<Json, &'static str> {
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
        Y::Sequence(items) => {
            Json::Array(items.into_iter().map(to_json).collect::<Result<_, _>>()?)
        }
        Y::Mapping(mapping) => {
            let mut object = serde_json::Map::new();
            for (key, value) in mapping {
                let key = key_text(&key).ok_or("a nested key is not a plain name")?;
                object.insert(key, to_json(value)?);
            }
            Json::Object(object)
        }
        Y::Tagged(tagged) => to_json(tagged.value)?,
    })
}

/// A whole YAML data file (`data/x.yaml`) as one value; a syntax error at its line and column.
pub(crate) fn document(path: &Path, text: &str) -> Result<Json, Diagnostic> {
    let block = Block {
        format: super::split::Format::Yaml,
        inner: text,
        offset: 0,
        body: text.len(),
    };
    if let Some(at) = depth::too_deep(text) {
        return Err(
            Diagnostic::error("this file is nested or repeated too deeply")
                .at(Location::from_offset(path, text, at, 1))
                .with_hint("flatten the data: at most 127 levels of lists and mappings"),
        );
    }
    let value: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| error(path, text, &block, &e))?;
    to_json(value).map_err(|problem| {
        Diagnostic::error(format!("invalid data: {problem}"))
            .at(Location::from_line_column(path, text, 1, 1, 1))
            .with_hint("keys of a mapping are plain names or numbers, not lists or mappings")
    })
}

/// A serde_yaml error as a located diagnostic, with a plain message for the cryptic ones.
fn error(path: &Path, text: &str, block: &Block, error: &serde_yaml::Error) -> Diagnostic {
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
        let place = if block.offset == 0 {
            ""
        } else {
            " in front matter"
        };
        return Diagnostic::error(format!("`{key}` is set twice{place}"))
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

/// Splits serde_yaml's `problem at line L column C, context at line L column C` into the
/// problem, the context and the context's 1-based (line, column).
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
