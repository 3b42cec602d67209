//! Keys steppe does not know. Note-taking tools write free-form properties (Obsidian's `id`,
//! `created`, `cssclasses`, whatever a plugin adds), so an unknown key is kept as a page property
//! for templates (`page.extra`, beside the explicit `extra:` values) instead of failing the build.
//!
//! Two things stay errors. A near miss of a known field (`titel`, `tag`, `alias`, `dates`) is
//! almost always a typo whose value would otherwise vanish into `page.extra`, so it is reported
//! with "did you mean". And `[content] strict_front_matter = true` makes every unknown key an
//! error, for authors who want steppe to check all of their front matter.
//!
//! A near miss is at most two edits from a field and close for its length
//! ([`crate::diagnostics::closest`]). Real properties that happen to be that close to a field
//! are listed in [`NOT_NEAR_MISSES`]: `source` is not a misspelt `sources`.

use crate::diagnostics::{closest, edit_distance};

use super::fields::Checker;
use super::{KNOWN_FIELDS, Rules};

/// Properties common in notes (Obsidian, its plugins, web clippers, other generators) that are
/// within a near miss of a field; compared without case.
pub(super) const NOT_NEAR_MISSES: &[&str] = &[
    // Obsidian Web Clipper writes `source` (the page's URL) and `published` (a date).
    "source",
    "published",
    "publisher",
    // Image and embed sizes.
    "height",
];

/// Most edits between a key and the field it is taken for a misspelling of.
const MAX_EDITS: usize = 2;

impl Checker<'_> {
    /// Checks a key that is no field: returns whether to keep it as a page property, after
    /// reporting it when it is an error.
    pub(super) fn unknown_key(&mut self, key: &str, rules: &Rules) -> bool {
        let valid: Vec<&str> = KNOWN_FIELDS
            .iter()
            .copied()
            .chain(rules.taxonomies.iter().copied())
            .collect();
        let format = self.block.format;
        if !rules.strict && key != "taxonomies" {
            let Some(field) = near_miss(key, &valid) else {
                return true;
            };
            self.error_at_key(
                key,
                format!("unknown field `{key}` in front matter"),
                format!("did you mean `{field}`?"),
            );
            return false;
        }
        let suggestion = closest(key, valid.iter().copied()).or_else(|| {
            let key = key.to_lowercase();
            valid
                .iter()
                .copied()
                .find(|v| key.chars().count() >= 3 && v.starts_with(&key))
        });
        let hint = match suggestion {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            // Zola's spelling: terms nested under `taxonomies` would silently vanish.
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
        false
    }
}

/// The field `key` is a misspelling of, if it is one.
fn near_miss<'a>(key: &str, fields: &[&'a str]) -> Option<&'a str> {
    if NOT_NEAR_MISSES.iter().any(|p| p.eq_ignore_ascii_case(key)) {
        return None;
    }
    let field = closest(key, fields.iter().copied())?;
    (edit_distance(&key.to_lowercase(), &field.to_lowercase()) <= MAX_EDITS).then_some(field)
}
