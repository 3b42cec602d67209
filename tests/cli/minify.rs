//! `[output] minify = true` as a reader meets it: smaller pages, style sheets and scripts that
//! mean the same, code blocks keeping their whitespace, and search still finding the pages.

use insta::assert_snapshot;

use crate::support::{Site, element};

#[test]
fn minified_pages_keep_code_whitespace_and_search_marks() {
    let site = Site::new(
        "title = \"Small\"\nbase_url = \"https://example.com/\"\n[output]\nminify = true\n",
    )
    .with_file(
        "content/code.md",
        "---\ntitle: Code\n---\nSome   quillwort text.\n\n```\nfn main() {\n    println!(\"  spaced  \");\n}\n```\n",
    )
    .with_file("static/extra.css", "body {\n  color: #ff0000;\n}\n")
    .with_file("static/app.js", "function greet( name ) {\n  return 'hi ' + name;\n}\n")
    .with_file("static/vendor/lib.min.js", "var  kept = 1;\n");
    site.build().succeeds_silently();
    let page = site.read("public/code/index.html");
    assert_snapshot!(element(&page, "<pre"), @r#"
    <pre class=hl><code>fn main() {
        println!("  spaced  ");
    }
    </code></pre>
    "#);
    assert_snapshot!(element(&page, "<article"), @r#"
    <article class="page page-note" data-pagefind-body><header class=page-header><p class=kicker data-pagefind-ignore>Note · <a href=/>Small</a></p><h1 data-pagefind-meta=title>Code</h1><p class=meta data-pagefind-ignore><span>1 min read</span></p></header><div class=page-body><div class=prose><p>Some quillwort text.</p><pre class=hl><code>fn main() {
        println!("  spaced  ");
    }
    </code></pre></div></div></article>
    "#);
    // Search reads the minified page: its fragment holds the page's words.
    let fragments: Vec<(String, String)> = site
        .published("public")
        .into_iter()
        .filter(|(path, text)| path.starts_with("pagefind/fragment/") && text.contains("quillwort"))
        .collect();
    assert_eq!(fragments.len(), 1, "{fragments:?}");
    assert_snapshot!(site.read("public/extra.css"), @"body{color:red}");
    assert_snapshot!(site.read("public/app.js"), @"function greet(name){return`hi `+name}");
    assert_eq!(site.read("public/vendor/lib.min.js"), "var  kept = 1;\n");
    // The theme's style sheet is minified too.
    let style = site.read("public/style.css");
    assert!(!style.contains("\n  "), "{style}");
    assert!(site.exists("public/pagefind/pagefind.js"));
}
