//! Page kinds and their templates, the timeline page, and the flagship site in both themes: what
//! a reader gets in the HTML.

use std::path::{Path, PathBuf};
use std::process::Command;

use insta::assert_snapshot;

use crate::support::{
    REPO, Site, assert_valid_html, element, elements, hashes_hidden, start_tag, whole,
};

#[test]
fn each_kind_gets_its_own_template() {
    let site = Site::fixture("kinds");
    site.build().succeeds_silently();

    // Essay: reading time first, a table of contents, footnotes, backlinks.
    let essay = site.read("public/essays/small/index.html");
    assert_snapshot!(start_tag(&essay, "<body"), @r#"<body class="kind-essay">"#);
    assert_snapshot!(element(&essay, "<p class=\"meta\""), @r#"
    <p class="meta" data-pagefind-ignore><span><strong>1 min read</strong></span><span>27 words</span><span>Published <time datetime="2026-01-10T00:00:00Z">10 January 2026</time></span>
        </p>
    "#);
    assert_snapshot!(element(&essay, "<nav class=\"toc\""), @r##"
    <nav class="toc" aria-label="Table of contents" data-pagefind-ignore="all">
          <h2 class="toc-title">Contents</h2>
          <ol>
    <li><a href="#why-size-matters">Why size matters</a></li>
    <li><a href="#what-to-do">What to do</a></li>
    </ol>
        </nav>
    "##);
    assert_snapshot!(element(&essay, "<section class=\"footnotes\""), @r##"
    <section class="footnotes" aria-label="Footnotes">
    <ol>
    <li id="fn-speed">
    <p>Measured in days, not quarters. <a href="#fnref-speed" class="footnote-backref" aria-label="Back to reference 1">↩</a></p>
    </li>
    </ol>
    </section>
    "##);

    // Case study: the fact box, era as readers write it, strengths as links, a timeline link.
    let case = site.read("public/case-studies/phoenicians/index.html");
    assert_snapshot!(element(&case, "<aside class=\"facts\""), @r#"
    <aside class="facts" aria-labelledby="facts-title">
        <h2 class="facts-title" id="facts-title">At a glance</h2>
        <dl>
          <div><dt>Era</dt><dd><span class="era">1200–332 BCE</span> · <a href="/timeline/#case-studies-phoenicians">on the timeline</a></dd></div>
          <div><dt>Region</dt><dd>Levant and the Mediterranean</dd></div>
          <div><dt>People</dt><dd>Hiram I, Elissa</dd></div>
          <div><dt>Strengths shown</dt><dd><ul class="inline-list"><li><a href="/checklists/adaptability/">Adaptability</a></li></ul></dd></div>
        </dl>
      </aside>
    "#);
    let roman = site.read("public/case-studies/augustus/index.html");
    assert_snapshot!(element(&roman, "<span class=\"era\">"), @r#"<span class="era">27 BCE–14 CE</span>"#);
    // No people, no row.
    let dutch = site.read("public/case-studies/dutch/index.html");
    assert_snapshot!(element(&dutch, "<aside class=\"facts\""), @r#"
    <aside class="facts" aria-labelledby="facts-title">
        <h2 class="facts-title" id="facts-title">At a glance</h2>
        <dl>
          <div><dt>Era</dt><dd><span class="era">1602–1799 CE</span> · <a href="/timeline/#case-studies-dutch">on the timeline</a></dd></div>
          <div><dt>Region</dt><dd>North Sea</dd></div>
          <div><dt>Strengths shown</dt><dd><ul class="inline-list"><li><a href="/checklists/adaptability/">Adaptability</a></li></ul></dd></div>
        </dl>
      </aside>
    "#);

    // Checklist: the progress panel is there but hidden until the script runs; backlinks lead
    // back to the case study and the essay.
    let checklist = site.read("public/checklists/adaptability/index.html");
    assert_snapshot!(element(&checklist, "<div class=\"checklist-progress\""), @r#"
    <div class="checklist-progress" id="checklist-progress" data-pagefind-ignore="all" hidden>
        <p class="checklist-count" id="checklist-count" role="status"></p>
        <progress id="checklist-bar" max="1" value="0" aria-labelledby="checklist-count"></progress>
        <button type="button" class="button" id="checklist-reset">Reset</button>
      </div>
    "#);
    assert_snapshot!(element(&checklist, "<section class=\"backlinks\""), @r#"
    <section class="backlinks" aria-label="Linked from">
    <h2>Linked from</h2>
    <ul>
    <li><a href="/case-studies/phoenicians/">Phoenician traders</a><p class="link-context">They sailed where others would not. See the adaptability checklist.</p></li>
    <li><a href="/essays/small/">Small is fast</a><p class="link-context">Tick the adaptability checklist.</p></li>
    </ul>
    </section>
    "#);
}

#[test]
fn timeline_places_every_case_study_by_era() {
    let site = Site::fixture("kinds");
    site.build().succeeds_silently();
    let html = site.read("public/timeline/index.html");
    assert_snapshot!(element(&html, "<title>"), @"<title>Timeline · Kinds</title>");
    // Earliest first; bars placed in percent of an axis from 1500 BCE to 2000 CE.
    assert_snapshot!(element(&html, "<div class=\"timeline-axis\""), @r#"
    <div class="timeline-axis" aria-hidden="true">
        <span class="timeline-tick" style="--at: 0.0%">1500 BCE</span>
        <span class="timeline-tick" style="--at: 14.29%">1000 BCE</span>
        <span class="timeline-tick" style="--at: 28.58%">500 BCE</span>
        <span class="timeline-tick" style="--at: 42.87%">1 CE</span>
        <span class="timeline-tick" style="--at: 57.13%">500 CE</span>
        <span class="timeline-tick" style="--at: 71.42%">1000 CE</span>
        <span class="timeline-tick" style="--at: 85.71%">1500 CE</span>
        <span class="timeline-tick" style="--at: 100.0%">2000 CE</span>
      </div>
    "#);
    assert_snapshot!(element(&html, "<ol class=\"timeline-entries\">"), @r#"
    <ol class="timeline-entries">
        <li class="timeline-entry" id="case-studies-phoenicians" style="--start: 8.57%; --width: 24.84%">
          <span class="timeline-bar" aria-hidden="true"></span>
          <a class="timeline-title" href="/case-studies/phoenicians/">Phoenician traders</a>
          <span class="timeline-era era">1200–332 BCE</span><span class="timeline-region">Levant and the Mediterranean</span>
        </li>
        <li class="timeline-entry" id="case-studies-augustus" style="--start: 42.1%; --width: 1.17%">
          <span class="timeline-bar" aria-hidden="true"></span>
          <a class="timeline-title" href="/case-studies/augustus/">Roman river traders</a>
          <span class="timeline-era era">27 BCE–14 CE</span><span class="timeline-region">Rhine and Danube</span>
        </li>
        <li class="timeline-entry" id="case-studies-dutch" style="--start: 88.63%; --width: 5.66%">
          <span class="timeline-bar" aria-hidden="true"></span>
          <a class="timeline-title" href="/case-studies/dutch/">Dutch herring fleets</a>
          <span class="timeline-era era">1602–1799 CE</span><span class="timeline-region">North Sea</span>
        </li>
      </ol>
    "#);

    // Reached from the main navigation and from the case-study section.
    let home = site.read("public/index.html");
    assert_snapshot!(element(&home, "<nav class=\"site-nav\""), @r#"
    <nav class="site-nav" aria-label="Main">
          <ul>
            <li><a href="/case-studies/">Case studies</a></li>
            <li><a href="/checklists/">Checklists</a></li>
            <li><a href="/essays/">Essays</a></li>
            <li><a href="/timeline/">Timeline</a></li>
            <li><a href="/graph/">Graph</a></li>
          </ul>
        </nav>
    "#);
    let section = site.read("public/case-studies/index.html");
    assert_snapshot!(element(&section, "<header class=\"page-header\""), @r#"
    <header class="page-header" data-pagefind-body>
      <h1 data-pagefind-meta="title">Case studies</h1>
      <p class="meta" data-pagefind-ignore><span>3 pages</span><a href="/timeline/">See them all on the timeline</a></p>
    </header>
    "#);
    assert_snapshot!(whole(&site.read("public/sitemap.xml"), "\n"), @r#"
    <?xml version="1.0" encoding="UTF-8"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url>
        <loc>https://example.com/case-studies/augustus/</loc>
      </url>
      <url>
        <loc>https://example.com/case-studies/dutch/</loc>
      </url>
      <url>
        <loc>https://example.com/case-studies/</loc>
      </url>
      <url>
        <loc>https://example.com/case-studies/phoenicians/</loc>
      </url>
      <url>
        <loc>https://example.com/checklists/adaptability/</loc>
      </url>
      <url>
        <loc>https://example.com/checklists/</loc>
      </url>
      <url>
        <loc>https://example.com/essays/</loc>
      </url>
      <url>
        <loc>https://example.com/essays/small/</loc>
        <lastmod>2026-01-10T00:00:00Z</lastmod>
      </url>
      <url>
        <loc>https://example.com/explorer/</loc>
      </url>
      <url>
        <loc>https://example.com/graph/</loc>
      </url>
      <url>
        <loc>https://example.com/</loc>
      </url>
      <url>
        <loc>https://example.com/timeline/</loc>
      </url>
    </urlset>
    "#);
}

#[test]
fn a_page_at_timeline_is_an_error_and_without_case_studies_there_is_no_timeline() {
    let site = Site::fixture("kinds").with_file(
        "content/timeline.md",
        "---\ntitle: My own timeline\n---\nHand-made.\n",
    );
    assert_snapshot!(site.build().fails(), @"
    error: `content/timeline.md` and the timeline both want /timeline/
     --> content/timeline.md:2:1
      |
    2 | title: My own timeline
      | ^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: rename the file or give it another `slug:`; the timeline is generated there: the theme's `timeline.html` template writes it for case studies

    error: build failed with 1 error; nothing was written
    ");

    // The case studies turned into notes: nothing to place on a timeline. (Then the URL is an
    // author's: `notes::an_authors_page_takes_a_generated_url_where_nothing_is_generated`.)
    let site = Site::fixture("kinds");
    for case in ["phoenicians", "augustus", "dutch"] {
        site.write(
            &format!("content/case-studies/{case}.md"),
            "---\ntitle: Just a note\nkind: note\n---\nText.\n",
        );
    }
    site.build().succeeds_silently();
    assert!(!site.exists("public/timeline/index.html"));
    assert!(!site.read("public/index.html").contains("Timeline"));
}

/// Builds the flagship site at the repository root with `theme` into `dir/public`, asserting
/// success without warnings; returns the output folder.
pub(crate) fn build_flagship(dir: &Path, theme: &str, base_url: Option<&str>) -> PathBuf {
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

    // The same content pages; steppe adds its search page, link graph, explorer and link
    // previews (of the pages other pages link to: here all of them).
    let ledger_pages = pages(&ledger);
    let previews: Vec<String> = pages(&steppe)
        .into_iter()
        .filter(|p| p.starts_with("_preview/"))
        .collect();
    assert_eq!(previews.len(), 17);
    let steppe_pages: Vec<String> = pages(&steppe)
        .into_iter()
        .filter(|p| {
            ![
                "search/index.html",
                "graph/index.html",
                "explorer/index.html",
            ]
            .contains(&p.as_str())
                && !p.starts_with("_preview/")
        })
        .collect();
    assert_eq!(steppe_pages, ledger_pages);
    assert!(ledger_pages.contains(&"timeline/index.html".to_string()));

    let page = "case-studies/mongol-horse-archers/index.html";
    let a = std::fs::read_to_string(steppe.join(page)).unwrap();
    let b = std::fs::read_to_string(ledger.join(page)).unwrap();
    // Each theme's own stylesheets and scripts (ledger has none), and its way to show an era.
    let assets = |html: &str| {
        let mut tags = elements(html, "<link rel=\"stylesheet\"");
        tags.extend(elements(html, "<script"));
        tags.join("\n")
    };
    assert_snapshot!(hashes_hidden(&assets(&a)), @r#"
    <link rel="stylesheet" href="/style.css?h=…">
    <link rel="stylesheet" href="/syntax.css">
    <script>document.documentElement.className="js";try{var t=localStorage.getItem("steppe-theme");if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}</script>
    <script src="/theme.js?h=…" defer></script>
    "#);
    assert_snapshot!(element(&a, "<span class=\"era\">"), @r#"<span class="era">1206–1368 CE</span>"#);
    assert_snapshot!(hashes_hidden(&assets(&b)), @r#"<link rel="stylesheet" href="/ledger.css?h=…">"#);
    assert!(!b.contains("<script"), "{b}");
    assert_snapshot!(element(&b, "<tr><th scope=\"row\">Era<"), @r#"<tr><th scope="row">Era</th><td>1206–1368 CE</td></tr>"#);
    assert!(!ledger.join("style.css").exists() && !steppe.join("ledger.css").exists());
    // The default theme's timeline lists the milestones of the site's data/milestones.toml,
    // each linked to its case study by title.
    let timeline = std::fs::read_to_string(steppe.join("timeline/index.html")).unwrap();
    let milestones = element(&timeline, "<section class=\"timeline-milestones\"");
    assert_eq!(milestones.matches("<li>").count(), 7, "{milestones}");
    assert_snapshot!(elements(milestones, "<li>")[3], @r#"
    <li>
          <span class="era">1206 CE</span>
          <strong>Temüjin is proclaimed Chinggis Khan.</strong> An assembly of the steppe peoples names him ruler; he organises his followers on a decimal system. <a href="/case-studies/mongol-horse-archers/">Mongol horse archers</a>
        </li>
    "#);

    assert_valid_html(&[&steppe, &ledger]);
}

/// Link previews, search engines and feed readers: canonical URL, Open Graph and Twitter cards,
/// the feed, all with absolute URLs; no stylesheet, script or font from another host.
#[test]
fn pages_carry_canonical_open_graph_twitter_and_feed_links() {
    let site = Site::fixture("kinds");
    site.build().succeeds_silently();
    let html = site.read("public/case-studies/phoenicians/index.html");
    assert_snapshot!(hashes_hidden(element(&html, "<head>")), @r#"
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Phoenician traders · Kinds</title>
    <meta name="description" content="City-states that traded across the whole Mediterranean.">
    <link rel="canonical" href="https://example.com/case-studies/phoenicians/">
    <meta name="color-scheme" content="light dark">
    <meta name="generator" content="steppe 0.1.0">
    <meta property="og:site_name" content="Kinds">
    <meta property="og:title" content="Phoenician traders">
    <meta property="og:type" content="article">
    <meta property="og:url" content="https://example.com/case-studies/phoenicians/">
    <meta property="og:description" content="City-states that traded across the whole Mediterranean.">
    <meta name="twitter:card" content="summary">
    <meta name="twitter:title" content="Phoenician traders">
    <meta name="twitter:description" content="City-states that traded across the whole Mediterranean.">
    <link rel="alternate" type="application/atom+xml" title="Kinds" href="/atom.xml">
    <link rel="icon" href="/favicon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="/style.css?h=…">
    <link rel="stylesheet" href="/syntax.css">
    <script>document.documentElement.className="js";try{var t=localStorage.getItem("steppe-theme");if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}</script>
    <script src="/theme.js?h=…" defer></script>

    </head>
    "#);
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
    assert_snapshot!(hashes_hidden(element(&timeline, "<head>")), @r#"
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Timeline · Kinds</title>
    <meta name="description" content="The 3 case studies of Kinds on one axis, 1500 BCE–2000 CE.">
    <link rel="canonical" href="https://example.com/timeline/">
    <meta name="color-scheme" content="light dark">
    <meta name="generator" content="steppe 0.1.0">
    <meta property="og:site_name" content="Kinds">
    <meta property="og:title" content="Timeline · Kinds">
    <meta property="og:type" content="website">
    <meta property="og:url" content="https://example.com/timeline/">
    <meta property="og:description" content="The 3 case studies of Kinds on one axis, 1500 BCE–2000 CE.">
    <meta name="twitter:card" content="summary">
    <meta name="twitter:title" content="Timeline · Kinds">
    <meta name="twitter:description" content="The 3 case studies of Kinds on one axis, 1500 BCE–2000 CE.">
    <link rel="alternate" type="application/atom+xml" title="Kinds" href="/atom.xml">
    <link rel="icon" href="/favicon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="/style.css?h=…">
    <link rel="stylesheet" href="/syntax.css">
    <script>document.documentElement.className="js";try{var t=localStorage.getItem("steppe-theme");if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}</script>
    <script src="/theme.js?h=…" defer></script>

    </head>
    "#);
}
