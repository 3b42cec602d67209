//! Scaffolding: `steppe init` creates a working site, `steppe new` adds a content file.
//!
//! [`init`] writes a small but complete site into a folder: `site.toml` with comments, a
//! `.gitignore`, one section per page kind and one example page of each kind whose links
//! resolve. The default theme is built into the binary ([`crate::default_theme`]), so the site
//! needs no copy of it: without one, every build uses the theme of the steppe that builds it,
//! fixes included. With `copy_theme` it is written to `themes/steppe/` too, for authors who
//! want to change it (their files then override the built-in ones, file by file). `init`
//! refuses a folder that is not empty (a lone `.git` folder is fine) unless forced, and even
//! then it only writes its own files and never deletes anything.
//!
//! [`new_page`] writes `<content_dir>/<section>/<slug>.md` for a page kind, with front matter
//! filled in (a draft dated today) and a body skeleton for the kind. It never overwrites a file.
//!
//! Both return a [`Diagnostic`] on failure; nothing here prints.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use crate::default_theme;
use crate::diagnostics::{Diagnostic, closest};
use crate::parse::front_matter::{self, PageKind};
use crate::slug::slugify;

/// What `init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitReport {
    /// The site folder, as the user named it (cleaned of `.` segments).
    pub dir: PathBuf,
    /// Title written to `site.toml`.
    pub title: String,
    /// Files written, relative to `dir`, in the order they were written.
    pub files: Vec<PathBuf>,
}

/// Creates a site in `dir`, creating the folder if needed. `date` is the date given to the
/// example pages (today, from the binary).
///
/// Refuses a folder holding anything but a `.git` folder unless `force`; with `force`, files
/// with the scaffold's names are overwritten and nothing else is touched. `copy_theme` also
/// writes the default theme into `themes/steppe/`.
pub fn init(
    dir: &Path,
    force: bool,
    copy_theme: bool,
    date: jiff::civil::Date,
) -> Result<InitReport, Diagnostic> {
    let dir = clean(dir);
    match fs::metadata(&dir) {
        Ok(meta) if !meta.is_dir() => {
            return Err(Diagnostic::error(format!(
                "cannot create a site in `{}`: it is a file, not a folder",
                dir.display()
            ))
            .with_hint("name a new or empty folder: `steppe init my-site`"));
        }
        Ok(_) => {
            if !force && !is_empty_enough(&dir).map_err(|e| io_error("read", &dir, &e))? {
                return Err(Diagnostic::error(format!(
                    "cannot create a site in {}: the folder is not empty",
                    describe_dir(&dir)
                ))
                .with_hint(
                    "use --force to write into it anyway; existing files with the same names are overwritten",
                ));
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error("read", &dir, &e)),
    }

    let title = title_from_dir(&dir);
    let mut files: Vec<(PathBuf, Vec<u8>)> = site_files(&title, date)
        .into_iter()
        .map(|(path, text)| (PathBuf::from(path), text.into_bytes()))
        .collect();
    if copy_theme {
        files.extend(default_theme::FILES.iter().map(|(path, bytes)| {
            (
                Path::new("themes").join(default_theme::NAME).join(path),
                bytes.to_vec(),
            )
        }));
    }

    let mut written = Vec::with_capacity(files.len());
    for (relative, bytes) in files {
        let path = dir.join(&relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error("create", parent, &e))?;
        }
        fs::write(&path, bytes).map_err(|e| io_error("write", &path, &e))?;
        written.push(relative);
    }
    Ok(InitReport {
        dir,
        title,
        files: written,
    })
}

/// Enough to read a section's `page_kind`: any other key is a property, not an error.
const TAG_RULES: front_matter::Rules<'static> = front_matter::Rules {
    taxonomies: &["tags"],
    strict: false,
};

/// Section folder below `content/` for each page kind, in [`PageKind::ALL`] order.
pub(crate) const SECTIONS: &[(&str, &str)] = &[
    ("essay", "essays"),
    ("case-study", "case-studies"),
    ("checklist", "checklists"),
    ("note", "notes"),
];

