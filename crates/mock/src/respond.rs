//! Successful answers: the status, the media type by `Accept`, the body from a named
//! example, the example, or values generated from the schema, and the declared headers.

use bytes::Bytes;
use cartwright_data::{Direction, Generator, Mode};
use cartwright_model::{Api, MediaType, Operation, Response, StatusKey};
use http::StatusCode;
use serde_json::{Value, json};

use crate::cache::{BodyCache, BodyKey};
use crate::negotiate::{Prefer, response_media};
use crate::problem::{Problem, ProblemKind};
use crate::{Config, Incoming, Outgoing};

/// The answer for a valid request; bodies come from `cache` when this answer was given before.
pub(crate) fn respond(
    api: &Api,
    op: &Operation,
    req: &Incoming,
    prefer: &Prefer,
    config: &Config,
    cache: &BodyCache,
) -> Result<Outgoing, Problem> {
    let (status, response) = choose_status(op, prefer.code)?;
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let Some(response) = response else {
        return Ok(Outgoing::empty(status));
    };
    if !carries_body(status) {
        // HTTP forbids a body here whatever the spec declares; headers still apply.
        let mut out = Outgoing::empty(status);
        headers(api, response, config.seed, Some(cache), &mut out);
        return Ok(out);
    }
    let chosen = match req
        .header(http::header::ACCEPT)
        .filter(|a| !a.trim().is_empty())
    {
        // Without `Accept`, the first declared type, as `response_media` would choose it.
        None => response.content.first().map(|m| m.media_type.as_str()),
        Some(accept) => {
            let declared: Vec<&str> = response
                .content
                .iter()
                .map(|m| m.media_type.as_str())
                .collect();
            response_media(&declared, Some(accept)).map_err(|()| {
                Problem::new(
                    StatusCode::NOT_ACCEPTABLE,
                    ProblemKind::NotAcceptable,
                    "Not Acceptable",
                    format!(
                        "nothing acceptable; this response is available as: {}",
                        declared.join(", ")
                    ),
                )
                .with("available", json!(declared))
            })?
        }
    };
    let mode = if prefer.dynamic == Some(true) {
        Mode::Dynamic
    } else {
        Mode::Static
    };
    // `dynamic=true` without a seed asks for fresh data on every call (Prism's meaning):
    // a new seed each time, and nothing cached under it.
    let fresh = mode == Mode::Dynamic && prefer.seed.is_none();
    let seed = match prefer.seed {
        Some(s) => s,
        None if fresh => {
            u64::from_le_bytes(cartwright_model::random(8).try_into().unwrap_or([0; 8]))
        }
        None => config.seed,
    };
    let mut out = match chosen.and_then(|c| response.content.iter().find(|m| m.media_type == c)) {
        None => Outgoing::empty(status),
        Some(media) => {
            let key = BodyKey {
                source: &api.source,
                operation: &op.pointer,
                status: status.as_u16(),
                media: &media.media_type,
                example: prefer.example.as_deref(),
                dynamic: mode == Mode::Dynamic,
                seed,
            };
            let concrete = if media.media_type.contains('*') {
                "application/json"
            } else {
                media.media_type.as_str()
            };
            let make = || {
                body_value(api, media, prefer, status, seed, mode).map(|v| serialise(concrete, &v))
            };
            let bytes = if fresh {
                make()?
            } else {
                cache.get_or_try(key, make)?
            };
            Outgoing::new(status, concrete, bytes)
        }
    };
    // A fresh seed is never seen again: nothing is kept under it.
    headers(api, response, seed, (!fresh).then_some(cache), &mut out);
    Ok(out)
}

/// The body's value: a named example, the first example, or generated from the schema.
fn body_value(
    api: &Api,
    media: &MediaType,
    prefer: &Prefer,
    status: StatusCode,
    seed: u64,
    mode: Mode,
) -> Result<Value, Problem> {
    if let Some(name) = &prefer.example {
        let names: Vec<&str> = media.examples.iter().map(|e| e.name.as_str()).collect();
        return media
            .examples
            .iter()
            .find(|e| &e.name == name)
            .map(|e| e.value.clone())
            .ok_or_else(|| {
                Problem::new(
                    StatusCode::NOT_FOUND,
                    ProblemKind::NoExample,
                    "No Such Example",
                    format!(
                        "no example named `{name}` for {status} {}",
                        media.media_type
                    ),
                )
                .with("examples", json!(names))
            });
    }
    Ok(match (mode, media.examples.first(), &media.schema) {
        (Mode::Static, Some(e), _) => e.value.clone(),
        (_, _, Some(schema)) => conforming(api, schema, seed, mode),
        (_, Some(e), None) => e.value.clone(),
        (_, None, None) => Value::Null,
    })
}

