//! The hostile values `path_encoding` sends, and the shape of an answer it compares them by.

use std::collections::BTreeSet;

use cartwright_http::Answer;
use cartwright_model::{Api, Operation};

use crate::sessions::json;

/// A hostile segment as sent, what it is, and the path a server that decodes `%2F` before
/// routing would reach with it (for values aimed at another operation).
pub(super) struct Hostile {
    /// The segment, already percent-encoded.
    pub segment: String,
    /// What it is, for the report.
    pub what: String,
    /// The segment as a decoding server reads it, and the operation that path is.
    pub reaches: Option<(String, String)>,
}

/// The fixed hostile segments, and what each is.
const FIXED: &[(&str, &str)] = &[
    ("x%2Fy", "an encoded slash"),
    ("..%2Fx", "an encoded traversal"),
    ("TEST+CODE", "a literal plus"),
    ("x%00y", "an encoded NUL"),
    ("x%252Fy", "a double-encoded slash"),
];

/// Values aimed at other operations, at most this many per parameter.
const AIMED: usize = 3;

/// The hostile values for the path parameter `name` of `op`: the fixed ones, then, when the
/// parameter is the path's last segment, values that an encoded traversal or slash would
/// turn into the path of another operation of the same method, which a server that decodes
/// before routing keeps (`..%2Flines%2Fx` from `GET /carts/{id}` to `GET /lines/{id}`), its
/// parameters filled with `plain`.
pub(super) fn values(api: &Api, op: &Operation, name: &str, plain: &str) -> Vec<Hostile> {
    let mut out: Vec<Hostile> = FIXED
        .iter()
        .map(|(s, w)| Hostile {
            segment: (*s).to_owned(),
            what: (*w).to_owned(),
            reaches: None,
        })
        .collect();
    let segs: Vec<&str> = op.path.split('/').skip(1).collect();
    let Some((last, parent)) = segs.split_last() else {
        return out;
    };
    if *last != format!("{{{name}}}") {
        return out;
    }
    let mut aimed: Vec<(usize, Hostile)> = api
        .operations
        .iter()
        .filter(|o| o.method == op.method && o.id != op.id)
        .filter_map(|o| {
            let other: Vec<&str> = o.path.split('/').skip(1).collect();
            let common = parent
                .iter()
                .zip(&other)
                .take_while(|(a, b)| a == b)
                .count();
            let ups = parent.len() - common;
            let rest: Vec<&str> = other.get(common..)?.to_vec();
            if rest.is_empty() {
                return None;
            }
            let filled: Vec<&str> = rest
                .iter()
                .map(|s| if s.starts_with('{') { plain } else { s })
                .collect();
            let decoded = format!("{}{}", "../".repeat(ups), filled.join("/"));
            let segment = decoded.replace('/', "%2F");
            Some((
                ups + rest.len(),
                Hostile {
                    what: format!("a value that reaches {} when decoded", o.signature()),
                    segment,
                    reaches: Some((decoded, o.signature())),
                },
            ))
        })
        .collect();
    aimed.sort_by_key(|(n, _)| *n);
    out.extend(aimed.into_iter().take(AIMED).map(|(_, h)| h));
    out
}

/// What an answer looks like, whatever its values: its status and the paths of its JSON
/// leaves, array indices left out.
pub(super) fn shape(a: &Answer) -> (u16, BTreeSet<String>) {
    let paths = a
        .json
        .as_ref()
        .map(json::leaves)
        .unwrap_or_default()
        .into_iter()
        .map(|(p, _)| {
            let keys: Vec<&str> = p
                .iter()
                .map(|k| {
                    if k.parse::<usize>().is_ok() {
                        "*"
                    } else {
                        k.as_str()
                    }
                })
                .collect();
            keys.join(".")
        })
        .collect();
    (a.status, paths)
}
