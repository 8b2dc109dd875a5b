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

/// Whether a snapshot name is a plain name (letters, digits, `_`, `-`, `.`, not starting
/// with `.`): it becomes part of a file name, so a `/` or `..` would write elsewhere.
pub fn plain_name(name: &str) -> Result<(), String> {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if plain {
        Ok(())
    } else {
        Err(format!(
            "snapshot name `{name}` is not a plain name (letters, digits, `_`, `-`, `.`; no `/` or leading `.`)"
        ))
    }
}

/// A snapshot file: its place and the header lines that say where it comes from.
pub struct File {
    /// The `snapshots/` folder: nothing is written outside it.
    pub root: PathBuf,
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
        if !cartwright_source::tree::Tree::new(&self.root).holds(&self.path) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "`{}` is outside the snapshots folder `{}`; nothing was written",
                    self.path.display(),
                    self.root.display()
                ),
            ));
        }
        let new_path = pending(&self.path);
        let committed = match std::fs::read_to_string(&self.path) {
            Ok(t) => Some(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        let old = committed.as_deref().map(content);
        if old.is_some_and(|o| same(o, body)) {
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

/// Whether two normalised answers say the same thing. Text that differs can still: a JSON
/// number is its value (`0` and `0.0` are one number, RFC 8259 §6 gives it no type), and a
/// JSON media type's `charset=utf-8` is no parameter at all (RFC 8259 §11 defines none; UTF-8
/// is JSON's only encoding), so one server's spelling never fails another's snapshot.
pub fn same(old: &str, new: &str) -> bool {
    if old == new {
        return true;
    }
    match (
        serde_json::from_str::<Value>(old),
        serde_json::from_str::<Value>(new),
    ) {
        (Ok(a), Ok(b)) => canonical(a) == canonical(b),
        _ => false,
    }
}

/// A normalised answer with whole numbers as integers and JSON media types bare.
fn canonical(mut v: Value) -> Value {
    if let Some(Value::String(ct)) = v.pointer_mut("/headers/content-type") {
        *ct = bare_json(ct);
    }
    numbers(v)
}

/// A JSON media type without `charset=utf-8`, lower-cased; any other type as it is.
fn bare_json(ct: &str) -> String {
    let mut parts = ct.split(';').map(str::trim);
    let essence = parts.next().unwrap_or_default().to_ascii_lowercase();
    if !essence.ends_with("json") {
        return ct.to_owned();
    }
    let kept: Vec<&str> = parts
        .filter(|p| !p.replace('"', "").eq_ignore_ascii_case("charset=utf-8"))
        .collect();
    std::iter::once(essence.as_str())
        .chain(kept)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Every whole number written as an integer, where it is exact as one.
fn numbers(v: Value) -> Value {
    match v {
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => {
                Value::from(f as i64)
            }
            _ => Value::Number(n),
        },
        Value::Array(a) => Value::Array(a.into_iter().map(numbers).collect()),
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, x)| (k, numbers(x))).collect()),
        other => other,
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
            root: dir.path().to_path_buf(),
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

    fn with(ct: &str, total: Value) -> String {
        let json = json!({"total": total});
        let a = Answer {
            status: 200,
            headers: vec![("content-type".into(), ct.into())],
            body: json.to_string().into(),
            json: Some(json),
            ..Answer::default()
        };
        normalise(&a, &["content-type".into()], &[], &[])
    }

    #[test]
    fn whole_numbers_and_a_json_charset_are_spellings_not_differences() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = File {
            root: dir.path().to_path_buf(),
            path: dir.path().join("api/flow__cart.snap"),
            source: "scenarios/api/flow.yaml".into(),
            expression: "GET /cart".into(),
        };
        let committed = with("application/json; charset=utf-8", json!(0.0));
        assert!(committed.contains("0.0") && committed.contains("charset"));
        file.compare(&committed, Mode::Update).expect("io");
        let plain = with("application/json", json!(0));
        assert_eq!(
            file.compare(&plain, Mode::Locked).expect("io"),
            Compared::Same
        );
        let quoted = with("Application/JSON; charset=\"UTF-8\"", json!(0));
        assert_eq!(
            file.compare(&quoted, Mode::Locked).expect("io"),
            Compared::Same
        );
        // What does differ still does: another value, another media type, another charset
        // where the media type has one.
        for changed in [
            with("application/json", json!(0.5)),
            with("text/plain", json!(0)),
        ] {
            assert!(matches!(
                file.compare(&changed, Mode::Locked).expect("io"),
                Compared::Differs(_)
            ));
        }
        assert!(!same(
            &with("text/html; charset=utf-8", json!(0)),
            &with("text/html; charset=latin1", json!(0))
        ));
    }
}
