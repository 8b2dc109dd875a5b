//! A YAML document built into a value straight from the parser's events.
//!
//! `serde_saphyr` reads YAML through the same parser (`granit`) and then through a serde
//! layer that is built for any target type; for a plain JSON value that layer costs about
//! as much as the parse itself. This builder takes the events directly, but only for the
//! part of YAML whose value it can give exactly as `serde_saphyr` does: no anchors, aliases,
//! tags or merge keys, one document, keys that are strings or plain decimal integers and
//! never repeated, counts well within the parser's budget. For anything else, and for every
//! error, it gives up (`None`) and the caller parses with `serde_saphyr`, whose value and
//! errors (with their `file:line:col`) stay the reference.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle, StrInput};
use serde_json::{Map, Value};
use serde_saphyr::budget::Budget;

/// What was counted while building, the same way the parser's budget counts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    /// Every event, comments and stream markers included.
    pub(crate) events: usize,
    /// Scalars, sequences and mappings.
    pub(crate) nodes: usize,
    /// Bytes of scalar text.
    pub(crate) scalar_bytes: usize,
}

/// A collection being filled: a sequence, or a mapping and the key awaiting its value.
enum Open {
    Seq(Vec<Value>),
    Map(Map<String, Value>, Option<String>),
}

/// The document's value and counts, or `None` when it is outside the part of YAML read
/// here (or is not valid YAML): the caller then parses it with `serde_saphyr`.
///
/// Counts stay at most half of each budget limit, so two halves read here never sum past
/// a limit that the whole document's parse would enforce.
pub(crate) fn value(text: &str) -> Option<(Value, Counts)> {
    let budget = Budget::default();
    let mut counts = Counts::default();
    let (mut comment_bytes, mut documents) = (0usize, 0usize);
    let mut stack: Vec<Open> = Vec::new();
    let mut root = None;
    for event in Parser::with_options(StrInput::new(text), parser_options(&budget)) {
        let (event, _) = event.ok()?;
        counts.events += 1;
        let node = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => None,
            Event::DocumentStart(_, version) => {
                documents += 1;
                if documents > 1 || version.is_some() {
                    return None;
                }
                None
            }
            Event::Comment(comment, _) => {
                comment_bytes += comment.len();
                None
            }
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                counts.nodes += 1;
                counts.scalar_bytes += text.len();
                if let Some(Open::Map(_, key @ None)) = stack.last_mut() {
                    *key = Some(key_text(text, style)?);
                    None
                } else {
                    Some(scalar(text, style)?)
                }
            }
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                let is_map = matches!(event, Event::MappingStart(..));
                let awaits_key = matches!(stack.last(), Some(Open::Map(_, None)));
                if anchor != 0 || tag.is_some() || awaits_key || stack.len() >= MAX_DEPTH {
                    return None;
                }
                counts.nodes += 1;
                stack.push(if is_map {
                    Open::Map(Map::new(), None)
                } else {
                    Open::Seq(Vec::new())
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop()? {
                Open::Seq(items) => Some(Value::Array(items)),
                Open::Map(entries, None) => Some(Value::Object(entries)),
                Open::Map(_, Some(_)) => return None,
            },
            // Aliases, anchors' names and whatever a later parser adds.
            _ => return None,
        };
        if counts.events > budget.max_events / 2
            || counts.nodes > budget.max_nodes / 2
            || counts.scalar_bytes > budget.max_total_scalar_bytes / 2
            || comment_bytes > budget.max_total_comment_bytes / 2
        {
            return None;
        }
        if let Some(node) = node {
            match stack.last_mut() {
                None if root.is_none() => root = Some(node),
                None => return None,
                Some(Open::Seq(items)) => items.push(node),
                Some(Open::Map(entries, key)) => {
                    let key = key.take()?;
                    if entries.contains_key(&key) {
                        return None;
                    }
                    entries.insert(key, node);
                }
            }
        }
    }
    Some((root?, counts))
}

/// Nesting deeper than this is left to `serde_saphyr` (its budget allows 64 levels).
const MAX_DEPTH: usize = 48;

