//! The coverage of a verification in the reports: what share of the operations reached a
//! 2xx answer, each one that did not with its reason and statuses, the sessions never
//! obtained and the checks that had nothing to probe. A run that passed without reaching
//! anything must not read like one that tested everything.

use std::fmt::Write as _;

use cartwright_outcome::Coverage;
use cartwright_outcome::coverage::Operation;

/// The terminal block, ending in a newline; `red` colours what needs attention.
pub(crate) fn block(c: &Coverage, red: impl Fn(&str) -> String) -> String {
    let mut out = format!("\n{}\n", headline(c));
    let unreached: Vec<&Operation> = c.unreached().collect();
    if !unreached.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            red(&format!(
                "warning: {} operation(s) never reached a 2xx answer:",
                unreached.len()
            ))
        );
        for op in unreached {
            let _ = writeln!(out, "  {} ({}): {}", op.signature, op.id, why(op));
        }
    }
    for s in &c.sessions_missing {
        let _ = writeln!(
            out,
            "{}",
            red(&format!("no session was obtained: {}: {}", s.name, s.why))
        );
    }
    for n in &c.nothing_to_probe {
        let _ = writeln!(out, "nothing to probe: {}: {}", n.name, n.why);
    }
    out
}

/// `coverage: 2 of 3 operations reached a 2xx answer (67%)`.
pub(crate) fn headline(c: &Coverage) -> String {
    format!(
        "coverage: {} of {} operations reached a 2xx answer ({:.0}%)",
        c.reached(),
        c.operations.len(),
        c.percent()
    )
}

/// The reason an operation was not reached, with the statuses behind it:
/// `credentials (answers 401/403); seen 401×12`.
pub(crate) fn why(op: &Operation) -> String {
    let reason = op.reason.map_or("no 2xx answer", |r| r.describe());
    if op.statuses.is_empty() {
        return reason.to_owned();
    }
    format!("{reason}; seen {}", statuses(op))
}

/// `401×12, 422×3`.
pub(crate) fn statuses(op: &Operation) -> String {
    op.statuses
        .iter()
        .map(|(k, n)| format!("{k}×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// JUnit `<properties>` (indented for inside a `<testsuite>`), values escaped by `attr`.
pub(crate) fn properties(c: &Coverage, attr: fn(&str) -> String) -> String {
    let mut out = String::from("    <properties>\n");
    let mut prop = |name: &str, value: &str| {
        let _ = writeln!(
            out,
            "      <property name=\"{}\" value=\"{}\"/>",
            attr(name),
            attr(value)
        );
    };
    prop("operations", &c.operations.len().to_string());
    prop("reached", &c.reached().to_string());
    prop("reached_percent", &format!("{:.1}", c.percent()));
    for op in &c.operations {
        let value = if op.reached {
            format!("reached; seen {}", statuses(op))
        } else {
            format!("not reached: {}", why(op))
        };
        prop(&format!("operation {} ({})", op.signature, op.id), &value);
    }
    for s in &c.sessions_missing {
        prop(&format!("session not obtained {}", s.name), &s.why);
    }
    for n in &c.nothing_to_probe {
        prop(&format!("nothing to probe {}", n.name), &n.why);
    }
    out.push_str("    </properties>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartwright_outcome::coverage::{Note, Unreached};

    fn coverage() -> Coverage {
        let op = |id: &str, reached, status: &str, reason| Operation {
            id: id.into(),
            signature: format!("GET /{id}"),
            reached,
            statuses: [(status.to_owned(), 2)].into_iter().collect(),
            reason,
        };
        Coverage {
            operations: vec![
                op("cart", true, "200", None),
                op("orders", false, "401", Some(Unreached::Credentials)),
            ],
            sessions_missing: vec![Note {
                name: "cart".into(),
                why: "never issued".into(),
            }],
            nothing_to_probe: vec![Note {
                name: "ignored_auth".into(),
                why: "no operation is secured".into(),
            }],
        }
    }

    #[test]
    fn the_block_names_each_unreached_operation_and_why() {
        let text = block(&coverage(), |s| format!("<{s}>"));
        assert!(text.contains("coverage: 1 of 2 operations reached a 2xx answer (50%)"));
        assert!(text.contains("<warning: 1 operation(s) never reached a 2xx answer:>"));
        assert!(text.contains("  GET /orders (orders): credentials (answers 401/403); seen 401×2"));
        assert!(text.contains("<no session was obtained: cart: never issued>"));
        assert!(text.contains("nothing to probe: ignored_auth: no operation is secured"));
    }

    #[test]
    fn properties_carry_the_figures_and_each_operation() {
        let xml = properties(&coverage(), |s| s.replace('"', "&quot;"));
        assert!(xml.contains("<property name=\"reached\" value=\"1\"/>"));
        assert!(xml.contains("<property name=\"operations\" value=\"2\"/>"));
        assert!(xml.contains(
            "<property name=\"operation GET /orders (orders)\" value=\"not reached: credentials (answers 401/403); seen 401×2\"/>"
        ));
    }
}
