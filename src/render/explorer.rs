//! The explorer: every section and page of the site as one folder tree of nested `<details>`,
//! written once per build on its own page (`/explorer/`, the theme's `explorer.html`).
//!
//! One page, not a tree inside every page: the tree lists every page, so inlined it would grow
//! the site with pages squared (a 10,000-page site would carry 10,000 copies of a tree of
//! 10,000 links), and any title edit would render every page again. The default theme's script
//! fetches this page once and shows its tree beside each page; without JavaScript each page
//! links to it, and it is plain nested links that work as they are.
//!
//! Titles are ordered with the Unicode Collation Algorithm (CLDR root order, `feruca`): accents
//! and case count only after the letters (`Émile` between `Ekaterina` and `Ernie`), and the
//! order does not depend on the bytes' order, so notes named in any script sort sensibly.

use std::cmp::Ordering;
use std::fmt::Write;

use serde::Serialize;

use crate::config::ExplorerOrder;
use crate::escape::markup;
use crate::resolve::Site;

/// `explorer` in `explorer.html`.
#[derive(Serialize)]
pub(crate) struct ExplorerView {
    /// The tree as HTML: a `<ul class="explorer-tree">` of folders (`<details data-folder>`,
    /// the folder's path below the content folder) and page links (print with `| safe`).
    pub tree: String,
    /// Pages in the tree.
    pub pages_count: usize,
    /// Folders in the tree, the home page's not counted.
    pub sections_count: usize,
}

pub(crate) fn explorer(site: &Site) -> ExplorerView {
    let mut collator = feruca::Collator::default();
    let mut tree = String::with_capacity(site.pages.len() * 96);
    tree.push_str("<ul class=\"explorer-tree\">\n");
    folder_entries(site, 0, &mut collator, &mut tree);
    tree.push_str("</ul>\n");
    ExplorerView {
        tree,
        pages_count: site.pages.len(),
        sections_count: site.sections.len().saturating_sub(1),
    }
}

/// The entries of section `s`: its folders, then its pages, in the configured order.
fn folder_entries(site: &Site, s: usize, collator: &mut feruca::Collator, out: &mut String) {
    let section = &site.sections[s];
    let mut folders = section.subsections.clone();
    let mut pages = section.pages.clone();
    // A page that took its folder's URL is that folder's overview link, not an entry.
    pages.retain(|p| section.folder_page != Some(*p));
    if site.config.reader.explorer_order == ExplorerOrder::Title {
        let mut by_title = |a: &str, b: &str| -> Ordering { collator.collate(a, b) };
        folders.sort_by(|&a, &b| by_title(&site.sections[a].title, &site.sections[b].title));
        pages.sort_by(|&a, &b| by_title(&site.pages[a].title, &site.pages[b].title));
    }
    for f in folders {
        let folder = &site.sections[f];
        let _ = write!(
            out,
            "<li class=\"explorer-folder\"><details data-folder=\"{}\"><summary>{}</summary>\n<ul>\n<li class=\"explorer-overview\"><a href=\"{}\">Overview</a></li>\n",
            markup(&folder.dir),
            markup(&folder.title),
            markup(&folder.url.path),
        );
        folder_entries(site, f, collator, out);
        out.push_str("</ul>\n</details></li>\n");
    }
    for p in pages {
        let page = &site.pages[p];
        let _ = writeln!(
            out,
            "<li><a href=\"{}\">{}</a></li>",
            markup(&page.url.path),
            markup(&page.title)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::test_site;

    #[test]
    fn folders_come_first_and_titles_sort_as_people_read_them() {
        let site = test_site(&[
            ("zebra.md", "# x"),
            ("Émile.md", "# x"),
            ("ernie.md", "# x"),
            ("Ekaterina.md", "# x"),
            ("東京.md", "# x"),
            ("notes/b.md", "---\ntitle: \"B <b>\"\n---\n"),
            ("notes/a.md", "# x"),
        ]);
        let view = explorer(&site);
        let text: Vec<&str> = view
            .tree
            .lines()
            .filter_map(|l| l.split("\">").nth(1))
            .collect();
        assert_eq!(
            view.tree,
            "<ul class=\"explorer-tree\">\n\
             <li class=\"explorer-folder\"><details data-folder=\"notes\"><summary>notes</summary>\n<ul>\n\
             <li class=\"explorer-overview\"><a href=\"/notes/\">Overview</a></li>\n\
             <li><a href=\"/notes/a/\">a</a></li>\n\
             <li><a href=\"/notes/b/\">B &lt;b&gt;</a></li>\n\
             </ul>\n</details></li>\n\
             <li><a href=\"/ekaterina/\">Ekaterina</a></li>\n\
             <li><a href=\"/emile/\">Émile</a></li>\n\
             <li><a href=\"/ernie/\">ernie</a></li>\n\
             <li><a href=\"/zebra/\">zebra</a></li>\n\
             <li><a href=\"/dong-jing/\">東京</a></li>\n\
             </ul>\n",
            "{text:?}"
        );
        assert_eq!((view.pages_count, view.sections_count), (7, 1));
    }
}
