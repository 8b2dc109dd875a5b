//! A large YAML document parsed in two halves at once, one per core.
//!
//! A spec is one block mapping at column 0 (`openapi:`, `info:`, `paths:`, `components:`),
//! so it can be cut before a top-level key and each part parsed as a document of its own.
//! The halves are taken only when they cannot differ from the whole: both are mappings with
//! no key in common, neither holds an anchor, alias or merge key (which could reach across
//! the cut), the summed counts stay within the parser's budget, and no line opens another
//! document. Anything else, and every error (whose position must be the whole document's),
//! goes to one parse of the whole text, as before. Each half, and a whole text that is not
//! cut, is read straight from the parser's events when it can be ([`crate::events`]), and
//! otherwise by `serde_saphyr`.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{Map, Value};
use serde_saphyr::budget::{Budget, BudgetReport};

use crate::events::{self, Counts};

/// Below this size one parse costs less than starting a thread.
const MIN_SPLIT_BYTES: usize = 128 * 1024;

/// How many lines the search for a cut reads (going back from each line tried) before it
/// gives up and the whole document is parsed at once.
const MAX_LINES_READ: usize = 200_000;

/// The document's value: from two halves when that is certain to give the same value,
/// otherwise from the whole text.
pub(crate) fn parse(text: &str) -> Result<Value, serde_saphyr::Error> {
    if let Some(cut) = cut(text)
        && let Some(value) = halves(text, &cut)
    {
        return Ok(value);
    }
    if let Some((value, _)) = events::value(text) {
        return Ok(value);
    }
    one(text).0
}

/// One half's value and counts: read from the parser's events when it can be, otherwise
/// parsed by `serde_saphyr`, whose budget report must then show nothing that could reach
/// across the cut (anchors, aliases, merge keys, another document) and no breach.
fn side(text: &str) -> Option<(Value, Counts)> {
    if let Some(read) = events::value(text) {
        return Some(read);
    }
    let (Ok(value), Some(r)) = one(text) else {
        return None;
    };
    let plain = r.breached.is_none()
        && r.aliases == 0
        && r.anchors == 0
        && r.merge_keys == 0
        && r.documents == 1;
    plain.then_some((
        value,
        Counts {
            events: r.events,
            nodes: r.nodes,
            scalar_bytes: r.total_scalar_bytes,
        },
    ))
}

/// One parse of `text` as YAML 1.2, with the parser's budget report.
fn one(text: &str) -> (Result<Value, serde_saphyr::Error>, Option<BudgetReport>) {
    let report = Rc::new(RefCell::new(None));
    let slot = report.clone();
    let options = crate::document::yaml_1_2()
        .with_budget_report(move |r: BudgetReport| *slot.borrow_mut() = Some(r));
    let value = serde_saphyr::from_str_with_options::<Value>(text, options);
    let report = report.borrow_mut().take();
    (value, report)
}

/// A place to cut: before the key line at byte `at`, whose enclosing mappings open at the
/// `prefix` lines (outermost first, copied from the text) that begin the second half.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Cut {
    at: usize,
    prefix: String,
    depth: usize,
}

/// Where to cut: before the first key line from the middle on whose enclosing mappings are
/// all plain `key:` lines, in a document large enough to be worth it that never opens a
/// second document (whether the halves join as the whole reads is checked once parsed).
pub(crate) fn cut(text: &str) -> Option<Cut> {
    if text.len() < MIN_SPLIT_BYTES {
        return None;
    }
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if start > 0 && ["---", "...", "%"].iter().any(|m| line.starts_with(m)) {
            return None;
        }
        lines.push((start, line));
        start += line.len();
    }
    let middle = lines.partition_point(|(at, _)| *at < text.len() / 2);
    // A spec has a key line to cut before within a few lines of anywhere; a document
    // without one (a long block scalar, a long list) is not worth a longer search.
    let mut budget = MAX_LINES_READ;
    (middle.max(1)..lines.len()).find_map(|i| cut_before(&lines, i, &mut budget))
}

