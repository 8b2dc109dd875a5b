//! Broken answers on HTTP/2: one connection carries many streams, so a fault
//! (`Prefer: fault=…`) resets only its own stream. The client sees that stream fail before
//! any byte of its body, and the same connection goes on serving the next request.

use std::time::Duration;

use bytes::Bytes;
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

use crate::Server;
use crate::faults::server;

/// An HTTP/2 connection to `s`, ready for a request, and the task driving it.
async fn connect(
    s: &Server,
) -> (
    h2::client::SendRequest<Bytes>,
    JoinHandle<Result<(), h2::Error>>,
) {
    let tcp = TcpStream::connect(s.running.addr).await.expect("connect");
    let (client, connection) = h2::client::handshake(tcp).await.expect("h2 handshake");
    let driving = tokio::spawn(connection);
    (client.ready().await.expect("ready"), driving)
}

/// What became of one request on the connection: its status and body, or the error that
/// ended the stream.
async fn ask(
    client: &mut h2::client::SendRequest<Bytes>,
    url: &str,
    prefer: Option<&str>,
) -> Result<(u16, Vec<u8>), h2::Error> {
    let mut request = http::Request::get(url);
    if let Some(p) = prefer {
        request = request.header("prefer", p);
    }
    let (answer, _) = client
        .send_request(request.body(()).expect("request"), true)
        .expect("sent");
    let answer = tokio::time::timeout(Duration::from_secs(5), answer)
        .await
        .expect("answered in time")?;
    let status = answer.status().as_u16();
    let mut body = answer.into_body();
    let mut bytes = Vec::new();
    while let Some(chunk) = tokio::time::timeout(Duration::from_secs(5), body.data())
        .await
        .expect("the body ends in time")
    {
        let chunk = chunk?;
        let _ = body.flow_control().release_capacity(chunk.len());
        bytes.extend_from_slice(&chunk);
    }
    Ok((status, bytes))
}

#[tokio::test]
async fn a_fault_resets_only_its_own_stream() {
    let s = server().await;
    let url = format!("{}/items", s.base);
    let (mut client, closed) = connect(&s).await;
    let (status, whole) = ask(&mut client, &url, None).await.expect("a plain answer");
    assert_eq!(status, 200);
    assert!(!whole.is_empty());
    for fault in ["reset", "empty", "malformed", "garbage"] {
        let prefer = format!("fault={fault}");
        let got = ask(&mut client, &url, Some(&prefer)).await;
        let e = got.expect_err(&format!("{fault}: the stream should fail, got an answer"));
        assert!(
            e.is_reset() && e.is_remote() && e.reason() == Some(h2::Reason::INTERNAL_ERROR),
            "{fault}: the stream ends by the server's RST_STREAM, not {e:?}"
        );
        // The connection is not broken with it: the next request answers whole.
        client = client.ready().await.expect("the connection is still open");
        let again = ask(&mut client, &url, None).await;
        assert_eq!(
            again.as_ref().map(|(status, _)| *status).ok(),
            Some(200),
            "after {fault}: {again:?}"
        );
        assert_eq!(again.expect("answered").1, whole, "after {fault}");
    }
    assert!(!closed.is_finished(), "the connection was closed");
}

/// A delayed answer (`Prefer: delay=…`) holds up only its own stream: a request sent after
/// it on the same connection is answered first.
#[tokio::test]
async fn a_delay_holds_up_only_its_own_stream() {
    let s = server().await;
    let url = format!("{}/items", s.base);
    let (mut client, _connection) = connect(&s).await;
    // The delayed request is on the connection before the quick one is sent.
    let request = http::Request::get(&url)
        .header("prefer", "delay=5000")
        .body(())
        .expect("request");
    let (slow, _) = client.send_request(request, true).expect("sent");
    let slow = tokio::spawn(slow);
    let mut client = client.ready().await.expect("ready for another stream");
    let quick = ask(&mut client, &url, None)
        .await
        .expect("the quick answer");
    assert_eq!(quick.0, 200);
    assert!(
        !slow.is_finished(),
        "the delayed stream was answered before the quick one"
    );
    let slow = tokio::time::timeout(Duration::from_secs(10), slow)
        .await
        .expect("the delayed answer comes")
        .expect("joined")
        .expect("the delayed answer");
    assert_eq!(slow.status().as_u16(), 200);
}
