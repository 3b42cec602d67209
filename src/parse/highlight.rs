//! Build-time syntax highlighting with syntect (onig) and two-face's syntax set, as CSS classes.
//!
//! Code is highlighted into `<span class="hl-…">` markup rather than inline styles so that one
//! page works with both a light and a dark theme: [`theme_css`] writes the colours of both themes
//! into one stylesheet, switched by `prefers-color-scheme` or the `data-theme` attribute on `<html>`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use syntect::highlighting::Theme;
use syntect::html::{ClassStyle, css_for_theme_with_class_style};
use syntect::parsing::{
    BasicScopeStackOp, ParseState, Scope, ScopeError, ScopeStack, ScopeStackOp, SyntaxReference,
    SyntaxSet,
};
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedLazyThemeSet;

mod bundled;

/// Every class syntect writes starts with this, so theme CSS cannot collide with site CSS.
const CLASS_PREFIX: &str = "hl-";
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed {
    prefix: CLASS_PREFIX,
};

/// Loaded syntax definitions. Build once per process and share it read-only.
pub struct Highlighter {
    pub syntaxes: SyntaxSet,
    /// False when `[highlighting] enabled = false`: code is then shown as escaped plain text.
    pub enabled: bool,
    /// Blocks highlighted before, by content hash (see [`HighlightCache`]).
    cache: HighlightCache,
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
            cache: HighlightCache::default(),
            id: HIGHLIGHTERS.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// A highlighter that only escapes code; languages are still checked.
    pub fn plain() -> Highlighter {
        Highlighter {
            enabled: false,
            ..Highlighter::new()
        }
    }

    /// Whether `lang` (a name or file extension such as `rust`, `rs`, `py`) is known.
    pub fn knows(&self, lang: &str) -> bool {
        self.syntaxes.find_syntax_by_token(lang).is_some()
    }

    /// The inner HTML of a highlighted code block (spans with `hl-` classes, HTML-escaped text),
    /// or `None` when the language is unknown. A highlighting failure inside syntect (a broken
    /// grammar) degrades to escaped plain text rather than an error, since the code is still
    /// worth showing.
    pub fn highlight(&self, code: &str, lang: &str) -> Option<Arc<str>> {
        let syntax = self.syntaxes.find_syntax_by_token(lang)?;
        if !self.enabled {
            return Some(escape_plain(code).into());
        }
        let key = cache_key(code, &syntax.name);
        if let Some(html) = self.cache.get(key) {
            return Some(html);
        }
        let html: Arc<str> = self.highlight_uncached(code, syntax).into();
        self.cache.insert(key, Arc::clone(&html));
        Some(html)
    }

    fn highlight_uncached(&self, code: &str, syntax: &SyntaxReference) -> String {
        classed_html(code, syntax, &self.syntaxes, self.id).unwrap_or_else(|| escape_plain(code))
    }

    /// Starts from the blocks saved by [`Highlighter::save_cache`] in an earlier run. A missing,
    /// unreadable, corrupt or outdated file is an empty cache (everything is highlighted again).
    pub fn load_cache(&mut self, file: &Path) {
        if let Ok(bytes) = std::fs::read(file) {
            self.cache = HighlightCache::decode(&bytes).unwrap_or_default();
        }
    }

    /// Writes blocks highlighted from now on straight into a new cache file beside `file`
    /// instead of keeping them in memory; [`Highlighter::save_cache`] completes it with the
    /// loaded blocks this run used and puts it in place. Without it (or if the file cannot be
    /// created) blocks are kept in memory, as `steppe serve` does.
    pub fn stream_cache_to(&mut self, file: &Path) {
        use std::io::Write;
        let temporary = file.with_extension(format!("tmp-{}", std::process::id()));
        remove_stale_temporaries(file);
        let open = || -> std::io::Result<std::fs::File> {
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let mut created = std::fs::File::create(&temporary)?;
            created.write_all(cache_header().as_bytes())?;
            Ok(created)
        };
        if let Ok(created) = open() {
            self.cache.sink = Some(Mutex::new(CacheSink {
                file: std::io::BufWriter::new(created),
                temporary,
                written: Default::default(),
                error: None,
            }));
        }
    }

