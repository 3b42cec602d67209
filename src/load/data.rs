//! The files templates read besides templates: data files and the hashes of cache-busted static
//! files. Render does no I/O, so whatever a template may read is read here first: every file
//! of `data/` (the theme's, then the site's, overriding it by name), every other file a
//! template names by a literal path in `load_data(path=…)`, and a hash of the bytes of every
//! static file a template names in `url(path=…, cachebust=true)`
//! ([`crate::render::uses`] finds those calls).
//!
//! A path a template loads must stay inside the site: relative to the site folder, with no
//! `..`, and no symbolic link on the way leading out ([`crate::read::Roots`]). A path that
//! breaks a rule, or a file that cannot be read, is not an error here: the template may never
//! call it. `load_data` reports the reason when a template does.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path};

use xxhash_rust::xxh3::Xxh3;

use crate::diagnostics::{Diagnostic, Location};
use crate::files::{Asset, Contents, DataFile, Source, Template};
use crate::parse::data::{DataFormat, MAX_DATA_FILE};
use crate::read::{self, LinkError, MAX_COPIED_FILE, Refusal};
use crate::render::uses;

use super::walk::{Folders, Found, walk};
use super::{read_text_within, relative_slash};

/// The data folder of the site and of a theme.
pub(crate) const DATA_DIR: &str = "data";

/// The files of `data/` in the theme at `theme_dir` (when there is one) and in the site, a
/// site file replacing the theme's of the same name whatever its extension; then the files
/// the templates load by a literal path.
pub(super) fn data_files(
    folders: &Folders<'_>,
    theme_dir: Option<&Path>,
    templates: &[Template],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<DataFile> {
    // Name (path without extension) → the files of one layer with that name.
    let mut layered: BTreeMap<String, Vec<(String, Found)>> = BTreeMap::new();
    let site_dir = folders.root.join(DATA_DIR);
    for dir in theme_dir
        .map(|t| t.join(DATA_DIR))
        .iter()
        .chain([&site_dir])
    {
        if let Err(d) = folders.check_inside(dir) {
            diagnostics.push(d);
            continue;
        }
        let mut layer: BTreeMap<String, Vec<(String, Found)>> = BTreeMap::new();
        for found in walk(folders, dir, None, diagnostics) {
            let relative = relative_slash(dir, &found.path);
            if DataFormat::of_path(&relative).is_none() {
                let shown = folders.shown(&found.path);
                diagnostics.push(
                    Diagnostic::warning(format!(
                        "`{}` is not a data file, so templates do not see it",
                        shown.display()
                    ))
                    .at(Location::file(&shown))
                    .with_hint(
                        "data files end in .toml, .yaml, .yml, .json or .csv; a file to copy \
                         as it is belongs in static/",
                    ),
                );
                continue;
            }
            let name = relative.rsplit_once('.').map_or(&*relative, |(n, _)| n);
            layer
                .entry(name.to_string())
                .or_default()
                .push((relative.clone(), found));
        }
        layered.extend(layer);
    }
    let mut files: Vec<DataFile> = layered
        .into_values()
        .flatten()
        .map(|(relative, found)| {
            let shown = folders.shown(&found.path);
            let site_path = format!("{DATA_DIR}/{relative}");
            let text = read_text_within(found.file(), shown, MAX_DATA_FILE, TOO_LARGE_HINT);
            DataFile {
                site_path,
                in_data_folder: true,
                text: text.map_err(|d| {
                    let message = d.message.clone();
                    diagnostics.push(d);
                    message
                }),
            }
        })
        .collect();
    let loads = uses::union(templates.iter().map(|t| &*t.source.text)).loads;
    for path in loads.names {
        if files.iter().any(|f| f.site_path == path) {
            continue;
        }
        files.push(DataFile {
            text: loaded(folders, &path),
            site_path: path,
            in_data_folder: false,
        });
    }
    files.sort_by(|a, b| a.site_path.cmp(&b.site_path));
    files
}

const TOO_LARGE_HINT: &str =
    "a data file holds what templates show; keep only what the site needs, or split the file";

/// The file at `path` (relative to the site folder, as a template wrote it), or why a template
/// may not load it.
fn loaded(folders: &Folders<'_>, path: &str) -> Result<Source, String> {
    let relative = Path::new(path);
    if path.is_empty()
        || relative.is_absolute()
        || relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(format!(
            "`{path}` is not a path inside the site: give it relative to the site folder, \
             without `..` (`data/events.toml`)"
        ));
    }
    let file = folders
        .roots
        .follow(&folders.root.join(relative))
        .map_err(|e| match e {
            LinkError::Outside { written } => format!(
                "`{path}` leads out of the site through a symbolic link to `{}`",
                written.display()
            ),
            LinkError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                format!("there is no file `{path}` in the site")
            }
            LinkError::Io(e) => format!("cannot read `{path}`: {e}"),
        })?;
    read_text_within(&file, path.into(), MAX_DATA_FILE, TOO_LARGE_HINT).map_err(|d| d.message)
}

/// Hashes of the static files templates name literally in a cache-busting `url`: the first 16
/// hexadecimal digits of the XXH3-128 of their bytes.
pub(super) fn static_hashes(
    statics: &[Asset],
    templates: &[Template],
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let wanted = uses::union(templates.iter().map(|t| &*t.source.text)).cachebust;
    let mut hashes = BTreeMap::new();
    for path in wanted.names {
        let relative = path.trim_start_matches('/');
        let Some(asset) = statics.iter().find(|a| a.relative == relative) else {
            continue; // `url` says so if a template renders it
        };
        let hash = match &asset.contents {
            Contents::Bytes(bytes) => Ok(xxhash_rust::xxh3::xxh3_128(bytes)),
            Contents::Copy(file) => hash_file(file),
            // Resized copies are outputs, never among the files load lists.
            Contents::Resized(_) => continue,
        };
        match hash {
            Ok(hash) => {
                hashes.insert(relative.to_string(), format!("{:016x}", hash >> 64));
            }
            Err(refusal) => {
                let shown = Path::new("static").join(relative);
                diagnostics.push(
                    Diagnostic::error(format!(
                        "cannot read `{}` to hash it: {}",
                        shown.display(),
                        refusal.reason()
                    ))
                    .at(Location::file(&shown))
                    .with_hint(refusal.hint()),
                );
            }
        }
    }
    hashes
}

/// XXH3-128 of a file's bytes, read in pieces through [`read::open`].
fn hash_file(path: &Path) -> Result<u128, Refusal> {
    let (mut file, _) = read::open(path, MAX_COPIED_FILE)?;
    let mut hasher = Xxh3::new();
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let n = file.read(&mut buffer).map_err(Refusal::Io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher.digest128())
}
