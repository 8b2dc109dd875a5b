//! The `fixed(n)` filter: a number as text with `n` decimals (`19.99 * 2 | fixed` is
//! `"39.98"`), written from its digits. Carts total their lines with it on every answer,
//! and `format!`'s exact float formatting costs far more than the integer arithmetic a
//! money amount needs. The result is always the text `format!("{x:.n$}")` gives: a value
//! this cannot be sure of (negative, huge, or too near halfway between two results) is
//! formatted by `format!`.

/// The most decimals `fixed` writes.
pub(crate) const MAX_DECIMALS: usize = 12;

/// `x` with `decimals` (at most [`MAX_DECIMALS`]) digits after the point, as `format!`
/// writes it.
pub(crate) fn fixed(x: f64, decimals: usize) -> String {
    let n = decimals.min(MAX_DECIMALS);
    digits(x, n).unwrap_or_else(|| format!("{x:.n$}"))
}

/// `x * 10^n` below this is within 2^-13 of the exact product: far enough from the
/// margin below that rounding the computed product gives the exact one's rounding.
const LIMIT: f64 = (1u64 << 40) as f64;

/// How near halfway the computed product may come before `format!` decides: the product
/// is off by at most 2^-13 (about 0.00012), so a product further than this from halfway
/// rounds to the integer the exact one rounds to.
const MARGIN: f64 = 0.001;

/// The text, when the rounded product is certain; `None` for `format!` to write.
fn digits(x: f64, n: usize) -> Option<String> {
    // `-0.0` and negatives keep their sign in `format!`: left to it, like NaN.
    if !x.is_finite() || x.is_sign_negative() || n > 9 {
        return None;
    }
    let scale = 10u64.pow(n as u32);
    // Exact: `scale` is at most 10^9, well inside f64's integers.
    let product = x * scale as f64;
    if product >= LIMIT {
        return None;
    }
    let rounded = product.round();
    if ((product - rounded).abs() - 0.5).abs() < MARGIN {
        return None;
    }
    // `rounded` is a whole number below 2^40: the cast is exact.
    let v = rounded as u64;
    let mut out = String::with_capacity(24);
    push_digits(&mut out, v / scale, 1);
    if n > 0 {
        out.push('.');
        push_digits(&mut out, v % scale, n);
    }
    Some(out)
}

/// Pushes `v` in decimal, with leading zeros up to `width` digits.
fn push_digits(out: &mut String, mut v: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut start = digits.len();
    while v > 0 || start == digits.len() {
        start -= 1;
        digits[start] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    let start = start.min(digits.len().saturating_sub(width));
    out.extend(digits[start..].iter().map(|&d| char::from(d)));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digits written are `format!`'s, for money amounts, sums of prices, values near
    /// halfway (`1.005`, `2.675`, `0.125`), integers, tiny and huge values, and every count
    /// of decimals.
    #[test]
    fn writes_what_format_writes() {
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            19.99,
            12.5,
            0.125,
            0.375,
            1.005,
            2.675,
            1.045,
            0.5,
            1.5,
            2.5,
            1e-7,
            0.004999,
            0.005,
            0.015,
            123456.785,
            1e11,
            1e12,
            1e15,
            1e300,
            -19.99,
            -0.001,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
        ];
        let mut sum = 0.0;
        for i in 0..2000 {
            sum += 19.99;
            values.push(sum);
            values.push(f64::from(i) * 12.5 + 19.99 * f64::from(i % 7));
            values.push(f64::from(i) / 1000.0);
            values.push(f64::from(i) * 0.005);
        }
        // A simple linear congruential walk over bit patterns of positive doubles.
        let mut s: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            values.push(f64::from_bits((s >> 2) % 0x4130_0000_0000_0000));
        }
        let mut taken = 0;
        for x in values {
            for n in 0..=MAX_DECIMALS + 2 {
                let want = format!("{x:.*}", n.min(MAX_DECIMALS));
                assert_eq!(fixed(x, n), want, "{x:e} with {n} decimals");
                taken += usize::from(digits(x, n.min(MAX_DECIMALS)).is_some());
            }
        }
        // The digits are written directly for most values, not handed to `format!`.
        assert!(taken > 100_000, "only {taken} written directly");
    }

    #[test]
    fn money_is_written_directly() {
        assert_eq!(digits(39.98, 2).as_deref(), Some("39.98"));
        assert_eq!(digits(3.0, 2).as_deref(), Some("3.00"));
        assert_eq!(digits(0.0, 0).as_deref(), Some("0"));
        assert_eq!(digits(-1.0, 2), None);
    }
}
