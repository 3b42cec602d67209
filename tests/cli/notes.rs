//! Front matter as note-takers write it, built through the real binary: free-form properties
//! reach templates, near misses are still caught, Obsidian's tags, aliases, classes, dates,
//! `publish` and `permalink` do what Obsidian Publish and Quartz make them do.

use insta::assert_snapshot;

use crate::support::{Site, element, elements, prose};

/// The titles a listing (a section or a term page) links to, in order.
fn listed(html: &str) -> String {
    elements(html, "<h2 class=\"card-title\">").join("\n")
}

/// A site with the default theme and these files.
fn site_with(files: &[(&str, &str)]) -> Site {
    let site = Site::new("title = \"Notes\"\n");
    for (path, text) in files {
        site.write(path, text);
    }
    site
}

#[test]
fn unknown_keys_reach_templates_in_page_extra() {
    let site = site_with(&[
        (
            "content/lydia.md",
            "---\ntitle: Lydia\nid: 20240501\ncreated: 2024-05-01 14:30\nsource: https://example.org/h\n\
             date created: 2024-05-01\nmood: calm\nextra:\n  mood: stormy\n---\nText.\n",
        ),
        (
            "templates/page.html",
            "<p>{{ page.extra.id }}|{{ page.extra.created }}|{{ page.extra.source }}|\
             {{ page.extra[\"date created\"] }}|{{ page.extra.mood }}</p>\n",
        ),
    ]);
    site.build().succeeds_silently();
    assert_eq!(
        site.read("public/lydia/index.html"),
        "<p>20240501|2024-05-01 14:30|https://example.org/h|2024-05-01|stormy</p>\n"
    );
}

