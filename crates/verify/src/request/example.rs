//! A parameter's own documented value, which comes before anything generated from its
//! schema.

use cartwright_model::{Api, Parameter};
use serde_json::Value;

/// A parameter's `example`, else the first of its `examples` (by value), if its schema
/// accepts it.
pub(super) fn parameter(api: &Api, p: &Parameter) -> Option<Value> {
    let declared = api.document.pointer(&p.pointer)?;
    let named = declared
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.values())
        .filter_map(|x| x.get("value").cloned());
    declared
        .get("example")
        .cloned()
        .into_iter()
        .chain(named)
        .find(|e| p.schema.as_ref().is_none_or(|s| s.is_valid(e)))
}
