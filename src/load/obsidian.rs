//! What an Obsidian vault's settings say about its files. A vault keeps note templates in a
//! folder it names in `.obsidian/templates.json` (the core Templates plugin) or in Templater's
//! settings. Those files are blanks for new notes, full of placeholders (`created: {{date}}`),
//! not notes to publish; Quartz leaves a `templates` folder out for the same reason. steppe
//! leaves the Markdown files of the named folder out and says so once per build; other files
//! there (a Bases view, an image) are attachments as anywhere else.

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::read;

/// The settings files that name a template folder, relative to the vault, with the JSON key
/// that holds it.
pub(super) const TEMPLATE_SETTINGS: [(&str, &str); 2] = [
    (".obsidian/templates.json", "folder"),
    (
        ".obsidian/plugins/templater-obsidian/data.json",
        "templates_folder",
    ),
];

/// Settings files are a few hundred bytes; anything past this is not one.
const MAX_SETTINGS_FILE: u64 = 64 * 1024;

/// A template folder named by the vault's settings: its path relative to the content folder
/// (`Templates`, `Meta/Templates`) and the settings file that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TemplateFolder {
    pub(super) folder: String,
    pub(super) named_in: &'static str,
}

/// The template folders the vault at `content` names that exist, deduplicated. Settings that
/// cannot be read or do not name a folder inside the vault are ignored: they are Obsidian's,
/// and a vault with broken settings still builds.
pub(super) fn template_folders(content: &Path) -> Vec<TemplateFolder> {
    let mut folders: Vec<TemplateFolder> = Vec::new();
    for (settings, key) in TEMPLATE_SETTINGS {
        let Ok(bytes) = read::read(&content.join(settings), MAX_SETTINGS_FILE) else {
            continue;
        };
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
            continue;
        };
        let Some(folder) = json
            .get(key)
            .and_then(|v| v.as_str())
            .and_then(vault_folder)
        else {
            continue;
        };
        if content.join(&folder).is_dir() && !folders.iter().any(|f| f.folder == folder) {
            folders.push(TemplateFolder {
                folder,
                named_in: settings,
            });
        }
    }
    folders
}

/// A folder as Obsidian's settings write it (`Templates`, `/Templates/`, `Meta/Templates`), as a
/// plain `/`-separated path inside the vault; `None` for the vault itself or a path leading out.
fn vault_folder(setting: &str) -> Option<String> {
    let parts: Vec<&str> = setting
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.is_empty() || parts.contains(&"..") {
        return None;
    }
    Some(parts.join("/"))
}

/// The note saying a template folder is left out.
pub(super) fn left_out_note(folder: &TemplateFolder, content_shown: &Path) -> Diagnostic {
    Diagnostic::note(format!(
        "the notes in `{}/{}/` are left out: {} names it the vault's template folder",
        content_shown.display(),
        folder.folder,
        folder.named_in
    ))
    .with_hint(
        "templates are blanks for new notes, not pages; move a note out of the folder to publish it",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_read_as_obsidian_writes_them() {
        assert_eq!(vault_folder("Templates").as_deref(), Some("Templates"));
        assert_eq!(
            vault_folder("/Meta/Templates/").as_deref(),
            Some("Meta/Templates")
        );
        assert_eq!(
            vault_folder("./Vorlagen ✍️").as_deref(),
            Some("Vorlagen ✍️")
        );
        assert_eq!(vault_folder("/"), None);
        assert_eq!(vault_folder(""), None);
        assert_eq!(vault_folder("../outside"), None);
    }

    #[test]
    fn settings_name_the_folders_that_exist() {
        let vault = tempfile::tempdir().unwrap();
        let content = vault.path();
        std::fs::create_dir_all(content.join(".obsidian/plugins/templater-obsidian")).unwrap();
        std::fs::create_dir_all(content.join("Templates")).unwrap();
        std::fs::create_dir_all(content.join("Meta/Templater")).unwrap();
        std::fs::write(
            content.join(".obsidian/templates.json"),
            r#"{"folder": "Templates"}"#,
        )
        .unwrap();
        std::fs::write(
            content.join(".obsidian/plugins/templater-obsidian/data.json"),
            r#"{"templates_folder": "/Meta/Templater", "trigger_on_file_creation": false}"#,
        )
        .unwrap();
        assert_eq!(
            template_folders(content),
            [
                TemplateFolder {
                    folder: "Templates".into(),
                    named_in: ".obsidian/templates.json",
                },
                TemplateFolder {
                    folder: "Meta/Templater".into(),
                    named_in: ".obsidian/plugins/templater-obsidian/data.json",
                },
            ]
        );
        // A folder that is not there, or settings that are not JSON, name nothing.
        std::fs::write(
            content.join(".obsidian/templates.json"),
            r#"{"folder": "Gone"}"#,
        )
        .unwrap();
        std::fs::write(
            content.join(".obsidian/plugins/templater-obsidian/data.json"),
            "not json",
        )
        .unwrap();
        assert_eq!(template_folders(content), []);
    }
}
