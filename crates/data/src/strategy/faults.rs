//! Breaking a value by one rule its schema states: its type, its enum, its range or
//! multiple, its length, its pattern, its format. Each value here is invalid by construction,
//! not by chance: it lies past a bound, outside a list, or fails the rule's own check.

use proptest::prelude::*;
use proptest::strategy::Union;
use regex::Regex;
use serde_json::Value;

use super::Mutation;
use super::broken::Broken;
use super::scalars::{SAFE, int_bounds, ranged, whole_multiple};
use super::text::{self, lengths, letters, within};
use crate::numbers::{bounds, decimals, round, to_json};

/// Tags values with the mutation, at the place itself.
fn tag(s: BoxedStrategy<Value>, m: Mutation) -> Broken {
    s.prop_map(move |v| (v, m, String::new())).boxed()
}

/// A value of a type `allowed` leaves out (never null when `nullable` hints null is meant to
/// be allowed); `None` if every type is allowed.
pub(super) fn wrong_type(allowed: &[String], nullable: bool) -> Option<Broken> {
    let allows = |t: &str| allowed.iter().any(|a| a == t);
    if allowed.is_empty() {
        return None;
    }
    let mut options: Vec<BoxedStrategy<Value>> = Vec::new();
    if !allows("string") {
        // Letters only: digits could be read back as a number where values travel as text.
        options.push(letters(1, 8).prop_map(Value::String).boxed());
    }
    if !allows("integer") && !allows("number") {
        options.push((-1000i64..=1000).prop_map(Value::from).boxed());
    }
    if !allows("number") {
        // Never whole, so not an integer either.
        options.push(
            (-1000i64..=1000)
                .prop_map(|k| to_json(k as f64 + 0.5))
                .boxed(),
        );
    }
    if !allows("boolean") {
        options.push(any::<bool>().prop_map(Value::Bool).boxed());
    }
    if !allows("null") && !nullable {
        options.push(Just(Value::Null).boxed());
    }
    if !allows("array") {
        options.push(Just(Value::Array(Vec::new())).boxed());
    }
    if !allows("object") {
        options.push(Just(Value::Object(serde_json::Map::new())).boxed());
    }
    (!options.is_empty()).then(|| tag(Union::new(options).boxed(), Mutation::WrongType))
}

/// A value of the listed values' type that is not among them (`enum`, or `const`).
pub(super) fn not_in_enum(schema: &Value) -> Option<Broken> {
    let options: Vec<Value> = match (schema.get("enum"), schema.get("const")) {
        (Some(Value::Array(list)), _) => list.clone(),
        (_, Some(c)) => vec![c.clone()],
        _ => return None,
    };
    let candidates: BoxedStrategy<Value> = match options.first()? {
        Value::Number(_) => {
            // Above the largest listed number, whole so an integer type still holds.
            let top = options
                .iter()
                .filter_map(Value::as_f64)
                .fold(f64::MIN, f64::max);
            if top.abs() >= SAFE as f64 {
                return None;
            }
            (1i64..=100)
                .prop_map(move |k| to_json(top.floor() + k as f64))
                .boxed()
        }
        Value::Bool(b) if !options.contains(&Value::Bool(!b)) => Just(Value::Bool(!b)).boxed(),
        Value::String(_) | Value::Null => letters(1, 8).prop_map(Value::String).boxed(),
        _ => return None,
    };
    let outside = candidates.prop_map(move |mut v| {
        // A drawn string may be listed: lengthen it until it is not.
        while options.contains(&v) {
            match &mut v {
                Value::String(s) => s.push('x'),
                _ => break,
            }
        }
        v
    });
    Some(tag(outside.boxed(), Mutation::NotInEnum))
}

/// Numbers just past `minimum`/`maximum` (at an exclusive bound, the bound itself), on the
/// `multipleOf` grid so only the bound is broken; integers between multiples.
pub(super) fn range(schema: &Value, integer: bool) -> Vec<Broken> {
    let (lo, lo_x, hi, hi_x) = bounds(schema);
    let lo = lo.filter(|l| l.abs() < SAFE as f64);
    let hi = hi.filter(|h| h.abs() < SAFE as f64);
    let mut out = Vec::new();
    if integer {
        let m = whole_multiple(schema).unwrap_or(1);
        if let Some(l) = lo {
            // The lowest valid integer on the grid; a step below is past the bound.
            let first = (if lo_x { l.floor() + 1.0 } else { l.ceil() }) as i64;
            let first = first + (m - first.rem_euclid(m)) % m;
            let below = (1i64..=1000).prop_map(move |k| Value::from(first.saturating_sub(k * m)));
            out.push(tag(below.boxed(), Mutation::OutOfRange));
        }
        if let Some(h) = hi {
            let last = (if hi_x { h.ceil() - 1.0 } else { h.floor() }) as i64;
            let last = last - last.rem_euclid(m);
            let above = (1i64..=1000).prop_map(move |k| Value::from(last.saturating_add(k * m)));
            out.push(tag(above.boxed(), Mutation::OutOfRange));
        }
        out.extend(not_multiple(schema));
        return out;
    }
    let step = schema
        .get("multipleOf")
        .and_then(Value::as_f64)
        .filter(|m| *m > 0.0)
        .unwrap_or(1.0);
    let d = decimals(step);
    if let Some(l) = lo {
        let past = move |x: f64| if lo_x { x <= l } else { x < l };
        let top = (l / step).ceil();
        let below = (1i64..=1000).prop_map(move |k| {
            let x = round((top - k as f64) * step, d);
            to_json(if past(x) { x } else { l.floor() - k as f64 })
        });
        out.push(tag(below.boxed(), Mutation::OutOfRange));
    }
    if let Some(h) = hi {
        let past = move |x: f64| if hi_x { x >= h } else { x > h };
        let bottom = (h / step).floor();
        let above = (1i64..=1000).prop_map(move |k| {
            let x = round((bottom + k as f64) * step, d);
            to_json(if past(x) { x } else { h.ceil() + k as f64 })
        });
        out.push(tag(above.boxed(), Mutation::OutOfRange));
    }
    out
}

