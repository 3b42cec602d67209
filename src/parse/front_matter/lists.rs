//! Lists of text, in the shapes people write them. Most list fields (`people`, `sources`, every
//! taxonomy but `tags`) must be lists. The three that Obsidian writes also accept a single text
//! value, as Obsidian does: `aliases: Old name` is one alias, `cssclasses: wide` one class, and
//! `tags: history, war` or `tags: history war` two tags. Tags lose a leading `#` (`#history`) and
//! keep their nesting (`area/history`); class names are checked, since they end up in markup.

use serde_json::Value as Json;

use super::fields::Checker;

/// How a list field reads a single text value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Single {
    /// It must be a list: `people: [a, b]`.
    Refused,
    /// One item: `aliases: Old name`.
    OneItem,
    /// Items separated by commas or spaces, as Obsidian reads `tags: a, b` or `tags: a b`.
    Words,
}

impl Checker<'_> {
    /// A list of text items; a single text value is an error.
    pub(super) fn list(&mut self, key: &str, value: &Json) -> Vec<String> {
        self.shaped_list(key, value, Single::Refused)
    }

    /// Names (`aliases`): a list, or a single name.
    pub(super) fn names(&mut self, key: &str, value: &Json) -> Vec<String> {
        self.shaped_list(key, value, Single::OneItem)
    }

    /// Tags: a list, or one text of tags separated by commas or spaces; a leading `#` and
    /// slashes around a nested tag (`/area/history/`) are dropped.
    pub(super) fn tags(&mut self, key: &str, value: &Json) -> Vec<String> {
        let mut tags = Vec::new();
        for item in self.shaped_list(key, value, Single::Words) {
            let tag = item.trim().trim_start_matches('#').trim_matches('/').trim();
            if tag.is_empty() {
                let message = format!("`{key}` has a tag with no name: `{item}`");
                self.error_at_value(key, message, "write the tag's name after `#`".to_string());
            } else {
                tags.push(tag.to_string());
            }
        }
        tags
    }

    /// CSS class names (`cssclasses`): a list, or one text of names separated by spaces, as in a
    /// `class` attribute. A name is letters, digits, `-` and `_`.
    pub(super) fn classes(&mut self, key: &str, value: &Json) -> Vec<String> {
        let mut classes = Vec::new();
        for item in self.shaped_list(key, value, Single::OneItem) {
            for class in item.split_whitespace() {
                if class
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
                {
                    classes.push(class.to_string());
                } else {
                    let message = format!("`{key}` has `{class}`, which is not a class name");
                    let hint = "class names are made of letters, digits, `-` and `_`, e.g. \
                                `wide-page`"
                        .to_string();
                    self.error_at_value(key, message, hint);
                }
            }
        }
        classes
    }

    fn shaped_list(&mut self, key: &str, value: &Json, single: Single) -> Vec<String> {
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
            Json::String(s) if single == Single::OneItem => {
                if s.trim().is_empty() {
                    Vec::new()
                } else {
                    vec![s.clone()]
                }
            }
            Json::String(s) if single == Single::Words => s
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|word| !word.is_empty())
                .map(str::to_string)
                .collect(),
            Json::Number(n) if single != Single::Refused => vec![n.to_string()],
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
}
