//! A valid request for an operation, built from its declarations: path, required query,
//! header and cookie parameters, a body of the first JSON (or form) media type, and the
//! credentials of the first security alternative that was given (else the first). Values
//! come from the seeded generator, which prefers what the spec documents (examples,
//! defaults), and every value is checked against its compiled schema before it is used:
//! generation proposes, the schema decides.

use cartwright_data::{Direction, Generator, Mode};
use cartwright_model::{Api, Operation, ParamLocation, ParamStyle, Parameter, Schema};

use crate::credentials::{Credentials, Placed};
use cartwright_http::{Body, Request};

/// The wire request of `cartwright_http`, under the name the verifier's phases use.
pub use cartwright_http::Request as Req;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

mod example;
use serde_json::{Value, json};

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// The parameter's own documented value where its schema accepts it, else the generator's
/// (which prefers the schema's `example`, `default`, `examples` and `enum[0]` to a
/// placeholder): a documented value names something the store has (`/products/61`), a
/// placeholder (`/products/string`) only gets a 404.
fn value_of(api: &Api, p: &Parameter, seed: u64) -> Value {
    if let Some(e) = example::parameter(api, p) {
        return e;
    }
    p.schema
        .as_ref()
        .map_or(json!("x"), |s| valid_value(api, s, seed))
}

/// The static value if it validates, else the minimal one, else the first valid value of a
/// few seeded dynamic draws: generation proposes, the compiled schema decides.
fn valid_value(api: &Api, schema: &Schema, seed: u64) -> Value {
    let with = |mode: Mode, seed: u64| {
        Generator::new(&api.document, seed, mode).value(
            &json!({"$ref": format!("#{}", schema.pointer)}),
            Direction::Request,
        )
    };
    let first = with(Mode::Static, seed);
    if schema.is_valid(&first) {
        return first;
    }
    std::iter::once(with(Mode::Minimal, seed))
        .chain((0..32).map(|s| with(Mode::Dynamic, seed + s)))
        .find(|v| schema.is_valid(v))
        .unwrap_or(first)
}

/// Values for an operation's parameters (by index into `op.parameters`) and body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Values {
    /// Parameter values; a parameter without one is not sent.
    pub params: Vec<(usize, Value)>,
    /// The body, when one is sent.
    pub body: Option<Value>,
}

/// The documented or first valid values: path and required parameters, and the body (its
/// first valid media example, where it has one).
pub fn defaults(api: &Api, op: &Operation, seed: u64) -> Values {
    Values {
        params: op
            .parameters
            .iter()
            .enumerate()
            .filter(|(_, p)| p.location == ParamLocation::Path || p.required)
            .map(|(i, p)| (i, value_of(api, p, seed)))
            .collect(),
        // The first media example the schema accepts names real things (a configured
        // `viewIdentifier`, a product the store sells); else the generator's value.
        body: body_media(op).map(|m| {
            let documented = m
                .examples
                .iter()
                .map(|e| &e.value)
                .find(|e| m.schema.as_ref().is_none_or(|s| s.is_valid(e)));
            documented.cloned().unwrap_or_else(|| {
                m.schema
                    .as_ref()
                    .map_or(json!({}), |s| valid_value(api, s, seed))
            })
        }),
    }
}

/// The smallest valid body of `op`: required properties only. A server that refuses the
/// documented one over an optional part may take it.
pub fn minimal_body(api: &Api, op: &Operation, seed: u64) -> Option<Value> {
    let schema = body_media(op)?.schema.as_ref()?;
    let v = Generator::new(&api.document, seed, Mode::Minimal).value(
        &json!({"$ref": format!("#{}", schema.pointer)}),
        Direction::Request,
    );
    schema.is_valid(&v).then_some(v)
}

/// A valid request for `op` against a server at `base`.
pub fn build(api: &Api, op: &Operation, base: &str, seed: u64, creds: &Credentials) -> Request {
    assemble(api, op, base, creds, &defaults(api, op, seed))
}

