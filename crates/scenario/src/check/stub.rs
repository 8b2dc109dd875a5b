//! Lint of `mock: {stub}` and `mock: {expect}` steps: the operation they name is one of the
//! spec's, so a misspelt id fails before anything is sent rather than as a refused stub.

use cartwright_diag::{Diagnostic, did_you_mean};
use serde_json::Value;

use super::Lint;
use crate::parse::join;

impl Lint<'_> {
    /// A stub step's `match` names an operation of the spec (by id, or by method and a
    /// path, a template or a concrete one, under the base path or not).
    pub(super) fn stub(&mut self, def: &Value, at: &str) {
        let at = join(at, "match");
        let m = &def["match"];
        if let Some(id) = m["operation"].as_str() {
            return self.operation_id(id, &join(&at, "operation"));
        }
        let (Some(api), Some(method), Some(path)) =
            (self.api, m["method"].as_str(), m["path"].as_str())
        else {
            return;
        };
        let method = method.to_ascii_uppercase();
        if path.contains("{{") {
            return;
        }
        if api
            .operations
            .iter()
            .any(|o| o.method.as_str() == method && o.path == path)
        {
            return;
        }
        let rest = api.strip_base(path).unwrap_or(path);
        if let Err(e) = crate::conform::operation(api, &method, rest) {
            self.errs
                .push(Diagnostic::error("unknown-operation", e).with_pointer(join(&at, "path")));
        }
    }

    /// An operation id the spec has.
    pub(super) fn operation_id(&mut self, id: &str, at: &str) {
        let Some(api) = self.api else { return };
        if api.operations.iter().any(|o| o.id == id) {
            return;
        }
        let d = Diagnostic::error(
            "unknown-operation",
            format!("the spec has no operation `{id}`"),
        )
        .with_pointer(at);
        self.errs.push(
            match did_you_mean(id, api.operations.iter().map(|o| o.id.as_str())) {
                Some(n) => d.with_help(format!("did you mean `{n}`?")),
                None => d,
            },
        );
    }
}
