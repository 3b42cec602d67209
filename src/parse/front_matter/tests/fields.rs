//! Typed fields: every accepted form, and each wrong value reported at its key or value.

use super::super::{Era, PageKind, SortOrder};
use super::{date, errors, ok, strict_errors};

#[test]
fn yaml_fills_every_field() {
    let text = "---\n\
        title: The fall of Lydia\n\
        description: Croesus misreads an oracle\n\
        date: 2024-05-01\n\
        updated: 2024-05-02T10:20:00+02:00\n\
        draft: true\n\
        slug: lydia\n\
        aliases: [/old/lydia/]\n\
        weight: -3\n\
        template: case.html\n\
        kind: case-study\n\
        tags: [history, oracles]\n\
        places: []\n\
        region: Anatolia\n\
        era: {start: -560, end: -546}\n\
        people: [Croesus, Cyrus]\n\
        strengths: [\"@/checklists/humility.md\"]\n\
        sources:\n  - Herodotus 1.53\n\
        extra:\n  map: {lat: 38.5, lon: 28.0}\n  quotes: [a, b]\n  nested: {deep: {er: true}}\n\
        ---\n\
        Body\n";
    let (front, body) = ok(text);
    assert_eq!(&text[body..], "Body\n");
    assert_eq!(front.title.as_deref(), Some("The fall of Lydia"));
    assert_eq!(
        front.description.as_deref(),
        Some("Croesus misreads an oracle")
    );
    assert_eq!(front.date, Some(date("2024-05-01")));
    assert!(!front.date.unwrap().has_time);
    assert_eq!(
        front.updated.unwrap().timestamp.to_string(),
        "2024-05-02T08:20:00Z"
    );
    assert!(front.draft);
    assert_eq!(front.slug.as_deref(), Some("lydia"));
    assert_eq!(front.aliases, ["/old/lydia/"]);
    assert_eq!(front.weight, Some(-3));
    assert_eq!(front.template.as_deref(), Some("case.html"));
    assert_eq!(front.kind, Some(PageKind::CaseStudy));
    assert_eq!(front.taxonomies.len(), 1, "empty taxonomies are left out");
    assert_eq!(front.taxonomies["tags"], ["history", "oracles"]);
    assert_eq!(front.region.as_deref(), Some("Anatolia"));
    assert_eq!(
        front.era,
        Some(Era {
            start: -560,
            end: -546
        })
    );
    assert_eq!(front.people, ["Croesus", "Cyrus"]);
    assert_eq!(front.strengths, ["@/checklists/humility.md"]);
    assert_eq!(front.sources, ["Herodotus 1.53"]);
    assert_eq!(
        front.extra,
        serde_json::json!({
            "map": {"lat": 38.5, "lon": 28.0},
            "quotes": ["a", "b"],
            "nested": {"deep": {"er": true}},
        })
    );
    assert_eq!(front.key_lines["title"], 2);
    assert_eq!(front.key_lines["era"], 15);
    assert_eq!(front.key_lines["extra"], 20);
    assert_eq!(front.key_lines.len(), 18);
}

#[test]
fn section_fields() {
    let (front, _) = ok("---\npage_kind: essay\npaginate_by: 5\nsort_by: weight\n---\n");
    assert_eq!(front.page_kind, Some(PageKind::Essay));
    assert_eq!(front.paginate_by, Some(5));
    assert_eq!(front.sort_by, Some(SortOrder::Weight));
}

#[test]
fn toml_fills_fields() {
    let text = "+++\n\
        title = \"Checklist\"\n\
        date = 2024-05-01T10:20:00Z\n\
        updated = \"2024-05-03\"\n\
        tags = [\"a\", \"b\"]\n\
        era = { start = -550, end = -330 }\n\
        [extra]\n\
        source = \"x\"\n\
        list = [1, 2]\n\
        +++\n\
        # Heading\n";
    let (front, body) = ok(text);
    assert_eq!(&text[body..], "# Heading\n");
    assert_eq!(front.title.as_deref(), Some("Checklist"));
    assert_eq!(front.date, Some(date("2024-05-01T10:20:00Z")));
    assert_eq!(front.updated, Some(date("2024-05-03")));
    assert_eq!(front.taxonomies["tags"], ["a", "b"]);
    assert_eq!(
        front.era,
        Some(Era {
            start: -550,
            end: -330
        })
    );
    assert_eq!(
        front.extra,
        serde_json::json!({"source": "x", "list": [1, 2]})
    );
    assert_eq!(front.key_lines["date"], 3);
    assert_eq!(front.key_lines["extra"], 7);
}

