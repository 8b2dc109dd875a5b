//! Broken answers on purpose (`Prefer: fault=…`), each seen by a real client as the error
//! a failing server or network gives, and the server serving normally afterwards.

use std::error::Error as _;
use std::time::{Duration, Instant};

use cartwright_mock::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{Server, start_with};

pub(crate) const PACE: &str = include_str!("../fixtures/pace.yaml");

/// The pace fixture, stateless, on a free port.
pub(crate) async fn server() -> Server {
    start_with(
        PACE,
        Config {
            stateless: true,
            ..Config::default()
        },
    )
    .await
}

/// The whole chain of an error, for matching its cause.
fn chain(e: &reqwest::Error) -> String {
    let mut text = format!("{e:?}");
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(&format!(" / {s:?}"));
        source = s.source();
    }
    text
}

fn io_kind(e: &reqwest::Error) -> Option<std::io::ErrorKind> {
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = s.source();
    }
    None
}

/// A fresh client per call: a broken connection is never reused.
async fn faulted(s: &Server, fault: &str) -> Result<bytes::Bytes, reqwest::Error> {
    let res = reqwest::Client::new()
        .get(format!("{}/items", s.base))
        .header("prefer", format!("fault={fault}"))
        .send()
        .await?;
    res.bytes().await
}

async fn still_serves(s: &Server) {
    let res = s
        .client
        .get(format!("{}/items", s.base))
        .send()
        .await
        .expect("a normal request after the fault");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn reset_is_a_connection_reset() {
    let s = server().await;
    let e = faulted(&s, "reset").await.expect_err("reset");
    assert_eq!(
        io_kind(&e),
        Some(std::io::ErrorKind::ConnectionReset),
        "{}",
        chain(&e)
    );
    still_serves(&s).await;
}

#[tokio::test]
async fn empty_is_a_close_without_an_answer() {
    let s = server().await;
    let e = faulted(&s, "empty").await.expect_err("empty");
    assert!(chain(&e).contains("IncompleteMessage"), "{}", chain(&e));
    still_serves(&s).await;
}

#[tokio::test]
async fn malformed_breaks_the_chunked_framing() {
    let s = server().await;
    let res = reqwest::Client::new()
        .get(format!("{}/items", s.base))
        .header("prefer", "fault=malformed")
        .send()
        .await
        .expect("the status line and headers are valid");
    assert_eq!(res.status(), 200);
    let e = res
        .bytes()
        .await
        .expect_err("the first chunk does not parse");
    assert!(chain(&e).to_lowercase().contains("chunk"), "{}", chain(&e));
    still_serves(&s).await;
}

#[tokio::test]
async fn garbage_is_not_http() {
    let s = server().await;
    let e = faulted(&s, "garbage").await.expect_err("garbage");
    assert!(chain(&e).contains("Parse"), "{}", chain(&e));
    // Seen raw: bytes that are no status line, then the end of the connection.
    let mut raw = tokio::net::TcpStream::connect(s.running.addr)
        .await
        .expect("connect");
    raw.write_all(b"GET /items HTTP/1.1\r\nhost: x\r\nprefer: fault=garbage\r\n\r\n")
        .await
        .expect("write");
    let mut got = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), raw.read_to_end(&mut got))
        .await
        .expect("the server closes")
        .expect("read");
    assert!(!got.is_empty() && !got.starts_with(b"HTTP/"), "{got:?}");
    still_serves(&s).await;
}

#[tokio::test]
async fn an_unknown_fault_is_a_400_that_names_the_known_ones() {
    let s = server().await;
    let res = s
        .client
        .get(format!("{}/items", s.base))
        .header("prefer", "fault=explode")
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 400);
    let body = res.text().await.expect("body");
    assert!(body.contains("reset, empty, malformed, garbage"), "{body}");
}

#[tokio::test]
async fn prefer_delay_waits_at_least_that_long() {
    let s = server().await;
    let started = Instant::now();
    let res = s
        .client
        .get(format!("{}/items", s.base))
        .header("prefer", "delay=300")
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let res = s
        .client
        .get(format!("{}/items", s.base))
        .header("prefer", "delay=3600000")
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 400);
    assert!(res.text().await.expect("body").contains("--max-delay"));
}

#[tokio::test]
async fn dribble_spreads_the_body_and_keeps_it_whole() {
    let s = start_with(
        PACE,
        Config {
            stateless: true,
            dribble: Some(cartwright_mock::Dribble {
                chunks: 4,
                over: Duration::from_millis(300),
            }),
            ..Config::default()
        },
    )
    .await;
    let started = Instant::now();
    let res = s
        .client
        .get(format!("{}/items", s.base))
        .send()
        .await
        .expect("answer");
    let body: serde_json::Value = res.json().await.expect("the whole body, reassembled");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(body, serde_json::json!([{"id": "a1b2", "name": "Apple"}]));
}
