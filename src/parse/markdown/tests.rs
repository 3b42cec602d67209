//! Tests for the Markdown stage: exact HTML for small inputs, one snapshot of a realistic
//! document, and hostile input that must not panic.

use std::sync::OnceLock;

use super::*;
use crate::diagnostics::Severity;

pub(super) fn highlighter() -> &'static Highlighter {
    static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();
    HIGHLIGHTER.get_or_init(Highlighter::new)
}

pub(super) fn md_with(text: &str, config: &MarkdownConfig) -> (Rendered, Vec<Diagnostic>) {
    render(Path::new("content/x.md"), text, 0, config, highlighter())
}

pub(super) fn md(text: &str) -> (Rendered, Vec<Diagnostic>) {
    md_with(text, &MarkdownConfig::default())
}

/// Holes shown as `{i}` (href) and `[[embed i]]`.
pub(super) fn show(html: &Html) -> String {
    let mut out = String::new();
    for fragment in &html.0 {
        match fragment {
            Fragment::Html(s) => out.push_str(s),
            Fragment::Href(i) => out.push_str(&format!("{{{i}}}")),
            Fragment::Embed(i) => out.push_str(&format!("[[embed {i}]]")),
        }
    }
    out
}

pub(super) fn html(text: &str) -> String {
    let (rendered, diagnostics) = md(text);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    show(&rendered.html)
}

pub(super) fn dests(rendered: &Rendered) -> Vec<(LinkKind, &str)> {
    rendered
        .links
        .iter()
        .map(|l| (l.kind, l.dest.as_str()))
        .collect()
}

#[test]
fn empty_input() {
    let (rendered, diagnostics) = md("");
    assert_eq!(rendered, Rendered::default());
    assert!(diagnostics.is_empty());
}

#[test]
fn plain_paragraphs_and_tables_keep_pulldown_output() {
    assert_eq!(html("Hello *world*.\n"), "<p>Hello <em>world</em>.</p>\n");
    assert_eq!(
        html("| a | b |\n|---|:-:|\n| 1 | 2 |\n"),
        "<table><thead><tr><th>a</th><th style=\"text-align: center\">b</th></tr></thead><tbody>\n\
         <tr><td>1</td><td style=\"text-align: center\">2</td></tr>\n</tbody></table>\n"
    );
    assert_eq!(html("~~gone~~\n"), "<p><del>gone</del></p>\n");
    assert_eq!(
        html("Term\n: def\n"),
        "<dl>\n<dt>Term</dt>\n<dd>def</dd>\n</dl>\n"
    );
}

#[test]
fn smart_punctuation_follows_config() {
    assert_eq!(html("\"a\" -- b...\n"), "<p>“a” – b…</p>\n");
    let config = MarkdownConfig {
        smart_punctuation: false,
        ..MarkdownConfig::default()
    };
    let (r, _) = md_with("\"a\" -- b...\n", &config);
    assert_eq!(show(&r.html), "<p>\"a\" -- b...</p>\n");
}

// ----- Links -----

#[test]
fn internal_links_become_holes() {
    let (r, d) = md(
        "[a](#anchor) [b](other.md#x) [c](../x/y.md) [d](@/essays/x.md) [e](/about/) \
         [f](img.png) [g](<folder with space/a.md>) [h](a%20b.md)\n",
    );
    assert!(d.is_empty());
    assert_eq!(
        show(&r.html),
        "<p><a href=\"{0}\">a</a> <a href=\"{1}\">b</a> <a href=\"{2}\">c</a> <a href=\"{3}\">d</a> \
         <a href=\"{4}\">e</a> <a href=\"{5}\">f</a> <a href=\"{6}\">g</a> <a href=\"{7}\">h</a></p>\n"
    );
    assert_eq!(
        dests(&r),
        [
            (LinkKind::Markdown, "#anchor"),
            (LinkKind::Markdown, "other.md#x"),
            (LinkKind::Markdown, "../x/y.md"),
            (LinkKind::Markdown, "@/essays/x.md"),
            (LinkKind::Markdown, "/about/"),
            (LinkKind::Markdown, "img.png"),
            (LinkKind::Markdown, "folder with space/a.md"),
            (LinkKind::Markdown, "a b.md"),
        ]
    );
    // The location underlines the destination as written.
    let loc = &r.links[1].location;
    assert_eq!((loc.line, loc.column, loc.len), (1, 18, 10));
    let loc = &r.links[7].location;
    assert_eq!(&loc.line_text[loc.column - 1..][..loc.len], "a%20b.md");
}

