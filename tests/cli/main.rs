//! End-to-end tests: fixture sites built through the real `steppe` binary, asserting the files
//! readers get and the messages authors see.

mod browser;
mod build;
mod catalogue;
mod errors;
mod experience;
mod external;
mod faults;
mod graph;
mod kinds;
mod knowledge;
mod markup;
mod rebuild;
mod scaffold;
mod search;
mod serve_cli;
mod support;
