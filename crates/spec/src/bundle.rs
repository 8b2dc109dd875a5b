//! `$ref` resolution: external files are bundled into the root document so that every
//! reference becomes a local JSON pointer, and every reference is checked to exist.
//!
//! Bundling (rather than inlining) keeps cycles harmless: a cyclic schema stays a cycle of
//! pointers, which the validator and the value generator both follow lazily.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cartwright_diag::{Diagnostic, Sources, did_you_mean};
use serde_json::Value;

use cartwright_source::pointer::{push, unescape_fragment};
use cartwright_source::{self as source, Limit, SourceDoc};

use crate::LoadOptions;
use crate::confine::Confine;

/// Where bundled external documents live in the root document.
pub(crate) const BUNDLE_KEY: &str = "x-cartwright-bundle";

/// A file that contributed to the bundle: its name and the pointer prefix of its content.
#[derive(Debug, Clone)]
pub(crate) struct FilePart {
    /// The file name as shown in diagnostics.
    pub file: String,
    /// `""` for the root document, `/x-cartwright-bundle/N` for external ones.
    pub prefix: String,
}

/// The bundled document and what it is made of.
#[derive(Debug)]
pub(crate) struct Bundle {
    /// The root document with externals under [`BUNDLE_KEY`].
    pub doc: Value,
    /// The files, root first.
    pub files: Vec<FilePart>,
    /// Broken references and unreadable files.
    pub diagnostics: Vec<Diagnostic>,
}

struct Loader<'s> {
    sources: &'s mut Sources,
    docs: Vec<(PathBuf, SourceDoc)>,
    by_path: HashMap<PathBuf, usize>,
    diagnostics: Vec<Diagnostic>,
    confine: Confine,
    limit: Limit,
}

/// Bundles `root` (read from `path`) with every file it references, transitively.
pub(crate) fn bundle(
    path: &Path,
    root: SourceDoc,
    options: &LoadOptions,
    sources: &mut Sources,
) -> Bundle {
    let mut loader = Loader {
        sources,
        docs: vec![(path.to_path_buf(), root)],
        by_path: HashMap::new(),
        diagnostics: Vec::new(),
        confine: Confine::new(path, options.allow_ref_outside),
        limit: options.limit(),
    };
    loader.by_path.insert(canonical(path), 0);
    let mut i = 0;
    while i < loader.docs.len() {
        let mut value = std::mem::take(&mut loader.docs[i].1.value);
        let base = loader.docs[i].0.clone();
        let file = loader.docs[i].1.file.clone();
        rewrite(&mut value, &mut String::new(), &mut |ptr, r| {
            loader.rewrite_ref(&base, &file, i, ptr, r)
        });
        loader.docs[i].1.value = value;
        i += 1;
    }
    let mut docs = loader.docs.into_iter();
    let mut files = Vec::new();
    let Some((_, root)) = docs.next() else {
        return Bundle {
            doc: Value::Null,
            files,
            diagnostics: loader.diagnostics,
        };
    };
    files.push(FilePart {
        file: root.file.clone(),
        prefix: String::new(),
    });
    let mut doc = root.value;
    let externals: serde_json::Map<String, Value> = docs
        .enumerate()
        .map(|(n, (_, d))| {
            files.push(FilePart {
                file: d.file,
                prefix: format!("/{BUNDLE_KEY}/{}", n + 1),
            });
            ((n + 1).to_string(), d.value)
        })
        .collect();
    if !externals.is_empty()
        && let Some(obj) = doc.as_object_mut()
    {
        obj.insert(BUNDLE_KEY.to_owned(), Value::Object(externals));
    }
    let mut diagnostics = loader.diagnostics;
    check_targets(&doc, &files, &mut diagnostics);
    Bundle {
        doc,
        files,
        diagnostics,
    }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn prefix_of(index: usize) -> String {
    if index == 0 {
        String::new()
    } else {
        format!("/{BUNDLE_KEY}/{index}")
    }
}

impl Loader<'_> {
    /// Rewrites one `$ref` of document `doc` to a local pointer, loading its file if needed.
    fn rewrite_ref(
        &mut self,
        base: &Path,
        file: &str,
        doc: usize,
        at: &str,
        reference: &str,
    ) -> Option<String> {
        let (target, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if !fragment.is_empty() && !fragment.starts_with('/') {
            self.diagnostics.push(
                Diagnostic::error("ref-unsupported", format!("`$ref: {reference}` uses an anchor; only JSON pointer fragments are supported"))
                    .with_pointer(located(doc, at)),
            );
            return None;
        }
        let index = if target.is_empty() {
            doc
        } else if target.contains("://") {
            self.diagnostics.push(
                Diagnostic::error("ref-remote", format!("`$ref: {reference}` points to a remote document; cartwright reads only local files"))
                    .with_pointer(located(doc, at))
                    .with_help("download it next to the spec and refer to it by a relative path"),
            );
            return None;
        } else if let Some(why) = self.confine.refuse(base, target) {
            // The reference as written, never the file's text: it was not read.
            self.diagnostics.push(
                Diagnostic::error(
                    "ref-outside",
                    format!("`$ref: {reference}` is not read: {why}"),
                )
                .with_pointer(located(doc, at))
                .with_help("keep referenced files beside the spec, or pass --allow-ref-outside"),
            );
            return None;
        } else {
            let path = base.parent().unwrap_or(Path::new(".")).join(target);
            self.load(&path, file, &located(doc, at))?
        };
        let prefix = prefix_of(index);
        if prefix.is_empty() && target.is_empty() {
            return None;
        }
        Some(format!("#{prefix}{fragment}"))
    }

    fn load(&mut self, path: &Path, from: &str, at: &str) -> Option<usize> {
        // `at` is already a bundled pointer.
        let key = canonical(path);
        if let Some(i) = self.by_path.get(&key) {
            return Some(*i);
        }
        match source::read_bounded(path, self.limit, self.sources) {
            Ok(doc) => {
                self.docs.push((path.to_path_buf(), doc));
                let i = self.docs.len() - 1;
                self.by_path.insert(key, i);
                Some(i)
            }
            Err(d) => {
                let msg = format!("{} (referenced from {from})", d.message);
                self.diagnostics.push(
                    Diagnostic {
                        message: msg,
                        span: None,
                        ..d
                    }
                    .with_pointer(at),
                );
                None
            }
        }
    }
}

/// The bundled-document pointer of a `$ref` found at `pointer` in document `doc`.
fn located(doc: usize, pointer: &str) -> String {
    format!("{}{pointer}/$ref", prefix_of(doc))
}

/// Walks a value, calling `f` with each `$ref` string's owner pointer; replaces the string when `f` says so.
fn rewrite(value: &mut Value, ptr: &mut String, f: &mut dyn FnMut(&str, &str) -> Option<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref")
                && let Some(new) = f(ptr, r)
            {
                map.insert("$ref".to_owned(), Value::String(new));
            }
            for (k, v) in map.iter_mut() {
                let len = ptr.len();
                push(ptr, k);
                rewrite(v, ptr, f);
                ptr.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                let len = ptr.len();
                let _ = write!(ptr, "/{i}");
                rewrite(v, ptr, f);
                ptr.truncate(len);
            }
        }
        _ => {}
    }
}

