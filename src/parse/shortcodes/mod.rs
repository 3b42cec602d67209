//! Shortcodes: templates called from Markdown, in Zola's syntax so Zola sites move over as they
//! are: `{{ figure(src="map.png", caption="The route") }}`, or with a Markdown body
//! `{% aside() %}…{% end %}`.
//!
//! A shortcode is a template in `templates/shortcodes/` of the site or its theme (the same
//! layers as other templates): `name.html`, whose output is HTML placed where the call was, or
//! `name.md`, whose output is Markdown put in place of the call before the page's Markdown is
//! parsed. The call's arguments are the template's variables, escaped by Tera's autoescape in
//! `.html` templates like every template value; a call with a body also gets `body`, and every
//! call gets `nth` (how many calls of that shortcode the page has made so far, from 1).
//!
//! **Expanded at parse time, not at render time.** A shortcode's output is part of the page's
//! body: the links in it and in its body must resolve and be checked, its headings must reach
//! the table of contents, its words the summary and the search index, and a `.md` shortcode's
//! output must be parsed as Markdown. Only parse sees the body as Markdown, so expanding there
//! gives all of that without a second path through resolve. The price is that parse reads
//! templates: a document remembers the shortcodes it called ([`Rendered::shortcodes`], unknown
//! names too) and the parse memo reuses it only while each of those has the same
//! [`Shortcodes::fingerprint`], so after a shortcode template changes, exactly the pages that
//! call it are parsed (and then rendered) again. Render never sees `shortcodes/` templates, so
//! its fingerprints do not change with them.
//!
//! How a call becomes output ([`expand`]): calls are found in one linear scan ([`call`]) of
//! the body (comments already cut, code spans and blocks left alone). A `.html` output is
//! kept aside and a placeholder takes the call's place in the Markdown: an HTML comment when the
//! call has its lines to itself (a block: it ends the paragraph, and is never wrapped in `<p>`),
//! else a sentinel in the text. The placeholder carries a nonce made from the body's hash, so
//! no text an author writes can forge one. The body of a `.html` call stays in place as the
//! page's own Markdown, between the template's output before and after its `body`, so its
//! links, footnotes and headings are the page's. The transform writes placeholders through as
//! raw HTML and fills them in after rendering.
//!
//! Bounds, since pages are untrusted: bodies nest at most [`MAX_DEPTH`] deep and `.md` outputs
//! calling shortcodes again at most as deep; a page makes at most [`MAX_CALLS`] calls, its
//! expansion is at most [`MAX_EXPANDED`] bytes. A shortcode reads no file: its template sees the
//! call's arguments and body, and the `url` function.

mod call;
mod expand;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use tera::{Kwargs, State, Tera, TeraResult};

use crate::config::Config;
use crate::diagnostics::tera_errors::{self, Chain, Sources};
use crate::diagnostics::{Diagnostic, Location, Note};
use crate::files::Template;

pub(crate) use call::{Call, Value};
pub(crate) use expand::{Splices, expand};

#[cfg(doc)]
use crate::parse::Rendered;

/// Where shortcode templates are, below a theme's or the site's `templates/`.
pub(crate) const FOLDER: &str = "shortcodes/";
/// Deepest nesting of bodies, and of `.md` outputs calling shortcodes.
pub(crate) const MAX_DEPTH: usize = 16;
/// Most calls one page makes, nested ones included.
pub(crate) const MAX_CALLS: usize = 10_000;
/// Largest expansion of one page: its Markdown with `.md` outputs plus all `.html` outputs.
pub(crate) const MAX_EXPANDED: usize = 16 * 1024 * 1024;

/// The value `body` has while a `.html` template renders: the output is cut there into what goes
/// before and after the body, which stays Markdown in the page. A private-use character, so no
/// argument holds it by chance (arguments holding it are refused).
pub(crate) const BODY_MARK: &str = "\u{E002}body\u{E003}";

