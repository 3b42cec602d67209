//! The part of a link after `#`: a heading (`#Tactics of war` or its id `#tactics-of-war`), a
//! heading path (`#Tactics#Feigned retreats`: a heading under a heading, at any depth), or a
//! block (`#^block-id`). Each is checked against the target document, and a miss is a broken
//! anchor with a "did you mean".

use crate::diagnostics::{Diagnostic, closest};
use crate::parse::{LinkRef, TocEntry};

use super::embeds::Part;
use super::links::{Index, Target};

/// A checked fragment: what goes after `#` in the href, and the part of the document an embed
/// of it transcludes.
pub(super) struct Anchor {
    pub href: String,
    pub part: Part,
}

/// The fragment of a wikilink (`[[Page#…]]`, `![[#…]]`), checked against `target`. Headings may
/// be written as their text or their id, and as a path of headings.
pub(super) fn wiki_anchor(
    index: &Index<'_>,
    target: Target,
    fragment: &str,
    link: &LinkRef,
) -> Result<Anchor, Diagnostic> {
    if let Some(block) = fragment.strip_prefix('^') {
        check_block(index, target, block, link)?;
        return Ok(Anchor {
            href: block_fragment(block),
            part: Part::Block(block.to_string()),
        });
    }
    let id = if fragment.contains('#') {
        heading_path(index, target, fragment, link)?
    } else {
        heading_anchor(index, target, fragment, link)?
    };
    Ok(Anchor {
        href: id.clone(),
        part: Part::Heading(id),
    })
}

/// `^block-id` in a URL: `^` may not stand there, and browsers match the id after decoding.
pub(super) fn block_fragment(id: &str) -> String {
    format!("%5E{id}")
}

/// A heading written as its text (`[[Page#Tactics of war]]`) or its id; returns the id.
fn heading_anchor(
    index: &Index<'_>,
    target: Target,
    fragment: &str,
    link: &LinkRef,
) -> Result<String, Diagnostic> {
    let doc = index.doc(target);
    if doc.body.anchors.iter().any(|a| a == fragment) {
        return Ok(fragment.to_string());
    }
    let slug = crate::slug::slugify(fragment);
    if doc.body.anchors.contains(&slug) {
        return Ok(slug);
    }
    check_anchor(index, target, fragment, link).map(|()| fragment.to_string())
}

/// Whether `entry` is the heading `written` (its id, the slug of its text, or its text).
fn is_heading(entry: &TocEntry, written: &str) -> bool {
    let written = written.trim();
    entry.id == written
        || entry.id == crate::slug::slugify(written)
        || entry.title.eq_ignore_ascii_case(written)
}

/// `Heading#Subheading#…`: each heading found under the one before it, at any depth (the
/// first anywhere in the document); returns the id of the last.
fn heading_path(
    index: &Index<'_>,
    target: Target,
    path: &str,
    link: &LinkRef,
) -> Result<String, Diagnostic> {
    let doc = index.doc(target);
    let mut scope: &[TocEntry] = &doc.body.toc;
    let mut found: Vec<&str> = Vec::new();
    let mut last: Option<&TocEntry> = None;
    for written in path.split('#') {
        // Depth-first over the scope, with an explicit stack: the TOC may be deep.
        let mut stack: Vec<&TocEntry> = scope.iter().rev().collect();
        let mut hit = None;
        while let Some(entry) = stack.pop() {
            if is_heading(entry, written) {
                hit = Some(entry);
                break;
            }
            stack.extend(entry.children.iter().rev());
        }
        let Some(entry) = hit else {
            let mut under = Vec::new();
            let mut stack: Vec<&TocEntry> = scope.iter().rev().collect();
            while let Some(entry) = stack.pop() {
                under.push(entry);
                stack.extend(entry.children.iter().rev());
            }
            let hint = match closest(written, under.iter().map(|e| e.title.as_str())) {
                Some(s) => {
                    let mut path = found.clone();
                    path.push(s);
                    format!("did you mean `#{}`?", path.join("#"))
                }
                None if under.is_empty() => match last {
                    Some(parent) => format!("`{}` has no headings under it", parent.title),
                    None => format!("`{}` has no headings", doc.path.display()),
                },
                None => {
                    let titles = under
                        .iter()
                        .map(|e| format!("#{}", e.title))
                        .collect::<Vec<_>>()
                        .join(", ");
                    match last {
                        Some(parent) => format!("headings under `{}`: {titles}", parent.title),
                        None => format!("headings there: {titles}"),
                    }
                }
            };
            return Err(Diagnostic::error(format!(
                "broken anchor: `{}` has no heading `#{path}`",
                doc.path.display()
            ))
            .at(link.location.clone())
            .with_hint(hint));
        };
        found.push(entry.title.as_str());
        last = Some(entry);
        scope = &entry.children;
    }
    Ok(last.map(|e| e.id.clone()).unwrap_or_default())
}

/// A heading or footnote id (`#tactics`) of `target`.
pub(super) fn check_anchor(
    index: &Index<'_>,
    target: Target,
    fragment: &str,
    link: &LinkRef,
) -> Result<(), Diagnostic> {
    if let Some(block) = fragment.strip_prefix('^') {
        return check_block(index, target, block, link);
    }
    let doc = index.doc(target);
    if fragment.is_empty() || doc.body.anchors.iter().any(|a| a == fragment) {
        return Ok(());
    }
    let hint = match closest(fragment, doc.body.anchors.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if doc.body.anchors.is_empty() => format!("`{}` has no headings", doc.path.display()),
        None => format!(
            "headings there: {}",
            doc.body
                .anchors
                .iter()
                .filter(|a| !a.starts_with("fn"))
                .map(|a| format!("#{a}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Err(Diagnostic::error(format!(
        "broken anchor: `{}` has no heading `#{fragment}`",
        doc.path.display()
    ))
    .at(link.location.clone())
    .with_hint(hint))
}

/// A block id (`^block-id`, given without the `^`) of `target`.
fn check_block(
    index: &Index<'_>,
    target: Target,
    id: &str,
    link: &LinkRef,
) -> Result<(), Diagnostic> {
    let doc = index.doc(target);
    let blocks = &doc.body.blocks;
    if blocks.iter().any(|b| b.id == id) {
        return Ok(());
    }
    let hint = match closest(id, blocks.iter().map(|b| b.id.as_str())) {
        Some(s) => format!("did you mean `^{s}`?"),
        None if blocks.is_empty() => format!(
            "`{}` has no block ids; end a paragraph or list item there with ` ^{id}` to make one",
            doc.path.display()
        ),
        None => format!(
            "blocks there: {}",
            blocks
                .iter()
                .map(|b| format!("^{}", b.id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Err(Diagnostic::error(format!(
        "broken anchor: `{}` has no block `^{id}`",
        doc.path.display()
    ))
    .at(link.location.clone())
    .with_hint(hint))
}
