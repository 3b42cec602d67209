//! Slugs: URL-safe names for files, folders, headings and taxonomy terms.

/// Lowercase ASCII letters and digits joined by single dashes; Unicode is transliterated
/// (`Ögedei Khan` → `ogedei-khan`). Returns an empty string when nothing usable is left.
pub(crate) fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode_with_tofu(text, "-");
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else if c == '_' && !slug.is_empty() {
            // Underscores survive, as in `_index` style names authors may choose.
            if pending_dash {
                slug.push('-');
                pending_dash = false;
            }
            slug.push('_');
        } else {
            pending_dash = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Micro beats solo"), "micro-beats-solo");
        assert_eq!(slugify("  Ögedei   Khan! "), "ogedei-khan");
        assert_eq!(
            slugify("Sogdian traders (500–800 CE)"),
            "sogdian-traders-500-800-ce"
        );
        assert_eq!(slugify("C++ & Rust"), "c-rust");
        assert_eq!(slugify("!!!"), "");
        assert_eq!(slugify("snake_case name"), "snake_case-name");
    }
}
