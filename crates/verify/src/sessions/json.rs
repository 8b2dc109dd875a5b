//! Small JSON tools the security checks share: values at a path of keys, the leaves of an
//! answer, JSONPaths for scenario captures, and the properties a schema declares.

use cartwright_model::Api;
use serde_json::Value;

/// A path of object keys (or array indices written as numbers) into a JSON value.
pub(crate) type Path = Vec<String>;

/// The value at `path`, if there is one.
pub(crate) fn at<'v>(v: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(v, |v, k| match v {
        Value::Object(m) => m.get(k),
        Value::Array(items) => k.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// Sets the value at `path`, making objects on the way; false when an array or a scalar is
/// in the way.
pub(crate) fn set(v: &mut Value, path: &[String], new: Value) -> bool {
    let Some((last, parents)) = path.split_last() else {
        *v = new;
        return true;
    };
    let mut cur = v;
    for k in parents {
        if cur.is_null() {
            *cur = Value::Object(serde_json::Map::new());
        }
        let Value::Object(m) = cur else {
            return false;
        };
        cur = m
            .entry(k.clone())
            .or_insert(Value::Object(serde_json::Map::new()));
    }
    if cur.is_null() {
        *cur = Value::Object(serde_json::Map::new());
    }
    match cur {
        Value::Object(m) => {
            m.insert(last.clone(), new);
            true
        }
        _ => false,
    }
}

/// Removes the value at `path`, if there is one.
pub(crate) fn remove(v: &mut Value, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = v;
    for k in parents {
        match cur.get_mut(k.as_str()) {
            Some(next) => cur = next,
            None => return,
        }
    }
    if let Value::Object(m) = cur {
        m.shift_remove(last);
    }
}

/// A JSON pointer (`/data/attributes/token`) as a path of keys.
pub(crate) fn from_pointer(pointer: &str) -> Path {
    pointer
        .split('/')
        .skip(1)
        .map(cartwright_source::pointer::unescape)
        .collect()
}

/// The JSONPath of `path` for a scenario capture or assertion: dots for plain names,
/// brackets for indices and for names a dot cannot carry.
pub(crate) fn jsonpath(path: &[String]) -> String {
    let mut out = String::from("$");
    for k in path {
        if !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{k}]"));
        } else if k
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            out.push('.');
            out.push_str(k);
        } else {
            out.push_str(&format!(
                "['{}']",
                k.replace('\\', "\\\\").replace('\'', "\\'")
            ));
        }
    }
    out
}

/// Every scalar of a value with its path, arrays by index.
pub(crate) fn leaves(v: &Value) -> Vec<(Path, Value)> {
    fn walk(v: &Value, path: &mut Path, out: &mut Vec<(Path, Value)>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    path.push(k.clone());
                    walk(x, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    path.push(i.to_string());
                    walk(x, path, out);
                    path.pop();
                }
            }
            other => out.push((path.clone(), other.clone())),
        }
    }
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), &mut out);
    out
}

/// Whether a field name names a session or access token (not its type, lifetime or the
/// refresh token that comes with it).
pub(crate) fn tokenish(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.contains("token") && !k.contains("refresh") && !k.contains("type") && !k.contains("expir")
}

/// Where an answer most likely carries a token: the shallowest non-empty string field named
/// like one (`token`, `access_token`, `data.attributes.token`), three levels deep at most.
pub(crate) fn find_token(v: &Value) -> Option<Path> {
    let mut level: Vec<(Path, &Value)> = vec![(Vec::new(), v)];
    for _ in 0..4 {
        let mut next = Vec::new();
        let mut found: Vec<Path> = Vec::new();
        for (path, v) in level {
            let Value::Object(m) = v else { continue };
            for (k, x) in m {
                let mut p = path.clone();
                p.push(k.clone());
                match x {
                    Value::String(s) if tokenish(k) && !s.is_empty() => found.push(p),
                    Value::Object(_) => next.push((p, x)),
                    _ => {}
                }
            }
        }
        // `access_token` and `token` before other names that merely contain the word.
        found.sort_by_key(|p| {
            let k = p.last().map(|k| k.to_ascii_lowercase()).unwrap_or_default();
            !matches!(k.as_str(), "token" | "access_token" | "accesstoken")
        });
        if let Some(p) = found.into_iter().next() {
            return Some(p);
        }
        level = next;
    }
    None
}

/// The schema JSON a `$ref` names in the normalised document (local references only).
pub(crate) fn resolve<'d>(api: &'d Api, v: &'d Value) -> &'d Value {
    let mut v = v;
    for _ in 0..16 {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| api.document.pointer(p)) {
                Some(target) => v = target,
                None => return v,
            },
            None => return v,
        }
    }
    v
}

/// The properties a schema declares, its `allOf` members' included, with their schemas.
pub(crate) fn properties<'d>(api: &'d Api, schema: &'d Value) -> Vec<(&'d str, &'d Value)> {
    let schema = resolve(api, schema);
    let mut out: Vec<(&str, &Value)> = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), resolve(api, v)))
        .collect();
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let member = resolve(api, member);
        out.extend(
            member
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.as_str(), resolve(api, v))),
        );
    }
    out
}

/// The schema JSON of a compiled schema.
pub(crate) fn schema_json<'d>(
    api: &'d Api,
    schema: &cartwright_model::Schema,
) -> Option<&'d Value> {
    api.document
        .pointer(&schema.pointer)
        .map(|v| resolve(api, v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(s: &[&str]) -> Path {
        s.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn paths_read_write_and_print_as_jsonpath() {
        let mut v = json!({"data": {"items": [{"id": 7}]}});
        assert_eq!(at(&v, &p(&["data", "items", "0", "id"])), Some(&json!(7)));
        assert!(set(&mut v, &p(&["user", "email"]), json!("a@b.c")));
        assert_eq!(v["user"]["email"], "a@b.c");
        remove(&mut v, &p(&["user", "email"]));
        assert_eq!(v["user"], json!({}));
        assert_eq!(
            jsonpath(&p(&["data", "items", "0", "a-b"])),
            "$.data.items[0]['a-b']"
        );
        assert_eq!(from_pointer("/a~1b/c"), p(&["a/b", "c"]));
    }

    #[test]
    fn the_token_field_is_found_and_its_companions_are_not() {
        let pair = json!({"token_type": "Bearer", "refresh_token": "r", "access_token": "a"});
        assert_eq!(find_token(&pair), Some(p(&["access_token"])));
        let deep = json!({"data": {"id": "1", "attributes": {"token": "t"}}});
        assert_eq!(find_token(&deep), Some(p(&["data", "attributes", "token"])));
        assert_eq!(find_token(&json!({"id": "x"})), None);
    }
}
