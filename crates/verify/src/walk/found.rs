//! What earlier answers gave the walk: id-like values with the names of where they sat, so
//! a later request that needs a `cart_id` takes the id of a `{"cart": {...}}`, of a JSON:API
//! `{"type": "cart", "id": ...}`, of the first of `"carts": [...]`, or of the answer of
//! `POST /carts`; and the item paths `Location` headers point at.

use cartwright_http::Answer;
use cartwright_model::Operation;
use cartwright_scenario::ast::{Capture, CaptureFull};
use serde_json::Value;

/// A value an answer gave.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// The property it was read from, folded (`id`, `cartid`, `number`).
    pub key: String,
    /// The folded names of where it sat, nearest first: its object's JSON:API `type`, the
    /// property or array holding that object, and, at the top, the path's last segment.
    pub context: Vec<String>,
    /// The value.
    pub value: Value,
    /// How a replay reads it from the step that answered it (`None`: sent as it is).
    pub capture: Option<Capture>,
    /// The scenario step that answered it.
    pub step: usize,
    /// The OpenAPI link that hands it on: target operationId and parameter name.
    pub link: Option<(String, String)>,
    /// The session kinds the request that got it carried: a value of one customer's
    /// session suits that customer's requests better than a guest's.
    pub sessions: Vec<String>,
    /// The operationId of the step that gave it.
    pub by: String,
    /// Read from a list scoped by a value the walk holds (`GET /shipping-options?cart_id=`):
    /// what suits that cart, preferred for the fields it fits.
    pub scoped: bool,
}

/// Folds a name for comparison: letters and digits, lower case.
pub(crate) fn fold(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A folded name in the singular (`carts` → `cart`, `categories` → `category`).
pub(crate) fn singular(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("ies") {
        format!("{stem}y")
    } else if name.len() > 3 && name.ends_with('s') && !name.ends_with("ss") {
        name[..name.len() - 1].to_owned()
    } else {
        name.to_owned()
    }
}

/// Whether a folded key names an id the walk can hand on.
pub(crate) fn idlike(key: &str) -> bool {
    key.ends_with("id") || key == "number" || key.ends_with("token")
}

/// The values of a successful answer of `op`, read at scenario step `step`: id-like ones
/// and those named like a parameter of the API (`wanted`, folded: a `line`, an `item`).
pub(crate) fn learn(op: &Operation, answer: &Answer, step: usize, wanted: &[String]) -> Vec<Found> {
    let mut out = Vec::new();
    let top: Vec<String> = op
        .path
        .split('/')
        .rev()
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .take(1)
        .map(fold)
        .collect();
    if let Some(body) = &answer.json {
        walk(body, "", &top, step, 0, wanted, &mut out);
    }
    if let Some(location) = answer.header("location") {
        let tail = location
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .trim_end_matches('/');
        if let Some((rest, id)) = tail.rsplit_once('/')
            && !id.is_empty()
        {
            let holder = rest.rsplit('/').next().map(fold).unwrap_or_default();
            out.push(Found {
                key: "id".into(),
                context: vec![holder],
                value: Value::String(id.to_owned()),
                capture: Some(Capture::Full(CaptureFull {
                    header: Some("Location".into()),
                    regex: Some("([^/?#]+)/?(?:[?#].*)?$".into()),
                    ..CaptureFull::default()
                })),
                step,
                link: None,
                sessions: Vec::new(),
                by: op.id.clone(),
                scoped: false,
            });
        }
    }
    out
}

/// The values a successful request itself sent under names the API's parameters have (the
/// voucher code just added), sent as they were: the replay sends the same.
pub(crate) fn sent(op: &Operation, body: &Value, step: usize, wanted: &[String]) -> Vec<Found> {
    let top: Vec<String> = op
        .path
        .split('/')
        .rev()
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .take(1)
        .map(fold)
        .collect();
    let mut out = Vec::new();
    walk(body, "", &top, step, 0, wanted, &mut out);
    out.retain(|f| wanted.contains(&f.key));
    for f in &mut out {
        f.capture = None;
    }
    out
}

fn walk(
    v: &Value,
    at: &str,
    context: &[String],
    step: usize,
    depth: usize,
    wanted: &[String],
    out: &mut Vec<Found>,
) {
    match v {
        Value::Object(m) => {
            let mut here = context.to_vec();
            if let Some(Value::String(t)) = m.get("type") {
                here.insert(0, fold(t));
            }
            for (k, x) in m {
                let pointer = cartwright_source::pointer::join(at, k);
                let key = fold(k);
                match x {
                    Value::String(s) if named(&key, wanted) && !s.is_empty() => {
                        out.push(found(&key, &here, x, &pointer, step))
                    }
                    Value::Number(_) if named(&key, wanted) => {
                        out.push(found(&key, &here, x, &pointer, step))
                    }
                    Value::Object(_) | Value::Array(_) if depth < 6 => {
                        let mut inner = vec![key];
                        inner.extend(here.iter().cloned());
                        walk(x, &pointer, &inner, step, depth + 1, wanted, out);
                    }
                    _ => {}
                }
            }
        }
        // The first item stands for the list: `GET /regions` gives one `region_id`.
        Value::Array(items) => {
            if let Some(first) = items.first() {
                let pointer = cartwright_source::pointer::join(at, "0");
                walk(first, &pointer, context, step, depth + 1, wanted, out);
            }
        }
        _ => {}
    }
}

fn named(key: &str, wanted: &[String]) -> bool {
    idlike(key) || wanted.iter().any(|w| w == key)
}

fn found(key: &str, context: &[String], value: &Value, pointer: &str, step: usize) -> Found {
    Found {
        key: key.to_owned(),
        context: context.to_vec(),
        value: value.clone(),
        capture: Some(Capture::Path(jsonpath(pointer))),
        step,
        link: None,
        sessions: Vec::new(),
        by: String::new(),
        scoped: false,
    }
}

/// A JSON pointer as the JSONPath the scenario language reads.
pub(crate) fn jsonpath(pointer: &str) -> String {
    let mut out = String::from("$");
    for part in pointer.split('/').skip(1) {
        let part = cartwright_source::pointer::unescape(part);
        if part.chars().all(|c| c.is_ascii_digit()) && !part.is_empty() {
            out.push_str(&format!("[{part}]"));
        } else if part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !part.is_empty() {
            out.push('.');
            out.push_str(&part);
        } else {
            out.push_str(&format!("['{}']", part.replace('\'', "\\'")));
        }
    }
    out
}

/// How well a found value fits a need named `name` whose item is called `stem` (folded,
/// singular): 3 for the same key, 2 for an `id` of an object named like the stem, 1 for an
/// `id` of an object named like the stem's end (`items` for a `line_item_id`, never
/// `payment_collections` for a `collection`, unless read from a scoped list); `None` when
/// it does not fit.
pub(crate) fn fit(f: &Found, name: &str, stem: &str) -> Option<u8> {
    if f.key == name && name != "id" {
        return Some(3);
    }
    if name.ends_with("token") && f.key.ends_with("token") && name.len() > 5 {
        return Some(1);
    }
    if f.key != "id" || stem.len() < 3 {
        return None;
    }
    let near = singular(f.context.first()?);
    // An item of a scoped list fits a need its name ends in (a `shipping_option` for an
    // `option_id`): the list was asked for what suits that need's owner.
    let scoped = f.scoped && near.ends_with(stem);
    if near == stem {
        Some(2)
    } else if (near.len() >= 3 && stem.ends_with(&near)) || scoped {
        Some(1)
    } else {
        None
    }
}
