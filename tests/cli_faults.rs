//! `cartwright mock` flags for slow and failing answers: `--latency`, `--chaos`,
//! `--dribble`, `--max-delay`, each refused with its reason when malformed and acted on
//! over HTTP when well-formed.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cartwright"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    c
}

/// A `cartwright mock` with extra flags, killed on drop; `.1` is its URL.
struct Mock(Child, String);

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn mock(args: &[&str]) -> Mock {
    let child = bin()
        .args([
            "mock",
            "specs/centra-checkout.yaml",
            "--port",
            "0",
            "--quiet",
        ])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    let mut m = Mock(child, String::new());
    let stdout = m.0.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    while let Some(Ok(line)) = lines.next() {
        if let Some(rest) = line.strip_prefix("listening on ") {
            m.1 = rest.split_whitespace().next().unwrap_or("").to_owned();
            std::thread::spawn(move || lines.for_each(drop));
            return m;
        }
    }
    panic!("the mock printed no URL");
}

/// Sends a request; its status, body and how long it took.
fn send(method: &str, url: &str, prefer: Option<&str>) -> (u16, String, Duration) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(async {
            let started = Instant::now();
            let client = reqwest::Client::new();
            let mut req = client.request(method.parse().expect("method"), url);
            if let Some(p) = prefer {
                req = req.header("prefer", p);
            }
            let res = req.send().await.expect("request");
            let status = res.status().as_u16();
            let body = res.text().await.expect("body");
            (status, body, started.elapsed())
        })
}

#[test]
fn malformed_flags_are_refused_with_their_reason() {
    for (flag, value, reason) in [
        ("--latency", "gaussian:10ms", "unknown latency `gaussian`"),
        (
            "--latency",
            "uniform:300ms..100ms",
            "lower bound is above the upper",
        ),
        ("--chaos", "150%", "not between 0% and 100%"),
        ("--dribble", "0/1s", "not a number of chunks"),
        ("--max-delay", "soon", "not a duration"),
    ] {
        let out = bin()
            .args([
                "mock",
                "specs/centra-checkout.yaml",
                "--port",
                "0",
                flag,
                value,
            ])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(reason), "{flag} {value}: {stderr}");
    }
}

#[test]
fn latency_delays_answers_and_max_delay_caps_what_clients_ask() {
    let m = mock(&["--latency", "fixed:300ms", "--max-delay", "1s"]);
    let selection = format!("{}/api/checkout/selection", m.1);
    let (status, _, took) = send("GET", &selection, None);
    assert_eq!(status, 200);
    assert!(took >= Duration::from_millis(300), "{took:?}");
    let (status, body, _) = send("GET", &selection, Some("delay=2000"));
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("1000 ms"), "{body}");
}

#[test]
fn documented_latency_follows_the_centra_documentation() {
    let m = mock(&["--latency", "documented"]);
    // "/payment and /payment-result … may take longer", drawn from 100 to 250 ms.
    let (_, _, took) = send("POST", &format!("{}/api/checkout/payment", m.1), None);
    assert!(took >= Duration::from_millis(100), "{took:?}");
}

#[test]
fn full_chaos_answers_only_what_the_operation_declares() {
    let m = mock(&["--chaos", "100%", "--chaos-seed", "4"]);
    let (status, body, _) = send("GET", &format!("{}/api/checkout/selection", m.1), None);
    // getSelection declares neither 429 nor 503: a problem 503.
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("chaos"), "{body}");
}
