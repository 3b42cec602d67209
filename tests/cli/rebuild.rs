//! The dev server's guarantee: after any sequence of edits, a memoized rebuild produces exactly
//! what a clean build of the same files produces. Random edit sequences (text, titles, tags,
//! links, block ids and block embeds, shortcode calls, pages added, deleted and renamed,
//! templates, shortcode templates and site.toml changed, data files rewritten or switched to
//! another format, a Sass file edited, an image replaced by one of other dimensions) are applied
//! to a site, and after every step both builds are compared byte for byte, diagnostics included.
//! A failing run prints its seed; `STEPPE_SEED=<n>` replays it.

use steppe::build::BuildOptions;
use steppe::files::{Contents, Output};
use steppe::serve::rebuild::Rebuilder;

use crate::support::{Rng, Site, png};

const WORDS: &[&str] = &[
    "steppe", "caravan", "ledger", "circle", "pivot", "craft", "trust",
];
const TAGS: &[&str] = &["history", "strategy", "small-teams", "trade"];
const FOLDERS: &[&str] = &["essays", "case-studies", "notes", "Field Notes"];

/// The site as the test sees it: page paths currently present.
struct Model {
    pages: Vec<String>,
    counter: usize,
}

fn page_text(rng: &mut Rng, model: &Model, title: &str) -> String {
    let mut text = format!("---\ntitle: \"{title}\"\n");
    if rng.below(2) == 0 {
        text.push_str(&format!("tags: [{}]\n", rng.pick(TAGS)));
    }
    if rng.below(3) == 0 {
        text.push_str(&format!(
            "date: 2026-0{}-1{}\n",
            1 + rng.below(9),
            rng.below(9)
        ));
    }
    if rng.below(4) == 0 {
        text.push_str("template: custom.html\n");
    }
    text.push_str("---\n");
    for section in 0..1 + rng.below(3) {
        text.push_str(&format!("## {} {}\n\n", rng.pick(WORDS), rng.pick(WORDS)));
        // Block ids, which other pages link to and embed: `^b0` always, so embeds of it find
        // it and a text-only edit (of the first paragraph) changes what they show.
        let block = if section == 0 || rng.below(2) == 0 {
            format!(" ^b{section}")
        } else {
            String::new()
        };
        text.push_str(&format!(
            "The {} and the {}.{block}\n\n",
            rng.pick(WORDS),
            rng.pick(WORDS)
        ));
    }
    if !model.pages.is_empty() && rng.below(3) != 0 {
        let target = rng.pick(&model.pages).clone();
        let stem = target
            .rsplit('/')
            .next()
            .unwrap()
            .trim_end_matches(".md")
            .to_string();
        match rng.below(7) {
            0 => text.push_str(&format!("See [[{stem}]].\n")),
            1 => text.push_str(&format!(
                "See [it](@/{}).\n",
                target.trim_start_matches("content/")
            )),
            2 => text.push_str("See [[No Such Page]].\n"),
            3 => text.push_str(&format!("See [[{stem}#^b0]].\n")),
            4 | 5 => text.push_str(&format!("Quoted:\n\n![[{stem}#^b0]]\n")),
            _ => text.push_str("Again:\n\n![[#^b0]]\n"),
        }
    }
    // Shortcode calls: the site's own (whose templates the edits change, remove and bring
    // back), one of Markdown, and the theme's, inline, as blocks and with bodies holding links.
    match rng.below(6) {
        0 => text.push_str(&format!("\nA {{{{ badge(text=\"{}\") }}}} here.\n", rng.pick(WORDS))),
        1 => text.push_str(&format!(
            "\n{{% boxed(title=\"{}\") %}}\nInside, see [[No Such Page]] and {{{{ badge(text=\"x\") }}}}.\n{{% end %}}\n",
            rng.pick(WORDS)
        )),
        2 => text.push_str(&format!("\n{{{{ shout(word=\"{}\") }}}}\n", rng.pick(WORDS))),
        3 => text.push_str("\n{{ quote(text=\"No walls.\", source=\"A proverb\") }}\n"),
        _ => {}
    }
    if rng.below(5) == 0 {
        text.push_str(&format!("\n#{}\n", rng.pick(TAGS)));
    }
    // An image whose file an edit replaces: its width, height and srcset must follow.
    match rng.below(4) {
        0 => text.push_str("\n![[pic.png]]\n"),
        1 => text.push_str("\n![A picture](/pic.png)\n"),
        _ => {}
    }
    // Plugin blocks make the build's one note, from every document memoized or not.
    if rng.below(4) == 0 {
        text.push_str("\n```dataview\nLIST FROM #trade\n```\n");
    }
    if rng.below(4) == 0 {
        text.push_str(&format!(
            "\n%%private {} [[No Such Page]]%%\n",
            rng.pick(WORDS)
        ));
    }
    text
}

