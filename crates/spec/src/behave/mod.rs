//! Reads `x-cartwright` into the model's behaviours: the shape is checked by serde (unknown
//! keys and wrong types come back with their path), expressions are compiled, and names
//! (session kinds, secrets) are resolved with did-you-mean, all with a JSON pointer that
//! placing turns into file:line:col.

mod raw;

use cartwright_diag::{Diagnostic, did_you_mean};
use cartwright_model::{
    Action, Behaviours, Binding, Carrier, Expr, Pointer, RequestParts, Respond, SecretDef,
    SessionKind, Shape, Step, TokenFormat, Unknown, parse_duration,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use cartwright_source::pointer::join;

const CODE: &str = "behaviour";

/// Reads the document-level extension (absent means no behaviours).
pub(crate) fn root(doc: &Value) -> Result<Behaviours, Vec<Diagnostic>> {
    let Some(v) = doc.get("x-cartwright") else {
        return Ok(Behaviours::default());
    };
    let at = "/x-cartwright";
    let raw: raw::Root = shape(v, at).map_err(|d| vec![d])?;
    let mut errs = Vec::new();
    let secrets: Vec<SecretDef> = raw
        .secrets
        .into_iter()
        .map(|(name, s)| SecretDef {
            name,
            headers: s.headers,
            scheme: s.scheme,
        })
        .collect();
    let secret_names: Vec<&str> = secrets.iter().map(|s| s.name.as_str()).collect();
    let mut sessions = Vec::new();
    for (name, s) in raw.sessions {
        let at = join(&join(at, "sessions"), &name);
        if let Some(kind) = session(name, s, &at, &secret_names, &mut errs) {
            sessions.push(kind);
        }
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Behaviours {
        globals: std::sync::Arc::new(serde_json::json!({"vars": raw.vars.unwrap_or(Value::Null)})),
        sessions,
        secrets,
        browser_forbidden: raw.browser.map(|b| b.forbid_headers).unwrap_or_default(),
    })
}

fn session(
    name: String,
    s: raw::Session,
    at: &str,
    secrets: &[&str],
    errs: &mut Vec<Diagnostic>,
) -> Option<SessionKind> {
    let carriers = s
        .token
        .into_iter()
        .filter_map(|c| match c {
            raw::Carrier::Header(h) => Some(Carrier::Header(h.to_ascii_lowercase())),
            raw::Carrier::Accept(p) => Some(Carrier::Accept(p.to_ascii_lowercase())),
            raw::Carrier::Bearer(on) => on.then_some(Carrier::Bearer),
            raw::Carrier::Cookie(c) => Some(Carrier::Cookie(c)),
            raw::Carrier::Query(q) => Some(Carrier::Query(q)),
            raw::Carrier::Path(p) => Some(Carrier::Path(p)),
        })
        .collect();
    let format = match s.format {
        None => TokenFormat::Random { bytes: 24 },
        Some(raw::Format::Random(bytes)) if bytes >= 16 => TokenFormat::Random { bytes },
        Some(raw::Format::Hex(chars)) if chars >= 32 => TokenFormat::Hex { chars },
        Some(raw::Format::Jwt(j)) => {
            if !secrets.contains(&j.key.as_str()) {
                errs.push(unknown_name("secret", &j.key, secrets, &join(at, "format")));
            }
            let subject = (j.subject).map(|sub| Box::new(expr(&sub, &join(at, "format"), errs)));
            TokenFormat::Jwt {
                key: j.key,
                subject,
            }
        }
        Some(_) => {
            errs.push(
                Diagnostic::error(CODE, "tokens need at least 128 bits")
                    .with_pointer(join(at, "format"))
                    .with_help(
                        "use `random: 16` (bytes) or more, or `hex: 32` (characters) or more",
                    ),
            );
            TokenFormat::Random { bytes: 24 }
        }
    };
    let unknown = match s.unknown {
        None => Unknown::Refuse(401),
        Some(raw::Unknown::Status(code)) if (400..600).contains(&code) => Unknown::Refuse(code),
        Some(raw::Unknown::Word(w)) if w == "renew" => Unknown::Renew,
        Some(_) => {
            errs.push(
                Diagnostic::error(CODE, "`unknown` is `renew` or an error status")
                    .with_pointer(join(at, "unknown")),
            );
            Unknown::Refuse(401)
        }
    };
    let refresh = match s.refresh {
        None | Some(raw::Refresh::On(false)) => None,
        Some(raw::Refresh::On(true)) => Some(None),
        Some(raw::Refresh::With { ttl }) => {
            Some(ttl.and_then(|t| seconds(&t, &join(at, "refresh"), errs)))
        }
    };
    Some(SessionKind {
        owner: (s.owner).map(|o| expr(&o, &join(at, "owner"), errs)),
        ttl: s.ttl.and_then(|t| seconds(&t, &join(at, "ttl"), errs)),
        state: s.state.map(|v| template(&v, &join(at, "state"), errs)),
        name,
        carriers,
        format,
        none: s.none,
        unknown,
        scheme: s.scheme,
        refresh,
        max: s.max.unwrap_or(10_000).max(1),
    })
}

/// Reads an operation's extension; `kinds` are the document's session kinds.
pub(crate) fn binding(v: &Value, at: &str, b: &Behaviours) -> Result<Binding, Vec<Diagnostic>> {
    let raw: raw::Binding = shape(v, at).map_err(|d| vec![d])?;
    let kinds: Vec<&str> = b.sessions.iter().map(|s| s.name.as_str()).collect();
    let mut errs = Vec::new();
    let check_kind = |name: &str, at: &str, errs: &mut Vec<Diagnostic>| {
        if !kinds.contains(&name) {
            errs.push(unknown_name("session kind", name, &kinds, at));
        }
    };
    if let Some(s) = &raw.session {
        check_kind(s, &join(at, "session"), &mut errs);
    }
    let mut steps = Vec::new();
    for (i, s) in raw.steps.into_iter().enumerate() {
        let at = join(&join(at, "steps"), &i.to_string());
        let session = s
            .issue
            .as_ref()
            .map(|i| i.session.clone())
            .or(s.refresh.as_ref().map(|r| r.session.clone()));
        if let Some(k) = session {
            check_kind(&k, &at, &mut errs);
        }
        steps.push(step(s, &at, &mut errs));
    }
    let request = request_parts(v, b);
    let state_only = raw.idempotent.is_none() && changes_only_state(&steps);
    let binding = Binding {
        request,
        state_only,
        session: raw.session,
        idempotent: raw
            .idempotent
            .map(|e| expr(&e, &join(at, "idempotent"), &mut errs)),
        steps,
        respond: raw
            .respond
            .map(|r| respond(r, &join(at, "respond"), &mut errs))
            .unwrap_or_default(),
    };
    if errs.is_empty() {
        Ok(binding)
    } else {
        Err(errs)
    }
}

/// Whether `steps` change the session's state and nothing else: at least one sets, appends
/// or removes, and every other only tests and answers.
fn changes_only_state(steps: &[cartwright_model::Step]) -> bool {
    let only_state = |a: &Action| {
        matches!(
            a,
            Action::Nothing | Action::Set(_) | Action::Append { .. } | Action::Remove { .. }
        )
    };
    steps.iter().all(|s| only_state(&s.action))
        && steps.iter().any(|s| !matches!(s.action, Action::Nothing))
}

/// The parts of `request` a binding may read: every string in it (expressions, and names
/// and pointers, which can only add parts), and the expressions of the API's session kinds,
/// which run within any operation (a new session's state, its owner, a token's subject).
fn request_parts(v: &Value, b: &Behaviours) -> RequestParts {
    fn strings(v: &Value, parts: &mut RequestParts) {
        match v {
            Value::String(s) => *parts = parts.or(RequestParts::of(s)),
            Value::Array(a) => a.iter().for_each(|v| strings(v, parts)),
            Value::Object(m) => m.iter().for_each(|(k, v)| {
                *parts = parts.or(RequestParts::of(k));
                strings(v, parts);
            }),
            _ => {}
        }
    }
    fn shape(s: &Shape, parts: &mut RequestParts) {
        match s {
            Shape::Expr(e) => *parts = parts.or(RequestParts::of(e.source())),
            Shape::Object(fields) => fields.iter().for_each(|(_, s)| shape(s, parts)),
            Shape::Array(items) => items.iter().for_each(|s| shape(s, parts)),
            Shape::Literal(_) => {}
        }
    }
    let mut parts = RequestParts::NONE;
    strings(v, &mut parts);
    for kind in &b.sessions {
        if let Some(s) = &kind.state {
            shape(s, &mut parts);
        }
        if let Some(owner) = &kind.owner {
            parts = parts.or(RequestParts::of(owner.source()));
        }
        if let TokenFormat::Jwt {
            subject: Some(sub), ..
        } = &kind.format
        {
            parts = parts.or(RequestParts::of(sub.source()));
        }
    }
    parts
}

fn step(s: raw::Step, at: &str, errs: &mut Vec<Diagnostic>) -> Step {
    let when = s.when.as_deref().map(|w| expr(w, &join(at, "when"), errs));
    let reply = s.respond.map(|r| respond(r, &join(at, "respond"), errs));
    let mut actions = Vec::new();
    if let Some(set) = s.set {
        let at = join(at, "set");
        let pairs = set
            .into_iter()
            .map(|(p, v)| {
                let a = join(&at, &p);
                let p = pointer(p, &a, errs);
                (p, template(&v, &a, errs))
            })
            .collect();
        actions.push(Action::Set(pairs));
    }
    if let Some(a) = s.append {
        let at = join(at, "append");
        actions.push(Action::Append {
            to: pointer(a.to, &join(&at, "to"), errs),
            value: template(&a.value, &join(&at, "value"), errs),
            merge: a.merge.map(|m| {
                let at = join(&at, "merge");
                let list = |ps: Vec<String>, errs: &mut Vec<Diagnostic>| -> Vec<Pointer> {
                    ps.into_iter().map(|p| pointer(p, &at, errs)).collect()
                };
                cartwright_model::Merge {
                    key: pointer(m.key.clone(), &at, errs),
                    add: list(m.add, errs),
                    replace: list(m.replace, errs),
                }
            }),
        });
    }
    if let Some(r) = s.remove {
        let at = join(at, "remove");
        actions.push(Action::Remove {
            from: pointer(r.from, &join(&at, "from"), errs),
            when: expr(&r.condition, &join(&at, "where"), errs),
            missing: r.missing.map(|m| respond(m, &join(&at, "missing"), errs)),
        });
    }
    if let Some(r) = s.record {
        let at = join(at, "record");
        actions.push(Action::Record {
            store: r.store,
            key: expr(&r.key, &join(&at, "key"), errs),
            init: r.init.map(|v| template(&v, &join(&at, "init"), errs)),
        });
    }
    if let Some(o) = s.otp_send {
        let at = join(at, "otp_send");
        actions.push(Action::OtpSend {
            to: expr(&o.to, &join(&at, "to"), errs),
            digits: o.digits.unwrap_or(6).clamp(4, 12),
            ttl: o
                .ttl
                .and_then(|t| seconds(&t, &join(&at, "ttl"), errs))
                .unwrap_or(600),
        });
    }
    if let Some(o) = s.otp_verify {
        let at = join(at, "otp_verify");
        actions.push(Action::OtpVerify {
            to: expr(&o.to, &join(&at, "to"), errs),
            code: expr(&o.code, &join(&at, "code"), errs),
            fail: o.fail.map(|f| respond(f, &join(&at, "fail"), errs)),
            attempts: attempts(o.attempts, &at, errs),
        });
    }
    if let Some(i) = s.issue {
        let at = join(at, "issue");
        actions.push(Action::Issue {
            session: i.session,
            state: i.state.map(|v| template(&v, &join(&at, "state"), errs)),
        });
    }
    if let Some(r) = s.refresh {
        let at = join(at, "refresh");
        actions.push(Action::Refresh {
            session: r.session,
            token: expr(&r.token, &join(&at, "token"), errs),
            fail: r.fail.map(|f| respond(f, &join(&at, "fail"), errs)),
        });
    }
    if let Some(r) = s.revoke {
        actions.push(Action::Revoke {
            token: expr(&r.token, &join(&join(at, "revoke"), "token"), errs),
        });
    }
    if s.end == Some(true) {
        actions.push(Action::End);
    }
    if actions.len() > 1 {
        errs.push(
            Diagnostic::error(CODE, "a step does one action")
                .with_pointer(at)
                .with_help("split it into several steps; they run in order"),
        );
    }
    if actions.is_empty() && reply.is_none() {
        errs.push(
            Diagnostic::error(CODE, "this step does nothing")
                .with_pointer(at)
                .with_help("give it an action (set, append, remove, record, otp_send, otp_verify, issue, refresh, revoke, end) or a `respond`"),
        );
    }
    Step {
        when,
        action: actions.pop().unwrap_or(Action::Nothing),
        respond: reply,
    }
}

fn respond(r: raw::Respond, at: &str, errs: &mut Vec<Diagnostic>) -> Respond {
    let body_at = join(at, "body");
    Respond {
        memo: cartwright_model::Memo::default(),
        status: r.status,
        example: r.example,
        body: r
            .body
            .into_iter()
            .map(|(p, v)| {
                let a = join(&body_at, &p);
                let p = pointer(p, &a, errs);
                (p, template(&v, &a, errs))
            })
            .collect(),
        headers: r
            .headers
            .into_iter()
            .map(|(h, e)| {
                let x = expr(&e, &join(&join(at, "headers"), &h), errs);
                (h, x)
            })
            .collect(),
    }
}

/// Strings are expressions; other leaves are literal.
fn template(v: &Value, at: &str, errs: &mut Vec<Diagnostic>) -> Shape {
    match v {
        Value::String(s) => Shape::Expr(expr(s, at, errs)),
        Value::Object(m) => Shape::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), template(v, &join(at, k), errs)))
                .collect(),
        ),
        Value::Array(a) => Shape::Array(
            a.iter()
                .enumerate()
                .map(|(i, v)| template(v, &join(at, &i.to_string()), errs))
                .collect(),
        ),
        other => Shape::Literal(other.clone()),
    }
}

