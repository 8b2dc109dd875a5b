//! The virtual clock: wall time plus an offset the admin API moves, so a 31-day expiry is
//! tested in milliseconds. Only behaviours read it; the journal keeps real time.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Wall time shifted by an adjustable offset.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// Virtual now, in unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        wall.saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves time forward (or back, with a negative amount).
    pub fn advance(&self, ms: i64) {
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }

    /// How far virtual time is from wall time.
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Back to wall time.
    pub fn reset(&self) {
        self.offset_ms.store(0, Ordering::Relaxed);
    }
}

/// A `POST /__cartwright/clock` body the clock cannot follow; the message says what it takes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ClockError(pub String);

/// The admin face of the clock, shared by the REST and the GraphQL mock so both answer the
/// same format and read the same duration grammar.
impl Clock {
    /// What `GET /__cartwright/clock` answers: virtual now as RFC 3339 UTC and in unix
    /// milliseconds, and the offset from wall time.
    pub fn view(&self) -> serde_json::Value {
        let now = self.now_ms();
        serde_json::json!({
            "now": cartwright_model::iso(now.div_euclid(1000)),
            "now_ms": now,
            "offset_ms": self.offset_ms(),
        })
    }

    /// Follows a `POST /__cartwright/clock` body: `{"advance": "31d"}` (a duration, or a
    /// number of seconds; negative goes back) or `{"reset": true}`.
    pub fn command(&self, body: &[u8]) -> Result<(), ClockError> {
        let body: serde_json::Value = serde_json::from_slice(body)
            .map_err(|e| ClockError(format!("the body is not JSON: {e}")))?;
        if body.get("reset").and_then(serde_json::Value::as_bool) == Some(true) {
            self.reset();
            return Ok(());
        }
        let ms = match body.get("advance") {
            Some(serde_json::Value::Number(n)) => n
                .as_f64()
                .filter(|s| s.is_finite() && s.abs() < 1e12)
                .map(|s| (s * 1000.0).round() as i64)
                .ok_or_else(|| ClockError(format!("`advance: {n}` is out of range"))),
            Some(serde_json::Value::String(s)) => {
                cartwright_model::duration_ms(s, cartwright_model::Bare::Seconds)
                    .map_err(|e| ClockError(format!("`advance`: {e}")))
            }
            _ => Err(ClockError(
                "write {\"advance\": \"31d\"} (a duration or seconds) or {\"reset\": true}".into(),
            )),
        }?;
        self.advance(ms);
        Ok(())
    }
}
