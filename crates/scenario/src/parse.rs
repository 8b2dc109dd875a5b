//! Scenario files to [`Scenario`]s, with every error placed at `file:line:col`.
//!
//! The YAML is read into JSON first (positions are found later, only for errors). Before
//! serde sees it, a walk checks every mapping's keys against the language, so a misspelt key
//! is reported at the key with the nearest known name; serde's own messages for untagged
//! forms (a capture, a matcher) would only say "did not match any variant".

use cartwright_diag::{Diagnostic, Sources, did_you_mean};
use serde_json::Value;

use crate::ast::Scenario;

/// Parses one scenario file's text.
pub fn parse(file: &str, text: &str, sources: &mut Sources) -> Result<Scenario, Vec<Diagnostic>> {
    let doc = cartwright_source::parse(file, text.to_owned(), sources).map_err(|d| vec![d])?;
    let mut errs = Vec::new();
    if !doc.value.is_object() {
        errs.push(Diagnostic::error(
            "scenario-shape",
            "a scenario is a mapping with `name` and `steps`",
        ));
    } else {
        keys(&doc.value, Place::Root, "", &mut errs);
    }
    if errs.is_empty() {
        match serde_path_to_error::deserialize::<_, Scenario>(&doc.value) {
            Ok(s) => return Ok(s),
            Err(e) => errs.push(
                Diagnostic::error("scenario-shape", e.inner().to_string())
                    .with_pointer(pointer_of(e.path())),
            ),
        }
    }
    place(&mut errs, file, sources);
    Err(errs)
}

/// Adds `file:line:col` to diagnostics that have a pointer into `file`.
pub fn place(diags: &mut [Diagnostic], file: &str, sources: &Sources) {
    for d in diags.iter_mut().filter(|d| d.span.is_none()) {
        if let Some(p) = &d.pointer {
            d.span = cartwright_source::span_of(file, p, sources);
        }
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            serde_path_to_error::Segment::Seq { index } => out = join(&out, &index.to_string()),
            serde_path_to_error::Segment::Map { key } => out = join(&out, key),
            _ => {}
        }
    }
    out
}

pub use cartwright_source::pointer::join;

/// Where in the language a mapping is.
#[derive(Clone, Copy)]
enum Place {
    Root,
    Step,
    Request,
    Capture,
    Asserts,
    Matcher,
    Snapshot,
    Retry,
    Include,
    Mock,
    GraphQl,
}

const ROOT: &[&str] = &["name", "description", "tags", "vars", "steps"];
const STEP: &[&str] = &[
    "name", "request", "graphql", "include", "mock", "capture", "assert", "snapshot", "retry",
    "skip_if", "each",
];
const GRAPHQL: &[&str] = &["query", "variables", "operation", "path", "headers"];
const REQUEST: &[&str] = &["method", "path", "query", "headers", "json", "form", "body"];
const CAPTURE: &[&str] = &["jsonpath", "header", "cookie", "status", "regex", "secret"];
const ASSERTS: &[&str] = &["status", "headers", "body", "duration", "schema"];
/// Matcher operators; a mapping with none of them is a value to compare for equality.
pub const OPS: &[&str] = &[
    "==", "!=", "<", ">", "<=", ">=", "contains", "matches", "exists", "type", "length", "one_of",
];
const SNAPSHOT: &[&str] = &["name", "headers", "redact"];
const RETRY: &[&str] = &["count", "interval"];
const INCLUDE: &[&str] = &["file", "with"];
const MOCK: &[&str] = &["reset", "advance", "outbox"];

fn known(place: Place) -> &'static [&'static str] {
    match place {
        Place::Root => ROOT,
        Place::Step => STEP,
        Place::Request => REQUEST,
        Place::Capture => CAPTURE,
        Place::Asserts => ASSERTS,
        Place::Matcher => OPS,
        Place::Snapshot => SNAPSHOT,
        Place::Retry => RETRY,
        Place::Include => INCLUDE,
        Place::Mock => MOCK,
        Place::GraphQl => GRAPHQL,
    }
}

/// Checks a mapping's keys and walks into the parts of the language below it.
fn keys(v: &Value, place: Place, at: &str, errs: &mut Vec<Diagnostic>) {
    let Value::Object(m) = v else { return };
    let names = known(place);
    if matches!(place, Place::Matcher) && !m.keys().any(|k| OPS.contains(&k.as_str())) {
        // A plain object compared for equality, unless a key is an operator misspelt.
        if let Some((k, op)) = m
            .keys()
            .find_map(|k| did_you_mean(k, OPS.iter().copied()).map(|op| (k, op)))
        {
            errs.push(unknown(k, Some(op), "matcher operator", &join(at, k)));
        }
        return;
    }
    for (k, child) in m {
        let here = join(at, k);
        if !names.contains(&k.as_str()) {
            let what = match place {
                Place::Matcher => "matcher operator",
                _ => "key",
            };
            errs.push(unknown(
                k,
                did_you_mean(k, names.iter().copied()),
                what,
                &here,
            ));
            continue;
        }
        if let Some(next) = below(place, k) {
            keys(child, next, &here, errs);
        }
        walk_children(place, k, child, &here, errs);
    }
}

