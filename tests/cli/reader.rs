//! The reader aids of the default theme as the build writes them: link previews (fragments for
//! linked pages only, with the parts links point to), the explorer page, recently updated,
//! reading progress and back to top. How they behave in a browser: `tests/browser/previews.mjs`.

use insta::assert_snapshot;

use crate::support::{Site, element, png, start_tag, whole};

/// A page with math, code, an image, headings and a block, linked whole, by heading and by
/// block from another page; a third page nobody links to.
fn linked_site(reader: &str) -> Site {
    let site = Site::new(&format!(
        "title = \"Reader\"\nbase_url = \"https://example.com/\"\n[search]\nenabled = false\n{reader}"
    ));
    site.write(
        "content/notes/target.md",
        "---\ntitle: Target <note>\ndate: 2024-01-02\n---\n\
         Opening with $x^2$ and an image ![a map](map.png).\n\n\
         ```rust\nfn main() {}\n```\n\n\
         ## Second part\n\nIn the second part.\n\n### Deeper\n\nStill second.\n\n\
         ## Third part\n\nNot shown for the second.\n\n\
         - one\n- the step ^step\n",
    );
    site.write_bytes("content/notes/map.png", &png(40, 30));
    site.write(
        "content/notes/from.md",
        "---\ntitle: From\ndate: 2024-03-04\n---\n\
         See [[Target <note>]], [[Target <note>#Second part]] and [[Target <note>#^step]].\n",
    );
    site.write(
        "content/Élan.md",
        "---\ntitle: Élan\nupdated: 2024-05-06\n---\nNo links.\n",
    );
    site
}