fn expr(src: &str, at: &str, errs: &mut Vec<Diagnostic>) -> Expr {
    Expr::compile(src).unwrap_or_else(|e| {
        errs.push(
            Diagnostic::error(CODE, format!("cannot compile `{src}`: {e}"))
                .with_pointer(at)
                .with_help("values are expressions; quote literal text: \"'US'\""),
        );
        // A placeholder: a binding with errors is never served.
        Expr::compile("none").expect("the expression `none` compiles")
    })
}

/// A JSON pointer (`/location/country`), or `""` for the whole document: checked and split
/// once here, as steps and patches use it on every request.
fn pointer(p: String, at: &str, errs: &mut Vec<Diagnostic>) -> Pointer {
    if !p.is_empty() && !p.starts_with('/') {
        errs.push(
            Diagnostic::error(CODE, format!("`{p}` is not a JSON pointer"))
                .with_pointer(at)
                .with_help(format!("write `/{p}`")),
        );
    }
    Pointer::new(p)
}

fn seconds(d: &raw::Duration, at: &str, errs: &mut Vec<Diagnostic>) -> Option<u64> {
    match d {
        raw::Duration::Seconds(s) => Some(*s),
        raw::Duration::Text(t) => parse_duration(t).or_else(|| {
            errs.push(
                Diagnostic::error(CODE, format!("`{t}` is not a duration"))
                    .with_pointer(at)
                    .with_help(
                        "write seconds, or a number with ms, s, m, h or d: `90s`, `10m`, `1h`, `31d`",
                    ),
            );
            None
        }),
    }
}

