//! Builds `model::Operation`s from the normalised, bundled document.

use cartwright_diag::{Diagnostic, did_you_mean};
use cartwright_model::{
    Example, Header, MediaType, Method, Operation, ParamLocation, ParamStyle, Parameter,
    RequestBody, Requirement, Response, StatusKey,
};
use serde_json::Value;

use crate::compile::Compiler;
use crate::direction::{Direction, required_in};
use cartwright_source::pointer::{deref, join};

/// What an operation is built from: its place in the document.
pub(crate) struct Site<'d> {
    /// The path template.
    pub path: &'d str,
    /// The method.
    pub method: Method,
    /// The path item (after `$ref`).
    pub item: &'d Value,
    /// Pointer to the path item.
    pub item_at: String,
    /// The operation object.
    pub op: &'d Value,
    /// Pointer to the operation.
    pub op_at: String,
}

/// Builds one operation, or the diagnostics that make it unsound.
/// Warnings (such as examples that break their schema) go to `warnings` either way.
pub(crate) fn operation(
    doc: &Value,
    c: &Compiler<'_>,
    site: &Site<'_>,
    schemes: &[String],
    warnings: &mut Vec<Diagnostic>,
) -> Result<Operation, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let parameters = parameters(doc, c, site, &mut errors);
    let body = site
        .op
        .get("requestBody")
        .and_then(|b| deref(doc, b, &join(&site.op_at, "requestBody")))
        .map(|(b, at)| RequestBody {
            required: b.get("required").and_then(Value::as_bool).unwrap_or(false),
            content: content(doc, c, b, &at, Direction::Request, &mut errors, warnings),
        });
    let responses = responses(doc, c, site, &mut errors, warnings);
    let security = security(doc, site, schemes, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Operation {
        id: site
            .op
            .get("operationId")
            .and_then(Value::as_str)
            .map_or_else(
                || format!("{} {}", site.method.as_str(), site.path),
                str::to_owned,
            ),
        method: site.method,
        path: site.path.to_owned(),
        pointer: site.op_at.clone(),
        tags: site
            .op
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        parameters,
        body,
        responses,
        security,
        behaviour: None,
        pace: None,
    })
}

/// Path-item parameters overridden by operation parameters of the same name and location.
fn parameters(
    doc: &Value,
    c: &Compiler<'_>,
    site: &Site<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Parameter> {
    let mut out: Vec<Parameter> = Vec::new();
    for (holder, at) in [(site.item, &site.item_at), (site.op, &site.op_at)] {
        for (i, p) in holder
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some((p, p_at)) = deref(doc, p, &format!("{at}/parameters/{i}")) else {
                continue;
            };
            let Some(param) = parameter(doc, c, p, &p_at, errors) else {
                continue;
            };
            out.retain(|q| !(q.name == param.name && q.location == param.location));
            out.push(param);
        }
    }
    out
}

fn parameter(
    doc: &Value,
    c: &Compiler<'_>,
    p: &Value,
    at: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<Parameter> {
    let name = p.get("name").and_then(Value::as_str)?.to_owned();
    let location = match p.get("in").and_then(Value::as_str) {
        Some("path") => ParamLocation::Path,
        Some("query") => ParamLocation::Query,
        Some("header") => ParamLocation::Header,
        Some("cookie") => ParamLocation::Cookie,
        other => {
            errors.push(
                Diagnostic::error(
                    "bad-parameter",
                    format!("parameter `{name}` has an unknown location {other:?}"),
                )
                .with_pointer(join(at, "in")),
            );
            return None;
        }
    };
    if let Some(decode) = p.get("x-cartwright-decode")
        && (decode.as_str() != Some("form") || location != ParamLocation::Path)
    {
        errors.push(
            Diagnostic::error(
                "bad-parameter",
                format!("parameter `{name}`: `x-cartwright-decode` is `form`, on a path parameter"),
            )
            .with_pointer(join(at, "x-cartwright-decode"))
            .with_help("`x-cartwright-decode: form` reads a literal `+` in the segment as a space"),
        );
    }
    let style = match p.get("style").and_then(Value::as_str) {
        Some("simple") => ParamStyle::Simple,
        Some("label") => ParamStyle::Label,
        Some("matrix") => ParamStyle::Matrix,
        Some("spaceDelimited") => ParamStyle::SpaceDelimited,
        Some("pipeDelimited") => ParamStyle::PipeDelimited,
        Some("deepObject") => ParamStyle::DeepObject,
        Some("form") => ParamStyle::Form,
        _ if matches!(location, ParamLocation::Path | ParamLocation::Header) => ParamStyle::Simple,
        _ => ParamStyle::Form,
    };
    let (schema_at, json_content) =
        match (p.get("schema"), p.get("content").and_then(Value::as_object)) {
            (Some(_), _) => (Some(join(at, "schema")), false),
            (None, Some(content)) => (
                content
                    .keys()
                    .next()
                    .map(|k| join(&join(&join(at, "content"), k), "schema")),
                true,
            ),
            (None, None) => (None, false),
        };
    let schema = schema_at
        .as_deref()
        .filter(|s| doc.pointer(s).is_some())
        .and_then(|s| {
            c.compile(s, Direction::Request)
                .map_err(|e| errors.push(e))
                .ok()
        });
    let shape = schema_at
        .as_deref()
        .and_then(|s| doc.pointer(s).and_then(|v| deref(doc, v, s)))
        .map(|(v, _)| v.clone())
        .unwrap_or(Value::Null);
    Some(Parameter {
        name,
        required: p
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(location == ParamLocation::Path),
        location,
        style,
        explode: p
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == ParamStyle::Form),
        json_content,
        schema,
        shape,
        pointer: at.to_owned(),
    })
}

