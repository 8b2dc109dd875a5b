//! Proxy mode against a small real server started here: both directions checked against
//! the spec, violations in the `Cartwright-Violations` header and the journal, the real
//! answer passed on unchanged, `--proxy-strict` refusals that never reach the server, and a
//! server that is down named in a 502.

use std::time::Duration;

use bytes::Bytes;
use serde_json::{Value, json};

use super::proxy_upstream::{proxying, upstream, violations};

#[tokio::test]
async fn an_off_contract_answer_reaches_the_client_unchanged_and_is_reported() {
    let up = upstream().await;
    let mock = proxying(&up.url, |_| {}).await;
    let res = mock
        .client
        .get(format!("{}/products/2", mock.base))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-upstream"], "real");
    let header = violations(&res).expect("violations reported");
    assert!(header.starts_with("response: /id: "), "{header}");
    assert!(header.contains("integer"), "{header}");
    let body: Value = res.json().await.expect("JSON");
    assert_eq!(body, json!({"id": "two", "name": "Cake", "price": 2}));
    let entry = mock.mock.journal().recent(1).pop().expect("journaled");
    assert_eq!(entry.operation.as_deref(), Some("getProduct"));
    let proxied = entry.proxy.expect("proxied");
    assert!(proxied.forwarded);
    assert_eq!(proxied.violations.len(), 1);
    assert!(proxied.violations[0].starts_with("response: /id: "));
    // An undeclared status is a violation too, and still reaches the client.
    let res = mock
        .client
        .get(format!("{}/products/3", mock.base))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 418);
    let header = violations(&res).expect("violations reported");
    assert!(header.contains("status 418 is not declared"), "{header}");
    // The journal over the admin API shows the list.
    let journal: Value = mock
        .client
        .get(format!("{}/__cartwright/journal", mock.base))
        .send()
        .await
        .expect("journal")
        .json()
        .await
        .expect("JSON");
    let last = journal.to_string();
    assert!(last.contains("status 418 is not declared"), "{last}");
    assert_eq!(
        up.lines(),
        ["GET /products/2", "GET /products/3"],
        "admin calls are never forwarded"
    );
}

#[tokio::test]
async fn a_valid_exchange_has_no_violations_and_the_request_arrives_as_sent() {
    let up = upstream().await;
    let mock = proxying(&up.url, |_| {}).await;
    let res = mock
        .client
        .get(format!("{}/products/1?lang=en", mock.base))
        .header("x-client", "web")
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    assert_eq!(violations(&res), None);
    assert_eq!(res.headers()["x-stock"], "12");
    let seen = up.seen.lock().expect("lock")[0].clone();
    assert_eq!(seen.line, "GET /products/1?lang=en");
    assert_eq!(seen.headers["x-client"], "web");
    assert_eq!(seen.headers["host"], up.url.trim_start_matches("http://"));
    assert!(!seen.headers.contains_key("accept-encoding"));
    // A HEAD answer keeps the length of the body it does not carry.
    let res = mock
        .client
        .head(format!("{}/products/1", mock.base))
        .send()
        .await
        .expect("answer");
    let length = json!({"id": 1, "name": "Tea", "price": 3.5})
        .to_string()
        .len();
    assert_eq!(res.headers()["content-length"], length.to_string().as_str());
}

#[tokio::test]
async fn a_request_that_breaks_the_spec_is_forwarded_and_reported() {
    let up = upstream().await;
    let mock = proxying(&up.url, |_| {}).await;
    let res = mock
        .client
        .post(format!("{}/carts/c1/items", mock.base))
        .json(&json!({"productId": 1, "quantity": 0}))
        .send()
        .await
        .expect("answer");
    // The real server's own answer (it knows no carts), with the request's violation.
    assert_eq!(res.status(), 404);
    let header = violations(&res).expect("violations reported");
    assert!(header.starts_with("request: /body/quantity: "), "{header}");
    let seen = up.seen.lock().expect("lock")[0].clone();
    assert_eq!(seen.line, "POST /carts/c1/items");
    assert_eq!(seen.body, Bytes::from(r#"{"productId":1,"quantity":0}"#));
    // A path the spec does not have is forwarded and said to be outside it.
    let res = mock
        .client
        .get(format!("{}/wishlist", mock.base))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 404);
    assert_eq!(
        violations(&res).as_deref(),
        Some("request: not in the spec")
    );
    assert_eq!(up.lines().len(), 2);
}

#[tokio::test]
async fn strict_mode_refuses_what_breaks_the_spec_and_sends_nothing() {
    let up = upstream().await;
    let mock = proxying(&up.url, |p| p.strict = true).await;
    let res = mock
        .client
        .post(format!("{}/carts/c1/items", mock.base))
        .json(&json!({"productId": 1, "quantity": 0}))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 422);
    assert!(violations(&res).expect("listed").contains("/body/quantity"));
    let problem: Value = res.json().await.expect("problem");
    assert_eq!(problem["errors"][0]["pointer"], "/body/quantity");
    assert!(
        up.lines().is_empty(),
        "the real server saw {:?}",
        up.lines()
    );
    let entry = mock.mock.journal().recent(1).pop().expect("journaled");
    let proxied = entry.proxy.expect("proxy note");
    assert!(!proxied.forwarded);
    // A valid request still goes through.
    let res = mock
        .client
        .get(format!("{}/products/1", mock.base))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    assert_eq!(up.lines(), ["GET /products/1"]);
}

#[tokio::test]
async fn a_server_that_is_down_is_a_502_that_names_it() {
    // A port just freed: nothing listens on it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let mock = proxying(&url, |_| {}).await;
    let res = mock
        .client
        .get(format!("{}/products/1", mock.base))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 502);
    let problem: Value = res.json().await.expect("problem");
    let detail = problem["detail"].as_str().expect("detail");
    assert!(
        detail.contains(&url) && detail.contains("refused"),
        "{detail}"
    );
    let entry = mock.mock.journal().recent(1).pop().expect("journaled");
    assert!(entry.proxy.and_then(|p| p.upstream_error).is_some());
}

#[tokio::test]
async fn a_server_that_does_not_answer_in_time_is_a_504_that_names_it() {
    let up = upstream().await;
    let mock = proxying(&up.url, |p| p.timeout = Duration::from_millis(200)).await;
    let res = mock
        .client
        .get(format!("{}/products/4", mock.base))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 504);
    let problem: Value = res.json().await.expect("problem");
    let detail = problem["detail"].as_str().expect("detail");
    assert!(detail.contains(&up.url), "{detail}");
    assert_eq!(problem["upstream"], up.url.as_str());
}

#[tokio::test]
async fn a_credential_in_a_violation_is_masked() {
    let up = upstream().await;
    let mock = proxying(&up.url, |_| {}).await;
    let key = "key-7f3a9c";
    let res = mock
        .client
        .get(format!("{}/account", mock.base))
        .header("x-api-key", key)
        .send()
        .await
        .expect("answer");
    let header = violations(&res).expect("the short key is a violation");
    assert!(
        header.contains("/header/X-Api-Key") && header.contains("***"),
        "{header}"
    );
    assert!(!header.contains(key), "{header}");
    let entry = mock.mock.journal().recent(1).pop().expect("journaled");
    let listed = entry.proxy.expect("proxied").violations.join("; ");
    assert!(!listed.contains(key), "{listed}");
    // The real server still got the key it was sent.
    assert_eq!(up.seen.lock().expect("lock")[0].headers["x-api-key"], key);
}
