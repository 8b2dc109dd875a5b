//! The request log: one line per answered request. The command line hands the mock a sink
//! that takes whole lines, and the line is written straight into bytes: a `tracing` event
//! with its formatter and escaping writer cost a quarter of a GET's instructions. Without a
//! sink the line goes out as a `tracing` event (target `cartwright::request`), which is what
//! a program embedding the mock subscribes to.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

/// Takes finished log lines. It is called on the request path, so it must never block
/// (the command line's hands each line to a writer thread, or drops and counts it).
pub trait LineSink: Send + Sync {
    /// Takes one line, ending in `\n`.
    fn line(&self, line: Vec<u8>);
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
            let mut text = words.join(" ");
            text.push(' ');
            push_number(&mut text, u64::from(status));
            text.push(' ');
            push_ms(&mut text, took);
            tracing::info!(target: "cartwright::request", "{text}");
            return;
        };
        sink.line(line(words, status, took, self.ansi));
    }
}

/// The line as `tracing`'s formatter writes it without time or target: the level, then the
/// words (control characters escaped so a path cannot drive the terminal), status and time.
pub(crate) fn line(words: &[&str], status: u16, took: Duration, ansi: bool) -> Vec<u8> {
    let mut out = String::with_capacity(96);
    out.push_str(if ansi {
        "\x1b[32m INFO\x1b[0m "
    } else {
        " INFO "
    });
    for word in words {
        push_escaped(&mut out, word);
        out.push(' ');
    }
    push_number(&mut out, u64::from(status));
    out.push(' ');
    push_ms(&mut out, took);
    out.push('\n');
    out.into_bytes()
}

/// Milliseconds with one decimal, rounded, as `{:.1}ms` would write them.
fn push_ms(out: &mut String, took: Duration) {
    let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX - 50);
    let tenths = (micros + 50) / 100;
    push_number(out, tenths / 10);
    out.push('.');
    push_number(out, tenths % 10);
    out.push_str("ms");
}

/// A number in decimal without `fmt`'s machinery (and no 128-bit division): this runs on
/// every request, where the numbers are a status and a time of a few digits.
fn push_number(out: &mut String, n: u64) {
    if n >= 10 {
        push_number(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// `text` with C0 and C1 control characters written as escapes, the way `tracing`'s
/// formatter escapes them; text without any (every path hyper accepts) is copied whole.
fn push_escaped(out: &mut String, text: &str) {
    // Printable ASCII (0x20..=0x7e) is copied whole; anything else, C1 characters among
    // it, takes the slow way. A fold without early exit, so the check is vectorised.
    if text
        .bytes()
        .fold(true, |plain, b| plain & (b.wrapping_sub(0x20) < 0x5f))
    {
        out.push_str(text);
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
            _ => out.push(c),
        }
    }
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