/// Applies one random edit; returns what it did and the paths it touched (relative to the site),
/// as a watcher would report them: files written or removed, and folders created.
fn step(rng: &mut Rng, site: &Site, model: &mut Model) -> (String, Vec<String>) {
    let root = site.path();
    let mut touched = Vec::new();
    let new_folder = |path: &str, touched: &mut Vec<String>| {
        let parent = std::path::Path::new(path).parent().unwrap();
        if !root.join(parent).exists() {
            touched.push(parent.to_str().unwrap().to_string());
        }
    };
    let what = match rng.below(18) {
        15 => {
            // The image replaced by one of other dimensions (or the same, rewritten).
            let (width, height) = *rng.pick(&[(900, 400), (1200, 800), (40, 30)]);
            site.write_bytes("content/pic.png", &png(width, height));
            touched.push("content/pic.png".into());
            format!("image {width}x{height}")
        }
        16 | 17 => {
            // A shortcode template changed, removed or brought back: the pages calling it must
            // show the new output (or the error), the others must stay as they are.
            let (path, texts): (&str, &[&str]) = match rng.below(3) {
                0 => (
                    "templates/shortcodes/badge.html",
                    &[
                        "<span class=\"badge\">{{ text }}</span>",
                        "<mark>{{ text | upper }}</mark>",
                        "<span>{{ text }} {{ missing }}</span>",
                    ],
                ),
                1 => (
                    "templates/shortcodes/boxed.html",
                    &[
                        "<div class=\"boxed\"><p>{{ title }}</p>{{ body }}</div>",
                        "<section>{{ body }}<p>{{ title | upper }}</p></section>",
                    ],
                ),
                _ => (
                    "templates/shortcodes/shout.md",
                    &[
                        "**{{ word }}!**",
                        "## {{ word }}\n\nA {{ \"{{\" }} badge(text=\"{{ word }}\") }}.",
                    ],
                ),
            };
            let choice = rng.below(texts.len() + 1);
            match texts.get(choice) {
                Some(text) => site.write(path, text),
                None => {
                    let _ = std::fs::remove_file(root.join(path));
                }
            }
            new_folder(path, &mut touched);
            touched.push(path.into());
            format!("shortcode {path} variant {choice}")
        }
        10 | 11 if !model.pages.is_empty() => {
            // Text only: the links, headings, tags and front matter stay, so no other page
            // changes, except in listings that show this page's summary.
            let page = rng.pick(&model.pages).clone();
            let text = site.read(&page);
            let word = rng.pick(WORDS);
            let text = if rng.below(2) == 0 {
                text.replacen("The ", &format!("The {word} "), 1)
            } else {
                // A line above everything: the positions of the links move.
                text.replacen("---\n## ", &format!("---\n{word} first.\n\n## "), 1)
            };
            site.write(&page, &text);
            touched.push(page.clone());
            format!("text of {page}")
        }
        0..=2 if !model.pages.is_empty() => {
            let page = rng.pick(&model.pages).clone();
            let title = format!("{} {}", rng.pick(WORDS), rng.below(100));
            site.write(&page, &page_text(rng, model, &title));
            touched.push(page.clone());
            format!("edit {page}")
        }
        3 if !model.pages.is_empty() => {
            let page = rng.pick(&model.pages).clone();
            let text = site.read(&page);
            // Change one front matter field only, so nothing else hides a stale output.
            let (text, what) = if rng.below(2) == 0 {
                (text.replacen("title:", "title: Renamed", 1), "retitle")
            } else if text.contains("template: custom.html\n") {
                (
                    text.replacen("template: custom.html\n", "", 1),
                    "default template for",
                )
            } else {
                (
                    text.replacen("---\n", "---\ntemplate: custom.html\n", 1),
                    "custom template for",
                )
            };
            site.write(&page, &text);
            touched.push(page.clone());
            format!("{what} {page}")
        }
        4 if model.pages.len() > 1 => {
            let i = rng.below(model.pages.len());
            let page = model.pages.remove(i);
            std::fs::remove_file(root.join(&page)).unwrap();
            touched.push(page.clone());
            format!("delete {page}")
        }
        5 if !model.pages.is_empty() => {
            let i = rng.below(model.pages.len());
            let from = model.pages[i].clone();
            model.counter += 1;
            let to = format!("content/{}/moved {}.md", rng.pick(FOLDERS), model.counter);
            new_folder(&to, &mut touched);
            std::fs::create_dir_all(root.join(&to).parent().unwrap()).unwrap();
            std::fs::rename(root.join(&from), root.join(&to)).unwrap();
            touched.extend([from.clone(), to.clone()]);
            model.pages[i] = to.clone();
            format!("rename {from} -> {to}")
        }
        6 => {
            let variant = rng.below(4);
            match variant {
                0 => {
                    let _ = std::fs::remove_file(root.join("templates/page.html"));
                }
                1 => site.write("templates/page.html", "<h1>{{ page.title }}</h1>{{ page.content | safe }}"),
                // A copy asked for by the template: every rebuild must ask for it again.
                2 => site.write(
                    "templates/page.html",
                    "{% set r = resize_image(path=\"pic.png\", width=100, op=\"fit_width\") %}<img src=\"{{ r.url }}\" width=\"{{ r.width }}\" height=\"{{ r.height }}\">{{ page.content | safe }}",
                ),
                _ => site.write(
                    "templates/page.html",
                    "<h1>{{ page.title | upper }}</h1>{{ page.content | safe }}<p>{{ page.backlinks | length }}</p>",
                ),
            }
            touched.push("templates/page.html".into());
            format!("template variant {variant}")
        }
        7 => {
            let title = format!("Site {}", rng.below(3));
            site.write(
                "site.toml",
                &format!(
                    "title = \"{title}\"\n[pagination]\nper_page = {}\n",
                    1 + rng.below(3)
                ),
            );
            touched.push("site.toml".into());
            format!("site.toml title {title}")
        }
        8 => {
            let folder = rng.pick(FOLDERS);
            let path = format!("content/{folder}/_index.md");
            if root.join(&path).exists() {
                std::fs::remove_file(root.join(&path)).unwrap();
                touched.push(path.clone());
                format!("remove {path}")
            } else {
                new_folder(&path, &mut touched);
                touched.push(path.clone());
                site.write(
                    &path,
                    &format!("---\ntitle: {folder} index\nsort_by: title\n---\nAbout {folder}.\n"),
                );
                format!("add {path}")
            }
        }
        12 => {
            // The data file the custom template reads, rewritten in another of its formats (the
            // old file removed) or with another label.
            let label = format!("{} {}", rng.pick(WORDS), rng.below(100));
            let toml = root.join("data/menu.toml").exists();
            let (from, to, text) = match rng.below(3) {
                0 if toml => (
                    "data/menu.toml",
                    "data/menu.json",
                    format!("{{\"label\": \"{label}\"}}"),
                ),
                0 => (
                    "data/menu.json",
                    "data/menu.toml",
                    format!("label = \"{label}\"\n"),
                ),
                _ if toml => (
                    "data/menu.toml",
                    "data/menu.toml",
                    format!("label = \"{label}\"\n"),
                ),
                _ => (
                    "data/menu.json",
                    "data/menu.json",
                    format!("{{\"label\": \"{label}\"}}"),
                ),
            };
            if from != to {
                std::fs::remove_file(root.join(from)).unwrap();
                touched.push(from.into());
            }
            site.write(to, &text);
            touched.push(to.into());
            format!("data {to}: {label}")
        }
        14 => {
            // The Sass file whose CSS the custom template links with a content hash.
            let colour = rng.pick(&["navy", "teal", "maroon"]);
            site.write(
                "sass/site.scss",
                &format!("@use \"parts/ink\";\nbody {{ color: {colour}; }}\n"),
            );
            touched.push("sass/site.scss".into());
            format!("sass colour {colour}")
        }
        13 => {
            // The CSV file the custom template loads by path: a row more or fewer.
            let rows = 1 + rng.below(4);
            let mut text = "name,year\n".to_string();
            for row in 0..rows {
                text.push_str(&format!("{},{}\n", rng.pick(WORDS), 1200 + row));
            }
            site.write("content/tables/years.csv", &text);
            touched.push("content/tables/years.csv".into());
            format!("table of {rows} rows")
        }
        _ => {
            model.counter += 1;
            let page = format!("content/{}/page {}.md", rng.pick(FOLDERS), model.counter);
            let title = format!("{} {}", rng.pick(WORDS), model.counter);
            new_folder(&page, &mut touched);
            site.write(&page, &page_text(rng, model, &title));
            model.pages.push(page.clone());
            touched.push(page.clone());
            format!("add {page}")
        }
    };
    (what, touched)
}

