use serde_json::json;

use crate::{json, start};

#[tokio::test]
async fn lowest_2xx_with_example_and_declared_headers() {
    let s = start().await;
    let res = s
        .client
        .get(s.url("/products/1"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-rate-limit"], "100");
    assert!(res.headers().contains_key("etag"));
    assert_eq!(
        json(res).await,
        json!({"id": 1, "name": "Cheap", "price": 1.5})
    );

    let res = s
        .client
        .post(s.url("/cart"))
        .header("x-api-key", "k")
        .json(&json!({"currency": "EUR", "items": []}))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200, "200 is the lowest declared 2xx");
}

#[tokio::test]
async fn accept_negotiation_and_406() {
    let s = start().await;
    let res = s
        .client
        .get(s.url("/products/1"))
        .header("accept", "application/xml")
        .send()
        .await
        .expect("send");
    assert_eq!(res.headers()["content-type"], "application/xml");
    assert_eq!(res.text().await.expect("text"), "<product id='1'/>");
    let res = s
        .client
        .get(s.url("/products/1"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 406);
}

#[tokio::test]
async fn prefer_selects_code_example_and_dynamic_seeded_values() {
    let s = start().await;
    let res = s
        .client
        .get(s.url("/products/1"))
        .header("prefer", "example=dear")
        .send()
        .await
        .expect("send");
    assert_eq!(json(res).await["name"], "Dear");
    let res = s
        .client
        .get(s.url("/products/1"))
        .header("prefer", "code=404")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 404);
    assert!(json(res).await["message"].is_string());
    let res = s
        .client
        .get(s.url("/products/1"))
        .header("prefer", "code=418")
        .send()
        .await
        .expect("send");
    assert_eq!(
        res.status(),
        404,
        "an undeclared code is refused, naming what is declared"
    );
    let get = |seed: u64| {
        let req = s
            .client
            .get(s.url("/products/1"))
            .header("prefer", format!("dynamic=true, seed={seed}"));
        async move { json(req.send().await.expect("send")).await }
    };
    let (a, b, c) = (get(7).await, get(7).await, get(8).await);
    assert_eq!(a, b, "same seed, same body");
    assert_ne!(a, c, "another seed, another body");
    assert!(a["id"].as_i64().is_some_and(|id| id >= 1));
}

#[tokio::test]
async fn generated_bodies_omit_write_only_and_follow_cycles() {
    let s = start().await;
    let order = json!({"reference": "0b9c4e4e-6a8e-4f61-9a7a-3f5f3f1f2e11", "lines": [{"sku": "A", "qty": 2}]});
    let res = s
        .client
        .post(s.url("/orders"))
        .header("authorization", "Bearer t")
        .json(&order)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 201);
    assert!(res.headers().contains_key("location"));
    let body = json(res).await;
    assert!(body.get("secret").is_none());
    assert!(["pending", "paid"].contains(&body["status"].as_str().unwrap_or("")));
}

/// A header generated from its schema (`ETag: {type: string}`) is kept beside the bodies:
/// every answer carries the value the first one did, under any seed and with fresh bodies
/// asked for, and the kept header is never confused with a kept body of the same answer.
#[tokio::test]
async fn generated_headers_are_kept_apart_from_bodies() {
    let s = start().await;
    let answer = |prefer: Option<&'static str>| {
        let mut req = s.client.get(s.url("/products/1"));
        if let Some(p) = prefer {
            req = req.header("prefer", p);
        }
        async move {
            let res = req.send().await.expect("send");
            assert_eq!(res.status(), 200);
            let etag = res.headers()["etag"].to_str().expect("text").to_owned();
            let limit = res.headers()["x-rate-limit"]
                .to_str()
                .expect("text")
                .to_owned();
            (etag, limit, res.text().await.expect("body"))
        }
    };
    let (etag, limit, body) = answer(None).await;
    assert!(!etag.is_empty() && etag != body, "{etag} / {body}");
    assert_eq!(limit, "100", "the declared example");
    for prefer in [
        None,
        Some("seed=7"),
        Some("seed=7"),
        Some("dynamic=true"),
        None,
    ] {
        let (e, l, b) = answer(prefer).await;
        assert_eq!(
            (e.as_str(), l.as_str()),
            (etag.as_str(), "100"),
            "{prefer:?}"
        );
        assert_ne!(e, b, "{prefer:?}");
    }
}
