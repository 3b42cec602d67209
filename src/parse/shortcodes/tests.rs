//! Expansion through the Markdown stage: what a page's HTML becomes, where problems are
//! reported, and hostile pages that must stay cheap.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::*;
use crate::config::MarkdownConfig;
use crate::diagnostics::Diagnostic;
use crate::files::Source;
use crate::parse::Rendered;
use crate::parse::highlight::Highlighter;
use crate::parse::markdown::{Fragment, render_with};

fn highlighter() -> &'static Highlighter {
    static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();
    HIGHLIGHTER.get_or_init(Highlighter::new)
}

fn shortcodes(templates: &[(&str, &str)]) -> Shortcodes {
    let templates: Vec<Template> = templates
        .iter()
        .map(|(name, text)| Template {
            name: format!("shortcodes/{name}"),
            source: Source::new(PathBuf::from(format!("templates/shortcodes/{name}")), *text),
        })
        .collect();
    let (shortcodes, diagnostics) = Shortcodes::compile(&templates, &Config::default());
    assert_eq!(diagnostics, []);
    shortcodes
}

fn standard() -> Shortcodes {
    shortcodes(&[
        ("b.html", "<b>{{ text }}</b>"),
        (
            "box.html",
            "<div class=\"box\" data-n=\"{{ nth }}\">{{ body }}</div>",
        ),
        (
            "twice.md",
            "*{{ word }}* and {{ \"{{\" }} b(text=\"{{ word }}\") }}",
        ),
        ("loop.md", "{{ \"{{\" }} loop() }}"),
        ("fork.md", "{{ \"{{\" }} fork() }}{{ \"{{\" }} fork() }}"),
    ])
}

fn render(text: &str, shortcodes: &Shortcodes) -> (Rendered, Vec<String>) {
    let (rendered, diagnostics) = render_diagnostics(text, shortcodes);
    let shown = diagnostics
        .iter()
        .map(|d| d.render(false).trim_end().to_string())
        .collect();
    (rendered, shown)
}

fn render_diagnostics(text: &str, shortcodes: &Shortcodes) -> (Rendered, Vec<Diagnostic>) {
    render_with(
        Path::new("content/x.md"),
        text,
        0,
        &MarkdownConfig::default(),
        highlighter(),
        shortcodes,
    )
}

fn html(rendered: &Rendered) -> String {
    rendered
        .html
        .0
        .iter()
        .map(|f| match f {
            Fragment::Html(s) => s.clone(),
            Fragment::Href(i) => format!("{{{i}}}"),
            Fragment::Embed(i) => format!("[[embed {i}]]"),
        })
        .collect()
}

fn ok(text: &str) -> String {
    let (rendered, diagnostics) = render(text, &standard());
    assert_eq!(diagnostics, Vec::<String>::new(), "{text}");
    html(&rendered)
}

#[test]
fn inline_and_block_calls() {
    assert_eq!(
        ok("A {{ b(text=\"<x>\") }} b.\n\n{{ b(text='alone') }}\n"),
        "<p>A <b>&lt;x&gt;</b> b.</p>\n<b>alone</b>\n"
    );
}

#[test]
fn a_body_is_the_pages_markdown() {
    assert_eq!(
        ok("{% box() %}\nSome *text* and [a link](y.md)[^1].\n{% end %}\n\n[^1]: Note.\n"),
        "<div class=\"box\" data-n=\"1\">\n<p>Some <em>text</em> and <a href=\"{0}\">a link</a><sup class=\"footnote-ref\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup>.</p>\n</div>\n<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n<li id=\"fn-1\">\n<p>Note. <a href=\"#fnref-1\" class=\"footnote-backref\" aria-label=\"Back to reference 1\">↩</a></p>\n</li>\n</ol>\n</section>\n"
    );
}

#[test]
fn markdown_shortcodes_are_parsed_with_the_page_and_may_call_others() {
    let (rendered, diagnostics) = render("Say {{ twice(word=\"hi\") }}.\n", &standard());
    assert_eq!(diagnostics, Vec::<String>::new());
    assert_eq!(html(&rendered), "<p>Say <em>hi</em> and <b>hi</b>.</p>\n");
    assert_eq!(rendered.shortcodes, ["b", "twice"]);
}

