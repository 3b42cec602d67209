//! Zero setup: a folder of notes builds as it is. The default theme is built into steppe,
//! `site.toml` is optional, and the notes may live elsewhere (`content_dir`), named the way
//! people name files: spaces, accents, CJK, emoji.

use std::path::Path;

use insta::assert_snapshot;

use crate::support::{REPO, Site, element, elements, prose, whole};

/// The one note a build without site.toml prints.
const UNSET_BASE_URL: &str = "note: `base_url` is not set, so feeds, the sitemap and canonical links use URLs relative to the site's root (`/atom.xml`)\n |\n = help: create a site.toml with `base_url = \"https://example.com/\"` (the address the site is published at), or pass `--base-url URL` to `steppe build`\n\n";

/// Three notes that link each other, in `<folder>/`, as a note-taking tool leaves them: no
/// front matter on two of them, no `_index.md`.
fn write_notes(site: &Site, folder: &str) {
    site.write(
        &format!("{folder}/Café ☕/Ögedei Khan.md"),
        "---\ntitle: Ögedei Khan\n---\nSee [[遊牧]] and [[Ideas 💡]].\n",
    );
    site.write(
        &format!("{folder}/草原/遊牧.md"),
        "# Nomads\n\nBack to [[Ögedei Khan]].\n",
    );
    site.write(
        &format!("{folder}/Ideas 💡.md"),
        "A plain note, no front matter.\n",
    );
}

fn theme_file(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(REPO).join("themes/steppe").join(path)).unwrap()
}

