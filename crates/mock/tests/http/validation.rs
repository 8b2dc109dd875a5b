use cartwright_mock::{Config, ErrorStyle};
use serde_json::{Value, json};

use crate::{SHOP, json, start, start_with};

fn pointers(body: &Value) -> Vec<String> {
    let mut p: Vec<String> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["pointer"].as_str().unwrap_or("").to_owned())
        .collect();
    p.sort();
    p
}

#[tokio::test]
async fn every_violation_is_listed_with_request_pointer_and_schema_location() {
    let s = start().await;
    let res = s
        .client
        .post(s.url("/cart"))
        .header("x-api-key", "k")
        .json(&json!({"currency": "NOK", "items": [{"product": "x", "quantity": 0}], "extra": 1}))
        .send()
        .await
        .expect("send");
    // The operation declares 400, so validation failures use it instead of 422.
    assert_eq!(res.status(), 400);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let body = json(res).await;
    assert_eq!(
        pointers(&body),
        [
            "/body",
            "/body/currency",
            "/body/items/0/product",
            "/body/items/0/quantity"
        ]
    );
    let schemas: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["schema"].as_str())
        .collect();
    assert!(schemas.contains(&"shop.yaml#/components/schemas/CartInput/properties/items/items/properties/quantity/minimum"), "{schemas:?}");
}

#[tokio::test]
async fn parameters_are_parsed_by_style_and_validated() {
    let s = start().await;
    let ok = s
        .client
        .get(s.url("/products/3?fields=name,price&tags=1&tags=2&filter[color]=red&filter[size]=4"))
        .header("x-region", "eu")
        .header("cookie", "session=abcd")
        .send()
        .await
        .expect("send");
    assert_eq!(ok.status(), 200);
    let bad = s
        .client
        .get(s.url("/products/0?fields=name,colour&tags=x&filter[size]=big"))
        .header("x-region", "mars")
        .header("cookie", "session=ab")
        .send()
        .await
        .expect("send");
    assert_eq!(bad.status(), 422);
    let body = json(bad).await;
    assert_eq!(
        pointers(&body),
        [
            "/cookie/session",
            "/header/X-Region",
            "/path/id",
            "/query/fields/1",
            "/query/filter/size",
            "/query/tags/0"
        ]
    );
}

#[tokio::test]
async fn bodies_by_content_type_and_missing_bodies() {
    let s = start().await;
    let auth = ("authorization", "Bearer t");
    let missing = s
        .client
        .post(s.url("/orders"))
        .header(auth.0, auth.1)
        .send()
        .await
        .expect("send");
    assert_eq!(missing.status(), 422);
    assert_eq!(pointers(&json(missing).await), ["/body"]);

    let form = s
        .client
        .post(s.url("/orders"))
        .header(auth.0, auth.1)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("reference=r1&qty=0")
        .send()
        .await
        .expect("send");
    assert_eq!(form.status(), 422);
    assert_eq!(pointers(&json(form).await), ["/body/qty"]);
    let form = s
        .client
        .post(s.url("/orders"))
        .header(auth.0, auth.1)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("reference=r1&qty=2")
        .send()
        .await
        .expect("send");
    assert_eq!(form.status(), 201);

    let multipart =
        "--XX\r\nContent-Disposition: form-data; name=\"reference\"\r\n\r\nr1\r\n--XX--\r\n";
    let res = s
        .client
        .post(s.url("/orders"))
        .header(auth.0, auth.1)
        .header("content-type", "multipart/form-data; boundary=XX")
        .body(multipart)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 422);
    assert_eq!(pointers(&json(res).await), ["/body/receipt"]);

    let json_ok = json!({"reference": "0b9c4e4e-6a8e-4f61-9a7a-3f5f3f1f2e11", "lines": [{"sku": "A", "qty": 2}], "email": "a@example.com"});
    let res = s
        .client
        .post(s.url("/orders"))
        .header(auth.0, auth.1)
        .json(&json_ok)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 201);
    let json_bad = json!({"reference": "nope", "lines": [], "email": "not-an-email"});
    let res = s
        .client
        .post(s.url("/orders"))
        .header(auth.0, auth.1)
        .json(&json_bad)
        .send()
        .await
        .expect("send");
    assert_eq!(
        pointers(&json(res).await),
        ["/body/email", "/body/lines", "/body/reference"]
    );
}

#[tokio::test]
async fn errors_render_in_the_apis_own_envelope_when_asked() {
    let s = start_with(
        SHOP,
        Config {
            error_style: ErrorStyle::Api,
            ..Config::default()
        },
    )
    .await;
    let res = s
        .client
        .post(s.url("/orders"))
        .header("authorization", "Bearer t")
        .json(&json!({"lines": []}))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 422);
    assert_eq!(res.headers()["content-type"], "application/json");
    let body = json(res).await;
    assert_eq!(body["errorCode"], "VALIDATION");
    let message = body["message"].as_str().expect("message");
    assert!(
        message.contains("/body/reference") && message.contains("/body/lines"),
        "{message}"
    );
}

/// A JSON body the quick text check is not sure of (escapes, a fraction for an integer,
/// nesting past the limit, a duplicate member) is parsed and judged in full: the answer is
/// the one the schema gives, never a quick guess.
#[tokio::test]
async fn bodies_the_quick_check_leaves_alone_are_judged_in_full() {
    let s = start().await;
    let send = |text: &str| {
        s.client
            .post(s.url("/cart"))
            .header("x-api-key", "k")
            .header("content-type", "application/json")
            .body(text.to_owned())
            .send()
    };
    for valid in [
        r#"{"currency":"EUR","items":[{"product":1,"quantity":2}]}"#,
        r#"{"currency":"\u0045UR","items":[]}"#,
        r#"{"currency":"EUR","items":[{"product":1.0,"quantity":2e0}]}"#,
        r#"{"currency":"NOK","currency":"SEK","items":[]}"#,
    ] {
        assert_eq!(send(valid).await.expect("send").status(), 200, "{valid}");
    }
    let wrong = send(r#"{"currency":"EUR","items":[{"product":1.5,"quantity":"\u0031"}]}"#)
        .await
        .expect("send");
    assert_eq!(wrong.status(), 400);
    assert_eq!(
        pointers(&json(wrong).await),
        ["/body/items/0/product", "/body/items/0/quantity"]
    );
    let broken = send(r#"{"currency":"EUR","items":[{"product":1,"quantity":2}],}"#)
        .await
        .expect("send");
    assert_eq!(broken.status(), 400);
    let deep = format!(
        r#"{{"currency":"EUR","items":{}{}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    let deep = send(&deep).await.expect("send");
    assert_eq!(deep.status(), 400);
    assert_eq!(json(deep).await["type"], "urn:cartwright:problem:too-deep");
    assert_eq!(
        json(broken).await["type"],
        "urn:cartwright:problem:malformed-json"
    );
}
