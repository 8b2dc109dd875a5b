//! The scenario language as data. Every type derives both serde directions, so the parser
//! is serde (unknown keys and wrong types come back with their path) and the printer is
//! serde too; a proptest checks that printing and parsing again gives the same scenario.
//!
//! A step is a struct with its action an enum ([`Action`]), read from and written as the
//! one mapping users write (see [`Step`]).
//!
//! Strings may hold `{{ expression }}` interpolations; they are kept as written here and
//! compiled by `template` when the scenario is checked.

mod step;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use step::{Action, OneAction, Step};

/// A scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Its name, shown in reports.
    pub name: String,
    /// What it shows, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Tags for `--tags`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Variables, overridable by `--env` files and `CARTWRIGHT_VAR_*`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub vars: IndexMap<String, Value>,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// An HTTP request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The method (`GET` when absent).
    #[serde(default = "get", skip_serializing_if = "is_get")]
    pub method: String,
    /// The path below the target, with `{{ }}` values encoded as one segment each
    /// (`{{ raw(x) }}` inserts `x` unencoded, for attack payloads).
    pub path: String,
    /// Query parameters.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub query: IndexMap<String, Value>,
    /// Headers.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub headers: IndexMap<String, String>,
    /// A JSON body (strings interpolated; a string that is one `{{ }}` keeps its type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<Value>,
    /// A form-urlencoded body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<IndexMap<String, String>>,
    /// A raw body, sent as written (after interpolation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

fn get() -> String {
    "GET".into()
}

fn is_get(m: &String) -> bool {
    m == "GET"
}

/// `graphql: {query, variables, operation, path, headers}`: a GraphQL operation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GraphQl {
    /// The document, sent as written: values go in `variables`, where they keep their types,
    /// and GraphQL's own braces never meet the `{{ }}` of interpolation.
    pub query: String,
    /// Variables (strings interpolated, as in a JSON body).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variables: Option<Value>,
    /// `operationName`, for a document with several operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The endpoint below the target (`/graphql` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Headers.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub headers: IndexMap<String, String>,
}

impl GraphQl {
    /// The HTTP request the operation travels as: `POST` of `{query, variables,
    /// operationName}`, with the query shielded from interpolation.
    pub fn request(&self) -> Request {
        let mut body = serde_json::Map::new();
        // Only `{{` starts an expression; a query that happens to hold one is sent whole.
        let query = if self.query.contains("{{") {
            format!(
                "{{{{ raw({}) }}}}",
                serde_json::to_string(&self.query).unwrap_or_default()
            )
        } else {
            self.query.clone()
        };
        body.insert("query".into(), Value::String(query));
        if let Some(v) = &self.variables {
            body.insert("variables".into(), v.clone());
        }
        if let Some(o) = &self.operation {
            body.insert("operationName".into(), Value::String(o.clone()));
        }
        Request {
            method: "POST".into(),
            path: self.path.clone().unwrap_or_else(|| "/graphql".into()),
            query: IndexMap::new(),
            headers: self.headers.clone(),
            json: Some(Value::Object(body)),
            form: None,
            body: None,
        }
    }
}

/// `include: {file, with}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Include {
    /// The scenario file, relative to the including one.
    pub file: String,
    /// Variables set for the included steps (its captures come back to the caller).
    #[serde(default, rename = "with", skip_serializing_if = "IndexMap::is_empty")]
    pub args: IndexMap<String, Value>,
}

/// What a `mock:` step does on the cartwright mock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum MockAction {
    /// Forget all state and reset the clock.
    Reset,
    /// Move the virtual clock forward (`31d`, `90m`, `3600`).
    Advance(String),
    /// Read the one-time-code outbox (optionally for one recipient); capture from its JSON.
    Outbox {
        /// Only messages to this recipient.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
    },
    /// Add a runtime stub: the JSON `POST /__cartwright/stubs` takes (`match`, `answer`,
    /// `times`), with `{{ }}` templates filled in. The step fails when the mock refuses it.
    Stub(Value),
    /// Check how many requests the mock's journal holds that match (WireMock's
    /// `verify`): the step fails with the expected and the actual count.
    Expect(Expect),
}

/// `mock: {expect: {operation: addItem, count: 2}}`: a journal count to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Only requests routed to this operation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Only requests of this method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Only requests to this path (as sent, with the base path; a template).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Only requests answered with this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// How many there must be.
    pub count: u64,
}

