//! Search: the rendered HTML pages in, the files of a Pagefind search bundle (`pagefind/`) out.
//!
//! Runs after render, over outputs still in memory. Every rendered HTML page is handed to
//! Pagefind's library ([`pagefind::api::PagefindIndex`]) except redirect pages (aliases), the 404
//! page and the search page itself; copied files are not read. Pagefind indexes only what a page
//! marks with `data-pagefind-body` (the default theme marks the article of a page and the
//! introduction of a section, never navigation or footers) and takes the title from
//! `data-pagefind-meta="title"` or the first `<h1>`. When no page of the site carries the
//! attribute, every page's `<body>` is indexed.
//!
//! Pages are handed over in one batch that Pagefind (our crate `steppe-pagefind`,
//! `vendor/pagefind/STEPPE.md`) reads on all cores; pages Pagefind would read only to drop are
//! not handed over (`marks`). Pagefind is asynchronous; [`index`] runs it on a small
//! current-thread tokio runtime of its own and gets the bundle (JavaScript, WebAssembly, index chunks, fragments) back in memory, so
//! the stage stays pure: nothing is read from or written to disk here. Failures, including a
//! panic inside Pagefind, become diagnostics. Pages nested deeper than Pagefind can read in
//! linear time are flattened first (`flatten`).

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use bytes::Bytes;
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostics::Diagnostic;
use crate::files::{Contents, Output};

mod code;
mod flatten;
mod marks;
mod reading;

pub(crate) use reading::ReadPages;

/// Folder of the search bundle in the output, without slashes.
pub(crate) const BUNDLE_DIR: &str = "pagefind";

