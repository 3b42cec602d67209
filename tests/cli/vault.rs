//! An Obsidian vault as its owner keeps it, built with no `site.toml` and no `themes/`:
//! `tests/fixtures/obsidian/content/` has folders and files named with spaces, accents, CJK and
//! emoji, attachments in `Attachments/`, `.obsidian/` settings naming a template folder, a
//! `.trash/`, free-form properties, no `_index.md`, and every Obsidian form: wikilinks with
//! labels, headings, heading paths and blocks; block ids on paragraphs, list items, quotes and
//! tables; note, section, block and media embeds; comments; highlights; callouts; plugin code
//! blocks; a mermaid diagram; `publish: false`; aliases; nested tags; permalinks (a home note
//! and a folder's note). What a reader sees is checked page by page, and then across the whole
//! output: no Obsidian syntax left in visible text, no link to a file or anchor that is not
//! there, and nothing private anywhere.

use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;

use crate::support::{Site, percent_decode};

const NOTES: &str = "\
note: `base_url` is not set, so feeds, the sitemap and canonical links use URLs relative to the site's root (`/atom.xml`)
 |
 = help: create a site.toml with `base_url = \"https://example.com/\"` (the address the site is published at), or pass `--base-url URL` to `steppe build`

note: the notes in `content/Templates/` are left out: .obsidian/templates.json names it the vault's template folder
 |
 = help: templates are blanks for new notes, not pages; move a note out of the folder to publish it

note: 3 code blocks for Obsidian plugins (`base`, `dataview`, `query`) in 2 notes are shown as code, not run
  --> content/Ideas/🧭 Compass/Weekly review.md:18:4
   |
18 | ```query
   |    ^^^^^
   |
   = help: a static site cannot run plugins; to publish what such a block shows in Obsidian, paste its result into the note

";

fn built_vault() -> Site {
    let site = Site::fixture_as_is("obsidian");
    assert!(!site.exists("site.toml") && !site.exists("themes"));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, NOTES);
    assert!(
        run.stdout.starts_with("built 8 pages, 6 sections, "),
        "{}",
        run.stdout
    );
    site
}

/// The `<div class="prose">` of a page: the note's own body as the theme shows it.
fn prose(site: &Site, page: &str) -> String {
    let html = site.read(&format!("public/{page}"));
    let start = html.find("<div class=\"prose\">").expect(page);
    let end = html[start..].find("\n    </div>").expect(page) + start;
    html[start..end].to_string()
}

#[test]
fn every_note_is_a_page_and_nothing_else_is() {
    let site = built_vault();
    let pages: BTreeSet<String> = site
        .files("public")
        .into_iter()
        .filter(|f| f.ends_with("index.html"))
        .collect();
    let expected = [
        // The home note (`permalink: /`) and the folder note of Case Studies (`permalink:
        // case-studies`) take the listings' URLs.
        "index.html",
        "case-studies/index.html",
        "case-studies/ancient/index.html",
        "history/mongols/index.html",
        "daily-notes/index.html",
        "daily-notes/2024-05-01/index.html",
        "ideas/index.html",
        "ideas/cafe-pricing-premiere/index.html",
        "ideas/xiao-sanashang-mai/index.html",
        "ideas/compass-compass/index.html",
        "ideas/compass-compass/weekly-review/index.html",
        "rocket-launch-plan/index.html",
        // Redirects: name aliases whose slugs are free, and an old URL.
        "case-studies/ancient/mongols/index.html",
        "ideas/pricing/index.html",
        "launch/index.html",
        "old/pricing/index.html",
        // Generated: search, graph, and the tags (nested ones nested).
        "search/index.html",
        "graph/index.html",
        "tags/index.html",
        "tags/area/business/index.html",
        "tags/area/business/weekly/index.html",
        "tags/history/index.html",
        "tags/launch/index.html",
        "tags/pricing/index.html",
        "tags/project/index.html",
        "tags/review/index.html",
        "tags/ri-ben/index.html",
    ];
    assert_eq!(pages, expected.into_iter().map(String::from).collect());
    let attachments: Vec<String> = site.files("public/attachments");
    assert_eq!(
        attachments,
        [
            "interview.mp3",
            "ledger.pdf",
            "market map.png",
            "pitch.mp4",
            "prices.csv"
        ]
    );
    let home = site.read("public/index.html");
    assert!(
        home.contains("<article class=\"page page-note home wide-page\""),
        "{home}"
    );
    assert!(home.contains("<title>Home · "), "{home}");
}

