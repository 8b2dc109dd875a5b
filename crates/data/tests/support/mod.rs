//! What the value tests share: a validator that resolves references into a root document.

use serde_json::{Value, json};

/// Compiles `schema` as a subschema of `root`, so its `#/components/...` references resolve
/// wherever they are nested.
pub(crate) fn validator(root: &Value, schema: &Value) -> jsonschema::Validator {
    let mut doc = root.clone();
    doc["x-case"] = schema.clone();
    let registry = jsonschema::Registry::new()
        .add(
            "urn:root",
            jsonschema::Draft::Draft202012.create_resource(doc),
        )
        .and_then(|b| b.prepare())
        .expect("registry");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&json!({"$ref": "urn:root#/x-case"}))
        .expect("compiles")
}