#[test]
fn toml_local_date_is_a_date() {
    let (front, _) = ok("+++\ndate = 2024-05-01\n+++\n");
    assert_eq!(front.date, Some(date("2024-05-01")));
    assert!(!front.date.unwrap().has_time);
}

#[test]
fn accepted_date_forms() {
    let utc = "2024-05-01T10:20:00Z";
    for form in [
        "2024-05-01T10:20:00",
        "2024-05-01T10:20:00Z",
        "2024-05-01 10:20:00",
        "2024-05-01T12:20:00+02:00",
    ] {
        let d = date(form);
        assert_eq!(d.timestamp.to_string(), utc, "{form}");
        assert!(d.has_time, "{form}");
    }
    let (front, _) = ok("---\ndate: 2024-05-01 10:20:00\n---\n");
    assert_eq!(front.date.unwrap().timestamp.to_string(), utc);
    assert_eq!(
        serde_json::to_string(&date("2024-05-01")).unwrap(),
        "\"2024-05-01T00:00:00Z\""
    );
    for bad in [
        "May 1st",
        "2024-13-01",
        "2024-05",
        "10:20:00",
        "",
        "2024-05-01T25:00",
    ] {
        assert_eq!(super::super::date::parse_date(bad), None, "{bad}");
    }
}

#[test]
fn numbers_are_accepted_as_text() {
    let (front, _) = ok("---\ntitle: 1984\ntags: [2024, history]\n---\n");
    assert_eq!(front.title.as_deref(), Some("1984"));
    assert_eq!(front.taxonomies["tags"], ["2024", "history"]);
}

#[test]
fn empty_values_are_absent() {
    let (front, _) = ok("---\ntitle:\ntags:\ndraft:\nextra:\n---\n");
    assert_eq!(front.title, None);
    assert!(front.taxonomies.is_empty());
    assert!(!front.draft);
    assert_eq!(front.extra, serde_json::Value::Null);
}

#[test]
fn unknown_key_with_suggestion() {
    assert_eq!(
        errors("---\ntitle: Hi\n\ntitel: Oops\n---\n"),
        "error: unknown field `titel` in front matter\n --> content/a.md:4:1\n  |\n4 | titel: Oops\n  | ^^^^^\n  |\n  = help: did you mean `title`?"
    );
}

#[test]
fn strict_reports_every_unknown_key() {
    assert_eq!(
        strict_errors("---\ntitel: Hi\ndescr: x\ntgas: [a]\nfoo: 1\n---\n"),
        "error: unknown field `titel` in front matter\n --> content/a.md:2:1\n  |\n2 | titel: Hi\n  | ^^^^^\n  |\n  = help: did you mean `title`?\n\n\
         error: unknown field `descr` in front matter\n --> content/a.md:3:1\n  |\n3 | descr: x\n  | ^^^^^\n  |\n  = help: did you mean `description`?\n\n\
         error: unknown field `tgas` in front matter\n --> content/a.md:4:1\n  |\n4 | tgas: [a]\n  | ^^^^\n  |\n  = help: did you mean `tags`?\n\n\
         error: unknown field `foo` in front matter\n --> content/a.md:5:1\n  |\n5 | foo: 1\n  | ^^^\n  |\n  = help: valid fields are title, description, date, updated, draft, publish, slug, permalink, aliases, cssclasses, weight, template, kind, extra, page_kind, paginate_by, sort_by, era, region, people, strengths, sources, tags, places; free-form values go under `extra:`"
    );
}

