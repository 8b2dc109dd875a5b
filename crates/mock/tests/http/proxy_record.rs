//! `--record`: what the proxy saw becomes an overlay of named examples, secrets redacted and
//! off-contract answers left out; the spec with that overlay then serves them.

use std::path::PathBuf;
use std::sync::Arc;

use cartwright_diag::Sources;
use cartwright_mock::{Config, RECORDING, Recorder};
use cartwright_spec::LoadOptions;
use serde_json::{Value, json};

use super::proxy_upstream::{TOKEN, proxying, upstream};
use super::start_api;

/// A fresh folder under the system's temporary one.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cartwright-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn spec_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/proxy.yaml")
}

/// The spec loaded with an overlay, and the warnings it gave.
fn load_with(overlay: &std::path::Path) -> (cartwright_model::Api, Vec<String>) {
    let mut sources = Sources::new();
    let options = LoadOptions {
        overlay: Some(overlay.to_path_buf()),
        ..LoadOptions::default()
    };
    let loaded = cartwright_spec::load(&spec_path(), &options, &mut sources).expect("loads");
    let warnings = loaded
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.pointer.as_deref().unwrap_or(""), d.message))
        .collect();
    (loaded.api, warnings)
}

#[tokio::test]
async fn a_recording_replays_through_the_overlay_with_secrets_redacted() {
    let dir = folder("record");
    let up = upstream().await;
    let recorder = Arc::new(Recorder::open(&dir).expect("opens"));
    let mock = proxying(&up.url, |p| p.record = Some(recorder.clone())).await;
    let get = |path: &str| mock.client.get(format!("{}{path}", mock.base)).send();
    get("/products/1").await.expect("answer");
    get("/products/1").await.expect("answer");
    get("/products/2").await.expect("answer");
    let res = mock
        .client
        .post(format!("{}/login", mock.base))
        .json(&json!({"email": "ann@example.com", "password": "hunter22"}))
        .send()
        .await
        .expect("answer");
    let live: Value = res.json().await.expect("JSON");
    assert_eq!(live["token"], TOKEN, "the client gets the real token");
    let entries = mock.mock.journal().recent(10);
    let notes: Vec<_> = entries
        .iter()
        .map(|e| e.proxy.clone().expect("proxied"))
        .collect();
    assert_eq!(notes[0].recorded.as_deref(), Some("recorded-1"));
    assert_eq!(
        notes[1].recorded.as_deref(),
        Some("recorded-1"),
        "the same body is kept once"
    );
    assert_eq!(notes[2].recorded, None);
    let why = notes[2].not_recorded.as_deref().expect("a reason");
    assert!(
        why.contains("breaks the contract") && why.contains("/id"),
        "{why}"
    );
    let file = dir.join(RECORDING);
    let text = std::fs::read_to_string(&file).expect("written");
    assert!(!text.contains(TOKEN), "{text}");
    assert!(
        !text.contains("two"),
        "the off-contract body is not recorded: {text}"
    );
    assert!(
        text.contains("$.paths['/products/{id}'].get.responses['200'].content['application/json']"),
        "{text}"
    );

    let (api, warnings) = load_with(&file);
    assert!(warnings.is_empty(), "{warnings:?}");
    let replay = start_api(api, Config::default()).await;
    let body: Value = replay
        .client
        .get(format!("{}/products/9", replay.base))
        .header("prefer", "example=recorded-1")
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("JSON");
    assert_eq!(body, json!({"id": 1, "name": "Tea", "price": 3.5}));
    let res = replay
        .client
        .post(format!("{}/login", replay.base))
        .header("prefer", "example=recorded-1")
        .json(&json!({"email": "ann@example.com"}))
        .send()
        .await
        .expect("answer");
    let body: Value = res.json().await.expect("JSON");
    assert_eq!(body["token"], "[redacted]");
    assert_eq!(body["customer"]["email"], "ann@example.com");
    assert_eq!(body["customer"]["note"], "[redacted]");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_overlay_example_that_breaks_the_schema_is_refused_with_where_and_why() {
    let dir = folder("bad-example");
    std::fs::create_dir_all(&dir).expect("folder");
    let file = dir.join("bad.overlay.yaml");
    std::fs::write(
        &file,
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: \"$.paths['/products/{id}'].get.responses['200'].content['application/json']\"\n    update:\n      examples:\n        good: {value: {id: 1, name: Tea, price: 1}}\n        bad: {value: {id: one, name: Tea, price: 1}}\n",
    )
    .expect("written");
    let (api, warnings) = load_with(&file);
    let bad = warnings
        .iter()
        .find(|w| w.contains("`bad`"))
        .unwrap_or_else(|| panic!("{warnings:?}"));
    assert!(bad.contains("/examples/bad"), "{bad}");
    assert!(bad.contains("at `/id`"), "{bad}");
    let op = api
        .operations
        .iter()
        .find(|o| o.id == "getProduct")
        .expect("op");
    let names: Vec<&str> = op.responses[0].content[0]
        .examples
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(names, ["good"]);
    let _ = std::fs::remove_dir_all(&dir);
}
