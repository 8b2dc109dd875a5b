//! A check of several requests, kept as two things at once: the report steps of what was
//! sent, and a scenario that sends it all again for `cartwright run`.
//!
//! Values a replay must obtain afresh (tokens, one-time codes, e-mail addresses, idempotency
//! keys) go into requests as *slots*: a marker that is filled with this run's value when the
//! request is sent, and with a `{{ variable }}` template in the scenario. A replay then
//! captures its own token instead of reusing one that has since expired.

use cartwright_http::Answer;
use cartwright_outcome::{Check, Status, Step};
use cartwright_scenario::ast::{self, Asserts, Capture, CaptureFull, MockAction, Scenario};
use indexmap::IndexMap;
use serde_json::Value;

use crate::probe::Probe;
use crate::replay;
use crate::request::Req;

/// One check's requests: its report steps and its replay scenario.
pub(crate) struct Flow<'p, 'a> {
    /// Where requests go.
    pub probe: &'p Probe<'a>,
    /// The report steps so far.
    pub report: Vec<Step>,
    /// The scenario steps so far.
    pub steps: Vec<ast::Step>,
    /// The scenario's variables (fresh addresses and keys, default codes).
    pub vars: IndexMap<String, Value>,
    slots: Vec<Slot>,
}

struct Slot {
    marker: String,
    value: String,
    template: String,
}

impl<'p, 'a> Flow<'p, 'a> {
    /// An empty flow.
    pub(crate) fn new(probe: &'p Probe<'a>) -> Self {
        Flow {
            probe,
            report: Vec::new(),
            steps: Vec::new(),
            vars: IndexMap::new(),
            slots: Vec::new(),
        }
    }

    /// A slot sent as `value` and replayed as `template`; build requests with the marker.
    pub(crate) fn slot(&mut self, value: &str, template: &str) -> String {
        // Letters and digits only, so no encoding of a path, query or body changes it, and
        // the closing `z` keeps `cwslot1z` from being a prefix of `cwslot12z`.
        let marker = format!("cwslot{}z", self.slots.len() + 1);
        self.slots.push(Slot {
            marker: marker.clone(),
            value: value.to_owned(),
            template: template.to_owned(),
        });
        marker
    }

    /// A slot replayed as the scenario variable `var`.
    pub(crate) fn var_slot(&mut self, var: &str, value: &str) -> String {
        self.slot(value, &format!("{{{{ {var} }}}}"))
    }

    /// The value a marker stands for in this run.
    pub(crate) fn value(&self, marker: &str) -> Option<&str> {
        self.slots
            .iter()
            .find(|s| s.marker == marker)
            .map(|s| s.value.as_str())
    }

    /// What a marker is replayed as.
    pub(crate) fn template_of(&self, marker: &str) -> Option<String> {
        self.slots
            .iter()
            .find(|s| s.marker == marker)
            .map(|s| s.template.clone())
    }

    /// The request as sent: every marker replaced by its value, encoded for where it is.
    pub(crate) fn fill(&self, req: &Req) -> Req {
        let mut out = req.clone();
        for s in &self.slots {
            out.url = out
                .url
                .replace(&s.marker, &crate::request::segment(&s.value));
            for (_, v) in &mut out.headers {
                *v = v.replace(&s.marker, &s.value);
            }
            if let Some(cartwright_http::Body {
                content_type: ct,
                bytes,
            }) = &mut out.body
            {
                let text = String::from_utf8_lossy(bytes).into_owned();
                if !text.contains(&s.marker) {
                    continue;
                }
                let value = if ct.contains("json") {
                    let quoted = serde_json::to_string(&s.value).unwrap_or_default();
                    quoted.trim_matches('"').to_owned()
                } else if ct.starts_with("application/x-www-form-urlencoded") {
                    form_urlencoded::byte_serialize(s.value.as_bytes()).collect()
                } else {
                    s.value.clone()
                };
                *bytes = text.replace(&s.marker, &value).into_bytes();
            }
        }
        out
    }

    /// The scenario request for `req`, every marker replaced by its template.
    pub(crate) fn template(&self, req: &Req) -> ast::Request {
        let mut r = replay::request(self.probe.api, &self.probe.target, req);
        let sub = |s: &str| {
            self.slots.iter().fold(s.to_owned(), |s, slot| {
                s.replace(&slot.marker, &slot.template)
            })
        };
        r.path = sub(&r.path);
        for v in r.query.values_mut() {
            *v = sub_value(v, &sub);
        }
        for v in r.headers.values_mut() {
            *v = sub(v);
        }
        if let Some(j) = &mut r.json {
            *j = sub_value(j, &sub);
        }
        if let Some(f) = &mut r.form {
            for v in f.values_mut() {
                *v = sub(v);
            }
        }
        if let Some(b) = &mut r.body {
            *b = sub(b);
        }
        r
    }

