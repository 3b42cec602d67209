//! The Markdown pipeline of one document: front matter split, pulldown-cmark, links, wikilinks,
//! embeds, callouts, math, highlighting, TOC, summary. The first byte picks the options.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use steppe::config::Config;
use steppe::parse::highlight::Highlighter;
use steppe::files::Source;
use steppe::parse::parse_doc;

fuzz_target!(|data: &[u8]| {
    static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut config = Config::default();
    config.markdown.smart_punctuation = flags & 1 != 0;
    config.markdown.math = flags & 2 != 0;
    config.markdown.heading_anchors = flags & 4 != 0;
    config.markdown.external_links_new_tab = flags & 8 != 0;
    let source = Source {
        path: Path::new("content/fuzz.md").to_path_buf(),
        text: text.into(),
    };
    let doc = parse_doc(&source, &config, HIGHLIGHTER.get_or_init(Highlighter::new));
    let lines = text.split('\n').count();
    for d in &doc.diagnostics {
        let _ = d.render(false);
        if let Some(location) = &d.location {
            assert!(location.line <= lines, "line past the end: {d:?}");
        }
    }
    for link in &doc.body.links {
        assert!(
            link.location.line >= 1 && link.location.line <= lines,
            "link line out of range: {link:?}"
        );
    }
    // Every hole refers to a link of the document.
    let html = doc.body.html.assemble(|hole| {
        let i = match hole {
            steppe::parse::markdown::Hole::Href(i) | steppe::parse::markdown::Hole::Embed(i) => i,
        };
        assert!(i < doc.body.links.len(), "hole {i} without a link");
        "".into()
    });
    let _ = html;
});
