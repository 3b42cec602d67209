//! Block references, heading paths, section and block embeds, and media embeds, on a fixture
//! vault written the way Obsidian users write (`tests/fixtures/embeds`: names with spaces,
//! accents, CJK and emoji, attachments in `Attachments/`, no `_index.md`). Asserts the HTML a
//! reader gets and the exact messages an author sees.

use crate::support::{Site, assert_valid_html};

/// The body of a page as the default theme shows it.
fn prose(html: &str) -> &str {
    let start = html.find("<div class=\"prose\">\n").expect("a prose body") + 20;
    let end = start
        + html[start..]
            .find("\n    </div>\n  </div>")
            .expect("its end");
    html[start..end].trim_end()
}

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
    site.build_ok();
    let plan = site.read("public/rocket-launch-plan/index.html");
    let body = prose(&plan);
    for named in [
        "<p id=\"^core-idea\">Ship the smallest thing that a customer will pay for.</p>",
        "<li id=\"^step-validate\">Validate with five customers.</li>",
        "<div id=\"^small-team\" class=\"callout callout-tip\" data-callout=\"tip\">",
        "<table id=\"^plan-table\"><thead>",
    ] {
        assert!(body.contains(named), "{named} not in {body}");
    }
    let archers = site.read("public/case-studies/ancient/mongol-horse-archers/index.html");
    assert!(
        prose(&archers).contains(
            "<blockquote id=\"^speed-quote\">\n<p>Speed came from preparation, not improvisation.</p>\n</blockquote>"
        ),
        "{archers}"
    );
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
    site.build_ok();
    let daily = site.read("public/daily-notes/2024-05-01/index.html");
    assert_eq!(
        prose(&daily),
        "<p>Met Sam about the <a href=\"/rocket-launch-plan/\">Launch</a>. Embedded step:</p>\n\
         <div class=\"embed\">\n\
         <p class=\"embed-title\"><a href=\"/rocket-launch-plan/#%5Estep-validate\">🚀 Launch plan</a></p>\n\
         <ol>\n<li id=\"embed-1-^step-validate\">Validate with five customers.</li>\n</ol>\n\
         </div>\n\n\
         <p>Table for reference: <a href=\"/rocket-launch-plan/#%5Eplan-table\">🚀 Launch plan</a></p>\n\
         <ul class=\"tasklist\">\n\
         <li class=\"task\"><input type=\"checkbox\" disabled checked> call the printer</li>\n\
         <li class=\"task\"><input type=\"checkbox\" disabled> book the stall</li>\n\
         </ul>"
    );
    let pricing = site.read("public/ideas/cafe-pricing-premiere/index.html");
    assert!(
        prose(&pricing).starts_with(
            "<p>Charge for the outcome, not the hours. The <a href=\"/rocket-launch-plan/#%5Ecore-idea\">core idea</a> says it best:</p>\n\
             <div class=\"embed\">\n\
             <p class=\"embed-title\"><a href=\"/rocket-launch-plan/#%5Ecore-idea\">🚀 Launch plan</a></p>\n\
             <p id=\"embed-1-^core-idea\">Ship the smallest thing that a customer will pay for.</p>\n\
             </div>\n"
        ),
        "{pricing}"
    );
    // The block is the one thing embedded: not the paragraph after it.
    assert!(!prose(&pricing).contains("Steps"), "{pricing}");
}

#[test]
fn heading_paths_resolve_to_the_subheading_under_that_heading() {
    let site = Site::fixture("embeds");
    site.build_ok();
    // Two `### Decoys`: one under Anchoring (`#decoys`), one under Discounts (`#decoys-1`).
    let shop = site.read("public/ideas/xiao-sanashang-mai/index.html");
    assert!(
        prose(&shop).starts_with(
            "<p>小さな商売は、顧客との関係が強みです。<a href=\"/ideas/cafe-pricing-premiere/#decoys\">Café pricing — première &gt; Anchoring &gt; Decoys</a> と <a href=\"/ideas/cafe-pricing-premiere/#decoys-1\">Café pricing — première &gt; Discounts &gt; Decoys</a> も参照。</p>"
        ),
        "{shop}"
    );
}

