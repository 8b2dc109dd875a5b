//! Known JSON (or nothing) to the value of a field's type: lists element by element, leaves as
//! GraphQL values, objects passed on to their fields, and what is not known generated.

use async_graphql::dynamic::FieldValue;
use async_graphql::parser::types::{BaseType, Type};
use async_graphql::{Error, Name, Value};
use serde_json::Value as Json;

use crate::engine::Engine;
use crate::generate::{self, mix};
use crate::index::Kind;
use crate::resolve::{Node, Plan};

/// Known JSON: lent for the whole request (its objects are passed on by reference), or
/// only for this call (its objects are copied into nodes).
#[derive(Clone, Copy)]
pub(crate) enum Known<'a, 'b> {
    /// Lives as long as the request.
    Lent(&'a Json),
    /// Lives for this call only.
    Copy(&'b Json),
}

impl<'a, 'b> Known<'a, 'b> {
    fn json(self) -> &'b Json
    where
        'a: 'b,
    {
        match self {
            Known::Lent(j) | Known::Copy(j) => j,
        }
    }
}

/// Converts JSON the root owns: objects move into nodes instead of being copied.
pub(crate) fn convert_owned<'a>(
    engine: &Engine,
    plan: &Plan,
    ty: &Type,
    json: Json,
    key: u64,
) -> Result<Option<FieldValue<'a>>, Error> {
    match (&ty.base, json) {
        (BaseType::List(inner), Json::Array(items)) => {
            let items = items
                .into_iter()
                .enumerate()
                .map(|(i, j)| convert_owned(engine, plan, inner, j, mix(key, i as u64)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Some(FieldValue::list(
                items.into_iter().map(|v| v.unwrap_or(FieldValue::NULL)),
            )))
        }
        (BaseType::Named(name), json @ Json::Object(_)) => {
            let kind = engine.index.kind(name);
            if matches!(kind, Kind::Object | Kind::Interface | Kind::Union) {
                let ty_name = concrete(engine, name, Some(&json), key)?;
                let v = FieldValue::owned_any(Node { json, key });
                return Ok(Some(match (kind, ty_name) {
                    (Kind::Object, _) | (_, None) => v,
                    (_, Some(t)) => v.with_type(t),
                }));
            }
            convert(engine, plan, ty, Some(Known::Copy(&json)), key)
        }
        (_, json) => convert(engine, plan, ty, Some(Known::Copy(&json)), key),
    }
}

/// Converts known JSON (or nothing) into the value of type `ty`.
pub(crate) fn convert<'a>(
    engine: &Engine,
    plan: &Plan,
    ty: &Type,
    json: Option<Known<'a, '_>>,
    key: u64,
) -> Result<Option<FieldValue<'a>>, Error> {
    if ty.nullable && matches!(json.map(|k| k.json()), Some(Json::Null)) {
        return Ok(None);
    }
    let json = json.filter(|k| !k.json().is_null());
    match &ty.base {
        BaseType::List(inner) => {
            let items = match json {
                Some(Known::Lent(Json::Array(items))) => items
                    .iter()
                    .enumerate()
                    .map(|(i, j)| {
                        convert(
                            engine,
                            plan,
                            inner,
                            Some(Known::Lent(j)),
                            mix(key, i as u64),
                        )
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                Some(Known::Copy(Json::Array(items))) => items
                    .iter()
                    .enumerate()
                    .map(|(i, j)| {
                        convert(
                            engine,
                            plan,
                            inner,
                            Some(Known::Copy(j)),
                            mix(key, i as u64),
                        )
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                _ => (0..generate::list_len(key))
                    .map(|i| convert(engine, plan, inner, None, mix(key, i as u64)))
                    .collect::<Result<Vec<_>, _>>()?,
            };
            Ok(Some(FieldValue::list(
                items.into_iter().map(|v| v.unwrap_or(FieldValue::NULL)),
            )))
        }
        BaseType::Named(name) => named_value(engine, plan, name, json, key).map(Some),
    }
}

/// The object type a value of `name` is: its `__typename`, else one chosen by key (`None`
/// for object types, which need none).
fn concrete(
    engine: &Engine,
    name: &str,
    json: Option<&Json>,
    key: u64,
) -> Result<Option<String>, Error> {
    let Some(t) = engine
        .index
        .get(name)
        .filter(|t| matches!(t.kind, Kind::Interface | Kind::Union))
    else {
        return Ok(None);
    };
    json.and_then(|j| j.get("__typename"))
        .and_then(Json::as_str)
        .map(str::to_owned)
        .or_else(|| {
            t.possible
                .get((key % t.possible.len().max(1) as u64) as usize)
                .cloned()
        })
        .map(Some)
        .ok_or_else(|| Error::new(format!("no object type implements `{name}`")))
}

fn named_value<'a>(
    engine: &Engine,
    plan: &Plan,
    name: &Name,
    known: Option<Known<'a, '_>>,
    key: u64,
) -> Result<FieldValue<'a>, Error> {
    let kind = engine.index.kind(name);
    let json = known.map(|k| k.json());
    if matches!(kind, Kind::Object | Kind::Interface | Kind::Union) {
        let v = match known {
            Some(Known::Lent(j)) => FieldValue::borrowed_any(j),
            _ => FieldValue::owned_any(node(json, key)),
        };
        return Ok(match concrete(engine, name, json, key)? {
            Some(t) => v.with_type(t),
            None => v,
        });
    }
    match (kind, json) {
        (Kind::Scalar, Some(j)) => Ok(FieldValue::value(
            Value::from_json(j.clone()).map_err(|e| Error::new(e.to_string()))?,
        )),
        (Kind::Scalar, None) => Ok(FieldValue::value(generate::scalar(name, &plan.name, key))),
        (Kind::Enum, Some(Json::String(s))) => Ok(FieldValue::value(Value::Enum(Name::new(s)))),
        (Kind::Enum, _) => {
            let values = engine.index.get(name).map_or(&[][..], |t| &t.values[..]);
            Ok(FieldValue::value(generate::enum_value(values, key)))
        }
        (Kind::Input, _) => Err(Error::new(format!("`{name}` is an input type"))),
        _ => Err(Error::new(format!("`{name}` is not a leaf type"))),
    }
}

fn node(json: Option<&Json>, key: u64) -> Node {
    Node {
        json: json.cloned().unwrap_or(Json::Null),
        key,
    }
}
