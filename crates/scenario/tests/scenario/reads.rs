//! A run reads each scenario file once, when it is loaded: steps keep their places from
//! parsing, and an included flow is parsed once however often it runs.

use std::time::Duration;

use cartwright_diag::Sources;
use cartwright_outcome::Status;
use cartwright_scenario::send::Masker;
use cartwright_scenario::snapshot::Mode;
use cartwright_scenario::{Loader, Options, load};
use cartwright_source::Reader;
use serde_json::Map;

const MAIN: &str = r#"name: reads
steps:
  - include: {file: _flow.yaml}
  - name: again, per item
    each: [1, 2]
    include: {file: _flow.yaml, with: {n: "{{ item }}"}}
  - include: {file: _flow.yaml}
  - name: last
    request: {path: /last}
    retry: {count: 2, interval: 1ms}
    assert: {status: 200}
"#;

const FLOW: &str = r#"name: flow
vars: {n: 0}
steps:
  - request: {path: "/flow/{{ n }}"}
    assert: {status: 200}
"#;

#[tokio::test]
async fn a_run_reads_each_scenario_file_once() {
    let target = crate::graphql::echo().await;
    let dir = tempfile::tempdir().expect("tmp");
    let main = dir.path().join("main.yaml");
    let flow = dir.path().join("_flow.yaml");
    std::fs::write(&main, MAIN).expect("write");
    std::fs::write(&flow, FLOW).expect("write");
    let reader = Reader::new();
    let loaded = load(&main, &reader, &mut Sources::new()).expect("loads");
    assert_eq!(reader.reads(&main), 1);
    assert_eq!(
        reader.reads(&flow),
        1,
        "four includes of one flow, one read"
    );
    // Nothing is left on disk to read: the run has all it needs from the load.
    std::fs::remove_file(&main).expect("rm");
    std::fs::remove_file(&flow).expect("rm");
    let opts = Options {
        target,
        vars: Map::new(),
        masker: Masker::default(),
        snapshots: Mode::Review,
        snapshot_root: dir.path().join("snapshots"),
        jobs: 1,
        timeout: Duration::from_secs(5),
        admin_token: None,
        max_response_bytes: cartwright_http::MAX_BODY,
    };
    let run = cartwright_scenario::run(vec![loaded], &opts, |_| {}).await;
    let case = &run.cases[0];
    assert_eq!(case.error, None);
    assert_eq!(case.steps.len(), 5, "{:?}", case.steps);
    assert!(
        case.steps.iter().all(|s| s.status == Status::Passed),
        "{:?}",
        case.steps
    );
    let place = |i: usize| {
        let s = case.steps[i].span.as_ref().expect("placed");
        (s.file.clone(), s.start.line)
    };
    let (main_name, flow_name) = (main.display().to_string(), flow.display().to_string());
    for i in 0..4 {
        assert_eq!(place(i), (flow_name.clone(), 4), "step {i} ran in the flow");
    }
    assert_eq!(place(4), (main_name, 8));
    assert_eq!(reader.reads(&main), 1);
    assert_eq!(reader.reads(&flow), 1);
}

#[test]
fn scenarios_sharing_a_flow_read_it_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let flow = dir.path().join("_flow.yaml");
    std::fs::write(&flow, FLOW).expect("write");
    let files: Vec<_> = ["a.yaml", "b.yaml"]
        .iter()
        .map(|name| {
            let path = dir.path().join(name);
            std::fs::write(&path, MAIN).expect("write");
            path
        })
        .collect();
    let reader = Reader::new();
    let mut loader = Loader::new(&reader);
    let mut sources = Sources::new();
    for file in &files {
        let loaded = loader.load(file, &mut sources).expect("loads");
        assert!(loaded.flows.get(&flow).is_some_and(|f| f.is_ok()));
    }
    for file in &files {
        assert_eq!(reader.reads(file), 1);
    }
    assert_eq!(
        reader.reads(&flow),
        1,
        "two scenarios, one read of their flow"
    );
}
