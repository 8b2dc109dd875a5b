//! JSON Web Tokens forged from a real one: the same header and payload with a changed
//! signature, and the same payload re-encoded as unsigned (`alg: none`). Both stay valid
//! base64url and valid JSON, so a server refusing them refuses the forgery, not the shape.
//! Each comes with the scenario template that forges the replay's own token the same way.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// A token's three parts, when it is a JWT: a JSON header naming an `alg`, a JSON payload
/// object, and the signature as written.
pub(crate) struct Jwt<'t> {
    header: Value,
    payload: &'t str,
    signature: &'t str,
    head: &'t str,
}

/// The token as a JWT, if it is one.
pub(crate) fn parse(token: &str) -> Option<Jwt<'_>> {
    let mut parts = token.split('.');
    let (head, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let json = |part: &str| -> Option<Value> {
        let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
        serde_json::from_slice::<Value>(&bytes)
            .ok()
            .filter(Value::is_object)
    };
    let header = json(head)?;
    header.get("alg")?.as_str()?;
    json(payload)?;
    Some(Jwt {
        header,
        payload,
        signature,
        head,
    })
}

impl Jwt<'_> {
    /// The token with one signature character changed to another base64url character, and
    /// the replay's template doing the same to `var`; `None` for an unsigned token. The
    /// character is not the last one, whose low bits may be padding: changing any other
    /// changes the signature's bytes.
    pub(crate) fn resigned(&self, var: &str) -> Option<(String, String)> {
        let sig: Vec<char> = self.signature.chars().collect();
        if sig.len() < 2 {
            return None;
        }
        let p = sig.len() / 2 - 1;
        let c = sig.get(p).copied()?;
        let (x, y) = (other(c), other(other(c)));
        let forged: String = sig
            .iter()
            .enumerate()
            .map(|(i, ch)| if i == p { x } else { *ch })
            .collect();
        let part = |i: usize| format!("({var}|split('.'))[{i}]");
        let s = part(2);
        let q = p + 1;
        let template = format!(
            "{{{{ {h} ~ '.' ~ {b} ~ '.' ~ {s}[:{p}] ~ ('{x}' if {s}[{p}:{q}] != '{x}' else '{y}') ~ {s}[{q}:] }}}}",
            h = part(0),
            b = part(1),
        );
        Some((format!("{}.{}.{forged}", self.head, self.payload), template))
    }

    /// The token re-encoded unsigned: its header with `alg` set to `none`, its payload
    /// unchanged, an empty signature; and the replay's template doing the same to `var`.
    pub(crate) fn unsigned(&self, var: &str) -> (String, String) {
        let mut header = self.header.clone();
        if let Some(m) = header.as_object_mut() {
            m.insert("alg".into(), Value::String("none".into()));
        }
        let head = URL_SAFE_NO_PAD.encode(header.to_string());
        let token = format!("{head}.{}.", self.payload);
        let template = format!("{{{{ '{head}.' ~ ({var}|split('.'))[1] ~ '.' }}}}");
        (token, template)
    }
}

/// Another base64url character of the same class, so the value stays valid base64url.
fn other(c: char) -> char {
    let next = |c: char, first: u8, len: u8| char::from(first + (c as u8 - first + 1) % len);
    match c {
        '0'..='9' => next(c, b'0', 10),
        'a'..='z' => next(c, b'a', 26),
        'A'..='Z' => next(c, b'A', 26),
        _ => 'x',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(v: &Value) -> String {
        URL_SAFE_NO_PAD.encode(v.to_string())
    }

    #[test]
    fn forgeries_keep_header_and_payload_valid_and_change_only_what_they_say() {
        let head = encode(&serde_json::json!({"alg": "HS256", "typ": "JWT"}));
        let body = encode(&serde_json::json!({"sub": "a@example.com", "exp": 1}));
        let sig = URL_SAFE_NO_PAD.encode([7u8; 32]);
        let token = format!("{head}.{body}.{sig}");
        let jwt = parse(&token).expect("a JWT");
        let (resigned, template) = jwt.resigned("tok").expect("signed");
        let parts: Vec<&str> = resigned.split('.').collect();
        assert_eq!(parts[..2], [head.as_str(), body.as_str()]);
        let bytes = URL_SAFE_NO_PAD.decode(parts[2]).expect("base64url");
        assert_ne!(bytes, vec![7u8; 32]);
        assert!(template.contains("(tok|split('.'))[2]"), "{template}");
        let (unsigned, template) = jwt.unsigned("tok");
        let parts: Vec<&str> = unsigned.split('.').collect();
        assert_eq!((parts[1], parts[2]), (body.as_str(), ""));
        let header: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).expect("b64")).expect("json");
        assert_eq!(header["alg"], "none");
        assert_eq!(header["typ"], "JWT");
        assert!(
            template.ends_with("~ (tok|split('.'))[1] ~ '.' }}"),
            "{template}"
        );
        assert!(parse("not.a.jwt").is_none());
        assert!(parse("Es9lLPW2mVaDB80I-I_OdQCw3JfOT1s19YN1naFWx98").is_none());
        assert!(parse(&format!("{head}.{body}.")).is_some_and(|j| j.resigned("t").is_none()));
    }
}
