//! Schema compilation: every schema is compiled once per direction, at load, against a
//! registry that holds the whole normalised document as that direction reads it (see
//! [`crate::direction`]), so `$ref`s (cyclic ones too) resolve by pointer.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use cartwright_diag::Diagnostic;
use cartwright_model::{Quick, Schema};
use jsonschema::{Draft, Registry};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::{Value, json};

use crate::direction::Direction;

/// The URI the document is registered under.
const DOC_URI: &str = "urn:cartwright:doc";

/// Characters a JSON pointer may hold that a URI fragment may not.
const FRAGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'#')
    .add(b'[')
    .add(b']');

/// Compiles schemas at pointers of one document, in either direction, caching by pointer.
/// Shared by the threads that build operations: the cache is behind a lock, held only to
/// look up and to store, never while compiling.
pub(crate) struct Compiler<'d> {
    doc: &'d Value,
    /// The request view's registry, then the response view's; one registry when both views
    /// are the document itself.
    registries: Vec<Registry<'d>>,
    /// The request view of the document, which the quick checks of request schemas read.
    request: &'d Value,
    cache: Mutex<HashMap<(usize, String), Schema>>,
}

impl<'d> Compiler<'d> {
    /// Registers the document as each direction reads it (`None`: the document itself).
    /// Fails only if the registry rejects it.
    pub(crate) fn new(
        doc: &'d Value,
        request: Option<&'d Value>,
        response: Option<&'d Value>,
    ) -> Result<Self, Diagnostic> {
        let mut registries = vec![registry(request.unwrap_or(doc))?];
        if request.is_some() || response.is_some() {
            registries.push(registry(response.unwrap_or(doc))?);
        }
        Ok(Compiler {
            doc,
            registries,
            request: request.unwrap_or(doc),
            cache: Mutex::default(),
        })
    }

    /// The compiled schema at `pointer`, for values travelling in `dir`. A bare `$ref`
    /// compiles (and caches) its target instead. Two threads asking for the same schema at
    /// once may both compile it; either copy is the same schema.
    pub(crate) fn compile(&self, pointer: &str, dir: Direction) -> Result<Schema, Diagnostic> {
        let target = match self.doc.pointer(pointer) {
            Some(Value::Object(m)) if m.len() == 1 => match m
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
            {
                Some(frag) => cartwright_source::pointer::unescape_fragment(frag),
                None => pointer.to_owned(),
            },
            Some(_) => pointer.to_owned(),
            None => {
                return Err(
                    Diagnostic::error("schema-missing", "schema not found").with_pointer(pointer)
                );
            }
        };
        let view = match dir {
            Direction::Request => 0,
            Direction::Response => self.registries.len() - 1,
        };
        let key = (view, target);
        if let Some(s) = self.cached().get(&key) {
            return Ok(s.clone());
        }
        let target = key.1.clone();
        let reference =
            json!({ "$ref": format!("{DOC_URI}#{}", utf8_percent_encode(&target, FRAGMENT)) });
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .with_registry(&self.registries[view])
            .should_validate_formats(true)
            .build(&reference)
            .map_err(|e| {
                Diagnostic::error(
                    "schema-invalid",
                    format!(
                        "the schema cannot be compiled: {}",
                        one_line(&e.to_string())
                    ),
                )
                .with_pointer(target.clone())
            })?;
        // Only requests are judged on the hot path; answers are checked by verify and tests.
        let quick = match dir {
            Direction::Request => Quick::build(self.request, &target),
            Direction::Response => None,
        };
        let schema = Schema::new(target.clone(), validator).with_quick(quick);
        self.cached().insert(key, schema.clone());
        Ok(schema)
    }

    fn cached(&self) -> std::sync::MutexGuard<'_, HashMap<(usize, String), Schema>> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A registry holding one view of the document.
fn registry(doc: &Value) -> Result<Registry<'_>, Diagnostic> {
    Registry::new()
        .draft(Draft::Draft202012)
        .add(DOC_URI, Draft::Draft202012.create_resource_ref(doc))
        .and_then(|b| b.prepare())
        .map_err(|e| {
            Diagnostic::error(
                "schema-registry",
                format!("the document's schemas cannot be indexed: {e}"),
            )
        })
}

fn one_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_cyclic_refs_and_reports_violations_with_locations() {
        let doc = json!({"components": {"schemas": {
            "Node": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string", "minLength": 2},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}},
            "paths": {"/a{b}": {"x": {"$ref": "#/components/schemas/Node"}}}});
        let c = Compiler::new(&doc, None, None).expect("registry");
        let s = c
            .compile("/paths/~1a{b}/x", Direction::Response)
            .expect("compiles");
        assert_eq!(s.pointer, "/components/schemas/Node");
        assert!(s.is_valid(&json!({"name": "ab", "children": [{"name": "cd"}]})));
        let v = s.violations(&json!({"name": "ab", "children": [{"name": "c"}]}));
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].instance, "/children/0/name");
        assert_eq!(
            v[0].schema,
            "/components/schemas/Node/properties/name/minLength"
        );
    }

    #[test]
    fn formats_are_checked() {
        let doc = json!({"s": {"type": "string", "format": "uuid"}});
        let c = Compiler::new(&doc, None, None).expect("registry");
        let s = c.compile("/s", Direction::Request).expect("compiles");
        assert!(!s.is_valid(&json!("nope")));
        assert!(s.is_valid(&json!("0b9c4e4e-6a8e-4f61-9a7a-3f5f3f1f2e11")));
    }

    #[test]
    fn each_direction_compiles_against_its_own_view() {
        let doc = json!({"components": {"schemas": {"S": {"type": "object",
            "required": ["id", "secret"], "properties": {
            "id": {"type": "string", "readOnly": true},
            "secret": {"type": "string", "writeOnly": true}}}}}});
        let request = crate::direction::view(&doc, Direction::Request);
        let response = crate::direction::view(&doc, Direction::Response);
        let c = Compiler::new(&doc, request.as_ref(), response.as_ref()).expect("registry");
        let asked = c
            .compile("/components/schemas/S", Direction::Request)
            .expect("compiles");
        let answered = c
            .compile("/components/schemas/S", Direction::Response)
            .expect("compiles");
        assert!(asked.is_valid(&json!({"secret": "x"})));
        assert!(!asked.is_valid(&json!({"id": "1"})));
        assert!(answered.is_valid(&json!({"id": "1"})));
        assert!(!answered.is_valid(&json!({"secret": "x"})));
    }
}
