//! Sessions of an operation: opening the one a request carries (live, renewed, `none` or
//! refused), minting tokens, whose state a session is, and the tokens bound to a security
//! scheme that an operation requires.

use cartwright_model::{Api, Operation, SessionKind, Unknown};
use serde_json::{Value, json};

use super::context::{Ctx, Top};
use super::request;
use super::store::{ApiState, Session};
use super::tokens::Key;
use super::{Behave, Current, Plan, Sent, eval_problem, tokens};
use crate::Config;
use crate::problem::Problem;

/// The token a request carries for each session kind, in the API's order, with its
/// storage key: read and hashed once per request, however many steps look for it.
pub(super) struct Given<'k> {
    kinds: &'k [SessionKind],
    tokens: Vec<Option<(String, Key)>>,
    /// The live session of each token, as authentication found it: the operation's own
    /// session is then opened without a second lookup.
    live: Vec<Option<Session>>,
}

impl<'k> Given<'k> {
    /// The tokens `req` carries for `kinds`.
    pub(super) fn read(kinds: &'k [SessionKind], (req, params): Sent<'_>) -> Given<'k> {
        let tokens = kinds
            .iter()
            .map(|k| {
                let t = request::token(req, params, &k.carriers)?;
                let key = tokens::key(&t);
                Some((t, key))
            })
            .collect();
        Given {
            kinds,
            tokens,
            live: Vec::new(),
        }
    }

    /// The keys of the tokens given.
    pub(super) fn keys(&self) -> impl Iterator<Item = &Key> {
        self.tokens.iter().flatten().map(|(_, key)| key)
    }

    /// The token given for the kind named `kind`, its key, and its live session when
    /// authentication found one.
    fn of(&self, kind: &str) -> Option<(&(String, Key), Option<&Session>)> {
        let i = self.kinds.iter().position(|k| k.name == kind)?;
        let live = self.live.get(i).and_then(Option::as_ref);
        self.tokens[i].as_ref().map(|t| (t, live))
    }
}

impl Behave {
    /// Resolves the operation's session: live, renewed, `none`, or refused with a status.
    pub(super) fn open(
        &self,
        kind: &SessionKind,
        given: &Given<'_>,
        st: &mut ApiState,
        now_ms: i64,
        ctx: &mut Ctx,
        config: &Config,
    ) -> Result<Result<Current, u16>, Problem> {
        let (given, found) = given.of(&kind.name).unzip();
        if let (Some((t, _)), Some(none)) = (given, &kind.none)
            && tokens::same_secret(t, none)
        {
            let state = self.initial(kind, ctx)?;
            ctx.set_state_value(state);
            return Ok(Ok(Current {
                kind: kind.name.clone(),
                key: None,
                expires: None,
                owner: None,
                keep: false,
            }));
        }
        let mut live = |t: &str, key: &Key| match found.flatten() {
            // Authentication found it live, with a valid token, under this lock.
            Some(s) => Some(s.clone()),
            None => st
                .live(&kind.name, kind.max, key, now_ms)
                .filter(|_| self.jwt_ok(kind, t, now_ms, config)),
        };
        if let Some((t, key)) = given
            && let Some(s) = live(t, key)
        {
            ctx.set_state(s.state);
            ctx.set(Top::Token, json!(t));
            return Ok(Ok(Current {
                kind: kind.name.clone(),
                key: Some(*key),
                expires: s.expires,
                owner: s.owner,
                keep: true,
            }));
        }
        match kind.unknown {
            Unknown::Refuse(status) => Ok(Err(status)),
            Unknown::Renew => {
                let mut state = self.initial(kind, ctx)?;
                let owner = self.owner_of(kind, Some(&state), ctx)?;
                if let Some(saved) = owner.as_ref().and_then(|o| st.owned_state(&kind.name, o)) {
                    state = Value::clone(&saved);
                }
                let (token, expires) = self.mint(kind, &state, now_ms, ctx, config)?;
                let key = tokens::key(&token);
                ctx.set_state_value(state);
                ctx.set(Top::Token, json!(token));
                Ok(Ok(Current {
                    kind: kind.name.clone(),
                    key: Some(key),
                    expires,
                    owner,
                    keep: true,
                }))
            }
        }
    }

    /// After a step changed the state, the session follows the owner it now names: an owner
    /// with a saved state opens that state (signing in finds the cart another browser left),
    /// an owner without one takes this state as theirs (registering), and naming none leaves
    /// the session with its own copy (signing out).
    pub(super) fn follow_owner(
        &self,
        api: &Api,
        current: &mut Option<Current>,
        st: &ApiState,
        ctx: &mut Ctx,
    ) -> Result<(), Problem> {
        let Some(c) = current.as_mut().filter(|c| c.keep && c.key.is_some()) else {
            return Ok(());
        };
        let Some(kind) = api
            .behaviours
            .session(&c.kind)
            .filter(|k| k.owner.is_some())
        else {
            return Ok(());
        };
        let owner = self.owner_of(kind, None, ctx)?;
        if owner == c.owner {
            return Ok(());
        }
        if let Some(saved) = owner.as_ref().and_then(|o| st.owned_state(&kind.name, o)) {
            ctx.set_state(saved);
        }
        c.owner = owner;
        Ok(())
    }

