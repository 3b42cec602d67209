//! The link graph drawn as inline SVG at build time, so it works without JavaScript.
//!
//! Every node is a link to its page with a `<title>` naming it. What keeps a graph of hundreds of
//! pages readable is restraint with labels: only the current page, its neighbours (in a local
//! graph) or the best-connected pages (in the site graph) get a visible label, placed greedily so
//! no two labels overlap; every other label is in the SVG but shown only on hover or keyboard
//! focus. Colours and strokes are left to CSS classes (`graph-node`, `graph-edge`,
//! `graph-current`, `kind-*`) so themes can follow light and dark mode with custom properties.
//!
//! Sizes are chosen in CSS pixels for the width the graph is meant to be shown at (`size`), then
//! converted to viewBox units, so text and circles look the same whatever the node count.

use std::fmt::Write;

use crate::resolve::Site;
use crate::resolve::graph::{Graph, VIEWBOX};

/// Width, in CSS pixels, a page's local graph is drawn for.
pub(crate) const LOCAL_SIZE: f32 = 420.0;

/// Width, in CSS pixels, the site graph is drawn for: the content width up to ~400 pages, then
/// growing so nodes keep their spacing (the page scrolls it).
pub(crate) fn site_size(nodes: usize) -> f32 {
    (50.0 * (nodes as f32).sqrt()).clamp(1000.0, 8000.0)
}

/// Label font size in CSS pixels.
const FONT_PX: f32 = 13.0;
/// Labels longer than this many characters are cut, with an ellipsis; the `<title>` has it all.
const LABEL_CHARS: usize = 28;

