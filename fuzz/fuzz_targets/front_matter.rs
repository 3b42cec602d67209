//! Front matter (YAML and TOML) and `site.toml` parsing: any text must give a value or located
//! diagnostics, never a panic, a hang or a blow-up.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use steppe::config::Config;
use steppe::parse::front_matter;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("content/fuzz.md");
    // Both readings: unknown keys as page properties, and as errors.
    let strict = data.first().is_some_and(|b| b & 1 == 1);
    let rules = front_matter::Rules {
        taxonomies: &["tags", "people"],
        strict,
    };
    match front_matter::parse(path, text, &rules) {
        Ok((_, body_start)) => assert!(text.is_char_boundary(body_start)),
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty());
            for d in &diagnostics {
                steppe_fuzz_check(d, text);
            }
        }
    }
    if let Err(diagnostics) = Config::parse(Path::new("site.toml"), text) {
        for d in &diagnostics {
            steppe_fuzz_check(d, text);
        }
    }
});

/// A diagnostic renders, and its line exists in the file.
fn steppe_fuzz_check(d: &steppe::diagnostics::Diagnostic, text: &str) {
    let _ = d.render(false);
    if let Some(location) = &d.location {
        assert!(
            location.line <= text.split('\n').count(),
            "line {} past the end: {d:?}",
            location.line
        );
    }
}