#[test]
fn links_and_embeds_resolve_the_way_obsidian_does() {
    let site = built_vault();
    let plan = prose(&site, "rocket-launch-plan/index.html");
    for fragment in [
        // A label, a heading in another note (which moved with `permalink:`), a comment cut
        // out of the sentence.
        "<p>The plan builds on <a href=\"/ideas/cafe-pricing-premiere/\">my pricing note</a> and the lessons in <a href=\"/history/mongols/#logistics\">Mongol horse archers &gt; Logistics</a>.</p>",
        // A highlight carrying a block id; a list item and a table with theirs.
        "<p id=\"^core-idea\"><mark>Ship the smallest thing that a customer will pay for.</mark></p>",
        "<li id=\"^step-validate\">Validate with five customers.</li>",
        "<table id=\"^plan-table\">",
        // A heading in a note named in Japanese.
        "<li>Price it: see <a href=\"/ideas/xiao-sanashang-mai/#zhi-duan\">小さな商売 &gt; 値段</a>.</li>",
        // Media embeds: players with a download link, a PDF at its page, a file as a link, an
        // image with its width.
        "<video controls preload=\"metadata\" src=\"/attachments/pitch.mp4\" title=\"pitch.mp4\"></video> <a class=\"embed-download\" href=\"/attachments/pitch.mp4\" download>pitch.mp4</a>",
        "<audio controls preload=\"metadata\" src=\"/attachments/interview.mp3\" title=\"interview.mp3\"></audio>",
        "<object data=\"/attachments/ledger.pdf#page=2\" type=\"application/pdf\" title=\"ledger.pdf\">ledger.pdf</object>",
        "<li>Raw prices: <a class=\"embed-file\" href=\"/attachments/prices.csv\">prices.csv</a></li>",
        "<img src=\"/attachments/market%20map.png\" alt=\"market map.png\" width=\"300\" loading=\"lazy\">",
        "<div class=\"callout callout-tip\" data-callout=\"tip\">\n<p class=\"callout-title\">Keep it small</p>",
        // A plugin block is code; a console session's prompt is marked.
        "<pre class=\"hl\" data-lang=\"dataview\"><code class=\"language-dataview\">TABLE status FROM #project\n</code></pre>",
        "<span class=\"prompt\">$ </span>",
        // A section of the same note, embedded, its ids kept unique.
        "<p class=\"embed-title\"><a href=\"#steps\">🚀 Launch plan</a></p>\n<h2 id=\"embed-8-steps\">",
        "<li id=\"embed-8-^step-validate\">Validate with five customers.</li>",
        "<p><span class=\"tag\">#area/business</span> <span class=\"tag\">#launch</span></p>",
    ] {
        assert!(plan.contains(fragment), "missing {fragment}\nin {plan}");
    }

    // A block embedded from another note, and a link to a block.
    let daily = prose(&site, "daily-notes/2024-05-01/index.html");
    for fragment in [
        "<p>Met Sam about the <a href=\"/rocket-launch-plan/\">Launch</a>. Embedded step:</p>",
        "<p class=\"embed-title\"><a href=\"/rocket-launch-plan/#%5Estep-validate\">🚀 Launch plan</a></p>",
        "Validate with five customers.",
        "<p>Table for reference: <a href=\"/rocket-launch-plan/#%5Eplan-table\">🚀 Launch plan</a></p>",
        "<input type=\"checkbox\"",
    ] {
        assert!(daily.contains(fragment), "missing {fragment}\nin {daily}");
    }

    let pricing = prose(&site, "ideas/cafe-pricing-premiere/index.html");
    for fragment in [
        "<a href=\"/rocket-launch-plan/#%5Ecore-idea\">core idea</a>",
        "<mark>Ship the smallest thing that a customer will pay for.</mark>",
        "See also <a href=\"#anchoring\">Anchoring</a>.",
        "<mark>add value instead</mark>",
    ] {
        assert!(
            pricing.contains(fragment),
            "missing {fragment}\nin {pricing}"
        );
    }

    // A heading path: Decoys under Anchoring.
    let small = prose(&site, "ideas/xiao-sanashang-mai/index.html");
    assert!(
        small.contains("<a href=\"/ideas/cafe-pricing-premiere/#decoys\">Café pricing — première &gt; Anchoring &gt; Decoys</a>"),
        "{small}"
    );
    assert!(
        small.contains("<p id=\"^nedan\">値段は価値で決める。</p>"),
        "{small}"
    );

    let review = prose(&site, "ideas/compass-compass/weekly-review/index.html");
    for fragment in [
        // Markdown links as Obsidian writes them: angle brackets, or percent-encoded.
        "the <a href=\"/rocket-launch-plan/\">launch</a> (see <a href=\"/rocket-launch-plan/#steps\">its steps</a>) and\n<a href=\"/ideas/cafe-pricing-premiere/#discounts\">pricing</a>.",
        // A section embedded from another note stops at the next heading of its level.
        "<h2 id=\"embed-3-anchoring\">",
        "<h3 id=\"embed-3-decoys\">",
        "<a href=\"/rocket-launch-plan/#notes\">notes</a> and the raw <a href=\"/attachments/prices.csv\">prices.csv</a>.",
        "<pre class=\"diagram\" data-lang=\"mermaid\"><code>flowchart LR\n  Idea --&gt; Sale\n</code></pre>",
        "<p>Next week: <mark>one interview a day</mark>.</p>",
        "id=\"^call-sam\"",
    ] {
        assert!(review.contains(fragment), "missing {fragment}\nin {review}");
    }
    assert!(!review.contains("Discounts"), "{review}");

    // The folder note embeds a quote by its block id.
    let studies = prose(&site, "case-studies/index.html");
    assert!(
        studies.contains("<a href=\"/history/mongols/\">the Mongol army</a>"),
        "{studies}"
    );
    assert!(
        studies.contains("Speed came from preparation, not improvisation."),
        "{studies}"
    );
}

