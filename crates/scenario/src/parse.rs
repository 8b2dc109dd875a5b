//! Scenario files to [`Scenario`]s, with every error placed at `file:line:col`.
//!
//! The YAML is read into JSON first (positions are found later, only for errors). Before
//! serde sees it, a walk checks every mapping's keys against the language (the key lists
//! come from the AST's types, read from their serde derives), so a misspelt key is reported
//! at the key with the nearest known name; serde's own messages for untagged forms (a
//! capture, a matcher) would only say "did not match any variant". Serde then reads each step on its
//! own, so every error in the file is reported, not only the first.

use cartwright_diag::{Diagnostic, Sources, did_you_mean};
use serde_json::Value;

use crate::ast::{
    Asserts, CaptureFull, Expect, GraphQl, Include, MockAction, Ops, Request, Retry, Scenario,
    SnapshotFull, Step,
};
use crate::keys;

/// Parses one scenario file's text. Every error is reported, each placed: a misspelt key
/// hides nothing else, and each step is read on its own, so a wrong value in one step does
/// not hide another's.
pub fn parse(file: &str, text: &str, sources: &mut Sources) -> Result<Scenario, Vec<Diagnostic>> {
    let doc = cartwright_source::parse(file, text.to_owned(), sources).map_err(|d| vec![d])?;
    let mut errs = Vec::new();
    let Value::Object(root) = &doc.value else {
        return Err(vec![Diagnostic::error(
            "scenario-shape",
            "a scenario is a mapping with `name` and `steps`",
        )]);
    };
    keys(&doc.value, Place::Root, "", &mut errs);
    let scenario = typed(root, &mut errs);
    place(&mut errs, file, sources);
    match scenario {
        Some(s) if errs.is_empty() => Ok(s),
        _ => Err(errs),
    }
}

/// Reads the scenario with serde, a step at a time, leaving out what the key walk already
/// reported (an unknown key would only be reported again).
fn typed(root: &serde_json::Map<String, Value>, errs: &mut Vec<Diagnostic>) -> Option<Scenario> {
    let misspelt = |at: &str| {
        errs.iter().any(|d| {
            d.pointer
                .as_deref()
                .is_some_and(|p| p == at || p.starts_with(&format!("{at}/")))
        })
    };
    let known = keys::of::<Scenario>();
    let Some(Value::Array(items)) = root.get("steps") else {
        // No list of steps: serde says what is wrong with the whole.
        return read(&Value::Object(root.clone()), "", errs);
    };
    let skip: Vec<bool> = (0..items.len())
        .map(|i| misspelt(&format!("/steps/{i}")))
        .collect();
    let mut head: serde_json::Map<String, Value> = root
        .iter()
        .filter(|(k, _)| known.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    head.insert("steps".into(), Value::Array(Vec::new()));
    let head = read::<Scenario>(&Value::Object(head), "", errs);
    let mut steps = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if skip[i] {
            continue;
        }
        if let Some(step) = read::<Step>(item, &format!("/steps/{i}"), errs) {
            steps.push(step);
        }
    }
    head.map(|h| Scenario { steps, ..h })
}

/// Deserializes `v` (found at `at`), reporting serde's error at its pointer.
fn read<T: serde::de::DeserializeOwned>(
    v: &Value,
    at: &str,
    errs: &mut Vec<Diagnostic>,
) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(v) {
        Ok(t) => Some(t),
        Err(e) => {
            errs.push(
                Diagnostic::error("scenario-shape", e.inner().to_string())
                    .with_pointer(format!("{at}{}", pointer_of(e.path()))),
            );
            None
        }
    }
}

/// Adds `file:line:col` to diagnostics that have a pointer into `file`.
pub(crate) fn place(diags: &mut [Diagnostic], file: &str, sources: &Sources) {
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
            serde_path_to_error::Segment::Seq { index } => push(&mut out, &index.to_string()),
            serde_path_to_error::Segment::Map { key } => push(&mut out, key),
            _ => {}
        }
    }
    out
}

pub(crate) use cartwright_source::pointer::join;
use cartwright_source::pointer::push;

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
    Expect,
    GraphQl,
}

/// The keys a mapping at `place` may have, from the AST's types.
fn known(place: Place) -> &'static [&'static str] {
    match place {
        Place::Root => keys::of::<Scenario>(),
        Place::Step => keys::of::<Step>(),
        Place::Request => keys::of::<Request>(),
        Place::Capture => keys::of::<CaptureFull>(),
        Place::Asserts => keys::of::<Asserts>(),
        Place::Matcher => keys::of::<Ops>(),
        Place::Snapshot => keys::of::<SnapshotFull>(),
        Place::Retry => keys::of::<Retry>(),
        Place::Include => keys::of::<Include>(),
        Place::Mock => keys::of::<MockAction>(),
        Place::Expect => keys::of::<Expect>(),
        Place::GraphQl => keys::of::<GraphQl>(),
    }
}

/// Checks a mapping's keys and walks into the parts of the language below it.
fn keys(v: &Value, place: Place, at: &str, errs: &mut Vec<Diagnostic>) {
    let Value::Object(m) = v else { return };
    let names = known(place);
    if matches!(place, Place::Matcher) && !m.keys().any(|k| names.contains(&k.as_str())) {
        // A plain object compared for equality, unless a key is an operator misspelt.
        if let Some((k, op)) = m
            .keys()
            .find_map(|k| did_you_mean(k, names.iter().copied()).map(|op| (k, op)))
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
        (Place::Mock, "expect") => Place::Expect,
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
        assert_eq!(s.steps[0].request().map(|r| r.method.as_str()), Some("GET"));
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
    fn errors_in_different_steps_are_all_reported_each_placed() {
        let e = errors(
            "name: demo\nsteps:\n  - request: {path: /a}\n    asert: {status: 200}\n  - request: {path: /b}\n    retry: {count: many}\n",
        );
        let placed: Vec<(&str, String, usize, usize)> = e
            .iter()
            .map(|d| {
                let s = d.span.as_ref().expect("placed");
                let p = d.pointer.as_deref().unwrap_or_default();
                (p, s.file.clone(), s.start.line, s.start.column)
            })
            .collect();
        assert_eq!(
            placed,
            [
                ("/steps/0/asert", "t.yaml".to_owned(), 4, 5),
                ("/steps/1/retry/count", "t.yaml".to_owned(), 6, 13),
            ]
        );
    }

    #[test]
    fn a_step_with_two_actions_or_none_is_an_error() {
        let e = errors(
            "name: demo\nsteps:\n  - request: {path: /a}\n    include: {file: x.yaml}\n  - name: nothing\n",
        );
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(e[0].pointer.as_deref(), Some("/steps/0"));
        assert_eq!(e[1].pointer.as_deref(), Some("/steps/1"));
        assert!(e[0].message.contains("exactly one of"), "{}", e[0].message);
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
