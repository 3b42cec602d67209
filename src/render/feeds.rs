//! Machine-read outputs: Atom feeds, `sitemap.xml`, and redirect pages for aliases.
//! They have fixed formats, so they are written directly rather than through theme templates.

use std::fmt::Write as _;

use crate::files::{Contents, Output};
use crate::resolve::{Page, Site, Url};

use crate::escape::markup as xml;

/// One feed to write: its title, the listing it belongs to, and its entries, newest first.
pub(super) struct Feed<'a> {
    title: String,
    at: &'a Url,
    pub entries: Vec<usize>,
}

impl Feed<'_> {
    pub(crate) fn path(&self, site: &Site) -> String {
        format!("{}{}", self.at.slug_path, site.config.feed.filename)
    }
}

/// The site feed and one feed per term of each taxonomy that has feeds.
pub(super) fn feeds<'a>(site: &'a Site, root: &'a Url) -> Vec<Feed<'a>> {
    let config = &site.config;
    if !config.feed.enabled {
        return Vec::new();
    }
    let limit = config.feed.limit;
    let mut all: Vec<usize> = (0..site.pages.len())
        .filter(|&p| site.pages[p].doc.front.date.is_some())
        .collect();
    all.sort_by(|&a, &b| {
        site.pages[b]
            .doc
            .front
            .date
            .cmp(&site.pages[a].doc.front.date)
            .then_with(|| site.pages[a].title.cmp(&site.pages[b].title))
    });
    all.truncate(limit);
    let mut feeds = vec![Feed {
        title: config.title.clone(),
        at: root,
        entries: all,
    }];
    for taxonomy in &site.taxonomies {
        if !config.taxonomy_feed(&taxonomy.name) {
            continue;
        }
        for term in &taxonomy.terms {
            let dated: Vec<usize> = term
                .pages
                .iter()
                .copied()
                .filter(|&p| site.pages[p].doc.front.date.is_some())
                .take(limit)
                .collect();
            feeds.push(Feed {
                title: format!("{} – {}", config.title, term.name),
                at: &term.url,
                entries: dated,
            });
        }
    }
    feeds
}

/// The Atom feed `spec` describes.
pub(super) fn feed(site: &Site, spec: &Feed<'_>) -> Output {
    let (title, at) = (spec.title.as_str(), spec.at);
    let config = &site.config;
    let feed_url = format!("{}{}", at.permalink, config.feed.filename);
    let entries: Vec<&Page> = spec.entries.iter().map(|&p| &site.pages[p]).collect();
    let updated = entries
        .iter()
        .filter_map(|p| p.doc.front.updated.or(p.doc.front.date))
        .max()
        .map_or_else(
            || "1970-01-01T00:00:00Z".to_string(),
            |d| d.timestamp.to_string(),
        );
    let mut xml_out = String::new();
    let _ = write!(
        xml_out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n",
        xml(&config.language),
        xml(title)
    );
    if !config.description.is_empty() {
        let _ = writeln!(
            xml_out,
            "  <subtitle>{}</subtitle>",
            xml(&config.description)
        );
    }
    let _ = write!(
        xml_out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <generator uri=\"https://github.com/steppe-ssg/steppe\">steppe</generator>\n  <updated>{updated}</updated>\n  <id>{}</id>\n",
        xml(&feed_url),
        xml(&at.permalink),
        xml(&feed_url)
    );
    for page in entries {
        let front = &page.doc.front;
        let published = front
            .date
            .map(|d| d.timestamp.to_string())
            .unwrap_or_default();
        let updated = front
            .updated
            .map_or_else(|| published.clone(), |d| d.timestamp.to_string());
        let _ = write!(
            xml_out,
            "  <entry xml:lang=\"{}\">\n    <title>{}</title>\n    <published>{published}</published>\n    <updated>{updated}</updated>\n",
            xml(&config.language),
            xml(&page.title)
        );
        if let Some(author) = &config.author {
            let _ = writeln!(xml_out, "    <author><name>{}</name></author>", xml(author));
        }
        let _ = write!(
            xml_out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <id>{}</id>\n",
            xml(&page.url.permalink),
            xml(&page.url.permalink)
        );
        if let Some(description) = &front.description {
            let _ = writeln!(xml_out, "    <summary>{}</summary>", xml(description));
        }
        let _ = writeln!(
            xml_out,
            "    <content type=\"html\" xml:base=\"{}\">{}</content>\n  </entry>",
            xml(&page.url.permalink),
            xml(&page.content())
        );
    }
    xml_out.push_str("</feed>\n");
    Output {
        path: spec.path(site),
        contents: Contents::Bytes(xml_out.into_bytes().into()),
    }
}

/// `sitemap.xml` listing every HTML page rendered (not redirects, not the 404 page).
/// The sitemap lists every `index.html` output except `skip` (the search page, not worth crawling).
pub(super) fn sitemap(site: &Site, outputs: &[String], skip: Option<&str>) -> Output {
    let config = &site.config;
    let mut lastmod = std::collections::HashMap::new();
    for page in &site.pages {
        if let Some(date) = page.doc.front.updated.or(page.doc.front.date) {
            lastmod.insert(page.url.output_file(), date.timestamp.to_string());
        }
    }
    let mut files: Vec<&str> = outputs
        .iter()
        .map(String::as_str)
        .filter(|p| {
            p.ends_with("index.html")
                && Some(*p) != skip
                && !p.starts_with(super::preview::PREVIEW_DIR)
        })
        .collect();
    files.sort_unstable();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for file in files {
        let slug_path = file.trim_end_matches("index.html");
        let _ = write!(
            out,
            "  <url>\n    <loc>{}</loc>\n",
            xml(&config.permalink(slug_path))
        );
        if let Some(date) = lastmod.get(file) {
            let _ = writeln!(out, "    <lastmod>{date}</lastmod>");
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    Output {
        path: "sitemap.xml".into(),
        contents: Contents::Bytes(out.into_bytes().into()),
    }
}

/// A page that sends readers (and search engines, via the canonical link) to `to`.
pub(super) fn redirect_page(to: &Url) -> String {
    let href = xml(&to.path);
    let canonical = xml(&to.permalink);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting…</title>\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{href}\">{canonical}</a>.</p>\n</body>\n</html>\n"
    )
}
