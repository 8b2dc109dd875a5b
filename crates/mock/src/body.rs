//! Request bodies: chosen by `Content-Type`, parsed (JSON, form, multipart, text) under a
//! nesting limit, and validated against the schema compiled at load.

use cartwright_model::{MediaType, Operation, StatusKey};
use http::StatusCode;
use serde_json::Value;

use crate::forms;
use crate::negotiate::{bare, essence, is_json, request_media};
use crate::parsed::Parsed;
use crate::problem::{Issue, Problem, ProblemKind};
use crate::{Config, Incoming};

/// Checks the body, pushing violations to `issues`; a body that cannot be read at all is a
/// `Problem`. Returns the body's value, so what follows does not parse it again: parsed, or
/// (JSON the schema's quick check found valid) left to parse if something asks for it.
pub(crate) fn validate<'r>(
    op: &Operation,
    req: &'r Incoming,
    config: &Config,
    issues: &mut Vec<Issue>,
    spec: &str,
    doc: &Value,
) -> Result<Parsed<'r>, Problem> {
    // Nothing parsed: no body, none declared, or a media type not looked into.
    let none = || Ok(Parsed::now(None));
    let Some(body) = &op.body else {
        return none();
    };
    if req.body.is_empty() {
        if body.required {
            issues.push(Issue {
                pointer: "/body".into(),
                schema: Some(format!("{spec}#{}/requestBody", op.pointer)),
                message: "the request body is required".into(),
            });
        }
        return none();
    }
    if body.content.is_empty() {
        return none();
    }
    let content_type = req
        .header(http::header::CONTENT_TYPE)
        .unwrap_or("application/octet-stream");
    let declared = body.content.iter().map(|m| m.media_type.as_str());
    let Some(chosen) = request_media(declared.clone(), content_type) else {
        let accepted: Vec<&str> = declared.collect();
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ProblemKind::UnsupportedMediaType,
            "Unsupported Media Type",
            format!(
                "`{}` is not accepted here; send one of: {}",
                essence(content_type),
                accepted.join(", ")
            ),
        )
        .with("accepted", serde_json::json!(accepted)));
    };
    let Some(media) = body.content.iter().find(|m| m.media_type == chosen) else {
        return none();
    };
    if let Some(schema) = &media.schema
        && is_json(content_type)
        && schema.accepts_text(&req.body, config.depth_limit)
    {
        return Ok(Parsed::later(&req.body));
    }
    let parsed = parse(media, content_type, &req.body, config, doc);
    let Some(value) = parsed.map_err(|p| unreadable(op, p))? else {
        return none();
    };
    if let Some(schema) = &media.schema {
        // Most bodies are valid: the quick yes/no first, the located violations only for
        // a body that has some.
        let violations = if schema.is_valid(&value) {
            Vec::new()
        } else {
            schema.violations(&value)
        };
        for v in violations {
            issues.push(Issue {
                pointer: format!("/body{}", v.instance),
                schema: Some(format!("{spec}#{}", v.schema)),
                message: v.message,
            });
        }
    } else {
        for field in &media.required_fields {
            if value.get(field).is_none() {
                issues.push(Issue {
                    pointer: format!("/body/{field}"),
                    schema: None,
                    message: format!("required part `{field}` is missing"),
                });
            }
        }
    }
    Ok(Parsed::now(Some(value)))
}

/// A body that does not parse is a bad request as a schema violation is, so it gets the
/// status the operation declares for one: its 400, else its 422 (an API that documents
/// only 422 for a bad request gets no undocumented 400), else 400.
fn unreadable(op: &Operation, mut problem: Problem) -> Problem {
    let declares = |code| {
        op.responses
            .iter()
            .any(|r| r.status == StatusKey::Code(code))
    };
    if problem.status == StatusCode::BAD_REQUEST && !declares(400) && declares(422) {
        problem.status = StatusCode::UNPROCESSABLE_ENTITY;
    }
    problem
}

