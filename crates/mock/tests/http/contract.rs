//! The contract as each direction reads it: a required `readOnly` property is in every
//! answer (however deep) and never asked of a request, a required `writeOnly` one is asked
//! of every request and never answered; integers of any size are integers; a method no
//! path item can name gets a 405 with `Allow`.

use cartwright_mock::Config;
use serde_json::{Value, json};

use crate::{Server, json, start_with};

const ACCOUNTS: &str = r##"
openapi: 3.1.0
info: {title: accounts, version: "1"}
components:
  schemas:
    Account:
      type: object
      required: [id, email, password, profile]
      properties:
        id: {type: string, readOnly: true}
        email: {type: string}
        password: {type: string, writeOnly: true, minLength: 8}
        profile: {$ref: "#/components/schemas/Profile"}
    Profile:
      type: object
      required: [a]
      properties:
        a:
          type: object
          required: [b]
          properties:
            b:
              type: object
              required: [c]
              properties:
                c:
                  type: object
                  required: [stamp]
                  properties:
                    stamp: {type: string, format: date-time, readOnly: true}
                    note: {type: string}
paths:
  /signup:
    post:
      operationId: signUp
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Account"}}}
      responses:
        "201": {description: made, content: {application/json: {schema: {$ref: "#/components/schemas/Account"}}}}
        "422": {description: invalid, content: {application/problem+json: {schema: {type: object}}}}
  /count:
    get:
      operationId: count
      parameters: [{name: n, in: query, required: true, schema: {type: integer}}]
      responses:
        "200": {description: counted, content: {application/json: {schema: {type: object}}}}
        "422": {description: invalid, content: {application/problem+json: {schema: {type: object}}}}
    post:
      operationId: countBody
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, required: [n], properties: {n: {type: integer}}}}}
      responses:
        "200": {description: counted, content: {application/json: {schema: {type: object}}}}
        "422": {description: invalid, content: {application/problem+json: {schema: {type: object}}}}
"##;

async fn accounts() -> Server {
    start_with(ACCOUNTS, Config::default()).await
}

async fn sign_up(s: &Server, body: &Value) -> reqwest::Response {
    s.client
        .post(format!("{}/signup", s.base))
        .json(body)
        .send()
        .await
        .expect("send")
}

#[tokio::test]
async fn a_required_read_only_property_is_answered_at_every_depth_and_never_asked() {
    let s = accounts().await;
    let asked = json!({"email": "ada@example.com", "password": "correct-horse",
        "profile": {"a": {"b": {"c": {"note": "hi"}}}}});
    let res = sign_up(&s, &asked).await;
    assert_eq!(
        res.status(),
        201,
        "no readOnly property is asked of a request"
    );
    let made = json(res).await;
    assert!(made["id"].is_string(), "{made}");
    assert!(
        made.pointer("/profile/a/b/c/stamp")
            .is_some_and(Value::is_string),
        "a required readOnly property four objects deep is answered: {made}"
    );
    assert!(
        made.get("password").is_none(),
        "a writeOnly property is never answered: {made}"
    );
}

#[tokio::test]
async fn a_required_write_only_property_is_asked_of_every_request() {
    let s = accounts().await;
    let res = sign_up(
        &s,
        &json!({"email": "ada@example.com", "profile": {"a": {"b": {"c": {}}}}}),
    )
    .await;
    assert_eq!(res.status(), 422);
    let problem = json(res).await;
    assert_eq!(
        problem["errors"][0]["pointer"], "/body/password",
        "{problem}"
    );
}

#[tokio::test]
async fn integers_of_any_size_are_integers() {
    let s = accounts().await;
    let count = |q: &'static str| {
        let url = format!("{}/count?n={q}", s.base);
        let client = s.client.clone();
        async move { client.get(url).send().await.expect("send").status() }
    };
    for n in [
        "7",
        "9223372036854775808",
        "18446744073709551616",
        "1.0",
        "1e3",
    ] {
        assert_eq!(count(n).await, 200, "n={n} is an integer");
    }
    for n in ["1.5", "1e-3", "12x", "inf"] {
        assert_eq!(count(n).await, 422, "n={n} is not an integer");
    }
    for n in ["9223372036854775808", "18446744073709551616", "1.0"] {
        let res = s
            .client
            .post(format!("{}/count", s.base))
            .header("content-type", "application/json")
            .body(format!(r#"{{"n": {n}}}"#))
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), 200, "n={n} in a body is an integer");
    }
}

#[tokio::test]
async fn a_method_no_path_item_can_name_gets_405_with_allow() {
    let s = accounts().await;
    for method in ["QUERY", "FOO"] {
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("a method token");
        let res = s
            .client
            .request(m.clone(), format!("{}/count", s.base))
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), 405, "{method}");
        assert_eq!(
            res.headers().get("allow").and_then(|v| v.to_str().ok()),
            Some("GET, POST"),
            "{method}"
        );
        let res = s
            .client
            .request(m, format!("{}/nowhere", s.base))
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), 404, "{method} on a path no operation has");
    }
    // The mock still serves a declared method afterwards.
    let res = s
        .client
        .get(format!("{}/count?n=1", s.base))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
}
