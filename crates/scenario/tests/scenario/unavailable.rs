//! Against a server that is not the cartwright mock: what a skipped `mock:` step would have
//! captured is unavailable, the steps that need it are skipped with how to give it, a
//! skipped clock step ends its scenario, and a variable given from outside is used instead.
//! Against the mock, a capture replaces a variable of the same name.

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use cartwright_outcome::{Case, Status};
use cartwright_scenario::snapshot::Mode;
use serde_json::{Value, json};

use super::running::{mock, options, scenarios};
use super::serve::{Asked, serve};

/// The one code the small server accepts (the seed's example).
const CODE: &str = "123456";

/// A small Vendo server after seed 002: a code is "sent", exchanged for a token pair, and the
/// access token opens the account. Not a cartwright mock: it has no admin API.
async fn vendo() -> String {
    serve(Arc::new(|asked: Asked| {
        Box::pin(async move {
            let body: Value = serde_json::from_slice(&asked.body).unwrap_or(Value::Null);
            let user = &body["user"];
            let reply = match (asked.method.as_str(), asked.target.as_str()) {
                ("POST", "/api/v2/storefront/auth") => match user["code"].as_str() {
                    Some(CODE) => (
                        200,
                        json!({"access_token": "a".repeat(43), "token_type": "Bearer",
                            "expires_in": 7200, "refresh_token": "r".repeat(43),
                            "created_at": 1_700_000_000}),
                    ),
                    Some(_) => (401, json!({"error": "invalid_grant"})),
                    None => (200, json!({"message": "Code sent"})),
                },
                ("GET", "/api/v2/storefront/account") => {
                    let auth = asked.headers.get("authorization");
                    if auth.and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {}", "a".repeat(43))) {
                        (200, json!({"data": {"id": "1", "type": "user", "attributes": {"email": "a@example.com"}}}))
                    } else {
                        (401, json!({"error": "The access token is invalid"}))
                    }
                }
                _ => (404, json!({"error": "not found"})),
            };
            let headers = vec![("content-type".to_owned(), "application/json".to_owned())];
            (reply.0, headers, Bytes::from(reply.1.to_string()))
        })
    }))
    .await
}

const LOGIN: &str = r#"
name: log in
steps:
  - request: {method: POST, path: /auth, json: {user: {email: "{{ email }}"}}}
    assert: {status: 200, body: {$.message: Code sent}}
  - mock: {outbox: {to: "{{ email }}"}}
    capture: {code: {jsonpath: "$.messages[-1].code", secret: true}}
  - request: {method: POST, path: /auth, json: {user: {email: "{{ email }}", code: "{{ code }}"}}}
    capture: {access: {jsonpath: $.access_token, secret: true}}
    assert: {status: 200}
"#;

const ACCOUNT: &str = r#"
name: the account
vars: {email: a@example.com}
steps:
  - include: {file: _login.yaml}
  - name: the account opens
    request: {path: /account, headers: {Authorization: "Bearer {{ access }}"}}
    assert: {status: 200, schema: false}
  - name: an anonymous step still runs
    request: {method: POST, path: /auth, json: {user: {email: "{{ email }}"}}}
    assert: {status: 200}
  - mock: {advance: 2h}
  - name: after the clock step
    request: {path: /account, headers: {Authorization: "Bearer {{ access }}"}}
    assert: {status: 401, schema: false}
"#;

fn step<'c>(case: &'c Case, name: &str) -> &'c cartwright_outcome::Step {
    case.steps
        .iter()
        .find(|s| s.name.starts_with(name))
        .unwrap_or_else(|| panic!("no step {name}: {case:#?}"))
}

fn reason<'c>(case: &'c Case, name: &str) -> &'c str {
    step(case, name).reason.as_deref().unwrap_or("")
}

async fn account(target: &str, dir: &Path, code: Option<&str>) -> Case {
    let loaded = scenarios(dir, &[("_login.yaml", LOGIN), ("account.yaml", ACCOUNT)]);
    let mut opts = options(target, dir, Mode::Locked);
    if let Some(c) = code {
        opts.vars.insert("code".into(), Value::from(c));
    }
    let run = cartwright_scenario::run(loaded, &opts, |_| {}).await;
    run.cases.into_iter().next().expect("one case")
}