#[test]
fn external_links_are_written_as_is() {
    let (r, _) = md(
        "[a](https://x.y/?q=1&r=2) [b](mailto:a@b.c) [c](tel:123) [d](//cdn.x/y) <https://auto.link> <me@x.y>\n",
    );
    assert!(r.links.is_empty());
    assert_eq!(
        show(&r.html),
        "<p><a href=\"https://x.y/?q=1&amp;r=2\">a</a> <a href=\"mailto:a@b.c\">b</a> \
         <a href=\"tel:123\">c</a> <a href=\"//cdn.x/y\">d</a> \
         <a href=\"https://auto.link\">https://auto.link</a> <a href=\"mailto:me@x.y\">me@x.y</a></p>\n"
    );
    let config = MarkdownConfig {
        external_links_new_tab: true,
        ..MarkdownConfig::default()
    };
    let (r, _) = md_with("[a](https://x.y \"T\") [b](b.md)\n", &config);
    assert_eq!(
        show(&r.html),
        "<p><a href=\"https://x.y\" title=\"T\" rel=\"noopener\" target=\"_blank\">a</a> <a href=\"{0}\">b</a></p>\n"
    );
}

#[test]
fn external_http_links_are_recorded_once_per_line() {
    let (r, _) = md(
        "[a](https://x.y/a) [b](mailto:a@b.c) [c](//cdn.x/y) <https://x.y/a> ![i](http://img.x/i.png)\n\
         \n\
         [again](https://x.y/a) [[https://wiki.x/w]] ![[https://img.x/e.png]] [local](b.md)\n",
    );
    let found: Vec<(&str, usize, usize, usize)> = r
        .external_links
        .iter()
        .map(|l| {
            (
                l.url.as_str(),
                l.location.line,
                l.location.column,
                l.location.len,
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("https://x.y/a", 1, 5, 13),
            ("http://img.x/i.png", 1, 74, 18),
            ("https://x.y/a", 3, 9, 13),
            ("https://wiki.x/w", 3, 26, 16),
            ("https://img.x/e.png", 3, 48, 19),
        ]
    );
}

#[test]
fn link_titles_and_reference_links() {
    let (r, _) = md("[a][r] and [b](b.md \"Say \\\"hi\\\"\")\n\n[r]: other.md#frag\n");
    assert_eq!(
        show(&r.html),
        "<p><a href=\"{0}\">a</a> and <a href=\"{1}\" title=\"Say &quot;hi&quot;\">b</a></p>\n"
    );
    assert_eq!(r.links[0].dest, "other.md#frag");
    // A reference link's destination is elsewhere: the whole link is underlined.
    assert_eq!(
        (r.links[0].location.column, r.links[0].location.len),
        (1, 6)
    );
}

#[test]
fn wikilinks() {
    let (r, d) = md("See [[Page#Heading|the label]], [[folder/Page]] and [[#Heading]].\n");
    assert!(d.is_empty());
    assert_eq!(
        show(&r.html),
        "<p>See <a href=\"{0}\">the label</a>, <a href=\"{1}\">folder/Page</a> and <a href=\"{2}\">Heading</a>.</p>\n"
    );
    assert_eq!(
        dests(&r),
        [
            (LinkKind::WikiLink, "Page#Heading"),
            (LinkKind::WikiLink, "folder/Page"),
            (LinkKind::WikiLink, "#Heading"),
        ]
    );
    let loc = &r.links[0].location;
    assert_eq!((loc.column, loc.len), (7, 12));
}

#[test]
fn embeds() {
    let (r, _) = md("![[diagram.png|300]] ![[photo.jpg|300x200]] ![[pic.webp|A pic]] ![[x.svg]]\n");
    assert_eq!(
        show(&r.html),
        "<p><img{0} alt=\"diagram.png\" loading=\"lazy\" decoding=\"async\"> \
         <img{1} alt=\"photo.jpg\" loading=\"lazy\" decoding=\"async\"> \
         <img{2} alt=\"A pic\" loading=\"lazy\" decoding=\"async\"> \
         <img{3} alt=\"x.svg\" loading=\"lazy\" decoding=\"async\"></p>\n"
    );
    assert!(r.links.iter().all(|l| l.kind == LinkKind::Embed));
    assert_eq!(r.links[1].dest, "photo.jpg");
    // The size asked for goes to resolve, which writes it with the image's own proportions.
    let sizes: Vec<_> = r.links.iter().map(|l| l.image).collect();
    let size = |width, height| Some(super::ImageSize { width, height });
    assert_eq!(
        sizes,
        [
            size(Some(300), None),
            size(Some(300), Some(200)),
            size(None, None),
            size(None, None)
        ]
    );

    // A transcluded note is block content: never inside a <p>.
    let (r, _) = md("Before.\n\n![[Other note#Part]]\n\nInline ![[Note]] here.\n");
    assert_eq!(
        show(&r.html),
        "<p>Before.</p>\n[[embed 0]]\n<p>Inline </p>\n[[embed 1]]\n<p>here.</p>\n"
    );
    assert_eq!(
        dests(&r),
        [
            (LinkKind::Embed, "Other note#Part"),
            (LinkKind::Embed, "Note")
        ]
    );
    assert!(r.html.0.contains(&Fragment::Embed(0)));
    // assemble fills embeds through the same closure.
    let assembled = r.html.assemble(|hole| {
        let (Hole::Href(i) | Hole::Embed(i)) = hole;
        Cow::Owned(format!("<div>{i}</div>"))
    });
    assert!(assembled.contains("<div>0</div>\n<p>Inline </p>\n<div>1</div>"));
}

#[test]
fn images() {
    let (r, _) = md("![An *emphatic* `alt`](pics/a%20b.png \"Title\") ![x](https://e.x/i.png)\n");
    assert_eq!(
        show(&r.html),
        "<p><img{0} alt=\"An emphatic alt\" title=\"Title\" loading=\"lazy\" decoding=\"async\"> \
         <img src=\"https://e.x/i.png\" alt=\"x\" loading=\"lazy\" decoding=\"async\"></p>\n"
    );
    assert_eq!(dests(&r), [(LinkKind::Image, "pics/a b.png")]);
    // An image inside a link: both are internal.
    let (r, _) = md("[![alt](i.png)](page.md)\n");
    assert_eq!(
        show(&r.html),
        "<p><a href=\"{0}\"><img{1} alt=\"alt\" loading=\"lazy\" decoding=\"async\"></a></p>\n"
    );
    assert_eq!(
        dests(&r),
        [(LinkKind::Markdown, "page.md"), (LinkKind::Image, "i.png")]
    );
}

#[test]
fn link_contexts() {
    let (r, _) = md(
        "# A [[Heading link]]\n\nSome   text with\na [link](a.md) in it.\n\n- item [b](b.md)\n  - nested [c](c.md)\n\n  after nested\n",
    );
    let contexts: Vec<&str> = r.links.iter().map(|l| l.context.as_str()).collect();
    assert_eq!(
        contexts,
        [
            "A Heading link",
            "Some text with a link in it.",
            "item b",
            "nested c",
        ]
    );
    let long = format!("{}[x](x.md){}\n", "before ".repeat(60), " after".repeat(60));
    let (r, _) = md(&long);
    let context = &r.links[0].context;
    assert!(
        context.starts_with("…before") && context.ends_with("after…"),
        "{context}"
    );
    assert!(context.chars().count() <= 242);
    assert!(context.contains("before x after"));
}

// ----- Headings -----

#[test]
fn headings_ids_anchors_and_toc() {
    let (r, d) = md(
        "# Intro\n\n## Intro\n\n### Déjà vu {#custom .wide .tall}\n\n## !!!\n\n# Intro\n\n## Later {#intro}\n",
    );
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(
        show(&r.html),
        "<h1 id=\"intro-1\">Intro<a class=\"anchor\" href=\"#intro-1\" aria-label=\"Link to this section\">#</a></h1>\n\
         <h2 id=\"intro-2\">Intro<a class=\"anchor\" href=\"#intro-2\" aria-label=\"Link to this section\">#</a></h2>\n\
         <h3 id=\"custom\" class=\"wide tall\">Déjà vu<a class=\"anchor\" href=\"#custom\" aria-label=\"Link to this section\">#</a></h3>\n\
         <h2 id=\"section\">!!!<a class=\"anchor\" href=\"#section\" aria-label=\"Link to this section\">#</a></h2>\n\
         <h1 id=\"intro-3\">Intro<a class=\"anchor\" href=\"#intro-3\" aria-label=\"Link to this section\">#</a></h1>\n\
         <h2 id=\"intro\">Later<a class=\"anchor\" href=\"#intro\" aria-label=\"Link to this section\">#</a></h2>\n"
    );
    assert_eq!(
        r.anchors,
        [
            "intro-1", "intro-2", "custom", "section", "intro-3", "intro"
        ]
    );
    let entry = |level, id: &str, title: &str, children| TocEntry {
        level,
        id: id.into(),
        title: title.into(),
        children,
    };
    assert_eq!(
        r.toc,
        [
            entry(
                1,
                "intro-1",
                "Intro",
                vec![
                    entry(
                        2,
                        "intro-2",
                        "Intro",
                        vec![entry(3, "custom", "Déjà vu", vec![])]
                    ),
                    entry(2, "section", "!!!", vec![]),
                ]
            ),
            entry(
                1,
                "intro-3",
                "Intro",
                vec![entry(2, "intro", "Later", vec![])]
            ),
        ]
    );
}

#[test]
fn heading_slugs_use_plain_text_and_anchors_follow_config() {
    let config = MarkdownConfig {
        heading_anchors: false,
        ..MarkdownConfig::default()
    };
    let (r, _) = md_with("## The `code` and [link](x.md) *em*\n", &config);
    assert_eq!(
        show(&r.html),
        "<h2 id=\"the-code-and-link-em\">The <code>code</code> and <a href=\"{0}\">link</a> <em>em</em></h2>\n"
    );
    assert_eq!(r.toc[0].title, "The code and link em");
}

#[test]
fn duplicate_explicit_id_warns_at_second_heading() {
    let (r, d) = md("# A {#same}\n\ntext\n\n# B {#same}\n");
    assert_eq!(r.anchors, ["same", "same-1"]);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(d[0].message.contains("`same`"), "{}", d[0].message);
    assert_eq!(d[0].location.as_ref().unwrap().line, 5);
}

#[test]
fn absolute_lines_account_for_front_matter() {
    let text =
        "---\ntitle: X\ntags: [a]\n---\n\n# Heading {#h}\n\n# Again {#h}\n\n```pyhton\nx\n```\n";
    let body_start = text.find("---\n\n").unwrap() + 4;
    let (r, d) = render(
        Path::new("content/x.md"),
        text,
        body_start,
        &MarkdownConfig::default(),
        highlighter(),
    );
    assert_eq!(r.toc.len(), 2);
    let lines: Vec<usize> = d
        .iter()
        .map(|d| d.location.as_ref().unwrap().line)
        .collect();
    assert_eq!(lines, [8, 10]);
    let loc = d[1].location.as_ref().unwrap();
    assert_eq!((loc.column, loc.len, &*loc.line_text), (4, 6, "```pyhton"));

    let text = "---\na: 1\nb: 2\n---\n\n[x](y.md)\n";
    let (r, _) = render(
        Path::new("p.md"),
        text,
        text.find("\n\n").unwrap() + 1,
        &MarkdownConfig::default(),
        highlighter(),
    );
    assert_eq!(r.links[0].location.line, 6);
    assert_eq!(r.links[0].location.column, 5);
}

// ----- Footnotes -----

#[test]
fn footnotes() {
    let (r, d) = md("One[^n] two[^2] again[^n].\n\n[^n]: The *note*.\n[^2]: Second.\n");
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(
        show(&r.html),
        "<p>One<sup class=\"footnote-ref\" id=\"fnref-n\"><a href=\"#fn-n\">1</a></sup> \
         two<sup class=\"footnote-ref\" id=\"fnref-2\"><a href=\"#fn-2\">2</a></sup> \
         again<sup class=\"footnote-ref\" id=\"fnref-n-2\"><a href=\"#fn-n\">1</a></sup>.</p>\n\
         <section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n\
         <li id=\"fn-n\">\n<p>The <em>note</em>. <a href=\"#fnref-n\" class=\"footnote-backref\" aria-label=\"Back to reference 1\">↩</a></p>\n</li>\n\
         <li id=\"fn-2\">\n<p>Second. <a href=\"#fnref-2\" class=\"footnote-backref\" aria-label=\"Back to reference 2\">↩</a></p>\n</li>\n\
         </ol>\n</section>\n"
    );
    assert_eq!(
        r.anchors,
        ["fnref-n-2", "fn-n", "fnref-n", "fn-2", "fnref-2"]
    );
}

#[test]
fn footnote_ids_do_not_clash_with_headings() {
    let (r, _) = md("# 1\n\nText[^1].\n\n[^1]: Note.\n");
    assert!(r.anchors.contains(&"1".to_string()));
    assert!(r.anchors.contains(&"fn-1".to_string()));
    let (r, _) = md("# fn-1\n\nText[^1].\n\n[^1]: Note.\n");
    assert_eq!(r.anchors[0], "fn-1-1");
}

#[test]
fn undefined_and_unused_footnotes() {
    let (r, d) = md("Text[^missing] and \\[^escaped].\n\n[^spare]: Never used.\n");
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(d[0].severity, Severity::Error);
    assert!(d[0].message.contains("`[^missing]`"));
    let loc = d[0].location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column, loc.len), (1, 5, 10));
    assert_eq!(d[1].severity, Severity::Warning);
    assert!(d[1].message.contains("never referenced"));
    assert_eq!(d[1].location.as_ref().unwrap().line, 3);
    assert!(!show(&r.html).contains("footnotes"));
}

