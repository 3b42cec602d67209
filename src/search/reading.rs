//! Pages as Pagefind read them, kept from one index to the next.
//!
//! Reading a page (parsing its HTML, splitting and stemming its words) is most of an index's
//! work, and a page reads the same as long as its bytes are the same. The dev server keeps a
//! [`ReadPages`] between the indexes it builds, so after an edit only the pages that changed
//! are read again; `steppe build` uses one that keeps nothing. Either way the pages are handed
//! to Pagefind in the order given, so the bundle is the one a clean build makes.

use std::collections::HashMap;

use bytes::Bytes;
use pagefind::api::{PagefindIndex, ReadPage};
use rayon::prelude::*;

use super::flatten;
use super::marks::{self, Marks};
use crate::files::url_path;

/// What was read of each page, by output path.
#[derive(Debug, Default)]
pub(crate) struct ReadPages {
    /// Whether to keep what was read for the next index.
    keep: bool,
    pages: HashMap<String, Read>,
    /// How many pages the last index read (rather than reused).
    last_read: usize,
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

    /// Forgets every page read.
    pub(super) fn forget(&mut self) {
        self.pages.clear();
    }

    /// Pagefind's readings of the pages it indexes of `pages` (output path, bytes), in order:
    /// those whose bytes are unchanged from the memo, the others read now, on all cores.
    pub(super) async fn read(
        &mut self,
        index: &PagefindIndex,
        pages: &[(&str, &Bytes)],
    ) -> Result<Vec<ReadPage>, String> {
        let marks = Marks::new();
        // Pages are read as text and flattened on all cores, as Pagefind reads them.
        let text = |bytes: &Bytes| flatten::flatten(String::from_utf8_lossy(bytes).into_owned());
        let fresh: Vec<Option<(String, bool)>> = pages
            .par_iter()
            .map(|(path, bytes)| match self.pages.get(*path) {
                Some(known) if known.of(bytes) => None,
                _ => {
                    let html = text(bytes);
                    let marked = marks.has(&html);
                    Some((html, marked))
                }
            })
            .collect();
        let marked: Vec<bool> = pages
            .iter()
            .zip(&fresh)
            .map(|((path, _), fresh)| match fresh {
                Some((_, marked)) => *marked,
                None => self.pages[*path].marked,
            })
            .collect();
        let indexed = marks::indexed(&marked);
        // To read: every indexed page that is new or changed, or was left out before.
        let mut to_read = Vec::new();
        let mut fresh = fresh;
        for (at, ((path, bytes), fresh)) in pages.iter().zip(&mut fresh).enumerate() {
            if !indexed[at] {
                continue;
            }
            let html = match fresh.take() {
                Some((html, _)) => html,
                None if self.pages[*path].read.is_none() => text(bytes),
                None => continue,
            };
            to_read.push((at, (url_path(path), html)));
        }
        self.last_read = to_read.len();
        let (positions, htmls): (Vec<usize>, Vec<(String, String)>) = to_read.into_iter().unzip();
        let mut read_now: HashMap<usize, ReadPage> = positions
            .into_iter()
            .zip(
                index
                    .read_html_pages(htmls)
                    .await
                    .map_err(|e| e.to_string())?,
            )
            .collect();
        let mut readings = Vec::new();
        let mut next = HashMap::with_capacity(if self.keep { pages.len() } else { 0 });
        for (at, (path, bytes)) in pages.iter().enumerate() {
            let known = self.pages.remove(*path).filter(|known| known.of(bytes));
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
                bytes: (*bytes).clone(),
                marked: marked[at],
                read,
            };
            next.insert((*path).to_string(), entry);
        }
        self.pages = next;
        Ok(readings)
    }
}