/// The body as JSON, or `None` for media types cartwright does not look into.
fn parse(
    media: &MediaType,
    content_type: &str,
    bytes: &[u8],
    config: &Config,
    doc: &Value,
) -> Result<Option<Value>, Problem> {
    let ct = bare(content_type);
    let is = |t: &str| ct.eq_ignore_ascii_case(t);
    if is_json(ct) {
        return json(bytes, config.depth_limit).map(Some);
    }
    if is("application/x-www-form-urlencoded") {
        let schema = media.schema.as_ref().and_then(|s| doc.pointer(&s.pointer));
        return Ok(Some(forms::urlencoded(bytes, schema)));
    }
    if is("multipart/form-data") {
        return forms::multipart(content_type, bytes).map(Some);
    }
    if ct.len() >= 5 && ct.as_bytes()[..5].eq_ignore_ascii_case(b"text/") {
        return Ok(Some(Value::String(
            String::from_utf8_lossy(bytes).into_owned(),
        )));
    }
    Ok(None)
}

/// Parses JSON after a cheap scan that refuses nesting deeper than `limit`.
pub(crate) fn json(bytes: &[u8], limit: usize) -> Result<Value, Problem> {
    if let Some(at) = too_deep(bytes, limit) {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            ProblemKind::TooDeep,
            "Body Too Deeply Nested",
            format!("JSON nesting exceeds {limit} levels at byte {at}"),
        ));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        let at = byte_offset(bytes, e.line(), e.column());
        Problem::new(
            StatusCode::BAD_REQUEST,
            ProblemKind::MalformedJson,
            "Malformed JSON",
            format!(
                "invalid JSON at byte {at} (line {}, column {}): {e}",
                e.line(),
                e.column()
            ),
        )
        .with("position", serde_json::json!(at))
    })
}

/// The byte offset of the first place nesting exceeds `limit`, ignoring brackets in strings.
fn too_deep(bytes: &[u8], limit: usize) -> Option<usize> {
    // Each level opens with a bracket: a body no longer than the limit cannot exceed it,
    // and most bodies (a cart line, a login) are that short.
    if bytes.len() <= limit {
        return None;
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// serde_json reports line and column (1-based, column in bytes); clients want a byte offset.
fn byte_offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (n, l) in bytes.split(|b| *b == b'\n').enumerate() {
        if n + 1 == line {
            return offset + column.saturating_sub(1);
        }
        offset += l.len() + 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_limit_ignores_brackets_in_strings() {
        assert_eq!(too_deep(b"[[[", 2), Some(2));
        assert_eq!(too_deep(br#"["[[[[[["]"#, 2), None);
        assert_eq!(too_deep(br#"{"a":"\"[[["}"#, 1), None);
    }

    /// A body no longer than the limit is not scanned; one just longer still is, at every
    /// depth the limit allows and one beyond.
    #[test]
    fn depth_limit_at_its_edge() {
        assert_eq!(too_deep(b"[[", 2), None);
        assert_eq!(too_deep(b"[[]]", 2), None);
        assert_eq!(too_deep(b"[[[]]]", 3), None);
        assert_eq!(too_deep(b"[[[]]]", 2), Some(2));
        assert_eq!(too_deep(b"[", 0), Some(0));
        for limit in 0..8 {
            let at_limit = format!("{}{}", "[".repeat(limit), "]".repeat(limit));
            assert_eq!(too_deep(at_limit.as_bytes(), limit), None, "{at_limit}");
            let beyond = format!("{}{}", "[".repeat(limit + 1), "]".repeat(limit + 1));
            assert_eq!(too_deep(beyond.as_bytes(), limit), Some(limit), "{beyond}");
        }
    }

    #[test]
    fn malformed_json_reports_byte_position() {
        let p = json(b"{\"a\": 1,\n \"b\": }", 64).expect_err("malformed");
        assert_eq!(p.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            p.extra["position"], 15,
            "the byte offset of the unexpected closing brace"
        );
    }
}
