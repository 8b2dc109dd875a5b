//! `docs/seed-coverage.md` stays true to the repository. It names, for every documented
//! behaviour, the spec element that carries it and the scenario step, verify check or test
//! that fails when it breaks; those names go stale as the files change. So: every
//! `path:LINE` must be a step of that scenario (`- name:`, `- request:`, ...) or a `fn` of
//! that Rust file; every check named with its file must be one of
//! `crates/verify/src/checks.rs`; every spec pointer must resolve and every GraphQL schema
//! element must be in the schema; and the summary must count the rows as they are.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use cartwright_diag::Sources;
use serde_json::Value;

const DOC: &str = "docs/seed-coverage.md";

/// The keys a scenario step may start with.
const STEP_KEYS: &[&str] = &["name", "request", "graphql", "mock", "include"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> Option<String> {
    std::fs::read_to_string(root().join(rel)).ok()
}

/// A backticked span of a line: its text and the text between it and the span before.
struct Span<'a> {
    text: &'a str,
    before: &'a str,
}

/// The backticked spans of `text`, in order.
fn spans(text: &str) -> Vec<Span<'_>> {
    let parts: Vec<&str> = text.split('`').collect();
    (1..parts.len())
        .step_by(2)
        .filter(|&i| i + 1 < parts.len())
        .map(|i| Span {
            text: parts[i],
            before: parts[i - 1],
        })
        .collect()
}

/// `path:LINE` when the span is one.
fn path_line(span: &str) -> Option<(&str, usize)> {
    let (path, line) = span.rsplit_once(':')?;
    let known = [".rs", ".yaml", ".graphql", ".md"];
    (known.iter().any(|e| path.ends_with(e)) && !path.contains(' '))
        .then_some(())
        .and_then(|()| line.parse().ok().map(|n| (path, n)))
}

/// Whether a (trimmed) line starts a scenario step.
fn is_step(line: &str) -> bool {
    line.strip_prefix("- ")
        .and_then(|rest| rest.split_once(':'))
        .is_some_and(|(key, _)| STEP_KEYS.contains(&key))
}

/// Why `path:line` does not name a step or a test, if it does not, with the lines that
/// would (so a reference that moved is quick to put right).
fn stale_line(path: &str, line: usize) -> Option<String> {
    let Some(text) = read(path) else {
        return Some("no such file".to_owned());
    };
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let starts = |good: &dyn Fn(&str) -> bool| {
        let found: Vec<String> = (lines.iter().enumerate())
            .filter(|(_, l)| good(l))
            .map(|(i, l)| format!("{}: {}", i + 1, l.chars().take(60).collect::<String>()))
            .collect();
        found.join("; ")
    };
    let is_fn = |l: &str| l.contains("fn ");
    let good: &dyn Fn(&str) -> bool = if path.starts_with("scenarios/") {
        &is_step
    } else if path.ends_with(".rs") {
        &is_fn
    } else {
        &|_| true
    };
    match line.checked_sub(1).and_then(|i| lines.get(i)) {
        Some(at) if good(at) => None,
        Some(at) => Some(format!(
            "line {line} is `{at}`; these are: {}",
            starts(good)
        )),
        None => Some(format!(
            "the file has {} lines; these are: {}",
            lines.len(),
            starts(good)
        )),
    }
}

/// The check names `crates/verify/src/checks.rs` gives (`"name"` strings).
fn check_names() -> HashSet<String> {
    let text = read("crates/verify/src/checks.rs").expect("checks.rs");
    text.lines()
        .filter_map(|l| l.split_once("=> \"").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_once('"').map(|(name, _)| name.to_owned()))
        .collect()
}

/// A parsed spec, by path, read once.
fn spec<'c>(cache: &'c mut BTreeMap<String, Option<Value>>, rel: &str) -> Option<&'c Value> {
    cache
        .entry(rel.to_owned())
        .or_insert_with(|| {
            cartwright_source::read(&root().join(rel), &mut Sources::new())
                .ok()
                .map(|d| d.value)
        })
        .as_ref()
}

