//! What a template reads besides its context: data files (`data.<name>`, `load_data(path=…)`)
//! and the hashes of cache-busted static files (`url(path=…, cachebust=true)`), found by
//! scanning its tags.
//!
//! Two callers need it. The driver reads and hashes, before the pure stages run, exactly the
//! files templates name by a literal path (render does no I/O, so a path only known while
//! rendering cannot be read then). The dev server's render memo adds to each output's
//! fingerprint only the data its template and the templates that template reaches read, so an
//! edit of `data/events.toml` re-renders the timeline and not every page.
//!
//! The scan is conservative: whatever it cannot pin to a name counts as reading everything of
//! its kind (`data` used any other way than `data.name` or `data["name"]`, a path that is not a
//! literal, an `extends` or `include` of a name that is not a literal), and a template defining
//! a component counts as reached by every template, since components are called by name from
//! anywhere. Text outside tags is not scanned; a name in a comment only costs a re-render.

use std::collections::{BTreeMap, BTreeSet};

/// Names a template reads by a literal, and whether it may read any other.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Reads {
    pub(crate) names: BTreeSet<String>,
    /// Some read is not by a literal name: it may read anything of its kind.
    pub(crate) all: bool,
}

impl Reads {
    fn insert(&mut self, name: &str) {
        self.names.insert(name.to_string());
    }

    fn extend(&mut self, other: &Reads) {
        self.names.extend(other.names.iter().cloned());
        self.all |= other.all;
    }
}

/// What one template (or a template with everything it reaches) reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Uses {
    /// Top-level keys of `data`.
    pub(crate) data: Reads,
    /// Paths given to `load_data`, relative to the site root.
    pub(crate) loads: Reads,
    /// Paths given to `url` with `cachebust`.
    pub(crate) cachebust: Reads,
    /// Templates named by `extends` and `include`; `None` when one is not a literal.
    templates: Option<BTreeSet<String>>,
    defines_components: bool,
}

impl Uses {
    fn extend(&mut self, other: &Uses) {
        self.data.extend(&other.data);
        self.loads.extend(&other.loads);
        self.cachebust.extend(&other.cachebust);
    }
}

/// What `source` reads, by its own tags only.
pub(crate) fn scan(source: &str) -> Uses {
    let mut uses = Uses {
        templates: Some(BTreeSet::new()),
        ..Uses::default()
    };
    let bytes = source.as_bytes();
    let mut i = 0;
    while let Some(open) = find(bytes, i, |b| b == b'{') {
        match bytes.get(open + 1) {
            Some(b'{') | Some(b'%') => {
                let close = tag_end(bytes, open + 2);
                scan_tag(&source[open + 2..close], &mut uses);
                i = close;
            }
            Some(b'#') => {
                i = source[open..]
                    .find("#}")
                    .map_or(bytes.len(), |end| open + end + 2);
            }
            _ => i = open + 1,
        }
    }
    uses
}

/// For every template, what it reads with everything it reaches: the templates it extends and
/// includes, transitively, and every template that defines a component.
pub(crate) fn closures<'a>(
    templates: impl Iterator<Item = (&'a str, &'a str)>,
) -> BTreeMap<String, Uses> {
    let own: BTreeMap<&str, Uses> = templates.map(|(name, text)| (name, scan(text))).collect();
    let mut components = Uses::default();
    for uses in own.values().filter(|u| u.defines_components) {
        components.extend(uses);
    }
    let mut all = Uses::default();
    for uses in own.values() {
        all.extend(uses);
    }
    own.keys()
        .map(|&name| {
            let mut closure = components.clone();
            let mut seen = BTreeSet::new();
            let mut stack = vec![name];
            while let Some(next) = stack.pop() {
                if !seen.insert(next) {
                    continue;
                }
                let Some(uses) = own.get(next) else { continue };
                closure.extend(uses);
                match &uses.templates {
                    Some(reached) => stack.extend(reached.iter().map(String::as_str)),
                    None => closure.extend(&all),
                }
            }
            (name.to_string(), closure)
        })
        .collect()
}

/// Everything all templates read, by their own tags.
pub(crate) fn union<'a>(templates: impl Iterator<Item = &'a str>) -> Uses {
    let mut all = Uses::default();
    for text in templates {
        all.extend(&scan(text));
    }
    all
}

