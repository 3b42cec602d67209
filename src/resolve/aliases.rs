//! Aliases: the other names and old URLs of a page.
//!
//! An entry starting with `/` is an old URL (Zola's and Hugo's meaning): it gets a redirect page,
//! and claiming a URL another page has is an error. Any other entry is a name (Obsidian's
//! meaning): wikilinks may use it (`resolve/links.rs`), and it redirects from its slug beside the
//! page (`Old name` in `notes/` redirects `/notes/old-name/`), but only when nothing else has
//! that URL: a name is not asking for a URL, so its slug being the page's own URL, another
//! page's, a section's, a term's or another name's is never an error. A slug two pages' names
//! share redirects to neither, rather than to a guess. Names never take the URLs of pages the
//! build generates (`/graph/`, `/timeline/`, `/search/`), which render gives only to the author's
//! own pages.

use std::collections::{HashMap, HashSet};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::slug::segment_slug;

use super::tree::doc_item_location;
use super::{Alias, Page, Site, Url};

/// URLs render generates pages at, unless an author's page has them (`render::free_url`).
const GENERATED: &[&str] = &["graph/", "timeline/", "search/", "pagefind/"];

/// Whether an alias is an old URL to redirect from, rather than a name.
pub(super) fn is_url_alias(alias: &str) -> bool {
    alias.trim_start().starts_with('/')
}

/// A redirect for each old URL among the pages' aliases, except a page's own URL. An old URL that
/// is no path inside the output folder (`/../x/`, `/a//b/`) is reported at its list item and left
/// out, so `check` finds what `build` could not write.
pub(super) fn url_aliases(
    config: &Config,
    pages: &[Page],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Alias> {
    let mut aliases = Vec::new();
    for page in pages {
        for alias in page.doc.front.aliases.iter().filter(|a| is_url_alias(a)) {
            let trimmed = alias.trim().trim_start_matches('/');
            if let Some((problem, hint)) = unwritable(trimmed) {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "alias `{}` of `{}` {problem}",
                        alias.trim(),
                        page.doc.path.display()
                    ))
                    .at(doc_item_location(&page.doc, "aliases", alias.trim()))
                    .with_hint(hint),
                );
                continue;
            }
            let slug_path =
                if trimmed.is_empty() || trimmed.ends_with(".html") || trimmed.ends_with('/') {
                    trimmed.to_string()
                } else {
                    format!("{trimmed}/")
                };
            let from = Url::new(config, &slug_path);
            if from.output_file() != page.url.output_file() {
                aliases.push(Alias {
                    from,
                    to: page.url.clone(),
                });
            }
        }
    }
    aliases
}

/// Why an old URL (without its leading `/`) names no file inside the output folder, with a hint:
/// a `.` or `..` segment, an empty one, or a character a URL path cannot hold as it is. Lengths
/// are checked with every other output path (`resolve/paths.rs`).
fn unwritable(path: &str) -> Option<(String, &'static str)> {
    let inner = path.strip_suffix('/').unwrap_or(path);
    if inner.is_empty() {
        return None;
    }
    let segments: Vec<&str> = inner.split('/').collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Some((
            "may not contain `.` or `..`".to_string(),
            "write the old URL from the site's root, e.g. `/old/path/`",
        ));
    }
    if segments.iter().any(|s| s.is_empty()) {
        return Some((
            "has an empty segment".to_string(),
            "write one `/` between names, e.g. `/old/path/`",
        ));
    }
    if let Some(bad) = inner
        .chars()
        .find(|c| c.is_control() || matches!(c, '\\' | '?' | '#'))
    {
        return Some((
            format!("has {bad:?}, which a URL path cannot hold as it is"),
            "an old URL is a path on this site, without a query or fragment",
        ));
    }
    None
}

/// Adds a redirect for each name alias whose slug no page, section, taxonomy, term, old-URL
/// alias, copied file or generated page has. Runs once taxonomies are collected.
pub(super) fn add_name_redirects(site: &mut Site) {
    let mut taken: HashSet<String> = site
        .sections
        .iter()
        .map(|s| &s.url)
        .chain(site.pages.iter().map(|p| &p.url))
        .chain(site.taxonomies.iter().map(|t| &t.url))
        .chain(
            site.taxonomies
                .iter()
                .flat_map(|t| t.terms.iter().map(|t| &t.url)),
        )
        .chain(site.aliases.iter().map(|a| &a.from))
        .map(Url::output_file)
        .collect();
    taken.extend(site.assets.iter().map(|a| a.output.clone()));
    taken.extend(GENERATED.iter().map(|g| format!("{g}index.html")));

    // Output file → the page each name of that slug belongs to; `None` once two pages share it.
    let mut wanted: HashMap<String, (Url, Option<usize>)> = HashMap::new();
    let mut order = Vec::new();
    for (p, page) in site.pages.iter().enumerate() {
        let section = &site.sections[page.section].url.slug_path;
        for alias in page.doc.front.aliases.iter().filter(|a| !is_url_alias(a)) {
            let slug = segment_slug(alias);
            if slug.is_empty() {
                continue;
            }
            let from = Url::new(&site.config, &format!("{section}{slug}/"));
            let file = from.output_file();
            if taken.contains(&file) {
                continue;
            }
            match wanted.get_mut(&file) {
                Some((_, owner)) if *owner != Some(p) => *owner = None,
                Some(_) => {}
                None => {
                    order.push(file.clone());
                    wanted.insert(file, (from, Some(p)));
                }
            }
        }
    }
    for file in order {
        if let Some((from, Some(p))) = wanted.remove(&file) {
            let to = site.pages[p].url.clone();
            site.aliases.push(Alias { from, to });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_site;

    fn redirects(site: &super::Site) -> Vec<(&str, &str)> {
        site.aliases
            .iter()
            .map(|a| (a.from.path.as_str(), a.to.path.as_str()))
            .collect()
    }

    #[test]
    fn names_redirect_from_their_slug_when_it_is_free() {
        let site = test_site(&[
            (
                "notes/new.md",
                "---\naliases: [Old Name, \"/gone/\", New, Other, \"/notes/new/\"]\n---\n",
            ),
            ("notes/other.md", "---\naliases: Other\n---\n"),
            ("notes/a.md", "---\naliases: [Shared, Graph]\n---\n"),
            ("notes/b.md", "---\naliases: [Shared]\n---\n"),
            ("graph.md", "---\naliases: [Timeline]\n---\n"),
        ]);
        // `New` and `/notes/new/` are the page's own URL, `Other` another page's, `Shared` is
        // wanted by two pages, `Graph` sits in notes/ (free), `Timeline` is the generated
        // timeline's URL.
        assert_eq!(
            redirects(&site),
            [
                ("/gone/", "/notes/new/"),
                ("/notes/old-name/", "/notes/new/"),
                ("/notes/graph/", "/notes/a/"),
            ]
        );
    }
}
