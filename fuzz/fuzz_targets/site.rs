//! A whole site built in memory: parse, resolve (links, embeds, backlinks, taxonomies, graph),
//! render with the default theme's templates. The input is split into files at lines
//! `@@ <path>`: `content/….md` are pages, other `content/…` paths assets, `templates/…`
//! override the theme's templates, `site.toml` is the configuration. Text before the first
//! such line is `content/_index.md`. Search is off: Pagefind is slow and not steppe's code.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use steppe::build::{Progress, build_in_memory};
use steppe::config::Config;
use steppe::files::{Asset, Contents, Image, ImageFormat, SiteFiles, Source, Template};
use steppe::parse::highlight::Highlighter;
use steppe::resolve::ResolveOptions;

/// The default theme's templates, read once.
fn theme() -> &'static Vec<Template> {
    static THEME: OnceLock<Vec<Template>> = OnceLock::new();
    THEME.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes/steppe/templates");
        let mut templates: Vec<Template> = std::fs::read_dir(&dir)
            .expect("themes/steppe/templates")
            .map(|e| {
                let path = e.expect("entry").path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                Template {
                    source: Source {
                        path: PathBuf::from("themes/steppe/templates").join(&name),
                        text: std::fs::read_to_string(&path).expect("template").into(),
                    },
                    name,
                }
            })
            .collect();
        templates.sort_by(|a, b| a.name.cmp(&b.name));
        templates
    })
}

fuzz_target!(|data: &[u8]| {
    static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut files = SiteFiles {
        templates: theme().clone(),
        // What load hashes for the theme's cache-busted links (the value does not matter here).
        static_hashes: ["diagrams.js", "search.js", "style.css", "theme.js", "vendor/mermaid.min.js"]
            .into_iter()
            .map(|file| (file.to_string(), "0123456789abcdef".to_string()))
            .collect(),
        ..SiteFiles::default()
    };
    let mut config = Config::default();
    let mut path = "content/_index.md".to_string();
    for (i, chunk) in text.split("\n@@ ").enumerate() {
        let header = if i == 0 { chunk.strip_prefix("@@ ") } else { Some(chunk) };
        let body = match header {
            None => chunk,
            Some(chunk) => {
                let (name, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
                path = name.trim().to_string();
                body
            }
        };
        if path.is_empty() || path.starts_with('/') || path.split('/').any(|s| s == "..") {
            continue;
        }
        if path == "site.toml" {
            if let Ok(parsed) = Config::parse(Path::new("site.toml"), body) {
                config = parsed;
            }
        } else if let Some(name) = path.strip_prefix("templates/") {
            let source = Source {
                path: PathBuf::from(&path),
                text: body.into(),
            };
            files.templates.retain(|t| t.name != name);
            files.templates.push(Template {
                name: name.to_string(),
                source,
            });
        } else if let Some(relative) = path.strip_prefix("content/") {
            if path.ends_with(".md") {
                files.content.retain(|s| s.path != Path::new(&path));
                files.content.push(Source {
                    path: PathBuf::from(&path),
                    text: body.into(),
                });
            } else {
                // A PNG is taken as a wide image, so its pages get a srcset.
                let image = relative.ends_with(".png").then_some(Ok(Image {
                    width: 1600,
                    height: 900,
                    format: ImageFormat::Png,
                    hash: 1,
                }));
                files.content_assets.push(Asset {
                    relative: relative.to_string(),
                    contents: Contents::Copy(PathBuf::from("/nonexistent").join(relative)),
                    image,
                });
            }
        }
    }
    config.search.enabled = false;
    files.content.sort_by(|a, b| a.path.cmp(&b.path));
    files.templates.sort_by(|a, b| a.name.cmp(&b.name));
    let built = build_in_memory(
        Arc::new(config),
        &files,
        HIGHLIGHTER.get_or_init(Highlighter::new),
        ResolveOptions { drafts: data.len() % 2 == 0 },
        &Progress::default(),
    );
    for d in &built.diagnostics {
        let _ = d.render(false);
    }
});
