//! Every real-world spec in `tests/corpus/` loads: the valid ones without error, the broken
//! ones with diagnostics that name the place, and leniently with only the unsound operations
//! skipped.

use std::path::{Path, PathBuf};

use cartwright_diag::{Diagnostic, Sources, render_all};
use cartwright_spec::{LoadOptions, load};

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus")
        .join(name)
}

fn strict(name: &str) -> Result<usize, (Vec<Diagnostic>, Sources)> {
    let mut sources = Sources::new();
    match load(&corpus(name), &LoadOptions::default(), &mut sources) {
        Ok(l) => Ok(l.api.operations.len()),
        Err(d) => Err((d, sources)),
    }
}

fn lenient(name: &str) -> (usize, Vec<String>) {
    let mut sources = Sources::new();
    let loaded = load(
        &corpus(name),
        &LoadOptions {
            lenient: true,
            ..LoadOptions::default()
        },
        &mut sources,
    )
    .expect("lenient load serves what is sound");
    (
        loaded.api.operations.len(),
        loaded
            .api
            .skipped
            .iter()
            .map(|s| s.operation.clone())
            .collect(),
    )
}

#[test]
fn valid_specs_load_without_errors() {
    for (name, ops) in [
        ("spree-oauth.yml", 1),
        ("medusa-store-v2.full.yaml", 46),
        ("shopware-store-api.json", 113),
    ] {
        match strict(name) {
            Ok(n) => assert_eq!(n, ops, "{name}"),
            Err((d, sources)) => panic!("{name} failed:\n{}", render_all(&d, &sources, false)),
        }
    }
}

#[test]
fn dangling_ref_in_spree_v3_is_located_and_suggested() {
    let (diags, sources) = strict("spree-store-api-v3.yaml").expect_err("has a dangling $ref");
    let d = diags
        .iter()
        .find(|d| d.code == "ref-not-found")
        .expect("ref-not-found");
    assert!(d.message.contains("AdminUser"), "{}", d.message);
    let span = d.span.as_ref().expect("placed");
    assert!(span.file.ends_with("spree-store-api-v3.yaml"));
    let line = sources
        .get(&span.file)
        .expect("source")
        .lines()
        .nth(span.start.line - 1)
        .expect("line");
    assert!(line.contains("AdminUser"), "{line}");
    // The broken schema is not reachable from any operation, so leniently all 84 are sound.
    let (served, skipped) = lenient("spree-store-api-v3.yaml");
    assert_eq!((served, skipped.len()), (84, 0), "skipped {skipped:?}");
}

#[test]
fn undeclared_path_params_in_spree_v2_are_reported_per_operation() {
    let (diags, sources) =
        strict("spree-storefront-v2.yaml").expect_err("has undeclared path parameters");
    let undeclared: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.code == "undeclared-path-param")
        .collect();
    assert_eq!(
        undeclared.len(),
        6,
        "{}",
        render_all(&diags, &sources, false)
    );
    for d in &undeclared {
        let span = d.span.as_ref().expect("placed");
        let line = sources
            .get(&span.file)
            .expect("source")
            .lines()
            .nth(span.start.line - 1)
            .expect("line");
        assert!(
            ["get:", "post:", "patch:", "delete:", "put:"]
                .iter()
                .any(|m| line.trim_start().starts_with(m)),
            "{line}"
        );
    }
    let (served, skipped) = lenient("spree-storefront-v2.yaml");
    assert_eq!(served + skipped.len(), 74);
    assert_eq!(skipped.len(), 6, "{skipped:?}");
}
