//! A small token server standing in for the cartwright mock (it answers the admin health,
//! clock and outbox), with at most one bug: a login by one-time code answering a signed JWT
//! access token and an opaque refresh token, an account read with the access token, a
//! renewing visit token, and products whose `prices` only the real `X-Secret` unlocks.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Value, json};

use crate::serve::{Answer, Asked, serve};

/// The one documented behaviour a server breaks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Bug {
    /// A JWT is taken whatever its signature.
    SignatureIgnored,
    /// An unsigned JWT (`alg: none`) is taken.
    AlgNone,
    /// Any `X-Secret` value unlocks the secret-only fields.
    AnyKey,
    /// A refresh token opens what the access token opens.
    RefreshAsAccess,
    /// Any code is exchanged for tokens.
    AnyCode,
    /// A code is exchanged again and again.
    CodeReused,
    /// Access tokens never expire.
    NeverExpires,
    /// An expired visit token is kept instead of renewed.
    VisitKept,
    /// An expired visit token is renewed, but the new visit keeps the old one's country.
    VisitCarried,
}

/// How the server behaves.
#[derive(Clone, Copy)]
pub(crate) struct Setup {
    /// The bug, if any.
    pub(crate) bug: Option<Bug>,
    /// Whether it answers as a cartwright mock (health, clock, outbox).
    pub(crate) cartwright: bool,
    /// Tokens' lifetime in seconds.
    pub(crate) lifetime: u64,
}

/// The real `X-Secret`.
pub(crate) const SECRET: &str = "s3cretKey42";

#[derive(Default)]
struct State {
    /// Seconds the virtual clock was moved.
    offset: i64,
    /// Codes sent, by address, and whether each is spent.
    codes: HashMap<String, (String, bool)>,
    /// Live access token ids with their expiry, and refresh tokens.
    access: HashMap<u64, i64>,
    refresh: HashSet<String>,
    /// Visit tokens, when each was issued, and its country.
    visits: HashMap<String, (i64, String)>,
    next: u64,
}

/// Serves a token server; the base URL.
pub(crate) async fn server(setup: Setup) -> String {
    let started = std::time::Instant::now();
    let state = Arc::new(Mutex::new(State::default()));
    serve(move |r: &Asked| {
        let mut st = state.lock().expect("state");
        let now = i64::try_from(started.elapsed().as_secs()).unwrap_or(0) + st.offset;
        answer(&mut st, r, setup, now)
    })
    .await
}

fn answer(st: &mut State, r: &Asked, s: Setup, now: i64) -> Answer {
    let is = |bug| s.bug == Some(bug);
    let body = |v: Value| v.to_string();
    let refused = (401, Vec::new(), body(json!({"error": "unauthorized"})));
    let get = r.method == http::Method::GET;
    let header = |n: &str| r.headers.get(n).and_then(|v| v.to_str().ok());
    match r.path.as_str() {
        p if p.starts_with("/__cartwright/") && !s.cartwright => {
            (404, Vec::new(), body(json!({"error": "not found"})))
        }
        "/__cartwright/health" => (200, Vec::new(), body(json!({"status": "ok", "apis": []}))),
        "/__cartwright/clock" => {
            // Seconds, as a number or (from a scenario's `mock: {advance: …}`) as text.
            let advance = r.body.as_ref().map(|b| b["advance"].clone());
            let by = match advance {
                Some(Value::String(t)) => t.parse().unwrap_or(0),
                Some(n) => n.as_i64().unwrap_or(0),
                None => 0,
            };
            st.offset += by;
            (
                200,
                Vec::new(),
                body(json!({"offset_ms": st.offset * 1000})),
            )
        }
        "/__cartwright/outbox" => {
            let to = r.query.strip_prefix("to=").unwrap_or("");
            let to = percent_encoding::percent_decode_str(to)
                .decode_utf8_lossy()
                .into_owned();
            let messages: Vec<Value> = st
                .codes
                .get(&to)
                .map(|(code, _)| json!({"to": to, "code": code}))
                .into_iter()
                .collect();
            (200, Vec::new(), body(json!({ "messages": messages })))
        }
        "/auth" => auth(st, r, s, now),
        "/account" if get => {
            let token = header("authorization").and_then(|v| v.strip_prefix("Bearer "));
            let refresh = token.is_some_and(|t| st.refresh.contains(t));
            match token.and_then(|t| valid(st, t, s, now)) {
                Some(sub) => (200, Vec::new(), body(json!({ "email": sub }))),
                None if refresh && is(Bug::RefreshAsAccess) => {
                    (200, Vec::new(), body(json!({"email": "someone"})))
                }
                None => refused,
            }
        }
        "/visit" if get => visit(st, header("x-visit"), None, s, now),
        "/visit/country" if r.method == http::Method::PUT => {
            let country = r.body.as_ref().and_then(|b| b["country"].as_str());
            visit(st, header("x-visit"), country, s, now)
        }
        "/products" => {
            let key = header("x-secret");
            let unlocked = key == Some(SECRET) || (key.is_some() && is(Bug::AnyKey));
            let product = if unlocked {
                json!({"id": "61", "prices": {"1": {"price": 3}, "19": {"price": 291}}})
            } else {
                json!({"id": "61", "price": 3})
            };
            (200, Vec::new(), body(json!({ "products": [product] })))
        }
        _ => (404, Vec::new(), body(json!({"error": "no such route"}))),
    }
}

