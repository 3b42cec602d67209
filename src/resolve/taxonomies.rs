//! Taxonomies: terms collected from front matter (and inline `#tags`), each with its pages.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::slug::slugify;

use super::{Site, Taxonomy, Term, Url};

pub(super) fn collect(site: &mut Site, diagnostics: &mut Vec<Diagnostic>) {
    let _ = diagnostics;
    let config = std::sync::Arc::clone(&site.config);
    for (t, name) in config.taxonomy_names().into_iter().enumerate() {
        // Terms are keyed by slug so `Time management` and `time-management` are one term; the
        // first spelling met names it.
        let mut terms: BTreeMap<String, Term> = BTreeMap::new();
        let taxonomy_slug = format!("{name}/");
        for (p, page) in site.pages.iter().enumerate() {
            let front = page.doc.front.taxonomies.get(name);
            let inline = (name == "tags").then_some(&page.doc.body.tags);
            for term_name in front
                .into_iter()
                .flatten()
                .chain(inline.into_iter().flatten())
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
                if !term.pages.contains(&p) {
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
