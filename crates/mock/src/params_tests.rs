//! Parameters read by style and location, and validated.

use super::*;
use serde_json::json;

/// The parameter's value as validation reads it; `None` when absent.
fn extract(p: &Parameter, raw: &Raw<'_>) -> Option<Result<Value, String>> {
    match p.location {
        ParamLocation::Query => query_value(p, raw),
        _ => text(p, raw).map(|t| t.and_then(|t| from_text(p, &t))),
    }
}

fn param(style: ParamStyle, explode: bool, shape: Value) -> Parameter {
    Parameter {
        name: "id".into(),
        location: ParamLocation::Query,
        required: false,
        style,
        explode,
        json_content: false,
        schema: None,
        shape,
        pointer: String::new(),
    }
}

/// A header parameter: one line as it is, repeated lines as one comma-separated value
/// (an array schema splits it again), absent as absent, and bytes that are not UTF-8
/// as an error that says where.
#[test]
fn header_parameters_read_one_or_repeated_lines() {
    let header = |shape: Value| Parameter {
        name: "X-Ids".into(),
        location: ParamLocation::Header,
        style: ParamStyle::Simple,
        ..param(ParamStyle::Simple, false, shape)
    };
    let read = |p: &Parameter, lines: &[&[u8]]| {
        let mut req = Incoming::new(http::Method::GET, "/");
        for line in lines {
            req.headers.append(
                "x-ids",
                http::HeaderValue::from_bytes(line).expect("a header value"),
            );
        }
        extract(p, &Raw::new(&req, &[]))
    };
    let text = header(json!({"type": "string"}));
    assert_eq!(read(&text, &[b"7"]), Some(Ok(json!("7"))));
    assert_eq!(read(&text, &[b"7", b"8"]), Some(Ok(json!("7,8"))));
    assert_eq!(read(&text, &[]), None);
    let ints = header(json!({"type": "array", "items": {"type": "integer"}}));
    assert_eq!(read(&ints, &[b"7", b"8,9"]), Some(Ok(json!([7, 8, 9]))));
    assert_eq!(
        read(&text, &[b"ok", b"caf\xe9"]),
        Some(Err(
            "the `X-Ids` header is not UTF-8 text (invalid byte at 3)".to_owned()
        ))
    );
}

#[test]
fn styles_parse_arrays_and_objects() {
    let ints = json!({"type": "array", "items": {"type": "integer"}});
    assert_eq!(
        shape(&param(ParamStyle::Form, false, ints.clone()), "3,4"),
        json!([3, 4])
    );
    assert_eq!(
        shape(
            &param(ParamStyle::PipeDelimited, false, ints.clone()),
            "3|4"
        ),
        json!([3, 4])
    );
    assert_eq!(
        shape(
            &param(ParamStyle::SpaceDelimited, false, ints.clone()),
            "3 4"
        ),
        json!([3, 4])
    );
    assert_eq!(
        shape(&param(ParamStyle::Label, true, ints.clone()), ".3.4"),
        json!([3, 4])
    );
    assert_eq!(
        shape(&param(ParamStyle::Matrix, true, ints), ";id=3;id=4"),
        json!([3, 4])
    );
    let obj = json!({"type": "object", "properties": {"R": {"type": "integer"}}});
    assert_eq!(
        shape(
            &param(ParamStyle::Simple, false, obj.clone()),
            "R,100,G,200"
        ),
        json!({"R": 100, "G": "200"})
    );
    assert_eq!(
        shape(&param(ParamStyle::Simple, true, obj), "R=100,G=200"),
        json!({"R": 100, "G": "200"})
    );
}
