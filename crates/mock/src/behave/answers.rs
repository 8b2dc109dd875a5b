//! Answers kept by the session state they were written from: reading a cart that no write
//! has changed since its last answer sends that answer's bytes again, instead of patching
//! the example anew. Only answers whose patches read nothing but `state`, `token`, `this`
//! and the API's `vars` are kept (no `request`, `now`, `auth`, no random maker, nothing
//! only minijinja evaluates), so the same state, token and patches give the same bytes.
//!
//! A state with a kept answer is never changed at the address it is kept by: every write
//! goes through `Arc::make_mut`, which moves a value that weak references point to (every
//! kept answer holds one) to a new address, without copying its tree. So an answer kept for
//! the old state is never found for the changed one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use bytes::Bytes;
use cartwright_model::{Native, Respond, Shape};
use serde_json::Value;

use super::context::Ctx;

/// What an answer was written from, besides its state: the operation's token, the API's
/// `vars`, the example and the patches (as text, equal for equal patches of two operations).
pub(super) struct From {
    /// The session's token.
    pub token: Value,
    /// The API's `vars`.
    pub globals: Arc<Value>,
    /// The example body, parsed.
    pub skeleton: Arc<Value>,
    /// The patches, as written in the binding.
    pub patches: Arc<str>,
}

impl From {
    fn same(&self, other: &From) -> bool {
        self.token == other.token
            && Arc::ptr_eq(&self.globals, &other.globals)
            && Arc::ptr_eq(&self.skeleton, &other.skeleton)
            && (Arc::ptr_eq(&self.patches, &other.patches) || self.patches == other.patches)
    }
}

/// A kept answer: its state (held weakly, so its address is not reused while kept) and
/// what else it was written from.
struct Entry {
    state: Weak<Value>,
    from: From,
    body: Bytes,
}

/// Answers by the address of their state, hashed with foldhash (addresses, not client keys).
type ByState = HashMap<usize, Entry, foldhash::fast::RandomState>;

/// The kept answers: at most one per state.
#[derive(Default)]
pub(super) struct Answers(Mutex<Kept>);

/// The answers, and the count at which those whose state is gone are next dropped.
#[derive(Default)]
struct Kept {
    all: ByState,
    tidy_at: usize,
}

/// The fewest answers at which those whose state is gone are dropped. After a tidy the next
/// waits until the count has doubled, so a put does not scan every answer while many
/// sessions are alive; past [`MAX`], all are dropped.
const TIDY: usize = 64;
/// The most answers kept.
const MAX: usize = 1024;

impl Answers {
    /// The answer kept for `state` and `from`, if one is.
    pub(super) fn get(&self, state: &Arc<Value>, from: &From) -> Option<Bytes> {
        let kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let e = kept.all.get(&(Arc::as_ptr(state) as usize))?;
        (e.state.strong_count() > 0 && e.state.as_ptr() == Arc::as_ptr(state) && e.from.same(from))
            .then(|| e.body.clone())
    }

    /// Keeps `body` as the answer for `state` and `from`.
    pub(super) fn put(&self, state: &Arc<Value>, from: From, body: Bytes) {
        let mut kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let Kept { all, tidy_at } = &mut *kept;
        if all.len() >= (*tidy_at).max(TIDY) {
            all.retain(|_, e| e.state.strong_count() > 0);
            if all.len() >= MAX {
                all.clear();
            }
            *tidy_at = all.len() * 2;
        }
        let entry = Entry {
            state: Arc::downgrade(state),
            from,
            body,
        };
        all.insert(Arc::as_ptr(state) as usize, entry);
    }

    /// How many answers are kept.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).all.len()
    }
}

/// The patches of `r` as text, when every one reads only what an answer is kept by.
pub(super) fn patches(r: &Respond) -> Option<Arc<str>> {
    r.body
        .iter()
        .all(|(_, s)| kept_by_state(s))
        .then(|| format!("{:?}", r.body).into())
}

/// What `ctx` gives an answer besides its state.
pub(super) fn from(ctx: &Ctx, skeleton: &Arc<Value>, patches: &Arc<str>) -> From {
    From {
        token: ctx.token().clone(),
        globals: ctx.globals().clone(),
        skeleton: skeleton.clone(),
        patches: patches.clone(),
    }
}

/// Names whose value is not the state's, the token's or the API's: an answer reading one
/// is written anew each time. `request.body` is the name expressions read the body by.
const PASSING: [&str; 8] = [
    "request",
    cartwright_model::REQUEST_BODY,
    "now",
    "auth",
    "secret",
    "record",
    "issued",
    "item",
];

/// Whether a shape's value follows from the state, the token, `this` and `vars` alone.
fn kept_by_state(s: &Shape) -> bool {
    match s {
        Shape::Literal(_) => true,
        Shape::Object(fields) => fields.iter().all(|(_, s)| kept_by_state(s)),
        Shape::Array(items) => items.iter().all(kept_by_state),
        Shape::Expr(e) => match (e.fast(), e.native()) {
            (Some(cartwright_model::Fast::Literal(_)), _) => true,
            (Some(cartwright_model::Fast::Path(name, _)), _) => !PASSING.contains(&name.as_str()),
            (None, Some(n)) => native_by_state(n),
            (None, None) => false,
        },
    }
}