// ----- Code and math -----

#[test]
fn code_blocks() {
    let (r, d) = md("```rust\nlet x = 1;\n```\n");
    assert!(d.is_empty());
    let out = show(&r.html);
    assert!(
        out.starts_with(
            "<pre class=\"hl\" data-lang=\"rust\"><code class=\"language-rust\"><span class=\"hl-"
        ),
        "{out}"
    );
    assert!(out.ends_with("</code></pre>\n"));

    assert_eq!(
        html("```text\n<b> & x\n```\n\n```\nplain\n```\n\n    indented <i>\n"),
        "<pre class=\"hl\"><code>&lt;b&gt; &amp; x\n</code></pre>\n\
         <pre class=\"hl\"><code>plain\n</code></pre>\n\
         <pre class=\"hl\"><code>indented &lt;i&gt;\n</code></pre>\n"
    );
    // Extensions and info strings with attributes.
    let (r, d) = md("~~~ py title=\"x\"\nprint(1)\n~~~\n");
    assert!(d.is_empty());
    assert!(
        show(&r.html)
            .starts_with("<pre class=\"hl\" data-lang=\"py\"><code class=\"language-py\">")
    );
}

#[test]
fn a_misspelt_language_warns_at_info_string() {
    let (r, d) = md("Intro.\n\n```pyhton bar\n<x>\n```\n");
    assert_eq!(
        show(&r.html),
        "<p>Intro.</p>\n<pre class=\"hl\" data-lang=\"pyhton\"><code class=\"language-pyhton\">&lt;x&gt;\n</code></pre>\n"
    );
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].message,
        "unknown language `pyhton` in code block, shown without highlighting"
    );
    assert_eq!(d[0].severity, Severity::Warning);
    let loc = d[0].location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column, loc.len), (3, 4, 6));
    assert_eq!(d[0].hint.as_deref(), Some("did you mean `python`?"));
    assert!(r.unknown_languages.is_empty());
}