fn sorted(mut outputs: Vec<Output>) -> Vec<(String, Contents)> {
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    outputs.into_iter().map(|o| (o.path, o.contents)).collect()
}

fn run_sequence(seed: u64, steps: usize) {
    let site = Site::new("title = \"Site 0\"\n");
    site.write_bytes("content/pic.png", &png(900, 400));
    site.write(
        "templates/custom.html",
        "<main>{{ page.title }}: {{ page.content | safe }}</main><nav>{{ data.menu.label }}</nav>\
         <p>{{ load_data(path=\"content/tables/years.csv\") | length }} years</p>\
         <link href=\"{{ url(path=\"site.css\", cachebust=true) }}\">",
    );
    site.write(
        "sass/site.scss",
        "@use \"parts/ink\";\nbody { color: black; }\n",
    );
    site.write("sass/parts/_ink.scss", "$ink: #111;\n");
    site.write("data/menu.toml", "label = \"Start\"\n");
    site.write("content/tables/years.csv", "name,year\nsteppe,1206\n");
    site.write(
        "templates/shortcodes/badge.html",
        "<span class=\"badge\">{{ text }}</span>",
    );
    site.write(
        "templates/shortcodes/boxed.html",
        "<div class=\"boxed\"><p>{{ title }}</p>{{ body }}</div>",
    );
    site.write("templates/shortcodes/shout.md", "**{{ word }}!**");
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        ..BuildOptions::default()
    };
    let mut rng = Rng(seed | 1);
    let mut model = Model {
        pages: Vec::new(),
        counter: 0,
    };
    let mut rebuilder = Rebuilder::new(options.clone());
    let mut history = Vec::new();
    for _ in 0..steps {
        let (what, touched) = step(&mut rng, &site, &mut model);
        history.push(what);
        // What the watcher would report: the touched paths, canonical.
        let root = site.path().canonicalize().unwrap();
        let changed: Vec<_> = touched.iter().map(|p| root.join(p)).collect();
        let incremental = rebuilder.rebuild_changed(&changed).complete();
        let fresh = Rebuilder::new(options.clone()).rebuild().complete();
        assert_eq!(
            incremental.diagnostics, fresh.diagnostics,
            "seed {seed}: diagnostics differ after {history:#?}"
        );
        let (incremental, fresh) = (sorted(incremental.outputs), sorted(fresh.outputs));
        assert_eq!(
            incremental.iter().map(|o| &o.0).collect::<Vec<_>>(),
            fresh.iter().map(|o| &o.0).collect::<Vec<_>>(),
            "seed {seed}: different files after {history:#?}"
        );
        for (a, b) in incremental.iter().zip(&fresh) {
            assert!(
                a.1 == b.1,
                "seed {seed}: {} differs after {history:#?}",
                a.0
            );
        }
    }
}

