//! Proptest strategies from schemas: valid values, and invalid ones broken in one place, so a
//! contract tester can draw many requests and have proptest shrink a failing one.
//!
//! Unlike [`crate::Generator`], which draws from its own seeded generator, everything here
//! draws from the proptest runner: a fixed runner seed replays the same values, and shrinking
//! is structural. Numbers move toward zero or the bound nearest it, strings and arrays get
//! shorter, optional properties are dropped, and a union moves toward its first branch.
//! Schemas are read as [`crate::Generator`] reads them (local `$ref`s into a root document,
//! `allOf` merged, recursion cut at a depth).

mod broken;
mod choice;
mod faults;
mod scalars;
mod shapes;
mod text;

use proptest::prelude::*;
use proptest::strategy::Union;
use serde_json::Value;

use crate::{DEEPEST, Direction, combine};

/// Valid values of `schema` (resolved against `root`), for a request (`Direction::Request`:
/// readOnly properties omitted) or a response (writeOnly properties omitted).
///
/// Values are meant to validate; for schemas a value cannot be built for structurally
/// (overlapping `oneOf` branches, `not`), some may not, so callers check them with a
/// validator and discard the rest.
pub fn valid(root: &Value, schema: &Value, direction: Direction) -> BoxedStrategy<Value> {
    build(Ctx { root, direction }, schema, 0, None)
}

/// Values that break `schema` in one place, each with the mutation and the JSON pointer of
/// the broken place inside the value (`""` for the whole value, `/items/0/quantity` for a
/// property; for a missing property, where it should have been). `None` when the schema
/// states nothing breakable, such as `{}`.
///
/// The rest of the value is valid, so a server refusing it refuses the broken rule.
pub fn invalid(
    root: &Value,
    schema: &Value,
    direction: Direction,
) -> Option<BoxedStrategy<(Value, Mutation, String)>> {
    broken::invalid(Ctx { root, direction }, schema)
}

/// How an invalid value differs from a valid one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mutation {
    /// A JSON type the schema's `type` does not allow.
    WrongType,
    /// A property listed in `required` left out.
    MissingRequired,
    /// A number below `minimum`/`exclusiveMinimum` or above `maximum`/`exclusiveMaximum`.
    OutOfRange,
    /// An integer in range that is not a multiple of `multipleOf`.
    NotMultiple,
    /// A value outside `enum` (or other than `const`).
    NotInEnum,
    /// A string that does not match `pattern`.
    PatternMismatch,
    /// A string of a known `format` (date, uuid, email, ...) written wrongly.
    BadFormat,
    /// A string shorter than `minLength`.
    TooShort,
    /// A string longer than `maxLength`.
    TooLong,
    /// An array with fewer items than `minItems`.
    TooFewItems,
    /// An array with more items than `maxItems`.
    TooManyItems,
}

impl Mutation {
    /// A stable name for reports.
    pub fn name(&self) -> &'static str {
        match self {
            Mutation::WrongType => "wrong type",
            Mutation::MissingRequired => "missing required property",
            Mutation::OutOfRange => "out of range",
            Mutation::NotMultiple => "not a multiple",
            Mutation::NotInEnum => "not in enum",
            Mutation::PatternMismatch => "pattern mismatch",
            Mutation::BadFormat => "bad format",
            Mutation::TooShort => "too short",
            Mutation::TooLong => "too long",
            Mutation::TooFewItems => "too few items",
            Mutation::TooManyItems => "too many items",
        }
    }
}

/// What every builder needs: the document references resolve in, and the direction.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    root: &'a Value,
    direction: Direction,
}

/// The strategy for one place; `hint` is the property name, for plausible strings.
fn build(cx: Ctx<'_>, schema: &Value, depth: usize, hint: Option<&str>) -> BoxedStrategy<Value> {
    let Some(schema) = flatten(cx.root, schema) else {
        return Just(Value::Null).boxed();
    };
    match &schema {
        Value::Object(_) => {}
        // Nothing is valid against `false`; the caller's validator discards the value.
        Value::Bool(false) => return Just(Value::Null).boxed(),
        _ => return text::any_simple(),
    }
    if depth > DEEPEST {
        return Just(crate::minimal(&schema)).boxed();
    }
    // Branches count as a level, so alternatives that refer to themselves end too.
    if let Some(branches) = combine::branches(cx.root, &schema) {
        let options: Vec<_> = branches
            .iter()
            .map(|b| build(cx, b, depth + 1, hint))
            .collect();
        if schema.get("oneOf").is_some() && options.len() > 1 {
            return choice::OneOf::new(options, branches).boxed();
        }
        return Union::new(options).boxed();
    }
    if let Some(v) = schema.get("const") {
        return Just(v.clone()).boxed();
    }
    if let Some(Value::Array(options)) = schema.get("enum")
        && !options.is_empty()
    {
        return proptest::sample::select(options.clone()).boxed();
    }
    match schema.get("type") {
        Some(Value::String(t)) => typed(cx, &schema, t, depth, hint),
        Some(Value::Array(types)) => {
            // Null last: a union shrinks toward its first branch, and a shrunk failure
            // should keep its shape rather than collapse to null.
            let mut kinds: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
            kinds.sort_by_key(|k| *k == "null");
            kinds.dedup();
            if kinds.is_empty() {
                return text::any_simple();
            }
            let options: Vec<_> = kinds
                .iter()
                .map(|k| typed(cx, &schema, k, depth, hint))
                .collect();
            Union::new(options).boxed()
        }
        _ if untyped(&schema) => text::any_simple(),
        _ => typed(cx, &schema, crate::infer(&schema), depth, hint),
    }
}

/// Values of one JSON type under the schema's keywords for it.
fn typed(
    cx: Ctx<'_>,
    schema: &Value,
    kind: &str,
    depth: usize,
    hint: Option<&str>,
) -> BoxedStrategy<Value> {
    match kind {
        "null" => Just(Value::Null).boxed(),
        "boolean" => any::<bool>().prop_map(Value::Bool).boxed(),
        "integer" => scalars::integer(schema),
        "number" => scalars::number(schema),
        "array" => shapes::array(cx, schema, depth),
        "object" => shapes::object(cx, schema, depth),
        _ => text::string(schema, hint),
    }
}

/// A schema without `type` that says nothing about strings either: any value is valid.
fn untyped(schema: &Value) -> bool {
    crate::infer(schema) == "string"
        && !["minLength", "maxLength", "pattern", "format"]
            .iter()
            .any(|k| schema.get(*k).is_some())
}

/// The keywords that apply at a place: `$ref`s followed (with their siblings) and `allOf`
/// merged. `None` for a dangling reference.
fn flatten(root: &Value, schema: &Value) -> Option<Value> {
    let mut current = schema.clone();
    // Each round removes one layer; the bound only guards against pathological documents.
    for _ in 0..8 {
        if let Some(both) = crate::ref_with_siblings(&current) {
            current = both;
            continue;
        }
        let resolved = crate::resolve(root, &current)?;
        match combine::merged(root, resolved) {
            Some(merged) => current = Value::Object(merged),
            None => return Some(resolved.clone()),
        }
    }
    Some(current)
}

/// Whether a property is left out in this direction (readOnly in requests, writeOnly in
/// responses), judged on the schema its `$ref` names.
fn skipped(cx: Ctx<'_>, prop: &Value) -> bool {
    let resolved = crate::resolve(cx.root, prop).unwrap_or(prop);
    let flag = match cx.direction {
        Direction::Request => "readOnly",
        Direction::Response => "writeOnly",
    };
    resolved.get(flag) == Some(&Value::Bool(true))
}
