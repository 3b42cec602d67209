//! The name tables links are looked up in: content paths, wikilink names (file stems, titles,
//! name aliases, paths), assets, the URL paths the build writes, and the drafts left out. Built
//! once per resolve from the site; they hold names only, no borrow of the site, so the dev
//! server keeps them to resolve the links of a changed page again.

use std::collections::{HashMap, HashSet};

use super::aliases::is_url_alias;
use super::links::Target;
use super::tree::{content_path, page_stem};
use super::{ResolveInput, Site};

/// Name tables built once per resolve for looking up link targets. They hold names only, no
/// borrow of the site, so the dev server keeps them to resolve the links of a changed page.
#[derive(Debug, Default)]
pub(super) struct Names {
    /// `essays/x.md`, `essays/_index.md`, `essays/x/index.md` → document.
    pub(super) by_path: HashMap<String, Target>,
    /// Lowercased file stem, title, name alias or path without `.md` → documents (wikilinks).
    pub(super) by_name: HashMap<String, Vec<Target>>,
    /// Content asset path (`essays/fig.png`) → output path below the base (`essays/fig.png`).
    pub(super) assets: HashMap<String, String>,
    /// Lowercased file name of each content asset, for `![[fig.png]]`: its lowercased path
    /// below the content folder and its output path.
    pub(super) assets_by_name: HashMap<String, Vec<(String, String)>>,
    /// Output path of each copied image (content or static) → its index in `Site::assets`.
    pub(super) images: HashMap<String, usize>,
    /// Every URL path below the base that the build writes (`essays/x/`, `style.css`).
    pub(super) site_paths: HashSet<String>,
    /// Drafts and unpublished notes left out of this build: content path → `publish: false`.
    pub(super) drafts: HashMap<String, bool>,
    /// Lowercased file stem, title and name aliases of each draft → its content path, so a
    /// wikilink to a draft is reported as one.
    pub(super) draft_names: HashMap<String, String>,
}

impl Names {
    pub(super) fn new(site: &Site, input: &ResolveInput<'_>) -> Names {
        let mut by_path = HashMap::new();
        let mut by_name: HashMap<String, Vec<Target>> = HashMap::new();
        let mut add_name = |name: &str, target: Target| {
            let list = by_name.entry(name.to_lowercase()).or_default();
            if !list.contains(&target) {
                list.push(target);
            }
        };
        let mut site_paths = HashSet::new();
        for (i, page) in site.pages.iter().enumerate() {
            let target = Target::Page(i);
            by_path.insert(page.content_path.clone(), target);
            add_name(page_stem(&page.content_path), target);
            add_name(&page.title, target);
            add_name(page.content_path.trim_end_matches(".md"), target);
            for alias in page.doc.front.aliases.iter().filter(|a| !is_url_alias(a)) {
                add_name(alias, target);
            }
            site_paths.insert(page.url.slug_path.clone());
        }
        for (i, section) in site.sections.iter().enumerate() {
            let target = Target::Section(i);
            let index = if section.dir.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{}/_index.md", section.dir)
            };
            by_path.insert(index, target);
            if !section.dir.is_empty() {
                by_path.entry(format!("{}/", section.dir)).or_insert(target);
                by_path.entry(section.dir.clone()).or_insert(target);
            }
            site_paths.insert(section.url.slug_path.clone());
        }
        let mut assets = HashMap::new();
        let mut assets_by_name: HashMap<String, Vec<(String, String)>> = HashMap::new();
        let mut images = HashMap::new();
        for (i, file) in site.assets.iter().enumerate() {
            site_paths.insert(file.output.clone());
            if file.asset.image.is_some() {
                images.insert(file.output.clone(), i);
            }
        }
        for (file, asset) in site.assets.iter().zip(input.content_assets) {
            assets.insert(asset.relative.clone(), file.output.clone());
            let relative = asset.relative.to_lowercase();
            let name = relative.rsplit('/').next().unwrap_or(&relative).to_string();
            assets_by_name
                .entry(name)
                .or_default()
                .push((relative, file.output.clone()));
        }
        for taxonomy in &site.taxonomies {
            site_paths.insert(taxonomy.url.slug_path.clone());
            for term in &taxonomy.terms {
                site_paths.insert(term.url.slug_path.clone());
            }
        }
        let content_folder = input.config.content_folder();
        let mut drafts = HashMap::new();
        let mut draft_names = HashMap::new();
        let left_out = input
            .docs
            .iter()
            .filter(|d| d.front.draft && !input.options.drafts);
        for doc in left_out {
            let path = content_path(&content_folder, &doc.path);
            let names = [page_stem(&path), path.trim_end_matches(".md")]
                .into_iter()
                .chain(doc.front.title.as_deref())
                .chain(
                    doc.front
                        .aliases
                        .iter()
                        .map(String::as_str)
                        .filter(|a| !is_url_alias(a)),
                );
            for name in names {
                draft_names
                    .entry(name.to_lowercase())
                    .or_insert_with(|| path.clone());
            }
            drafts.insert(path, doc.front.publish == Some(false));
        }
        Names {
            by_path,
            by_name,
            assets,
            assets_by_name,
            images,
            site_paths,
            drafts,
            draft_names,
        }
    }
}
