//! What templates see. Views borrow from the [`Site`]; nothing here clones the site per page, and
//! each output's context holds only what that output shows.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::Config;
use crate::parse::markdown::{LinkKind, MERMAID_OPEN, Rendered};
use crate::parse::{Date, TocEntry};
use crate::resolve::{Page, Section, Site, Target, Term, page_terms};

use super::timeline::EraView;

/// A link to another page: enough to show its title and link to it.
#[derive(Serialize)]
pub(crate) struct Link<'a> {
    /// Title of the page or section.
    pub title: &'a str,
    /// Root-relative URL, with the base path.
    pub path: &'a str,
}

#[derive(Serialize)]
pub(crate) struct TermView<'a> {
    /// The term as first written (`Small teams`).
    pub name: &'a str,
    /// URL-safe form (`small-teams`).
    pub slug: &'a str,
    /// Root-relative URL of the term page.
    pub path: &'a str,
    /// Absolute URL of the term page.
    pub permalink: &'a str,
}

impl<'a> TermView<'a> {
    fn new(term: &'a Term) -> TermView<'a> {
        TermView {
            name: &term.name,
            slug: &term.slug,
            path: &term.url.path,
            permalink: &term.url.permalink,
        }
    }
}

#[derive(Serialize)]
pub(crate) struct BacklinkView<'a> {
    /// Title of the linking page.
    pub title: &'a str,
    /// Root-relative URL of the linking page.
    pub path: &'a str,
    /// Plain text of the sentence or list item holding the link.
    pub context: &'a str,
}

/// A page as its own template sees it.
#[derive(Serialize)]
pub(crate) struct PageView<'a> {
    /// Front matter `title`, else the file name.
    pub title: &'a str,
    /// Front matter `description`, or none.
    pub description: Option<&'a str>,
    /// Publication date as RFC 3339 text, or none.
    pub date: Option<Date>,
    /// Last update as RFC 3339 text, or none.
    pub updated: Option<Date>,
    /// Root-relative URL, with the base path (`/essays/x/`).
    pub path: &'a str,
    /// Absolute URL.
    pub permalink: &'a str,
    /// The body as HTML, every link resolved (print with `| safe`).
    pub content: std::borrow::Cow<'a, str>,
    /// HTML before `<!-- more -->`, else the first paragraph; past 2 KB, its first words as text.
    pub summary: &'a str,
    /// Table of contents: `[{level, id, title, children}]`.
    pub toc: &'a [TocEntry],
    /// Words in the body text.
    pub word_count: usize,
    /// Minutes, at `markdown.words_per_minute`, at least 1.
    pub reading_time: usize,
    /// `essay`, `case-study`, `checklist` or `note`.
    pub kind: &'static str,
    /// Terms by taxonomy name: `{tags: [{name, slug, path, permalink}]}`.
    pub taxonomies: BTreeMap<&'a str, Vec<TermView<'a>>>,
    /// Front matter `extra`, free-form, with every front matter key steppe does not know
    /// (`page.extra.created`); a key written under `extra` wins.
    pub extra: &'a serde_json::Value,
    /// Front matter `cssclasses`: class names for the page's `<article>` element.
    pub cssclasses: &'a [String],
    /// Case studies: `{start, end, label}`: signed years (negative is BCE) and the span as text (`550–330 BCE`), or none.
    pub era: Option<EraView>,
    /// Case studies: where it happened, or none.
    pub region: Option<&'a str>,
    /// Case studies: people involved.
    pub people: &'a [String],
    /// Case studies: strength pages named in front matter, as `{title, path}`.
    pub strengths: Vec<Link<'a>>,
    /// Case studies: sources, as written.
    pub sources: &'a [String],
    /// The section holding the page: `{title, path}`.
    pub section: Option<Link<'a>>,
    /// Sections from the home page down to the page's own: `[{title, path}]`.
    pub ancestors: Vec<Link<'a>>,
    /// The page listed before this one in its section, or none.
    pub previous: Option<Link<'a>>,
    /// The page listed after this one in its section, or none.
    pub next: Option<Link<'a>>,
    /// Pages linking here: `[{title, path, context}]`.
    pub backlinks: Vec<BacklinkView<'a>>,
    /// Pages sharing the most links and terms: `[{title, path}]`, best first.
    pub related: Vec<Link<'a>>,
    /// The page's local link graph as SVG markup; `None` when no page links to or from it.
    pub graph: Option<String>,
    /// The body, or a note it embeds, has a ```` ```mermaid ```` diagram: load the diagram script.
    pub has_mermaid: bool,
    /// Root-relative URLs of the pages this page's body links to, each of which has a link
    /// preview: `_preview/` below the base path, then the page's output file
    /// (`/essays/x/` → `/_preview/essays/x/index.html`). Empty without previews.
    pub previews: Vec<&'a str>,
}

