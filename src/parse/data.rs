//! Data files: the text of a TOML, YAML, JSON or CSV file into one format-independent tree (a
//! JSON value), for templates (`data.<name>`, `load_data(path=…)`) and shortcodes. A syntax
//! error is a diagnostic at the file's line and column.
//!
//! A CSV file becomes a list of objects keyed by its header row, every value a string (CSV has
//! no types; a template converts with Tera's `int` or `float` filters where it needs numbers).
//! Data files are read whole into memory and turned into template values once per build, so
//! their size is bounded twice: [`MAX_DATA_FILE`] on the bytes read, [`MAX_CSV_CELLS`] on the
//! cells a CSV file may spread them over (each cell repeats its column's name as a key).

use std::path::Path;

use serde_json::Value as Json;

use crate::diagnostics::{Diagnostic, Location};

use super::front_matter;

/// The largest data file steppe reads: far above a site's tables and lists, low enough that a
/// data dump dropped into `data/` is refused at once instead of filling memory as values.
pub(crate) const MAX_DATA_FILE: u64 = 8 * 1024 * 1024;

/// The most cells a CSV file may have.
pub(crate) const MAX_CSV_CELLS: usize = 1_000_000;

/// How a data file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum DataFormat {
    Toml,
    Yaml,
    Json,
    Csv,
    /// The text as it is, one string.
    Plain,
}

impl DataFormat {
    /// The format of a file by its extension (`.yml` too); `None` for any other.
    pub(crate) fn of_path(path: &str) -> Option<DataFormat> {
        let extension = path.rsplit_once('.')?.1;
        match extension.to_ascii_lowercase().as_str() {
            "toml" => Some(DataFormat::Toml),
            "yaml" | "yml" => Some(DataFormat::Yaml),
            "json" => Some(DataFormat::Json),
            "csv" => Some(DataFormat::Csv),
            _ => None,
        }
    }

    /// The format named by `load_data`'s `format` argument.
    pub(crate) fn named(name: &str) -> Option<DataFormat> {
        match name {
            "toml" => Some(DataFormat::Toml),
            "yaml" => Some(DataFormat::Yaml),
            "json" => Some(DataFormat::Json),
            "csv" => Some(DataFormat::Csv),
            "plain" => Some(DataFormat::Plain),
            _ => None,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            DataFormat::Toml => "toml",
            DataFormat::Yaml => "yaml",
            DataFormat::Json => "json",
            DataFormat::Csv => "csv",
            DataFormat::Plain => "plain",
        }
    }
}

/// The names `load_data`'s `format` argument accepts, for hints.
pub(crate) const FORMAT_NAMES: &str = "`toml`, `yaml`, `json`, `csv` or `plain`";

/// The value of the data file `path` (as shown to the author) holding `text`.
pub(crate) fn parse_data(path: &Path, text: &str, format: DataFormat) -> Result<Json, Diagnostic> {
    match format {
        DataFormat::Toml => toml(path, text),
        DataFormat::Yaml => front_matter::yaml_document(path, text),
        DataFormat::Json => json(path, text),
        DataFormat::Csv => csv(path, text),
        DataFormat::Plain => Ok(Json::String(text.to_string())),
    }
}

fn toml(path: &Path, text: &str) -> Result<Json, Diagnostic> {
    match ::toml::from_str::<::toml::Table>(text) {
        Ok(table) => Ok(front_matter::toml_to_json(::toml::Value::Table(table))),
        Err(error) => {
            let location = error.span().map_or_else(
                || Location::from_line_column(path, text, 1, 1, 1),
                |span| Location::from_offset(path, text, span.start, span.len()),
            );
            let first = error.message().lines().next().unwrap_or("").trim();
            Err(Diagnostic::error(format!("invalid TOML: {first}"))
                .at(location)
                .with_hint(
                    "check the TOML syntax: text values need quotes, lists are written \
                     `[\"a\", \"b\"]`, each key appears once in its table",
                ))
        }
    }
}

fn json(path: &Path, text: &str) -> Result<Json, Diagnostic> {
    serde_json::from_str::<Json>(text).map_err(|error| {
        // serde_json counts columns in bytes from 1; the message ends with the position.
        let message = error.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        let line = error.line().max(1);
        let line_start: usize = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum();
        let offset = line_start + error.column().saturating_sub(1);
        Diagnostic::error(format!("invalid JSON: {message}"))
            .at(Location::from_offset(path, text, offset, 1))
            .with_hint(
                "check the JSON syntax: keys and text in double quotes, no comma after the \
                 last item",
            )
    })
}

