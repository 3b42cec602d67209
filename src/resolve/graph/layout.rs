//! The force-directed layout of a graph, and the memo of layouts.
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

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use super::undirected;

/// π(3 − √5): successive points this far apart in angle never line up (sunflower spiral).
const GOLDEN_ANGLE: f64 = 2.399_963_229_728_653;

/// Side of the square the layout is normalised to: every coordinate lies in `0..=VIEWBOX`.
pub(crate) const VIEWBOX: f32 = 1000.0;
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

    pub(super) fn layout(
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
