//! Lint: everything about a scenario that can be known without sending — expressions
//! compile and name defined variables, JSONPaths and regexes parse, durations read, and,
//! with a spec, each request matches one of its operations.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use cartwright_diag::{Diagnostic, Sources, did_you_mean};
use cartwright_model::Api;
use serde_json::Value;
use serde_json_path::JsonPath;

use crate::ast::{Capture, Matcher, MockAction, Scenario, Snapshot, Step};
use crate::load::{FlowError, Flows, MAX_INCLUDE};
use crate::parse::{join, place};
use crate::run::Loaded;
use crate::template::{Template, deep_names};

mod stub;

/// Reads a scenario timing (`500ms`, `2s`, `1m`; a bare number is milliseconds) in the one
/// duration grammar of cartwright.
pub(crate) fn duration(s: &str) -> Option<Duration> {
    cartwright_model::duration(s, cartwright_model::Bare::Millis).ok()
}

struct Lint<'a> {
    api: Option<&'a Api>,
    flows: &'a Flows,
    errs: Vec<Diagnostic>,
}

/// Checks a loaded scenario and the flows it includes. `known` are variables defined
/// outside it (env, secrets).
pub fn lint(loaded: &Loaded, known: &BTreeSet<String>, sources: &Sources) -> Vec<Diagnostic> {
    let (file, s) = (loaded.file.as_path(), &loaded.scenario);
    let mut l = Lint {
        api: loaded.api.as_deref(),
        flows: &loaded.flows,
        errs: Vec::new(),
    };
    let mut defined: BTreeSet<String> = known.clone();
    defined.extend(s.vars.keys().cloned());
    l.steps(file, s, &mut defined, sources, 0);
    let name = file.display().to_string();
    place(&mut l.errs, &name, sources);
    l.errs
}

