//! Related pages: other pages ranked by how much they share with a page (a direct link either
//! way, common link targets, common taxonomy terms).
//!
//! Scores are accumulated through inverted lists (term → pages, target → linkers), so the cost
//! grows with the number of shared items, not with the square of the number of pages.

use rayon::prelude::*;

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
    // Ties are broken by title, then by page index: compare ranks, not strings.
    let mut by_title: Vec<usize> = (0..count).collect();
    by_title.sort_by(|&a, &b| {
        site.pages[a]
            .title
            .cmp(&site.pages[b].title)
            .then(a.cmp(&b))
    });
    let mut title_rank = vec![0; count];
    for (rank, &p) in by_title.iter().enumerate() {
        title_rank[p] = rank;
    }
    let shared = &*site;
    let related: Vec<Vec<usize>> = (0..count)
        .into_par_iter()
        .map_init(
            || Scores::new(count),
            |scores, p| {
                for &q in outgoing[p].iter().chain(&linkers[p]) {
                    scores.add(q, 3);
                }
                for &t in &outgoing[p] {
                    for &q in &linkers[t] {
                        scores.add(q, 1);
                    }
                }
                for &(taxonomy, term) in &shared.pages[p].terms {
                    for &q in &shared.taxonomies[taxonomy].terms[term].pages {
                        scores.add(q, 1);
                    }
                }
                scores.top(p, |q, score| (std::cmp::Reverse(score), title_rank[q]))
            },
        )
        .collect();
    for (page, related) in site.pages.iter_mut().zip(related) {
        page.related = related;
    }
}

/// Scores of one page's candidates: a dense table reused from page to page, and the pages
/// touched, so clearing costs what filling did.
struct Scores {
    score: Vec<u32>,
    touched: Vec<usize>,
}

impl Scores {
    fn new(count: usize) -> Scores {
        Scores {
            score: vec![0; count],
            touched: Vec::new(),
        }
    }

    fn add(&mut self, page: usize, points: u32) {
        if self.score[page] == 0 {
            self.touched.push(page);
        }
        self.score[page] += points;
    }

    /// The [`RELATED`] best pages other than `page`, best first by `key` (smallest first), and
    /// a clean table for the next page.
    fn top<K: Ord>(&mut self, page: usize, key: impl Fn(usize, u32) -> K) -> Vec<usize> {
        let mut ranked: Vec<(K, usize)> = self
            .touched
            .iter()
            .filter(|&&q| q != page)
            .map(|&q| (key(q, self.score[q]), q))
            .collect();
        for &q in &self.touched {
            self.score[q] = 0;
        }
        self.touched.clear();
        if ranked.len() > RELATED {
            ranked.select_nth_unstable_by(RELATED - 1, |a, b| a.0.cmp(&b.0));
            ranked.truncate(RELATED);
        }
        ranked.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // Collected from a borrow: an in-place collect would keep the whole buffer alive.
        ranked.iter().map(|&(_, q)| q).collect()
    }
}
