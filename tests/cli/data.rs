//! Data files and cache-busted assets as an author uses them: `data/` files in templates as
//! `data.<name>`, `load_data(path=…)`, their errors, and `url(path=…, cachebust=true)`.

use insta::assert_snapshot;

use crate::support::{Site, element};

/// A site whose page template shows what it reads; `page.html` is the site's own.
fn site_with_template(template: &str) -> Site {
    let site = Site::with_good_page();
    site.write("templates/page.html", template);
    site
}

#[test]
fn data_files_reach_templates_in_every_format() {
    let site = site_with_template(
        "<ol>{% for e in data.events %}<li>{{ e.year }}: {{ e.name }}</li>{% endfor %}</ol>\n\
         <p>{% for p in data.people.founders %}{{ p.name }} ({{ p.born }}) {% endfor %}</p>\n\
         <p>{{ data[\"café menu\"].dish }}, {{ data.theme_only.note }}</p>\n",
    )
    // The theme's events are replaced by the site's, whatever the extension.
    .with_file(
        "themes/steppe/data/events.toml",
        "[[events]]\nyear = 1\nname = \"theme\"\n",
    )
    .with_file("themes/steppe/data/theme_only.yaml", "note: from the theme\n")
    .with_file(
        "data/events.json",
        r#"[{"year": -550, "name": "Cyrus founds the Achaemenid Empire"}, {"year": 1206, "name": "Temüjin is proclaimed Chinggis Khan"}]"#,
    )
    .with_file(
        "data/people/founders.csv",
        "name,born\nTemüjin,1162\n\"Cyrus, the Great\",-600\n",
    )
    .with_file("data/café menu.yaml", "dish: buuz 🥟\n");
    site.build().succeeds_silently();
    assert_snapshot!(site.read("public/good/index.html"), @r#"
    <ol><li>-550: Cyrus founds the Achaemenid Empire</li><li>1206: Temüjin is proclaimed Chinggis Khan</li></ol>
    <p>Temüjin (1162) Cyrus, the Great (-600) </p>
    <p>buuz 🥟, from the theme</p>
    "#);
}

#[test]
fn data_file_errors_are_located_and_reported_together() {
    let site = Site::built()
        .with_file("templates/page.html", "{{ page.title }}")
        .with_file("data/events.json", "[\n  {\"year\": 1206},\n]\n")
        .with_file("data/eras.toml", "name = \"Yuan\nstart = 1271\n")
        .with_file("data/khans.csv", "name,reign\nÖgedei,1229\nGüyük\n")
        .with_file("data/people.toml", "x = 1\n")
        .with_file("data/people.yaml", "x: 2\n")
        .with_file("data/notes.txt", "not data\n");
    assert_snapshot!(site.build().fails(), @r#"
    error: invalid TOML: invalid basic string, expected `"`
     --> data/eras.toml:1:13
      |
    1 | name = "Yuan
      |             ^
      |
      = help: check the TOML syntax: text values need quotes, lists are written `["a", "b"]`, each key appears once in its table

    error: invalid JSON: trailing comma
     --> data/events.json:3:1
      |
    3 | ]
      | ^
      |
      = help: check the JSON syntax: keys and text in double quotes, no comma after the last item

    error: this row has 1 field; the header row has 2
     --> data/khans.csv:3:1
      |
    3 | Güyük
      | ^^^^^
      |
      = help: every row needs one field per column: put a field that holds a comma in double quotes, `"Ulaanbaatar, Mongolia"`

    warning: `data/notes.txt` is not a data file, so templates do not see it
    --> data/notes.txt
     = help: data files end in .toml, .yaml, .yml, .json or .csv; a file to copy as it is belongs in static/

    error: `data/people.toml` and `data/people.yaml` both give `data.people`
    --> data/people.yaml
     = help: rename or remove one of them: a data file's name, without its extension, is its name in `data`

    error: build failed with 4 errors and 1 warning; nothing was written
    "#);
}

#[test]
fn load_data_reads_files_inside_the_site_by_path() {
    let site = site_with_template(
        "{% set rows = load_data(path=\"content/tables/khans.csv\") %}\
         <p>{{ rows | length }} khans, first {{ rows[0].name }}</p>\n\
         {% set eras = load_data(path=\"data/eras.toml\") %}<p>{{ eras.yuan.start }}</p>\n\
         <pre>{{ load_data(path=\"notes/motto.txt\", format=\"plain\") }}</pre>\n",
    )
    .with_file(
        "content/tables/khans.csv",
        "name,reign\nÖgedei,1229\nGüyük,1246\n",
    )
    .with_file("data/eras.toml", "[yuan]\nstart = 1271\n")
    .with_file("notes/motto.txt", "<b>one</b> & two");
    site.build().succeeds_silently();
    assert_snapshot!(site.read("public/good/index.html"), @"
    <p>2 khans, first Ögedei</p>
    <p>1271</p>
    <pre>&lt;b&gt;one&lt;/b&gt; &amp; two</pre>
    ");
}

#[test]
fn load_data_never_reads_outside_the_site() {
    // One call per build: a template error stops its page, so each is shown on its own.
    let calls = [
        "load_data(path=\"../secret.txt\", format=\"plain\")",
        "load_data(path=\"/etc/hostname\", format=\"plain\")",
        "load_data(path=\"linked/passwd\", format=\"plain\")",
        "load_data(path=page.extra.table)",
    ];
    let mut seen = String::new();
    for call in calls {
        let site = site_with_template(&format!("{{{{ {call} }}}}"));
        site.write(
            "content/good.md",
            "---\ntitle: Good\ntable: tables/years.csv\n---\nFine.\n",
        );
        site.write("tables/years.csv", "year\n1206\n");
        std::fs::write(site.path().join("../secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink("/etc", site.path().join("linked")).unwrap();
        seen.push_str(site.build().fails());
    }
    assert!(!seen.contains("root:"), "{seen}");
    assert_snapshot!(seen, @r#"
    error: template error: `load_data`: `../secret.txt` is not a path inside the site: give it relative to the site folder, without `..` (`data/events.toml`)
     --> templates/page.html:1:4
      |
    1 | {{ load_data(path="../secret.txt", format="plain") }}
      |    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: while rendering content/good.md (URL /good/)

    error: build failed with 1 error; nothing was written
    error: template error: `load_data`: `/etc/hostname` is not a path inside the site: give it relative to the site folder, without `..` (`data/events.toml`)
     --> templates/page.html:1:4
      |
    1 | {{ load_data(path="/etc/hostname", format="plain") }}
      |    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: while rendering content/good.md (URL /good/)

    error: build failed with 1 error; nothing was written
    error: template error: `load_data`: `linked/passwd` leads out of the site through a symbolic link to `/etc/passwd`
     --> templates/page.html:1:4
      |
    1 | {{ load_data(path="linked/passwd", format="plain") }}
      |    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: while rendering content/good.md (URL /good/)

    error: build failed with 1 error; nothing was written
    error: template error: `load_data`: `tables/years.csv` was not read before rendering: templates load files of data/ and files named by a literal path, `load_data(path="tables/years.csv")`
     --> templates/page.html:1:4
      |
    1 | {{ load_data(path=page.extra.table) }}
      |    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: while rendering content/good.md (URL /good/)

    error: build failed with 1 error; nothing was written
    "#);
}

#[test]
fn cachebust_appends_a_hash_of_the_files_bytes() {
    let site = site_with_template(
        "<link href=\"{{ url(path='style.css', cachebust=true) }}\">\
         <script src=\"{{ url(path='/app.js', cachebust=true) }}\"></script>",
    )
    .with_file("static/style.css", "body { color: black }\n")
    .with_file("static/app.js", "console.log(1)\n");
    site.build().succeeds_silently();
    let first = site.read("public/good/index.html");
    let link = element(&first, "<link").to_string();
    site.write("static/style.css", "body { color: navy }\n");
    site.build().succeeds_silently();
    let second = site.read("public/good/index.html");
    // The stylesheet's hash follows its bytes; the script's stays.
    assert_ne!(element(&second, "<link"), link);
    assert_eq!(element(&second, "<script"), element(&first, "<script"));
    assert_eq!(site.read("public/style.css"), "body { color: navy }\n");
    assert_snapshot!(second, @r#"<link href="/style.css?h=27af59cbb5ba3b37"><script src="/app.js?h=6b52a1ce7ec87924"></script>"#);
}

#[test]
fn cachebust_of_a_missing_or_unnamed_file_is_an_error() {
    let site = Site::built().with_file(
        "templates/page.html",
        "{{ url(path='missing.css', cachebust=true) }}",
    );
    assert_snapshot!(site.build().fails(), @r#"
    error: template error: `url`: cannot cache-bust `missing.css`: cachebust works on files of static/ named by a literal path, `url(path="missing.css", cachebust=true)`
     --> templates/page.html:1:4
      |
    1 | {{ url(path='missing.css', cachebust=true) }}
      |    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: while rendering content/good.md (URL /good/)

    error: build failed with 1 error; nothing was written
    "#);
}
