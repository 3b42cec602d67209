//! Untrusted input: a site's files may come from anyone (a cloned theme, a contributed note, a
//! committed cache). Nothing read may reach the page as markup the author did not write.

use crate::support::Site;

/// A site with one highlighted code block, built once so that `.steppe-cache/highlight.bin`
/// holds that block.
fn site_with_a_cached_block() -> (Site, String) {
    let site = Site::with_good_page();
    site.write(
        "content/code.md",
        "---\ntitle: Code\n---\n```rust\nfn main() { let greeting = \"hello\"; }\n```\n",
    );
    site.build_ok();
    let page = site.read("public/code/index.html");
    (site, page)
}

/// Replaces `from` with `to` (same length) everywhere in the cache file.
fn forge_cache(site: &Site, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let path = site.path().join(".steppe-cache/highlight.bin");
    let bytes = std::fs::read(&path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains(from), "the cache holds `{from}`");
    let forged: Vec<u8> = bytes
        .windows(from.len())
        .position(|w| w == from.as_bytes())
        .map(|at| [&bytes[..at], to.as_bytes(), &bytes[at + from.len()..]].concat())
        .unwrap();
    std::fs::write(&path, forged).unwrap();
}

#[test]
fn a_forged_cache_cannot_change_what_code_shows() {
    let (site, clean) = site_with_a_cached_block();
    // The block's text replaced by markup of the same length: the key still matches the page's
    // code, but the text does not, so the block is highlighted afresh.
    forge_cache(&site, "greeting", "<b>evil<");
    let run = site.build_ok();
    assert_eq!(run.stderr, "");
    assert_eq!(site.read("public/code/index.html"), clean);
}

#[test]
fn a_forged_class_name_is_refused_with_a_warning() {
    let (site, clean) = site_with_a_cached_block();
    forge_cache(&site, "hl-source", "x\"onclick");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: `.steppe-cache/highlight.bin` was not used: it is damaged\n |\n = help: remove it; \
         steppe writes a new one (list `.steppe-cache/` in .gitignore)\n\n"
    );
    assert_eq!(site.read("public/code/index.html"), clean);
    // The file was replaced by a good one: the next build is quiet.
    assert_eq!(site.build_ok().stderr, "");
}
