//! `token_expiry`: a token past its lifetime no longer opens its session. A token is
//! obtained, a read with it must succeed, its lifetime passes, and the same read is judged
//! as the binding documents: a kind that renews (Centra, seed 001: "In the case of an
//! expired token, the request you will make will give you back a new value in the
//! token-property") answers with a new token; any other kind refuses the expired token.
//!
//! Against the cartwright mock the lifetime is the spec's session `ttl`, else the login
//! answer's `expires_in`, and the mock's virtual clock is moved past it and back again.
//! Against another server only a lifetime given by `--token-lifetime` is used (no seed gives
//! one), and the check waits for it for real — unless it exceeds `--max-wait`, when the
//! check says there is nothing to probe. It runs after the per-operation phases, when no
//! other request is in flight, in the case of each kind's reader.

use cartwright_http::Answer;
use cartwright_model::Operation;
use cartwright_outcome::{Case, Check, Step};
use cartwright_scenario::ast::{self, Matcher, MockAction, Ops};
use serde_json::Value;

mod carried;

use crate::checks::Check as Name;
use crate::checks::forged_credentials::refused;
use crate::probe::Probe;
use crate::sessions::flow::{self, Flow};
use crate::sessions::json;
use crate::sessions::obtain::obtain;
use crate::sessions::session::{self, Kind, Source};
use crate::sessions::{carry, mock};

const CHECK: Name = Name::TokenExpiry;

/// How the lifetime passes.
#[derive(Clone, Copy)]
enum Passing {
    /// The mock's virtual clock moves.
    Clock,
    /// Real time passes, this many seconds.
    Wait(u64),
}

