//! The socket side of [`crate::Delivery`]: the response body (whole, dribbled, or broken)
//! and the connection wrapper that breaks an HTTP/1 answer on purpose.
//!
//! A fault has to bypass hyper, which only writes well-formed HTTP. The service marks its
//! answer with a [`Break`]; the server arms the connection's [`Switch`]; the first write
//! hyper then attempts goes instead through [`Faulty`], which writes the broken bytes (or
//! none), sets `SO_LINGER 0` for a reset, and fails the write so hyper drops the
//! connection. On HTTP/2, where one connection carries many streams, a fault resets just
//! its own stream: the body fails before its first byte, and hyper sends `RST_STREAM`.

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;
use hyper::body::{Body, Frame, SizeHint};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Sleep;

use crate::delivery::{Dribble, Fault};

/// A response body as the mock sends it.
pub(crate) enum Sent {
    /// All at once.
    Whole(Option<Bytes>),
    /// In pieces, `gap` apart.
    Dribble {
        /// The pieces still to send.
        chunks: VecDeque<Bytes>,
        /// The pause before each piece after the first.
        gap: Duration,
        /// The pause under way.
        sleep: Option<Pin<Box<Sleep>>>,
    },
    /// Fails at once: on HTTP/2, a reset of this stream.
    Broken,
}

impl Sent {
    /// `body` whole, or dribbled as `dribble` says.
    pub(crate) fn new(body: Bytes, dribble: Option<Dribble>) -> Sent {
        let Some(d) = dribble.filter(|_| !body.is_empty()) else {
            return Sent::Whole(Some(body));
        };
        let n = (d.chunks.max(1) as usize).min(body.len());
        let size = body.len().div_ceil(n);
        let chunks: VecDeque<Bytes> = (0..body.len())
            .step_by(size)
            .map(|at| body.slice(at..(at + size).min(body.len())))
            .collect();
        let gaps = u32::try_from(chunks.len().saturating_sub(1)).unwrap_or(u32::MAX);
        Sent::Dribble {
            chunks,
            gap: if gaps == 0 {
                Duration::ZERO
            } else {
                d.over / gaps
            },
            sleep: None,
        }
    }
}

impl Body for Sent {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match self.get_mut() {
            Sent::Whole(body) => Poll::Ready(body.take().map(|b| Ok(Frame::data(b)))),
            Sent::Broken => Poll::Ready(Some(Err(io::Error::other("fault asked for")))),
            Sent::Dribble { chunks, gap, sleep } => {
                if let Some(s) = sleep {
                    if s.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    *sleep = None;
                }
                let Some(chunk) = chunks.pop_front() else {
                    return Poll::Ready(None);
                };
                if !chunks.is_empty() {
                    *sleep = Some(Box::pin(tokio::time::sleep(*gap)));
                }
                Poll::Ready(Some(Ok(Frame::data(chunk))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Sent::Whole(body) => body.as_ref().is_none_or(Bytes::is_empty),
            Sent::Dribble { chunks, .. } => chunks.is_empty(),
            Sent::Broken => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Sent::Whole(body) => SizeHint::with_exact(body.as_ref().map_or(0, |b| b.len() as u64)),
            _ => SizeHint::default(),
        }
    }
}

/// The fault an answer asks for, carried in its extensions from the service to the server.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Break(pub(crate) Fault, pub(crate) StatusCode);

/// The fault armed on one connection, shared by its service and its socket.
#[derive(Default)]
pub(crate) struct Switch(Mutex<Option<Break>>);

impl Switch {
    /// The next write breaks the connection as `fault` says.
    pub(crate) fn arm(&self, fault: Break) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(fault);
    }

    fn take(&self) -> Option<Break> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }
}

/// A TCP stream that breaks when its switch is armed.
pub(crate) struct Faulty {
    inner: TcpStream,
    switch: Arc<Switch>,
    /// Bytes of a broken answer still to write, then the write fails.
    pending: Option<Bytes>,
}

impl Faulty {
    /// Wraps `inner`.
    pub(crate) fn new(inner: TcpStream, switch: Arc<Switch>) -> Self {
        Faulty {
            inner,
            switch,
            pending: None,
        }
    }
}

/// The bytes a fault writes before the connection closes.
fn broken_bytes(Break(fault, status): Break) -> Bytes {
    match fault {
        Fault::Reset | Fault::Empty => Bytes::new(),
        // Valid framing up to the first chunk, whose size is not hexadecimal.
        Fault::Malformed => Bytes::from(format!(
            "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\n\
             transfer-encoding: chunked\r\n\r\nzz\r\n{{\"broken\r\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or("OK")
        )),
        Fault::Garbage => {
            let mut bytes = cartwright_model::random(64);
            // Never by chance the start of a status line.
            bytes[0] = 0xff;
            Bytes::from(bytes)
        }
    }
}

impl AsyncRead for Faulty {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl Faulty {
    /// Writes a broken answer when the switch is (or was) armed; `None` means write
    /// normally.
    fn poll_broken(&mut self, cx: &mut Context<'_>) -> Option<Poll<io::Result<usize>>> {
        if self.pending.is_none()
            && let Some(b) = self.switch.take()
        {
            if b.0 == Fault::Reset {
                // Closing with a zero linger sends RST instead of FIN.
                if let Err(e) = self.inner.set_zero_linger() {
                    return Some(Poll::Ready(Err(e)));
                }
            }
            self.pending = Some(broken_bytes(b));
        }
        let mut pending = self.pending.take()?;
        while !pending.is_empty() {
            match Pin::new(&mut self.inner).poll_write(cx, &pending) {
                Poll::Ready(Ok(n)) => {
                    let _ = pending.split_to(n.min(pending.len()));
                }
                Poll::Ready(Err(e)) => return Some(Poll::Ready(Err(e))),
                Poll::Pending => {
                    self.pending = Some(pending);
                    return Some(Poll::Pending);
                }
            }
        }
        // Keep failing: hyper drops the connection, which closes the socket.
        self.pending = Some(Bytes::new());
        Some(Poll::Ready(Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "answer broken on purpose",
        ))))
    }
}

impl AsyncWrite for Faulty {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.poll_broken(cx) {
            Some(broken) => broken,
            None => Pin::new(&mut self.inner).poll_write(cx, buf),
        }
    }

    /// Passed through, so hyper sends an answer's head and its (often shared, kept) body
    /// in one `writev` instead of copying the body into its write buffer first.
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.poll_broken(cx) {
            Some(broken) => broken,
            None => Pin::new(&mut self.inner).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.pending.is_some() {
            // Broken on purpose: no orderly FIN before the socket closes (a reset must
            // reach the client as a reset, not as an end of stream).
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
