//! From a request path to a file of the snapshot: strict decoding, traversal refusal, content
//! types, and the live-reload script injected into HTML.
//!
//! Files are looked up by exact key in memory, so nothing outside the site's output can be
//! reached whatever the path says. The checks here are a second wall, and they make hostile
//! paths answer 404 the same way everywhere: the path is percent-decoded exactly once, strictly
//! (a `%` must start two hex digits, the result must be UTF-8 without NUL or control
//! characters), then refused if it holds a backslash, a `.` or `..` segment, an empty segment
//! (`//`, which could also turn a redirect into a protocol-relative URL), or a `%2e`/`%2f`/`%5c`/
//! `%00` that a second decoding would turn into one of those (double encoding).

/// Why a request path is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Not a valid percent-encoded UTF-8 path: answered 400.
    Malformed,
    /// A traversal attempt or a path no site file can have: answered 404.
    NotFound,
}

/// Decodes the path of a request (without its query) into a `/`-rooted site path.
pub(crate) fn decode_path(raw: &str) -> Result<String, Refusal> {
    if !raw.starts_with('/') {
        return Err(Refusal::NotFound);
    }
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let high = bytes.get(i + 1).and_then(|b| crate::escape::hex_digit(*b));
            let low = bytes.get(i + 2).and_then(|b| crate::escape::hex_digit(*b));
            match (high, low) {
                (Some(h), Some(l)) => decoded.push(h << 4 | l),
                _ => return Err(Refusal::Malformed),
            }
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(decoded).map_err(|_| Refusal::Malformed)?;
    if path.chars().any(|c| c.is_control()) {
        return Err(Refusal::NotFound);
    }
    if path.contains('\\') {
        return Err(Refusal::NotFound);
    }
    let lower = path.to_ascii_lowercase();
    if ["%2e", "%2f", "%5c", "%00"]
        .iter()
        .any(|e| lower.contains(e))
    {
        return Err(Refusal::NotFound);
    }
    let inner = &path[1..];
    if !inner.is_empty() {
        let segments: Vec<&str> = inner.split('/').collect();
        let last = segments.len() - 1;
        for (n, segment) in segments.iter().enumerate() {
            // A trailing slash leaves one empty segment at the end; any other is `//`.
            if (segment.is_empty() && n != last) || *segment == "." || *segment == ".." {
                return Err(Refusal::NotFound);
            }
        }
    }
    Ok(path)
}

/// The `Content-Type` of an output path, by extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The tag injected into every HTML page served from the snapshot of `generation`: the script
/// tells the live-reload socket which build its page came from, so a change published while the
/// page was loading still reloads it. The 404 page (`not_found`) also obeys reloads of
/// `/404.html`.
pub(crate) fn script_tag(generation: u64, not_found: bool) -> String {
    let not_found = if not_found { " data-not-found" } else { "" };
    format!(
        r#"<script src="/__steppe/livereload.js" data-generation="{generation}"{not_found} defer></script>"#
    )
}

/// `html` with `tag` inserted before the last `</body>` (any case), or appended if it has none.
pub(crate) fn inject(html: &[u8], tag: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_once() {
        assert_eq!(decode_path("/").unwrap(), "/");
        assert_eq!(decode_path("/a%20b/").unwrap(), "/a b/");
        assert_eq!(decode_path("/caf%C3%A9").unwrap(), "/café");
        assert_eq!(decode_path("/café").unwrap(), "/café");
        assert_eq!(decode_path("/a/b.css").unwrap(), "/a/b.css");
        assert_eq!(decode_path("/...hidden").unwrap(), "/...hidden");
    }

    #[test]
    fn refuses_traversal_and_malformed_paths() {
        use Refusal::*;
        for (path, why) in [
            ("/../x", NotFound),
            ("/a/../../x", NotFound),
            ("/./x", NotFound),
            ("/%2e%2e/x", NotFound),
            ("/%2E%2E/x", NotFound),
            ("/%252e%252e/x", NotFound),
            ("/..%2fx", NotFound),
            ("/..%252fx", NotFound),
            ("/..\\x", NotFound),
            ("/%5c..%5cx", NotFound),
            ("/%255c..%255cx", NotFound),
            ("/x/%00", NotFound),
            ("/x/%2500", NotFound),
            ("/x/%0a", NotFound),
            ("//evil.com", NotFound),
            ("/a//b", NotFound),
            ("x", NotFound),
            ("/%zz", Malformed),
            ("/%4", Malformed),
            ("/%ff", Malformed),
            ("/%c3", Malformed),
        ] {
            assert_eq!(decode_path(path), Err(why), "{path}");
        }
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("x/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("a.woff2"), "font/woff2");
        assert_eq!(content_type("Makefile"), "application/octet-stream");
        assert_eq!(content_type("v1.2/Makefile"), "application/octet-stream");
    }

    #[test]
    fn injects_before_the_last_body_end() {
        assert_eq!(
            inject(b"<body><p>a</p></BODY></html>", "<s>"),
            b"<body><p>a</p><s></BODY></html>"
        );
        assert_eq!(inject(b"<p>no body", "<s>"), b"<p>no body<s>");
    }
}