    /// Saves the blocks this run used (not ones no page has any more) for the next run, when they
    /// differ from what was loaded. Written to a temporary file and renamed, so a killed build
    /// never leaves a half-written cache.
    pub fn save_cache(&self, file: &Path) -> std::io::Result<()> {
        if let Some(sink) = &self.cache.sink {
            return self.cache.finish_stream(sink, file);
        }
        let Some(bytes) = self.cache.encode_if_changed() else {
            return Ok(());
        };
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let temporary = file.with_extension(format!("tmp-{}", std::process::id()));
        std::fs::write(&temporary, bytes)?;
        std::fs::rename(&temporary, file)
    }
}

/// Removes `<file stem>.tmp-<pid>` files beside `file` left by builds that were killed (their
/// process is gone); a running build's file is left alone.
fn remove_stale_temporaries(file: &Path) {
    let (Some(dir), Some(stem)) = (file.parent(), file.file_stem()) else {
        return;
    };
    let prefix = format!("{}.tmp-", stem.to_string_lossy());
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix(&prefix)
            .and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| !crate::output::process_is_running(pid)) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Where `steppe build` keeps highlighted blocks between runs, below the site root.
pub const CACHE_FILE: &str = ".steppe-cache/highlight.bin";

/// First bytes of the cache file: a format tag and the version of steppe (whose syntax set and
/// highlighter made the entries), so another version starts afresh.
fn cache_header() -> String {
    format!("steppe highlight cache 1 {}\n", env!("CARGO_PKG_VERSION"))
}

/// 128 bits of (syntax, code): two SipHash runs with different inputs.
fn cache_key(code: &str, syntax: &str) -> [u64; 2] {
    use std::hash::{Hash, Hasher};
    let mut a = std::collections::hash_map::DefaultHasher::new();
    (syntax, code).hash(&mut a);
    let mut b = std::collections::hash_map::DefaultHasher::new();
    (code, 0x5a_u8, syntax).hash(&mut b);
    [a.finish(), b.finish()]
}

/// Highlighted blocks by [`cache_key`], shared by the parse threads of a build and, in
/// `steppe serve`, by every rebuild. Entries used by this run are marked so that only they are
/// saved.
#[derive(Default)]
struct HighlightCache {
    entries: Mutex<HashMap<[u64; 2], CacheEntry>>,
    /// Set when an entry was added or an entry loaded was used: saving is then needed only if
    /// the set of used entries differs from the loaded set.
    added: AtomicBool,
    loaded: usize,
    /// `steppe build`: blocks highlighted by this run go straight into the next cache file
    /// instead of staying in memory (a big site's highlighted code would otherwise be held
    /// twice). Only their keys are kept.
    sink: Option<Mutex<CacheSink>>,
}

struct CacheSink {
    file: std::io::BufWriter<std::fs::File>,
    temporary: std::path::PathBuf,
    written: std::collections::HashSet<[u64; 2]>,
    error: Option<std::io::Error>,
}

impl CacheSink {
    fn append(&mut self, key: &[u64; 2], html: &str) {
        use std::io::Write;
        if self.error.is_some() {
            return;
        }
        let mut record = Vec::with_capacity(20 + html.len());
        push_record(&mut record, key, html);
        if let Err(e) = self.file.write_all(&record) {
            self.error = Some(e);
        }
    }
}

/// One entry of a cache file: the key's two words, the length, the HTML (little-endian).
fn push_record(out: &mut Vec<u8>, key: &[u64; 2], html: &str) {
    out.extend_from_slice(&key[0].to_le_bytes());
    out.extend_from_slice(&key[1].to_le_bytes());
    out.extend_from_slice(&(html.len() as u32).to_le_bytes());
    out.extend_from_slice(html.as_bytes());
}