fn unknown_name(what: &str, name: &str, known: &[&str], at: &str) -> Diagnostic {
    let d = Diagnostic::error(CODE, format!("no {what} named `{name}`")).with_pointer(at);
    match did_you_mean(name, known.iter().copied()) {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None => d.with_help(format!("declared: {}", known.join(", "))),
    }
}

/// Removes `x-` keys (notes such as `x-cartwright-source`) everywhere but under `vars`.
fn strip_notes(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|k, _| !k.starts_with("x-"));
            for (k, child) in m.iter_mut() {
                if k != "vars" {
                    strip_notes(child);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(strip_notes),
        _ => {}
    }
}

/// Deserialises with the path of the first problem as a pointer.
fn shape<T: DeserializeOwned>(v: &Value, at: &str) -> Result<T, Diagnostic> {
    let mut v = v.clone();
    strip_notes(&mut v);
    serde_path_to_error::deserialize(&v).map_err(|e| {
        let mut ptr = at.to_owned();
        for seg in e.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => ptr = join(&ptr, &index.to_string()),
                serde_path_to_error::Segment::Map { key } => ptr = join(&ptr, key),
                _ => {}
            }
        }
        Diagnostic::error(CODE, format!("x-cartwright: {}", e.inner())).with_pointer(ptr)
    })
}

