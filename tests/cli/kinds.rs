//! Page kinds and their templates, the timeline page, and the flagship site in both themes: what
//! a reader gets in the HTML.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{REPO, Site, assert_valid_html};

/// The text between `start` and the next `end` after it, or a panic naming what is missing.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no `{start}` in:\n{html}"));
    let rest = &html[from..];
    let to = rest
        .find(end)
        .unwrap_or_else(|| panic!("no `{end}` after `{start}`"));
    &rest[..to + end.len()]
}

#[test]
fn each_kind_gets_its_own_template() {
    let site = Site::fixture("kinds");
    site.build_ok();

    // Essay: reading time first, a table of contents, footnotes, backlinks.
    let essay = site.read("public/essays/small/index.html");
    assert!(essay.contains(r#"<body class="kind-essay">"#), "{essay}");
    assert!(
        essay.contains("<span><strong>1 min read</strong></span><span>27 words</span>"),
        "{essay}"
    );
    let toc = between(&essay, r#"<nav class="toc""#, "</nav>");
    assert!(
        toc.contains(r##"<a href="#why-size-matters">Why size matters</a>"##),
        "{toc}"
    );
    assert!(essay.contains(r#"class="footnotes""#), "{essay}");

    // Case study: the fact box, era as readers write it, strengths as links, a timeline link.
    let case = site.read("public/case-studies/phoenicians/index.html");
    let facts = between(&case, r#"<aside class="facts""#, "</aside>");
    for expected in [
        r#"<dt>Era</dt><dd><span class="era">1200–332 BCE</span> · <a href="/timeline/#case-studies-phoenicians">on the timeline</a></dd>"#,
        "<dt>Region</dt><dd>Levant and the Mediterranean</dd>",
        "<dt>People</dt><dd>Hiram I, Elissa</dd>",
        r#"<li><a href="/checklists/adaptability/">Adaptability</a></li>"#,
    ] {
        assert!(facts.contains(expected), "{expected} not in {facts}");
    }
    let roman = site.read("public/case-studies/augustus/index.html");
    assert!(roman.contains(r#"<span class="era">27 BCE–14 CE</span>"#));
    let dutch = site.read("public/case-studies/dutch/index.html");
    assert!(dutch.contains(r#"<span class="era">1602–1799 CE</span>"#));
    assert!(!dutch.contains("<dt>People</dt>"), "no people, no row");

    // Checklist: the progress panel is there but hidden until the script runs; backlinks lead
    // back to the case study and the essay.
    let checklist = site.read("public/checklists/adaptability/index.html");
    let panel = between(&checklist, r#"<div class="checklist-progress""#, "</div>");
    assert!(panel.contains(" hidden>"), "{panel}");
    assert!(panel.contains(r#"<progress id="checklist-bar""#), "{panel}");
    assert!(
        panel.contains(
            r#"<button type="button" class="button" id="checklist-reset">Reset</button>"#
        ),
        "{panel}"
    );
    let backlinks = between(&checklist, r#"<section class="backlinks""#, "</section>");
    assert!(
        backlinks.contains(r#"<a href="/case-studies/phoenicians/">Phoenician traders</a>"#),
        "{backlinks}"
    );
    assert!(
        backlinks.contains(r#"<a href="/essays/small/">Small is fast</a>"#),
        "{backlinks}"
    );
}

#[test]
fn timeline_places_every_case_study_by_era() {
    let site = Site::fixture("kinds");
    site.build_ok();
    let html = site.read("public/timeline/index.html");
    assert!(
        html.contains("<title>Timeline · Kinds</title>"),
        "{}",
        between(&html, "<title>", "</title>")
    );
    // Earliest first; bars placed in percent of an axis from 1500 BCE to 2000 CE.
    let entries = between(&html, r#"<ol class="timeline-entries">"#, "</ol>");
    let order: Vec<usize> = [
        "Phoenician traders",
        "Roman river traders",
        "Dutch herring fleets",
    ]
    .iter()
    .map(|t| {
        entries
            .find(t)
            .unwrap_or_else(|| panic!("{t} not in {entries}"))
    })
    .collect();
    assert!(order.is_sorted(), "{entries}");
    assert!(
        entries.contains(
            r#"<li class="timeline-entry" id="case-studies-phoenicians" style="--start: 8.57%; --width: 24.84%">"#
        ),
        "{entries}"
    );
    assert!(entries.contains(
        r#"<a class="timeline-title" href="/case-studies/augustus/">Roman river traders</a>"#
    ));
    assert!(entries.contains(r#"<span class="timeline-era era">27 BCE–14 CE</span>"#));
    assert!(entries.contains(r#"<span class="timeline-region">North Sea</span>"#));
    let axis = between(&html, r#"<div class="timeline-axis""#, "</div>");
    assert!(
        axis.contains(r#"<span class="timeline-tick" style="--at: 0.0%">1500 BCE</span>"#)
            || axis.contains(r#"<span class="timeline-tick" style="--at: 0%">1500 BCE</span>"#),
        "{axis}"
    );
    assert!(
        axis.contains(">1 CE</span>") && axis.contains(">2000 CE</span>"),
        "{axis}"
    );

    // Reached from the main navigation and from the case-study section.
    let home = site.read("public/index.html");
    assert!(home.contains(r#"<li><a href="/timeline/">Timeline</a></li>"#));
    let section = site.read("public/case-studies/index.html");
    assert!(section.contains(r#"<a href="/timeline/">See them all on the timeline</a>"#));
    assert!(
        site.read("public/sitemap.xml")
            .contains("<loc>https://example.com/timeline/</loc>")
    );
}

#[test]
fn no_timeline_without_case_studies_and_an_error_when_a_page_wants_its_url() {
    let site = Site::fixture("kinds");
    site.write(
        "content/timeline.md",
        "---\ntitle: My own timeline\n---\nHand-made.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(
        run.stderr,
        "error: `content/timeline.md` and the timeline both want /timeline/\n --> content/timeline.md:2:1\n  |\n2 | title: My own timeline\n  | ^^^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: rename the file or give it another `slug:`; the timeline is generated there: the theme's `timeline.html` template writes it for case studies\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert_eq!(run.code, 1);
    // Without case studies there is no timeline, and the URL is the author's.
    for case in ["phoenicians", "augustus", "dutch"] {
        site.write(
            &format!("content/case-studies/{case}.md"),
            "---\ntitle: Just a note\nkind: note\n---\nText.\n",
        );
    }
    site.build_ok();
    assert!(
        site.read("public/timeline/index.html")
            .contains("Hand-made.")
    );

    // The case studies turned into notes: nothing to place on a timeline.
    let site = Site::fixture("kinds");
    for case in ["phoenicians", "augustus", "dutch"] {
        site.write(
            &format!("content/case-studies/{case}.md"),
            "---\ntitle: Just a note\nkind: note\n---\nText.\n",
        );
    }
    site.build_ok();
    assert!(!site.exists("public/timeline/index.html"));
    assert!(!site.read("public/index.html").contains("Timeline"));
}

/// Builds the flagship site at the repository root with `theme` into `dir/public`, asserting
/// success without warnings; returns the output folder.
pub fn build_flagship(dir: &Path, theme: &str, base_url: Option<&str>) -> PathBuf {
    let config = std::fs::read_to_string(Path::new(REPO).join("site.toml")).unwrap();
    assert!(config.contains("\ntheme = \"steppe\"\n"), "{config}");
    std::fs::create_dir_all(dir).unwrap();
    let config_file = dir.join("site.toml");
    std::fs::write(
        &config_file,
        config.replace(
            "\ntheme = \"steppe\"\n",
            &format!("\ntheme = \"{theme}\"\n"),
        ),
    )
    .unwrap();
    let public = dir.join("public");
    let mut command = Command::new(env!("CARGO_BIN_EXE_steppe"));
    command
        .arg("--config")
        .arg(&config_file)
        .args(["build", "--output-dir"])
        .arg(&public)
        .current_dir(REPO)
        .env("NO_COLOR", "1");
    if let Some(url) = base_url {
        command.args(["--base-url", url]);
    }
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "theme {theme}: {stderr}");
    assert!(stderr.is_empty(), "theme {theme} warns:\n{stderr}");
    public
}

/// Pages of an output folder: every `index.html`, relative.
fn pages(public: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(public)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "index.html")
        .map(|e| e.path().strip_prefix(public).unwrap().display().to_string())
        .collect();
    pages.sort();
    pages
}

/// Both themes build the flagship site; the pages are the same, the look is not; the W3C Nu
/// checker finds no error in either.
#[test]
fn flagship_site_in_both_themes_is_valid_html() {
    let dir = tempfile::tempdir().unwrap();
    let steppe = build_flagship(&dir.path().join("steppe"), "steppe", None);
    let ledger = build_flagship(&dir.path().join("ledger"), "ledger", None);

    // The same content pages; steppe adds its search page and link graph.
    let ledger_pages = pages(&ledger);
    let steppe_pages: Vec<String> = pages(&steppe)
        .into_iter()
        .filter(|p| p != "search/index.html" && p != "graph/index.html")
        .collect();
    assert_eq!(steppe_pages, ledger_pages);
    assert!(ledger_pages.contains(&"timeline/index.html".to_string()));

    let page = "case-studies/mongol-horse-archers/index.html";
    let a = std::fs::read_to_string(steppe.join(page)).unwrap();
    let b = std::fs::read_to_string(ledger.join(page)).unwrap();
    assert!(a.contains(r#"href="/style.css""#) && a.contains("theme.js"));
    assert!(a.contains(r#"<span class="era">1206–1368 CE</span>"#));
    assert!(
        b.contains(r#"href="/ledger.css""#) && !b.contains("<script"),
        "{b}"
    );
    assert!(
        b.contains("<tr><th scope=\"row\">Era</th><td>1206–1368 CE</td></tr>"),
        "{b}"
    );
    assert!(!ledger.join("style.css").exists() && !steppe.join("ledger.css").exists());

    assert_valid_html(&[&steppe, &ledger]);
}

/// Link previews, search engines and feed readers: canonical URL, Open Graph and Twitter cards,
/// the feed, all with absolute URLs; no stylesheet, script or font from another host.
#[test]
fn pages_carry_canonical_open_graph_twitter_and_feed_links() {
    let site = Site::fixture("kinds");
    site.build_ok();
    let html = site.read("public/case-studies/phoenicians/index.html");
    let head = between(&html, "<head>", "</head>");
    for expected in [
        r#"<link rel="canonical" href="https://example.com/case-studies/phoenicians/">"#,
        r#"<meta property="og:title" content="Phoenician traders">"#,
        r#"<meta property="og:type" content="article">"#,
        r#"<meta property="og:url" content="https://example.com/case-studies/phoenicians/">"#,
        r#"<meta property="og:description" content="City-states that traded across the whole Mediterranean.">"#,
        r#"<meta name="twitter:card" content="summary">"#,
        r#"<meta name="twitter:title" content="Phoenician traders">"#,
        r#"<link rel="alternate" type="application/atom+xml" title="Kinds" href="/atom.xml">"#,
    ] {
        assert!(head.contains(expected), "{expected} not in {head}");
    }
    for file in site.files("public") {
        // mermaid's bundle holds these as strings of its CSS parser ("@import"); that it loads
        // nothing from another host is checked where it runs, by browser::mermaid_diagrams_….
        if file.starts_with("vendor/") {
            continue;
        }
        if file.ends_with(".html") || file.ends_with(".css") || file.ends_with(".js") {
            let text = site.read(&format!("public/{file}"));
            for external in ["src=\"http", "href=\"//", "url(http", "@import"] {
                assert!(!text.contains(external), "{file} loads `{external}…`");
            }
        }
    }
    let timeline = site.read("public/timeline/index.html");
    assert!(timeline.contains(r#"<link rel="canonical" href="https://example.com/timeline/">"#));
}
