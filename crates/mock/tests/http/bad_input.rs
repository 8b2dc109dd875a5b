//! Hostile and broken requests get clear answers, and the server keeps serving.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{Server, json, start};

/// Sends raw bytes and returns the status line the server answered with.
async fn raw(s: &Server, request: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(s.running.addr)
        .await
        .expect("connect");
    stream.write_all(request).await.expect("write");
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut buf))
        .await
        .expect("answer in time")
        .expect("read");
    String::from_utf8_lossy(&buf[..n])
        .lines()
        .next()
        .unwrap_or("")
        .to_owned()
}

async fn still_serving(s: &Server) {
    let res = s
        .client
        .get(s.url("/products/1"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn invalid_utf8_in_path_and_headers() {
    let s = start().await;
    let line = raw(
        &s,
        b"GET /api/shop/products/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
    )
    .await;
    assert!(line.starts_with("HTTP/1.1 400"), "{line}");
    still_serving(&s).await;
    let line = raw(
        &s,
        b"GET /api/shop/vouchers/%FF%FE HTTP/1.1\r\nHost: x\r\n\r\n",
    )
    .await;
    assert!(line.starts_with("HTTP/1.1 400"), "{line}");
    let line = raw(
        &s,
        b"GET /api/shop/products/1 HTTP/1.1\r\nHost: x\r\nX-Region: \xff\xfe\r\n\r\n",
    )
    .await;
    assert!(line.starts_with("HTTP/1.1 422"), "{line}");
    still_serving(&s).await;
}

#[tokio::test]
async fn oversized_deep_malformed_and_unknown_bodies() {
    let s = start().await;
    let post = |body: Vec<u8>, ct: &str| {
        s.client
            .post(s.url("/cart"))
            .header("x-api-key", "k")
            .header("content-type", ct.to_owned())
            .body(body)
            .send()
    };

    let res = post(vec![b' '; 2 * 1024 * 1024], "application/json")
        .await
        .expect("send");
    assert_eq!(res.status(), 413);
    still_serving(&s).await;

    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let res = post(deep.into_bytes(), "application/json")
        .await
        .expect("send");
    assert_eq!(res.status(), 400);
    assert_eq!(json(res).await["type"], "urn:cartwright:problem:too-deep");

    let res = post(
        b"{\"currency\": \"EUR\", \"items\": [}".to_vec(),
        "application/json",
    )
    .await
    .expect("send");
    assert_eq!(res.status(), 400);
    let body = json(res).await;
    assert_eq!(body["position"], 30);
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("byte 30")),
        "{body}"
    );

    let res = post(b"<cart/>".to_vec(), "application/xml")
        .await
        .expect("send");
    assert_eq!(res.status(), 415);
    still_serving(&s).await;
}

#[tokio::test]
async fn a_thousand_segment_path() {
    let s = start().await;
    let path = format!("/api/shop{}", "/a".repeat(1000));
    let res = s
        .client
        .get(format!("{}{path}", s.base))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 404);
    still_serving(&s).await;
}