/// Wrong codes allowed before the code is burnt: 5 unless given, and at least 1, so a typo
/// does not burn the code at once.
fn attempts(given: Option<u32>, at: &str, errs: &mut Vec<Diagnostic>) -> u32 {
    match given {
        Some(0) => {
            errs.push(
                Diagnostic::error(CODE, "`attempts` must allow at least one wrong code")
                    .with_pointer(join(at, "attempts"))
                    .with_help(
                        "give the number of wrong codes that burn the code, e.g. `attempts: 5`",
                    ),
            );
            5
        }
        Some(n) => n,
        None => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("31d"), Some(2_678_400));
        assert_eq!(parse_duration("90"), Some(90));
        assert_eq!(parse_duration("1w"), None);
    }

    #[test]
    fn errors_name_the_place() {
        let doc = json!({"x-cartwright": {"sessions": {"cart": {"token": [{"header": "X"}], "ttl": "soon"}}}});
        let e = root(&doc).expect_err("bad ttl");
        assert_eq!(
            e[0].pointer.as_deref(),
            Some("/x-cartwright/sessions/cart/ttl")
        );
        let b =
            root(&json!({"x-cartwright": {"sessions": {"cart": {"token": [{"header": "X"}]}}}}))
                .expect("ok");
        let e = binding(
            &json!({"session": "crt"}),
            "/paths/~1a/get/x-cartwright",
            &b,
        )
        .expect_err("typo");
        assert_eq!(e[0].help.as_deref(), Some("did you mean `cart`?"));
        let e = binding(&json!({"steps": [{"set": {"/a": "1 +"}}]}), "/x", &b).expect_err("syntax");
        assert_eq!(e[0].pointer.as_deref(), Some("/x/steps/0/set/~1a"));
        let e = binding(&json!({"stepz": []}), "/x", &b).expect_err("unknown key");
        assert!(e[0].message.contains("stepz"), "{}", e[0].message);
    }
}
