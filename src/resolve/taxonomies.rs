//! Taxonomies: terms collected from front matter (and inline `#tags`), each with its pages.
//!
//! A nested term (`area/history`, as Obsidian nests tags) keeps its slash in its name and gets a
//! nested URL, each segment slugged: `/tags/area/history/`, below `/tags/area/` when that term
//! exists too. Nesting is the one way a term's URL can meet another's pages: a term
//! `area/page/2` has the URL of page 2 of the term `area`, which is reported.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::slug::segment_slug;

use super::{Site, Taxonomy, Term, Url};

/// Most terms one page may have in one taxonomy. Every term page lists its pages with their
/// terms, so the output grows with terms × terms: 20,000 inline `#tags` on one page took
/// gigabytes and many minutes. Far above any real use. A page past the limit is reported and
/// files under none of its terms, so the build that rejects it does none of that work (10,000
/// inline `#tags` took 17 s to be rejected when the first 200 were still listed).
pub(crate) const MAX_TERMS_PER_PAGE: usize = 200;

pub(super) fn collect(site: &mut Site, diagnostics: &mut Vec<Diagnostic>) {
    let config = std::sync::Arc::clone(&site.config);
    for (t, name) in config.taxonomy_names().into_iter().enumerate() {
        // Terms are keyed by slug so `Time management` and `time-management` are one term; the
        // first spelling met names it.
        let mut terms: BTreeMap<String, Term> = BTreeMap::new();
        let taxonomy_slug = format!("{name}/");
        for (p, page) in site.pages.iter().enumerate() {
            let front = page.doc.front.taxonomies.get(name);
            let inline = (name == "tags").then_some(&page.doc.body.tags);
            let count = front.map_or(0, Vec::len) + inline.map_or(0, Vec::len);
            let over = count > MAX_TERMS_PER_PAGE;
            if over {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "`{}` has {count} {name}; a page may have at most {MAX_TERMS_PER_PAGE}",
                        page.doc.path.display()
                    ))
                    .at(super::tree::doc_location(&page.doc, name))
                    .with_hint(format!(
                        "keep the few {name} that group this page with others; inline `#words` \
                         in the text count as tags too"
                    )),
                );
            }
            for term_name in front
                .into_iter()
                .flatten()
                .chain(inline.into_iter().flatten())
                .take(if over { 0 } else { MAX_TERMS_PER_PAGE })
            {
                let slug = term_slug(term_name);
                if slug.is_empty() {
                    continue;
                }
                let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                    name: term_name.trim().to_string(),
                    url: Url::new(&config, &format!("{taxonomy_slug}{slug}/")),
                    slug,
                    pages: Vec::new(),
                });
                // Pages come in order, so a page already listed is the last one.
                if term.pages.last() != Some(&p) {
                    term.pages.push(p);
                }
            }
        }
        let mut terms: Vec<Term> = terms.into_values().collect();
        for term in &mut terms {
            term.pages.sort_by(|&a, &b| {
                let (pa, pb) = (&site.pages[a], &site.pages[b]);
                pb.doc
                    .front
                    .date
                    .cmp(&pa.doc.front.date)
                    .then_with(|| pa.title.cmp(&pb.title))
            });
        }
        for (i, term) in terms.iter().enumerate() {
            for &p in &term.pages {
                site.pages[p].terms.push((t, i));
            }
        }
        check_pagers(site, name, &terms, diagnostics);
        site.taxonomies.push(Taxonomy {
            name: name.to_string(),
            url: Url::new(&config, &taxonomy_slug),
            terms,
        });
    }
}

/// The slug of a term: each `/`-separated segment slugged, empty segments dropped
/// (`Area/History` → `area/history`).
fn term_slug(name: &str) -> String {
    let segments: Vec<String> = name
        .split('/')
        .map(segment_slug)
        .filter(|s| !s.is_empty())
        .collect();
    segments.join("/")
}

/// Reports a nested term whose URL is a later page of another term's listing
/// (`area/page/2` and page 2 of `area`): both would be written to one file.
fn check_pagers(site: &Site, taxonomy: &str, terms: &[Term], diagnostics: &mut Vec<Diagnostic>) {
    let per_page = site.config.taxonomy_per_page(taxonomy);
    let pager = &site.config.pagination.path;
    let by_slug: std::collections::HashMap<&str, &Term> =
        terms.iter().map(|t| (t.slug.as_str(), t)).collect();
    for term in terms {
        // `<other>/<pager>/<n>`: is `n` a page of `other`'s listing?
        let Some((rest, number)) = term.slug.rsplit_once('/') else {
            continue;
        };
        let Some(other) = rest
            .strip_suffix(pager.as_str())
            .and_then(|o| o.strip_suffix('/'))
        else {
            continue;
        };
        let (Some(other), Ok(n)) = (by_slug.get(other), number.parse::<usize>()) else {
            continue;
        };
        if n < 2 || n > other.pages.len().div_ceil(per_page) {
            continue;
        }
        let page = &site.pages[term.pages[0]];
        diagnostics.push(
            Diagnostic::error(format!(
                "the {taxonomy} term `{}` has the URL {}, which is page {n} of the term `{}`",
                term.name, term.url.path, other.name
            ))
            .at(super::tree::doc_item_location(
                &page.doc, taxonomy, &term.name,
            ))
            .with_hint(format!(
                "rename the term; `{pager}/<number>` inside a nested term is where listings \
                 put their later pages"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    /// A page past the limit is reported and files under none of its terms, so no term page
    /// lists it (rejecting 10,000 inline tags used to render 200 term pages first).
    #[test]
    fn a_page_past_the_limit_files_under_no_term() {
        let tags: Vec<String> = (0..1000).map(|i| format!("#t{i}")).collect();
        let texts = [
            (
                "many.md",
                format!("---\ntitle: Many\n---\n{}\n", tags.join(" ")),
            ),
            ("few.md", "---\ntitle: Few\n---\n#t1 #t2\n".to_string()),
        ];
        let files: Vec<(&str, &str)> = texts.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let (site, diagnostics) = crate::resolve::test_resolve(&files);
        let errors: Vec<&str> = diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            errors,
            ["`content/many.md` has 1000 tags; a page may have at most 200"]
        );
        let tags = site.taxonomies.iter().find(|t| t.name == "tags").unwrap();
        let names: Vec<&str> = tags.terms.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["t1", "t2"]);
        assert!(tags.terms.iter().all(|t| t.pages.len() == 1));
    }
}
