//! Route templates and the router that matches request paths to operations.
//!
//! A request path is split on `/` *first* and each segment percent-decoded *after*, so an
//! encoded `/` (`%2F`) or `..` stays inside one parameter value and can never climb into
//! another route (`DELETE /vouchers/..%2Fadmin` binds `voucher = "../admin"`). Literal
//! segments are tried before templated ones, so `/products/featured` wins over
//! `/products/{id}`, and a method that does not fit one candidate falls through to the next.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::Method;

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A literal segment (`vouchers`).
    Literal(String),
    /// A whole-segment parameter (`{voucher}`).
    Param(String),
    /// Literal text mixed with parameters (`{id}.json`, `order-{id}`).
    Mixed(Vec<Part>),
}

/// A piece of a mixed segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text.
    Text(String),
    /// A parameter.
    Param(String),
}

/// A parsed path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// Its segments, without the leading empty one.
    pub segments: Vec<Segment>,
}

/// Why a template could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteError(pub String);

impl Template {
    /// Parses `/a/{b}/c.{d}`.
    pub fn parse(path: &str) -> Result<Template, RouteError> {
        let trimmed = path
            .strip_prefix('/')
            .ok_or_else(|| RouteError(format!("path `{path}` must start with `/`")))?;
        let segments = split(trimmed)
            .map(parse_segment)
            .collect::<Result<_, _>>()?;
        Ok(Template { segments })
    }

    /// Names of the parameters, in order.
    pub fn params(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for s in &self.segments {
            match s {
                Segment::Param(p) => out.push(p.as_str()),
                Segment::Mixed(parts) => out.extend(parts.iter().filter_map(|p| match p {
                    Part::Param(n) => Some(n.as_str()),
                    Part::Text(_) => None,
                })),
                Segment::Literal(_) => {}
            }
        }
        out
    }
}

/// Splits a path into segments, ignoring one trailing slash.
fn split(path: &str) -> impl Iterator<Item = &str> {
    let path = path.strip_suffix('/').unwrap_or(path);
    path.split('/').filter(move |_| !path.is_empty())
}

fn parse_segment(seg: &str) -> Result<Segment, RouteError> {
    if !seg.contains('{') {
        return Ok(Segment::Literal(
            decode(seg).map_or_else(|| seg.to_owned(), Cow::into_owned),
        ));
    }
    let mut parts = Vec::new();
    let mut rest = seg;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(Part::Text(rest[..open].to_owned()));
        }
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| RouteError(format!("unclosed `{{` in segment `{seg}`")))?;
        let name = &rest[open + 1..open + close];
        if name.is_empty() {
            return Err(RouteError(format!(
                "empty parameter name in segment `{seg}`"
            )));
        }
        parts.push(Part::Param(name.to_owned()));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest.to_owned()));
    }
    Ok(match parts.as_slice() {
        [Part::Param(p)] => Segment::Param(p.clone()),
        _ => Segment::Mixed(parts),
    })
}

/// Percent-decodes one segment; `None` if the result is not UTF-8. A segment without `%`
/// (nearly every one) is borrowed as it is.
fn decode(seg: &str) -> Option<Cow<'_, str>> {
    if !seg.contains('%') {
        return Some(Cow::Borrowed(seg));
    }
    percent_encoding::percent_decode_str(seg).decode_utf8().ok()
}

/// A successful match: the operation index and the decoded path parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Index into `Api::operations`.
    pub operation: usize,
    /// Path parameters, decoded, in template order.
    pub params: Vec<(String, String)>,
}

/// What the router found for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// An operation matched.
    Found(Match),
    /// The path exists, but not with this method: the methods it has.
    MethodNotAllowed(Vec<Method>),
    /// No template fits the path.
    NotFound,
    /// A segment's percent-encoding does not decode to UTF-8.
    BadEncoding,
}

/// Literal segments come from the spec, so a fast hasher is safe: a client's path can only
/// look up, never add keys that collide.
type Fast = foldhash::fast::RandomState;

