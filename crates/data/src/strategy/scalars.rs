//! Integers and numbers as ranges within `minimum`/`maximum` (inclusive or exclusive) and
//! `multipleOf`, so shrinking moves toward zero or the bound nearest it.

use proptest::prelude::*;
use serde_json::Value;

use crate::numbers::{bounds, decimals, round, to_json};

/// The widest integers drawn without bounds: exact in any JSON parser.
pub(super) const SAFE: i64 = 9_007_199_254_740_991;
/// Most values are drawn within this distance of zero (or of the bound nearest it): huge
/// values are valid, but rarely what a failure is about.
const NEAR: i64 = 1000;

/// The lowest and highest valid integers (`int32` narrows them), or `None` if none is.
pub(super) fn int_bounds(schema: &Value) -> Option<(i64, i64)> {
    let (lo, lo_x, hi, hi_x) = bounds(schema);
    let (fmt_lo, fmt_hi) = match schema.get("format").and_then(Value::as_str) {
        Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (-SAFE, SAFE),
    };
    // Float to integer casts saturate, and the format range clamps them further.
    let lo = lo.map_or(fmt_lo, |l| {
        (if lo_x { l.floor() + 1.0 } else { l.ceil() }) as i64
    });
    let hi = hi.map_or(fmt_hi, |h| {
        (if hi_x { h.ceil() - 1.0 } else { h.floor() }) as i64
    });
    let (lo, hi) = (lo.max(fmt_lo), hi.min(fmt_hi));
    (lo <= hi).then_some((lo, hi))
}

/// A whole `multipleOf` of at least 2 (1 constrains no integer; fractions are left alone).
pub(super) fn whole_multiple(schema: &Value) -> Option<i64> {
    schema
        .get("multipleOf")
        .and_then(Value::as_f64)
        .filter(|m| *m >= 2.0 && m.fract() == 0.0 && *m < SAFE as f64)
        .map(|m| m as i64)
}

/// Valid integers.
pub(super) fn integer(schema: &Value) -> BoxedStrategy<Value> {
    let Some((lo, hi)) = int_bounds(schema) else {
        // Nothing is valid: any integer, for the caller's validator to discard.
        return Just(Value::from(0)).boxed();
    };
    match whole_multiple(schema) {
        Some(m) => {
            let (kl, kh) = (
                lo.div_euclid(m) + i64::from(lo.rem_euclid(m) != 0),
                hi.div_euclid(m),
            );
            if kl > kh {
                return Just(Value::from(lo)).boxed();
            }
            ranged(kl, kh).prop_map(move |k| Value::from(k * m)).boxed()
        }
        None => ranged(lo, hi).prop_map(Value::from).boxed(),
    }
}

/// Integers in `lo..=hi`: mostly near zero (or the bound nearest it), sometimes anywhere.
pub(super) fn ranged(lo: i64, hi: i64) -> BoxedStrategy<i64> {
    let (near_lo, near_hi) = if lo > NEAR {
        (lo, lo.saturating_add(NEAR).min(hi))
    } else if hi < -NEAR {
        (hi.saturating_sub(NEAR).max(lo), hi)
    } else {
        (lo.max(-NEAR), hi.min(NEAR))
    };
    if (near_lo, near_hi) == (lo, hi) {
        return toward_zero(lo, hi);
    }
    // A union shrinks toward its first branch: the near values.
    prop_oneof![3 => toward_zero(near_lo, near_hi), 1 => toward_zero(lo, hi)].boxed()
}

/// `lo..=hi`, shrinking to the value nearest zero. Proptest's own ranges shrink past the
/// upper end of an all-negative range, so those count down from it instead.
fn toward_zero(lo: i64, hi: i64) -> BoxedStrategy<i64> {
    if hi < 0 {
        (0..=hi - lo).prop_map(move |o| hi - o).boxed()
    } else {
        (lo..=hi).boxed()
    }
}

/// Valid numbers: rounded to two decimals where that stays in bounds, to multiples of
/// `multipleOf` when given.
pub(super) fn number(schema: &Value) -> BoxedStrategy<Value> {
    let (lo, lo_x, hi, hi_x) = bounds(schema);
    let ok = move |x: f64| {
        lo.is_none_or(|l| if lo_x { x > l } else { x >= l })
            && hi.is_none_or(|h| if hi_x { x < h } else { x <= h })
    };
    if let Some(m) = schema
        .get("multipleOf")
        .and_then(Value::as_f64)
        .filter(|m| *m > 0.0)
    {
        let d = decimals(m);
        let at = move |k: i64| round(k as f64 * m, d);
        let mut kl = lo.map_or(-SAFE, |l| (l / m).ceil() as i64);
        let mut kh = hi.map_or(SAFE, |h| (h / m).floor() as i64);
        // Rounding and exclusive bounds: step inward until the ends are valid.
        for _ in 0..3 {
            kl += i64::from(!ok(at(kl)) && kl < kh);
            kh -= i64::from(!ok(at(kh)) && kh > kl);
        }
        if kl > kh {
            return Just(to_json(at(kl))).boxed();
        }
        return ranged(kl, kh).prop_map(move |k| to_json(at(k))).boxed();
    }
    let wide = NEAR as f64 * 1e6;
    let low = lo.unwrap_or(match hi {
        Some(h) if h < -wide => h - wide,
        _ => -wide,
    });
    let high = hi.unwrap_or(low.max(0.0) + wide);
    if low > high {
        return Just(to_json(low)).boxed();
    }
    let near = NEAR as f64;
    let (near_lo, near_hi) = if low > near {
        (low, (low + near).min(high))
    } else if high < -near {
        ((high - near).max(low), high)
    } else {
        (low.max(-near), high.min(near))
    };
    let fix = move |x: f64| {
        let short = round(x, 2);
        let x = if ok(short) { short } else { x };
        if ok(x) {
            return to_json(x);
        }
        // Only an exclusive bound itself is out: step inside it, by a cent if there is room.
        let inside = if x <= low {
            [round(low + 0.01, 2), low.next_up()]
        } else {
            [round(high - 0.01, 2), high.next_down()]
        };
        to_json(inside.into_iter().find(|x| ok(*x)).unwrap_or(x))
    };
    prop_oneof![3 => near_lo..=near_hi, 1 => low..=high]
        .prop_map(fix)
        .boxed()
}
