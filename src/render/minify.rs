//! `[output] minify = true`: HTML, CSS and JavaScript made smaller with minify-html (which
//! minifies inline and standalone CSS with lightningcss and JavaScript with oxc).
//!
//! What must not change, and how it is kept: whitespace in `<pre>` and `<textarea>`
//! (minify-html keeps whitespace-sensitive elements as they are); `<!doctype html>`, the
//! `<html>` and `<head>` start tags and every closing tag (kept, so the markup stays what
//! validators and Pagefind's parser read, and `data-pagefind-*` attributes stay on their
//! elements); inline JSON (`<script type="application/json">` is not JavaScript, so it is left
//! alone); comments are dropped. A file minify-html could not improve is left as it was.
//!
//! JavaScript is minified by oxc as a classic script, so its top-level declarations, which are
//! globals other scripts may use, stay. minify-html parses every script as a module (where an
//! unused top-level `var` may go), so it is told to leave inline scripts alone (they are only
//! trimmed) and standalone files go to oxc directly. A standalone style sheet goes through
//! minify-html wrapped in a `<style>` element. Files already minified (`*.min.js`,
//! `*.min.css`) are left alone, and so is a style sheet holding `</style`, which the wrapping
//! would cut short.

fn options() -> minify_html::Cfg {
    minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        keep_comments: false,
        minify_css: true,
        minify_js: false,
        minify_doctype: false,
        allow_noncompliant_unquoted_attribute_values: false,
        allow_removing_spaces_between_attributes: false,
        ..minify_html::Cfg::default()
    }
}

/// A rendered HTML page, minified.
pub(crate) fn html(page: &str) -> Vec<u8> {
    minify_html::minify(page.as_bytes(), &options())
}

/// A static file's bytes minified when it is CSS or JavaScript (by the extension of `path`)
/// that minifying makes smaller; `None` to keep it as it is.
pub(crate) fn asset(path: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".min.js") || lower.ends_with(".min.css") {
        return None;
    }
    // Both minifiers expect UTF-8 text.
    let text = std::str::from_utf8(bytes).ok()?;
    let minified = if lower.ends_with(".css") {
        if text.to_ascii_lowercase().contains("</style") {
            return None;
        }
        let wrapped = format!("<style>{text}</style>");
        let minified = minify_html::minify(wrapped.as_bytes(), &options());
        minified
            .strip_prefix(b"<style>")?
            .strip_suffix(b"</style>")?
            .to_vec()
    } else if lower.ends_with(".js") {
        script(text)?.into_bytes()
    } else {
        return None;
    };
    (minified.len() < bytes.len()).then_some(minified)
}

/// A classic script minified, or `None` when it does not parse.
fn script(text: &str) -> Option<String> {
    let allocator = oxc_allocator::Allocator::default();
    let parsed = oxc_parser::Parser::new(&allocator, text, oxc_span::SourceType::cjs()).parse();
    if !parsed.errors.is_empty() {
        return None;
    }
    let mut program = parsed.program;
    oxc_minifier::Minifier::new(oxc_minifier::MinifierOptions {
        mangle: Some(oxc_minifier::MangleOptions::default()),
        compress: Some(oxc_minifier::CompressOptions::safest()),
    })
    .minify(&allocator, &mut program);
    let options = oxc_codegen::CodegenOptions {
        minify: true,
        ..oxc_codegen::CodegenOptions::default()
    };
    Some(
        oxc_codegen::Codegen::new()
            .with_options(options)
            .build(&program)
            .code,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_keep_pre_whitespace_json_search_marks_and_scripts() {
        let page = "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>T</title>\n  \
            <style>\n  body {  color : red ;  }\n</style>\n</head>\n<body>\n  <!-- a comment -->\n  \
            <article data-pagefind-body>\n    <p>Some   text</p>\n    <pre><code>a\n    b  c\n</code></pre>\n  \
            </article>\n  <script type=\"application/json\">{ \"a\" : 1 }</script>\n  \
            <script>\n  var answer = 40 + 2;\n  console.log( answer );\n</script>\n</body>\n</html>\n";
        assert_eq!(
            String::from_utf8(html(page)).unwrap(),
            "<!doctype html><html lang=en><head><title>T</title><style>body{color:red}</style></head><body><article data-pagefind-body><p>Some text</p><pre><code>a\n    b  c\n</code></pre></article><script type=application/json>{ \"a\" : 1 }</script><script>var answer = 40 + 2;\n  console.log( answer );</script></body></html>"
        );
    }

    #[test]
    fn stylesheets_and_scripts_are_minified_alone() {
        assert_eq!(
            asset("style.css", b"body {\n  color: #ff0000;\n}\n").as_deref(),
            Some(&b"body{color:red}"[..])
        );
        let js = |text: &str| {
            asset("a.js", text.as_bytes()).map(|bytes| String::from_utf8(bytes).unwrap())
        };
        assert_eq!(
            js("function greet( name ) {\n  return 'hi ' + name;\n}\n").as_deref(),
            Some("function greet(name){return`hi `+name}")
        );
        // A global another script may read stays.
        assert_eq!(
            js("var answer = 40 + 2;\nconsole.log( answer );\n").as_deref(),
            Some("var answer=42;console.log(answer);")
        );
        assert_eq!(js("not ( javascript"), None);
        assert_eq!(asset("vendor/x.min.js", b"var  a = 1;"), None);
        assert_eq!(asset("logo.svg", b"<svg>  </svg>"), None);
    }
}
