//! Integers and numbers within `minimum`/`maximum` (inclusive or exclusive, in either
//! dialect), `multipleOf`, and the ranges of `int32`/`int64`.

use rand::Rng;
use serde_json::Value;

use crate::{Generator, Mode};

/// Lower bound, whether it is exclusive, upper bound, whether it is exclusive.
pub(crate) fn bounds(schema: &Value) -> (Option<f64>, bool, Option<f64>, bool) {
    let num = |k: &str| schema.get(k).and_then(Value::as_f64);
    // 2020-12 allows both `minimum` and a numeric `exclusiveMinimum`: the tighter one binds.
    let side = |bound: &str, excl: &str, tighter: fn(f64, f64) -> bool| match schema.get(excl) {
        Some(Value::Number(n)) => match (n.as_f64(), num(bound)) {
            (Some(e), Some(b)) if tighter(b, e) => (Some(b), false),
            (e, _) => (e, true),
        },
        Some(Value::Bool(true)) => (num(bound), true),
        _ => (num(bound), false),
    };
    let (lo, lo_excl) = side("minimum", "exclusiveMinimum", |b, e| b > e);
    let (hi, hi_excl) = side("maximum", "exclusiveMaximum", |b, e| b < e);
    (lo, lo_excl, hi, hi_excl)
}

/// An integer satisfying the schema.
pub(crate) fn integer(g: &mut Generator<'_>, schema: &Value) -> Value {
    let (lo, lo_excl, hi, hi_excl) = bounds(schema);
    let (fmt_lo, fmt_hi) = match schema.get("format").and_then(Value::as_str) {
        Some("int32") => (f64::from(i32::MIN), f64::from(i32::MAX)),
        _ => (-9.0e15, 9.0e15),
    };
    if let Some(far) = beyond(lo, lo_excl, hi, hi_excl, fmt_lo, fmt_hi) {
        return far;
    }
    let lo = lo
        .map(|l| if lo_excl { l.floor() + 1.0 } else { l.ceil() })
        .unwrap_or(fmt_lo)
        .max(fmt_lo);
    let hi = hi
        .map(|h| if hi_excl { h.ceil() - 1.0 } else { h.floor() })
        .unwrap_or(fmt_hi)
        .min(fmt_hi);
    let (lo, hi) = (lo as i64, (hi as i64).max(lo as i64));
    let pick = match g.mode {
        Mode::Static | Mode::Minimal if lo > -9_000_000_000_000_000 => lo.max(1.min(hi)),
        Mode::Static | Mode::Minimal => 1.clamp(lo, hi),
        Mode::Dynamic => {
            let low = if lo < -1_000_000 {
                0.max(lo).min(hi)
            } else {
                lo
            };
            let high = hi.min(low.saturating_add(1000));
            g.rng.random_range(low..=high)
        }
    };
    let m = schema
        .get("multipleOf")
        .and_then(Value::as_f64)
        .filter(|m| *m >= 1.0 && m.fract() == 0.0)
        .map(|m| m as i64);
    let v = match m {
        Some(m) => {
            let up = pick.div_euclid(m) * m + if pick.rem_euclid(m) == 0 { 0 } else { m };
            if up <= hi { up } else { hi.div_euclid(m) * m }
        }
        None => pick,
    };
    Value::from(v)
}

/// An integer for bounds wholly past what the usual range holds (`minimum: 1e20`): the
/// bound itself, or the next whole double past an exclusive one. JSON Schema counts any
/// number without a fractional part as an integer, whatever its size.
fn beyond(
    lo: Option<f64>,
    lo_excl: bool,
    hi: Option<f64>,
    hi_excl: bool,
    fmt_lo: f64,
    fmt_hi: f64,
) -> Option<Value> {
    let whole = |x: f64| serde_json::Number::from_f64(x).map(Value::Number);
    // Past 2^53 every double is whole, and `+ 1.0` may round back to the bound itself.
    let above = |x: f64| {
        Some(x.floor() + 1.0)
            .filter(|v| *v > x)
            .unwrap_or(x.next_up())
    };
    let below = |x: f64| {
        Some(x.ceil() - 1.0)
            .filter(|v| *v < x)
            .unwrap_or(x.next_down())
    };
    if let Some(l) = lo.filter(|l| *l > fmt_hi && l.is_finite()) {
        return whole(if lo_excl { above(l) } else { l.ceil() });
    }
    if let Some(h) = hi.filter(|h| *h < fmt_lo && h.is_finite()) {
        return whole(if hi_excl { below(h) } else { h.floor() });
    }
    None
}

/// A number satisfying the schema; whole numbers are written as integers.
pub(crate) fn number(g: &mut Generator<'_>, schema: &Value) -> Value {
    let (lo, lo_excl, hi, hi_excl) = bounds(schema);
    // Without a lower bound, start at zero unless the upper bound forbids it.
    let low = lo.unwrap_or(match hi {
        Some(h) if h <= 0.0 => h - 100.0,
        _ => 0.0,
    });
    let high = hi.unwrap_or(low + 1000.0);
    let mut x = match g.mode {
        Mode::Static | Mode::Minimal => {
            let preferred = 1.5_f64;
            if preferred > low && preferred < high {
                preferred
            } else {
                (low + high) / 2.0
            }
        }
        Mode::Dynamic => (g.rng.random_range(0.0..1.0) * (high - low) + low).clamp(low, high),
    };
    if let Some(m) = schema
        .get("multipleOf")
        .and_then(Value::as_f64)
        .filter(|m| *m > 0.0)
    {
        let k = (x / m).ceil();
        let decimals = decimals(m);
        x = round(k * m, decimals);
        if hi.is_some_and(|h| x > h || (hi_excl && x >= h)) {
            x = round((x / m - 1.0).floor() * m, decimals);
        }
        return to_json(x);
    }
    x = round(x, 2);
    if lo.is_some_and(|l| x < l || (lo_excl && x <= l))
        || hi.is_some_and(|h| x > h || (hi_excl && x >= h))
    {
        x = (low + high) / 2.0;
    }
    to_json(x)
}

/// How many decimals `m` is written with, so its multiples can be rounded to them.
pub(crate) fn decimals(m: f64) -> i32 {
    let s = format!("{m}");
    s.split_once('.').map_or(0, |(_, f)| f.len() as i32)
}

/// `x` rounded to `decimals` places.
pub(crate) fn round(x: f64, decimals: i32) -> f64 {
    let p = 10f64.powi(decimals);
    (x * p).round() / p
}

/// A number as JSON, whole numbers written as integers.
pub(crate) fn to_json(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x).map_or(Value::from(0), Value::Number)
    }
}
