//! Runtime stubs the spec does not allow are refused with where and why; a stub's delay
//! and fault travel on its answer; stubs are deleted one by one, all at once, or by reset.

use cartwright_mock::{Fault, Incoming};
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

/// The delay and fault of a stub travel on the answer for the server to act on; here they
/// are read from the pipeline in process.
#[tokio::test]
async fn a_stub_sets_the_delay_and_fault_of_its_answer() {
    let s = start().await;
    let def =
        json!({"match": {"operation": "getProduct"}, "answer": {"delay": 1500, "fault": "reset"}});
    assert_eq!(stub(&s.base, &s.client, def).await.0, 201);
    let out = s
        .mock
        .handle(Incoming::new(http::Method::GET, "/api/shop/products/1"));
    assert_eq!(
        out.delivery.delay,
        Some(std::time::Duration::from_millis(1500))
    );
    assert_eq!(out.delivery.fault, Some(Fault::Reset));
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