#[test]
fn languages_no_grammar_knows_are_one_note_per_build() {
    let (r, d) = md("Intro.\n\n```mathjax\nx^2\n```\n\n```Caravan-Script\n<x>\n```\n");
    assert_eq!(d, []);
    assert!(show(&r.html).contains(
        "<pre class=\"hl\" data-lang=\"mathjax\"><code class=\"language-mathjax\">x^2\n</code></pre>"
    ));
    let (other, short) = md("```hbs\n{{title}}\n```\n");
    assert_eq!(short, [], "`hbs` is not a misspelt `hs`");
    let blocks = r.unknown_languages.iter().chain(&other.unknown_languages);
    let note = super::unknown_languages_note(blocks).unwrap();
    assert_eq!(note.severity, Severity::Note);
    assert_eq!(
        note.message,
        "3 code blocks in 1 note are shown without highlighting: no grammar for `caravan-script`, `hbs`, `mathjax`"
    );
    assert_eq!(
        note.hint.as_deref(),
        Some(
            "for colours, name a language steppe knows, such as `rust`, `python`, `js` or `toml`; `text` says the block is plain"
        )
    );
    assert_eq!(super::unknown_languages_note([]), None);
}

#[test]
fn mermaid_blocks_are_kept_as_source_and_recorded() {
    let (r, d) = md("Intro.\n\n```mermaid\nflowchart LR\n  A[\"<b>Kashgar</b>\"] --> B & C\n```\n");
    assert_eq!(
        show(&r.html),
        "<p>Intro.</p>\n<pre class=\"diagram\" data-lang=\"mermaid\"><code>flowchart LR\n  A[&quot;&lt;b&gt;Kashgar&lt;/b&gt;&quot;] --&gt; B &amp; C\n</code></pre>\n"
    );
    assert!(r.has_mermaid);
    assert!(d.is_empty(), "{d:?}");
    // Any case of the name, as GitHub accepts it; not highlighted, not a warning.
    let (upper, d) = md("```Mermaid {.wide}\ngraph TD\n```\n");
    assert!(upper.has_mermaid);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(
        show(&upper.html),
        "<pre class=\"diagram\" data-lang=\"mermaid\"><code>graph TD\n</code></pre>\n"
    );
    // Source code that merely mentions mermaid is not a diagram.
    let (plain, _) = md("`mermaid`\n\n```text\nmermaid\n```\n");
    assert!(!plain.has_mermaid);
}

