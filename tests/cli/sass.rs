//! Sass as an author uses it: `sass/*.scss` compiled to CSS beside the static files, partials
//! only imported, errors at the Sass file's line and column, nothing read outside `sass/`.

use insta::assert_snapshot;

use crate::support::Site;

#[test]
fn sass_files_compile_to_css_and_partials_are_not_written() {
    let site = Site::with_good_page()
        .with_file(
            "sass/main.scss",
            "@use \"parts/colors\";\nbody { color: colors.$ink; .note { margin: 1px + 2px; } }\n",
        )
        .with_file("sass/parts/_colors.scss", "$ink: #123;\n")
        .with_file("sass/print styles/Ünicode.sass", "a\n  color: red\n")
        // The theme's own Sass file, replaced by the site's of the same name.
        .with_file("themes/steppe/sass/theme.scss", "a { color: blue; }\n")
        .with_file("sass/theme.scss", "a { color: green; }\n");
    site.build().succeeds_silently();
    assert_snapshot!(site.read("public/main.css"), @r"
    body {
      color: #123;
    }
    body .note {
      margin: 3px;
    }
    ");
    assert_snapshot!(site.read("public/print styles/Ünicode.css"), @"
    a {
      color: red;
    }
    ");
    assert_snapshot!(site.read("public/theme.css"), @"
    a {
      color: green;
    }
    ");
    assert!(!site.exists("public/parts/_colors.css"));
    assert!(!site.exists("public/parts"));
}

#[test]
fn sass_errors_are_located_and_imports_stay_inside_sass() {
    let site = Site::built()
        .with_file("sass/bad.scss", "a {\n  color: $nope;\n}\n")
        .with_file("sass/evil.scss", "@import \"../../../../etc/passwd\";\n")
        .with_file("sass/broken.scss", "a { color: red;\n")
        .with_file("static/main.css", "a {}\n")
        .with_file("sass/main.scss", "a { b: c }\n");
    assert_snapshot!(site.build().fails(), @r#"
    error: Sass error: Undefined variable.
     --> sass/bad.scss:2:10
      |
    2 |   color: $nope;
      |          ^^^^^
      |
      = help: check the Sass syntax; `@use` and `@import` find files of sass/ only

    error: Sass error: expected "}".
     --> sass/broken.scss:1:16
      |
    1 | a { color: red;
      |                ^
      |
      = help: check the Sass syntax; `@use` and `@import` find files of sass/ only

    error: Sass error: Can't find stylesheet to import.
     --> sass/evil.scss:1:9
      |
    1 | @import "../../../../etc/passwd";
      |         ^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: check the Sass syntax; `@use` and `@import` find files of sass/ only

    error: `main.css` is written twice: from `static/main.css` and as the Sass output of `sass/main.scss`
    --> static/main.css
     = help: remove one of them, or rename the Sass file

    error: build failed with 4 errors; nothing was written
    "#);
}
