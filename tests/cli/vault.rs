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

use insta::assert_snapshot;

use crate::support::{Site, element, percent_decode, start_tag};

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
        // Link previews of the notes other notes link to.
        "_preview/case-studies/index.html",
        "_preview/daily-notes/2024-05-01/index.html",
        "_preview/history/mongols/index.html",
        "_preview/ideas/cafe-pricing-premiere/index.html",
        "_preview/ideas/compass-compass/weekly-review/index.html",
        "_preview/ideas/xiao-sanashang-mai/index.html",
        "_preview/rocket-launch-plan/index.html",
        // Redirects: name aliases whose slugs are free, and an old URL.
        "case-studies/ancient/mongols/index.html",
        "ideas/pricing/index.html",
        "launch/index.html",
        "old/pricing/index.html",
        // Generated: search, graph, explorer, and the tags (nested ones nested).
        "search/index.html",
        "graph/index.html",
        "explorer/index.html",
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
    assert_eq!(
        pages,
        expected
            .into_iter()
            .map(String::from)
            .collect::<std::collections::BTreeSet<String>>()
    );
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
    assert_snapshot!(start_tag(&home, "<article"), @r#"<article class="page page-note home wide-page" data-pagefind-body>"#);
    // The site's title is the folder's name, a temporary one here (its name made a title:
    // `.tmpk6kol1` is `Tmpk6kol1`), so only its start is known.
    assert!(home.contains("<title>Home · "), "{home}");
}

