//! Centra Checkout preflights, encoded path parameters and unknown products, over HTTP; each
//! test quotes the sentence of seed 001 (or the spec element) it checks.

use cartwright_diag::Sources;
use cartwright_spec::LoadOptions;
use serde_json::json;

use crate::start_spec;

async fn centra() -> crate::Stateful {
    start_spec("centra-checkout", cartwright_mock::Config::default()).await
}

fn token(body: &serde_json::Value) -> String {
    body["token"].as_str().expect("a token").to_owned()
}

/// 001: "If the headers Authorization or API-Authorization are used in the browser, the request
/// will fail" (a "Preflight error"): the preflight never allows them, while `API-token` is.
#[tokio::test]
async fn a_preflight_never_allows_the_secret_headers() {
    let c = centra().await;
    for secret in ["authorization", "api-authorization", "Authorization"] {
        let res = c
            .req("OPTIONS", "/products")
            .header("Origin", "https://allowed-origin.example.com")
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                format!("api-token, {secret}"),
            )
            .send()
            .await
            .expect("preflight");
        let allowed = res
            .headers()
            .get("access-control-allow-headers")
            .map(|v| v.to_str().expect("ascii").to_ascii_lowercase())
            .unwrap_or_default();
        let names: Vec<&str> = allowed.split(',').map(str::trim).collect();
        assert!(names.contains(&"api-token"), "{allowed}");
        assert!(
            !names.contains(&"authorization") && !names.contains(&"api-authorization"),
            "{secret}: the preflight allows {allowed}"
        );
    }
}

/// 001: "a voucher code with +, ie: TEST+CODE should be sent to DELETE /vouchers/TEST%2BCODE
/// and not DELETE /vouchers/TEST+CODE": a literal `+` reads as a space, so the unencoded
/// request does not remove `TEST+CODE`, and the encoded one does.
#[tokio::test]
async fn a_literal_plus_in_a_voucher_path_is_a_space() {
    let c = centra().await;
    let t = token(&c.send(c.req("GET", "/selection")).await.body);
    let add = |code: &str| {
        c.req("POST", "/vouchers")
            .header("API-token", &t)
            .json(&json!({"voucher": code}))
    };
    c.send(add("TEST+CODE")).await;
    let unencoded = c
        .send(
            c.req("DELETE", "/vouchers/TEST+CODE")
                .header("API-token", &t),
        )
        .await;
    assert_eq!(
        unencoded.status, 404,
        "`TEST+CODE` unencoded is `TEST CODE`"
    );
    let kept = c
        .send(c.req("GET", "/selection").header("API-token", &t))
        .await;
    assert_eq!(
        kept.body["selection"]["vouchers"],
        json!([{"voucher": "TEST+CODE"}])
    );
    c.send(add("TEST CODE")).await;
    let spaced = c
        .send(
            c.req("DELETE", "/vouchers/TEST+CODE")
                .header("API-token", &t),
        )
        .await;
    assert_eq!(spaced.status, 200);
    assert_eq!(
        spaced.body["selection"]["vouchers"],
        json!([{"voucher": "TEST+CODE"}]),
        "the `+` removed `TEST CODE`"
    );
    let encoded = c
        .send(
            c.req("DELETE", "/vouchers/TEST%2BCODE")
                .header("API-token", &t),
        )
        .await;
    assert_eq!(encoded.status, 200);
    assert_eq!(encoded.body["selection"]["vouchers"], json!([]));
}

/// specs/centra-checkout.yaml declares `404` ("Nothing of that id") for
/// `GET /products/{product}`: an unknown product is that answer, a known one is itself.
#[tokio::test]
async fn an_unknown_product_is_the_declared_404() {
    let c = centra().await;
    let missing = c.send(c.req("GET", "/products/999999")).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body["errors"]["product"], "not found");
    let plain = c.send(c.req("GET", "/products/62")).await;
    assert_eq!(plain.status, 200);
    assert_eq!(plain.body["product"]["product"], "62");
    assert_eq!(plain.body["product"]["name"], "Test Product Plain");
}

/// A misspelled `x-cartwright-decode`, or one on a query parameter, is refused at load with
/// where it is, rather than silently reading `+` literally.
#[test]
fn a_wrong_decode_extension_is_refused_at_load() {
    let spec = |param: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /vouchers/{{voucher}}:\n    delete:\n      parameters:\n        - {param}\n      responses: {{'200': {{description: ok}}}}\n"
        )
    };
    for param in [
        "{name: voucher, in: path, required: true, schema: {type: string}, x-cartwright-decode: forms}",
        "{name: voucher, in: path, required: true, schema: {type: string}}\n        - {name: q, in: query, schema: {type: string}, x-cartwright-decode: form}",
    ] {
        let mut sources = Sources::new();
        let err = cartwright_spec::load_str(
            "v.yaml",
            &spec(param),
            &LoadOptions::default(),
            &mut sources,
        )
        .expect_err("refused");
        assert!(
            err.iter().any(|d| d.message.contains("x-cartwright-decode")
                && d.pointer
                    .as_deref()
                    .is_some_and(|p| p.ends_with("/x-cartwright-decode"))),
            "{err:?}"
        );
    }
    let mut sources = Sources::new();
    let ok = spec(
        "{name: voucher, in: path, required: true, schema: {type: string}, x-cartwright-decode: form}",
    );
    assert!(
        cartwright_spec::load_str("v.yaml", &ok, &LoadOptions::default(), &mut sources).is_ok()
    );
}
