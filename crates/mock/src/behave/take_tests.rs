//! Steps that change a session's state where it lies and then fail, with an error or with
//! a panic from a bug, leave the stored state as it was: never the stand-in that held its
//! place while the steps ran. A panic is answered as a failed step, not passed on.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use http::StatusCode;
use serde_json::{Value, json};

use super::super::change::put_at;
use super::super::context::Ctx;
use super::super::steps::Run;
use super::super::store::{ApiState, Session};
use super::super::{Behave, Current, tokens};
use crate::Config;
use crate::problem::{Problem, ProblemKind};
use crate::test_specs::vendo_api as vendo;

/// How the steps end after changing the cart.
#[derive(Clone, Copy)]
enum Ending {
    Error,
    Panic,
}

/// Runs steps that set the cart's `item_count` and then end as `ending` says; returns the
/// cart the store holds afterwards.
fn after(ending: Ending) -> Value {
    let api = vendo();
    let op = (api.operations.iter())
        .find(|o| o.id == "addItem")
        .expect("addItem");
    let kind = api.behaviours.session("order").expect("the order kind");
    let cart = json!({"items": [{"id": "1"}], "item_count": 1});
    let key = tokens::key("the cart's token");
    let mut st = ApiState::default();
    let session = Session {
        state: Arc::new(cart.clone()),
        expires: None,
        owner: None,
    };
    st.save(&kind.name, kind.max, key, session);
    let stored = |st: &mut ApiState| {
        let sessions = st.sessions(&kind.name, kind.max);
        sessions.get(&key).expect("still stored").state.clone()
    };
    let mut ctx = Ctx::new(json!({}), Arc::new(json!({})));
    ctx.set_state(stored(&mut st));
    let mut current = Some(Current {
        kind: kind.name.clone(),
        key: Some(key),
        expires: None,
        owner: None,
        keep: true,
    });
    let (config, behave) = (Config::default(), Behave::default());
    let mut outbox = Vec::new();
    let mut run = Run::new(&api, op, 0, &config, &behave, (&mut outbox, &mut current));
    run.st = Some(&mut st);
    let count = ["item_count".to_owned()];
    let ended = catch_unwind(AssertUnwindSafe(|| {
        run.undoing(&mut ctx, |run, ctx| {
            let (state, log) = run.change(ctx);
            log.keep(None, put_at(state, &count, Some(json!(9))));
            assert_eq!(ctx.get_state()["item_count"], 9, "changed");
            let st = run.st.as_deref_mut().expect("held");
            assert_eq!(*stored(st), Value::Null, "the store holds a stand-in");
            match ending {
                Ending::Error => Err::<(), _>(Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ProblemKind::Behaviour,
                    "Behaviour Failed",
                    "a later step failed",
                )),
                Ending::Panic => panic!("a bug in a step"),
            }
        })
    }));
    match ended {
        Ok(Err(p)) if matches!(ending, Ending::Panic) => {
            assert!(p.detail.contains("a bug in cartwright"), "{}", p.detail);
        }
        Ok(Err(p)) => assert_eq!(p.detail, "a later step failed"),
        _ => panic!("the run does not fail with a problem"),
    }
    (*stored(&mut st)).clone()
}

#[test]
fn a_failed_or_panicking_run_puts_the_state_back_as_it_was() {
    let cart = json!({"items": [{"id": "1"}], "item_count": 1});
    assert_eq!(after(Ending::Error), cart);
    assert_eq!(after(Ending::Panic), cart);
}
