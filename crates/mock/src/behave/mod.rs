//! The behaviour layer: what `x-cartwright` bindings make an operation do with state —
//! sessions that start, renew and expire, one-time codes, token pairs, carts, idempotent
//! retries — before the answer is made from the spec and patched with what the state says.
//!
//! Each operation is atomic: operations on one session token run one at a time (a lock
//! per stripe of tokens, `checkout.rs`), and one lock guards every store while an
//! operation's steps run, except for steps that change only their session's state, which
//! run on that state checked out of the store. Nothing here knows an API: the bindings say
//! everything.

mod access;
mod answer;
#[cfg(test)]
mod answer_tests;
mod answers;
mod append;
mod apply;
mod change;
mod checkout;
mod clock;
mod context;
mod issue;
#[cfg(test)]
mod kept_tests;
mod otp;
mod patch;
mod request;
mod session;
mod steps;
mod store;
mod take;
mod template;
mod tokens;

use std::sync::Mutex;

use cartwright_model::{Api, Operation, Respond};
use http::StatusCode;
use serde_json::Value;

pub(crate) use apply::apply;
pub use clock::{Clock, ClockError};
use context::Ctx;
use store::World;
pub(crate) use tokens::same_secret;

use crate::problem::{Problem, ProblemKind};
use crate::{Config, Incoming, Outgoing};

/// A request with its path parameters: where session tokens are read from.
type Sent<'r> = (&'r Incoming, &'r [(String, String)]);

/// State, outbox and clock of one mock.
pub(crate) struct Behave {
    world: Mutex<World>,
    /// The virtual clock.
    pub clock: Clock,
    /// Signs JWTs when no key was configured: random per process, never shown.
    fallback_key: Vec<u8>,
    /// Example bodies cut around their patched members.
    templates: template::Templates,
    /// Answers kept by the state they were written from.
    answers: answers::Answers,
    /// One lock per stripe of session tokens (`checkout.rs`).
    stripes: crate::stripes::Stripes,
    /// Items of inferred collections, per API, behind a lock of their own (`access.rs`).
    inferred: Mutex<store::Inferred>,
    /// One lock per stripe of inferred items' ids (`resources/checkout.rs`).
    item_stripes: crate::stripes::Stripes,
}

impl Default for Behave {
    fn default() -> Self {
        Behave {
            world: Mutex::default(),
            clock: Clock::default(),
            fallback_key: cartwright_model::random(32),
            templates: template::Templates::default(),
            answers: answers::Answers::default(),
            stripes: crate::stripes::Stripes::default(),
            inferred: Mutex::default(),
            item_stripes: crate::stripes::Stripes::default(),
        }
    }
}

/// What the spec's answer should be made from, once the steps have run.
pub(crate) struct Plan<'a> {
    /// The status to answer with (`None`: the operation's default).
    pub status: Option<u16>,
    /// Why, when the status is a refusal the operation may not declare.
    pub reason: Option<&'static str>,
    /// Example and patches.
    pub respond: Option<&'a Respond>,
    /// The context the patches are evaluated in.
    pub ctx: Ctx<'a>,
    /// Where to keep the answer for idempotent repeats.
    pub replay: Option<(String, String)>,
}

/// A finished answer or a plan for one.
// A plan is the usual outcome and is moved once per request: boxing it would cost an
// allocation on every request to save stack space on the rare finished answer.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Outcome<'a> {
    /// Answer with this (an idempotent repeat, or a refusal).
    Done(Outgoing),
    /// Make the answer from the spec, then patch it.
    Plan(Plan<'a>),
}

/// The session an operation works on; its state is the context's `state`, so that steps
/// change one copy.
pub(crate) struct Current {
    kind: String,
    /// The storage key of its token; `None` for a session without one (the `none` token).
    key: Option<tokens::Key>,
    expires: Option<i64>,
    /// Whose state it is, for kinds with an `owner`.
    owner: Option<String>,
    /// Whether it is saved when the operation ends.
    keep: bool,
}

