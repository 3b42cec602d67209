//! End-to-end tests: fixture sites built through the real `steppe` binary, asserting the files
//! readers get and the messages authors see.

mod build;
mod errors;
mod external;
mod support;
