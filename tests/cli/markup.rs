//! Markup from Obsidian and GitHub, end to end: comments are never published, highlights,
//! and the one note about plugin blocks.

use crate::support::Site;

/// A page written the way private notes are: comments inline, over lines, around a link, a tag
/// and a footnote, in the summary paragraph and next to a link (its backlink context).
const NOTE: &str = "---\ntitle: Public\ndate: 2024-01-01\ntags: [open]\n---\n\
Visible plovdivtram intro. %%Zqxwvukhm inline [[Nowhere At All]] #zqxwvukhmtag%% ==more== text.\n\n\
%%\nZqxwvukhm block about [[Target]]\n\n[^zqx]: Zqxwvukhm footnote\n%%\n\n\
See [[Target]] here %%Zqxwvukhm context%% today.\n\n```text\n%%kept in code%%\n```\n";

fn published(site: &Site) -> Vec<(String, String)> {
    site.published("public")
        .into_iter()
        .map(|(path, text)| (path, text.to_lowercase()))
        .collect()
}

#[test]
fn comments_are_never_published() {
    let site = Site::new("title = \"Notes\"\nbase_url = \"https://example.com/\"\n");
    site.write("content/notes/public.md", NOTE);
    site.write(
        "content/notes/target.md",
        "---\ntitle: Target\ndate: 2024-01-02\n---\nThe target page.\n",
    );
    // The link inside the comment names no page: had it reached resolve, the build would fail.
    let run = site.build_ok();
    assert_eq!(run.stderr, "");

    let files = published(&site);
    let holding = |word: &str| -> Vec<&str> {
        files
            .iter()
            .filter(|(_, text)| text.contains(word))
            .map(|(path, _)| path.as_str())
            .collect()
    };
    // Search lowercases and stems words, so the marker is looked for lowercased and without
    // its last letters.
    assert_eq!(holding("zqxwvukh"), Vec::<&str>::new());
    // The visible words of the same paragraph reach the page, the section list, the feeds and
    // the search index: the places the marker would have leaked to.
    let visible = holding("plovdivtram");
    for expected in [
        "notes/public/index.html",
        "notes/index.html",
        "atom.xml",
        "tags/open/atom.xml",
    ] {
        assert!(visible.contains(&expected), "{expected} in {visible:?}");
    }
    assert!(
        visible.iter().any(|f| f.starts_with("pagefind/fragment/")),
        "{visible:?}"
    );

    let page = site.read("public/notes/public/index.html");
    assert!(
        page.contains("<p>Visible plovdivtram intro.  <mark>more</mark> text.</p>"),
        "{page}"
    );
    assert!(
        page.contains("<pre class=\"hl\"><code>%%kept in code%%\n</code></pre>"),
        "{page}"
    );
    // The backlink on the target shows the sentence without the comment.
    let target = site.read("public/notes/target/index.html");
    assert!(target.contains("See Target here today."), "{target}");
}

#[test]
fn plugin_blocks_get_one_note_for_the_build() {
    let site = Site::with_good_page();
    site.write(
        "content/dashboard.md",
        "---\ntitle: Dashboard\n---\n```dataview\nTABLE file.mtime FROM #project\n```\n\n```dataviewjs\ndv.list([1, 2])\n```\n",
    );
    site.write(
        "content/search.md",
        "---\ntitle: Search\n---\n```query\ntag:#horse\n```\n\n```caravan-script\nload camels\n```\n\n```pyhton\nprint(1)\n```\n",
    );
    // A misspelt language is a warning of its own; one no grammar knows joins a note.
    let warning = "warning: unknown language `pyhton` in code block, shown without highlighting\n  --> content/search.md:12:4\n   |\n12 | ```pyhton\n   |    ^^^^^^\n   |\n   = help: did you mean `python`?\n\n";
    let unknown = "note: 1 code block in 1 note is shown without highlighting: no grammar for `caravan-script`\n --> content/search.md:8:4\n  |\n8 | ```caravan-script\n  |    ^^^^^^^^^^^^^^\n  |\n  = help: for colours, name a language steppe knows, such as `rust`, `python`, `js` or `toml`; `text` says the block is plain\n\n";
    let run = site.build_ok();
    assert_eq!(
        run.stderr,
        "note: 3 code blocks for Obsidian plugins (`dataview`, `dataviewjs`, `query`) in 2 notes are shown as code, not run\n --> content/dashboard.md:4:4\n  |\n4 | ```dataview\n  |    ^^^^^^^^\n  |\n  = help: a static site cannot run plugins; to publish what such a block shows in Obsidian, paste its result into the note\n\n".to_string()
            + unknown
            + warning
    );
    // A note is no warning.
    assert!(run.stdout.contains(" ms (1 warning)\n"), "{}", run.stdout);
    let quiet = site.run(&["build", "--quiet"]);
    assert_eq!((quiet.code, quiet.stderr.as_str()), (0, warning));

    let page = site.read("public/dashboard/index.html");
    assert!(
        page.contains("<pre class=\"hl\" data-lang=\"dataview\"><code class=\"language-dataview\">TABLE file.mtime FROM #project\n</code></pre>"),
        "{page}"
    );
}
