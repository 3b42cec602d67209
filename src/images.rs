//! Image files, for the drivers only: what load reads of each image ([`read_image`]: its size
//! from the header, and a hash of its bytes), and the resized copies that write and the dev
//! server make ([`produce`]), cached in `.steppe-cache/images/`.
//!
//! The stages never see a pixel. Load hands each image's facts on as data ([`Image`], a field of
//! its [`crate::files::Asset`]); resolve writes `width`, `height` and `srcset` from them and names
//! each resized copy as a [`Resize`]; render hands those on as outputs; only here are they
//! decoded, resized and encoded, when written. A copy's file name is a hash of everything that
//! makes its bytes (the source's hash, size, crop, format, quality, [`crate::files::RESIZE_VERSION`]), so a
//! cached or previously served copy with that name is the same picture.
//!
//! Every image is untrusted: a header claiming 100,000 × 100,000 pixels in a 100-byte file would
//! ask for 40 GB once decoded. Load refuses an image past [`MAX_SIDE`] or [`MAX_PIXELS`] from its
//! header alone, and decoding runs under `image::Limits` as well. The cache is untrusted too (it
//! can be committed or planted): an entry is used only when it is a regular file whose header
//! says the expected format and size, so at worst a forged entry shows another picture of the
//! same size, never markup or script; anything else is made again.

use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, ImageReader, imageops::FilterType};

use crate::cache;
use crate::files::{Image, ImageFormat, Resize};
use crate::read;

/// Widest or tallest image steppe reads, in pixels.
const MAX_SIDE: u32 = crate::files::MAX_IMAGE_SIDE;

/// Most pixels in an image steppe reads: 64 megapixels, 256 MB decoded as RGBA.
pub(crate) const MAX_PIXELS: u64 = 64 * 1024 * 1024;

/// Largest image file read: far above any photograph a page shows.
const MAX_IMAGE_FILE: u64 = 64 * 1024 * 1024;

/// Where resized copies are kept, below the site root.
const CACHE_DIR: &str = ".steppe-cache/images";

/// Whether a file name has the extension of an image steppe reads.
fn format_of(relative: &str) -> Option<ImageFormat> {
    let (_, ext) = relative.rsplit_once('.')?;
    Some(match ext.to_ascii_lowercase().as_str() {
        "png" => ImageFormat::Png,
        "jpg" | "jpeg" => ImageFormat::Jpeg,
        "gif" => ImageFormat::Gif,
        "webp" => ImageFormat::WebP,
        "svg" => ImageFormat::Svg,
        _ => return None,
    })
}

/// What load keeps of the image at `file` (named `relative`): `None` when the name is not an
/// image's or an SVG states no size; else its size and hash, or why it cannot be used.
pub(crate) fn read_image(file: &Path, relative: &str) -> Option<Result<Image, String>> {
    let named = format_of(relative)?;
    let bytes = match read::read(file, MAX_IMAGE_FILE) {
        Ok(bytes) => bytes,
        Err(read::Refusal::TooLarge(_)) => {
            return Some(Err(format!(
                "it is larger than {} MB",
                read::megabytes(MAX_IMAGE_FILE)
            )));
        }
        Err(refusal) => return Some(Err(refusal.reason())),
    };
    image_of(&bytes, named)
}

/// [`read_image`] for a file already in memory (the built-in theme's).
pub(crate) fn image_in(bytes: &[u8], relative: &str) -> Option<Result<Image, String>> {
    image_of(bytes, format_of(relative)?)
}

fn image_of(bytes: &[u8], named: ImageFormat) -> Option<Result<Image, String>> {
    if named == ImageFormat::Svg {
        let (width, height) = svg_size(bytes)?;
        return Some(Ok(Image {
            width,
            height,
            format: ImageFormat::Svg,
            hash: 0,
        }));
    }
    Some(raster_facts(bytes, named))
}

