//! Compiled schemas: validated once at load, looked up per request.

use std::sync::Arc;

use crate::Quick;

/// Keywords that judge nothing in JSON Schema 2020-12 (annotations, OpenAPI's own words,
/// definitions): jsonschema ignores them, and `x-` extensions too. A schema of these and a
/// few judging keywords can be judged by parts (the quick check, a changed member).
pub const ANNOTATIONS: [&str; 15] = [
    "title",
    "description",
    "example",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "nullable",
    "externalDocs",
    "xml",
    "$comment",
    "discriminator",
    "$defs",
    "definitions",
];

/// A schema compiled at load time, with where it lives in the document.
#[derive(Clone)]
pub struct Schema {
    /// JSON pointer to the schema in the normalised document.
    pub pointer: String,
    validator: Arc<jsonschema::Validator>,
    /// The quick check of JSON text, where the schema is one it judges.
    quick: Option<Arc<Quick>>,
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
            quick: None,
        }
    }

    /// The same schema with a quick check of JSON text (see [`Quick`]).
    pub fn with_quick(mut self, quick: Option<Quick>) -> Self {
        self.quick = quick.map(Arc::new);
        self
    }

    /// Whether `text` is certainly JSON, nested no deeper than `depth_limit`, whose value
    /// conforms, found without parsing it into a value. `false` means only "not known".
    pub fn accepts_text(&self, text: &[u8], depth_limit: usize) -> bool {
        self.quick
            .as_ref()
            .is_some_and(|q| q.accepts(text, depth_limit))
    }

    /// Whether the schema takes strings only and `text` is a valid one (see
    /// [`Quick::accepts_string`]). `false` means only "not known".
    pub fn accepts_string(&self, text: &str) -> bool {
        self.quick.as_ref().is_some_and(|q| q.accepts_string(text))
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
