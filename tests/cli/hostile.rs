//! Hostile input: a site's files may come from anyone (a cloned theme, a contributed note, a
//! committed cache). Nothing read may reach the page as markup the author did not write.

use insta::assert_snapshot;

use crate::support::{Site, element, prose};

/// A site with one highlighted code block, built once so that `.steppe-cache/highlight.bin`
/// holds that block.
fn site_with_a_cached_block() -> (Site, String) {
    let site = Site::with_good_page();
    site.write(
        "content/code.md",
        "---\ntitle: Code\n---\n```rust\nfn main() { let greeting = \"hello\"; }\n```\n",
    );
    site.build_ok();
    let page = site.read("public/code/index.html");
    (site, page)
}

/// Replaces `from` with `to` (same length) everywhere in the cache file.
fn forge_cache(site: &Site, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let path = site.path().join(".steppe-cache/highlight.bin");
    let bytes = std::fs::read(&path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains(from), "the cache holds `{from}`");
    let forged: Vec<u8> = bytes
        .windows(from.len())
        .position(|w| w == from.as_bytes())
        .map(|at| [&bytes[..at], to.as_bytes(), &bytes[at + from.len()..]].concat())
        .unwrap();
    std::fs::write(&path, forged).unwrap();
}

#[test]
fn a_forged_cache_cannot_change_what_code_shows() {
    let (site, clean) = site_with_a_cached_block();
    // The block's text replaced by markup of the same length: the key still matches the page's
    // code, but the text does not, so the block is highlighted afresh.
    forge_cache(&site, "greeting", "<b>evil<");
    let run = site.build_ok();
    assert_eq!(run.stderr, "");
    assert_eq!(site.read("public/code/index.html"), clean);
}

#[test]
fn a_forged_class_name_is_refused_with_a_warning() {
    let (site, clean) = site_with_a_cached_block();
    forge_cache(&site, "hl-source", "x\"onclick");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: `.steppe-cache/highlight.bin` was not used: it is damaged\n |\n = help: remove it; \
         steppe writes a new one (list `.steppe-cache/` in .gitignore)\n\n"
    );
    assert_eq!(site.read("public/code/index.html"), clean);
    // The file was replaced by a good one: the next build is quiet.
    assert_eq!(site.build_ok().stderr, "");
}