#[test]
fn code_is_not_counted_and_has_no_tags() {
    let (r, _) = md("one two `three #notag`\n\n```\nfour five six\n```\n");
    // Inline code counts ("three #notag"), code blocks do not.
    assert_eq!(r.word_count, 4);
    assert!(r.tags.is_empty());
}

#[test]
fn math() {
    let (r, d) = md("Inline $x^2$ and\n\n$$\\frac{a}{b}$$\n");
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(
        show(&r.html),
        "<p>Inline <math display=\"inline\"><msup><mi>x</mi><mn>2</mn></msup></math> and</p>\n\
         <p><math display=\"block\"><mfrac><mrow><mi>a</mi></mrow><mrow><mi>b</mi></mrow></mfrac></math></p>\n"
    );
    let (r, d) = md("Bad $a^b^c$ math.\n");
    assert_eq!(
        show(&r.html),
        "<p>Bad <code class=\"math-error\">a^b^c</code> math.</p>\n"
    );
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].severity, Severity::Error);
    assert!(
        d[0].message.starts_with("cannot render math: "),
        "{}",
        d[0].message
    );
    let loc = d[0].location.as_ref().unwrap();
    assert_eq!((loc.column, loc.len), (5, 7));

    let config = MarkdownConfig {
        math: false,
        ..MarkdownConfig::default()
    };
    let (r, _) = md_with("$x$\n", &config);
    assert_eq!(show(&r.html), "<p>$x$</p>\n");
}

