//! The overlay side of a recording: which node of the spec an answer's example belongs to
//! (as a JSONPath target), and the Overlay 1.0 document written and read back.

use std::path::Path;

use cartwright_http::Answer;
use cartwright_model::media::covers;
use cartwright_model::{Api, Operation, StatusKey};
use serde_json::{Map, Value, json};

use super::record::Examples;

/// The declared media type the answer's body is in, with its schema, when it is JSON.
pub(super) fn media_schema<'o>(
    op: &'o Operation,
    answer: &Answer,
) -> Option<Option<&'o cartwright_model::Schema>> {
    let media = declared_media(op, answer)?;
    Some(media.schema.as_ref())
}

fn declared_media<'o>(
    op: &'o Operation,
    answer: &Answer,
) -> Option<&'o cartwright_model::MediaType> {
    let ct = answer.media_type();
    op.response_for(answer.status)?
        .content
        .iter()
        .find(|m| covers(&m.media_type, &ct))
}

/// The overlay target of the media type that takes the answer: the operation's response
/// in the document, or the shared response it refers to (`#/components/responses/Cart`).
pub(super) fn target(api: &Api, op: &Operation, answer: &Answer) -> Option<String> {
    let response = op.response_for(answer.status)?;
    let media = declared_media(op, answer)?;
    let responses = format!("{}/responses", op.pointer);
    let key = api
        .document
        .pointer(&responses)?
        .as_object()?
        .keys()
        .find(|k| status_key(k) == Some(response.status))?
        .clone();
    let mut pointer = format!("{responses}/{}", cartwright_source::pointer::escape(&key));
    for _ in 0..8 {
        match api
            .document
            .pointer(&pointer)?
            .get("$ref")
            .and_then(Value::as_str)
        {
            Some(r) if r.starts_with("#/") => pointer = r[1..].to_owned(),
            Some(_) => return None,
            None => break,
        }
    }
    pointer.push_str("/content/");
    pointer.push_str(&cartwright_source::pointer::escape(&media.media_type));
    Some(json_path(&pointer))
}

/// A response key as the model reads it (`201`, `2XX`, `default`).
fn status_key(key: &str) -> Option<StatusKey> {
    if key == "default" {
        return Some(StatusKey::Default);
    }
    let b = key.as_bytes();
    if b.len() == 3 && b[1..].iter().all(|c| *c == b'X' || *c == b'x') && b[0].is_ascii_digit() {
        return Some(StatusKey::Range(b[0] - b'0'));
    }
    key.parse().ok().map(StatusKey::Code)
}

/// A JSON pointer as a JSONPath: names as `.name`, anything else as `['…']`.
fn json_path(pointer: &str) -> String {
    let mut out = String::from("$");
    for seg in pointer.split('/').skip(1) {
        let seg = cartwright_source::pointer::unescape(seg);
        let plain = seg
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if plain {
            out.push('.');
            out.push_str(&seg);
        } else {
            out.push_str("['");
            out.push_str(&seg.replace('\\', "\\\\").replace('\'', "\\'"));
            out.push_str("']");
        }
    }
    out
}

/// The overlay document, as YAML when it reads back the same, else as JSON (which YAML
/// 1.2 reads as it is).
pub(super) fn render(targets: &[(String, Examples)]) -> String {
    let actions: Vec<Value> = targets
        .iter()
        .map(|(target, examples)| {
            let named: Map<String, Value> = examples
                .iter()
                .map(|(n, v)| (n.clone(), json!({"value": v})))
                .collect();
            json!({"target": target, "update": {"examples": named}})
        })
        .collect();
    let doc = json!({
        "overlay": "1.0.0",
        "info": {"title": "Recorded by cartwright mock --record", "version": "1"},
        "actions": actions,
    });
    let json = || serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    match serde_saphyr::to_string(&doc) {
        Ok(yaml) if parse(&yaml).as_ref() == Some(&doc) => yaml,
        _ => json(),
    }
}

fn parse(text: &str) -> Option<Value> {
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options::<Value>(text, options).ok()
}

/// The targets and examples of a recording written before.
pub(super) fn read(file: &Path) -> Result<Vec<(String, Examples)>, String> {
    let bad = |why: &str| format!("{}: not a recording to continue: {why}", file.display());
    // Bounded and regular files only, as every file the mock reads: a recording folder is
    // the user's, but a link in it to a device or a huge file must not hang the start.
    let text = cartwright_source::Reader::new()
        .text(file)
        .map_err(|e| bad(&e.reason()))?;
    let doc = parse(&text).ok_or_else(|| bad("not YAML"))?;
    let mut out = Vec::new();
    for action in doc
        .get("actions")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no `actions` list"))?
    {
        let target = action
            .get("target")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("an action without `target`"))?;
        let examples = action
            .pointer("/update/examples")
            .and_then(Value::as_object)
            .ok_or_else(|| bad("an action without `update.examples`"))?;
        let kept = examples
            .iter()
            .map(|(n, e)| (n.clone(), e.get("value").cloned().unwrap_or(Value::Null)))
            .collect();
        out.push((target.to_owned(), kept));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_become_json_paths() {
        assert_eq!(
            json_path("/paths/~1carts~1{id}/post/responses/201/content/application~1json"),
            "$.paths['/carts/{id}'].post.responses['201'].content['application/json']"
        );
        assert_eq!(
            json_path("/components/responses/it's"),
            "$.components.responses['it\\'s']"
        );
        assert_eq!(status_key("2XX"), Some(StatusKey::Range(2)));
        assert_eq!(status_key("201"), Some(StatusKey::Code(201)));
    }
}