/// How a shortcode's output is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `name.html`: HTML.
    Html,
    /// `name.md`: Markdown, parsed with the page.
    Markdown,
}

struct Shortcode {
    kind: Kind,
    /// The template's name in Tera (`shortcodes/figure.html`).
    template: String,
    path: PathBuf,
    /// The variables the template reads: the arguments it takes.
    variables: Vec<String>,
    fingerprint: u128,
}

/// A build's shortcode templates, compiled.
#[derive(Default)]
pub(crate) struct Shortcodes {
    tera: Tera,
    by_name: BTreeMap<String, Shortcode>,
    /// Template name → file and text, for error locations.
    sources: Sources,
    /// A shortcode template failed to compile (reported once): calls then render nothing and
    /// say nothing more.
    broken: bool,
    /// Shortcodes whose template failed to compile (reported once): their calls render nothing.
    failing: Vec<String>,
    fingerprints: Fingerprints,
}

impl Shortcodes {
    /// The shortcodes among `templates` (those below `shortcodes/`), and their problems.
    pub(crate) fn compile(
        templates: &[Template],
        config: &Config,
    ) -> (Shortcodes, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let mine: Vec<&Template> = templates
            .iter()
            .filter(|t| t.name.starts_with(FOLDER))
            .collect();
        if mine.is_empty() {
            return (Shortcodes::default(), diagnostics);
        }
        let sources = tera_errors::sources(mine.iter().copied());
        for template in &mine {
            let mut scratch = Tera::new();
            if let Err(error) = scratch.add_raw_template(&template.name, &template.source.text)
                && matches!(error.kind(), tera::ErrorKind::SyntaxError(_))
            {
                diagnostics.push(template_diagnostic(
                    &sources,
                    &error,
                    "template syntax error",
                ));
            }
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html"]);
        register(&mut tera, config);
        let mut failed: Vec<&Template> = Vec::new();
        if diagnostics.is_empty()
            && tera
                .add_raw_templates(mine.iter().map(|t| (t.name.as_str(), &*t.source.text)))
                .is_err()
        {
            // Which ones: each template on its own (an unknown filter, say). The others are
            // compiled without them, so calls of the others are still checked.
            let mut good = Vec::new();
            for template in &mine {
                let mut alone = Tera::new();
                register(&mut alone, config);
                match alone.add_raw_template(&template.name, &template.source.text) {
                    Ok(()) => good.push(*template),
                    Err(error) => {
                        diagnostics.push(template_diagnostic(&sources, &error, "template error"));
                        failed.push(template);
                    }
                }
            }
            tera = Tera::new();
            tera.autoescape_on(vec![".html"]);
            register(&mut tera, config);
            if let Err(error) =
                tera.add_raw_templates(good.iter().map(|t| (t.name.as_str(), &*t.source.text)))
            {
                diagnostics.push(template_diagnostic(&sources, &error, "template error"));
                failed = mine.clone();
            }
        }
        let broken = !diagnostics.is_empty() && (failed.is_empty() || failed.len() == mine.len());
        if broken {
            let shortcodes = Shortcodes {
                broken: true,
                sources,
                ..Shortcodes::default()
            };
            return (shortcodes, diagnostics);
        }
        // A template that includes, extends or calls components depends on others: it counts
        // as changed when any shortcode template does.
        let mut all: Vec<(&str, &str)> = mine
            .iter()
            .map(|t| (t.name.as_str(), &*t.source.text))
            .collect();
        all.sort_unstable();
        let shared = hash128(&all);
        let mut by_name: BTreeMap<String, Shortcode> = BTreeMap::new();
        // Shortcodes whose template failed (reported): their calls render nothing, silently.
        let mut failing: BTreeMap<String, u128> = BTreeMap::new();
        for template in &mine {
            let file = &template.name[FOLDER.len()..];
            let (name, kind) = match (file.strip_suffix(".html"), file.strip_suffix(".md")) {
                (Some(name), _) => (name, Kind::Html),
                (_, Some(name)) => (name, Kind::Markdown),
                _ => continue,
            };
            if name.contains('/') {
                // Folders below shortcodes/ hold what shortcodes include, not shortcodes.
                continue;
            }
            let text = &*template.source.text;
            if failed.iter().any(|t| t.name == template.name) {
                failing.insert(name.to_string(), hash128(&[(template.name.as_str(), text)]));
                continue;
            }
            let own = hash128(&[(template.name.as_str(), text)]);
            let fingerprint = if self_contained(text) {
                own
            } else {
                own ^ shared.rotate_left(1)
            };
            let mut variables: Vec<String> = tera
                .get_template_variables(&template.name)
                .map(|v| v.into_iter().map(str::to_string).collect())
                .unwrap_or_default();
            variables.sort_unstable();
            let shortcode = Shortcode {
                kind,
                template: template.name.clone(),
                path: template.source.path.clone(),
                variables,
                fingerprint,
            };
            match by_name.get(name) {
                Some(other) if layer(&other.path) > layer(&shortcode.path) => {}
                Some(other) if layer(&other.path) == layer(&shortcode.path) => {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "two templates for the shortcode `{name}`: {} and {}",
                            other.path.display(),
                            shortcode.path.display()
                        ))
                        .at(Location::file(&shortcode.path))
                        .with_hint(
                            "a shortcode is either HTML (`.html`) or Markdown (`.md`): remove one",
                        ),
                    );
                }
                _ => {
                    by_name.insert(name.to_string(), shortcode);
                }
            }
        }
        let names: Vec<(&str, &str)> = by_name
            .keys()
            .chain(failing.keys())
            .map(|n| (n.as_str(), ""))
            .collect();
        let fingerprints = Fingerprints {
            by_name: by_name
                .iter()
                .map(|(name, s)| (name.clone(), s.fingerprint))
                .chain(failing.iter().map(|(n, f)| (n.clone(), *f)))
                .collect(),
            missing: hash128(&names) ^ 1,
        };
        let shortcodes = Shortcodes {
            tera,
            by_name,
            sources,
            broken: false,
            failing: failing.into_keys().collect(),
            fingerprints,
        };
        (shortcodes, diagnostics)
    }

    /// What a page calling `name` depends on: the template's text (and the other shortcode
    /// templates', when it includes them); for a name no template has, the names there are
    /// (the "did you mean" of its error).
    pub(crate) fn fingerprint(&self, name: &str) -> u128 {
        self.fingerprints.of(name)
    }

    /// Every shortcode's fingerprint, for the parse memo of the next build.
    pub(crate) fn fingerprints(&self) -> Fingerprints {
        self.fingerprints.clone()
    }

    /// Whether `name` is HTML or Markdown, if there is such a shortcode.
    pub(crate) fn kind(&self, name: &str) -> Option<Kind> {
        self.by_name.get(name).map(|s| s.kind)
    }

    /// Renders `call` with its arguments, `nth` and `body`; the error is a diagnostic to place at
    /// the call (its message, hint and the template's location as a note).
    fn render(
        &self,
        call: &Call,
        body: Option<&str>,
        nth: usize,
    ) -> Result<(Kind, String), Refusal> {
        if self.broken || self.failing.contains(&call.name) {
            return Err(Refusal::Silent);
        }
        let Some(shortcode) = self.by_name.get(&call.name) else {
            let hint = match crate::diagnostics::closest(
                &call.name,
                self.by_name.keys().map(String::as_str),
            ) {
                Some(name) => format!("did you mean `{name}`?"),
                None if self.by_name.is_empty() => format!(
                    "a shortcode is a template: add templates/shortcodes/{}.html",
                    call.name
                ),
                None => format!(
                    "the shortcodes are {}; add templates/shortcodes/{}.html for a new one",
                    names(self.by_name.keys()),
                    call.name
                ),
            };
            return Err(Refusal::AtName(
                format!("unknown shortcode `{}`", call.name),
                hint,
                None,
            ));
        };
        let mut context = tera::Context::new();
        for arg in &call.args {
            if matches!(arg.name.as_str(), "body" | "nth") {
                return Err(Refusal::AtArg(
                    arg.name_range.clone(),
                    format!("`{}` is not an argument: steppe sets it", arg.name),
                    format!(
                        "`body` is the text between `{{% {}(…) %}}` and `{{% end %}}`; `nth` counts the page's calls; rename the argument",
                        call.name
                    ),
                ));
            }
            if !shortcode.variables.contains(&arg.name) {
                let takes: Vec<&str> = shortcode
                    .variables
                    .iter()
                    .map(String::as_str)
                    .filter(|v| !matches!(*v, "body" | "nth"))
                    .collect();
                let hint = match crate::diagnostics::closest(&arg.name, takes.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None if takes.is_empty() => format!("`{}` takes no arguments", call.name),
                    None => format!("`{}` takes {}", call.name, names(takes.iter())),
                };
                return Err(Refusal::AtArg(
                    arg.name_range.clone(),
                    format!("shortcode `{}` has no argument `{}`", call.name, arg.name),
                    hint,
                ));
            }
            if let Value::String(s) = &arg.value
                && (s.contains(BODY_MARK) || s.contains(['\u{E000}', '\u{E001}']))
            {
                return Err(Refusal::AtArg(
                    arg.name_range.clone(),
                    format!(
                        "argument `{}` holds a private-use character steppe reserves",
                        arg.name
                    ),
                    "remove the characters U+E000 to U+E003 from the argument".to_string(),
                ));
            }
            context.insert(arg.name.clone(), &arg.value);
        }
        context.insert("nth", &nth);
        if let Some(body) = body {
            context.insert("body", body);
        }
        match self.tera.render(&shortcode.template, &context) {
            Ok(output) => Ok((shortcode.kind, output)),
            Err(error) => {
                let (message, location) = error_report(&self.sources, &error);
                let note = Note {
                    message: format!("in the template of `{}`", call.name),
                    location: location.unwrap_or_else(|| Location::file(&shortcode.path)),
                };
                if let Some(variable) = undefined_variable(&message)
                    && variable != "body"
                {
                    return Err(Refusal::AtName(
                        format!("shortcode `{}` needs the argument `{variable}`", call.name),
                        format!("add `{variable}=…` to the call"),
                        Some(Box::new(note)),
                    ));
                }
                if undefined_variable(&message) == Some("body") {
                    return Err(Refusal::AtName(
                        format!("shortcode `{}` needs a body", call.name),
                        format!(
                            "call it as `{{% {}(…) %}}` … `{{% end %}}`, with the text between",
                            call.name
                        ),
                        Some(Box::new(note)),
                    ));
                }
                Err(Refusal::AtName(
                    format!("error in shortcode `{}`: {message}", call.name),
                    "check the arguments' values, or fix the template".to_string(),
                    Some(Box::new(note)),
                ))
            }
        }
    }
}

