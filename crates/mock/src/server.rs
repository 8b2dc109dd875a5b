//! The socket side: hyper (HTTP/1 and HTTP/2), body limits, graceful shutdown.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::Request;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming as Body;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::{Incoming, Mock, Outgoing};

/// A server started by [`serve`]: its address, and a way to stop it.
pub struct Running {
    /// The bound address (useful with port 0).
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Running {
    /// Stops accepting, lets requests in flight finish (up to 5 s), and waits.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = self.task.await;
    }

    /// Waits until the server stops (after `shutdown` from elsewhere or the signal future).
    pub async fn wait(self) {
        let _ = self.task.await;
    }
}

/// Serves `mock` on `listener` until `signal` completes or [`Running::shutdown`] is called.
pub fn serve(
    mock: Arc<Mock>,
    listener: TcpListener,
    signal: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<Running> {
    serve_with(listener, signal, move |req| {
        let mock = mock.clone();
        async move { answer(&mock, req).await }
    })
}

/// The accept loop every cartwright server shares (the REST mock, the GraphQL mock): each
/// connection served by `handle` over HTTP/1 or HTTP/2, graceful shutdown on `signal` or
/// [`Running::shutdown`]. A failed accept (out of descriptors) backs off instead of spinning.
pub fn serve_with<H, F>(
    listener: TcpListener,
    signal: impl Future<Output = ()> + Send + 'static,
    handle: H,
) -> std::io::Result<Running>
where
    H: Fn(Request<Body>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = hyper::Response<Full<Bytes>>> + Send + 'static,
{
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let builder = auto::Builder::new(TokioExecutor::new());
        let graceful = GracefulShutdown::new();
        tokio::pin!(signal);
        tokio::pin!(stopped);
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    };
                    let _ = stream.set_nodelay(true);
                    let handle = handle.clone();
                    let service = service_fn(move |req| {
                        let answer = handle(req);
                        async move { Ok::<_, Infallible>(answer.await) }
                    });
                    let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), service).into_owned());
                    tokio::spawn(async move {
                        let _ = conn.await;
                    });
                }
                _ = &mut signal => break,
                _ = &mut stopped => break,
            }
        }
        drop(listener);
        let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
    });
    Ok(Running {
        addr,
        stop: Some(stop),
        task,
    })
}

/// Converts at the edge: hyper request in, buffered under the body limit, hyper response out.
async fn answer(mock: &Mock, req: Request<Body>) -> hyper::Response<Full<Bytes>> {
    let (parts, body) = req.into_parts();
    let mut incoming = Incoming {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body: Bytes::new(),
    };
    let limit = mock.config().body_limit;
    let declared = incoming
        .header("content-length")
        .and_then(|l| l.parse::<usize>().ok());
    let out = if declared.is_some_and(|l| l > limit) {
        mock.too_large(incoming)
    } else {
        match Limited::new(body, limit).collect().await {
            Ok(collected) => {
                incoming.body = collected.to_bytes();
                mock.handle(incoming)
            }
            Err(e)
                if e.downcast_ref::<http_body_util::LengthLimitError>()
                    .is_some() =>
            {
                mock.too_large(incoming)
            }
            Err(_) => mock.handle(incoming),
        }
    };
    into_hyper(out)
}

fn into_hyper(out: Outgoing) -> hyper::Response<Full<Bytes>> {
    let mut res = hyper::Response::new(Full::new(out.body));
    *res.status_mut() = out.status;
    *res.headers_mut() = out.headers;
    res
}
