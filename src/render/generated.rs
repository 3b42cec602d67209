//! One owner per output path: an author's page, folder, alias or copied file that lands on a path
//! this build generates (the search page and index, the link graph, the timeline, the explorer,
//! the link previews, the 404 page,
//! feeds, the sitemap, the highlighting stylesheet, taxonomy pages, later pages of a listing) is
//! an error naming both, as is a file written where another output needs a folder. The list of
//! a taxonomy's terms (`/tags/`) is the exception: an author's page there wins, and the list is
//! not written.
//!
//! Only what this build writes counts: with search off, a page at `/search/` is the author's;
//! without `graph.html` in the theme, `/graph/` is free. Two author outputs on one URL are
//! reported by resolve (`resolve/tree.rs`). The one generated file a site may replace with a
//! static file of its own is `robots.txt`, its crawler rules.
//!
//! Render still writes one output per path when this reports an error (an author's page keeps a
//! generated page's URL, a copied file wins over a generated one), so the error is reported once,
//! here, located, and not again by the write stage.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Location};
use crate::files::Contents;
use crate::parse::Doc;
use crate::resolve::PageKind;
use crate::resolve::{Site, Url, doc_location};

use super::templates::Templates;
use super::{SEARCH_SLUG_PATH, authored_url, feeds, pager_file, pager_ranges, section_per_page};

/// A generated file a static file of the site may replace.
const REPLACEABLE: &[&str] = &["robots.txt"];

/// Who writes an output path.
enum Owner<'a> {
    /// An author's page, folder or alias: the location and hint to report at.
    Author {
        who: String,
        /// The document and front matter key to point at (a folder without `_index.md` has none).
        at: Option<(&'a Arc<Doc>, &'static str)>,
        hint: &'static str,
    },
    /// A file copied from `content/` or a `static/` folder.
    Copied { who: String },
    /// The build itself, and what turns it on.
    Generated { what: String, because: &'static str },
}

struct Claim<'a> {
    path: String,
    owner: Owner<'a>,
}

/// Whether the timeline is written: a case study with an era and a theme with `timeline.html`.
pub(super) fn writes_timeline(site: &Site, templates: &Templates) -> bool {
    templates.has("timeline.html")
        && site
            .pages
            .iter()
            .any(|p| p.kind == PageKind::CaseStudy && p.era.is_some())
}

/// Every output path this build generates on its own, with what it is.
fn generated<'a>(site: &'a Site, templates: &Templates) -> Vec<Claim<'a>> {
    let config = &site.config;
    let mut claims = Vec::new();
    let mut add = |path: String, what: String, because: &'static str| {
        claims.push(Claim {
            path,
            owner: Owner::Generated { what, because },
        });
    };
    if templates.has("404.html") {
        add(
            "404.html".into(),
            "the 404 page".into(),
            "the theme's `404.html` template writes it",
        );
    }
    if config.search.enabled {
        if templates.has("search.html") {
            add(
                format!("{SEARCH_SLUG_PATH}index.html"),
                "the search page".into(),
                "it is written while `[search] enabled` is true",
            );
        }
        add(
            "pagefind/".into(),
            "the search index".into(),
            "it is written while `[search] enabled` is true",
        );
    }
    if !site.pages.is_empty() && templates.has("graph.html") {
        add(
            "graph/index.html".into(),
            "the link graph".into(),
            "the theme's `graph.html` template writes it",
        );
    }
    if config.reader.explorer && !site.pages.is_empty() && templates.has("explorer.html") {
        add(
            "explorer/index.html".into(),
            "the explorer".into(),
            "the theme's `explorer.html` template writes it while `[reader] explorer` is true",
        );
    }
    if super::writes_previews(site, templates) && site.pages.iter().any(|p| !p.backlinks.is_empty())
    {
        add(
            super::preview::PREVIEW_DIR.into(),
            "a link preview".into(),
            "the theme's `preview.html` template writes one for each page another page links to, while `[reader] previews` is true",
        );
    }
    if writes_timeline(site, templates) {
        add(
            "timeline/index.html".into(),
            "the timeline".into(),
            "the theme's `timeline.html` template writes it for case studies",
        );
    }
    let root = Url::new(config, "");
    for feed in feeds::feeds(site, &root) {
        add(
            feed.path(site),
            "an Atom feed".into(),
            "it is written while `[feed] enabled` is true",
        );
    }
    add(
        "sitemap.xml".into(),
        "the sitemap".into(),
        "steppe always writes it",
    );
    add(
        "robots.txt".into(),
        "robots.txt".into(),
        "steppe always writes it",
    );
    add(
        "syntax.css".into(),
        "the highlighting stylesheet".into(),
        "steppe always writes it",
    );
    for taxonomy in site.taxonomies.iter().filter(|t| !t.terms.is_empty()) {
        // The list of all terms is the one generated page an author's page may take (the
        // Obsidian Help vault documents tags at `permalink: tags`); the term pages stay.
        if !authored_url(site, &taxonomy.url) {
            add(
                taxonomy.url.output_file(),
                format!("the list of {}", taxonomy.name),
                "taxonomies get list pages",
            );
        }
        let per_page = config.taxonomy_per_page(&taxonomy.name);
        for term in &taxonomy.terms {
            for (n, _) in pager_ranges(term.pages.len(), per_page) {
                add(
                    pager_file(site, &term.url, n),
                    format!("the page of the {} term `{}`", taxonomy.name, term.name),
                    "every term gets a listing",
                );
            }
        }
    }
    for section in site.sections.iter().filter(|s| s.has_listing()) {
        let per_page = section_per_page(site, section);
        for (n, _) in pager_ranges(section.pages.len(), per_page)
            .into_iter()
            .skip(1)
        {
            add(
                pager_file(site, &section.url, n),
                format!("page {n} of the listing {}", section.url.path),
                "a section lists its pages over several pages",
            );
        }
    }
    claims
}