/// The parser's options as `serde_saphyr` sets them for its default budget, so the same
/// texts are refused by the parser (and left to `serde_saphyr` to report).
fn parser_options(budget: &Budget) -> granit_parser::Options {
    let mut options = granit_parser::Options::default();
    options.block_nesting_limit = options
        .block_nesting_limit
        .max(budget.max_depth.saturating_add(1));
    options.simple_key_max_lookahead = budget.simple_key_max_lookahead;
    options.flow_nesting_limit = budget.flow_nesting_limit;
    options.emit_comments = true;
    options.max_buffered_comment_events = budget.max_buffered_comment_events;
    options.strict_indentation = false;
    options
}

/// A key as `serde_saphyr` gives it to a JSON mapping: as written, except that a plain
/// null is refused and `<<` merges. It looks for repeated keys by their text, except that
/// plain integers compare by value (`1`, `+1` and `0x1` are the same key): a plain key that
/// could be an integer is taken only in its one decimal spelling, so equal texts here mean
/// equal keys there.
fn key_text(text: Cow<'_, str>, style: ScalarStyle) -> Option<String> {
    let taken = style != ScalarStyle::Plain
        || (!matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL" | "<<")
            && (decimal(&text).is_some() || !maybe_integer(&text)));
    taken.then(|| text.into_owned())
}

/// Whether a plain scalar could be read as an integer in some spelling (a sign, then
/// decimal, `0x`, `0o` or `0b` digits, with `_` between them).
fn maybe_integer(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let radix = |prefixes: [&str; 2]| prefixes.iter().find_map(|p| unsigned.strip_prefix(p));
    let (digits, allowed): (&str, fn(u8) -> bool) = if let Some(d) = radix(["0x", "0X"]) {
        (d, |b| b.is_ascii_hexdigit())
    } else if let Some(d) = radix(["0o", "0O"]) {
        (d, |b| (b'0'..=b'7').contains(&b))
    } else if let Some(d) = radix(["0b", "0B"]) {
        (d, |b| b == b'0' || b == b'1')
    } else {
        (unsigned, |b| b.is_ascii_digit())
    };
    !digits.is_empty() && digits.bytes().all(|b| b == b'_' || allowed(b))
}

/// A scalar's value, resolved as YAML 1.2's core schema with `strict_booleans`, as
/// `serde_saphyr` resolves it for an untyped value.
fn scalar(text: Cow<'_, str>, style: ScalarStyle) -> Option<Value> {
    if style != ScalarStyle::Plain || plain_string(&text) {
        return Some(Value::String(text.into_owned()));
    }
    match text.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    if let Some(n) = decimal(&text) {
        return Some(n.into());
    }
    alone(&text)
}

/// Whether a plain scalar can only be a string: it starts with none of the characters a
/// number or null begins with (a digit, `+`, `-`, `.`, `~`) and is not a null or boolean
/// word (words like `inf` and `nan` stay strings in YAML 1.2).
fn plain_string(text: &str) -> bool {
    let Some(first) = text.bytes().next() else {
        return false;
    };
    let numeric_start = first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.' | b'~');
    let word = matches!(
        text,
        "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    );
    !numeric_start && !word
}

/// A plain decimal integer without sign, leading zero or separator that fits `u64`.
fn decimal(text: &str) -> Option<u64> {
    let canonical = text == "0"
        || (!text.starts_with('0') && !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()));
    canonical.then(|| text.parse().ok()).flatten()
}

/// Any other plain scalar (`1.5`, `-3`, `3.0.0`, `1e3`), resolved by `serde_saphyr` as a
/// document of its own, which reads it as the same plain scalar; a text that would read as
/// something else on its own (a document marker, a list) is left to the whole parse.
fn alone(text: &str) -> Option<Value> {
    if text.starts_with("---") || text.starts_with("...") || text.contains(['\n', '#']) {
        return None;
    }
    let value: Value =
        serde_saphyr::from_str_with_options(text, crate::document::yaml_1_2()).ok()?;
    (!value.is_array() && !value.is_object()).then_some(value)
}

#[cfg(test)]
mod tests;
