//! The loading pipeline, from a file to an [`Api`] or the diagnostics that refuse it.

use std::path::Path;
use std::sync::Arc;

use cartwright_diag::{Diagnostic, Sources};
use cartwright_model::{Api, Method, Router, SchemeKind, SecurityScheme, Skipped, Template};
use serde_json::Value;

use crate::build::{Site, operation};
use crate::bundle::{FilePart, bundle};
use crate::check::{Version, check, version};
use crate::compile::Compiler;
use crate::direction::{Direction, views};
use crate::normalize::normalize;
use crate::place::{place, tidy};
use crate::unsound::touched;
use crate::{LoadOptions, Loaded, overlay};
use cartwright_source::pointer::{deref, join};
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

/// Builds every operation that no error touches; errors from building are added to `diags`.
fn build_api(
    file: &str,
    value: Value,
    diags: &mut Vec<Diagnostic>,
) -> Result<Api, Vec<Diagnostic>> {
    // Shared before the compiler borrows it, so the compiler outlives the `Api` it goes in.
    let value = Arc::new(value);
    let doc: &Value = &value;
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.pointer.clone())
        .collect();
    let errors: Vec<&str> = errors.iter().map(String::as_str).collect();
    let schemes = security_schemes(doc);
    let names: Vec<String> = schemes.iter().map(|(n, _)| n.clone()).collect();
    let behaviours = crate::behave::root(doc)?;
    let pace = crate::pace::root(doc)?;
    let (request, response) = views(doc);
    let mut compiler =
        Compiler::new(doc, request.as_ref(), response.as_ref()).map_err(|d| vec![d])?;
    let (mut operations, mut skipped, mut router) = (Vec::new(), Vec::new(), Router::new());
    let mut warnings = Vec::new();
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let Ok(template) = Template::parse(path) else {
            continue;
        };
        let Some((item, item_at)) = deref(doc, item, &join("/paths", path)) else {
            continue;
        };
        for (key, op) in item.as_object().into_iter().flatten() {
            let Some(method) = Method::parse(key).filter(|_| op.is_object()) else {
                continue;
            };
            let site = Site {
                path,
                method,
                item,
                item_at: item_at.clone(),
                op,
                op_at: join(&item_at, key),
            };
            let signature = format!("{} {path}", method.as_str());
            if let Some(e) = touched(doc, &site.op_at, &item_at, &errors) {
                let reason = diags
                    .iter()
                    .find(|d| d.pointer.as_deref() == Some(e.as_str()))
                    .map_or(e.clone(), |d| d.message.clone());
                skipped.push(Skipped {
                    operation: signature,
                    reason,
                });
                continue;
            }
            let built = operation(doc, &mut compiler, &site, &names, &mut warnings)
                .and_then(|op| bind(op, &site, &behaviours, &pace));
            match built {
                Ok(mut op) => {
                    if operations
                        .iter()
                        .any(|o: &cartwright_model::Operation| o.id == op.id)
                    {
                        op.id = signature;
                    }
                    router.insert(&template, method, operations.len());
                    operations.push(op);
                }
                Err(errs) => {
                    skipped.push(Skipped {
                        operation: signature,
                        reason: errs[0].message.clone(),
                    });
                    diags.extend(errs);
                }
            }
        }
    }
    diags.extend(warnings);
    let mut api = Api {
        source: file.to_owned(),
        title: doc
            .pointer("/info/title")
            .and_then(Value::as_str)
            .unwrap_or("untitled")
            .to_owned(),
        version: doc
            .pointer("/info/version")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        openapi: doc
            .get("openapi")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        base_paths: base_paths(doc),
        operations,
        router,
        security_schemes: schemes,
        skipped,
        behaviours,
        document: Arc::clone(&value),
        resources: cartwright_model::Resources::default(),
    };
    api.resources = cartwright_model::Resources::infer(&api);
    // A sub-resource's new element is judged alone, against its array's item schema.
    for c in &mut api.resources.collections {
        if let Some(p) = c.parent.as_mut() {
            p.schema = compiler.compile(&p.items, Direction::Response).ok();
        }
    }
    drop(compiler);
    drop((request, response));
    for (pointer, why) in &api.resources.problems {
        diags.push(
            Diagnostic::error("resource", format!("x-cartwright-resource: {why}"))
                .with_pointer(pointer.clone()),
        );
    }
    Ok(api)
}

