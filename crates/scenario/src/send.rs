//! Requests as they go on the wire: interpolated, sent with reqwest, read back into an
//! [`Answer`], and shown as a curl command with secrets masked.

use std::time::Instant;

use minijinja::value::Value as Jinja;
use serde_json::Value;

use crate::answer::Answer;
use crate::ast::Request;
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
    pub fn build(r: &Request, vars: &Jinja) -> Result<Ready, TemplateError> {
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

    /// The request as a curl command (not yet masked).
    pub fn curl(&self, base: &str) -> String {
        // Without --path-as-is curl would resolve dot segments, as URL libraries do.
        let as_is = if self.path.contains("/.") {
            " --path-as-is"
        } else {
            ""
        };
        let mut out = format!("curl{as_is} -X {} '{}{}'", self.method, base, self.path);
        for (k, v) in &self.headers {
            out.push_str(&format!(" -H '{k}: {}'", v.replace('\'', "'\\''")));
        }
        if let Some((b, ct)) = &self.body {
            if !self.has_header("content-type") {
                out.push_str(&format!(" -H 'Content-Type: {ct}'"));
            }
            out.push_str(&format!(" --data-raw '{}'", b.replace('\'', "'\\''")));
        }
        out
    }

    fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(name))
    }

    /// Sends it to `base` (which ends without `/`).
    pub async fn send(&self, client: &reqwest::Client, base: &str) -> Result<Answer, String> {
        let method = reqwest::Method::from_bytes(self.method.as_bytes())
            .map_err(|_| format!("`{}` is not an HTTP method", self.method))?;
        // The path goes out exactly as built: reqwest's URL parser would resolve `..` and
        // re-encode, so the raw form of attack payloads is kept by building the URL text
        // and checking it parses without normalising the path away.
        let url = format!("{base}{}", self.path);
        let parsed = reqwest::Url::parse(&url).map_err(|e| format!("invalid URL `{url}`: {e}"))?;
        if !parsed.as_str().ends_with(self.path.as_str()) {
            return self.send_raw(base).await;
        }
        let mut req = client.request(method, parsed);
        for (k, v) in &self.headers {
            req = req.header(k.as_str(), v.as_str());
        }
        if let Some((b, ct)) = &self.body {
            if !self.has_header("content-type") {
                req = req.header("content-type", *ct);
            }
            req = req.body(b.clone());
        }
        let start = Instant::now();
        let res = req.send().await.map_err(|e| unreachable(&e))?;
        let status = res.status().as_u16();
        let headers = res
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let bytes = res.bytes().await.map_err(|e| unreachable(&e))?;
        let took = start.elapsed();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        let json = serde_json::from_slice(&bytes).ok();
        Ok(Answer {
            status,
            headers,
            body,
            json,
            took,
        })
    }
}

impl Ready {
    async fn send_raw(&self, base: &str) -> Result<Answer, String> {
        let start = Instant::now();
        let body = self.body.as_ref().map(|(b, ct)| (b.as_str(), *ct));
        let (status, headers, bytes) =
            crate::raw::send(base, &self.method, &self.path, &self.headers, body).await?;
        Ok(Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            json: serde_json::from_slice(&bytes).ok(),
            took: start.elapsed(),
        })
    }
}

fn unreachable(e: &reqwest::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
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
        let r: Request = serde_json::from_value(json!({
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
        assert!(
            ready
                .curl("http://h")
                .starts_with("curl -X POST 'http://h/vouchers/A%2BB?")
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
