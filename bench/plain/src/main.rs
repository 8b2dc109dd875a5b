//! The baseline for the benchmark: hyper answering every request with the same fixed bytes,
//! on the same runtime settings as the mock, so the ratio measures only what the mock adds.
//!
//! Usage: `cartwright-bench-plain PORT BODY_FILE [SPIN]`
//!
//! `SPIN` (default 0) adds that many rounds of arithmetic to every request: plain hyper made
//! slower in user space by a known amount, the calibration `bench/kernel.sh` uses to tell
//! whether a server's extra time in the kernel is its own or follows from its slower answers.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let port: u16 = args.next().and_then(|p| p.parse().ok()).unwrap_or(4020);
    let body = Bytes::from(
        args.next()
            .map(std::fs::read)
            .transpose()?
            .unwrap_or_else(|| b"{}".to_vec()),
    );
    let spin: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        let body = body.clone();
        tokio::spawn(async move {
            let service = service_fn(move |_req| {
                let body = body.clone();
                busy(spin);
                async move {
                    let mut res = hyper::Response::new(Full::new(body));
                    res.headers_mut().insert(
                        "content-type",
                        hyper::header::HeaderValue::from_static("application/json"),
                    );
                    Ok::<_, Infallible>(res)
                }
            });
            let _ = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// `rounds` multiplications the optimiser cannot remove.
fn busy(rounds: u64) {
    let mut x = 1u64;
    for i in 0..rounds {
        x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(i));
    }
    std::hint::black_box(x);
}
