//! The [`Api`] built from the normalised document: every operation no error touches, its
//! binding and pacing, the router, and the resources inferred from them.

use std::sync::Arc;

use cartwright_diag::Diagnostic;
use cartwright_model::{Api, Method, Router, Skipped, Template};
use serde_json::Value;

use crate::build::{Site, operation};
use crate::compile::Compiler;
use crate::direction::views;
use crate::root::{base_paths, security_schemes};
use crate::unsound::touched;
use cartwright_source::pointer::{deref, join};

/// Builds every operation that no error touches; errors from building are added to `diags`.
pub(crate) fn build_api(
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
    let compiler = Compiler::new(doc, request.as_ref(), response.as_ref()).map_err(|d| vec![d])?;
    let (mut operations, mut skipped, mut router) = (Vec::new(), Vec::new(), Router::new());
    let mut warnings = Vec::new();
    // Operations an error touches are skipped; the others are built on both cores and
    // taken back in document order, so every list below is filled as one loop would.
    let (mut steps, mut sites) = (Vec::new(), Vec::new());
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
                steps.push(Err(Skipped {
                    operation: signature,
                    reason,
                }));
                continue;
            }
            steps.push(Ok((template.clone(), method, signature)));
            sites.push(site);
        }
    }
    let built = crate::cores::in_order(&sites, |site| {
        let mut warnings = Vec::new();
        let built = operation(doc, &compiler, site, &names, &mut warnings)
            .and_then(|op| bind(op, site, &behaviours, &pace));
        (built, warnings)
    });
    let mut built = built.into_iter();
    for step in steps {
        let (template, method, signature) = match step {
            Ok(planned) => planned,
            Err(skip) => {
                skipped.push(skip);
                continue;
            }
        };
        let Some((built, op_warnings)) = built.next() else {
            break;
        };
        warnings.extend(op_warnings);
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
    crate::members::compile(&mut api, &compiler);
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
