//! What HTTP/1 costs without hyper: requests read with `httparse` and answered with the same
//! fixed bytes and headers as `cartwright-bench-plain`, several answers to pipelined requests
//! sent in one write. A measuring stick for how much of a request's cost is hyper's general
//! machinery (its dispatcher, header map, body channel and buffers), not a server to serve
//! with: no chunked bodies, no `Expect`, no HTTP/2, no timeouts.
//!
//! Usage: `cartwright-bench-raw PORT BODY_FILE`

use std::time::SystemTime;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The most headers a request may carry here (hyper's default is 100; wrk sends a handful).
const MAX_HEADERS: usize = 32;

/// The most bytes a request (head and body) may take here: beyond it the connection is
/// closed, so a client that never finishes one cannot grow the buffer without end.
const MAX_REQUEST: usize = 64 * 1024;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let port: u16 = args.next().and_then(|p| p.parse().ok()).unwrap_or(4020);
    let body: &'static [u8] = Vec::leak(
        args.next()
            .map(std::fs::read)
            .transpose()?
            .unwrap_or_else(|| b"{}".to_vec()),
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let _ = serve(stream, body).await;
        });
    }
}

/// Answers every request on one connection until the client closes it or sends what this
/// server does not read.
async fn serve(mut stream: TcpStream, body: &[u8]) -> std::io::Result<()> {
    let mut input: Vec<u8> = Vec::with_capacity(8192);
    let mut output: Vec<u8> = Vec::with_capacity(8192);
    let mut date = Date::default();
    loop {
        let mut used = 0;
        while let Some(n) = request_len(&input[used..]) {
            used += n?;
            answer(&mut output, body, date.now());
        }
        input.drain(..used);
        if input.len() >= MAX_REQUEST {
            return Err(std::io::Error::other("request larger than MAX_REQUEST"));
        }
        if !output.is_empty() {
            stream.write_all(&output).await?;
            output.clear();
        }
        if input.capacity() - input.len() < 4096 {
            input.reserve(8192);
        }
        if stream.read_buf(&mut input).await? == 0 {
            return Ok(());
        }
    }
}

/// The length of the whole request (head and body) at the start of `buf`, `None` while it is
/// incomplete, an error for what cannot be read or is over [`MAX_REQUEST`].
fn request_len(buf: &[u8]) -> Option<std::io::Result<usize>> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    let head = match req.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return None,
        Err(e) => return Some(Err(std::io::Error::other(e))),
    };
    let mut length = 0usize;
    for h in req.headers.iter() {
        if h.name.eq_ignore_ascii_case("content-length") {
            match std::str::from_utf8(h.value)
                .ok()
                .and_then(|v| v.parse().ok())
            {
                Some(n) => length = n,
                None => return Some(Err(std::io::Error::other("bad content-length"))),
            }
        }
    }
    if length > MAX_REQUEST - head.min(MAX_REQUEST) {
        return Some(Err(std::io::Error::other(
            "request larger than MAX_REQUEST",
        )));
    }
    (buf.len() >= head + length).then_some(Ok(head + length))
}

/// Appends one answer: the headers `cartwright-bench-plain` sends, then `body`.
fn answer(out: &mut Vec<u8>, body: &[u8], date: &[u8]) {
    out.extend_from_slice(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ");
    out.extend_from_slice(body.len().to_string().as_bytes());
    out.extend_from_slice(b"\r\ndate: ");
    out.extend_from_slice(date);
    out.extend_from_slice(b"\r\n\r\n");
    out.extend_from_slice(body);
}

/// The `Date` header's text, made again only when the second changes (as hyper does).
#[derive(Default)]
struct Date {
    second: u64,
    text: String,
}

impl Date {
    fn now(&mut self) -> &[u8] {
        let now = SystemTime::now();
        let second = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        if second != self.second || self.text.is_empty() {
            self.second = second;
            self.text = httpdate::fmt_http_date(now);
        }
        self.text.as_bytes()
    }
}