#[test]
fn unknown_taxonomy_key() {
    assert_eq!(
        errors("---\ntaxonomies: {tags: [a]}\n---\n"),
        "error: unknown field `taxonomies` in front matter\n --> content/a.md:2:1\n  |\n2 | taxonomies: {tags: [a]}\n  | ^^^^^^^^^^\n  |\n  = help: write each taxonomy as its own key, e.g. `tags: [a, b]`"
    );
}

#[test]
fn unknown_key_in_toml() {
    assert_eq!(
        errors("+++\ntitle = \"x\"\n[extr]\nfoo = 1\n+++\n"),
        "error: unknown field `extr` in front matter\n --> content/a.md:3:2\n  |\n3 | [extr]\n  |  ^^^^\n  |\n  = help: did you mean `extra`?"
    );
}

#[test]
fn wrong_types_are_all_reported() {
    assert_eq!(
        errors("---\npeople: Cyrus\ndraft: \"maybe\"\nweight: \"x\"\ntitle: [a]\n---\n"),
        "error: `people` must be a list, not the text `Cyrus`\n --> content/a.md:2:9\n  |\n2 | people: Cyrus\n  |         ^^^^^\n  |\n  = help: write `people: [Cyrus]`\n\n\
         error: `draft` must be `true` or `false`, not the text `maybe`\n --> content/a.md:3:8\n  |\n3 | draft: \"maybe\"\n  |        ^^^^^^^\n  |\n  = help: write `draft: true` or `draft: false`, without quotes\n\n\
         error: `weight` must be a whole number, not the text `x`\n --> content/a.md:4:9\n  |\n4 | weight: \"x\"\n  |         ^^^\n  |\n  = help: write a number without quotes, e.g. `weight: 10`\n\n\
         error: `title` must be text, not a list\n --> content/a.md:5:8\n  |\n5 | title: [a]\n  |        ^^^\n  |\n  = help: write the text in quotes, e.g. `title: \"Some text\"`"
    );
}

#[test]
fn wrong_types_in_toml() {
    assert_eq!(
        errors("+++\nplaces = \"a, b\"\naliases = [1.5, {x = 1}]\n+++\n"),
        "error: `places` must be a list, not the text `a, b`\n --> content/a.md:2:10\n  |\n2 | places = \"a, b\"\n  |          ^^^^^^\n  |\n  = help: write `places = [\"a\", \"b\"]`\n\n\
         error: `aliases` must be a list of text items, but item 2 is a table\n --> content/a.md:3:11\n  |\n3 | aliases = [1.5, {x = 1}]\n  |           ^^^^^^^^^^^^^^\n  |\n  = help: write each item as text, e.g. `aliases = [\"a\", \"b\"]`"
    );
}

#[test]
fn list_on_later_lines_is_located_at_key() {
    assert_eq!(
        errors("---\npeople:\n  - {name: x}\n---\n"),
        "error: `people` must be a list of text items, but item 1 is a mapping\n --> content/a.md:2:1\n  |\n2 | people:\n  | ^^^^^^\n  |\n  = help: write each item as text, e.g. `people: [a, b]`"
    );
}

#[test]
fn bad_date() {
    assert_eq!(
        errors("---\ntitle: x\ndate: May 1st # old\n---\n"),
        "error: `date` is not a date: `May 1st`\n --> content/a.md:3:7\n  |\n3 | date: May 1st # old\n  |       ^^^^^^^\n  |\n  = help: write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00"
    );
    assert_eq!(
        errors("+++\nupdated = 10:20:00\n+++\n"),
        "error: `updated` is not a date: `10:20:00`\n --> content/a.md:2:11\n  |\n2 | updated = 10:20:00\n  |           ^^^^^^^^\n  |\n  = help: write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00"
    );
}

#[test]
fn era_bce() {
    let (front, _) = ok("---\nera:\n  start: -550\n  end: -1\n---\n");
    assert_eq!(
        front.era,
        Some(Era {
            start: -550,
            end: -1
        })
    );
}

