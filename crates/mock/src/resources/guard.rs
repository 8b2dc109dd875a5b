//! The guard of a changed sub-resource element (a cart's new or changed line): request
//! fields that would break the answer are reverted. The element is judged alone, against
//! its array's item schema compiled at load, wherever the answer's schema reaches that
//! array only through `$ref`, `properties` and `items`: there nothing else applies to the
//! element, so it breaks exactly where it would break inside the whole answer. Elsewhere
//! (a combinator on the way, an array corrected to another one) it is judged inside a trial
//! answer holding the parent without its other elements, as before.

use cartwright_model::{Parent, Place, Schema};
use cartwright_source::pointer::{escape, join, tokens, unescape_fragment};
use serde_json::{Map, Value};

use super::Ctx;
use super::fill::{answer_schema, judge, restore};
use crate::Outgoing;

/// Keywords that make other schemas than `properties`/`items` apply below a node, or change
/// how its `$ref`s resolve: a walk meeting one judges the element in the whole answer.
const ELSEWHERE: [&str; 21] = [
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependencies",
    "patternProperties",
    "prefixItems",
    "additionalItems",
    "contains",
    "unevaluatedItems",
    "unevaluatedProperties",
    "$dynamicRef",
    "$recursiveRef",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$recursiveAnchor",
];

/// Whether an operation's changed elements can be judged alone, by the pointer of the
/// answer schema judging them: the walk that finds out reads only the document, so it runs
/// once per schema and collection, not on every add.
#[derive(Default)]
pub(crate) struct Walks(Vec<(String, bool)>);

/// Checks a changed element of the parent's array as the answer would hold it, reverting
/// the request fields that break it.
pub(super) fn guard_element(
    ctx: &Ctx<'_>,
    parent: &Value,
    element: &mut Value,
    changes: &[(String, Option<Value>)],
    body: &Value,
    out: &Outgoing,
    walks: &mut Walks,
) {
    if changes.is_empty() {
        return;
    }
    let (Place::Parent(p), Some(col)) = (&ctx.role.answer, &ctx.col.parent) else {
        return;
    };
    let array = col.array.as_str();
    // An answer without the parent's place would not hold the element: nothing to break.
    let (Some(fields), Some(_)) = (parent.as_object(), body.pointer(p)) else {
        return;
    };
    let Some(schema) = answer_schema(ctx.op, out) else {
        return;
    };
    let segments = tokens(p).unwrap_or_default();
    let trial = Trial {
        schema,
        body,
        segments: &segments,
        parent: fields,
        array,
    };
    let known = walks.0.iter().find(|(at, _)| *at == schema.pointer);
    let walked = match known {
        Some((_, alone)) => *alone,
        None => {
            let alone = alone(ctx.doc(), col, schema, &segments);
            walks.0.push((schema.pointer.clone(), alone));
            alone
        }
    };
    // The walk holds for the schema; the answer's body must have objects on the way too.
    let own = col
        .schema
        .as_ref()
        .filter(|_| walked && reaches(body, &segments));
    let Some(own) = own else {
        trial.revert(p, element, changes);
        return;
    };
    // Debug builds (the tests) judge the element both ways and insist on one outcome.
    let both = cfg!(debug_assertions).then(|| element.clone());
    if !by_members(col, element, changes) {
        let violations = judge(own, element);
        restore(&violations, "", element, changes);
    }
    if let Some(mut other) = both {
        trial.revert(p, &mut other, changes);
        debug_assert_eq!(*element, other, "judged alone and in the answer");
    }
}

/// Judges the changed members of `element` by their property schemas alone, restoring each
/// one its schema refuses: where the loader compiled them, the item schema has nothing else
/// that could report below a member, so this restores exactly what judging the whole
/// element would. False (nothing judged) when a changed member has no compiled schema.
fn by_members(parent: &Parent, element: &mut Value, changes: &[(String, Option<Value>)]) -> bool {
    let schema = |f: &str| parent.members.iter().find(|(m, _)| m == f).map(|(_, s)| s);
    if !changes.iter().all(|(f, _)| schema(f).is_some()) {
        return false;
    }
    let Some(obj) = element.as_object_mut() else {
        return false;
    };
    for (f, old) in changes {
        let broken = match (obj.get(f), schema(f)) {
            (Some(v), Some(s)) => !s.is_valid(v),
            _ => false,
        };
        if broken {
            match old {
                Some(old) => obj.insert(f.clone(), old.clone()),
                None => obj.remove(f),
            };
        }
    }
    true
}

/// The answer with the parent holding only the element: what the element is judged in
/// where judging it alone would not be the same.
struct Trial<'a> {
    schema: &'a Schema,
    body: &'a Value,
    segments: &'a [String],
    parent: &'a Map<String, Value>,
    array: &'a str,
}

impl Trial<'_> {
    /// Reverts the changed fields of `element` that break the trial answer holding it.
    fn revert(&self, p: &str, element: &mut Value, changes: &[(String, Option<Value>)]) {
        // The parent without its other elements: the cost of the element, not of the cart.
        let mut whole: Map<String, Value> = (self.parent.iter())
            .filter(|(k, _)| *k != self.array)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        whole.insert(self.array.to_owned(), Value::Array(vec![element.clone()]));
        let trial = with_at(self.body, self.segments, Value::Object(whole));
        let violations = judge(self.schema, &trial);
        let prefix = format!("{p}/{}/0", escape(self.array));
        restore(&violations, &prefix, element, changes);
    }
}

