//! Stopping the server: a request in flight is answered whole, an idle keep-alive
//! connection is closed, and no new connection is accepted.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::start;

/// Reads until the server closes `stream`, and returns what it sent.
async fn until_closed(stream: &mut TcpStream) -> String {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return String::from_utf8_lossy(&seen).into_owned(),
            Ok(Ok(n)) => seen.extend_from_slice(&buf[..n]),
            Err(_) => panic!(
                "the socket stayed open; so far: {}",
                String::from_utf8_lossy(&seen)
            ),
        }
    }
}

#[tokio::test]
async fn stopping_answers_what_is_in_flight_and_closes_the_rest() {
    let s = start().await;
    let addr = s.running.addr;
    // An idle keep-alive connection: one request answered, then silence.
    let mut idle = TcpStream::connect(addr).await.expect("connect");
    idle.write_all(b"GET /api/shop/products/1 HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let mut buf = [0u8; 4096];
    let n = idle.read(&mut buf).await.expect("answered");
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    // A request still being answered when the server is told to stop.
    let mut busy = TcpStream::connect(addr).await.expect("connect");
    busy.write_all(b"GET /api/shop/products/1 HTTP/1.1\r\nHost: x\r\nPrefer: delay=600\r\n\r\n")
        .await
        .expect("write");
    tokio::time::sleep(Duration::from_millis(150)).await;
    let stopped = tokio::spawn(s.running.shutdown());
    let answer = until_closed(&mut busy).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"id\""), "the body came whole: {answer}");
    assert_eq!(
        until_closed(&mut idle).await,
        "",
        "the idle connection is closed"
    );
    stopped.await.expect("stopped");
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "no connection is accepted once stopped"
    );
}