fn find(bytes: &[u8], from: usize, what: impl Fn(u8) -> bool) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| what(b))
        .map(|i| from + i)
}

/// Where the tag opened before `from` ends: at its `}}` or `%}` outside strings.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'"' | b'\'' | b'`') => i = string_end(bytes, i, quote),
            b'}' | b'%' if bytes.get(i + 1) == Some(&b'}') => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The index after the string literal opened by `quote` at `start`.
fn string_end(bytes: &[u8], start: usize, quote: u8) -> usize {
    find(bytes, start + 1, |b| b == quote).map_or(bytes.len(), |end| end + 1)
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// A cursor over one tag's text.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn skip_space(&mut self) {
        while self
            .text
            .as_bytes()
            .get(self.at)
            .is_some_and(u8::is_ascii_whitespace)
        {
            self.at += 1;
        }
    }

    fn eat(&mut self, what: &str) -> bool {
        self.skip_space();
        if self.text[self.at..].starts_with(what) {
            self.at += what.len();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<&'a str> {
        self.skip_space();
        let start = self.at;
        while self
            .text
            .as_bytes()
            .get(self.at)
            .is_some_and(|&b| is_ident(b))
        {
            self.at += 1;
        }
        (self.at > start).then(|| &self.text[start..self.at])
    }

    /// A string literal's contents.
    fn literal(&mut self) -> Option<&'a str> {
        self.skip_space();
        let bytes = self.text.as_bytes();
        let quote = *bytes
            .get(self.at)
            .filter(|b| matches!(b, b'"' | b'\'' | b'`'))?;
        let end = string_end(bytes, self.at, quote);
        let contents = self.text.get(self.at + 1..end - 1)?;
        self.at = end;
        Some(contents)
    }

    /// Skips one argument's value up to the `,` or `)` that ends it; its text.
    fn value(&mut self) -> &'a str {
        self.skip_space();
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut depth = 0usize;
        while let Some(&b) = bytes.get(self.at) {
            match b {
                b'"' | b'\'' | b'`' => {
                    self.at = string_end(bytes, self.at, b);
                    continue;
                }
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' if depth == 0 => break,
                b')' | b']' | b'}' => depth -= 1,
                b',' if depth == 0 => break,
                _ => {}
            }
            self.at += 1;
        }
        self.text[start..self.at].trim()
    }

    /// The keyword arguments of a call whose `(` was just read: literal text values as
    /// `Some`, any other value as `None`.
    fn arguments(&mut self) -> Vec<(&'a str, Option<&'a str>)> {
        let mut arguments = Vec::new();
        loop {
            if self.eat(")") {
                break;
            }
            let Some(name) = self.ident() else { break };
            if !self.eat("=") {
                break;
            }
            let before = self.at;
            let value = match self.literal() {
                Some(text) => {
                    self.skip_space();
                    if matches!(self.text.as_bytes().get(self.at), Some(b',' | b')')) {
                        Some(text)
                    } else {
                        // `"a" ~ b`: not a literal after all.
                        self.at = before;
                        self.value();
                        None
                    }
                }
                None => {
                    let value = self.value();
                    (value == "true" || value == "false").then_some(value)
                }
            };
            arguments.push((name, value));
            if !self.eat(",") {
                self.eat(")");
                break;
            }
        }
        arguments
    }
}

