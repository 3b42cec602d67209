//! Highlighted blocks remembered by a hash of (syntax, code), and the byte format they are saved
//! in between runs.
//!
//! The memo is shared by the parse threads of a build and, in `steppe serve`, by every rebuild.
//! Saved blocks are untrusted input (a cache file can be committed or planted), so the format
//! holds data, never markup: each block is a list of spans (a class name, then text, then the
//! end of the span), and its HTML is written here, with every piece of text escaped and every
//! class name checked. A block read back is shown only for code whose text is exactly the
//! block's text, so a forged file can at worst mis-colour code.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::escape;

/// 128 bits identifying a block: two SipHash runs over (syntax name, code).
pub(crate) type BlockKey = [u64; 2];

/// Where blocks highlighted by this run go instead of memory: a function of the block's key and
/// its HTML, called once per block from any parse thread.
pub(crate) type BlockSink = Box<dyn Fn(BlockKey, &str) + Send + Sync>;

pub(super) fn block_key(code: &str, syntax: &str) -> BlockKey {
    let mut a = std::collections::hash_map::DefaultHasher::new();
    (syntax, code).hash(&mut a);
    let mut b = std::collections::hash_map::DefaultHasher::new();
    (code, 0x5a_u8, syntax).hash(&mut b);
    [a.finish(), b.finish()]
}

#[derive(Default)]
pub(super) struct Memo {
    entries: Mutex<HashMap<BlockKey, Entry>>,
    /// Set when a block was highlighted by this run: the saved blocks then need saving again.
    added: AtomicBool,
    /// How many blocks [`Memo::with_blocks`] started from.
    loaded: usize,
    sink: Option<Sink>,
}

struct Sink {
    send: BlockSink,
    /// Keys already handed to `send`.
    sent: Mutex<HashSet<BlockKey>>,
}

struct Entry {
    html: Arc<str>,
    used: bool,
    /// False for a remembered block until its text has been compared with the code it is used
    /// for.
    checked: bool,
}

impl Memo {
    pub(super) fn with_blocks(blocks: Vec<(BlockKey, Arc<str>)>) -> Memo {
        let entries: HashMap<BlockKey, Entry> = blocks
            .into_iter()
            .map(|(key, html)| {
                let entry = Entry {
                    html,
                    used: false,
                    checked: false,
                };
                (key, entry)
            })
            .collect();
        Memo {
            loaded: entries.len(),
            entries: Mutex::new(entries),
            ..Memo::default()
        }
    }

    pub(super) fn set_sink(&mut self, send: BlockSink) {
        self.sink = Some(Sink {
            send,
            sent: Mutex::default(),
        });
    }

    /// The block for `key`, if remembered and its text is `code`. A remembered block whose text
    /// is not the code (a forged or colliding entry) is forgotten, so the code is highlighted
    /// afresh.
    pub(super) fn get(&self, key: BlockKey, code: &str) -> Option<Arc<str>> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = entries.get_mut(&key)?;
        if !entry.checked {
            if !text_is(&entry.html, code) {
                entries.remove(&key);
                return None;
            }
            entry.checked = true;
        }
        entry.used = true;
        Some(Arc::clone(&entry.html))
    }

    pub(super) fn insert(&self, key: BlockKey, html: Arc<str>) {
        self.added.store(true, Ordering::Relaxed);
        if let Some(sink) = &self.sink {
            let first = sink
                .sent
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(key);
            if first {
                (sink.send)(key, &html);
            }
            return;
        }
        let entry = Entry {
            html,
            used: true,
            checked: true,
        };
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, entry);
    }

    /// The blocks in memory this run used, sorted by key, unless they are exactly the blocks
    /// remembered and nothing was added.
    pub(super) fn used_if_changed(&self) -> Option<Vec<(BlockKey, Arc<str>)>> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let mut used: Vec<(BlockKey, Arc<str>)> = entries
            .iter()
            .filter(|(_, e)| e.used)
            .map(|(key, e)| (*key, Arc::clone(&e.html)))
            .collect();
        if !self.added.load(Ordering::Relaxed) && used.len() == self.loaded {
            return None;
        }
        used.sort_unstable_by_key(|(key, _)| *key);
        Some(used)
    }
}

