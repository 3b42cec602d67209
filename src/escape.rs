//! Escaping text for HTML, XML and SVG (element content and quoted attributes), and the hex digits
//! of percent-encoding. One place, so every writer of markup and every decoder agree.

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

/// The value of one hexadecimal digit (for percent-decoding), or `None`.
pub fn hex_digit(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_digits() {
        assert_eq!(super::hex_digit(b'7'), Some(7));
        assert_eq!(super::hex_digit(b'f'), Some(15));
        assert_eq!(super::hex_digit(b'C'), Some(12));
        assert_eq!(super::hex_digit(b'g'), None);
    }

    #[test]
    fn escapes_markup_in_text_and_attributes() {
        assert_eq!(
            super::markup(r#"Fish & "Chips" <b>'s"#),
            "Fish &amp; &quot;Chips&quot; &lt;b&gt;&#39;s"
        );
    }
}
