//! What a step's answer is judged by: its captures, its assertions, the contract of the
//! operation it matched, and its snapshot. Kept apart from the sending so each reads alone.

use cartwright_model::Api;
use cartwright_outcome::{Check, Step as Done};
use minijinja::value::Value as Jinja;
use serde_json::{Map, Value};

use super::{Exec, Scope, text};
use crate::answer::{Answer, Paths, capture};
use crate::ast::{Capture, Snapshot, Step};
use crate::matcher::check;
use crate::snapshot::{Compared, File, normalise};

impl Exec<'_> {
    pub(super) fn captures(
        &self,
        step: &Step,
        a: &Answer,
        scope: &mut Scope<'_>,
        done: &mut Done,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for (name, c) in &step.capture {
            // A secret's source is masked whatever the capture makes of it: a regex that
            // misses must not print the token it was given in the failure report.
            if let Capture::Full(f) = c
                && f.secret
                && (f.jsonpath.is_some() || f.header.is_some() || f.cookie.is_some())
                && let Ok(Some(v)) = crate::answer::source(f, a)
            {
                scope.masker.add(&text(&v));
            }
            match capture(c, a) {
                Ok(Some(v)) => {
                    if matches!(c, Capture::Full(f) if f.secret) {
                        scope.masker.add(&text(&v));
                    }
                    out.insert(name.clone(), v);
                }
                Ok(None) => {
                    done.checks
                        .push(Check::fail(format!("capture {name}"), "a value", "absent"))
                }
                Err(e) => done
                    .checks
                    .push(Check::fail(format!("capture {name}"), "a value", e)),
            }
        }
        // Visible to this step's asserts; kept for later steps only if the step passes.
        scope.vars.extend(out.clone());
        out
    }

    pub(super) fn asserts(
        &self,
        step: &Step,
        a: &Answer,
        vars: &Jinja,
        api: Option<&Api>,
        sig: &Option<(String, String)>,
        done: &mut Done,
    ) {
        let asserts = step.assert.clone().unwrap_or_default();
        if let Some(m) = &asserts.status {
            done.checks.push(result(
                "status",
                check(m, Some(&Value::from(a.status)), vars),
            ));
        }
        for (h, m) in &asserts.headers {
            let v = a.header(h).map(Value::from);
            done.checks
                .push(result(&format!("header {h}"), check(m, v.as_ref(), vars)));
        }
        for (p, m) in &asserts.body {
            let c = match a.path(p) {
                Ok(v) => result(&format!("body {p}"), check(m, v.as_ref(), vars)),
                Err(e) => Check::fail(format!("body {p}"), "a valid JSONPath", e),
            };
            done.checks.push(c);
        }
        if let Some(d) = &asserts.duration {
            let limit = d.trim().trim_start_matches('<').trim();
            match crate::check::duration(limit) {
                Some(limit) if a.took < limit => {
                    done.checks.push(Check::pass(format!("duration < {d}")))
                }
                Some(_) => done.checks.push(Check::fail(
                    "duration",
                    format!("< {limit:?}"),
                    format!("{:?}", a.took),
                )),
                None => done.checks.push(Check::fail(
                    "duration",
                    "a duration like `< 500ms`",
                    d.clone(),
                )),
            }
        }
        if let (Some(api), Some((method, path)), true) = (api, sig, asserts.schema != Some(false)) {
            let c = match crate::conform::operation(api, method, path) {
                Ok(op) => {
                    let v = crate::conform::violations(op, a);
                    if v.is_empty() {
                        Check::pass(format!("schema {}", op.id))
                    } else {
                        Check::fail(
                            format!("schema {}", op.id),
                            "an answer the spec declares",
                            v[0].message.clone(),
                        )
                        .with_detail(
                            v.iter()
                                .map(|f| f.message.as_str())
                                .collect::<Vec<_>>()
                                .join("\n"),
                        )
                    }
                }
                Err(e) => Check::fail("schema", "an operation of the spec", e),
            };
            done.checks.push(c);
        }
    }

    pub(super) fn snapshot(
        &self,
        snap: &Snapshot,
        a: &Answer,
        scope: &Scope<'_>,
        sig: &Option<(String, String)>,
    ) -> Check {
        let (headers, redact) = match snap {
            Snapshot::Name(_) => (vec!["content-type".to_owned()], Vec::new()),
            Snapshot::Full(f) => (
                f.headers
                    .clone()
                    .unwrap_or_else(|| vec!["content-type".into()]),
                f.redact.clone(),
            ),
        };
        let stem = scope
            .loaded
            .file
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let file = File {
            root: self.opts.snapshot_root.clone(),
            path: self
                .opts
                .snapshot_root
                .join(&scope.loaded.api_name)
                .join(format!("{stem}__{}.snap", snap.name())),
            source: scope.loaded.file.display().to_string(),
            expression: sig
                .as_ref()
                .map_or_else(|| "mock admin".to_owned(), |(m, p)| format!("{m} {p}")),
        };
        let body = normalise(a, &headers, &redact, scope.masker.values());
        let name = format!("snapshot {}", snap.name());
        match file.compare(&body, self.opts.snapshots) {
            Ok(Compared::Same | Compared::Written) => Check::pass(name),
            Ok(Compared::Missing(_)) => Check::fail(
                name,
                format!("{}", file.path.display()),
                "no committed snapshot (a .snap.new is written unless CI=true; accept with --update-snapshots)",
            ),
            Ok(Compared::Differs(d)) => {
                Check::fail(name, "the committed snapshot", "a different answer")
                    .with_detail(scope.masker.mask(&d))
            }
            Err(e) => Check::fail(name, "a readable snapshot", e.to_string()),
        }
    }
}

fn result(name: &str, r: Result<(), crate::matcher::Mismatch>) -> Check {
    match r {
        Ok(()) => Check::pass(name),
        Err(m) => Check::fail(name, m.expected, m.actual),
    }
}