/// What the author writes: pages, sections, aliases, and copied files.
fn authored(site: &Site) -> Vec<Claim<'_>> {
    let mut claims = Vec::new();
    for page in &site.pages {
        let (key, hint) = if page.doc.front.permalink.is_some() {
            ("permalink", "choose another `permalink:`")
        } else {
            ("slug", "rename the file or give it another `slug:`")
        };
        claims.push(Claim {
            path: page.url.output_file(),
            owner: Owner::Author {
                who: format!("`{}`", page.doc.path.display()),
                at: Some((&page.doc, key)),
                hint,
            },
        });
    }
    // A folder whose page a note took with `permalink:` writes no listing of its own.
    for section in site.sections.iter().filter(|s| s.has_listing()) {
        let folder = site.config.content_folder().join(&section.dir);
        claims.push(Claim {
            path: section.url.output_file(),
            owner: Owner::Author {
                who: section.doc.as_ref().map_or_else(
                    || format!("the folder `{}/`", folder.display()),
                    |d| format!("`{}`", d.path.display()),
                ),
                at: section.doc.as_ref().map(|d| (d, "title")),
                hint: "rename the folder",
            },
        });
    }
    for alias in &site.aliases {
        let Some(page) = site.pages.iter().find(|p| p.url == alias.to) else {
            continue;
        };
        claims.push(Claim {
            path: alias.from.output_file(),
            owner: Owner::Author {
                who: format!("alias {} of `{}`", alias.from.path, page.doc.path.display()),
                at: Some((&page.doc, "aliases")),
                hint: "remove the alias or pick another URL",
            },
        });
    }
    for file in &site.assets {
        let who = match (&file.asset.contents, file.content) {
            (_, true) => format!(
                "the file `{}`",
                site.config
                    .content_folder()
                    .join(&file.asset.relative)
                    .display()
            ),
            (Contents::Bytes(_), false) => format!("the theme's `static/{}`", file.asset.relative),
            (Contents::Copy(_) | Contents::Resized(_), false) => {
                format!("the static file `{}`", file.asset.relative)
            }
        };
        claims.push(Claim {
            path: file.output.clone(),
            owner: Owner::Copied { who },
        });
    }
    claims
}

