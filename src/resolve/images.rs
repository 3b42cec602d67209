//! The `<img>` attributes of local images, written from what load read of each file
//! (`Asset::image`): `src`, the intrinsic `width` and `height` (so the page does not shift as
//! images arrive), and for a PNG, JPEG or WebP wider than the width it is laid out at (the text
//! column, `[images] column_width`, or less when the Markdown asks for a width) a `srcset` of
//! resized copies with `sizes`. The copies are only named here ([`Resize`]); the driver makes them when
//! they are written.
//!
//! A copy of a JPEG is a JPEG (`[images] quality`); of a PNG or WebP, a lossless WebP. The
//! `image` crate's WebP encoder is lossless only, and a lossless WebP of a photograph is larger
//! than the JPEG it came from; no maintained pure-Rust lossy WebP encoder exists, and libwebp
//! would bring C into the build. GIFs (often animated) and SVGs are never resized.

use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::files::{Image, ImageFormat, Resize};
use crate::parse::markdown::ImageSize;

use super::Site;
use super::links::{Resolved, encode_path};
use super::names::Names;

/// Where resized copies are written, below the base.
pub(crate) const RESIZED_FOLDER: &str = "processed_images";

/// The attributes that fill a local image's hole, with what they need.
pub(super) struct ImageTag {
    /// ` src="…" width="…" height="…"`, and ` srcset="…" sizes="…"` for a wide raster image.
    pub(super) attributes: String,
    /// The copies `srcset` names.
    pub(super) resized: Vec<Resize>,
    /// Why the file cannot be used as an image (not yet located).
    pub(super) diagnostic: Option<Diagnostic>,
}

/// The attributes of an image link resolved to `resolved`, asked to show at `size`.
pub(super) fn image_tag(
    site: &Site,
    names: &Names,
    resolved: &Resolved,
    size: ImageSize,
) -> ImageTag {
    let mut tag = ImageTag {
        attributes: format!(" src=\"{}\"", crate::escape::markup(&resolved.href)),
        resized: Vec::new(),
        diagnostic: None,
    };
    let file = resolved
        .output
        .as_deref()
        .and_then(|output| names.images.get(output))
        .map(|&i| &site.assets[i]);
    let Some(file) = file else {
        push_size(&mut tag.attributes, size.width, size.height);
        return tag;
    };
    let image = match &file.asset.image {
        Some(Ok(image)) => *image,
        Some(Err(why)) => {
            let shown = if file.content {
                site.config
                    .content_folder()
                    .join(&file.asset.relative)
                    .display()
                    .to_string()
            } else {
                format!("static/{}", file.asset.relative)
            };
            tag.diagnostic = Some(
                Diagnostic::error(format!("image `{shown}` cannot be shown: {why}"))
                    .with_hint("save the image again as a PNG, JPEG, GIF, WebP or SVG file"),
            );
            push_size(&mut tag.attributes, size.width, size.height);
            return tag;
        }
        None => {
            push_size(&mut tag.attributes, size.width, size.height);
            return tag;
        }
    };
    let (width, height) = shown_size(&image, size);
    push_size(&mut tag.attributes, Some(width), Some(height));
    let config = &site.config.images;
    let resizable = matches!(
        image.format,
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP
    );
    // The widest the image is laid out: its column, or less when a width was asked for.
    let slot = width.min(config.column_width);
    if !(config.responsive && resizable && image.width > slot) {
        return tag;
    }
    let mut widths: Vec<u32> = config
        .widths
        .iter()
        .copied()
        .filter(|&w| w < image.width)
        .collect();
    widths.sort_unstable();
    widths.dedup();
    if widths.is_empty() {
        return tag;
    }
    let Some(source) = file.asset.source() else {
        return tag;
    };
    let base = site.config.base_path();
    let mut srcset = String::new();
    for w in widths {
        let resize = Resize {
            source: source.to_path_buf(),
            source_hash: image.hash,
            source_width: image.width,
            source_height: image.height,
            width: w,
            height: scaled(image.height, w, image.width),
            crop: None,
            format: match image.format {
                ImageFormat::Jpeg => ImageFormat::Jpeg,
                _ => ImageFormat::WebP,
            },
            quality: config.quality,
        };
        let url = format!(
            "{base}{}",
            encode_path(&format!("{RESIZED_FOLDER}/{}", resize.file_name()))
        );
        srcset.push_str(&crate::escape::markup(&url));
        srcset.push_str(&format!(" {w}w, "));
        tag.resized.push(resize);
    }
    srcset.push_str(&crate::escape::markup(&resolved.href));
    srcset.push_str(&format!(" {}w", image.width));
    tag.attributes.push_str(&format!(
        " srcset=\"{srcset}\" sizes=\"(max-width: {slot}px) 100vw, {slot}px\""
    ));
    tag
}

/// The attributes of an image link that did not resolve (already reported): its destination as
/// written, and the size asked for.
pub(super) fn unresolved_tag(dest: &str, size: ImageSize) -> String {
    let mut attributes = format!(" src=\"{}\"", crate::escape::markup(dest));
    push_size(&mut attributes, size.width, size.height);
    attributes
}

/// Every copy once, by output path.
pub(super) fn published(resized: Vec<Resize>) -> Vec<(String, Arc<Resize>)> {
    let mut all: Vec<(String, Arc<Resize>)> = resized
        .into_iter()
        .map(|r| (format!("{RESIZED_FOLDER}/{}", r.file_name()), Arc::new(r)))
        .collect();
    all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    all.dedup_by(|a, b| a.0 == b.0);
    all
}

/// The size an image is shown at: the size asked for, with the missing side in the image's
/// proportions; else its own.
fn shown_size(image: &Image, size: ImageSize) -> (u32, u32) {
    match (size.width, size.height) {
        (Some(w), Some(h)) => (w, h),
        (Some(w), None) => (w, scaled(image.height, w, image.width)),
        (None, Some(h)) => (scaled(image.width, h, image.height), h),
        (None, None) => (image.width, image.height),
    }
}

/// `side × numerator / denominator`, rounded, at least 1.
fn scaled(side: u32, numerator: u32, denominator: u32) -> u32 {
    let value = (u64::from(side) * u64::from(numerator) + u64::from(denominator) / 2)
        / u64::from(denominator.max(1));
    u32::try_from(value).unwrap_or(u32::MAX).max(1)
}

fn push_size(attributes: &mut String, width: Option<u32>, height: Option<u32>) {
    if let Some(w) = width {
        attributes.push_str(&format!(" width=\"{w}\""));
    }
    if let Some(h) = height {
        attributes.push_str(&format!(" height=\"{h}\""));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_size_keeps_proportions() {
        let image = Image {
            width: 1600,
            height: 900,
            format: ImageFormat::Png,
            hash: 1,
        };
        let size = |width, height| shown_size(&image, ImageSize { width, height });
        assert_eq!(size(None, None), (1600, 900));
        assert_eq!(size(Some(300), None), (300, 169));
        assert_eq!(size(None, Some(90)), (160, 90));
        assert_eq!(size(Some(10), Some(10)), (10, 10));
        assert_eq!(scaled(1, 1, 1000), 1);
    }
}
