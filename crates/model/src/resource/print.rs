//! The inferred map as text, for `cartwright lint --resources` and its snapshots.

use std::fmt::Write;

use super::{Place, Resources};
use crate::Api;

/// One block per collection (its paths, id, schema, parent array, then its operations),
/// then the carriers and any corrections that did not apply.
pub(super) fn render(r: &Resources, api: &Api) -> String {
    let mut out = String::new();
    for (c, col) in r.collections.iter().enumerate() {
        let _ = write!(out, "{}  {}", col.name, col.path);
        if let Some(item) = &col.item_path {
            let _ = write!(out, "  item {item}");
        }
        out.push('\n');
        let _ = write!(out, "  id: {}", col.id);
        if let Some(s) = &col.schema {
            let _ = write!(out, "  schema: {}", s.rsplit('/').next().unwrap_or(s));
        }
        if let Some(p) = &col.parent {
            let _ = write!(
                out,
                "  in: {}.{} (by {{{}}})",
                r.collections[p.collection].name, p.array, p.param
            );
        }
        out.push('\n');
        for (i, role) in r.roles.iter().enumerate() {
            let Some(role) = role.as_ref().filter(|x| x.collection == c) else {
                continue;
            };
            let op = &api.operations[i];
            let _ = write!(
                out,
                "  {:<8} {:<7} {}",
                role.action.as_str(),
                op.method.as_str(),
                op.path
            );
            match &role.answer {
                Place::Item(p) => {
                    let _ = write!(out, "  answers item at {}", or_root(p));
                }
                Place::Parent(p) => {
                    let _ = write!(out, "  answers parent at {}", or_root(p));
                }
                Place::List { array, counts } => {
                    let _ = write!(out, "  answers list at {}", or_root(array));
                    if !counts.is_empty() {
                        let names: Vec<&str> = counts.iter().map(|(n, _)| n.as_str()).collect();
                        let _ = write!(out, " ({})", names.join(", "));
                    }
                }
                Place::Spec => out.push_str("  answers as the spec says"),
            }
            if !role.request.is_empty() {
                let _ = write!(out, "; fields from {}", role.request);
            }
            if let Some(id) = &role.id_at {
                let _ = write!(out, "; id at {id} (link)");
            }
            if role.location {
                out.push_str("; Location");
            }
            if role.corrected {
                out.push_str("; corrected");
            }
            out.push('\n');
        }
    }
    for carrier in &r.carriers {
        let _ = writeln!(
            out,
            "carrier  {} {}  returned in {}",
            if carrier.cookie { "cookie" } else { "header" },
            carrier.header,
            carrier.returned
        );
    }
    for (at, why) in &r.problems {
        let _ = writeln!(out, "not applied  {at}: {why}");
    }
    if out.is_empty() {
        out.push_str("no resources inferred\n");
    }
    out
}

fn or_root(p: &str) -> &str {
    if p.is_empty() { "/" } else { p }
}
