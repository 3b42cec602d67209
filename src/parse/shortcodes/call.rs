//! The call syntax, Zola's: `{{ name(arg="v", n=3) }}`, `{% name(arg="v") %}` … `{% end %}`,
//! and the literal forms `{{/* name() */}}` and `{%/* name() */%}`.
//!
//! [`scan`] reads a body once, left to right, in time linear in its length whatever it holds:
//! a candidate that is not a call (`{{date}}`, `{{ page.title }}`, `{% raw %}`) is passed over
//! at once, and a malformed call is reported where it goes wrong and scanning resumes there,
//! never at the call's start, so no byte is read twice. An unclosed string swallows the rest of
//! the body, so it ends the scan. Only `{{ name(` and `{% name(` are calls: note templates
//! (`{{date}}`) and Tera text in prose stay text.

use std::ops::Range;

use serde::Serialize;

/// One argument value, as Zola allows: strings (in `"`, `'` or `` ` ``, no escapes), integers,
/// floats, booleans, and arrays of those.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub(crate) enum Value {
    String(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
    Array(Vec<Value>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Arg {
    pub(crate) name: String,
    pub(crate) name_range: Range<usize>,
    pub(crate) value: Value,
}

/// A call: the shortcode's name and its arguments, in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    pub(crate) name: String,
    pub(crate) name_range: Range<usize>,
    pub(crate) args: Vec<Arg>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokenKind {
    /// `{{ name(…) }}`
    Inline(Call),
    /// `{% name(…) %}`, whose body runs to the matching [`TokenKind::End`].
    Open(Call),
    /// `{% end %}`
    End,
    /// `{{/* … */}}` or `{%/* … */%}`: the text to write instead, the call without the comment.
    Literal(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    /// Byte range in the scanned text.
    pub(crate) range: Range<usize>,
    pub(crate) kind: TokenKind,
}

/// A malformed call: where, what, and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SyntaxError {
    pub(crate) at: Range<usize>,
    pub(crate) message: String,
    pub(crate) hint: &'static str,
}

/// The calls of `text`, in order, and its malformed calls. A call starting inside one of the
/// sorted `code` ranges is code and left alone; the literal forms are written out there too, so
/// Zola pages that show calls in code blocks with them render the same.
pub(crate) fn scan(text: &str, code: &[Range<usize>]) -> (Vec<Token>, Vec<SyntaxError>) {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        tokens: Vec::new(),
        errors: Vec::new(),
        no_literal_end: [false; 2],
    };
    let mut code = code.iter().peekable();
    let mut i = 0;
    while let Some(found) = text[i..].find('{') {
        let at = i + found;
        let Some(&kind) = scanner
            .bytes
            .get(at + 1)
            .filter(|b| matches!(b, b'{' | b'%'))
        else {
            i = at + 1;
            continue;
        };
        while code.peek().is_some_and(|r| r.end <= at) {
            code.next();
        }
        let in_code = code.peek().is_some_and(|r| r.start <= at);
        match scanner.candidate(at, kind == b'%', in_code) {
            Step::Next(next) => i = next,
            Step::Stop => break,
        }
        if scanner.errors.len() == MAX_ERRORS {
            break;
        }
    }
    (scanner.tokens, scanner.errors)
}

/// Malformed calls reported per body; past them the rest of the body is not read for calls
/// (the build fails anyway, and a hundred messages are enough to act on).
pub(crate) const MAX_ERRORS: usize = 100;

enum Step {
    Next(usize),
    Stop,
}

/// Why a call could not be read past some byte.
enum Failure {
    /// Reported at this range; scanning resumes after it.
    At(Range<usize>, String, &'static str),
    /// An unclosed string from this byte: the rest of the body is the string.
    Unclosed(usize),
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    tokens: Vec<Token>,
    errors: Vec<SyntaxError>,
    /// No `*/}}` (index 0) or `*/%}` (index 1) follows: later literal forms cannot close either,
    /// so none searches again.
    no_literal_end: [bool; 2],
}

const ARGS_HINT: &str = "write arguments as `name=value`, separated by commas: strings in quotes, numbers, `true`/`false` or `[lists]`";

impl Scanner<'_> {
    /// Reads the candidate at `at` (`{{` or `{%`); returns where to go on.
    fn candidate(&mut self, at: usize, block: bool, in_code: bool) -> Step {
        if self.bytes.get(at + 2) == Some(&b'/') && self.bytes.get(at + 3) == Some(&b'*') {
            return Step::Next(self.literal(at, block));
        }
        if in_code {
            return Step::Next(at + 2);
        }
        let mut p = self.skip_space(at + 2);
        let (name, name_range) = match self.identifier(p) {
            Some(found) => found,
            None => return Step::Next(at + 2),
        };
        p = self.skip_space(name_range.end);
        if block && name == "end" {
            if self.bytes[p..].starts_with(b"%}") {
                self.tokens.push(Token {
                    range: at..p + 2,
                    kind: TokenKind::End,
                });
                return Step::Next(p + 2);
            }
            return Step::Next(at + 2);
        }
        if self.bytes.get(p) != Some(&b'(') {
            return Step::Next(at + 2);
        }
        match self.rest_of_call(p + 1, block) {
            Ok((args, end)) => {
                let call = Call {
                    name: name.to_string(),
                    name_range,
                    args,
                };
                self.tokens.push(Token {
                    range: at..end,
                    kind: if block {
                        TokenKind::Open(call)
                    } else {
                        TokenKind::Inline(call)
                    },
                });
                Step::Next(end)
            }
            Err(Failure::At(range, message, hint)) => {
                let next = range.end.max(at + 2);
                self.errors.push(SyntaxError {
                    at: range,
                    message,
                    hint,
                });
                Step::Next(next)
            }
            Err(Failure::Unclosed(quote)) => {
                self.errors.push(SyntaxError {
                    at: quote..quote + 1,
                    message: "this string is never closed".to_string(),
                    hint: "close the string with the quote it opens with; a string holds no quote of its own kind",
                });
                Step::Stop
            }
        }
    }

    /// `{{/* … */}}` → `{{ … }}` (`{%` likewise); text when it never closes.
    fn literal(&mut self, at: usize, block: bool) -> usize {
        let close = if block { "*/%}" } else { "*/}}" };
        let flag = usize::from(block);
        if self.no_literal_end[flag] {
            return at + 4;
        }
        let Some(found) = self.text[at + 4..].find(close) else {
            self.no_literal_end[flag] = true;
            return at + 4;
        };
        let inner = &self.text[at + 4..at + 4 + found];
        let (open, end) = if block { ("{%", "%}") } else { ("{{", "}}") };
        let range = at..at + 4 + found + close.len();
        self.tokens.push(Token {
            range: range.clone(),
            kind: TokenKind::Literal(format!("{open}{inner}{end}")),
        });
        range.end
    }

    /// After `name(`: the arguments, `)`, and the closing `}}` or `%}`; the end of the call.
    fn rest_of_call(&self, mut p: usize, block: bool) -> Result<(Vec<Arg>, usize), Failure> {
        let mut args: Vec<Arg> = Vec::new();
        let mut names = std::collections::HashSet::new();
        loop {
            p = self.skip_space(p);
            if self.bytes.get(p) == Some(&b')') {
                p += 1;
                break;
            }
            let Some((name, name_range)) = self.identifier(p) else {
                return Err(self.unexpected(p, "an argument name or `)`"));
            };
            if !names.insert(name) {
                return Err(Failure::At(
                    name_range,
                    format!("argument `{name}` is given twice"),
                    "give each argument once",
                ));
            }
            p = self.skip_space(name_range.end);
            if self.bytes.get(p) != Some(&b'=') {
                return Err(self.unexpected(p, "`=` after the argument name"));
            }
            p = self.skip_space(p + 1);
            let (value, after) = self.value(p, true)?;
            args.push(Arg {
                name: name.to_string(),
                name_range,
                value,
            });
            p = self.skip_space(after);
            match self.bytes.get(p) {
                Some(b',') => p += 1,
                Some(b')') => {
                    p += 1;
                    break;
                }
                _ => return Err(self.unexpected(p, "`,` or `)`")),
            }
        }
        p = self.skip_space(p);
        let close: &[u8] = if block { b"%}" } else { b"}}" };
        if self.bytes[p..].starts_with(close) {
            Ok((args, p + 2))
        } else {
            let close = if block { "`%}`" } else { "`}}`" };
            Err(self.unexpected(p, &format!("{close} to end the call")))
        }
    }

    fn value(&self, p: usize, top: bool) -> Result<(Value, usize), Failure> {
        match self.bytes.get(p) {
            Some(&quote @ (b'"' | b'\'' | b'`')) => {
                let start = p + 1;
                match memchr_byte(quote, &self.bytes[start..]) {
                    Some(len) => Ok((
                        Value::String(self.text[start..start + len].to_string()),
                        start + len + 1,
                    )),
                    None => Err(Failure::Unclosed(p)),
                }
            }
            Some(b'[') if top => {
                let mut items = Vec::new();
                let mut q = self.skip_space(p + 1);
                loop {
                    if self.bytes.get(q) == Some(&b']') {
                        return Ok((Value::Array(items), q + 1));
                    }
                    let (item, after) = self.value(q, false)?;
                    items.push(item);
                    q = self.skip_space(after);
                    match self.bytes.get(q) {
                        Some(b',') => q = self.skip_space(q + 1),
                        Some(b']') => return Ok((Value::Array(items), q + 1)),
                        _ => return Err(self.unexpected(q, "`,` or `]`")),
                    }
                }
            }
            Some(b'[') => Err(Failure::At(
                p..p + 1,
                "a list inside a list".to_string(),
                "a list holds strings, numbers and booleans",
            )),
            _ => {
                let end = p + self.bytes[p..]
                    .iter()
                    .take_while(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.' | b'_')
                    })
                    .count();
                let word = &self.text[p..end];
                let value = match word {
                    "true" => Some(Value::Boolean(true)),
                    "false" => Some(Value::Boolean(false)),
                    _ if word.contains(['.', 'e', 'E']) => word
                        .parse::<f64>()
                        .ok()
                        .filter(|f| f.is_finite())
                        .map(Value::Float),
                    _ => word.parse::<i64>().ok().map(Value::Integer),
                };
                match value {
                    Some(value) if !word.is_empty() => Ok((value, end)),
                    _ => Err(Failure::At(
                        p..end.max(p + 1),
                        if word.is_empty() {
                            "expected a value".to_string()
                        } else {
                            format!("`{word}` is not a value")
                        },
                        "a value is a string in quotes, a number, `true`, `false` or a `[list]`",
                    )),
                }
            }
        }
    }

    fn unexpected(&self, p: usize, wanted: &str) -> Failure {
        let found = match self.text[p..].chars().next() {
            None => "the end of the page".to_string(),
            Some(c) if c.is_whitespace() => "a line break".to_string(),
            Some(c) => format!("`{c}`"),
        };
        let len = self.text[p..].chars().next().map_or(0, char::len_utf8);
        Failure::At(
            p..p + len,
            format!("expected {wanted} in the shortcode call, found {found}"),
            ARGS_HINT,
        )
    }

    fn skip_space(&self, mut p: usize) -> usize {
        while self
            .bytes
            .get(p)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            p += 1;
        }
        p
    }

    /// An ASCII identifier at `p`: a letter or `_`, then letters, digits and `_`.
    fn identifier(&self, p: usize) -> Option<(&str, Range<usize>)> {
        let first = *self.bytes.get(p)?;
        if !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        let len = self.bytes[p..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        Some((&self.text[p..p + len], p..p + len))
    }
}

