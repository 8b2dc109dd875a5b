//! Sending: a normal URL goes through reqwest, one a URL parser would rewrite goes out
//! byte for byte; either way the answer is read whole.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread;

use cartwright_http::{Body, Method, Request, send};

/// A one-shot server: answers one request with a JSON body and gives back what it read.
fn serve() -> (String, thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let handle = thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("accept");
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).expect("read");
            seen.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&seen);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let want = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length: ")
                            .map(str::to_owned)
                    })
                    .and_then(|n| n.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                if body.len() >= want || n == 0 {
                    break;
                }
            }
        }
        let body = br#"{"ok":true}"#;
        let head = format!(
            "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).expect("write");
        stream.write_all(body).expect("write");
        String::from_utf8_lossy(&seen).into_owned()
    });
    (base, handle)
}

async fn exchange(path: &str) -> (cartwright_http::Answer, String) {
    let (base, server) = serve();
    let mut req = Request::new(Method::Post, format!("{base}{path}"));
    req.headers.push(("X-Note".into(), "it's".into()));
    req.body = Some(Body::new("application/json", r#"{"a":1}"#));
    let answer = send(&reqwest::Client::new(), &req).await.expect("answer");
    (answer, server.join().expect("server"))
}

#[tokio::test]
async fn a_plain_url_goes_through_the_client() {
    let (answer, seen) = exchange("/orders?q=1").await;
    assert!(seen.starts_with("POST /orders?q=1 HTTP/1.1\r\n"), "{seen}");
    assert!(
        seen.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{seen}"
    );
    assert!(seen.ends_with(r#"{"a":1}"#), "{seen}");
    assert_eq!(answer.status, 201);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert_eq!(answer.json, Some(serde_json::json!({"ok": true})));
}

#[tokio::test]
async fn dot_segments_go_out_as_written() {
    let (answer, seen) = exchange("/vouchers/../admin/%2e%2e/x").await;
    assert!(
        seen.starts_with("POST /vouchers/../admin/%2e%2e/x HTTP/1.1\r\n"),
        "{seen}"
    );
    assert!(seen.contains("x-note: it's"), "{seen}");
    assert!(seen.ends_with(r#"{"a":1}"#), "{seen}");
    assert_eq!(answer.status, 201);
    assert_eq!(answer.body, br#"{"ok":true}"#);
}
