//! The knowledge layer on an Obsidian-style vault: wikilinks in every form, embeds, callouts,
//! aliases, inline tags, folders with spaces and no `_index.md` anywhere.

use insta::assert_snapshot;

use crate::support::{Site, element, elements, prose, tail_from};

/// The vault fixture, built without a warning.
fn built_vault() -> Site {
    let site = Site::fixture("vault");
    site.build().succeeds_silently();
    site
}

#[test]
fn every_wikilink_form_resolves() {
    let site = built_vault();
    // [[Page|label]], [[#Heading]], [[folder/Page#Heading]], an inline #tag
    let mongols = site.read("public/case-studies/mongol-empire/index.html");
    assert_snapshot!(prose(&mongols), @r##"
    <p>The steppe armies relied on <a href="/strengths/adaptability/">adaptable</a> tactics and fast riders. <span class="tag">#steppe</span></p>
    <h2 id="tactics">Tactics<a class="anchor" href="#tactics" aria-label="Link to this section">#</a></h2>
    <p>Feigned retreats drew enemies out of formation.</p>
    <h2 id="logistics">Logistics<a class="anchor" href="#logistics" aria-label="Link to this section">#</a></h2>
    <p>Every rider kept several horses.</p>
    <p>See also <a href="#tactics">Tactics</a> and <a href="/strengths/adaptability/#pivot-quickly">Strengths/Adaptability &gt; Pivot quickly</a>.</p>
    <p>His successor was <a href="/case-studies/ogedei-khan/">ögedei khan</a>.</p>
    "##);
    // [[alias]] from another folder, and a name with spaces in a folder with spaces.
    let adaptability = site.read("public/strengths/adaptability/index.html");
    assert_snapshot!(elements(prose(&adaptability), "<p>")[0], @r#"<p>Small teams change course fast. The <a href="/case-studies/mongol-empire/">Mongols</a> showed it on the steppe.</p>"#);
    let reading = site.read("public/reading-list/index.html");
    assert_snapshot!(elements(prose(&reading), "<p>")[0], @r#"<p>Start with <a href="/case-studies/mongol-empire/">Genghis Khan</a> and then <a href="/strengths/adaptability/">the adaptability note</a>.</p>"#);
}

#[test]
fn embeds_transclude_pages_sections_and_images() {
    let site = built_vault();
    // ![[Page#Heading]] brings that section only, ids made unique on the embedding page; then
    // ![[img.png|300]].
    let adaptability = site.read("public/strengths/adaptability/index.html");
    assert_snapshot!(tail_from(prose(&adaptability), "<div class=\"embed\">"), @r##"
    <div class="embed">
    <p class="embed-title"><a href="/case-studies/mongol-empire/#tactics">Mongol Empire</a></p>
    <h2 id="embed-1-tactics">Tactics<a class="anchor" href="#embed-1-tactics" aria-label="Link to this section">#</a></h2>
    <p>Feigned retreats drew enemies out of formation.</p>
    </div>

    <p><img src="/attachments/map.png" width="300" height="225" alt="map.png" loading="lazy" decoding="async"></p>
    "##);
    assert!(
        !adaptability.contains("Every rider kept several horses."),
        "{adaptability}"
    );
    // A page embedding a page that itself embeds: both levels arrive.
    let reading = site.read("public/reading-list/index.html");
    assert_snapshot!(elements(prose(&reading), "<div class=\"embed\">")[0], @r##"
    <div class="embed">
    <p class="embed-title"><a href="/strengths/adaptability/">Adaptability</a></p>
    <h1 id="embed-2-adaptability">Adaptability<a class="anchor" href="#embed-2-adaptability" aria-label="Link to this section">#</a></h1>
    <p>Small teams change course fast. The <a href="/case-studies/mongol-empire/">Mongols</a> showed it on the steppe.</p>
    <h2 id="embed-2-pivot-quickly">Pivot quickly<a class="anchor" href="#embed-2-pivot-quickly" aria-label="Link to this section">#</a></h2>
    <details class="callout callout-tip" data-callout="tip">
    <summary class="callout-title">Try this</summary>
    <div class="callout-body">
    <p>Ask one customer a week what changed.</p>
    </div>
    </details>
    <div class="embed">
    <p class="embed-title"><a href="/case-studies/mongol-empire/#tactics">Mongol Empire</a></p>
    <h2 id="embed-2-embed-1-tactics">Tactics<a class="anchor" href="#embed-2-embed-1-tactics" aria-label="Link to this section">#</a></h2>
    <p>Feigned retreats drew enemies out of formation.</p>
    </div>

    <p><img src="/attachments/map.png" width="300" height="225" alt="map.png" loading="lazy" decoding="async"></p>
    </div>
    "##);
}

#[test]
fn backlinks_carry_the_linking_sentence() {
    let site = built_vault();
    let mongols = site.read("public/case-studies/mongol-empire/index.html");
    assert_snapshot!(element(&mongols, "<section class=\"backlinks\""), @r#"
    <section class="backlinks" aria-label="Linked from">
    <h2>Linked from</h2>
    <ul>
    <li><a href="/case-studies/ogedei-khan/">Ögedei Khan</a><p class="link-context">Third son of Genghis Khan, elected khagan in 1229.</p></li>
    <li><a href="/reading-list/">Reading list</a><p class="link-context">Start with Genghis Khan and then the adaptability note.</p></li>
    <li><a href="/strengths/adaptability/">Adaptability</a><p class="link-context">Small teams change course fast. The Mongols showed it on the steppe.</p></li>
    </ul>
    </section>
    "#);
}

#[test]
fn callouts_and_inline_tags() {
    let site = built_vault();
    let adaptability = site.read("public/strengths/adaptability/index.html");
    assert_snapshot!(element(&adaptability, "<details class=\"callout"), @r#"
    <details class="callout callout-tip" data-callout="tip">
    <summary class="callout-title">Try this</summary>
    <div class="callout-body">
    <p>Ask one customer a week what changed.</p>
    </div>
    </details>
    "#);
    // Inline #steppe joins the front matter tags.
    assert!(site.exists("public/tags/steppe/index.html"));
    assert!(site.exists("public/tags/history/index.html"));
}

#[test]
fn broken_wikilinks_and_headings_suggest_fixes() {
    let site = Site::fixture("vault");
    site.write(
        "content/Broken.md",
        "See [[Adaptabilty]] and [[Mongol Empire#Tactic]].\n",
    );
    assert_snapshot!(site.build().fails(), @"
    error: broken wikilink: no page is called `Adaptabilty`
     --> content/Broken.md:1:7
      |
    1 | See [[Adaptabilty]] and [[Mongol Empire#Tactic]].
      |       ^^^^^^^^^^^
      |
      = help: did you mean `[[Adaptability]]`?

    error: broken anchor: `content/Case Studies/Mongol Empire.md` has no heading `#Tactic`
     --> content/Broken.md:1:27
      |
    1 | See [[Adaptabilty]] and [[Mongol Empire#Tactic]].
      |                           ^^^^^^^^^^^^^^^^^^^^
      |
      = help: did you mean `#tactics`?

    error: build failed with 2 errors; nothing was written
    ");
}

#[test]
fn related_pages_rank_shared_links_and_tags() {
    let site = Site::fixture("vault").with_file("content/Unrelated.md", "Nothing in common.\n");
    site.build().succeeds_silently();
    // Linked both ways ranks first; a page that shares nothing is not there.
    let mongols = site.read("public/case-studies/mongol-empire/index.html");
    assert_snapshot!(element(&mongols, "<section class=\"related\""), @r#"
    <section class="related" aria-label="Related">
    <h2>Related</h2>
    <ul>
    <li><a href="/strengths/adaptability/">Adaptability</a></li>
    <li><a href="/case-studies/ogedei-khan/">Ögedei Khan</a></li>
    <li><a href="/reading-list/">Reading list</a></li>
    </ul>
    </section>
    "#);
}

#[test]
fn unicode_names_match_case_insensitively() {
    let site = built_vault();
    let mongols = site.read("public/case-studies/mongol-empire/index.html");
    assert_snapshot!(tail_from(prose(&mongols), "<p>His successor"), @r#"<p>His successor was <a href="/case-studies/ogedei-khan/">ögedei khan</a>.</p>"#);
    let ogedei = site.read("public/case-studies/ogedei-khan/index.html");
    assert_snapshot!(prose(&ogedei), @r#"<p>Third son of <a href="/case-studies/mongol-empire/">Genghis Khan</a>, elected khagan in 1229.</p>"#);
}