fn memchr_byte(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<TokenKind> {
        let (tokens, errors) = scan(text, &[]);
        assert_eq!(errors, [], "{text}");
        tokens.into_iter().map(|t| t.kind).collect()
    }

    fn call(name: &str, args: &[(&str, Value)]) -> Call {
        Call {
            name: name.into(),
            name_range: 0..0,
            args: args
                .iter()
                .map(|(n, v)| Arg {
                    name: (*n).into(),
                    name_range: 0..0,
                    value: v.clone(),
                })
                .collect(),
        }
    }

    /// Ranges left out, which the calls' own tests check.
    fn without_ranges(kinds: Vec<TokenKind>) -> Vec<TokenKind> {
        kinds
            .into_iter()
            .map(|k| match k {
                TokenKind::Inline(c) => TokenKind::Inline(call(
                    &c.name,
                    &c.args
                        .iter()
                        .map(|a| (a.name.as_str(), a.value.clone()))
                        .collect::<Vec<_>>(),
                )),
                TokenKind::Open(c) => TokenKind::Open(call(
                    &c.name,
                    &c.args
                        .iter()
                        .map(|a| (a.name.as_str(), a.value.clone()))
                        .collect::<Vec<_>>(),
                )),
                other => other,
            })
            .collect()
    }

    fn errors(text: &str) -> Vec<(Range<usize>, String)> {
        scan(text, &[])
            .1
            .into_iter()
            .map(|e| (e.at, e.message))
            .collect()
    }

    #[test]
    fn values_are_read_as_written() {
        let text = "{{ v(s=\"a 'b' ✓\", t='\"q\"', c=`x`, n=3, m=-2, f=1.5, e=2e3, ok=true, no=false, list=[\"a\", 1, 2.5, true], empty=[],) }}";
        assert_eq!(
            without_ranges(tokens(text)),
            [TokenKind::Inline(call(
                "v",
                &[
                    ("s", Value::String("a 'b' ✓".into())),
                    ("t", Value::String("\"q\"".into())),
                    ("c", Value::String("x".into())),
                    ("n", Value::Integer(3)),
                    ("m", Value::Integer(-2)),
                    ("f", Value::Float(1.5)),
                    ("e", Value::Float(2000.0)),
                    ("ok", Value::Boolean(true)),
                    ("no", Value::Boolean(false)),
                    (
                        "list",
                        Value::Array(vec![
                            Value::String("a".into()),
                            Value::Integer(1),
                            Value::Float(2.5),
                            Value::Boolean(true)
                        ])
                    ),
                    ("empty", Value::Array(vec![])),
                ]
            ))]
        );
    }

    #[test]
    fn bodies_ends_and_ranges() {
        let text = "a {% aside(kind=\"note\") %}\nbody {{ x() }}\n{% end %} b";
        let (found, errors) = scan(text, &[]);
        assert_eq!(errors, []);
        let ranges: Vec<&str> = found.iter().map(|t| &text[t.range.clone()]).collect();
        assert_eq!(
            ranges,
            ["{% aside(kind=\"note\") %}", "{{ x() }}", "{% end %}"]
        );
        let TokenKind::Open(aside) = &found[0].kind else {
            panic!("{found:?}")
        };
        assert_eq!(&text[aside.name_range.clone()], "aside");
        assert_eq!(&text[aside.args[0].name_range.clone()], "kind");
        assert_eq!(found[2].kind, TokenKind::End);
    }

    #[test]
    fn text_that_is_not_a_call_stays_text() {
        for text in [
            "{{date}}",
            "{{ page.title }}",
            "{% raw %}",
            "{% if x %}{% endif %}",
            "{ {x()} }",
            "{{ 3() }}",
            "{%end",
            "{{",
            "{%",
            "}} %}",
            "{{ é() }}",
        ] {
            assert_eq!(tokens(text), [], "{text}");
        }
    }

    #[test]
    fn literal_forms_write_the_call_without_the_comment() {
        assert_eq!(
            tokens("{{/* figure(src=\"a\") */}} and {%/* aside() */%}{%/* end */%}"),
            [
                TokenKind::Literal("{{ figure(src=\"a\") }}".into()),
                TokenKind::Literal("{% aside() %}".into()),
                TokenKind::Literal("{% end %}".into()),
            ]
        );
        // Unclosed, it is text.
        assert_eq!(tokens("{{/* x() {{/* y() }}"), []);
    }

    #[test]
    fn code_is_left_alone_but_literal_forms_are_written_out() {
        let text = "`{{ x() }}` {{/* y() */}} {{ z() }}";
        let (found, errors) = scan(text, &[0..11, 40..40]);
        assert_eq!(errors, []);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[1].range.clone()], "{{ z() }}");
        let (found, _) = scan("`{{/* y() */}}`", &[0..15, 20..20]);
        assert_eq!(found[0].kind, TokenKind::Literal("{{ y() }}".into()));
    }

    #[test]
    fn malformed_calls_are_reported_where_they_go_wrong() {
        assert_eq!(
            errors(
                "{{ x(a) }} {{ y(b=) }} {{ z(c=1 d=2) }} {{ w(e=nope) }} {{ v(f=1, f=2) }} {% u() }}"
            ),
            [
                (
                    6..7,
                    "expected `=` after the argument name in the shortcode call, found `)`".into()
                ),
                (18..19, "expected a value".into()),
                (
                    32..33,
                    "expected `,` or `)` in the shortcode call, found `d`".into()
                ),
                (47..51, "`nope` is not a value".into()),
                (66..67, "argument `f` is given twice".into()),
                (
                    81..82,
                    "expected `%}` to end the call in the shortcode call, found `}`".into()
                ),
            ]
        );
        assert_eq!(
            errors("{{ x(l=[[1]]) }}"),
            [(8..9, "a list inside a list".into())]
        );
        assert_eq!(
            errors("{{ x(a=1"),
            [(
                8..8,
                "expected `,` or `)` in the shortcode call, found the end of the page".into()
            )]
        );
    }

    #[test]
    fn an_unclosed_string_ends_the_scan() {
        let (found, errors) = scan("{{ x(a=\"open) }} {{ y() }}\n\n{{ z() }}", &[]);
        assert_eq!(found, []);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].at, 7..8);
        assert_eq!(errors[0].message, "this string is never closed");
    }

    /// Hostile bodies cost one pass: a megabyte of `{{`, of unclosed literal forms, of calls
    /// that fail at their last byte, and of unclosed strings.
    #[test]
    fn hostile_input_is_linear() {
        let megabyte = 1 << 20;
        for unit in [
            "{{",
            "{%",
            "{{/*",
            "{%/*",
            "{{ x(",
            "{{ x(a=1, ",
            "{{ x(a=\"",
            "{% end",
        ] {
            let text = unit.repeat(megabyte / unit.len());
            let (found, errors) = scan(&text, &[]);
            assert!(found.is_empty(), "{unit}");
            assert!(errors.len() <= text.len() / unit.len(), "{unit}");
        }
        // A million arguments in one call: read once.
        let args: String = (0..100_000).map(|i| format!("a{i}=1,")).collect();
        let (found, errors) = scan(&format!("{{{{ x({args}) }}}}"), &[]);
        assert_eq!((found.len(), errors.len()), (1, 0));
    }
}
