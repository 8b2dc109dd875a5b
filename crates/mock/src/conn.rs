//! Connection limits: how long a client may take to send a request, how long an idle
//! keep-alive connection is kept, and how many connections are open at once. Without them a
//! few hundred silent sockets hold every descriptor and lock every other client out.
//!
//! Each connection has a watchdog. While no request is in flight, the connection has a
//! deadline: a new connection must deliver its first request head within the header
//! timeout; after an answer, the connection may stay silent for the idle timeout, and once
//! the next request's first byte arrives its head must be complete within the header
//! timeout. A connection past its deadline is dropped (nothing is in flight, so nothing is
//! lost). A request in flight has no deadline here: its body is read with a stall timeout by
//! [`read_body`], and its answer is made at once.
//!
//! The watchdog is never woken by the connection: it looks at the deadline at least once
//! per the shorter timeout. Every deadline is an event's time plus one of the timeouts, and
//! the watchdog looked last no later than that event, so its next look comes no later than
//! the deadline. Waking it on every request and every answer cost each request a timer
//! re-armed and a task scheduled.
//!
//! An HTTP/2 connection is told apart by its preface. Its frames (settings, window
//! updates, pings) are not request heads, so once the preface is whole, bytes read start no
//! header clock: between requests it is idle, and is kept for the idle timeout.

use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Instant;

/// Limits on the connections a server keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How long a request head may take to arrive, from its first byte (from the connection
    /// opening, for the first request); also the longest a request body may stall.
    pub header_timeout: Duration,
    /// How long a keep-alive connection may stay silent between requests.
    pub idle_timeout: Duration,
    /// The most connections open at once; further clients wait to be accepted.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 512,
        }
    }
}

/// Why a request body could not be read.
#[derive(Debug)]
pub enum BodyError {
    /// It is larger than the limit.
    TooLarge,
    /// It did not arrive whole (broken framing, the peer closed early, or it stalled).
    Incomplete(String),
}

/// Reads a whole request body of at most `limit` bytes, giving up when no byte arrives for
/// `stall`.
pub async fn read_body(body: Incoming, limit: usize, stall: Duration) -> Result<Bytes, BodyError> {
    use hyper::body::Body;
    // A request without a body (most GETs) needs no timer and no buffer.
    if body.is_end_stream() {
        return Ok(Bytes::new());
    }
    let mut body = http_body_util::Limited::new(body, limit);
    // A body that arrives in one frame is kept as it came; only a body in several frames is
    // copied into one buffer.
    let mut first: Option<Bytes> = None;
    let mut out = bytes::BytesMut::new();
    loop {
        // A frame already there is taken without a timer: a small body has usually arrived
        // with its head, and arming and dropping a timer was most of the cost of reading it.
        let ready = std::future::poll_fn(|cx| {
            Poll::Ready(match Pin::new(&mut body).poll_frame(cx) {
                Poll::Ready(frame) => Some(frame),
                Poll::Pending => None,
            })
        })
        .await;
        let next = match ready {
            Some(frame) => Ok(frame),
            None => tokio::time::timeout(stall, body.frame()).await,
        };
        match next {
            Err(_) => {
                return Err(BodyError::Incomplete(format!(
                    "no byte arrived for {} ms",
                    stall.as_millis()
                )));
            }
            Ok(None) => {
                return Ok(match first {
                    Some(whole) if out.is_empty() => whole,
                    _ => out.freeze(),
                });
            }
            Ok(Some(Ok(frame))) => {
                let Ok(data) = frame.into_data() else {
                    continue;
                };
                if out.is_empty() && first.is_none() {
                    first = Some(data);
                    continue;
                }
                if let Some(earlier) = first.take() {
                    out.extend_from_slice(&earlier);
                }
                out.extend_from_slice(&data);
            }
            Ok(Some(Err(e))) => {
                if e.downcast_ref::<http_body_util::LengthLimitError>()
                    .is_some()
                {
                    return Err(BodyError::TooLarge);
                }
                return Err(BodyError::Incomplete(e.to_string()));
            }
        }
    }
}

/// The first bytes of every HTTP/2 connection (RFC 9113, section 3.4).
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// What the first bytes say the connection speaks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Protocol {
    /// This many bytes of the HTTP/2 preface have arrived, and nothing else.
    Unknown(usize),
    /// HTTP/1: every request starts with a head.
    Http1,
    /// HTTP/2: the preface arrived whole.
    Http2,
}