#[derive(Debug, Default)]
struct Node {
    literals: HashMap<String, Node, Fast>,
    /// Mixed segments before plain parameters: they are more specific.
    templated: Vec<(Segment, Node)>,
    /// Method, operation, and that template's own parameter names: templates share nodes
    /// (`/carts/{id}` and `/carts/{cart_id}/items`), so names belong to the endpoint.
    endpoints: Vec<(Method, usize, Vec<String>)>,
}

/// Routes request paths (base path already stripped) to operations.
#[derive(Debug, Default)]
pub struct Router {
    root: Node,
    depth: usize,
    /// Templates made only of literals, by their segments joined with `/`: most requests
    /// name one (`/products/featured`), and the walk would reach it first anyway (literals
    /// are tried first at every level), so one hash finds what the walk would.
    exact: HashMap<String, Vec<(Method, usize)>, Fast>,
}

impl Router {
    /// An empty router.
    pub fn new() -> Self {
        Router::default()
    }

    /// Adds an operation's route. A duplicate method on the same template keeps the first.
    pub fn insert(&mut self, template: &Template, method: Method, operation: usize) {
        let mut node = &mut self.root;
        for seg in &template.segments {
            node = match seg {
                Segment::Literal(l) => node.literals.entry(l.clone()).or_default(),
                other => {
                    let at = node
                        .templated
                        .iter()
                        .position(|(s, _)| same_shape(s, other));
                    let idx = match at {
                        Some(i) => i,
                        None => {
                            node.templated.push((other.clone(), Node::default()));
                            node.templated
                                .sort_by_key(|(s, _)| matches!(s, Segment::Param(_)));
                            node.templated
                                .iter()
                                .position(|(s, _)| same_shape(s, other))
                                .unwrap_or(0)
                        }
                    };
                    &mut node.templated[idx].1
                }
            };
        }
        self.depth = self.depth.max(template.segments.len());
        if !node.endpoints.iter().any(|(m, _, _)| *m == method) {
            let names = template.params().into_iter().map(str::to_owned).collect();
            node.endpoints.push((method, operation, names));
            if let Some(key) = exact_key(template) {
                self.exact.entry(key).or_default().push((method, operation));
            }
        }
    }

    /// Finds the operation for a raw (still percent-encoded) request path and method.
    pub fn lookup(&self, method: Method, raw_path: &str) -> Lookup {
        let raw = raw_path.strip_prefix('/').unwrap_or(raw_path);
        // No exact key holds `%`, so a path found among them has none: it is its own
        // decoding, and compared as it came.
        let key = raw.strip_suffix('/').unwrap_or(raw);
        if let Some(ops) = self.exact.get(key)
            && let Some((_, op)) = ops.iter().find(|(m, _)| *m == method)
        {
            return Lookup::Found(Match {
                operation: *op,
                params: Vec::new(),
            });
        }
        let segments = match self.segments(raw) {
            Ok(s) => s,
            Err(no) => return no,
        };
        let mut first_path: Option<Vec<Method>> = None;
        let mut params = Vec::new();
        let found = walk(&self.root, &segments, &mut params, &mut |node, params| {
            if let Some((_, op, names)) = node.endpoints.iter().find(|(m, _, _)| *m == method) {
                let params = names.iter().cloned().zip(params.iter().cloned()).collect();
                return Some(Match {
                    operation: *op,
                    params,
                });
            }
            if first_path.is_none() && !node.endpoints.is_empty() {
                first_path = Some(node.endpoints.iter().map(|(m, _, _)| *m).collect());
            }
            None
        });
        match (found, first_path) {
            (Some(m), _) => Lookup::Found(m),
            (None, Some(mut allowed)) => {
                allowed.sort();
                Lookup::MethodNotAllowed(allowed)
            }
            (None, None) => Lookup::NotFound,
        }
    }
}

