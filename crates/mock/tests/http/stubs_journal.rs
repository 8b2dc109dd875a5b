//! Request checks over HTTP: journal filters and counts, refusal of unknown filters, and
//! the unmatched requests kept with their headers and bodies, credentials masked.

use serde_json::{Value, json};

use crate::{Server, start};

async fn admin(s: &Server, path: &str) -> (u16, Value) {
    let r = s
        .client
        .get(format!("{}/__cartwright{path}", s.base))
        .send()
        .await
        .expect("admin");
    (r.status().as_u16(), r.json().await.expect("json"))
}

#[tokio::test]
async fn the_journal_filters_and_counts_by_operation_method_path_and_status() {
    let s = start().await;
    for id in [1, 2, 1] {
        s.client
            .get(s.url(&format!("/products/{id}")))
            .send()
            .await
            .expect("get");
    }
    s.client
        .get(s.url("/products/0"))
        .send()
        .await
        .expect("invalid id");
    s.client
        .get(s.url("/products/featured"))
        .send()
        .await
        .expect("featured");
    let (st, found) = admin(&s, "/journal?operation=getProduct&status=200").await;
    assert_eq!(st, 200);
    let entries = found["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 3);
    assert!(
        entries
            .iter()
            .all(|e| e["operation"] == "getProduct" && e["status"] == 200)
    );
    let (_, n) = admin(&s, "/journal/count?operation=getProduct").await;
    assert_eq!(n, json!({"count": 4}), "the invalid one routed to it too");
    let (_, n) = admin(&s, "/journal/count?path=/api/shop/products/1&method=get").await;
    assert_eq!(n["count"], 2);
    let (_, n) = admin(&s, "/journal/count?validation=invalid").await;
    assert_eq!(n["count"], 1);
    let (_, n) = admin(&s, "/journal/count?operation=addItem").await;
    assert_eq!(n["count"], 0);
    let (_, found) = admin(&s, "/journal?operation=getProduct&limit=1").await;
    assert_eq!(
        found["entries"][0]["path"], "/api/shop/products/0",
        "the newest"
    );
}

#[tokio::test]
async fn an_unknown_filter_or_a_bad_value_is_refused_naming_it() {
    let s = start().await;
    let (st, p) = admin(&s, "/journal?opration=getProduct").await;
    assert_eq!(st, 400);
    let detail = p["detail"].as_str().expect("detail");
    assert!(
        detail.contains("`opration`") && detail.contains("operation"),
        "{detail}"
    );
    assert_eq!(p["filters"][0], "operation");
    let (st, p) = admin(&s, "/journal/count?status=twohundred").await;
    assert_eq!(st, 400);
    assert!(
        p["detail"]
            .as_str()
            .is_some_and(|d| d.contains("twohundred")),
        "{p}"
    );
    let (st, _) = admin(&s, "/journal/count?limit=3").await;
    assert_eq!(st, 400, "a count takes no limit");
    let (st, _) = admin(&s, "/journal?limit=many").await;
    assert_eq!(st, 400);
}

#[tokio::test]
async fn unmatched_requests_keep_headers_and_bodies_with_credentials_masked() {
    let s = start().await;
    s.client
        .get(s.url("/nowhere?api_key=sekrit&page=2"))
        .header("Authorization", "Bearer live-token")
        .header("X-Trace", "t-1")
        .send()
        .await
        .expect("404");
    let r = s
        .client
        .post(s.url("/orders"))
        .header("Authorization", "Bearer live-token")
        .json(&json!({"reference": "r-1", "lines": [], "password": "hunter2"}))
        .send()
        .await
        .expect("422");
    assert_eq!(r.status(), 422);
    s.client
        .get(s.url("/products/1"))
        .send()
        .await
        .expect("200");
    let (st, found) = admin(&s, "/unmatched").await;
    assert_eq!(st, 200);
    let kept = found["requests"].as_array().expect("requests");
    assert_eq!(kept.len(), 2, "the valid request is not kept: {found}");
    let header = |e: &Value, name: &str| {
        e["headers"]
            .as_array()
            .and_then(|h| h.iter().find(|p| p[0] == name))
            .map(|p| p[1].clone())
    };
    let missing = &kept[0];
    assert_eq!(missing["status"], 404);
    assert_eq!(missing["validation"], "not-routed");
    assert_eq!(missing["path"], "/api/shop/nowhere?api_key=***&page=2");
    assert_eq!(header(missing, "authorization"), Some(json!("***")));
    assert_eq!(header(missing, "x-trace"), Some(json!("t-1")));
    let invalid = &kept[1];
    assert_eq!(invalid["status"], 422);
    assert_eq!(invalid["operation"], "placeOrder");
    assert_eq!(header(invalid, "authorization"), Some(json!("***")));
    let body: Value =
        serde_json::from_str(invalid["body"].as_str().expect("body")).expect("JSON kept");
    assert_eq!(body["reference"], "r-1");
    assert_eq!(body["password"], "***");
    let text = found.to_string();
    assert!(!text.contains("live-token") && !text.contains("hunter2") && !text.contains("sekrit"));
}
