//! Answers that never come or never end: a silent server is "no answer within N s", a
//! refused connection says so, and an endless body is cut at the bound.

use cartwright_outcome::Status;
use cartwright_outcome::coverage::Unreached;
use cartwright_verify::checks::Check;
use cartwright_verify::{Options, verify};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{api, coverage_of, options};

/// A server that reads each request and then either never answers or
/// streams a body without end.
async fn raw(stream_forever: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf).await;
                if !stream_forever {
                    tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                    return;
                }
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("{:x}\r\n{}\r\n", 65536, "x".repeat(65536));
                while stream.write_all(chunk.as_bytes()).await.is_ok() {}
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_silent_server_is_no_answer_within_the_timeout() {
    let opts = Options {
        include: vec!["health".into()],
        checks: Some(vec![Check::NotAServerError]),
        max_examples: 0,
        request_timeout_secs: 1,
        ..options(raw(false).await)
    };
    let run = verify(&api(), &opts).await.run;
    let step = &run.cases[0].steps[0];
    assert_eq!(step.status, Status::Errored);
    assert_eq!(step.reason.as_deref(), Some("no answer within 1 s"));
    assert_eq!(
        coverage_of(&run, "health").reason,
        Some(Unreached::NoAnswer)
    );
}

#[tokio::test]
async fn a_refused_connection_says_so() {
    let opts = Options {
        include: vec!["health".into()],
        max_examples: 0,
        ..options("http://127.0.0.1:9".into())
    };
    let run = verify(&api(), &opts).await.run;
    let reason = run.cases[0].steps[0].reason.clone().unwrap_or_default();
    assert_eq!(reason, "connection refused by 127.0.0.1:9");
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_bound() {
    let opts = Options {
        include: vec!["health".into()],
        checks: Some(vec![Check::NotAServerError]),
        max_examples: 0,
        max_response_bytes: 100_000,
        ..options(raw(true).await)
    };
    let run = verify(&api(), &opts).await.run;
    let step = &run.cases[0].steps[0];
    // The target answered: the answer fails, as in `cartwright run`.
    assert_eq!(step.status, Status::Failed);
    assert_eq!(
        step.reason.as_deref(),
        Some("answer larger than 100000 bytes (the bound set by --max-response-bytes)")
    );
}