/// What the documents calling each shortcode depend on, kept by the parse memo.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Fingerprints {
    by_name: BTreeMap<String, u128>,
    /// For a name without a template: the set of names there are. Also what every call
    /// depends on while the templates do not compile (then `by_name` is empty).
    missing: u128,
}

impl Fingerprints {
    pub(crate) fn of(&self, name: &str) -> u128 {
        self.by_name.get(name).copied().unwrap_or(self.missing)
    }
}

/// Why a call renders nothing: a diagnostic at the call's name or one of its arguments, or
/// nothing to say (the template set failed to compile, already reported).
enum Refusal {
    AtName(String, String, Option<Box<Note>>),
    AtArg(std::ops::Range<usize>, String, String),
    Silent,
}

fn names<'a>(names: impl Iterator<Item = &'a (impl AsRef<str> + 'a + ?Sized)>) -> String {
    let list: Vec<String> = names.map(|n| format!("`{}`", n.as_ref())).collect();
    list.join(", ")
}

/// `x` of Tera's "Variable `x` is not defined." message.
fn undefined_variable(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("Variable `")?;
    let end = rest.find('`')?;
    rest[end..]
        .starts_with("` is not defined")
        .then(|| &rest[..end])
}

/// Whether a template reads no other template: no `include`, `extends` or `import` tag and no
/// component call (`{{<`, `{%<`). Conservative: the words anywhere count.
fn self_contained(text: &str) -> bool {
    if ["include", "extends", "import"]
        .iter()
        .any(|w| text.contains(w))
    {
        return false;
    }
    let bytes = text.as_bytes();
    !bytes.windows(2).enumerate().any(|(i, w)| {
        (w == b"{{" || w == b"{%")
            && bytes[i + 2..]
                .iter()
                .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'-'))
                == Some(&b'<')
    })
}

