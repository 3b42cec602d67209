//! Tests for the Markdown stage: exact HTML for small inputs, one snapshot, hostile input.
