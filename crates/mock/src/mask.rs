//! The path and query as the log and the journal show them: values of credential-bearing
//! parameters (`DELETE /auth/{token}`, `?api_key=…`) replaced by `***`, since a log line
//! or a journal read from a browser must not hand out a live token.
//!
//! A parameter bears a credential when a session kind carries its token in it, an API-key
//! scheme names it, or its name says so (`token`, `refresh_token`, `password`, `api-key`).

use cartwright_model::{Api, Carrier, Operation, SchemeKind, Segment, Template};

use crate::Incoming;

/// What stands for a masked value.
const MASK: &str = "***";

/// Name parts that mark a parameter as a credential, compared without case, `-` or `_`.
const CREDENTIAL_WORDS: [&str; 8] = [
    "token",
    "secret",
    "password",
    "passwd",
    "apikey",
    "accesskey",
    "signature",
    "otp",
];

/// The request's path and query with credential values masked; `routed` is the API and
/// operation the request matched, whose path template says which segments are parameters,
/// and whether the match took any parameter from the path (without one, no segment is
/// masked and the template is not read).
pub(crate) fn shown(req: &Incoming, routed: Option<(&Api, &Operation, bool)>) -> String {
    masked(req, routed).unwrap_or_else(|| req.path.clone())
}

/// What [`shown`] gives when it differs from the raw path as sent; `None` when the request
/// has no query and nothing in its path is masked, so the raw path is shown without a copy.
pub(crate) fn masked(req: &Incoming, routed: Option<(&Api, &Operation, bool)>) -> Option<String> {
    let api = routed.map(|(a, _, _)| a);
    let path = match routed {
        Some((api, op, true)) => masked_path(req, api, op),
        _ => None,
    };
    match &req.query {
        Some(q) => Some(format!(
            "{}?{}",
            path.as_deref().unwrap_or(&req.path),
            masked_query(q, api)
        )),
        None => path,
    }
}

/// Whether a parameter of that name bears a credential in `api`.
pub(crate) fn credential(name: &str, api: Option<&Api>) -> bool {
    let plain: String = name
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    if CREDENTIAL_WORDS.iter().any(|w| plain.contains(w)) {
        return true;
    }
    let Some(api) = api else {
        return false;
    };
    let carried = api.behaviours.sessions.iter().any(|k| {
        k.carriers
            .iter()
            .any(|c| matches!(c, Carrier::Path(n) | Carrier::Query(n) if n == name))
    });
    carried
        || api
            .security_schemes
            .iter()
            .any(|(_, s)| matches!(&s.kind, SchemeKind::ApiKeyQuery(n) if n == name))
}

/// Whether a header of that name bears a credential in any of `apis`: `Authorization`,
/// cookies, a name that says so (`API-token`, `x-shared-secret`), a header an API-key
/// scheme names or a session carries its token in.
pub(crate) fn credential_header(name: &str, apis: &[std::sync::Arc<Api>]) -> bool {
    let lower = name.to_ascii_lowercase();
    if [
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
    ]
    .contains(&lower.as_str())
        || credential(name, None)
    {
        return true;
    }
    apis.iter().any(|api| {
        api.security_schemes.iter().any(
            |(_, s)| matches!(&s.kind, SchemeKind::ApiKeyHeader(n) if n.eq_ignore_ascii_case(name)),
        ) || api.behaviours.sessions.iter().any(|k| {
            k.carriers
                .iter()
                .any(|c| matches!(c, Carrier::Header(n) if n.eq_ignore_ascii_case(name)))
        })
    })
}

/// A JSON value with the values of credential-named members (`password`, `token`) masked.
pub(crate) fn json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(m) => {
            for (k, v) in m.iter_mut() {
                if credential(k, None) && !v.is_object() && !v.is_array() {
                    *v = serde_json::Value::String(MASK.to_owned());
                } else {
                    json(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(json),
        _ => {}
    }
}

/// The path with credential segments masked, or `None` when it does not line up with the
/// operation's template.
fn masked_path(req: &Incoming, api: &Api, op: &Operation) -> Option<String> {
    // Most templates name no credential: their path is shown as sent, without parsing the
    // template on every request.
    let mut names = op.path.split('{').skip(1).filter_map(|s| s.split_once('}'));
    if !names.any(|(n, _)| credential(n, Some(api))) {
        return None;
    }
    let rest = api.strip_base(&req.path)?;
    let prefix = &req.path[..req.path.len() - rest.len()];
    let template = Template::parse(&op.path).ok()?;
    let trailing = rest.len() > 1 && rest.ends_with('/');
    let body = rest.strip_prefix('/')?;
    let body = body.strip_suffix('/').unwrap_or(body);
    let segments: Vec<&str> = body.split('/').collect();
    if segments.len() != template.segments.len() {
        return None;
    }
    let mut out = String::from(prefix);
    for (raw, seg) in segments.iter().zip(&template.segments) {
        let secret = match seg {
            Segment::Param(n) => credential(n, Some(api)),
            Segment::Mixed(parts) => parts
                .iter()
                .any(|p| matches!(p, cartwright_model::Part::Param(n) if credential(n, Some(api)))),
            Segment::Literal(_) => false,
        };
        out.push('/');
        out.push_str(if secret { MASK } else { raw });
    }
    if trailing {
        out.push('/');
    }
    Some(out)
}

/// The query with the values of credential parameters masked, the rest as sent.
fn masked_query(query: &str, api: Option<&Api>) -> String {
    query
        .split('&')
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = form_urlencoded::parse(key.as_bytes())
                .next()
                .map(|(k, _)| k.into_owned())
                .unwrap_or_default();
            if !value.is_empty() && credential(&name, api) {
                format!("{key}={MASK}")
            } else {
                pair.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}
