//! Error answers: RFC 7807 problem documents, or the API's own declared error shape.

use cartwright_data::{Direction, Generator, Mode};
use cartwright_model::{Api, Operation};
use http::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};

use crate::{ErrorStyle, Outgoing};

/// One thing wrong with a request.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Issue {
    /// JSON pointer into the request: `/body/items/0/qty`, `/query/limit`, `/header/API-token`.
    pub pointer: String,
    /// Where the violated rule is in the spec: `file#/components/schemas/Item/properties/qty/minimum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// What kind of problem an answer reports: stable names, rendered as
/// `urn:cartwright:problem:<kind>` and as the upper-case code of an API's own error envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProblemKind {
    /// A path under the admin prefix that is no admin endpoint.
    AdminNotFound,
    /// A clock command the clock cannot follow.
    BadClock,
    /// A journal query with an unknown filter or a bad value.
    BadFilter,
    /// A stub definition the spec does not allow.
    BadStub,
    /// A path or query whose percent-encoding is not UTF-8.
    BadEncoding,
    /// A behaviour refused the request (its own status and message).
    Behaviour,
    /// A known `Prefer` preference (or `__code`-style query parameter) with a bad value.
    BadPreference,
    /// A shared secret sent from a browser origin.
    BrowserSecret,
    /// A bounded store is full; nothing was changed.
    Full,
    /// A JSON body that does not parse.
    MalformedJson,
    /// A multipart body that does not parse.
    MalformedMultipart,
    /// A path that exists without this method.
    MethodNotAllowed,
    /// `Prefer: example=` names no example.
    NoExample,
    /// `Prefer: code=` names no declared response.
    NoResponse,
    /// No declared content type matches `Accept`.
    NotAcceptable,
    /// No operation, or no stored item, matches.
    NotFound,
    /// An `Origin` outside `--allow-origin`.
    OriginNotAllowed,
    /// A request the mock refuses on purpose (a hostile path, say).
    Refused,
    /// A token whose stated scopes lack one the requirement names.
    InsufficientScope,
    /// A body that did not arrive whole (broken framing, closed early, stalled).
    IncompleteBody,
    /// A body nested deeper than the mock reads.
    TooDeep,
    /// A body larger than the limit.
    TooLarge,
    /// A security requirement is not met.
    Unauthorized,
    /// A body of a content type the operation does not take.
    UnsupportedMediaType,
    /// Parameters or body break the operation's schemas.
    Validation,
    /// In proxy mode, the real server could not be reached or did not answer in time.
    Upstream,
    /// Chaos (`--chaos`) answered in place of the operation, and it declares no 503.
    Unavailable,
    /// The mock failed on a bug of its own while answering.
    Internal,
}

impl ProblemKind {
    /// The kind's stable name (`not-found`).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ProblemKind::AdminNotFound => "admin-not-found",
            ProblemKind::BadClock => "bad-clock",
            ProblemKind::BadFilter => "bad-filter",
            ProblemKind::BadStub => "bad-stub",
            ProblemKind::BadEncoding => "bad-encoding",
            ProblemKind::Behaviour => "behaviour",
            ProblemKind::BadPreference => "bad-preference",
            ProblemKind::BrowserSecret => "browser-secret",
            ProblemKind::Full => "full",
            ProblemKind::MalformedJson => "malformed-json",
            ProblemKind::MalformedMultipart => "malformed-multipart",
            ProblemKind::MethodNotAllowed => "method-not-allowed",
            ProblemKind::NoExample => "no-example",
            ProblemKind::NoResponse => "no-response",
            ProblemKind::NotAcceptable => "not-acceptable",
            ProblemKind::NotFound => "not-found",
            ProblemKind::OriginNotAllowed => "origin-not-allowed",
            ProblemKind::Refused => "refused",
            ProblemKind::InsufficientScope => "insufficient-scope",
            ProblemKind::IncompleteBody => "incomplete-body",
            ProblemKind::TooDeep => "too-deep",
            ProblemKind::TooLarge => "too-large",
            ProblemKind::Unauthorized => "unauthorized",
            ProblemKind::UnsupportedMediaType => "unsupported-media-type",
            ProblemKind::Validation => "validation",
            ProblemKind::Upstream => "upstream",
            ProblemKind::Unavailable => "unavailable",
            ProblemKind::Internal => "internal",
        }
    }
}

impl Problem {
    /// A 500 for a bug of the mock's own (a panic caught, a state that cannot be): `detail`
    /// says where; the panic's message, if any, is in the mock's output.
    pub(crate) fn internal(detail: impl Into<String>) -> Problem {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ProblemKind::Internal,
            "Internal Error",
            detail,
        )
    }
}

impl std::fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error answer before rendering.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    /// The status.
    pub status: StatusCode,
    /// A short, stable kind (`validation`, `not-found`, ...), rendered as `urn:cartwright:problem:<kind>`.
    pub kind: ProblemKind,
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
    pub(crate) fn new(
        status: StatusCode,
        kind: ProblemKind,
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
    pub(crate) fn with(mut self, key: &str, value: Value) -> Self {
        self.extra.insert(key.to_owned(), value);
        self
    }

    /// The problem+json document.
    pub(crate) fn document(&self) -> Value {
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
    pub(crate) fn render(
        &self,
        style: ErrorStyle,
        api: Option<&Api>,
        op: Option<&Operation>,
        seed: u64,
    ) -> Outgoing {
        if style == ErrorStyle::Api
            && let (Some(api), Some(op)) = (api, op)
            && let Some((media, body)) = api_shaped(self, api, op, seed)
        {
            return Outgoing::json(self.status, media, &body);
        }
        Outgoing::json(self.status, "application/problem+json", &self.document())
    }
}

/// The operation's declared error body for this status, with its message fields filled in,
/// and the declared media type it goes out as (`application/vnd.api+json` for a JSON:API
/// error). Falls back to `None` (problem+json) when nothing is declared or the filled body
/// would not conform.
fn api_shaped<'o>(
    problem: &Problem,
    api: &Api,
    op: &'o Operation,
    seed: u64,
) -> Option<(&'o str, Value)> {
    let response = op.response_for(problem.status.as_u16())?;
    let media = response
        .content
        .iter()
        .find(|m| m.media_type.contains("json") && !m.media_type.contains('*'))?;
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
    let body = if schema.is_valid(&filled) {
        filled
    } else if schema.is_valid(&base) {
        base
    } else {
        return None;
    };
    Some((media.media_type.as_str(), body))
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
                *field = Value::String(problem.kind.as_str().to_ascii_uppercase().replace('-', "_"))
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
