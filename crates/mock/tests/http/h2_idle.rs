//! An idle HTTP/2 connection lives until the idle timeout, as an HTTP/1 keep-alive one does:
//! its preface and control frames are not a request head, so the header timeout does not
//! close it between requests.

use std::time::Duration;

use cartwright_mock::{Config, Limits};
use tokio::net::TcpStream;

use crate::{SHOP, start_with};

const HEADER: Duration = Duration::from_millis(200);
const IDLE: Duration = Duration::from_secs(2);

/// Sends `GET url` on the connection; its status.
async fn get(client: &mut h2::client::SendRequest<bytes::Bytes>, url: &str) -> u16 {
    let request = http::Request::get(url).body(()).expect("request");
    let (answer, _) = client.send_request(request, true).expect("sent");
    let answer = tokio::time::timeout(Duration::from_secs(5), answer)
        .await
        .expect("answered in time")
        .expect("an answer on the same connection");
    answer.status().as_u16()
}

#[tokio::test]
async fn an_idle_http2_connection_outlives_the_header_timeout() {
    let config = Config {
        connections: Limits {
            header_timeout: HEADER,
            idle_timeout: IDLE,
            ..Limits::default()
        },
        ..Config::default()
    };
    let s = start_with(SHOP, config).await;
    let url = s.url("/products/1");
    let tcp = TcpStream::connect(s.running.addr).await.expect("connect");
    let (client, connection) = h2::client::handshake(tcp).await.expect("h2 handshake");
    let closed = tokio::spawn(connection);
    let mut client = client.ready().await.expect("ready");
    // Idle from the preface on, longer than the header timeout, then a request.
    tokio::time::sleep(HEADER * 4).await;
    assert_eq!(get(&mut client, &url).await, 200);
    // Idle again between requests.
    tokio::time::sleep(HEADER * 4).await;
    let mut client = client.ready().await.expect("still open");
    assert_eq!(get(&mut client, &url).await, 200);
    assert!(!closed.is_finished(), "the connection was closed");
}
