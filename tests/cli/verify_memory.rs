//! `verify` against a server that answers every request with a 1 GB chunked body: each
//! answer is read up to `--max-response-bytes` and failed by name, and the whole run stays
//! small. The peak memory is read from `/proc/PID/status` (`VmHWM`, the resident high-water
//! mark) while the child runs: the workspace forbids `unsafe`, which `getrusage` needs.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::spawn::bin;

/// A gigabyte, in 64 KiB chunks.
const CHUNKS: usize = 1 << 14;

/// A server answering every request with a 1 GB chunked JSON body.
fn streaming() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || serve(conn));
        }
    });
    url
}

fn serve(mut conn: std::net::TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && conn.read(&mut byte).is_ok_and(|n| n == 1) {
        head.push(byte[0]);
    }
    let start = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                  transfer-encoding: chunked\r\nconnection: close\r\n\r\n1\r\n[\r\n";
    if conn.write_all(start).is_err() {
        return;
    }
    // A JSON array that never closes: 64 KiB of `1,` per chunk.
    let chunk = format!("10000\r\n{}\r\n", "1,".repeat(0x8000));
    // Until a gigabyte is sent or the client hangs up.
    for _ in 0..CHUNKS {
        if conn.write_all(chunk.as_bytes()).is_err() {
            return;
        }
    }
}

/// The resident high-water mark of a running process, in KiB.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn verify_against_a_1_gb_stream_fails_by_the_bound_in_little_memory() {
    let target = streaming();
    let start = Instant::now();
    let mut child = bin()
        .args([
            "verify",
            "tests/cli/verify/stream.yaml",
            "--target",
            &target,
        ])
        .args(["--seed", "7"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let pid = child.id();
    // Each pipe drained on its own thread, so neither fills while the other is read.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_string(&mut text);
            }
            text
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let mut peak = 0;
    let status = loop {
        peak = peak.max(peak_kib(pid).unwrap_or(0));
        if let Some(status) = child.try_wait().expect("waits") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let took = start.elapsed();
    let said = format!(
        "{}{}",
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default()
    );
    eprintln!(
        "verify against a 1 GB stream: {took:?}, peak {} MiB",
        peak / 1024
    );
    assert_eq!(status.code(), Some(1), "{said}");
    assert!(said.contains("larger than"), "{said}");
    assert!(peak > 0, "no memory reading");
    // Far under the gigabyte a buffered answer would take. The bound leaves room for what
    // is not the answer: the debug binary's resident code (its text is over 50 MiB) and the
    // pages the allocator keeps, which together varied from 80 to 101 MiB between runs.
    assert!(peak < 200 * 1024, "peak {peak} KiB\n{said}");
}
