//! A document: YAML (1.2) or JSON text into a JSON value, with positioned syntax errors.

use std::path::Path;
use std::sync::Arc;

use cartwright_diag::{Diagnostic, Position, Sources, Span};
use serde_json::Value;

use crate::reader::Limit;

/// One parsed file: its display name, text and value.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    /// The file name as shown in diagnostics.
    pub file: String,
    /// The parsed document.
    pub value: Value,
}

/// Reads and parses a file (within the default bound), registering its text with `sources`.
pub fn read(path: &Path, sources: &mut Sources) -> Result<SourceDoc, Diagnostic> {
    read_bounded(path, Limit::default(), sources)
}

/// As [`read`], taking at most `limit` bytes of the file.
pub fn read_bounded(
    path: &Path,
    limit: Limit,
    sources: &mut Sources,
) -> Result<SourceDoc, Diagnostic> {
    let text = crate::reader::text(path, limit).map_err(|e| e.to_diagnostic())?;
    parse(&path.display().to_string(), text, sources)
}

/// Parses text as JSON (by extension or a leading `{`) or YAML.
pub fn parse(file: &str, text: String, sources: &mut Sources) -> Result<SourceDoc, Diagnostic> {
    let text: Arc<str> = Arc::from(text.strip_prefix('\u{feff}').unwrap_or(&text));
    sources.add(file, text.clone());
    let looks_json = file.ends_with(".json") || text.trim_start().starts_with('{');
    let value = if looks_json {
        serde_json::from_str::<Value>(&text).map_err(|e| {
            at(
                file,
                e.line(),
                e.column(),
                Diagnostic::error("syntax", format!("invalid JSON: {e}")),
            )
        })?
    } else {
        crate::halves::parse(&text).map_err(|e| {
            let (line, col) = e
                .location()
                .map_or((0, 0), |l| (l.line() as usize, l.column() as usize));
            at(
                file,
                line,
                col,
                Diagnostic::error(
                    "syntax",
                    format!("invalid YAML: {}", first_line(&e.to_string())),
                ),
            )
        })?
    };
    Ok(SourceDoc {
        file: file.to_owned(),
        value,
    })
}

/// YAML 1.2 core booleans only: `no`, `n` and `off` stay strings (OpenAPI and scenario
/// files are YAML 1.2; a country code `NO` must not become `false`).
pub(crate) fn yaml_1_2() -> serde_saphyr::Options {
    serde_saphyr::options! { strict_booleans: true }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

fn at(file: &str, line: usize, column: usize, diag: Diagnostic) -> Diagnostic {
    if line == 0 {
        return diag;
    }
    diag.with_span(Span {
        file: file.to_owned(),
        start: Position {
            line,
            column: column.max(1),
        },
        len: 1,
    })
}
