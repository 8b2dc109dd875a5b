//! A body that arrives in several pieces (chunked, written apart) is read whole before it is
//! judged: the server keeps a body that came in one frame as it came, so this is the case
//! where the frames must be joined, in order.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::start;

/// Posts `chunks` as a chunked body on a raw socket, each written on its own after a pause,
/// and returns the whole answer.
async fn post_chunked(addr: std::net::SocketAddr, chunks: &[&str]) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let head = "POST /api/shop/cart HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: k\r\n\
                Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\
                Connection: close\r\n\r\n";
    stream.write_all(head.as_bytes()).await.expect("write head");
    for chunk in chunks {
        tokio::time::sleep(Duration::from_millis(30)).await;
        let framed = format!("{:x}\r\n{chunk}\r\n", chunk.len());
        stream
            .write_all(framed.as_bytes())
            .await
            .expect("write chunk");
        stream.flush().await.expect("flush");
    }
    stream.write_all(b"0\r\n\r\n").await.expect("write end");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer))
        .await
        .expect("an answer in 5 s")
        .expect("read");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_body_in_several_frames_is_joined_in_order() {
    let s = start().await;
    let valid = post_chunked(
        s.running.addr,
        &[
            r#"{"currency":"EUR","#,
            r#""items":[{"product":1,"#,
            r#""quantity":2}]}"#,
        ],
    )
    .await;
    assert!(valid.starts_with("HTTP/1.1 200"), "{valid}");

    // The same pieces with the violations in the first and the last: both are found, so
    // neither piece was lost or moved.
    let invalid = post_chunked(
        s.running.addr,
        &[
            r#"{"currency":"NOK","#,
            r#""items":[{"product":1,"#,
            r#""quantity":0}]}"#,
        ],
    )
    .await;
    assert!(invalid.starts_with("HTTP/1.1 400"), "{invalid}");
    assert!(invalid.contains("/body/currency"), "{invalid}");
    assert!(invalid.contains("/body/items/0/quantity"), "{invalid}");
}
