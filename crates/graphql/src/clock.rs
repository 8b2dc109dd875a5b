//! The virtual clock: wall time plus an offset the admin API moves, as the REST mock's is, so
//! time-dependent answers (order dates, session ages) are tested without waiting.

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

    /// Virtual now as ISO 8601 (`2026-03-01T12:00:00+00:00`), as `DateTimeTz` values read.
    pub fn iso(&self) -> String {
        let secs = self.now_ms().div_euclid(1000);
        let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        format!(
            "{}T{:02}:{:02}:{:02}+00:00",
            crate::generate::civil(days),
            rest / 3600,
            rest % 3600 / 60,
            rest % 60
        )
    }
}
