//! Parameters: found in the path, query, headers and cookies, parsed by their `style` and
//! `explode` into JSON shaped by their schema, then validated.
//!
//! A value that cannot be coerced to its declared type is kept as a string, so the
//! validator, not the parser, reports it ("expected integer") with its pointer.

use cartwright_model::{Operation, ParamLocation, ParamStyle, Parameter};
use serde_json::{Map, Value};

use crate::Incoming;
use crate::coerce::coerce;
use crate::problem::Issue;

#[path = "params_shape.rs"]
mod shaping;
use shaping::{item_shape, kind_of, shape};

/// The request's raw parameter sources, parsed once per request.
pub(crate) struct Raw<'r> {
    /// Decoded path parameters.
    pub path: &'r [(String, String)],
    /// Decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    /// Cookies from the `Cookie` header.
    pub cookies: Vec<(String, String)>,
    /// The request.
    pub request: &'r Incoming,
}

impl<'r> Raw<'r> {
    /// Parses the query string and cookies of a request.
    pub(crate) fn new(request: &'r Incoming, path: &'r [(String, String)]) -> Self {
        let query = request
            .query
            .as_deref()
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        let cookies = request
            .header_values(http::header::COOKIE)
            .into_iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| {
                c.split_once('=')
                    .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            })
            .collect();
        Raw {
            path,
            query,
            cookies,
            request,
        }
    }

    fn query_values(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Validates every parameter of the operation, pushing one issue per violation.
pub(crate) fn validate(op: &Operation, raw: &Raw<'_>, issues: &mut Vec<Issue>, spec: &str) {
    for p in &op.parameters {
        // Built only for a parameter that has something wrong with it.
        let pointer = || cartwright_source::pointer::from_tokens(&[p.location.as_str(), &p.name]);
        let value = match p.location {
            ParamLocation::Query => query_value(p, raw),
            _ => match text(p, raw) {
                // A string parameter valid as it is: nothing to shape or judge.
                Some(Ok(t)) if plain(p, &t) => continue,
                Some(t) => Some(t.and_then(|t| from_text(p, &t))),
                None => None,
            },
        };
        let Some(value) = value else {
            if p.required {
                issues.push(Issue {
                    pointer: pointer(),
                    schema: Some(format!("{spec}#{}", p.pointer)),
                    message: format!(
                        "required {} parameter `{}` is missing",
                        p.location.as_str(),
                        p.name
                    ),
                });
            }
            continue;
        };
        let value = match value {
            Ok(v) => v,
            Err(message) => {
                issues.push(Issue {
                    pointer: pointer(),
                    schema: Some(format!("{spec}#{}", p.pointer)),
                    message,
                });
                continue;
            }
        };
        if let Some(schema) = &p.schema
            && !schema.is_valid(&value)
        {
            let pointer = pointer();
            for v in schema.violations(&value) {
                issues.push(Issue {
                    pointer: format!("{pointer}{}", v.instance),
                    schema: Some(format!("{spec}#{}", v.schema)),
                    message: v.message,
                });
            }
        }
    }
}

/// Whether a path, header or cookie parameter's text, as a string, is its valid value: a
/// schema that takes strings only, a style with no prefix or separator to read, and the
/// schema's quick check says yes. Most parameters (tokens, ids) are such.
fn plain(p: &Parameter, text: &str) -> bool {
    !p.json_content
        && matches!(p.style, ParamStyle::Simple | ParamStyle::Form)
        && p.schema.as_ref().is_some_and(|s| s.accepts_string(text))
}

/// A path, header or cookie parameter's text; `None` when absent, `Err` when unreadable.
fn text(p: &Parameter, raw: &Raw<'_>) -> Option<Result<String, String>> {
    let text: String = match p.location {
        ParamLocation::Path => raw.path.iter().find(|(k, _)| *k == p.name)?.1.clone(),
        ParamLocation::Header => {
            let values = raw.request.header_values(p.name.as_str());
            if values.is_empty() {
                return None;
            }
            // Repeated lines are one comma-separated value, as HTTP reads them; written
            // straight into one string, as this runs for every header parameter.
            let mut text = String::with_capacity(values.iter().map(|v| v.len() + 1).sum());
            for (i, v) in values.iter().enumerate() {
                match std::str::from_utf8(v.as_bytes()) {
                    Ok(s) => {
                        if i > 0 {
                            text.push(',');
                        }
                        text.push_str(s);
                    }
                    Err(e) => {
                        return Some(Err(format!(
                            "the `{}` header is not UTF-8 text (invalid byte at {})",
                            p.name,
                            e.valid_up_to()
                        )));
                    }
                }
            }
            text
        }
        ParamLocation::Cookie => raw.cookies.iter().find(|(k, _)| *k == p.name)?.1.clone(),
        ParamLocation::Query => return None,
    };
    Some(Ok(text))
}

/// A parameter's text read as its value: JSON for `content`, else shaped by its style.
fn from_text(p: &Parameter, text: &str) -> Result<Value, String> {
    if p.json_content {
        return serde_json::from_str(text).map_err(|e| format!("`{}` is not JSON: {e}", p.name));
    }
    Ok(shape(p, text))
}

fn query_value(p: &Parameter, raw: &Raw<'_>) -> Option<Result<Value, String>> {
    // A request without a query has none of its parameters, in any style: the common
    // case, answered before the schema is read.
    if raw.query.is_empty() {
        return None;
    }
    if p.json_content {
        let v = *raw.query_values(&p.name).first()?;
        return Some(serde_json::from_str(v).map_err(|e| format!("`{}` is not JSON: {e}", p.name)));
    }
    let kind = kind_of(&p.shape);
    if kind == "object" && (p.style == ParamStyle::DeepObject || p.explode) {
        return deep_or_exploded_object(p, raw).map(Ok);
    }
    let values = raw.query_values(&p.name);
    if values.is_empty() {
        return None;
    }
    if kind == "array" && p.explode && matches!(p.style, ParamStyle::Form) {
        let items = item_shape(&p.shape);
        return Some(Ok(Value::Array(
            values.iter().map(|v| coerce(v, items)).collect(),
        )));
    }
    Some(Ok(shape(p, values[values.len() - 1])))
}

/// `?filter[color]=red` (deepObject) or `?color=red&size=M` (form, exploded).
fn deep_or_exploded_object(p: &Parameter, raw: &Raw<'_>) -> Option<Value> {
    let props = p.shape.get("properties").and_then(Value::as_object);
    let mut out = Map::new();
    for (k, v) in &raw.query {
        let key = if p.style == ParamStyle::DeepObject {
            match k
                .strip_prefix(p.name.as_str())
                .and_then(|r| r.strip_prefix('['))
                .and_then(|r| r.strip_suffix(']'))
            {
                Some(key) => key,
                None => continue,
            }
        } else if props.is_some_and(|props| props.contains_key(k)) {
            k.as_str()
        } else {
            continue;
        };
        // A key the schema does not name takes the `additionalProperties` schema, so
        // Shopware's `includes[product]=name` is an array of strings, as it declares.
        let prop_shape = props
            .and_then(|ps| ps.get(key))
            .or_else(|| {
                p.shape
                    .get("additionalProperties")
                    .filter(|a| a.is_object())
            })
            .unwrap_or(&Value::Null);
        // An array property takes every value given for it, as an exploded array does.
        if kind_of(prop_shape) == "array" {
            let item = coerce(v, item_shape(prop_shape));
            match out.get_mut(key) {
                Some(Value::Array(items)) => items.push(item),
                _ => {
                    out.insert(key.to_owned(), Value::Array(vec![item]));
                }
            }
            continue;
        }
        out.insert(key.to_owned(), coerce(v, prop_shape));
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

#[cfg(test)]
#[path = "params_tests.rs"]
mod tests;