fn scan_tag(tag: &str, uses: &mut Uses) {
    let bytes = tag.as_bytes();
    let mut cursor = Cursor { text: tag, at: 0 };
    while cursor.at < bytes.len() {
        let b = bytes[cursor.at];
        if matches!(b, b'"' | b'\'' | b'`') {
            cursor.at = string_end(bytes, cursor.at, b);
            continue;
        }
        let after = cursor.at.checked_sub(1).map(|i| bytes[i]);
        let starts_name = is_ident(b) && !after.is_some_and(|p| is_ident(p) || p == b'.');
        if !starts_name || b.is_ascii_digit() {
            cursor.at += 1;
            continue;
        }
        let Some(name) = cursor.ident() else {
            cursor.at += 1;
            continue;
        };
        match name {
            "data" => scan_data(&mut cursor, uses),
            "load_data" if cursor.eat("(") => {
                let arguments = cursor.arguments();
                match arguments.iter().find(|(n, _)| *n == "path") {
                    Some((_, Some(path))) => uses.loads.insert(path),
                    _ => uses.loads.all = true,
                }
            }
            "url" if cursor.eat("(") => {
                let arguments = cursor.arguments();
                let busted = arguments
                    .iter()
                    .any(|(n, v)| *n == "cachebust" && *v != Some("false"));
                if busted {
                    match arguments.iter().find(|(n, _)| *n == "path") {
                        Some((_, Some(path))) => uses.cachebust.insert(path),
                        _ => uses.cachebust.all = true,
                    }
                }
            }
            "extends" | "include" => match cursor.literal() {
                Some(template) => {
                    if let Some(templates) = &mut uses.templates {
                        templates.insert(template.to_string());
                    }
                }
                None => uses.templates = None,
            },
            "component" => uses.defines_components = true,
            _ => {}
        }
    }
}

/// After `data`: `.name`, `?.name` or `["name"]` read one key; anything else may read all.
fn scan_data(cursor: &mut Cursor<'_>, uses: &mut Uses) {
    let before = cursor.at;
    if cursor.eat("?.") || cursor.eat(".") {
        if let Some(key) = cursor.ident() {
            uses.data.insert(key);
            return;
        }
    } else if cursor.eat("[")
        && let Some(key) = cursor.literal()
        && cursor.eat("]")
    {
        uses.data.insert(key);
        return;
    }
    cursor.at = before;
    uses.data.all = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(reads: &Reads) -> Option<Vec<&str>> {
        (!reads.all).then(|| reads.names.iter().map(String::as_str).collect())
    }

    #[test]
    fn names_read_by_literal_access_and_calls() {
        let uses = scan(
            "<p>data about data.x</p>{{ data.events | length }}{% for e in data[\"eras\"] %}\
             {{ data?.people.0 }}{% endfor %}{{ load_data(path=\"data/a b.csv\", format='csv') }}\
             {{ url(path=\"style.css\", cachebust=true) }}{{ url(path=page.path) }}\
             {{ url(path='theme.js', cachebust=false) }}{# data #}{{ metadata.x }}",
        );
        assert_eq!(names(&uses.data), Some(vec!["eras", "events", "people"]));
        assert_eq!(names(&uses.loads), Some(vec!["data/a b.csv"]));
        assert_eq!(names(&uses.cachebust), Some(vec!["style.css"]));
    }

    #[test]
    fn what_is_not_a_literal_reads_everything() {
        assert!(scan("{% set d = data %}").data.all);
        assert!(scan("{{ data[name] }}").data.all);
        assert!(scan("{{ load_data(path=page.extra.table) }}").loads.all);
        assert!(scan("{{ load_data(path=\"data/\" ~ name) }}").loads.all);
        assert!(scan("{{ url(path=file, cachebust=true) }}").cachebust.all);
        assert!(!scan("{{ data.x }}").data.all);
    }

    #[test]
    fn closures_follow_extends_includes_and_components() {
        let templates = [
            (
                "base.html",
                "{% include \"nav.html\" %}{% block main %}{% endblock %}",
            ),
            ("nav.html", "{% for link in data.nav %}{% endfor %}"),
            ("page.html", "{% extends \"base.html\" %}"),
            (
                "timeline.html",
                "{% extends 'base.html' %}{{ data.events }}",
            ),
            (
                "parts.html",
                "{% component Card(x) %}{{ data.cards }}{% endcomponent Card %}",
            ),
            ("feed.xml", "{{ url(path=\"a.css\", cachebust=true) }}"),
        ];
        let closures = closures(templates.into_iter());
        let data = |name: &str| names(&closures[name].data).unwrap();
        assert_eq!(data("page.html"), ["cards", "nav"]);
        assert_eq!(data("timeline.html"), ["cards", "events", "nav"]);
        assert_eq!(data("feed.xml"), ["cards"]);
        assert_eq!(names(&closures["feed.xml"].cachebust), Some(vec!["a.css"]));
    }
}
