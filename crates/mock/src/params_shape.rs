//! A parameter's text shaped by its style (`simple`, `form`, `label`, `matrix`, the
//! delimited ones) into the array, object or scalar its schema asks for.

use cartwright_model::{ParamStyle, Parameter};
use serde_json::{Map, Value};

use crate::coerce::coerce;

/// Parses one parameter's text by its style into the shape its schema asks for.
pub(super) fn shape(p: &Parameter, text: &str) -> Value {
    let mut text = text;
    // Only a matrix parameter has a `;name=` prefix to read.
    let name_prefix = match p.style {
        ParamStyle::Matrix => format!(";{}=", p.name),
        _ => String::new(),
    };
    match p.style {
        ParamStyle::Label => text = text.strip_prefix('.').unwrap_or(text),
        ParamStyle::Matrix => {
            text = text
                .strip_prefix(name_prefix.as_str())
                .or_else(|| text.strip_prefix(';'))
                .unwrap_or(text)
        }
        _ => {}
    }
    let sep = match (p.style, p.explode) {
        (ParamStyle::SpaceDelimited, _) => " ",
        (ParamStyle::PipeDelimited, _) => "|",
        (ParamStyle::Label, true) => ".",
        (ParamStyle::Matrix, true) => name_prefix.as_str(),
        _ => ",",
    };
    match kind_of(&p.shape) {
        "array" => Value::Array(
            text.split(sep)
                .map(|item| coerce(item, item_shape(&p.shape)))
                .collect(),
        ),
        "object" => object_from(text, sep, p.explode, &p.shape),
        _ => coerce(text, &p.shape),
    }
}

/// `R,100,G,200` (not exploded) or `R=100,G=200` (exploded) into an object.
fn object_from(text: &str, sep: &str, explode: bool, schema: &Value) -> Value {
    let props = schema.get("properties");
    let mut out = Map::new();
    let pairs: Vec<(&str, &str)> = if explode {
        text.split(sep)
            .filter_map(|kv| kv.split_once('='))
            .collect()
    } else {
        let parts: Vec<&str> = text.split(',').collect();
        parts
            .chunks(2)
            .filter_map(|c| Some((*c.first()?, *c.get(1)?)))
            .collect()
    };
    for (k, v) in pairs {
        out.insert(
            k.to_owned(),
            coerce(v, props.and_then(|ps| ps.get(k)).unwrap_or(&Value::Null)),
        );
    }
    Value::Object(out)
}

/// The primary JSON type a schema asks for (`string` when unsure).
pub(super) fn kind_of(schema: &Value) -> &str {
    match schema.get("type") {
        Some(Value::String(t)) => t,
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("string"),
        _ if schema.get("properties").is_some() => "object",
        _ if schema.get("items").is_some() => "array",
        _ => "string",
    }
}

pub(super) fn item_shape(schema: &Value) -> &Value {
    schema.get("items").unwrap_or(&Value::Null)
}
