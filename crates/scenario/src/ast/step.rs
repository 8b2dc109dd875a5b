//! A step of the AST: what it does ([`Action`]: a request, a GraphQL operation, an
//! include or a mock action, exactly one) and what is kept and checked of the answer.
//!
//! In YAML a step is one mapping with the action under its own key beside the others, so
//! serde goes through [`RawStep`], the mapping as written, and the one-action rule is
//! checked when converting it.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Asserts, Capture, GraphQl, Include, MockAction, Request, Retry, Snapshot};

/// One step: a request to send, a flow to include, or an admin action on the mock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawStep", into = "RawStep")]
pub struct Step {
    /// Its name in reports (default: `METHOD path`).
    pub name: Option<String>,
    /// What it does.
    pub action: Action,
    /// Values to keep from the answer, by variable name.
    pub capture: IndexMap<String, Capture>,
    /// What must hold of the answer.
    pub assert: Option<Asserts>,
    /// Compare the normalised answer with a committed snapshot.
    pub snapshot: Option<Snapshot>,
    /// Send again until the asserts hold.
    pub retry: Option<Retry>,
    /// Skip the step when this expression is true.
    pub skip_if: Option<String>,
    /// Run the step once per element, bound to `item` (and `index`).
    pub each: Option<Value>,
    /// Run the step only against the cartwright mock: it asserts a choice of the mock's
    /// (a price list, a whole body) that the documents leave open.
    pub mock_only: bool,
}

/// What a step does; written as the key of the same name (`graphql:` for `GraphQl`).
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// `request:` an HTTP request.
    Request(Request),
    /// `graphql:` a GraphQL operation, sent as a `POST` with a JSON body.
    GraphQl(GraphQl),
    /// `include:` another scenario file's steps, run here with arguments.
    Include(Include),
    /// `mock:` an action on the cartwright mock's admin API (skipped against other servers).
    Mock(MockAction),
}

impl Step {
    /// A step doing `action`, with nothing else set.
    pub fn new(action: Action) -> Self {
        Step {
            name: None,
            action,
            capture: IndexMap::new(),
            assert: None,
            snapshot: None,
            retry: None,
            skip_if: None,
            each: None,
            mock_only: false,
        }
    }

    /// The request, when the step sends one.
    pub fn request(&self) -> Option<&Request> {
        match &self.action {
            Action::Request(r) => Some(r),
            _ => None,
        }
    }

    /// The GraphQL operation, when the step sends one.
    pub fn graphql(&self) -> Option<&GraphQl> {
        match &self.action {
            Action::GraphQl(g) => Some(g),
            _ => None,
        }
    }

    /// The include, when the step runs another file's steps.
    pub fn include(&self) -> Option<&Include> {
        match &self.action {
            Action::Include(i) => Some(i),
            _ => None,
        }
    }

    /// The mock action, when the step drives the mock.
    pub fn mock(&self) -> Option<&MockAction> {
        match &self.action {
            Action::Mock(m) => Some(m),
            _ => None,
        }
    }
}

/// A step as written: the mapping with each action as an optional key.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStep {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request: Option<Request>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    graphql: Option<GraphQl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    include: Option<Include>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mock: Option<MockAction>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    capture: IndexMap<String, Capture>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assert: Option<Asserts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    snapshot: Option<Snapshot>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retry: Option<Retry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    skip_if: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    each: Option<Value>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    mock_only: bool,
}

/// A step mapping with no action, or with more than one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a step has exactly one of `request`, `graphql`, `include` and `mock`")]
pub struct OneAction;

impl TryFrom<RawStep> for Step {
    type Error = OneAction;

    fn try_from(r: RawStep) -> Result<Self, OneAction> {
        let action = match (r.request, r.graphql, r.include, r.mock) {
            (Some(q), None, None, None) => Action::Request(q),
            (None, Some(g), None, None) => Action::GraphQl(g),
            (None, None, Some(i), None) => Action::Include(i),
            (None, None, None, Some(m)) => Action::Mock(m),
            _ => return Err(OneAction),
        };
        Ok(Step {
            name: r.name,
            action,
            capture: r.capture,
            assert: r.assert,
            snapshot: r.snapshot,
            retry: r.retry,
            skip_if: r.skip_if,
            each: r.each,
            mock_only: r.mock_only,
        })
    }
}

impl From<Step> for RawStep {
    fn from(s: Step) -> Self {
        let mut raw = RawStep {
            name: s.name,
            request: None,
            graphql: None,
            include: None,
            mock: None,
            capture: s.capture,
            assert: s.assert,
            snapshot: s.snapshot,
            retry: s.retry,
            skip_if: s.skip_if,
            each: s.each,
            mock_only: s.mock_only,
        };
        match s.action {
            Action::Request(q) => raw.request = Some(q),
            Action::GraphQl(g) => raw.graphql = Some(g),
            Action::Include(i) => raw.include = Some(i),
            Action::Mock(m) => raw.mock = Some(m),
        }
        raw
    }
}
