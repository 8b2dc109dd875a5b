//! The quick check's one pass over the text: JSON's grammar as serde_json reads it, each
//! value judged by its node as it is read. Every `None` here is "don't know".

use super::{Check, Kind, Node, Quick};

/// serde_json refuses text nested deeper than 128; the quick check stops well short of it.
const MAX_DEPTH: usize = 100;

/// Integer literals up to this many digits are exact as `f64`, so compared with a bound
/// exactly as jsonschema compares them.
const EXACT_DIGITS: usize = 15;

/// A fraction longer than this is left to serde_json (which may find it out of range).
const MAX_NUMBER: usize = 40;

/// See [`Quick::accepts`].
pub(super) fn accepts(q: &Quick, text: &[u8], depth_limit: usize) -> bool {
    let mut s = Scan {
        q,
        text,
        at: 0,
        depth: 0,
        limit: depth_limit.min(MAX_DEPTH),
    };
    s.value(q.root).is_some() && {
        s.ws();
        s.at == text.len()
    }
}

/// The bytes that stop a quick run through a string: its closing quote, an escape, a
/// control character, or the first byte beyond ASCII. One table lookup per byte.
static STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b == b'"' as usize || b == b'\\' as usize || b < 0x20 || b >= 0x80;
        b += 1;
    }
    table
};

/// `Some(())`: valid, certainly; `None`: not known.
type Known = Option<()>;

struct Scan<'a> {
    q: &'a Quick,
    text: &'a [u8],
    at: usize,
    depth: usize,
    limit: usize,
}

impl<'a> Scan<'a> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.text.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    /// Skips white space, then `b` if it is next.
    fn eat(&mut self, b: u8) -> bool {
        self.ws();
        let next = self.peek() == Some(b);
        self.at += usize::from(next);
        next
    }

    fn value(&mut self, node: usize) -> Known {
        self.ws();
        let q = self.q;
        let c = match &q.nodes[node] {
            Node::Check(c) => c,
            Node::OrNull(inner) => {
                if self.text[self.at..].starts_with(b"null") {
                    self.at += 4;
                    return Some(());
                }
                // Only a check is read on: a nullable of a nullable (or of itself, through a
                // cycle of references) would recurse without reading a byte.
                return match &q.nodes[*inner] {
                    Node::Check(_) => self.value(*inner),
                    _ => None,
                };
            }
            Node::Unknown | Node::Never => return None,
        };
        match self.peek()? {
            b'{' => self.object(c),
            b'[' => self.array(c),
            b'"' => {
                if !c.allows(Kind::String) {
                    return None;
                }
                let s = self.string()?;
                fits(c, &s)
            }
            b't' => self.literal(c, b"true", Kind::Boolean),
            b'f' => self.literal(c, b"false", Kind::Boolean),
            b'n' => self.literal(c, b"null", Kind::Null),
            b'-' | b'0'..=b'9' => self.number(c),
            _ => None,
        }
    }

    fn literal(&mut self, c: &Check, word: &[u8], kind: Kind) -> Known {
        let listed = c.strings.is_none() || (c.null_in_enum && matches!(kind, Kind::Null));
        if !self.text[self.at..].starts_with(word) || !c.allows(kind) || !listed {
            return None;
        }
        self.at += word.len();
        Some(())
    }

    /// A string between its quotes: escapes as serde_json reads them, no control
    /// characters, UTF-8.
    fn string(&mut self) -> Option<Str<'a>> {
        let start = self.at + 1;
        let rest = self.text.get(start..)?;
        let (mut i, mut ascii, mut spare, mut escaped) = (0, true, 0, false);
        loop {
            i += rest.get(i..)?.iter().position(|&b| STOP[usize::from(b)])?;
            match rest[i] {
                b'"' => break,
                b'\\' => {
                    let (len, saved) = escape(&rest[i..])?;
                    (i, spare, escaped) = (i + len, spare + saved, true);
                }
                0x80.. => (i, ascii) = (i + 1, false),
                _ => return None,
            }
        }
        let raw = &rest[..i];
        if !ascii && std::str::from_utf8(raw).is_err() {
            return None;
        }
        self.at = start + i + 1;
        Some(Str {
            raw,
            escaped,
            spare,
        })
    }

    fn number(&mut self, c: &Check) -> Known {
        let start = self.at;
        self.at += usize::from(self.peek() == Some(b'-'));
        let digits = match self.peek()? {
            b'0' => {
                self.at += 1;
                1
            }
            b'1'..=b'9' => self.digits(),
            _ => return None,
        };
        let fraction = self.peek() == Some(b'.');
        if fraction {
            self.at += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        // An exponent can put a number out of serde_json's range, or make it an integer.
        if matches!(self.peek(), Some(b'e' | b'E')) || c.strings.is_some() {
            return None;
        }
        if fraction {
            // A fraction is a number; whether `1.0` is an integer or `0.1` passes a bound
            // turns on rounding serde_json and jsonschema own.
            let number = c.kinds == 0 || c.kinds & Kind::Number as u8 != 0;
            return (number && !c.bounded() && self.at - start <= MAX_NUMBER).then_some(());
        }
        if digits > EXACT_DIGITS || !c.allows(Kind::Integer) {
            return None;
        }
        // At most 15 digits: no overflow, and exact as `f64`.
        let magnitude = self.text[start..self.at]
            .iter()
            .filter(|b| b.is_ascii_digit())
            .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
        let v = if self.text[start] == b'-' {
            -magnitude
        } else {
            magnitude
        } as f64;
        let within = c.minimum.is_none_or(|m| v >= m)
            && c.maximum.is_none_or(|m| v <= m)
            && c.exclusive_minimum.is_none_or(|m| v > m)
            && c.exclusive_maximum.is_none_or(|m| v < m);
        within.then_some(())
    }

    /// Skips ASCII digits, counting them.
    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        self.at - start
    }

    /// Opens an array or object, unless that nests past the limit.
    fn enter(&mut self) -> Known {
        self.depth += 1;
        self.at += 1;
        (self.depth <= self.limit).then_some(())
    }

    fn array(&mut self, c: &Check) -> Known {
        if !c.allows(Kind::Array) || c.strings.is_some() {
            return None;
        }
        self.enter()?;
        let mut n = 0u64;
        if !self.eat(b']') {
            loop {
                self.value(c.items)?;
                n += 1;
                if self.eat(b',') {
                    continue;
                }
                if self.eat(b']') {
                    break;
                }
                return None;
            }
        }
        self.depth -= 1;
        let fits = c.min_items.is_none_or(|m| n >= m) && c.max_items.is_none_or(|m| n <= m);
        fits.then_some(())
    }

    fn object(&mut self, c: &Check) -> Known {
        if !c.allows(Kind::Object) || c.strings.is_some() {
            return None;
        }
        self.enter()?;
        let mut seen = 0u64;
        if !self.eat(b'}') {
            loop {
                self.ws();
                if self.peek() != Some(b'"') {
                    return None;
                }
                let key = self.string()?;
                // An escaped name is compared as written: not known.
                if key.escaped {
                    return None;
                }
                let key = key.raw;
                if !self.eat(b':') {
                    return None;
                }
                let (node, bit) = match c.properties.iter().position(|(n, _)| same(n, key)) {
                    Some(i) => (c.properties[i].1, 1u64.checked_shl(i as u32).unwrap_or(0)),
                    None => (c.additional, 0),
                };
                self.value(node)?;
                seen |= bit;
                if self.eat(b',') {
                    continue;
                }
                if self.eat(b'}') {
                    break;
                }
                return None;
            }
        }
        self.depth -= 1;
        (seen & c.required == c.required).then_some(())
    }
}

