//! Build-time syntax highlighting with syntect (onig) and two-face's syntax set, as CSS classes.
//!
//! Code is highlighted into `<span class="hl-…">` markup rather than inline styles so that one
//! page works with both a light and a dark theme (the stylesheet is render's
//! `syntax_css`). Highlighting is pure: blocks highlighted before are kept in a [`memo::Memo`]
//! by a hash of (syntax, code), which the driver may fill from and save to disk
//! (`crate::cache`); this module itself never touches a file.

pub(crate) mod bundled;
mod memo;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use syntect::html::ClassStyle;
use syntect::parsing::{
    BasicScopeStackOp, ParseState, ParsingError, Scope, ScopeError, ScopeStack, ScopeStackOp,
    SyntaxReference, SyntaxSet, Work,
};
use syntect::util::LinesWithEndings;

use memo::Memo;
pub(crate) use memo::{
    BlockKey, BlockSink, CacheFormatError, decode_blocks, encode_block, file_header,
};

/// Every class syntect writes starts with this, so theme CSS cannot collide with site CSS.
const CLASS_PREFIX: &str = "hl-";
pub(crate) const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed {
    prefix: CLASS_PREFIX,
};

/// A code block as highlighting left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Highlighted {
    /// The block's inner HTML: spans with `hl-` classes around HTML-escaped text.
    Spans(Arc<str>),
    /// The grammar would cost more than the block's [`work_budget`], or a line is longer than
    /// [`LONGEST_HIGHLIGHTED_LINE`]: the caller shows the code
    /// plain and tells the author. Never remembered, so every build that meets the block
    /// says so.
    TooCostly,
}

impl Highlighted {
    /// The highlighted HTML, or `None` when the block was too costly to highlight. Only tests
    /// ask: the build matches on the variants.
    #[cfg(test)]
    pub(crate) fn spans(self) -> Option<Arc<str>> {
        match self {
            Highlighted::Spans(html) => Some(html),
            Highlighted::TooCostly => None,
        }
    }
}

/// Bytes regex searches may scan per byte of code, and at least: ordinary code of every
/// grammar we measured scans 25–160 times its size (each token is a search from where the
/// last one ended).
const SCANNED_PER_BYTE: u64 = 1024;
const SCANNED_AT_LEAST: u64 = 1 << 20;
/// Backtracking beyond an ordinary search's, per byte of code and at least: ordinary code
/// needs none or a few per byte (long keyword alternations), while the grammars that are
/// cubic on a long line of spaces (`ini`) or quadratic (`less`, `sass`) need thousands.
const BACKTRACKED_PER_BYTE: u64 = 64;
const BACKTRACKED_AT_LEAST: u64 = 1 << 18;

/// Lines longer than this are not highlighted (the block is shown plain, as when its budget is
/// spent). Some grammars scan to the line's end from every position a search tries, without
/// backtracking (coffee: `(\s*)(?=[a-zA-Z$_])` on a line of spaces), so one search costs the
/// line's length squared and no count of bytes or backtracking sees it until it returns; the
/// cap bounds that. Editors do the same (Sublime Text leaves long lines alone, VS Code stops
/// tokenizing at 20,000 characters).
const LONGEST_HIGHLIGHTED_LINE: usize = 5_000;

/// The cap above bounds one line; this bounds their sum. A block may hold lines whose squared
/// lengths add up to this many per byte of code, and at least [`SQUARED_LINES_AT_LEAST`] (a
/// few lines of the longest highlighted length). Ordinary code, whose lines are at most a few
/// hundred bytes, stays far below; 200 lines of 4,990 spaces in a `coffee` block (1 MB, each
/// line quadratic inside one search) would take a minute, and are shown plain.
const SQUARED_LINES_PER_BYTE: u64 = 256;
const SQUARED_LINES_AT_LEAST: u64 = 1 << 26;

/// Whether `code`'s lines are, together, too long to highlight (see [`SQUARED_LINES_PER_BYTE`]).
fn lines_too_long(code: &str) -> bool {
    let allowed = (code.len() as u64)
        .saturating_mul(SQUARED_LINES_PER_BYTE)
        .saturating_add(SQUARED_LINES_AT_LEAST);
    let mut squared: u64 = 0;
    for line in code.split('\n') {
        squared = squared.saturating_add((line.len() as u64).saturating_pow(2));
        if squared > allowed {
            return true;
        }
    }
    false
}

