//! Related pages: other pages ranked by how much they share with a page (a direct link either
//! way, common link targets, common taxonomy terms).
//!
//! Scores are accumulated through inverted lists (term → pages, target → linkers), so the cost
//! grows with the number of shared items, not with the square of the number of pages.

use std::collections::HashMap;

use super::{Site, Target};

/// How many related pages each page gets.
const RELATED: usize = 5;

pub(super) fn collect(site: &mut Site) {
    let count = site.pages.len();
    // outgoing[p]: pages p links to; derived from the backlinks resolve already collected.
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (target, page) in site.pages.iter().enumerate() {
        for backlink in &page.backlinks {
            if let Target::Page(from) = backlink.from {
                outgoing[from].push(target);
            }
        }
    }
    let mut linkers: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (from, targets) in outgoing.iter().enumerate() {
        for &t in targets {
            linkers[t].push(from);
        }
    }
    let mut related = Vec::with_capacity(count);
    for p in 0..count {
        let mut score: HashMap<usize, u32> = HashMap::new();
        for &q in outgoing[p].iter().chain(&linkers[p]) {
            *score.entry(q).or_default() += 3;
        }
        for &t in &outgoing[p] {
            for &q in &linkers[t] {
                *score.entry(q).or_default() += 1;
            }
        }
        for &(taxonomy, term) in &site.pages[p].terms {
            for &q in &site.taxonomies[taxonomy].terms[term].pages {
                *score.entry(q).or_default() += 1;
            }
        }
        score.remove(&p);
        let mut ranked: Vec<(usize, u32)> = score.into_iter().collect();
        ranked.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| site.pages[a.0].title.cmp(&site.pages[b.0].title))
                .then_with(|| a.0.cmp(&b.0))
        });
        related.push(ranked.into_iter().take(RELATED).map(|(q, _)| q).collect());
    }
    for (page, related) in site.pages.iter_mut().zip(related) {
        page.related = related;
    }
}
