//! The default theme, `steppe`, compiled into the binary: a folder of notes builds with no
//! `themes/` folder at all, and `steppe init --copy-theme` writes it out for editing.
//!
//! [`crate::load`] uses these files as the bottom layer of the theme when `theme = "steppe"`: a
//! `themes/steppe/` folder on disk overrides them file by file, and the site's own `templates/`
//! and `static/` override both. A unit test keeps [`FILES`] identical to `themes/steppe/` in the
//! repository, so the theme is edited in one place.

/// `(path, bytes)` of one file of `themes/steppe/`, read at compile time.
macro_rules! theme_file {
    ($path:literal) => {
        (
            $path,
            include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/themes/steppe/",
                $path
            )),
        )
    };
}

/// The default theme: each file's path below `themes/steppe/` and its bytes.
pub(crate) const FILES: &[(&str, &[u8])] = &[
    theme_file!("static/diagrams.js"),
    theme_file!("static/favicon.svg"),
    theme_file!("static/reader.js"),
    theme_file!("static/search.js"),
    theme_file!("static/style.css"),
    theme_file!("static/theme.js"),
    theme_file!("static/vendor/README.md"),
    theme_file!("static/vendor/mermaid.LICENSE"),
    theme_file!("static/vendor/mermaid.min.js"),
    theme_file!("templates/404.html"),
    theme_file!("templates/article.html"),
    theme_file!("templates/base.html"),
    theme_file!("templates/case-study.html"),
    theme_file!("templates/checklist.html"),
    theme_file!("templates/components.html"),
    theme_file!("templates/essay.html"),
    theme_file!("templates/explorer.html"),
    theme_file!("templates/graph.html"),
    theme_file!("templates/index.html"),
    theme_file!("templates/page.html"),
    theme_file!("templates/preview.html"),
    theme_file!("templates/search.html"),
    theme_file!("templates/section.html"),
    theme_file!("templates/shortcodes/aside.html"),
    theme_file!("templates/shortcodes/figure.md"),
    theme_file!("templates/shortcodes/quote.html"),
    theme_file!("templates/shortcodes/video.html"),
    theme_file!("templates/taxonomy_list.html"),
    theme_file!("templates/taxonomy_term.html"),
    theme_file!("templates/timeline.html"),
    theme_file!("theme.toml"),
];

/// Name of the default theme, as written to `site.toml` and used as its folder name.
pub(crate) const NAME: &str = "steppe";

/// Where messages say the built-in files are (a template error in one of them names
/// `<built-in steppe theme>/templates/page.html`).
pub(crate) const SHOWN: &str = "<built-in steppe theme>";

/// Static files only a page with a diagram loads: a site without one does not get mermaid's
/// 5.5 MB script (and its licence) in its output. `vendor/README.md` says where the script comes
/// from, for the theme's maintainers; it is never written.
pub(crate) const DIAGRAM_STATICS: [&str; 3] = [
    "diagrams.js",
    "vendor/mermaid.min.js",
    "vendor/mermaid.LICENSE",
];

/// The theme's notes for its maintainers, never written to a site.
pub(crate) const UNPUBLISHED_STATICS: [&str; 1] = ["vendor/README.md"];

/// The templates: name below `templates/` (`page.html`) and text.
pub(crate) fn templates() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    below("templates/")
}

/// The static files: path below `static/` (`style.css`) and bytes.
pub(crate) fn statics() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    below("static/")
}

fn below(folder: &'static str) -> impl Iterator<Item = (&'static str, &'static [u8])> {
    FILES
        .iter()
        .filter_map(move |(path, bytes)| Some((path.strip_prefix(folder)?, *bytes)))
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use super::*;

    /// The embedded theme is exactly `themes/steppe/` on disk: same files, same bytes.
    #[test]
    fn embedded_theme_matches_the_theme_folder() {
        let base = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes")
            .join(NAME);
        let mut on_disk: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(&base)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let relative = e.path().strip_prefix(&base).unwrap();
                let name = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                (name, fs::read(e.path()).unwrap())
            })
            .collect();
        on_disk.sort();
        let mut embedded: Vec<(String, Vec<u8>)> = FILES
            .iter()
            .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
            .collect();
        embedded.sort();
        let names = |files: &[(String, Vec<u8>)]| -> Vec<String> {
            files.iter().map(|(n, _)| n.clone()).collect()
        };
        assert_eq!(
            names(&embedded),
            names(&on_disk),
            "update FILES in src/default_theme.rs"
        );
        for ((name, embedded), (_, disk)) in embedded.iter().zip(&on_disk) {
            assert!(embedded == disk, "{name} differs from the file on disk");
        }
    }
}
