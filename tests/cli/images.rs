//! Images as a reader gets them: every local image with its intrinsic `width` and `height`,
//! lazy loading and async decoding; raster images wider than the column with a `srcset` of
//! resized copies, made once and then taken from `.steppe-cache/images/`; and the messages an
//! author sees for a missing, undecodable, truncated or oversized image. The images are real
//! PNG and JPEG files made by the test.

use std::fs;

use insta::assert_snapshot;

use crate::support::{Site, jpeg, png, prose};

const SITE_TOML: &str =
    "title = \"Pictures\"\nbase_url = \"https://example.com/\"\n\n[search]\nenabled = false\n";

/// A PNG whose header claims 100,000 × 100,000 pixels (40 GB decoded) in a file of 80 bytes.
fn bomb() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        out.extend(kind);
        out.extend(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend(crc.sum().to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend(100_000u32.to_be_bytes());
    header.extend(100_000u32.to_be_bytes());
    header.extend([8, 6, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

/// Each resized copy in `public/processed_images/`: its name, format and size, by name.
fn copies(site: &Site) -> Vec<(String, image::ImageFormat, u32, u32)> {
    let dir = site.path().join("public/processed_images");
    let mut found: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let reader = image::ImageReader::open(&path)
                .unwrap()
                .with_guessed_format()
                .unwrap();
            let format = reader.format().unwrap();
            let (w, h) = reader.into_dimensions().unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, format, w, h)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn pictures_site() -> Site {
    let site = Site::new(SITE_TOML);
    site.write_bytes("content/essays/Carte du désert.png", &png(1600, 900));
    site.write_bytes(
        "content/essays/Attachments/photo 写真.jpg",
        &jpeg(1200, 800),
    );
    site.write_bytes("content/essays/small.png", &png(300, 200));
    site.write(
        "content/essays/route.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 360\"><title>Route</title></svg>\n",
    );
    site.write(
        "content/essays/trip.md",
        "---\ntitle: Trip\n---\n![The desert, mapped](Carte%20du%20d%C3%A9sert.png)\n\n\
         ![[photo 写真.jpg|300]]\n\n![Small](small.png \"Tiny\")\n\n![The route](route.svg)\n\n\
         ![Far away](https://example.org/far.png)\n",
    );
    site
}

#[test]
fn images_get_their_size_lazy_loading_and_a_srcset_of_resized_copies() {
    let site = pictures_site();
    site.build().succeeds_silently();
    let page = site.read("public/essays/trip/index.html");
    assert_snapshot!(prose(&page), @r#"
    <p><img src="/essays/Carte%20du%20d%C3%A9sert.png" width="1600" height="900" srcset="/processed_images/a82669f18a9bc968a1114d126b2c9a91.webp 480w, /processed_images/9e77385e648e0f9b6bf3492541dae46f.webp 720w, /processed_images/f32b06d755190eedec5b28ad0aa590ec.webp 1080w, /processed_images/7c9a3174ae1777134ee56af5484e777d.webp 1440w, /essays/Carte%20du%20d%C3%A9sert.png 1600w" sizes="(max-width: 720px) 100vw, 720px" alt="The desert, mapped" loading="lazy" decoding="async"></p>
    <p><img src="/essays/attachments/photo%20%E5%86%99%E7%9C%9F.jpg" width="300" height="200" srcset="/processed_images/532650fab0a49de6a61b67c9babdfc0f.jpg 480w, /processed_images/fda606604e54d6f0d80d2f7c95c1f91a.jpg 720w, /processed_images/162bdbfd1f91aa303a7d358042c27bee.jpg 1080w, /essays/attachments/photo%20%E5%86%99%E7%9C%9F.jpg 1200w" sizes="(max-width: 300px) 100vw, 300px" alt="photo 写真.jpg" loading="lazy" decoding="async"></p>
    <p><img src="/essays/small.png" width="300" height="200" alt="Small" title="Tiny" loading="lazy" decoding="async"></p>
    <p><img src="/essays/route.svg" width="640" height="360" alt="The route" loading="lazy" decoding="async"></p>
    <p><img src="https://example.org/far.png" alt="Far away" loading="lazy" decoding="async"></p>
    "#);
    // Each copy is the size its srcset entry says, a WebP of the PNG and a JPEG of the photo.
    let copies = copies(&site);
    let sizes: Vec<_> = copies.iter().map(|(_, f, w, h)| (*f, *w, *h)).collect();
    let mut expected = vec![
        (image::ImageFormat::WebP, 480, 270),
        (image::ImageFormat::WebP, 720, 405),
        (image::ImageFormat::WebP, 1080, 608),
        (image::ImageFormat::WebP, 1440, 810),
        (image::ImageFormat::Jpeg, 480, 320),
        (image::ImageFormat::Jpeg, 720, 480),
        (image::ImageFormat::Jpeg, 1080, 720),
    ];
    let mut sorted = sizes.clone();
    sorted.sort_by_key(|&(f, w, _)| (f == image::ImageFormat::Jpeg, w));
    expected.sort_by_key(|&(f, w, _)| (f == image::ImageFormat::Jpeg, w));
    assert_eq!(sorted, expected);
    for (name, ..) in &copies {
        assert!(
            page.contains(&format!("/processed_images/{name} ")),
            "{name} is named by a srcset"
        );
    }
}

#[test]
fn a_warm_build_takes_resized_copies_from_the_cache_and_checks_them() {
    let site = Site::new(SITE_TOML);
    site.write_bytes("content/wide.png", &png(1000, 500));
    site.write("content/a.md", "---\ntitle: A\n---\n![Wide](wide.png)\n");
    site.build().succeeds_silently();
    let cache = site.path().join(".steppe-cache/images");
    let names: Vec<String> = copies(&site).into_iter().map(|c| c.0).collect();
    assert_eq!(names.len(), 2, "480w and 720w");
    let published =
        |name: &str| fs::read(site.path().join("public/processed_images").join(name)).unwrap();
    let original: Vec<Vec<u8>> = names.iter().map(|n| published(n)).collect();
    for name in &names {
        assert_eq!(fs::read(cache.join(name)).unwrap(), published(name));
    }

    // A cached copy stands in for resizing: a different picture of the same format and size,
    // planted in the cache, is what the warm build publishes.
    let mut planted = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(480, 240, image::Rgb([9, 9, 9])))
        .write_to(&mut planted, image::ImageFormat::WebP)
        .unwrap();
    let planted = planted.into_inner();
    let (small, large) = if copies(&site)[0].2 == 480 {
        (&names[0], &names[1])
    } else {
        (&names[1], &names[0])
    };
    fs::write(cache.join(small), &planted).unwrap();
    // A cache entry that is not an image of its size is never published: it is made again.
    fs::write(cache.join(large), "<script>alert(1)</script>").unwrap();
    site.build().succeeds_silently();
    assert_eq!(published(small), planted);
    let large_index = names.iter().position(|n| n == large).unwrap();
    assert_eq!(published(large), original[large_index]);
    assert_eq!(fs::read(cache.join(large)).unwrap(), original[large_index]);

    // Nor is one that is a link to elsewhere followed.
    fs::remove_file(cache.join(large)).unwrap();
    std::os::unix::fs::symlink(site.path().join("content/wide.png"), cache.join(large)).unwrap();
    site.build().succeeds_silently();
    assert_eq!(published(large), original[large_index]);
    assert!(
        !fs::symlink_metadata(cache.join(large))
            .unwrap()
            .is_symlink()
    );
}

#[test]
fn missing_undecodable_and_oversized_images_are_errors_at_the_markdown() {
    let site = Site::built();
    site.write_bytes("content/bomb.png", &bomb());
    site.write("content/notes.png", "not a picture\n");
    site.write(
        "content/gallery.md",
        "---\ntitle: Gallery\n---\nA ![Gone](gone.png) and ![Text](notes.png).\n\n![[bomb.png|200]]\n",
    );
    assert_snapshot!(site.build().fails(), @"
    error: missing image: `content/gone.png` does not exist
     --> content/gallery.md:4:11
      |
    4 | A ![Gone](gone.png) and ![Text](notes.png).
      |           ^^^^^^^^
      |
      = help: did you mean `@/notes.png`?

    error: image `content/notes.png` cannot be shown: it is not a PNG file (its first bytes are no image format steppe reads)
     --> content/gallery.md:4:33
      |
    4 | A ![Gone](gone.png) and ![Text](notes.png).
      |                                 ^^^^^^^^^
      |
      = help: save the image again as a PNG, JPEG, GIF, WebP or SVG file

    error: image `content/bomb.png` cannot be shown: it is 100000 × 100000 pixels; steppe reads images of at most 16384 pixels a side and 64 megapixels
     --> content/gallery.md:6:4
      |
    6 | ![[bomb.png|200]]
      |    ^^^^^^^^
      |
      = help: save the image again as a PNG, JPEG, GIF, WebP or SVG file

    error: build failed with 3 errors; nothing was written
    ");
}

#[test]
fn an_image_whose_pixels_are_cut_short_fails_when_it_is_resized() {
    let site = Site::built();
    let whole = png(1600, 900);
    site.write_bytes("content/cut.png", &whole[..whole.len() / 3]);
    site.write("content/cut.md", "---\ntitle: Cut\n---\n![Cut](cut.png)\n");
    assert_snapshot!(site.build().fails(), @"
    error: cannot resize `content/cut.png`: it cannot be decoded: unexpected end of file
    --> content/cut.png
     = help: open the image in an image editor and save it again

    error: build failed with 1 error; nothing was written
    ");
}

#[test]
fn image_settings_are_checked() {
    let site = Site::new("[images]\nquality = 0\nwidths = [8, 480]\n");
    assert_snapshot!(site.check().fails(), @"
    error: `images.quality` must be between 1 and 100, not 0
     --> site.toml:2:1
      |
    2 | quality = 0
      | ^^^^^^^
      |
      = help: 80 keeps photographs sharp at a quarter of their size

    error: `images.widths` must be widths from 16 to 16384 pixels
     --> site.toml:3:1
      |
    3 | widths = [8, 480]
      | ^^^^^^
      |
      = help: remove the key to use the default

    error: build failed with 2 errors; nothing was written
    ");
}

#[test]
fn templates_resize_images_with_resize_image() {
    let site = Site::new(SITE_TOML);
    site.write_bytes("content/photos/Côte 海.jpg", &jpeg(1200, 800));
    site.write_bytes("static/img/logo.png", &png(400, 400));
    site.write("content/photos/a.md", "---\ntitle: A\n---\nText.\n");
    site.write(
        "templates/page.html",
        "{% set w = resize_image(path=\"photos/Côte 海.jpg\", width=300, op=\"fit_width\") %}\
         {% set f = resize_image(path=\"photos/Côte 海.jpg\", width=200, height=200) %}\
         {% set l = resize_image(path=\"img/logo.png\", width=64, height=64, op=\"scale\", format=\"png\") %}\
         <img src=\"{{ w.url }}\" width=\"{{ w.width }}\" height=\"{{ w.height }}\">\n\
         <img src=\"{{ f.url }}\" width=\"{{ f.width }}\" height=\"{{ f.height }}\">\n\
         <img src=\"{{ l.url }}\" width=\"{{ l.width }}\" height=\"{{ l.height }}\">\n",
    );
    site.build().succeeds_silently();
    let page = site.read("public/photos/a/index.html");
    assert_snapshot!(page, @r#"
    <img src="/processed_images/de6120667b64306f2b64e7ba653bad4b.jpg" width="300" height="200">
    <img src="/processed_images/80e78c9fa0c4f534b87a3f2117aebd1c.jpg" width="200" height="200">
    <img src="/processed_images/b661f0174b03b3fc7bb85e139fba3b37.png" width="64" height="64">
    "#);
    let sizes: Vec<_> = copies(&site)
        .into_iter()
        .map(|(_, f, w, h)| (f, w, h))
        .collect();
    assert_eq!(sizes.len(), 3);
    for expected in [
        (image::ImageFormat::Jpeg, 300, 200),
        (image::ImageFormat::Jpeg, 200, 200),
        (image::ImageFormat::Png, 64, 64),
    ] {
        assert!(sizes.contains(&expected), "{expected:?} in {sizes:?}");
    }
}

#[test]
fn resize_image_refuses_paths_out_of_the_site_at_the_call() {
    let site = Site::built();
    site.write(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>\n{% set x = resize_image(path=\"../site.toml\", width=10, op=\"fit_width\") %}\n",
    );
    assert_snapshot!(site.build().fails(), @r#"
    error: template error: resize_image: `../site.toml` is not a path inside the site: name a file below the content folder or `static/`, without `..`, e.g. `essays/map.png`
     --> templates/page.html:2:12
      |
    2 | {% set x = resize_image(path="../site.toml", width=10, op="fit_width") %}
      |            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
      = help: while rendering content/good.md (URL /good/)

    error: build failed with 1 error; nothing was written
    "#);
}