#[test]
fn a_heading_path_or_block_that_is_not_there_is_a_broken_anchor() {
    let site = Site::fixture("embeds");
    site.write(
        "content/Broken.md",
        "[[Café pricing — première#Anchoring#Discounts]]\n\n[[🚀 Launch plan#^core-ide]]\n\n![[Mongol horse archers#^speed]]\n\n[[Launch#^nowhere]]\n",
    );
    site.write("content/Plain.md", "No ids here.\n\n[[Plain#^x]]\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: broken anchor: `content/Ideas/Café pricing — première.md` has no heading `#Anchoring#Discounts`\n --> content/Broken.md:1:3\n  |\n1 | [[Café pricing — première#Anchoring#Discounts]]\n  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: headings under `Anchoring`: #Decoys\n\n\
         error: broken anchor: `content/🚀 Launch plan.md` has no block `^core-ide`\n --> content/Broken.md:3:3\n  |\n3 | [[🚀 Launch plan#^core-ide]]\n  |   ^^^^^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: did you mean `^core-idea`?\n\n\
         error: broken anchor: `content/Case Studies/Ancient/Mongol horse archers.md` has no block `^speed`\n --> content/Broken.md:5:4\n  |\n5 | ![[Mongol horse archers#^speed]]\n  |    ^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: blocks there: ^speed-quote\n\n\
         error: broken anchor: `content/🚀 Launch plan.md` has no block `^nowhere`\n --> content/Broken.md:7:3\n  |\n7 | [[Launch#^nowhere]]\n  |   ^^^^^^^^^^^^^^^\n  |\n  = help: blocks there: ^core-idea, ^step-validate, ^small-team, ^plan-table\n\n\
         error: broken anchor: `content/Plain.md` has no block `^x`\n --> content/Plain.md:3:3\n  |\n3 | [[Plain#^x]]\n  |   ^^^^^^^^\n  |\n  = help: `content/Plain.md` has no block ids; end a paragraph or list item there with ` ^x` to make one\n\n\
         error: build failed with 5 errors; nothing was written\n"
    );
}

#[test]
fn block_markers_that_name_nothing_are_warnings() {
    let site = Site::fixture("embeds");
    site.write(
        "content/Markers.md",
        "^first\n\n## Heading\n\n^after-heading\n\nOne. ^same\n\nTwo. ^same\n",
    );
    let run = site.build_ok();
    assert_eq!(
        run.stderr,
        "warning: block id `^first` follows no block\n --> content/Markers.md:1:1\n  |\n1 | ^first\n  | ^^^^^^\n  |\n  = help: put it at the end of a paragraph or list item, or on its own line after a table, quote, callout or list, with a blank line before it\n\n\
         warning: block id `^after-heading` follows a block that cannot have one\n --> content/Markers.md:5:1\n  |\n5 | ^after-heading\n  | ^^^^^^^^^^^^^^\n  |\n  = help: put it after a paragraph, list, table, quote, callout or code block; link to a heading with `[[Page#Heading]]`\n\n\
         warning: block id `^same` is already used in this note; this one is ignored\n --> content/Markers.md:9:6\n  |\n9 | Two. ^same\n  |      ^^^^^\n  |\n  = help: give each block an id of its own\n\n"
    );
    let markers = site.read("public/markers/index.html");
    assert_eq!(
        prose(&markers),
        "<h2 id=\"heading\">Heading<a class=\"anchor\" href=\"#heading\" aria-label=\"Link to this section\">#</a></h2>\n<p id=\"^same\">One.</p>\n<p>Two.</p>"
    );
}

