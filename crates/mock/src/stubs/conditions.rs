//! What a stub asks of a request besides its operation: a concrete path, header values,
//! query values and conditions on the JSON body by JSONPath (`$.items[0].quantity`).

use cartwright_model::Api;
use serde_json::Value;
use serde_json_path::JsonPath;

use crate::Incoming;

/// Every condition of a stub; all must hold.
#[derive(Debug, Clone, Default)]
pub(crate) struct Conditions {
    /// The path under the API's base path, when the stub names a concrete one.
    pub path: Option<String>,
    /// Header names (lower case) and the values they must have.
    pub headers: Vec<(String, String)>,
    /// Query parameters and a value they must have (one of their values, when repeated).
    pub query: Vec<(String, String)>,
    /// Conditions on the parsed body.
    pub body: Vec<BodyCondition>,
}

/// One condition on the body: what the JSONPath selects equals a value, or exists.
#[derive(Debug, Clone)]
pub(crate) struct BodyCondition {
    /// The compiled path.
    pub path: JsonPath,
    /// What it must select.
    pub test: Test,
}

/// What a body condition asks of the nodes its path selects.
#[derive(Debug, Clone)]
pub(crate) enum Test {
    /// One of them equals the value.
    Equals(Value),
    /// There is one (`true`) or none (`false`).
    Exists(bool),
}

impl Conditions {
    /// Whether every condition holds for the request and its parsed body.
    pub(crate) fn hold(&self, api: &Api, req: &Incoming, body: Option<&Value>) -> bool {
        if let Some(path) = &self.path
            && api.strip_base(&req.path) != Some(path.as_str())
        {
            return false;
        }
        let headers = self.headers.iter().all(|(name, want)| {
            req.headers
                .get_all(name.as_str())
                .iter()
                .any(|v| v.to_str().is_ok_and(|v| v == want))
        });
        let query = self.query.iter().all(|(name, want)| {
            let q = req.query.as_deref().unwrap_or("");
            form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == name.as_str() && v == *want)
        });
        headers && query && self.body.iter().all(|c| c.holds(body))
    }
}

impl BodyCondition {
    fn holds(&self, body: Option<&Value>) -> bool {
        let nodes = body.map(|b| self.path.query(b).all()).unwrap_or_default();
        match &self.test {
            Test::Equals(v) => nodes.contains(&v),
            Test::Exists(e) => nodes.is_empty() != *e,
        }
    }
}
