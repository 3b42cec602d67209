//! Media embeds: `![[clip.mp4]]` becomes a video player, `![[talk.mp3]]` an audio player and
//! `![[doc.pdf]]` (`#page=N`, `#height=N`) an embedded PDF, each followed by a link that
//! downloads the file, so a reader whose browser cannot play or show it still gets it.
//!
//! The file is found by resolve like an image (`![[map.png]]`), so its URL is a hole. All the
//! markup is phrasing content: an embed may stand in a sentence or a list item. The player's
//! `title` is the label (`![[clip.mp4|The pitch]]`) or the file name; a label that is a size
//! (`|640` or `|640x360`) sizes a video instead. Other files (`![[prices.csv]]`) are not known
//! here to be files rather than notes; resolve turns those into links.

use std::fmt::Write as _;
use std::ops::Range;

use super::super::LinkKind;
use super::super::text::{is_external, is_image_target, push_escaped};
use super::Transform;
use super::links::parse_size;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Media {
    Video,
    Audio,
    Pdf,
}

/// What an embed target is, by its extension (ignoring `#fragment` and `?query`).
pub(super) fn media_kind(target: &str) -> Option<Media> {
    let path = target.split(['#', '?']).next().unwrap_or("");
    let (_, extension) = path.rsplit_once('.')?;
    match extension.to_ascii_lowercase().as_str() {
        "mp4" | "m4v" | "webm" | "mov" | "mkv" | "ogv" => Some(Media::Video),
        "mp3" | "ogg" | "oga" | "wav" | "m4a" | "flac" | "opus" => Some(Media::Audio),
        "pdf" => Some(Media::Pdf),
        _ => None,
    }
}

/// Whether `![[target]]` transcludes a note, a section or a block, which is block content: not
/// an image, video, audio or PDF, and not a file with an extension (`prices.csv`, which resolve
/// turns into a link).
pub(super) fn is_block_embed(target: &str) -> bool {
    if is_image_target(target) || is_external(target) || media_kind(target).is_some() {
        return false;
    }
    let path = target.split('#').next().unwrap_or("");
    let file = path.rsplit('/').next().unwrap_or(path);
    !file.rsplit_once('.').is_some_and(|(_, extension)| {
        extension.len() <= 5
            && extension.bytes().all(|b| b.is_ascii_alphanumeric())
            && extension.bytes().any(|b| b.is_ascii_alphabetic())
            && !extension.eq_ignore_ascii_case("md")
    })
}

impl Transform<'_, '_> {
    /// Writes the player or viewer for `![[dest|label]]` into `html`.
    pub(super) fn media_embed(
        &mut self,
        html: &mut String,
        media: Media,
        dest: &str,
        label: &str,
        range: Range<usize>,
    ) {
        let (path, fragment) = dest.split_once('#').unwrap_or((dest, ""));
        let name = path.rsplit('/').next().unwrap_or(path);
        let size = parse_size(label);
        let title = if label.is_empty() || size.is_some() {
            name
        } else {
            label
        };
        let mut src = String::new();
        // The fragment is written here, after the hole: resolve sees the file alone.
        self.hole(
            &mut src,
            LinkKind::Embed,
            path.to_string(),
            path,
            range,
            false,
        );
        self.ctx_append(title);
        match media {
            Media::Video | Media::Audio => {
                let (class, element) = if media == Media::Video {
                    ("embed-video", "video")
                } else {
                    ("embed-audio", "audio")
                };
                let _ = write!(
                    html,
                    "<span class=\"embed-media {class}\"><{element} controls preload=\"metadata\" src=\"{src}"
                );
                // A media fragment (`#t=30`) is the browser's to read.
                if !fragment.is_empty() {
                    html.push('#');
                    push_escaped(html, fragment);
                }
                html.push_str("\" title=\"");
                push_escaped(html, title);
                html.push('"');
                if media == Media::Video
                    && let Some((width, height)) = size
                {
                    if let Some(w) = width {
                        let _ = write!(html, " width=\"{w}\"");
                    }
                    if let Some(h) = height {
                        let _ = write!(html, " height=\"{h}\"");
                    }
                }
                let _ = write!(html, "></{element}>");
            }
            Media::Pdf => {
                let mut page = None;
                let mut height = None;
                for option in fragment.split('&') {
                    match option.split_once('=') {
                        Some(("page", n)) => page = n.trim().parse::<u32>().ok(),
                        Some(("height", n)) => height = n.trim().parse::<u32>().ok(),
                        _ => {}
                    }
                }
                let _ = write!(
                    html,
                    "<span class=\"embed-media embed-pdf\"><object data=\"{src}"
                );
                if let Some(page) = page {
                    let _ = write!(html, "#page={page}");
                }
                html.push_str("\" type=\"application/pdf\" title=\"");
                push_escaped(html, title);
                html.push('"');
                if let Some(height) = height {
                    let _ = write!(html, " height=\"{height}\"");
                }
                html.push('>');
                push_escaped(html, name);
                html.push_str("</object>");
            }
        }
        let _ = write!(
            html,
            " <a class=\"embed-download\" href=\"{src}\" download>"
        );
        push_escaped(html, name);
        html.push_str("</a></span>");
    }
}
