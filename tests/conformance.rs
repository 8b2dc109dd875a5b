//! Every mocked response conforms to the spec: one valid request to every operation of every
//! spec in `specs/` and `tests/corpus/`, over HTTP, and each answer is checked against the
//! operation's declared status, media type, headers and body schema.

mod support;

use std::path::{Path, PathBuf};

use cartwright_model::{Api, Operation};
use support::request::assemble;

fn specs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["specs", "tests/corpus"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let spec_like = [".yaml", ".yml", ".json"].iter().any(|x| name.ends_with(x))
                && !name.contains(".overlay.");
            if spec_like {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// What is wrong with an answer, or `None` when it conforms.
fn nonconformance(
    op: &Operation,
    status: u16,
    content_type: Option<&str>,
    headers: &reqwest::header::HeaderMap,
    body: &[u8],
) -> Option<String> {
    let Some(response) = op.response_for(status) else {
        return Some(format!("status {status} is not declared"));
    };
    for h in response.headers.iter().filter(|h| h.required) {
        if !headers.contains_key(h.name.as_str()) {
            return Some(format!("required header {} is missing", h.name));
        }
    }
    if response.content.is_empty() || status == 204 || status == 304 {
        return None;
    }
    let ct = content_type.unwrap_or("");
    let essence = ct.split(';').next().unwrap_or("").trim();
    let media = response
        .content
        .iter()
        .find(|m| m.media_type == essence)
        .or_else(|| response.content.iter().find(|m| m.media_type.contains('*')));
    let Some(media) = media else {
        return Some(format!(
            "content type {ct:?} is not declared: {}",
            String::from_utf8_lossy(&body[..body.len().min(600)])
        ));
    };
    let Some(schema) = &media.schema else {
        return None;
    };
    if !essence.contains("json") {
        return None;
    }
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return Some(format!("body is not JSON: {e}")),
    };
    let v = schema.violations(&value);
    (!v.is_empty()).then(|| {
        format!(
            "{} violations, first: {} at {} ({})",
            v.len(),
            v[0].message,
            v[0].instance,
            v[0].schema
        )
    })
}

/// Operations whose declared request schema no request can satisfy: the mock must refuse
/// them, and does. Each entry says why, so the list cannot hide a regression.
const UNSATISFIABLE: &[(&str, &str, &str)] = &[
    (
        "shopware-store-api.json",
        "GET /product/{productId}",
        "pattern `^[0-9a-f]{32}$'` has a quote after `$`",
    ),
    (
        "shopware-store-api.json",
        "POST /product/{productId}",
        "pattern `^[0-9a-f]{32}$'` has a quote after `$`",
    ),
];

/// Operations whose declared success body no value can satisfy: served, but not checked.
const UNSATISFIABLE_RESPONSES: &[(&str, &str, &str)] = &[(
    "shopware-store-api.json",
    "POST /checkout/order",
    "Order.price is `$ref: CalculatedPrice` (requiring `calculatedTaxes` as an array) beside `properties` declaring it an object",
)];

fn listed(list: &[(&str, &str, &str)], api: &Api, op: &Operation) -> bool {
    list.iter()
        .any(|(file, sig, _)| api.source.ends_with(file) && op.signature() == *sig)
}

fn unsatisfiable(api: &Api, op: &Operation) -> bool {
    listed(UNSATISFIABLE, api, op)
}

/// How many answers were checked, and how many of those came from inferred state.
#[derive(Default)]
struct Checked {
    all: usize,
    stateful: usize,
}

async fn check_api(api: Api, failures: &mut Vec<String>, checked: &mut Checked) {
    let server = support::serve(api).await;
    let api = server.api();
    for (index, op) in api.operations.iter().enumerate() {
        // Items the request names are made first, so stateful answers are checked too.
        let live = support::live::params(&server, &api, index).await;
        let values = support::live::with(&api, index, &live);
        let req = assemble(&api, op, &server.base, &Default::default(), &values);
        let res = match server
            .client
            .execute(req.to_reqwest(&server.client).expect("request builds"))
            .await
        {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!(
                    "{} {}: request failed: {e}",
                    api.source,
                    op.signature()
                ));
                continue;
            }
        };
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let ct = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = res.bytes().await.unwrap_or_default();
        if unsatisfiable(&api, op) {
            if status != 422 {
                failures.push(format!(
                    "{} {}: expected the unsatisfiable request to be refused, got {status}",
                    api.source,
                    op.signature()
                ));
            }
            continue;
        }
        if (400..500).contains(&status)
            && !op.responses.iter().any(|r| {
                r.status.covers(status) && r.status != cartwright_model::StatusKey::Default
            })
        {
            failures.push(format!(
                "{} {}: the generated request was refused with {status}: {}",
                api.source,
                op.signature(),
                String::from_utf8_lossy(&body)
            ));
            continue;
        }
        if listed(UNSATISFIABLE_RESPONSES, &api, op) {
            if status != 200 {
                failures.push(format!(
                    "{} {}: expected 200 for a spec-defective response, got {status}",
                    api.source,
                    op.signature()
                ));
            }
            continue;
        }
        if let Some(why) = nonconformance(op, status, ct.as_deref(), &headers, &body) {
            failures.push(format!("{} {}: {why}", api.source, op.signature()));
        }
        checked.all += 1;
        if api.resources.role(index).is_some() {
            checked.stateful += 1;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_of_every_spec_answers_conforming_responses() {
    let mut failures = Vec::new();
    let mut checked = Checked::default();
    for path in specs() {
        let api = support::load_lenient(&path);
        check_api(api, &mut failures, &mut checked).await;
    }
    assert!(
        failures.is_empty(),
        "{} nonconforming ({} conformed):\n{}",
        failures.len(),
        checked.all,
        failures.join("\n")
    );
    assert!(checked.all > 300, "only {} operations checked", checked.all);
    // Stateful answers are judged too, not only the stateless ones.
    assert!(
        checked.stateful > 150,
        "only {} answers came from inferred state",
        checked.stateful
    );
}
