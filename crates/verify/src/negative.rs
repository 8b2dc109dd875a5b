//! Invalid variants of a valid request — malformed JSON, a wrong content type, a required
//! body field or query parameter left out — which a conforming implementation must refuse
//! (`negative_data_rejection`: any 2xx answer to one of them fails).

use cartwright_model::{Operation, ParamLocation};
use serde_json::Value;

use cartwright_http::{Body, Request};

/// The invalid variants of `valid` for `op`, each with what makes it invalid.
pub(crate) fn variants(op: &Operation, valid: &Request) -> Vec<(String, Request)> {
    let mut out = Vec::new();
    if let (
        Some(body),
        Some(Body {
            content_type: ct,
            bytes,
        }),
    ) = (&op.body, &valid.body)
        && ct.contains("json")
    {
        let mut malformed = valid.clone();
        malformed.body = Some(Body::new(ct.clone(), b"{\"unclosed\": ".to_vec()));
        out.push(("malformed JSON".to_owned(), malformed));
        if !body
            .content
            .iter()
            .any(|m| m.media_type.starts_with("text/") || m.media_type.contains('*'))
        {
            let mut wrong = valid.clone();
            wrong.body = Some(Body::new("text/plain", bytes.clone()));
            out.push(("wrong content type text/plain".to_owned(), wrong));
        }
        let required = body
            .content
            .iter()
            .find(|m| m.media_type == *ct)
            .map(|m| m.required_fields.clone())
            .unwrap_or_default();
        if let (Some(field), Ok(Value::Object(mut m))) =
            (required.first(), serde_json::from_slice::<Value>(bytes))
        {
            m.shift_remove(field);
            let mut missing = valid.clone();
            missing.body = Some(Body::new(
                ct.clone(),
                serde_json::to_vec(&Value::Object(m)).unwrap_or_default(),
            ));
            out.push((format!("required field `{field}` missing"), missing));
        }
    }
    if op.body.as_ref().is_some_and(|b| b.required) && valid.body.is_some() {
        let mut none = valid.clone();
        none.body = None;
        out.push(("required body missing".to_owned(), none));
    }
    for p in op
        .parameters
        .iter()
        .filter(|p| p.required && p.location == ParamLocation::Query)
    {
        let mut without = valid.clone();
        without.url = drop_query(&valid.url, &p.name);
        if without.url != valid.url {
            out.push((
                format!("required query parameter `{}` missing", p.name),
                without,
            ));
        }
    }
    out
}

fn drop_query(url: &str, name: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let kept: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k != name)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        return base.to_owned();
    }
    format!(
        "{base}?{}",
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&kept)
            .finish()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_are_dropped_by_name() {
        assert_eq!(drop_query("http://h/p?a=1&b=2", "a"), "http://h/p?b=2");
        assert_eq!(drop_query("http://h/p?a=1", "a"), "http://h/p");
        assert_eq!(drop_query("http://h/p", "a"), "http://h/p");
    }
}
