//! The fixture server, broken or faithful: the broken twin has one bug per security check —
//! auth ignored on `/reports`, logout that revokes nothing, one cart shared by every
//! session, the path decoded before routing, a retried order created twice, the request ID
//! not echoed.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::{Value, json};

/// What the fixture server remembers.
#[derive(Default)]
struct State {
    /// Live tokens and each session's cart.
    sessions: HashMap<String, Vec<Value>>,
    /// The one cart the broken server keeps for everybody.
    shared: Vec<Value>,
    /// Orders by idempotency key.
    orders: HashMap<String, String>,
    next: u64,
}

impl State {
    fn id(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}{}", self.next)
    }
}

struct Asked {
    method: http::Method,
    path: String,
    headers: http::HeaderMap,
    body: Option<Value>,
}

type Answered = (u16, Option<Value>, Vec<(&'static str, String)>);

/// Serves the fixture: the broken twin has one bug per check, the faithful one none.
pub(crate) async fn server(broken: bool) -> String {
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
                        let asked = Asked {
                            method: parts.method,
                            path: parts.uri.path().to_owned(),
                            headers: parts.headers,
                            body: serde_json::from_slice(&bytes).ok(),
                        };
                        let (status, body, headers) = {
                            let mut st = state.lock().expect("state");
                            answer(&mut st, &asked, broken)
                        };
                        let mut res = http::Response::builder().status(status);
                        for (k, v) in headers {
                            res = res.header(k, v);
                        }
                        let body = match body {
                            Some(b) => {
                                res = res.header("content-type", "application/json");
                                Bytes::from(b.to_string())
                            }
                            None => Bytes::new(),
                        };
                        Ok::<_, Infallible>(res.body(Full::new(body)).expect("response"))
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

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn answer(st: &mut State, r: &Asked, broken: bool) -> Answered {
    // The faithful server splits the raw path and decodes each segment; the broken one
    // decodes first, so `%2F` becomes a separator.
    let segments: Vec<String> = if broken {
        decode(&r.path)
            .split('/')
            .skip(1)
            .map(str::to_owned)
            .collect()
    } else {
        r.path.split('/').skip(1).map(decode).collect()
    };
    let token = r
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .filter(|t| st.sessions.contains_key(*t))
        .map(str::to_owned);
    let refused = (401, Some(json!({"error": "no valid token"})), Vec::new());
    let invalid = (400, Some(json!({"error": "invalid"})), Vec::new());
    let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
    let get = r.method == http::Method::GET;
    match seg.as_slice() {
        ["login"] => {
            let Some(b) = &r.body else { return invalid };
            if !(b["email"].is_string() && b["password"].is_string()) {
                return invalid;
            }
            let t = format!("tok{:024}", st.next * 7919 + 104_729);
            st.next += 1;
            st.sessions.insert(t.clone(), Vec::new());
            (200, Some(json!({"token": t})), Vec::new())
        }
        ["reports"] if broken => (200, Some(json!({"sales": 3})), Vec::new()),
        ["products", code] if get => (200, Some(json!({"code": code})), Vec::new()),
        ["status"] if get => {
            let id = r.headers.get("x-request-id").and_then(|v| v.to_str().ok());
            let echo = match id {
                Some(id) if !broken => vec![("x-request-id", id.to_owned())],
                _ => vec![("x-request-id", "server-minted".to_owned())],
            };
            (200, Some(json!({"up": true})), echo)
        }
        // Routing comes first: a path no route takes is a 404 whoever asks.
        ["logout" | "me" | "reports" | "cart" | "orders"]
        | ["cart", "items"]
        | ["cart", "items", _]
            if token.is_none() =>
        {
            refused
        }
        rest => {
            let t = token.unwrap_or_default();
            authorised(st, r, rest, &t, broken)
        }
    }
}

fn authorised(st: &mut State, r: &Asked, seg: &[&str], t: &str, broken: bool) -> Answered {
    let invalid = (400, Some(json!({"error": "invalid"})), Vec::new());
    let get = r.method == http::Method::GET;
    let cart = |st: &mut State| -> Vec<Value> {
        if broken {
            st.shared.clone()
        } else {
            st.sessions.get(t).cloned().unwrap_or_default()
        }
    };
    match seg {
        ["logout"] => {
            if !broken {
                st.sessions.remove(t);
            }
            (204, None, Vec::new())
        }
        ["me"] if get => (
            200,
            Some(json!({"email": "someone@example.com"})),
            Vec::new(),
        ),
        ["reports"] if get => (200, Some(json!({"sales": 3})), Vec::new()),
        ["cart"] if get => {
            let items = cart(st);
            (
                200,
                Some(json!({"count": items.len(), "items": items})),
                Vec::new(),
            )
        }
        ["cart", "items"] => {
            let Some(sku) = r.body.as_ref().and_then(|b| b["sku"].as_str()) else {
                return invalid;
            };
            let quantity = r
                .body
                .as_ref()
                .and_then(|b| b["quantity"].as_u64())
                .unwrap_or(1);
            let item = json!({"id": st.id("i"), "sku": sku, "quantity": quantity});
            if broken {
                st.shared.push(item.clone());
            } else if let Some(c) = st.sessions.get_mut(t) {
                c.push(item.clone());
            }
            (201, Some(item), Vec::new())
        }
        ["cart", "items", id] if get => match cart(st).into_iter().find(|i| i["id"] == *id) {
            Some(item) => (200, Some(item), Vec::new()),
            None => (404, Some(json!({"error": "not in this cart"})), Vec::new()),
        },
        ["orders"] => {
            let key = r
                .headers
                .get("idempotency-key")
                .and_then(|v| v.to_str().ok());
            let (Some(key), Some(_)) = (key, r.body.as_ref().and_then(|b| b["sku"].as_str()))
            else {
                return invalid;
            };
            let id = match st.orders.get(key) {
                Some(id) if !broken => id.clone(),
                _ => st.id("order-"),
            };
            st.orders.insert(key.to_owned(), id.clone());
            (201, Some(json!({"id": id})), Vec::new())
        }
        _ => (404, Some(json!({"error": "no such route"})), Vec::new()),
    }
}
