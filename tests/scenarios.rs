//! Every scenario in `scenarios/` runs against the mock of its spec and passes, with its
//! committed snapshots and nothing written (as on CI).

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use cartwright_diag::Sources;
use cartwright_mock::{Config, Mock};
use cartwright_outcome::Status;
use cartwright_scenario::send::Masker;
use cartwright_scenario::snapshot::{Mode, pending_under};
use cartwright_scenario::{Loaded, Options};
use cartwright_source::Reader;
use cartwright_spec::LoadOptions;
use serde_json::{Map, Value};

/// The folder of the GraphQL API's scenarios (`specs/centra-storefront.graphql`).
const GRAPHQL: &str = "centra-storefront";

/// The shared secret the Centra scenarios send (their `shared_secret` variable's default).
const SHARED: &str = "SharedSecretExample1234";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if name.ends_with(".yaml") && !name.starts_with('_') {
            out.push(p);
        }
    }
}

fn api(name: &str) -> Arc<cartwright_model::Api> {
    let path = root().join("specs").join(format!("{name}.yaml"));
    let loaded = cartwright_spec::load(&path, &LoadOptions::default(), &mut Sources::new())
        .expect("spec loads");
    Arc::new(loaded.api)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_seed_scenario_passes_against_the_mock() {
    let mut files = Vec::new();
    yaml_files(&root().join("scenarios"), &mut files);
    // The GraphQL API's flows run against the GraphQL mock, below.
    files.retain(|f| !f.starts_with(root().join("scenarios").join(GRAPHQL)));
    assert!(files.len() >= 6, "the seed flows are there: {files:?}");
    let mut loaded = Vec::new();
    let mut apis = Vec::new();
    for file in &files {
        let api_name = file
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .expect("in a folder")
            .to_owned();
        let mut sources = Sources::new();
        let l = cartwright_scenario::load(file, &Reader::new(), &mut sources)
            .unwrap_or_else(|d| panic!("{}", cartwright_diag::render_all(&d, &sources, false)));
        let api = api(&api_name);
        let l = Loaded {
            api: Some(api.clone()),
            api_name: api_name.clone(),
            ..l
        };
        let found = cartwright_scenario::lint(&l, &Default::default(), &sources);
        assert!(
            found.is_empty(),
            "{}",
            cartwright_diag::render_all(&found, &sources, false)
        );
        if !apis.iter().any(|(n, _)| *n == api_name) {
            apis.push((api_name.clone(), api.clone()));
        }
        loaded.push(l);
    }
    let specs: Vec<cartwright_model::Api> = apis
        .iter()
        .map(|(n, _)| {
            let path = root().join("specs").join(format!("{n}.yaml"));
            cartwright_spec::load(&path, &LoadOptions::default(), &mut Sources::new())
                .expect("loads")
                .api
        })
        .collect();
    let config = Config {
        log_requests: false,
        secrets: vec![
            ("shared".into(), SHARED.into()),
            ("jwt".into(), "scenario-signing-key-0123456789abcdef".into()),
        ],
        ..Config::default()
    };
    let mock = Arc::new(Mock::new(specs, config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let running = cartwright_mock::serve(mock, listener, std::future::pending()).expect("serve");
    let mut masker = Masker::default();
    masker.add(SHARED);
    let mut vars = Map::new();
    vars.insert("shared_secret".into(), Value::from(SHARED));
    let opts = Options {
        target: format!("http://{}", running.addr),
        vars,
        masker,
        snapshots: Mode::Locked,
        snapshot_root: root().join("snapshots"),
        jobs: 4,
        timeout: Duration::from_secs(10),
        admin_token: None,
        max_response_bytes: cartwright_http::MAX_BODY,
    };
    let run = cartwright_scenario::run(loaded, &opts, |_| {}).await;
    let report = cartwright_report::terminal(&run, false);
    for case in &run.cases {
        assert_eq!(case.status(), Status::Passed, "{report}");
    }
    assert!(
        run.cases
            .iter()
            .any(|c| c.steps.iter().any(|s| s.name.starts_with("mock advance"))),
        "clock scenarios ran too"
    );
    assert!(
        pending_under(&root().join("snapshots")).is_empty(),
        "no snapshot written"
    );
}

/// The Centra Storefront (GraphQL) flows pass against the GraphQL mock of its schema, with
/// its default tokens, which are the scenarios' own defaults.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_graphql_scenario_passes_against_the_graphql_mock() {
    let mut files = Vec::new();
    yaml_files(&root().join("scenarios").join(GRAPHQL), &mut files);
    assert!(
        files.len() >= 5,
        "each mode, the hand-over and the selection: {files:?}"
    );
    let mut loaded = Vec::new();
    for file in &files {
        let mut sources = Sources::new();
        let l = cartwright_scenario::load(file, &Reader::new(), &mut sources)
            .unwrap_or_else(|d| panic!("{}", cartwright_diag::render_all(&d, &sources, false)));
        let l = Loaded {
            api_name: GRAPHQL.into(),
            ..l
        };
        let found = cartwright_scenario::lint(&l, &Default::default(), &sources);
        assert!(
            found.is_empty(),
            "{}",
            cartwright_diag::render_all(&found, &sources, false)
        );
        loaded.push(l);
    }
    let (_running, target) = support::serve_graphql(GRAPHQL).await;
    let opts = Options {
        target,
        vars: Map::new(),
        masker: Masker::default(),
        snapshots: Mode::Locked,
        snapshot_root: root().join("snapshots"),
        jobs: 4,
        timeout: Duration::from_secs(10),
        admin_token: None,
        max_response_bytes: cartwright_http::MAX_BODY,
    };
    let run = cartwright_scenario::run(loaded, &opts, |_| {}).await;
    let report = cartwright_report::terminal(&run, false);
    assert_eq!(run.cases.len(), files.len());
    for case in &run.cases {
        assert_eq!(case.status(), Status::Passed, "{report}");
    }
}
