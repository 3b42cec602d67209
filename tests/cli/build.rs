//! A full build of the `basic` fixture: URLs, content HTML, listings, feeds and extras.

use insta::assert_snapshot;

use crate::support::{Site, element, elements, prose, tail_from, whole};

#[test]
fn builds_pretty_urls_for_pages_sections_and_bundles() {
    let site = Site::fixture("basic");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = site.files("public");
    for expected in [
        "index.html",
        "essays/index.html",
        "essays/micro-beats-solo/index.html",
        "essays/page/2/index.html",
        "case-studies/mongols/index.html",
        "case-studies/mongols/map.png",
        "notes/ogedei-khan/index.html",
        "tags/index.html",
        "tags/strategy/index.html",
        "tags/small-teams/index.html",
        "tags/strategy/atom.xml",
        "regions/steppe/index.html",
        "old/micro/index.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "syntax.css",
        "style.css",
        ".steppe-output",
    ] {
        assert!(
            files.contains(&expected.to_string()),
            "missing {expected} in {files:#?}"
        );
    }
    assert!(
        !files.iter().any(|f| f.contains("draft")),
        "draft was published: {files:#?}"
    );
}

#[test]
fn summary_line_counts_pages_and_files() {
    let site = Site::fixture("basic");
    let run = site.build_ok();
    let line = run.stdout.lines().last().unwrap();
    assert!(
        line.starts_with("built 5 pages, 4 sections, ")
            && line.contains(" files written to public in "),
        "{line}"
    );
    assert!(
        run.stderr
            .contains("note: 1 code block in 1 note is shown without highlighting: no grammar for `nosuchlang`"),
        "{}",
        run.stderr
    );
    assert!(site.run(&["--quiet", "build"]).stdout.is_empty());
}