fn raster_facts(bytes: &[u8], named: ImageFormat) -> Result<Image, String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let format = match reader.format() {
        Some(image::ImageFormat::Png) => ImageFormat::Png,
        Some(image::ImageFormat::Jpeg) => ImageFormat::Jpeg,
        Some(image::ImageFormat::Gif) => ImageFormat::Gif,
        Some(image::ImageFormat::WebP) => ImageFormat::WebP,
        _ => {
            return Err(format!(
                "it is not a {} file (its first bytes are no image format steppe reads)",
                named.extension().to_uppercase()
            ));
        }
    };
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| format!("its header cannot be read: {e}"))?;
    check_size(width, height)?;
    Ok(Image {
        width,
        height,
        format,
        hash: xxhash_rust::xxh3::xxh3_64(bytes),
    })
}

/// Refuses a size no page needs and decoding could not afford (a decompression bomb).
fn check_size(width: u32, height: u32) -> Result<(), String> {
    if width == 0 || height == 0 {
        return Err(format!("it is {width} × {height} pixels"));
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!(
            "it is {width} × {height} pixels; steppe reads images of at most {MAX_SIDE} pixels a \
             side and {} megapixels",
            MAX_PIXELS / (1024 * 1024)
        ));
    }
    Ok(())
}

/// The size an SVG states on its root element: `width` and `height` in pixels (or unitless),
/// else its `viewBox`. `None` when it states neither (it then has no intrinsic size).
fn svg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let text = String::from_utf8_lossy(bytes.get(..bytes.len().min(64 * 1024))?);
    let start = text.find("<svg")?;
    let tag = &text[start..];
    let end = tag.find('>')?;
    let tag = &tag[..end];
    let attribute = |name: &str| -> Option<String> {
        let pattern = regex::Regex::new(&format!(r#"\s{name}\s*=\s*["']([^"']*)["']"#)).ok()?;
        Some(pattern.captures(tag)?.get(1)?.as_str().trim().to_string())
    };
    let pixels = |value: Option<String>| -> Option<f64> {
        let value = value?;
        let number = value.strip_suffix("px").unwrap_or(&value).trim();
        number
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && *n > 0.0)
    };
    let size = match (pixels(attribute("width")), pixels(attribute("height"))) {
        (Some(w), Some(h)) => (w, h),
        _ => {
            let view_box = attribute("viewBox")?;
            let numbers: Vec<f64> = view_box
                .split([' ', ',', '\t', '\n'])
                .filter(|s| !s.is_empty())
                .filter_map(|s| s.parse().ok())
                .collect();
            match numbers[..] {
                [_, _, w, h] if w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite() => (w, h),
                _ => return None,
            }
        }
    };
    let side = |n: f64| (n.round() as u32).clamp(1, MAX_SIDE);
    Some((side(size.0), side(size.1)))
}

/// The bytes of a resized copy: from the cache under `root` when it holds a valid one, else
/// decoded, resized and encoded (and then cached). Without `root`, nothing is cached.
pub(crate) fn produce(resize: &Resize, root: Option<&Path>) -> Result<Vec<u8>, String> {
    let name = format!("{CACHE_DIR}/{}", resize.file_name());
    let cached = root.filter(|root| cache_folder(root));
    if let Some(root) = cached
        && let Ok(Some(bytes)) = cache::read(root, &name)
        && is_valid_copy(&bytes, resize)
    {
        return Ok(bytes);
    }
    let bytes = make(resize)?;
    if let Some(root) = cached {
        // A failure to cache costs only the next build's time: the copy itself is good.
        let _ = cache::write(root, &name, &bytes);
    }
    Ok(bytes)
}

/// Whether `<root>/.steppe-cache/images` is a real folder (created when missing): reads and
/// writes below it must not be led anywhere else by a link.
fn cache_folder(root: &Path) -> bool {
    if cache::folder(root).is_err() {
        return false;
    }
    let dir = root.join(CACHE_DIR);
    match std::fs::symlink_metadata(&dir) {
        Ok(meta) => meta.is_dir(),
        Err(_) => {
            let _ = std::fs::create_dir(&dir);
            std::fs::symlink_metadata(&dir).is_ok_and(|meta| meta.is_dir())
        }
    }
}

