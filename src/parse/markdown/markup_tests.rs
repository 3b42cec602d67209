//! Tests for the markup notes and READMEs bring from Obsidian and GitHub: `%%comments%%`,
//! `==highlights==`, the fence names of GitHub Linguist, shell sessions and plugin blocks.

use super::tests::{dests, highlighter, html, md, show};
use super::*;

/// The body HTML of a document that must render without diagnostics.
fn clean(text: &str) -> (String, Rendered) {
    let (rendered, diagnostics) = md(text);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    (show(&rendered.html), rendered)
}

// ----- Comments -----

#[test]
fn comments_reach_nothing() {
    let (html, r) = clean(
        "Intro %%secret [[Hidden]] #private%% text.\n\n%%\nA whole [private](p.md) block\nwith #tags\n\n[^n]: and a note\n%%\n\nAfter [[Shown]] %%aside%% here.\n",
    );
    assert_eq!(
        html,
        "<p>Intro  text.</p>\n<p>After <a href=\"{0}\">Shown</a>  here.</p>\n"
    );
    assert_eq!(show(&r.summary), "<p>Intro  text.</p>");
    assert_eq!(dests(&r), [(LinkKind::WikiLink, "Shown")]);
    assert_eq!(r.links[0].context, "After Shown here.");
    assert!(r.tags.is_empty(), "{:?}", r.tags);
    assert_eq!(r.word_count, 5);
}

#[test]
fn percent_signs_in_code_are_code() {
    let (html, _) = clean("`a %% b` and %%gone%%\n\n```\n%% kept %%\n```\n");
    assert_eq!(
        html,
        "<p><code>a %% b</code> and</p>\n<pre class=\"hl\"><code>%% kept %%\n</code></pre>\n"
    );
}

#[test]
fn locations_after_comments_are_the_authors() {
    let text = "%% one %% see [^missing] and\n%%\ntwo\n%%\n```nope\nx\n```\n[a](b%20c.md)\n";
    let (r, d) = md(text);
    let at: Vec<_> = d
        .iter()
        .map(|d| {
            let l = d.location.as_ref().unwrap();
            (
                l.line,
                l.column,
                l.len,
                l.line_text.to_string(),
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        at,
        [(
            1,
            15,
            10,
            "%% one %% see [^missing] and".to_string(),
            "footnote `[^missing]` is never defined"
        ),]
    );
    // A language no grammar knows is no warning of its own, but it is recorded where written.
    let nope = &r.unknown_languages[0];
    assert_eq!(nope.language, "nope");
    assert_eq!(
        (nope.location.line, nope.location.column, nope.location.len),
        (5, 4, 4)
    );
    let link = &r.links[0].location;
    assert_eq!((link.line, link.column, link.len), (8, 5, 8));
}

#[test]
fn an_unclosed_comment_hides_the_rest_and_says_so() {
    let text = "---\ntitle: T\n---\nShown. %% private\n\nstill private\n";
    let body_start = text.find("Shown").unwrap();
    let (r, d) = render(
        Path::new("content/x.md"),
        text,
        body_start,
        &MarkdownConfig::default(),
        highlighter(),
    );
    assert_eq!(show(&r.html), "<p>Shown.</p>\n");
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].to_string(),
        "warning: comment `%%` is never closed, so the rest of the note is hidden\n \
         --> content/x.md:4:8\n  |\n4 | Shown. %% private\n  |        ^^\n  |\n  \
         = help: close the comment with another `%%`"
    );
}

// ----- Highlights -----

#[test]
fn highlights_become_marks() {
    assert_eq!(
        html("A ==marked *words*== here, ==two==.\n"),
        "<p>A <mark>marked <em>words</em></mark> here, <mark>two</mark>.</p>\n"
    );
    assert_eq!(
        html("==over\na line== and x==in==word\n"),
        "<p><mark>over\na line</mark> and x<mark>in</mark>word</p>\n"
    );
    assert_eq!(
        html("[==linked==](a.md) ==#tag==\n"),
        "<p><a href=\"{0}\"><mark>linked</mark></a> <mark><span class=\"tag\">#tag</span></mark></p>\n"
    );
    assert_eq!(
        html("| a |\n|---|\n| ==cell== |\n"),
        "<table><thead><tr><th>a</th></tr></thead><tbody>\n<tr><td><mark>cell</mark></td></tr>\n</tbody></table>\n"
    );
}

#[test]
fn what_is_not_a_highlight_stays_text() {
    for (text, expected) in [
        ("a == b == c\n", "<p>a == b == c</p>\n"),
        ("x ==y\n", "<p>x ==y</p>\n"),
        ("===no===\n", "<p>===no===</p>\n"),
        // Pairs stay inside one inline element, so marks always nest.
        ("*a ==b* c==\n", "<p><em>a ==b</em> c==</p>\n"),
        ("==a\n\nb==\n", "<p>==a</p>\n<p>b==</p>\n"),
        ("`==code==`\n", "<p><code>==code==</code></p>\n"),
        (
            "```\n==block==\n```\n",
            "<pre class=\"hl\"><code>==block==\n</code></pre>\n",
        ),
        (
            "![==alt==](i.png)\n",
            "<p><img{0} alt=\"==alt==\" loading=\"lazy\" decoding=\"async\"></p>\n",
        ),
        ("a &lt;==b==\n", "<p>a &lt;<mark>b</mark></p>\n"),
    ] {
        assert_eq!(html(text), expected, "{text:?}");
    }
}

