//! The mock as a value: the executable schema, the state its resolvers share, and
//! [`GraphqlMock::execute`], which runs one request with the access its headers give.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dynamic::Schema;
use http::{HeaderMap, StatusCode};
use serde_json::{Value as Json, json};

use crate::behaviour::Behaviour;
use crate::cache::AnswerCache;
use crate::config::Config;
use crate::error::LoadError;
use crate::index::Index;
use crate::ints;
use crate::scope::Access;
use crate::sdl;
use cartwright_mock::Clock;

/// Values for any field of any type, by type then field, as a fixture file gives them.
pub(crate) type Values = HashMap<String, serde_json::Map<String, Json>>;

/// Values for fields the mock has no value of its own for, by type then field.
#[derive(Debug, Default)]
pub(crate) struct Overrides(Values);

impl Overrides {
    /// The configured value of `owner.field`.
    pub(crate) fn get(&self, owner: &str, field: &str) -> Option<&Json> {
        self.0.get(owner)?.get(field)
    }
}

/// What every resolver shares.
#[derive(Debug)]
pub(crate) struct Engine {
    /// The schema as lookups.
    pub index: Index,
    /// The seed of generated values.
    pub seed: u64,
    /// Fixture values by type and field.
    pub overrides: Overrides,
    /// The stateful behaviour plugged in, if any.
    pub behaviour: Option<Box<dyn Behaviour>>,
    /// The virtual clock.
    pub clock: Clock,
}

impl Engine {
    /// Whether the request's session has a logged-in customer.
    pub(crate) fn logged_in(&self, access: &Access) -> bool {
        self.behaviour.as_ref().is_some_and(|b| b.logged_in(access))
    }
}

/// Per-request data the resolvers read.
#[derive(Debug)]
pub(crate) struct RequestState {
    /// What the request may do.
    pub access: Access,
}

/// One GraphQL answer: the HTTP status and the `{data, errors, extensions}` body.
#[derive(Debug)]
pub struct Answer {
    /// 200, or 401 when no usable credentials were sent.
    pub status: StatusCode,
    /// The response body.
    pub body: Json,
}

/// A GraphQL mock of one schema.
pub struct GraphqlMock {
    schema: Schema,
    engine: Arc<Engine>,
    config: Config,
    source: String,
    cache: AnswerCache,
}

