//! What verify asks of a cartwright mock target through its admin API (`/__cartwright/`):
//! whether the target is one (`GET /__cartwright/health`), and moving its virtual clock
//! (`POST /__cartwright/clock`). Checks that need either run only against the mock, and say
//! so otherwise. Every admin call carries `--admin-token` when given.

use cartwright_http::{Answer, Body, Method, Request};

use crate::probe::Probe;

fn admin(probe: &Probe<'_>, path: &str) -> Option<String> {
    let origin = reqwest::Url::parse(&probe.target)
        .ok()?
        .origin()
        .ascii_serialization();
    Some(format!("{origin}/__cartwright/{path}"))
}

/// The admin call `METHOD /__cartwright/PATH` (a path with its query) with the admin token;
/// `None` when the target is no URL.
pub(crate) fn request(
    probe: &Probe<'_>,
    method: Method,
    path: &str,
    body: Option<String>,
) -> Option<Request> {
    Some(Request {
        method,
        url: admin(probe, path)?,
        headers: probe
            .opts
            .admin_token
            .iter()
            .map(|t| ("Authorization".to_owned(), format!("Bearer {t}")))
            .collect(),
        body: body.map(|b| Body {
            content_type: "application/json".into(),
            bytes: b.into_bytes(),
        }),
    })
}

async fn call(
    probe: &Probe<'_>,
    method: Method,
    path: &str,
    body: Option<String>,
) -> Option<Answer> {
    send(probe, &request(probe, method, path, body)?).await
}

/// Sends an admin call; a refusal for want of the admin token is remembered, so the checks
/// that needed the call, and the report, say why they could not run.
pub(crate) async fn send(probe: &Probe<'_>, req: &Request) -> Option<Answer> {
    let a = probe.send(req).await.ok()?;
    if locked(&a) {
        probe.admin_refused(a.status);
    }
    Some(a)
}

/// Whether an answer is a cartwright mock asking for the admin token.
fn locked(a: &Answer) -> bool {
    a.status == 401
        && a.headers
            .iter()
            .any(|(k, v)| k == "www-authenticate" && v.contains("cartwright admin"))
}

/// Why an admin call was refused, as a clause for a skipped step: empty when none was.
pub(crate) fn refusal(probe: &Probe<'_>) -> String {
    match probe.admin_refusal() {
        Some(status) => format!(
            " (the mock's admin API refused verify's calls with {status}: give --admin-token)"
        ),
        None => String::new(),
    }
}

/// Whether the target is a cartwright mock: its health answer says `status: ok` and lists
/// its APIs, or it asks for the admin token (so a missing `--admin-token` shows as a clock
/// that does not move, not as another server).
pub(crate) async fn is_cartwright(probe: &Probe<'_>) -> bool {
    call(probe, Method::Get, "health", None)
        .await
        .is_some_and(|a| {
            // As `cartwright run` tells a mock apart.
            let healthy = a.status == 200
                && a.json
                    .as_ref()
                    .is_some_and(|j| j["status"] == "ok" && j["apis"].is_array());
            healthy || locked(&a)
        })
}

/// Moves the mock's virtual clock by `secs` (negative: back); whether it moved.
pub(crate) async fn advance(probe: &Probe<'_>, secs: i64) -> bool {
    let body = serde_json::json!({ "advance": secs }).to_string();
    call(probe, Method::Post, "clock", Some(body))
        .await
        .is_some_and(|a| a.status == 200)
}
