//! The whole API: its operations, their route index, and what loading skipped.

use std::sync::Arc;

use serde_json::Value;

use crate::{Behaviours, Operation, Resources, Router, SecurityScheme};

/// One loaded API document, ready for lookups.
#[derive(Debug)]
pub struct Api {
    /// The file it came from, as given by the user.
    pub source: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// The `openapi` version string (`3.0.3`, `3.1.0`, ...).
    pub openapi: String,
    /// Base paths taken from `servers` (`/api/checkout`); empty when served at the root.
    pub base_paths: Vec<String>,
    /// Every sound operation, in document order; an operation's index is its id in the router.
    pub operations: Vec<Operation>,
    /// Routes from request paths (without base path) to operation indices.
    pub router: Router,
    /// `components.securitySchemes`, by name.
    pub security_schemes: Vec<(String, SecurityScheme)>,
    /// The resolved, normalised document: schemas here are JSON Schema 2020-12 and every
    /// `$ref` is local, so value generators can follow references with a JSON pointer.
    pub document: Arc<Value>,
    /// The document-level `x-cartwright` declarations.
    pub behaviours: Behaviours,
    /// Operations left out because they were unsound (only with lenient loading).
    pub skipped: Vec<Skipped>,
    /// Resources inferred from the paths and schemas (see [`Resources::infer`]).
    pub resources: Resources,
}

/// An operation that lenient loading left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// `METHOD /path` of the operation.
    pub operation: String,
    /// The diagnostic's one-line message.
    pub reason: String,
}

impl Api {
    /// The security scheme of that name, if declared.
    pub fn security_scheme(&self, name: &str) -> Option<&SecurityScheme> {
        self.security_schemes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }

    /// The operation whose `operationId` (or `METHOD /path` id) is `id`.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.id == id)
    }

    /// Strips one of the API's base paths from a raw request path; `None` if none applies.
    /// The longest base path wins, so `/api/checkout/52` beats `/api/checkout`.
    pub fn strip_base<'p>(&self, path: &'p str) -> Option<&'p str> {
        if self.base_paths.is_empty() {
            return Some(path);
        }
        let mut best: Option<&'p str> = None;
        for base in &self.base_paths {
            if let Some(rest) = path.strip_prefix(base.as_str())
                && (rest.is_empty() || rest.starts_with('/'))
                && best.is_none_or(|b| rest.len() < b.len())
            {
                best = Some(rest);
            }
        }
        best.map(|rest| if rest.is_empty() { "/" } else { rest })
    }
}