    /// Sends `req` (with markers) as a report step judged by `judge`, and adds it to the
    /// scenario with the contract check off (the check asserts only what it is about).
    pub(crate) async fn send(
        &mut self,
        name: String,
        req: &Req,
        judge: impl FnOnce(&Answer) -> Vec<Check>,
    ) -> Option<Answer> {
        let sent = self.fill(req);
        let (step, answer) = self.probe.exchange(name.clone(), &sent, judge).await;
        self.report.push(step);
        self.steps.push(ast::Step {
            name: Some(name),
            assert: Some(Asserts {
                schema: Some(false),
                ..Asserts::default()
            }),
            ..ast::Step::new(ast::Action::Request(self.template(req)))
        });
        answer
    }

    /// Sends a request that only prepares the check (a login, a first read).
    pub(crate) async fn setup(&mut self, name: String, req: &Req) -> Option<Answer> {
        self.send(name, req, |_| Vec::new()).await
    }

    /// The last scenario step, to add captures and assertions to.
    pub(crate) fn last(&mut self) -> Option<&mut ast::Step> {
        self.steps.last_mut()
    }

    /// Captures `var` from the last scenario step (secret: tokens are masked in replays).
    pub(crate) fn capture(&mut self, var: &str, capture: CaptureFull) {
        if let Some(s) = self.last() {
            s.capture.insert(var.to_owned(), Capture::Full(capture));
        }
    }

    /// Asserts on the last scenario step.
    pub(crate) fn assert(&mut self, edit: impl FnOnce(&mut Asserts)) {
        if let Some(a) = self.last().and_then(|s| s.assert.as_mut()) {
            edit(a);
        }
    }

    /// A scenario step reading the mock's outbox into `var` (skipped against other servers,
    /// where the variable keeps its default).
    pub(crate) fn outbox(&mut self, to: &str, var: &str) {
        let mut capture = IndexMap::new();
        capture.insert(
            var.to_owned(),
            Capture::Full(CaptureFull {
                jsonpath: Some("$.messages[-1].code".into()),
                secret: true,
                ..CaptureFull::default()
            }),
        );
        self.steps.push(ast::Step {
            name: Some("the one-time code from the mock's outbox".into()),
            capture,
            ..ast::Step::new(ast::Action::Mock(MockAction::Outbox {
                to: Some(to.to_owned()),
            }))
        });
    }

    /// A skipped report step saying why the check could not go on.
    pub(crate) fn skip(&mut self, name: String, reason: impl Into<String>) {
        let mut step = Step::new(name);
        step.status = Status::Skipped;
        step.reason = Some(reason.into());
        self.report.push(step);
    }

    /// Whether a report step failed.
    pub(crate) fn failed(&self) -> bool {
        self.report.iter().any(|s| s.status == Status::Failed)
    }

    /// Keeps the scenario as a failure replay when a report step failed.
    pub(crate) fn keep_if_failed(&self, name: &str, check: crate::checks::Check) {
        self.keep_if_failed_noting(name, check, "");
    }

    /// As [`Flow::keep_if_failed`], with a note for whoever replays it (what target it
    /// needs) after the description's first sentence.
    pub(crate) fn keep_if_failed_noting(
        &self,
        name: &str,
        check: crate::checks::Check,
        note: &str,
    ) {
        if !self.failed() {
            return;
        }
        let description = format!("Found by cartwright verify: {check}. {note}");
        self.probe.keep(Scenario {
            name: name.to_owned(),
            description: Some(description.trim_end().to_owned()),
            tags: vec![check.into()],
            vars: self.vars.clone(),
            steps: self.steps.clone(),
        });
    }
}

fn sub_value(v: &Value, sub: &impl Fn(&str) -> String) -> Value {
    match v {
        Value::String(s) => Value::String(sub(s)),
        Value::Array(items) => Value::Array(items.iter().map(|x| sub_value(x, sub)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), sub_value(x, sub)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A status in 200..300 as a scenario matcher.
pub(crate) fn success() -> ast::Matcher {
    ast::Matcher::Ops(Box::new(ast::Ops {
        ge: Some(Value::from(200)),
        lt: Some(Value::from(300)),
        ..ast::Ops::default()
    }))
}

/// Whether a status is a success.
pub(crate) fn ok(status: u16) -> bool {
    (200..300).contains(&status)
}