/// A visit: the live one the token names, else a new one (an expired one's country kept
/// only by the bug); `country` set when given.
fn visit(st: &mut State, given: Option<&str>, country: Option<&str>, s: Setup, now: i64) -> Answer {
    let found = given.and_then(|t| Some((t.to_owned(), st.visits.get(t)?.clone())));
    let lifetime = i64::try_from(s.lifetime).unwrap_or(i64::MAX);
    let (token, mut place) = match found {
        Some((t, (at, c))) if now < at + lifetime || s.bug == Some(Bug::VisitKept) => (t, c),
        old => {
            st.next += 1;
            let t = format!("{:032x}", st.next * 2_654_435_761);
            let kept = old.filter(|_| s.bug == Some(Bug::VisitCarried));
            (t, kept.map_or_else(|| "US".to_owned(), |(_, (_, c))| c))
        }
    };
    if let Some(c) = country {
        c.clone_into(&mut place);
    }
    let at = st.visits.get(&token).map_or(now, |(at, _)| *at);
    st.visits.insert(token.clone(), (at, place.clone()));
    let body = json!({"token": token, "country": place});
    (200, Vec::new(), body.to_string())
}

fn auth(st: &mut State, r: &Asked, s: Setup, now: i64) -> Answer {
    let user = r
        .body
        .as_ref()
        .map(|b| b["user"].clone())
        .unwrap_or_default();
    let Some(email) = user["email"].as_str().map(str::to_ascii_lowercase) else {
        return (422, Vec::new(), json!({"error": "email"}).to_string());
    };
    let Some(code) = user["code"].as_str() else {
        st.next += 1;
        let code = format!("{:06}", (st.next * 7919) % 1_000_000);
        st.codes.insert(email, (code, false));
        return (200, Vec::new(), json!({"message": "Code sent"}).to_string());
    };
    let accepted = match st.codes.get_mut(&email) {
        Some((real, spent)) if real == code => {
            let fresh = !*spent || s.bug == Some(Bug::CodeReused);
            *spent = true;
            fresh
        }
        Some(_) => s.bug == Some(Bug::AnyCode),
        None => false,
    };
    if !accepted {
        let e = json!({"error": "invalid_grant"});
        return (401, Vec::new(), e.to_string());
    }
    st.next += 1;
    let id = st.next;
    st.access.insert(id, now + s.lifetime as i64);
    let refresh = format!("r{:031x}", id * 40_503);
    st.refresh.insert(refresh.clone());
    let token = jwt(
        &json!({"alg": "HS256", "typ": "JWT"}),
        &json!({"sub": email, "jti": id}),
    );
    let pair = json!({"access_token": token, "token_type": "Bearer", "expires_in": s.lifetime, "refresh_token": refresh});
    (200, Vec::new(), pair.to_string())
}

/// A JWT "signed" with the server's key (a keyed hash stands in for HMAC).
fn jwt(header: &Value, payload: &Value) -> String {
    let head = format!(
        "{}.{}",
        B64.encode(header.to_string()),
        B64.encode(payload.to_string())
    );
    format!("{head}.{}", B64.encode(sign(&head)))
}

fn sign(head: &str) -> Vec<u8> {
    (0u8..4)
        .flat_map(|i| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            ("server-key", i, head).hash(&mut h);
            h.finish().to_be_bytes()
        })
        .collect()
}

/// The subject of a live access token, as the server (or its bug) judges it.
fn valid(st: &State, token: &str, s: Setup, now: i64) -> Option<String> {
    let mut parts = token.split('.');
    let (h, p, sig) = (parts.next()?, parts.next()?, parts.next()?);
    let json = |x: &str| serde_json::from_slice::<Value>(&B64.decode(x).ok()?).ok();
    let (header, payload) = (json(h)?, json(p)?);
    let signed = B64.decode(sig).ok() == Some(sign(&format!("{h}.{p}")));
    let trusted = match header["alg"].as_str()? {
        "HS256" => signed || s.bug == Some(Bug::SignatureIgnored),
        "none" => sig.is_empty() && s.bug == Some(Bug::AlgNone),
        _ => false,
    };
    let exp = *st.access.get(&payload["jti"].as_u64()?)?;
    let live = now < exp || s.bug == Some(Bug::NeverExpires);
    (trusted && live).then(|| payload["sub"].as_str().unwrap_or("").to_owned())
}
