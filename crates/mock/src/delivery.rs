//! How an answer leaves the socket: at once, after a delay, dribbled in chunks, or broken on
//! purpose. The pipeline decides it (a `Prefer` header, a stub, the latency and chaos
//! settings) as plain data on [`crate::Outgoing`]; only the server acts on it, so tests
//! that drive [`crate::Mock::handle`] in process see the decision without waiting.

use std::time::Duration;

/// The delivery of one answer. The default sends it whole, at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivery {
    /// Wait this long before the status line is written.
    pub delay: Option<Duration>,
    /// Write the body in chunks spread over a duration.
    pub dribble: Option<Dribble>,
    /// Break the answer instead of sending it.
    pub fault: Option<Fault>,
}

/// A body written in `chunks` pieces spread evenly over `over` (WireMock's
/// `chunkedDribbleDelay`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dribble {
    /// How many pieces.
    pub chunks: u32,
    /// The time from the first piece to the last.
    pub over: Duration,
}

/// A broken answer, as a client sees one from a failing server or network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The connection is reset (TCP RST) before any answer.
    Reset,
    /// The connection is closed without a byte of answer.
    Empty,
    /// A valid status line and headers, then a chunk the framing cannot parse.
    Malformed,
    /// Random bytes, then the connection is closed.
    Garbage,
}

impl Fault {
    /// Every fault, by its name in `Prefer: fault=NAME`, stubs and overlays.
    pub const ALL: [(&'static str, Fault); 4] = [
        ("reset", Fault::Reset),
        ("empty", Fault::Empty),
        ("malformed", Fault::Malformed),
        ("garbage", Fault::Garbage),
    ];

    /// The fault named `name`, if there is one.
    pub fn parse(name: &str) -> Option<Fault> {
        Fault::ALL
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, f)| *f)
    }

    /// The fault's name.
    pub fn as_str(self) -> &'static str {
        Fault::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("reset", |(n, _)| n)
    }
}