// ----- Callouts -----

#[test]
fn github_alerts() {
    assert_eq!(
        html("> [!NOTE]\n> Useful *info*.\n"),
        "<div class=\"callout callout-note\" data-callout=\"note\">\n<p class=\"callout-title\">Note</p>\n\
         <div class=\"callout-body\">\n<p>Useful <em>info</em>.</p>\n</div>\n</div>\n"
    );
    assert_eq!(
        html("> [!WARNING]\n>\n> Careful.\n>\n> - a\n"),
        "<div class=\"callout callout-warning\" data-callout=\"warning\">\n<p class=\"callout-title\">Warning</p>\n\
         <div class=\"callout-body\">\n<p>Careful.</p>\n<ul>\n<li>a</li>\n</ul>\n</div>\n</div>\n"
    );
}

#[test]
fn obsidian_callouts() {
    assert_eq!(
        html("> [!tip] A *good* idea\n> Body [[Link]].\n"),
        "<div class=\"callout callout-tip\" data-callout=\"tip\">\n<p class=\"callout-title\">A <em>good</em> idea</p>\n\
         <div class=\"callout-body\">\n<p>Body <a href=\"{0}\">Link</a>.</p>\n</div>\n</div>\n"
    );
    assert_eq!(
        html("> [!faq]- Why?\n> Because.\n"),
        "<details class=\"callout callout-faq\" data-callout=\"faq\">\n<summary class=\"callout-title\">Why?</summary>\n\
         <div class=\"callout-body\">\n<p>Because.</p>\n</div>\n</details>\n"
    );
    assert_eq!(
        html("> [!Todo]+\n> Open.\n"),
        "<details class=\"callout callout-todo\" data-callout=\"todo\" open>\n<summary class=\"callout-title\">Todo</summary>\n\
         <div class=\"callout-body\">\n<p>Open.</p>\n</div>\n</details>\n"
    );
    // Title only, nested in a list.
    assert_eq!(
        html("- > [!info] Just a title\n"),
        "<ul>\n<li><div class=\"callout callout-info\" data-callout=\"info\">\n<p class=\"callout-title\">Just a title</p>\n\
         <div class=\"callout-body\">\n</div>\n</div>\n</li>\n</ul>\n"
    );
}

#[test]
fn ordinary_quotes_stay_quotes() {
    assert_eq!(
        html("> [not a callout]\n> [!] nor this\n"),
        "<blockquote>\n<p>[not a callout]\n[!] nor this</p>\n</blockquote>\n"
    );
    assert_eq!(
        html("> text [!NOTE]\n"),
        "<blockquote>\n<p>text [!NOTE]</p>\n</blockquote>\n"
    );
}

// ----- Tags, tasks, words, summary -----

#[test]
fn inline_tags() {
    let (r, _) = md(
        "#start of text, a #tag, #nested/tag and #tag again.\n\nNot: C#sharp, #123, `#code`, [#linked](x.md), url.com/#frag.\n\n- #in-list\n",
    );
    assert_eq!(r.tags, ["start", "tag", "nested/tag", "in-list"]);
    let out = show(&r.html);
    assert!(out.starts_with(
        "<p><span class=\"tag\">#start</span> of text, a <span class=\"tag\">#tag</span>, <span class=\"tag\">#nested/tag</span> and"
    ), "{out}");
    assert!(out.contains(
        "<p>Not: C#sharp, #123, <code>#code</code>, <a href=\"{0}\">#linked</a>, url.com/#frag.</p>"
    ));
    let (r, _) = md("## Heading #topic\n");
    assert_eq!(r.tags, ["topic"]);
    assert_eq!(r.toc[0].title, "Heading #topic");
    // Split text events: `*x*#tag` is not a tag, `*#x*` is.
    let (r, _) = md("*a*#no and *#yes*\n");
    assert_eq!(r.tags, ["yes"]);
}

#[test]
fn task_lists() {
    assert_eq!(
        html("- [ ] todo\n- [x] done\n- plain\n\n1. no task\n"),
        "<ul class=\"tasklist\">\n<li class=\"task\"><input type=\"checkbox\" disabled> todo</li>\n\
         <li class=\"task\"><input type=\"checkbox\" disabled checked> done</li>\n<li>plain</li>\n</ul>\n\
         <ol>\n<li>no task</li>\n</ol>\n"
    );
}

#[test]
fn word_count() {
    let (r, _) = md("# Two words\n\nOne, two *three*four — five.\n\n> don't stop\n");
    // "Two words" + "One, two threefour — five." + "don't stop"
    assert_eq!(r.word_count, 2 + 5 + 2);
}

