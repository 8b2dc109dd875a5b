//! Compiling a schema (JSON, `$ref`s into its document) into the quick check's nodes. Any
//! keyword not listed here makes its schema [`Node::Unknown`]: a quick check that judged it
//! wrongly could pass a body the full validator refuses.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{ANY, Check, Kind, NEVER, Node, Quick};
use crate::ANNOTATIONS;

/// OpenAPI's own formats, which jsonschema does not know and so does not check (an
/// `int32` of 2^40 is valid to it): annotations here too. Any other `format` is not known.
const OPENAPI_FORMATS: [&str; 7] = [
    "int32", "int64", "float", "double", "byte", "binary", "password",
];

/// Every bit of [`Check::required`] in use.
const MAX_REQUIRED: usize = 64;

/// See [`Quick::build`].
pub(super) fn build(doc: &Value, pointer: &str) -> Option<Quick> {
    let mut b = Builder {
        doc,
        nodes: vec![Node::Check(Box::default()), Node::Never],
        at: HashMap::new(),
    };
    let root = b.at_pointer(pointer);
    flatten_nullables(&mut b.nodes);
    (!matches!(b.nodes[root], Node::Unknown)).then_some(Quick {
        nodes: b.nodes,
        root,
    })
}

struct Builder<'d> {
    doc: &'d Value,
    nodes: Vec<Node>,
    /// The node of each schema reached by pointer, so a cyclic `$ref` ends at its own node.
    at: HashMap<String, usize>,
}

impl Builder<'_> {
    /// The node of the schema at `pointer`, built once.
    fn at_pointer(&mut self, pointer: &str) -> usize {
        if let Some(&i) = self.at.get(pointer) {
            return i;
        }
        // A placeholder while the schema is built: a `$ref` back to it gets this index.
        let i = self.push(Node::Unknown);
        self.at.insert(pointer.to_owned(), i);
        let doc = self.doc;
        let built = match doc.pointer(pointer) {
            Some(schema) => self.index(schema),
            None => return i,
        };
        self.nodes[i] = self.nodes[built].clone();
        i
    }

    fn push(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// The node of an inline schema.
    fn index(&mut self, schema: &Value) -> usize {
        let m = match schema {
            Value::Bool(true) => return ANY,
            Value::Bool(false) => return NEVER,
            Value::Object(m) => m,
            _ => return self.push(Node::Unknown),
        };
        let judged: Vec<(&str, &Value)> = m
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .filter(|(k, _)| !k.starts_with("x-") && !ANNOTATIONS.contains(k))
            .collect();
        match judged.as_slice() {
            [] => ANY,
            [("$ref", r)] => match r.as_str().and_then(|r| r.strip_prefix('#')) {
                Some(frag) => self.at_pointer(&cartwright_source::pointer::unescape_fragment(frag)),
                None => self.push(Node::Unknown),
            },
            // OpenAPI 3.0's way to describe a `$ref`: one branch and nothing else.
            [("allOf", Value::Array(branches))] if branches.len() == 1 => self.index(&branches[0]),
            [("anyOf", Value::Array(branches))] => match nullable(branches) {
                Some(other) => {
                    let inner = self.index(other);
                    self.push(Node::OrNull(inner))
                }
                None => self.push(Node::Unknown),
            },
            _ => {
                let node = self
                    .check(m, &judged)
                    .map_or(Node::Unknown, |c| Node::Check(Box::new(c)));
                self.push(node)
            }
        }
    }

    /// The check of a schema's judged keywords; `None` when one is not known here.
    fn check(&mut self, m: &Map<String, Value>, judged: &[(&str, &Value)]) -> Option<Check> {
        let mut c = Check::default();
        for &(k, v) in judged {
            match k {
                "type" => c.kinds = kinds(v)?,
                "enum" => {
                    let values = v.as_array()?;
                    c.null_in_enum = values.contains(&Value::Null);
                    c.strings = Some(strings(values.iter().filter(|v| !v.is_null()))?);
                }
                "const" => c.strings = Some(vec![v.as_str()?.into()]),
                "minLength" => c.min_length = Some(v.as_u64()?),
                "maxLength" => c.max_length = Some(v.as_u64()?),
                "minItems" => c.min_items = Some(v.as_u64()?),
                "maxItems" => c.max_items = Some(v.as_u64()?),
                "minimum" => c.minimum = Some(bound(v)?),
                "maximum" => c.maximum = Some(bound(v)?),
                "exclusiveMinimum" => c.exclusive_minimum = Some(bound(v)?),
                "exclusiveMaximum" => c.exclusive_maximum = Some(bound(v)?),
                "items" if !v.is_array() => c.items = self.index(v),
                "additionalProperties" => c.additional = self.index(v),
                "properties" => {
                    for (name, s) in v.as_object()? {
                        let node = self.index(s);
                        c.properties.push((name.as_str().into(), node));
                    }
                }
                // Read below, once the members are known.
                "required" => {}
                "format" if v.as_str().is_some_and(|f| OPENAPI_FORMATS.contains(&f)) => {}
                _ => return None,
            }
        }
        for name in m
            .get("required")
            .map_or(Some(&[][..]), |r| r.as_array().map(Vec::as_slice))?
        {
            let name = name.as_str()?;
            let i = match c.properties.iter().position(|(n, _)| &**n == name) {
                Some(i) => i,
                None => {
                    // A required name with no property schema is judged as any other.
                    c.properties.push((name.into(), c.additional));
                    c.properties.len() - 1
                }
            };
            if i >= MAX_REQUIRED {
                return None;
            }
            c.required |= 1 << i;
        }
        Some(c)
    }
}

