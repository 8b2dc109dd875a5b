//! Operations and what they declare: parameters, request bodies, responses, examples.

use serde_json::Value;

use crate::{Binding, Requirement, Schema};

/// The HTTP methods an OpenAPI path item can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// Every method, in the order OpenAPI lists them in a path item.
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    /// The method from its path-item key (`get`) or its HTTP name (`GET`).
    pub fn parse(s: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s))
    }

    /// The upper-case HTTP name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    /// A templated path segment.
    Path,
    /// The query string.
    Query,
    /// A request header (matched case-insensitively).
    Header,
    /// A cookie in the `Cookie` header.
    Cookie,
}

impl ParamLocation {
    /// The OpenAPI `in` value.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// How an array or object parameter is serialised (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `?id=3&id=4` or `?id=3,4`.
    Form,
    /// `3,4` (path and header default).
    Simple,
    /// `.3.4` or `.3,4`.
    Label,
    /// `;id=3;id=4` or `;id=3,4`.
    Matrix,
    /// `?id=3%204`.
    SpaceDelimited,
    /// `?id=3|4`.
    PipeDelimited,
    /// `?filter[color]=red`.
    DeepObject,
}

/// The JSON shape a parameter's text is parsed into before validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The parameter's name (header names as declared; compared case-insensitively).
    pub name: String,
    /// Where it travels.
    pub location: ParamLocation,
    /// Whether a request without it is invalid.
    pub required: bool,
    /// Serialisation style (defaulted by location when not declared).
    pub style: ParamStyle,
    /// `explode` (defaulted by style when not declared).
    pub explode: bool,
    /// Declared with `content` instead of `schema`: the text is a JSON document.
    pub json_content: bool,
    /// The compiled schema, if one was declared.
    pub schema: Option<Schema>,
    /// The schema's own JSON with its top-level `$ref` resolved, used to read `type`, `items`
    /// and `properties` when parsing the parameter's text.
    pub shape: Value,
    /// JSON pointer to the parameter in the document.
    pub pointer: String,
}

/// A named example of a media type.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The key under `examples`, or `example` for the single `example` field.
    pub name: String,
    /// The example's value.
    pub value: Value,
}

/// One media type of a request body or a response.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaType {
    /// The media range as declared (`application/json`, `application/*`, `*/*`).
    pub media_type: String,
    /// The compiled schema, if one was declared.
    pub schema: Option<Schema>,
    /// Named examples, in document order (the single `example` first, as `example`).
    pub examples: Vec<Example>,
    /// Names of properties required by the schema (for multipart/form presence checks).
    pub required_fields: Vec<String>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// Whether a request without a body is invalid.
    pub required: bool,
    /// Accepted media types.
    pub content: Vec<MediaType>,
}

/// A response key: `200`, `2XX` or `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusKey {
    /// An exact status.
    Code(u16),
    /// A class such as `4XX` (holds the first digit).
    Range(u8),
    /// `default`.
    Default,
}

impl StatusKey {
    /// Whether a status answers to this key.
    pub fn covers(self, status: u16) -> bool {
        match self {
            StatusKey::Code(c) => c == status,
            StatusKey::Range(d) => status / 100 == u16::from(d),
            StatusKey::Default => true,
        }
    }

    /// The concrete status to send for this key (`2XX` → 200, `default` → `fallback`).
    pub fn status(self, fallback: u16) -> u16 {
        match self {
            StatusKey::Code(c) => c,
            StatusKey::Range(d) => u16::from(d) * 100,
            StatusKey::Default => fallback,
        }
    }
}

/// A declared response header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// Header name.
    pub name: String,
    /// Whether it must be present.
    pub required: bool,
    /// The compiled schema, if declared.
    pub schema: Option<Schema>,
    /// An example value, if declared.
    pub example: Option<Value>,
}

/// A declared response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// Its key.
    pub status: StatusKey,
    /// Declared headers.
    pub headers: Vec<Header>,
    /// Declared media types; empty for a body-less response.
    pub content: Vec<MediaType>,
}

/// One operation: a method on a path template.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`, or `METHOD /path` when the document gives none.
    pub id: String,
    /// The method.
    pub method: Method,
    /// The path template as written (`/vouchers/{voucher}`).
    pub path: String,
    /// JSON pointer to the operation object.
    pub pointer: String,
    /// Tags, for filtering.
    pub tags: Vec<String>,
    /// Path-item and operation parameters merged (operation wins by name and location).
    pub parameters: Vec<Parameter>,
    /// The request body, if declared.
    pub body: Option<RequestBody>,
    /// Responses in document order.
    pub responses: Vec<Response>,
    /// Effective security: the operation's own or the document's; empty means anonymous.
    pub security: Vec<Requirement>,
    /// The `x-cartwright` behaviour binding, for the behaviour layer.
    pub behaviour: Option<std::sync::Arc<Binding>>,
    /// Latency, dribbling and chaos declared for it (`x-cartwright-latency`,
    /// `x-cartwright-faults`), the document's merged under its own; `None` when neither says.
    pub pace: Option<std::sync::Arc<crate::Pace>>,
}

impl Operation {
    /// `METHOD /path`, the form used in logs and hints.
    pub fn signature(&self) -> String {
        format!("{} {}", self.method.as_str(), self.path)
    }

    /// The response declared for an exact status: an exact code first, then its class, then `default`.
    pub fn response_for(&self, status: u16) -> Option<&Response> {
        let exact = self
            .responses
            .iter()
            .find(|r| r.status == StatusKey::Code(status));
        exact
            .or_else(|| {
                self.responses
                    .iter()
                    .find(|r| matches!(r.status, StatusKey::Range(_)) && r.status.covers(status))
            })
            .or_else(|| {
                self.responses
                    .iter()
                    .find(|r| r.status == StatusKey::Default)
            })
    }
}
