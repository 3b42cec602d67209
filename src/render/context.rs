//! What templates see. Views borrow from the [`Site`]; nothing here clones the site per page, and
//! each output's context holds only what that output shows.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::Config;
use crate::parse::front_matter::Era;
use crate::parse::{Date, TocEntry};
use crate::resolve::{Page, Section, Site, Target, Term, page_terms};

/// A link to another page: enough to show its title and link to it.
#[derive(Serialize)]
pub struct Link<'a> {
    pub title: &'a str,
    pub path: &'a str,
}

#[derive(Serialize)]
pub struct TermView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub path: &'a str,
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
pub struct BacklinkView<'a> {
    pub title: &'a str,
    pub path: &'a str,
    pub context: &'a str,
}

/// A page as its own template sees it.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub path: &'a str,
    pub permalink: &'a str,
    pub content: &'a str,
    pub summary: &'a str,
    pub toc: &'a [TocEntry],
    pub word_count: usize,
    pub reading_time: usize,
    pub kind: &'static str,
    pub taxonomies: BTreeMap<&'a str, Vec<TermView<'a>>>,
    pub extra: &'a serde_json::Value,
    pub era: Option<Era>,
    pub region: Option<&'a str>,
    pub people: &'a [String],
    pub strengths: Vec<Link<'a>>,
    pub sources: &'a [String],
    pub section: Option<Link<'a>>,
    pub ancestors: Vec<Link<'a>>,
    pub previous: Option<Link<'a>>,
    pub next: Option<Link<'a>>,
    pub backlinks: Vec<BacklinkView<'a>>,
    pub related: Vec<Link<'a>>,
    /// The page's local link graph as SVG markup; `None` when no page links to or from it.
    pub graph: Option<String>,
}

/// `graph` on the site-wide graph page.
#[derive(Serialize)]
pub struct GraphView {
    /// The whole graph as SVG markup (trusted: escaped when drawn).
    pub svg: String,
    pub nodes_count: usize,
    /// Page-to-page links; a pair linking both ways counts twice.
    pub edges_count: usize,
}

/// A page as a listing shows it.
#[derive(Serialize)]
pub struct PageSummary<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub date: Option<Date>,
    pub path: &'a str,
    pub permalink: &'a str,
    pub summary: &'a str,
    pub reading_time: usize,
    pub word_count: usize,
    pub kind: &'static str,
    pub taxonomies: BTreeMap<&'a str, Vec<TermView<'a>>>,
    pub extra: &'a serde_json::Value,
}

#[derive(Serialize)]
pub struct SubsectionView<'a> {
    pub title: &'a str,
    pub path: &'a str,
    pub description: Option<&'a str>,
    pub pages_count: usize,
}

#[derive(Serialize)]
pub struct SectionView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub path: &'a str,
    pub permalink: &'a str,
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    pub extra: &'a serde_json::Value,
    pub ancestors: Vec<Link<'a>>,
    pub subsections: Vec<SubsectionView<'a>>,
    pub pages_count: usize,
}

#[derive(Serialize)]
pub struct Paginator<'a> {
    pub pages: Vec<PageSummary<'a>>,
    pub current_index: usize,
    pub number_pagers: usize,
    pub first: String,
    pub last: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// `config` as templates see it: the author-facing values only.
#[derive(Serialize)]
pub struct ConfigView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: String,
    pub language: &'a str,
    pub author: Option<&'a str>,
    pub extra: &'a toml::Table,
    pub feed: FeedView<'a>,
}

#[derive(Serialize)]
pub struct FeedView<'a> {
    pub enabled: bool,
    pub filename: &'a str,
}

/// `site`: navigation data shared by every template.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub sections: Vec<Link<'a>>,
    pub taxonomies: Vec<TaxonomyLink<'a>>,
    pub feed_path: Option<String>,
    /// The site-wide link graph page, when the build writes one.
    pub graph_path: Option<&'a str>,
}

#[derive(Serialize)]
pub struct TaxonomyLink<'a> {
    pub name: &'a str,
    pub path: &'a str,
}

const NULL: serde_json::Value = serde_json::Value::Null;

pub fn config_view(config: &Config) -> ConfigView<'_> {
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
    }
}

pub fn site_view(site: &Site) -> SiteView<'_> {
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
        graph_path: None,
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

pub fn page_view<'a>(site: &'a Site, page: &'a Page) -> PageView<'a> {
    let front = &page.doc.front;
    let section = &site.sections[page.section];
    PageView {
        title: &page.title,
        description: front.description.as_deref(),
        date: front.date,
        updated: front.updated,
        path: &page.url.path,
        permalink: &page.url.permalink,
        content: &page.content,
        summary: &page.summary,
        toc: &page.doc.body.toc,
        word_count: page.doc.body.word_count,
        reading_time: page.reading_time,
        kind: page.kind.as_str(),
        taxonomies: terms(site, page),
        extra: if front.extra.is_null() {
            &NULL
        } else {
            &front.extra
        },
        era: front.era,
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
        related: Vec::new(),
        graph: None,
    }
}

pub fn page_summary<'a>(site: &'a Site, page: &'a Page) -> PageSummary<'a> {
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
        extra: if front.extra.is_null() {
            &NULL
        } else {
            &front.extra
        },
    }
}

pub fn section_view<'a>(site: &'a Site, index: usize) -> SectionView<'a> {
    let section = &site.sections[index];
    let front = section.doc.as_ref().map(|d| &d.front);
    SectionView {
        title: &section.title,
        description: front.and_then(|f| f.description.as_deref()),
        path: &section.url.path,
        permalink: &section.url.permalink,
        content: &section.content,
        toc: &section.toc,
        extra: front.map_or(&NULL, |f| if f.extra.is_null() { &NULL } else { &f.extra }),
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
    }
}
