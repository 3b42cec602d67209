//! Taxonomies: terms collected from front matter (and inline `#tags`), each with its pages.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::slug::slugify;

use super::{Site, Taxonomy, Term, Url};

/// Most terms one page may have in one taxonomy. Every term page lists its pages with their
/// terms, so the output grows with terms × terms: 20,000 inline `#tags` on one page took
/// gigabytes and many minutes. Far above any real use.
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
            if count > MAX_TERMS_PER_PAGE {
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
                .take(MAX_TERMS_PER_PAGE)
            {
                let slug = slugify(term_name);
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
        site.taxonomies.push(Taxonomy {
            name: name.to_string(),
            url: Url::new(&config, &taxonomy_slug),
            terms,
        });
    }
}