#[test]
fn a_page_may_embed_its_own_sections_but_not_the_one_holding_the_embed() {
    let site = Site::fixture("embeds");
    site.build_ok();
    let plan = site.read("public/rocket-launch-plan/index.html");
    let body = prose(&plan);
    let embed = &body[body
        .find("<p>Same note, another section: </p>\n<div class=\"embed\">")
        .expect(body)..];
    assert!(
        embed.starts_with(
            "<p>Same note, another section: </p>\n<div class=\"embed\">\n\
             <p class=\"embed-title\"><a href=\"#steps\">🚀 Launch plan</a></p>\n\
             <h2 id=\"embed-9-steps\">Steps"
        ),
        "{embed}"
    );
    assert!(
        embed.contains("<li id=\"embed-9-^step-validate\">"),
        "{embed}"
    );
    assert!(!embed.contains("Interview recording"), "{embed}");

    site.write(
        "content/Loop.md",
        "## Intro\n\nHello.\n\n## Loop\n\nThis section holds itself: ![[#Loop]]\n\nAnd a block that holds itself: ![[Loop#^me]] ^me\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: embed cycle: content/Loop.md#loop embeds content/Loop.md#loop\n --> content/Loop.md:7:31\n  |\n7 | This section holds itself: ![[#Loop]]\n  |                               ^^^^^\n  |\n  = help: an embed may not bring in, directly or through other embeds, the page, section or block that holds it\n\n\
         error: embed cycle: content/Loop.md#^me embeds content/Loop.md#^me\n --> content/Loop.md:9:35\n  |\n9 | And a block that holds itself: ![[Loop#^me]] ^me\n  |                                   ^^^^^^^^\n  |\n  = help: an embed may not bring in, directly or through other embeds, the page, section or block that holds it\n\n\
         error: build failed with 2 errors; nothing was written\n"
    );
}

#[test]
fn pages_may_embed_sections_of_each_other_that_do_not_embed_back() {
    // The archers' Sources section embeds a block of 小さな商売, which embeds the archers'
    // Command section: page by page a cycle, section by section none.
    let site = Site::fixture("embeds");
    site.build_ok();
    let archers = site.read("public/case-studies/ancient/mongol-horse-archers/index.html");
    assert!(
        prose(&archers).ends_with(
            "<p>Small shops think alike: </p>\n<div class=\"embed\">\n\
             <p class=\"embed-title\"><a href=\"/ideas/xiao-sanashang-mai/#%5Enedan\">小さな商売</a></p>\n\
             <p id=\"embed-0-^nedan\">値段は価値で決める。</p>\n</div>"
        ),
        "{archers}"
    );
    let shop = site.read("public/ideas/xiao-sanashang-mai/index.html");
    assert!(
        prose(&shop).ends_with(
            "<div class=\"embed\">\n\
             <p class=\"embed-title\"><a href=\"/case-studies/ancient/mongol-horse-archers/#command\">Mongol horse archers</a></p>\n\
             <h2 id=\"embed-2-command\">Command<a class=\"anchor\" href=\"#embed-2-command\" aria-label=\"Link to this section\">#</a></h2>\n\
             <p>Signals with flags and drums let a plan adapt without losing its shape.</p>\n</div>"
        ),
        "{shop}"
    );
    // Whole pages embedding each other still do.
    site.write("content/A.md", "![[B#Part]]\n");
    site.write("content/B.md", "## Part\n\n![[A]]\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: embed cycle: content/A.md embeds content/B.md#part embeds content/A.md\n --> content/B.md:3:4\n  |\n3 | ![[A]]\n  |    ^\n  |\n  = help: an embed may not bring in, directly or through other embeds, the page, section or block that holds it\n\nerror: build failed with 1 error; nothing was written\n"
    );
}

