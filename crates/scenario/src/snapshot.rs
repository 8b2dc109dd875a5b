//! Snapshot assertions, in insta's manner: the normalised answer (status, chosen headers,
//! JSON body with sorted keys) is compared with a committed `.snap` file; a new or changed
//! answer is written beside it as `.snap.new` for review, never over it, and on CI nothing
//! is written at all.
//!
//! Redacted values (by JSONPath, and every secret capture) become a placeholder naming the
//! value's type, so the snapshot still asserts that the field exists and what it is.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use serde_json_path::JsonPath;
use similar::TextDiff;

use crate::answer::Answer;

/// How snapshot files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write `.snap.new` for a new or changed answer, and fail.
    Review,
    /// Accept: write `.snap` and pass.
    Update,
    /// Write nothing (CI); a missing or different snapshot fails.
    Locked,
}

/// The result of comparing one snapshot.
#[derive(Debug, Clone, PartialEq)]
pub enum Compared {
    /// Same as the committed file.
    Same,
    /// Written as accepted (`--update-snapshots`).
    Written,
    /// No committed file; the text it would have.
    Missing(String),
    /// Different: a unified diff, committed → new.
    Differs(String),
}

/// The normalised text of an answer.
pub fn normalise(a: &Answer, headers: &[String], redact: &[String], secrets: &[String]) -> String {
    let mut out = Map::new();
    out.insert("status".into(), Value::from(a.status));
    let mut hs = Map::new();
    for h in headers {
        if let Some(v) = a.header(h) {
            hs.insert(h.to_ascii_lowercase(), Value::from(v));
        }
    }
    if !hs.is_empty() {
        out.insert("headers".into(), Value::Object(hs));
    }
    let mut body = a
        .json
        .clone()
        .unwrap_or_else(|| Value::from(a.text().into_owned()));
    for path in redact {
        if let Ok(p) = JsonPath::parse(path) {
            let at: Vec<String> = p
                .query_located(&body)
                .locations()
                .map(|l| l.to_json_pointer())
                .collect();
            for ptr in at {
                if let Some(v) = body.pointer_mut(&ptr) {
                    *v = placeholder(v, "redacted");
                }
            }
        }
    }
    hide_secrets(&mut body, secrets);
    out.insert("body".into(), sorted(body));
    serde_json::to_string_pretty(&Value::Object(out)).unwrap_or_default() + "\n"
}

fn placeholder(v: &Value, why: &str) -> Value {
    let kind = match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    Value::from(format!("[{why} {kind}]"))
}

fn hide_secrets(v: &mut Value, secrets: &[String]) {
    match v {
        Value::String(s) if secrets.iter().any(|x| x == s) => *v = placeholder(v, "secret"),
        Value::Array(a) => a.iter_mut().for_each(|x| hide_secrets(x, secrets)),
        Value::Object(m) => m.values_mut().for_each(|x| hide_secrets(x, secrets)),
        _ => {}
    }
}

fn sorted(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut pairs: Vec<(String, Value)> = m.into_iter().collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(pairs.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// A snapshot file: its place and the header lines that say where it comes from.
pub struct File {
    /// `snapshots/<api>/<scenario>__<name>.snap`.
    pub path: PathBuf,
    /// `source` and `step` of the header.
    pub source: String,
    /// What was sent (`GET /selection`).
    pub expression: String,
}

impl File {
    /// The full file text for a normalised answer.
    pub fn text(&self, body: &str) -> String {
        format!(
            "---\nsource: {}\nexpression: {}\n---\n{body}",
            self.source, self.expression
        )
    }

    /// Compares (and writes, as the mode says).
    pub fn compare(&self, body: &str, mode: Mode) -> std::io::Result<Compared> {
        let new_path = pending(&self.path);
        let committed = match std::fs::read_to_string(&self.path) {
            Ok(t) => Some(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        let old = committed.as_deref().map(content);
        if old == Some(body) {
            if mode != Mode::Locked && new_path.exists() {
                std::fs::remove_file(&new_path)?;
            }
            return Ok(Compared::Same);
        }
        let text = self.text(body);
        match mode {
            Mode::Update => {
                write(&self.path, &text)?;
                if new_path.exists() {
                    std::fs::remove_file(&new_path)?;
                }
                return Ok(Compared::Written);
            }
            Mode::Review => write(&new_path, &text)?,
            Mode::Locked => {}
        }
        Ok(match old {
            None => Compared::Missing(body.to_owned()),
            Some(old) => Compared::Differs(diff(old, body)),
        })
    }
}

/// The body of a snapshot file, below its header.
pub fn content(text: &str) -> &str {
    text.strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map_or(text, |(_, body)| body)
}

/// The `.snap.new` path beside a `.snap`.
pub fn pending(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".new");
    PathBuf::from(p)
}

/// A unified diff, old → new.
pub fn diff(old: &str, new: &str) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header("committed", "new")
        .to_string()
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

/// Every pending `.snap.new` under a folder.
pub fn pending_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(pending_under(&p));
        } else if p.to_string_lossy().ends_with(".snap.new") {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(token: &str, total: i64) -> Answer {
        let json = json!({"z": 1, "token": token, "items": [{"b": 2, "a": 1, "created_at": "2026-01-01"}], "total": total});
        Answer {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: json.to_string().into(),
            json: Some(json),
            ..Answer::default()
        }
    }

    #[test]
    fn normalising_sorts_keys_and_redacts_with_typed_placeholders() {
        let text = normalise(
            &answer("s3cr3t", 5),
            &["content-type".into()],
            &["$..created_at".into()],
            &["s3cr3t".into()],
        );
        assert!(text.contains("\"token\": \"[secret string]\""), "{text}");
        assert!(
            text.contains("\"created_at\": \"[redacted string]\""),
            "{text}"
        );
        assert!(!text.contains("s3cr3t"));
        let a = text.find("\"a\"").expect("a");
        let b = text.find("\"b\"").expect("b");
        assert!(a < b, "keys sorted");
    }

    #[test]
    fn missing_then_accepted_then_changed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = File {
            path: dir.path().join("api/flow__cart.snap"),
            source: "scenarios/api/flow.yaml".into(),
            expression: "GET /cart".into(),
        };
        let one = normalise(&answer("t", 5), &[], &[], &[]);
        assert!(matches!(
            file.compare(&one, Mode::Locked).expect("io"),
            Compared::Missing(_)
        ));
        assert!(!pending(&file.path).exists(), "nothing written when locked");
        assert!(matches!(
            file.compare(&one, Mode::Review).expect("io"),
            Compared::Missing(_)
        ));
        assert!(pending(&file.path).exists(), "pending written for review");
        assert_eq!(
            file.compare(&one, Mode::Update).expect("io"),
            Compared::Written
        );
        assert!(!pending(&file.path).exists());
        assert_eq!(
            file.compare(&one, Mode::Locked).expect("io"),
            Compared::Same
        );
        let two = normalise(&answer("t", 6), &[], &[], &[]);
        match file.compare(&two, Mode::Review).expect("io") {
            Compared::Differs(d) => assert!(
                d.contains("-    \"total\": 5") && d.contains("+    \"total\": 6"),
                "{d}"
            ),
            other => panic!("expected a diff, got {other:?}"),
        }
        assert_eq!(pending_under(dir.path()).len(), 1);
    }
}
