//! TOML front matter (`+++` fences): the toml crate's table converted to the format-independent
//! tree, and its errors turned into located diagnostics. toml reports byte spans in the block,
//! so locating is only adding the block's offset.

use std::path::Path;

use serde_json::Value as Json;

use crate::diagnostics::{Diagnostic, Location};

use super::split::{Block, FIRST_INNER_LINE};
use super::{Entry, TOO_DEEP, TOO_DEEP_HINT};

/// The top-level entries of a TOML block; a syntax error is the one error returned.
pub(super) fn entries(
    path: &Path,
    text: &str,
    block: &Block,
) -> Result<Vec<Entry>, Vec<Diagnostic>> {
    let table: ::toml::Table =
        ::toml::from_str(block.inner).map_err(|e| vec![error(path, text, block, &e)])?;
    Ok(table
        .into_iter()
        .map(|(key, value)| Entry {
            key,
            value: Ok(to_json(value)),
        })
        .collect())
}

pub(crate) fn to_json(value: ::toml::Value) -> Json {
    use ::toml::Value as T;
    match value {
        T::String(s) => Json::String(s),
        T::Integer(i) => Json::from(i),
        T::Float(f) => serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number),
        T::Boolean(b) => Json::Bool(b),
        T::Datetime(d) => Json::String(d.to_string()),
        T::Array(items) => Json::Array(items.into_iter().map(to_json).collect()),
        T::Table(table) => Json::Object(table.into_iter().map(|(k, v)| (k, to_json(v))).collect()),
    }
}

/// A toml error as a located diagnostic.
fn error(path: &Path, text: &str, block: &Block, error: &::toml::de::Error) -> Diagnostic {
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
