//! The loading pipeline, from a file to an [`Api`] or the diagnostics that refuse it.

use std::path::Path;

use cartwright_diag::{Diagnostic, Sources};
use serde_json::Value;

use crate::api::build_api;
use crate::bundle::{FilePart, bundle};
use crate::check::{Version, check, version};
use crate::normalize::normalize;
use crate::place::{place, tidy};
use crate::{LoadOptions, Loaded, overlay};
use cartwright_source::span_of;
use cartwright_source::{self as source, SourceDoc};

/// Loads a spec file. `Err` holds the diagnostics when the document cannot be served
/// (any error without `lenient`; only document-wide errors with it).
pub fn load(
    path: &Path,
    options: &LoadOptions,
    sources: &mut Sources,
) -> Result<Loaded, Vec<Diagnostic>> {
    let doc = source::read_bounded(path, options.limit(), sources).map_err(|d| vec![d])?;
    load_doc(path, doc, options, sources)
}

/// Loads a spec from text (for tests and tools); `name` is used in diagnostics.
pub fn load_str(
    name: &str,
    text: &str,
    options: &LoadOptions,
    sources: &mut Sources,
) -> Result<Loaded, Vec<Diagnostic>> {
    let doc = source::parse(name, text.to_owned(), sources).map_err(|d| vec![d])?;
    load_doc(Path::new(name), doc, options, sources)
}

/// Every finding of a spec, errors and warnings alike, without building a server.
pub fn lint(path: &Path, options: &LoadOptions, sources: &mut Sources) -> Vec<Diagnostic> {
    let lenient = LoadOptions {
        lenient: true,
        ..options.clone()
    };
    match load(path, &lenient, sources) {
        Ok(loaded) => loaded.diagnostics,
        Err(diags) => diags,
    }
}

fn load_doc(
    path: &Path,
    mut doc: SourceDoc,
    options: &LoadOptions,
    sources: &mut Sources,
) -> Result<Loaded, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    if let Some(overlay_path) = &options.overlay {
        diags.extend(apply_overlay(
            &mut doc.value,
            overlay_path,
            options,
            sources,
        )?);
    }
    let file = doc.file.clone();
    let b = bundle(path, doc, options, sources);
    let mut value = b.doc;
    let files = b.files;
    diags.extend(b.diagnostics);
    let fatal = |mut d: Vec<Diagnostic>, files: &[FilePart]| {
        place(&mut d, files, sources);
        tidy(&mut d);
        d
    };
    let v = version(&value).map_err(|d| fatal(vec![d], &files))?;
    diags.extend(normalize(&mut value, v == Version::V30));
    diags.extend(crate::shape::shape(&value));
    diags.extend(check(&value));
    let has_errors = diags.iter().any(Diagnostic::is_error);
    if has_errors && !options.lenient {
        return Err(fatal(diags, &files));
    }
    let api = build_api(&file, value, &mut diags).map_err(|d| fatal(d, &files))?;
    if !api.skipped.is_empty() && !options.lenient {
        return Err(fatal(diags, &files));
    }
    place(&mut diags, &files, sources);
    Ok(Loaded {
        api,
        diagnostics: diags,
    })
}

fn apply_overlay(
    doc: &mut Value,
    path: &Path,
    options: &LoadOptions,
    sources: &mut Sources,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let ov = source::read_bounded(path, options.limit(), sources).map_err(|d| vec![d])?;
    let to_diag = |issue: overlay::OverlayIssue| {
        let d = if issue.is_error {
            Diagnostic::error("overlay", issue.message)
        } else {
            Diagnostic::warning("overlay", issue.message)
        };
        let d = d.with_pointer(issue.pointer.clone());
        match span_of(&ov.file, &issue.pointer, sources) {
            Some(span) => d.with_span(span),
            None => d,
        }
    };
    match overlay::apply(doc, &ov.value) {
        Ok(warnings) => Ok(warnings.into_iter().map(to_diag).collect()),
        Err(errors) => Err(errors.into_iter().map(to_diag).collect()),
    }
}