/// First bytes of a cache file: a format tag and the version of steppe (whose syntax set and
/// highlighter made the blocks), so another version starts afresh.
pub(crate) fn file_header() -> String {
    format!("steppe highlight cache 2 {}\n", env!("CARGO_PKG_VERSION"))
}

/// Why saved blocks were not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CacheFormatError {
    /// Written by another version of steppe (or not a cache file at all): expected after an
    /// upgrade, not worth a word.
    OtherVersion,
    /// The right header, but a record is cut short or malformed.
    Damaged,
}

// Span operations inside a record.
const OPEN: u8 = 1;
const CLOSE: u8 = 2;
const TEXT: u8 = 3;

/// Appends one record: the key's two words, the length of what follows, then the block as span
/// operations (all little-endian). `html` is what [`super::Highlighter::highlight`] wrote:
/// spans with a class, and escaped text.
pub(crate) fn encode_block(out: &mut Vec<u8>, key: &BlockKey, html: &str) {
    out.extend_from_slice(&key[0].to_le_bytes());
    out.extend_from_slice(&key[1].to_le_bytes());
    let length_at = out.len();
    out.extend_from_slice(&[0; 4]);
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<span class=\"")
            && let Some(end) = after.find("\">")
        {
            let class = &after[..end];
            out.push(OPEN);
            out.extend_from_slice(&(class.len() as u32).to_le_bytes());
            out.extend_from_slice(class.as_bytes());
            rest = &after[end + 2..];
        } else if let Some(after) = rest.strip_prefix("</span>") {
            out.push(CLOSE);
            rest = after;
        } else {
            // Text runs to the next tag; a `<` that starts no tag of ours is text too.
            let end = match rest.find('<') {
                Some(0) => rest[1..].find('<').map_or(rest.len(), |i| i + 1),
                Some(i) => i,
                None => rest.len(),
            };
            let text = unescape(&rest[..end]);
            out.push(TEXT);
            out.extend_from_slice(&(text.len() as u32).to_le_bytes());
            out.extend_from_slice(text.as_bytes());
            rest = &rest[end..];
        }
    }
    let length = (out.len() - length_at - 4) as u32;
    out[length_at..length_at + 4].copy_from_slice(&length.to_le_bytes());
}

/// Reads a file of records written by [`encode_block`] after [`file_header`], writing each
/// block's HTML afresh.
pub(crate) fn decode_blocks(bytes: &[u8]) -> Result<Vec<(BlockKey, Arc<str>)>, CacheFormatError> {
    let mut rest = bytes
        .strip_prefix(file_header().as_bytes())
        .ok_or(CacheFormatError::OtherVersion)?;
    let mut blocks = Vec::new();
    while !rest.is_empty() {
        let mut reader = Reader(rest);
        let key = [reader.u64()?, reader.u64()?];
        let length = reader.u32()? as usize;
        let record = reader.take(length)?;
        blocks.push((key, block_html(record)?.into()));
        rest = reader.0;
    }
    Ok(blocks)
}