#[tokio::test]
async fn steps_that_need_an_outbox_code_are_skipped_with_how_to_give_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = account(&vendo().await, dir.path(), None).await;
    assert_eq!(case.status(), Status::Passed, "{case:#?}");
    assert!(reason(&case, "mock outbox").contains("not a cartwright mock"));
    let exchange = reason(&case, "POST /auth");
    assert_eq!(
        step(&case, "POST /auth").status,
        Status::Passed,
        "the code request runs"
    );
    let skipped = case
        .steps
        .iter()
        .filter(|s| s.status == Status::Skipped)
        .collect::<Vec<_>>();
    assert!(exchange.is_empty());
    let why = skipped[1].reason.as_deref().unwrap_or("");
    assert!(
        why.contains("`code` comes from the mock's outbox") && why.contains("CARTWRIGHT_VAR_code"),
        "{why}"
    );
    // What the skipped exchange would have captured is unavailable in turn.
    let account = reason(&case, "the account opens");
    assert!(
        account.contains("`access`") && account.contains("CARTWRIGHT_VAR_code"),
        "{account}"
    );
    assert_eq!(
        step(&case, "an anonymous step still runs").status,
        Status::Passed
    );
    let after = reason(&case, "after the clock step");
    assert!(
        after.contains("the clock step at ")
            && after.contains("account.yaml:12")
            && after.contains("moves only the cartwright mock's clock"),
        "{after}"
    );
}

#[tokio::test]
async fn a_code_given_from_outside_is_used_when_the_outbox_is_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = account(&vendo().await, dir.path(), Some(CODE)).await;
    assert_eq!(case.status(), Status::Passed, "{case:#?}");
    assert_eq!(step(&case, "the account opens").status, Status::Passed);
    let wrong = account(&vendo().await, dir.path(), Some("999999")).await;
    assert_eq!(
        wrong.status(),
        Status::Failed,
        "the given code is the one sent"
    );
}

#[tokio::test]
async fn against_the_mock_its_fresh_code_wins_over_a_given_one() {
    let (_mock, base) = mock().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let case = account(&base, dir.path(), Some("999999")).await;
    assert_eq!(
        step(&case, "the account opens").status,
        Status::Passed,
        "{case:#?}"
    );
    assert!(
        case.steps.iter().all(|s| s.status != Status::Skipped),
        "{case:#?}"
    );
}

const FLOW_DEFAULT: &str = r#"
name: a cart, with a default for its token
vars: {order: not-a-token}
steps:
  - request: {method: POST, path: /cart}
    capture: {order: {jsonpath: $.data.attributes.token, secret: true}}
"#;

const CALLER: &str = r#"
name: the captured token comes back
steps:
  - include: {file: _cart.yaml}
  - request: {path: /cart, headers: {X-Vendo-Order-Token: "{{ order }}"}}
    assert: {status: 200}
"#;

#[tokio::test]
async fn a_capture_replaces_a_variable_of_the_same_name() {
    let (_mock, base) = mock().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let loaded = scenarios(
        dir.path(),
        &[("_cart.yaml", FLOW_DEFAULT), ("caller.yaml", CALLER)],
    );
    let run =
        cartwright_scenario::run(loaded, &options(&base, dir.path(), Mode::Locked), |_| {}).await;
    assert_eq!(run.cases[0].status(), Status::Passed, "{:#?}", run.cases[0]);
}

#[tokio::test]
async fn a_name_no_step_gives_is_still_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "name: typo\nsteps:\n  - request: {path: /account, headers: {A: '{{ nowhere }}'}}\n";
    let loaded = scenarios(dir.path(), &[("typo.yaml", text)]);
    let run = cartwright_scenario::run(
        loaded,
        &options(&vendo().await, dir.path(), Mode::Locked),
        |_| {},
    )
    .await;
    assert_eq!(run.cases[0].status(), Status::Errored);
    assert!(reason(&run.cases[0], "GET /account").contains("nowhere"));
}
