//! The response-contract judgement: each kind of finding, its message and pointer, and
//! which aspects are judged.

use std::time::Duration;

use cartwright_http::{Answer, Aspect, Kind, judge};
use cartwright_model::{Header, MediaType, Method, Operation, Response, Schema, StatusKey};
use serde_json::json;

fn schema(pointer: &str, s: serde_json::Value) -> Schema {
    Schema::new(
        pointer.into(),
        jsonschema::validator_for(&s).expect("schema"),
    )
}

fn op() -> Operation {
    let media = |t: &str, s: Option<Schema>| MediaType {
        media_type: t.into(),
        schema: s,
        examples: Vec::new(),
        required_fields: Vec::new(),
    };
    let body =
        json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}});
    Operation {
        id: "getOrder".into(),
        method: Method::Get,
        path: "/orders/{id}".into(),
        pointer: "/paths/~1orders~1{id}/get".into(),
        tags: Vec::new(),
        parameters: Vec::new(),
        body: None,
        responses: vec![
            Response {
                status: StatusKey::Code(200),
                headers: vec![
                    Header {
                        name: "X-Request-Id".into(),
                        required: true,
                        schema: None,
                        example: None,
                    },
                    Header {
                        name: "X-Count".into(),
                        required: false,
                        schema: Some(schema("/h", json!({"type": "integer"}))),
                        example: None,
                    },
                ],
                content: vec![
                    media("application/json", Some(schema("/s", body))),
                    media("text/*", None),
                ],
            },
            Response {
                status: StatusKey::Code(204),
                headers: Vec::new(),
                content: Vec::new(),
            },
        ],
        security: Vec::new(),
        behaviour: None,
        pace: None,
    }
}

fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Answer {
    let hs = headers
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Answer::new(status, hs, body.as_bytes().to_vec(), Duration::ZERO)
}

const JSON: (&str, &str) = ("content-type", "application/json; charset=utf-8");
const ID: (&str, &str) = ("x-request-id", "r-1");

#[test]
fn a_conforming_answer_has_no_findings_and_every_aspect_judged() {
    let j = judge(
        &op(),
        &answer(200, &[JSON, ID, ("x-count", "3")], r#"{"id": 7}"#),
    );
    assert!(j.conforms(), "{j:?}");
    assert_eq!(
        j.judged,
        [
            Aspect::Status,
            Aspect::Headers,
            Aspect::ContentType,
            Aspect::Schema
        ]
    );
}

#[test]
fn an_undeclared_status_stops_the_judgement() {
    let j = judge(&op(), &answer(500, &[JSON], "{}"));
    assert_eq!(j.judged, [Aspect::Status]);
    assert_eq!(j.findings.len(), 1);
    assert_eq!(j.findings[0].kind, Kind::UndeclaredStatus);
    assert_eq!(
        j.findings[0].message,
        "status 500 is not declared by GET /orders/{id} (getOrder)"
    );
}

#[test]
fn headers_missing_or_not_fitting() {
    let j = judge(&op(), &answer(200, &[("x-count", "many")], ""));
    let kinds: Vec<&Kind> = j.findings.iter().map(|f| &f.kind).collect();
    assert_eq!(
        kinds,
        [
            &Kind::MissingHeader("X-Request-Id".into()),
            &Kind::HeaderMismatch("X-Count".into())
        ]
    );
    assert_eq!(j.of(Aspect::Headers).count(), 2);
    assert_eq!(
        j.findings[0].message,
        "required header `X-Request-Id` is missing"
    );
    // No body: content type and schema are not judged.
    assert_eq!(j.judged, [Aspect::Status, Aspect::Headers]);
}

#[test]
fn a_body_where_none_is_declared() {
    let j = judge(&op(), &answer(204, &[JSON], "{}"));
    assert_eq!(j.findings[0].kind, Kind::UndeclaredBody);
    assert_eq!(j.findings[0].kind.aspect(), None);
    assert_eq!(
        j.findings[0].message,
        "status 204 declares no body, but one came"
    );
}

#[test]
fn content_types_are_matched_against_declared_ranges() {
    let j = judge(
        &op(),
        &answer(200, &[ID, ("content-type", "text/html")], "<p>"),
    );
    assert!(j.conforms(), "text/* covers text/html: {j:?}");
    assert_eq!(
        j.judged,
        [Aspect::Status, Aspect::Headers, Aspect::ContentType]
    );
    let j = judge(
        &op(),
        &answer(200, &[ID, ("content-type", "image/png")], "x"),
    );
    assert_eq!(j.findings[0].kind, Kind::UndeclaredContentType);
    assert_eq!(
        j.findings[0].message,
        "content type `image/png` is not declared (declared: application/json, text/*)"
    );
}

#[test]
fn schema_violations_carry_the_pointer_and_the_keyword() {
    let j = judge(&op(), &answer(200, &[JSON, ID], r#"{"id": "seven"}"#));
    assert_eq!(j.findings.len(), 1, "{j:?}");
    let f = &j.findings[0];
    assert_eq!(f.pointer.as_deref(), Some("/id"));
    let Kind::SchemaViolation { schema, .. } = &f.kind else {
        panic!("{f:?}");
    };
    assert!(schema.ends_with("/type"), "{schema}");
    assert!(f.message.starts_with("body at `/id`: "), "{}", f.message);
    let j = judge(&op(), &answer(200, &[JSON, ID], "{}"));
    assert_eq!(j.findings[0].pointer.as_deref(), Some("/id"));
    assert_eq!(j.of(Aspect::Schema).count(), 1);
}

#[test]
fn a_json_content_type_needs_a_json_body() {
    let j = judge(&op(), &answer(200, &[JSON, ID], "{not json"));
    assert_eq!(j.findings[0].kind, Kind::NotJson);
    assert_eq!(j.findings[0].kind.aspect(), Some(Aspect::Schema));
}

#[test]
fn a_json_content_type_needs_a_json_body_even_without_a_schema() {
    let mut op = op();
    op.responses[0].content[0].schema = None;
    let j = judge(&op, &answer(200, &[JSON, ID], "hello"));
    assert_eq!(j.findings.len(), 1, "{j:?}");
    assert_eq!(j.findings[0].kind, Kind::NotJson);
    let j = judge(&op, &answer(200, &[JSON, ID], r#"{"any": "thing"}"#));
    assert!(j.conforms(), "{j:?}");
    assert!(j.judged.contains(&Aspect::Schema));
}

#[test]
fn json_lines_are_not_one_json_document() {
    let mut op = op();
    op.responses[0].content[0].media_type = "application/x-ndjson".into();
    let ndjson = ("content-type", "application/x-ndjson");
    let j = judge(
        &op,
        &answer(200, &[ndjson, ID], "{\"id\": 1}\n{\"id\": 2}\n"),
    );
    assert!(j.conforms(), "{j:?}");
    assert!(!j.judged.contains(&Aspect::Schema));
}
