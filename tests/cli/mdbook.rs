//! Books written for mdBook: chapters link to each other by the names mdBook writes them under
//! (`other.html` for `other.md`, `index.html` for `README.md`), and those links resolve to the
//! pages, anchors checked as usual.

use crate::support::Site;

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
    let guide = site.read("public/guide/readme/index.html");
    assert!(
        guide.contains(
            "<p>See <a href=\"/guide/creating/\">creating a book</a> and <a href=\"/guide/creating/#options\">its options</a>.</p>"
        ),
        "{guide}"
    );
    let creating = site.read("public/guide/creating/index.html");
    assert!(
        creating.contains(
            "<p>Back to <a href=\"/readme/\">the introduction</a> or <a href=\"/guide/readme/#guide\">the guide</a>.</p>"
        ),
        "{creating}"
    );
    let intro = site.read("public/readme/index.html");
    assert!(
        intro.contains("<a href=\"/guide/readme/\">the guide</a>"),
        "{intro}"
    );
}

#[test]
fn anchors_of_html_links_are_checked() {
    let site = book();
    site.write(
        "content/guide/broken.md",
        "[a](creating.html#option) and [b](missing.html)\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: broken anchor: `content/guide/creating.md` has no heading `#option`\n --> content/guide/broken.md:1:5\n  |\n1 | [a](creating.html#option) and [b](missing.html)\n  |     ^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: did you mean `#options`?\n\nerror: broken link: `content/guide/missing.html` does not exist\n --> content/guide/broken.md:1:35\n  |\n1 | [a](creating.html#option) and [b](missing.html)\n  |                                   ^^^^^^^^^^^^\n  |\n  = help: did you mean `@/guide/creating.md`?\n\nerror: build failed with 2 errors; nothing was written\n"
    );
}