/// `graph` on the site-wide graph page.
#[derive(Serialize)]
pub(crate) struct GraphView {
    /// The whole graph as SVG markup (trusted: escaped when drawn).
    pub svg: String,
    pub nodes_count: usize,
    /// Page-to-page links; a pair linking both ways counts twice.
    pub edges_count: usize,
}

/// A page as a listing shows it.
#[derive(Serialize)]
pub(crate) struct PageSummary<'a> {
    /// Page title.
    pub title: &'a str,
    /// Front matter `description`, or none.
    pub description: Option<&'a str>,
    /// Publication date as RFC 3339 text, or none.
    pub date: Option<Date>,
    /// Root-relative URL.
    pub path: &'a str,
    /// Absolute URL.
    pub permalink: &'a str,
    /// Summary HTML.
    pub summary: &'a str,
    /// Minutes.
    pub reading_time: usize,
    /// Words in the body.
    pub word_count: usize,
    /// Page kind.
    pub kind: &'static str,
    /// Terms by taxonomy name.
    pub taxonomies: BTreeMap<&'a str, Vec<TermView<'a>>>,
    /// Front matter `extra`.
    pub extra: &'a serde_json::Value,
}

/// A page under "Recently updated".
#[derive(Serialize)]
pub(crate) struct RecentView<'a> {
    /// Page title.
    pub title: &'a str,
    /// Root-relative URL.
    pub path: &'a str,
    /// Front matter `updated`, else `date`, as RFC 3339 text.
    pub updated: Date,
}

/// The `count` pages updated last (`updated`, else `date`; undated pages are left out), newest
/// first, ties by title.
pub(crate) fn recently_updated(site: &Site, count: usize) -> Vec<RecentView<'_>> {
    let mut dated: Vec<(Date, &Page)> = site
        .pages
        .iter()
        .filter_map(|p| Some((p.doc.front.updated.or(p.doc.front.date)?, p)))
        .collect();
    dated.sort_by(|(a, p), (b, q)| {
        b.timestamp
            .cmp(&a.timestamp)
            .then_with(|| p.title.cmp(&q.title))
    });
    dated
        .into_iter()
        .take(count)
        .map(|(updated, page)| RecentView {
            title: &page.title,
            path: &page.url.path,
            updated,
        })
        .collect()
}

#[derive(Serialize)]
pub(crate) struct SubsectionView<'a> {
    /// Section title.
    pub title: &'a str,
    /// Root-relative URL.
    pub path: &'a str,
    /// Front matter `description`, or none.
    pub description: Option<&'a str>,
    /// Pages directly in it.
    pub pages_count: usize,
}

#[derive(Serialize)]
pub(crate) struct SectionView<'a> {
    /// Front matter `title`, else the folder name (the site title for the home page).
    pub title: &'a str,
    /// Front matter `description`, or none.
    pub description: Option<&'a str>,
    /// Root-relative URL.
    pub path: &'a str,
    /// Absolute URL.
    pub permalink: &'a str,
    /// The `_index.md` body as HTML.
    pub content: &'a str,
    /// Table of contents of the body.
    pub toc: &'a [TocEntry],
    /// Front matter `extra`.
    pub extra: &'a serde_json::Value,
    /// Sections above this one, home first.
    pub ancestors: Vec<Link<'a>>,
    /// Child sections: `[{title, path, description, pages_count}]`.
    pub subsections: Vec<SubsectionView<'a>>,
    /// Pages directly in this section.
    pub pages_count: usize,
    /// Kind of the pages in this section: `essay`, `case-study`, `checklist` or `note`.
    pub page_kind: &'static str,
    /// The body, or a note it embeds, has a ```` ```mermaid ```` diagram: load the diagram script.
    pub has_mermaid: bool,
}