/// `Prefer: code=N` if declared, else the lowest declared 2xx, else the first declared response.
fn choose_status(op: &Operation, code: Option<u16>) -> Result<(u16, Option<&Response>), Problem> {
    if let Some(code) = code {
        return match op.response_for(code) {
            Some(r) => Ok((code, Some(r))),
            None => Err(Problem::new(
                StatusCode::NOT_FOUND,
                ProblemKind::NoResponse,
                "No Such Response",
                format!("{} declares no response for status {code}", op.signature()),
            )
            .with(
                "declared",
                json!(
                    op.responses
                        .iter()
                        .map(|r| key_name(r.status))
                        .collect::<Vec<_>>()
                ),
            )),
        };
    }
    let success = op.responses.iter().filter_map(|r| match r.status {
        StatusKey::Code(c) if (200..300).contains(&c) => Some((c, r)),
        _ => None,
    });
    if let Some((c, r)) = success.min_by_key(|(c, _)| *c) {
        return Ok((c, Some(r)));
    }
    let fallback = op
        .responses
        .iter()
        .find(|r| r.status == StatusKey::Range(2))
        .or_else(|| op.responses.iter().find(|r| r.status == StatusKey::Default));
    match fallback.or_else(|| op.responses.first()) {
        Some(r) => Ok((r.status.status(200), Some(r))),
        None => Ok((200, None)),
    }
}

fn key_name(k: StatusKey) -> String {
    match k {
        StatusKey::Code(c) => c.to_string(),
        StatusKey::Range(d) => format!("{d}XX"),
        StatusKey::Default => "default".to_owned(),
    }
}

/// Whether a status may carry a body (not 1xx, 204 or 304).
fn carries_body(status: StatusCode) -> bool {
    !(status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED)
}

/// A generated body that conforms: if the preferred value breaks the schema (specs can make
/// optional parts unsatisfiable), the smallest value is tried before giving up.
fn conforming(api: &Api, schema: &cartwright_model::Schema, seed: u64, mode: Mode) -> Value {
    let value = generate(api, &schema.pointer, seed, mode);
    if schema.is_valid(&value) {
        return value;
    }
    let minimal = generate(api, &schema.pointer, seed, Mode::Minimal);
    if schema.is_valid(&minimal) {
        return minimal;
    }
    tracing::warn!(
        "no value conforming to {}#{} could be generated",
        api.source,
        schema.pointer
    );
    value
}

/// A value generated for the schema at `pointer`.
pub(crate) fn generate(api: &Api, pointer: &str, seed: u64, mode: Mode) -> Value {
    Generator::new(&api.document, seed, mode)
        .value(&json!({"$ref": format!("#{pointer}")}), Direction::Response)
}

/// Serialises a value for a media type: text as-is for non-JSON types, JSON otherwise.
fn serialise(media_type: &str, value: &Value) -> Bytes {
    match value {
        Value::String(s) if !media_type.contains("json") => Bytes::from(s.clone()),
        _ => Bytes::from(serde_json::to_vec(value).unwrap_or_default()),
    }
}

/// Every declared header, from its example or generated from its schema. A generated value
/// depends only on the schema and the seed, so it is kept in `cache` beside the bodies
/// (under status 0, which no answer has), when one is given.
fn headers(
    api: &Api,
    response: &Response,
    seed: u64,
    cache: Option<&BodyCache>,
    out: &mut Outgoing,
) {
    let text = |value: Value| match value {
        Value::String(s) => s,
        other => other.to_string(),
    };
    for h in &response.headers {
        if h.name.eq_ignore_ascii_case("content-type") {
            continue;
        }
        let value = match (&h.example, &h.schema) {
            (Some(e), _) => text(e.clone()),
            (None, Some(s)) => {
                let key = BodyKey {
                    source: &api.source,
                    operation: &s.pointer,
                    status: 0,
                    media: "",
                    example: None,
                    dynamic: false,
                    seed,
                };
                let make = || text(generate(api, &s.pointer, seed, Mode::Static));
                match cache {
                    Some(cache) => {
                        let Ok(made) =
                            cache.get_or_try::<std::convert::Infallible>(key, || Ok(make().into()));
                        String::from_utf8_lossy(&made).into_owned()
                    }
                    None => make(),
                }
            }
            (None, None) => "x".to_owned(),
        };
        out.set(&h.name, &value);
    }
}