#[test]
fn a_folder_of_notes_builds_without_site_toml_or_a_theme() {
    let site = Site::empty();
    write_notes(&site, "Field Notes/content");
    let run = site.run(&["--root", "Field Notes", "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, UNSET_BASE_URL);
    assert!(
        run.stdout.starts_with("built 3 pages, 3 sections, "),
        "{}",
        run.stdout
    );
    let page = site.read("Field Notes/public/cafe-coffee/ogedei-khan/index.html");
    // Titled after the folder, linked, and styled by the built-in theme.
    assert_snapshot!(element(&page, "<head>"), @r#"
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Ögedei Khan · Field Notes</title>
    <link rel="canonical" href="/cafe-coffee/ogedei-khan/">
    <meta name="color-scheme" content="light dark">
    <meta name="generator" content="steppe 0.1.0">
    <meta property="og:site_name" content="Field Notes">
    <meta property="og:title" content="Ögedei Khan">
    <meta property="og:type" content="article">
    <meta property="og:url" content="/cafe-coffee/ogedei-khan/">
    <meta name="twitter:card" content="summary">
    <meta name="twitter:title" content="Ögedei Khan">
    <link rel="alternate" type="application/atom+xml" title="Field Notes" href="/atom.xml">
    <link rel="icon" href="/favicon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="/style.css">
    <link rel="stylesheet" href="/syntax.css">
    <script>document.documentElement.className="js";try{var t=localStorage.getItem("steppe-theme");if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}</script>
    <script src="/theme.js" defer></script>

    </head>
    "#);
    assert_snapshot!(prose(&page), @r#"<p>See <a href="/cao-yuan/you-mu/">遊牧</a> and <a href="/ideas-bulb/">Ideas 💡</a>.</p>"#);
    for file in ["style.css", "theme.js", "search.js", "favicon.svg"] {
        let published = std::fs::read(site.path().join("Field Notes/public").join(file)).unwrap();
        assert!(
            published == theme_file(&format!("static/{file}")),
            "{file} is not the theme's"
        );
    }
    assert!(!site.exists("Field Notes/themes"));
    assert!(!site.exists("Field Notes/site.toml"));

    // The note is said once per build; --quiet leaves it out, JSON carries it.
    let quiet = site.run(&["--root", "Field Notes", "--quiet", "build"]);
    assert_eq!((quiet.code, &*quiet.stdout, &*quiet.stderr), (0, "", ""));
    let json = site.run(&["--root", "Field Notes", "--message-format", "json", "build"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    assert_eq!(
        json.stdout,
        "{\"path\":null,\"line\":null,\"column\":null,\"severity\":\"note\",\"message\":\"`base_url` is not set, so feeds, the sitemap and canonical links use URLs relative to the site's root (`/atom.xml`)\",\"hint\":\"create a site.toml with `base_url = \\\"https://example.com/\\\"` (the address the site is published at), or pass `--base-url URL` to `steppe build`\"}\n"
    );
    // With a base URL there is nothing to say.
    let with_url = site.run(&[
        "--root",
        "Field Notes",
        "build",
        "--base-url",
        "https://notes.example/",
    ]);
    assert_eq!((with_url.code, &*with_url.stderr), (0, ""));
    let feed = site.read("Field Notes/public/atom.xml");
    assert_snapshot!(whole(&feed, "\n"), @r#"
    <?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
      <title>Field Notes</title>
      <link rel="self" type="application/atom+xml" href="https://notes.example/atom.xml"/>
      <link rel="alternate" type="text/html" href="https://notes.example/"/>
      <generator uri="https://github.com/steppe-ssg/steppe">steppe</generator>
      <updated>1970-01-01T00:00:00Z</updated>
      <id>https://notes.example/atom.xml</id>
    </feed>
    "#);
}

#[test]
fn the_diagram_script_is_published_only_with_a_diagram() {
    let site = Site::empty();
    write_notes(&site, "content");
    let script = [
        "diagrams.js",
        "vendor/mermaid.min.js",
        "vendor/mermaid.LICENSE",
    ];
    let published = |site: &Site| -> Vec<bool> {
        script
            .iter()
            .map(|f| site.exists(&format!("public/{f}")))
            .collect()
    };
    site.build_ok();
    assert_eq!(published(&site), [false; 3], "no page has a diagram");
    assert!(!site.exists("public/vendor"));
    // A draft's diagram is not published either, until drafts are.
    site.write(
        "content/Plan.md",
        "---\ndraft: true\n---\n```mermaid\nflowchart LR\n  A --> B\n```\n",
    );
    site.build_ok();
    assert_eq!(published(&site), [false; 3], "only a draft has a diagram");
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(published(&site), [true; 3]);
    let plan = site.read("public/plan/index.html");
    assert_snapshot!(elements(&plan, "<script src=").join("\n"), @r#"
    <script src="/theme.js" defer></script>
    <script src="/vendor/mermaid.min.js" defer></script>
    <script src="/diagrams.js" defer></script>
    "#);
    assert_eq!(
        std::fs::read(site.path().join("public/vendor/mermaid.min.js")).unwrap(),
        theme_file("static/vendor/mermaid.min.js")
    );
    // The theme's notes for its maintainers are never published.
    assert!(!site.exists("public/vendor/README.md"));
}

#[test]
fn a_folder_without_notes_or_site_toml_is_not_a_site() {
    let site = Site::empty();
    site.write("Field Notes/readme.txt", "not notes");
    let run = site.run(&["--root", "Field Notes", "build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: not a steppe site: `Field Notes` has no site.toml and no content/ folder\n |\n = help: put your Markdown notes in a content/ folder, run `steppe init` to create a site, or pass `--root DIR` to point at one\n\nerror: build failed with 1 error; nothing was written\n"
    );
}

/// `themes/steppe/` and the site's own `templates/` and `static/` replace built-in files one by
/// one; every file they do not have still comes from the built-in theme.
#[test]
fn the_built_in_theme_is_overridden_file_by_file() {
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://x.example/\"\n",
    );
    site.write("content/a.md", "---\ntitle: A\n---\nText.\n");
    site.write("templates/page.html", "<h1>{{ page.title }}</h1>\n");
    site.write("static/style.css", "body { color: teal }\n");
    site.write("themes/steppe/static/theme.js", "// mine\n");
    site.write(
        "themes/steppe/templates/404.html",
        "<p>Lost on the steppe.</p>\n",
    );
    let run = site.build_ok();
    assert_eq!(run.stderr, "");
    assert_eq!(site.read("public/a/index.html"), "<h1>A</h1>\n");
    assert_eq!(site.read("public/style.css"), "body { color: teal }\n");
    assert_eq!(site.read("public/theme.js"), "// mine\n");
    assert_eq!(site.read("public/404.html"), "<p>Lost on the steppe.</p>\n");
    assert!(
        std::fs::read(site.path().join("public/search.js")).unwrap()
            == theme_file("static/search.js")
    );
    let home = site.read("public/index.html");
    assert_snapshot!(element(&home, "<title>"), @"<title>T</title>");
}

/// An Obsidian vault beside the site, named by `content_dir`: its notes are the pages, its
/// hidden and excluded folders are not, and messages name its files as the author would.
#[test]
fn notes_kept_beside_the_site() {
    let site = Site::empty();
    site.write(
        "site/site.toml",
        "title = \"Notes\"\ncontent_dir = \"../My Vault\"\n\n[content]\nexclude = [\"Templates/**\", \"Private/\"]\n",
    );
    write_notes(&site, "My Vault");
    site.write("My Vault/Attachments/map 1.png", "PNG");
    site.write(
        "My Vault/草原/遊牧.md",
        "# Nomads\n\nBack to [[Ögedei Khan]].\n\n![[map 1.png]]\n",
    );
    for (path, text) in [
        ("My Vault/.obsidian/app.json", "{\"HIDDEN-TEXT\": 1}"),
        ("My Vault/.obsidian/plugins/x.md", "HIDDEN-TEXT"),
        ("My Vault/.trash/old note.md", "HIDDEN-TEXT"),
        ("My Vault/.git/HEAD", "HIDDEN-TEXT"),
        ("My Vault/Templates/Daily note.md", "{{date}} TEMPLATE-TEXT"),
        ("My Vault/Private/diary ✎.md", "PRIVATE-TEXT"),
        ("My Vault/Private/deeper/photo.jpg", "PRIVATE-TEXT"),
    ] {
        site.write(path, text);
    }
    let run = site.run(&["--root", "site", "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert!(
        run.stdout.starts_with("built 3 pages, 3 sections, "),
        "{}",
        run.stdout
    );
    let note = site.read("site/public/cao-yuan/you-mu/index.html");
    assert_snapshot!(prose(&note), @r##"
    <h1 id="nomads">Nomads<a class="anchor" href="#nomads" aria-label="Link to this section">#</a></h1>
    <p>Back to <a href="/cafe-coffee/ogedei-khan/">Ögedei Khan</a>.</p>
    <p><img src="/attachments/map%201.png" alt="map 1.png" loading="lazy"></p>
    "##);
    assert_eq!(site.read("site/public/attachments/map 1.png"), "PNG");
    for (path, bytes) in site.tree("site/public") {
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["HIDDEN-TEXT", "TEMPLATE-TEXT", "PRIVATE-TEXT"] {
            assert!(!text.contains(secret), "{secret} published in {path}");
        }
        let lower = path.to_lowercase();
        assert!(
            !lower.contains("private")
                && !lower.contains("templates")
                && !lower.contains("obsidian"),
            "{path}"
        );
    }

    // A mistake in a note is shown at the note's path as seen from the site.
    site.write(
        "My Vault/草原/遊牧.md",
        "# Nomads\n\nBack to [[Ögedei Khan]] and [[Nowhere]].\n",
    );
    let run = site.run(&["--root", "site", "build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: broken wikilink: no page is called `Nowhere`\n --> ../My Vault/草原/遊牧.md:3:31\n  |\n3 | Back to [[Ögedei Khan]] and [[Nowhere]].\n  |                               ^^^^^^^\n  |\n  = help: wikilinks name a page by its file name, title or one of its aliases\n\nerror: build failed with 1 error; nothing was written\n"
    );
}

#[test]
fn a_content_dir_that_is_not_there_is_an_error() {
    let site = Site::empty();
    site.write(
        "site.toml",
        "title = \"T\"\ncontent_dir = \"../My Vault\"\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: content_dir `../My Vault` is not a folder\n --> site.toml:2:15\n  |\n2 | content_dir = \"../My Vault\"\n  |               ^^^^^^^^^^^^^\n  |\n  = help: name the folder holding your notes, relative to the site folder\n\nerror: build failed with 1 error; nothing was written\n"
    );
}

#[test]
fn the_output_folder_may_not_be_inside_the_content_folder() {
    let site = Site::empty();
    site.write("site/site.toml", "content_dir = \"../My Vault\"\n");
    write_notes(&site, "My Vault");
    let run = site.run(&[
        "--root",
        "site",
        "build",
        "--output-dir",
        "../My Vault/public",
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: output_dir `../My Vault/public` is inside the content folder `../My Vault`\n |\n = help: steppe reads every file of the content folder as part of the site; set output_dir to a folder outside it, such as \"public\"\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert!(!site.exists("My Vault/public"));
}

#[test]
fn new_pages_go_to_the_content_dir() {
    let site = Site::empty();
    site.write("site/site.toml", "content_dir = \"../My Vault\"\n");
    write_notes(&site, "My Vault");
    let run = site.run(&["--root", "site", "new", "note", "Über den Zaun"]);
    assert_eq!((run.code, &*run.stderr), (0, ""));
    assert_eq!(run.stdout, "created ../My Vault/notes/uber-den-zaun.md\n");
    assert!(
        site.read("My Vault/notes/uber-den-zaun.md")
            .contains("title: \"Über den Zaun\"\n")
    );

    // Without site.toml, into content/.
    write_notes(&site, "plain/content");
    let run = site.run(&["--root", "plain", "new", "essay", "草原"]);
    assert_eq!((run.code, &*run.stderr), (0, ""));
    assert_eq!(run.stdout, "created content/essays/cao-yuan.md\n");
}