#[test]
fn summary_is_first_paragraph() {
    let (r, _) = md("# Title\n\n> quote first\n\nFirst [p](a.md).\n\nSecond.\n");
    assert_eq!(show(&r.summary), "<p>First <a href=\"{0}\">p</a>.</p>");
    assert!(show(&r.html).contains("<p>First <a href=\"{0}\">p</a>.</p>\n<p>Second.</p>"));
    let (r, _) = md("# Only a heading\n");
    assert_eq!(r.summary, Html::default());
}

#[test]
fn summary_ends_at_more() {
    let (r, _) = md("# T\n\nOne.\n\nTwo [x](x.md).\n\n<!-- more -->\n\nThree.\n");
    assert_eq!(
        show(&r.summary),
        "<h1 id=\"t\">T<a class=\"anchor\" href=\"#t\" aria-label=\"Link to this section\">#</a></h1>\n<p>One.</p>\n<p>Two <a href=\"{0}\">x</a>.</p>"
    );
    let body = show(&r.html);
    assert!(!body.contains("more"), "{body}");
    assert!(body.ends_with("<p>Three.</p>\n"));
    // Inline, the comment is just HTML.
    let (r, _) = md("One <!-- more --> two.\n\nThree.\n");
    assert_eq!(show(&r.summary), "<p>One <!-- more --> two.</p>");
}

// ----- Hostile input -----

#[test]
fn sentinels_in_author_text_cannot_forge_holes() {
    let forged = "\u{E000}0\u{E001}";
    let text = format!(
        "Text {forged} &#xE000;1&#xE001; `{forged}` <span>{forged}</span>\n\n\
         [t]({forged}.md \"{forged}\") ![{forged}](https://x/{forged})\n\n\
         ```rust\n// {forged}\n```\n\n```\n{forged}\n```\n\n# H {forged}\n\n$x{forged}$\n\n<div>{forged}</div>\n"
    );
    let (r, _) = md(&text);
    let holes = r
        .html
        .0
        .iter()
        .filter(|f| !matches!(f, Fragment::Html(_)))
        .count();
    // Only the real link `[t](…)` makes a hole.
    assert_eq!(holes, 1, "{:#?}", r.html);
    assert_eq!(r.links.len(), 1);
    assert_eq!(r.links[0].dest, format!("{forged}.md"));
    let out = show(&r.html);
    assert!(
        !out.contains('\u{E000}') && !out.contains('\u{E001}'),
        "{out}"
    );
    assert!(out.contains("&#xE000;0&#xE001;"));
}

#[test]
fn hostile_input_does_not_panic() {
    let deep_quotes = ">".repeat(10_000) + " deep [x](y.md) #tag\n";
    // `- - - x` nests one list per marker on a single line.
    let deep_lists = "- ".repeat(10_000) + "[ ] item [[link]] #tag\n";
    let deep_ordered = "1. ".repeat(10_000) + "> [!note] x\n";
    let indented_lists: String = (0..300)
        .map(|i| format!("{}- item [[l{i}]]\n", "  ".repeat(i)))
        .collect();
    let deep_callouts = "> [!note] t\n".repeat(2000);
    let nested_emphasis = "*".repeat(5000) + "x" + &"*".repeat(5000);
    let inputs = [
        "",
        "\n",
        "\r\n\r\n",
        "# H\r\n\r\ntext [a](b.md)\r\n\r\n```rust\r\nfn x() {}\r\n```\r\n",
        "[unclosed link(",
        "```rust\nunclosed fence",
        "[^unclosed",
        "[^a]: only a definition",
        "$unclosed math",
        "$$\\begin{matrix} a & b",
        "$\\def\\a{\\a}\\a$",
        "$\\begin{array}{}x\\end{array}$",
        "$\\left( x$",
        "$\\char\"FFFFFFFF$",
        "$\\color{nope}{x}$",
        "$\\sqrt[$",
        "$\\mathbb{\u{E000}}\u{E001}$",
        "$x_{_{_{_{_{_{}}}}}}$",
        // pulldown-latex 0.8 panics on this one; the panic is contained.
        "$\\char\u{10FFFF}$",
        "> [!",
        "> [!note",
        "> [!note]",
        "![[",
        "![[|300]]",
        "[[]]",
        "[[|]]",
        "<!-- more",
        "<!-- more -->",
        "# {#}",
        "#",
        "- [ ]",
        "| a |\n|---|\n| [x](y.md) | ![[z]] |",
        "\u{E000}\u{E001}\u{E000}",
        "\u{E000}e0\u{E001}\u{E000}s\u{E001}",
        "%%",
        "%%%",
        "é%%ü%%é",
        "`%%",
        "```\n%%\n```%%",
        "# %%x%% {#%%}",
        "[^a]%%\n\n[^a]: x%%",
        "==",
        "====",
        "==x",
        "> [!note] ==a\n> b==",
        "*==a*==",
        "![==[[x]]==](y.png)",
        "==é== ==€==",
        &deep_quotes,
        &deep_lists,
        &deep_ordered,
        &indented_lists,
        &deep_callouts,
        &nested_emphasis,
    ];
    for input in inputs {
        let (r, _) = md(input);
        let out = r.html.assemble(|_| Cow::Borrowed("#"));
        let _ = r.summary.assemble(|_| Cow::Borrowed("#"));
        // Holes never outnumber links.
        for fragment in &r.html.0 {
            if let Fragment::Href(i) | Fragment::Embed(i) = fragment {
                assert!(*i < r.links.len());
            }
        }
        assert!(!out.contains('\u{E000}'));
    }
    // Out-of-range and mid-character body starts are clamped.
    let text = "é# x";
    for start in [0, 1, 2, 100] {
        let _ = render(
            Path::new("x.md"),
            text,
            start,
            &MarkdownConfig::default(),
            highlighter(),
        );
    }
}

