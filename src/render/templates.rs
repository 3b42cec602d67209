//! Tera setup: templates compiled once per build, steppe's filters and functions, and template
//! errors turned into located diagnostics.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, TeraResult};

use crate::config::Config;
use crate::diagnostics::tera_errors::{self, Chain, Sources};
use crate::diagnostics::{Diagnostic, Location};
use crate::files::Template;

use super::data::SiteData;
use super::fingerprint::Fingerprint;
use super::uses;

/// The compiled templates of a build and where each came from.
pub(crate) struct Templates {
    pub tera: Tera,
    /// Template name → file it was read from and its text, for error locations.
    sources: Sources,
    /// The build's data files and static hashes, which `data`, `load_data` and `url` read.
    pub data: Arc<SiteData>,
    /// Template name → fingerprint of the data it and the templates it reaches read.
    reads: HashMap<String, Fingerprint>,
}

impl Templates {
    /// Compiles all templates. Every template with a syntax error is reported, not just the first.
    pub(crate) fn compile(
        templates: &[Template],
        config: &Config,
        data: Arc<SiteData>,
    ) -> Result<Templates, Vec<Diagnostic>> {
        // Shortcode templates are parse's (`parse::shortcodes`): a page's output depends on them
        // through its document, so they are not part of any render fingerprint.
        let templates: Vec<&Template> = templates
            .iter()
            .filter(|t| !t.name.starts_with(crate::parse::shortcodes::FOLDER))
            .collect();
        let sources = tera_errors::sources(templates.iter().copied());
        let mut diagnostics = Vec::new();
        // With no templates at all, load has already said the theme is missing.
        if !templates.is_empty() && !templates.iter().any(|t| t.name == "page.html") {
            diagnostics.push(
                Diagnostic::error("no template `page.html` in the theme or in templates/")
                    .with_hint(format!(
                        "check that themes/{}/templates/ exists, or add templates/page.html",
                        config.theme
                    )),
            );
        }
        // Syntax errors first, each template on its own, so all of them are found.
        for template in templates
            .iter()
            .filter(|t| t.name.ends_with(".html") || t.name.ends_with(".xml"))
        {
            let mut scratch = Tera::new();
            let error = match scratch.add_raw_template(&template.name, &template.source.text) {
                Err(e) if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) => Some(e),
                _ => None,
            };
            if let Some(error) = error {
                diagnostics.push(template_error(&sources, &error, None));
            }
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        register(&mut tera, config, &data);
        let raw = templates.iter().map(|t| (t.name.as_str(), &*t.source.text));
        if let Err(error) = tera.add_raw_templates(raw) {
            return Err(vec![template_error(&sources, &error, None)]);
        }
        let reads = uses::closures(templates.iter().map(|t| (t.name.as_str(), &*t.source.text)))
            .into_iter()
            .map(|(name, uses)| {
                let fingerprint = data.fingerprint_of(&uses);
                (name, fingerprint)
            })
            .collect();
        Ok(Templates {
            tera,
            sources,
            data,
            reads,
        })
    }

    /// Fingerprint of the data files and static hashes that rendering `template` reads.
    pub(crate) fn reads(&self, template: &str) -> Option<Fingerprint> {
        self.reads.get(template).copied()
    }

    /// Every template's name and text, sorted: what a rendered output depends on besides its
    /// context.
    pub(crate) fn fingerprint_source(&self) -> Vec<(&str, &str)> {
        let mut all: Vec<(&str, &str)> = self
            .sources
            .iter()
            .map(|(name, (_, text))| (name.as_str(), text.as_str()))
            .collect();
        all.sort_unstable();
        all
    }

    /// Whether any template's text names the function `name`.
    pub(crate) fn calls(&self, name: &str) -> bool {
        self.sources.values().any(|(_, text)| text.contains(name))
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Turns a rendering error into a diagnostic naming the template and the page being rendered.
    pub(crate) fn error(&self, error: &tera::Error, rendering: &str) -> Diagnostic {
        template_error(&self.sources, error, Some(rendering))
    }
}

fn register(tera: &mut Tera, config: &Config, data: &Arc<SiteData>) {
    let base = config.base_path();
    let hashes = Arc::clone(data);
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path = kwargs.must_get::<&str>("path")?;
            let url = format!("{base}{}", path.trim_start_matches('/'));
            if kwargs.get::<bool>("cachebust")?.unwrap_or(false) {
                let hash = hashes.hash(path).map_err(tera::Error::message)?;
                return Ok(format!("{url}?h={hash}"));
            }
            Ok(url)
        },
    );
    let files = Arc::clone(data);
    tera.register_function(
        "load_data",
        move |kwargs: Kwargs, _: &State| -> TeraResult<tera::Value> {
            let path = kwargs.must_get::<&str>("path")?;
            let format = kwargs.get::<&str>("format")?;
            files.load(path, format).map_err(tera::Error::message)
        },
    );
    // Known when templates are compiled; each render registers it again with the site's
    // images (`render::resize_image`).
    tera.register_function(
        "resize_image",
        |_: Kwargs, _: &State| -> TeraResult<tera::Value> {
            Err(tera::Error::message(
                "resize_image: no site is being rendered",
            ))
        },
    );
    tera.register_filter("date", date_filter);
    tera.register_filter("json_encode", tera_contrib::json::json_encode);
    tera.register_filter("urlencode", tera_contrib::urlencode::urlencode);
}

