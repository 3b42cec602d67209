//! The link graph: which pages link to which, with every page placed in the plane.
//!
//! Readers get the graph as SVG drawn at build time (no JavaScript), so the layout happens here,
//! and it must be deterministic: the same site gives byte-identical output on every build, which
//! keeps `serve` equal to `build` and output diffs quiet. The layout is Fruchterman–Reingold
//! force-directed placement started from a fixed spiral (nodes in breadth-first order, so linked
//! pages start close; no randomness). Repulsion between near nodes is exact but looks only at
//! neighbouring grid cells; repulsion from far nodes is a mean field (nodes nearer the centre
//! push out, Gauss's law style), so a step costs O(n log n) rather than O(n²). A pull toward the
//! centre balances that field, which keeps the density even: disconnected pieces and lone pages
//! stay on the canvas, and dense link clusters cannot pile every node into one grid cell.
//! Coordinates come out normalised to a square [`VIEWBOX`] units wide.
//!
//! Edges come from backlinks, which resolve has already checked and deduplicated. Links from a
//! section's `_index.md` are not edges: this is a graph of pages.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use super::{Site, Target};

/// π(3 − √5): successive points this far apart in angle never line up (sunflower spiral).
const GOLDEN_ANGLE: f64 = 2.399_963_229_728_653;

/// Side of the square the layout is normalised to: every coordinate lies in `0..=VIEWBOX`.
pub(crate) const VIEWBOX: f32 = 1000.0;
/// Most neighbours a local graph shows; a hub page keeps its best-connected ones.
pub(crate) const LOCAL_NEIGHBOURS: usize = 60;

/// Blank border inside the viewBox, in viewBox units, so circles at the edge are not clipped.
const MARGIN: f64 = 50.0;
/// Smallest number of viewBox units per ideal edge length: small graphs stay compact and centred
/// instead of being stretched into the corners.
const MAX_SCALE: f64 = 250.0;
/// Repulsion cut-off (and grid cell size), in ideal edge lengths.
const CUTOFF: f64 = 3.0;
/// Scale of the Fruchterman–Reingold attraction d²/k: below 1, so pages with many links do not
/// crush the rest together.
const ATTRACTION: f64 = 0.25;
/// Most nodes a grid cell should hold (the cut-off shrinks in crowds to keep to it).
const CELL_LIMIT: usize = 16;
/// Strength of the pull toward the centre, proportional to distance; with the far-field
/// repulsion it sets the layout's density.
const GRAVITY: f64 = 3.0;
/// Below this many nodes a step runs on one thread; rayon's overhead would dominate.
const PARALLEL_FROM: usize = 512;
/// Up to this many nodes (every local graph) repulsion visits all pairs: the same force as with
/// the grid, found more cheaply at this size.
const ALL_PAIRS_UP_TO: usize = 128;

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

/// What a layout is computed from: node count, edges, pinned node.
type LayoutKey = (usize, Vec<(usize, usize)>, Option<usize>);

/// Layouts computed by one render, by their exact inputs.
pub(crate) type LayoutTable = HashMap<LayoutKey, Arc<[(f32, f32)]>>;

/// Layouts of this render, reusing the previous render's for identical inputs: [`layout`] is a
/// pure function of its inputs, so a reused layout is the layout. `steppe serve` keeps the table
/// between rebuilds, so an edit that leaves the link graph alone skips the site-wide layout.
#[derive(Default)]
pub(crate) struct Layouts {
    previous: Option<Arc<LayoutTable>>,
    current: Mutex<LayoutTable>,
}

impl Layouts {
    pub(crate) fn new(previous: Option<Arc<LayoutTable>>) -> Layouts {
        Layouts {
            previous,
            current: Mutex::default(),
        }
    }

