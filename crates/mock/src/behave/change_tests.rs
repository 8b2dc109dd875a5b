//! Every write is undone exactly: the value, and the place of each member among its
//! object's members (compared as text, since equal JSON objects may differ in order).

use serde_json::{Value, json};

use super::{Change, Log, put_at};

fn segs(p: &str) -> Vec<String> {
    p.split('/').skip(1).map(str::to_owned).collect()
}

/// Writes `v` at each pointer in turn, keeping what undoes each, checks the writes did
/// what `put_at` is for, then undoes them all.
fn round_trip(start: &Value, writes: &[(&str, Option<Value>)], written: &Value) {
    let paths: Vec<Vec<String>> = writes.iter().map(|(p, _)| segs(p)).collect();
    let mut state = start.clone();
    let mut log = Log::on();
    for ((_, v), path) in writes.iter().zip(&paths) {
        log.keep(None, put_at(&mut state, path, v.clone()));
    }
    assert_eq!(state.to_string(), written.to_string(), "{writes:?}");
    assert_eq!(log.before(&state).to_string(), start.to_string(), "a copy");
    log.undo_all(&mut state);
    assert_eq!(state.to_string(), start.to_string(), "{writes:?}");
    assert!(!log.is_on(), "undoing all turns the log off");
}

#[test]
fn every_write_is_undone_in_place_and_order() {
    let start = json!({"a": 1, "b": {"c": [1, 2]}, "d": "x", "e": null});
    round_trip(
        &start,
        &[("/a", Some(json!(5)))],
        &json!({"a": 5, "b": {"c": [1, 2]}, "d": "x", "e": null}),
    );
    round_trip(
        &start,
        &[("/a", None)],
        &json!({"b": {"c": [1, 2]}, "d": "x", "e": null}),
    );
    round_trip(
        &start,
        &[("/b", None), ("/d", None)],
        &json!({"a": 1, "e": null}),
    );
    round_trip(
        &start,
        &[("/n/m/o", Some(json!(true)))],
        &json!({"a": 1, "b": {"c": [1, 2]}, "d": "x", "e": null, "n": {"m": {"o": true}}}),
    );
    round_trip(
        &start,
        &[("/d/k", Some(json!(2)))],
        &json!({"a": 1, "b": {"c": [1, 2]}, "d": {"k": 2}, "e": null}),
    );
    round_trip(
        &start,
        &[("/e", Some(json!([])))],
        &json!({"a": 1, "b": {"c": [1, 2]}, "d": "x", "e": []}),
    );
    round_trip(
        &start,
        &[("/b/c/1", Some(json!(9))), ("/b/c/-", Some(json!(3)))],
        &json!({"a": 1, "b": {"c": [1, 9, 3]}, "d": "x", "e": null}),
    );
    round_trip(
        &start,
        &[("/b/c/7", Some(json!(9))), ("/b/c/01", Some(json!(9)))],
        &start,
    );
    round_trip(&start, &[("", Some(json!([1])))], &json!([1]));
    round_trip(
        &json!(3),
        &[("/a/b", Some(json!(1)))],
        &json!({"a": {"b": 1}}),
    );
    // Many writes to one place, undone newest first.
    round_trip(
        &start,
        &[("/a", Some(json!(2))), ("/a", None), ("/a", Some(json!(3)))],
        &json!({"b": {"c": [1, 2]}, "d": "x", "e": null, "a": 3}),
    );
}

#[test]
fn a_change_within_a_list_element_is_undone_there() {
    let start = json!({"items": [{"id": 1, "qty": 1, "name": "a"}, {"id": 2, "qty": 4}]});
    let (list, qty, name) = (segs("/items"), segs("/qty"), segs("/name"));
    let mut state = start.clone();
    let mut log = Log::on();
    let element = &mut state["items"][0];
    log.keep(Some((&list, 0)), put_at(element, &qty, Some(json!(3))));
    log.keep(Some((&list, 0)), put_at(element, &name, None));
    if let Some(Value::Array(items)) = state.get_mut("items") {
        items.push(json!({"id": 3}));
    }
    log.keep(None, Some(Change::Pushed(&list)));
    assert_eq!(
        state,
        json!({"items": [{"id": 1, "qty": 3}, {"id": 2, "qty": 4}, {"id": 3}]})
    );
    log.undo_all(&mut state);
    assert_eq!(state.to_string(), start.to_string());
}

#[test]
fn a_log_that_is_off_keeps_nothing() {
    let mut log = Log::default();
    let mut state = json!({"a": 1});
    let path = segs("/a");
    log.keep(None, put_at(&mut state, &path, Some(json!(2))));
    assert_eq!(log.before(&state), json!({"a": 2}), "nothing to undo");
    log.undo_all(&mut state);
    assert_eq!(state, json!({"a": 2}));
}
