//! The generated phase's strategies: valid values for every parameter and the body from
//! their schemas, the same with one place broken, and whether drawn values are valid as a
//! server reads them.

use cartwright_data::Direction;
use cartwright_data::strategy::{self, Mutation};
use cartwright_model::{Operation, ParamLocation, Schema};
use proptest::prelude::*;
use serde_json::{Value, json};

use super::Drawn;
use crate::probe::Probe;
use crate::request::{Values, body_media};

/// The schema as a reference into the document, so the strategies resolve it in place.
fn reference(schema: &Schema) -> Value {
    json!({"$ref": format!("#{}", schema.pointer)})
}

/// Path and required parameters always; optional ones sometimes (shrinking drops them).
pub(super) fn valid_values(probe: &Probe<'_>, op: &Operation) -> BoxedStrategy<Values> {
    let root = &probe.api.document;
    let params: Vec<BoxedStrategy<Option<(usize, Value)>>> = op
        .parameters
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let s = strategy::valid(root, &reference(p.schema.as_ref()?), Direction::Request)
                .prop_map(move |v| (i, v));
            Some(if p.location == ParamLocation::Path || p.required {
                s.prop_map(Some).boxed()
            } else {
                proptest::option::of(s).boxed()
            })
        })
        .collect();
    let body: BoxedStrategy<Option<Value>> = match body_media(op).and_then(|m| m.schema.as_ref()) {
        Some(s) => strategy::valid(root, &reference(s), Direction::Request)
            .prop_map(Some)
            .boxed(),
        None if body_media(op).is_some() => Just(Some(json!({}))).boxed(),
        None => Just(None).boxed(),
    };
    (params, body)
        .prop_map(|(params, body)| Values {
            params: params.into_iter().flatten().collect(),
            body,
        })
        .boxed()
}

/// Valid values with one place broken: the body, or one scalar parameter.
pub(super) fn invalid_values(probe: &Probe<'_>, op: &Operation) -> Option<BoxedStrategy<Drawn>> {
    let root = &probe.api.document;
    let mut places: Vec<BoxedStrategy<Drawn>> = Vec::new();
    if let Some(schema) = body_media(op).and_then(|m| m.schema.as_ref())
        && let Some(bad) = strategy::invalid(root, &reference(schema), Direction::Request)
    {
        places.push(
            (valid_values(probe, op), bad)
                .prop_map(
                    |(mut v, (body, m, at)): (Values, (Value, Mutation, String))| {
                        v.body = Some(body);
                        (v, Some(format!("{} at body{at}", m.name())))
                    },
                )
                .boxed(),
        );
    }
    for (i, p) in op.parameters.iter().enumerate() {
        let Some(schema) = p.schema.as_ref() else {
            continue;
        };
        if !scalar(&p.shape) {
            continue;
        }
        let Some(bad) = strategy::invalid(root, &reference(schema), Direction::Request) else {
            continue;
        };
        let name = p.name.clone();
        places.push(
            (valid_values(probe, op), bad)
                .prop_map(
                    move |(mut v, (value, m, _)): (Values, (Value, Mutation, String))| {
                        v.params.retain(|(j, _)| *j != i);
                        v.params.push((i, value));
                        (v, Some(format!("{} in parameter {name}", m.name())))
                    },
                )
                .boxed(),
        );
    }
    (!places.is_empty()).then(|| proptest::strategy::Union::new(places).boxed())
}

pub(super) fn scalar(shape: &Value) -> bool {
    matches!(
        shape.get("type").and_then(Value::as_str),
        Some("string" | "integer" | "number" | "boolean")
    )
}

/// Whether every value is one its schema accepts, as the server will read it: parameters
/// travel as text, so a text that parses to a valid number or boolean counts as valid.
pub(super) fn valid(op: &Operation, (values, _): &Drawn) -> bool {
    let params_ok = values.params.iter().all(|(i, v)| {
        let Some(p) = op.parameters.get(*i) else {
            return true;
        };
        let Some(s) = p.schema.as_ref() else {
            return true;
        };
        readings(v).iter().any(|r| s.is_valid(r))
    });
    let body_ok = match (&values.body, body_media(op).and_then(|m| m.schema.as_ref())) {
        (Some(b), Some(s)) => s.is_valid(b),
        _ => true,
    };
    params_ok && body_ok
}

/// The ways a server may read a parameter's text: as the value, as a string, as JSON.
fn readings(v: &Value) -> Vec<Value> {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut out = vec![v.clone(), Value::String(text.clone())];
    if let Ok(parsed) = serde_json::from_str::<Value>(&text) {
        out.push(parsed);
    }
    out
}
