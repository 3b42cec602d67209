//! Test harness: a fixture site copied into a temporary folder, and the CLI run against it.
//!
//! A test reads as what an author does: a site, a change to a file, a run, and what they see:
//!
//! ```ignore
//! let site = Site::built().with_file("content/a.md", "---\ntitle: \"A\n---\n");
//! insta::assert_snapshot!(site.build().fails(), @"error: quoted value is not closed …");
//! ```
//!
//! [`Outcome::fails`] checks the exit code and that the published site is untouched, byte for
//! byte; the message is an inline snapshot that `cargo insta test --accept` (or
//! `INSTA_UPDATE=always`) rewrites after a deliberate change. [`element`] cuts the HTML element a
//! test is about out of a page, to snapshot it whole.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

pub(crate) const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// Files below a folder with their bytes, by relative path.
pub(crate) type Tree = BTreeMap<String, Vec<u8>>;

/// A site in a temporary folder.
pub(crate) struct Site {
    dir: tempfile::TempDir,
}

/// The outcome of one run of the CLI.
#[derive(Debug)]
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl Site {
    /// A copy of `tests/fixtures/<name>`, with the default theme unless the fixture brings its
    /// own themes/ or templates/.
    pub(crate) fn fixture(name: &str) -> Site {
        let site = Site::empty();
        copy_tree(
            &Path::new(REPO).join("tests/fixtures").join(name),
            site.path(),
        );
        if !site.path().join("themes").exists() && !site.path().join("templates").exists() {
            site.with_default_theme();
        }
        site
    }

    /// A copy of `tests/fixtures/<name>` exactly as it is: a fixture without themes/ builds
    /// with the theme built into steppe.
    pub(crate) fn fixture_as_is(name: &str) -> Site {
        let site = Site::empty();
        copy_tree(
            &Path::new(REPO).join("tests/fixtures").join(name),
            site.path(),
        );
        site
    }

    /// An empty folder with the default theme and the given site.toml.
    pub(crate) fn new(site_toml: &str) -> Site {
        let site = Site::empty();
        site.write("site.toml", site_toml);
        site.with_default_theme();
        site
    }

    /// A site with the default theme and one page, `content/good.md` ("Fine."), not built yet.
    pub(crate) fn with_good_page() -> Site {
        let site = Site::new("title = \"T\"\n");
        site.write("content/good.md", "---\ntitle: Good\n---\nFine.\n");
        site
    }

    /// [`Site::with_good_page`] built once: the published site a failed build must leave as it
    /// was.
    pub(crate) fn built() -> Site {
        let site = Site::with_good_page();
        site.build_ok();
        site
    }

    /// The site with `path` written (its folders made), for a chain of changes:
    /// `Site::built().with_file("content/a.md", "…").with_file("site.toml", "…")`.
    pub(crate) fn with_file(self, path: &str, bytes: impl AsRef<[u8]>) -> Site {
        let path = self.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
        self
    }

    /// Runs `steppe build`, to check its [`Outcome`].
    pub(crate) fn build(&self) -> Outcome<'_> {
        self.outcome(&["build"])
    }

    /// Runs `steppe check`, to check its [`Outcome`].
    pub(crate) fn check(&self) -> Outcome<'_> {
        self.outcome(&["check"])
    }

    /// Runs `steppe <args>` as [`Site::run`] does, noting what public/ held before.
    pub(crate) fn outcome(&self, args: &[&str]) -> Outcome<'_> {
        self.outcome_wrapped(&[], args)
    }

    /// Runs `<wrapper…> steppe <args>` as [`Site::run_wrapped`] does, noting what public/ held
    /// before.
    pub(crate) fn outcome_wrapped(&self, wrapper: &[&str], args: &[&str]) -> Outcome<'_> {
        let before = self.tree("public");
        Outcome {
            site: self,
            before,
            run: self.run_wrapped(wrapper, args),
        }
    }

    pub(crate) fn empty() -> Site {
        Site {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn with_default_theme(&self) {
        copy_tree(
            &Path::new(REPO).join("themes/steppe"),
            &self.path().join("themes/steppe"),
        );
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn write(&self, path: &str, text: &str) {
        let path = self.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    pub(crate) fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let path = self.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    pub(crate) fn read(&self, path: &str) -> String {
        fs::read_to_string(self.path().join(path)).unwrap_or_else(|e| panic!("reading {path}: {e}"))
    }

    pub(crate) fn exists(&self, path: &str) -> bool {
        self.path().join(path).exists()
    }

    /// Runs `steppe <args>` in the site folder, without colours.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.run_wrapped(&[], args)
    }

    /// `steppe <args>` in the site folder, without colours, not started yet.
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        self.wrapped(&[], args)
    }

    /// Runs `<wrapper…> steppe <args>`: the binary under another program, such as `setpriv`.
    pub(crate) fn run_wrapped(&self, wrapper: &[&str], args: &[&str]) -> Run {
        let output = self.wrapped(wrapper, args).output().unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Starts `steppe serve --port 0` in the site folder, without colours, and waits until it
    /// says where it serves.
    pub(crate) fn serve(&self) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_steppe"));
        command.args(["serve", "--port", "0"]);
        self.serve_with(command)
    }

    /// `steppe serve --port 0` in a process that may open at most `limit` files (through the
    /// shell's `ulimit -n`).
    pub(crate) fn serve_with_open_files(&self, limit: u32) -> Server {
        let mut command = Command::new("sh");
        command.args([
            "-c",
            &format!("ulimit -n {limit} && exec \"$0\" serve --port 0"),
            env!("CARGO_BIN_EXE_steppe"),
        ]);
        self.serve_with(command)
    }

    fn serve_with(&self, mut command: Command) -> Server {
        let child = command
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut server = Server {
            child,
            url: String::new(),
            stderr: Arc::default(),
        };
        // Keep reading both streams, as a terminal would, so the server never blocks on them.
        let mut stderr = server.child.stderr.take().unwrap();
        let collected = Arc::clone(&server.stderr);
        std::thread::spawn(move || {
            let mut buffer = [0; 4096];
            while let Ok(n @ 1..) = stderr.read(&mut buffer) {
                let text = String::from_utf8_lossy(&buffer[..n]);
                collected.lock().unwrap().push_str(&text);
            }
        });
        let mut lines = BufReader::new(server.child.stdout.take().unwrap()).lines();
        server.url = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|line| {
                line.strip_prefix("serving at ")
                    .and_then(|rest| rest.split(' ').next())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| panic!("no `serving at` line; stderr:\n{}", server.stderr()));
        std::thread::spawn(move || lines.for_each(drop));
        server
    }

    fn wrapped(&self, wrapper: &[&str], args: &[&str]) -> Command {
        let steppe = env!("CARGO_BIN_EXE_steppe");
        let mut command = match wrapper.split_first() {
            Some((program, rest)) => {
                let mut command = Command::new(program);
                command.args(rest).arg(steppe);
                command
            }
            None => Command::new(steppe),
        };
        command
            .args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1");
        command
    }

    /// Runs `steppe build` and asserts it succeeded without warnings.
    pub(crate) fn build_ok(&self) -> Run {
        let run = self.run(&["build"]);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    /// Every file below `dir` with its bytes, by relative path: a whole tree to compare.
    pub(crate) fn tree(&self, dir: &str) -> Tree {
        self.files(dir)
            .into_iter()
            .map(|f| {
                let bytes = fs::read(self.path().join(dir).join(&f)).unwrap();
                (f, bytes)
            })
            .collect()
    }

    /// Every file below `dir` as text, relative path first; Pagefind's gzipped index files
    /// unpacked, so a test can look for words in everything a build publishes.
    pub(crate) fn published(&self, dir: &str) -> Vec<(String, String)> {
        self.tree(dir)
            .into_iter()
            .map(|(path, bytes)| {
                let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
                    let mut unpacked = Vec::new();
                    std::io::Read::read_to_end(
                        &mut flate2::read::GzDecoder::new(&bytes[..]),
                        &mut unpacked,
                    )
                    .unwrap();
                    unpacked
                } else {
                    bytes
                };
                (path, String::from_utf8_lossy(&bytes).into_owned())
            })
            .collect()
    }

    /// Every file below `dir`, relative and sorted.
    pub(crate) fn files(&self, dir: &str) -> Vec<String> {
        let base: PathBuf = self.path().join(dir);
        let mut files: Vec<String> = walkdir::WalkDir::new(&base)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        files.sort();
        files
    }
}

/// One run of the CLI on a [`Site`], to check as an author meets it: the exit code, the whole
/// of stderr, and the files left behind.
pub(crate) struct Outcome<'s> {
    site: &'s Site,
    /// public/ before the run.
    before: Tree,
    pub run: Run,
}

