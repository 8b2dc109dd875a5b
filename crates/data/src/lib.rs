//! Values from schemas, deterministic by seed: response bodies for the mock, and valid
//! requests for tests and verification.
//!
//! Schemas arrive normalised to JSON Schema 2020-12 with local `$ref`s into a root document,
//! but OpenAPI 3.0 leftovers (`nullable`, boolean `exclusiveMinimum`) are tolerated. The one
//! promise is that a value validates against its schema; within that, [`Mode::Static`] prefers
//! what the spec documents (`example`, `default`, the first `enum` value) and [`Mode::Dynamic`]
//! draws from a seeded ChaCha generator. Recursion (cyclic `$ref`s) is cut at a depth limit by
//! choosing the smallest valid value: no optional properties, the fewest items.

mod combine;
mod fits;
mod numbers;
mod objects;
mod pattern;
#[cfg(feature = "strategy")]
pub mod strategy;
mod strings;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

/// Which way a value travels: requests omit readOnly properties, responses omit writeOnly ones,
/// even when `required` names them (such a property is required only in the direction it
/// travels). A required readOnly property is always in a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A request body or parameter.
    Request,
    /// A response body or header.
    Response,
}

/// How to choose values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Prefer the schema's own `example`, `default`, `const` or first `enum` value (Prism's static mode).
    Static,
    /// Draw values from the seeded generator (Prism's dynamic mode).
    Dynamic,
    /// The smallest valid value: required properties only, the fewest items, otherwise as
    /// static. A fallback when a schema's optional parts cannot be satisfied.
    Minimal,
}

/// Past this depth, only required properties and the fewest items are generated.
const SHALLOW: usize = 4;
/// Past this depth, generation stops following references.
const DEEPEST: usize = 24;

/// A seeded generator over one root document.
pub struct Generator<'a> {
    root: &'a Value,
    rng: ChaCha8Rng,
    mode: Mode,
}

impl<'a> Generator<'a> {
    /// A generator resolving `$ref`s in `root`.
    pub fn new(root: &'a Value, seed: u64, mode: Mode) -> Self {
        Generator {
            root,
            rng: ChaCha8Rng::seed_from_u64(seed),
            mode,
        }
    }

    /// A value that validates against `schema`, for the given direction.
    pub fn value(&mut self, schema: &Value, direction: Direction) -> Value {
        self.produce(schema, direction, 0, None)
    }

    /// Follows a `$ref` chain to the schema it names; `None` for dangling or endless chains.
    fn resolve<'s>(&self, schema: &'s Value) -> Option<&'s Value>
    where
        'a: 's,
    {
        resolve(self.root, schema)
    }

    /// The core: `hint` is the property name the value is for, used for plausible strings.
    fn produce(
        &mut self,
        schema: &Value,
        dir: Direction,
        depth: usize,
        hint: Option<&str>,
    ) -> Value {
        if let Some(both) = ref_with_siblings(schema) {
            return self.produce(&both, dir, depth, hint);
        }
        let Some(schema) = self.resolve(schema) else {
            return Value::Null;
        };
        let schema = match schema {
            Value::Bool(true) => return json!("value"),
            Value::Bool(false) | Value::Null => return Value::Null,
            Value::Object(_) => schema,
            _ => return json!("value"),
        };
        if depth > DEEPEST {
            return minimal(schema);
        }
        if let Some(merged) = combine::merged(self.root, schema) {
            return self.produce(&Value::Object(merged), dir, depth, hint);
        }
        if let Some(branch) = combine::branch(self, schema) {
            return self.produce(&branch, dir, depth, hint);
        }
        if let Some(v) = schema.get("const") {
            return v.clone();
        }
        if self.mode != Mode::Dynamic
            && let Some(v) = self.documented(schema)
        {
            return v;
        }
        if let Some(Value::Array(options)) = schema.get("enum") {
            return self.pick_enum(options);
        }
        match self.kind(schema) {
            "null" => Value::Null,
            "boolean" => Value::Bool(
                self.mode != Mode::Dynamic || rand::Rng::random_bool(&mut self.rng, 0.5),
            ),
            "integer" => numbers::integer(self, schema),
            "number" => numbers::number(self, schema),
            "array" => objects::array(self, schema, dir, depth),
            "object" => objects::object(self, schema, dir, depth),
            _ => strings::string(self, schema, hint),
        }
    }

    /// The schema's own example, default or first listed example, if it fits the schema.
    fn documented(&self, schema: &Value) -> Option<Value> {
        let candidates = [
            schema.get("example"),
            schema.get("default"),
            schema.get("examples").and_then(|e| e.get(0)),
        ];
        candidates
            .into_iter()
            .flatten()
            .find(|v| fits::fits(self.root, v, schema))
            .cloned()
    }

    fn pick_enum(&mut self, options: &[Value]) -> Value {
        let non_null: Vec<&Value> = options.iter().filter(|v| !v.is_null()).collect();
        match (self.mode, non_null.is_empty()) {
            (_, true) => options.first().cloned().unwrap_or(Value::Null),
            (Mode::Static | Mode::Minimal, false) => non_null[0].clone(),
            (Mode::Dynamic, false) => {
                non_null[rand::Rng::random_range(&mut self.rng, 0..non_null.len())].clone()
            }
        }
    }

    /// The JSON type to produce: declared (first non-null in static mode), else inferred.
    fn kind<'s>(&mut self, schema: &'s Value) -> &'s str {
        match schema.get("type") {
            Some(Value::String(t)) => t,
            Some(Value::Array(ts)) => {
                let names: Vec<&str> = ts.iter().filter_map(Value::as_str).collect();
                let non_null: Vec<&str> = names.iter().copied().filter(|t| *t != "null").collect();
                match (self.mode, non_null.as_slice()) {
                    (_, []) => "null",
                    (Mode::Static | Mode::Minimal, [first, ..]) => first,
                    (Mode::Dynamic, many) => {
                        many[rand::Rng::random_range(&mut self.rng, 0..many.len())]
                    }
                }
            }
            _ => infer(schema),
        }
    }
}

