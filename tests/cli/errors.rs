//! Author mistakes: each test asserts the full message an author sees, the exit code, and that
//! the previous output survived.

use crate::support::Site;

const GOOD_PAGE: &str = "---\ntitle: Good\n---\nFine.\n";

/// A site that built once, so each test can check that a failed build left it alone.
fn built_site() -> Site {
    let site = Site::new("title = \"T\"\n");
    site.write("content/good.md", GOOD_PAGE);
    site.build_ok();
    site
}

fn assert_public_untouched(site: &Site) {
    assert_eq!(
        site.files("public")
            .iter()
            .filter(|f| f.ends_with(".html"))
            .count(),
        5, // index, good, 404, the search page and the link graph
        "{:?}",
        site.files("public")
    );
    assert!(site.read("public/good/index.html").contains("Fine."));
}

#[test]
fn broken_front_matter_is_located_and_the_old_site_survives() {
    let site = built_site();
    site.write(
        "content/good.md",
        "---\ntitle: Good\npeople: Cyrus\n---\nChanged.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: `people` must be a list, not the text `Cyrus`\n --> content/good.md:3:9\n  |\n3 | people: Cyrus\n  |         ^^^^^\n  |\n  = help: write `people: [Cyrus]`\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert_public_untouched(&site);
}

#[test]
fn all_errors_of_a_build_are_reported_together() {
    let site = built_site();
    site.write("content/a.md", "---\ntitel: A\n---\n");
    site.write("content/b.md", "---\ntitle: B\n---\n[gone](missing.md)\n");
    site.write("content/c.md", "---\ndate: yesterday\n---\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: unknown field `titel` in front matter\n --> content/a.md:2:1\n  |\n2 | titel: A\n  | ^^^^^\n  |\n  = help: did you mean `title`?\n\nerror: broken link: `content/missing.md` does not exist\n --> content/b.md:4:8\n  |\n4 | [gone](missing.md)\n  |        ^^^^^^^^^^\n  |\n  = help: link to an existing file below content/, e.g. `@/essays/page.md`\n\nerror: `date` is not a date: `yesterday`\n --> content/c.md:2:7\n  |\n2 | date: yesterday\n  |       ^^^^^^^^^\n  |\n  = help: write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00\n\nerror: build failed with 3 errors; nothing was written\n"
    );
    assert_public_untouched(&site);
}

#[test]
fn unknown_key_in_site_toml() {
    let site = built_site();
    site.write(
        "site.toml",
        "title = \"T\"\n[markdown]\nsmart_punctation = true\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: unknown key `smart_punctation` in site.toml\n --> site.toml:3:1\n  |\n3 | smart_punctation = true\n  | ^^^^^^^^^^^^^^^^\n  |\n  = help: did you mean `smart_punctuation`?\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert_public_untouched(&site);
}

#[test]
fn missing_theme_names_the_available_ones() {
    let site = built_site();
    site.write("site.toml", "title = \"T\"\ntheme = \"stepe\"\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: template error: Template 'index.html' not found\n |\n = help: while rendering section content// (URL /)\n\nerror: template error: Template 'page.html' not found\n |\n = help: while rendering content/good.md (URL /good/)\n\nerror: theme `stepe` not found: there is no folder themes/stepe/\n --> site.toml:2:9\n  |\n2 | theme = \"stepe\"\n  |         ^^^^^^^\n  |\n  = help: did you mean `steppe`?\n\nerror: build failed with 3 errors; nothing was written\n"
    );
    assert_public_untouched(&site);
}

#[test]
fn template_syntax_error_names_file_line_and_column() {
    let site = built_site();
    site.write(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>\n<p>{{ page.content | safe </p>\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: template syntax error: Found `</` but expected }}.\n --> templates/page.html:2:27\n  |\n2 | <p>{{ page.content | safe </p>\n  |                           ^^\n  |\n  = help: fix the template syntax; Tera's tags are {{ }}, {% %} and {# #}\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert_public_untouched(&site);
}

#[test]
fn template_error_names_the_page_being_rendered() {
    let site = built_site();
    site.write(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>\n{{ page.subtitle }}\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: template error: Field `subtitle` is not defined. Available fields: ancestors, backlinks, content, cssclasses, date, description, era, extra, graph, has_mermaid, kind, next, path, people, permalink, previous, reading_time, region, related, section, sources, strengths, summary, taxonomies, title, toc, updated, word_count\n --> templates/page.html:2:9\n  |\n2 | {{ page.subtitle }}\n  |         ^^^^^^^^\n  |\n  = help: while rendering content/good.md (URL /good/)\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert_public_untouched(&site);
}

#[test]
fn broken_links_anchors_and_images_suggest_fixes() {
    let site = built_site();
    site.write(
        "content/links.md",
        "---\ntitle: Links\n---\n## Start\n\n[a](god.md) [b](good.md#nope) [c](#strat)\n\n![pic](pic.png)\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: broken link: `content/god.md` does not exist\n --> content/links.md:6:5\n  |\n6 | [a](god.md) [b](good.md#nope) [c](#strat)\n  |     ^^^^^^\n  |\n  = help: did you mean `@/good.md`?\n\nerror: broken anchor: `content/good.md` has no heading `#nope`\n --> content/links.md:6:17\n  |\n6 | [a](god.md) [b](good.md#nope) [c](#strat)\n  |                 ^^^^^^^^^^^^\n  |\n  = help: `content/good.md` has no headings\n\nerror: broken anchor: `content/links.md` has no heading `#strat`\n --> content/links.md:6:35\n  |\n6 | [a](god.md) [b](good.md#nope) [c](#strat)\n  |                                   ^^^^^^\n  |\n  = help: did you mean `#start`?\n\nerror: missing image: `content/pic.png` does not exist\n --> content/links.md:8:8\n  |\n8 | ![pic](pic.png)\n  |        ^^^^^^^\n  |\n  = help: put the image beside the page in content/ or in static/\n\nerror: build failed with 4 errors; nothing was written\n"
    );
    assert_public_untouched(&site);
}

#[test]
fn broken_links_can_be_warnings() {
    let site = built_site();
    site.write("site.toml", "title = \"T\"\n[links]\nbroken = \"warn\"\n");
    site.write("content/links.md", "---\ntitle: Links\n---\n[a](god.md)\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("warning: broken link: `content/god.md` does not exist\n"),
        "{}",
        run.stderr
    );
    assert!(
        site.read("public/links/index.html")
            .contains(r#"<a href="god.md">a</a>"#)
    );
}

#[test]
fn two_pages_claiming_one_url() {
    let site = built_site();
    site.write("content/Good.md", "---\ntitle: Other\n---\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: `content/good.md` and `content/Good.md` both want the URL /good/\n --> content/good.md:2:1\n  |\n2 | title: Good\n  | ^^^^^^^^^^^\n  |\n  = help: rename one of the files or give one a different `slug:`\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert_public_untouched(&site);
}

#[test]
fn case_study_needs_an_era() {
    let site = built_site();
    site.write(
        "content/mongols.md",
        "---\ntitle: Mongols\nkind: case-study\n---\nText.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: case study `content/mongols.md` has no `era`\n --> content/mongols.md:2:1\n  |\n2 | title: Mongols\n  | ^^^^^^^^^^^^^^\n  |\n  = help: add the years it covers, negative for BCE: `era: {start: -550, end: -330}`\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert_public_untouched(&site);
}

#[test]
fn output_dir_that_would_destroy_sources_is_refused() {
    let site = built_site();
    for (dir, what) in [(".", "is the site folder itself"), ("content", "content")] {
        let run = site.run(&["build", "--output-dir", dir]);
        assert_eq!(run.code, 1, "{dir}");
        assert!(run.stderr.contains(what), "{dir}: {}", run.stderr);
        assert!(site.exists("content/good.md"));
    }
    assert_public_untouched(&site);
}

#[test]
fn not_a_site() {
    let site = Site::empty();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: not a steppe site: the current folder has no site.toml and no content/ folder\n |\n = help: put your Markdown notes in a content/ folder, run `steppe init` to create a site, or pass `--root DIR` to point at one\n\nerror: build failed with 1 error; nothing was written\n"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let site = Site::empty();
    let run = site.run(&["build", "--no-such-flag"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unexpected argument '--no-such-flag'"),
        "{}",
        run.stderr
    );
}

#[test]
fn case_study_strengths_must_name_pages() {
    let site = built_site();
    site.write(
        "content/mongols.md",
        "---\ntitle: Mongols\nkind: case-study\nera: {start: 1206, end: 1368}\nstrengths: [good, adaptabilty]\n---\nText.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: strength `adaptabilty` is not a page of this site\n --> content/mongols.md:5:19\n  |\n5 | strengths: [good, adaptabilty]\n  |                   ^^^^^^^^^^^\n  |\n  = help: name a page by its file name or title, or by its path: `@/checklists/adaptability.md`\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert_public_untouched(&site);

    // A list written one item per line: the caret is under the item, with a "did you mean".
    site.write(
        "content/checklists/adaptability.md",
        "---\ntitle: Adaptability\nkind: checklist\n---\n- [ ] Pivot\n",
    );
    site.write(
        "content/mongols.md",
        "---\ntitle: Mongols\nkind: case-study\nera: {start: 1206, end: 1368}\nstrengths:\n  - good\n  - adaptibility\n  - \"@/checklists/self-reliance.md\"\nregion: Steppe\n---\nText.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: strength `adaptibility` is not a page of this site\n --> content/mongols.md:7:5\n  |\n7 |   - adaptibility\n  |     ^^^^^^^^^^^^\n  |\n  = help: did you mean `adaptability`?\n\n\
         error: strength `@/checklists/self-reliance.md` is not a page of this site\n --> content/mongols.md:8:6\n  |\n8 |   - \"@/checklists/self-reliance.md\"\n  |      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: name a page by its file name or title, or by its path: `@/checklists/adaptability.md`\n\n\
         error: build failed with 2 errors; nothing was written\n"
    );
    assert_public_untouched(&site);
    std::fs::remove_file(site.path().join("content/checklists/adaptability.md")).unwrap();

    site.write(
        "content/mongols.md",
        "---\ntitle: Mongols\nkind: case-study\nera: {start: -550, end: -330}\nstrengths: [good]\n---\nText.\n",
    );
    site.build_ok();
    let html = site.read("public/mongols/index.html");
    assert!(html.contains(r#"href="/good/""#), "{html}");
    assert!(html.contains("550–330 BCE"), "{html}");
}

#[test]
fn checklist_without_tasks_is_a_warning() {
    let site = built_site();
    site.write(
        "content/todo.md",
        "---\ntitle: Todo\nkind: checklist\n---\n- Not a task\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: checklist `content/todo.md` has no items to tick\n --> content/todo.md:3:1\n  |\n3 | kind: checklist\n  | ^^^^^^^^^^^^^^^\n  |\n  = help: write its items as a task list, one `- [ ] …` line each\n\n"
    );
    assert!(site.read("public/todo/index.html").contains("Not a task"));
}

/// `[links] require_checklist_links`: a checklist item whose own text links to no page of the
/// site is a warning at its box. A link by path or by name counts, on any line of the item; a
/// web link, a picture or a link in a sub-item does not; a note's tasks are not checked.
#[test]
fn checklist_items_without_links_are_warnings() {
    let site = Site::fixture("checklist-links");
    let hint = "= help: link the page that explains it, `[[Page]]` or `[text](page.md)`; site.toml's `[links] require_checklist_links` asks every item for one\n\n";
    let expected = [
        " --> content/checklists/Départ 出発.md:8:3\n  |\n8 | - [ ] Explained only elsewhere, [on the web](https://example.com/).\n  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\n  ",
        " --> content/checklists/Départ 出発.md:9:3\n  |\n9 | - [ ] Only a picture ![a map](map.svg)\n  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\n  ",
        "  --> content/checklists/Départ 出発.md:10:3\n   |\n10 | - [ ] A parent whose only link is in its sub-item\n   |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n   |\n   ",
        "  --> content/checklists/Départ 出発.md:15:4\n   |\n15 | 1. [ ] A numbered item with nothing at all 🧭\n   |    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n   |\n   ",
    ]
    .map(|at| format!("warning: checklist item links to no page\n{at}{hint}"))
    .concat();
    for command in ["build", "check"] {
        let run = site.run(&[command]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stderr, expected, "steppe {command}");
    }
    let page = site.read("public/checklists/depart-chu-fa/index.html");
    assert!(
        page.contains("A numbered item with nothing at all 🧭"),
        "{page}"
    );

    // Off by default: the same site without the setting builds quietly.
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &config.replace("require_checklist_links = true", ""),
    );
    assert_eq!(site.build_ok().stderr, "");
}
