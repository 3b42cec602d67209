//! The field checker: each top-level key of the format-independent tree is checked on its own
//! and turned into its typed [`FrontMatter`] field, so every wrong key and value of a file is
//! reported in one build. Messages name the key, say what was found and what is expected, and
//! hints are written in the file's own format (`key: value` or `key = value`).

use std::path::Path;

use serde_json::Value as Json;

use crate::diagnostics::{Diagnostic, closest};

use super::split::{Block, Format};
use super::{Entry, FrontMatter, KNOWN_FIELDS, PageKind, Rules, SortOrder};

/// Checks each top-level entry and fills [`FrontMatter`], collecting every error.
pub(super) struct Checker<'a> {
    pub(super) path: &'a Path,
    pub(super) text: &'a str,
    pub(super) block: &'a Block<'a>,
    pub(super) errors: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    pub(super) fn new(path: &'a Path, text: &'a str, block: &'a Block<'a>) -> Checker<'a> {
        Checker {
            path,
            text,
            block,
            errors: Vec::new(),
        }
    }

    pub(super) fn fields(&mut self, entries: Vec<Entry>, rules: &Rules) -> FrontMatter {
        let mut front = FrontMatter::default();
        let mut properties = serde_json::Map::new();
        for Entry { key, value } in entries {
            front
                .key_lines
                .insert(key.clone(), self.key_location(&key).line);
            if is_known(&key, rules) && self.placeholder(&key, &value, &mut front) {
                continue;
            }
            let value = match value {
                Ok(value) => value,
                Err(problem) => {
                    // A property of a note template (`created: {{date}}`, which YAML reads as
                    // a mapping inside a mapping) is kept as written: it is the author's text.
                    if !is_known(&key, rules)
                        && let Some(text) = self.value_text(&key)
                    {
                        let text = Json::String(text.to_string());
                        if self.unknown_key(&key, rules) {
                            properties.insert(key, text);
                        }
                        continue;
                    }
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
                "publish" => front.publish = self.boolean(&key, &value),
                "slug" => front.slug = self.slug(&value),
                "permalink" => front.permalink = self.permalink(&value),
                "aliases" => front.aliases = self.names(&key, &value),
                "cssclasses" => front.cssclasses = self.classes(&key, &value),
                "weight" => front.weight = self.integer(&key, &value),
                "template" => front.template = self.text_value(&key, &value),
                "kind" => front.kind = self.page_kind(&key, &value),
                "page_kind" => front.page_kind = self.page_kind(&key, &value),
                "extra" => front.extra = self.extra(&value),
                "paginate_by" => front.paginate_by = self.paginate_by(&value),
                "sort_by" => {
                    let orders = SortOrder::ALL;
                    front.sort_by =
                        self.choice(&key, &value, &orders, SortOrder::as_str, "sort order");
                }
                "era" => front.era = self.era(&value),
                "region" => front.region = self.text_value(&key, &value),
                "people" => front.people = self.list(&key, &value),
                "strengths" => front.strengths = self.list(&key, &value),
                "sources" => front.sources = self.list(&key, &value),
                name if rules.taxonomies.contains(&name) => {
                    let terms = if name == "tags" {
                        self.tags(&key, &value)
                    } else {
                        self.list(&key, &value)
                    };
                    if !terms.is_empty() {
                        front.taxonomies.insert(key, terms);
                    }
                }
                _ => {
                    if self.unknown_key(&key, rules) {
                        properties.insert(key, value);
                    }
                }
            }
        }
        // Obsidian Publish's switch means what `draft` means, everywhere a draft is left out.
        if front.publish == Some(false) {
            front.draft = true;
        }
        if !properties.is_empty() {
            match &mut front.extra {
                // An explicit `extra` value wins over a property of the same name.
                Json::Object(extra) => {
                    for (key, value) in properties {
                        extra.entry(key).or_insert(value);
                    }
                }
                extra => *extra = Json::Object(properties),
            }
        }
        front
    }

    /// Whether the field `key` holds a note template's placeholder instead of a value
    /// (`{{date}}`, `{{date:YYYY-MM-DD}}`, Templater's `<% tp.date.now() %>`), as written on its
    /// line or as a string. The field is then left unset with a note: a template is a blank for
    /// new notes, and its placeholder is not a mistake of the author's.
    fn placeholder(
        &mut self,
        key: &str,
        value: &Result<Json, &'static str>,
        front: &mut FrontMatter,
    ) -> bool {
        let text = match value {
            Ok(Json::String(text)) => Some(text.trim().to_string()),
            Err(_) => self.value_text(key).map(str::to_string),
            Ok(_) => None,
        };
        let Some(text) = text.filter(|t| is_placeholder(t)) else {
            return false;
        };
        front.notes.push(
            Diagnostic::note(format!(
                "`{key}` holds the template placeholder `{text}` and is left unset"
            ))
            .at(self.value_location(key))
            .with_hint(
                "this note looks like a note template; fill the field in, or leave template \
                 folders out with `[content] exclude = [\"Templates/\"]` in site.toml",
            ),
        );
        true
    }

    pub(super) fn error_at_key(&mut self, key: &str, message: String, hint: String) {
        let location = self.key_location(key);
        self.errors
            .push(Diagnostic::error(message).at(location).with_hint(hint));
    }

    pub(super) fn error_at_value(&mut self, key: &str, message: String, hint: String) {
        let location = self.value_location(key);
        self.errors
            .push(Diagnostic::error(message).at(location).with_hint(hint));
    }

    pub(super) fn describe(&self, value: &Json) -> String {
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
    pub(super) fn text_value(&mut self, key: &str, value: &Json) -> Option<String> {
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

    fn page_kind(&mut self, key: &str, value: &Json) -> Option<PageKind> {
        self.choice(key, value, &PageKind::ALL, PageKind::as_str, "page kind")
    }

    /// One of a fixed set of words, with "did you mean" for typos.
    fn choice<T: Copy>(
        &mut self,
        key: &str,
        value: &Json,
        all: &[T],
        name: fn(T) -> &'static str,
        what: &str,
    ) -> Option<T> {
        let word = self.text_value(key, value)?;
        if let Some(&found) = all.iter().find(|&&c| name(c) == word) {
            return Some(found);
        }
        let names: Vec<&str> = all.iter().map(|&c| name(c)).collect();
        let hint = match closest(&word, names.iter().copied()) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => format!("use one of: {}", names.join(", ")),
        };
        self.error_at_value(key, format!("unknown {what} `{word}`"), hint);
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
}

/// A field steppe reads (not a free-form property).
fn is_known(key: &str, rules: &Rules) -> bool {
    KNOWN_FIELDS.contains(&key) || rules.taxonomies.contains(&key)
}

/// A note template's placeholder: `{{…}}` (Obsidian's Templates) or `<%…%>` (Templater).
fn is_placeholder(text: &str) -> bool {
    (text.starts_with("{{") && text.ends_with("}}"))
        || (text.starts_with("<%") && text.ends_with("%>"))
}