/// Follows a `$ref` chain in `root` to the schema it names; `None` for dangling or endless chains.
fn resolve<'s>(root: &'s Value, schema: &'s Value) -> Option<&'s Value> {
    let mut current = schema;
    for _ in 0..32 {
        let Some(r) = current.get("$ref").and_then(Value::as_str) else {
            return Some(current);
        };
        let pointer = r.strip_prefix('#')?;
        current = root.pointer(&decode(pointer))?;
    }
    None
}

/// In 2020-12 a `$ref` beside other keywords applies both: generate from their `allOf`.
pub(crate) fn ref_with_siblings(schema: &Value) -> Option<Value> {
    let obj = schema.as_object()?;
    let target = obj.get("$ref")?;
    let annotation = |k: &str| {
        matches!(
            k,
            "$ref" | "description" | "summary" | "title" | "deprecated" | "example" | "examples"
        ) || k.starts_with("x-")
    };
    if obj.keys().all(|k| annotation(k)) {
        return None;
    }
    let mut rest = obj.clone();
    rest.remove("$ref");
    Some(json!({"allOf": [{"$ref": target}, Value::Object(rest)]}))
}

/// The type a schema without `type` implies by its keywords.
fn infer(schema: &Value) -> &'static str {
    let has = |k: &str| schema.get(k).is_some();
    if has("properties") || has("additionalProperties") || has("required") || has("minProperties") {
        "object"
    } else if has("items") || has("prefixItems") || has("minItems") {
        "array"
    } else if has("minimum")
        || has("maximum")
        || has("multipleOf")
        || has("exclusiveMinimum")
        || has("exclusiveMaximum")
    {
        "number"
    } else {
        "string"
    }
}

/// The smallest value of a schema's type, for cutting recursion.
fn minimal(schema: &Value) -> Value {
    let nullable = schema.get("nullable") == Some(&Value::Bool(true))
        || schema
            .get("type")
            .and_then(Value::as_array)
            .is_some_and(|t| t.contains(&json!("null")));
    if nullable {
        return Value::Null;
    }
    match infer_declared(schema) {
        "array" => json!([]),
        "object" => json!({}),
        "integer" | "number" => json!(0),
        "boolean" => json!(false),
        _ => json!(""),
    }
}

fn infer_declared(schema: &Value) -> &str {
    schema
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_else(|| infer(schema))
}

/// `$ref` fragments may percent-encode characters that JSON pointers keep literal.
fn decode(pointer: &str) -> String {
    percent_encoding::percent_decode_str(pointer)
        .decode_utf8_lossy()
        .into_owned()
}
