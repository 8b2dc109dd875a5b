//! An HTTP request to a GraphQL request: `POST` with a JSON body (or `application/graphql`),
//! `GET` with `query`, `variables` and `operationName` parameters. What cannot be read is an
//! answer in the GraphQL `errors` format, with the line and column of the fault.

use async_graphql::parser::types::{DocumentOperations, OperationType};
use http::{Method, StatusCode};
use serde_json::{Value as Json, json};

/// A request that cannot be run, as its answer.
#[derive(Debug)]
pub(crate) struct Refusal {
    /// 400, 405 or 415.
    pub status: StatusCode,
    /// `{"errors": [...]}`.
    pub body: Json,
}

fn refuse(status: StatusCode, message: String, at: Option<(usize, usize)>) -> Refusal {
    let mut error = json!({"message": message, "extensions": {"code": "BAD_REQUEST"}});
    if let Some((line, column)) = at {
        error["locations"] = json!([{"line": line, "column": column}]);
    }
    Refusal {
        status,
        body: json!({"errors": [error]}),
    }
}

fn from_serde(what: &str, e: &serde_json::Error) -> Refusal {
    refuse(
        StatusCode::BAD_REQUEST,
        format!("{what} is not a GraphQL request: {e}"),
        Some((e.line(), e.column())),
    )
}

/// Reads the GraphQL request out of an HTTP request.
pub(crate) fn read(
    method: &Method,
    query: Option<&str>,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<async_graphql::Request, Refusal> {
    if method == Method::GET {
        return from_params(query.unwrap_or(""));
    }
    let media = content_type
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim().to_ascii_lowercase());
    let looks_json = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{' || *b == b'[');
    match media.as_deref() {
        // `curl -d '{...}'` sends JSON labelled as a form: read it as what it is.
        Some("application/x-www-form-urlencoded") if looks_json => read_json(body),
        Some("application/graphql") => {
            let text = std::str::from_utf8(body).map_err(|e| {
                refuse(
                    StatusCode::BAD_REQUEST,
                    format!("the query is not UTF-8: {e}"),
                    None,
                )
            })?;
            Ok(async_graphql::Request::new(text))
        }
        None | Some("application/json") | Some("application/graphql-response+json") => {
            read_json(body)
        }
        Some(other) => Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("`{other}` is not accepted: send application/json or application/graphql"),
            None,
        )),
    }
}

fn read_json(body: &[u8]) -> Result<async_graphql::Request, Refusal> {
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "batched requests (a JSON array) are not supported: send one request per POST".into(),
            None,
        ));
    }
    serde_json::from_slice(body).map_err(|e| from_serde("the body", &e))
}

fn from_params(query: &str) -> Result<async_graphql::Request, Refusal> {
    let mut text = None;
    let mut variables = None;
    let mut operation = None;
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "query" => text = Some(v.into_owned()),
            "variables" => variables = Some(v.into_owned()),
            "operationName" => operation = Some(v.into_owned()),
            _ => {}
        }
    }
    let Some(text) = text else {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "a GET request needs a `query` parameter (or POST a JSON body to /graphql)".into(),
            None,
        ));
    };
    let mut request = async_graphql::Request::new(text);
    if let Some(vars) = variables.filter(|v| !v.trim().is_empty()) {
        let json: Json =
            serde_json::from_str(&vars).map_err(|e| from_serde("the `variables` parameter", &e))?;
        request = request.variables(async_graphql::Variables::from_json(json));
    }
    if let Some(op) = operation {
        request = request.operation_name(op);
    }
    let mut request = request;
    if is_mutation(&mut request) {
        return Err(refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "mutations are not run on GET: send them with POST".into(),
            None,
        ));
    }
    Ok(request)
}

/// Whether the operation a request would run is a mutation (unparsable queries are not:
/// the schema reports them with their location).
fn is_mutation(request: &mut async_graphql::Request) -> bool {
    let name = request.operation_name.clone();
    let Ok(doc) = request.parsed_query() else {
        return false;
    };
    match &doc.operations {
        DocumentOperations::Single(op) => op.node.ty == OperationType::Mutation,
        DocumentOperations::Multiple(ops) => ops
            .iter()
            .filter(|(n, _)| name.as_deref().is_none_or(|w| n.as_str() == w))
            .any(|(_, op)| op.node.ty == OperationType::Mutation),
    }
}

/// The type of the operation a request would run: `None` when the query does not parse or
/// names no operation it has (the schema then runs nothing and says why). Of several
/// operations that could be meant, the first that is not a query decides (what changes
/// state is never taken for a query).
pub(crate) fn operation_type(request: &mut async_graphql::Request) -> Option<OperationType> {
    let name = request.operation_name.clone();
    let doc = request.parsed_query().ok()?;
    match &doc.operations {
        DocumentOperations::Single(op) => Some(op.node.ty),
        DocumentOperations::Multiple(ops) => ops
            .iter()
            .filter(|(n, _)| name.as_deref().is_none_or(|w| n.as_str() == w))
            .map(|(_, op)| op.node.ty)
            .reduce(|a, b| if a == OperationType::Query { b } else { a }),
    }
}
