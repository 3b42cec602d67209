//! What templates read besides their context, made ready once per build: the data files (as
//! `data.<name>` and through `load_data`) parsed, and the hashes of cache-busted static files,
//! with a fingerprint of what each template reads for the dev server's render memo.
//!
//! The driver read these files ([`crate::files::DataFile`]); here they are only parsed. A file
//! of `data/` becomes `data.<name>` (its path below `data/` without extension, folders nesting:
//! `data/people/ana.toml` is `data.people.ana`). Two files giving one name (`events.toml` and
//! `events.json`, or `people.toml` beside a folder `people/`) are an error naming both.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value as Json;

use crate::diagnostics::{Diagnostic, Location};
use crate::files::{DataFile, Source};
use crate::parse::data::{DataFormat, parse_data};

use super::fingerprint::{Fingerprint, FingerprintWriter};
use super::uses::Uses;

/// The data of one build.
#[derive(Debug, Default)]
pub(crate) struct SiteData {
    /// `data`: every file of `data/` by name.
    tree: serde_json::Map<String, Json>,
    /// Every file templates may load, by its path from the site root.
    files: BTreeMap<String, Loadable>,
    /// Static files' hashes by path below `static/`.
    hashes: BTreeMap<String, String>,
    /// Fingerprints of the files under each top-level name of `data`.
    by_name: BTreeMap<String, Fingerprint>,
    /// Fingerprint of every file and hash: what a template reading anything reads.
    all: Fingerprint,
}

/// A file `load_data` may load.
#[derive(Debug)]
struct Loadable {
    source: Result<Source, String>,
    fingerprint: Fingerprint,
    /// Its value in each format, parsed when first asked for (by its extension's format
    /// before any template runs, so its errors are the build's, located in the file).
    values: [OnceLock<Result<tera::Value, String>>; 5],
}

impl Loadable {
    fn value(&self, format: DataFormat) -> Result<tera::Value, String> {
        let source = self.source.as_ref().map_err(Clone::clone)?;
        self.values[format as usize]
            .get_or_init(|| {
                parse_data(&source.path, &source.text, format)
                    .map(|json| tera::Value::from_serializable(&json))
                    .map_err(|d| {
                        let place = d
                            .location
                            .as_ref()
                            .map(|l| format!("{}:{}:{}: ", l.path.display(), l.line, l.column))
                            .unwrap_or_default();
                        format!("{place}{}", d.message)
                    })
            })
            .clone()
    }
}

impl SiteData {
    /// Parses the data files; every syntax error and name clash is a diagnostic.
    pub(crate) fn new(
        files: &[DataFile],
        hashes: &BTreeMap<String, String>,
    ) -> (SiteData, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let mut data = SiteData {
            hashes: hashes.clone(),
            ..SiteData::default()
        };
        let mut all = FingerprintWriter::default();
        // Key path in `data` → the file giving it.
        let mut named: BTreeMap<Vec<&str>, &DataFile> = BTreeMap::new();
        for file in files {
            let fingerprint = {
                let mut writer = FingerprintWriter::default();
                writer.add("path", &file.site_path);
                match &file.text {
                    Ok(source) => writer.add("text", &*source.text),
                    Err(why) => writer.add("error", why),
                }
                writer.finish()
            };
            all.add("file", &fingerprint);
            let loadable = Loadable {
                source: file.text.clone(),
                fingerprint,
                values: Default::default(),
            };
            let format = DataFormat::of_path(&file.site_path);
            if let (Ok(source), Some(format)) = (&file.text, format) {
                match parse_data(&source.path, &source.text, format) {
                    Ok(json) => {
                        let value = tera::Value::from_serializable(&json);
                        let _ = loadable.values[format as usize].set(Ok(value));
                        if file.in_data_folder {
                            let key = data_key(&file.site_path);
                            if let Some(clash) = clash(&named, &key) {
                                diagnostics.push(clash_error(clash, file, source));
                            } else {
                                insert(&mut data.tree, &key, json);
                                named.insert(key, file);
                            }
                        }
                    }
                    Err(diagnostic) => {
                        let message = format!(
                            "`{}` could not be read as {}: see the error reported at the file",
                            source.path.display(),
                            format.name()
                        );
                        let _ = loadable.values[format as usize].set(Err(message));
                        diagnostics.push(diagnostic);
                    }
                }
            }
            data.files.insert(file.site_path.clone(), loadable);
        }
        for (key, file) in &named {
            let top = key[0].to_string();
            let fingerprint = data.files[&file.site_path].fingerprint;
            let mut writer = FingerprintWriter::default();
            writer.add("previous", &data.by_name.get(&top));
            writer.add("file", &fingerprint);
            data.by_name.insert(top, writer.finish());
        }
        all.add("hashes", &data.hashes);
        data.all = all.finish();
        (data, diagnostics)
    }

