//! A large YAML document parsed in two halves at once, one per core.
//!
//! A spec is one block mapping at column 0 (`openapi:`, `info:`, `paths:`, `components:`),
//! so it can be cut before a top-level key and each part parsed as a document of its own.
//! The halves are taken only when they cannot differ from the whole: both are mappings with
//! no key in common, neither holds an anchor, alias or merge key (which could reach across
//! the cut), the summed counts stay within the parser's budget, and no line opens another
//! document. Anything else, and every error (whose position must be the whole document's),
//! goes to one parse of the whole text, as before.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::Value;
use serde_saphyr::budget::{Budget, BudgetReport};

/// Below this size one parse costs less than starting a thread.
const MIN_SPLIT_BYTES: usize = 128 * 1024;

/// The document's value: from two halves when that is certain to give the same value,
/// otherwise from the whole text.
pub(crate) fn parse(text: &str) -> Result<Value, serde_saphyr::Error> {
    if let Some(at) = cut(text)
        && let Some(value) = halves(text, at)
    {
        return Ok(value);
    }
    one(text).0
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

/// Where to cut: the start of the top-level key line nearest the middle, in a document large
/// enough to be worth it that never opens a second document (whether both halves are
/// mappings is seen once they are parsed).
pub(crate) fn cut(text: &str) -> Option<usize> {
    if text.len() < MIN_SPLIT_BYTES {
        return None;
    }
    let middle = text.len() / 2;
    let mut best: Option<usize> = None;
    let mut start: usize = 0;
    for line in text.split_inclusive('\n') {
        if start > 0 && ["---", "...", "%"].iter().any(|m| line.starts_with(m)) {
            return None;
        }
        if start > 0
            && top_level_key(line)
            && best.is_none_or(|b| start.abs_diff(middle) < b.abs_diff(middle))
        {
            best = Some(start);
        }
        start += line.len();
    }
    best
}

/// Whether the line is a plain key at column 0 followed by `:` and a space or the line's
/// end: the only kind of line a cut is made before.
fn top_level_key(line: &str) -> bool {
    let line = line.lines().next().unwrap_or("");
    let Some((key, rest)) = line.split_once(':') else {
        return false;
    };
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && (rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Both halves parsed at once and joined, or `None` when the join could differ from the
/// whole document's value (or a half fails: the whole parse then gives the error).
fn halves(text: &str, at: usize) -> Option<Value> {
    let (first, second) = text.split_at(at);
    let (a, b) = std::thread::scope(|s| {
        let other = std::thread::Builder::new()
            .name("cartwright-yaml".to_owned())
            .stack_size(8 * 1024 * 1024)
            .spawn_scoped(s, || one(second))
            .ok()?;
        let a = one(first);
        Some((a, other.join().ok()?))
    })?;
    let ((Ok(Value::Object(mut a)), Some(ra)), (Ok(Value::Object(b)), Some(rb))) = (a, b) else {
        return None;
    };
    if !within_budget(&ra, &rb) || b.keys().any(|k| a.contains_key(k)) {
        return None;
    }
    a.extend(b);
    Some(Value::Object(a))
}

/// Whether two halves' counts are ones the whole document's parse accepts in the same way:
/// no anchors, aliases or merge keys, one document each, and sums within the budget (the
/// sums count the second half's document and mapping once more than the whole does, so
/// they only err on the side of parsing the whole).
fn within_budget(a: &BudgetReport, b: &BudgetReport) -> bool {
    let limits = Budget::default();
    [a, b].iter().all(|r| {
        r.breached.is_none()
            && r.aliases == 0
            && r.anchors == 0
            && r.merge_keys == 0
            && r.documents == 1
    }) && a.events + b.events <= limits.max_events
        && a.nodes + b.nodes <= limits.max_nodes
        && a.total_scalar_bytes + b.total_scalar_bytes <= limits.max_total_scalar_bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document of top-level entries, each after a padded one, so the text is large enough
    /// to cut and the cut falls near the entries.
    fn padded(entries: &[&str]) -> String {
        let pad: String = (0..4000).map(|i| format!("  k{i}: value {i}\n")).collect();
        let mut text = String::new();
        for (i, e) in entries.iter().enumerate() {
            text.push_str(&format!("filler{i}:\n{pad}"));
            text.push_str(e);
        }
        text
    }

    /// Whatever the halves give is what the whole gives.
    fn same_as_whole(text: &str) -> Option<Value> {
        let at = cut(text)?;
        let split = halves(text, at);
        if let Some(v) = &split {
            assert_eq!(Some(v), one(text).0.ok().as_ref(), "split at {at}");
        }
        split
    }

    #[test]
    fn a_large_mapping_is_cut_at_a_top_level_key_and_joined_in_order() {
        let text = padded(&["a: 1\n", "b: [1, 2]\n", "c: {x: y}\n", "d: |\n  text\n"]);
        let v = same_as_whole(&text).expect("cut and joined");
        let keys: Vec<&String> = v.as_object().expect("mapping").keys().collect();
        assert_eq!(keys.len(), 8);
        assert_eq!(keys[1], "a");
        assert_eq!(keys[7], "d");
    }

    #[test]
    fn what_could_reach_across_the_cut_sends_the_whole_text_to_one_parse() {
        let cases = [
            "a: &x {k: v}\nb: *x\n",
            "a: |\nkey: text\n",
            "a: >\n  folded\nkey: text\n",
            "a: \"quoted\nkey: x\"\n",
            "a: [1,\nkey: 2]\n",
            "a: plain\nkey: more\n",
            "<<: {z: 1}\n",
            "a: 1\n...\nb: 2\n",
            "a: 1\n---\nb: 2\n",
        ];
        let mut joined = 0;
        for case in cases {
            let text = padded(&[case, ""]);
            joined += usize::from(same_as_whole(&text).is_some());
            let expected = one(&text).0.map_err(|e| e.to_string());
            assert_eq!(parse(&text).map_err(|e| e.to_string()), expected, "{case}");
        }
        assert!(joined >= 2, "some of the cases are cut where they end");
    }

    #[test]
    fn a_key_in_both_halves_is_left_to_the_whole_parse() {
        let text = padded(&["same: 1\n", "same: 2\n"]);
        assert!(cut(&text).is_some());
        assert!(same_as_whole(&text).is_none());
        assert!(parse(&text).is_err(), "duplicate keys are an error");
    }

    #[test]
    fn the_corpus_specs_are_cut_and_give_the_whole_documents_values() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
        let mut cut_specs = 0;
        for entry in std::fs::read_dir(dir).expect("the corpus folder") {
            let path = entry.expect("an entry").path();
            if path.extension().is_none_or(|e| e != "yaml" && e != "yml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("UTF-8 text");
            if same_as_whole(&text).is_some() {
                cut_specs += 1;
            }
        }
        assert_eq!(cut_specs, 3, "the Medusa and both Spree specs are cut");
    }

    #[test]
    fn small_or_other_documents_are_not_cut() {
        assert_eq!(cut("a: 1\nb: 2\n"), None);
        let list = format!("- x\n{}", padded(&["a: 1\n", "b: 2\n"]));
        assert!(cut(&list).is_some() && same_as_whole(&list).is_none());
        assert!(top_level_key("paths:\n"));
        assert!(top_level_key("x-tag: value"));
        assert!(!top_level_key("  nested: 1"));
        assert!(!top_level_key("- item: 1"));
        assert!(!top_level_key("url:http"));
    }
}
