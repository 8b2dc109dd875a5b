//! Strings: patterns built from their syntax tree (so they shrink to short matches), formats
//! and plausible values from the seeded generator, plain text as a list of characters.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::Union;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use regex_syntax::hir::{Hir, HirKind};
use serde_json::Value;

use crate::{Generator, Mode, pattern, strings};

/// Plain strings without `maxLength` are at most this much longer than `minLength`.
const SPAN: usize = 16;
/// Unbounded repetitions in a pattern repeat at most this many times beyond their minimum.
const REPEAT: u32 = 6;

/// Valid strings: `pattern`, then `format`, then plausible values for the property name, then
/// plain text, always within `minLength`/`maxLength`.
pub(super) fn string(schema: &Value, hint: Option<&str>) -> BoxedStrategy<Value> {
    let (min, max) = lengths(schema);
    if let Some(p) = schema.get("pattern").and_then(Value::as_str)
        && let Some(s) = matching(p, min, max)
    {
        return s.prop_map(Value::String).boxed();
    }
    let known_format = schema
        .get("format")
        .and_then(Value::as_str)
        .is_some_and(|f| strings::format(&mut seeded(0), f).is_some());
    if known_format || schema.get("pattern").is_some() {
        // Fixed shapes (dates, uuids) gain nothing from structural shrinking: the seeded
        // generator writes them, and a seed shrinks to seed 0's value.
        let schema = schema.clone();
        let hint = hint.map(str::to_owned);
        return any::<u64>()
            .prop_map(move |seed| strings::string(&mut seeded(seed), &schema, hint.as_deref()))
            .boxed();
    }
    let plain = plain(min, max).prop_map(Value::String);
    let words: Vec<Value> = hint
        .and_then(strings::plausible)
        .into_iter()
        .flatten()
        .filter(|w| within(w, min, max))
        .map(|w| Value::String((*w).to_owned()))
        .collect();
    if words.is_empty() {
        return plain.boxed();
    }
    prop_oneof![3 => proptest::sample::select(words), 1 => plain].boxed()
}

/// `minLength` and `maxLength`.
pub(super) fn lengths(schema: &Value) -> (usize, Option<usize>) {
    let get = |k: &str| schema.get(k).and_then(Value::as_u64).map(|n| n as usize);
    (get("minLength").unwrap_or(0), get("maxLength"))
}

/// Whether `s` has a length within the bounds, counted in characters as JSON Schema does.
pub(super) fn within(s: &str, min: usize, max: Option<usize>) -> bool {
    let n = s.chars().count();
    n >= min && max.is_none_or(|m| n <= m)
}

/// A generator for formats and patterns, seeded from a value the runner drew.
fn seeded(seed: u64) -> Generator<'static> {
    static NONE: Value = Value::Null;
    Generator::new(&NONE, seed, Mode::Dynamic)
}

/// Plain text of `min..=max` characters, mostly lowercase letters, shrinking toward `"a"`s.
pub(super) fn plain(min: usize, max: Option<usize>) -> BoxedStrategy<String> {
    let min = min.min(10_000);
    let max = max.unwrap_or(min + SPAN).clamp(min, min + 4 * SPAN);
    vec(character(), min..=max)
        .prop_map(|cs| cs.into_iter().collect())
        .boxed()
}

/// Mostly ASCII letters and digits; sometimes punctuation or a non-ASCII letter, which are
/// just as valid and find encoding bugs. No whitespace: servers that trim it would refuse
/// valid-looking values for reasons the schema does not state.
fn character() -> BoxedStrategy<char> {
    prop_oneof![
        12 => proptest::char::range('a', 'z'),
        3 => proptest::char::range('A', 'Z'),
        3 => proptest::char::range('0', '9'),
        1 => proptest::sample::select(vec!['-', '_', '.']),
        1 => proptest::sample::select(vec!['é', 'ß', 'ø', 'ü', '€', '日']),
    ]
    .boxed()
}

/// Lowercase letters only, `min..=max` of them: a string nothing mistakes for a number.
pub(super) fn letters(min: usize, max: usize) -> BoxedStrategy<String> {
    vec(proptest::char::range('a', 'z'), min..=max)
        .prop_map(|cs| cs.into_iter().collect())
        .boxed()
}

/// Any simple value, for schemas that allow anything: text, an integer, a boolean, null.
pub(super) fn any_simple() -> BoxedStrategy<Value> {
    prop_oneof![
        plain(0, None).prop_map(Value::String),
        (-1000i64..=1000).prop_map(Value::from),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
    ]
    .boxed()
}

/// Strings matching `pattern` within the length bounds, or `None` for syntax the parser
/// lacks. Matches of the wrong length are padded (unanchored patterns only) or replaced by
/// the seeded generator's, which tries harder.
fn matching(pattern: &str, min: usize, max: Option<usize>) -> Option<BoxedStrategy<String>> {
    let hir = pattern::parse(pattern)?;
    let tree = from_hir(&hir, 0);
    let unanchored = !pattern.starts_with('^') && !pattern.ends_with('$');
    let pattern = pattern.to_owned();
    let fix = move |(mut s, seed): (String, u64)| {
        if within(&s, min, max) {
            return s;
        }
        // An unanchored pattern matches inside any text, so padding keeps it matching.
        while unanchored && s.chars().count() < min {
            s.push('x');
        }
        if within(&s, min, max) {
            return s;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        pattern::generate(&mut rng, &pattern, false, min, max).unwrap_or(s)
    };
    Some((tree, any::<u64>()).prop_map(fix).boxed())
}

/// Strings produced by a regular expression's syntax tree: repetitions shrink to their
/// minimum, alternations to their first branch, classes to their first character.
fn from_hir(hir: &Hir, depth: usize) -> BoxedStrategy<String> {
    if depth > 64 {
        return Just(String::new()).boxed();
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Just(String::new()).boxed(),
        HirKind::Literal(lit) => Just(String::from_utf8_lossy(&lit.0).into_owned()).boxed(),
        HirKind::Class(class) => {
            let pool = pattern::printable(class);
            let total: u64 = pool.iter().map(|(a, b)| u64::from(b - a) + 1).sum();
            if total == 0 {
                return Just(String::new()).boxed();
            }
            (0..total)
                .prop_map(move |i| nth(&pool, i).to_string())
                .boxed()
        }
        HirKind::Repetition(rep) => {
            let hi = rep
                .max
                .map_or(rep.min + REPEAT, |m| m.min(rep.min + 2 * REPEAT));
            let (lo, hi) = (rep.min as usize, hi.max(rep.min) as usize);
            vec(from_hir(&rep.sub, depth + 1), lo..=hi)
                .prop_map(|parts| parts.concat())
                .boxed()
        }
        HirKind::Capture(cap) => from_hir(&cap.sub, depth + 1),
        HirKind::Concat(parts) => parts
            .iter()
            .map(|p| from_hir(p, depth + 1))
            .collect::<Vec<_>>()
            .prop_map(|parts| parts.concat())
            .boxed(),
        HirKind::Alternation(alts) => {
            Union::new(alts.iter().map(|a| from_hir(a, depth + 1))).boxed()
        }
    }
}

/// The `i`th character across the ranges.
fn nth(pool: &[(u32, u32)], mut i: u64) -> char {
    for &(a, b) in pool {
        let size = u64::from(b - a) + 1;
        if i < size {
            return char::from_u32(a + i as u32).unwrap_or('x');
        }
        i -= size;
    }
    'x'
}