    /// `data`, as every template sees it.
    pub(crate) fn tree(&self) -> &serde_json::Map<String, Json> {
        &self.tree
    }

    /// Fingerprint of everything templates may read here.
    pub(crate) fn fingerprint(&self) -> Fingerprint {
        self.all
    }

    /// Fingerprint of what a template reading `uses` reads.
    pub(crate) fn fingerprint_of(&self, uses: &Uses) -> Fingerprint {
        let mut writer = FingerprintWriter::default();
        if uses.data.all || uses.loads.all || uses.cachebust.all {
            writer.add("all", &self.all);
        }
        for name in &uses.data.names {
            writer.add(name, &self.by_name.get(name));
        }
        for path in &uses.loads.names {
            writer.add(path, &self.files.get(path).map(|f| f.fingerprint));
        }
        for path in &uses.cachebust.names {
            writer.add(path, &self.hashes.get(path.trim_start_matches('/')));
        }
        writer.finish()
    }

    /// `load_data(path=…, format=…)`: the value of a file the driver read.
    pub(crate) fn load(&self, path: &str, format: Option<&str>) -> Result<tera::Value, String> {
        let format = match format {
            Some(name) => DataFormat::named(name).ok_or_else(|| {
                format!(
                    "`load_data`: unknown format `{name}`; use {}",
                    crate::parse::data::FORMAT_NAMES
                )
            })?,
            None => DataFormat::of_path(path).ok_or_else(|| {
                format!(
                    "`load_data`: cannot tell the format of `{path}` from its extension; add \
                     `format=` with {}",
                    crate::parse::data::FORMAT_NAMES
                )
            })?,
        };
        let file = self.files.get(path).ok_or_else(|| {
            format!(
                "`load_data`: `{path}` was not read before rendering: templates load files of \
                 data/ and files named by a literal path, `load_data(path=\"{path}\")`"
            )
        })?;
        file.value(format)
            .map_err(|why| format!("`load_data`: {why}"))
    }

    /// The hash of the static file at `path`, for a cache-busting URL.
    pub(crate) fn hash(&self, path: &str) -> Result<&str, String> {
        let relative = path.trim_start_matches('/');
        self.hashes.get(relative).map(String::as_str).ok_or_else(|| {
            format!(
                "`url`: cannot cache-bust `{path}`: cachebust works on files of static/ named by \
                 a literal path, `url(path=\"{relative}\", cachebust=true)`"
            )
        })
    }
}

/// `data/people/ana.toml` → `["people", "ana"]`.
fn data_key(site_path: &str) -> Vec<&str> {
    let below = site_path
        .split_once('/')
        .map_or(site_path, |(_, rest)| rest);
    let stem = below.rsplit_once('.').map_or(below, |(stem, _)| stem);
    stem.split('/').collect()
}

/// The file already giving `key`, a name above it, or a name below it.
fn clash<'a>(named: &BTreeMap<Vec<&str>, &'a DataFile>, key: &[&str]) -> Option<&'a DataFile> {
    named
        .iter()
        .find(|(other, _)| other.starts_with(key) || key.starts_with(other))
        .map(|(_, file)| *file)
}

fn clash_error(first: &DataFile, second: &DataFile, source: &Source) -> Diagnostic {
    let shown = |file: &DataFile| match &file.text {
        Ok(source) => source.path.display().to_string(),
        Err(_) => file.site_path.clone(),
    };
    let name = data_key(&second.site_path).join(".");
    Diagnostic::error(format!(
        "`{}` and `{}` both give `data.{name}`",
        shown(first),
        shown(second),
    ))
    .at(Location::file(Path::new(&source.path)))
    .with_hint("rename or remove one of them: a data file's name, without its extension, is its name in `data`")
}

fn insert(tree: &mut serde_json::Map<String, Json>, key: &[&str], value: Json) {
    let (last, folders) = key.split_last().expect("a data file has a name");
    let mut map = tree;
    for folder in folders {
        let entry = map
            .entry(folder.to_string())
            .or_insert_with(|| Json::Object(serde_json::Map::new()));
        let Json::Object(inner) = entry else {
            unreachable!("clashes are refused before inserting")
        };
        map = inner;
    }
    map.insert(last.to_string(), value);
}
