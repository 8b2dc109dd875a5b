//! Loading OpenAPI 3.0 and 3.1 documents (YAML or JSON) into a [`cartwright_model::Api`].
//!
//! The pipeline is: read → apply the overlay → bundle `$ref`s → check the version →
//! normalise schemas to JSON Schema 2020-12 → structural checks → compile and index.
//! Every finding is a [`Diagnostic`] placed at `file:line:col`; positions are computed only
//! for the findings, by re-scanning the source ([`locate`], from `cartwright-source`, which
//! also reads the text), so a clean load pays nothing.
//! Lenient loading serves every operation that no error touches and lists the others.

mod api;
mod behave;
mod build;
mod bundle;
mod check;
mod compile;
mod confine;
mod cores;
mod direction;
mod load;
mod members;
mod normalize;
pub mod overlay;
mod pace;
mod place;
mod root;
mod shape;
mod unsound;

use std::path::PathBuf;

use cartwright_diag::Diagnostic;
use cartwright_model::Api;

pub use cartwright_source::{SourceDoc, locate, parse as parse_source, span_of};
pub use load::{lint, load, load_str};

/// How to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// An OpenAPI Overlay 1.0 document applied before anything else.
    pub overlay: Option<PathBuf>,
    /// Serve what is sound instead of refusing a document with errors.
    pub lenient: bool,
    /// Follow `$ref`s to files outside the spec's folder tree (refused by default, so a
    /// spec from elsewhere cannot make cartwright read `/etc/passwd` or `../../x`).
    pub allow_ref_outside: bool,
    /// The most bytes read from the spec, its overlay and each `$ref`'d file (`None`:
    /// [`cartwright_source::DEFAULT_MAX_FILE_BYTES`]).
    pub max_file_bytes: Option<u64>,
}

impl LoadOptions {
    /// The bound on each file read, naming the flag that sets it.
    pub fn limit(&self) -> cartwright_source::Limit {
        cartwright_source::Limit {
            bytes: self
                .max_file_bytes
                .unwrap_or(cartwright_source::DEFAULT_MAX_FILE_BYTES),
            flag: "--max-spec-bytes",
        }
    }
}

/// A loaded API with the warnings (and, when lenient, the errors) found on the way.
#[derive(Debug)]
pub struct Loaded {
    /// The model.
    pub api: Api,
    /// Findings that did not stop the load.
    pub diagnostics: Vec<Diagnostic>,
}