impl Router {
    /// The decoded segments of a path (without its leading `/`), as [`split`] and
    /// [`decode`] give them, in one pass over its bytes: this runs on every request.
    fn segments<'p>(&self, raw: &'p str) -> Result<Vec<Cow<'p, str>>, Lookup> {
        let raw = raw.strip_suffix('/').unwrap_or(raw);
        let mut out = Vec::with_capacity(self.depth.min(16));
        if raw.is_empty() {
            return Ok(out);
        }
        let (mut start, mut encoded) = (0, false);
        for (i, b) in raw.bytes().enumerate().chain([(raw.len(), b'/')]) {
            match b {
                b'/' => {
                    if out.len() == self.depth {
                        return Err(Lookup::NotFound);
                    }
                    let seg = &raw[start..i];
                    out.push(if encoded {
                        decode(seg).ok_or(Lookup::BadEncoding)?
                    } else {
                        Cow::Borrowed(seg)
                    });
                    (start, encoded) = (i + 1, false);
                }
                b'%' => encoded = true,
                _ => {}
            }
        }
        Ok(out)
    }
}

type Visit<'a> = dyn FnMut(&Node, &[String]) -> Option<Match> + 'a;

/// Depth-first, literals first, so the most specific template that has the method wins.
fn walk(
    node: &Node,
    rest: &[Cow<'_, str>],
    params: &mut Vec<String>,
    visit: &mut Visit<'_>,
) -> Option<Match> {
    let Some((head, tail)) = rest.split_first() else {
        return visit(node, params);
    };
    if let Some(next) = node.literals.get(head.as_ref())
        && let Some(m) = walk(next, tail, params, visit)
    {
        return Some(m);
    }
    for (seg, next) in &node.templated {
        let mark = params.len();
        if bind(seg, head, params)
            && let Some(m) = walk(next, tail, params, visit)
        {
            return Some(m);
        }
        params.truncate(mark);
    }
    None
}

/// The key of a template made only of literals, or `None`: a literal that holds `/` (spelt
/// `%2F` in the spec) is one segment, which a request path can only match encoded.
fn exact_key(template: &Template) -> Option<String> {
    let mut key = String::new();
    for (i, seg) in template.segments.iter().enumerate() {
        let Segment::Literal(l) = seg else {
            return None;
        };
        if l.contains(['/', '%']) {
            return None;
        }
        if i > 0 {
            key.push('/');
        }
        key.push_str(l);
    }
    Some(key)
}

fn same_shape(a: &Segment, b: &Segment) -> bool {
    match (a, b) {
        (Segment::Param(_), Segment::Param(_)) => true,
        _ => a == b,
    }
}

/// Binds a decoded segment to a templated segment, pushing the parameter values.
fn bind(seg: &Segment, value: &str, params: &mut Vec<String>) -> bool {
    match seg {
        Segment::Literal(l) => l == value,
        Segment::Param(_) => {
            if value.is_empty() {
                return false;
            }
            params.push(value.to_owned());
            true
        }
        Segment::Mixed(parts) => bind_mixed(parts, value, params),
    }
}

/// Left to right: text must match exactly; a parameter takes everything up to the next text.
fn bind_mixed(parts: &[Part], mut value: &str, params: &mut Vec<String>) -> bool {
    for (i, part) in parts.iter().enumerate() {
        match part {
            Part::Text(t) => match value.strip_prefix(t.as_str()) {
                Some(rest) => value = rest,
                None => return false,
            },
            Part::Param(_) => {
                let end = match parts.get(i + 1) {
                    Some(Part::Text(next)) => match value.rfind(next.as_str()) {
                        Some(e) if parts.len() == i + 2 => e,
                        _ => match value.find(next.as_str()) {
                            Some(e) => e,
                            None => return false,
                        },
                    },
                    _ => value.len(),
                };
                if end == 0 {
                    return false;
                }
                params.push(value[..end].to_owned());
                value = &value[end..];
            }
        }
    }
    value.is_empty()
}

#[cfg(test)]
#[path = "route_tests.rs"]
mod tests;
