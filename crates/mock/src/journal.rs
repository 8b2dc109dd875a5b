//! The request journal: the last N requests, for the admin API and for debugging a frontend.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

pub use crate::journal_filter::Filter;

/// One journaled request.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Milliseconds since the Unix epoch when the request arrived.
    pub at_ms: u128,
    /// The method: a standard one is borrowed, so recording it allocates nothing.
    pub method: Cow<'static, str>,
    /// The path and query as sent, with values of credential-bearing parameters as `***`.
    pub path: String,
    /// The matched operation's id, if any.
    pub operation: Option<String>,
    /// The inferred resource and id the request touched (`carts cart_01…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The id of the stub that answered, if one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stub: Option<String>,
    /// What the mock made of the request.
    pub validation: Verdict,
    /// How many violations validation found.
    pub violations: usize,
    /// The status sent.
    pub status: u16,
    /// Time spent handling, in microseconds.
    pub micros: u128,
    /// The wait before the answer was sent, in milliseconds: asked for (`Prefer: delay`) or
    /// drawn from a latency model, so a slow answer in a test says it was made slow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// The fault sent instead of the answer (`reset`, `empty`, `malformed`, `garbage`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<&'static str>,
    /// Whether chaos answered with an error in place of the operation's own answer.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub chaos: bool,
    /// In proxy mode: whether it was forwarded, the contract violations of both
    /// directions, and what the recorder made of the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy: Option<crate::Proxied>,
}

/// What the mock made of a request, as the journal and the log name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Valid, and answered from the spec.
    #[default]
    Valid,
    /// The body exceeded the limit.
    TooLarge,
    /// The body did not arrive whole; nothing ran.
    Incomplete,
    /// A CORS preflight.
    Preflight,
    /// An `Origin` outside `--allow-origin`.
    OriginNotAllowed,
    /// No operation matched.
    NotRouted,
    /// A security requirement was not met.
    Unauthorized,
    /// Parameters could not be read (bad encoding).
    Unreadable,
    /// Parameters or body broke the schemas.
    Invalid,
    /// Answered by the inferred resource state.
    Resource,
    /// Answered by a behaviour.
    Behaviour,
    /// Answered by a stub set through the admin API.
    Stub,
}

impl Verdict {
    /// The name the journal serialises and the log prints (`not-routed`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::TooLarge => "too-large",
            Verdict::Incomplete => "incomplete",
            Verdict::Preflight => "preflight",
            Verdict::OriginNotAllowed => "origin-not-allowed",
            Verdict::NotRouted => "not-routed",
            Verdict::Unauthorized => "unauthorized",
            Verdict::Unreadable => "unreadable",
            Verdict::Invalid => "invalid",
            Verdict::Resource => "resource",
            Verdict::Behaviour => "behaviour",
            Verdict::Stub => "stub",
        }
    }

    /// Every verdict, for reading one back from its name.
    pub const ALL: [Verdict; 12] = [
        Verdict::Valid,
        Verdict::TooLarge,
        Verdict::Incomplete,
        Verdict::Preflight,
        Verdict::OriginNotAllowed,
        Verdict::NotRouted,
        Verdict::Unauthorized,
        Verdict::Unreadable,
        Verdict::Invalid,
        Verdict::Resource,
        Verdict::Behaviour,
        Verdict::Stub,
    ];
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::{Journal, Verdict, method_name};
    use std::borrow::Cow;
    use std::time::Duration;

    #[test]
    fn an_entry_is_timed_from_its_request_instant_on_the_wall_clock() {
        let journal = Journal::new(1);
        let later = journal.started + Duration::from_millis(2_500);
        assert_eq!(journal.at_ms(later), journal.epoch_ms + 2_500);
        // An instant from before the journal (a request older than a reload) is not
        // placed before it.
        let earlier = journal.started.checked_sub(Duration::from_secs(1));
        if let Some(t) = earlier {
            assert_eq!(journal.at_ms(t), journal.epoch_ms);
        }
    }

    #[test]
    fn standard_methods_are_borrowed_and_others_kept_as_sent() {
        assert!(matches!(
            method_name(&http::Method::DELETE),
            Cow::Borrowed("DELETE")
        ));
        let purge = http::Method::from_bytes(b"PURGE").expect("a method");
        assert!(matches!(method_name(&purge), Cow::Owned(m) if m == "PURGE"));
    }

    #[test]
    fn verdicts_serialise_as_their_names() {
        for v in [
            Verdict::Valid,
            Verdict::NotRouted,
            Verdict::OriginNotAllowed,
        ] {
            assert_eq!(
                serde_json::to_value(v).expect("serialises"),
                serde_json::json!(v.as_str())
            );
        }
    }
}

/// A bounded ring of entries.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    entries: Mutex<VecDeque<Entry>>,
    /// The wall clock in milliseconds at `started`: an entry's time is read from the
    /// monotonic clock its request already took, not from a second clock per request.
    epoch_ms: u128,
    started: Instant,
}

impl Journal {
    /// A journal keeping the last `capacity` entries.
    pub fn new(capacity: usize) -> Self {
        Journal {
            capacity,
            entries: Mutex::new(VecDeque::with_capacity(capacity.min(4096))),
            epoch_ms: now_ms(),
            started: Instant::now(),
        }
    }

    /// Milliseconds since the Unix epoch at `t`, an instant after the journal was made.
    pub(crate) fn at_ms(&self, t: Instant) -> u128 {
        self.epoch_ms + t.saturating_duration_since(self.started).as_millis()
    }

    /// Records an entry, dropping the oldest beyond capacity.
    pub fn push(&self, entry: Entry) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() == self.capacity {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// The newest `limit` entries, oldest first.
    pub fn recent(&self, limit: usize) -> Vec<Entry> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let skip = entries.len().saturating_sub(limit);
        entries.iter().skip(skip).cloned().collect()
    }

    /// The newest `limit` entries that pass `filter`, oldest first.
    pub fn find(&self, filter: &Filter, limit: usize) -> Vec<Entry> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let mut found: Vec<Entry> = entries
            .iter()
            .rev()
            .filter(|e| filter.passes(e))
            .take(limit)
            .cloned()
            .collect();
        found.reverse();
        found
    }

    /// How many entries the journal still holds that pass `filter`.
    pub fn count(&self, filter: &Filter) -> usize {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.iter().filter(|e| filter.passes(e)).count()
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

/// A method's name, borrowed for the standard ones.
pub(crate) fn method_name(method: &http::Method) -> Cow<'static, str> {
    Cow::Borrowed(match method.as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        "TRACE" => "TRACE",
        "CONNECT" => "CONNECT",
        other => return Cow::Owned(other.to_owned()),
    })
}

/// Now, in milliseconds since the epoch.
pub(crate) fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}
