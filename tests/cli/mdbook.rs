//! Books written for mdBook: chapters link to each other by the names mdBook writes them under
//! (`other.html` for `other.md`, `index.html` for `README.md`), and those links resolve to the
//! pages, anchors checked as usual.

use insta::assert_snapshot;

use crate::support::{Site, prose};

fn book() -> Site {
    let site = Site::new("title = \"Book\"\n");
    site.write(
        "content/README.md",
        "# Introduction\n\nStart with [the guide](guide/index.html).\n",
    );
    site.write(
        "content/guide/README.md",
        "# Guide\n\nSee [creating a book](creating.html) and [its options](creating.html#options).\n",
    );
    site.write(
        "content/guide/creating.md",
        "# Creating a book\n\n## Options\n\nBack to [the introduction](../index.html) or [the guide](./index.html#guide).\n",
    );
    site
}

#[test]
fn links_to_html_names_resolve_to_the_chapters() {
    let site = book();
    site.build_ok();
    let pages = ["guide/readme", "guide/creating", "readme"].map(|page| {
        let html = site.read(&format!("public/{page}/index.html"));
        format!("{page}:\n{}", prose(&html))
    });
    assert_snapshot!(pages.join("\n\n"), @r##"
    guide/readme:
    <h1 id="guide">Guide<a class="anchor" href="#guide" aria-label="Link to this section">#</a></h1>
    <p>See <a href="/guide/creating/">creating a book</a> and <a href="/guide/creating/#options">its options</a>.</p>

    guide/creating:
    <h1 id="creating-a-book">Creating a book<a class="anchor" href="#creating-a-book" aria-label="Link to this section">#</a></h1>
    <h2 id="options">Options<a class="anchor" href="#options" aria-label="Link to this section">#</a></h2>
    <p>Back to <a href="/readme/">the introduction</a> or <a href="/guide/readme/#guide">the guide</a>.</p>

    readme:
    <h1 id="introduction">Introduction<a class="anchor" href="#introduction" aria-label="Link to this section">#</a></h1>
    <p>Start with <a href="/guide/readme/">the guide</a>.</p>
    "##);
}

#[test]
fn anchors_of_html_links_are_checked() {
    let site = book();
    site.write(
        "content/guide/broken.md",
        "[a](creating.html#option) and [b](missing.html)\n",
    );
    assert_snapshot!(site.build().fails(), @"
    error: broken anchor: `content/guide/creating.md` has no heading `#option`
     --> content/guide/broken.md:1:5
      |
    1 | [a](creating.html#option) and [b](missing.html)
      |     ^^^^^^^^^^^^^^^^^^^^
      |
      = help: did you mean `#options`?

    error: broken link: `content/guide/missing.html` does not exist
     --> content/guide/broken.md:1:35
      |
    1 | [a](creating.html#option) and [b](missing.html)
      |                                   ^^^^^^^^^^^^
      |
      = help: did you mean `@/guide/creating.md`?

    error: build failed with 2 errors; nothing was written
    ");
}
