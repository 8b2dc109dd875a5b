use serde_json::json;

use crate::{json, start};

#[tokio::test]
async fn encoded_plus_binds_the_voucher_and_encoded_traversal_stays_in_the_parameter() {
    let s = start().await;
    let res = s
        .client
        .delete(s.url("/vouchers/TEST%2BCODE"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    let journal = s.mock.journal().recent(1);
    assert_eq!(journal[0].operation.as_deref(), Some("removeVoucher"));

    // `..%2Fadmin%2Fx` must not become DELETE /admin/x.
    let res = s
        .client
        .delete(s.url("/vouchers/..%2Fadmin%2Fx"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    assert_eq!(
        s.mock.journal().recent(1)[0].operation.as_deref(),
        Some("removeVoucher")
    );
    let res = s
        .client
        .delete(s.url("/admin/x"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 204);
    assert_eq!(
        s.mock.journal().recent(1)[0].operation.as_deref(),
        Some("adminDelete")
    );
}

#[tokio::test]
async fn literal_segments_win_over_templates() {
    let s = start().await;
    let body = json(
        s.client
            .get(s.url("/products/featured"))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(body, json!([{"id": 7, "name": "Featured", "price": 9.5}]));
    let res = s
        .client
        .get(s.url("/products/5"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn wrong_method_is_405_with_allow() {
    let s = start().await;
    let res = s
        .client
        .put(s.url("/products/5"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "GET");
}

#[tokio::test]
async fn unknown_path_is_404_naming_the_closest_operation() {
    let s = start().await;
    let res = s
        .client
        .get(s.url("/product/5"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let body = json(res).await;
    assert_eq!(body["closest"], "GET /api/shop/products/{id} (getProduct)");
    // Outside the base path nothing matches either.
    let res = s
        .client
        .get(format!("{}/products/5", s.base))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 404);
}
