//! The knowledge layer on an Obsidian-style vault: wikilinks in every form, embeds, callouts,
//! aliases, inline tags, folders with spaces and no `_index.md` anywhere.

use crate::support::Site;

#[test]
fn every_wikilink_form_resolves() {
    let site = Site::fixture("vault");
    site.build_ok();
    let mongols = site.read("public/case-studies/mongol-empire/index.html");
    // [[Page|label]], [[#Heading]], [[folder/Page#Heading]]
    assert!(
        mongols.contains(r#"<a href="/strengths/adaptability/">adaptable</a>"#),
        "{mongols}"
    );
    assert!(mongols.contains(r##"<a href="#tactics">"##), "{mongols}");
    assert!(
        mongols.contains(r#"<a href="/strengths/adaptability/#pivot-quickly">"#),
        "{mongols}"
    );
    // [[alias]] from another folder, and a name with spaces in a folder with spaces.
    let adaptability = site.read("public/strengths/adaptability/index.html");
    assert!(
        adaptability.contains(r#"<a href="/case-studies/mongol-empire/">"#),
        "{adaptability}"
    );
    let reading = site.read("public/reading-list/index.html");
    assert!(
        reading.contains(r#"<a href="/case-studies/mongol-empire/">"#),
        "{reading}"
    );
    assert!(
        reading.contains(r#"<a href="/strengths/adaptability/">the adaptability note</a>"#),
        "{reading}"
    );
}

#[test]
fn embeds_transclude_pages_sections_and_images() {
    let site = Site::fixture("vault");
    site.build_ok();
    let adaptability = site.read("public/strengths/adaptability/index.html");
    // ![[Page#Heading]] brings that section only, ids made unique on the embedding page.
    assert!(
        adaptability.contains(r#"<div class="embed">"#),
        "{adaptability}"
    );
    assert!(
        adaptability.contains("Feigned retreats drew enemies out of formation."),
        "{adaptability}"
    );
    assert!(
        !adaptability.contains("Every rider kept several horses."),
        "{adaptability}"
    );
    assert!(adaptability.contains(r#"id="embed-"#), "{adaptability}");
    // ![[img.png|300]]
    assert!(
        adaptability.contains(r#"src="/attachments/map.png""#),
        "{adaptability}"
    );
    assert!(adaptability.contains(r#"width="300""#), "{adaptability}");
    // A page embedding a page that itself embeds: both levels arrive.
    let reading = site.read("public/reading-list/index.html");
    assert!(
        reading.contains("Small teams change course fast."),
        "{reading}"
    );
    assert!(
        reading.contains("Feigned retreats drew enemies out of formation."),
        "{reading}"
    );
}

#[test]
fn backlinks_carry_the_linking_sentence() {
    let site = Site::fixture("vault");
    site.build_ok();
    let mongols = site.read("public/case-studies/mongol-empire/index.html");
    assert!(
        mongols.contains("Small teams change course fast. The Mongols showed it on the steppe."),
        "{mongols}"
    );
    assert!(mongols.contains(r#"href="/reading-list/""#), "{mongols}");
}

#[test]
fn callouts_and_inline_tags() {
    let site = Site::fixture("vault");
    site.build_ok();
    let adaptability = site.read("public/strengths/adaptability/index.html");
    assert!(
        adaptability.contains(r#"<details class="callout callout-tip""#),
        "{adaptability}"
    );
    assert!(adaptability.contains("Try this"), "{adaptability}");
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
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: broken wikilink: no page is called `Adaptabilty`\n --> content/Broken.md:1:7\n  |\n1 | See [[Adaptabilty]] and [[Mongol Empire#Tactic]].\n  |       ^^^^^^^^^^^\n  |\n  = help: did you mean `[[Adaptability]]`?\n\nerror: broken anchor: `content/Case Studies/Mongol Empire.md` has no heading `#Tactic`\n --> content/Broken.md:1:27\n  |\n1 | See [[Adaptabilty]] and [[Mongol Empire#Tactic]].\n  |                           ^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: did you mean `#tactics`?\n\nerror: build failed with 2 errors; nothing was written\n"
    );
}

#[test]
fn related_pages_rank_shared_links_and_tags() {
    let site = Site::fixture("vault");
    site.write("content/Unrelated.md", "Nothing in common.\n");
    site.build_ok();
    let mongols = site.read("public/case-studies/mongol-empire/index.html");
    let related = &mongols[mongols
        .find(r#"class="related""#)
        .expect("a related section")..];
    let adaptability = related.find(r#"href="/strengths/adaptability/""#).unwrap();
    let reading = related.find(r#"href="/reading-list/""#).unwrap();
    assert!(
        adaptability < reading,
        "linked both ways ranks first: {related}"
    );
    assert!(!related.contains("/unrelated/"), "{related}");
}

#[test]
fn unicode_names_match_case_insensitively() {
    let site = Site::fixture("vault");
    site.build_ok();
    let mongols = site.read("public/case-studies/mongol-empire/index.html");
    assert!(
        mongols.contains(r#"<a href="/case-studies/ogedei-khan/">ögedei khan</a>"#),
        "{mongols}"
    );
    let ogedei = site.read("public/case-studies/ogedei-khan/index.html");
    assert!(
        ogedei.contains(r#"<a href="/case-studies/mongol-empire/">Genghis Khan</a>"#),
        "{ogedei}"
    );
}
