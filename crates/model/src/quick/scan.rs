//! The quick check's one pass over the text: JSON's grammar as serde_json reads it, each
//! value judged by its node as it is read. Every `None` here is "don't know".

use super::text::{self, Str, fits};
use super::{Check, Kind, Known, Node, Quick};

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
                // Never another nullable (flattened at load): this reads a byte or ends.
                return self.value(*inner);
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

    /// A string between its quotes (see [`text::string`]).
    fn string(&mut self) -> Option<Str<'a>> {
        let (s, next) = text::string(self.text, self.at)?;
        self.at = next;
        Some(s)
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

    /// Opens an array or object the check takes as `kind` (never one listed in an enum),
    /// unless that nests past the limit.
    fn enter(&mut self, c: &Check, kind: Kind) -> Known {
        if !c.allows(kind) || c.strings.is_some() {
            return None;
        }
        self.depth += 1;
        self.at += 1;
        (self.depth <= self.limit).then_some(())
    }

    /// After an item or member: `true` at a comma (another follows), `false` at `close`;
    /// anything else is not known.
    fn more(&mut self, close: u8) -> Option<bool> {
        if self.eat(b',') {
            Some(true)
        } else {
            self.eat(close).then_some(false)
        }
    }

    fn array(&mut self, c: &Check) -> Known {
        self.enter(c, Kind::Array)?;
        let mut n = 0u64;
        if !self.eat(b']') {
            loop {
                self.value(c.items)?;
                n += 1;
                if !self.more(b']')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        let fits = c.min_items.is_none_or(|m| n >= m) && c.max_items.is_none_or(|m| n <= m);
        fits.then_some(())
    }

    fn object(&mut self, c: &Check) -> Known {
        self.enter(c, Kind::Object)?;
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
                if !self.more(b'}')? {
                    break;
                }
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
