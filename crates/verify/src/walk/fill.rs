//! A request's values from what earlier answers gave: the documented values first (an
//! example names a product the store sells), then every path parameter, id-like query
//! parameter and id-like body field that an answer can fill, from the best-fitting value
//! ([`found::fit`]), latest first. What an OpenAPI link hands to the operation comes before
//! any guess by name. A value that fills a request is sent through a slot of the walk's
//! flow, so the replay captures it afresh.

use cartwright_model::{Operation, ParamLocation};
use serde_json::Value;

use crate::request::Values;
use crate::walk::found::{Found, fit, fold, idlike, singular};

/// What filling a request takes into account besides the values.
pub(crate) struct Need<'n> {
    /// Parameters that carry a session, not filled from answers.
    pub skip: &'n [String],
    /// The session kinds the request carries: values found under them are preferred.
    pub sessions: &'n [String],
    /// Parameters (by index) with a documented example: only a close fit replaces it.
    pub examples: &'n [usize],
}

/// A request's values, and the needs no answer has filled yet.
pub(crate) struct Filled {
    /// The values, with markers for what answers gave.
    pub values: Values,
    /// The folded names of path parameters and id-like fields nothing has filled, and
    /// whether each is in the body.
    pub missing: Vec<(String, bool)>,
    /// Indexes of the found values used.
    pub used: Vec<usize>,
}

/// Fills `values` (documented) for `op` from `found`; `marker` turns a found value (by
/// index) into what the request carries.
pub(crate) fn fill(
    op: &Operation,
    mut values: Values,
    found: &[Found],
    need: &Need<'_>,
    marker: &mut dyn FnMut(usize) -> Value,
) -> Filled {
    let skip = need.skip;
    let mut used = Vec::new();
    let mut missing = Vec::new();
    for (i, v) in values.params.iter_mut() {
        let Some(p) = op.parameters.get(*i) else {
            continue;
        };
        let name = fold(&p.name);
        let path = p.location == ParamLocation::Path;
        if skip.contains(&p.name)
            || !(path || (p.location == ParamLocation::Query && idlike(&name)))
        {
            continue;
        }
        let linked = found.iter().rposition(|f| {
            f.link
                .as_ref()
                .is_some_and(|(o, n)| *o == op.id && *n == p.name)
        });
        let close = need.examples.contains(i);
        let valid = |f: &Found| {
            p.schema
                .as_ref()
                .is_none_or(|s| s.is_valid(&f.value) || s.is_valid(&Value::String(text(&f.value))))
        };
        // By its own name first (`cart_id`), then by the segment before it (`line-items`).
        let stems = [stem(op, &p.name), segment(op, &p.name)];
        let hit = linked.or_else(|| {
            stems
                .iter()
                .find_map(|stem| best(found, need, &name, stem, valid))
        });
        // A documented example names a real thing: only a close fit replaces it.
        let hit = hit.filter(|k| {
            !close
                || found[*k].link.is_some()
                || stems.iter().any(|st| fit(&found[*k], &name, st) >= Some(2))
        });
        match hit {
            Some(k) => {
                *v = marker(k);
                used.push(k);
            }
            // A required id in the query scopes the answer (`?cart_id=`): it waits for the
            // value as a path parameter does.
            None if path || p.required => missing.push((name, false)),
            None => {}
        }
    }
    if let Some(body) = &mut values.body {
        body_ids(body, found, need, &mut missing, &mut used, marker, 0);
    }
    Filled {
        values,
        missing,
        used,
    }
}

/// Fills the id-like fields of a body, at most four levels down (arrays' items included).
fn body_ids(
    v: &mut Value,
    found: &[Found],
    need: &Need<'_>,
    missing: &mut Vec<(String, bool)>,
    used: &mut Vec<usize>,
    marker: &mut dyn FnMut(usize) -> Value,
    depth: usize,
) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                let name = fold(k);
                let scalar = matches!(x, Value::String(_) | Value::Number(_));
                if scalar && name.len() > 2 && name.ends_with("id") {
                    let stem = singular(&name[..name.len() - 2]);
                    let number = x.is_number();
                    let fits = |f: &Found| !number || f.value.is_number();
                    match best(found, need, &name, &stem, fits) {
                        Some(k) if number => {
                            *x = found[k].value.clone();
                            used.push(k);
                        }
                        Some(k) => {
                            *x = marker(k);
                            used.push(k);
                        }
                        None => missing.push((name, true)),
                    }
                } else if depth < 4 {
                    body_ids(x, found, need, missing, used, marker, depth + 1);
                }
            }
        }
        Value::Array(items) if depth < 4 => {
            for x in items {
                body_ids(x, found, need, missing, used, marker, depth + 1);
            }
        }
        _ => {}
    }
}

/// The best-fitting found value for a need, one read from a scoped list before others (it
/// suits what the list was asked for), one found in the same session before others, the
/// latest of equal fit; never a value an OpenAPI link reserved for another operation.
fn best(
    found: &[Found],
    need: &Need<'_>,
    name: &str,
    stem: &str,
    ok: impl Fn(&Found) -> bool,
) -> Option<usize> {
    let mut pick: Option<((bool, u8, bool), usize)> = None;
    for (k, f) in found.iter().enumerate() {
        if f.link.is_some() || !ok(f) {
            continue;
        }
        let shared = f.sessions.iter().any(|s| need.sessions.contains(s));
        if let Some(score) = fit(f, name, stem).map(|s| (f.scoped, s, shared))
            && pick.is_none_or(|(s, _)| score >= s)
        {
            pick = Some((score, k));
        }
    }
    pick.map(|(_, k)| k)
}

/// The folded, singular name of the item a parameter names: `cart_id` → `cart`; a bare
/// `{id}` is named by the path segment before it (`/carts/{id}` → `cart`).
fn stem(op: &Operation, param: &str) -> String {
    let name = fold(param);
    if name != "id"
        && let Some(s) = name.strip_suffix("id")
    {
        return singular(s);
    }
    if name != "id" {
        return singular(&name);
    }
    segment(op, param)
}

/// The folded, singular path segment before the parameter (`/carts/{id}` → `cart`).
fn segment(op: &Operation, param: &str) -> String {
    let placeholder = format!("{{{param}}}");
    let segments: Vec<&str> = op.path.split('/').collect();
    segments
        .iter()
        .position(|s| *s == placeholder)
        .and_then(|i| segments[..i].iter().rev().find(|s| !s.starts_with('{')))
        .map(|s| singular(&fold(s)))
        .unwrap_or_default()
}

/// A scalar as text.
pub(crate) fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
