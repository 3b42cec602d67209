//! The link graph: which pages link to which, each graph's pages placed in the plane by
//! [`layout`].
//!
//! Edges come from backlinks, which resolve has already checked and deduplicated. Links from a
//! section's `_index.md` are not edges: this is a graph of pages. [`Links`] is built once per
//! build and asked for the site's graph and each page's local graph; [`Layouts`] memoizes their
//! layouts by exact inputs.

mod layout;

use super::{Site, Target};

pub(crate) use layout::{LayoutTable, Layouts, VIEWBOX};

/// Most neighbours a local graph shows; a hub page keeps its best-connected ones.
pub(crate) const LOCAL_NEIGHBOURS: usize = 60;

/// A page in a graph.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// Index into `Site::pages`.
    pub page: usize,
    pub x: f32,
    pub y: f32,
    /// Distinct pages this page links to or is linked from, across the whole site (so a local
    /// graph still shows which neighbours are hubs).
    pub degree: usize,
}

/// Pages and the links between them. Edges are directed (`from` links to `to`), index into
/// `nodes`, are sorted and hold no duplicates and no self-loops.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<(usize, usize)>,
}

impl Graph {
    /// Each linked pair once, smaller node index first: what is drawn as a line.
    pub(crate) fn undirected_edges(&self) -> Vec<(usize, usize)> {
        undirected(&self.edges)
    }
}

/// Who links to whom, page by page: built once per build, then asked for any number of graphs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Links {
    /// Pages each page links to, sorted, distinct.
    outgoing: Vec<Vec<usize>>,
    /// Pages linking to each page, sorted, distinct.
    incoming: Vec<Vec<usize>>,
    degree: Vec<usize>,
}

impl Links {
    /// The page-to-page links of `site`, from its backlinks.
    pub(crate) fn new(site: &Site) -> Links {
        let edges: Vec<(usize, usize)> = site
            .pages
            .iter()
            .enumerate()
            .flat_map(|(to, page)| {
                page.backlinks.iter().filter_map(move |b| match b.from {
                    Target::Page(from) => Some((from, to)),
                    Target::Section(_) => None,
                })
            })
            .collect();
        Links::from_edges(site.pages.len(), &edges)
    }

    /// Links among `pages` pages given as `(from, to)` pairs; duplicates and self-loops dropped.
    pub(crate) fn from_edges(pages: usize, edges: &[(usize, usize)]) -> Links {
        let mut outgoing = vec![Vec::new(); pages];
        let mut incoming = vec![Vec::new(); pages];
        for &(from, to) in edges {
            if from != to && from < pages && to < pages {
                outgoing[from].push(to);
                incoming[to].push(from);
            }
        }
        for list in outgoing.iter_mut().chain(incoming.iter_mut()) {
            list.sort_unstable();
            list.dedup();
        }
        let degree = (0..pages)
            .map(|p| merged(&outgoing[p], &incoming[p]).len())
            .collect();
        Links {
            outgoing,
            incoming,
            degree,
        }
    }

    /// Distinct pages `page` links to or is linked from.
    /// The pages `page` links to, sorted, distinct.
    pub(crate) fn outgoing(&self, page: usize) -> &[usize] {
        &self.outgoing[page]
    }

    pub(crate) fn degree(&self, page: usize) -> usize {
        self.degree[page]
    }

    /// Number of page-to-page links (a pair linking both ways counts twice).
    #[cfg(test)]
    pub(crate) fn link_count(&self) -> usize {
        self.outgoing.iter().map(Vec::len).sum()
    }

    /// Every page, every link, laid out (render asks [`Links::site_graph_in`]).
    #[cfg(test)]
    pub(crate) fn site_graph(&self) -> Graph {
        self.site_graph_in(&Layouts::default())
    }

    /// [`Links::site_graph`], taking the layout from `layouts` when it was computed before.
    pub(crate) fn site_graph_in(&self, layouts: &Layouts) -> Graph {
        let edges: Vec<(usize, usize)> = self
            .outgoing
            .iter()
            .enumerate()
            .flat_map(|(from, to)| to.iter().map(move |&to| (from, to)))
            .collect();
        let positions = layouts.layout(self.outgoing.len(), &edges, None);
        let nodes = positions
            .iter()
            .copied()
            .enumerate()
            .map(|(page, (x, y))| Node {
                page,
                x,
                y,
                degree: self.degree[page],
            })
            .collect();
        Graph { nodes, edges }
    }

    /// `page` (node 0, kept at the centre of the layout), the pages it links to and the pages
    /// linking to it (at most [`LOCAL_NEIGHBOURS`], best connected first), and the links among
    /// them. A page with no links in or out gets a graph of itself alone.
    #[cfg(test)]
    pub(crate) fn local_graph(&self, page: usize) -> Graph {
        self.local_graph_in(page, &Layouts::default())
    }