/// The graph as an `<svg>` element. `current` is the page (index into `site.pages`) whose local
/// graph this is, or `None` for the site graph.
pub(crate) fn svg(site: &Site, graph: &Graph, current: Option<usize>, size: f32) -> String {
    let units = VIEWBOX / size; // viewBox units per CSS pixel
    let font = FONT_PX * units;
    let n = graph.nodes.len();
    let (id, class, title) = match current {
        Some(page) => (
            "graph-local-title",
            "graph graph-local",
            format!(
                "Pages linked with “{}”: {}",
                site.pages[page].title,
                n.saturating_sub(1)
            ),
        ),
        None => (
            "graph-site-title",
            if size > 1000.0 {
                "graph graph-site graph-large"
            } else {
                "graph graph-site"
            },
            format!(
                "Link graph of {}: {n} page{}, {} link{}",
                site.config.title,
                plural(n),
                graph.edges.len(),
                plural(graph.edges.len())
            ),
        ),
    };
    // Circles: bigger with more links, but never so big that neighbours overlap.
    let spacing_px = size / (n.max(1) as f32).sqrt();
    let (base_px, max_px) = match current {
        Some(_) => (5.0, 13.0),
        None => (3.0, (spacing_px * 0.3).clamp(4.0, 14.0)),
    };
    let radius = |degree: usize| (base_px + 1.4 * (degree as f32).sqrt()).min(max_px) * units;

    let current_node = current.and_then(|p| graph.nodes.iter().position(|node| node.page == p));
    let labelled = choose_labels(site, graph, current_node, current.is_some(), font, &radius);

    let mut out = String::with_capacity(200 + graph.nodes.len() * 160 + graph.edges.len() * 60);
    let _ = write!(
        out,
        r#"<svg class="{class}" role="group" viewBox="0 0 {vb} {vb}" width="{w}" height="{w}" font-size="{font}" aria-labelledby="{id}"><title id="{id}">{title}</title>"#,
        vb = num(VIEWBOX),
        w = num(size),
        font = num(font),
        title = escape(&title),
    );
    out.push_str(r#"<g class="graph-edges">"#);
    for (a, b) in graph.undirected_edges() {
        let (na, nb) = (&graph.nodes[a], &graph.nodes[b]);
        let touches_current = current_node.is_some_and(|c| c == a || c == b);
        let _ = write!(
            out,
            r#"<line class="graph-edge{}" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
            if touches_current {
                " graph-edge-current"
            } else {
                ""
            },
            num(na.x),
            num(na.y),
            num(nb.x),
            num(nb.y)
        );
    }
    out.push_str("</g><g class=\"graph-nodes\">");
    // Drawn last is on top: plain nodes, then labelled ones, then the current page.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (Some(i) == current_node, labelled[i].is_some(), i));
    for i in order {
        let node = &graph.nodes[i];
        let page = &site.pages[node.page];
        let r = radius(node.degree);
        let kind = page.kind.as_str();
        let is_current = Some(i) == current_node;
        if is_current {
            let _ = write!(
                out,
                r#"<g class="graph-node graph-current kind-{kind}"><title>{} (this page)</title>"#,
                escape(&page.title)
            );
        } else {
            let _ = write!(
                out,
                r#"<a class="graph-node kind-{kind}" href="{}"><title>{}</title>"#,
                escape(&page.url.path),
                escape(&page.title)
            );
        }
        let _ = write!(
            out,
            r#"<circle cx="{}" cy="{}" r="{}"/>"#,
            num(node.x),
            num(node.y),
            num(r)
        );
        let label = labelled[i].unwrap_or_else(|| place_label(node, r, font));
        let _ = write!(
            out,
            r#"<text class="graph-label{}" x="{}" y="{}"{}>{}</text>"#,
            if labelled[i].is_some() {
                ""
            } else {
                " graph-label-hover"
            },
            num(label.x),
            num(node.y + font * 0.35),
            match (label.end, labelled[i].is_some()) {
                (true, true) => r#" text-anchor="end""#,
                (true, false) => r#" text-anchor="end" visibility="hidden""#,
                (false, true) => "",
                (false, false) => r#" visibility="hidden""#,
            },
            escape(&label_text(&page.title))
        );
        out.push_str(if is_current { "</g>" } else { "</a>" });
    }
    out.push_str("</g></svg>");
    out
}

/// Where a node's label goes: its x and whether it ends there (left of the node) or starts there.
#[derive(Debug, Clone, Copy)]
struct Label {
    x: f32,
    end: bool,
}

/// Right of the node, or left of it when that would run off the viewBox.
fn place_label(node: &crate::resolve::graph::Node, r: f32, font: f32) -> Label {
    let width = label_width(font, 0);
    let gap = r + font * 0.35;
    if node.x + gap + width > VIEWBOX && node.x - gap - width >= 0.0 {
        Label {
            x: node.x - gap,
            end: true,
        }
    } else {
        Label {
            x: node.x + gap,
            end: false,
        }
    }
}

/// Estimated width of a label: most titles are shorter than the cut, so measure them.
fn label_width(font: f32, chars: usize) -> f32 {
    let chars = if chars == 0 { LABEL_CHARS } else { chars };
    chars as f32 * font * 0.56
}

/// Which nodes show their label: the current page always; then, best connected first, its
/// neighbours (local graph) or up to a budget of pages (site graph), skipping any label that
/// would overlap one already placed.
fn choose_labels(
    site: &Site,
    graph: &Graph,
    current_node: Option<usize>,
    local: bool,
    font: f32,
    radius: &dyn Fn(usize) -> f32,
) -> Vec<Option<Label>> {
    let n = graph.nodes.len();
    let budget = if local { n } else { (n / 6).clamp(10, 150) };
    let mut candidates: Vec<usize> = (0..n)
        .filter(|&i| local || graph.nodes[i].degree > 0)
        .collect();
    candidates.sort_by_key(|&i| {
        (
            Some(i) != current_node,
            std::cmp::Reverse(graph.nodes[i].degree),
            i,
        )
    });
    let mut placed: Vec<[f32; 4]> = Vec::new();
    let mut labels = vec![None; n];
    let height = font * 1.2;
    for i in candidates {
        if placed.len() >= budget {
            break;
        }
        let node = &graph.nodes[i];
        let r = radius(node.degree);
        let chars = label_text(&site.pages[node.page].title).chars().count();
        let width = label_width(font, chars);
        let gap = r + font * 0.35;
        let right = [
            node.x + gap,
            node.y - height / 2.0,
            node.x + gap + width,
            node.y + height / 2.0,
        ];
        let left = [node.x - gap - width, right[1], node.x - gap, right[3]];
        let fits = |b: &[f32; 4]| {
            b[0] >= 0.0
                && b[2] <= VIEWBOX
                && !placed
                    .iter()
                    .any(|p| b[0] < p[2] && p[0] < b[2] && b[1] < p[3] && p[1] < b[3])
        };
        let is_current = Some(i) == current_node;
        let choice = if fits(&right) {
            Some((right, false))
        } else if fits(&left) {
            Some((left, true))
        } else if is_current {
            Some((right, false))
        } else {
            None
        };
        if let Some((bounds, end)) = choice {
            placed.push(bounds);
            labels[i] = Some(Label {
                x: if end { bounds[2] } else { bounds[0] },
                end,
            });
        }
    }
    labels
}

fn label_text(title: &str) -> String {
    if title.chars().count() <= LABEL_CHARS {
        title.to_string()
    } else {
        let cut: String = title.chars().take(LABEL_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A coordinate rounded to one decimal, without a trailing `.0` or a negative zero.
fn num(value: f32) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == 0.0 {
        "0".to_string()
    } else if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

use crate::escape::markup as escape;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::graph::Links;
    use crate::resolve::test_site;

    fn sample() -> Site {
        test_site(&[
            (
                "a.md",
                "---\ntitle: 'Fish & \"Chips\" <b>'\n---\nSee [B](b.md).\n",
            ),
            (
                "b.md",
                "---\ntitle: B\n---\nBack to [A](a.md), on to [C](c.md).\n",
            ),
            ("c.md", "---\ntitle: C\n---\nNone.\n"),
            ("d.md", "---\ntitle: D\n---\nAlone.\n"),
        ])
    }

    fn page(site: &Site, title: &str) -> usize {
        site.pages.iter().position(|p| p.title == title).unwrap()
    }

    #[test]
    fn site_graph_links_every_page_and_escapes_titles() {
        let site = sample();
        let graph = Links::new(&site).site_graph();
        let svg = svg(&site, &graph, None, site_size(graph.nodes.len()));
        assert!(
            svg.starts_with(
                r#"<svg class="graph graph-site" role="group" viewBox="0 0 1000 1000""#
            ),
            "{svg}"
        );
        assert!(svg.contains(r#"aria-labelledby="graph-site-title"><title id="graph-site-title">Link graph of My steppe site: 4 pages, 3 links</title>"#), "{svg}");
        for path in ["/a/", "/b/", "/c/", "/d/"] {
            assert!(
                svg.contains(&format!(r#"href="{path}""#)),
                "{path} in {svg}"
            );
        }
        assert_eq!(svg.matches("<line ").count(), 2, "{svg}");
        assert!(
            svg.contains("<title>Fish &amp; &quot;Chips&quot; &lt;b&gt;</title>"),
            "{svg}"
        );
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(!svg.contains("graph-current"), "{svg}");
        assert_eq!(svg, super::svg(&site, &graph, None, site_size(4)));
    }

    #[test]
    fn local_graph_marks_the_current_page_and_labels_neighbours() {
        let site = sample();
        let b = page(&site, "B");
        let graph = Links::new(&site).local_graph(b);
        let svg = svg(&site, &graph, Some(b), LOCAL_SIZE);
        assert!(
            svg.contains(
                r#"<g class="graph-node graph-current kind-note"><title>B (this page)</title>"#
            ),
            "{svg}"
        );
        assert!(!svg.contains(r#"href="/b/""#), "{svg}");
        assert!(
            svg.contains(r#"href="/a/""#) && svg.contains(r#"href="/c/""#),
            "{svg}"
        );
        assert!(!svg.contains(r#"href="/d/""#), "{svg}");
        assert_eq!(svg.matches("graph-edge-current").count(), 2, "{svg}");
        assert!(
            !svg.contains("graph-label-hover"),
            "every neighbour is labelled: {svg}"
        );
        assert!(
            svg.contains(">Fish &amp; &quot;Chips&quot; &lt;b&gt;</text>"),
            "{svg}"
        );
    }

    #[test]
    fn numbers_are_compact() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.04), "12");
        assert_eq!(num(12.06), "12.1");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(999.95), "1000");
    }

    #[test]
    fn long_labels_are_cut() {
        assert_eq!(label_text("Short"), "Short");
        let long = "A very long title that goes on and on";
        let cut = label_text(long);
        assert!(
            cut.ends_with('…') && cut.chars().count() <= LABEL_CHARS,
            "{cut}"
        );
    }
}