#[test]
fn nth_counts_each_shortcodes_calls() {
    assert_eq!(
        ok("{% box() %}a{% end %} {% box() %}b{% end %}"),
        "<p><div class=\"box\" data-n=\"1\">a</div> <div class=\"box\" data-n=\"2\">b</div></p>\n"
    );
}

#[test]
fn code_is_left_alone_and_literal_forms_are_written_out() {
    assert_eq!(
        ok("`{{ b(text=\"x\") }}` {{/* b(text=\"y\") */}}\n\n```\n{{ b() }}\n```\n"),
        "<p><code>{{ b(text=\"x\") }}</code> {{ b(text=“y”) }}</p>\n<pre class=\"hl\"><code>{{ b() }}\n</code></pre>\n"
    );
}

#[test]
fn plain_text_leaves_shortcode_output_out() {
    assert_eq!(
        ok("## Route {{ b(text=\"x\") }} west\n\n![a {{ b(text=\"y\") }} map](m.png)\n"),
        "<h2 id=\"route-west\">Route <b>x</b> west<a class=\"anchor\" href=\"#route-west\" aria-label=\"Link to this section\">#</a></h2>\n<p><img{0} alt=\"a map\" loading=\"lazy\" decoding=\"async\"></p>\n"
    );
}

#[test]
fn calls_inside_raw_html_are_expanded() {
    assert_eq!(
        ok(
            "<div class=\"row\">{{ b(text=\"x\") }}</div>\n\nText <span>{{ b(text=\"y\") }}</span> \u{E000}c0.0\u{E001}.\n"
        ),
        "<div class=\"row\"><b>x</b></div>\n<p>Text <span><b>y</b></span> &#xE000;c0.0&#xE001;.</p>\n"
    );
}

#[test]
fn pages_without_calls_are_unchanged() {
    let (rendered, _) = render("Text {{date}} and {% raw %}.\n", &standard());
    assert_eq!(html(&rendered), "<p>Text {{date}} and {% raw %}.</p>\n");
    assert!(rendered.shortcodes.is_empty());
}

#[test]
fn locations_after_a_call_keep_their_columns() {
    let (rendered, _) = render("{{ b(text=\"a long argument\") }} [x](a.md)\n", &standard());
    let link = &rendered.links[0].location;
    assert_eq!((link.line, link.column), (1, 37));
}

#[test]
fn problems_are_reported_at_the_call() {
    let (_, diagnostics) = render(
        "{{ bb(text=\"x\") }}\n\n{{ b(txt=\"x\") }}\n\n{{ b() }}\n\n{% box() %}\nopen\n\n{% end %}{% end %}\n",
        &standard(),
    );
    assert_eq!(
        diagnostics,
        [
            "error: unknown shortcode `bb`\n --> content/x.md:1:4\n  |\n1 | {{ bb(text=\"x\") }}\n  |    ^^\n  |\n  = help: did you mean `b`?",
            "error: shortcode `b` has no argument `txt`\n --> content/x.md:3:6\n  |\n3 | {{ b(txt=\"x\") }}\n  |      ^^^\n  |\n  = help: did you mean `text`?",
            "error: shortcode `b` needs the argument `text`\n --> content/x.md:5:4\n  |\n5 | {{ b() }}\n  |    ^\n  |\n  = help: add `text=…` to the call\nnote: in the template of `b`\n --> templates/shortcodes/b.html:1:7\n  |\n1 | <b>{{ text }}</b>\n  |       ^^^^",
            "error: `{% end %}` closes no shortcode\n  --> content/x.md:10:10\n   |\n10 | {% end %}{% end %}\n   |          ^^^^^^^^^\n   |\n   = help: remove it, or open a body before it with `{% name(…) %}`",
        ]
    );
}