/// Where a captured value comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Capture {
    /// A JSONPath into the body (`$.token`), the common case written short.
    Path(String),
    /// The long form.
    Full(CaptureFull),
}

/// A capture with its source and options.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaptureFull {
    /// A JSONPath into the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jsonpath: Option<String>,
    /// A response header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// A cookie set by the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookie: Option<String>,
    /// The status code.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub status: bool,
    /// A regex over the body (or over the value of the source named above); the first group
    /// when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// Mask the value in every output, report and snapshot.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
}

/// The assertions of a step.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asserts {
    /// The status: a code, or a matcher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Matcher>,
    /// Header matchers, by name (case-insensitive).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub headers: IndexMap<String, Matcher>,
    /// Body matchers, by JSONPath.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub body: IndexMap<String, Matcher>,
    /// `< 500ms`: the answer took less.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// The answer conforms to the spec's operation (on by default when a spec is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<bool>,
}

/// A matcher: a value (equality) or a map of operators, all of which must hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Matcher {
    /// Operators, all of which must hold (boxed: they are many, equality is common).
    Ops(Box<Ops>),
    /// The value must equal this (after interpolation): shorthand for `==`.
    Equals(Value),
}

/// A mapping with an operator key is operators; anything else is a value to equal. Written
/// by hand because serde's untagged choice would read a list `[a, b]` as the operators
/// struct, field by field (`== a`, `!= b`).
impl<'de> Deserialize<'de> for Matcher {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        match &v {
            Value::Object(m)
                if m.keys()
                    .any(|k| crate::keys::of::<Ops>().contains(&k.as_str())) =>
            {
                serde_json::from_value::<Ops>(v)
                    .map(|o| Matcher::Ops(Box::new(o)))
                    .map_err(serde::de::Error::custom)
            }
            _ => Ok(Matcher::Equals(v)),
        }
    }
}

/// Operators of a matcher.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ops {
    /// Equal.
    #[serde(default, rename = "==", skip_serializing_if = "Option::is_none")]
    pub eq: Option<Value>,
    /// Not equal.
    #[serde(default, rename = "!=", skip_serializing_if = "Option::is_none")]
    pub ne: Option<Value>,
    /// Less than (numbers).
    #[serde(default, rename = "<", skip_serializing_if = "Option::is_none")]
    pub lt: Option<Value>,
    /// Greater than (numbers).
    #[serde(default, rename = ">", skip_serializing_if = "Option::is_none")]
    pub gt: Option<Value>,
    /// At most.
    #[serde(default, rename = "<=", skip_serializing_if = "Option::is_none")]
    pub le: Option<Value>,
    /// At least.
    #[serde(default, rename = ">=", skip_serializing_if = "Option::is_none")]
    pub ge: Option<Value>,
    /// A string contains it, an array has it as an element, an object has it as a key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contains: Option<Value>,
    /// A regex the (string) value matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matches: Option<String>,
    /// Whether the value is there at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exists: Option<bool>,
    /// Its JSON type: `string`, `number`, `integer`, `boolean`, `array`, `object`, `null`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Its length (string chars, array elements, object members): a number or a matcher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<Box<Matcher>>,
    /// Equal to one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<Value>>,
    /// Holds when this matcher does not (`not: {contains: x}`): a documented absence, such
    /// as a header a preflight must not allow, is an assertion like any other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Matcher>>,
}

/// `snapshot: name` or the long form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Snapshot {
    /// Just the name.
    Name(String),
    /// With the headers to keep and redactions.
    Full(SnapshotFull),
}

/// A snapshot with options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotFull {
    /// The name: the file is `snapshots/<api>/<scenario>__<name>.snap`.
    pub name: String,
    /// Response headers to include (lower-case); `content-type` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<Vec<String>>,
    /// JSONPaths whose values are replaced by a typed placeholder.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redact: Vec<String>,
}

impl Snapshot {
    /// The snapshot's name.
    pub fn name(&self) -> &str {
        match self {
            Snapshot::Name(n) => n,
            Snapshot::Full(f) => &f.name,
        }
    }
}

/// `retry: {count, interval}`: send again until the asserts hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retry {
    /// Extra attempts after the first.
    pub count: u32,
    /// Wait between attempts (`200ms`, `1s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
}
