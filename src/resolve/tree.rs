//! The section tree and every URL: folders become sections, files become pages, names become
//! slugs, and two things claiming one URL are reported.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Location};
use crate::files::Asset;
use crate::parse::Doc;
use crate::slug::segment_slug;

use crate::parse::front_matter::{PageKind, SortOrder};

use super::{Body, CopiedFile, Page, ResolveInput, Section, Site, Url};

/// `content/essays/x.md` → `essays/x.md`, always `/`-separated: the path below the content
/// folder `content_folder` (`content`, or `../My Vault` for `../My Vault/Note.md`).
pub(super) fn content_path(content_folder: &Path, doc_path: &Path) -> String {
    let relative = doc_path.strip_prefix(content_folder).unwrap_or(doc_path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn parent_dir(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

fn file_name(path: &str) -> &str {
    path.rfind('/').map_or(path, |i| &path[i + 1..])
}

/// Where an error about a front matter field points: the `key:` line, else the `title:` line,
/// else the first line of the file.
pub(crate) fn doc_location(doc: &Doc, key: &str) -> Location {
    let line = doc
        .front
        .key_lines
        .get(key)
        .or_else(|| doc.front.key_lines.get("title"))
        .copied()
        .unwrap_or(1);
    let text = &doc.front_source;
    let line_len = text
        .split('\n')
        .nth(line - 1)
        .map_or(1, |l| l.trim_end_matches('\r').chars().count());
    Location::from_line_column(&doc.path, text, line, 1, line_len)
}

/// Where an error about one item of a front matter list points: the item as written, on the key's
/// line (`strengths: [a, b]`) or on a line of its own below it (`  - b`); else the key's line.
pub(crate) fn doc_item_location(doc: &Doc, key: &str, item: &str) -> Location {
    let Some(&first) = doc.front.key_lines.get(key) else {
        return doc_location(doc, key);
    };
    // The list ends where the next top-level key starts.
    let end = doc
        .front
        .key_lines
        .values()
        .copied()
        .filter(|&l| l > first)
        .min()
        .unwrap_or(usize::MAX);
    let text = &doc.front_source;
    for (number, line) in text.split('\n').enumerate().map(|(i, l)| (i + 1, l)) {
        if number < first {
            continue;
        }
        if number >= end {
            break;
        }
        let line = line.trim_end_matches('\r');
        // On the key's own line, look only after `key:` or `key =`.
        let from = if number == first {
            line.find([':', '=']).map_or(0, |p| p + 1)
        } else {
            0
        };
        if let Some(at) = find_item(&line[from..], item) {
            let column = line[..from + at].chars().count() + 1;
            return Location::from_line_column(
                &doc.path,
                text,
                number,
                column,
                item.chars().count(),
            );
        }
    }
    doc_location(doc, key)
}

/// Byte offset of `item` in `line` as a whole list item: not part of a longer word.
fn find_item(line: &str, item: &str) -> Option<usize> {
    let bounded = |c: Option<char>| c.is_none_or(|c| " \t[],\"'".contains(c));
    line.match_indices(item).map(|(at, _)| at).find(|&at| {
        bounded(line[..at].chars().next_back()) && bounded(line[at + item.len()..].chars().next())
    })
}

pub(super) fn build_tree(input: &ResolveInput<'_>, diagnostics: &mut Vec<Diagnostic>) -> Site {
    let config = &input.config;
    let docs: Vec<&Arc<Doc>> = input
        .docs
        .iter()
        .filter(|d| input.options.drafts || !d.front.draft)
        .collect();

    // Section folders: every folder holding an `_index.md`, plus every folder above a page, except
    // the folder of a page bundle (`x/index.md`), which belongs to its page.
    let mut section_docs: BTreeMap<String, Arc<Doc>> = BTreeMap::new();
    let mut page_docs: Vec<(String, Arc<Doc>)> = Vec::new();
    let content_folder = config.content_folder();
    for doc in &docs {
        let path = content_path(&content_folder, &doc.path);
        if file_name(&path) == "_index.md" {
            section_docs.insert(parent_dir(&path).to_string(), Arc::clone(doc));
        } else {
            page_docs.push((path, Arc::clone(doc)));
        }
    }
    // Every folder holding a page or an `_index.md`, and every folder above those.
    let mut dirs: BTreeSet<String> = BTreeSet::new();
    dirs.insert(String::new());
    let leaves = section_docs.keys().map(String::as_str);
    for leaf in leaves.chain(page_docs.iter().map(|(path, _)| page_section_dir(path))) {
        let mut dir = leaf;
        loop {
            dirs.insert(dir.to_string());
            if dir.is_empty() {
                break;
            }
            dir = parent_dir(dir);
        }
    }

    // Sections, parents before children (BTreeSet order puts "a" before "a/b").
    let mut sections: Vec<Section> = Vec::new();
    let mut section_index: HashMap<String, usize> = HashMap::new();
    for dir in &dirs {
        let doc = section_docs.get(dir).cloned();
        if let Some(doc) = &doc
            && doc.front.permalink.is_some()
        {
            diagnostics.push(
                Diagnostic::error(
                    "`permalink` is for pages; a section's URL comes from its folder",
                )
                .at(doc_location(doc, "permalink"))
                .with_hint("remove `permalink` from the `_index.md`, or rename the folder"),
            );
        }
        let parent = (!dir.is_empty()).then(|| section_index[parent_dir(dir)]);
        let slug_path = if dir.is_empty() {
            String::new()
        } else {
            let parent_slug = &sections[parent.unwrap_or(0)].url.slug_path;
            format!("{parent_slug}{}/", segment_slug(file_name(dir)))
        };
        let title = doc
            .as_ref()
            .and_then(|d| d.front.title.clone())
            .unwrap_or_else(|| {
                if dir.is_empty() {
                    config.title.clone()
                } else {
                    file_name(dir).to_string()
                }
            });
        let page_kind = doc
            .as_ref()
            .and_then(|d| d.front.page_kind)
            .or_else(|| parent.map(|p| sections[p].page_kind))
            .unwrap_or(PageKind::Note);
        let index = sections.len();
        if let Some(p) = parent {
            sections[p].subsections.push(index);
        }
        section_index.insert(dir.clone(), index);
        sections.push(Section {
            doc,
            dir: dir.clone(),
            title,
            url: Url::new(config, &slug_path),
            parent,
            pages: Vec::new(),
            subsections: Vec::new(),
            page_kind,
            content: String::new(),
            toc: Vec::new(),
            folder_page: None,
        });
    }

    let mut pages = Vec::with_capacity(page_docs.len());
    for (path, doc) in page_docs {
        let section = section_index[page_section_dir(&path)];
        let stem = page_stem(&path);
        let slug = match doc.front.slug.as_deref() {
            Some(s) => segment_slug(s),
            None => segment_slug(stem),
        };
        let slug_path = match &doc.front.permalink {
            Some(permalink) => permalink.clone(),
            None => {
                if slug.is_empty() {
                    diagnostics.push(
                        Diagnostic::error(format!("the name `{stem}` gives an empty URL"))
                            .at(doc_location(&doc, "slug"))
                            .with_hint("give the page a `slug:` made of letters or digits"),
                    );
                }
                format!("{}{slug}/", sections[section].url.slug_path)
            }
        };
        let kind = doc.front.kind.unwrap_or(sections[section].page_kind);
        let title = doc.front.title.clone().unwrap_or_else(|| stem.to_string());
        pages.push(Page {
            url: Url::new(config, &slug_path),
            content_path: path,
            title,
            kind,
            era: doc.front.era,
            section,
            content: Body::default(),
            summary: String::new(),
            reading_time: reading_time(doc.body.word_count, config.markdown.words_per_minute),
            previous: None,
            next: None,
            terms: Vec::new(),
            backlinks: Vec::new(),
            linked_anchors: Vec::new(),
            strengths: Vec::new(),
            related: Vec::new(),
            doc,
        });
    }
    for (i, page) in pages.iter().enumerate() {
        sections[page.section].pages.push(i);
    }
    let listings: HashMap<String, usize> = sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.doc.is_none())
        .map(|(s, section)| (section.url.output_file(), s))
        .collect();
    for (i, page) in pages.iter().enumerate() {
        if page.doc.front.permalink.is_some()
            && let Some(&s) = listings.get(&page.url.output_file())
            && sections[s].folder_page.is_none()
        {
            sections[s].folder_page = Some(i);
        }
    }
    for section in &mut sections {
        sort_pages(section, &pages);
        for pair in section.pages.windows(2) {
            // `previous` is the page listed before this one.
            let (a, b) = (pair[0], pair[1]);
            pages[b].previous = Some(a);
            pages[a].next = Some(b);
        }
    }

    let aliases = super::aliases::url_aliases(config, &pages, diagnostics);

    let assets = input
        .content_assets
        .iter()
        .map(|asset| CopiedFile {
            output: asset_output(&sections, &section_index, &asset.relative),
            content: true,
            asset: asset.clone(),
        })
        .chain(
            input
                .statics
                .iter()
                .filter(|a| wanted_static(a, input))
                .map(|asset| CopiedFile {
                    output: asset.relative.clone(),
                    content: false,
                    asset: asset.clone(),
                }),
        )
        .collect();

    Site {
        config: Arc::clone(&input.config),
        pages,
        sections,
        taxonomies: Vec::new(),
        aliases,
        assets,
        resized: Vec::new(),
    }
}

/// Whether a static file is written: the theme's diagram script only when a document that is
/// published has a diagram (an embed can show a diagram only from such a document), and the
/// theme's notes for its maintainers never.
fn wanted_static(asset: &Asset, input: &ResolveInput<'_>) -> bool {
    let name = asset.relative.as_str();
    if crate::default_theme::UNPUBLISHED_STATICS.contains(&name) {
        return false;
    }
    !crate::default_theme::DIAGRAM_STATICS.contains(&name)
        || input
            .docs
            .iter()
            .any(|d| d.body.has_mermaid && (!d.front.draft || input.options.drafts))
}

/// The folder whose section a page belongs to: its own folder, or for `x/index.md` the one above.
fn page_section_dir(path: &str) -> &str {
    let dir = parent_dir(path);
    if file_name(path) == "index.md" {
        parent_dir(dir)
    } else {
        dir
    }
}

/// The name a page's URL comes from: the file stem, or the folder of a bundle.
pub(super) fn page_stem(path: &str) -> &str {
    let name = file_name(path);
    if name == "index.md" {
        file_name(parent_dir(path))
    } else {
        name.strip_suffix(".md").unwrap_or(name)
    }
}

/// Output path of a content asset: beside its page, under the slugged folders.
fn asset_output(
    sections: &[Section],
    section_index: &HashMap<String, usize>,
    relative: &str,
) -> String {
    let dir = parent_dir(relative);
    let name = file_name(relative);
    if let Some(&s) = section_index.get(dir) {
        return format!("{}{name}", sections[s].url.slug_path);
    }
    // In a page bundle folder (or a folder with no pages): slug each folder segment.
    let folders: Vec<String> = dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(segment_slug)
        .collect();
    if folders.is_empty() {
        name.to_string()
    } else {
        format!("{}/{name}", folders.join("/"))
    }
}

pub(super) fn reading_time(words: usize, per_minute: usize) -> usize {
    words.div_ceil(per_minute.max(1)).max(1)
}

/// Orders a section's pages by its `sort_by` (default: newest first, undated last by title).
fn sort_pages(section: &mut Section, pages: &[Page]) {
    let sort_by = section
        .doc
        .as_ref()
        .and_then(|d| d.front.sort_by)
        .unwrap_or_default();
    // Lowercased once per page, not once per comparison.
    let lowered: std::collections::HashMap<usize, String> = section
        .pages
        .iter()
        .map(|&i| (i, pages[i].title.to_lowercase()))
        .collect();
    let title = |i: usize| &lowered[&i];
    match sort_by {
        SortOrder::Weight => section.pages.sort_by(|&a, &b| {
            let wa = pages[a].doc.front.weight.unwrap_or(i64::MAX);
            let wb = pages[b].doc.front.weight.unwrap_or(i64::MAX);
            wa.cmp(&wb).then_with(|| title(a).cmp(title(b)))
        }),
        SortOrder::Title => section.pages.sort_by(|&a, &b| title(a).cmp(title(b))),
        SortOrder::Date => section.pages.sort_by(|&a, &b| {
            let da = pages[a].doc.front.date;
            let db = pages[b].doc.front.date;
            match (da, db) {
                (Some(x), Some(y)) => y.cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
            .then_with(|| {
                let wa = pages[a].doc.front.weight.unwrap_or(i64::MAX);
                let wb = pages[b].doc.front.weight.unwrap_or(i64::MAX);
                wa.cmp(&wb)
            })
            .then_with(|| title(a).cmp(title(b)))
        }),
    }
}

/// A case study must say when it happened (the strengths it names are checked with the links); a
/// checklist without a task list has nothing to tick, and, when the site requires it, a
/// checklist item without a link does not say where it is explained.
pub(super) fn check_kinds(site: &mut Site, diagnostics: &mut Vec<Diagnostic>) {
    let require_links = site.config.links.require_checklist_links;
    for page in &site.pages {
        let front = &page.doc.front;
        if page.kind == PageKind::Checklist && require_links {
            for item in &page.doc.body.unlinked_tasks {
                diagnostics.push(
                    Diagnostic::warning("checklist item links to no page")
                        .at(item.clone())
                        .with_hint(
                            "link the page that explains it, `[[Page]]` or `[text](page.md)`; \
                             site.toml's `[links] require_checklist_links` asks every item for one",
                        ),
                );
            }
        }
        if page.kind == PageKind::Checklist && page.doc.body.tasks == 0 {
            diagnostics.push(
                Diagnostic::warning(format!(
                    "checklist `{}` has no items to tick",
                    page.doc.path.display()
                ))
                .at(doc_location(&page.doc, "kind"))
                .with_hint("write its items as a task list, one `- [ ] …` line each"),
            );
        }
        if page.kind == PageKind::CaseStudy && front.era.is_none() {
            diagnostics.push(
                Diagnostic::error(format!(
                    "case study `{}` has no `era`",
                    page.doc.path.display()
                ))
                .at(doc_location(&page.doc, "era"))
                .with_hint(
                    "add the years it covers, negative for BCE: `era: {start: -550, end: -330}`",
                ),
            );
        }
    }
}

/// Two outputs claiming one URL: pages, sections, aliases.
pub(super) fn check_collisions(site: &Site, diagnostics: &mut Vec<Diagnostic>) {
    // Output file → who has it, and whether a `permalink:` chose it.
    let mut claimed: HashMap<String, (String, bool)> = HashMap::new();
    for section in &site.sections {
        let owner = section.doc.as_ref().map_or_else(
            || {
                format!(
                    "{}/{}/",
                    site.config.content_folder().display(),
                    section.dir
                )
            },
            |d| d.path.display().to_string(),
        );
        if section.has_listing() {
            claimed.insert(section.url.output_file(), (owner, false));
        }
    }
    for page in &site.pages {
        let file = page.url.output_file();
        let owner = page.doc.path.display().to_string();
        let permalink = page.doc.front.permalink.is_some();
        if let Some((previous, previous_permalink)) = claimed.get(&file) {
            let key = if permalink { "permalink" } else { "slug" };
            let hint = if permalink {
                "choose another `permalink:` for this page".to_string()
            } else if *previous_permalink {
                format!(
                    "`{previous}` chose this URL with `permalink:`; change it, or rename this file"
                )
            } else {
                "rename one of the files or give one a different `slug:`".to_string()
            };
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` and `{previous}` both want the URL {}",
                    owner, page.url.path
                ))
                .at(doc_location(&page.doc, key))
                .with_hint(hint),
            );
        } else {
            claimed.insert(file, (owner, permalink));
        }
    }
    for alias in &site.aliases {
        let page = site.pages.iter().find(|p| p.url == alias.to);
        let Some(page) = page else { continue };
        let file = alias.from.output_file();
        if let Some((owner, _)) = claimed.get(&file) {
            diagnostics.push(
                Diagnostic::error(format!(
                    "alias {} of `{}` collides with `{owner}`",
                    alias.from.path,
                    page.doc.path.display()
                ))
                .at(doc_location(&page.doc, "aliases"))
                .with_hint("an alias must be a URL no page uses; remove it or pick another"),
            );
        } else {
            claimed.insert(file, (page.doc.path.display().to_string(), false));
        }
    }
}

#[cfg(test)]
mod tests {
    /// Found by fuzzing (`site`): a section whose folder's parent holds no page and no
    /// `_index.md` (only `content/a/b/_index.md`) looked up a parent section that was never made.
    #[test]
    fn a_section_below_an_empty_folder_has_a_parent() {
        let site = super::super::test_site(&[("a/b/_index.md", "---\ntitle: B\n---\n")]);
        let urls: Vec<&str> = site
            .sections
            .iter()
            .map(|s| s.url.slug_path.as_str())
            .collect();
        assert_eq!(urls, ["", "a/", "a/b/"]);
    }
}
