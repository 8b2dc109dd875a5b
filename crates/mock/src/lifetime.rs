//! How a served connection ends: dropped past its watchdog's deadline, closed gracefully
//! when the server stops (requests in flight are answered first), or by the client.
//!
//! The connection's task polls the connection and one oneshot receiver, nothing else: the
//! watchdog's timer and the server's stop signal are watched by a second task, which sends
//! what happened. Polled beside the connection, the timer and the stop signal were looked at
//! on every wake of every request.

use std::sync::Arc;

use hyper_util::server::graceful::GracefulConnection;
use tokio::sync::{OwnedSemaphorePermit, mpsc, oneshot, watch};

use crate::conn::Watch;

/// What ends a connection from outside.
enum End {
    /// Its deadline passed with nothing in flight: dropped.
    Expired,
    /// The server is stopping: closed once its requests in flight are answered.
    Closing,
}

/// The server side of graceful stopping: the signal every connection watches, and a way to
/// wait until all of them have ended.
pub(crate) struct Stopping {
    closing: watch::Sender<bool>,
    alive: mpsc::Sender<()>,
    ended: mpsc::Receiver<()>,
}

impl Stopping {
    /// Nothing stopping yet, and no connection.
    pub(crate) fn new() -> Self {
        let (closing, _) = watch::channel(false);
        let (alive, ended) = mpsc::channel(1);
        Stopping {
            closing,
            alive,
            ended,
        }
    }

    /// Serves `conn` until it ends, watched by `watch`; `permit` (its connection slot) is
    /// given back when it does.
    pub(crate) fn keep<C>(&self, conn: C, watch: Arc<Watch>, permit: OwnedSemaphorePermit)
    where
        C: GracefulConnection + Send + 'static,
    {
        let mut closing = self.closing.subscribe();
        let closing_watch = watch.clone();
        let (tell, told) = oneshot::channel::<End>();
        let watchdog = tokio::spawn(async move {
            let closed = async {
                // A server gone without a word closes nothing: only the deadline is left.
                if closing.wait_for(|c| *c).await.is_err() {
                    std::future::pending::<()>().await;
                }
            };
            let end = tokio::select! {
                () = watch.expired() => End::Expired,
                () = closed => End::Closing,
            };
            let _ = tell.send(end);
        });
        let alive = self.alive.clone();
        tokio::spawn(async move {
            let mut conn = std::pin::pin!(conn);
            let end = tokio::select! {
                biased;
                _ = conn.as_mut() => None,
                end = told => end.ok(),
            };
            if let Some(End::Closing) = end {
                // Still bounded by the deadline: a client that never finishes its request
                // does not hold the connection open.
                conn.as_mut().graceful_shutdown();
                tokio::select! {
                    _ = conn => {}
                    () = closing_watch.expired() => {}
                }
            }
            // Past its deadline a connection has nothing in flight: dropping it closes the
            // socket and frees its slot.
            watchdog.abort();
            drop(permit);
            drop(alive);
        });
    }

    /// Tells every connection to close, and waits until all have ended.
    pub(crate) async fn stop(mut self) {
        let _ = self.closing.send(true);
        drop(self.alive);
        let _ = self.ended.recv().await;
    }
}
