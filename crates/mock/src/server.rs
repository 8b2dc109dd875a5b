//! The socket side: hyper (HTTP/1 and HTTP/2), body limits, connection limits, graceful
//! shutdown.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::future::{BoxFuture, Either, Ready, ready};
use http::Request;
use http_body_util::Full;
use hyper::body::Incoming as Body;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};
use tokio::task::JoinHandle;

use crate::conn::{BodyError, Limits, Watch, Watched, read_body};
use crate::lifetime::Stopping;
use crate::sent::{Break, Faulty, Sent, Switch};
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

/// Serves `mock` on `listener` until `signal` completes or [`Running::shutdown`] is called,
/// with the connection limits of its configuration.
pub fn serve(
    mock: Arc<Mock>,
    listener: TcpListener,
    signal: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<Running> {
    let limits = mock.config().connections;
    serve_limited(listener, signal, limits, move |req| {
        answer(mock.clone(), req)
    })
}

/// [`serve_limited`] with the default [`Limits`].
pub fn serve_with<H, F>(
    listener: TcpListener,
    signal: impl Future<Output = ()> + Send + 'static,
    handle: H,
) -> std::io::Result<Running>
where
    H: Fn(Request<Body>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = hyper::Response<Full<Bytes>>> + Send + 'static,
{
    serve_limited(listener, signal, Limits::default(), handle)
}

/// The accept loop every cartwright server shares (the REST mock, the GraphQL mock): each
/// connection served by `handle` over HTTP/1 or HTTP/2 under `limits`, graceful shutdown on
/// `signal` or [`Running::shutdown`]. An answer that carries a fault in its extensions
/// is broken on the socket instead of written (the `sent` module). At the connection cap,
/// new clients wait in the listen queue until a connection closes; a failed accept (out of
/// descriptors) backs off instead of spinning.
pub fn serve_limited<H, F, B>(
    listener: TcpListener,
    signal: impl Future<Output = ()> + Send + 'static,
    limits: Limits,
    handle: H,
) -> std::io::Result<Running>
where
    H: Fn(Request<Body>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = hyper::Response<B>> + Send + 'static,
    B: hyper::body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let task = tokio::spawn(async move {
        let builder = auto::Builder::new(TokioExecutor::new());
        let stopping = Stopping::new();
        tokio::pin!(signal);
        tokio::pin!(stopped);
        let mut waits: u64 = 0;
        loop {
            let permit = match slots.clone().try_acquire_owned() {
                Ok(p) => p,
                Err(_) => {
                    // Once, then every thousandth time: a flood does not flood the log.
                    waits += 1;
                    if waits == 1 || waits.is_multiple_of(1000) {
                        tracing::warn!(
                            "{} connections open (--max-connections): new clients wait \
                             ({waits} time(s) so far)",
                            limits.max_connections
                        );
                    }
                    tokio::select! {
                        p = slots.clone().acquire_owned() => match p {
                            Ok(p) => p,
                            Err(_) => break,
                        },
                        _ = &mut signal => break,
                        _ = &mut stopped => break,
                    }
                }
            };
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                _ = &mut signal => break,
                _ = &mut stopped => break,
            };
            let Ok((stream, _)) = accepted else {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            };
            let _ = stream.set_nodelay(true);
            let watch = Watch::new(limits);
            let handle = handle.clone();
            let busy = watch.clone();
            let switch = Arc::new(Switch::default());
            let armed = switch.clone();
            let service = service_fn(move |req: Request<Body>| {
                let guard = busy.begin();
                let h1 = req.version() < http::Version::HTTP_2;
                let answer = handle(req);
                let armed = armed.clone();
                async move {
                    let answer = answer.await;
                    if h1 && let Some(b) = answer.extensions().get::<Break>() {
                        armed.arm(*b);
                    }
                    drop(guard);
                    Ok::<_, Infallible>(answer)
                }
            });
            let io = TokioIo::new(Watched::new(Faulty::new(stream, switch), watch.clone()));
            let conn = builder.serve_connection(io, service).into_owned();
            stopping.keep(conn, watch, permit);
        }
        drop(listener);
        let _ = tokio::time::timeout(Duration::from_secs(5), stopping.stop()).await;
    });
    Ok(Running {
        addr,
        stop: Some(stop),
        task,
    })
}

/// What [`answer`] returns: the answer itself, or the work still to wait for.
type Answer = Either<Ready<hyper::Response<Sent>>, BoxFuture<'static, hyper::Response<Sent>>>;

/// Converts at the edge: hyper request in, buffered under the body limit, hyper response out.
/// A body that does not arrive whole is refused: the operation never runs on part of one.
///
/// An HTTP/1 request with nothing to wait for (no body to read, no proxy, no delay) is
/// answered here, before its future is polled: hyper moves each request's future into place, and a
/// ready answer is a small one, where a future for every await below was 1.7 KB.
fn answer(mock: Arc<Mock>, req: Request<Body>) -> Answer {
    let h1 = req.version() < http::Version::HTTP_2;
    let (parts, body) = req.into_parts();
    let incoming = Incoming {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body: Bytes::new(),
    };
    let config = mock.config();
    // The length hyper read from `Content-Length`, without looking the header up again.
    let declared = hyper::body::Body::size_hint(&body).exact();
    let out =
        if declared.is_some_and(|l| usize::try_from(l).map_or(true, |l| l > config.body_limit)) {
            mock.too_large(incoming)
        } else if h1 && hyper::body::Body::is_end_stream(&body) && config.proxy.is_none() {
            // Not over HTTP/2, whose streams are answered in tasks of their own: answered
            // here, they would wait for each other on the connection's task.
            mock.handle(incoming)
        } else {
            return Either::Right(Box::pin(async move {
                let config = mock.config();
                let stall = config.connections.header_timeout;
                let out = match read_body(body, config.body_limit, stall).await {
                    Ok(bytes) => {
                        let incoming = Incoming {
                            body: bytes,
                            ..incoming
                        };
                        mock.answer_read(incoming).await
                    }
                    Err(BodyError::TooLarge) => mock.too_large(incoming),
                    Err(BodyError::Incomplete(why)) => mock.incomplete(incoming, &why),
                };
                delayed(out, h1).await
            }));
        };
    match out.delivery.delay {
        None => Either::Left(ready(into_hyper(out, h1))),
        Some(_) => Either::Right(Box::pin(delayed(out, h1))),
    }
}

/// `out` as hyper sends it, after the delay its delivery asks for.
async fn delayed(out: Outgoing, h1: bool) -> hyper::Response<Sent> {
    if let Some(delay) = out.delivery.delay {
        tokio::time::sleep(delay).await;
    }
    into_hyper(out, h1)
}

impl Mock {
    /// Answers a request whose body was read: through the proxy in proxy mode.
    async fn answer_read(&self, incoming: Incoming) -> Outgoing {
        if self.config().proxy.is_some() {
            // The proxy's future is large: boxed, it does not make every request's future
            // as large.
            Box::pin(self.answer(incoming)).await
        } else {
            self.handle(incoming)
        }
    }
}

/// The hyper response, its body sent as the delivery says; a fault travels in the
/// extensions (HTTP/1, for the connection to act on) or as a failing body (HTTP/2, a
/// stream reset).
fn into_hyper(out: Outgoing, h1: bool) -> hyper::Response<Sent> {
    let body = match out.delivery.fault {
        Some(_) if !h1 => Sent::Broken,
        _ => Sent::new(out.body, out.delivery.dribble),
    };
    let mut res = hyper::Response::new(body);
    *res.status_mut() = out.status;
    *res.headers_mut() = out.headers;
    if let Some(fault) = out.delivery.fault {
        res.extensions_mut().insert(Break(fault, out.status));
    }
    res
}
