//! A store whose account opens only to a login token: registration answers a token that can
//! create the account (`POST /accounts`), but `GET /accounts/me` needs the token of a login
//! (`POST /auth/{provider}`, whose body the spec leaves free-form) with the registered
//! credentials. The walk reaches the account only by logging in as who registered.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use cartwright_diag::Sources;
use cartwright_spec::LoadOptions;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::{Value, json};

const SPEC: &str = r##"
openapi: 3.1.0
info: {title: accounts, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    Token:
      type: object
      required: [token]
      properties: {token: {type: string}}
    Error:
      type: object
      properties: {message: {type: string}}
paths:
  /auth/{provider}/register:
    post:
      operationId: register
      security: []
      parameters:
        - {name: provider, in: path, required: true, schema: {type: string, example: emailpass}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [email, password]
              properties: {email: {type: string}, password: {type: string}}
            example: {email: jane@example.com, password: secret}
      responses:
        "200":
          description: registered
          content: {application/json: {schema: {$ref: "#/components/schemas/Token"}}}
        "400":
          description: taken
          content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
  /auth/{provider}:
    post:
      operationId: login
      security: []
      parameters:
        - {name: provider, in: path, required: true, schema: {type: string, example: emailpass}}
      requestBody:
        content:
          application/json:
            schema: {type: object, description: the provider's credentials}
      responses:
        "200":
          description: logged in
          content: {application/json: {schema: {$ref: "#/components/schemas/Token"}}}
        "401":
          description: wrong credentials
          content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
  /accounts:
    post:
      operationId: createAccount
      security: [{bearer: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
            example: {name: Jane}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {type: object, required: [id], properties: {id: {type: string}}}
        "401":
          description: no registration
          content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
  /accounts/me:
    get:
      operationId: me
      security: [{bearer: []}]
      responses:
        "200":
          description: the account
          content:
            application/json:
              schema: {type: object, required: [email], properties: {email: {type: string}}}
        "401":
          description: not logged in
          content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
"##;

/// The fixture spec.
pub(super) fn spec() -> cartwright_model::Api {
    cartwright_spec::load_str(
        "accounts.yaml",
        SPEC,
        &LoadOptions::default(),
        &mut Sources::new(),
    )
    .expect("loads")
    .api
}

#[derive(Default)]
struct State {
    /// Password by e-mail address.
    people: HashMap<String, String>,
    /// The address of each registration token.
    registered: HashMap<String, String>,
    /// The address of each login token.
    logged_in: HashMap<String, String>,
    /// The addresses with an account.
    accounts: Vec<String>,
    next: u64,
}

/// Serves the accounts store on a free port; its base URL.
pub(super) async fn server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let state = Arc::new(Mutex::new(State::default()));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let state = state.clone();
            tokio::spawn(async move {
                let svc = service_fn(move |req: http::Request<hyper::body::Incoming>| {
                    let state = state.clone();
                    async move {
                        let (parts, body) = req.into_parts();
                        let bytes = body
                            .collect()
                            .await
                            .map(|b| b.to_bytes())
                            .unwrap_or_default();
                        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                        let token = parts
                            .headers
                            .get("authorization")
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| v.strip_prefix("Bearer "))
                            .unwrap_or("")
                            .to_owned();
                        let (status, json) = {
                            let mut st = state.lock().expect("state");
                            let path = parts.uri.path().to_owned();
                            answer(&mut st, parts.method.as_str(), &path, &token, &body)
                        };
                        let res = http::Response::builder()
                            .status(status)
                            .header("content-type", "application/json")
                            .body(Full::new(Bytes::from(json.to_string())))
                            .expect("response");
                        Ok::<_, Infallible>(res)
                    }
                });
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    format!("http://{addr}")
}

fn answer(st: &mut State, method: &str, path: &str, token: &str, body: &Value) -> (u16, Value) {
    let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let (email, password) = (text("email"), text("password"));
    let refused = |m: &str| (401, json!({"message": m}));
    st.next += 1;
    let n = st.next;
    match (method, path) {
        ("POST", "/auth/emailpass/register") => {
            if email.is_empty() || st.people.contains_key(&email) {
                return (400, json!({"message": "taken"}));
            }
            st.people.insert(email.clone(), password);
            let token = format!("reg_{n}");
            st.registered.insert(token.clone(), email);
            (200, json!({"token": token}))
        }
        ("POST", "/auth/emailpass") => match st.people.get(&email) {
            Some(p) if *p == password && !email.is_empty() => {
                let token = format!("login_{n}");
                st.logged_in.insert(token.clone(), email);
                (200, json!({"token": token}))
            }
            _ => refused("wrong credentials"),
        },
        ("POST", "/accounts") => match st.registered.get(token).cloned() {
            Some(email) if !st.accounts.contains(&email) => {
                st.accounts.push(email);
                (201, json!({"id": format!("acc_{n}")}))
            }
            _ => refused("no registration"),
        },
        ("GET", "/accounts/me") => match st.logged_in.get(token) {
            Some(email) if st.accounts.contains(email) => (200, json!({"email": email})),
            _ => refused("not logged in"),
        },
        _ => (404, json!({"message": "not found"})),
    }
}
