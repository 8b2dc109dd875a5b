//! Starting a session within an operation (`issue`, and `refresh` after it has checked the
//! refresh token): the token, its refresh token, and `issued` for the answer.

use std::sync::Arc;

use cartwright_model::SessionKind;
use serde_json::{Value, json};

use super::Current;
use super::context::{Ctx, Top};
use super::steps::Run;
use super::store::Session;
use super::tokens;
use crate::problem::Problem;

impl Run<'_> {
    /// Starts a session (and a refresh token) and makes it the current one: `issued`.
    /// An owner's saved state wins over the one given: a new token of a customer who has one
    /// opens it (a second login, a refreshed token).
    pub(super) fn issue(
        &mut self,
        kind: &SessionKind,
        state: Arc<Value>,
        ctx: &mut Ctx,
    ) -> Result<(), Problem> {
        // The context's state is replaced: one changed where it lies goes back first.
        self.settle(ctx);
        let owner = self.behave.owner_of(kind, Some(&state), ctx)?;
        let saved = match &owner {
            Some(o) => self.store()?.owned_state(&kind.name, o),
            None => None,
        };
        let state = saved.unwrap_or(state);
        let (token, expires) = self
            .behave
            .mint(kind, &state, self.now_ms, ctx, self.config)?;
        let key = tokens::key(&token);
        let now_ms = self.now_ms;
        let st = self.store()?;
        st.save(
            &kind.name,
            kind.max,
            key,
            Session {
                state: state.clone(),
                expires,
                owner: owner.clone(),
            },
        );
        let mut issued = json!({
            "token": token,
            "token_type": "Bearer",
            "created_at": now_ms / 1000,
            "expires_in": kind.ttl,
        });
        if let Some(ttl) = kind.refresh {
            let refresh = tokens::make(&cartwright_model::TokenFormat::Random { bytes: 32 }, None);
            let expires = ttl.map(|t| now_ms + i64::try_from(t).unwrap_or(i64::MAX / 2_000) * 1000);
            st.refresh(&kind.name, kind.max).insert(
                tokens::key(&refresh),
                Session {
                    state: state.clone(),
                    expires,
                    owner: owner.clone(),
                },
            );
            issued["refresh_token"] = json!(refresh);
        }
        *self.current = Some(Current {
            kind: kind.name.clone(),
            key: Some(key),
            expires,
            owner,
            keep: true,
        });
        ctx.set(Top::Issued, issued);
        ctx.set_state(state);
        ctx.set(Top::Token, json!(token));
        Ok(())
    }
}