    /// [`Links::local_graph`], taking the layout from `layouts` when it was computed before.
    pub(crate) fn local_graph_in(&self, page: usize, layouts: &Layouts) -> Graph {
        let mut neighbours = merged(&self.outgoing[page], &self.incoming[page]);
        if neighbours.len() > LOCAL_NEIGHBOURS {
            neighbours.sort_by_key(|&p| (std::cmp::Reverse(self.degree[p]), p));
            neighbours.truncate(LOCAL_NEIGHBOURS);
            neighbours.sort_unstable();
        }
        // Node of a page: 0 for `page`, 1 + position in the sorted `neighbours` otherwise.
        let node_of = |p: usize| {
            if p == page {
                Some(0)
            } else {
                neighbours.binary_search(&p).ok().map(|i| i + 1)
            }
        };
        let members: Vec<usize> = std::iter::once(page)
            .chain(neighbours.iter().copied())
            .collect();
        let mut edges: Vec<(usize, usize)> = members
            .iter()
            .enumerate()
            .flat_map(|(i, &m)| {
                self.outgoing[m]
                    .iter()
                    .filter_map(move |&t| node_of(t).map(|j| (i, j)))
            })
            .collect();
        edges.sort_unstable();
        let positions = layouts.layout(members.len(), &edges, Some(0));
        let nodes = members
            .iter()
            .zip(positions.iter().copied())
            .map(|(&p, (x, y))| Node {
                page: p,
                x,
                y,
                degree: self.degree[p],
            })
            .collect();
        Graph { nodes, edges }
    }
}

/// Every page of the site and every link between pages, laid out.
#[cfg(test)]
fn site_graph(site: &Site) -> Graph {
    Links::new(site).site_graph()
}

/// The neighbourhood of one page, laid out; see [`Links::local_graph`]. To draw many local
/// graphs, build [`Links`] once and ask it instead.
#[cfg(test)]
fn local_graph(site: &Site, page: usize) -> Graph {
    Links::new(site).local_graph(page)
}