/// A CSV file as a list of objects keyed by its header row; every value a string.
fn csv(path: &Path, text: &str) -> Result<Json, Diagnostic> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let at_line = |line: u64| {
        let line = usize::try_from(line).unwrap_or(usize::MAX).max(1);
        let length = text
            .split('\n')
            .nth(line - 1)
            .map_or(1, |l| l.trim_end_matches('\r').chars().count());
        Location::from_line_column(path, text, line, 1, length)
    };
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => return Err(csv_error(&error, &at_line)),
    };
    let names: Vec<&str> = headers.iter().collect();
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            return Err(Diagnostic::error(format!(
                "column `{name}` is named twice in the header row"
            ))
            .at(at_line(1))
            .with_hint(
                "each row becomes an object keyed by the header's names: rename one of the columns",
            ));
        }
    }
    let mut rows = Vec::new();
    let mut cells = 0usize;
    for record in reader.records() {
        let record = record.map_err(|error| csv_error(&error, &at_line))?;
        cells += record.len();
        if cells > MAX_CSV_CELLS {
            let line = record.position().map_or(1, ::csv::Position::line);
            return Err(Diagnostic::error(format!(
                "this CSV file has more than {MAX_CSV_CELLS} cells"
            ))
            .at(at_line(line))
            .with_hint("a site's data file is a table people read: split it, or keep only the rows the site shows"));
        }
        let row: serde_json::Map<String, Json> = names
            .iter()
            .zip(record.iter())
            .map(|(name, value)| ((*name).to_string(), Json::String(value.to_string())))
            .collect();
        rows.push(Json::Object(row));
    }
    Ok(Json::Array(rows))
}

fn csv_error(error: &::csv::Error, at_line: &dyn Fn(u64) -> Location) -> Diagnostic {
    match error.kind() {
        ::csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => {
            let line = pos.as_ref().map_or(1, ::csv::Position::line);
            Diagnostic::error(format!(
                "this row has {len} {}; the header row has {expected_len}",
                if *len == 1 { "field" } else { "fields" }
            ))
            .at(at_line(line))
            .with_hint(
                "every row needs one field per column: put a field that holds a comma in \
                 double quotes, `\"Ulaanbaatar, Mongolia\"`",
            )
        }
        _ => {
            let line = error.position().map_or(1, ::csv::Position::line);
            Diagnostic::error(format!("invalid CSV: {error}"))
                .at(at_line(line))
                .with_hint("check the CSV syntax: a header row, then one row per line")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(name: &str, text: &str) -> String {
        let format = DataFormat::of_path(name).unwrap();
        match parse_data(Path::new(name), text, format) {
            Ok(value) => value.to_string(),
            Err(diagnostic) => diagnostic.to_string(),
        }
    }

    #[test]
    fn each_format_gives_the_same_tree() {
        // Keys come out sorted.
        let json = r#"{"events":[{"name":"Cyrus","year":-550}]}"#;
        assert_eq!(
            parsed("a.toml", "[[events]]\nyear = -550\nname = \"Cyrus\"\n"),
            json
        );
        assert_eq!(
            parsed("a.yml", "events:\n  - year: -550\n    name: Cyrus\n"),
            json
        );
        assert_eq!(parsed("a.json", json), json);
        assert_eq!(
            parsed("a.csv", "year,name\n-550,\"Cyrus, the Great\"\n"),
            r#"[{"name":"Cyrus, the Great","year":"-550"}]"#
        );
        assert_eq!(parsed("a.csv", ""), "[]");
    }

    #[test]
    fn errors_name_the_line_and_column() {
        assert_eq!(
            parsed("d.json", "{\n  \"a\": 1,\n}"),
            "error: invalid JSON: trailing comma\n --> d.json:3:1\n  |\n3 | }\n  | ^\n  |\n  = help: check the JSON syntax: keys and text in double quotes, no comma after the last item"
        );
        assert_eq!(
            parsed("d.csv", "a,b\n1,2\n3\n"),
            "error: this row has 1 field; the header row has 2\n --> d.csv:3:1\n  |\n3 | 3\n  | ^\n  |\n  = help: every row needs one field per column: put a field that holds a comma in double quotes, `\"Ulaanbaatar, Mongolia\"`"
        );
        assert_eq!(
            parsed("d.csv", "a,a\n1,2\n"),
            "error: column `a` is named twice in the header row\n --> d.csv:1:1\n  |\n1 | a,a\n  | ^^^\n  |\n  = help: each row becomes an object keyed by the header's names: rename one of the columns"
        );
    }

    #[test]
    fn a_csv_file_past_the_cell_limit_is_refused() {
        let mut text = "a\n".to_string();
        text.push_str(&"x\n".repeat(MAX_CSV_CELLS + 1));
        let error = parse_data(Path::new("big.csv"), &text, DataFormat::Csv).unwrap_err();
        assert_eq!(error.message, "this CSV file has more than 1000000 cells");
        assert_eq!(error.location.unwrap().line, MAX_CSV_CELLS + 2);
    }
}
