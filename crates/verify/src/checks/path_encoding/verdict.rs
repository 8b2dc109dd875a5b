//! How `path_encoding` judges a hostile value's answer, against the plain value's answer
//! and, for a value aimed at another operation, that operation's own answer.

use cartwright_http::Answer;
use cartwright_scenario::ast::{Asserts, Matcher, Ops};
use serde_json::Value;

use super::{CHECK, hostile};
use crate::checks::Check as Name;
use crate::sessions::flow;

/// Why a hostile answer fails.
pub(super) struct Verdict {
    pub check: Name,
    pub expected: String,
    pub actual: String,
    /// What a fixed implementation's answer meets, for the replay.
    pub fixed: Asserts,
}

/// Why a hostile answer fails; `None` when it is fine. `direct` is the answer to the path
/// the value was aimed at, if it was.
pub(super) fn verdict(
    plain: &Answer,
    a: &Answer,
    direct: Option<&Answer>,
    server_errors: bool,
) -> Option<Verdict> {
    let status = |ops: Ops| Asserts {
        status: Some(Matcher::Ops(Box::new(ops))),
        schema: Some(false),
        ..Asserts::default()
    };
    if let Some((expected, actual)) = judge(plain.status, a.status) {
        let ops = if a.status >= 500 {
            Ops {
                lt: Some(Value::from(500)),
                ..Ops::default()
            }
        } else if flow::ok(a.status) {
            Ops {
                ge: Some(Value::from(300)),
                ..Ops::default()
            }
        } else {
            Ops {
                ne: Some(Value::from(a.status)),
                ..Ops::default()
            }
        };
        let check = if a.status >= 500 && server_errors {
            Name::NotAServerError
        } else {
            CHECK
        };
        return Some(Verdict {
            check,
            expected,
            actual,
            fixed: status(ops),
        });
    }
    let direct = direct.filter(|d| flow::ok(d.status) && flow::ok(a.status))?;
    let (got, theirs, own) = (
        hostile::shape(a),
        hostile::shape(direct),
        hostile::shape(plain),
    );
    if got != theirs || got == own {
        return None;
    }
    // A field the other operation's answer has and the plain one lacks must be absent.
    let fixed = match got.1.difference(&own.1).find(|k| !k.contains('*')) {
        Some(k) => {
            let mut a = Asserts {
                schema: Some(false),
                ..Asserts::default()
            };
            a.body.insert(
                format!("$.{k}"),
                Matcher::Ops(Box::new(Ops {
                    exists: Some(false),
                    ..Ops::default()
                })),
            );
            a
        }
        None => status(Ops {
            eq: Some(Value::from(plain.status)),
            ..Ops::default()
        }),
    };
    Some(Verdict {
        check: CHECK,
        expected: "an answer of this operation, shaped as for a plain value".into(),
        actual: format!(
            "{}: the answer of the operation the decoded value names",
            a.status
        ),
        fixed,
    })
}

/// Why a hostile answer fails, as expected and found; `None` when it is fine.
fn judge(plain: u16, hostile: u16) -> Option<(String, String)> {
    if hostile >= 500 {
        return Some((
            "a status below 500 (a refusal such as 400 is fine)".into(),
            hostile.to_string(),
        ));
    }
    if flow::ok(hostile) && !flow::ok(plain) {
        return Some((
            format!("{plain}, as for a plain unknown value, or a refusal"),
            format!("{hostile}: the value reached something the plain one did not"),
        ));
    }
    if matches!(hostile, 404 | 405) && flow::ok(plain) {
        return Some((
            format!("{plain}, as for a plain value, or a refusal such as 400"),
            format!("{hostile}: the value was decoded before routing"),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_answers_are_judged_against_the_plain_one() {
        assert!(judge(404, 400).is_none());
        assert!(judge(404, 404).is_none());
        assert!(judge(200, 200).is_none());
        assert!(judge(404, 500).is_some());
        assert!(judge(404, 200).is_some());
        assert!(judge(200, 404).is_some());
        assert!(judge(200, 405).is_some());
        assert!(judge(200, 422).is_none());
    }
}
