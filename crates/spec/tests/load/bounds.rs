//! Hostile specs: `$ref`s that leave the spec's folder, lead to a device, or are too large.

use std::path::{Path, PathBuf};

use cartwright_diag::{Diagnostic, Sources, render_all};
use cartwright_spec::{LoadOptions, load};

/// A fresh folder under the system temp dir, named for the test.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cartwright-bounds-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("api")).expect("mkdir");
    dir
}

/// A spec whose one response schema is `$ref: <target>`.
fn spec_with_ref(dir: &Path, target: &str) -> PathBuf {
    let spec = dir.join("api/spec.yaml");
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '{target}'\n"
    );
    std::fs::write(&spec, text).expect("write");
    spec
}

fn refused(spec: &Path, options: &LoadOptions) -> (Vec<Diagnostic>, String) {
    let mut sources = Sources::new();
    let diags = load(spec, options, &mut sources).expect_err("refused");
    let shown = render_all(&diags, &sources, false);
    (diags, shown)
}

#[test]
fn an_absolute_ref_is_refused_at_the_ref_without_reading_the_file() {
    let dir = folder("absolute");
    let secret = dir.join("secret.yaml");
    std::fs::write(&secret, "password: hunter2-do-not-print\n").expect("write");
    let spec = spec_with_ref(&dir, &secret.display().to_string());
    let (diags, shown) = refused(&spec, &LoadOptions::default());
    let d = diags
        .iter()
        .find(|d| d.code == "ref-outside")
        .expect("ref-outside");
    assert!(d.message.contains("absolute path"), "{}", d.message);
    assert_eq!(
        d.span.as_ref().map(|s| s.start.line),
        Some(12),
        "at the $ref"
    );
    assert!(
        !shown.contains("hunter2"),
        "the file's text is never shown: {shown}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_dotdot_ref_out_of_the_folder_is_refused_unless_allowed() {
    let dir = folder("dotdot");
    std::fs::write(
        dir.join("outside.yaml"),
        "S: {type: string, description: hunter2}\n",
    )
    .expect("write");
    let spec = spec_with_ref(&dir, "../outside.yaml#/S");
    let (diags, shown) = refused(&spec, &LoadOptions::default());
    let d = diags
        .iter()
        .find(|d| d.code == "ref-outside")
        .expect("ref-outside");
    assert!(
        d.message.contains("leads outside the spec's folder"),
        "{}",
        d.message
    );
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("--allow-ref-outside"))
    );
    assert!(!shown.contains("hunter2"), "{shown}");
    let allowed = LoadOptions {
        allow_ref_outside: true,
        ..LoadOptions::default()
    };
    assert!(
        load(&spec, &allowed, &mut Sources::new()).is_ok(),
        "read when allowed"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_ref_to_dev_zero_is_refused_at_once_even_when_outside_is_allowed() {
    let dir = folder("zero");
    let spec = spec_with_ref(&dir, "/dev/zero");
    let allowed = LoadOptions {
        allow_ref_outside: true,
        ..LoadOptions::default()
    };
    let (diags, _) = refused(&spec, &allowed);
    // "Not a regular file" is said only from the file's metadata, before it is opened: the
    // endless device was never read.
    let d = diags.iter().find(|d| d.code == "io").expect("io");
    assert!(d.message.contains("/dev/zero"), "{}", d.message);
    assert!(d.message.contains("not a regular file"), "{}", d.message);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_referenced_file_over_the_bound_is_refused_naming_it_and_the_bound() {
    let dir = folder("large");
    let big = format!(
        "S:\n  type: string\n  description: '{}'\n",
        "x".repeat(4096)
    );
    std::fs::write(dir.join("api/big.yaml"), big).expect("write");
    let spec = spec_with_ref(&dir, "big.yaml#/S");
    let small = LoadOptions {
        max_file_bytes: Some(1024),
        ..LoadOptions::default()
    };
    let (diags, _) = refused(&spec, &small);
    let d = diags
        .iter()
        .find(|d| d.code == "too-large")
        .expect("too-large");
    assert!(d.message.contains("big.yaml"), "{}", d.message);
    assert!(
        d.message
            .contains("larger than 1024 bytes (the bound set by --max-spec-bytes)"),
        "{}",
        d.message
    );
    assert!(load(&spec, &LoadOptions::default(), &mut Sources::new()).is_ok());
    let (diags, _) = refused(
        &spec,
        &LoadOptions {
            max_file_bytes: Some(64),
            ..LoadOptions::default()
        },
    );
    assert!(
        diags
            .iter()
            .any(|d| d.code == "too-large" && d.message.contains("spec.yaml")),
        "the spec itself is bounded too: {diags:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
