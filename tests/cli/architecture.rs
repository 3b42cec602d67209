//! The stage boundaries of ARCHITECTURE.md, checked on the sources: the pure modules (parse,
//! resolve, render, search and the leaf modules they share) do no I/O, hold no global state and
//! import no module that does. A review habit erodes; this test does not.
//!
//! Each `.rs` file under a pure module is read with its comments, string literals and test code
//! (`#[cfg(test)]` items, and files that are `#[cfg(test)]` modules) left out, since tests may use
//! temporary folders. What remains may not name `std::fs`, `std::env`, `std::net`,
//! `std::process`, `SystemTime` or `File::`, declare a `static` or a `thread_local!`, or reach
//! (`use` or path) the I/O and driver modules below; render may not name `parse::front_matter`
//! either (front matter reaches it through resolve's model). Exceptions are listed in [`ALLOWED`], each
//! with its reason; an entry that no longer matches anything fails too, so the list only shrinks.
//!
//! Files move (modules become folders), so the test walks the modules' folders rather than a list
//! of files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::support::REPO;

/// The pure modules: `src/<name>.rs` and everything under `src/<name>/`. `files` (the vocabulary
/// shared by the stages) may not exist yet.
const PURE: &[&str] = &[
    "parse",
    "resolve",
    "render",
    "search",
    "files",
    "escape",
    "slug",
    "diagnostics",
];

/// Modules that do I/O or drive the stages; a pure module may not import them.
const IMPURE: &[&str] = &[
    "load", "output", "serve", "cache", "images", "build", "external", "read", "report",
    "scaffold", "cli",
];

/// Pure modules that reach another's data only through a stage between them: (module, the path
/// it may not name). Render sees front matter only as resolve's model carries it (`Page::era`,
/// `resolve::PageKind`), so a change to how front matter is parsed cannot reach past resolve.
const THROUGH_RESOLVE: &[(&str, &[&str])] = &[("render", &["parse", "front_matter"])];