/// `{{ page.date | date(format="%e %B %Y") }}`: formats an RFC 3339 timestamp (UTC).
fn date_filter(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let format = kwargs.get::<&str>("format")?.unwrap_or("%Y-%m-%d");
    let timestamp: jiff::Timestamp = value.parse().map_err(|e| {
        tera::Error::message(format!("`date` filter: `{value}` is not a date: {e}"))
    })?;
    let zoned = timestamp.to_zoned(jiff::tz::TimeZone::UTC);
    let mut out = String::new();
    jiff::fmt::strtime::format(format, &zoned)
        .map(|s| {
            out = s;
        })
        .map_err(|e| tera::Error::message(format!("`date` filter: bad format `{format}`: {e}")))?;
    Ok(out.trim().to_string())
}

fn template_error(sources: &Sources, error: &tera::Error, rendering: Option<&str>) -> Diagnostic {
    // The located report may sit anywhere in the error's chain.
    let messages = match tera_errors::chain(error) {
        Chain::Report { report, syntax } => return located(sources, report, rendering, syntax),
        Chain::Messages(messages) => messages,
    };
    // Tera reports unknown filters, tests, functions and components as finished rustc-style
    // reports inside a message: turn the first into a located diagnostic.
    if let Some((message, location)) = messages
        .iter()
        .find_map(|m| tera_errors::prerendered(sources, m))
    {
        let hint = match rendering {
            Some(what) => format!("while rendering {what}"),
            None => "check the name for a typo; steppe's filters are Tera's built-in ones plus \
                     `date`, `json_encode` and `urlencode`"
                .to_string(),
        };
        return Diagnostic::error(format!("template error: {message}"))
            .at(location)
            .with_hint(hint);
    }
    let mut diagnostic = Diagnostic::error(format!("template error: {}", messages.join(": ")));
    diagnostic = diagnostic.with_hint(match rendering {
        Some(what) => format!("while rendering {what}"),
        None => "check the template's `extends`, `include` and component names".to_string(),
    });
    diagnostic
}

fn located(
    sources: &Sources,
    report: &tera::ReportError,
    rendering: Option<&str>,
    syntax: bool,
) -> Diagnostic {
    let what = if syntax {
        "template syntax error"
    } else {
        "template error"
    };
    let message = format!("{what}: {}", report.message());
    let location = tera_errors::report_location(sources, report)
        .unwrap_or_else(|| Location::file(&PathBuf::from(report.filename())));
    let hint = match rendering {
        Some(what) => format!("while rendering {what}"),
        None => "fix the template syntax; Tera's tags are {{ }}, {% %} and {# #}".to_string(),
    };
    Diagnostic::error(message).at(location).with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::Source;

    fn template(name: &str, text: &str) -> Template {
        Template {
            name: name.into(),
            source: Source {
                path: PathBuf::from(format!("templates/{name}")),
                text: text.into(),
            },
        }
    }

    #[test]
    fn every_syntax_error_is_reported_with_its_location() {
        let errors = Templates::compile(
            &[
                template("page.html", "<p>\n{{ page.title </p>"),
                template("base.html", "{% if %}"),
            ],
            &Config::default(),
            Arc::default(),
        )
        .err()
        .unwrap();
        assert_eq!(errors.len(), 2);
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(
            text.iter().any(|t| t.contains("templates/page.html:2:")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains("templates/base.html:1:")),
            "{text:?}"
        );
    }

    #[test]
    fn date_filter_formats() {
        let templates = Templates::compile(
            &[template(
                "page.html",
                "{{ d | date(format=\"%-d %B %Y\") }}",
            )],
            &Config::default(),
            Arc::default(),
        )
        .ok()
        .unwrap();
        let mut context = tera::Context::new();
        context.insert("d", "2024-05-01T00:00:00Z");
        assert_eq!(
            templates.tera.render("page.html", &context).unwrap(),
            "1 May 2024"
        );
    }
}