/// Whether the output path `path` is inside the search bundle's folder.
pub(crate) fn in_bundle(path: &str) -> bool {
    path.strip_prefix(BUNDLE_DIR)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Marks that steppe's Markdown renderer adds and that are no words of the page: heading anchor
/// links (`#`) and footnote back-links (`↩`). Kept out of the index and its excerpts.
const EXCLUDED: &[&str] = &["a.anchor", "a.footnote-backref"];

/// What the search stage produced.
#[derive(Debug, Default, Clone)]
pub(crate) struct SearchIndex {
    /// The bundle's files, at `pagefind/…`.
    pub outputs: Vec<Output>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether `output` is a page the search index should see: rendered HTML that is not the 404
/// page, the search page, a link preview or one of the `redirects` (output paths of alias
/// pages).
pub(crate) fn is_indexable(
    output: &Output,
    redirects: &HashSet<String>,
    search_page: &str,
) -> bool {
    matches!(output.contents, Contents::Bytes(_))
        && output.path.ends_with(".html")
        && output.path != "404.html"
        && output.path != search_page
        && !output.path.starts_with(crate::render::preview::PREVIEW_DIR)
        && !redirects.contains(&output.path)
}

/// A search index still to build: the pages to index, in path order, and the paths the site
/// already has (a file of the site's own under `pagefind/` is an error, `render/generated.rs`;
/// it is kept over the bundle's so that a failed build reports it once).
#[derive(Debug, Clone)]
pub struct Pending {
    pub pages: Vec<Output>,
    pub taken: HashSet<String>,
}

impl Pending {
    /// Whether these are the pages of `other`, byte for byte. Pages reused from the render memo
    /// share their buffers, so unchanged ones compare by pointer.
    pub(crate) fn same_pages(&self, other: &Pending) -> bool {
        self.pages.len() == other.pages.len()
            && self.pages.iter().zip(&other.pages).all(|(a, b)| {
                a.path == b.path
                    && match (&a.contents, &b.contents) {
                        (Contents::Bytes(x), Contents::Bytes(y)) => {
                            (x.as_ptr() == y.as_ptr() && x.len() == y.len()) || x == y
                        }
                        _ => false,
                    }
            })
    }

    /// The bundle's files the site does not already have, from an [`index`] of these pages.
    pub(crate) fn keep_free(&self, built: &SearchIndex) -> SearchIndex {
        SearchIndex {
            outputs: built
                .outputs
                .iter()
                .filter(|o| !self.taken.contains(&o.path))
                .cloned()
                .collect(),
            diagnostics: built.diagnostics.clone(),
        }
    }
}

/// Builds the search bundle for `pages` (already filtered with [`is_indexable`]), letting go of
/// each page as soon as it is read.
pub(crate) fn index(pages: Vec<Output>) -> SearchIndex {
    index_with(pages, &mut ReadPages::default())
}

/// [`index`], reusing what `memo` read of pages that did not change and keeping what it reads
/// when the memo is [`ReadPages::kept`]. Pages given by value are let go of as soon as they are
/// read when the memo keeps nothing (`steppe build`: the pages' text is not held through the
/// rest of the index).
pub(crate) fn index_with(
    pages: impl IntoIterator<Item = Output>,
    memo: &mut ReadPages,
) -> SearchIndex {
    let pages: Vec<(String, Bytes)> = pages
        .into_iter()
        .filter_map(|output| match output.contents {
            Contents::Bytes(bytes) => Some((output.path, bytes)),
            Contents::Copy(_) | Contents::Resized(_) => None,
        })
        .collect();
    let run = catch_unwind(AssertUnwindSafe(|| run_pagefind(pages, memo)));
    if !matches!(run, Ok(Ok(_))) {
        // What was read before the failure is not trusted for the next index.
        memo.forget();
    }
    let result = match run {
        Ok(result) => result,
        Err(panic) => {
            let message = crate::diagnostics::panic_message(&*panic)
                .unwrap_or_else(|| "it panicked".to_string());
            Err(format!("Pagefind failed: {message}"))
        }
    };
    match result {
        Ok(files) => SearchIndex {
            outputs: files,
            diagnostics: Vec::new(),
        },
        Err(message) => SearchIndex {
            diagnostics: vec![
                Diagnostic::error(format!("cannot build the search index: {message}")).with_hint(
                    "this is likely a bug in steppe or Pagefind; set `enabled = false` under \
                     [search] in site.toml to build without search",
                ),
            ],
            ..SearchIndex::default()
        },
    }
}

/// Pagefind's settings for every bundle.
fn options() -> PagefindServiceConfig {
    PagefindServiceConfig::builder()
        .exclude_selectors(EXCLUDED.iter().map(|s| (*s).to_string()).collect())
        .build()
}

/// Feeds every page to Pagefind and collects the bundle in memory.
fn run_pagefind(pages: Vec<(String, Bytes)>, memo: &mut ReadPages) -> Result<Vec<Output>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        let mut index = PagefindIndex::new(Some(options())).map_err(|e| e.to_string())?;
        let read = memo.read(&index, pages).await?;
        index.set_pages(read).await;
        let files = match memo.encoded() {
            Some(reuse) => index.get_files_reusing(reuse).await,
            None => index.get_files().await,
        }
        .map_err(|e| e.to_string())?;
        let mut outputs = Vec::with_capacity(files.len());
        for file in files {
            let name = file.filename.to_string_lossy().replace('\\', "/");
            let name = name.trim_start_matches('/');
            if name.is_empty() || name.split('/').any(|s| s == ".." || s == ".") {
                return Err(format!("unexpected bundle file name `{name}`"));
            }
            outputs.push(Output::bytes(format!("{BUNDLE_DIR}/{name}"), file.contents));
        }
        outputs.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(outputs)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::url_path;

    fn page(title: &str, body: &str) -> String {
        format!(
            "<!doctype html><html lang=\"en\"><head><title>{title}</title></head><body>\
             <nav>Menu everywhere</nav><main data-pagefind-body><h1>{title}</h1><p>{body}</p>\
             </main><footer>Footer text</footer></body></html>"
        )
    }

    fn bytes(outputs: &[Output], path: &str) -> Vec<u8> {
        match &outputs.iter().find(|o| o.path == path).unwrap().contents {
            Contents::Bytes(b) => b.to_vec(),
            Contents::Copy(_) | Contents::Resized(_) => panic!("{path} is a copy"),
        }
    }

    #[test]
    fn builds_a_bundle_in_memory() {
        let outputs = [
            Output::bytes(
                "essays/x/index.html",
                page("Nomads", "Horses graze the steppe."),
            ),
            Output::bytes("index.html", page("Home", "Welcome.")),
        ];
        let built = index(outputs.to_vec());
        assert!(built.diagnostics.is_empty(), "{:?}", built.diagnostics);
        let paths: Vec<&str> = built.outputs.iter().map(|o| o.path.as_str()).collect();
        assert!(paths.contains(&"pagefind/pagefind.js"), "{paths:?}");
        assert!(paths.contains(&"pagefind/pagefind-entry.json"), "{paths:?}");
        assert!(
            paths.iter().any(|p| p.starts_with("pagefind/index/")),
            "{paths:?}"
        );
        assert!(
            paths.iter().any(|p| p.starts_with("pagefind/fragment/")),
            "{paths:?}"
        );
        assert!(paths.iter().all(|p| p.starts_with("pagefind/")));
        let entry =
            String::from_utf8(bytes(&built.outputs, "pagefind/pagefind-entry.json")).unwrap();
        assert!(entry.contains("\"en\""), "{entry}");
    }

    #[test]
    fn only_rendered_pages_are_indexable() {
        let redirects: HashSet<String> = ["old/index.html".to_string()].into();
        let search = "search/index.html";
        let yes = |o: Output| is_indexable(&o, &redirects, search);
        assert!(yes(Output::bytes("essays/x/index.html", "")));
        assert!(!yes(Output::bytes("old/index.html", "")));
        assert!(!yes(Output::bytes("404.html", "")));
        assert!(!yes(Output::bytes("search/index.html", "")));
        assert!(!yes(Output::bytes("atom.xml", "")));
        assert!(!yes(Output::bytes("sitemap.xml", "")));
        assert!(!yes(Output::copy("static.html", "/abs/static.html")));
    }

    /// The bundle's files as Pagefind's script reads them: gzipped ones decompressed.
    fn decoded(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
        let mut decoded: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|(path, bytes)| {
                let plain = if bytes.starts_with(&[0x1f, 0x8b]) {
                    let mut out = Vec::new();
                    std::io::Read::read_to_end(
                        &mut flate2::read::GzDecoder::new(&bytes[..]),
                        &mut out,
                    )
                    .unwrap();
                    out
                } else {
                    bytes
                };
                (path, plain)
            })
            .collect();
        decoded.sort();
        decoded
    }

    /// The bundle Pagefind as published builds: every page, one at a time, through
    /// `add_html_file`, compressed at its own level.
    fn published_bundle(pages: &[Output]) -> Vec<(String, Vec<u8>)> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut index = PagefindIndex::new(Some(options())).unwrap();
            for page in pages {
                let html = String::from_utf8(bytes(pages, &page.path)).unwrap();
                index
                    .add_html_file(None, Some(url_path(&page.path)), html)
                    .await
                    .unwrap();
            }
            let files = index.get_files().await.unwrap();
            decoded(files.into_iter().map(|f| {
                (
                    format!("{BUNDLE_DIR}/{}", f.filename.to_string_lossy()),
                    f.contents,
                )
            }))
        })
    }

    /// steppe's way to the bundle (one parallel batch, unmarked pages left out, faster
    /// compression) must give the files Pagefind as published gives, byte for byte once
    /// decompressed: what readers search is unchanged.
    #[test]
    fn the_batch_gives_the_published_bundle() {
        let mut pages: Vec<Output> = (0..40)
            .map(|i| {
                Output::bytes(
                    format!("notes/n{i}/index.html"),
                    page(
                        &format!("Note {i}: caravan ledger"),
                        &format!(
                            "Horses graze the steppe {i}. 市場で売る 🐎 Ünïcode café {}",
                            i * 7
                        ),
                    ),
                )
            })
            .collect();
        pages.push(Output::bytes(
            "notes/index.html",
            "<!doctype html><html lang=\"en\"><body><h1>Notes</h1><p>A listing.</p></body></html>",
        ));
        pages.push(Output::bytes(
            "code/index.html",
            page(
                "Code",
                "Read this:</p><pre class=\"hl\" data-lang=\"rust\"><code class=\"language-rust\">\
                 <span class=\"hl-source\"><span class=\"hl-keyword\">fn</span> ledger() \
                 {}</span>\n<span class=\"hl-comment\">// caravan &lt;tally&gt;</span></code>\
                 </pre><p>and <span class=\"note\">after</span> it.",
            ),
        ));
        pages.push(Output::bytes(
            "deep/index.html",
            "<!doctype html><html lang=\"en\"><body><article data-pagefind-body>\
             <h2 id=\"first\">First part</h2><p>Signals and drill.</p>\
             <h2 id=\"second\">Second part</h2><p>Initiative within a plan.</p>\
             <span data-pagefind-meta=\"era\">1206</span></article></body></html>",
        ));
        let ours = index(pages.clone());
        assert!(ours.diagnostics.is_empty(), "{:?}", ours.diagnostics);
        let ours = decoded(
            ours.outputs
                .iter()
                .map(|o| (o.path.clone(), bytes(&ours.outputs, &o.path))),
        );
        let published = published_bundle(&pages);
        let names =
            |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(names(&ours), names(&published));
        for ((path, a), (_, b)) in ours.iter().zip(&published) {
            assert!(a == b, "{path} differs from Pagefind's own");
        }
        assert!(
            ours.iter()
                .filter(|(p, _)| p.ends_with(".pf_fragment"))
                .count()
                == 42
        );
    }

    /// The dev server's memo: after an edit only the changed page is read again, and the
    /// bundle is the one a clean index of the same pages gives; when no page is marked any
    /// more, the pages left out before are read too.
    #[test]
    fn a_kept_memo_reads_only_changed_pages_and_gives_the_clean_bundle() {
        let site = |second: &str| {
            vec![
                Output::bytes("a/index.html", page("Alpha", "Caravans cross the steppe.")),
                Output::bytes("b/index.html", page("Beta", second)),
                Output::bytes(
                    "list/index.html",
                    "<!doctype html><html lang=\"en\"><body><p>Listing</p></body></html>",
                ),
            ]
        };
        let files = |built: &SearchIndex| {
            decoded(
                built
                    .outputs
                    .iter()
                    .map(|o| (o.path.clone(), bytes(&built.outputs, &o.path))),
            )
        };
        let mut memo = ReadPages::kept();
        let first = site("Horses graze.");
        assert_eq!(
            files(&index_with(first.clone(), &mut memo)),
            files(&index(first.clone()))
        );
        assert_eq!(
            memo.last_read(),
            2,
            "the listing is unmarked: left out, not read"
        );

        let edited = site("Horses graze and rest at the well.");
        let built = index_with(edited.clone(), &mut memo);
        assert_eq!(memo.last_read(), 1);
        assert_eq!(files(&built), files(&index(edited.clone())));
        assert_ne!(files(&built), files(&index(first.clone())));

        let unmarked: Vec<Output> = edited
            .iter()
            .map(|o| {
                let html = String::from_utf8(bytes(&edited, &o.path)).unwrap();
                Output::bytes(o.path.clone(), html.replace(" data-pagefind-body", ""))
            })
            .collect();
        let built = index_with(unmarked.clone(), &mut memo);
        assert_eq!(memo.last_read(), 3);
        assert_eq!(files(&built), files(&index(unmarked.clone())));
        index_with(unmarked.clone(), &mut memo);
        assert_eq!(memo.last_read(), 0);
    }

    #[test]
    fn no_pages_still_gives_a_working_bundle() {
        let built = index(Vec::new());
        assert!(built.diagnostics.is_empty(), "{:?}", built.diagnostics);
        assert!(
            built
                .outputs
                .iter()
                .any(|o| o.path == "pagefind/pagefind.js")
        );
    }
}