/// Adds the `token_expiry` steps to the case of each kind's reader (`cases` in the order
/// of `ops`).
pub(crate) async fn run(probe: &Probe<'_>, ops: &[&Operation], cases: &mut [Case]) {
    if !probe.on(CHECK) {
        return;
    }
    let kinds = session::kinds(probe.api);
    let readers: Vec<(&Kind<'_>, usize)> = kinds
        .iter()
        .filter_map(|k| {
            let r = session::reader(probe.api, k)?;
            Some((k, ops.iter().position(|o| o.id == r.id)?))
        })
        .collect();
    if readers.is_empty() {
        probe.nothing_to_probe(CHECK.as_str(), "no session has a read to judge it by");
        return;
    }
    let passing = if mock::is_cartwright(probe).await {
        Passing::Clock
    } else {
        let max = probe.opts.max_wait_secs;
        match probe.opts.token_lifetime_secs {
            None => {
                let why = "no token lifetime: no seed gives one; --token-lifetime does";
                probe.nothing_to_probe(CHECK.as_str(), why);
                return;
            }
            Some(l) if l > max => {
                let why = format!("lifetime {l}s exceeds --max-wait {max}s");
                probe.nothing_to_probe(CHECK.as_str(), why);
                return;
            }
            Some(l) => Passing::Wait(l),
        }
    };
    for (kind, i) in readers {
        let steps = one(probe, ops[i], kind, passing).await;
        if let Some(case) = cases.get_mut(i) {
            case.steps.extend(steps);
        }
    }
}

/// The lifetime the spec or the login answer gives a kind's tokens, in seconds.
fn lifetime(probe: &Probe<'_>, kind: &Kind<'_>, answer: Option<&Value>) -> Option<u64> {
    let ttl = probe.api.behaviours.session(&kind.name).and_then(|s| s.ttl);
    ttl.or_else(|| answer?.get("expires_in")?.as_u64())
}

async fn one(
    probe: &Probe<'_>,
    reader: &Operation,
    kind: &Kind<'_>,
    passing: Passing,
) -> Vec<Step> {
    let sig = reader.signature();
    let name = format!("{sig} with an expired {} token", kind.name);
    let mut flow = Flow::new(probe);
    let Some(s) = obtain(&mut flow, kind, "a").await else {
        let why = format!(
            "no {} token could be obtained{}",
            kind.name,
            mock::refusal(probe)
        );
        flow.skip(name, why);
        return flow.report;
    };
    let read = carry::carry(probe, reader, kind, Some(&s.marker));
    let first = flow.setup(format!("{sig} with the new token"), &read).await;
    if !first.as_ref().is_some_and(|a| flow::ok(a.status)) {
        flow.skip(name, "the new token did not open its session");
        return flow.report;
    }
    flow.assert(|a| a.status = Some(flow::success()));
    let brought = match (&first, kind.renew) {
        (Some(before), true) => carried::change(&mut flow, reader, kind, &s.marker, before).await,
        _ => Vec::new(),
    };
    let secs = match passing {
        Passing::Wait(l) => {
            tokio::time::sleep(std::time::Duration::from_secs(l + 1)).await;
            None
        }
        Passing::Clock => {
            let Some(l) = lifetime(probe, kind, s.answer.as_ref()) else {
                flow.skip(
                    name,
                    "neither the spec's session nor the login gives a lifetime",
                );
                return flow.report;
            };
            // A minute past it, so no rounding of the clock keeps the token alive.
            let secs = i64::try_from(l).unwrap_or(i64::MAX / 2).saturating_add(60);
            if !mock::advance(probe, secs).await {
                let why = match probe.admin_refusal() {
                    Some(_) => format!("the mock's clock did not move{}", mock::refusal(probe)),
                    None => "the mock's clock did not move".to_owned(),
                };
                flow.skip(name, why);
                return flow.report;
            }
            flow.steps.push(ast::Step {
                name: Some("the token's lifetime passes on the mock's clock".into()),
                ..ast::Step::new(ast::Action::Mock(MockAction::Advance(format!("{secs}"))))
            });
            Some(secs)
        }
    };
    flow.send(name.clone(), &read, |a| {
        judge(reader, kind, &s.token, &brought, a)
    })
    .await;
    let renewal = first.as_ref().and_then(|a| session::read(reader, kind, a));
    if kind.renew {
        let other = Matcher::Ops(Box::new(Ops {
            ne: Some(Value::String(format!("{{{{ {} }}}}", s.var))),
            ..Ops::default()
        }));
        flow.assert(|a| {
            a.status = Some(flow::success());
            carried::assert_gone(a, &brought);
            match renewal.map(|(_, src)| src) {
                Some(Source::Body(p)) => {
                    a.body.insert(json::jsonpath(&p), other);
                }
                Some(Source::Header(h)) => {
                    a.headers.insert(h, other);
                }
                None => {}
            }
        });
    } else {
        flow.assert(refused);
    }
    if let Some(secs) = secs {
        // Back again, so what runs next sees the time it started with.
        mock::advance(probe, -secs).await;
        // Against another server the clock step is skipped and the token would still be
        // live: the replay says what it needs.
        let note = "It moves the cartwright mock's clock: replay it against the mock only.";
        flow.keep_if_failed_noting(&name, CHECK, note);
    }
    flow.report
}

fn judge(
    reader: &Operation,
    kind: &Kind<'_>,
    token: &str,
    brought: &carried::Brought,
    a: &Answer,
) -> Vec<Check> {
    let ok = flow::ok(a.status);
    let renewed = session::read(reader, kind, a).is_some_and(|(t, _)| t != token);
    vec![match (kind.renew, ok) {
        (true, true) if renewed => carried::judge(brought, a).unwrap_or(Check::pass(CHECK)),
        (true, _) => Check::fail(
            CHECK,
            "a new value in the token-property for the expired token",
            format!("{} without a new token", a.status),
        ),
        (false, false) => Check::pass(CHECK),
        (false, true) => Check::fail(
            CHECK,
            "a refusal (401) of the expired token",
            format!("{} (the expired token still opens its session)", a.status),
        ),
    }]
}
