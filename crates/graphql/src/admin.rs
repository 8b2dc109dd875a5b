//! The admin API under `/__cartwright/`, as the REST mock has it: health, reset, the clock.

use http::{Method, StatusCode};
use serde_json::{Value as Json, json};

use crate::GraphqlMock;

/// The reserved prefix.
pub const PREFIX: &str = "/__cartwright";

const ENDPOINTS: &[&str] = &[
    "GET /__cartwright/health",
    "POST /__cartwright/reset",
    "GET /__cartwright/clock",
    "POST /__cartwright/clock {\"advance\": \"31d\"} or {\"reset\": true}",
];

/// Whether a path belongs to the admin API.
pub fn is_admin(path: &str) -> bool {
    path == PREFIX || path.starts_with("/__cartwright/")
}

/// Answers an admin request with a status and a JSON body.
pub fn handle(mock: &GraphqlMock, method: &Method, path: &str, body: &[u8]) -> (StatusCode, Json) {
    let path = path.trim_end_matches('/');
    match (method, path.strip_prefix(PREFIX).unwrap_or("")) {
        (&Method::GET, "/health") => (StatusCode::OK, mock.health()),
        (&Method::POST, "/reset") => {
            mock.reset();
            (StatusCode::OK, json!({"reset": true}))
        }
        (&Method::GET, "/clock") => (StatusCode::OK, clock(mock)),
        (&Method::POST, "/clock") => match move_clock(mock, body) {
            Ok(()) => (StatusCode::OK, clock(mock)),
            Err(message) => (
                StatusCode::BAD_REQUEST,
                json!({"error": message, "example": {"advance": "31d"}}),
            ),
        },
        _ => (
            StatusCode::NOT_FOUND,
            json!({"error": format!("{method} {path} is not part of the admin API"), "endpoints": ENDPOINTS}),
        ),
    }
}

fn clock(mock: &GraphqlMock) -> Json {
    let c = mock.clock();
    json!({"now": iso(c.now_ms()), "now_ms": c.now_ms(), "offset_ms": c.offset_ms()})
}

/// `{"advance": "31d"}` (or seconds, or a negative amount) moves the clock; `{"reset": true}`
/// returns it to wall time.
fn move_clock(mock: &GraphqlMock, body: &[u8]) -> Result<(), String> {
    let body: Json =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    if body.get("reset").and_then(Json::as_bool) == Some(true) {
        mock.clock().reset();
        return Ok(());
    }
    let ms = match body.get("advance") {
        Some(Json::Number(n)) => n.as_f64().map(|s| (s * 1000.0) as i64),
        Some(Json::String(s)) => duration_ms(s),
        _ => None,
    }
    .ok_or("`advance` takes seconds or a duration such as `90s`, `10m`, `1h`, `31d`")?;
    mock.clock().advance(ms);
    Ok(())
}

/// `90s`, `10m`, `1h`, `31d`, `-1d` in milliseconds.
fn duration_ms(s: &str) -> Option<i64> {
    let (neg, s) = s.strip_prefix('-').map_or((false, s), |r| (true, r));
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    let n: i64 = s[..split].parse().ok()?;
    let unit = match &s[split..] {
        "ms" => 1,
        "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    let ms = n.checked_mul(unit)?;
    Some(if neg { -ms } else { ms })
}

/// Unix milliseconds as ISO 8601 (`2026-03-01T12:00:00+00:00`), as `DateTimeTz` values read.
fn iso(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    format!(
        "{}T{:02}:{:02}:{:02}+00:00",
        crate::generate::civil(days),
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::duration_ms;

    #[test]
    fn durations() {
        assert_eq!(duration_ms("31d"), Some(31 * 86_400_000));
        assert_eq!(duration_ms("-90s"), Some(-90_000));
        assert_eq!(duration_ms("3 weeks"), None);
    }
}