/// Integers within the bounds that miss a whole `multipleOf` by 1 to m - 1.
fn not_multiple(schema: &Value) -> Option<Broken> {
    let m = whole_multiple(schema)?;
    let (lo, hi) = int_bounds(schema)?;
    // Multiples k·m with k·m + m - 1 still in range, so every offset stays in bounds.
    let kl = lo.div_euclid(m) + i64::from(lo.rem_euclid(m) != 0);
    let kh = hi.div_euclid(m) - 1;
    if kl > kh {
        return None;
    }
    let between = (ranged(kl, kh), 1..m).prop_map(move |(k, j)| Value::from(k * m + j));
    Some(tag(between.boxed(), Mutation::NotMultiple))
}

/// Strings one rule off: too short, too long, not matching the pattern, a malformed format.
pub(super) fn text(schema: &Value) -> Vec<Broken> {
    let (min, max) = lengths(schema);
    let valid = text::string(schema, None);
    let mut out = Vec::new();
    if (1..=10_000).contains(&min) {
        // A valid string cut short, by 1 to 4 characters (shrinking toward 1).
        let short = (valid.clone(), 0..min.min(4)).prop_map(move |(v, k)| {
            let s: String = v.as_str().unwrap_or("").chars().take(min - 1 - k).collect();
            Value::String(s)
        });
        out.push(tag(short.boxed(), Mutation::TooShort));
    }
    if let Some(max) = max.filter(|m| *m < 10_000) {
        // A valid string lengthened by repeating its last character, which keeps most
        // patterns matching.
        let long = (valid.clone(), 1..=4usize).prop_map(move |(v, k)| {
            let mut s = v.as_str().unwrap_or("").to_owned();
            let last = s.chars().last().unwrap_or('x');
            while s.chars().count() < max + k {
                s.push(last);
            }
            Value::String(s)
        });
        out.push(tag(long.boxed(), Mutation::TooLong));
    }
    if let Some(p) = schema.get("pattern").and_then(Value::as_str) {
        out.extend(mismatch(p, valid, min, max));
    }
    if let Some(f) = schema.get("format").and_then(Value::as_str) {
        let bad: Vec<Value> = malformed(f)
            .iter()
            .filter(|s| within(s, min, max))
            .map(|s| Value::String((*s).to_owned()))
            .collect();
        if !bad.is_empty() {
            out.push(tag(
                proptest::sample::select(bad).boxed(),
                Mutation::BadFormat,
            ));
        }
    }
    out
}

/// Strings of the allowed length that do not match `pattern`: a valid string with one
/// character replaced, or a fixed one when that still matches. `None` if the pattern is not a
/// regular expression here or nothing tried fails it.
fn mismatch(
    pattern: &str,
    valid: BoxedStrategy<Value>,
    min: usize,
    max: Option<usize>,
) -> Option<Broken> {
    let re = Regex::new(pattern).ok()?;
    let n = min.max(1);
    let tries = ["", "!", "~", "-", "0", "a", "A", "!!", "a b", "~!@#"];
    let filler = ['x', '!', ' ', '0', 'a', '~'].map(|c| c.to_string().repeat(n));
    let fixed: Vec<String> = tries
        .iter()
        .map(|s| (*s).to_owned())
        .chain(filler)
        .filter(|s| !re.is_match(s) && within(s, min, max))
        .collect();
    let fallback = fixed.first()?.clone();
    let marks = vec!['!', '~', ' ', '#'];
    let broken = (
        valid,
        any::<proptest::sample::Index>(),
        proptest::sample::select(marks),
    )
        .prop_map(move |(v, at, mark)| {
            let chars: Vec<char> = v.as_str().unwrap_or("").chars().collect();
            let mut s = String::new();
            if !chars.is_empty() {
                let i = at.index(chars.len());
                s = chars[..i]
                    .iter()
                    .chain([&mark])
                    .chain(&chars[i + 1..])
                    .collect();
            }
            let ok = !re.is_match(&s) && within(&s, min, max);
            Value::String(if ok { s } else { fallback.clone() })
        });
    Some(tag(broken.boxed(), Mutation::PatternMismatch))
}

/// Strings a checker of the format refuses; none for formats checked loosely or not at all.
fn malformed(format: &str) -> &'static [&'static str] {
    match format {
        "date" => &["2024-13-45", "17/05/2024", "not-a-date"],
        "date-time" => &["2024-05-17 10:30", "2024-13-45T10:30:00Z", "yesterday"],
        "time" => &["25:61:00Z", "10h30"],
        "email" | "idn-email" => &["not-an-email", "jane.example.com", "@example.com"],
        "uuid" => &["not-a-uuid", "1234", "3fa85f64-5717-4562-b3fc-2c963f66af"],
        "ipv4" => &["999.1.1.1", "1.2.3", "not-an-ip"],
        "ipv6" => &["2001:db8::g", "not-an-ip"],
        "uri" => &["not a uri", "no-scheme/path"],
        "hostname" => &["-bad-.example.com", "bad_host!"],
        _ => &[],
    }
}