#[test]
fn links_resolve_to_final_urls_under_the_base_path() {
    let site = Site::fixture("basic");
    site.build_ok();
    let essay = site.read("public/essays/micro-beats-solo/index.html");
    assert_snapshot!(elements(prose(&essay), "<p>")[0], @r##"
    <p>A micropreneur works with a <em>small</em> circle.<sup class="footnote-ref" id="fnref-circle"><a href="#fn-circle">1</a></sup> See <a href="/sub/case-studies/mongols/#tactics">the Mongols</a>
    and <a href="/sub/case-studies/mongols/">the same page</a>.</p>
    "##);
    let second = site.read("public/essays/second/index.html");
    assert_snapshot!(prose(&second), @r#"<p>Back to <a href="/sub/essays/micro-beats-solo/#code-1">Micro beats solo</a>.</p>"#);
    let case = site.read("public/case-studies/mongols/index.html");
    assert_snapshot!(prose(&case), @r##"
    <p><img src="/sub/case-studies/mongols/map.png" width="40" height="30" alt="A map" loading="lazy" decoding="async"></p>
    <h2 id="tactics">Tactics<a class="anchor" href="#tactics" aria-label="Link to this section">#</a></h2>
    <p>Feigned retreats.</p>
    "##);
    let home = site.read("public/index.html");
    assert_snapshot!(element(&home, "<div class=\"prose home-intro\""), @r#"
    <div class="prose home-intro" data-pagefind-body>
    <p>Welcome to the <a href="/sub/essays/">essays</a>.</p>

    </div>
    "#);
}

#[test]
fn markdown_features_reach_the_page() {
    let site = Site::fixture("basic");
    site.build_ok();
    let essay = site.read("public/essays/micro-beats-solo/index.html");
    // Unique heading ids, highlighted code, footnotes with prefixed ids.
    let body = prose(&essay);
    assert_snapshot!(element(body, "<h2 id=\"code\">"), @r##"<h2 id="code">Code<a class="anchor" href="#code" aria-label="Link to this section">#</a></h2>"##);
    // Highlighted: the spans are the grammar's scopes (dozens for one line, and they change
    // with syntect's grammars); `highlighting_can_be_switched_off` snapshots the block whole.
    assert!(
        element(body, "<pre class=\"hl\" data-lang=\"rust\">").contains(r#"<span class="hl-"#),
        "code was not highlighted: {body}"
    );
    assert_snapshot!(tail_from(body, "<h2 id=\"code-1\">"), @r##"
    <h2 id="code-1">Code<a class="anchor" href="#code-1" aria-label="Link to this section">#</a></h2>
    <p>Second heading with the same text.</p>
    <section class="footnotes" aria-label="Footnotes">
    <ol>
    <li id="fn-circle">
    <p>A partner and a few collaborators. <a href="#fnref-circle" class="footnote-backref" aria-label="Back to reference 1">↩</a></p>
    </li>
    </ol>
    </section>
    "##);
    // The Unicode file name got a clean slug; its title comes from the file name.
    let note = site.read("public/notes/ogedei-khan/index.html");
    assert_snapshot!(element(&note, "<h1"), @r#"<h1 data-pagefind-meta="title">Ögedei Khan</h1>"#);
}

#[test]
fn sections_are_paginated_newest_first() {
    let site = Site::fixture("basic");
    site.build_ok();
    let first = site.read("public/essays/index.html");
    let second = site.read("public/essays/page/2/index.html");
    // Each page: the titles it lists, in order, then its links to the other pages.
    let page = |html: &str| {
        let mut fragments = elements(html, "<h2 class=\"card-title\">");
        fragments.push(element(html, "<nav class=\"pagination\""));
        fragments.join("\n")
    };
    assert_snapshot!(page(&first), @r#"
    <h2 class="card-title"><a href="/sub/essays/micro-beats-solo/">Micro beats solo</a></h2>
    <h2 class="card-title"><a href="/sub/essays/second/">Second essay</a></h2>
    <nav class="pagination" aria-label="Pagination">
    <ul>
    <li><span class="disabled" aria-hidden="true">← Previous</span></li>
    <li class="pagination-status">Page 1 of 2</li>
    <li><a href="/sub/essays/page/2/" rel="next">Next<span class="visually-hidden"> page</span> →</a></li>
    </ul>
    </nav>
    "#);
    assert_snapshot!(page(&second), @r#"
    <h2 class="card-title"><a href="/sub/essays/third/">Third essay</a></h2>
    <nav class="pagination" aria-label="Pagination">
    <ul>
    <li><a href="/sub/essays/" rel="prev">← Previous<span class="visually-hidden"> page</span></a></li>
    <li class="pagination-status">Page 2 of 2</li>
    <li><span class="disabled" aria-hidden="true">Next →</span></li>
    </ul>
    </nav>
    "#);
}

#[test]
fn feeds_sitemap_robots_and_aliases() {
    let site = Site::fixture("basic");
    site.build_ok();
    // A feed whole but for each entry's content: the page's body, asserted on the page.
    let outline = |feed: &str| {
        let contents = elements(feed, "<content ");
        contents
            .iter()
            .fold(whole(feed, "\n").to_string(), |outline, content| {
                outline.replace(content, "<content>…</content>")
            })
    };
    // Newest first, no draft.
    let feed = site.read("public/atom.xml");
    assert_snapshot!(outline(&feed), @r#"
    <?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
      <title>Fixture Site</title>
      <subtitle>A site for steppe&#39;s tests.</subtitle>
      <link rel="self" type="application/atom+xml" href="https://example.com/sub/atom.xml"/>
      <link rel="alternate" type="text/html" href="https://example.com/sub/"/>
      <generator uri="https://github.com/steppe-ssg/steppe">steppe</generator>
      <updated>2024-05-01T00:00:00Z</updated>
      <id>https://example.com/sub/atom.xml</id>
      <entry xml:lang="en">
        <title>Micro beats solo</title>
        <published>2024-05-01T00:00:00Z</published>
        <updated>2024-05-01T00:00:00Z</updated>
        <author><name>Test Author</name></author>
        <link rel="alternate" type="text/html" href="https://example.com/sub/essays/micro-beats-solo/"/>
        <id>https://example.com/sub/essays/micro-beats-solo/</id>
        <summary>Why a small circle beats going it alone.</summary>
        <content>…</content>
      </entry>
      <entry xml:lang="en">
        <title>Second essay</title>
        <published>2024-04-01T00:00:00Z</published>
        <updated>2024-04-01T00:00:00Z</updated>
        <author><name>Test Author</name></author>
        <link rel="alternate" type="text/html" href="https://example.com/sub/essays/second/"/>
        <id>https://example.com/sub/essays/second/</id>
        <content>…</content>
      </entry>
      <entry xml:lang="en">
        <title>Third essay</title>
        <published>2024-03-01T00:00:00Z</published>
        <updated>2024-03-01T00:00:00Z</updated>
        <author><name>Test Author</name></author>
        <link rel="alternate" type="text/html" href="https://example.com/sub/essays/third/"/>
        <id>https://example.com/sub/essays/third/</id>
        <content>…</content>
      </entry>
    </feed>
    "#);
    assert!(!feed.contains("Unfinished"));
    let tag_feed = site.read("public/tags/strategy/atom.xml");
    assert_snapshot!(outline(&tag_feed), @r#"
    <?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
      <title>Fixture Site – strategy</title>
      <subtitle>A site for steppe&#39;s tests.</subtitle>
      <link rel="self" type="application/atom+xml" href="https://example.com/sub/tags/strategy/atom.xml"/>
      <link rel="alternate" type="text/html" href="https://example.com/sub/tags/strategy/"/>
      <generator uri="https://github.com/steppe-ssg/steppe">steppe</generator>
      <updated>2024-05-01T00:00:00Z</updated>
      <id>https://example.com/sub/tags/strategy/atom.xml</id>
      <entry xml:lang="en">
        <title>Micro beats solo</title>
        <published>2024-05-01T00:00:00Z</published>
        <updated>2024-05-01T00:00:00Z</updated>
        <author><name>Test Author</name></author>
        <link rel="alternate" type="text/html" href="https://example.com/sub/essays/micro-beats-solo/"/>
        <id>https://example.com/sub/essays/micro-beats-solo/</id>
        <summary>Why a small circle beats going it alone.</summary>
        <content>…</content>
      </entry>
      <entry xml:lang="en">
        <title>Second essay</title>
        <published>2024-04-01T00:00:00Z</published>
        <updated>2024-04-01T00:00:00Z</updated>
        <author><name>Test Author</name></author>
        <link rel="alternate" type="text/html" href="https://example.com/sub/essays/second/"/>
        <id>https://example.com/sub/essays/second/</id>
        <content>…</content>
      </entry>
    </feed>
    "#);
    let sitemap = site.read("public/sitemap.xml");
    assert_snapshot!(whole(&sitemap, "\n"), @r#"
    <?xml version="1.0" encoding="UTF-8"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url>
        <loc>https://example.com/sub/case-studies/</loc>
      </url>
      <url>
        <loc>https://example.com/sub/case-studies/mongols/</loc>
      </url>
      <url>
        <loc>https://example.com/sub/essays/</loc>
      </url>
      <url>
        <loc>https://example.com/sub/essays/micro-beats-solo/</loc>
        <lastmod>2024-05-01T00:00:00Z</lastmod>
      </url>
      <url>
        <loc>https://example.com/sub/essays/page/2/</loc>
      </url>
      <url>
        <loc>https://example.com/sub/essays/second/</loc>
        <lastmod>2024-04-01T00:00:00Z</lastmod>
      </url>
      <url>
        <loc>https://example.com/sub/essays/third/</loc>
        <lastmod>2024-03-01T00:00:00Z</lastmod>
      </url>
      <url>
        <loc>https://example.com/sub/explorer/</loc>
      </url>
      <url>
        <loc>https://example.com/sub/graph/</loc>
      </url>
      <url>
        <loc>https://example.com/sub/</loc>
      </url>
      <url>
        <loc>https://example.com/sub/notes/</loc>
      </url>
      <url>
        <loc>https://example.com/sub/notes/ogedei-khan/</loc>
      </url>
      <url>
        <loc>https://example.com/sub/regions/</loc>
      </url>
      <url>
        <loc>https://example.com/sub/regions/steppe/</loc>
      </url>
      <url>
        <loc>https://example.com/sub/tags/history/</loc>
      </url>
      <url>
        <loc>https://example.com/sub/tags/</loc>
      </url>
      <url>
        <loc>https://example.com/sub/tags/small-teams/</loc>
      </url>
      <url>
        <loc>https://example.com/sub/tags/strategy/</loc>
      </url>
      <url>
        <loc>https://example.com/sub/timeline/</loc>
      </url>
    </urlset>
    "#);
    assert!(
        !sitemap.contains("old/micro"),
        "redirects are not in the sitemap"
    );
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://example.com/sub/sitemap.xml\n"
    );
    assert_snapshot!(site.read("public/old/micro/index.html"), @r#"
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>Redirecting…</title>
    <link rel="canonical" href="https://example.com/sub/essays/micro-beats-solo/">
    <meta name="robots" content="noindex">
    <meta http-equiv="refresh" content="0; url=/sub/essays/micro-beats-solo/">
    </head>
    <body>
    <p>This page has moved to <a href="/sub/essays/micro-beats-solo/">https://example.com/sub/essays/micro-beats-solo/</a>.</p>
    </body>
    </html>
    "#);
}

#[test]
fn drafts_are_built_on_request() {
    let site = Site::fixture("basic");
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.exists("public/essays/draft/index.html"));
}

#[test]
fn base_url_and_output_dir_from_the_command_line() {
    let site = Site::fixture("basic");
    let run = site.run(&[
        "build",
        "--base-url",
        "http://localhost:8000/",
        "--output-dir",
        "out",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let essay = site.read("out/essays/micro-beats-solo/index.html");
    assert_snapshot!(elements(prose(&essay), "<p>")[0], @r##"
    <p>A micropreneur works with a <em>small</em> circle.<sup class="footnote-ref" id="fnref-circle"><a href="#fn-circle">1</a></sup> See <a href="/case-studies/mongols/#tactics">the Mongols</a>
    and <a href="/case-studies/mongols/">the same page</a>.</p>
    "##);
    assert!(!site.exists("public"));
}

#[test]
fn check_writes_nothing() {
    let site = Site::fixture("basic");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("checked 5 pages, 4 sections in "),
        "{}",
        run.stdout
    );
    assert!(!site.exists("public"));
}

#[test]
fn site_templates_override_theme_templates() {
    let site = Site::fixture("basic");
    site.write(
        "templates/404.html",
        "<p>Lost on the steppe: {{ config.title }}</p>",
    );
    site.build_ok();
    assert_eq!(
        site.read("public/404.html"),
        "<p>Lost on the steppe: Fixture Site</p>"
    );
}

#[test]
fn rebuild_replaces_the_previous_output() {
    let site = Site::fixture("basic");
    site.build_ok();
    std::fs::remove_file(site.path().join("content/essays/third.md")).unwrap();
    site.build_ok();
    assert!(!site.exists("public/essays/third/index.html"));
    assert!(site.exists("public/essays/second/index.html"));
}

#[test]
fn highlighting_can_be_switched_off() {
    let site = Site::fixture("basic");
    let toml = site.read("site.toml") + "\n[highlighting]\nenabled = false\n";
    site.write("site.toml", &toml);
    site.build_ok();
    let essay = site.read("public/essays/micro-beats-solo/index.html");
    assert_snapshot!(elements(prose(&essay), "<pre")[0], @r#"
    <pre class="hl" data-lang="rust"><code class="language-rust">fn main() { println!(&quot;hi&quot;); }
    </code></pre>
    "#);
    assert!(!essay.contains("hl-source"), "{essay}");
}

/// The documentation in docs/ is a steppe site; building it checks every link in it.
#[test]
fn documentation_site_builds_cleanly() {
    let out = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_steppe"))
        .args(["--root", "docs", "build", "--output-dir"])
        .arg(out.path().join("public"))
        .current_dir(crate::support::REPO)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.is_empty(), "warnings in the docs:\n{stderr}");
    assert!(
        out.path()
            .join("public/reference/site-toml/index.html")
            .exists()
    );
}
