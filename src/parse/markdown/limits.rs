//! Limits checked on the Markdown text before pulldown-cmark parses it.
//!
//! pulldown-cmark builds a tree node for every table cell, and the transform keeps every event,
//! so memory grows with cells, not with bytes: an 8 MB table of bare `|` cells (8 million cells,
//! one byte each) took 2.85 GB, and a 1,000-column header over rows of one letter each (padded
//! to 1,000 cells a row) took 9 GB from 460 KB. Files parse in parallel, so this is per file.
//! The count is a cheap scan of lines: a delimiter row (`|---|:-:|`) under a header line starts
//! a table, which runs to the next blank line; each row counts as many cells as the larger of
//! the table's columns and the row's own `|`s, as the parser allocates. The scan ignores code
//! fences and counts tables inside quotes and lists, so it can only overestimate. Other
//! elements are counted as pulldown-cmark yields them ([`MAX_ELEMENTS`]).

use std::path::Path;

use crate::diagnostics::{Diagnostic, Location};

/// Most table cells a page may have, empty ones included: a 10,000-row table of 10 columns.
/// At this size a page takes tens of megabytes while it is parsed.
pub(crate) const MAX_TABLE_CELLS: usize = 100_000;

/// An error when the tables of the Markdown body (`text` from `base`) have more than
/// [`MAX_TABLE_CELLS`] cells, pointing at the delimiter row of the table that passes it.
pub(super) fn table_cells(path: &Path, text: &str, base: usize) -> Option<Diagnostic> {
    let mut total = 0usize;
    // The columns of the table being read and where its delimiter row is.
    let mut table: Option<(usize, usize, usize)> = None;
    let mut header: Option<&str> = None;
    let mut offset = base;
    for line in text[base..].split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some((columns, _, _)) = table {
            if content.trim().is_empty() {
                table = None;
                header = None;
                continue;
            }
            total += columns.max(pipes(content) + 1);
        } else if let (Some(head), Some(columns)) = (header, delimiter_columns(content)) {
            table = Some((columns, at, content.len()));
            total += columns.max(pipes(head) + 1) + columns.max(pipes(content) + 1);
        } else {
            header = (!content.trim().is_empty()).then_some(content);
            continue;
        }
        if total > MAX_TABLE_CELLS {
            let (_, start, len) = table.unwrap_or((0, at, content.len()));
            return Some(
                Diagnostic::error(format!(
                    "`{}` has more than {MAX_TABLE_CELLS} table cells; a page may have at most \
                     {MAX_TABLE_CELLS}, empty ones included",
                    path.display()
                ))
                .at(Location::from_offset(path, text, start, len.max(1)))
                .with_hint(
                    "split the table over several pages, or publish the data as a file in \
                     static/ (a .csv) and link to it",
                ),
            );
        }
    }
    None
}

/// Most Markdown elements (pulldown-cmark events: starts, ends, texts) a page may have. Each
/// costs about 200 bytes until the page is rendered, and `*a* ` is four of them in four bytes:
/// 8 MB of it took 1.4 GB. A dense 1 MB page has about 100,000.
pub(crate) const MAX_ELEMENTS: usize = 1_000_000;

/// The error for a page with more than [`MAX_ELEMENTS`] elements, at the element past it.
pub(super) fn too_many_elements(at: Location) -> Diagnostic {
    Diagnostic::error(format!(
        "`{}` has more than {MAX_ELEMENTS} Markdown elements; a page may have at most \
         {MAX_ELEMENTS}",
        at.path.display()
    ))
    .at(at)
    .with_hint("split the page into several pages")
}

fn pipes(line: &str) -> usize {
    line.bytes().filter(|&b| b == b'|').count()
}

/// The number of columns if `line` can be a table's delimiter row (`| --- | :-: |`), after any
/// quote and list markers in front of it.
fn delimiter_columns(line: &str) -> Option<usize> {
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start_matches([' ', '\t', '>']);
        let unlisted = trimmed
            .strip_prefix(['-', '*', '+'])
            .or_else(|| {
                let digits = trimmed.trim_start_matches(|c: char| c.is_ascii_digit());
                (digits.len() < trimmed.len())
                    .then(|| digits.strip_prefix(['.', ')']))
                    .flatten()
            })
            .filter(|r| r.starts_with([' ', '\t']));
        match unlisted {
            Some(r) => rest = r,
            None => {
                rest = trimmed;
                break;
            }
        }
    }
    let is_delimiter = rest.contains('|')
        && rest.contains('-')
        && rest
            .bytes()
            .all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'));
    is_delimiter.then(|| rest.split('|').filter(|cell| cell.contains('-')).count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(markdown: &str) -> Option<String> {
        table_cells(Path::new("t.md"), markdown, 0).map(|d| d.message)
    }

    #[test]
    fn delimiter_rows_are_found_behind_quotes_and_list_markers() {
        assert_eq!(delimiter_columns("|---|:-:|"), Some(2));
        assert_eq!(delimiter_columns("> - | --- | --- | --- |"), Some(3));
        assert_eq!(delimiter_columns("1. --|--"), Some(2));
        assert_eq!(delimiter_columns("---"), None);
        assert_eq!(delimiter_columns("| a |"), None);
    }

    #[test]
    fn tables_within_the_limit_pass_and_padded_rows_count() {
        let row = format!("{}\n", "| a ".repeat(10));
        let table = format!("{row}{}\n{}", "|---".repeat(10), row.repeat(9_000));
        assert_eq!(cells(&table), None);
        // One letter a row, padded to the header's 1,000 columns.
        let wide = format!(
            "{}\n{}\n{}",
            "|a".repeat(1000),
            "|-".repeat(1000),
            "x\n".repeat(100)
        );
        assert_eq!(
            cells(&wide),
            Some(
                "`t.md` has more than 100000 table cells; a page may have at most 100000, empty \
                 ones included"
                    .to_string()
            )
        );
        // A blank line ends a table; lines after it are no rows.
        assert_eq!(
            cells(&format!("{}\n\n{}", &wide[..4003], "x\n".repeat(200))),
            None
        );
    }
}
