//! The link graph: the site-wide `/graph/` page and each page's local graph, drawn as SVG at
//! build time.

use insta::assert_snapshot;

use crate::support::{Site, element, whole};

/// Hrefs of the graph's nodes in `html` (the SVG's `<a class="graph-node …" href="…">`).
fn node_hrefs(html: &str) -> Vec<&str> {
    let mut hrefs: Vec<&str> = html
        .split(r#"<a class="graph-node "#)
        .skip(1)
        .map(|rest| {
            let start = rest.find("href=\"").unwrap() + 6;
            let end = start + rest[start..].find('"').unwrap();
            &rest[start..end]
        })
        .collect();
    hrefs.sort_unstable();
    hrefs
}

fn local_graph(html: &str) -> &str {
    let start = html
        .find(r#"<svg class="graph graph-local""#)
        .expect("a local graph");
    let end = start + html[start..].find("</svg>").unwrap();
    &html[start..end]
}

#[test]
fn graph_page_links_every_page_and_counts_links() {
    let site = Site::fixture("graph");
    site.build_ok();
    let html = site.read("public/graph/index.html");
    assert_eq!(
        node_hrefs(&html),
        [
            "/notes/alpha/",
            "/notes/beta/",
            "/notes/delta/",
            "/notes/fish/",
            "/notes/lonely/"
        ]
    );
    // alpha→beta (twice in the text, once here), alpha→fish, beta→alpha, beta→fish, delta→fish;
    // the home page's link is not an edge.
    assert_snapshot!(element(&html, "<header class=\"page-header\">"), @r#"
    <header class="page-header">
      <h1>Link graph</h1>
      <p class="lede">Every page of Graph Fixture and the links between them. Choose a circle to open its page.</p>
      <p class="meta"><span>5 pages</span><span>5 links</span></p>
    </header>
    "#);
    assert_snapshot!(element(&html, "<title id=\"graph-site-title\">"), @r#"<title id="graph-site-title">Link graph of Graph Fixture: 5 pages, 5 links</title>"#);
    // alpha–beta both ways is one line.
    assert_eq!(html.matches("<line ").count(), 4, "{html}");
    // A node's tooltip, escaped; the node around it is layout coordinates, so only its title.
    assert!(
        html.contains("<title>Fish &amp; &quot;Chips&quot; &lt;b&gt;</title>"),
        "{html}"
    );
    assert!(!html.contains("<b>"), "{html}");
    assert_snapshot!(element(&html, "<nav class=\"site-nav\""), @r#"
    <nav class="site-nav" aria-label="Main">
          <ul>
            <li><a href="/notes/">notes</a></li>
            <li><a href="/graph/" aria-current="page">Graph</a></li>
          </ul>
        </nav>
    "#);
    // Every page's header links to the graph page.
    let alpha = site.read("public/notes/alpha/index.html");
    assert_snapshot!(element(&alpha, "<nav class=\"site-nav\""), @r#"
    <nav class="site-nav" aria-label="Main">
          <ul>
            <li><a href="/notes/" class="active">notes</a></li>
            <li><a href="/graph/">Graph</a></li>
          </ul>
        </nav>
    "#);
    assert_snapshot!(whole(&site.read("public/sitemap.xml"), "\n"), @r#"
    <?xml version="1.0" encoding="UTF-8"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
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
        <loc>https://example.com/notes/alpha/</loc>
      </url>
      <url>
        <loc>https://example.com/notes/beta/</loc>
      </url>
      <url>
        <loc>https://example.com/notes/delta/</loc>
      </url>
      <url>
        <loc>https://example.com/notes/fish/</loc>
      </url>
      <url>
        <loc>https://example.com/notes/</loc>
      </url>
      <url>
        <loc>https://example.com/notes/lonely/</loc>
      </url>
    </urlset>
    "#);
}

#[test]
fn local_graph_shows_neighbours_and_nothing_else() {
    let site = Site::fixture("graph");
    site.build_ok();

    let delta = site.read("public/notes/delta/index.html");
    assert_snapshot!(element(&delta, "<h2 id=\"connections-title\">"), @r#"<h2 id="connections-title">Connections</h2>"#);
    let graph = local_graph(&delta);
    assert_eq!(node_hrefs(graph), ["/notes/fish/"]);
    // The current page's node, without the circle's layout coordinates.
    assert!(
        graph.contains(
            r#"<g class="graph-node graph-current kind-note"><title>Delta (this page)</title>"#
        ),
        "{graph}"
    );

    let fish = site.read("public/notes/fish/index.html");
    let graph = local_graph(&fish);
    assert_eq!(
        node_hrefs(graph),
        ["/notes/alpha/", "/notes/beta/", "/notes/delta/"]
    );
    // Links among the neighbours are drawn too: alpha–beta.
    assert_eq!(graph.matches("<line ").count(), 4, "{graph}");
    assert!(!graph.contains("/notes/lonely/"), "{graph}");

    let lonely = site.read("public/notes/lonely/index.html");
    assert!(!lonely.contains("graph-local"), "{lonely}");
    assert!(!lonely.contains("Connections"), "{lonely}");
}

#[test]
fn graph_is_byte_identical_between_builds() {
    let site = Site::fixture("graph");
    site.build_ok();
    let first = site.read("public/graph/index.html");
    let fish = site.read("public/notes/fish/index.html");
    site.build_ok();
    assert_eq!(first, site.read("public/graph/index.html"));
    assert_eq!(fish, site.read("public/notes/fish/index.html"));
}

/// (A page of the author's at /graph/ is an error: `catalogue::author_files_on_generated_paths`.)
#[test]
fn no_graph_page_without_pages() {
    let site = Site::new("title = \"Empty\"\nbase_url = \"https://example.com/\"\n");
    site.write("content/_index.md", "---\ntitle: Home\n---\nNothing yet.\n");
    site.build_ok();
    assert!(!site.exists("public/graph/index.html"));
    assert!(!site.read("public/index.html").contains(">Graph</a>"));
}
