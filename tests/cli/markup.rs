//! Markup from Obsidian and GitHub, end to end: comments are never published, highlights,
//! and the one note about plugin blocks.

use insta::assert_snapshot;

use crate::support::{Site, element, prose};

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
    site.build().succeeds_silently();

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
    assert_snapshot!(prose(&page), @r#"
    <p>Visible plovdivtram intro.  <mark>more</mark> text.</p>
    <p>See <a href="/notes/target/">Target</a> here  today.</p>
    <pre class="hl"><code>%%kept in code%%
    </code></pre>
    "#);
    // The backlink on the target shows the sentence without the comment.
    let target = site.read("public/notes/target/index.html");
    assert_snapshot!(element(&target, "<section class=\"backlinks\""), @r#"
    <section class="backlinks" aria-label="Linked from">
    <h2>Linked from</h2>
    <ul>
    <li><a href="/notes/public/">Public</a><p class="link-context">See Target here today.</p></li>
    </ul>
    </section>
    "#);
}

#[test]
fn plugin_blocks_get_one_note_for_the_build() {
    let site = Site::with_good_page();
    site.write(
        "content/dashboard.md",
        "---\ntitle: Dashboard\n---\n```dataview\nTABLE file.mtime FROM #project\n```\n\n```dataviewjs\ndv.list([1, 2])\n```\n",
    );
    site.write(
        "content/queries.md",
        "---\ntitle: Search\n---\n```query\ntag:#horse\n```\n\n```caravan-script\nload camels\n```\n\n```pyhton\nprint(1)\n```\n",
    );
    // A misspelt language is a warning of its own; one no grammar knows joins a note.
    let build = site.build();
    assert_snapshot!(build.succeeds(), @"
    note: 3 code blocks for Obsidian plugins (`dataview`, `dataviewjs`, `query`) in 2 notes are shown as code, not run
     --> content/dashboard.md:4:4
      |
    4 | ```dataview
      |    ^^^^^^^^
      |
      = help: a static site cannot run plugins; to publish what such a block shows in Obsidian, paste its result into the note

    note: 1 code block in 1 note is shown without highlighting: no grammar for `caravan-script`
     --> content/queries.md:8:4
      |
    8 | ```caravan-script
      |    ^^^^^^^^^^^^^^
      |
      = help: for colours, name a language steppe knows, such as `rust`, `python`, `js` or `toml`; `text` says the block is plain

    warning: unknown language `pyhton` in code block, shown without highlighting
      --> content/queries.md:12:4
       |
    12 | ```pyhton
       |    ^^^^^^
       |
       = help: did you mean `python`?
    ");
    // A note is no warning.
    assert!(
        build.run.stdout.contains(" ms (1 warning)\n"),
        "{}",
        build.run.stdout
    );
    let quiet = site.outcome(&["build", "--quiet"]);
    assert_snapshot!(quiet.succeeds(), @"
    warning: unknown language `pyhton` in code block, shown without highlighting
      --> content/queries.md:12:4
       |
    12 | ```pyhton
       |    ^^^^^^
       |
       = help: did you mean `python`?
    ");

    let page = site.read("public/dashboard/index.html");
    assert_snapshot!(prose(&page), @r#"
    <pre class="hl" data-lang="dataview"><code class="language-dataview">TABLE file.mtime FROM #project
    </code></pre>
    <pre class="hl" data-lang="dataviewjs"><code class="language-dataviewjs">dv.list([1, 2])
    </code></pre>
    "#);
}
