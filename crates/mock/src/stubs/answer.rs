//! A stub's answer, checked against what its operation declares: the status (unless
//! forced), the body against the declared schema for that status and media type, the
//! headers, the delay and the fault.

use std::time::Duration;

use cartwright_model::{Api, Operation, StatusKey};
use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Answer;
use super::define::bad;
use crate::delivery::{Delivery, Fault};
use crate::problem::{Issue, Problem};

/// `answer`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AnswerDef {
    status: Option<u16>,
    body: Option<Value>,
    #[serde(default)]
    headers: IndexMap<String, String>,
    /// Milliseconds before the answer is written.
    delay: Option<u64>,
    fault: Option<String>,
    #[serde(default)]
    force: bool,
}

/// The longest delay a stub may ask for: ten minutes.
const MAX_DELAY_MS: u64 = 600_000;

/// The answer, checked against what the operation declares.
pub(super) fn answer(api: &Api, op: &Operation, a: AnswerDef) -> Result<Answer, Problem> {
    let status = a.status.unwrap_or_else(|| success(op));
    if !(100..=599).contains(&status) {
        return Err(bad(format!("{status} is not an HTTP status")));
    }
    let response = op.response_for(status);
    if response.is_none() && !a.force {
        let declared: Vec<String> = op.responses.iter().map(|r| key(r.status)).collect();
        return Err(bad(format!(
            "{} ({}) declares no response for status {status}; declared: {} \
             (give `\"force\": true` to answer it anyway)",
            op.signature(),
            op.id,
            declared.join(", ")
        ))
        .with("declared", json!(declared)));
    }
    let asked_media = a
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.clone());
    let mut media = asked_media
        .clone()
        .unwrap_or_else(|| "application/json".into());
    if let (Some(body), Some(response)) = (&a.body, response) {
        let declared = match &asked_media {
            Some(m) => response
                .content
                .iter()
                .find(|c| crate::negotiate::covers(&c.media_type, &crate::negotiate::essence(m))),
            None => response
                .content
                .iter()
                .find(|c| c.media_type.contains("json"))
                .or(response.content.first()),
        };
        let Some(declared) = declared else {
            let what = asked_media.map_or("a body".to_owned(), |m| format!("`{m}`"));
            return Err(bad(format!(
                "{} declares no {what} for status {status}",
                op.signature()
            )));
        };
        if asked_media.is_none() && !declared.media_type.contains('*') {
            media = declared.media_type.clone();
        }
        if let Some(schema) = &declared.schema {
            let issues: Vec<Issue> = schema
                .violations(body)
                .into_iter()
                .map(|v| Issue {
                    pointer: format!("/answer/body{}", v.instance),
                    schema: Some(format!("{}#{}", api.source, v.schema)),
                    message: v.message,
                })
                .collect();
            if !issues.is_empty() {
                let first = &issues[0];
                let mut p = bad(format!(
                    "the body breaks the schema of {status} {} for {}: {} at {}",
                    declared.media_type, op.id, first.message, first.pointer
                ));
                p.issues = issues;
                return Err(p);
            }
        }
    }
    for (name, value) in &a.headers {
        if http::HeaderName::from_bytes(name.as_bytes()).is_err()
            || http::HeaderValue::from_str(value).is_err()
        {
            return Err(bad(format!(
                "`{name}: {value}` is not a header HTTP can carry"
            )));
        }
    }
    let delay = match a.delay {
        Some(ms) if ms > MAX_DELAY_MS => {
            return Err(bad(format!(
                "a delay of {ms} ms is longer than the {MAX_DELAY_MS} ms a stub may wait"
            )));
        }
        d => d.map(Duration::from_millis),
    };
    let fault = match &a.fault {
        None => None,
        Some(name) => Some(Fault::parse(name).ok_or_else(|| {
            let known: Vec<&str> = Fault::ALL.iter().map(|(n, _)| *n).collect();
            bad(format!("no fault `{name}`; faults: {}", known.join(", ")))
                .with("faults", json!(known))
        })?),
    };
    Ok(Answer {
        status,
        body: a.body,
        media,
        headers: a.headers.into_iter().collect(),
        delivery: Delivery {
            delay,
            dribble: None,
            fault,
        },
    })
}

/// The operation's lowest declared 2xx, else 200.
fn success(op: &Operation) -> u16 {
    op.responses
        .iter()
        .filter_map(|r| match r.status {
            StatusKey::Code(c) if (200..300).contains(&c) => Some(c),
            _ => None,
        })
        .min()
        .unwrap_or(200)
}

fn key(k: StatusKey) -> String {
    match k {
        StatusKey::Code(c) => c.to_string(),
        StatusKey::Range(d) => format!("{d}XX"),
        StatusKey::Default => "default".to_owned(),
    }
}