/// An untrusted site.toml cannot choose to write outside the site: this one would have put the
/// site's `static/authorized_keys` into `~/.ssh/` (here a folder beside the site).
#[test]
fn a_site_toml_cannot_send_the_output_out_of_the_site() {
    let site = Site::new("title = \"T\"\n");
    // A name of this test's own beside the site (the folders beside it are shared).
    let name = format!("{}-ssh", site.path().file_name().unwrap().to_str().unwrap());
    site.write(
        "site.toml",
        &format!("title = \"T\"\noutput_dir = \"../{name}\"\n"),
    );
    site.write("content/good.md", "---\ntitle: Good\n---\nFine.\n");
    site.write("static/authorized_keys", "ssh-ed25519 AAAA attacker\n");
    let outside = site.path().parent().unwrap().join(&name);
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    let marker = "^".repeat(10);
    assert_eq!(
        run.stderr,
        format!(
            "error: `output_dir` leads out of the site folder: `../{name}`\n --> site.toml:2:1\n  |\n\
             2 | output_dir = \"../{name}\"\n  | {marker}\n  |\n  = help: a site's own settings only \
             write inside it; to build elsewhere, say so on the command line: `steppe build \
             --output-dir ../{name}`\n\nerror: build failed with 1 error; nothing was written\n"
        )
    );
    assert!(!outside.exists());
    for absolute in ["/tmp/x", "public/../../x"] {
        site.write(
            "site.toml",
            &format!("title = \"T\"\noutput_dir = \"{absolute}\"\n"),
        );
        let run = site.run(&["build"]);
        assert_eq!(run.code, 1, "{absolute}");
        assert!(
            run.stderr.contains("leads out of the site folder"),
            "{}",
            run.stderr
        );
    }

    // Inside the site is fine, `..` included; the command line may choose any folder.
    site.write(
        "site.toml",
        "title = \"T\"\noutput_dir = \"build/../out\"\n",
    );
    site.build_ok();
    assert!(site.exists("out/good/index.html"));
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("site");
    let run = site.run(&["build", "--output-dir", target.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(target.join("good/index.html").exists());
}

/// Plain Markdown (not raw HTML, which is the author's choice) never produces script: heading
/// attributes, math and URLs each ran script in Chromium before.
#[test]
fn markdown_syntax_never_becomes_script() {
    let site = Site::with_good_page();
    site.write(
        "content/hostile.md",
        "---\ntitle: Hostile\n---\n\
         ## Intro {tabindex=0 autofocus onfocus=alert(1) lang=en data-x=1}\n\n\
         Math: $\\operatorname{<img src=x onerror=alert(2)>}$ and $\\mathop{<b onclick=alert(3)>}$.\n\n\
         [click](javascript:alert(4)) [ref](&#x6A;avascript:alert(6)) [tab](java\tscript:alert(5))\n\
         <vbscript:msgbox(7)> ![img](data:text/html,<script>alert(8)</script>) \
         ![pixel](data:image/png;base64,iVBORw0KGgo=) [[javascript:alert(9)]]\n",
    );
    let run = site.run(&["build"]);
    let html = site.read("public/hostile/index.html");
    let body = &html[html.find("<main").unwrap()..];
    // No tag carries a handler or a script URL (as text, escaped, they are harmless).
    for tag in body
        .split('<')
        .skip(1)
        .map(|t| &t[..t.find('>').unwrap_or(t.len())])
    {
        let tag = tag.to_ascii_lowercase();
        for script in [
            " on",
            "javascript:",
            "vbscript:",
            "data:text",
            "autofocus",
            "tabindex=\"0",
        ] {
            assert!(!tag.contains(script), "`{script}` in <{tag}>");
        }
    }
    // What is left: the heading's harmless attributes, the math as escaped text, the links
    // and the image with a script URL emptied, the PNG data image. `java<tab>script:` with a
    // raw tab (kept in the snapshot) is no link in Markdown at all: it stays text.
    assert_snapshot!(prose(&html), @r##"
    <h2 id="intro" lang="en" data-x="1">Intro<a class="anchor" href="#intro" aria-label="Link to this section">#</a></h2>
    <p>Math: <math display="inline"><mi>&lt;img src=x onerror=alert(2)></mi></math> and <math display="inline"><mi>&lt;b onclick=alert(3)></mi></math>.</p>
    <p><a href="">click</a> <a href="">ref</a> [tab](java	script:alert(5))
    <a href="">vbscript:msgbox(7)</a> <img src="" alt="img" loading="lazy" decoding="async"> <img src="data:image/png;base64,iVBORw0KGgo=" alt="pixel" loading="lazy" decoding="async"> <a href="">javascript:alert(9)</a></p>
    "##);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let heading = "warning: heading attribute `{}` is not allowed; it was left out\n --> content/hostile.md:4:1\n";
    for attribute in ["tabindex", "autofocus", "onfocus"] {
        assert!(
            run.stderr.contains(&heading.replace("{}", attribute)),
            "{attribute}: {}",
            run.stderr
        );
    }
    for (scheme, place) in [
        ("javascript", "8:9"),
        ("javascript", "8:30"),
        ("vbscript", "9:2"),
        ("data", "9:29"),
        ("javascript", "9:118"),
    ] {
        let message = format!(
            "warning: a `{scheme}:` URL would run script; it was left out\n --> content/hostile.md:{place}\n"
        );
        assert!(run.stderr.contains(&message), "{message}{}", run.stderr);
    }
    assert_eq!(run.stderr.matches("warning: ").count(), 8, "{}", run.stderr);
}

/// An era of ±2,147,483,647 years made the timeline one tick per year: 13 GB. Such years are
/// refused now (catalogue `era_of_all_the_years`); the widest era accepted still makes a
/// timeline of a few ticks.
#[test]
fn the_widest_era_makes_a_timeline_of_a_few_ticks() {
    let site = Site::with_good_page();
    site.write(
        "content/deep.md",
        "---\ntitle: Deep time\nkind: case-study\nera: {start: -10000, end: 10000}\n---\nAll of it.\n",
    );
    site.build_ok();
    let timeline = site.read("public/timeline/index.html");
    assert_snapshot!(element(&timeline, "<figure class=\"timeline\">"), @r#"
    <figure class="timeline">
      <div class="timeline-axis" aria-hidden="true">
        <span class="timeline-tick" style="--at: 0.0%">10000 BCE</span>
        <span class="timeline-tick" style="--at: 20.0%">5000 BCE</span>
        <span class="timeline-tick" style="--at: 40.0%">1 CE</span>
        <span class="timeline-tick" style="--at: 60.0%">5000 CE</span>
        <span class="timeline-tick" style="--at: 80.0%">10000 CE</span>
        <span class="timeline-tick" style="--at: 100.0%">15000 CE</span>
      </div>
      <ol class="timeline-entries">
        <li class="timeline-entry" id="deep" style="--start: 0.0%; --width: 80.0%">
          <span class="timeline-bar" aria-hidden="true"></span>
          <a class="timeline-title" href="/deep/">Deep time</a>
          <span class="timeline-era era">10000 BCE–10000 CE</span>
        </li>
      </ol>
      <figcaption>Bars span each case study's era, drawn to scale from 10000 BCE–15000 CE. Choose a title to read the case study.</figcaption>
    </figure>
    "#);
    let ticks = timeline.matches("class=\"timeline-tick\"").count();
    assert!((2..=9).contains(&ticks), "{ticks} ticks");
}