    pub(super) fn initial(&self, kind: &SessionKind, ctx: &mut Ctx) -> Result<Value, Problem> {
        match &kind.state {
            Some(s) => Ok(ctx.shape(s).map_err(eval_problem)?.unwrap_or(json!({}))),
            None => Ok(json!({})),
        }
    }

    /// Whose state `state` is (the context's own when `None`, which is then not copied into
    /// a layer), for a kind with an `owner` expression.
    pub(crate) fn owner_of(
        &self,
        kind: &SessionKind,
        state: Option<&Value>,
        ctx: &mut Ctx,
    ) -> Result<Option<String>, Problem> {
        let Some(e) = &kind.owner else {
            return Ok(None);
        };
        let owner = match state {
            Some(s) => ctx.with("state", s.clone(), |c| c.eval(e)),
            None => ctx.eval(e),
        }
        .map_err(eval_problem)?;
        Ok(owner
            .filter(|v| !v.is_null())
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
    }

    /// A new token for a session of `kind` with `state`, and when it expires.
    pub(crate) fn mint(
        &self,
        kind: &SessionKind,
        state: &Value,
        now_ms: i64,
        ctx: &mut Ctx,
        config: &Config,
    ) -> Result<(String, Option<i64>), Problem> {
        let expires = kind.ttl.map(|t| {
            now_ms.saturating_add(
                i64::try_from(t)
                    .unwrap_or(i64::MAX / 2)
                    .saturating_mul(1000),
            )
        });
        let token = match &kind.format {
            cartwright_model::TokenFormat::Jwt { key, subject } => {
                let secret = self.key(key, config);
                let sub = match subject {
                    Some(e) => ctx
                        .with("state", state.clone(), |c| c.eval(e))
                        .map_err(eval_problem)?,
                    None => None,
                };
                let sub = sub.map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned));
                tokens::make(
                    &kind.format,
                    Some((
                        &secret,
                        sub.as_deref(),
                        now_ms / 1000,
                        expires.map(|e| e / 1000),
                    )),
                )
            }
            f => tokens::make(f, None),
        };
        Ok((token, expires))
    }

    /// The signing key of that name, or the per-process fallback when none was configured.
    pub(super) fn key(&self, name: &str, config: &Config) -> Vec<u8> {
        config
            .secret(name)
            .map_or_else(|| self.fallback_key.clone(), |v| v.as_bytes().to_vec())
    }

    pub(super) fn jwt_ok(
        &self,
        kind: &SessionKind,
        token: &str,
        now_ms: i64,
        config: &Config,
    ) -> bool {
        match &kind.format {
            cartwright_model::TokenFormat::Jwt { key, .. } => {
                tokens::verify(&self.key(key, config), token, now_ms / 1000).is_ok()
            }
            _ => true,
        }
    }

    /// Checks tokens of kinds bound to a security scheme, and fills `auth` in the context.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn authenticate<'a>(
        &self,
        api: &Api,
        op: &Operation,
        given: &mut Given<'_>,
        st: &mut ApiState,
        now_ms: i64,
        config: &Config,
        ctx: &mut Ctx,
    ) -> Option<Plan<'a>> {
        let mut auth = Vec::new();
        given.live = vec![None; given.kinds.len()];
        for (i, (kind, token)) in given.kinds.iter().zip(&given.tokens).enumerate() {
            let live = token.as_ref().and_then(|(t, key)| {
                let s = st.live(&kind.name, kind.max, key, now_ms)?;
                self.jwt_ok(kind, t, now_ms, config).then(|| (t.clone(), s))
            });
            given.live[i] = live.as_ref().map(|(_, s)| s.clone());
            let required = kind.scheme.as_ref().is_some_and(|scheme| {
                !op.security.is_empty()
                    && op
                        .security
                        .iter()
                        .all(|r| r.schemes.iter().any(|(n, _)| n == scheme))
            });
            match live {
                Some((t, s)) => {
                    auth.push((kind.name.clone(), t, Some(s.state)));
                }
                None if required => {
                    ctx.set_auth(auth);
                    return Some(Plan {
                        status: Some(401),
                        reason: Some("the token is unknown, revoked or expired"),
                        respond: None,
                        ctx: Ctx::empty(api.behaviours.globals.clone()),
                        replay: None,
                    });
                }
                None => {}
            }
        }
        ctx.set_auth(auth);
        None
    }
}
