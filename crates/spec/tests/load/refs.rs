use std::path::{Path, PathBuf};

use cartwright_diag::Sources;
use cartwright_spec::{LoadOptions, load};
use serde_json::json;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn refs_to_relative_files_and_cycles_resolve() {
    let mut sources = Sources::new();
    let loaded = load(
        &fixture("split/main.yaml"),
        &LoadOptions::default(),
        &mut sources,
    )
    .expect("loads");
    let api = loaded.api;
    assert_eq!(
        api.base_paths,
        ["/api/v1"],
        "server variables take their defaults"
    );
    let op = api.operation("getCategory").expect("operation");
    assert_eq!(op.parameters[0].name, "id");
    let id = op.parameters[0].schema.as_ref().expect("compiled");
    assert!(id.is_valid(&json!("c12")) && !id.is_valid(&json!("x")));
    let body = op.responses[0].content[0]
        .schema
        .as_ref()
        .expect("compiled");
    let tree = json!({"id": "c1", "name": "root", "children": [{"id": "c2", "name": "leaf", "children": []}]});
    assert!(body.is_valid(&tree));
    let bad = json!({"id": "c1", "name": "root", "children": [{"id": "nope", "name": "leaf", "children": []}]});
    let v = body.violations(&bad);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].instance, "/children/0/id");
}

#[test]
fn a_missing_referenced_file_is_an_error_at_the_ref() {
    let mut sources = Sources::new();
    let diags = load(
        &fixture("dangling-file.yaml"),
        &LoadOptions::default(),
        &mut sources,
    )
    .expect_err("refused");
    let d = diags
        .iter()
        .find(|d| d.code == "io")
        .expect("io diagnostic");
    assert!(d.message.contains("missing.yaml"), "{}", d.message);
    let span = d.span.as_ref().expect("placed at the $ref");
    assert_eq!(
        (span.start.line, span.start.column),
        (11, 30),
        "the quoted ref value"
    );
}
