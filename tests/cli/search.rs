//! The search stage end to end: the Pagefind bundle and the search page in the built site, and
//! `[search] enabled = false`.

use insta::assert_snapshot;

use crate::support::{Site, element, prose, start_tag};

#[test]
fn search_bundle_and_page_are_built() {
    let site = Site::fixture("search");
    let run = site.run(&["build", "--timings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(" ms, search ") && run.stdout.contains(" ms, write "),
        "{}",
        run.stdout
    );
    let files = site.files("public");
    for expected in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "pagefind/pagefind-worker.js",
        "search/index.html",
        "search.js",
    ] {
        assert!(
            files.contains(&expected.to_string()),
            "missing {expected} in {files:#?}"
        );
    }
    assert!(
        files.iter().any(|f| f.starts_with("pagefind/wasm.")),
        "{files:#?}"
    );
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("pagefind/index/") && f.ends_with(".pf_index")),
        "{files:#?}"
    );
    // One fragment per indexed page: the three pages, the home page and the two sections.
    // Term pages, taxonomy lists, the 404 page and the search page carry no data-pagefind-body.
    let fragments = files
        .iter()
        .filter(|f| f.starts_with("pagefind/fragment/"))
        .count();
    assert_eq!(fragments, 6, "{files:#?}");

    let search = site.read("public/search/index.html");
    assert_snapshot!(element(&search, "<main"), @r#"
    <main id="main" class="wrap" tabindex="-1">

    <header class="page-header">
      <h1>Search</h1>
    </header>
    <form class="search-form" id="search-form" role="search" action="/docs/search/" method="get" data-pagefind="/docs/pagefind/pagefind.js">
      <label for="search-input">Search Search Fixture</label>
      <div class="search-row">
        <input type="search" id="search-input" name="q" autocomplete="off" spellcheck="false" enterkeyhint="search">
        <button type="submit">Search</button>
      </div>
    </form>
    <noscript>
      <p class="search-note">Search runs in your browser and needs JavaScript, which is turned off. You can still browse the sections (<a href="/docs/essays/">Essays</a>, <a href="/docs/notes/">notes</a>) or the <a href="/docs/tags/">tags</a>.</p>
    </noscript>
    <p class="search-status" id="search-status" role="status" aria-live="polite"></p>
    <ol class="search-results" id="search-results"></ol>
    <button type="button" class="search-more" id="search-more" hidden>More results</button>

    </main>
    "#);
    // Cache-busted: the query is a hash of the file's bytes, 16 hexadecimal digits.
    let script = element(&search, "<script src=\"/docs/search.js?h=");
    let hash = script
        .strip_prefix("<script src=\"/docs/search.js?h=")
        .and_then(|rest| rest.strip_suffix("\" defer></script>"))
        .unwrap_or_else(|| panic!("{script}"));
    assert!(
        hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{script}"
    );
    assert_eq!(
        element(&search, "<meta name=\"robots\""),
        "<meta name=\"robots\" content=\"noindex\">"
    );
    assert!(!search.contains("data-pagefind-body"), "{search}");

    let horses = site.read("public/essays/horses/index.html");
    assert_snapshot!(element(&horses, "<form class=\"site-search\""), @r#"
    <form class="site-search" role="search" action="/docs/search/" method="get">
          <label class="visually-hidden" for="site-search-q">Search</label>
          <input type="search" id="site-search-q" name="q" placeholder="Search" autocomplete="off">
        </form>
    "#);
    assert_snapshot!(start_tag(&horses, "<article"), @r#"<article class="page page-note" data-pagefind-body>"#);
    assert_snapshot!(element(&horses, "<h1"), @r#"<h1 data-pagefind-meta="title">Horses of the steppe</h1>"#);
    assert!(
        !site.read("public/sitemap.xml").contains("/search/"),
        "the search page is not worth crawling"
    );
    // The 404 page offers search.
    assert_snapshot!(prose(&site.read("public/404.html")), @r#"
    <p>Try one of these instead:</p>
      <ul>
        <li><a href="/docs/">The home page of Search Fixture</a></li>
        <li><a href="/docs/search/">Search Search Fixture</a></li>
        <li><a href="/docs/essays/">Essays</a></li>
        <li><a href="/docs/notes/">notes</a></li>
        <li><a href="/docs/tags/">All tags</a></li>
      </ul>
    "#);
}

#[test]
fn search_can_be_switched_off() {
    let site = Site::fixture("search");
    let toml = site.read("site.toml") + "\n[search]\nenabled = false\n";
    site.write("site.toml", &toml);
    let run = site.run(&["build", "--timings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(" search 0.0 ms,"), "{}", run.stdout);
    let files = site.files("public");
    assert!(
        !files.iter().any(|f| f.starts_with("pagefind/")),
        "{files:#?}"
    );
    assert!(!site.exists("public/search/index.html"), "{files:#?}");
    let home = site.read("public/index.html");
    assert!(!home.contains("site-search"), "{home}");
}

#[test]
fn a_content_page_at_search_is_an_error_while_search_is_on() {
    // Below the base URL's path. (With search off the URL is an author's:
    // `notes::an_authors_page_takes_a_generated_url_where_nothing_is_generated`.)
    let site = Site::fixture("search").with_file(
        "content/search.md",
        "---\ntitle: Finding things\n---\nOur own search page.\n",
    );
    assert_snapshot!(site.build().fails(), @"
    error: `content/search.md` and the search page both want /docs/search/
     --> content/search.md:2:1
      |
    2 | title: Finding things
      | ^^^^^^^^^^^^^^^^^^^^^
      |
      = help: rename the file or give it another `slug:`; the search page is generated there: it is written while `[search] enabled` is true

    error: build failed with 1 error; nothing was written
    ");
}