#[test]
fn era_years_end_at_ten_thousand() {
    let (front, _) = ok("---\nera: {start: -10000, end: 10000}\n---\n");
    assert_eq!(
        front.era,
        Some(Era {
            start: -10_000,
            end: 10_000
        })
    );
    assert_eq!(
        errors("+++\nera = { start = -10001, end = 10 }\n+++\n"),
        "error: `era.start` is out of range: -10001\n --> content/a.md:2:1\n  |\n2 | era = { start = -10001, end = 10 }\n  | ^^^\n  |\n  = help: eras are years from 10000 BCE to 10000 CE (`-10000` to `10000`)"
    );
}

#[test]
fn era_start_after_end() {
    assert_eq!(
        errors("---\nera: {start: 500, end: -330}\n---\n"),
        "error: `era` ends before it starts: 500 is after -330\n --> content/a.md:2:1\n  |\n2 | era: {start: 500, end: -330}\n  | ^^^\n  |\n  = help: `start` is the earlier year; BCE years are negative, e.g. `era: {start: -550, end: -330}` is 550 BCE to 330 BCE"
    );
}

#[test]
fn era_year_zero_floats_and_missing() {
    assert_eq!(
        errors("---\nera: {start: 0, end: 1.5}\n---\n"),
        "error: `era.end` must be a whole number (a year), not the number `1.5`\n --> content/a.md:2:1\n  |\n2 | era: {start: 0, end: 1.5}\n  | ^^^\n  |\n  = help: write `era: {start: -550, end: -330}`; negative years are BCE\n\n\
         error: `era.start` is 0, but there is no year 0\n --> content/a.md:2:1\n  |\n2 | era: {start: 0, end: 1.5}\n  | ^^^\n  |\n  = help: 1 BCE is `-1` and 1 CE is `1`"
    );
    assert_eq!(
        errors("---\nera: {begin: 5}\n---\n"),
        "error: `era` has no `end` year\n --> content/a.md:2:1\n  |\n2 | era: {begin: 5}\n  | ^^^\n  |\n  = help: write `era: {start: -550, end: -330}`; negative years are BCE\n\n\
         error: `era` has no `start` year\n --> content/a.md:2:1\n  |\n2 | era: {begin: 5}\n  | ^^^\n  |\n  = help: write `era: {start: -550, end: -330}`; negative years are BCE\n\n\
         error: unknown field `begin` in `era`\n --> content/a.md:2:1\n  |\n2 | era: {begin: 5}\n  | ^^^\n  |\n  = help: `era` has only `start` and `end`"
    );
}

#[test]
fn bad_kind_and_sort_order() {
    assert_eq!(
        errors("---\nkind: esay\nsort_by: newest\n---\n"),
        "error: unknown page kind `esay`\n --> content/a.md:2:7\n  |\n2 | kind: esay\n  |       ^^^^\n  |\n  = help: did you mean `essay`?\n\n\
         error: unknown sort order `newest`\n --> content/a.md:3:10\n  |\n3 | sort_by: newest\n  |          ^^^^^^\n  |\n  = help: use one of: date, weight, title"
    );
}

#[test]
fn empty_slug_and_zero_pagination() {
    assert_eq!(
        errors("---\nslug: \"\"\npaginate_by: 0\n---\n"),
        "error: `slug` is empty\n --> content/a.md:2:1\n  |\n2 | slug: \"\"\n  | ^^^^\n  |\n  = help: remove `slug` to use the file name, or give a URL segment such as `my-page`\n\n\
         error: `paginate_by` must be at least 1, not 0\n --> content/a.md:3:14\n  |\n3 | paginate_by: 0\n  |              ^\n  |\n  = help: give the number of pages per listing page, e.g. `paginate_by: 10`"
    );
}

#[test]
fn extra_must_be_a_mapping() {
    assert_eq!(
        errors("---\nextra: [1]\n---\n"),
        "error: `extra` must hold named values, not a list\n --> content/a.md:2:8\n  |\n2 | extra: [1]\n  |        ^^^\n  |\n  = help: write the values on indented lines below `extra:`, e.g. `extra: {source: Herodotus}`"
    );
}
