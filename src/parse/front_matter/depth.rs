//! A linear pre-scan of a YAML block for nesting deeper than any front matter needs, run before
//! serde_yaml sees the block. libyaml's scanner walks every open flow level for each token, so
//! `x: [[[[…` is quadratic in its depth: 200 KB of brackets took over 30 s, all before serde_yaml's
//! own depth check (128 levels) could stop it. The scan is a cheap approximation of YAML's
//! structure: it counts flow brackets outside quotes and comments (in block context only those
//! that start a value, so `title: Array[int]` is text) and levels of indentation, and stops at
//! the first that opens a level past [`MAX_DEPTH`], the same bound serde_yaml enforces, so a
//! block it lets through is one serde_yaml would not refuse for depth.

/// Levels of nesting allowed: serde_yaml refuses the 128th level under the root mapping.
pub(super) const MAX_DEPTH: usize = 127;

/// The byte offset in `block` of the bracket or line that opens a level past [`MAX_DEPTH`].
pub(super) fn too_deep(block: &str) -> Option<usize> {
    let mut flow = 0usize;
    // Indentation widths of the enclosing block levels (mappings and sequences).
    let mut indents: Vec<usize> = Vec::new();
    let mut line_start = 0;
    for line in block.split_inclusive('\n') {
        if flow == 0 {
            let content = line.trim_start_matches(' ');
            let indent = line.len() - content.len();
            let blank = content.trim().is_empty() || content.starts_with('#');
            if !blank {
                while indents.last().is_some_and(|&open| open >= indent) {
                    indents.pop();
                }
                indents.push(indent);
                // `- - - x` nests a sequence in a sequence on one line.
                let dashes = content
                    .as_bytes()
                    .chunks(2)
                    .take_while(|pair| *pair == b"- ")
                    .count();
                if indents.len() + dashes > MAX_DEPTH + 1 {
                    return Some(line_start + indent);
                }
            }
        }
        if let Some(at) = scan_flow(line, &mut flow) {
            return Some(line_start + at);
        }
        line_start += line.len();
    }
    None
}

/// Counts the flow brackets of one line into `flow` (the open levels); the offset of the one
/// opening a level past [`MAX_DEPTH`].
fn scan_flow(line: &str, flow: &mut usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = 0;
    // The last byte that was not a space: a token starts after whitespace or an indicator.
    let mut previous = b' ';
    // In block context, whether a value may start here: the line's start, or after `: `, `- `,
    // `? ` (a bracket anywhere else is text of a plain scalar).
    let mut value_start = true;
    while i < bytes.len() {
        let byte = bytes[i];
        let token_start = matches!(previous, b' ' | b'\t' | b'[' | b'{' | b',' | b':');
        match byte {
            b'#' if matches!(previous, b' ' | b'\t') || i == 0 => return None,
            b'"' | b'\'' if token_start && (*flow > 0 || value_start) => {
                i = skip_quoted(bytes, i);
                previous = byte;
                value_start = false;
                continue;
            }
            b'[' | b'{' if *flow > 0 || value_start => {
                *flow += 1;
                if *flow > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' if *flow > 0 => *flow -= 1,
            b' ' | b'\t' | b'\r' | b'\n' => {
                if matches!(previous, b':' | b'-' | b'?') {
                    value_start = true;
                }
                i += 1;
                continue;
            }
            _ => value_start = false,
        }
        previous = byte;
        i += 1;
    }
    None
}

/// The offset after the quoted scalar starting at `start` (or the line's end: a quoted scalar
/// may go on on the next line, where the scan then counts brackets that are text, which can
/// only make it stop sooner on odd input, never later).
fn skip_quoted(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brackets(n: usize) -> String {
        format!("x: {}{}\n", "[".repeat(n), "]".repeat(n))
    }

    #[test]
    fn flow_nesting_stops_at_the_bracket_past_the_bound() {
        assert_eq!(too_deep(&brackets(MAX_DEPTH)), None);
        assert_eq!(too_deep(&brackets(MAX_DEPTH + 1)), Some(3 + MAX_DEPTH));
        let mixed = format!("a: 1\nx: {}\n", "[{".repeat(100));
        assert_eq!(too_deep(&mixed), Some(5 + 3 + MAX_DEPTH));
    }

    #[test]
    fn brackets_in_text_quotes_and_comments_do_not_count() {
        let many = "[".repeat(500);
        for block in [
            format!("title: Array{many}\n"),
            format!("title: \"{many}\"\n"),
            format!("title: '{many}'\n"),
            format!("title: x # {many}\n"),
            format!("# {many}\n"),
            format!("x: [\"{many}\", '{many}', a]\n"),
            format!("x: \"a \\\" {many}\"\n"),
        ] {
            assert_eq!(too_deep(&block), None, "{block}");
        }
        // Closed brackets never add up, however many.
        assert_eq!(too_deep(&"x: [[a]]\n".repeat(1_000)), None);
    }

    #[test]
    fn block_nesting_counts_indentation_and_dashes() {
        let mut deep = String::new();
        // The root mapping's keys are level 1, as they are to serde_yaml.
        for level in 0..=MAX_DEPTH + 1 {
            deep.push_str(&format!("{}k{level}:\n", " ".repeat(level)));
        }
        let last = deep.rfind('k').unwrap();
        assert_eq!(too_deep(&deep), Some(last));
        let mut fine = String::new();
        for level in 0..=MAX_DEPTH {
            fine.push_str(&format!("{}k{level}:\n", " ".repeat(level)));
        }
        assert_eq!(too_deep(&fine), None);
        assert_eq!(too_deep(&format!("x:\n  {}y\n", "- ".repeat(200))), Some(5));
        assert_eq!(too_deep("x:\n  - - - y\n  - z\n"), None);
    }
}
