//! steppe: a static knowledge-site generator.
//!
//! The build is a one-way pipeline of plain data (see ARCHITECTURE.md):
//! [`load`] reads files, [`parse`] turns each source into a [`parse::Doc`], [`resolve`] links the
//! documents into a [`resolve::Site`], [`render`] turns the site into outputs, and [`output`] writes
//! them. Only `load` and `output` touch the file system; the stages between are pure functions.

pub mod build;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod load;
pub mod output;
pub mod parse;
pub mod reference;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod serve;
pub mod slug;