/// Whether cached `bytes` are an image of the copy's format and size.
fn is_valid_copy(bytes: &[u8], resize: &Resize) -> bool {
    let Ok(reader) = ImageReader::new(Cursor::new(bytes)).with_guessed_format() else {
        return false;
    };
    let expected = match resize.format {
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Gif => image::ImageFormat::Gif,
        ImageFormat::WebP => image::ImageFormat::WebP,
        ImageFormat::Svg => return false,
    };
    reader.format() == Some(expected)
        && reader.into_dimensions().ok() == Some((resize.width, resize.height))
}

/// Decodes the source (under limits), crops and resizes it, and encodes the copy.
fn make(resize: &Resize) -> Result<Vec<u8>, String> {
    let bytes = read::read(&resize.source, MAX_IMAGE_FILE).map_err(|r| r.reason())?;
    // The file changed since load measured it: its page would show the wrong size.
    if xxhash_rust::xxh3::xxh3_64(&bytes) != resize.source_hash {
        return Err("it changed during the build; build again".to_string());
    }
    let mut reader = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    let mut picture = reader
        .decode()
        .map_err(|e| format!("it cannot be decoded: {e}"))?;
    if (picture.width(), picture.height()) != (resize.source_width, resize.source_height) {
        return Err("its pixels are not the size its header states".to_string());
    }
    if let Some((w, h)) = resize.crop {
        let x = (picture.width().saturating_sub(w)) / 2;
        let y = (picture.height().saturating_sub(h)) / 2;
        picture = picture.crop_imm(x, y, w, h);
    }
    let resized = if (picture.width(), picture.height()) == (resize.width, resize.height) {
        picture
    } else {
        picture.resize_exact(resize.width, resize.height, FilterType::CatmullRom)
    };
    encode(resized, resize.format, resize.quality)
}

fn encode(picture: DynamicImage, format: ImageFormat, quality: u8) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let opaque = !picture.color().has_alpha();
    let result = match format {
        ImageFormat::Jpeg => {
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
            DynamicImage::ImageRgb8(picture.to_rgb8()).write_with_encoder(encoder)
        }
        ImageFormat::WebP => {
            let encoder = image::codecs::webp::WebPEncoder::new_lossless(&mut out);
            if opaque {
                DynamicImage::ImageRgb8(picture.to_rgb8()).write_with_encoder(encoder)
            } else {
                DynamicImage::ImageRgba8(picture.to_rgba8()).write_with_encoder(encoder)
            }
        }
        ImageFormat::Png => {
            let encoder = image::codecs::png::PngEncoder::new(&mut out);
            picture.write_with_encoder(encoder)
        }
        ImageFormat::Gif => {
            let mut encoder = image::codecs::gif::GifEncoder::new(&mut out);
            encoder.encode_frame(image::Frame::new(picture.to_rgba8()))
        }
        ImageFormat::Svg => return Err("an SVG is not resized".to_string()),
    };
    result.map_err(|e| format!("the copy cannot be encoded: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_size_from_attributes_or_view_box() {
        let size = |s: &str| svg_size(s.as_bytes());
        assert_eq!(
            size(r#"<?xml version="1.0"?><svg xmlns="x" width="640" height="360px">"#),
            Some((640, 360))
        );
        assert_eq!(size(r#"<svg viewBox="0 0 800 450.4">"#), Some((800, 450)));
        assert_eq!(
            size(r#"<svg width="100%" viewBox="0,0,80,40">"#),
            Some((80, 40))
        );
        assert_eq!(size("<svg>"), None);
        assert_eq!(size(r#"<svg viewBox="0 0 -1 5">"#), None);
    }

    #[test]
    fn bombs_are_refused_from_the_header() {
        assert!(check_size(16_384, 4_096).is_ok());
        assert_eq!(
            check_size(100_000, 100_000),
            Err(
                "it is 100000 × 100000 pixels; steppe reads images of at most 16384 pixels a \
                 side and 64 megapixels"
                    .to_string()
            )
        );
        assert!(check_size(16_384, 16_384).is_err());
    }
}
