//! End-to-end tests: fixture sites built through the real `steppe` binary, asserting the files
//! readers get and the messages authors see; and checks that read the repository itself (the
//! stage boundaries in `architecture`, the generated reference pages in `reference`). One
//! binary, so the suite links once.

mod architecture;
mod browser;
mod build;
mod catalogue;
mod data;
mod embeds;
mod errors;
mod experience;
mod external;
mod faults;
mod graph;
mod help;
mod hostile;
mod images;
mod kinds;
mod knowledge;
mod markup;
mod mdbook;
mod minify;
mod notes;
mod reader;
mod rebuild;
mod reference;
mod sass;
mod scaffold;
mod search;
mod serve_cli;
mod shortcodes;
mod support;
mod untrusted;
mod vault;
mod zero_setup;
