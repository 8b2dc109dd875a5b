//! Hostile scenario files: includes that leave the scenario root or lead to a device, and
//! files over the bound. None is read; each is an error naming the file and why.

use std::collections::BTreeSet;
use std::path::Path;

use cartwright_diag::{Diagnostic, Sources};
use cartwright_scenario::{Loader, lint};
use cartwright_source::{Limit, Reader};

fn scenario_including(dir: &Path, target: &str) -> std::path::PathBuf {
    let main = dir.join("shop/main.yaml");
    std::fs::create_dir_all(dir.join("shop")).expect("mkdir");
    let text = format!("name: main\nsteps:\n  - include: {{file: '{target}'}}\n");
    std::fs::write(&main, text).expect("write");
    main
}

const FLOW: &str = "name: flow\nsteps:\n  - request: {path: /a}\n";

fn lint_with(loader: &mut Loader<'_>, main: &Path) -> Vec<Diagnostic> {
    let mut sources = Sources::new();
    let loaded = loader.load(main, &mut sources).expect("the scenario loads");
    lint(&loaded, &BTreeSet::new(), &sources)
}

#[test]
fn an_include_leaving_the_scenario_root_is_a_lint_error_and_is_not_read() {
    let dir = tempfile::tempdir().expect("tmp");
    let outside = dir.path().join("_outside.yaml");
    std::fs::write(&outside, FLOW).expect("write");
    let main = scenario_including(dir.path(), "../_outside.yaml");
    let reader = Reader::new();
    let errs = lint_with(
        &mut Loader::new(&reader).within(&dir.path().join("shop")),
        &main,
    );
    let e = errs.iter().find(|d| d.is_error()).expect("an error");
    assert!(
        e.message.contains("outside the scenario root"),
        "{}",
        e.message
    );
    assert!(e.message.contains("_outside.yaml"), "{}", e.message);
    assert_eq!(reader.reads(&dir.path().join("shop/../_outside.yaml")), 0);
    // Given the parent as the root, the same include is inside and is read.
    let reader = Reader::new();
    let errs = lint_with(&mut Loader::new(&reader).within(dir.path()), &main);
    assert!(!errs.iter().any(Diagnostic::is_error), "{errs:?}");
}

#[test]
fn an_absolute_include_is_refused_even_without_a_root() {
    let dir = tempfile::tempdir().expect("tmp");
    let main = scenario_including(dir.path(), "/etc/passwd");
    let reader = Reader::new();
    let errs = lint_with(&mut Loader::new(&reader), &main);
    let e = errs.iter().find(|d| d.is_error()).expect("an error");
    assert!(
        e.message.contains("outside the scenario root"),
        "{}",
        e.message
    );
    assert!(
        !e.message.contains("root:x:0"),
        "nothing of the file is shown"
    );
    assert_eq!(reader.reads(Path::new("/etc/passwd")), 0);
}

#[test]
fn an_include_of_dev_zero_inside_the_root_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let main = scenario_including(dir.path(), "/dev/zero");
    let reader = Reader::new();
    let errs = lint_with(&mut Loader::new(&reader).within(Path::new("/")), &main);
    // "Not a regular file" is said only from the file's metadata, before it is opened: the
    // endless device was never read.
    let e = errs.iter().find(|d| d.is_error()).expect("an error");
    assert!(e.message.contains("/dev/zero"), "{}", e.message);
    assert!(e.message.contains("not a regular file"), "{}", e.message);
}

#[test]
fn scenario_and_include_files_over_the_bound_are_refused_naming_file_and_bound() {
    let dir = tempfile::tempdir().expect("tmp");
    let main = scenario_including(dir.path(), "_big.yaml");
    let big = format!("{FLOW}# {}\n", "x".repeat(2048));
    std::fs::write(dir.path().join("shop/_big.yaml"), big).expect("write");
    let limit = Limit {
        bytes: 1024,
        flag: "--max-scenario-bytes",
    };
    let reader = Reader::with_limit(limit);
    let errs = lint_with(&mut Loader::new(&reader), &main);
    let e = errs.iter().find(|d| d.is_error()).expect("an error");
    assert!(e.message.contains("_big.yaml"), "{}", e.message);
    assert!(
        e.message
            .contains("larger than 1024 bytes (the bound set by --max-scenario-bytes)"),
        "{}",
        e.message
    );
    let tiny = Reader::with_limit(Limit { bytes: 16, ..limit });
    let refused = Loader::new(&tiny)
        .load(&main, &mut Sources::new())
        .expect_err("the scenario itself is bounded");
    assert_eq!(refused[0].code, "too-large");
    assert!(
        refused[0].message.contains("main.yaml"),
        "{}",
        refused[0].message
    );
}

#[test]
fn snapshot_names_must_be_plain_and_lint_says_so() {
    use cartwright_scenario::snapshot::plain_name;
    for ok in ["cart", "cart-2", "after_login.v2"] {
        assert!(plain_name(ok).is_ok(), "{ok}");
    }
    for bad in ["../../../tmp/x", "a/b", "", ".hidden", "a\\b", "/etc/x"] {
        assert!(plain_name(bad).is_err(), "{bad}");
    }
    let dir = tempfile::tempdir().expect("tmp");
    let main = dir.path().join("main.yaml");
    let text = "name: s\nsteps:\n  - request: {path: /a}\n    snapshot: ../../../tmp/x\n  - request: {path: /b}\n    snapshot: {name: a/b}\n";
    std::fs::write(&main, text).expect("write");
    let reader = Reader::new();
    let errs = lint_with(&mut Loader::new(&reader), &main);
    let at: Vec<_> = errs
        .iter()
        .filter(|d| d.is_error() && d.message.contains("not a plain name"))
        .filter_map(|d| d.pointer.clone())
        .collect();
    assert_eq!(
        at,
        ["/steps/0/snapshot", "/steps/1/snapshot/name"],
        "{errs:?}"
    );
}

#[test]
fn the_snapshot_writer_refuses_a_path_leaving_the_snapshots_folder() {
    use cartwright_scenario::snapshot::{File, Mode};
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("snapshots");
    let escaped = dir.path().join("escaped");
    let file = File {
        root: root.clone(),
        path: root.join("api/s__../../../../escaped.snap"),
        source: "s.yaml".into(),
        expression: "GET /a".into(),
    };
    for mode in [Mode::Review, Mode::Update] {
        let Err(err) = file.compare("{}", mode) else {
            panic!("written outside snapshots/ in {mode:?}");
        };
        assert!(
            err.to_string().contains("outside the snapshots folder"),
            "{err}"
        );
    }
    assert!(
        !escaped.with_extension("snap").exists(),
        "nothing written beside snapshots/"
    );
    assert!(!dir.path().join("escaped.snap.new").exists());
    let inside = File {
        path: root.join("api/s__cart.snap"),
        ..file
    };
    assert!(inside.compare("{}", Mode::Update).is_ok());
    assert!(root.join("api/s__cart.snap").exists());
}
