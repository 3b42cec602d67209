//! The `resize_image` template function, as in Zola:
//! `resize_image(path, width, height, op="fill", format="auto", quality=80)` returns the `url`,
//! `width` and `height` of a resized copy of an image of the site.
//!
//! `path` names a file load already accepted (below the content folder, or a theme's or the
//! site's `static/`), looked up in the resolved site's copied files: nothing is opened, so no
//! path, `..` or link can lead out of the site. Like the `srcset` copies, a copy is only
//! described here ([`Resize`]); render hands each one requested on as an output and the driver
//! makes it when writing. A call's result depends only on its arguments and the image's facts,
//! but the copies it asks for are a side effect of rendering: so the dev server's render memo is
//! not used when any template calls `resize_image` (every page is rendered again), which keeps
//! the set of copies exactly what a clean build asks for.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;
use tera::{Kwargs, State, TeraResult};

use crate::files::{Image, ImageFormat, MAX_IMAGE_SIDE, Resize};
use crate::resolve::Site;

/// The site's images by the paths templates name them with, and the copies asked for so far.
pub(crate) struct Images {
    /// `essays/map.png` (below the content folder) or `img/logo.png` (below `static/`).
    by_path: HashMap<String, (Result<Image, String>, Option<PathBuf>)>,
    base: String,
    quality: u8,
    requested: Mutex<BTreeMap<String, Arc<Resize>>>,
}

/// What a call returns to the template.
#[derive(Serialize)]
struct Resized {
    url: String,
    width: u32,
    height: u32,
}

impl Images {
    pub(crate) fn of(site: &Site) -> Images {
        let mut by_path = HashMap::new();
        // Content files first: a `static/` file of the same path is the one `url()` names, but
        // a page's own image is what an author means.
        for file in site.assets.iter().rev() {
            if let Some(image) = &file.asset.image {
                by_path.insert(
                    file.asset.relative.clone(),
                    (image.clone(), file.asset.source().map(PathBuf::from)),
                );
            }
        }
        Images {
            by_path,
            base: site.config.base_path(),
            quality: site.config.images.quality,
            requested: Mutex::new(BTreeMap::new()),
        }
    }

    /// Every copy the templates asked for, by output path.
    pub(crate) fn requested(&self) -> Vec<(String, Arc<Resize>)> {
        let requested = self
            .requested
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        requested
            .iter()
            .map(|(path, resize)| (path.clone(), Arc::clone(resize)))
            .collect()
    }

    pub(crate) fn call(&self, kwargs: Kwargs, _: &State) -> TeraResult<tera::Value> {
        let path = kwargs.must_get::<&str>("path")?;
        let width = kwargs.get::<u32>("width")?;
        let height = kwargs.get::<u32>("height")?;
        let op = kwargs.get::<&str>("op")?.unwrap_or("fill");
        let format = kwargs.get::<&str>("format")?.unwrap_or("auto");
        let quality = kwargs.get::<u8>("quality")?.unwrap_or(self.quality);
        let fail = |message: String| tera::Error::message(format!("resize_image: {message}"));
        if path.starts_with('/') || path.contains('\\') || path.split('/').any(|s| s == "..") {
            return Err(fail(format!(
                "`{path}` is not a path inside the site: name a file below the content folder \
                 or `static/`, without `..`, e.g. `essays/map.png`"
            )));
        }
        let (image, source) = match self.by_path.get(path.trim_start_matches("./")) {
            Some((Ok(image), Some(source))) => (*image, source),
            Some((Err(why), _)) => return Err(fail(format!("`{path}` cannot be used: {why}"))),
            Some((Ok(_), None)) | None => {
                return Err(fail(format!(
                    "no image `{path}` below the content folder or `static/`"
                )));
            }
        };
        if !matches!(
            image.format,
            ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP
        ) {
            return Err(fail(format!(
                "`{path}` is {}: only PNG, JPEG and WebP images are resized",
                if image.format == ImageFormat::Svg {
                    "an SVG"
                } else {
                    "a GIF"
                }
            )));
        }
        if !(1..=100).contains(&quality) {
            return Err(fail(format!(
                "`quality` must be between 1 and 100, not {quality}"
            )));
        }
        let format = match format {
            "auto" if image.format == ImageFormat::Jpeg => ImageFormat::Jpeg,
            "auto" | "webp" => ImageFormat::WebP,
            "jpg" | "jpeg" => ImageFormat::Jpeg,
            "png" => ImageFormat::Png,
            other => {
                return Err(fail(format!(
                    "unknown format `{other}`: use \"auto\", \"jpg\", \"png\" or \"webp\""
                )));
            }
        };
        let (size, crop) = plan(&image, op, width, height).map_err(fail)?;
        let resize = Resize {
            source: source.clone(),
            source_hash: image.hash,
            source_width: image.width,
            source_height: image.height,
            width: size.0,
            height: size.1,
            crop,
            format,
            quality,
        };
        let output = format!("{}/{}", crate::resolve::RESIZED_FOLDER, resize.file_name());
        let url = format!("{}{output}", self.base);
        self.requested
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(output)
            .or_insert_with(|| Arc::new(resize));
        Ok(tera::Value::from_serializable(&Resized {
            url,
            width: size.0,
            height: size.1,
        }))
    }
}