#[test]
fn near_misses_of_fields_are_errors_naming_the_field() {
    let site = site_with(&[
        ("content/a.md", "---\ntitel: A\ntag: [war]\nid: 1\n---\n"),
        (
            "content/b.md",
            "+++\nalias = \"Old\"\ncssclass = \"wide\"\n+++\n",
        ),
    ]);
    assert_snapshot!(site.build().fails(), @r#"
    error: unknown field `titel` in front matter
     --> content/a.md:2:1
      |
    2 | titel: A
      | ^^^^^
      |
      = help: did you mean `title`?

    error: unknown field `tag` in front matter
     --> content/a.md:3:1
      |
    3 | tag: [war]
      | ^^^
      |
      = help: did you mean `tags`?

    error: unknown field `alias` in front matter
     --> content/b.md:2:1
      |
    2 | alias = "Old"
      | ^^^^^
      |
      = help: did you mean `aliases`?

    error: unknown field `cssclass` in front matter
     --> content/b.md:3:1
      |
    3 | cssclass = "wide"
      | ^^^^^^^^
      |
      = help: did you mean `cssclasses`?

    error: build failed with 4 errors; nothing was written
    "#);
}

#[test]
fn strict_front_matter_makes_unknown_keys_errors_again() {
    let site = site_with(&[("content/a.md", "---\ntitle: A\nid: 7\n---\n")]);
    site.write(
        "site.toml",
        "title = \"Notes\"\n[content]\nstrict_front_matter = true\n",
    );
    assert_snapshot!(site.build().fails(), @"
    error: unknown field `id` in front matter
     --> content/a.md:3:1
      |
    3 | id: 7
      | ^^
      |
      = help: valid fields are title, description, date, updated, draft, publish, slug, permalink, aliases, cssclasses, weight, template, kind, extra, page_kind, paginate_by, sort_by, era, region, people, strengths, sources, tags; free-form values go under `extra:`

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn nested_tags_are_shown_and_linked_as_written() {
    let site = site_with(&[
        (
            "content/sardis.md",
            "---\ntitle: Sardis\ntags: \"#area/history, war\"\n---\nText.\n",
        ),
        (
            "content/susa.md",
            "---\ntitle: Susa\ntags: area\n---\nA city of #area/history too.\n",
        ),
    ]);
    site.build().succeeds_silently();
    let sardis = site.read("public/sardis/index.html");
    assert_snapshot!(element(&sardis, "<ul class=\"tags\""), @r#"
    <ul class="tags" aria-label="Tags">
    <li><a class="tag" href="/tags/area/history/" rel="tag">area/history</a></li>
    <li><a class="tag" href="/tags/war/" rel="tag">war</a></li>
    </ul>
    "#);
    let susa = site.read("public/susa/index.html");
    assert_snapshot!(prose(&susa), @r#"<p>A city of <span class="tag">#area/history</span> too.</p>"#);
    // The nested term has its own page (listing both pages) and feed, below its parent's.
    let term = site.read("public/tags/area/history/index.html");
    assert_snapshot!(listed(&term), @r#"
    <h2 class="card-title"><a href="/sardis/">Sardis</a></h2>
    <h2 class="card-title"><a href="/susa/">Susa</a></h2>
    "#);
    assert!(site.exists("public/tags/area/history/atom.xml"));
    let parent = site.read("public/tags/area/index.html");
    assert_snapshot!(listed(&parent), @r#"<h2 class="card-title"><a href="/susa/">Susa</a></h2>"#);
}

#[test]
fn a_nested_tag_may_not_take_a_later_page_of_another_tag() {
    let site = site_with(&[(
        "site.toml",
        "title = \"Notes\"\n[pagination]\nper_page = 1\n",
    )]);
    site.write("content/a.md", "---\ntags: [area]\n---\n");
    site.write("content/b.md", "---\ntags: [area, area/page/2]\n---\n");
    assert_snapshot!(site.build().fails(), @"
    error: the tags term `area/page/2` has the URL /tags/area/page/2/, which is page 2 of the term `area`
     --> content/b.md:2:14
      |
    2 | tags: [area, area/page/2]
      |              ^^^^^^^^^^^
      |
      = help: rename the term; `page/<number>` inside a nested term is where listings put their later pages

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn publish_false_keeps_a_note_out_like_a_draft() {
    let site = site_with(&[
        (
            "content/secret plans.md",
            "---\ntitle: Secret plans\npublish: false\n---\nHidden.\n",
        ),
        (
            "content/public.md",
            "---\ntitle: Public\n---\nSee [[Secret plans]] and [this](<secret plans.md>).\n",
        ),
    ]);
    assert_snapshot!(site.build().fails(), @"
    error: link to an unpublished note: `content/secret plans.md` has `publish: false` and is left out of this build
     --> content/public.md:4:7
      |
    4 | See [[Secret plans]] and [this](<secret plans.md>).
      |       ^^^^^^^^^^^^
      |
      = help: build with `--drafts` to include it, or remove `publish: false` from it

    error: link to an unpublished note: `content/secret plans.md` has `publish: false` and is left out of this build
     --> content/public.md:4:34
      |
    4 | See [[Secret plans]] and [this](<secret plans.md>).
      |                                  ^^^^^^^^^^^^^^^
      |
      = help: build with `--drafts` to include it, or remove `publish: false` from it

    error: build failed with 2 errors; nothing was written
    ");
    site.write(
        "content/public.md",
        "---\ntitle: Public\n---\nNothing linked.\n",
    );
    site.build().succeeds_silently();
    assert!(!site.exists("public/secret-plans"));
    assert!(
        !site.read("public/sitemap.xml").contains("secret"),
        "an unpublished note is nowhere"
    );
    // Like a draft, it is previewed with `--drafts`.
    site.outcome(&["build", "--drafts"]).succeeds_silently();
    assert!(site.exists("public/secret-plans/index.html"));
}

#[test]
fn permalink_sets_the_url_and_every_link_form_follows() {
    let site = site_with(&[
        (
            "content/notes/Hello World.md",
            "---\ntitle: Hello\npermalink: greetings/hello\n---\n## Part one\n",
        ),
        (
            "content/index links.md",
            "---\ntitle: Links\n---\n[[Hello World]] [[Hello#Part one]] [rel](<notes/Hello World.md>) \
             [at](@/notes/Hello%20World.md) [abs](/greetings/hello/)\n",
        ),
    ]);
    site.build().succeeds_silently();
    let links = site.read("public/index-links/index.html");
    assert_snapshot!(prose(&links), @r#"<p><a href="/greetings/hello/">Hello World</a> <a href="/greetings/hello/#part-one">Hello &gt; Part one</a> <a href="/greetings/hello/">rel</a> <a href="/greetings/hello/">at</a> <a href="/greetings/hello/">abs</a></p>"#);
    assert!(site.exists("public/greetings/hello/index.html"));
    assert!(!site.exists("public/notes/hello-world"));
}

#[test]
fn two_pages_claiming_one_url_by_permalink_are_named() {
    let site = site_with(&[
        ("content/about.md", "---\ntitle: About\n---\n"),
        (
            "content/notes/me.md",
            "---\ntitle: Me\npermalink: /about/\n---\n",
        ),
        ("content/bad.md", "---\npermalink: ../../etc\n---\n"),
    ]);
    assert_snapshot!(site.build().fails(), @"
    error: `permalink` may not contain `..`: `../../etc`
     --> content/bad.md:2:12
      |
    2 | permalink: ../../etc
      |            ^^^^^^^^^
      |
      = help: write the whole path from the site's root, e.g. `permalink: notes/my-page`

    error: `content/notes/me.md` and `content/about.md` both want the URL /about/
     --> content/notes/me.md:3:1
      |
    3 | permalink: /about/
      | ^^^^^^^^^^^^^^^^^^
      |
      = help: choose another `permalink:` for this page

    error: build failed with 2 errors; nothing was written
    ");
}

#[test]
fn cssclasses_land_on_the_article() {
    let site = site_with(&[
        (
            "content/wide.md",
            "---\ntitle: Wide\ncssclasses: wide cards\n---\n",
        ),
        (
            "content/listed.md",
            "---\ntitle: Listed\ncssclasses: [print-only]\n---\n",
        ),
    ]);
    site.build().succeeds_silently();
    // The opening tag of the page's one <article>.
    let article = |page: &str| {
        let html = site.read(&format!("public/{page}/index.html"));
        let article = element(&html, "<article").to_string();
        article[..=article.find('>').unwrap()].to_string()
    };
    assert_eq!(
        article("wide"),
        "<article class=\"page page-note wide cards\" data-pagefind-body>"
    );
    assert_eq!(
        article("listed"),
        "<article class=\"page page-note print-only\" data-pagefind-body>"
    );
}

#[test]
fn aliases_redirect_by_url_and_by_free_name() {
    let site = site_with(&[
        (
            "content/notes/new name.md",
            "---\ntitle: New\naliases: [/old/url/, Old Name, Other, New name]\n---\n",
        ),
        ("content/notes/other.md", "---\ntitle: Other page\n---\n"),
        (
            "content/notes/linker.md",
            "---\ntitle: Linker\n---\n[[Old Name]] and [[Other page]]\n",
        ),
    ]);
    site.build().succeeds_silently();
    // A redirect page, the same by free name and by URL.
    let redirect = site.read("public/notes/old-name/index.html");
    assert_snapshot!(redirect, @r#"
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>Redirecting…</title>
    <link rel="canonical" href="/notes/new-name/">
    <meta name="robots" content="noindex">
    <meta http-equiv="refresh" content="0; url=/notes/new-name/">
    </head>
    <body>
    <p>This page has moved to <a href="/notes/new-name/">/notes/new-name/</a>.</p>
    </body>
    </html>
    "#);
    assert_eq!(site.read("public/old/url/index.html"), redirect);
    // `Other` is another page's URL and `New name` the page's own: no redirect, no error.
    let other = site.read("public/notes/other/index.html");
    assert_snapshot!(element(&other, "<h1"), @r#"<h1 data-pagefind-meta="title">Other page</h1>"#);
    let linker = site.read("public/notes/linker/index.html");
    assert_snapshot!(prose(&linker), @r#"<p><a href="/notes/new-name/">Old Name</a> and <a href="/notes/other/">Other page</a></p>"#);
}

#[test]
fn dates_as_obsidian_and_exports_write_them() {
    let site = site_with(&[
        (
            "content/a.md",
            "---\ntitle: A\ndate: 2024-05-01 14:30\nupdated: 1717243200000\n---\n",
        ),
        ("content/b.md", "---\ntitle: B\ndate: 2024\n---\n"),
    ]);
    assert_snapshot!(site.build().fails(), @"
    error: `date` is not a date: `2024`
     --> content/b.md:3:7
      |
    3 | date: 2024
      |       ^^^^
      |
      = help: write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00; a number is read as milliseconds since 1970, e.g. `1714573800000`

    error: build failed with 1 error; nothing was written
    ");
    site.write("content/b.md", "---\ntitle: B\ndate: 2024-05-02\n---\n");
    site.build().succeeds_silently();
    let a = site.read("public/a/index.html");
    assert_snapshot!(element(&a, "<p class=\"meta\""), @r#"
    <p class="meta" data-pagefind-ignore><span>Published <time datetime="2024-05-01T14:30:00Z">1 May 2024</time></span><span>Updated <time datetime="2024-06-01T12:00:00Z">1 June 2024</time></span><span>1 min read</span>
        </p>
    "#);
}

#[test]
fn a_permalink_may_take_a_folder_or_a_generated_url() {
    let site = site_with(&[
        (
            "content/Home.md",
            "---\npermalink: /\ntags: [start]\n---\nWelcome. See [[Obsidian for teams]].\n",
        ),
        (
            "content/Teams/Obsidian for teams.md",
            "---\npermalink: teams\n---\nAbout teams.\n",
        ),
        ("content/Teams/Sync.md", "Sync notes. Back to [[Home]].\n"),
    ]);
    site.build().succeeds_silently();
    // The notes are the pages of the site's root and of their folder: no listing is written.
    let home = site.read("public/index.html");
    assert_snapshot!(prose(&home), @r#"<p>Welcome. See <a href="/teams/">Obsidian for teams</a>.</p>"#);
    let teams = site.read("public/teams/index.html");
    assert_snapshot!(prose(&teams), @"<p>About teams.</p>");
    assert!(site.exists("public/teams/sync/index.html"));

    // A folder with its own _index.md keeps its page: claiming it is an error naming both.
    site.write("content/Teams/_index.md", "---\ntitle: Teams\n---\n");
    assert_snapshot!(site.build().fails(), @"
    error: `content/Teams/Obsidian for teams.md` and `content/Teams/_index.md` both want the URL /teams/
     --> content/Teams/Obsidian for teams.md:2:1
      |
    2 | permalink: teams
      | ^^^^^^^^^^^^^^^^
      |
      = help: choose another `permalink:` for this page

    error: build failed with 1 error; nothing was written
    ");
}

/// A URL steppe generates is an author's to take while nothing is generated there: the list of
/// tags gives way to the author's page (its term pages stay), the timeline is only written for
/// case studies and the search page while search is on. (Where something is generated, a page
/// there is an error: `catalogue::author_files_on_generated_paths`.)
#[test]
fn an_authors_page_takes_a_generated_url_where_nothing_is_generated() {
    let site = Site::new("title = \"Notes\"\n[search]\nenabled = false\n")
        .with_file(
            "content/Tags.md",
            "---\npermalink: tags\ntags: [start]\n---\nHow tags work.\n",
        )
        .with_file(
            "content/timeline.md",
            "---\ntitle: My own timeline\n---\nHand-made.\n",
        )
        .with_file(
            "content/search.md",
            "---\ntitle: Finding things\n---\nOur own search page.\n",
        );
    site.build().succeeds_silently();
    let pages = ["tags", "timeline", "search"].map(|page| {
        let html = site.read(&format!("public/{page}/index.html"));
        format!("{page}: {}", prose(&html))
    });
    assert_snapshot!(pages.join("\n"), @"
    tags: <p>How tags work.</p>
    timeline: <p>Hand-made.</p>
    search: <p>Our own search page.</p>
    ");
    assert!(site.exists("public/tags/start/index.html"));
    assert!(!site.exists("public/pagefind"));
}