#[test]
fn highlights_in_titles_words_and_contexts() {
    let (html, r) =
        clean("## The ==key== idea\n\n> [!note] A ==big== deal\n> See ==[[Page]]== now.\n");
    assert_eq!(
        html,
        "<h2 id=\"the-key-idea\">The <mark>key</mark> idea<a class=\"anchor\" href=\"#the-key-idea\" \
         aria-label=\"Link to this section\">#</a></h2>\n\
         <div class=\"callout callout-note\" data-callout=\"note\">\n<p class=\"callout-title\">A \
         <mark>big</mark> deal</p>\n<div class=\"callout-body\">\n<p>See <mark><a href=\"{0}\">Page</a>\
         </mark> now.</p>\n</div>\n</div>\n"
    );
    assert_eq!(r.toc[0].title, "The key idea");
    assert_eq!(r.links[0].context, "A big deal See Page now.");
    assert_eq!(r.word_count, 9);
}

#[test]
fn many_unpaired_delimiters_cost_little() {
    let text = "==a ".repeat(50_000);
    let (r, _) = md(&text);
    assert_eq!(r.word_count, 50_000);
}

// ----- Fence names -----

/// A highlighted block as the reader gets it.
fn block(lang: &str, inner: &str) -> String {
    format!(
        "<pre class=\"hl\" data-lang=\"{lang}\"><code class=\"language-{lang}\">{inner}</code></pre>\n"
    )
}

fn highlighted(code: &str, grammar: &str) -> String {
    highlighter()
        .highlight(code, grammar)
        .and_then(crate::parse::highlight::Highlighted::spans)
        .unwrap()
        .to_string()
}

#[test]
fn github_fence_names_are_highlighted() {
    for (name, grammar) in [
        ("shell", "bash"),
        ("sh", "bash"),
        ("zsh", "bash"),
        ("yml", "yaml"),
        ("jsonc", "json"),
        ("golang", "go"),
    ] {
        let code = "echo \"hi\" # ok\n";
        let (html, _) = clean(&format!("```{name}\n{code}```\n"));
        assert_eq!(html, block(name, &highlighted(code, grammar)), "{name}");
        assert!(html.contains("hl-"), "{html}");
    }
    for name in ["text", "plaintext", "txt", "TEXT"] {
        let (html, _) = clean(&format!("```{name}\n<a>\n```\n"));
        assert_eq!(html, "<pre class=\"hl\"><code>&lt;a&gt;\n</code></pre>\n");
    }
}

#[test]
fn shell_sessions_highlight_commands_not_output() {
    let (html, _) = clean(
        "```console\n$ cargo build --release\n   Compiling steppe\nme@host:~/site$ ls \\\n  -la\ntotal 0\n(venv) $ echo <ok>\n```\n",
    );
    let prompt = |p: &str| format!("<span class=\"prompt\">{p}</span>");
    let expected = [
        prompt("$ "),
        highlighted("cargo build --release\n", "bash"),
        "   Compiling steppe\n".to_string(),
        prompt("me@host:~/site$ "),
        highlighted("ls \\\n", "bash"),
        highlighted("  -la\n", "bash"),
        "total 0\n".to_string(),
        prompt("(venv) $ "),
        highlighted("echo <ok>\n", "bash"),
    ]
    .concat();
    assert_eq!(html, block("console", &expected));
}

// ----- Plugin blocks -----

#[test]
fn plugin_blocks_are_code_recorded_for_one_note() {
    let (r, d) =
        md("```dataview\nTABLE file.ctime\n```\n\n  ```query\ntag:#x <b>\n```\n\n```foo\nx\n```\n");
    assert_eq!(
        show(&r.html),
        [
            block("dataview", "TABLE file.ctime\n"),
            block("query", "tag:#x &lt;b&gt;\n"),
            block("foo", "x\n"),
        ]
        .concat()
    );
    let blocks: Vec<_> = r
        .plugin_blocks
        .iter()
        .map(|b| (b.language.as_str(), b.location.line, b.location.column))
        .collect();
    assert_eq!(blocks, [("dataview", 1, 4), ("query", 5, 6)]);
    // A language that is no plugin's is recorded apart, for its own note.
    assert_eq!(d, []);
    let unknown: Vec<_> = r
        .unknown_languages
        .iter()
        .map(|b| (b.language.as_str(), b.location.line, b.location.column))
        .collect();
    assert_eq!(unknown, [("foo", 9, 4)]);
}

#[test]
fn one_note_for_all_plugin_blocks() {
    let block = |path: &str, line, language: &str| PluginBlock {
        language: language.to_string(),
        location: Location::from_line_column(
            Path::new(path),
            &format!("{}```{language}\n", "\n".repeat(line - 1)),
            line,
            4,
            language.len(),
        ),
    };
    assert_eq!(plugin_blocks_note([]), None);
    let blocks = [
        block("content/b.md", 3, "query"),
        block("content/a.md", 9, "Dataview"),
        block("content/a.md", 2, "dataview"),
    ];
    let note = plugin_blocks_note(&blocks).unwrap();
    assert_eq!(
        note.to_string(),
        "note: 3 code blocks for Obsidian plugins (`dataview`, `query`) in 2 notes are shown as \
         code, not run\n --> content/a.md:2:4\n  |\n2 | ```dataview\n  |    ^^^^^^^^\n  |\n  \
         = help: a static site cannot run plugins; to publish what such a block shows in Obsidian, \
         paste its result into the note"
    );
    let one = plugin_blocks_note(&blocks[..1]).unwrap();
    assert_eq!(
        one.message,
        "1 code block for Obsidian plugins (`query`) in 1 note is shown as code, not run"
    );
}