/// Writes a new draft page of `kind` titled `title` into the site at `root`, dated `date`.
/// Returns its path as shown to the author: relative to `root` (`content/essays/my-title.md`),
/// or below `content_dir` as site.toml writes it (`../My Vault/essays/my-title.md`).
///
/// `config_file` is the configuration `--config` named, read instead of `root/site.toml`.
pub fn new_page(
    root: &Path,
    config_file: Option<&Path>,
    kind: &str,
    title: &str,
    date: jiff::civil::Date,
) -> Result<PathBuf, Diagnostic> {
    let config =
        crate::load::load_config(root, config_file).map_err(|mut errors| errors.swap_remove(0))?;
    let Some(&(kind, section)) = SECTIONS.iter().find(|(k, _)| *k == kind) else {
        let names = PageKind::ALL.map(PageKind::as_str);
        let (last, rest) = names.split_last().unwrap_or((&"note", &[]));
        let kinds = format!("the kinds are {} and {last}", rest.join(", "));
        let hint = match closest(kind, names) {
            Some(close) => format!("did you mean `{close}`? {kinds}"),
            None => kinds,
        };
        return Err(Diagnostic::error(format!("unknown page kind `{kind}`")).with_hint(hint));
    };
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Diagnostic::error(format!(
            "the title {title:?} has no letters or digits to make a file name from"
        ))
        .with_hint("use a title with at least one letter or digit"));
    }

    let content = root.join(&config.content_dir);
    let relative = config
        .content_folder()
        .join(section)
        .join(format!("{slug}.md"));
    let path = content.join(section).join(format!("{slug}.md"));
    let explicit_kind = section_kind(&content, section) != kind;
    let text = page_text(kind, title, date, explicit_kind);

    let dir = content.join(section);
    fs::create_dir_all(&dir).map_err(|e| io_error("create", &dir, &e))?;
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(
                Diagnostic::error(format!("`{}` already exists", relative.display()))
                    .with_hint("choose another title, or edit the existing file"),
            );
        }
        Err(e) => return Err(io_error("create", &relative, &e)),
    };
    file.write_all(text.as_bytes())
        .map_err(|e| io_error("write", &relative, &e))?;
    Ok(relative)
}

/// The kind pages in `<content>/<section>/` get: the section's `page_kind`, else the home
/// section's, else `note` (as resolve decides it). Unreadable files count as not saying.
fn section_kind(content: &Path, section: &str) -> &'static str {
    let declared = |index: PathBuf| -> Option<&'static str> {
        let text = crate::read::read(&index, crate::read::MAX_TEXT_FILE).ok()?;
        let text = String::from_utf8(text).ok()?;
        let (front, _) = front_matter::parse(&index, &text, &TAG_RULES).ok()?;
        Some(front.page_kind?.as_str())
    };
    declared(content.join(section).join("_index.md"))
        .or_else(|| declared(content.join("_index.md")))
        .unwrap_or("note")
}

/// The whole text of a new page: front matter and a body skeleton for its kind.
fn page_text(kind: &str, title: &str, date: jiff::civil::Date, explicit_kind: bool) -> String {
    let mut text = String::from("---\n");
    text.push_str(&format!("title: {}\n", yaml_string(title)));
    text.push_str("description: \"One sentence for listings and search results.\"\n");
    text.push_str(&format!("date: {date}\n"));
    // The URL segment, written out so renaming the file later keeps the URL.
    text.push_str(&format!("slug: {}\n", slugify(title)));
    text.push_str("draft: true\n");
    if explicit_kind {
        text.push_str(&format!("kind: {kind}\n"));
    }
    text.push_str("tags: []\n");
    if kind == "case-study" {
        text.push_str(
            "era: {start: 1206, end: 1368}\nregion: \"\"\npeople: []\nstrengths: []\nsources: []\n",
        );
    }
    text.push_str("---\n\n");
    text.push_str(match kind {
        "essay" => ESSAY_SKELETON,
        "case-study" => CASE_STUDY_SKELETON,
        "checklist" => CHECKLIST_SKELETON,
        _ => NOTE_SKELETON,
    });
    text
}

