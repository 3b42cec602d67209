//! `steppe init` and `steppe new`: the scaffolded site builds cleanly, and every refusal prints
//! its full message.

use insta::assert_snapshot;

use crate::support::{Site, element, prose};

const NOT_EMPTY: &str = "error: cannot create a site in the current folder: the folder is not empty\n |\n = help: use --force to write into it anyway; existing files with the same names are overwritten\n\n";

/// A freshly initialised site in the temporary folder itself.
fn initialised() -> Site {
    let site = Site::empty();
    let run = site.run(&["--quiet", "init"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
    site
}

#[test]
fn init_creates_a_site_that_builds_without_warnings() {
    let site = Site::empty();
    let run = site.run(&["init", "field-guide"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let files = site.files("field-guide");
    let count = files.len();
    assert_eq!(
        run.stdout,
        format!(
            "created site \"Field guide\" in field-guide: {count} files\n\nnext steps:\n  cd field-guide && steppe build\n  steppe new essay \"Your first essay\"\n"
        )
    );
    for expected in [
        ".gitignore",
        "site.toml",
        "content/_index.md",
        "content/essays/_index.md",
        "content/case-studies/_index.md",
        "content/checklists/_index.md",
        "content/notes/_index.md",
    ] {
        assert!(
            files.contains(&expected.to_string()),
            "missing {expected}: {files:#?}"
        );
    }
    // The theme is built in: the site gets no copy of it.
    assert!(
        !files.iter().any(|f| f.starts_with("themes/")),
        "{files:#?}"
    );
    assert_eq!(
        site.read("field-guide/.gitignore"),
        "/public\n/.steppe-cache\n"
    );
    let toml = site.read("field-guide/site.toml");
    for line in [
        "title = \"Field guide\"\n",
        "base_url = \"/\"\n",
        "theme = \"steppe\"\n",
    ] {
        assert!(toml.contains(line), "{line} not in\n{toml}");
    }

    let run = site.run(&["--root", "field-guide", "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "", "the example site has warnings");
    assert!(
        run.stdout.starts_with("built 4 pages, 5 sections, "),
        "{}",
        run.stdout
    );
    // The output folder is below the site root, not below the root twice.
    assert!(!site.exists("field-guide/field-guide"));
    let public = site.files("field-guide/public");
    for page in [
        "index.html",
        "essays/small-teams-move-faster/index.html",
        "case-studies/persian-royal-road/index.html",
        "checklists/moving-fast/index.html",
        "notes/neither-snow-nor-rain/index.html",
    ] {
        assert!(
            public.contains(&page.to_string()),
            "missing {page}: {public:#?}"
        );
    }
    let case = site.read("field-guide/public/case-studies/persian-royal-road/index.html");
    assert_snapshot!(element(&case, "<aside class=\"facts\""), @r#"
    <aside class="facts" aria-labelledby="facts-title">
        <h2 class="facts-title" id="facts-title">At a glance</h2>
        <dl>
          <div><dt>Era</dt><dd><span class="era">550–330 BCE</span> · <a href="/timeline/#case-studies-persian-royal-road">on the timeline</a></dd></div>
          <div><dt>Region</dt><dd>Achaemenid Persian Empire, from Sardis in Anatolia to Susa in Elam</dd></div>
          <div><dt>People</dt><dd>Cyrus the Great, Darius I, Herodotus</dd></div>
        </dl>
      </aside>
    "#);
    let checklist = site.read("field-guide/public/checklists/moving-fast/index.html");
    assert_snapshot!(prose(&checklist), @r#"
    <p>Tick what is already true. Each item comes from <a href="/essays/small-teams-move-faster/">Small teams move faster</a>.</p>
    <ul class="tasklist">
    <li class="task"><input type="checkbox" disabled> Everyone on the team knows what everyone else is working on this week.</li>
    <li class="task"><input type="checkbox" disabled> The person who notices a problem can usually fix it without asking anyone.</li>
    <li class="task"><input type="checkbox" disabled> A decision such as changing a price takes a day, not a meeting.</li>
    <li class="task"><input type="checkbox" disabled> News from customers reaches the person who decides within a day.</li>
    <li class="task"><input type="checkbox" disabled> Each hand-off in our work has one clear owner on each side.</li>
    <li class="task"><input type="checkbox" disabled> We could drop a product or a plan this month without a crisis.</li>
    </ul>
    "#);
}

/// `--copy-theme` writes the built-in theme out for editing: byte for byte the repository's,
/// and an edit of the copy changes the site.
#[test]
fn init_can_copy_the_theme_to_edit_it() {
    let site = Site::empty();
    let run = site.run(&["--quiet", "init", "--copy-theme", "guide"]);
    assert_eq!((run.code, &*run.stderr), (0, ""));
    let repo = std::path::Path::new(crate::support::REPO).join("themes/steppe");
    let theme: Vec<String> = site.files("guide/themes/steppe");
    let mut expected = Vec::new();
    for entry in walkdir::WalkDir::new(&repo).into_iter().flatten() {
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(&repo).unwrap();
            expected.push(relative.to_string_lossy().into_owned());
            assert!(
                std::fs::read(entry.path()).unwrap()
                    == std::fs::read(site.path().join("guide/themes/steppe").join(relative))
                        .unwrap(),
                "{} differs",
                relative.display()
            );
        }
    }
    expected.sort();
    assert_eq!(theme, expected);
    site.write(
        "guide/themes/steppe/static/style.css",
        "body { color: teal }\n",
    );
    let run = site.run(&["--root", "guide", "build"]);
    assert_eq!((run.code, &*run.stderr), (0, ""));
    assert_eq!(
        site.read("guide/public/style.css"),
        "body { color: teal }\n"
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_unless_forced() {
    let site = Site::empty();
    site.write("notes.txt", "mine\n");
    site.write("site.toml", "title = \"Mine\"\n");

    let run = site.run(&["init"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, NOT_EMPTY);
    assert!(!site.exists("content"));
    assert_eq!(site.read("site.toml"), "title = \"Mine\"\n");

    let run = site.run(&["--quiet", "init", "--force"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(run.stdout, "");
    assert_eq!(site.read("notes.txt"), "mine\n");
    assert!(site.read("site.toml").contains("theme = \"steppe\""));
    assert!(site.exists("content/essays/small-teams-move-faster.md"));
    site.build_ok();
}

#[test]
fn init_accepts_a_folder_holding_only_git() {
    let site = Site::empty();
    site.write(".git/HEAD", "ref: refs/heads/main\n");
    let run = site.run(&["init", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("next steps:\n  steppe build\n"),
        "{}",
        run.stdout
    );
    assert_eq!(site.read(".git/HEAD"), "ref: refs/heads/main\n");
    site.build_ok();
}

#[test]
fn init_into_a_file_fails() {
    let site = Site::empty();
    site.write("taken", "");
    let run = site.run(&["init", "taken"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: cannot create a site in `taken`: it is a file, not a folder\n |\n = help: name a new or empty folder: `steppe init my-site`\n\n"
    );
}

#[test]
fn new_essay_is_a_draft_that_builds_with_drafts() {
    let site = initialised();
    let run = site.run(&["new", "essay", "Micro Beats Solo"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "created content/essays/micro-beats-solo.md\n");
    assert_eq!(run.stderr, "");
    let text = site.read("content/essays/micro-beats-solo.md");
    assert!(
        text.starts_with("---\ntitle: \"Micro Beats Solo\"\ndescription: \"One sentence for listings and search results.\"\ndate: "),
        "{text}"
    );
    assert!(
        text.contains("\nslug: micro-beats-solo\ndraft: true\ntags: []\n---\n"),
        "{text}"
    );

    site.build_ok();
    assert!(!site.exists("public/essays/micro-beats-solo/index.html"));
    let run = site.run(&["build", "--drafts"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let essay = site.read("public/essays/micro-beats-solo/index.html");
    assert_snapshot!(element(&essay, "<h1"), @r#"<h1 data-pagefind-meta="title">Micro Beats Solo</h1>"#);
}

#[test]
fn new_pages_of_every_kind_build_cleanly() {
    let site = initialised();
    for (kind, path) in [
        ("essay", "content/essays/kalka-river.md"),
        ("case-study", "content/case-studies/kalka-river.md"),
        ("checklist", "content/checklists/kalka-river.md"),
        ("note", "content/notes/kalka-river.md"),
    ] {
        let run = site.run(&["new", kind, "Kalka River"]);
        assert_eq!(run.stdout, format!("created {path}\n"), "{}", run.stderr);
    }
    assert!(
        site.read("content/checklists/kalka-river.md")
            .contains("- [ ] First item\n")
    );
    assert!(
        site.read("content/case-studies/kalka-river.md")
            .contains("era: {start: 1206, end: 1368}\n")
    );
    let run = site.run(&["build", "--drafts"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(run.stdout.starts_with("built 8 pages, "), "{}", run.stdout);
}

#[test]
fn new_honours_root_and_names_the_kind_when_the_section_does_not() {
    let site = Site::new("title = \"T\"\n");
    let run = site.run(&["--root", ".", "new", "case-study", "Ögedei's Yam"]);
    assert_eq!(
        run.stdout, "created content/case-studies/ogedei-s-yam.md\n",
        "{}",
        run.stderr
    );
    let text = site.read("content/case-studies/ogedei-s-yam.md");
    assert!(text.contains("\nkind: case-study\n"), "{text}");
    let run = site.run(&["build", "--drafts"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));

    let outside = Site::empty();
    outside.write("site/site.toml", "title = \"T\"\n");
    let run = outside.run(&["--root", "site", "new", "note", "Relay stations"]);
    assert_eq!(
        run.stdout, "created content/notes/relay-stations.md\n",
        "{}",
        run.stderr
    );
    assert!(outside.exists("site/content/notes/relay-stations.md"));
}

#[test]
fn new_refuses_to_overwrite() {
    let site = initialised();
    assert_eq!(site.run(&["new", "essay", "Micro Beats Solo"]).code, 0);
    site.write("content/essays/micro-beats-solo.md", "mine\n");
    let run = site.run(&["new", "essay", "micro beats solo!"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: `content/essays/micro-beats-solo.md` already exists\n |\n = help: choose another title, or edit the existing file\n\n"
    );
    assert_eq!(site.read("content/essays/micro-beats-solo.md"), "mine\n");
}

#[test]
fn new_rejects_unknown_kinds() {
    let site = initialised();
    let run = site.run(&["new", "podcast", "X"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: unknown page kind `podcast`\n |\n = help: the kinds are essay, case-study, checklist and note\n\n"
    );
    let run = site.run(&["new", "esay", "X"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: unknown page kind `esay`\n |\n = help: did you mean `essay`? the kinds are essay, case-study, checklist and note\n\n"
    );
    assert!(!site.exists("content/podcasts"));
}

#[test]
fn new_rejects_titles_without_letters() {
    let site = initialised();
    let run = site.run(&["new", "note", "!!!"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the title \"!!!\" has no letters or digits to make a file name from\n |\n = help: use a title with at least one letter or digit\n\n"
    );
}

#[test]
fn new_outside_a_site_fails() {
    let site = Site::empty();
    let run = site.run(&["new", "essay", "X"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: not a steppe site: the current folder has no site.toml and no content/ folder\n |\n = help: put your Markdown notes in a content/ folder, run `steppe init` to create a site, or pass `--root DIR` to point at one\n\n"
    );
    assert!(!site.exists("content"));
}
