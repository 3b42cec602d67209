//! A catalogue of broken inputs: each case asserts the complete message an author sees (exact
//! stderr: file:line:column where there is a position, the caret snippet, the hint), the exit
//! code, and that the previously published site is still there. Messages are filled in by
//! running the case and pasting what steppe printed, after reading it.
//!
//! Every bad input of issue 7, and where its test is (`c` = this file, `e` = `errors.rs`,
//! `f` = `faults.rs`, which also covers faults outside the author's control, `u` =
//! `untrusted.rs`, attacks by a cloned theme or a contributed note, `z` = `zero_setup.rs`):
//!
//! | # | input | result | test |
//! |---|---|---|---|
//! | 1 | front matter fence never closed | error | c `front_matter_fence_never_closed` |
//! | 2 | YAML indented with a tab | error | c `yaml_tab_indentation` |
//! | 3 | YAML key indented under a value (bad indentation) | error | c `yaml_key_indented_under_a_value` |
//! | 4 | YAML quote never closed | error | c `yaml_unclosed_quote` |
//! | 5 | YAML duplicate key | error | c `yaml_duplicate_key` |
//! | 6 | YAML value containing `: ` | error | c `yaml_value_with_a_colon` |
//! | 7 | YAML front matter that is a list | error | c `yaml_front_matter_that_is_a_list` |
//! | 8 | YAML alias to an undefined anchor | error | c `yaml_undefined_alias` |
//! | 9 | YAML nested 10,000 levels | error | c `yaml_nested_ten_thousand_levels` |
//! | 10 | YAML alias bomb (10^10 nodes) | error | c `yaml_alias_bomb` |
//! | 11 | TOML syntax error | error | c `toml_front_matter_syntax_error` |
//! | 12 | TOML duplicate key | error | c `toml_duplicate_key` |
//! | 13 | TOML misspelt field, people as a string | 2 errors | c `toml_unknown_field_and_wrong_type` |
//! | 14 | TOML nested 10,000 levels | error | c `toml_nested_ten_thousand_levels` |
//! | 15 | `draft` that is not a boolean | error | c `draft_that_is_not_a_boolean` |
//! | 16 | `tags` that is a string | error | e `broken_front_matter_is_located_and_the_old_site_survives` |
//! | 17 | `date` that is not a date, unknown field, broken link, all reported together | 3 errors | e `all_errors_of_a_build_are_reported_together` |
//! | 18 | `weight` that is not a number | error | c `weight_that_is_not_a_number` |
//! | 19 | unknown page kind | error | c `unknown_page_kind` |
//! | 20 | case study without `era` | error | e `case_study_needs_an_era` |
//! | 21 | case study strength naming no page | error | e `case_study_strengths_must_name_pages` |
//! | 22 | empty file | fine | c `empty_file_is_a_page` |
//! | 23 | UTF-8 BOM | fine | c `utf8_bom_is_ignored` |
//! | 24 | CRLF line endings | fine | c `crlf_line_endings_are_fine` |
//! | 25 | non-UTF-8 bytes in content | error | c `non_utf8_content` |
//! | 26 | a 500 MB content file | error | c `content_file_of_500_mb` |
//! | 27 | lists nested 10,000 levels | fine | c `lists_nested_ten_thousand_levels` |
//! | 28 | block quotes nested 10,000 levels | fine | c `block_quotes_nested_ten_thousand_levels` |
//! | 29 | math that is not LaTeX | error | c `math_that_is_not_latex` |
//! | 30 | broken links, anchors and images | errors | e `broken_links_anchors_and_images_suggest_fixes` |
//! | 31 | broken links as warnings | warning | e `broken_links_can_be_warnings` |
//! | 32 | wikilink matching two pages | error | c `ambiguous_wikilink` |
//! | 33 | embed cycle | error | c `embed_cycle` |
//! | 34 | two pages claiming one URL | error | e `two_pages_claiming_one_url` |
//! | 35 | alias colliding with a page | error | c `alias_colliding_with_a_page` |
//! | 36 | two aliases claiming one URL | error | c `two_aliases_claiming_one_url` |
//! | 37 | symlink loop in content/ | error | c `symlink_loop_in_content` |
//! | 38 | broken symlink (a file deleted before the build) | error | c `broken_symbolic_link_in_content` |
//! | 39 | unreadable file and unreadable folder | 2 errors | c `unreadable_content_file_and_folder` |
//! | 40 | files deleted while builds run | errors | f `files_deleted_during_builds_are_clear_errors` |
//! | 41 | no site.toml (a folder with content/ builds with defaults) | note | z `a_folder_of_notes_builds_without_site_toml_or_a_theme` |
//! | 42 | site.toml syntax error | error | c `site_toml_syntax_error` |
//! | 43 | unknown site.toml key | error | e `unknown_key_in_site_toml` |
//! | 44 | site.toml value of the wrong type | error | c `site_toml_wrong_type` |
//! | 45 | site.toml not UTF-8 | error | c `site_toml_not_utf8` |
//! | 46 | missing theme | error | e `missing_theme_names_the_available_ones` |
//! | 47 | theme.toml with an unknown key | error | c `theme_toml_unknown_key` |
//! | 48 | template syntax error | error | e `template_syntax_error_names_file_line_and_column` |
//! | 49 | template referencing an unknown variable | error | e `template_error_names_the_page_being_rendered` |
//! | 50 | template with an unknown filter | error | c `template_unknown_filter` |
//! | 51 | template recursion | error | c `template_recursion` |
//! | 52 | front matter naming a missing template | error | c `template_named_in_front_matter_is_missing` |
//! | 53 | output dir inside content/ | error | c `output_dir_inside_content` |
//! | 54 | output dir equal to the site root | error | c `output_dir_is_the_site_root` |
//! | 55 | output dir not created by steppe | error | c `output_dir_not_created_by_steppe` |
//! | 56 | output dir that is a file | error | c `output_dir_is_a_file` |
//! | 57 | unknown command-line flag | usage error (2) | e `usage_errors_exit_with_2` |
//! | 58 | build killed with SIGKILL at random moments | old or new site | f `killed_builds_leave_the_old_or_the_new_site` |
//! | 59 | disk full while writing | error | f `a_full_disk_is_a_clear_error_and_keeps_the_old_site` |
//! | 60 | output on a read-only file system | error | f `a_read_only_output_file_system_is_a_clear_error_and_keeps_the_old_site` |
//! | 61 | output folder's parent not writable | error | f `an_unwritable_output_parent_is_a_clear_error_and_keeps_the_old_site` |
//! | 62 | 50,000 links on one line (was quadratic) | fine | c `fifty_thousand_links_on_one_line` |
//! | 63 | a page with 1,000 tags (output grew with tags², 20,000 took GBs) | error | c `a_thousand_tags_on_one_page` |
//! | 64 | `themes/steppe/static/env.txt -> /proc/self/environ`, `static/pagemap -> /proc/self/pagemap` | error | u `theme_static_link_to_the_environment` |
//! | 65 | a symlinked folder in `static/` pointing outside the site | error | u `static_folder_link_outside` |
//! | 66 | `content/notes/leak.md -> ~/.ssh/id_rsa` | error | u `content_link_to_a_private_key` |
//! | 67 | a template that is a symlink to a file outside the site | error | u `template_link_outside` |
//! | 68 | a theme folder that is a symlink to a folder outside the site | error | u `theme_folder_link_outside` |
//! | 69 | `site.toml` that is a symlink to a file outside the site | error | u `site_toml_link_outside` |
//! | 69b | `content/` that is a symlink to a folder outside the site | error | u `content_folder_link_outside` |
//! | 70 | symlinks to files and folders inside the site | fine | u `links_inside_the_site_are_followed` |
//! | 71 | a FIFO and a socket in the site (a FIFO used to hang the build) | warnings | u `fifos_and_sockets_are_left_out_without_hanging` |
//! | 72 | symlinks between the site and `content_dir`, and from `content_dir` out | error | u `content_dir_links_stay_in_the_site_and_the_vault` |
//! | 73 | `content_dir` that does not exist | error | z `a_content_dir_that_is_not_there_is_an_error` |
//! | 74 | output folder inside `content_dir` | error | z `the_output_folder_may_not_be_inside_the_content_folder` |
//! | 75 | no site.toml and no content/ | error | z `a_folder_without_notes_or_site_toml_is_not_a_site` |
//! | 76 | 20,000 broken links on one line (printing them was quadratic: 98 s) | errors | c `twenty_thousand_broken_links_on_one_line` |
//! | 77 | `aliases: ["/../x/"]` and `/a//b/` (passed `check`, then `build` blamed itself) | 2 errors, from `check` too | c `old_url_aliases_outside_the_output` |
//! | 78 | an 80-character CJK file name (its slug was a 319-byte folder: ENAMETOOLONG) | fine, slug cut between words | c `an_eighty_character_cjk_file_name` |
//! | 79 | a 300-character tag (ENAMETOOLONG after `check` passed) | fine, slug cut | c `a_three_hundred_character_tag` |
//! | 80 | a `permalink` segment of 300 bytes; a tag nested 300 levels | 2 errors, from `check` too | c `output_paths_too_long_for_a_file_system` |
//! | 81 | pages, a folder, aliases, static and content files on generated paths (search page and index, graph, feed, sitemap, 404, syntax.css) or on a page | errors naming both | c `author_files_on_generated_paths` |
//! | 82 | `[pagination] path = "../x"`, `[feed] filename = "a/atom.xml"` (passed `check`) | 2 errors, from `check` too | c `pager_and_feed_names_that_are_paths` |
//! | 83 | ```` ```ini ```` block of a line of 2,000 spaces (cubic: 11 s), `less` and `coffee` blocks of long lines (quadratic), built twice (the second build from the highlight cache) | warnings | c `code_blocks_too_costly_to_highlight` |
//! | 84 | YAML `x: [[[[…` of 200 KB (quadratic in libyaml: over 30 s) | error | c `yaml_flow_nesting_of_200_kb` |
//! | 85 | TOML `x = [[[[…` of 200 KB (the toml crate stops at its depth limit) | error | c `toml_flow_nesting_of_200_kb` |
//! | 86 | `era: {start: -2147483647, end: 2147483647}` (the timeline took 13 GB) | 2 errors | c `era_of_all_the_years` |
//! | 91 | an 8 MB table of bare `\|` cells (took 2.85 GB) | error | c `table_of_eight_million_bare_cells` |
//! | 92 | a 1,000-column header over rows of one letter, padded (460 KB took 9 GB) | error | c `table_rows_padded_to_a_thousand_columns` |
//! | 89 | 10,000 inline `#tags` (took 17 s to be rejected) | error | c `ten_thousand_inline_tags_on_one_page` |
//! | 90 | 100 pages sharing 100 inline tags (200 × 200 wrote 526 MB: terms²) | fine | c `a_hundred_pages_sharing_a_hundred_tags` |
//! | 91 | lists nested 200,000 levels (21 s in the search stage) | fine | c `lists_nested_two_hundred_thousand_levels` |
//! | 92 | 300,000 `*a*` emphases, 1.2 million elements (8 MB of them took 1.4 GB) | error | c `a_million_markdown_elements` |
//! | 93 | a checklist without task items | warning | e `checklist_without_tasks_is_a_warning` |
//! | 94 | checklist items linking to no page, with `[links] require_checklist_links` | warnings | e `checklist_items_without_links_are_warnings` |
//!
//! Inputs found by fuzzing (`fuzz/`) are regression tests next to the code they broke.

