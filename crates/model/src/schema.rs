//! Compiled schemas: validated once at load, looked up per request.

use std::sync::Arc;

/// A schema compiled at load time, with where it lives in the document.
#[derive(Clone)]
pub struct Schema {
    /// JSON pointer to the schema in the normalised document.
    pub pointer: String,
    validator: Arc<jsonschema::Validator>,
}

/// One way a value breaks a schema.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Violation {
    /// JSON pointer into the validated value.
    pub instance: String,
    /// JSON pointer to the violated keyword in the document.
    pub schema: String,
    /// What is wrong, in words.
    pub message: String,
}

impl Schema {
    /// Wraps a validator compiled for the schema at `pointer`.
    pub fn new(pointer: String, validator: jsonschema::Validator) -> Self {
        Schema {
            pointer,
            validator: Arc::new(validator),
        }
    }

    /// Whether the value conforms.
    pub fn is_valid(&self, value: &serde_json::Value) -> bool {
        self.validator.is_valid(value)
    }

    /// Every violation, with instance and schema locations.
    pub fn violations(&self, value: &serde_json::Value) -> Vec<Violation> {
        self.validator
            .iter_errors(value)
            .map(|e| Violation {
                instance: instance_of(&e),
                schema: e
                    .absolute_keyword_location()
                    .and_then(|u| u.fragment().map(|f| decode_fragment(f.as_str())))
                    .unwrap_or_else(|| format!("{}{}", self.pointer, e.schema_path())),
                message: e.to_string(),
            })
            .collect()
    }
}

/// Where the violation is in the value; a missing required property points where it belongs.
fn instance_of(e: &jsonschema::ValidationError<'_>) -> String {
    let at = e.instance_path().to_string();
    match e.kind() {
        jsonschema::error::ValidationErrorKind::Required { property } => {
            cartwright_source::pointer::join(&at, property.as_str().unwrap_or_default())
        }
        _ => at,
    }
}

/// URI fragments percent-encode what JSON pointers keep literal (`{`, `}`, spaces).
fn decode_fragment(fragment: &str) -> String {
    percent_encoding::percent_decode_str(fragment)
        .decode_utf8_lossy()
        .into_owned()
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema")
            .field("pointer", &self.pointer)
            .finish()
    }
}

impl PartialEq for Schema {
    fn eq(&self, other: &Self) -> bool {
        self.pointer == other.pointer
    }
}