/// Whether the answer's `schema` judges an element of the parent (at `segments`) by the
/// array's item schema and nothing else.
fn alone(doc: &Value, parent: &Parent, schema: &Schema, segments: &[String]) -> bool {
    let walk = || {
        let own = parent.schema.as_ref()?;
        let mut at = schema.pointer.clone();
        for key in segments {
            at = step(doc, &at, "properties", key)?;
        }
        at = step(doc, &at, "properties", &parent.array)?;
        at = step(doc, &at, "items", "")?;
        Some(bare(doc, &at) == own.pointer)
    };
    walk().unwrap_or(false)
}

/// Whether `body` has an object at every step of `segments` but the last (`properties`
/// applies to objects only: an index on the way is another walk) and a value at the end.
fn reaches(body: &Value, segments: &[String]) -> bool {
    let mut here = body;
    for key in segments {
        match here.as_object().and_then(|m| m.get(key)) {
            Some(next) => here = next,
            None => return false,
        }
    }
    true
}

/// The pointer of `keyword` (then `key` in it, unless empty) below the schema at `at`,
/// through `$ref`s that have nothing beside them that applies below; `None` where another
/// schema could apply there too.
fn step(doc: &Value, at: &str, keyword: &str, key: &str) -> Option<String> {
    let mut at = at.to_owned();
    // A `$ref` chain longer than this is a cycle.
    for _ in 0..32 {
        let node = doc.pointer(&at)?.as_object()?;
        // A node has a few keys: looking each up in the list beats hashing the list's.
        if node.keys().any(|k| ELSEWHERE.contains(&k.as_str())) {
            return None;
        }
        let Some(target) = node.get("$ref") else {
            let below = node.get(keyword)?.as_object()?;
            let mut to = join(&at, keyword);
            if !key.is_empty() {
                below.get(key)?;
                to = join(&to, key);
            }
            return Some(to);
        };
        if ["properties", "items", "additionalProperties"]
            .iter()
            .any(|k| node.contains_key(*k))
        {
            return None;
        }
        at = unescape_fragment(target.as_str()?.strip_prefix('#')?);
    }
    None
}

/// Where the schema at `at` is compiled from: a bare `$ref`'s target, as the loader
/// resolves one.
fn bare(doc: &Value, at: &str) -> String {
    match doc.pointer(at).and_then(Value::as_object) {
        Some(m) if m.len() == 1 => m
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .map_or_else(|| at.to_owned(), unescape_fragment),
        _ => at.to_owned(),
    }
}

/// A copy of `body` with `v` at the place `segments` names (unescaped), copying only what
/// lies beside the path: the spec's own version of that place, often the largest part of
/// the body, is never copied just to be replaced. A missing place leaves `body` as it is.
fn with_at(body: &Value, segments: &[String], v: Value) -> Value {
    let Some((head, rest)) = segments.split_first() else {
        return v;
    };
    // Exactly one member or element is on the path: it takes `v`, the rest are copied.
    let mut v = Some(v);
    let mut on_path = |x: &Value| with_at(x, rest, v.take().unwrap_or(Value::Null));
    match body {
        Value::Object(m) if m.contains_key(head) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    let x = if k == head { on_path(x) } else { x.clone() };
                    (k.clone(), x)
                })
                .collect(),
        ),
        Value::Array(a) => match head.parse::<usize>() {
            Ok(i) if i < a.len() => Value::Array(
                (a.iter().enumerate())
                    .map(|(j, x)| if i == j { on_path(x) } else { x.clone() })
                    .collect(),
            ),
            _ => body.clone(),
        },
        _ => body.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_walk_goes_through_plain_refs_and_stops_where_another_schema_could_apply() {
        let doc = json!({"s": {
            "Answer": {"type": "object", "properties": {"cart": {"$ref": "#/s/Cart"}}},
            "Cart": {"type": "object", "required": ["id"], "properties": {
                "items": {"type": "array", "maxItems": 3, "items": {"$ref": "#/s/Line"}}}},
            "Line": {"type": "object"},
            "Mixed": {"allOf": [{"$ref": "#/s/Cart"}]},
            "Beside": {"$ref": "#/s/Cart", "properties": {"items": {}}},
            "Loop": {"$ref": "#/s/Loop"}}});
        let cart = step(&doc, "/s/Answer", "properties", "cart").expect("plain");
        assert_eq!(cart, "/s/Answer/properties/cart");
        let items = step(&doc, &cart, "properties", "items").expect("through the $ref");
        assert_eq!(items, "/s/Cart/properties/items");
        let line = step(&doc, &items, "items", "").expect("items");
        assert_eq!(bare(&doc, &line), "/s/Line");
        assert_eq!(step(&doc, "/s/Mixed", "properties", "items"), None);
        assert_eq!(step(&doc, "/s/Beside", "properties", "items"), None);
        assert_eq!(step(&doc, "/s/Loop", "properties", "items"), None);
        assert_eq!(step(&doc, "/s/Cart", "properties", "missing"), None);
        assert_eq!(bare(&doc, "/s/Beside"), "/s/Beside");
    }
}