use crate::support::Site;

/// Builds a good site once, applies `files`, builds again and returns (exit code, stderr).
fn break_site(files: &[(&str, &[u8])]) -> (i32, String, Site) {
    let site = Site::with_good_page();
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

/// [`check`], and `steppe check` reports the same: what `build` rejects, `check` finds first.
fn check_and_build_agree(files: &[(&str, &[u8])], code: i32, expected: &str) {
    let (actual_code, stderr, site) = break_site(files);
    assert_eq!(stderr, expected);
    assert_eq!(actual_code, code, "{stderr}");
    let run = site.run(&["check"]);
    assert_eq!(run.stderr, expected);
    assert_eq!(run.code, code);
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
fn empty_file_is_a_page() {
    let (code, stderr, site) = break_site(&[("content/empty.md", b"")]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(site.read("public/empty/index.html").contains(">empty</h1>"));
}

#[test]
fn utf8_bom_is_ignored() {
    let (code, stderr, site) = break_site(&[(
        "content/bom.md",
        b"\xef\xbb\xbf---\ntitle: Bom\n---\nBody.\n",
    )]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let html = site.read("public/bom/index.html");
    assert!(html.contains(">Bom</h1>"), "{html}");
    assert!(!html.contains('\u{feff}'), "{html}");
}

#[test]
fn crlf_line_endings_are_fine() {
    let (code, stderr, site) = break_site(&[(
        "content/crlf.md",
        b"---\r\ntitle: Crlf\r\n---\r\n# Heading\r\n\r\nText.\r\n",
    )]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let html = site.read("public/crlf/index.html");
    assert!(html.contains(r#"id="heading""#), "{html}");
    assert!(!html.contains('\r'), "{html}");
}

#[cfg(unix)]
#[test]
fn symlink_loop_in_content() {
    let site = Site::with_good_page();
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

#[test]
fn yaml_key_indented_under_a_value() {
    check(
        &[("content/a.md", b"---\ntitle: A\n  description: B\n---\n")],
        1,
        "error: this line is indented more than the key above it\n --> content/a.md:3:1\n  |\n3 |   description: B\n  | ^^\n  |\n  = help: keys of one mapping start in the same column; remove the extra spaces, or nest the line under a key that has no value of its own\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn yaml_value_with_a_colon() {
    check(
        &[("content/a.md", b"---\ntitle: Rome: the fall\n---\n")],
        1,
        "error: unexpected `:` in a value\n --> content/a.md:2:12\n  |\n2 | title: Rome: the fall\n  |            ^\n  |\n  = help: a value that contains `: ` must be in quotes, e.g. `title: \"Rome: the fall\"`\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn yaml_front_matter_that_is_a_list() {
    check(
        &[("content/a.md", b"---\n- a\n- b\n---\n")],
        1,
        "error: front matter is not a list of `key: value` lines\n --> content/a.md:2:1\n  |\n2 | - a\n  | ^\n  |\n  = help: write one `key: value` per line, e.g. `title: My page`\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn yaml_undefined_alias() {
    check(
        &[("content/a.md", b"---\ntitle: *name\n---\n")],
        1,
        "error: `*name` refers to an anchor that is not defined\n --> content/a.md:2:8\n  |\n2 | title: *name\n  |        ^\n  |\n  = help: define the anchor first with `&name`, or quote a value that starts with `*`\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

/// Front matter whose `extra` is a list nested 10,000 levels deep.
fn nested_lists(fence: &str, key: &str) -> Vec<u8> {
    format!(
        "{fence}\n{key}{}{}\n{fence}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    )
    .into_bytes()
}

#[test]
fn yaml_nested_ten_thousand_levels() {
    check(
        &[("content/a.md", &nested_lists("---", "extra: "))],
        1,
        "error: front matter is nested or repeated too deeply\n --> content/a.md:2:135\n  |\n2 | ...[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...\n  |                                                                    ^\n  |\n  = help: simplify the values; deeply nested data belongs in a data file\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

fn brackets(fence: &str, key: &str, count: usize) -> Vec<u8> {
    format!("{fence}\n{key}{}\n{fence}\n", "[".repeat(count)).into_bytes()
}

#[test]
fn yaml_flow_nesting_of_200_kb() {
    check(
        &[("content/a.md", &brackets("---", "x: ", 200_000))],
        1,
        "error: front matter is nested or repeated too deeply\n --> content/a.md:2:131\n  |\n2 | ...[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...\n  |                                                                    ^\n  |\n  = help: simplify the values; deeply nested data belongs in a data file\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn toml_flow_nesting_of_200_kb() {
    check(
        &[("content/a.md", &brackets("+++", "x = ", 200_000))],
        1,
        "error: front matter is nested or repeated too deeply\n --> content/a.md:2:85\n  |\n2 | x = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...\n  |                                                                                     ^\n  |\n  = help: simplify the values; deeply nested data belongs in a data file\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn yaml_alias_bomb() {
    let mut text = String::from("---\nextra:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("  a{i}: &a{i} [{refs}]\n"));
    }
    text.push_str("---\n");
    check(
        &[("content/a.md", text.as_bytes())],
        1,
        "error: front matter is nested or repeated too deeply\n --> content/a.md:2:1\n  |\n2 | extra:\n  | ^\n  |\n  = help: simplify the values; deeply nested data belongs in a data file\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn weight_that_is_not_a_number() {
    check(
        &[("content/a.md", b"---\nweight: heavy\n---\n")],
        1,
        "error: `weight` must be a whole number, not the text `heavy`\n --> content/a.md:2:9\n  |\n2 | weight: heavy\n  |         ^^^^^\n  |\n  = help: write a number without quotes, e.g. `weight: 10`\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn unknown_page_kind() {
    check(
        &[("content/a.md", b"---\nkind: eassy\n---\n")],
        1,
        "error: unknown page kind `eassy`\n --> content/a.md:2:7\n  |\n2 | kind: eassy\n  |       ^^^^^\n  |\n  = help: use one of: essay, case-study, checklist, note\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn toml_duplicate_key() {
    check(
        &[("content/a.md", b"+++\ntitle = \"A\"\ntitle = \"B\"\n+++\n")],
        1,
        "error: `title` is set twice in front matter\n --> content/a.md:3:1\n  |\n3 | title = \"B\"\n  | ^^^^^\n  |\n  = help: remove one of the two lines\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn toml_unknown_field_and_wrong_type() {
    check(
        &[(
            "content/a.md",
            b"+++\ntitel = \"A\"\npeople = \"Cyrus\"\n+++\n",
        )],
        1,
        "error: unknown field `titel` in front matter\n --> content/a.md:2:1\n  |\n2 | titel = \"A\"\n  | ^^^^^\n  |\n  = help: did you mean `title`?\n\nerror: `people` must be a list, not the text `Cyrus`\n --> content/a.md:3:10\n  |\n3 | people = \"Cyrus\"\n  |          ^^^^^^^\n  |\n  = help: write `people = [\"Cyrus\"]`\n\nerror: build failed with 2 errors; nothing was written\n",
    );
}

#[test]
fn toml_nested_ten_thousand_levels() {
    check(
        &[("content/a.md", &nested_lists("+++", "extra = "))],
        1,
        "error: front matter is nested or repeated too deeply\n --> content/a.md:2:89\n  |\n2 | extra = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...\n  |                                                                                         ^\n  |\n  = help: simplify the values; deeply nested data belongs in a data file\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn code_blocks_too_costly_to_highlight() {
    let text = format!(
        "---\ntitle: Costly\n---\n\n```ini\n{}\n```\n\n```less\na{}\n```\n\n```coffee\na{}\n```\n\n```rust\nfn main() {{}}\n```\n",
        " ".repeat(2_000),
        " ".repeat(20_000),
        " ".repeat(20_000)
    );
    let (code, stderr, site) = break_site(&[("content/costly.md", text.as_bytes())]);
    let expected = "warning: code block shown without highlighting: the `ini` grammar is too slow on this code\n --> content/costly.md:5:4\n  |\n5 | ```ini\n  |    ^^^\n  |\n  = help: break up long lines (a long run of spaces is the usual cause), or mark the block `text`\n\nwarning: code block shown without highlighting: the `less` grammar is too slow on this code\n --> content/costly.md:9:4\n  |\n9 | ```less\n  |    ^^^^\n  |\n  = help: break up long lines (a long run of spaces is the usual cause), or mark the block `text`\n\nwarning: code block shown without highlighting: the `coffee` grammar is too slow on this code\n  --> content/costly.md:13:4\n   |\n13 | ```coffee\n   |    ^^^^^^\n   |\n   = help: break up long lines (a long run of spaces is the usual cause), or mark the block `text`\n\n";
    assert_eq!((code, stderr.as_str()), (0, expected));
    let html = site.read("public/costly/index.html");
    let plain = format!(
        "<pre class=\"hl\" data-lang=\"ini\"><code class=\"language-ini\">{}\n</code></pre>",
        " ".repeat(2_000)
    );
    assert!(html.contains(&plain), "{html}");
    assert!(
        html.contains("<span class=\"hl-source hl-rust\">"),
        "{html}"
    );
    // Again, now with the highlight cache the first build saved: still plain, still said.
    let run = site.run(&["build"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, expected));
    assert_eq!(site.read("public/costly/index.html"), html);
}

#[test]
fn era_of_all_the_years() {
    check(
        &[(
            "content/deep.md",
            b"---\ntitle: Deep time\nkind: case-study\nera: {start: -2147483647, end: 2147483647}\n---\nAll of it.\n",
        )],
        1,
        "error: `era.end` is out of range: 2147483647\n --> content/deep.md:4:1\n  |\n4 | era: {start: -2147483647, end: 2147483647}\n  | ^^^\n  |\n  = help: eras are years from 10000 BCE to 10000 CE (`-10000` to `10000`)\n\nerror: `era.start` is out of range: -2147483647\n --> content/deep.md:4:1\n  |\n4 | era: {start: -2147483647, end: 2147483647}\n  | ^^^\n  |\n  = help: eras are years from 10000 BCE to 10000 CE (`-10000` to `10000`)\n\nerror: build failed with 2 errors; nothing was written\n",
    );
}

#[test]
fn content_file_of_500_mb() {
    let site = Site::with_good_page();
    site.build_ok();
    // Sparse: 500 MB long, no disk used.
    let file = std::fs::File::create(site.path().join("content/dump.md")).unwrap();
    file.set_len(500 << 20).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(
        run.stderr,
        "error: `content/dump.md` is too large: 500 MB; steppe reads text files of up to 16 MB\n--> content/dump.md\n = help: split it into several pages; data that is only copied belongs in a file that does not end in .md (or in static/)\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert_eq!(run.code, 1);
    assert!(site.read("public/good/index.html").contains("Fine."));
}

#[test]
fn fifty_thousand_links_on_one_line() {
    let mut text = b"---\ntitle: Many\n---\n".to_vec();
    text.extend(vec!["[[good]]"; 50_000].join(" ").into_bytes());
    let (code, stderr, site) = break_site(&[("content/many.md", &text)]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let html = site.read("public/many/index.html");
    assert!(html.matches(r#"href="/good/""#).count() >= 50_000);
}

/// Each of 20,000 broken links on one line is reported with a snippet of the line around its
/// caret, not the whole line: printing the whole line each time took minutes.
#[test]
fn twenty_thousand_broken_links_on_one_line() {
    let mut text = b"---\ntitle: Many\n---\n".to_vec();
    text.extend(vec!["[[nowhere]]"; 20_000].join(" ").into_bytes());
    let (code, stderr, _) = break_site(&[("content/many.md", &text)]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr
            .matches("error: broken wikilink: no page is called `nowhere`")
            .count(),
        20_000
    );
    let longest = stderr.lines().map(str::len).max().unwrap();
    assert!(longest < 600, "a snippet line is {longest} bytes long");
    // The last link's snippet shows the text before it, and its column.
    assert!(
        stderr.contains(" --> content/many.md:4:239991\n"),
        "{}",
        &stderr[stderr.len() - 2000..]
    );
}

#[test]
fn a_thousand_tags_on_one_page() {
    let tags: Vec<String> = (0..1000).map(|i| format!("#tag{i}")).collect();
    let text = format!("---\ntitle: Tagged\n---\n{}\n", tags.join(" "));
    check(
        &[("content/tagged.md", text.as_bytes())],
        1,
        "error: `content/tagged.md` has 1000 tags; a page may have at most 200\n --> content/tagged.md:2:1\n  |\n2 | title: Tagged\n  | ^^^^^^^^^^^^^\n  |\n  = help: keep the few tags that group this page with others; inline `#words` in the text count as tags too\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

/// What both oversized tables print: the error points at the delimiter row of the table that
/// passes the limit (line 5, after the front matter and the header row).
const TABLE_TOO_LARGE: &str = "error: `content/table.md` has more than 100000 table cells; a page may have at most 100000, empty ones included\n --> content/table.md:5:1\n  |\n5 | |-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|...|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|\n  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^...^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: split the table over several pages, or publish the data as a file in static/ (a .csv) and link to it\n\nerror: build failed with 1 error; nothing was written\n";

/// The header row and the delimiter row of a table of `columns` columns.
fn table_head(columns: usize) -> String {
    format!("{}|\n{}|\n", "|a".repeat(columns), "|-".repeat(columns))
}

#[test]
fn table_of_eight_million_bare_cells() {
    let mut text = format!("---\ntitle: Table\n---\n{}", table_head(400));
    let row = format!("{}\n", "|".repeat(400));
    text.push_str(&row.repeat(8_000_000 / row.len()));
    check(&[("content/table.md", text.as_bytes())], 1, TABLE_TOO_LARGE);
}

#[test]
fn table_rows_padded_to_a_thousand_columns() {
    let table = format!("{}{}\n", table_head(1000), "x\n".repeat(300));
    let text = format!("---\ntitle: Table\n---\n{}", table.repeat(100));
    check(&[("content/table.md", text.as_bytes())], 1, TABLE_TOO_LARGE);
}

#[test]
fn a_million_markdown_elements() {
    let text = format!("---\ntitle: Dense\n---\n{}\n", "*a* ".repeat(300_000));
    check(
        &[("content/dense.md", text.as_bytes())],
        1,
        "error: `content/dense.md` has more than 1000000 Markdown elements; a page may have at most 1000000\n --> content/dense.md:4:1000000\n  |\n4 | ... *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *...\n  |                                                                    ^\n  |\n  = help: split the page into several pages\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn ten_thousand_inline_tags_on_one_page() {
    let tags: Vec<String> = (0..10_000).map(|i| format!("#tag{i}")).collect();
    let text = format!("---\ntitle: Tagged\n---\n{}\n", tags.join(" "));
    check(
        &[("content/tagged.md", text.as_bytes())],
        1,
        "error: `content/tagged.md` has 10000 tags; a page may have at most 200\n --> content/tagged.md:2:1\n  |\n2 | title: Tagged\n  | ^^^^^^^^^^^^^\n  |\n  = help: keep the few tags that group this page with others; inline `#words` in the text count as tags too\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

/// Every term page lists its pages; a card listing each page's every tag and a summary full of
/// tags made the output grow with pages × tags². Cards show eight tags and a summary of at most
/// 2 KB of HTML (here cut to its first words).
#[test]
fn a_hundred_pages_sharing_a_hundred_tags() {
    let site = Site::new("title = \"T\"\n[search]\nenabled = false\n");
    let tags: Vec<String> = (0..100).map(|i| format!("#shared-tag-{i}")).collect();
    let text = format!("---\ntitle: Tagged\n---\n{}\n", tags.join(" "));
    for p in 0..100 {
        site.write(
            &format!("content/p{p}.md"),
            &text.replace("Tagged", &format!("Tagged {p}")),
        );
    }
    let run = site.run(&["build"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let size: usize = site.tree("public").values().map(Vec::len).sum();
    assert!(size < 40 << 20, "{size} bytes");
    let term = site.read("public/tags/shared-tag-7/index.html");
    let card = &term[term.find("<article class=\"card").unwrap()..];
    let card = &card[..card.find("</article>").unwrap()];
    assert_eq!(card.matches("rel=\"tag\"").count(), 8, "{card}");
    assert!(card.contains(">+92 more tags</a>"), "{card}");
    let summary = format!(
        "<div class=\"card-summary\"><p>{}…</p></div>",
        tags[..21].join(" ")
    );
    assert!(card.contains(&summary), "{card}");
}

#[test]
fn lists_nested_two_hundred_thousand_levels() {
    let mut text = b"---\ntitle: Deep\n---\n".to_vec();
    text.extend(b"- ".repeat(200_000));
    text.extend(b"bottommost\n");
    let (code, stderr, site) = break_site(&[("content/deep.md", &text)]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let html = site.read("public/deep/index.html");
    assert!(html.matches("<ul>").count() >= 200_000, "{}", html.len());
    assert!(site.exists("public/pagefind/pagefind-entry.json"));
}

#[test]
fn lists_nested_ten_thousand_levels() {
    let mut text = b"---\ntitle: Deep\n---\n".to_vec();
    text.extend(b"- ".repeat(10_000));
    text.extend(b"deep\n");
    let (code, stderr, site) = break_site(&[("content/deep.md", &text)]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let html = site.read("public/deep/index.html");
    assert!(html.matches("<ul>").count() >= 10_000, "{}", html.len());
    assert!(html.contains("deep"));
}

#[test]
fn block_quotes_nested_ten_thousand_levels() {
    let mut text = b"---\ntitle: Deep\n---\n".to_vec();
    text.extend(b">".repeat(10_000));
    text.extend(b" deep\n");
    let (code, stderr, site) = break_site(&[("content/deep.md", &text)]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let html = site.read("public/deep/index.html");
    assert!(
        html.matches("<blockquote>").count() >= 10_000,
        "{}",
        html.len()
    );
}

#[test]
fn broken_symbolic_link_in_content() {
    let site = Site::with_good_page();
    site.build_ok();
    std::os::unix::fs::symlink("gone.md", site.path().join("content/moved.md")).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(
        run.stderr,
        "error: cannot read `content/moved.md`: No such file or directory (os error 2)\n--> content/moved.md\n = help: check the folder's permissions and that every symbolic link points to an existing file\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert_eq!(run.code, 1);
    assert!(site.read("public/good/index.html").contains("Fine."));
}

#[cfg(unix)]
#[test]
fn unreadable_content_file_and_folder() {
    use std::os::unix::fs::PermissionsExt;
    let Some(wrapper) = crate::faults::without_root_override() else {
        return;
    };
    let site = Site::with_good_page();
    site.build_ok();
    site.write("content/secret.md", "---\ntitle: Secret\n---\n");
    site.write("content/private/x.md", "---\ntitle: X\n---\n");
    let mode = |path: &str, mode| {
        std::fs::set_permissions(
            site.path().join(path),
            std::fs::Permissions::from_mode(mode),
        )
        .unwrap();
    };
    mode("content/secret.md", 0o000);
    mode("content/private", 0o000);
    let run = site.run_wrapped(&wrapper, &["build"]);
    mode("content/secret.md", 0o644);
    mode("content/private", 0o755);
    assert_eq!(
        run.stderr,
        "error: cannot read `content/private`: Permission denied (os error 13)\n--> content/private\n = help: check the folder's permissions and that every symbolic link points to an existing file\n\nerror: cannot read `content/secret.md`: Permission denied (os error 13)\n--> content/secret.md\n = help: check the file's permissions (`chmod u+r`)\n\nerror: build failed with 2 errors; nothing was written\n"
    );
    assert_eq!(run.code, 1);
    assert!(site.read("public/good/index.html").contains("Fine."));
}

#[test]
fn embed_cycle() {
    check(
        &[
            ("content/a.md", b"---\ntitle: A\n---\n![[b]]\n"),
            ("content/b.md", b"---\ntitle: B\n---\n![[a]]\n"),
        ],
        1,
        "error: embed cycle: content/a.md embeds content/b.md embeds content/a.md\n --> content/b.md:4:4\n  |\n4 | ![[a]]\n  |    ^\n  |\n  = help: an embed may not bring in, directly or through other embeds, the page, section or block that holds it\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn ambiguous_wikilink() {
    check(
        &[
            ("content/x/note.md", b"---\ntitle: Note\n---\n"),
            ("content/y/note.md", b"---\ntitle: Note\n---\n"),
            ("content/a.md", b"---\ntitle: A\n---\nSee [[note]].\n"),
        ],
        1,
        "error: ambiguous wikilink: `note` could be content/x/note.md or content/y/note.md\n --> content/a.md:4:7\n  |\n4 | See [[note]].\n  |       ^^^^\n  |\n  = help: qualify it with its folder: [[x/note]] or [[y/note]]\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn math_that_is_not_latex() {
    check(
        &[(
            "content/a.md",
            b"---\ntitle: A\n---\nSo $\\frac{1}$ and $\\nosuch{x}$ there.\n",
        )],
        1,
        "error: cannot render math: expected a token\n --> content/a.md:4:4\n  |\n4 | So $\\frac{1}$ and $\\nosuch{x}$ there.\n  |    ^^^^^^^^^^\n  |\n  = help: check the LaTeX: braces must balance and commands must be known to pulldown-latex\n\nerror: cannot render math: unknown primitive command found\n --> content/a.md:4:19\n  |\n4 | So $\\frac{1}$ and $\\nosuch{x}$ there.\n  |                   ^^^^^^^^^^^^\n  |\n  = help: check the LaTeX: braces must balance and commands must be known to pulldown-latex\n\nerror: build failed with 2 errors; nothing was written\n",
    );
}

#[test]
fn site_toml_wrong_type() {
    check(
        &[(
            "site.toml",
            b"title = \"T\"\n[pagination]\nper_page = \"ten\"\n",
        )],
        1,
        "error: wrong type in site.toml: expected a whole number without quotes, found string \"ten\"\n --> site.toml:3:12\n  |\n3 | per_page = \"ten\"\n  |            ^^^^^\n  |\n  = help: see the site.toml reference (docs/content/reference/site-toml.md) for each key's type\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn site_toml_not_utf8() {
    check(
        &[("site.toml", b"title = \"Caf\xe9\"\n")],
        1,
        "error: `site.toml` is not valid UTF-8 (byte 12 is 0xE9)\n --> site.toml:1:13\n  |\n1 | title = \"Caf�\"\n  |             ^\n  |\n  = help: save the file as UTF-8 in your editor\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn theme_toml_unknown_key() {
    check(
        &[(
            "themes/steppe/theme.toml",
            b"name = \"steppe\"\nversion = \"1\"\n",
        )],
        1,
        "error: invalid theme.toml: unknown field `version`, expected one of `name`, `description`, `author`, `license`\n --> themes/steppe/theme.toml:2:1\n  |\n2 | version = \"1\"\n  | ^^^^^^^\n  |\n  = help: theme.toml knows `name`, `description`, `author` and `license`\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn template_named_in_front_matter_is_missing() {
    check(
        &[(
            "content/a.md",
            b"---\ntitle: A\ntemplate: essay-wide.html\n---\n",
        )],
        1,
        "error: template `essay-wide.html` not found\n --> content/a.md:3:1\n  |\n3 | template: essay-wide.html\n  | ^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: name a file of the theme's templates/ or of your own templates/ folder\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn template_unknown_filter() {
    check(
        &[("templates/page.html", b"{{ page.title | shout }}\n")],
        1,
        "error: template error: Unknown filter `shout`\n --> templates/page.html:1:17\n  |\n1 | {{ page.title | shout }}\n  |                 ^^^^^\n  |\n  = help: check the name for a typo; steppe's filters are Tera's built-in ones plus `date`, `json_encode` and `urlencode`\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn two_aliases_claiming_one_url() {
    check(
        &[
            (
                "content/a.md",
                b"---\ntitle: A\naliases: [\"/old/\"]\n---\n",
            ),
            (
                "content/b.md",
                b"---\ntitle: B\naliases: [\"/old/\"]\n---\n",
            ),
        ],
        1,
        "error: alias /old/ of `content/b.md` collides with `content/a.md`\n --> content/b.md:3:1\n  |\n3 | aliases: [\"/old/\"]\n  | ^^^^^^^^^^^^^^^^^^\n  |\n  = help: an alias must be a URL no page uses; remove it or pick another\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

fn check_output_dir(args: &[&str], expected: &str) {
    let site = Site::with_good_page();
    site.build_ok();
    let before = site.tree("");
    let run = site.run(args);
    assert_eq!(run.stderr, expected);
    assert_eq!(run.code, 1);
    assert_eq!(site.tree(""), before, "a file changed");
}

#[test]
fn output_dir_inside_content() {
    check_output_dir(
        &["build", "--output-dir", "content/public"],
        "error: output_dir `content/public` is inside the site's `content/` folder\n |\n = help: steppe replaces the output folder on every build; set output_dir in site.toml to a folder of its own, such as \"public\"\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn output_dir_is_the_site_root() {
    check_output_dir(
        &["build", "--output-dir", "."],
        "error: output_dir `.` is the site folder itself\n |\n = help: steppe replaces the output folder on every build; set output_dir in site.toml to a folder of its own, such as \"public\"\n\nerror: build failed with 1 error; nothing was written\n",
    );
}

#[test]
fn output_dir_not_created_by_steppe() {
    let site = Site::with_good_page();
    site.write("docs/notes.txt", "mine");
    let run = site.run(&["build", "--output-dir", "docs"]);
    assert_eq!(
        run.stderr,
        "error: docs/ was not created by steppe; refusing to replace it\n |\n = help: move its files away or choose another output_dir\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert_eq!(run.code, 1);
    assert_eq!(site.read("docs/notes.txt"), "mine");
    assert_eq!(site.files("docs"), ["notes.txt"]);
}

#[test]
fn output_dir_is_a_file() {
    let site = Site::with_good_page();
    site.write("out", "a file");
    let run = site.run(&["build", "--output-dir", "out"]);
    assert_eq!(
        run.stderr,
        "error: output_dir `out` exists but is not a folder\n |\n = help: move the file away or choose another output_dir\n\nerror: build failed with 1 error; nothing was written\n"
    );
    assert_eq!(run.code, 1);
    assert_eq!(site.read("out"), "a file");
}

#[test]
fn old_url_aliases_outside_the_output() {
    check_and_build_agree(
        &[(
            "content/a.md",
            b"---\ntitle: A\naliases: [\"/../x/\", \"/a//b/\", \"/fine/\"]\n---\n",
        )],
        1,
        "error: alias `/../x/` of `content/a.md` may not contain `.` or `..`\n --> content/a.md:3:12\n  |\n3 | aliases: [\"/../x/\", \"/a//b/\", \"/fine/\"]\n  |            ^^^^^^\n  |\n  = help: write the old URL from the site's root, e.g. `/old/path/`\n\nerror: alias `/a//b/` of `content/a.md` has an empty segment\n --> content/a.md:3:22\n  |\n3 | aliases: [\"/../x/\", \"/a//b/\", \"/fine/\"]\n  |                      ^^^^^^\n  |\n  = help: write one `/` between names, e.g. `/old/path/`\n\nerror: build failed with 2 errors; nothing was written\n",
    );
}

#[test]
fn an_eighty_character_cjk_file_name() {
    let name = format!("content/{}.md", "草".repeat(80));
    let (code, stderr, site) = break_site(&[(name.as_str(), b"Grass.\n".as_slice())]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    // 50 whole words of `cao`: 199 bytes, where the 80 words were 319.
    let slug = vec!["cao"; 50].join("-");
    assert!(
        site.read(&format!("public/{slug}/index.html"))
            .contains("Grass.")
    );
    assert_eq!(site.run(&["check"]).code, 0);
}

#[test]
fn a_three_hundred_character_tag() {
    let tag = "t".repeat(300);
    let page = format!("---\ntitle: Tagged\ntags: [{tag}]\n---\nText.\n");
    let (code, stderr, site) = break_site(&[("content/tagged.md", page.as_bytes())]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let slug = "t".repeat(200);
    let html = site.read(&format!("public/tags/{slug}/index.html"));
    assert!(html.contains("Tagged"), "{html}");
}

#[test]
fn output_paths_too_long_for_a_file_system() {
    let permalink = format!("---\npermalink: notes/{}\n---\n", "p".repeat(300));
    let nested = format!("---\ntags: [{}]\n---\n", vec!["abc"; 300].join("/"));
    check_and_build_agree(
        &[
            ("content/long.md", permalink.as_bytes()),
            ("content/nested.md", nested.as_bytes()),
        ],
        1,
        "error: the URL of `content/long.md` has a folder or file name of 300 bytes (`pppppppppppppppppppppppppppppppppppppppp…`), longer than the 255 a file system holds\n --> content/long.md:2:1\n  |\n2 | permalink: notes/pppppppppppppppppppppppppppp...ppppppppppppppppppppppppppppppppppppppppppppp\n  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^...^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: choose a shorter `permalink:`\n\nerror: the tags term `abc/abc/abc/abc/abc/abc/abc/abc/abc/abc/…` has a URL that is 1215 bytes long, past the 1024 bytes steppe writes\n --> content/nested.md:2:8\n  |\n2 | ...: [abc/abc/abc/abc/abc/abc/abc/abc/abc/abc/abc/a...c/abc/abc/abc/abc/abc/abc/abc/abc/abc/abc/abc]\n  |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^...^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: use fewer `/`-separated levels in the term\n\nerror: build failed with 2 errors; nothing was written\n",
    );
}

#[test]
fn author_files_on_generated_paths() {
    check_and_build_agree(
        &[
            (
                "content/a.md",
                b"---\ntitle: A\naliases: [\"/search/\", \"/atom.xml\"]\n---\n",
            ),
            ("content/graph.md", b"---\ntitle: Graph theory\n---\n"),
            (
                "content/pagefind/notes.md",
                b"A folder where the index goes.\n",
            ),
            ("static/sitemap.xml", b"<urlset/>"),
            ("static/good/index.html", b"<p>Not the page.</p>"),
            ("content/syntax.css", b"pre {}"),
            ("content/lost.md", b"---\npermalink: 404.html\n---\n"),
            ("static/robots.txt", b"User-agent: *\nDisallow: /\n"),
        ],
        1,
        "error: the file `content/syntax.css` and the highlighting stylesheet both want /syntax.css\n |\n = help: rename or remove the file; the highlighting stylesheet is generated there: steppe always writes it\n\nerror: the folder `content/pagefind/` and the search index both want /pagefind/\n |\n = help: rename the folder; the search index is generated there: it is written while `[search] enabled` is true\n\nerror: the static file `sitemap.xml` and the sitemap both want /sitemap.xml\n |\n = help: rename or remove the file; the sitemap is generated there: steppe always writes it\n\nerror: alias /atom.xml/ of `content/a.md` and an Atom feed both want /atom.xml (one is a file, the other needs a folder of that name for /atom.xml/)\n --> content/a.md:3:1\n  |\n3 | aliases: [\"/search/\", \"/atom.xml\"]\n  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: remove the alias or pick another URL; an Atom feed is generated there: it is written while `[feed] enabled` is true\n\nerror: alias /search/ of `content/a.md` and the search page both want /search/\n --> content/a.md:3:1\n  |\n3 | aliases: [\"/search/\", \"/atom.xml\"]\n  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: remove the alias or pick another URL; the search page is generated there: it is written while `[search] enabled` is true\n\nerror: `content/good.md` and the static file `good/index.html` both want /good/\n --> content/good.md:2:1\n  |\n2 | title: Good\n  | ^^^^^^^^^^^\n  |\n  = help: rename the file, or give the page another URL\n\nerror: `content/graph.md` and the link graph both want /graph/\n --> content/graph.md:2:1\n  |\n2 | title: Graph theory\n  | ^^^^^^^^^^^^^^^^^^^\n  |\n  = help: rename the file or give it another `slug:`; the link graph is generated there: the theme's `graph.html` template writes it\n\nerror: `content/lost.md` and the 404 page both want /404.html\n --> content/lost.md:2:1\n  |\n2 | permalink: 404.html\n  | ^^^^^^^^^^^^^^^^^^^\n  |\n  = help: choose another `permalink:`; the 404 page is generated there: the theme's `404.html` template writes it\n\nerror: `content/pagefind/notes.md` and the search index both want /pagefind/notes/\n--> content/pagefind/notes.md\n = help: rename the file or give it another `slug:`; the search index is generated there: it is written while `[search] enabled` is true\n\nerror: build failed with 9 errors; nothing was written\n",
    );
}

#[test]
fn pager_and_feed_names_that_are_paths() {
    check_and_build_agree(
        &[(
            "site.toml",
            b"title = \"T\"\n[pagination]\npath = \"../x\"\n[feed]\nfilename = \"a/atom.xml\"\n",
        )],
        1,
        "error: `pagination.path` is not a file name a URL can hold as it is: `../x`\n --> site.toml:3:1\n  |\n3 | path = \"../x\"\n  | ^^^^\n  |\n  = help: use up to 100 letters, digits, `-`, `_` and `.` (not `.` first), e.g. \"page\"\n\nerror: `feed.filename` is not a file name a URL can hold as it is: `a/atom.xml`\n --> site.toml:5:1\n  |\n5 | filename = \"a/atom.xml\"\n  | ^^^^^^^^\n  |\n  = help: use up to 100 letters, digits, `-`, `_` and `.` (not `.` first), e.g. \"atom.xml\"\n\nerror: build failed with 2 errors; nothing was written\n",
    );
}

/// The table at the top of this file names real tests, and at least 40 cases.
#[test]
fn the_catalogue_table_names_existing_tests() {
    let dir = std::path::Path::new(crate::support::REPO).join("tests/cli");
    let read = |file: &str| std::fs::read_to_string(dir.join(file)).unwrap();
    let this = read("catalogue.rs");
    let mut rows = 0;
    for line in this
        .lines()
        .filter(|l| l.starts_with("//! | ") && !l.contains("---"))
    {
        let Some(test) = line.rsplit("| ").next() else {
            continue;
        };
        let test = test.trim_end_matches(" |").trim();
        let (file, name) = match test.split_once(' ') {
            Some(("c", name)) => ("catalogue.rs", name),
            Some(("e", name)) => ("errors.rs", name),
            Some(("f", name)) => ("faults.rs", name),
            Some(("u", name)) => ("untrusted.rs", name),
            Some(("z", name)) => ("zero_setup.rs", name),
            _ => continue, // the header row
        };
        let name = name.trim_matches('`');
        assert!(
            read(file).contains(&format!("fn {name}()")),
            "{file} has no test `{name}`"
        );
        rows += 1;
    }
    assert!(rows >= 40, "only {rows} cases");
}
