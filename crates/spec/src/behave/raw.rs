//! The shape of `x-cartwright` as written, read with serde so that an unknown key or a wrong
//! type is reported with its path and the keys that were expected.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// The document-level extension.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct Root {
    #[serde(default)]
    pub vars: Option<Value>,
    #[serde(default)]
    pub browser: Option<Browser>,
    #[serde(default)]
    pub secrets: indexmap::IndexMap<String, Secret>,
    #[serde(default)]
    pub sessions: indexmap::IndexMap<String, Session>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Browser {
    pub forbid_headers: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct Secret {
    #[serde(default)]
    pub headers: Vec<String>,
    #[serde(default)]
    pub scheme: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Session {
    pub token: Vec<Carrier>,
    #[serde(default)]
    pub format: Option<Format>,
    #[serde(default)]
    pub ttl: Option<Duration>,
    #[serde(default)]
    pub none: Option<String>,
    #[serde(default)]
    pub unknown: Option<Unknown>,
    #[serde(default)]
    pub state: Option<Value>,
    #[serde(default)]
    pub scheme: Option<String>,
    #[serde(default)]
    pub refresh: Option<Refresh>,
    #[serde(default)]
    pub max: Option<usize>,
    #[serde(default)]
    pub owner: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub(super) enum Carrier {
    Header(String),
    Accept(String),
    Bearer(bool),
    Cookie(String),
    Query(String),
    Path(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub(super) enum Format {
    Random(usize),
    Hex(usize),
    Jwt(Jwt),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Jwt {
    pub key: String,
    #[serde(default)]
    pub subject: Option<String>,
}

/// `renew`, or a status code.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum Unknown {
    Status(u16),
    Word(String),
}

/// `true`, or `{ttl: ...}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum Refresh {
    On(bool),
    With {
        #[serde(default)]
        ttl: Option<Duration>,
    },
}

/// Seconds, or text such as `90s`, `10m`, `1h`, `31d`.
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub(super) enum Duration {
    Seconds(u64),
    Text(String),
}

/// An operation's extension.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct Binding {
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default)]
    pub idempotent: Option<String>,
    #[serde(default)]
    pub steps: Vec<Step>,
    #[serde(default)]
    pub respond: Option<Respond>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct Step {
    #[serde(default)]
    pub when: Option<String>,
    #[serde(default)]
    pub set: Option<indexmap::IndexMap<String, Value>>,
    #[serde(default)]
    pub append: Option<Append>,
    #[serde(default)]
    pub remove: Option<Remove>,
    #[serde(default)]
    pub record: Option<Record>,
    #[serde(default)]
    pub otp_send: Option<OtpSend>,
    #[serde(default)]
    pub otp_verify: Option<OtpVerify>,
    #[serde(default)]
    pub issue: Option<Issue>,
    #[serde(default)]
    pub refresh: Option<RefreshStep>,
    #[serde(default)]
    pub revoke: Option<Revoke>,
    #[serde(default)]
    pub end: Option<bool>,
    #[serde(default)]
    pub respond: Option<Respond>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Append {
    pub to: String,
    pub value: Value,
    #[serde(default)]
    pub merge: Option<Merge>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Merge {
    pub key: String,
    #[serde(default)]
    pub add: Vec<String>,
    #[serde(default)]
    pub replace: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Remove {
    pub from: String,
    #[serde(rename = "where")]
    pub condition: String,
    #[serde(default)]
    pub missing: Option<Respond>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Record {
    pub store: String,
    pub key: String,
    #[serde(default)]
    pub init: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OtpSend {
    pub to: String,
    #[serde(default)]
    pub digits: Option<usize>,
    #[serde(default)]
    pub ttl: Option<Duration>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OtpVerify {
    pub to: String,
    pub code: String,
    #[serde(default)]
    pub fail: Option<Respond>,
    #[serde(default)]
    pub attempts: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Issue {
    pub session: String,
    #[serde(default)]
    pub state: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RefreshStep {
    pub session: String,
    pub token: String,
    #[serde(default)]
    pub fail: Option<Respond>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Revoke {
    pub token: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct Respond {
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub example: Option<String>,
    #[serde(default)]
    pub body: indexmap::IndexMap<String, Value>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}