#[test]
fn links_and_embeds_resolve_the_way_obsidian_does() {
    let site = built_vault();
    // A label, a heading in another note (which moved with `permalink:`), a comment cut out of
    // the sentence; a highlight carrying a block id, a list item and a table with theirs; a
    // heading in a note named in Japanese; media embeds (players with a download link, a PDF at
    // its page, a file as a link, an image with its width); a plugin block as code, a console
    // session's prompt marked; a section of the same note embedded, its ids kept unique.
    assert_snapshot!(prose(&site, "rocket-launch-plan/index.html"), @r##"
    <div class="prose">
    <h1 id="rocket-launch-plan">🚀 Launch plan<a class="anchor" href="#rocket-launch-plan" aria-label="Link to this section">#</a></h1>
    <p>The plan builds on <a href="/ideas/cafe-pricing-premiere/">my pricing note</a> and the lessons in <a href="/history/mongols/#logistics">Mongol horse archers &gt; Logistics</a>.</p>
    <p id="^core-idea"><mark>Ship the smallest thing that a customer will pay for.</mark></p>
    <h2 id="steps">Steps<a class="anchor" href="#steps" aria-label="Link to this section">#</a></h2>
    <ol>
    <li id="^step-validate">Validate with five customers.</li>
    <li>Price it: see <a href="/ideas/xiao-sanashang-mai/#zhi-duan">小さな商売 &gt; 値段</a>.</li>
    <li>Record the pitch, <span class="embed-media embed-video"><video controls preload="metadata" src="/attachments/pitch.mp4" title="pitch.mp4"></video> <a class="embed-download" href="/attachments/pitch.mp4" download>pitch.mp4</a></span></li>
    </ol>
    <div class="callout callout-tip" data-callout="tip">
    <p class="callout-title">Keep it small</p>
    <div class="callout-body">
    <p>A team of two can move in an afternoon.</p>
    </div>
    </div>
    <table id="^plan-table"><thead><tr><th>Week</th><th>Goal</th></tr></thead><tbody>
    <tr><td>1</td><td>Interviews</td></tr>
    <tr><td>2</td><td>First sale</td></tr>
    </tbody></table>
    <h2 id="notes">Notes<a class="anchor" href="#notes" aria-label="Link to this section">#</a></h2>
    <ul>
    <li>Interview recording: <span class="embed-media embed-audio"><audio controls preload="metadata" src="/attachments/interview.mp3" title="interview.mp3"></audio> <a class="embed-download" href="/attachments/interview.mp3" download>interview.mp3</a></span></li>
    <li>The ledger, page two: <span class="embed-media embed-pdf"><object data="/attachments/ledger.pdf#page=2" type="application/pdf" title="ledger.pdf">ledger.pdf</object> <a class="embed-download" href="/attachments/ledger.pdf" download>ledger.pdf</a></span></li>
    <li>Raw prices: <a class="embed-file" href="/attachments/prices.csv">prices.csv</a></li>
    <li>Map: <img src="/attachments/market%20map.png" width="300" height="225" alt="market map.png" loading="lazy" decoding="async"></li>
    </ul>
    <pre class="hl" data-lang="dataview"><code class="language-dataview">TABLE status FROM #project
    </code></pre>
    <pre class="hl" data-lang="console"><code class="language-console"><span class="prompt">$ </span><span class="hl-source hl-shell hl-bash"><span class="hl-meta hl-function-call hl-shell"><span class="hl-variable hl-function hl-shell">steppe</span></span><span class="hl-meta hl-function-call hl-arguments hl-shell"> build</span>
    </span>built 12 pages in 0.1 s
    </code></pre>
    <p>Same note, another section: </p>
    <div class="embed">
    <p class="embed-title"><a href="#steps">🚀 Launch plan</a></p>
    <h2 id="embed-8-steps">Steps<a class="anchor" href="#embed-8-steps" aria-label="Link to this section">#</a></h2>
    <ol>
    <li id="embed-8-^step-validate">Validate with five customers.</li>
    <li>Price it: see <a href="/ideas/xiao-sanashang-mai/#zhi-duan">小さな商売 &gt; 値段</a>.</li>
    <li>Record the pitch, <span class="embed-media embed-video"><video controls preload="metadata" src="/attachments/pitch.mp4" title="pitch.mp4"></video> <a class="embed-download" href="/attachments/pitch.mp4" download>pitch.mp4</a></span></li>
    </ol>
    <div class="callout callout-tip" data-callout="tip">
    <p class="callout-title">Keep it small</p>
    <div class="callout-body">
    <p>A team of two can move in an afternoon.</p>
    </div>
    </div>
    <table id="embed-8-^plan-table"><thead><tr><th>Week</th><th>Goal</th></tr></thead><tbody>
    <tr><td>1</td><td>Interviews</td></tr>
    <tr><td>2</td><td>First sale</td></tr>
    </tbody></table>
    </div>

    <p><span class="tag">#area/business</span> <span class="tag">#launch</span></p>
    "##);

    // A block embedded from another note, and a link to a block.
    assert_snapshot!(prose(&site, "daily-notes/2024-05-01/index.html"), @r#"
    <div class="prose">
    <p>Met Sam about the <a href="/rocket-launch-plan/">Launch</a>. Embedded step:</p>
    <div class="embed">
    <p class="embed-title"><a href="/rocket-launch-plan/#%5Estep-validate">🚀 Launch plan</a></p>
    <ol>
    <li id="embed-1-^step-validate">Validate with five customers.</li>
    </ol>
    </div>

    <p>Table for reference: <a href="/rocket-launch-plan/#%5Eplan-table">🚀 Launch plan</a></p>
    <ul class="tasklist">
    <li class="task"><input type="checkbox" disabled checked> call the printer</li>
    <li class="task"><input type="checkbox" disabled> book the stall</li>
    </ul>
    "#);

    assert_snapshot!(prose(&site, "ideas/cafe-pricing-premiere/index.html"), @r##"
    <div class="prose">
    <p>Charge for the outcome, not the hours. The <a href="/rocket-launch-plan/#%5Ecore-idea">core idea</a> says it best:</p>
    <div class="embed">
    <p class="embed-title"><a href="/rocket-launch-plan/#%5Ecore-idea">🚀 Launch plan</a></p>
    <p id="embed-1-^core-idea"><mark>Ship the smallest thing that a customer will pay for.</mark></p>
    </div>

    <h2 id="anchoring">Anchoring<a class="anchor" href="#anchoring" aria-label="Link to this section">#</a></h2>
    <p>Show the premium option first.</p>
    <h3 id="decoys">Decoys<a class="anchor" href="#decoys" aria-label="Link to this section">#</a></h3>
    <p>A middle option makes the top one look fair. See also <a href="#anchoring">Anchoring</a>.</p>
    <h2 id="discounts">Discounts<a class="anchor" href="#discounts" aria-label="Link to this section">#</a></h2>
    <p>Never discount the first sale; <mark>add value instead</mark>.</p>
    "##);

    // A heading path: Decoys under Anchoring.
    assert_snapshot!(prose(&site, "ideas/xiao-sanashang-mai/index.html"), @r##"
    <div class="prose">
    <p>小さな商売は、顧客との関係が強みです。<a href="/ideas/cafe-pricing-premiere/#decoys">Café pricing — première &gt; Anchoring &gt; Decoys</a> も参照。</p>
    <h2 id="zhi-duan">値段<a class="anchor" href="#zhi-duan" aria-label="Link to this section">#</a></h2>
    <p id="^nedan">値段は価値で決める。</p>
    <ul>
    <li>一人で始める</li>
    <li id="^small-team">仲間は少なく</li>
    </ul>
    "##);

    // Markdown links as Obsidian writes them (angle brackets, or percent-encoded); a section
    // embedded from another note stops at the next heading of its level.
    assert_snapshot!(prose(&site, "ideas/compass-compass/weekly-review/index.html"), @r##"
    <div class="prose">
    <h1 id="weekly-review">Weekly review<a class="anchor" href="#weekly-review" aria-label="Link to this section">#</a></h1>
    <p>What moved: the <a href="/rocket-launch-plan/">launch</a> (see <a href="/rocket-launch-plan/#steps">its steps</a>) and
    <a href="/ideas/cafe-pricing-premiere/#discounts">pricing</a>.</p>
    <div class="embed">
    <p class="embed-title"><a href="/ideas/cafe-pricing-premiere/#anchoring">Café pricing — première</a></p>
    <h2 id="embed-3-anchoring">Anchoring<a class="anchor" href="#embed-3-anchoring" aria-label="Link to this section">#</a></h2>
    <p>Show the premium option first.</p>
    <h3 id="embed-3-decoys">Decoys<a class="anchor" href="#embed-3-decoys" aria-label="Link to this section">#</a></h3>
    <p>A middle option makes the top one look fair. See also <a href="#embed-3-anchoring">Anchoring</a>.</p>
    </div>

    <p>The plan’s <a href="/rocket-launch-plan/#notes">notes</a> and the raw <a href="/attachments/prices.csv">prices.csv</a>.</p>
    <pre class="hl" data-lang="query"><code class="language-query">tag:#launch
    </code></pre>
    <pre class="hl" data-lang="base"><code class="language-base">views:
      - type: table
    </code></pre>
    <pre class="diagram" data-lang="mermaid"><code>flowchart LR
      Idea --&gt; Sale
    </code></pre>
    <p>Next week: <mark>one interview a day</mark>.</p>
    <ul class="tasklist">
    <li id="^call-sam" class="task"><input type="checkbox" disabled> call Sam</li>
    </ul>
    "##);

    // The folder note embeds a quote by its block id.
    assert_snapshot!(prose(&site, "case-studies/index.html"), @r#"
    <div class="prose">
    <p>Stories of small, fast teams. The best known is <a href="/history/mongols/">the Mongol army</a>:</p>
    <div class="embed">
    <p class="embed-title"><a href="/history/mongols/#%5Espeed-quote">Mongol horse archers</a></p>
    <blockquote id="embed-1-^speed-quote">
    <p>Speed came from preparation, not improvisation.</p>
    </blockquote>
    </div>
    "#);
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
            // A cache-busted theme file (`/style.css?h=…`) is the file without its query.
            let target = target.split_once('?').map_or(target, |(file, _)| file);
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
    assert_snapshot!(element(&plan, "<link rel=\"canonical\""), @r#"<link rel="canonical" href="https://notes.example/rocket-launch-plan/">"#);
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