#[test]
fn an_unclosed_body_is_reported() {
    let (_, diagnostics) = render("Text.\n\n{% box() %}\nnever closed\n", &standard());
    assert_eq!(
        diagnostics,
        [
            "error: shortcode `box` is never closed\n --> content/x.md:3:4\n  |\n3 | {% box() %}\n  |    ^^^\n  |\n  = help: end its body with `{% end %}`"
        ]
    );
}

#[test]
fn forged_placeholders_stay_text() {
    let forged = "\u{E000}c0.0000000000000000\u{E001}";
    let (rendered, _) = render(&format!("{{{{ b(text=\"x\") }}}} {forged}\n"), &standard());
    assert_eq!(
        html(&rendered),
        "<p><b>x</b> &#xE000;c0.0000000000000000&#xE001;</p>\n"
    );
}

#[test]
fn a_shortcode_calling_itself_stops() {
    let (rendered, diagnostics) = render("{{ loop() }}\n", &standard());
    assert_eq!(html(&rendered), "");
    assert_eq!(diagnostics.len(), 1);
    assert!(
        diagnostics[0].starts_with(
            "error: shortcodes call shortcodes more than 16 deep from here\n --> content/x.md:1:4"
        ),
        "{diagnostics:?}"
    );
    // Two calls of itself at each level would be 2^16 calls: the first too deep stops them.
    let (_, diagnostics) = render("{{ fork() }}\n", &standard());
    assert_eq!(diagnostics.len(), 1);
    assert!(
        diagnostics[0].starts_with("error: shortcodes call shortcodes more than 16 deep from here"),
        "{diagnostics:?}"
    );
}

#[test]
fn deep_bodies_are_refused() {
    let text = "{% box() %}".repeat(100_000) + &"{% end %}".repeat(100_000);
    let (rendered, diagnostics) = render(&text, &standard());
    assert_eq!(diagnostics.len(), 1);
    assert!(
        diagnostics[0].starts_with("error: shortcode bodies nest more than 16 deep here"),
        "{diagnostics:?}"
    );
    assert!(!html(&rendered).contains("<div"));
}

/// A megabyte of `{{`, of calls and of broken calls renders in one pass.
#[test]
fn hostile_pages_stay_cheap() {
    let standard = standard();
    let messages = |text: &str| -> Vec<String> {
        let (_, diagnostics) = render_diagnostics(text, &standard);
        diagnostics.into_iter().map(|d| d.message).collect()
    };
    assert_eq!(messages(&"{{".repeat(1 << 19)), Vec::<String>::new());
    assert_eq!(
        messages(&"{{ b(text=\"x\") }}".repeat(1 << 16)),
        ["this page calls shortcodes more than 10000 times"]
    );
    // A string closed by the next call's quote, then the text of that call: each call is one
    // error, up to a hundred.
    assert_eq!(messages(&"{{ b(text=\"x ".repeat(1 << 16)).len(), 100);
    assert_eq!(
        messages(&"{{ b(text=\"x ".repeat(1 << 16))[0],
        "expected `,` or `)` in the shortcode call, found `x`"
    );
    assert_eq!(messages("{{ b(text='x ")[0], "this string is never closed");
}

#[test]
fn fingerprints_follow_the_templates_a_shortcode_reads() {
    let one = shortcodes(&[
        ("a.html", "A"),
        ("b.html", "B"),
        ("c.html", "{% include \"shortcodes/b.html\" %}"),
    ]);
    let two = shortcodes(&[
        ("a.html", "A"),
        ("b.html", "B2"),
        ("c.html", "{% include \"shortcodes/b.html\" %}"),
    ]);
    assert_eq!(one.fingerprint("a"), two.fingerprint("a"));
    assert_ne!(one.fingerprint("b"), two.fingerprint("b"));
    assert_ne!(one.fingerprint("c"), two.fingerprint("c"));
    // A missing name's error suggests the names there are.
    assert_eq!(one.fingerprint("missing"), two.fingerprint("missing"));
    let three = shortcodes(&[("a.html", "A")]);
    assert_ne!(one.fingerprint("missing"), three.fingerprint("missing"));
}