/// Reports every author output on a generated path, every copied file on a rendered one, and
/// every file where another output needs a folder of that name.
pub(super) fn check(site: &Site, templates: &Templates) -> Vec<Diagnostic> {
    let mut claims = generated(site, templates);
    claims.extend(authored(site));
    // By path, generated first among equals: each author claim meets the generated one first.
    claims.sort_by(|a, b| {
        a.path
            .cmp(&b.path)
            .then_with(|| rank(&a.owner).cmp(&rank(&b.owner)))
    });
    // The first owner of each path; a folder claim (`pagefind/`) owns everything below it.
    let mut first: HashMap<&str, &Claim> = HashMap::with_capacity(claims.len());
    let mut diagnostics = Vec::new();
    let base = site.config.base_path();
    for claim in &claims {
        match first.get(claim.path.as_str()) {
            Some(owner) => report(&mut diagnostics, &base, owner, claim, &claim.path),
            None => {
                first.insert(&claim.path, claim);
            }
        }
    }
    for claim in &claims {
        // Each folder above the path: a file there, or a generated folder owning it.
        for (at, _) in claim.path.match_indices('/') {
            if at + 1 == claim.path.len() {
                break;
            }
            if let Some(owner) = first.get(&claim.path[..=at]) {
                report(&mut diagnostics, &base, owner, claim, &claim.path);
            }
            if let Some(file) = first.get(&claim.path[..at]) {
                report(&mut diagnostics, &base, file, claim, &file.path);
            }
        }
    }
    diagnostics
}

fn rank(owner: &Owner) -> u8 {
    match owner {
        Owner::Generated { .. } => 0,
        Owner::Author { .. } => 1,
        Owner::Copied { .. } => 2,
    }
}

/// The diagnostic for two owners of `path`, if they are not both the author's pages (resolve
/// reports those) or both steppe's (its own outputs never meet) or a static file replacing a
/// replaceable generated one.
fn report(
    diagnostics: &mut Vec<Diagnostic>,
    base: &str,
    first: &Claim,
    second: &Claim,
    path: &str,
) {
    let folder = if first.path == second.path || first.path.ends_with('/') {
        String::new()
    } else {
        format!(
            " (one is a file, the other needs a folder of that name for {})",
            shown(base, &second.path)
        )
    };
    let replaceable = REPLACEABLE.contains(&path);
    let path = shown(base, path);
    let diagnostic = match (&first.owner, &second.owner) {
        (Owner::Author { .. }, Owner::Author { .. })
        | (Owner::Generated { .. }, Owner::Generated { .. })
        | (Owner::Copied { .. }, Owner::Copied { .. }) => return,
        (Owner::Generated { .. }, Owner::Copied { .. }) if folder.is_empty() && replaceable => {
            return;
        }
        (Owner::Generated { what, because }, Owner::Author { who, at, hint })
        | (Owner::Author { who, at, hint }, Owner::Generated { what, because }) => {
            let mut d = Diagnostic::error(format!("{who} and {what} both want {path}{folder}"))
                .with_hint(format!("{hint}; {what} is generated there: {because}"));
            if let Some((doc, key)) = at {
                d = d.at(locate(doc, key));
            }
            d
        }
        (Owner::Generated { what, because }, Owner::Copied { who })
        | (Owner::Copied { who }, Owner::Generated { what, because }) => {
            Diagnostic::error(format!("{who} and {what} both want {path}{folder}")).with_hint(
                format!("rename or remove the file; {what} is generated there: {because}"),
            )
        }
        (Owner::Author { who, at, .. }, Owner::Copied { who: file })
        | (Owner::Copied { who: file }, Owner::Author { who, at, .. }) => {
            let mut d = Diagnostic::error(format!("{who} and {file} both want {path}{folder}"))
                .with_hint("rename the file, or give the page another URL");
            if let Some((doc, key)) = at {
                d = d.at(locate(doc, key));
            }
            d
        }
    };
    diagnostics.push(diagnostic);
}

/// Where to point for a document: its `key` (or title) line, or the whole file when it has no
/// front matter to point into.
fn locate(doc: &Doc, key: &str) -> Location {
    if doc.front.key_lines.is_empty() {
        Location::file(&doc.path)
    } else {
        doc_location(doc, key)
    }
}

/// An output path as the URL a reader sees: `/blog/graph/` for `graph/index.html`.
fn shown(base: &str, path: &str) -> String {
    format!("{base}{}", path.strip_suffix("index.html").unwrap_or(path))
}
