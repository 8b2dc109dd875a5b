use cartwright_mock::Config;
use serde_json::json;

use crate::{SHOP, json, start, start_with};

#[tokio::test]
async fn admin_health_operations_journal_and_reset() {
    let s = start().await;
    let health = json(
        s.client
            .get(format!("{}/__cartwright/health", s.base))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(health["status"], "ok");
    assert_eq!(health["apis"][0]["title"], "Test Shop");
    let ops = json(
        s.client
            .get(format!("{}/__cartwright/operations", s.base))
            .send()
            .await
            .expect("send"),
    )
    .await;
    let ids: Vec<&str> = ops["operations"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"getProduct") && ids.contains(&"placeOrder"),
        "{ids:?}"
    );

    s.client
        .get(s.url("/products/0"))
        .send()
        .await
        .expect("send");
    s.client
        .get(s.url("/products/2"))
        .send()
        .await
        .expect("send");
    let journal = json(
        s.client
            .get(format!("{}/__cartwright/journal?limit=2", s.base))
            .send()
            .await
            .expect("send"),
    )
    .await;
    let entries = journal["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["operation"], "getProduct");
    assert_eq!(entries[0]["validation"], "invalid");
    assert_eq!(entries[0]["status"], 422);
    assert_eq!(entries[1]["status"], 200);

    let reset = s
        .client
        .post(format!("{}/__cartwright/reset", s.base))
        .header("content-type", "application/json")
        .send()
        .await
        .expect("send");
    assert_eq!(reset.status(), 200);
    let journal = json(
        s.client
            .get(format!("{}/__cartwright/journal", s.base))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(journal["entries"], json!([]));
    let unknown = s
        .client
        .get(format!("{}/__cartwright/nope", s.base))
        .send()
        .await
        .expect("send");
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn preflight_lists_the_paths_methods() {
    let s = start().await;
    let res = s
        .client
        .request(reqwest::Method::OPTIONS, s.url("/products/1"))
        .header("origin", "https://shop.example")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "x-region")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 204);
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    assert_eq!(res.headers()["access-control-allow-methods"], "GET");
    assert_eq!(res.headers()["access-control-allow-headers"], "x-region");
}

#[tokio::test]
async fn origins_outside_the_allow_list_get_401() {
    let config = Config {
        allow_origins: Some(vec!["https://allowed-origin.example.com".into()]),
        ..Config::default()
    };
    let s = start_with(SHOP, config).await;
    let ok = s
        .client
        .get(s.url("/products/1"))
        .header("origin", "https://allowed-origin.example.com")
        .send()
        .await
        .expect("send");
    assert_eq!(ok.status(), 200);
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        "https://allowed-origin.example.com"
    );
    let denied = s
        .client
        .get(s.url("/products/1"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .expect("send");
    assert_eq!(denied.status(), 401);
    let preflight = s
        .client
        .request(reqwest::Method::OPTIONS, s.url("/products/1"))
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .expect("send");
    assert_eq!(preflight.status(), 401);
    // Server-side calls carry no Origin and are not checked.
    assert_eq!(
        s.client
            .get(s.url("/products/1"))
            .send()
            .await
            .expect("send")
            .status(),
        200
    );
}

#[tokio::test]
async fn correlation_id_is_echoed_on_every_response() {
    let s = start().await;
    for path in ["/products/1", "/products/0", "/nowhere"] {
        let res = s
            .client
            .get(s.url(path))
            .header("x-correlation-id", "un1qu3-1d")
            .send()
            .await
            .expect("send");
        assert_eq!(res.headers()["x-correlation-id"], "un1qu3-1d", "{path}");
    }
    let s = start_with(
        SHOP,
        Config {
            correlation_header: "x-request-id".into(),
            ..Config::default()
        },
    )
    .await;
    let res = s
        .client
        .get(s.url("/products/1"))
        .header("x-request-id", "r-1")
        .send()
        .await
        .expect("send");
    assert_eq!(res.headers()["x-request-id"], "r-1");
}
