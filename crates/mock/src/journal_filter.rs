//! Journal queries: `GET /__cartwright/journal?operation=addItem&status=201` and
//! `/journal/count?…` (WireMock's `/__admin/requests/find` and `/requests/count`). An
//! unknown filter or a value it cannot be is refused, naming it, so a misspelt filter never
//! reads as "no such requests".

use http::Method;

use crate::journal::{Entry, Verdict};

/// The filters a journal query takes, besides `limit`.
pub(crate) const FILTERS: [&str; 5] = ["operation", "method", "path", "status", "validation"];

/// Which entries a query asks for; every filter given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// The matched operation's id.
    pub operation: Option<String>,
    /// The method, upper case.
    pub method: Option<String>,
    /// The path as sent, without the query (credential segments shown as `***`).
    pub path: Option<String>,
    /// The status sent.
    pub status: Option<u16>,
    /// What the mock made of the request (`stub`, `invalid`, `not-routed`).
    pub validation: Option<Verdict>,
}

impl Filter {
    /// Reads filters from a query string; `extra` are further names the caller takes
    /// (`limit`), returned with their values. An unknown name or a bad value is an error
    /// that names it.
    pub fn parse(
        query: Option<&str>,
        extra: &[&str],
    ) -> Result<(Filter, Vec<(String, String)>), String> {
        let mut f = Filter::default();
        let mut rest = Vec::new();
        for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let v = v.into_owned();
            match k.as_ref() {
                "operation" => f.operation = Some(v),
                "method" => {
                    Method::from_bytes(v.as_bytes())
                        .map_err(|_| format!("method `{v}` is not an HTTP method"))?;
                    f.method = Some(v.to_ascii_uppercase());
                }
                "path" => f.path = Some(v),
                "status" => {
                    let s = v.parse::<u16>().ok().filter(|s| (100..=599).contains(s));
                    f.status =
                        Some(s.ok_or_else(|| format!("status `{v}` is not an HTTP status"))?);
                }
                "validation" => {
                    let names: Vec<&str> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
                    f.validation = Some(
                        Verdict::ALL
                            .into_iter()
                            .find(|x| x.as_str() == v)
                            .ok_or_else(|| {
                                format!("validation `{v}` is none of: {}", names.join(", "))
                            })?,
                    );
                }
                k if extra.contains(&k) => rest.push((k.to_owned(), v)),
                k => {
                    let mut known: Vec<&str> = FILTERS.to_vec();
                    known.extend(extra);
                    return Err(format!(
                        "unknown filter `{k}`; the journal filters by: {}",
                        known.join(", ")
                    ));
                }
            }
        }
        Ok((f, rest))
    }

    /// Whether an entry passes every filter given.
    pub fn passes(&self, e: &Entry) -> bool {
        let path = e.path.split('?').next().unwrap_or_default();
        self.operation
            .as_ref()
            .is_none_or(|o| e.operation.as_ref() == Some(o))
            && self.method.as_ref().is_none_or(|m| *m == e.method)
            && self.path.as_ref().is_none_or(|p| p == path)
            && self.status.is_none_or(|s| s == e.status)
            && self.validation.is_none_or(|v| v == e.validation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_filters_and_bad_values_are_named() {
        let e = Filter::parse(Some("opration=x"), &["limit"]).expect_err("unknown");
        assert!(e.contains("`opration`") && e.contains("operation") && e.contains("limit"));
        let e = Filter::parse(Some("status=abc"), &[]).expect_err("bad");
        assert!(e.contains("status `abc`"), "{e}");
        let e = Filter::parse(Some("validation=fine"), &[]).expect_err("bad");
        assert!(e.contains("not-routed"), "{e}");
        let (f, rest) = Filter::parse(Some("method=post&limit=3"), &["limit"]).expect("good");
        assert_eq!(f.method.as_deref(), Some("POST"));
        assert_eq!(rest, [("limit".to_owned(), "3".to_owned())]);
    }
}
