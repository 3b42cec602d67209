//! The syntax definitions and themes steppe ships: two-face's (about 200 languages, including
//! TOML and TypeScript, and bat's themes).
//!
//! two-face hands them out as values of crates.io's syntect, while steppe highlights with its
//! own copy, `steppe-syntect` (vendor/syntect/STEPPE.md), whose types belong to another crate:
//! its `from_syntect` carries them over (as their serialized bytes; each grammar's contexts
//! stay serialized until a block uses them).

use syntect::from_syntect;
use syntect::highlighting::Theme;
use syntect::parsing::SyntaxSet;

/// two-face's syntax set (grammars that match line endings), as a steppe-syntect value.
pub(crate) fn syntaxes() -> SyntaxSet {
    from_syntect::syntax_set(&two_face::syntax::extra_newlines())
}

/// two-face's theme called `name`, as a steppe-syntect value.
pub(crate) fn theme(name: &str) -> Option<Theme> {
    two_face::theme::LazyThemeSet::from(two_face::theme::extra())
        .get(name)
        .map(from_syntect::theme)
}
