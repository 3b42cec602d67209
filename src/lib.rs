//! steppe: a static knowledge-site generator.
//!
//! The build is a one-way pipeline of plain data (see ARCHITECTURE.md):
//! [`load`] reads files, [`parse`] turns each source into a [`parse::Doc`], [`resolve`] links the
//! documents into a [`resolve::Site`], [`render`] turns the site into outputs, [`search`] indexes
//! the rendered pages into a Pagefind bundle, and [`output`] writes them. Only `load` and `output`
//! touch the file system; the stages between are pure functions.
//! [`external`] checks external links over the network, for `steppe check --external` only.
//! [`files`] holds the vocabulary every stage shares; [`cache`] is `.steppe-cache/` on disk.
//! [`read`] is how load, write and the dev server open the site's untrusted files.
//! [`serve`] is `steppe serve`: rebuilding on every change and serving from memory;
//! [`report`] prints diagnostics and summaries for the binary and the dev server.

pub mod build;
pub(crate) mod cache;
pub mod cli;
pub mod config;
pub(crate) mod default_theme;
pub mod diagnostics;
pub(crate) mod escape;
pub(crate) mod external;
pub mod files;
pub(crate) mod images;
pub(crate) mod load;
pub(crate) mod output;
pub mod parse;
pub(crate) mod read;
pub(crate) mod render;
pub mod report;
pub mod resolve;
pub mod scaffold;
pub(crate) mod search;
pub mod serve;
pub(crate) mod slug;
