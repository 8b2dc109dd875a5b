//! What leaked from session a's change into another session's answer, the check's verdict
//! on it, and the replay's assertion that it stays out.

use std::collections::HashSet;

use cartwright_http::Answer;
use cartwright_outcome::Check;
use cartwright_scenario::ast::{Capture, Matcher, Ops};
use serde_json::Value;

use super::CHECK;
use crate::sessions::flow::{self, Flow};
use crate::sessions::json::{self, Path};

/// Asserts on the flow's last step that the leaked values are not there: each is captured
/// from session a's read (scenario step `at`) as `{prefix}_{n}`, and the last answer must
/// not hold it at the same place.
pub(super) fn assert_absent(
    flow: &mut Flow<'_, '_>,
    at: usize,
    prefix: &str,
    leaked: &[(Path, Value)],
) {
    for (n, (path, _)) in leaked.iter().take(5).enumerate() {
        let var = format!("{prefix}_{n}");
        let jp = json::jsonpath(path);
        if let Some(s) = flow.steps.get_mut(at) {
            s.capture.insert(var.clone(), Capture::Path(jp.clone()));
        }
        flow.assert(|x| {
            x.body.insert(
                jp,
                Matcher::Ops(Box::new(Ops {
                    ne: Some(Value::String(format!("{{{{ {var} }}}}"))),
                    ..Ops::default()
                })),
            );
        });
    }
}

/// Values A's change brought into A's answer that B's answer now holds at the same place
/// while B's first read did not.
pub(super) fn leaks(a0: &Answer, a1: &Answer, b0: &Answer, b1: &Answer) -> Vec<(Path, Value)> {
    if !flow::ok(b1.status) {
        return Vec::new();
    }
    let set = |a: &Answer| -> HashSet<(Path, String)> {
        a.json
            .as_ref()
            .map(json::leaves)
            .unwrap_or_default()
            .into_iter()
            .filter(|(p, v)| !private(p, v))
            .map(|(p, v)| (p, v.to_string()))
            .collect()
    };
    let (before, b_before, b_after) = (set(a0), set(b0), set(b1));
    let mut out: Vec<(Path, Value)> = a1
        .json
        .as_ref()
        .map(json::leaves)
        .unwrap_or_default()
        .into_iter()
        .filter(|(p, v)| {
            let key = (p.clone(), v.to_string());
            !private(p, v)
                && !before.contains(&key)
                && b_after.contains(&key)
                && !b_before.contains(&key)
        })
        .collect();
    out.sort_by(|x, y| x.0.cmp(&y.0));
    out
}

/// A session's own token, and times, which differ between any two answers.
pub(super) fn private(path: &Path, v: &Value) -> bool {
    let timeish = |k: &str| {
        let l = k.to_ascii_lowercase();
        l.ends_with("_at") || k.ends_with("At") || l.contains("time") || l.contains("date")
    };
    let stamp = v.as_str().is_some_and(|s| {
        let b = s.as_bytes();
        b.len() >= 19 && b.get(4) == Some(&b'-') && b.get(10) == Some(&b'T')
    });
    stamp || path.iter().any(|k| json::tokenish(k) || timeish(k))
}

pub(super) fn judge(leaked: &[(Path, Value)]) -> Vec<Check> {
    if leaked.is_empty() {
        return vec![Check::pass(CHECK)];
    }
    let detail: Vec<String> = leaked
        .iter()
        .take(10)
        .map(|(p, v)| format!("{} = {v}", json::jsonpath(p)))
        .collect();
    vec![
        Check::fail(
            CHECK,
            "session b's own state, without session a's change",
            format!("{} value(s) of session a's change", leaked.len()),
        )
        .with_detail(detail.join("\n")),
    ]
}
