//! Contract checks of an answer against the spec: the operation the request matched must
//! declare the status, the content type and the required headers, and the body must fit
//! the declared schema. Every hand-written step is also a contract check this way.

use cartwright_model::{Api, Lookup, Method, Operation};

use crate::answer::Answer;

/// The operation a request path (relative to the API's base path) and method match.
pub fn operation<'a>(api: &'a Api, method: &str, path: &str) -> Result<&'a Operation, String> {
    let m = Method::parse(method).ok_or_else(|| format!("`{method}` is not an HTTP method"))?;
    let path = path.split('?').next().unwrap_or(path);
    match api.router.lookup(m, path) {
        Lookup::Found(found) => Ok(&api.operations[found.operation]),
        Lookup::MethodNotAllowed(allowed) => Err(format!(
            "`{path}` has no {method} operation in the spec (it has {})",
            allowed
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Lookup::NotFound => Err(format!("no operation of the spec matches {method} {path}")),
        Lookup::BadEncoding => Err(format!("`{path}` is not valid percent-encoded UTF-8")),
    }
}

/// Every way the answer breaks the operation's contract (empty: it conforms).
pub fn violations(op: &Operation, a: &Answer) -> Vec<String> {
    let Some(resp) = op.response_for(a.status) else {
        return vec![format!(
            "status {} is not declared by {} ({})",
            a.status,
            op.signature(),
            op.id
        )];
    };
    let mut out = Vec::new();
    for h in &resp.headers {
        match a.header(&h.name) {
            None if h.required => out.push(format!("required header `{}` is missing", h.name)),
            Some(v) => {
                if let Some(schema) = &h.schema {
                    let value =
                        serde_json::from_str(v).unwrap_or_else(|_| serde_json::Value::from(v));
                    if !schema.is_valid(&value) && !schema.is_valid(&serde_json::Value::from(v)) {
                        out.push(format!("header `{}` does not fit its schema", h.name));
                    }
                }
            }
            None => {}
        }
    }
    if a.body.is_empty() && a.json.is_none() {
        return out;
    }
    if resp.content.is_empty() {
        out.push(format!(
            "status {} declares no body, but one came",
            a.status
        ));
        return out;
    }
    let ct = a
        .header("content-type")
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let Some(media) = resp.content.iter().find(|m| fits(&m.media_type, &ct)) else {
        out.push(format!(
            "content type `{ct}` is not declared (declared: {})",
            resp.content
                .iter()
                .map(|m| m.media_type.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        return out;
    };
    if let (Some(schema), Some(json)) = (&media.schema, &a.json) {
        for v in schema.violations(json).into_iter().take(10) {
            out.push(format!(
                "body at `{}`: {} (schema {})",
                if v.instance.is_empty() {
                    "/"
                } else {
                    &v.instance
                },
                v.message,
                v.schema
            ));
        }
    }
    out
}

/// Whether a declared media range covers the answer's media type.
fn fits(declared: &str, actual: &str) -> bool {
    let declared = declared.to_ascii_lowercase();
    match declared.split_once('/') {
        _ if declared == actual => true,
        Some(("*", "*")) => true,
        Some((t, "*")) => actual.split('/').next() == Some(t),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_ranges() {
        assert!(fits("application/json", "application/json"));
        assert!(fits("application/*", "application/json"));
        assert!(fits("*/*", "text/plain"));
        assert!(!fits("application/json", "text/html"));
    }
}
