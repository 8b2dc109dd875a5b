//! Names a skipped mock step leaves without a value. Against a server that is not the
//! cartwright mock, `mock:` steps are skipped; what they would have captured (a one-time
//! code from the outbox) is then *unavailable* unless a variable gives it, and a later step
//! that reads such a name is skipped too, with a reason that says how to give it, instead of
//! failing the run as if the name were misspelt.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::ast::{MockAction, Step};
use crate::load::{Flows, MAX_INCLUDE};
use crate::run::beside;
use crate::template::{Template, deep_names};

/// Unavailable names, each with the name a skipped step left without a value and why: the
/// first cause is the one to fix, however far it cascaded.
#[derive(Debug, Default, Clone)]
pub(crate) struct Unavailable(BTreeMap<String, (String, String)>);

impl Unavailable {
    /// Marks `name` unavailable: the root name `root` has no value because of `why`. The
    /// first cause is kept.
    pub(crate) fn mark(&mut self, name: &str, root: &str, why: &str) {
        self.0
            .entry(name.to_owned())
            .or_insert_with(|| (root.to_owned(), why.to_owned()));
    }

    /// A value was captured for `name` after all (a later step gave it).
    pub(crate) fn clear(&mut self, name: &str) {
        self.0.remove(name);
    }

    /// The first of `names` that is unavailable: its root name and why.
    pub(crate) fn blocks(&self, names: &BTreeSet<String>) -> Option<(String, String, String)> {
        names.iter().find_map(|n| {
            self.0
                .get(n)
                .map(|(root, why)| (n.clone(), root.clone(), why.clone()))
        })
    }
}

/// The reason a step that needs `name` is skipped, `root` being the name a skipped mock step
/// left without a value because of `why`.
pub(crate) fn reason(name: &str, root: &str, why: &str) -> String {
    if name == root {
        why.to_owned()
    } else {
        format!("`{name}` was to be captured by a skipped step: {why}")
    }
}

/// Why `name`, captured by the skipped mock step `action`, has no value here
/// (`None`: a `mock_only` step).
pub(crate) fn because_mock(name: &str, action: Option<&MockAction>) -> String {
    let from = match action {
        Some(MockAction::Outbox { .. }) => "the mock's outbox",
        Some(MockAction::Advance(_)) => "the mock's clock step",
        Some(MockAction::Reset) => "the mock's reset step",
        Some(MockAction::Stub(_)) => "the mock's stub step",
        Some(MockAction::Expect(_)) => "the mock's journal",
        None => "a step that runs only against the cartwright mock",
    };
    format!(
        "`{name}` comes from {from}, which this target does not have; give it with --env or \
         CARTWRIGHT_VAR_{name}"
    )
}

/// The top-level names a step reads before it is sent or while it is judged: its
/// condition, its list, its request or GraphQL variables, an outbox recipient, an
/// include's arguments and its assertions.
pub(crate) fn reads(step: &Step) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Some(c) = &step.skip_if
        && let Ok(t) = Template::compile(&format!(
            "{{{{ {} }}}}",
            c.trim().trim_start_matches("{{").trim_end_matches("}}")
        ))
    {
        out.extend(t.names());
    }
    let mut values: Vec<Value> = Vec::new();
    values.extend(step.each.clone());
    if let Some(r) = step.request() {
        values.extend(serde_json::to_value(r).ok());
    }
    if let Some(g) = step.graphql() {
        values.extend(serde_json::to_value(&g.headers).ok());
        values.extend(g.variables.clone());
    }
    match step.mock() {
        Some(MockAction::Outbox { to: Some(t) }) => values.push(Value::String(t.clone())),
        Some(MockAction::Stub(def)) => values.push(def.clone()),
        Some(MockAction::Expect(e)) => values.extend(e.path.clone().map(Value::String)),
        _ => {}
    }
    if let Some(inc) = step.include() {
        values.extend(serde_json::to_value(&inc.args).ok());
    }
    if let Some(a) = &step.assert {
        values.extend(serde_json::to_value(a).ok());
    }
    for v in &values {
        // A template that does not compile is reported by the step itself.
        let _ = deep_names(v, &mut out);
    }
    // `item` and `index` are the step's own when it repeats.
    if step.each.is_some() {
        out.remove("item");
        out.remove("index");
    }
    out
}

/// Every name a step captures, with those of the flows it includes (a skipped include
/// captures none of them).
pub(crate) fn captures(step: &Step, file: &Path, flows: &Flows) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    collect(step, file, flows, 0, &mut out);
    out
}

fn collect(step: &Step, file: &Path, flows: &Flows, depth: usize, out: &mut BTreeSet<String>) {
    out.extend(step.capture.keys().cloned());
    if let Some(inc) = step.include()
        && depth < MAX_INCLUDE
    {
        let path = beside(file, &inc.file);
        if let Some(Ok(parsed)) = flows.get(&path) {
            for s in &parsed.scenario.steps {
                collect(s, &path, flows, depth + 1, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(yaml: &str) -> Step {
        let text = format!("name: t\nsteps:\n{yaml}");
        let s = crate::parse::parse("t.yaml", &text, &mut cartwright_diag::Sources::new())
            .unwrap_or_else(|d| panic!("{d:?}"));
        s.steps[0].clone()
    }

    #[test]
    fn a_step_reads_the_names_of_its_request_and_assertions_but_not_its_own_item() {
        let s = step(
            "  - each: [a]\n    request:\n      path: /x/{{ item }}\n      headers: {A: \"{{ access }}\"}\n      json: {c: \"{{ code if ok else 1 }}\"}\n    assert:\n      body: {$.t: \"{{ token }}\"}\n",
        );
        let names: Vec<String> = reads(&s).into_iter().collect();
        assert_eq!(names, ["access", "code", "ok", "token"]);
    }

    #[test]
    fn the_first_cause_is_kept_and_a_capture_clears_it() {
        let mut u = Unavailable::default();
        u.mark("code", "code", "first");
        u.mark("code", "code", "second");
        u.mark("access", "code", "first");
        let names: BTreeSet<String> = ["x".to_owned(), "code".to_owned()].into();
        let found = u.blocks(&names).expect("blocked");
        assert_eq!(
            (found.0.as_str(), found.1.as_str(), found.2.as_str()),
            ("code", "code", "first")
        );
        assert_eq!(
            reason("access", "code", "first"),
            "`access` was to be captured by a skipped step: first"
        );
        u.clear("code");
        assert_eq!(u.blocks(&names), None);
    }
}
