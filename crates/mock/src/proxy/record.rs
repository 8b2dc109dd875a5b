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
use cartwright_model::{Api, Operation};
use serde_json::Value;

use crate::{Incoming, Mock};

/// The file a recording is written to, inside the `--record` folder.
pub const RECORDING: &str = "recorded.overlay.yaml";

/// The most examples kept for one operation, status and media type: past it, new bodies
/// are not recorded (a listing polled in a loop should not grow the spec without end).
const MAX_EXAMPLES: usize = 50;

/// The largest recording read back to be continued.
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// The examples of one overlay target, by name, in the order they were first seen.
pub(super) type Examples = Vec<(String, Value)>;

/// Examples recorded so far, by overlay target, in the order they were first seen.
pub struct Recorder {
    file: PathBuf,
    targets: Mutex<Vec<(String, Examples)>>,
    writing: Mutex<()>,
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
            Ok(_) => super::overlay::read(&file)?,
            Err(_) => Vec::new(),
        };
        Ok(Recorder {
            file,
            targets: Mutex::new(targets),
            writing: Mutex::new(()),
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

    /// Writes the whole recording atomically. One write at a time, each rendering the
    /// latest examples: two answers recorded at once never rename a half-written file, and
    /// the last write holds both.
    fn write(&self) -> std::io::Result<()> {
        let _one = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        let text = {
            let targets = self.targets.lock().unwrap_or_else(|p| p.into_inner());
            super::overlay::render(&targets)
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
    let (Some(target), Some(schema)) = (
        super::overlay::target(api, op, answer),
        super::overlay::media_schema(op, answer),
    ) else {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