impl Outcome<'_> {
    /// Asserts exit code 1 and public/ left exactly as it was; returns stderr, whole, for a
    /// snapshot.
    pub(crate) fn fails(&self) -> &str {
        self.exits(1)
    }

    /// Asserts exit code `code` (not 0: a failure) and public/ left exactly as it was; returns
    /// stderr, whole, for a snapshot.
    pub(crate) fn exits(&self, code: i32) -> &str {
        assert_ne!(code, 0, "a success is `succeeds`");
        assert_eq!(self.run.code, code, "stderr:\n{}", self.run.stderr);
        let after = self.site.tree("public");
        if after != self.before {
            let changed: Vec<&String> = self
                .before
                .keys()
                .chain(after.keys())
                .filter(|path| self.before.get(*path) != after.get(*path))
                .collect();
            panic!("a failed run changed public/: {changed:?}");
        }
        whole(&self.run.stderr, "\n")
    }

    /// Asserts exit code 0; returns stderr (nothing, or warnings and notes), whole, for a
    /// snapshot.
    pub(crate) fn succeeds(&self) -> &str {
        assert_eq!(self.run.code, 0, "stderr:\n{}", self.run.stderr);
        whole(&self.run.stderr, "\n\n")
    }

    /// Asserts exit code 0 and nothing on stderr.
    pub(crate) fn succeeds_silently(&self) {
        assert_eq!(self.succeeds(), "");
    }
}

