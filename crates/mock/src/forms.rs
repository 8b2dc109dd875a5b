//! Form bodies read as JSON: `application/x-www-form-urlencoded` (text values coerced to
//! the types the schema gives each property) and `multipart/form-data`.

use http::StatusCode;
use serde_json::{Map, Value};

use crate::coerce::coerce;
use crate::problem::{Problem, ProblemKind};

/// An urlencoded body as an object, its values coerced by `schema`'s properties.
pub(crate) fn urlencoded(bytes: &[u8], schema: Option<&Value>) -> Value {
    let mut out = Value::Object(
        form_urlencoded::parse(bytes)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect(),
    );
    if let Some(schema) = schema {
        coerce_form(&mut out, schema);
    }
    out
}

/// Multipart bodies: the parts' names with their text (files as their file name).
pub(crate) fn multipart(content_type: &str, bytes: &[u8]) -> Result<Value, Problem> {
    let bad = |why: String| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            ProblemKind::MalformedMultipart,
            "Malformed Multipart Body",
            why,
        )
    };
    let boundary = multer::parse_boundary(content_type).map_err(|e| bad(e.to_string()))?;
    let data = bytes::Bytes::copy_from_slice(bytes);
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(data) });
    let mut mp = multer::Multipart::new(stream, boundary);
    let mut out = Map::new();
    let parsed: Result<(), multer::Error> = futures_util::FutureExt::now_or_never(async {
        while let Some(field) = mp.next_field().await? {
            let name = field.name().unwrap_or("").to_owned();
            let file = field.file_name().map(str::to_owned);
            let text = field.text().await?;
            out.insert(name, file.map_or(Value::String(text), Value::String));
        }
        Ok(())
    })
    .unwrap_or(Ok(()));
    parsed.map_err(|e| bad(e.to_string()))?;
    Ok(Value::Object(out))
}

/// Text values of a parsed form, coerced to the types of the schema's properties.
fn coerce_form(value: &mut Value, schema: &Value) {
    let (Some(obj), Some(props)) = (value.as_object_mut(), schema.get("properties")) else {
        return;
    };
    for (k, v) in obj.iter_mut() {
        if let (Value::String(s), Some(p)) = (&*v, props.get(k)) {
            *v = coerce(s, p);
        }
    }
}