/// The problems of one cell (or line of prose): references that do not hold.
fn check_cell(
    cell: &str,
    names: &HashSet<String>,
    specs: &mut BTreeMap<String, Option<Value>>,
    out: &mut Vec<String>,
) {
    let spans = spans(cell);
    // The spec file the pointers and schema elements after it belong to.
    let mut current: Option<&str> = None;
    // Whether a GraphQL schema element may follow (right after the file, or a list of them).
    let mut listing = false;
    for (i, s) in spans.iter().enumerate() {
        let t = s.text;
        if let Some((path, line)) = path_line(t) {
            if let Some(why) = stale_line(path, line) {
                out.push(format!("`{t}`: {why}"));
            }
            listing = false;
        } else if t.starts_with("specs/") {
            if read(t).is_none() {
                out.push(format!("`{t}`: no such file"));
            }
            current = Some(t);
            listing = t.ends_with(".graphql");
        } else if t.starts_with("crates/verify/src/") {
            if read(t).is_none() {
                out.push(format!("`{t}`: no such file"));
            }
            // `name` (`crates/verify/src/…`): a check and the file that holds it.
            let check = (s.before == " (").then(|| i.checked_sub(1)).flatten();
            if let Some(name) = check.map(|j| spans[j].text)
                && !names.contains(name)
            {
                out.push(format!("`{name}` is not a check of checks.rs"));
            }
            listing = false;
        } else if let Some(pointer) = t.strip_prefix('#') {
            match current.filter(|f| !f.ends_with(".graphql")) {
                Some(file) => match spec(specs, file) {
                    Some(doc) if doc.pointer(pointer).is_some() => {}
                    Some(_) => out.push(format!("`{file}` `{t}`: the pointer resolves nothing")),
                    None => out.push(format!("`{file}`: does not load")),
                },
                None => out.push(format!("`{t}`: a pointer after no YAML spec")),
            }
        } else if listing && (s.before == " " || s.before == ", ") {
            let file = current.unwrap_or_default();
            if !read(file).unwrap_or_default().contains(t) {
                out.push(format!("`{file}` has no `{t}`"));
            }
        } else {
            listing = false;
        }
    }
}

/// Per seed: rows, gaps, gaps planned.
type Counts = BTreeMap<String, [usize; 3]>;

/// The rows' counts, and the summary's.
fn counts(doc: &str, out: &mut Vec<String>) -> (Counts, Counts) {
    let mut rows = Counts::new();
    let mut summary = Counts::new();
    let mut ids = HashSet::new();
    for line in doc.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let first = cells.get(1).copied().unwrap_or_default();
        let id = first.split_whitespace().next().unwrap_or_default();
        let is_seed = id.len() == 3 && id.bytes().all(|b| b.is_ascii_digit());
        if (is_seed || id == "all") && cells.len() == 7 {
            let n: Vec<usize> = cells[2..6].iter().filter_map(|c| c.parse().ok()).collect();
            if let [total, covered, gaps, planned] = n[..] {
                if total != covered + gaps {
                    out.push(format!(
                        "summary `{first}`: {covered} + {gaps} is not {total}"
                    ));
                }
                summary.insert(id.to_owned(), [total, gaps, planned]);
            }
        } else if let Some((seed, _)) = id.split_once('.').filter(|(s, _)| s.len() == 3) {
            if !ids.insert(id.to_owned()) {
                out.push(format!("row {id} appears twice"));
            }
            if cells.len() != 6 {
                out.push(format!("row {id} has {} cells, not 4", cells.len() - 2));
                continue;
            }
            let fails = cells[4];
            let gap = fails.contains("**gap**");
            let planned = gap && fails.contains("planned:");
            // Covered means a step or a check fails on any server: the mock's own test
            // guards the mock only.
            if !gap && !fails.contains("`scenarios/") && !fails.contains("` (`crates/verify/src/") {
                out.push(format!(
                    "row {id} names no scenario step or verify check: mark it **gap**"
                ));
            }
            for key in [seed, "all"] {
                let c = rows.entry(key.to_owned()).or_default();
                c[0] += 1;
                c[1] += usize::from(gap);
                c[2] += usize::from(planned);
            }
        }
    }
    (rows, summary)
}

#[test]
fn every_reference_of_the_seed_coverage_holds_and_the_summary_counts_the_rows() {
    let doc = read(DOC).expect("docs/seed-coverage.md");
    let names = check_names();
    assert!(names.contains("path_encoding"), "checks.rs read: {names:?}");
    let mut specs = BTreeMap::new();
    let mut broken = Vec::new();
    let mut fenced = false;
    for (n, line) in doc.lines().enumerate() {
        fenced ^= line.starts_with("```");
        if fenced {
            continue;
        }
        let mut problems = Vec::new();
        for cell in line.split('|') {
            check_cell(cell, &names, &mut specs, &mut problems);
        }
        broken.extend(
            problems
                .into_iter()
                .map(|p| format!("{DOC}:{}: {p}", n + 1)),
        );
    }
    let (rows, summary) = counts(&doc, &mut broken);
    assert!(rows.len() > 1, "no rows read");
    for (seed, [total, gaps, planned]) in &rows {
        if summary.get(seed) != Some(&[*total, *gaps, *planned]) {
            broken.push(format!(
                "{DOC}: the summary of {seed} should read {total} behaviours, {} covered, \
                 {gaps} gaps, {planned} gaps planned",
                total - gaps
            ));
        }
    }
    for seed in summary.keys().filter(|s| !rows.contains_key(*s)) {
        broken.push(format!(
            "{DOC}: the summary counts {seed}, which has no rows"
        ));
    }
    assert!(
        broken.is_empty(),
        "{} problem(s) in the seed coverage:\n{}",
        broken.len(),
        broken.join("\n")
    );
}
