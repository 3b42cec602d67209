//! Pages as Pagefind read them, kept from one index to the next.
//!
//! Reading a page (parsing its HTML, splitting and stemming its words) is most of an index's
//! work, and a page reads the same as long as its bytes are the same. The dev server keeps a
//! [`ReadPages`] between the indexes it builds, so after an edit only the pages that changed
//! are read again, and the bundle's files that come again with the same contents (each
//! unchanged page's fragment, most word chunks) are taken as they were compressed last time;
//! `steppe build` uses one that keeps nothing. Either way the pages are handed to Pagefind in
//! the order given, so the bundle is the one a clean build makes, byte for byte.

use std::collections::HashMap;

use bytes::Bytes;
use pagefind::api::{EncodedFiles, PagefindIndex, ReadPage};
use rayon::prelude::*;

use super::marks::{self, Marks};
use super::{code, flatten};
use crate::files::url_path;

/// Pages handed to Pagefind in one batch (few in tests, so that they span several).
#[cfg(not(test))]
const READ_AT_ONCE: usize = 512;
#[cfg(test)]
const READ_AT_ONCE: usize = 16;

/// What was read of each page, by output path.
#[derive(Debug, Default)]
pub(crate) struct ReadPages {
    /// Whether to keep what was read for the next index.
    keep: bool,
    pages: HashMap<String, Read>,
    /// How many pages the last index read (rather than reused).
    last_read: usize,
    /// The last bundle's files as compressed, for the next bundle to reuse (when kept).
    encoded: EncodedFiles,
}

#[derive(Debug)]
struct Read {
    /// The bytes it was read from; pages reused from the render memo share their buffers.
    bytes: Bytes,
    /// Whether it carries `data-pagefind-body`.
    marked: bool,
    /// Pagefind's reading, unless the page was left out (unmarked while another is marked).
    read: Option<ReadPage>,
}

impl Read {
    fn of(&self, bytes: &Bytes) -> bool {
        (self.bytes.as_ptr() == bytes.as_ptr() && self.bytes.len() == bytes.len())
            || self.bytes == *bytes
    }
}

impl ReadPages {
    /// A memo that keeps what it reads for the next index (the dev server's).
    pub(crate) fn kept() -> ReadPages {
        ReadPages {
            keep: true,
            ..ReadPages::default()
        }
    }

    /// How many pages the last index read rather than reused.
    pub(crate) fn last_read(&self) -> usize {
        self.last_read
    }

    /// Forgets every page read and every file compressed.
    pub(super) fn forget(&mut self) {
        self.pages.clear();
        self.encoded = EncodedFiles::default();
    }

    /// Where the bundle's compressed files are kept for the next index, when this memo keeps.
    pub(super) fn encoded(&mut self) -> Option<&mut EncodedFiles> {
        self.keep.then_some(&mut self.encoded)
    }

    /// Pagefind's readings of the pages it indexes of `pages` (output path, bytes), in order:
    /// those whose bytes are unchanged from the memo, the others read now, on all cores.
    pub(super) async fn read(
        &mut self,
        index: &PagefindIndex,
        mut pages: Vec<(String, Bytes)>,
    ) -> Result<Vec<ReadPage>, String> {
        let marks = Marks::new();
        // Each page as the memo knows it (bytes compared once, here): unchanged or not, and
        // whether it is marked, as known or as found in its bytes (flattening only drops tags
        // nested too deep to matter).
        let (unchanged, marked): (Vec<bool>, Vec<bool>) = pages
            .par_iter()
            .map(|(path, bytes)| match self.pages.get(path) {
                Some(known) if known.of(bytes) => (true, known.marked),
                _ => (false, marks.has(bytes)),
            })
            .unzip();
        let indexed = marks::indexed(&marked);
        // To read: every indexed page that is new or changed, or was left out before.
        let to_read: Vec<usize> = (0..pages.len())
            .filter(|&at| {
                indexed[at]
                    && !(unchanged[at]
                        && self
                            .pages
                            .get(&pages[at].0)
                            .is_some_and(|k| k.read.is_some()))
            })
            .collect();
        self.last_read = to_read.len();
        // A slice at a time, so that only one slice's text is held besides the pages' bytes.
        let mut read_now: HashMap<usize, ReadPage> = HashMap::with_capacity(to_read.len());
        for slice in to_read.chunks(READ_AT_ONCE) {
            // Read as text and flattened on all cores, then read by Pagefind on all cores.
            let htmls: Vec<(String, String)> = slice
                .par_iter()
                .map(|&at| {
                    let (path, bytes) = &pages[at];
                    let html = String::from_utf8_lossy(bytes).into_owned();
                    (url_path(path), flatten::flatten(code::unwrap_spans(html)))
                })
                .collect();
            let read = index
                .read_html_pages(htmls)
                .await
                .map_err(|e| e.to_string())?;
            read_now.extend(slice.iter().copied().zip(read));
            if !self.keep {
                for &at in slice {
                    pages[at].1 = Bytes::new();
                }
            }
        }
        let mut readings = Vec::new();
        let mut next = HashMap::with_capacity(if self.keep { pages.len() } else { 0 });
        for (at, (path, bytes)) in pages.into_iter().enumerate() {
            let known = self.pages.remove(&path).filter(|_| unchanged[at]);
            let read = match read_now.remove(&at) {
                Some(read) => Some(read),
                None if indexed[at] => known.and_then(|known| known.read),
                None => None,
            };
            if !self.keep {
                readings.extend(read);
                continue;
            }
            readings.extend(read.clone());
            let entry = Read {
                bytes,
                marked: marked[at],
                read,
            };
            next.insert(path, entry);
        }
        self.pages = next;
        Ok(readings)
    }
}