/// The layer a template comes from: the site's `templates/` over a theme folder over the
/// built-in theme.
fn layer(path: &Path) -> u8 {
    if path.starts_with("templates") {
        2
    } else if path.starts_with("themes") {
        1
    } else {
        0
    }
}

fn hash128(parts: &[(&str, &str)]) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (name, text) in parts {
        hasher.update(&(name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update(&(text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    }
    hasher.digest128()
}

/// Functions and filters of shortcode templates: `url` as in page templates, and Zola's
/// `markdown` filter (plain CommonMark, for arguments), which leaves the body as it is, so
/// Zola's `{{ body | markdown | safe }}` works: the body is the page's Markdown already.
fn register(tera: &mut Tera, config: &Config) {
    let base = config.base_path();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path = kwargs.must_get::<&str>("path")?;
            Ok(format!("{base}{}", path.trim_start_matches('/')))
        },
    );
    tera.register_filter("urlencode", tera_contrib::urlencode::urlencode);
    tera.register_filter(
        "markdown",
        |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<tera::Value> {
            if value == BODY_MARK {
                return Ok(tera::Value::safe_string(value));
            }
            let inline = kwargs.get::<bool>("inline")?.unwrap_or(false);
            let mut html = String::new();
            pulldown_cmark::html::push_html(
                &mut html,
                pulldown_cmark::Parser::new_ext(
                    value,
                    pulldown_cmark::Options::ENABLE_STRIKETHROUGH,
                ),
            );
            let mut html = html.trim_end().to_string();
            if inline
                && let Some(inner) = html
                    .strip_prefix("<p>")
                    .and_then(|h| h.strip_suffix("</p>"))
                && !inner.contains("<p>")
            {
                html = inner.to_string();
            }
            Ok(tera::Value::safe_string(&html))
        },
    );
}

/// A Tera error's message and, when it has one, its place in a shortcode template.
fn error_report(sources: &Sources, error: &tera::Error) -> (String, Option<Location>) {
    match tera_errors::chain(error) {
        Chain::Report { report, .. } => (
            report.message().trim().to_string(),
            tera_errors::report_location(sources, report),
        ),
        Chain::Messages(messages) => (messages.join(": "), None),
    }
}

fn template_diagnostic(sources: &Sources, error: &tera::Error, what: &str) -> Diagnostic {
    let (mut message, mut location) = error_report(sources, error);
    if location.is_none()
        && let Some((found, at)) = tera_errors::prerendered(sources, &message)
    {
        (message, location) = (found.to_string(), Some(at));
    }
    let diagnostic = Diagnostic::error(format!("{what}: {message}"))
        .with_hint("fix the shortcode template; a shortcode is called from Markdown as `{{ name(arg=\"value\") }}`");
    match location {
        Some(location) => diagnostic.at(location),
        None => diagnostic,
    }
}

/// Names of the shortcodes called, sorted and unique, for the parse memo.
pub(crate) fn called(names: HashSet<String>) -> Vec<String> {
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort_unstable();
    names
}