#[test]
fn a_linked_page_gets_a_preview_with_its_opening_and_the_parts_links_name() {
    let site = linked_site("");
    site.build_ok();
    // Only the linked page has a fragment; the others none.
    assert_eq!(
        site.files("public/_preview"),
        ["notes/target/index.html"],
        "previews of pages nobody links to"
    );
    assert_snapshot!(site.read("public/_preview/notes/target/index.html"), @r##"
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex">
    <title>Target &lt;note&gt;</title>
    </head>
    <body>
    <div class="preview-card">
    <p class="kicker">Note · notes</p>
    <p class="preview-title">Target &lt;note&gt;</p>
    <div class="prose preview-part" data-part="">
    <p>Opening with <math display="inline"><msup><mi>x</mi><mn>2</mn></msup></math> and an image <img src="/notes/map.png" width="40" height="30" alt="a map" loading="lazy" decoding="async">.</p>
    <pre class="hl" data-lang="rust"><code class="language-rust"><span class="hl-source hl-rust"><span class="hl-meta hl-function hl-rust"><span class="hl-meta hl-function hl-rust"><span class="hl-storage hl-type hl-function hl-rust">fn</span> </span><span class="hl-entity hl-name hl-function hl-rust">main</span></span><span class="hl-meta hl-function hl-rust"><span class="hl-meta hl-function hl-parameters hl-rust"><span class="hl-punctuation hl-section hl-parameters hl-begin hl-rust">(</span></span><span class="hl-meta hl-function hl-rust"><span class="hl-meta hl-function hl-parameters hl-rust"><span class="hl-punctuation hl-section hl-parameters hl-end hl-rust">)</span></span></span></span><span class="hl-meta hl-function hl-rust"> </span><span class="hl-meta hl-function hl-rust"><span class="hl-meta hl-block hl-rust"><span class="hl-punctuation hl-section hl-block hl-begin hl-rust">{</span></span><span class="hl-meta hl-block hl-rust"><span class="hl-punctuation hl-section hl-block hl-end hl-rust">}</span></span></span>
    </span></code></pre>
    <h2 data-id="second-part">Second part<a class="anchor" href="#second-part" aria-label="Link to this section">#</a></h2>
    <p>In the second part.</p>
    </div>
    <div class="prose preview-part" data-part="^step">
    <ul><li data-id="^step">the step</li></ul>
    </div>
    <div class="prose preview-part" data-part="second-part">
    <h2 data-id="second-part">Second part<a class="anchor" href="#second-part" aria-label="Link to this section">#</a></h2>
    <p>In the second part.</p>
    <h3 data-id="deeper">Deeper<a class="anchor" href="#deeper" aria-label="Link to this section">#</a></h3>
    <p>Still second.</p>
    </div>
    </div>
    </body>
    </html>
    "##);
    // The linking page lists the pages it links to that have a preview, and where they are.
    let from = site.read("public/notes/from/index.html");
    assert_snapshot!(start_tag(&from, "<div class=\"page-body"), @r##"<div class="page-body" data-previews="[&quot;/notes/target/&quot;]" data-preview-root="/_preview/" data-base="/">"##);
    // Fragments are not pages: not in the sitemap.
    assert!(!site.read("public/sitemap.xml").contains("_preview"));
}

/// (A theme without `preview.html` writes none either: `kinds.rs` builds the flagship with
/// `ledger` and finds the same pages as with `steppe`, less its previews.)
#[test]
fn previews_are_off_with_the_setting() {
    let off = linked_site("[reader]\npreviews = false\n");
    off.build_ok();
    assert!(!off.exists("public/_preview"));
    let from = off.read("public/notes/from/index.html");
    assert_snapshot!(start_tag(&from, "<div class=\"page-body"), @r##"<div class="page-body">"##);
}

#[test]
fn the_explorer_page_lists_folders_first_then_titles_and_pages_link_to_it() {
    let site = linked_site("");
    site.build_ok();
    let explorer = site.read("public/explorer/index.html");
    assert_snapshot!(element(&explorer, "<nav class=\"explorer-full\""), @r##"
    <nav class="explorer-full" aria-label="All pages">
    <ul class="explorer-tree">
    <li class="explorer-folder"><details data-folder="notes"><summary>notes</summary>
    <ul>
    <li class="explorer-overview"><a href="/notes/">Overview</a></li>
    <li><a href="/notes/from/">From</a></li>
    <li><a href="/notes/target/">Target &lt;note&gt;</a></li>
    </ul>
    </details></li>
    <li><a href="/elan/">Élan</a></li>
    </ul>

    </nav>
    "##);
    // Every other page shows it beside the page, or links to it without JavaScript.
    let from = site.read("public/notes/from/index.html");
    assert_snapshot!(element(&from, "<nav class=\"explorer\""), @r##"
    <nav class="explorer" id="explorer" aria-label="Explorer" data-src="/explorer/">
      <p class="explorer-heading"><a href="/explorer/">All pages</a></p>
    </nav>
    "##);
    // In each section's listing order instead: newest first.
    let by_section = linked_site("[reader]\nexplorer_order = \"section\"\n");
    by_section.build_ok();
    let explorer = by_section.read("public/explorer/index.html");
    let from = explorer.find("/notes/from/").unwrap();
    let target = explorer.find("/notes/target/").unwrap();
    assert!(from < target, "{explorer}");
}

#[test]
fn the_home_page_lists_the_pages_updated_last() {
    let site = linked_site("");
    site.build_ok();
    let home = site.read("public/index.html");
    assert_snapshot!(element(&home, "<section class=\"recently-updated\""), @r##"
    <section class="recently-updated" aria-labelledby="recently-updated-title">
      <h2 id="recently-updated-title">Recently updated</h2>
      <ul>
        <li><a href="/elan/">Élan</a> <span class="meta"><time datetime="2024-05-06T00:00:00Z">6 May 2024</time></span></li>
        <li><a href="/notes/from/">From</a> <span class="meta"><time datetime="2024-03-04T00:00:00Z">4 March 2024</time></span></li>
        <li><a href="/notes/target/">Target &lt;note&gt;</a> <span class="meta"><time datetime="2024-01-02T00:00:00Z">2 January 2024</time></span></li>
      </ul>
    </section>
    "##);
    let none = linked_site("[reader]\nrecently_updated = 0\n");
    none.build_ok();
    assert!(!none.read("public/index.html").contains("Recently updated"));
}

#[test]
fn reading_progress_and_back_to_top_are_off_unless_turned_on() {
    let off = linked_site("");
    off.build_ok();
    let page = off.read("public/notes/from/index.html");
    assert!(!page.contains("reading-progress") && !page.contains("back-to-top"));
    let on = linked_site("[reader]\nreading_progress = true\nback_to_top = true\n");
    on.build_ok();
    let page = on.read("public/notes/from/index.html");
    assert_snapshot!(element(&page, "<div class=\"reading-progress\""), @r##"<div class="reading-progress" aria-hidden="true"></div>"##);
    assert_snapshot!(element(&page, "<p class=\"back-to-top\""), @r##"<p class="back-to-top"><a href="#top">Back to top</a></p>"##);
}

#[test]
fn a_page_on_the_previews_path_is_an_error() {
    let site = linked_site("");
    site.write(
        "content/clash.md",
        "---\ntitle: Clash\npermalink: _preview/notes/target/\n---\nHere.\n",
    );
    let stderr = site.build().fails().to_string();
    assert_snapshot!(whole(&stderr, "\n"), @"
    error: `content/clash.md` and a link preview both want /_preview/notes/target/
     --> content/clash.md:3:1
      |
    3 | permalink: _preview/notes/target/
      | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: choose another `permalink:`; a link preview is generated there: the theme's `preview.html` template writes one for each page another page links to, while `[reader] previews` is true

    error: build failed with 1 error; nothing was written
    ");
}