/// The media types of a request body or response; `dir` says which.
fn content(
    doc: &Value,
    c: &Compiler<'_>,
    holder: &Value,
    at: &str,
    dir: Direction,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<MediaType> {
    let mut out = Vec::new();
    let content_at = join(at, "content");
    for (media_type, m) in holder
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let m_at = join(&content_at, media_type);
        let schema_at = join(&m_at, "schema");
        let schema = m
            .get("schema")
            .and_then(|_| c.compile(&schema_at, dir).map_err(|e| errors.push(e)).ok());
        let required_fields = m
            .get("schema")
            .and_then(|s| deref(doc, s, &schema_at))
            .map(|(_, at)| required_in(doc, &at, dir))
            .unwrap_or_default();
        let mut examples = examples(doc, m, &m_at);
        if let Some(schema) = &schema {
            // An example that breaks its own schema would make the mock answer out of contract.
            examples.retain(|e| {
                let ok = schema.is_valid(&e.value);
                if !ok {
                    // The first violation says where and why, so a recorded or hand-written
                    // example can be fixed without running a validator by hand.
                    let why = schema.violations(&e.value).into_iter().next().map_or_else(String::new, |v| {
                        format!(" (at `{}`: {})", if v.instance.is_empty() { "/" } else { &v.instance }, v.message)
                    });
                    warnings.push(
                        Diagnostic::warning("example-invalid", format!("example `{}` does not conform to its schema{why}; generated values are served instead", e.name))
                            .with_pointer(if e.name == "example" { join(&m_at, "example") } else { join(&join(&m_at, "examples"), &e.name) }),
                    );
                }
                ok
            });
        }
        out.push(MediaType {
            media_type: media_type.clone(),
            schema,
            examples,
            required_fields,
        });
    }
    out
}

fn examples(doc: &Value, m: &Value, at: &str) -> Vec<Example> {
    let mut out = Vec::new();
    if let Some(v) = m.get("example") {
        out.push(Example {
            name: "example".to_owned(),
            value: v.clone(),
        });
    }
    for (name, e) in m
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some((e, _)) = deref(doc, e, &join(&join(at, "examples"), name))
            && let Some(v) = e.get("value")
        {
            out.push(Example {
                name: name.clone(),
                value: v.clone(),
            });
        }
    }
    out
}

fn responses(
    doc: &Value,
    c: &Compiler<'_>,
    site: &Site<'_>,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Response> {
    let mut out = Vec::new();
    let at = join(&site.op_at, "responses");
    for (key, r) in site
        .op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let Some(status) = status_key(key) else {
            errors.push(
                Diagnostic::error(
                    "bad-status",
                    format!("`{key}` is not a status code, a range like `4XX`, or `default`"),
                )
                .with_pointer(join(&at, key)),
            );
            continue;
        };
        let Some((r, r_at)) = deref(doc, r, &join(&at, key)) else {
            continue;
        };
        let mut headers = Vec::new();
        for (name, h) in r
            .get("headers")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let Some((h, h_at)) = deref(doc, h, &join(&join(&r_at, "headers"), name)) else {
                continue;
            };
            let schema = h.get("schema").and_then(|_| {
                c.compile(&join(&h_at, "schema"), Direction::Response)
                    .map_err(|e| errors.push(e))
                    .ok()
            });
            let example = h.get("example").cloned().or_else(|| {
                h.get("schema")
                    .and_then(|s| deref(doc, s, ""))
                    .and_then(|(s, _)| s.get("example").cloned())
            });
            headers.push(Header {
                name: name.clone(),
                required: h.get("required").and_then(Value::as_bool).unwrap_or(false),
                schema,
                example,
            });
        }
        out.push(Response {
            status,
            headers,
            content: content(doc, c, r, &r_at, Direction::Response, errors, warnings),
        });
    }
    out
}

/// `200`, `2XX`/`2xx` or `default`.
pub(crate) fn status_key(key: &str) -> Option<StatusKey> {
    if key == "default" {
        return Some(StatusKey::Default);
    }
    let b = key.as_bytes();
    if b.len() == 3 && (b'1'..=b'5').contains(&b[0]) && b[1..].eq_ignore_ascii_case(b"XX") {
        return Some(StatusKey::Range(b[0] - b'0'));
    }
    key.parse::<u16>()
        .ok()
        .filter(|c| (100..600).contains(c))
        .map(StatusKey::Code)
}

fn security(
    doc: &Value,
    site: &Site<'_>,
    schemes: &[String],
    errors: &mut Vec<Diagnostic>,
) -> Vec<Requirement> {
    let (list, at) = match site.op.get("security") {
        Some(s) => (s, join(&site.op_at, "security")),
        None => (
            doc.get("security").unwrap_or(&Value::Null),
            "/security".to_owned(),
        ),
    };
    let mut out = Vec::new();
    for (i, req) in list.as_array().into_iter().flatten().enumerate() {
        let mut r = Requirement::default();
        for (name, scopes) in req.as_object().into_iter().flatten() {
            if !schemes.contains(name) {
                let mut d = Diagnostic::error(
                    "unknown-security-scheme",
                    format!(
                        "security scheme `{name}` is not declared in components.securitySchemes"
                    ),
                )
                .with_pointer(format!(
                    "{at}/{i}/{}",
                    cartwright_source::pointer::escape(name)
                ));
                if let Some(best) = did_you_mean(name, schemes.iter().map(String::as_str)) {
                    d = d.with_help(format!("did you mean `{best}`?"));
                }
                errors.push(d);
                continue;
            }
            let scopes = scopes
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            r.schemes.push((name.clone(), scopes));
        }
        out.push(r);
    }
    out
}