/// What the watchdog of one connection knows.
struct State {
    /// What the connection speaks, as far as its first bytes tell.
    protocol: Protocol,
    /// Requests in flight (HTTP/2 may have several).
    busy: usize,
    /// When the connection opened, or its last answer was written.
    since: Instant,
    /// When the first byte of the next request arrived, if it has.
    first_byte: Option<Instant>,
    /// Whether no request has been answered yet.
    fresh: bool,
}

/// One connection's watchdog state, shared by its socket, its service and its task.
pub(crate) struct Watch {
    state: Mutex<State>,
    limits: Limits,
}

impl Watch {
    /// The watchdog of a connection opened now.
    pub(crate) fn new(limits: Limits) -> Arc<Self> {
        Arc::new(Watch {
            state: Mutex::new(State {
                protocol: Protocol::Unknown(0),
                busy: 0,
                since: Instant::now(),
                first_byte: None,
                fresh: true,
            }),
            limits,
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// When the connection must be dropped, if nothing changes; `None` while busy.
    fn deadline(&self) -> Option<Instant> {
        let s = self.lock();
        if s.busy > 0 {
            return None;
        }
        Some(match s.first_byte {
            Some(t) => t + self.limits.header_timeout,
            None if s.fresh => s.since + self.limits.header_timeout,
            None => s.since + self.limits.idle_timeout,
        })
    }

    fn read(&self, bytes: &[u8]) {
        let mut s = self.lock();
        if let Protocol::Unknown(seen) = s.protocol {
            let rest = &PREFACE[seen..];
            let n = rest.len().min(bytes.len());
            if rest[..n] != bytes[..n] {
                s.protocol = Protocol::Http1;
            } else if seen + n < PREFACE.len() {
                s.protocol = Protocol::Unknown(seen + n);
            } else {
                // The preface opens the connection as a first request head opens HTTP/1's:
                // from here on it is idle until a request comes.
                s.protocol = Protocol::Http2;
                s.fresh = false;
                s.first_byte = None;
                s.since = Instant::now();
                return;
            }
        }
        if s.protocol == Protocol::Http2 {
            return;
        }
        if s.busy == 0 && s.first_byte.is_none() {
            s.first_byte = Some(Instant::now());
        }
    }

    fn wrote(&self) {
        let mut s = self.lock();
        // An answer still being written to a slow reader is progress, not idleness.
        if s.busy == 0 && s.first_byte.is_none() {
            s.since = Instant::now();
        }
    }

    /// A request's head arrived: no deadline until its answer is made.
    pub(crate) fn begin(self: &Arc<Self>) -> Busy {
        let mut s = self.lock();
        s.busy += 1;
        s.first_byte = None;
        Busy(self.clone())
    }

    /// Waits until the connection is past its deadline, looking at least once per the
    /// shorter timeout (never more often than every millisecond, whatever the limits say).
    pub(crate) async fn expired(&self) {
        let step = self
            .limits
            .header_timeout
            .min(self.limits.idle_timeout)
            .max(Duration::from_millis(1));
        loop {
            let now = Instant::now();
            match self.deadline() {
                Some(d) if d <= now => return,
                Some(d) => tokio::time::sleep_until(d.min(now + step)).await,
                None => tokio::time::sleep_until(now + step).await,
            }
        }
    }
}

/// A request in flight; dropping it (answered, or cancelled) starts the idle clock.
pub(crate) struct Busy(Arc<Watch>);

impl Drop for Busy {
    fn drop(&mut self) {
        let mut s = self.0.lock();
        s.busy = s.busy.saturating_sub(1);
        if s.busy == 0 {
            s.since = Instant::now();
            s.fresh = false;
        }
    }
}

/// A socket that tells its watchdog when bytes move.
pub(crate) struct Watched<T> {
    inner: T,
    watch: Arc<Watch>,
}

impl<T> Watched<T> {
    /// Wraps `inner`.
    pub(crate) fn new(inner: T, watch: Arc<Watch>) -> Self {
        Watched { inner, watch }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Watched<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.watch.read(&buf.filled()[before..]);
        }
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.watch.wrote();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.watch.wrote();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