/// Union of two sorted, distinct lists, sorted.
fn merged(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

pub(super) fn undirected(edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = edges
        .iter()
        .filter(|(a, b)| a != b)
        .map(|&(a, b)| (a.min(b), a.max(b)))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

#[cfg(test)]
mod tests {
    use super::layout::*;
    use super::*;
    use crate::resolve::test_site as site;

    fn page(site: &Site, title: &str) -> usize {
        site.pages.iter().position(|p| p.title == title).unwrap()
    }

    fn titles(site: &Site, graph: &Graph) -> Vec<String> {
        let mut titles: Vec<String> = graph
            .nodes
            .iter()
            .map(|n| site.pages[n.page].title.clone())
            .collect();
        titles.sort();
        titles
    }

    fn edge_titles(site: &Site, graph: &Graph) -> Vec<(String, String)> {
        let title = |n: usize| site.pages[graph.nodes[n].page].title.clone();
        let mut edges: Vec<_> = graph
            .edges
            .iter()
            .map(|&(a, b)| (title(a), title(b)))
            .collect();
        edges.sort();
        edges
    }

    fn sample() -> Site {
        site(&[
            (
                "a.md",
                "---\ntitle: A\n---\nSee [B](b.md), [B again](b.md), [[C]] and [self](a.md).\n",
            ),
            (
                "b.md",
                "---\ntitle: B\n---\nBack to [A](a.md) and on to [C](c.md).\n",
            ),
            ("c.md", "---\ntitle: C\n---\nNo links.\n"),
            ("d.md", "---\ntitle: D\n---\nOnly [C](c.md).\n"),
            ("e.md", "---\ntitle: E\n---\nAlone.\n"),
            (
                "_index.md",
                "---\ntitle: Home\n---\nSections link [A](a.md) too.\n",
            ),
        ])
    }

    #[test]
    fn site_graph_has_every_page_and_each_link_once() {
        let site = sample();
        let graph = site_graph(&site);
        assert_eq!(titles(&site, &graph), ["A", "B", "C", "D", "E"]);
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            edge_titles(&site, &graph),
            [
                pair("A", "B"),
                pair("A", "C"),
                pair("B", "A"),
                pair("B", "C"),
                pair("D", "C")
            ]
        );
        assert_eq!(graph.undirected_edges().len(), 4);
        let links = Links::new(&site);
        assert_eq!(links.link_count(), 5);
        assert_eq!(links.degree(page(&site, "A")), 2);
        assert_eq!(links.degree(page(&site, "C")), 3);
        assert_eq!(links.degree(page(&site, "E")), 0);
    }

    #[test]
    fn local_graph_holds_the_page_its_links_and_backlinks() {
        let site = sample();
        let d = local_graph(&site, page(&site, "D"));
        assert_eq!(site.pages[d.nodes[0].page].title, "D");
        assert_eq!(titles(&site, &d), ["C", "D"]);
        assert_eq!(d.edges, [(0, 1)]);

        let c = local_graph(&site, page(&site, "C"));
        assert_eq!(titles(&site, &c), ["A", "B", "C", "D"]);
        // Links among the neighbours count too: A and B link each other.
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            edge_titles(&site, &c),
            [
                pair("A", "B"),
                pair("A", "C"),
                pair("B", "A"),
                pair("B", "C"),
                pair("D", "C")
            ]
        );

        let e = local_graph(&site, page(&site, "E"));
        assert_eq!(titles(&site, &e), ["E"]);
        assert!(e.edges.is_empty());
    }

    #[test]
    fn local_graph_of_a_hub_keeps_its_best_connected_neighbours() {
        // Page 0 is linked from 100 pages; pages 1..=10 also link to each other.
        let mut edges: Vec<(usize, usize)> = (1..=100).map(|p| (p, 0)).collect();
        for a in 1..=10 {
            for b in 1..=10 {
                edges.push((a, b));
            }
        }
        let links = Links::from_edges(101, &edges);
        let graph = links.local_graph(0);
        assert_eq!(graph.nodes.len(), LOCAL_NEIGHBOURS + 1);
        for p in 1..=10 {
            assert!(graph.nodes.iter().any(|n| n.page == p), "missing {p}");
        }
    }

    /// A deterministic "random" graph: a linear congruential generator, fixed seed.
    fn scrambled(n: usize, links: usize) -> Vec<(usize, usize)> {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        (0..links).map(|_| (next() % n, next() % n)).collect()
    }

    fn assert_inside(positions: &[(f32, f32)]) {
        for &(x, y) in positions {
            assert!(x.is_finite() && y.is_finite(), "({x}, {y})");
            assert!((0.0..=VIEWBOX).contains(&x), "x = {x}");
            assert!((0.0..=VIEWBOX).contains(&y), "y = {y}");
        }
    }

    #[test]
    fn layout_is_deterministic_and_inside_the_viewbox() {
        let site = sample();
        let first = site_graph(&site);
        let second = site_graph(&site);
        assert_eq!(first, second);
        let positions: Vec<(f32, f32)> = first.nodes.iter().map(|n| (n.x, n.y)).collect();
        assert_inside(&positions);
    }

    #[test]
    fn three_hundred_nodes_lay_out_without_nan_and_spread_out() {
        // Three clusters, some cross links, and 30 isolated nodes (270..300).
        let mut edges = scrambled(90, 200);
        edges.extend(
            scrambled(90, 200)
                .into_iter()
                .map(|(a, b)| (a + 90, b + 90)),
        );
        edges.extend(
            scrambled(90, 150)
                .into_iter()
                .map(|(a, b)| (a + 180, b + 180)),
        );
        edges.extend(scrambled(270, 10));
        let links = Links::from_edges(300, &edges);
        let graph = links.site_graph();
        let positions: Vec<(f32, f32)> = graph.nodes.iter().map(|n| (n.x, n.y)).collect();
        assert_inside(&positions);
        assert_eq!(graph, links.site_graph());
        // Nothing flew away: the layout fills the box rather than collapsing to a dot beside
        // one far-off isolated node.
        let near_centre = positions
            .iter()
            .filter(|(x, y)| (x - 500.0).abs() < 300.0 && (y - 500.0).abs() < 300.0)
            .count();
        assert!(near_centre > 100, "{near_centre} of 300 near the centre");
        // And no two nodes sit on top of each other.
        let mut closest = f32::MAX;
        for (i, a) in positions.iter().enumerate() {
            for b in &positions[i + 1..] {
                closest = closest.min(((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt());
            }
        }
        assert!(closest > 2.0, "closest pair {closest} apart");
    }

    #[test]
    fn tiny_layouts_are_centred() {
        assert_eq!(layout(0, &[], None), []);
        assert_eq!(layout(1, &[], None), [(500.0, 500.0)]);
        let two = layout(2, &[(0, 1), (1, 0)], Some(0));
        assert_inside(&two);
        assert_ne!(two[0], two[1]);
        // Not stretched to the edges: an edge is at most MAX_SCALE units long, give or take.
        let length = ((two[0].0 - two[1].0).powi(2) + (two[0].1 - two[1].1).powi(2)).sqrt();
        assert!(length < 450.0, "{length}");
    }

    /// Run with `cargo test --release -- --ignored --nocapture layout_speed`.
    #[test]
    #[ignore = "a measurement, not a check"]
    fn layout_speed() {
        for n in [1_000, 10_000] {
            let links = Links::from_edges(n, &scrambled(n, n * 3));
            let start = std::time::Instant::now();
            let graph = links.site_graph();
            println!("{n} nodes: {:?}", start.elapsed());
            let positions: Vec<(f32, f32)> = graph.nodes.iter().map(|n| (n.x, n.y)).collect();
            assert_inside(&positions);
        }
    }
}
