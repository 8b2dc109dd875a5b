//! Time as users write it and as cartwright prints it: one duration grammar for behaviours,
//! scenarios and both admin APIs, and one UTC timestamp format (RFC 3339 with `Z`).
//!
//! A duration is a number (decimals allowed, a leading `-` where going back makes sense) and
//! one unit of `ms`, `s`, `m`, `h`, `d`, optionally separated by a space. Only a bare number
//! differs by place, because each place follows the habit of its neighbours: token lifetimes
//! and the clock count seconds (like OAuth's `expires_in`), scenario timings count
//! milliseconds (like Hurl's `delay`).

use std::fmt;

/// What a number without a unit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bare {
    /// Seconds: behaviours' lifetimes and the admin clock.
    Seconds,
    /// Milliseconds: scenario retry intervals and duration assertions.
    Millis,
}

/// A text that is not a duration; its message says what is accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationError(pub String);

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a duration: write a number and one of ms, s, m, h, d \
             (`500ms`, `90s`, `10m`, `1h`, `31d`)",
            self.0
        )
    }
}

impl std::error::Error for DurationError {}

/// Reads a duration in milliseconds: `500ms`, `1.5s`, `10m`, `1h`, `31d`, `-1d`.
pub fn duration_ms(text: &str, bare: Bare) -> Result<i64, DurationError> {
    let err = || DurationError(text.to_owned());
    let t = text.trim();
    let (neg, t) = t.strip_prefix('-').map_or((false, t), |r| (true, r));
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = (&t[..split], t[split..].trim());
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') {
        return Err(err());
    }
    let n: f64 = num.parse().map_err(|_| err())?;
    let per: f64 = match (unit, bare) {
        ("ms", _) | ("", Bare::Millis) => 1.0,
        ("s", _) | ("", Bare::Seconds) => 1_000.0,
        ("m", _) => 60_000.0,
        ("h", _) => 3_600_000.0,
        ("d", _) => 86_400_000.0,
        _ => return Err(err()),
    };
    let ms = (n * per).round();
    if !ms.is_finite() || ms.abs() > 1e15 {
        return Err(err());
    }
    // In range by the check above, so the cast is exact.
    let ms = ms as i64;
    Ok(if neg { -ms } else { ms })
}

/// Reads a duration that cannot be negative, as a [`std::time::Duration`].
pub fn duration(text: &str, bare: Bare) -> Result<std::time::Duration, DurationError> {
    let ms = duration_ms(text, bare)?;
    u64::try_from(ms)
        .map(std::time::Duration::from_millis)
        .map_err(|_| DurationError(text.to_owned()))
}

/// `90s`, `10m`, `1h`, `31d` (or plain seconds) in whole seconds, rounded up so a lifetime
/// never ends early; `None` for a negative or unreadable text.
pub fn parse_duration(text: &str) -> Option<u64> {
    let ms = u64::try_from(duration_ms(text, Bare::Seconds).ok()?).ok()?;
    Some(ms.div_ceil(1000))
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn iso(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        civil(days),
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 as `YYYY-MM-DD` (Howard Hinnant's civil-from-days).
pub fn civil(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_grammar() {
        for (t, ms) in [
            ("500ms", 500),
            ("1.5s", 1_500),
            ("90s", 90_000),
            ("10m", 600_000),
            ("1h", 3_600_000),
            ("31d", 2_678_400_000),
            ("-1d", -86_400_000),
            ("2 s", 2_000),
        ] {
            assert_eq!(duration_ms(t, Bare::Seconds), Ok(ms), "{t}");
            assert_eq!(duration_ms(t, Bare::Millis), Ok(ms), "{t}");
        }
        assert_eq!(duration_ms("90", Bare::Seconds), Ok(90_000));
        assert_eq!(duration_ms("250", Bare::Millis), Ok(250));
        for bad in ["3 weeks", "1w", "", "s", ".5s", "5.s", "1e400d", "--1s"] {
            let e = duration_ms(bad, Bare::Seconds).expect_err(bad);
            assert!(e.to_string().contains("ms, s, m, h, d"), "{e}");
        }
        assert!(duration("-1s", Bare::Millis).is_err());
        assert_eq!(parse_duration("1500ms"), Some(2));
        assert_eq!(parse_duration("-1s"), None);
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso(1_581_876_572), "2020-02-16T18:09:32Z");
        assert_eq!(iso(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso(-1), "1969-12-31T23:59:59Z");
    }
}
