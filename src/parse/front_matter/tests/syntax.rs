//! Fences, the YAML and TOML parsers' errors, and odd input that must never panic.

use std::path::Path;

use super::super::parse;
use super::{RULES, STRICT, errors, ok};
use crate::parse::front_matter::FrontMatter;

/// Found by fuzzing (`front_matter`): YAML ends lines at a lone `\r` too, so its line
/// numbers ran past the end of a file with carriage returns and no line feeds.
#[test]
fn yaml_errors_after_lone_carriage_returns_point_into_the_file() {
    let text = format!(
        "---\nt{}itle: 'Fish & \"Chips\"Stb>'\n---\n",
        "\r".repeat(124)
    );
    let found = parse(Path::new("content/a.md"), &text, &RULES).unwrap_err();
    let location = found[0].location.as_deref().unwrap();
    assert_eq!((location.line, location.column), (2, 130), "{found:?}");
    assert_eq!(
        errors("---\ntitle: A\rdescription: B\r  draft: x: y\n---\n"),
        "error: unexpected `:` in a value\n --> content/a.md:2:32\n  |\n2 | title: A␍description: B␍  draft: x: y\n  |                                ^\n  |\n  = help: a value that contains `: ` must be in quotes, e.g. `title: \"Rome: the fall\"`"
    );
}

#[test]
fn no_front_matter_is_defaults() {
    assert_eq!(ok("# Title\n\nText"), (FrontMatter::default(), 0));
    assert_eq!(ok("--- not a fence\n"), (FrontMatter::default(), 0));
}

#[test]
fn empty_file_and_empty_block() {
    assert_eq!(ok(""), (FrontMatter::default(), 0));
    assert_eq!(ok("---\n---\n"), (FrontMatter::default(), 8));
    assert_eq!(ok("---\n---"), (FrontMatter::default(), 7));
    assert_eq!(ok("---\n# only a comment\n---\n").1, 25);
    assert_eq!(ok("+++\n+++\nx").1, 8);
}

#[test]
fn bom_is_skipped() {
    assert_eq!(ok("\u{feff}# Title").1, 3);
    let text = "\u{feff}---\ntitle: Hi\n---\nBody";
    let (front, body) = ok(text);
    assert_eq!(front.title.as_deref(), Some("Hi"));
    assert_eq!(&text[body..], "Body");
}

#[test]
fn crlf_line_endings() {
    let text = "---\r\ntitle: Hi\r\ntags: [a]\r\n---\r\nBody\r\n";
    let (front, body) = ok(text);
    assert_eq!(front.title.as_deref(), Some("Hi"));
    assert_eq!(front.taxonomies["tags"], ["a"]);
    assert_eq!(&text[body..], "Body\r\n");
    let text = "+++\r\ntitle = \"Hi\"\r\n+++\r\nBody";
    assert_eq!(&text[ok(text).1..], "Body");
    assert_eq!(
        errors("---\r\ntitel: Hi\r\n---\r\n"),
        "error: unknown field `titel` in front matter\n --> content/a.md:2:1\n  |\n2 | titel: Hi\n  | ^^^^^\n  |\n  = help: did you mean `title`?"
    );
}

#[test]
fn body_offset_follows_closing_fence() {
    let text = "---\ntitle: a\n---   \n\n---\nnot front matter\n";
    let (_, body) = ok(text);
    assert_eq!(&text[body..], "\n---\nnot front matter\n");
    let text = "---\ntitle: é\n---";
    assert_eq!(ok(text).1, text.len());
}

#[test]
fn unclosed_fence() {
    assert_eq!(
        errors("---\ntitle: Hi\n\nBody\n"),
        "error: front matter is not closed\n --> content/a.md:1:1\n  |\n1 | ---\n  | ^^^\n  |\n  = help: end it with a line containing only `---`"
    );
    assert_eq!(
        errors("\u{feff}+++"),
        "error: front matter is not closed\n --> content/a.md:1:1\n  |\n1 | +++\n  | ^^^\n  |\n  = help: end it with a line containing only `+++`"
    );
}

#[test]
fn tab_indentation() {
    assert_eq!(
        errors("---\ntitle: x\nextra:\n  a: 1\n\tb: 2\n---\n"),
        "error: tab character used for indentation\n --> content/a.md:5:1\n  |\n5 |     b: 2\n  | ^^^^\n  |\n  = help: YAML does not allow tabs for indentation; indent with spaces"
    );
}

#[test]
fn unclosed_quote_points_at_opening_quote() {
    assert_eq!(
        errors("---\ntitle: \"Hello\ndraft: true\n---\nbody\n"),
        "error: quoted value is not closed\n --> content/a.md:2:8\n  |\n2 | title: \"Hello\n  |        ^\n  |\n  = help: add the closing quote at the end of the value"
    );
}

