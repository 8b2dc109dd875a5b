//! The request log: one line per answered request. The command line hands the mock a sink
//! that takes whole lines, and the line is written straight into bytes: a `tracing` event
//! with its formatter and escaping writer cost a quarter of a GET's instructions. Without a
//! sink the line goes out as a `tracing` event (target `cartwright::request`), which is what
//! a program embedding the mock subscribes to.

use std::cell::RefCell;
use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

/// Takes finished log lines. It is called on the request path, so it must never block
/// (the command line's copies each line into a buffer a writer thread empties, or drops and
/// counts it).
pub trait LineSink: Send + Sync {
    /// Takes one line, ending in `\n`; the bytes are only borrowed for the call.
    fn line(&self, line: &[u8]);
}

/// Where request lines go: a [`LineSink`], or `tracing` when there is none.
#[derive(Clone, Default)]
pub struct RequestLog {
    sink: Option<Arc<dyn LineSink>>,
    ansi: bool,
}

impl std::fmt::Debug for RequestLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestLog")
            .field("sink", &self.sink.is_some())
            .field("ansi", &self.ansi)
            .finish()
    }
}

thread_local! {
    /// The line being built, kept per thread so a request line costs no allocation.
    static LINE: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

impl RequestLog {
    /// Lines written to `sink`, the level coloured as a terminal shows it when `ansi`.
    pub fn to(sink: Arc<dyn LineSink>, ansi: bool) -> Self {
        RequestLog {
            sink: Some(sink),
            ansi,
        }
    }

    /// Logs one request: its `words` (method, path, operation…), status and time taken.
    pub fn request(&self, words: &[&str], status: u16, took: Duration) {
        let Some(sink) = &self.sink else {
            // `tracing`'s formatter escapes what it writes, so the words go in as they are.
            let mut tail = Vec::new();
            push_number(&mut tail, u64::from(status));
            tail.push(b' ');
            push_ms(&mut tail, took);
            let text = format!("{} {}", words.join(" "), String::from_utf8_lossy(&tail));
            tracing::info!(target: "cartwright::request", "{text}");
            return;
        };
        LINE.with(|cell| match cell.try_borrow_mut() {
            Ok(mut out) => {
                out.clear();
                write_line(&mut out, words, status, took, self.ansi);
                sink.line(&out);
            }
            // Only re-entry could find it borrowed; a fresh buffer serves then.
            Err(_) => {
                let mut out = Vec::new();
                write_line(&mut out, words, status, took, self.ansi);
                sink.line(&out);
            }
        });
    }
}

/// The line as `tracing`'s formatter writes it without time or target: the level, then the
/// words (control characters escaped so a path cannot drive the terminal), status and time.
#[cfg(test)]
pub(crate) fn line(words: &[&str], status: u16, took: Duration, ansi: bool) -> Vec<u8> {
    let mut out = Vec::new();
    write_line(&mut out, words, status, took, ansi);
    out
}

/// Appends the line to `out`: the level, each word escaped and followed by a space, the
/// status, the time and a newline.
fn write_line(out: &mut Vec<u8>, words: &[&str], status: u16, took: Duration, ansi: bool) {
    out.extend_from_slice(if ansi {
        b"\x1b[32m INFO\x1b[0m "
    } else {
        b" INFO "
    });
    for word in words {
        push_escaped(out, word);
        out.push(b' ');
    }
    push_status(out, status);
    out.push(b' ');
    push_ms(out, took);
    out.push(b'\n');
}

/// A status: three digits for every status `http` can hold (100 to 999).
fn push_status(out: &mut Vec<u8>, status: u16) {
    if (100..=999).contains(&status) {
        let digit = |n: u16| b'0' + (n % 10) as u8;
        out.extend_from_slice(&[digit(status / 100), digit(status / 10), digit(status)]);
    } else {
        push_number(out, u64::from(status));
    }
}

/// Milliseconds with one decimal, rounded, as `{:.1}ms` would write them.
fn push_ms(out: &mut Vec<u8>, took: Duration) {
    let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX - 50);
    let tenths = (micros + 50) / 100;
    push_number(out, tenths / 10);
    out.extend_from_slice(&[b'.', b'0' + (tenths % 10) as u8, b'm', b's']);
}

/// A number in decimal without `fmt`'s machinery (and no 128-bit division): this runs on
/// every request, where the numbers are a status and a time of a few digits.
fn push_number(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// `text` with C0 and C1 control characters written as escapes, the way `tracing`'s
/// formatter escapes them; text without any (every path hyper accepts) is copied whole.
fn push_escaped(out: &mut Vec<u8>, text: &str) {
    // Printable ASCII (0x20..=0x7e) is copied whole; anything else, C1 characters among
    // it, takes the slow way.
    if printable(text.as_bytes()) {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    for c in text.chars() {
        match c as u32 {
            0..=0x1f | 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            0x80..=0x9f => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            _ => {
                let mut utf8 = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            }
        }
    }
}

/// Whether every byte is printable ASCII (0x20..=0x7e), looked at eight bytes at a time:
/// this runs over every path logged. In a word, a byte below 0x20 borrows when 0x20 is
/// taken from it (and was below 0x80), and a byte of 0x7f or more has its high bit set
/// before or after adding one. A borrow or carry can only flag the byte above one that is
/// flagged already, so the answer for the word is exact.
fn printable(bytes: &[u8]) -> bool {
    use crate::json_text::{HIGH, ONES, every_word};
    let caught =
        |x: u64| ((x.wrapping_sub(0x20 * ONES) & !x) | x | x.wrapping_add(ONES)) & HIGH != 0;
    every_word(bytes, caught, |b| b.wrapping_sub(0x20) < 0x5f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_level_words_status_and_rounded_time() {
        let got = line(
            &["GET", "/carts/1", "getCart"],
            200,
            Duration::from_micros(1_250),
            false,
        );
        assert_eq!(got, b" INFO GET /carts/1 getCart 200 1.3ms\n");
        let got = line(&["POST", "/x"], 404, Duration::from_micros(49), true);
        assert_eq!(got, b"\x1b[32m INFO\x1b[0m POST /x 404 0.0ms\n");
        let got = line(&["GET", "/"], 200, Duration::from_micros(12_345_678), false);
        assert_eq!(got, b" INFO GET / 200 12345.7ms\n");
    }

    #[test]
    fn printable_agrees_with_a_byte_by_byte_check() {
        let one_by_one = |b: &[u8]| b.iter().all(|c| (0x20..=0x7e).contains(c));
        // Every byte value at every place of a 17-byte text (two words and a remainder).
        for at in 0..17 {
            for byte in 0..=255u8 {
                let mut text = *b"/api/v2/cart/item";
                text[at] = byte;
                assert_eq!(
                    printable(&text),
                    one_by_one(&text),
                    "byte {byte:#x} at {at}"
                );
            }
        }
        assert!(printable(b""));
        assert!(printable(b" ~ ~ ~ ~ ~ ~ ~ ~"));
    }

    #[test]
    fn control_characters_are_escaped() {
        let got = line(
            &["GET", "/a\x1b[2Jb\u{9b}c\x7f"],
            200,
            Duration::ZERO,
            false,
        );
        assert_eq!(
            String::from_utf8(got).expect("utf-8"),
            " INFO GET /a\\x1b[2Jb\\u{9b}c\\x7f 200 0.0ms\n"
        );
        // Other text outside ASCII is kept as it is.
        let got = line(&["GET", "/k\u{f6}p~"], 200, Duration::ZERO, false);
        assert_eq!(got, " INFO GET /k\u{f6}p~ 200 0.0ms\n".as_bytes());
    }
}
