//! The built-in actions, run in order against the operation's session.

use std::sync::Arc;

use cartwright_model::{Action, Api, Binding, Operation, Respond, SessionKind, digits, iso};
use serde_json::{Value, json};

use super::append;
use super::change::put_at;
use super::context::{Ctx, Top};
use super::otp::{self, Code};
use super::patch::get;
use super::store::ApiState;
use super::tokens::Key;
use super::{Behave, Current, Plan, eval_problem, tokens};
use crate::Config;
use crate::problem::Problem;

/// One operation's run: where state lives and what it has done so far.
pub(super) struct Run<'r> {
    pub api: &'r Api,
    pub op: &'r Operation,
    /// The store; `None` while the run's session is checked out of it (`checkout.rs`):
    /// its steps then change that session's state and nothing else.
    pub st: Option<&'r mut ApiState>,
    pub now_ms: i64,
    pub config: &'r Config,
    pub behave: &'r Behave,
    pub outbox: &'r mut Vec<Value>,
    pub current: &'r mut Option<Current>,
    /// The session whose state the steps took from the store to change where it lies: it
    /// is saved when the operation ends, or put back as it was ([`Run::settle`]).
    pub taken: Option<(&'r SessionKind, Key)>,
    /// The taken state as it was, for whoever holds the store to put back, when a failed
    /// run of a checked-out session does not hold it.
    pub back: Option<Arc<Value>>,
}

/// How the steps ended: with the binding's answer or a step's, or refused.
enum End<'a> {
    Respond(&'a Respond),
    Refused(Option<&'a Respond>, Option<u16>, &'static str),
}

/// How a step ended.
enum Flow<'a> {
    Next,
    Answer(Option<&'a Respond>, Option<u16>, &'static str),
}

