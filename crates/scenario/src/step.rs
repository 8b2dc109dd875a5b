//! One scenario's steps: skip, repeat per element, include, drive the mock, or send; then
//! capture, assert, check the contract and the snapshot, retrying while asked to.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::time::Instant;

use cartwright_diag::Span;
use cartwright_outcome::{Case, Status, Step as Done};
use minijinja::value::Value as Jinja;
use serde_json::{Map, Value};

use crate::answer::Answer;
use crate::ast::{Action, MockAction, Scenario, Step};
use crate::avail::Unavailable;
use crate::load::{FlowError, MAX_INCLUDE};
use crate::matcher::short;
use crate::run::{Loaded, Options, base_for, beside, going, ms, origin};
use crate::send::{Masker, Ready};
use crate::template::{TemplateError, truthy};

mod judge;
mod mock;

/// What every step of a run shares.
pub(crate) struct Exec<'o> {
    /// The HTTP client.
    pub client: reqwest::Client,
    /// The run's options.
    pub opts: &'o Options,
    /// Whether the target is a cartwright mock (mock steps run only then).
    pub is_mock: bool,
}

/// One scenario's state while it runs.
struct Scope<'l> {
    loaded: &'l Loaded,
    /// The file whose steps run (the scenario, or an included flow).
    file: std::path::PathBuf,
    vars: Map<String, Value>,
    masker: Masker,
    case: Case,
    /// Names a skipped step would have captured, with why (see [`crate::avail`]).
    unavailable: Unavailable,
    /// Names captured so far, so an include keeps what its flow captured over its arguments.
    captured: BTreeSet<String>,
    /// Why the rest of the scenario is skipped: a clock step the target cannot take.
    halted: Option<String>,
}

