//! The immutable, indexed API model that every other part of cartwright reads.
//!
//! An [`Api`] is built once by the `spec` crate (load, resolve, overlay, compile) and then
//! only looked up: the mock server matches a request to an [`Operation`] through the
//! [`Router`], validates it with the operation's compiled [`Schema`]s, and answers from its
//! declared [`Response`]s. Nothing here does I/O, parses YAML or speaks HTTP, so the same
//! model serves the mock, the scenario runner and the verifier.

mod api;
mod behaviour;
mod expr;
mod fast;
mod fixed;
pub mod media;
mod native;
mod native_parse;
mod operation;
mod pace;
mod quick;
mod reads;
mod resource;
mod route;
mod schema;
mod security;
mod time;
mod view;

pub use api::{Api, Skipped};
pub use behaviour::{
    Action, Behaviours, Binding, Carrier, Memo, Merge, Pointer, Respond, SecretDef, SessionKind,
    Shape, Step, TokenFormat, Unknown,
};
pub use expr::{Expr, ExprError, context, digits, environment, random, uuid};
pub use fast::{Fast, Key, REQUEST_BODY, follow, member, truthy};
pub use native::{Cmp, Filter, Func, Math, Names, Native, Test, Val};
pub use operation::{
    Example, Header, MediaType, Method, Operation, ParamLocation, ParamStyle, Parameter,
    RequestBody, Response, StatusKey,
};
pub use pace::{Latency, Pace, parse_dribble, parse_rate};
pub use quick::Quick;
pub use reads::RequestParts;
pub use resource::{
    Action as ResourceAction, Collection, Parent, Place, Resources, Role, SessionCarrier,
    field_schema, fields, fold, name_key, same_name,
};
pub use route::{Lookup, Match, Part, RouteError, Router, Segment, Template};
pub use schema::{ANNOTATIONS, Schema, Violation};
pub use security::{Requirement, SchemeKind, SecurityScheme};
pub use time::{Bare, DurationError, civil, duration, duration_ms, iso, parse_duration};
pub use view::view;