#[test]
fn memoized_rebuilds_equal_clean_builds_after_random_edits() {
    match std::env::var("STEPPE_SEED") {
        Ok(seed) => run_sequence(seed.parse().expect("STEPPE_SEED is a number"), 60),
        Err(_) => {
            for seed in [1, 2, 3, 42, 2026] {
                run_sequence(seed, 25);
            }
        }
    }
}

/// Rebuilds after each edit equal a clean build: the edits of the named steps, in order.
/// Returns each step's diagnostics, printed.
fn replay(site: &Site, steps: &[(&str, &str)]) -> Vec<String> {
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        ..BuildOptions::default()
    };
    let mut rebuilder = Rebuilder::new(options.clone());
    rebuilder.rebuild();
    let mut printed = Vec::new();
    for (i, (path, text)) in steps.iter().enumerate() {
        site.write(path, text);
        let root = site.path().canonicalize().unwrap();
        let incremental = rebuilder.rebuild_changed(&[root.join(path)]).complete();
        let fresh = Rebuilder::new(options.clone()).rebuild().complete();
        assert_eq!(incremental.diagnostics, fresh.diagnostics, "step {i}");
        printed.push(fresh.diagnostics.iter().map(|d| format!("{d}\n")).collect());
        let (incremental, fresh) = (sorted(incremental.outputs), sorted(fresh.outputs));
        assert_eq!(incremental.len(), fresh.len(), "step {i}");
        for (a, b) in incremental.iter().zip(&fresh) {
            assert!(a.0 == b.0 && a.1 == b.1, "step {i}: {} differs", a.0);
        }
    }
    printed
}

