//! Block references, heading paths, section and block embeds, and media embeds, on a fixture
//! vault written the way Obsidian users write (`tests/fixtures/embeds`: names with spaces,
//! accents, CJK and emoji, attachments in `Attachments/`, no `_index.md`). Asserts the HTML a
//! reader gets and the exact messages an author sees.

use insta::assert_snapshot;

use crate::support::{Site, assert_valid_html, element, elements, prose, tail_from};

/// The text a reader sees in `html`: tags taken out, entities left as they are.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[test]
fn blocks_get_their_ids_and_their_markers_are_not_shown() {
    let site = Site::fixture("embeds");
    site.build().succeeds_silently();
    let plan = site.read("public/rocket-launch-plan/index.html");
    let body = prose(&plan);
    let named = [
        "<p id=\"^core-idea\">",
        "<li id=\"^step-validate\">",
        "<div id=\"^small-team\"",
        "<table id=\"^plan-table\">",
    ]
    .map(|marker| element(body, marker));
    assert_snapshot!(named.join("\n"), @r#"
    <p id="^core-idea">Ship the smallest thing that a customer will pay for.</p>
    <li id="^step-validate">Validate with five customers.</li>
    <div id="^small-team" class="callout callout-tip" data-callout="tip">
    <p class="callout-title">Keep it small</p>
    <div class="callout-body">
    <p>A team of two can move in an afternoon.</p>
    </div>
    </div>
    <table id="^plan-table"><thead><tr><th>Week</th><th>Goal</th></tr></thead><tbody>
    <tr><td>1</td><td>Interviews</td></tr>
    <tr><td>2</td><td>First sale</td></tr>
    </tbody></table>
    "#);
    let archers = site.read("public/case-studies/ancient/mongol-horse-archers/index.html");
    assert_snapshot!(element(prose(&archers), "<blockquote"), @r#"
    <blockquote id="^speed-quote">
    <p>Speed came from preparation, not improvisation.</p>
    </blockquote>
    "#);
    // No Obsidian syntax is left in what any page shows: its body, backlinks, related pages.
    for file in site.files("public") {
        if !file.ends_with("index.html") {
            continue;
        }
        let html = site.read(&format!("public/{file}"));
        let Some(start) = html.find("<article") else {
            continue;
        };
        let end = html[start..]
            .find("</article>")
            .map_or(html.len(), |e| start + e);
        let text = visible_text(&html[start..end]);
        assert!(!text.contains("[["), "{file}: {text}");
        let caret = text.find('^');
        assert!(caret.is_none(), "{file}: {text}");
    }
}

#[test]
fn block_links_and_embeds_reach_just_that_block() {
    let site = Site::fixture("embeds");
    site.build().succeeds_silently();
    let daily = site.read("public/daily-notes/2024-05-01/index.html");
    assert_snapshot!(prose(&daily), @r#"
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
    // The block is the one thing embedded: not the paragraph after it.
    let pricing = site.read("public/ideas/cafe-pricing-premiere/index.html");
    assert_snapshot!(prose(&pricing), @r##"
    <p>Charge for the outcome, not the hours. The <a href="/rocket-launch-plan/#%5Ecore-idea">core idea</a> says it best:</p>
    <div class="embed">
    <p class="embed-title"><a href="/rocket-launch-plan/#%5Ecore-idea">🚀 Launch plan</a></p>
    <p id="embed-1-^core-idea">Ship the smallest thing that a customer will pay for.</p>
    </div>

    <h2 id="anchoring">Anchoring<a class="anchor" href="#anchoring" aria-label="Link to this section">#</a></h2>
    <p>Show the premium option first.</p>
    <h3 id="decoys">Decoys<a class="anchor" href="#decoys" aria-label="Link to this section">#</a></h3>
    <p>A middle option makes the top one look fair. See also <a href="#anchoring">Anchoring</a>.</p>
    <h2 id="discounts">Discounts<a class="anchor" href="#discounts" aria-label="Link to this section">#</a></h2>
    <p>Never discount the first sale.</p>
    <h3 id="decoys-1">Decoys<a class="anchor" href="#decoys-1" aria-label="Link to this section">#</a></h3>
    <p>A free extra is a decoy too.</p>
    "##);
}

#[test]
fn heading_paths_resolve_to_the_subheading_under_that_heading() {
    let site = Site::fixture("embeds");
    site.build().succeeds_silently();
    // Two `### Decoys`: one under Anchoring (`#decoys`), one under Discounts (`#decoys-1`).
    let shop = site.read("public/ideas/xiao-sanashang-mai/index.html");
    assert_snapshot!(elements(prose(&shop), "<p>")[0], @r#"<p>小さな商売は、顧客との関係が強みです。<a href="/ideas/cafe-pricing-premiere/#decoys">Café pricing — première &gt; Anchoring &gt; Decoys</a> と <a href="/ideas/cafe-pricing-premiere/#decoys-1">Café pricing — première &gt; Discounts &gt; Decoys</a> も参照。</p>"#);
}

#[test]
fn a_heading_path_or_block_that_is_not_there_is_a_broken_anchor() {
    let site = Site::fixture("embeds");
    site.write(
        "content/Broken.md",
        "[[Café pricing — première#Anchoring#Discounts]]\n\n[[🚀 Launch plan#^core-ide]]\n\n![[Mongol horse archers#^speed]]\n\n[[Launch#^nowhere]]\n",
    );
    site.write("content/Plain.md", "No ids here.\n\n[[Plain#^x]]\n");
    assert_snapshot!(site.build().fails(), @"
    error: broken anchor: `content/Ideas/Café pricing — première.md` has no heading `#Anchoring#Discounts`
     --> content/Broken.md:1:3
      |
    1 | [[Café pricing — première#Anchoring#Discounts]]
      |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: headings under `Anchoring`: #Decoys

    error: broken anchor: `content/🚀 Launch plan.md` has no block `^core-ide`
     --> content/Broken.md:3:3
      |
    3 | [[🚀 Launch plan#^core-ide]]
      |   ^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: did you mean `^core-idea`?

    error: broken anchor: `content/Case Studies/Ancient/Mongol horse archers.md` has no block `^speed`
     --> content/Broken.md:5:4
      |
    5 | ![[Mongol horse archers#^speed]]
      |    ^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: blocks there: ^speed-quote

    error: broken anchor: `content/🚀 Launch plan.md` has no block `^nowhere`
     --> content/Broken.md:7:3
      |
    7 | [[Launch#^nowhere]]
      |   ^^^^^^^^^^^^^^^
      |
      = help: blocks there: ^core-idea, ^step-validate, ^small-team, ^plan-table

    error: broken anchor: `content/Plain.md` has no block `^x`
     --> content/Plain.md:3:3
      |
    3 | [[Plain#^x]]
      |   ^^^^^^^^
      |
      = help: `content/Plain.md` has no block ids; end a paragraph or list item there with ` ^x` to make one

    error: build failed with 5 errors; nothing was written
    ");
}

#[test]
fn block_markers_that_name_nothing_are_warnings() {
    let site = Site::fixture("embeds");
    site.write(
        "content/Markers.md",
        "^first\n\n## Heading\n\n^after-heading\n\nOne. ^same\n\nTwo. ^same\n",
    );
    assert_snapshot!(site.build().succeeds(), @"
    warning: block id `^first` follows no block
     --> content/Markers.md:1:1
      |
    1 | ^first
      | ^^^^^^
      |
      = help: put it at the end of a paragraph or list item, or on its own line after a table, quote, callout or list, with a blank line before it

    warning: block id `^after-heading` follows a block that cannot have one
     --> content/Markers.md:5:1
      |
    5 | ^after-heading
      | ^^^^^^^^^^^^^^
      |
      = help: put it after a paragraph, list, table, quote, callout or code block; link to a heading with `[[Page#Heading]]`

    warning: block id `^same` is already used in this note; this one is ignored
     --> content/Markers.md:9:6
      |
    9 | Two. ^same
      |      ^^^^^
      |
      = help: give each block an id of its own
    ");
    let markers = site.read("public/markers/index.html");
    assert_snapshot!(prose(&markers), @r##"
    <h2 id="heading">Heading<a class="anchor" href="#heading" aria-label="Link to this section">#</a></h2>
    <p id="^same">One.</p>
    <p>Two.</p>
    "##);
}

#[test]
fn a_page_may_embed_its_own_sections_but_not_the_one_holding_the_embed() {
    let site = Site::fixture("embeds");
    site.build().succeeds_silently();
    let plan = site.read("public/rocket-launch-plan/index.html");
    assert_snapshot!(tail_from(prose(&plan), "<p>Same note, another section: </p>"), @r##"
    <p>Same note, another section: </p>
    <div class="embed">
    <p class="embed-title"><a href="#steps">🚀 Launch plan</a></p>
    <h2 id="embed-9-steps">Steps<a class="anchor" href="#embed-9-steps" aria-label="Link to this section">#</a></h2>
    <ol>
    <li id="embed-9-^step-validate">Validate with five customers.</li>
    <li>Price it: see <a href="/ideas/xiao-sanashang-mai/#zhi-duan">小さな商売 &gt; 値段</a>.</li>
    <li>Record the pitch, <span class="embed-media embed-video"><video controls preload="metadata" src="/attachments/pitch.mp4" title="pitch.mp4"></video> <a class="embed-download" href="/attachments/pitch.mp4" download>pitch.mp4</a></span></li>
    </ol>
    <div id="embed-9-^small-team" class="callout callout-tip" data-callout="tip">
    <p class="callout-title">Keep it small</p>
    <div class="callout-body">
    <p>A team of two can move in an afternoon.</p>
    </div>
    </div>
    <table id="embed-9-^plan-table"><thead><tr><th>Week</th><th>Goal</th></tr></thead><tbody>
    <tr><td>1</td><td>Interviews</td></tr>
    <tr><td>2</td><td>First sale</td></tr>
    </tbody></table>
    </div>
    "##);

    site.write(
        "content/Loop.md",
        "## Intro\n\nHello.\n\n## Loop\n\nThis section holds itself: ![[#Loop]]\n\nAnd a block that holds itself: ![[Loop#^me]] ^me\n",
    );
    assert_snapshot!(site.build().fails(), @"
    error: embed cycle: content/Loop.md#loop embeds content/Loop.md#loop
     --> content/Loop.md:7:31
      |
    7 | This section holds itself: ![[#Loop]]
      |                               ^^^^^
      |
      = help: an embed may not bring in, directly or through other embeds, the page, section or block that holds it

    error: embed cycle: content/Loop.md#^me embeds content/Loop.md#^me
     --> content/Loop.md:9:35
      |
    9 | And a block that holds itself: ![[Loop#^me]] ^me
      |                                   ^^^^^^^^
      |
      = help: an embed may not bring in, directly or through other embeds, the page, section or block that holds it

    error: build failed with 2 errors; nothing was written
    ");
}

#[test]
fn pages_may_embed_sections_of_each_other_that_do_not_embed_back() {
    // The archers' Sources section embeds a block of 小さな商売, which embeds the archers'
    // Command section: page by page a cycle, section by section none.
    let site = Site::fixture("embeds");
    site.build().succeeds_silently();
    let archers = site.read("public/case-studies/ancient/mongol-horse-archers/index.html");
    assert_snapshot!(tail_from(prose(&archers), "<p>Small shops think alike: </p>"), @r#"
    <p>Small shops think alike: </p>
    <div class="embed">
    <p class="embed-title"><a href="/ideas/xiao-sanashang-mai/#%5Enedan">小さな商売</a></p>
    <p id="embed-0-^nedan">値段は価値で決める。</p>
    </div>
    "#);
    let shop = site.read("public/ideas/xiao-sanashang-mai/index.html");
    assert_snapshot!(tail_from(prose(&shop), "<div class=\"embed\">"), @r##"
    <div class="embed">
    <p class="embed-title"><a href="/case-studies/ancient/mongol-horse-archers/#command">Mongol horse archers</a></p>
    <h2 id="embed-2-command">Command<a class="anchor" href="#embed-2-command" aria-label="Link to this section">#</a></h2>
    <p>Signals with flags and drums let a plan adapt without losing its shape.</p>
    </div>
    "##);
    // Whole pages embedding each other still do.
    site.write("content/A.md", "![[B#Part]]\n");
    site.write("content/B.md", "## Part\n\n![[A]]\n");
    assert_snapshot!(site.build().fails(), @"
    error: embed cycle: content/A.md embeds content/B.md#part embeds content/A.md
     --> content/B.md:3:4
      |
    3 | ![[A]]
      |    ^
      |
      = help: an embed may not bring in, directly or through other embeds, the page, section or block that holds it

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn video_audio_pdf_and_other_files_are_embedded_from_anywhere_in_the_vault() {
    let site = Site::fixture("embeds");
    site.build().succeeds_silently();
    let plan = site.read("public/rocket-launch-plan/index.html");
    let body = prose(&plan);
    let media = [elements(body, "<ol>")[0], element(body, "<ul>")].join("\n");
    assert_snapshot!(media, @r#"
    <ol>
    <li id="^step-validate">Validate with five customers.</li>
    <li>Price it: see <a href="/ideas/xiao-sanashang-mai/#zhi-duan">小さな商売 &gt; 値段</a>.</li>
    <li>Record the pitch, <span class="embed-media embed-video"><video controls preload="metadata" src="/attachments/pitch.mp4" title="pitch.mp4"></video> <a class="embed-download" href="/attachments/pitch.mp4" download>pitch.mp4</a></span></li>
    </ol>
    <ul>
    <li>Interview recording: <span class="embed-media embed-audio"><audio controls preload="metadata" src="/attachments/interview.mp3" title="interview.mp3"></audio> <a class="embed-download" href="/attachments/interview.mp3" download>interview.mp3</a></span></li>
    <li>The ledger, page two: <span class="embed-media embed-pdf"><object data="/attachments/ledger.pdf#page=2" type="application/pdf" title="ledger.pdf">ledger.pdf</object> <a class="embed-download" href="/attachments/ledger.pdf" download>ledger.pdf</a></span></li>
    <li>Raw prices: <a class="embed-file" href="/attachments/prices.csv">prices.csv</a></li>
    <li>Map: <img src="/attachments/market%20map.png" width="300" height="225" alt="market map.png" loading="lazy" decoding="async"></li>
    <li>The full ledger: <span class="embed-media embed-pdf"><object data="/attachments/ledger.pdf" type="application/pdf" title="ledger.pdf" height="500">ledger.pdf</object> <a class="embed-download" href="/attachments/ledger.pdf" download>ledger.pdf</a></span></li>
    </ul>
    "#);
    for file in [
        "pitch.mp4",
        "interview.mp3",
        "ledger.pdf",
        "prices.csv",
        "market map.png",
    ] {
        assert!(site.exists(&format!("public/attachments/{file}")), "{file}");
    }
}

#[test]
fn a_missing_attachment_is_a_broken_link() {
    let site = Site::fixture("embeds");
    site.write(
        "content/Media.md",
        "![[clip.mp4]]\n\n![[pitch.mp3]]\n\n[[ledger.pdf]] and [[report.pdf]]\n\n![[Elsewhere/market map.png]]\n",
    );
    assert_snapshot!(site.build().fails(), @"
    error: missing attachment: no file is called `clip.mp4`
     --> content/Media.md:1:4
      |
    1 | ![[clip.mp4]]
      |    ^^^^^^^^
      |
      = help: put the file anywhere in the content folder, e.g. in `Attachments/`; it is found by its name

    error: missing attachment: no file is called `pitch.mp3`
     --> content/Media.md:3:4
      |
    3 | ![[pitch.mp3]]
      |    ^^^^^^^^^
      |
      = help: did you mean `![[pitch.mp4]]`?

    error: missing attachment: no file is called `report.pdf`
     --> content/Media.md:5:22
      |
    5 | [[ledger.pdf]] and [[report.pdf]]
      |                      ^^^^^^^^^^
      |
      = help: put the file anywhere in the content folder, e.g. in `Attachments/`; it is found by its name

    error: missing attachment: no file is called `market map.png`
     --> content/Media.md:7:4
      |
    7 | ![[Elsewhere/market map.png]]
      |    ^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: did you mean `![[market map.png]]`?

    error: build failed with 4 errors; nothing was written
    ");
    // Under `broken = "warn"` the page is built, and the link to the file that is there works.
    site.write(
        "site.toml",
        "title = \"Embeds\"\n[links]\nbroken = \"warn\"\n",
    );
    assert_snapshot!(site.build().succeeds(), @"
    warning: missing attachment: no file is called `clip.mp4`
     --> content/Media.md:1:4
      |
    1 | ![[clip.mp4]]
      |    ^^^^^^^^
      |
      = help: put the file anywhere in the content folder, e.g. in `Attachments/`; it is found by its name

    warning: missing attachment: no file is called `pitch.mp3`
     --> content/Media.md:3:4
      |
    3 | ![[pitch.mp3]]
      |    ^^^^^^^^^
      |
      = help: did you mean `![[pitch.mp4]]`?

    warning: missing attachment: no file is called `report.pdf`
     --> content/Media.md:5:22
      |
    5 | [[ledger.pdf]] and [[report.pdf]]
      |                      ^^^^^^^^^^
      |
      = help: put the file anywhere in the content folder, e.g. in `Attachments/`; it is found by its name

    warning: missing attachment: no file is called `market map.png`
     --> content/Media.md:7:4
      |
    7 | ![[Elsewhere/market map.png]]
      |    ^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: did you mean `![[market map.png]]`?
    ");
    let media = site.read("public/media/index.html");
    assert_snapshot!(prose(&media), @r#"
    <p><span class="embed-media embed-video"><video controls preload="metadata" src="clip.mp4" title="clip.mp4"></video> <a class="embed-download" href="clip.mp4" download>clip.mp4</a></span></p>
    <p><span class="embed-media embed-audio"><audio controls preload="metadata" src="pitch.mp3" title="pitch.mp3"></audio> <a class="embed-download" href="pitch.mp3" download>pitch.mp3</a></span></p>
    <p><a href="/attachments/ledger.pdf">ledger.pdf</a> and <a href="report.pdf">report.pdf</a></p>
    <p><img src="Elsewhere/market map.png" alt="Elsewhere/market map.png" loading="lazy" decoding="async"></p>
    "#);
}

#[test]
fn the_embeds_fixture_is_valid_html() {
    let site = Site::fixture("embeds");
    site.build().succeeds_silently();
    assert_valid_html(&[&site.path().join("public")]);
}

#[test]
fn names_are_found_the_way_obsidian_finds_them() {
    let site = Site::fixture("embeds");
    // Two notes called `Security`: a link from beside one of them means that one.
    site.write(
        "content/Sync/Security.md",
        "Sync keeps your notes encrypted.\n",
    );
    site.write(
        "content/Publish/Security.md",
        "Publish serves them over HTTPS.\n",
    );
    site.write(
        "content/Sync/Overview.md",
        "Read [[Security]]. Files by bare name: ![map](market%20map.png) and [the plan](Launch%20plan.md).\n",
    );
    site.write(
        "content/🚀 Launch plan.md",
        &site
            .read("content/🚀 Launch plan.md")
            .replace("aliases: [Launch]", "aliases: [Launch, Launch plan]"),
    );
    site.build().succeeds_silently();
    let overview = site.read("public/sync/overview/index.html");
    assert_snapshot!(prose(&overview), @r#"<p>Read <a href="/sync/security/">Security</a>. Files by bare name: <img src="/attachments/market%20map.png" width="40" height="30" alt="map" loading="lazy" decoding="async"> and <a href="/rocket-launch-plan/">the plan</a>.</p>"#);
}

#[test]
fn embeds_that_double_at_every_level_stop_at_a_budget() {
    // Forty sections, each embedding the next one twice: 2^40 copies of the last one.
    let mut text = String::new();
    for k in 0..40 {
        text.push_str(&format!(
            "## S{k}\n\n![[#S{}]]\n\n![[#S{}]]\n\n",
            k + 1,
            k + 1
        ));
    }
    text.push_str("## S40\n\nThe end of a long chain of sections.\n");
    let site = Site::new("title = \"Bomb\"\n");
    site.write("content/bomb.md", &text);
    let build = site.build();
    let stderr = build.fails();
    // The first of the embeds left out, whole; each later one is reported the same way.
    let first = &stderr[..stderr.find("\n\n").unwrap() + 2];
    assert_snapshot!(first, @"
    error: embeds bring in more than 64 MiB of HTML; this one is left out
     --> content/bomb.md:9:4
      |
    9 | ![[#S2]]
      |    ^^^
      |
      = help: embeds that embed the same sections again and again grow twice as large at each level: embed fewer times
    ");
    assert!(
        stderr.ends_with("error: build failed with 76 errors; nothing was written\n"),
        "{stderr}"
    );
}

#[test]
fn embeds_nest_at_most_sixteen_deep() {
    // A chain of sections, each embedding the next: the stack of embeds stops at 16.
    let mut text = String::new();
    for k in 0..20 {
        text.push_str(&format!("## S{k}\n\n![[#S{}]]\n\n", k + 1));
    }
    text.push_str("## S20\n\nThe end.\n");
    let site = Site::new("title = \"Chain\"\n");
    site.write("content/chain.md", &text);
    assert_snapshot!(site.build().fails(), @"
    error: embeds nested more than 16 deep; this one is left out
      --> content/chain.md:63:4
       |
    63 | ![[#S16]]
       |    ^^^^
       |
       = help: embed the deeper note directly instead of through a chain of embeds

    error: build failed with 1 error; nothing was written
    ");
}
