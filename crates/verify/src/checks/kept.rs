//! A failure of a check that judges one request as a replay scenario with the check's own
//! assertions (the shared replay knows the response checks' assertions only).

use cartwright_scenario::ast::{self, Asserts, Scenario};
use indexmap::IndexMap;

use super::Check;
use crate::probe::Probe;
use crate::replay;
use crate::request::Req;

/// Keeps a one-request replay asserting `fixed`, what a fixed implementation's answer
/// meets; the path is written literally, so the runner sends it byte for byte.
pub(crate) fn keep(probe: &Probe<'_>, name: &str, req: &Req, check: Check, fixed: Asserts) {
    let request = replay::request(probe.api, &probe.target, req);
    probe.keep(Scenario {
        name: name.to_owned(),
        description: Some(format!("Found by cartwright verify: {check}.")),
        tags: vec![check.into()],
        vars: IndexMap::new(),
        steps: vec![ast::Step {
            name: Some(name.to_owned()),
            assert: Some(fixed),
            ..ast::Step::new(ast::Action::Request(request))
        }],
    });
}