/// `text` after checking what an inline snapshot would overlook, so that comparing with the
/// snapshot is as strict as `assert_eq!`: insta trims the end of both sides, removes an
/// indentation that every line shares, turns CRLF into LF and (for snapshots in an old format)
/// drops leading newlines. So `text` must start with a visible character, hold no `\r`, and end
/// in exactly `tail` (empty text passes).
pub(crate) fn whole<'a>(text: &'a str, tail: &str) -> &'a str {
    if text.is_empty() {
        return text;
    }
    assert!(
        !text.starts_with(char::is_whitespace),
        "a snapshot would not see the whitespace this starts with: {text:?}"
    );
    assert!(
        !text.contains('\r'),
        "a snapshot would not see the carriage returns in: {text:?}"
    );
    let end = &text[text.trim_end().len()..];
    assert_eq!(end, tail, "a snapshot would not see how this ends:\n{text}");
    text
}

/// The opening tag of a page's body in the default theme: `element(&html, PROSE)` is what the
/// Markdown became.
pub(crate) const PROSE: &str = "<div class=\"prose\">";

/// What the Markdown of a page became: the inside of its [`PROSE`] element, without the
/// whitespace around it.
pub(crate) fn prose(html: &str) -> &str {
    let body = element(html, PROSE);
    body[PROSE.len()..body.len() - "</div>".len()].trim()
}

/// The rest of `text` from `marker`, which must occur exactly once: the end of a page's body,
/// to snapshot.
pub(crate) fn tail_from<'a>(text: &'a str, marker: &str) -> &'a str {
    let mut found = text.match_indices(marker).map(|(at, _)| at);
    let start = found
        .next()
        .unwrap_or_else(|| panic!("no `{marker}` in:\n{text}"));
    assert!(
        found.next().is_none(),
        "`{marker}` occurs more than once in:\n{text}"
    );
    &text[start..]
}

/// The opening tag that starts at `marker` (such as `<body`), attributes and all: what a test
/// about an element's attributes snapshots when the element itself is the whole page.
/// `marker` must occur exactly once.
pub(crate) fn start_tag<'a>(html: &'a str, marker: &str) -> &'a str {
    let rest = tail_from(html, marker);
    &rest[..rest
        .find('>')
        .unwrap_or_else(|| panic!("`{marker}` is never closed"))
        + 1]
}

/// Elements that have no closing tag.
const VOID_ELEMENTS: [&str; 8] = ["br", "hr", "img", "input", "link", "meta", "source", "wbr"];

/// The element of `html` that opens at `marker` (the start of its opening tag, such as
/// `<aside class="facts"`), through its matching closing tag: the fragment a test is about, to
/// snapshot whole, so that anything added inside it fails. `marker` must occur exactly once.
pub(crate) fn element<'a>(html: &'a str, marker: &str) -> &'a str {
    match elements(html, marker)[..] {
        [one] => one,
        [] => panic!("no `{marker}` in:\n{html}"),
        _ => panic!("`{marker}` occurs more than once in:\n{html}"),
    }
}

/// Every element of `html` that opens at `marker`, in order, as [`element`] cuts them.
pub(crate) fn elements<'a>(html: &'a str, marker: &str) -> Vec<&'a str> {
    html.match_indices(marker)
        .map(|(start, _)| element_at(&html[start..], marker))
        .collect()
}

/// The element `rest` starts with, `marker` being the start of its opening tag.
fn element_at<'a>(rest: &'a str, marker: &str) -> &'a str {
    let name = marker
        .strip_prefix('<')
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_alphanumeric()).next())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| panic!("`{marker}` is not the start of an opening tag"));
    if VOID_ELEMENTS.contains(&name) {
        return &rest[..rest.find('>').expect("the tag's end") + 1];
    }
    // The closing tag that balances the opening ones of the same name (`<p` but not `<pre`).
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut depth = 0;
    let mut at = 0;
    loop {
        let next_close = rest[at..]
            .find(&close)
            .unwrap_or_else(|| panic!("`{marker}` is never closed:\n{rest}"));
        let next_open = rest[at..].match_indices(&open).map(|(i, _)| i).find(|&i| {
            rest[at + i + open.len()..].starts_with(|c: char| c.is_whitespace() || c == '>')
        });
        match next_open {
            Some(i) if i < next_close => {
                depth += 1;
                at += i + open.len();
            }
            _ => {
                depth -= 1;
                at += next_close + close.len();
                if depth == 0 {
                    let fragment = &rest[..at];
                    assert!(!fragment.contains('\r'), "{fragment:?}");
                    return fragment;
                }
            }
        }
    }
}