struct CacheEntry {
    html: Arc<str>,
    used: bool,
}

impl HighlightCache {
    fn get(&self, key: [u64; 2]) -> Option<Arc<str>> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = entries.get_mut(&key)?;
        entry.used = true;
        Some(Arc::clone(&entry.html))
    }

    fn insert(&self, key: [u64; 2], html: Arc<str>) {
        self.added.store(true, Ordering::Relaxed);
        if let Some(sink) = &self.sink {
            let mut sink = sink.lock().unwrap_or_else(PoisonError::into_inner);
            if sink.written.insert(key) {
                sink.append(&key, &html);
            }
            return;
        }
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, CacheEntry { html, used: true });
    }

    /// Completes a streamed cache file with the loaded entries this run used and renames it to
    /// `file`, or drops it when the run used exactly the blocks loaded.
    fn finish_stream(&self, sink: &Mutex<CacheSink>, file: &Path) -> std::io::Result<()> {
        use std::io::Write;
        let mut sink = sink.lock().unwrap_or_else(PoisonError::into_inner);
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if self.unchanged(entries.values().filter(|e| e.used).count()) {
            drop(entries);
            let _ = std::fs::remove_file(&sink.temporary);
            return Ok(());
        }
        for (key, entry) in entries.iter().filter(|(_, e)| e.used) {
            if sink.written.insert(*key) {
                sink.append(key, &entry.html);
            }
        }
        let result = match sink.error.take() {
            Some(error) => Err(error),
            None => sink.file.flush(),
        };
        match result {
            Ok(()) => std::fs::rename(&sink.temporary, file),
            Err(error) => {
                let _ = std::fs::remove_file(&sink.temporary);
                Err(error)
            }
        }
    }

    /// The used entries as a file, or `None` when that would be the file loaded.
    fn encode_if_changed(&self) -> Option<Vec<u8>> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let used: Vec<(&[u64; 2], &CacheEntry)> = entries.iter().filter(|(_, e)| e.used).collect();
        if self.unchanged(used.len()) {
            return None;
        }
        let header = cache_header();
        let size = header.len() + used.iter().map(|(_, e)| 20 + e.html.len()).sum::<usize>();
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(header.as_bytes());
        for (key, entry) in used {
            push_record(&mut out, key, &entry.html);
        }
        Some(out)
    }

    /// Whether a run that used `used` entries used exactly the ones loaded and added none, so
    /// the file loaded is still right.
    fn unchanged(&self, used: usize) -> bool {
        !self.added.load(Ordering::Relaxed) && used == self.loaded
    }

    /// Reads a file written by [`HighlightCache::encode_if_changed`]; `None` if it is not one.
    fn decode(bytes: &[u8]) -> Option<HighlightCache> {
        let mut rest = bytes.strip_prefix(cache_header().as_bytes())?;
        let mut entries = HashMap::new();
        while !rest.is_empty() {
            let (head, tail) = rest.split_at_checked(20)?;
            let word = |i: usize| u64::from_le_bytes(head[i..i + 8].try_into().unwrap_or_default());
            let key = [word(0), word(8)];
            let len = u32::from_le_bytes(head[16..20].try_into().ok()?) as usize;
            let (html, tail) = tail.split_at_checked(len)?;
            let html: Arc<str> = std::str::from_utf8(html).ok()?.into();
            entries.insert(key, CacheEntry { html, used: false });
            rest = tail;
        }
        Some(HighlightCache {
            loaded: entries.len(),
            entries: Mutex::new(entries),
            added: AtomicBool::new(false),
            sink: None,
        })
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
/// (a test compares them), or `None` when syntect fails on the grammar. Each scope's class names
/// are built once per thread instead of on every span under syntect's global scope lock, the
/// lines go straight into one string, and the parser is the thread's last one of the same
/// highlighter (`owner`, whose syntax set `syntaxes` is), restarted.
fn classed_html(
    code: &str,
    syntax: &SyntaxReference,
    syntaxes: &SyntaxSet,
    owner: u64,
) -> Option<String> {
    let mut state = PARSER.with_borrow_mut(|parser| match parser.take() {
        Some((id, mut state)) if id == owner => {
            state.restart(syntax);
            state
        }
        _ => ParseState::new(syntax),
    });
    let html = SCOPE_CLASSES.with_borrow_mut(|classes| {
        let mut spans = Spans::default();
        let mut html = String::with_capacity(code.len() * 4);
        for line in LinesWithEndings::from(code) {
            let ops = state.parse_line(line, syntaxes).ok()?;
            spans.line(&mut html, line, &ops, classes).ok()?;
        }
        for _ in 0..spans.open {
            html.push_str("</span>");
        }
        Some(html)
    });
    PARSER.with_borrow_mut(|parser| *parser = Some((owner, state)));
    html
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

/// Names of the themes [`theme_css`] accepts, as written in `site.toml`.
pub fn theme_names() -> Vec<String> {
    EmbeddedLazyThemeSet::theme_names()
        .iter()
        .map(|name| name.as_name().to_string())
        .collect()
}

/// Stylesheet for highlighted code: `light` by default, `dark` when the reader's system prefers a
/// dark scheme (unless the page forces `data-theme="light"`) or when the page sets
/// `data-theme="dark"` on `<html>`.
///
/// Both themes' rules are scoped to their mode (the light ones too), so a scope that only the
/// light theme colours cannot leak its colour into dark mode. The selectors are written out flat,
/// without CSS nesting, for older browsers. `pre.hl` gets each theme's foreground and background.
pub fn theme_css(light: &str, dark: &str) -> Result<String, String> {
    let light_rules = theme_rules(&find_theme(light)?)?;
    let dark_rules = theme_rules(&find_theme(dark)?)?;

    let mut css = String::with_capacity(16 * 1024);
    css.push_str("/* Syntax highlighting: light theme \"");
    css.push_str(light);
    css.push_str("\", dark theme \"");
    css.push_str(dark);
    css.push_str("\". Generated by steppe from syntect themes. */\n\n");

    css.push_str("@media not all and (prefers-color-scheme: dark) {\n");
    write_rules(&mut css, &light_rules, ":root:not([data-theme=\"dark\"])");
    css.push_str("}\n");
    write_rules(&mut css, &light_rules, ":root[data-theme=\"light\"]");

    css.push_str("@media (prefers-color-scheme: dark) {\n");
    write_rules(&mut css, &dark_rules, ":root:not([data-theme=\"light\"])");
    css.push_str("}\n");
    write_rules(&mut css, &dark_rules, ":root[data-theme=\"dark\"]");
    Ok(css)
}

fn find_theme(name: &str) -> Result<Theme, String> {
    bundled::theme(name).ok_or_else(|| {
        format!(
            "unknown highlighting theme `{name}`; available themes: {}",
            theme_names().join(", ")
        )
    })
}

/// One CSS rule: its comma-separated selectors and its declarations (without braces).
struct Rule {
    selectors: Vec<String>,
    declarations: String,
}

/// Parses syntect's generated stylesheet back into rules so each selector can be prefixed. The
/// format is syntect's own (`selectors {\n declarations}\n`, no nested braces), so a small
/// scanner is enough; the `.hl-code` rule (theme foreground/background) becomes `pre.hl`.
fn theme_rules(theme: &Theme) -> Result<Vec<Rule>, String> {
    let css = css_for_theme_with_class_style(theme, CLASS_STYLE)
        .map_err(|e| format!("cannot write CSS for a highlighting theme: {e}"))?;
    let mut rest = css.as_str();
    if let Some(end) = rest.find("*/") {
        rest = &rest[end + 2..];
    }
    let mut rules = Vec::new();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|i| open + i) else {
            break;
        };
        let selectors: Vec<String> = rest[..open]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                if s == ".hl-code" {
                    "pre.hl".to_string()
                } else {
                    s.to_string()
                }
            })
            .collect();
        let declarations = rest[open + 1..close]
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if !selectors.is_empty() && !declarations.is_empty() {
            rules.push(Rule {
                selectors,
                declarations,
            });
        }
        rest = &rest[close + 1..];
    }
    Ok(rules)
}

