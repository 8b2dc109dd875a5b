//! A step's request with every interpolation done, turned into the wire request that
//! `cartwright_http` sends and renders as curl; and the [`Masker`] that hides secrets in
//! what is reported.

use cartwright_http::{Body, Method, Request};
use minijinja::value::Value as Jinja;
use serde_json::Value;

use crate::ast::Request as Step;
use crate::template::{Template, TemplateError, deep};

/// A request with every interpolation done.
#[derive(Debug, Clone)]
pub struct Ready {
    /// The method.
    pub method: String,
    /// The path below the API's base, encoded as it will be sent, with the query.
    pub path: String,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// The body and its content type.
    pub body: Option<(String, &'static str)>,
}

impl Ready {
    /// Interpolates a step's request.
    pub fn build(r: &Step, vars: &Jinja) -> Result<Ready, TemplateError> {
        let mut path = Template::compile(&r.path)?.path(vars)?;
        let mut pairs = Vec::new();
        for (k, v) in &r.query {
            match deep(v, vars)? {
                Value::Array(items) => pairs.extend(items.iter().map(|i| (k.clone(), text(i)))),
                v => pairs.push((k.clone(), text(&v))),
            }
        }
        if !pairs.is_empty() {
            let q: String = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&pairs)
                .finish();
            path.push(if path.contains('?') { '&' } else { '?' });
            path.push_str(&q);
        }
        let mut headers = Vec::new();
        for (k, v) in &r.headers {
            headers.push((
                Template::compile(k)?.text(vars)?,
                Template::compile(v)?.text(vars)?,
            ));
        }
        let body = if let Some(j) = &r.json {
            Some((deep(j, vars)?.to_string(), "application/json"))
        } else if let Some(f) = &r.form {
            let mut s = form_urlencoded::Serializer::new(String::new());
            for (k, v) in f {
                s.append_pair(k, &Template::compile(v)?.text(vars)?);
            }
            Some((s.finish(), "application/x-www-form-urlencoded"))
        } else if let Some(b) = &r.body {
            Some((Template::compile(b)?.text(vars)?, "text/plain"))
        } else {
            None
        };
        Ok(Ready {
            method: r.method.to_ascii_uppercase(),
            path,
            headers,
            body,
        })
    }

    /// The request to send to `base` (which ends without `/`).
    pub fn request(&self, base: &str) -> Result<Request, String> {
        let method = Method::parse(&self.method)
            .ok_or_else(|| format!("`{}` is not an HTTP method", self.method))?;
        Ok(Request {
            method,
            url: format!("{base}{}", self.path),
            headers: self.headers.clone(),
            body: self
                .body
                .as_ref()
                .map(|(b, ct)| Body::new(*ct, b.as_bytes())),
        })
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Replaces every secret value in a text.
#[derive(Debug, Clone, Default)]
pub struct Masker {
    secrets: Vec<String>,
}

impl Masker {
    /// Adds a secret value (too short a value would mask ordinary text, so it is skipped).
    pub fn add(&mut self, secret: &str) {
        if secret.len() >= 4 && !self.secrets.iter().any(|s| s == secret) {
            self.secrets.push(secret.to_owned());
            // Longest first, so a secret containing another is masked whole.
            self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    /// The text with secrets replaced.
    pub fn mask(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for s in &self.secrets {
            out = out.replace(s.as_str(), "****");
        }
        out
    }

    /// The secret values.
    pub fn values(&self) -> &[String] {
        &self.secrets
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builds_path_query_headers_and_json_with_types_kept() {
        let r: Step = serde_json::from_value(json!({
            "method": "post", "path": "/vouchers/{{ v }}", "query": {"ids": [1, 2], "q": "{{ v }}"},
            "headers": {"API-token": "{{ t }}"}, "json": {"qty": "{{ n }}", "note": "x{{ n }}"}
        }))
        .expect("request");
        let vars = Jinja::from_serialize(json!({"v": "A+B", "t": "tok", "n": 2}));
        let ready = Ready::build(&r, &vars).expect("builds");
        assert_eq!(ready.path, "/vouchers/A%2BB?ids=1&ids=2&q=A%2BB");
        assert_eq!(ready.headers, [("API-token".to_owned(), "tok".to_owned())]);
        assert_eq!(
            ready.body.as_ref().map(|b| b.0.as_str()),
            Some(r#"{"qty":2,"note":"x2"}"#)
        );
        let request = ready.request("http://h").expect("a method");
        assert!(
            cartwright_http::curl(&request).starts_with("curl -X POST 'http://h/vouchers/A%2BB?")
        );
    }

    #[test]
    fn masks_longest_first() {
        let mut m = Masker::default();
        m.add("abc");
        m.add("secret-token");
        m.add("secret");
        assert_eq!(
            m.mask("Bearer secret-token and secret abc"),
            "Bearer **** and **** abc"
        );
    }
}