/// Exceptions: (file or folder below the repository, rule, why). Each must still be needed.
const ALLOWED: &[(&str, Rule, &str)] = &[
    (
        "src/parse/highlight",
        Rule::ThreadLocal,
        "the per-thread highlighting memo (each scope's class names and the last parser, \
         restarted for the next block), which cannot change output: ARCHITECTURE.md, invariants",
    ),
    (
        "src/parse/highlight",
        Rule::Static,
        "the counter numbering highlighters, so that a thread's memoized parser is only ever \
         restarted by the highlighter (syntax set) it was made with: part of the same memo",
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rule {
    /// File system, environment, network, processes, the wall clock.
    Io,
    /// A `static` item: global state.
    Static,
    /// `thread_local!`: per-thread global state.
    ThreadLocal,
    /// A path into an I/O or driver module.
    Import,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Violation {
    file: String,
    line: usize,
    rule: Rule,
    what: String,
}

/// `text` with comments, string and character literals blanked out (newlines kept, so line
/// numbers stay right) and lifetimes kept.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if (c == 'r' || (c == 'b' && next == Some('r')))
            && !is_ident(chars.get(i.wrapping_sub(1)).copied())
            && raw_string_hashes(&chars[i..]).is_some()
        {
            // r"…", r#"…"#, br"…": no escapes; ends at a quote followed by as many hashes.
            let prefix = if c == 'b' { 2 } else { 1 };
            let hashes = raw_string_hashes(&chars[i..]).unwrap_or(0);
            let body = i + prefix + hashes + 1;
            let mut end = body;
            while end < chars.len()
                && !(chars[end] == '"'
                    && chars[end + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|&&h| h == '#')
                        .count()
                        == hashes)
            {
                end += 1;
            }
            let end = (end + 1 + hashes).min(chars.len());
            out.extend(chars[i..end].iter().map(|&c| blank(c)));
            i = end;
        } else if c == '"' {
            i = blank_quoted(&chars, i, &mut out);
        } else if c == '\'' && (next == Some('\\') || chars.get(i + 2) == Some(&'\'')) {
            // A character literal ('x', '\n', '\u{1F600}'); otherwise a lifetime, kept.
            i = blank_quoted(&chars, i, &mut out);
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// A blank for `c` in [`code_only`]'s output: newlines stay, so line numbers stay right.
fn blank(c: char) -> char {
    if c == '\n' { '\n' } else { ' ' }
}

/// Blanks the quoted literal opening at `start` (a string or a character literal, closed by the
/// same quote; a backslash escapes the next character) into `out`; returns the position after it.
fn blank_quoted(chars: &[char], start: usize, out: &mut String) -> usize {
    let quote = chars[start];
    out.push(' ');
    let mut i = start + 1;
    while i < chars.len() && chars[i] != quote {
        if chars[i] == '\\' {
            out.push(' ');
            i += 1;
        }
        if i < chars.len() {
            out.push(blank(chars[i]));
            i += 1;
        }
    }
    out.push(' ');
    i + 1
}

fn is_ident(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// For `r"`, `r#"`, `br##"` …: the number of hashes; `None` when this is no raw string.
fn raw_string_hashes(chars: &[char]) -> Option<usize> {
    let rest = match chars {
        ['b', 'r', rest @ ..] | ['r', rest @ ..] => rest,
        _ => return None,
    };
    let hashes = rest.iter().take_while(|&&c| c == '#').count();
    (rest.get(hashes) == Some(&'"')).then_some(hashes)
}

/// `code` (from [`code_only`]) with every item marked `#[cfg(test)]` blanked out.
fn without_test_items(code: &str) -> String {
    let mut out: Vec<char> = code.chars().collect();
    let marker: Vec<char> = "#[cfg(test)]".chars().collect();
    let mut i = 0;
    while i + marker.len() <= out.len() {
        if out[i..i + marker.len()] != marker[..] {
            i += 1;
            continue;
        }
        // The item ends at its first `;` outside braces, or at the brace closing its body.
        let mut end = i + marker.len();
        let mut depth = 0usize;
        while end < out.len() {
            match out[end] {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                ';' if depth == 0 => break,
                _ => {}
            }
            end += 1;
        }
        let stop = (end + 1).min(out.len());
        for c in &mut out[i..stop] {
            if *c != '\n' {
                *c = ' ';
            }
        }
        i = end;
    }
    out.into_iter().collect()
}

/// Files declared as `#[cfg(test)] mod name;` in `file` (`code` is its text from
/// [`code_only`]): the paths their code lives at.
fn test_module_files(file: &Path, code: &str) -> Vec<PathBuf> {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let dir = file.parent().unwrap_or(Path::new(""));
    // A `mod.rs` or `lib.rs` keeps its children beside it; `name.rs` in `name/`.
    let children = if stem == "mod" || stem == "lib" {
        dir.to_path_buf()
    } else {
        dir.join(stem)
    };
    let words: Vec<&str> = code.split_whitespace().collect();
    let mut files = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if *word == "#[cfg(test)]"
            && words.get(i + 1) == Some(&"mod")
            && let Some(name) = words.get(i + 2).and_then(|w| w.strip_suffix(';'))
        {
            files.push(children.join(format!("{name}.rs")));
            files.push(children.join(name).join("mod.rs"));
        }
    }
    files
}

/// The module path of a source file (`src/parse/markdown/text.rs` → `["parse", "markdown",
/// "text"]`).
fn module_path(relative: &Path) -> Vec<String> {
    let mut path: Vec<String> = relative
        .iter()
        .skip(1)
        .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if path.last().is_some_and(|l| l == "mod") {
        path.pop();
    }
    path
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    /// `'a`, `'static`.
    Lifetime,
    /// `::`
    PathSep,
    Punct(char),
}

/// The tokens of `code` (from [`code_only`]) with their line numbers.
fn tokens(code: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = code.chars().collect();
    let mut tokens = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if is_ident(Some(c)) {
            let start = i;
            while is_ident(chars.get(i).copied()) {
                i += 1;
            }
            tokens.push((Token::Ident(chars[start..i].iter().collect()), line));
        } else if c == '\'' && is_ident(chars.get(i + 1).copied()) {
            i += 1;
            while is_ident(chars.get(i).copied()) {
                i += 1;
            }
            tokens.push((Token::Lifetime, line));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            tokens.push((Token::PathSep, line));
            i += 2;
        } else {
            tokens.push((Token::Punct(c), line));
            i += 1;
        }
    }
    tokens
}

fn ident(tokens: &[(Token, usize)], at: usize) -> Option<&str> {
    match tokens.get(at) {
        Some((Token::Ident(name), _)) => Some(name),
        _ => None,
    }
}

/// Reads the path (or `use` tree) starting at `at` with the segments `prefix` before it, and adds
/// every full path it names to `paths`: `a::{b, c::{d, e as f}}` gives `a::b`, `a::c::d`,
/// `a::c::e`. Returns the position after it.
fn path_tree(
    tokens: &[(Token, usize)],
    mut at: usize,
    mut prefix: Vec<String>,
    paths: &mut Vec<Vec<String>>,
) -> usize {
    loop {
        match tokens.get(at) {
            Some((Token::Ident(name), _)) => {
                if name != "self" || prefix.is_empty() {
                    prefix.push(name.clone());
                }
                at += 1;
            }
            Some((Token::Punct('{'), _)) => {
                at += 1;
                while let Some((token, _)) = tokens.get(at) {
                    match token {
                        Token::Punct('}') => return at + 1,
                        Token::Punct(',') => at += 1,
                        Token::Ident(word) if word == "as" => at += 2,
                        _ => at = path_tree(tokens, at, prefix.clone(), paths),
                    }
                }
                return at;
            }
            _ => {
                paths.push(prefix);
                return at;
            }
        }
        if tokens.get(at).map(|t| &t.0) == Some(&Token::PathSep) {
            at += 1;
        } else {
            paths.push(prefix);
            return at;
        }
    }
}

/// Every path written in `code` that starts at `std`, `crate` or `super`, as (line, segments),
/// with `crate` and `super` resolved against `module`: `super::output::Output` in
/// `src/search.rs` is `["output", "Output"]`, `std::{fs, env}` is `["std", "fs"]` and
/// `["std", "env"]`.
fn paths(code: &[(Token, usize)], module: &[String]) -> Vec<(usize, Vec<String>)> {
    let mut found = Vec::new();
    for at in 0..code.len() {
        let Some(first) = ident(code, at) else {
            continue;
        };
        let continues_a_path = at > 0 && code[at - 1].0 == Token::PathSep;
        let follows = code.get(at + 1).map(|t| &t.0) == Some(&Token::PathSep);
        if continues_a_path || !follows || !["std", "crate", "super"].contains(&first) {
            continue;
        }
        let mut trees = Vec::new();
        path_tree(code, at, Vec::new(), &mut trees);
        for tree in trees {
            let resolved = match tree.first().map(String::as_str) {
                Some("crate") => tree[1..].to_vec(),
                Some("super") => {
                    let up = tree.iter().take_while(|s| *s == "super").count();
                    let Some(base) = module.len().checked_sub(up) else {
                        continue;
                    };
                    module[..base].iter().chain(&tree[up..]).cloned().collect()
                }
                _ => tree,
            };
            found.push((code[at].1, resolved));
        }
    }
    found
}

/// Every violation in the code of one file (`relative` to the repository).
fn violations(relative: &Path, code: &str) -> Vec<Violation> {
    let file = relative.to_string_lossy().into_owned();
    let mut found = Vec::new();
    let mut add = |line: usize, rule: Rule, what: String| {
        found.push(Violation {
            file: file.clone(),
            line,
            rule,
            what,
        });
    };
    let code = tokens(code);
    // The end of the `thread_local!` block being read: its statics are the thread-local's.
    let mut thread_local_end = 0;
    for (at, (token, line)) in code.iter().enumerate() {
        let next = code.get(at + 1).map(|t| &t.0);
        match token {
            Token::Ident(name) if name == "SystemTime" => add(*line, Rule::Io, name.clone()),
            Token::Ident(name) if name == "File" && next == Some(&Token::PathSep) => {
                add(*line, Rule::Io, "File::".into());
            }
            Token::Ident(name) if name == "thread_local" && next == Some(&Token::Punct('!')) => {
                add(*line, Rule::ThreadLocal, "thread_local!".into());
                let mut depth = 0;
                for (end, (token, _)) in code.iter().enumerate().skip(at) {
                    match token {
                        Token::Punct('{' | '(' | '[') => depth += 1,
                        Token::Punct('}' | ')' | ']') => {
                            depth -= 1;
                            if depth == 0 {
                                thread_local_end = end;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            Token::Ident(name) if name == "static" && at > thread_local_end => {
                let item = code[at..]
                    .iter()
                    .take(3)
                    .filter_map(|(t, _)| match t {
                        Token::Ident(word) => Some(word.as_str()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                add(*line, Rule::Static, item);
            }
            _ => {}
        }
    }
    let module = module_path(relative);
    for (line, path) in paths(&code, &module) {
        let skips_resolve = THROUGH_RESOLVE.iter().any(|(from, to)| {
            module.first().is_some_and(|m| m == from)
                && path.len() >= to.len()
                && path.iter().zip(to.iter()).all(|(a, b)| a == b)
        });
        if skips_resolve {
            add(line, Rule::Import, format!("crate::{}", path.join("::")));
            continue;
        }
        match path.as_slice() {
            [std, module, ..]
                if std == "std" && ["fs", "env", "net", "process"].contains(&module.as_str()) =>
            {
                add(line, Rule::Io, format!("std::{module}"));
            }
            [top, ..] if IMPURE.contains(&top.as_str()) => {
                add(line, Rule::Import, format!("crate::{}", path.join("::")));
            }
            _ => {}
        }
    }
    found
}

/// The `.rs` files of the pure modules, as paths relative to the repository.
fn pure_files(repo: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for name in PURE {
        let file = repo.join("src").join(format!("{name}.rs"));
        if file.is_file() {
            files.push(file);
        }
        let dir = repo.join("src").join(name);
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let entry = entry.unwrap();
                if entry.path().extension().is_some_and(|e| e == "rs") {
                    files.push(entry.path().to_path_buf());
                }
            }
        }
    }
    files
        .into_iter()
        .map(|f| f.strip_prefix(repo).unwrap().to_path_buf())
        .collect()
}

/// Every violation in the pure modules of the repository at `repo`.
fn check(repo: &Path) -> Vec<Violation> {
    let files = pure_files(repo);
    let code: Vec<(PathBuf, String)> = files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(repo.join(f)).unwrap();
            (f.clone(), code_only(&text))
        })
        .collect();
    let test_files: BTreeSet<PathBuf> = code
        .iter()
        .flat_map(|(f, c)| test_module_files(f, c))
        .collect();
    let mut found = Vec::new();
    for (file, code) in &code {
        if test_files.contains(file) {
            continue;
        }
        found.extend(violations(file, &without_test_items(code)));
    }
    found.sort();
    found
}

#[test]
fn pure_stages_do_no_io_hold_no_global_state_and_import_no_driver() {
    let repo = Path::new(REPO);
    for name in ["parse", "resolve", "render"] {
        assert!(
            repo.join("src").join(name).is_dir(),
            "src/{name}/ is gone: update PURE in this test"
        );
    }
    let found = check(repo);
    let allowed = |v: &Violation| {
        ALLOWED
            .iter()
            .any(|(place, rule, _)| v.file.starts_with(place) && v.rule == *rule)
    };
    let broken: Vec<String> = found
        .iter()
        .filter(|v| !allowed(v))
        .map(|v| format!("{}:{}: {:?}: {}", v.file, v.line, v.rule, v.what))
        .collect();
    assert!(
        broken.is_empty(),
        "pure modules must do no I/O, hold no global state and import no I/O or driver module \
         (ARCHITECTURE.md, invariants); move the work to load, output, build or serve, or pass \
         the data in:\n{}",
        broken.join("\n")
    );
    let stale: Vec<String> = ALLOWED
        .iter()
        .filter(|(place, rule, _)| {
            !found
                .iter()
                .any(|v| v.file.starts_with(place) && v.rule == *rule)
        })
        .map(|(place, rule, why)| format!("{place} {rule:?} ({why})"))
        .collect();
    assert!(
        stale.is_empty(),
        "these exceptions match nothing any more; remove them from ALLOWED:\n{}",
        stale.join("\n")
    );
}

/// The checker finds what it should and nothing else, on made-up sources.
#[test]
fn the_checker_sees_through_groups_super_comments_strings_and_tests() {
    let source = r##"//! Reads files: std::fs is named in a comment.
use std::{env, fmt, fs::File};
use crate::{diagnostics::Diagnostic, load::{Asset, Template}};
use super::output::Output;
/* crate::serve in a block comment /* nested */ std::env */
const NOTE: &str = "std::fs::read and crate::build in a string";
const RAW: &str = r#"static X: u8 = 0; thread_local!"#;
static COUNTER: AtomicU64 = AtomicU64::new(0);
fn name() -> &'static str { let c = '"'; let q = '\''; "x" }
fn read() { let _ = File::open("x"); let _ = std::time::SystemTime::now(); }
pub(crate) fn fine(_: &Diagnostic) {}
thread_local! {
    static MEMO: RefCell<u8> = const { RefCell::new(0) };
}
#[cfg(test)]
mod tests {
    use std::fs;
    static IN_TEST: u8 = 0;
}
#[cfg(test)]
mod more;
"##;
    let file = Path::new("src/search.rs");
    let code = code_only(source);
    let found: Vec<(usize, Rule, String)> = violations(file, &without_test_items(&code))
        .into_iter()
        .map(|v| (v.line, v.rule, v.what))
        .collect();
    let expected = [
        (2, Rule::Io, "std::env"),
        (2, Rule::Io, "std::fs"),
        (3, Rule::Import, "crate::load::Asset"),
        (3, Rule::Import, "crate::load::Template"),
        (4, Rule::Import, "crate::output::Output"),
        (8, Rule::Static, "static COUNTER"),
        (10, Rule::Io, "File::"),
        (10, Rule::Io, "SystemTime"),
        (12, Rule::ThreadLocal, "thread_local!"),
    ];
    let mut found = found;
    found.sort();
    let expected: Vec<(usize, Rule, String)> = expected
        .iter()
        .map(|(l, r, w)| (*l, *r, w.to_string()))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(
        test_module_files(Path::new("src/parse/markdown.rs"), &code),
        [
            PathBuf::from("src/parse/markdown/more.rs"),
            PathBuf::from("src/parse/markdown/more/mod.rs")
        ]
    );
    // `super` climbs from the file's own module: in src/parse/markdown/text.rs, `super::super`
    // is `crate::parse`'s parent, the crate.
    let deep = violations(
        Path::new("src/parse/markdown/text.rs"),
        &code_only("use super::super::super::load::Asset;\nuse super::super::Doc;\n"),
    );
    assert_eq!(deep.len(), 1, "{deep:?}");
    assert_eq!(deep[0].what, "crate::load::Asset");
    // Render names front matter types only through resolve; parse's other modules stay open.
    let render = violations(
        Path::new("src/render/timeline.rs"),
        &code_only(
            "use crate::parse::front_matter::Era;\nuse super::super::parse::front_matter::{PageKind};\n\
             use crate::parse::markdown::Rendered;\nuse crate::resolve::Era;\n",
        ),
    );
    let render: Vec<(usize, String)> = render.into_iter().map(|v| (v.line, v.what)).collect();
    assert_eq!(
        render,
        [
            (1, "crate::parse::front_matter::Era".to_string()),
            (2, "crate::parse::front_matter::PageKind".to_string())
        ]
    );
}