#[test]
fn editing_a_block_embedded_elsewhere_updates_the_embedding_page() {
    let site = Site::new("title = \"Blocks\"\n");
    site.write(
        "content/a.md",
        "---\ntitle: A\n---\nQuoted:\n\n![[b#^idea]]\n",
    );
    site.write(
        "content/b.md",
        "---\ntitle: B\n---\nThe first idea. ^idea\n\nAnother paragraph.\n",
    );
    site.write(
        "content/c.md",
        "---\ntitle: C\n---\n## Part\n\nText.\n\n![[#Part]]\n",
    );
    replay(
        &site,
        &[
            // Only the embedded block's words change: nothing else a link sees.
            (
                "content/b.md",
                "---\ntitle: B\n---\nThe second idea. ^idea\n\nAnother paragraph.\n",
            ),
            // The block moves to another paragraph.
            (
                "content/b.md",
                "---\ntitle: B\n---\nThe second idea.\n\nAnother paragraph. ^idea\n",
            ),
            // A page embedding its own section changes that section.
            (
                "content/c.md",
                "---\ntitle: C\n---\n## Part\n\nOther text.\n\n![[#Part]]\n",
            ),
        ],
    );
}

/// With `[links] require_checklist_links`, an edit that turns a plain item into a task item
/// without a link changes no link, heading or front matter, yet the page now has a warning: the
/// rebuild reports it, as a clean build does, and drops it when the item is plain again.
#[test]
fn a_new_checklist_item_without_a_link_is_warned_about_on_rebuild() {
    let site = Site::new("title = \"Lists\"\n[links]\nrequire_checklist_links = true\n");
    site.write("content/why.md", "---\ntitle: Why\n---\nReasons.\n");
    let plain = "---\ntitle: List\nkind: checklist\n---\n- [ ] Linked: [[Why]]\n- Plain\n";
    site.write("content/list.md", plain);
    let printed = replay(
        &site,
        &[
            (
                "content/list.md",
                "---\ntitle: List\nkind: checklist\n---\n- [ ] Linked: [[Why]]\n- [ ] Plain\n",
            ),
            ("content/list.md", plain),
        ],
    );
    assert_eq!(
        printed,
        [
            "warning: checklist item links to no page\n --> content/list.md:6:3\n  |\n6 | - [ ] Plain\n  |   ^^^^^^^^^\n  |\n  = help: link the page that explains it, `[[Page]]` or `[text](page.md)`; site.toml's `[links] require_checklist_links` asks every item for one\n",
            "",
        ]
    );
}