/// Whether a member's name is `key`: compared in line, as names are short and most
/// differ in length.
fn same(name: &str, key: &[u8]) -> bool {
    name.len() == key.len() && name.bytes().zip(key).all(|(a, &b)| a == b)
}

/// A string as the text writes it.
pub(super) struct Str<'a> {
    /// The bytes between the quotes, escapes as written.
    pub raw: &'a [u8],
    /// Whether it has escapes (then `raw` is not the string's own bytes).
    pub escaped: bool,
    /// How many more characters the escapes take than the characters they stand for.
    pub spare: u64,
}

/// An escape at the start of `s` as serde_json reads it: its length, and how many more
/// characters it takes than the one it stands for. A lone surrogate (serde_json refuses
/// it) or anything else is not known.
fn escape(s: &[u8]) -> Option<(usize, u64)> {
    let hex = |h: &[u8]| {
        h.iter()
            .try_fold(0u32, |n, &b| Some(n * 16 + char::from(b).to_digit(16)?))
    };
    match *s.get(1)? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some((2, 1)),
        b'u' => match hex(s.get(2..6)?)? {
            0xd800..=0xdbff => {
                // A high surrogate counts only with its low half right after it.
                let low = (s.get(6..8)? == b"\\u").then(|| hex(s.get(8..12)?))??;
                (0xdc00..=0xdfff).contains(&low).then_some((12, 11))
            }
            0xdc00..=0xdfff => None,
            _ => Some((6, 5)),
        },
        _ => None,
    }
}

/// Whether a string fits its lengths and enum; an escaped string is compared with an
/// enum only as "not known".
pub(super) fn fits(c: &Check, s: &Str<'_>) -> Known {
    if c.min_length.is_some() || c.max_length.is_some() {
        // Lengths count characters: every byte that does not continue one starts one,
        // less what the escapes take beyond the character each stands for.
        let n = s.raw.iter().filter(|&&b| b & 0xc0 != 0x80).count() as u64 - s.spare;
        if c.min_length.is_some_and(|m| n < m) || c.max_length.is_some_and(|m| n > m) {
            return None;
        }
    }
    match &c.strings {
        Some(_) if s.escaped => None,
        Some(list) => list.iter().any(|l| l.as_bytes() == s.raw).then_some(()),
        None => Some(()),
    }
}
