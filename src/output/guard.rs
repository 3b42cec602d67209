//! The guard: output folders steppe must never replace (the author's sources, the site root and
//! its ancestors, `$HOME`, `/`), compared canonicalized.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;
/// Refuses an output folder that steppe must never replace. `output_dir` is relative to
/// `site_root` (or absolute); it need not exist.
pub(crate) fn check_output_dir(site_root: &Path, output_dir: &Path) -> Result<(), Diagnostic> {
    let shown = output_dir.display();
    let root = fs::canonicalize(site_root).map_err(|e| {
        Diagnostic::error(format!(
            "cannot open the site folder `{}`: {e}",
            site_root.display()
        ))
        .with_hint("run steppe in the site folder, or pass it with --root")
    })?;
    let output = resolve(&site_root.join(output_dir)).map_err(|e| {
        Diagnostic::error(format!("cannot resolve output_dir `{shown}`: {e}"))
            .with_hint("check that the folders above it exist and are readable")
    })?;
    let refuse = |what: String| {
        Err(
            Diagnostic::error(format!("output_dir `{shown}` is {what}")).with_hint(
                "steppe replaces the output folder on every build; set output_dir in site.toml \
                 to a folder of its own, such as \"public\"",
            ),
        )
    };
    if output.parent().is_none() {
        return refuse("the file system root `/`".to_string());
    }
    if output == root {
        return refuse("the site folder itself".to_string());
    }
    if root.starts_with(&output) {
        return refuse(format!(
            "a folder that contains the site (`{}`)",
            output.display()
        ));
    }
    if let Some(home) = std::env::var_os("HOME").and_then(|h| fs::canonicalize(h).ok())
        && output == home
    {
        return refuse("your home folder".to_string());
    }
    for source in ["content", "themes", "templates", "static"] {
        let source_dir = root.join(source);
        if output == source_dir {
            return refuse(format!("the site's `{source}/` folder"));
        }
        if output.starts_with(&source_dir) {
            return refuse(format!("inside the site's `{source}/` folder"));
        }
    }
    Ok(())
}

/// Refuses an output folder that is the content folder or inside it, wherever `content_dir`
/// (relative to `site_root`, or absolute) lies: the next build would read the output as notes.
/// [`check_output_dir`] already refuses `content/` below the site root.
pub(crate) fn check_output_outside_content(
    site_root: &Path,
    output_dir: &Path,
    content_dir: &Path,
) -> Result<(), Diagnostic> {
    let (Ok(output), Ok(content)) = (
        resolve(&site_root.join(output_dir)),
        resolve(&site_root.join(content_dir)),
    ) else {
        return Ok(()); // check_output_dir reports an output folder it cannot resolve
    };
    if !output.starts_with(&content) {
        return Ok(());
    }
    let what = if output == content { "is" } else { "is inside" };
    Err(Diagnostic::error(format!(
        "output_dir `{}` {what} the content folder `{}`",
        output_dir.display(),
        content_dir.display()
    ))
    .with_hint(
        "steppe reads every file of the content folder as part of the site; set output_dir to \
         a folder outside it, such as \"public\"",
    ))
}

/// Canonical form of `path`, which need not exist: its nearest existing ancestor canonicalized,
/// with the rest appended (`..` and `.` in the rest resolved by name).
pub(super) fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut rest = Vec::new();
    let mut existing = absolute.as_path();
    let base = loop {
        match fs::canonicalize(existing) {
            Ok(base) => break base,
            Err(error) => match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                // `..` or `.` as the last component of a missing path: handled by name below.
                (Some(parent), None) => {
                    rest.push(
                        existing
                            .components()
                            .next_back()
                            .map_or_else(|| ".".into(), |c| c.as_os_str().to_os_string()),
                    );
                    existing = parent;
                }
                (None, _) => return Err(error),
            },
        }
    };
    let mut resolved = base;
    for name in rest.iter().rev() {
        match Path::new(name).components().next() {
            Some(Component::ParentDir) => {
                resolved.pop();
            }
            Some(Component::CurDir) | None => {}
            Some(_) => resolved.push(name),
        }
    }
    Ok(resolved)
}