/// The part of the language that the value under `key` of a mapping at `place` is.
fn below(place: Place, key: &str) -> Option<Place> {
    Some(match (place, key) {
        (Place::Step, "request") => Place::Request,
        (Place::Step, "graphql") => Place::GraphQl,
        (Place::Step, "assert") => Place::Asserts,
        (Place::Step, "snapshot") => Place::Snapshot,
        (Place::Step, "retry") => Place::Retry,
        (Place::Step, "include") => Place::Include,
        (Place::Step, "mock") => Place::Mock,
        (Place::Asserts, "status") | (Place::Matcher, "length") => Place::Matcher,
        _ => return None,
    })
}

/// Walks collections of language mappings: steps, captures and matchers by name.
fn walk_children(place: Place, key: &str, child: &Value, here: &str, errs: &mut Vec<Diagnostic>) {
    let each = |next: Place, errs: &mut Vec<Diagnostic>| match child {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                keys(item, next, &join(here, &i.to_string()), errs);
            }
        }
        Value::Object(m) => {
            for (k, item) in m {
                keys(item, next, &join(here, k), errs);
            }
        }
        _ => {}
    };
    match (place, key) {
        (Place::Root, "steps") => each(Place::Step, errs),
        (Place::Step, "capture") => each(Place::Capture, errs),
        (Place::Asserts, "headers") | (Place::Asserts, "body") => each(Place::Matcher, errs),
        _ => {}
    }
}

fn unknown(key: &str, near: Option<&str>, what: &str, at: &str) -> Diagnostic {
    let d = Diagnostic::error("unknown-key", format!("unknown {what} `{key}`")).with_pointer(at);
    match near {
        Some(n) => d.with_help(format!("did you mean `{n}`?")),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<Diagnostic> {
        parse("t.yaml", text, &mut Sources::new()).expect_err("invalid")
    }

    #[test]
    fn a_scenario_parses() {
        let s = parse(
            "t.yaml",
            "name: demo\nsteps:\n  - request: {path: /a}\n    assert: {status: 200, body: {$.a: {exists: true}, $.b: 3}}\n",
            &mut Sources::new(),
        )
        .expect("valid");
        assert_eq!(s.steps.len(), 1);
        assert_eq!(
            s.steps[0].request.as_ref().map(|r| r.method.as_str()),
            Some("GET")
        );
    }

    #[test]
    fn misspelt_keys_are_placed_with_a_suggestion() {
        let e = errors("name: demo\nsteps:\n  - request: {path: /a}\n    asert: {status: 200}\n");
        assert_eq!(e[0].pointer.as_deref(), Some("/steps/0/asert"));
        assert_eq!(e[0].help.as_deref(), Some("did you mean `assert`?"));
        let span = e[0].span.as_ref().expect("placed");
        assert_eq!((span.start.line, span.start.column), (4, 5));
    }

    #[test]
    fn misspelt_operators_are_caught_even_though_objects_compare_by_equality() {
        let e = errors(
            "name: demo\nsteps:\n  - request: {path: /a}\n    assert: {body: {$.a: {exsts: true}}}\n",
        );
        assert_eq!(
            e[0].pointer.as_deref(),
            Some("/steps/0/assert/body/$.a/exsts")
        );
        assert_eq!(e[0].help.as_deref(), Some("did you mean `exists`?"));
        let e = errors(
            "name: demo\nsteps:\n  - request: {path: /a}\n    capture: {t: {jsonpth: $.t}}\n",
        );
        assert_eq!(e[0].help.as_deref(), Some("did you mean `jsonpath`?"));
    }

    #[test]
    fn wrong_types_and_yaml_errors_are_placed() {
        let e = errors("name: demo\nsteps:\n  - request: {path: /a}\n    retry: {count: many}\n");
        assert_eq!(e[0].pointer.as_deref(), Some("/steps/0/retry/count"));
        assert!(e[0].span.is_some());
        let e = errors("name: demo\nsteps: [\n");
        assert!(e[0].span.is_some(), "{:?}", e[0]);
    }

    #[test]
    fn a_list_is_a_value_to_equal_not_operators() {
        let s = parse(
            "t.yaml",
            "name: t\nsteps:\n  - request: {path: /x}\n    assert: {body: {$.a: [x, y]}}\n",
            &mut Sources::new(),
        )
        .expect("valid");
        let body = &s.steps[0].assert.as_ref().expect("assert").body;
        assert_eq!(
            body.get("$.a"),
            Some(&crate::ast::Matcher::Equals(serde_json::json!(["x", "y"])))
        );
    }
}