// ----- A realistic document -----

#[test]
fn snapshot_realistic_essay() {
    let text = include_str!("testdata/essay.md");
    let body_start = text.find("\n---\n").map_or(0, |i| i + 5);
    let (r, d) = render(
        Path::new("content/essays/silk-road.md"),
        text,
        body_start,
        &MarkdownConfig::default(),
        highlighter(),
    );
    insta::assert_snapshot!("essay_html", show(&r.html));
    insta::assert_snapshot!("essay_summary", show(&r.summary));
    let links: Vec<String> = r
        .links
        .iter()
        .map(|l| {
            format!(
                "{:?} {} @{}:{}+{} | {}",
                l.kind, l.dest, l.location.line, l.location.column, l.location.len, l.context
            )
        })
        .collect();
    insta::assert_snapshot!("essay_links", links.join("\n"));
    let diagnostics: Vec<String> = d
        .iter()
        .map(|d| {
            let l = d.location.as_ref().unwrap();
            format!("{:?} {}:{} {}", d.severity, l.line, l.column, d.message)
        })
        .collect();
    insta::assert_snapshot!(
        "essay_meta",
        format!(
            "words: {}\ntags: {:?}\nanchors: {:?}\ntoc: {:#?}\ndiagnostics:\n{}",
            r.word_count,
            r.tags,
            r.anchors,
            r.toc,
            diagnostics.join("\n")
        )
    );
}

/// Rough throughput check: `cargo test --release --lib markdown_throughput -- --ignored --nocapture`.
#[test]
#[ignore = "benchmark"]
fn markdown_throughput() {
    let paragraph = "The caravan left [Samarkand](../places/samarkand.md) at dawn, carrying \
        silk, glass and *paper* towards [[Merv|the oasis of Merv]]. Traders swapped goods at \
        every stop, and news travelled faster than the camels did; a letter could reach \
        [Dunhuang](https://example.org/dunhuang) within weeks. #trade\n\n";
    let mut doc = String::from("---\ntitle: x\n---\n\n# A page\n\n");
    for i in 0..12 {
        if i % 4 == 0 {
            doc.push_str(&format!("## Section {i}\n\n"));
        }
        doc.push_str(paragraph);
    }
    doc.push_str("- [ ] one\n- [x] two\n\n```rust\nfn main() {\n    println!(\"hi\");\n}\n```\n\nA note[^n].\n\n[^n]: Footnote.\n");
    let pages = 2000;
    let start = std::time::Instant::now();
    let mut words = 0;
    for _ in 0..pages {
        let (r, _) = render(
            Path::new("x.md"),
            &doc,
            17,
            &MarkdownConfig::default(),
            highlighter(),
        );
        words += r.word_count;
    }
    let elapsed = start.elapsed();
    eprintln!(
        "{} words/page, {:?} per page",
        words / pages,
        elapsed / pages as u32
    );
}

/// Found while hunting blow-ups: every link on a line copied the whole line into its location
/// and counted its columns from the line's start, so a paragraph of 40,000 links on one line
/// took 22 s. Locations on one line now share its text and count columns onwards.
#[test]
fn links_on_one_long_line_share_it() {
    let text = vec!["[[a]] é"; 3000].join(" ");
    let (r, _) = md(&text);
    assert_eq!(r.links.len(), 3000);
    let (first, last) = (&r.links[0].location, &r.links[2999].location);
    assert!(std::sync::Arc::ptr_eq(&first.line_text, &last.line_text));
    assert_eq!((first.line, first.column), (1, 3));
    // "[[a]] é " is 8 characters.
    assert_eq!((last.line, last.column), (1, 2999 * 8 + 3));
    assert_eq!(last.line_text.chars().nth(last.column - 1), Some('a'));
}