impl Lint<'_> {
    fn steps(
        &mut self,
        file: &Path,
        s: &Scenario,
        defined: &mut BTreeSet<String>,
        sources: &Sources,
        depth: usize,
    ) {
        for (i, step) in s.steps.iter().enumerate() {
            self.step(file, step, &format!("/steps/{i}"), defined, sources, depth);
        }
    }

    fn step(
        &mut self,
        file: &Path,
        step: &Step,
        at: &str,
        defined: &mut BTreeSet<String>,
        sources: &Sources,
        depth: usize,
    ) {
        if let Some(c) = &step.skip_if {
            self.names_in(
                &format!(
                    "{{{{ {} }}}}",
                    c.trim().trim_start_matches("{{").trim_end_matches("}}")
                ),
                &join(at, "skip_if"),
                defined,
            );
        }
        let mut inner = defined.clone();
        if let Some(each) = &step.each {
            self.value(each, &join(at, "each"), defined);
            inner.insert("item".into());
            inner.insert("index".into());
        }
        if let Some(g) = step.graphql() {
            let gat = join(at, "graphql");
            for (k, v) in &g.headers {
                self.names_in(v, &join(&join(&gat, "headers"), k), &inner);
            }
            if let Some(v) = &g.variables {
                self.value(v, &join(&gat, "variables"), &inner);
            }
        }
        if let Some(r) = step.request() {
            let rat = join(at, "request");
            if cartwright_model::Method::parse(&r.method.to_ascii_uppercase()).is_none() {
                self.err(
                    &join(&rat, "method"),
                    &format!("`{}` is not an HTTP method", r.method),
                );
            }
            self.names_in(&r.path, &join(&rat, "path"), &inner);
            for (k, v) in &r.headers {
                self.names_in(k, &join(&join(&rat, "headers"), k), &inner);
                self.names_in(v, &join(&join(&rat, "headers"), k), &inner);
            }
            for (k, v) in &r.query {
                self.value(v, &join(&join(&rat, "query"), k), &inner);
            }
            if let Some(j) = &r.json {
                self.value(j, &join(&rat, "json"), &inner);
            }
            for (k, v) in r.form.iter().flatten() {
                self.names_in(v, &join(&join(&rat, "form"), k), &inner);
            }
            if let Some(b) = &r.body {
                self.names_in(b, &join(&rat, "body"), &inner);
            }
            self.operation(r, &rat);
        }
        if let Some(MockAction::Outbox { to: Some(t) }) = step.mock() {
            self.names_in(t, &join(&join(at, "mock"), "outbox"), &inner);
        }
        if let Some(MockAction::Advance(d)) = step.mock()
            && let Err(e) = cartwright_model::duration_ms(d, cartwright_model::Bare::Seconds)
        {
            self.err(&join(&join(at, "mock"), "advance"), &e.to_string());
        }
        match step.mock() {
            Some(MockAction::Stub(def)) => {
                let sat = join(&join(at, "mock"), "stub");
                self.value(def, &sat, &inner);
                self.stub(def, &sat);
            }
            Some(MockAction::Expect(e)) => {
                let eat = join(&join(at, "mock"), "expect");
                if let Some(p) = &e.path {
                    self.names_in(p, &join(&eat, "path"), &inner);
                }
                if let Some(o) = &e.operation {
                    self.operation_id(o, &join(&eat, "operation"));
                }
            }
            _ => {}
        }
        if let Some(inc) = step.include() {
            self.include(file, inc, at, &mut inner, defined, sources, depth);
        }
        for (name, c) in &step.capture {
            self.capture(c, &join(&join(at, "capture"), name));
            inner.insert(name.clone());
            defined.insert(name.clone());
        }
        self.asserts(step, at, &inner);
        if let Some(snap) = &step.snapshot
            && let Err(e) = crate::snapshot::plain_name(snap.name())
        {
            let at = join(at, "snapshot");
            match snap {
                Snapshot::Full(_) => self.err(&join(&at, "name"), &e),
                Snapshot::Name(_) => self.err(&at, &e),
            }
        }
        if let Some(Snapshot::Full(f)) = &step.snapshot {
            for (i, p) in f.redact.iter().enumerate() {
                self.path(
                    p,
                    &join(&join(&join(at, "snapshot"), "redact"), &i.to_string()),
                );
            }
        }
        if let Some(iv) = step.retry.as_ref().and_then(|r| r.interval.as_ref())
            && let Err(e) = cartwright_model::duration(iv, cartwright_model::Bare::Millis)
        {
            self.err(&join(&join(at, "retry"), "interval"), &e.to_string());
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn include(
        &mut self,
        file: &Path,
        inc: &crate::ast::Include,
        at: &str,
        inner: &mut BTreeSet<String>,
        defined: &mut BTreeSet<String>,
        sources: &Sources,
        depth: usize,
    ) {
        for (k, v) in &inc.args {
            self.value(v, &join(&join(&join(at, "include"), "with"), k), inner);
        }
        let path = crate::run::beside(file, &inc.file);
        let here = join(&join(at, "include"), "file");
        let name = path.display().to_string();
        match self.flows.get(&path) {
            Some(Ok(parsed)) if depth < MAX_INCLUDE => {
                let flow = &parsed.scenario;
                let mut theirs: BTreeSet<String> = defined.clone();
                theirs.extend(flow.vars.keys().cloned());
                theirs.extend(inc.args.keys().cloned());
                let mut sub = Lint {
                    api: self.api,
                    flows: self.flows,
                    errs: Vec::new(),
                };
                sub.steps(&path, flow, &mut theirs, sources, depth + 1);
                place(&mut sub.errs, &name, sources);
                self.errs.extend(sub.errs);
                // What the flow captures is defined for the caller's later steps.
                for step in &flow.steps {
                    defined.extend(step.capture.keys().cloned());
                    inner.extend(step.capture.keys().cloned());
                }
            }
            Some(Ok(_)) | None => {}
            Some(Err(e @ FlowError::Unreadable { .. })) => self.err(&here, &e.to_string()),
            Some(Err(FlowError::Invalid(d))) => self.errs.extend(d.iter().cloned()),
        }
    }

    fn asserts(&mut self, step: &Step, at: &str, vars: &BTreeSet<String>) {
        let Some(a) = &step.assert else { return };
        let at = join(at, "assert");
        if let Some(m) = &a.status {
            self.matcher(m, &join(&at, "status"), vars);
        }
        for (h, m) in &a.headers {
            self.matcher(m, &join(&join(&at, "headers"), h), vars);
        }
        for (p, m) in &a.body {
            let here = join(&join(&at, "body"), p);
            self.path(p, &here);
            self.matcher(m, &here, vars);
        }
        if let Some(d) = &a.duration
            && duration(d.trim().trim_start_matches('<')).is_none()
        {
            self.err(
                &join(&at, "duration"),
                &format!("`{d}` is not like `< 500ms`"),
            );
        }
    }

    fn matcher(&mut self, m: &Matcher, at: &str, vars: &BTreeSet<String>) {
        match m {
            Matcher::Equals(v) => self.value(v, at, vars),
            Matcher::Ops(o) => {
                for v in [&o.eq, &o.ne, &o.lt, &o.gt, &o.le, &o.ge, &o.contains]
                    .into_iter()
                    .flatten()
                {
                    self.value(v, at, vars);
                }
                for v in o.one_of.iter().flatten() {
                    self.value(v, at, vars);
                }
                if let Some(re) = &o.matches
                    && let Err(e) = regex::Regex::new(re)
                {
                    self.err(&join(at, "matches"), &format!("invalid regex: {e}"));
                }
                if let Some(t) = &o.kind
                    && !crate::matcher::TYPES.contains(&t.as_str())
                {
                    let d = Diagnostic::error("scenario-value", format!("unknown type `{t}`"))
                        .with_pointer(join(at, "type"));
                    self.errs.push(
                        match did_you_mean(t, crate::matcher::TYPES.iter().copied()) {
                            Some(n) => d.with_help(format!("did you mean `{n}`?")),
                            None => d,
                        },
                    );
                }
                if let Some(l) = &o.length {
                    self.matcher(l, &join(at, "length"), vars);
                }
                if let Some(n) = &o.not {
                    self.matcher(n, &join(at, "not"), vars);
                }
            }
        }
    }

    fn capture(&mut self, c: &Capture, at: &str) {
        match c {
            Capture::Path(p) => self.path(p, at),
            Capture::Full(f) => {
                let sources = [
                    f.jsonpath.is_some(),
                    f.header.is_some(),
                    f.cookie.is_some(),
                    f.status,
                ];
                if sources.iter().filter(|s| **s).count() > 1 {
                    self.err(
                        at,
                        "a capture reads one of `jsonpath`, `header`, `cookie`, `status`",
                    );
                }
                if let Some(p) = &f.jsonpath {
                    self.path(p, &join(at, "jsonpath"));
                }
                if let Some(re) = &f.regex
                    && let Err(e) = regex::Regex::new(re)
                {
                    self.err(&join(at, "regex"), &format!("invalid regex: {e}"));
                }
            }
        }
    }

    fn path(&mut self, p: &str, at: &str) {
        if let Err(e) = JsonPath::parse(p) {
            self.err(at, &format!("invalid JSONPath `{p}`: {e}"));
        }
    }

    fn value(&mut self, v: &Value, at: &str, vars: &BTreeSet<String>) {
        let mut names = BTreeSet::new();
        match deep_names(v, &mut names) {
            Ok(()) => self.defined(&names, at, vars),
            Err(e) => self.err(at, &e.to_string()),
        }
    }

    fn names_in(&mut self, text: &str, at: &str, vars: &BTreeSet<String>) {
        match Template::compile(text) {
            Ok(t) => self.defined(&t.names(), at, vars),
            Err(e) => self.err(at, &e.to_string()),
        }
    }

    fn defined(&mut self, names: &BTreeSet<String>, at: &str, vars: &BTreeSet<String>) {
        for n in names.difference(vars) {
            let d = Diagnostic::error(
                "undefined-variable",
                format!("variable `{n}` is not defined here"),
            )
            .with_pointer(at);
            let d = match did_you_mean(n, vars.iter().map(String::as_str)) {
                Some(near) => d.with_help(format!("did you mean `{near}`?")),
                None => d.with_help("define it in `vars`, an `--env` file, CARTWRIGHT_VAR_<name>, or capture it in an earlier step"),
            };
            self.errs.push(d);
        }
    }

    fn operation(&mut self, r: &crate::ast::Request, at: &str) {
        let Some(api) = self.api else { return };
        let Ok(t) = Template::compile(&r.path) else {
            return;
        };
        let shape = t.shape();
        let method = r.method.to_ascii_uppercase();
        // A CORS preflight is the browser's question about a route, not an operation: an
        // OPTIONS the spec does not declare is fine on a path that has operations.
        let preflight = method == "OPTIONS"
            && ["GET", "POST", "PUT", "PATCH", "DELETE"]
                .iter()
                .any(|m| crate::conform::operation(api, m, &shape).is_ok());
        if preflight {
            return;
        }
        if let Err(e) = crate::conform::operation(api, &method, &shape) {
            let known: Vec<String> = api.operations.iter().map(|o| o.signature()).collect();
            let sig = format!("{} {}", r.method.to_ascii_uppercase(), r.path);
            let d = Diagnostic::error("unknown-operation", e).with_pointer(join(at, "path"));
            self.errs
                .push(match did_you_mean(&sig, known.iter().map(String::as_str)) {
                    Some(n) => d.with_help(format!("did you mean `{n}`?")),
                    None => d,
                });
        }
    }

    fn err(&mut self, at: &str, msg: &str) {
        self.errs
            .push(Diagnostic::error("scenario-value", msg).with_pointer(at));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(duration("2s"), Some(Duration::from_secs(2)));
        assert_eq!(duration("250"), Some(Duration::from_millis(250)));
        assert_eq!(duration("soon"), None);
    }

    fn lint_text(text: &str) -> Vec<Diagnostic> {
        let mut sources = Sources::new();
        let reader = cartwright_source::Reader::new();
        let l = crate::load::load_text(Path::new("t.yaml"), text, &reader, &mut sources)
            .expect("parses");
        lint(&l, &BTreeSet::new(), &sources)
    }

    #[test]
    fn undefined_variables_are_placed_with_the_nearest_name() {
        let e = lint_text(
            "name: demo\nvars: {token: a}\nsteps:\n  - request: {path: /a, headers: {X: '{{ tokn }}'}}\n",
        );
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].help.as_deref(), Some("did you mean `token`?"));
        assert_eq!(e[0].span.as_ref().map(|s| s.start.line), Some(4));
    }

    #[test]
    fn captures_define_names_for_later_steps_only() {
        let ok = lint_text(
            "name: demo\nsteps:\n  - request: {path: /a}\n    capture: {t: $.t}\n  - request: {path: '/b/{{ t }}'}\n",
        );
        assert!(ok.is_empty(), "{ok:?}");
        let bad = lint_text(
            "name: demo\nsteps:\n  - request: {path: '/b/{{ t }}'}\n  - request: {path: /a}\n    capture: {t: $.t}\n",
        );
        assert_eq!(bad.len(), 1);
    }

    #[test]
    fn paths_regexes_types_and_durations_are_checked() {
        let e = lint_text(
            "name: demo\nsteps:\n  - request: {path: /a}\n    capture: {t: '$['}\n    assert: {body: {$.a: {type: strng, matches: '('}}, duration: soon}\n",
        );
        let codes: Vec<&str> = e.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(e.len(), 4, "{codes:?}");
        assert!(
            e.iter()
                .any(|d| d.help.as_deref() == Some("did you mean `string`?"))
        );
    }
}
