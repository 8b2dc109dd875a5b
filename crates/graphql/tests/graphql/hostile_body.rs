//! A mutation whose body does not arrive whole (a `Content-Length` longer than what was sent,
//! then the client closes) is a 400 `incomplete body` and is not executed, even when the
//! part that arrived is a complete JSON document.

use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::start;

#[tokio::test]
async fn a_mutation_cut_short_is_refused_and_adds_nothing() {
    let s = start().await;
    let token = s.session().await;
    let items = s
        .query(
            &token,
            "{ displayItems(where: {onlyAvailable: true}, limit: 1) { list { items { id } } } }",
        )
        .await
        .ok();
    let item = items["displayItems"]["list"][0]["items"][0]["id"]
        .as_str()
        .expect("an item id")
        .to_owned();
    let body = json!({
        "query": "mutation($i: String!) { addItem(item: $i) { line { id } } }",
        "variables": {"i": item},
    })
    .to_string();
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len() + 10
    );
    let mut stream = tokio::net::TcpStream::connect(s.running.addr)
        .await
        .expect("connect");
    stream.write_all(head.as_bytes()).await.expect("head");
    stream.write_all(body.as_bytes()).await.expect("body");
    stream.shutdown().await.expect("close the write half");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer))
        .await
        .expect("an answer in 5 s")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("incomplete body"), "{answer}");

    let after = s.query(&token, "{ selection { lines { id } } }").await.ok();
    assert_eq!(after["selection"]["lines"], json!([]), "nothing was added");
}