impl Behave {
    /// Runs the API's rules and the operation's binding for a valid request.
    pub(crate) fn run<'a>(
        &self,
        api: &'a Api,
        op: &'a Operation,
        (req, parsed): (&'a Incoming, Option<&'a Value>),
        params: &'a [(String, String)],
        config: &Config,
    ) -> Result<Outcome<'a>, Problem> {
        let b = &api.behaviours;
        let now_ms = self.clock.now_ms();
        let seen = request::Seen {
            req,
            params,
            secrets: &b.secrets,
            parsed,
            parts: op
                .behaviour
                .as_ref()
                .map_or_else(Default::default, |b| b.request),
        };
        let secret = request::secrets(req, &b.secrets, &config.secrets);
        let mut ctx = Ctx::of_request(seen, secret, now_ms / 1000, b.globals.clone());
        let mut given = session::Given::read(&b.sessions, (req, params));
        let _held = self.stripes.lock(checkout::stripes(given.keys()));
        let mut world = self.lock();
        let st = world.api(&api.source);
        if let Some(refusal) = self.authenticate(api, op, &mut given, st, now_ms, config, &mut ctx)
        {
            return Ok(Outcome::Plan(refusal));
        }
        let Some(binding) = op.behaviour.as_deref() else {
            return Ok(Outcome::Plan(Plan {
                status: None,
                reason: None,
                respond: None,
                ctx,
                replay: None,
            }));
        };
        // A reference is the caller's own: keyed by the session token the operation works
        // on too, so another customer reusing it gets their own order, never this one.
        let replay = match &binding.idempotent {
            Some(e) => {
                let caller = binding
                    .session
                    .as_deref()
                    .and_then(|kind| b.session(kind))
                    .and_then(|kind| request::token(req, params, &kind.carriers))
                    .unwrap_or_default();
                ctx.eval(e)
                    .map_err(eval_problem)?
                    .map(|k| (op.id.clone(), format!("{caller}\u{0}{k}")))
            }
            None => None,
        };
        if let Some(k) = &replay
            && let Some(out) = st.replies.get(k)
        {
            let mut out = out.clone();
            out.set("idempotent-replayed", "true");
            return Ok(Outcome::Done(out));
        }
        let mut current = match &binding.session {
            Some(kind) => match b.session(kind) {
                Some(kind) => match self.open(kind, &given, st, now_ms, &mut ctx, config)? {
                    Ok(c) => Some(c),
                    Err(status) => {
                        return Ok(Outcome::Plan(Plan {
                            status: Some(status),
                            reason: Some("unknown or expired session token"),
                            respond: None,
                            ctx,
                            replay: None,
                        }));
                    }
                },
                None => None,
            },
            None => None,
        };
        // The tokens' sessions hold the state too: let go of them, so that the steps may
        // change it where it lies.
        drop(given);
        let taken = binding
            .state_only
            .then(|| take::take(st, api, current.as_ref(), &mut ctx))
            .flatten();
        let mut outbox = Vec::new();
        // Two runs are written out: the checked-out one must not borrow the store, whose
        // lock is let go before it runs.
        if let Some(taken) = taken {
            drop(world);
            let s = steps::Run::new(api, op, now_ms, config, self, (&mut outbox, &mut current));
            return self.checked_out(s, taken, binding, (ctx, replay));
        }
        let mut s = steps::Run::new(api, op, now_ms, config, self, (&mut outbox, &mut current));
        s.st = Some(st);
        let plan = s.all(binding, ctx, replay)?;
        let outbox = std::mem::take(s.outbox);
        if let Some(c) = current.filter(|c| c.keep)
            && let Some(kind) = b.session(&c.kind)
            && let Some(key) = c.key
        {
            st.save(
                &kind.name,
                kind.max,
                key,
                store::Session {
                    state: plan.ctx.state(),
                    expires: c.expires,
                    owner: c.owner,
                },
            );
        }
        for m in outbox {
            if world.outbox.len() >= store::OUTBOX_MAX {
                world.outbox.pop_front();
            }
            world.outbox.push_back(m);
        }
        Ok(Outcome::Plan(plan))
    }
}

fn eval_problem(e: cartwright_model::ExprError) -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        ProblemKind::Behaviour,
        "Behaviour Failed",
        format!("an x-cartwright expression failed: {e}"),
    )
}

/// Whether an operation needs the behaviour layer at all.
pub(crate) fn applies(api: &Api, op: &Operation) -> bool {
    op.behaviour.is_some()
        || !api.behaviours.sessions.is_empty()
        || !api.behaviours.browser_forbidden.is_empty()
}