#[test]
fn duplicate_key() {
    assert_eq!(
        errors("---\ntitle: a\ndraft: true\ntitle: b\n---\n"),
        "error: `title` is set twice in front matter\n --> content/a.md:4:1\n  |\n4 | title: b\n  | ^^^^^\n  |\n  = help: remove one of the two lines"
    );
    assert_eq!(
        errors("+++\ntitle = \"a\"\ntitle = \"b\"\n+++\n"),
        "error: `title` is set twice in front matter\n --> content/a.md:3:1\n  |\n3 | title = \"b\"\n  | ^^^^^\n  |\n  = help: remove one of the two lines"
    );
}

#[test]
fn colon_in_value_and_bad_indentation() {
    assert_eq!(
        errors("---\ntitle: Rome: the fall\n---\n"),
        "error: unexpected `:` in a value\n --> content/a.md:2:12\n  |\n2 | title: Rome: the fall\n  |            ^\n  |\n  = help: a value that contains `: ` must be in quotes, e.g. `title: \"Rome: the fall\"`"
    );
    assert_eq!(
        errors("---\ntitle: x\n  draft: true\n---\n"),
        "error: this line is indented more than the key above it\n --> content/a.md:3:1\n  |\n3 |   draft: true\n  | ^^\n  |\n  = help: keys of one mapping start in the same column; remove the extra spaces, or nest the line under a key that has no value of its own"
    );
    assert_eq!(
        errors("---\nextra:\n  a: 1\n b: 2\n---\n"),
        "error: this line is not indented like the lines around it\n --> content/a.md:4:2\n  |\n4 |  b: 2\n  |  ^\n  |\n  = help: keys of one mapping start in the same column; indent nested values with spaces"
    );
}

#[test]
fn toml_syntax_error_is_located() {
    assert_eq!(
        errors("+++\ntitle = x\n+++\n"),
        "error: invalid TOML: string values must be quoted, expected literal string\n --> content/a.md:2:9\n  |\n2 | title = x\n  |         ^\n  |\n  = help: check the TOML syntax: text values need quotes, lists are written `[\"a\", \"b\"]`, each key appears once"
    );
}

#[test]
fn not_a_mapping() {
    assert_eq!(
        errors("---\n- a\n---\n"),
        "error: front matter is not a list of `key: value` lines\n --> content/a.md:2:1\n  |\n2 | - a\n  | ^\n  |\n  = help: write one `key: value` per line, e.g. `title: My page`"
    );
}

#[test]
fn never_panics_on_odd_input() {
    let inputs = [
        "---\n: x\n---\n",
        "---\n? [a, b]\n: c\n---\n",
        "---\n*x\n---\n",
        "---\na: &a [*a]\n---\n",
        "---\n!!binary x\n---\n",
        "---\nextra: {? [a]: 1}\n---\n",
        "---\nweight: 99999999999999999999999\n---\n",
        "---\nera: {start: 9999999999, end: 1}\n---\n",
        "---\ndate: 99999-01-01\n---\n",
        "---\ntitle: .nan\nextra: {a: .inf}\n---\n",
        "+++\nextra = { a = nan }\n+++\n",
        "+++\n[[tags]]\n+++\n",
        "+++\ntitle = \"\u{1F600}\n+++\n",
        "---\n\u{feff}\u{1F600}: é\n---\n",
        "---\r",
        "\u{feff}",
        "---\n---\n---\n",
        "---\n...\n---\n",
        "---\n%YAML 1.2\n---\n",
        "---\npermalink: \"\\u0000/..\\u202e\"\ncssclasses: \"\\u00a0\"\ntags: \"# / #/\"\n---\n",
        "---\ndate: -9223372036854775808\nupdated: 9223372036854775807\n---\n",
    ];
    // Both readings of unknown keys: page properties, and errors.
    let parse_both = |text: &str| {
        for rules in [&RULES, &STRICT] {
            let _ = parse(Path::new("a.md"), text, rules);
        }
    };
    for input in inputs {
        parse_both(input);
    }
    // Every truncation of, and insertion of a troublesome character into, valid input.
    let samples = [
        "\u{feff}---\r\ntitle: \"é: x\"\r\ntags: [a, b]\r\nera: {start: -5, end: 5}\r\n---\r\nBody",
        "+++\ntitle = 'x'\ndate = 2024-05-01T10:20:00Z\n[extra]\na.b = [1, {c = 2}]\n+++\n",
        "---\naliases: Old\ntags: \"#a/b c\"\npermalink: x/y\ncssclasses: w\nid: 1\n---\n",
    ];
    for sample in samples {
        for (i, _) in sample.char_indices() {
            parse_both(&sample[..i]);
            for c in [
                '\t', '"', '\'', ':', '=', '\n', '\r', '[', '{', '#', '\u{feff}', 'é',
            ] {
                let mut mutated = sample.to_string();
                mutated.insert(i, c);
                parse_both(&mutated);
            }
        }
    }
    let deep = format!(
        "---\nextra: {}{}\n---\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert!(parse(Path::new("a.md"), &deep, &RULES).is_err());
    let deep = format!(
        "+++\nextra = {}{}\n+++\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let _ = parse(Path::new("a.md"), &deep, &RULES);
}
