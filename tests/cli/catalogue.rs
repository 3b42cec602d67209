//! A catalogue of broken inputs: each case asserts the complete message an author sees, the
//! exit code, and that the previously published site is still there.

use crate::support::Site;

/// Builds a good site once, applies `files`, builds again and returns (exit code, stderr).
fn break_site(files: &[(&str, &[u8])]) -> (i32, String, Site) {
    let site = Site::new("title = \"T\"\n");
    site.write("content/good.md", "---\ntitle: Good\n---\nFine.\n");
    site.build_ok();
    for (path, bytes) in files {
        let full = site.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }
    let run = site.run(&["build"]);
    assert!(
        site.read("public/good/index.html").contains("Fine."),
        "old site lost"
    );
    (run.code, run.stderr, site)
}

fn check(files: &[(&str, &[u8])], code: i32, expected: &str) {
    let (actual_code, stderr, _site) = break_site(files);
    assert_eq!(stderr, expected);
    assert_eq!(actual_code, code, "{stderr}");
}

#[test]
fn front_matter_fence_never_closed() {
    check(
        &[(
            "content/a.md",
            b"---\ntitle: A\n\nBody without a closing fence.\n",
        )],
        1,
        "error: front matter is not closed\n --> content/a.md:1:1\n  |\n1 | ---\n  | ^^^\n  |\n  = help: end it with a line containing only `---`\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn yaml_tab_indentation() {
    check(
        &[(
            "content/a.md",
            b"---\ntitle: A\nextra:\n\tcolour: red\n---\n",
        )],
        1,
        "error: tab character used for indentation\n --> content/a.md:4:1\n  |\n4 |     colour: red\n  | ^^^^\n  |\n  = help: YAML does not allow tabs for indentation; indent with spaces\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn yaml_unclosed_quote() {
    check(
        &[("content/a.md", b"---\ntitle: \"A\n---\n")],
        1,
        "error: quoted value is not closed\n --> content/a.md:2:8\n  |\n2 | title: \"A\n  |        ^\n  |\n  = help: add the closing quote at the end of the value\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn yaml_duplicate_key() {
    check(
        &[("content/a.md", b"---\ntitle: A\ntitle: B\n---\n")],
        1,
        "error: `title` is set twice in front matter\n --> content/a.md:3:1\n  |\n3 | title: B\n  | ^^^^^\n  |\n  = help: remove one of the two lines\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn toml_front_matter_syntax_error() {
    check(
        &[("content/a.md", b"+++\ntitle = A\n+++\n")],
        1,
        "error: invalid TOML: string values must be quoted, expected literal string\n --> content/a.md:2:9\n  |\n2 | title = A\n  |         ^\n  |\n  = help: check the TOML syntax: text values need quotes, lists are written `[\"a\", \"b\"]`, each key appears once\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn draft_that_is_not_a_boolean() {
    check(
        &[("content/a.md", b"---\ndraft: maybe\n---\n")],
        1,
        "error: `draft` must be `true` or `false`, not the text `maybe`\n --> content/a.md:2:8\n  |\n2 | draft: maybe\n  |        ^^^^^\n  |\n  = help: write `draft: true` or `draft: false`, without quotes\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn non_utf8_content() {
    check(
        &[("content/a.md", b"---\ntitle: A\n---\nCaf\xe9\n")],
        1,
        "error: `content/a.md` is not valid UTF-8 (byte 20 is 0xE9)\n --> content/a.md:4:4\n  |\n4 | Caf�\n  |    ^\n  |\n  = help: save the file as UTF-8 in your editor\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn site_toml_syntax_error() {
    check(
        &[("site.toml", b"title = \"T\n")],
        1,
        "error: invalid basic string, expected `\"`\n --> site.toml:1:11\n  |\n1 | title = \"T\n  |           ^\n  |\n  = help: check the TOML syntax: strings need quotes, tables are written [name]\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn alias_colliding_with_a_page() {
    check(
        &[(
            "content/a.md",
            b"---\ntitle: A\naliases: [\"/good/\"]\n---\n",
        )],
        1,
        "error: alias /good/ of `content/a.md` collides with `content/good.md`\n --> content/a.md:3:1\n  |\n3 | aliases: [\"/good/\"]\n  | ^^^^^^^^^^^^^^^^^^^\n  |\n  = help: an alias must be a URL no page uses; remove it or pick another\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn template_recursion() {
    check(
        &[(
            "templates/page.html",
            b"{% component loop(n: integer) %}{{ <loop n={n} /> }}{% endcomponent loop %}{{ <loop n={1} /> }}",
        )],
        1,
        "error: template error: Maximum render recursion depth for components exceeded.\n |\n = help: while rendering content/good.md (URL /good/)\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn empty_file_bom_and_crlf_are_fine() {
    let (code, stderr, site) = break_site(&[
        ("content/empty.md", b""),
        (
            "content/bom.md",
            b"\xef\xbb\xbf---\ntitle: Bom\n---\nBody.\n",
        ),
        (
            "content/crlf.md",
            b"---\r\ntitle: Crlf\r\n---\r\n# Heading\r\n\r\nText.\r\n",
        ),
    ]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(
        site.read("public/bom/index.html").contains("<h1>Bom</h1>")
            || site.read("public/bom/index.html").contains("Bom")
    );
    assert!(
        site.read("public/crlf/index.html")
            .contains(r#"id="heading""#)
    );
    assert!(site.exists("public/empty/index.html"));
}

#[cfg(unix)]
#[test]
fn symlink_loop_in_content() {
    let site = Site::new("title = \"T\"\n");
    site.write("content/good.md", "---\ntitle: Good\n---\nFine.\n");
    site.build_ok();
    std::os::unix::fs::symlink("..", site.path().join("content/loop")).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(
        run.stderr,
        "error: symbolic link loop: `content/loop/content/loop` points back to `content/loop`\n--> content/loop/content/loop\n = help: remove the link or make it point outside its own parent folders\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert_eq!(run.code, 1);
    assert!(site.read("public/good/index.html").contains("Fine."));
}