/// A code block too costly to highlight is never remembered as highlighted, by the parse memo
/// or by the highlight memo that rebuilds share: every rebuild warns about it, as a clean build
/// does, whether its page was parsed again or not.
#[test]
fn a_block_too_costly_to_highlight_is_reported_on_every_rebuild() {
    let site = Site::new("title = \"Costly\"\n");
    let costly = |text: &str| {
        format!(
            "---\ntitle: Costly\n---\n{text}\n\n```ini\n{}\n```\n",
            " ".repeat(2_000)
        )
    };
    site.write("content/costly.md", &costly("First."));
    site.write("content/other.md", "---\ntitle: Other\n---\nOther.\n");
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        ..BuildOptions::default()
    };
    let mut rebuilder = Rebuilder::new(options.clone());
    let root = site.path().canonicalize().unwrap();
    let warned = |diagnostics: &[steppe::diagnostics::Diagnostic]| {
        diagnostics
            .iter()
            .filter(|d| {
                d.to_string().starts_with(
                    "warning: code block shown without highlighting: the `ini` grammar is too slow",
                )
            })
            .count()
    };
    assert_eq!(warned(&rebuilder.rebuild().complete().diagnostics), 1);
    // Another page changes (the costly page comes from the parse memo), then the costly page's
    // text around the block (parsed again, the block met again by the shared highlighter).
    for (path, text) in [
        (
            "content/other.md",
            "---\ntitle: Other\n---\nChanged.\n".to_string(),
        ),
        ("content/costly.md", costly("Second.")),
    ] {
        site.write(path, &text);
        let incremental = rebuilder.rebuild_changed(&[root.join(path)]).complete();
        let fresh = Rebuilder::new(options.clone()).rebuild().complete();
        assert_eq!(warned(&incremental.diagnostics), 1, "{path}");
        assert_eq!(incremental.diagnostics, fresh.diagnostics, "{path}");
    }
}