impl Exec<'_> {
    /// Runs a scenario to its end or its first failure.
    pub(crate) async fn scenario(&self, l: &Loaded) -> Case {
        let start = Instant::now();
        // Scenario variables may be computed from earlier ones (`email: "a-{{ uuid() }}@x"`);
        // `--env` and `CARTWRIGHT_VAR_*` values replace them as given.
        let mut vars = self.opts.vars.clone();
        let mut failed = None;
        for (k, v) in &l.scenario.vars {
            if self.opts.vars.contains_key(k) {
                continue;
            }
            match crate::template::deep(v, &Jinja::from_serialize(&vars)) {
                Ok(v) => {
                    vars.insert(k.clone(), v);
                }
                Err(e) => failed = Some(format!("vars.{k}: {e}")),
            }
        }
        let mut scope = Scope {
            loaded: l,
            file: l.file.clone(),
            vars,
            masker: self.opts.masker.clone(),
            unavailable: Unavailable::default(),
            captured: BTreeSet::new(),
            halted: None,
            case: Case {
                name: l.scenario.name.clone(),
                suite: l.api_name.clone(),
                file: Some(l.file.display().to_string()),
                ..Case::default()
            },
        };
        match failed {
            Some(why) => scope.case.error = Some(why),
            None => self.steps(&l.scenario, &mut scope, 0).await,
        }
        scope.case.duration_ms = ms(start.elapsed());
        scope.case
    }

    /// Boxed because includes recurse.
    fn steps<'a, 'l: 'a>(
        &'a self,
        s: &'a Scenario,
        scope: &'a mut Scope<'l>,
        depth: usize,
    ) -> Pin<Box<dyn Future<Output = ()> + 'a>> {
        Box::pin(async move {
            for (i, step) in s.steps.iter().enumerate() {
                if !going(&scope.case) {
                    return;
                }
                if let Some(why) = scope.halted.clone() {
                    let span = scope.loaded.flows.span(&scope.file, i);
                    scope.skip(step_name(step), span, why);
                    continue;
                }
                self.step(step, i, scope, depth).await;
            }
        })
    }

    async fn step(&self, step: &Step, i: usize, scope: &mut Scope<'_>, depth: usize) {
        let span = scope.loaded.flows.span(&scope.file, i);
        let name = step_name(step);
        let needs: BTreeSet<String> = crate::avail::reads(step)
            .into_iter()
            .filter(|n| !scope.vars.contains_key(n))
            .collect();
        if let Some((n, root, why)) = scope.unavailable.blocks(&needs) {
            let reason = crate::avail::reason(&n, &root, &why);
            for c in crate::avail::captures(step, &scope.file, &scope.loaded.flows) {
                if !scope.vars.contains_key(&c) {
                    scope.unavailable.mark(&c, &root, &why);
                }
            }
            return scope.skip(name, span, reason);
        }
        let jinja = Jinja::from_serialize(&scope.vars);
        if let Some(cond) = &step.skip_if {
            match truthy(cond, &jinja) {
                Ok(true) => return scope.skip(name, span, format!("skip_if `{cond}` holds")),
                Ok(false) => {}
                Err(e) => return scope.error(name, span, e.to_string()),
            }
        }
        if let Some(list) = &step.each {
            let items = match crate::template::deep(list, &jinja) {
                Ok(Value::Array(a)) => a,
                Ok(other) => {
                    return scope.error(
                        name,
                        span,
                        format!("`each` needs a list, got {}", short(&other)),
                    );
                }
                Err(e) => return scope.error(name, span, e.to_string()),
            };
            for (n, item) in items.into_iter().enumerate() {
                scope.vars.insert("item".into(), item);
                scope.vars.insert("index".into(), Value::from(n));
                self.once(step, &format!("{name} [{n}]"), span.clone(), scope, depth)
                    .await;
                if !going(&scope.case) {
                    break;
                }
            }
            scope.vars.remove("item");
            scope.vars.remove("index");
            return;
        }
        self.once(step, &name, span, scope, depth).await;
    }

    async fn once(
        &self,
        step: &Step,
        name: &str,
        span: Option<Span>,
        scope: &mut Scope<'_>,
        depth: usize,
    ) {
        if let Some(inc) = step.include() {
            return self.include(inc, name, span, scope, depth).await;
        }
        if (step.mock().is_some() || step.mock_only) && !self.is_mock {
            return scope.skip_mock(step, name, span);
        }
        let attempts = 1 + step.retry.as_ref().map_or(0, |r| r.count);
        let wait = step
            .retry
            .as_ref()
            .and_then(|r| r.interval.as_deref())
            .and_then(crate::check::duration)
            .unwrap_or_default();
        for attempt in 1..=attempts {
            let last = attempt == attempts;
            let started = Instant::now();
            let mut done = Done::new(name);
            done.span = span.clone();
            let jinja = Jinja::from_serialize(&scope.vars);
            let sent = match self.send(step, scope, &jinja).await {
                Ok(s) => s,
                Err((status, why)) => {
                    done.status = status;
                    done.reason = Some(scope.masker.mask(&why));
                    done.duration_ms = ms(started.elapsed());
                    scope.case.steps.push(done);
                    return;
                }
            };
            let (answer, curl, signature) = sent;
            let captured = self.captures(step, &answer, scope, &mut done);
            // Masked after capturing, so a secret this very answer carries is hidden too.
            done.curl = Some(scope.masker.mask(&curl));
            done.response_status = Some(answer.status);
            done.response_body = Some(scope.masker.mask(&cut(&answer.text())));
            let jinja = Jinja::from_serialize(&scope.vars);
            self.asserts(
                step,
                &answer,
                &jinja,
                scope.loaded.api.as_deref(),
                &signature,
                &mut done,
            );
            if let Some(c) = step.mock().and_then(|m| mock::judge(m, &answer)) {
                done.checks.push(c);
            }
            let ok = done.checks.iter().all(|c| c.passed);
            if (ok || last)
                && let Some(snap) = &step.snapshot
            {
                done.checks
                    .push(self.snapshot(snap, &answer, scope, &signature));
            }
            for c in &mut done.checks {
                for text in [&mut c.expected, &mut c.actual, &mut c.detail]
                    .into_iter()
                    .flatten()
                {
                    *text = scope.masker.mask(text);
                }
            }
            done.status = if done.checks.iter().all(|c| c.passed) {
                Status::Passed
            } else {
                Status::Failed
            };
            done.duration_ms = ms(started.elapsed());
            if done.status == Status::Passed || last {
                for k in captured.keys() {
                    scope.unavailable.clear(k);
                    scope.captured.insert(k.clone());
                }
                scope.vars.extend(captured);
                scope.case.steps.push(done);
                return;
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// Sends the step's request (or admin call): the answer, the curl line, `METHOD path`.
    async fn send(
        &self,
        step: &Step,
        scope: &Scope<'_>,
        vars: &Jinja,
    ) -> Result<(Answer, String, Option<(String, String)>), (Status, String)> {
        let invalid = |e: TemplateError| (Status::Errored, e.to_string());
        if let Some(action) = step.mock() {
            let admin = format!("{}/__cartwright", origin(&self.opts.target));
            // A state-changing admin call is JSON, as the admin API takes no other.
            let (method, path, body) = mock::call(action, vars).map_err(invalid)?;
            let ready = Ready {
                method: method.into(),
                path,
                headers: self
                    .opts
                    .admin_token
                    .iter()
                    .map(|t| ("Authorization".to_owned(), format!("Bearer {t}")))
                    .collect(),
                body: body.map(|b| (b.to_string(), "application/json")),
            };
            let request = ready.request(&admin).map_err(|e| (Status::Errored, e))?;
            let answer =
                cartwright_http::send_bounded(&self.client, &request, self.opts.max_response_bytes)
                    .await
                    .map_err(|e| (Status::Errored, e.to_string()))?;
            if answer.status == 401 {
                let why = if self.opts.admin_token.is_some() {
                    "the mock's admin API refused the admin token given (401)"
                } else {
                    "the mock's admin API asks for its token (401): give --admin-token or \
                     CARTWRIGHT_ADMIN_TOKEN"
                };
                return Err((Status::Errored, why.to_owned()));
            }
            return Ok((answer, cartwright_http::curl(&request), None));
        }
        let graphql = step.graphql().map(crate::ast::GraphQl::request);
        let Some(r) = step.request().or(graphql.as_ref()) else {
            return Err((
                Status::Errored,
                "the step has no request, include or mock".into(),
            ));
        };
        let ready = Ready::build(r, vars).map_err(invalid)?;
        let base = base_for(&self.opts.target, scope.loaded.api.as_deref());
        let request = ready.request(&base).map_err(|e| (Status::Errored, e))?;
        let answer =
            cartwright_http::send_bounded(&self.client, &request, self.opts.max_response_bytes)
                .await
                .map_err(|e| match e {
                    // The target answered: the answer is what fails, not the connection.
                    cartwright_http::Error::TooLarge { .. } => (Status::Failed, e.to_string()),
                    e => (Status::Errored, format!("target unreachable: {e}")),
                })?;
        let curl = cartwright_http::curl(&request);
        Ok((answer, curl, Some((ready.method, ready.path))))
    }

    async fn include(
        &self,
        inc: &crate::ast::Include,
        name: &str,
        span: Option<Span>,
        scope: &mut Scope<'_>,
        depth: usize,
    ) {
        if depth >= MAX_INCLUDE {
            return scope.error(
                name.into(),
                span,
                format!("includes nest deeper than {MAX_INCLUDE} (a cycle?)"),
            );
        }
        let path = beside(&scope.file, &inc.file);
        let flows = scope.loaded.flows.clone();
        let flow = match flows.get(&path) {
            Some(Ok(parsed)) => &parsed.scenario,
            Some(Err(e)) => return scope.error(name.into(), span, e.to_string()),
            None => {
                let e = FlowError::Unreadable {
                    path: path.display().to_string(),
                    reason: "not loaded with the scenario".into(),
                };
                return scope.error(name.into(), span, e.to_string());
            }
        };
        let jinja = Jinja::from_serialize(&scope.vars);
        let mut args = Map::new();
        // The flow's `vars` are defaults: `--env`, `CARTWRIGHT_VAR_*` and `--secret` win.
        for (k, v) in &flow.vars {
            if self.opts.vars.contains_key(k) || inc.args.contains_key(k) {
                continue;
            }
            match crate::template::deep(v, &jinja) {
                Ok(v) => {
                    args.insert(k.clone(), v);
                }
                Err(e) => return scope.error(name.into(), span, format!("vars.{k}: {e}")),
            }
        }
        for (k, v) in &inc.args {
            match crate::template::deep(v, &jinja) {
                Ok(v) => {
                    args.insert(k.clone(), v);
                }
                Err(e) => return scope.error(name.into(), span, e.to_string()),
            }
        }
        let outer = std::mem::replace(&mut scope.file, path);
        let saved: Vec<(String, Option<Value>)> = args
            .keys()
            .map(|k| (k.clone(), scope.vars.get(k).cloned()))
            .collect();
        scope.vars.extend(args);
        let before = std::mem::take(&mut scope.captured);
        self.steps(flow, scope, depth + 1).await;
        let inside = std::mem::replace(&mut scope.captured, before);
        // Arguments are the flow's own; what it captured stays for the caller, even under
        // an argument's name (a later assignment wins, as everywhere else).
        for (k, old) in saved {
            if inside.contains(&k) {
                continue;
            }
            match old {
                Some(v) => scope.vars.insert(k, v),
                None => scope.vars.remove(&k),
            };
        }
        scope.captured.extend(inside);
        scope.file = outer;
    }
}

impl Scope<'_> {
    /// A mock step against another server: skipped, and what follows it adjusted. After a
    /// clock step nothing else runs (what follows depends on time having passed); the names
    /// any other would have captured are unavailable unless a variable gives them.
    fn skip_mock(&mut self, step: &Step, name: &str, span: Option<Span>) {
        if let Some(MockAction::Advance(_)) = step.mock() {
            let at = span.as_ref().map_or_else(
                || self.file.display().to_string(),
                |s| format!("{}:{}", s.file, s.start.line),
            );
            self.halted = Some(format!(
                "the clock step at {at} moves only the cartwright mock's clock"
            ));
        }
        for n in step.capture.keys() {
            if !self.vars.contains_key(n) {
                self.unavailable
                    .mark(n, n, &crate::avail::because_mock(n, step.mock()));
            }
        }
        self.skip(
            name.into(),
            span,
            "mock-only step: the target is not a cartwright mock".into(),
        );
    }

    fn skip(&mut self, name: String, span: Option<Span>, reason: String) {
        let mut d = Done::new(name);
        d.status = Status::Skipped;
        d.reason = Some(reason);
        d.span = span;
        self.case.steps.push(d);
    }

    fn error(&mut self, name: String, span: Option<Span>, reason: String) {
        let mut d = Done::new(name);
        d.status = Status::Errored;
        d.reason = Some(self.masker.mask(&reason));
        d.span = span;
        self.case.steps.push(d);
    }
}

/// `METHOD path`, or what the step does.
pub(crate) fn step_name(s: &Step) -> String {
    if let Some(n) = &s.name {
        return n.clone();
    }
    match &s.action {
        Action::GraphQl(g) => {
            let first = g.query.split(['{', '(']).next().unwrap_or("").trim();
            match (&g.operation, first) {
                (Some(o), _) => format!("graphql {o}"),
                (None, "") => "graphql query".into(),
                (None, head) => format!("graphql {head}"),
            }
        }
        Action::Request(r) => format!("{} {}", r.method, r.path),
        Action::Include(i) => format!("include {}", i.file),
        Action::Mock(MockAction::Reset) => "mock reset".into(),
        Action::Mock(MockAction::Advance(d)) => format!("mock advance {d}"),
        Action::Mock(MockAction::Outbox { .. }) => "mock outbox".into(),
        Action::Mock(MockAction::Stub(def)) => format!("mock stub {}", mock::stubbed(def)),
        Action::Mock(MockAction::Expect(e)) => {
            format!("mock expect {} × {}", mock::described(e), e.count)
        }
    }
}

fn cut(body: &str) -> String {
    if body.len() > 2000 {
        let mut end = 2000;
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}… ({} bytes)", &body[..end], body.len())
    } else {
        body.to_owned()
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