/// A copy's size, and the centred part of the source it shows (`None`: all of it).
type Plan = ((u32, u32), Option<(u32, u32)>);

/// The copy's size and the part of the source it shows, for operation `op`.
fn plan(image: &Image, op: &str, width: Option<u32>, height: Option<u32>) -> Result<Plan, String> {
    let (sw, sh) = (u64::from(image.width), u64::from(image.height));
    let need = |value: Option<u32>, name: &str| {
        value.ok_or_else(|| format!("`op=\"{op}\"` needs `{name}`"))
    };
    let scale = |a: u64, num: u64, den: u64| ((a * num + den / 2) / den.max(1)).max(1) as u32;
    let size = match op {
        "scale" => (need(width, "width")?, need(height, "height")?),
        "fit_width" => {
            let w = need(width, "width")?;
            (w, scale(sh, u64::from(w), sw))
        }
        "fit_height" => {
            let h = need(height, "height")?;
            (scale(sw, u64::from(h), sh), h)
        }
        "fit" => {
            let (w, h) = (need(width, "width")?, need(height, "height")?);
            // Within w × h, proportions kept, never larger than the source.
            if sw <= u64::from(w) && sh <= u64::from(h) {
                (image.width, image.height)
            } else if sw * u64::from(h) > sh * u64::from(w) {
                (w, scale(sh, u64::from(w), sw))
            } else {
                (scale(sw, u64::from(h), sh), h)
            }
        }
        "fill" => {
            let (w, h) = (need(width, "width")?, need(height, "height")?);
            // The largest centred part of the source with the proportions of w × h.
            let crop = if sw * u64::from(h) > sh * u64::from(w) {
                (
                    scale(sh, u64::from(w), u64::from(h)).min(image.width),
                    image.height,
                )
            } else {
                (
                    image.width,
                    scale(sw, u64::from(h), u64::from(w)).min(image.height),
                )
            };
            check((w, h))?;
            return Ok(((w, h), Some(crop)));
        }
        other => {
            return Err(format!(
                "unknown op `{other}`: use \"fit_width\", \"fit_height\", \"fit\", \"fill\" or \
                 \"scale\""
            ));
        }
    };
    check(size)?;
    Ok((size, None))
}

fn check((w, h): (u32, u32)) -> Result<(), String> {
    if w == 0 || h == 0 || w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE {
        return Err(format!(
            "a copy of {w} × {h} pixels: each side must be from 1 to {MAX_IMAGE_SIDE}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_size_and_crop_as_zola_does() {
        let image = Image {
            width: 1600,
            height: 900,
            format: ImageFormat::Png,
            hash: 7,
        };
        let plan = |op, w, h| plan(&image, op, w, h);
        assert_eq!(plan("fit_width", Some(800), None), Ok(((800, 450), None)));
        assert_eq!(plan("fit_height", None, Some(300)), Ok(((533, 300), None)));
        assert_eq!(plan("fit", Some(400), Some(400)), Ok(((400, 225), None)));
        assert_eq!(plan("fit", Some(4000), Some(4000)), Ok(((1600, 900), None)));
        assert_eq!(plan("scale", Some(10), Some(20)), Ok(((10, 20), None)));
        assert_eq!(
            plan("fill", Some(300), Some(300)),
            Ok(((300, 300), Some((900, 900))))
        );
        assert_eq!(
            plan("fill", Some(400), Some(100)),
            Ok(((400, 100), Some((1600, 400))))
        );
        assert_eq!(
            plan("fit_width", None, None),
            Err("`op=\"fit_width\"` needs `width`".to_string())
        );
        assert!(plan("scale", Some(0), Some(5)).is_err());
        assert!(plan("stretch", Some(1), Some(1)).is_err());
    }
}
