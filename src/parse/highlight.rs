//! Build-time syntax highlighting with syntect (onig) and two-face's syntax set, as CSS classes.

/// Loaded syntax definitions. Build once per process and share it read-only.
pub struct Highlighter {
    pub syntaxes: syntect::parsing::SyntaxSet,
}
