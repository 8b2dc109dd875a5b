//! `cross_session_isolation` beyond one read after one change: a token nobody was given
//! (in a token's format or made up) must not open someone's cart, one session must not
//! delete another's line, and a session must not see a later session's change. Each bug
//! is caught by that check alone; the faithful twin passes every default check.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use cartwright_outcome::{Run, Status};
use cartwright_verify::{Options, Verified, verify};
use serde_json::{Value, json};

use crate::security::replay;
use crate::serve::{Answer, Asked, failed, serve, spec};

const CARTS: &str = r##"
openapi: 3.1.0
info: {title: carts by session, version: "1"}
security: [{bearer: []}]
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  responses:
    Unauthorized: {description: no valid token, content: {application/json: {schema: {type: object}}}}
    Invalid: {description: malformed, content: {application/json: {schema: {type: object}}}}
  schemas:
    Item: {type: object, required: [id, sku], properties: {id: {type: string}, sku: {type: string}}}
paths:
  /login:
    post:
      operationId: login
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [email, password], properties: {email: {type: string}, password: {type: string}}}
            example: {email: ada@example.com, password: correct-horse}
      responses:
        "200":
          description: a session
          content: {application/json: {schema: {type: object, required: [token], properties: {token: {type: string}}}}}
        "400": {$ref: "#/components/responses/Invalid"}
  /cart:
    get:
      operationId: getCart
      responses:
        "200":
          description: the session's cart
          content:
            application/json:
              schema:
                type: object
                required: [count, items]
                properties: {count: {type: integer}, items: {type: array, items: {$ref: "#/components/schemas/Item"}}}
        "401": {$ref: "#/components/responses/Unauthorized"}
  /cart/items:
    post:
      operationId: addItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [sku], properties: {sku: {type: string}}}
            example: {sku: TEE-1}
      responses:
        "201": {description: added, content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
  /cart/items/{itemId}:
    delete:
      operationId: removeItem
      parameters: [{name: itemId, in: path, required: true, schema: {type: string}}]
      responses:
        "204": {description: gone from this cart, or never in it}
        "401": {$ref: "#/components/responses/Unauthorized"}
"##;

/// The one bug of a broken twin.
#[derive(Clone, Copy, PartialEq)]
enum Bug {
    None,
    /// A token in the old cart cookie's format (a UUID) that the server does not know
    /// opens the cart changed last.
    Fallback,
    /// A line is deleted from whichever cart holds it.
    ForeignDelete,
    /// A token in neither format (the server's own, the old cookie's) opens the cart
    /// changed last.
    MadeUpFallback,
    /// A cart's read holds the lines of every session made after the reader's (a `>=` for
    /// an `==`): hidden from a later session, shown to an earlier one.
    Later,
}

#[derive(Default)]
struct State {
    carts: BTreeMap<String, Vec<Value>>,
    last_changed: Option<String>,
    next: u64,
}

fn carts(bug: Bug) -> impl Fn(&Asked) -> Answer {
    let state = Arc::new(Mutex::new(State::default()));
    move |a: &Asked| {
        let mut st = state.lock().expect("state");
        answer(&mut st, a, bug)
    }
}

fn answer(st: &mut State, a: &Asked, bug: Bug) -> Answer {
    let segs: Vec<&str> = a.path.split('/').skip(1).collect();
    let allowed = match segs.as_slice() {
        ["login"] | ["cart", "items"] => "POST",
        ["cart"] => "GET",
        ["cart", "items", _] => "DELETE",
        _ => return (404, vec![], r#"{"error": "no such route"}"#.into()),
    };
    if a.method.as_str() != allowed {
        return (405, vec![("allow", allowed.into())], String::new());
    }
    let json_body = a
        .headers
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let body = a.body.as_ref().filter(|_| json_body);
    let invalid = (400, vec![], r#"{"error": "invalid"}"#.to_owned());
    if segs == ["login"] {
        if !body.is_some_and(|b| b["email"].is_string() && b["password"].is_string()) {
            return invalid;
        }
        st.next += 1;
        let token = format!("tok{:024}", st.next);
        st.carts.insert(token.clone(), Vec::new());
        return (200, vec![], json!({"token": token}).to_string());
    }
    let given = a
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let legacy = given.len() == 36 && given.bytes().filter(|b| *b == b'-').count() == 4;
    let made_up = !given.is_empty() && !legacy && !given.starts_with("tok");
    let token = if st.carts.contains_key(given) {
        given.to_owned()
    } else if (bug == Bug::Fallback && legacy || bug == Bug::MadeUpFallback && made_up)
        && st.last_changed.is_some()
    {
        st.last_changed.clone().unwrap_or_default()
    } else {
        return (401, vec![], r#"{"error": "no valid token"}"#.into());
    };
    match segs.as_slice() {
        ["cart"] => {
            let items: Vec<Value> = if bug == Bug::Later {
                st.carts
                    .range(token..)
                    .flat_map(|(_, v)| v.clone())
                    .collect()
            } else {
                st.carts.get(&token).cloned().unwrap_or_default()
            };
            let cart = json!({"count": items.len(), "items": items});
            (200, vec![], cart.to_string())
        }
        ["cart", "items"] => {
            let Some(sku) = body.and_then(|b| b["sku"].as_str()) else {
                return invalid;
            };
            st.next += 1;
            let item = json!({"id": format!("line{}", st.next), "sku": sku});
            st.carts
                .entry(token.clone())
                .or_default()
                .push(item.clone());
            st.last_changed = Some(token);
            (201, vec![], item.to_string())
        }
        ["cart", "items", id] => {
            for (owner, items) in st.carts.iter_mut() {
                if *owner == token || bug == Bug::ForeignDelete {
                    items.retain(|i| i["id"] != *id);
                }
            }
            (204, vec![], String::new())
        }
        _ => (404, vec![], r#"{"error": "no such route"}"#.into()),
    }
}

async fn run(bug: Bug) -> Verified {
    let opts = Options {
        target: serve(carts(bug)).await,
        max_examples: 5,
        ..Options::default()
    };
    verify(&spec("carts.yaml", CARTS), &opts).await
}

/// The names of the failed steps.
fn failing(run: &Run) -> Vec<String> {
    run.cases
        .iter()
        .flat_map(|c| &c.steps)
        .filter(|s| s.failures().next().is_some())
        .map(|s| s.name.clone())
        .collect()
}

#[tokio::test]
async fn unknown_tokens_and_foreign_deletes_are_caught_by_cross_session_isolation() {
    let faithful = run(Bug::None).await.run;
    let report = cartwright_report::terminal(&faithful, false);
    assert!(failed(&faithful).is_empty(), "{report}");
    // The faithful run did probe both.
    let names: Vec<&str> = faithful
        .cases
        .iter()
        .flat_map(|c| &c.steps)
        .map(|s| s.name.as_str())
        .collect();
    assert!(
        names.iter().any(|n| n.contains("a token nobody was given"))
            && names.iter().any(|n| n.contains("after session b's DELETE"))
            && names.iter().any(|n| n.contains("with a made-up token"))
            && names.iter().any(|n| n.contains("after session b's POST")),
        "{names:?}"
    );
    for (bug, step) in [
        (Bug::Fallback, "GET /cart with a token nobody was given"),
        (
            Bug::ForeignDelete,
            "GET /cart with session a after session b's DELETE",
        ),
        (Bug::MadeUpFallback, "GET /cart with a made-up token"),
        (
            Bug::Later,
            "GET /cart with session a after session b's POST /cart/items",
        ),
    ] {
        let verified = run(bug).await;
        let broken = &verified.run;
        let report = cartwright_report::terminal(broken, false);
        assert_eq!(
            failed(broken).into_iter().collect::<Vec<_>>(),
            ["cross_session_isolation"],
            "{report}"
        );
        assert!(
            failing(broken).iter().all(|n| n.starts_with(step)),
            "{report}"
        );
        // The kept failure replays: failing against the bug, passing against the twin.
        assert_eq!(verified.failures.len(), 1, "{report}");
        for (twin, expected) in [(bug, Status::Failed), (Bug::None, Status::Passed)] {
            let target = serve(carts(twin)).await;
            let api = spec("carts.yaml", CARTS);
            for (name, status, report) in replay(api, &verified.failures, &target).await {
                assert_eq!(status, expected, "{name}:\n{report}");
            }
        }
    }
}