#[test]
fn video_audio_pdf_and_other_files_are_embedded_from_anywhere_in_the_vault() {
    let site = Site::fixture("embeds");
    site.build_ok();
    let plan = site.read("public/rocket-launch-plan/index.html");
    let body = prose(&plan);
    for expected in [
        "<li>Record the pitch, <span class=\"embed-media embed-video\"><video controls preload=\"metadata\" src=\"/attachments/pitch.mp4\" title=\"pitch.mp4\"></video> <a class=\"embed-download\" href=\"/attachments/pitch.mp4\" download>pitch.mp4</a></span></li>",
        "<li>Interview recording: <span class=\"embed-media embed-audio\"><audio controls preload=\"metadata\" src=\"/attachments/interview.mp3\" title=\"interview.mp3\"></audio> <a class=\"embed-download\" href=\"/attachments/interview.mp3\" download>interview.mp3</a></span></li>",
        "<li>The ledger, page two: <span class=\"embed-media embed-pdf\"><object data=\"/attachments/ledger.pdf#page=2\" type=\"application/pdf\" title=\"ledger.pdf\">ledger.pdf</object> <a class=\"embed-download\" href=\"/attachments/ledger.pdf\" download>ledger.pdf</a></span></li>",
        "<li>Raw prices: <a class=\"embed-file\" href=\"/attachments/prices.csv\">prices.csv</a></li>",
        "<li>Map: <img src=\"/attachments/market%20map.png\" alt=\"market map.png\" width=\"300\" loading=\"lazy\"></li>",
        "<li>The full ledger: <span class=\"embed-media embed-pdf\"><object data=\"/attachments/ledger.pdf\" type=\"application/pdf\" title=\"ledger.pdf\" height=\"500\">ledger.pdf</object> <a class=\"embed-download\" href=\"/attachments/ledger.pdf\" download>ledger.pdf</a></span></li>",
    ] {
        assert!(body.contains(expected), "{expected} not in {body}");
    }
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
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: missing attachment: no file is called `clip.mp4`\n --> content/Media.md:1:4\n  |\n1 | ![[clip.mp4]]\n  |    ^^^^^^^^\n  |\n  = help: put the file anywhere in the content folder, e.g. in `Attachments/`; it is found by its name\n\n\
         error: missing attachment: no file is called `pitch.mp3`\n --> content/Media.md:3:4\n  |\n3 | ![[pitch.mp3]]\n  |    ^^^^^^^^^\n  |\n  = help: did you mean `![[pitch.mp4]]`?\n\n\
         error: missing attachment: no file is called `report.pdf`\n --> content/Media.md:5:22\n  |\n5 | [[ledger.pdf]] and [[report.pdf]]\n  |                      ^^^^^^^^^^\n  |\n  = help: put the file anywhere in the content folder, e.g. in `Attachments/`; it is found by its name\n\n\
         error: missing attachment: no file is called `market map.png`\n --> content/Media.md:7:4\n  |\n7 | ![[Elsewhere/market map.png]]\n  |    ^^^^^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: did you mean `![[market map.png]]`?\n\n\
         error: build failed with 4 errors; nothing was written\n"
    );
    // Under `broken = "warn"` the page is built, and the link to the file that is there works.
    site.write(
        "site.toml",
        "title = \"Embeds\"\n[links]\nbroken = \"warn\"\n",
    );
    let run = site.build_ok();
    assert!(
        run.stderr
            .starts_with("warning: missing attachment: no file is called `clip.mp4`"),
        "{}",
        run.stderr
    );
    let media = site.read("public/media/index.html");
    assert!(
        prose(&media).contains("<p><a href=\"/attachments/ledger.pdf\">ledger.pdf</a> and <a href=\"report.pdf\">report.pdf</a></p>"),
        "{media}"
    );
}

#[test]
fn the_embeds_fixture_is_valid_html() {
    let site = Site::fixture("embeds");
    site.build_ok();
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
    site.build_ok();
    let overview = site.read("public/sync/overview/index.html");
    assert_eq!(
        prose(&overview),
        "<p>Read <a href=\"/sync/security/\">Security</a>. Files by bare name: <img src=\"/attachments/market%20map.png\" alt=\"map\" loading=\"lazy\"> and <a href=\"/rocket-launch-plan/\">the plan</a>.</p>"
    );
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
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "error: embeds bring in more than 64 MiB of HTML; this one is left out\n --> content/bomb.md:9:4\n  |\n9 | ![[#S2]]\n  |    ^^^\n  |\n  = help: embeds that embed the same sections again and again grow twice as large at each level: embed fewer times\n\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("error: build failed with 76 errors; nothing was written\n"),
        "{}",
        run.stderr
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
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: embeds nested more than 16 deep; this one is left out\n  --> content/chain.md:63:4\n   |\n63 | ![[#S16]]\n   |    ^^^^\n   |\n   = help: embed the deeper note directly instead of through a chain of embeds\n\nerror: build failed with 1 error; nothing was written\n"
    );
}
