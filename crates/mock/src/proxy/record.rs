//! `--record DIR`: answers that keep the contract become named examples in an OpenAPI
//! Overlay, `DIR/recorded.overlay.yaml`, one action per operation, status and media type
//! (`$.paths['/carts'].post.responses['201'].content['application/json']` updated with
//! `examples: {recorded-1: {value: …}}`). Names are given in the order answers are first
//! seen and the same body is kept once. The file is rewritten atomically (a temporary file
//! in the same folder, then a rename) each time an example is added, so a crash never leaves
//! half a file; a recording already in `DIR` is continued, not overwritten.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cartwright_http::{Answer, Judgement};
use cartwright_model::media::covers;
use cartwright_model::{Api, Operation, StatusKey};
use serde_json::{Map, Value, json};

use crate::{Incoming, Mock};

/// The file a recording is written to, inside the `--record` folder.
pub const RECORDING: &str = "recorded.overlay.yaml";

/// The most examples kept for one operation, status and media type: past it, new bodies
/// are not recorded (a listing polled in a loop should not grow the spec without end).
const MAX_EXAMPLES: usize = 50;

/// The largest recording read back to be continued.
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// The examples of one overlay target, by name, in the order they were first seen.
type Examples = Vec<(String, Value)>;

/// Examples recorded so far, by overlay target, in the order they were first seen.
pub struct Recorder {
    file: PathBuf,
    targets: Mutex<Vec<(String, Examples)>>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

impl Recorder {
    /// A recorder writing to `dir/recorded.overlay.yaml`; the folder is made when missing,
    /// and a recording already there is read so that new examples add to it.
    pub fn open(dir: &Path) -> Result<Recorder, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot make the folder {}: {e}", dir.display()))?;
        let file = dir.join(RECORDING);
        let targets = match std::fs::metadata(&file) {
            Ok(m) if !m.is_file() => return Err(format!("{} is not a file", file.display())),
            Ok(m) if m.len() > MAX_FILE => {
                return Err(format!("{} is over {MAX_FILE} bytes", file.display()));
            }
            Ok(_) => read(&file)?,
            Err(_) => Vec::new(),
        };
        Ok(Recorder {
            file,
            targets: Mutex::new(targets),
        })
    }

    /// The overlay file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Adds `value` under `target`: its name, and whether it is new (`None`: full).
    fn add(&self, target: String, value: Value) -> Option<(String, bool)> {
        let mut targets = self.targets.lock().unwrap_or_else(|p| p.into_inner());
        let at = match targets.iter().position(|(t, _)| *t == target) {
            Some(i) => i,
            None => {
                targets.push((target, Vec::new()));
                targets.len() - 1
            }
        };
        let examples = &mut targets[at].1;
        if let Some((name, _)) = examples.iter().find(|(_, v)| *v == value) {
            return Some((name.clone(), false));
        }
        if examples.len() >= MAX_EXAMPLES {
            return None;
        }
        let name = (examples.len() + 1..)
            .map(|n| format!("recorded-{n}"))
            .find(|n| !examples.iter().any(|(e, _)| e == n))
            .unwrap_or_default();
        examples.push((name.clone(), value));
        Some((name, true))
    }

    /// Writes the whole recording atomically.
    fn write(&self) -> std::io::Result<()> {
        let text = {
            let targets = self.targets.lock().unwrap_or_else(|p| p.into_inner());
            render(&targets)
        };
        let tmp = self.file.with_extension("yaml.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, &self.file)
    }
}

/// Records the answer to `req` when it keeps the contract: `Ok(Some(name))` once recorded,
/// `Err(why)` when it is not (the reason goes to the journal and the log).
pub(super) async fn keep(
    recorder: &Arc<Recorder>,
    mock: &Mock,
    api: &Api,
    op: &Operation,
    req: &Incoming,
    answer: &Answer,
    judged: &Judgement,
) -> Result<Option<String>, String> {
    let what = format!("{} {}", op.signature(), answer.status);
    let refuse = |why: String| {
        tracing::warn!("not recorded: {what}: {why}");
        Err(why)
    };
    if !judged.conforms() {
        let first = judged
            .findings
            .first()
            .map(super::check::finding)
            .unwrap_or_default();
        return refuse(format!("the answer breaks the contract ({first})"));
    }
    if answer.body.is_empty() {
        return Ok(None);
    }
    let (Some(target), Some(schema)) = (target(api, op, answer), media_schema(op, answer)) else {
        return refuse("no declared JSON media type takes the answer's body".to_owned());
    };
    let Some(mut value) = answer.json.clone() else {
        return refuse("only JSON bodies are recorded".to_owned());
    };
    let secrets = super::redact::secrets(mock.config(), Some(api), req, Some(answer));
    let hidden = super::redact::redact(&mut value, &secrets);
    if hidden > 0
        && let Some(schema) = schema
        && !schema.is_valid(&value)
    {
        return refuse(format!(
            "{hidden} secret value(s) redacted, and the placeholder breaks the schema"
        ));
    }
    let Some((name, new)) = recorder.add(target, value) else {
        return refuse(format!("{MAX_EXAMPLES} examples are kept already"));
    };
    if new {
        let writer = recorder.clone();
        let written = tokio::task::spawn_blocking(move || writer.write()).await;
        if let Err(e) = written
            .map_err(|e| e.to_string())
            .and_then(|r| r.map_err(|e| e.to_string()))
        {
            return refuse(format!("cannot write {}: {e}", recorder.file.display()));
        }
        tracing::info!("recorded {what} as {name} in {}", recorder.file.display());
    }
    Ok(Some(name))
}

/// The declared media type the answer's body is in, with its schema, when it is JSON.
fn media_schema<'o>(
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
fn target(api: &Api, op: &Operation, answer: &Answer) -> Option<String> {
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
fn render(targets: &[(String, Examples)]) -> String {
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
fn read(file: &Path) -> Result<Vec<(String, Examples)>, String> {
    let bad = |why: &str| format!("{}: not a recording to continue: {why}", file.display());
    let text = std::fs::read_to_string(file).map_err(|e| bad(&e.to_string()))?;
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

    #[test]
    fn examples_are_named_in_order_kept_once_and_read_back() {
        let dir = std::env::temp_dir().join(format!("cartwright-record-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let r = Recorder::open(&dir).expect("opens");
        let tricky =
            json!({"a": "yes", "b": "1.0", "c": "null", "d": "", "e": "#x: - y", "f": 1.5});
        assert_eq!(
            r.add("$.x".into(), tricky.clone()),
            Some(("recorded-1".into(), true))
        );
        assert_eq!(
            r.add("$.x".into(), json!({"a": 2})),
            Some(("recorded-2".into(), true))
        );
        assert_eq!(
            r.add("$.x".into(), tricky.clone()),
            Some(("recorded-1".into(), false))
        );
        r.write().expect("written");
        let again = Recorder::open(&dir).expect("reopens");
        assert_eq!(
            again.add("$.x".into(), tricky),
            Some(("recorded-1".into(), false))
        );
        assert_eq!(
            again.add("$.x".into(), json!(3)),
            Some(("recorded-3".into(), true))
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
