//! Session tokens are credentials, not data: they come from the operating system's CSPRNG,
//! so two mocks started with the same `--seed` hand out different tokens (the first token
//! used to be the same in every process), while the data the seed governs stays the same.

use super::{SESSION, start};

#[tokio::test]
async fn the_same_seed_makes_the_same_data_but_never_the_same_tokens() {
    let (a, b) = (start().await, start().await);
    let (ta, tb) = (a.session().await, b.session().await);
    assert_ne!(
        ta, tb,
        "the first session token of two processes with one seed"
    );
    assert!(
        ta.len() >= 32 && ta.chars().all(|c| c.is_ascii_hexdigit()),
        "128 bits at least: {ta}"
    );
    // The seed still governs the data: the same selection and catalogue in both.
    let q = "{ selection { id } displayItem(id: 1) { name } }";
    assert_eq!(a.query(&ta, q).await.ok(), b.query(&tb, q).await.ok());
    // A token of one process opens nothing in the other.
    let r = b.query(&ta, "{ session { country { code } } }").await;
    assert!(
        r.error().contains("neither a configured token"),
        "{}",
        r.body
    );
    // And a second session in one process gets a token of its own.
    let again = a.query(SESSION, "{ session { country { code } } }").await;
    assert_ne!(again.token(), ta);
}

#[tokio::test]
async fn a_token_that_differs_anywhere_is_refused() {
    let s = start().await;
    let token = s.session().await;
    let mut last = token.clone();
    let flipped = if last.ends_with('0') { '1' } else { '0' };
    last.pop();
    last.push(flipped);
    for wrong in [last, token[..31].to_owned(), format!("{token}0")] {
        let r = s.query(&wrong, "{ session { country { code } } }").await;
        assert!(!r.error().is_empty(), "{wrong} was accepted: {}", r.body);
    }
}