fn native_by_state(n: &Native) -> bool {
    use cartwright_model::Filter;
    match n {
        Native::Lit(_) => true,
        Native::Name(name) => !PASSING.contains(&name.as_str()),
        Native::Call(..) => false,
        Native::Attr(e, _) | Native::Not(e) | Native::Is(e, _, _) => native_by_state(e),
        Native::Filter(e, f) => {
            native_by_state(e)
                && match f {
                    Filter::Default(Some(x)) | Filter::Fixed(Some(x)) => native_by_state(x),
                    _ => true,
                }
        }
        Native::Index(a, b)
        | Native::And(a, b)
        | Native::Or(a, b)
        | Native::Cmp(a, _, b)
        | Native::Math(a, _, b)
        | Native::Concat(a, b) => native_by_state(a) && native_by_state(b),
        Native::Cond(c, a, b) => native_by_state(c) && native_by_state(a) && native_by_state(b),
        Native::Dict(fields) => fields.iter().all(|(_, e)| native_by_state(e)),
        Native::List(items) => items.iter().all(native_by_state),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartwright_model::{Expr, Pointer};
    use serde_json::json;

    fn respond(exprs: &[&str]) -> Respond {
        let body = exprs
            .iter()
            .map(|s| {
                let shape = Shape::Expr(Expr::compile(s).expect("compiles"));
                (Pointer::new("/a".into()), shape)
            })
            .collect();
        Respond {
            body,
            ..Respond::default()
        }
    }

    #[test]
    fn only_patches_of_the_state_are_kept() {
        let kept = [
            "state.id",
            "token",
            "'x'",
            "state['items'] | map(attribute='q') | sum | fixed",
            "{'type': 'line_item', 'id': this.id}",
            "vars.variants[state.v | string].name",
        ];
        assert!(patches(&respond(&kept)).is_some());
        for passing in [
            "request.body.id",
            "request.body",
            "request.body.quantity + state.item_count",
            "request['body'].id",
            "now",
            "auth.user.state.email",
            "digits(8)",
            "state.id ~ uuid()",
            "state.id | upper",
            "record.id",
            "issued.token",
        ] {
            assert!(patches(&respond(&[passing])).is_none(), "{passing}");
        }
    }

    /// A kept answer is found for its state only: a changed copy of the state (as a step
    /// makes it), another token, or a state made anew at the same address find nothing.
    #[test]
    fn a_changed_state_finds_no_kept_answer() {
        let answers = Answers::default();
        let globals = Arc::new(json!({}));
        let from = |token: &str| From {
            token: json!(token),
            globals: globals.clone(),
            skeleton: Arc::new(json!({})),
            patches: "p".into(),
        };
        let skeleton_of = |f: &From| f.skeleton.clone();
        let mut state = Arc::new(json!({"items": []}));
        let first = from("t1");
        let same = From {
            skeleton: skeleton_of(&first),
            ..from("t1")
        };
        answers.put(&state, first, Bytes::from_static(b"one"));
        assert_eq!(answers.get(&state, &same).as_deref(), Some(&b"one"[..]));
        let other_token = From {
            skeleton: skeleton_of(&same),
            ..from("t2")
        };
        assert_eq!(answers.get(&state, &other_token), None);
        assert_eq!(answers.get(&state, &from("t1")), None, "another example");
        // The only strong reference, changed in place as a step changes it.
        Arc::make_mut(&mut state)["items"] = json!([1]);
        assert_eq!(answers.get(&state, &same), None);
        drop(state);
        let again = Arc::new(json!({"items": []}));
        assert_eq!(answers.get(&again, &same), None);
        assert_eq!(answers.len(), 1);
    }

    /// Answers of states that are gone are dropped once the count reaches the tidy point;
    /// live ones are kept, the next tidy waits until their count doubles, and never more
    /// than [`MAX`] are kept.
    #[test]
    fn answers_of_gone_states_are_dropped_and_the_count_is_bounded() {
        let answers = Answers::default();
        let from = || From {
            token: json!("t"),
            globals: Arc::new(json!({})),
            skeleton: Arc::new(json!({})),
            patches: "p".into(),
        };
        for i in 0..TIDY * 4 {
            let gone = Arc::new(json!(i));
            answers.put(&gone, from(), Bytes::from_static(b"x"));
        }
        assert!(
            answers.len() <= TIDY,
            "{} kept of gone states",
            answers.len()
        );
        let live: Vec<Arc<Value>> = (0..MAX * 2).map(|i| Arc::new(json!(i))).collect();
        for state in &live {
            answers.put(state, from(), Bytes::from_static(b"y"));
        }
        assert!(answers.len() <= MAX, "{} kept", answers.len());
        assert!(answers.len() > TIDY, "live answers kept between tidies");
    }
}