/// A nullable of a nullable is a nullable of what the last one holds, so the check never
/// follows one nullable to another without reading a byte; a chain that comes round to
/// itself (references in a cycle) is not known.
fn flatten_nullables(nodes: &mut [Node]) {
    for i in 0..nodes.len() {
        let Node::OrNull(mut inner) = nodes[i] else {
            continue;
        };
        let mut steps = 0;
        while let Node::OrNull(next) = nodes[inner] {
            if steps == nodes.len() {
                break;
            }
            (inner, steps) = (next, steps + 1);
        }
        nodes[i] = match nodes[inner] {
            Node::OrNull(_) => Node::Unknown,
            _ => Node::OrNull(inner),
        };
    }
}

/// The branch beside `{type: null}` in a two-branch `anyOf`.
fn nullable(branches: &[Value]) -> Option<&Value> {
    let is_null = |b: &Value| {
        b.as_object()
            .is_some_and(|o| o.len() == 1 && o.get("type") == Some(&Value::from("null")))
    };
    match branches {
        [a, b] if is_null(b) => Some(a),
        [a, b] if is_null(a) => Some(b),
        _ => None,
    }
}

/// `type` as bits of [`Kind`].
fn kinds(v: &Value) -> Option<u8> {
    let one = |t: &Value| {
        Some(match t.as_str()? {
            "null" => Kind::Null,
            "boolean" => Kind::Boolean,
            "integer" => Kind::Integer,
            "number" => Kind::Number,
            "string" => Kind::String,
            "array" => Kind::Array,
            "object" => Kind::Object,
            _ => return None,
        } as u8)
    };
    match v {
        Value::Array(ts) if !ts.is_empty() => ts.iter().try_fold(0, |acc, t| Some(acc | one(t)?)),
        Value::String(_) => one(v),
        _ => None,
    }
}

/// An `enum` of strings only.
fn strings<'v>(mut values: impl Iterator<Item = &'v Value>) -> Option<Vec<Box<str>>> {
    values.try_fold(Vec::new(), |mut all, v| {
        all.push(v.as_str()?.into());
        Some(all)
    })
}

/// A numeric bound as an `f64` that is exactly the bound jsonschema compares with.
fn bound(v: &Value) -> Option<f64> {
    /// Integers up to 2^53 are exact as `f64`.
    const EXACT: u64 = 1 << 53;
    if v.is_f64() {
        return v.as_f64();
    }
    match (v.as_i64(), v.as_u64()) {
        (Some(i), _) if i.unsigned_abs() <= EXACT => Some(i as f64),
        (_, Some(u)) if u <= EXACT => Some(u as f64),
        _ => None,
    }
}