/// Reports every local `$ref` whose target does not exist, with a did-you-mean among siblings.
fn check_targets(doc: &Value, files: &[FilePart], out: &mut Vec<Diagnostic>) {
    let mut refs = Vec::new();
    collect_refs(doc, &mut String::new(), &mut refs);
    for (at, reference) in refs {
        let Some(fragment) = reference.strip_prefix('#') else {
            continue;
        };
        let pointer = unescape_fragment(fragment);
        if doc.pointer(&pointer).is_some() {
            continue;
        }
        let (parent, name) = pointer.rsplit_once('/').unwrap_or(("", &pointer));
        let mut diag = Diagnostic::error(
            "ref-not-found",
            format!(
                "$ref target does not exist: {}",
                display_ref(&reference, files)
            ),
        )
        .with_pointer(format!("{at}/$ref"));
        let siblings = doc.pointer(parent).and_then(Value::as_object);
        if let Some(best) = siblings.and_then(|s| {
            did_you_mean(
                &cartwright_source::pointer::unescape(name),
                s.keys().map(String::as_str),
            )
        }) {
            diag = diag.with_help(format!("did you mean `{best}`?"));
        }
        out.push(diag);
    }
}

fn display_ref(reference: &str, files: &[FilePart]) -> String {
    for part in files.iter().skip(1) {
        if let Some(rest) = reference.strip_prefix(&format!("#{}", part.prefix)) {
            return format!("{}#{rest}", part.file);
        }
    }
    reference.to_owned()
}

/// All `$ref` strings with the pointer of the object holding them.
pub(crate) fn collect_refs(value: &Value, ptr: &mut String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push((ptr.clone(), r.clone()));
            }
            for (k, v) in map {
                let len = ptr.len();
                push(ptr, k);
                collect_refs(v, ptr, out);
                ptr.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = ptr.len();
                let _ = write!(ptr, "/{i}");
                collect_refs(v, ptr, out);
                ptr.truncate(len);
            }
        }
        _ => {}
    }
}