/// A running `steppe serve`, killed when the test ends however it ends.
pub(crate) struct Server {
    child: Child,
    /// Where it serves: `http://127.0.0.1:PORT/`.
    pub url: String,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// `127.0.0.1:PORT`.
    pub(crate) fn address(&self) -> &str {
        self.url.trim_start_matches("http://").trim_end_matches('/')
    }

    /// Everything it printed on stderr so far.
    pub(crate) fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A small deterministic generator (xorshift64*), so randomized tests replay from their seed.
pub(crate) struct Rng(pub u64);

impl Rng {
    /// Seeded from `STEPPE_SEED` when set, else from the clock; the seed is printed so a failing
    /// run can be replayed.
    pub(crate) fn from_env(test: &str) -> (Rng, u64) {
        let seed = std::env::var("STEPPE_SEED").map_or_else(
            |_| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            },
            |s| s.parse().expect("STEPPE_SEED is a number"),
        );
        eprintln!("{test}: seed {seed} (replay with STEPPE_SEED={seed})");
        (Rng(seed | 1), seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Runs the W3C Nu HTML checker (`vnu-jar` from npm, run by Java) over `folders` and fails the
/// test on any error it reports.
pub(crate) fn assert_valid_html(folders: &[&Path]) {
    let vnu = Path::new(REPO).join("node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(
        vnu.is_file(),
        "the Nu checker needs node_modules/vnu-jar: run `bash scripts/test` (or `npm ci`)"
    );
    let output = Command::new("java")
        .arg("-jar")
        .arg(&vnu)
        .args(["--errors-only", "--skip-non-html"])
        .args(folders)
        .output()
        .expect("the Nu checker needs Java: run `bash scripts/test` (it installs it)");
    assert!(
        output.status.success(),
        "the Nu checker found errors:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `%XX` escapes decoded, as a browser reads a URL path; malformed ones left as they are.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn element_cuts_out_the_whole_element_and_nothing_else() {
    let html = "<body><div class=\"a\"><div>x</div><p>y</p><pre>z</pre></div><div>after</div>";
    assert_eq!(
        element(html, "<div class=\"a\""),
        "<div class=\"a\"><div>x</div><p>y</p><pre>z</pre></div>"
    );
    assert_eq!(element(html, "<p>"), "<p>y</p>");
    assert_eq!(element("<p><img src=x> and</p>", "<img"), "<img src=x>");
    assert_eq!(start_tag(html, "<body"), "<body>");
    assert_eq!(start_tag(html, "<div class=\"a\""), "<div class=\"a\">");
    assert_eq!(
        elements("<p>a</p><p>b</p>", "<p>"),
        ["<p>a</p>", "<p>b</p>"]
    );
}

#[test]
#[should_panic(expected = "occurs more than once")]
fn an_element_marker_names_one_element() {
    element("<p>a</p><p>b</p>", "<p>");
}

/// What insta's comparison overlooks, `whole` refuses.
#[test]
fn whole_refuses_what_a_snapshot_would_not_see() {
    for text in [" error\n", "\nerror\n", "error\r\n", "error\n\n", "error"] {
        let refused = std::panic::catch_unwind(|| whole(text, "\n")).is_err();
        assert!(refused, "{text:?}");
    }
    assert_eq!(whole("error\n", "\n"), "error\n");
    assert_eq!(whole("", "\n"), "");
}

/// A real PNG of `width` × `height` pixels: a gradient, so resized copies are not trivial.
/// `text` with the content hashes of cache-busted links (`?h=` and 16 hex digits) shown as
/// `?h=…`: snapshots of a page's head then hold across edits of the theme's files, whose
/// hashing `tests/cli/data.rs` checks.
pub(crate) fn hashes_hidden(text: &str) -> String {
    let hash = regex::Regex::new(r"\?h=[0-9a-f]{16}").expect("a valid pattern");
    hash.replace_all(text, "?h=…").into_owned()
}

pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    gradient(width, height)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// A real JPEG of `width` × `height` pixels.
pub(crate) fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    gradient(width, height)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

fn gradient(width: u32, height: u32) -> image::DynamicImage {
    image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
    }))
}