#[derive(Serialize)]
pub(crate) struct Paginator<'a> {
    /// Pages on this pager: `[{title, description, date, path, permalink, summary, reading_time, word_count, kind, taxonomies, extra}]`.
    pub pages: Vec<PageSummary<'a>>,
    /// Number of this pager, from 1.
    pub current_index: usize,
    /// How many pagers the listing has.
    pub number_pagers: usize,
    /// URL of the first pager.
    pub first: String,
    /// URL of the last pager.
    pub last: String,
    /// URL of the previous pager, or none.
    pub previous: Option<String>,
    /// URL of the next pager, or none.
    pub next: Option<String>,
}

/// `config` as templates see it: the author-facing values only.
#[derive(Serialize)]
pub(crate) struct ConfigView<'a> {
    /// `title` from site.toml.
    pub title: &'a str,
    /// `description` from site.toml.
    pub description: &'a str,
    /// `base_url`, ending with `/`.
    pub base_url: String,
    /// `language`.
    pub language: &'a str,
    /// `author`, or none.
    pub author: Option<&'a str>,
    /// `[extra]` from site.toml.
    pub extra: &'a toml::Table,
    /// `{enabled, filename}` from `[feed]`.
    pub feed: FeedView<'a>,
    pub search: SearchView,
    /// `[reader]`: `{previews, explorer, explorer_order, recently_updated, reading_progress,
    /// back_to_top}`.
    pub reader: &'a crate::config::ReaderConfig,
}

#[derive(Serialize)]
pub(crate) struct SearchView {
    pub enabled: bool,
}

#[derive(Serialize)]
pub(crate) struct FeedView<'a> {
    /// Whether feeds are written.
    pub enabled: bool,
    /// Feed file name (`atom.xml`).
    pub filename: &'a str,
}

/// `site`: navigation data shared by every template.
#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    /// Top-level sections for navigation: `[{title, path}]`.
    pub sections: Vec<Link<'a>>,
    /// Taxonomies with terms: `[{name, path}]`.
    pub taxonomies: Vec<TaxonomyLink<'a>>,
    /// Root-relative URL of the site feed, or none.
    pub feed_path: Option<String>,
    /// The built-in search page (`/search/`), when search is on and the page is rendered.
    pub search_path: Option<String>,
    /// The site-wide link graph page, when the build writes one.
    pub graph_path: Option<&'a str>,
    /// The timeline of case studies (`/timeline/`), when the build writes one.
    pub timeline_path: Option<&'a str>,
    /// The explorer, every section and page as a folder tree (`/explorer/`), when the build
    /// writes one.
    pub explorer_path: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct TaxonomyLink<'a> {
    /// Taxonomy name (`tags`).
    pub name: &'a str,
    /// Root-relative URL of its list page.
    pub path: &'a str,
}

const NULL: serde_json::Value = serde_json::Value::Null;

pub(crate) fn config_view(config: &Config) -> ConfigView<'_> {
    ConfigView {
        title: &config.title,
        description: &config.description,
        base_url: config.base_url_slash(),
        language: &config.language,
        author: config.author.as_deref(),
        extra: &config.extra,
        feed: FeedView {
            enabled: config.feed.enabled,
            filename: &config.feed.filename,
        },
        search: SearchView {
            enabled: config.search.enabled,
        },
        reader: &config.reader,
    }
}

pub(crate) fn site_view(site: &Site) -> SiteView<'_> {
    let root = &site.sections[0];
    SiteView {
        sections: root
            .subsections
            .iter()
            .map(|&s| section_link(&site.sections[s]))
            .collect(),
        taxonomies: site
            .taxonomies
            .iter()
            .filter(|t| !t.terms.is_empty())
            .map(|t| TaxonomyLink {
                name: &t.name,
                path: &t.url.path,
            })
            .collect(),
        feed_path: site
            .config
            .feed
            .enabled
            .then(|| format!("{}{}", site.config.base_path(), site.config.feed.filename)),
        search_path: None,
        graph_path: None,
        timeline_path: None,
        explorer_path: None,
    }
}

fn section_link(section: &Section) -> Link<'_> {
    Link {
        title: &section.title,
        path: &section.url.path,
    }
}

fn page_link(page: &Page) -> Link<'_> {
    Link {
        title: &page.title,
        path: &page.url.path,
    }
}

fn terms<'a>(site: &'a Site, page: &Page) -> BTreeMap<&'a str, Vec<TermView<'a>>> {
    page_terms(site, page)
        .into_iter()
        .map(|(name, terms)| (name, terms.into_iter().map(TermView::new).collect()))
        .collect()
}