/// The HTML of one record's span operations. Class names may only hold the characters scope
/// names are made of, and text is escaped, so nothing but spans and text can come out.
fn block_html(record: &[u8]) -> Result<String, CacheFormatError> {
    let mut html = String::with_capacity(record.len() * 2);
    let mut reader = Reader(record);
    while !reader.0.is_empty() {
        match reader.take(1)?[0] {
            OPEN => {
                let length = reader.u32()? as usize;
                let class = reader.text(length)?;
                let allowed = |c: char| c.is_ascii_alphanumeric() || " -_.+".contains(c);
                if !class.chars().all(allowed) {
                    return Err(CacheFormatError::Damaged);
                }
                html.push_str("<span class=\"");
                html.push_str(class);
                html.push_str("\">");
            }
            CLOSE => html.push_str("</span>"),
            TEXT => {
                let length = reader.u32()? as usize;
                escape::markup_into(&mut html, reader.text(length)?);
            }
            _ => return Err(CacheFormatError::Damaged),
        }
    }
    Ok(html)
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], CacheFormatError> {
        let (head, tail) = self
            .0
            .split_at_checked(n)
            .ok_or(CacheFormatError::Damaged)?;
        self.0 = tail;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, CacheFormatError> {
        let bytes = self.take(4)?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    fn u64(&mut self) -> Result<u64, CacheFormatError> {
        let mut word = [0; 8];
        word.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(word))
    }

    fn text(&mut self, n: usize) -> Result<&'a str, CacheFormatError> {
        std::str::from_utf8(self.take(n)?).map_err(|_| CacheFormatError::Damaged)
    }
}

/// The five character references [`escape::markup_into`] writes, back to their characters.
fn unescape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (c, len) = REFERENCES
            .iter()
            .find(|(_, reference)| rest.starts_with(reference))
            .map_or(('&', 1), |(c, reference)| (*c, reference.len()));
        out.push(c);
        rest = &rest[len..];
    }
    out.push_str(rest);
    out.into()
}

const REFERENCES: [(char, &str); 5] = [
    ('&', "&amp;"),
    ('<', "&lt;"),
    ('>', "&gt;"),
    ('"', "&quot;"),
    ('\'', "&#39;"),
];