const ESSAY_SKELETON: &str = "\
State the claim this essay argues in two or three sentences.

## The argument

Make the case. Link the pages it relies on with relative links to their files, like
`[a case study](../case-studies/some-case.md)`.

## The takeaway

What should the reader do differently after reading this?
";

const CASE_STUDY_SKELETON: &str = "\
Who, where and when, in a few sentences. Set `era` (negative years are BCE), `region`, `people`
and `sources` in the front matter above.

## What happened

Tell the story.

## Lessons

- What a small business today can take from it.
";

const CHECKLIST_SKELETON: &str = "\
Say what this checklist helps the reader check. Readers' ticks are saved in their browser.

- [ ] First item
- [ ] Second item
- [ ] Third item
";

const NOTE_SKELETON: &str = "\
Write the note here.
";

/// A double-quoted YAML string: JSON string syntax is valid YAML.
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("{text:?}"))
}

/// A double-quoted TOML basic string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// True when `dir` holds nothing, or nothing but a `.git` folder.
fn is_empty_enough(dir: &Path) -> io::Result<bool> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() != ".git" || !entry.file_type()?.is_dir() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `dir` without `.` segments; `.` when nothing is left.
fn clean(dir: &Path) -> PathBuf {
    let cleaned: PathBuf = dir
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    if cleaned.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        cleaned
    }
}

/// "the current folder" or "`dir`", for messages.
fn describe_dir(dir: &Path) -> String {
    if dir == Path::new(".") {
        "the current folder".to_string()
    } else {
        format!("`{}`", dir.display())
    }
}