fn write_rules(css: &mut String, rules: &[Rule], prefix: &str) {
    for rule in rules {
        for (i, selector) in rule.selectors.iter().enumerate() {
            if i > 0 {
                css.push_str(", ");
            }
            css.push_str(prefix);
            css.push(' ');
            css.push_str(selector);
        }
        css.push_str(" { ");
        css.push_str(&rule.declarations);
        css.push_str(" }\n");
    }
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
            let ours = classed_html(&code, syntax, &h.syntaxes, h.id);
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
            let html = classed_html(&code, syntax, &h.syntaxes, h.id);
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
                classed_html(code, syntax, &h.syntaxes, h.id),
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

    #[test]
    fn unknown_language_is_none() {
        let h = Highlighter::new();
        assert_eq!(h.highlight("x", "no-such-language-xyz"), None);
        assert!(!h.knows("no-such-language-xyz"));
    }

    #[test]
    fn theme_css_switches_on_scheme_and_attribute() {
        let css = theme_css("InspiredGitHub", "OneHalfDark").unwrap();
        assert!(css.contains(
            "@media (prefers-color-scheme: dark) {\n:root:not([data-theme=\"light\"]) pre.hl {"
        ));
        assert!(css.contains(":root[data-theme=\"dark\"] pre.hl { color: #"));
        assert!(css.contains(":root[data-theme=\"light\"] pre.hl { color: #"));
        assert!(css.contains("background-color: #"));
        assert!(css.contains(":root[data-theme=\"dark\"] .hl-comment"));
        // Every rule is on one line and braces balance, so no nesting is used.
        assert_eq!(css.matches('{').count(), css.matches('}').count());
        assert!(!css.contains(".hl-code"));
    }

    #[test]
    fn unknown_theme_lists_names() {
        let err = theme_css("Nope", "OneHalfDark").unwrap_err();
        assert!(err.contains("`Nope`"), "{err}");
        assert!(err.contains("InspiredGitHub"), "{err}");
        assert!(theme_names().iter().any(|n| n == "OneHalfDark"));
    }

    #[test]
    fn cache_survives_a_run_and_keeps_only_used_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".steppe-cache/highlight.bin");
        let first = Highlighter::new();
        let a = first.highlight("let a = 1;\n", "rust").unwrap();
        let b = first.highlight("x = 2\n", "python").unwrap();
        first.save_cache(&file).unwrap();

        // The next run finds both blocks; a plain highlighter would give different markup, so
        // equality shows the stored block came back intact.
        let mut second = Highlighter::new();
        second.load_cache(&file);
        assert_eq!(second.cache.loaded, 2);
        assert_eq!(second.highlight("let a = 1;\n", "rust").unwrap(), a);
        // The same code in another language is another block.
        assert_ne!(second.highlight("let a = 1;\n", "js").unwrap(), a);
        second.save_cache(&file).unwrap();

        // The python block was not used by the second run, so it is gone from the file.
        let mut third = Highlighter::new();
        third.load_cache(&file);
        assert_eq!(third.cache.loaded, 2);
        let entries = third.cache.entries.lock().unwrap();
        assert!(entries.values().all(|e| *e.html != *b));
    }

    #[test]
    fn streamed_cache_keeps_used_and_new_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".steppe-cache/highlight.bin");
        let first = Highlighter::new();
        let kept = first.highlight("let a = 1;\n", "rust").unwrap();
        first.highlight("x = 2\n", "python").unwrap();
        first.save_cache(&file).unwrap();

        let mut second = Highlighter::new();
        second.load_cache(&file);
        second.stream_cache_to(&file);
        assert_eq!(second.highlight("let a = 1;\n", "rust").unwrap(), kept);
        let new = second.highlight("let b = 2;\n", "rust").unwrap();
        // Streamed blocks are not kept in memory.
        assert_eq!(second.cache.entries.lock().unwrap().len(), 2);
        second.save_cache(&file).unwrap();

        let mut third = Highlighter::new();
        third.load_cache(&file);
        let entries = third.cache.entries.lock().unwrap();
        let mut htmls: Vec<&str> = entries.values().map(|e| &*e.html).collect();
        htmls.sort_unstable();
        let mut expected = vec![&*kept, &*new];
        expected.sort_unstable();
        assert_eq!(htmls, expected, "the unused python block is dropped");
        let leftovers: Vec<_> = std::fs::read_dir(file.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["highlight.bin"]);
    }

    #[test]
    fn streamed_cache_of_an_unchanged_run_leaves_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("highlight.bin");
        let first = Highlighter::new();
        first.highlight("fn f() {}\n", "rust").unwrap();
        first.save_cache(&file).unwrap();
        let before = std::fs::read(&file).unwrap();
        let mut second = Highlighter::new();
        second.load_cache(&file);
        second.stream_cache_to(&file);
        second.highlight("fn f() {}\n", "rust").unwrap();
        second.save_cache(&file).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), before);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn temporaries_of_killed_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("highlight.bin");
        // A dead process id: far above any pid_max.
        let dead = dir.path().join("highlight.tmp-4294967295");
        let mine = dir
            .path()
            .join(format!("highlight.tmp-{}", std::process::id()));
        let other = dir.path().join("notes.tmp-4294967295");
        for f in [&dead, &other] {
            std::fs::write(f, "x").unwrap();
        }
        let mut h = Highlighter::new();
        h.stream_cache_to(&file);
        assert!(!dead.exists());
        assert!(mine.exists(), "this build's own file");
        assert!(other.exists(), "not a cache file");
    }

    #[test]
    fn unchanged_cache_is_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("highlight.bin");
        let first = Highlighter::new();
        first.highlight("fn f() {}\n", "rust").unwrap();
        first.save_cache(&file).unwrap();
        let written = std::fs::metadata(&file).unwrap().modified().unwrap();
        let mut second = Highlighter::new();
        second.load_cache(&file);
        second.highlight("fn f() {}\n", "rust").unwrap();
        assert!(second.cache.encode_if_changed().is_none());
        second.save_cache(&file).unwrap();
        assert_eq!(
            std::fs::metadata(&file).unwrap().modified().unwrap(),
            written
        );
    }

    #[test]
    fn corrupt_or_foreign_cache_is_empty() {
        let good = {
            let h = Highlighter::new();
            h.highlight("fn f() {}\n", "rust").unwrap();
            h.cache.encode_if_changed().unwrap()
        };
        assert_eq!(HighlightCache::decode(&good).unwrap().loaded, 1);
        // Every truncation of a good file, and other versions' files, are refused, never
        // misread and never a panic.
        for end in 0..good.len() {
            let cut = HighlightCache::decode(&good[..end]);
            assert!(cut.is_none() || cut.unwrap().loaded == 0, "prefix {end}");
        }
        let foreign = [
            b"steppe highlight cache 0 0.0.1\n".as_slice(),
            &good[cache_header().len()..],
        ]
        .concat();
        assert!(HighlightCache::decode(&foreign).is_none());
        let mut h = Highlighter::new();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("highlight.bin");
        std::fs::write(&file, b"\xff\x00garbage").unwrap();
        h.load_cache(&file);
        assert_eq!(h.cache.loaded, 0);
    }
}
