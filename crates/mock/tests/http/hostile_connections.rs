//! Silent and slow sockets are closed by the header and idle timeouts, and at the connection
//! cap new clients wait instead of being locked out: normal clients keep being served, and
//! the silent sockets leave nothing in the journal.

use std::time::{Duration, Instant};

use cartwright_mock::{Config, Limits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::{Server, start_with};

const CAP: usize = 8;

async fn strict() -> Server {
    let config = Config {
        connections: Limits {
            header_timeout: Duration::from_millis(400),
            idle_timeout: Duration::from_millis(1200),
            max_connections: CAP,
        },
        ..Config::default()
    };
    start_with(crate::SHOP, config).await
}

/// Waits until the server closes `stream`, and returns how long that took.
async fn closed_after(stream: &mut TcpStream, within: Duration) -> Duration {
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(within, stream.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return start.elapsed(),
            Ok(Ok(_)) => {}
            Err(_) => panic!("the server kept the socket open for {within:?}"),
        }
    }
}

async fn served(s: &Server) {
    let res = tokio::time::timeout(
        Duration::from_secs(5),
        s.client.get(s.url("/products/1")).send(),
    )
    .await
    .expect("served in time")
    .expect("send");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn silent_sockets_at_the_cap_are_closed_and_clients_are_served() {
    let s = strict().await;
    let mut silent = Vec::new();
    for _ in 0..CAP * 3 {
        silent.push(TcpStream::connect(s.running.addr).await.expect("connect"));
    }
    // Every slot is held by a silent socket: this client waits until the header timeout
    // frees one, and is then served.
    let start = Instant::now();
    served(&s).await;
    assert!(start.elapsed() < Duration::from_secs(4));
    for stream in &mut silent {
        closed_after(stream, Duration::from_secs(5)).await;
    }
    served(&s).await;
    let journal = s.mock.journal().recent(100);
    assert_eq!(journal.len(), 2, "silent sockets are not requests");
}

#[tokio::test]
async fn a_head_sent_a_byte_at_a_time_is_cut_off_at_the_header_timeout() {
    let s = strict().await;
    let mut slow = TcpStream::connect(s.running.addr).await.expect("connect");
    let head = b"GET /api/shop/products/1 HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaa";
    let start = Instant::now();
    let mut closed = false;
    for b in head {
        if slow.write_all(&[*b]).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    if !closed {
        closed_after(&mut slow, Duration::from_secs(3)).await;
    }
    let took = start.elapsed();
    assert!(
        took < Duration::from_millis(2000),
        "a trickle keeps the socket only until the header timeout, not {took:?}"
    );
    served(&s).await;
}

#[tokio::test]
async fn a_keep_alive_connection_lives_until_the_idle_timeout() {
    let s = strict().await;
    let mut conn = TcpStream::connect(s.running.addr).await.expect("connect");
    let request = b"GET /api/shop/products/1 HTTP/1.1\r\nHost: x\r\n\r\n";
    let mut buf = vec![0u8; 8192];
    for _ in 0..2 {
        conn.write_all(request).await.expect("write");
        let n = tokio::time::timeout(Duration::from_secs(2), conn.read(&mut buf))
            .await
            .expect("answered")
            .expect("read");
        assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
        // Longer than the header timeout, shorter than the idle timeout: still open.
        tokio::time::sleep(Duration::from_millis(700)).await;
    }
    let took = closed_after(&mut conn, Duration::from_secs(5)).await;
    assert!(
        took < Duration::from_millis(1200),
        "closed by the idle timeout: {took:?}"
    );
    assert_eq!(s.mock.journal().recent(100).len(), 2);
    served(&s).await;
}