/// Text a reader sees on a page: without the head, scripts, styles, code and SVG, tags removed,
/// the common entities decoded.
fn visible_text(html: &str) -> String {
    let hidden = Regex::new(
        r"(?s)<head>.*?</head>|<script\b.*?</script>|<style\b.*?</style>|<pre\b.*?</pre>|<code\b.*?</code>|<svg\b.*?</svg>",
    )
    .unwrap();
    let tags = Regex::new(r"<[^>]*>").unwrap();
    let text = hidden.replace_all(html, " ");
    let text = tags.replace_all(&text, " ");
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn no_obsidian_syntax_no_broken_link_and_nothing_private_in_the_output() {
    let site = built_vault();
    let published = site.published("public");
    let html: BTreeMap<&str, &str> = published
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    let ids = Regex::new(r#"\bid="([^"]*)""#).unwrap();
    let ids: BTreeMap<&str, BTreeSet<String>> = html
        .iter()
        .map(|(path, text)| {
            let ids = ids
                .captures_iter(text)
                .map(|c| c[1].replace("&amp;", "&"))
                .collect();
            (*path, ids)
        })
        .collect();

    let raw = Regex::new(r"\[\[|\]\]|%%|==[^=\s][^=]*==|(?:^|[\s(])\^[A-Za-z0-9-]+").unwrap();
    let links = Regex::new(r#"\b(?:href|src|data)="(/[^"]*)""#).unwrap();
    let mut problems = Vec::new();
    for (path, text) in &html {
        let visible = visible_text(text);
        for found in raw.find_iter(&visible) {
            problems.push(format!(
                "{path}: `{}` left in the text",
                found.as_str().trim()
            ));
        }
        for link in links.captures_iter(text) {
            let url = link[1].replace("&amp;", "&");
            let (target, fragment) = url.split_once('#').unwrap_or((&url, ""));
            let mut file = percent_decode(target.trim_start_matches('/'));
            if file.is_empty() || file.ends_with('/') {
                file.push_str("index.html");
            }
            if !site.exists(&format!("public/{file}")) {
                problems.push(format!("{path}: {url} leads nowhere"));
                continue;
            }
            let fragment = percent_decode(fragment);
            if file.ends_with(".html")
                && !fragment.is_empty()
                && !fragment.starts_with("page=")
                && !ids[file.as_str()].contains(&fragment)
            {
                problems.push(format!("{path}: {url} has no anchor `{fragment}`"));
            }
        }
    }
    assert_eq!(problems, Vec::<String>::new());

    // Comments, an unpublished note, the trash and the templates are in no file, search index
    // included.
    for private in [
        "PRIVATE-COMMENT-MARKER",
        "ask Sam about the venue",
        "not the weekend",
        "PRIVATE-DRAFT-MARKER",
        "TRASHED-NOTE-MARKER",
        "{{date",
        "attachmentFolderPath",
    ] {
        let leaks: Vec<&str> = published
            .iter()
            .filter(|(_, text)| text.contains(private))
            .map(|(path, _)| path.as_str())
            .collect();
        assert_eq!(leaks, Vec::<&str>::new(), "{private}");
    }
    // The search index did get the notes' words.
    assert!(
        published
            .iter()
            .any(|(path, text)| path.starts_with("pagefind/fragment/")
                && text.contains("Validate with five customers")),
        "the search index has no page text"
    );
}

#[test]
fn the_vault_kept_beside_the_site_builds_the_same_with_broken_links_as_warnings() {
    let site = Site::fixture_as_is("obsidian");
    std::fs::rename(site.path().join("content"), site.path().join("My Vault")).unwrap();
    site.write(
        "site.toml",
        "title = \"Field notes\"\nbase_url = \"https://notes.example/\"\ncontent_dir = \"My Vault\"\n\n[links]\nbroken = \"warn\"\n",
    );
    site.write(
        "My Vault/Ideas/Someday.md",
        "Maybe [[A note not written yet]].\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert_eq!(
        warnings,
        ["warning: broken wikilink: no page is called `A note not written yet`"]
    );
    assert!(
        run.stdout.starts_with("built 9 pages, 6 sections, "),
        "{}",
        run.stdout
    );
    let plan = site.read("public/rocket-launch-plan/index.html");
    assert!(
        plan.contains(
            "<link rel=\"canonical\" href=\"https://notes.example/rocket-launch-plan/\">"
        ),
        "{plan}"
    );
}

#[test]
fn the_vault_copied_without_its_settings_publishes_its_templates_with_a_note() {
    // `cp -r "My Vault"/* content/` leaves `.obsidian/` behind: nothing then names the template
    // folder, and its notes are pages whose placeholders are left unset.
    let site = Site::fixture_as_is("obsidian");
    std::fs::remove_dir_all(site.path().join("content/.obsidian")).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "note: `date` holds the template placeholder `{{date:YYYY-MM-DD}}` and is left unset\n --> content/Templates/Daily template.md:3:7\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("warning") && !run.stderr.contains("error"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.starts_with("built 9 pages, 7 sections, "),
        "{}",
        run.stdout
    );
    assert!(site.exists("public/templates/daily-template/index.html"));
}