/// The sections above `section`, root first, `section` included.
fn ancestors(site: &Site, mut section: Option<usize>) -> Vec<Link<'_>> {
    let mut chain = Vec::new();
    while let Some(s) = section {
        chain.push(section_link(&site.sections[s]));
        section = site.sections[s].parent;
    }
    chain.reverse();
    chain
}

pub(crate) fn page_view<'a>(site: &'a Site, page: &'a Page) -> PageView<'a> {
    let front = &page.doc.front;
    let section = &site.sections[page.section];
    let content = page.content();
    PageView {
        has_mermaid: has_mermaid(&page.doc.body, &content),
        title: &page.title,
        description: front.description.as_deref(),
        date: front.date,
        updated: front.updated,
        path: &page.url.path,
        permalink: &page.url.permalink,
        content,
        summary: &page.summary,
        toc: &page.doc.body.toc,
        word_count: page.doc.body.word_count,
        reading_time: page.reading_time,
        kind: page.kind.as_str(),
        taxonomies: terms(site, page),
        extra: &front.extra,
        cssclasses: &front.cssclasses,
        era: page.era.map(EraView::from),
        region: front.region.as_deref(),
        people: &front.people,
        strengths: page
            .strengths
            .iter()
            .map(|&p| page_link(&site.pages[p]))
            .collect(),
        sources: &front.sources,
        section: Some(section_link(section)),
        ancestors: ancestors(site, Some(page.section)),
        previous: page.previous.map(|p| page_link(&site.pages[p])),
        next: page.next.map(|p| page_link(&site.pages[p])),
        backlinks: page
            .backlinks
            .iter()
            .map(|b| {
                let link = match b.from {
                    Target::Page(p) => page_link(&site.pages[p]),
                    Target::Section(s) => section_link(&site.sections[s]),
                };
                BacklinkView {
                    title: link.title,
                    path: link.path,
                    context: &b.context,
                }
            })
            .collect(),
        related: page
            .related
            .iter()
            .map(|&p| page_link(&site.pages[p]))
            .collect(),
        graph: None,
        previews: Vec::new(),
    }
}

pub(crate) fn page_summary<'a>(site: &'a Site, page: &'a Page) -> PageSummary<'a> {
    let front = &page.doc.front;
    PageSummary {
        title: &page.title,
        description: front.description.as_deref(),
        date: front.date,
        path: &page.url.path,
        permalink: &page.url.permalink,
        summary: &page.summary,
        reading_time: page.reading_time,
        word_count: page.doc.body.word_count,
        kind: page.kind.as_str(),
        taxonomies: terms(site, page),
        extra: &front.extra,
    }
}

pub(crate) fn section_view<'a>(site: &'a Site, index: usize) -> SectionView<'a> {
    let section = &site.sections[index];
    let front = section.doc.as_ref().map(|d| &d.front);
    SectionView {
        title: &section.title,
        description: front.and_then(|f| f.description.as_deref()),
        path: &section.url.path,
        permalink: &section.url.permalink,
        content: &section.content,
        toc: &section.toc,
        extra: front.map_or(&NULL, |f| &f.extra),
        ancestors: ancestors(site, section.parent),
        subsections: section
            .subsections
            .iter()
            .map(|&s| {
                let sub = &site.sections[s];
                SubsectionView {
                    title: &sub.title,
                    path: &sub.url.path,
                    description: sub
                        .doc
                        .as_ref()
                        .and_then(|d| d.front.description.as_deref()),
                    pages_count: sub.pages.len(),
                }
            })
            .collect(),
        pages_count: section.pages.len(),
        page_kind: section.page_kind.as_str(),
        has_mermaid: section
            .doc
            .as_ref()
            .is_some_and(|doc| has_mermaid(&doc.body, &section.content)),
    }
}

/// Whether a body, as finally assembled into `content`, shows a mermaid diagram. The Markdown
/// stage knows for the document's own text; a diagram can also arrive through an embed, whose
/// notes (or just a section of one) are only known once resolve has assembled them.
fn has_mermaid(body: &Rendered, content: &str) -> bool {
    body.has_mermaid
        || (body.links.iter().any(|l| l.kind == LinkKind::Embed) && content.contains(MERMAID_OPEN))
}