/// The site title for a folder: its name with dashes and underscores as spaces, first letter
/// capitalised (`my-field-guide` → `My field guide`).
pub(crate) fn title_from_dir(dir: &Path) -> String {
    let name = fs::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let words: Vec<&str> = name
        .split(['-', '_', ' ', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "My steppe site".to_string(),
    }
}

fn io_error(verb: &str, path: &Path, error: &io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot {verb} `{}`: {error}", path.display()))
}

/// The site's own files (everything but the theme), as `(path, text)`.
fn site_files(title: &str, date: jiff::civil::Date) -> Vec<(&'static str, String)> {
    let site_toml = SITE_TOML.replace("{title}", &toml_string(title));
    let home = HOME.replace("{title}", &yaml_string(title));
    let date = date.to_string();
    vec![
        ("site.toml", site_toml),
        (".gitignore", "/public\n/.steppe-cache\n".to_string()),
        ("content/_index.md", home),
        ("content/essays/_index.md", ESSAYS_INDEX.to_string()),
        (
            "content/case-studies/_index.md",
            CASE_STUDIES_INDEX.to_string(),
        ),
        ("content/checklists/_index.md", CHECKLISTS_INDEX.to_string()),
        ("content/notes/_index.md", NOTES_INDEX.to_string()),
        (
            "content/essays/small-teams-move-faster.md",
            EXAMPLE_ESSAY.replace("{date}", &date),
        ),
        (
            "content/case-studies/persian-royal-road.md",
            EXAMPLE_CASE_STUDY.replace("{date}", &date),
        ),
        (
            "content/checklists/moving-fast.md",
            EXAMPLE_CHECKLIST.replace("{date}", &date),
        ),
        (
            "content/notes/neither-snow-nor-rain.md",
            EXAMPLE_NOTE.replace("{date}", &date),
        ),
    ]
}

const SITE_TOML: &str = r#"# Site settings for steppe. Every key has a default; these are the ones most sites set.

# Shown in the header, the browser tab and feeds.
title = {title}
# One sentence for search engines and feed readers.
description = "Essays, case studies, checklists and notes."
# Address the site is published at, with its sub-path if any: "https://example.com/" or
# "https://example.com/field-guide/". Feeds and the sitemap need the full address; "/" is
# fine while you write. `steppe build --base-url URL` overrides it for one build.
base_url = "/"
# Language of the content, for <html lang> and feeds.
language = "en"
# Folder under themes/ holding the templates, styles and scripts.
theme = "steppe"
# Folder `steppe build` writes the site to, relative to this file.
output_dir = "public"

[feed]
# Atom feeds of the newest pages, for the site and each tag.
enabled = true
limit = 20

[pagination]
# Pages listed per section page; older ones go to /essays/page/2/ and so on.
per_page = 10
"#;

const HOME: &str = r#"---
title: {title}
description: A new steppe site, with one example page of each kind.
---

Welcome. This text is `content/_index.md`, the home page; replace it with what your site is
about.

Content lives in `content/`, one folder per section and one Markdown file per page:

- **Essays** make an argument. Start with [Small teams move faster](essays/small-teams-move-faster.md).
- **Case studies** tell a story from history, with its era, region, people and sources, like
  [The Persian Royal Road](case-studies/persian-royal-road.md).
- **Checklists** turn an idea into boxes readers can tick, like [Moving fast](checklists/moving-fast.md).
- **Notes** are short and informal, like [Neither snow nor rain](notes/neither-snow-nor-rain.md).

Add a page with `steppe new essay "Your title"`, then run `steppe build --drafts` to see it.
"#;

const ESSAYS_INDEX: &str = "\
---
title: Essays
description: Long-form arguments, each making one case.
page_kind: essay
---

Essays make the argument; case studies and checklists come back to it.
";

const CASE_STUDIES_INDEX: &str = "\
---
title: Case studies
description: Stories from history, with the era, region, people and sources behind them.
page_kind: case-study
---

Each case study says when and where it happened, who was involved, and what to read next.
";

const CHECKLISTS_INDEX: &str = "\
---
title: Checklists
description: Questions to answer about your own work. Ticks stay in your browser.
page_kind: checklist
---

Each checklist turns an idea into concrete items. Ticks are saved in your browser only.
";

const NOTES_INDEX: &str = "\
---
title: Notes
description: Short notes, quotes and loose ends.
page_kind: note
---

Notes are small: a fact, a quote, a question to come back to.
";

const EXAMPLE_ESSAY: &str = r#"---
title: Small teams move faster
description: A few people who trust each other can change course in an afternoon. The reason is how far a message has to travel.
date: {date}
tags: [small-teams, speed]
---

A small team can change its plan in an afternoon; a large organisation needs a meeting to schedule
the meeting. The usual explanation is talent or effort. The better one is distance: how far a
message has to travel between the person who sees a problem and the person who can act on it.

## Every layer adds delay

Each hand-off between the first person to notice something and the person who decides costs time,
and it loses detail along the way.[^telephone] In a team of three, the person who sees the problem
is usually the person who can fix it, so the message does not travel at all.

## Fast relays need trust

Distance can also be shortened by design. The Persian kings moved royal messages across their
empire in days, not months, with a chain of stations where each rider handed over to the next
without waiting for permission. The [Persian Royal Road](../case-studies/persian-royal-road.md)
worked because every link trusted the one after it.

## The takeaway

Keep the circle small enough that everyone knows what everyone else is doing, and let each person
act on what they see. The [moving fast checklist](../checklists/moving-fast.md) turns this into
questions about your own work.

[^telephone]: Anyone who has played the children's game of passing a whispered sentence down a line
    knows how little of the original arrives at the end.
"#;

const EXAMPLE_CASE_STUDY: &str = r#"---
title: The Persian Royal Road
description: How the Achaemenid kings carried messages across 2,500 kilometres in about a week, with relay stations and riders who did not wait for orders.
date: {date}
tags: [history, speed]
era: {start: -550, end: -330}
region: Achaemenid Persian Empire, from Sardis in Anatolia to Susa in Elam
people:
  - Cyrus the Great
  - Darius I
  - Herodotus
strengths: []
sources:
  - "Herodotus, Histories, book 5 (52–54) and book 8 (98)"
  - "Pierre Briant, From Cyrus to Alexander: A History of the Persian Empire (Eisenbrauns, 2002)"
---

From the conquests of Cyrus the Great around 550 BCE to the fall of the empire to Alexander in
330 BCE, the Achaemenid kings ruled lands from the Aegean to the Indus. Holding them together
depended on news arriving in time.

## Stations a day's ride apart

The Royal Road ran some 2,500 kilometres from Sardis, near the Aegean coast, to Susa, one of the
royal capitals. Herodotus counts 111 staging posts along it and reckons the journey at ninety days
on foot. Royal couriers covered it far faster: at each station a fresh rider and horse waited, took
the message and rode on, so that it travelled day and night. Modern estimates put the whole
distance at about a week.

Administrative tablets from Persepolis, written in Elamite, record travel rations handed out at
such stations to couriers and officials carrying sealed authorisations.

## Lessons

- **Short hand-offs beat fast individuals.** No rider was exceptional; the system was.
- **Trust the next link.** A rider handed over and turned back. Nobody checked the message at every
  station. That is the argument of [Small teams move faster](../essays/small-teams-move-faster.md).
"#;

const EXAMPLE_CHECKLIST: &str = r#"---
title: Moving fast
description: Six questions about how quickly your team can notice a problem and act on it.
date: {date}
tags: [small-teams, speed]
---

Tick what is already true. Each item comes from [Small teams move faster](../essays/small-teams-move-faster.md).

- [ ] Everyone on the team knows what everyone else is working on this week.
- [ ] The person who notices a problem can usually fix it without asking anyone.
- [ ] A decision such as changing a price takes a day, not a meeting.
- [ ] News from customers reaches the person who decides within a day.
- [ ] Each hand-off in our work has one clear owner on each side.
- [ ] We could drop a product or a plan this month without a crisis.
"#;

const EXAMPLE_NOTE: &str = r#"---
title: Neither snow nor rain
description: The Persian couriers' famous description, and where it ended up.
date: {date}
tags: [history]
---

Herodotus wrote of the Persian royal couriers that neither snow nor rain nor heat nor gloom of night
stays them from the swift completion of their appointed rounds. The line, in that English
translation, is carved above the entrance of the James A. Farley Post Office Building in New York.

More on the system behind it: [The Persian Royal Road](../case-studies/persian-royal-road.md).
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_section() {
        let kinds: Vec<&str> = SECTIONS.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, PageKind::ALL.map(PageKind::as_str));
    }

    #[test]
    fn titles_from_folder_names() {
        assert_eq!(
            title_from_dir(Path::new("my-field_guide")),
            "My field guide"
        );
        assert_eq!(title_from_dir(Path::new("/")), "My steppe site");
    }

    #[test]
    fn cleaning_drops_current_dir_segments() {
        assert_eq!(clean(Path::new(".")), PathBuf::from("."));
        assert_eq!(clean(Path::new("./a/./b")), PathBuf::from("a/b"));
    }

    #[test]
    fn new_pages_quote_titles_and_fill_kind_fields() {
        let date = jiff::civil::date(2026, 3, 1);
        let text = page_text("case-study", "Sogdians: \"the\" traders", date, false);
        let (front, _) = front_matter::parse(Path::new("x.md"), &text, &TAG_RULES).unwrap();
        assert_eq!(front.title.as_deref(), Some("Sogdians: \"the\" traders"));
        assert!(front.draft);
        assert_eq!(front.era.map(|e| (e.start, e.end)), Some((1206, 1368)));
        assert!(text.contains("date: 2026-03-01\n"));
        assert!(!text.contains("kind:"));
        let text = page_text("checklist", "C", date, true);
        assert!(text.contains("kind: checklist\n") && text.contains("- [ ] First item\n"));
    }

    #[test]
    fn example_pages_parse() {
        for (path, text) in site_files("A \"quoted\" title", jiff::civil::date(2026, 3, 1)) {
            if path.ends_with(".md") {
                let parsed = front_matter::parse(Path::new(path), &text, &TAG_RULES);
                assert!(parsed.is_ok(), "{path}: {parsed:?}");
            }
        }
    }
}