impl Run<'_> {
    /// Runs every step; the first that answers ends the operation. When one fails, what
    /// the earlier ones changed is undone.
    pub(super) fn all<'a>(
        &mut self,
        b: &'a Binding,
        mut ctx: Ctx<'a>,
        replay: Option<(String, String)>,
    ) -> Result<Plan<'a>, Problem> {
        let end = self.undoing(&mut ctx, |run, ctx| run.steps(b, ctx))?;
        Ok(match end {
            End::Respond(r) => Plan {
                status: r.status,
                reason: None,
                respond: Some(r),
                ctx,
                replay,
            },
            // A refusal is not a result to replay: the client may fix and retry.
            End::Refused(respond, status, reason) => Plan {
                status: respond.and_then(|r| r.status).or(status),
                reason: Some(reason),
                respond,
                ctx,
                replay: None,
            },
        })
    }

    /// Runs the steps until one answers or refuses.
    fn steps<'a>(&mut self, b: &'a Binding, ctx: &mut Ctx<'a>) -> Result<End<'a>, Problem> {
        for step in &b.steps {
            if let Some(w) = &step.when
                && !ctx.holds(w).map_err(eval_problem)?
            {
                continue;
            }
            if let Flow::Answer(respond, status, reason) = self.action(&step.action, ctx)? {
                return Ok(End::Refused(respond, status, reason));
            }
            if let Some(r) = &step.respond {
                return Ok(End::Respond(r));
            }
        }
        Ok(End::Respond(&b.respond))
    }

    fn action<'a>(&mut self, a: &'a Action, ctx: &mut Ctx<'a>) -> Result<Flow<'a>, Problem> {
        let e = |r: Result<Option<Value>, cartwright_model::ExprError>| r.map_err(eval_problem);
        match a {
            Action::Nothing => {}
            Action::Set(pairs) => {
                for (ptr, shape) in pairs {
                    let v = e(ctx.shape(shape))?;
                    let (state, log) = self.change(ctx);
                    log.keep(None, put_at(state, &ptr.segments, v));
                }
            }
            Action::Append { to, value, merge } => {
                let merged = match merge {
                    Some(m) => append::merged(ctx, &ctx.state(), to, value, m)
                        .map_err(eval_problem)?
                        .map(|found| (m, found)),
                    None => None,
                };
                match merged {
                    Some((m, found)) => {
                        let (state, log) = self.change(ctx);
                        append::merge(state, to, m, found, log);
                    }
                    None => {
                        let v = e(ctx.shape(value))?.unwrap_or(Value::Null);
                        let (state, log) = self.change(ctx);
                        append::push(state, to, v, log);
                    }
                }
            }
            Action::Remove {
                from,
                when,
                missing,
            } => {
                let items = get(ctx.get_state(), &from.segments)
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let mut keep = Vec::new();
                for item in items.iter() {
                    if !ctx
                        .with("item", item.clone(), |c| c.holds(when))
                        .map_err(eval_problem)?
                    {
                        keep.push(item.clone());
                    }
                }
                if keep.len() == items.len() {
                    if let Some(m) = missing {
                        return Ok(Flow::Answer(Some(m), Some(404), "nothing to remove"));
                    }
                } else {
                    let (state, log) = self.change(ctx);
                    log.keep(
                        None,
                        put_at(state, &from.segments, Some(Value::Array(keep))),
                    );
                }
            }
            Action::Record { store, key, init } => {
                let k = text(e(ctx.eval(key))?);
                let found = self
                    .store()?
                    .records
                    .entry(store.clone())
                    .or_default()
                    .get(&k)
                    .cloned();
                let rec = match (found, init) {
                    (Some(r), _) => r,
                    (None, Some(init)) => {
                        let r = e(ctx.shape(init))?.unwrap_or(json!({}));
                        self.store()?
                            .records
                            .entry(store.clone())
                            .or_default()
                            .insert(k, r.clone());
                        r
                    }
                    (None, None) => Value::Null,
                };
                ctx.set(Top::Record, rec);
            }
            Action::OtpSend {
                to,
                digits: digits_n,
                ttl,
            } => {
                let to = text(e(ctx.eval(to))?);
                let code = (self.config.otp_code.clone()).unwrap_or_else(|| digits(*digits_n));
                let expires = self.now_ms + i64::try_from(*ttl).unwrap_or(i64::MAX / 2_000) * 1000;
                self.store()?
                    .codes
                    .insert(to.clone(), Code::new(&code, expires));
                self.outbox.push(json!({"to": to, "code": code, "at": iso(self.now_ms / 1000), "api": self.api.title, "operation": self.op.id}));
            }
            Action::OtpVerify {
                to,
                code,
                fail,
                attempts,
            } => {
                let to = text(e(ctx.eval(to))?);
                let given = text(e(ctx.eval(code))?);
                let now_ms = self.now_ms;
                let codes = &mut self.store()?.codes;
                if !otp::spend(codes, &to, &given, now_ms, *attempts) {
                    return Ok(Flow::Answer(
                        fail.as_ref(),
                        Some(self.refusal(&[401, 422, 400, 403])),
                        "the code is wrong, used or expired",
                    ));
                }
            }
            Action::Issue { session, state } => {
                let kind = kind(self.api, session)?;
                let state = match state {
                    Some(s) => e(ctx.shape(s))?.unwrap_or(json!({})),
                    None => json!({}),
                };
                self.issue(kind, Arc::new(state), ctx)?;
            }
            Action::Refresh {
                session,
                token,
                fail,
            } => {
                let kind = kind(self.api, session)?;
                let given = text(e(ctx.eval(token))?);
                let k = tokens::key(&given);
                let live = self
                    .store()?
                    .refresh(&kind.name, kind.max)
                    .remove(&k)
                    .filter(|s| s.expires.is_none_or(|x| x > self.now_ms));
                let Some(old) = live else {
                    return Ok(Flow::Answer(
                        fail.as_ref(),
                        Some(self.refusal(&[401, 400, 422, 403])),
                        "the refresh token is unknown, used, revoked or expired",
                    ));
                };
                self.issue(kind, old.state, ctx)?;
            }
            Action::Revoke { token } => {
                let k = tokens::key(&text(e(ctx.eval(token))?));
                let api = self.api;
                let st = self.store()?;
                for kind in &api.behaviours.sessions {
                    st.sessions(&kind.name, kind.max).remove(&k);
                    st.refresh(&kind.name, kind.max).remove(&k);
                }
            }
            Action::End => {
                let api = self.api;
                let ended = self.current.as_mut().map(|c| {
                    c.keep = false;
                    (c.key, api.behaviours.session(&c.kind))
                });
                if let Some((Some(k), Some(kind))) = ended {
                    self.store()?.sessions(&kind.name, kind.max).remove(&k);
                }
            }
        }
        if matches!(
            a,
            Action::Set(_) | Action::Append { .. } | Action::Remove { .. }
        ) && let Some(st) = self.st.as_deref()
        {
            // A checked-out session has no owner: only those without one are checked out.
            self.behave.follow_owner(self.api, self.current, st, ctx)?;
        }
        Ok(Flow::Next)
    }

    /// The first of `preferred` that the operation declares, else the first of them.
    fn refusal(&self, preferred: &[u16]) -> u16 {
        preferred
            .iter()
            .copied()
            .find(|c| self.op.response_for(*c).is_some())
            .unwrap_or(preferred[0])
    }
}

/// A session kind the loader has checked exists.
fn kind<'k>(api: &'k Api, name: &str) -> Result<&'k SessionKind, Problem> {
    api.behaviours.session(name).ok_or_else(|| {
        eval_problem(cartwright_model::ExprError(format!(
            "no session kind `{name}`"
        )))
    })
}

/// A value as text: strings as they are, anything else as JSON.
fn text(v: Option<Value>) -> String {
    match v {
        Some(Value::String(s)) => s,
        Some(v) => v.to_string(),
        None => String::new(),
    }
}
