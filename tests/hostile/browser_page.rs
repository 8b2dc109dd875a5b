//! The browser side of the Chromium test: a page served from its own origin (a port of its
//! own), a script that tries the mocks' admin APIs from it, and headless Chromium run on it
//! with a bounded wait.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long Chromium may take to load the page and run its script before it is killed.
const CHROMIUM_WAIT: Duration = Duration::from_secs(60);

/// The page's script: each attempt writes one `<div id=NAME>` with what it could read (the
/// status, the response type and the body) or the error `fetch` threw. `done` is written
/// last, so a page whose script stopped early is told from one whose fetches failed.
const SCRIPT: &str = r#"
const query = new URLSearchParams(location.search);
const REST = query.get('rest'), GQL = query.get('gql');
const out = document.getElementById('out');
function put(name, text) {
  const d = document.createElement('div');
  d.id = name;
  d.textContent = text;
  out.appendChild(d);
}
async function attempt(name, url, opts) {
  try {
    const r = await fetch(url, opts);
    let body = '';
    try { body = await r.text(); } catch (e) { body = 'unreadable ' + e; }
    put(name, 'read ' + r.status + ' ' + r.type + ' ' + body);
  } catch (e) {
    put(name, 'error ' + e);
  }
}
const text = (body) => ({method: 'POST', mode: 'no-cors', headers: {'content-type': 'text/plain'}, body});
const json = (body) => ({method: 'POST', headers: {'content-type': 'application/json'}, body});
const cred = {credentials: 'include'};
(async () => {
  await attempt('control', '/control');
  await attempt('rest-api', REST + '/api/v2/storefront/cart', {method: 'POST'});
  await attempt('rest-outbox', REST + '/__cartwright/outbox');
  await attempt('rest-outbox-cred', REST + '/__cartwright/outbox', cred);
  await attempt('rest-journal', REST + '/__cartwright/journal', cred);
  await attempt('rest-reset-text', REST + '/__cartwright/reset', text('{}'));
  await attempt('rest-clock-text', REST + '/__cartwright/clock', text('{"advance":"31d"}'));
  await attempt('rest-reset-json', REST + '/__cartwright/reset', json('{}'));
  await attempt('rest-clock-json', REST + '/__cartwright/clock', json('{"advance":"31d"}'));
  await attempt('gql-api', GQL + '/graphql', json('{"query":"{ __typename }"}'));
  await attempt('gql-health', GQL + '/__cartwright/health', cred);
  await attempt('gql-reset-text', GQL + '/__cartwright/reset', text('{}'));
  await attempt('gql-clock-text', GQL + '/__cartwright/clock', text('{"advance":"31d"}'));
  await attempt('gql-reset-json', GQL + '/__cartwright/reset', json('{}'));
  await attempt('gql-clock-json', GQL + '/__cartwright/clock', json('{"advance":"31d"}'));
  await attempt('gql-graphiql', GQL + '/graphql', {headers: {accept: 'text/html'}, credentials: 'include'});
  put('done', 'done');
})();
"#;

/// A page on an origin of its own: `/?rest=URL&gql=URL` is the page trying both mocks,
/// `/control` answers `nonce` (read same-origin, it shows the harness reads what it may).
pub(crate) struct Page {
    /// `http://127.0.0.1:PORT`, the page's origin.
    pub origin: String,
}

impl Page {
    /// Binds a port and serves the page from a thread that lives as long as the test.
    pub(crate) fn serve(nonce: &str) -> Page {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the page's origin");
        let origin = format!("http://{}", listener.local_addr().expect("address"));
        let html = format!(
            "<!doctype html><html><head><title>page</title></head><body>\
             <pre id=\"out\"></pre><script>{SCRIPT}</script></body></html>"
        );
        let nonce = nonce.to_owned();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                answer(stream, &html, &nonce);
            }
        });
        Page { origin }
    }
}

/// Reads one request head and answers it; the connection closes after.
fn answer(mut stream: TcpStream, html: &str, nonce: &str) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let line = String::from_utf8_lossy(&head);
    let target = line.split_whitespace().nth(1).unwrap_or("");
    let path = target.split('?').next().unwrap_or("");
    let (status, media, body) = match path {
        "/" => ("200 OK", "text/html; charset=utf-8", html),
        "/control" => ("200 OK", "text/plain", nonce),
        _ => ("404 Not Found", "text/plain", "not here"),
    };
    let reply = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {media}\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes());
}

/// Debian's `chromium` on `PATH`; the test fails (never skips) without it.
pub(crate) fn chromium() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromium"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "chromium is not on PATH: this test needs Debian's headless Chromium \
                 (`apt-get install -y chromium`; .ci/run installs it)"
            )
        })
}

/// Loads `url` in headless Chromium and returns the DOM after the page's script ran (up to
/// ten seconds of virtual time); Chromium is killed if it has not finished in a minute.
pub(crate) fn dump_dom(url: &str, profile: &Path) -> String {
    let out = profile.join("dom.html");
    let err = profile.join("chromium.log");
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.join("profile").display()
        ))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("dom file"))
        .stderr(std::fs::File::create(&err).expect("log file"))
        .spawn()
        .expect("chromium starts");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("chromium's status") {
            break status;
        }
        if start.elapsed() > CHROMIUM_WAIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium did not finish in {CHROMIUM_WAIT:?}: {}",
                tail(&err)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "chromium failed ({status}): {}",
        tail(&err)
    );
    std::fs::read_to_string(&out).expect("the dumped DOM")
}

/// The last lines Chromium logged, for a failure message.
fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// The text the script wrote for attempt `name`, or `None` when it wrote nothing.
pub(crate) fn outcome<'a>(dom: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<div id=\"{name}\">");
    let start = dom.find(&open)? + open.len();
    let len = dom[start..].find("</div>")?;
    Some(&dom[start..start + len])
}
