//! The repository's REST scenarios run against a server that is not a cartwright mock (the
//! mock's API behind a server without its admin API): they pass, and in those with mock-only
//! steps each such step, and every step that needs what one would have given, is skipped
//! with its reason. Against the mock itself the same scenarios run every step.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cartwright_diag::Sources;
use cartwright_mock::{Config, Mock};
use cartwright_outcome::{Run, Status};
use cartwright_scenario::snapshot::Mode;
use cartwright_scenario::{Loaded, Options};
use cartwright_source::Reader;
use cartwright_spec::LoadOptions;
use serde_json::Value;

use super::serve::without_admin;

/// The shared secret and JWT key the scenarios are written for (as in `tests/scenarios.rs`).
const SHARED: &str = "SharedSecretExample1234";
const JWT_KEY: &str = "scenario-signing-key-0123456789abcdef";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn spec(name: &str) -> cartwright_model::Api {
    let path = repo().join("specs").join(format!("{name}.yaml"));
    cartwright_spec::load(&path, &LoadOptions::default(), &mut Sources::new())
        .expect("spec loads")
        .api
}

/// Every REST scenario, and whether it has mock-only steps (directly or through an include).
fn rest_scenarios() -> Vec<(Loaded, bool)> {
    let mut out = Vec::new();
    for api in [
        "centra-checkout",
        "vendo-storefront",
        "storefront-v2-jwt",
        "websale-storefront",
    ] {
        let dir = repo().join("scenarios").join(api);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("folder")
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        let shared = Arc::new(spec(api));
        for file in files {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with('_') || !name.ends_with(".yaml") {
                continue;
            }
            let loaded = cartwright_scenario::load(&file, &Reader::new(), &mut Sources::new())
                .expect("parses");
            let drives = loaded.flows.files().any(|(_, p)| {
                p.is_ok_and(|p| {
                    p.scenario
                        .steps
                        .iter()
                        .any(|s| s.mock().is_some() || s.mock_only)
                })
            });
            let loaded = Loaded {
                api: Some(shared.clone()),
                api_name: api.into(),
                ..loaded
            };
            out.push((loaded, drives));
        }
    }
    out
}

async fn mock() -> cartwright_mock::Running {
    let specs = [
        "centra-checkout",
        "vendo-storefront",
        "storefront-v2-jwt",
        "websale-storefront",
    ]
    .into_iter()
    .map(spec)
    .collect();
    let config = Config {
        log_requests: false,
        secrets: vec![
            ("shared".into(), SHARED.into()),
            ("jwt".into(), JWT_KEY.into()),
        ],
        ..Config::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    cartwright_mock::serve(
        Arc::new(Mock::new(specs, config)),
        listener,
        std::future::pending(),
    )
    .expect("serve")
}

async fn run(target: String) -> Run {
    let mut opts: Options = super::running::options(&target, &repo(), Mode::Locked);
    opts.snapshot_root = repo().join("snapshots");
    opts.vars
        .insert("shared_secret".into(), Value::from(SHARED));
    let loaded = rest_scenarios().into_iter().map(|(l, _)| l).collect();
    cartwright_scenario::run(loaded, &opts, |_| {}).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scenarios_pass_against_another_server_with_the_skips_named() {
    let running = mock().await;
    let run = run(without_admin(format!("http://{}", running.addr)).await).await;
    let report = cartwright_report::terminal(&run, false);
    let drives: Vec<bool> = rest_scenarios().into_iter().map(|(_, d)| d).collect();
    assert!(drives.iter().filter(|d| **d).count() >= 6, "{report}");
    for (case, drives) in run.cases.iter().zip(drives) {
        assert!(
            matches!(case.status(), Status::Passed | Status::Skipped),
            "{report}"
        );
        let skipped: Vec<_> = case
            .steps
            .iter()
            .filter(|s| s.status == Status::Skipped && !own_condition(s))
            .collect();
        assert_eq!(!skipped.is_empty(), drives, "{}: {report}", case.name);
        assert!(skipped.iter().all(|s| s.reason.is_some()), "{report}");
    }
    let reasons: Vec<&str> = run
        .cases
        .iter()
        .flat_map(|c| &c.steps)
        .filter_map(|s| s.reason.as_deref())
        .collect();
    assert!(
        reasons.iter().any(|r| r.contains("CARTWRIGHT_VAR_code")),
        "{report}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("moves only the cartwright mock's clock")),
        "{report}"
    );
    // Every report says which steps were skipped and why, and the run exits 0.
    assert_eq!(
        cartwright_report::exit_code(&run),
        cartwright_report::Exit::Passed
    );
    assert!(report.contains("skipped: mock-only step"), "{report}");
    let junit = cartwright_report::junit(&run);
    assert!(
        junit.contains("<system-out>skipped: ") && junit.contains("CARTWRIGHT_VAR_code"),
        "{junit}"
    );
    let json = cartwright_report::json(&run);
    assert!(
        json.contains("\"skipped\"") && json.contains("moves only the cartwright mock's clock"),
        "{json}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn against_the_mock_the_same_scenarios_run_every_step() {
    let running = mock().await;
    let run = run(format!("http://{}", running.addr)).await;
    let report = cartwright_report::terminal(&run, false);
    for case in &run.cases {
        assert_eq!(case.status(), Status::Passed, "{report}");
        assert!(
            case.steps
                .iter()
                .all(|s| s.status == Status::Passed || own_condition(s)),
            "{report}"
        );
    }
}

/// A step a scenario's own `skip_if` skipped (a store setting left out), which skips alike
/// on every target.
fn own_condition(s: &cartwright_outcome::Step) -> bool {
    s.status == Status::Skipped
        && s.reason
            .as_deref()
            .is_some_and(|r| r.starts_with("skip_if "))
}
