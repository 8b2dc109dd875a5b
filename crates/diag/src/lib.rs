//! Diagnostics that people read: a code, a message, a place (`file:line:col`), the source
//! line with a caret run under the offending text, the JSON pointer, and a did-you-mean.
//!
//! One renderer serves spec and scenario errors alike, as hurl's does; it is tested as
//! plain text, and colour is only added on a terminal.

mod render;
mod suggest;

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use render::{render, render_all};
pub use suggest::did_you_mean;

/// 1-based line and column (column counts chars, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in chars.
    pub column: usize,
}

/// A place in a named source: where it starts and how many chars it covers on that line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// The file name as the user gave it.
    pub file: String,
    /// Where the span starts.
    pub start: Position,
    /// Its length in chars (at least 1).
    pub len: usize,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Severity {
    /// The input cannot be used as it is.
    Error,
    /// The input works, but probably not as meant.
    Warning,
}

/// One finding. `code` is a short stable id such as `ref-not-found`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable id, for filtering and documentation.
    pub code: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where, when known.
    pub span: Option<Span>,
    /// JSON pointer (RFC 6901) into the document, when the finding is about one of its nodes.
    pub pointer: Option<String>,
    /// How to fix it, or what was probably meant.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error.
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code: code.into(),
            message: message.into(),
            span: None,
            pointer: None,
            help: None,
        }
    }

    /// A warning.
    pub fn warning(code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// With a place.
    #[must_use]
    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// With a JSON pointer.
    #[must_use]
    pub fn with_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// With a hint.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(s) = &self.span {
            write!(f, "{}:{}:{}: ", s.file, s.start.line, s.start.column)?;
        }
        let level = if self.is_error() { "error" } else { "warning" };
        write!(f, "{level}[{}]: {}", self.code, self.message)
    }
}

/// Source texts by file name, so the renderer can quote the offending line.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    texts: HashMap<String, Arc<str>>,
}

impl Sources {
    /// No sources.
    pub fn new() -> Self {
        Sources::default()
    }

    /// Registers (or replaces) a file's text.
    pub fn add(&mut self, file: impl Into<String>, text: impl Into<Arc<str>>) {
        self.texts.insert(file.into(), text.into());
    }

    /// A file's text.
    pub fn get(&self, file: &str) -> Option<&str> {
        self.texts.get(file).map(|t| &**t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_one_line_with_location() {
        let d = Diagnostic::error("x", "broken").with_span(Span {
            file: "a.yaml".into(),
            start: Position { line: 3, column: 5 },
            len: 2,
        });
        assert_eq!(d.to_string(), "a.yaml:3:5: error[x]: broken");
        assert_eq!(
            Diagnostic::warning("y", "odd").to_string(),
            "warning[y]: odd"
        );
    }
}