/// An edit of a data file re-renders the outputs whose templates read it, and only those: the
/// other pages are the previous build's bytes, the very same buffers, and every output still
/// equals a clean build's.
#[test]
fn a_data_file_edit_re_renders_only_the_pages_whose_templates_read_it() {
    let site = Site::new("title = \"Data\"\n");
    site.write(
        "templates/menu.html",
        "{% extends \"page.html\" %}{% block after_body %}<nav>{{ data.menu.label }}</nav>{% endblock after_body %}",
    );
    site.write("data/menu.toml", "label = \"Start\"\n");
    site.write("data/other.toml", "x = 1\n");
    site.write(
        "content/a.md",
        "---\ntitle: A\ntemplate: menu.html\n---\nA.\n",
    );
    site.write("content/b.md", "---\ntitle: B\n---\nB.\n");
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        ..BuildOptions::default()
    };
    let mut rebuilder = Rebuilder::new(options.clone());
    let mut before = sorted(rebuilder.rebuild().complete().outputs);
    let root = site.path().canonicalize().unwrap();
    let mut re_rendered = Vec::new();
    for (file, text) in [
        ("data/menu.toml", "label = \"Begin\"\n"),
        ("data/other.toml", "x = 2\n"),
    ] {
        site.write(file, text);
        let after = sorted(
            rebuilder
                .rebuild_changed(&[root.join(file)])
                .complete()
                .outputs,
        );
        let fresh = sorted(Rebuilder::new(options.clone()).rebuild().complete().outputs);
        assert!(
            after == fresh,
            "{file}: the rebuild differs from a clean build"
        );
        let changed: Vec<&str> = after
            .iter()
            .filter(|(path, contents)| {
                let previous = before.iter().find(|(p, _)| p == path).map(|(_, c)| c);
                match (previous, contents) {
                    (Some(Contents::Bytes(old)), Contents::Bytes(new)) => {
                        path.ends_with(".html") && old.as_ptr() != new.as_ptr()
                    }
                    _ => false,
                }
            })
            .map(|(path, _)| path.as_str())
            .collect();
        re_rendered.push(format!("{file}: {changed:?}"));
        before = after;
    }
    assert_eq!(
        re_rendered,
        [
            "data/menu.toml: [\"a/index.html\"]",
            // A file no template reads re-renders nothing.
            "data/other.toml: []"
        ]
    );
}

/// A shortcode template edit renders again exactly the pages that call it: every other page is
/// the previous rebuild's, the very same bytes (outputs share their buffers with the memo).
#[test]
fn a_shortcode_edit_renders_only_the_pages_calling_it() {
    let site = Site::new("title = \"Site\"\n");
    site.write("templates/shortcodes/badge.html", "<b>{{ text }}</b>");
    site.write(
        "content/calls.md",
        "---\ntitle: Calls\n---\nA {{ badge(text=\"x\") }} here.\n",
    );
    site.write("content/plain.md", "---\ntitle: Plain\n---\nNo calls.\n");
    site.write(
        "content/other.md",
        "---\ntitle: Other\n---\n{{ quote(text=\"A proverb.\") }}\n",
    );
    let options = BuildOptions {
        root: site.path().to_path_buf(),
        ..BuildOptions::default()
    };
    let mut rebuilder = Rebuilder::new(options.clone());
    let before = sorted(rebuilder.rebuild().complete().outputs);
    site.write("templates/shortcodes/badge.html", "<mark>{{ text }}</mark>");
    let root = site.path().canonicalize().unwrap();
    let after = rebuilder
        .rebuild_changed(&[root.join("templates/shortcodes/badge.html")])
        .complete();
    let fresh = sorted(Rebuilder::new(options).rebuild().complete().outputs);
    let after = sorted(after.outputs);
    assert_eq!(after, fresh);
    let rendered_again: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(a, _)| a.0.ends_with(".html"))
        .filter(|(a, b)| match (&a.1, &b.1) {
            (Contents::Bytes(a), Contents::Bytes(b)) => a.as_ptr() != b.as_ptr(),
            _ => false,
        })
        .map(|(a, _)| a.0.as_str())
        .collect();
    // The page, and the listing showing its summary.
    assert_eq!(rendered_again, ["calls/index.html", "index.html"]);
    let page = after.iter().find(|o| o.0 == "calls/index.html").unwrap();
    let Contents::Bytes(bytes) = &page.1 else {
        panic!("a page is bytes")
    };
    assert!(String::from_utf8_lossy(bytes).contains("<p>A <mark>x</mark> here.</p>"));
}
