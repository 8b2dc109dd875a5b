//! Runtime stubs the spec does not allow are refused with where and why; a stub's delay
//! and fault travel on its answer; stubs are deleted one by one, all at once, or by reset.

use serde_json::{Value, json};

use crate::start;
use crate::stubs::{get, stub};

#[tokio::test]
async fn stubs_the_spec_does_not_allow_are_refused_with_where_and_why() {
    let s = start().await;
    let (st, p) = stub(
        &s.base,
        &s.client,
        json!({"match": {"operation": "getProduct"}, "answer": {"status": 200, "body": {"id": 0, "name": "x"}}}),
    )
    .await;
    assert_eq!(st, 400);
    let detail = p["detail"].as_str().expect("detail");
    assert!(detail.contains("/answer/body/id"), "{detail}");
    assert_eq!(p["errors"][0]["pointer"], "/answer/body/id");
    let (st, p) = stub(
        &s.base,
        &s.client,
        json!({"match": {"operation": "getProduct"}, "answer": {"status": 402}}),
    )
    .await;
    assert_eq!(st, 400);
    assert!(
        p["detail"].as_str().is_some_and(|d| d.contains("402")),
        "{p}"
    );
    assert_eq!(p["declared"], json!(["200", "404"]));
    let (st, _) = stub(
        &s.base,
        &s.client,
        json!({"match": {"operation": "getProduct"}, "answer": {"status": 402, "force": true, "body": {"paid": false}}}),
    )
    .await;
    assert_eq!(st, 201, "forced");
    let (st, body) = get(&s, "/products/1", &[]).await;
    assert_eq!((st, body), (402, json!({"paid": false})));
    let (st, p) = stub(
        &s.base,
        &s.client,
        json!({"match": {"operation": "getProdcut"}}),
    )
    .await;
    assert_eq!(st, 400);
    assert_eq!(p["closest"], "getProduct");
    let (st, p) = stub(
        &s.base,
        &s.client,
        json!({"match": {"method": "GET", "path": "/nowhere"}}),
    )
    .await;
    assert_eq!(st, 400);
    assert!(
        p["detail"]
            .as_str()
            .is_some_and(|d| d.contains("GET /nowhere")),
        "{p}"
    );
    let (st, p) = stub(
        &s.base,
        &s.client,
        json!({"match": {"operation": "getProduct"}, "answer": {"fault": "explode"}}),
    )
    .await;
    assert_eq!(st, 400);
    assert!(
        p["detail"].as_str().is_some_and(|d| d.contains("reset")),
        "{p}"
    );
    let (st, p) = stub(
        &s.base,
        &s.client,
        json!({"match": {"operation": "getProduct"}, "anwser": {}}),
    )
    .await;
    assert_eq!(st, 400);
    assert!(
        p["detail"].as_str().is_some_and(|d| d.contains("anwser")),
        "{p}"
    );
    let (st, p) = stub(
        &s.base,
        &s.client,
        json!({"match": {"operation": "getProduct"}, "times": 0}),
    )
    .await;
    assert_eq!(st, 400);
    assert!(
        p["detail"].as_str().is_some_and(|d| d.contains("`times`")),
        "{p}"
    );
}

/// A stub's delay and fault reach the client as the server sends them: first an answer
/// that waited at least its delay, then a connection reset, then normal service again.
#[tokio::test]
async fn a_stub_delays_or_breaks_its_answer_on_the_socket() {
    let s = start().await;
    let plain = get(&s, "/products/1", &[]).await.0;
    let slow = json!({"match": {"operation": "getProduct"}, "answer": {"status": 200, "delay": 300}, "times": 1});
    assert_eq!(stub(&s.base, &s.client, slow).await.0, 201);
    let started = std::time::Instant::now();
    let r = s
        .client
        .get(s.url("/products/1"))
        .send()
        .await
        .expect("the delayed answer");
    assert_eq!(r.status(), 200, "the stub's own status");
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));

    let broken =
        json!({"match": {"operation": "getProduct"}, "answer": {"fault": "reset"}, "times": 1});
    assert_eq!(stub(&s.base, &s.client, broken).await.0, 201);
    let err = reqwest::Client::new()
        .get(s.url("/products/1"))
        .send()
        .await
        .expect_err("a reset connection");
    let mut source = std::error::Error::source(&err);
    let mut reset = false;
    while let Some(e) = source {
        reset |= e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionReset);
        source = e.source();
    }
    assert!(reset, "{err:?}");
    let after = reqwest::Client::new()
        .get(s.url("/products/1"))
        .send()
        .await
        .expect("served after the fault");
    assert_eq!(after.status().as_u16(), plain, "the spec's answer again");
}

#[tokio::test]
async fn stubs_are_deleted_one_or_all_and_cleared_by_reset() {
    let s = start().await;
    let admin = |method: reqwest::Method, path: &str| {
        s.client
            .request(method, format!("{}/__cartwright{path}", s.base))
            .header("content-type", "application/json")
            .body("{}")
            .send()
    };
    let def = json!({"match": {"operation": "getProduct"}, "answer": {"status": 404}});
    let (_, made) = stub(&s.base, &s.client, def.clone()).await;
    let id = made["id"].as_str().expect("id").to_owned();
    assert_eq!(get(&s, "/products/1", &[]).await.0, 404);
    let r = admin(reqwest::Method::DELETE, &format!("/stubs/{id}"))
        .await
        .expect("delete");
    assert_eq!(r.status(), 200);
    assert_eq!(get(&s, "/products/1", &[]).await.0, 200);
    let r = admin(reqwest::Method::DELETE, &format!("/stubs/{id}"))
        .await
        .expect("again");
    assert_eq!(r.status(), 404, "already gone");
    stub(&s.base, &s.client, def.clone()).await;
    stub(&s.base, &s.client, def.clone()).await;
    let r = admin(reqwest::Method::DELETE, "/stubs")
        .await
        .expect("delete all");
    assert_eq!(r.json::<Value>().await.expect("json")["deleted"], 2);
    stub(&s.base, &s.client, def).await;
    assert_eq!(get(&s, "/products/1", &[]).await.0, 404);
    admin(reqwest::Method::POST, "/reset").await.expect("reset");
    assert_eq!(
        get(&s, "/products/1", &[]).await.0,
        200,
        "reset clears stubs"
    );
}
