//! A request body that does not arrive whole (broken chunked framing, the client closing
//! early, a `Content-Length` longer than what was sent) is a 400 `incomplete body`, and the
//! operation does not run: the Centra selection keeps no item the client did not finish
//! adding, and the next request on a new connection is served.

use std::time::Duration;

use cartwright_mock::Config;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{Stateful, start_spec};

async fn centra() -> Stateful {
    let config = Config {
        secrets: vec![("shared".into(), "SharedSecretExample1234".into())],
        ..Config::default()
    };
    start_spec("centra-checkout", config).await
}

/// A session token with an empty selection.
async fn session(c: &Stateful) -> String {
    let first = c.send(c.req("GET", "/selection")).await;
    first.body["token"].as_str().expect("a token").to_owned()
}

/// Sends `head` then `body` on a raw socket, closes the write half when `close` says so, and
/// returns the whole answer the server wrote.
async fn raw(c: &Stateful, head: &str, body: &[u8], close: bool) -> String {
    let mut stream = tokio::net::TcpStream::connect(c.server.running.addr)
        .await
        .expect("connect");
    stream.write_all(head.as_bytes()).await.expect("write head");
    stream.write_all(body).await.expect("write body");
    if close {
        stream.shutdown().await.expect("close the write half");
    }
    let mut answer = Vec::new();
    // `Connection: close`: the answer ends where the server closes.
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer))
        .await
        .expect("an answer in 5 s")
        .expect("read");
    String::from_utf8_lossy(&answer).into_owned()
}

fn head(c: &Stateful, token: &str, framing: &str) -> String {
    let path = c.base.split_once("//").map_or("", |(_, r)| r);
    let path = &path[path.find('/').unwrap_or(path.len())..];
    format!(
        "POST {path}/items/61-2 HTTP/1.1\r\nHost: 127.0.0.1\r\nAPI-token: {token}\r\n\
         Content-Type: application/json\r\nConnection: close\r\n{framing}\r\n"
    )
}

async fn assert_unchanged(c: &Stateful, token: &str) {
    let after = c
        .send(c.req("GET", "/selection").header("API-token", token))
        .await;
    assert_eq!(after.status, 200, "a normal request is still served");
    assert_eq!(
        after.body["token"],
        json!(token),
        "the session is still live"
    );
    assert_eq!(
        after.body["selection"]["items"],
        json!([]),
        "no item was added"
    );
}

fn assert_incomplete(answer: &str) {
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("incomplete body"), "{answer}");
    assert!(
        answer.contains("urn:cartwright:problem:incomplete-body"),
        "{answer}"
    );
}

#[tokio::test]
async fn broken_chunked_framing_is_refused_and_adds_nothing() {
    let c = centra().await;
    let t = session(&c).await;
    // A chunk size that is not hex, after a first good chunk.
    let body = b"5\r\n{\"qua\r\nzz\r\nntity\": 3}\r\n0\r\n\r\n";
    let answer = raw(
        &c,
        &head(&c, &t, "Transfer-Encoding: chunked\r\n"),
        body,
        false,
    )
    .await;
    assert_incomplete(&answer);
    assert_unchanged(&c, &t).await;
    let journal = c.server.mock.journal().recent(10);
    let refused = journal
        .iter()
        .find(|e| e.method == "POST")
        .expect("journaled");
    assert_eq!(
        (refused.status, refused.validation.as_str()),
        (400, "incomplete")
    );
    assert_eq!(refused.operation, None, "no operation ran");
}

#[tokio::test]
async fn a_chunked_body_closed_early_is_refused_and_adds_nothing() {
    let c = centra().await;
    let t = session(&c).await;
    let body = b"10\r\n{\"quantity\": 3";
    let answer = raw(
        &c,
        &head(&c, &t, "Transfer-Encoding: chunked\r\n"),
        body,
        true,
    )
    .await;
    assert_incomplete(&answer);
    assert_unchanged(&c, &t).await;
}

#[tokio::test]
async fn a_content_length_longer_than_sent_is_refused_and_adds_nothing() {
    let c = centra().await;
    let t = session(&c).await;
    let answer = raw(
        &c,
        &head(&c, &t, "Content-Length: 40\r\n"),
        b"{\"quantity\": 3}",
        true,
    )
    .await;
    assert_incomplete(&answer);
    assert_unchanged(&c, &t).await;
}

#[tokio::test]
async fn a_whole_body_still_adds_the_item() {
    let c = centra().await;
    let t = session(&c).await;
    let body = b"{\"quantity\": 3}";
    let framing = format!("Content-Length: {}\r\n", body.len());
    let answer = raw(&c, &head(&c, &t, &framing), body, false).await;
    assert!(answer.starts_with("HTTP/1.1 20"), "{answer}");
    let after = c
        .send(c.req("GET", "/selection").header("API-token", &t))
        .await;
    assert_eq!(after.body["selection"]["items"][0]["quantity"], json!(3));
}
