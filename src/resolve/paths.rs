//! Output paths every file system can hold, checked while resolving, so `steppe check` reports
//! what `steppe build` could not write (a name too long for a folder, ENAMETOOLONG).
//!
//! Names that are slugged are cut to fit already (`slug::segment_slug`), so what is left is what
//! an author wrote as a path: a `permalink`, an old-URL alias, and many levels of folders or of
//! nested terms adding up. The write stage keeps its own check that a path stays inside the
//! output folder (`output.rs`), as the last guard rather than the place an author learns of it.

use crate::diagnostics::Diagnostic;

use super::Site;
use super::tree::{doc_item_location, doc_location};

/// The longest name of one file or folder: what Linux, macOS and Windows file systems hold.
pub(crate) const MAX_SEGMENT: usize = 255;

/// The longest output path, relative to the output folder. Operating systems refuse paths past
/// 4,096 bytes (Linux) including the output folder's own path; a quarter of it is far past any
/// real site's deepest page and leaves the rest to where the output folder is.
pub(crate) const MAX_OUTPUT_PATH: usize = 1024;

/// What is wrong with an output path's length, if anything.
fn too_long(path: &str) -> Option<String> {
    if let Some(segment) = path.split('/').find(|s| s.len() > MAX_SEGMENT) {
        return Some(format!(
            "has a folder or file name of {} bytes (`{}`), longer than the {MAX_SEGMENT} a file \
             system holds",
            segment.len(),
            shortened(segment)
        ));
    }
    if path.len() > MAX_OUTPUT_PATH {
        return Some(format!(
            "is {} bytes long, past the {MAX_OUTPUT_PATH} bytes steppe writes",
            path.len()
        ));
    }
    None
}

/// The first 40 characters of `text`, and `…` when there are more.
fn shortened(text: &str) -> String {
    let mut shown: String = text.chars().take(40).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    shown
}

/// Reports every page, section, alias, term and copied file whose output path is too long.
pub(super) fn check_lengths(site: &Site, diagnostics: &mut Vec<Diagnostic>) {
    for page in &site.pages {
        let Some(problem) = too_long(&page.url.output_file()) else {
            continue;
        };
        let (key, hint) = if page.doc.front.permalink.is_some() {
            ("permalink", "choose a shorter `permalink:`")
        } else if page.doc.front.slug.is_some() {
            (
                "slug",
                "choose a shorter `slug:`, or move the file up a folder",
            )
        } else {
            (
                "title",
                "give the page a shorter `slug:`, or move the file up a folder",
            )
        };
        diagnostics.push(
            Diagnostic::error(format!(
                "the URL of `{}` {problem}",
                page.doc.path.display()
            ))
            .at(doc_location(&page.doc, key))
            .with_hint(hint),
        );
    }
    for section in &site.sections {
        let Some(problem) = too_long(&section.url.output_file()) else {
            continue;
        };
        let folder = site.config.content_folder().join(&section.dir);
        let mut diagnostic = Diagnostic::error(format!(
            "the URL of the folder `{}` {problem}",
            folder.display()
        ))
        .with_hint("move the folder up, or give it a shorter name");
        if let Some(doc) = &section.doc {
            diagnostic = diagnostic.at(doc_location(doc, "title"));
        }
        diagnostics.push(diagnostic);
    }
    for alias in &site.aliases {
        let Some(problem) = too_long(&alias.from.output_file()) else {
            continue;
        };
        let Some(page) = site.pages.iter().find(|p| p.url == alias.to) else {
            continue;
        };
        diagnostics.push(
            Diagnostic::error(format!(
                "an alias of `{}` {problem}",
                page.doc.path.display()
            ))
            .at(doc_location(&page.doc, "aliases"))
            .with_hint("shorten the alias, or remove it"),
        );
    }
    for taxonomy in &site.taxonomies {
        for term in &taxonomy.terms {
            let Some(problem) = too_long(&term.url.output_file()) else {
                continue;
            };
            let Some(page) = term.pages.first().map(|&p| &site.pages[p]) else {
                continue;
            };
            diagnostics.push(
                Diagnostic::error(format!(
                    "the {} term `{}` has a URL that {problem}",
                    taxonomy.name,
                    shortened(&term.name)
                ))
                .at(doc_item_location(&page.doc, &taxonomy.name, &term.name))
                .with_hint("use fewer `/`-separated levels in the term"),
            );
        }
    }
    for file in &site.assets {
        let Some(problem) = too_long(&file.output) else {
            continue;
        };
        diagnostics.push(
            Diagnostic::error(format!(
                "the copied file `{}` {problem}",
                file.asset.relative
            ))
            .with_hint("move the file up a folder, or give its folders shorter names"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_OUTPUT_PATH, too_long};

    #[test]
    fn segments_and_whole_paths_have_limits() {
        assert_eq!(too_long("a/b/index.html"), None);
        let name = "x".repeat(256);
        assert_eq!(
            too_long(&format!("notes/{name}/index.html")).unwrap(),
            "has a folder or file name of 256 bytes \
             (`xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…`), longer than the 255 a file system holds"
        );
        let deep = "abc/".repeat(MAX_OUTPUT_PATH / 4) + "index.html";
        assert_eq!(
            too_long(&deep).unwrap(),
            format!(
                "is {} bytes long, past the {MAX_OUTPUT_PATH} bytes steppe writes",
                deep.len()
            )
        );
    }
}