/// What highlighting `code` may cost, in proportion to its size: past it the block is shown
/// plain, so no code block costs more than a bounded multiple of its size however its
/// grammar behaves. Counted, never timed, so a block is highlighted or not on every build.
fn work_budget(code: &str) -> Work {
    let size = code.len() as u64;
    Work {
        scanned: size
            .saturating_mul(SCANNED_PER_BYTE)
            .saturating_add(SCANNED_AT_LEAST),
        backtracked: size
            .saturating_mul(BACKTRACKED_PER_BYTE)
            .saturating_add(BACKTRACKED_AT_LEAST),
    }
}

/// Loaded syntax definitions. Build once per process and share it read-only.
pub struct Highlighter {
    pub syntaxes: SyntaxSet,
    /// False when `[highlighting] enabled = false`: code is then shown as escaped plain text.
    pub enabled: bool,
    /// Blocks highlighted before, by content hash.
    memo: Memo,
    /// Tells this highlighter's parsers apart from other highlighters' (see [`PARSER`]).
    id: u64,
}

/// Numbers highlighters, never twice in a process.
static HIGHLIGHTERS: AtomicU64 = AtomicU64::new(0);

impl Default for Highlighter {
    fn default() -> Self {
        Highlighter::new()
    }
}

impl Highlighter {
    /// Loads two-face's syntax set (≈200 languages, including TOML and TypeScript), ~5 ms.
    pub fn new() -> Highlighter {
        Highlighter {
            syntaxes: bundled::syntaxes(),
            enabled: true,
            memo: Memo::default(),
            id: HIGHLIGHTERS.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// A highlighter that only escapes code; languages are still checked.
    pub(crate) fn plain() -> Highlighter {
        Highlighter {
            enabled: false,
            ..Highlighter::new()
        }
    }

    /// Whether `lang` (a name or file extension such as `rust`, `rs`, `py`) is known. Only tests
    /// ask: the build learns it from [`Highlighter::highlight`].
    #[cfg(test)]
    pub(crate) fn knows(&self, lang: &str) -> bool {
        self.syntaxes.find_syntax_by_token(lang).is_some()
    }

    /// A highlighted code block, or `None` when the language is unknown. A highlighting failure
    /// inside syntect (a broken grammar) degrades to escaped plain text rather than an error,
    /// since the code is still worth showing; a grammar that would cost more than the block's
    /// [`work_budget`] gives [`Highlighted::TooCostly`].
    pub(crate) fn highlight(&self, code: &str, lang: &str) -> Option<Highlighted> {
        let syntax = self.syntaxes.find_syntax_by_token(lang)?;
        if !self.enabled {
            return Some(Highlighted::Spans(escape_plain(code).into()));
        }
        let key = memo::block_key(code, &syntax.name);
        if let Some(html) = self.memo.get(key, code) {
            return Some(Highlighted::Spans(html));
        }
        let html: Arc<str> = match classed_html(code, syntax, &self.syntaxes, self.id) {
            Ok(html) => html.into(),
            // Not remembered: the next build meets the block again and says so again.
            Err(Failure::TooCostly) => return Some(Highlighted::TooCostly),
            Err(Failure::Grammar) => escape_plain(code).into(),
        };
        self.memo.insert(key, Arc::clone(&html));
        Some(Highlighted::Spans(html))
    }

    /// The name of a grammar (or one of its file extensions) that `lang` is a likely misspelling
    /// of (`pyhton`: `python`); `None` when nothing is close. Names under five letters are
    /// never taken for misspellings: among the grammars' many short extensions, a real name
    /// steppe has no grammar for (`hbs`, Handlebars) is one letter from another (`hs`).
    pub(crate) fn closest_language(&self, lang: &str) -> Option<String> {
        if lang.chars().count() < 5 {
            return None;
        }
        let names: Vec<String> = self
            .syntaxes
            .syntaxes()
            .iter()
            .flat_map(|s| std::iter::once(&s.name).chain(&s.file_extensions))
            .map(|n| n.to_lowercase())
            .collect();
        crate::diagnostics::closest(&lang.to_lowercase(), names.iter().map(String::as_str))
            .map(str::to_string)
    }

    /// Starts from blocks highlighted by an earlier run (decoded with [`decode_blocks`]). Each is
    /// checked against the code it is used for, so a forged entry is never shown.
    pub(crate) fn remember(&mut self, blocks: Vec<(BlockKey, Arc<str>)>) {
        self.memo = Memo::with_blocks(blocks);
    }

    /// Hands every block highlighted from now on to `sink` instead of keeping it in memory
    /// (`steppe build` streams them into the next cache file); each block once.
    pub(crate) fn send_new_blocks_to(&mut self, sink: BlockSink) {
        self.memo.set_sink(sink);
    }

    /// The remembered blocks this run used, or `None` when the run used exactly the blocks
    /// remembered and highlighted none: the saved file is then still right.
    pub(crate) fn used_blocks_if_changed(&self) -> Option<Vec<(BlockKey, Arc<str>)>> {
        self.memo.used_if_changed()
    }
}

thread_local! {
    /// The `class` attribute value of each scope met so far on this thread (`hl-source hl-rust`).
    /// Scopes are process-wide interned numbers, so this is valid for every syntax set.
    static SCOPE_CLASSES: RefCell<HashMap<Scope, Box<str>>> = RefCell::new(HashMap::new());

    /// The parser this thread last used, with the id of its highlighter. Restarted for the next
    /// block of the same highlighter, it keeps what it learnt of the grammars it has seen (each
    /// context's patterns, its search slots; see vendor/syntect/STEPPE.md), which is a large
    /// part of the cost of a short block. It is never used with another highlighter's syntax
    /// set: the slots are keyed by addresses inside the set.
    static PARSER: RefCell<Option<(u64, ParseState)>> = const { RefCell::new(None) };
}

/// What syntect's `ClassedHTMLGenerator` with [`CLASS_STYLE`] writes for `code`, byte for byte
/// (a test compares them), or the error when syntect fails on the grammar or the block costs
/// more than its [`work_budget`]. Each scope's class names
/// are built once per thread instead of on every span under syntect's global scope lock, the
/// lines go straight into one string, and the parser is the thread's last one of the same
/// highlighter (`owner`, whose syntax set `syntaxes` is), restarted.
fn classed_html(
    code: &str,
    syntax: &SyntaxReference,
    syntaxes: &SyntaxSet,
    owner: u64,
) -> Result<String, Failure> {
    if lines_too_long(code) {
        return Err(Failure::TooCostly);
    }
    let mut state = PARSER.with_borrow_mut(|parser| match parser.take() {
        Some((id, mut state)) if id == owner => {
            state.restart(syntax);
            state
        }
        _ => ParseState::new(syntax),
    });
    state.set_work_budget(work_budget(code));
    let html = SCOPE_CLASSES.with_borrow_mut(|classes| {
        let mut spans = Spans::default();
        let mut html = String::with_capacity(code.len() * 4);
        for line in LinesWithEndings::from(code) {
            if line.len() > LONGEST_HIGHLIGHTED_LINE {
                return Err(Failure::TooCostly);
            }
            let ops = state
                .parse_line(line, syntaxes)
                .map_err(|error| match error {
                    ParsingError::WorkBudgetExceeded => Failure::TooCostly,
                    _ => Failure::Grammar,
                })?;
            spans
                .line(&mut html, line, &ops, classes)
                .map_err(|_| Failure::Grammar)?;
        }
        for _ in 0..spans.open {
            html.push_str("</span>");
        }
        Ok(html)
    });
    PARSER.with_borrow_mut(|parser| *parser = Some((owner, state)));
    html
}

/// Why a block was not highlighted.
#[derive(Debug, PartialEq)]
enum Failure {
    /// syntect failed on the grammar (a missing context, a scope stack popped too far).
    Grammar,
    /// The block costs more than its [`work_budget`], or has a line longer than
    /// [`LONGEST_HIGHLIGHTED_LINE`].
    TooCostly,
}

/// The scopes open at the end of the lines written so far, and how many spans that makes.
#[derive(Default)]
struct Spans {
    stack: ScopeStack,
    open: isize,
}

impl Spans {
    /// Appends one parsed line: syntect's `line_tokens_to_classed_spans`.
    fn line(
        &mut self,
        html: &mut String,
        line: &str,
        ops: &[(usize, ScopeStackOp)],
        classes: &mut HashMap<Scope, Box<str>>,
    ) -> Result<(), ScopeError> {
        let mut written = 0;
        // A span opened on this line that gets no text before it closes is taken out again.
        let mut span_empty = false;
        let mut span_start = 0;
        for (at, op) in ops {
            if *at > written {
                span_empty = false;
                escape_code_into(html, &line[written..*at]);
                written = *at;
            }
            self.stack.apply_with_hook(op, |basic, _| match basic {
                BasicScopeStackOp::Push(scope) => {
                    span_start = html.len();
                    span_empty = true;
                    html.push_str("<span class=\"");
                    html.push_str(classes.entry(scope).or_insert_with(|| scope_classes(scope)));
                    html.push_str("\">");
                    self.open += 1;
                }
                BasicScopeStackOp::Pop => {
                    if span_empty {
                        html.truncate(span_start);
                    } else {
                        html.push_str("</span>");
                    }
                    self.open -= 1;
                    span_empty = false;
                }
            })?;
        }
        escape_code_into(html, &line[written..]);
        Ok(())
    }
}

/// [`CLASS_PREFIX`] before each atom of `scope`, separated by spaces: `hl-keyword hl-control`.
fn scope_classes(scope: Scope) -> Box<str> {
    let name = scope.build_string();
    let mut classes = String::with_capacity(name.len() + 8 * CLASS_PREFIX.len());
    if !name.is_empty() {
        for (i, atom) in name.split('.').enumerate() {
            if i > 0 {
                classes.push(' ');
            }
            classes.push_str(CLASS_PREFIX);
            classes.push_str(atom);
        }
    }
    classes.into()
}

/// HTML-escapes code text as syntect does (`'` too, as `&#39;`): the site's one escaping.
fn escape_code_into(out: &mut String, text: &str) {
    crate::escape::markup_into(out, text);
}

fn escape_plain(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 8);
    for c in code.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighter_is_sync() {
        fn assert_sync<T: Sync + Send>() {}
        assert_sync::<Highlighter>();
    }

    #[test]
    fn highlights_known_languages_by_name_and_extension() {
        let h = Highlighter::new();
        for lang in [
            "rust", "rs", "python", "py", "js", "ts", "toml", "yaml", "sh", "bash",
        ] {
            let html = h.highlight("x = 1\n", lang);
            assert!(html.is_some(), "{lang} should be known");
        }
        let html = h
            .highlight("fn main() { let s = \"<&>\"; }\n", "rust")
            .and_then(Highlighted::spans)
            .unwrap();
        assert!(html.contains("<span class=\"hl-"), "{html}");
        assert!(html.contains("&lt;&amp;&gt;"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    /// The HTML syntect's own generator writes, which `classed_html` must reproduce exactly.
    fn syntect_html(code: &str, syntax: &SyntaxReference, syntaxes: &SyntaxSet) -> Option<String> {
        let mut generator = syntect::html::ClassedHTMLGenerator::new_with_class_style(
            syntax,
            syntaxes,
            CLASS_STYLE,
        );
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }

    /// Snippets in many languages, and odd inputs in each.
    fn snippets() -> Vec<(&'static str, String)> {
        let mut snippets: Vec<(&str, String)> = vec![
            ("rust", "fn main() {\n    let s = \"<&>\";\n    println!(\"{s} {}\", 'x');\n}\n/* open\n".into()),
            ("rust", "let raw = r#\"a \"quoted\" <b>\"#;\nlet b = b'\\n'; // done\n#[derive(Debug)]\nstruct S<'a> { x: &'a str }\n".into()),
            ("rust", "macro_rules! m { ($x:expr) => { $x * 2 }; }\nimpl<T: Clone> Tr for Vec<T> where T: 'static {}\nlet r = r##\"unterminated\n".into()),
            ("python", "def f(x: int = 3) -> str:\n    \"\"\"Doc <b> & 'q'.\"\"\"\n    return f\"{x!r:>10}\" + 'y'\n\n@decorator\nclass A(B, metaclass=M):\n    pass\n".into()),
            ("python", "s = '''never closed\nmore <text>\n".into()),
            ("python", "print(rb'\\x00' + u\"é\", [x for x in range(3) if x], lambda y: y ** 2)  # comment\n".into()),
            ("js", "const re = /a[b-c]+\\/d/gi;\nlet t = `tpl ${a + `nested ${b}`} <x>`;\nclass C extends D { #p = 1; static m() { return this.#p ?? null; } }\n".into()),
            ("js", "function f(a = 1, ...rest) {\n  return a => ({ a, 'b': \"c\" });\n}\nlet s = \"unterminated\n".into()),
            ("js", "<div className=\"x\">{items.map(i => <Item key={i} />)}</div>\n".into()),
            ("ts", "interface I<T> { x?: T; readonly y: number }\ntype U = A | B & C;\nenum E { A = 1, B }\nfunction g<T extends keyof I<T>>(x: T): asserts x is T {}\n".into()),
            ("toml", "[package]\nname = \"steppe\" # c\nvalues = [1, 2.5, true, 1979-05-27T07:32:00Z]\n[[bin]]\nx = { a = 'lit', b = \"\"\"multi\nline\"\"\" }\n".into()),
            ("yaml", "key: value\nlist:\n  - a\n  - \"quoted <x>\"\nanchor: &a { b: 1 }\nref: *a\nblock: |\n  text & more\n---\n".into()),
            ("html", "<!DOCTYPE html>\n<html lang=\"en\"><head><style>p { color: red; }</style>\n<script>let a = 1 < 2 && 3 > 2;</script></head>\n<body><p class='x'>&amp; text &copy;</p><!-- comment\n".into()),
            ("css", "@media (max-width: 600px) {\n  .a > .b::before { content: \"<\"; color: #fff !important; }\n}\n:root { --x: calc(1px + 2em); }\n/* open\n".into()),
            ("bash", "#!/bin/bash\nfor f in \"$@\"; do\n  echo \"${f%.md} $(date +%s)\" > /dev/null 2>&1 &\ndone\ncat <<EOF\nheredoc $HOME\nEOF\n".into()),
            ("c", "#include <stdio.h>\n#define MAX(a, b) ((a) > (b) ? (a) : (b))\nint main(int argc, char **argv) {\n    printf(\"%d\\n\", argc); /* c */ return 0;\n}\n".into()),
            ("go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tch := make(chan int, 1)\n\tgo func() { ch <- 1 }()\n\tfmt.Println(<-ch, `raw\nstring`)\n}\n".into()),
            ("json", "{\"a\": [1, 2.5e3, true, null], \"b\": {\"c\": \"<&>\"}, \"bad\": 'x' }\n".into()),
            ("markdown", "# Title\n\nSome *emph* and `code` and [link](http://x).\n\n```rust\nfn x() {}\n```\n\n- item\n> quote <b>\n".into()),
            ("sql", "SELECT a, COUNT(*) AS n FROM t WHERE b = 'x''y' AND c > 3 -- c\nGROUP BY a;\nINSERT INTO t VALUES (1, \"q\");\n".into()),
        ];
        // The blocks of benches/bench.py.
        snippets.push(("rust", "fn market_9(items: &[u32], limit: u32) -> Vec<u32> {\n    // keep the small ones, scaled by 9\n    let mut out = Vec::with_capacity(items.len());\n    for &item in items {\n        if item < limit {\n            out.push(item * 9 + 12);\n        }\n    }\n    out.sort_unstable();\n    out.dedup();\n    out\n}\n\nconst MARKET_9: &str = \"market 9\";\n".into()));
        snippets.push(("python", "def market_10(items, limit=10):\n    \"\"\"Keep the small ones, scaled by 49.\"\"\"\n    out = []\n    for item in items:\n        if item < limit:\n            out.append(item * 49 + 10)\n    out.sort()\n    seen = set()\n    return [x for x in out if not (x in seen or seen.add(x))]\n\n\nMARKET_10 = \"market 10\"\nprint(market_10([3, 1, 49], limit=10), MARKET_10)\n".into()));
        snippets.push(("js", "function relay_11(items, limit = 11) {\n  // keep the small ones, scaled by 7\n  const out = [];\n  for (const item of items) {\n    if (item < limit) {\n      out.push(item * 7 + 11);\n    }\n  }\n  out.sort((a, b) => a - b);\n  return [...new Set(out)];\n}\n\nconst RELAY_11 = \"relay 11\";\nconsole.log(relay_11([3, 1, 7]), RELAY_11);\n".into()));
        let odd = [
            "",
            "\n",
            "x",
            "no trailing newline \"open",
            "a\r\nb = \"c\"\r\n",
            "ünïcödé → 変数 = \"日本\" // 🦀\n",
            "<&>'\"\n",
            "\"unterminated\n'also\n/* block\n",
            "\t\t  \n\n\n",
        ];
        for lang in [
            "rust", "python", "js", "ts", "toml", "yaml", "html", "css", "bash", "c", "go", "json",
            "markdown", "sql",
        ] {
            for text in odd {
                snippets.push((lang, text.to_string()));
            }
        }
        snippets
    }

    #[test]
    fn classed_html_is_syntect_generators_output() {
        let h = Highlighter::new();
        let mut compared = 0;
        for (lang, code) in snippets() {
            let syntax = h.syntaxes.find_syntax_by_token(lang).expect(lang);
            let ours = classed_html(&code, syntax, &h.syntaxes, h.id).ok();
            assert_eq!(
                ours,
                syntect_html(&code, syntax, &h.syntaxes),
                "{lang}: {code:?}"
            );
            compared += ours.is_some() as usize;
        }
        assert!(compared > 100, "{compared}");
    }

    /// The highlighted snippets, kept as a snapshot made with syntect as published: steppe builds
    /// with a copy whose parser is faster (vendor/syntect/STEPPE.md) and must write the same.
    #[test]
    fn highlighted_snippets_are_published_syntects() {
        let h = Highlighter::new();
        let mut all = String::new();
        for (lang, code) in snippets() {
            let syntax = h.syntaxes.find_syntax_by_token(lang).expect(lang);
            let html = classed_html(&code, syntax, &h.syntaxes, h.id).ok();
            all.push_str(&format!(
                "== {lang} {code:?}\n{}\n",
                html.as_deref().unwrap_or("(failed)")
            ));
        }
        insta::assert_snapshot!("highlighted_snippets", all);
    }

    #[test]
    fn reused_parsers_write_what_fresh_ones_do() {
        // Blocks alternate between two highlighters (each with a syntax set of its own) and
        // between languages, on one thread, so parsers are restarted, handed over and dropped.
        let (a, b) = (Highlighter::new(), Highlighter::new());
        let snippets = snippets();
        for (i, (lang, code)) in snippets.iter().chain(snippets.iter().rev()).enumerate() {
            let h = if i % 3 == 0 { &b } else { &a };
            let syntax = h.syntaxes.find_syntax_by_token(lang).expect(lang);
            assert_eq!(
                classed_html(code, syntax, &h.syntaxes, h.id).ok(),
                syntect_html(code, syntax, &h.syntaxes),
                "{lang}: {code:?}"
            );
        }
    }

    #[test]
    fn spans_are_syntect_spans_for_odd_scope_operations() {
        use syntect::parsing::ClearAmount;
        let scope = |s: &str| Scope::new(s).unwrap();
        let push = |s: &str| ScopeStackOp::Push(scope(s));
        let line = "ab<c>&d'e\"f\n";
        let cases: Vec<Vec<(usize, ScopeStackOp)>> = vec![
            vec![],
            vec![(0, push("source.rust")), (2, ScopeStackOp::Pop(1))],
            // Spans without text, nested, at the line's end, popped past the stack.
            vec![(1, push("a")), (1, push("b.c")), (1, ScopeStackOp::Pop(2))],
            vec![(0, push("a")), (3, push("b")), (12, ScopeStackOp::Noop)],
            vec![(0, ScopeStackOp::Pop(3)), (4, push("x.y.z.w.v.u.t.s"))],
            vec![(0, push("")), (5, ScopeStackOp::Pop(1))],
            vec![
                (0, push("a")),
                (0, push("b")),
                (2, ScopeStackOp::Clear(ClearAmount::TopN(1))),
                (4, ScopeStackOp::Restore),
                (6, ScopeStackOp::Clear(ClearAmount::All)),
                (7, ScopeStackOp::Restore),
            ],
            vec![(3, ScopeStackOp::Restore)],
            vec![(0, push("a")), (9, ScopeStackOp::Pop(1)), (12, push("b"))],
        ];
        for ops in cases {
            // Each case twice in a row, so spans left open by the first line meet the second.
            let mut ours = String::new();
            let mut spans = Spans::default();
            let mut theirs = String::new();
            let mut their_stack = ScopeStack::new();
            let mut their_open = 0;
            for _ in 0..2 {
                let mine = spans.line(&mut ours, line, &ops, &mut HashMap::new());
                let their = syntect::html::line_tokens_to_classed_spans(
                    line,
                    &ops,
                    CLASS_STYLE,
                    &mut their_stack,
                );
                match their {
                    Ok((html, delta)) => {
                        assert!(mine.is_ok(), "{ops:?}");
                        theirs.push_str(&html);
                        their_open += delta;
                    }
                    Err(_) => {
                        assert!(mine.is_err(), "{ops:?}");
                        break;
                    }
                }
                assert_eq!(ours, theirs, "{ops:?}");
                assert_eq!(spans.open, their_open, "{ops:?}");
            }
        }
    }

    /// Inputs on which grammars cost seconds (cubic or quadratic in the line's length).
    fn costly_blocks() -> Vec<(&'static str, String)> {
        vec![
            ("ini", format!("{}\n", " ".repeat(2_000))),
            ("less", format!("a{}\n", " ".repeat(20_000))),
            ("sass", format!("a{}\n", " ".repeat(20_000))),
            ("coffee", format!("a{}\n", " ".repeat(20_000))),
        ]
    }

    #[test]
    fn costly_blocks_are_too_costly_every_time() {
        let remembering = Highlighter::new();
        let mut streaming = Highlighter::new();
        let sent = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&sent);
        streaming.send_new_blocks_to(Box::new(move |_, _| {
            counter.fetch_add(1, Ordering::Relaxed);
        }));
        for (lang, code) in costly_blocks() {
            // Twice: a block too costly is not remembered as if it were highlighted.
            for h in [&remembering, &streaming, &remembering] {
                assert_eq!(
                    h.highlight(&code, lang),
                    Some(Highlighted::TooCostly),
                    "{lang}"
                );
            }
        }
        assert_eq!(sent.load(Ordering::Relaxed), 0);
        assert_eq!(remembering.used_blocks_if_changed(), None);
    }

    /// Blocks whose searches backtrack past the free limit, tried again with larger limits and
    /// charged, but within their budget: the same HTML as without a budget.
    #[test]
    fn blocks_that_backtrack_within_their_budget_are_highlighted_as_without_one() {
        let h = Highlighter::new();
        for (lang, code) in [
            ("ini", format!("{}\n", " ".repeat(200))),
            ("less", format!("a{}\n", " ".repeat(200))),
            ("sass", format!("a{}\n", " ".repeat(200))),
        ] {
            let syntax = h.syntaxes.find_syntax_by_token(lang).unwrap();
            let mut state = ParseState::new(syntax);
            state.set_work_budget(work_budget(&code));
            for line in LinesWithEndings::from(code.as_str()) {
                state.parse_line(line, &h.syntaxes).unwrap();
            }
            assert!(
                state.work_done().backtracked > 0,
                "{lang}: no search was charged"
            );
            let ours = classed_html(&code, syntax, &h.syntaxes, h.id);
            assert_eq!(
                ours.ok(),
                syntect_html(&code, syntax, &h.syntaxes),
                "{lang}"
            );
        }
    }

    #[test]
    fn a_block_just_under_the_line_cap_is_highlighted() {
        let h = Highlighter::new();
        let line = format!(
            "let s = \"{}\";\n",
            "x".repeat(LONGEST_HIGHLIGHTED_LINE - 12)
        );
        assert_eq!(line.len(), LONGEST_HIGHLIGHTED_LINE);
        let html = h
            .highlight(&line, "rust")
            .and_then(Highlighted::spans)
            .unwrap();
        assert!(
            html.starts_with("<span class=\"hl-source hl-rust\">"),
            "{html}"
        );
        let longer = format!("{} \n", &line[..line.len() - 1]);
        assert_eq!(h.highlight(&longer, "rust"), Some(Highlighted::TooCostly));
    }

    #[test]
    fn many_long_lines_together_are_too_costly() {
        let h = Highlighter::new();
        // Each line alone is under the cap; 200 of them in `coffee` took a minute.
        let line = format!("{}a = 1\n", " ".repeat(4_990));
        let block = line.repeat(200);
        assert_eq!(h.highlight(&block, "coffee"), Some(Highlighted::TooCostly));
        assert!(lines_too_long(&block));
        // A few such lines, or many ordinary ones, are highlighted.
        assert!(!lines_too_long(&line.repeat(2)));
        let ordinary = "let total = prices.iter().map(|p| p.amount * p.quantity).sum::<u64>();\n";
        assert!(!lines_too_long(&ordinary.repeat(20_000)));
        let wide = format!("{}\n", "x".repeat(250));
        assert!(!lines_too_long(&wide.repeat(1_000)));
    }

    #[test]
    fn unknown_language_is_none() {
        let h = Highlighter::new();
        assert_eq!(h.highlight("x", "no-such-language-xyz"), None);
        assert!(!h.knows("no-such-language-xyz"));
    }
}
