//! The response contract: an answer against the operation it answers. The status must be
//! declared, required headers present and fitting their schemas, a body declared, its
//! content type covered by a declared media range, a body in a JSON media type must be JSON,
//! and fit the declared schema. The scenario runner and the verifier both read these findings.

use cartwright_model::Operation;
use cartwright_model::media::{covers, essence};
use serde_json::Value;

use crate::Answer;

/// What part of the contract was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Aspect {
    /// The status is declared.
    Status,
    /// Declared headers are present and fit their schemas.
    Headers,
    /// A body came where one is declared, in a declared media type.
    ContentType,
    /// The body fits the declared schema.
    Schema,
}

/// What a finding says is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The status is not declared.
    UndeclaredStatus,
    /// A required header (named) is missing.
    MissingHeader(String),
    /// A header (named) does not fit its schema.
    HeaderMismatch(String),
    /// A body came for a response that declares none.
    UndeclaredBody,
    /// The content type is not covered by any declared media range.
    UndeclaredContentType,
    /// A JSON media type was declared but the body is not JSON.
    NotJson,
    /// The body breaks its schema at the finding's pointer.
    SchemaViolation {
        /// What is wrong, in words.
        reason: String,
        /// JSON pointer to the violated keyword in the document.
        schema: String,
    },
}

impl Kind {
    /// The aspect of the contract this kind belongs to (`None`: a body where none is
    /// declared, which no aspect covers on its own).
    pub fn aspect(&self) -> Option<Aspect> {
        match self {
            Kind::UndeclaredStatus => Some(Aspect::Status),
            Kind::MissingHeader(_) | Kind::HeaderMismatch(_) => Some(Aspect::Headers),
            Kind::UndeclaredBody => None,
            Kind::UndeclaredContentType => Some(Aspect::ContentType),
            Kind::NotJson | Kind::SchemaViolation { .. } => Some(Aspect::Schema),
        }
    }
}

/// One way an answer breaks its operation's contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What is wrong.
    pub kind: Kind,
    /// One line saying so.
    pub message: String,
    /// JSON pointer into the body, for schema violations.
    pub pointer: Option<String>,
}

impl Finding {
    fn new(kind: Kind, message: String) -> Finding {
        Finding {
            kind,
            message,
            pointer: None,
        }
    }
}

/// The findings, and which aspects were judged at all (a later aspect is not judged when an
/// earlier one rules it out: no declared status, no body, no declared media type).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Judgement {
    /// Every finding, in the order the aspects are judged.
    pub findings: Vec<Finding>,
    /// The aspects judged, in order.
    pub judged: Vec<Aspect>,
}

impl Judgement {
    /// Whether the answer conforms.
    pub fn conforms(&self) -> bool {
        self.findings.is_empty()
    }

    /// The findings of one aspect.
    pub fn of(&self, aspect: Aspect) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.kind.aspect() == Some(aspect))
    }
}

/// Judges an answer against the operation it answers.
pub fn judge(op: &Operation, a: &Answer) -> Judgement {
    let mut out = Judgement {
        judged: vec![Aspect::Status],
        ..Judgement::default()
    };
    let Some(resp) = op.response_for(a.status) else {
        out.findings.push(Finding::new(
            Kind::UndeclaredStatus,
            format!(
                "status {} is not declared by {} ({})",
                a.status,
                op.signature(),
                op.id
            ),
        ));
        return out;
    };
    out.judged.push(Aspect::Headers);
    for h in &resp.headers {
        match a.header(&h.name) {
            None if h.required => out.findings.push(Finding::new(
                Kind::MissingHeader(h.name.clone()),
                format!("required header `{}` is missing", h.name),
            )),
            Some(v) => {
                if let Some(schema) = &h.schema {
                    let value = serde_json::from_str(v).unwrap_or_else(|_| Value::from(v));
                    if !schema.is_valid(&value) && !schema.is_valid(&Value::from(v)) {
                        out.findings.push(Finding::new(
                            Kind::HeaderMismatch(h.name.clone()),
                            format!("header `{}` does not fit its schema", h.name),
                        ));
                    }
                }
            }
            None => {}
        }
    }
    if a.body.is_empty() {
        return out;
    }
    if resp.content.is_empty() {
        out.findings.push(Finding::new(
            Kind::UndeclaredBody,
            format!("status {} declares no body, but one came", a.status),
        ));
        return out;
    }
    out.judged.push(Aspect::ContentType);
    let ct = a.media_type();
    let Some(media) = resp.content.iter().find(|m| covers(&m.media_type, &ct)) else {
        out.findings.push(Finding::new(
            Kind::UndeclaredContentType,
            format!(
                "content type `{ct}` is not declared (declared: {})",
                declared(op, a.status).join(", ")
            ),
        ));
        return out;
    };
    // A body in a JSON media type must be JSON, whether or not a schema is declared for it.
    if !is_json(&ct) {
        return out;
    }
    out.judged.push(Aspect::Schema);
    let Some(json) = &a.json else {
        out.findings.push(Finding::new(
            Kind::NotJson,
            format!("body is not JSON, but its content type `{ct}` is"),
        ));
        return out;
    };
    let Some(schema) = &media.schema else {
        return out;
    };
    for v in schema.violations(json) {
        let at = if v.instance.is_empty() {
            "/"
        } else {
            &v.instance
        };
        out.findings.push(Finding {
            message: format!("body at `{at}`: {} (schema {})", v.message, v.schema),
            pointer: Some(v.instance.clone()),
            kind: Kind::SchemaViolation {
                reason: v.message,
                schema: v.schema,
            },
        });
    }
    out
}

/// The media ranges declared for a status, as written.
fn declared(op: &Operation, status: u16) -> Vec<&str> {
    op.response_for(status)
        .map(|r| r.content.iter().map(|m| m.media_type.as_str()).collect())
        .unwrap_or_default()
}

/// Whether a media type's essence is JSON: subtype `json` or a `+json` suffix
/// (`application/json`, `application/problem+json`), not JSON Lines or NDJSON, whose body
/// is many documents.
fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence
        .split_once('/')
        .is_some_and(|(_, sub)| sub == "json" || sub.ends_with("+json"))
}