/// Whether the text of `html` (tags left out, character references read) is `code`.
fn text_is(html: &str, code: &str) -> bool {
    let mut code = code;
    let mut rest = html;
    while !rest.is_empty() {
        if rest.starts_with('<') {
            match rest.find('>') {
                Some(end) => rest = &rest[end + 1..],
                None => return false,
            }
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        let text = unescape(&rest[..end]);
        match code.strip_prefix(&*text) {
            Some(after) => code = after,
            None => return false,
        }
        rest = &rest[end..];
    }
    code.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(blocks: &[(BlockKey, &str)]) -> Vec<u8> {
        let mut bytes = file_header().into_bytes();
        for (key, html) in blocks {
            encode_block(&mut bytes, key, html);
        }
        bytes
    }

    #[test]
    fn blocks_come_back_as_written() {
        let html = "<span class=\"hl-source hl-rust\"><span class=\"hl-string\">&quot;&lt;&amp;&gt;&#39;&quot;</span>\n</span>";
        let decoded = decode_blocks(&file(&[([1, 2], html), ([3, 4], "")])).unwrap();
        assert_eq!(decoded.len(), 2);
        assert_eq!((decoded[0].0, &*decoded[0].1), ([1, 2], html));
        assert_eq!((decoded[1].0, &*decoded[1].1), ([3, 4], ""));
    }

    #[test]
    fn a_cut_or_foreign_file_is_refused_never_misread() {
        let good = file(&[([1, 2], "<span class=\"hl-a\">x &amp; y</span>")]);
        for end in 0..good.len() {
            let cut = decode_blocks(&good[..end]);
            let header = file_header().len();
            match end {
                e if e < header => assert_eq!(cut, Err(CacheFormatError::OtherVersion)),
                e if e == header => assert_eq!(cut, Ok(Vec::new())),
                _ => assert_eq!(cut, Err(CacheFormatError::Damaged), "prefix {end}"),
            }
        }
        let foreign = [
            b"steppe highlight cache 1 0.1.0\n".as_slice(),
            &good[file_header().len()..],
        ]
        .concat();
        assert_eq!(decode_blocks(&foreign), Err(CacheFormatError::OtherVersion));
    }

    /// A forged record: markup in a class name, or in text, never comes out as markup.
    #[test]
    fn forged_records_cannot_write_markup() {
        let record = |ops: &[u8]| {
            let mut bytes = file_header().into_bytes();
            bytes.extend_from_slice(&[0; 16]);
            bytes.extend_from_slice(&(ops.len() as u32).to_le_bytes());
            bytes.extend_from_slice(ops);
            bytes
        };
        let class = "x\" onmouseover=\"alert(1)";
        let mut ops = vec![OPEN];
        ops.extend_from_slice(&(class.len() as u32).to_le_bytes());
        ops.extend_from_slice(class.as_bytes());
        assert_eq!(decode_blocks(&record(&ops)), Err(CacheFormatError::Damaged));

        let text = "<img src=x onerror=alert(1)>";
        let mut ops = vec![TEXT];
        ops.extend_from_slice(&(text.len() as u32).to_le_bytes());
        ops.extend_from_slice(text.as_bytes());
        let decoded = decode_blocks(&record(&ops)).unwrap();
        assert_eq!(&*decoded[0].1, "&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(decode_blocks(&record(&[9])), Err(CacheFormatError::Damaged));
    }

    #[test]
    fn a_remembered_block_is_used_only_for_its_own_code() {
        let key = block_key("let a = 1;\n", "Rust");
        let forged = "<span class=\"hl-x\">steal()</span>";
        let memo = Memo::with_blocks(vec![(key, forged.into())]);
        assert_eq!(memo.get(key, "let a = 1;\n"), None);
        // Forgotten, so the next look-up does not compare again.
        assert!(memo.entries.lock().unwrap().is_empty());

        let html = "<span class=\"hl-k\">let</span> a &lt; 1;\n";
        let memo = Memo::with_blocks(vec![(key, html.into())]);
        assert_eq!(memo.get(key, "let a < 1;\n").as_deref(), Some(html));
    }

    #[test]
    fn text_is_reads_tags_and_references() {
        assert!(text_is(
            "<span class=\"a\">&lt;b&gt;</span>&amp;&#39;",
            "<b>&'"
        ));
        assert!(!text_is("<span class=\"a\">x</span>", "xy"));
        assert!(!text_is("xy", "x"));
        assert!(!text_is("<span", ""));
        assert!(text_is("", ""));
    }

    #[test]
    fn only_used_and_new_blocks_are_saved_and_only_when_changed() {
        let (a, b) = ([1, 1], [2, 2]);
        let memo = Memo::with_blocks(vec![(a, "a".into()), (b, "b".into())]);
        memo.get(a, "a").unwrap();
        memo.get(b, "b").unwrap();
        assert_eq!(memo.used_if_changed(), None, "used exactly what was loaded");
        let memo = Memo::with_blocks(vec![(a, "a".into()), (b, "b".into())]);
        memo.get(a, "a").unwrap();
        let used = memo.used_if_changed().unwrap();
        assert_eq!(
            used,
            vec![(a, Arc::from("a"))],
            "the unused block is dropped"
        );
        memo.insert([0, 9], "new".into());
        assert_eq!(memo.used_if_changed().unwrap().len(), 2);
    }

    #[test]
    fn a_sink_gets_each_new_block_once_and_memory_keeps_none() {
        let got = Arc::new(Mutex::new(Vec::new()));
        let mut memo = Memo::default();
        let into = Arc::clone(&got);
        memo.set_sink(Box::new(move |key, html| {
            into.lock().unwrap().push((key, html.to_string()));
        }));
        memo.insert([1, 1], "x".into());
        memo.insert([1, 1], "x".into());
        assert_eq!(*got.lock().unwrap(), vec![([1, 1], "x".to_string())]);
        assert!(memo.entries.lock().unwrap().is_empty());
        assert_eq!(memo.used_if_changed(), Some(Vec::new()));
    }
}