/// Attaches the operation's `x-cartwright` binding, if it has one, and its pacing.
fn bind(
    mut op: cartwright_model::Operation,
    site: &Site<'_>,
    behaviours: &cartwright_model::Behaviours,
    pace: &cartwright_model::Pace,
) -> Result<cartwright_model::Operation, Vec<Diagnostic>> {
    op.pace = crate::pace::operation(site.op, &site.op_at, pace)?;
    if let Some(v) = site.op.get("x-cartwright") {
        let at = join(&site.op_at, "x-cartwright");
        let binding = crate::behave::binding(v, &at, behaviours)?;
        path_carriers(&op, &binding, behaviours, &at)?;
        op.behaviour = Some(Arc::new(binding));
    }
    Ok(op)
}

/// A session named in the URL needs that path parameter on every operation working on it.
fn path_carriers(
    op: &cartwright_model::Operation,
    binding: &cartwright_model::Binding,
    behaviours: &cartwright_model::Behaviours,
    at: &str,
) -> Result<(), Vec<Diagnostic>> {
    let Some(kind) = binding
        .session
        .as_deref()
        .and_then(|k| behaviours.session(k))
    else {
        return Ok(());
    };
    let in_path: Vec<&str> = kind
        .carriers
        .iter()
        .filter_map(|c| match c {
            cartwright_model::Carrier::Path(p) => Some(p.as_str()),
            _ => None,
        })
        .collect();
    let carried_otherwise = in_path.len() < kind.carriers.len();
    let has = |name: &str| {
        op.parameters
            .iter()
            .any(|p| p.location == cartwright_model::ParamLocation::Path && p.name == name)
    };
    if in_path.is_empty() || carried_otherwise || in_path.iter().any(|p| has(p)) {
        return Ok(());
    }
    Err(vec![
        Diagnostic::error(
            "behaviour",
            format!(
                "session `{}` travels in path parameter `{}`, which {} does not have",
                kind.name,
                in_path.join("` or `"),
                op.signature()
            ),
        )
        .with_pointer(join(at, "session")),
    ])
}

/// Base paths from `servers` (variables take their defaults); `""` when one serves at the root.
fn base_paths(doc: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for server in doc
        .get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(url) = server.get("url").and_then(Value::as_str) else {
            continue;
        };
        let mut url = url.to_owned();
        for (name, var) in server
            .get("variables")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let default = var.get("default").and_then(Value::as_str).unwrap_or("");
            url = url.replace(&format!("{{{name}}}"), default);
        }
        let path = match url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]).to_owned(),
            None => url,
        };
        let path = path
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .trim_end_matches('/')
            .to_owned();
        if !out.contains(&path) {
            out.push(path);
        }
    }
    if out.iter().all(String::is_empty) {
        return Vec::new();
    }
    out
}

fn security_schemes(doc: &Value) -> Vec<(String, SecurityScheme)> {
    let mut out = Vec::new();
    for (name, s) in doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let Some((s, _)) = deref(doc, s, "") else {
            continue;
        };
        let field = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
        let kind = match (field("type").as_str(), field("in").as_str()) {
            ("apiKey", "header") => SchemeKind::ApiKeyHeader(field("name")),
            ("apiKey", "query") => SchemeKind::ApiKeyQuery(field("name")),
            ("apiKey", "cookie") => SchemeKind::ApiKeyCookie(field("name")),
            ("http", _) if field("scheme").eq_ignore_ascii_case("basic") => SchemeKind::Basic,
            ("http", _) if field("scheme").eq_ignore_ascii_case("bearer") => SchemeKind::Bearer,
            ("http", _) => SchemeKind::OtherHttp(field("scheme")),
            ("oauth2" | "openIdConnect", _) => SchemeKind::Bearer,
            _ => SchemeKind::Unchecked,
        };
        out.push((name.clone(), SecurityScheme { kind }));
    }
    out
}
