//! A kept answer is the uncached answer, byte for byte and header for header: a mock with
//! the cache off and one with it on answer the same request the same, the first time (when
//! the answer is kept) and the second (when it is served from the cache).

use cartwright_graphql::CacheLimits;
use serde_json::json;

use super::{NO_SESSION, Server, config, start_with};

const LISTING: &str = include_str!("../../../../bench/graphql/listing.graphql");

/// Status, the headers an answer is read by, and the body as text.
async fn raw(s: &Server, token: &str, body: &serde_json::Value) -> (u16, Vec<String>, String) {
    let res = s
        .client
        .post(format!("{}/graphql", s.base))
        .bearer_auth(token)
        .header("x-correlation-id", "trace-7")
        .header("origin", "http://shop.example")
        .json(body)
        .send()
        .await
        .expect("the mock answers");
    let status = res.status().as_u16();
    let headers = [
        "content-type",
        "x-correlation-id",
        "access-control-allow-origin",
        "vary",
        "content-length",
    ]
    .iter()
    .map(|h| format!("{h}: {:?}", res.headers().get(*h)))
    .collect();
    (status, headers, res.text().await.expect("text"))
}

async fn pair() -> (Server, Server) {
    let off = cartwright_graphql::Config {
        answer_cache: CacheLimits {
            entries: 0,
            bytes: 0,
        },
        ..config()
    };
    let on = start_with(super::SCHEMA, config()).await;
    (start_with(super::SCHEMA, off).await, on)
}

#[tokio::test]
async fn a_no_session_listing_answers_the_same_bytes_with_and_without_the_cache() {
    let (off, on) = pair().await;
    let vars = json!({"page": 1, "limit": 20, "market": 1, "pricelist": 19, "language": "en"});
    let body = json!({"query": LISTING, "variables": vars});
    // No session: the browser's Origin would refuse the no-session token, so none is sent.
    let plain = |s: &Server| {
        s.client
            .post(format!("{}/graphql", s.base))
            .bearer_auth(NO_SESSION)
            .header("x-correlation-id", "trace-7")
            .json(&body)
            .send()
    };
    let uncached = plain(&off)
        .await
        .expect("answer")
        .text()
        .await
        .expect("text");
    assert!(uncached.contains("\"list\""), "{uncached}");
    for _ in 0..2 {
        let cached = plain(&on)
            .await
            .expect("answer")
            .text()
            .await
            .expect("text");
        assert_eq!(cached, uncached);
    }
}

#[tokio::test]
async fn a_session_answer_with_its_token_and_headers_is_the_same_with_and_without_the_cache() {
    let (off, on) = pair().await;
    let (t_off, t_on) = (off.session().await, on.session().await);
    let query = "{ selection { lines { id } } session { country { code } pricelist { id } } displayItems(limit: 3) { list { id name price { formattedValue } } } }";
    let body = json!({"query": query});
    let (status, headers, uncached) = raw(&off, &t_off, &body).await;
    assert_eq!(status, 200, "{uncached}");
    assert!(uncached.contains(&t_off), "the token is handed back");
    let expected = uncached.replace(&t_off, &t_on);
    for _ in 0..2 {
        let (s, h, cached) = raw(&on, &t_on, &body).await;
        assert_eq!((s, &h, &cached), (status, &headers, &expected));
    }
}
