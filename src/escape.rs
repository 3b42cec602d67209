//! Escaping text for HTML, XML and SVG: element content and double- or single-quoted attributes.
//! One function, so every writer of markup (links, feeds, sitemap, the graph) escapes alike.

/// `&`, `<`, `>`, `"` and `'` as character references; everything else unchanged.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_in_text_and_attributes() {
        assert_eq!(
            super::markup(r#"Fish & "Chips" <b>'s"#),
            "Fish &amp; &quot;Chips&quot; &lt;b&gt;&#39;s"
        );
    }
}