/// The cut before line `i`, if it is a key and every line that encloses it opens a mapping
/// whose first entry is as indented as the next level down (so the second half, begun by
/// those lines, reads the key at the level the whole document does).
fn cut_before(lines: &[(usize, &str)], i: usize, budget: &mut usize) -> Option<Cut> {
    let (at, line) = lines[i];
    let (mut want, body) = indented(line)?;
    if !key(body, false) {
        return None;
    }
    let mut prefix = Vec::new();
    let mut next = None;
    for (j, (_, l)) in lines[..i].iter().enumerate().rev() {
        *budget = budget.checked_sub(1)?;
        let (indent, body) = indented(l)?;
        if body.is_empty() || body.starts_with('#') || (j == 0 && body == "---") {
            continue;
        }
        if indent >= want {
            next = Some(indent);
            continue;
        }
        if !key(body, true) || next != Some(want) {
            return None;
        }
        prefix.push(*l);
        want = indent;
        next = Some(indent);
        if indent == 0 {
            break;
        }
    }
    (want == 0 && next == Some(0)).then(|| Cut {
        at,
        depth: prefix.len(),
        prefix: prefix.iter().rev().copied().collect(),
    })
}

/// A line's indentation in spaces and the rest without its line end; `None` when a tab
/// comes before the content (YAML indents with spaces only; such a line is left alone).
fn indented(line: &str) -> Option<(usize, &str)> {
    let body = line.trim_end_matches(['\n', '\r']);
    let rest = body.trim_start_matches(' ');
    (!rest.starts_with('\t')).then_some((body.len() - rest.len(), rest))
}

/// Whether `body` is a key and `:`, then (`open`: only spaces, as a mapping that continues
/// on the next lines) a space or the line's end. Keys are plain (`paths`, `/carts/{id}`) or
/// quoted without escapes (`'200'`, `"$ref"`).
fn key(body: &str, open: bool) -> bool {
    let quoted = |q: char| {
        let inner = body.strip_prefix(q)?;
        let end = inner.find(q)?;
        (!inner[..end].contains(['\\', '\'', '"'])).then(|| &inner[end + 1..])
    };
    let rest = match quoted('\'').or_else(|| quoted('"')) {
        Some(rest) => rest.strip_prefix(':'),
        None => body
            .split_once(':')
            .and_then(|(key, rest)| plain(key).then_some(rest)),
    };
    rest.is_some_and(|rest| {
        if open {
            rest.trim_end_matches(' ').is_empty()
        } else {
            rest.is_empty() || rest.starts_with(' ')
        }
    })
}

/// Whether `key` is a plain scalar that reads as itself.
fn plain(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '/' | '$'))
        && chars.all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '{' | '}' | '$')
        })
}

/// Both halves parsed at once and joined, or `None` when the join could differ from the
/// whole document's value (or a half fails: the whole parse then gives the error).
fn halves(text: &str, cut: &Cut) -> Option<Value> {
    let first = &text[..cut.at];
    let second = format!("{}{}", cut.prefix, &text[cut.at..]);
    let (a, b) = std::thread::scope(|s| {
        let other = std::thread::Builder::new()
            .name("cartwright-yaml".to_owned())
            .stack_size(8 * 1024 * 1024)
            .spawn_scoped(s, || side(&second))
            .ok()?;
        let a = side(first);
        Some((a, other.join().ok()?))
    })?;
    let (Some((Value::Object(mut a), ca)), Some((Value::Object(b), cb))) = (a, b) else {
        return None;
    };
    if !within_budget(&ca, &cb) || !join(&mut a, b, cut.depth) {
        return None;
    }
    Some(Value::Object(a))
}

/// Appends `b` to `a`: at `depth` 0 its entries, which must be new keys; deeper, the first
/// entry of `b` continues the last of `a` (the mapping the cut was made in, named by the
/// same key in both) and the rest follow as new keys. `false` when they do not fit.
fn join(a: &mut Map<String, Value>, mut b: Map<String, Value>, depth: usize) -> bool {
    if depth > 0 {
        let (Some(first), Some(last)) = (b.keys().next().cloned(), a.keys().next_back().cloned())
        else {
            return false;
        };
        let (Some(Value::Object(inner)), Some(Value::Object(outer))) =
            (b.shift_remove(&first), a.get_mut(&last))
        else {
            return false;
        };
        if first != last || !join(outer, inner, depth - 1) {
            return false;
        }
    }
    if b.keys().any(|k| a.contains_key(k)) {
        return false;
    }
    a.extend(b);
    true
}

/// Whether two halves' summed counts are within the budget of the whole document's parse
/// (the sums count the second half's document and mapping once more than the whole does,
/// so they only err on the side of parsing the whole).
fn within_budget(a: &Counts, b: &Counts) -> bool {
    let limits = Budget::default();
    a.events + b.events <= limits.max_events
        && a.nodes + b.nodes <= limits.max_nodes
        && a.scalar_bytes + b.scalar_bytes <= limits.max_total_scalar_bytes
}

#[cfg(test)]
mod tests;
