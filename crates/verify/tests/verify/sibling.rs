//! `path_encoding` aimed at a real sibling route: `DELETE /cart/vouchers/{code}` with
//! `..%2Fitems%2F<a line session a just added>` reaches `DELETE /cart/items/<that line>` on a
//! server that decodes `%2F` before routing, which succeeds where the plain code got a 404.
//! With a made-up line id the decoding server answers 404 as well, and passes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cartwright_verify::{Options, verify};
use serde_json::json;

use crate::serve::{Answer, Asked, failed, serve, spec};

const CART: &str = r##"
openapi: 3.1.0
info: {title: cart with vouchers, version: "1"}
security: [{bearer: []}]
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  responses:
    Unauthorized: {description: no valid token, content: {application/json: {schema: {type: object}}}}
    Invalid: {description: malformed, content: {application/json: {schema: {type: object}}}}
    Missing: {description: no such voucher or line in the cart, content: {application/json: {schema: {type: object}}}}
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
        "201": {description: added, content: {application/json: {schema: {type: object, required: [itemId], properties: {itemId: {type: string}}}}}}
        "400": {$ref: "#/components/responses/Invalid"}
        "401": {$ref: "#/components/responses/Unauthorized"}
  /cart/items/{itemId}:
    delete:
      operationId: removeItem
      parameters: [{name: itemId, in: path, required: true, schema: {type: string}}]
      responses:
        "204": {description: gone from this cart}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/Missing"}
  /cart/vouchers/{code}:
    delete:
      operationId: removeVoucher
      parameters: [{name: code, in: path, required: true, schema: {type: string}}]
      responses:
        "204": {description: removed}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404": {$ref: "#/components/responses/Missing"}
"##;

#[derive(Default)]
struct State {
    /// Each session's lines.
    carts: HashMap<String, Vec<String>>,
    next: u64,
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// The path's segments: each decoded after splitting, or (`broken`) the whole path decoded
/// first and its dot segments resolved, so `%2F` routes.
fn segments(path: &str, broken: bool) -> Vec<String> {
    if !broken {
        return path.split('/').skip(1).map(decode).collect();
    }
    let mut out: Vec<String> = Vec::new();
    for s in decode(path).split('/').skip(1) {
        match s {
            ".." => {
                out.pop();
            }
            "." => {}
            s => out.push(s.to_owned()),
        }
    }
    out
}

fn shop(broken: bool) -> impl Fn(&Asked) -> Answer {
    let state = Arc::new(Mutex::new(State::default()));
    move |a: &Asked| {
        let mut st = state.lock().expect("state");
        let segs = segments(&a.path, broken);
        let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
        answer(&mut st, a, &segs)
    }
}

fn answer(st: &mut State, a: &Asked, segs: &[&str]) -> Answer {
    let allowed = match segs {
        ["login"] | ["cart", "items"] => "POST",
        ["cart", "items", _] | ["cart", "vouchers", _] => "DELETE",
        _ => return (404, vec![], r#"{"error": "no such route"}"#.into()),
    };
    if a.method.as_str() != allowed {
        return (405, vec![("allow", allowed.into())], String::new());
    }
    let json_body = a
        .headers
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let body = a.body.as_ref().filter(|b| json_body && b.is_object());
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
    let Some(lines) = st.carts.get(given).cloned() else {
        return (401, vec![], r#"{"error": "no valid token"}"#.into());
    };
    let token = given.to_owned();
    match segs {
        ["cart", "items"] => {
            if !body.is_some_and(|b| b["sku"].is_string()) {
                return invalid;
            }
            st.next += 1;
            let id = format!("line{}", st.next);
            st.carts.entry(token).or_default().push(id.clone());
            (201, vec![], json!({"itemId": id}).to_string())
        }
        ["cart", "items", id] if lines.iter().any(|l| l == id) => {
            let kept = lines.into_iter().filter(|l| l != id).collect();
            st.carts.insert(token, kept);
            (204, vec![], String::new())
        }
        ["cart", "items", _] => (404, vec![], r#"{"error": "no such line"}"#.into()),
        _ => (404, vec![], r#"{"error": "no such voucher"}"#.into()),
    }
}

#[tokio::test]
async fn a_traversal_to_a_real_line_is_caught_on_a_server_that_decodes_before_routing() {
    let api = spec("cart.yaml", CART);
    let opts = |target: String| Options {
        target,
        max_examples: 5,
        ..Options::default()
    };
    let faithful = verify(&api, &opts(serve(shop(false)).await)).await.run;
    let report = cartwright_report::terminal(&faithful, false);
    assert!(failed(&faithful).is_empty(), "{report}");
    let aimed = "DELETE /cart/vouchers/{code} ..%2Fitems%2F<session a's id> \
                 (reaches DELETE /cart/items/{itemId} with session a's own id when decoded)";
    let step = |run: &cartwright_outcome::Run| {
        run.cases
            .iter()
            .flat_map(|c| &c.steps)
            .find(|s| s.name == aimed)
            .map(|s| (s.response_status, s.failures().next().is_some()))
    };
    assert_eq!(step(&faithful), Some((Some(404), false)), "{report}");
    let broken = verify(&api, &opts(serve(shop(true)).await)).await.run;
    let report = cartwright_report::terminal(&broken, false);
    assert_eq!(
        failed(&broken).into_iter().collect::<Vec<_>>(),
        ["path_encoding"],
        "{report}"
    );
    assert_eq!(step(&broken), Some((Some(204), true)), "{report}");
    // The same traversal with a made-up id reaches nothing, even on the decoding server.
    let made_up = broken
        .cases
        .iter()
        .flat_map(|c| &c.steps)
        .find(|s| s.name.contains("code=..%2Fitems%2Fcartwrightprobe"))
        .map(|s| (s.response_status, s.failures().next().is_some()));
    assert!(
        made_up.is_some_and(|(st, f)| !f && st.is_some_and(|st| st >= 400)),
        "{made_up:?}\n{report}"
    );
}
