//! A catalogue of broken inputs: each case asserts the complete message an author sees (exact
//! stderr: file:line:column where there is a position, the caret snippet, the hint), the exit
//! code, and that the previously published site is still there, byte for byte. Messages are
//! inline snapshots: `cargo insta test --accept` (or `INSTA_UPDATE=always`, then `cargo insta
//! accept`) writes what steppe printed into the test, to be read before it is committed.
//!
//! Every bad input of issue 7, and where its test is (`c` = this file, `b` = `embeds.rs`, `e` =
//! `errors.rs`, `f` = `faults.rs`, which also covers faults outside the author's control, `u` =
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
//! | 33 | embed cycle | error | b `pages_may_embed_sections_of_each_other_that_do_not_embed_back` |
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

use insta::assert_snapshot;

use crate::support::{PROSE, Site, element, elements};

/// A build of `site` that takes its odd input in its stride: exit 0, nothing on stderr, and the
/// good page still published.
fn builds_cleanly(site: &Site) {
    site.build().succeeds_silently();
    assert_eq!(
        element(&site.read("public/good/index.html"), PROSE),
        "<div class=\"prose\">\n<p>Fine.</p>\n\n    </div>"
    );
}

#[test]
fn front_matter_fence_never_closed() {
    let site = Site::built().with_file(
        "content/a.md",
        "---\ntitle: A\n\nBody without a closing fence.\n",
    );
    assert_snapshot!(site.build().fails(), @"
    error: front matter is not closed
     --> content/a.md:1:1
      |
    1 | ---
      | ^^^
      |
      = help: end it with a line containing only `---`

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn yaml_tab_indentation() {
    let site = Site::built().with_file(
        "content/a.md",
        "---\ntitle: A\nextra:\n\tcolour: red\n---\n",
    );
    assert_snapshot!(site.build().fails(), @"
    error: tab character used for indentation
     --> content/a.md:4:1
      |
    4 |     colour: red
      | ^^^^
      |
      = help: YAML does not allow tabs for indentation; indent with spaces

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn yaml_unclosed_quote() {
    let site = Site::built().with_file("content/a.md", "---\ntitle: \"A\n---\n");
    assert_snapshot!(site.build().fails(), @r#"
    error: quoted value is not closed
     --> content/a.md:2:8
      |
    2 | title: "A
      |        ^
      |
      = help: add the closing quote at the end of the value

    error: build failed with 1 error; nothing was written
    "#);
}

#[test]
fn yaml_duplicate_key() {
    let site = Site::built().with_file("content/a.md", "---\ntitle: A\ntitle: B\n---\n");
    assert_snapshot!(site.build().fails(), @"
    error: `title` is set twice in front matter
     --> content/a.md:3:1
      |
    3 | title: B
      | ^^^^^
      |
      = help: remove one of the two lines

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn toml_front_matter_syntax_error() {
    let site = Site::built().with_file("content/a.md", "+++\ntitle = A\n+++\n");
    assert_snapshot!(site.build().fails(), @r#"
    error: invalid TOML: string values must be quoted, expected literal string
     --> content/a.md:2:9
      |
    2 | title = A
      |         ^
      |
      = help: check the TOML syntax: text values need quotes, lists are written `["a", "b"]`, each key appears once

    error: build failed with 1 error; nothing was written
    "#);
}

#[test]
fn draft_that_is_not_a_boolean() {
    let site = Site::built().with_file("content/a.md", "---\ndraft: maybe\n---\n");
    assert_snapshot!(site.build().fails(), @"
    error: `draft` must be `true` or `false`, not the text `maybe`
     --> content/a.md:2:8
      |
    2 | draft: maybe
      |        ^^^^^
      |
      = help: write `draft: true` or `draft: false`, without quotes

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn non_utf8_content() {
    let site = Site::built().with_file("content/a.md", b"---\ntitle: A\n---\nCaf\xe9\n");
    assert_snapshot!(site.build().fails(), @"
    error: `content/a.md` is not valid UTF-8 (byte 20 is 0xE9)
     --> content/a.md:4:4
      |
    4 | Caf�
      |    ^
      |
      = help: save the file as UTF-8 in your editor

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn site_toml_syntax_error() {
    let site = Site::built().with_file("site.toml", "title = \"T\n");
    assert_snapshot!(site.build().fails(), @r#"
    error: invalid basic string, expected `"`
     --> site.toml:1:11
      |
    1 | title = "T
      |           ^
      |
      = help: check the TOML syntax: strings need quotes, tables are written [name]

    error: build failed with 1 error; nothing was written
    "#);
}

#[test]
fn alias_colliding_with_a_page() {
    let site = Site::built().with_file(
        "content/a.md",
        "---\ntitle: A\naliases: [\"/good/\"]\n---\n",
    );
    assert_snapshot!(site.build().fails(), @r#"
    error: alias /good/ of `content/a.md` collides with `content/good.md`
     --> content/a.md:3:1
      |
    3 | aliases: ["/good/"]
      | ^^^^^^^^^^^^^^^^^^^
      |
      = help: an alias must be a URL no page uses; remove it or pick another

    error: build failed with 1 error; nothing was written
    "#);
}

#[test]
fn template_recursion() {
    let site = Site::built()
        .with_file("templates/page.html", "{% component loop(n: integer) %}{{ <loop n={n} /> }}{% endcomponent loop %}{{ <loop n={1} /> }}");
    assert_snapshot!(site.build().fails(), @"
    error: template error: Maximum render recursion depth for components exceeded.
     |
     = help: while rendering content/good.md (URL /good/)

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn empty_file_is_a_page() {
    let site = Site::built().with_file("content/empty.md", "");
    builds_cleanly(&site);
    let html = site.read("public/empty/index.html");
    assert_snapshot!(element(&html, "<h1"), @r#"<h1 data-pagefind-meta="title">empty</h1>"#);
}

#[test]
fn utf8_bom_is_ignored() {
    let site = Site::built().with_file(
        "content/bom.md",
        b"\xef\xbb\xbf---\ntitle: Bom\n---\nBody.\n",
    );
    builds_cleanly(&site);
    let html = site.read("public/bom/index.html");
    assert_snapshot!(element(&html, "<h1"), @r#"<h1 data-pagefind-meta="title">Bom</h1>"#);
    assert_snapshot!(element(&html, PROSE), @r#"
    <div class="prose">
    <p>Body.</p>

        </div>
    "#);
    assert!(!html.contains('\u{feff}'), "{html}");
}

#[test]
fn crlf_line_endings_are_fine() {
    let site = Site::built().with_file(
        "content/crlf.md",
        "---\r\ntitle: Crlf\r\n---\r\n# Heading\r\n\r\nText.\r\n",
    );
    builds_cleanly(&site);
    let html = site.read("public/crlf/index.html");
    assert!(!html.contains('\r'), "{html:?}");
    assert_snapshot!(element(&html, PROSE), @r##"
    <div class="prose">
    <h1 id="heading">Heading<a class="anchor" href="#heading" aria-label="Link to this section">#</a></h1>
    <p>Text.</p>

        </div>
    "##);
}

#[cfg(unix)]
#[test]
fn symlink_loop_in_content() {
    let site = Site::built();
    // Back to the content folder (the site folder would also bring its theme's `.md` templates).
    std::fs::create_dir(site.path().join("content/notes")).unwrap();
    std::os::unix::fs::symlink("..", site.path().join("content/notes/loop")).unwrap();
    assert_snapshot!(site.build().fails(), @"
    error: symbolic link loop: `content/notes/loop` points back to `content/`
    --> content/notes/loop
     = help: remove the link or make it point outside its own parent folders

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn yaml_key_indented_under_a_value() {
    let site = Site::built().with_file("content/a.md", "---\ntitle: A\n  description: B\n---\n");
    assert_snapshot!(site.build().fails(), @"
    error: this line is indented more than the key above it
     --> content/a.md:3:1
      |
    3 |   description: B
      | ^^
      |
      = help: keys of one mapping start in the same column; remove the extra spaces, or nest the line under a key that has no value of its own

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn yaml_value_with_a_colon() {
    let site = Site::built().with_file("content/a.md", "---\ntitle: Rome: the fall\n---\n");
    assert_snapshot!(site.build().fails(), @r#"
    error: unexpected `:` in a value
     --> content/a.md:2:12
      |
    2 | title: Rome: the fall
      |            ^
      |
      = help: a value that contains `: ` must be in quotes, e.g. `title: "Rome: the fall"`

    error: build failed with 1 error; nothing was written
    "#);
}

#[test]
fn yaml_front_matter_that_is_a_list() {
    let site = Site::built().with_file("content/a.md", "---\n- a\n- b\n---\n");
    assert_snapshot!(site.build().fails(), @"
    error: front matter is not a list of `key: value` lines
     --> content/a.md:2:1
      |
    2 | - a
      | ^
      |
      = help: write one `key: value` per line, e.g. `title: My page`

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn yaml_undefined_alias() {
    let site = Site::built().with_file("content/a.md", "---\ntitle: *name\n---\n");
    assert_snapshot!(site.build().fails(), @"
    error: `*name` refers to an anchor that is not defined
     --> content/a.md:2:8
      |
    2 | title: *name
      |        ^
      |
      = help: define the anchor first with `&name`, or quote a value that starts with `*`

    error: build failed with 1 error; nothing was written
    ");
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
    let site = Site::built().with_file("content/a.md", nested_lists("---", "extra: "));
    assert_snapshot!(site.build().fails(), @"
    error: front matter is nested or repeated too deeply
     --> content/a.md:2:135
      |
    2 | ...[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...
      |                                                                    ^
      |
      = help: simplify the values; deeply nested data belongs in a data file

    error: build failed with 1 error; nothing was written
    ");
}

fn brackets(fence: &str, key: &str, count: usize) -> Vec<u8> {
    format!("{fence}\n{key}{}\n{fence}\n", "[".repeat(count)).into_bytes()
}

#[test]
fn yaml_flow_nesting_of_200_kb() {
    let site = Site::built().with_file("content/a.md", brackets("---", "x: ", 200_000));
    assert_snapshot!(site.build().fails(), @"
    error: front matter is nested or repeated too deeply
     --> content/a.md:2:131
      |
    2 | ...[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...
      |                                                                    ^
      |
      = help: simplify the values; deeply nested data belongs in a data file

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn toml_flow_nesting_of_200_kb() {
    let site = Site::built().with_file("content/a.md", brackets("+++", "x = ", 200_000));
    assert_snapshot!(site.build().fails(), @"
    error: front matter is nested or repeated too deeply
     --> content/a.md:2:85
      |
    2 | x = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...
      |                                                                                     ^
      |
      = help: simplify the values; deeply nested data belongs in a data file

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn yaml_alias_bomb() {
    let mut text = String::from("---\nextra:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("  a{i}: &a{i} [{refs}]\n"));
    }
    text.push_str("---\n");
    let site = Site::built().with_file("content/a.md", text);
    assert_snapshot!(site.build().fails(), @"
    error: front matter is nested or repeated too deeply
     --> content/a.md:2:1
      |
    2 | extra:
      | ^
      |
      = help: simplify the values; deeply nested data belongs in a data file

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn weight_that_is_not_a_number() {
    let site = Site::built().with_file("content/a.md", "---\nweight: heavy\n---\n");
    assert_snapshot!(site.build().fails(), @"
    error: `weight` must be a whole number, not the text `heavy`
     --> content/a.md:2:9
      |
    2 | weight: heavy
      |         ^^^^^
      |
      = help: write a number without quotes, e.g. `weight: 10`

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn unknown_page_kind() {
    let site = Site::built().with_file("content/a.md", "---\nkind: eassy\n---\n");
    assert_snapshot!(site.build().fails(), @"
    error: unknown page kind `eassy`
     --> content/a.md:2:7
      |
    2 | kind: eassy
      |       ^^^^^
      |
      = help: use one of: essay, case-study, checklist, note

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn toml_duplicate_key() {
    let site = Site::built().with_file("content/a.md", "+++\ntitle = \"A\"\ntitle = \"B\"\n+++\n");
    assert_snapshot!(site.build().fails(), @r#"
    error: `title` is set twice in front matter
     --> content/a.md:3:1
      |
    3 | title = "B"
      | ^^^^^
      |
      = help: remove one of the two lines

    error: build failed with 1 error; nothing was written
    "#);
}

#[test]
fn toml_unknown_field_and_wrong_type() {
    let site = Site::built().with_file(
        "content/a.md",
        "+++\ntitel = \"A\"\npeople = \"Cyrus\"\n+++\n",
    );
    assert_snapshot!(site.build().fails(), @r#"
    error: unknown field `titel` in front matter
     --> content/a.md:2:1
      |
    2 | titel = "A"
      | ^^^^^
      |
      = help: did you mean `title`?

    error: `people` must be a list, not the text `Cyrus`
     --> content/a.md:3:10
      |
    3 | people = "Cyrus"
      |          ^^^^^^^
      |
      = help: write `people = ["Cyrus"]`

    error: build failed with 2 errors; nothing was written
    "#);
}

#[test]
fn toml_nested_ten_thousand_levels() {
    let site = Site::built().with_file("content/a.md", nested_lists("+++", "extra = "));
    assert_snapshot!(site.build().fails(), @"
    error: front matter is nested or repeated too deeply
     --> content/a.md:2:89
      |
    2 | extra = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...
      |                                                                                         ^
      |
      = help: simplify the values; deeply nested data belongs in a data file

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn code_blocks_too_costly_to_highlight() {
    let text = format!(
        "---\ntitle: Costly\n---\n\n```ini\n{}\n```\n\n```less\na{}\n```\n\n```coffee\na{}\n```\n\n```rust\nfn main() {{}}\n```\n",
        " ".repeat(2_000),
        " ".repeat(20_000),
        " ".repeat(20_000)
    );
    let site = Site::built().with_file("content/costly.md", text);
    let warnings = site.build().succeeds().to_string();
    assert_snapshot!(warnings, @"
    warning: code block shown without highlighting: the `ini` grammar is too slow on this code
     --> content/costly.md:5:4
      |
    5 | ```ini
      |    ^^^
      |
      = help: break up long lines (a long run of spaces is the usual cause), or mark the block `text`

    warning: code block shown without highlighting: the `less` grammar is too slow on this code
     --> content/costly.md:9:4
      |
    9 | ```less
      |    ^^^^
      |
      = help: break up long lines (a long run of spaces is the usual cause), or mark the block `text`

    warning: code block shown without highlighting: the `coffee` grammar is too slow on this code
      --> content/costly.md:13:4
       |
    13 | ```coffee
       |    ^^^^^^
       |
       = help: break up long lines (a long run of spaces is the usual cause), or mark the block `text`
    ");
    // The runs of spaces named, so the snapshot can be read.
    let html = site.read("public/costly/index.html");
    let prose = element(&html, PROSE)
        .replace(&" ".repeat(20_000), "[20,000 spaces]")
        .replace(&" ".repeat(2_000), "[2,000 spaces]");
    assert_snapshot!(prose, @r#"
    <div class="prose">
    <pre class="hl" data-lang="ini"><code class="language-ini">[2,000 spaces]
    </code></pre>
    <pre class="hl" data-lang="less"><code class="language-less">a[20,000 spaces]
    </code></pre>
    <pre class="hl" data-lang="coffee"><code class="language-coffee">a[20,000 spaces]
    </code></pre>
    <pre class="hl" data-lang="rust"><code class="language-rust"><span class="hl-source hl-rust"><span class="hl-meta hl-function hl-rust"><span class="hl-meta hl-function hl-rust"><span class="hl-storage hl-type hl-function hl-rust">fn</span> </span><span class="hl-entity hl-name hl-function hl-rust">main</span></span><span class="hl-meta hl-function hl-rust"><span class="hl-meta hl-function hl-parameters hl-rust"><span class="hl-punctuation hl-section hl-parameters hl-begin hl-rust">(</span></span><span class="hl-meta hl-function hl-rust"><span class="hl-meta hl-function hl-parameters hl-rust"><span class="hl-punctuation hl-section hl-parameters hl-end hl-rust">)</span></span></span></span><span class="hl-meta hl-function hl-rust"> </span><span class="hl-meta hl-function hl-rust"><span class="hl-meta hl-block hl-rust"><span class="hl-punctuation hl-section hl-block hl-begin hl-rust">{</span></span><span class="hl-meta hl-block hl-rust"><span class="hl-punctuation hl-section hl-block hl-end hl-rust">}</span></span></span>
    </span></code></pre>

        </div>
    "#);
    // Again, now with the highlight cache the first build saved: still plain, still said.
    assert_eq!(site.build().succeeds(), warnings);
    assert_eq!(site.read("public/costly/index.html"), html);
}

#[test]
fn era_of_all_the_years() {
    let site = Site::built()
        .with_file("content/deep.md", "---\ntitle: Deep time\nkind: case-study\nera: {start: -2147483647, end: 2147483647}\n---\nAll of it.\n");
    assert_snapshot!(site.build().fails(), @"
    error: `era.end` is out of range: 2147483647
     --> content/deep.md:4:1
      |
    4 | era: {start: -2147483647, end: 2147483647}
      | ^^^
      |
      = help: eras are years from 10000 BCE to 10000 CE (`-10000` to `10000`)

    error: `era.start` is out of range: -2147483647
     --> content/deep.md:4:1
      |
    4 | era: {start: -2147483647, end: 2147483647}
      | ^^^
      |
      = help: eras are years from 10000 BCE to 10000 CE (`-10000` to `10000`)

    error: build failed with 2 errors; nothing was written
    ");
}

#[test]
fn content_file_of_500_mb() {
    let site = Site::built();
    // Sparse: 500 MB long, no disk used.
    let file = std::fs::File::create(site.path().join("content/dump.md")).unwrap();
    file.set_len(500 << 20).unwrap();
    assert_snapshot!(site.build().fails(), @"
    error: `content/dump.md` is too large: 500 MB; steppe reads text files of up to 16 MB
    --> content/dump.md
     = help: split it into several pages; data that is only copied belongs in a file that does not end in .md (or in static/)

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn fifty_thousand_links_on_one_line() {
    let mut text = b"---\ntitle: Many\n---\n".to_vec();
    text.extend(vec!["[[good]]"; 50_000].join(" ").into_bytes());
    let site = Site::built().with_file("content/many.md", text);
    builds_cleanly(&site);
    let html = site.read("public/many/index.html");
    assert!(html.matches(r#"href="/good/""#).count() >= 50_000);
}

/// Each of 20,000 broken links on one line is reported with a snippet of the line around its
/// caret, not the whole line: printing the whole line each time took minutes.
#[test]
fn twenty_thousand_broken_links_on_one_line() {
    let mut text = b"---\ntitle: Many\n---\n".to_vec();
    text.extend(vec!["[[nowhere]]"; 20_000].join(" ").into_bytes());
    let site = Site::built().with_file("content/many.md", text);
    let build = site.build();
    let stderr = build.fails();
    assert_eq!(
        stderr
            .matches("error: broken wikilink: no page is called `nowhere`")
            .count(),
        20_000
    );
    let longest = stderr.lines().map(str::len).max().unwrap();
    assert!(longest < 600, "a snippet line is {longest} bytes long");
    // The last link's snippet shows the text before it, and its column.
    let last = &stderr[stderr.rfind("error: broken wikilink").unwrap()..];
    assert_snapshot!(last, @"
    error: broken wikilink: no page is called `nowhere`
     --> content/many.md:4:239991
      |
    4 | ...[nowhere]] [[nowhere]] [[nowhere]] [[nowhere]] [[nowhere]] [[nowhere]]
      |                                                                 ^^^^^^^
      |
      = help: wikilinks name a page by its file name, title or one of its aliases

    error: build failed with 20000 errors; nothing was written
    ");
}

#[test]
fn a_thousand_tags_on_one_page() {
    let tags: Vec<String> = (0..1000).map(|i| format!("#tag{i}")).collect();
    let text = format!("---\ntitle: Tagged\n---\n{}\n", tags.join(" "));
    let site = Site::built().with_file("content/tagged.md", text);
    assert_snapshot!(site.build().fails(), @"
    error: `content/tagged.md` has 1000 tags; a page may have at most 200
     --> content/tagged.md:2:1
      |
    2 | title: Tagged
      | ^^^^^^^^^^^^^
      |
      = help: keep the few tags that group this page with others; inline `#words` in the text count as tags too

    error: build failed with 1 error; nothing was written
    ");
}

/// The header row and the delimiter row of a table of `columns` columns.
fn table_head(columns: usize) -> String {
    format!("{}|\n{}|\n", "|a".repeat(columns), "|-".repeat(columns))
}

#[test]
fn table_of_eight_million_bare_cells() {
    let mut text = format!("---\ntitle: Table\n---\n{}", table_head(400));
    let row = format!("{}\n", "|".repeat(400));
    text.push_str(&row.repeat(8_000_000 / row.len()));
    let site = Site::built().with_file("content/table.md", text);
    assert_snapshot!(site.build().fails(), @"
    error: `content/table.md` has more than 100000 table cells; a page may have at most 100000, empty ones included
     --> content/table.md:5:1
      |
    5 | |-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|...|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|
      | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^...^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: split the table over several pages, or publish the data as a file in static/ (a .csv) and link to it

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn table_rows_padded_to_a_thousand_columns() {
    let table = format!("{}{}\n", table_head(1000), "x\n".repeat(300));
    let text = format!("---\ntitle: Table\n---\n{}", table.repeat(100));
    let site = Site::built().with_file("content/table.md", text);
    assert_snapshot!(site.build().fails(), @"
    error: `content/table.md` has more than 100000 table cells; a page may have at most 100000, empty ones included
     --> content/table.md:5:1
      |
    5 | |-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|...|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|-|
      | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^...^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: split the table over several pages, or publish the data as a file in static/ (a .csv) and link to it

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn a_million_markdown_elements() {
    let text = format!("---\ntitle: Dense\n---\n{}\n", "*a* ".repeat(300_000));
    let site = Site::built().with_file("content/dense.md", text);
    assert_snapshot!(site.build().fails(), @"
    error: `content/dense.md` has more than 1000000 Markdown elements; a page may have at most 1000000
     --> content/dense.md:4:1000000
      |
    4 | ... *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *a* *...
      |                                                                    ^
      |
      = help: split the page into several pages

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn ten_thousand_inline_tags_on_one_page() {
    let tags: Vec<String> = (0..10_000).map(|i| format!("#tag{i}")).collect();
    let text = format!("---\ntitle: Tagged\n---\n{}\n", tags.join(" "));
    let site = Site::built().with_file("content/tagged.md", text);
    assert_snapshot!(site.build().fails(), @"
    error: `content/tagged.md` has 10000 tags; a page may have at most 200
     --> content/tagged.md:2:1
      |
    2 | title: Tagged
      | ^^^^^^^^^^^^^
      |
      = help: keep the few tags that group this page with others; inline `#words` in the text count as tags too

    error: build failed with 1 error; nothing was written
    ");
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
    site.build().succeeds_silently();
    let size: usize = site.tree("public").values().map(Vec::len).sum();
    assert!(size < 40 << 20, "{size} bytes");
    let term = site.read("public/tags/shared-tag-7/index.html");
    assert_snapshot!(elements(&term, "<article class=\"card")[0], @r#"
    <article class="card card-note">
    <h2 class="card-title"><a href="/p0/">Tagged 0</a></h2>
    <p class="meta"><span class="kind">Note</span> · 1 min read</p>
    <div class="card-summary"><p>#shared-tag-0 #shared-tag-1 #shared-tag-2 #shared-tag-3 #shared-tag-4 #shared-tag-5 #shared-tag-6 #shared-tag-7 #shared-tag-8 #shared-tag-9 #shared-tag-10 #shared-tag-11 #shared-tag-12 #shared-tag-13 #shared-tag-14 #shared-tag-15 #shared-tag-16 #shared-tag-17 #shared-tag-18 #shared-tag-19 #shared-tag-20…</p></div><ul class="tags" aria-label="Tags">
    <li><a class="tag" href="/tags/shared-tag-0/" rel="tag">shared-tag-0</a></li>
    <li><a class="tag" href="/tags/shared-tag-1/" rel="tag">shared-tag-1</a></li>
    <li><a class="tag" href="/tags/shared-tag-10/" rel="tag">shared-tag-10</a></li>
    <li><a class="tag" href="/tags/shared-tag-11/" rel="tag">shared-tag-11</a></li>
    <li><a class="tag" href="/tags/shared-tag-12/" rel="tag">shared-tag-12</a></li>
    <li><a class="tag" href="/tags/shared-tag-13/" rel="tag">shared-tag-13</a></li>
    <li><a class="tag" href="/tags/shared-tag-14/" rel="tag">shared-tag-14</a></li>
    <li><a class="tag" href="/tags/shared-tag-15/" rel="tag">shared-tag-15</a></li>
    </ul><p class="more-tags"><a href="/p0/">+92 more tags</a></p>
    </article>
    "#);
}

#[test]
fn lists_nested_two_hundred_thousand_levels() {
    let mut text = b"---\ntitle: Deep\n---\n".to_vec();
    text.extend(b"- ".repeat(200_000));
    text.extend(b"bottommost\n");
    let site = Site::built().with_file("content/deep.md", text);
    builds_cleanly(&site);
    let html = site.read("public/deep/index.html");
    let prose = element(&html, PROSE);
    assert_eq!(prose.matches("<ul>").count(), 200_000, "{}", prose.len());
    // The innermost item only: the list around it is 200,000 levels of markup.
    assert!(prose.contains("<li>bottommost</li>"));
    assert!(site.exists("public/pagefind/pagefind-entry.json"));
}

#[test]
fn lists_nested_ten_thousand_levels() {
    let mut text = b"---\ntitle: Deep\n---\n".to_vec();
    text.extend(b"- ".repeat(10_000));
    text.extend(b"deep\n");
    let site = Site::built().with_file("content/deep.md", text);
    builds_cleanly(&site);
    let html = site.read("public/deep/index.html");
    let expected = format!(
        "<div class=\"prose\">\n{}<ul>\n<li>deep</li>\n</ul>\n{}\n    </div>",
        "<ul>\n<li>\n".repeat(9_999),
        "</li>\n</ul>\n".repeat(9_999)
    );
    let prose = element(&html, PROSE);
    assert!(prose == expected, "{}…", &prose[..300.min(prose.len())]);
}

#[test]
fn block_quotes_nested_ten_thousand_levels() {
    let mut text = b"---\ntitle: Deep\n---\n".to_vec();
    text.extend(b">".repeat(10_000));
    text.extend(b" deep\n");
    let site = Site::built().with_file("content/deep.md", text);
    builds_cleanly(&site);
    let html = site.read("public/deep/index.html");
    let expected = format!(
        "<div class=\"prose\">\n{}<p>deep</p>\n{}\n    </div>",
        "<blockquote>\n".repeat(10_000),
        "</blockquote>\n".repeat(10_000)
    );
    let prose = element(&html, PROSE);
    assert!(prose == expected, "{}…", &prose[..300.min(prose.len())]);
}

#[test]
fn broken_symbolic_link_in_content() {
    let site = Site::built();
    std::os::unix::fs::symlink("gone.md", site.path().join("content/moved.md")).unwrap();
    assert_snapshot!(site.build().fails(), @"
    error: cannot read `content/moved.md`: No such file or directory (os error 2)
    --> content/moved.md
     = help: check the folder's permissions and that every symbolic link points to an existing file

    error: build failed with 1 error; nothing was written
    ");
}

#[cfg(unix)]
#[test]
fn unreadable_content_file_and_folder() {
    use std::os::unix::fs::PermissionsExt;
    let Some(wrapper) = crate::faults::without_root_override() else {
        return;
    };
    let site = Site::built()
        .with_file("content/secret.md", "---\ntitle: Secret\n---\n")
        .with_file("content/private/x.md", "---\ntitle: X\n---\n");
    let mode = |path: &str, mode| {
        std::fs::set_permissions(
            site.path().join(path),
            std::fs::Permissions::from_mode(mode),
        )
        .unwrap();
    };
    mode("content/secret.md", 0o000);
    mode("content/private", 0o000);
    let build = site.outcome_wrapped(&wrapper, &["build"]);
    mode("content/secret.md", 0o644);
    mode("content/private", 0o755);
    assert_snapshot!(build.fails(), @"
    error: cannot read `content/private`: Permission denied (os error 13)
    --> content/private
     = help: check the folder's permissions and that every symbolic link points to an existing file

    error: cannot read `content/secret.md`: Permission denied (os error 13)
    --> content/secret.md
     = help: check the file's permissions (`chmod u+r`)

    error: build failed with 2 errors; nothing was written
    ");
}

#[test]
fn ambiguous_wikilink() {
    let site = Site::built()
        .with_file("content/x/note.md", "---\ntitle: Note\n---\n")
        .with_file("content/y/note.md", "---\ntitle: Note\n---\n")
        .with_file("content/a.md", "---\ntitle: A\n---\nSee [[note]].\n");
    assert_snapshot!(site.build().fails(), @"
    error: ambiguous wikilink: `note` could be content/x/note.md or content/y/note.md
     --> content/a.md:4:7
      |
    4 | See [[note]].
      |       ^^^^
      |
      = help: qualify it with its folder: [[x/note]] or [[y/note]]

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn math_that_is_not_latex() {
    let site = Site::built().with_file(
        "content/a.md",
        "---\ntitle: A\n---\nSo $\\frac{1}$ and $\\nosuch{x}$ there.\n",
    );
    assert_snapshot!(site.build().fails(), @r"
    error: cannot render math: expected a token
     --> content/a.md:4:4
      |
    4 | So $\frac{1}$ and $\nosuch{x}$ there.
      |    ^^^^^^^^^^
      |
      = help: check the LaTeX: braces must balance and commands must be known to pulldown-latex

    error: cannot render math: unknown primitive command found
     --> content/a.md:4:19
      |
    4 | So $\frac{1}$ and $\nosuch{x}$ there.
      |                   ^^^^^^^^^^^^
      |
      = help: check the LaTeX: braces must balance and commands must be known to pulldown-latex

    error: build failed with 2 errors; nothing was written
    ");
}

#[test]
fn site_toml_wrong_type() {
    let site = Site::built().with_file(
        "site.toml",
        "title = \"T\"\n[pagination]\nper_page = \"ten\"\n",
    );
    assert_snapshot!(site.build().fails(), @r#"
    error: wrong type in site.toml: expected a whole number without quotes, found string "ten"
     --> site.toml:3:12
      |
    3 | per_page = "ten"
      |            ^^^^^
      |
      = help: see the site.toml reference (docs/content/reference/site-toml.md) for each key's type

    error: build failed with 1 error; nothing was written
    "#);
}

#[test]
fn site_toml_not_utf8() {
    let site = Site::built().with_file("site.toml", b"title = \"Caf\xe9\"\n");
    assert_snapshot!(site.build().fails(), @r#"
    error: `site.toml` is not valid UTF-8 (byte 12 is 0xE9)
     --> site.toml:1:13
      |
    1 | title = "Caf�"
      |             ^
      |
      = help: save the file as UTF-8 in your editor

    error: build failed with 1 error; nothing was written
    "#);
}

#[test]
fn theme_toml_unknown_key() {
    let site = Site::built().with_file(
        "themes/steppe/theme.toml",
        "name = \"steppe\"\nversion = \"1\"\n",
    );
    assert_snapshot!(site.build().fails(), @r#"
    error: invalid theme.toml: unknown field `version`, expected one of `name`, `description`, `author`, `license`
     --> themes/steppe/theme.toml:2:1
      |
    2 | version = "1"
      | ^^^^^^^
      |
      = help: theme.toml knows `name`, `description`, `author` and `license`

    error: build failed with 1 error; nothing was written
    "#);
}

#[test]
fn template_named_in_front_matter_is_missing() {
    let site = Site::built().with_file(
        "content/a.md",
        "---\ntitle: A\ntemplate: essay-wide.html\n---\n",
    );
    assert_snapshot!(site.build().fails(), @"
    error: template `essay-wide.html` not found
     --> content/a.md:3:1
      |
    3 | template: essay-wide.html
      | ^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: name a file of the theme's templates/ or of your own templates/ folder

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn template_unknown_filter() {
    let site = Site::built().with_file("templates/page.html", "{{ page.title | shout }}\n");
    assert_snapshot!(site.build().fails(), @"
    error: template error: Unknown filter `shout`
     --> templates/page.html:1:17
      |
    1 | {{ page.title | shout }}
      |                 ^^^^^
      |
      = help: check the name for a typo; steppe's filters are Tera's built-in ones plus `date`, `json_encode` and `urlencode`

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn two_aliases_claiming_one_url() {
    let site = Site::built()
        .with_file("content/a.md", "---\ntitle: A\naliases: [\"/old/\"]\n---\n")
        .with_file("content/b.md", "---\ntitle: B\naliases: [\"/old/\"]\n---\n");
    assert_snapshot!(site.build().fails(), @r#"
    error: alias /old/ of `content/b.md` collides with `content/a.md`
     --> content/b.md:3:1
      |
    3 | aliases: ["/old/"]
      | ^^^^^^^^^^^^^^^^^^
      |
      = help: an alias must be a URL no page uses; remove it or pick another

    error: build failed with 1 error; nothing was written
    "#);
}

fn check_output_dir(args: &[&str]) -> String {
    let site = Site::built();
    let before = site.tree("");
    let stderr = site.outcome(args).fails().to_string();
    assert_eq!(site.tree(""), before, "a file changed");
    stderr
}

#[test]
fn output_dir_inside_content() {
    assert_snapshot!(check_output_dir(&["build", "--output-dir", "content/public"]), @r#"
    error: output_dir `content/public` is inside the site's `content/` folder
     |
     = help: steppe replaces the output folder on every build; set output_dir in site.toml to a folder of its own, such as "public"

    error: build failed with 1 error; nothing was written
    "#);
}

#[test]
fn output_dir_is_the_site_root() {
    assert_snapshot!(check_output_dir(&["build", "--output-dir", "."]), @r#"
    error: output_dir `.` is the site folder itself
     |
     = help: steppe replaces the output folder on every build; set output_dir in site.toml to a folder of its own, such as "public"

    error: build failed with 1 error; nothing was written
    "#);
}

#[test]
fn output_dir_not_created_by_steppe() {
    let site = Site::with_good_page().with_file("docs/notes.txt", "mine");
    assert_snapshot!(site.outcome(&["build", "--output-dir", "docs"]).fails(), @"
    error: docs/ was not created by steppe; refusing to replace it
     |
     = help: move its files away or choose another output_dir

    error: build failed with 1 error; nothing was written
    ");
    assert_eq!(site.read("docs/notes.txt"), "mine");
    assert_eq!(site.files("docs"), ["notes.txt"]);
}

#[test]
fn output_dir_is_a_file() {
    let site = Site::with_good_page().with_file("out", "a file");
    assert_snapshot!(site.outcome(&["build", "--output-dir", "out"]).fails(), @"
    error: output_dir `out` exists but is not a folder
     |
     = help: move the file away or choose another output_dir

    error: build failed with 1 error; nothing was written
    ");
    assert_eq!(site.read("out"), "a file");
}

#[test]
fn old_url_aliases_outside_the_output() {
    let site = Site::built().with_file(
        "content/a.md",
        "---\ntitle: A\naliases: [\"/../x/\", \"/a//b/\", \"/fine/\"]\n---\n",
    );
    let build = site.build();
    assert_snapshot!(build.fails(), @r#"
    error: alias `/../x/` of `content/a.md` may not contain `.` or `..`
     --> content/a.md:3:12
      |
    3 | aliases: ["/../x/", "/a//b/", "/fine/"]
      |            ^^^^^^
      |
      = help: write the old URL from the site's root, e.g. `/old/path/`

    error: alias `/a//b/` of `content/a.md` has an empty segment
     --> content/a.md:3:22
      |
    3 | aliases: ["/../x/", "/a//b/", "/fine/"]
      |                      ^^^^^^
      |
      = help: write one `/` between names, e.g. `/old/path/`

    error: build failed with 2 errors; nothing was written
    "#);
    assert_eq!(site.check().fails(), build.fails());
}

#[test]
fn an_eighty_character_cjk_file_name() {
    let name = format!("content/{}.md", "草".repeat(80));
    let site = Site::built().with_file(&name, "Grass.\n");
    builds_cleanly(&site);
    // 50 whole words of `cao`: 199 bytes, where the 80 words were 319.
    let slug = vec!["cao"; 50].join("-");
    let html = site.read(&format!("public/{slug}/index.html"));
    assert_snapshot!(element(&html, PROSE), @r#"
    <div class="prose">
    <p>Grass.</p>

        </div>
    "#);
    site.check().succeeds_silently();
}

#[test]
fn a_three_hundred_character_tag() {
    let tag = "t".repeat(300);
    let page = format!("---\ntitle: Tagged\ntags: [{tag}]\n---\nText.\n");
    let site = Site::built().with_file("content/tagged.md", page);
    builds_cleanly(&site);
    let slug = "t".repeat(200);
    let html = site.read(&format!("public/tags/{slug}/index.html"));
    let card = element(&html, "<article class=\"card").replace(&tag, "[300 t]");
    assert_snapshot!(card.replace(&slug, "[200 t]"), @r#"
    <article class="card card-note">
    <h2 class="card-title"><a href="/tagged/">Tagged</a></h2>
    <p class="meta"><span class="kind">Note</span> · 1 min read</p>
    <div class="card-summary"><p>Text.</p></div><ul class="tags" aria-label="Tags">
    <li><a class="tag" href="/tags/[200 t]/" rel="tag">[300 t]</a></li>
    </ul>
    </article>
    "#);
}

#[test]
fn output_paths_too_long_for_a_file_system() {
    let permalink = format!("---\npermalink: notes/{}\n---\n", "p".repeat(300));
    let nested = format!("---\ntags: [{}]\n---\n", vec!["abc"; 300].join("/"));
    let site = Site::built()
        .with_file("content/long.md", permalink)
        .with_file("content/nested.md", nested);
    let build = site.build();
    assert_snapshot!(build.fails(), @"
    error: the URL of `content/long.md` has a folder or file name of 300 bytes (`pppppppppppppppppppppppppppppppppppppppp…`), longer than the 255 a file system holds
     --> content/long.md:2:1
      |
    2 | permalink: notes/pppppppppppppppppppppppppppp...ppppppppppppppppppppppppppppppppppppppppppppp
      | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^...^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: choose a shorter `permalink:`

    error: the tags term `abc/abc/abc/abc/abc/abc/abc/abc/abc/abc/…` has a URL that is 1215 bytes long, past the 1024 bytes steppe writes
     --> content/nested.md:2:8
      |
    2 | ...: [abc/abc/abc/abc/abc/abc/abc/abc/abc/abc/abc/a...c/abc/abc/abc/abc/abc/abc/abc/abc/abc/abc/abc]
      |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^...^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: use fewer `/`-separated levels in the term

    error: build failed with 2 errors; nothing was written
    ");
    assert_eq!(site.check().fails(), build.fails());
}

#[test]
fn author_files_on_generated_paths() {
    let site = Site::built()
        .with_file(
            "content/a.md",
            "---\ntitle: A\naliases: [\"/search/\", \"/atom.xml\"]\n---\n",
        )
        .with_file("content/graph.md", "---\ntitle: Graph theory\n---\n")
        .with_file(
            "content/pagefind/notes.md",
            "A folder where the index goes.\n",
        )
        .with_file("static/sitemap.xml", "<urlset/>")
        .with_file("static/good/index.html", "<p>Not the page.</p>")
        .with_file("content/syntax.css", "pre {}")
        .with_file("content/lost.md", "---\npermalink: 404.html\n---\n")
        .with_file("static/robots.txt", "User-agent: *\nDisallow: /\n");
    let build = site.build();
    assert_snapshot!(build.fails(), @r#"
    error: the file `content/syntax.css` and the highlighting stylesheet both want /syntax.css
     |
     = help: rename or remove the file; the highlighting stylesheet is generated there: steppe always writes it

    error: the folder `content/pagefind/` and the search index both want /pagefind/
     |
     = help: rename the folder; the search index is generated there: it is written while `[search] enabled` is true

    error: the static file `sitemap.xml` and the sitemap both want /sitemap.xml
     |
     = help: rename or remove the file; the sitemap is generated there: steppe always writes it

    error: alias /atom.xml/ of `content/a.md` and an Atom feed both want /atom.xml (one is a file, the other needs a folder of that name for /atom.xml/)
     --> content/a.md:3:1
      |
    3 | aliases: ["/search/", "/atom.xml"]
      | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: remove the alias or pick another URL; an Atom feed is generated there: it is written while `[feed] enabled` is true

    error: alias /search/ of `content/a.md` and the search page both want /search/
     --> content/a.md:3:1
      |
    3 | aliases: ["/search/", "/atom.xml"]
      | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: remove the alias or pick another URL; the search page is generated there: it is written while `[search] enabled` is true

    error: `content/good.md` and the static file `good/index.html` both want /good/
     --> content/good.md:2:1
      |
    2 | title: Good
      | ^^^^^^^^^^^
      |
      = help: rename the file, or give the page another URL

    error: `content/graph.md` and the link graph both want /graph/
     --> content/graph.md:2:1
      |
    2 | title: Graph theory
      | ^^^^^^^^^^^^^^^^^^^
      |
      = help: rename the file or give it another `slug:`; the link graph is generated there: the theme's `graph.html` template writes it

    error: `content/lost.md` and the 404 page both want /404.html
     --> content/lost.md:2:1
      |
    2 | permalink: 404.html
      | ^^^^^^^^^^^^^^^^^^^
      |
      = help: choose another `permalink:`; the 404 page is generated there: the theme's `404.html` template writes it

    error: `content/pagefind/notes.md` and the search index both want /pagefind/notes/
    --> content/pagefind/notes.md
     = help: rename the file or give it another `slug:`; the search index is generated there: it is written while `[search] enabled` is true

    error: build failed with 9 errors; nothing was written
    "#);
    assert_eq!(site.check().fails(), build.fails());
}

#[test]
fn pager_and_feed_names_that_are_paths() {
    let site = Site::built().with_file(
        "site.toml",
        "title = \"T\"\n[pagination]\npath = \"../x\"\n[feed]\nfilename = \"a/atom.xml\"\n",
    );
    let build = site.build();
    assert_snapshot!(build.fails(), @r#"
    error: `pagination.path` is not a file name a URL can hold as it is: `../x`
     --> site.toml:3:1
      |
    3 | path = "../x"
      | ^^^^
      |
      = help: use up to 100 letters, digits, `-`, `_` and `.` (not `.` first), e.g. "page"

    error: `feed.filename` is not a file name a URL can hold as it is: `a/atom.xml`
     --> site.toml:5:1
      |
    5 | filename = "a/atom.xml"
      | ^^^^^^^^
      |
      = help: use up to 100 letters, digits, `-`, `_` and `.` (not `.` first), e.g. "atom.xml"

    error: build failed with 2 errors; nothing was written
    "#);
    assert_eq!(site.check().fails(), build.fails());
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
            Some(("b", name)) => ("embeds.rs", name),
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
