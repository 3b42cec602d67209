//! Front matter as note-taking tools write it: free-form properties kept for templates, near
//! misses of fields still caught, and Obsidian's shapes of aliases, tags, classes, dates,
//! `publish` and `permalink`.

use serde_json::json;

use super::{date, errors, ok, render, strict_errors};

/// Properties real vaults carry (Obsidian, its plugins, web clippers, other generators), with
/// the values they write: none of them is a near miss of a field.
const NOTE_PROPERTIES: &str = "---
id: 20240501143000
created: 2024-05-01 14:30
modified: 2024-05-02T09:00
updated_at: 2024-05-02
created_at: 2024-05-01
date created: 2024-05-01
date modified: 2024-05-02
published: 2024-04-30
mobile: false
author: \"[[Herodotus]]\"
authors: [Herodotus, Thucydides]
source: https://example.org/histories
publisher: Penguin
url: https://example.org
status: draft-ish
type: book
category: history
categories: [history, war]
up: \"[[Index]]\"
down: []
related: [\"[[Persia]]\"]
area: Antiquity
areas: [Antiquity]
project: Reading
topic: Lydia
rating: 4.5
priority: high
due: 2024-06-01
start: 2024-05-01
end: 2024-05-31
year: 2024
language: en
lang: en
image: cover.png
cover: cover.png
banner: banner.png
icon: book
height: 300
width: 600
summary: A short one
series: Histories
keywords: [oracle]
layout: wide
location: Sardis
comments: true
share: false
excalidraw-plugin: parsed
kanban-plugin: basic
dg-publish: true
dg-permalink: lydia
zotero-key: ABC123
citekey: herodotus1920
---
";

#[test]
fn common_note_properties_are_kept_for_templates() {
    let (front, _) = ok(NOTE_PROPERTIES);
    let extra = front.extra.as_object().expect("properties become `extra`");
    let keys = NOTE_PROPERTIES
        .lines()
        .filter_map(|line| line.split_once(':').map(|(key, _)| key))
        .filter(|key| !key.is_empty() && *key != "---");
    for key in keys {
        assert!(extra.contains_key(key), "{key} is not in extra: {extra:?}");
    }
    assert_eq!(extra["id"], json!(20_240_501_143_000_i64));
    assert_eq!(extra["created"], json!("2024-05-01 14:30"));
    assert_eq!(extra["authors"], json!(["Herodotus", "Thucydides"]));
    assert_eq!(extra["date created"], json!("2024-05-01"));
    assert_eq!(extra["mobile"], json!(false));
}

#[test]
fn explicit_extra_wins_over_a_property_of_the_same_name() {
    let (front, _) = ok("---\nmood: calm\nsource: x\nextra:\n  source: Herodotus\n---\n");
    assert_eq!(front.extra, json!({"source": "Herodotus", "mood": "calm"}));
    let (front, _) = ok("+++\nmood = \"calm\"\n[extra]\nmood = \"stormy\"\n+++\n");
    assert_eq!(front.extra, json!({"mood": "stormy"}));
    let (front, _) = ok("---\nmood:\n---\n");
    assert_eq!(
        front.extra,
        json!({"mood": null}),
        "an empty property is still there"
    );
    let (front, _) = ok("---\ntitle: Plain\n---\n");
    assert_eq!(
        front.extra,
        serde_json::Value::Null,
        "no properties, no `extra`"
    );
}

#[test]
fn near_misses_of_fields_are_still_errors() {
    assert_eq!(
        errors("---\ntitel: Hi\ntag: [a]\nalias: Old\ndates: 2024-05-01\ndraf: true\n---\n"),
        "error: unknown field `titel` in front matter\n --> content/a.md:2:1\n  |\n2 | titel: Hi\n  | ^^^^^\n  |\n  = help: did you mean `title`?\n\n\
         error: unknown field `tag` in front matter\n --> content/a.md:3:1\n  |\n3 | tag: [a]\n  | ^^^\n  |\n  = help: did you mean `tags`?\n\n\
         error: unknown field `alias` in front matter\n --> content/a.md:4:1\n  |\n4 | alias: Old\n  | ^^^^^\n  |\n  = help: did you mean `aliases`?\n\n\
         error: unknown field `dates` in front matter\n --> content/a.md:5:1\n  |\n5 | dates: 2024-05-01\n  | ^^^^^\n  |\n  = help: did you mean `date`?\n\n\
         error: unknown field `draf` in front matter\n --> content/a.md:6:1\n  |\n6 | draf: true\n  | ^^^^\n  |\n  = help: did you mean `draft`?"
    );
    for (key, field) in [
        ("Title", "title"),
        ("cssclass", "cssclasses"),
        ("permalinks", "permalink"),
        ("publsh", "publish"),
        ("sort-by", "sort_by"),
        ("plase", "places"),
    ] {
        let found = errors(&format!("---\n{key}: x\n---\n"));
        assert!(
            found.starts_with(&format!("error: unknown field `{key}` in front matter\n"))
                && found.ends_with(&format!("= help: did you mean `{field}`?")),
            "{found}"
        );
    }
}

#[test]
fn strict_front_matter_makes_every_unknown_key_an_error() {
    assert_eq!(
        strict_errors("---\nid: 7\n---\n"),
        "error: unknown field `id` in front matter\n --> content/a.md:2:1\n  |\n2 | id: 7\n  | ^^\n  |\n  = help: valid fields are title, description, date, updated, draft, publish, slug, permalink, aliases, cssclasses, weight, template, kind, extra, page_kind, paginate_by, sort_by, era, region, people, strengths, sources, tags, places; free-form values go under `extra:`"
    );
}

#[test]
fn zola_taxonomies_table_is_an_error_either_way() {
    assert_eq!(
        errors("+++\n[taxonomies]\ntags = [\"a\"]\n+++\n"),
        "error: unknown field `taxonomies` in front matter\n --> content/a.md:2:2\n  |\n2 | [taxonomies]\n  |  ^^^^^^^^^^\n  |\n  = help: write each taxonomy as its own key, e.g. `tags = [\"a\", \"b\"]`"
    );
}

#[test]
fn aliases_and_classes_may_be_one_text() {
    let (front, _) = ok("---\naliases: Old name\ncssclasses: wide cards\n---\n");
    assert_eq!(front.aliases, ["Old name"]);
    assert_eq!(front.cssclasses, ["wide", "cards"]);
    let (front, _) = ok("---\naliases: [/old/, Other]\ncssclasses:\n  - wide\n  - clé_2\n---\n");
    assert_eq!(front.aliases, ["/old/", "Other"]);
    assert_eq!(front.cssclasses, ["wide", "clé_2"]);
}

#[test]
fn class_names_are_checked() {
    let caret = "^".repeat(25);
    let error = |class: &str| {
        format!(
            "error: `cssclasses` has `{class}`, which is not a class name\n --> content/a.md:2:13\n  |\n2 | cssclasses: [wide, \"x\\\" onclick=\\\"y\"]\n  |             {caret}\n  |\n  = help: class names are made of letters, digits, `-` and `_`, e.g. `wide-page`"
        )
    };
    assert_eq!(
        errors("---\ncssclasses: [wide, \"x\\\" onclick=\\\"y\"]\n---\n"),
        format!("{}\n\n{}", error("onclick=\"y"), error("x\""))
    );
}

#[test]
fn tags_as_obsidian_writes_them() {
    let tags = |text: &str| ok(text).0.taxonomies.remove("tags").unwrap_or_default();
    assert_eq!(tags("---\ntags: history\n---\n"), ["history"]);
    assert_eq!(tags("---\ntags: history, war\n---\n"), ["history", "war"]);
    assert_eq!(tags("---\ntags: history war\n---\n"), ["history", "war"]);
    assert_eq!(
        tags("---\ntags: \"#history #area/antiquity\"\n---\n"),
        ["history", "area/antiquity"]
    );
    assert_eq!(
        tags("---\ntags:\n  - \"#history\"\n  - area/antiquity/\n  - time management\n---\n"),
        ["history", "area/antiquity", "time management"]
    );
    assert_eq!(tags("+++\ntags = \"a,b\"\n+++\n"), ["a", "b"]);
    assert_eq!(
        errors("---\ntags: [\"#\", a]\n---\n"),
        "error: `tags` has a tag with no name: `#`\n --> content/a.md:2:7\n  |\n2 | tags: [\"#\", a]\n  |       ^^^^^^^^\n  |\n  = help: write the tag's name after `#`"
    );
}

#[test]
fn obsidian_and_exported_dates() {
    let at = |text: &str| ok(text).0.date.expect("a date");
    assert_eq!(
        at("---\ndate: 2024-05-01 14:30\n---\n"),
        date("2024-05-01T14:30:00Z")
    );
    assert_eq!(
        at("---\ndate: 2024-05-01T14:30\n---\n"),
        date("2024-05-01T14:30:00Z")
    );
    assert_eq!(
        at("---\ndate: 2024-05-01 14:30:00+02:00\n---\n"),
        date("2024-05-01T12:30:00Z")
    );
    let exported = at("---\ndate: 1714573800000\n---\n");
    assert_eq!(exported, date("2024-05-01T14:30:00Z"));
    assert!(exported.has_time);
    assert_eq!(
        ok("+++\nupdated = 1714573800123\n+++\n").0.updated,
        Some(date("2024-05-01T14:30:00.123Z"))
    );
    assert_eq!(
        errors("---\ndate: 2024\n---\n"),
        "error: `date` is not a date: `2024`\n --> content/a.md:2:7\n  |\n2 | date: 2024\n  |       ^^^^\n  |\n  = help: write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00; a number is read as milliseconds since 1970, e.g. `1714573800000`"
    );
    assert!(errors("---\ndate: 99999999999999999\n---\n").contains("is not a date"));
}

#[test]
fn publish_false_is_a_draft() {
    let (front, _) = ok("---\npublish: false\n---\n");
    assert!(front.draft);
    assert_eq!(front.publish, Some(false));
    let (front, _) = ok("---\npublish: true\n---\n");
    assert!(!front.draft);
    let (front, _) = ok("---\npublish: true\ndraft: true\n---\n");
    assert!(
        front.draft,
        "`draft: true` is not undone by `publish: true`"
    );
    assert_eq!(
        errors("---\npublish: no\n---\n"),
        "error: `publish` must be `true` or `false`, not the text `no`\n --> content/a.md:2:10\n  |\n2 | publish: no\n  |          ^^\n  |\n  = help: write `publish: true` or `publish: false`, without quotes"
    );
}

#[test]
fn permalinks_are_paths_on_the_site() {
    let permalink = |text: &str| ok(text).0.permalink;
    for (written, path) in [
        ("notes/hello", "notes/hello/"),
        ("/notes/hello/", "notes/hello/"),
        ("Notes/Hello_World-2.0", "Notes/Hello_World-2.0/"),
        ("old/page.html", "old/page.html"),
    ] {
        let text = format!("---\npermalink: {written}\n---\n");
        assert_eq!(permalink(&text).as_deref(), Some(path), "{written}");
    }
    assert_eq!(
        errors("---\npermalink: https://evil.example/x\n---\n"),
        "error: `permalink` must be a path on this site, not a URL: `https://evil.example/x`\n --> content/a.md:2:12\n  |\n2 | permalink: https://evil.example/x\n  |            ^^^^^^^^^^^^^^^^^^^^^^\n  |\n  = help: write the path below the site's base URL, e.g. `permalink: notes/my-page`"
    );
    assert_eq!(
        errors("---\npermalink: ../../etc\n---\n"),
        "error: `permalink` may not contain `..`: `../../etc`\n --> content/a.md:2:12\n  |\n2 | permalink: ../../etc\n  |            ^^^^^^^^^\n  |\n  = help: write the whole path from the site's root, e.g. `permalink: notes/my-page`"
    );
    assert_eq!(
        errors("+++\npermalink = \"notes/Über uns\"\n+++\n"),
        "error: `permalink` has `Ü`, which a URL path cannot hold as it is\n --> content/a.md:2:13\n  |\n2 | permalink = \"notes/Über uns\"\n  |             ^^^^^^^^^^^^^^^^\n  |\n  = help: use letters, digits, `-`, `_` and `.`, e.g. `permalink = \"notes/uber-uns\"`"
    );
    for bad in [
        "//evil.example/x",
        "javascript:alert(1)",
        "//",
        "a//b",
        "a/./b",
        "a b",
    ] {
        let text = format!("---\npermalink: \"{bad}\"\n---\n");
        assert!(errors(&text).contains("`permalink`"), "{bad}");
    }
    // `/` is the site's home page, as Obsidian Publish reads it.
    let (home, _) = ok("---\npermalink: /\n---\n");
    assert_eq!(home.permalink.as_deref(), Some(""));
}

#[test]
fn template_placeholders_are_kept_as_written_or_left_unset() {
    // YAML reads `{{date}}` as a mapping inside a mapping; a note template's property keeps it
    // as the author's text.
    let (front, _) = ok("---\ncreated: {{date}}\nlast: {{date:YYYY-MM-DD}} # when\n---\n");
    assert_eq!(
        front.extra,
        json!({"created": "{{date}}", "last": "{{date:YYYY-MM-DD}}"})
    );
    // A field holding a placeholder is left unset, with a note: the note is a template.
    for (text, shown) in [
        ("---\ndate: {{date}}\n---\n", "{{date}}"),
        (
            "---\ndate: \"{{date:YYYY-MM-DD}}\"\n---\n",
            "{{date:YYYY-MM-DD}}",
        ),
        (
            "---\ndate: <% tp.date.now() %>\n---\n",
            "<% tp.date.now() %>",
        ),
    ] {
        let (front, _) = ok(text);
        assert_eq!(front.date, None);
        let notes = render(&front.notes);
        assert!(
            notes.starts_with(&format!(
                "note: `date` holds the template placeholder `{shown}` and is left unset\n --> content/a.md:2:7\n"
            )),
            "{notes}"
        );
        assert!(notes.ends_with("= help: this note looks like a note template; fill the field in, or leave template folders out with `[content] exclude = [\"Templates/\"]` in site.toml"), "{notes}");
    }
    // Anything else that is no value of the field is still an error.
    assert_eq!(
        errors("---\ndate: {a: b}\n---\n"),
        "error: `date` is not a date: a mapping\n --> content/a.md:2:7\n  |\n2 | date: {a: b}\n  |       ^^^^^^\n  |\n  = help: write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00"
    );
}
