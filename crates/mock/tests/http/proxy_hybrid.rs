//! The hybrid: some operations go to the real server, the rest are mocked with their state,
//! as Counterfact proxies some paths and mocks the others.

use cartwright_mock::Hybrid;
use serde_json::{Value, json};

use super::proxy_upstream::{proxying, upstream, violations};

#[tokio::test]
async fn a_mocked_cart_keeps_its_item_beside_a_proxied_product() {
    let up = upstream().await;
    let mock = proxying(&up.url, |p| {
        p.hybrid = Hybrid::Only(vec!["getProduct".into()]);
    })
    .await;
    let base = &mock.base;
    let res = mock
        .client
        .post(format!("{base}/carts"))
        .json(&json!({"currency": "EUR"}))
        .send()
        .await
        .expect("created");
    assert_eq!(res.status(), 201);
    let cart: Value = res.json().await.expect("cart");
    let id = cart["id"].as_str().expect("cart id").to_owned();
    let res = mock
        .client
        .post(format!("{base}/carts/{id}/items"))
        .json(&json!({"productId": 1, "quantity": 2}))
        .send()
        .await
        .expect("added");
    assert_eq!(res.status(), 200);
    // The product comes from the real server.
    let res = mock
        .client
        .get(format!("{base}/products/1"))
        .send()
        .await
        .expect("product");
    assert_eq!(res.headers()["x-upstream"], "real");
    assert_eq!(violations(&res), None);
    let product: Value = res.json().await.expect("product");
    assert_eq!(product["name"], "Tea");
    // The mocked cart still holds its item.
    let res = mock
        .client
        .get(format!("{base}/carts/{id}"))
        .send()
        .await
        .expect("cart");
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("x-upstream").is_none());
    let cart: Value = res.json().await.expect("cart");
    let items = cart["items"].as_array().expect("items");
    assert!(items.iter().any(|i| i["productId"] == 1), "{cart}");
    assert_eq!(
        up.lines(),
        ["GET /products/1"],
        "only the product went upstream"
    );
}

#[tokio::test]
async fn mock_only_keeps_the_named_operations_and_forwards_the_rest() {
    let up = upstream().await;
    let mock = proxying(&up.url, |p| {
        p.hybrid = Hybrid::Except(vec!["createCart".into()]);
    })
    .await;
    let res = mock
        .client
        .post(format!("{}/carts", mock.base))
        .json(&json!({}))
        .send()
        .await
        .expect("created");
    assert_eq!(res.status(), 201);
    let res = mock
        .client
        .get(format!("{}/products/1", mock.base))
        .send()
        .await
        .expect("product");
    assert_eq!(res.headers()["x-upstream"], "real");
    assert_eq!(up.lines(), ["GET /products/1"]);
}

#[test]
fn unknown_operation_ids_name_the_closest() {
    let api = super::proxy_upstream::api();
    let err = cartwright_mock::unknown_operations(&[api], &["getProdct".into(), "addItem".into()])
        .expect_err("unknown id");
    assert!(err.contains("`getProdct`"), "{err}");
    assert!(err.contains("getProduct"), "{err}");
    assert!(!err.contains("`addItem`"), "{err}");
}