/// The request carrying `values`, with the credentials of the first security alternative.
pub fn assemble(
    api: &Api,
    op: &Operation,
    base: &str,
    creds: &Credentials,
    values: &Values,
) -> Request {
    let mut path = op.path.clone();
    let mut query: Vec<(String, String)> = Vec::new();
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut cookies: Vec<String> = Vec::new();
    // Credentials first: a spec may also declare `Authorization` as a header parameter.
    for placed in credentials(api, op, creds) {
        match placed {
            Placed::Header(k, v) => headers.push((k, v)),
            Placed::Query(k, v) => query.push((k, v)),
            Placed::Cookie(k, v) => cookies.push(format!("{k}={v}")),
        }
    }
    for (i, v) in &values.params {
        let Some(p) = op.parameters.get(*i) else {
            continue;
        };
        if p.location == ParamLocation::Header
            && headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(&p.name))
        {
            continue;
        }
        let v = if p.json_content {
            Value::String(v.to_string())
        } else {
            v.clone()
        };
        match p.location {
            ParamLocation::Path => {
                path = path.replace(&format!("{{{}}}", p.name), &segment(&text(&v)))
            }
            ParamLocation::Header => headers.push((p.name.clone(), text(&v))),
            ParamLocation::Cookie => cookies.push(format!("{}={}", p.name, text(&v))),
            ParamLocation::Query => query_pairs(p, &v, &mut query),
        }
    }
    if !cookies.is_empty() {
        headers.push(("cookie".into(), cookies.join("; ")));
    }
    let prefix = api.base_paths.first().map_or("", String::as_str);
    let mut url = format!("{base}{prefix}{path}");
    if !query.is_empty() {
        url.push('?');
        url.push_str(
            &form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&query)
                .finish(),
        );
    }
    Request {
        method: op.method,
        url,
        headers,
        body: values
            .body
            .as_ref()
            .and_then(|v| body_media(op).map(|m| encode_body(&m.media_type, v)))
            .map(|(ct, bytes)| Body::new(ct, bytes)),
    }
}

/// What a path segment must encode: everything but RFC 3986's unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A value as one path segment. `.` and `..` alone are encoded whole, or a URL parser
/// would resolve them as dot segments.
pub fn segment(value: &str) -> String {
    if matches!(value, "." | "..") {
        return utf8_percent_encode(value, NON_ALPHANUMERIC).to_string();
    }
    utf8_percent_encode(value, SEGMENT).to_string()
}

fn query_pairs(p: &Parameter, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Array(items) if p.explode && p.style == ParamStyle::Form => {
            out.extend(items.iter().map(|i| (p.name.clone(), text(i))))
        }
        Value::Array(items) => {
            let sep = match p.style {
                ParamStyle::SpaceDelimited => " ",
                ParamStyle::PipeDelimited => "|",
                _ => ",",
            };
            out.push((
                p.name.clone(),
                items.iter().map(text).collect::<Vec<_>>().join(sep),
            ));
        }
        Value::Object(m) if p.style == ParamStyle::DeepObject => {
            out.extend(m.iter().map(|(k, x)| (format!("{}[{k}]", p.name), text(x))))
        }
        Value::Object(m) if p.explode => out.extend(m.iter().map(|(k, x)| (k.clone(), text(x)))),
        Value::Object(m) => out.push((
            p.name.clone(),
            m.iter()
                .flat_map(|(k, x)| [k.clone(), text(x)])
                .collect::<Vec<_>>()
                .join(","),
        )),
        other => out.push((p.name.clone(), text(other))),
    }
}

/// The credentials of the first security alternative whose schemes were all given (a
/// customer token for the bearer alternative goes there, not into the cookie one listed
/// first), else of the first alternative, placeholders where none was given.
pub fn credentials(api: &Api, op: &Operation, creds: &Credentials) -> Vec<Placed> {
    let given = op
        .security
        .iter()
        .find(|r| !r.schemes.is_empty() && r.schemes.iter().all(|(name, _)| creds.has(api, name)));
    let Some(req) = given.or_else(|| op.security.first()) else {
        return Vec::new();
    };
    req.schemes
        .iter()
        .filter_map(|(name, _)| creds.place(api, name, true))
        .collect()
}

/// The media type a request body is sent as: the first JSON one, else form, else the first.
pub fn body_media(op: &Operation) -> Option<&cartwright_model::MediaType> {
    let body = op.body.as_ref()?;
    body.content
        .iter()
        .find(|m| m.media_type.contains("json"))
        .or_else(|| {
            body.content
                .iter()
                .find(|m| m.media_type == "application/x-www-form-urlencoded")
        })
        .or_else(|| body.content.first())
}

/// A body value as the content type and bytes of `media_type`.
pub fn encode_body(media_type: &str, value: &Value) -> (String, Vec<u8>) {
    let ct = if media_type.contains('*') {
        "application/json".to_owned()
    } else {
        media_type.to_owned()
    };
    if ct == "application/x-www-form-urlencoded" {
        let pairs: Vec<(String, String)> = value
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), text(v)))
            .collect();
        let bytes = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish()
            .into_bytes();
        return (ct, bytes);
    }
    if ct == "multipart/form-data" {
        let mut out = String::new();
        for (k, v) in value.as_object().into_iter().flatten() {
            out.push_str(&format!(
                "--BOUNDARY\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{}\r\n",
                text(v)
            ));
        }
        out.push_str("--BOUNDARY--\r\n");
        return (
            "multipart/form-data; boundary=BOUNDARY".into(),
            out.into_bytes(),
        );
    }
    if !ct.contains("json") {
        return (ct, text(value).into_bytes());
    }
    (ct, serde_json::to_vec(value).unwrap_or_default())
}
