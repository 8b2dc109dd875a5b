//! The cut example kept with a binding's answer: taken while the answer's example body is
//! the same bytes, made again (and the answer written from the new one) when it is not.

use std::sync::Arc;

use bytes::Bytes;
use cartwright_model::{Expr, Pointer, Respond, Shape};
use serde_json::json;

use super::context::Ctx;
use super::template::{Kept, Templates};
use crate::cache::BodyCache;

fn respond() -> Respond {
    let e = |s: &str| Shape::Expr(Expr::compile(s).expect("compiles"));
    Respond {
        body: vec![(Pointer::new("/data/id".into()), e("state.id"))],
        ..Respond::default()
    }
}

/// The answer `r` makes from `body` through what it keeps.
fn answer(r: &Respond, body: &Bytes, cache: &BodyCache, t: &Templates) -> (Arc<Kept>, String) {
    let kept = Kept::of(r, body, cache, t).expect("a JSON body");
    let mut ctx = Ctx::new(json!({}), Arc::new(json!({})));
    ctx.set_state(Arc::new(json!({"id": "c1"})));
    let template = kept.template.as_ref().expect("a cut");
    let text = template
        .write(&r.body, &ctx, 64)
        .expect("ok")
        .expect("written");
    (kept.clone(), String::from_utf8(text).expect("UTF-8"))
}

#[test]
fn the_kept_cut_follows_the_example_body() {
    let (r, cache, t) = (respond(), BodyCache::default(), Templates::default());
    let a = Bytes::from_static(br#"{"data":{"id":"0","type":"cart"}}"#);
    let b = Bytes::from(br#"{"data":{"type":"order","id":"0"},"meta":{}}"#.to_vec());
    let (first, text) = answer(&r, &a, &cache, &t);
    assert_eq!(text, r#"{"data":{"id":"c1","type":"cart"}}"#);
    let (again, _) = answer(&r, &a.clone(), &cache, &t);
    assert!(
        Arc::ptr_eq(&first, &again),
        "the same bytes take what is kept"
    );
    let (other, text) = answer(&r, &b, &cache, &t);
    assert!(!Arc::ptr_eq(&first, &other));
    assert_eq!(text, r#"{"data":{"type":"order","id":"c1"},"meta":{}}"#);
    // Equal text in other bytes (a reloaded spec's body) is cut again, not mistaken.
    let copy = Bytes::from(a.to_vec());
    let (back, text) = answer(&r, &copy, &cache, &t);
    assert!(!Arc::ptr_eq(&back, &first) && !Arc::ptr_eq(&back, &other));
    assert_eq!(text, r#"{"data":{"id":"c1","type":"cart"}}"#);
}
