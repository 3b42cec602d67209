//! Tests for Obsidian's block ids (`^block-id`) and media embeds: the exact HTML a reader gets
//! and the warnings an author sees.

use super::tests::{html, md, show};
use super::*;

/// Each named block as `id: html`.
fn blocks(text: &str) -> Vec<String> {
    let (rendered, diagnostics) = md(text);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    rendered
        .blocks
        .iter()
        .map(|b| format!("{}: {}", b.id, show(&b.html)))
        .collect()
}

/// Warnings as `line:column: message (hint)`.
fn warnings(text: &str) -> Vec<String> {
    md(text)
        .1
        .iter()
        .map(|d| {
            let l = d.location.as_ref().unwrap();
            assert_eq!(d.severity, crate::diagnostics::Severity::Warning);
            format!(
                "{}:{}+{}: {} ({})",
                l.line,
                l.column,
                l.len,
                d.message,
                d.hint.as_deref().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn a_marker_ending_a_paragraph_names_it_and_is_not_shown() {
    let text = "Intro.\n\nShip the smallest thing. ^core-idea\n\nAfter.\n";
    assert_eq!(
        html(text),
        "<p>Intro.</p>\n<p id=\"^core-idea\">Ship the smallest thing.</p>\n<p>After.</p>\n"
    );
    assert_eq!(
        blocks(text),
        ["core-idea: <p id=\"^core-idea\">Ship the smallest thing.</p>\n"]
    );
    // On the paragraph's last line of its own, too; the summary shows neither id nor marker.
    let (r, _) = md("First line\n^first\n");
    assert_eq!(show(&r.html), "<p id=\"^first\">First line\n</p>\n");
    assert_eq!(show(&r.summary), "<p>First line\n</p>");
    assert_eq!(r.word_count, 2);
}

#[test]
fn list_items_quotes_and_callouts_are_named_by_their_last_line() {
    let text = "1. Validate. ^step-validate\n2. Price it. ^step-price\n   - nested\n";
    assert_eq!(
        html(text),
        "<ol>\n<li id=\"^step-validate\">Validate.</li>\n<li id=\"^step-price\">Price it.\n<ul>\n<li>nested</li>\n</ul>\n</li>\n</ol>\n"
    );
    // Embedded alone, an item keeps its list and its number.
    assert_eq!(
        blocks(text)[1],
        "step-price: <ol start=\"2\">\n<li id=\"^step-price\">Price it.\n<ul>\n<li>nested</li>\n</ul>\n</li>\n</ol>\n"
    );
    assert_eq!(
        blocks("- [ ] call ^todo\n"),
        [
            "todo: <ul class=\"tasklist\">\n<li id=\"^todo\" class=\"task\"><input type=\"checkbox\" disabled> call</li>\n</ul>\n"
        ]
    );
    assert_eq!(
        html("> Speed came from preparation. ^speed\n"),
        "<blockquote id=\"^speed\">\n<p>Speed came from preparation.</p>\n</blockquote>\n"
    );
    assert_eq!(
        html("> [!tip] Keep it small\n> Two people move fast. ^small\n"),
        "<div id=\"^small\" class=\"callout callout-tip\" data-callout=\"tip\">\n<p class=\"callout-title\">Keep it small</p>\n<div class=\"callout-body\">\n<p>Two people move fast.</p>\n</div>\n</div>\n"
    );
}

#[test]
fn a_marker_on_its_own_line_names_the_block_before_it() {
    assert_eq!(
        html("| Week | Goal |\n|---|---|\n| 1 | Interviews |\n\n^plan-table\n\nNext.\n"),
        "<table id=\"^plan-table\"><thead><tr><th>Week</th><th>Goal</th></tr></thead><tbody>\n<tr><td>1</td><td>Interviews</td></tr>\n</tbody></table>\n<p>Next.</p>\n"
    );
    assert_eq!(
        html("- a\n- b\n\n^the-list\n"),
        "<ul id=\"^the-list\">\n<li>a</li>\n<li>b</li>\n</ul>\n"
    );
    assert_eq!(
        html("> quoted\n\n^q\n"),
        "<blockquote id=\"^q\">\n<p>quoted</p>\n</blockquote>\n"
    );
    assert_eq!(
        html("```\ncode\n```\n\n^snippet\n"),
        "<pre id=\"^snippet\" class=\"hl\"><code>code\n</code></pre>\n"
    );
    // A paragraph that is only an embed has no tag of its own: a <div> carries the id.
    assert_eq!(
        html("![[Note]] ^whole\n"),
        "<div id=\"^whole\">[[embed 0]]\n</div>\n"
    );
}

#[test]
fn carets_that_are_not_markers_stay_text() {
    assert_eq!(
        html("x^2 and 2 ^ 3 and ^not_an_id\n\n`code ^id`\n"),
        "<p>x^2 and 2 ^ 3 and ^not_an_id</p>\n<p><code>code ^id</code></p>\n"
    );
    assert!(blocks("```\nline ^id\n```\n").is_empty());
}

#[test]
fn markers_that_name_nothing_are_warnings() {
    assert_eq!(
        warnings(
            "^orphan\n\n## Heading\n\n^after-heading\n\nA. ^a\n\nB. ^a\n\n- item ^one\n\n  more ^two\n"
        ),
        [
            "1:1+7: block id `^orphan` follows no block (put it at the end of a paragraph or list item, or on its own line after a table, quote, callout or list, with a blank line before it)",
            "5:1+14: block id `^after-heading` follows a block that cannot have one (put it after a paragraph, list, table, quote, callout or code block; link to a heading with `[[Page#Heading]]`)",
            "9:4+2: block id `^a` is already used in this note; this one is ignored (give each block an id of its own)",
            "13:8+4: this block already has the id `^one`; `^two` is ignored (a block has one id: remove one of them)",
        ]
    );
    // None of them is shown.
    let (r, _) = md("^orphan\n\nA. ^a\n\nB. ^a\n");
    assert_eq!(show(&r.html), "<p id=\"^a\">A.</p>\n<p>B.</p>\n");
}

#[test]
fn wikilinks_to_headings_and_blocks_read_as_words() {
    assert_eq!(
        html(
            "[[Page#Anchoring#Decoys]], [[Page#^core-idea]], [[#Steps]], [[#^step]], [[Page#^x|label]]\n"
        ),
        "<p><a href=\"{0}\">Page &gt; Anchoring &gt; Decoys</a>, <a href=\"{1}\">Page</a>, <a href=\"{2}\">Steps</a>, <a href=\"{3}\">step</a>, <a href=\"{4}\">label</a></p>\n"
    );
}

#[test]
fn a_transcluded_note_is_never_inside_a_paragraph() {
    assert_eq!(
        html("Same note, another section: ![[#Steps]]\n"),
        "<p>Same note, another section: </p>\n[[embed 0]]\n"
    );
    assert_eq!(
        html("![[Note]] then text\n"),
        "[[embed 0]]\n<p>then text</p>\n"
    );
    // A file (resolve makes it a link) and a note in a tight list item stay where they are.
    assert_eq!(
        html("Raw prices: ![[prices.csv]]\n\n- ![[Note]]\n"),
        "<p>Raw prices: [[embed 0]]</p>\n<ul>\n<li>[[embed 1]]</li>\n</ul>\n"
    );
}

#[test]
fn video_audio_and_pdf_embeds_become_players_with_a_download_link() {
    let (r, d) = md(
        "![[clip.mp4]]\n\n- Talk: ![[talk.m4a|The talk]]\n- ![[Attachments/doc.pdf#page=3&height=400]]\n- ![[wide.webm|640x360]]\n",
    );
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(
        show(&r.html),
        "<p><span class=\"embed-media embed-video\"><video controls preload=\"metadata\" src=\"{0}\" title=\"clip.mp4\"></video> <a class=\"embed-download\" href=\"{0}\" download>clip.mp4</a></span></p>\n\
         <ul>\n\
         <li>Talk: <span class=\"embed-media embed-audio\"><audio controls preload=\"metadata\" src=\"{1}\" title=\"The talk\"></audio> <a class=\"embed-download\" href=\"{1}\" download>talk.m4a</a></span></li>\n\
         <li><span class=\"embed-media embed-pdf\"><object data=\"{2}#page=3\" type=\"application/pdf\" title=\"doc.pdf\" height=\"400\">doc.pdf</object> <a class=\"embed-download\" href=\"{2}\" download>doc.pdf</a></span></li>\n\
         <li><span class=\"embed-media embed-video\"><video controls preload=\"metadata\" src=\"{3}\" title=\"wide.webm\" width=\"640\" height=\"360\"></video> <a class=\"embed-download\" href=\"{3}\" download>wide.webm</a></span></li>\n\
         </ul>\n"
    );
    let dests: Vec<(LinkKind, &str)> = r.links.iter().map(|l| (l.kind, l.dest.as_str())).collect();
    assert_eq!(
        dests,
        [
            (LinkKind::Embed, "clip.mp4"),
            (LinkKind::Embed, "talk.m4a"),
            (LinkKind::Embed, "Attachments/doc.pdf"),
            (LinkKind::Embed, "wide.webm"),
        ]
    );
    // The file name is what a diagnostic underlines.
    let l = &r.links[2].location;
    assert_eq!((l.line, l.column, l.len), (4, 6, 19));
    assert_eq!(r.links[1].context, "Talk: The talk");
}

#[test]
fn a_label_pipe_escaped_in_a_table_is_not_part_of_the_target() {
    let (r, d) = md(
        "| Link | Picture |\n|---|---|\n| [[Table view\\|Table]] | ![[Engelbart.jpg\\|100]] |\n",
    );
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(
        show(&r.html),
        "<table><thead><tr><th>Link</th><th>Picture</th></tr></thead><tbody>\n\
         <tr><td><a href=\"{0}\">Table</a></td><td><img{1} alt=\"Engelbart.jpg\" loading=\"lazy\" decoding=\"async\"></td></tr>\n\
         </tbody></table>\n"
    );
    let dests: Vec<&str> = r.links.iter().map(|l| l.dest.as_str()).collect();
    assert_eq!(dests, ["Table view", "Engelbart.jpg"]);
}

#[test]
fn a_marker_may_follow_an_embed_without_a_space() {
    assert_eq!(
        html("![[history.png]]^history-image\n"),
        "<p id=\"^history-image\"><img{0} alt=\"history.png\" loading=\"lazy\" decoding=\"async\"></p>\n"
    );
}

#[test]
fn backlink_contexts_show_embeds_as_words() {
    let (r, _) = md("Embedded step: ![[Launch plan#^step]]\n\nAnd ![[Pricing#Discounts#Decoys]]\n");
    let contexts: Vec<&str> = r.links.iter().map(|l| l.context.as_str()).collect();
    assert_eq!(
        contexts,
        [
            "Embedded step: Launch plan",
            "And Pricing > Discounts > Decoys"
        ]
    );
}
