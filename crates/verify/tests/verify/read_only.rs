//! `response_schema_conformance` and a property both `required` and `readOnly`: the server
//! must send it in every answer (it is required there), while requests leave it out. A
//! server that never returns it fails; its faithful twin passes, refusing requests without
//! the `writeOnly` password, which is required in requests as the id is in answers.

use cartwright_verify::{Options, verify};
use serde_json::json;

use crate::serve::{Answer, Asked, failed, serve, spec};

const USERS: &str = r##"
openapi: 3.1.0
info: {title: users, version: "1"}
components:
  schemas:
    User:
      type: object
      required: [id, email, password]
      properties:
        id: {type: string, readOnly: true}
        email: {type: string}
        password: {type: string, writeOnly: true, minLength: 8}
paths:
  /users:
    post:
      operationId: register
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/User"}
            example: {email: ada@example.com, password: correct-horse}
      responses:
        "201": {description: made, content: {application/json: {schema: {$ref: "#/components/schemas/User"}}}}
        "400": {description: malformed, content: {application/json: {schema: {type: object}}}}
"##;

/// The users server: the broken one never returns the id it is required to send.
fn users(broken: bool) -> impl Fn(&Asked) -> Answer {
    move |a: &Asked| {
        let body = a.body.clone().unwrap_or_default();
        let sent = |k: &str| body.get(k).and_then(|v| v.as_str());
        let json = a
            .headers
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
        let fits =
            json && sent("email").is_some() && sent("password").is_some_and(|p| p.len() >= 8);
        if !fits {
            return (400, vec![], "{}".into());
        }
        let mut made = json!({"email": sent("email")});
        if !broken {
            made["id"] = json!("u-1");
        }
        (201, vec![], made.to_string())
    }
}

#[tokio::test]
async fn a_required_read_only_property_missing_from_an_answer_fails_the_schema_check() {
    let api = spec("users.yaml", USERS);
    let opts = |target: String| Options {
        target,
        max_examples: 5,
        ..Options::default()
    };
    let faithful = verify(&api, &opts(serve(users(false)).await)).await.run;
    let report = cartwright_report::terminal(&faithful, false);
    assert!(failed(&faithful).is_empty(), "{report}");
    let broken = verify(&api, &opts(serve(users(true)).await)).await.run;
    let report = cartwright_report::terminal(&broken, false);
    assert_eq!(
        failed(&broken).into_iter().collect::<Vec<_>>(),
        ["response_schema_conformance"],
        "{report}"
    );
    assert!(
        report.contains("\"id\" is a required property"),
        "the failure names the readOnly property: {report}"
    );
}
