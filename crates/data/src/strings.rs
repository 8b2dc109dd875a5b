//! Strings: formats (uuid, date-time, email, uri, ...), patterns, lengths, and plausible
//! values for common storefront property names when the schema says nothing more.

use base64::Engine;
use rand::Rng;
use serde_json::Value;

use crate::{Generator, Mode, pattern};

/// A string satisfying the schema.
pub(crate) fn string(g: &mut Generator<'_>, schema: &Value, hint: Option<&str>) -> Value {
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|m| m as usize);
    let formatted = schema
        .get("format")
        .and_then(Value::as_str)
        .and_then(|f| format(g, f));
    // A pattern that narrows a format (`date-time` ending in `Z`): the format's own value
    // when the pattern accepts it, since a value drawn from the pattern alone rarely is one.
    if let Some(p) = schema.get("pattern").and_then(Value::as_str) {
        if let Some(f) = formatted.as_ref().filter(|f| matches(p, f)) {
            return Value::String(f.clone());
        }
        if let Some(s) = pattern::generate(&mut g.rng, p, g.mode != Mode::Dynamic, min, max) {
            return Value::String(s);
        }
    }
    let text = formatted
        .or_else(|| hint.and_then(|h| by_name(g, h)))
        .unwrap_or_else(|| plain(g));
    Value::String(fit(g, text, min, max))
}

/// Whether the pattern (unanchored, as JSON Schema reads it) finds a match in `s`.
fn matches(pattern: &str, s: &str) -> bool {
    regex::Regex::new(pattern).is_ok_and(|r| r.is_match(s))
}

/// Pads or cuts a string to the length bounds (cut only when the bounds demand it).
fn fit(g: &mut Generator<'_>, mut s: String, min: usize, max: Option<usize>) -> String {
    let len = s.chars().count();
    if len < min {
        let fill = min.min(10_000) - len;
        s.extend((0..fill).map(|_| {
            if g.mode != Mode::Dynamic {
                'x'
            } else {
                char::from(b'a' + g.rng.random_range(0..26))
            }
        }));
    }
    if let Some(max) = max {
        s = s.chars().take(max).collect();
    }
    s
}

fn plain(g: &mut Generator<'_>) -> String {
    match g.mode {
        Mode::Static | Mode::Minimal => "string".to_owned(),
        Mode::Dynamic => {
            let n = g.rng.random_range(5..12);
            (0..n)
                .map(|_| char::from(b'a' + g.rng.random_range(0..26)))
                .collect()
        }
    }
}

fn uuid(g: &mut Generator<'_>) -> String {
    let b: [u8; 16] = g.rng.random();
    let h = |r: std::ops::Range<usize>| b[r].iter().map(|x| format!("{x:02x}")).collect::<String>();
    let version = format!("4{:03x}", u16::from_be_bytes([b[6], b[7]]) & 0x0fff);
    let variant = format!(
        "{:x}{:03x}",
        8 | (b[8] & 3),
        u16::from_be_bytes([b[8], b[9]]) & 0x0fff
    );
    format!("{}-{}-{version}-{variant}-{}", h(0..4), h(4..6), h(10..16))
}

fn date(g: &mut Generator<'_>) -> (u32, u32, u32) {
    match g.mode {
        Mode::Static | Mode::Minimal => (2024, 5, 17),
        Mode::Dynamic => (
            g.rng.random_range(2015..2030),
            g.rng.random_range(1..13),
            g.rng.random_range(1..29),
        ),
    }
}

fn time(g: &mut Generator<'_>) -> (u32, u32, u32) {
    match g.mode {
        Mode::Static | Mode::Minimal => (10, 30, 0),
        Mode::Dynamic => (
            g.rng.random_range(0..24),
            g.rng.random_range(0..60),
            g.rng.random_range(0..60),
        ),
    }
}

fn word(g: &mut Generator<'_>, words: &[&str]) -> String {
    let i = if g.mode != Mode::Dynamic {
        0
    } else {
        g.rng.random_range(0..words.len())
    };
    words[i].to_owned()
}

/// A value of a known format; `None` for formats that constrain nothing checkable.
pub(crate) fn format(g: &mut Generator<'_>, format: &str) -> Option<String> {
    Some(match format {
        "uuid" => uuid(g),
        "date-time" => {
            let ((y, m, d), (hh, mm, ss)) = (date(g), time(g));
            format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
        }
        "date" => {
            let (y, m, d) = date(g);
            format!("{y:04}-{m:02}-{d:02}")
        }
        "time" => {
            let (hh, mm, ss) = time(g);
            format!("{hh:02}:{mm:02}:{ss:02}Z")
        }
        "email" | "idn-email" => format!(
            "{}@example.com",
            word(g, &["jane.doe", "john.smith", "shopper", "alex"])
        ),
        "uri" | "url" | "iri" => format!(
            "https://example.com/{}",
            word(g, &["products/61", "checkout", "cart", "account"])
        ),
        "uri-reference" | "iri-reference" => format!("/{}", word(g, &["products/61", "checkout"])),
        "uri-template" => "https://example.com/{id}".to_owned(),
        "hostname" | "idn-hostname" => word(g, &["shop.example.com", "api.example.com"]),
        "ipv4" => {
            if g.mode != Mode::Dynamic {
                "192.0.2.1".to_owned()
            } else {
                format!("192.0.2.{}", g.rng.random_range(1..255))
            }
        }
        "ipv6" => "2001:db8::1".to_owned(),
        "byte" => base64::engine::general_purpose::STANDARD.encode(plain(g)),
        "binary" => "binary".to_owned(),
        "password" => "s3cret-Passw0rd".to_owned(),
        "json-pointer" => "/items/0".to_owned(),
        "regex" => "^[a-z]+$".to_owned(),
        "duration" => "P1D".to_owned(),
        _ => return None,
    })
}

/// Plausible values for unconstrained strings named like common storefront fields.
fn by_name(g: &mut Generator<'_>, name: &str) -> Option<String> {
    plausible(name).map(|words| word(g, words))
}

/// The plausible values for a property named `name` (case, `_` and `-` ignored), if known.
pub(crate) fn plausible(name: &str) -> Option<&'static [&'static str]> {
    let n = name.to_ascii_lowercase().replace(['_', '-'], "");
    Some(match n.as_str() {
        "email" | "emailaddress" => &["jane.doe@example.com", "shopper@example.com"],
        "firstname" => &["Jane", "John", "Alex"],
        "lastname" => &["Doe", "Smith", "Berg"],
        "name" | "title" => &["Test Product", "Blue Shirt", "Canvas Tote"],
        "currency" | "currencycode" => &["USD", "EUR", "SEK"],
        "country" | "countrycode" => &["US", "SE", "CA"],
        "city" => &["Stockholm", "Toronto", "Berlin"],
        "phone" | "phonenumber" => &["+46701234567", "+15551234567"],
        "url" | "uri" | "href" => &["https://example.com/"],
        _ => return None,
    })
}
