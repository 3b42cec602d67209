//! Author mistakes: each test asserts the full message an author sees, the exit code, and that
//! the previous output survived, byte for byte (`support::Outcome::fails`).

use insta::assert_snapshot;

use crate::support::{PROSE, Site, element, prose};

#[test]
fn broken_front_matter_is_located_and_the_old_site_survives() {
    let site = Site::built().with_file(
        "content/good.md",
        "---\ntitle: Good\npeople: Cyrus\n---\nChanged.\n",
    );
    assert_snapshot!(site.build().fails(), @"
    error: `people` must be a list, not the text `Cyrus`
     --> content/good.md:3:9
      |
    3 | people: Cyrus
      |         ^^^^^
      |
      = help: write `people: [Cyrus]`

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn all_errors_of_a_build_are_reported_together() {
    let site = Site::built()
        .with_file("content/a.md", "---\ntitel: A\n---\n")
        .with_file("content/b.md", "---\ntitle: B\n---\n[gone](missing.md)\n")
        .with_file("content/c.md", "---\ndate: yesterday\n---\n");
    assert_snapshot!(site.build().fails(), @"
    error: unknown field `titel` in front matter
     --> content/a.md:2:1
      |
    2 | titel: A
      | ^^^^^
      |
      = help: did you mean `title`?

    error: broken link: `content/missing.md` does not exist
     --> content/b.md:4:8
      |
    4 | [gone](missing.md)
      |        ^^^^^^^^^^
      |
      = help: link to an existing file below content/, e.g. `@/essays/page.md`

    error: `date` is not a date: `yesterday`
     --> content/c.md:2:7
      |
    2 | date: yesterday
      |       ^^^^^^^^^
      |
      = help: write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00

    error: build failed with 3 errors; nothing was written
    ");
}

#[test]
fn unknown_key_in_site_toml() {
    let site = Site::built().with_file(
        "site.toml",
        "title = \"T\"\n[markdown]\nsmart_punctation = true\n",
    );
    assert_snapshot!(site.build().fails(), @"
    error: unknown key `smart_punctation` in site.toml
     --> site.toml:3:1
      |
    3 | smart_punctation = true
      | ^^^^^^^^^^^^^^^^
      |
      = help: did you mean `smart_punctuation`?

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn missing_theme_names_the_available_ones() {
    let site = Site::built().with_file("site.toml", "title = \"T\"\ntheme = \"stepe\"\n");
    assert_snapshot!(site.build().fails(), @r#"
    error: template error: Template 'index.html' not found
     |
     = help: while rendering section content// (URL /)

    error: template error: Template 'page.html' not found
     |
     = help: while rendering content/good.md (URL /good/)

    error: theme `stepe` not found: there is no folder themes/stepe/
     --> site.toml:2:9
      |
    2 | theme = "stepe"
      |         ^^^^^^^
      |
      = help: did you mean `steppe`?

    error: build failed with 3 errors; nothing was written
    "#);
}

#[test]
fn template_syntax_error_names_file_line_and_column() {
    let site = Site::built().with_file(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>\n<p>{{ page.content | safe </p>\n",
    );
    assert_snapshot!(site.build().fails(), @"
    error: template syntax error: Found `</` but expected }}.
     --> templates/page.html:2:27
      |
    2 | <p>{{ page.content | safe </p>
      |                           ^^
      |
      = help: fix the template syntax; Tera's tags are {{ }}, {% %} and {# #}

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn template_error_names_the_page_being_rendered() {
    let site = Site::built().with_file(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>\n{{ page.subtitle }}\n",
    );
    assert_snapshot!(site.build().fails(), @"
    error: template error: Field `subtitle` is not defined. Available fields: ancestors, backlinks, content, cssclasses, date, description, era, extra, graph, has_mermaid, kind, next, path, people, permalink, previews, previous, reading_time, region, related, section, sources, strengths, summary, taxonomies, title, toc, updated, word_count
     --> templates/page.html:2:9
      |
    2 | {{ page.subtitle }}
      |         ^^^^^^^^
      |
      = help: while rendering content/good.md (URL /good/)

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn broken_links_anchors_and_images_suggest_fixes() {
    let site = Site::built()
        .with_file("content/links.md", "---\ntitle: Links\n---\n## Start\n\n[a](god.md) [b](good.md#nope) [c](#strat)\n\n![pic](pic.png)\n");
    assert_snapshot!(site.build().fails(), @"
    error: broken link: `content/god.md` does not exist
     --> content/links.md:6:5
      |
    6 | [a](god.md) [b](good.md#nope) [c](#strat)
      |     ^^^^^^
      |
      = help: did you mean `@/good.md`?

    error: broken anchor: `content/good.md` has no heading `#nope`
     --> content/links.md:6:17
      |
    6 | [a](god.md) [b](good.md#nope) [c](#strat)
      |                 ^^^^^^^^^^^^
      |
      = help: `content/good.md` has no headings

    error: broken anchor: `content/links.md` has no heading `#strat`
     --> content/links.md:6:35
      |
    6 | [a](god.md) [b](good.md#nope) [c](#strat)
      |                                   ^^^^^^
      |
      = help: did you mean `#start`?

    error: missing image: `content/pic.png` does not exist
     --> content/links.md:8:8
      |
    8 | ![pic](pic.png)
      |        ^^^^^^^
      |
      = help: put the image beside the page in content/ or in static/

    error: build failed with 4 errors; nothing was written
    ");
}

#[test]
fn broken_links_can_be_warnings() {
    let site = Site::built()
        .with_file("site.toml", "title = \"T\"\n[links]\nbroken = \"warn\"\n")
        .with_file("content/links.md", "---\ntitle: Links\n---\n[a](god.md)\n");
    assert_snapshot!(site.build().succeeds(), @"
    warning: broken link: `content/god.md` does not exist
     --> content/links.md:4:5
      |
    4 | [a](god.md)
      |     ^^^^^^
      |
      = help: did you mean `@/good.md`?
    ");
    let html = site.read("public/links/index.html");
    assert_snapshot!(element(&html, PROSE), @r#"
    <div class="prose">
    <p><a href="god.md">a</a></p>

        </div>
    "#);
}

#[test]
fn two_pages_claiming_one_url() {
    let site = Site::built().with_file("content/Good.md", "---\ntitle: Other\n---\n");
    assert_snapshot!(site.build().fails(), @"
    error: `content/good.md` and `content/Good.md` both want the URL /good/
     --> content/good.md:2:1
      |
    2 | title: Good
      | ^^^^^^^^^^^
      |
      = help: rename one of the files or give one a different `slug:`

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn case_study_needs_an_era() {
    let site = Site::built().with_file(
        "content/mongols.md",
        "---\ntitle: Mongols\nkind: case-study\n---\nText.\n",
    );
    assert_snapshot!(site.build().fails(), @"
    error: case study `content/mongols.md` has no `era`
     --> content/mongols.md:2:1
      |
    2 | title: Mongols
      | ^^^^^^^^^^^^^^
      |
      = help: add the years it covers, negative for BCE: `era: {start: -550, end: -330}`

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn output_dir_that_would_destroy_sources_is_refused() {
    // The site folder itself and a folder inside content/ are `catalogue`'s; this is content/.
    let site = Site::built();
    let before = site.tree("");
    let build = site.outcome(&["build", "--output-dir", "content"]);
    assert_snapshot!(build.fails(), @r#"
    error: output_dir `content` is the site's `content/` folder
     |
     = help: steppe replaces the output folder on every build; set output_dir in site.toml to a folder of its own, such as "public"

    error: build failed with 1 error; nothing was written
    "#);
    assert_eq!(site.tree(""), before, "a file changed");
}

#[test]
fn not_a_site() {
    let site = Site::empty();
    assert_snapshot!(site.build().fails(), @"
    error: not a steppe site: the current folder has no site.toml and no content/ folder
     |
     = help: put your Markdown notes in a content/ folder, run `steppe init` to create a site, or pass `--root DIR` to point at one

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn usage_errors_exit_with_2() {
    let site = Site::empty();
    assert_snapshot!(site.outcome(&["build", "--no-such-flag"]).exits(2), @"
    error: unexpected argument '--no-such-flag' found

    Usage: steppe build [OPTIONS]

    For more information, try '--help'.
    ");
}

#[test]
fn case_study_strengths_must_name_pages() {
    let site = Site::built()
        .with_file("content/mongols.md", "---\ntitle: Mongols\nkind: case-study\nera: {start: 1206, end: 1368}\nstrengths: [good, adaptabilty]\n---\nText.\n");
    assert_snapshot!(site.build().fails(), @"
    error: strength `adaptabilty` is not a page of this site
     --> content/mongols.md:5:19
      |
    5 | strengths: [good, adaptabilty]
      |                   ^^^^^^^^^^^
      |
      = help: name a page by its file name or title, or by its path: `@/checklists/adaptability.md`

    error: build failed with 1 error; nothing was written
    ");

    // A list written one item per line: the caret is under the item, with a "did you mean".
    site.write(
        "content/checklists/adaptability.md",
        "---\ntitle: Adaptability\nkind: checklist\n---\n- [ ] Pivot\n",
    );
    site.write(
        "content/mongols.md",
        "---\ntitle: Mongols\nkind: case-study\nera: {start: 1206, end: 1368}\nstrengths:\n  - good\n  - adaptibility\n  - \"@/checklists/self-reliance.md\"\nregion: Steppe\n---\nText.\n",
    );
    assert_snapshot!(site.build().fails(), @r#"
    error: strength `adaptibility` is not a page of this site
     --> content/mongols.md:7:5
      |
    7 |   - adaptibility
      |     ^^^^^^^^^^^^
      |
      = help: did you mean `adaptability`?

    error: strength `@/checklists/self-reliance.md` is not a page of this site
     --> content/mongols.md:8:6
      |
    8 |   - "@/checklists/self-reliance.md"
      |      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: name a page by its file name or title, or by its path: `@/checklists/adaptability.md`

    error: build failed with 2 errors; nothing was written
    "#);
    std::fs::remove_file(site.path().join("content/checklists/adaptability.md")).unwrap();

    site.write(
        "content/mongols.md",
        "---\ntitle: Mongols\nkind: case-study\nera: {start: -550, end: -330}\nstrengths: [good]\n---\nText.\n",
    );
    site.build().succeeds_silently();
    let html = site.read("public/mongols/index.html");
    assert_snapshot!(element(&html, "<aside class=\"facts\""), @r#"
    <aside class="facts" aria-labelledby="facts-title">
        <h2 class="facts-title" id="facts-title">At a glance</h2>
        <dl>
          <div><dt>Era</dt><dd><span class="era">550–330 BCE</span> · <a href="/timeline/#mongols">on the timeline</a></dd></div>
          <div><dt>Strengths shown</dt><dd><ul class="inline-list"><li><a href="/good/">Good</a></li></ul></dd></div>
        </dl>
      </aside>
    "#);
}

#[test]
fn checklist_without_tasks_is_a_warning() {
    let site = Site::built().with_file(
        "content/todo.md",
        "---\ntitle: Todo\nkind: checklist\n---\n- Not a task\n",
    );
    assert_snapshot!(site.build().succeeds(), @"
    warning: checklist `content/todo.md` has no items to tick
     --> content/todo.md:3:1
      |
    3 | kind: checklist
      | ^^^^^^^^^^^^^^^
      |
      = help: write its items as a task list, one `- [ ] …` line each
    ");
    let html = site.read("public/todo/index.html");
    assert_snapshot!(element(&html, PROSE), @r#"
    <div class="prose">
    <ul>
    <li>Not a task</li>
    </ul>

        </div>
    "#);
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
    assert_snapshot!(prose(&page), @r#"
    <ul class="tasklist">
    <li class="task"><input type="checkbox" disabled> Linked by path: <a href="/essays/pourquoi/">why</a>.</li>
    <li class="task"><input type="checkbox" disabled> Linked by name: <a href="/essays/pourquoi/">Pourquoi</a>.</li>
    <li class="task"><input type="checkbox" disabled checked> Ticked, and explained <a href="/essays/pourquoi/#depart">here</a>.</li>
    <li class="task"><input type="checkbox" disabled> Explained only elsewhere, <a href="https://example.com/">on the web</a>.</li>
    <li class="task"><input type="checkbox" disabled> Only a picture <img src="/checklists/map.svg" width="4" height="4" alt="a map" loading="lazy" decoding="async"></li>
    <li class="task"><input type="checkbox" disabled> A parent whose only link is in its sub-item<ul class="tasklist">
    <li class="task"><input type="checkbox" disabled> The sub-item, linked: <a href="/essays/pourquoi/">Pourquoi</a></li>
    </ul>
    </li>
    <li class="task"><input type="checkbox" disabled> A link on its second line counts:
    <a href="/essays/pourquoi/">Pourquoi</a></li>
    </ul>
    <ol class="tasklist">
    <li class="task"><input type="checkbox" disabled> A numbered item with nothing at all 🧭</li>
    </ol>
    "#);

    // Off by default: the same site without the setting builds quietly.
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &config.replace("require_checklist_links = true", ""),
    );
    assert_eq!(site.build_ok().stderr, "");
}
