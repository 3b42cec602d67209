//! Escaping text for HTML, XML and SVG (element content and quoted attributes), and the hex digits
//! of percent-encoding. One place, so every writer of markup and every decoder agree.

/// `&`, `<`, `>`, `"` and `'` as character references; everything else unchanged.
pub(crate) fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    markup_into(&mut out, text);
    out
}

/// [`markup`], appended to `out`.
pub(crate) fn markup_into(out: &mut String, text: &str) {
    // Runs without special characters are copied whole: most text has few of them.
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let reference = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The five are ASCII, so `i` is on a character boundary.
        out.push_str(&text[start..i]);
        out.push_str(reference);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

/// The value of one hexadecimal digit (for percent-decoding), or `None`.
pub(crate) fn hex_digit(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_the_five_and_keeps_the_rest() {
        assert_eq!(super::markup(""), "");
        assert_eq!(super::markup("plain"), "plain");
        assert_eq!(
            super::markup("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(super::markup("ü&é<"), "ü&amp;é&lt;");
    }

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
