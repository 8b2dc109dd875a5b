//! The walk's fixture server, faithful or with one bug. The faithful store answers 404 for
//! any product or cart id it did not issue and 401 to a customer read without a token it
//! issued, so only a walk that carries real ids and tokens reaches its reads.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::{Value, json};

/// The one bug of a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Bug {
    /// None: the faithful twin.
    None,
    /// A product read with an issued id answers without its required `name`.
    Unnamed,
    /// A created product cannot be read: every product read is 404.
    Lost,
    /// A deleted product stays readable.
    Undead,
}

#[derive(Default)]
struct State {
    products: HashMap<String, String>,
    carts: HashSet<String>,
    tokens: HashMap<String, String>,
    next: u64,
}

type Answered = (u16, Option<Value>);

/// Serves the store with `bug` on a free port; its base URL.
pub(super) async fn server(bug: Bug) -> String {
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
                        let body: Option<Value> = serde_json::from_slice(&bytes).ok();
                        let auth = parts
                            .headers
                            .get("authorization")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_owned();
                        let (status, json) = {
                            let mut st = state.lock().expect("state");
                            answer(&mut st, &parts.method, parts.uri.path(), &auth, body, bug)
                        };
                        let mut res = http::Response::builder().status(status);
                        let bytes = match json {
                            Some(v) => {
                                res = res.header("content-type", "application/json");
                                Bytes::from(v.to_string())
                            }
                            None => Bytes::new(),
                        };
                        Ok::<_, Infallible>(res.body(Full::new(bytes)).expect("response"))
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

fn missing() -> Answered {
    (404, Some(json!({"message": "not found"})))
}

fn answer(
    st: &mut State,
    method: &http::Method,
    path: &str,
    auth: &str,
    body: Option<Value>,
    bug: Bug,
) -> Answered {
    let seg: Vec<&str> = path.trim_matches('/').split('/').collect();
    let name = body
        .as_ref()
        .and_then(|b| b.get("name"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    match (method.as_str(), seg.as_slice()) {
        ("POST", ["products"]) => {
            let Some(name) = name else {
                return (400, Some(json!({"message": "name"})));
            };
            st.next += 1;
            let id = format!("prd_{}", st.next);
            st.products.insert(id.clone(), name.clone());
            (201, Some(json!({"id": id, "name": name})))
        }
        ("GET", ["products", id]) => match st.products.get(*id) {
            Some(_) if bug == Bug::Lost => missing(),
            Some(_) if bug == Bug::Unnamed => (200, Some(json!({"id": id}))),
            Some(n) => (200, Some(json!({"id": id, "name": n}))),
            None => missing(),
        },
        ("PUT", ["products", id]) => match (st.products.get_mut(*id), name) {
            (Some(n), Some(new)) => {
                *n = new.clone();
                (200, Some(json!({"id": id, "name": new})))
            }
            _ => missing(),
        },
        ("DELETE", ["products", id]) => {
            let known = if bug == Bug::Undead {
                st.products.contains_key(*id)
            } else {
                st.products.remove(*id).is_some()
            };
            if known { (204, None) } else { missing() }
        }
        ("POST", ["carts"]) => {
            st.next += 1;
            let id = format!("cart_{}", st.next);
            st.carts.insert(id.clone());
            (201, Some(json!({"cart": {"id": id, "items": []}})))
        }
        ("GET", ["carts", id]) if st.carts.contains(*id) => {
            (200, Some(json!({"cart": {"id": id, "items": []}})))
        }
        ("GET", ["carts", _]) => missing(),
        ("POST", ["customers"]) => {
            let email = body
                .as_ref()
                .and_then(|b| b.get("email"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            st.next += 1;
            let token = format!("tok_{}", st.next);
            st.tokens.insert(token.clone(), email);
            (201, Some(json!({"token": token})))
        }
        ("GET", ["customers", "me"]) => {
            match auth.strip_prefix("Bearer ").and_then(|t| st.tokens.get(t)) {
                Some(email) => (200, Some(json!({"email": email}))),
                None => (401, Some(json!({"message": "who are you"}))),
            }
        }
        _ => missing(),
    }
}
