//! `x-cartwright-faults` and `x-cartwright-latency` brought by an overlay: acted on when
//! they parse, refused at their pointer when they do not.

use std::path::PathBuf;
use std::time::Duration;

use cartwright_diag::Sources;
use cartwright_mock::Config;
use cartwright_spec::LoadOptions;

use super::faults::PACE;
use crate::start_api;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn load(overlay: &str) -> Result<cartwright_model::Api, Vec<cartwright_diag::Diagnostic>> {
    let options = LoadOptions {
        overlay: Some(fixture(overlay)),
        ..LoadOptions::default()
    };
    let path = fixture("pace.yaml");
    cartwright_spec::load_str(
        &path.display().to_string(),
        PACE,
        &options,
        &mut Sources::new(),
    )
    .map(|l| l.api)
}

#[tokio::test]
async fn an_overlay_paces_and_fails_the_operations_it_targets() {
    let api = load("pace.overlay.yaml").expect("overlay applies");
    let s = start_api(
        api,
        Config {
            stateless: true,
            ..Config::default()
        },
    )
    .await;
    for _ in 0..3 {
        let res = s
            .client
            .get(format!("{}/items", s.base))
            .send()
            .await
            .expect("answer");
        assert_eq!(res.status(), 429);
    }
    let started = std::time::Instant::now();
    let res = s
        .client
        .get(format!("{}/plain", s.base))
        .send()
        .await
        .expect("answer");
    // `/plain` declares its own 250 ms, over the document's 40 ms; no chaos there.
    assert_eq!(res.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(250));
}

#[test]
fn a_bad_value_is_refused_at_its_pointer() {
    let errors = load("pace.bad-overlay.yaml").expect_err("refused");
    let found = errors
        .iter()
        .find(|d| d.pointer.as_deref() == Some("/paths/~1items/get/x-cartwright-faults/chaos"))
        .unwrap_or_else(|| panic!("{errors:?}"));
    assert!(found.message.contains("200%"), "{}", found.message);
}