    fn layout(
        &self,
        n: usize,
        edges: &[(usize, usize)],
        pinned: Option<usize>,
    ) -> Arc<[(f32, f32)]> {
        let key = (n, edges.to_vec(), pinned);
        let found = self.previous.as_ref().and_then(|t| t.get(&key)).cloned();
        let positions = found.unwrap_or_else(|| layout(n, edges, pinned).into());
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, Arc::clone(&positions));
        positions
    }

    /// The layouts this render used, for the next one.
    pub(crate) fn into_table(self) -> LayoutTable {
        self.current
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
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

fn undirected(edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = edges
        .iter()
        .filter(|(a, b)| a != b)
        .map(|&(a, b)| (a.min(b), a.max(b)))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Positions of `n` nodes joined by `edges` (node indices, direction ignored), inside
/// `0..=VIEWBOX`. `pinned` stays at the centre of the forces (a local graph's own page).
///
/// Works in units of the ideal edge length; only the final step scales to the viewBox.
pub(crate) fn layout(n: usize, edges: &[(usize, usize)], pinned: Option<usize>) -> Vec<(f32, f32)> {
    let centre = VIEWBOX / 2.0;
    match n {
        0 => return Vec::new(),
        1 => return vec![(centre, centre)],
        _ => {}
    }
    let pairs: Vec<(usize, usize)> = undirected(edges)
        .into_iter()
        .filter(|&(_, b)| b < n)
        .collect();
    let mut pos = spiral(n, &pairs, pinned);
    let iterations = iterations(n);
    // Start hot enough to cross the initial spiral, cool linearly.
    let radius = 0.6 * (n as f64).sqrt();
    let start = 0.1 * radius + 0.5;
    let mut grid = Grid {
        cell: CUTOFF,
        ..Grid::default()
    };
    let (mut radius2, mut by_radius) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for step in 0..iterations {
        let temperature = start * (1.0 - step as f64 / iterations as f64) + 0.01;
        // Centre of the forces: the pinned node, else the centroid (a lopsided start must not
        // leave the layout circling an empty point).
        let centre = match pinned {
            Some(p) => pos[p],
            None => {
                let (sx, sy) = pos.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
                (sx / n as f64, sy / n as f64)
            }
        };
        radius2.clear();
        radius2.extend(pos.iter().map(|p| {
            let (x, y) = (p.0 - centre.0, p.1 - centre.1);
            x * x + y * y
        }));
        by_radius.clear();
        by_radius.extend(0..n);
        by_radius.sort_unstable_by(|&a, &b| radius2[a].total_cmp(&radius2[b]).then(a.cmp(&b)));
        let mut disp: Vec<(f64, f64)> = if n <= ALL_PAIRS_UP_TO {
            (0..n).map(|v| all_pairs_repulsion(&pos, v)).collect()
        } else {
            // Links can crowd nodes denser than the mean field allows for; the cut-off then
            // shrinks until no cell holds more than CELL_LIMIT nodes, which bounds the work.
            // Start from the last step's cut-off, let it grow back slowly: usually one fill.
            let cell = CUTOFF.min(grid.cell * 1.05).max(1e-6);
            grid.fill(&pos, cell);
            let crowd = grid.most_crowded();
            if crowd > CELL_LIMIT {
                grid.fill(&pos, cell * (CELL_LIMIT as f64 / crowd as f64).sqrt());
            }
            let repel = |v: usize| grid.repulsion(&pos, v);
            if n >= PARALLEL_FROM {
                (0..n).into_par_iter().map(repel).collect()
            } else {
                (0..n).map(repel).collect()
            }
        };
        // Repulsion from afar, as if every node were spread evenly in rings about the centre: by
        // Gauss's law a 1/d force from such a crowd is the number of nodes nearer the centre over
        // the distance, pointing out. Against a gravity proportional to distance this holds the
        // layout at an even density (about GRAVITY/π nodes per unit area), however dense the
        // links, so the grid's cells stay small and isolated nodes stay among the rest.
        for (inside, &v) in by_radius.iter().enumerate() {
            if radius2[v] > 1e-12 {
                let f = inside as f64 / radius2[v];
                disp[v].0 += (pos[v].0 - centre.0) * f;
                disp[v].1 += (pos[v].1 - centre.1) * f;
            }
        }
        for &(a, b) in &pairs {
            let dx = pos[a].0 - pos[b].0;
            let dy = pos[a].1 - pos[b].1;
            // Fruchterman–Reingold attraction d²/k, k = 1: along the edge, d·(dx, dy).
            let d = ATTRACTION * (dx * dx + dy * dy).sqrt();
            disp[a].0 -= dx * d;
            disp[a].1 -= dy * d;
            disp[b].0 += dx * d;
            disp[b].1 += dy * d;
        }
        for (v, (p, d)) in pos.iter_mut().zip(&mut disp).enumerate() {
            if Some(v) == pinned {
                *p = (0.0, 0.0);
                continue;
            }
            d.0 -= GRAVITY * (p.0 - centre.0);
            d.1 -= GRAVITY * (p.1 - centre.1);
            let length = (d.0 * d.0 + d.1 * d.1).sqrt();
            if length > 1e-12 {
                let step = length.min(temperature) / length;
                p.0 += d.0 * step;
                p.1 += d.1 * step;
            }
        }
    }
    normalise(&pos)
}

/// Steps of the simulation: enough for small graphs to settle, fewer for huge ones, whose
/// breadth-first spiral start is already close and whose steps cost more.
fn iterations(n: usize) -> usize {
    match n {
        0..=2000 => 300,
        _ => (300 * 2000 / n).max(100),
    }
}

/// Starting positions on a sunflower spiral about the origin: nodes in breadth-first order from
/// the best-connected one, so linked nodes start near each other; `pinned` first, at the centre.
fn spiral(n: usize, pairs: &[(usize, usize)], pinned: Option<usize>) -> Vec<(f64, f64)> {
    let mut adjacency = vec![Vec::new(); n];
    for &(a, b) in pairs {
        adjacency[a].push(b);
        adjacency[b].push(a);
    }
    let mut seeds: Vec<usize> = (0..n).collect();
    seeds.sort_by_key(|&v| (Some(v) != pinned, std::cmp::Reverse(adjacency[v].len()), v));
    let mut rank = vec![usize::MAX; n];
    let mut queue = std::collections::VecDeque::new();
    let mut next = 0;
    for seed in seeds {
        if rank[seed] != usize::MAX {
            continue;
        }
        rank[seed] = next;
        next += 1;
        queue.push_back(seed);
        while let Some(v) = queue.pop_front() {
            for &u in &adjacency[v] {
                if rank[u] == usize::MAX {
                    rank[u] = next;
                    next += 1;
                    queue.push_back(u);
                }
            }
        }
    }
    rank.iter()
        .map(|&r| {
            let radius = 0.6 * (r as f64 + 0.5).sqrt();
            let angle = r as f64 * GOLDEN_ANGLE;
            (radius * angle.cos(), radius * angle.sin())
        })
        .collect()
}

/// Repulsion on `v`, looking at every other node; see [`push`].
fn all_pairs_repulsion(pos: &[(f64, f64)], v: usize) -> (f64, f64) {
    let (x, y) = pos[v];
    let mut force = (0.0, 0.0);
    for (u, &(ux, uy)) in pos.iter().enumerate() {
        if u != v {
            let (fx, fy) = push(v, x - ux, y - uy, CUTOFF);
            force.0 += fx;
            force.1 += fy;
        }
    }
    force
}

/// Fruchterman–Reingold repulsion k²/d on a node from one at offset `(-dx, -dy)`, scaled by
/// 1 − (d/cutoff)² so it fades to nothing at `cutoff` instead of jumping. Nodes on the same spot
/// part along a direction fixed by `v`, the node's index.
fn push(v: usize, dx: f64, dy: f64, cutoff: f64) -> (f64, f64) {
    let d2 = dx * dx + dy * dy;
    if d2 >= cutoff * cutoff {
        return (0.0, 0.0);
    }
    if d2 < 1e-12 {
        let angle = v as f64 * GOLDEN_ANGLE;
        return (angle.cos(), angle.sin());
    }
    let d = d2.sqrt();
    let f = (1.0 / d) * (1.0 - d2 / (cutoff * cutoff)) / d;
    (dx * f, dy * f)
}

/// Nodes bucketed by grid cell (as wide as the repulsion cut-off), so repulsion only looks at the 3×3 cells
/// around a node. Buckets are node indices sorted by cell, then index: summation order, and so
/// the result, does not depend on hashing.
#[derive(Default)]
struct Grid {
    /// Cell side, and the repulsion cut-off.
    cell: f64,
    cell_of: Vec<(i64, i64)>,
    order: Vec<usize>,
    cells: HashMap<(i64, i64), (usize, usize)>,
}

impl Grid {
    fn fill(&mut self, pos: &[(f64, f64)], cell: f64) {
        self.cell = cell;
        self.cell_of.clear();
        self.cell_of.extend(
            pos.iter()
                .map(|&(x, y)| ((x / cell).floor() as i64, (y / cell).floor() as i64)),
        );
        self.order.clear();
        self.order.extend(0..pos.len());
        let cell_of = &self.cell_of;
        self.order.sort_unstable_by_key(|&v| (cell_of[v], v));
        self.cells.clear();
        let mut start = 0;
        for i in 1..=self.order.len() {
            let cell = self.cell_of[self.order[start]];
            if i == self.order.len() || self.cell_of[self.order[i]] != cell {
                self.cells.insert(cell, (start, i));
                start = i;
            }
        }
    }

    /// Repulsion on `v` from the nodes closer than the cell side; see [`push`].
    fn most_crowded(&self) -> usize {
        self.cells.values().map(|&(a, b)| b - a).max().unwrap_or(0)
    }

    fn repulsion(&self, pos: &[(f64, f64)], v: usize) -> (f64, f64) {
        let (cx, cy) = self.cell_of[v];
        let (x, y) = pos[v];
        let mut force = (0.0, 0.0);
        for dy in -1..=1 {
            for dx in -1..=1 {
                let Some(&(start, end)) = self.cells.get(&(cx + dx, cy + dy)) else {
                    continue;
                };
                for &u in &self.order[start..end] {
                    if u != v {
                        let (fx, fy) = push(v, x - pos[u].0, y - pos[u].1, self.cell);
                        force.0 += fx;
                        force.1 += fy;
                    }
                }
            }
        }
        force
    }
}

/// Scales positions uniformly into the viewBox, centred, with [`MARGIN`] all round.
fn normalise(pos: &[(f64, f64)]) -> Vec<(f32, f32)> {
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in pos {
        min_x = min_x.min(x);
        min_y = min_y.min(y);
        max_x = max_x.max(x);
        max_y = max_y.max(y);
    }
    let span = (max_x - min_x).max(max_y - min_y);
    let room = f64::from(VIEWBOX) - 2.0 * MARGIN;
    let scale = if span > 1e-9 {
        (room / span).min(MAX_SCALE)
    } else {
        0.0
    };
    let (mid_x, mid_y) = ((min_x + max_x) / 2.0, (min_y + max_y) / 2.0);
    let centre = f64::from(VIEWBOX) / 2.0;
    pos.iter()
        .map(|&(x, y)| {
            (
                (centre + (x - mid_x) * scale) as f32,
                (centre + (y - mid_y) * scale) as f32,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
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
