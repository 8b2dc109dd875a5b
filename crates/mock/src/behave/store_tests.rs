//! The bounded maps behind every store, and sessions keyed by their tokens' digests.

use super::*;

#[test]
fn bounded_evicts_the_least_recently_used() {
    let mut b: Bounded<u32, u32> = Bounded::with_max(3);
    for i in 0..3 {
        b.insert(i, i);
    }
    b.touch(&0);
    assert_eq!(b.insert(3, 3), 1);
    assert_eq!(b.len(), 3);
    assert!(b.get(&0).is_some(), "used last, so kept");
    assert!(b.get(&1).is_none(), "least recently used, so evicted");
    // Saving again is a use too: 0 is now the least recent.
    b.insert(2, 20);
    b.insert(3, 30);
    b.insert(4, 4);
    assert!(b.get(&0).is_none());
    assert_eq!((b.get(&2), b.get(&3)), (Some(&20), Some(&30)));
    b.remove(&4);
    for i in 10..100 {
        b.insert(i, i);
    }
    assert_eq!(b.len(), 3);
}

/// Sessions keyed by digests are found, replaced and evicted as any bounded map's
/// entries are, and the hash of a digest is its first eight bytes.
#[test]
fn sessions_by_digest_are_found_and_bounded() {
    use std::hash::BuildHasher;
    let key = super::super::tokens::key;
    let k = key("a token");
    assert_eq!(
        Digested.hash_one(k),
        u64::from_le_bytes(k[..8].try_into().expect("eight bytes"))
    );
    let session = |n: i64| Session {
        state: Arc::new(serde_json::json!(n)),
        expires: Some(n),
        owner: None,
    };
    let mut all: Sessions = Bounded::with_max(50);
    for n in 0..100 {
        all.insert(key(&format!("token {n}")), session(n));
    }
    assert_eq!(all.len(), 50);
    assert!(
        all.get(&key("token 49")).is_none(),
        "the oldest are evicted"
    );
    for n in 50..100 {
        let found = all.get(&key(&format!("token {n}"))).map(|s| s.expires);
        assert_eq!(found, Some(Some(n)), "token {n}");
    }
    all.insert(key("token 70"), session(700));
    assert_eq!(
        all.get(&key("token 70")).map(|s| s.expires),
        Some(Some(700))
    );
    assert!(all.remove(&key("token 71")).is_some());
    assert!(all.get(&key("token 71")).is_none());
    assert_eq!(all.len(), 49);
}

/// A state taken from the store goes back to its session, which counts as a use; a
/// session revoked meanwhile is not brought back by it.
#[test]
fn a_state_goes_back_only_to_a_session_still_there() {
    let key = super::super::tokens::key;
    let (a, b, c) = (key("a"), key("b"), key("c"));
    let mut st = ApiState::default();
    let session = |v: i64| Session {
        state: Arc::new(Value::from(v)),
        expires: None,
        owner: None,
    };
    st.save("cart", 2, a, session(1));
    st.save("cart", 2, b, session(2));
    assert!(st.put_back("cart", 2, a, Arc::new(Value::from(10))));
    st.save("cart", 2, c, session(3));
    let carts = st.sessions("cart", 2);
    assert_eq!(carts.get(&a).map(|s| &*s.state), Some(&Value::from(10)));
    assert!(
        carts.get(&b).is_none(),
        "put back is a use: the other went first"
    );
    carts.remove(&a);
    assert!(!st.put_back("cart", 2, a, Arc::new(Value::from(11))));
    assert!(st.sessions("cart", 2).get(&a).is_none(), "not brought back");
}
