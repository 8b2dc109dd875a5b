//! Error answers: RFC 7807 problem documents, or the API's own declared error shape.

use cartwright_data::{Direction, Generator, Mode};
use cartwright_model::{Api, Operation};
use http::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};

use crate::{ErrorStyle, Outgoing};

/// One thing wrong with a request.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Issue {
    /// JSON pointer into the request: `/body/items/0/qty`, `/query/limit`, `/header/API-token`.
    pub pointer: String,
    /// Where the violated rule is in the spec: `file#/components/schemas/Item/properties/qty/minimum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// An error answer before rendering.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The status.
    pub status: StatusCode,
    /// A short, stable kind (`validation`, `not-found`, ...), rendered as `urn:cartwright:problem:<kind>`.
    pub kind: &'static str,
    /// The title.
    pub title: String,
    /// A sentence for the client.
    pub detail: String,
    /// Every issue found.
    pub issues: Vec<Issue>,
    /// Extra members (`closest`, `allowed`).
    pub extra: serde_json::Map<String, Value>,
}

impl Problem {
    /// A problem without issues.
    pub fn new(
        status: StatusCode,
        kind: &'static str,
        title: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Problem {
            status,
            kind,
            title: title.into(),
            detail: detail.into(),
            issues: Vec::new(),
            extra: serde_json::Map::new(),
        }
    }

    /// Adds an extra member.
    #[must_use]
    pub fn with(mut self, key: &str, value: Value) -> Self {
        self.extra.insert(key.to_owned(), value);
        self
    }

    /// The problem+json document.
    pub fn document(&self) -> Value {
        let mut doc = json!({
            "type": format!("urn:cartwright:problem:{}", self.kind),
            "title": self.title,
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        if let Some(obj) = doc.as_object_mut() {
            if !self.issues.is_empty() {
                obj.insert(
                    "errors".to_owned(),
                    serde_json::to_value(&self.issues).unwrap_or(Value::Null),
                );
            }
            obj.extend(self.extra.clone());
        }
        doc
    }

    /// Renders in the configured style; the API's own shape needs an operation that declares one.
    pub fn render(
        &self,
        style: ErrorStyle,
        api: Option<&Api>,
        op: Option<&Operation>,
        seed: u64,
    ) -> Outgoing {
        if style == ErrorStyle::Api
            && let (Some(api), Some(op)) = (api, op)
            && let Some(body) = api_shaped(self, api, op, seed)
        {
            return Outgoing::json(self.status, "application/json", &body);
        }
        Outgoing::json(self.status, "application/problem+json", &self.document())
    }
}

/// The operation's declared error body for this status, with its message fields filled in.
/// Falls back to `None` (problem+json) when nothing is declared or the filled body would not conform.
fn api_shaped(problem: &Problem, api: &Api, op: &Operation, seed: u64) -> Option<Value> {
    let response = op.response_for(problem.status.as_u16())?;
    let media = response
        .content
        .iter()
        .find(|m| m.media_type.contains("json"))?;
    let schema = media.schema.as_ref()?;
    let base = media
        .examples
        .first()
        .map(|e| e.value.clone())
        .unwrap_or_else(|| {
            Generator::new(&api.document, seed, Mode::Static).value(
                &json!({"$ref": format!("#{}", schema.pointer)}),
                Direction::Response,
            )
        });
    let messages: Vec<String> = if problem.issues.is_empty() {
        vec![problem.detail.clone()]
    } else {
        problem
            .issues
            .iter()
            .map(|i| format!("{}: {}", i.pointer, i.message))
            .collect()
    };
    let mut filled = base.clone();
    fill(&mut filled, problem, &messages, 0);
    if schema.is_valid(&filled) {
        Some(filled)
    } else if schema.is_valid(&base) {
        Some(base)
    } else {
        None
    }
}

/// Writes the message into fields whose names say they carry one, at any depth.
fn fill(v: &mut Value, problem: &Problem, messages: &[String], depth: usize) {
    if depth > 4 {
        return;
    }
    let Some(obj) = v.as_object_mut() else { return };
    for (k, field) in obj.iter_mut() {
        match (k.to_ascii_lowercase().as_str(), &field) {
            (
                "message" | "detail" | "error_description" | "description" | "title",
                Value::String(_),
            ) => {
                *field = Value::String(messages.join("; "));
            }
            ("errorcode" | "code" | "error_code", Value::String(_)) => {
                *field = Value::String(problem.kind.to_ascii_uppercase().replace('-', "_"))
            }
            ("status" | "statuscode" | "status_code", Value::Number(_)) => {
                *field = json!(problem.status.as_u16())
            }
            ("errors" | "details" | "messages", Value::Array(items))
                if items.iter().all(Value::is_string) =>
            {
                *field = json!(messages);
            }
            (_, Value::Object(_)) => fill(field, problem, messages, depth + 1),
            _ => {}
        }
    }
}
