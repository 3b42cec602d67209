//! End-to-end tests: fixture sites built through the real `steppe` binary, asserting the files
//! readers get and the messages authors see.

mod browser;
mod build;
mod errors;
mod search;
mod support;
