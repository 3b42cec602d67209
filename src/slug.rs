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

/// The longest slug a file, folder, term or name gives a URL segment, in bytes. A file system
/// holds at most 255 bytes per name, and transliteration can make a name longer (`草` is
/// `cao-`), so an 80-character CJK file name would otherwise be a folder no build can write.
/// 200 leaves room for file systems with shorter limits and is past any name a reader types.
pub(crate) const MAX_SEGMENT_SLUG: usize = 200;

/// The slug of a name that becomes one URL segment: [`slugify`], cut to [`MAX_SEGMENT_SLUG`]
/// bytes (Zola and Hugo authors get a URL for any file name, so a long name is shortened, not
/// refused). The cut is deterministic: at the last dash in the second half of the limit when there
/// is one, so words stay whole, else at the limit. Every URL collision check sees the cut slug.
pub(crate) fn segment_slug(text: &str) -> String {
    let mut slug = slugify(text);
    if slug.len() > MAX_SEGMENT_SLUG {
        // The slug is ASCII, so every byte offset is a character boundary.
        let head = &slug[..=MAX_SEGMENT_SLUG];
        let cut = match head.rfind('-') {
            Some(dash) if dash >= MAX_SEGMENT_SLUG / 2 => dash,
            _ => MAX_SEGMENT_SLUG,
        };
        slug.truncate(cut);
        let kept = slug.trim_end_matches(['-', '_']).len();
        slug.truncate(kept);
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::{MAX_SEGMENT_SLUG, segment_slug, slugify};

    #[test]
    fn long_names_are_cut_between_words() {
        let name = "草".repeat(80);
        let slug = segment_slug(&name);
        // 50 whole `cao` words: the 51st would end past the limit.
        assert_eq!(slug, vec!["cao"; 50].join("-"));
        assert!(slug.len() <= MAX_SEGMENT_SLUG);
        let word = "a".repeat(300);
        assert_eq!(segment_slug(&word), "a".repeat(MAX_SEGMENT_SLUG));
        assert_eq!(segment_slug("Short name"), "short-name");
    }

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