impl std::fmt::Debug for GraphqlMock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphqlMock")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl GraphqlMock {
    /// Loads `sdl` (named `source_name` in errors) with `values` for any field; `behaviour`
    /// sees the schema and the configuration and plugs in the stateful behaviour, if any.
    pub(crate) fn load(
        source_name: &str,
        sdl: &str,
        values: Values,
        config: Config,
        behaviour: impl FnOnce(&Index, &Config) -> Result<Option<Box<dyn Behaviour>>, LoadError>,
    ) -> Result<GraphqlMock, LoadError> {
        let doc = sdl::parse(source_name, sdl)?;
        let index = Index::new(&doc)?;
        let behaviour = behaviour(&index, &config)?;
        let engine = Arc::new(Engine {
            index,
            seed: config.seed,
            overrides: Overrides(values),
            behaviour,
            clock: Clock::default(),
        });
        let schema = sdl::build(&doc, &engine)?
            .limit_depth(config.max_depth)
            // The parser's guard against stack exhaustion stays above the depth limit, so a
            // deep query is told about the depth limit, which a user can change.
            .limit_recursive_depth(config.max_depth.saturating_mul(2).max(32))
            .limit_complexity(config.max_complexity)
            .extension(crate::paths::ErrorPaths)
            .finish()
            .map_err(|e| LoadError::Invalid(format!("{source_name}: {}", e.0)))?;
        Ok(GraphqlMock {
            cache: AnswerCache::new(config.answer_cache),
            schema,
            engine,
            config,
            source: source_name.to_owned(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Whether a stateful behaviour decides access (a schema that declares the operating
    /// modes: tokens are then required).
    pub fn has_modes(&self) -> bool {
        self.engine.behaviour.is_some()
    }

    /// Runs one request; `trace_id` is echoed in `extensions.traceId`. It always runs: the
    /// answer cache is the server's (the answers are the same either way).
    pub async fn execute(
        &self,
        headers: &HeaderMap,
        request: async_graphql::Request,
        trace_id: &str,
    ) -> Answer {
        let access = self.authenticate(headers);
        let token = session_token(&access).map(str::to_owned);
        let (status, response) = self.run(access, request).await;
        Answer {
            status,
            body: body(&response, token.as_deref(), trace_id),
        }
    }

    /// The request's access, from its headers.
    pub(crate) fn authenticate(&self, headers: &HeaderMap) -> Access {
        match &self.engine.behaviour {
            Some(b) => b.authenticate(headers),
            None => Access::Open,
        }
    }

    /// Runs one request with `access`: its HTTP status and the engine's response.
    pub(crate) async fn run(
        &self,
        access: Access,
        mut request: async_graphql::Request,
    ) -> (StatusCode, async_graphql::Response) {
        let refused = matches!(access, Access::Refused(_));
        let operation = request.operation_name.clone();
        // Lent to the check and given back: the variables are not copied.
        let variables = std::mem::take(&mut request.variables);
        // An `Int` outside 32 bits is an input coercion error: nothing runs. A query that
        // does not parse is left to the schema, which reports where.
        let out_of_range = request.parsed_query().map_or_else(
            |_| Vec::new(),
            |doc| ints::out_of_range(&self.engine.index, doc, operation.as_deref(), &variables),
        );
        request.variables = variables;
        let response = if out_of_range.is_empty() {
            self.schema
                .execute(request.data(RequestState { access }))
                .await
        } else {
            async_graphql::Response::from_errors(out_of_range)
        };
        let unauthenticated = refused
            && response.errors.iter().any(|e| {
                e.extensions
                    .as_ref()
                    .and_then(|x| x.get("code"))
                    .is_some_and(|c| c.to_string() == "\"UNAUTHENTICATED\"")
            });
        let status = if unauthenticated {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::OK
        };
        (status, response)
    }

    /// The answer cache.
    pub(crate) fn cache(&self) -> &AnswerCache {
        &self.cache
    }

    /// Forgets every session and returns the clock to wall time.
    pub fn reset(&self) {
        if let Some(b) = &self.engine.behaviour {
            b.reset();
        }
        self.engine.clock.reset();
        self.cache.invalidate();
    }

    /// The virtual clock.
    pub fn clock(&self) -> &Clock {
        &self.engine.clock
    }

    /// What `/__cartwright/health` reports.
    pub fn health(&self) -> Json {
        let (entries, bytes) = self.cache.usage();
        json!({
            "status": "ok",
            "schema": self.source,
            "types": self.engine.index.types.len(),
            "modes": self.has_modes(),
            "sessions": self.engine.behaviour.as_ref().map_or(0, |b| b.sessions()),
            "answerCache": {"entries": entries, "bytes": bytes},
        })
    }
}

/// The session token an answer hands back in `extensions.token`.
pub(crate) fn session_token(access: &Access) -> Option<&str> {
    match access {
        Access::Session { token, .. } => Some(token),
        _ => None,
    }
}

/// The `{data, errors, extensions}` body of a response, with the session token and the
/// trace id in `extensions`.
pub(crate) fn body(
    response: &async_graphql::Response,
    token: Option<&str>,
    trace_id: &str,
) -> Json {
    let mut body = serde_json::to_value(response).unwrap_or_else(
        |e| json!({"errors": [{"message": format!("the answer could not be written: {e}")}]}),
    );
    if let Some(obj) = body.as_object_mut() {
        let ext = obj.entry("extensions").or_insert_with(|| json!({}));
        if let Some(token) = token {
            ext["token"] = json!(token);
        }
        ext["traceId"] = json!(trace_id);
    }
    body
}
