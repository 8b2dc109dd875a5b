//! The `Prefer` header (RFC 7240) as Prism reads it (`code`, `example`, `dynamic`, plus
//! `seed`), with `delay` and `fault` for testing slow and broken answers, and Prism's query
//! parameters `__code`, `__example` and `__dynamic` for clients that cannot set headers.

use std::time::Duration;

use http::{HeaderValue, StatusCode};
use serde_json::json;

use crate::Incoming;
use crate::delivery::Fault;
use crate::problem::{Problem, ProblemKind};

/// Preferences from `Prefer: code=404, example=name, dynamic=true, seed=7, delay=300`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Prefer {
    /// A status to answer with.
    pub code: Option<u16>,
    /// A named example to answer with.
    pub example: Option<String>,
    /// Generate values instead of using examples.
    pub dynamic: Option<bool>,
    /// Seed for generated values.
    pub seed: Option<u64>,
    /// Wait this long before answering.
    pub delay: Option<Duration>,
    /// Break the answer this way.
    pub fault: Option<Fault>,
}

/// The `Prefer` header's name, looked up without parsing it on every request.
pub(crate) const PREFER: http::HeaderName = http::HeaderName::from_static("prefer");

fn items(header: Option<&str>) -> impl Iterator<Item = (String, &str)> {
    header
        .into_iter()
        .flat_map(|h| h.split([',', ';']))
        .filter_map(|item| item.split_once('='))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().trim_matches('"')))
}

/// Parses the `Prefer` header leniently: a bad value is left out. The pipeline has refused
/// such a request with [`check`] before any answer is made, so this only sees good ones.
pub(crate) fn prefer(header: Option<&str>) -> Prefer {
    let mut p = Prefer::default();
    for (k, v) in items(header) {
        let _ = set(&mut p, &k, v, Duration::MAX);
    }
    p
}

/// Parses the `Prefer` header strictly: a known preference with a bad value is a 400 that
/// says which and why; a delay above `max_delay` is one too, naming the cap.
pub(crate) fn check(header: Option<&str>, max_delay: Duration) -> Result<Prefer, Problem> {
    let mut p = Prefer::default();
    for (k, v) in items(header) {
        set(&mut p, &k, v, max_delay).map_err(|why| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                ProblemKind::BadPreference,
                "Bad Preference",
                format!("Prefer: {k}={v}: {why}"),
            )
            .with("preference", json!(k))
        })?;
    }
    Ok(p)
}

fn set(p: &mut Prefer, key: &str, v: &str, max_delay: Duration) -> Result<(), String> {
    match key {
        "code" => {
            p.code = Some(
                v.parse::<u16>()
                    .ok()
                    .filter(|c| (100..=599).contains(c))
                    .ok_or("not a status code (100 to 599)")?,
            );
        }
        "example" => p.example = Some(v.to_owned()),
        "dynamic" => p.dynamic = Some(v.parse().map_err(|_| "not true or false")?),
        "seed" => p.seed = Some(v.parse().map_err(|_| "not a whole number >= 0")?),
        "delay" => {
            let ms: u64 = v
                .parse()
                .map_err(|_| "not a whole number of milliseconds")?;
            let delay = Duration::from_millis(ms);
            if delay > max_delay {
                return Err(format!(
                    "above the longest delay this mock allows ({} ms, --max-delay)",
                    max_delay.as_millis()
                ));
            }
            p.delay = Some(delay);
        }
        "fault" => {
            let names: Vec<&str> = Fault::ALL.iter().map(|(n, _)| *n).collect();
            p.fault = Some(
                Fault::parse(v)
                    .ok_or_else(|| format!("not a fault; known: {}", names.join(", ")))?,
            );
        }
        _ => {}
    }
    Ok(())
}

/// Prism's query parameters, as the preferences they stand for.
const QUERY: [(&str, &str); 3] = [
    ("__code", "code"),
    ("__example", "example"),
    ("__dynamic", "dynamic"),
];

/// Takes `__code`, `__example` and `__dynamic` out of the query (so validation never sees
/// them as unknown parameters) and adds them to `Prefer`, unless the header already states
/// that preference: a header wins over the query.
pub(crate) fn lift_query(req: &mut Incoming) {
    let Some(query) = req.query.as_deref() else {
        return;
    };
    if !query.contains("__") {
        return;
    }
    let stated = req
        .header("prefer")
        .map(|h| items(Some(h)).map(|(k, _)| k).collect::<Vec<_>>())
        .unwrap_or_default();
    let (mut kept, mut added) = (Vec::new(), Vec::new());
    for pair in query.split('&') {
        let raw_key = pair.split('=').next().unwrap_or_default();
        match QUERY.iter().find(|(q, _)| *q == raw_key) {
            Some((_, pref)) => {
                let value = form_urlencoded::parse(pair.as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default();
                if !stated.iter().any(|k| k == pref) {
                    added.push(format!("{pref}={value}"));
                }
            }
            None => kept.push(pair),
        }
    }
    req.query = (!kept.is_empty()).then(|| kept.join("&"));
    if added.is_empty() {
        return;
    }
    let header = match req.header(PREFER) {
        Some(h) if !h.trim().is_empty() => format!("{h}, {}", added.join(", ")),
        _ => added.join(", "),
    };
    if let Ok(v) = HeaderValue::from_str(&header) {
        req.headers.insert("prefer", v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;

    #[test]
    fn prefer_header() {
        let p = prefer(Some(
            "code=404, example=missing, dynamic=true, seed=7, delay=30",
        ));
        assert_eq!(
            p,
            Prefer {
                code: Some(404),
                example: Some("missing".into()),
                dynamic: Some(true),
                seed: Some(7),
                delay: Some(Duration::from_millis(30)),
                fault: None,
            }
        );
        assert_eq!(prefer(Some("respond-async")), Prefer::default());
    }

    #[test]
    fn bad_values_are_refused_and_unknown_ones_ignored() {
        let max = Duration::from_secs(60);
        assert!(check(Some("respond-async, wait=10, foo=bar"), max).is_ok());
        let p = check(Some("fault=reset, delay=5"), max).expect("good values");
        assert_eq!(p.fault, Some(Fault::Reset));
        for bad in ["delay=soon", "fault=explode", "code=abc", "dynamic=maybe"] {
            let e = check(Some(bad), max).expect_err(bad);
            assert_eq!(e.status, StatusCode::BAD_REQUEST, "{bad}");
        }
        let e = check(Some("delay=61000"), max).expect_err("over the cap");
        assert!(e.detail.contains("60000 ms"), "{}", e.detail);
    }

    #[test]
    fn query_parameters_become_preferences_and_leave_the_query() {
        let mut req = Incoming::new(Method::GET, "/pets?limit=2&__code=404&__example=x%20y");
        lift_query(&mut req);
        assert_eq!(req.query.as_deref(), Some("limit=2"));
        let p = prefer(req.header(PREFER));
        assert_eq!((p.code, p.example.as_deref()), (Some(404), Some("x y")));

        let mut req = Incoming::new(Method::GET, "/pets?__code=404");
        req.headers
            .insert("prefer", HeaderValue::from_static("code=200"));
        lift_query(&mut req);
        assert_eq!(req.query, None);
        assert_eq!(prefer(req.header(PREFER)).code, Some(200));
    }
}
