//! Strings in the text: where one ends, what its escapes stand for, and whether it fits a
//! schema's lengths and enum. Every `None` here is "don't know".

use super::{Check, Known};

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

/// A string between its quotes, starting at the opening quote at `at`: escapes as
/// serde_json reads them, no control characters, UTF-8. Returns it and where the text goes
/// on after its closing quote.
pub(super) fn string(text: &[u8], at: usize) -> Option<(Str<'_>, usize)> {
    let start = at + 1;
    let rest = text.get(start..)?;
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
    let s = Str {
        raw,
        escaped,
        spare,
    };
    Some((s, start + i + 1))
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
                if s.get(6..8)? != b"\\u" {
                    return None;
                }
                let low = hex(s.get(8..12)?)?;
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
