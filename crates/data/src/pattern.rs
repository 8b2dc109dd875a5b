//! Strings that match a regular expression, generated from its syntax tree. Look-arounds and
//! back-references are unsupported by the parser; such patterns fall back to plain strings.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use regex_syntax::hir::{Class, Hir, HirKind};

/// A string matching `pattern` within the length bounds, or `None` if none was found.
/// `first` takes the first alternative and the fewest repetitions, for stable values.
pub(crate) fn generate(
    rng: &mut ChaCha8Rng,
    pattern: &str,
    first: bool,
    min: usize,
    max: Option<usize>,
) -> Option<String> {
    let hir = parse(pattern)?;
    let anchored_start = pattern.starts_with('^');
    let anchored_end = pattern.ends_with('$');
    for attempt in 0..16 {
        let mut out = String::new();
        walk(rng, &hir, first && attempt == 0, &mut out, 0);
        // An unanchored pattern matches inside any text, so padding keeps it valid.
        if !anchored_start && !anchored_end {
            while out.chars().count() < min {
                out.push('x');
            }
        }
        let n = out.chars().count();
        if n >= min && max.is_none_or(|m| n <= m) {
            return Some(out);
        }
    }
    None
}

/// The syntax tree of `pattern`, ASCII classes (`\d` is `[0-9]`, as in ECMA 262), or `None`
/// for syntax the parser lacks (look-arounds, back-references).
pub(crate) fn parse(pattern: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()
}

fn walk(rng: &mut ChaCha8Rng, hir: &Hir, first: bool, out: &mut String, depth: usize) {
    if depth > 64 {
        return;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => out.push_str(&String::from_utf8_lossy(&lit.0)),
        HirKind::Class(class) => out.push(pick_class(rng, class, first)),
        HirKind::Repetition(rep) => {
            let lo = rep.min as usize;
            let hi = rep.max.map_or(lo + 3, |m| (m as usize).min(lo + 8));
            let n = if first {
                lo.max(usize::from(hi > 0 && lo == 0 && rep.max.is_none()))
            } else {
                rng.random_range(lo..=hi.max(lo))
            };
            for _ in 0..n {
                walk(rng, &rep.sub, first, out, depth + 1);
            }
        }
        HirKind::Capture(cap) => walk(rng, &cap.sub, first, out, depth + 1),
        HirKind::Concat(parts) => parts
            .iter()
            .for_each(|p| walk(rng, p, first, out, depth + 1)),
        HirKind::Alternation(alts) => {
            let i = if first {
                0
            } else {
                rng.random_range(0..alts.len())
            };
            walk(rng, &alts[i], first, out, depth + 1);
        }
    }
}

/// A printable character of the class (ASCII preferred, so values stay readable).
fn pick_class(rng: &mut ChaCha8Rng, class: &Class, first: bool) -> char {
    let pool = printable(class);
    let Some(&(a, b)) = (if first {
        pool.first()
    } else {
        pool.get(rng.random_range(0..pool.len().max(1)))
    }) else {
        return 'x';
    };
    let code = if first { a } else { rng.random_range(a..=b) };
    char::from_u32(code).unwrap_or('x')
}

/// The class's code point ranges, cut to printable ASCII when it has any, so values stay
/// readable.
pub(crate) fn printable(class: &Class) -> Vec<(u32, u32)> {
    let ranges: Vec<(u32, u32)> = match class {
        Class::Unicode(c) => c
            .ranges()
            .iter()
            .map(|r| (r.start() as u32, r.end() as u32))
            .collect(),
        Class::Bytes(c) => c
            .ranges()
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect(),
    };
    let printable: Vec<(u32, u32)> = ranges
        .iter()
        .filter_map(|&(a, b)| {
            let (a, b) = (a.max(0x21), b.min(0x7e));
            (a <= b).then_some((a, b))
        })
        .collect();
    if printable.is_empty() {
        ranges
    } else {
        printable
    }
}
